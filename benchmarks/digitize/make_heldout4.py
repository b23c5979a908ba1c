"""The fourth held-out figure set of make_heldout4.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout4.R OUTDIR     # first: writes OUTDIR/h4_data_*.csv
    python benchmarks/digitize/make_heldout4.py OUTDIR

The plain, typical figures of each tool on R's data sets (written by the R maker, so both draw
the same numbers), in combinations none of the other sets draws. matplotlib: lung by sex with
``ax.step(where="post")`` and CI bands by ``fill_between`` in the default style; colon deaths
by treatment in black solid / dashed / dotted with a light grid, saved with
``bbox_inches="tight"``; rotterdam deaths by hormonal therapy with ``|`` marks and the top and
right spines removed; gbsg as one grey curve with its CI band and ``+`` marks. lifelines:
veteran by treatment with the defaults of ``plot_survival_function`` (CI bands) and of
``add_at_risk_counts`` (At risk / Censored / Events); pbc by treatment with censoring marks
and an "At risk" row, saved with ``bbox_inches="tight"``; lung as one curve with the default
label (``KM_estimate``) and ``at_risk_counts=True``; lung by ECOG score in black line styles
with marks and an "At risk" row.

Writes ``<name>.pdf``, ``<name>.svg``, ``<name>_150.png``, ``<name>_300.png``,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py does;
``risk_printed`` holds the numbers at risk lifelines prints (computed the way
``add_at_risk_counts`` does). A single curve with no name drawn is ``arm 1``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import printed_at_risk, save, visible_ticks

# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, alpha=0.25, ms=6)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h4_data_<name>.csv``)."""
    return figset.load(out, "h4", name, "make_heldout4.R")


def lung_sex_ci(out: Path) -> None:
    lung = load(out, "lung")
    arms = ["Male", "Female"]
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": np.where(lung["sex"] == 1, arms[0], arms[1])})
    fig, ax = plt.subplots()
    for arm in arms:
        draw_steps(ax, data[data.arm == arm], ci=True, label=arm)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Days")
    ax.set_ylabel("Survival probability")
    ax.legend()
    fig.tight_layout()
    save(out, "h4_mpl_lung_sex_ci", fig, data, arms, [], None, False)


def colon_bw(out: Path) -> None:
    colon = load(out, "colon")
    names = {"Obs": "Observation", "Lev": "Levamisole", "Lev+5FU": "Levamisole + 5-FU"}
    arms = list(names.values())
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": colon["rx"].map(names)})
    fig, ax = plt.subplots(figsize=(7, 5))
    for arm, ls in zip(arms, ["-", "--", ":"], strict=True):
        draw_steps(ax, data[data.arm == arm], color="black", ls=ls, lw=1.5, label=arm)
    ax.grid(alpha=0.3)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("Years since randomisation")
    ax.set_ylabel("Overall survival")
    ax.set_title("Colon cancer: overall survival by treatment")
    ax.legend(loc="lower left")
    save(out, "h4_mpl_colon_bw", fig, data, arms, [], None, False, tight=True)


def rotterdam_marks(out: Path) -> None:
    rot = load(out, "rotterdam")
    arms = ["No hormonal therapy", "Hormonal therapy"]
    data = pd.DataFrame({"time": rot["time"], "status": rot["status"],
                         "arm": np.where(rot["hormon"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for arm, col in zip(arms, ["tab:blue", "tab:red"], strict=True):
        draw_steps(ax, data[data.arm == arm], marker="|", color=col, lw=1.5, label=arm)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, 20)
    ax.set_xticks(range(0, 21, 5))
    ax.set_xlabel("Years since surgery")
    ax.set_ylabel("Overall survival")
    ax.legend(frameon=False, loc="upper right")
    fig.tight_layout()
    save(out, "h4_mpl_rotterdam_marks", fig, data, arms, [], None, True)


def gbsg_single_grey(out: Path) -> None:
    gb = load(out, "gbsg")
    arm = "arm 1"
    data = pd.DataFrame({"time": gb["time"], "status": gb["status"], "arm": arm})
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    draw_steps(ax, data, ci=True, marker="+", alpha=0.2, color="0.25", lw=1.5)
    ax.set_ylim(0, 1.0)
    ax.set_xlim(0, 8)
    ax.set_xlabel("Years")
    ax.set_ylabel("Recurrence-free survival")
    fig.tight_layout()
    save(out, "h4_mpl_gbsg_single_grey", fig, data, [arm], [], None, True)


def veteran_defaults(out: Path) -> None:
    vet = load(out, "veteran")
    arms = ["Standard", "Test"]
    data = pd.DataFrame({"time": vet["time"].astype(float), "status": vet["status"],
                         "arm": np.where(vet["trt"] == 1, arms[0], arms[1])})
    fig, ax = plt.subplots(figsize=(7, 6))
    fits = []
    for arm in arms:
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax)
        fits.append(kmf)
    ax.set_xlabel("Days")
    ax.set_ylabel("Survival probability")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h4_ll_veteran_trt_3rows", fig, data, arms, ticks, printed, False)


def pbc_at_risk(out: Path) -> None:
    pbc = load(out, "pbc")
    arms = ["D-penicillamine", "Placebo"]
    data = pd.DataFrame({"time": pbc["time"], "status": pbc["status"],
                         "arm": np.where(pbc["trt"] == 1, arms[0], arms[1])})
    fig, ax = plt.subplots(figsize=(7, 5))
    fits = []
    for arm in arms:
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True)
        fits.append(kmf)
    ax.set_xlabel("Years")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h4_ll_pbc_trt_atrisk", fig, data, arms, ticks, printed, True, tight=True)


def lung_single_default(out: Path) -> None:
    lung = load(out, "lung")
    arm = "KM_estimate"
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 5.5))
    kmf = KaplanMeierFitter().fit(data["time"], data["status"] == 1)
    kmf.plot_survival_function(ax=ax, at_risk_counts=True)
    ticks = visible_ticks(ax)
    ax.set_xlabel("Days")
    fig.tight_layout()
    save(out, "h4_ll_lung_single_default", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, False)


def lung_ecog_bw(out: Path) -> None:
    lung = load(out, "lung")
    lung = lung[lung["ph.ecog"].notna() & (lung["ph.ecog"] < 3)]
    arms = ["ECOG 0", "ECOG 1", "ECOG 2"]
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": "ECOG " + lung["ph.ecog"].astype(int).astype(str)})
    fig, ax = plt.subplots(figsize=(7, 5.5))
    fits = []
    for arm, ls in zip(arms, ["-", "--", ":"], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color="black",
                                   ls=ls, lw=1.5, censor_styles={"ms": 5})
        fits.append(kmf)
    ax.set_xlabel("Days")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h4_ll_lung_ecog_bw", fig, data, arms, ticks, printed, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (lung_sex_ci, colon_bw, rotterdam_marks, gbsg_single_grey, veteran_defaults,
                pbc_at_risk, lung_single_default, lung_ecog_bw):
        job(out)


if __name__ == "__main__":
    main()
