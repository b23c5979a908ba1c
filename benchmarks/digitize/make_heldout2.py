"""The second held-out figure set of make_heldout2.R, lifelines and matplotlib part.

    python benchmarks/digitize/make_heldout2.py OUTDIR
"""
from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)

with plt.style.context("seaborn-v0_8-whitegrid"):
    arms = ["Pembrolizumab", "Chemotherapy"]
    data = figset.trial(arms, 120, [16.0, 9.0], 3, (3.0, 36.0), digits=2)
    fig, ax = plt.subplots(figsize=(6.8, 5.0))
    fits = []
    for arm in arms:
        g = data[data.arm == arm]
        k = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        k.plot_survival_function(ax=ax, ci_show=False, show_censors=True)
        fits.append(k)
    ax.set_xlabel("Months")
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    ticks = figset.visible_ticks(ax)
    printed = figset.printed_after(data, arms, ticks)
    figset.save(out, "f3_ll_whitegrid", fig, data, arms, ticks, printed, True, vector=False)

arms = ["Control", "Treatment"]
data = figset.trial(arms, 200, [10.0, 14.0], 5, (12.0, 60.0), digits=2)
fig, ax = plt.subplots(figsize=(8, 4))
for arm, col in zip(arms, ["C0", "C1"], strict=True):
    figset.draw_steps(ax, data[data.arm == arm], color=col, lw=2.5, label=arm)
ax.set_ylim(0, 1.02)
ax.set_xlim(left=0)
ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
ax.set_xlabel("Months")
ax.set_ylabel("Progression-free survival")
ax.legend(frameon=False, loc="upper right")
ax.spines[["top", "right"]].set_visible(False)
fig.tight_layout()
figset.save(out, "f3_mpl_wide_thick", fig, data, arms, [], None, False, vector=False)
