r"""Nelson-Aalen cumulative hazard and Fleming-Harrington survival, identical to R ``survfit``.

At the distinct times :math:`t_j` with (weighted) :math:`d_j` events among :math:`r_j` at risk:

* ``ctype = 1`` (Nelson-Aalen): :math:`\hat H(t) = \sum_{t_j \le t} d_j / r_j`, with
  :math:`\widehat{\mathrm{Var}}\,\hat H(t) = \sum_{t_j \le t} d_j / r_j^2` (R's ``std.chaz``);
* ``ctype = 2`` (Fleming-Harrington correction for ties, :math:`n_j` unweighted events):
  :math:`\hat H(t) = \sum_j \sum_{k=0}^{n_j - 1} \frac{d_j / n_j}{r_j - k d_j / n_j}`, variance
  :math:`\sum_j \sum_k \frac{d_j / n_j}{(r_j - k d_j / n_j)^2}`;
* ``stype = 2`` survival (Fleming-Harrington / Breslow): :math:`\hat S(t) = \exp(-\hat H(t))`,
  with :math:`SE(\log \hat S) = SE(\hat H)`.

With non-integer case weights R (and so survkit) uses the infinitesimal jackknife for
``std.chaz`` (:mod:`survkit.estimate.influence`, :math:`a_j = d_j / r_j^2`, :math:`b_j = 1/r_j`);
R then stores that value as the SE of :math:`\hat S` of an ``stype = 2`` curve (it is
:math:`SE(\hat H)`), and survkit does the same, to stay identical.

References
----------
Nelson W. (1972). Theory and applications of hazard plotting for censored failure data.
Technometrics 14:945-966. Aalen O. (1978). Nonparametric inference for a family of counting
processes. Ann Stat 6:701-726. Fleming T.R., Harrington D.P. (1984). Nonparametric estimation
of the survival distribution in censored data. Commun Stat Theory Methods 13:2469-2486.
Therneau T. (2023). The survfit function: methods (survival 3.5 vignette); ``survfitkm.c``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit._validation import as_event_array, as_float_array, check_same_length
from survkit.estimate.ci import check_conf_level, confint, normalize_conf_type
from survkit.estimate.influence import ij_sum_squares

FloatArray = NDArray[np.float64]

__all__ = ["CumulativeHazard", "HazardArrays", "check_type", "hazard_arrays", "nelson_aalen"]


def _frozen(a: ArrayLike) -> FloatArray:
    out = np.array(a, dtype=np.float64)
    out.flags.writeable = False
    return out


def check_type(value: object, name: str) -> int:
    """Validate R's ``stype``/``ctype`` argument (1 or 2)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value not in (1, 2):
        raise ValueError(f"{name} must be 1 or 2, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class HazardArrays:
    """Counts and cumulative hazard at the distinct times (the kernel's output)."""

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    n_event_count: FloatArray
    cumhaz: FloatArray
    std_chaz: FloatArray
    robust: bool


def hazard_arrays(
    time: FloatArray,
    event: NDArray[np.bool_],
    entry: FloatArray | None,
    weights: FloatArray | None,
    ctype: int,
) -> HazardArrays:
    """Nelson-Aalen (``ctype=1``) or Fleming-Harrington (``ctype=2``) hazard with its SE.

    Inputs are validated arrays; see the module notes for the formulas.
    """
    n = time.size
    w = np.ones(n) if weights is None else weights
    robust = weights is not None and bool(np.any(weights != np.floor(weights)))
    ut, j = np.unique(time, return_inverse=True)
    m = ut.size
    tot_w = np.bincount(j, weights=w, minlength=m).astype(np.float64)
    d_w = np.bincount(j, weights=np.where(event, w, 0.0), minlength=m).astype(np.float64)
    d_n = np.bincount(j, weights=event.astype(np.float64), minlength=m).astype(np.float64)
    r_w = np.cumsum(tot_w[::-1])[::-1]
    if entry is not None:
        eo = np.argsort(entry, kind="stable")
        cum = np.concatenate(([0.0], np.cumsum(w[eo])))
        entered = cum[np.searchsorted(entry[eo], ut, side="left")]
        r_w = entered - (float(tot_w.sum()) - r_w)
    upd = (d_n > 0) & (d_w > 0)
    if ctype == 1:
        cumhaz = np.cumsum(np.divide(d_w, r_w, out=np.zeros(m), where=upd))
        var = np.cumsum(np.divide(d_w, r_w * r_w, out=np.zeros(m), where=upd))
    else:
        if robust:
            raise ValueError("ctype=2 with non-integer weights is not supported "
                             "(R's robust Fleming-Harrington variance)")
        # every tied event its own term, summed in R's order (time by time, k = 0..n_j-1)
        nd = d_n.astype(np.int64)
        at = np.repeat(np.arange(m), nd)
        first = np.concatenate(([0], np.cumsum(nd)[:-1]))
        k = np.arange(at.size) - np.repeat(first, nd)
        ndr, wdr = d_n[at], d_w[at]
        dt = r_w[at] - k * wdr / ndr
        through = np.cumsum(nd)  # number of terms up to and including each time
        cumhaz = np.concatenate(([0.0], np.cumsum(wdr / (ndr * dt))))[through]
        var = np.concatenate(([0.0], np.cumsum(wdr / (ndr * dt * dt))))[through]
    if robust:
        a = np.divide(d_w, r_w * r_w, out=np.zeros(m), where=upd)
        b = np.divide(1.0, r_w, out=np.zeros(m), where=upd)
        var = ij_sum_squares(ut, time, event, entry, w * w, a, b, upd)
    return HazardArrays(ut, r_w, d_w, tot_w - d_w, d_n, cumhaz, np.sqrt(var), robust)


@dataclass(frozen=True, eq=False)
class CumulativeHazard:
    """A cumulative-hazard fit, one entry per distinct observed time (R ``fit$cumhaz``).

    Attributes
    ----------
    time : ndarray
        Distinct observed times, increasing.
    n_risk, n_event, n_censor : ndarray
        (Weighted) numbers at risk just before ``time``, of events and censorings at it.
    cumhaz, std_chaz : ndarray
        :math:`\\hat H(t)` just after ``time`` and its standard error (R ``std.chaz``).
    n : int
        Number of observations used.
    ctype : int
        1 Nelson-Aalen, 2 Fleming-Harrington tie correction.
    start_time : float
        Time origin (``min(0, min(time))`` or the ``start_time`` given).
    robust : bool
        Whether the SE is the infinitesimal jackknife (non-integer weights).
    """

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    cumhaz: FloatArray
    std_chaz: FloatArray
    n: int
    ctype: int
    start_time: float = 0.0
    robust: bool = False

    def to_frame(self) -> pd.DataFrame:
        """The fit as a DataFrame, one row per distinct time."""
        return pd.DataFrame({"time": self.time, "n_risk": self.n_risk, "n_event": self.n_event,
                             "n_censor": self.n_censor, "cumhaz": self.cumhaz,
                             "std_chaz": self.std_chaz})

    def hazard_at(self, times: ArrayLike) -> FloatArray:
        """Right-continuous step value :math:`\\hat H(t)` at ``times`` (0 before the first time)."""
        t = as_float_array(times, "times", allow_empty=True)
        idx = np.searchsorted(self.time, t, side="right")
        return np.concatenate(([0.0], self.cumhaz))[idx]

    def at(self, times: ArrayLike, extend: bool = False) -> pd.DataFrame:
        """Values at chosen times, as R ``summary(fit, times=, extend=)``.

        Columns ``time, n_risk, n_event, n_censor, cumhaz, std_chaz``; ``n_event`` and
        ``n_censor`` are summed over ``(previous time, time]``, ``n_risk`` is the number at
        risk just before the time (0 past the last observation).
        """
        t = np.sort(as_float_array(times, "times", allow_empty=True))
        if self.time.size and self.time[0] == self.start_time:
            time0, pre = self.time, 0
        else:
            time0, pre = np.concatenate(([self.start_time], self.time)), 1

        def add(x: FloatArray, v: float) -> FloatArray:
            return np.concatenate(([v], x)) if pre else x

        n_risk = add(self.n_risk, float(self.n_risk[0]) if self.n_risk.size else 0.0)
        if not extend:
            t = t[t <= time0[-1]]
        i1 = np.searchsorted(time0, t, side="right")
        i2 = np.searchsorted(time0, t, side="left")
        sel = np.maximum(i1, 1) - 1

        def delta(x: FloatArray) -> FloatArray:
            c = np.concatenate(([0.0], np.cumsum(x)))[i1]
            return np.diff(np.concatenate(([0.0], c)))

        return pd.DataFrame({
            "time": t,
            "n_risk": np.append(n_risk, 0.0)[i2],
            "n_event": delta(add(self.n_event, 0.0)),
            "n_censor": delta(add(self.n_censor, 0.0)),
            "cumhaz": add(self.cumhaz, 0.0)[sel],
            "std_chaz": add(self.std_chaz, 0.0)[sel],
        })


def validate_survival_input(
    time: ArrayLike, event: ArrayLike, entry: ArrayLike | None, weights: ArrayLike | None,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray | None, FloatArray | None]:
    """Convert and check ``time, event, entry, weights`` (errors name the argument)."""
    t = as_float_array(time, "time", nonnegative=entry is None)
    e = as_event_array(event, "event")
    check_same_length(time=t, event=e)
    a = None
    if entry is not None:
        a = as_float_array(entry, "entry")
        check_same_length(time=t, entry=a)
        bad = a >= t
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"entry must be < time; at position {i} entry = {a[i].item()!r} "
                             f">= time = {t[i].item()!r}")
    w = None
    if weights is not None:
        w = as_float_array(weights, "weights", nonnegative=True)
        check_same_length(time=t, weights=w)
    return t, e, a, w


def check_start_time(start_time: object) -> float:
    """Validate R's ``start.time`` (a finite number)."""
    if isinstance(start_time, bool) or not isinstance(start_time, (int, float, np.floating)):
        raise TypeError(f"start_time must be a number, got {start_time!r}")
    if not np.isfinite(start_time):
        raise ValueError(f"start_time must be finite, got {start_time!r}")
    return float(start_time)


def nelson_aalen(
    time: ArrayLike,
    event: ArrayLike,
    *,
    entry: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    ctype: int = 1,
    start_time: float | None = None,
) -> CumulativeHazard:
    r"""Cumulative hazard with its standard error, as R ``survfit(..., ctype=)$cumhaz``.

    Parameters
    ----------
    time, event : array_like
        Follow-up (stop) times and event indicators (1/True event).
    entry : array_like, optional
        Left-truncation times (``entry < time``), as R ``Surv(entry, time, event)``.
    weights : array_like, optional
        Non-negative case weights; non-integer weights give R's infinitesimal-jackknife SE.
    ctype : {1, 2}
        1 Nelson-Aalen, 2 Fleming-Harrington correction for tied events.
    start_time : float, optional
        As R ``start.time``: drop observations ending before it (a conditional hazard).

    Returns
    -------
    CumulativeHazard

    Notes
    -----
    :math:`\hat H(t) = \sum_{t_j \le t} d_j / r_j`,
    :math:`\widehat{\mathrm{Var}}\,\hat H(t) = \sum_{t_j \le t} d_j / r_j^2` (``ctype = 1``).

    References
    ----------
    Nelson (1972); Aalen (1978); Fleming & Harrington (1984); R survival 3.5 ``survfitkm.c``.

    Examples
    --------
    >>> nelson_aalen([1, 2, 2, 3], [1, 1, 0, 1]).cumhaz.round(4).tolist()
    [0.25, 0.5833, 1.5833]
    """
    ct = check_type(ctype, "ctype")
    t, e, a, w = validate_survival_input(time, event, entry, weights)
    start = None if start_time is None else check_start_time(start_time)
    if start is not None:
        keep = t >= start
        if not keep.any():
            raise ValueError(f"start_time = {start!r} removes every observation")
        t, e = t[keep], e[keep]
        a = None if a is None else a[keep]
        w = None if w is None else w[keep]
    h = hazard_arrays(t, e, a, w, ct)
    origin = min(0.0, float(h.time[0])) if start is None else start
    return CumulativeHazard(
        time=_frozen(h.time), n_risk=_frozen(h.n_risk), n_event=_frozen(h.n_event),
        n_censor=_frozen(h.n_censor), cumhaz=_frozen(h.cumhaz), std_chaz=_frozen(h.std_chaz),
        n=int(t.size), ctype=ct, start_time=origin, robust=h.robust,
    )


def exp_survival_arrays(
    h: HazardArrays, conf_type: str, conf_level: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """``stype = 2`` survival from a hazard fit: ``surv, std_err, std_err_log, lower, upper``.

    As R: the SE of :math:`\\log S` is ``std.chaz``; with the robust variance R stores
    ``std.chaz`` as the SE of :math:`S` (``logse = FALSE``), converted back with ``se / S``.
    """
    surv = np.exp(-h.cumhaz)
    if h.robust:
        se = h.std_chaz.copy()
        se_log = np.divide(se, surv, out=np.zeros_like(se), where=se != 0)
    else:
        se_log = h.std_chaz.copy()
        se = surv * se_log
    lower, upper = confint(surv, se_log, normalize_conf_type(conf_type),
                           check_conf_level(conf_level))
    return surv, se, se_log, lower, upper
