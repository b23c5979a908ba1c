# R base Kaplan-Meier figures where arms drawn later hide parts of arms drawn before them,
# and R's own steps. Usage: Rscript drawn_over_figure.R KIND OUT.png DPI STEPS.csv
#   greys: gbsg recurrence by tumour size in grey10 / grey45 / grey70 (lwd 2, drawn in that
#          order, each over the last: the first arm's line is broken where the others cross
#          it), legend labels that begin with a relation sign ("<= 20 mm", "> 50 mm")
#   udca:  udca1 treatment failure in months, grey40 placebo and a pink UDCA arm drawn over
#          it (the placebo's start at S = 1 lies under the pink line), censoring marks,
#          among them "+" marks at t = 0 whose uprights stand above the start
# The steps file has R's survfit times and survival per arm, with (0, 1) first.
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
kind <- args[1]; out <- args[2]; dpi <- as.numeric(args[3]); steps <- args[4]
png(out, width = 6.5, height = 5, units = "in", res = dpi)
if (kind == "greys") {
  arms <- c("<= 20 mm", "21-50 mm", "> 50 mm")
  g <- cut(gbsg$size, c(-Inf, 20, 50, Inf), labels = arms)
  d <- data.frame(time = gbsg$rfstime / 365.25, status = gbsg$status, arm = factor(g, arms))
  cols <- c("grey10", "grey45", "grey70")
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  plot(fit, col = cols, lwd = 2, las = 1, xlab = "Years", ylab = "Recurrence-free survival")
  legend("bottomleft", legend = arms, col = cols, lwd = 2, bty = "n", title = "Tumour size")
} else {
  arms <- c("Placebo", "UDCA")
  d <- data.frame(time = as.numeric(udca1$futime) / 30.4375,
                  status = as.numeric(udca1$status), arm = factor(arms[udca1$trt + 1], arms))
  cols <- c("grey40", "#E7298A")
  fit <- survfit(Surv(time, status) ~ arm, data = d)
  plot(fit, col = cols, lwd = 1.5, mark.time = TRUE, xaxt = "n", las = 1, xlim = c(0, 72),
       xlab = "Months from randomisation", ylab = "Free of treatment failure")
  axis(1, at = seq(0, 72, 12))
  legend("bottomright", legend = arms, col = cols, lwd = 1.5)
}
invisible(dev.off())
s <- summary(fit, censored = FALSE)
arm <- sub("arm=", "", as.character(s$strata))
tab <- rbind(data.frame(arm = arms, time = 0, surv = 1),
             data.frame(arm = arm, time = s$time, surv = s$surv))
write.csv(tab[order(match(tab$arm, arms), tab$time), ], steps, row.names = FALSE)
