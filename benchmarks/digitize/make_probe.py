"""The matplotlib figure of the reading's held-out set (see make_probe.R): seaborn's darkgrid
style (grey panel, white grid), DejaVu Serif, lifelines' at-risk counts; a simulated
two-arm trial.

    python benchmarks/digitize/make_probe.py OUTDIR
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(23)
arms = ["Standard", "Intensive"]
rows = []
for arm, med in zip(arms, [14.0, 22.0], strict=True):
    ev = rng.exponential(med / np.log(2), 160)
    cen = rng.uniform(4, 60, 160)
    rows.append(pd.DataFrame({"time": np.round(np.minimum(ev, cen), 1),
                              "status": (ev <= cen).astype(int), "arm": arm}))
data = pd.concat(rows, ignore_index=True)
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
ticks = [float(t) for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
printed = {arm: [int((data[data.arm == arm]["time"] > t).sum()) if t > 0 else
                 int((data.arm == arm).sum()) for t in ticks] for arm in arms}
name = "pr_mpl_darkgrid_serif"
for dpi in (150, 300):
    fig.savefig(out / f"{name}_{dpi}.png", dpi=dpi)
data.to_csv(out / f"{name}.truth.csv", index=False)
(out / f"{name}.json").write_text(json.dumps({"arms": arms, "risk_times": ticks, "marks": True,
                                              "risk_printed": printed}))
