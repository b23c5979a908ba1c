# One history of Xu 2021's PFS (n = 58): a censoring at 0.5 months, 23 events before 12
# months, 14 events between 12 and 24 months, 20 patients followed past 24 months.
# Prints S, lower, upper (log-log, percent, rounded) at 12 and 24 months.
suppressMessages(library(survival))
t <- c(0.5, seq(1, 11.5, length.out = 23), seq(12.5, 23.5, length.out = 14), rep(30, 20))
e <- c(0, rep(1, 23), rep(1, 14), rep(0, 20))
s <- summary(survfit(Surv(t, e) ~ 1, conf.type = "log-log"), times = c(12, 24))
cat(sprintf("%.0f %.0f %.0f", 100 * s$surv, 100 * s$lower, 100 * s$upper), sep = "\n")
