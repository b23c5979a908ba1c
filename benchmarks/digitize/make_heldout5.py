"""The fifth held-out figure set of make_heldout5.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout5.R OUTDIR     # first: writes OUTDIR/h5_data_*.csv
    python benchmarks/digitize/make_heldout5.py OUTDIR

The plain, typical figures of each tool on R's data sets (written by the R maker, so both draw
the same numbers) and on lifelines' bundled data, in dataset x grouping x tool combinations
none of the other sets draws. matplotlib, all with ``ax.step(where="post")``: retinopathy by
diabetes type with CI bands by ``fill_between`` in the default style; mgus2 as one black curve
with a grey band and no legend; rotterdam deaths by tumour size in black solid / dashed /
dotted; gbsg by tumour grade in the ``ggplot`` style; kidney infections by sex with ``+``
marks in the default colours. lifelines: the glioma trial of ``load_g3`` with every default
of ``plot_survival_function`` (CI bands), censoring marks and the default three-row table
(At risk / Censored / Events); ``load_rossi``'s released prisoners as one labelled curve
with marks and no table; ``load_lymph_node``'s overall survival by hormonal therapy with the
default CI bands and an "At risk" row; colon recurrence by treatment, three fitters on one
axes with marks and the three-row table; stanford2 as one curve with its CI band, marks and
the three-row table.

Writes ``<name>.pdf``, ``<name>.svg``, ``<name>_150.png``, ``<name>_300.png``,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py does;
``risk_printed`` holds the numbers at risk lifelines prints (computed the way
``add_at_risk_counts`` does). A single curve with no name drawn is ``arm 1``. No x axis is
cut.
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
from lifelines.datasets import load_g3, load_lymph_node, load_rossi
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, printed_at_risk, save, visible_ticks

# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, alpha=0.2, ms=6)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h5_data_<name>.csv``)."""
    return figset.load(out, "h5", name, "make_heldout5.R")


def retinopathy_ci(out: Path) -> None:
    rt = load(out, "retinopathy")
    names = {"juvenile": "Juvenile onset", "adult": "Adult onset"}
    arms = list(names.values())
    data = pd.DataFrame({"time": rt["time"], "status": rt["status"],
                         "arm": rt["type"].map(names)})
    fig, ax = plt.subplots()
    for arm in arms:
        draw_steps(ax, data[data.arm == arm], ci=True, label=arm)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Months")
    ax.set_ylabel("Free of severe vision loss")
    ax.legend()
    fig.tight_layout()
    save(out, "h5_mpl_retinopathy_type_ci", fig, data, arms, [], None, False)


def mgus2_single(out: Path) -> None:
    mg = load(out, "mgus2")
    arm = "arm 1"
    data = pd.DataFrame({"time": mg["time"], "status": mg["status"], "arm": arm})
    fig, ax = plt.subplots(figsize=(6, 4.5))
    draw_steps(ax, data, ci=True, color="black", lw=1.5)
    ax.set_ylim(0, 1.0)
    ax.set_xlim(left=0)
    ax.set_xlabel("Years from diagnosis")
    ax.set_ylabel("Overall survival")
    ax.set_title("MGUS: overall survival")
    fig.tight_layout()
    save(out, "h5_mpl_mgus2_single_band", fig, data, [arm], [], None, False)


def rotterdam_size_bw(out: Path) -> None:
    rot = load(out, "rotterdam")
    names = {"<=20": "\u226420 mm", "20-50": "20\u201350 mm", ">50": ">50 mm"}
    arms = list(names.values())
    data = pd.DataFrame({"time": rot["time"], "status": rot["status"],
                         "arm": rot["size"].map(names)})
    fig, ax = plt.subplots(figsize=(7, 5))
    for arm, ls in zip(arms, ["-", "--", ":"], strict=True):
        draw_steps(ax, data[data.arm == arm], color="black", ls=ls, lw=1.5, label=arm)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("Years since surgery")
    ax.set_ylabel("Overall survival")
    ax.legend(title="Tumour size", frameon=False, loc="lower left")
    fig.tight_layout()
    save(out, "h5_mpl_rotterdam_size_bw", fig, data, arms, [], None, False)


def gbsg_grade_ggplot(out: Path) -> None:
    gb = load(out, "gbsg")
    arms = ["Grade 1", "Grade 2", "Grade 3"]
    data = pd.DataFrame({"time": gb["time"], "status": gb["status"],
                         "arm": "Grade " + gb["grade"].astype(int).astype(str)})
    with plt.style.context("ggplot"):
        fig, ax = plt.subplots(figsize=(7, 5))
        for arm in arms:
            draw_steps(ax, data[data.arm == arm], lw=1.5, label=arm)
        ax.set_ylim(0, 1.0)
        ax.set_xlim(left=0)
        ax.set_xlabel("Years")
        ax.set_ylabel("Recurrence-free survival")
        ax.legend(loc="lower left")
        fig.tight_layout()
        save(out, "h5_mpl_gbsg_grade_ggplot", fig, data, arms, [], None, False)


def kidney_marks(out: Path) -> None:
    kd = load(out, "kidney")
    arms = ["Male", "Female"]
    data = pd.DataFrame({"time": kd["time"].astype(float), "status": kd["status"],
                         "arm": np.where(kd["sex"] == 1, arms[0], arms[1])})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for arm in arms:
        draw_steps(ax, data[data.arm == arm], marker="+", label=arm)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Days since catheter insertion")
    ax.set_ylabel("Free of infection")
    ax.legend()
    fig.tight_layout()
    save(out, "h5_mpl_kidney_sex_marks", fig, data, arms, [], None, True)


def g3_defaults(out: Path) -> None:
    g3 = load_g3()
    arms = ["RIT", "Control"]
    data = pd.DataFrame({"time": g3["time"].astype(float), "status": g3["event"].astype(int),
                         "arm": g3["group"].astype(str)})
    fig, ax = plt.subplots(figsize=(7, 6))
    fits = fits_on(ax, data, arms, show_censors=True)
    ax.set_xlabel("Months")
    ax.set_ylabel("Survival probability")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h5_ll_g3_glioma_3rows", fig, data, arms, ticks, printed, True)


def rossi_single(out: Path) -> None:
    rs = load_rossi()
    arm = "Released prisoners"
    data = pd.DataFrame({"time": rs["week"].astype(float), "status": rs["arrest"].astype(int),
                         "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    fits_on(ax, data, [arm], ci_show=False, show_censors=True)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Weeks since release")
    ax.set_ylabel("Not re-arrested")
    fig.tight_layout()
    save(out, "h5_ll_rossi_single_marks", fig, data, [arm], [], None, True)


def lymph_node_os(out: Path) -> None:
    ln = load_lymph_node()
    arms = ["No hormone therapy", "Hormone therapy"]
    data = pd.DataFrame({"time": ln["survtime"].astype(float),
                         "status": ln["censdead"].astype(int),
                         "arm": np.where(ln["hormone"] == 2, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(7, 5))
    fits = fits_on(ax, data, arms)
    ax.set_xlabel("Days")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h5_ll_lymph_node_os_atrisk", fig, data, arms, ticks, printed, False)


def colon_recur_three(out: Path) -> None:
    colon = load(out, "colon")
    names = {"Obs": "Observation", "Lev": "Levamisole", "Lev+5FU": "Levamisole + 5-FU"}
    arms = list(names.values())
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": colon["rx"].map(names)})
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    fits = fits_on(ax, data, arms, ci_show=False, show_censors=True)
    ax.set_xlabel("Years")
    ax.set_ylabel("Recurrence-free survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h5_ll_colon_recur_3rows", fig, data, arms, ticks, printed, True)


def stanford2_single(out: Path) -> None:
    st = load(out, "stanford2")
    arm = "All patients"
    data = pd.DataFrame({"time": st["time"].astype(float), "status": st["status"],
                         "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 5.5))
    fits = fits_on(ax, data, [arm], show_censors=True)
    ax.set_xlabel("Days")
    ax.set_ylabel("Survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    save(out, "h5_ll_stanford2_single_3rows", fig, data, [arm], ticks,
         {arm: printed_at_risk(fits[0], ticks)}, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (retinopathy_ci, mgus2_single, rotterdam_size_bw, gbsg_grade_ggplot,
                kidney_marks, g3_defaults, rossi_single, lymph_node_os, colon_recur_three,
                stanford2_single):
        job(out)


if __name__ == "__main__":
    main()
