# A fifth held-out figure set for the digitizer (R base graphics and survminer): the plain,
# typical figures of each tool with its defaults and common options, on R's data sets in
# dataset x grouping x tool x option combinations none of the other sets draws. R base:
# veteran as one curve with every default of plot.survfit (CI lines, axes), ovarian by ECOG
# performance status in col = 1:2 / lty = 1:2 with marks and the default boxed legend, colon
# deaths by tumour differentiation in col = 2:4 with an at-risk table (mtext + axis), gbsg by
# menopausal status with conf.int = TRUE, myeloid by treatment arm with marks and an at-risk
# table, aml as one curve drawn with fun = "pct" and marks, flchain by age group in grey levels
# and line types drawn in years with xscale = 365.25. survminer, all with risk tables:
# diabetic by laser treatment in jco with a p value, rotterdam deaths by nodal status in npg
# with theme_minimal, colon deaths as one curve with every default, ovarian by residual
# disease with the default palette, CI ribbons and a p value, bladder1's first recurrence by
# treatment in a hex vector with theme_bw, gbsg by nodal status in grey with line types and
# theme_classic, pbc as one curve with its CI ribbon in lancet and theme_light. Nothing is tuned
# on it: it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout5.R OUTDIR
#   python benchmarks/digitize/make_heldout5.py OUTDIR      # then the Python figures
#
# Writes, for each figure h5_*, OUTDIR/h5_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn, time in the unit of the x axis) and .json (arms
# in legend order, times of the printed number-at-risk table, whether censoring marks are
# drawn), as make_figures.R does. A single curve is named by the label drawn for it, or
# "arm 1" when none is drawn. No x axis is cut, so no truth is censored at a limit. Also
# writes OUTDIR/h5_data_*.csv, the data sets the Python maker draws.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout5")

# 1. veteran as one curve: plot.survfit's defaults (the CI lines of a single curve, no marks,
#    default axes and labels parallel to the axis), days
veteran_single <- function() {
  d <- with(veteran, data.frame(time = time, status = status, arm = "arm 1"))
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  draw <- function() plot(fit, xlab = "Days", ylab = "Survival probability")
  devices("h5_rbase_veteran_single", 6, 5, draw)
  meta("h5_rbase_veteran_single", d, "arm 1", numeric(0), FALSE)
}

# 2. ovarian by ECOG performance status: col = 1:2, lty = 1:2, marks, the default boxed
#    legend, days
ovarian_ecog <- function() {
  arms <- c("ECOG 1", "ECOG 2")
  d <- with(ovarian, data.frame(time = futime, status = fustat,
                                arm = factor(paste("ECOG", ecog.ps), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, col = 1:2, lty = 1:2, mark.time = TRUE, xlab = "Days since entry",
         ylab = "Overall survival")
    legend("topright", legend = arms, col = 1:2, lty = 1:2)
  }
  devices("h5_rbase_ovarian_ecog", 6, 5, draw)
  meta("h5_rbase_ovarian_ecog", d, arms, numeric(0), TRUE)
}

# 3. colon deaths by tumour differentiation: col = 2:4, lwd 2, no marks, years, at-risk
#    table drawn with mtext() and axis() under the plot
colon_differ <- function() {
  arms <- c("Well", "Moderate", "Poor")
  cc <- subset(colon, etype == 2 & !is.na(differ))
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[cc$differ], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- 0:9
  nr <- n_at_risk(fit, 3, tt)
  draw <- function() {
    par(mar = c(9, 8, 2, 2))
    plot(fit, col = 2:4, lwd = 2, xaxt = "n", las = 1, xlab = "Years",
         ylab = "Overall survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = 2:4, lwd = 2, bty = "n",
           title = "Differentiation")
    mtext("Number at risk", side = 1, line = 4, adj = 0, at = -2.1)
    for (k in 1:3) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -2.1)
      axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0)
    }
  }
  devices("h5_rbase_colon_differ_risk", 7, 5.5, draw)
  meta("h5_rbase_colon_differ_risk", d, arms, tt, FALSE)
}

# 4. gbsg by menopausal status: conf.int = TRUE (CI lines in the arms' colours), years,
#    boxless legend
gbsg_meno <- function() {
  arms <- c("Premenopausal", "Postmenopausal")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(arms[meno + 1], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("darkorange2", "royalblue3")
  draw <- function() {
    plot(fit, conf.int = TRUE, col = cols, lwd = 1.5, xlab = "Years",
         ylab = "Recurrence-free survival")
    legend("bottomleft", legend = arms, col = cols, lwd = 1.5, bty = "n")
  }
  devices("h5_rbase_gbsg_meno_ci", 6.5, 5, draw)
  meta("h5_rbase_gbsg_meno_ci", d, arms, numeric(0), FALSE)
}

# 5. myeloid by treatment arm: red / blue (col = c(2, 4)), marks, years, at-risk table
myeloid_trt <- function() {
  arms <- c("Arm A", "Arm B")
  d <- with(myeloid, data.frame(time = futime / 365.25, status = death,
                                arm = factor(paste("Arm", trt), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- 0:6
  nr <- n_at_risk(fit, 2, tt)
  draw <- function() {
    par(mar = c(8, 7, 2, 2))
    plot(fit, col = c(2, 4), mark.time = TRUE, xaxt = "n", las = 1,
         xlab = "Years from randomisation", ylab = "Survival")
    axis(1, at = tt)
    legend("topright", legend = arms, col = c(2, 4), lty = 1, bty = "n")
    mtext("No. at risk", side = 1, line = 4, adj = 0, at = -1.5)
    for (k in 1:2) {
      mtext(arms[k], side = 1, line = 4 + k, adj = 0, at = -1.5)
      axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0)
    }
  }
  devices("h5_rbase_myeloid_risk", 6.5, 5, draw)
  meta("h5_rbase_myeloid_risk", d, arms, tt, TRUE)
}

# 6. aml as one curve: fun = "pct" (a percent axis), no CI, marks, lwd 2, weeks
aml_pct <- function() {
  d <- with(aml, data.frame(time = time, status = status, arm = "arm 1"))
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  draw <- function() {
    plot(fit, fun = "pct", conf.int = FALSE, mark.time = TRUE, lwd = 2, las = 1,
         xlab = "Weeks", ylab = "Percent in remission")
  }
  devices("h5_rbase_aml_pct", 6, 5, draw)
  meta("h5_rbase_aml_pct", d, "arm 1", numeric(0), TRUE)
}

# 7. flchain by age group: grey levels and line types, no marks, the fit in days drawn in
#    years with xscale = 365.25 (default axes), legend
flchain_age <- function() {
  arms <- c("Age < 60", "Age 60-69", "Age 70+")
  g <- cut(flchain$age, c(0, 59, 69, Inf), labels = arms)
  d <- data.frame(time = flchain$futime, status = flchain$death, arm = factor(g, arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- gray(c(0, 0.4, 0.6))
  draw <- function() {
    plot(fit, xscale = 365.25, col = cols, lty = 1:3, lwd = 2, las = 1,
         xlab = "Years from sample collection", ylab = "Survival")
    legend("bottomleft", legend = arms, col = cols, lty = 1:3, lwd = 2, bty = "n")
  }
  devices("h5_rbase_flchain_age_grey", 6.5, 5, draw)
  d$time <- d$time / 365.25  # the truth in the unit of the x axis
  meta("h5_rbase_flchain_age_grey", d, arms, numeric(0), FALSE)
}

# 8. diabetic retinopathy by laser treatment: jco palette, p value, risk table, months
diabetic_jco <- function() {
  arms <- c("Control", "Laser")
  d <- with(diabetic, data.frame(time = time, status = status,
                                 arm = factor(arms[trt + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "jco", pval = TRUE, risk.table = TRUE,
                  legend.title = "Treatment", legend.labs = arms, break.time.by = 12,
                  xlab = "Months", ylab = "Free of blindness")
  gg_out("h5_gg_diabetic_jco", p, 7, 6.5, d, arms, TRUE)
}

# 9. rotterdam deaths by nodal status: npg palette, theme_minimal, marks, risk table, years
rotterdam_nodes <- function() {
  arms <- c("Node negative", "1-3 nodes", "4+ nodes")
  d <- with(rotterdam, data.frame(time = dtime / 365.25, status = death,
                                  arm = factor(cut(nodes, c(-1, 0, 3, Inf), labels = arms),
                                               arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "npg", ggtheme = theme_minimal(),
                  risk.table = TRUE, legend.title = "", legend.labs = arms,
                  break.time.by = 2, xlab = "Years since surgery", ylab = "Overall survival",
                  risk.table.height = 0.28)
  gg_out("h5_gg_rotterdam_nodes_npg", p, 7.5, 6.5, d, arms, TRUE)
}

# 10. colon deaths as one curve: every default of ggsurvplot but the risk table and the x
#     label (survminer names the curve "All"; its default CI ribbon), days
colon_single <- function() {
  cc <- subset(colon, etype == 2)
  d <- data.frame(time = cc$time, status = cc$status, arm = "All")
  fit <- surv_fit(Surv(time, status) ~ 1, data = d)
  p <- ggsurvplot(fit, data = d, risk.table = TRUE, xlab = "Days")
  gg_out("h5_gg_colon_single_default", p, 7, 6.5, d, "All", TRUE)
}

# 11. ovarian by residual disease: default palette, CI ribbons, p value, risk table, days
ovarian_resid <- function() {
  arms <- c("No residual disease", "Residual disease")
  d <- with(ovarian, data.frame(time = futime, status = fustat,
                                arm = factor(arms[resid.ds], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, pval = TRUE, risk.table = TRUE,
                  legend.title = "", legend.labs = arms, break.time.by = 200,
                  xlab = "Days")
  gg_out("h5_gg_ovarian_resid_ci", p, 7, 6.5, d, arms, TRUE)
}

# 12. bladder1, time to first recurrence by treatment: a hex vector, theme_bw, marks, risk
#     table, months
bladder_trt <- function() {
  arms <- c("Placebo", "Pyridoxine", "Thiotepa")
  b1 <- subset(bladder1, enum == 1)
  d <- data.frame(time = b1$stop, status = as.integer(b1$status == 1),
                  arm = factor(arms[as.integer(b1$treatment)], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#00AFBB", "#E7B800", "#FC4E07"),
                  ggtheme = theme_bw(), risk.table = TRUE, legend.title = "Treatment",
                  legend.labs = arms, break.time.by = 10, xlab = "Months",
                  ylab = "Free of recurrence", risk.table.height = 0.28)
  gg_out("h5_gg_bladder_trt_hex", p, 7, 6.5, d, arms, TRUE)
}

# 13. gbsg by number of positive nodes: grey palette, line types by strata, no marks,
#     theme_classic, risk table, years
gbsg_nodes <- function() {
  arms <- c("1-3 nodes", "4-9 nodes", "10+ nodes")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(cut(nodes, c(0, 3, 9, Inf), labels = arms), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "grey", linetype = "strata", censor = FALSE,
                  ggtheme = theme_classic(), risk.table = TRUE, legend.title = "",
                  legend.labs = arms, break.time.by = 1, xlab = "Years",
                  ylab = "Recurrence-free survival", risk.table.height = 0.28)
  gg_out("h5_gg_gbsg_nodes_grey", p, 7, 6.5, d, arms, FALSE)
}

# 14. pbc as one curve: CI ribbon, lancet palette, theme_light, marks, risk table, years
pbc_single <- function() {
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = "All"))
  fit <- surv_fit(Surv(time, status) ~ 1, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, palette = "lancet",
                  ggtheme = theme_light(), risk.table = TRUE, break.time.by = 2,
                  xlab = "Years", ylab = "Overall survival", risk.table.height = 0.25)
  gg_out("h5_gg_pbc_single_lancet", p, 6.5, 6, d, "All", TRUE)
}

# the data sets the Python figures draw (make_heldout5.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h5", name)
  w(with(retinopathy, data.frame(time = futime, status = status, type = as.character(type))),
    "retinopathy")
  w(with(mgus2, data.frame(time = futime / 12, status = death)), "mgus2")
  w(with(rotterdam, data.frame(time = dtime / 365.25, status = death,
                               size = as.character(size))), "rotterdam")
  w(with(gbsg, data.frame(time = rfstime / 365.25, status = status, grade = grade)), "gbsg")
  w(with(kidney, data.frame(time = time, status = status, sex = sex)), "kidney")
  w(with(subset(colon, etype == 1), data.frame(time = time / 365.25, status = status,
                                                rx = as.character(rx))), "colon")
  w(with(stanford2, data.frame(time = time, status = status)), "stanford2")
}

veteran_single(); ovarian_ecog(); colon_differ(); gbsg_meno(); myeloid_trt(); aml_pct()
flchain_age(); diabetic_jco(); rotterdam_nodes(); colon_single(); ovarian_resid()
bladder_trt(); gbsg_nodes(); pbc_single()
python_data()
