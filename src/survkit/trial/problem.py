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
from typing import TYPE_CHECKING

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

    @property
    def n(self) -> int:
        return self.trial.n


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
    )


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
