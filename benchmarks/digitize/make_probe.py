"""The matplotlib figure of the reading's held-out set (see make_probe.R): seaborn's darkgrid
style (grey panel, white grid), DejaVu Serif, lifelines' at-risk counts; a simulated
two-arm trial.

    python benchmarks/digitize/make_probe.py OUTDIR
"""
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
arms = ["Standard", "Intensive"]
data = figset.trial(arms, 160, [14.0, 22.0], 23, (4, 60))
plt.style.use("seaborn-v0_8-darkgrid")
plt.rcParams["font.family"] = "DejaVu Serif"
fig, ax = plt.subplots(figsize=(6.8, 5.0))
fits = []
for arm, col in zip(arms, ["#c44e52", "#4c72b0"], strict=True):
    g = data[data.arm == arm]
    kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
    kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color=col, lw=1.6)
    fits.append(kmf)
ax.set_xlabel("Months")
ax.set_ylabel("Progression-free survival")
add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
fig.tight_layout()
ticks = figset.visible_ticks(ax)
printed = figset.printed_after(data, arms, ticks)
figset.save(out, "pr_mpl_darkgrid_serif", fig, data, arms, ticks, printed, True, vector=False)
