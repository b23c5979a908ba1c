"""Cumulative-incidence figures: per-cause curves with CI bands, or stacked incidences.

:func:`plot_cif` draws a :class:`~survkit.estimate.cif.CumulativeIncidence` fit or a
:class:`~survkit.estimate.cif.CumulativeIncidenceGroups` collection:

* ``kind="curves"`` (default): one right-continuous step curve per cause (per group and cause
  for groups), rising from 0 at the time origin, with the fit's pointwise confidence band
  drawn as steps (where a limit is undefined -- ``F = 0`` under every transform but plain --
  the band collapses onto the curve);
* ``kind="stacked"`` (one fit only): the incidences stacked as areas, the event-free
  probability on top, so that at every time the layers add up to 1 (the identity
  :math:`\\sum_k F_k + S = 1` of the Aalen-Johansen estimator);
* Okabe-Ito colours, no top/right spines, y from 0 to 1, Gray's test p-value of a group
  comparison (``cmprsk::cuminc``) in the corner when ``gray=True``.

matplotlib is imported inside the function; everything works with the Agg backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from survkit.show._common import ANNOTATION_COLOR, format_p, resolve_colors, style_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["cif_step_vertices", "plot_cif"]


def cif_step_vertices(
    time: NDArray[np.float64], value: NDArray[np.float64], *, start: float = 0.0, base: float = 0.0
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vertices of a right-continuous step function starting at ``(start, base)``.

    ``value`` holds the function just after each ``time``; a ``NaN`` value repeats the previous
    height (an undefined band limit collapses onto the curve where the caller substitutes it).
    """
    t = np.asarray(time, dtype=np.float64)
    v = np.asarray(value, dtype=np.float64)
    if t.shape != v.shape or t.ndim != 1:
        raise ValueError(f"time and value must be 1-D of equal length, got {t.shape}, {v.shape}")
    x = np.repeat(np.concatenate(([start], t)), 2)[1:]
    y = np.repeat(np.concatenate(([base], v)), 2)[:-1]
    return x, y


def _items(fit: Any) -> list[tuple[str | None, Any]]:
    if hasattr(fit, "estimate") and hasattr(fit, "causes"):
        return [(None, fit)]
    if isinstance(fit, Mapping):
        return [(str(k), f) for k, f in fit.items()]
    raise TypeError(f"fit must be a CumulativeIncidence or CumulativeIncidenceGroups, "
                    f"got {type(fit).__name__}")


def plot_cif(
    fit: Any,
    ax: Axes | None = None,
    *,
    kind: str = "curves",
    causes: Sequence[str] | None = None,
    ci: bool = True,
    colors: Sequence[str] | Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    gray: bool = False,
    percent: bool = False,
    xlabel: str = "Time",
    ylabel: str = "Cumulative incidence",
    legend: bool = True,
) -> Axes:
    """Draw cumulative-incidence curves (module notes for what is drawn).

    Parameters
    ----------
    fit : CumulativeIncidence or CumulativeIncidenceGroups
        The fit(s) to draw.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    kind : {"curves", "stacked"}
        Per-cause step curves with bands, or stacked areas (one fit only).
    causes : sequence of str, optional
        Causes to draw (default: all, in the fit's order).
    ci : bool
        Draw the pointwise confidence bands (``kind="curves"``).
    colors : sequence or mapping, optional
        Colours per curve label (``"cause"`` or ``"group: cause"``).
    labels : mapping, optional
        Display names of the causes (``{"1": "Relapse", "2": "NRM"}``).
    gray : bool
        With groups: print Gray's test p-value per cause (``cmprsk::cuminc``).
    percent : bool
        Percent y axis.
    xlabel, ylabel : str
        Axis labels.
    legend : bool
        Draw a legend.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if kind not in ("curves", "stacked"):
        raise ValueError(f"kind must be 'curves' or 'stacked', got {kind!r}")
    items = _items(fit)
    first = items[0][1]
    all_causes = list(first.causes)
    chosen = all_causes if causes is None else [str(c) for c in causes]
    for c in chosen:
        if c not in all_causes:
            raise ValueError(f"causes: {c!r} is not one of {all_causes}")
    names = {c: (labels or {}).get(c, c) for c in all_causes}
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 4.2))
    assert ax is not None
    if kind == "stacked":
        if len(items) != 1:
            raise ValueError("kind='stacked' draws one fit; pick a group (groups['A'])")
        f = first
        x = np.concatenate(([f.start_time], f.time))
        layers = [np.concatenate(([0.0], f.estimate[:, all_causes.index(c)])) for c in chosen]
        cols = resolve_colors([names[c] for c in chosen] + ["event-free"], colors)
        ax.stackplot(x, *layers, step="post", colors=cols[:len(chosen)], alpha=0.85,
                     labels=[names[c] for c in chosen])
        top = np.sum(layers, axis=0) if layers else np.zeros_like(x)
        ax.fill_between(x, top, 1.0, step="post", color=cols[-1], alpha=0.25,
                        label="event-free")
    else:
        keys = [(g, c) for g, _ in items for c in chosen]
        curve_labels = [names[c] if g is None else f"{g}: {names[c]}" for g, c in keys]
        cols = resolve_colors(curve_labels, colors)
        i = 0
        for _, f in items:
            for c in chosen:
                j = all_causes.index(c)
                col = cols[i]
                lab = curve_labels[i]
                i += 1
                xs, ys = cif_step_vertices(f.time, f.estimate[:, j], start=f.start_time)
                ax.plot(xs, ys, color=col, lw=1.8, label=lab)
                if ci:
                    lo = np.where(np.isnan(f.lower[:, j]), f.estimate[:, j], f.lower[:, j])
                    up = np.where(np.isnan(f.upper[:, j]), f.estimate[:, j], f.upper[:, j])
                    xl, yl = cif_step_vertices(f.time, lo, start=f.start_time)
                    _, yu = cif_step_vertices(f.time, up, start=f.start_time)
                    ax.fill_between(xl, yl, yu, color=col, alpha=0.15, lw=0)
        if gray and len(items) > 1:
            res = fit.gray_test()
            text = "\n".join(f"Gray {names[c]}: {format_p(float(res.p_value[res.causes.index(c)]))}"
                             for c in chosen)
            ax.text(0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left",
                    color=ANNOTATION_COLOR, fontsize=9)
    style_axes(ax, percent=percent)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(left=min(f.start_time for _, f in items))
    if legend:
        ax.legend(frameon=False, loc="upper right" if kind == "curves" else "center right",
                  fontsize=9)
    return ax
