r"""Candidate patient tables of one stratum: prior proposals with exact order-statistic anchoring.

A :class:`Stratum` is one (reading, follow-up definition) of a compiled
:class:`~survkit.trial.problem.Problem`. :func:`candidates` draws a :class:`Batch` of
candidate tables for it: built by the constructive sampler (:mod:`survkit.trial._construct`)
when it applies, else proposed from a day-level prior (:func:`propose`) whose follow-up facts
are met by exact order-statistic anchoring (:class:`AnchorPlan`; David & Nagaraja 2003,
section 2.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from survkit.trial.facts import NO_LIMIT, FactKey, FactKind
from survkit.trial.problem import Problem
from survkit.trial.spec import Trial
from survkit.trial.status import HAS_DEATH, HAS_RELAPSE

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass
class Batch:
    status: IntArray  # (B, n)
    fu: IntArray  # (B, n) potential follow-up, days
    rel: FloatArray  # (B, n) relapse day or inf
    death: FloatArray  # (B, n) death day or inf
    valid: NDArray[np.bool_]  # (B,)


def uniform_int(rng: np.random.Generator, lo: Any, hi: Any) -> IntArray:
    """Uniform integers in [lo, hi] (arrays; an empty range gives lo, flagged by the caller)."""
    lo = np.asarray(lo, dtype=np.int64)
    span = np.maximum(np.asarray(hi, dtype=np.int64) - lo + 1, 1)
    shape = np.broadcast_shapes(lo.shape, span.shape)
    return lo + (rng.random(shape) * span).astype(np.int64)


@dataclass(frozen=True)
class Anchor:
    """An anchored order statistic: rank(s) in the anchored set and the latent zone."""

    ranks: tuple[int, ...]  # one rank, or two adjacent ranks whose mean lies in the zone
    lo: float
    hi: float


@dataclass(frozen=True)
class AnchorPlan:
    """Exact conditioning of ``m`` i.i.d. uniform latent values on some order statistics.

    The values are i.i.d. uniform on ``[base_lo, base_hi]`` (latent days, rounded to whole days
    afterwards). The proposal draws the anchored order statistics uniformly in their zones
    (a mean-of-two anchor as a uniform sum and a uniform difference), the other values
    uniformly in the gaps between anchors, and shuffles them; a proposal is kept with
    probability ``prior / (M q)`` = ``Vol * f(anchors) / M``, where ``f`` is the joint density
    of those order statistics (David & Nagaraja 2003, eq. 2.2.3) and ``M`` a bound of
    ``Vol * f``. The kept values are exactly the prior conditioned on the anchors lying in
    their zones (a superset of the printed facts, which the exact filter then checks).
    """

    m: int
    base_lo: float
    base_hi: float
    anchors: tuple[Anchor, ...]
    log_vol: float
    log_const: float  # lgamma(m+1) - sum lgamma(n_g+1) - m log L

    def gaps(self) -> list[tuple[int, int, int]]:
        """(anchor index before or -1, anchor index after or len, count of values between)."""
        out = []
        prev_rank, prev_i = -1, -1
        for i, a in enumerate(self.anchors):
            out.append((prev_i, i, a.ranks[0] - prev_rank - 1))
            prev_rank, prev_i = a.ranks[-1], i
        out.append((prev_i, len(self.anchors), self.m - 1 - prev_rank))
        return out

    def log_bound(self) -> float:
        """log of an upper bound of ``Vol * f`` over every proposal."""
        total = self.log_vol + self.log_const
        for before, after, cnt in self.gaps():
            if cnt == 0:
                continue
            # the gap runs from the last value of anchor ``before`` (>= its zone's lower
            # end) to the first value of anchor ``after`` (<= its zone's upper end)
            lo = self.base_lo if before < 0 else self.anchors[before].lo
            hi = self.base_hi if after >= len(self.anchors) else self.anchors[after].hi
            total += cnt * math.log(max(hi - lo, 1e-300))
        return total

    def sample(
        self, r: int, rng: np.random.Generator, log_m: float
    ) -> tuple[FloatArray, NDArray[np.bool_]]:
        """``r`` rows of ``m`` latent values (shuffled) and the mask of kept rows."""
        span = self.base_hi - self.base_lo
        vals: list[FloatArray] = []  # anchor values in rank order
        for a in self.anchors:
            if len(a.ranks) == 1:
                vals.append(rng.uniform(a.lo, a.hi, size=r))
            else:
                s = rng.uniform(2 * a.lo, 2 * a.hi, size=r)
                d = rng.uniform(0.0, span, size=r)
                vals.append((s - d) / 2.0)
                vals.append((s + d) / 2.0)
        y = np.column_stack(vals) if vals else np.zeros((r, 0))
        ok = np.ones(r, dtype=bool)
        if y.shape[1]:
            ok &= (y[:, 0] >= self.base_lo) & (y[:, -1] <= self.base_hi)
            ok &= (np.diff(y, axis=1) > 0).all(axis=1) if y.shape[1] > 1 else ok
        # the anchors' columns in y, per anchor: first and last
        cols: list[tuple[int, int]] = []
        c = 0
        for a in self.anchors:
            cols.append((c, c + len(a.ranks) - 1))
            c += len(a.ranks)
        logw = np.full(r, self.log_vol + self.log_const)
        parts = [y]
        for before, after, cnt in self.gaps():
            if cnt == 0:
                continue
            lo = np.full(r, self.base_lo) if before < 0 else y[:, cols[before][1]]
            hi = np.full(r, self.base_hi) if after >= len(self.anchors) else y[:, cols[after][0]]
            length = hi - lo
            good = length > 0
            ok &= good
            logw += cnt * np.log(np.where(good, length, 1.0))
            parts.append(lo[:, None] + rng.random((r, cnt)) * np.where(good, length, 0.0)[:, None])
        out = np.hstack(parts)
        ok &= np.log(rng.random(r)) < logw - log_m
        out = np.take_along_axis(out, np.argsort(rng.random(out.shape), axis=1), axis=1)
        return out, ok


def make_anchor_plan(
    m: int,
    base: tuple[float, float],
    zmin: tuple[float, float] | None,
    zmed: tuple[float, float] | None,
    med_ranks: tuple[int, ...] | None,
    zmax: tuple[float, float] | None,
) -> AnchorPlan | None:
    """A plan anchoring rank 0 in ``zmin``, ``med_ranks`` in ``zmed``, rank ``m-1`` in ``zmax``."""
    lo_b, hi_b = base
    span = hi_b - lo_b
    if m < 1 or span <= 0:
        return None

    def clip(z: tuple[float, float]) -> tuple[float, float] | None:
        a, b = max(z[0], lo_b), min(z[1], hi_b)
        return (a, b) if a < b else None

    anchors: list[Anchor] = []
    used: set[int] = set()
    if zmin is not None and (z := clip(zmin)) is not None:
        anchors.append(Anchor((0,), *z))
        used.add(0)
    if zmed is not None and med_ranks is not None and (z := clip(zmed)) is not None:
        rk = tuple(med_ranks)
        if all(0 <= x < m for x in rk) and not (set(rk) & used) and (m - 1) not in rk:
            anchors.append(Anchor(rk, *z))
            used |= set(rk)
    if zmax is not None and m - 1 not in used and (z := clip(zmax)) is not None:
        anchors.append(Anchor((m - 1,), *z))
    if not anchors:
        return None
    log_vol = 0.0
    for a in anchors:
        log_vol += math.log(a.hi - a.lo) + (math.log(span) if len(a.ranks) == 2 else 0.0)
    plan = AnchorPlan(m, lo_b, hi_b, tuple(anchors), log_vol, 0.0)
    const = math.lgamma(m + 1) - m * math.log(span)
    for _b, _a, cnt in plan.gaps():
        const -= math.lgamma(cnt + 1)
    return AnchorPlan(m, lo_b, hi_b, tuple(anchors), log_vol, const)


@dataclass
class Stratum:
    """One (reading, follow-up definition) with its compiled problem and anchoring plans."""

    problem: Problem
    definition: str  # "" when the spec prints no follow-up summary
    plans: dict[int, AnchorPlan]  # anchored-set size -> plan
    anchored: NDArray[np.bool_] | None  # fixed anchored columns (all / reverse-km), else None
    log_m: float
    proposals: int = 0
    accepted: int = 0
    construct_plan: Any = None  # survkit.trial._construct.ConstructPlan or None
    use_search: bool = False  # drawn by the general engine (survkit.trial.search)

    @property
    def fu_set(self) -> str:
        """Which times the follow-up facts are about: ``survivors`` or ``all`` observed."""
        return "survivors" if self.definition == "survivors" else "all"


def followup_zones(
    trial: Trial, active: frozenset[FactKey]
) -> dict[str, tuple[float, float] | None]:
    """Latent (day) zones of the follow-up facts, widened by half a day for the rounding."""
    ud = trial.unit_days
    f = trial.followup

    def z(pr: Any, key: FactKey, single: bool) -> tuple[float, float] | None:
        if pr is None or key not in active or math.isnan(pr.value):
            return None
        if single:  # the latent values that round to a whole day printing as ``pr``
            return math.ceil(pr.lower * ud - 1e-9) - 0.5, math.floor(pr.upper * ud + 1e-9) + 0.5
        return pr.lower * ud - 0.5, pr.upper * ud + 0.5

    return {
        "min": z(f.range[0] if f.range else None, FactKey.followup("min"), True),
        "med": z(f.median, FactKey.followup("median"), True),
        "med2": z(f.median, FactKey.followup("median"), False),
        "max": z(f.range[1] if f.range else None, FactKey.followup("max"), True),
    }


def compile_stratum(p: Problem, definition: str) -> Stratum:
    """Compile the anchoring for one follow-up definition (see :class:`AnchorPlan`)."""
    t = p.trial
    fu_lo = (t.cutoff - t.accrual_end).days
    fu_hi = (t.cutoff - t.accrual_start).days
    zs = followup_zones(t, p.active) if definition else dict.fromkeys(("min", "med", "med2", "max"))
    plans: dict[int, AnchorPlan] = {}
    anchored: NDArray[np.bool_] | None = None
    order_median = definition in ("survivors", "all")
    if definition == "survivors":
        base = (fu_lo - 0.5, fu_hi + 0.5)
        for m in sorted({int((~HAS_DEATH[c]).sum()) for c in p.comps}):
            med = ((m - 1) // 2, m // 2) if m % 2 == 0 else ((m - 1) // 2,)
            zm = zs["med2"] if m % 2 == 0 else zs["med"]
            pl = make_anchor_plan(m, base, zs["min"], zm, med if m >= 3 else None, zs["max"])
            if pl is not None:
                plans[m] = pl
    elif definition == "potential" and p.comps.shape[0]:
        # every patient's potential follow-up (cutoff - entry) is in the set; it is drawn
        # first (anchored), the death days given it
        n = p.n
        base = (fu_lo - 0.5, fu_hi + 0.5)
        anchored = np.ones(n, dtype=bool)
        med_p = ((n - 1) // 2, n // 2) if n % 2 == 0 else ((n - 1) // 2,)
        zm = zs["med2"] if n % 2 == 0 else zs["med"]
        pl = make_anchor_plan(n, base, zs["min"], zm, med_p if n >= 3 else None, zs["max"])
        if pl is not None:
            plans[n] = pl
    elif definition in ("all", "reverse-km") and p.comps.shape[0]:
        # every patient's observed time is in the set; slots with a bounded death window that
        # lies outside every zone region keep their own uniform window draw (their rank is
        # then known), the others are anchored
        base = (0.5, fu_hi + 0.5)
        n = p.n
        zmin, zmax = zs["min"], zs["max"]
        zmed = (zs["med"] if n % 2 else zs["med2"]) if order_median else None
        regions = [z for z in (zmin, zmax) if z is not None]
        if zmed is not None:
            lo_r = 2 * zmed[0] - (zmax[1] if zmax else base[1])
            hi_r = 2 * zmed[1] - (zmin[0] if zmin else base[0])
            regions.append((lo_r, hi_r))
        fixed = np.zeros(n, dtype=bool)
        below_med = 0
        for i in range(n):
            if p.slot_kind[i] != "death" or p.slot_hi[i] >= NO_LIMIT:
                continue
            wlo, whi = float(p.slot_lo[i]) - 0.5, float(p.slot_hi[i]) + 0.5
            if all(whi < a or wlo > b for a, b in regions):
                fixed[i] = True
                if zmed is not None and whi < regions[-1][0]:
                    below_med += 1
        anchored = ~fixed
        m = int(anchored.sum())
        k_below = sum(
            1 for i in range(n) if fixed[i] and zmin is not None and p.slot_hi[i] + 0.5 < zmin[0]
        )
        k_above = sum(
            1 for i in range(n) if fixed[i] and zmax is not None and p.slot_lo[i] - 0.5 > zmax[1]
        )
        med_rk: tuple[int, ...] | None = None
        if zmed is not None:
            a_, b_ = (n - 1) // 2 - below_med, n // 2 - below_med
            med_rk = (a_,) if a_ == b_ else (a_, b_)
        pl = make_anchor_plan(
            m,
            base,
            zmin if k_below == 0 else None,
            zmed,
            med_rk if m >= 3 else None,
            zmax if k_above == 0 else None,
        )
        if pl is not None:
            plans[m] = pl
    log_m = max((pl.log_bound() for pl in plans.values()), default=0.0)
    sizes = (
        {int((~HAS_DEATH[c]).sum()) for c in p.comps} if anchored is None else {int(anchored.sum())}
    )
    if plans and not sizes <= set(plans):
        log_m = max(log_m, 0.0)  # unanchored rows have ratio 1: one bound for all rows
    return Stratum(p, definition, plans, anchored, log_m)


def propose(st: Stratum, b: int, rng: np.random.Generator) -> Batch:
    """``b`` candidates from the prior, the follow-up facts conditioned on by anchoring.

    Prior per patient (whole days): the observed OS day (a survivor's potential follow-up,
    uniform over the days the accrual window allows; a death day, uniform over ``1..longest
    follow-up`` within its printed window) -- then a dead patient's potential follow-up
    uniform from ``max(death, shortest)`` to the longest, and a relapse day uniform over the
    days its window allows before death (alive: up to the follow-up).
    """
    p = st.problem
    t = p.trial
    n = p.n
    fu_lo = (t.cutoff - t.accrual_end).days
    fu_hi = (t.cutoff - t.accrual_start).days
    comp_idx = rng.integers(0, p.comps.shape[0], size=b)
    status = p.comps[comp_idx]
    dead = HAS_DEATH[status]
    relapsed = HAS_RELAPSE[status]
    death_slot = np.array([k == "death" for k in p.slot_kind])
    rel_slot = np.array([k == "relapse" for k in p.slot_kind])
    dlo = np.where(death_slot, p.slot_lo, 1)
    dhi = np.where(death_slot, np.minimum(p.slot_hi, fu_hi), fu_hi)
    valid = np.ones(b, dtype=bool)
    valid &= ~(dead & (dlo > dhi)[None, :]).any(axis=1)
    if st.definition == "potential":
        return _propose_potential(st, b, rng, status, dlo, dhi, valid)
    o = np.where(
        dead,
        uniform_int(rng, np.broadcast_to(dlo, (b, n)), np.broadcast_to(dhi, (b, n))),
        uniform_int(rng, np.full((b, n), fu_lo), np.full((b, n), fu_hi)),
    )
    if st.plans:
        amask = ~dead if st.anchored is None else np.broadcast_to(st.anchored, (b, n))
        m_row = amask.sum(axis=1)
        for m, pl in st.plans.items():
            rows = np.flatnonzero(m_row == m)
            if rows.size == 0:
                continue
            lat, keep = pl.sample(rows.size, rng, st.log_m)
            sub = o[rows]
            sub[amask[rows]] = np.rint(lat).astype(np.int64).ravel()
            o[rows] = sub
            valid[rows] &= keep
        # rows whose anchored-set size has no plan are plain prior draws (ratio 1 <= M?)
        no_plan = ~np.isin(m_row, list(st.plans))
        if st.log_m > 0:  # keep them with probability 1/M so that all rows share one bound
            valid &= ~no_plan | (np.log(rng.random(b)) < -st.log_m)
        # indicators of the prior: survivors within the accrual window, deaths within windows
        valid &= ~(~dead & ((o < fu_lo) | (o > fu_hi))).any(axis=1)
        valid &= ~(dead & ((o < dlo[None, :]) | (o > dhi[None, :]))).any(axis=1)
    fu = np.where(dead, uniform_int(rng, np.maximum(o, fu_lo), np.full((b, n), fu_hi)), o).astype(
        np.int64
    )
    rlo = np.maximum(np.where(rel_slot, p.slot_lo, 1), t.earliest_relapse_day)
    rhi_w = np.where(rel_slot, p.slot_hi, NO_LIMIT)
    r_hi = np.minimum(rhi_w[None, :], np.where(dead, o - 1, fu))
    r_lo = np.broadcast_to(rlo, (b, n))
    valid &= ~(relapsed & (r_lo > r_hi)).any(axis=1)
    rel = np.where(relapsed, uniform_int(rng, r_lo, r_hi), np.inf)
    death = np.where(dead, o, np.inf)
    return Batch(status, fu, rel.astype(np.float64), death.astype(np.float64), valid)


def _propose_potential(
    st: Stratum,
    b: int,
    rng: np.random.Generator,
    status: IntArray,
    dlo: IntArray,
    dhi: IntArray,
    valid: NDArray[np.bool_],
) -> Batch:
    """Prior proposals when the follow-up facts summarise potential follow-up (all patients).

    Prior per patient (whole days): potential follow-up uniform over the accrual window
    (anchored on the printed median and range, as :class:`AnchorPlan`); a death day uniform
    over its printed window up to that follow-up; a relapse day uniform before death (alive:
    up to the follow-up).
    """
    p = st.problem
    t = p.trial
    n = p.n
    fu_lo = (t.cutoff - t.accrual_end).days
    fu_hi = (t.cutoff - t.accrual_start).days
    dead = HAS_DEATH[status]
    relapsed = HAS_RELAPSE[status]
    fu = uniform_int(rng, np.full((b, n), fu_lo), np.full((b, n), fu_hi))
    pl = st.plans.get(n)
    if pl is not None:
        lat, keep = pl.sample(b, rng, st.log_m)
        fu = np.rint(lat).astype(np.int64)
        valid = valid & keep & ~((fu < fu_lo) | (fu > fu_hi)).any(axis=1)
    d_hi = np.minimum(dhi[None, :], fu)
    valid = valid & ~(dead & (dlo[None, :] > d_hi)).any(axis=1)
    o = np.where(dead, uniform_int(rng, np.broadcast_to(dlo, (b, n)), d_hi), fu)
    rel_slot = np.array([k == "relapse" for k in p.slot_kind])
    rlo = np.maximum(np.where(rel_slot, p.slot_lo, 1), t.earliest_relapse_day)
    rhi_w = np.where(rel_slot, p.slot_hi, NO_LIMIT)
    r_hi = np.minimum(rhi_w[None, :], np.where(dead, o - 1, fu))
    r_lo = np.broadcast_to(rlo, (b, n))
    valid = valid & ~(relapsed & (r_lo > r_hi)).any(axis=1)
    rel = np.where(relapsed, uniform_int(rng, r_lo, r_hi), np.inf)
    death = np.where(dead, o, np.inf)
    return Batch(
        status, fu.astype(np.int64), rel.astype(np.float64), death.astype(np.float64), valid
    )


def candidates(st: Stratum, b: int, rng: np.random.Generator) -> Batch:
    """Constructed candidates when the construction applies to ``st``, else prior proposals."""
    from survkit.trial._construct import construct

    if st.construct_plan is not None:
        return construct(st, st.construct_plan, b, rng)
    return propose(st, b, rng)


def strata_for(p: Problem, trial: Trial) -> list[Stratum]:
    f = trial.followup
    has_fu = (f.median is not None or f.range is not None) and any(
        k.kind is FactKind.FOLLOWUP for k in p.active
    )
    defs = f.definitions if has_fu else ("",)
    from survkit.trial._construct import make_plan

    out = [compile_stratum(p, d) for d in defs]
    for st in out:
        st.construct_plan = make_plan(st)
    return out
