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

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from survkit.estimate.cif import CumulativeIncidence, cumulative_incidence

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "IncidenceLandmarks",
    "competing_outcome",
    "incidence_at_batch",
    "incidence_fit",
    "incidence_landmarks",
]

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


@dataclass(frozen=True, eq=False)
class IncidenceLandmarks:
    """One cause's incidence at landmarks for ``B`` tables (the engine's per-draw numbers).

    ``estimate``, ``std_err``, ``lower``, ``upper`` have shape ``(B, T)``; rows not asked for
    (``rows``) carry ``NaN`` in ``std_err``/``lower``/``upper``.
    """

    times: FloatArray
    cause: str
    estimate: FloatArray
    std_err: FloatArray
    lower: FloatArray
    upper: FloatArray


def incidence_landmarks(
    relapse: ArrayLike, death: ArrayLike, follow_up: ArrayLike, times: ArrayLike, *,
    cause: str = "relapse", conf_type: str = "log", conf_level: float = 0.95,
    rows: NDArray[np.bool_] | None = None,
) -> IncidenceLandmarks:
    """Relapse (``cause="relapse"``) or NRM (``cause="nrm"``) incidence at ``times``, B tables.

    The estimates are batched (:func:`incidence_at_batch`); standard errors and CI limits
    (R's infinitesimal jackknife and ``conf.type``) are computed table by table with
    :func:`survkit.estimate.cif.cumulative_incidence`, for ``rows`` only (default all), so a
    printed CIR/NRM with its CI can be judged like a printed landmark of survival.
    """
    if cause not in ("relapse", "nrm"):
        raise ValueError(f"cause must be 'relapse' or 'nrm', got {cause!r}")
    k = 0 if cause == "relapse" else 1
    time, code = competing_outcome(relapse, death, follow_up)
    time, code = np.atleast_2d(time), np.atleast_2d(code)
    lm = np.atleast_1d(np.asarray(times, dtype=np.float64))
    est = incidence_at_batch(time, code, lm)[:, k, :]
    b = time.shape[0]
    se = np.full((b, lm.size), np.nan)
    lo = np.full((b, lm.size), np.nan)
    up = np.full((b, lm.size), np.nan)
    todo = np.ones(b, dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
    label = str(k + 1)
    for i in np.flatnonzero(todo):
        if not (code[i] > 0).any():
            se[i], lo[i], up[i] = 0.0, np.nan, np.nan
            continue
        fit = cumulative_incidence(time[i], code[i], conf_type=conf_type, conf_level=conf_level)
        if label not in fit.causes:  # no event of this cause: F = 0, SE 0, band as R at 0
            se[i] = 0.0
            lo[i] = np.where(conf_type == "plain", 0.0, np.nan)
            up[i] = lo[i]
            continue
        tab = fit.at(lm, extend=True)
        tab = tab[tab["cause"] == label]
        se[i], lo[i], up[i] = (tab[c].to_numpy() for c in ("std_err", "lower", "upper"))
    return IncidenceLandmarks(lm, cause, est, se, lo, up)
