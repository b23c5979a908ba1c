"""The second held-out figure set of make_heldout2.R, lifelines and matplotlib part.

    python benchmarks/digitize/make_heldout2.py OUTDIR
"""
from __future__ import annotations

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


def trial(arms: list[str], n: int, medians: list[float], seed: int,
          follow: tuple[float, float] = (3.0, 36.0)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for arm, med in zip(arms, medians, strict=True):
        ev = rng.exponential(med / np.log(2), n)
        cen = rng.uniform(*follow, n)
        parts.append(pd.DataFrame({"time": np.round(np.minimum(ev, cen), 2),
                                   "status": (ev <= cen).astype(int), "arm": arm}))
    return pd.concat(parts, ignore_index=True)


def save(name: str, fig: plt.Figure, data: pd.DataFrame, arms: list[str], ticks: list[float],
         printed: dict[str, list[int]] | None, marks: bool) -> None:
    for dpi in (150, 300):
        fig.savefig(out / f"{name}_{dpi}.png", dpi=dpi)
    plt.close(fig)
    data.to_csv(out / f"{name}.truth.csv", index=False)
    meta: dict[str, object] = {"arms": arms, "risk_times": ticks, "marks": marks}
    if printed is not None:
        meta["risk_printed"] = printed
    (out / f"{name}.json").write_text(json.dumps(meta))


with plt.style.context("seaborn-v0_8-whitegrid"):
    arms = ["Pembrolizumab", "Chemotherapy"]
    data = trial(arms, 120, [16.0, 9.0], 3)
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
    ticks = [float(t) for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    printed = {a: [int((data[data.arm == a]["time"] > t).sum()) if t > 0 else
                   int((data.arm == a).sum()) for t in ticks] for a in arms}
    save("f3_ll_whitegrid", fig, data, arms, ticks, printed, True)

arms = ["Control", "Treatment"]
data = trial(arms, 200, [10.0, 14.0], 5, follow=(12.0, 60.0))
fig, ax = plt.subplots(figsize=(8, 4))
for arm, col in zip(arms, ["C0", "C1"], strict=True):
    g = data[data.arm == arm]
    k = KaplanMeierFitter().fit(g["time"], g["status"] == 1)
    sf = k.survival_function_
    t = np.append(sf.index.to_numpy(float), g["time"].max())
    s = np.append(sf.iloc[:, 0].to_numpy(), sf.iloc[-1, 0])
    ax.step(t, s, where="post", color=col, lw=2.5, label=arm)
ax.set_ylim(0, 1.02)
ax.set_xlim(left=0)
ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
ax.set_xlabel("Months")
ax.set_ylabel("Progression-free survival")
ax.legend(frameon=False, loc="upper right")
ax.spines[["top", "right"]].set_visible(False)
fig.tight_layout()
save("f3_mpl_wide_thick", fig, data, arms, [], None, False)
