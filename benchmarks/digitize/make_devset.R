# A development figure set for the raster digitizer (R base graphics and survminer): data
# sets, sizes, palettes and themes not in make_figures.R or make_heldout.*. Made as a held-out
# set, then used to find and fix failures (see docs/digitize.md).
#
#   Rscript benchmarks/digitize/make_devset.R OUTDIR
#
# Same outputs as make_figures.R (PNG at 150 and 300 dpi, truth CSV, JSON).
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-fresh")

cgd1 <- subset(cgd, enum == 1)
sets <- list(
  mgus2 = with(mgus2, data.frame(time = futime, status = death,
                                 arm = ifelse(sex == "F", "Female", "Male"))),
  flchain = with(flchain, data.frame(time = futime, status = death,
                                     arm = ifelse(sex == "F", "Women", "Men"))),
  myeloid = with(myeloid, data.frame(time = futime, status = death,
                                     arm = paste("Arm", trt))),
  diabetic = with(diabetic, data.frame(time = time, status = status,
                                       arm = ifelse(trt == 1, "Laser", "Control"))),
  cgd = with(cgd1, data.frame(time = tstop, status = status,
                              arm = ifelse(treat == "placebo", "Placebo", "Interferon"))),
  ecog = with(subset(lung, !is.na(ph.ecog) & ph.ecog < 3),
              data.frame(time = time, status = status - 1,
                         arm = paste("ECOG", ph.ecog)))
)
levels_of <- list(mgus2 = c("Female", "Male"), flchain = c("Women", "Men"),
                  myeloid = c("Arm A", "Arm B"), diabetic = c("Control", "Laser"),
                  cgd = c("Placebo", "Interferon"), ecog = c("ECOG 0", "ECOG 1", "ECOG 2"))
step <- list(mgus2 = 60, flchain = 1000, myeloid = 500, diabetic = 12, cgd = 100, ecog = 200)

base_fig <- function(ds, name, cols, ltys, lwd, marks, risk, w, h, yscale = 1) {
  d <- sets[[ds]]; arms <- levels_of[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, floor(max(d$time) / step[[ds]]) * step[[ds]], step[[ds]])
  draw <- function() {
    par(mar = c(if (risk) 5 + length(arms) else 4, 10, 2, 1))
    plot(fit, col = cols, lty = ltys, lwd = lwd, mark.time = marks, xaxt = "n",
         yscale = yscale, xlab = "Months", ylab = if (yscale == 100) "Event-free (%)" else
         "Probability", las = 1)
    axis(1, at = tt)
    legend("bottomleft", legend = arms, col = cols, lty = ltys, lwd = lwd, bty = "n")
    if (risk) risk_rows(fit, arms, tt, at0 = -0.42 * max(tt), title = "No. at risk")
  }
  pngs(name, w, h, draw)
  meta(name, d, arms, if (risk) tt else numeric(0), marks)
}

gg_fig <- function(ds, name, conf, censor, palette, theme, w, h, linetype = 1, size = 1) {
  d <- sets[[ds]]; arms <- levels_of[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, risk.table = TRUE, conf.int = conf, censor = censor,
                  palette = palette, linetype = linetype, size = size, legend.labs = arms,
                  break.time.by = step[[ds]], legend.title = "", risk.table.height = 0.28,
                  ggtheme = theme)
  pngs(name, w, h, function() print(p, newpage = FALSE))
  meta(name, d, arms, seq(0, ceiling(max(d$time) / step[[ds]]) * step[[ds]], step[[ds]]), censor)
}

base_fig("mgus2", "fr_rbase_mgus2", c("darkorange3", "navy"), c(1, 1), 2, TRUE, TRUE, 6, 4.8)
base_fig("diabetic", "fr_rbase_diabetic_bw", c("black", "black"), c(1, 2), 1.5, FALSE, TRUE,
         6.5, 5, yscale = 100)
base_fig("ecog", "fr_rbase_ecog_3arms", c("#440154", "#21908C", "#E3A800"), c(1, 1, 1), 1.2,
         TRUE, TRUE, 7.5, 5.4)
gg_fig("flchain", "fr_gg_flchain_ci_grid", TRUE, FALSE, c("#1B9E77", "#D95F02"), theme_bw(),
       7, 5.5)
gg_fig("myeloid", "fr_gg_myeloid_grey", FALSE, TRUE, c("black", "grey55"), theme_classic(),
       6, 5.5, linetype = "strata")
gg_fig("cgd", "fr_gg_cgd_minimal", FALSE, TRUE, c("#7570B3", "#E7298A"), theme_minimal(),
       6.5, 6, size = 0.7)
