"""The tenth held-out figure set of make_heldout10.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout10.R OUTDIR     # first: writes OUTDIR/h10_data_*.csv
    python benchmarks/digitize/make_heldout10.py OUTDIR

Options none of the other sets uses, on R's data sets (written by the R maker): matplotlib
lung by ECOG score, three arms with ``+`` marks, faint grid lines and a title; pbc by treatment
in black, solid lw 2 against dash-dot lw 1; lifelines gbsg by hormonal therapy with CI bands,
marks and the default three-row at-risk table under a wide figure; veteran as one curve in the
``seaborn-v0_8-darkgrid`` style with an "At risk" row. Nothing is tuned on it: it is measured
after changes.

Writes the files make_heldout8.py writes; ``risk_printed`` holds the numbers at risk lifelines
prints. No x axis is cut.
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
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, save, visible_ticks

draw_steps = partial(figset.draw_steps, alpha=0.2, ms=6)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h10_data_<name>.csv``)."""
    return figset.load(out, "h10", name, "make_heldout10.R")


def lung_ecog_grid(out: Path) -> None:
    lung = load(out, "lung")
    lung = lung[lung["ecog"].isin([0, 1, 2])]
    arms = ["ECOG 0", "ECOG 1", "ECOG 2"]
    data = pd.DataFrame({"time": lung["time"], "status": lung["status"],
                         "arm": [arms[int(e)] for e in lung["ecog"]]})
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for arm, color in zip(arms, ["tab:blue", "tab:orange", "tab:green"], strict=True):
        draw_steps(ax, data[data.arm == arm], marker="+", ms=6, color=color, lw=1.4,
                   label=arm)
    ax.grid(True, alpha=0.3)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("Months")
    ax.set_ylabel("Overall survival")
    ax.set_title("Overall survival by ECOG performance status")
    ax.legend(loc="upper right")
    fig.tight_layout()
    save(out, "h10_mpl_lung_ecog_grid", fig, data, arms, [], None, True)


def pbc_black_widths(out: Path) -> None:
    pbc = load(out, "pbc")
    arms = ["D-penicillamine", "Placebo"]
    data = pd.DataFrame({"time": pbc["time"], "status": pbc["status"],
                         "arm": np.where(pbc["trt"] == 2, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for arm, ls, lw in zip(arms, ["-", "-."], [2.0, 1.0], strict=True):
        draw_steps(ax, data[data.arm == arm], color="black", ls=ls, lw=lw, label=arm)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, 13)
    ax.set_xlabel("Years")
    ax.set_ylabel("Transplant-free survival")
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    save(out, "h10_mpl_pbc_black_widths", fig, data, arms, [], None, False)


def gbsg_hormon_three_rows(out: Path) -> None:
    gb = load(out, "gbsg")
    arms = ["No hormonal therapy", "Hormonal therapy"]
    data = pd.DataFrame({"time": gb["time"], "status": gb["status"],
                         "arm": np.where(gb["hormon"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(8, 5.5))
    fits = fits_on(ax, data, arms, show_censors=True)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Months")
    ax.set_ylabel("Recurrence-free survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h10_ll_gbsg_hormon_three_rows", fig, data, arms, ticks, printed, True)


def veteran_single_darkgrid(out: Path) -> None:
    vet = load(out, "veteran")
    arms = ["All patients"]
    data = pd.DataFrame({"time": vet["time"].astype(float), "status": vet["status"],
                         "arm": arms[0]})
    with plt.style.context("seaborn-v0_8-darkgrid"):
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        fits = fits_on(ax, data, arms)
        ax.set_xlabel("Days")
        ax.set_ylabel("Survival probability")
        ticks = visible_ticks(ax)
        add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
        fig.tight_layout()
        printed = figset.printed_rows(arms, fits, ticks)
        save(out, "h10_ll_veteran_single_darkgrid", fig, data, arms, ticks, printed, False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (lung_ecog_grid, pbc_black_widths, gbsg_hormon_three_rows,
                veteran_single_darkgrid):
        job(out)


if __name__ == "__main__":
    main()
