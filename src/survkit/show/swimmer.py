"""Swimmer plot of one reconstructed patient table: one lane per patient."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from survkit.show._common import ANNOTATION_COLOR, OKABE_ITO

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from survkit.trial.spec import Trial


def plot_swimmer(
    table: pd.DataFrame, trial: Trial | None = None, ax: Axes | None = None, **kwargs: Any
) -> Axes:
    """One lane per patient: follow-up bar, relapse (triangle), death (cross), censoring (bar end).

    Returns the matplotlib Axes drawn on (its figure is ``ax.get_figure()``).

    ``table`` is one draw of :attr:`survkit.trial.exact.Ensemble.patients` (or any table
    with ``patient``, ``followup_<unit>``, ``relapse_<unit>``, ``death_<unit>``). A patient's bar
    runs from 0 to death or to the cutoff; an open bar end (arrow) means alive at cutoff.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    unit = trial.unit if trial is not None else "months"
    fu = table[f"followup_{unit}"].to_numpy(float)
    rel = table[f"relapse_{unit}"].to_numpy(float)
    death = table[f"death_{unit}"].to_numpy(float)
    end = np.where(np.isnan(death), fu, death)
    n = len(table)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 0.35 * n + 1.5))
    else:
        fig = ax.figure  # type: ignore[assignment]
    y = np.arange(n)[::-1]
    color = kwargs.get("color", OKABE_ITO["blue"])
    ax.barh(y, end, height=0.55, color=color, alpha=0.75)
    alive = np.isnan(death)
    ax.plot(end[alive], y[alive], ">", color=color, markersize=7, linestyle="none")
    r = ~np.isnan(rel)
    ax.plot(
        rel[r],
        y[r],
        "^",
        color=OKABE_ITO["orange"],
        markersize=9,
        linestyle="none",
        markeredgecolor="black",
    )
    d = ~np.isnan(death)
    ax.plot(
        death[d],
        y[d],
        "X",
        color=OKABE_ITO["vermillion"],
        markersize=10,
        linestyle="none",
        markeredgecolor="black",
    )
    ax.set_yticks(y)
    labels = [f"pt {p}" for p in table["patient"]]
    if "event_id" in table:
        labels = [
            f"{lab} ({e})" if e else lab for lab, e in zip(labels, table["event_id"], strict=True)
        ]
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel(f"{unit.capitalize()} since {trial.origin if trial else 'entry'}")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], color=color, marker=">", linestyle="-", label="alive at cutoff"),
        Line2D(
            [],
            [],
            color=OKABE_ITO["orange"],
            marker="^",
            linestyle="none",
            markeredgecolor="black",
            label="relapse",
        ),
        Line2D(
            [],
            [],
            color=OKABE_ITO["vermillion"],
            marker="X",
            linestyle="none",
            markeredgecolor="black",
            label="death",
        ),
    ]
    ax.legend(handles=handles, loc="lower right", fontsize=8, frameon=False)
    title = "draw " + str(int(table["draw"].iloc[0])) if "draw" in table else "patients"
    ax.set_title(f"{trial.id + ': ' if trial else ''}{title}", color=ANNOTATION_COLOR)
    fig.tight_layout()
    return ax
