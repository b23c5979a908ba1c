# A second held-out figure set for the raster digitizer (R base graphics and survminer), made
# after the raster rules were written and measured on the final code without changes to them.
#
#   Rscript benchmarks/digitize/make_heldout2.R OUTDIR
#
# Same outputs as make_figures.R (PNG at 150 and 300 dpi, truth CSV, JSON).
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-fresh3")
b1 <- subset(bladder1, enum == 1)
st <- subset(stanford2, !is.na(age))
sets <- list(
  rats = with(rats, data.frame(time = time, status = status,
                               arm = ifelse(rx == 1, "Drug", "Control"))),
  nwtco = with(nwtco, data.frame(time = edrel / 365.25, status = rel,
                                 arm = ifelse(histol == 1, "Favourable", "Unfavourable"))),
  bladder = with(b1, data.frame(time = stop, status = as.integer(status == 1),
                                arm = ifelse(treatment == "placebo", "Placebo",
                                             ifelse(treatment == "pyridoxine", "Pyridoxine",
                                                    "Thiotepa")))),
  stanford = with(st, data.frame(time = time, status = status,
                                 arm = ifelse(age < 35, "Age < 35",
                                              ifelse(age < 50, "Age 35-49", "Age 50+"))))
)
sets$bladder <- subset(sets$bladder, arm != "Pyridoxine")
levels_of <- list(rats = c("Control", "Drug"), nwtco = c("Favourable", "Unfavourable"),
                  bladder = c("Placebo", "Thiotepa"),
                  stanford = c("Age < 35", "Age 35-49", "Age 50+"))
step <- list(rats = 20, nwtco = 2, bladder = 10, stanford = 500)
base_fig <- function(ds, name, cols, ltys, lwd, marks, risk, w, h, cex = 1, yscale = 1) {
  d <- sets[[ds]]; arms <- levels_of[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tt <- seq(0, floor(max(d$time) / step[[ds]]) * step[[ds]], step[[ds]])
  draw <- function() {
    par(mar = c(if (risk) 5 + length(arms) else 4, 9, 2, 1), cex = cex)
    plot(fit, col = cols, lty = ltys, lwd = lwd, mark.time = marks, xaxt = "n",
         yscale = yscale, xlab = "Years", ylab = if (yscale == 100) "Free of relapse (%)" else
         "Survival", las = 1)
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lty = ltys, lwd = lwd, bty = "n")
    # names at the plot's cex, numbers at the axis' own size
    if (risk) risk_rows(fit, arms, tt, at0 = -0.40 * max(tt), cex = cex, title = "At risk",
                        cex.axis = 1)
  }
  pngs(name, w, h, draw)
  meta(name, d, arms, if (risk) tt else numeric(0), marks)
}
gg_fig <- function(ds, name, conf, censor, palette, theme, w, h, linetype = 1, font = 12) {
  d <- sets[[ds]]; arms <- levels_of[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, risk.table = TRUE, conf.int = conf, censor = censor,
                  palette = palette, linetype = linetype, legend.labs = arms,
                  break.time.by = step[[ds]], legend.title = "", risk.table.height = 0.27,
                  ggtheme = theme, font.x = font, font.y = font, font.tickslab = font - 1)
  pngs(name, w, h, function() print(p, newpage = FALSE))
  meta(name, d, arms, seq(0, ceiling(max(d$time) / step[[ds]]) * step[[ds]], step[[ds]]), censor)
}
gg_fig("rats", "f3_gg_rats_light", FALSE, TRUE, "jco", theme_light(), 6.5, 6, font = 14)
base_fig("nwtco", "f3_rbase_nwtco_small", c("firebrick", "steelblue"), c(1, 1), 1, FALSE,
         TRUE, 6, 4.6, cex = 0.8)
base_fig("bladder", "f3_rbase_bladder_percent", c("darkgreen", "purple"), c(1, 2), 2, TRUE,
         FALSE, 6, 4.5, yscale = 100)
gg_fig("stanford", "f3_gg_stanford_3styles", FALSE, TRUE,
       c("#E69F00", "#56B4E9", "#009E73"), theme_classic(), 7, 6,
       linetype = c("solid", "dashed", "dotted"))
