# An eighth held-out figure set for the digitizer (R base graphics and survminer), with options
# none of the other sets uses: R base lung by sex with grid() lines and a boxed legend with a
# title; pbc by stage cut at 10 years with an at-risk table; veteran by prior therapy with
# filled-circle marks and a y axis by 0.25; survminer colon deaths by differentiation with the
# legend inside the panel and faint CI ribbons; gbsg by nodes cut at 5 years with
# axes.offset = FALSE and the jama palette; lung by age in greys with line types by strata;
# a simulated three-arm trial on a percent axis (fun = "pct") in the aaas palette. Nothing is
# tuned on it: it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout8.R OUTDIR
#   python benchmarks/digitize/make_heldout8.py OUTDIR      # then the Python figures
#
# Writes, for each figure h8_*, the files make_heldout7.R writes; a cut axis censors the truth
# at its end (cut_at), as the curves drawn are. Also writes OUTDIR/h8_data_*.csv.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout8")

# 1. lung by sex, 1.5-year landmark trial style: R base, grid() lines (dotted grey), colours,
#    lty 1 / 2, lwd 2, marks, legend with a title top right, months, ylim from 0
lung_sex_grid <- function() {
  arms <- c("Male", "Female")
  d <- data.frame(time = lung$time / 30.4375, status = lung$status - 1,
                  arm = factor(arms[lung$sex], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#1F78B4", "#E31A1C")
  draw <- function() {
    plot(fit, col = cols, lty = 1:2, lwd = 2, mark.time = TRUE, las = 1, xlab = "Months",
         ylab = "Overall survival")
    grid()
    legend("topright", legend = arms, col = cols, lty = 1:2, lwd = 2, title = "Sex",
           bg = "white")
  }
  devices("h8_rbase_lung_sex_grid", 6.5, 5, draw)
  meta("h8_rbase_lung_sex_grid", d, arms, numeric(0), TRUE)
}

# 2. pbc by stage (1-2 / 3 / 4): R base, three colours lty 1 / 2 / 3, no marks, x cut at 10
#    years (xmax), an at-risk table
pbc_stage_cut <- function() {
  arms <- c("Stage 1-2", "Stage 3", "Stage 4")
  p <- subset(pbc, !is.na(stage))
  d <- data.frame(time = p$time / 365.25, status = as.integer(p$status == 2),
                  arm = factor(arms[pmax(p$stage, 2) - 1], arms))
  d <- cut_at(d, 10)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("#1b9e77", "#d95f02", "#7570b3")
  tt <- seq(0, 10, 2)
  draw <- function() {
    par(mar = c(9, 7, 2, 2))
    plot(fit, col = cols, lty = 1:3, lwd = 2, xaxt = "n", las = 1, xlim = c(0, 10),
         xlab = "Years", ylab = "Survival without transplant")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lty = 1:3, lwd = 2, bty = "n")
    risk_rows(fit, arms, tt, at0 = -2.4, cex = 0.9)
  }
  devices("h8_rbase_pbc_stage_cut_risk", 7, 5.5, draw)
  meta("h8_rbase_pbc_stage_cut_risk", d, arms, tt, FALSE)
}

# 3. veteran by prior therapy: R base, black, lwd 1, filled-circle marks (pch 16, cex 0.6),
#    y axis from 0 to 1 by 0.25, days
veteran_prior_dots <- function() {
  arms <- c("No prior therapy", "Prior therapy")
  d <- with(veteran, data.frame(time = time, status = status,
                                arm = factor(arms[(prior == 10) + 1], arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  draw <- function() {
    plot(fit, col = c("black", "#D55E00"), lwd = 1.5, mark.time = TRUE, pch = 16, cex = 0.6,
         yaxt = "n", xlab = "Days", ylab = "Survival")
    axis(2, at = seq(0, 1, 0.25), las = 1)
    legend("topright", legend = arms, col = c("black", "#D55E00"), lwd = 1.5, bty = "n")
  }
  devices("h8_rbase_veteran_prior_dots", 6.5, 5, draw)
  meta("h8_rbase_veteran_prior_dots", d, arms, numeric(0), TRUE)
}

# 4. colon deaths by differentiation: survminer, the legend inside the panel (top right),
#    three arms, CI ribbons at alpha 0.1, risk table, years
colon_differ_inside <- function() {
  arms <- c("Well", "Moderate", "Poor")
  cc <- subset(colon, etype == 2 & !is.na(differ))
  d <- data.frame(time = cc$time / 365.25, status = cc$status,
                  arm = factor(arms[cc$differ], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, conf.int = TRUE, conf.int.alpha = 0.1, censor = FALSE,
                  legend = c(0.85, 0.85), legend.title = "Differentiation",
                  legend.labs = arms, risk.table = TRUE, break.time.by = 1,
                  palette = c("#0072B2", "#E69F00", "#CC79A7"), xlab = "Years",
                  ylab = "Overall survival")
  gg_out("h8_gg_colon_differ_inside", p, 7, 6.5, d, arms, FALSE)
}

# 5. gbsg by nodes (1-3 / 4+), x axis cut at 5 years (xlim, break every year), jama palette,
#    axes.offset = FALSE (the curves start in the axes' corner), marks, risk table
gbsg_nodes_cut <- function() {
  arms <- c("1-3 nodes", "4 or more nodes")
  d <- with(gbsg, data.frame(time = rfstime / 365.25, status = status,
                             arm = factor(arms[(nodes >= 4) + 1], arms)))
  d <- cut_at(d, 5)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "jama", axes.offset = FALSE, xlim = c(0, 5),
                  break.time.by = 1, risk.table = TRUE, legend.title = "",
                  legend.labs = arms, xlab = "Years", ylab = "Recurrence-free survival")
  # (survminer's table data put the count at t = 0 at 5/30 years, where it draws it so as
  # not to cut it: the times printed are 0-5)
  gg_out("h8_gg_gbsg_nodes_cut_jama", p, 7, 6.5, d, arms, TRUE, times = 0:5)
}

# 6. lung by age (< 65 / >= 65), survminer, grey palette with linetype by strata, no marks,
#    theme_classic, risk table, days by 250
lung_age_grey <- function() {
  arms <- c("Age < 65", "Age 65+")
  d <- data.frame(time = lung$time, status = lung$status - 1,
                  arm = factor(arms[(lung$age >= 65) + 1], arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("grey20", "grey60"), linetype = "strata",
                  censor = FALSE, ggtheme = theme_classic(), risk.table = TRUE,
                  break.time.by = 250, legend.title = "", legend.labs = arms,
                  xlab = "Days", ylab = "Survival probability")
  gg_out("h8_gg_lung_age_grey_lty", p, 7, 6.5, d, arms, FALSE)
}

# 7. a simulated 3-arm trial of 60 per arm with percent y (fun = "pct"), aaas palette,
#    marks, risk table, months by 6
sim_three_pct <- function() {
  arms <- c("Arm A", "Arm B", "Arm C")
  d <- sim_trial(arms, 60, c(8, 12, 18), c(12, 36), 808, digits = 1)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, fun = "pct", palette = "aaas", risk.table = TRUE,
                  break.time.by = 6, legend.title = "", legend.labs = arms,
                  xlab = "Months", ylab = "Progression-free survival (%)")
  gg_out("h8_gg_sim_three_pct_aaas", p, 7, 6.5, d, arms, TRUE)
}

# the data sets the Python figures draw (make_heldout8.py)
python_data <- function() {
  w <- function(d, name) data_csv(d, "h8", name)
  w(with(rotterdam, data.frame(time = rtime / 365.25, status = recur, chemo = chemo)),
    "rotterdam")
  w(with(ovarian, data.frame(time = futime / 30.4375, status = fustat, rx = rx)), "ovarian")
  w(with(subset(colon, etype == 1), data.frame(time = time / 365.25, status = status,
                                                obstruct = obstruct)), "colon")
}

lung_sex_grid(); pbc_stage_cut(); veteran_prior_dots(); colon_differ_inside()
gbsg_nodes_cut(); lung_age_grey(); sim_three_pct()
python_data()
