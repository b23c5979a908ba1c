# Re-analyse reconstructed draws with R survival's multi-state survfit (Aalen-Johansen):
# relapse (cause 1) and NRM (cause 2) incidences with their CIs at landmark times.
# Usage: Rscript tests/r/reanalyse_cif_draws.R draws.csv out.csv CONF_TYPE TIMES
#   draws.csv: columns draw, time, cause (0 censored, 1 relapse, 2 NRM);
#   TIMES: comma-separated landmark times.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
ct <- args[3]
times <- as.numeric(strsplit(args[4], ",")[[1]])
rows <- list()
for (k in unique(d$draw)) {
  x <- d[d$draw == k, ]
  fit <- survfit(Surv(x$time, factor(x$cause, 0:2)) ~ 1, conf.type = ct)
  s <- summary(fit, times = times, extend = TRUE)
  for (j in 1:2) {
    rows[[length(rows) + 1]] <- data.frame(draw = k, time = s$time, cause = j,
      estimate = s$pstate[, j + 1], lower = s$lower[, j + 1], upper = s$upper[, j + 1])
  }
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
