# Re-analyse the draws of one endpoint with R survival: survival and CI at landmark times
# (summary(survfit(...), times = ...)) and the median with its CI (print.survfit table).
# Usage: Rscript tests/r/reanalyse_endpoint.R draws.csv out.csv CONF_TYPE TIMES
#   draws.csv: columns draw, time, event; CONF_TYPE: log, log-log, plain, ...;
#   TIMES: comma-separated landmark times ("" for none).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
ct <- args[3]
times <- if (length(args) >= 4 && nchar(args[4]) > 0) as.numeric(strsplit(args[4], ",")[[1]]) else numeric(0)
rows <- list()
for (k in unique(d$draw)) {
  x <- d[d$draw == k, ]
  fit <- survfit(Surv(x$time, x$event) ~ 1, conf.type = ct)
  tab <- summary(fit)$table
  med <- c(tab[["median"]], tab[["0.95LCL"]], tab[["0.95UCL"]])
  if (length(times) == 0) {
    rows[[length(rows) + 1]] <- data.frame(draw = k, time = NA, surv = NA, lower = NA,
      upper = NA, median = med[1], median_lower = med[2], median_upper = med[3])
  } else {
    s <- summary(fit, times = times)
    rows[[length(rows) + 1]] <- data.frame(draw = k, time = s$time, surv = s$surv,
      lower = s$lower, upper = s$upper, median = med[1], median_lower = med[2],
      median_upper = med[3])
  }
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
