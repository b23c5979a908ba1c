"""The figure of a reconstructed trial: what the printed numbers leave open, and nothing more.

:func:`plot_reproduction` draws, per endpoint (one panel each),

* the **envelope across draws**: the pointwise central ``level`` range of the draws'
  Kaplan-Meier curves, labelled as such. It is *not* a confidence interval: it shows how far the
  printed facts leave the curve undetermined, not sampling uncertainty;
* **one representative draw** (the draw whose curve is closest to the pointwise median, in the
  sup norm) as a Kaplan-Meier step curve with its censor marks — a real, possible data set,
  unlike the pointwise median;
* each **printed landmark** with its printed CI as a whisker;
* the part of the time axis **after the last printed time point** (landmark or median) shaded
  and labelled: no printed estimate constrains the curve there;
* under the curve, a KMunicate-style table (Morris et al. 2019): numbers **at risk**,
  cumulative **events** and **censored** at each tick, as the median across draws with the
  range ``(min-max)`` when the draws differ.

The function takes the public attributes of a reconstruction — the long patients table, the
endpoints with their printed landmarks — so it does not depend on how the draws were made.

References
----------
Morris T.P., Jarvis C.I., Cragg W., Phillips P.P.J., Choodari-Oskooei B., Sydes M.R. (2019).
Proposals on Kaplan-Meier plots in medical research and a survey of stakeholder views:
KMunicate. BMJ Open 9:e030215. doi:10.1136/bmjopen-2019-030215
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from survkit.show._common import ANNOTATION_COLOR, palette, style_axes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from survkit.trial.exact import Ensemble

FloatArray = NDArray[np.float64]

#: Colour of the shading over the time axis that no printed number constrains.
UNCONSTRAINED_COLOR = "#BDBDBD"


@dataclass(frozen=True)
class EndpointDraws:
    """The draws of one endpoint as arrays: ``time``, ``event`` of shape (draws, n)."""

    name: str
    time: FloatArray
    event: NDArray[np.bool_]
    landmarks: tuple[tuple[float, str], ...]
    last_printed: float


def _landmarks(ep: Any) -> tuple[tuple[float, str], ...]:
    out = []
    for lm in getattr(ep, "landmarks", ()) or ():
        if isinstance(lm, Mapping):
            out.append((float(lm["time"]), str(lm["text"])))
        elif isinstance(lm, tuple):
            out.append((float(lm[0]), str(lm[1])))
        else:
            out.append((float(lm.time), str(lm.text)))
    return tuple(out)


def _last_printed(ep: Any, landmarks: tuple[tuple[float, str], ...]) -> float:
    """Latest time any printed number of ``ep`` speaks about (landmarks, median and its CI)."""
    times = [t for t, _ in landmarks]
    med = getattr(ep, "median", None)
    v = getattr(med, "value", med)
    if isinstance(v, (int, float)) and math.isfinite(float(v)):
        times.append(float(v))
    ci = getattr(ep, "median_ci", None)
    for lim in (getattr(ci, "lower", None), getattr(ci, "upper", None)):
        if isinstance(lim, (int, float)) and math.isfinite(float(lim)):
            times.append(float(lim))
    return max(times) if times else 0.0


def endpoint_draws(
    patients: pd.DataFrame, endpoint: Any, *, unit: str = "months", n: int | None = None
) -> EndpointDraws:
    """Reshape one endpoint of a long patients table to (draws, n) arrays.

    ``patients`` has one row per draw and patient with a ``draw`` column and the endpoint's
    ``<name>_<unit>`` and ``<name>_event`` columns (``name`` lower-cased, as
    :attr:`survkit.trial.exact.Ensemble.patients`). ``endpoint`` has ``name`` and
    ``landmarks`` (objects with ``time``/``text``, mappings or ``(time, text)`` pairs).
    """
    name = str(getattr(endpoint, "name", endpoint))
    tcol, ecol = f"{name.lower()}_{unit}", f"{name.lower()}_event"
    for col in (tcol, ecol, "draw"):
        if col not in patients.columns:
            raise ValueError(f"patients: no column {col!r} for endpoint {name!r}")
    draws = int(patients["draw"].nunique())
    size = len(patients) // draws if n is None else int(n)
    if size * draws != len(patients):
        raise ValueError(
            f"patients: {len(patients)} rows are not {draws} draws of {size} patients"
        )
    order = np.argsort(patients["draw"].to_numpy(), kind="stable")
    t = patients[tcol].to_numpy(np.float64)[order].reshape(draws, size)
    e = patients[ecol].to_numpy(bool)[order].reshape(draws, size)
    lms = _landmarks(endpoint)
    return EndpointDraws(name, t, e, lms, _last_printed(endpoint, lms))


def _envelope(d: EndpointDraws, grid: FloatArray, level: float) -> tuple[FloatArray, ...]:
    from survkit.estimate.batch import kaplan_meier_at

    c = kaplan_meier_at(d.time, d.event, grid, conf_type="plain", extend=True).surv
    a = (1.0 - level) / 2.0
    med = np.median(c, axis=0)
    lo = np.quantile(c, a, axis=0)
    hi = np.quantile(c, 1.0 - a, axis=0)
    # representative draw: closest to the pointwise median (sup norm, then mean |.|)
    dist = np.max(np.abs(c - med), axis=1) + 1e-9 * np.mean(np.abs(c - med), axis=1)
    rep = int(np.argmin(dist))
    return med, lo, hi, np.asarray([rep], dtype=np.float64)


def _count_cell(x: NDArray[Any]) -> str:
    m = int(np.quantile(x, 0.5, method="lower"))
    lo, hi = int(x.min()), int(x.max())
    return f"{m}" if lo == hi else f"{m} ({lo}\u2013{hi})"


def risk_counts(d: EndpointDraws, ticks: FloatArray) -> dict[str, list[str]]:
    """KMunicate rows at ``ticks``: at risk (time >= t), cumulative events and censored (time
    <= t), each the lower median across draws with ``(min-max)`` when the draws differ."""
    rows: dict[str, list[str]] = {"At risk": [], "Events": [], "Censored": []}
    for tk in ticks:
        at = np.sum(d.time >= tk - 1e-12, axis=1)
        past = d.time <= tk + 1e-12
        ev = np.sum(past & d.event, axis=1)
        ce = np.sum(past & ~d.event, axis=1)
        if tk == 0:
            at = np.full(d.time.shape[0], d.time.shape[1])
        rows["At risk"].append(_count_cell(at))
        rows["Events"].append(_count_cell(ev))
        rows["Censored"].append(_count_cell(ce))
    return rows


def _ticks(max_time: float) -> FloatArray:
    from matplotlib.ticker import MaxNLocator

    loc = MaxNLocator(nbins=7, steps=[1, 2, 3, 5, 6, 10], integer=max_time >= 6)
    t = np.asarray(loc.tick_values(0.0, max_time), dtype=np.float64)
    return t[(t >= 0) & (t <= max_time + 1e-9)]


def _panel(
    ax: Axes,
    table_ax: Axes | None,
    d: EndpointDraws,
    *,
    color: str,
    max_time: float,
    level: float,
    unit: str,
    ticks: FloatArray,
    legend: bool,
) -> None:
    from matplotlib.patches import Patch

    from survkit.check.parse import parse_endpoint
    from survkit.estimate.km import kaplan_meier

    grid = np.linspace(0.0, max_time, 481)
    _, lo, hi, rep_arr = _envelope(d, grid, level)
    rep = int(rep_arr[0])
    draws = d.time.shape[0]
    ax.fill_between(grid, lo, hi, step="post", color=color, alpha=0.22, linewidth=0,
                    label=f"Range of {draws} reconstructions (pointwise central {level:.0%}); "
                    "not a CI")
    fit = kaplan_meier(d.time[rep], d.event[rep])
    fr = fit.to_frame()
    tt = np.concatenate(([0.0], fr["time"].to_numpy(np.float64)))
    ss = np.concatenate(([1.0], fr["surv"].to_numpy(np.float64)))
    last = float(np.max(d.time[rep]))
    tt = np.append(tt, last)
    ss = np.append(ss, ss[-1])
    ax.step(tt, ss, where="post", color=color, linewidth=1.8,
            label="One reconstruction (closest to the pointwise median)")
    cens = d.time[rep][~d.event[rep]]
    if cens.size:
        idx = np.searchsorted(tt[:-1], cens, side="right") - 1
        ax.plot(cens, ss[np.clip(idx, 0, ss.size - 1)], linestyle="none", marker="|",
                                markersize=8, markeredgewidth=1.3, color=color,
                label="Censored (that reconstruction)")
    first = True
    for t_lm, text in d.landmarks:
        try:
            rep_p = parse_endpoint(text)
            est, lo_p, hi_p = rep_p.estimate, rep_p.lower, rep_p.upper
        except ValueError:  # an estimate printed without a CI ("2-year OS 100%")
            bare = text.strip()
            est = float(bare.rstrip("%").strip()) / (100.0 if bare.endswith("%") else 1.0)
            lo_p = hi_p = None
        yerr = None
        if lo_p is not None and hi_p is not None:
            yerr = [[est - lo_p], [hi_p - est]]
        ax.errorbar([t_lm], [est], yerr=yerr, fmt="D", color="black", markerfacecolor="white",
                    markersize=6, capsize=4, elinewidth=1.2, zorder=5,
                    label="Printed estimate with its CI" if first else "_nolegend_")
        first = False
        ax.annotate(text, (t_lm, est), xytext=(8, 10), textcoords="offset points",
                    fontsize=8, color="black", ha="left", va="bottom",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
    if d.last_printed < max_time:
        ax.axvspan(d.last_printed, max_time, color=UNCONSTRAINED_COLOR, alpha=0.25, lw=0,
                   zorder=0)
        ax.text(
            (d.last_printed + max_time) / 2, 1.035,
            f"no printed estimate after {d.last_printed:g} {unit}",
            ha="center", va="bottom", fontsize=7.5, color=ANNOTATION_COLOR,
        )
    style_axes(ax, percent=True, ylim=(0.0, 1.02))
    ax.set_ylim(0.0, 1.09)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_xlim(0.0, max_time)
    ax.set_xticks(ticks)
    ax.set_title(d.name, loc="left", fontweight="bold")
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        if d.last_printed < max_time:
            handles.append(Patch(color=UNCONSTRAINED_COLOR, alpha=0.25))
            labels.append("No printed estimate constrains this part")
        ax.legend(handles, labels, loc="lower left", fontsize=7.5, frameon=False)
    if table_ax is not None:
        _table(table_ax, d, ticks, max_time, color)


def _table(tax: Axes, d: EndpointDraws, ticks: FloatArray, max_time: float, color: str) -> None:
    rows = risk_counts(d, ticks)
    names = list(rows)
    tax.set_xlim(0.0, max_time)
    tax.set_ylim(len(names) - 0.5, -0.5)
    for r, name in enumerate(names):
        for tk, cell in zip(ticks, rows[name], strict=True):
            tax.text(tk, r, cell, ha="center", va="center", fontsize=7.5,
                     color=color if r == 0 else "black")
    tax.set_yticks(range(len(names)))
    tax.set_yticklabels(names, fontsize=8)
    tax.tick_params(axis="both", length=0)
    tax.tick_params(axis="y", pad=16)
    tax.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        tax.spines[side].set_visible(False)
    tax.set_title("Median (range) across reconstructions", loc="left", fontsize=7.5,
                  color=ANNOTATION_COLOR, pad=2)


def plot_reproduction(
    patients: pd.DataFrame,
    endpoints: Sequence[Any],
    *,
    unit: str = "months",
    n: int | None = None,
    max_time: float | None = None,
    origin: str | None = None,
    level: float = 0.95,
    title: str | None = None,
    risk_table: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Draw a reconstructed trial honestly: one panel per endpoint (see the module docstring).

    Parameters
    ----------
    patients : DataFrame
        Long table, one row per draw and patient: ``draw``, ``<endpoint>_<unit>``,
        ``<endpoint>_event`` (:attr:`survkit.trial.exact.Ensemble.patients`).
    endpoints : sequence
        Endpoints with ``name`` and printed ``landmarks`` (``time``, ``text``), optionally
        ``median`` (a printed number); e.g. ``ensemble.trial.endpoints``.
    unit : str
        Time unit (column suffix and axis label).
    n : int, optional
        Patients per draw (default: rows / draws).
    max_time : float, optional
        Right end of the time axis (default: the longest time in any draw).
    origin : str, optional
        Time origin for the axis label (``"CAR-T infusion"``).
    level : float
        Central share of the draws the envelope covers (pointwise).
    title : str, optional
        Figure title.
    risk_table : bool
        Add the at-risk / events / censored table under each panel.
    ax : Axes, optional
        Draw into this Axes (one endpoint only; no table).

    Returns
    -------
    matplotlib.axes.Axes
        The first panel; every panel is in ``ax.figure.axes``.
    """
    import matplotlib.pyplot as plt

    eps = list(endpoints)
    if not eps:
        raise ValueError("endpoints is empty")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    data = [endpoint_draws(patients, ep, unit=unit, n=n) for ep in eps]
    if max_time is None:
        max_time = float(max(float(np.max(d.time)) for d in data))
    max_time = float(max_time) if max_time > 0 else 1.0
    ticks = _ticks(max_time)
    colors = palette(len(eps))
    xlabel = f"{unit.capitalize()} since {origin}" if origin else unit.capitalize()
    if ax is not None:
        if len(eps) != 1:
            raise ValueError("ax= draws one endpoint; give one endpoint or no ax")
        _panel(ax, None, data[0], color=colors[0], max_time=max_time, level=level, unit=unit,
               ticks=ticks, legend=True)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("Survival")
        if title:
            ax.set_title(title)
        return ax
    k = len(eps)
    fig, axes = plt.subplots(1, k, figsize=(5.6 * k, 5.6 if risk_table else 4.2), sharey=True,
                             squeeze=False)
    fig.subplots_adjust(left=0.09, right=0.98, top=0.88, bottom=0.30 if risk_table else 0.13,
                        wspace=0.12)
    first: Axes = axes[0, 0]
    for j, (d, col) in enumerate(zip(data, colors, strict=True)):
        pax = axes[0, j]
        # the table lives in an inset below the panel, spanning exactly its x extent, so that
        # each count sits under its tick
        tax = pax.inset_axes((0.0, -0.50, 1.0, 0.27)) if risk_table else None
        _panel(pax, tax, d, color=col, max_time=max_time, level=level, unit=unit, ticks=ticks,
               legend=j == 0)
        pax.set_xlabel(xlabel, fontsize=9)
        if j == 0:
            pax.set_ylabel("Survival")
    if title:
        fig.suptitle(title, fontsize=11)
    return first


def plot_ensemble_km(
    ens: Ensemble,
    ax: Axes | None = None,
    *,
    level: float = 0.95,
    endpoints: tuple[str, ...] | None = None,
) -> Axes:
    """:func:`plot_reproduction` of an :class:`~survkit.trial.exact.Ensemble`; returns the Axes
    of the first endpoint panel (the figure is ``ax.get_figure()``)."""
    t = ens.trial
    eps = [t.endpoint(e) for e in endpoints] if endpoints else list(t.endpoints)
    out = plot_reproduction(
        ens.patients, eps, unit=t.unit, n=t.n, max_time=t.max_followup, origin=t.origin,
        level=level, ax=ax,
        title=f"{t.id}: {ens.draws} reconstructions from the printed numbers "
        f"(CI method: {ens.conf_type})" if ax is None else None,
    )
    return out
