"""Cumulative incidence of relapse and non-relapse mortality for batches of patient tables.

What a trial engine needs to verify endpoints of kind ``"cumulative_incidence"`` in every
draw: from each patient's latent relapse and death times and follow-up, the competing-risks
outcome (relapse first, death without prior relapse = NRM, censored) and the Aalen-Johansen
incidences at landmark times for ``B`` tables at once, bit-identical to
:func:`survkit.estimate.cif.cumulative_incidence` on each table (same operations in the same
order; the batch only interleaves exact multiplications by 1 and additions of 0).

Conventions: a relapse and a death at the same time count as a relapse (NRM is death
*without prior* relapse; the tie goes to the event that ends leukaemia-free survival first in
the usual reading); an event exactly at the end of follow-up is observed, as in
:func:`survkit.trial.reanalysis`'s endpoint data.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from survkit.estimate.cif import CumulativeIncidence, cumulative_incidence

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = ["competing_outcome", "incidence_at_batch", "incidence_fit"]

#: Cause codes of :func:`competing_outcome`.
CENSORED, RELAPSE, NRM = 0, 1, 2


def competing_outcome(
    relapse: ArrayLike, death: ArrayLike, follow_up: ArrayLike
) -> tuple[FloatArray, IntArray]:
    """Observed time and cause (0 censored, 1 relapse, 2 NRM) from latent times.

    ``relapse`` and ``death`` are latent event times (``inf``: never), ``follow_up`` the end
    of observation; arrays of any common shape.
    """
    r = np.asarray(relapse, dtype=np.float64)
    d = np.asarray(death, dtype=np.float64)
    fu = np.asarray(follow_up, dtype=np.float64)
    r, d, fu = np.broadcast_arrays(r, d, fu)
    first = np.minimum(r, d)
    seen = first <= fu
    time = np.where(seen, first, fu)
    cause = np.where(seen, np.where(r <= d, RELAPSE, NRM), CENSORED).astype(np.int64)
    return time, cause


def incidence_at_batch(
    time: ArrayLike, cause: ArrayLike, times: ArrayLike, n_causes: int = 2
) -> FloatArray:
    """Aalen-Johansen incidences of ``B`` tables at landmark ``times``.

    Parameters
    ----------
    time, cause : array_like, shape (B, n)
        Observed times and causes (0 censored, 1..K); every row one table of ``n`` patients.
    times : array_like, shape (T,)
        Landmarks.
    n_causes : int
        K.

    Returns
    -------
    ndarray, shape (B, K, T)
        :math:`\\hat F_k(t)`, right-continuous (0 before the first event).
    """
    t = np.atleast_2d(np.asarray(time, dtype=np.float64))
    c = np.atleast_2d(np.asarray(cause, dtype=np.int64))
    lm = np.atleast_1d(np.asarray(times, dtype=np.float64))
    if t.shape != c.shape:
        raise ValueError(f"time and cause must have the same shape, got {t.shape}, {c.shape}")
    b, n = t.shape
    order = np.argsort(t, axis=1, kind="stable")
    ts = np.take_along_axis(t, order, 1)
    cs = np.take_along_axis(c, order, 1)
    pos = np.arange(n)
    new = np.ones((b, n), dtype=bool)
    new[:, 1:] = ts[:, 1:] != ts[:, :-1]
    last = np.ones((b, n), dtype=bool)
    last[:, :-1] = new[:, 1:]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
    r = (n - start).astype(np.float64)  # at risk at the group's time: time >= t

    def group_sum(x: NDArray[np.float64]) -> NDArray[np.float64]:
        cum = np.concatenate((np.zeros((b, 1)), np.cumsum(x, axis=1)), axis=1)
        return np.take_along_axis(cum, pos[None, :] + 1, 1) - np.take_along_axis(cum, start, 1)

    d_k = [group_sum((cs == k + 1).astype(np.float64)) for k in range(n_causes)]
    d_tot = np.zeros((b, n))
    for k in range(n_causes):  # summed cause by cause, as the single-table fit
        d_tot = d_tot + d_k[k]
    upd = last & (d_tot > 0)
    fac = np.where(upd, 1.0 - np.divide(d_tot, r, out=np.zeros_like(r), where=upd), 1.0)
    s_after = np.cumprod(fac, axis=1)
    s_before = np.concatenate((np.ones((b, 1)), s_after[:, :-1]), axis=1)
    idx = np.stack([(ts <= x).sum(axis=1) for x in lm], axis=1)  # (B, T)
    out = np.zeros((b, n_causes, lm.size))
    for k in range(n_causes):
        inc = np.where(upd, s_before * np.divide(d_k[k], r, out=np.zeros_like(r), where=upd),
                       0.0)
        cum = np.concatenate((np.zeros((b, 1)), np.cumsum(inc, axis=1)), axis=1)
        out[:, k, :] = np.take_along_axis(cum, idx, 1)
    return out


def incidence_fit(
    relapse: ArrayLike, death: ArrayLike, follow_up: ArrayLike, *,
    conf_type: str = "log", conf_level: float = 0.95,
) -> CumulativeIncidence:
    """One table's relapse / NRM fit with standard errors and CIs (printed CIs of a draw)."""
    time, cause = competing_outcome(relapse, death, follow_up)
    return cumulative_incidence(time.ravel(), cause.ravel(), conf_type=conf_type,
                                conf_level=conf_level)
