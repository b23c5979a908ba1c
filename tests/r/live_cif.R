# Reference competing-risks output from R survival (Aalen-Johansen, multi-state survfit) and
# cmprsk (Gray's test), written as JSON.
#
# Used two ways:
#   * sourced by make_cif_fixtures.R (which writes tests/fixtures/cif/*.json), and
#   * run directly by tests/test_cif_live_r.py on fresh random data:
#       Rscript tests/r/live_cif.R input.csv output.json
#     input.csv has columns dataset, time, cause (0 = censored) and optionally entry,
#     weights, group, strata, start_time (one value per dataset); output.json holds {"datasets": [...]}, one block per dataset.
#
# Made with R 4.2, survival 3.5.3, cmprsk 2.2.11. The JSON writer is the one of live_km.R.

args_all <- commandArgs(trailingOnly = FALSE)
here_cif <- dirname(normalizePath(sub("^--file=", "", args_all[grep("^--file=", args_all)])))
if (!exists("to_json")) source(file.path(here_cif, "live_km.R"))
suppressPackageStartupMessages(library(cmprsk))

# columns of the causes (drop the "(s0)" state) of a multi-state fit matrix
cause_cols <- function(x, states, nr) {
  # arcsin limits come back without their dim attribute, and summary() of such a fit keeps
  # only the first column (state "(s0)"): R has no per-cause value to compare then (NULL)
  if (length(x) != nr * length(states)) return(NULL)
  x <- matrix(as.double(x), ncol = length(states))
  num(x[, states != "(s0)", drop = FALSE])  # column-major: cause 1 rows, then cause 2 ...
}

cif_block <- function(fit, times) {
  st <- fit$states
  s0 <- which(st == "(s0)")
  nt <- length(fit$time)
  out <- list(
    time = num(fit$time), n_risk = num(as.matrix(fit$n.risk)[, s0]),
    n_censor = num(fit$n.censor),
    n_event = cause_cols(fit$n.event, st, nt), estimate = cause_cols(fit$pstate, st, nt),
    std_err = cause_cols(fit$std.err, st, nt), lower = cause_cols(fit$lower, st, nt),
    upper = cause_cols(fit$upper, st, nt),
    surv = num(as.matrix(fit$pstate)[, s0]), surv_std_err = num(as.matrix(fit$std.err)[, s0])
  )
  for (ext in c(FALSE, TRUE)) {
    s <- summary(fit, times = times, extend = ext)
    if (length(s$time) == 0) {
      out[[if (ext) "summary_extend" else "summary"]] <- NULL
      next
    }
    key <- if (ext) "summary_extend" else "summary"
    out[[key]] <- list(
      time = num(s$time), n_risk = num(matrix(s$n.risk, ncol = length(st))[, s0]),
      estimate = cause_cols(s$pstate, st, length(s$time)), std_err = cause_cols(s$std.err, st, length(s$time)),
      lower = cause_cols(s$lower, st, length(s$time)), upper = cause_cols(s$upper, st, length(s$time))
    )
  }
  out
}

# `d`: data.frame with time, cause (0 = censored, 1..K) and optionally entry, weights,
# group (character), strata; `start_time` as survfit(start.time=).
cif_reference <- function(name, d, times = default_times(d$time),
                          conf_levels = c(0.95, 0.9), start_time = NULL) {
  has_entry <- !is.null(d$entry)
  has_w <- !is.null(d$weights)
  has_g <- !is.null(d$group)
  d$fcause <- factor(d$cause, levels = sort(unique(c(0, d$cause))))
  d$id <- seq_len(nrow(d))
  lhs <- if (has_entry) "Surv(entry, time, fcause)" else "Surv(time, fcause)"
  one <- function(sub, ct, lev) {
    args <- list(formula = as.formula(paste(lhs, "~ 1")), data = sub, conf.type = ct,
                 conf.int = lev)
    if (has_entry) args$id <- sub$id
    if (has_w) args$weights <- sub$weights
    if (!is.null(start_time)) args$start.time <- start_time
    do.call(survfit, args)
  }
  labels <- if (has_g) sort(unique(d$group)) else NA
  curves <- lapply(labels, function(lab) {
    sub <- if (has_g) d[d$group == lab, , drop = FALSE] else d
    # keep every cause level of the whole data (R's factor)
    sub$fcause <- factor(sub$cause, levels = levels(d$fcause))
    ci <- list()
    for (lev in conf_levels) for (ct in CONF_TYPES) {
      b <- cif_block(one(sub, ct, lev), times)
      b$conf_type <- scalar(ct)
      b$conf_level <- scalar(lev)
      ci[[length(ci) + 1]] <- b
    }
    list(label = if (has_g) scalar(lab) else NULL, ci = ci)
  })
  gray <- NULL
  if (has_g && !has_entry && !has_w && length(labels) > 1) {
    gray <- lapply(c(0, 1, 0.5), function(rho) {
      g <- if (is.null(d$strata)) cuminc(d$time, d$cause, d$group, rho = rho)
           else cuminc(d$time, d$cause, d$group, strata = d$strata, rho = rho)
      tt <- g$Tests
      list(rho = scalar(rho), causes = rownames(tt), statistic = num(tt[, "stat"]),
           p_value = num(tt[, "pv"]), df = num(tt[, "df"]))
    })
  }
  list(
    name = scalar(name),
    r_version = scalar(paste(R.version$major, R.version$minor, sep = ".")),
    survival_version = scalar(as.character(packageVersion("survival"))),
    cmprsk_version = scalar(as.character(packageVersion("cmprsk"))),
    causes = levels(d$fcause)[-1],
    start_time = if (is.null(start_time)) NULL else scalar(start_time),
    input = list(
      time = num(d$time), cause = num(d$cause),
      entry = if (has_entry) num(d$entry) else NULL,
      weights = if (has_w) num(d$weights) else NULL,
      group = if (has_g) as.character(d$group) else NULL,
      strata = if (is.null(d$strata)) NULL else as.character(d$strata)
    ),
    times = num(times), curves = curves, gray = gray
  )
}

main_cif <- function() {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) != 2) stop("usage: Rscript live_cif.R input.csv output.json")
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
    cif_reference(ds, d, start_time = st)
  })
  write_json(list(datasets = out), args[2])
}

if (sys.nframe() == 0L) main_cif()
