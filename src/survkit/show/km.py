"""Kaplan-Meier figures as clinical papers print them.

:func:`plot_km` draws one :class:`~survkit.estimate.km.KaplanMeier` fit or a group collection
(:class:`~survkit.estimate.km.KaplanMeierGroups`, a mapping label -> fit with ``.logrank()``):

* right-continuous step curves starting at (0, 1), dropping at every event time and running
  to the last observation (censored or not), as R's ``plot.survfit``;
* pointwise confidence bands drawn as steps (the fit's own ``lower``/``upper``, i.e. whatever
  ``conf_type`` the fit was made with); where a limit is undefined (``NaN``: ``S = 0``, or
  ``S = 1`` under log-log/logit/arcsin) the band collapses onto the curve (zero height; at
  ``S = 1`` that is the degenerate band [1, 1]);
* censoring ticks at every time with ``n_censor > 0``, at the height of the curve;
* a number-at-risk table under the x axis, one number per x tick and group. The numbers are
  ``fit.at(ticks, extend=True).n_risk``: **the number of subjects at risk just before each
  tick** (R's ``summary(fit, times=)`` convention: a subject with an event or censoring exactly
  at ``t`` is still counted at ``t``);
* optional median guides, the log-rank p of a group comparison (R ``survdiff``), printed
  landmarks with their CI (:func:`survkit.show._common.overlay_printed`);
* colours from the Okabe-Ito colour-blind-safe palette; no top/right spines, y from 0 to 1.

matplotlib is imported inside the function; everything works with the Agg backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from survkit.show._common import (
    ANNOTATION_COLOR,
    format_p,
    overlay_printed,
    resolve_colors,
    style_axes,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.collections import PolyCollection
    from matplotlib.container import ErrorbarContainer
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

__all__ = ["KMPlot", "plot_km", "step_vertices"]


@dataclass(frozen=True)
class KMPlot:
    """The matplotlib objects of a Kaplan-Meier figure.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    ax : matplotlib.axes.Axes
        The axes holding the curves.
    risk_table_ax : matplotlib.axes.Axes or None
        The number-at-risk axes under ``ax`` (``None`` without ``risk_table``).
    lines : dict
        Curve handle (:class:`~matplotlib.lines.Line2D`) per group label.
    bands : dict
        Confidence band (:class:`~matplotlib.collections.PolyCollection`) per label (when ``ci``).
    censor_marks : dict
        Censoring ticks (:class:`~matplotlib.lines.Line2D`) per label (when ``censor_marks``).
    median_lines : dict
        The median guides per label (when ``median_line`` and the median is reached).
    risk_table : pandas.DataFrame or None
        The numbers printed in the risk table: index = tick times, one column per label.
    logrank_text : matplotlib.text.Text or None
        The log-rank annotation of a group plot.
    printed : tuple
        One :class:`~matplotlib.container.ErrorbarContainer` per printed landmark drawn.
    """

    figure: Figure
    ax: Axes
    risk_table_ax: Axes | None = None
    lines: dict[str, Line2D] = field(default_factory=dict)
    bands: dict[str, PolyCollection] = field(default_factory=dict)
    censor_marks: dict[str, Line2D] = field(default_factory=dict)
    median_lines: dict[str, list[Line2D]] = field(default_factory=dict)
    risk_table: pd.DataFrame | None = None
    logrank_text: Text | None = None
    printed: tuple[ErrorbarContainer, ...] = ()

    def savefig(self, path: Any, **kwargs: Any) -> None:
        """Save the figure (``bbox_inches="tight"`` and ``dpi=200`` unless given)."""
        kwargs.setdefault("bbox_inches", "tight")
        kwargs.setdefault("dpi", 200)
        self.figure.savefig(path, **kwargs)


def step_vertices(
    time: Sequence[float] | NDArray[np.float64],
    surv: Sequence[float] | NDArray[np.float64],
    *,
    start: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Vertices of the right-continuous Kaplan-Meier step function, starting at ``(start, 1)``.

    The curve is :math:`\\hat S(t) = \\prod_{t_i \\le t} (1 - d_i / r_i)`: flat between event
    times, dropping vertically at each time where the estimate changes, and running on to the
    last observed time (censored times do not add vertices except the last one).

    Parameters
    ----------
    time : array_like
        Distinct observed times, increasing (``fit.time``).
    surv : array_like
        Survival just after each time (``fit.surv``).
    start : float
        Where the curve starts at height 1 (0 by default; the first time if it is earlier).

    Returns
    -------
    x, y : ndarray
        Polyline vertices: ``(start, 1)``, then ``(t, S_before), (t, S_after)`` at each drop,
        then ``(t_last, S_last)``.
    """
    t = np.asarray(time, dtype=np.float64)
    s = np.asarray(surv, dtype=np.float64)
    if t.shape != s.shape or t.ndim != 1:
        raise ValueError(f"time and surv must be 1-D of equal length, got {t.shape} and {s.shape}")
    x0 = float(min(start, t[0])) if t.size else float(start)
    if t.size == 0:
        return np.array([x0]), np.array([1.0])
    prev = np.concatenate(([1.0], s[:-1]))
    drop = s != prev
    td = t[drop]
    xs = [np.array([x0]), np.repeat(td, 2)]
    ys = [np.array([1.0]), np.column_stack((prev[drop], s[drop])).ravel()]
    if not drop[-1]:
        xs.append(t[-1:])
        ys.append(s[-1:])
    x = np.concatenate(xs)
    y = np.concatenate(ys)
    # A drop at the starting time repeats the first vertex; drop exact duplicates.
    keep = np.ones(x.size, dtype=bool)
    keep[1:] = (x[1:] != x[:-1]) | (y[1:] != y[:-1])
    return x[keep], y[keep]


def _as_items(fit: Any) -> tuple[list[tuple[str, Any]], bool]:
    """``[(label, fit), ...]`` and whether ``fit`` is a group collection."""
    if isinstance(fit, Mapping):
        items = [(str(k), v) for k, v in fit.items()]
        if not items:
            raise ValueError("fit is an empty group collection; nothing to plot")
        for lab, f in items:
            _check_fit(f, f"fit[{lab!r}]")
        return items, True
    _check_fit(fit, "fit")
    return [("All", fit)], False


def _check_fit(f: Any, name: str) -> None:
    for attr in ("time", "surv", "lower", "upper", "n_censor", "at"):
        if not hasattr(f, attr):
            raise TypeError(
                f"{name} must be a KaplanMeier fit (or a mapping of them); "
                f"{type(f).__name__} has no attribute {attr!r}"
            )


def _resolve_labels(keys: list[str], labels: Any) -> list[str]:
    if labels is None:
        return keys
    if isinstance(labels, str):
        if len(keys) != 1:
            raise ValueError(f"labels is one string but {len(keys)} curves are drawn")
        return [labels]
    if isinstance(labels, Mapping):
        return [str(labels.get(k, k)) for k in keys]
    seq = [str(x) for x in labels]
    if len(seq) != len(keys):
        raise ValueError(f"labels has {len(seq)} entries but {len(keys)} curves are drawn")
    return seq


def _attr_getter(obj: Any) -> Callable[[str], Any]:
    def get(key: str) -> Any:
        return getattr(obj, key, None)

    return get


def _printed_items(show_printed: Any) -> list[tuple[float, float, float, float, str | None]]:
    """Normalise ``show_printed`` to ``(time, estimate, lower, upper, label)`` tuples."""
    if show_printed is None:
        return []
    if isinstance(show_printed, Mapping) or hasattr(show_printed, "estimate"):
        show_printed = [show_printed]
    out: list[tuple[float, float, float, float, str | None]] = []
    for i, item in enumerate(show_printed):
        if isinstance(item, Mapping):
            get: Callable[[str], Any] = item.get
        elif hasattr(item, "estimate"):
            get = _attr_getter(item)
        elif isinstance(item, (tuple, list)) and 2 <= len(item) <= 5:
            vals = list(item) + [None] * (5 - len(item))
            lab = None if vals[4] is None else str(vals[4])
            out.append((float(vals[0]), float(vals[1]), _nan(vals[2]), _nan(vals[3]), lab))
            continue
        else:
            raise TypeError(
                f"show_printed[{i}] must be a mapping, an object with time/estimate/lower/upper, "
                f"or a tuple (time, estimate[, lower, upper, label]); got {item!r}"
            )
        if get("time") is None or get("estimate") is None:
            raise ValueError(f"show_printed[{i}] needs 'time' and 'estimate'")
        label = get("label")
        out.append(
            (
                float(get("time")),
                float(get("estimate")),
                _nan(get("lower")),
                _nan(get("upper")),
                None if label is None else str(label),
            )
        )
    return out


def _nan(v: Any) -> float:
    return math.nan if v is None else float(v)


def _risk_ticks(ax: Axes, times: Iterable[float] | None) -> NDArray[np.float64]:
    lo, hi = ax.get_xlim()
    if times is not None:
        ticks = np.asarray(list(times), dtype=np.float64)
        if ticks.ndim != 1 or ticks.size == 0:
            raise ValueError("times must be a non-empty 1-D sequence of times")
        bad = ~np.isfinite(ticks) | (ticks < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"times must be finite and non-negative; times[{i}] = {ticks[i]!r}")
        return np.unique(ticks)
    ticks = np.asarray(ax.get_xticks(), dtype=np.float64)
    eps = 1e-9 * max(abs(hi - lo), 1.0)
    return ticks[(ticks >= lo - eps) & (ticks <= hi + eps) & (ticks >= 0)]


def _n_risk_at(fit: Any, ticks: NDArray[np.float64]) -> NDArray[np.float64]:
    """``fit.at(ticks, extend=True).n_risk`` aligned with ``ticks`` (R's at-risk convention).

    Weighted fits give weighted (possibly non-integer) numbers, as R does.
    """
    frame = fit.at(ticks, extend=True)
    t = np.asarray(frame["time"], dtype=np.float64)
    n = np.asarray(frame["n_risk"], dtype=np.float64)
    out = np.zeros(ticks.size, dtype=np.float64)
    for j, tk in enumerate(ticks):
        hit = np.flatnonzero(np.isclose(t, tk, rtol=1e-12, atol=1e-12))
        if hit.size:
            out[j] = float(n[hit[0]])
    return out


def _format_count(v: float) -> str:
    return f"{int(v)}" if float(v).is_integer() else f"{v:.1f}"


def _table_frame(ticks: NDArray[np.float64], counts: dict[str, NDArray[np.float64]]) -> Any:
    import pandas as pd

    frame = pd.DataFrame(counts, index=pd.Index(ticks, name="time"))
    if all(np.all(c == np.round(c)) for c in counts.values()):
        frame = frame.astype(np.int64)
    return frame


def plot_km(
    fit: Any,
    ax: Axes | None = None,
    *,
    ci: bool = True,
    censor_marks: bool = True,
    risk_table: bool = False,
    median_line: bool = False,
    logrank: bool = True,
    colors: Sequence[str] | Mapping[str, str] | None = None,
    labels: Sequence[str] | Mapping[Any, str] | str | None = None,
    xlabel: str = "Time",
    ylabel: str = "Survival probability",
    title: str | None = None,
    times: Iterable[float] | None = None,
    show_printed: Any = None,
    percent: bool = False,
    xmax: float | None = None,
    legend: bool | None = None,
    ci_alpha: float | None = None,
    linewidth: float = 1.6,
    figsize: tuple[float, float] | None = None,
) -> KMPlot:
    """Plot Kaplan-Meier curves with confidence bands, censor marks and a number-at-risk table.

    Parameters
    ----------
    fit : KaplanMeier or KaplanMeierGroups
        One fit (:func:`survkit.estimate.km.kaplan_meier`) or a mapping label -> fit (the
        ``by=`` form), whose ``.logrank()`` gives the p-value shown for groups.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; a new figure is made when omitted.
    ci : bool
        Draw the pointwise confidence bands stored in the fit (its ``conf_type``/``conf_level``).
    censor_marks : bool
        Tick marks at censoring times (``n_censor > 0``) on the curve.
    risk_table : bool
        Number-at-risk table under the x axis. Numbers are ``fit.at(ticks, extend=True).n_risk``,
        the subjects at risk *just before* each tick (R's convention), 0 past the last time.
    median_line : bool
        Dotted guides from y = 0.5 to each reached median (``fit.median().estimate``).
    logrank : bool
        For two or more groups, print the log-rank p (R ``survdiff``), e.g. ``"Log-rank p =
        0.0123"`` or ``"Log-rank p < 0.001"``.
    colors : sequence or mapping of colours, optional
        Curve colours; default the Okabe-Ito palette (:data:`survkit.show._common.PALETTE`).
    labels : str, sequence or mapping, optional
        Legend/table names replacing the group labels.
    xlabel, ylabel, title : str
        Axis labels and title.
    times : iterable of float, optional
        x ticks (and risk-table columns); default matplotlib's ticks within the x range.
    show_printed : optional
        Printed landmarks to overlay: a mapping/object with ``time, estimate, lower, upper,
        label`` (probabilities in [0, 1]), a tuple ``(time, estimate[, lower, upper, label])``,
        or a sequence of these. Drawn with :func:`~survkit.show._common.overlay_printed`.
    percent : bool
        Label the y axis in percent.
    xmax : float, optional
        Right end of the x axis (default: the last observed time of all curves).
    legend : bool, optional
        Show a legend (default: for groups, or when ``labels`` names a single curve).
    ci_alpha : float, optional
        Band opacity (default 0.2 for one curve, 0.12 for groups, so overlaps stay readable).
    linewidth : float
        Curve width.
    figsize : tuple, optional
        Size of a new figure (ignored with ``ax``).

    Returns
    -------
    KMPlot
        Frozen dataclass with the figure, axes, curve/band/mark handles and the risk-table numbers.

    Notes
    -----
    The curve is the Kaplan-Meier product-limit estimate :math:`\\hat S(t)=\\prod_{t_i\\le t}
    (1-d_i/r_i)` (Kaplan & Meier 1958), drawn post-step as R's ``plot.survfit`` draws it.

    References
    ----------
    Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations.
    JASA 53:457-481. Pocock S.J., Clayton T.C., Altman D.G. (2002). Survival plots of
    time-to-event outcomes in clinical trials: good practice and pitfalls. Lancet 359:1686-1689.
    """
    import matplotlib.pyplot as plt
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    items, is_groups = _as_items(fit)
    keys = [k for k, _ in items]
    names = _resolve_labels(keys, labels)
    cols = resolve_colors(names, colors)
    fits = [f for _, f in items]
    if xmax is not None and (not math.isfinite(float(xmax)) or float(xmax) <= 0):
        raise ValueError(f"xmax must be a positive finite number, got {xmax!r}")

    if ax is None:
        if figsize is None:
            figsize = (6.4, 4.4 + (0.3 + 0.22 * len(items) if risk_table else 0.0))
        figure, ax = plt.subplots(figsize=figsize)
    else:
        figure = ax.get_figure()  # type: ignore[assignment]
    style_axes(ax, percent=percent)

    alpha = ci_alpha if ci_alpha is not None else (0.12 if len(items) > 1 else 0.2)
    lines: dict[str, Line2D] = {}
    bands: dict[str, PolyCollection] = {}
    marks: dict[str, Line2D] = {}
    medians: dict[str, list[Line2D]] = {}
    last_time = 0.0
    for name, f, color in zip(names, fits, cols, strict=True):
        t = np.asarray(f.time, dtype=np.float64)
        s = np.asarray(f.surv, dtype=np.float64)
        if t.size:
            last_time = max(last_time, float(t[-1]))
        start = float(getattr(f, "start_time", 0.0))
        x, y = step_vertices(t, s, start=start)
        (line,) = ax.plot(x, y, color=color, lw=linewidth, label=name, solid_joinstyle="miter")
        lines[name] = line
        if ci and t.size:
            lo = np.asarray(f.lower, dtype=np.float64)
            hi = np.asarray(f.upper, dtype=np.float64)
            # Undefined limits (NaN) collapse onto the curve: S = 1 gives the band [1, 1]
            # (no event yet), S = 0 or any other undefined limit a band of zero height.
            lo = np.where(np.isfinite(lo), lo, s)
            hi = np.where(np.isfinite(hi), hi, s)
            bx = np.concatenate(([min(start, t[0])], t))
            band = ax.fill_between(
                bx,
                np.concatenate(([1.0], lo)),
                np.concatenate(([1.0], hi)),
                step="post",
                color=color,
                alpha=alpha,
                linewidth=0,
            )
            bands[name] = band
        if censor_marks:
            nc = np.asarray(f.n_censor, dtype=np.float64)
            cm = nc > 0
            (mk,) = ax.plot(
                t[cm],
                s[cm],
                linestyle="none",
                marker="|",
                markersize=6,
                markeredgewidth=1.1,
                color=color,
                label="_nolegend_",
            )
            marks[name] = mk

    right = float(xmax) if xmax is not None else (last_time if last_time > 0 else 1.0)
    tick_list = None if times is None else list(times)
    if tick_list is not None and len(tick_list):
        right = max(right, float(max(tick_list)))
    ax.set_xlim(0.0, right)
    if tick_list is not None:
        ax.set_xticks(_risk_ticks(ax, tick_list))

    if median_line:
        mids: list[tuple[str, float, str]] = []
        for name, f, color in zip(names, fits, cols, strict=True):
            est = float(f.median().estimate)
            if math.isfinite(est):
                mids.append((name, est, color))
        if mids:
            far = max(m for _, m, _ in mids)
            (hline,) = ax.plot(
                [0.0, far], [0.5, 0.5], ls=":", lw=1.0, color=ANNOTATION_COLOR, label="_nolegend_"
            )
            for name, est, color in mids:
                (vline,) = ax.plot(
                    [est, est], [0.0, 0.5], ls=":", lw=1.0, color=color, label="_nolegend_"
                )
                medians[name] = [hline, vline]

    lr_text = None
    if is_groups and logrank and len(items) >= 2 and hasattr(fit, "logrank"):
        p = float(fit.logrank().p_value)
        lr_text = ax.text(
            0.03,
            0.04,
            "Log-rank " + format_p(p),
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            zorder=6,
        )

    printed = tuple(
        overlay_printed(ax, tm, est, lo, hi, lab)
        for tm, est, lo, hi, lab in _printed_items(show_printed)
    )

    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    show_legend = legend if legend is not None else (is_groups or isinstance(labels, str))
    if show_legend:
        ax.legend(frameon=False, loc="best")

    table_ax = None
    table = None
    if risk_table:
        ticks = _risk_ticks(ax, tick_list)
        counts = {name: _n_risk_at(f, ticks) for name, f in zip(names, fits, strict=True)}
        table = _table_frame(ticks, counts)
        divider = make_axes_locatable(ax)
        table_ax = divider.append_axes(
            "bottom", size=0.22 * len(items) + 0.1, pad=0.62, sharex=ax
        )
        nrow = len(items)
        table_ax.set_ylim(nrow - 0.5, -0.5)
        for row, (name, color) in enumerate(zip(names, cols, strict=True)):
            for tk, v in zip(ticks, counts[name], strict=True):
                table_ax.text(tk, row, _format_count(v), ha="center", va="center",
                              fontsize="small", color=color)
        table_ax.set_yticks(range(nrow))
        table_ax.set_yticklabels(names if is_groups or isinstance(labels, str) else [""] * nrow,
                                 fontsize="small")
        for lab, color in zip(table_ax.get_yticklabels(), cols, strict=True):
            lab.set_color(color)
        table_ax.tick_params(axis="x", length=0, labelbottom=False)
        table_ax.tick_params(axis="y", length=0, pad=14)
        for side in ("top", "right", "bottom", "left"):
            table_ax.spines[side].set_visible(False)
        table_ax.set_title("Number at risk", loc="left", fontsize="small", pad=2)
        table_ax.set_xlim(ax.get_xlim())

    return KMPlot(
        figure=figure,
        ax=ax,
        risk_table_ax=table_ax,
        lines=lines,
        bands=bands,
        censor_marks=marks,
        median_lines=medians,
        risk_table=table,
        logrank_text=lr_text,
        printed=printed,
    )
