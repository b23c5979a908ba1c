"""Reconstruct individual patient data (IPD) from a digitized Kaplan–Meier figure.

The algorithm is the one of Guyot et al. (2012) with the corrections listed in
:mod:`survkit.ipd._core` (exact numbers at risk and total events, automatic
risk-table intervals, isotonic preprocessing, censoring ticks, curves that end at 0). The
public entry points are :func:`reconstruct_ipd` (one arm) and :func:`reconstruct_ipd_arms`
(several arms, one table with an ``arm`` column). Both return an :class:`IPDResult`: the data
(``to_frame()``), the accuracy report (:class:`IPDReport` / :class:`IPDArmsReport`, with flags
for fits not to trust) and ``plot()``.

References
----------
Guyot P., Ades A.E., Ouwens M.J.N.M., Welton N.J. (2012). Enhanced secondary analysis of
survival data: reconstructing the data from published Kaplan-Meier survival curves.
BMC Medical Research Methodology 12:9. doi:10.1186/1471-2288-12-9
Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations.
JASA 53:457-481.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.errors import RowError
from survkit.ipd._core import (
    Interval,
    assemble,
    km_after,
    km_steps,
    settle_total,
    solve_interval,
    solve_last,
)
from survkit.ipd._prep import (
    PreparedCurve,
    Scale,
    check_count,
    prepare_curve,
    prepare_marks,
    prepare_risk_table,
)
from survkit.ipd.exact import (
    BEAM,
    ExactHistory,
    NoExactHistory,
    TooOpen,
    exact_history,
    steps_from_points,
    time_grid,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["IPDArmsReport", "IPDReport", "IPDResult", "reconstruct_ipd", "reconstruct_ipd_arms"]

#: Flag a fit when a raw click lies further than this from the rebuilt curve (stray click,
#: misread axis) ...
FLAG_CLICK_DIFF = 0.05
#: ... when the rebuilt data miss the smoothed curve by more than this ...
FLAG_CURVE_DIFF = 0.02
#: ... or when the estimated digitizing noise is above this (survival units).
FLAG_NOISE = 0.02

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Method = Literal["auto", "exact", "guyot"]


@dataclass(frozen=True, eq=False)
class IPDReport:
    """Accuracy of one reconstructed arm (``reconstruct_ipd(...).report``).

    Attributes
    ----------
    n, n_events : int
        Patients and events in the reconstructed data.
    total_events : int or None
        The total number of events given by the user (``None`` when not given).
    points_time, points_surv : ndarray
        The digitized clicks, sorted, survival as fractions (clipped to [0, 1]).
    curve_time, curve_surv : ndarray
        The cleaned curve the reconstruction used (isotonic fit, starts at (0, 1)).
    km_time, km_surv : ndarray
        Kaplan–Meier estimate of the reconstructed data at its event times, (0, 1) first.
    abs_diff : ndarray
        Per click, the vertical distance |ΔS| from the click to the reconstructed step curve
        drawn with its vertical risers: 0 when Ŝ(t) ≤ S ≤ Ŝ(t−), else the distance to the
        nearer of the two.
    rmse, mean_abs_diff, max_abs_diff : float
        sqrt(mean(ΔS²)), mean |ΔS| and max |ΔS| over the **raw clicks** (absolute
        differences); with noisy clicks these include the digitizing noise itself.
    curve_abs_diff : ndarray
        The same riser-aware |ΔS| at the points of the **smoothed curve** (``curve_time``,
        ``curve_surv``: corners snapped, isotonic fit) — how well the data reproduce the curve
        the algorithm was given, without the click noise.
    curve_rmse, curve_mean_abs_diff, curve_max_abs_diff : float
        sqrt(mean(ΔS²)), mean and max of ``curve_abs_diff``.
    risk_time, risk_printed, risk_reconstructed : ndarray
        The printed numbers at risk and those of the reconstructed data, #{time ≥ t}
        (R's ``summary(fit, times=)`` convention); empty without a risk table.
    scale : str
        ``"fraction"`` or ``"percent"`` — how the survival axis was read.
    noise : float
        Estimated digitizing noise σ̂ used by the preprocessing.
    time_tol : float
        Riser tolerance (time units) within which clicks were snapped to one time; 0 when
        the clicks showed no corner noise.
    scale_evidence : str
        Why the survival axis was read as it was (first point, median, largest value).
    flags : tuple of str
        Reasons not to trust this fit, in words (empty when none): clicks far from the rebuilt
        curve (> 0.05), rebuilt data missing the smoothed curve (> 0.02), large digitizing
        noise (> 0.02), events at time 0, printed numbers at risk or total events not met,
        neither a risk table nor the total events given (censoring then guessed), an exact
        reconstruction asked for (``surv_tol``) that found no history.
    method : str
        ``"exact"`` (:mod:`survkit.ipd.exact`: whole patients reproducing every step within
        ``surv_tol``) or ``"guyot"`` (Guyot et al.'s rounding with survkit's corrections).
    method_note : str
        How the method went: for ``"exact"`` whether the history was unique (else how many fit
        and that the most probable was chosen); for a fallback, why no exact history exists.
    risk_convention : str
        How the printed numbers at risk were counted: ``"ge"`` #(T ≥ t) as R prints them,
        ``"gt"`` #(T > t) as lifelines prints them (found by the exact method when only that
        reading fits).
    """

    n: int
    n_events: int
    total_events: int | None
    points_time: FloatArray
    points_surv: FloatArray
    curve_time: FloatArray
    curve_surv: FloatArray
    km_time: FloatArray
    km_surv: FloatArray
    abs_diff: FloatArray
    rmse: float
    mean_abs_diff: float
    max_abs_diff: float
    risk_time: FloatArray
    risk_printed: IntArray
    risk_reconstructed: IntArray
    scale: str
    noise: float
    curve_abs_diff: FloatArray
    curve_rmse: float
    curve_mean_abs_diff: float
    curve_max_abs_diff: float
    time_tol: float
    scale_evidence: str = ""
    flags: tuple[str, ...] = ()
    method: str = "guyot"
    method_note: str = ""
    risk_convention: str = "ge"

    @property
    def trustworthy(self) -> bool:
        """``True`` when no flag was raised (see :attr:`flags`)."""
        return not self.flags

    @property
    def events_match(self) -> bool | None:
        """``True`` when the reconstructed events equal ``total_events`` (None if not given)."""
        return None if self.total_events is None else self.n_events == self.total_events

    @property
    def risk_match(self) -> bool | None:
        """``True`` when every printed number at risk is reproduced (None without a table)."""
        if self.risk_time.size == 0:
            return None
        return bool(np.array_equal(self.risk_printed, self.risk_reconstructed))

    def to_frame(self) -> pd.DataFrame:
        """Per-click table: ``time, surv_digitized, surv_reconstructed, abs_diff``."""
        idx = np.searchsorted(self.km_time, self.points_time, side="right") - 1
        return pd.DataFrame(
            {
                "time": self.points_time,
                "surv_digitized": self.points_surv,
                "surv_reconstructed": self.km_surv[idx],
                "abs_diff": self.abs_diff,
            }
        )

    def risk_frame(self) -> pd.DataFrame:
        """``time, n_risk_printed, n_risk_reconstructed, difference`` per printed time."""
        return pd.DataFrame(
            {
                "time": self.risk_time,
                "n_risk_printed": self.risk_printed,
                "n_risk_reconstructed": self.risk_reconstructed,
                "difference": self.risk_reconstructed - self.risk_printed,
            }
        )

    def summary(self) -> dict[str, Any]:
        """The headline figures as a plain dict."""
        return {
            "n": self.n,
            "events": self.n_events,
            "total_events": self.total_events,
            "events_match": self.events_match,
            "risk_match": self.risk_match,
            "max_risk_diff": (int(np.max(np.abs(self.risk_reconstructed - self.risk_printed)))
                              if self.risk_time.size else None),
            "rmse": self.rmse,
            "mean_abs_diff": self.mean_abs_diff,
            "max_abs_diff": self.max_abs_diff,
            "rmse_smoothed": self.curve_rmse,
            "mean_abs_diff_smoothed": self.curve_mean_abs_diff,
            "max_abs_diff_smoothed": self.curve_max_abs_diff,
            "points": int(self.points_time.size),
            "scale": self.scale,
            "method": self.method,
            "method_note": self.method_note,
            "flags": " | ".join(self.flags),
        }

    def __str__(self) -> str:
        s = self.summary()
        ev = f"{s['events']}" + (
            "" if self.total_events is None
            else f" (given {self.total_events}: {'exact' if self.events_match else 'MISMATCH'})"
        )
        risk = "" if s["risk_match"] is None else (
            "; numbers at risk: " + ("all exact" if s["risk_match"]
                                     else f"max difference {s['max_risk_diff']}")
        )
        text = (
            f"IPD reconstruction: n = {s['n']}, events = {ev}{risk}; survival read as "
            f"{self.scale}; |ΔS| vs {s['points']} "
            f"raw clicks: RMSE {s['rmse']:.4f}, mean {s['mean_abs_diff']:.4f}, "
            f"max {s['max_abs_diff']:.4f}; vs the smoothed curve: RMSE "
            f"{s['rmse_smoothed']:.4f}, mean {s['mean_abs_diff_smoothed']:.4f}, "
            f"max {s['max_abs_diff_smoothed']:.4f}"
        )
        if self.method == "exact":
            text += f"; exact reconstruction: {self.method_note}"
        return text + "".join(f"\n  DO NOT TRUST: {f}" for f in self.flags)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Overlay the clicks, the reconstructed KM and the printed risk table
        (see :func:`survkit.show.ipd.plot_ipd_report`)."""
        from survkit.show.ipd import plot_ipd_report

        return plot_ipd_report(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class IPDArmsReport:
    """Accuracy reports of several arms (``reconstruct_ipd_arms(...).report``)."""

    reports: dict[str, IPDReport]

    @property
    def flags(self) -> tuple[str, ...]:
        """Every arm's flags, prefixed with the arm name."""
        return tuple(f"{arm}: {f}" for arm, rep in self.reports.items() for f in rep.flags)

    @property
    def trustworthy(self) -> bool:
        """``True`` when no arm raised a flag."""
        return not self.flags

    def __getitem__(self, arm: str) -> IPDReport:
        return self.reports[arm]

    def to_frame(self) -> pd.DataFrame:
        """One row per arm with the headline figures of :meth:`IPDReport.summary`."""
        rows = [{"arm": arm, **rep.summary()} for arm, rep in self.reports.items()]
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        return "\n".join(f"{arm}: {rep}" for arm, rep in self.reports.items())


    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """All arms on one axes (see :func:`survkit.show.ipd.plot_ipd_report`)."""
        from survkit.show.ipd import plot_ipd_report

        return plot_ipd_report(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class IPDResult:
    """Reconstructed patient data and their accuracy report.

    Attributes
    ----------
    data : DataFrame
        One row per patient: ``time, event`` (and ``arm`` for several arms), sorted by time
        within each arm. Use :meth:`to_frame` for a copy to modify.
    report : IPDReport or IPDArmsReport
        Accuracy figures and flags (:attr:`IPDReport.flags`).
    """

    data: pd.DataFrame
    report: IPDReport | IPDArmsReport

    @property
    def flags(self) -> tuple[str, ...]:
        """Reasons not to trust the reconstruction (see :attr:`IPDReport.flags`)."""
        return self.report.flags

    @property
    def trustworthy(self) -> bool:
        """``True`` when the report raised no flag."""
        return not self.flags

    def to_frame(self) -> pd.DataFrame:
        """The patient table (a copy)."""
        return self.data.copy()

    def __len__(self) -> int:
        return len(self.data)

    def __str__(self) -> str:
        return str(self.report)

    def compare(self, reference: str | None = None, conf_level: float = 0.95) -> Any:
        """Cox hazard ratio of each arm against ``reference`` and the log-rank test
        (see :func:`survkit.ipd.compare.compare_arms`)."""
        from survkit.ipd.compare import compare_arms

        return compare_arms(self.data, reference=reference, conf_level=conf_level)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Clicks, rebuilt KM and numbers at risk (see :func:`survkit.show.ipd.plot_ipd_report`).
        Returns the matplotlib Axes."""
        return self.report.plot(ax=ax, **kwargs)


def _table(
    curve: PreparedCurve, risk_table: Any, n: int | None
) -> tuple[FloatArray, IntArray, FloatArray, IntArray]:
    """(printed times, printed n_risk, table times from 0, numbers at risk from 0)."""
    if risk_table is None:
        if n is None:
            raise ValueError("n is required when there is no risk_table")
        r_time = np.array([0.0])
        r_n = np.array([n], dtype=np.int64)
        printed_t = np.zeros(0)
        printed_n = np.zeros(0, dtype=np.int64)
    else:
        rt = prepare_risk_table(risk_table, n)
        printed_t, printed_n = rt.time, rt.n_risk
        r_time, r_n = rt.time, rt.n_risk
        if r_time[0] > 0:
            has_drop = curve.time.size > 1 and curve.surv[1] < 1
            first_drop = float(curve.time[1]) if has_drop else float("inf")
            if n is not None:
                start_n = n
            elif first_drop >= r_time[0]:
                start_n = int(r_n[0])
            else:
                raise ValueError(
                    f"risk_table starts at time {float(r_time[0])!r}, after the curve's first "
                    f"drop at {first_drop!r}; give n (patients at time 0)"
                )
            r_time = np.concatenate(([0.0], r_time))
            r_n = np.concatenate(([start_n], r_n)).astype(np.int64)
        elif n is not None and int(r_n[0]) != n:
            raise ValueError(
                f"risk_table: n_risk at time 0 is {int(r_n[0])} but n = {n}; they must agree"
            )
    return printed_t, printed_n, r_time, r_n


def _reconstruct_arrays(
    curve: PreparedCurve,
    risk_table: Any,
    total: int | None,
    n: int | None,
    marks: FloatArray,
) -> tuple[FloatArray, IntArray, FloatArray, IntArray]:
    """Run the algorithm; return (time, event, printed risk times, printed n_risk)."""
    printed_t, printed_n, r_time, r_n = _table(curve, risk_table, n)
    n_total = int(r_n[0])
    if n_total < 1:
        raise ValueError("the number of patients at time 0 must be at least 1")
    if total is not None and total > n_total:
        raise ValueError(f"total_events = {total} is above the number of patients ({n_total})")

    to_zero = curve.reaches_zero
    t_end = float(curve.time[-1])
    if marks.size:
        t_end = max(t_end, float(marks[-1]))
    bounds = np.searchsorted(curve.time, r_time, side="left")
    mark_bounds = np.searchsorted(marks, r_time, side="left")
    m = r_time.size
    intervals: list[Interval] = []
    s_km = 1.0
    censored_before = 0
    for i in range(m):
        last = i == m - 1
        lo = int(bounds[i])
        hi = int(bounds[i + 1]) if not last else curve.time.size
        mlo = int(mark_bounds[i])
        mhi = int(mark_bounds[i + 1]) if not last else marks.size
        iv = Interval(
            start=float(r_time[i]),
            stop=float(r_time[i + 1]) if not last else float("inf"),
            n_start=int(r_n[i]),
            times=curve.time[lo:hi],
            surv=curve.surv[lo:hi],
            marks=marks[mlo:mhi],
            last=last,
        )
        if not last:
            solve_interval(iv, s_km, int(r_n[i + 1]), to_zero=to_zero, noise=curve.noise)
            censored_before += iv.cens.size
        else:
            needed = None
            if total is not None:
                done = sum(int(x.d.sum()) for x in intervals)
                needed = max(total - done, 0)
            if iv.marks.size:
                guess = int(iv.marks.size)
            elif m > 1 and r_time[-1] > r_time[0]:
                rate = censored_before / (r_time[-1] - r_time[0])
                guess = round(rate * max(t_end - r_time[-1], 0.0))
            else:
                guess = 0
            iv.end = max(t_end, iv.start)
            solve_last(iv, s_km, t_end, events_needed=needed, c_guess=guess, to_zero=to_zero,
                       noise=curve.noise)
        s_km = km_after(iv, s_km)
        intervals.append(iv)
    if total is not None:
        settle_total(intervals, total)
    t, ev = assemble(intervals, t_end)
    return t, ev, printed_t, printed_n


#: The exact method tries the tolerances surv_tol·10^-k for these k in turn and keeps the first
#: (tightest) at which a history exists: a reading more precise than claimed pins the history
#: more (a loose tolerance at many patients at risk admits histories that drift).
EXACT_LADDER = (3.0, 2.0, 1.0, 0.5, 0.0)


#: The searches :func:`~survkit.ipd.exact.exact_history` runs in turn while one is over its
#: work budget (too many patients at risk): the full search, one path per number at risk (a
#: quarter of the work), then the most probable paths only (a beam).
SEARCHES: tuple[dict[str, Any], ...] = ({}, {"paths": 1}, {"beam": True})


def _first_search(search: Callable[..., ExactHistory]) -> ExactHistory:
    """``search(**options)`` (:func:`~survkit.ipd.exact.exact_history` with its data bound) by
    the first of :data:`SEARCHES` within its budget; :class:`TooOpen` when the beam is over
    its budget too."""
    for options in SEARCHES[:-1]:
        try:
            return search(**options)
        except TooOpen:
            continue
    return search(**SEARCHES[-1])


def _exact_arrays(
    curve: PreparedCurve,
    risk_table: Any,
    total: int | None,
    n: int | None,
    marks: FloatArray,
    surv_tol: float,
) -> tuple[FloatArray, IntArray, FloatArray, IntArray, str, str, PreparedCurve]:
    """The exact method (:mod:`survkit.ipd.exact`) on the raw points; (time, event, printed
    risk times, printed n_risk, note, convention, the steps as a curve), or
    :class:`NoExactHistory`."""
    printed_t, printed_n, r_time, r_n = _table(curve, risk_table, n)
    n0 = int(r_n[0])
    if n0 < 1:
        raise ValueError("the number of patients at time 0 must be at least 1")
    reason = ""
    # the time axis is assumed read with the same relative precision as the survival axis
    time_tol = surv_tol * max(float(curve.raw_time.max()), 0.0)
    for tol in (surv_tol * 10.0**-k for k in EXACT_LADDER):
        drop_t, before, after, end = steps_from_points(curve.raw_time, curve.raw_surv, tol)
        if marks.size:
            end = max(end, float(marks[-1]))
        try:
            h = _first_search(partial(exact_history, drop_t, before, after, end, n0=n0,
                                      risk_t=r_time, risk_n=r_n, marks=marks, surv_tol=tol,
                                      time_tol=time_tol, total_events=total))
        except TooOpen as exc:
            # over the beam's budget too: a looser tolerance leaves even more open
            raise NoExactHistory(str(exc)) from None
        except NoExactHistory as exc:
            reason = str(exc)
            continue
        break
    else:
        raise NoExactHistory(reason)
    t_out = h.time
    grid = time_grid(drop_t[drop_t > 0], time_tol)
    if grid is not None:
        # every step is on a grid of whole units: the data were recorded on it; every time
        # within the tolerance of the grid (the events, most censorings) is put on it
        on = np.round(t_out / grid) * grid
        snap = min(time_tol, grid / 10)
        t_out = np.where(np.abs(on - t_out) <= snap, on, t_out)
        order = np.lexsort((-h.event, t_out))
        t_out, ev_out = t_out[order], h.event[order]
    else:
        ev_out = h.event
    n_ev = int(ev_out.sum())
    if total is not None and n_ev != total:
        raise NoExactHistory(
            f"the most probable exact history has {n_ev} events, not the given {total}")
    if h.unique:
        note = f"unique history within ±{tol:g}"
    else:
        many = f"{h.n_histories:.3g}" if h.n_histories < 1e15 else "more than 1e15"
        note = (f"{'at least ' if h.beam else ''}{many} histories fit within ±{tol:g}; "
                "the most probable chosen "
                "(censorings at the marks, else a constant rate per table interval)")
        if h.beam:
            note += (f"; beam search (the {BEAM} most probable numbers at risk per step: too "
                     "many patients at risk for the full search)")
    if h.convention == "gt":
        note += "; numbers at risk read as #(T > t)"
    if grid is not None:
        note += f"; times on a grid of {grid:g} (every step within ±{snap:.2g} of it)"
    # the report measures the rebuilt data against the steps used, not a smoothed curve
    steps = replace(curve, time=np.concatenate(([0.0], drop_t, [end])),
                    surv=np.concatenate(([1.0], after, after[-1:] if after.size else [1.0])),
                    noise=tol, time_tol=0.0)
    return t_out, ev_out, printed_t, printed_n, note, h.convention, steps


def _riser_abs_diff(
    km_t: FloatArray, km_s: FloatArray, pt: FloatArray, ps: FloatArray
) -> FloatArray:
    """|ΔS| from points ``(pt, ps)`` to the step curve ``(km_t, km_s)`` drawn with its risers:
    0 when Ŝ(t) ≤ S ≤ Ŝ(t−), else the distance to the nearer of the two."""
    i_right = np.searchsorted(km_t, pt, side="right") - 1
    i_left = np.searchsorted(km_t, pt, side="left") - 1
    s_at = km_s[np.maximum(i_right, 0)]
    s_before = np.where(i_left >= 0, km_s[np.maximum(i_left, 0)], 1.0)
    out: FloatArray = np.where(ps < s_at, s_at - ps, np.where(ps > s_before, ps - s_before, 0.0))
    return out


def _report(
    curve: PreparedCurve,
    t: FloatArray,
    ev: IntArray,
    total: int | None,
    printed_t: FloatArray,
    printed_n: IntArray,
    method: str = "guyot",
    note: str = "",
    convention: str = "ge",
    fallback: str = "",
) -> IPDReport:
    km_t, km_s = km_steps(t, ev)
    diff = _riser_abs_diff(km_t, km_s, curve.raw_time, curve.raw_surv)
    cdiff = _riser_abs_diff(km_t, km_s, curve.time, curve.surv)
    ts = np.sort(t)
    side: Literal["left", "right"] = "left" if convention == "ge" else "right"
    rebuilt = (ts.size - np.searchsorted(ts, printed_t, side=side)).astype(np.int64)
    flags = _flags(curve, t, ev, total, printed_t, printed_n, rebuilt, diff, cdiff)
    if fallback:
        flags = (f"no exact history: {fallback}; Guyot's rounding used instead", *flags)
    return IPDReport(
        n=int(t.size),
        n_events=int(ev.sum()),
        total_events=total,
        points_time=curve.raw_time,
        points_surv=curve.raw_surv,
        curve_time=curve.time,
        curve_surv=curve.surv,
        km_time=km_t,
        km_surv=km_s,
        abs_diff=diff,
        rmse=float(np.sqrt(np.mean(diff * diff))),
        mean_abs_diff=float(np.mean(diff)),
        max_abs_diff=float(np.max(diff)),
        risk_time=printed_t,
        risk_printed=printed_n,
        risk_reconstructed=rebuilt,
        scale=curve.scale,
        noise=curve.noise,
        curve_abs_diff=cdiff,
        curve_rmse=float(np.sqrt(np.mean(cdiff * cdiff))),
        curve_mean_abs_diff=float(np.mean(cdiff)),
        curve_max_abs_diff=float(np.max(cdiff)),
        time_tol=curve.time_tol,
        scale_evidence=curve.scale_evidence,
        flags=flags,
        method=method,
        method_note=note or fallback,
        risk_convention=convention,
    )


def _flags(
    curve: PreparedCurve,
    t: FloatArray,
    ev: IntArray,
    total: int | None,
    printed_t: FloatArray,
    printed_n: IntArray,
    rebuilt: IntArray,
    diff: FloatArray,
    cdiff: FloatArray,
) -> tuple[str, ...]:
    """Reasons, in words, not to trust a reconstruction (see :attr:`IPDReport.flags`)."""
    out: list[str] = []
    far = diff > FLAG_CLICK_DIFF
    if far.any():
        i = int(np.argmax(diff))
        out.append(
            f"{int(far.sum())} of {diff.size} clicks lie more than {FLAG_CLICK_DIFF:g} from the "
            f"rebuilt curve (largest {float(diff[i]):.3f}, click at time "
            f"{float(curve.raw_time[i]):g}, survival {float(curve.raw_surv[i]):.3f}): stray "
            "clicks, two curves mixed, or a misread axis?"
        )
    if cdiff.size and float(np.max(cdiff)) > FLAG_CURVE_DIFF:
        out.append(
            f"the rebuilt data miss the smoothed curve by up to {float(np.max(cdiff)):.3f} "
            f"(more than {FLAG_CURVE_DIFF:g}): the curve, n and the numbers at risk disagree"
        )
    if curve.noise > FLAG_NOISE:
        out.append(
            f"digitizing noise is large (estimated sigma {curve.noise:.3f} on the survival axis)"
        )
    at0 = int(np.sum((t <= 0.0) & (ev == 1)))
    if at0:
        out.append(
            f"{at0} of {t.size} patients have their event at time 0: check the first clicks "
            f"and the survival scale (read as {curve.scale})"
        )
    if total is not None and int(ev.sum()) != total:
        out.append(f"total events {int(ev.sum())} differ from the given {total}")
    if printed_t.size and not np.array_equal(printed_n, rebuilt):
        k = int(np.max(np.abs(rebuilt - printed_n)))
        out.append(f"printed numbers at risk not reproduced (largest difference {k})")
    if printed_t.size == 0 and total is None:
        out.append(
            "neither a risk table nor the total events were given: censoring is guessed "
            "(Guyot et al. 2012 found this the least accurate case); give either if printed"
        )
    return tuple(out)


def reconstruct_ipd(
    points: Any,
    *,
    risk_table: Any = None,
    total_events: int | None = None,
    n: int | None = None,
    censor_marks: Any = None,
    scale: Scale = "auto",
    method: Method = "auto",
    surv_tol: float | None = None,
) -> IPDResult:
    """Rebuild patient-level ``time, event`` data from a digitized Kaplan–Meier curve.

    Guyot et al. (2012): between consecutive times of the printed risk table, the events at
    each digitized point are ``d_k = round(n_k (1 − S_k/Ŝ_{k−1}))`` with ``n_k`` the patients
    still at risk and ``Ŝ`` the Kaplan–Meier estimate of the data rebuilt so far; the number of
    censorings in the interval is chosen so that the rebuilt number at risk at the next printed
    time equals the printed one. survkit finds it by bisection, meets the printed numbers at
    risk and ``total_events`` exactly, finds the intervals itself, uses censoring ticks and
    ends curves that reach 0 at 0.

    Parameters
    ----------
    points : DataFrame, (k, 2) array or (times, survs) pair
        Digitized clicks ``time, surv`` in any order, noisy allowed. A DataFrame's columns are
        found by name (``time``/``t``; ``surv``/``survival``/``percent``...) or position.
    risk_table : DataFrame, (m, 2) array or pair, optional
        The printed numbers at risk ``time, n_risk`` (columns by name or position). If it
        does not start at time 0, ``n`` is needed unless the curve is flat up to its first time.
    total_events : int, optional
        Total number of events; met exactly, with or without a risk table.
    n : int, optional
        Number of patients; required without a risk table.
    censor_marks : array-like, optional
        Times of the digitized censoring ticks; censorings are placed there instead of evenly.
    scale : {"auto", "fraction", "percent"}
        How to read the survival axis. ``"auto"`` decides from robust evidence — the first
        point, the median of the points and where the values above 1.02 lie — never from one
        click (:func:`survkit.ipd._prep.decide_scale`), and raises when they disagree.
    method : {"auto", "exact", "guyot"}
        ``"exact"``: the curve's steps are known to ±``surv_tol`` (a vector figure read by
        :func:`survkit.digitize`, or a curve typed from exact values); the data are the most
        probable history of whole patients that reproduces every step within ``surv_tol`` and
        every printed number at risk exactly (:mod:`survkit.ipd.exact`), and ``ValueError``
        is raised when none exists. ``"guyot"``: Guyot et al.'s rounding, for clicked points
        with noise. ``"auto"`` (default): exact when ``surv_tol`` is given, falling back to
        ``"guyot"`` with a flag saying why when no exact history exists; ``"guyot"`` without
        ``surv_tol``. ``report.method`` and ``report.method_note`` say what was done.
    surv_tol : float, optional
        How precisely the curve's levels are known (survival fraction, in (0, 0.05]); required
        by ``method="exact"``.

    Returns
    -------
    IPDResult
        ``data`` (also ``to_frame()``): one row per patient, ``time`` (float), ``event``
        (int 0/1), sorted by time. ``report``: an :class:`IPDReport` (RMSE, mean and max |ΔS|
        against the clicks, printed vs rebuilt numbers at risk, events vs ``total_events``,
        ``flags`` for fits not to trust). ``plot()`` returns a matplotlib Axes.

    Raises
    ------
    ValueError
        Empty input; an ambiguous survival scale with ``scale="auto"``; survival outside
        [0, 1] after scaling (:class:`survkit.errors.RowError`); negative times; a risk table whose
        numbers increase, repeat a time, or exceed ``n``; ``total_events`` above the number
        of patients; no ``n`` and no risk table.

    References
    ----------
    Guyot P. et al. (2012), BMC Med Res Methodol 12:9.
    """
    if method not in ("auto", "exact", "guyot"):
        raise ValueError(f"method must be 'auto', 'exact' or 'guyot', got {method!r}")
    tol = _check_tol(surv_tol)
    if method == "exact" and tol is None:
        raise ValueError("surv_tol is required with method='exact' (how precisely the "
                         "curve's levels are known)")
    curve = prepare_curve(points, scale)
    n_int = check_count(n, "n", minimum=1)
    total = check_count(total_events, "total_events")
    marks = prepare_marks(censor_marks) if censor_marks is not None else np.zeros(0)
    fallback = ""
    if method != "guyot" and tol is not None:
        try:
            t, ev, printed_t, printed_n, note, conv, steps = _exact_arrays(
                curve, risk_table, total, n_int, marks, tol)
        except NoExactHistory as exc:
            if method == "exact":
                raise ValueError(f"method='exact': {exc}") from None
            fallback = str(exc)
        else:
            df = pd.DataFrame({"time": t, "event": ev.astype(np.int64)})
            rep = _report(steps, t, ev, total, printed_t, printed_n, "exact", note, conv)
            return IPDResult(data=df, report=rep)
    t, ev, printed_t, printed_n = _reconstruct_arrays(curve, risk_table, total, n_int, marks)
    df = pd.DataFrame({"time": t, "event": ev.astype(np.int64)})
    return IPDResult(data=df, report=_report(curve, t, ev, total, printed_t, printed_n,
                                             fallback=fallback))


#: Largest ``surv_tol`` accepted: beyond it whole patients are not pinned by the steps.
MAX_SURV_TOL = 0.05


def _check_tol(surv_tol: Any) -> float | None:
    if surv_tol is None:
        return None
    if isinstance(surv_tol, bool) or not isinstance(surv_tol, (int, float, np.integer,
                                                               np.floating)):
        raise TypeError(f"surv_tol must be a number, got {surv_tol!r}")
    v = float(surv_tol)
    if not (0.0 < v <= MAX_SURV_TOL):
        raise ValueError(f"surv_tol must lie in (0, {MAX_SURV_TOL:g}], got {surv_tol!r}")
    return v


_ARM_KEYS = ("points", "risk_table", "total_events", "n", "censor_marks", "scale", "method",
             "surv_tol")


def reconstruct_ipd_arms(arms: Mapping[str, Any]) -> IPDResult:
    """Reconstruct several arms; one table ``time, event, arm``.

    Parameters
    ----------
    arms : mapping arm name -> points or mapping
        Each value is either the digitized points of the arm, or a mapping with the keys of
        :func:`reconstruct_ipd` (``points`` required; ``risk_table``, ``total_events``, ``n``,
        ``censor_marks``, ``scale``, ``method``, ``surv_tol`` optional).

    Returns
    -------
    IPDResult
        ``data``: ``time, event, arm`` (arms in the given order); ``report``: an
        :class:`IPDArmsReport` mapping each arm to its :class:`IPDReport`; ``compare()``: Cox
        hazard ratios between the arms with the log-rank test.
    """
    if not isinstance(arms, Mapping):
        raise TypeError(f"arms must be a mapping arm name -> points, got {type(arms).__name__}")
    if not arms:
        raise ValueError("arms is empty")
    frames: list[pd.DataFrame] = []
    reports: dict[str, IPDReport] = {}
    if len({str(k) for k in arms}) != len(arms):
        raise ValueError("arms: two arms have the same name once converted to text")
    for name, spec in arms.items():
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in _ARM_KEYS]
            if unknown:
                raise ValueError(f"arms[{name!r}]: unknown key {unknown[0]!r}")
            if "points" not in spec:
                raise ValueError(f"arms[{name!r}]: 'points' is required")
            kw = {k: v for k, v in spec.items() if k != "points"}
            res = _arm(name, spec["points"], kw)
        else:
            res = _arm(name, spec, {})
        assert isinstance(res.report, IPDReport)
        reports[str(name)] = res.report
        frames.append(res.data)
    out = pd.DataFrame(
        {
            "time": np.concatenate([f["time"].to_numpy() for f in frames]),
            "event": np.concatenate([f["event"].to_numpy() for f in frames]),
            "arm": np.concatenate(
                [np.full(len(f), str(name), dtype=object)
                 for name, f in zip(arms, frames, strict=True)]
            ),
        }
    )
    return IPDResult(data=out, report=IPDArmsReport(reports=reports))


def _arm(name: Any, points: Any, kw: dict[str, Any]) -> IPDResult:
    """Reconstruct one arm; errors name the arm (a RowError keeps its row)."""
    try:
        res = reconstruct_ipd(points, **kw)
    except RowError as exc:
        raise RowError(f"arm {name!r}: {exc.argument}", exc.row, exc.problem, exc.value) from None
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"arm {name!r}: {exc}") from None
    return res
