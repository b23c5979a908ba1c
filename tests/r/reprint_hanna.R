# Re-analyse reconstructed Hanna 2024 draws with R survival and print them as the paper does
# (one decimal, sprintf): 1-, 2-, 3-year CFS with log-log 95% CIs, the CFS median with its CI
# (NR when not reached), 2-year OS, and the median and range of every patient's observed time.
# Usage: Rscript tests/r/reprint_hanna.R patients.csv out.csv
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
f1 <- function(x) if (is.na(x)) "NR" else sprintf("%.1f", x)
rows <- list()
for (k in unique(d$draw)) {
  x <- d[d$draw == k, ]
  fit <- survfit(Surv(x$cfs_months, x$cfs_event) ~ 1, conf.type = "log-log")
  s <- summary(fit, times = c(12, 24, 36))
  lm <- sprintf("%.1f (%.1f-%.1f)", 100 * s$surv, 100 * s$lower, 100 * s$upper)
  tab <- summary(fit)$table
  os <- survfit(Surv(x$os_months, x$os_event) ~ 1)
  so <- summary(os, times = 24, extend = TRUE)
  obs <- x$os_months
  rows[[length(rows) + 1]] <- data.frame(
    draw = k, cfs12 = lm[1], cfs24 = lm[2], cfs36 = lm[3],
    median = sprintf("%s (%s-%s)", f1(tab[["median"]]), f1(tab[["0.95LCL"]]),
                     f1(tab[["0.95UCL"]])),
    events = sum(x$cfs_event), os24 = sprintf("%.0f", 100 * so$surv),
    fu = sprintf("%.1f (%.1f-%.1f)", median(obs), min(obs), max(obs)))
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
