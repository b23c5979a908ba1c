# Held-out figures for the digitize benchmark (R part): data sets, sizes, line widths and
# palettes the main set (make_figures.R) does not use. Not to be tuned on: run after changes.
#
#   Rscript benchmarks/digitize/make_heldout.R OUTDIR
#
# Writes OUTDIR/<figure>_150.png, <figure>_300.png, <figure>.truth.csv (arm, time, status)
# and <figure>.json (arms in legend order, risk-table times, whether censoring marks are
# drawn), the format measure.py reads. Also writes OUTDIR/ho_data_*.csv for make_heldout.py.
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-heldout")

# ovarian: 26 patients, two arms, thick lines, square figure, censoring marks
ov <- with(ovarian, data.frame(time = futime, status = fustat,
                               arm = ifelse(rx == 1, "Arm A", "Arm B")))
# rotterdam: relapse-free survival in years by chemotherapy, wide figure, dashed CI lines
rot <- with(rotterdam, data.frame(time = pmin(rtime, dtime) / 365.25,
                                  status = pmax(recur, death),
                                  arm = ifelse(chemo == 1, "Chemo", "No chemo")))
# rotterdam by tumour size, three arms (survminer, viridis-like palette)
rot3 <- with(rotterdam, data.frame(time = dtime / 365.25, status = death,
                                   arm = c("Small", "Medium", "Large")[as.integer(size)]))
# aml: maintained vs not (survminer, CI ribbons, thick lines)
am <- with(aml, data.frame(time = time, status = status,
                           arm = ifelse(x == "Maintained", "Maintained", "Nonmaintained")))
# nafld1: a random 600, by sex, grey levels with grid lines
set.seed(12)
nf <- nafld1[sample(nrow(nafld1), 600), ]
nf <- with(nf, data.frame(time = futime / 365.25, status = status,
                          arm = ifelse(male == 1, "Men", "Women")))

base_plot <- function(name, d, arms, cols, ltys, lwd, marks, conf, width, height, grid,
                      xby) {
  d$arm <- factor(d$arm, levels = arms)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, ceiling(max(d$time) / xby) * xby, xby)
  draw <- function() {
    par(mar = c(4, 4.5, 1.5, 1))
    plot(fit, col = cols, lty = ltys, lwd = lwd, mark.time = marks, conf.int = conf,
         xaxt = "n", xlab = "Years", ylab = "Survival probability", las = 1)
    axis(1, at = tt)
    if (grid) abline(h = seq(0, 1, 0.2), v = tt, col = "grey85", lty = 3)
    legend("bottomleft", legend = arms, col = cols, lty = ltys, lwd = lwd, bty = "n")
  }
  pngs(name, width, height, draw)
  meta(name, d, arms, numeric(0), marks)
}

gg_plot <- function(name, d, arms, palette, size, conf, censor, xby, width, height) {
  d$arm <- factor(d$arm, levels = arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, risk.table = TRUE, conf.int = conf, censor = censor,
                  palette = palette, size = size, legend.labs = arms, break.time.by = xby,
                  legend.title = "", risk.table.height = 0.25, ggtheme = theme_bw())
  pngs(name, width, height, function() print(p, newpage = FALSE))
  meta(name, d, arms, seq(0, ceiling(max(d$time) / xby) * xby, xby), censor)
}

base_plot("ho_rbase_ovarian", ov, c("Arm A", "Arm B"), c("darkgreen", "purple"), c(1, 1),
          2.5, TRUE, FALSE, 5, 5, FALSE, 200)
base_plot("ho_rbase_rotterdam_ci", rot, c("No chemo", "Chemo"), c("firebrick", "navy"),
          c(1, 1), 1.5, FALSE, TRUE, 8, 4.5, FALSE, 2)
base_plot("ho_rbase_nafld_grey", nf, c("Men", "Women"), c("black", "grey55"), c(1, 1), 2,
          FALSE, FALSE, 6, 5, TRUE, 2)
gg_plot("ho_gg_aml_ci", am, c("Maintained", "Nonmaintained"), c("#868686", "#CD534C"), 1.5,
        TRUE, TRUE, 20, 6, 6)
gg_plot("ho_gg_rotterdam_3arms", rot3, c("Small", "Medium", "Large"),
        c("#440154", "#21908C", "#E3C800"), 0.8, FALSE, TRUE, 4, 7.5, 6)
