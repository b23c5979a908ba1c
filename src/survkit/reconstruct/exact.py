r"""Exact reconstruction: patient-level tables that print every number of a trial spec.

:func:`reconstruct` draws patient-level tables (infusion date, relapse and death days) that,
re-analysed with the Kaplan-Meier estimator and the CI transform the printed-CI check finds,
print *every* number of a :class:`~survkit.reconstruct.trial.Trial`: landmark survival with its
CI, medians, the follow-up median and range, the counts and each printed event time.

Sampling scheme
---------------
Draws are independent and identically distributed; each is a draw from a *prior* conditioned
exactly (by rejection) on all the printed facts, so the ensemble is spread over every history
and timing the facts allow in proportion to the prior mass that reproduces them:

1. a reading of conflicting facts, uniformly among the readings that survive exact event
   counting (below); a follow-up definition uniformly among those the spec allows;
2. a *composition*: the status of each listed (slot) patient and the numbers of free patients
   in each status (event-free alive; relapsed alive; relapsed then dead; dead without relapse),
   uniformly over the compositions that satisfy the printed counts;
3. infusion dates uniform over the days of the accrual window (independently per patient);
4. given a patient's status, event days jointly uniform over the whole days allowed: a printed
   time ``3.7`` months allows the days ``d`` with ``d / (365.25/12)`` in its rounding interval
   ``[3.65, 3.8]``; an unprinted time any day from 1 to the patient's follow-up; relapse
   strictly before death.

Hence, within a composition, the draws are **uniform over the feasible set of (infusion day,
event days) vectors**; across compositions, readings and follow-up definitions the weights are
the prior weights above times the fraction of that set that reproduces the printed numbers.

Acceptance is checked twice: a vectorized filter (batched Kaplan-Meier,
:func:`survkit.estimate.batch.kaplan_meier_at`) and then, for every candidate that passes, a
re-analysis with :func:`survkit.estimate.km.kaplan_meier` that must print every number; a
disagreement between the two is a bug and raises ``RuntimeError``.

Infeasibility
-------------
Before sampling, each reading is tested by *exact event counting*: the CI check lists every
history (risk-set sizes at the events) of ``n`` patients that prints a landmark, so the number
of endpoint events before the landmark is known exactly; a composition that cannot place that
many events before it (or must place more) is impossible. When no reading is feasible, a
smallest conflicting set of facts is found by a deletion filter (Chinneck & Dravnieks 1991):
drop each fact in turn and keep it dropped while the rest is still infeasible.

References
----------
Kaplan E.L., Meier P. (1958). Nonparametric estimation from incomplete observations. JASA
53:457-481. Greenwood M. (1926). Reports on Public Health and Medical Subjects 33.
Schemper M., Smith T.L. (1996). A note on quantifying follow-up in studies of failure time.
Controlled Clinical Trials 17:343-346. Chinneck J.W., Dravnieks E.W. (1991). Locating minimal
infeasible constraint sets in linear programs. ORSA J. Computing 3:157-168.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import math
import time as _time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.reconstruct.trial import Trial

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
            out.append(Fact(f"median:{ep.name}", f"median {ep.name} {ep.median.text} {u}"))
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
            for ct in chk.consistent:
                hs = list(chk.histories.get(ct, ()))
                total = int(getattr(chk, "n_histories", {}).get(ct, len(hs)))
                nh[ct] = total
                ev[ct] = tuple(sorted({len(h.at_risk) for h in hs})) if total == len(hs) else None
            out.append(MethodFinding(ep.name, lm.time, lm.text, tuple(chk.consistent), ev, nh))
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
    definition: IntArray  # (B,)
    valid: NDArray[np.bool_]  # (B,)
    comp: IntArray  # (B,)


def _uniform_int(rng: np.random.Generator, lo: Any, hi: Any) -> IntArray:
    """Uniform integers in [lo, hi] (arrays; an empty range gives lo)."""
    lo = np.asarray(lo, dtype=np.int64)
    span = np.maximum(np.asarray(hi, dtype=np.int64) - lo + 1, 1)
    shape = np.broadcast_shapes(lo.shape, span.shape)
    return lo + (rng.random(shape) * span).astype(np.int64)


def _propose(
    p: _Problem, comp_idx: IntArray, definitions: tuple[str, ...], rng: np.random.Generator
) -> _Batch:
    n_def = len(definitions)
    t = p.trial
    b = comp_idx.size
    n = p.n
    status = p.comps[comp_idx]
    fu_hi = (t.cutoff - t.accrual_start).days
    fu_lo = (t.cutoff - t.accrual_end).days
    fu = _uniform_int(rng, np.full((b, n), fu_lo), np.full((b, n), fu_hi))
    valid = np.ones(b, dtype=bool)
    definition = rng.integers(0, n_def, size=b)
    anch, handled, keep = _anchored_followup(p, status, definition, definitions, rng)
    alive = ~_HAS_DEATH[status]
    fu = np.where(handled[:, None] & alive, anch, fu)
    valid &= keep
    rel = np.full((b, n), np.inf)
    death = np.full((b, n), np.inf)
    has_rel = _HAS_RELAPSE[status]
    has_death = _HAS_DEATH[status]
    slot = np.array([k != "" for k in p.slot_kind])
    death_slot = np.array([k == "death" for k in p.slot_kind])
    rel_slot = np.array([k == "relapse" for k in p.slot_kind])
    lo = np.broadcast_to(p.slot_lo, (b, n))
    hi = np.broadcast_to(np.minimum(p.slot_hi, fu_hi), (b, n))
    valid &= ~((slot[None, :]) & (lo > hi)).any(axis=1)
    own = _uniform_int(rng, lo, np.maximum(lo, hi))
    u1 = _uniform_int(rng, np.ones((b, n)), fu)
    u2 = _uniform_int(rng, np.ones((b, n)), fu)
    # free patients (and the other event of slot patients)
    st_free = ~slot[None, :]
    # relapse only: one uniform day in [1, fu]
    r_only = has_rel & ~has_death
    rel = np.where(st_free & r_only, u1, rel)
    d_only = has_death & ~has_rel
    death = np.where(st_free & d_only, u1, death)
    both = has_rel & has_death
    rel = np.where(st_free & both, np.minimum(u1, u2), rel)
    death = np.where(st_free & both, np.maximum(u1, u2), death)
    valid &= ~(st_free & both & (u1 == u2)).any(axis=1)
    # death slots
    ds = death_slot[None, :]
    death = np.where(ds & has_death, own, death)
    # relapse before a slot death: uniform over [1, latest day - 1], kept if before the death
    r_d = _uniform_int(rng, np.ones((b, n)), np.maximum(hi - 1, 1))
    rel = np.where(ds & both, r_d, rel)
    valid &= ~(ds & both & (r_d >= own)).any(axis=1)
    # relapse slots
    rs = rel_slot[None, :]
    rel = np.where(rs & has_rel, own, rel)
    d_r = _uniform_int(rng, np.ones((b, n)), fu)
    death = np.where(rs & both, d_r, death)
    valid &= ~(rs & both & (d_r <= own)).any(axis=1)
    # every event on or before the cutoff
    valid &= ~(
        (np.where(np.isinf(rel), 0, rel) > fu) | (np.where(np.isinf(death), 0, death) > fu)
    ).any(axis=1)
    return _Batch(status, fu, rel, death, definition, valid, comp_idx)


def _anchored_followup(
    p: _Problem,
    status: IntArray,
    definition: IntArray,
    definitions: tuple[str, ...],
    rng: np.random.Generator,
) -> tuple[IntArray, NDArray[np.bool_], NDArray[np.bool_]]:
    """Survivors' follow-up days drawn conditionally on the printed median and range.

    For the ``survivors`` definition the survivors' potential follow-up values are i.i.d.
    uniform (a continuous latent ``u`` rounded to whole days). Conditioning such a sample on
    its minimum, middle order statistic(s) and maximum lying in given intervals is done
    exactly: the anchors are drawn uniformly from their intervals and kept with probability
    proportional to the volume of the order-statistic region left for the others,
    ``(x_mid - x_min)^(k-1) (x_max - x_mid)^(k-1)`` (odd ``m = 2k+1``; the even case uses the
    two middle values and exponents ``k-2``), after which the other values are uniform
    between their anchors (David & Nagaraja 2003, Order Statistics, section 2.2). The
    intervals are widened by half a day so that the rounded values can still satisfy the
    facts; the exact filter decides. Returns the days, a mask of rows handled and of rows kept.
    """
    t = p.trial
    ud = t.unit_days
    f = t.followup
    b, n = status.shape
    fu_hi = (t.cutoff - t.accrual_start).days
    fu_lo = (t.cutoff - t.accrual_end).days
    out = np.zeros((b, n), dtype=np.int64)
    handled = np.zeros(b, dtype=bool)
    keep = np.ones(b, dtype=bool)
    if "survivors" not in definitions or f.range is None or f.median is None:
        return out, handled, keep
    if not {"followup.median", "followup.min", "followup.max"} <= p.active:
        return out, handled, keep
    j = definitions.index("survivors")
    alive = ~_HAS_DEATH[status]
    m_all = alive.sum(axis=1)
    lo_all, hi_all = fu_lo - 0.5, fu_hi + 0.5

    def iv(pr: Any) -> tuple[float, float]:
        return max(lo_all, pr.lower * ud - 0.5), min(hi_all, pr.upper * ud + 0.5)

    j1, jm, jx = iv(f.range[0]), iv(f.median), iv(f.range[1])
    for m in np.unique(m_all):
        rows = np.flatnonzero((definition == j) & (m_all == m))
        if rows.size == 0 or m < 4:
            continue
        r = rows.size
        x1 = rng.uniform(*j1, size=r)
        xm = rng.uniform(*jx, size=r)
        k = m // 2
        if m % 2:
            c = rng.uniform(*jm, size=r)
            w = np.clip(c - x1, 0, None) ** (k - 1) * np.clip(xm - c, 0, None) ** (k - 1)
            wmax = max(jm[1] - j1[0], 0) ** (k - 1) * max(jx[1] - jm[0], 0) ** (k - 1)
            mids = [c[:, None]]
            inner = [(x1, c, k - 1), (c, xm, k - 1)]
        else:
            s2 = rng.uniform(2 * jm[0], 2 * jm[1], size=r)
            a_lo = max(j1[0], 2 * jm[0] - jx[1])
            a = rng.uniform(a_lo, jm[1], size=r)
            c2 = s2 - a
            ok = (a <= s2 / 2) & (a >= x1) & (c2 <= xm)
            w = np.where(
                ok, np.clip(a - x1, 0, None) ** (k - 2) * np.clip(xm - c2, 0, None) ** (k - 2), 0.0
            )
            wmax = max(jm[1] - j1[0], 0) ** (k - 2) * max(jx[1] - jm[0], 0) ** (k - 2)
            mids = [a[:, None], c2[:, None]]
            inner = [(x1, a, k - 2), (c2, xm, k - 2)]
        acc = (rng.random(r) * wmax <= w) & (x1 <= xm)
        parts = [x1[:, None], xm[:, None], *mids]
        for lo_, hi_, cnt in inner:
            if cnt > 0:
                parts.append(lo_[:, None] + rng.random((r, cnt)) * (hi_ - lo_)[:, None])
        vals = np.hstack(parts)
        vals = np.take_along_axis(vals, np.argsort(rng.random(vals.shape), axis=1), axis=1)
        days = np.clip(np.rint(vals), fu_lo, fu_hi).astype(np.int64)
        # place the m values on the survivors of each row (row-major order of True entries)
        sub_alive = alive[rows]
        tmp = out[rows]
        tmp[sub_alive] = days.ravel()
        out[rows] = tmp
        handled[rows] = True
        keep[rows] = acc
    return out, handled, keep


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
    i_hi = np.maximum(m // 2, 0)
    i_hi = np.where(ok, i_hi, 0)
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


def _filter(p: _Problem, bt: _Batch, definitions: tuple[str, ...]) -> NDArray[np.bool_]:
    """Vectorized acceptance (superset of the exact acceptance)."""
    from survkit.estimate.batch import kaplan_meier_at

    t = p.trial
    ud = t.unit_days
    ok = bt.valid.copy()
    fu = bt.fu.astype(np.float64)
    # follow-up facts
    fu_f = t.followup
    fmed, frng = fu_f.median, fu_f.range
    want_med = fu_f.median is not None and "followup.median" in p.active
    want_min = fu_f.range is not None and "followup.min" in p.active
    want_max = fu_f.range is not None and "followup.max" in p.active
    os_t, os_e = _endpoint_data(("death",), bt.rel, bt.death, fu)
    if want_med or want_min or want_max:
        for j, d in enumerate(definitions):
            rows = ok & (bt.definition == j)
            if not rows.any():
                continue
            if d == "survivors":
                med, mn, mx = _masked_median_range(fu[rows] / ud, ~os_e[rows])
            else:
                allm = np.ones(os_t[rows].shape, dtype=bool)
                med, mn, mx = _masked_median_range(os_t[rows] / ud, allm)
                if d == "reverse-km" and fmed is not None and want_med:
                    a, b_ = fmed.lower, fmed.upper
                    lb = kaplan_meier_at(
                        os_t[rows] / ud, ~os_e[rows], [a - 1e-7, b_ + 1e-7], conf_type="plain"
                    )
                    s = np.where(lb.valid, lb.surv, 0.0)
                    med = np.where((s[:, 0] >= 0.5 - 1e-9) & (s[:, 1] <= 0.5 + 1e-9), a, np.nan)
            good: NDArray[np.bool_] = np.ones(med.shape, dtype=bool)
            if want_med and fmed is not None:
                good &= _in(med, fmed.lower, fmed.upper)
            if want_min and frng is not None:
                good &= _in(mn, frng[0].lower, frng[0].upper)
            if want_max and frng is not None:
                good &= _in(mx, frng[1].lower, frng[1].upper)
            idx = np.flatnonzero(rows)
            ok[idx[~good]] = False
    # landmarks and medians, endpoint by endpoint
    for ep in t.endpoints:
        keys = [(lm, f"landmark:{ep.name}:{lm.time:g}") for lm in ep.landmarks]
        keys = [(lm, k) for lm, k in keys if k in p.active]
        want_median = ep.median is not None and f"median:{ep.name}" in p.active
        if not keys and not want_median:
            continue
        if not ok.any():
            break
        sel = np.flatnonzero(ok)
        et, ee = _endpoint_data(ep.events, bt.rel[sel], bt.death[sel], fu[sel])
        et = et / ud
        good = np.ones_like(sel, dtype=bool)
        if keys:
            lb = kaplan_meier_at(et, ee, [lm.time for lm, _ in keys], conf_type=p.method)
            order = np.argsort([lm.time for lm, _ in keys], kind="stable")
            for col, (_lm, key) in zip(order, keys, strict=True):
                good &= _reported_ok(
                    p.reported[key], lb.surv[:, col], lb.lower[:, col], lb.upper[:, col]
                )
        epm = ep.median
        if want_median and epm is not None:
            if math.isnan(epm.value):
                lb = kaplan_meier_at(et, ee, [float(np.max(et))], conf_type="plain")
                good &= np.nan_to_num(lb.surv[:, 0], nan=0.0) >= 0.5 - 1e-9
            else:
                lb = kaplan_meier_at(
                    et, ee, [epm.lower - 1e-7, epm.upper + 1e-7], conf_type="plain", extend=True
                )
                good &= (lb.surv[:, 0] >= 0.5 - 1e-9) & (lb.surv[:, 1] <= 0.5 + 1e-9)
        ok[sel[~good]] = False
    return ok


def _reported_ok(rep: Reported, s: FloatArray, lo: FloatArray, hi: FloatArray) -> NDArray[np.bool_]:
    ok = _in(s, *rep.estimate_interval)
    if rep.lower is not None:
        ok &= _in(lo, *rep.lower_interval)
    if rep.upper is not None:
        ok &= _in(hi, *rep.upper_interval)
    return ok


# ----------------------------------------------------------------------------- exact check
def reanalyse(
    trial: Trial, table: pd.DataFrame, method: str, definition: str | None = None
) -> pd.DataFrame:
    """Re-analyse one patient table and compare every printed number with what it prints.

    ``table`` has one row per patient with ``followup_months`` (potential follow-up, trial
    unit), ``relapse_<unit>`` and ``death_<unit>`` (NaN when none). Every endpoint is refitted
    with :func:`survkit.estimate.km.kaplan_meier` using ``method``. Returns one row per printed
    number: ``quantity, printed, lo, hi, reproduced, ok``.
    """
    from survkit.estimate.km import kaplan_meier

    u = trial.unit
    fu = table[f"followup_{u}"].to_numpy(float)
    rel = table[f"relapse_{u}"].fillna(np.inf).to_numpy(float)
    death = table[f"death_{u}"].fillna(np.inf).to_numpy(float)
    rows: list[dict[str, Any]] = []

    def add(q: str, printed: str, lo: float, hi: float, x: float) -> None:
        ok = bool(lo - 1e-9 <= x <= hi + 1e-9) if not math.isnan(lo) else math.isnan(x)
        rows.append(
            {"quantity": q, "printed": printed, "lo": lo, "hi": hi, "reproduced": x, "ok": ok}
        )

    os_t, os_e = _endpoint_data(("death",), rel, death, fu)
    f = trial.followup
    if definition is not None and (f.median is not None or f.range is not None):
        if definition == "survivors":
            x = fu[~os_e]
        else:
            x = os_t
        med = float(np.median(x)) if x.size else math.nan
        if definition == "reverse-km":
            med = float(kaplan_meier(os_t, ~os_e).median().estimate)
        if f.median is not None:
            add(
                f"median follow-up ({definition})",
                f.median.text,
                f.median.lower,
                f.median.upper,
                med,
            )
        if f.range is not None:
            mn = float(x.min()) if x.size else math.nan
            mx = float(x.max()) if x.size else math.nan
            add(
                f"shortest follow-up ({definition})",
                f.range[0].text,
                f.range[0].lower,
                f.range[0].upper,
                mn,
            )
            add(
                f"longest follow-up ({definition})",
                f.range[1].text,
                f.range[1].lower,
                f.range[1].upper,
                mx,
            )
    for ep in trial.endpoints:
        et, ee = _endpoint_data(ep.events, rel, death, fu)
        fit = kaplan_meier(et, ee, conf_type=method)
        for lm in ep.landmarks:
            rep = _parse(lm.text)
            at = fit.at([lm.time])
            s = float(at["surv"].iloc[0]) if len(at) else math.nan
            lo_ = float(at["lower"].iloc[0]) if len(at) else math.nan
            hi_ = float(at["upper"].iloc[0]) if len(at) else math.nan
            name = f"{ep.name} at {lm.time:g}"
            add(f"{name}: estimate", f"{rep.estimate:.4g}", *rep.estimate_interval, s)
            if rep.lower is not None:
                add(f"{name}: lower", f"{rep.lower:.4g}", *rep.lower_interval, lo_)
            if rep.upper is not None:
                add(f"{name}: upper", f"{rep.upper:.4g}", *rep.upper_interval, hi_)
        if ep.median is not None:
            m = float(fit.median().estimate)
            add(f"median {ep.name}", ep.median.text, ep.median.lower, ep.median.upper, m)
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
        return self.patients[self.patients["draw"] == k].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """The long patient table (same as :attr:`patients`)."""
        return self.patients.copy()

    def check(self) -> pd.DataFrame:
        """Re-analyse every draw: printed vs reproduced for each number.

        One row per printed number: ``quantity, printed, lo, hi`` (the rounding interval),
        ``min, median, max`` of the reproduced values over the draws, and ``all_ok``.
        """
        tabs = []
        for k, g in self.patients.groupby("draw", sort=True):
            r = reanalyse(self.trial, g, self.method, str(g["followup_definition"].iloc[0]))
            r["quantity"] = r["quantity"].str.replace(
                r" \((survivors|reverse-km|all)\)", "", regex=True
            )
            r["draw"] = k
            tabs.append(r)
        for ev in self._event_rows():
            tabs.append(ev)
        allr = pd.concat(tabs, ignore_index=True)
        out = (
            allr.groupby(["quantity"], sort=False)
            .agg(
                printed=("printed", "first"),
                lo=("lo", "first"),
                hi=("hi", "first"),
                min=("reproduced", "min"),
                median=("reproduced", "median"),
                max=("reproduced", "max"),
                all_ok=("ok", "all"),
            )
            .reset_index()
        )
        return out

    def _event_rows(self) -> list[pd.DataFrame]:
        u = self.trial.unit
        rows = []
        for ev in self.trial.events:
            sub = self.patients[self.patients["event_id"] == ev.id]
            if sub.empty:
                continue
            col = f"{ev.kind}_{u}"
            lo, hi = ev.window()
            printed = (
                ev.time.text
                if ev.time is not None
                else f"[{lo:g}, {'inf' if math.isinf(hi) else f'{hi:g}'}]"
            )
            x = sub[col].to_numpy(float)
            rows.append(
                pd.DataFrame(
                    {
                        "quantity": f"{ev.kind} time: {ev.id}",
                        "printed": printed,
                        "lo": lo,
                        "hi": hi,
                        "reproduced": x,
                        "ok": (x >= lo - 1e-9) & (x <= hi + 1e-9),
                        "draw": sub["draw"].to_numpy(),
                    }
                )
            )
        for name, (lo, hi) in self.trial.counts.items():
            g = self.patients.groupby("draw")["status"]
            st = {
                "deaths": g.apply(lambda s: int(np.isin(s, (2, 3)).sum())),
                "relapses": g.apply(lambda s: int(np.isin(s, (1, 2)).sum())),
                "alive": g.apply(lambda s: int(np.isin(s, (0, 1)).sum())),
                "alive_relapse_free": g.apply(lambda s: int((s == 0).sum())),
            }[name]
            x = st.to_numpy(float)
            rows.append(
                pd.DataFrame(
                    {
                        "quantity": f"count: {name}",
                        "printed": f"{lo}" if lo == hi else f"{lo}..{hi}",
                        "lo": float(lo),
                        "hi": float(min(hi, self.trial.n)),
                        "reproduced": x,
                        "ok": (x >= lo) & (x <= hi),
                        "draw": st.index.to_numpy(),
                    }
                )
            )
        return rows

    def km_envelope(
        self, endpoint: str, grid: Sequence[float] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Pointwise median and central ``level`` envelope of the draws' KM curves on ``grid``."""
        from survkit.estimate.km import kaplan_meier

        ep = self.trial.endpoint(endpoint)
        u = self.trial.unit
        g = (
            np.linspace(0.0, self.trial.max_followup, 241)
            if grid is None
            else np.asarray(grid, float)
        )
        curves = []
        for _, d in self.patients.groupby("draw", sort=True):
            fit = kaplan_meier(
                d[f"{ep.name.lower()}_{u}"].to_numpy(float),
                d[f"{ep.name.lower()}_event"].to_numpy(bool),
            )
            curves.append(fit.survival_at(g))
        c = np.vstack(curves)
        a = (1.0 - level) / 2.0
        return pd.DataFrame(
            {
                "time": g,
                "median": np.median(c, axis=0),
                "lower": np.quantile(c, a, axis=0),
                "upper": np.quantile(c, 1.0 - a, axis=0),
            }
        )

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
def _feasible_by_search(
    p: _Problem,
    definitions: tuple[str, ...],
    rng: np.random.Generator,
    budget: int,
    batch: int = 20000,
) -> bool:
    if p.comps.shape[0] == 0:
        return False
    done = 0
    while done < budget:
        b = min(batch, budget - done)
        ci = rng.integers(0, p.comps.shape[0], size=b)
        bt = _propose(p, ci, definitions, rng)
        if _filter(p, bt, definitions).any():
            return True
        done += b
    return False


def smallest_conflict(
    trial: Trial,
    reading: int,
    method: str,
    findings: list[MethodFinding],
    *,
    budget: int = 200_000,
    seed: int = 0,
) -> tuple[tuple[Fact, ...], str]:
    """A smallest set of facts (under ``reading``) that cannot hold together, and how it was shown.

    Deletion filter: start from every fact; drop each fact in turn (follow-up facts and event
    times first) and keep it dropped while the rest is still infeasible. Infeasibility is
    shown by exact event counting when possible (a proof), else by a search of ``budget``
    candidates finding none (evidence, stated as such).
    """
    facts = list(trial_facts(trial, reading))
    definitions = trial.followup.definitions
    rng = np.random.default_rng(seed)
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
        if not _feasible_by_search(p, definitions, rng, budget):
            return f"no reconstruction among {budget:,} candidates"
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


def reconstruct(
    trial: Trial,
    draws: int = 1000,
    seed: int | None = None,
    *,
    max_proposals: int = 50_000_000,
    batch: int = 50_000,
    pilot_size: int = 100_000,
    progress: bool | None = None,
) -> Ensemble:
    """Draw ``draws`` patient-level tables that print every number of ``trial``.

    Parameters
    ----------
    trial : Trial
        The specification (see :class:`survkit.reconstruct.trial.Trial`).
    draws : int
        Number of tables (at least 1).
    seed : int, optional
        Seed of the random generator; the same seed gives the same ensemble.
    max_proposals : int
        Give up (``RuntimeError``) after this many candidates.
    batch : int
        Candidates per vectorized step.
    pilot_size : int
        Candidates per follow-up definition in the pilot; a definition with no accepted draw in
        its pilot is not sampled further (reported as not found).
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

    Notes
    -----
    The sampling scheme (what the draws are uniform over) is described in the module docstring
    of :mod:`survkit.reconstruct.exact`. Every draw is re-analysed with
    :func:`survkit.estimate.km.kaplan_meier` (CI transform ``method``, the one the printed-CI
    check finds) and must print every number, else ``RuntimeError``.
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
    definitions = trial.followup.definitions
    all_keys = [frozenset(f.key for f in trial_facts(trial, r)) for r in range(len(trial.readings))]
    problems = [
        _compile(trial, r, all_keys[r], method, findings) for r in range(len(trial.readings))
    ]
    live = [r for r, p in enumerate(problems) if p.comps.shape[0] > 0]

    proposals = np.zeros(len(problems), dtype=np.int64)
    accepted = np.zeros(len(problems), dtype=np.int64)
    tables: list[pd.DataFrame] = []
    def_count = dict.fromkeys(definitions, 0)
    bar = _progress(iter(int, 1), total=draws, desc="reconstruct", enabled=progress)
    got = 0
    total = 0
    pilot = True
    defs_now = definitions
    tried = dict.fromkeys(definitions, 0)
    while live and got < draws and total < max_proposals:
        r_idx = rng.integers(0, len(live), size=batch)
        for jr, r in enumerate(live):
            p = problems[r]
            rows = int((r_idx == jr).sum())
            if rows == 0:
                continue
            ci = rng.integers(0, p.comps.shape[0], size=rows)
            bt = _propose(p, ci, defs_now, rng)
            ok = _filter(p, bt, defs_now)
            proposals[r] += rows
            for j, d in enumerate(defs_now):
                tried[d] += int((bt.definition == j).sum())
            for i in np.flatnonzero(ok):
                if got >= draws:
                    break
                tab = _table(p, bt, int(i), defs_now, got)
                chk = reanalyse(trial, tab, method, defs_now[int(bt.definition[i])])
                if not chk["ok"].all():
                    bad = chk[~chk["ok"]]
                    q = bad["quantity"].iloc[0]
                    if not (q.startswith("median") or "follow-up" in q):
                        raise RuntimeError(
                            "batched and single Kaplan-Meier disagree on a candidate: "
                            + bad.to_string(index=False)
                        )
                    continue
                accepted[r] += 1
                def_count[defs_now[int(bt.definition[i])]] += 1
                tables.append(tab)
                got += 1
                next(bar, None)
        total += batch
        if pilot and min(tried.values()) >= pilot_size:
            # definitions that produced nothing in the pilot are not sampled further
            pilot = False
            kept = tuple(d for d in defs_now if def_count[d] > 0)
            if kept:
                defs_now = kept
        if got == 0 and total >= 4 * pilot_size * len(definitions):
            break
    for _ in bar:  # close the bar
        break
    results: list[ReadingResult] = []
    conflicts: dict[str, tuple[str, ...]] = {}
    for r, rd in enumerate(trial.readings):
        ndraw = int(sum(int(t_["reading"].iloc[0] == rd.name) for t_ in tables))
        if accepted[r] > 0:
            results.append(
                ReadingResult(
                    rd.name, rd.description, True, ndraw, int(proposals[r]), int(accepted[r])
                )
            )
        else:
            facts, how = smallest_conflict(
                trial, r, method, findings, seed=0 if seed is None else seed
            )
            conflicts[rd.name] = tuple(f.text for f in facts)
            results.append(
                ReadingResult(
                    rd.name,
                    rd.description,
                    False,
                    0,
                    int(proposals[r]),
                    0,
                    tuple(f.text for f in facts),
                    how,
                )
            )
    if got == 0:
        msg = "; ".join(f"reading {k!r}: {' + '.join(v)}" for k, v in conflicts.items())
        raise InfeasibleSpecError(f"the printed facts conflict (n = {trial.n}): {msg}", conflicts)
    if got < draws:
        raise RuntimeError(f"only {got} of {draws} draws found within {total:,} candidates")
    patients = pd.concat(tables, ignore_index=True)
    return Ensemble(
        trial,
        patients,
        method,
        common,
        findings,
        tuple(results),
        int(proposals.sum()),
        int(accepted.sum()),
        seed,
        _time.perf_counter() - t0,
        def_count,
    )


def _table(
    p: _Problem, bt: _Batch, i: int, definitions: tuple[str, ...], draw: int
) -> pd.DataFrame:
    t = p.trial
    ud = t.unit_days
    u = t.unit
    fu = bt.fu[i].astype(float)
    order = np.argsort(-fu, kind="stable")  # patient 1 = first infused
    fu = fu[order]
    rel = bt.rel[i][order]
    death = bt.death[i][order]
    st = bt.status[i][order]
    ids = [p.slot_ids[j] for j in order]
    infusion = [t.cutoff - _dt.timedelta(days=int(d)) for d in fu]
    cols: dict[str, Any] = {
        "draw": draw,
        "patient": np.arange(1, t.n + 1),
        "infusion_date": pd.to_datetime(infusion),
    }
    for ep in t.endpoints:
        et, ee = _endpoint_data(ep.events, rel, death, fu)
        cols[f"{ep.name.lower()}_{u}"] = et / ud
        cols[f"{ep.name.lower()}_event"] = ee.astype(np.int64)
    cols[f"relapse_{u}"] = np.where(np.isinf(rel), np.nan, rel / ud)
    cols[f"death_{u}"] = np.where(np.isinf(death), np.nan, death / ud)
    cols[f"followup_{u}"] = fu / ud
    cols["status"] = st
    cols["event_id"] = ids
    cols["reading"] = t.readings[p.reading].name
    cols["followup_definition"] = definitions[int(bt.definition[i])]
    return pd.DataFrame(cols)
