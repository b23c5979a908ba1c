r"""The no-n width analysis: what the three printed numbers allow without the sample size.

For a survival ``S`` in the estimate's interval both limits are monotone functions of the
half-width ``h = z SE(log S)`` (lower non-increasing, upper non-decreasing), so each printed
limit allows an interval of ``h``; a method is consistent iff, for some ``S``, the two ``h``
intervals meet. The estimate's interval is cut into cells; on a cell each limit's range is a
provable enclosure (:func:`limit_ranges`: the upper limit is monotone in ``S`` and the lower
limit unimodal with a known peak, :class:`survkit.check.methods.TransformMethod`), and the
thresholds in ``h`` are found by bisection, rounded outward. Recall rests on that enclosure;
``tests/test_check_width.py`` tests it on dense grids.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
from numpy.typing import NDArray

from survkit.check.landmark import LandmarkTarget
from survkit.check.methods import CIMethod

FloatArray = NDArray[np.float64]

#: Largest half-width ``h = z SE(log S)`` searched by the bisection.
HMAX: Final[float] = 10.0
#: Outward slack on the enclosure of a limit over a cell (floating-point error of the formulas).
ENCLOSURE_SLACK: Final[float] = 1e-9


def limit_ranges(
    a: FloatArray, b: FloatArray, h: FloatArray, method: CIMethod
) -> tuple[tuple[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]:
    """Provable enclosures of the lower and upper limit over S-cells ``[a, b]`` at widths ``h``.

    For fixed ``h`` the upper limit is non-decreasing in ``S`` and the lower limit increases
    up to ``method.lower_peak(h)`` and decreases after it (:mod:`survkit.check.methods` proves
    it for the five transforms), so over ``[a, b]`` a limit lies between its smaller end value
    and the largest of its end values and its value at the peak clipped into the cell. The
    ranges are widened by :data:`ENCLOSURE_SLACK` for the floating-point error of the formulas.
    Broadcasts ``a``, ``b`` (cells) against ``h``.
    """
    a, b, h = np.broadcast_arrays(a, b, h)
    peak = method.lower_peak(h)
    p = np.where(np.isnan(peak), a, np.clip(peak, a, b))
    with np.errstate(over="ignore", invalid="ignore"):  # exp overflow -> inf -> limit 0 or 1
        lo_a, up_a = method.limits(a, h)
        lo_b, up_b = method.limits(b, h)
        lo_p, _ = method.limits(p, h)
    lo_min = np.fmin(lo_a, lo_b) - ENCLOSURE_SLACK
    lo_max = np.fmax(np.fmax(lo_a, lo_b), lo_p) + ENCLOSURE_SLACK
    up_min = np.fmin(up_a, up_b) - ENCLOSURE_SLACK
    up_max = np.fmax(up_a, up_b) + ENCLOSURE_SLACK
    return (lo_min, lo_max), (up_min, up_max)


def conditions(
    a: FloatArray, b: FloatArray, h: FloatArray, method: CIMethod, lm: LandmarkTarget
) -> NDArray[np.bool_]:
    """The four monotone cell conditions at half-widths ``h`` (shape (4, k)).

    Rows: 0 ``max(lower) >= L.lo`` (true for small h), 1 ``min(lower) <= L.hi`` (large h),
    2 ``min(upper) <= U.hi`` (small h), 3 ``max(upper) >= U.lo`` (large h), with the limit
    ranges over the cell ``[a, b]`` from :func:`limit_ranges` (provable enclosures).
    """
    k = a.size
    out = np.ones((4, k), dtype=bool)
    (lo_min, lo_max), (up_min, up_max) = limit_ranges(a[None, :], b[None, :], h, method)
    if lm.lower is not None:
        out[0] = lo_max[0] >= lm.lower[0]
        out[1] = lo_min[1] <= lm.lower[1]
    if lm.upper is not None:
        out[2] = up_min[2] <= lm.upper[1]
        out[3] = up_max[3] >= lm.upper[0]
    return out


_SUP = np.array([True, False, True, False])


def thresholds(a: FloatArray, b: FloatArray, method: CIMethod, lm: LandmarkTarget) -> FloatArray:
    """Outward thresholds in ``h`` of the four conditions of :func:`conditions`, shape (4, k).

    Rows 0 and 2 (true for small h): an upper estimate of the largest true h (``-1`` if never
    true, ``inf`` if true at ``HMAX``). Rows 1 and 3 (true for large h): a lower estimate of
    the smallest true h (``inf`` if never true). Bisection on [0, HMAX], 40 halvings.
    """
    k = a.size
    lo = np.zeros((4, k))
    hi = np.full((4, k), HMAX)
    c0 = conditions(a, b, lo, method, lm)
    c1 = conditions(a, b, hi, method, lm)
    sup = _SUP[:, None]
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        cm = conditions(a, b, mid, method, lm)
        move_lo = np.where(sup, cm, ~cm)
        lo = np.where(move_lo, mid, lo)
        hi = np.where(move_lo, hi, mid)
    sup_val = np.where(c0, np.where(c1, np.inf, hi), -1.0)
    inf_val = np.where(c0, 0.0, np.where(c1, lo, np.inf))
    return np.where(sup, sup_val, inf_val)


def h_cells(
    lm: LandmarkTarget, method: CIMethod, n_cells: int = 64
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, str]:
    """Feasible half-width interval per S-cell: (s_a, s_b, hlo, hhi, reason).

    The estimate's interval is cut into ``n_cells`` cells; on a cell, a limit's range is the
    provable enclosure of :func:`limit_ranges`, and both limits are monotone in ``h``.
    """
    e_lo = max(lm.estimate[0], 1e-12)
    e_hi = min(lm.estimate[1], 1.0 - 1e-12)
    if e_hi < e_lo:
        empty = np.empty(0)
        return empty, empty, empty, empty, "the estimate's interval holds only S = 0 or S = 1"
    grid = np.linspace(e_lo, e_hi, n_cells + 1)
    a, b = grid[:-1], grid[1:]
    th = thresholds(a, b, method, lm)
    h_a, h_b, h_c, h_d = th
    lo_ok = h_b <= h_a
    hi_ok = h_d <= h_c
    hlo = np.maximum(h_b, h_d)
    hhi = np.minimum(h_a, h_c)
    keep = lo_ok & hi_ok & (hlo <= hhi)
    reason = ""
    if not keep.any():
        if not lo_ok.any():
            reason = "the lower limit cannot be produced at any width"
        elif not hi_ok.any():
            reason = "the upper limit cannot be produced at any width"
        else:
            lo_rng = (float(h_b[lo_ok].min()), float(h_a[lo_ok].max()))
            hi_rng = (float(h_d[hi_ok].min()), float(h_c[hi_ok].max()))
            reason = (
                "the two limits need different widths: lower needs z*SE(log S) in "
                f"[{lo_rng[0]:.3g}, {lo_rng[1]:.3g}], upper in [{hi_rng[0]:.3g}, {hi_rng[1]:.3g}]"
            )
    return a[keep], b[keep], hlo[keep], hhi[keep], reason


def width_ranges(lm: LandmarkTarget, method: CIMethod, z: float) -> tuple[
    tuple[float, float] | None, tuple[float, float] | None, str
]:
    """Implied SE(log S) range and effective sample size range without ``n``."""
    if lm.variants:
        parts = [width_ranges(var, method, z) for var in lm.variants]
        ok = [p for p in parts if p[0] is not None]
        if not ok:
            return None, None, parts[0][2]
        se_parts = [p[0] for p in ok if p[0] is not None]
        ess_parts = [p[1] for p in ok if p[1] is not None]
        se_hull = (min(x[0] for x in se_parts), max(x[1] for x in se_parts))
        ess_hull = (
            (min(x[0] for x in ess_parts), max(x[1] for x in ess_parts)) if ess_parts else None
        )
        return se_hull, ess_hull, ""
    sa, sb, hlo, hhi, reason = h_cells(lm, method)
    if sa.size == 0:
        return None, None, reason or "no S in the estimate's interval fits"
    w = 1e-9
    se_lo = max(0.0, float(hlo.min()) / z * (1 - w))
    se_hi = float(hhi.max()) / z * (1 + w)
    se_hi = math.inf if se_hi >= HMAX / z else se_hi
    # effective n: (1 - S) / (S se^2); smallest with large S and large se.
    with_se = hhi / z
    ess_lo_arr = (1 - sb) / (sb * np.square(np.maximum(with_se, 1e-300)))
    ess_lo = float(np.min(np.where(with_se > 0, ess_lo_arr, np.inf)))
    lo_se = hlo / z
    ess_hi_arr = np.where(lo_se > 0, (1 - sa) / (sa * np.square(np.maximum(lo_se, 1e-300))), np.inf)
    ess_hi = float(np.max(ess_hi_arr))
    return (se_lo, se_hi), (ess_lo, ess_hi), ""


