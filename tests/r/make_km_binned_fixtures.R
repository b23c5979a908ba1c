# Fixtures for the Kaplan-Meier fit of tied times on a grid, with weights and entry times
# (survkit.estimate._core.binned_fit): n = 12,000 rows, so that survkit takes its binned
# path (more than 2 * 4096 rows, many ties). The inputs are defined by integer formulas,
# written out again in tests/test_km_binned.py, so the fixture holds only R's results.
#
#   Rscript tests/r/make_km_binned_fixtures.R   (from the repository root)
#
# For row i = 0, ..., n - 1 (integer arithmetic):
#   u_i = (i * 7919 + 13) %% 10007            a scrambled index in 0..10006
#   day_i = 1 + (u_i * 37) %% 400             whole days 1..400
#   dec_i = (1 + (u_i * 53) %% 600) / 100     months on a 0.01 grid, 0.01..6.00
#   event_i = ((i * 31 + 7) %% 10) < 6        60 % events
#   wint_i = (i * 13) %% 4                    integer weights 0..3 (some 0)
#   wfrac_i = 0.25 + ((i * 101) %% 997) / 400 fractional weights 0.25..2.74
#   entry (days) = (day_i * ((i * 17) %% 5)) %/% 10, i.e. floor(day * k / 10), k in 0..4
#   entry (months) = floor(dec_i * 100 * k / 10) / 100, and -0.5 for every 97th row
suppressMessages(library(survival))
suppressMessages(library(jsonlite))
n <- 12000
i <- 0:(n - 1)
u <- (i * 7919 + 13) %% 10007
day <- 1 + (u * 37) %% 400
dec <- (1 + (u * 53) %% 600) / 100
event <- as.integer(((i * 31 + 7) %% 10) < 6)
wint <- (i * 13) %% 4
wfrac <- 0.25 + ((i * 101) %% 997) / 400
k <- (i * 17) %% 5
entry_day <- (day * k) %/% 10
entry_dec <- floor(dec * 100 * k / 10) / 100
entry_dec[i %% 97 == 0] <- -0.5

fit_of <- function(name, time, entry = NULL, weights = NULL) {
  y <- if (is.null(entry)) Surv(time, event) else Surv(entry, time, event)
  f <- if (is.null(weights)) survfit(y ~ 1) else survfit(y ~ 1, weights = weights)
  # f$std.err is SE(log S) when f$logse, else (the robust variance) SE(S)
  logse <- is.null(f$logse) || isTRUE(f$logse)
  se_log <- if (logse) f$std.err else ifelse(f$std.err == 0, 0, f$std.err / f$surv)
  se <- if (logse) f$surv * f$std.err else f$std.err
  list(name = name, time = f$time, n_risk = f$n.risk, n_event = f$n.event, surv = f$surv,
       std_err = se, std_err_log = se_log, sum_time = sum(time),
       sum_entry = if (is.null(entry)) NULL else sum(entry),
       sum_weights = if (is.null(weights)) NULL else sum(weights))
}

cases <- list(
  fit_of("days_integer_weights", day, weights = wint),
  fit_of("days_fractional_weights", day, weights = wfrac),
  fit_of("days_entry_integer_weights", day, entry = entry_day, weights = wint),
  fit_of("months_fractional_weights", dec, weights = wfrac),
  fit_of("months_entry", dec, entry = entry_dec)
)
out <- list(r_version = R.version.string,
            survival_version = as.character(packageVersion("survival")),
            note = "std_err is R's std.err (of log S; the IJ for fractional weights)",
            n = n, cases = cases)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, null = "null"),
           "tests/fixtures/km_binned/binned_weights.json")
