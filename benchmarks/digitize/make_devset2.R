# A second development figure set for the raster digitizer (R base graphics and survminer):
# data sets, options and styles in none of the other sets (retinopathy, kidney, colon with
# obstruction, a simulated 20-patient CAR-T study, lung by sex in the lancet style, udca,
# veteran by cell type, a simulated 800-patient trial; serif fonts, titles, boxed legends,
# text annotations in the panel, x limits shorter than the follow-up, percent scales, median
# lines, risk tables without names).
#
#   Rscript benchmarks/digitize/make_devset2.R OUTDIR
#
# Writes OUTDIR/d2_*_{150,300}.png, OUTDIR/d2_*.truth.csv (time, status, arm: the patient data
# drawn) and OUTDIR/d2_*.json (arms in legend order, times of the printed number-at-risk
# table, whether censoring marks are drawn), as make_figures.R does. A figure whose x axis
# stops before the end of follow-up has its truth censored at that limit (the same
# Kaplan-Meier estimate over the range drawn, the same numbers at risk). A single curve with
# no name drawn is "arm 1".
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-dev2")

# 1. retinopathy by treated eye: serif, title, boxed legend, HR annotation, at-risk table
retino <- function() {
  arms <- c("Untreated eye", "Laser-treated eye")
  d <- with(retinopathy, data.frame(time = futime, status = status,
                                    arm = factor(ifelse(trt == 1, arms[2], arms[1]), arms)))
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 72, 12)
  draw <- function() {
    par(family = "serif", mar = c(8, 9, 3, 1))
    plot(fit, col = c("firebrick3", "grey25"), lwd = 2, mark.time = TRUE, xaxt = "n", las = 1,
         xlab = "Months since randomisation", ylab = "Free of severe visual loss",
         main = "Diabetic Retinopathy Study")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = c("firebrick3", "grey25"), lwd = 2,
           inset = 0.02, bg = "white")
    text(40, 0.95, "HR 0.62 (95% CI 0.45\u20130.85); P = 0.003", cex = 0.85)
    risk_rows(fit, arms, tt, at0 = -0.42 * 72, cex = 0.9)
  }
  pngs("d2_rbase_retino_serif", 6.5, 5.2, draw)
  meta("d2_rbase_retino_serif", d, arms, tt, TRUE)
}

# 2. kidney, one curve with dotted CI lines, percent scale, grey, no names
kidney_ci <- function() {
  d <- with(kidney, data.frame(time = time, status = status, arm = "arm 1"))
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  draw <- function() {
    par(mar = c(4.5, 5, 3, 1))
    plot(fit, conf.int = TRUE, lty = c(1, 3, 3), col = "grey15", lwd = 1.5, yscale = 100,
         mark.time = TRUE, las = 1, xlab = "Days since catheter insertion",
         ylab = "Free of infection (%)", main = "Recurrent catheter infection")
  }
  pngs("d2_rbase_kidney_ci", 5.5, 4.4, draw)
  meta("d2_rbase_kidney_ci", d, "arm 1", numeric(0), TRUE)
}

# 3. colon (recurrence) with obstruction, three arms in grey levels and widths 1-3, cut at 60 mo
colon_obstruct <- function() {
  arms <- c("Observation", "Levamisole", "Lev + 5-FU")
  cc <- subset(colon, etype == 1 & obstruct == 1)
  d <- data.frame(time = round(cc$time / 30.4375, 2), status = cc$status,
                  arm = factor(c(Obs = arms[1], Lev = arms[2], `Lev+5FU` = arms[3])[
                    as.character(cc$rx)], arms))
  d <- cut_at(d, 60)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, 60, 12)
  cols <- c("black", "grey40", "grey65")
  draw <- function() {
    par(mar = c(9, 10, 2, 1))
    plot(fit, col = cols, lwd = c(1, 2, 3), xlim = c(0, 60), xaxt = "n", las = 1,
         xlab = "Months", ylab = "Recurrence-free survival")
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lwd = c(1, 2, 3), bty = "n")
    risk_rows(fit, arms, tt, at0 = -0.45 * 60, title = "No. at risk")
  }
  pngs("d2_rbase_colon_obstruct", 7, 5.4, draw)
  meta("d2_rbase_colon_obstruct", d, arms, tt, FALSE)
}

# 4. a simulated single-arm CAR-T study, n = 20, axis at 0, 6, ..., 24 months, cut at 24
cart <- function() {
  set.seed(20)
  ev <- rexp(20, log(2) / 9); cen <- runif(20, 8, 34)
  d <- data.frame(time = round(pmin(ev, cen), 1), status = as.integer(ev <= cen), arm = "CAR-T")
  d <- cut_at(d, 24)
  fit <- survfit(Surv(time, status) ~ 1, data = d)
  tt <- seq(0, 24, 6)
  med <- unname(summary(fit)$table["median"])
  draw <- function() {
    par(mar = c(7, 9, 3, 1))
    plot(fit, conf.int = FALSE, col = "#1F4E79", lwd = 2, mark.time = TRUE, xlim = c(0, 24),
         xaxt = "n", las = 1, xlab = "Months after infusion",
         ylab = "Progression-free survival", main = "Phase 1 CAR-T cohort (n = 20)")
    axis(1, at = tt)
    text(18, 0.9, sprintf("Median PFS %.1f months", med), cex = 0.9)
    risk_rows(fit, "CAR-T", tt, at0 = -0.38 * 24, title = "At risk")
  }
  pngs("d2_rbase_cart_n20", 6, 4.6, draw)
  meta("d2_rbase_cart_n20", d, "CAR-T", tt, TRUE)
}

# 5. lung by sex, lancet palette, percent, p value, median lines, risk table without names
lung_lancet <- function() {
  arms <- c("Male", "Female")
  d <- with(lung, data.frame(time = time, status = status - 1,
                             arm = factor(ifelse(sex == 1, arms[1], arms[2]), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "lancet", ggtheme = theme_bw(), pval = TRUE,
                  surv.median.line = "hv", legend = c(0.8, 0.8), legend.title = "Sex",
                  legend.labs = arms, risk.table = TRUE, risk.table.y.text = FALSE,
                  surv.scale = "percent", break.time.by = 180, censor.shape = "|",
                  xlab = "Days", tables.height = 0.25)
  gg_out("d2_gg_lung_lancet", p, 6.5, 6, d, arms, TRUE, times = seq(0, 900, 180),
         vector = FALSE)
}

# 6. udca by treatment, nejm palette, CI ribbons, theme_minimal, legend at the bottom
udca_nejm <- function() {
  arms <- c("Placebo", "UDCA")
  d <- with(udca1, data.frame(time = as.numeric(futime) / 365.25,
                              status = as.numeric(status),
                              arm = factor(ifelse(trt == 1, arms[2], arms[1]), arms)))
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "nejm", ggtheme = theme_minimal(), conf.int = TRUE,
                  legend = "bottom", legend.title = "Arm", legend.labs = arms,
                  censor.shape = "|", censor.size = 3, break.time.by = 1,
                  xlab = "Years", ylab = "Free of treatment failure")
  gg_out("d2_gg_udca_nejm_ci", p, 6, 4.8, d, arms, TRUE, times = numeric(0),
         vector = FALSE)
}

# 7. veteran (standard arm) by cell type, grey, line types, x cut at 400 days, small fonts
veteran_cells <- function() {
  arms <- c("Squamous", "Small cell", "Large cell")
  v <- subset(veteran, trt == 1 & celltype != "adeno")
  d <- data.frame(time = v$time, status = v$status,
                  arm = factor(c(squamous = arms[1], smallcell = arms[2], large = arms[3])[
                    as.character(v$celltype)], arms))
  d <- cut_at(d, 400)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = "grey", linetype = "strata",
                  ggtheme = theme_survminer(), xlim = c(0, 400), break.time.by = 100,
                  risk.table = TRUE, legend = "right", legend.title = "Cell type",
                  legend.labs = arms, font.tickslab = 8, font.x = 10, font.y = 10,
                  tables.height = 0.3, xlab = "Days")
  gg_out("d2_gg_veteran_cells_grey", p, 7.5, 5.5, d, arms, TRUE, times = seq(0, 400, 100),
         vector = FALSE)
}

# 8. a simulated 800-patient trial, yellow/blue, title, large tick labels
sim800 <- function() {
  arms <- c("Control", "Experimental")
  set.seed(800)
  med <- c(14, 19)
  d <- do.call(rbind, lapply(1:2, function(k) {
    ev <- rexp(400, log(2) / med[k]); cen <- runif(400, 6, 42)
    data.frame(time = round(pmin(ev, cen), 2), status = as.integer(ev <= cen), arm = arms[k])
  }))
  d$arm <- factor(d$arm, arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, palette = c("#E7B800", "#2E9FDF"), ggtheme = theme_classic(),
                  title = "Overall survival", font.main = c(14, "bold"), font.tickslab = 14,
                  font.x = 14, font.y = 14, break.time.by = 6, risk.table = TRUE,
                  tables.height = 0.25, legend.title = "", legend.labs = arms,
                  censor.shape = "+", xlab = "Months")
  gg_out("d2_gg_sim800_title", p, 7, 6.2, d, arms, TRUE, times = seq(0, 36, 6),
         vector = FALSE)
}

retino(); kidney_ci(); colon_obstruct(); cart()
lung_lancet(); udca_nejm(); veteran_cells(); sim800()
