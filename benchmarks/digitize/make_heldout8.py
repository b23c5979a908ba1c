"""The eighth held-out figure set of make_heldout8.R, matplotlib and lifelines part.

    Rscript benchmarks/digitize/make_heldout8.R OUTDIR     # first: writes OUTDIR/h8_data_*.csv
    python benchmarks/digitize/make_heldout8.py OUTDIR

Options none of the other sets uses, on R's data sets (written by the R maker): matplotlib
rotterdam recurrence by chemotherapy over 20 years with small ``x`` marks; lifelines ovarian
by treatment with round censoring marks (``censor_styles={"marker": "o"}``), no CI and dotted
grid lines; matplotlib colon recurrence
by obstruction drawn with ``ax.plot(drawstyle="steps-post")`` on a square figure. Nothing is
tuned on it: it is measured after changes.

Writes the files make_heldout7.py writes. No x axis is cut.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import figset
from figset import fits_on, save

draw_steps = partial(figset.draw_steps, alpha=0.2, ms=6)


def load(out: Path, name: str) -> pd.DataFrame:
    """A data set the R maker wrote (``h8_data_<name>.csv``)."""
    return figset.load(out, "h8", name, "make_heldout8.R")


def rotterdam_chemo_ycut(out: Path) -> None:
    rt = load(out, "rotterdam")
    arms = ["No chemotherapy", "Chemotherapy"]
    data = pd.DataFrame({"time": rt["time"], "status": rt["status"],
                         "arm": np.where(rt["chemo"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for arm, color in zip(arms, ["#332288", "#CC6677"], strict=True):
        draw_steps(ax, data[data.arm == arm], marker="x", ms=4, color=color, lw=1.5,
                   label=arm)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlim(0, 20)
    ax.set_xlabel("Years since surgery")
    ax.set_ylabel("Recurrence-free survival")
    ax.legend(loc="upper right", frameon=False)
    fig.tight_layout()
    save(out, "h8_mpl_rotterdam_chemo_x_marks", fig, data, arms, [], None, True)


def ovarian_rx_dots(out: Path) -> None:
    ov = load(out, "ovarian")
    arms = ["Cyclophosphamide", "Cyclophosphamide + adriamycin"]
    data = pd.DataFrame({"time": ov["time"], "status": ov["status"],
                         "arm": np.where(ov["rx"] == 2, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    fits_on(ax, data, arms, ci_show=False, show_censors=True,
            censor_styles={"marker": "o", "ms": 5})
    ax.grid(True, ls=":", lw=0.6)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("Months")
    ax.set_ylabel("Survival")
    fig.tight_layout()
    save(out, "h8_ll_ovarian_rx_dots_grid", fig, data, arms, [], None, True)


def colon_obstruct_square(out: Path) -> None:
    colon = load(out, "colon")
    arms = ["No obstruction", "Obstruction"]
    data = pd.DataFrame({"time": colon["time"], "status": colon["status"],
                         "arm": np.where(colon["obstruct"] == 1, arms[1], arms[0])})
    fig, ax = plt.subplots(figsize=(5, 5))
    for arm, color in zip(arms, ["C0", "C3"], strict=True):
        kmf = figset.km(data[data.arm == arm])
        sf = kmf.survival_function_
        t = np.append(sf.index.to_numpy(float), data.loc[data.arm == arm, "time"].max())
        s = np.append(sf.iloc[:, 0].to_numpy(), sf.iloc[-1, 0])
        ax.plot(t, s, drawstyle="steps-post", color=color, lw=1.2, label=arm)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, 9.5)
    ax.set_xlabel("Years")
    ax.set_ylabel("Recurrence-free survival")
    ax.legend(loc="lower left")
    fig.tight_layout()
    save(out, "h8_mpl_colon_obstruct_square", fig, data, arms, [], None, False)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out")
    out = Path(p.parse_args().out)
    for job in (rotterdam_chemo_ycut, ovarian_rx_dots, colon_obstruct_square):
        job(out)


if __name__ == "__main__":
    main()
