# Printed medians with CI under each conf.type (R survival 3.5), for tests/test_check_median.py.
# Run: Rscript tests/r/make_median_methods.R  (writes tests/fixtures/median_methods.json)
library(survival)
cases <- list(
  lung = list(time = lung$time, status = lung$status - 1),
  aml = list(time = aml$time, status = aml$status),
  veteran = list(time = veteran$time, status = veteran$status)
)
out <- list()
for (nm in names(cases)) {
  d <- cases[[nm]]
  for (ct in c("plain", "log", "log-log", "logit", "arcsin")) {
    fit <- survfit(Surv(d$time, d$status) ~ 1, conf.type = ct)
    q <- quantile(fit, 0.5)
    f <- function(x) if (is.na(x)) "NR" else sprintf("%.0f", x)
    out[[length(out) + 1]] <- list(
      data = nm, conf_type = ct, time = d$time, status = d$status,
      text = sprintf("median %s days (95%% CI, %s to %s)", f(q$quantile), f(q$lower), f(q$upper))
    )
  }
}
writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, pretty = TRUE), "tests/fixtures/median_methods.json")
