"""The reconstruction engine behind :func:`survkit.ipd.reconstruct.reconstruct_ipd`.

Guyot et al. (2012) rebuild the data interval by interval between the times of the printed
number-at-risk table. Within an interval ``[t_a, t_b)`` starting with ``N_a`` at risk and with
``c`` censorings placed in it, the events at the digitized points ``T_k`` are

    d_k = round(n_k · (1 − S_k / Ŝ_{k−1})),    n_k = N_a − Σ_{j<k} d_j − #{censorings < T_k},

where ``S_k`` is the digitized survival and ``Ŝ_{k−1}`` the Kaplan–Meier estimate of the data
rebuilt so far (so rounding errors do not accumulate). ``c`` is chosen so that the rebuilt
number at risk at ``t_b`` equals the printed ``N_b``. What this module changes:

* ``c`` is found by bisection on the (almost) monotone map ``c ↦ N_a − D(c) − c − N_b``
  instead of Guyot's fixed-point iteration (which can cycle); when rounding makes the equation
  unsolvable the nearest solution is completed by adding or removing censorings — or, when
  needed, events at the points with the largest rounding remainders — so the printed number
  at risk is always met exactly.
* the total number of events, when given, is met exactly: it fixes the censorings of the last
  interval (bisection again) and any remainder is settled by switching single patients between
  event and censoring at the points with the largest rounding remainders, inside an interval,
  so the printed numbers at risk stay exact.
* censorings are placed at digitized censoring ticks when given, else evenly in the interval.
* a curve that ends at 0 loses all remaining patients at its last drop.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from survkit.estimate._core import km_product, risk_counts
from survkit.ipd._prep import NOISE_FLOOR

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass
class Interval:
    """Working state of one risk-table interval."""

    start: float
    stop: float  # +inf for the last interval
    n_start: int
    times: FloatArray  # digitized point times inside the interval
    surv: FloatArray  # digitized survival at those points
    marks: FloatArray  # censoring ticks inside the interval
    last: bool
    d: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    e: FloatArray = field(default_factory=lambda: np.zeros(0))
    cens: FloatArray = field(default_factory=lambda: np.zeros(0))
    extra_cens: list[float] = field(default_factory=list)  # events switched to censorings
    remaining: int = 0  # last interval: still at risk at the end of the curve
    extra_events: list[float] = field(default_factory=list)  # censorings switched to events
    end: float = 0.0  # last interval: time at which the remaining patients are censored
    s_end: float = 1.0


def place_censorings(c: int, lo: float, hi: float, marks: FloatArray) -> FloatArray:
    """Times of ``c`` censorings in ``(lo, hi)``: at the ticks ``marks`` if any, else evenly.

    Evenly means ``lo + j (hi − lo)/(c + 1)``, ``j = 1..c`` (Guyot et al. 2012). With ``m``
    ticks, ``c ≤ m`` censorings take ``c`` ticks spread over the list; ``c > m`` give every
    tick ``⌊c/m⌋`` patients and the remainder to ticks spread over the list.
    """
    if c <= 0:
        return np.zeros(0)
    m = marks.size
    if m:
        if c <= m:
            idx = np.floor((np.arange(c) + 0.5) * m / c).astype(np.int64)
            return marks[np.minimum(idx, m - 1)]
        base = np.repeat(marks, c // m)
        r = c % m
        if r:
            idx = np.floor((np.arange(r) + 0.5) * m / r).astype(np.int64)
            base = np.concatenate((base, marks[np.minimum(idx, m - 1)]))
        return np.sort(base)
    if not math.isfinite(hi) or hi <= lo:
        return np.full(c, lo)
    return lo + (hi - lo) * np.arange(1, c + 1) / (c + 1)


def run_points(
    times: FloatArray, surv: FloatArray, n_start: int, s_start: float, cens: FloatArray,
    *, to_zero: bool,
) -> tuple[IntArray, FloatArray, float]:
    """Guyot's sequential event count over one interval for a given censoring pattern.

    Returns the events ``d_k``, the unrounded values ``e_k = n_k (1 − S_k/Ŝ_{k−1})`` and the
    Kaplan–Meier value at the end of the interval. With ``to_zero`` a point with ``S_k = 0``
    takes everyone at risk.
    """
    k = times.size
    d = np.zeros(k, dtype=np.int64)
    e = np.zeros(k)
    if k == 0:
        return d, e, s_start
    cb = np.searchsorted(cens, times, side="left").tolist() if cens.size else [0] * k
    s_list = surv.tolist()
    s_km = s_start
    cum = 0
    d_out = [0] * k
    e_out = [0.0] * k
    for j in range(k):
        nr = n_start - cum - cb[j]
        if nr <= 0 or s_km <= 0.0:
            continue
        sj = s_list[j]
        if to_zero and sj <= 0.0:
            ev = float(nr)
        else:
            ev = nr * (1.0 - sj / s_km)
            if ev < 0.0:
                ev = 0.0
            elif ev > nr:
                ev = float(nr)
        dj = math.floor(ev + 0.5)
        e_out[j] = ev
        if dj:
            d_out[j] = dj
            cum += dj
            s_km *= 1.0 - dj / nr
    d[:] = d_out
    e[:] = e_out
    return d, e, s_km


#: How far (in patients) the censorings before a drop may move from the even spread to make
#: the number at risk agree with the size of the drop.
SLACK = 2


def run_adaptive(
    times: FloatArray, surv: FloatArray, n_start: int, s_start: float, c: int,
    lo: float, hi: float, marks: FloatArray, *, to_zero: bool, slack: int = SLACK,
    noise: float = 0.0,
) -> tuple[IntArray, FloatArray, float, FloatArray]:
    """Guyot's pass with ``c`` censorings whose placement adapts to the drops.

    The planned censorings are spread evenly over ``(lo, hi)`` (or put at the ticks
    ``marks``, which are then kept as they are). At each drop the number of censorings before
    it may differ from the plan by up to ``slack`` (never decreasing, never above ``c``); the
    count is chosen so that ``Ŝ_{k−1}(1 − d_k/n_k)`` with ``d_k = round(n_k(1 − S_k/Ŝ_{k−1}))``
    is closest to the digitized ``S_k`` — a drop of 1/3 is then made with 3 at risk, not 5 —
    provided it beats the planned count by more than the digitizing noise ``noise``.
    Returns ``d, e, Ŝ`` at the end, and the censoring times (evenly inside each gap between
    consecutive points).
    """
    k = times.size
    planned = place_censorings(c, lo, hi, marks)
    if k == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), s_start, planned
    if marks.size or slack <= 0 or c == 0:
        d, e, s_end = run_points(times, surv, n_start, s_start, planned, to_zero=to_zero)
        return d, e, s_end, planned
    plan = np.searchsorted(planned, times, side="left").tolist()
    s_list = surv.tolist()
    s_km = s_start
    cum = 0
    cb_prev = 0
    d_out = [0] * k
    e_out = [0.0] * k
    cb_out = [0] * k
    for j in range(k):
        lo_c = max(cb_prev, plan[j] - slack)
        hi_c = max(min(c, plan[j] + slack), lo_c)
        base = min(max(plan[j], lo_c), hi_c)
        sj = s_list[j]
        choice = base
        if hi_c > lo_c and s_km > 0.0 and sj < s_km and not (to_zero and sj <= 0.0):
            best_err = math.inf
            base_err = math.inf
            for cand in range(lo_c, hi_c + 1):
                nr = n_start - cum - cand
                if nr <= 0:
                    break
                ev = nr * (1.0 - sj / s_km)
                dj = min(math.floor(ev + 0.5), nr)
                err = abs(s_km * ((nr - dj) / nr) - sj)
                if cand == base:
                    base_err = err
                key = err + 1e-9 * abs(cand - plan[j])
                if key < best_err:
                    best_err = key
                    choice = cand
            if base_err - best_err <= noise - NOISE_FLOOR:
                choice = base
        cb_prev = choice
        cb_out[j] = choice
        nr = n_start - cum - choice
        if nr <= 0 or s_km <= 0.0:
            continue
        if to_zero and sj <= 0.0:
            ev = float(nr)
        else:
            ev = nr * (1.0 - sj / s_km)
            ev = 0.0 if ev < 0.0 else (float(nr) if ev > nr else ev)
        dj = math.floor(ev + 0.5)
        e_out[j] = ev
        if dj:
            d_out[j] = dj
            cum += dj
            s_km *= 1.0 - dj / nr
    # Censoring times: evenly inside each gap between consecutive points.
    edges = [lo, *times.tolist()]
    counts = np.diff(np.concatenate(([0], cb_out))).tolist()
    out: list[float] = []
    for g, cnt in enumerate(counts):
        if cnt > 0:
            a, b = edges[g], edges[g + 1]
            out.extend((a + (b - a) * np.arange(1, cnt + 1) / (cnt + 1)).tolist())
    rest = c - cb_out[-1]
    if rest > 0:
        a = float(times[-1])
        b = hi if math.isfinite(hi) and hi > a else a
        out.extend((a + (b - a) * np.arange(1, rest + 1) / (rest + 1)).tolist())
    d = np.asarray(d_out, dtype=np.int64)
    e = np.asarray(e_out, dtype=np.float64)
    return d, e, s_km, np.sort(np.asarray(out, dtype=np.float64))


def km_after(iv: Interval, s_start: float) -> float:
    """Exact KM value at the end of ``iv`` from its final events and censorings."""
    if iv.times.size == 0:
        return s_start
    cens = np.sort(np.concatenate((iv.cens, np.asarray(iv.extra_cens, dtype=np.float64))))
    cb = np.searchsorted(cens, iv.times, side="left")
    before = np.concatenate(([0], np.cumsum(iv.d)[:-1]))
    nr = iv.n_start - before - cb
    # Events switched to censorings at T_k stay at risk at T_k (R's convention).
    ok = (iv.d > 0) & (nr > 0)
    frac = np.where(ok, 1.0 - iv.d / np.where(nr > 0, nr, 1), 1.0)
    return float(s_start * np.prod(frac))


def solve_interval(
    iv: Interval, s_start: float, n_next: int, *, to_zero: bool, noise: float = 0.0
) -> None:
    """Fill ``iv`` (not the last interval) so that exactly ``n_next`` remain at its end."""
    leave = iv.n_start - n_next
    hi_c = leave

    Best = tuple[int, int, int, IntArray, FloatArray, FloatArray]

    def evaluate(c: int) -> Best:
        d, e, _, cens = run_adaptive(iv.times, iv.surv, iv.n_start, s_start, c, iv.start,
                                     iv.stop, iv.marks, to_zero=to_zero, noise=noise)
        f = leave - int(d.sum()) - c  # > 0: too few leave
        return (abs(f), c, f, d, e, cens)

    # Smallest c with f(c) <= 0 (f is non-increasing up to rounding).
    lo, hi = 0, hi_c
    best = evaluate(0)
    if best[2] > 0:
        best = min(best, evaluate(hi), key=lambda b: (b[0], b[1]))
        while hi - lo > 1:
            mid = (lo + hi) // 2
            cand = evaluate(mid)
            best = min(best, cand, key=lambda b: (b[0], b[1]))
            if cand[2] > 0:
                lo = mid
            else:
                hi = mid
    _, _c, _f, d, e, cens = best
    iv.d = d.copy()
    iv.e = e
    c_final = leave - int(d.sum())
    if c_final < 0:
        # More events than patients leaving: drop the least supported events.
        remove_events(iv, -c_final, as_censoring=False)
        c_final = 0
    if c_final > cens.size:
        extra = place_censorings(c_final - cens.size, iv.start, iv.stop, iv.marks)
        cens = np.sort(np.concatenate((cens, extra)))
    elif c_final < cens.size:
        cens = np.sort(cens)[:c_final]
    iv.cens = cens


def remove_events(iv: Interval, r: int, *, as_censoring: bool) -> int:
    """Remove up to ``r`` events with the smallest rounding remainders; return how many.

    With ``as_censoring`` each removed event becomes a censoring at its own time (the patient
    stays in the interval, numbers at risk at the table times are unchanged).
    """
    heap = [(float(iv.e[j] - iv.d[j]), j) for j in np.flatnonzero(iv.d > 0).tolist()
            if not (iv.surv[j] <= 0.0 and iv.last)]
    heapq.heapify(heap)
    done = 0
    while done < r and heap:
        score, j = heapq.heappop(heap)
        iv.d[j] -= 1
        if as_censoring:
            iv.extra_cens.append(float(iv.times[j]))
        done += 1
        if iv.d[j] > 0:
            heapq.heappush(heap, (score + 1.0, j))
    return done


def _at_risk(iv: Interval) -> IntArray:
    """Numbers at risk just before each point of ``iv`` under its current events/censorings."""
    cens = np.concatenate((iv.cens, np.asarray(iv.extra_cens, dtype=np.float64)))
    cb = np.searchsorted(np.sort(cens), iv.times, side="left")
    before = np.concatenate(([0], np.cumsum(iv.d)[:-1])) if iv.d.size else np.zeros(0)
    return (iv.n_start - before - cb).astype(np.int64)


def _best_addition(iv: Interval) -> tuple[float, int]:
    """Best point of ``iv`` to receive one more event: (remainder e_k − d_k, index), or
    (−inf, −1) when the interval has no censored patient to convert or no room."""
    if iv.times.size == 0 or iv.remaining + iv.cens.size + len(iv.extra_cens) == 0:
        return -math.inf, -1
    prev = np.concatenate(([np.inf], iv.surv[:-1]))
    drop = iv.surv < prev
    drop[0] = iv.surv[0] < 1.0 and bool(iv.e[0] > 0)
    room = _at_risk(iv) - iv.d > 0
    ok = drop & room
    if not ok.any():
        return -math.inf, -1
    score = np.where(ok, iv.e - iv.d, -np.inf)
    j = int(np.argmax(score))
    return float(score[j]), j


def add_event_at(iv: Interval, j: int) -> None:
    """Turn one censored patient of ``iv`` into an event at point ``j``. Source: a patient
    still at risk at the end of the last interval, else the latest censoring of the interval
    (a switched-back event first)."""
    iv.d[j] += 1
    if iv.remaining > 0:
        iv.remaining -= 1
    elif iv.extra_cens:
        iv.extra_cens.sort()
        iv.extra_cens.pop()
    else:
        iv.cens = np.sort(iv.cens)[:-1]


def solve_last(
    iv: Interval, s_start: float, t_end: float, *, events_needed: int | None,
    c_guess: int, to_zero: bool, noise: float = 0.0,
) -> None:
    """Fill the last interval: censorings ``c`` spread over ``(start, t_end)``, the rest
    still at risk at ``t_end``. With ``events_needed`` the interval's events are matched by
    bisection on ``c``; otherwise ``c = c_guess``."""
    n0 = iv.n_start

    def evaluate(c: int) -> tuple[IntArray, FloatArray, FloatArray]:
        d, e, _, cens = run_adaptive(iv.times, iv.surv, n0, s_start, c, iv.start, t_end,
                                     iv.marks, to_zero=to_zero, noise=noise)
        return d, e, cens

    if events_needed is None:
        c = min(max(c_guess, 0), n0)
        d, e, cens = evaluate(c)
    else:
        # D(c) is non-increasing in c: smallest c with D(c) <= events_needed.
        d, e, cens = evaluate(0)
        c = 0
        if int(d.sum()) > events_needed:
            lo, hi = 0, n0
            d_hi, e_hi, c_hi = evaluate(hi)
            best = (abs(int(d.sum()) - events_needed), 0, d, e, cens)
            cand = (abs(int(d_hi.sum()) - events_needed), hi, d_hi, e_hi, c_hi)
            best = min(best, cand, key=lambda b: (b[0], b[1]))
            while hi - lo > 1:
                mid = (lo + hi) // 2
                d_m, e_m, c_m = evaluate(mid)
                dm = int(d_m.sum())
                best = min(best, (abs(dm - events_needed), mid, d_m, e_m, c_m),
                           key=lambda b: (b[0], b[1]))
                if dm > events_needed:
                    lo = mid
                else:
                    hi = mid
            _, c, d, e, cens = best
    iv.d = d.copy()
    iv.e = e
    keep = max(min(cens.size, n0 - int(d.sum())), 0)
    iv.cens = np.sort(cens)[:keep]
    iv.remaining = n0 - int(d.sum()) - iv.cens.size


def settle_total(intervals: list[Interval], total: int) -> None:
    """Switch single patients between event and censoring until the events equal ``total``.

    Each switch is made inside one interval — so every printed number at risk stays exact —
    at the point with the largest (adding) or smallest (removing) rounding remainder
    ``e_k − d_k`` over all intervals; an event is only added where the curve drops.
    """
    diff = total - sum(int(iv.d.sum()) + len(iv.extra_events) for iv in intervals)
    while diff > 0:
        cands = [(*_best_addition(iv), i) for i, iv in enumerate(intervals)]
        _score, j, i = max(cands, key=lambda c: c[0])
        if j >= 0:
            add_event_at(intervals[i], j)
            diff -= 1
            continue
        # No drop left to take it (the curve contradicts the count): the latest censored
        # patient becomes an event at its own time.
        src = next((iv for iv in reversed(intervals)
                    if iv.remaining or iv.cens.size or iv.extra_cens), None)
        if src is None:
            break
        if src.remaining:
            src.remaining -= 1
            src.extra_events.append(src.end)
        elif src.extra_cens:
            src.extra_cens.sort()
            src.extra_events.append(src.extra_cens.pop())
        else:
            cs = np.sort(src.cens)
            src.extra_events.append(float(cs[-1]))
            src.cens = cs[:-1]
        diff -= 1
    while diff < 0:
        best: tuple[float, int, int] = (math.inf, -1, -1)
        for i, iv in enumerate(intervals):
            for j in np.flatnonzero(iv.d > 0).tolist():
                # an event at the final zero is removed last
                sc = float(iv.e[j] - iv.d[j]) + (1e6 if iv.surv[j] <= 0.0 else 0.0)
                if sc < best[0]:
                    best = (sc, i, j)
        if best[1] < 0:
            src = next((iv for iv in reversed(intervals) if iv.extra_events), None)
            if src is None:
                break
            src.extra_cens.append(src.extra_events.pop())
            diff += 1
            continue
        iv = intervals[best[1]]
        iv.d[best[2]] -= 1
        iv.extra_cens.append(float(iv.times[best[2]]))
        diff += 1
    if diff != 0:
        raise ValueError(
            f"total_events = {total} cannot be reached with this curve and risk table "
            f"(reached {total - diff})"
        )


def assemble(intervals: list[Interval], t_end: float) -> tuple[FloatArray, IntArray]:
    """Patient rows ``(time, event)`` sorted by time (events before censorings at ties)."""
    times: list[FloatArray] = []
    events: list[IntArray] = []
    for iv in intervals:
        if iv.d.size:
            times.append(np.repeat(iv.times, iv.d))
            events.append(np.ones(int(iv.d.sum()), dtype=np.int64))
        cens = np.concatenate((iv.cens, np.asarray(iv.extra_cens, dtype=np.float64)))
        if cens.size:
            times.append(cens)
            events.append(np.zeros(cens.size, dtype=np.int64))
        if iv.extra_events:
            times.append(np.asarray(iv.extra_events, dtype=np.float64))
            events.append(np.ones(len(iv.extra_events), dtype=np.int64))
        if iv.remaining > 0:
            end = max(t_end, iv.start)
            times.append(np.full(iv.remaining, end))
            events.append(np.zeros(iv.remaining, dtype=np.int64))
    if not times:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    t = np.concatenate(times)
    ev = np.concatenate(events)
    order = np.lexsort((-ev, t))
    return t[order], ev[order]


def km_steps(time: FloatArray, event: IntArray) -> tuple[FloatArray, FloatArray]:
    """Kaplan–Meier estimate at the distinct event times, with ``(0, 1)`` prepended.

    Ŝ(t) = Π_{t_j ≤ t} (1 − d_j / n_j) (Kaplan & Meier 1958), computed by the estimation
    layer's kernels (:mod:`survkit.estimate._core`), the same as :func:`survkit.kaplan_meier`.
    """
    if time.size == 0:
        return np.array([0.0]), np.array([1.0])
    counts = risk_counts(np.asarray(time, dtype=np.float64), np.asarray(event) > 0, None, None)
    s = km_product(counts.n_risk, counts.n_event)
    has = counts.n_event > 0
    return np.concatenate(([0.0], counts.time[has])), np.concatenate(([1.0], s[has]))
