"""The third development figure set of make_devset3.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_devset3.R OUTDIR     # first: writes OUTDIR/d3_data_*.csv
    python benchmarks/digitize/make_devset3.py OUTDIR

The plain, typical figures of each tool on R's data sets (written by the R maker, so both draw
the same numbers) and on lifelines' own tutorial data, in dataset x grouping x tool
combinations none of the other sets draws. matplotlib: aml by maintenance with
``ax.step(where="post")`` in the default colours and ``+`` marks; colon recurrence by treatment
with CI bands by ``fill_between`` in ``seaborn-v0_8-whitegrid``; ovarian by treatment in black
solid / grey dashed with ``|`` marks and the top and right spines removed; lung by ECOG score
in the ``ggplot`` style with a percent axis. lifelines: the regimes of lifelines' ``dd`` data
as in its tutorial (CI bands, the default three-row table At risk / Censored / Events);
rotterdam deaths by chemotherapy with the default CI bands and an "At risk" row; cgd by
treatment with censoring marks and the default three-row table; mgus2 as one curve labelled
``MGUS`` with ``at_risk_counts=True``.

Writes ``<name>.pdf``, ``<name>.svg``, ``<name>_150.png``, ``<name>_300.png``,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py does;
``risk_printed`` holds the numbers at risk lifelines prints (computed the way
``add_at_risk_counts`` does). No x axis is cut.
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
from lifelines.datasets import load_dd
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import printed_at_risk, save, visible_ticks

# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, ms=7)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``d3_data_<name>.csv``)."""
    return figset.load(out, "d3", name, "make_devset3.R")


def aml_steps(out: Path) -> None:
    aml = load(out, "aml")
    arms = ["Maintained", "Nonmaintained"]
    data = pd.DataFrame({"time": aml["time"].astype(float), "status": aml["status"],
                         "arm": aml["x"]})
    fig, ax = plt.subplots()
    for arm in arms:
        draw_steps(ax, data[data.arm == arm], marker="+", label=arm)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Weeks")
    ax.set_ylabel("Proportion in remission")
    ax.set_title("AML: remission by maintenance chemotherapy")
    ax.legend()
    fig.tight_layout()
    save(out, "d3_mpl_aml_marks", fig, data, arms, [], None, True)


def colon_recur_ci(out: Path) -> None:
    colon = load(out, "colon")
    names = {"Obs": "Observation", "Lev": "Levamisole", "Lev+5FU": "Levamisole + 5-FU"}
    arms = list(names.values())
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": colon["rx"].map(names)})
    with plt.style.context("seaborn-v0_8-whitegrid"):
        fig, ax = plt.subplots(figsize=(7, 5))
        for arm in arms:
            draw_steps(ax, data[data.arm == arm], ci=True, lw=1.5, label=arm)
        ax.set_ylim(0, 1.0)
        ax.set_xlim(0, 10)
        ax.set_xlabel("Years since randomisation")
        ax.set_ylabel("Recurrence-free survival")
        ax.legend(loc="lower left")
        fig.tight_layout()
        save(out, "d3_mpl_colon_recur_ci", fig, data, arms, [], None, False)


def ovarian_bw(out: Path) -> None:
    ov = load(out, "ovarian")
    arms = ["Cyclophosphamide", "Cyclophosphamide + adriamycin"]
    data = pd.DataFrame({"time": ov["time"].astype(float), "status": ov["status"],
                         "arm": np.where(ov["rx"] == 1, arms[0], arms[1])})
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for arm, col, ls in zip(arms, ["black", "0.5"], ["-", "--"], strict=True):
        draw_steps(ax, data[data.arm == arm], marker="|", color=col, ls=ls, lw=1.5,
                   label=arm)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("Days")
    ax.set_ylabel("Overall survival")
    ax.legend(frameon=False, loc="lower left")
    fig.tight_layout()
    save(out, "d3_mpl_ovarian_bw", fig, data, arms, [], None, True)


def lung_ecog_percent(out: Path) -> None:
    lung = load(out, "lung")
    arms = ["ECOG 0", "ECOG 1", "ECOG 2"]
    data = pd.DataFrame({"time": lung["time"].astype(float), "status": lung["status"],
                         "arm": "ECOG " + lung["ph.ecog"].astype(int).astype(str)})
    with plt.style.context("ggplot"):
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        for arm in arms:
            draw_steps(ax, data[data.arm == arm], scale=100.0, lw=1.5, label=arm)
        ax.set_ylim(0, 100)
        ax.set_xlim(left=0)
        ax.set_xlabel("Days")
        ax.set_ylabel("Overall survival (%)")
        ax.legend()
        fig.tight_layout()
        save(out, "d3_mpl_lung_ecog_percent", fig, data, arms, [], None, False)


def fits_with_table(data: pd.DataFrame, arms: list[str], ax: plt.Axes,
                    **plot_kw: object) -> list[KaplanMeierFitter]:
    fits = []
    for arm in arms:
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, **plot_kw)
        fits.append(kmf)
    return fits


def dd_regimes(out: Path) -> None:
    dd = load_dd()
    arms = ["Democratic Regimes", "Non-democratic Regimes"]
    data = pd.DataFrame({"time": dd["duration"].astype(float), "status": dd["observed"],
                         "arm": np.where(dd["democracy"] == "Democracy", arms[0], arms[1])})
    fig, ax = plt.subplots(figsize=(7, 6))
    fits = fits_with_table(data, arms, ax)
    ax.set_title("Lifespans of different global regimes")
    ax.set_xlabel("Years in power")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "d3_ll_dd_regimes_3rows", fig, data, arms, ticks, printed, False)


def rotterdam_chemo(out: Path) -> None:
    rot = load(out, "rotterdam")
    arms = ["No chemotherapy", "Chemotherapy"]
    data = pd.DataFrame({"time": rot["time"], "status": rot["status"],
                         "arm": np.where(rot["chemo"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(7, 5))
    fits = fits_with_table(data, arms, ax)
    ax.set_xlabel("Years since surgery")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "d3_ll_rotterdam_chemo_ci", fig, data, arms, ticks, printed, False)


def cgd_marks(out: Path) -> None:
    cgd = load(out, "cgd")
    arms = ["Placebo", "rIFN-g"]
    data = pd.DataFrame({"time": cgd["time"].astype(float), "status": cgd["status"],
                         "arm": cgd["treat"].map({"placebo": arms[0], "rIFN-g": arms[1]})})
    fig, ax = plt.subplots(figsize=(7, 6))
    fits = fits_with_table(data, arms, ax, ci_show=False, show_censors=True)
    ax.set_xlabel("Days to first serious infection")
    ax.set_ylabel("Infection-free")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "d3_ll_cgd_marks_3rows", fig, data, arms, ticks, printed, True)


def mgus2_single(out: Path) -> None:
    mg = load(out, "mgus2")
    arm = "MGUS"
    data = pd.DataFrame({"time": mg["time"], "status": mg["status"], "arm": arm})
    fig, ax = plt.subplots(figsize=(6.4, 5.5))
    kmf = KaplanMeierFitter(label=arm).fit(data["time"], data["status"] == 1)
    kmf.plot_survival_function(ax=ax, at_risk_counts=True)
    ticks = visible_ticks(ax)
    ax.set_xlabel("Years from diagnosis")
    ax.set_ylabel("Overall survival")
    fig.tight_layout()
    save(out, "d3_ll_mgus2_single", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (aml_steps, colon_recur_ci, ovarian_bw, lung_ecog_percent, dd_regimes,
                rotterdam_chemo, cgd_marks, mgus2_single):
        job(out)


if __name__ == "__main__":
    main()
