# A black-and-white R base-graphics KM figure (solid and dashed black curves of R's
# `veteran` data by treatment, legend top right) and its Kaplan-Meier steps, for
# tests/test_digitize_raster_curves.py:
#   Rscript tests/r/bw_figure.R OUT.png DPI OUT_steps.csv
# OUT_steps.csv has columns arm, time, surv (the survfit steps; time 0 / S = 1 first).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(TRUE)
d <- veteran
d$arm <- factor(ifelse(d$trt == 1, "Standard", "Test"), levels = c("Standard", "Test"))
fit <- survfit(Surv(time, status) ~ arm, data = d)
png(args[1], width = 7, height = 5.4, units = "in", res = as.numeric(args[2]))
par(mar = c(7, 11, 2, 2))
plot(fit, col = c("black", "black"), lty = c(1, 2), mark.time = FALSE, xlab = "Time",
     ylab = "Survival", las = 1)
legend("topright", legend = levels(d$arm), col = "black", lty = c(1, 2), bty = "n")
invisible(dev.off())
s <- summary(fit, censored = FALSE)
arm <- sub("arm=", "", as.character(s$strata))
out <- rbind(data.frame(arm = levels(d$arm), time = 0, surv = 1),
             data.frame(arm = arm, time = s$time, surv = s$surv))
write.csv(out, args[3], row.names = FALSE)
