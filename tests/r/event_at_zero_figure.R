# A two-arm R base Kaplan-Meier figure where one arm has a death at time 0, and R's own steps.
# Usage: Rscript event_at_zero_figure.R OUT.png DPI STEPS.csv
# plot.survfit draws that arm's first level, S(0) = 1 - 1/20 = 0.95, from t = 0 (no drop
# from 1 is drawn); the steps file has R's survfit times and survival per arm, with
# (0, 1) first for the arm without events at 0.
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; dpi <- as.numeric(args[2]); steps <- args[3]
d <- data.frame(
  time = c(0, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 23, 24, 26, 27, 30,
           1, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22, 24, 25, 27, 28, 29, 30),
  status = c(1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0,
             1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0),
  arm = rep(c("Early", "Late"), each = 20))
fit <- survfit(Surv(time, status) ~ arm, data = d)
png(out, width = 6, height = 4.5, units = "in", res = dpi)
plot(fit, col = c("black", "grey55"), lwd = 3, xlab = "Months", ylab = "Survival",
     mark.time = FALSE)
legend("topright", legend = c("Early", "Late"), col = c("black", "grey55"), lwd = 3,
       bty = "n")
invisible(dev.off())
s <- summary(fit, censored = FALSE)
arm <- sub("arm=", "", as.character(s$strata))
tab <- data.frame(arm = arm, time = s$time, surv = s$surv)
first <- do.call(rbind, lapply(unique(arm), function(a) {
  if (min(tab$time[tab$arm == a]) > 0) data.frame(arm = a, time = 0, surv = 1) else NULL
}))
write.csv(rbind(first, tab)[order(c(first$arm, tab$arm)), ], steps, row.names = FALSE)
