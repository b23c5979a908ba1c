# Regenerate tests/fixtures/ipd/exact_curves.json: Kaplan-Meier curves of real data as a
# precise figure shows them, for the exact IPD reconstruction (survkit.ipd.exact).
#
#   Rscript tests/r/make_ipd_exact_fixtures.R        (run from the repository root)
#
# Made with R 4.2 and survival 3.5.3. Per group: survfit's step levels at its event times
# rounded to 6 decimals (what a vector figure gives), the end of follow-up, the numbers at
# risk #(T >= t) of summary(fit, times=) at the table times, the censoring times (one mark
# per distinct time, as plot.survfit draws them), and survfit's own n.risk / n.event at each
# event time, its median and its S at the table times, to check the rebuilt data against.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
args_all <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
out <- file.path(here, "..", "fixtures", "ipd", "exact_curves.json")

one <- function(name, time, event, table_times) {
  fit <- survfit(Surv(time, event) ~ 1)
  ev <- fit$n.event > 0
  tab <- summary(fit, times = table_times, extend = TRUE)
  list(name = name, n = length(time), events = sum(event),
       step_time = fit$time[ev], step_surv = round(fit$surv[ev], 6),
       step_n_risk = fit$n.risk[ev], step_n_event = fit$n.event[ev],
       end = max(time),
       risk_time = table_times, risk_n = tab$n.risk, risk_surv = tab$surv,
       censor_times = sort(unique(time[event == 0])),
       median = unname(summary(fit)$table["median"]))
}
groups <- list()
add <- function(name, d, by, table_times) {
  for (g in sort(unique(d[[by]]))) {
    s <- d[d[[by]] == g, ]
    groups[[length(groups) + 1]] <<- one(paste0(name, ":", g), s$time, s$event, table_times)
  }
}
add("lung_sex", data.frame(time = lung$time, event = lung$status - 1, sex = lung$sex), "sex",
    seq(0, 1000, 200))
add("veteran_trt", data.frame(time = veteran$time, event = veteran$status, trt = veteran$trt),
    "trt", seq(0, 900, 100))
rec <- colon[colon$etype == 1, ]
add("colon_rx", data.frame(time = rec$time, event = rec$status, rx = as.character(rec$rx)),
    "rx", seq(0, 3000, 500))
write_json(groups, out, digits = NA, auto_unbox = TRUE, pretty = FALSE)
for (g in groups) cat(sprintf("%-22s n=%4d events=%4d steps=%4d tied steps=%3d\n", g$name, g$n,
                              g$events, length(g$step_time), sum(g$step_n_event > 1)))
