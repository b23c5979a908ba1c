"""Kaplan-Meier on R's aml trial: the numbers R prints, and a figure with a risk table.

R equivalent:
    fit <- survfit(Surv(time, status) ~ x, data = aml); print(fit); survdiff(...)
    summary(fit, times = c(12, 24))
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import survkit
from survkit.datasets import load_example

aml = load_example("aml")
fits = survkit.kaplan_meier(data=aml, time="time", event="status", by="x")
print(fits.medians().to_string(index=False))
lr = fits.logrank()
print(f"log-rank chisq = {lr.statistic:.4f} on {lr.df} df, p = {lr.p_value:.4f}")
print(fits.at([12, 24]).round(4).to_string(index=False))

single = survkit.kaplan_meier(aml["time"], aml["status"], conf_type="log-log")
print("RMST(40):", single.rmst(40))
follow_up = survkit.median_followup(aml["time"], aml["status"])
print("median follow-up (reverse KM):", follow_up.reverse_km)

ax = fits.plot(risk_table=True, median_line=True, xlabel="Weeks")
ax.figure.savefig("km_aml.png", dpi=300, bbox_inches="tight")
print("wrote km_aml.png")
