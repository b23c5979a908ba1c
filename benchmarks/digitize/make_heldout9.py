"""A ninth held-out figure set for the digitizer: matplotlib and lifelines only, on the data
sets lifelines ships, with options none of the other sets uses.

    python benchmarks/digitize/make_heldout9.py OUTDIR

lifelines: waltons by group with its CI drawn as lines (``ci_force_lines=True``); larynx
cancer by stage, four arms in the ``tableau-colorblind10`` style without CI and an "At risk"
row; gbsg2 by hormonal therapy with thick lines (lw 2.5) and the legend outside the axes on
the right. matplotlib: kidney transplant recipients by sex on a small 3 x 2.4 in figure in
6 pt text, black / grey with ``+`` marks. Nothing is tuned on it: it is measured after
changes.

Writes ``<name>.pdf``, ``<name>.svg``, ``<name>_150.png``, ``<name>_300.png``,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py does;
``risk_printed`` holds the numbers at risk lifelines prints. No x axis is cut.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines.datasets import load_gbsg2, load_kidney_transplant, load_larynx, load_waltons
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, save, visible_ticks

draw_steps = partial(figset.draw_steps, alpha=0.2, ms=4)


def waltons_ci_lines(out: Path) -> None:
    w = load_waltons()
    arms = ["control", "miR-137"]
    data = pd.DataFrame({"time": w["T"].astype(float), "status": w["E"].astype(int),
                         "arm": w["group"]})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    fits_on(ax, data, arms, ci_force_lines=True)
    ax.set_xlabel("Days")
    ax.set_ylabel("Survival")
    fig.tight_layout()
    save(out, "h9_ll_waltons_ci_lines", fig, data, arms, [], None, False)


def larynx_four_stages(out: Path) -> None:
    lx = load_larynx()
    stage = np.select([lx["Stage_II"] == 1, lx["Stage_III"] == 1, lx["Stage_IV"] == 1],
                      ["Stage II", "Stage III", "Stage IV"], "Stage I")
    arms = ["Stage I", "Stage II", "Stage III", "Stage IV"]
    data = pd.DataFrame({"time": lx["time"].astype(float), "status": lx["death"].astype(int),
                         "arm": stage})
    with plt.style.context("tableau-colorblind10"):
        fig, ax = plt.subplots(figsize=(7, 5.5))
        fits = fits_on(ax, data, arms, ci_show=False)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Years")
        ax.set_ylabel("Overall survival")
        ticks = visible_ticks(ax)
        add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
        fig.tight_layout()
        printed = figset.printed_rows(arms, fits, ticks)
        save(out, "h9_ll_larynx_four_stages_atrisk", fig, data, arms, ticks, printed, False)


def gbsg2_legend_outside(out: Path) -> None:
    gb = load_gbsg2()
    arms = ["No hormonal therapy", "Hormonal therapy"]
    data = pd.DataFrame({"time": gb["time"].astype(float) / 365.25,
                         "status": gb["cens"].astype(int),
                         "arm": np.where(gb["horTh"] == "yes", arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for arm, color in zip(arms, ["#e41a1c", "#377eb8"], strict=True):
        draw_steps(ax, data[data.arm == arm], color=color, lw=2.5, label=arm)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, 7.5)
    ax.set_xlabel("Years")
    ax.set_ylabel("Recurrence-free survival")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.tight_layout()
    save(out, "h9_mpl_gbsg2_legend_outside", fig, data, arms, [], None, False)


def kidney_small_marks(out: Path) -> None:
    kt = load_kidney_transplant()
    arms = ["Female", "Male"]
    male = (kt["black_male"] == 1) | (kt["white_male"] == 1)
    data = pd.DataFrame({"time": kt["time"].astype(float) / 365.25,
                         "status": kt["death"].astype(int),
                         "arm": np.where(male, arms[1], arms[0])})
    with plt.rc_context({"font.size": 6, "axes.linewidth": 0.5}):
        fig, ax = plt.subplots(figsize=(3.0, 2.4))
        for arm, color in zip(arms, ["black", "0.5"], strict=True):
            draw_steps(ax, data[data.arm == arm], marker="+", ms=3, mew=0.6, color=color,
                       lw=0.9, label=arm)
        ax.set_ylim(0.5, 1.01)
        ax.set_xlim(0, 9.5)
        ax.set_xlabel("Years after transplant")
        ax.set_ylabel("Survival")
        ax.legend(loc="lower left", frameon=False)
        fig.tight_layout()
        save(out, "h9_mpl_kidney_small_marks", fig, data, arms, [], None, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    for job in (waltons_ci_lines, larynx_four_stages, gbsg2_legend_outside, kidney_small_marks):
        job(out)


if __name__ == "__main__":
    main()
