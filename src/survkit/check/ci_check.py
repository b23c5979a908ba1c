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

#: Largest ``n`` for which histories are enumerated (risk sets are kept as 64-bit masks).
MAX_EXACT_N: Final[int] = 62
#: Search budget per transform: states visited or generated before the enumeration stops
#: and says so (about 0.2 s).
DEFAULT_MAX_STATES: Final[int] = 2_000_000
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
        Number of histories found (``None`` without ``n``).
    se_log_ranges, ess_ranges : tuple
        The same ranges for every landmark.
    """

    conf_type: str
    consistent: bool
    se_log_range: tuple[float, float] | None
    ess_range: tuple[float, float] | None
    reason: str
    n_histories: int | None = None
    se_log_ranges: tuple[tuple[float, float] | None, ...] = ()
    ess_ranges: tuple[tuple[float, float] | None, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "consistent": self.consistent,
            "se_log_range": list(self.se_log_range) if self.se_log_range else None,
            "ess_range": list(self.ess_range) if self.ess_range else None,
            "reason": self.reason,
            "n_histories": self.n_histories,
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
        Exact number of histories per transform (a lower bound when ``exhaustive`` is False).
    exhaustive : bool
        True when the exact search ran to completion (False without ``n``).
    notes : tuple of str
        Caveats (fallbacks, budget, verification).
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
            "exhaustive": self.exhaustive,
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


def _bits(mask: int) -> tuple[int, ...]:
    return tuple(r for r in range(MAX_EXACT_N + 1, 0, -1) if (mask >> r) & 1)


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
    ``1 - e^{-a}`` (convex/concave hulls of the exact telescoping sums).
    """
    nj = len(lms)
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
            "mask": np.array([0], dtype=np.int64),
            "k": np.array([0], dtype=np.int64),
            "inrun": np.array([False]),
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
        rf = r.astype(np.float64)
        s_c = s[par] * ((rf - 1.0) / rf)
        v_c = v[par] + 1.0 / (rf * (rf - 1.0))
        c_next = rf - 1.0
        reach = np.maximum(c_next, 1.0)
        keep = s_c >= e_lo - _TOL
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
        pk = par[ki]
        rk = r[ki]
        child = {
            "s": s_c[ki],
            "v": v_c[ki],
            "last": rk,
            "cap": rk - 1,
            "mask": st["mask"][pk] | (one << rk),
            "k": k[pk] + 1,
            "inrun": inrun[pk] | (rk <= lm.m) if lm.m is not None else np.zeros(ki.size, bool),
            "bps": st["bps"][pk],
            "sat": st["sat"][pk],
            "vat": st["vat"][pk],
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
        masks = np.zeros(0, dtype=np.int64)
        bps_a = np.zeros((0, nj), dtype=np.int64)
        sat_a = np.zeros((0, nj))
        vat_a = np.zeros((0, nj))
    return _SearchResult(
        count, masks, bps_a, sat_a, vat_a, v_min, v_max, ess_min, ess_max, exhaustive, states
    )


def reach_cap(c_next: FloatArray) -> FloatArray:
    """Largest next risk set, at least 1 (guards the division in the variance bound)."""
    return np.maximum(c_next, 1.0)


def _mask_bits(masks: IntArray, n: int) -> NDArray[np.bool_]:
    """(B, n + 1) boolean matrix: column r is True when risk set r is in the history."""
    return ((masks[:, None] >> np.arange(n + 1, dtype=np.int64)[None, :]) & 1).astype(bool)


def _datasets(masks: IntArray, bps: IntArray, n: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Vectorized :func:`history_dataset` for many histories: (time, event, landmarks).

    Patient ``p`` (1..n) is the one whose exit takes the risk set from ``p`` to ``p - 1``:
    an event when ``p`` is in the history, else a censoring just before the next event (or
    after the last landmark when no event follows).
    """
    nb = masks.size
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

    nb = res.masks.size
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

    if n is None or n > MAX_EXACT_N:
        if n is not None:
            notes.append(
                f"n = {n} > {MAX_EXACT_N}: histories not enumerated; verdicts from the "
                "printed numbers alone"
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

    # ---- exact search, one transform at a time
    histories: dict[str, tuple[History, ...]] = {}
    n_hist: dict[str, int] = {}
    methods = {}
    consistent: list[str] = []
    all_exhaustive = True
    for ct in CONF_TYPES:
        if not nonn_ok[ct]:
            histories[ct] = ()
            n_hist[ct] = 0
            methods[ct] = MethodCheck(
                conf_type=ct,
                consistent=False,
                se_log_range=None,
                ess_range=None,
                reason=reasons[ct],
                n_histories=0,
                se_log_ranges=tuple(se_ranges[ct]),
                ess_ranges=tuple(ess_ranges[ct]),
            )
            continue
        vrange = np.empty((nl, 2))
        for j in range(nl):
            se_r = se_ranges[ct][j]
            if se_r is None:  # pragma: no cover - excluded above
                raise RuntimeError("internal: missing SE range")
            vrange[j, 0] = (se_r[0] * (1 - 1e-6)) ** 2
            vrange[j, 1] = (se_r[1] * (1 + 1e-6)) ** 2 + 1e-15
        t0 = _time.perf_counter()
        res = _search(n, lms, z, ct, vrange, max_histories, max_states)
        elapsed = _time.perf_counter() - t0
        if not res.exhaustive:
            all_exhaustive = False
            notes.append(
                f"{ct}: search stopped after {res.states:,} states ({elapsed:.1f} s); the "
                "history count is a lower bound"
                + ("" if res.count else " and the transform is kept, not excluded")
            )
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
        histories[ct] = hist
        n_hist[ct] = count
        is_ok = count > 0 or not res.exhaustive
        if count > 0:
            se_list: list[tuple[float, float] | None] = [
                (math.sqrt(res.v_min[j]), math.sqrt(res.v_max[j])) for j in range(nl)
            ]
            ess_list: list[tuple[float, float] | None] = [
                (float(res.ess_min[j]), float(res.ess_max[j])) for j in range(nl)
            ]
            reason = ""
        else:
            se_list, ess_list = se_ranges[ct], ess_ranges[ct]
            if is_ok:
                reason = "not excluded: the search stopped before finding a history"
            else:
                facts = any(x is not None for x in ms + ds)
                reason = f"no event history of n = {n} patients reproduces the printed numbers" + (
                    " with the given facts" if facts else ""
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
    )
