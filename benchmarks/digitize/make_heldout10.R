# A tenth held-out figure set for the digitizer (R base graphics and survminer), on the data
# sets the benchmark names (lung, colon, veteran, gbsg, pbc), in tool x option combinations
# none of the other sets draws: R base lung by sex with "+" marks, lwd 2 and an at-risk table
# in the curves' colours; colon deaths by extent of spread in black line types with a title;
# veteran by prior therapy with CI lines; survminer lung by sex as in its README (CI ribbons,
# "|" marks, the risk table coloured by strata, theme_classic), colon recurrence by treatment
# with median lines and theme_cleantable() under the plot, pbc by treatment in black and grey
# line types with theme_bw(), gbsg by grade on a percent scale with the legend on the right,
# veteran by treatment with step-shaped CI bands. Nothing is tuned on it: it is measured
# after changes.
#
#   Rscript benchmarks/digitize/make_heldout10.R OUTDIR
#   python benchmarks/digitize/make_heldout10.py OUTDIR      # then the Python figures
#
# Writes, for each figure h10_*, the files make_heldout8.R writes, and OUTDIR/h10_data_*.csv.
# No x axis is cut.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout10")

# 1. lung by sex: R base, orange / steel blue lwd 2, "+" marks, las = 1, days, an at-risk
#    table with its rows in the curves' colours
lung_sex_marks_risk <- function() {
  arms <- c("Male", "Female")
  d <- data.frame(time = lung$time, status = lung$status - 1,
                  arm = factor(arms[lung$sex], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("darkorange", "steelblue")
  tt <- seq(0, 1000, 200)
  draw <- function() {
    par(mar = c(9, 7, 2, 2))
    plot(fit, col = cols, lwd = 2, mark.time = TRUE, las = 1, xaxt = "n", xlim = c(0, 1000),
         xlab = "Days", ylab = "Overall survival")
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lwd = 2, bty = "n")
    risk_rows(fit, arms, tt, at0 = -190, cex = 0.9, cols = cols)
  }
  devices("h10_rbase_lung_sex_marks_risk", 7, 5.5, draw)
  meta("h10_rbase_lung_sex_marks_risk", d, arms, tt, TRUE)
}

# 2. colon deaths by extent of local spread (submucosa or muscle / serosa / contiguous
#    structures): black, lty 1 / 2 / 3, lwd 1.5, no marks, a title, years
colon_extent_bw <- function() {
  arms <- c("Submucosa or muscle", "Serosa", "Contiguous structures")
  cc <- subset(colon, etype == 2)
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[pmax(cc$extent, 2) - 1], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, lty = 1:3, lwd = 1.5, xlab = "Years since randomisation",
         ylab = "Proportion alive", main = "Overall survival by extent of spread")
    legend("bottomleft", legend = arms, lty = 1:3, lwd = 1.5, bty = "n")
  }
  devices("h10_rbase_colon_extent_bw", 6.5, 5, draw)
  meta("h10_rbase_colon_extent_bw", d, arms, numeric(0), FALSE)
}

# 3. veteran by prior therapy: R base, red / blue with their 95% CI lines (dashed, the
#    default), no marks, days
veteran_prior_ci <- function() {
  arms <- c("No prior therapy", "Prior therapy")
  d <- with(veteran, data.frame(time = time, status = status,
                                arm = factor(arms[(prior == 10) + 1], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("firebrick", "royalblue")
  draw <- function() {
    plot(fit, col = cols, conf.int = TRUE, lwd = 1.5, xlab = "Days", ylab = "Survival",
         las = 1)
    legend("topright", legend = arms, col = cols, lwd = 1.5, bty = "n")
  }
  devices("h10_rbase_veteran_prior_ci", 6.5, 5, draw)
  meta("h10_rbase_veteran_prior_ci", d, arms, numeric(0), FALSE)
}

# 4. lung by sex as in survminer's README: CI ribbons, "|" marks, the risk table coloured by
#    strata, theme_classic(), days by 250
lung_sex_readme <- function() {
  arms <- c("Male", "Female")
  d <- data.frame(time = lung$time, status = lung$status - 1,
                  arm = factor(arms[lung$sex], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, risk.table = TRUE,
                  risk.table.col = "strata", ggtheme = theme_classic(),
                  palette = c("#E7B800", "#2E9FDF"), censor.shape = "|", censor.size = 4,
                  break.time.by = 250, legend.labs = arms, legend.title = "Sex",
                  xlab = "Time in days", risk.table.height = 0.25)
  gg_out("h10_gg_lung_sex_readme", p, 7, 6.5, d, arms, TRUE)
}

# 5. colon recurrence by treatment: survminer, median lines (surv.median.line = "hv"), no
#    marks, theme_cleantable() for the risk table, years
colon_rx_median <- function() {
  arms <- c("Observation", "Levamisole", "Levamisole + 5-FU")
  cc <- subset(colon, etype == 1)
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[as.integer(cc$rx)], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, surv.median.line = "hv", censor = FALSE,
                  risk.table = TRUE, tables.theme = theme_cleantable(),
                  palette = c("#4477AA", "#EE6677", "#228833"), break.time.by = 1,
                  legend.labs = arms, legend.title = "", xlab = "Years",
                  ylab = "Recurrence-free survival")
  gg_out("h10_gg_colon_rx_median_clean", p, 7.5, 6.5, d, arms, FALSE)
}

# 6. pbc by treatment: survminer, black solid / grey50 dashed, no marks, theme_bw(), years
pbc_trt_black_grey <- function() {
  arms <- c("D-penicillamine", "Placebo")
  p0 <- subset(pbc, !is.na(trt))
  d <- data.frame(time = p0$time / 365.25, status = as.integer(p0$status == 2),
                  arm = factor(arms[p0$trt], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("black", "grey50"),
                  linetype = c("solid", "dashed"), censor = FALSE, risk.table = TRUE,
                  ggtheme = theme_bw(), break.time.by = 2, legend.labs = arms,
                  legend.title = "", xlab = "Years", ylab = "Transplant-free survival")
  gg_out("h10_gg_pbc_trt_black_grey", p, 7, 6.5, d, arms, FALSE)
}

# 7. gbsg by tumour grade: survminer, three arms on a percent scale, the legend on the
#    right, default palette, marks, risk table, years
gbsg_grade_percent <- function() {
  arms <- c("Grade 1", "Grade 2", "Grade 3")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(arms[grade], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, surv.scale = "percent", legend = "right",
                  risk.table = TRUE, break.time.by = 1, legend.labs = arms,
                  legend.title = "Grade", xlab = "Years",
                  ylab = "Recurrence-free survival")
  gg_out("h10_gg_gbsg_grade_percent_right", p, 8, 6.5, d, arms, TRUE)
}

# 8. veteran by treatment: survminer, step-shaped CI bands (conf.int.style = "step"),
#    vermilion / blue, marks, risk table, days by 100
veteran_trt_step_ci <- function() {
  arms <- c("Standard", "Test")
  d <- with(veteran, data.frame(time = time, status = status, arm = factor(arms[trt], arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, conf.int.style = "step",
                  palette = c("#D55E00", "#0072B2"), risk.table = TRUE,
                  break.time.by = 100, legend.labs = arms, legend.title = "Treatment",
                  xlab = "Days", ylab = "Survival probability")
  gg_out("h10_gg_veteran_trt_step_ci", p, 7, 6.5, d, arms, TRUE)
}

# the data sets the Python figures draw (make_heldout10.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h10", name)
  w(with(lung, data.frame(time = time / 30.4375, status = status - 1, ecog = ph.ecog)),
    "lung")
  w(with(subset(pbc, !is.na(trt)), data.frame(time = time / 365.25,
                                              status = as.integer(status == 2), trt = trt)),
    "pbc")
  w(with(gbsg, data.frame(time = rfstime / 30.4375, status = status, hormon = hormon)),
    "gbsg")
  w(with(veteran, data.frame(time = time, status = status)), "veteran")
}

lung_sex_marks_risk(); colon_extent_bw(); veteran_prior_ci(); lung_sex_readme()
colon_rx_median(); pbc_trt_black_grey(); gbsg_grade_percent(); veteran_trt_step_ci()
python_data()
