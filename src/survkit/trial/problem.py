"""The search problem of one reading: the status compositions exact event counting allows.

:func:`compile_problem` turns a trial under one reading and a set of active facts into a
:class:`Problem`: the printed events assigned to patient slots (with their day windows) and
every composition of patient statuses that passes the printed counts and *exact event
counting* (the printed-CI check lists every history of a landmark, so the number of endpoint
events up to it is known; a composition that cannot place that many events is impossible).
An empty composition set is a proof that the active facts conflict.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from survkit.trial.facts import NO_LIMIT, FactKey, printed_counts
from survkit.trial.methods import MethodFinding
from survkit.trial.spec import Trial
from survkit.trial.status import HAS_DEATH, HAS_RELAPSE

if TYPE_CHECKING:
    from survkit.check.parse import Reported

IntArray = NDArray[np.int64]


@dataclass
class Problem:
    """A trial under one reading with a set of active facts, compiled for vectorized sampling."""

    trial: Trial
    reading: int
    active: frozenset[FactKey]
    conf_type: str
    findings: list[MethodFinding]
    comps: IntArray  # (C, n) statuses
    slot_lo: IntArray  # (n,) earliest event day of slot patients (1 for free)
    slot_hi: IntArray  # (n,) latest event day (NO_LIMIT for free)
    slot_kind: list[str]  # "" (free), "death", "relapse"
    slot_ids: list[str]
    counts: dict[str, tuple[int, int]]
    reported: dict[FactKey, Reported] = field(default_factory=dict)
    proof: str = ""  # why the active facts conflict (empty: no conflict proven)

    @property
    def n(self) -> int:
        return self.trial.n

    @property
    def infeasible(self) -> bool:
        """Whether the active facts are proven to conflict (no composition survives)."""
        return self.comps.shape[0] == 0


def day_window(lo: float, hi: float, ud: float) -> tuple[int, int]:
    a = max(1, math.ceil(lo * ud - 1e-9))
    b = NO_LIMIT if math.isinf(hi) else math.floor(hi * ud + 1e-9)
    return a, b


def compile_problem(
    trial: Trial,
    reading: int,
    active: frozenset[FactKey],
    conf_type: str,
    findings: list[MethodFinding],
) -> Problem:
    n = trial.n
    ud = trial.unit_days
    rd = trial.readings[reading]
    slots = [trial.event(e) for e in rd.events if FactKey.event(e) in active]
    k = len(slots)
    slot_lo = np.ones(n, dtype=np.int64)
    slot_hi = np.full(n, NO_LIMIT, dtype=np.int64)
    kinds = [""] * n
    ids = [""] * n
    options: list[tuple[int, ...]] = []
    for i, ev in enumerate(slots):
        lo, hi = ev.window()
        slot_lo[i], slot_hi[i] = day_window(lo, hi, ud)
        kinds[i] = ev.kind
        ids[i] = ev.id
        if ev.kind == "death":
            options.append(
                (2,) if ev.relapse_before else (3,) if ev.relapse_before is False else (2, 3)
            )
        elif ev.kind == "censored":
            options.append((0,))  # alive and event-free, censored at the printed time
        else:
            options.append((1, 2))
    counts = {
        name: c
        for name, c in printed_counts(trial, reading).items()
        if FactKey.count(name) in active
    }
    comps: list[list[int]] = []
    free = n - k
    for slot_st in itertools.product(*options) if options else [()]:
        for c0 in range(free + 1):
            for c1 in range(free - c0 + 1):
                for c2 in range(free - c0 - c1 + 1):
                    c3 = free - c0 - c1 - c2
                    st = [*slot_st, *([0] * c0), *([1] * c1), *([2] * c2), *([3] * c3)]
                    if counts_ok(np.array(st), counts) and events_ok(
                        trial, np.array(st), slot_lo, slot_hi, kinds, active, findings, conf_type
                    ):
                        comps.append(st)
    arr = np.array(comps, dtype=np.int64).reshape(-1, n)
    reported = {}
    for ep in trial.endpoints:
        for lm in ep.landmarks:
            key = FactKey.landmark(ep.name, lm.time)
            if key in active and lm.has_ci:
                reported[key] = lm.reported(trial.convention)
    proof = ""
    if arr.shape[0] == 0:
        proof = "exact event counting"
    else:
        band = median_band_conflict(trial, active, findings, conf_type)
        if band:
            proof = band
            arr = arr[:0]
    return Problem(
        trial,
        reading,
        active,
        conf_type,
        findings,
        arr,
        slot_lo,
        slot_hi,
        kinds,
        ids,
        counts,
        reported,
        proof,
    )


def median_band_conflict(
    trial: Trial,
    active: frozenset[FactKey],
    findings: list[MethodFinding],
    conf_type: str,
) -> str:
    r"""Whether a printed median (with its CI) conflicts with a landmark through its histories.

    A landmark of endpoint ``E`` at time :math:`t` whose printed-CI check lists every history
    (risk-set sizes at the events up to :math:`t`) fixes, for each history, the Kaplan-Meier
    curve and its pointwise bands up to :math:`t`. By R's ``print.survfit`` rule the median
    (resp. its lower / upper CI limit) is the first time the curve (resp. the lower / upper
    band) falls below 1/2 (the midpoint of a flat part exactly at 1/2). So, given a history:
    if the curve is already below 1/2 at an event up to :math:`t`, the quantity is an event
    time in :math:`(0, t]` (never ``NR``); if it stays above 1/2 up to :math:`t`, the
    quantity is later than :math:`t` or not reached. A history is compatible with the printed
    median when each of the three printed numbers (estimate, lower, upper; ``NR`` = not
    reached) is compatible; no compatible history is a proof that the landmark and the median
    conflict, whatever the event times. Curves within :math:`10^{-7}` of 1/2 prove nothing.

    Returns the proof as text, or ``""`` when no conflict is proven.
    """
    from survkit.estimate.km import kaplan_meier

    for ep in trial.endpoints:
        if ep.median is None or FactKey.median(ep.name) not in active:
            continue
        ci = ep.median_ci
        level = ci.conf_level if ci is not None and ci.conf_level is not None else 0.95
        printed: list[tuple[str, float, float]] = [
            ("median", ep.median.lower, ep.median.upper)
        ]
        for what, bound in zip(("lower limit", "upper limit"), ep.median_bounds, strict=False):
            if bound is not None:
                printed.append((what, bound[1], bound[2]))
        for f in findings:
            if f.endpoint != ep.name or FactKey.landmark(f.endpoint, f.time) not in active:
                continue
            if f.total_events.get(conf_type) is None:
                continue  # the history list is not exhaustive: nothing can be proven
            hs = f.histories.get(conf_type, ())
            if not hs:
                continue
            t = f.time
            why: list[str] = []
            for h in hs:
                bands = _bands_up_to(h, trial.n, t, conf_type, level, kaplan_meier)
                bad = ""
                for (what, lo, hi), b in zip(printed, bands, strict=True):
                    state = _crossing(b)
                    nr = math.isnan(lo)
                    if state == "before" and (nr or lo > t):
                        bad = (
                            f"its {'curve' if what == 'median' else what.split()[0] + ' band'} "
                            f"is below 1/2 by {t:g}, so the {what} is at most {t:g}, not "
                            f"{'NR' if nr else f'{lo:g}..{hi:g}'}"
                        )
                    elif state == "after" and not nr and hi <= t:
                        bad = (
                            f"its {'curve' if what == 'median' else what.split()[0] + ' band'} "
                            f"stays above 1/2 up to {t:g}, so the {what} is after {t:g}"
                            f", not {lo:g}..{hi:g}"
                        )
                    if bad:
                        break
                if not bad:
                    break
                why.append(bad)
            else:
                kind = "history" if len(hs) == 1 else f"{len(hs)} histories"
                return (
                    f"the landmark's {kind} ({conf_type} CI, n = {trial.n}) and R's median "
                    f"rule: {why[0]}"
                    + ("" if len(hs) == 1 else " (and likewise for every other history)")
                )
    return ""


def _bands_up_to(
    history: tuple[int, ...],
    n: int,
    t: float,
    conf_type: str,
    level: float,
    kaplan_meier: Any,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Curve, lower and upper band at the events of ``history`` (all before ``t``)."""
    k = len(history)
    times: list[float] = []
    events: list[bool] = []
    at_risk = n
    for j, r in enumerate(history):
        step = t * (j + 1) / (k + 1)
        for _ in range(at_risk - r):  # censorings just before this event
            times.append(step - t / (4 * (k + 1)))
            events.append(False)
        times.append(step)
        events.append(True)
        at_risk = r - 1
    for _ in range(at_risk):
        times.append(t * 2 + 1)
        events.append(False)
    fit = kaplan_meier(np.array(times), np.array(events), conf_type=conf_type, conf_level=level)
    ev = fit.n_event > 0
    ev &= fit.time <= t
    return fit.surv[ev], fit.lower[ev], fit.upper[ev]


def _crossing(band: NDArray[np.float64]) -> str:
    """``"before"`` (below 1/2 at an event), ``"after"`` (above throughout) or ``"unknown"``."""
    if band.size == 0:
        return "after"
    if np.isnan(band).any():
        return "unknown"
    if (band < 0.5 - 1e-7).any():
        return "before"
    if (band > 0.5 + 1e-7).all():
        return "after"
    return "unknown"


def counts_ok(st: IntArray, counts: dict[str, tuple[int, int]]) -> bool:
    values = {
        "deaths": int(HAS_DEATH[st].sum()),
        "relapses": int(HAS_RELAPSE[st].sum()),
        "alive": int((~HAS_DEATH[st]).sum()),
        "alive_relapse_free": int((st == 0).sum()),
    }
    return all(lo <= values[name] <= hi for name, (lo, hi) in counts.items())


def events_ok(
    trial: Trial,
    st: IntArray,
    slot_lo: IntArray,
    slot_hi: IntArray,
    kinds: list[str],
    active: frozenset[FactKey],
    findings: list[MethodFinding],
    conf_type: str,
) -> bool:
    """Exact event counting: can this composition hold the number of events the landmark needs?"""
    ud = trial.unit_days
    for f in findings:
        if FactKey.landmark(f.endpoint, f.time) not in active:
            continue
        allowed = f.total_events.get(conf_type)
        if allowed is None:
            continue
        ep = trial.endpoint(f.endpoint)
        tau = f.time * ud
        possible = forced = 0
        for i, s in enumerate(st):
            rel, dead = bool(HAS_RELAPSE[s]), bool(HAS_DEATH[s])
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
            latest = hi if kinds[i] else NO_LIMIT
            if kinds[i] == "death" and rel and "relapse" in ep.events:
                latest = hi - 1  # relapse strictly before the slot death
            if earliest <= tau:
                possible += 1
            if latest <= tau:
                forced += 1
        if not any(forced <= d <= possible for d in allowed):
            return False
    return True
