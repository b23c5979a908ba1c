# Code the R figure makers of the digitize benchmark (make_*.R) share. Each maker sources it
# from its own directory, so `Rscript benchmarks/digitize/make_X.R OUTDIR` works from any
# directory:
#
#   local({
#     f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE)[1])
#     source(file.path(dirname(normalizePath(f)), "figset.R"))
#   })
#   out <- out_dir("digitize-x")
#
# The writers below put their files in the maker's global `out`. A figure NAME is written as
# NAME.pdf / NAME.svg / NAME_150.png / NAME_300.png (the formats a set draws), NAME.truth.csv
# (time, status, arm: the patient data drawn) and NAME.json (arms in legend order, times of the
# printed number-at-risk table, whether censoring marks are drawn), the format measure.py reads.
suppressPackageStartupMessages({library(survival); library(survminer)})

# the output directory: the first command-line argument, or `default`; created if missing
out_dir <- function(default) {
  args <- commandArgs(TRUE)
  out <- if (length(args)) args[1] else default
  dir.create(out, showWarnings = FALSE, recursive = TRUE)
  out
}

# the truth (time, status, arm) and the json of figure `name`
meta <- function(name, d, arms, times, marks = FALSE) {
  d <- data.frame(time = d$time, status = d$status, arm = as.character(d$arm))
  write.csv(d, file.path(out, paste0(name, ".truth.csv")), row.names = FALSE)
  writeLines(sprintf('{"arms": [%s], "risk_times": [%s], "marks": %s}',
                     paste0('"', arms, '"', collapse = ", "),
                     paste(times, collapse = ", "), if (marks) "true" else "false"),
             file.path(out, paste0(name, ".json")))
}

# figure `name` drawn by draw() as PDF and SVG (vector) and PNG at 150 and 300 dpi (png)
devices <- function(name, width, height, draw, vector = TRUE, png = TRUE) {
  if (vector) {
    pdf(file.path(out, paste0(name, ".pdf")), width = width, height = height); draw(); dev.off()
    svg(file.path(out, paste0(name, ".svg")), width = width, height = height); draw(); dev.off()
  }
  if (png) for (dpi in c(150, 300)) {
    png(file.path(out, sprintf("%s_%d.png", name, dpi)), width = width, height = height,
        units = "in", res = dpi)
    draw(); dev.off()
  }
}

# figure `name` as PNG at 150 and 300 dpi only
pngs <- function(name, width, height, draw) devices(name, width, height, draw, vector = FALSE)

# a survminer plot `p` saved by devices() (or pngs() when not `vector`) with its truth; the
# risk-table times default to the ones survminer prints (the data of its table)
gg_out <- function(name, p, w, h, d, arms, marks, times = sort(unique(p$table$data$time)),
                   vector = TRUE) {
  devices(name, w, h, function() print(p, newpage = FALSE), vector = vector)
  meta(name, d, arms, times, marks)
}

# administrative censoring at the right end of the x axis
cut_at <- function(d, tmax) {
  d$status[d$time > tmax] <- 0
  d$time <- pmin(d$time, tmax)
  d
}

# numbers at risk #(T >= t) per arm (rows) at times tt (columns)
n_at_risk <- function(fit, narms, tt) {
  s <- summary(fit, times = tt, extend = TRUE)
  matrix(s$n.risk, nrow = narms, byrow = TRUE)
}

# an at-risk table drawn with mtext()/axis() under an R base plot: #(T >= t); names start at
# x = at0, in the arms' colours `cols` (default: the plot's colour)
risk_rows <- function(fit, arms, tt, at0, cex = 1, title = "Number at risk", cols = NULL,
                      cex.axis = cex) {
  nr <- n_at_risk(fit, length(arms), tt)
  mtext(title, side = 1, line = 3, adj = 0, at = at0, cex = cex)
  for (k in seq_along(arms)) {
    mtext(arms[k], side = 1, line = 3 + k, at = at0, adj = 0, cex = cex,
          col = if (is.null(cols)) par("col") else cols[k])
    axis(1, at = tt, labels = nr[k, ], line = 2 + k, tick = FALSE, lwd = 0, cex.axis = cex.axis)
  }
}

# a data set the Python maker draws: OUTDIR/<prefix>_data_<name>.csv
data_csv <- function(d, prefix, name) {
  write.csv(d, file.path(out, paste0(prefix, "_data_", name, ".csv")), row.names = FALSE)
}

# a simulated trial: per arm (in order) n exponential event times with the given median and
# n uniform censoring times on `follow`, times rounded to `digits` (at least 10^-digits)
sim_trial <- function(arms, n, medians, follow, seed, digits = 2) {
  set.seed(seed)
  parts <- lapply(seq_along(arms), function(k) {
    ev <- rexp(n, log(2) / medians[k])
    cen <- runif(n, follow[1], follow[2])
    data.frame(time = pmax(round(pmin(ev, cen), digits), 10^-digits),
               status = as.integer(ev <= cen), arm = arms[k])
  })
  d <- do.call(rbind, parts)
  d$arm <- factor(d$arm, arms)
  d
}

# an at-risk table under an R base plot as figset.R's risk_rows() draws it, one line lower:
# the title on line 4, below the x axis label, and a row per arm under it
risk_table <- function(fit, arms, tt, at0, cex = 1, title = "Number at risk", cols = NULL) {
  nr <- n_at_risk(fit, length(arms), tt)
  mtext(title, side = 1, line = 4, adj = 0, at = at0, cex = cex)
  for (k in seq_along(arms)) {
    mtext(arms[k], side = 1, line = 4 + k, at = at0, adj = 0, cex = cex,
          col = if (is.null(cols)) par("col") else cols[k])
    axis(1, at = tt, labels = nr[k, ], line = 3 + k, tick = FALSE, lwd = 0, cex.axis = cex)
  }
}
