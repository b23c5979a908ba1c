r"""Is a printed Kaplan-Meier estimate with its confidence interval possible, and how was it made?

:func:`check_ci` takes a printed endpoint (``"1-year OS 68% (95% CI, 43 to 100)"``, parsed by
:func:`survkit.check.parse.parse_endpoint` into rounding intervals) and answers, for each of R's
five CI transforms, whether it can produce the three printed numbers -- like the GRIM test does
for means, but for Kaplan-Meier estimates.

Without the sample size the answer rests on the three numbers alone: for a survival ``S`` in the
estimate's interval, both limits are monotone functions of the half-width ``h = z SE(log S)``
(:func:`survkit.estimate.ci.transform_bounds`), so each printed limit allows an interval of
``h``; a transform is consistent iff, for some ``S``, the two ``h`` intervals meet.

With the sample size ``n`` the answer is exact. Before the landmark, the estimate and its
Greenwood variance depend only on the risk-set sizes at which events happened:

.. math::

    \hat S = \prod_i \frac{r_i - 1}{r_i}, \qquad
    \widehat{\mathrm{var}}(\log \hat S) = \sum_i \frac{1}{r_i (r_i - 1)},

for a strictly decreasing *history* ``n >= r_1 > r_2 > ... > r_k >= 2`` (``d`` tied events
at risk ``r`` count as ``r, r-1, ..., r-d+1``: both the product and the sum telescope to the
tied-event terms ``(r-d)/r`` and ``d/(r(r-d))``). Censorings only decide which histories are
possible, and every strictly decreasing tuple is possible with suitable censoring. A transform is
consistent iff some history reproduces all printed numbers; the search enumerates exactly those
histories by branch-and-bound over risk-set sizes (depth-first, vectorized over states): a branch
is cut only when no completion can bring ``S`` into the estimate's interval (the smallest
reachable value below risk set ``c`` is ``S/c``, a telescoping product) or no completion can bring
the variance into the range the printed limits allow (bounds from the continuous relaxation of
the exact telescoping sums). Every listed history is re-verified through
:func:`survkit.estimate.batch.kaplan_meier_at` on a dataset realising it.

References
----------
Greenwood M. (1926). The natural duration of cancer. Reports on Public Health and Medical
Subjects 33. Kaplan E.L., Meier P. (1958). JASA 53:457-481. Brown N.J.L., Heathers J.A.J.
(2017). The GRIM test. Soc. Psychol. Personal. Sci. 8:363-369. Therneau T. (2023). survival
3.5, ``survfit_confint``. Borgan O., Liestol K. (1990). Scand. J. Stat. 17:35-41.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time as _time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.check.parse import Reported, Rounding, parse_endpoint, rounding_interval
from survkit.estimate.ci import CONF_TYPES, ConfType, check_conf_level, transform_bounds, z_value

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Largest ``n`` for which histories are counted (DP) and searched; above it only the printed
#: numbers are used.
MAX_N: Final[int] = 500
#: Above this ``n`` the result says that counts are DP bounds and listing is partial.
LARGE_N: Final[int] = 60
#: Listing budget per transform: states visited or generated before the enumeration stops
#: and says so (about 0.1-0.3 s for n <= 60).
DEFAULT_MAX_STATES: Final[int] = 1_000_000
_CHUNK: Final[int] = 1024
_TOL: Final[float] = 1e-12  # outward tolerance on printed intervals in exact comparisons
_TOL_GRID: Final[float] = 1e-9  # outward tolerance in the no-n (grid) analysis
_HMAX: Final[float] = 10.0
_NT: Final[int] = len(CONF_TYPES)


# --------------------------------------------------------------------------- results
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
    """

    at_risk: tuple[int, ...]
    events_before: tuple[int, ...]
    surv: tuple[float, ...]
    std_err_log: tuple[float, ...]

    def dataset(self, n: int) -> pd.DataFrame:
        """A dataset of ``n`` patients realising this history (see :func:`history_dataset`)."""
        t, e, _ = history_dataset(self.at_risk, self.events_before, n)
        return pd.DataFrame({"time": t, "event": e.astype(int)})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``at_risk``, ``events_before``, ``surv``, ``std_err_log``)."""
        return {
            "at_risk": list(self.at_risk),
            "events_before": list(self.events_before),
            "surv": list(self.surv),
            "std_err_log": list(self.std_err_log),
        }


@dataclass(frozen=True)
class MethodCheck:
    """Verdict for one CI transform.

    Attributes
    ----------
    conf_type : str
    consistent : bool
        Whether the transform can produce the printed numbers.
    se_log_range : tuple of float or None
        Implied range of :math:`SE(\\log \\hat S)` at the first landmark (``None`` if none).
    ess_range : tuple of float or None
        Implied effective sample size at the first landmark: the size ``m`` of a
        censoring-free sample with the same variance, :math:`m = (1 - S) / (S\\,SE^2)`.
    reason : str
        One line explaining an exclusion (empty when consistent, or a caveat).
    n_histories : int or None
        Number of histories: exact when the search was exhaustive, else the number found (a
        lower bound); ``None`` without ``n``.
    se_log_ranges, ess_ranges : tuple
        The same ranges for every landmark.
    n_histories_upper : int or None
        Certified upper bound on the number of histories (equal to ``n_histories`` when that
        is exact); from the counting DP when the listing search stopped early.
    """

    conf_type: str
    consistent: bool
    se_log_range: tuple[float, float] | None
    ess_range: tuple[float, float] | None
    reason: str
    n_histories: int | None = None
    se_log_ranges: tuple[tuple[float, float] | None, ...] = ()
    ess_ranges: tuple[tuple[float, float] | None, ...] = ()
    n_histories_upper: int | None = None

    @property
    def count_exact(self) -> bool:
        """Whether ``n_histories`` is the exact number of histories."""
        return self.n_histories is not None and self.n_histories == self.n_histories_upper

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "consistent": self.consistent,
            "se_log_range": list(self.se_log_range) if self.se_log_range else None,
            "ess_range": list(self.ess_range) if self.ess_range else None,
            "reason": self.reason,
            "n_histories": self.n_histories,
            "n_histories_upper": self.n_histories_upper,
        }


@dataclass(frozen=True)
class CICheck:
    """Result of :func:`check_ci`.

    Attributes
    ----------
    reported : tuple of Reported
        The printed endpoint(s), one per landmark.
    n : int or None
        Sample size used for the exact search.
    conf_level : float
    consistent : tuple of str
        Transforms that can produce the printed numbers, in :data:`CONF_TYPES` order.
    methods : Mapping[str, MethodCheck]
        Per-transform verdicts.
    histories : Mapping[str, tuple of History]
        Histories reproducing the numbers per transform (at most ``max_histories`` each).
    n_histories : Mapping[str, int]
        Exact number of histories per transform (a lower bound -- the number found -- when
        ``exhaustive`` is False).
    exhaustive : bool
        True when every count is exact: each transform was excluded by the counting DP or
        its listing search ran to completion (False without ``n``).
    notes : tuple of str
        Caveats (fallbacks, budget, count bounds, verification).
    n_histories_upper : Mapping[str, int]
        Certified upper bound on the number of histories per transform (the counting DP);
        equal to ``n_histories`` where that count is exact.
    decided : bool
        True when every verdict is certified: each transform is excluded by an exhaustive
        count of zero or has a listed, re-verified history (counts may still be bounds).
    """

    reported: tuple[Reported, ...]
    n: int | None
    conf_level: float
    consistent: tuple[str, ...]
    methods: Mapping[str, MethodCheck]
    histories: Mapping[str, tuple[History, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    n_histories: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    exhaustive: bool = False
    notes: tuple[str, ...] = ()
    n_histories_upper: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    decided: bool = False

    def to_frame(self) -> pd.DataFrame:
        """One row per transform: consistency, implied SE and ESS ranges, counts, reason."""
        rows = []
        for ct in CONF_TYPES:
            m = self.methods[ct]
            rows.append(
                {
                    "conf_type": ct,
                    "consistent": m.consistent,
                    "se_log_lo": m.se_log_range[0] if m.se_log_range else np.nan,
                    "se_log_hi": m.se_log_range[1] if m.se_log_range else np.nan,
                    "ess_lo": m.ess_range[0] if m.ess_range else np.nan,
                    "ess_hi": m.ess_range[1] if m.ess_range else np.nan,
                    "n_histories": m.n_histories,
                    "n_histories_upper": m.n_histories_upper,
                    "reason": m.reason,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout of ``survkit check --json``."""
        one = len(self.reported) == 1

        def val(name: str) -> Any:
            vals = [getattr(r, name) for r in self.reported]
            return vals[0] if one else vals

        return {
            "estimate": val("estimate"),
            "lower": val("lower"),
            "upper": val("upper"),
            "n": self.n,
            "conf_level": self.conf_level,
            "consistent": list(self.consistent),
            "methods": {ct: self.methods[ct].to_dict() for ct in CONF_TYPES},
            "histories": {
                ct: [h.to_dict() for h in self.histories.get(ct, ())] for ct in CONF_TYPES
            },
            "n_histories": {ct: self.n_histories.get(ct) for ct in CONF_TYPES},
            "n_histories_upper": {ct: self.n_histories_upper.get(ct) for ct in CONF_TYPES},
            "exhaustive": self.exhaustive,
            "decided": self.decided,
            "notes": list(self.notes),
        }

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of the number of histories (or consistency) per transform."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3))
        vals = [
            float(self.n_histories.get(ct, int(self.methods[ct].consistent)) or 0)
            for ct in CONF_TYPES
        ]
        colors = ["#0072B2" if self.methods[ct].consistent else "#BBBBBB" for ct in CONF_TYPES]
        ax.bar(list(CONF_TYPES), vals, color=colors)
        ax.set_ylabel("histories" if self.n is not None else "consistent")
        ax.set_title(", ".join(r.text for r in self.reported)[:80], fontsize=9)
        return ax


# --------------------------------------------------------------------------- helpers
def history_dataset(
    at_risk: Sequence[int], events_before: Sequence[int] | None, n: int
) -> tuple[FloatArray, NDArray[np.bool_], FloatArray]:
    """A dataset of ``n`` patients whose events happen at risk sets ``at_risk``.

    Events before landmark ``j`` (``events_before[j]`` cumulative) fall in ``(1000 j, 1000 j +
    999)``; before each event, censorings bring the risk set down to the required size; the
    landmarks are at ``1000 (j + 1) - 0.5`` and the survivors are censored after the last one.

    Returns
    -------
    time, event, landmarks : ndarray
    """
    r = [int(x) for x in at_risk]
    bps = [len(r)] if events_before is None else [int(x) for x in events_before]
    if any(b > a for a, b in itertools.pairwise(r)) or (r and (r[0] > n or r[-1] < 1)):
        raise ValueError(f"at_risk must be strictly decreasing within [1, n]; got {tuple(r)}")
    times: list[float] = []
    events: list[bool] = []
    cur = n
    i = 0
    for j, kj in enumerate(bps):
        step = 0
        while i < kj:
            need = cur - r[i]
            if need < 0 or (i > 0 and r[i] >= r[i - 1]):
                raise ValueError(f"at_risk must be strictly decreasing; got {tuple(r)}")
            base = 1000.0 * j + step + 1.0
            times.extend([base - 0.5] * need)
            events.extend([False] * need)
            times.append(base)
            events.append(True)
            cur = r[i] - 1
            i += 1
            step += 1
    landmarks = np.array([1000.0 * (j + 1) - 0.5 for j in range(len(bps))])
    times.extend([1000.0 * len(bps) + 500.0] * cur)
    events.extend([False] * cur)
    return np.array(times), np.array(events, dtype=bool), landmarks


@dataclass(frozen=True)
class _Landmark:
    """Printed intervals at one landmark (hull over rounding conventions) and facts.

    ``variants`` holds one ``_Landmark`` per rounding convention when several are allowed: the
    three numbers of one printed line share a convention (all rounded to nearest, or all
    truncated), so a match needs all three inside the intervals of one variant.
    """

    e: tuple[float, float]
    lo: tuple[float, float] | None
    hi: tuple[float, float] | None
    m: int | None
    d: int | None
    variants: tuple[_Landmark, ...] = ()


def _hull(
    a: tuple[float, float] | None, b: tuple[float, float] | None
) -> tuple[float, float] | None:
    if a is None or b is None:
        return a if b is None else b
    return (min(a[0], b[0]), max(a[1], b[1]))


def _in(x: FloatArray, iv: tuple[float, float] | None, tol: float) -> NDArray[np.bool_]:
    if iv is None:
        return np.ones(x.shape, dtype=bool)
    return (x >= iv[0] - tol) & (x <= iv[1] + tol)


def _match(
    s: FloatArray, lo: FloatArray, hi: FloatArray, lm: _Landmark, tol: float
) -> NDArray[np.bool_]:
    """Whether (estimate, lower, upper) print as the landmark's numbers (under one convention)."""
    if lm.variants:
        ok = np.zeros(s.shape, dtype=bool)
        for var in lm.variants:
            ok |= _match(s, lo, hi, var, tol)
        return ok
    ok = _in(s, lm.e, tol)
    if lm.lo is not None:
        ok &= _in(lo, lm.lo, tol)
    if lm.hi is not None:
        ok &= _in(hi, lm.hi, tol)
    return ok


def _bounds_ok(
    s: FloatArray, v: FloatArray, z: float, ct: ConfType, lm: _Landmark, tol: float
) -> NDArray[np.bool_]:
    lo, hi = transform_bounds(s, z * np.sqrt(v), ct)
    return _match(s, lo, hi, lm, tol)


# --------------------------------------------------------------------------- no-n analysis
def _conditions(
    a: FloatArray, b: FloatArray, h: FloatArray, ct: ConfType, lm: _Landmark
) -> NDArray[np.bool_]:
    """The four monotone cell conditions at half-widths ``h`` (shape (4, k)).

    Rows: 0 ``max(lower) >= L.lo`` (true for small h), 1 ``min(lower) <= L.hi`` (large h),
    2 ``min(upper) <= U.hi`` (small h), 3 ``max(upper) >= U.lo`` (large h). A limit's range on
    the cell ``[a, b]`` is taken from its values at ``a``, the midpoint and ``b``, widened by
    the midpoint's distance from the chord (a curvature bound: a smooth function can exceed
    its three samples by about a quarter of it) plus ``1e-9``.
    """
    k = a.size
    m = 0.5 * (a + b)
    s3 = np.broadcast_to(np.stack([a, m, b])[None, :, :], (4, 3, k))
    lo, up = transform_bounds(s3, np.broadcast_to(h[:, None, :], (4, 3, k)), ct)
    out = np.ones((4, k), dtype=bool)

    def rng(x: FloatArray) -> tuple[FloatArray, FloatArray]:
        dev = np.abs(x[1] - 0.5 * (x[0] + x[2]))
        slack = np.where(np.isfinite(dev), dev, 0.0) + _TOL_GRID
        low = np.fmin(np.fmin(x[0], x[1]), x[2]) - slack
        return low, np.fmax(np.fmax(x[0], x[1]), x[2]) + slack

    if lm.lo is not None:
        out[0] = rng(lo[0])[1] >= lm.lo[0]
        out[1] = rng(lo[1])[0] <= lm.lo[1]
    if lm.hi is not None:
        out[2] = rng(up[2])[0] <= lm.hi[1]
        out[3] = rng(up[3])[1] >= lm.hi[0]
    return out


_SUP = np.array([True, False, True, False])


def _thresholds(a: FloatArray, b: FloatArray, ct: ConfType, lm: _Landmark) -> FloatArray:
    """Outward thresholds in ``h`` of the four conditions of :func:`_conditions`, shape (4, k).

    Rows 0 and 2 (true for small h): an upper estimate of the largest true h (``-1`` if never
    true, ``inf`` if true at ``_HMAX``). Rows 1 and 3 (true for large h): a lower estimate of
    the smallest true h (``inf`` if never true). Bisection on [0, _HMAX], 40 halvings.
    """
    k = a.size
    lo = np.zeros((4, k))
    hi = np.full((4, k), _HMAX)
    c0 = _conditions(a, b, lo, ct, lm)
    c1 = _conditions(a, b, hi, ct, lm)
    sup = _SUP[:, None]
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        cm = _conditions(a, b, mid, ct, lm)
        move_lo = np.where(sup, cm, ~cm)
        lo = np.where(move_lo, mid, lo)
        hi = np.where(move_lo, hi, mid)
    sup_val = np.where(c0, np.where(c1, np.inf, hi), -1.0)
    inf_val = np.where(c0, 0.0, np.where(c1, lo, np.inf))
    return np.where(sup, sup_val, inf_val)


def _h_cells(
    lm: _Landmark, ct: ConfType, n_cells: int = 64
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, str]:
    """Feasible half-width interval per S-cell: (s_a, s_b, hlo, hhi, reason).

    The estimate's interval is cut into ``n_cells`` cells; on a cell, a limit's range comes
    from three samples widened by a curvature bound (see :func:`_conditions`), and both
    limits are monotone in ``h``.
    """
    e_lo = max(lm.e[0], 1e-12)
    e_hi = min(lm.e[1], 1.0 - 1e-12)
    if e_hi < e_lo:
        empty = np.empty(0)
        return empty, empty, empty, empty, "the estimate's interval holds only S = 0 or S = 1"
    grid = np.linspace(e_lo, e_hi, n_cells + 1)
    a, b = grid[:-1], grid[1:]
    th = _thresholds(a, b, ct, lm)
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


def _no_n(lm: _Landmark, ct: ConfType, z: float) -> tuple[
    tuple[float, float] | None, tuple[float, float] | None, str
]:
    """Implied SE(log S) range and effective sample size range without ``n``."""
    if lm.variants:
        parts = [_no_n(var, ct, z) for var in lm.variants]
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
    sa, sb, hlo, hhi, reason = _h_cells(lm, ct)
    if sa.size == 0:
        return None, None, reason or "no S in the estimate's interval fits"
    w = 1e-9
    se_lo = max(0.0, float(hlo.min()) / z * (1 - w))
    se_hi = float(hhi.max()) / z * (1 + w)
    se_hi = math.inf if se_hi >= _HMAX / z else se_hi
    # effective n: (1 - S) / (S se^2); smallest with large S and large se.
    with_se = hhi / z
    ess_lo_arr = (1 - sb) / (sb * np.square(np.maximum(with_se, 1e-300)))
    ess_lo = float(np.min(np.where(with_se > 0, ess_lo_arr, np.inf)))
    lo_se = hlo / z
    ess_hi_arr = np.where(lo_se > 0, (1 - sa) / (sa * np.square(np.maximum(lo_se, 1e-300))), np.inf)
    ess_hi = float(np.max(ess_hi_arr))
    return (se_lo, se_hi), (ess_lo, ess_hi), ""


# --------------------------------------------------------------------------- reachability
#: Coarse cells per rounding variant used by the reachability bound (hulls of the 64 no-n cells).
_REACH_CELLS: Final[int] = 16
_A_SLACK: Final[float] = 1e-9  # outward slack on log-decreases in the reachability bound


@dataclass(frozen=True)
class _Cells:
    r"""Boxes in :math:`(x, V) = (-\log S, \widehat{var}(\log S))` covering every printing point.

    The union of the boxes holds every ``(S, V)`` whose estimate and limits print as the
    landmark's numbers (under one of its rounding variants). Each box is the hull of a few
    consecutive no-n cells (:func:`_h_cells`), widened outward: ``x`` by ``1e-12``, the
    half-width ``h = z sqrt(V)`` by a relative ``1e-5``.
    """

    x0: FloatArray
    x1: FloatArray
    v0: FloatArray
    v1: FloatArray

    @property
    def size(self) -> int:
        return int(self.x0.size)


def _cells(lm: _Landmark, ct: ConfType, z: float, n_cells: int = _REACH_CELLS) -> _Cells:
    """The outward boxes of :class:`_Cells` for one landmark and transform."""
    xs0: list[FloatArray] = []
    xs1: list[FloatArray] = []
    vs0: list[FloatArray] = []
    vs1: list[FloatArray] = []
    for var in lm.variants or (lm,):
        sa, sb, hlo, hhi, _ = _h_cells(var, ct)
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
        return _Cells(empty, empty, empty, empty)
    return _Cells(
        np.concatenate(xs0), np.concatenate(xs1), np.concatenate(vs0), np.concatenate(vs1)
    )


def _a_range(c: FloatArray, q: FloatArray | None) -> tuple[FloatArray, FloatArray]:
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


def _reach(
    x0: FloatArray,
    x1: FloatArray,
    v0: FloatArray,
    v1: FloatArray,
    c: FloatArray,
    q: FloatArray | None,
    cells: _Cells,
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
    amin, amax = _a_range(c, q)
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
    out: NDArray[np.bool_] = np.asarray((lo <= hi + _A_SLACK).any(axis=1), dtype=bool)
    return out


def _hull_cell(cells: _Cells) -> _Cells:
    """One box: the hull of ``cells`` (a cheaper, looser :func:`_reach` target)."""
    if cells.size == 0:
        return cells
    return _Cells(
        np.array([cells.x0.min()]), np.array([cells.x1.max()]),
        np.array([cells.v0.min()]), np.array([cells.v1.max()]),
    )


def _overlap(
    x0: FloatArray, x1: FloatArray, v0: FloatArray, v1: FloatArray, cells: _Cells
) -> NDArray[np.bool_]:
    """Whether each box ``[x0, x1] x [v0, v1]`` meets one of ``cells``."""
    if cells.size == 0 or x0.size == 0:
        return np.zeros(x0.shape, dtype=bool)
    ok = (x1[:, None] >= cells.x0[None, :]) & (x0[:, None] <= cells.x1[None, :])
    ok &= (v1[:, None] >= cells.v0[None, :]) & (v0[:, None] <= cells.v1[None, :])
    out: NDArray[np.bool_] = np.asarray(ok.any(axis=1), dtype=bool)
    return out


# --------------------------------------------------------------------------- counting DP
@dataclass
class _DPResult:
    upper: float  # upper bound on the number of (history, landmark split) pairs
    exact_arith: bool  # every count stayed below 2**53 (float sums exact)
    buckets: int  # largest number of merged states in a layer
    guide: _Guide | None = None


@dataclass
class _Guide:
    """Transitions of the DP's merged states, layer by layer (one landmark only).

    For risk set ``r`` and a merged state ``b`` of the layer before deciding ``r``:
    ``take[r][b]`` / ``skip[r][b]`` is the merged state after an event / no event at ``r``
    (``-1`` when pruned) and ``useful[r][b]`` whether taking ``r`` can still lead to a
    printing history (it may print right away, or its successor can). All members of a merged
    state share its box, so a history prefix follows one deterministic chain of merged states,
    and a prefix whose chain is not useful has no completion (the DP's bounds are outward).
    """

    take: dict[int, IntArray]
    skip: dict[int, IntArray]
    useful: dict[int, NDArray[np.bool_]]


def _dp_upper(
    n: int,
    lms: list[_Landmark],
    cells: list[_Cells],
    *,
    grid: int = 16,
    max_buckets: int = 20_000,
    record: bool = False,
) -> _DPResult:
    r"""Upper bound on the number of histories by a DP over risk-set sizes with merged states.

    Risk sets are decided from ``n`` down to 2 (event or not). A DP state is a landmark index
    ``j``, an event count ``k`` (kept only when ``events_before`` is given), a flag for a run of
    tied events at the landmark's number at risk, a box ``[x0, x1] x [v0, v1]`` of
    :math:`(-\log S, V)` and the number of history prefixes in it. Taking risk set ``r``
    translates the box by :math:`(\log(r/(r-1)), 1/(r(r-1)))`; right after an event the
    state may close landmark ``j`` when its box meets the printing region (:class:`_Cells`,
    outward) and the facts hold. After each layer, states whose box cannot reach the
    printing region (:func:`_reach`) are dropped and states whose lower corners share a grid
    cell (``grid`` cells across the printing region per axis) are merged into the hull of
    their boxes with the sum of their counts. Every history that prints the numbers is
    counted, in the box that contains it, so the result is an upper bound (exact arithmetic
    while counts stay below :math:`2^{53}`; above that the float sums are rounded upward).
    With ``record`` (one landmark) the transitions between merged states are kept and marked
    backwards (:class:`_Guide`) so that the listing search can follow them.
    """
    nj = len(lms)
    use_k = any(lm.d is not None for lm in lms)
    d_of = np.array([-1 if lm.d is None else lm.d for lm in lms] + [-1], dtype=np.int64)
    m_of = np.array([-1 if lm.m is None else lm.m for lm in lms] + [-1], dtype=np.int64)
    cap_of = np.full(nj + 1, n, dtype=np.int64)
    for jj in range(1, nj + 1):
        cap_of[jj] = cap_of[jj - 1] if m_of[jj - 1] < 0 else min(cap_of[jj - 1], m_of[jj - 1])
    dx = np.ones(nj + 1)
    dv = np.ones(nj + 1)
    for jj, cl in enumerate(cells):
        if cl.size == 0:
            return _DPResult(0.0, True, 0)
        dx[jj] = max(float(cl.x1.max() - cl.x0.min()), 1e-9) / grid
        v1f = cl.v1[np.isfinite(cl.v1)]
        top = float(v1f.max()) if v1f.size else float(cl.v0.max()) + 1.0
        dv[jj] = max(top - float(cl.v0.min()), 1e-9) / grid
    big = float(2**53)
    exact = True
    hulls = [_hull_cell(cl) for cl in cells]
    near_x = [float(cl.x0.min()) - 0.2 for cl in cells]
    record = record and nj == 1
    rec_take: dict[int, IntArray] = {}
    rec_skip: dict[int, IntArray] = {}
    rec_close: dict[int, NDArray[np.bool_]] = {}

    def may_close(
        jv: IntArray, kv: IntArray, run: NDArray[np.bool_], last: int,
        x0: FloatArray, x1: FloatArray, v0: FloatArray, v1: FloatArray,
    ) -> NDArray[np.bool_]:
        out = np.zeros(jv.shape, dtype=bool)
        for jj in range(nj):
            sel = jv == jj
            if not sel.any():
                continue
            ok = sel.copy()
            if d_of[jj] >= 0:
                ok &= kv == d_of[jj]
            if m_of[jj] >= 0:
                ok &= run | (last > m_of[jj])
            if ok.any():
                idx = np.flatnonzero(ok)
                ok[idx] = _overlap(x0[idx], x1[idx], v0[idx], v1[idx], cells[jj])
            out |= ok
        return out

    # state columns
    j = np.zeros(1, dtype=np.int64)
    k = np.zeros(1, dtype=np.int64)
    run = np.zeros(1, dtype=bool)
    x0 = np.zeros(1)
    x1 = np.zeros(1)
    v0 = np.zeros(1)
    v1 = np.zeros(1)
    cnt = np.ones(1)
    completed = 0.0
    buckets = 1

    def chain(
        cols: tuple[Any, ...], last: int
    ) -> tuple[tuple[Any, ...], float]:
        """Close landmarks right after an event (repeatedly: no event between landmarks)."""
        done = 0.0
        extra: list[tuple[Any, ...]] = []
        cur = cols
        while cur[0].size:
            jc, kc, rc, c0, c1, e0, e1, cc = cur
            ok = may_close(jc, kc, rc, last, c0, c1, e0, e1)
            if not ok.any():
                break
            idx = np.flatnonzero(ok)
            jn = jc[idx] + 1
            fin = jn >= nj
            done += float(cc[idx][fin].sum())
            keep = idx[~fin]
            cur = (
                jc[keep] + 1, kc[keep], np.zeros(keep.size, dtype=bool),
                c0[keep], c1[keep], e0[keep], e1[keep], cc[keep],
            )
            extra.append(cur)
        if extra:
            parts = [cols, *extra]
            cols = tuple(np.concatenate([p[i] for p in parts]) for i in range(8))
        return cols, done

    (j, k, run, x0, x1, v0, v1, cnt), done = chain((j, k, run, x0, x1, v0, v1, cnt), n + 1)
    completed += done
    for r in range(n, 1, -1):
        if j.size == 0:
            break
        a_r = math.log(r / (r - 1.0))
        b_r = 1.0 / (r * (r - 1.0))
        dj = d_of[j]
        mj = m_of[j]
        can_take = r <= cap_of[j]
        can_take &= (dj < 0) | (k < dj)
        can_take &= (mj < 0) | (r >= mj) | run
        can_skip = np.logical_not(run) & ~((mj >= 0) & (r <= mj))
        ti = np.flatnonzero(can_take)
        tk = (
            j[ti], k[ti] + 1, (mj[ti] >= 0) & (r <= mj[ti]),
            x0[ti] + a_r * (1 - 1e-15), x1[ti] + a_r * (1 + 1e-15),
            v0[ti] + b_r * (1 - 1e-15), v1[ti] + b_r * (1 + 1e-15), cnt[ti],
        )
        nb_prev = j.size
        if record:
            closes = may_close(tk[0], tk[1], tk[2], r, tk[3], tk[4], tk[5], tk[6])
            rec_close[r] = np.zeros(nb_prev, dtype=bool)
            rec_close[r][ti] = closes
            rec_take[r] = np.full(nb_prev, -1, dtype=np.int64)
            rec_skip[r] = np.full(nb_prev, -1, dtype=np.int64)
        tk, done = chain(tk, r)
        completed += done
        si = np.flatnonzero(can_skip)
        cols = tuple(
            np.concatenate([a[si], b])
            for a, b in zip((j, k, run, x0, x1, v0, v1, cnt), tk, strict=True)
        )
        j, k, run, x0, x1, v0, v1, cnt = cols
        if j.size == 0 or r == 2:
            break
        # ---- merge states whose lower corners share a grid cell
        scale = 1.0
        while True:
            bx = np.floor(x0 / (dx[j] * scale)).astype(np.int64)
            bv = np.floor(v0 / (dv[j] * scale)).astype(np.int64)
            nbx = int(bx.max()) + 1
            nbv = int(bv.max()) + 1
            key = ((j * (n + 2) + k) * 2 + run) * nbx
            key = (key + bx) * nbv + bv
            order = np.argsort(key, kind="stable")
            ks = key[order]
            starts = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1])))
            if starts.size <= max_buckets:
                break
            scale *= 2.0
        nb = int(starts.size)
        buckets = max(buckets, nb)
        if record:
            flag = np.zeros(ks.size, dtype=np.int64)
            flag[starts] = 1
            inv = np.empty(ks.size, dtype=np.int64)
            inv[order] = np.cumsum(flag) - 1
        ncnt = np.add.reduceat(cnt[order], starts)
        if exact and ncnt.max() >= big:
            exact = False
        if not exact:
            ncnt = ncnt * (1.0 + 4e-16 * (cnt.size + 1))
        first = order[starts]
        j, k, run = j[first], k[first], run[first]
        x0 = np.minimum.reduceat(x0[order], starts)
        v0 = np.minimum.reduceat(v0[order], starts)
        x1 = np.maximum.reduceat(x1[order], starts)
        v1 = np.maximum.reduceat(v1[order], starts)
        cnt = ncnt
        # ---- prune: can the state still close its landmark with events at risk sets < r?
        c = np.minimum(float(r - 1), cap_of[j].astype(np.float64))
        q = None
        if use_k:
            dj = d_of[j]
            q = np.where(dj >= 0, (dj - k).astype(np.float64), np.nan)
        alive = np.zeros(j.size, dtype=bool)
        for jj in range(nj):
            sel = np.flatnonzero(j == jj)
            if sel.size == 0:
                continue
            qq = None
            if q is not None and d_of[jj] >= 0:
                qq = q[sel]
            ok = _reach(x0[sel], x1[sel], v0[sel], v1[sel], c[sel], qq, hulls[jj])
            near = ok & (x1[sel] >= near_x[jj])
            if near.any():  # close to the target: each S-cell's own variance window
                ni = sel[near]
                ok[near] = _reach(
                    x0[ni], x1[ni], v0[ni], v1[ni], c[ni],
                    None if qq is None else qq[near], cells[jj],
                )
            alive[sel] = ok
        if m_of[:nj].max() >= 0:
            # outside a run, a landmark with a risk-table fact takes no events below it
            mj = m_of[j]
            alive &= run | (mj < 0) | (r - 1 >= mj)
        idx = np.flatnonzero(alive)
        if record:
            newidx = np.where(alive, np.cumsum(alive) - 1, -1)
            rec_skip[r][si] = newidx[inv[: si.size]]
            rec_take[r][ti] = newidx[inv[si.size:]]
        j, k, run = j[idx], k[idx], run[idx]
        x0, x1, v0, v1, cnt = x0[idx], x1[idx], v0[idx], v1[idx], cnt[idx]
        if j.size == 0:
            break
    guide = None
    if record:
        useful: dict[int, NDArray[np.bool_]] = {}
        below = np.zeros(0, dtype=bool)  # usefulness of the states after deciding r
        for r in range(2, n + 1):
            if r not in rec_take:
                below = np.zeros(0, dtype=bool)
                continue
            tc, sc = rec_take[r], rec_skip[r]
            ok_t = (tc >= 0) & (tc < below.size)
            ok_s = (sc >= 0) & (sc < below.size)
            ut = rec_close[r].copy()
            ut[ok_t] |= below[tc[ok_t]]
            us = np.zeros(tc.size, dtype=bool)
            us[ok_s] = below[sc[ok_s]]
            useful[r] = ut
            below = ut | us
        guide = _Guide(rec_take, rec_skip, useful)
    return _DPResult(completed, exact and completed < big, buckets, guide)


# --------------------------------------------------------------------------- exact search
@dataclass
class _SearchResult:
    count: int
    masks: IntArray  # (L,) listed histories as bit masks (bit r set = event at risk set r)
    bps: IntArray  # (L, J) events up to each landmark
    sat: FloatArray  # (L, J) S at each landmark
    vat: FloatArray  # (L, J) var(log S) at each landmark
    v_min: FloatArray  # (J,) over all found histories
    v_max: FloatArray
    ess_min: FloatArray
    ess_max: FloatArray
    exhaustive: bool
    states: int


def _search(
    n: int,
    lms: list[_Landmark],
    z: float,
    ct: ConfType,
    vrange: FloatArray,  # (J, 2) outward var(log S) range allowed at each landmark
    max_list: int,
    max_states: int,
    cells: list[_Cells] | None = None,
    guide: _Guide | None = None,
) -> _SearchResult:
    """Depth-first branch-and-bound over risk-set sizes for one transform (vectorized chunks).

    A state is a history prefix (S, V, last risk set, cap on the next risk set, bit mask,
    event count, in-run flag, landmark index). At landmark ``j`` a state may *close* (its S
    and limits are checked against the printed intervals; the next landmark starts with the
    cap lowered to the number at risk) and may *grow* by one event at risk set ``r' <= cap``.
    Growth is cut when (a) ``S (r'-1)/r' <`` the estimate's lower end, (b) even taking every
    remaining risk set the smallest reachable ``S`` -- ``S/(r'-1)`` by telescoping, or
    ``S/(q+1)`` with ``q`` events left when ``events_before`` is given -- stays above the
    estimate's upper end, or (c) the variance cannot land in the allowed range: reaching a log
    decrease ``a`` with risk sets below ``c`` costs at least ``(e^a - 1)/c`` and at most
    ``1 - e^{-a}`` (convex/concave hulls of the exact telescoping sums); (d) with ``cells``,
    the child can neither print the numbers now nor reach the printing region of its landmark
    with more events (:func:`_reach`, the same bounds against each S-cell's own variance
    window); (e) with ``guide`` (one landmark), the prefix's chain of merged DP states
    (:class:`_Guide`) cannot lead to a printing history. Histories are kept as bit masks of
    ``n // 63 + 1`` 64-bit words.
    """
    nj = len(lms)
    nw = _n_words(n)
    hulls = [_hull_cell(cl) for cl in cells] if cells is not None else []
    near_x = [float(cl.x0.min()) - 0.2 if cl.size else 0.0 for cl in cells or []]
    count = 0
    l_masks: list[IntArray] = []
    l_bps: list[IntArray] = []
    l_sat: list[FloatArray] = []
    l_vat: list[FloatArray] = []
    listed = 0
    v_min = np.full(nj, np.inf)
    v_max = np.full(nj, -np.inf)
    ess_min = np.full(nj, np.inf)
    ess_max = np.full(nj, -np.inf)
    stack: list[dict[str, Any]] = [
        {
            "j": 0,
            "s": np.array([1.0]),
            "v": np.array([0.0]),
            "last": np.array([n + 1], dtype=np.int64),
            "cap": np.array([n], dtype=np.int64),
            "mask": np.zeros((1, nw), dtype=np.int64),
            "k": np.array([0], dtype=np.int64),
            "inrun": np.array([False]),
            "b": np.zeros(1, dtype=np.int64),
            "bps": np.full((1, nj), -1, dtype=np.int64),
            "sat": np.full((1, nj), np.nan),
            "vat": np.full((1, nj), np.nan),
        }
    ]
    states = 0
    exhaustive = True
    one = np.int64(1)
    while stack:
        st = stack.pop()
        s, v, last, cap, k, inrun = st["s"], st["v"], st["last"], st["cap"], st["k"], st["inrun"]
        size = s.size
        states += size
        if states > max_states:
            exhaustive = False
            break
        j = st["j"]
        lm = lms[j]
        # ---- close landmark j here
        close = _in(s, lm.e, _TOL)
        if lm.d is not None:
            close &= k == lm.d
        if lm.m is not None:
            close &= inrun | (last > lm.m)
        if close.any():
            idx = np.flatnonzero(close)
            ok = _bounds_ok(s[idx], v[idx], z, ct, lm, _TOL)
            gi = idx[ok]
            if gi.size:
                bps = st["bps"][gi].copy()
                sat = st["sat"][gi].copy()
                vat = st["vat"][gi].copy()
                bps[:, j] = k[gi]
                sat[:, j] = s[gi]
                vat[:, j] = v[gi]
                if j == nj - 1:
                    count += gi.size
                    ess = (1.0 - sat) / (sat * np.maximum(vat, 1e-300))
                    v_min = np.minimum(v_min, vat.min(axis=0))
                    v_max = np.maximum(v_max, vat.max(axis=0))
                    ess_min = np.minimum(ess_min, ess.min(axis=0))
                    ess_max = np.maximum(ess_max, ess.max(axis=0))
                    room = max_list - listed
                    if room > 0:
                        take = slice(0, room)
                        l_masks.append(st["mask"][gi][take])
                        l_bps.append(bps[take])
                        l_sat.append(sat[take])
                        l_vat.append(vat[take])
                        listed += min(room, gi.size)
                else:
                    ncap = cap[gi] if lm.m is None else np.minimum(cap[gi], lm.m)
                    stack.append(
                        {
                            "j": j + 1,
                            "s": s[gi],
                            "v": v[gi],
                            "last": last[gi],
                            "cap": ncap,
                            "mask": st["mask"][gi],
                            "k": k[gi],
                            "inrun": np.zeros(gi.size, dtype=bool),
                            "b": st["b"][gi],
                            "bps": bps,
                            "sat": sat,
                            "vat": vat,
                        }
                    )
        # ---- add one more event before landmark j
        if lm.d is not None:
            grow_ok = k < lm.d
            if not grow_ok.any():
                continue
        else:
            grow_ok = np.ones(size, dtype=bool)
        e_lo, e_hi = lm.e
        # smallest admissible next risk set (conservative: one below the exact bound)
        q = e_lo / s
        r_a = np.where(q < 1.0, np.floor(1.0 / np.maximum(1.0 - q, 1e-300)) - 1.0, np.inf)
        r_b = np.floor(s / max(e_hi, 1e-300)) - 1.0
        lo_r = np.maximum(np.maximum(r_a, r_b), 2.0)
        hi_r = cap.astype(np.float64)
        if lm.m is not None:
            lo_r = np.where(inrun, np.maximum(last - 1.0, 2.0), np.maximum(lo_r, float(lm.m)))
            hi_r = np.where(inrun, last - 1.0, hi_r)
        cnt = np.where(grow_ok & (hi_r >= lo_r), hi_r - lo_r + 1.0, 0.0)
        cnt = np.where(np.isfinite(cnt), cnt, 0.0).astype(np.int64)
        total = int(cnt.sum())
        if total == 0:
            continue
        states += total
        par = np.repeat(np.arange(size), cnt)
        offs = np.cumsum(cnt) - cnt
        r = lo_r[par].astype(np.int64) + (np.arange(total) - offs[par])
        child_b = np.zeros(total, dtype=np.int64)
        if guide is not None:
            # follow each parent's merged DP state down its layers (no event) to every r
            capi = cap.astype(np.int64)
            top = int(hi_r[cnt > 0].max())
            bottom = int(r.min())
            bat = np.full((size, top - bottom + 1), -1, dtype=np.int64)
            cur = np.full(size, -1, dtype=np.int64)
            for rr in range(int(capi.max()), bottom - 1, -1):
                cur = np.where(capi == rr, st["b"], cur)
                if rr <= top:
                    bat[:, rr - bottom] = cur
                sk = guide.skip.get(rr)
                ok = cur >= 0
                if sk is None or not ok.any():
                    cur = np.full(size, -1, dtype=np.int64)
                else:
                    cur = np.where(ok, sk[np.where(ok, cur, 0)], -1)
            bb = bat[par, r - bottom]
            allowed = bb >= 0
            ai = np.flatnonzero(allowed)
            useful = np.zeros(total, dtype=bool)
            for rr in np.unique(r[ai]):
                sel = ai[r[ai] == rr]
                u = guide.useful.get(int(rr))
                t = guide.take.get(int(rr))
                if u is None or t is None:
                    continue
                useful[sel] = u[bb[sel]]
                child_b[sel] = t[bb[sel]]
            keep_g = useful
        else:
            keep_g = np.ones(total, dtype=bool)
        rf = r.astype(np.float64)
        s_c = s[par] * ((rf - 1.0) / rf)
        v_c = v[par] + 1.0 / (rf * (rf - 1.0))
        c_next = rf - 1.0
        reach = np.maximum(c_next, 1.0)
        keep = keep_g & (s_c >= e_lo - _TOL)
        if lm.d is not None:
            left = (lm.d - (k[par] + 1)).astype(np.float64)
            reach = np.minimum(reach, left + 1.0)
            keep &= left <= np.maximum(rf - 2.0, 0.0)
        keep &= s_c / reach <= e_hi + _TOL
        # variance: cheapest and dearest ways to finish inside the estimate's interval
        log_s = np.log(s_c)
        a_need = np.maximum(log_s - math.log(max(e_hi, 1e-300)), 0.0)
        vmin_add = np.where(
            a_need > 0, np.expm1(np.minimum(a_need, 700.0)) / reach_cap(c_next), 0.0
        ) * (1 - 1e-9)
        a_max = np.maximum(log_s - math.log(max(e_lo, 1e-300)), 0.0)
        all_below = np.maximum(1.0 - 1.0 / np.maximum(c_next, 1.0), 0.0)
        vmax_add = np.minimum(-np.expm1(-a_max), all_below)
        vmax_add = vmax_add * (1 + 1e-9) + 1e-15
        lo_v, hi_v = vrange[j]
        keep &= (v_c + vmin_add <= hi_v) & (v_c + vmax_add >= lo_v)
        if not keep.any():
            continue
        ki = np.flatnonzero(keep)
        if cells is not None:
            # (d) print now, or reach the printing region with more events
            xk = -np.log(s_c[ki])
            vk = v_c[ki]
            kk = k[par[ki]] + 1
            now = _overlap(xk, xk, vk, vk, cells[j])
            qk = None
            if lm.d is not None:
                now &= kk == lm.d
                qk = (lm.d - kk).astype(np.float64)
            ck = c_next[ki]
            later = _reach(xk, xk, vk, vk, ck, qk, hulls[j])
            near = later & (xk >= near_x[j])
            if near.any():  # close to the target: each S-cell's own variance window
                ni = np.flatnonzero(near)
                later[ni] = _reach(
                    xk[ni], xk[ni], vk[ni], vk[ni], ck[ni],
                    None if qk is None else qk[ni], cells[j],
                )
            ki = ki[now | later]
            if ki.size == 0:
                continue
        pk = par[ki]
        rk = r[ki]
        cmask = st["mask"][pk].copy()
        cmask[np.arange(ki.size), rk // 63] |= one << (rk % 63)
        child = {
            "s": s_c[ki],
            "v": v_c[ki],
            "last": rk,
            "cap": rk - 1,
            "mask": cmask,
            "k": k[pk] + 1,
            "inrun": inrun[pk] | (rk <= lm.m) if lm.m is not None else np.zeros(ki.size, bool),
            "bps": st["bps"][pk],
            "sat": st["sat"][pk],
            "vat": st["vat"][pk],
            "b": child_b[ki],
        }
        nk = ki.size
        for start in range(((nk - 1) // _CHUNK) * _CHUNK, -1, -_CHUNK):
            sl = slice(start, start + _CHUNK)
            sub: dict[str, Any] = {key: val[sl] for key, val in child.items()}
            sub["j"] = j
            stack.append(sub)
    if l_masks:
        masks = np.concatenate(l_masks)
        bps_a = np.concatenate(l_bps)
        sat_a = np.concatenate(l_sat)
        vat_a = np.concatenate(l_vat)
    else:
        masks = np.zeros((0, nw), dtype=np.int64)
        bps_a = np.zeros((0, nj), dtype=np.int64)
        sat_a = np.zeros((0, nj))
        vat_a = np.zeros((0, nj))
    return _SearchResult(
        count, masks, bps_a, sat_a, vat_a, v_min, v_max, ess_min, ess_max, exhaustive, states
    )


def reach_cap(c_next: FloatArray) -> FloatArray:
    """Largest next risk set, at least 1 (guards the division in the variance bound)."""
    return np.maximum(c_next, 1.0)


def _n_words(n: int) -> int:
    """64-bit words per history bit mask (63 bits used per word, risk sets 0..n)."""
    return n // 63 + 1


def _mask_bits(masks: IntArray, n: int) -> NDArray[np.bool_]:
    """(B, n + 1) boolean matrix: column r is True when risk set r is in the history.

    ``masks`` has shape (B, words); risk set ``r`` is bit ``r % 63`` of word ``r // 63``.
    """
    cols = np.arange(n + 1, dtype=np.int64)
    return ((masks[:, cols // 63] >> (cols % 63)[None, :]) & 1).astype(bool)


def _datasets(masks: IntArray, bps: IntArray, n: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Vectorized :func:`history_dataset` for many histories: (time, event, landmarks).

    Patient ``p`` (1..n) is the one whose exit takes the risk set from ``p`` to ``p - 1``:
    an event when ``p`` is in the history, else a censoring just before the next event (or
    after the last landmark when no event follows).
    """
    nb = masks.shape[0]
    nj = bps.shape[1]
    bits = _mask_bits(masks, n)[:, 1:]  # (B, n): column p-1 <-> risk set p
    above = np.cumsum(bits[:, ::-1], axis=1)[:, ::-1]  # events at risk sets >= p
    # index of this event, or of the next event below a censoring
    idx: NDArray[np.int64] = above - bits
    seg = (idx[:, :, None] >= bps[:, None, :]).sum(axis=2)  # landmarks passed before it
    p = np.arange(1, n + 1, dtype=np.float64)[None, :]
    t = 1000.0 * seg + (n - p + 1.0) - np.where(bits, 0.0, 0.5)
    t = np.where(seg >= nj, 1000.0 * nj + 500.0, t)
    landmarks = 1000.0 * np.arange(1, nj + 1) - 0.5
    return t.reshape(nb, n), bits.astype(np.float64), landmarks


def _verify(
    n: int, lms: list[_Landmark], level: float, ct: ConfType, res: _SearchResult
) -> NDArray[np.bool_]:
    """Re-verify listed histories through the batched Kaplan-Meier engine on realising data."""
    from survkit.estimate.batch import kaplan_meier_at

    nb = res.masks.shape[0]
    if nb == 0:
        return np.zeros(0, dtype=bool)
    ok = np.ones(nb, dtype=bool)
    step = max(1, 2_000_000 // max(n, 1))
    for start in range(0, nb, step):
        sl = slice(start, start + step)
        tt, ee, landmarks = _datasets(res.masks[sl], res.bps[sl], n)
        out = kaplan_meier_at(tt, ee, landmarks, conf_type=ct, conf_level=level)
        part = np.ones(tt.shape[0], dtype=bool)
        for j, lm in enumerate(lms):
            part &= _match(out.surv[:, j], out.lower[:, j], out.upper[:, j], lm, _TOL)
        ok[sl] = part
    return ok


# --------------------------------------------------------------------------- public API
def _landmark(rep: Reported, m: int | None, d: int | None) -> _Landmark:
    """The printed intervals of ``rep``; with ``rounding="any"`` one variant per convention."""
    hull = _Landmark(
        e=rep.estimate_interval,
        lo=None if rep.lower is None else rep.lower_interval,
        hi=None if rep.upper is None else rep.upper_interval,
        m=m,
        d=d,
    )
    if rep.rounding != "any":
        return hull
    mult = 100.0 if rep.scale == "percent" else 1.0
    variants = []
    for conv in ("nearest", "truncate"):

        def iv(x: float | None, dec: int, conv: Rounding = conv) -> tuple[float, float] | None:
            if x is None:
                return None
            return rounding_interval(round(x * mult, dec), dec, conv, scale=mult)

        e = iv(rep.estimate, rep.decimals[0])
        if e is None:  # pragma: no cover - the estimate is always a number
            return hull
        variants.append(
            _Landmark(
                e=e,
                lo=iv(rep.lower, rep.decimals[1]),
                hi=iv(rep.upper, rep.decimals[2]),
                m=m,
                d=d,
            )
        )
    return dataclasses.replace(hull, variants=tuple(variants))


def _per_landmark(x: Any, nl: int, name: str, n: int | None) -> list[int | None]:
    if x is None:
        return [None] * nl
    vals = [x] if isinstance(x, (int, np.integer)) and not isinstance(x, bool) else x
    if isinstance(vals, (str, bytes)) or not isinstance(vals, Sequence | np.ndarray):
        raise TypeError(f"{name} must be an int or a sequence of ints, got {x!r}")
    out: list[int | None] = []
    for v in vals:
        if v is None:
            out.append(None)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must hold integers, got {v!r}")
        if v < 0:
            raise ValueError(f"{name} must be >= 0, got {v}")
        if n is not None and v > n:
            raise ValueError(f"{name} = {v} exceeds n = {n}")
        out.append(int(v))
    if len(out) != nl:
        raise ValueError(f"{name} has {len(out)} values for {nl} landmark(s)")
    return out


def check_ci(
    reported: Reported | str | Sequence[Reported | str],
    n: int | None = None,
    *,
    conf_level: float | None = None,
    n_risk_at: int | Sequence[int | None] | None = None,
    events_before: int | Sequence[int | None] | None = None,
    max_histories: int = 10_000,
    max_states: int = DEFAULT_MAX_STATES,
) -> CICheck:
    r"""Which CI transforms (and which event histories) can produce a printed KM estimate and CI.

    Parameters
    ----------
    reported : Reported or str, or a sequence of them
        The printed endpoint(s); strings go through :func:`parse_endpoint`. Several landmarks
        of one endpoint (e.g. 6 and 12 months, in time order) are checked jointly: one history
        and one transform must produce all of them.
    n : int, optional
        Number of patients. Without it only the three numbers are used.
    conf_level : float, optional
        CI level; default the printed one, else 0.95.
    n_risk_at : int or sequence, optional
        Number at risk at each landmark (R ``summary(fit, times=)`` convention: time >= t; a
        count of time > t is also covered).
    events_before : int or sequence, optional
        Cumulative number of events up to each landmark.
    max_histories : int
        Histories listed per transform (the count in ``n_histories`` is exact regardless).
    max_states : int
        Search budget in visited states; when exceeded the result says so
        (``exhaustive=False``), transforms without a witness are then kept (never excluded).

    Returns
    -------
    CICheck

    Notes
    -----
    A history is a strictly decreasing tuple of risk-set sizes at the events up to the
    landmark; :math:`\hat S = \prod (r_i - 1)/r_i` and
    :math:`\widehat{var}(\log \hat S) = \sum 1/(r_i(r_i-1))` (Greenwood 1926). The limits
    come from :func:`survkit.estimate.ci.transform_bounds` with half-width
    :math:`z\,SE(\log\hat S)`. Comparisons use the printed numbers' rounding intervals, widened
    outward by ``1e-12``, so no history that prints the given numbers is lost ("recall is
    sacred"); every listed history is re-checked with
    :func:`survkit.estimate.batch.kaplan_meier_at`.
    """
    items = [reported] if isinstance(reported, (Reported, str)) else list(reported)
    if not items:
        raise ValueError("reported is empty")
    reps: list[Reported] = []
    for it in items:
        if isinstance(it, str):
            reps.append(parse_endpoint(it))
        elif isinstance(it, Reported):
            reps.append(it)
        else:
            raise TypeError(f"reported must be a Reported or a string, got {type(it).__name__}")
    for rep in reps:
        if rep.kind != "survival":
            raise ValueError(
                f"reported {rep.text!r} is a time (a median or other quantile), not a survival "
                "probability; check_ci checks printed survival probabilities with their CI"
            )
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"n must be an integer, got {n!r}")
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        n = int(n)
    if isinstance(max_histories, bool) or not isinstance(max_histories, int) or max_histories < 0:
        raise ValueError(f"max_histories must be a non-negative integer, got {max_histories!r}")
    levels = {r.conf_level for r in reps if r.conf_level is not None}
    if conf_level is None:
        if len(levels) > 1:
            raise ValueError(f"the landmarks print different CI levels: {sorted(levels)}")
        level = levels.pop() if levels else 0.95
    else:
        level = check_conf_level(conf_level)
    z = z_value(level)
    nl = len(reps)
    ms = _per_landmark(n_risk_at, nl, "n_risk_at", n)
    ds = _per_landmark(events_before, nl, "events_before", n)
    for name, seq, sign in (("n_risk_at", ms, -1), ("events_before", ds, 1)):
        known = [x for x in seq if x is not None]
        if any((b - a) * sign < 0 for a, b in itertools.pairwise(known)):
            order = "non-increasing" if sign < 0 else "non-decreasing"
            raise ValueError(f"{name} must be {order} over landmarks, got {seq}")
    lms = [_landmark(r, m, d) for r, m, d in zip(reps, ms, ds, strict=True)]

    notes: list[str] = []
    # ---- no-n analysis per transform and landmark
    se_ranges: dict[str, list[tuple[float, float] | None]] = {}
    ess_ranges: dict[str, list[tuple[float, float] | None]] = {}
    reasons: dict[str, str] = {}
    for ct in CONF_TYPES:
        se_ranges[ct], ess_ranges[ct] = [], []
        for j, lm in enumerate(lms):
            se_r, ess_r, why = _no_n(lm, ct, z)
            se_ranges[ct].append(se_r)
            ess_ranges[ct].append(ess_r)
            if se_r is None and ct not in reasons:
                where = f" at landmark {j + 1}" if nl > 1 else ""
                reasons[ct] = f"{why}{where}"
    nonn_ok = {ct: ct not in reasons for ct in CONF_TYPES}

    if n is None or n > MAX_N:
        if n is not None:
            notes.append(
                f"n = {n} > {MAX_N}: histories not counted and not enumerated; verdicts from "
                "the printed numbers alone"
            )
        methods: dict[str, MethodCheck] = {
            ct: MethodCheck(
                conf_type=ct,
                consistent=nonn_ok[ct],
                se_log_range=se_ranges[ct][0],
                ess_range=ess_ranges[ct][0],
                reason=reasons.get(ct, ""),
                n_histories=None,
                se_log_ranges=tuple(se_ranges[ct]),
                ess_ranges=tuple(ess_ranges[ct]),
            )
            for ct in CONF_TYPES
        }
        return CICheck(
            reported=tuple(reps),
            n=n,
            conf_level=level,
            consistent=tuple(ct for ct in CONF_TYPES if nonn_ok[ct]),
            methods=MappingProxyType(methods),
            exhaustive=False,
            notes=tuple(notes),
        )

    # ---- per transform: counting DP (an upper bound), then the listing search
    if n > LARGE_N:
        notes.append(
            f"n = {n} > {LARGE_N}: verdicts from the counting DP over risk-set sizes (a "
            "transform is excluded when no history can print the numbers) and the printed "
            "numbers; histories are listed only as far as the search budget reaches, and "
            "counts are given as bounds"
        )
    histories: dict[str, tuple[History, ...]] = {}
    n_hist: dict[str, int] = {}
    n_upper: dict[str, int] = {}
    methods = {}
    consistent: list[str] = []
    all_exhaustive = True
    decided = True
    facts = any(x is not None for x in ms + ds)
    for ct in CONF_TYPES:
        if not nonn_ok[ct]:
            histories[ct] = ()
            n_hist[ct] = 0
            n_upper[ct] = 0
            methods[ct] = MethodCheck(
                conf_type=ct,
                consistent=False,
                se_log_range=None,
                ess_range=None,
                reason=reasons[ct],
                n_histories=0,
                se_log_ranges=tuple(se_ranges[ct]),
                ess_ranges=tuple(ess_ranges[ct]),
                n_histories_upper=0,
            )
            continue
        vrange = np.empty((nl, 2))
        for j in range(nl):
            se_r = se_ranges[ct][j]
            if se_r is None:  # pragma: no cover - excluded above
                raise RuntimeError("internal: missing SE range")
            vrange[j, 0] = (se_r[0] * (1 - 1e-6)) ** 2
            vrange[j, 1] = (se_r[1] * (1 + 1e-6)) ** 2 + 1e-15
        cells = [_cells(lm, ct, z) for lm in lms]
        t0 = _time.perf_counter()
        dp = _dp_upper(n, lms, cells, max_buckets=max(2_000, 1_200_000 // n), record=True)
        # the trivial bound: subsets of {2..n} times the ways to split them at the landmarks
        trivial = 2 ** (n - 1) * (n + 1) ** (nl - 1)
        upper = min(math.ceil(dp.upper), trivial) if math.isfinite(dp.upper) else trivial
        res: _SearchResult | None = None
        count = 0
        exhaustive = True
        if upper > 0:
            res = _search(n, lms, z, ct, vrange, max_histories, max_states, cells, dp.guide)
            exhaustive = res.exhaustive
            if res.count == 0 and not exhaustive and n <= LARGE_N:
                # undecided: a finer DP (3x grid, 4x cells) and its guide, same budget
                cells = [_cells(lm, ct, z, 4 * _REACH_CELLS) for lm in lms]
                dp = _dp_upper(n, lms, cells, grid=48, max_buckets=100_000, record=True)
                upper = min(upper, math.ceil(dp.upper))
                res = None
                exhaustive = True
                if upper > 0:
                    res = _search(
                        n, lms, z, ct, vrange, max_histories, max_states, cells, dp.guide
                    )
                    exhaustive = res.exhaustive
        elapsed = _time.perf_counter() - t0
        hist: tuple[History, ...] = ()
        if res is not None:
            ok = _verify(n, lms, level, ct, res)
            bad = int((~ok).sum())
            if bad:
                notes.append(
                    f"{ct}: {bad} listed histories failed re-verification with kaplan_meier_at "
                    "and were dropped"
                )
            count = res.count - bad
            keep = np.flatnonzero(ok)
            bits = _mask_bits(res.masks[keep], n)
            hist = tuple(
                History(
                    at_risk=tuple(int(x) for x in np.flatnonzero(bits[i])[::-1]),
                    events_before=tuple(int(x) for x in res.bps[q]),
                    surv=tuple(float(x) for x in res.sat[q]),
                    std_err_log=tuple(math.sqrt(float(x)) for x in res.vat[q]),
                )
                for i, q in enumerate(keep)
            )
        if exhaustive:
            upper = count
        else:
            all_exhaustive = False
            decided = decided and count > 0
            states = res.states if res is not None else 0
            notes.append(
                f"{ct}: the listing search stopped after {states:,} states ({elapsed:.1f} s) "
                f"with {count:,} histories (a lower bound); the counting DP bounds the total "
                f"by {upper:,}: the count is in [{count:,}, {upper:,}]"
                + ("" if count else " and the transform is kept, not excluded")
            )
        histories[ct] = hist
        n_hist[ct] = count
        n_upper[ct] = upper
        is_ok = count > 0 or not exhaustive
        if count > 0 and res is not None:
            se_list: list[tuple[float, float] | None] = [
                (math.sqrt(res.v_min[j]), math.sqrt(res.v_max[j])) for j in range(nl)
            ]
            ess_list: list[tuple[float, float] | None] = [
                (float(res.ess_min[j]), float(res.ess_max[j])) for j in range(nl)
            ]
            if not exhaustive:  # found histories are a subset: widen to the no-n ranges
                se_list = [_hull(a, b) for a, b in zip(se_list, se_ranges[ct], strict=True)]
                ess_list = [_hull(a, b) for a, b in zip(ess_list, ess_ranges[ct], strict=True)]
            reason = ""
        else:
            se_list, ess_list = se_ranges[ct], ess_ranges[ct]
            if is_ok:
                reason = (
                    "not excluded: the listing search stopped before finding a history "
                    f"(the counting DP allows up to {upper:,})"
                )
            else:
                how = "counting DP over risk-set sizes" if res is None else "exhaustive search"
                reason = (
                    f"no event history of n = {n} patients reproduces the printed numbers"
                    + (" with the given facts" if facts else "")
                    + f" ({how})"
                )
        if is_ok:
            consistent.append(ct)
        methods[ct] = MethodCheck(
            conf_type=ct,
            consistent=is_ok,
            se_log_range=se_list[0],
            ess_range=ess_list[0],
            reason=reason,
            n_histories=count,
            se_log_ranges=tuple(se_list),
            ess_ranges=tuple(ess_list),
            n_histories_upper=upper,
        )
    return CICheck(
        reported=tuple(reps),
        n=n,
        conf_level=level,
        consistent=tuple(consistent),
        methods=MappingProxyType(methods),
        histories=MappingProxyType(histories),
        n_histories=MappingProxyType(n_hist),
        exhaustive=all_exhaustive,
        notes=tuple(notes),
        n_histories_upper=MappingProxyType(n_upper),
        decided=decided,
    )
