"""The printed facts of a trial under one reading, with typed keys.

A :class:`Fact` is one droppable printed fact (the number of patients and the dates always
hold); its :class:`FactKey` says what kind of fact it is and which endpoint, landmark time,
count or event it concerns, so code tests ``key.kind`` instead of parsing a string back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

from survkit.trial.spec import Trial

#: Upper end of an unbounded count or day window.
NO_LIMIT: Final[int] = 10**9


class FactKind(str, Enum):
    """What a printed fact is about."""

    FOLLOWUP = "followup"
    LANDMARK = "landmark"
    MEDIAN = "median"
    COUNT = "count"
    EVENT = "event"


@dataclass(frozen=True, order=True)
class FactKey:
    """Typed key of a printed fact.

    ``name`` is the endpoint (landmark, median), the follow-up statistic (``"median"``,
    ``"min"``, ``"max"``), the count name or the event id; ``time`` the landmark time.
    ``str(key)`` is a stable text form (``"landmark:OS:12"``).
    """

    kind: FactKind
    name: str
    time: float | None = None

    @classmethod
    def landmark(cls, endpoint: str, time: float) -> FactKey:
        """Key of the landmark of ``endpoint`` at ``time``."""
        return cls(FactKind.LANDMARK, endpoint, float(time))

    @classmethod
    def median(cls, endpoint: str) -> FactKey:
        """Key of the printed median (with its CI, if any) of ``endpoint``."""
        return cls(FactKind.MEDIAN, endpoint)

    @classmethod
    def followup(cls, statistic: str) -> FactKey:
        """Key of a follow-up statistic: ``"median"``, ``"min"`` or ``"max"``."""
        return cls(FactKind.FOLLOWUP, statistic)

    @classmethod
    def count(cls, name: str) -> FactKey:
        """Key of a printed count (``deaths``, ``relapses``, ...)."""
        return cls(FactKind.COUNT, name)

    @classmethod
    def event(cls, event_id: str) -> FactKey:
        """Key of an individual printed event."""
        return cls(FactKind.EVENT, event_id)

    def __str__(self) -> str:
        tail = f":{self.time:g}" if self.time is not None else ""
        return f"{self.kind.value}:{self.name}{tail}"


@dataclass(frozen=True)
class Fact:
    """A printed fact a reconstruction must reproduce (``key`` typed, ``text`` readable)."""

    key: FactKey
    text: str


def trial_facts(trial: Trial, reading: int) -> tuple[Fact, ...]:
    """The droppable facts of ``trial`` under reading number ``reading`` (n, dates always hold)."""
    out: list[Fact] = []
    u = trial.unit
    fu = trial.followup
    if fu.median is not None:
        out.append(Fact(FactKey.followup("median"), f"median follow-up {fu.median.text} {u}"))
    if fu.range is not None:
        out.append(Fact(FactKey.followup("min"), f"shortest follow-up {fu.range[0].text} {u}"))
        out.append(Fact(FactKey.followup("max"), f"longest follow-up {fu.range[1].text} {u}"))
    for ep in trial.endpoints:
        for lm in ep.landmarks:
            out.append(
                Fact(FactKey.landmark(ep.name, lm.time), f"{ep.name} at {lm.time:g} {u}: {lm.text}")
            )
        if ep.median is not None:
            ci = f" ({ep.median_ci.text})" if ep.median_ci is not None else ""
            out.append(Fact(FactKey.median(ep.name), f"median {ep.name} {ep.median.text} {u}{ci}"))
    for ep in trial.incidence_endpoints:  # cumulative incidences: landmark facts like the others
        for lm in ep.landmarks:
            out.append(
                Fact(
                    FactKey.landmark(ep.name, lm.time),
                    f"{ep.name} (cumulative incidence) at {lm.time:g} {u}: {lm.text}",
                )
            )
    rd = trial.readings[reading]
    counts = printed_counts(trial, reading)
    for name, (lo, hi) in counts.items():
        what = name.replace("_", " ")
        val = f"{lo}" if lo == hi else f"{lo}..{hi if hi < NO_LIMIT else 'n'}"
        src = " (every death listed)" if name == "deaths" and trial.deaths_listed else ""
        out.append(Fact(FactKey.count(name), f"{what} = {val}{src}"))
    for eid in rd.events:
        ev = trial.event(eid)
        when = f" at {ev.time.text} {u}" if ev.time is not None else ""
        out.append(Fact(FactKey.event(eid), f"{ev.kind}{when} ({ev.note or eid})"))
    return tuple(out)


def printed_counts(trial: Trial, reading: int) -> dict[str, tuple[int, int]]:
    """The counts (name -> (min, max)) that hold under ``reading`` ("listed" deaths counted)."""
    rd = trial.readings[reading]
    counts = dict(trial.counts)
    if trial.deaths_listed:
        k = sum(1 for e in rd.events if trial.event(e).kind == "death")
        counts["deaths"] = (k, k)
    counts.update(rd.counts)
    return counts
