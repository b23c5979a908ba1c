# A fourth held-out figure set for the digitizer (R base graphics and survminer): the plain,
# typical figures of each tool with its common options, on R's most used data sets in
# combinations none of the other sets draws. R base: lung as one curve with the default CI
# lines and axes, aml by maintenance in black solid / dashed with a boxed legend, gbsg by
# tumour grade in col = 1:3 with an at-risk table, pbc by sex with CI lines, flchain by sex
# in grey / dashed with an at-risk table whose names end left of the y axis, cgd by treatment with
# an at-risk table in the arms' colours. survminer: lung by ECOG score with the default
# strata names, palette, theme and breaks, gbsg by hormonal therapy with CI ribbons and
# theme_bw, pbc by oedema with the jco palette and a coloured risk table, mgus2 by sex in the
# grey palette, ovarian by treatment with a p value, colon recurrence by treatment in Dark2
# with a percent scale. Nothing is tuned on it: it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout4.R OUTDIR
#   python benchmarks/digitize/make_heldout4.py OUTDIR      # then the Python figures
#
# Writes, for each figure h4_*, OUTDIR/h4_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn) and .json (arms in legend order, times of the
# printed number-at-risk table, whether censoring marks are drawn), as make_figures.R does.
# A single curve is named by the label drawn for it, or "arm 1" when none is drawn. Also
# writes OUTDIR/h4_data_*.csv, the data sets the Python maker draws.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout4")

# 1. lung as one curve: plot.survfit's defaults (CI lines, axes, y labels parallel), marks
lung_single <- function() {
  d <- with(lung, data.frame(time = time, status = status - 1, arm = "arm 1"))
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  draw <- function() {
    plot(fit, mark.time = TRUE, xlab = "Days", ylab = "Survival probability")
  }
  devices("h4_rbase_lung_single", 6, 5, draw)
  meta("h4_rbase_lung_single", d, "arm 1", numeric(0), TRUE)
}

# 2. aml by maintenance: black solid / dashed, marks, default boxed legend, weeks
aml_bw <- function() {
  arms <- c("Maintained", "Nonmaintained")
  d <- with(aml, data.frame(time = time, status = status, arm = factor(as.character(x), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, lty = 1:2, mark.time = TRUE, xlab = "Weeks", ylab = "Proportion in remission")
    legend("topright", legend = arms, lty = 1:2)
  }
  devices("h4_rbase_aml_bw", 6, 5, draw)
  meta("h4_rbase_aml_bw", d, arms, numeric(0), TRUE)
}

# 3. gbsg by tumour grade: col = 1:3, lwd 2, marks, years, at-risk table (mtext + axis)
gbsg_grade <- function() {
  arms <- c("Grade 1", "Grade 2", "Grade 3")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(paste("Grade", grade), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- 0:7
  nr <- n_at_risk(fit, 3, tt)
  draw <- function() {
    par(mar = c(9, 8, 2, 2))
    plot(fit, col = 1:3, lwd = 2, mark.time = TRUE, xaxt = "n", las = 1,
         xlab = "Years", ylab = "Recurrence-free survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = 1:3, lwd = 2, bty = "n")
    mtext("Number at risk", side = 1, line = 4, adj = 0, at = -1.9)
    for (k in 1:3) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -1.9)
      axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0)
    }
  }
  devices("h4_rbase_gbsg_grade_risk", 7, 5.5, draw)
  meta("h4_rbase_gbsg_grade_risk", d, arms, tt, TRUE)
}

# 4. pbc by sex: conf.int = TRUE (CI lines in the arm's colour), red / blue, years
pbc_sex <- function() {
  arms <- c("Female", "Male")
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = factor(ifelse(sex == "f", arms[1], arms[2]), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, conf.int = TRUE, col = c("red", "blue"), mark.time = TRUE,
         xlab = "Years since registration", ylab = "Survival")
    legend("bottomleft", legend = arms, col = c("red", "blue"), lty = 1, bty = "n")
  }
  devices("h4_rbase_pbc_sex_ci", 6.5, 5, draw)
  meta("h4_rbase_pbc_sex_ci", d, arms, numeric(0), TRUE)
}

# 5. flchain by sex: black / grey50 solid / dashed, lwd 2, no marks, at-risk table with the
#    numbers drawn by mtext() and the names right-aligned left of the y axis
flchain_grey <- function() {
  arms <- c("Women", "Men")
  d <- with(flchain, data.frame(time = futime / 365.25, status = death,
                                arm = factor(ifelse(sex == "F", arms[1], arms[2]), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 14, 2)
  nr <- n_at_risk(fit, 2, tt)
  draw <- function() {
    par(mar = c(8, 7, 2, 2))
    plot(fit, col = c("black", "grey50"), lty = 1:2, lwd = 2, xaxt = "n", las = 1,
         xlab = "Years from sample collection", ylab = "Overall survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = c("black", "grey50"), lty = 1:2, lwd = 2,
           bty = "n")
    x0 <- par("usr")[1] - 0.03 * diff(par("usr")[1:2])
    mtext("Number at risk", side = 1, line = 4, at = x0, adj = 1, font = 2)
    for (k in 1:2) {
      mtext(arms[k], side = 1, line = 4 + k, at = x0, adj = 1)
      mtext(nr[k, ], side = 1, line = 4 + k, at = tt)
    }
  }
  devices("h4_rbase_flchain_grey_risk", 7, 5.2, draw)
  meta("h4_rbase_flchain_grey_risk", d, arms, tt, FALSE)
}

# 6. cgd by treatment, time to first infection: coloured curves, marks, at-risk table with
#    the rows in the arms' colours
cgd_risk <- function() {
  arms <- c("Placebo", "Interferon gamma")
  c1 <- subset(cgd, enum == 1)
  d <- data.frame(time = c1$tstop, status = c1$status,
                  arm = factor(ifelse(c1$treat == "placebo", arms[1], arms[2]), arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 400, 100)
  nr <- n_at_risk(fit, 2, tt)
  cols <- c("darkorange", "darkblue")
  draw <- function() {
    par(mar = c(8, 9, 2, 2))
    plot(fit, col = cols, lwd = 1.5, mark.time = TRUE, xaxt = "n", las = 1,
         xlab = "Days since randomisation", ylab = "Free of serious infection")
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lwd = 1.5, bty = "n")
    mtext("No. at risk", side = 1, line = 4, adj = 0, at = -140)
    for (k in 1:2) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -140, col = cols[k], cex = 0.9)
      mtext(nr[k, ], side = 1, line = 4 + k, at = tt, col = cols[k], cex = 0.9)
    }
  }
  devices("h4_rbase_cgd_risk", 6.5, 5, draw)
  meta("h4_rbase_cgd_risk", d, arms, tt, TRUE)
}

# 7. lung by ECOG score: everything survminer's default (strata names, palette, theme,
#    breaks), a risk table and a p value
lung_ecog <- function() {
  ll <- subset(lung, !is.na(ph.ecog) & ph.ecog < 3)
  dd <- data.frame(time = ll$time, status = ll$status - 1, ph.ecog = ll$ph.ecog)
  fit <- surv_fit(Surv(time, status) ~ ph.ecog, data = dd)
  arms <- paste0("ph.ecog=", 0:2)
  p <- ggsurvplot(fit, data = dd, risk.table = TRUE, pval = TRUE)
  d <- data.frame(time = dd$time, status = dd$status, arm = paste0("ph.ecog=", dd$ph.ecog))
  gg_out("h4_gg_lung_ecog_default", p, 7, 7, d, arms, TRUE)
}

# 8. gbsg by hormonal therapy: CI ribbons, theme_bw, risk table, p value, months by 24
gbsg_hormon <- function() {
  arms <- c("No hormonal therapy", "Hormonal therapy")
  d <- with(gbsg, data.frame(time = rfstime / 30.4375, status = status,
                             arm = factor(ifelse(hormon == 1, arms[2], arms[1]), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, pval = TRUE, risk.table = TRUE,
                  palette = c("#E7B800", "#2E9FDF"), ggtheme = theme_bw(),
                  legend.title = "", legend.labs = arms, break.time.by = 24,
                  xlab = "Months", ylab = "Recurrence-free survival",
                  risk.table.height = 0.25)
  gg_out("h4_gg_gbsg_hormon_ci", p, 7, 6.5, d, arms, TRUE)
}

# 9. pbc by oedema: jco palette, '|' marks, risk table coloured by strata, years
pbc_edema <- function() {
  arms <- c("No oedema", "Untreated or resolved", "Despite diuretics")
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = factor(arms[match(edema, c(0, 0.5, 1))], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "jco", censor.shape = "|", censor.size = 3,
                  risk.table = TRUE, risk.table.col = "strata", legend.title = "Oedema",
                  legend.labs = arms, break.time.by = 2, xlab = "Years",
                  risk.table.height = 0.28)
  gg_out("h4_gg_pbc_edema_jco", p, 8, 7, d, arms, TRUE)
}

# 10. mgus2 by sex: grey palette, no marks, theme_classic, risk table, years
mgus2_grey <- function() {
  arms <- c("Female", "Male")
  d <- with(mgus2, data.frame(time = futime / 12, status = death,
                              arm = factor(ifelse(sex == "F", arms[1], arms[2]), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "grey", censor = FALSE, risk.table = TRUE,
                  ggtheme = theme_classic(), legend.title = "Sex", legend.labs = arms,
                  break.time.by = 5, xlab = "Years from diagnosis",
                  ylab = "Overall survival", risk.table.height = 0.25)
  gg_out("h4_gg_mgus2_sex_grey", p, 7, 6, d, arms, FALSE)
}

# 11. ovarian by treatment (cyclophosphamide, with or without adriamycin): p value, risk
#     table, default theme, days
ovarian_pval <- function() {
  arms <- c("CTX", "CTX + ADR")
  d <- with(ovarian, data.frame(time = futime, status = fustat,
                                arm = factor(arms[rx], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, pval = TRUE, risk.table = TRUE,
                  palette = c("#00AFBB", "#FC4E07"), legend.title = "Treatment",
                  legend.labs = arms, break.time.by = 200, xlab = "Days",
                  risk.table.height = 0.25)
  gg_out("h4_gg_ovarian_pval", p, 7, 6, d, arms, TRUE)
}

# 12. colon (recurrence) by treatment: Dark2, percent scale, theme_light, risk table, years
colon_recur <- function() {
  arms <- c("Observation", "Levamisole", "Levamisole + 5-FU")
  cc <- subset(colon, etype == 1)
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[match(as.character(cc$rx), c("Obs", "Lev", "Lev+5FU"))],
                               arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "Dark2", surv.scale = "percent",
                  ggtheme = theme_light(), risk.table = TRUE, legend.title = "",
                  legend.labs = arms, break.time.by = 1, xlab = "Years",
                  ylab = "Recurrence-free survival", risk.table.height = 0.28)
  gg_out("h4_gg_colon_recur_dark2", p, 7.5, 6.5, d, arms, TRUE)
}

# the data sets the Python figures draw (make_heldout4.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h4", name)
  w(with(lung, data.frame(time = time, status = status - 1, sex = sex, ph.ecog = ph.ecog)),
    "lung")
  w(with(subset(colon, etype == 2), data.frame(time = time / 365.25, status = status,
                                                rx = as.character(rx))), "colon")
  w(with(rotterdam, data.frame(time = dtime / 365.25, status = death, hormon = hormon)),
    "rotterdam")
  w(with(gbsg, data.frame(time = rfstime / 365.25, status = status)), "gbsg")
  w(with(veteran, data.frame(time = time, status = status, trt = trt)), "veteran")
  w(with(subset(pbc, !is.na(trt)), data.frame(time = time / 365.25,
                                              status = as.integer(status == 2), trt = trt)),
    "pbc")
}

lung_single(); aml_bw(); gbsg_grade(); pbc_sex(); flchain_grey(); cgd_risk()
lung_ecog(); gbsg_hormon(); pbc_edema(); mgus2_grey(); ovarian_pval(); colon_recur()
python_data()
