# A sixth held-out figure set for the digitizer (R base graphics and survminer): figures as
# published papers draw them, on R's data sets by groupings none of the other sets uses and on
# simulated trials, in dataset x grouping x tool x option combinations none of the other sets
# draws. R base: lung by weight-loss tertile in months, Dark2 colours, lwd 2, marks, x ticks
# every 6 months by axis() and an at-risk table in the arms' colours (mtext + axis); nwtco
# relapse by stage in four Okabe-Ito colours with a y axis labelled 0-100 by axis(); kidney
# infections by disease in black line types with marks and the default boxed legend; a
# simulated 25-patient phase 2 single arm in months with its CI lines, marks and a one-row
# at-risk table; veteran by Karnofsky score (< 60 / >= 60) with CI lines; cgd's first
# infection by inheritance drawn with fun = "pct" in black / grey dashed with marks; myeloid
# by sex in years with an at-risk table in the arms' colours; stanford2 by T5 mismatch score
# in years with yearly ticks and marks. survminer, all with risk tables: a simulated 300-patient
# trial with hazard ratio 0.7 in months (palette c("#E7B800", "#2E9FDF"), CI ribbons,
# censor.shape = "|", breaks every 6 months, theme_bw, theme_cleantable tables); colon
# recurrence by node4 with theme_pubr, a hex pair, a p value and fontsize 3.5; diabetic
# retinopathy by eye in black / grey55 solid / dashed with "+" marks, theme_classic and
# theme_cleantable; flchain deaths by FLC decile group with CI ribbons and no marks; mgus2
# progression by M-spike size in lancet hex colours with theme_pubr; retinopathy by risk group
# in Set1 with a table coloured by strata and the legend at the bottom; pbc by bilirubin group
# in Set2 with theme_bw and fontsize 3. Nothing is tuned on it: it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout6.R OUTDIR
#   python benchmarks/digitize/make_heldout6.py OUTDIR      # then the Python figures
#
# Writes, for each figure h6_*, OUTDIR/h6_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn, time in the unit of the x axis) and .json (arms
# in legend order, times of the printed number-at-risk table, whether censoring marks are
# drawn), as make_figures.R does. A single curve is named by the label drawn for it, or
# "arm 1" when none is drawn. No x axis is cut, so no truth is censored at a limit. Also
# writes OUTDIR/h6_data_*.csv, the data sets the Python maker draws.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout6")

# 1. lung by weight-loss tertile: Dark2 colours, lwd 2, marks, months with ticks every 6 by
#    axis(), boxless legend bottom left, at-risk table in the arms' colours
lung_wtloss <- function() {
  arms <- c("Lowest tertile", "Middle tertile", "Highest tertile")
  ll <- subset(lung, !is.na(wt.loss))
  g <- cut(ll$wt.loss, c(-Inf, quantile(ll$wt.loss, c(1, 2) / 3), Inf), labels = arms)
  d <- data.frame(time = ll$time / 30.4375, status = ll$status - 1, arm = factor(g, arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#1b9e77", "#d95f02", "#7570b3")
  tt <- seq(0, 36, 6)
  draw <- function() {
    par(mar = c(10, 9, 2, 2))
    plot(fit, col = cols, lwd = 2, mark.time = TRUE, xaxt = "n", las = 1, xlim = c(0, 36),
         xlab = "Months", ylab = "Overall survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lwd = 2, bty = "n",
           title = "Weight loss")
    risk_table(fit, arms, tt, at0 = -0.4 * 36, cex = 0.9, cols = cols)
  }
  devices("h6_rbase_lung_wtloss_risk", 7, 5.5, draw)
  meta("h6_rbase_lung_wtloss_risk", d, arms, tt, TRUE)
}

# 2. nwtco relapse by stage: four Okabe-Ito colours, no marks, years with ticks every 2, a y
#    axis labelled 0-100 by axis(), boxless legend with a title
nwtco_stage <- function() {
  arms <- c("Stage I", "Stage II", "Stage III", "Stage IV")
  d <- with(nwtco, data.frame(time = edrel / 365.25, status = rel,
                              arm = factor(arms[stage], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#000000", "#E69F00", "#56B4E9", "#009E73")
  draw <- function() {
    par(mar = c(5, 5, 2, 2))
    plot(fit, col = cols, lwd = 1.5, xaxt = "n", yaxt = "n", xlim = c(0, 18),
         xlab = "Years from diagnosis", ylab = "Relapse-free survival (%)")
    axis(1, at = seq(0, 18, 2))
    axis(2, at = seq(0, 1, 0.2), labels = seq(0, 100, 20), las = 1)
    legend("bottomleft", legend = arms, col = cols, lwd = 1.5, bty = "n", title = "Stage")
  }
  devices("h6_rbase_nwtco_stage_pct", 6.5, 5, draw)
  meta("h6_rbase_nwtco_stage_pct", d, arms, numeric(0), FALSE)
}

# 3. kidney infections by disease: black, lty = 1:4, marks, the default boxed legend, days
kidney_disease <- function() {
  arms <- c("Other", "GN", "AN", "PKD")
  d <- with(kidney, data.frame(time = time, status = status,
                               arm = factor(as.character(disease), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, lty = 1:4, mark.time = TRUE, las = 1, xlab = "Days to infection",
         ylab = "Proportion free of infection")
    legend("topright", legend = arms, lty = 1:4)
  }
  devices("h6_rbase_kidney_disease_bw", 6, 5, draw)
  meta("h6_rbase_kidney_disease_bw", d, arms, numeric(0), TRUE)
}

# 4. a simulated 25-patient phase 2 single arm: the CI lines of a single curve, lwd 2, marks,
#    months with ticks every 6, a one-row at-risk table named after the cohort
phase2_single <- function() {
  arm <- "All patients"
  d <- sim_trial(arm, 25, 14, c(6, 30), 606, digits = 1)
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  tt <- seq(0, 30, 6)
  draw <- function() {
    par(mar = c(7.5, 8, 2, 2))
    plot(fit, col = "#2166ac", lwd = 2, mark.time = TRUE, xaxt = "n", las = 1,
         xlim = c(0, 30), xlab = "Months since enrolment",
         ylab = "Progression-free survival")
    axis(1, at = tt)
    risk_table(fit, arm, tt, at0 = -0.4 * 30, title = "No. at risk")
  }
  devices("h6_rbase_phase2_single_risk", 6, 4.8, draw)
  meta("h6_rbase_phase2_single_risk", d, arm, tt, TRUE)
}

# 5. veteran by Karnofsky score (< 60 / >= 60): conf.int = TRUE (CI lines in the arms'
#    colours), a Dark2 pair, lwd 2, days with ticks every 100, boxless legend top right
veteran_karno <- function() {
  arms <- c("Karnofsky 10-50", "Karnofsky 60-99")
  d <- with(veteran, data.frame(time = time, status = status,
                                arm = factor(arms[(karno >= 60) + 1], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#1b9e77", "#d95f02")
  draw <- function() {
    plot(fit, conf.int = TRUE, col = cols, lwd = 2, xaxt = "n", las = 1, xlim = c(0, 1000),
         xlab = "Days", ylab = "Survival probability")
    axis(1, at = seq(0, 1000, 100))
    legend("topright", legend = arms, col = cols, lwd = 2, bty = "n")
  }
  devices("h6_rbase_veteran_karno_ci", 6.5, 5, draw)
  meta("h6_rbase_veteran_karno_ci", d, arms, numeric(0), FALSE)
}

# 6. cgd, time to first infection by inheritance: fun = "pct" (a percent axis), black / grey50
#    solid / dashed, lwd 2, marks, days, boxless legend bottom left
cgd_inherit <- function() {
  arms <- c("X-linked", "Autosomal recessive")
  c1 <- subset(cgd, enum == 1)
  d <- data.frame(time = c1$tstop, status = c1$status,
                  arm = factor(arms[as.integer(c1$inherit)], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("black", "grey50")
  draw <- function() {
    plot(fit, fun = "pct", col = cols, lty = 1:2, lwd = 2, mark.time = TRUE, las = 1,
         xlab = "Days from randomisation", ylab = "Free of serious infection (%)")
    legend("bottomleft", legend = arms, col = cols, lty = 1:2, lwd = 2, bty = "n")
  }
  devices("h6_rbase_cgd_inherit_pct", 6.5, 5, draw)
  meta("h6_rbase_cgd_inherit_pct", d, arms, numeric(0), TRUE)
}

# 7. myeloid by sex: red / blue, lwd 1.5, no marks, years with yearly ticks, boxless legend,
#    at-risk table in the arms' colours
myeloid_sex <- function() {
  arms <- c("Female", "Male")
  d <- with(myeloid, data.frame(time = futime / 365.25, status = death,
                                arm = factor(arms[as.integer(sex)], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#E41A1C", "#377EB8")
  tt <- 0:7
  draw <- function() {
    par(mar = c(8.5, 7, 2, 2))
    plot(fit, col = cols, lwd = 1.5, xaxt = "n", las = 1, xlim = c(0, 7),
         xlab = "Years", ylab = "Overall survival")
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lwd = 1.5, bty = "n")
    risk_table(fit, arms, tt, at0 = -1.6, cols = cols)
  }
  devices("h6_rbase_myeloid_sex_risk", 6.5, 5, draw)
  meta("h6_rbase_myeloid_sex_risk", d, arms, tt, FALSE)
}

# 8. stanford2 by T5 mismatch score (< 1 / >= 1, missing scores left out): navy / firebrick
#    solid / dashed, marks, years with yearly ticks, boxless legend
stanford2_t5 <- function() {
  arms <- c("T5 < 1.0", "T5 1.0-3.1")
  st <- subset(stanford2, !is.na(t5))
  d <- data.frame(time = st$time / 365.25, status = st$status,
                  arm = factor(arms[(st$t5 >= 1) + 1], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("navy", "firebrick")
  draw <- function() {
    plot(fit, col = cols, lty = 1:2, lwd = 1.5, mark.time = TRUE, xaxt = "n", las = 1,
         xlim = c(0, 11), xlab = "Years after transplant", ylab = "Survival")
    axis(1, at = 0:11)
    legend("topright", legend = arms, col = cols, lty = 1:2, lwd = 1.5, bty = "n",
           title = "Mismatch score")
  }
  devices("h6_rbase_stanford2_t5_marks", 6.5, 5, draw)
  meta("h6_rbase_stanford2_t5_marks", d, arms, numeric(0), TRUE)
}

# 9. a simulated 300-patient trial, hazard ratio 0.7: yellow / blue, CI ribbons, "|" marks,
#    months by 6, theme_bw, risk table in theme_cleantable at height 0.25
sim_hr07 <- function() {
  arms <- c("Control", "Experimental")
  d <- sim_trial(arms, 150, c(12, 12 / 0.7), c(12, 48), 707)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#E7B800", "#2E9FDF"), conf.int = TRUE,
                  censor.shape = "|", break.time.by = 6, risk.table = TRUE,
                  risk.table.height = 0.25, legend.title = "", legend.labs = arms,
                  ggtheme = theme_bw(), tables.theme = theme_cleantable(),
                  xlab = "Months since randomisation", ylab = "Overall survival")
  gg_out("h6_gg_sim_hr07_ci", p, 7, 6.5, d, arms, TRUE)
}

# 10. colon recurrence by node4 (more than 4 positive nodes): theme_pubr, a hex pair, marks,
#     p value, risk table with fontsize 3.5, years
colon_node4 <- function() {
  arms <- c("0-4 positive nodes", "5 or more positive nodes")
  cc <- subset(colon, etype == 1)
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[cc$node4 + 1], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#0072B5", "#BC3C29"), ggtheme = theme_pubr(),
                  pval = TRUE, risk.table = TRUE, fontsize = 3.5, legend.title = "",
                  legend.labs = arms, break.time.by = 1, xlab = "Years",
                  ylab = "Recurrence-free survival")
  gg_out("h6_gg_colon_node4_pubr", p, 7, 6.5, d, arms, TRUE)
}

# 11. diabetic retinopathy by eye: black / grey55, solid / dashed, "+" marks, theme_classic,
#     risk table in theme_cleantable, months by 12
diabetic_eye <- function() {
  arms <- c("Left eye", "Right eye")
  d <- with(diabetic, data.frame(time = time, status = status,
                                 arm = factor(arms[as.integer(factor(eye, c("left", "right")))],
                                              arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("black", "grey55"),
                  linetype = c("solid", "dashed"), censor.shape = "+",
                  ggtheme = theme_classic(), tables.theme = theme_cleantable(),
                  risk.table = TRUE, legend.title = "", legend.labs = arms,
                  break.time.by = 12, xlab = "Months", ylab = "Free of blindness")
  gg_out("h6_gg_diabetic_eye_bw", p, 7, 6.5, d, arms, TRUE)
}

# 12. flchain deaths by FLC decile group (1-7 / 8-10): CI ribbons, no marks, the default
#     palette and theme, risk table at height 0.25, years by 2
flchain_flc <- function() {
  arms <- c("FLC deciles 1-7", "FLC deciles 8-10")
  d <- with(flchain, data.frame(time = futime / 365.25, status = death,
                                arm = factor(arms[(flc.grp >= 8) + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, censor = FALSE, risk.table = TRUE,
                  risk.table.height = 0.25, legend.title = "", legend.labs = arms,
                  break.time.by = 2, xlab = "Years from sample collection",
                  ylab = "Overall survival")
  gg_out("h6_gg_flchain_flc_ci", p, 7, 6.5, d, arms, FALSE)
}

# 13. mgus2, time to progression to a plasma cell malignancy by M-spike size (< 1.5 / >= 1.5
#     g/dl, missing sizes left out): lancet's hex pair, "|" marks of size 3, theme_pubr,
#     risk table at height 0.25, years by 5
mgus2_mspike <- function() {
  arms <- c("M-spike < 1.5 g/dl", "M-spike 1.5-3 g/dl")
  mg <- subset(mgus2, !is.na(mspike))
  d <- data.frame(time = mg$ptime / 12, status = mg$pstat,
                  arm = factor(arms[(mg$mspike >= 1.5) + 1], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#00468B", "#ED0000"), censor.shape = "|",
                  censor.size = 3, ggtheme = theme_pubr(), risk.table = TRUE,
                  risk.table.height = 0.25, legend.title = "", legend.labs = arms,
                  break.time.by = 5, xlab = "Years from diagnosis",
                  ylab = "Free of progression")
  gg_out("h6_gg_mgus2_mspike_pubr", p, 7, 6.5, d, arms, TRUE)
}

# 14. retinopathy by risk group (6-9 / 10-12): Set1, marks, risk table coloured by strata,
#     legend at the bottom, months by 12
retinopathy_risk <- function() {
  arms <- c("Low risk (6-9)", "High risk (10-12)")
  d <- with(retinopathy, data.frame(time = futime, status = status,
                                    arm = factor(arms[(risk >= 10) + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "Set1", risk.table = TRUE,
                  risk.table.col = "strata", legend = "bottom", legend.title = "Risk group",
                  legend.labs = arms, break.time.by = 12, xlab = "Months",
                  ylab = "Free of severe vision loss")
  gg_out("h6_gg_retinopathy_risk_set1", p, 7, 6.5, d, arms, TRUE)
}

# 15. pbc by serum bilirubin (< 1 / 1-3 / > 3 mg/dl): Set2, "|" marks, theme_bw, risk table
#     with fontsize 3 at height 0.3, years by 2
pbc_bili <- function() {
  arms <- c("Bilirubin < 1", "Bilirubin 1-3", "Bilirubin > 3")
  d <- with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                            arm = factor(cut(bili, c(0, 0.95, 3, Inf), labels = arms), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "Set2", censor.shape = "|", ggtheme = theme_bw(),
                  risk.table = TRUE, fontsize = 3, risk.table.height = 0.3,
                  legend.title = "", legend.labs = arms, break.time.by = 2,
                  xlab = "Years", ylab = "Transplant-free survival")
  gg_out("h6_gg_pbc_bili_set2", p, 7, 7, d, arms, TRUE)
}

# the data sets the Python figures draw (make_heldout6.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h6", name)
  w(with(gbsg, data.frame(time = rfstime / 365.25, status = status, pgr = pgr)), "gbsg")
  w(with(subset(colon, etype == 2), data.frame(time = time / 365.25, status = status,
                                                extent = extent)), "colon")
  w(with(nafld1, data.frame(time = futime / 365.25, status = status, age = age)), "nafld")
  w(with(subset(cgd, enum == 1), data.frame(time = tstop, status = status,
                                             sex = as.character(sex))), "cgd")
  w(with(lung, data.frame(time = time, status = status - 1, age = age)), "lung")
}

lung_wtloss(); nwtco_stage(); kidney_disease(); phase2_single(); veteran_karno()
cgd_inherit(); myeloid_sex(); stanford2_t5(); sim_hr07(); colon_node4(); diabetic_eye()
flchain_flc(); mgus2_mspike(); retinopathy_risk(); pbc_bili()
python_data()
