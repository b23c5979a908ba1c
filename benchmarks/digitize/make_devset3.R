# A third development figure set for the digitizer (R base graphics and survminer): the plain,
# typical figures of each tool with its common options, on R's most used data sets in
# dataset x grouping x tool combinations none of the other sets draws. R base: veteran by cell
# type in col = 1:4 with the default boxed legend, colon recurrence by treatment in black line
# types with an at-risk table, ovarian by residual disease with CI lines, rotterdam by tumour
# size with an at-risk table, gbsg as one curve drawn in days with xscale = 365.25 and its CI
# lines, pbc by oedema in grey levels and line types. survminer: lung by sex as in survminer's
# own example (strata names sex=1 / sex=2, CI ribbons, p value, default palette and theme),
# gbsg by tumour grade with the default palette and a p value, pbc by sex in Set1 with CI
# ribbons, rotterdam recurrence by hormonal therapy without marks, retinopathy by treated eye
# in black / grey line types with a p value, veteran as one curve with its CI ribbon; all with
# risk tables. Made as a development set: the reader may be tuned on it.
#
#   Rscript benchmarks/digitize/make_devset3.R OUTDIR
#   python benchmarks/digitize/make_devset3.py OUTDIR      # then the Python figures
#
# Writes, for each figure d3_*, OUTDIR/d3_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn) and .json (arms in legend order, times of the
# printed number-at-risk table, whether censoring marks are drawn), as make_figures.R does.
# A single curve is named by the label drawn for it, or "arm 1" when none is drawn. No x
# axis is cut, so no truth is censored at a limit. Also writes OUTDIR/d3_data_*.csv, the data
# sets the Python maker draws.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-devset3")

# 1. veteran by cell type: col = 1:4, lwd 2, marks, the default boxed legend, days
veteran_cells <- function() {
  arms <- c("Squamous", "Small cell", "Adeno", "Large")
  d <- with(veteran, data.frame(time = time, status = status,
                                arm = factor(arms[as.integer(celltype)], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, col = 1:4, lwd = 2, mark.time = TRUE, xlab = "Days",
         ylab = "Survival probability")
    legend("topright", legend = arms, col = 1:4, lwd = 2)
  }
  devices("d3_rbase_veteran_celltype", 6.5, 5, draw)
  meta("d3_rbase_veteran_celltype", d, arms, numeric(0), TRUE)
}

# 2. colon recurrence by treatment: black, lty = 1:3, no marks, years, at-risk table drawn
#    with mtext() and axis() under the plot, the arms named by the factor levels
colon_recur <- function() {
  arms <- c("Obs", "Lev", "Lev+5FU")
  cc <- subset(colon, etype == 1)
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(as.character(cc$rx), arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- 0:9
  nr <- n_at_risk(fit, 3, tt)
  draw <- function() {
    par(mar = c(9, 7, 2, 2))
    plot(fit, lty = 1:3, lwd = 1.5, xaxt = "n", las = 1, xlab = "Years since randomisation",
         ylab = "Recurrence-free")
    axis(1, at = tt)
    legend("topright", legend = arms, lty = 1:3, lwd = 1.5, bty = "n")
    mtext("Number at risk", side = 1, line = 4, adj = 0, at = -2.2)
    for (k in 1:3) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -2.2)
      axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0)
    }
  }
  devices("d3_rbase_colon_recur_risk", 7, 5.5, draw)
  meta("d3_rbase_colon_recur_risk", d, arms, tt, FALSE)
}

# 3. ovarian by residual disease: conf.int = TRUE (CI lines in the arms' colours), blue / red,
#    marks, days, legend without a box
ovarian_resid <- function() {
  arms <- c("No residual disease", "Residual disease")
  d <- with(ovarian, data.frame(time = futime, status = fustat,
                                arm = factor(arms[resid.ds], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, conf.int = TRUE, col = c("blue", "red"), mark.time = TRUE, xlab = "Days",
         ylab = "Survival")
    legend("bottomleft", legend = arms, col = c("blue", "red"), lty = 1, bty = "n")
  }
  devices("d3_rbase_ovarian_resid_ci", 6, 5, draw)
  meta("d3_rbase_ovarian_resid_ci", d, arms, numeric(0), TRUE)
}

# 4. rotterdam overall survival by tumour size: three colours, no marks, years, at-risk table
rotterdam_size <- function() {
  arms <- c("<=20 mm", "20-50 mm", ">50 mm")
  d <- with(rotterdam, data.frame(time = dtime / 365.25, status = death,
                                  arm = factor(arms[as.integer(size)], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 18, 3)
  nr <- n_at_risk(fit, 3, tt)
  cols <- c("darkgreen", "darkorange", "red3")
  draw <- function() {
    par(mar = c(9, 9, 2, 2))
    plot(fit, col = cols, lwd = 2, xaxt = "n", las = 1, xlab = "Years since surgery",
         ylab = "Overall survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lwd = 2, bty = "n")
    mtext("No. at risk", side = 1, line = 4, adj = 0, at = -5.6)
    for (k in 1:3) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -5.6)
      axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0)
    }
  }
  devices("d3_rbase_rotterdam_size_risk", 7, 5.5, draw)
  meta("d3_rbase_rotterdam_size_risk", d, arms, tt, FALSE)
}

# 5. gbsg as one curve: the fit in days drawn in years with xscale = 365.25, dark blue, lwd 2,
#    the default CI lines of a single curve, default axes; no name drawn
gbsg_single <- function() {
  fit <- survfit(Surv(rfstime, status) ~ 1, data = gbsg)
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status, arm = "arm 1"))
  draw <- function() {
    plot(fit, xscale = 365.25, col = "darkblue", lwd = 2, xlab = "Years",
         ylab = "Recurrence-free survival")
  }
  devices("d3_rbase_gbsg_single_xscale", 6, 4.8, draw)
  meta("d3_rbase_gbsg_single_xscale", d, "arm 1", numeric(0), FALSE)
}

# 6. pbc by oedema: black / grey40 / grey65, lty 1, 2, 4, lwd 2, marks, years, boxless legend
#    at the top right
pbc_edema <- function() {
  arms <- c("No edema", "Edema without diuretics", "Edema despite diuretics")
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = factor(arms[match(edema, c(0, 0.5, 1))], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("black", "grey40", "grey65")
  draw <- function() {
    par(mar = c(4.5, 4.5, 1.5, 1))
    plot(fit, col = cols, lty = c(1, 2, 4), lwd = 2, mark.time = TRUE, las = 1,
         xlab = "Years", ylab = "Survival")
    legend("topright", legend = arms, col = cols, lty = c(1, 2, 4), lwd = 2, bty = "n")
  }
  devices("d3_rbase_pbc_edema_grey", 6.5, 5, draw)
  meta("d3_rbase_pbc_edema_grey", d, arms, numeric(0), TRUE)
}

# 7. lung by sex as in survminer's example: the fit on lung itself (status 1/2), strata names
#    sex=1 / sex=2, CI ribbons, p value, risk table, default palette, theme and breaks
lung_sex <- function() {
  fit <- survfit(Surv(time, status) ~ sex, data = lung)
  p <- ggsurvplot(fit, data = lung, risk.table = TRUE, pval = TRUE, conf.int = TRUE)
  d <- with(lung, data.frame(time = time, status = status - 1, arm = paste0("sex=", sex)))
  gg_out("d3_gg_lung_sex_example", p, 7, 7, d, c("sex=1", "sex=2"), TRUE)
}

# 8. gbsg by tumour grade: default palette and theme, p value, risk table, years by 1
gbsg_grade <- function() {
  arms <- c("Grade 1", "Grade 2", "Grade 3")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(paste("Grade", grade), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, pval = TRUE, risk.table = TRUE, legend.title = "Tumour grade",
                  legend.labs = arms, break.time.by = 1, xlab = "Years",
                  ylab = "Recurrence-free survival probability", risk.table.height = 0.28)
  gg_out("d3_gg_gbsg_grade", p, 7, 6.5, d, arms, TRUE)
}

# 9. pbc by sex: Set1 palette, CI ribbons, risk table, years by 2
pbc_sex <- function() {
  arms <- c("Male", "Female")
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = factor(ifelse(sex == "m", arms[1], arms[2]), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, palette = "Set1", risk.table = TRUE,
                  legend.title = "Sex", legend.labs = arms, break.time.by = 2,
                  xlab = "Years", risk.table.height = 0.25)
  gg_out("d3_gg_pbc_sex_set1_ci", p, 7, 6, d, arms, TRUE)
}

# 10. rotterdam recurrence by hormonal therapy: no marks (2982 patients), two custom colours,
#     theme_bw, risk table, years by 2
rotterdam_hormon <- function() {
  arms <- c("No hormonal therapy", "Hormonal therapy")
  d <- with(rotterdam, data.frame(time = rtime / 365.25, status = recur,
                                  arm = factor(arms[hormon + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, censor = FALSE, palette = c("#0072B5", "#BC3C29"),
                  risk.table = TRUE, ggtheme = theme_bw(), legend.title = "",
                  legend.labs = arms, break.time.by = 2, xlab = "Years since surgery",
                  ylab = "Free of recurrence", risk.table.height = 0.25)
  gg_out("d3_gg_rotterdam_hormon", p, 7, 6, d, arms, FALSE)
}

# 11. retinopathy by treated eye: black / grey45, linetype by strata, marks, p value, risk
#     table, months by 12
retinopathy_trt <- function() {
  arms <- c("Untreated eye", "Treated eye")
  d <- with(retinopathy, data.frame(time = futime, status = status,
                                    arm = factor(arms[trt + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("black", "grey45"), linetype = "strata",
                  pval = TRUE, risk.table = TRUE, legend.title = "", legend.labs = arms,
                  break.time.by = 12, xlab = "Months", ylab = "Free of severe vision loss",
                  risk.table.height = 0.25)
  gg_out("d3_gg_retinopathy_trt_bw", p, 7, 6, d, arms, TRUE)
}

# 12. veteran as one curve: CI ribbon, marks, risk table; survminer names the curve "All"
veteran_single <- function() {
  d <- with(veteran, data.frame(time = time, status = status, arm = "All"))
  fit <- surv_fit(Surv(time, status) ~ 1, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, risk.table = TRUE, xlab = "Days")
  gg_out("d3_gg_veteran_single", p, 6.5, 6, d, "All", TRUE)
}

# the data sets the Python figures draw (make_devset3.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "d3", name)
  w(with(aml, data.frame(time = time, status = status, x = as.character(x))), "aml")
  w(with(subset(colon, etype == 1), data.frame(time = time / 365.25, status = status,
                                                rx = as.character(rx))), "colon")
  w(with(ovarian, data.frame(time = futime, status = fustat, rx = rx)), "ovarian")
  w(with(subset(lung, !is.na(ph.ecog) & ph.ecog < 3),
         data.frame(time = time, status = status - 1, ph.ecog = ph.ecog)), "lung")
  w(with(rotterdam, data.frame(time = dtime / 365.25, status = death, chemo = chemo)),
    "rotterdam")
  w(with(subset(cgd, enum == 1), data.frame(time = tstop, status = status,
                                            treat = as.character(treat))), "cgd")
  w(with(mgus2, data.frame(time = futime / 12, status = death)), "mgus2")
}

veteran_cells(); colon_recur(); ovarian_resid(); rotterdam_size(); gbsg_single(); pbc_edema()
lung_sex(); gbsg_grade(); pbc_sex(); rotterdam_hormon(); retinopathy_trt(); veteran_single()
python_data()
