# Regenerate the Kaplan-Meier reference fixtures in tests/fixtures/km/ from R survival.
#
#   Rscript tests/r/make_km_fixtures.R          (run from the repository root)
#
# Fixtures were made with R 4.2 and survival 3.5.3. Each JSON file holds the input data
# and, for every conf.type x conf.int in {0.95, 0.9}, what survfit / summary(times=) /
# quantile / print(rmean=) / survdiff / reverse-KM return (see km_reference() in live_km.R).

args_all <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
source(file.path(here, "live_km.R"))
outdir <- normalizePath(file.path(here, "..", "fixtures", "km"), mustWork = TRUE)

emit <- function(name, d, times = default_times(d$time), taus = default_taus(d$time), ...) {
  ref <- km_reference(name, d, times, taus, ...)
  write_json(ref, file.path(outdir, paste0(name, ".json")))
  cat(sprintf("%-28s n=%4d\n", name, nrow(d)))
}

# ---------------------------------------------------------------- R's own datasets
emit("aml", data.frame(time = aml$time, event = aml$status, group = as.character(aml$x)))
emit("lung_sex", data.frame(time = lung$time, event = lung$status - 1,
                            group = ifelse(lung$sex == 1, "male", "female")))
emit("lung", data.frame(time = lung$time, event = lung$status - 1))
emit("ovarian", data.frame(time = ovarian$futime, event = ovarian$fustat,
                           group = paste0("rx", ovarian$rx)))
emit("veteran", data.frame(time = veteran$time, event = veteran$status,
                           group = paste0("trt", veteran$trt)))
emit("pbc", data.frame(time = pbc$time, event = as.integer(pbc$status == 2)))
emit("kidney", data.frame(time = kidney$time, event = kidney$status,
                          group = ifelse(kidney$sex == 1, "male", "female")))

# ---------------------------------------------------------------- seeded random data
set.seed(20240501)
n <- 40
emit("ties_small", data.frame(time = sample(1:10, n, replace = TRUE),
                              event = rbinom(n, 1, 0.7)))
n <- 60
emit("heavy_censoring", data.frame(time = round(rexp(n, 0.1), 1) + 0.1,
                                   event = rbinom(n, 1, 0.1)))
emit("all_censored", data.frame(time = round(runif(12, 1, 20)), event = 0))
emit("single_event", data.frame(time = 5, event = 1))
emit("single_censored", data.frame(time = 5, event = 0))
emit("two_obs_tied", data.frame(time = c(3, 3), event = c(1, 0)))
x <- sort(round(rexp(25, 0.2), 2) + 0.01)
emit("reaches_zero", data.frame(time = x, event = c(rbinom(24, 1, 0.8), 1)))
# S = 0.5 exactly on [5, 7), then a drop: median = (5 + 7) / 2 = 6.
emit("flat_half_drop", data.frame(time = c(1:5, 6, 7, 8, 9, 10),
                                  event = c(1, 1, 1, 1, 1, 0, 1, 0, 1, 0)))
# S = 0.5 exactly from t = 2 to the end: print() and quantile() disagree in R
# (print: 2; quantile: (2 + 4) / 2 = 3).
emit("flat_half_end", data.frame(time = 1:4, event = c(1, 1, 0, 0)))
emit("flat_half_groups", data.frame(
  time = c(1, 2, 3, 4, 5, 6, 2, 2, 4, 4, 6, 8, 1, 3, 3, 5),
  event = c(1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1),
  group = rep(c("a", "b", "c"), c(6, 6, 4))))
emit("zero_times", data.frame(time = c(0, 0, 0, 1, 2, 2, 3, 5, 8, 8),
                              event = c(1, 0, 1, 1, 0, 1, 1, 0, 1, 0)))
n <- 50
entry <- round(runif(n, 0, 5), 2)
emit("left_truncation", data.frame(entry = entry, time = entry + round(rexp(n, 0.2), 2) + 0.01,
                                   event = rbinom(n, 1, 0.7)))
emit("left_truncation_gap", data.frame(entry = c(0, 0, 5, 5, 6, 1),
                                       time = c(2, 3, 8, 9, 10, 2.5),
                                       event = c(1, 0, 1, 1, 0, 1)))
emit("left_truncation_ties", data.frame(entry = c(0, 0, 1, 1, 2, 2, 3, 0, 4, 2),
                                        time = c(3, 5, 3, 4, 5, 6, 6, 2, 7, 7),
                                        event = c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0)))
n <- 40
emit("weights_integer", data.frame(time = sample(1:15, n, replace = TRUE),
                                   event = rbinom(n, 1, 0.65),
                                   weights = sample(1:3, n, replace = TRUE)))
# Zero case weights: R keeps their times (n.risk may be 0 there).
emit("weights_with_zeros", data.frame(time = c(1, 2, 3, 4, 5, 6, 2, 7),
                                      event = c(1, 1, 0, 1, 1, 1, 0, 0),
                                      weights = c(1, 0, 1, 2, 1, 0, 2, 0)))
n <- 30
wd <- data.frame(time = round(rexp(n, 0.15), 1) + 0.1, event = rbinom(n, 1, 0.7),
                 weights = round(runif(n, 0.5, 2.5), 3))
# Non-integer case weights: survfit's default is the robust (infinitesimal jackknife)
# variance; robust = FALSE gives the weighted Greenwood variance.
emit("weights_fractional", wd,
     note = "non-integer weights: R's default robust (infinitesimal jackknife) variance")
emit("weights_fractional_greenwood", wd, robust = FALSE,
     note = "non-integer weights with robust = FALSE: weighted Greenwood variance")
# Non-integer weights where survfit's robust standard error is constant over censoring-only
# times (bit for bit); quantile()'s findq removes duplicated band values with duplicated(),
# so a last-bit drift there moves quantile(.5)$upper (R: 13.14). Found by the live test.
emit("weights_fractional_flat_band", data.frame(
  time = c(2.0800000000000001, 12.039999999999999, 7.1299999999999999, 0.40000000000000002,
    9.0299999999999994, 0.53000000000000003, 1.4099999999999999, 3.77, 26.039999999999999,
    4.2599999999999998, 11.869999999999999, 4.9100000000000001, 5.9699999999999998,
    0.73999999999999988, 1.6699999999999999, 1.95, 10.84, 6.71, 4.3200000000000003,
    6.7400000000000002, 7.6200000000000001, 2.4199999999999999, 1.1299999999999999,
    13.140000000000001, 3.6499999999999999, 12.69, 0.93999999999999995, 1.4199999999999999,
    14.029999999999999, 6, 1.96, 4.9500000000000002, 4.5099999999999998, 0.62,
    4.6900000000000004),
  event = c(1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1,
    0, 1, 0, 0, 1, 1, 1, 1, 0, 1),
  weights = c(1.8720000000000001, 1.665, 0.47699999999999992, 0.88400000000000001, 1.8779999999999999,
    1.635, 1.3400000000000001, 1.0600000000000001, 1.236, 1.325, 0.39500000000000002,
    1.302, 1.8759999999999999, 0.78200000000000003, 1.819, 0.315, 0.89500000000000002,
    1.607, 1.506, 0.59699999999999986, 1.375, 2.4460000000000002, 2.2869999999999999,
    0.86299999999999988, 0.307, 0.89500000000000002, 1.008, 0.70299999999999985,
    1.21, 2.1179999999999999, 0.81499999999999995, 2.0099999999999998, 1.595,
    0.97599999999999998, 1.0409999999999999)))
n <- 90
g <- rep(c("A", "B", "C"), each = 30)
rate <- c(A = 0.05, B = 0.1, C = 0.2)[g]
emit("groups3", data.frame(time = round(rexp(n, rate), 0) + 1, event = rbinom(n, 1, 0.75),
                           group = g))
emit("groups_one_all_censored", data.frame(
  time = c(2, 4, 4, 6, 9, 11, 3, 5, 7, 8),
  event = c(1, 1, 0, 1, 1, 0, 0, 0, 0, 0),
  group = rep(c("ctl", "trt"), c(6, 4))))
n <- 400
emit("large_ties", data.frame(time = sample(1:50, n, replace = TRUE),
                              event = rbinom(n, 1, 0.6)))
