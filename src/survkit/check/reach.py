r"""Boxes of :math:`(-\log S, \widehat{var}(\log S))` that print the numbers, and reachability.

The counting DP (:mod:`survkit.check.counting`) and the listing search
(:mod:`survkit.check.search`) share these bounds: the printing region of a landmark as a union
of outward boxes (:class:`Boxes`, from the width analysis's cells) and a provable test of
whether a state can still end inside it with more events (:func:`reachable`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from survkit.check.landmark import LandmarkTarget
from survkit.check.methods import CIMethod
from survkit.check.width import h_cells

FloatArray = NDArray[np.float64]

#: Coarse cells per rounding variant used by the reachability bound (hulls of the 64 no-n cells).
REACH_CELLS: Final[int] = 16
A_SLACK: Final[float] = 1e-9  # outward slack on log-decreases in the reachability bound


@dataclass(frozen=True)
class Boxes:
    r"""Boxes in :math:`(x, V) = (-\log S, \widehat{var}(\log S))` covering every printing point.

    The union of the boxes holds every ``(S, V)`` whose estimate and limits print as the
    landmark's numbers (under one of its rounding variants). Each box is the hull of a few
    consecutive no-n cells (:func:`h_cells`), widened outward: ``x`` by ``1e-12``, the
    half-width ``h = z sqrt(V)`` by a relative ``1e-5``.
    """

    x0: FloatArray
    x1: FloatArray
    v0: FloatArray
    v1: FloatArray

    @property
    def size(self) -> int:
        return int(self.x0.size)


def printing_boxes(
    lm: LandmarkTarget, method: CIMethod, z: float, n_cells: int = REACH_CELLS
) -> Boxes:
    """The outward boxes of :class:`Boxes` for one landmark and transform."""
    xs0: list[FloatArray] = []
    xs1: list[FloatArray] = []
    vs0: list[FloatArray] = []
    vs1: list[FloatArray] = []
    for var in lm.variants or (lm,):
        sa, sb, hlo, hhi, _ = h_cells(var, method)
        if sa.size == 0:
            continue
        groups = np.array_split(np.arange(sa.size), min(n_cells, sa.size))
        for g in groups:
            xs0.append(np.array([-math.log(float(sb[g].max())) - 1e-12]))
            xs1.append(np.array([-math.log(float(sa[g].min())) + 1e-12]))
            h0 = max(float(hlo[g].min()), 0.0) / z * (1.0 - 1e-5)
            h1 = float(hhi[g].max()) / z * (1.0 + 1e-5)
            vs0.append(np.array([max(h0 * h0 - 1e-15, 0.0)]))
            vs1.append(np.array([h1 * h1 + 1e-15 if math.isfinite(h1) else math.inf]))
    if not xs0:
        empty = np.empty(0)
        return Boxes(empty, empty, empty, empty)
    return Boxes(
        np.concatenate(xs0), np.concatenate(xs1), np.concatenate(vs0), np.concatenate(vs1)
    )


def decrease_range(c: FloatArray, q: FloatArray | None) -> tuple[FloatArray, FloatArray]:
    r"""Range of the further decrease ``a`` of ``-log S`` with at least one more event.

    The next events happen at distinct risk sets in ``[2, c]``. One event at risk set ``c``
    is the smallest possible decrease, :math:`\log(c/(c-1))`; all of ``c, ..., 2`` the largest,
    :math:`\log c` (telescoping). With exactly ``q`` events left: at least
    :math:`\log(c/(c-q))` (the top block ``c, ..., c-q+1``) and at most :math:`\log(q+1)`
    (the bottom block ``q+1, ..., 2``); ``q > c - 1`` is impossible (returned as an empty
    range ``amin > amax``).
    """
    cc = np.maximum(c, 2.0)
    if q is None:
        return np.log(cc / (cc - 1.0)), np.log(cc)
    qq = np.maximum(q, 1.0)
    ok = (qq <= cc - 1.0) & (c >= 2.0)
    amin = np.where(ok, np.log(cc / np.maximum(cc - qq, 1.0)), np.inf)
    amax = np.where(ok, np.log(np.minimum(qq + 1.0, cc)), -np.inf)
    return amin, amax


def reachable(
    x0: FloatArray,
    x1: FloatArray,
    v0: FloatArray,
    v1: FloatArray,
    c: FloatArray,
    q: FloatArray | None,
    cells: Boxes,
) -> NDArray[np.bool_]:
    r"""Whether a state (a box of ``(x, V)``) can still end inside one of ``cells``.

    Adding an event at risk set ``r`` multiplies ``S`` by ``(r-1)/r`` -- it adds
    :math:`\log(r/(r-1))` to :math:`x = -\log S` -- and adds :math:`1/(r(r-1))` to ``V``.
    For a further decrease ``a`` of ``log S`` using distinct risk sets ``<= c`` (and ``>= 2``):

    .. math::

        \frac{e^{a} - 1}{c} \;\le\; \Delta V \;\le\; 1 - e^{-a}.

    Proof (events ``x_1 > ... > x_d``, :math:`P_i = \prod_{j \le i} x_j/(x_j-1)`):
    :math:`e^a - 1 = \sum_i P_{i-1}/(x_i - 1)` and :math:`P_{i-1} \le x_1/x_i \le c/x_i`
    because :math:`x_j/(x_j-1) \le x_j/x_{j+1}`, so :math:`e^a - 1 \le c\,\Delta V`. Likewise
    :math:`1 - e^{-a} = \sum_i U_{i+1}/x_i` with :math:`U_{i+1} = \prod_{j > i}(x_j-1)/x_j \ge
    (x_d - 1)/(x_i - 1) \ge 1/(x_i - 1)`, so :math:`1 - e^{-a} \ge \Delta V`. Equality holds for
    the largest risk sets used consecutively (``c, c-1, ...``: the minimum) and the smallest
    (``..., 3, 2``: the maximum). Both bounds increase with ``a``, so for a target box
    ``[cx0, cx1] x [cv0, cv1]`` the admissible ``a`` form the interval
    ``[max(a_lo, alpha2), min(a_hi, alpha1)]`` with ``alpha1 = log1p(c (cv1 - v0))`` and
    ``alpha2 = -log1p(-(cv0 - v1))``; the state is cut when it is empty for every box
    (outward by ``1e-9`` in ``a``).
    """
    if cells.size == 0 or x0.size == 0:
        return np.zeros(x0.shape, dtype=bool)
    amin, amax = decrease_range(c, q)
    cx0, cx1 = cells.x0[None, :], cells.x1[None, :]
    cv0, cv1 = cells.v0[None, :], cells.v1[None, :]
    a_lo = np.maximum(amin[:, None], cx0 - x1[:, None])
    a_hi = np.minimum(amax[:, None], cx1 - x0[:, None])
    d1 = cv1 - v0[:, None]
    alpha1 = np.where(d1 >= 0.0, np.log1p(c[:, None] * np.maximum(d1, 0.0)), -np.inf)
    d2 = cv0 - v1[:, None]
    arg = np.where((d2 > 0.0) & (d2 < 1.0), -d2, 0.0)
    alpha2 = np.where(d2 <= 0.0, -np.inf, np.where(d2 < 1.0, -np.log1p(arg), np.inf))
    lo = np.maximum(a_lo, alpha2)
    hi = np.minimum(a_hi, alpha1)
    out: NDArray[np.bool_] = np.asarray((lo <= hi + A_SLACK).any(axis=1), dtype=bool)
    return out


def hull_box(cells: Boxes) -> Boxes:
    """One box: the hull of ``cells`` (a cheaper, looser :func:`reachable` target)."""
    if cells.size == 0:
        return cells
    return Boxes(
        np.array([cells.x0.min()]), np.array([cells.x1.max()]),
        np.array([cells.v0.min()]), np.array([cells.v1.max()]),
    )


def overlaps(
    x0: FloatArray, x1: FloatArray, v0: FloatArray, v1: FloatArray, cells: Boxes
) -> NDArray[np.bool_]:
    """Whether each box ``[x0, x1] x [v0, v1]`` meets one of ``cells``."""
    if cells.size == 0 or x0.size == 0:
        return np.zeros(x0.shape, dtype=bool)
    ok = (x1[:, None] >= cells.x0[None, :]) & (x0[:, None] <= cells.x1[None, :])
    ok &= (v1[:, None] >= cells.v0[None, :]) & (v0[:, None] <= cells.v1[None, :])
    out: NDArray[np.bool_] = np.asarray(ok.any(axis=1), dtype=bool)
    return out


