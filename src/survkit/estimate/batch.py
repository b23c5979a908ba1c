r"""Batched landmark Kaplan-Meier: many small datasets at once, for simulation.

``kaplan_meier_at`` takes ``B`` datasets as the rows of 2-D arrays and returns the survival,
its standard error and confidence limits at a few landmark times, fully vectorized over
datasets (no Python loop over them). Its numbers are those of
``kaplan_meier(time[b], event[b]).at(at)`` row by row, to the last bit: the product
:math:`\prod (1 - d_j/r_j)` and Greenwood's sum are accumulated in the same order, with the
same factors, and the limits come from the same :func:`survkit.estimate.ci.confint`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit._validation import as_float_array
from survkit.estimate.ci import check_conf_level, confint, normalize_conf_type

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LandmarkBatch:
    """Kaplan-Meier values at landmark times for ``B`` datasets.

    Attributes
    ----------
    at : ndarray, shape (k,)
        The landmark times, sorted.
    surv, std_err, lower, upper : ndarray, shape (B, k)
        :math:`\\hat S`, its standard error (Greenwood, on the S scale) and confidence
        limits at each landmark. ``nan`` where the landmark lies past a dataset's last
        observation (unless ``extend=True``) or where R's band is undefined.
    std_err_log : ndarray, shape (B, k)
        Standard error of :math:`\\log \\hat S`.
    n_risk : ndarray, shape (B, k)
        Number at risk just before each landmark.
    n_event : ndarray, shape (B, k)
        Number of events up to and including each landmark (cumulative).
    valid : ndarray of bool, shape (B, k)
        False where the landmark is past the dataset's last observation and ``extend``
        was False (R's ``summary(times=)`` drops such rows).
    conf_type : str
    conf_level : float
    """

    at: FloatArray
    surv: FloatArray
    std_err: FloatArray
    std_err_log: FloatArray
    lower: FloatArray
    upper: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    valid: NDArray[np.bool_]
    conf_type: str
    conf_level: float

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per dataset and valid landmark (column ``dataset`` first)."""
        b, k = self.surv.shape
        ds = np.repeat(np.arange(b), k)
        tt = np.tile(self.at, b)
        keep = self.valid.ravel()
        return pd.DataFrame(
            {
                "dataset": ds[keep],
                "time": tt[keep],
                "n_risk": self.n_risk.ravel()[keep],
                "surv": self.surv.ravel()[keep],
                "std_err": self.std_err.ravel()[keep],
                "lower": self.lower.ravel()[keep],
                "upper": self.upper.ravel()[keep],
            }
        )


def _as_2d(x: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = as_float_array(x, name, ndim=(1, 2), allow_nan=True)
    return arr.reshape(1, -1) if arr.ndim == 1 else arr


@dataclass(frozen=True, eq=False)
class _Curves:
    """Sorted rows with KM survival and Greenwood variance of log S at every position."""

    ts: FloatArray  # sorted times, NaN padding last
    last: NDArray[np.bool_]  # position ends a tie group (a distinct time)
    n_b: NDArray[np.int64]
    cum_e: FloatArray
    surv: FloatArray
    var_log: FloatArray


def _curves(time: ArrayLike, event: ArrayLike, *, variance: bool = True) -> _Curves:
    """Validate ``time``/``event`` (B, n) and compute the KM curve of every row (see Notes
    of :func:`kaplan_meier_at`)."""
    t = _as_2d(time, "time")
    ev_raw = np.asarray(event)
    if ev_raw.ndim == 1:
        ev_raw = ev_raw.reshape(1, -1)
    if ev_raw.shape != t.shape:
        raise ValueError(f"event has shape {ev_raw.shape} but time has shape {t.shape}")
    ev = ev_raw.astype(np.float64) if ev_raw.dtype == bool else _as_2d(ev_raw, "event")
    present = ~np.isnan(t)
    bad = present & ~((ev == 0) | (ev == 1))
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(f"event must be 0/1 or boolean; event[{i}, {j}] = {ev[i, j].item()!r}")
    neg = present & (t < 0)
    if neg.any():
        i, j = (int(v) for v in np.argwhere(neg)[0])
        raise ValueError(f"time must be non-negative; time[{i}, {j}] = {t[i, j].item()!r}")
    n_b = present.sum(axis=1)
    empty = n_b == 0
    if empty.any():
        raise ValueError(f"time: dataset {int(np.argmax(empty))} has no observation (all NaN)")
    order = np.argsort(t, axis=1, kind="stable")  # NaN padding sorts last
    ts = np.take_along_axis(t, order, axis=1)
    es = np.where(np.isnan(ts), 0.0, np.take_along_axis(ev, order, axis=1))
    b, n = ts.shape
    k_idx = np.broadcast_to(np.arange(n), (b, n))
    # first index of each tie group, carried forward
    starts = np.ones((b, n), dtype=bool)
    starts[:, 1:] = ts[:, 1:] != ts[:, :-1]
    first = np.maximum.accumulate(np.where(starts, k_idx, 0), axis=1)
    last = np.ones((b, n), dtype=bool)
    last[:, :-1] = starts[:, 1:]
    last &= ~np.isnan(ts)
    cum_e = np.cumsum(es, axis=1)
    before = np.take_along_axis(np.concatenate([np.zeros((b, 1)), cum_e], axis=1), first, axis=1)
    d = np.where(last, cum_e - before, 0.0)
    r = (n_b[:, None] - first).astype(np.float64)
    # R's factors (r - d) / r, as survfitkm.c computes them
    factor = np.where(last, np.divide(r - d, r, out=np.ones_like(d), where=r > 0), 1.0)
    surv_all = np.cumprod(factor, axis=1)
    if not variance:
        surv = np.asarray(surv_all, dtype=np.float64)
        return _Curves(ts, last, n_b, cum_e, surv, np.full_like(surv, np.nan))
    rd = r - d
    inc = np.divide(d, r * rd, out=np.zeros_like(d), where=last & (rd > 0))
    inc[last & (rd <= 0) & (d > 0)] = np.inf
    var_all = np.cumsum(inc, axis=1)
    return _Curves(
        ts, last, n_b, cum_e, np.asarray(surv_all, dtype=np.float64), var_all
    )


def kaplan_meier_at(
    time: ArrayLike,
    event: ArrayLike,
    at: ArrayLike,
    *,
    conf_type: str = "log",
    conf_level: float = 0.95,
    extend: bool = False,
) -> LandmarkBatch:
    r"""Kaplan-Meier survival with CI at landmark times for many datasets at once.

    Parameters
    ----------
    time : array_like, shape (B, n) or (n,)
        Follow-up times; each row is one dataset. Rows of unequal size are padded with NaN.
    event : array_like, shape (B, n) or (n,)
        Event indicators (0/1 or bool) in the same layout (values at NaN padding ignored).
    at : array_like, shape (k,)
        Landmark times.
    conf_type : {"log", "log-log", "plain", "logit", "arcsin"}
        CI transform, as :func:`survkit.kaplan_meier`.
    conf_level : float
        Confidence level in (0, 1).
    extend : bool
        As in :meth:`KaplanMeier.at`: keep landmarks past a dataset's last observation.

    Returns
    -------
    LandmarkBatch
        Arrays of shape ``(B, k)``.

    Notes
    -----
    Within each sorted row, every time ends a tie group of size :math:`m_j` with
    :math:`d_j` events and :math:`r_j = n_b - (\text{index of the group's first member})` at
    risk; the factor :math:`1 - d_j/r_j` and the Greenwood increment
    :math:`d_j/(r_j(r_j - d_j))` sit at the group's last member and 1 (resp. 0) elsewhere, so a
    cumulative product (sum) along the row gives :math:`\hat S` (resp.
    :math:`\mathrm{Var}\log\hat S`) at every time. A landmark :math:`\tau` selects the last
    position with time :math:`\le \tau`.

    References
    ----------
    Kaplan & Meier (1958), JASA 53:457-481; Greenwood (1926); R survival 3.5
    ``summary.survfit(times=)``.
    """
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    cv = _curves(time, event)
    lm = np.sort(as_float_array(at, "at"))
    ts, n_b, cum_e, surv_all, var_all = cv.ts, cv.n_b, cv.cum_e, cv.surv, cv.var_log
    b = ts.shape[0]

    k = lm.size
    surv = np.ones((b, k))
    se_log = np.zeros((b, k))
    lower = np.ones((b, k))
    upper = np.ones((b, k))
    n_risk = np.empty((b, k))
    n_event = np.empty((b, k))
    valid = np.ones((b, k), dtype=bool)
    tmax = np.nanmax(ts, axis=1)
    rows = np.arange(b)
    for j, tau in enumerate(lm):
        cnt = (ts <= tau).sum(axis=1)  # NaN compares False
        n_risk[:, j] = n_b - (ts < tau).sum(axis=1)  # at risk just before tau
        has = cnt > 0
        pos = np.maximum(cnt - 1, 0)
        s = surv_all[rows, pos]
        v = var_all[rows, pos]
        n_event[:, j] = np.where(has, cum_e[rows, pos], 0.0)
        sl = np.sqrt(v)
        lo, up = confint(s, sl, ct, level)
        surv[:, j] = np.where(has, s, 1.0)
        se_log[:, j] = np.where(has, sl, 0.0)
        lower[:, j] = np.where(has, lo, 1.0)
        upper[:, j] = np.where(has, up, 1.0)
        if not extend:
            valid[:, j] = tau <= tmax
    se = np.multiply(se_log, surv, out=np.full_like(surv, np.nan), where=np.isfinite(se_log))
    for arr in (surv, se, se_log, lower, upper):
        arr[~valid] = np.nan
    return LandmarkBatch(lm, surv, se, se_log, lower, upper, n_risk, n_event, valid, ct, level)


@dataclass(frozen=True, eq=False)
class MedianBatch:
    """Kaplan-Meier median with CI limits for ``B`` datasets (R ``print.survfit``).

    Attributes
    ----------
    estimate, lower, upper : ndarray, shape (B,)
        Median and the times where the lower and upper bands reach 1/2; ``nan`` where not
        reached (printed ``NR``).
    conf_type : str
    conf_level : float
    """

    estimate: FloatArray
    lower: FloatArray
    upper: FloatArray
    conf_type: str
    conf_level: float

    def to_frame(self) -> pd.DataFrame:
        """One row per dataset: ``dataset, median, lower, upper``."""
        return pd.DataFrame(
            {
                "dataset": np.arange(self.estimate.size),
                "median": self.estimate,
                "lower": self.lower,
                "upper": self.upper,
            }
        )


_TOL = float(np.sqrt(np.finfo(np.float64).eps))


def _minmin_rows(y: FloatArray, x: FloatArray, keep: NDArray[np.bool_]) -> FloatArray:
    """R's median rule (``minmin`` of survival 3.5) on every row of ``y`` over positions
    ``keep``: the first time ``y < 1/2 + tol``; if that ``y`` is 1/2 (within tol), the
    midpoint of its time and the time of the next lower ``y``."""
    ok = keep & ~np.isnan(y) & (y < 0.5 + _TOL)
    has = ok.any(axis=1)
    rows = np.arange(y.shape[0])
    j0 = np.argmax(ok, axis=1)
    x0 = x[rows, j0]
    y0 = y[rows, j0]
    below = ok & (y < y0[:, None])
    has_below = below.any(axis=1)
    x1 = x[rows, np.argmax(below, axis=1)]
    mid = has & (np.abs(y0 - 0.5) < _TOL) & has_below
    out = np.where(mid, (x0 + x1) / 2.0, x0)
    return np.where(has, out, np.nan)


def kaplan_meier_median(
    time: ArrayLike,
    event: ArrayLike,
    *,
    conf_type: str = "log",
    conf_level: float = 0.95,
    limits: bool = True,
) -> MedianBatch:
    r"""Kaplan-Meier median survival with CI for many datasets at once (no loop over them).

    Row ``b`` gives the numbers of ``kaplan_meier(time[b], event[b], ...).median()``: the
    first distinct time where :math:`\hat S < 1/2 + \epsilon` (:math:`\epsilon` the square
    root of the machine epsilon), the midpoint to the next lower step when :math:`\hat S` is
    exactly 1/2 on a flat part; the limits apply the same rule to the pointwise lower and
    upper bands (Brookmeyer & Crowley 1982).

    Parameters
    ----------
    time, event : array_like, shape (B, n) or (n,)
        As :func:`kaplan_meier_at` (rows padded with NaN).
    conf_type : {"log", "log-log", "plain", "logit", "arcsin"}
    conf_level : float
    limits : bool
        False: the median only (``lower`` and ``upper`` are NaN), without the variance and
        the bands -- cheaper, for screening many datasets.

    Returns
    -------
    MedianBatch

    References
    ----------
    Brookmeyer R., Crowley J. (1982). A confidence interval for the median survival time.
    Biometrics 38:29-41. R survival 3.5 ``print.survfit`` (``survmean``/``minmin``).
    """
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    cv = _curves(time, event, variance=limits)
    est = _minmin_rows(cv.surv, cv.ts, cv.last)
    if not limits:
        nan = np.full(est.shape, np.nan)
        return MedianBatch(est, nan, nan.copy(), ct, level)
    lo, up = confint(cv.surv, np.sqrt(cv.var_log), ct, level)
    return MedianBatch(
        est,
        _minmin_rows(np.asarray(lo, dtype=np.float64), cv.ts, cv.last),
        _minmin_rows(np.asarray(up, dtype=np.float64), cv.ts, cv.last),
        ct,
        level,
    )
