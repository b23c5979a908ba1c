"""Array kernels of the Kaplan-Meier estimator (no validation, no result objects).

Kept apart from :mod:`survkit.estimate.km` so that the batched engine, the reverse-KM
follow-up and the log-rank test share one implementation of the counting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Counts:
    """Risk-set counts at the distinct stop times, in increasing order."""

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray


def risk_counts(
    time: FloatArray,
    event: BoolArray,
    entry: FloatArray | None,
    weights: FloatArray | None,
) -> Counts:
    """Weighted numbers at risk, of events and of censorings at each distinct stop time.

    A subject with entry time ``a`` and stop time ``t`` is at risk at ``u`` when
    ``a < u <= t`` (R's counting-process convention for ``Surv(a, t, d)``); without
    ``entry`` everyone is at risk from the start.
    """
    n = time.size
    if weights is None:
        # Unweighted: counts are integers, so two plain sorts replace the (slower, stable)
        # permutation and give bit-identical results.
        t = np.sort(time)
        starts = np.flatnonzero(np.concatenate(([True], t[1:] != t[:-1])))
        ut = t[starts]
        tot = np.diff(np.append(starts, n)).astype(np.float64)
        te = np.sort(time[event])
        d = (np.searchsorted(te, ut, side="right") - np.searchsorted(te, ut, side="left")).astype(
            np.float64
        )
        r = (n - starts).astype(np.float64)  # stop >= u
    else:
        order = np.argsort(time, kind="stable")
        t = time[order]
        starts = np.flatnonzero(np.concatenate(([True], t[1:] != t[:-1])))
        ut = t[starts]
        w = weights[order]
        tot = np.add.reduceat(w, starts)
        d = np.add.reduceat(np.where(event[order], w, 0.0), starts)
        r = np.cumsum(tot[::-1])[::-1]  # weight with stop >= u
    c = tot - d
    if entry is not None:
        # ... minus the weight that has not entered yet (entry >= u).
        if weights is None:
            es = np.sort(entry)
            entered = np.searchsorted(es, ut, side="left").astype(np.float64)
            total = float(n)
        else:
            eorder = np.argsort(entry, kind="stable")
            es = entry[eorder]
            cum = np.concatenate(([0.0], np.cumsum(weights[eorder])))
            entered = cum[np.searchsorted(es, ut, side="left")]
            total = float(cum[-1])
        r = np.maximum(entered - (total - r), 0.0)
    return Counts(ut, r, d, c)


def km_product(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """Product-limit estimate ``prod (1 - d_j / r_j)`` (a time with nobody at risk adds nothing)."""
    pos = n_risk > 0
    h = np.divide(n_event, n_risk, out=np.zeros_like(n_event), where=pos)
    out: FloatArray = np.cumprod(1.0 - h, dtype=np.float64)
    return out


def greenwood_log(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """Greenwood's SE of ``log S``: ``sqrt(cumsum(d / (r (r - d))))``, ``inf`` once ``r == d``."""
    rd = n_risk - n_event
    inc = np.divide(n_event, n_risk * rd, out=np.zeros_like(n_event), where=rd > 0)
    inc[(rd <= 0) & (n_event > 0)] = np.inf
    return np.sqrt(np.cumsum(inc))


def ij_std_err(
    time: FloatArray,
    event: BoolArray,
    entry: FloatArray | None,
    weights: FloatArray,
    counts: Counts,
    surv: FloatArray,
) -> FloatArray:
    r"""Infinitesimal-jackknife SE of ``S`` (what R survfit uses for non-integer weights).

    With :math:`a_j = d_j / (r_j (r_j - d_j))` and :math:`b_j = 1 / (r_j - d_j)`, the
    derivative of :math:`\hat S(t)` with respect to the weight of subject :math:`i` is
    :math:`U_i(t) = \hat S(t) \sum_{t_j \le t} (Y_i(t_j) a_j - dN_i(t_j) b_j)`, and the
    variance is :math:`\sum_i (w_i U_i(t))^2` (each subject its own cluster). The sums over
    subjects are accumulated in :math:`O(n \log n)` by splitting, at each :math:`t_j`, those
    whose follow-up has ended (a fixed contribution) from those still at risk (a quadratic
    in :math:`C(t_j) = \sum_{k \le j} a_k`).

    References
    ----------
    Therneau T.M., Grambsch P.M. (2000). Modeling Survival Data, sec. 7.2; R survival 3.5
    ``survfitkm.c`` (robust variance).
    """
    ut, r, d = counts.time, counts.n_risk, counts.n_event
    rd = r - d
    a = np.divide(d, r * rd, out=np.zeros_like(d), where=rd > 0)
    b = np.divide(1.0, rd, out=np.zeros_like(d), where=rd > 0)
    cum_a = np.cumsum(a)
    cpad = np.concatenate(([0.0], cum_a))
    # index of each subject's stop time among ut, and C at entry (sum of a_k with t_k <= entry)
    j_stop = np.searchsorted(ut, time, side="left")
    c_stop = cum_a[j_stop]
    c_entry = (
        np.zeros_like(time) if entry is None else cpad[np.searchsorted(ut, entry, side="right")]
    )
    w2 = weights * weights
    k_fin = w2 * (c_stop - c_entry - np.where(event, b[j_stop], 0.0)) ** 2
    m = ut.size
    fin = np.bincount(j_stop, weights=k_fin, minlength=m).cumsum()
    # subjects entered before t_j (entry < t_j) minus those finished by t_j (stop <= t_j)
    def accumulate(vals: FloatArray) -> FloatArray:
        if entry is None:
            entered = np.full(m, vals.sum())
        else:
            eo = np.argsort(entry, kind="stable")
            cum = np.concatenate(([0.0], np.cumsum(vals[eo])))
            entered = cum[np.searchsorted(entry[eo], ut, side="left")]
        finished = np.bincount(j_stop, weights=vals, minlength=m).cumsum()
        return entered - finished

    s0 = accumulate(w2)
    s1 = accumulate(w2 * c_entry)
    s2 = accumulate(w2 * c_entry * c_entry)
    ongoing = s0 * cum_a * cum_a - 2.0 * cum_a * s1 + s2
    var_rel = np.maximum(fin + ongoing, 0.0)
    # The variance only changes at event times; carry it forward exactly over times with
    # censorings only (as R does), instead of re-adding rounded terms that cancel.
    last_event = np.maximum.accumulate(np.where(d > 0, np.arange(m), -1))
    var_rel = np.where(last_event >= 0, var_rel[np.maximum(last_event, 0)], 0.0)
    return np.where(surv > 0, surv * np.sqrt(var_rel), 0.0)
