# A small competing-risks cohort for the trial engine's cumulative-incidence endpoints:
# 15 patients, relapse (cause 1) and death without prior relapse (NRM, cause 2), every
# patient followed past 12 months (administrative censoring only). R survival's multi-state
# survfit (Aalen-Johansen, infinitesimal-jackknife SE, conf.type = "log", R's default) gives
# the relapse and NRM incidences with their 95% CIs at 12 months, survfit on the first of
# relapse or death gives leukaemia-free survival (LFS) at 12 months with its log CI.
#
#   Rscript tests/r/make_trial_cif_fixture.R     (run from the repository root)
#
# Made with R 4.2, survival 3.5.3; writes tests/fixtures/trial_cif_small.json.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
args_all <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
out <- file.path(here, "..", "fixtures", "trial_cif_small.json")

time <- c(2, 3, 5, 6, 8, 14, 20, 18, 19, 21, 22, 24, 25, 26, 28)
cause <- c(2, 1, 1, 2, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0)
tau <- 12
fit <- survfit(Surv(time, factor(cause, 0:2)) ~ 1, conf.type = "log")
s <- summary(fit, times = tau, extend = TRUE)
km <- survfit(Surv(time, cause > 0) ~ 1, conf.type = "log")
k <- summary(km, times = tau, extend = TRUE)
ref <- list(
  time = time, cause = cause, landmark = tau, conf_type = "log",
  relapse = list(estimate = unname(s$pstate[, 2]), lower = unname(s$lower[, 2]),
                 upper = unname(s$upper[, 2]), std_err = unname(s$std.err[, 2])),
  nrm = list(estimate = unname(s$pstate[, 3]), lower = unname(s$lower[, 3]),
             upper = unname(s$upper[, 3]), std_err = unname(s$std.err[, 3])),
  lfs = list(estimate = k$surv, lower = k$lower, upper = k$upper)
)
write_json(ref, out, digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat(sprintf("relapse %.4f (%.4f-%.4f); NRM %.4f (%.4f-%.4f); LFS %.4f (%.4f-%.4f)\n",
            ref$relapse$estimate, ref$relapse$lower, ref$relapse$upper,
            ref$nrm$estimate, ref$nrm$lower, ref$nrm$upper,
            ref$lfs$estimate, ref$lfs$lower, ref$lfs$upper))
