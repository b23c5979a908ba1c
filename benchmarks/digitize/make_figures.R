# Figure set for the digitize benchmark: R base graphics and survminer::ggsurvplot figures of
# R's lung, colon, veteran, gbsg and pbc data, each with its patient data (the truth).
#
#   Rscript benchmarks/digitize/make_figures.R OUTDIR [png]
#
# Writes OUTDIR/<figure>.<pdf|svg|png> and OUTDIR/<figure>.truth.csv (arm, time, status) and
# OUTDIR/<figure>.json (arms in legend order, risk-table times, whether censoring marks are drawn). With "png", also PNG at 150 and
# 300 dpi (names <figure>_150.png, <figure>_300.png).
local({  # the shared code, next to this script
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
  source(file.path(dirname(normalizePath(f)), "figset.R"))
})
out <- out_dir("digitize-figures")
want_png <- length(commandArgs(TRUE)) > 1 && commandArgs(TRUE)[2] == "png"

data_sets <- list(
  lung = with(lung, data.frame(time = time, status = status - 1,
                               arm = ifelse(sex == 1, "Male", "Female"))),
  colon = with(subset(colon, etype == 2), data.frame(time = time, status = status,
                                                     arm = as.character(rx))),
  veteran = with(veteran, data.frame(time = time, status = status,
                                     arm = ifelse(trt == 1, "Standard", "Test"))),
  gbsg = with(gbsg, data.frame(time = rfstime / 30.4375, status = status,
                               arm = ifelse(hormon == 1, "Tamoxifen", "No tamoxifen"))),
  pbc = with(subset(pbc, !is.na(trt)), data.frame(time = time / 365.25,
                                                 status = as.integer(status == 2),
                                                 arm = ifelse(trt == 1, "D-penicillamine",
                                                              "Placebo")))
)
arm_levels <- list(lung = c("Male", "Female"), colon = c("Obs", "Lev", "Lev+5FU"),
                   veteran = c("Standard", "Test"), gbsg = c("No tamoxifen", "Tamoxifen"),
                   pbc = c("D-penicillamine", "Placebo"))
breaks <- list(lung = 250, colon = 500, veteran = 100, gbsg = 12, pbc = 2)

base_figure <- function(ds, name, cols, ltys, marks, conf, risk, yscale = 1) {
  d <- data_sets[[ds]]
  arms <- arm_levels[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  tmax <- max(d$time)
  tt <- seq(0, floor(tmax / breaks[[ds]]) * breaks[[ds]], breaks[[ds]])
  draw <- function() {
    par(mar = c(if (risk) 5 + length(arms) else 4, 11, 2, 2))
    plot(fit, col = cols, lty = ltys, mark.time = marks, conf.int = conf, xaxt = "n",
         yscale = yscale, xlab = "Time", ylab = if (yscale == 100) "Survival (%)" else "Survival",
         las = 1)
    axis(1, at = tt)
    legend("topright", legend = arms, col = cols, lty = ltys, bty = "n")
    if (risk) risk_rows(fit, arms, tt, at0 = -0.45 * max(tt))
  }
  devices(name, 7, 5 + 0.2 * length(arms), draw, png = want_png)
  meta(name, d, arms, if (risk) tt else numeric(0), marks)
}

gg_figure <- function(ds, name, conf, censor, palette, linetype = 1) {
  d <- data_sets[[ds]]
  arms <- arm_levels[[ds]]
  d$arm <- factor(d$arm, levels = arms)
  fit <- surv_fit(Surv(time, status) ~ arm, data = d)
  p <- ggsurvplot(fit, data = d, risk.table = TRUE, conf.int = conf, censor = censor,
                  palette = palette, linetype = linetype, legend.labs = arms,
                  break.time.by = breaks[[ds]], legend.title = "", risk.table.height = 0.25,
                  ggtheme = theme_classic())
  devices(name, 7, 6, function() print(p, newpage = FALSE), png = want_png)
  tmax <- max(d$time)
  meta(name, d, arms, seq(0, ceiling(tmax / breaks[[ds]]) * breaks[[ds]], breaks[[ds]]), censor)
}

base_figure("lung", "rbase_lung_colour", c("#D55E00", "#0072B2"), c(1, 1), TRUE, FALSE, TRUE)
base_figure("veteran", "rbase_veteran_bw", c("black", "black"), c(1, 2), FALSE, FALSE, TRUE)
base_figure("colon", "rbase_colon_3arms", c("#D55E00", "#0072B2", "#009E73"), c(1, 1, 1),
            TRUE, FALSE, TRUE)
base_figure("gbsg", "rbase_gbsg_ci", c("#D55E00", "#0072B2"), c(1, 1), TRUE, TRUE, FALSE)
base_figure("pbc", "rbase_pbc_percent", c("grey20", "grey60"), c(1, 3), TRUE, FALSE, TRUE,
            yscale = 100)
gg_figure("lung", "gg_lung_ci", TRUE, TRUE, c("#E7B800", "#2E9FDF"))
gg_figure("colon", "gg_colon_3arms", FALSE, TRUE, c("#D55E00", "#0072B2", "#009E73"))
gg_figure("veteran", "gg_veteran_grey", FALSE, FALSE, c("grey10", "grey50"))
gg_figure("pbc", "gg_pbc_dashed", FALSE, TRUE, c("black", "black"), linetype = "strata")
