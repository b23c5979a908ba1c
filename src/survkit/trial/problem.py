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
from survkit.trial.methods import (
    MethodFinding,
    band_transform,
    endpoint_method,
    landmark_method,
)
from survkit.trial.spec import Endpoint, Landmark, Trial
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
        band = median_band_conflict(trial, active, findings, conf_type) or incidence_conflict(
            trial, active
        )
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


def early_censoring_needed(trial: Trial) -> str:
    """Why no table without early censoring can print the follow-up range (``""``: no proof).

    Without censoring before the cutoff an alive patient is observed up to the cutoff, so
    every alive patient's observed (and every patient's potential) follow-up is at least the
    shortest possible one, cutoff - end of accrual. If the printed shortest follow-up is
    below that, it can only be a death time (definitions ``all`` / ``reverse-km``); when the
    printed counts allow no death, no definition is left: early censoring is needed.
    """
    f = trial.followup
    if f.range is None:
        return ""
    ud = trial.unit_days
    fu_lo = (trial.cutoff - trial.accrual_end).days
    if f.range[0].upper * ud >= fu_lo - 0.5:
        return ""
    max_deaths = trial.counts.get("deaths", (0, trial.n))[1]
    if trial.deaths_listed:
        max_deaths = min(max_deaths, sum(1 for e in trial.events if e.kind == "death"))
    defs = set(f.definitions)
    if max_deaths > 0 and defs & {"all", "reverse-km"}:
        return ""
    return (
        f"the printed shortest follow-up {f.range[0].text} {trial.unit} is below the shortest "
        f"potential follow-up ({fu_lo / ud:.2f} {trial.unit}, cutoff - end of accrual) and "
        + ("no death is allowed" if max_deaths == 0 else "the definition counts survivors only")
        + ", so some patient was censored before the cutoff"
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
        printed: list[tuple[str, float, float]] = [("median", ep.median.lower, ep.median.upper)]
        for what, bound in zip(("lower limit", "upper limit"), ep.median_bounds, strict=False):
            if bound is not None:
                printed.append((what, bound[1], bound[2]))
        for f in findings:
            if f.endpoint != ep.name or FactKey.landmark(f.endpoint, f.time) not in active:
                continue
            ep_ct = endpoint_method(conf_type, ep.name)
            lm_method = landmark_method(ep_ct)
            if f.total_events.get(lm_method) is None:
                continue  # the history list is not exhaustive: nothing can be proven
            hs = f.histories.get(lm_method, ())
            if not hs:
                continue
            t = f.time
            why: list[str] = []
            for h in hs:
                bands = _bands_up_to(h, trial.n, t, band_transform(ep_ct), level, kaplan_meier)
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
                    f"the landmark's {kind} ({ep_ct} CI, n = {trial.n}) and R's median "
                    f"rule: {why[0]}"
                    + ("" if len(hs) == 1 else " (and likewise for every other history)")
                )
    return ""


def incidence_conflict(trial: Trial, active: frozenset[FactKey]) -> str:
    r"""Whether the active cumulative-incidence landmarks are proven to conflict.

    Two exact proofs, each on the printed numbers alone (interval arithmetic under the
    trial's one rounding convention, whatever the event times):

    * the printed-CI check of an incidence (:func:`survkit.check.cif.check_cif_ci`): no CI
      transform prints a landmark, or no single transform prints every active one (a paper
      prints its incidences with one software method);
    * the competing-risks identity (:func:`survkit.check.cif.check_competing_risks`): for every
      dataset :math:`\hat F_R(t) + \hat F_N(t) = 1 - \hat S_{LFS}(t)` (Aalen & Johansen
      1978; LFS ends at relapse or death, whichever comes first), so a printed LFS landmark and
      printed relapse and NRM incidences at the same time whose intervals cannot meet conflict.

    Returns the proof as text, or ``""`` when no conflict is proven.
    """
    from survkit.check.cif import check_competing_risks
    from survkit.trial.methods import find_incidence_methods

    inc, common = find_incidence_methods(trial, active)
    for f in inc:
        if not f.consistent:
            return (
                f"{f.endpoint} at {f.time:g}: {f.text!r} cannot be printed by any CI transform "
                "of a cumulative incidence"
            )
    if inc and not common:
        return "no single CI transform prints every cumulative incidence: " + "; ".join(
            f"{f.endpoint} {f.text}: {', '.join(f.consistent)}" for f in inc
        )
    conv = trial.convention
    lfs_eps = [e for e in trial.endpoints if set(e.events) == {"relapse", "death"}]
    by_cause: dict[str, list[Endpoint]] = {"relapse": [], "nrm": []}
    for ep in trial.incidence_endpoints:
        by_cause[ep.cause].append(ep)
    for lfs in lfs_eps:
        for lm in lfs.landmarks:
            if FactKey.landmark(lfs.name, lm.time) not in active:
                continue
            for rel_ep in by_cause["relapse"]:
                r_lm = _landmark_at(rel_ep, lm.time, active)
                if r_lm is None:
                    continue
                for nrm_ep in by_cause["nrm"]:
                    n_lm = _landmark_at(nrm_ep, lm.time, active)
                    if n_lm is None:
                        continue
                    chk = check_competing_risks(
                        lm.estimate(conv),
                        r_lm.estimate(conv),
                        n_lm.estimate(conv),
                        rounding=conv,
                        time=lm.time,
                        labels=(lfs.name, rel_ep.name, nrm_ep.name),
                    )
                    if not chk.consistent:
                        return "the competing-risks identity relapse + NRM = 1 - LFS: " + (
                            chk.explain()
                        )
    return ""


def _landmark_at(ep: Endpoint, time: float, active: frozenset[FactKey]) -> Landmark | None:
    """The active landmark of ``ep`` at ``time`` (``None`` when there is none)."""
    for lm in ep.landmarks:
        if lm.time == time and FactKey.landmark(ep.name, lm.time) in active:
            return lm
    return None


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
        allowed = f.total_events.get(landmark_method(endpoint_method(conf_type, f.endpoint)))
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
