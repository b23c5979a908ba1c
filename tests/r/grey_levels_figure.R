# An R base-graphics KM figure of three arms in three grey levels next to a thin black line
# (R's `colon` recurrences of patients with bowel obstruction, by treatment; black lwd 1,
# grey40 lwd 2, grey65 lwd 3, legend bottom left) and its Kaplan-Meier steps, for
# tests/test_digitize_raster_curves.py:
#   Rscript tests/r/grey_levels_figure.R OUT.png DPI OUT_steps.csv
# OUT_steps.csv has columns arm, time, surv (the survfit steps; time 0 / S = 1 first).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(TRUE)
d <- subset(colon, etype == 1 & obstruct == 1)
d$months <- d$time / 30.44
d$arm <- factor(as.character(d$rx), levels = c("Obs", "Lev", "Lev+5FU"),
                labels = c("Observation", "Levamisole", "Combination"))
fit <- survfit(Surv(months, status) ~ arm, data = d)
png(args[1], width = 6, height = 4.8, units = "in", res = as.numeric(args[2]))
par(mar = c(5, 6, 2, 2))
plot(fit, col = c("black", "grey40", "grey65"), lwd = c(1, 2, 3), mark.time = FALSE,
     xlab = "Months", ylab = "Recurrence-free survival", las = 1, xmax = 60)
legend("bottomleft", legend = levels(d$arm), col = c("black", "grey40", "grey65"),
       lwd = c(1, 2, 3), bty = "n")
invisible(dev.off())
s <- summary(fit, censored = FALSE)
arm <- sub("arm=", "", as.character(s$strata))
out <- rbind(data.frame(arm = levels(d$arm), time = 0, surv = 1),
             data.frame(arm = arm, time = s$time, surv = s$surv))
write.csv(out, args[3], row.names = FALSE)
