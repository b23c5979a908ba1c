r"""Sums of squared influences of estimators built on one risk set, in :math:`O(n \log n)`.

Several of R's robust (infinitesimal-jackknife) variances have the form

.. math:: V(t_j) = \sum_i w_i^2 \Bigl(\sum_{l \le j} Y_i(t_l) a_l - dN_i(t_l) b_l\Bigr)^2,

with per-time coefficients :math:`a_l, b_l` (:math:`Y_i` at risk, :math:`dN_i` the event of
subject :math:`i`): the Kaplan-Meier SE of :math:`\log S`
(:math:`a = d / (r(r - d))`, :math:`b = 1/(r - d)`), the Nelson-Aalen SE
(:math:`a = d/r^2`, :math:`b = 1/r`) and the event-free part of the Aalen-Johansen estimator.
:func:`ij_sum_squares` evaluates :math:`V` at every time by splitting, at each :math:`t_j`,
the subjects whose follow-up has ended (a fixed contribution) from those still at risk (a
quadratic in :math:`C(t_j) = \sum_{l \le j} a_l`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = ["ij_sum_squares"]


def ij_sum_squares(
    ut: FloatArray,
    time: FloatArray,
    event: NDArray[np.bool_],
    entry: FloatArray | None,
    w2: FloatArray,
    a: FloatArray,
    b: FloatArray,
    update: NDArray[np.bool_],
) -> FloatArray:
    """:math:`V(t_j)` of the module notes at every distinct time ``ut``.

    Parameters
    ----------
    ut : ndarray
        Distinct stop times, increasing (every ``time`` is one of them).
    time, event, entry : ndarray
        Per subject: stop time, event indicator, entry time (``None``: at risk from the start;
        a subject is at risk at ``u`` when ``entry < u <= time``).
    w2 : ndarray
        Squared case weights (0 drops a subject).
    a, b : ndarray
        Per-time coefficients (finite).
    update : ndarray of bool
        Times at which the estimator changes; ``V`` is carried forward exactly over the
        others (as R does), instead of re-adding rounded terms that cancel.
    """
    m = ut.size
    cum_a = np.cumsum(a)
    cpad = np.concatenate(([0.0], cum_a))
    j_stop = np.searchsorted(ut, time, side="left")
    c_entry = (
        np.zeros_like(time) if entry is None else cpad[np.searchsorted(ut, entry, side="right")]
    )
    k_fin = w2 * (cum_a[j_stop] - c_entry - np.where(event, b[j_stop], 0.0)) ** 2
    fin = np.bincount(j_stop, weights=k_fin, minlength=m).cumsum()
    eo = None if entry is None else np.argsort(entry, kind="stable")

    def ongoing(vals: FloatArray) -> FloatArray:
        if entry is None or eo is None:
            entered = np.full(m, vals.sum())
        else:
            cum = np.concatenate(([0.0], np.cumsum(vals[eo])))
            entered = cum[np.searchsorted(entry[eo], ut, side="left")]
        return entered - np.bincount(j_stop, weights=vals, minlength=m).cumsum()

    s0 = ongoing(w2)
    s1 = ongoing(w2 * c_entry)
    s2 = ongoing(w2 * c_entry * c_entry)
    var = np.maximum(fin + s0 * cum_a * cum_a - 2.0 * cum_a * s1 + s2, 0.0)
    last = np.maximum.accumulate(np.where(update, np.arange(m), -1))
    out: FloatArray = np.where(last >= 0, var[np.maximum(last, 0)], 0.0)
    return out
