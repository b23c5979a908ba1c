"""The second development figure set of make_devset2.R, matplotlib and lifelines part.

    python benchmarks/digitize/make_devset2.py OUTDIR

Data not in the other sets (lifelines' ``larynx``, ``kidney_transplant``, ``gbsg2`` by tumour
grade, ``lymphoma``) and styles not in them: a single-column 3.5 x 2.6 in figure in DejaVu
Serif 7 pt with ticks inward and CI bands drawn with ``fill_between``, a wide ``bmh`` figure in
grey with dash patterns, percent ticks and the legend outside the axes, a ``ggplot``-style
lifelines figure with the default three-row table (At risk / Censored / Events), and a single
lifelines curve with ``at_risk_counts=True``. PNG at 150 and 300 dpi, ``<name>.truth.csv``
(time, status, arm) and ``<name>.json`` as make_figures.py writes them; ``risk_printed`` holds
the numbers at risk lifelines prints (computed the way ``add_at_risk_counts`` does).
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
from lifelines.datasets import load_gbsg2, load_kidney_transplant, load_larynx, load_lymphoma
from lifelines.plotting import add_at_risk_counts
from matplotlib.ticker import PercentFormatter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import printed_at_risk, visible_ticks

# this set is PNG only
save = partial(figset.save, vector=False)
# this set's censoring marks and CI bands
draw_steps = partial(figset.draw_steps, alpha=0.18, ms=4, mew=0.8)


def larynx_serif(out: Path) -> None:
    lx = load_larynx()
    late = (lx["Stage_III"] == 1) | (lx["Stage_IV"] == 1)
    arms = ["Stage I\u2013II", "Stage III\u2013IV"]
    data = pd.DataFrame({"time": lx["time"].astype(float), "status": lx["death"].astype(int),
                         "arm": np.where(late, arms[1], arms[0])})
    with plt.rc_context({"font.family": "DejaVu Serif", "font.size": 7,
                         "xtick.direction": "in", "ytick.direction": "in"}):
        fig, ax = plt.subplots(figsize=(3.5, 2.6))
        for arm, col in zip(arms, ["#0072B2", "#D55E00"], strict=True):
            draw_steps(ax, data[data.arm == arm], ci=True, marker="+", color=col, lw=1.0,
                       label=arm)
        ax.set_xlim(0, 11)
        ax.set_ylim(0, 1.02)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel("Years since diagnosis")
        ax.set_ylabel("Overall survival")
        ax.legend(frameon=False, loc="lower left")
        fig.tight_layout()
    save(out, "d2_mpl_larynx_serif", fig, data, arms, [], None, True)


def kidney_tx_bmh(out: Path) -> None:
    kt = load_kidney_transplant()
    arms = ["White female", "White male", "Black"]
    grp = np.where((kt["black_male"] == 1) | (kt["black_female"] == 1), arms[2],
                   np.where(kt["white_male"] == 1, arms[1], arms[0]))
    data = pd.DataFrame({"time": kt["time"].astype(float), "status": kt["death"].astype(int),
                         "arm": grp})
    with plt.style.context("bmh"):
        fig, ax = plt.subplots(figsize=(8, 3.8))
        for arm, grey, ls in zip(arms, ["0.0", "0.35", "0.6"],
                                 [(0, ()), (0, (6, 3)), (0, (2, 2))], strict=True):
            draw_steps(ax, data[data.arm == arm], scale=100, marker="|", color=grey, lw=1.5,
                       ls=ls, label=arm)
        ax.set_xlim(0, 3500)
        ax.set_ylim(60, 101)
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_xlabel("Days after transplant")
        ax.set_ylabel("Patient survival")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.tight_layout()
    save(out, "d2_mpl_kidneytx_bmh_grey", fig, data, arms, [], None, True)


def gbsg2_three_rows(out: Path) -> None:
    g2 = load_gbsg2()
    arms = ["Grade I", "Grade II", "Grade III"]
    data = pd.DataFrame({"time": g2["time"].astype(float), "status": g2["cens"].astype(int),
                         "arm": "Grade " + g2["tgrade"].astype(str)})
    with plt.style.context("ggplot"):
        fig, ax = plt.subplots(figsize=(7, 6.2))
        fits = []
        for arm, col in zip(arms, ["#1b7837", "#762a83", "#e08214"], strict=True):
            g = data[data.arm == arm]
            kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
            kmf.plot_survival_function(ax=ax, ci_show=False, show_censors=True, color=col,
                                       lw=1.6, censor_styles={"ms": 5})
            fits.append(kmf)
        ax.set_xlabel("Days")
        ax.set_ylabel("Recurrence-free survival")
        ticks = visible_ticks(ax)
        add_at_risk_counts(*fits, ax=ax)
        fig.tight_layout()
    printed = figset.printed_rows(arms, fits, ticks)
    save(out, "d2_ll_gbsg2_grade_3rows", fig, data, arms, ticks, printed, True)


def lymphoma_single(out: Path) -> None:
    ly = load_lymphoma()
    arm = "All patients"
    data = pd.DataFrame({"time": ly["Time"].astype(float), "status": ly["Censor"].astype(int),
                         "arm": arm})
    with plt.style.context("seaborn-v0_8-white"):
        fig, ax = plt.subplots(figsize=(6, 5))
        kmf = KaplanMeierFitter(label=arm).fit(data["time"], data["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=True, color="#2b8cbe",
                                   at_risk_counts=True)
        ticks = visible_ticks(ax)
        ax.set_xlabel("Days")
        ax.set_ylabel("Survival")
        fig.tight_layout()
    save(out, "d2_ll_lymphoma_single", fig, data, [arm], ticks,
         {arm: printed_at_risk(kmf, ticks)}, True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    larynx_serif(out)
    kidney_tx_bmh(out)
    gbsg2_three_rows(out)
    lymphoma_single(out)


if __name__ == "__main__":
    main()
