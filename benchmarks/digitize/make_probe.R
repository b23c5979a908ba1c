# A small held-out raster set for the reading of figures (R base and survminer): data sets,
# themes and fonts not in make_figures.R (rotterdam with theme_light() and larger fonts,
# nwtco with theme_linedraw() and a percent axis, retinopathy in R base with cex = 0.8 and
# a serif font), PNG at 150 and 300 dpi, truth CSV and JSON as make_figures.R writes them.
#
#   Rscript benchmarks/digitize/make_probe.R OUTDIR
#   python benchmarks/digitize/make_probe.py OUTDIR      # the matplotlib figure
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-probe")
# 1. survminer, theme_light, larger fonts, censor marks: rotterdam, chemotherapy
rot <- with(rotterdam, data.frame(time = round(rtime / 30.44, 1), status = recur,
                                  arm = ifelse(chemo == 1, "Chemo", "No chemo")))
arms <- c("No chemo", "Chemo"); rot$arm <- factor(rot$arm, levels = arms)
fit <- surv_fit(Surv(time, status) ~ arm, data = rot)
p <- ggsurvplot(fit, data = rot, risk.table = TRUE, censor = TRUE, palette = c("#E69F00", "#0072B2"),
                legend.labs = arms, legend.title = "", break.time.by = 50, risk.table.height = 0.28,
                ggtheme = theme_light(), font.x = 16, font.y = 16, font.tickslab = 14,
                font.legend = 14, fontsize = 5.5, xlab = "Months")
pngs("pr_gg_rotterdam_light", 7, 6, function() print(p, newpage = FALSE))
meta("pr_gg_rotterdam_light", rot, arms, seq(0, 250, 50), TRUE)
# 2. survminer, theme_linedraw, percent scale, title, no censor marks: nwtco histology
nw <- with(nwtco, data.frame(time = round(edrel / 365.25, 2), status = rel,
                             arm = ifelse(histol == 1, "Favourable", "Unfavourable")))
arms <- c("Favourable", "Unfavourable"); nw$arm <- factor(nw$arm, levels = arms)
fit <- surv_fit(Surv(time, status) ~ arm, data = nw)
p <- ggsurvplot(fit, data = nw, risk.table = TRUE, censor = FALSE, palette = c("#D55E00", "#009E73"),
                legend.labs = arms, legend.title = "Histology", break.time.by = 5,
                surv.scale = "percent", title = "Relapse-free survival", font.main = 15,
                risk.table.height = 0.28, ggtheme = theme_linedraw(), xlab = "Years")
pngs("pr_gg_nwtco_linedraw", 6.5, 6, function() print(p, newpage = FALSE))
meta("pr_gg_nwtco_linedraw", nw, arms, seq(0, 20, 5), FALSE)
# 3. R base, cex = 0.8, serif font, risk table in the margin: retinopathy laser type
rt <- with(subset(retinopathy, trt == 1),
           data.frame(time = futime, status = status, arm = ifelse(laser == "xenon", "Xenon", "Argon")))
arms <- c("Argon", "Xenon"); rt$arm <- factor(rt$arm, levels = arms)
fit <- survfit(Surv(time, status) ~ arm, data = rt)
tt <- seq(0, 70, 10)
pngs("pr_rbase_retino_serif", 6, 4.8, function() {
  par(mar = c(7, 9, 2, 1), cex = 0.8, family = "serif")
  plot(fit, col = c("firebrick", "steelblue4"), lwd = 1.5, mark.time = TRUE, xaxt = "n",
       xlab = "Months", ylab = "Free of vision loss", las = 1)
  axis(1, at = tt)
  legend("bottomleft", legend = arms, col = c("firebrick", "steelblue4"), lwd = 1.5, bty = "n")
  risk_rows(fit, arms, tt, at0 = -0.3 * max(tt), cex = 0.8, title = "No. at risk",
            cex.axis = 1)
})
meta("pr_rbase_retino_serif", rt, arms, tt, TRUE)
