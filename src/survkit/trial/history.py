r"""The history engine: the discrete layer (orderings) first, then the times of each ordering.

For a trial whose printed events all belong to one endpoint ``C`` -- the only endpoint, or the
one with relapse events beside death-only endpoints (overall survival) -- the engine decides
the trial in layers (see :func:`covers` for what it covers).

Discrete layer (:func:`discrete_layer`)
---------------------------------------
A *history* of ``C`` is the whole sequence of its ``E`` events and ``n - E`` censorings
(``E`` as the printed counts allow): the risk-set sizes :math:`r_1 > \dots > r_E` at the
events, where each landmark time :math:`t` falls (:math:`k_t`, the number of events by
:math:`t`), and which events are the median and its CI limits. Given a history the
Kaplan-Meier curve and its bands at every event are fixed (:math:`S_k = \prod_{j \le k}
(1 - 1/r_j)`, Greenwood's :math:`\mathrm{var}\log S_k = \sum_{j \le k} 1/(r_j (r_j - 1))`,
the endpoint's CI method), so:

* every landmark of ``C`` (with or without a CI) holds for exactly the :math:`k` whose curve
  and bands after the :math:`k`-th event print it; the landmarks are checked **jointly**:
  one :math:`k_t` per landmark, non-decreasing in :math:`t`;
* the median and its CI limits are, by R's ``print.survfit`` rule, the first events where the
  curve and the lower / upper band reach 1/2 (``NR``: never), all decided by the history.

Histories are generated from the printed-CI check's list at the latest landmark printed with a
CI whose count is certified (the counting DP's bound equals the number listed; it fixes
:math:`r_1, \dots, r_k` up to that landmark), the earlier landmarks checked on those prefixes
first (:func:`joint_landmark_conflict` does the same for every trial), extended by every
choice of the later risk sets (a uniform sample of :data:`SAMPLED_HISTORIES` when there are
more than :data:`MAX_HISTORIES`: then nothing is proven), and kept when every landmark and
the median print. They are re-analysed in batches with survkit's Kaplan-Meier (the function
the final verification uses) on a synthetic table (event ``j`` at time ``j``). No history
left from a complete list is a **proof**.

Screen (:func:`screen`)
-----------------------
Each history's times form an ordered chain with a box per time (accrual window, landmark
splits, median events, follow-up range of the event-free patients), decided in closed form
for all histories at once (:func:`survkit.trial.timing.chain_bounds`; neighbours may tie
except a censoring before the event after it). An infeasible chain excludes the history; a
censored patient whose largest time is below the shortest potential follow-up (``cutoff -
end of accrual``) was censored early in every ordering of that history, so the smallest such
count over a complete list is a proven lower bound on the early censorings.

Orderings and times (:func:`orderings`)
---------------------------------------
An *ordering* adds to a history the rest of the discrete choices: each event patient's type
(relapse and alive, relapse then death, death; kept when the printed counts hold) and where
its last contact (or death after relapse) falls among the other observed times; ``k`` early
censorings are the ``k`` shortest observed times of the alive patients; each printed
censored time is one event-free patient; a death-only endpoint beside ``C`` gets its
landmark ranks and median patients from the ordering (:func:`_derived`); the follow-up
statistics are order statistics under the draw's definition (reverse Kaplan-Meier at its
rank, potential follow-up with its own order). Given the ordering every other fact is a
difference constraint on whole days, decided by :mod:`survkit.trial.timing` (an infeasible
ordering is excluded).

Early censoring
---------------
With ``[censoring] early = "unknown"`` the engine (driven from :mod:`survkit.trial.exact`)
tries ``k = L, L + 1, ...``, ``L`` the number *proven* needed (:func:`early_lower_bound` and
the screen); the draws use the first ``k`` for which an ordering is feasible. ``k = L`` is
then the proven fewest; a larger ``k`` is the fewest found (the smaller ones not decided).

What the draws are uniform over
-------------------------------
A history uniformly among those kept; given it, each event patient's type uniformly, its
contact time uniformly among the slots after its event (ties in a slot in random order), the
patient carrying a printed censored time uniformly among the event-free patients whose time
can lie in its window; the ordering is kept when its constraint system is feasible (so a
history's weight is proportional to the share of its feasible orderings); the follow-up
definitions that fit in about equal shares. Given the ordering, whole-day times uniformly over
the integer points of its polytope (a Gibbs sampler, :func:`survkit.trial.timing.sample`,
:data:`SWEEPS` sweeps from the centre of the variables' ranges: its stationary law is that
uniform law, and coupled chains from the extreme solutions meet within those sweeps on the
real trials measured), the potential follow-up of an early censored patient (or of a dead
patient) uniformly above its observed time. Each draw is an independent ordering.

Overall survival printed with a CI beside ``C`` (:func:`needs_plans`): the event types are
drawn with the printed death count (:func:`_draw_types`, the same law as uniform types kept
when the count holds) and the order of the last contacts comes from a local search
(:func:`derived_plans`); those orderings are **not** uniform over the feasible ones.

Larger ``n``: the base landmark's list may come from the printed-CI check run once per event
count (:mod:`survkit.trial.listing`), complete when every count's list is certified.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from survkit.trial.facts import FactKey
from survkit.trial.methods import (
    MethodFinding,
    band_transform,
    endpoint_method,
    landmark_method,
)
from survkit.trial.problem import day_window
from survkit.trial.spec import Endpoint, Trial
from survkit.trial.timing import (
    DifferenceSystem,
    chain_bounds,
    chain_conflict,
    closure,
    feasible,
    sample,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "Discrete",
    "History",
    "Orderings",
    "covers",
    "discrete_layer",
    "early_lower_bound",
    "joint_landmark_conflict",
    "orderings",
    "potential_excluded",
    "screen",
]

#: Most histories the discrete layer enumerates before declaring the trial outside its reach.
MAX_HISTORIES = 200_000
#: Histories drawn uniformly (with repeats removed) when there are more than MAX_HISTORIES.
SAMPLED_HISTORIES = 20_000
#: Gibbs sweeps per draw over an ordering's polytope.
SWEEPS = 300


@dataclass(frozen=True)
class History:
    """One history of the endpoint: risk sets at its events, landmark splits, median events.

    ``splits[i]`` is the number of events by the ``i``-th landmark (endpoint order);
    ``median_events`` the 1-based event that is the median, its lower and its upper CI limit
    (``0``: not reached or not printed).
    """

    at_risk: tuple[int, ...]
    splits: tuple[int, ...]
    median_events: tuple[int, int, int]


@dataclass(frozen=True)
class Discrete:
    """What the discrete layer decided for one endpoint."""

    endpoint: str
    histories: tuple[History, ...]
    exhaustive: bool
    proof: str


def _composite(trial: Trial) -> Endpoint | None:
    """The endpoint whose history the discrete layer lists: the only endpoint, or the one with
    relapse events beside death-only endpoints (overall survival: its history is then the
    ordering's, see :func:`_derived`)."""
    if len(trial.endpoints) == 1:
        return trial.endpoints[0]
    eps = [e for e in trial.endpoints if "relapse" in e.events]
    if len(eps) == 1 and all(
        set(e.events) <= {"death"} for e in trial.endpoints if e is not eps[0]
    ):
        return eps[0]
    return None


def event_range(trial: Trial) -> tuple[int, int]:
    """The numbers of endpoint events the printed counts allow."""
    n = trial.n
    rel = trial.counts.get("relapses", (0, n))
    dth = trial.counts.get("deaths", (0, n))
    ep = _composite(trial)
    assert ep is not None
    ev = set(ep.events)
    if ev == {"death"}:
        return dth[0], min(dth[1], n)
    if dth == (0, 0) or ev == {"relapse"}:
        return rel[0], min(rel[1], n)
    return max(rel[0], dth[0]), min(n, rel[1] + dth[1])


def covers(trial: Trial, conf_type: str, findings: list[MethodFinding]) -> str:
    """Why the history engine does not cover ``trial`` (``""``: it does).

    Covered: one reading; one endpoint carrying every event (the only endpoint, or, with
    ``deaths = 0`` printed, the one with relapse events beside death-only endpoints); a CI
    transform (not a hand calculation); at least one landmark of that endpoint printed with a
    CI whose history list is exhaustive; no event groups, incidences or individual events
    other than censored times; early censoring ``none``, ``unknown`` or a count.
    """
    if len(trial.readings) != 1:
        return "several readings"
    ep = _composite(trial)
    if ep is None:
        return "not one endpoint carrying every event"
    if any(set(e.events) - {"death"} for e in trial.endpoints if e is not ep):
        return "not one endpoint carrying every event"
    ep_ct = endpoint_method(conf_type, ep.name)
    if landmark_method(ep_ct) != ep_ct:
        return "landmarks computed by hand"
    if trial.event_groups or trial.incidence_endpoints:
        return "event groups or incidences"
    if any(ev.kind != "censored" for ev in trial.events):
        return "individual deaths or relapses"
    if trial.censoring.early == "allowed":
        return "early censoring allowed without a count"
    if trial.earliest_relapse > 0:
        return "an earliest relapse"
    if _base_finding(ep, conf_type, findings) is None:
        return "no landmark with an exhaustive history list"
    if not set(trial.followup.definitions) <= {"survivors", "all", "reverse-km", "potential"}:
        return "follow-up definition"
    return ""


def _base_finding(
    ep: Endpoint, conf_type: str, findings: list[MethodFinding]
) -> MethodFinding | None:
    """The latest landmark of ``ep`` printed with a CI whose history list is exhaustive."""
    ok = [
        f
        for f in findings
        if f.endpoint == ep.name
        and f.total_events.get(landmark_method(endpoint_method(conf_type, ep.name))) is not None
    ]
    return max(ok, key=lambda f: f.time) if ok else None


def potential_excluded(trial: Trial) -> str:
    """Why no table prints the follow-up range as potential follow-up (``""``: not excluded)."""
    f = trial.followup
    if f.range is None:
        return ""
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    _, b = day_window(f.range[0].lower, f.range[0].upper, trial.unit_days)
    if b < fu_lo:
        return (
            f"potential follow-up is at least {fu_lo / trial.unit_days:.2f} {trial.unit} "
            f"(cutoff - end of accrual), the printed shortest is {f.range[0].text}"
        )
    a, _ = day_window(f.range[1].lower, f.range[1].upper, trial.unit_days)
    if a > fu_hi:
        return (
            f"potential follow-up is at most {fu_hi / trial.unit_days:.2f} {trial.unit}, the "
            f"printed longest is {f.range[1].text}"
        )
    return ""


def early_lower_bound(trial: Trial, definitions: list[str]) -> tuple[int, str]:
    """Early censorings proven needed by interval bounds alone, and why.

    A patient alive and followed to the cutoff is observed at least ``cutoff - end of
    accrual``. Under the follow-up ``definitions`` left (potential follow-up excluded), if
    the printed shortest follow-up is below that it is an alive patient's observed time --
    always when no patient died, else when the only definition is ``survivors`` -- so one
    early censoring is needed; with no death, a printed median below it needs the lower half
    of the patients (all are alive, each a follow-up value).
    """
    f = trial.followup
    fu_lo = (trial.cutoff - trial.accrual_end).days
    ud = trial.unit_days
    n = trial.n
    no_death = trial.counts.get("deaths") == (0, 0)
    alive_only = no_death or set(definitions) <= {"survivors"}
    if "potential" in definitions or not definitions or definitions == [""]:
        return 0, ""
    if (
        no_death
        and f.median is not None
        and day_window(f.median.lower, f.median.upper, ud)[1] < fu_lo
    ):
        k = n // 2 if n % 2 == 0 else (n + 1) // 2
        return k, (
            f"the printed median follow-up {f.median.text} {trial.unit} is below the shortest "
            f"potential follow-up ({fu_lo / ud:.2f} {trial.unit}) and no patient died"
        )
    if (
        alive_only
        and f.range is not None
        and day_window(f.range[0].lower, f.range[0].upper, ud)[1] < fu_lo
    ):
        return 1, (
            f"the printed shortest follow-up {f.range[0].text} {trial.unit} is below the "
            f"shortest potential follow-up ({fu_lo / ud:.2f} {trial.unit}, cutoff - end of "
            "accrual) and "
            + ("no patient died" if no_death else "it is a survivor's observed time")
        )
    return 0, ""


def _landmark_ok(
    trial: Trial, ep: Endpoint, lm_i: int, lb: object, j: int
) -> NDArray[np.bool_]:
    """Rows of a landmark batch whose curve and bands after ``j`` events print landmark ``lm_i``."""
    lm = ep.landmarks[lm_i]
    conv = trial.convention
    surv = lb.surv[:, j]  # type: ignore[attr-defined]
    parts: tuple[tuple[float | None, tuple[float, float], FloatArray], ...]
    if lm.has_ci:
        rep = lm.reported(conv)
        parts = (
            (rep.estimate, rep.estimate_interval, surv),
            (rep.lower, rep.lower_interval, lb.lower[:, j]),  # type: ignore[attr-defined]
            (rep.upper, rep.upper_interval, lb.upper[:, j]),  # type: ignore[attr-defined]
        )
    else:
        est = lm.estimate(conv)
        parts = ((est.value, est.interval(conv), surv),)
    ok = np.ones(surv.shape, dtype=bool)
    for value, (lo, hi), got in parts:
        if value is not None:
            ok &= (got >= lo - 1e-9) & (got <= hi + 1e-9)
    return ok


def discrete_layer(
    trial: Trial,
    conf_type: str,
    findings: list[MethodFinding],
    active: frozenset[FactKey] | None = None,
) -> Discrete:
    """Every history of the composite endpoint that prints its landmarks and median.

    ``active`` restricts the facts used (for the deletion filter); the relapse count, the
    base landmark's history list and ``n`` always hold. See the module docstring.
    """
    ep = _composite(trial)
    assert ep is not None
    n = trial.n
    e_lo, e_hi = event_range(trial)
    base = _base_finding(ep, conf_type, findings)
    assert base is not None
    method = landmark_method(endpoint_method(conf_type, ep.name))
    band = band_transform(endpoint_method(conf_type, ep.name))
    use_base = active is None or FactKey.landmark(ep.name, base.time) in active
    prefixes = base.histories.get(method, ()) if use_base else ()
    if not use_base:
        return Discrete(ep.name, (), False, "")
    # the landmarks up to the base one depend on the prefix alone: check them jointly first
    early_keys = frozenset(
        FactKey.landmark(ep.name, lm.time)
        for lm in ep.landmarks
        if lm.time <= base.time
        and (active is None or FactKey.landmark(ep.name, lm.time) in active)
    )
    alive_prefixes = _prefixes_ok(trial, ep, prefixes, band, early_keys)
    if not alive_prefixes:
        names = ", ".join(
            f"{ep.name} at {lm.time:g}: {lm.text}"
            for lm in ep.landmarks
            if FactKey.landmark(ep.name, lm.time) in early_keys
        )
        return Discrete(
            ep.name,
            (),
            True,
            f"none of the {len(prefixes)} histories of {n} patients that print the "
            f"{ep.name} landmark at {base.time:g} (the exhaustive list) prints {names} jointly",
        )
    prefixes = tuple(alive_prefixes)
    rows: list[tuple[int, ...]] = []
    sizes = [
        (h, list(range(max(e_lo - len(h), 0), max(min(e_hi - len(h), _last(h, n) - 1), -1) + 1)))
        for h in prefixes
    ]
    total = sum(math.comb(_last(h, n) - 1, k) for h, ks in sizes for k in ks)
    sampled = total > MAX_HISTORIES
    if sampled:  # too many to list: a uniform random sample of them (not exhaustive)
        rng = np.random.default_rng(0)
        weights = np.array([[math.comb(_last(h, n) - 1, k) for k in ks] for h, ks in sizes],
                           dtype=object)
        flat = [(i, k, float(w)) for i, (_, ks) in enumerate(sizes)
                for k, w in zip(ks, weights[i], strict=True)]
        p_w = np.array([w for _, _, w in flat])
        picks = rng.choice(len(flat), size=SAMPLED_HISTORIES, p=p_w / p_w.sum())
        seen: set[tuple[int, ...]] = set()
        for j in picks:
            i, k, _ = flat[int(j)]
            h = sizes[i][0]
            m = _last(h, n) - 1
            tl = sorted((int(x) + 1 for x in rng.choice(m, size=k, replace=False)),
                        reverse=True)
            row = tuple(h) + tuple(tl)
            if row not in seen:
                seen.add(row)
                rows.append(row)
    else:
        for h, ks in sizes:
            for rest in ks:
                for tail in itertools.combinations(range(_last(h, n) - 1, 0, -1), rest):
                    rows.append(tuple(h) + tail)
    events_text = f"{e_lo}" if e_lo == e_hi else f"{e_lo}..{e_hi}"
    if not rows:
        return Discrete(
            ep.name,
            (),
            True,
            f"no history of {n} patients with {events_text} {ep.name} events has the risk "
            f"sets the {ep.name} landmark at {base.time:g} needs",
        )
    out = []
    exact = True
    proof_parts = []
    by_len: dict[int, list[tuple[int, ...]]] = {}
    for row in rows:
        by_len.setdefault(len(row), []).append(row)
    for e_total, group in sorted(by_len.items()):
        got, ex = _histories_of(trial, ep, group, e_total, band, active)
        out.extend(got)
        exact &= ex
    if not out:
        what = ", ".join(
            [
                f"{ep.name} at {lm.time:g}: {lm.text}"
                for lm in ep.landmarks
                if active is None or FactKey.landmark(ep.name, lm.time) in active
            ]
            + (
                [f"median {ep.name} {ep.median.text}"]
                if ep.median is not None
                and (active is None or FactKey.median(ep.name) in active)
                else []
            )
        )
        proof_parts.append(
            f"none of the {len(rows)} histories of {n} patients with {events_text} {ep.name} "
            f"events (risk sets from the exhaustive list at {base.time:g}) prints {what} "
            "together"
        )
    return Discrete(ep.name, tuple(out), exact and not sampled, "; ".join(proof_parts))


def _prefixes_ok(
    trial: Trial,
    ep: Endpoint,
    prefixes: tuple[tuple[int, ...], ...],
    band: str,
    keys: frozenset[FactKey],
) -> list[tuple[int, ...]]:
    """The prefixes (risk sets at the events up to the base landmark) on which the landmarks
    ``keys`` (all at or before it) hold jointly: one split each, non-decreasing in time."""
    by_plen: dict[int, list[tuple[int, ...]]] = {}
    for h in prefixes:
        by_plen.setdefault(len(h), []).append(tuple(h))
    alive: list[tuple[int, ...]] = []
    for plen, group in sorted(by_plen.items()):
        got_p, _ = _histories_of(trial, ep, group, plen, band, keys)
        alive.extend(dict.fromkeys(hh.at_risk for hh in got_p))
    return alive


def joint_landmark_conflict(
    trial: Trial, conf_type: str, findings: list[MethodFinding]
) -> tuple[str, tuple[str, ...]]:
    """A proof that the landmarks of one endpoint cannot hold together, and the landmarks.

    For each endpoint whose landmarks are not computed by hand: the latest landmark printed
    with a CI whose history list is exhaustive fixes the risk sets at every event up to its
    time; an earlier landmark is the curve (and bands) after some number of those events.
    When no listed history has splits printing every earlier landmark (non-decreasing in
    time) the landmarks conflict, whatever the times; a deletion filter keeps a smallest set
    (the listed landmark always in it). Returns ``("", ())`` when nothing is proven.
    """
    for ep in trial.endpoints:
        ct = endpoint_method(conf_type, ep.name)
        if landmark_method(ct) != ct or len(ep.landmarks) < 2:
            continue
        base = _base_finding(ep, conf_type, findings)
        if base is None:
            continue
        prefixes = base.histories.get(ct, ())
        keys = frozenset(
            FactKey.landmark(ep.name, lm.time) for lm in ep.landmarks if lm.time <= base.time
        )
        if len(keys) < 2 or _prefixes_ok(trial, ep, prefixes, band_transform(ct), keys):
            continue
        base_key = FactKey.landmark(ep.name, base.time)
        keep = set(keys)
        for k in sorted(keys - {base_key}):
            trial_keys = frozenset(keep - {k})
            if len(trial_keys) >= 2 and not _prefixes_ok(
                trial, ep, prefixes, band_transform(ct), trial_keys
            ):
                keep = set(trial_keys)
        lms = [lm for lm in ep.landmarks if FactKey.landmark(ep.name, lm.time) in keep]
        names = tuple(f"{ep.name} at {lm.time:g} {trial.unit}: {lm.text}" for lm in lms)
        proof = (
            f"under the {ct} CI method, none of the {len(prefixes)} histories of {trial.n} "
            f"patients that print {ep.name} at {base.time:g} (the exhaustive list) has its "
            "first events printing the earlier landmark"
            + ("s" if len(lms) > 2 else "")
            + " (the events up to an earlier time are the first events of the history)"
        )
        return proof, names
    return "", ()


def _last(h: tuple[int, ...], n: int) -> int:
    """The risk set at the last event of a prefix (``n + 1`` for no event)."""
    return h[-1] if h else n + 1


def _histories_of(
    trial: Trial,
    ep: Endpoint,
    rows: list[tuple[int, ...]],
    e_total: int,
    band: str,
    active: frozenset[FactKey] | None,
) -> tuple[list[History], bool]:
    """The histories among ``rows`` (all with ``e_total`` events) that print every fact."""
    from survkit.estimate.batch import kaplan_meier_at, kaplan_meier_median

    n = trial.n
    r = np.asarray(rows, dtype=np.int64).reshape(len(rows), e_total)  # (H, E)
    h_n = r.shape[0]
    # synthetic table: event j at time j, censorings after event j at j + 0.5
    nxt = np.concatenate([r, np.zeros((h_n, 1), dtype=np.int64)], axis=1)
    prev = np.concatenate([np.full((h_n, 1), n + 1, dtype=np.int64), r], axis=1)
    c = prev - 1 - nxt  # censorings before event 1, between events j and j + 1, after the last
    cens = np.repeat(np.tile(np.arange(e_total + 1) + 0.5, h_n), c.ravel())
    times = np.concatenate(
        [np.tile(np.arange(1.0, e_total + 1), (h_n, 1)), cens.reshape(h_n, n - e_total)], axis=1
    )
    events = np.zeros((h_n, n), dtype=bool)
    events[:, :e_total] = True
    grid = [j + 0.25 for j in range(e_total + 1)]
    lb = kaplan_meier_at(times, events, grid, conf_type=band, extend=True)
    lms = [
        (i, lm)
        for i, lm in enumerate(ep.landmarks)
        if active is None or FactKey.landmark(ep.name, lm.time) in active
    ]
    admissible = {
        i: np.stack([_landmark_ok(trial, ep, i, lb, j) for j in range(e_total + 1)], axis=1)
        for i, _ in lms
    }  # (H, E+1) per landmark
    med: tuple[FloatArray, FloatArray, FloatArray] | None = None
    use_median = ep.median is not None and (active is None or FactKey.median(ep.name) in active)
    if use_median:
        ci = ep.median_ci
        level = ci.conf_level if ci is not None and ci.conf_level is not None else 0.95
        mb = kaplan_meier_median(times, events, conf_type=band, conf_level=level)
        med = (np.asarray(mb.estimate), np.asarray(mb.lower), np.asarray(mb.upper))
    order = sorted(lms, key=lambda x: x[1].time)
    out: list[History] = []
    exact = True
    for b in range(h_n):
        me = [0, 0, 0]
        if med is not None:
            assert ep.median is not None
            printed = [(ep.median.lower, ep.median.upper)]
            printed += [
                (bd[1], bd[2]) if bd is not None else None  # type: ignore[misc]
                for bd in ep.median_bounds
            ]
            bad = False
            for q, pr in enumerate(printed[:3]):
                if pr is None:
                    continue
                v = float(med[q][b])
                if math.isnan(pr[0]):
                    bad |= not math.isnan(v)
                elif math.isnan(v):
                    bad = True
                elif v != round(v):
                    bad = True  # the curve is exactly 1/2 on a flat part: a midpoint
                    exact = False
                else:
                    me[q] = round(v)
            if bad:
                continue
        # joint landmark splits: one k per landmark, non-decreasing in time
        choices = [np.flatnonzero(admissible[i][b]).tolist() for i, _ in order]
        for combo in itertools.product(*choices):
            if any(combo[a] > combo[a + 1] for a in range(len(combo) - 1)):
                continue
            # the median events must respect the landmark times they fall between
            splits = [-1] * len(ep.landmarks)
            for (i, _), k in zip(order, combo, strict=True):
                splits[i] = k
            out.append(History(tuple(int(x) for x in r[b]), tuple(splits), tuple(me)))  # type: ignore[arg-type]
    return out, exact


@dataclass(frozen=True)
class Screen:
    """What the relaxed time constraints of each history decide (:func:`screen`).

    ``histories`` are those whose relaxed system is feasible (the others are proven
    impossible, whatever their other choices); ``fewest_early`` is the smallest number of
    early censorings any of them can have (a proven lower bound for every ordering);
    ``excluded_by`` names, for a history proven impossible, the facts of its negative cycle.
    """

    histories: tuple[History, ...]
    fewest_early: int
    excluded_by: tuple[tuple[str, ...], ...]


def _boxes(
    trial: Trial, ep: Endpoint, hs: tuple[History, ...], followup: bool
) -> tuple[
    FloatArray, FloatArray, NDArray[np.bool_], FloatArray, dict[tuple[int, int, str], str]
]:
    """The boxes every ordering of each history must meet, whatever its other choices.

    Each history is an ordered chain of its ``n`` endpoint times (whole days; a censoring
    strictly before the event that follows it, since a censoring at an event's time is at risk
    there, every other neighbour may tie) with a box per time: the accrual window, the
    landmark splits (the events before ``t`` at most ``t``, the next one later), the median
    events' windows and (``followup``: potential
    follow-up not in question) for the event-free patients -- alive, their observed time a
    follow-up value under every other definition -- the printed follow-up range. Returns
    ``lo, hi`` of shape ``(H, n)``, which positions are censored, the gaps ``(H, n - 1)``
    and the label of every box tighter than the accrual window (key ``(history, position,
    "lo" | "hi")``).
    """
    n = trial.n
    ud = trial.unit_days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    h_n = len(hs)
    lo = np.ones((h_n, n))
    hi = np.full((h_n, n), float(fu_hi))
    cens = np.zeros((h_n, n), dtype=bool)
    gaps = np.zeros((h_n, max(n - 1, 0)))
    lab: dict[tuple[int, int, str], str] = {}

    def tight(b: int, p: int, a: float, c: float, text: str) -> None:
        if a > lo[b, p]:
            lo[b, p] = a
            lab[(b, p, "lo")] = text
        if c < hi[b, p]:
            hi[b, p] = c
            lab[(b, p, "hi")] = text

    f = trial.followup
    for b, h in enumerate(hs):
        labels = _labels(n, h)
        ev_pos = [p for p in range(n) if labels[p]]
        cens[b] = ~np.asarray(labels)
        gaps[b] = cens[b, :-1] & ~cens[b, 1:]  # a censoring, then an event: strictly before
        for p, a, c, text in _event_windows(trial, ep, h, ev_pos):
            tight(b, p, a, c, text)
        cpos = np.flatnonzero(cens[b])
        if followup and f.range is not None and cpos.size:
            a, _ = day_window(f.range[0].lower, f.range[0].upper, ud)
            _, c = day_window(f.range[1].lower, f.range[1].upper, ud)
            u = trial.unit
            tight(b, int(cpos[0]), a, math.inf, f"shortest follow-up {f.range[0].text} {u}")
            tight(b, int(cpos[-1]), -math.inf, c, f"longest follow-up {f.range[1].text} {u}")
    return lo, hi, cens, gaps, lab


def screen(trial: Trial, disc: Discrete, followup: bool = True) -> Screen:
    """Exclude the histories whose boxes are infeasible; bound the early censorings.

    Each history's boxes (:func:`_boxes`) on its ordered times are decided exactly, all
    histories at once (:func:`survkit.trial.timing.chain_bounds`): an infeasible chain proves
    the history impossible (the two boxes that conflict name the facts). Otherwise the
    largest feasible time of each censored patient is known; a censored patient whose
    largest time is below the shortest potential follow-up (``cutoff - end of accrual``)
    cannot have been followed to the cutoff, so it is an early censoring in every ordering
    of that history. The censored times are ordered, so the count is attained.
    """
    ep = _composite(trial)
    assert ep is not None
    fu_lo = (trial.cutoff - trial.accrual_end).days
    hs = disc.histories
    if not hs:
        return Screen((), 0, ())
    lo, hi, cens, gaps, lab = _boxes(trial, ep, hs, followup)
    _, ub, ok = chain_bounds(lo, hi, gaps)
    cycles: list[tuple[str, ...]] = []
    for b in np.flatnonzero(~ok)[:20]:
        qq = chain_conflict(lo[b], hi[b], gaps[b])
        assert qq is not None
        q, q2 = qq
        cycles.append(
            (
                lab.get((int(b), q, "lo"), "time origin"),
                f"{ep.name} history order",
                lab.get((int(b), q2, "hi"), "accrual window"),
            )
        )
    early = ((ub < fu_lo) & cens).sum(axis=1)
    kept = tuple(h for h, good in zip(hs, ok, strict=True) if good)
    fewest = int(early[ok].min()) if ok.any() else 0
    return Screen(kept, fewest, tuple(cycles))


def _labels(n: int, h: History) -> list[bool]:
    """The history as a sequence of patients: ``True`` an event, ``False`` a censoring."""
    labels: list[bool] = []
    at = n
    e_total = len(h.at_risk)
    for j in range(e_total + 1):
        nxt = h.at_risk[j] if j < e_total else 0
        c = at - nxt if j == 0 else at - 1 - nxt
        if j > 0:
            labels.append(True)
        labels.extend([False] * c)
        at = nxt
    return labels


def _event_windows(
    trial: Trial, ep: Endpoint, h: History, ev_pos: list[int]
) -> Iterator[tuple[int, float, float, str]]:
    """The landmark splits and median events of ``h`` as windows on the event times.

    Yields ``(position, lo, hi, label)``: the patient at ``position`` (in the history's
    order) has its time in ``[lo, hi]`` whole days because of the printed fact ``label`` --
    the events before a landmark ``t`` at most ``floor(t)``, the next one after it, each
    median event (estimate, CI limits) within its printed number's rounding interval.
    """
    ud = trial.unit_days
    e_total = len(ev_pos)
    for i, lm in enumerate(ep.landmarks):
        k = h.splits[i]
        if k < 0:
            continue
        t_day = math.floor(lm.time * ud + 1e-9)
        lab = f"{ep.name} at {lm.time:g} {trial.unit}: {lm.text}"
        if k > 0:
            yield ev_pos[k - 1], -math.inf, t_day, lab
        if k < e_total:
            yield ev_pos[k], t_day + 1, math.inf, lab
    if ep.median is None:
        return
    printed: list[tuple[float, float, str] | None] = [
        (ep.median.lower, ep.median.upper, ep.median.text)
    ]
    printed += [(bd[1], bd[2], bd[0]) if bd is not None else None for bd in ep.median_bounds]
    for q, pr in enumerate(printed[:3]):
        if pr is None or h.median_events[q] == 0:
            continue
        a, b = day_window(pr[0], pr[1], ud)
        yield ev_pos[h.median_events[q] - 1], a, b, f"median {ep.name} {pr[2]}"


@dataclass
class Orderings:
    """Draws of whole-day tables from the orderings of a trial, ``k`` early censorings."""

    fu: FloatArray
    rel: FloatArray
    death: FloatArray
    end: FloatArray
    definitions: list[str]
    tried: int
    feasible: int


#: Event patient types: relapse and alive at last contact, relapse then death, death.
RELAPSE_ALIVE, RELAPSE_DEATH, DEATH = 1, 2, 3


def event_types(trial: Trial) -> tuple[int, ...]:
    """The types an event patient of the endpoint may have (deaths printed 0: relapses only)."""
    ep = _composite(trial)
    assert ep is not None
    ev = set(ep.events)
    if trial.counts.get("deaths") == (0, 0):
        return (RELAPSE_ALIVE,) if "relapse" in ev else ()
    if ev == {"death"}:
        return (DEATH,)
    if ev == {"relapse"}:
        return (RELAPSE_ALIVE, RELAPSE_DEATH)
    return (RELAPSE_ALIVE, RELAPSE_DEATH, DEATH)


@dataclass
class _Ordering:
    """One ordering's system and where each patient's times are (nodes)."""

    system: DifferenceSystem
    y: list[int]
    contact: list[int]
    fu_node: list[int]
    types: list[int]
    carriers: list[int]
    definition: str


def _draw_types(
    trial: Trial,
    opts: tuple[int, ...],
    ev_pos: list[int],
    types: list[int],
    rng: np.random.Generator,
) -> bool:
    """Each event patient's type, uniformly among the type vectors the death count allows.

    Without a printed death count each type is uniform over ``opts``. With one, the number
    of deaths ``d`` is drawn with weight :math:`\binom{E}{d} |D|^d |L|^{E-d}` (``D``/``L``:
    the dying / living types in ``opts``) over the printed range, then ``d`` event patients
    uniformly die, each with a dying type uniformly: the same law as uniform types kept when
    the count holds, without the rejections. ``False`` when no ``d`` is possible.
    """
    e_total = len(ev_pos)
    dying = [t for t in opts if t in (RELAPSE_DEATH, DEATH)]
    living = [t for t in opts if t not in (RELAPSE_DEATH, DEATH)]
    if "deaths" not in trial.counts or not dying or not opts:
        for p in ev_pos:
            types[p] = opts[int(rng.integers(len(opts)))] if opts else 0
        return True
    d_lo, d_hi = trial.counts["deaths"]
    ds = [
        d
        for d in range(max(d_lo, 0), min(d_hi, e_total) + 1)
        if living or d == e_total
    ]
    if not ds:
        return False
    logw = np.array(
        [
            math.lgamma(e_total + 1) - math.lgamma(d + 1) - math.lgamma(e_total - d + 1)
            + d * math.log(len(dying))
            + ((e_total - d) * math.log(len(living)) if living else 0.0)
            for d in ds
        ]
    )
    w = np.exp(logw - logw.max())
    d = ds[int(rng.choice(len(ds), p=w / w.sum()))]
    die = set(int(i) for i in rng.choice(e_total, size=d, replace=False)) if d else set()
    for i, p in enumerate(ev_pos):
        pool = dying if i in die else living
        types[p] = pool[int(rng.integers(len(pool)))]
    return True


#: Plans (event types, contact order) taken from one history's local search.
PLANS = 4


def needs_plans(trial: Trial) -> bool:
    """Whether a death-only endpoint beside the listed one prints a landmark with a CI while
    deaths may occur (overall survival beside PFS with deaths): the orderings then come from
    :func:`derived_plans`, uniform choices almost never print it."""
    ep = _composite(trial)
    if ep is None or trial.counts.get("deaths") == (0, 0):
        return False
    return any(lm.has_ci for e in trial.endpoints if e is not ep for lm in e.landmarks)


def _contact_order_ok(h_labels: list[bool], types: list[int], order: list[int]) -> bool:
    """Whether ``order`` (patients by last contact) is an order the ordering can have: the
    patients observed at their endpoint time (censored, or died at the event) keep their
    order, each patient with a contact after its event comes after every such patient
    before it."""
    pos = [0] * len(order)
    for i, p in enumerate(order):
        pos[p] = i
    last_base = -1
    for p in range(len(order)):
        if types[p] in (0, DEATH):
            if pos[p] < last_base:
                return False
            last_base = pos[p]
        elif pos[p] < last_base:
            return False
    return True


def _derived_violation(
    trial: Trial, eps: list[Endpoint], dead: NDArray[np.bool_], conf_type: str
) -> FloatArray:
    """How far each row of ``dead`` (deaths in the order of last contact) is from printing
    the landmarks and medians of the death-only endpoints ``eps`` (0: every landmark has a
    rank that prints it and a printed NR median is not reached; a guide, not a verdict)."""
    from survkit.estimate.ci import transform_bounds

    b_n, n = dead.shape
    out = np.zeros(b_n)
    conv = trial.convention
    # Kaplan-Meier after each rank (distinct times): r_i = n - i + 1 at the i-th patient
    r = np.arange(n, 0, -1, dtype=float)
    d = dead.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.concatenate([np.ones((b_n, 1)), np.cumprod((r - d) / r, axis=1)], axis=1)
        var = np.concatenate(
            [np.zeros((b_n, 1)), np.cumsum(np.where(d > 0, d / (r * (r - 1.0)), 0.0), axis=1)],
            axis=1,
        )
    for ep in eps:
        band = band_transform(endpoint_method(conf_type, ep.name))
        for lm in ep.landmarks:
            if lm.has_ci:
                rep = lm.reported(conv)
                z = NormalDist().inv_cdf(0.5 + (rep.conf_level or 0.95) / 2)
                lo_b, hi_b = transform_bounds(surv, z * np.sqrt(var), band)  # type: ignore[arg-type]
                parts = [
                    (rep.estimate_interval, surv),
                    (rep.lower_interval, lo_b),
                    (rep.upper_interval, hi_b),
                ]
            else:
                parts = [(lm.estimate(conv).interval(conv), surv)]
            miss = np.zeros(surv.shape)
            for (lo, hi), got in parts:
                g = np.nan_to_num(got, nan=-1.0)
                miss += np.maximum(lo - g, 0.0) + np.maximum(g - hi, 0.0)
            out += miss.min(axis=1)
        if ep.median is not None:
            low = np.nanmin(surv, axis=1)
            if math.isnan(ep.median.lower):  # NR: the curve stays above 1/2
                out += np.maximum(0.5 + 1e-9 - low, 0.0)
            else:
                out += np.maximum(low - 0.5, 0.0)
    return out


def derived_plans(
    trial: Trial,
    h: History,
    want: int,
    rng: np.random.Generator,
    conf_type: str,
    steps: int = 240,
    batch: int = 24,
) -> list[tuple[list[int], list[int]]]:
    """Plans (event types, order of the last contacts) of history ``h`` under which the
    death-only endpoints beside it can print their landmarks and medians.

    A local search (:func:`_derived_violation` as the guide): from uniform types (the death
    count as printed, :func:`_draw_types`) and a uniform order, each step evaluates ``batch``
    neighbours -- one contact moved to another admissible slot, or a dying and a living event
    patient exchanging types, or a death switching between death at the event and death
    after a relapse -- and keeps the best one unless it is worse (it gives up after a
    quarter of its ``steps`` without a better score). Once at zero every
    neighbour still at zero is a further plan (a random walk on that set). The plans are not
    uniform over the orderings; each is then decided exactly (:func:`_system`,
    :func:`_derived`, the difference constraints) and each draw verified.
    """
    ep = _composite(trial)
    assert ep is not None
    eps = [e for e in trial.endpoints if e is not ep]
    n = trial.n
    labels = _labels(n, h)
    ev_pos = [p for p in range(n) if labels[p]]
    opts = event_types(trial)
    dying = [t for t in opts if t in (RELAPSE_DEATH, DEATH)]
    living = [t for t in opts if t not in (RELAPSE_DEATH, DEATH)]
    types = [0] * n
    if not _draw_types(trial, opts, ev_pos, types, rng):
        return []

    def uniform_order(ty: list[int]) -> list[int]:
        base = [p for p in range(n) if ty[p] in (0, DEATH)]
        extra = [(p, sum(1 for q in base if q < p)) for p in range(n) if ty[p] not in (0, DEATH)]
        return _insert(base, extra, rng)

    order = uniform_order(types)

    def dead_of(ty: list[int], od: list[int]) -> list[bool]:
        return [ty[p] in (RELAPSE_DEATH, DEATH) for p in od]

    def is_base(t: int) -> bool:
        return t in (0, DEATH)

    def gap_insert(ty: list[int], od: list[int], p: int) -> None:
        """Put base patient ``p`` (removed from ``od``) between its base neighbours."""
        pos = {q: i for i, q in enumerate(od)}
        before = [pos[q] for q in range(p) if is_base(ty[q])]
        lo = max(before) + 1 if before else 0
        # every later patient (in the endpoint's order) stays after it: the base ones keep
        # their order, the others' contacts follow every base patient before them
        later = [pos[q] for q in range(p + 1, n)]
        hi = min(later) if later else len(od)
        od.insert(int(rng.integers(lo, max(hi, lo) + 1)), p)

    def neighbour(ty: list[int], od: list[int]) -> tuple[list[int], list[int]] | None:
        ty2, od2 = list(ty), list(od)
        move = rng.random()
        xs = [p for p in ev_pos if not is_base(ty2[p])]
        if move < 0.5 and xs:  # a contact after its event moves to another admissible slot
            p = xs[int(rng.integers(len(xs)))]
            od2.remove(p)
            pos = {q: i for i, q in enumerate(od2)}
            before = [pos[q] for q in range(p) if is_base(ty2[q])]
            lo = max(before) + 1 if before else 0
            od2.insert(int(rng.integers(lo, len(od2) + 1)), p)
        elif move < 0.8 and living:  # a dying and a living event patient exchange types
            d_ = [p for p in ev_pos if ty2[p] in dying]
            a_ = [p for p in ev_pos if ty2[p] in living]
            if not d_ or not a_:
                return None
            p, q = d_[int(rng.integers(len(d_)))], a_[int(rng.integers(len(a_)))]
            ty2[p], ty2[q] = ty2[q], ty2[p]
            for x in (p, q):
                if is_base(ty2[x]) and not is_base(ty[x]):
                    od2.remove(x)
                    gap_insert(ty2, od2, x)
        elif len(dying) > 1:  # death at the event <-> death after a relapse
            d_ = [p for p in ev_pos if ty2[p] in dying]
            if not d_:
                return None
            p = d_[int(rng.integers(len(d_)))]
            ty2[p] = DEATH if ty2[p] == RELAPSE_DEATH else RELAPSE_DEATH
            if ty2[p] == DEATH:
                od2.remove(p)
                gap_insert(ty2, od2, p)
        else:
            return None
        return (ty2, od2) if _contact_order_ok(labels, ty2, od2) else None

    score = float(
        _derived_violation(trial, eps, np.asarray([dead_of(types, order)]), conf_type)[0]
    )
    out: list[tuple[list[int], list[int]]] = []
    seen: set[tuple[int, ...]] = set()
    since = 0  # steps without a better score
    for _ in range(steps):
        if score > 0.0 and since > steps // 4:
            break  # stuck: another history is tried
        if score == 0.0:
            key = tuple(order) + tuple(types)
            if key not in seen:
                seen.add(key)
                out.append((list(types), list(order)))
                if len(out) >= want:
                    break
        cands = [c for c in (neighbour(types, order) for _ in range(batch)) if c is not None]
        if not cands:
            continue
        v = _derived_violation(
            trial, eps, np.asarray([dead_of(t, o) for t, o in cands]), conf_type
        )
        if score == 0.0:  # walk on the plans at zero
            zero = np.flatnonzero(v == 0.0)
            if zero.size:
                types, order = cands[int(zero[int(rng.integers(zero.size))])]
            continue
        best = int(np.argmin(v))
        since = 0 if v[best] < score else since + 1
        if v[best] <= score:
            types, order = cands[best]
            score = float(v[best])
    return out


def _order_stats(
    sy: DifferenceSystem, order: list[int], trial: Trial, what: str
) -> None:
    """Windows of the printed follow-up median and range on the order statistics of ``order``."""
    f = trial.followup
    u = trial.unit
    ud = trial.unit_days
    m = len(order)
    if m == 0:
        return
    if f.range is not None:
        a, b = day_window(f.range[0].lower, f.range[0].upper, ud)
        sy.window(order[0], a, b, f"shortest follow-up {f.range[0].text} {u}{what}")
        a, b = day_window(f.range[1].lower, f.range[1].upper, ud)
        sy.window(order[-1], a, b, f"longest follow-up {f.range[1].text} {u}{what}")
    if f.median is not None:
        a, b = day_window(f.median.lower, f.median.upper, ud)
        mids = [order[(m - 1) // 2]] if m % 2 else [order[m // 2 - 1], order[m // 2]]
        for node in mids:
            sy.window(node, a, b, f"median follow-up {f.median.text} {u}{what}")


def _insert(
    base: list[int], extra: list[tuple[int, int]], rng: np.random.Generator
) -> list[int]:
    """``base`` with each ``(node, first_slot)`` of ``extra`` inserted at a uniform slot
    ``>= first_slot`` (slot ``s``: before ``base[s]``), nodes sharing a slot in random order."""
    slots: list[list[int]] = [[] for _ in range(len(base) + 1)]
    for node, first in extra:
        slots[int(rng.integers(first, len(base) + 1))].append(node)
    out: list[int] = []
    for s_i, grp in enumerate(slots):
        rng.shuffle(grp)
        out.extend(grp)
        if s_i < len(base):
            out.append(base[s_i])
    return out


def _system(
    trial: Trial,
    ep: Endpoint,
    h: History,
    k_early: int,
    definition: str,
    rng: np.random.Generator,
    conf_type: str = "log",
    plan: tuple[list[int], list[int]] | None = None,
) -> _Ordering | None:
    """One ordering of history ``h`` under follow-up ``definition`` as a difference system.

    The random choices: each event patient's type (uniform over :func:`event_types`, kept
    when the printed counts hold), the slots of the last contacts (or deaths after a relapse)
    among the observed times, the slots of the potential follow-ups (``potential``), the
    patient of a printed censored time. ``None`` when a choice is impossible. ``plan``
    (types, the patients in the order of their last contacts; from :func:`derived_plans`)
    fixes the first two choices.
    """
    n = trial.n
    ud = trial.unit_days
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    sy = DifferenceSystem(1)
    labels = _labels(n, h)
    y = [sy.add_var() for _ in range(n)]
    for p in range(n - 1):
        sy.before(y[p], y[p + 1], 1, f"{ep.name} history order")
    for p in range(n):
        sy.window(y[p], 1, fu_hi, "accrual window")
    ev_pos = [p for p in range(n) if labels[p]]
    for p, a, c, lab in _event_windows(trial, ep, h, ev_pos):
        sy.window(y[p], a, c, lab)
    # event types, kept when the printed counts hold
    opts = event_types(trial)
    types = [0] * n
    if plan is not None:
        types = list(plan[0])
    elif not _draw_types(trial, opts, ev_pos, types, rng):
        return None
    tt = np.asarray(types)
    counts = {
        "deaths": int(((tt == RELAPSE_DEATH) | (tt == DEATH)).sum()),
        "relapses": int(((tt == RELAPSE_ALIVE) | (tt == RELAPSE_DEATH)).sum()),
        "alive": int(((tt == 0) | (tt == RELAPSE_ALIVE)).sum()),
        "alive_relapse_free": int((tt == 0).sum()),
    }
    for name, (c_lo, c_hi) in trial.counts.items():
        if not c_lo <= counts.get(name, c_lo) <= c_hi:
            return None
    # last contacts: censored and died-at-event patients at their endpoint time, the others
    # (relapse alive, relapse then death) inserted after their event
    base = [p for p in range(n) if types[p] in (0, DEATH)]
    base_nodes = [y[p] for p in base]
    contact = list(y)
    extra: list[tuple[int, int]] = []
    for p in ev_pos:
        if types[p] in (RELAPSE_ALIVE, RELAPSE_DEATH):
            z = sy.add_var()
            contact[p] = z
            sy.window(z, 1, fu_hi, "accrual window")
            gap = 1 if types[p] == RELAPSE_DEATH else 0
            sy.before(y[p], z, gap, f"{ep.name} event before last contact")
            extra.append((z, sum(1 for q in base if q < p)))
    zorder = (
        [contact[p] for p in plan[1]] if plan is not None else _insert(base_nodes, extra, rng)
    )
    for a, b in itertools.pairwise(zorder):
        sy.before(a, b, 1, "follow-up order")
    node_patient = {contact[p]: p for p in range(n)}
    alive = [z for z in zorder if types[node_patient[z]] in (0, RELAPSE_ALIVE)]
    # early censorings: the k shortest observed times of alive patients; the other alive
    # patients are followed to the cutoff
    if k_early > len(alive):
        return None
    if k_early > 0:
        sy.window(alive[k_early - 1], -math.inf, fu_lo - 1, "early censorings")
    if k_early < len(alive):
        sy.window(alive[k_early], fu_lo, fu_hi, "administrative censoring at the cutoff")
    early = set(alive[:k_early])
    dead_flags = [types[node_patient[z]] in (RELAPSE_DEATH, DEATH) for z in zorder]
    for other in trial.endpoints:
        if other is not ep and trial.counts.get("deaths") != (0, 0):
            if not _derived(sy, trial, other, zorder, dead_flags, conf_type, rng):
                return None
    fu_node = list(contact)
    if definition == "potential":
        admin = [z for z in alive if z not in early]
        extra_f: list[tuple[int, int]] = []
        for p in range(n):
            z = contact[p]
            if z in early or types[p] in (RELAPSE_DEATH, DEATH):
                f = sy.add_var()
                fu_node[p] = f
                sy.window(f, fu_lo, fu_hi, "accrual window")
                sy.before(z, f, 1 if z in early else 0, "observed within the potential follow-up")
                rank = zorder.index(z)
                first = 0 if z in early else sum(1 for a in admin if zorder.index(a) < rank)
                extra_f.append((f, first))
        forder = _insert(admin, extra_f, rng)
        for a, b in itertools.pairwise(forder):
            sy.before(a, b, 0, "potential follow-up order")
        _order_stats(sy, forder, trial, " (potential)")
    elif definition == "survivors":
        _order_stats(sy, alive, trial, " (survivors)")
    elif definition == "all":
        _order_stats(sy, zorder, trial, " (all observed times)")
    elif definition == "reverse-km":
        _reverse_km(sy, zorder, [types[node_patient[z]] in (0, RELAPSE_ALIVE) for z in zorder],
                    trial)
    carriers: list[int] = []
    for eid in trial.readings[0].events:  # printed censored times, in the reading's order
        ev = trial.event(eid)
        lo, hi = ev.window()
        a, b = day_window(lo, hi, ud)
        d = closure(sy.matrix())
        if not feasible(d[None])[0]:
            return None
        ok = [
            p
            for p in range(n)
            if types[p] == 0 and p not in carriers and -d[y[p], 0] <= b and d[0, y[p]] >= a
        ]
        if not ok:
            return None
        carriers.append(int(ok[int(rng.integers(len(ok)))]))
        sy.window(y[carriers[-1]], a, b, f"censored at {ev.time.text if ev.time else ''}")
    return _Ordering(sy, y, contact, fu_node, types, carriers, definition)


def _derived(
    sy: DifferenceSystem,
    trial: Trial,
    ep: Endpoint,
    zorder: list[int],
    dead: list[bool],
    conf_type: str,
    rng: np.random.Generator,
) -> bool:
    """A death-only endpoint (overall survival) on the ordering's observed times.

    The ordering fixes who dies and in which order every patient's last time comes, so the
    curve and bands after each rank are fixed: each landmark of ``ep`` holds after the ranks
    that print it (one chosen uniformly among the non-decreasing choices; the landmark time
    then lies between that rank's time and the next), the median and its CI limits are
    patients at known ranks (windows on their times). ``False`` when no choice prints them.
    """
    from survkit.estimate.batch import kaplan_meier_at, kaplan_meier_median

    n = len(zorder)
    ct = endpoint_method(conf_type, ep.name)
    band = band_transform(ct)
    ranks = np.arange(1, n + 1, dtype=float)[None]
    ev = np.asarray(dead)[None]
    ud = trial.unit_days
    if ep.landmarks:
        lb = kaplan_meier_at(ranks, ev, [p + 0.5 for p in range(n + 1)], conf_type=band,
                             extend=True)
        lms = sorted(range(len(ep.landmarks)), key=lambda i: ep.landmarks[i].time)
        choices = [
            [p for p in range(n + 1) if _landmark_ok(trial, ep, i, lb, p)[0]] for i in lms
        ]
        combos = [
            c
            for c in itertools.product(*choices)
            if all(c[a] <= c[a + 1] for a in range(len(c) - 1))
        ]
        if not combos:
            return False
        combo = combos[int(rng.integers(len(combos)))]
        for i, p in zip(lms, combo, strict=True):
            lm = ep.landmarks[i]
            t_day = math.floor(lm.time * ud + 1e-9)
            lab = f"{ep.name} at {lm.time:g} {trial.unit}: {lm.text}"
            if p > 0:
                sy.window(zorder[p - 1], -math.inf, t_day, lab)
            if p < n:
                sy.window(zorder[p], t_day + 1, math.inf, lab)
    if ep.median is not None:
        ci = ep.median_ci
        level = ci.conf_level if ci is not None and ci.conf_level is not None else 0.95
        mb = kaplan_meier_median(ranks, ev, conf_type=band, conf_level=level)
        got = (float(mb.estimate[0]), float(mb.lower[0]), float(mb.upper[0]))
        printed: list[tuple[float, float, str] | None] = [
            (ep.median.lower, ep.median.upper, ep.median.text)
        ]
        printed += [(bd[1], bd[2], bd[0]) if bd is not None else None for bd in ep.median_bounds]
        for q, pr in enumerate(printed[:3]):
            if pr is None:
                continue
            v = got[q]
            if math.isnan(pr[0]) or math.isnan(v):
                if math.isnan(pr[0]) != math.isnan(v):
                    return False
                continue
            if v != round(v):
                return False  # a midpoint: not one patient's time
            a, b = day_window(pr[0], pr[1], ud)
            sy.window(zorder[round(v) - 1], a, b, f"median {ep.name} {pr[2]}")
    return True


def _reverse_km(
    sy: DifferenceSystem, zorder: list[int], alive: list[bool], trial: Trial
) -> None:
    """The reverse Kaplan-Meier median follow-up (deaths censor) on the ordered observed times.

    Given the order (strict) and who is alive, the reverse curve is fixed, so its median is
    the observed time at a known rank (R's rule, on ranks); a median on a flat part exactly
    at 1/2 (a midpoint) or not reached makes the ordering unusable (window ``[1, 0]``).
    """
    from survkit.estimate.batch import kaplan_meier_median

    f = trial.followup
    if f.median is not None:
        ranks = np.arange(1, len(zorder) + 1, dtype=float)
        mb = kaplan_meier_median(ranks[None], np.asarray(alive)[None], conf_type="log",
                                 limits=False)
        v = float(np.asarray(mb.estimate)[0])
        a, b = day_window(f.median.lower, f.median.upper, trial.unit_days)
        if math.isnan(v) or v != round(v):
            sy.window(zorder[0], 1, 0, "reverse Kaplan-Meier median not at one patient")
        else:
            sy.window(zorder[round(v) - 1], a, b,
                      f"median follow-up {f.median.text} {trial.unit} (reverse KM)")
    if f.range is not None:  # the range is that of all observed times
        _order_stats(sy, zorder, dataclasses.replace(trial, followup=dataclasses.replace(
            f, median=None)), " (all observed times)")


def orderings(
    trial: Trial,
    disc: Discrete,
    k_early: int,
    want: int,
    rng: np.random.Generator,
    max_tries: int,
    definitions: list[str],
    conf_type: str = "log",
    budget: int | None = None,
) -> Orderings:
    """Draw ``want`` tables (days) from feasible orderings with ``k_early`` early censorings.

    ``budget``: a work budget in tries (counted as ``tried`` is, so a history whose local
    search gives no plan costs :data:`PLANS`); the search stops when it is spent, and early
    once, after a quarter of it, the yield of feasible orderings found so far projects fewer
    than ``want`` within it (``found * budget < want * tried``). Checked before each batch of
    tries, it depends on the work done only, so the same seed gives the same draws on any
    machine.

    Tries at most ``max_tries`` orderings (a history uniformly, then the ordering's random
    choices; the follow-up definition of try ``i`` is ``definitions[i % len]``, so the draws
    are split about equally over them -- after half the tries a definition still short of its
    share gives it to the others); each feasible one gives one draw (times by
    :func:`survkit.trial.timing.sample`). Columns: the patients carrying the printed censored
    times first (in the reading's order), then the others.
    """
    ep = _composite(trial)
    assert ep is not None
    n = trial.n
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    got: list[_Ordering] = []
    mats: list[FloatArray] = []
    tried = 0
    hs = disc.histories
    batch = 64
    per_def = dict.fromkeys(definitions, 0)
    quota = math.ceil(want / max(len(definitions), 1))
    use_plans = needs_plans(trial)
    queue: list[tuple[History, tuple[list[int], list[int]]]] = []
    if use_plans:
        batch = 8  # each plan costs a local search: decide them in small batches
    while len(got) < want and tried < max_tries:
        if budget is not None and (
            tried >= budget or (4 * tried > budget and len(got) * budget < want * tried)
        ):
            break  # the work budget is spent, or its yield projects too few draws
        cand: list[_Ordering] = []
        for _ in range(min(batch, max_tries - tried)):
            plan: tuple[list[int], list[int]] | None = None
            if use_plans:
                if not queue:
                    h = hs[int(rng.integers(len(hs)))]
                    queue = [(h, pl) for pl in derived_plans(trial, h, PLANS, rng, conf_type)]
                    if not queue:
                        tried += PLANS
                        continue
                h, plan = queue.pop()
            else:
                h = hs[int(rng.integers(len(hs)))]
            dfn = definitions[tried % len(definitions)]
            tried += 1
            late = tried > max_tries // 2  # a definition still short may have no draw
            if not late and per_def[dfn] >= quota and any(v < quota for v in per_def.values()):
                continue
            s = _system(trial, ep, h, k_early, dfn, rng, conf_type, plan)
            if s is not None:
                cand.append(s)
        if not cand:
            continue
        size = max(c.system.size for c in cand)
        w = np.stack([_pad(c.system.matrix(), size) for c in cand])
        d = closure(w)
        ok = feasible(d)
        for i in np.flatnonzero(ok):
            if len(got) < want and (
                per_def[cand[i].definition] < quota
                or all(v >= quota for v in per_def.values())
                or tried > max_tries // 2
            ):
                got.append(cand[i])
                per_def[cand[i].definition] += 1
                mats.append(w[i])
    m = len(got)
    fu = np.zeros((m, n))
    rel = np.full((m, n), np.inf)
    death = np.full((m, n), np.inf)
    end = np.full((m, n), np.inf)
    if m == 0:
        return Orderings(fu, rel, death, end, [], tried, 0)
    size = max(w_.shape[0] for w_ in mats)
    w = np.stack([_pad(w_, size) for w_ in mats])
    d = closure(w)
    # the centre of each variable's range, rounded down: an integer solution (the rounded
    # mean of the largest and the smallest solution still meets every integer difference)
    start = np.floor(0.5 * (d[:, 0, :] - d[:, :, 0]))
    x = sample(w, start, rng, SWEEPS)
    for b, o in enumerate(got):
        order = o.carriers + [p for p in range(n) if p not in o.carriers]
        for col, p in enumerate(order):
            z = x[b, o.contact[p]]
            t = o.types[p]
            if t in (RELAPSE_ALIVE, RELAPSE_DEATH):
                rel[b, col] = x[b, o.y[p]]
            if t in (RELAPSE_DEATH, DEATH):
                death[b, col] = z
            if o.fu_node[p] != o.contact[p]:
                fu[b, col] = x[b, o.fu_node[p]]
                if t in (0, RELAPSE_ALIVE):
                    end[b, col] = z
            elif t in (0, RELAPSE_ALIVE) and z < fu_lo:  # censored before the cutoff
                end[b, col] = z
                lo = max(int(z) + 1, fu_lo)
                fu[b, col] = lo + math.floor(rng.random() * (fu_hi - lo + 1))
            elif t in (RELAPSE_DEATH, DEATH):  # potential follow-up at or after death
                lo = max(int(z), fu_lo)
                fu[b, col] = lo + math.floor(rng.random() * (fu_hi - lo + 1))
            else:
                fu[b, col] = z
    return Orderings(fu, rel, death, end, [o.definition for o in got], tried, m)


def _pad(w: FloatArray, size: int) -> FloatArray:
    """A constraint matrix padded with unconstrained, fixed-at-zero extra nodes."""
    v = w.shape[0]
    if v == size:
        return w
    out = np.full((size, size), np.inf)
    out[:v, :v] = w
    for i in range(v, size):
        out[i, i] = 0.0
        out[0, i] = 0.0
        out[i, 0] = 0.0
    return out
