# Reference fixtures for survkit.printed and the rounding conventions of check_ci
# (tests/test_printed*.py, tests/test_check_conventions.py).
#
#   Rscript tests/r/make_printed_fixtures.R
#
# writes
#   tests/fixtures/printed_rounding.csv : true values x (probabilities, times, ratios), printed
#       by R with d = 0..3 decimals, scale 1 or 100: `nearest` by sprintf("%.*f") (R's own
#       rounding, the one papers made with R print), `truncate` by dropping the digits beyond
#       d (exact decimal arithmetic on sprintf("%.15f"), no floating floor).
#   tests/fixtures/check_conventions.csv : random datasets (n 5..18, integer-month times with
#       ties, random censoring, random conf.type), R survfit at a landmark, the true history
#       (risk sets at the events, ties expanded), and the endpoint printed both ways: text_nearest
#       by sprintf, text_truncate by truncation, with 0 or 1 decimals (one convention per text).
suppressMessages(library(survival))
stopifnot(packageVersion("survival") >= "3.5")
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
out <- file.path(here, "..", "fixtures")

# truncation to d decimals of x >= 0 in exact decimal arithmetic on 15 printed digits
trunc_print <- function(x, d) {
  s <- sprintf("%.15f", x)
  parts <- strsplit(s, ".", fixed = TRUE)[[1]]
  if (d == 0) return(parts[1])
  paste0(parts[1], ".", substr(parts[2], 1, d))
}

set.seed(20261201)
xs <- c(runif(150), rexp(100, 0.1), c(0.5486, 0.125, 0.675, 0.545, 0.0005, 0.9995, 0.3125))
rows <- list()
k <- 0
for (x in xs) {
  for (d in 0:3) {
    for (scale in c(1, 100)) {
      if (scale == 100 && x > 1) next
      y <- scale * x
      k <- k + 1
      rows[[k]] <- data.frame(
        x = sprintf("%.17g", x), decimals = d, scale = scale,
        nearest = sprintf(paste0("%.", d, "f"), y), truncate = trunc_print(y, d),
        stringsAsFactors = FALSE
      )
    }
  }
}
write.csv(do.call(rbind, rows), file.path(out, "printed_rounding.csv"), row.names = FALSE)

types <- c("plain", "log", "log-log", "logit", "arcsin")
expand <- function(r, d) unlist(mapply(function(ri, di) if (di > 0) ri - seq_len(di) + 1 else integer(0), r, d))
set.seed(8)
rows <- list()
i <- 0
while (i < 120) {
  n <- sample(5:18, 1)
  rate <- runif(1, 0.03, 0.15)
  t_ev <- ceiling(rexp(n, rate))
  t_c <- ceiling(runif(n, 1, 40))
  time <- pmin(t_ev, t_c)
  status <- as.integer(t_ev <= t_c)
  L <- sample(c(6, 12, 18), 1)
  ct <- sample(types, 1)
  fit <- survfit(Surv(time, status) ~ 1, conf.type = ct)
  if (max(time) < L) next
  s <- summary(fit, times = L)
  if (length(s$surv) != 1) next
  if (!(s$surv > 0 && s$surv < 1)) next
  if (is.na(s$lower) || is.na(s$upper)) next
  keep <- fit$time <= L & fit$n.event > 0
  hist <- expand(fit$n.risk[keep], fit$n.event[keep])
  dec <- sample(0:1, 1)
  fn <- function(x) sprintf(paste0("%.", dec, "f"), 100 * x)
  ft <- function(x) trunc_print(100 * x, dec)
  i <- i + 1
  rows[[i]] <- data.frame(
    id = i, n = n, conf_type = ct, decimals = dec, landmark = L,
    text_nearest = sprintf("%s%% (95%% CI, %s to %s)", fn(s$surv), fn(s$lower), fn(s$upper)),
    text_truncate = sprintf("%s%% (95%% CI, %s to %s)", ft(s$surv), ft(s$lower), ft(s$upper)),
    history = paste(hist, collapse = " "),
    surv = sprintf("%.17g", s$surv), lower = sprintf("%.17g", s$lower),
    upper = sprintf("%.17g", s$upper), stringsAsFactors = FALSE
  )
}
write.csv(do.call(rbind, rows), file.path(out, "check_conventions.csv"), row.names = FALSE)
