# Reference Kaplan-Meier output from R survival, written as JSON.
#
# Used two ways:
#   * sourced by make_km_fixtures.R (which writes the committed fixtures), and
#   * run directly by tests/test_km_live_r.py on fresh random data:
#       Rscript tests/r/live_km.R input.csv output.json [t1,t2,...]
#     input.csv has columns dataset, time, event and optionally entry, weights, group;
#     output.json holds {"datasets": [...]} with one block per dataset (see km_reference());
#     the optional third argument sets the summary(times=) grid of every dataset.
#
# No package beyond survival is needed: the JSON writer below prints doubles with 17
# significant digits (NA/NaN -> null, +-Inf -> "Inf"/"-Inf").

suppressPackageStartupMessages(library(survival))

CONF_TYPES <- c("plain", "log", "log-log", "logit", "arcsin")

# ---------------------------------------------------------------- JSON writer
scalar <- function(x) structure(x, class = c("json_scalar", class(x)))

json_num <- function(v) {
  out <- sprintf("%.17g", v)
  out[is.na(v)] <- "null"                    # NA and NaN
  out[!is.na(v) & v == Inf] <- "\"Inf\""
  out[!is.na(v) & v == -Inf] <- "\"-Inf\""
  out
}

json_str <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  out <- paste0("\"", s, "\"")
  out[is.na(s)] <- "null"
  out
}

to_json <- function(x) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    nm <- names(x)
    parts <- vapply(x, to_json, character(1))
    if (is.null(nm)) return(paste0("[", paste(parts, collapse = ","), "]"))
    return(paste0("{", paste0(json_str(nm), ":", parts, collapse = ","), "}"))
  }
  is_scalar <- inherits(x, "json_scalar")
  x <- unclass(x)
  names(x) <- NULL
  if (is.factor(x)) x <- as.character(x)
  vals <- if (is.logical(x)) {
    ifelse(is.na(x), "null", ifelse(x, "true", "false"))
  } else if (is.numeric(x)) {
    json_num(as.double(x))
  } else {
    json_str(as.character(x))
  }
  if (is_scalar) {
    stopifnot(length(vals) == 1)
    return(vals)
  }
  paste0("[", paste(vals, collapse = ","), "]")
}

# ---------------------------------------------------------------- helpers
num <- function(x) as.double(unname(x))

summary_block <- function(fit, times, extend) {
  s <- summary(fit, times = times, extend = extend)
  list(
    time = num(s$time), n_risk = num(s$n.risk), n_event = num(s$n.event),
    n_censor = num(s$n.censor), surv = num(s$surv), std_err = num(s$std.err),
    lower = num(s$lower), upper = num(s$upper)
  )
}

table_row <- function(fit, rmean = "none") {
  tab <- summary(fit, rmean = rmean)$table
  if (is.matrix(tab)) tab <- tab[1, ]
  tab
}

# One stratum (or an unstratified fit) -> its JSON block.
stratum_block <- function(fits, label, times, taus, probs) {
  base <- fits[[1]]$fit
  # fit$std.err is SE(log S) when fit$logse, else (robust variance) SE(S); survfit_confint
  # converts the latter with se / p (0 where se == 0).
  logse <- is.null(base$logse) || isTRUE(base$logse)
  if (logse) {
    se_log <- base$std.err
    se_surv <- base$surv * base$std.err
  } else {
    se_log <- ifelse(base$std.err == 0, 0, base$std.err / base$surv)
    se_surv <- base$std.err
  }
  tau_rows <- lapply(taus, function(tau) table_row(base, rmean = tau))
  ci <- lapply(fits, function(f) {
    fit <- f$fit
    q <- quantile(fit, probs = probs, conf.int = TRUE)
    tab <- table_row(fit)
    lcl <- grep("LCL$", names(tab))
    ucl <- grep("UCL$", names(tab))
    list(
      conf_type = scalar(f$conf_type), conf_level = scalar(f$conf_level),
      lower = num(fit$lower), upper = num(fit$upper),
      summary = summary_block(fit, times, FALSE),
      summary_extend = summary_block(fit, times, TRUE),
      quantile = list(probs = num(probs), estimate = num(q$quantile),
                      lower = num(q$lower), upper = num(q$upper)),
      median = list(estimate = scalar(num(tab["median"])),
                    lower = scalar(num(tab[lcl])), upper = scalar(num(tab[ucl])))
    )
  })
  list(
    label = if (is.null(label)) NULL else scalar(label),
    n = scalar(num(base$n)),
    fit = list(
      time = num(base$time), n_risk = num(base$n.risk), n_event = num(base$n.event),
      n_censor = num(base$n.censor), surv = num(base$surv),
      std_err_log = num(se_log), std_err = num(se_surv)
    ),
    logse = scalar(logse),
    rmean = list(
      tau = num(taus),
      estimate = vapply(tau_rows, function(r) num(r["rmean"]), 0),
      std_err = vapply(tau_rows, function(r) num(r["se(rmean)"]), 0)
    ),
    ci = ci
  )
}

# Full reference for one dataset. `d` is a data.frame with time, event and optionally
# entry, weights, group (character). `robust` is passed to survfit only when not NULL.
km_reference <- function(name, d, times, taus, probs = c(0.25, 0.5, 0.75),
                         conf_levels = c(0.95, 0.9), robust = NULL, note = NULL) {
  has_entry <- !is.null(d$entry)
  has_w <- !is.null(d$weights)
  has_g <- !is.null(d$group)
  lhs <- if (has_entry) "Surv(entry, time, event)" else "Surv(time, event)"
  form <- as.formula(paste(lhs, if (has_g) "~ group" else "~ 1"))
  if (has_g) d$group <- factor(d$group)
  fits <- list()
  for (lev in conf_levels) for (ct in CONF_TYPES) {
    args <- list(formula = form, data = d, conf.type = ct, conf.int = lev)
    if (has_w) args$weights <- d$weights
    if (!is.null(robust)) args$robust <- robust
    fits[[length(fits) + 1]] <- list(fit = do.call(survfit, args),
                                     conf_type = ct, conf_level = lev)
  }
  if (has_g) {
    levs <- levels(d$group)
    strata <- lapply(seq_along(levs), function(i) {
      sub <- lapply(fits, function(f) { f$fit <- f$fit[i]; f })
      stratum_block(sub, levs[i], times, taus, probs)
    })
  } else {
    strata <- list(stratum_block(fits, NULL, times, taus, probs))
  }

  sd <- NULL
  if (has_g && !has_entry && !has_w && length(levels(d$group)) > 1) {
    t <- survdiff(Surv(time, event) ~ group, data = d)
    dfree <- sum(t$exp > 0) - 1
    sd <- list(
      groups = levels(d$group), statistic = scalar(num(t$chisq)), df = scalar(dfree),
      p_value = scalar(pchisq(t$chisq, dfree, lower.tail = FALSE)),
      observed = num(t$obs), expected = num(t$exp)
    )
  }

  fu <- NULL
  if (!has_entry && !has_w) {
    fu <- lapply(conf_levels, function(lev) {
      rf <- survfit(Surv(time, 1 - event) ~ 1, data = d, conf.int = lev)
      tab <- table_row(rf)
      list(
        conf_level = scalar(lev), median = scalar(num(tab["median"])),
        lower = scalar(num(tab[grep("LCL$", names(tab))])),
        upper = scalar(num(tab[grep("UCL$", names(tab))])),
        median_all = scalar(median(d$time)),
        median_survivors = scalar(if (any(d$event == 0)) median(d$time[d$event == 0]) else NA),
        range_all = num(range(d$time)),
        range_survivors = if (any(d$event == 0)) num(range(d$time[d$event == 0])) else c(NA, NA)
      )
    })
  }

  list(
    name = scalar(name),
    r_version = scalar(paste(R.version$major, R.version$minor, sep = ".")),
    survival_version = scalar(as.character(packageVersion("survival"))),
    note = if (is.null(note)) NULL else scalar(note),
    robust = if (is.null(robust)) NULL else scalar(robust),
    input = list(
      time = num(d$time), event = num(d$event),
      entry = if (has_entry) num(d$entry) else NULL,
      weights = if (has_w) num(d$weights) else NULL,
      group = if (has_g) as.character(d$group) else NULL
    ),
    times = num(times), taus = num(taus),
    strata = strata, survdiff = sd, followup = fu
  )
}

# Default grids of summary times and restricted-mean horizons for a dataset: exact
# observed times, midpoints between them, 0, the last time and past the last time.
default_times <- function(time) {
  u <- sort(unique(time))
  k <- length(u)
  pick <- unique(u[unique(pmax(1, round(seq(1, k, length.out = min(k, 5)))))])
  mids <- if (k > 1) (u[-k] + u[-1])[unique(round(seq(1, k - 1, length.out = min(k - 1, 4))))] / 2 else numeric(0)
  sort(unique(c(0, pick, mids, max(u), max(u) + 1, 2 * max(u) + 3)))
}

default_taus <- function(time) {
  u <- sort(unique(time))
  k <- length(u)
  unique(c(u[max(1, ceiling(k / 2))], (u[1] + u[k]) / 2 + 0.25, u[k], u[k] * 1.5 + 1))
}

write_json <- function(x, path) {
  con <- file(path, "w")
  on.exit(close(con))
  writeLines(to_json(x), con)
}

# ---------------------------------------------------------------- command line
main <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (!(length(args) %in% 2:3)) stop("usage: Rscript live_km.R input.csv output.json [t1,t2,...]")
  common_times <- if (length(args) == 3) as.numeric(strsplit(args[3], ",")[[1]]) else NULL
  raw <- read.csv(args[1], stringsAsFactors = FALSE)
  if (!is.null(raw$group)) raw$group <- as.character(raw$group)
  out <- lapply(unique(raw$dataset), function(ds) {
    d <- raw[raw$dataset == ds, , drop = FALSE]
    d$dataset <- NULL
    for (col in c("entry", "weights", "group")) {
      if (!is.null(d[[col]]) && all(is.na(d[[col]]) | d[[col]] == "")) d[[col]] <- NULL
    }
    times <- if (is.null(common_times)) default_times(d$time) else common_times
    km_reference(ds, d, times, default_taus(d$time))
  })
  write_json(list(datasets = out), args[2])
}

if (sys.nframe() == 0L) main()
