# Regenerate tests/fixtures/hazard/*.json: Nelson-Aalen / Fleming-Harrington hazards with
# std.chaz, stype = 2 survival, conditional KM (start.time) and stratified / G-rho survdiff.
#
#   Rscript tests/r/make_hazard_fixtures.R          (run from the repository root)
#
# Made with R 4.2 and survival 3.5.3.

args_all <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
source(file.path(here, "live_km.R"))
source(file.path(here, "live_hazard.R"))
outdir <- normalizePath(file.path(here, "..", "fixtures", "hazard"), mustWork = TRUE)

emit <- function(name, d, ...) {
  write_json(hazard_reference(name, d, ...), file.path(outdir, paste0(name, ".json")))
  cat(sprintf("%-28s n=%4d\n", name, nrow(d)))
}

emit("aml", data.frame(time = aml$time, event = aml$status, group = as.character(aml$x)),
     start_time = 10)
emit("lung_sex_strata", data.frame(time = lung$time, event = lung$status - 1,
                                   group = as.character(lung$sex),
                                   strata = ifelse(lung$age >= 65, "old", "young")),
     start_time = 180)
emit("veteran_celltype", data.frame(time = veteran$time, event = veteran$status,
                                    group = paste0("trt", veteran$trt),
                                    strata = as.character(veteran$celltype)))
set.seed(20261202)
n <- 60
emit("ties_heavy", data.frame(time = sample(1:8, n, TRUE), event = rbinom(n, 1, 0.7),
                              group = sample(c("a", "b", "c"), n, TRUE)), start_time = 3)
n <- 50
entry <- round(runif(n, 0, 4), 1)
emit("left_truncation", data.frame(entry = entry, time = round(entry + rexp(n, 0.3) + 0.1, 1),
                                   event = rbinom(n, 1, 0.7)), start_time = 2)
n <- 40
emit("weights_integer", data.frame(time = sample(1:10, n, TRUE), event = rbinom(n, 1, 0.6),
                                   weights = sample(1:3, n, TRUE)))
n <- 40
emit("weights_fractional", data.frame(time = round(rexp(n, 0.2), 1) + 0.1,
                                      event = rbinom(n, 1, 0.7),
                                      weights = round(runif(n, 0.2, 2.5), 3)), start_time = 1)
n <- 40
entry <- round(runif(n, 0, 3), 1)
emit("truncation_weights", data.frame(entry = entry, time = round(entry + sample(1:8, n, TRUE), 1),
                                      event = rbinom(n, 1, 0.6),
                                      weights = round(runif(n, 0.5, 2), 2)))
emit("reaches_zero", data.frame(time = c(1, 2, 2, 3, 4), event = c(1, 1, 0, 1, 1)))
