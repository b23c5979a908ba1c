# A third held-out figure set for the digitizer (R base graphics and survminer): data sets,
# options and styles in none of the other sets (jasa by transplant, mgus by sex, myeloma as one
# curve, pbcseq's first visits by oedema, a simulated trial in weeks, colon deaths by nodes,
# veteran small-cell by treatment, pbc by stage, a simulated three-dose trial, lung as one
# curve with its CI; x limits shorter than the follow-up, titles, text annotations in the panel,
# boxed and boxless legends, CI lines dotted, percent scales, median lines, npg / aaas / grey
# palettes). Nothing is tuned on it: it is measured after changes.
#
#   Rscript benchmarks/digitize/make_heldout3.R OUTDIR
#
# Writes, for each figure h3_*, OUTDIR/h3_*.pdf, .svg, _150.png and _300.png, .truth.csv
# (time, status, arm: the patient data drawn) and .json (arms in legend order, times of the
# printed number-at-risk table, whether censoring marks are drawn), as make_figures.R does. A
# figure whose x axis stops before the end of follow-up has its truth censored at that limit
# (the same Kaplan-Meier estimate over the range drawn, the same numbers at risk). A single
# curve is named by the label drawn for it (legend or at-risk row).
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout3")

hr_text <- function(d) {
  cx <- coxph(Surv(time, status) ~ arm, data = d)
  ci <- exp(confint(cx))
  p <- summary(cx)$sctest["pvalue"]
  sprintf("HR %.2f (95%% CI %.2f to %.2f); P %s", exp(coef(cx)), ci[1], ci[2],
          if (p < 0.001) "< 0.001" else sprintf("= %.3f", p))
}

# 1. jasa by transplant: percent, thick grey/dashed, '|' marks, title, x cut at 1000 days
jasa_fig <- function() {
  arms <- c("No transplant", "Transplant")
  d <- with(jasa, data.frame(time = futime, status = fustat,
                             arm = factor(ifelse(transplant == 1, arms[2], arms[1]), arms)))
  d <- cut_at(d, 1000)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 1000, 250)
  draw <- function() {
    par(mar = c(8, 10, 3, 1))
    plot(fit, col = c("black", "grey55"), lty = c(1, 2), lwd = 3, mark.time = TRUE, pch = "|",
         yscale = 100, xlim = c(0, 1000), xaxt = "n", las = 1, xlab = "Days after acceptance",
         ylab = "Survival (%)", main = "Stanford heart transplant program")
    axis(1, at = tt)
    legend("topright", legend = arms, col = c("black", "grey55"), lty = c(1, 2), lwd = 3,
           bty = "n")
    risk_rows(fit, arms, tt, at0 = -0.40 * 1000)
  }
  devices("h3_rbase_jasa_percent", 6.5, 5.2, draw)
  meta("h3_rbase_jasa_percent", d, arms, tt, TRUE)
}

# 2. mgus by sex: dotted CI lines, boxed legend, HR annotation, years, x cut at 25
mgus_fig <- function() {
  arms <- c("Female", "Male")
  d <- with(mgus, data.frame(time = round(futime / 365.25, 3), status = death,
                             arm = factor(ifelse(sex == "male", arms[2], arms[1]), arms)))
  d <- cut_at(d, 25)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  cols <- c("darkorchid4", "darkgoldenrod3")
  lab <- hr_text(d)
  draw <- function() {
    par(mar = c(4.5, 5, 1.5, 1))
    plot(fit, conf.int = TRUE, col = cols, lty = c(1, 3, 3, 2, 3, 3), lwd = 1.5,
         xlim = c(0, 25), xaxt = "n", las = 1, xlab = "Years from diagnosis of MGUS",
         ylab = "Overall survival")
    axis(1, at = seq(0, 25, 5))
    legend("bottomleft", legend = arms, col = cols, lty = c(1, 2), lwd = 1.5, inset = 0.03)
    text(16, 0.93, lab, cex = 0.8)
  }
  devices("h3_rbase_mgus_ci", 7, 4.6, draw)
  meta("h3_rbase_mgus_ci", d, arms, numeric(0), FALSE)
}

# 3. myeloma (3882 patients) as one curve, thin, at-risk row, x cut at 15 years
myeloma_fig <- function() {
  arm <- "All patients"
  d <- with(survival::myeloma, data.frame(time = round(futime / 365.25, 4), status = death, arm = arm))
  d <- cut_at(d, 15)
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  tt <- seq(0, 15, 3)
  draw <- function() {
    par(mar = c(7, 9, 2, 1.5))
    plot(fit, conf.int = FALSE, col = "navy", lwd = 1, xlim = c(0, 15), xaxt = "n", las = 1,
         xlab = "Years from diagnosis", ylab = "Overall survival")
    axis(1, at = tt)
    risk_rows(fit, arm, tt, at0 = -0.40 * 15, title = "No. at risk")
  }
  devices("h3_rbase_myeloma_single", 6, 4.4, draw)
  meta("h3_rbase_myeloma_single", d, arm, tt, FALSE)
}

# 4. pbcseq first visits by oedema: three arms, small text, boxed legend, coloured row names
pbcseq_fig <- function() {
  arms <- c("No oedema", "Oedema, no diuretics", "Oedema on diuretics")
  p1 <- pbcseq[!duplicated(pbcseq$id), ]
  d <- data.frame(time = round(p1$futime / 365.25, 3), status = as.integer(p1$status == 2),
                  arm = factor(arms[match(p1$edema, c(0, 0.5, 1))], arms))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 14, 2)
  cols <- c("#1b9e77", "#d95f02", "#7570b3")
  draw <- function() {
    par(mar = c(8, 12, 2, 1), cex = 0.8)
    plot(fit, col = cols, lwd = 1, mark.time = TRUE, xaxt = "n", las = 1,
         xlab = "Years", ylab = "Overall survival")
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lwd = 1, title = "At baseline")
    risk_rows(fit, arms, tt, at0 = -0.40 * 14, cex = 0.8, cols = cols, cex.axis = 1)
  }
  devices("h3_rbase_pbcseq_oedema", 7, 5.2, draw)
  meta("h3_rbase_pbcseq_oedema", d, arms, tt, TRUE)
}

# 5. a simulated 60-patient trial in weeks: serif, title, two greys, log-rank annotation
weeks_fig <- function() {
  arms <- c("Maintenance", "Observation")
  set.seed(52)
  med <- c(40, 22)
  d <- do.call(rbind, lapply(1:2, function(k) {
    ev <- rexp(30, log(2) / med[k]); cen <- runif(30, 20, 70)
    data.frame(time = round(pmin(ev, cen)), status = as.integer(ev <= cen), arm = arms[k])
  }))
  d$time <- pmax(d$time, 1)
  d$arm <- factor(d$arm, arms)
  d <- cut_at(d, 52)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  lr <- survdiff(Surv(time, status) ~ arm, data = d)
  p <- 1 - pchisq(lr$chisq, 1)
  draw <- function() {
    par(family = "serif", mar = c(4.5, 5, 3, 1))
    plot(fit, col = c("grey10", "grey55"), lwd = 2, mark.time = TRUE, xlim = c(0, 52),
         xaxt = "n", las = 1, xlab = "Weeks", ylab = "Relapse-free",
         main = "Time to relapse")
    axis(1, at = seq(0, 52, 13))
    legend("bottomleft", legend = arms, col = c("grey10", "grey55"), lwd = 2, bty = "n")
    text(40, 0.95, sprintf("Log-rank P = %.3f", p))
  }
  devices("h3_rbase_weeks_serif", 5.5, 4.5, draw)
  meta("h3_rbase_weeks_serif", d, arms, numeric(0), TRUE)
}

# 6. colon deaths by nodes: npg, theme_bw, median lines, coloured risk table, years
colon_nodes <- function() {
  arms <- c("1-4 nodes", "More than 4 nodes")
  cc <- subset(colon, etype == 2 & !is.na(node4))
  d <- data.frame(time = round(cc$time / 365.25, 3), status = cc$status,
                  arm = factor(ifelse(cc$node4 == 1, arms[2], arms[1]), arms))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "npg", ggtheme = theme_bw(),
                  surv.median.line = "hv", risk.table = TRUE, risk.table.col = "strata",
                  legend = "top", legend.title = "Nodes", legend.labs = arms,
                  break.time.by = 1, xlab = "Years", tables.height = 0.27)
  gg_out("h3_gg_colon_nodes_npg", p, 7, 6, d, arms, TRUE, times = seq(0, 9, 1))
}

# 7. veteran small-cell by treatment: grey with CI ribbons, p value, table with colour bars
veteran_small <- function() {
  arms <- c("Standard", "Test")
  v <- subset(veteran, celltype == "smallcell")
  d <- data.frame(time = v$time, status = v$status,
                  arm = factor(ifelse(v$trt == 1, arms[1], arms[2]), arms))
  d <- cut_at(d, 360)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "grey", conf.int = TRUE, pval = TRUE,
                  ggtheme = theme_classic(), legend = "bottom", legend.title = "Treatment",
                  legend.labs = arms, censor.shape = "|", censor.size = 3, xlim = c(0, 360),
                  break.time.by = 60, risk.table = TRUE, risk.table.y.text = FALSE,
                  xlab = "Days", tables.height = 0.22)
  gg_out("h3_gg_veteran_smallcell_grey", p, 6, 6, d, arms, TRUE, times = seq(0, 360, 60))
}

# 8. pbc by histologic stage: aaas, theme_minimal, percent, legend right, x cut at 10 years
pbc_stage <- function() {
  arms <- c("Stage 2", "Stage 3", "Stage 4")
  pp <- subset(pbc, stage %in% 2:4)
  d <- data.frame(time = round(pp$time / 365.25, 3), status = as.integer(pp$status == 2),
                  arm = factor(paste("Stage", pp$stage), arms))
  d <- cut_at(d, 10)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "aaas", ggtheme = theme_minimal(),
                  surv.scale = "percent", legend = "right", legend.title = "Histologic stage",
                  legend.labs = arms, xlim = c(0, 10), break.time.by = 2, risk.table = TRUE,
                  tables.height = 0.3, font.tickslab = 9, font.x = 11, font.y = 11,
                  xlab = "Years", ylab = "Survival")
  gg_out("h3_gg_pbc_stage_percent", p, 8, 5.6, d, arms, TRUE, times = seq(0, 10, 2))
}

# 9. a simulated three-dose trial: line types, legend inside, big fonts, title, no table
dose_fig <- function() {
  arms <- c("10 mg", "20 mg", "40 mg")
  set.seed(340)
  med <- c(7, 10, 15)
  d <- do.call(rbind, lapply(1:3, function(k) {
    ev <- rexp(100, log(2) / med[k]); cen <- runif(100, 3, 24)
    data.frame(time = round(pmin(ev, cen), 2), status = as.integer(ev <= cen), arm = arms[k])
  }))
  d$arm <- factor(d$arm, arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#E7B800", "#2E9FDF", "#FC4E07"),
                  linetype = "strata", ggtheme = theme_survminer(), legend = c(0.8, 0.8),
                  legend.title = "Dose", legend.labs = arms, break.time.by = 3,
                  censor.shape = "|", title = "Event-free survival", font.main = 16,
                  font.x = 16, font.y = 16, font.tickslab = 14, xlab = "Months")
  gg_out("h3_gg_dose_linetypes", p, 6.5, 5, d, arms, TRUE, times = numeric(0))
}

# 10. lung as one curve with its CI ribbon and median line, theme_grey, small ticks
lung_all <- function() {
  arm <- "All patients"
  d <- with(lung, data.frame(time = time, status = status - 1, arm = arm))
  fit <- surv_fit(Surv(time, status) ~ 1, data = d)
  p <- ggsurvplot(fit, data = d, palette = "#2E9FDF", conf.int = TRUE,
                  surv.median.line = "hv", ggtheme = theme_grey(), legend = "top",
                  legend.title = "", legend.labs = arm, risk.table = TRUE,
                  break.time.by = 100, font.tickslab = 8, xlab = "Days",
                  tables.height = 0.22)
  gg_out("h3_gg_lung_single_ci", p, 6.5, 5.8, d, arm, TRUE, times = seq(0, 1000, 100))
}

jasa_fig(); mgus_fig(); myeloma_fig(); pbcseq_fig(); weeks_fig()
colon_nodes(); veteran_small(); pbc_stage(); dose_fig(); lung_all()
