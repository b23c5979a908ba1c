r"""Constructive candidates for the exact reconstruction (history first, then days).

A candidate is *built* to realise an OS history and the follow-up facts instead of being drawn
from a prior and hoped to match. For one (reading, follow-up definition) stratum it is made in
this order (all times are whole days after the time origin; ``T`` = the last whole day at or
before the OS landmark):

1. a status *composition* uniformly among those that pass exact event counting;
2. an OS *history* ``(r_1 > ... > r_k)`` uniformly among the histories the printed-CI check
   lists for the transform found; it fixes ``c_0 = n - r_1`` censorings before the first death
   and ``c_i = r_i - 1 - r_{i+1}`` between deaths ``i`` and ``i + 1``;
3. which ``k`` dead patients die by day ``T`` (uniformly, listed deaths whose printed window
   forces it in or out excepted) and their death days: each uniform over its printed window
   within ``1..T``; where a follow-up fact falls on an early death (e.g. the shortest observed
   time is the first death), one eligible death is drawn inside that fact's rounding zone;
4. the *label pattern* of the other ``q = n - k`` observed times in increasing order: the
   lowest ``c_0 + ... + c_{k-1}`` are survivors censored in their gaps, and the late deaths
   take ranks chosen uniformly among the rest;
5. those ``q`` observed days: each rank has a box (its gap between deaths, ``>= T + 1`` for a
   late death, the accrual window for a survivor); the ranks the follow-up facts name (minimum,
   median or the middle pair, maximum -- of survivors, of all patients, or the rank at which
   the reverse Kaplan-Meier curve crosses 1/2) are drawn uniformly in their rounding zones
   (a middle pair as a uniform mean in the zone and a uniform half-gap); the other ranks,
   run by run of equal boxes, are sorted uniforms; a draw out of order is discarded, so given
   the anchors the free ranks are uniform over the ordered region;
6. survivors and late deaths are matched to their ranks uniformly at random; a dead patient's
   potential follow-up is uniform from ``max(death, shortest)`` to the longest;
7. relapses: a DFS history is drawn uniformly among the listed ones, so the number of
   relapses by day ``T`` of patients not dying by then is fixed; which patients relapse early
   is uniform, and each relapse day is uniform over its allowed range (on or after the
   trial's ``earliest_relapse`` day; before death; at or before the follow-up of a living
   patient; inside its printed window).

Only then is the candidate verified (:func:`survkit.trial.reanalysis.accept`): the DFS
interleaving, ties, the reverse-KM median and every other number are checked exactly.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from survkit.trial.facts import FactKey
from survkit.trial.methods import endpoint_method, landmark_method

if TYPE_CHECKING:
    from survkit.trial.proposal import Batch, Stratum

_DEAD = (False, False, True, True)
_REL = (False, True, True, False)

Zone = tuple[int, int]
_TRIES = 8  # redraws of the early-death order per candidate


@dataclass(frozen=True)
class ConstructPlan:
    """What the constructive sampler needs for one stratum (days throughout)."""

    n: int
    comps: tuple[tuple[int, ...], ...]
    slot_kind: tuple[str, ...]
    slot_lo: tuple[int, ...]
    slot_hi: tuple[int, ...]
    t_os: int  # last whole day at or before the OS landmark
    os_hist: tuple[tuple[int, ...], ...]
    t_dfs: int | None  # same day as t_os when the DFS landmark is at the OS landmark
    dfs_len: tuple[int, ...]  # lengths of the listed DFS histories (one per history)
    definition: str
    zmin: Zone | None
    zmed: Zone | None  # single-value median zone (days)
    zpair: tuple[float, float] | None  # mean-of-two median zone (days, exact)
    zmax: Zone | None
    fu_lo: int
    fu_hi: int
    rel_min: int = 1  # first whole day a relapse can be observed (``earliest_relapse``)


def make_plan(st: Stratum) -> ConstructPlan | None:
    """The constructive plan of a stratum, or ``None`` when the construction does not apply.

    It applies when an endpoint made of deaths only (OS) has exactly one landmark time whose
    histories the printed-CI check listed exhaustively.
    """
    if st.definition == "potential":
        return None  # potential follow-up is anchored by the proposal path
    p = st.problem
    t = p.trial
    ud = t.unit_days
    os_ep = next((e for e in t.endpoints if tuple(e.events) == ("death",)), None)
    if os_ep is None or len({lm.time for lm in os_ep.landmarks}) != 1:
        return None
    tau = os_ep.landmarks[0].time
    f_os = [f for f in p.findings if f.endpoint == os_ep.name and f.time == tau]
    os_m = landmark_method(endpoint_method(p.conf_type, os_ep.name))
    if len(f_os) != 1 or f_os[0].total_events.get(os_m) is None:
        return None
    os_hist = f_os[0].histories.get(os_m, ())
    if not os_hist or FactKey.landmark(os_ep.name, tau) not in p.active:
        return None
    t_os = math.floor(tau * ud + 1e-9)
    t_dfs: int | None = None
    dfs_len: tuple[int, ...] = ()
    for ep in t.endpoints:
        if set(ep.events) != {"relapse", "death"}:
            continue
        fs = [f for f in p.findings if f.endpoint == ep.name and f.time == tau]
        ep_m = landmark_method(endpoint_method(p.conf_type, ep.name))
        if (
            len(fs) == 1
            and len(ep.landmarks) == 1
            and fs[0].total_events.get(ep_m) is not None
            and FactKey.landmark(ep.name, tau) in p.active
        ):
            t_dfs = t_os
            dfs_len = tuple(len(h) for h in fs[0].histories.get(ep_m, ()))
            break
    fu = t.followup

    def days(pr: object, key: FactKey) -> Zone | None:
        if pr is None or key not in p.active or not st.definition:
            return None
        lo, hi = pr.lower, pr.upper  # type: ignore[attr-defined]
        if math.isnan(lo):
            return None
        return math.ceil(lo * ud - 1e-9), math.floor(hi * ud + 1e-9)

    zmin = days(fu.range[0] if fu.range else None, FactKey.followup("min"))
    zmax = days(fu.range[1] if fu.range else None, FactKey.followup("max"))
    zmed = days(fu.median, FactKey.followup("median"))
    zpair = None
    if zmed is not None and fu.median is not None:
        zpair = (fu.median.lower * ud - 1e-9, fu.median.upper * ud + 1e-9)
    return ConstructPlan(
        n=p.n,
        comps=tuple(tuple(int(x) for x in c) for c in p.comps),
        slot_kind=tuple(p.slot_kind),
        slot_lo=tuple(int(x) for x in p.slot_lo),
        slot_hi=tuple(int(x) for x in p.slot_hi),
        t_os=t_os,
        os_hist=tuple(tuple(h) for h in os_hist),
        t_dfs=t_dfs,
        dfs_len=dfs_len,
        definition=st.definition,
        zmin=zmin,
        zmed=zmed,
        zpair=zpair,
        zmax=zmax,
        fu_lo=(t.cutoff - t.accrual_end).days,
        fu_hi=(t.cutoff - t.accrual_start).days,
        rel_min=t.earliest_relapse_day,
    )


def _anchor_items(pl: ConstructPlan, merged: list[tuple[str, int]], alive_y: list[int]) -> (
    list[tuple[Zone | tuple[float, float], tuple[tuple[str, int], ...]]] | None
):
    """The items (early death ``('d', i)`` / observed rank ``('y', j)``) each fact falls on."""
    out: list[tuple[Zone | tuple[float, float], tuple[tuple[str, int], ...]]] = []
    d = pl.definition
    if not d:
        return out
    if d == "survivors":
        seq = [("y", j) for j in alive_y]
    else:
        seq = merged
    if not seq:
        return None
    if pl.zmin is not None:
        out.append((pl.zmin, (seq[0],)))
    if pl.zmax is not None:
        out.append((pl.zmax, (seq[-1],)))
    if pl.zmed is not None and pl.zpair is not None:
        if d in ("survivors", "all"):
            m = len(seq)
            if m % 2:
                out.append((pl.zmed, (seq[(m - 1) // 2],)))
            else:
                out.append((pl.zpair, (seq[m // 2 - 1], seq[m // 2])))
        else:  # reverse KM: deaths are censorings, survivors' follow-up ends are the events
            alive = set(alive_y)
            n = len(merged)
            s = 1.0
            hit: tuple[tuple[str, int], ...] | None = None
            ev = [i for i, it in enumerate(merged) if it[0] == "y" and it[1] in alive]
            for pos_i, i in enumerate(ev):
                s *= (n - i - 1.0) / (n - i)  # R's factor (r - d) / r
                if s < 0.5 - 1e-12:
                    hit = (merged[i],)
                    break
                if abs(s - 0.5) <= 1e-12:
                    if pos_i + 1 < len(ev):
                        hit = (merged[i], merged[ev[pos_i + 1]])
                    break
            if hit is None:
                return None
            out.append((pl.zmed if len(hit) == 1 else pl.zpair, hit))
    return out


def _propagate(lo: list[int], hi: list[int], fixed: dict[int, float]) -> bool:
    """Make the chain's boxes monotone (and tight around fixed values); False if one empties."""
    n = len(lo)
    for i, v in fixed.items():
        lo[i], hi[i] = max(lo[i], math.floor(v)), min(hi[i], math.ceil(v))
    for i in range(1, n):
        if lo[i] < lo[i - 1]:
            lo[i] = lo[i - 1]
    for i in range(n - 2, -1, -1):
        if hi[i] > hi[i + 1]:
            hi[i] = hi[i + 1]
    return all(lo[i] <= hi[i] for i in range(n))


def construct(st: Stratum, pl: ConstructPlan, b: int, rng: np.random.Generator) -> Batch:
    """``b`` constructed candidates (rows failing a construction step are marked invalid)."""
    from survkit.trial.proposal import Batch

    n = pl.n
    rnd = random.Random(int(rng.integers(0, 2**62)))
    status = np.zeros((b, n), dtype=np.int64)
    fu = np.zeros((b, n), dtype=np.int64)
    rel = np.full((b, n), np.inf)
    death = np.full((b, n), np.inf)
    valid = np.zeros(b, dtype=bool)
    for row in range(b):
        res = _one(pl, rnd)
        if res is None:
            continue
        s_, f_, r_, d_ = res
        status[row] = s_
        fu[row] = f_
        rel[row] = r_
        death[row] = d_
        valid[row] = True
    return Batch(status, fu, rel, death, valid)


def _chain_boxes(
    pl: ConstructPlan,
    rnd: random.Random,
    early: list[int],
    win: dict[int, tuple[int, int]],
    merged: list[tuple[str, int]],
    late_set_ranks: set[int],
    pos_of: dict[tuple[str, int], int],
    anchors: list[tuple[Zone | tuple[float, float], tuple[tuple[str, int], ...]]],
) -> tuple[list[int], list[int], list[int], dict[int, float]] | None:
    """Order the early deaths, box every chain position and fix the anchored ones."""
    n = pl.n
    T = pl.t_os
    prov = {p: rnd.uniform(win[p][0] - 0.5, min(win[p][1], T) + 0.5) for p in early}
    early_sorted = sorted(early, key=lambda p: prov[p])
    lo_b = [0] * n
    hi_b = [0] * n
    for i, (kind, idx) in enumerate(merged):
        if kind == "d":
            w = win[early_sorted[idx]]
            lo_b[i], hi_b[i] = w[0], min(w[1], T)
        elif idx in late_set_ranks:
            lo_b[i], hi_b[i] = T + 1, pl.fu_hi
        else:
            lo_b[i], hi_b[i] = pl.fu_lo, pl.fu_hi
    fixed: dict[int, float] = {}
    if not _propagate(lo_b, hi_b, fixed):
        return None
    for zone, items in anchors:
        ps = [pos_of[it] for it in items]
        if any(x in fixed for x in ps):
            return None
        if len(ps) == 1:
            a, z = max(lo_b[ps[0]], int(zone[0])), min(hi_b[ps[0]], int(zone[1]))
            if a > z:
                return None
            fixed[ps[0]] = float(rnd.randint(a, z))
        else:
            j1, j2 = ps
            s_lo = max(math.ceil(2 * zone[0]), lo_b[j1] + lo_b[j2])
            s_hi = min(math.floor(2 * zone[1]), hi_b[j1] + hi_b[j2])
            if s_lo > s_hi:
                return None
            s = rnd.randint(s_lo, s_hi)
            # d = b - a has the parity of s; a = (s - d) / 2 >= lo1 and b = (s + d) / 2 <= hi2
            dmax = min(s - 2 * lo_b[j1], 2 * hi_b[j2] - s)
            if dmax < 0:
                return None
            d = rnd.randint(0, dmax)
            if (d - s) % 2:
                d = d + 1 if d + 1 <= dmax else d - 1
                if d < 0:
                    return None
            fixed[j1], fixed[j2] = (s - d) / 2.0, (s + d) / 2.0
        if not _propagate(lo_b, hi_b, fixed):
            return None
    return early_sorted, lo_b, hi_b, fixed


def _one(
    pl: ConstructPlan, rnd: random.Random
) -> tuple[list[int], list[int], list[float], list[float]] | None:
    n = pl.n
    T = pl.t_os
    st = pl.comps[rnd.randrange(len(pl.comps))]
    h = pl.os_hist[rnd.randrange(len(pl.os_hist))]
    k = len(h)
    gaps = ([n - h[0]] + [h[i] - 1 - h[i + 1] for i in range(k - 1)]) if k else []
    big_m = sum(gaps)
    dead = [p for p in range(n) if _DEAD[st[p]]]
    alive = [p for p in range(n) if not _DEAD[st[p]]]
    m = len(alive)
    if big_m > m or k > len(dead):
        return None
    # 3. early deaths
    win: dict[int, tuple[int, int]] = {}
    forced_in, forced_out, free = [], [], []
    for p in dead:
        lo, hi = (pl.slot_lo[p], pl.slot_hi[p]) if pl.slot_kind[p] == "death" else (1, 10**9)
        lo, hi = max(lo, 1), min(hi, pl.fu_hi)
        if lo > hi:
            return None
        win[p] = (lo, hi)
        if hi <= T:
            forced_in.append(p)
        elif lo > T:
            forced_out.append(p)
        else:
            free.append(p)
    need = k - len(forced_in)
    if need < 0 or need > len(free):
        return None
    pick = rnd.sample(free, need)
    early = forced_in + pick
    late = forced_out + [p for p in free if p not in pick]
    q = n - k
    late_ranks = sorted(rnd.sample(range(big_m, q), len(late))) if late else []
    late_set = set(late_ranks)
    alive_y = [j for j in range(q) if j not in late_set]
    # merged order of all observed times: gaps of censored survivors between early deaths
    merged: list[tuple[str, int]] = []
    j = 0
    for i in range(k):
        for _ in range(gaps[i]):
            merged.append(("y", j))
            j += 1
        merged.append(("d", i))
    merged.extend(("y", jj) for jj in range(j, q))
    anchors = _anchor_items(pl, merged, alive_y)
    if anchors is None:
        return None
    # the order of the early deaths: the order of provisional uniform days in their windows,
    # redrawn (up to _TRIES times) until the chain's boxes and the anchor zones are compatible
    late_set_ranks = set(late_ranks)
    pos_of = {it: i for i, it in enumerate(merged)}
    for _try in range(_TRIES):
        res = _chain_boxes(pl, rnd, early, win, merged, late_set_ranks, pos_of, anchors)
        if res is not None:
            break
    else:
        return None
    early_sorted, lo_b, hi_b, fixed = res
    y = [0.0] * n
    i = 0
    while i < n:
        if i in fixed:
            y[i] = fixed[i]
            i += 1
            continue
        a, z = lo_b[i], hi_b[i]
        run = [i]
        while i + 1 < n and i + 1 not in fixed and (lo_b[i + 1], hi_b[i + 1]) == (a, z):
            i += 1
            run.append(i)
        vals = sorted(rnd.uniform(a - 0.5, z + 0.5) for _ in run)
        for r_, v in zip(run, vals, strict=True):
            y[r_] = v
        i += 1
    for i in range(1, n):
        if y[i] < y[i - 1]:
            return None
    yd = [min(max(round(v), lo_b[i]), hi_b[i]) for i, v in enumerate(y)]
    # a survivor censored before death i must leave before its day (ties count at risk)
    last_y = -1
    for i, (kind, _idx) in enumerate(merged):
        if kind == "y":
            last_y = i
        elif last_y >= 0 and yd[last_y] >= yd[i] and i - last_y == 1:
            return None
    day = {p: yd[pos_of[("d", i)]] for i, p in enumerate(early_sorted)}
    ydays = [yd[pos_of[("y", j)]] for j in range(q)]
    # 6. patients onto ranks
    fu_a = [0] * n
    death_a = [math.inf] * n
    al = alive[:]
    rnd.shuffle(al)
    for p, jj in zip(al, alive_y, strict=True):
        fu_a[p] = ydays[jj]
    lt = late[:]
    rnd.shuffle(lt)
    for p, jj in zip(lt, late_ranks, strict=True):
        if not win[p][0] <= ydays[jj] <= win[p][1]:
            return None
        death_a[p] = float(ydays[jj])
    for p in early:
        death_a[p] = float(day[p])
    for p in dead:
        dd = int(death_a[p])
        fu_a[p] = rnd.randint(max(dd, pl.fu_lo), pl.fu_hi)
    # 7. relapses
    rel_a = [math.inf] * n
    relapsers = [p for p in range(n) if _REL[st[p]]]
    rng_r: dict[int, tuple[int, int]] = {}
    for p in relapsers:
        hi = int(death_a[p]) - 1 if _DEAD[st[p]] else fu_a[p]
        lo = pl.rel_min
        if pl.slot_kind[p] == "relapse":
            lo, hi = max(lo, pl.slot_lo[p]), min(hi, pl.slot_hi[p])
        if lo > hi:
            return None
        rng_r[p] = (lo, hi)
    if pl.t_dfs is not None and pl.dfs_len:
        kd = pl.dfs_len[rnd.randrange(len(pl.dfs_len))]
        early_set = set(early)
        cand = [p for p in relapsers if p not in early_set]
        f_in = [p for p in cand if rng_r[p][1] <= T]
        f_out = [p for p in cand if rng_r[p][0] > T]
        f_free = [p for p in cand if rng_r[p][0] <= T < rng_r[p][1]]
        e = kd - k - len(f_in)
        if e < 0 or e > len(f_free):
            return None
        chosen = set(rnd.sample(f_free, e))
        for p in relapsers:
            lo, hi = rng_r[p]
            if p in chosen:
                hi = T
            elif p in f_free:
                lo = T + 1
            rel_a[p] = float(rnd.randint(lo, hi))
        del f_out
    else:
        for p in relapsers:
            rel_a[p] = float(rnd.randint(*rng_r[p]))
    return list(st), fu_a, rel_a, death_a
