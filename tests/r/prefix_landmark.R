# For each history (risk-set sizes at its events, one history a line, comma-separated) of n
# patients, print whether some number k of its first events gives a Kaplan-Meier survival and
# CI (conf.type CT) that print the landmark EST (LO-HI) in whole percent, rounded to nearest.
# Usage: Rscript tests/r/prefix_landmark.R histories.txt n CT EST LO HI
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
hs <- readLines(args[1]); n <- as.integer(args[2]); ct <- args[3]
want <- as.numeric(args[4:6])
for (line in hs) {
  r <- as.integer(strsplit(line, ",")[[1]]); E <- length(r)
  tt <- c(); ee <- c(); at <- n
  for (j in 1:E) {
    c <- at - r[j]
    if (c > 0) { tt <- c(tt, rep(j - 0.5, c)); ee <- c(ee, rep(0, c)) }
    tt <- c(tt, j); ee <- c(ee, 1); at <- r[j] - 1
  }
  tt <- c(tt, rep(E + 0.5, at)); ee <- c(ee, rep(0, at))
  fit <- survfit(Surv(tt, ee) ~ 1, conf.type = ct)
  s <- summary(fit, times = (0:E) + 0.25)
  ok <- round(100 * s$surv) == want[1] & round(100 * s$lower) == want[2] &
    round(100 * s$upper) == want[3]
  cat(sprintf("%s %d\n", line, sum(ok)))
}
