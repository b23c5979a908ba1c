# The numbers a paper prints, computed by R survival from patient-level data.
#
#   Rscript benchmarks/digitize/reanalyse.R MANIFEST.csv OUT.csv
#
# MANIFEST.csv has one row per data set: figure, source (e.g. "truth" or "ipd"), path (a CSV
# with columns time, event or status, arm), arms (the arm names separated by "|", the first
# is the reference) and landmarks (times separated by "|"). OUT.csv gets, per data set, the
# raw (unrounded) values: S at each landmark and the median for every arm (survfit, the
# Kaplan-Meier estimate; median NA when not reached), and with two or more arms the Cox
# hazard ratio of each arm against the first with its 95% Wald interval (coxph, Efron ties)
# and the log-rank p-value (survdiff). Rounding is left to the caller, so that every number
# is rounded once, the way the paper would print it.
suppressPackageStartupMessages(library(survival))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript reanalyse.R MANIFEST.csv OUT.csv")
man <- read.csv(args[1], stringsAsFactors = FALSE)
rows <- list()
add <- function(figure, source, quantity, arm, value) {
  rows[[length(rows) + 1]] <<- data.frame(figure = figure, source = source,
                                          quantity = quantity, arm = arm, value = value,
                                          stringsAsFactors = FALSE)
}
for (i in seq_len(nrow(man))) {
  m <- man[i, ]
  d <- read.csv(m$path, stringsAsFactors = FALSE)
  if (!"event" %in% names(d)) d$event <- d$status
  arms <- strsplit(m$arms, "|", fixed = TRUE)[[1]]
  marks <- as.numeric(strsplit(as.character(m$landmarks), "|", fixed = TRUE)[[1]])
  marks <- marks[!is.na(marks)]  # a figure may have no landmark inside its follow-up
  d$arm <- factor(d$arm, levels = arms)
  for (a in arms) {
    g <- d[d$arm == a, ]
    fit <- survfit(Surv(time, event) ~ 1, data = g)
    if (length(marks)) {
      s <- summary(fit, times = marks, extend = TRUE)$surv
      for (k in seq_along(marks)) add(m$figure, m$source, paste0("S(", marks[k], ")"), a, s[k])
    }
    add(m$figure, m$source, "median", a, unname(summary(fit)$table["median"]))
  }
  if (length(arms) > 1) {
    cx <- coxph(Surv(time, event) ~ arm, data = d, ties = "efron")
    ci <- exp(confint(cx))
    for (k in seq_along(arms[-1])) {
      a <- arms[k + 1]
      add(m$figure, m$source, "HR", a, exp(coef(cx))[k])
      add(m$figure, m$source, "HR lower", a, ci[k, 1])
      add(m$figure, m$source, "HR upper", a, ci[k, 2])
    }
    lr <- survdiff(Surv(time, event) ~ arm, data = d)
    add(m$figure, m$source, "log-rank p", "",
        pchisq(lr$chisq, df = length(arms) - 1, lower.tail = FALSE))
  }
}
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
