r"""Cumulative incidence of competing risks (Aalen-Johansen), identical to R survival.

With causes :math:`k = 1..K`, distinct times :math:`t_1 < \dots < t_m`, (weighted) numbers at
risk :math:`W_j` and events of cause :math:`k` :math:`D_{kj}` (:math:`D_j = \sum_k D_{kj}`),
the Aalen-Johansen estimator of a competing-risks model started in one state is

.. math::

    \hat S(t_j) = \prod_{l \le j} \Bigl(1 - \frac{D_l}{W_l}\Bigr), \qquad
    \hat F_k(t_j) = \sum_{l \le j} \hat S(t_{l-1}) \frac{D_{kl}}{W_l},

the event-free probability (state "(s0)" in R) and the cumulative incidence of cause
:math:`k` (R's ``pstate``). Tied times are handled as R does: all events at a time enter
together (no jitter).

The standard error is the infinitesimal jackknife of R's multi-state ``survfit`` (each
observation its own cluster): with :math:`U_i(t) = \partial \hat p(t) / \partial w_i`,
:math:`\widehat{\mathrm{Var}}\,\hat p(t) = \sum_i w_i^2 U_i(t)^2`. For one starting state,
with :math:`a_l = D_l / (W_l (W_l - D_l))`, :math:`A_i(t) = \sum_{l \le t} Y_i(t_l)a_l -
dN_i(t_l)/(W_l - D_l)` (:math:`Y_i` at risk, :math:`dN_i` any event of subject :math:`i`),

.. math::

    U_{ik}(t) = \sum_{t_l \le t} \Bigl[\Delta \hat F_k(t_l)\, A_i(t_{l-1})
        + \frac{Y_i(t_l)\, \hat S(t_{l-1})}{W_l}
          \bigl(dN_{ik}(t_l) - \tfrac{D_{kl}}{W_l}\bigr)\Bigr],

and :math:`U_{i0}(t) = \hat S(t) A_i(t)`. These sums are accumulated over subjects in
:math:`O(n \log n)` (entered-minus-finished running sums of a few quadratic forms), not by
the :math:`O(nm)` recursion of R's C code.

Confidence limits are R's ``survfit_confint(p, se, logse = FALSE)`` on :math:`\hat F_k`:
the transforms of :mod:`survkit.estimate.ci` applied with :math:`SE(\log \hat F) =
SE(\hat F)/\hat F`.

References
----------
Aalen O.O., Johansen S. (1978). An empirical transition matrix for non-homogeneous Markov
chains based on censored observations. Scand J Stat 5:141-150. Therneau T., Crowson C.,
Atkinson E. (2023). Multi-state models and competing risks (survival vignette, sec. 2) and
"The survfit function: methods" (infinitesimal jackknife); R survival 3.5 ``survfitCI``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit._validation import as_float_array, check_same_length
from survkit.estimate.ci import check_conf_level, normalize_conf_type, transform_bounds, z_value
from survkit.estimate.groups import stack_groups

if TYPE_CHECKING:  # pragma: no cover
    from survkit.estimate.gray import GrayTest

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

__all__ = ["CumulativeIncidence", "CumulativeIncidenceGroups", "cumulative_incidence"]


def _frozen(a: ArrayLike) -> FloatArray:
    out = np.array(a, dtype=np.float64)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class CumulativeIncidence:
    """An Aalen-Johansen fit: one row per distinct observed time, one column per cause.

    Attributes
    ----------
    time : ndarray, shape (m,)
        Distinct observed times (censored ones included), increasing.
    causes : tuple of str
        Cause labels, in R's factor order (sorted), the censoring label excluded.
    n_risk : ndarray, shape (m,)
        Number of subjects at risk just before ``time`` (unweighted, as R's multi-state
        ``survfit`` reports it).
    n_event : ndarray, shape (m, K)
        Number of events of each cause at ``time`` (unweighted).
    n_censor : ndarray, shape (m,)
        Number censored at ``time`` (unweighted).
    estimate, std_err, lower, upper : ndarray, shape (m, K)
        Cumulative incidence of each cause just after ``time``, its infinitesimal-jackknife
        standard error and pointwise limits (``nan`` where R's band is undefined).
    surv, surv_std_err : ndarray, shape (m,)
        Probability of being event-free (R's state ``"(s0)"``) and its standard error.
    n : int
        Number of observations used.
    conf_type, conf_level
        The CI transform (canonical name) and level.
    start_time : float
        Time origin of the curves (``min(0, min(time))``, or the ``start_time`` given).
    label : str or None
        Group label when the fit is one of a :class:`CumulativeIncidenceGroups`.
    """

    time: FloatArray
    causes: tuple[str, ...]
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray
    estimate: FloatArray
    std_err: FloatArray
    lower: FloatArray
    upper: FloatArray
    surv: FloatArray
    surv_std_err: FloatArray
    n: int
    conf_type: str
    conf_level: float
    start_time: float = 0.0
    label: str | None = None

    def _col(self, cause: object) -> int:
        key = str(cause)
        if key not in self.causes:
            raise ValueError(f"cause must be one of {list(self.causes)}, got {cause!r}")
        return self.causes.index(key)

    def to_frame(self) -> pd.DataFrame:
        """Long table, one row per time and cause.

        Columns ``time, cause, n_risk, n_event, n_censor, estimate, std_err, lower, upper``.
        """
        m, k = self.estimate.shape
        return pd.DataFrame(
            {
                "time": np.repeat(self.time, k),
                "cause": np.tile(np.array(self.causes, dtype=object), m),
                "n_risk": np.repeat(self.n_risk, k),
                "n_event": self.n_event.ravel(),
                "n_censor": np.repeat(self.n_censor, k),
                "estimate": self.estimate.ravel(),
                "std_err": self.std_err.ravel(),
                "lower": self.lower.ravel(),
                "upper": self.upper.ravel(),
            }
        )

    def incidence_at(self, times: ArrayLike, cause: object) -> FloatArray:
        """Right-continuous step value :math:`\\hat F_k(t)` of one cause at ``times``."""
        t = as_float_array(times, "times", allow_empty=True)
        idx = np.searchsorted(self.time, t, side="right")
        return np.concatenate(([0.0], self.estimate[:, self._col(cause)]))[idx]

    def at(self, times: ArrayLike, extend: bool = False) -> pd.DataFrame:
        """Values at chosen times, as R ``summary(fit, times=, extend=)``.

        ``times`` are sorted; times past the last observation are dropped unless
        ``extend=True``. Before the first observed time the incidence is 0 with standard
        error 0 and limits 0 (R's ``survfit0`` start row).

        Returns
        -------
        pandas.DataFrame
            One row per time and cause: ``time, cause, n_risk, estimate, std_err, lower,
            upper`` (``n_risk``: number at risk just before the time, 0 past the end).
        """
        t = np.sort(as_float_array(times, "times", allow_empty=True))
        if self.time.size and self.time[0] == self.start_time:
            time0 = self.time
            pre = 0
        else:
            time0 = np.concatenate(([self.start_time], self.time))
            pre = 1
        k = len(self.causes)

        def add(x: FloatArray, v: float) -> FloatArray:
            if not pre:
                return x
            row = np.full((1, *x.shape[1:]), v)
            return np.concatenate((row, x))

        n_risk = add(self.n_risk, float(self.n_risk[0]) if self.n_risk.size else 0.0)
        est, se = add(self.estimate, 0.0), add(self.std_err, 0.0)
        lo, up = add(self.lower, 0.0), add(self.upper, 0.0)
        if not extend:
            t = t[t <= time0[-1]]
        i1 = np.searchsorted(time0, t, side="right")
        i2 = np.searchsorted(time0, t, side="left")
        sel = np.maximum(i1, 1) - 1
        nr = np.append(n_risk, 0.0)[i2]
        return pd.DataFrame(
            {
                "time": np.repeat(t, k),
                "cause": np.tile(np.array(self.causes, dtype=object), t.size),
                "n_risk": np.repeat(nr, k),
                "estimate": est[sel].ravel(),
                "std_err": se[sel].ravel(),
                "lower": lo[sel].ravel(),
                "upper": up[sel].ravel(),
            }
        )

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the curves (see :func:`survkit.show.cif.plot_cif` for the options)."""
        from survkit.show.cif import plot_cif

        return plot_cif(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class CumulativeIncidenceGroups(Mapping[str, CumulativeIncidence]):
    """Cumulative incidence fits by group: a read-only mapping ``label -> fit``.

    Groups are ordered as R orders factor levels (sorted labels); :meth:`gray_test`
    compares them as ``cmprsk::cuminc``.
    """

    fits: Mapping[str, CumulativeIncidence]
    by: str
    _time: FloatArray = field(repr=False)
    _code: IntArray = field(repr=False)
    _causes: tuple[str, ...] = field(repr=False)
    _group: NDArray[Any] = field(repr=False)
    _plain: bool = field(repr=False, default=True)

    def __getitem__(self, key: str) -> CumulativeIncidence:
        return self.fits[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fits)

    def __len__(self) -> int:
        return len(self.fits)

    def to_frame(self) -> pd.DataFrame:
        """All fits stacked, with a leading column named after ``by``."""
        return stack_groups(self.by, {k: f.to_frame() for k, f in self.fits.items()})

    def at(self, times: ArrayLike, extend: bool = False) -> pd.DataFrame:
        """:meth:`CumulativeIncidence.at` for every group, stacked with a group column."""
        return stack_groups(self.by, {k: f.at(times, extend) for k, f in self.fits.items()})

    def gray_test(self, rho: float = 0.0, strata: ArrayLike | None = None) -> GrayTest:
        """Gray's test of equal cumulative incidence between the groups, per cause.

        Identical to ``cmprsk::cuminc(time, cause, group, rho=, strata=)$Tests``; see
        :func:`survkit.estimate.gray.gray_test`. Not defined with weights or left
        truncation (cmprsk has neither).
        """
        from survkit.estimate.gray import gray_test_codes

        if not self._plain:
            raise ValueError("gray_test needs unweighted right-censored data "
                             "(no entry, no weights)")
        return gray_test_codes(self._time, self._code, self._causes, self._group,
                               rho=rho, strata=strata)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw all groups (see :func:`survkit.show.cif.plot_cif`)."""
        from survkit.show.cif import plot_cif

        return plot_cif(self, ax=ax, **kwargs)


# ---------------------------------------------------------------------- input
def cause_codes(cause: Any, censored: Any, name: str = "cause",
                rows: bool = False) -> tuple[IntArray, tuple[str, ...]]:
    """Integer codes (0 censored, 1..K causes in sorted-label order) and the cause labels.

    ``cause`` holds a censoring label (``censored``, default 0) and one label per cause:
    numbers or strings. Raises ``ValueError`` naming the first missing value, and
    ``TypeError`` for a string passed where an array is expected.
    """
    if isinstance(cause, (str, bytes)):
        raise TypeError(f"{name} must be array-like, got a string")
    arr = np.asarray(cause)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got {arr.ndim}-D")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    miss = pd.isna(arr)
    if np.any(miss):
        i = int(np.argmax(miss))
        raise ValueError(f"{name} has a missing value at {'row ' if rows else name + '['}{i}"
                         f"{'' if rows else ']'}")
    if arr.dtype.kind == "f" and np.any(np.isinf(arr)):
        i = int(np.argmax(np.isinf(arr)))
        raise ValueError(f"{name} has an infinite value at position {i}")
    is_cens = arr == censored
    if arr.dtype.kind in "biuf":
        try:
            cens_val = float(censored)
        except (TypeError, ValueError):
            raise TypeError(f"censored must be a number for a numeric {name}, "
                            f"got {censored!r}") from None
        is_cens = arr.astype(np.float64) == cens_val
    ev = ~is_cens
    labels_raw = pd.unique(arr[ev])
    try:
        labels = sorted(labels_raw.tolist())
    except TypeError:
        labels = sorted(labels_raw.tolist(), key=str)
    if not labels:
        raise ValueError(f"{name} has no event: every value is the censoring label {censored!r}")
    codes = np.zeros(arr.size, dtype=np.intp)
    codes[ev] = pd.Index(labels).get_indexer(arr[ev]) + 1
    return codes, tuple(_label(v) for v in labels)


def _label(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ---------------------------------------------------------------------- kernel
def _ongoing_sums(
    vals: list[FloatArray], entry: FloatArray | None, e_order: IntArray | None,
    ut: FloatArray, j_stop: IntArray, m: int,
) -> list[FloatArray]:
    """For each array of per-subject values: its sum over subjects at risk and not finished
    at each time (``entry < t_j < stop``)."""
    out = []
    for v in vals:
        if entry is None:
            entered = np.full(m, v.sum())
        else:
            assert e_order is not None
            cum = np.concatenate(([0.0], np.cumsum(v[e_order])))
            entered = cum[np.searchsorted(entry[e_order], ut, side="left")]
        finished = np.bincount(j_stop, weights=v, minlength=m).cumsum()
        out.append(entered - finished)
    return out


def _fit(
    time: FloatArray,
    code: IntArray,
    causes: tuple[str, ...],
    entry: FloatArray | None,
    weights: FloatArray | None,
    conf_type: str,
    conf_level: float,
    start_time: float | None = None,
    label: str | None = None,
) -> CumulativeIncidence:
    n = time.size
    k = len(causes)
    w = np.ones(n) if weights is None else weights
    ut, j_stop = np.unique(time, return_inverse=True)
    j_stop = j_stop.astype(np.intp)
    m = ut.size
    # unweighted counts (as R's survfitci reports them) and weighted sums
    tot_n = np.bincount(j_stop, minlength=m).astype(np.float64)
    cell = j_stop * (k + 1) + code
    ev_n = np.bincount(cell, minlength=m * (k + 1)).astype(np.float64).reshape(m, k + 1)
    ev_w = np.bincount(cell, weights=w, minlength=m * (k + 1)).reshape(m, k + 1)
    tot_w = np.bincount(j_stop, weights=w, minlength=m)
    r_n = np.cumsum(tot_n[::-1])[::-1]
    r_w = np.cumsum(tot_w[::-1])[::-1]
    e_order: IntArray | None = None
    if entry is not None:
        e_order = np.argsort(entry, kind="stable")
        es = entry[e_order]
        pos = np.searchsorted(es, ut, side="left")  # entered before t_j: entry < t_j
        cum_w = np.concatenate(([0.0], np.cumsum(w[e_order])))
        # at risk = entered (entry < t) minus already stopped (stop < t)
        stopped_n = n - r_n
        stopped_w = float(tot_w.sum()) - r_w
        r_n = pos - stopped_n
        r_w = cum_w[pos] - stopped_w
    d_kw = ev_w[:, 1:]
    d_w = np.zeros(m)
    for c in range(k):  # R sums the weights state by state
        d_w = d_w + d_kw[:, c]
    upd = d_w > 0  # R updates only at times with a positive-weight event
    ok = upd & (r_n > 0)
    h = np.divide(d_w, r_w, out=np.zeros(m), where=ok)
    surv = np.cumprod(1.0 - h)
    s_prev = np.concatenate(([1.0], surv[:-1]))
    hk = np.divide(d_kw, r_w[:, None], out=np.zeros((m, k)), where=ok[:, None])
    d_f = s_prev[:, None] * hk
    est = np.cumsum(d_f, axis=0)

    # ----------------------------------------------------------- IJ variance
    rd = r_w - d_w
    # W - D at rounding level (fractional weights summing to the risk set) is S reaching 0:
    # R's recursion multiplies by the tiny 1 - D/W; the closed form would divide by it.
    # The rounding of W is that of the sums it is a difference of: of the risk set's own
    # weights without entry times, of every weight entered so far with them (entered
    # minus stopped), so a W of one subject's weight carries the whole sample's rounding.
    w_scale = r_w if entry is None else np.maximum(r_w, cum_w[pos])
    live = ok & (rd > 64.0 * np.finfo(np.float64).eps * w_scale)
    a = np.divide(d_w, r_w * rd, out=np.zeros(m), where=live)
    b = np.divide(1.0, rd, out=np.zeros(m), where=live)
    cum_a = np.cumsum(a)
    cpad = np.concatenate(([0.0], cum_a))
    c_prev = cpad[:-1]  # C(t_{j-1})
    inv_w = np.divide(1.0, r_w, out=np.zeros(m), where=ok)
    f_pad = np.vstack((np.zeros((1, k)), est))
    x = np.cumsum(d_f * c_prev[:, None] - d_f * inv_w[:, None], axis=0)  # X_k(j)
    x_pad = np.vstack((np.zeros((1, k)), x))
    w2 = np.where(w > 0, w * w, 0.0)  # zero-weight subjects add nothing (R: 0 * U^2)
    if entry is None:
        c_e = np.zeros(n)
        je = np.zeros(n, dtype=np.intp)
    else:
        je = np.searchsorted(ut, entry, side="right")  # number of times <= entry
        c_e = cpad[je]
    is_ev = code > 0
    a_fin = cum_a[j_stop] - c_e - np.where(is_ev, b[j_stop], 0.0)
    # subjects whose stop is at or after a time where S fell to 0 carry no more change
    zero_at = np.flatnonzero(ok & ~live)
    j_zero = int(zero_at[0]) if zero_at.size else m
    a_fin = np.where(j_stop >= j_zero, 0.0, a_fin)
    # s0 column (event-free survival): U = S(t) A_i(t)
    fin0 = np.bincount(j_stop, weights=w2 * a_fin * a_fin, minlength=m).cumsum()
    s0, s1, s2 = _ongoing_sums([w2, w2 * c_e, w2 * c_e * c_e], entry, e_order, ut, j_stop, m)
    var0_rel = fin0 + s0 * cum_a * cum_a - 2.0 * cum_a * s1 + s2
    var = np.zeros((m, k))
    s_stop_prev = s_prev[j_stop]
    winv_stop = inv_w[j_stop]
    for c in range(k):
        fc, xc = est[:, c], x[:, c]
        beta = x_pad[je, c] - c_e * f_pad[je, c]
        u_t = xc[j_stop] - c_e * fc[j_stop] - beta + np.where(code == c + 1,
                                                              s_stop_prev * winv_stop, 0.0)
        gamma = u_t - a_fin * fc[j_stop]
        fg = np.bincount(j_stop, weights=w2 * gamma * a_fin, minlength=m).cumsum()
        fgg = np.bincount(j_stop, weights=w2 * gamma * gamma, minlength=m).cumsum()
        fin = fc * fc * fin0 + 2.0 * fc * fg + fgg
        if entry is None:
            ongoing = s0 * xc * xc
        else:
            sb, sbb, scb = _ongoing_sums([w2 * beta, w2 * beta * beta, w2 * c_e * beta],
                                         entry, e_order, ut, j_stop, m)
            ongoing = (xc * xc * s0 + fc * fc * s2 + sbb - 2.0 * xc * fc * s1
                       - 2.0 * xc * sb + 2.0 * fc * scb)
        var[:, c] = fin + ongoing
    # the variance changes only at update times; carry it forward exactly (as R does),
    # and freeze it once S has reached 0
    last = np.maximum.accumulate(np.where(upd, np.arange(m), -1))
    last = np.minimum(last, j_zero)
    has = last >= 0
    li = np.maximum(last, 0)
    var = np.where(has[:, None], var[li], 0.0)
    var0_rel = np.where(has, var0_rel[li], 0.0)
    std = np.sqrt(np.maximum(var, 0.0))
    std0 = np.where(surv > 0, surv * np.sqrt(np.maximum(var0_rel, 0.0)), 0.0)

    se_rel = np.divide(std, est, out=np.zeros_like(std), where=std != 0)
    with np.errstate(over="ignore"):  # exp of a huge half-width: the limit is exactly 0 or 1
        lower, upper = transform_bounds(est, z_value(conf_level) * se_rel,
                                        conf_type)  # type: ignore[arg-type]
    start = min(0.0, float(ut[0])) if start_time is None else float(start_time)
    return CumulativeIncidence(
        time=_frozen(ut),
        causes=causes,
        n_risk=_frozen(r_n),
        n_event=_frozen(ev_n[:, 1:]),
        n_censor=_frozen(ev_n[:, 0]),
        estimate=_frozen(est),
        std_err=_frozen(std),
        lower=_frozen(lower),
        upper=_frozen(upper),
        surv=_frozen(surv),
        surv_std_err=_frozen(std0),
        n=int(n),
        conf_type=conf_type,
        conf_level=conf_level,
        start_time=start,
        label=label,
    )


# ---------------------------------------------------------------------- public
@overload
def cumulative_incidence(
    time: ArrayLike,
    cause: ArrayLike,
    *,
    entry: Any = ...,
    weights: Any = ...,
    censored: Any = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    start_time: float | None = ...,
    data: None = ...,
    by: None = ...,
) -> CumulativeIncidence: ...


@overload
def cumulative_incidence(
    time: str,
    cause: str,
    *,
    entry: Any = ...,
    weights: Any = ...,
    censored: Any = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    start_time: float | None = ...,
    data: pd.DataFrame,
    by: str,
) -> CumulativeIncidenceGroups: ...


@overload
def cumulative_incidence(
    time: Any = ...,
    cause: Any = ...,
    *,
    entry: Any = ...,
    weights: Any = ...,
    censored: Any = ...,
    conf_type: str = ...,
    conf_level: float = ...,
    start_time: float | None = ...,
    data: pd.DataFrame | None = ...,
    by: str | None = ...,
) -> CumulativeIncidence | CumulativeIncidenceGroups: ...


def cumulative_incidence(
    time: Any = None,
    cause: Any = None,
    *,
    entry: Any = None,
    weights: Any = None,
    censored: Any = 0,
    conf_type: str = "log",
    conf_level: float = 0.95,
    start_time: float | None = None,
    data: pd.DataFrame | None = None,
    by: str | None = None,
) -> CumulativeIncidence | CumulativeIncidenceGroups:
    r"""Cumulative incidence of competing risks (Aalen-Johansen), identical to R survival.

    R: ``survfit(Surv(time, factor(cause)) ~ 1)`` (``Surv(entry, time, factor(cause))`` with
    ``id`` for left truncation).

    Parameters
    ----------
    time : array_like or str
        Follow-up (stop) times, non-negative without ``entry``; a column name with ``data``.
    cause : array_like or str
        What ended follow-up: the ``censored`` label (default 0) or a cause label (numbers
        1..K, or any labels); causes are ordered as R orders factor levels (sorted).
    entry : array_like or str, optional
        Left-truncation times, ``entry < time`` (R ``Surv(entry, time, factor(cause))``
        with ``id``): a subject is at risk at :math:`u` when ``entry < u <= time``.
    weights : array_like or str, optional
        Non-negative case weights (R ``weights=``).
    censored : object
        The label of censored observations in ``cause``.
    conf_type : {"log", "log-log", "plain", "logit", "arcsin"}
        CI transform of R's ``survfit_confint`` (default ``"log"``, as R).
    conf_level : float
        Confidence level in (0, 1).
    start_time : float, optional
        As R ``survfit(start.time=)``: drop observations that end before it; the curves
        are then conditional on being under observation at ``start_time``.
    data : pandas.DataFrame, optional
        Take ``time``, ``cause``, ``entry``, ``weights`` and ``by`` as column names of it.
    by : str, optional
        With ``data``: one fit per value of this column (see
        :meth:`CumulativeIncidenceGroups.gray_test`).

    Returns
    -------
    CumulativeIncidence or CumulativeIncidenceGroups

    Notes
    -----
    :math:`\hat F_k(t) = \sum_{t_j \le t} \hat S(t_{j-1}) D_{kj}/W_j`,
    :math:`\hat S(t) = \prod_{t_j \le t}(1 - D_j/W_j)`; the standard error is R's
    infinitesimal jackknife (module notes). Unlike lifelines' ``AalenJohansenFitter`` no
    tied time is jittered: the result is deterministic.

    References
    ----------
    Aalen & Johansen (1978), Scand J Stat 5:141-150; R survival 3.5 ``survfitCI``.

    Examples
    --------
    >>> fit = cumulative_incidence([1, 2, 2, 3, 5], [1, 2, 0, 1, 0])
    >>> fit.estimate[:, 0].round(3).tolist()
    [0.2, 0.2, 0.5, 0.5]
    """
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    if start_time is not None:
        if isinstance(start_time, bool) or not isinstance(start_time, (int, float, np.floating)):
            raise TypeError(f"start_time must be a number, got {start_time!r}")
        if not np.isfinite(start_time):
            raise ValueError(f"start_time must be finite, got {start_time!r}")
    rows = data is not None
    group: NDArray[Any] | None = None
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
        cols = {"time": time, "cause": cause, "entry": entry, "weights": weights, "by": by}
        for arg, col in cols.items():
            if col is None:
                continue
            if not isinstance(col, str):
                raise TypeError(f"with data=, {arg} must be a column name, got {col!r}")
            if col not in data.columns:
                raise ValueError(f"{arg}: column {col!r} not in data")
        if time is None or cause is None:
            raise ValueError("with data=, time and cause column names are required")
        names = {k: f"{k} column {v!r}" for k, v in cols.items() if isinstance(v, str)}
        time_v, cause_v = data[time].to_numpy(), data[cause].to_numpy()
        entry_v = None if entry is None else data[entry].to_numpy()
        weights_v = None if weights is None else data[weights].to_numpy()
        if by is not None:
            group = data[by].to_numpy()
            miss = pd.isna(group)
            if miss.any():
                raise ValueError(f"by: column {by!r} has a missing value at row "
                                 f"{int(np.argmax(miss))}")
    else:
        if time is None or cause is None:
            raise TypeError("cumulative_incidence() needs time and cause "
                            "(arrays, or column names with data=)")
        if by is not None:
            raise ValueError("by= needs data=")
        names = {}
        time_v, cause_v, entry_v, weights_v = time, cause, entry, weights

    def nm(arg: str) -> str:
        return names.get(arg, arg)

    t = as_float_array(time_v, nm("time"), nonnegative=entry_v is None, rows=rows)
    code, causes = cause_codes(cause_v, censored, nm("cause"), rows=rows)
    check_same_length(time=t, cause=code)
    a: FloatArray | None = None
    if entry_v is not None:
        a = as_float_array(entry_v, nm("entry"), rows=rows)
        check_same_length(time=t, entry=a)
        bad = a >= t
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"entry must be < time; at {'row' if rows else 'position'} {i} "
                             f"entry = {a[i].item()!r} >= time = {t[i].item()!r}")
    wv: FloatArray | None = None
    if weights_v is not None:
        wv = as_float_array(weights_v, nm("weights"), nonnegative=True, rows=rows)
        check_same_length(time=t, weights=wv)
    if start_time is not None:
        keep = t >= start_time
        if not keep.any():
            raise ValueError(f"start_time = {start_time!r} removes every observation "
                             f"(last time {float(t.max())!r})")
        t, code = t[keep], code[keep]
        a = None if a is None else a[keep]
        wv = None if wv is None else wv[keep]
        group = None if group is None else group[keep]
    if group is None:
        return _fit(t, code, causes, a, wv, ct, level, start_time)
    labels = sorted(pd.unique(group).tolist(), key=lambda v: (str(type(v)), v))
    fits: dict[str, CumulativeIncidence] = {}
    for lab in labels:
        msk = group == lab
        fits[str(lab)] = _fit(t[msk], code[msk], causes, None if a is None else a[msk],
                              None if wv is None else wv[msk], ct, level, start_time,
                              label=str(lab))
    assert by is not None
    return CumulativeIncidenceGroups(fits, by, t, code, causes, group.astype(str),
                                     a is None and wv is None)
