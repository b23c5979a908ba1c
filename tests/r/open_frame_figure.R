# An R base Kaplan-Meier figure with an open frame (bty = "l") and xaxs = "i": the frame is
# one path down the y axis and along the x axis, starting at t = 0, like a curve dropping at
# once to below S = 0. Usage: Rscript open_frame_figure.R OUT.(pdf|svg) STEPS.csv
# The steps file has R's survfit times and survival per arm, with (0, 1) first.
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]; steps <- args[2]
arms <- c("Age < 50", "Age 50-65", "Age > 65")
g <- cut(rotterdam$age, c(-Inf, 49, 65, Inf), labels = arms)
d <- data.frame(time = rotterdam$dtime / 365.25, status = rotterdam$death, arm = factor(g, arms))
fit <- survfit(Surv(time, status) ~ arm, data = d)
if (grepl("[.]svg$", out)) svg(out, width = 7, height = 5.5) else pdf(out, width = 7, height = 5.5)
plot(fit, col = c("navy", "firebrick", "darkgreen"), lwd = 1.5, bty = "l", xaxs = "i",
     xaxt = "n", las = 1, xlim = c(0, 19), xlab = "Years since surgery",
     ylab = "Overall survival")
axis(1, at = seq(0, 18, 2))
legend("bottomleft", legend = arms, col = c("navy", "firebrick", "darkgreen"), lwd = 1.5,
       bty = "n")
invisible(dev.off())
s <- summary(fit, censored = FALSE)
arm <- sub("arm=", "", as.character(s$strata))
tab <- rbind(data.frame(arm = arms, time = 0, surv = 1),
             data.frame(arm = arm, time = s$time, surv = s$surv))
write.csv(tab[order(match(tab$arm, arms), tab$time), ], steps, row.names = FALSE)
