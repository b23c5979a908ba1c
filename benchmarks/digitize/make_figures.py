"""matplotlib and lifelines figures for the digitize benchmark (run make_figures.R first).

    python benchmarks/digitize/make_figures.py OUTDIR [--png] [--jpeg]

Reuses the patient data the R script wrote (``OUTDIR/rbase_*.truth.csv``) and writes, for each
figure, ``<name>.pdf``, ``<name>.svg`` (and with ``--png`` ``<name>_150.png``,
``<name>_300.png``), ``<name>.truth.csv`` and ``<name>.json`` (arms in legend order, times of
the number-at-risk table, whether censoring marks are drawn). ``--jpeg`` also writes a JPEG copy
(quality 85) of every ``*_150.png`` and ``*_300.png`` in OUTDIR, R's included.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset

ARMS = {
    "lung": ["Male", "Female"],
    "colon": ["Obs", "Lev", "Lev+5FU"],
    "veteran": ["Standard", "Test"],
    "gbsg": ["No tamoxifen", "Tamoxifen"],
    "pbc": ["D-penicillamine", "Placebo"],
}
SOURCE = {"lung": "rbase_lung_colour", "colon": "rbase_colon_3arms",
          "veteran": "rbase_veteran_bw", "gbsg": "rbase_gbsg_ci", "pbc": "rbase_pbc_percent"}


def lifelines_figure(out: Path, ds: str, name: str, *, ci: bool, censors: bool, png: bool,
                     percent: bool = False, colours: list[str] | None = None) -> None:
    data = pd.read_csv(out / f"{SOURCE[ds]}.truth.csv")
    arms = ARMS[ds]
    fig, ax = plt.subplots(figsize=(7, 5))
    fits = []
    for k, arm in enumerate(arms):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kw = {"color": colours[k]} if colours else {}
        kmf.plot_survival_function(ax=ax, ci_show=ci, show_censors=censors, **kw)
        fits.append(kmf)
    if percent:
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0%", "20%", "40%", "60%", "80%", "100%"])
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    ticks = figset.visible_ticks(ax)
    figset.save_figure(out, name, fig, png=png)
    # lifelines prints the number still at risk just after each tick: #{T > t}
    printed = figset.printed_after(data, arms, ticks)
    figset.write_meta(out, name, data, arms, ticks, printed, marks=censors)


def step_figure(out: Path, ds: str, name: str, *, png: bool) -> None:
    """Plain matplotlib: black solid / dashed steps, no marks, no table."""
    data = pd.read_csv(out / f"{SOURCE[ds]}.truth.csv")
    arms = ARMS[ds]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for arm, ls in zip(arms, ["-", "--", ":"], strict=False):
        figset.draw_steps(ax, data[data.arm == arm], color="black", ls=ls, lw=1.2, label=arm)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.set_xlabel("Time")
    ax.set_ylabel("Survival probability")
    ax.legend(frameon=False)
    fig.tight_layout()
    figset.save_figure(out, name, fig, png=png)
    figset.write_meta(out, name, data, arms, [])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    p.add_argument("--png", action="store_true")
    p.add_argument("--jpeg", action="store_true")
    a = p.parse_args()
    out = Path(a.out)
    jobs: list[Callable[[], None]] = [
        lambda: lifelines_figure(out, "lung", "ll_lung_ci", ci=True, censors=True, png=a.png),
        lambda: lifelines_figure(out, "colon", "ll_colon_3arms", ci=False, censors=True,
                                 png=a.png),
        lambda: lifelines_figure(out, "gbsg", "ll_gbsg_percent", ci=False, censors=False,
                                 png=a.png, percent=True, colours=["0.2", "0.6"]),
        lambda: step_figure(out, "veteran", "mpl_veteran_bw", png=a.png),
        lambda: step_figure(out, "pbc", "mpl_pbc_bw", png=a.png),
    ]
    for job in jobs:
        job()
    if a.jpeg:
        from PIL import Image

        for f in sorted([*out.glob("*_150.png"), *out.glob("*_300.png")]):
            Image.open(f).convert("RGB").save(f.with_suffix(".jpg"), quality=85)


if __name__ == "__main__":
    main()
