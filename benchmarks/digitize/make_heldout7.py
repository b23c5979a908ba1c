"""The seventh held-out figure set of make_heldout7.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout7.R OUTDIR     # first: writes OUTDIR/h7_data_*.csv
    python benchmarks/digitize/make_heldout7.py OUTDIR

Figures drawn with options none of the other sets uses, on R's data sets (written by the R
maker, so both draw the same numbers) by groupings none of them draws. matplotlib, with
``ax.step(where="post")``: gbsg by menopausal status in the ``seaborn-v0_8-whitegrid`` style
(grid lines on, lw 2, ``|`` marks); veteran by cell type, four arms in tab10 colours on a
wide 8 x 4 in figure with 12 pt text; colon deaths by sex with a percent y axis
(``PercentFormatter``) and thin lines (lw 0.8). lifelines: pbc by treatment in the ``bmh``
style (grey panel, grid lines) with the default CI bands; lung as one curve with marks and an
"At risk" / "Events" table (``add_at_risk_counts(rows_to_show=[...])``). Nothing is tuned on
it: it is measured after changes.

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
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts
from matplotlib.ticker import PercentFormatter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, printed_at_risk, save, visible_ticks

draw_steps = partial(figset.draw_steps, alpha=0.2, ms=6)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h7_data_<name>.csv``)."""
    return figset.load(out, "h7", name, "make_heldout7.R")


def gbsg_meno_whitegrid(out: Path) -> None:
    gb = load(out, "gbsg")
    arms = ["Premenopausal", "Postmenopausal"]
    data = pd.DataFrame({"time": gb["time"], "status": gb["status"],
                         "arm": np.where(gb["meno"] == 1, arms[1], arms[0])})
    with plt.style.context("seaborn-v0_8-whitegrid"):
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        for arm in arms:
            draw_steps(ax, data[data.arm == arm], marker="|", lw=2, label=arm)
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, 7.5)
        ax.set_xlabel("Years since surgery")
        ax.set_ylabel("Recurrence-free survival")
        ax.legend(loc="lower left", frameon=True)
        fig.tight_layout()
        save(out, "h7_mpl_gbsg_meno_whitegrid", fig, data, arms, [], None, True)


def veteran_four_wide(out: Path) -> None:
    vt = load(out, "veteran")
    arms = ["squamous", "smallcell", "adeno", "large"]
    data = pd.DataFrame({"time": vt["time"].astype(float), "status": vt["status"],
                         "arm": vt["celltype"]})
    with plt.rc_context({"font.size": 12}):
        fig, ax = plt.subplots(figsize=(8, 4))
        for arm, color in zip(arms, ["tab:blue", "tab:orange", "tab:green", "tab:red"],
                              strict=True):
            draw_steps(ax, data[data.arm == arm], color=color, lw=1.5, label=arm)
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, 1000)
        ax.set_xlabel("Days")
        ax.set_ylabel("Survival")
        ax.legend(loc="upper right", frameon=False, title="Cell type")
        fig.tight_layout()
        save(out, "h7_mpl_veteran_four_wide", fig, data, arms, [], None, False)


def colon_sex_percent(out: Path) -> None:
    colon = load(out, "colon")
    arms = ["Female", "Male"]
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": np.where(colon["sex"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for arm, color in zip(arms, ["#c51b7d", "#4d9221"], strict=True):
        draw_steps(ax, data[data.arm == arm], scale=100.0, color=color, lw=0.8, label=arm)
    ax.set_ylim(0, 102)
    ax.set_xlim(0, 9.5)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.set_xlabel("Years")
    ax.set_ylabel("Overall survival")
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    save(out, "h7_mpl_colon_sex_percent", fig, data, arms, [], None, False)


def pbc_trt_bmh(out: Path) -> None:
    pbc = load(out, "pbc")
    arms = ["D-penicillamine", "Placebo"]
    data = pd.DataFrame({"time": pbc["time"], "status": pbc["status"],
                         "arm": np.where(pbc["trt"] == 1, arms[0], arms[1])})
    with plt.style.context("bmh"):
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        fits_on(ax, data, arms)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Years")
        ax.set_ylabel("Survival")
        fig.tight_layout()
        save(out, "h7_ll_pbc_trt_bmh_ci", fig, data, arms, [], None, False)


def lung_single_two_rows(out: Path) -> None:
    lung = load(out, "lung")
    arm = "All patients"
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 5.5))
    kmf = KaplanMeierFitter(label=arm).fit(data["time"], data["status"] == 1)
    kmf.plot_survival_function(ax=ax, show_censors=True)
    ax.set_xlabel("Days")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(kmf, ax=ax, rows_to_show=["At risk", "Events"])
    fig.tight_layout()
    save(out, "h7_ll_lung_single_2rows", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (gbsg_meno_whitegrid, veteran_four_wide, colon_sex_percent, pbc_trt_bmh,
                lung_single_two_rows):
        job(out)


if __name__ == "__main__":
    main()
