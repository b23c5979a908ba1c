# Re-analyse reconstructed draws with R survival: for each draw and endpoint, the 12-month
# survival and its log-transformed 95% CI (summary(survfit(...), times = 12)).
# Usage: Rscript tests/r/reanalyse_draws.R patients.csv out.csv
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
rows <- list()
for (k in unique(d$draw)) {
  x <- d[d$draw == k, ]
  for (ep in c("os", "dfs")) {
    fit <- survfit(Surv(x[[paste0(ep, "_months")]], x[[paste0(ep, "_event")]]) ~ 1, conf.type = "log")
    s <- summary(fit, times = 12)
    rows[[length(rows) + 1]] <- data.frame(draw = k, endpoint = ep, surv = s$surv,
                                           lower = s$lower, upper = s$upper, n_risk = s$n.risk)
  }
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
