# A seventh held-out figure set for the digitizer (R base graphics and survminer), drawn with
# options none of the other sets uses, on R's data sets by groupings none of them draws. R base:
# rotterdam deaths by age group in years with "+" marks, bty = "l", xaxs = "i" (the curves
# start on the y axis line) and an at-risk table; colon deaths by sex drawn with xscale =
# 365.25 (days plotted in years) and lwd 3, boxed legend; gbsg by tumour size in three greys,
# solid; lung by sex with its CI lines dotted and cex 1.3 text; the rats trial (female
# litters) in black solid / long-dashed with marks; udca1 treatment failure in months with big
# marks (cex 1.5) and a boxed legend bottom right. survminer, all with risk tables: lung by
# ECOG score with surv.median.line = "hv" (dashed median lines); veteran by treatment with
# theme_minimal (grid lines) and tables.y.text = FALSE (coloured bars for the table's names);
# gbsg by hormonal therapy with conf.int.style = "step" (CI step lines, not ribbons); colon
# recurrence by treatment with xscale = "d_y" (days shown in years) and table names in the
# arms' colours; a simulated 80-patient trial with thin lines (size 0.5) and theme_light; the
# male lung patients as one curve with its CI ribbon and median line. Nothing is tuned on it:
# it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout7.R OUTDIR
#   python benchmarks/digitize/make_heldout7.py OUTDIR      # then the Python figures
#
# Writes, for each figure h7_*, OUTDIR/h7_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn, time in the unit of the x axis) and .json (arms
# in legend order, times of the printed number-at-risk table in the unit of the x axis,
# whether censoring marks are drawn), as make_figures.R does. A single curve is named by the
# label drawn for it. No x axis is cut, so no truth is censored at a limit. Also writes
# OUTDIR/h7_data_*.csv, the data sets the Python maker draws.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout7")

# 1. rotterdam deaths by age group: navy / firebrick / dark green, "+" marks, bty = "l",
#    xaxs = "i", years with ticks every 2, an at-risk table
rotterdam_age <- function() {
  arms <- c("Age < 50", "Age 50-65", "Age > 65")
  g <- cut(rotterdam$age, c(-Inf, 49, 65, Inf), labels = arms)
  d <- data.frame(time = rotterdam$dtime / 365.25, status = rotterdam$death,
                  arm = factor(g, arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("navy", "firebrick", "darkgreen")
  tt <- seq(0, 18, 2)
  draw <- function() {
    par(mar = c(9, 7, 2, 2))
    plot(fit, col = cols, lwd = 1.5, mark.time = TRUE, bty = "l", xaxs = "i",
         xaxt = "n", las = 1, xlim = c(0, 19), xlab = "Years since surgery",
         ylab = "Overall survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lwd = 1.5, bty = "n")
    risk_table(fit, arms, tt, at0 = -4.4, cex = 0.9)
  }
  devices("h7_rbase_rotterdam_age_risk", 7, 5.5, draw)
  meta("h7_rbase_rotterdam_age_risk", d, arms, tt, TRUE)
}

# 2. colon deaths by sex: days plotted in years by xscale = 365.25, lwd 3, boxed legend top
#    right, no marks
colon_sex_thick <- function() {
  arms <- c("Female", "Male")
  cc <- subset(colon, etype == 2)
  dd <- data.frame(time = cc$time, status = cc$status, arm = factor(arms[cc$sex + 1], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = dd)
  d <- dd
  d$time <- d$time / 365.25
  draw <- function() {
    plot(fit, xscale = 365.25, col = c("#CC79A7", "#0072B2"), lwd = 3, las = 1,
         xlab = "Years", ylab = "Overall survival")
    legend("topright", legend = arms, col = c("#CC79A7", "#0072B2"), lwd = 3)
  }
  devices("h7_rbase_colon_sex_thick", 6.5, 5, draw)
  meta("h7_rbase_colon_sex_thick", d, arms, numeric(0), FALSE)
}

# 3. gbsg by tumour size: three greys (grey10, grey45, grey70), solid, lwd 2, no marks, years
gbsg_size_greys <- function() {
  arms <- c("<= 20 mm", "21-50 mm", "> 50 mm")
  g <- cut(gbsg$size, c(-Inf, 20, 50, Inf), labels = arms)
  d <- data.frame(time = gbsg$rfstime / 365.25, status = gbsg$status, arm = factor(g, arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("grey10", "grey45", "grey70")
  draw <- function() {
    plot(fit, col = cols, lwd = 2, las = 1, xlab = "Years",
         ylab = "Recurrence-free survival")
    legend("bottomleft", legend = arms, col = cols, lwd = 2, bty = "n", title = "Tumour size")
  }
  devices("h7_rbase_gbsg_size_greys", 6.5, 5, draw)
  meta("h7_rbase_gbsg_size_greys", d, arms, numeric(0), FALSE)
}

# 4. lung by sex: CI lines dotted (lty 3) in the arms' colours, cex 1.3 for all text, months
lung_sex_dotted_ci <- function() {
  arms <- c("Male", "Female")
  d <- data.frame(time = lung$time / 30.4375, status = lung$status - 1,
                  arm = factor(arms[lung$sex], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#0072B2", "#D55E00")
  draw <- function() {
    par(cex = 1.3, mar = c(4.5, 4.5, 1, 1))
    plot(fit, conf.int = TRUE, col = rep(cols, each = 3), lty = rep(c(1, 3, 3), 2),
         lwd = 1.5, las = 1, xlab = "Months", ylab = "Survival probability")
    legend("topright", legend = arms, col = cols, lwd = 1.5, bty = "n")
  }
  devices("h7_rbase_lung_sex_dotted_ci", 6.5, 5, draw)
  meta("h7_rbase_lung_sex_dotted_ci", d, arms, numeric(0), FALSE)
}

# 5. the rats trial, female litters: black, solid / long-dashed (lty 5), marks, weeks
rats_female <- function() {
  arms <- c("Control", "Drug")
  r <- subset(rats, sex == "f")
  d <- data.frame(time = r$time, status = r$status, arm = factor(arms[r$rx + 1], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, lty = c(1, 5), lwd = 1.5, mark.time = TRUE, las = 1, ylim = c(0, 1),
         xlab = "Weeks", ylab = "Tumour-free")
    legend("bottomleft", legend = arms, lty = c(1, 5), lwd = 1.5, bty = "n")
  }
  devices("h7_rbase_rats_female_bw", 6, 5, draw)
  meta("h7_rbase_rats_female_bw", d, arms, numeric(0), TRUE)
}

# 6. udca1 treatment failure by treatment: months, big marks (cex 1.5), boxed legend bottom
#    right, x ticks every 12 months
udca_trt <- function() {
  arms <- c("Placebo", "UDCA")
  d <- data.frame(time = as.numeric(udca1$futime) / 30.4375,
                  status = as.numeric(udca1$status), arm = factor(arms[udca1$trt + 1], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("grey40", "#E7298A")
  draw <- function() {
    plot(fit, col = cols, lwd = 1.5, mark.time = TRUE, cex = 1.5, xaxt = "n", las = 1,
         xlim = c(0, 72), xlab = "Months from randomisation",
         ylab = "Free of treatment failure")
    axis(1, at = seq(0, 72, 12))
    legend("bottomright", legend = arms, col = cols, lwd = 1.5)
  }
  devices("h7_rbase_udca_trt_marks", 6.5, 5, draw)
  meta("h7_rbase_udca_trt_marks", d, arms, numeric(0), TRUE)
}

# 7. lung by ECOG score (0 / 1 / 2-3): surv.median.line = "hv", no CI, marks, months by 6
lung_ecog_median <- function() {
  arms <- c("ECOG 0", "ECOG 1", "ECOG 2-3")
  ll <- subset(lung, !is.na(ph.ecog))
  d <- data.frame(time = ll$time / 30.4375, status = ll$status - 1,
                  arm = factor(arms[pmin(ll$ph.ecog, 2) + 1], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#00A087", "#3C5488", "#DC0000"),
                  surv.median.line = "hv", risk.table = TRUE, break.time.by = 6,
                  legend.title = "", legend.labs = arms, xlab = "Months",
                  ylab = "Overall survival")
  gg_out("h7_gg_lung_ecog_median", p, 7, 6.5, d, arms, TRUE)
}

# 8. veteran by treatment: theme_minimal (grid lines), marks, coloured bars for the table's
#    names (tables.y.text = FALSE), days by 100
veteran_minimal <- function() {
  arms <- c("Standard", "Test")
  d <- with(veteran, data.frame(time = time, status = status, arm = factor(arms[trt], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#E69F00", "#56B4E9"), risk.table = TRUE,
                  tables.y.text = FALSE, ggtheme = theme_minimal(), break.time.by = 100,
                  legend.title = "Treatment", legend.labs = arms, xlab = "Days",
                  ylab = "Survival probability")
  gg_out("h7_gg_veteran_minimal_bars", p, 7, 6.5, d, arms, TRUE)
}

# 9. gbsg by hormonal therapy: CI as step lines (conf.int.style = "step"), no marks, years
gbsg_hormon_step_ci <- function() {
  arms <- c("No hormonal therapy", "Hormonal therapy")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(arms[hormon + 1], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#D55E00", "#0072B2"), conf.int = TRUE,
                  conf.int.style = "step", censor = FALSE, risk.table = TRUE,
                  break.time.by = 1, legend.title = "", legend.labs = arms,
                  xlab = "Years", ylab = "Recurrence-free survival")
  gg_out("h7_gg_gbsg_hormon_step_ci", p, 7, 6.5, d, arms, FALSE)
}

# 10. colon recurrence by treatment: xscale = "d_y" (days shown in years, breaks every year),
#     Dark2, marks, table names in the arms' colours
colon_rx_years <- function() {
  arms <- c("Observation", "Levamisole", "Levamisole + 5-FU")
  cc <- subset(colon, etype == 1)
  dd <- data.frame(time = cc$time, status = cc$status,
                   arm = factor(c(Obs = arms[1], Lev = arms[2], `Lev+5FU` = arms[3])[
                     as.character(cc$rx)], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = dd)
  p <- ggsurvplot(fit, data = dd, palette = "Dark2", xscale = "d_y", break.time.by = 365.25,
                  risk.table = TRUE, risk.table.y.text.col = TRUE, legend.title = "",
                  legend.labs = arms, xlab = "Years", ylab = "Recurrence-free survival")
  d <- dd
  d$time <- d$time / 365.25
  # (the table's data hold year 9 too, past the axis's end at 3000 days: not drawn)
  gg_out("h7_gg_colon_rx_years", p, 7, 6.5, d, arms, TRUE, times = 0:8)
}

# 11. a simulated 80-patient trial: thin lines (size 0.5), theme_light, "|" marks, months by 3
sim_small_light <- function() {
  arms <- c("Placebo", "Active")
  d <- sim_trial(arms, 40, c(9, 15), c(6, 30), 717, digits = 1)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, size = 0.5, ggtheme = theme_light(), censor.shape = "|",
                  palette = c("#B2182B", "#2166AC"), risk.table = TRUE, break.time.by = 3,
                  legend.title = "", legend.labs = arms, xlab = "Months",
                  ylab = "Progression-free survival")
  gg_out("h7_gg_sim_small_light", p, 7, 6.5, d, arms, TRUE)
}

# 12. male lung patients, one curve: CI ribbon, median line, marks, days by 200
lung_male_single <- function() {
  arm <- "Men"
  ll <- subset(lung, sex == 1)
  d <- data.frame(time = ll$time, status = ll$status - 1, arm = factor(arm))
  fit <- surv_fit(Surv(time, status) ~ 1, data = d)
  p <- ggsurvplot(fit, data = d, palette = "#7B3294", conf.int = TRUE,
                  surv.median.line = "hv", risk.table = TRUE, break.time.by = 200,
                  legend = "none", legend.labs = arm, xlab = "Days",
                  ylab = "Overall survival")
  gg_out("h7_gg_lung_male_single_median", p, 7, 6.5, d, arm, TRUE)
}

# the data sets the Python figures draw (make_heldout7.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h7", name)
  w(with(gbsg, data.frame(time = rfstime / 365.25, status = status, meno = meno)), "gbsg")
  w(with(veteran, data.frame(time = time, status = status,
                             celltype = as.character(celltype))), "veteran")
  w(with(subset(colon, etype == 2), data.frame(time = time / 365.25, status = status,
                                                sex = sex)), "colon")
  w(with(lung, data.frame(time = time, status = status - 1)), "lung")
  w(with(pbc, data.frame(time = time / 365.25, status = as.integer(status == 2),
                         trt = trt))[!is.na(pbc$trt), ], "pbc")
}

rotterdam_age(); colon_sex_thick(); gbsg_size_greys(); lung_sex_dotted_ci(); rats_female()
udca_trt(); lung_ecog_median(); veteran_minimal(); gbsg_hormon_step_ci(); colon_rx_years()
sim_small_light(); lung_male_single()
python_data()
