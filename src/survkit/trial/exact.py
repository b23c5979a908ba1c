r"""Exact reconstruction: patient-level tables that print every number of a trial spec.

:func:`reconstruct` draws patient-level tables (infusion date, relapse and death days) that,
re-analysed with the Kaplan-Meier estimator and the CI transform the printed-CI check finds,
print *every* number of a :class:`~survkit.trial.spec.Trial`: landmark survival with its
CI, medians, the follow-up median and range, the counts and each printed event time.

Sampling scheme
---------------
The draws are split into *strata*, one per (reading of conflicting facts, follow-up
definition) that survives exact event counting, and **each stratum where a draw is found gets
an equal share** (a uniform weight over readings and definitions; a stratum with no draw found
gives its share to the others and is reported as *not found, feasibility not decided*).

*Constructive path (primary)* -- :mod:`survkit.trial._construct`, used when an endpoint
made of deaths (OS) has one landmark time with an exhaustive history list. Each candidate is
built, not guessed: (1) a status composition uniformly among those passing exact event
counting; (2) an OS history uniformly among the histories the printed-CI check lists (it fixes
how many survivors are censored between consecutive deaths before the landmark); (3) which dead
patients die by the landmark, uniformly (printed windows force some in or out), ordered by
provisional uniform days in their windows; (4) the positions of late deaths among the other
observed times, uniformly; (5) one increasing chain of all ``n`` observed days, each position
boxed (its gap between deaths, its printed window, the accrual window), the positions the
follow-up facts name -- minimum, median or middle pair, maximum of the survivors' follow-up
(``survivors``) or of all observed times (``all``), or the rank where the reverse
Kaplan-Meier curve crosses 1/2 (``reverse-km``) -- drawn uniformly in their rounding zones, the
others as sorted uniforms run by run (so, given the anchors and boxes, uniform over the ordered
region); (6) patients matched to positions uniformly; (7) a DFS history uniformly among the
listed ones fixes how many relapses fall by the landmark; which patients, and the days
(uniform, before death / at or before follow-up / in the printed window), are uniform. So the
sampler is *uniform over OS histories and DFS event counts, then uniform over days given them
and the anchored follow-up values* -- a documented construction, not a posterior under a
day-level prior. Candidates failing a construction step are discarded and counted.

*Rejection path (fallback)* -- when the construction does not apply: i.i.d. candidates from a
day-level prior (composition uniform; observed OS day uniform over the allowed days; given
it, follow-up and relapse days uniform), the follow-up facts met by exact order-statistic
anchoring (David & Nagaraja 2003, section 2.2; accepted with weight ``Vol * f(anchors) / M``),
the rest by rejection after exact event counting.

*Verification.* Every draw is re-analysed from the final patient table: landmarks with
:func:`survkit.estimate.batch.kaplan_meier_at` (bit-identical to
``kaplan_meier(...).at(...)``), medians (endpoints, reverse-KM follow-up) with
:func:`survkit.estimate.km.kaplan_meier`, follow-up medians and ranges, event windows and
counts directly; a miss raises ``RuntimeError``.

Infeasibility
-------------
Before sampling, each reading is tested by *exact event counting*: the CI check lists every
history (risk-set sizes at the events) of ``n`` patients that prints a landmark, so the number
of endpoint events before the landmark is known exactly; a composition that cannot place that
many events before it (or must place more) is impossible. Only such proofs make a reading
infeasible; a smallest conflicting set is found by a deletion filter (Chinneck & Dravnieks
1991). A search that finds nothing proves nothing: then :class:`ReconstructionBudgetError`
("no draw found in N candidates; feasibility not decided") is raised, never
:class:`InfeasibleSpecError`.

References
----------
Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations. JASA
53:457-481. Greenwood M. (1926). Reports on Public Health and Medical Subjects 33.
Schemper M., Smith T.L. (1996). A note on quantifying follow-up in studies of failure time.
Controlled Clinical Trials 17:343-346. David H.A., Nagaraja H.N. (2003). Order Statistics,
3rd ed., Wiley. Chinneck J.W., Dravnieks E.W. (1991). Locating minimal
infeasible constraint sets in linear programs. ORSA J. Computing 3:157-168.
"""

from __future__ import annotations

import functools
import itertools
import math
import time as _time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.trial.spec import Trial

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from survkit.check.parse import Reported

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Patient statuses at cutoff.
STATUS_NAMES: tuple[str, ...] = (
    "event-free alive",
    "relapsed, alive",
    "relapsed, then died",
    "died without relapse",
)
_HAS_RELAPSE = np.array([False, True, True, False])
_HAS_DEATH = np.array([False, False, True, True])
_BIG = 10**9


class InfeasibleSpecError(ValueError):
    """The printed facts cannot all hold; ``conflicts`` maps reading -> smallest conflicting set."""

    def __init__(self, message: str, conflicts: dict[str, tuple[str, ...]]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


class ReconstructionBudgetError(RuntimeError):
    """No (or too few) draws found within the candidate budget; feasibility is NOT decided."""


# ----------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Fact:
    """A printed fact a reconstruction must reproduce (``key`` stable, ``text`` readable)."""

    key: str
    text: str


def trial_facts(trial: Trial, reading: int) -> tuple[Fact, ...]:
    """The droppable facts of ``trial`` under reading number ``reading`` (n, dates always hold)."""
    out: list[Fact] = []
    u = trial.unit
    fu = trial.followup
    if fu.median is not None:
        out.append(Fact("followup.median", f"median follow-up {fu.median.text} {u}"))
    if fu.range is not None:
        out.append(Fact("followup.min", f"shortest follow-up {fu.range[0].text} {u}"))
        out.append(Fact("followup.max", f"longest follow-up {fu.range[1].text} {u}"))
    for ep in trial.endpoints:
        for lm in ep.landmarks:
            out.append(
                Fact(f"landmark:{ep.name}:{lm.time:g}", f"{ep.name} at {lm.time:g} {u}: {lm.text}")
            )
        if ep.median is not None:
            ci = f" ({ep.median_ci.text})" if ep.median_ci is not None else ""
            out.append(Fact(f"median:{ep.name}", f"median {ep.name} {ep.median.text} {u}{ci}"))
    rd = trial.readings[reading]
    counts = _counts(trial, reading)
    for name, (lo, hi) in counts.items():
        what = name.replace("_", " ")
        val = f"{lo}" if lo == hi else f"{lo}..{hi if hi < _BIG else 'n'}"
        src = " (every death listed)" if name == "deaths" and trial.deaths_listed else ""
        out.append(Fact(f"count:{name}", f"{what} = {val}{src}"))
    for eid in rd.events:
        ev = trial.event(eid)
        when = f" at {ev.time.text} {u}" if ev.time is not None else ""
        out.append(Fact(f"event:{eid}", f"{ev.kind}{when} ({ev.note or eid})"))
    return tuple(out)


def _counts(trial: Trial, reading: int) -> dict[str, tuple[int, int]]:
    rd = trial.readings[reading]
    counts = dict(trial.counts)
    if trial.deaths_listed:
        k = sum(1 for e in rd.events if trial.event(e).kind == "death")
        counts["deaths"] = (k, k)
    counts.update(rd.counts)
    return counts


# ----------------------------------------------------------------------------- CI method
@dataclass(frozen=True)
class MethodFinding:
    """What the printed-CI check found for one landmark."""

    endpoint: str
    time: float
    text: str
    consistent: tuple[str, ...]
    events_before: dict[str, tuple[int, ...] | None]
    n_histories: dict[str, int]
    histories: dict[str, tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def find_methods(trial: Trial) -> tuple[list[MethodFinding], tuple[str, ...]]:
    """Run the printed-CI check (:func:`survkit.check.ci_check.check_ci`) on every landmark.

    Returns the per-landmark findings and the transforms consistent with *all* landmarks
    (R's default ``log`` first when it is among them, then survkit's canonical order).
    ``events_before[transform]`` is the set of event counts before the landmark over every
    history the check lists (``None`` when the list was capped, i.e. not exhaustive).
    """
    from survkit.check.ci_check import check_ci
    from survkit.check.parse import parse_endpoint
    from survkit.estimate.ci import CONF_TYPES

    out: list[MethodFinding] = []
    for ep in trial.endpoints:
        for lm in ep.landmarks:
            rep = parse_endpoint(lm.text)
            chk = check_ci(rep, n=trial.n)
            ev: dict[str, tuple[int, ...] | None] = {}
            nh: dict[str, int] = {}
            hs_all: dict[str, tuple[tuple[int, ...], ...]] = {}
            for ct in chk.consistent:
                hs = list(chk.histories.get(ct, ()))
                total = int(getattr(chk, "n_histories", {}).get(ct, len(hs)))
                nh[ct] = total
                ev[ct] = tuple(sorted({len(h.at_risk) for h in hs})) if total == len(hs) else None
                hs_all[ct] = tuple(tuple(int(x) for x in h.at_risk) for h in hs)
            out.append(
                MethodFinding(
                    ep.name,
                    lm.time,
                    lm.text,
                    tuple(chk.consistent),
                    ev,
                    nh,
                    hs_all,
                    {c: str(chk.methods[c].reason) for c in CONF_TYPES if c in chk.methods},
                )
            )
    common = [c for c in CONF_TYPES if all(c in f.consistent for f in out)]
    if "log" in common:
        common.remove("log")
        common.insert(0, "log")
    return out, tuple(common)


# ----------------------------------------------------------------------------- compiled problem
@dataclass
class _Problem:
    """A trial under one reading with a set of active facts, compiled for vectorized sampling."""

    trial: Trial
    reading: int
    active: frozenset[str]
    method: str
    findings: list[MethodFinding]
    comps: IntArray  # (C, n) statuses
    slot_lo: IntArray  # (n,) earliest event day of slot patients (1 for free)
    slot_hi: IntArray  # (n,) latest event day (_BIG for free)
    slot_kind: list[str]  # "" (free), "death", "relapse"
    slot_ids: list[str]
    counts: dict[str, tuple[int, int]]
    reported: dict[str, Reported] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.trial.n


def _day_window(lo: float, hi: float, ud: float) -> tuple[int, int]:
    a = max(1, math.ceil(lo * ud - 1e-9))
    b = _BIG if math.isinf(hi) else math.floor(hi * ud + 1e-9)
    return a, b


def _compile(
    trial: Trial, reading: int, active: frozenset[str], method: str, findings: list[MethodFinding]
) -> _Problem:
    from survkit.check.parse import parse_endpoint

    n = trial.n
    ud = trial.unit_days
    rd = trial.readings[reading]
    slots = [trial.event(e) for e in rd.events if f"event:{e}" in active]
    k = len(slots)
    slot_lo = np.ones(n, dtype=np.int64)
    slot_hi = np.full(n, _BIG, dtype=np.int64)
    kinds = [""] * n
    ids = [""] * n
    options: list[tuple[int, ...]] = []
    for i, ev in enumerate(slots):
        lo, hi = ev.window()
        slot_lo[i], slot_hi[i] = _day_window(lo, hi, ud)
        kinds[i] = ev.kind
        ids[i] = ev.id
        if ev.kind == "death":
            options.append(
                (2,) if ev.relapse_before else (3,) if ev.relapse_before is False else (2, 3)
            )
        else:
            options.append((1, 2))
    counts = {name: c for name, c in _counts(trial, reading).items() if f"count:{name}" in active}
    comps: list[list[int]] = []
    free = n - k
    for slot_st in itertools.product(*options) if options else [()]:
        for c0 in range(free + 1):
            for c1 in range(free - c0 + 1):
                for c2 in range(free - c0 - c1 + 1):
                    c3 = free - c0 - c1 - c2
                    st = [*slot_st, *([0] * c0), *([1] * c1), *([2] * c2), *([3] * c3)]
                    if _counts_ok(np.array(st), counts) and _events_ok(
                        trial, np.array(st), slot_lo, slot_hi, kinds, active, findings, method
                    ):
                        comps.append(st)
    arr = np.array(comps, dtype=np.int64).reshape(-1, n)
    reported = {}
    for ep in trial.endpoints:
        for lm in ep.landmarks:
            key = f"landmark:{ep.name}:{lm.time:g}"
            if key in active:
                reported[key] = parse_endpoint(lm.text)
    return _Problem(
        trial,
        reading,
        active,
        method,
        findings,
        arr,
        slot_lo,
        slot_hi,
        kinds,
        ids,
        counts,
        reported,
    )


def _counts_ok(st: IntArray, counts: dict[str, tuple[int, int]]) -> bool:
    values = {
        "deaths": int(_HAS_DEATH[st].sum()),
        "relapses": int(_HAS_RELAPSE[st].sum()),
        "alive": int((~_HAS_DEATH[st]).sum()),
        "alive_relapse_free": int((st == 0).sum()),
    }
    return all(lo <= values[name] <= hi for name, (lo, hi) in counts.items())


def _events_ok(
    trial: Trial,
    st: IntArray,
    slot_lo: IntArray,
    slot_hi: IntArray,
    kinds: list[str],
    active: frozenset[str],
    findings: list[MethodFinding],
    method: str,
) -> bool:
    """Exact event counting: can this composition hold the number of events the landmark needs?"""
    ud = trial.unit_days
    for f in findings:
        if f"landmark:{f.endpoint}:{f.time:g}" not in active:
            continue
        allowed = f.events_before.get(method)
        if allowed is None:
            continue
        ep = trial.endpoint(f.endpoint)
        tau = f.time * ud
        possible = forced = 0
        for i, s in enumerate(st):
            rel, dead = bool(_HAS_RELAPSE[s]), bool(_HAS_DEATH[s])
            has = (dead and "death" in ep.events) or (rel and "relapse" in ep.events)
            if not has:
                continue
            lo, hi = int(slot_lo[i]), int(slot_hi[i])
            # the endpoint event time: a slot's own event, or an earlier relapse (free day >= 1)
            own = (
                kinds[i] == "death"
                and "death" in ep.events
                and not (rel and "relapse" in ep.events)
            ) or (kinds[i] == "relapse" and "relapse" in ep.events)
            earliest = lo if own else 1
            if rel and "relapse" in ep.events and not own:
                earliest = trial.earliest_relapse_day  # the DFS event is the relapse
            elif kinds[i] == "relapse" and own:
                earliest = max(lo, trial.earliest_relapse_day)
            latest = hi if kinds[i] else _BIG
            if kinds[i] == "death" and rel and "relapse" in ep.events:
                latest = hi - 1  # relapse strictly before the slot death
            if earliest <= tau:
                possible += 1
            if latest <= tau:
                forced += 1
        if not any(forced <= d <= possible for d in allowed):
            return False
    return True


# ----------------------------------------------------------------------------- sampling
@dataclass
class _Batch:
    status: IntArray  # (B, n)
    fu: IntArray  # (B, n) potential follow-up, days
    rel: FloatArray  # (B, n) relapse day or inf
    death: FloatArray  # (B, n) death day or inf
    valid: NDArray[np.bool_]  # (B,)


def _uniform_int(rng: np.random.Generator, lo: Any, hi: Any) -> IntArray:
    """Uniform integers in [lo, hi] (arrays; an empty range gives lo, flagged by the caller)."""
    lo = np.asarray(lo, dtype=np.int64)
    span = np.maximum(np.asarray(hi, dtype=np.int64) - lo + 1, 1)
    shape = np.broadcast_shapes(lo.shape, span.shape)
    return lo + (rng.random(shape) * span).astype(np.int64)


@dataclass(frozen=True)
class _Anchor:
    """An anchored order statistic: rank(s) in the anchored set and the latent zone."""

    ranks: tuple[int, ...]  # one rank, or two adjacent ranks whose mean lies in the zone
    lo: float
    hi: float


@dataclass(frozen=True)
class _Plan:
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
    anchors: tuple[_Anchor, ...]
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


def _make_plan(
    m: int,
    base: tuple[float, float],
    zmin: tuple[float, float] | None,
    zmed: tuple[float, float] | None,
    med_ranks: tuple[int, ...] | None,
    zmax: tuple[float, float] | None,
) -> _Plan | None:
    """A plan anchoring rank 0 in ``zmin``, ``med_ranks`` in ``zmed``, rank ``m-1`` in ``zmax``."""
    lo_b, hi_b = base
    span = hi_b - lo_b
    if m < 1 or span <= 0:
        return None

    def clip(z: tuple[float, float]) -> tuple[float, float] | None:
        a, b = max(z[0], lo_b), min(z[1], hi_b)
        return (a, b) if a < b else None

    anchors: list[_Anchor] = []
    used: set[int] = set()
    if zmin is not None and (z := clip(zmin)) is not None:
        anchors.append(_Anchor((0,), *z))
        used.add(0)
    if zmed is not None and med_ranks is not None and (z := clip(zmed)) is not None:
        rk = tuple(med_ranks)
        if all(0 <= x < m for x in rk) and not (set(rk) & used) and (m - 1) not in rk:
            anchors.append(_Anchor(rk, *z))
            used |= set(rk)
    if zmax is not None and m - 1 not in used and (z := clip(zmax)) is not None:
        anchors.append(_Anchor((m - 1,), *z))
    if not anchors:
        return None
    log_vol = 0.0
    for a in anchors:
        log_vol += math.log(a.hi - a.lo) + (math.log(span) if len(a.ranks) == 2 else 0.0)
    plan = _Plan(m, lo_b, hi_b, tuple(anchors), log_vol, 0.0)
    const = math.lgamma(m + 1) - m * math.log(span)
    for _b, _a, cnt in plan.gaps():
        const -= math.lgamma(cnt + 1)
    return _Plan(m, lo_b, hi_b, tuple(anchors), log_vol, const)


@dataclass
class _Stratum:
    """One (reading, follow-up definition) with its compiled problem and anchoring plans."""

    problem: _Problem
    definition: str  # "" when the spec prints no follow-up summary
    plans: dict[int, _Plan]  # anchored-set size -> plan
    anchored: NDArray[np.bool_] | None  # fixed anchored columns (all / reverse-km), else None
    log_m: float
    proposals: int = 0
    accepted: int = 0
    construct_plan: Any = None  # survkit.trial._construct.ConstructPlan or None

    @property
    def fu_set(self) -> str:
        """Which times the follow-up facts are about: ``survivors`` or ``all`` observed."""
        return "survivors" if self.definition == "survivors" else "all"


def _zones(trial: Trial, active: frozenset[str]) -> dict[str, tuple[float, float] | None]:
    """Latent (day) zones of the follow-up facts, widened by half a day for the rounding."""
    ud = trial.unit_days
    f = trial.followup

    def z(pr: Any, key: str, single: bool) -> tuple[float, float] | None:
        if pr is None or key not in active or math.isnan(pr.value):
            return None
        if single:  # the latent values that round to a whole day printing as ``pr``
            return math.ceil(pr.lower * ud - 1e-9) - 0.5, math.floor(pr.upper * ud + 1e-9) + 0.5
        return pr.lower * ud - 0.5, pr.upper * ud + 0.5

    return {
        "min": z(f.range[0] if f.range else None, "followup.min", True),
        "med": z(f.median, "followup.median", True),
        "med2": z(f.median, "followup.median", False),
        "max": z(f.range[1] if f.range else None, "followup.max", True),
    }


def _stratum(p: _Problem, definition: str) -> _Stratum:
    """Compile the anchoring for one follow-up definition (see :class:`_Plan`)."""
    t = p.trial
    fu_lo = (t.cutoff - t.accrual_end).days
    fu_hi = (t.cutoff - t.accrual_start).days
    zs = _zones(t, p.active) if definition else dict.fromkeys(("min", "med", "med2", "max"))
    plans: dict[int, _Plan] = {}
    anchored: NDArray[np.bool_] | None = None
    order_median = definition in ("survivors", "all")
    if definition == "survivors":
        base = (fu_lo - 0.5, fu_hi + 0.5)
        for m in sorted({int((~_HAS_DEATH[c]).sum()) for c in p.comps}):
            med = ((m - 1) // 2, m // 2) if m % 2 == 0 else ((m - 1) // 2,)
            zm = zs["med2"] if m % 2 == 0 else zs["med"]
            pl = _make_plan(m, base, zs["min"], zm, med if m >= 3 else None, zs["max"])
            if pl is not None:
                plans[m] = pl
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
            if p.slot_kind[i] != "death" or p.slot_hi[i] >= _BIG:
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
        pl = _make_plan(
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
        {int((~_HAS_DEATH[c]).sum()) for c in p.comps}
        if anchored is None
        else {int(anchored.sum())}
    )
    if plans and not sizes <= set(plans):
        log_m = max(log_m, 0.0)  # unanchored rows have ratio 1: one bound for all rows
    return _Stratum(p, definition, plans, anchored, log_m)


def _propose(st: _Stratum, b: int, rng: np.random.Generator) -> _Batch:
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
    dead = _HAS_DEATH[status]
    relapsed = _HAS_RELAPSE[status]
    death_slot = np.array([k == "death" for k in p.slot_kind])
    rel_slot = np.array([k == "relapse" for k in p.slot_kind])
    dlo = np.where(death_slot, p.slot_lo, 1)
    dhi = np.where(death_slot, np.minimum(p.slot_hi, fu_hi), fu_hi)
    valid = np.ones(b, dtype=bool)
    valid &= ~(dead & (dlo > dhi)[None, :]).any(axis=1)
    o = np.where(
        dead,
        _uniform_int(rng, np.broadcast_to(dlo, (b, n)), np.broadcast_to(dhi, (b, n))),
        _uniform_int(rng, np.full((b, n), fu_lo), np.full((b, n), fu_hi)),
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
    fu = np.where(dead, _uniform_int(rng, np.maximum(o, fu_lo), np.full((b, n), fu_hi)), o).astype(
        np.int64
    )
    rlo = np.maximum(np.where(rel_slot, p.slot_lo, 1), t.earliest_relapse_day)
    rhi_w = np.where(rel_slot, p.slot_hi, _BIG)
    r_hi = np.minimum(rhi_w[None, :], np.where(dead, o - 1, fu))
    r_lo = np.broadcast_to(rlo, (b, n))
    valid &= ~(relapsed & (r_lo > r_hi)).any(axis=1)
    rel = np.where(relapsed, _uniform_int(rng, r_lo, r_hi), np.inf)
    death = np.where(dead, o, np.inf)
    return _Batch(status, fu, rel.astype(np.float64), death.astype(np.float64), valid)


def _candidates(st: _Stratum, b: int, rng: np.random.Generator) -> _Batch:
    """Constructed candidates when the construction applies to ``st``, else prior proposals."""
    from survkit.trial._construct import construct

    if st.construct_plan is not None:
        return construct(st, st.construct_plan, b, rng)
    return _propose(st, b, rng)


def _endpoint_data(
    ep_events: Sequence[str], rel: FloatArray, death: FloatArray, fu: FloatArray
) -> tuple[FloatArray, NDArray[np.bool_]]:
    ev_time = np.full(rel.shape, np.inf)
    if "relapse" in ep_events:
        ev_time = np.minimum(ev_time, rel)
    if "death" in ep_events:
        ev_time = np.minimum(ev_time, death)
    event = ev_time <= fu
    return np.where(event, ev_time, fu), event


def _masked_median_range(
    x: FloatArray, mask: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Row-wise median, min and max of ``x`` over ``mask`` (NaN where the mask is empty)."""
    xs = np.sort(np.where(mask, x, np.inf), axis=1)
    m = mask.sum(axis=1)
    ok = m > 0
    i_lo = np.maximum((m - 1) // 2, 0)
    i_hi = np.where(ok, m // 2, 0)
    med = 0.5 * (
        np.take_along_axis(xs, i_lo[:, None], 1)[:, 0]
        + np.take_along_axis(xs, i_hi[:, None], 1)[:, 0]
    )
    mn = xs[:, 0]
    mx = np.take_along_axis(xs, np.maximum(m - 1, 0)[:, None], 1)[:, 0]
    nan = np.full(m.shape, np.nan)
    return np.where(ok, med, nan), np.where(ok, mn, nan), np.where(ok, mx, nan)


def _in(x: FloatArray, lo: float, hi: float) -> NDArray[np.bool_]:
    return (x >= lo - 1e-9) & (x <= hi + 1e-9)


def _reverse_km_median(os_t: FloatArray, os_e: NDArray[np.bool_]) -> float:
    from survkit.estimate.km import kaplan_meier

    return float(kaplan_meier(os_t, ~os_e).median().estimate)


@dataclass(frozen=True)
class _Quantity:
    """One printed number and what each table of a batch reproduces."""

    quantity: str
    printed: str
    lo: float
    hi: float
    values: FloatArray  # (B,), NaN where not applicable
    applies: NDArray[np.bool_]  # (B,)

    @property
    def ok(self) -> NDArray[np.bool_]:
        nan_ok = math.isnan(self.lo)
        v = self.values
        good = np.isnan(v) if nan_ok else _in(v, self.lo, self.hi)
        return good | ~self.applies


def _reproduce(
    trial: Trial,
    fu: FloatArray,
    rel: FloatArray,
    death: FloatArray,
    definitions: Sequence[str],
    method: str,
    active: frozenset[str] | None = None,
    *,
    rows: NDArray[np.bool_] | None = None,
    event_ids: NDArray[Any] | Sequence[Sequence[str]] | None = None,
    status: IntArray | None = None,
) -> list[_Quantity]:
    """Re-analyse ``B`` patient tables (trial unit; ``inf`` = no event) and list every number.

    Landmarks come from :func:`survkit.estimate.batch.kaplan_meier_at` (bit-identical to
    ``kaplan_meier(...).at(...)``); medians (endpoints, reverse-KM follow-up) from
    :func:`survkit.estimate.km.kaplan_meier` table by table; follow-up medians and ranges,
    event windows and counts directly. ``definitions[b]`` is table ``b``'s follow-up
    definition; ``rows`` restricts the per-table KM medians to the rows still in question.
    """
    from survkit.estimate.batch import kaplan_meier_at
    from survkit.estimate.km import kaplan_meier

    b = fu.shape[0]
    keys = active
    out: list[_Quantity] = []
    todo = np.ones(b, dtype=bool) if rows is None else rows
    os_t, os_e = _endpoint_data(("death",), rel, death, fu)
    f = trial.followup
    defs = np.asarray(list(definitions), dtype=object)
    if f.median is not None or f.range is not None:
        surv = defs == "survivors"
        med_s, mn_s, mx_s = _masked_median_range(fu, ~os_e)
        med_a, mn_a, mx_a = _masked_median_range(os_t, np.ones_like(os_e))
        med = np.where(surv, med_s, med_a)
        mn = np.where(surv, mn_s, mn_a)
        mx = np.where(surv, mx_s, mx_a)
        rk = np.flatnonzero((defs == "reverse-km") & todo)
        for i in rk:
            med[i] = _reverse_km_median(os_t[i], os_e[i])
        applies = defs != ""
        if f.median is not None and (keys is None or "followup.median" in keys):
            out.append(
                _Quantity(
                    "median follow-up", f.median.text, f.median.lower, f.median.upper, med, applies
                )
            )
        if f.range is not None:
            for key, name, pr, x in (
                ("followup.min", "shortest follow-up", f.range[0], mn),
                ("followup.max", "longest follow-up", f.range[1], mx),
            ):
                if keys is None or key in keys:
                    out.append(_Quantity(name, pr.text, pr.lower, pr.upper, x, applies))
    every = np.ones(b, dtype=bool)
    for ep in trial.endpoints:
        et, ee = _endpoint_data(ep.events, rel, death, fu)
        lms = [
            lm for lm in ep.landmarks if keys is None or f"landmark:{ep.name}:{lm.time:g}" in keys
        ]
        if lms:
            times = sorted({lm.time for lm in lms})
            lb = kaplan_meier_at(et, ee, times, conf_type=method)
            for lm in lms:
                j = times.index(lm.time)
                rep = _parse(lm.text)
                name = f"{ep.name} at {lm.time:g}"
                for what, value, interval, got in (
                    ("estimate", rep.estimate, rep.estimate_interval, lb.surv),
                    ("lower", rep.lower, rep.lower_interval, lb.lower),
                    ("upper", rep.upper, rep.upper_interval, lb.upper),
                ):
                    if value is not None:  # a bound printed NR is not checked
                        out.append(
                            _Quantity(
                                f"{name}: {what}", f"{value:.4g}", *interval, got[:, j], every
                            )
                        )
        if ep.median is not None and (keys is None or f"median:{ep.name}" in keys):
            # R's print.survfit rule (survival 3.5): the estimate is where S crosses 1/2,
            # the CI limits where the lower / upper pointwise bands do (NaN = not reached),
            # the bands from the CI transform the landmark check found
            ci = ep.median_ci
            level = ci.conf_level if ci is not None and ci.conf_level is not None else 0.95
            m = np.full((3, b), np.nan)
            for i in np.flatnonzero(todo):
                q = kaplan_meier(et[i], ee[i], conf_type=method, conf_level=level).median()
                m[:, i] = (q.estimate, q.lower, q.upper)
            out.append(
                _Quantity(
                    f"median {ep.name}", ep.median.text, ep.median.lower, ep.median.upper, m[0],
                    every,
                )
            )
            for j, bound in enumerate(ep.median_bounds, start=1):
                if bound is not None:
                    what = "lower" if j == 1 else "upper"
                    out.append(
                        _Quantity(
                            f"median {ep.name}: {what} ({level:.0%} CI)", bound[0], bound[1],
                            bound[2], m[j], every,
                        )
                    )
    if trial.earliest_relapse > 0:
        first = np.min(rel, axis=1)
        has_rel = np.isfinite(first)
        out.append(
            _Quantity(
                "earliest relapse",
                f">= {trial.earliest_relapse:g}",
                (trial.earliest_relapse_day - 1e-6) / trial.unit_days,
                math.inf,
                np.where(has_rel, first, np.nan),
                has_rel,
            )
        )
    if event_ids is not None:
        ids = np.asarray(event_ids, dtype=object)
        for ev in trial.events:
            hit = ids == ev.id
            has = hit.any(axis=1)
            if not has.any():
                continue
            col = np.argmax(hit, axis=1)
            src = death if ev.kind == "death" else rel
            x = np.where(has, src[np.arange(b), col], np.nan)
            lo, hi = ev.window()
            printed = (
                ev.time.text
                if ev.time is not None
                else f"[{lo:g}, {'inf' if math.isinf(hi) else f'{hi:g}'}]"
            )
            out.append(_Quantity(f"{ev.kind} time: {ev.id}", printed, lo, hi, x, has))
    if status is not None:
        values = {
            "deaths": _HAS_DEATH[status].sum(axis=1),
            "relapses": _HAS_RELAPSE[status].sum(axis=1),
            "alive": (~_HAS_DEATH[status]).sum(axis=1),
            "alive_relapse_free": (status == 0).sum(axis=1),
        }
        for name, (lo_c, hi_c) in trial.counts.items():
            out.append(
                _Quantity(
                    f"count: {name}",
                    f"{lo_c}" if lo_c == hi_c else f"{lo_c}..{hi_c}",
                    float(lo_c),
                    float(min(hi_c, trial.n)),
                    values[name].astype(float),
                    every,
                )
            )
    return out


def _filter(st: _Stratum, bt: _Batch) -> NDArray[np.bool_]:
    """Exact acceptance of candidates: every active printed number (trial unit)."""
    p = st.problem
    ud = p.trial.unit_days
    ok = bt.valid.copy()
    if not ok.any():
        return ok
    # exact event counting first (cheap): the printed-CI check lists every history, so the
    # number of endpoint events up to each landmark must be one of the listed counts
    for f in p.findings:
        allowed = f.events_before.get(p.method)
        if allowed is None or f"landmark:{f.endpoint}:{f.time:g}" not in p.active:
            continue
        ep = p.trial.endpoint(f.endpoint)
        et, ee = _endpoint_data(ep.events, bt.rel, bt.death, bt.fu.astype(np.float64))
        k = (ee & (et <= f.time * ud + 1e-9)).sum(axis=1)
        ok &= np.isin(k, allowed)
    if not ok.any():
        return ok
    sel = np.flatnonzero(ok)
    fu = bt.fu[sel].astype(np.float64) / ud
    rel = bt.rel[sel] / ud
    death = bt.death[sel] / ud
    defs = [st.definition] * sel.size
    # cheap numbers first (no per-table KM), then per-table medians on the survivors
    cheap = _reproduce(
        p.trial, fu, rel, death, defs, p.method, p.active, rows=np.zeros(sel.size, dtype=bool)
    )
    good = np.ones(sel.size, dtype=bool)
    for q in cheap:
        if q.quantity.startswith("median"):
            continue
        good &= q.ok
    needs_km = st.definition == "reverse-km" or any(
        e.median is not None and f"median:{e.name}" in p.active for e in p.trial.endpoints
    )
    if needs_km and good.any():
        full = _reproduce(p.trial, fu, rel, death, defs, p.method, p.active, rows=good)
        for q in full:
            if q.quantity.startswith("median"):
                good &= q.ok
    elif good.any():
        for q in cheap:
            if q.quantity.startswith("median"):
                good &= q.ok
    ok[sel[~good]] = False
    return ok


# ----------------------------------------------------------------------------- exact check
def _table_arrays(
    trial: Trial, table: pd.DataFrame
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    u = trial.unit
    fu = table[f"followup_{u}"].to_numpy(float)
    rel = table[f"relapse_{u}"].fillna(np.inf).to_numpy(float)
    death = table[f"death_{u}"].fillna(np.inf).to_numpy(float)
    b = int(table["draw"].nunique()) if "draw" in table else 1
    return fu.reshape(b, -1), rel.reshape(b, -1), death.reshape(b, -1), b


def reanalyse(
    trial: Trial, table: pd.DataFrame, method: str, definition: str | None = None
) -> pd.DataFrame:
    """Re-analyse one patient table and compare every printed number with what it prints.

    ``table`` has one row per patient with ``followup_<unit>`` (potential follow-up, trial
    unit), ``relapse_<unit>`` and ``death_<unit>`` (NaN when none). Every endpoint is refitted
    with the Kaplan-Meier estimator using ``method`` (landmarks through
    :func:`survkit.estimate.batch.kaplan_meier_at`, bit-identical to
    :func:`survkit.estimate.km.kaplan_meier`; medians through ``kaplan_meier``). Returns one
    row per printed number: ``quantity, printed, lo, hi, reproduced, ok``.
    """
    fu, rel, death, _ = _table_arrays(trial, table.assign(draw=0))
    qs = _reproduce(trial, fu, rel, death, [definition or ""], method)
    rows = [
        {
            "quantity": q.quantity + (f" ({definition})" if "follow-up" in q.quantity else ""),
            "printed": q.printed,
            "lo": q.lo,
            "hi": q.hi,
            "reproduced": float(q.values[0]),
            "ok": bool(q.ok[0]),
        }
        for q in qs
        if q.applies[0]
    ]
    return pd.DataFrame(rows)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> Reported:
    from survkit.check.parse import parse_endpoint

    return parse_endpoint(text)


# ----------------------------------------------------------------------------- ensemble
@dataclass(frozen=True)
class ReadingResult:
    """Whether one reading of the conflicting facts can print every number."""

    name: str
    description: str
    feasible: bool
    draws: int
    proposals: int
    accepted: int
    conflict: tuple[str, ...] = ()
    proof: str = ""


@dataclass(frozen=True)
class StratumResult:
    """One (reading, follow-up definition) stratum of the sampler.

    ``evidence`` is the stratum's weight in the allocation of draws: 1 for a stratum where a
    draw was found (every such stratum gets an equal share), 0 for one where none was found
    (feasibility not decided). ``accepted / proposals`` is its acceptance rate.
    """

    reading: str
    definition: str
    proposals: int
    accepted: int
    draws: int
    evidence: float


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Reconstructed patient-level tables, each of which prints every number of the spec.

    Attributes
    ----------
    trial : Trial
    patients : pandas.DataFrame
        Long table, one row per draw and patient: ``draw, patient, infusion_date,
        <endpoint>_months, <endpoint>_event`` for each endpoint (``os_months, os_event,
        dfs_months, dfs_event`` for the seed), ``relapse_months, death_months`` (NaN when
        none), ``followup_months`` (cutoff - infusion), ``status``, ``event_id`` (the printed
        event a patient carries), ``reading`` and ``followup_definition``.
    method : str
        CI transform used for the re-analysis (found by the printed-CI check).
    methods_consistent : tuple of str
        Every transform consistent with all printed landmarks.
    findings : list of MethodFinding
    readings : tuple of ReadingResult
    proposals, accepted : int
        Candidates drawn and accepted in the final sampling run.
    seed : int or None
    elapsed : float
        Seconds spent.
    definitions : dict
        Draws per follow-up definition.
    strata : tuple of StratumResult
    kind : str
        ``"exact"`` or ``"abc"``.
    abc : object or None
        For ABC ensembles, the :class:`survkit.trial.simulate.ABCSummary`.
    """

    trial: Trial
    patients: pd.DataFrame
    method: str
    methods_consistent: tuple[str, ...]
    findings: list[MethodFinding]
    readings: tuple[ReadingResult, ...]
    proposals: int
    accepted: int
    seed: int | None
    elapsed: float
    definitions: dict[str, int] = field(default_factory=dict)
    strata: tuple[StratumResult, ...] = ()
    kind: str = "exact"
    abc: Any = None

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.patients["draw"].nunique())

    @property
    def acceptance_rate(self) -> float:
        """Accepted / proposed candidates."""
        return self.accepted / self.proposals if self.proposals else math.nan

    def draw(self, k: int) -> pd.DataFrame:
        """The patient table of draw ``k``."""
        if not 0 <= k < self.draws:
            raise ValueError(f"draw must be in [0, {self.draws}), got {k}")
        n = self.trial.n
        return self.patients.iloc[k * n : (k + 1) * n].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """The long patient table (same as :attr:`patients`)."""
        return self.patients.copy()

    def _quantities(self) -> list[_Quantity]:
        t = self.trial
        n = t.n
        fu, rel, death, b = _table_arrays(t, self.patients)
        defs = self.patients["followup_definition"].to_numpy()[::n]
        ids = self.patients["event_id"].fillna("").to_numpy(dtype=object).reshape(b, n)
        status = self.patients["status"].to_numpy(np.int64).reshape(b, n)
        return _reproduce(
            t,
            fu,
            rel,
            death,
            [str(d) for d in defs],
            self.method,
            event_ids=ids,
            status=status,
        )

    def check(self) -> pd.DataFrame:
        """Re-analyse every draw: printed vs reproduced for each number.

        One row per printed number: ``quantity, printed, lo, hi`` (the rounding interval),
        ``min, median, max`` of the reproduced values over the draws it applies to, ``draws``
        (how many) and ``all_ok``. Landmarks are re-analysed with the batched Kaplan-Meier
        (bit-identical to :func:`survkit.estimate.km.kaplan_meier`), medians with
        ``kaplan_meier`` draw by draw.
        """
        rows = []
        for q in self._quantities():
            v = q.values[q.applies]
            fin = v[~np.isnan(v)]
            rows.append(
                {
                    "quantity": q.quantity,
                    "printed": q.printed,
                    "lo": q.lo,
                    "hi": q.hi,
                    "min": float(fin.min()) if fin.size else math.nan,
                    "median": float(np.median(fin)) if fin.size else math.nan,
                    "max": float(fin.max()) if fin.size else math.nan,
                    "draws": int(q.applies.sum()),
                    "all_ok": bool(q.ok.all()),
                }
            )
        return pd.DataFrame(rows)

    def km_envelope(
        self, endpoint: str, grid: Sequence[float] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Pointwise median and central ``level`` envelope of the draws' KM curves on ``grid``."""
        from survkit.estimate.batch import kaplan_meier_at

        ep = self.trial.endpoint(endpoint)
        u = self.trial.unit
        g = (
            np.linspace(0.0, self.trial.max_followup, 241)
            if grid is None
            else np.asarray(grid, float)
        )
        n = self.trial.n
        tt = self.patients[f"{ep.name.lower()}_{u}"].to_numpy(float).reshape(-1, n)
        ee = self.patients[f"{ep.name.lower()}_event"].to_numpy(bool).reshape(-1, n)
        c = kaplan_meier_at(tt, ee, g, conf_type="plain", extend=True).surv
        a = (1.0 - level) / 2.0
        return pd.DataFrame(
            {
                "time": g,
                "median": np.median(c, axis=0),
                "lower": np.quantile(c, a, axis=0),
                "upper": np.quantile(c, 1.0 - a, axis=0),
            }
        )

    def histories(self, endpoint: str, tau: float) -> pd.Series:
        """Risk-set sizes at the endpoint's events up to ``tau``, per draw (as text)."""
        ep = self.trial.endpoint(endpoint)
        u = self.trial.unit
        n = self.trial.n
        tt = self.patients[f"{ep.name.lower()}_{u}"].to_numpy(float).reshape(-1, n)
        ee = self.patients[f"{ep.name.lower()}_event"].to_numpy(bool).reshape(-1, n)
        order = np.lexsort((~ee, tt), axis=1)
        ts = np.take_along_axis(tt, order, axis=1)
        es = np.take_along_axis(ee, order, axis=1)
        # at risk at the i-th sorted observation (events before censorings at a tie): n - i,
        # so d tied events at risk r count as r, r-1, ..., r-d+1 (the check's convention)
        at_risk = np.broadcast_to(n - np.arange(n), ts.shape)
        keep = es & (ts <= tau + 1e-12)
        out = []
        for r_row, k_row in zip(at_risk, keep, strict=True):
            out.append("(" + ", ".join(str(int(x)) for x in r_row[k_row]) + ")")
        return pd.Series(out, name=f"{ep.name} at risk before {tau:g}")

    def plot_km(self, ax: Axes | None = None, **kwargs: Any) -> Figure:
        """OS/DFS (every endpoint): median curve, pointwise envelope, printed landmarks (see
        :func:`survkit.show.ensemble.plot_ensemble_km`)."""
        from survkit.show.ensemble import plot_ensemble_km

        return plot_ensemble_km(self, ax=ax, **kwargs)

    def plot_swimmer(self, draw: int = 0, ax: Axes | None = None, **kwargs: Any) -> Figure:
        """One lane per patient of draw ``draw`` (see :func:`survkit.show.swimmer.plot_swimmer`)."""
        from survkit.show.swimmer import plot_swimmer

        return plot_swimmer(self.draw(draw), trial=self.trial, ax=ax, **kwargs)

    def plot(self, **kwargs: Any) -> Figure:
        """Same as :meth:`plot_km`."""
        return self.plot_km(**kwargs)


# ----------------------------------------------------------------------------- driver
def _strata_for(p: _Problem, trial: Trial) -> list[_Stratum]:
    f = trial.followup
    has_fu = (f.median is not None or f.range is not None) and any(
        k.startswith("followup") for k in p.active
    )
    defs = f.definitions if has_fu else ("",)
    from survkit.trial._construct import make_plan

    out = [_stratum(p, d) for d in defs]
    for st in out:
        st.construct_plan = make_plan(st)
    return out


def smallest_conflict(
    trial: Trial,
    reading: int,
    method: str,
    findings: list[MethodFinding],
    *,
    budget: int = 0,
    seed: int = 0,
) -> tuple[tuple[Fact, ...], str]:
    """A smallest set of facts (under ``reading``) that cannot hold together, and how it was shown.

    Deletion filter: start from every fact; drop each fact in turn (follow-up facts and event
    times first) and keep it dropped while the rest is still infeasible. Infeasibility is
    shown only by exact event counting (a proof); a set that is not proven infeasible is
    treated as feasible, so ``((), "")`` means "no conflict proven" (``budget`` and ``seed``
    are accepted for compatibility and unused: a search that finds nothing proves nothing).
    """
    facts = list(trial_facts(trial, reading))
    order = sorted(
        facts,
        key=lambda f: (
            not f.key.startswith("followup"),
            not f.key.startswith("event"),
            f.key.startswith("landmark"),
        ),
    )
    active = {f.key for f in facts}

    def infeasible(keys: set[str]) -> str | None:
        p = _compile(trial, reading, frozenset(keys), method, findings)
        if p.comps.shape[0] == 0:
            return "exact event counting"
        return None

    how = infeasible(active)
    if how is None:
        return (), ""
    for f in order:
        trial_keys = active - {f.key}
        h = infeasible(trial_keys)
        if h is not None:
            active, how = trial_keys, h
    return tuple(f for f in facts if f.key in active), how


@dataclass
class _Found:
    """Accepted candidates of one stratum, as arrays (days)."""

    status: list[IntArray] = field(default_factory=list)
    fu: list[IntArray] = field(default_factory=list)
    rel: list[FloatArray] = field(default_factory=list)
    death: list[FloatArray] = field(default_factory=list)

    @property
    def count(self) -> int:
        return int(sum(x.shape[0] for x in self.status))

    def add(self, bt: _Batch, ok: NDArray[np.bool_], limit: int) -> int:
        idx = np.flatnonzero(ok)[: max(limit, 0)]
        if idx.size:
            self.status.append(bt.status[idx])
            self.fu.append(bt.fu[idx])
            self.rel.append(bt.rel[idx])
            self.death.append(bt.death[idx])
        return int(idx.size)

    def take(self, k: int) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
        n = self.status[0].shape[1] if self.status else 0
        if not self.status:
            z = np.zeros((0, n))
            return z.astype(np.int64), z.astype(np.int64), z, z
        return (
            np.vstack(self.status)[:k],
            np.vstack(self.fu)[:k],
            np.vstack(self.rel)[:k],
            np.vstack(self.death)[:k],
        )


def reconstruct(
    trial: Trial,
    draws: int = 1000,
    seed: int | None = None,
    *,
    max_proposals: int = 400_000,
    batch: int = 50_000,
    pilot_size: int = 50_000,
    progress: bool | None = None,
    construct_pilot: int = 40_000,
    cbatch: int = 2_000,
) -> Ensemble:
    """Draw ``draws`` patient-level tables that print every number of ``trial``.

    Parameters
    ----------
    trial : Trial
        The specification (see :class:`survkit.trial.spec.Trial`).
    draws : int
        Number of tables (at least 1).
    seed : int, optional
        Seed of the random generator; the same seed gives the same ensemble.
    max_proposals : int
        Candidates allowed in all (a stratum that cannot fill its share within its part of
        this budget gives its remaining draws to the others; the report says so).
    batch : int
        Candidates per vectorized step.
    pilot_size : int
        Candidates per stratum in the pilot; a stratum with no accepted candidate in its pilot
        is reported as not found (evidence, not proof) and not sampled further.
    progress : bool, optional
        Progress bar on stderr (default: only on a terminal).

    Returns
    -------
    Ensemble

    Raises
    ------
    InfeasibleSpecError
        If no reading of the facts can print every number; the message names a smallest
        conflicting set of facts per reading.
    RuntimeError
        If a draw fails its re-analysis (a bug), or too few draws were found in the budget.

    Notes
    -----
    The sampling scheme (what the draws are uniform over) is described in the module docstring
    of :mod:`survkit.trial.exact`. Every draw is re-analysed from the final patient table
    (Kaplan-Meier with the CI transform the printed-CI check finds) and must print every
    number, else ``RuntimeError``.
    """
    from survkit._progress import progress as _progress

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a survkit Trial, got {type(trial).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    t0 = _time.perf_counter()
    rng = np.random.default_rng(seed)
    findings, common = find_methods(trial)
    for f in findings:
        if not f.consistent:
            raise InfeasibleSpecError(
                f"{f.endpoint} at {f.time:g}: {f.text!r} cannot be printed by any CI transform "
                f"with n = {trial.n} (conflicting facts: n = {trial.n}; {f.text})",
                {"all": (f"n = {trial.n}", f.text)},
            )
    if not common:
        texts = [f.text for f in findings]
        raise InfeasibleSpecError(
            "no single CI transform prints every landmark: "
            + "; ".join(f"{f.endpoint} {f.text}: {', '.join(f.consistent)}" for f in findings),
            {"all": tuple(texts)},
        )
    method = common[0]
    all_keys = [frozenset(f.key for f in trial_facts(trial, r)) for r in range(len(trial.readings))]
    problems = [
        _compile(trial, r, all_keys[r], method, findings) for r in range(len(trial.readings))
    ]
    strata: list[_Stratum] = []
    for p in problems:
        if p.comps.shape[0] > 0:
            strata.extend(_strata_for(p, trial))
    found = [_Found() for _ in strata]
    wanted = [0] * len(strata)

    def run(st: _Stratum, fd: _Found, want: int, budget: int) -> Iterator[int]:
        """Sample ``st`` until ``want`` accepted or ``budget`` candidates; yield per draw."""
        spent = 0
        step = cbatch if st.construct_plan is not None else batch
        while fd.count < want and spent < budget:
            b = min(step, budget - spent)
            if st.construct_plan is not None and st.accepted:
                # size the last batches by the acceptance rate seen so far
                rate = st.accepted / st.proposals
                b = min(b, max(64, math.ceil(1.25 * (want - fd.count) / rate)))
            bt = _candidates(st, b, rng)
            ok = _filter(st, bt)
            st.proposals += b
            spent += b
            st.accepted += int(ok.sum())
            got = fd.add(bt, ok, want - fd.count)
            yield from range(got)

    def stream() -> Iterator[int]:
        emitted = 0

        def capped(it: Iterator[int]) -> Iterator[int]:
            nonlocal emitted
            for x in it:
                if emitted < draws:
                    emitted += 1
                    yield x

        # equal shares: every (reading, definition) stratum gets draws / strata; a stratum
        # whose pilot finds nothing is "not found" (feasibility not decided) and its share
        # goes to the others; shortfalls after the budget go to the strata that filled theirs
        share = _largest_remainder(draws, np.full(len(strata), 1.0 / max(len(strata), 1)))
        pilot = [
            pilot_size if st.construct_plan is None else construct_pilot for st in strata
        ]
        for i, st in enumerate(strata):
            wanted[i] = int(share[i])
            yield from capped(run(st, found[i], max(wanted[i], 1), pilot[i]))
        live = [i for i, fd in enumerate(found) if fd.count > 0]
        if not live:
            return
        share = _largest_remainder(draws, np.full(len(live), 1.0 / len(live)))
        spent = sum(s.proposals for s in strata)
        budget_each = max((max_proposals - spent) // len(live), 0)
        for i, sh in zip(live, share, strict=True):
            wanted[i] = int(sh)
            yield from capped(run(strata[i], found[i], int(sh), budget_each))
        short = draws - sum(min(found[i].count, wanted[i]) for i in live)
        for i in sorted(live, key=lambda j: -strata[j].accepted / max(strata[j].proposals, 1)):
            if short <= 0:
                break
            if found[i].count >= wanted[i]:
                before = found[i].count
                yield from capped(run(strata[i], found[i], wanted[i] + short, max_proposals))
                short -= found[i].count - before

    got_total = 0
    for _ in _progress(stream(), total=draws, desc="reconstruct", enabled=progress):
        got_total += 1

    # final allocation: each stratum its share, shortfalls filled by the others
    counts = [fd.count for fd in found]
    alloc = [min(c, w) for c, w in zip(counts, wanted, strict=True)]
    short = draws - sum(alloc)
    for i in sorted(range(len(strata)), key=lambda j: -counts[j]):
        extra = min(counts[i] - alloc[i], max(short, 0))
        alloc[i] += extra
        short -= extra
    results: list[ReadingResult] = []
    conflicts: dict[str, tuple[str, ...]] = {}
    undecided: list[str] = []
    for r, rd in enumerate(trial.readings):
        idx = [i for i, st in enumerate(strata) if st.problem.reading == r]
        acc = sum(strata[i].accepted for i in idx)
        prop = sum(strata[i].proposals for i in idx)
        ndraw = sum(alloc[i] for i in idx)
        if acc > 0:
            results.append(ReadingResult(rd.name, rd.description, True, ndraw, prop, acc))
        else:
            facts, how = smallest_conflict(trial, r, method, findings)
            if facts:
                conflicts[rd.name] = tuple(f.text for f in facts)
            else:
                undecided.append(rd.name)
                how = (
                    f"not decided: no draw found in {prop:,} candidates "
                    "(feasibility not decided)"
                )
            results.append(
                ReadingResult(
                    rd.name, rd.description, False, 0, prop, 0, tuple(f.text for f in facts), how
                )
            )
    total = sum(alloc)
    n_cand = sum(s.proposals for s in strata)
    if total == 0 and not undecided:
        msg = "; ".join(f"reading {k!r}: {' + '.join(v)}" for k, v in conflicts.items())
        raise InfeasibleSpecError(f"the printed facts conflict (n = {trial.n}): {msg}", conflicts)
    if total < draws:
        raise ReconstructionBudgetError(
            f"only {total} of {draws} draws found in {n_cand:,} candidates; feasibility not "
            f"decided (undecided readings: {', '.join(undecided) or 'none'}; raise max_proposals)"
            if total
            else f"no draw found in {n_cand:,} candidates; feasibility not decided "
            f"(undecided readings: {', '.join(undecided)}; raise max_proposals)"
        )
    parts = []
    for i, st in enumerate(strata):
        if alloc[i]:
            parts.append((st, found[i].take(alloc[i])))
    patients = _build_table(trial, parts)
    _verify(trial, patients, method)
    def_count = dict.fromkeys(trial.followup.definitions, 0)
    for st, arrs in parts:
        if st.definition:
            def_count[st.definition] = def_count.get(st.definition, 0) + arrs[0].shape[0]
    sres = tuple(
        StratumResult(
            trial.readings[st.problem.reading].name,
            st.definition,
            st.proposals,
            st.accepted,
            alloc[i],
            1.0 if st.accepted else 0.0,
        )
        for i, st in enumerate(strata)
    )
    return Ensemble(
        trial,
        patients,
        method,
        common,
        findings,
        tuple(results),
        int(sum(s.proposals for s in strata)),
        int(sum(s.accepted for s in strata)),
        seed,
        _time.perf_counter() - t0,
        def_count if any(st.definition for st in strata) else {},
        sres,
    )


def _evidence(st: _Stratum) -> float:
    """Estimated prior probability that a candidate of ``st`` prints every number."""
    return (st.accepted / st.proposals) * math.exp(st.log_m) if st.proposals else math.nan


def _largest_remainder(total: int, weights: FloatArray) -> IntArray:
    """Integers summing to ``total`` proportional to ``weights`` (Hamilton's method)."""
    raw = total * weights
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def _verify(trial: Trial, patients: pd.DataFrame, method: str) -> None:
    """Re-analyse every draw from the final table; raise if any printed number is missed."""
    fu, rel, death, b = _table_arrays(trial, patients)
    n = trial.n
    defs = [str(d) for d in patients["followup_definition"].to_numpy()[::n]]
    ids = patients["event_id"].fillna("").to_numpy(dtype=object).reshape(b, n)
    status = patients["status"].to_numpy(np.int64).reshape(b, n)
    for q in _reproduce(trial, fu, rel, death, defs, method, event_ids=ids, status=status):
        bad = ~q.ok
        if bad.any():
            k = int(np.argmax(bad))
            raise RuntimeError(
                f"draw {k} does not print {q.quantity} = {q.printed} "
                f"(reproduced {q.values[k]!r}, allowed [{q.lo}, {q.hi}]): a sampler bug"
            )


def _build_table(
    trial: Trial, parts: list[tuple[_Stratum, tuple[IntArray, IntArray, FloatArray, FloatArray]]]
) -> pd.DataFrame:
    """The long patient table of all draws, built once (patient 1 = first infused)."""
    n = trial.n
    ids_l, rd_l, def_l = [], [], []
    for st, (status, _fu, _rel, _death) in parts:
        k = status.shape[0]
        ids_l.append(np.broadcast_to(np.asarray(st.problem.slot_ids, dtype=object), (k, n)))
        rd_l.append(np.full(k, trial.readings[st.problem.reading].name, dtype=object))
        def_l.append(np.full(k, st.definition, dtype=object))
    return _table_from_arrays(
        trial,
        np.vstack([a[0] for _, a in parts]),
        np.vstack([a[1] for _, a in parts]).astype(np.float64),
        np.vstack([a[2] for _, a in parts]),
        np.vstack([a[3] for _, a in parts]),
        np.vstack(ids_l),
        np.concatenate(rd_l),
        np.concatenate(def_l),
    )


def _table_from_arrays(
    trial: Trial,
    status: IntArray,
    fu: FloatArray,
    rel: FloatArray,
    death: FloatArray,
    ids: NDArray[Any],
    readings: NDArray[Any],
    definitions: NDArray[Any],
) -> pd.DataFrame:
    """Long table from (B, n) arrays in days (``inf`` = no event); rows sorted by infusion."""
    ud = trial.unit_days
    u = trial.unit
    n = trial.n
    order = np.argsort(-fu, axis=1, kind="stable")
    status, fu, rel, death, ids = (
        np.take_along_axis(x, order, axis=1) for x in (status, fu, rel, death, ids)
    )
    b = status.shape[0]
    cutoff = np.datetime64(trial.cutoff.isoformat(), "D")
    days = np.rint(fu).astype(np.int64).ravel()
    cols: dict[str, Any] = {
        "draw": np.repeat(np.arange(b), n),
        "patient": np.tile(np.arange(1, n + 1), b),
        "infusion_date": (cutoff - days.astype("timedelta64[D]")).astype("datetime64[ns]"),
    }
    for ep in trial.endpoints:
        et, ee = _endpoint_data(ep.events, rel, death, fu)
        cols[f"{ep.name.lower()}_{u}"] = (et / ud).ravel()
        cols[f"{ep.name.lower()}_event"] = ee.astype(np.int64).ravel()
    cols[f"relapse_{u}"] = np.where(np.isinf(rel), np.nan, rel / ud).ravel()
    cols[f"death_{u}"] = np.where(np.isinf(death), np.nan, death / ud).ravel()
    cols[f"followup_{u}"] = (fu / ud).ravel()
    cols["status"] = status.ravel()
    cols["event_id"] = ids.ravel()
    cols["reading"] = np.repeat(readings, n)
    cols["followup_definition"] = np.repeat(definitions, n)
    return pd.DataFrame(cols)


def _build_abc_table(trial: Trial, kept: list[dict[str, Any]]) -> pd.DataFrame:
    """Patient table of ABC draws (``kept``: dicts of day arrays ``fu, rel, death, model``)."""
    fu = np.vstack([k["fu"] for k in kept])
    rel = np.vstack([k["rel"] for k in kept])
    death = np.vstack([k["death"] for k in kept])
    has_r, has_d = np.isfinite(rel), np.isfinite(death)
    status = np.where(has_d, np.where(has_r, 2, 3), np.where(has_r, 1, 0)).astype(np.int64)
    b = fu.shape[0]
    d = trial.followup.definition
    return _table_from_arrays(
        trial,
        status,
        fu,
        rel,
        death,
        np.full((b, trial.n), "", dtype=object),
        np.array([f"abc: {k['model']}" for k in kept], dtype=object),
        np.full(b, "survivors" if d == "unknown" else d, dtype=object),
    )


def _verify_abc(trial: Trial, patients: pd.DataFrame, method: str) -> None:
    """Re-analyse ABC draws: every printed landmark and median must be printed."""
    fu, rel, death, b = _table_arrays(trial, patients)
    for q in _reproduce(trial, fu, rel, death, [""] * b, method):
        if " at " in q.quantity or q.quantity.startswith("median "):
            bad = ~q.ok
            if bad.any():
                k = int(np.argmax(bad))
                raise RuntimeError(
                    f"ABC draw {k} does not print {q.quantity} = {q.printed} "
                    f"(reproduced {q.values[k]!r}): a sampler bug"
                )
