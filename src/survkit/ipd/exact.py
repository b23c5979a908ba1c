"""Exact reconstruction of patient data from a Kaplan–Meier curve whose steps are known precisely.

A Kaplan–Meier curve drops at each event time ``t_j`` by the factor

    S_j / S_{j−1} = 1 − d_j / n_j,    d_j ≥ 1 events among n_j at risk (whole numbers),
    n_{j+1} = n_j − d_j − c_j,        c_j ≥ 0 censorings between t_j and t_{j+1},

and a printed number-at-risk table fixes ``n`` at its times. When the levels ``S_j`` are read to
±ε (a vector figure: ~1e-5 of the axis; a raster one: about half a pixel), only a few pairs
``(d_j, n_j)`` fit each drop — the argument of the GRIM test (Brown & Heathers 2017) applied to
Kaplan–Meier ratios — and a dynamic programme over the drops, with the number at risk as its
state, finds every history of whole patients that reproduces every drop within ε and every
printed number at risk exactly. Guyot et al.'s rounding ``d = round(n (1 − S_j/Ŝ_{j−1}))`` with
censorings spread evenly (made for clicked points with noise) finds none of them in general: it
moves events between neighbouring steps and misses the median and the hazard ratio.

When several histories fit, the one chosen is the **most probable** under an explicit model,
not the one with fewest (or most) events:

* the reading of each level is Gaussian around the true level with standard deviation ε/2:
  a drop costs ``½ ((S_{j−1}(1 − d/n) − S_j) / (ε/2))²``;
* where the figure draws censoring marks, every censoring is at a mark: a segment between two
  nodes (drops, table times) with ``m`` marks costs ``W_TIE`` per censoring beyond ``m`` (tied
  censorings under one mark), ``W_MISS`` per mark left without a censoring and ``W_UNMARKED``
  per censoring in a segment with no mark;
* without marks, censoring is a Poisson process whose rate is constant within each interval of
  the risk table (Guyot's even spread, as a probability model): a segment of length ``L`` with
  ``c`` censorings costs ``−log Poisson(c; λ L)``, with λ the interval's censorings per unit time
  estimated from the table and the curve (a first pass, refined once from its solution).

The result says whether the history was unique and how many fit. Censorings are placed at the
marks (ties at the same mark), else evenly inside their segment, the last one of the curve at its
end (the last follow-up).

References
----------
Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations.
JASA 53:457–481.
Guyot P., Ades A.E., Ouwens M.J.N.M., Welton N.J. (2012). Enhanced secondary analysis of survival
data: reconstructing the data from published Kaplan-Meier survival curves. BMC Med Res Methodol
12:9.
Brown N.J.L., Heathers J.A.J. (2017). The GRIM test: a simple technique detects numerous anomalies
in the reporting of results in psychology. Soc Psychol Personal Sci 8:363–369.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from numpy.typing import NDArray
from scipy.special import gammaln

__all__ = ["BEAM", "ExactHistory", "NoExactHistory", "TooOpen", "exact_history",
           "steps_from_points", "time_grid"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Cost of one censoring beyond the marks of a segment (a tie hidden under a mark) ...
W_TIE = 2.0
#: ... of a mark left without a censoring ...
W_MISS = 6.0
#: ... and of a censoring in a segment without a mark, when the figure draws marks.
W_UNMARKED = 8.0
#: Work budget of the search: candidate (predecessor, state) pairs over all drops. A curve
#: that leaves more open than this is not pinned by its steps (too coarse a reading).
MAX_PAIRS = 2_000_000
#: ... and of the paths it keeps: (path, candidate) pairs evaluated over all drops.
MAX_WORK = 10_000_000
#: Lowest expected number of censorings per segment in the Poisson cost (no log of 0).
MU_FLOOR = 1e-3
#: Paths kept per number at risk, each carrying its own Kaplan–Meier level.
KEEP = 4
#: Numbers at risk kept per step by the beam search, run when the full search is over its
#: budget (``MAX_PAIRS``): the cheapest paths only, so the chosen history is the most probable
#: among those the beam saw and the count of histories a lower bound.
BEAM = 60
#: Work budget of the beam search: (path, candidate) pairs over all drops.
BEAM_WORK = 20_000_000


class NoExactHistory(ValueError):
    """No history of whole patients reproduces the curve within the tolerance (the reason)."""


class TooOpen(NoExactHistory):
    """The steps leave more histories open than the search budget (``MAX_PAIRS``) covers."""


@dataclass(frozen=True)
class ExactHistory:
    """A history of whole patients that reproduces a curve exactly.

    Attributes
    ----------
    time, event : ndarray
        One row per patient, sorted by time (events before censorings at ties).
    n_at_risk, events : ndarray
        Per drop: patients at risk just before it and events at it.
    n_histories : float
        How many histories fit every drop and every printed number (``inf`` above 1e300).
    convention : str
        How the printed numbers at risk were read: ``"ge"`` #(T ≥ t) (R), ``"gt"`` #(T > t)
        (lifelines).
    max_diff : float
        Largest |Ŝ_j − S_j| of the rebuilt Kaplan–Meier curve over the drops.
    beam : bool
        Whether the full search was over its budget and a beam search (``BEAM`` numbers at
        risk per step) chose the history; ``n_histories`` is then a lower bound.
    """

    time: FloatArray
    event: IntArray
    n_at_risk: IntArray
    events: IntArray
    n_histories: float
    convention: str
    max_diff: float
    beam: bool = False

    @property
    def unique(self) -> bool:
        """Whether exactly one history fits (never claimed after a beam search)."""
        return self.n_histories == 1.0 and not self.beam


def steps_from_points(time: FloatArray, surv: FloatArray, surv_tol: float
                      ) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """The drops of a step curve given by corner points.

    Returns ``(drop_time, level_before, level_after, end)``: each time where the lowest level
    read at it is below the level before (by more than 1e-9; smaller differences are drawing
    noise), and the last time of the curve. Points rising by more than ``surv_tol`` raise
    :class:`NoExactHistory` (not a survival curve as read).
    """
    order = np.lexsort((-surv, time))
    t = time[order]
    s = surv[order]
    span = float(t[-1] - min(float(t[0]), 0.0)) or 1.0
    new = np.concatenate(([True], np.diff(t) > 1e-9 * span))
    starts = np.flatnonzero(new)
    ut = t[starts]
    low = np.minimum.reduceat(s, starts)
    high = np.maximum.reduceat(s, starts)
    drop_t: list[float] = []
    before: list[float] = []
    after: list[float] = []
    level = 1.0
    for k in range(ut.size):
        if high[k] > level + surv_tol and k > 0:
            raise NoExactHistory(
                f"the curve rises from {level:.6g} to {float(high[k]):.6g} at time "
                f"{float(ut[k]):g}, beyond the tolerance {surv_tol:g}")
        if low[k] < level - surv_tol:
            drop_t.append(float(ut[k]))
            before.append(level)
            after.append(max(float(low[k]), 0.0))
            level = max(float(low[k]), 0.0)
        elif drop_t:
            after[-1] = min(after[-1], max(float(low[k]), 0.0))
            level = after[-1]
    return (np.asarray(drop_t), np.asarray(before), np.asarray(after), float(ut[-1]))


#: Time grids tried by :func:`time_grid` (whole units, tenths), and the fewest drops that make one
#: believable: n drops within ±tol of a grid of unit u by chance has probability (2 tol/u)^n.
TIME_GRIDS = (1.0, 0.1)
MIN_GRID_DROPS = 8


def time_grid(times: FloatArray, time_tol: float) -> float | None:
    """The unit of a grid every time lies on within ``time_tol`` (whole days, tenths...).

    Published data are often recorded in whole units (days, weeks); a figure drawn from them has
    every step on the grid, read within the reading tolerance. A grid is accepted only when every
    time is within ``min(time_tol, u/10)`` of it and there are at least ``MIN_GRID_DROPS`` times
    (chance agreement at most 0.2^8 ≈ 3e-6); ``None`` when no grid fits.
    """
    if times.size < MIN_GRID_DROPS or time_tol <= 0:
        return None
    for u in TIME_GRIDS:
        if np.all(np.abs(times / u - np.round(times / u)) * u <= min(time_tol, u / 10)):
            return u
    return None


def _poisson_cost(c: IntArray, mu: float) -> FloatArray:
    mu = max(mu, MU_FLOOR)
    out: FloatArray = mu - c * math.log(mu) + gammaln(c + 1.0)
    return out


def _censor_cost(c: IntArray, marks: int, has_marks: bool, mu: float) -> FloatArray:
    """Cost of ``c`` censorings in one segment (see the module docstring)."""
    if has_marks:
        if marks == 0:
            return np.asarray(W_UNMARKED * c, dtype=np.float64)
        out: FloatArray = (W_TIE * np.maximum(c - marks, 0)
                           + W_MISS * np.maximum(marks - c, 0)).astype(np.float64)
        return out
    return _poisson_cost(c, mu)


@dataclass
class _Node:
    time: float
    kind: int  # 0 table, 1 drop
    value: int  # printed number (table) or drop index


def _nodes(drop_t: FloatArray, risk_t: FloatArray, risk_n: IntArray, convention: str
           ) -> list[_Node]:
    out = [_Node(float(t), 1, j) for j, t in enumerate(drop_t)]
    out += [_Node(float(t), 0, int(v)) for t, v in zip(risk_t, risk_n, strict=True) if t > 0]
    # R counts #(T >= t): a table time equal to a drop time is read before the drop;
    # lifelines counts #(T > t): after it.
    first = 0 if convention == "ge" else 1
    out.sort(key=lambda nd: (nd.time, 0 if nd.kind == first else 1))
    return out


def _rates(nodes: list[_Node], drop_t: FloatArray, after: FloatArray, n0: int,
           risk_t: FloatArray, risk_n: IntArray, end: float) -> tuple[FloatArray, FloatArray]:
    """Crude censorings per unit time in each interval of the table (the prior's first pass):
    censored = N_a − N_b − events, events ≈ mean at risk × (−log of the curve's fall)."""
    bounds = [0.0] + [float(t) for t in risk_t if 0 < t < end] + [end]
    ns = [n0] + [int(v) for t, v in zip(risk_t, risk_n, strict=True) if 0 < t < end]

    def level(t: float) -> float:
        k = int(np.searchsorted(drop_t, t, side="left")) - 1
        return float(after[k]) if k >= 0 else 1.0

    rates = []
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        na = ns[i]
        nb = ns[i + 1] if i + 1 < len(ns) else 0
        sa, sb = level(a), max(level(b + 1e-12 * (end or 1.0)), 1e-9)
        if i + 1 < len(ns):
            ev = 0.5 * (na + nb) * math.log(max(sa, 1e-9) / sb)
        else:
            ev = na * (1.0 - sb / max(sa, 1e-9)) * 0.75 if sb > 1e-9 else float(na)
        cens = min(max(na - nb - ev, 0.0), float(na - nb))
        rates.append(cens / max(b - a, 1e-12))
    return np.asarray(bounds), np.asarray(rates)


def _search(nodes: list[_Node], before: FloatArray, after: FloatArray, n0: int, end: float,
            seg_marks: list[int], final_marks: int, has_marks: bool, bounds: FloatArray,
            rates: FloatArray, eps: float, zero_end: bool, beam: int | None = None,
            event_cost: float = 0.0, paths: int = KEEP
            ) -> tuple[list[tuple[int, int, int]], float, int]:
    """Dynamic programme; per node the chosen (censored before it, at risk at it, events at
    it), the number of histories, and the censorings after the last node."""
    sigma = eps / 2.0
    states = np.array([n0], dtype=np.int64)
    cost = np.zeros(1)
    count = np.ones(1)
    prod = np.ones(1)
    back: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    prev_t = 0.0
    pairs = 0
    work = 0

    def mu_of(t0: float, t1: float) -> float:
        i = min(int(np.searchsorted(bounds, t0, side="right")) - 1, rates.size - 1)
        return float(rates[max(i, 0)] * (t1 - t0))

    for k, nd in enumerate(nodes):
        mu = mu_of(prev_t, nd.time)
        top = int(states.max())
        n_distinct = int(np.unique(states).size)
        if nd.kind == 0:
            cand = np.array([nd.value], dtype=np.int64)
            cand_d = np.zeros(1, dtype=np.int64)
        else:
            j = nd.value
            s0, s1 = float(before[j]), float(after[j])
            lo_r = max((s1 - eps) / (s0 + eps), 0.0)
            hi_r = 1.0 if s0 - eps <= 0 else min((s1 + eps) / (s0 - eps), 1.0)
            n = np.arange(1, top + 1, dtype=np.int64)
            d_lo = np.maximum(np.ceil(n * (1.0 - hi_r) - 1e-9), 1).astype(np.int64)
            d_hi = np.minimum(np.floor(n * (1.0 - lo_r) + 1e-9), n).astype(np.int64)
            ok = d_hi >= d_lo
            n, d_lo, d_hi = n[ok], d_lo[ok], d_hi[ok]
            reps = d_hi - d_lo + 1
            cand = np.repeat(n, reps)
            cand_d = (np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
                      + np.repeat(d_lo, reps)).astype(np.int64)
        if cand.size == 0:
            raise NoExactHistory(f"no whole number of events fits the drop at time {nd.time:g}")
        ua, inv = np.unique(cand, return_inverse=True)
        pairs += n_distinct * ua.size
        work += states.size * cand.size
        if beam is not None and work > BEAM_WORK:
            raise TooOpen("the steps leave too many histories open even for a beam search "
                          "(many patients at risk for the precision of the levels)")
        if (pairs > MAX_PAIRS or work > MAX_WORK) and beam is None:
            raise TooOpen("the steps leave too many histories open to search (many patients "
                          "at risk for the precision of the levels)")
        c = states[:, None] - ua[None, :]
        valid = c >= 0
        cc = np.where(valid, c, 0)
        tot_u = cost[:, None] + _censor_cost(cc, seg_marks[k], has_marks, mu)
        tot_u = np.where(valid, tot_u, np.inf)
        if nd.kind == 1:
            # the level of a history is the running product of its factors: each predecessor
            # carries the level of its best path, and the level after this drop must lie
            # within ±ε of the level read (per-drop ratios alone let the product drift)
            lvl = prod[:, None] * (1.0 - cand_d / cand)[None, :]
            off = lvl - s1
            tot = tot_u[:, inv] + 0.5 * (off / sigma) ** 2 + (event_cost * cand_d)[None, :]
            inband = np.abs(off) <= eps * (1 + 1e-9)
            tot = np.where(inband, tot, np.inf)
            # the KEEP cheapest predecessors of each candidate (paths differ in level)
            cnt1 = (count[:, None] * (valid[:, inv] & inband)).sum(axis=0)
            if states.size > paths:
                top_p = np.argpartition(tot, paths - 1, axis=0)[:paths]
            else:
                top_p = np.broadcast_to(np.arange(states.size)[:, None],
                                        (states.size, cand.size))
            col = np.broadcast_to(np.arange(cand.size)[None, :], top_p.shape)
            w = tot[top_p, col].ravel()
            lvl_c = lvl[top_p, col].ravel()
            arg = top_p.ravel()
            first = (tot[top_p, col] == tot[top_p, col].min(axis=0)[None, :])
            first &= np.cumsum(first, axis=0) == 1
            cnt = np.where(first, cnt1[None, :], 0.0).ravel()
            cand = np.broadcast_to(cand[None, :], top_p.shape).ravel()
            cand_d = np.broadcast_to(cand_d[None, :], top_p.shape).ravel()
        else:
            # a printed number: every path reaching it continues (each with its own level)
            arg = np.arange(states.size)
            w = tot_u[:, 0]
            cnt = np.where(valid[:, 0], count, 0.0)
            lvl_c = prod
            cand = np.full(states.size, nd.value, dtype=np.int64)
            cand_d = np.zeros(states.size, dtype=np.int64)
        new = cand - cand_d
        feasible = np.isfinite(w)
        if not feasible.any():
            what = "printed number at risk" if nd.kind == 0 else "drop"
            raise NoExactHistory(f"no history reaches the {what} at time {nd.time:g}")
        w, new, cand_f, d_f, arg_f, cnt_f, lvl_f = (
            w[feasible], new[feasible], cand[feasible], cand_d[feasible], arg[feasible],
            cnt[feasible], lvl_c[feasible])
        un, inv2 = np.unique(new, return_inverse=True)
        order = np.lexsort((w, inv2))
        grp = inv2[order]
        starts = np.concatenate(([True], np.diff(grp) != 0))
        rank = np.arange(order.size) - np.maximum.accumulate(
            np.where(starts, np.arange(order.size), 0))
        # the KEEP cheapest paths to each number at risk, each with its own level (one path
        # per state would let the best path's level wander to the band's edge and strand
        # every continuation)
        keep = order[rank < paths]
        if beam is not None and un.size > beam:
            # beam search: only the numbers at risk of the ``beam`` cheapest paths go on
            best_n = np.full(un.size, np.inf)
            np.minimum.at(best_n, inv2[keep], w[keep])
            cut = np.partition(best_n, beam - 1)[beam - 1]
            keep = keep[best_n[inv2[keep]] <= cut]
        new_count = np.bincount(inv2, weights=cnt_f, minlength=un.size)
        # each kept path carries its share of its number's histories (exact when no level
        # constraint cuts between the copies)
        copies = np.bincount(inv2[keep], minlength=un.size)
        cnt_keep = new_count[inv2[keep]] / copies[inv2[keep]]
        new_states = new[keep]
        new_cost = w[keep]
        back.append((new_states, cand_f[keep], d_f[keep], arg_f[keep]))
        prod = lvl_f[keep]
        states, cost, count = new_states, new_cost, np.minimum(cnt_keep, 1e300)
        prev_t = nd.time
    # after the last node everyone left is censored by the end of the curve
    cfin = _censor_cost(states, final_marks, has_marks, mu_of(prev_t, end))
    ok = states == 0 if zero_end else states >= 1
    if not ok.any():
        raise NoExactHistory("no history ends the curve as drawn"
                             + (" (at 0)" if zero_end else " (someone followed to its end)"))
    total = np.where(ok, cost + cfin, np.inf)
    i = int(np.argmin(total))
    n_hist = float(count[ok].sum())
    remaining = int(states[i])
    chosen: list[tuple[int, int, int]] = []
    for k in range(len(nodes) - 1, -1, -1):
        un, at, dd, prev_idx = back[k]
        at_risk, d = int(at[i]), int(dd[i])
        i_prev = int(prev_idx[i])
        prev_states = back[k - 1][0] if k > 0 else np.array([n0])
        chosen.append((int(prev_states[i_prev]) - at_risk, at_risk, d))
        i = i_prev
    chosen.reverse()
    return chosen, n_hist, remaining


def _place(c: int, t0: float, t1: float, marks: FloatArray, *, last: bool) -> FloatArray:
    """Times of ``c`` censorings in ``[t0, t1)`` (``[t0, t1]`` when ``last``): at the marks
    (ties at the same marks), else evenly inside; the last segment's last one at ``t1``."""
    if c <= 0:
        return np.zeros(0)
    if marks.size:
        if c >= marks.size:
            extra = np.resize(marks[::-1], c - marks.size)
            return np.sort(np.concatenate((marks, extra)))
        idx = np.round(np.linspace(0, marks.size - 1, c)).astype(int)
        return np.asarray(marks[idx], dtype=np.float64)
    k = np.arange(1, c + 1, dtype=np.float64)
    frac = k / c if last else (k - 0.5) / c
    out: FloatArray = t0 + frac * (t1 - t0)
    return out


def exact_history(drop_t: FloatArray, before: FloatArray, after: FloatArray, end: float, *,
                  n0: int, risk_t: FloatArray, risk_n: IntArray, marks: FloatArray,
                  surv_tol: float, time_tol: float = 0.0,
                  conventions: tuple[str, ...] = ("ge", "gt"), beam: bool = False,
                  total_events: int | None = None, paths: int = KEEP) -> ExactHistory:
    """The most probable history of whole patients reproducing a curve (module docstring).

    Parameters
    ----------
    drop_t, before, after : ndarray
        The drops (:func:`steps_from_points`): time, level before, level after.
    end : float
        End of the curve (last follow-up).
    n0 : int
        Patients at time 0.
    risk_t, risk_n : ndarray
        Printed numbers at risk (times ≥ 0); ``n0`` at time 0 when printed.
    marks : ndarray
        Times of the censoring marks drawn (sorted); empty when none.
    surv_tol : float
        ε, how precisely each level is known (survival fraction).
    time_tol : float
        Marks this close before a drop or a table time are read as at it.
    conventions : tuple of str
        Readings of the table to try in order, ``"ge"`` #(T ≥ t), ``"gt"`` #(T > t).
    beam : bool
        Search only the ``BEAM`` cheapest numbers at risk per step (for curves that leave
        more open than the full search's budget; never raises :class:`TooOpen`).
    paths : int
        Paths kept per number at risk (``KEEP``; 1 is cheaper and may miss a history whose
        level the best path to a state does not carry).
    total_events : int, optional
        Events of the curve as printed: when the most probable history has another number,
        a cost ``λ`` per event (a Lagrange multiplier, found by bisection) moves the choice to
        the most probable history with exactly that many, when one is found; the caller
        checks the count.

    Raises
    ------
    NoExactHistory
        No history fits (the message says where).
    """
    if surv_tol <= 0 or not np.isfinite(surv_tol):
        raise ValueError(f"surv_tol must be a positive number, got {surv_tol!r}")
    inside = risk_t <= end + time_tol
    if np.any(risk_n[~inside] > 0):
        t = float(risk_t[~inside][np.argmax(risk_n[~inside] > 0)])
        raise NoExactHistory(f"patients are printed at risk at time {t:g}, after the curve ends")
    risk_t, risk_n = risk_t[inside], risk_n[inside].astype(np.int64)
    if drop_t.size and risk_t.size:
        # a table time within the reading tolerance of a drop is at the drop (the order of
        # the two then follows the table's convention, not the reading error)
        j = np.clip(np.searchsorted(drop_t, risk_t), 1, drop_t.size) - 1
        for k in range(risk_t.size):
            for i in (int(j[k]), min(int(j[k]) + 1, drop_t.size - 1)):
                if abs(float(drop_t[i]) - float(risk_t[k])) <= time_tol:
                    risk_t = risk_t.copy()
                    risk_t[k] = drop_t[i]
    zero_end = bool(after.size and after[-1] <= surv_tol)
    has_marks = marks.size > 0
    width = BEAM if beam else None
    reason = ""
    for conv in conventions if risk_t.size else conventions[:1]:
        nodes = _nodes(drop_t, risk_t, risk_n, conv)
        times = np.array([nd.time for nd in nodes])
        mk = marks[marks <= end + time_tol]
        if times.size and mk.size:
            # a mark just before a node is read as at it (and so after it)
            j = np.searchsorted(times, mk, side="left")
            near = (j < times.size) & (times[np.minimum(j, times.size - 1)] - mk <= time_tol)
            mk = np.where(near, times[np.minimum(j, times.size - 1)], mk)
        seg = np.searchsorted(times, mk, side="right") if times.size else np.zeros(mk.size, int)
        per = np.bincount(seg, minlength=times.size + 1)
        seg_marks = [int(x) for x in per[:times.size]]
        bounds, rates = _rates(nodes, drop_t, after, n0, risk_t, risk_n, end)
        try:
            chosen, n_hist, remaining = _search(nodes, before, after, n0, end, seg_marks,
                                                int(per[times.size]), has_marks, bounds, rates,
                                                surv_tol, zero_end, width, 0.0, paths)
            if not has_marks:
                # refine the censoring rate of each table interval from the first solution
                cens_t = np.array([nd.time for nd in nodes])
                cens = np.array([x[0] for x in chosen], dtype=np.float64)
                idx = np.clip(np.searchsorted(bounds, cens_t, side="left") - 1, 0,
                              rates.size - 1)
                per_iv = np.bincount(idx, weights=cens, minlength=rates.size)
                per_iv[-1] += remaining
                rates = per_iv / np.maximum(np.diff(bounds), 1e-12)
                chosen, n_hist, remaining = _search(nodes, before, after, n0, end, seg_marks,
                                                    int(per[times.size]), has_marks, bounds,
                                                    rates, surv_tol, zero_end, width, 0.0,
                                                    paths)
            if total_events is not None:
                chosen, remaining = _with_total(
                    chosen, remaining, total_events,
                    partial(_search, nodes, before, after, n0, end, seg_marks,
                            int(per[times.size]), has_marks, bounds, rates, surv_tol,
                            zero_end, width, paths=paths))
            return _build(nodes, chosen, remaining, mk, seg, after, end, n_hist, conv,
                          surv_tol, beam)
        except TooOpen:
            raise
        except NoExactHistory as exc:
            reason = str(exc)
    raise NoExactHistory(reason)


#: Range and steps of the bisection on the cost per event (nats) that meets a given total.
EVENT_COST_RANGE = 64.0
EVENT_COST_STEPS = 24


def _with_total(chosen: list[tuple[int, int, int]], remaining: int, total: int,
                search: Callable[[float], tuple[list[tuple[int, int, int]], float, int]]
                ) -> tuple[list[tuple[int, int, int]], int]:
    """The history with exactly ``total`` events that the search finds with a cost λ per
    event: the number of events of the cheapest history falls as λ rises, so λ is bisected
    on [−EVENT_COST_RANGE, EVENT_COST_RANGE]; the first history unchanged when none has it."""
    def events(ch: list[tuple[int, int, int]]) -> int:
        return sum(d for _, _, d in ch)

    if events(chosen) == total:
        return chosen, remaining
    lo, hi = -EVENT_COST_RANGE, EVENT_COST_RANGE
    if events(chosen) < total:
        hi = 0.0
    else:
        lo = 0.0
    for _ in range(EVENT_COST_STEPS):
        lam = 0.5 * (lo + hi)
        try:
            ch, _, rem = search(lam)
        except NoExactHistory:
            break
        e = events(ch)
        if e == total:
            return ch, rem
        if e > total:
            lo = lam
        else:
            hi = lam
    return chosen, remaining


def _build(nodes: list[_Node], chosen: list[tuple[int, int, int]], remaining: int,
           marks: FloatArray, seg: IntArray, after: FloatArray, end: float,
           n_hist: float, conv: str, eps: float, beam: bool) -> ExactHistory:
    times: list[FloatArray] = []
    events: list[IntArray] = []
    n_at: list[int] = []
    d_at: list[int] = []
    prev_t = 0.0
    s = 1.0
    worst = 0.0
    for k, (c, at_risk, d) in enumerate(chosen):
        nd = nodes[k]
        times.append(_place(c, prev_t, nd.time, marks[seg == k], last=False))
        events.append(np.zeros(c, dtype=np.int64))
        if nd.kind == 1:
            times.append(np.full(d, nd.time))
            events.append(np.ones(d, dtype=np.int64))
            n_at.append(at_risk)
            d_at.append(d)
            s *= (at_risk - d) / at_risk  # R's factor (survfitkm.c), R's bits
            worst = max(worst, abs(s - float(after[nd.value])))
        prev_t = nd.time
    times.append(_place(remaining, prev_t, end, marks[seg == len(nodes)], last=True))
    events.append(np.zeros(remaining, dtype=np.int64))
    if worst > eps * (1 + 1e-9):
        raise NoExactHistory(
            f"the closest history of whole patients misses a level by {worst:.2g}, more than "
            f"the tolerance {eps:g}")
    t = np.concatenate(times)
    ev = np.concatenate(events)
    order = np.lexsort((-ev, t))
    return ExactHistory(time=t[order], event=ev[order], n_at_risk=np.asarray(n_at, np.int64),
                        events=np.asarray(d_at, np.int64), n_histories=n_hist,
                        convention=conv, max_diff=worst, beam=beam)
