"""The development figure set of make_devset.R, lifelines and plain matplotlib part.

    python benchmarks/digitize/make_devset.py OUTDIR

Data not in the other sets: a simulated four-arm trial and a simulated two-arm trial with
months on the x axis; other figure sizes, line widths and palettes. PNG at 150 and 300 dpi,
``<name>.truth.csv`` (time, status, arm) and ``<name>.json`` as make_figures.py writes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from lifelines import KaplanMeierFitter
from lifelines.plotting import add_at_risk_counts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset


def lifelines_fig(out: Path) -> None:
    arms = ["Nivolumab", "Docetaxel"]
    data = figset.trial(arms, 140, [12.0, 8.5], 7, (6, 48))
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    fits = []
    for arm, col in zip(arms, ["#9467bd", "#8c564b"], strict=True):
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, ci_show=True, show_censors=True, color=col, lw=1.8)
        fits.append(kmf)
    ax.set_xlabel("Months since randomisation")
    add_at_risk_counts(*fits, ax=ax, rows_to_show=["At risk"])
    fig.tight_layout()
    ticks = figset.visible_ticks(ax)
    printed = figset.printed_after(data, arms, ticks)
    figset.save(out, "fr_ll_trial_ci", fig, data, arms, ticks, printed, True, vector=False)


def steps_fig(out: Path) -> None:
    arms = ["A", "B", "C", "D"]
    data = figset.trial(arms, 90, [6.0, 10.0, 15.0, 24.0], 11, (6, 48))
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for arm, col in zip(arms, plt.get_cmap("tab10").colors[:4],  # type: ignore[attr-defined]
                        strict=True):
        figset.draw_steps(ax, data[data.arm == arm], scale=100, color=col, lw=1.0,
                          label=f"Arm {arm}")
    ax.set_ylim(0, 102)
    ax.set_xlim(left=0)
    ax.grid(True, color="0.85", lw=0.6)
    ax.set_xlabel("Months")
    ax.set_ylabel("Overall survival (%)")
    ax.legend(frameon=False, loc="upper right")
    fig.tight_layout()
    data = data.assign(arm="Arm " + data.arm)
    figset.save(out, "fr_mpl_4arms_grid", fig, data, [f"Arm {a}" for a in arms], [], None, False,
                vector=False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    lifelines_fig(out)
    steps_fig(out)


if __name__ == "__main__":
    main()
