# Reference output of R survival's other estimators, written as JSON: Nelson-Aalen and
# Fleming-Harrington hazards (ctype = 1, 2) with std.chaz, exp(-H) survival (stype = 2),
# conditional Kaplan-Meier (start.time), stratified and G-rho log-rank (survdiff).
#
# Used two ways:
#   * sourced by make_hazard_fixtures.R (tests/fixtures/hazard/*.json), and
#   * run directly by tests/test_estimators_live_r.py on fresh random data:
#       Rscript tests/r/live_hazard.R input.csv output.json
#     input.csv: columns dataset, time, event and optionally entry, weights, group, strata,
#     start_time (one value per dataset, repeated).
#
# Made with R 4.2 and survival 3.5.3. The JSON writer is the one of live_km.R.

args_all <- commandArgs(trailingOnly = FALSE)
here_hz <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
if (!exists("to_json")) source(file.path(here_hz, "live_km.R"))

se_surv <- function(fit) if (isTRUE(fit$logse)) fit$std.err * fit$surv else fit$std.err

curve_block <- function(fit, times) {
  s <- summary(fit, times = times, extend = TRUE)
  list(time = num(fit$time), n_risk = num(fit$n.risk), n_event = num(fit$n.event),
       surv = num(fit$surv), std_err = num(se_surv(fit)), lower = num(fit$lower),
       upper = num(fit$upper), cumhaz = num(fit$cumhaz), std_chaz = num(fit$std.chaz),
       summary = list(time = num(s$time), n_risk = num(s$n.risk), surv = num(s$surv),
                      std_err = num(s$std.err), lower = num(s$lower), upper = num(s$upper),
                      cumhaz = num(s$cumhaz), std_chaz = num(s$std.chaz)))
}

hazard_reference <- function(name, d, times = default_times(d$time), start_time = NULL,
                             conf_levels = c(0.95, 0.9)) {
  has_entry <- !is.null(d$entry)
  has_w <- !is.null(d$weights)
  frac_w <- has_w && any(d$weights != floor(d$weights))
  lhs <- if (has_entry) "Surv(entry, time, event)" else "Surv(time, event)"
  fit1 <- function(...) {
    args <- list(formula = as.formula(paste(lhs, "~ 1")), data = d, ...)
    if (has_w) args$weights <- d$weights
    do.call(survfit, args)
  }
  ctypes <- if (frac_w) 1 else c(1, 2)
  curves <- list()
  for (stype in c(1, 2)) for (ctype in ctypes) for (lev in conf_levels) for (ct in CONF_TYPES) {
    if (stype == 1 && ctype == 2 && !(lev == 0.95 && ct == "log")) next
    b <- curve_block(fit1(stype = stype, ctype = ctype, conf.type = ct, conf.int = lev), times)
    b$stype <- scalar(stype); b$ctype <- scalar(ctype)
    b$conf_type <- scalar(ct); b$conf_level <- scalar(lev)
    curves[[length(curves) + 1]] <- b
  }
  cond <- NULL
  if (!is.null(start_time)) {
    cond <- list()
    for (lev in conf_levels) for (ct in CONF_TYPES) {
      f <- fit1(conf.type = ct, conf.int = lev, start.time = start_time)
      b <- curve_block(f, times)
      tab <- table_row(f)
      b$median <- list(estimate = scalar(num(tab["median"])),
                       lower = scalar(num(tab[grep("LCL$", names(tab))])),
                       upper = scalar(num(tab[grep("UCL$", names(tab))])))
      b$conf_type <- scalar(ct); b$conf_level <- scalar(lev)
      cond[[length(cond) + 1]] <- b
    }
  }
  sd <- NULL
  if (!is.null(d$group) && !has_entry && !has_w && length(unique(d$group)) > 1) {
    sd <- lapply(c(0, 1, 0.5, 2), function(rho) {
      form <- if (is.null(d$strata)) Surv(time, event) ~ group
              else Surv(time, event) ~ group + strata(strata)
      t <- survdiff(form, data = d, rho = rho)
      o <- if (is.matrix(t$obs)) rowSums(t$obs) else t$obs
      e <- if (is.matrix(t$exp)) rowSums(t$exp) else t$exp
      dfree <- sum(e > 0) - 1
      list(rho = scalar(rho), statistic = scalar(num(t$chisq)), df = scalar(dfree),
           p_value = scalar(pchisq(t$chisq, dfree, lower.tail = FALSE)),
           observed = num(o), expected = num(e), variance = num(t$var))
    })
  }
  list(
    name = scalar(name),
    r_version = scalar(paste(R.version$major, R.version$minor, sep = ".")),
    survival_version = scalar(as.character(packageVersion("survival"))),
    start_time = if (is.null(start_time)) NULL else scalar(start_time),
    input = list(time = num(d$time), event = num(d$event),
                 entry = if (has_entry) num(d$entry) else NULL,
                 weights = if (has_w) num(d$weights) else NULL,
                 group = if (is.null(d$group)) NULL else as.character(d$group),
                 strata = if (is.null(d$strata)) NULL else as.character(d$strata)),
    times = num(times), curves = curves, conditional = cond, survdiff = sd
  )
}

main_hazard <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) != 2) stop("usage: Rscript live_hazard.R input.csv output.json")
  raw <- read.csv(args[1], stringsAsFactors = FALSE)
  out <- lapply(unique(raw$dataset), function(ds) {
    d <- raw[raw$dataset == ds, , drop = FALSE]
    d$dataset <- NULL
    st <- if (!is.null(d$start_time) && !is.na(d$start_time[1])) d$start_time[1] else NULL
    d$start_time <- NULL
    for (col in c("entry", "weights", "group", "strata")) {
      if (!is.null(d[[col]]) && all(is.na(d[[col]]) | d[[col]] == "")) d[[col]] <- NULL
    }
    if (!is.null(d$group)) d$group <- as.character(d$group)
    hazard_reference(ds, d, start_time = st)
  })
  write_json(list(datasets = out), args[2])
}

if (sys.nframe() == 0L) main_hazard()
