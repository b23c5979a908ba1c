# Cox hazard ratios between arms (R survival coxph, Efron ties, the default) and the log-rank
# test (survdiff), as the reference for survkit.ipd.compare.compare_arms.
#   Rscript tests/r/cox_arms.R tests/fixtures/cox_arms.csv
# also writes tests/fixtures/cox_arms_lung_ecog.csv (time, event, arm) for the three-arm case.
# Datasets: aml (x: Maintained as reference) and lung restricted to ph.ecog 0, 1, 2
# (reference 0; status recoded to 0/1).

suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/fixtures/cox_arms.csv"

one <- function(name, time, status, arm, ref) {
  arm <- relevel(factor(arm), ref = ref)
  fit <- coxph(Surv(time, status) ~ arm, ties = "efron")
  s <- summary(fit, conf.int = 0.95)
  lr <- survdiff(Surv(time, status) ~ arm)
  data.frame(
    dataset = name,
    reference = ref,
    arm = sub("^arm", "", rownames(s$coefficients)),
    coef = s$coefficients[, "coef"],
    hr = s$coefficients[, "exp(coef)"],
    se = s$coefficients[, "se(coef)"],
    lower = s$conf.int[, "lower .95"],
    upper = s$conf.int[, "upper .95"],
    p_wald = s$coefficients[, "Pr(>|z|)"],
    logrank_chisq = lr$chisq,
    logrank_p = pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE),
    stringsAsFactors = FALSE
  )
}

lung2 <- subset(lung, !is.na(ph.ecog) & ph.ecog <= 2)
write.csv(data.frame(time = lung2$time, event = lung2$status - 1, arm = lung2$ph.ecog),
          file.path(dirname(out), "cox_arms_lung_ecog.csv"), row.names = FALSE)
res <- rbind(
  one("aml", aml$time, aml$status, aml$x, "Maintained"),
  one("lung_ecog", lung2$time, lung2$status - 1, lung2$ph.ecog, "0")
)
write.csv(format(res, digits = 17), out, row.names = FALSE, quote = TRUE)
