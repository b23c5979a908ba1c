r"""The history engine: the discrete layer (orderings) first, then the times of each ordering.

For a trial whose printed events all belong to one endpoint ``C`` (e.g. cancer-free or
progression-free survival whose events are non-fatal, printed with ``deaths = 0``) the engine
decides the trial in two layers.

Discrete layer (:func:`discrete_layer`)
---------------------------------------
A *history* of ``C`` is the whole sequence of its ``E`` events and ``n - E`` censorings (``E``
from the printed counts): the risk-set sizes :math:`r_1 > \dots > r_E` at the events, where
each landmark time :math:`t` falls (:math:`k_t`, the number of events by :math:`t`), and which
events are the median and its CI limits. Given a history the Kaplan-Meier curve and its
bands at every event are fixed (:math:`S_k = \prod_{j \le k} (1 - 1/r_j)`, Greenwood's
:math:`\mathrm{var}\log S_k = \sum_{j \le k} 1/(r_j (r_j - 1))`, the CI transform found), so:

* every landmark of ``C`` (with or without a CI) holds for exactly the :math:`k` whose curve
  and bands after the :math:`k`-th event print it; the landmarks are checked **jointly**:
  one :math:`k_t` per landmark, non-decreasing in :math:`t`;
* the median and its CI limits are, by R's ``print.survfit`` rule, the first events where the
  curve and the lower / upper band reach 1/2 (``NR``: never), all decided by the history.

Histories are generated from the exhaustive history list of the printed-CI check at the
latest landmark printed with a CI (it fixes :math:`r_1, \dots, r_{k}` up to that landmark),
extended by every choice of the later risk sets, and kept when every landmark and the
median print; they are re-analysed in batches with survkit's Kaplan-Meier (the function
the final verification uses) on a synthetic table (event ``j`` at time ``j``). With the
list exhaustive, no history left is a **proof**.

Orderings and times
-------------------
An *ordering* adds to a history the rest of the discrete choices: each patient with an
event of ``C`` is followed after it (for overall survival and the follow-up) up to a
contact time placed among the other patients' observed times; ``k`` early censorings are the
``k`` shortest observed times (so exactly ``k`` patients are observed for less than the
shortest potential follow-up, ``cutoff - end of accrual``); a printed censored time is one
event-free patient. The printed follow-up statistics (shortest, median, longest) are then
order statistics of the observed times. Given the ordering every other fact is a difference
constraint on whole days, decided by :mod:`survkit.trial.timing` (an infeasible ordering is
excluded, with a negative-cycle certificate).

Early censoring
---------------
With ``[censoring] early = "unknown"`` the engine tries ``k = L, L + 1, ...`` early
censorings, ``L`` the number *proven* needed by interval bounds (the printed shortest / median
follow-up below the shortest potential follow-up); the draws use the first ``k`` for which
an ordering is feasible. ``k = L`` is then the proven fewest; a larger ``k`` is reported as
the fewest found (the smaller ones not decided).

What the draws are uniform over
-------------------------------
A history uniformly among those the discrete layer keeps; given it, each event patient's
contact time uniformly among the slots after its event (ties in a slot in random order), the
patient carrying a printed censored time uniformly among the event-free patients whose time
can lie in its window; the ordering is kept when its constraint system is feasible (so a
history's weight is proportional to the share of its feasible orderings). Given the
ordering, whole-day times uniformly over the integer points of its polytope (a Gibbs sampler
started at the centre of the variables' ranges, :func:`survkit.trial.timing.sample`: its
stationary law is that uniform law, reached approximately after :data:`SWEEPS` sweeps), the
potential follow-up of an early censored patient uniformly above its observed time. Each
draw is an independent ordering.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from survkit.trial.facts import FactKey
from survkit.trial.methods import MethodFinding, band_transform, landmark_method
from survkit.trial.problem import day_window
from survkit.trial.spec import Endpoint, Trial
from survkit.trial.timing import DifferenceSystem, closure, feasible, negative_cycle, sample

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "Discrete",
    "History",
    "Orderings",
    "covers",
    "discrete_layer",
    "early_lower_bound",
    "orderings",
    "potential_excluded",
    "screen",
]

#: Most histories the discrete layer enumerates before declaring the trial outside its reach.
MAX_HISTORIES = 200_000
#: Gibbs sweeps per draw over an ordering's polytope.
SWEEPS = 200


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
    eps = [e for e in trial.endpoints if "relapse" in e.events]
    return eps[0] if len(eps) == 1 else None


def covers(trial: Trial, conf_type: str, findings: list[MethodFinding]) -> str:
    """Why the history engine does not cover ``trial`` (``""``: it does).

    Covered: one reading; printed ``deaths = 0`` and an exact relapse count; one endpoint
    with relapse events (the others made of deaths only); a CI transform (not a hand
    calculation); at least one landmark of that endpoint printed with a CI whose history list
    is exhaustive; no event groups, incidences or individual events other than censored
    times; early censoring ``none``, ``unknown`` or a count.
    """
    if len(trial.readings) != 1:
        return "several readings"
    if trial.counts.get("deaths") != (0, 0):
        return "deaths not printed as 0"
    rel = trial.counts.get("relapses")
    if rel is None or rel[0] != rel[1]:
        return "no exact relapse count"
    ep = _composite(trial)
    if ep is None or any(set(e.events) - {"death"} for e in trial.endpoints if e is not ep):
        return "not one endpoint with relapse events"
    if landmark_method(conf_type) != conf_type:
        return "landmarks computed by hand"
    if trial.event_groups or trial.incidence_endpoints:
        return "event groups or incidences"
    if any(ev.kind != "censored" for ev in trial.events):
        return "individual deaths or relapses"
    if trial.censoring.early == "allowed":
        return "early censoring allowed without a count"
    if trial.earliest_relapse > 0:
        return "an earliest relapse"
    base = _base_finding(ep, conf_type, findings)
    if base is None:
        return "no landmark with an exhaustive history list"
    defs = set(trial.followup.definitions)
    if not defs <= {"survivors", "all", "reverse-km", "potential"}:
        return "follow-up definition"
    if "potential" in defs and not potential_excluded(trial) and len(defs) == 1:
        return "potential follow-up"
    return ""


def _base_finding(
    ep: Endpoint, conf_type: str, findings: list[MethodFinding]
) -> MethodFinding | None:
    """The latest landmark of ``ep`` printed with a CI whose history list is exhaustive."""
    ok = [
        f
        for f in findings
        if f.endpoint == ep.name and f.total_events.get(landmark_method(conf_type)) is not None
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


def early_lower_bound(trial: Trial) -> tuple[int, str]:
    """Early censorings proven needed by interval bounds alone, and why.

    With no death every patient's observed time is a follow-up value (survivors' and all
    observed times coincide), and a patient followed to the cutoff is observed at least
    ``cutoff - end of accrual``; a printed shortest follow-up below that needs one early
    censoring, a printed median below it needs the lower half.
    """
    f = trial.followup
    fu_lo = (trial.cutoff - trial.accrual_end).days
    ud = trial.unit_days
    n = trial.n
    if f.median is not None and day_window(f.median.lower, f.median.upper, ud)[1] < fu_lo:
        k = n // 2 if n % 2 == 0 else (n + 1) // 2
        return k, (
            f"the printed median follow-up {f.median.text} {trial.unit} is below the shortest "
            f"potential follow-up ({fu_lo / ud:.2f} {trial.unit}) and no patient died"
        )
    if f.range is not None and day_window(f.range[0].lower, f.range[0].upper, ud)[1] < fu_lo:
        return 1, (
            f"the printed shortest follow-up {f.range[0].text} {trial.unit} is below the "
            f"shortest potential follow-up ({fu_lo / ud:.2f} {trial.unit}, cutoff - end of "
            "accrual) and no patient died"
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
    from survkit.estimate.batch import kaplan_meier_at, kaplan_meier_median

    ep = _composite(trial)
    assert ep is not None
    n = trial.n
    e_total = trial.counts["relapses"][0]
    base = _base_finding(ep, conf_type, findings)
    assert base is not None
    method = landmark_method(conf_type)
    band = band_transform(conf_type)
    use_base = active is None or FactKey.landmark(ep.name, base.time) in active
    prefixes = base.histories.get(method, ()) if use_base else ()
    if not use_base:
        return Discrete(ep.name, (), False, "")
    rows: list[tuple[int, ...]] = []
    for h in prefixes:
        k = len(h)
        if k > e_total or (h and h[-1] < 1):
            continue
        last = h[-1] if h else n + 1
        rest = e_total - k
        for tail in itertools.combinations(range(last - 1, 0, -1), rest):
            rows.append(tuple(h) + tail)
            if len(rows) > MAX_HISTORIES:
                return Discrete(ep.name, (), False, "")
    if not rows:
        return Discrete(
            ep.name,
            (),
            True,
            f"no history of {n} patients with {e_total} {ep.name} events has the risk sets "
            f"the {ep.name} landmark at {base.time:g} needs",
        )
    r = np.asarray(rows, dtype=np.int64)  # (H, E)
    h_n = r.shape[0]
    # synthetic table: event j at time j, censorings after event j at j + 0.5
    times = np.zeros((h_n, n))
    events = np.zeros((h_n, n), dtype=bool)
    for b in range(h_n):
        col = 0
        at = n
        for j in range(e_total + 1):
            nxt = r[b, j] if j < e_total else 0
            c = at - nxt if j == 0 else at - 1 - nxt
            if j > 0:
                times[b, col] = j
                events[b, col] = True
                col += 1
            for _ in range(c):
                times[b, col] = j + 0.5
                col += 1
            at = nxt
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
    proof = ""
    if not out:
        what = ", ".join(
            [f"{ep.name} at {lm.time:g}: {lm.text}" for _, lm in lms]
            + ([f"median {ep.name} {ep.median.text}"] if use_median and ep.median else [])
        )
        proof = (
            f"none of the {h_n} histories of {n} patients with {e_total} {ep.name} events "
            f"(risk sets from the exhaustive list at {base.time:g}) prints {what} together"
        )
    return Discrete(ep.name, tuple(out), exact, proof)


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


def _relaxed(trial: Trial, ep: Endpoint, h: History) -> tuple[DifferenceSystem, list[int]]:
    """The constraints every ordering of ``h`` must meet, whatever its other choices.

    The history order of the endpoint's times, the landmark splits, the median events'
    windows, the accrual window, and for the event-free (censored) patients -- whose observed
    time is their follow-up -- the printed follow-up range (every follow-up lies in
    ``[shortest, longest]``). Returns the system and the censored patients' nodes in order.
    """
    n = trial.n
    ud = trial.unit_days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    e_total = len(h.at_risk)
    sy = DifferenceSystem(1)
    labels = _labels(n, h)
    y = [sy.add_var() for _ in range(n)]
    for p in range(n - 1):
        sy.before(y[p], y[p + 1], 1, f"{ep.name} history order")
    for p in range(n):
        sy.window(y[p], 1, fu_hi, "accrual window")
    ev_pos = [p for p in range(n) if labels[p]]
    _event_facts(trial, ep, h, sy, y, ev_pos, e_total, ud)
    cens = [y[p] for p in range(n) if not labels[p]]
    f = trial.followup
    if f.range is not None and cens:
        a, _ = day_window(f.range[0].lower, f.range[0].upper, ud)
        _, b = day_window(f.range[1].lower, f.range[1].upper, ud)
        sy.window(cens[0], a, math.inf, f"shortest follow-up {f.range[0].text} {trial.unit}")
        sy.window(cens[-1], -math.inf, b, f"longest follow-up {f.range[1].text} {trial.unit}")
    return sy, cens


def screen(trial: Trial, disc: Discrete) -> Screen:
    """Exclude the histories whose relaxed time constraints are infeasible; bound early censorings.

    For each history the relaxed system (:func:`_relaxed`) is closed (Floyd-Warshall): no
    solution proves the history impossible (its negative cycle names the facts). Otherwise
    the largest feasible time of each censored patient is known; a censored patient whose
    largest time is below the shortest potential follow-up (``cutoff - end of accrual``)
    cannot have been followed to the cutoff, so it is an early censoring in every ordering
    of that history. The censored times are ordered, so the count is attained.
    """
    ep = _composite(trial)
    assert ep is not None
    fu_lo = (trial.cutoff - trial.accrual_end).days
    kept: list[History] = []
    early: list[int] = []
    cycles: list[tuple[str, ...]] = []
    for h in disc.histories:
        sy, cens = _relaxed(trial, ep, h)
        d = closure(sy.matrix())
        if not feasible(d[None])[0]:
            cycles.append(tuple(negative_cycle(sy) or ()))
            continue
        kept.append(h)
        early.append(sum(1 for c in cens if d[0, c] < fu_lo))
    return Screen(tuple(kept), min(early) if early else 0, tuple(cycles))


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


def _event_facts(
    trial: Trial,
    ep: Endpoint,
    h: History,
    sy: DifferenceSystem,
    y: list[int],
    ev_pos: list[int],
    e_total: int,
    ud: float,
) -> None:
    """The landmark splits and median events of ``h`` as windows on the event times."""
    for i, lm in enumerate(ep.landmarks):
        k = h.splits[i]
        if k < 0:
            continue
        t_day = math.floor(lm.time * ud + 1e-9)
        lab = f"{ep.name} at {lm.time:g} {trial.unit}: {lm.text}"
        if k > 0:
            sy.window(y[ev_pos[k - 1]], -math.inf, t_day, lab)
        if k < e_total:
            sy.window(y[ev_pos[k]], t_day + 1, math.inf, lab)
    if ep.median is not None:
        printed = [(ep.median.lower, ep.median.upper, ep.median.text)]
        printed += [
            (bd[1], bd[2], bd[0]) if bd is not None else None  # type: ignore[misc]
            for bd in ep.median_bounds
        ]
        for q, pr in enumerate(printed[:3]):
            if pr is None or h.median_events[q] == 0:
                continue
            a, b = day_window(pr[0], pr[1], ud)
            sy.window(y[ev_pos[h.median_events[q] - 1]], a, b, f"median {ep.name} {pr[2]}")


@dataclass
class Orderings:
    """Draws of whole-day tables from the orderings of a trial, ``k`` early censorings."""

    fu: FloatArray
    rel: FloatArray
    death: FloatArray
    end: FloatArray
    tried: int
    feasible: int


def _system(
    trial: Trial,
    ep: Endpoint,
    h: History,
    k_early: int,
    rng: np.random.Generator,
) -> tuple[DifferenceSystem, list[int], list[int], list[int], int] | None:
    """One ordering of history ``h`` as a difference system.

    Returns the system, the node of each patient's endpoint time (history order), the node of
    each patient's last contact (``== endpoint node`` when event-free), which patients have an
    event (history order) and the patient carrying the printed censored time (``-1``: none).
    """
    n = trial.n
    ud = trial.unit_days
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    e_total = len(h.at_risk)
    sy = DifferenceSystem(1)
    # the history as a sequence of patients: censorings before event 1, event 1, ...
    labels = _labels(n, h)
    y = [sy.add_var() for _ in range(n)]
    for p in range(n - 1):
        sy.before(y[p], y[p + 1], 1, f"{ep.name} history order")
    for p in range(n):
        sy.window(y[p], 1, fu_hi, "accrual window")
    ev_pos = [p for p in range(n) if labels[p]]
    _event_facts(trial, ep, h, sy, y, ev_pos, e_total, ud)
    # last contacts: the event patients' contacts inserted after their events
    cens_pos = [p for p in range(n) if not labels[p]]
    n_c = len(cens_pos)
    slots: list[list[int]] = [[] for _ in range(n_c + 1)]
    contact = list(y)
    for p in ev_pos:
        before = sum(1 for c in cens_pos if c < p)
        s = int(rng.integers(before, n_c + 1))
        z = sy.add_var()
        contact[p] = z
        sy.window(z, 1, fu_hi, "accrual window")
        sy.before(y[p], z, 0, f"{ep.name} event before last contact")
        slots[s].append(z)
    zorder: list[int] = []
    for s in range(n_c + 1):
        grp = slots[s]
        rng.shuffle(grp)
        zorder.extend(grp)
        if s < n_c:
            zorder.append(y[cens_pos[s]])
    for a, b in itertools.pairwise(zorder):
        sy.before(a, b, 0, "follow-up order")
    # early censorings: the k shortest observed times, the others followed to the cutoff
    if k_early > 0:
        sy.window(zorder[k_early - 1], -math.inf, fu_lo - 1, "early censorings")
    if k_early < n:
        sy.window(zorder[k_early], fu_lo, fu_hi, "administrative censoring at the cutoff")
    f = trial.followup
    u = trial.unit
    if f.range is not None:
        a, b = day_window(f.range[0].lower, f.range[0].upper, ud)
        sy.window(zorder[0], a, b, f"shortest follow-up {f.range[0].text} {u}")
        a, b = day_window(f.range[1].lower, f.range[1].upper, ud)
        sy.window(zorder[-1], a, b, f"longest follow-up {f.range[1].text} {u}")
    if f.median is not None:
        a, b = day_window(f.median.lower, f.median.upper, ud)
        mids = [zorder[(n - 1) // 2]] if n % 2 else [zorder[n // 2 - 1], zorder[n // 2]]
        for m in mids:
            sy.window(m, a, b, f"median follow-up {f.median.text} {u}")
    carrier = -1
    cens_ev = [ev for ev in trial.events if ev.kind == "censored"]
    if cens_ev:
        ev = cens_ev[0]
        lo, hi = ev.window()
        a, b = day_window(lo, hi, ud)
        d = closure(sy.matrix())
        if not feasible(d[None])[0]:
            return None
        ok = [p for p in cens_pos if -d[y[p], 0] <= b and d[0, y[p]] >= a]
        if not ok:
            return None
        carrier = int(ok[int(rng.integers(len(ok)))])
        sy.window(y[carrier], a, b, f"censored at {ev.time.text if ev.time else ''}")
    return sy, y, contact, ev_pos, carrier


def orderings(
    trial: Trial,
    disc: Discrete,
    k_early: int,
    want: int,
    rng: np.random.Generator,
    max_tries: int,
) -> Orderings:
    """Draw ``want`` tables (days) from feasible orderings with ``k_early`` early censorings.

    Tries at most ``max_tries`` orderings (a history uniformly, then the ordering's random
    choices); each feasible one gives one draw (times by :func:`survkit.trial.timing.sample`).
    Columns: the patient carrying the printed censored time first, then the others.
    """
    ep = _composite(trial)
    assert ep is not None
    n = trial.n
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    got: list[tuple[DifferenceSystem, list[int], list[int], list[int], int]] = []
    mats: list[FloatArray] = []
    tried = 0
    hs = disc.histories
    batch = 64
    while len(got) < want and tried < max_tries:
        cand = []
        for _ in range(min(batch, max_tries - tried)):
            h = hs[int(rng.integers(len(hs)))]
            tried += 1
            s = _system(trial, ep, h, k_early, rng)
            if s is not None:
                cand.append(s)
        if not cand:
            continue
        size = max(c[0].size for c in cand)
        w = np.stack([_pad(c[0].matrix(), size) for c in cand])
        d = closure(w)
        ok = feasible(d)
        for i in np.flatnonzero(ok):
            if len(got) < want:
                got.append(cand[i])
                mats.append(w[i])
    m = len(got)
    fu = np.zeros((m, n))
    rel = np.full((m, n), np.inf)
    death = np.full((m, n), np.inf)
    end = np.full((m, n), np.inf)
    if m == 0:
        return Orderings(fu, rel, death, end, tried, 0)
    w = np.stack(mats)
    d = closure(w)
    # the centre of each variable's range, rounded down: an integer solution (the rounded
    # mean of the largest and the smallest solution still meets every integer difference)
    start = np.floor(0.5 * (d[:, 0, :] - d[:, :, 0]))
    x = sample(w, start, rng, SWEEPS)
    for b, (_, y, contact, ev_pos, carrier) in enumerate(got):
        order = ([carrier] if carrier >= 0 else []) + [p for p in range(n) if p != carrier]
        evs = set(ev_pos)
        for col, p in enumerate(order):
            z = x[b, contact[p]]
            if p in evs:
                rel[b, col] = x[b, y[p]]
            if z < fu_lo:  # censored before the cutoff
                end[b, col] = z
                lo = max(int(z) + 1, fu_lo)
                fu[b, col] = lo + math.floor(rng.random() * (fu_hi - lo + 1))
            else:
                fu[b, col] = z
    return Orderings(fu, rel, death, end, tried, m)


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
