r"""Kaplan-Meier estimation, numerically identical to R survival's ``survfit``.

The estimator at the distinct observed times :math:`t_1 < \dots < t_m` is

.. math:: \hat S(t) = \prod_{t_j \le t} \Bigl(1 - \frac{d_j}{r_j}\Bigr),

with :math:`d_j` the (weighted) number of events at :math:`t_j` and :math:`r_j` the (weighted)
number at risk just before it. Its variance is Greenwood's,

.. math:: \widehat{\mathrm{Var}}\{\log \hat S(t)\} = \sum_{t_j \le t} \frac{d_j}{r_j (r_j - d_j)},

except with non-integer case weights, where R (and so survkit) uses the infinitesimal
jackknife (see :func:`survkit.estimate._core.ij_std_err`). Confidence limits come from
:mod:`survkit.estimate.ci`.

References
----------
Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations.
JASA 53:457-481. Greenwood M. (1926). The natural duration of cancer. Reports on Public
Health and Medical Subjects 33. Therneau T. (2023). A Package for Survival Analysis in R,
version 3.5 (``survfit``, ``summary.survfit``, ``quantile.survfit``, ``print.survfit``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit._validation import as_event_array, as_float_array, check_same_length
from survkit.estimate import workspace
from survkit.estimate._core import (
    Counts,
    RowCells,
    bands,
    greenwood_curve,
    greenwood_fit,
    ij_curve_sorted,
    ij_std_err,
    km_product,
    non_integer,
    risk_counts,
    weighted_fit,
)
from survkit.estimate.ci import check_conf_level, normalize_conf_type
from survkit.estimate.groups import stack_groups
from survkit.estimate.hazard import (
    check_start_time,
    check_type,
    exp_survival_arrays,
    hazard_arrays,
)

if TYPE_CHECKING:  # pragma: no cover
    from survkit.estimate.logrank import LogRank

FloatArray = NDArray[np.float64]

#: R's ``sqrt(.Machine$double.eps)``: the tolerance of its quantile rules.
_TOL = float(np.sqrt(np.finfo(np.float64).eps))


def _frozen(a: ArrayLike) -> FloatArray:
    """A read-only float64 array: fresh arrays the fit made itself are frozen in place.

    (Also a whole-array view such as the float64 view of a packed integer key, whose base
    nobody else holds.)
    """
    fresh = isinstance(a, np.ndarray) and (
        a.flags.owndata
        or (isinstance(a.base, np.ndarray) and a.base.flags.owndata and a.nbytes == a.base.nbytes)
    )
    if fresh and isinstance(a, np.ndarray) and a.dtype == np.float64:
        out = a
    else:
        out = np.array(a, dtype=np.float64)
    out.flags.writeable = False
    return out


def _read_only(a: FloatArray) -> FloatArray:
    """``a`` itself, made read-only (for a fresh array the fit made and nobody else holds)."""
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Quantile:
    """A survival-time quantile with its confidence interval.

    Attributes
    ----------
    p : float
        Probability of the event distribution (0.5 is the median: the time where
        :math:`\\hat S` falls to 0.5).
    estimate, lower, upper : float
        The quantile and its limits (``nan`` where the curve or band never reaches it).
    conf_level : float
        Confidence level of the limits.
    """

    p: float
    estimate: float
    lower: float
    upper: float
    conf_level: float

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame ``p, estimate, lower, upper``."""
        return pd.DataFrame(
            {"p": [self.p], "estimate": [self.estimate], "lower": [self.lower],
             "upper": [self.upper]}
        )


@dataclass(frozen=True)
class RMST:
    r"""Restricted mean survival time up to ``tau`` and its standard error.

    :math:`\mathrm{RMST}(\tau) = \int_0^\tau \hat S(u)\,du`, with the variance of R's
    ``print(fit, rmean=tau)``:
    :math:`\sum_j A_j^2 d_j / (r_j (r_j - d_j))`, :math:`A_j = \int_{t_j}^{\tau} \hat S(u)\,du`.

    References
    ----------
    Klein J.P., Moeschberger M.L. (2003). Survival Analysis, 2nd ed., sec. 4.5.
    """

    tau: float
    estimate: float
    std_err: float

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame ``tau, estimate, std_err``."""
        return pd.DataFrame(
            {"tau": [self.tau], "estimate": [self.estimate], "std_err": [self.std_err]}
        )


#: Marks a field not computed yet (see :class:`_Deferred`); compared by identity.
_PENDING: FloatArray = np.empty(0)
_PENDING.flags.writeable = False


class _Deferred:
    """``KaplanMeier.lower`` / ``.upper``: computed on first access, then kept.

    Both limits follow from ``surv`` and ``std_err_log``
    (:func:`survkit.estimate.ci.confint`); most uses of a fit never read them, and on long
    curves they cost more than the counting, so the fit passes :data:`_PENDING` and the
    first read computes both (into the instance ``__dict__``, as
    :func:`functools.cached_property` does) with the same operations, so the same bits, as
    an eager fit. To users the attribute is an ordinary read-only array: the frozen
    dataclass still refuses assignment, and pickling, ``repr``,
    :func:`dataclasses.replace` and :meth:`KaplanMeier.to_frame` see the values.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> _Deferred: ...

    @overload
    def __get__(self, obj: KaplanMeier, objtype: type | None = None) -> FloatArray: ...

    def __get__(self, obj: KaplanMeier | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        v = obj.__dict__[self.name]
        if v is _PENDING:
            obj._derive(self.name)
            v = obj.__dict__[self.name]
        return v

    def __set__(self, obj: KaplanMeier, value: FloatArray) -> None:
        # Reached only from the dataclass __init__ (its frozen __setattr__ refuses users).
        obj.__dict__[self.name] = value


@dataclass(frozen=True, eq=False)
class KaplanMeier:
    """A Kaplan-Meier fit: one entry per distinct observed time, as R ``survfit``.

    Attributes
    ----------
    time : ndarray
        Distinct observed (stop) times, censored ones included, increasing.
    n_risk, n_event, n_censor : ndarray
        (Weighted) numbers at risk just before ``time``, of events and of censorings at it.
    surv : ndarray
        :math:`\\hat S(t)` just after ``time``.
    std_err : ndarray
        Standard error of :math:`\\hat S` (Greenwood; infinitesimal jackknife for
        non-integer weights). ``nan`` where R reports ``NaN`` (``0 * Inf`` once S is 0).
    std_err_log : ndarray
        Standard error of :math:`\\log \\hat S`, what R stores in ``fit$std.err`` for
        unweighted or integer-weighted data (``inf`` once S is 0).
    lower, upper : ndarray
        Pointwise confidence limits (``nan`` where R's band is undefined), computed from
        ``surv`` and ``std_err_log`` on first access and then kept.
    n : int
        Number of observations.
    conf_type : str
        Canonical transform name.
    conf_level : float
        Confidence level.
    start_time : float
        Time origin of the curve: ``min(0, min(time))`` as R's ``survfit0``.
    label : str or None
        Group label when the fit is one of a :class:`KaplanMeierGroups`.
    """

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    surv: FloatArray
    std_err: FloatArray
    std_err_log: FloatArray
    lower: FloatArray
    upper: FloatArray
    n: int
    conf_type: str
    conf_level: float
    start_time: float = 0.0
    label: str | None = None
    robust: bool = field(default=False, repr=False)

    def _derive(self, name: str) -> None:
        """Fill in a deferred field (see :class:`_Deferred`): both limits at once."""
        lower, upper = bands(self.surv, self.std_err_log, self.conf_type, self.conf_level)
        self.__dict__["lower"] = _read_only(lower)
        self.__dict__["upper"] = _read_only(upper)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with every field computed (an unpickled fit holds no pending marker)."""
        for name in _DEFERRED:
            if self.__dict__.get(name) is _PENDING:
                self._derive(name)
        return self.__dict__.copy()

    # ------------------------------------------------------------------ basics
    def to_frame(self) -> pd.DataFrame:
        """The fit as a DataFrame, one row per distinct time."""
        return pd.DataFrame(
            {
                "time": self.time,
                "n_risk": self.n_risk,
                "n_event": self.n_event,
                "n_censor": self.n_censor,
                "surv": self.surv,
                "std_err": self.std_err,
                "std_err_log": self.std_err_log,
                "lower": self.lower,
                "upper": self.upper,
            }
        )

    @property
    def n_events_total(self) -> float:
        """Total (weighted) number of events."""
        return float(self.n_event.sum())

    def survival_at(self, times: ArrayLike) -> FloatArray:
        """Right-continuous step value :math:`\\hat S(t)` at ``times`` (1 before the first time)."""
        t = as_float_array(times, "times")
        idx = np.searchsorted(self.time, t, side="right")
        return np.concatenate(([1.0], self.surv))[idx]

    # ------------------------------------------------------------------ summary(times=)
    def at(self, times: ArrayLike, extend: bool = False) -> pd.DataFrame:
        """Values at chosen times, with R ``summary(fit, times=, extend=)`` semantics.

        ``times`` are sorted. ``n_risk`` is the number at risk just before each time (0 past
        the last observation); ``n_event``/``n_censor`` are summed over ``(previous requested
        time, time]``; ``surv``, ``std_err`` (of S), ``lower`` and ``upper`` are the curve's
        values at the time (1, 0, 1, 1 before the first observed time). Times past the last
        observed time are dropped unless ``extend=True``.

        Parameters
        ----------
        times : array_like
            Time points (finite).
        extend : bool
            Keep times past the last observation (the curve is flat there, ``n_risk`` 0).

        Returns
        -------
        pandas.DataFrame
            Columns ``time, n_risk, n_event, n_censor, surv, std_err, lower, upper``.
        """
        t = np.sort(as_float_array(times, "times", allow_empty=True))
        cols = _at_arrays(self, t, extend)
        return pd.DataFrame(cols)

    # ------------------------------------------------------------------ quantiles
    def median(self) -> Quantile:
        """Median survival time with CI, by R's ``print.survfit`` rule.

        The median is the first time :math:`\\hat S < 0.5 + \\epsilon`
        (:math:`\\epsilon = \\sqrt{\\text{machine eps}}`); when :math:`\\hat S` is exactly 0.5
        on a flat part, the midpoint of that part. The limits are the same rule applied to
        the lower and upper bands (Brookmeyer & Crowley 1982, Biometrics 38:29-41).
        """
        return Quantile(
            0.5,
            _minmin(self.surv, self.time),
            _minmin(self.lower, self.time),
            _minmin(self.upper, self.time),
            self.conf_level,
        )

    def quantile(self, p: float) -> Quantile:
        """The ``p``-quantile of the event-time distribution, by R's ``quantile.survfit``.

        ``p`` is a probability of the event distribution: ``quantile(0.25)`` is where
        :math:`\\hat S` falls to 0.75. Flat parts exactly at ``1 - p`` give the midpoint
        (R's ``findq``, tolerance :math:`\\sqrt{\\text{machine eps}}`).
        """
        if isinstance(p, bool) or not isinstance(p, (int, float, np.floating)):
            raise TypeError(f"p must be a number in [0, 1], got {p!r}")
        if not (0.0 <= float(p) <= 1.0):
            raise ValueError(f"p must be in [0, 1], got {p!r}")
        x = np.concatenate(([self.start_time], self.time))

        def q(band: FloatArray) -> float:
            return _findq(x, np.concatenate(([0.0], 1.0 - band)), float(p))

        return Quantile(float(p), q(self.surv), q(self.lower), q(self.upper), self.conf_level)

    # ------------------------------------------------------------------ RMST
    def rmst(self, tau: float) -> RMST:
        """Restricted mean survival time up to ``tau``, as R ``print(fit, rmean=tau)``.

        See :class:`RMST` for the formulas.
        """
        if isinstance(tau, bool) or not isinstance(tau, (int, float, np.floating)):
            raise TypeError(f"tau must be a number, got {tau!r}")
        tau = float(tau)
        if not np.isfinite(tau):
            raise ValueError(f"tau must be finite, got {tau!r}")
        if tau < self.start_time:
            raise ValueError(f"tau must be >= the start time {self.start_time}, got {tau}")
        r, d = self.n_risk, self.n_event
        rd = r - d
        hh = np.divide(d, r * rd, out=np.zeros_like(d), where=rd != 0)
        keep = self.time <= tau
        if not keep.any():
            temptime = np.array([tau])
            tempsurv = np.array([1.0])
            hk = np.array([0.0])
        else:
            temptime = np.append(self.time[keep], tau)
            sk = self.surv[keep]
            tempsurv = np.append(sk, sk[-1])
            hk = np.append(hh[keep], 0.0)
        delta = np.diff(np.concatenate(([self.start_time], temptime)))
        rect = delta * np.concatenate(([1.0], tempsurv[:-1]))
        var = float(np.sum(np.cumsum(rect[1:][::-1]) ** 2 * hk[::-1][1:]))
        return RMST(tau, float(rect.sum() + self.start_time), float(np.sqrt(var)))

    # ------------------------------------------------------------------ plot
    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the curve; returns the matplotlib Axes (options and the other handles:
        :func:`survkit.show.km.plot_km`)."""
        from survkit.show.km import plot_km

        return plot_km(self, ax=ax, **kwargs).ax


# The limits are computed on first access (installed after the dataclass has made its fields).
_DEFERRED = ("lower", "upper")
for _name in _DEFERRED:
    setattr(KaplanMeier, _name, _Deferred(_name))


# ---------------------------------------------------------------------- helpers
def _at_arrays(fit: KaplanMeier, t: FloatArray, extend: bool) -> dict[str, FloatArray]:
    """R ``summary.survfit(times=)`` on a single curve (``findrow`` of survival 3.5)."""
    # survfit0: prepend the start row unless the first time is the start time.
    if fit.time.size and fit.time[0] == fit.start_time:
        time0 = fit.time
        pre = 0
    else:
        time0 = np.concatenate(([fit.start_time], fit.time))
        pre = 1

    def add(x: FloatArray, v: float) -> FloatArray:
        return np.concatenate(([v], x)) if pre else x

    surv = add(fit.surv, 1.0)
    se = add(fit.std_err, 0.0)
    lo = add(fit.lower, 1.0)
    up = add(fit.upper, 1.0)
    n_risk = add(fit.n_risk, float(fit.n_risk[0]) if fit.n_risk.size else 0.0)
    n_event = add(fit.n_event, 0.0)
    n_censor = add(fit.n_censor, 0.0)
    if not extend:
        t = t[t <= time0[-1]]
    i1 = np.searchsorted(time0, t, side="right")  # R findInterval
    i2 = np.searchsorted(time0, t, side="left")  # R 1 + findInterval(left.open) - 1
    sel = np.maximum(i1, 1) - 1

    def delta(x: FloatArray) -> FloatArray:
        c = np.concatenate(([0.0], np.cumsum(x)))[i1]
        return np.diff(np.concatenate(([0.0], c)))

    return {
        "time": t,
        "n_risk": np.append(n_risk, 0.0)[i2],
        "n_event": delta(n_event),
        "n_censor": delta(n_censor),
        "surv": surv[sel],
        "std_err": se[sel],
        "lower": lo[sel],
        "upper": up[sel],
    }


def _minmin(y: FloatArray, x: FloatArray) -> float:
    """R ``survmean``'s median rule on one band (``minmin`` in survival 3.5)."""
    keep = ~np.isnan(y) & (y < 0.5 + _TOL)
    if not keep.any():
        return float("nan")
    xk, yk = x[keep], y[keep]
    if abs(yk[0] - 0.5) < _TOL:
        below = np.flatnonzero(yk < yk[0])
        if below.size:
            return float((xk[0] + xk[below[0]]) / 2.0)
    return float(xk[0])


def _approx_const_right(xa: FloatArray, ya: FloatArray, v: float) -> float:
    """R ``approx(xa, ya, v, method="constant", f=1)`` (ties averaged, NA pairs dropped)."""
    ok = ~np.isnan(xa)
    xa, ya = xa[ok], ya[ok]
    if xa.size == 0:
        return float("nan")
    order = np.argsort(xa, kind="stable")
    xa, ya = xa[order], ya[order]
    ux, inv = np.unique(xa, return_inverse=True)
    uy = np.bincount(inv, weights=ya) / np.bincount(inv)
    if v < ux[0] or v > ux[-1]:
        return float("nan")
    j = int(np.searchsorted(ux, v, side="left"))
    return float(uy[j])


def _findq(x: FloatArray, y: FloatArray, p: float) -> float:
    """R ``findq`` (survival 3.5): the time where the CDF curve ``y`` reaches ``p``."""
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return float("nan")
    xmax = x[-1]
    # drop duplicated y values (NaN duplicates NaN), keeping first occurrences
    _, first = np.unique(np.where(np.isnan(y), np.inf, y), return_index=True)
    keepi = np.sort(first)
    x, y = x[keepi], y[keepi]
    n = y.size
    idx = np.arange(1, n + 1, dtype=np.float64)
    i1 = _approx_const_right(y + _TOL, idx, p)
    i2 = _approx_const_right(y - _TOL, idx, p)
    if p == 0:
        return float(x[0])
    if np.isnan(i1) or np.isnan(i2):
        quant = float("nan")
    else:
        quant = float((x[int(i1) - 1] + x[int(i2) - 1]) / 2.0)
    if not np.isnan(y[-1]) and abs(p - y[-1]) < _TOL:
        quant = float("nan") if np.isnan(i1) else float((x[int(i1) - 1] + xmax) / 2.0)
    return quant


# ---------------------------------------------------------------------- fitting
def fit_arrays(
    time: FloatArray,
    event: NDArray[np.bool_],
    entry: FloatArray | None,
    weights: FloatArray | None,
    conf_type: str,
    conf_level: float,
    label: str | None = None,
) -> KaplanMeier:
    """The Kaplan-Meier fit of validated arrays (the package's one fitting path).

    ``time``, ``event``, ``entry`` and ``weights`` must already be checked and converted
    (as :func:`kaplan_meier` does at its boundary); ``conf_type`` is an R ``conf.type`` name.
    Used inside survkit where the arrays are known to be clean (e.g. the reverse
    Kaplan-Meier of the follow-up); not exported.
    """
    robust = weights is not None and non_integer(weights)
    if weights is not None and entry is None:
        counts, surv, se, se_log = weighted_fit(time, event, weights, robust)
        return _assemble(counts, surv, se, se_log, int(time.size), conf_type, conf_level,
                         label, robust=robust, fresh=True)
    if robust and weights is not None:
        cells: list[RowCells] = []
        counts = risk_counts(time, event, entry, weights, cells)
        if entry is None and cells[0].cell is None:  # one subject per time, rows sorted
            surv, se, se_log = ij_curve_sorted(counts, cells[0], float((weights * weights).sum()))
        else:
            surv = km_product(counts.n_risk, counts.n_event)
            se = ij_std_err(time, event, entry, weights, counts, surv, cells[0])
            se_log = np.divide(se, surv, out=np.zeros_like(se), where=se != 0)
        return _assemble(counts, surv, se, se_log, int(time.size), conf_type, conf_level,
                         label, robust=True, fresh=True)
    # Greenwood: every array is fresh and held by nothing else -- frozen in place
    counts, surv, se, gw_log = greenwood_fit(time, event, entry, weights)
    return _assemble(counts, surv, se, gw_log, int(time.size), conf_type, conf_level, label,
                     robust=False, fresh=True)


def fit_counts(
    counts: Counts,
    n: int,
    conf_type: str,
    conf_level: float,
    *,
    label: str | None = None,
    std_err: FloatArray | None = None,
) -> KaplanMeier:
    """The :class:`KaplanMeier` of risk-set counts (the one place a fit is assembled).

    ``conf_type`` canonical and ``conf_level`` checked; the counts arrays must be fresh
    (they are frozen in place). ``std_err`` is the SE of S when it does not come from
    Greenwood's formula (the infinitesimal jackknife for non-integer weights).
    """
    robust = std_err is not None
    if std_err is not None:
        surv = km_product(counts.n_risk, counts.n_event)
        se = _frozen(std_err)  # the caller's array unless the fit made it
        se_log = np.divide(se, surv, out=np.zeros_like(se), where=se != 0)
    else:
        # Greenwood; R's surv * std.err is NaN once the curve has reached 0 (0 * Inf).
        surv, se, se_log = greenwood_curve(counts.n_risk, counts.n_event)
    return _assemble(counts, surv, se, se_log, n, conf_type, conf_level, label, robust=robust,
                     fresh=False)


def _assemble(
    counts: Counts, surv: FloatArray, se: FloatArray, se_log: FloatArray, n: int,
    conf_type: str, conf_level: float, label: str | None, *, robust: bool, fresh: bool,
) -> KaplanMeier:
    """The :class:`KaplanMeier` of counts and curve; ``fresh``: every array is the fit's own
    (frozen in place; else the counts are copied unless they are)."""
    # the curve arrays are always the fit's own: frozen in place, not copied
    surv, se, se_log = (_read_only(a) for a in (surv, se, se_log))
    fz = _read_only if fresh else _frozen
    # R survfit0/survmean: the curve starts at min(0, first observed time).
    start = min(0.0, float(counts.time[0]))
    return KaplanMeier(
        time=fz(counts.time),
        n_risk=fz(counts.n_risk),
        n_event=fz(counts.n_event),
        n_censor=fz(counts.n_censor),
        surv=surv,
        std_err=se,
        std_err_log=se_log,
        lower=_PENDING,  # confint(surv, se_log), computed on first access
        upper=_PENDING,
        n=n,
        conf_type=conf_type,
        conf_level=conf_level,
        start_time=start,
        label=label,
        robust=robust,
    )


def _validate(
    time: Any, event: Any, entry: Any, weights: Any, columns: dict[str, str] | None = None
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray | None, FloatArray | None]:
    """Validate the inputs; with ``columns`` (argument -> column name) errors name rows."""
    rows = columns is not None
    cols = columns or {}

    def nm(arg: str) -> str:
        return f"{arg} column {cols[arg]!r}" if arg in cols else arg

    t = _clean_floats(time, nonnegative=entry is None)
    if t is None:
        t = as_float_array(time, nm("time"), nonnegative=entry is None, rows=rows)
    e = _clean_events(event)
    if e is None:
        e = as_event_array(event, nm("event"), rows=rows)
    check_same_length(time=t, event=e)
    a: FloatArray | None = None
    if entry is not None:
        a = _clean_floats(entry, nonnegative=False)
        if a is None:
            a = as_float_array(entry, nm("entry"), rows=rows)
        check_same_length(time=t, entry=a)
        if _any_at_or_after(a, t):
            i = int(np.flatnonzero(a >= t)[0])
            where = f"row {i}" if rows else f"position {i}"
            raise ValueError(
                f"entry must be < time; at {where} entry = {a[i].item()!r} >= "
                f"time = {t[i].item()!r}"
            )
    w: FloatArray | None = None
    if weights is not None:
        w = _clean_floats(weights, nonnegative=True)
        if w is None:
            w = as_float_array(weights, nm("weights"), nonnegative=True, rows=rows)
        check_same_length(time=t, weights=w)
    return t, e, a, w


def _any_at_or_after(a: FloatArray, t: FloatArray) -> bool:
    """Whether some ``a[i] >= t[i]`` (block by block: no temporary of the rows' size)."""
    k = min(1 << 17, a.size)
    buf = workspace.empty(k, np.bool_)
    for lo in range(0, a.size, k):
        hi = min(lo + k, a.size)
        if np.greater_equal(a[lo:hi], t[lo:hi], out=buf[: hi - lo]).any():
            return True
    return False


def _clean_floats(x: Any, *, nonnegative: bool) -> FloatArray | None:
    """``x`` itself when it is a non-empty 1-D float64 array of finite (non-negative) values.

    Two reductions instead of a mask per check: ``min`` and ``max`` are NaN when any value is,
    and infinite when any is. ``None`` sends the input through the full validation, which
    names the offending position.
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64 and x.ndim == 1 and x.size):
        return None
    lo, hi = float(x.min()), float(x.max())
    if not (np.isfinite(lo) and np.isfinite(hi)) or (nonnegative and lo < 0.0):
        return None
    return x


def _clean_events(x: Any) -> NDArray[np.bool_] | None:
    """``x`` as booleans when it is a non-empty 1-D boolean or integer array of 0/1 values
    (checked by ``min`` and ``max``); ``None`` sends it through the full validation."""
    if not (isinstance(x, np.ndarray) and x.ndim == 1 and x.size):
        return None
    if x.dtype == np.bool_:
        return x
    if x.dtype.kind not in "iu" or x.min() < 0 or x.max() > 1:
        return None
    # x != 0 is x.astype(bool); in a kept block (10 MB of fresh pages at 1e7 rows otherwise)
    return np.not_equal(x, 0, out=workspace.empty(x.size, np.bool_))


@dataclass(frozen=True, eq=False)
class KaplanMeierGroups(Mapping[str, KaplanMeier]):
    """Kaplan-Meier fits by group: a read-only mapping ``label -> KaplanMeier``.

    Groups are ordered as R orders factor levels (sorted labels). The input data are kept
    so that :meth:`logrank` can compare the groups.
    """

    fits: Mapping[str, KaplanMeier]
    by: str
    # The patient rows, for logrank(); None when the fits were made from counts (an
    # out-of-core engine), whose log-rank then comes from the fits' own counts.
    _time: FloatArray | None = field(default=None, repr=False)
    _event: NDArray[np.bool_] | None = field(default=None, repr=False)
    _group: NDArray[Any] | None = field(default=None, repr=False)
    #: Options the log-rank test cannot honour (``"weights"``, ``"entry"``), see :meth:`logrank`.
    _not_in_logrank: tuple[str, ...] = field(default=(), repr=False)

    def __getitem__(self, key: str) -> KaplanMeier:
        return self.fits[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fits)

    def __len__(self) -> int:
        return len(self.fits)

    def to_frame(self) -> pd.DataFrame:
        """All fits stacked, with a leading column named after ``by``."""
        return stack_groups(self.by, {k: f.to_frame() for k, f in self.fits.items()})

    def at(self, times: ArrayLike, extend: bool = False) -> pd.DataFrame:
        """:meth:`KaplanMeier.at` for every group, stacked with a group column."""
        return stack_groups(self.by, {k: f.at(times, extend) for k, f in self.fits.items()})

    def medians(self) -> pd.DataFrame:
        """R's print table per group: ``n, events, median, lower, upper``."""
        rows = []
        for k, f in self.fits.items():
            m = f.median()
            rows.append({self.by: k, "n": f.n, "events": f.n_events_total,
                         "median": m.estimate, "lower": m.lower, "upper": m.upper})
        return pd.DataFrame(rows)

    def logrank(self, rho: float = 0.0) -> LogRank:
        """Log-rank test between the groups (R ``survdiff``; ``rho``: G-rho weights).

        Raises
        ------
        ValueError
            When the curves were fitted with ``weights`` or ``entry``: R's ``survdiff`` accepts
            neither (no weights argument; "Right censored data only"), and a test that ignored
            them would not be the test of these curves.
        """
        from survkit.estimate.logrank import logrank_test

        if self._not_in_logrank:
            given = " and ".join(f"{k}=" for k in self._not_in_logrank)
            raise ValueError(
                f"logrank(): the curves were fitted with {given}, which the log-rank test "
                "(R survdiff) does not support; refit without them to compare the groups"
            )

        if self._time is None or self._event is None or self._group is None:
            from survkit.estimate.counts import logrank_from_counts

            fits = list(self.fits.items())
            return logrank_from_counts(
                np.concatenate([f.time for _, f in fits]),
                np.concatenate([f.n_event for _, f in fits]),
                np.concatenate([f.n_censor for _, f in fits]),
                np.concatenate([np.full(f.time.size, k, dtype=object) for k, f in fits]),
                rho=rho,
            )
        return logrank_test(self._time, self._event, self._group, rho=rho)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw all curves; returns the matplotlib Axes (options and the other handles:
        :func:`survkit.show.km.plot_km`)."""
        from survkit.show.km import plot_km

        return plot_km(self, ax=ax, **kwargs).ax


@overload
def kaplan_meier(
    time: ArrayLike,
    event: ArrayLike,
    *,
    entry: ArrayLike | None = ...,
    weights: ArrayLike | None = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    data: None = ...,
    by: None = ...,
    stype: int = ...,
    ctype: int = ...,
    start_time: float | None = ...,
) -> KaplanMeier: ...


@overload
def kaplan_meier(
    time: str,
    event: str,
    *,
    entry: str | None = ...,
    weights: str | None = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    data: pd.DataFrame,
    by: str,
    stype: int = ...,
    ctype: int = ...,
    start_time: float | None = ...,
) -> KaplanMeierGroups: ...


@overload
def kaplan_meier(
    time: Any = ...,
    event: Any = ...,
    *,
    entry: Any = ...,
    weights: Any = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    data: Any = ...,
    by: str | None = ...,
    stype: int = ...,
    ctype: int = ...,
    start_time: float | None = ...,
) -> KaplanMeier | KaplanMeierGroups: ...


def kaplan_meier(
    time: Any = None,
    event: Any = None,
    *,
    entry: Any = None,
    weights: Any = None,
    conf_type: str = "log",
    conf_level: float = 0.95,
    data: Any = None,
    by: str | None = None,
    stype: int = 1,
    ctype: int = 1,
    start_time: float | None = None,
) -> KaplanMeier | KaplanMeierGroups:
    r"""Kaplan-Meier estimate with Greenwood variance and R's confidence intervals.

    Parameters
    ----------
    time : array_like or str
        Follow-up (stop) times, non-negative without ``entry``; a column name with ``data``.
    event : array_like or str
        Event indicator (1/True event, 0/False censored); a column name with ``data``.
    entry : array_like or str, optional
        Entry (left-truncation) times, ``entry < time``; as R ``Surv(entry, time, event)``:
        a subject is at risk at :math:`u` when ``entry < u <= time``.
    weights : array_like or str, optional
        Non-negative case weights, as R ``survfit(..., weights=)``. With non-integer weights
        the standard error is R's infinitesimal jackknife rather than Greenwood's.
    conf_type : {"log", "log-log", "plain", "logit", "arcsin"}
        CI transform, default ``"log"`` as in R (aliases ``"linear"``, ``"loglog"``,
        ``"exponential"``).
    conf_level : float
        Confidence level in (0, 1).
    data : pandas.DataFrame, DuckDB relation, Dask DataFrame or path, optional
        Take ``time``, ``event``, ``entry``, ``weights`` and ``by`` as column names of it.
        Past memory: a DuckDB relation, a Dask DataFrame, or the path of a Parquet or CSV
        file (scanned out-of-core by DuckDB). The counting runs inside the engine and only
        the counts per (group, time) come back; the fits are those of the in-memory data
        (see :mod:`survkit.estimate.engines`; no ``weights`` there).
    by : str, optional
        With ``data``: fit one curve per value of this column.
    stype : {1, 2}
        R's ``stype``: 1 Kaplan-Meier, 2 :math:`\exp(-\hat H)` (Fleming-Harrington survival,
        :mod:`survkit.estimate.hazard`).
    ctype : {1, 2}
        R's ``ctype`` for the hazard behind ``stype=2``: 1 Nelson-Aalen, 2 Fleming-Harrington
        tie correction. (Use :func:`survkit.estimate.hazard.nelson_aalen` for the hazard.)
    start_time : float, optional
        R's ``start.time``: drop observations that end before it; the curve is survival
        conditional on being under observation at ``start_time`` and starts there.

    Returns
    -------
    KaplanMeier or KaplanMeierGroups
        A single fit, or a mapping of fits when ``by`` is given.

    Notes
    -----
    :math:`\hat S(t) = \prod_{t_j \le t}(1 - d_j/r_j)`;
    :math:`\widehat{\mathrm{Var}}(\log \hat S) = \sum d_j / (r_j(r_j - d_j))`.
    Numerically identical to R survival 3.5 ``survfit(Surv(...) ~ 1, conf.type=...)``.

    References
    ----------
    Kaplan & Meier (1958), JASA 53:457-481; Greenwood (1926); R survival 3.5 ``survfit``.

    Examples
    --------
    >>> fit = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
    >>> fit.surv.round(3).tolist()
    [0.8, 0.6, 0.3, 0.0]
    """
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    opts = _Options(check_type(stype, "stype"), check_type(ctype, "ctype"),
                    None if start_time is None else check_start_time(start_time))
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            from survkit.estimate.engines import kaplan_meier_engine

            if opts != _Options():
                raise ValueError("stype, ctype and start_time are not supported with a DuckDB, "
                                 "Dask or file data source; load the rows into pandas")
            return kaplan_meier_engine(
                data, time, event, entry=entry, weights=weights, by=by, conf_type=ct,
                conf_level=level,
            )
        cols = {"time": time, "event": event, "entry": entry, "weights": weights, "by": by}
        for arg, col in cols.items():
            if col is None:
                continue
            if not isinstance(col, str):
                raise TypeError(f"with data=, {arg} must be a column name, got {col!r}")
            if col not in data.columns:
                raise ValueError(f"{arg}: column {col!r} not in data")
        if time is None or event is None:
            raise ValueError("with data=, time and event column names are required")
        t, e, a, w = _validate(
            data[time].to_numpy(),
            data[event].to_numpy(),
            None if entry is None else data[entry].to_numpy(),
            None if weights is None else data[weights].to_numpy(),
            columns={k: v for k, v in cols.items() if isinstance(v, str)},
        )
        keep = opts.keep(t)
        if by is None:
            return _fit_with_options(*_subset(keep, t, e, a, w), ct, level, opts)
        g = data[by].to_numpy()
        miss = pd.isna(g)
        if miss.any():
            raise ValueError(f"by: column {by!r} has a missing value at row {int(np.argmax(miss))}")
        if keep is not None:
            t, e, a, w = _subset(keep, t, e, a, w)
            g = g[keep]
        labels = sorted(pd.unique(g).tolist(), key=lambda v: (str(type(v)), v))
        fits: dict[str, KaplanMeier] = {}
        for lab in labels:
            m = g == lab
            fits[str(lab)] = _fit_with_options(
                t[m], e[m], None if a is None else a[m], None if w is None else w[m],
                ct, level, opts, label=str(lab),
            )
        unsupported = tuple(k for k, v in (("weights", w), ("entry", a)) if v is not None)
        return KaplanMeierGroups(fits, by, t, e, g.astype(str), unsupported)
    if time is None or event is None:
        raise TypeError("kaplan_meier() needs time and event (arrays, or column names with data=)")
    if by is not None:
        raise ValueError("by= needs data=")
    t, e, a, w = _validate(time, event, entry, weights)
    return _fit_with_options(*_subset(opts.keep(t), t, e, a, w), ct, level, opts)


@dataclass(frozen=True)
class _Options:
    """R's ``stype``, ``ctype`` and ``start.time`` of one ``kaplan_meier`` call."""

    stype: int = 1
    ctype: int = 1
    start_time: float | None = None

    def keep(self, time: FloatArray) -> NDArray[np.bool_] | None:
        """Rows kept by ``start_time`` (R: stop time >= start.time), or None for all."""
        if self.start_time is None:
            return None
        keep = time >= self.start_time
        if not keep.any():
            raise ValueError(f"start_time = {self.start_time!r} removes every observation "
                             f"(last time {float(time.max())!r})")
        return keep


def _subset(
    keep: NDArray[np.bool_] | None, t: FloatArray, e: NDArray[np.bool_],
    a: FloatArray | None, w: FloatArray | None,
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray | None, FloatArray | None]:
    if keep is None:
        return t, e, a, w
    return t[keep], e[keep], None if a is None else a[keep], None if w is None else w[keep]


def _fit_with_options(
    time: FloatArray, event: NDArray[np.bool_], entry: FloatArray | None,
    weights: FloatArray | None, conf_type: str, conf_level: float, opts: _Options,
    label: str | None = None,
) -> KaplanMeier:
    """Kaplan-Meier, or R's ``stype = 2`` curve, with R's ``start.time`` as its origin."""
    if opts.stype == 1:
        fit = fit_arrays(time, event, entry, weights, conf_type, conf_level, label)
    else:
        h = hazard_arrays(time, event, entry, weights, opts.ctype)
        surv, se, se_log, lower, upper = exp_survival_arrays(h, conf_type, conf_level)
        fit = KaplanMeier(
            time=_frozen(h.time), n_risk=_frozen(h.n_risk), n_event=_frozen(h.n_event),
            n_censor=_frozen(h.n_censor), surv=_frozen(surv), std_err=_frozen(se),
            std_err_log=_frozen(se_log), lower=_frozen(lower), upper=_frozen(upper),
            n=int(time.size), conf_type=conf_type, conf_level=conf_level,
            start_time=min(0.0, float(h.time[0])), label=label, robust=h.robust,
        )
    if opts.start_time is not None:
        fit = replace(fit, start_time=opts.start_time)
    return fit
