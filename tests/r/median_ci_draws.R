# Median OS with its 95% CI (log transform) per draw, as R survival prints it.
# Usage: Rscript median_ci_draws.R draws.csv out.csv
# draws.csv: columns draw, os_months, os_event. out.csv: draw, median, lower, upper (NA = not reached).
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
rows <- lapply(split(d, d$draw), function(g) {
  fit <- survfit(Surv(os_months, os_event) ~ 1, data = g, conf.type = "log")
  tab <- summary(fit)$table
  data.frame(draw = g$draw[1], median = tab[["median"]], lower = tab[["0.95LCL"]],
             upper = tab[["0.95UCL"]])
})
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
