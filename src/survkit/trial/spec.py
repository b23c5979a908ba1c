"""The trial specification: what a paper printed about one single-arm trial, as validated data.

A :class:`Trial` holds the facts a reconstruction must reproduce: the number of patients, the
accrual window and data cutoff (administrative censoring: potential follow-up = cutoff - entry),
the printed follow-up summary, the endpoints with their printed landmarks and medians, event
counts, individual events with their printed times, and alternative readings of facts the sources
disagree on. It is read from TOML (schema in ``docs/trial-spec.md``) by :meth:`Trial.from_toml`
or built directly. Every printed number is kept as its text together with the interval of true
values it stands for under the trial's rounding convention, see :class:`SpecNumber`.

A month is 365.25 / 12 days.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from survkit.printed import (
    Convention,
    Kind,
    Printed,
    Reported,
    Rounding,
    parse_endpoint,
    parse_printed,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: Days per month (365.25 / 12), the month every survkit time in months uses.
MONTH_DAYS: Final[float] = 365.25 / 12.0
#: Days per unit for the time units a spec may use.
UNIT_DAYS: Final[dict[str, float]] = {
    "days": 1.0,
    "weeks": 7.0,
    "months": MONTH_DAYS,
    "years": 365.25,
}
#: Definitions of "median follow-up" a paper may use.
FOLLOWUP_DEFINITIONS: Final[tuple[str, ...]] = ("survivors", "reverse-km", "all", "potential")
#: Event kinds an endpoint can be made of.
EVENT_KINDS: Final[tuple[str, ...]] = ("relapse", "death")
#: Kinds of endpoint: Kaplan-Meier survival, or cumulative incidence with competing events.
ENDPOINT_KINDS: Final[tuple[str, ...]] = ("survival", "cumulative_incidence")
#: The (events, competing) pairs a cumulative-incidence endpoint may have, and its cause:
#: relapse with death as competing event (CIR), death without prior relapse (NRM).
INCIDENCE_CAUSES: Final[dict[tuple[tuple[str, ...], tuple[str, ...]], str]] = {
    (("relapse",), ("death",)): "relapse",
    (("death",), ("relapse",)): "nrm",
}
#: Kinds an individual printed event may have (``censored``: a time printed with ``+``).
EVENT_FACT_KINDS: Final[tuple[str, ...]] = ("relapse", "death", "censored")
#: Values of ``[censoring] early`` given as words.
EARLY_CENSORING_WORDS: Final[tuple[str, ...]] = ("none", "allowed", "unknown")
#: Count names a spec may give.
COUNT_NAMES: Final[tuple[str, ...]] = ("deaths", "relapses", "alive", "alive_relapse_free")


# ----------------------------------------------------------------------------- printed numbers
#: Rounding conventions a spec may declare (``"unknown"``: nearest first, then truncation).
SPEC_ROUNDINGS: Final[tuple[str, ...]] = ("nearest", "truncate", "unknown")


@dataclass(frozen=True)
class SpecNumber(Printed):
    """A printed number of a spec: a :class:`survkit.printed.Printed` with the trial's convention.

    ``lower``/``upper`` are the interval of true values printing as the number under
    ``convention`` (the trial's ``[trial] rounding``; nearest by default), ``value`` the
    number (``nan`` when printed ``NR``). Everything else is :class:`~survkit.printed.Printed`.
    """

    convention: Convention = "nearest"

    @classmethod
    def parse(
        cls, text: object, name: str, convention: Convention = "nearest", kind: Kind = "time"
    ) -> SpecNumber:
        """Parse a printed number such as ``"15.1"``, ``"24.0"``, ``12`` or ``"NR"``."""
        p = parse_printed(text, name=name, kind=kind)
        return cls(p.text, p.number, p.decimals, p.scale, p.unit, p.kind, p.relation, convention)

    @property
    def value(self) -> float:
        """The value in the spec's unit; ``nan`` for a number printed ``NR``."""
        return math.nan if self.number is None else self.number / self.scale

    @property
    def lower(self) -> float:
        """Lower end of the interval under :attr:`convention` (``nan`` for ``NR``)."""
        return math.nan if self.number is None else self.interval(self.convention)[0]

    @property
    def upper(self) -> float:
        """Upper end of the interval under :attr:`convention` (``nan`` for ``NR``)."""
        return math.nan if self.number is None else self.interval(self.convention)[1]

    def contains(self, x: ArrayLike, rounding: Rounding | None = None) -> NDArray[np.bool_]:
        """Whether true values ``x`` print as this number (default: under :attr:`convention`)."""
        return super().contains(x, self.convention if rounding is None else rounding)


# ----------------------------------------------------------------------------- parts of a spec
@dataclass(frozen=True)
class Landmark:
    """A printed survival probability at a landmark time, e.g. ``"68% (95% CI, 43-100)"`` at 12.

    A landmark may be printed without a CI (``"100%"``): then only its estimate is a fact.
    """

    time: float
    text: str

    @property
    def has_ci(self) -> bool:
        """Whether a CI is printed with the estimate."""
        return bool(re.search(r"[(\[]", self.text))

    def reported(self, convention: Convention = "nearest") -> Reported:
        """The printed estimate and CI under ``convention`` (a landmark printed with a CI)."""
        return _parse_landmark(self.text, convention)

    def estimate(self, convention: Convention = "nearest") -> SpecNumber:
        """The printed estimate alone (any landmark), as a probability."""
        if self.has_ci:
            rep = self.reported(convention)
            p = rep.point
            return SpecNumber(
                p.text, p.number, p.decimals, p.scale, p.unit, p.kind, p.relation, convention
            )
        return SpecNumber.parse(self.text, f"landmark {self.text!r}", convention, "probability")


@functools.lru_cache(maxsize=512)
def _parse_landmark(text: str, convention: Convention) -> Reported:
    return parse_endpoint(text, rounding=convention)


@dataclass(frozen=True)
class CensoringFacts:
    """What the paper says about censoring before the data cutoff (``[censoring]``).

    ``early`` is ``"none"`` (every censoring is administrative: at cutoff), ``"allowed"`` (any
    number of patients may be censored earlier: lost to follow-up, at transplant, at new
    therapy), a count ``(k, k)`` or a range ``(min, max)``, or ``"unknown"`` (default: no early
    censoring is tried first; only if that is proven impossible is the fewest number the
    printed facts need looked for and reported). ``reasons`` are the printed reasons (text).
    """

    early: str | tuple[int, int] = "unknown"
    reasons: tuple[str, ...] = ()

    def bounds(self, n: int) -> tuple[int, int]:
        """The (min, max) number of early censorings allowed among ``n`` patients."""
        if self.early == "none":
            return (0, 0)
        if self.early in ("allowed", "unknown"):
            return (0, n)
        assert isinstance(self.early, tuple)
        return (self.early[0], min(self.early[1], n))


@dataclass(frozen=True)
class EventGroup:
    """A printed count of events of one kind with the printed min and max of their times.

    ``"6 relapses, 4.0-10.9 months after infusion"`` is ``EventGroup("relapse", (6, 6),
    earliest=4.0, latest=10.9)``: exactly 6 patients have that event and the earliest and
    latest of those times print as the two numbers.
    """

    kind: str
    count: tuple[int, int]
    earliest: SpecNumber | None = None
    latest: SpecNumber | None = None


@dataclass(frozen=True)
class Endpoint:
    """An endpoint: its name, the event kinds that end it (first of them counts), printed numbers.

    OS ends at death; DFS/PFS/EFS at relapse (or progression) or death, whichever comes first,
    so a DFS event is at or before death, and every death is a DFS event unless a relapse came
    earlier.

    ``kind = "cumulative_incidence"`` is an Aalen-Johansen incidence of ``events`` with the
    ``competing`` events as competing risks: cumulative incidence of relapse (``events =
    ("relapse",)``, ``competing = ("death",)``) or non-relapse mortality, death without prior
    relapse (``events = ("death",)``, ``competing = ("relapse",)``). Its landmarks print
    the incidence F(t) (with its CI); it has no median.
    """

    name: str
    events: tuple[str, ...]
    landmarks: tuple[Landmark, ...] = ()
    median: SpecNumber | None = None
    median_ci: Reported | None = None
    kind: str = "survival"
    competing: tuple[str, ...] = ()

    @property
    def cause(self) -> str:
        """``"relapse"`` or ``"nrm"`` for a cumulative incidence (``""`` for survival)."""
        if self.kind != "cumulative_incidence":
            return ""
        return INCIDENCE_CAUSES.get((tuple(self.events), tuple(self.competing)), "")

    @property
    def median_bounds(self) -> tuple[tuple[str, float, float] | None, ...]:
        """Printed CI limits of the median as ``(text, lo, hi)`` for ``lower`` and ``upper``.

        ``()`` without a printed CI; a limit printed ``NR`` (not reached) is
        ``("NR", nan, nan)``: the band never crosses 1/2 in the data, so the reproduced limit
        must be NaN (R's ``print.survfit`` convention).
        """
        ci = self.median_ci
        if ci is None:
            return ()
        out: list[tuple[str, float, float] | None] = []
        for v, iv, d in (
            (ci.lower, ci.lower_interval, ci.decimals[1]),
            (ci.upper, ci.upper_interval, ci.decimals[2]),
        ):
            if v is None:
                out.append(("NR", math.nan, math.nan))
            else:
                out.append((f"{v:.{d}f}", iv[0], iv[1]))
        return tuple(out)


@dataclass(frozen=True)
class FollowUpFacts:
    """The printed follow-up summary: median and range (in the trial's unit) and its definition.

    ``definition`` is ``"survivors"`` (median potential follow-up of patients alive at cutoff),
    ``"reverse-km"`` (Schemper & Smith 1996: KM with death as censoring), ``"all"`` (median
    observed time of all patients) or ``"unknown"`` (every definition is tried and the report
    says which fit). The range is of the same times: survivors' follow-up for ``"survivors"``,
    observed times of all patients otherwise.
    """

    median: SpecNumber | None = None
    range: tuple[SpecNumber, SpecNumber] | None = None
    definition: str = "unknown"

    @property
    def definitions(self) -> tuple[str, ...]:
        """The definitions to try."""
        return FOLLOWUP_DEFINITIONS if self.definition == "unknown" else (self.definition,)


@dataclass(frozen=True)
class EventFact:
    """One patient's printed event: a death, a relapse or a censored time, with its time if printed.

    ``kind = "censored"`` is a patient alive and event-free whose observed (censored) time is
    ``time`` (printed with a ``+``, e.g. ``"43.6+"``). ``time`` is a printed number in the
    trial's unit (its rounding interval under the trial's convention is used);
    ``earliest``/``latest`` bound an unprinted time (same unit); ``relapse_before`` says for a
    death whether the patient had relapsed (progressed) earlier (``None``: unknown).
    Distinct event facts of one reading belong to distinct patients.
    """

    id: str
    kind: str
    time: SpecNumber | None = None
    earliest: float | None = None
    latest: float | None = None
    relapse_before: bool | None = None
    note: str = ""

    def window(self) -> tuple[float, float]:
        """Interval of allowed event times (trial unit); ``(0, inf)`` when unconstrained."""
        lo, hi = 0.0, math.inf
        if self.time is not None and not math.isnan(self.time.value):
            lo, hi = self.time.lower, self.time.upper
        if self.earliest is not None:
            lo = max(lo, self.earliest)
        if self.latest is not None:
            hi = min(hi, self.latest)
        return lo, hi


@dataclass(frozen=True)
class Reading:
    """One reading of facts the sources disagree on: which individual events it holds."""

    name: str
    events: tuple[str, ...]
    description: str = ""
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Trial:
    """A trial specification (see ``docs/trial-spec.md``).

    Build it with :meth:`from_toml`, :meth:`from_dict` or directly; the constructor validates
    every fact and raises ``ValueError``/``TypeError`` naming the offending key.

    Attributes
    ----------
    id, title : str
        Registry id (e.g. ``"NCT04599556"``) and a short title.
    n : int
        Number of patients (at least 1).
    accrual_start, accrual_end, cutoff : datetime.date
        Window of entry (time-origin) dates and the data cutoff; ``start <= end <= cutoff``.
    followup : FollowUpFacts
    endpoints : tuple of Endpoint
    counts : mapping name -> (min, max)
        Counts at cutoff: ``deaths``, ``relapses``, ``alive``, ``alive_relapse_free``.
    deaths_listed : bool
        True when the individual death events of a reading are all the deaths.
    events : tuple of EventFact
    readings : tuple of Reading
        Alternative readings; a spec without readings has one reading holding every event.
    origin, unit : str
        Time origin (text) and unit (``months`` = 365.25/12 days, ``days``, ``weeks``, ``years``).
    earliest_relapse : float
        Earliest time (trial unit) a relapse can be observed, e.g. the first response
        assessment; ``0`` (default) allows day 1. Relapse days are whole days at or after
        ``ceil(earliest_relapse * days per unit)`` (and at least day 1).
    sources, assumptions : tuple of str
    rounding : {"nearest", "truncate", "unknown"}
        The paper's one rounding convention (default ``"nearest"``); ``"unknown"`` tries
        nearest first and truncation only if nearest is proven impossible.
    censoring : CensoringFacts
        Censoring before the cutoff (``[censoring]``).
    event_groups : tuple of EventGroup
        Printed counts of events with the printed range of their times.
    incidence_endpoints : tuple of Endpoint
        Endpoints of kind ``"cumulative_incidence"`` (relapse / NRM incidences), kept apart
        from the Kaplan-Meier ``endpoints``; names are unique across both.
    """

    id: str
    n: int
    accrual_start: _dt.date
    accrual_end: _dt.date
    cutoff: _dt.date
    endpoints: tuple[Endpoint, ...]
    followup: FollowUpFacts = FollowUpFacts()
    counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    deaths_listed: bool = False
    events: tuple[EventFact, ...] = ()
    readings: tuple[Reading, ...] = ()
    title: str = ""
    origin: str = "entry"
    unit: str = "months"
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    earliest_relapse: float = 0.0
    rounding: str = "nearest"
    censoring: CensoringFacts = CensoringFacts()
    ci_method: str = "per-endpoint"
    event_groups: tuple[EventGroup, ...] = ()
    incidence_endpoints: tuple[Endpoint, ...] = ()

    def __post_init__(self) -> None:
        _validate(self)
        if not self.readings:
            object.__setattr__(
                self,
                "readings",
                (Reading("as printed", tuple(e.id for e in self.events), "every listed event"),),
            )

    # ------------------------------------------------------------------ conveniences
    @property
    def convention(self) -> Convention:
        """The convention every number is judged under now (``"unknown"`` starts at nearest)."""
        return "truncate" if self.rounding == "truncate" else "nearest"

    def with_rounding(self, convention: Convention) -> Trial:
        """The same facts with every printed number judged under ``convention``."""
        if convention not in ("nearest", "truncate"):
            raise ValueError(f"convention must be 'nearest' or 'truncate', got {convention!r}")

        def num(x: SpecNumber | None) -> SpecNumber | None:
            return None if x is None else dataclasses.replace(x, convention=convention)

        fu = self.followup
        rng = None if fu.range is None else (num(fu.range[0]), num(fu.range[1]))
        eps = tuple(
            dataclasses.replace(
                e,
                median=num(e.median),
                median_ci=None if e.median_ci is None else e.median_ci.with_rounding(convention),
            )
            for e in self.endpoints
        )
        return dataclasses.replace(
            self,
            rounding=convention,
            followup=dataclasses.replace(fu, median=num(fu.median), range=rng),  # type: ignore[arg-type]
            endpoints=eps,
            events=tuple(dataclasses.replace(e, time=num(e.time)) for e in self.events),
            event_groups=tuple(
                dataclasses.replace(g, earliest=num(g.earliest), latest=num(g.latest))
                for g in self.event_groups
            ),
        )

    @property
    def unit_days(self) -> float:
        """Days per time unit."""
        return UNIT_DAYS[self.unit]

    @property
    def earliest_relapse_day(self) -> int:
        """First whole day (>= 1) on which a relapse can be observed."""
        return max(1, math.ceil(self.earliest_relapse * self.unit_days - 1e-9))

    @property
    def max_followup(self) -> float:
        """Longest possible follow-up (cutoff - accrual start) in the trial's unit."""
        return (self.cutoff - self.accrual_start).days / self.unit_days

    def endpoint(self, name: str) -> Endpoint:
        """The endpoint called ``name`` (case-insensitive; survival or cumulative incidence)."""
        for ep in (*self.endpoints, *self.incidence_endpoints):
            if ep.name.lower() == name.lower():
                return ep
        names = [e.name for e in (*self.endpoints, *self.incidence_endpoints)]
        raise KeyError(f"no endpoint {name!r}; the spec has {names}")

    def event(self, event_id: str) -> EventFact:
        """The event fact with id ``event_id``."""
        for ev in self.events:
            if ev.id == event_id:
                return ev
        raise KeyError(f"no event {event_id!r}")

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_toml(cls, path: str | Path) -> Trial:
        """Read and validate a TOML spec file (schema: ``docs/trial-spec.md``)."""
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"trial spec {str(p)!r} not found")
        with open(p, "rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ValueError(f"{p.name}: not valid TOML: {exc}") from None
        return cls.from_dict(data, source=p.name)

    @classmethod
    def from_toml_string(cls, text: str) -> Trial:
        """Read and validate a TOML spec given as a string."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"not valid TOML: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "spec") -> Trial:
        """Build a Trial from the parsed TOML tables; unknown keys are an error."""
        return _from_dict(data, source)

    @classmethod
    def seed(cls) -> Trial:
        """The bundled seed trial, NCT04599556 (CD7 CAR-T followed by haploidentical HSCT)."""
        return cls.from_toml(bundled_spec_path())


def bundled_spec_path() -> Path:
    """Path of the seed spec shipped inside the package (``survkit/data/nct04599556.toml``)."""
    return Path(__file__).resolve().parent.parent / "data" / "nct04599556.toml"


# ----------------------------------------------------------------------------- TOML -> Trial
_TOP_KEYS = {
    "trial",
    "accrual",
    "followup",
    "endpoints",
    "counts",
    "events",
    "readings",
    "assumptions",
    "censoring",
    "event_groups",
}
_TRIAL_KEYS = {
    "id", "title", "n", "origin", "unit", "sources", "earliest_relapse", "rounding", "ci_method"
}
#: ``[trial] ci_method``: one CI method per endpoint (default), one for the whole paper, or a
#: named method (a transform, or ``hand/<transform>``: landmarks by hand, medians by software).
CI_METHOD_WORDS = ("per-endpoint", "one")
_CENSORING_KEYS = {"early", "reasons"}
_EVENT_GROUP_KEYS = {"kind", "count", "earliest", "latest"}
_ACCRUAL_KEYS = {"start", "end", "cutoff"}
_FOLLOWUP_KEYS = {"median", "range", "definition"}
_ENDPOINT_KEYS = {"name", "events", "landmarks", "median", "kind", "competing"}
_LANDMARK_KEYS = {"time", "text"}
_EVENT_KEYS = {"id", "kind", "time", "earliest", "latest", "relapse_before", "note"}
_READING_KEYS = {"name", "events", "description", "counts"}


def _array_of_tables(data: Mapping[str, Any], key: str) -> list[Any]:
    """``data[key]`` as a list (``[[key]]`` in TOML), empty when absent."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise TypeError(f"[[{key}]] must be an array of tables")
    return value


def _check_keys(table: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(table, Mapping):
        raise TypeError(f"[{where}] must be a table, got {type(table).__name__}")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(
            f"unknown key {unknown[0]!r} in [{where}]; allowed keys: {', '.join(sorted(allowed))}"
        )
    return table


def _date(value: Any, where: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{where} must be a date (YYYY-MM-DD), got {value!r}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{where} must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{where} must be finite, got {value!r}")
    return v


_MEDIAN_HELP = (
    'a printed number ("14.2" or "NR") or a median with its CI '
    '("14.2 months (95% CI, 10.1 to NR)", "NR (95% CI, 4.6 to NR)")'
)
_NR_EST = re.compile(
    r"^(?P<pre>[^0-9(\[]*?)\b(?P<nr>NR|NE|not\s+reached|not\s+estimable)\b(?P<post>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _median(value: Any, where: str, unit: str, conv: Convention) -> dict[str, Any]:
    """A printed median: ``{"median": SpecNumber}`` plus ``"median_ci"`` when a CI is printed.

    The CI text is parsed by :func:`survkit.check.parse.parse_endpoint` and must be a time
    (``kind="time"``). An estimate printed ``NR`` with a CI (``"NR (95% CI, 4.6 to NR)"``)
    is accepted: its upper limit must then be ``NR`` too (an unreached median has an
    unreached upper limit).
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"{where} must be {_MEDIAN_HELP}; got {value!r}")
    text = str(value).strip()
    if not re.search(r"[(\[]", text):
        try:
            return {"median": SpecNumber.parse(value, where, conv)}
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not {_MEDIAN_HELP}") from None
    est_nr = False
    to_parse = text
    m = _NR_EST.match(text)
    if m is not None and re.match(r"\s*(?:[a-z.]+\s*)?[(\[]", m.group("post"), re.IGNORECASE):
        # parse_endpoint needs a numeric estimate: stand in one above every printed limit
        est_nr = True
        to_parse = m.group("pre") + "999999" + m.group("post")
    if not re.search(r"\bmedian\b", to_parse, re.IGNORECASE):
        to_parse = "median " + to_parse  # the key says it is a median (a time)
    try:
        rep = parse_endpoint(to_parse, rounding=conv)
    except ValueError as exc:
        if est_nr and "upper" in str(exc):
            raise ValueError(
                f"{where}: {value!r}: a median not reached cannot have a reached upper limit"
            ) from None
        raise ValueError(f"{where}: cannot read {value!r} as {_MEDIAN_HELP}: {exc}") from None
    if rep.kind != "time":  # pragma: no cover - "median" is always in the parsed text
        raise ValueError(f"{where}: {value!r} is not a time (median)")
    if rep.value_unit is not None and rep.value_unit + "s" != unit:
        raise ValueError(
            f"{where}: {value!r} is in {rep.value_unit}s but the trial's unit is {unit}"
        )
    if est_nr:
        if rep.upper is not None:
            raise ValueError(
                f"{where}: {value!r}: a median not reached cannot have a reached upper limit"
            )
        return {"median": SpecNumber.parse("NR", where, conv), "median_ci": rep}
    d = rep.decimals[0]
    return {"median": SpecNumber.parse(f"{rep.estimate:.{d}f}", where, conv), "median_ci": rep}


def _count(value: Any, where: str) -> tuple[int, int] | str:
    if value == "listed":
        return "listed"
    if isinstance(value, Mapping):
        _check_keys(value, {"min", "max"}, where)
        lo = value.get("min", 0)
        hi = value.get("max", 10**9)
        if (
            isinstance(lo, bool)
            or isinstance(hi, bool)
            or not isinstance(lo, int)
            or not isinstance(hi, int)
        ):
            raise TypeError(f"{where}: min/max must be integers, got {dict(value)!r}")
        return (lo, hi)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f'{where} must be an integer, {{min, max}} or "listed"; got {value!r}')
    return (value, value)


def _counts_table(table: Any, where: str) -> tuple[dict[str, tuple[int, int]], bool]:
    tab = _check_keys(table, set(COUNT_NAMES), where)
    out: dict[str, tuple[int, int]] = {}
    listed = False
    for k, v in tab.items():
        c = _count(v, f"{where}.{k}")
        if isinstance(c, str):  # "listed"
            if k != "deaths":
                raise ValueError(f'{where}.{k}: only deaths may be "listed"')
            listed = True
        else:
            out[k] = c
    return out, listed


def _from_dict(data: Mapping[str, Any], source: str) -> Trial:
    _check_keys(data, _TOP_KEYS, "top level")
    if "trial" not in data:
        raise ValueError(f"{source}: missing [trial] table")
    t = _check_keys(data["trial"], _TRIAL_KEYS, "trial")
    for key in ("id", "n"):
        if key not in t:
            raise ValueError(f"[trial] is missing {key!r}")
    if "accrual" not in data:
        raise ValueError(f"{source}: missing [accrual] table")
    acc = _check_keys(data["accrual"], _ACCRUAL_KEYS, "accrual")
    for key in ("start", "end", "cutoff"):
        if key not in acc:
            raise ValueError(f"[accrual] is missing {key!r}")
    rounding = t.get("rounding", "nearest")
    if rounding not in SPEC_ROUNDINGS:
        raise ValueError(
            f"[trial] rounding must be one of {list(SPEC_ROUNDINGS)}, got {rounding!r}"
        )
    conv: Convention = "truncate" if rounding == "truncate" else "nearest"

    def num(value: Any, where: str, kind: Kind = "time") -> SpecNumber:
        return SpecNumber.parse(value, where, conv, kind)

    fu = FollowUpFacts()
    if "followup" in data:
        f = _check_keys(data["followup"], _FOLLOWUP_KEYS, "followup")
        rng = None
        if "range" in f:
            r = f["range"]
            if not isinstance(r, Sequence) or isinstance(r, str) or len(r) != 2:
                raise ValueError(f"[followup] range must be two printed numbers, got {r!r}")
            rng = (num(r[0], "followup.range[0]"), num(r[1], "followup.range[1]"))
        fu = FollowUpFacts(
            median=num(f["median"], "followup.median") if "median" in f else None,
            range=rng,
            definition=str(f.get("definition", "unknown")),
        )

    endpoints: list[Endpoint] = []
    incidences: list[Endpoint] = []
    eps = _array_of_tables(data, "endpoints")
    for i, e in enumerate(eps):
        e = _check_keys(e, _ENDPOINT_KEYS, f"endpoints[{i}]")
        if "name" not in e:
            raise ValueError(f"[[endpoints]] #{i} is missing 'name'")
        lms = []
        for j, lm in enumerate(e.get("landmarks", [])):
            lm = _check_keys(lm, _LANDMARK_KEYS, f"endpoints[{i}].landmarks[{j}]")
            if "time" not in lm or "text" not in lm:
                raise ValueError(f"endpoints[{i}].landmarks[{j}] needs 'time' and 'text'")
            lms.append(
                Landmark(
                    _number(lm["time"], f"endpoints[{i}].landmarks[{j}].time"), str(lm["text"])
                )
            )
        events = e.get("events", ["death"] if str(e["name"]).upper() == "OS" else None)
        if events is None:
            raise ValueError(f'endpoint {e["name"]!r}: give its events, e.g. ["relapse", "death"]')
        if isinstance(events, str):
            events = [events]
        kind = e.get("kind", "survival")
        if kind not in ENDPOINT_KINDS:
            raise ValueError(
                f"endpoints[{i}] ({e['name']!r}): unknown kind {kind!r}; use one of "
                f"{list(ENDPOINT_KINDS)}"
            )
        if kind == "cumulative_incidence":
            competing = e.get("competing")
            if competing is None:
                raise ValueError(
                    f"endpoints[{i}] ({e['name']!r}): kind \"cumulative_incidence\" needs "
                    'its competing events, e.g. competing = ["death"]'
                )
            if isinstance(competing, str):
                competing = [competing]
            if "median" in e:
                raise ValueError(
                    f"endpoints[{i}] ({e['name']!r}): a cumulative incidence has no median; "
                    "give landmarks"
                )
            incidences.append(
                Endpoint(
                    name=str(e["name"]),
                    events=tuple(str(x) for x in events),
                    landmarks=tuple(lms),
                    kind="cumulative_incidence",
                    competing=tuple(str(x) for x in competing),
                )
            )
            continue
        if "competing" in e:
            raise ValueError(f"endpoints[{i}]: 'competing' needs kind = \"cumulative_incidence\"")
        endpoints.append(
            Endpoint(
                name=str(e["name"]),
                events=tuple(str(x) for x in events),
                landmarks=tuple(lms),
                **_median(e["median"], f"endpoints[{i}].median", str(t.get("unit", "months")), conv)
                if "median" in e
                else {},
            )
        )

    counts: dict[str, tuple[int, int]] = {}
    listed = False
    if "counts" in data:
        counts, listed = _counts_table(data["counts"], "counts")

    evs: list[EventFact] = []
    raw_events = _array_of_tables(data, "events")
    for i, ev in enumerate(raw_events):
        ev = _check_keys(ev, _EVENT_KEYS, f"events[{i}]")
        for key in ("id", "kind"):
            if key not in ev:
                raise ValueError(f"events[{i}] is missing {key!r}")
        rb = ev.get("relapse_before")
        if rb is not None and not isinstance(rb, bool):
            raise TypeError(f"events[{i}].relapse_before must be true or false, got {rb!r}")
        evs.append(
            EventFact(
                id=str(ev["id"]),
                kind=str(ev["kind"]),
                time=_event_time(ev, i, conv) if "time" in ev else None,
                earliest=_number(ev["earliest"], f"events[{i}].earliest")
                if "earliest" in ev
                else None,
                latest=_number(ev["latest"], f"events[{i}].latest") if "latest" in ev else None,
                relapse_before=rb,
                note=str(ev.get("note", "")),
            )
        )

    readings: list[Reading] = []
    raw_readings = _array_of_tables(data, "readings")
    for i, rd in enumerate(raw_readings):
        rd = _check_keys(rd, _READING_KEYS, f"readings[{i}]")
        if "name" not in rd or "events" not in rd:
            raise ValueError(f"readings[{i}] needs 'name' and 'events'")
        rc: dict[str, tuple[int, int]] = {}
        if "counts" in rd:
            rc, rl = _counts_table(rd["counts"], f"readings[{i}].counts")
            if rl:
                raise ValueError(f'readings[{i}].counts: "listed" belongs in [counts]')
        readings.append(
            Reading(
                str(rd["name"]),
                tuple(str(x) for x in rd["events"]),
                str(rd.get("description", "")),
                rc,
            )
        )

    censoring = CensoringFacts()
    if "censoring" in data:
        c = _check_keys(data["censoring"], _CENSORING_KEYS, "censoring")
        reasons = c.get("reasons", ())
        if isinstance(reasons, str):
            reasons = (reasons,)
        if not isinstance(reasons, Sequence) or not all(isinstance(x, str) for x in reasons):
            raise TypeError(f"[censoring] reasons must be a list of texts, got {reasons!r}")
        censoring = CensoringFacts(_early(c.get("early", "unknown")), tuple(reasons))
    groups: list[EventGroup] = []
    for i, g in enumerate(_array_of_tables(data, "event_groups")):
        g = _check_keys(g, _EVENT_GROUP_KEYS, f"event_groups[{i}]")
        for key in ("kind", "count"):
            if key not in g:
                raise ValueError(f"event_groups[{i}] is missing {key!r}")
        cnt = _count(g["count"], f"event_groups[{i}].count")
        if isinstance(cnt, str):
            raise ValueError(f'event_groups[{i}].count: "listed" is for [counts] deaths only')
        groups.append(
            EventGroup(
                kind=str(g["kind"]),
                count=cnt,
                earliest=num(g["earliest"], f"event_groups[{i}].earliest")
                if "earliest" in g
                else None,
                latest=num(g["latest"], f"event_groups[{i}].latest") if "latest" in g else None,
            )
        )

    srcs = t.get("sources", ())
    if isinstance(srcs, str):
        srcs = (srcs,)
    assumptions = data.get("assumptions", ())
    if isinstance(assumptions, str):
        assumptions = (assumptions,)
    n = t["n"]
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"[trial] n must be an integer, got {n!r}")
    return Trial(
        id=str(t["id"]),
        title=str(t.get("title", "")),
        n=n,
        origin=str(t.get("origin", "entry")),
        unit=str(t.get("unit", "months")),
        sources=tuple(str(s) for s in srcs),
        accrual_start=_date(acc["start"], "accrual.start"),
        accrual_end=_date(acc["end"], "accrual.end"),
        cutoff=_date(acc["cutoff"], "accrual.cutoff"),
        followup=fu,
        endpoints=tuple(endpoints),
        counts=counts,
        deaths_listed=listed,
        events=tuple(evs),
        readings=tuple(readings),
        assumptions=tuple(str(a) for a in assumptions),
        earliest_relapse=_number(t["earliest_relapse"], "[trial] earliest_relapse")
        if "earliest_relapse" in t
        else 0.0,
        rounding=str(rounding),
        ci_method=_ci_method(t.get("ci_method", "per-endpoint")),
        censoring=censoring,
        event_groups=tuple(groups),
        incidence_endpoints=tuple(incidences),
    )


def _ci_method(value: Any) -> str:
    """``[trial] ci_method``: ``per-endpoint``, ``one``, a transform or ``hand/<transform>``."""
    from survkit.estimate.ci import CONF_TYPES

    names = (*CI_METHOD_WORDS, *CONF_TYPES, *(f"hand/{c}" for c in CONF_TYPES))
    if not isinstance(value, str) or value not in names:
        raise ValueError(f"[trial] ci_method must be one of {list(names)}, got {value!r}")
    return value


def _early(value: Any) -> str | tuple[int, int]:
    """``[censoring] early``: a word, a count or ``{min, max}``."""
    if isinstance(value, str):
        if value not in EARLY_CENSORING_WORDS:
            raise ValueError(
                f"[censoring] early must be one of {list(EARLY_CENSORING_WORDS)}, a count or "
                f"{{min, max}}; got {value!r}"
            )
        return value
    c = _count(value, "[censoring] early")
    if isinstance(c, str):
        raise ValueError('[censoring] early cannot be "listed"')
    return c


def _event_time(ev: Mapping[str, Any], i: int, conv: Convention) -> SpecNumber:
    """The printed time of an event; a censored time may (and only it may) end with ``+``."""
    raw = ev["time"]
    where = f"events[{i}].time"
    if isinstance(raw, str) and raw.strip().endswith("+"):
        if ev.get("kind") != "censored":
            raise ValueError(
                f'{where}: {raw!r} ends with "+" (censored) but kind is {ev.get("kind")!r}'
            )
        raw = raw.strip()[:-1]
    return SpecNumber.parse(raw, where, conv)


# ----------------------------------------------------------------------------- validation
def _validate(t: Trial) -> None:
    if isinstance(t.n, bool) or not isinstance(t.n, int):
        raise TypeError(f"n must be an integer, got {t.n!r}")
    if t.n < 1:
        raise ValueError(f"n must be at least 1, got {t.n}")
    if t.unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {sorted(UNIT_DAYS)}, got {t.unit!r}")
    if not (t.accrual_start <= t.accrual_end):
        raise ValueError(
            f"dates out of order: accrual start {t.accrual_start} is after "
            f"accrual end {t.accrual_end}"
        )
    if not (t.accrual_end <= t.cutoff):
        raise ValueError(
            f"dates out of order: accrual end {t.accrual_end} is after the data cutoff {t.cutoff}"
        )
    er = t.earliest_relapse
    if isinstance(er, bool) or not isinstance(er, (int, float)) or not math.isfinite(er):
        raise TypeError(f"earliest_relapse must be a finite number, got {er!r}")
    if er < 0:
        raise ValueError(f"earliest_relapse must be non-negative, got {er!r}")
    if er > (t.cutoff - t.accrual_start).days / UNIT_DAYS[t.unit]:
        raise ValueError(
            f"earliest_relapse {er:g} {t.unit} is after the longest possible follow-up"
        )
    if t.followup.definition not in (*FOLLOWUP_DEFINITIONS, "unknown"):
        raise ValueError(
            f"followup.definition must be one of {[*FOLLOWUP_DEFINITIONS, 'unknown']}, "
            f"got {t.followup.definition!r}"
        )
    maxfu = (t.cutoff - t.accrual_start).days / UNIT_DAYS[t.unit]
    fu = t.followup
    if fu.range is not None:
        rlo, rhi = fu.range
        if rlo.value > rhi.value:
            raise ValueError(f"followup range {rlo.text}-{rhi.text}: minimum above maximum")
        if rhi.lower > maxfu:
            raise ValueError(
                f"followup range maximum {rhi.text} {t.unit} exceeds the longest "
                f"possible follow-up {maxfu:.2f} (cutoff - accrual start)"
            )
    if fu.median is not None and fu.median.lower > maxfu:
        raise ValueError(f"followup median {fu.median.text} exceeds the longest possible follow-up")
    if not t.endpoints:
        raise ValueError("a trial spec needs at least one endpoint of kind \"survival\"")
    every_ep = (*t.endpoints, *t.incidence_endpoints)
    names = [e.name.lower() for e in every_ep]
    if len(set(names)) != len(names):
        raise ValueError(f"endpoint names repeat: {[e.name for e in every_ep]}")
    for ep in t.endpoints:
        if ep.kind != "survival":
            raise ValueError(
                f"endpoint {ep.name!r}: kind {ep.kind!r} belongs in incidence_endpoints"
            )
    for ep in t.incidence_endpoints:
        if ep.kind != "cumulative_incidence":
            raise ValueError(
                f"endpoint {ep.name!r}: incidence_endpoints hold kind "
                f'"cumulative_incidence", got {ep.kind!r}'
            )
        if not ep.cause:
            raise ValueError(
                f"endpoint {ep.name!r}: a cumulative incidence is of relapse with death "
                'competing (events = ["relapse"], competing = ["death"]) or of death without '
                'prior relapse (events = ["death"], competing = ["relapse"]); got events = '
                f"{list(ep.events)}, competing = {list(ep.competing)}"
            )
        if not ep.landmarks:
            raise ValueError(f"endpoint {ep.name!r}: a cumulative incidence needs landmarks")
        if ep.median is not None:
            raise ValueError(f"endpoint {ep.name!r}: a cumulative incidence has no median")
    for ep in every_ep:
        if not ep.events:
            raise ValueError(f"endpoint {ep.name!r} has no events")
        for k in ep.events:
            if k not in EVENT_KINDS:
                raise ValueError(
                    f"endpoint {ep.name!r}: unknown event kind {k!r}; use {EVENT_KINDS}"
                )
        for lm in ep.landmarks:
            try:
                lm.estimate(t.convention)  # parsed once here: a bad text fails at load
            except ValueError as exc:
                raise ValueError(f"endpoint {ep.name!r}: landmark {lm.text!r}: {exc}") from None
            if lm.time <= 0:
                raise ValueError(
                    f"endpoint {ep.name!r}: landmark time must be positive, got {lm.time}"
                )
            if lm.time > maxfu:
                raise ValueError(
                    f"endpoint {ep.name!r}: landmark at {lm.time:g} {t.unit} is after the cutoff "
                    f"(the longest possible follow-up is {maxfu:.2f} {t.unit})"
                )
    for name, (lo, hi) in t.counts.items():
        _check_count(name, lo, hi, t.n, "counts")
    ids = [e.id for e in t.events]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise ValueError(f"event id {dup!r} is used twice")
    if t.rounding not in SPEC_ROUNDINGS:
        raise ValueError(f"rounding must be one of {list(SPEC_ROUNDINGS)}, got {t.rounding!r}")
    early = t.censoring.early
    if isinstance(early, tuple):
        lo_e, hi_e = early
        if lo_e < 0 or lo_e > hi_e or lo_e > t.n:
            raise ValueError(f"censoring.early = {early!r} must be 0 <= min <= max, min <= n")
    elif early not in EARLY_CENSORING_WORDS:
        raise ValueError(
            f"censoring.early must be one of {list(EARLY_CENSORING_WORDS)}, got {early!r}"
        )
    for j, g in enumerate(t.event_groups):
        if g.kind not in EVENT_KINDS:
            raise ValueError(f"event_groups[{j}]: unknown kind {g.kind!r}; use {EVENT_KINDS}")
        _check_count(g.kind + "s", g.count[0], g.count[1], t.n, f"event_groups[{j}]")
        if g.earliest is not None and g.latest is not None and g.earliest.value > g.latest.value:
            raise ValueError(
                f"event_groups[{j}]: earliest {g.earliest.text} is after latest {g.latest.text}"
            )
    for ev in t.events:
        if ev.kind not in EVENT_FACT_KINDS:
            raise ValueError(f"event {ev.id!r}: unknown kind {ev.kind!r}; use {EVENT_FACT_KINDS}")
        wlo, whi = ev.window()
        if wlo > whi:
            raise ValueError(f"event {ev.id!r}: empty time window [{wlo}, {whi}]")
        if wlo > maxfu:
            raise ValueError(f"event {ev.id!r} at {wlo:g} {t.unit} is after the cutoff")
        if ev.kind == "relapse" and 0 < whi < er:
            raise ValueError(
                f"event {ev.id!r}: relapse window ends at {whi:g} {t.unit}, before "
                f"earliest_relapse = {er:g}"
            )
        if ev.kind != "death" and ev.relapse_before is not None:
            raise ValueError(f"event {ev.id!r}: relapse_before applies to deaths only")
    if len(t.events) > t.n:
        raise ValueError(f"{len(t.events)} individual events listed but n = {t.n}")
    known = set(ids)
    for rd in t.readings:
        for e in rd.events:
            if e not in known:
                raise ValueError(f"reading {rd.name!r} names unknown event {e!r}")
        if len(rd.events) > t.n:
            raise ValueError(f"reading {rd.name!r}: {len(rd.events)} events exceed n = {t.n}")
        for name, (lo, hi) in rd.counts.items():
            _check_count(name, lo, hi, t.n, f"reading {rd.name!r} counts")


def _check_count(name: str, lo: int, hi: int, n: int, where: str) -> None:
    if name not in COUNT_NAMES:
        raise ValueError(f"{where}: unknown count {name!r}; use {COUNT_NAMES}")
    if lo < 0:
        raise ValueError(f"{where}.{name} must be non-negative, got {lo}")
    if lo > hi:
        raise ValueError(f"{where}.{name}: min {lo} above max {hi}")
    if lo > n:
        raise ValueError(f"{where}.{name} = {lo} exceeds n = {n}")
