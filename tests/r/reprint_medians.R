# Re-print the medians (95% CI, R's default log band) of every draw of a reconstruction.
# Usage: Rscript reprint_medians.R patients.csv ENDPOINT [ENDPOINT ...]
# Prints one line per draw: "<draw> <median> (<lower>-<upper>) | ..." with sprintf("%.1f").
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
eps <- args[-1]
for (k in sort(unique(d$draw))) {
  x <- d[d$draw == k, ]
  out <- vapply(eps, function(ep) {
    f <- survfit(Surv(x[[paste0(ep, "_months")]], x[[paste0(ep, "_event")]]) ~ 1,
                 conf.type = "log")
    q <- quantile(f, 0.5)
    sprintf("%.1f (%.1f-%.1f)", q$quantile, q$lower, q$upper)
  }, "")
  cat(k, paste(out, collapse = " | "), "\n")
}
