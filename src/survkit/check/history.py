r"""Event histories: the risk sets at the events, their one realisation as data, re-verification.

A history of ``n`` patients is a strictly decreasing tuple of risk-set sizes at the events up to
the last landmark, with the number of events before each landmark. It is stored during the
search as a bit mask (bit ``r`` set: an event at risk set ``r``). :func:`datasets` is the
**one** realisation of histories as patient data: the datasets a user gets from
:meth:`History.dataset` / :func:`history_dataset` are the very ones :func:`verify` re-checks
through the Kaplan-Meier engine.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.check.landmark import LandmarkTarget, match_by_convention
from survkit.check.methods import CIMethod
from survkit.printed import Convention

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class History:
    """One event history that reproduces the printed numbers.

    Attributes
    ----------
    at_risk : tuple of int
        Strictly decreasing risk-set sizes at the events up to the last landmark.
    events_before : tuple of int
        Number of events up to each landmark (cumulative), one per checked landmark.
    surv, std_err_log : tuple of float
        :math:`\\hat S` and :math:`SE(\\log \\hat S)` at each landmark.
    rounding : tuple of {"nearest", "truncate"}
        The rounding conventions under which this history prints every number.
    """

    at_risk: tuple[int, ...]
    events_before: tuple[int, ...]
    surv: tuple[float, ...]
    std_err_log: tuple[float, ...]
    rounding: tuple[Convention, ...] = ("nearest", "truncate")

    def dataset(self, n: int) -> pd.DataFrame:
        """The dataset of ``n`` patients realising this history (:func:`history_dataset`)."""
        t, e, _ = history_dataset(self.at_risk, self.events_before, n)
        return pd.DataFrame({"time": t, "event": e.astype(int)})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``at_risk``, ``events_before``, ``surv``, ``std_err_log``,
        ``rounding``)."""
        return {
            "at_risk": list(self.at_risk),
            "events_before": list(self.events_before),
            "surv": list(self.surv),
            "std_err_log": list(self.std_err_log),
            "rounding": list(self.rounding),
        }


def n_words(n: int) -> int:
    """64-bit words per history bit mask (63 bits used per word, risk sets 0..n)."""
    return n // 63 + 1


def mask_bits(masks: IntArray, n: int) -> NDArray[np.bool_]:
    """(B, n + 1) boolean matrix: column r is True when risk set r is in the history.

    ``masks`` has shape (B, words); risk set ``r`` is bit ``r % 63`` of word ``r // 63``.
    """
    cols = np.arange(n + 1, dtype=np.int64)
    return ((masks[:, cols // 63] >> (cols % 63)[None, :]) & 1).astype(bool)


def to_mask(at_risk: Sequence[int], n: int) -> IntArray:
    """The bit mask (shape ``(1, words)``) of one history."""
    mask = np.zeros((1, n_words(n)), dtype=np.int64)
    for r in at_risk:
        mask[0, r // 63] |= np.int64(1) << np.int64(r % 63)
    return mask


def segment_length(n: int) -> float:
    """Time between landmarks in :func:`datasets`: 1000, or more for ``n >= 999``."""
    return 1000.0 * max(1, math.ceil((n + 2) / 1000))


def datasets(masks: IntArray, bps: IntArray, n: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The realisation of many histories as data: ``(time, event, landmarks)``.

    With ``W`` = :func:`segment_length`: patient ``p`` (1..n) is the one whose exit takes the
    risk set from ``p`` to ``p - 1``; it exits at ``W s + (n - p + 1)`` when its exit falls in
    landmark segment ``s`` (the events before landmark ``s + 1``), an event when ``p`` is in
    the history, else a censoring half a unit earlier (just before the next event). Patients
    without an event below them are censored at ``W J + W/2``, after the last landmark; the
    landmarks are at ``W (j + 1) - 1/2``.
    """
    nb = masks.shape[0]
    nj = bps.shape[1]
    w = segment_length(n)
    bits = mask_bits(masks, n)[:, 1:]  # (B, n): column p-1 <-> risk set p
    above = np.cumsum(bits[:, ::-1], axis=1)[:, ::-1]  # events at risk sets >= p
    # index of this event, or of the next event below a censoring
    idx: NDArray[np.int64] = above - bits
    seg = (idx[:, :, None] >= bps[:, None, :]).sum(axis=2)  # landmarks passed before it
    p = np.arange(1, n + 1, dtype=np.float64)[None, :]
    t = w * seg + (n - p + 1.0) - np.where(bits, 0.0, 0.5)
    t = np.where(seg >= nj, w * nj + w / 2, t)
    landmarks = w * np.arange(1, nj + 1) - 0.5
    return t.reshape(nb, n), bits.astype(np.float64), landmarks


def history_dataset(
    at_risk: Sequence[int], events_before: Sequence[int] | None, n: int
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """The dataset of ``n`` patients whose events happen at risk sets ``at_risk``.

    The same realisation :func:`verify` checks (:func:`datasets`), for one history.

    Returns
    -------
    time, event, landmarks : ndarray
    """
    r = [int(x) for x in at_risk]
    bps = [len(r)] if events_before is None else [int(x) for x in events_before]
    if any(b >= a for a, b in itertools.pairwise(r)) or (r and (r[0] > n or r[-1] < 1)):
        raise ValueError(f"at_risk must be strictly decreasing within [1, n]; got {tuple(r)}")
    if any(b < a for a, b in itertools.pairwise(bps)) or (bps and (bps[0] < 0 or bps[-1] > len(r))):
        raise ValueError(
            f"events_before must be non-decreasing within [0, {len(r)}]; got {tuple(bps)}"
        )
    t, e, landmarks = datasets(to_mask(r, n), np.array([bps], dtype=np.int64), n)
    return t[0], e[0].astype(bool), landmarks


def verify(
    n: int,
    lms: list[LandmarkTarget],
    level: float,
    method: CIMethod,
    masks: IntArray,
    bps: IntArray,
) -> dict[Convention, NDArray[np.bool_]]:
    """Re-verify histories on their realising data through the method's reference engine.

    Returns, per convention the targets cover, whether each history prints every landmark's
    numbers under it.
    """
    nb = masks.shape[0]
    convs = lms[0].conventions
    ok = {c: np.ones(nb, dtype=bool) for c in convs}
    if nb == 0:
        return ok
    step = max(1, 2_000_000 // max(n, 1))
    for start in range(0, nb, step):
        sl = slice(start, start + step)
        tt, ee, landmarks = datasets(masks[sl], bps[sl], n)
        surv, lower, upper = method.reference(tt, ee, landmarks, level)
        for j, lm in enumerate(lms):
            by = match_by_convention(surv[:, j], lower[:, j], upper[:, j], lm)
            for c in convs:
                ok[c][sl] &= by[c]
    return ok
