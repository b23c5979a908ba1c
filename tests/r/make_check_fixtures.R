# Reference fixtures for survkit's endpoint checker (tests/test_check_*.py).
#
#   Rscript tests/r/make_check_fixtures.R
#
# writes
#   tests/fixtures/check_r_cases.csv : printed endpoints made by R survfit on random data
#       (random n in 5..60, integer-month times with ties, random censoring, random conf.type,
#       printed with 0 or 1 decimals by sprintf), with the true history: the risk-set sizes at
#       the events up to the landmark, tied events expanded to r, r-1, ..., r-d+1.
#   tests/fixtures/check_ties.csv : survfit with tied events (surv, std.err at every time) and
#       the same data's expanded risk sets, for the tie-expansion identity.
#   tests/fixtures/check_all9.csv : every history of n = 9 patients (all subsets of risk sets
#       2..9) realised as a dataset, with R's surv/lower/upper for every conf.type.
#   tests/fixtures/check_seed.csv : R's summary(times = 1000.5 ...) on datasets realising the
#       histories survkit lists for the seed endpoints ("68% (95% CI, 43-100)" and
#       "54% (95% CI, 29-100)", n = 10), for the worked example in docs/checking.md.
suppressMessages(library(survival))
stopifnot(packageVersion("survival") >= "3.5")
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("--file=", "", args[grep("--file=", args)])))
out <- file.path(here, "..", "fixtures")

types <- c("plain", "log", "log-log", "logit", "arcsin")
expand <- function(r, d) unlist(mapply(function(ri, di) if (di > 0) ri - seq_len(di) + 1 else integer(0), r, d))

set.seed(20240611)
rows <- list()
i <- 0
while (i < 240) {
  n <- sample(5:60, 1)
  rate <- runif(1, 0.02, 0.15)
  t_ev <- ceiling(rexp(n, rate))
  t_c <- ceiling(runif(n, 1, 60))
  time <- pmin(t_ev, t_c)
  status <- as.integer(t_ev <= t_c)
  L <- sample(c(6, 12, 18, 24), 1)
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
  f <- function(x) sprintf(paste0("%.", dec, "f"), 100 * x)
  text <- sprintf("%s%% (95%% CI, %s to %s)", f(s$surv), f(s$lower), f(s$upper))
  i <- i + 1
  rows[[i]] <- data.frame(
    id = i, n = n, conf_type = ct, decimals = dec, landmark = L, text = text,
    history = paste(hist, collapse = " "), n_risk_at = s$n.risk,
    events_before = sum(fit$n.event[fit$time <= L]),
    surv = sprintf("%.17g", s$surv), lower = sprintf("%.17g", s$lower),
    upper = sprintf("%.17g", s$upper), stringsAsFactors = FALSE
  )
}
write.csv(do.call(rbind, rows), file.path(out, "check_r_cases.csv"), row.names = FALSE)

# Ties: KM and Greenwood with tied events.
set.seed(7)
tie_rows <- list()
for (k in 1:20) {
  n <- sample(8:40, 1)
  time <- sample(1:6, n, replace = TRUE)
  status <- rbinom(n, 1, 0.7)
  fit <- survfit(Surv(time, status) ~ 1)
  tie_rows[[k]] <- data.frame(
    dataset = k, time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event,
    surv = sprintf("%.17g", fit$surv), std_err = sprintf("%.17g", fit$std.err),
    stringsAsFactors = FALSE
  )
}
write.csv(do.call(rbind, tie_rows), file.path(out, "check_ties.csv"), row.names = FALSE)

# Seed: datasets realising the histories survkit lists (events at times 1, 2, ...;
# censorings at t - 0.5 bring the risk set down; survivors censored at 1500).
realise <- function(h, n) {
  time <- c(); status <- c(); cur <- n
  for (i in seq_along(h)) {
    need <- cur - h[i]
    time <- c(time, rep(i - 0.5, need), i); status <- c(status, rep(0, need), 1)
    cur <- h[i] - 1
  }
  list(time = c(time, rep(1500, cur)), status = c(status, rep(0, cur)))
}
seed <- list(
  list(endpoint = "OS", h = c(10, 8, 7)),
  list(endpoint = "DFS", h = c(10, 8, 7, 5)),
  list(endpoint = "DFS", h = c(10, 9, 7, 5))
)
seed_rows <- list()
for (k in seq_along(seed)) {
  d <- realise(seed[[k]]$h, 10)
  for (ct in types) {
    s <- summary(survfit(Surv(d$time, d$status) ~ 1, conf.type = ct), times = 999.5)
    seed_rows[[length(seed_rows) + 1]] <- data.frame(
      endpoint = seed[[k]]$endpoint, history = paste(seed[[k]]$h, collapse = " "),
      conf_type = ct, surv = sprintf("%.17g", s$surv), lower = sprintf("%.17g", s$lower),
      upper = sprintf("%.17g", s$upper),
      printed = sprintf("%.0f%% (95%% CI, %.0f to %.0f)", 100 * s$surv, 100 * s$lower, 100 * s$upper),
      stringsAsFactors = FALSE
    )
  }
}
write.csv(do.call(rbind, seed_rows), file.path(out, "check_seed.csv"), row.names = FALSE)

# Every history of n = 9.
all_rows <- list()
for (bits in 0:(2^8 - 1)) {
  h <- rev((2:9)[bitwAnd(bits, 2^(0:7)) > 0])
  d <- realise(h, 9)
  for (ct in types) {
    s <- summary(survfit(Surv(d$time, d$status) ~ 1, conf.type = ct), times = 999.5)
    all_rows[[length(all_rows) + 1]] <- data.frame(
      history = paste(h, collapse = " "), conf_type = ct, surv = sprintf("%.17g", s$surv),
      lower = sprintf("%.17g", s$lower), upper = sprintf("%.17g", s$upper),
      stringsAsFactors = FALSE
    )
  }
}
write.csv(do.call(rbind, all_rows), file.path(out, "check_all9.csv"), row.names = FALSE)
cat("wrote check_r_cases.csv, check_ties.csv, check_seed.csv, check_all9.csv\n")
