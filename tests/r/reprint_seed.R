# Re-analyse reconstructed seed draws with R survival and print every number as a paper would
# (sprintf: correctly rounded to nearest). Usage: Rscript reprint_seed.R patients.csv out.csv
# Writes one row per draw: the printed OS and DFS landmarks at 12 months, the median follow-up
# and range under the draw's own follow-up definition, and the printed times of the 3.7- and
# 4.6-month deaths (empty when the draw's reading has no such patient).
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
lm12 <- function(t, e) {
  s <- summary(survfit(Surv(t, e) ~ 1), times = 12, extend = TRUE)
  sprintf("%.0f (%.0f-%.0f)", 100 * s$surv, 100 * s$lower, 100 * s$upper)
}
rows <- lapply(split(d, d$draw), function(x) {
  def <- x$followup_definition[1]
  alive <- x$os_event == 0
  if (def == "reverse-km") {
    # Schemper & Smith: KM with death as the censoring; range over every observed time
    med <- summary(survfit(Surv(x$os_months, 1 - x$os_event) ~ 1))$table[["median"]]
    f <- x$os_months
  } else {
    f <- switch(def, survivors = x$os_months[alive], all = x$os_months,
                potential = x$followup_months)
    med <- median(f)
  }
  at <- function(id) {
    v <- x$death_months[x$event_id == id & !is.na(x$death_months)]
    if (length(v)) sprintf("%.1f", v) else ""
  }
  data.frame(draw = x$draw[1], definition = def,
             os = lm12(x$os_months, x$os_event), dfs = lm12(x$dfs_months, x$dfs_event),
             fu_median = sprintf("%.1f", med), fu_min = sprintf("%.1f", min(f)),
             fu_max = sprintf("%.1f", max(f)),
             death_3.7 = at("septic_shock_3.7"), death_4.6 = at("progression_4.6"))
})
write.csv(do.call(rbind, rows), args[2], row.names = FALSE)
