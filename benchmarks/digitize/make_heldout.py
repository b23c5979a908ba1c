"""Held-out figures for the digitize benchmark: data, sizes, line widths, palettes and styles
the main set does not use, made to be measured after changes, never tuned on.

    Rscript benchmarks/digitize/make_heldout.R OUTDIR      # R base and survminer figures
    python benchmarks/digitize/make_heldout.py OUTDIR      # matplotlib and lifelines figures
    PYTHONPATH=src python benchmarks/digitize/measure.py OUTDIR --only png

Writes, for each figure, ``<name>_150.png``, ``<name>_300.png``, ``<name>.truth.csv`` (arm,
time, status: the patient data drawn) and ``<name>.json`` (arms in legend order, times of the
number-at-risk table, whether censoring marks are drawn), the format ``measure.py`` reads.

The matplotlib figures use simulated trials (exponential and Weibull event times with uniform
censoring, fixed seeds) and lifelines' bundled data sets (``load_rossi``, ``load_waltons``):
four arms in tab10 colours with grid lines, a viridis pair with CI bands and a lifelines
at-risk table, three grey levels, and a black solid / dotted pair, at figure sizes and line
widths (0.8 to 2.5 points) of their own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset


def _simulate(seed: int, arms: dict[str, tuple[float, float, int]], follow: float
              ) -> pd.DataFrame:
    """Weibull(shape, scale) event times, n per arm, uniform censoring on [0, follow]."""
    rng = np.random.default_rng(seed)
    rows = []
    for arm, (shape, scale, n) in arms.items():
        t = scale * rng.weibull(shape, n)
        c = rng.uniform(0, follow, n)
        time = np.round(np.minimum(t, c), 2)
        rows.append(pd.DataFrame({"time": time, "status": (t <= c).astype(int), "arm": arm}))
    return pd.concat(rows, ignore_index=True)


def four_arms_tab10(out: Path) -> None:
    arms = {"Placebo": (1.0, 8.0, 150), "Low dose": (1.1, 11.0, 150),
            "Mid dose": (1.2, 14.0, 150), "High dose": (1.3, 18.0, 150)}
    data = _simulate(101, arms, 30.0)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    cmap = plt.get_cmap("tab10")
    for k, arm in enumerate(arms):
        figset.draw_steps(ax, data[data.arm == arm], color=cmap(k), lw=1.2, label=arm)
    ax.grid(True, color="0.85", lw=0.6)
    ax.set_xlim(0, 30)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Months")
    ax.set_ylabel("Overall survival")
    ax.legend(loc="upper right")
    fig.tight_layout()
    figset.save_figure(out, "ho_mpl_sim_4arms_tab10", fig, vector=False)
    figset.write_meta(out, "ho_mpl_sim_4arms_tab10", data, list(arms), [])


def rossi_viridis_ci(out: Path) -> None:
    r = load_rossi()
    data = pd.DataFrame({"time": r["week"].astype(float), "status": r["arrest"],
                         "arm": np.where(r["fin"] == 1, "Financial aid", "No aid")})
    arms = ["No aid", "Financial aid"]
    colours = [plt.get_cmap("viridis")(0.15), plt.get_cmap("viridis")(0.65)]
    fig, ax = plt.subplots(figsize=(6, 6))
    fits = []
    for arm, col in zip(arms, colours, strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=False, color=col, lw=2.0)
        fits.append(kmf)
    ax.set_ylim(0.5, 1.0)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    ticks = figset.visible_ticks(ax)
    figset.save_figure(out, "ho_ll_rossi_viridis_ci", fig, vector=False)
    printed = figset.printed_after(data, arms, ticks)
    figset.write_meta(out, "ho_ll_rossi_viridis_ci", data, arms, ticks, printed)


def waltons_censors(out: Path) -> None:
    w = load_waltons()
    data = pd.DataFrame({"time": w["T"].astype(float), "status": w["E"].astype(int),
                         "arm": w["group"].astype(str)})
    arms = ["control", "miR-137"]
    fig, ax = plt.subplots(figsize=(7, 4))
    for arm, col in zip(arms, ["#1b9e77", "#d95f02"], strict=True):
        g = data[data.arm == arm]
        KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1).plot_survival_function(
            ax=ax, ci_show=False, show_censors=True, color=col, lw=0.8,
            censor_styles={"marker": "|", "ms": 6})
    ax.set_xlabel("Days")
    fig.tight_layout()
    figset.save_figure(out, "ho_ll_waltons_thin", fig, vector=False)
    figset.write_meta(out, "ho_ll_waltons_thin", data, arms, [], marks=True)


def three_greys(out: Path) -> None:
    arms = {"Stage I": (1.4, 60.0, 120), "Stage II": (1.2, 35.0, 120),
            "Stage III": (1.0, 18.0, 120)}
    data = _simulate(202, arms, 72.0)
    fig, ax = plt.subplots(figsize=(6.5, 5))
    for arm, grey in zip(arms, ["0.0", "0.4", "0.65"], strict=True):
        figset.draw_steps(ax, data[data.arm == arm], color=grey, lw=2.0, label=arm)
    ax.grid(True, ls="--", color="0.8", lw=0.5)
    ax.set_xlim(0, 72)
    ax.set_ylim(0, 1.0)
    ax.set_xticks(range(0, 73, 12))
    ax.set_xlabel("Months since diagnosis")
    ax.set_ylabel("Survival")
    ax.legend(frameon=False, loc="lower left")
    fig.tight_layout()
    figset.save_figure(out, "ho_mpl_sim_3greys", fig, vector=False)
    figset.write_meta(out, "ho_mpl_sim_3greys", data, list(arms), [])


def solid_dotted(out: Path) -> None:
    arms = {"Surgery": (0.9, 40.0, 200), "Surgery + RT": (1.0, 55.0, 200)}
    data = _simulate(303, arms, 60.0)
    fig, ax = plt.subplots(figsize=(6, 4))
    for arm, ls in zip(arms, ["-", ":"], strict=True):
        figset.draw_steps(ax, data[data.arm == arm], color="black", ls=ls, lw=1.6, label=arm)
    ax.set_xlim(0, 60)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Months")
    ax.set_ylabel("Disease-free survival")
    ax.legend(frameon=False)
    fig.tight_layout()
    figset.save_figure(out, "ho_mpl_sim_dotted_bw", fig, vector=False)
    figset.write_meta(out, "ho_mpl_sim_dotted_bw", data, list(arms), [])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for job in (four_arms_tab10, rossi_viridis_ci, waltons_censors, three_greys, solid_dotted):
        job(out)


if __name__ == "__main__":
    main()
