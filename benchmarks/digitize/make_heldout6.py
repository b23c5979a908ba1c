"""The sixth held-out figure set of make_heldout6.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout6.R OUTDIR     # first: writes OUTDIR/h6_data_*.csv
    python benchmarks/digitize/make_heldout6.py OUTDIR

Figures as published papers draw them, on R's data sets by groupings none of the other sets
uses (written by the R maker, so both draw the same numbers), on lifelines' bundled lupus
data and on a simulated trial, in dataset x grouping x tool combinations none of the other sets
draws. matplotlib, all with ``ax.step(where="post")``: gbsg by progesterone receptor (< 10 /
>= 10 fmol/l) as a 3.5 in single-column figure in an Arial-like sans at 7 pt, black solid /
grey dashed, top and right spines removed; a simulated 300-patient three-arm trial as a 7 in
double-column figure in tab colours with ``|`` marks, x ticks every 6 months and a
number-at-risk table drawn with ``ax.text`` under the axes (R's convention, #(T >= t)); colon
deaths by extent of local spread with CI bands by ``fill_between`` in the default colours.
lifelines: nafld1 deaths by age group without CI bands or marks and an "At risk" row
(``add_at_risk_counts(rows_to_show=["At risk"])``); cgd's first infection by sex with the
default CI bands, censoring marks and the default three-row table (At risk / Censored /
Events); lupus as one labelled curve with marks and ``at_risk_counts=True``; lung by age (< 70 /
>= 70) with the default CI bands, marks and an "At risk" row. Nothing is tuned on it: it is
measured after changes.

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
from lifelines import KaplanMeierFitter
from lifelines.datasets import load_lupus
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, printed_at_risk, save, visible_ticks

# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, alpha=0.2, ms=6)

# a journal's sans: Arial or Helvetica where installed, else a metric clone, else DejaVu Sans
SANS = ["Arial", "Helvetica", "Liberation Sans", "Nimbus Sans", "DejaVu Sans"]


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h6_data_<name>.csv``)."""
    return figset.load(out, "h6", name, "make_heldout6.R")


def gbsg_pgr_column(out: Path) -> None:
    gb = load(out, "gbsg")
    arms = ["PgR < 10 fmol/l", "PgR \u2265 10 fmol/l"]
    data = pd.DataFrame({"time": gb["time"], "status": gb["status"],
                         "arm": np.where(gb["pgr"] >= 10, arms[1], arms[0])})
    rc = {"font.family": "sans-serif", "font.sans-serif": SANS, "font.size": 7,
          "axes.linewidth": 0.6, "xtick.major.width": 0.6, "ytick.major.width": 0.6}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(3.5, 2.8))
        for arm, color, ls in zip(arms, ["black", "0.55"], ["-", "--"], strict=True):
            draw_steps(ax, data[data.arm == arm], color=color, ls=ls, lw=1.0, label=arm)
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, 8)
        ax.set_xticks(range(0, 9))
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("Years since surgery")
        ax.set_ylabel("Recurrence-free survival")
        ax.legend(frameon=False, loc="lower left")
        fig.tight_layout()
        save(out, "h6_mpl_gbsg_pgr_column", fig, data, arms, [], None, False)


def three_arm_double(out: Path) -> None:
    arms = ["Arm A", "Arm B", "Arm C"]
    data = figset.trial(arms, 100, [10.0, 14.0, 20.0], 606, (12.0, 48.0), digits=2,
                        positive=True)
    colors = ["tab:blue", "tab:orange", "tab:green"]
    ticks = list(range(0, 49, 6))
    rc = {"font.family": "sans-serif", "font.sans-serif": SANS, "font.size": 9}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(7.0, 4.6))
        fig.subplots_adjust(left=0.16, right=0.97, top=0.96, bottom=0.40)
        for arm, color in zip(arms, colors, strict=True):
            draw_steps(ax, data[data.arm == arm], marker="|", color=color, lw=1.5, label=arm)
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, 48)
        ax.set_xticks(ticks)
        ax.set_xlabel("Months since randomisation")
        ax.set_ylabel("Progression-free survival")
        ax.legend(frameon=False, loc="upper right")
        # the number-at-risk table under the axes: #(T >= t), names in the arms' colours
        xt = ax.get_xaxis_transform()
        ax.text(-0.13, -0.30, "No. at risk", transform=ax.transAxes, ha="left",
                fontweight="bold")
        for k, (arm, color) in enumerate(zip(arms, colors, strict=True)):
            y = -0.40 - 0.09 * k
            ax.text(-0.13, y, arm, transform=ax.transAxes, ha="left", color=color)
            t = data.loc[data.arm == arm, "time"]
            for tick in ticks:
                ax.text(tick, y, str(int((t >= tick).sum())), transform=xt, ha="center")
        save(out, "h6_mpl_sim_three_arm_double", fig, data, arms, ticks, None, True)


def colon_extent_ci(out: Path) -> None:
    colon = load(out, "colon")
    names = {1: "Submucosa or muscle", 2: "Submucosa or muscle", 3: "Serosa",
             4: "Contiguous structures"}
    arms = ["Submucosa or muscle", "Serosa", "Contiguous structures"]
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": colon["extent"].map(names)})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for arm in arms:
        draw_steps(ax, data[data.arm == arm], ci=True, lw=1.5, label=arm)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Years")
    ax.set_ylabel("Overall survival")
    ax.legend(title="Local spread", loc="lower left")
    fig.tight_layout()
    save(out, "h6_mpl_colon_extent_ci", fig, data, arms, [], None, False)


def nafld_age_at_risk(out: Path) -> None:
    nf = load(out, "nafld")
    arms = ["Age < 50", "Age 50-64", "Age 65+"]
    group = np.select([nf["age"] < 50, nf["age"] < 65], arms[:2], arms[2])
    data = pd.DataFrame({"time": nf["time"], "status": nf["status"], "arm": group})
    fig, ax = plt.subplots(figsize=(7, 5.5))
    fits = fits_on(ax, data, arms, ci_show=False)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Years")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h6_ll_nafld_age_atrisk", fig, data, arms, ticks, printed, False)


def cgd_sex_three_rows(out: Path) -> None:
    cg = load(out, "cgd")
    arms = ["Male", "Female"]
    data = pd.DataFrame({"time": cg["time"].astype(float), "status": cg["status"],
                         "arm": cg["sex"].str.capitalize()})
    fig, ax = plt.subplots(figsize=(7, 6))
    fits = fits_on(ax, data, arms, show_censors=True)
    ax.set_xlabel("Days")
    ax.set_ylabel("Free of serious infection")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h6_ll_cgd_sex_3rows", fig, data, arms, ticks, printed, True)


def lupus_single(out: Path) -> None:
    lp = load_lupus()
    arm = "Lupus"
    data = pd.DataFrame({
        "time": lp["time_between_diagnosis_and_last_observation_(years)"].astype(float),
        "status": lp["dead"].astype(int), "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 5.5))
    kmf = KaplanMeierFitter(label=arm).fit(data["time"], data["status"] == 1)
    kmf.plot_survival_function(ax=ax, show_censors=True, at_risk_counts=True)
    ticks = visible_ticks(ax)
    ax.set_xlabel("Years since diagnosis")
    ax.set_ylabel("Survival")
    fig.tight_layout()
    save(out, "h6_ll_lupus_single_atrisk", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, True)


def lung_age_at_risk(out: Path) -> None:
    lung = load(out, "lung")
    arms = ["Age < 70", "Age 70+"]
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": np.where(lung["age"] >= 70, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(7, 5.5))
    fits = fits_on(ax, data, arms, show_censors=True)
    ax.set_xlabel("Days")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h6_ll_lung_age_atrisk", fig, data, arms, ticks, printed, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (gbsg_pgr_column, three_arm_double, colon_extent_ci, nafld_age_at_risk,
                cgd_sex_three_rows, lupus_single, lung_age_at_risk):
        job(out)


if __name__ == "__main__":
    main()
