"""Accuracy plot of a reconstruction from a digitized Kaplan–Meier figure.

:func:`plot_ipd_report` overlays the digitized clicks, the Kaplan–Meier curve of the rebuilt
patient data (Guyot et al. 2012, BMC Med Res Methodol 12:9) and, under the x axis, the printed
numbers at risk next to the rebuilt ones (``#{time ≥ t}``, R's ``summary(fit, times=)``
convention), with mismatches marked. matplotlib is imported lazily; works with Agg.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from survkit.show._common import palette, style_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from survkit.ipd.reconstruct import IPDArmsReport, IPDReport


def _items(report: Any) -> list[tuple[str, IPDReport]]:
    reports = getattr(report, "reports", None)
    if isinstance(reports, dict):
        return [(str(k), v) for k, v in reports.items()]
    if not hasattr(report, "km_time"):
        raise TypeError(
            f"report must be an IPDReport or IPDArmsReport, got {type(report).__name__}"
        )
    return [("", report)]


def plot_ipd_report(
    report: IPDReport | IPDArmsReport,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    risk_table: bool = True,
    colors: list[str] | None = None,
) -> Axes:
    """Draw clicks (dots), the smoothed curve (+), the rebuilt KM (steps) and printed vs rebuilt
    numbers at risk.

    Parameters
    ----------
    report : IPDReport or IPDArmsReport
        From ``reconstruct_ipd(...).report`` or ``reconstruct_ipd_arms(...).report``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Axes title; by default the headline accuracy figures.
    risk_table : bool
        Print the numbers at risk under the x axis (``printed / rebuilt`` per time, in red
        where they differ).
    colors : list of str, optional
        One colour per arm (default: the package's colour-blind-safe palette).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.transforms import blended_transform_factory

    items = _items(report)
    cols = colors if colors is not None else palette(len(items))
    if len(cols) < len(items):
        raise ValueError(f"colors: need {len(items)} colours, got {len(cols)}")
    rows_with_table = sum(1 for _, r in items if r.risk_time.size) if risk_table else 0
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6.4, 4.4 + 0.35 * rows_with_table))
    t_max = 0.0
    for (label, rep), col in zip(items, cols, strict=False):
        prefix = f"{label}: " if label else ""
        ax.plot(rep.points_time, rep.points_surv, "o", ms=2.5, color=col, alpha=0.55,
                mfc="none", label=f"{prefix}digitized ({rep.points_time.size} clicks)")
        ax.plot(rep.curve_time, rep.curve_surv, "+", ms=3.5, color=col, alpha=0.8,
                label=f"{prefix}smoothed curve ({rep.curve_time.size} points)")
        end = max(float(rep.points_time.max()), float(rep.km_time.max()))
        xs = np.append(rep.km_time, end)
        ys = np.append(rep.km_surv, rep.km_surv[-1])
        ax.step(xs, ys, where="post", color=col, lw=1.4,
                label=f"{prefix}reconstructed KM (n = {rep.n}, {rep.n_events} events)")
        t_max = max(t_max, end)
    style_axes(ax)
    ax.set_xlim(left=0.0, right=t_max * 1.02 if t_max > 0 else 1.0)
    ax.set_xlabel("Time")
    ax.set_ylabel("Survival probability")
    ax.legend(loc="best", fontsize="small", frameon=False)
    if title is None:
        title = "; ".join(
            f"{label + ': ' if label else ''}max |ΔS| vs clicks {rep.max_abs_diff:.3f} "
            f"(RMSE {rep.rmse:.3f}), vs smoothed {rep.curve_max_abs_diff:.3f}"
            for label, rep in items
        )
    ax.set_title(title, fontsize="small")
    if rows_with_table:
        trans = blended_transform_factory(ax.transData, ax.transAxes)
        row = 0
        ax.text(0.0, -0.16, "at risk: printed / rebuilt", transform=ax.transAxes,
                fontsize="x-small", ha="left", va="top")
        for (label, rep), col in zip(items, cols, strict=False):
            if not rep.risk_time.size:
                continue
            y = -0.24 - 0.07 * row
            if label:
                ax.text(-0.06, y, label, transform=ax.transAxes, fontsize="x-small",
                        ha="right", va="top", color=col)
            for t, p, r in zip(rep.risk_time, rep.risk_printed, rep.risk_reconstructed,
                               strict=True):
                ok = int(p) == int(r)
                ax.text(float(t), y, f"{int(p)}/{int(r)}", transform=trans,
                        fontsize="x-small", ha="center", va="top",
                        color=col if ok else "#D55E00",
                        fontweight="normal" if ok else "bold")
            row += 1
        fig = ax.figure
        if hasattr(fig, "subplots_adjust"):
            fig.subplots_adjust(bottom=min(0.5, 0.18 + 0.07 * (row + 1)))
    return ax
