"""Input parsing and preprocessing of digitized Kaplan–Meier curves (used by :mod:`.ipd`).

Everything here turns what a user digitized into clean arrays:

* :func:`snap_corners` — a digitized KM curve is made of vertical risers and horizontal
  flats, clicked at their corners: clicks whose times differ by less than the digitizing
  tolerance (estimated from the data) are one riser and get one common time; the bottom corner
  of a riser and the top corner of the next riser measure the same flat and get their mean.
* :func:`prepare_curve` — sort the clicks, map percent to fractions, snap the corners, fit a
  non-increasing curve by isotonic regression (pool-adjacent-violators), merge near-duplicates,
  drop the clicks
  that sit within digitizing noise of 1 before the first real drop, prepend ``(0, 1)`` and snap
  a tail that reaches 0 (within noise) to exactly 0.
* :func:`prepare_risk_table` — validate a printed number-at-risk table.
* :func:`prepare_marks` — validate censoring-tick times.

References
----------
Guyot P., Ades A.E., Ouwens M.J.N.M., Welton N.J. (2012). Enhanced secondary analysis of
survival data: reconstructing the data from published Kaplan-Meier survival curves.
BMC Medical Research Methodology 12:9.
Barlow R.E., Bartholomew D.J., Bremner J.M., Brunk H.D. (1972). Statistical Inference under
Order Restrictions. Wiley (pool-adjacent-violators algorithm).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import isotonic_regression

from survkit._validation import as_float_array
from survkit.errors import RowError

FloatArray = NDArray[np.float64]

Scale = Literal["auto", "fraction", "percent"]

#: Survival values may overshoot [0, 1] by this much (after scaling) through digitizing
#: noise; they are clipped. Beyond it the input is rejected.
SURV_SLACK = 0.02
#: Negative times down to -TIME_SLACK * (largest time) are digitizing noise at the origin and
#: are set to 0; more negative times are rejected.
TIME_SLACK = 0.005
#: Smallest digitizing-noise level assumed (fraction of the survival axis).
NOISE_FLOOR = 1e-3
#: Riser snapping: clicks closer in time than RISER_K standard deviations of the time
#: difference of two clicks on one riser (sqrt(2)·σ_t) are taken as one riser.
RISER_K = 4.0
#: ... but never further apart than this fraction of the time span (a larger tolerance would
#: blur the curve more than any careful digitization does).
RISER_TOL_CAP = 0.01
#: Corner structure is assumed only when the smaller half of the gaps between consecutive
#: click times is clearly separated from the larger half (median ratio at most this).
CORNER_GAP_RATIO = 0.35
#: Flat averaging: the two clicks of a flat are averaged when they differ by at most this many
#: robust standard deviations (1.4826·MAD) of such differences.
FLAT_K = 3.0
#: Median of |N(0, 2σ²)| in units of σ: 0.6745·√2.
_HALF_NORMAL_MEDIAN_2 = 0.6745 * math.sqrt(2.0)

_TIME_NAMES = ("time", "t", "x", "times", "month", "months", "years", "days", "weeks")
_SURV_NAMES = ("surv", "survival", "s", "y", "prob", "probability", "percent", "pct", "surv_pct")
_RISK_NAMES = ("n_risk", "nrisk", "n.risk", "at_risk", "n_at_risk", "number_at_risk", "n")


@dataclass(frozen=True)
class PreparedCurve:
    """A cleaned digitized curve.

    ``raw_time``/``raw_surv`` are the user's clicks, sorted and scaled to fractions (clipped
    to [0, 1]); ``time``/``surv`` the cleaned non-increasing curve starting at ``(0, 1)``.
    ``time_tol`` is the riser tolerance used by :func:`snap_corners` (time units, 0 when no
    corner noise was found) and ``flats_averaged`` the number of flats whose two corner
    clicks were averaged.
    """

    time: FloatArray
    surv: FloatArray
    raw_time: FloatArray
    raw_surv: FloatArray
    scale: str
    noise: float
    reaches_zero: bool
    time_tol: float = 0.0
    flats_averaged: int = 0
    scale_evidence: str = ""


@dataclass(frozen=True)
class ScaleDecision:
    """How the survival axis was read: ``scale`` and the evidence, in words."""

    scale: str
    evidence: str


#: A value above this cannot be a survival fraction (1 plus digitizing slack).
FRACTION_MAX = 1.0 + SURV_SLACK
#: On the percent scale, values at or below FRACTION_MAX are a tail reaching 0 only if the curve
#: stays below this (percent) from the first of them on.
PERCENT_TAIL = 5.0


def decide_scale(t: FloatArray, s: FloatArray, scale: Scale) -> ScaleDecision:
    """Decide whether digitized survival values are fractions or percent.

    With ``scale="auto"`` three robust pieces of evidence must agree, so one stray click never
    decides: (1) the *first point* (the click at the earliest time, the top of a KM curve);
    (2) the *bulk* of the points (their median); (3) *where the values at or below 1.02 lie*.
    Percent is read when the first point and the median are above 1.02 and the values at or
    below 1.02 lie in the tail of the curve (from the first of them on, the curve stays below
    5 %); fraction when the first point and the median are at or below 1.02 (values above
    1.02 are then stray clicks, which :func:`prepare_curve` rejects naming the row). Anything
    else is ambiguous and raises ``ValueError`` asking for the scale.
    """
    if scale not in ("auto", "fraction", "percent"):
        raise ValueError(f"scale must be 'auto', 'fraction' or 'percent', got {scale!r}")
    if scale != "auto":
        return ScaleDecision(scale, f"scale given as {scale}")
    order = np.lexsort((-s, t))
    ss = s[order]
    first = float(ss[0])
    bulk = float(np.median(s))
    top = float(np.max(s))
    high = ss > FRACTION_MAX
    evidence = f"first point {first:g}, median {bulk:g}, largest value {top:g}"
    if not high.any():
        return ScaleDecision("fraction", f"every value is at most {FRACTION_MAX:g}")
    if first > FRACTION_MAX and bulk > FRACTION_MAX:
        low = np.flatnonzero(~high)
        if low.size == 0 or float(np.max(ss[low[0]:])) <= PERCENT_TAIL:
            return ScaleDecision("percent", evidence)
    elif first <= FRACTION_MAX and bulk <= FRACTION_MAX:
        return ScaleDecision("fraction", evidence)
    raise ValueError(
        f"points: cannot tell whether survival is a fraction or percent ({evidence}; "
        f"{int(high.sum())} of {s.size} values above {FRACTION_MAX:g}, not only at the start "
        "of the curve); give the scale (scale='fraction' or 'percent', --scale on the command "
        "line)"
    )


@dataclass(frozen=True)
class PreparedRiskTable:
    """A validated number-at-risk table (times strictly increasing, counts non-increasing)."""

    time: FloatArray
    n_risk: NDArray[np.int64]


def _pick_column(df: pd.DataFrame, names: Sequence[str], position: int, arg: str) -> Any:
    lower = {str(c).strip().lower(): c for c in df.columns}
    for name in names:
        if name in lower:
            return df[lower[name]]
    if df.shape[1] < position + 1:
        raise ValueError(f"{arg} needs at least {position + 1} columns, got {df.shape[1]}")
    return df.iloc[:, position]


def _two_columns(
    obj: Any, arg: str, first: Sequence[str], second: Sequence[str]
) -> tuple[FloatArray, FloatArray]:
    """Split a DataFrame / (k, 2) array / pair of sequences into two float arrays."""
    if isinstance(obj, pd.DataFrame):
        if obj.shape[0] == 0:
            raise ValueError(f"{arg} is empty")
        a = _pick_column(obj, first, 0, arg)
        col_a = a.name
        rest = obj.drop(columns=[col_a]) if col_a in obj.columns else obj
        b = _pick_column(rest, second, 0, arg)
        return (
            as_float_array(a.to_numpy(), f"{arg}[{col_a!r}]"),
            as_float_array(b.to_numpy(), f"{arg}[{b.name!r}]"),
        )
    if isinstance(obj, (str, bytes)):
        raise TypeError(f"{arg} must be a DataFrame or a (k, 2) array, got a string")
    if isinstance(obj, tuple) and len(obj) == 2:
        a_arr = as_float_array(obj[0], f"{arg}[0]")
        b_arr = as_float_array(obj[1], f"{arg}[1]")
        if a_arr.size != b_arr.size:
            raise ValueError(
                f"{arg}: the two columns differ in length ({a_arr.size} vs {b_arr.size})"
            )
        return a_arr, b_arr
    arr = as_float_array(obj, arg, ndim=2, allow_empty=True)
    if arr.shape[0] == 0:
        raise ValueError(f"{arg} is empty")
    if arr.shape[1] != 2:
        raise ValueError(f"{arg} must have 2 columns (time, value), got {arr.shape[1]}")
    return arr[:, 0].copy(), arr[:, 1].copy()


def _check_times(t: FloatArray, arg: str) -> FloatArray:
    """Reject clearly negative times; set noise-level negatives at the origin to 0."""
    span = float(np.max(np.abs(t))) if t.size else 0.0
    bad = t < -TIME_SLACK * span
    if bad.any():
        i = int(np.argmax(bad))
        raise RowError(arg, i, "times must be non-negative", float(t[i]))
    return np.where(t < 0, 0.0, t)


def _riser_tolerance(t: FloatArray) -> float:
    """Digitizing tolerance in time (fraction of the span) from the gaps between clicks.

    Clicked at its corners, a KM curve gives two clicks per riser at the same true time, so
    about half of the gaps between consecutive sorted click times are differences of two
    time errors, |N(0, 2σ_t²)| with median 0.954·σ_t, and the other half are flat lengths.
    σ̂_t = median(smaller half of the gaps)/0.954; the tolerance is RISER_K·√2·σ̂_t, capped at
    RISER_TOL_CAP. When the two halves are not separated (median ratio above
    CORNER_GAP_RATIO: no corner structure, e.g. clicks along a dense curve) it is 0, and it
    is 0 for exact corners (equal times).
    """
    span = float(t[-1]) if t.size and t[-1] > 0 else 1.0
    g = np.sort(np.diff(t)) / span
    if g.size < 4:
        return 0.0
    lower = float(np.median(g[: g.size // 2]))
    upper = float(np.median(g[g.size // 2:]))
    if upper <= 0.0 or lower > CORNER_GAP_RATIO * upper:
        return 0.0
    sigma = lower / _HALF_NORMAL_MEDIAN_2
    return min(RISER_K * math.sqrt(2.0) * sigma, RISER_TOL_CAP)


def snap_corners(t: FloatArray, s: FloatArray) -> tuple[FloatArray, FloatArray, float, int]:
    """Snap noisy corner clicks to a staircase: common times on risers, common levels on flats.

    ``t`` sorted ascending (``s`` in the same order). (1) Risers: consecutive clicks whose
    times differ by at most the tolerance τ of :func:`_riser_tolerance` form one group
    (single linkage; a group spanning more than 2τ is cut greedily into windows of width τ)
    and all get the group's mean time — so the top and bottom corners of a step whose order
    in time was swapped by the noise are one drop again, instead of being pooled by the
    isotonic fit into two half drops at two different times. (2) Flats: for consecutive
    groups with at least two clicks each, the lowest click of the first (bottom corner) and
    the highest of the next (top corner) measure the same level; where they differ by at most
    FLAT_K·1.4826·MAD of these differences both are replaced by their mean (the level is then
    measured with half the variance). Exact corners are left unchanged.

    Returns the snapped times and survivals, sorted by time and then survival descending,
    the tolerance τ in time units and the number of flats averaged.
    """
    if t.size < 2:
        return t.copy(), s.copy(), 0.0, 0
    span = float(t[-1]) if t[-1] > 0 else 1.0
    tol = _riser_tolerance(t)
    tt = t.copy()
    if tol > 0.0:
        x = t / span
        new = np.concatenate(([True], np.diff(x) > tol))
        starts = np.flatnonzero(new)
        ends = np.append(starts[1:], t.size)
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            if b - a < 2:
                continue
            if x[b - 1] - x[a] <= 2.0 * tol:
                tt[a:b] = float(np.mean(t[a:b]))
                continue
            i = a
            while i < b:
                j = int(np.searchsorted(x, x[i] + tol, side="right"))
                j = min(max(j, i + 1), b)
                tt[i:j] = float(np.mean(t[i:j]))
                i = j
    order = np.lexsort((-s, tt))
    tt = tt[order]
    ss = s[order].copy()
    # (2) flats between consecutive risers.
    new = np.concatenate(([True], np.diff(tt) > 0))
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], tt.size) - 1
    size = ends - starts + 1
    both = (size[:-1] >= 2) & (size[1:] >= 2)
    bottom = ends[:-1][both]
    top = starts[1:][both]
    n_avg = 0
    if bottom.size >= 4:
        d = ss[bottom] - ss[top]
        scale = 1.4826 * float(np.median(np.abs(d)))
        close = np.abs(d) <= FLAT_K * scale
        close &= d != 0.0
        if close.any():
            mid = (ss[bottom] + ss[top]) / 2.0
            ss[bottom[close]] = mid[close]
            ss[top[close]] = mid[close]
            n_avg = int(close.sum())
    return tt, ss, tol * span, n_avg


def prepare_curve(points: Any, scale: Scale = "auto") -> PreparedCurve:
    """Parse and clean digitized ``(time, surv)`` points.

    Steps: (1) sort by time (ties: higher survival first, the top corner of a step before its
    bottom corner); (2) percent → fraction when ``scale="percent"`` or, with ``"auto"``, when
    :func:`decide_scale` finds percent from robust evidence (first point, median, where the
    large values lie; never from one click); (3) reject values outside [-0.02, 1.02] and clip
    the rest to [0, 1]; (3b) snap noisy corners (:func:`snap_corners`: one time per riser,
    one level per flat); (4) isotonic (non-increasing) least-squares fit, the
    pool-adjacent-violators solution, so noisy clicks are averaged rather than cut by a
    running minimum; (5) the noise level σ̂ = max(0.001, 2.5·RMS(snapped − fit)); (6) drop
    the clicks before the first drop below 1 − σ̂ (they are noise around 1, not events at
    t≈0), prepend (0, 1);
    (7) merge clicks closer than 1e-6 of the time span, keep only the ends of flat runs;
    (8) if the curve ends within σ̂ of 0, it is set to exactly 0 from the first such point.
    """
    t_raw, s_raw = _two_columns(points, "points", _TIME_NAMES, _SURV_NAMES)
    t_raw = _check_times(t_raw, "points")
    decision = decide_scale(t_raw, s_raw, scale)
    is_percent = decision.scale == "percent"
    s = s_raw / 100.0 if is_percent else s_raw.copy()
    bad = (s < -SURV_SLACK) | (s > 1.0 + SURV_SLACK)
    if bad.any():
        i = int(np.argmax(bad))
        raise RowError(
            "points",
            i,
            f"survival must lie in [0, 1] on the {decision.scale} scale ({decision.evidence}); "
            "a stray click? remove it, or give the scale",
            float(s_raw[i]),
        )
    s = np.clip(s, 0.0, 1.0)
    order = np.lexsort((-s, t_raw))
    t_sorted = t_raw[order]
    s_sorted = s[order]
    t_snap, s_snap, time_tol, n_flat = snap_corners(t_sorted, s_sorted)
    fit = np.asarray(isotonic_regression(s_snap, increasing=False).x, dtype=np.float64)
    fit = np.clip(fit, 0.0, 1.0)
    resid = s_snap - fit
    noise = max(NOISE_FLOOR, 2.5 * float(np.sqrt(np.mean(resid * resid))))

    # (6) clicks before the first real drop, within noise of 1, carry no information.
    below = np.flatnonzero(fit < 1.0 - noise)
    if below.size == 0:
        keep_t = np.empty(0)
        keep_s = np.empty(0)
    else:
        keep_t = t_snap[below[0]:]
        keep_s = fit[below[0]:]
    tt = np.concatenate(([0.0], keep_t))
    ss = np.concatenate(([1.0], keep_s))
    # A curve that never leaves 1 still has an end: keep the last click as a flat point.
    if below.size == 0 and t_sorted[-1] > 0:
        tt = np.array([0.0, t_sorted[-1]])
        ss = np.array([1.0, 1.0])

    # (8) tail within noise of 0 -> exactly 0, points after the first zero dropped.
    reaches_zero = bool(ss[-1] <= noise)
    if reaches_zero:
        first0 = int(np.argmax(ss <= noise))
        first0 = max(first0, 1)
        tt = tt[: first0 + 1]
        ss = ss[: first0 + 1].copy()
        ss[first0] = 0.0

    # (7) merge near-duplicate times (keep the first time, the lowest survival) ...
    span = float(tt[-1]) if tt[-1] > 0 else 1.0
    if tt.size > 1:
        new_group = np.concatenate(([True], np.diff(tt) > 1e-6 * span))
        starts = np.flatnonzero(new_group)
        ends = np.append(starts[1:], tt.size) - 1
        tt = tt[starts]
        ss = ss[ends]
    # ... and keep only the two ends of each flat run (interior points carry no events).
    if tt.size > 2:
        flat_prev = np.concatenate(([False], ss[1:] == ss[:-1]))
        flat_next = np.concatenate((ss[:-1] == ss[1:], [False]))
        interior = flat_prev & flat_next
        tt = tt[~interior]
        ss = ss[~interior]
    return PreparedCurve(
        time=tt.astype(np.float64),
        surv=ss.astype(np.float64),
        raw_time=t_sorted,
        raw_surv=s_sorted,
        scale=decision.scale,
        noise=noise,
        reaches_zero=reaches_zero,
        time_tol=time_tol,
        flats_averaged=n_flat,
        scale_evidence=decision.evidence,
    )


def prepare_risk_table(risk_table: Any, n: int | None) -> PreparedRiskTable:
    """Validate a printed number-at-risk table ``(time, n_risk)``.

    Rows are sorted by time; duplicate times, negative or non-integer counts, counts that
    increase with time and counts above ``n`` raise ``ValueError`` naming the first bad row.
    """
    t, nr = _two_columns(risk_table, "risk_table", _TIME_NAMES, _RISK_NAMES)
    bad_t = t < 0
    if bad_t.any():
        i = int(np.argmax(bad_t))
        raise RowError("risk_table", i, "times must be non-negative", float(t[i]))
    bad_n = (nr < 0) | (nr != np.round(nr))
    if bad_n.any():
        i = int(np.argmax(bad_n))
        raise RowError("risk_table", i, "n_risk must be non-negative whole numbers",
                       float(nr[i]))
    big = nr > MAX_PATIENTS
    if big.any():
        i = int(np.argmax(big))
        raise RowError("risk_table", i,
                       f"n_risk is above the largest supported number of patients "
                       f"({MAX_PATIENTS:,})", float(nr[i]))
    order = np.argsort(t, kind="stable")
    t = t[order]
    nr_int = np.round(nr[order]).astype(np.int64)
    dup = np.flatnonzero(np.diff(t) == 0)
    if dup.size:
        raise ValueError(f"risk_table: time {float(t[dup[0]])!r} appears twice")
    inc = np.flatnonzero(np.diff(nr_int) > 0)
    if inc.size:
        i = int(inc[0]) + 1
        raise ValueError(
            f"risk_table: n_risk must not increase over time; at time {float(t[i])!r} it is "
            f"{int(nr_int[i])} after {int(nr_int[i - 1])} at time {float(t[i - 1])!r}"
        )
    if n is not None and nr_int[0] > n:
        raise ValueError(
            f"risk_table: n_risk {int(nr_int[0])} at time {float(t[0])!r} is above n = {n}"
        )
    return PreparedRiskTable(time=t, n_risk=nr_int)


def prepare_marks(censor_marks: Any) -> FloatArray:
    """Validate censoring-tick times: finite, non-negative (noise at 0 allowed); sorted."""
    m = as_float_array(censor_marks, "censor_marks", allow_empty=True)
    if m.size == 0:
        return m
    m = _check_times(m, "censor_marks")
    return np.sort(m)


#: Largest number of patients a reconstruction accepts (memory grows linearly with it; no
#: published curve comes near).
MAX_PATIENTS = 10_000_000


def check_count(
    value: Any, name: str, *, minimum: int = 0, maximum: int = MAX_PATIENTS
) -> int | None:
    """Return ``value`` as an int (or None), rejecting bools, fractions, and values outside
    ``[minimum, maximum]``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not np.isfinite(value) or float(value) != round(float(value)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    iv = round(float(value))
    if iv < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {iv}")
    if iv > maximum:
        raise ValueError(f"{name} must be at most {maximum:,}, got {iv:,}")
    return iv
