"""The development figure set of make_devset.R, lifelines and plain matplotlib part.

    python benchmarks/digitize/make_devset.py OUTDIR

Data not in the other sets: a simulated four-arm trial and a simulated two-arm trial with
months on the x axis; other figure sizes, line widths and palettes. PNG at 150 and 300 dpi,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py writes them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts


def _trial(arms: list[str], n: int, medians: list[float], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for arm, med in zip(arms, medians, strict=True):
        ev = rng.exponential(med / np.log(2), n)
        cen = rng.uniform(6, 48, n)
        t = np.round(np.minimum(ev, cen), 1)
        rows.append(pd.DataFrame({"time": t, "status": (ev <= cen).astype(int), "arm": arm}))
    return pd.concat(rows, ignore_index=True)


def _save(out: Path, name: str, fig: plt.Figure, data: pd.DataFrame, arms: list[str],
          ticks: list[float], printed: dict[str, list[int]] | None, marks: bool) -> None:
    for dpi in (150, 300):
        fig.savefig(out / f"{name}_{dpi}.png", dpi=dpi)
    plt.close(fig)
    data.to_csv(out / f"{name}.truth.csv", index=False)
    meta: dict[str, object] = {"arms": arms, "risk_times": ticks, "marks": marks}
    if printed is not None:
        meta["risk_printed"] = printed
    (out / f"{name}.json").write_text(json.dumps(meta))


def lifelines_fig(out: Path) -> None:
    arms = ["Nivolumab", "Docetaxel"]
    data = _trial(arms, 140, [12.0, 8.5], 7)
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    fits = []
    for arm, col in zip(arms, ["#9467bd", "#8c564b"], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=True, color=col, lw=1.8)
        fits.append(kmf)
    ax.set_xlabel("Months since randomisation")
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    ticks = [float(t) for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    printed = {arm: [int((data[data.arm == arm]["time"] > t).sum()) if t > 0 else
                     int((data.arm == arm).sum()) for t in ticks] for arm in arms}
    _save(out, "fr_ll_trial_ci", fig, data, arms, ticks, printed, True)


def steps_fig(out: Path) -> None:
    arms = ["A", "B", "C", "D"]
    data = _trial(arms, 90, [6.0, 10.0, 15.0, 24.0], 11)
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for arm, col in zip(arms, plt.get_cmap("tab10").colors[:4], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter().fit(g["time"], g["status"] == 1)
        sf = kmf.survival_function_
        t = np.append(sf.index.to_numpy(float), g["time"].max())
        s = np.append(sf.iloc[:, 0].to_numpy(), sf.iloc[-1, 0])
        ax.step(t, 100 * s, where="post", color=col, lw=1.0, label=f"Arm {arm}")
    ax.set_ylim(0, 102)
    ax.set_xlim(left=0)
    ax.grid(True, color="0.85", lw=0.6)
    ax.set_xlabel("Months")
    ax.set_ylabel("Overall survival (%)")
    ax.legend(frameon=False, loc="upper right")
    fig.tight_layout()
    data = data.assign(arm="Arm " + data.arm)
    _save(out, "fr_mpl_4arms_grid", fig, data, [f"Arm {a}" for a in arms], [], None, False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    lifelines_fig(out)
    steps_fig(out)


if __name__ == "__main__":
    main()
