"""The third held-out figure set of make_heldout3.R, matplotlib and lifelines part.

    python benchmarks/digitize/make_heldout3.py OUTDIR

Data not in the other sets (lifelines' ``leukemia`` and ``psychiatric_patients``, simulated
trials with fixed seeds) and styles not in them: ``fivethirtyeight`` with CI bands drawn by
``fill_between`` and ``+`` marks; a single-column 3.5 x 2.6 in figure in grey with dash
patterns, ``|`` marks, percent ticks, ticks inward and the legend above the axes; a wide
``seaborn-v0_8-white`` figure in DejaVu Serif 11 pt with three CI bands and the legend outside;
a single lifelines curve with a one-row table; three lifelines fitters with the default
three-row table (At risk / Censored / Events); two large lifelines arms with ``|`` marks and a
one-row table. Writes ``<name>.pdf``, ``<name>.svg``, ``<name>_150.png``, ``<name>_300.png``,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py does;
``risk_printed`` holds the numbers at risk lifelines prints (computed the way
``add_at_risk_counts`` does).
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
from lifelines.datasets import load_leukemia, load_psychiatric_patients
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import printed_at_risk, save, visible_ticks

# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, ms=5)


def trial(arms: list[str], n: int, medians: list[float], seed: int,
          follow: tuple[float, float], digits: int = 1) -> pd.DataFrame:
    """Exponential event times, uniform censoring, times rounded to ``digits`` (at least
    ``10**-digits``)."""
    return figset.trial(arms, n, medians, seed, follow, digits, positive=True)


def leukemia_538(out: Path) -> None:
    lk = load_leukemia()
    arms = ["6-MP", "Placebo"]
    data = pd.DataFrame({"time": lk["t"].astype(float), "status": lk["status"].astype(int),
                         "arm": np.where(lk["Rx"] == 0, arms[0], arms[1])})
    with plt.style.context("fivethirtyeight"):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for arm, col in zip(arms, ["#008fd5", "#fc4f30"], strict=True):
            draw_steps(ax, data[data.arm == arm], ci=True, marker="+", color=col, lw=2,
                       label=arm)
        ax.set_xlim(0, 36)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("Weeks in remission")
        ax.set_ylabel("Remission")
        ax.set_title("Remission duration, acute leukaemia")
        ax.legend(loc="upper right")
        fig.tight_layout()
    save(out, "h3_mpl_leukemia_538", fig, data, arms, [], None, True)


def column_grey(out: Path) -> None:
    arms = ["Arm A", "Arm B"]
    data = trial(arms, 150, [18.0, 11.0], 35, (6.0, 40.0))
    rc = {"font.size": 8, "xtick.direction": "in", "ytick.direction": "in"}
    with plt.rc_context(rc):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(3.5, 2.6))
        for arm, grey, ls in zip(arms, ["0.0", "0.5"], [(0, ()), (0, (5, 2))], strict=True):
            draw_steps(ax, data[data.arm == arm], scale=100, marker="|", color=grey, lw=1.2,
                       ls=ls, label=arm)
        ax.set_xlim(0, 40)
        ax.set_ylim(0, 102)
        ax.set_xticks(range(0, 41, 10))
        ax.set_yticks([0, 20, 40, 60, 80, 100], ["0%", "20%", "40%", "60%", "80%", "100%"])
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("Months")
        ax.set_ylabel("Progression-free survival")
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        fig.tight_layout()
    save(out, "h3_mpl_column_grey_dash", fig, data, arms, [], None, True)


def three_bands(out: Path) -> None:
    arms = ["Low risk", "Intermediate risk", "High risk"]
    data = trial(arms, 250, [60.0, 30.0, 14.0], 303, (12.0, 84.0))
    rc = {"font.family": "DejaVu Serif", "font.size": 11}
    with plt.style.context("seaborn-v0_8-white"), plt.rc_context(rc):  # type: ignore[arg-type]
        fig, ax = plt.subplots(figsize=(9, 4.2))
        for arm, col in zip(arms, ["#4c72b0", "#55a868", "#c44e52"], strict=True):
            draw_steps(ax, data[data.arm == arm], ci=True, color=col, lw=1.6, label=arm)
        ax.set_xlim(0, 84)
        ax.set_ylim(0, 1.0)
        ax.set_xticks(range(0, 85, 12))
        ax.set_xlabel("Months from diagnosis")
        ax.set_ylabel("Overall survival")
        ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
        fig.tight_layout()
    save(out, "h3_mpl_serif_three_bands", fig, data, arms, [], None, False)


def psychiatric_single(out: Path) -> None:
    ps = load_psychiatric_patients()
    arm = "Psychiatric inpatients"
    data = pd.DataFrame({"time": ps["T"].astype(float), "status": ps["C"].astype(int),
                         "arm": arm})
    fig, ax = plt.subplots(figsize=(6, 4.8))
    kmf = KaplanMeierFitter(label=arm).fit(data["time"], data["status"] == 1)
    kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color="#6a3d9a",
                               lw=1.5)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Years since admission")
    ax.set_ylabel("Survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(kmf, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    save(out, "h3_ll_psychiatric_single", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, True)


def three_fitters(out: Path) -> None:
    arms = ["Surgery", "Chemoradiation", "Best supportive care"]
    data = trial(arms, 80, [30.0, 20.0, 8.0], 77, (6.0, 48.0))
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    fits = []
    for arm, col in zip(arms, ["#e41a1c", "#377eb8", "#4daf4a"], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=True, color=col, lw=1.4)
        fits.append(kmf)
    ax.set_xlabel("Months")
    ax.set_ylabel("Overall survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h3_ll_three_fitters_3rows", fig, data, arms, ticks, printed, True)


def large_pair(out: Path) -> None:
    arms = ["Placebo", "Active"]
    data = trial(arms, 400, [20.0, 28.0], 400, (12.0, 60.0), digits=2)
    fig, ax = plt.subplots(figsize=(7, 5))
    fits = []
    for arm, col in zip(arms, ["#ff7f00", "#1f78b4"], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color=col,
                                   lw=1.2, censor_styles={"marker": "|", "ms": 5})
        fits.append(kmf)
    ax.tick_params(direction="in")
    ax.set_xlabel("Months since randomisation")
    ax.set_ylabel("Disease-free survival")
    ticks = visible_ticks(ax)
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "h3_ll_large_pair_ticks_in", fig, data, arms, ticks, printed, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    leukemia_538(out)
    column_grey(out)
    three_bands(out)
    psychiatric_single(out)
    three_fitters(out)
    large_pair(out)


if __name__ == "__main__":
    main()
