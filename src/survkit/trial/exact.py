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

*History engine (first)* -- :mod:`survkit.trial.history` with :mod:`survkit.trial.timing`,
for a trial whose events all belong to one endpoint (beside overall survival without a
landmark CI): every history of that endpoint printing its landmarks jointly and its median,
then each ordering's difference constraints on whole days; draws uniform over the kept
histories' feasible orderings, then over the ordering's whole days (see that module). It
also proves conflicts and the fewest early censorings; when it finds too few draws the
engines below run.

*Constructive path* -- :mod:`survkit.trial._construct`, used when an endpoint
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

import dataclasses
import math
import time as _time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from survkit.trial.budget import Budget
from survkit.trial.conflicts import smallest_conflict
from survkit.trial.ensemble import Ensemble, ReadingResult, StratumResult
from survkit.trial.errors import InfeasibleSpecError, ReconstructionBudgetError
from survkit.trial.facts import Fact, FactKey, FactKind, trial_facts
from survkit.trial.methods import (
    MethodFinding,
    endpoint_method,
    endpoint_methods,
    find_methods,
    hand_candidates,
    landmark_method,
    per_endpoint_method,
    software_note,
)
from survkit.trial.patients import build_abc_table, build_table
from survkit.trial.problem import Problem, compile_problem, early_censoring_needed
from survkit.trial.proposal import Batch, Stratum, candidates, strata_for
from survkit.trial.reanalysis import accept, reanalyse, verify_abc_draws, verify_draws
from survkit.trial.spec import Trial
from survkit.trial.status import STATUS_NAMES, Status

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Candidates one call of the general engine may spend on a stratum the construction does not
#: cover, when other strata are constructed (its share then goes to them if it falls short).
SEARCH_STRATUM_BUDGET = 5_000

__all__ = [
    "STATUS_NAMES",
    "Budget",
    "Ensemble",
    "Fact",
    "FactKey",
    "FactKind",
    "InfeasibleSpecError",
    "MethodFinding",
    "ReadingResult",
    "ReconstructionBudgetError",
    "Status",
    "StratumResult",
    "build_abc_table",
    "find_methods",
    "reanalyse",
    "reconstruct",
    "smallest_conflict",
    "trial_facts",
    "verify_abc_draws",
]


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

    def add(self, bt: Batch, ok: NDArray[np.bool_], limit: int) -> int:
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
    *,
    seed: int | None = None,
    budget: Budget | None = None,
    progress: bool | None = None,
    allow_partial: bool = False,
    **legacy: int,
) -> Ensemble:
    """Draw ``draws`` patient-level tables that print every number of ``trial``.

    Parameters
    ----------
    trial : Trial
        The specification (see :class:`survkit.trial.spec.Trial`).
    draws : int
        Number of tables (at least 1).
    seed : int, optional
        Seed of the random generator; the same seed gives the same ensemble. When none is
        given one is drawn from the operating system and recorded in :attr:`Ensemble.seed`,
        so every run can be repeated.
    budget : Budget, optional
        The search budget (candidates in all, batch and pilot sizes); default ``Budget()``.
        The former keywords ``max_proposals``, ``batch``, ``pilot_size``,
        ``construct_pilot`` and ``cbatch`` still work (deprecated).
    progress : bool, optional
        Progress bar on stderr (default: only on a terminal).
    allow_partial : bool
        When the budget runs out with some draws found and no conflict proven, the
        :class:`ReconstructionBudgetError` carries an :class:`Ensemble` of the draws found
        (``partial=True``) in its ``partial`` attribute; it is raised either way.

    Returns
    -------
    Ensemble

    Raises
    ------
    InfeasibleSpecError
        If no reading of the facts can print every number; the message names a smallest
        conflicting set of facts per reading.
    ReconstructionBudgetError
        If too few draws were found within the budget and no conflict was proven
        (feasibility not decided); its message says what was decided.
    RuntimeError
        If a draw fails its re-analysis (a bug).

    Notes
    -----
    The sampling scheme (what the draws are uniform over) is described in the module docstring
    of :mod:`survkit.trial.exact`. Every draw is re-analysed from the final patient table
    (Kaplan-Meier with the CI transform the printed-CI check finds) and must print every
    number, else ``RuntimeError``.
    """
    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a survkit Trial, got {type(trial).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    budget = _budget(budget, legacy)
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if trial.rounding == "unknown":
        # nearest first; truncation only when nearest is proven impossible (and said so)
        try:
            ens = _reconstruct(
                trial.with_rounding("nearest"), draws, seed, budget, progress, allow_partial
            )
            return dataclasses.replace(
                ens, rounding_note="rounding not printed: rounding to nearest tried first, holds"
            )
        except InfeasibleSpecError as near:
            try:
                ens = _reconstruct(
                    trial.with_rounding("truncate"), draws, seed, budget, progress, allow_partial
                )
            except InfeasibleSpecError as trunc:
                raise InfeasibleSpecError(
                    f"under rounding to nearest: {near}; under truncation: {trunc}",
                    {
                        **{f"nearest: {k}": v for k, v in near.conflicts.items()},
                        **{f"truncate: {k}": v for k, v in trunc.conflicts.items()},
                    },
                ) from None
            return dataclasses.replace(
                ens,
                rounding_note=f"rounding not printed: rounding to nearest is proven impossible "
                f"({near}); every number is judged truncated",
            )
    return _reconstruct(trial, draws, seed, budget, progress, allow_partial)


def _reconstruct(
    trial: Trial,
    draws: int,
    seed: int,
    budget: Budget,
    progress: bool | None,
    allow_partial: bool,
) -> Ensemble:
    """:func:`reconstruct` under the trial's one rounding convention; an undecided run's
    message adds what the history engine decided before it handed over."""
    history_notes: list[str] = []
    try:
        return _decide(trial, draws, seed, budget, progress, allow_partial, history_notes)
    except ReconstructionBudgetError as err:
        if not history_notes:
            raise
        extra = "history engine: " + "; ".join(history_notes)
        raise ReconstructionBudgetError(
            f"{err}; {extra}", decided=f"{err.decided}; {extra}", partial=err.partial
        ) from None


def _decide(
    trial: Trial,
    draws: int,
    seed: int,
    budget: Budget,
    progress: bool | None,
    allow_partial: bool,
    history_notes: list[str],
) -> Ensemble:
    """:func:`reconstruct` under one rounding convention: every engine in turn."""
    from survkit._progress import progress as _progress

    max_proposals, batch, pilot_size = budget.max_proposals, budget.batch, budget.pilot_size
    construct_pilot, cbatch = budget.construct_pilot, budget.cbatch
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
    common = _methods(trial, findings, common)
    all_keys = [frozenset(f.key for f in trial_facts(trial, r)) for r in range(len(trial.readings))]
    # a proof must hold under every transform the landmarks allow: take the first transform
    # (R's log first) under which some reading is not proven to conflict
    problems: list[Problem] = []
    for conf_type in common:
        problems = [
            compile_problem(trial, r, all_keys[r], conf_type, findings)
            for r in range(len(trial.readings))
        ]
        if not all(p.infeasible for p in problems):
            break
    else:
        parts_msg = []
        conflicts_all: dict[str, tuple[str, ...]] = {}
        for ct in common:
            for r, rd in enumerate(trial.readings):
                facts, how = smallest_conflict(trial, r, ct, findings)
                key = rd.name if len(common) == 1 else f"{ct}: {rd.name}"
                conflicts_all[key] = tuple(f.text for f in facts)
                parts_msg.append(
                    f"reading {rd.name!r}"
                    + (f" under the {ct} transform" if len(common) > 1 else "")
                    + f": {' + '.join(f.text for f in facts)} (proof: {how})"
                )
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): " + "; ".join(parts_msg), conflicts_all
        )
    from survkit.trial.history import covers, joint_landmark_conflict

    # several landmarks of one endpoint jointly: a proof must hold under every method left
    left = common[common.index(conf_type) :]
    joint = [joint_landmark_conflict(trial, ct, findings) for ct in left]
    if joint and all(proof for proof, _ in joint):
        proof, names = joint[0]
        rd = trial.readings[0]
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): {' + '.join(names)} (proof: {proof})",
            {rd.name if len(trial.readings) == 1 else "all": names},
        )
    # the history engine, under each method the landmarks allow: draws under the first that
    # has them; a proof only when every method is proven to conflict
    proofs: list[tuple[str, InfeasibleSpecError]] = []
    for ct in common[common.index(conf_type) :]:
        if covers(trial, ct, findings):
            proofs = []
            break
        try:
            ens = _reconstruct_history(
                trial, draws, seed, budget, rng, ct, common, findings, t0, history_notes
            )
        except InfeasibleSpecError as err:
            proofs.append((ct, err))
            continue
        if ens is not None:
            return ens
        proofs = []
        break
    if proofs and len(proofs) == 1:
        raise proofs[0][1]
    if proofs:
        raise InfeasibleSpecError(
            "; ".join(f"under the {ct} method: {err}" for ct, err in proofs),
            {f"{ct}: {k}": v for ct, err in proofs for k, v in err.conflicts.items()},
        )
    strata: list[Stratum] = []
    for p in problems:
        if p.comps.shape[0] > 0:
            strata.extend(strata_for(p, trial))
    if needs_search(trial, strata):
        return _reconstruct_search(
            trial,
            draws,
            seed,
            budget,
            rng,
            conf_type,
            common,
            findings,
            problems,
            t0,
            allow_partial,
        )
    found = [_Found() for _ in strata]
    wanted = [0] * len(strata)

    if any(st.construct_plan is not None for st in strata):
        # a stratum the construction does not cover (e.g. potential follow-up) is drawn by
        # the general engine rather than by blind proposals
        for st in strata:
            st.use_search = st.construct_plan is None

    def run_search(st: Stratum, fd: _Found, want: int, budget: int) -> Iterator[int]:
        from survkit.trial.search import search
        from survkit.trial.spec import CensoringFacts

        budget = min(budget, SEARCH_STRATUM_BUDGET)
        if fd.count >= want or budget <= 0:
            return
        sub = dataclasses.replace(
            trial,
            followup=dataclasses.replace(trial.followup, definition=st.definition or "unknown"),
            censoring=CensoringFacts("none", trial.censoring.reasons),
        )
        res = search(
            sub,
            want - fd.count,
            conf_type,
            rng,
            reading=st.problem.reading,
            max_proposals=budget,
        )
        k = len(res.definitions)
        st.proposals += res.proposals
        st.accepted += k
        tb = res.tables
        bt = Batch(tb.status, tb.fu.astype(np.int64), tb.rel, tb.death, np.ones(k, dtype=bool))
        got = fd.add(bt, np.ones(k, dtype=bool), want - fd.count)
        yield from range(got)

    def run(st: Stratum, fd: _Found, want: int, budget: int) -> Iterator[int]:
        """Sample ``st`` until ``want`` accepted or ``budget`` candidates; yield per draw."""
        if st.use_search:
            yield from run_search(st, fd, want, budget)
            return
        spent = 0
        step = cbatch if st.construct_plan is not None else batch
        while fd.count < want and spent < budget:
            b = min(step, budget - spent)
            if st.construct_plan is not None and st.accepted:
                # size the last batches by the acceptance rate seen so far
                rate = st.accepted / st.proposals
                b = min(b, max(64, math.ceil(1.25 * (want - fd.count) / rate)))
            bt = candidates(st, b, rng)
            ok = accept(st, bt)
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
        # the pilots share the overall budget: never more than max_proposals in all
        cap = max(max_proposals // max(len(strata), 1), 1)
        pilot = [
            min(pilot_size if st.construct_plan is None else construct_pilot, cap) for st in strata
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
                left = max(max_proposals - sum(s.proposals for s in strata), 0)
                yield from capped(run(strata[i], found[i], wanted[i] + short, left))
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
            facts, how = smallest_conflict(trial, r, conf_type, findings)
            if facts:
                conflicts[rd.name] = tuple(f.text for f in facts)
            else:
                undecided.append(rd.name)
                how = f"not decided: no draw found in {prop:,} candidates (feasibility not decided)"
            results.append(
                ReadingResult(
                    rd.name, rd.description, False, 0, prop, 0, tuple(f.text for f in facts), how
                )
            )
    total = sum(alloc)
    n_cand = sum(s.proposals for s in strata)
    if total == 0 and not undecided:
        msg = "; ".join(
            f"reading {r.name!r}: {' + '.join(r.conflict)} (proof: {r.proof})"
            for r in results
            if r.name in conflicts
        )
        raise InfeasibleSpecError(f"the printed facts conflict (n = {trial.n}): {msg}", conflicts)
    decided = _decided(trial, conf_type, common, findings, results, conflicts, undecided)

    def ensemble() -> Ensemble:
        parts = []
        for i, st in enumerate(strata):
            if alloc[i]:
                parts.append((st, found[i].take(alloc[i])))
        patients = build_table(trial, parts)
        verify_draws(trial, patients, conf_type)
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
            conf_type,
            common,
            findings,
            tuple(results),
            int(sum(s.proposals for s in strata)),
            int(sum(s.accepted for s in strata)),
            seed,
            _time.perf_counter() - t0,
            def_count if any(st.definition for st in strata) else {},
            sres,
            partial=total < draws,
        )

    if total < draws:
        found_text = f"only {total} of {draws} draws" if total else "no draw"
        raise ReconstructionBudgetError(
            f"{found_text} found in {n_cand:,} candidates and no conflict proven: feasibility "
            f"not decided; decided so far: {decided} (raise the budget, e.g. "
            "Budget(max_proposals=...) or --max-proposals)",
            decided=decided,
            partial=ensemble() if allow_partial and total else None,
        )
    return ensemble()


def needs_search(trial: Trial, strata: list[Stratum]) -> bool:
    """Whether the general engine (:mod:`survkit.trial.search`) decides ``trial``.

    The constructive sampler covers an OS landmark with an exhaustive history list and
    administrative censoring; anything else -- no such landmark (medians only, other
    endpoints), early censoring, censored times, event groups -- goes to the general engine.
    """
    if trial.event_groups or any(ev.kind == "censored" for ev in trial.events):
        return True
    if trial.censoring.early not in ("none", "unknown"):
        return True
    return not any(st.construct_plan is not None for st in strata)


def _reconstruct_search(
    trial: Trial,
    draws: int,
    seed: int,
    budget: Budget,
    rng: np.random.Generator,
    conf_type: str,
    common: tuple[str, ...],
    findings: list[MethodFinding],
    problems: list[Problem],
    t0: float,
    allow_partial: bool,
) -> Ensemble:
    """Draws from the general engine; early censoring "unknown" tries none first."""
    from survkit.trial.search import SearchResult, search
    from survkit.trial.spec import CensoringFacts

    live = [p.reading for p in problems if not p.infeasible]
    share = _largest_remainder(draws, np.full(len(live), 1.0 / len(live)))
    results: list[ReadingResult] = []
    parts: list[tuple[int, SearchResult]] = []
    notes: list[str] = []
    spent = 0
    for r, want in zip(live, share, strict=True):
        if want == 0:
            continue
        left = max(budget.max_proposals - spent, 1)
        res: SearchResult | None = None
        needed = early_censoring_needed(trial)
        if trial.censoring.early == "unknown" and needed:
            notes.append(f"early censoring is needed (proven: {needed})")
        if trial.censoring.early == "unknown" and not needed:
            none = dataclasses.replace(
                trial, censoring=CensoringFacts("none", trial.censoring.reasons)
            )
            res = search(none, int(want), conf_type, rng, reading=r, max_proposals=left // 2)
            spent += res.proposals
            if len(res.definitions) < want:
                notes.append(
                    f"reading {trial.readings[r].name!r}: no early censoring tried first: "
                    f"{len(res.definitions)} of {int(want)} draws found in {res.proposals:,} "
                    "candidates (not proven impossible); early censoring then allowed"
                )
                res = None
        if res is None:
            res = search(
                trial,
                int(want),
                conf_type,
                rng,
                reading=r,
                max_proposals=max(budget.max_proposals - spent, 1),
            )
            spent += res.proposals
            if res.fewest_early:
                notes.append(
                    f"reading {trial.readings[r].name!r}: the draws need early censoring; "
                    f"fewest found: {res.fewest_early} (found by search, not proven minimal)"
                )
        notes.append(
            f"reading {trial.readings[r].name!r}: {len(res.definitions)} draws from "
            f"{res.chains} chains, {res.feasible_chains} of which reached every number by "
            f"their own search ({res.copies} restarts from a copy of such a chain); draws of "
            "one chain are successive states of a Markov chain, not independent; draws per "
            "follow-up definition are as the chains found them, not equal shares"
        )
        parts.append((r, res))
    for p in problems:
        rd = trial.readings[p.reading]
        got = [res for r, res in parts if r == p.reading]
        if p.infeasible:
            facts, how = smallest_conflict(trial, p.reading, conf_type, findings)
            results.append(
                ReadingResult(
                    rd.name, rd.description, False, 0, 0, 0, tuple(f.text for f in facts), how
                )
            )
        elif got:
            g = got[0]
            results.append(
                ReadingResult(
                    rd.name,
                    rd.description,
                    bool(g.definitions),
                    len(g.definitions),
                    g.proposals,
                    g.feasible_chains,
                    proof=""
                    if g.definitions
                    else f"not decided: no draw found in {g.proposals:,} candidates",
                )
            )
    total = sum(len(res.definitions) for _, res in parts)
    hardest = [h for _, res in parts for h in res.hardest][:5]
    decided = _decided(
        trial,
        conf_type,
        common,
        findings,
        results,
        {r.name: r.conflict for r in results if r.conflict},
        [],
    )
    if hardest:
        decided += "; facts hardest to meet: " + ", ".join(hardest)

    def ensemble() -> Ensemble:
        from survkit.trial.patients import table_from_arrays

        n = trial.n
        st_l, fu_l, rel_l, d_l, e_l, ids_l, rd_l, def_l = [], [], [], [], [], [], [], []
        for r, res in parts:
            k = len(res.definitions)
            if k == 0:
                continue
            tb = res.tables
            slots = list(trial.readings[r].events)
            ids = np.array(slots + [""] * (n - len(slots)), dtype=object)
            st_l.append(tb.status)
            fu_l.append(tb.fu)
            rel_l.append(tb.rel)
            d_l.append(tb.death)
            e_l.append(tb.end)
            ids_l.append(np.broadcast_to(ids, (k, n)))
            rd_l.append(np.full(k, trial.readings[r].name, dtype=object))
            def_l.append(np.asarray(res.definitions, dtype=object))
        patients = table_from_arrays(
            trial,
            np.vstack(st_l),
            np.vstack(fu_l),
            np.vstack(rel_l),
            np.vstack(d_l),
            np.vstack(ids_l),
            np.concatenate(rd_l),
            np.concatenate(def_l),
            end=np.vstack(e_l),
        )
        verify_draws(trial, patients, conf_type)
        def_count: dict[str, int] = {}
        for _, res in parts:
            for d, c in res.per_definition.items():
                if d:
                    def_count[d] = def_count.get(d, 0) + c
        sres = tuple(
            StratumResult(trial.readings[r].name, d, res.proposals, res.feasible_chains, c, 1.0)
            for r, res in parts
            for d, c in res.per_definition.items()
        )
        return Ensemble(
            trial,
            patients,
            conf_type,
            common,
            findings,
            tuple(results),
            spent,
            sum(res.feasible_chains for _, res in parts),
            seed,
            _time.perf_counter() - t0,
            def_count,
            sres,
            kind="exact",
            partial=total < draws,
            notes=tuple(notes),
            engine="search",
        )

    if total == 0 and all(not r.feasible and r.conflict for r in results):
        msg = "; ".join(
            f"reading {r.name!r}: {' + '.join(r.conflict)} (proof: {r.proof})" for r in results
        )
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): {msg}",
            {r.name: r.conflict for r in results},
        )
    if total < draws:
        found_text = f"only {total} of {draws} draws" if total else "no draw"
        raise ReconstructionBudgetError(
            f"{found_text} found in {spent:,} candidates and no conflict proven: feasibility "
            f"not decided; decided so far: {decided} (raise the budget, e.g. "
            "Budget(max_proposals=...) or --max-proposals)",
            decided=decided,
            partial=ensemble() if allow_partial and total else None,
        )
    return ensemble()


#: Orderings the history engine may try per number of early censorings.
HISTORY_TRIES = 4_000
#: Tries (``Orderings.tried``: plans of :func:`survkit.trial.history.derived_plans` decided,
#: :data:`~survkit.trial.history.PLANS` for a history whose local search finds none) the
#: history engine may spend in all when its orderings come from that local search; once a
#: quarter of them is spent, a yield projecting fewer draws than asked hands over to the
#: general engine. A work budget, so the same seed gives the same draws on any machine.
#: Calibration: it replaces a 12 s wall-clock budget. Timing each ``orderings`` call of this
#: function with its ``tried`` on a shared 2-core machine: Maude 2014 (n = 30, 9 draws, seed
#: 3, in ``pytest tests/test_reconstruct.py``) spent the 12 s on 340 tries (112 + 228; 20-33
#: tries per second over its calls and runs); Xu 2021 (n = 58, 50 draws, seed 1, in ``pytest
#: -m slow tests/test_real_trials_more.py``) found its 50 orderings in 152 tries and ran out of
#: the 12 s before replacing the 5 that failed re-analysis (183 tries are needed); the early
#: stops of the other trials came after 64-120 tries in 3.0-4.2 s (17-40 per second). Idle,
#: ``PYTHONPATH=src python benchmarks/calibrate_budgets.py tries`` gives 43 tries per second
#: on Maude and 20 on Xu.
PLAN_TRIES = 320


def _reconstruct_history(
    trial: Trial,
    draws: int,
    seed: int,
    budget: Budget,
    rng: np.random.Generator,
    conf_type: str,
    common: tuple[str, ...],
    findings: list[MethodFinding],
    t0: float,
    found: list[str] | None = None,
) -> Ensemble | None:
    """Draws from the history engine (:mod:`survkit.trial.history`), or a proof.

    ``found`` receives what the engine decided when it hands over (returns ``None``).

    Returns ``None`` when the engine decides nothing (the general engine then runs).
    """
    from survkit.trial.history import (
        SAMPLED_HISTORIES,
        discrete_layer,
        early_lower_bound,
        needs_plans,
        orderings,
        potential_excluded,
        screen,
    )
    from survkit.trial.patients import table_from_arrays
    from survkit.trial.reanalysis import reproduce

    disc = discrete_layer(trial, conf_type, findings)
    if not disc.histories:
        if disc.exhaustive and disc.proof:
            facts, how = _history_conflict(trial, conf_type, findings)
            rd = trial.readings[0]
            raise InfeasibleSpecError(
                f"the printed facts conflict (n = {trial.n}): reading {rd.name!r}: "
                f"{' + '.join(f.text for f in facts)} (proof, under the "
                f"{endpoint_method(conf_type, disc.endpoint)} CI method of {disc.endpoint}: "
                f"{how})",
                {rd.name: tuple(f.text for f in facts)},
            )
        return None
    has_median = trial.endpoint(disc.endpoint).median is not None
    notes: list[str] = [
        f"discrete layer: {len(disc.histories)} histories of {disc.endpoint} print every "
        f"{disc.endpoint} landmark (checked jointly)"
        + (" and its median" if has_median else "")
        + (
            " (exhaustive)"
            if disc.exhaustive
            else f" (among {SAMPLED_HISTORIES:,} drawn uniformly from too many to list)"
        )
    ]
    ud = trial.unit_days
    defs = list(trial.followup.definitions)
    excl = potential_excluded(trial)
    if "potential" in defs and excl:
        defs.remove("potential")
        notes.append(f"follow-up definition 'potential' proven impossible: {excl}")
    if not (trial.followup.median is not None or trial.followup.range is not None):
        defs = [""]
    if not defs:  # the spec's only definition is proven impossible
        rd = trial.readings[0]
        fl = trial.followup
        texts = tuple(
            x
            for x in (
                "follow-up definition 'potential'",
                f"shortest follow-up {fl.range[0].text} {trial.unit}"
                if fl.range and "shortest" in excl
                else "",
                f"longest follow-up {fl.range[1].text} {trial.unit}"
                if fl.range and "longest" in excl
                else "",
            )
            if x
        )
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): reading {rd.name!r}: "
            f"{' + '.join(texts)} (proof: {excl})",
            {rd.name: texts},
        )
    scr = screen(trial, disc, followup="potential" not in defs)
    if not scr.histories and not disc.exhaustive:
        return _hand_over(found, notes)
    if not scr.histories:
        labels = sorted({lab for cyc in scr.excluded_by for lab in cyc})
        facts, how = _history_conflict(trial, conf_type, findings, require_histories=False)
        rd = trial.readings[0]
        conflict = (*(f.text for f in facts), *labels)
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): reading {rd.name!r}: "
            f"{' + '.join(conflict)} (proof: each of the {len(disc.histories)} histories of "
            f"{disc.endpoint} that print its landmarks and median needs times that the "
            "other facts forbid: its difference constraints have a negative cycle)",
            {rd.name: conflict},
        )
    if len(scr.histories) < len(disc.histories):
        notes.append(
            f"{len(disc.histories) - len(scr.histories)} of the {len(disc.histories)} "
            "histories proven impossible by their time constraints (negative cycle)"
        )
    disc = dataclasses.replace(disc, histories=scr.histories)
    lower, why = early_lower_bound(trial, defs)
    if disc.exhaustive and scr.fewest_early > lower:  # a bound over every history: a proof
        lower = scr.fewest_early
        fu_lo_m = (trial.cutoff - trial.accrual_end).days / ud
        why = (
            f"every history of {disc.endpoint} that prints its landmarks"
            + (" and median" if has_median else "")
            + " has at "
            f"least {lower} censored patient{'s' if lower > 1 else ''} whose time is below "
            f"the shortest potential follow-up ({fu_lo_m:.2f} {trial.unit}, cutoff - end of "
            "accrual), so not followed to the cutoff"
        )
    lo_e, hi_e = trial.censoring.bounds(trial.n)
    if lower > hi_e:  # proven needed, more than the spec allows
        rd = trial.readings[0]
        allowed = f"[censoring] early = {trial.censoring.early!r} (at most {hi_e})"
        raise InfeasibleSpecError(
            f"the printed facts conflict (n = {trial.n}): reading {rd.name!r}: {allowed} + "
            f"at least {lower} early censorings needed (proof: {why})",
            {rd.name: (allowed, why)},
        )
    k_found: int | None = None
    res = None
    tried_total = 0
    n = trial.n
    ids = np.array(list(trial.readings[0].events) + [""] * (n - len(trial.readings[0].events)),
                   dtype=object)
    kept: list[tuple[FloatArray, FloatArray, FloatArray, FloatArray]] = []
    kept_defs: list[str] = []
    got = 0
    # orderings from the local search (an overall-survival landmark with a CI beside the
    # listed endpoint) get a work budget (PLAN_TRIES tries in all): too low a yield hands over
    # to the general engine
    plans = needs_plans(trial)
    if plans:
        # a stream of its own (from the seed): the engines after a hand-over see the run's
        # stream as if the history engine had not run
        rng = np.random.default_rng([seed, 9])

    def left() -> int | None:
        return max(PLAN_TRIES - tried_total, 0) if plans else None

    for k in range(max(lower, lo_e), hi_e + 1):
        if left() == 0:
            break
        probe = orderings(trial, disc, k, draws, rng, HISTORY_TRIES, defs, conf_type, left())
        tried_total += probe.tried
        if plans and not probe.feasible and 4 * tried_total > PLAN_TRIES:
            break  # the local search's yield is too low: the general engine takes over
        if probe.feasible:
            k_found = k
            res = probe
            break
        if tried_total >= 3 * HISTORY_TRIES:
            break
    if k_found is None or res is None:
        return _hand_over(found, notes)
    feasible_total = 0
    rounds = 0
    while True:
        feasible_total += res.feasible
        m = res.feasible
        defs_b = res.definitions
        st = _status(res.rel, res.death)
        qs = reproduce(
            trial,
            res.fu / ud,
            res.rel / ud,
            res.death / ud,
            defs_b,
            conf_type,
            end=res.end / ud,
            event_ids=np.broadcast_to(ids, (m, n)),
            status=st,
        )
        ok = np.ones(m, dtype=bool)
        for q in qs:
            ok &= q.ok
        idx = np.flatnonzero(ok)[: draws - got]
        if idx.size:
            kept.append((res.fu[idx], res.rel[idx], res.death[idx], res.end[idx]))
            kept_defs.extend(defs_b[i] for i in idx)
            got += int(idx.size)
        rounds += 1
        if got >= draws or rounds > 20:
            break
        res = orderings(
            trial, disc, k_found, draws - got, rng, HISTORY_TRIES, defs, conf_type, left()
        )
        tried_total += res.tried
        if res.feasible == 0:
            break
    if trial.censoring.early == "unknown" or isinstance(trial.censoring.early, tuple):
        if k_found == 0:
            notes.append("no early censoring needed")
        elif k_found == lower:
            notes.append(
                f"at least {lower} early censoring{'s' if lower > 1 else ''} "
                f"{'are' if lower > 1 else 'is'} needed (proof: {why}); the draws use exactly "
                f"{k_found}, the fewest (proven)"
            )
        else:
            notes.append(
                f"the draws use {k_found} early censorings, the fewest found; "
                + (f"at least {lower} proven needed ({why}); " if lower else "")
                + f"{max(lower, lo_e)}..{k_found - 1} not decided"
            )
    notes.append(
        "draws (history engine): a history uniformly among those the discrete layer keeps, "
        "then its ordering's random choices (each event patient's last contact uniformly among "
        "the slots after its event, the patient of a printed censored time uniformly among "
        "those whose time can lie in its window), kept when the ordering's difference "
        "constraints are feasible; whole-day times uniformly over the ordering's integer "
        "points (Gibbs sampler); every draw an independent ordering; draws split equally "
        "over the follow-up definitions that fit (" + ", ".join(d for d in defs if d) + ")"
    )
    if plans:
        notes.append(
            "overall survival with a CI beside the listed endpoint: the event types drawn "
            "with the printed death count, the order of the last contacts found by a local "
            "search (history.derived_plans) -- those orderings are NOT uniform over the "
            "feasible ones; histories and times are as above"
        )
    if got == 0:
        return _hand_over(found, notes)
    fu = np.vstack([x[0] for x in kept])
    rel = np.vstack([x[1] for x in kept])
    death = np.vstack([x[2] for x in kept])
    end = np.vstack([x[3] for x in kept])
    status = _status(rel, death)
    def_arr = np.asarray(kept_defs, dtype=object)
    rd = trial.readings[0]
    results = (ReadingResult(rd.name, rd.description, True, got, tried_total, feasible_total),)

    missing = [d for d in defs if d and d not in kept_defs]
    if missing:
        notes.append(
            "no draw found for follow-up definition "
            + ", ".join(repr(d) for d in missing)
            + " (not proven impossible); its share went to the others"
        )

    def ensemble() -> Ensemble:
        patients = table_from_arrays(
            trial,
            status,
            fu,
            rel,
            death,
            np.broadcast_to(ids, (got, n)),
            np.full(got, rd.name, dtype=object),
            def_arr,
            end=end,
        )
        verify_draws(trial, patients, conf_type)
        def_count = {d: int((def_arr == d).sum()) for d in defs if d}
        sres = tuple(
            StratumResult(rd.name, d, tried_total, feasible_total, c, 1.0)
            for d, c in def_count.items()
        )
        return Ensemble(
            trial,
            patients,
            conf_type,
            common,
            findings,
            results,
            tried_total,
            feasible_total,
            seed,
            _time.perf_counter() - t0,
            def_count,
            sres,
            kind="exact",
            partial=got < draws,
            notes=tuple(notes),
            engine="history",
        )

    if got < draws:
        return _hand_over(found, notes)  # too few: the general engine tries (its own budget)
    return ensemble()


def _hand_over(found: list[str] | None, notes: list[str]) -> Ensemble | None:
    """Record what the history engine decided before it hands over to the other engines
    (returns ``None``: no ensemble)."""
    if found is not None:
        found.extend(n for n in notes if not n.startswith("draws (history engine)"))
    return None


def _methods(
    trial: Trial, findings: list[MethodFinding], common: tuple[str, ...]
) -> tuple[str, ...]:
    """The CI methods to try, in order: one method per endpoint unless ``[trial] ci_method``.

    One method for every endpoint first (``common``: the transforms consistent with every
    landmark, then "landmarks by hand, medians by software" when every landmark allows a
    hand calculation). When no one method fits every endpoint (``ci_method`` not ``"one"``
    or a named method), each endpoint gets its own -- a paper may compute endpoints with
    different software -- the first of those that print all of its landmarks. Within an
    endpoint one method prints every landmark and the median: if none does, that is a proven
    conflict naming a smallest set of its landmarks (deletion filter).

    Raises
    ------
    InfeasibleSpecError
        No method (under the spec's ``ci_method``) prints the landmarks.
    """
    has_median_ci = any(e.median_ci is not None for e in trial.endpoints)
    one = (*common, *hand_candidates(findings, common, has_median_ci))
    rule = trial.ci_method
    if rule not in ("one", "per-endpoint"):  # a named method for the whole paper
        bad = [
            f
            for f in findings
            if rule not in endpoint_methods(trial, [f]).get(f.endpoint, (rule,))
        ]
        if bad:
            raise InfeasibleSpecError(
                f"the spec's CI method {rule!r} cannot print "
                + "; ".join(f"{f.endpoint} at {f.time:g}: {f.text}" for f in bad)
                + f" with n = {trial.n} (consistent: "
                + "; ".join(f"{', '.join(f.consistent) or 'none'}" for f in bad)
                + ")",
                {"all": (f"[trial] ci_method = {rule}", *(f.text for f in bad))},
            )
        return (rule,)
    if one:
        return one
    if rule == "one":
        raise InfeasibleSpecError(
            "no single CI method prints every landmark ([trial] ci_method = \"one\"): "
            + "; ".join(
                f"{f.endpoint} {f.text}: {', '.join(f.consistent) or 'none'}" for f in findings
            ),
            {"all": (*(f.text for f in findings),)},
        )
    per_ep = endpoint_methods(trial, findings)
    for ep, ms in per_ep.items():
        if ms:
            continue
        keep = [f for f in findings if f.endpoint == ep]
        for f in list(keep):
            rest = [g for g in keep if g is not f]
            if rest and not endpoint_methods(trial, rest).get(ep):
                keep = rest
        raise InfeasibleSpecError(
            f"no one CI method prints every {ep} landmark (one method per endpoint, n = "
            f"{trial.n}): "
            + "; ".join(
                f"{ep} at {f.time:g}: {f.text} (consistent: {', '.join(f.consistent) or 'none'})"
                for f in keep
            ),
            {"all": tuple(f"{ep} at {f.time:g}: {f.text}" for f in keep)},
        )
    return (per_endpoint_method({ep: ms[0] for ep, ms in per_ep.items()}),)


def _status(rel: FloatArray, death: FloatArray) -> IntArray:
    """Status codes (:class:`~survkit.trial.status.Status`) from relapse and death days."""
    r, d = np.isfinite(rel), np.isfinite(death)
    return np.where(d, np.where(r, 2, 3), np.where(r, 1, 0)).astype(np.int64)


def _history_conflict(
    trial: Trial, conf_type: str, findings: list[MethodFinding], require_histories: bool = True
) -> tuple[tuple[Fact, ...], str]:
    """A smallest set of facts the history engine's discrete layer proves conflicting.

    Deletion filter over the endpoint's landmarks and median (the counts, ``n`` and the base
    landmark's history list always hold); a set whose discrete layer is not exhaustive is
    treated as feasible, so what is returned is proven.
    """
    from survkit.trial.history import discrete_layer

    facts = [
        f
        for f in trial_facts(trial, 0)
        if f.key.kind in (FactKind.LANDMARK, FactKind.MEDIAN)
        and f.key.name == _relapse_endpoint(trial)
    ]
    count = [f for f in trial_facts(trial, 0) if f.key == FactKey.count("relapses")]
    active = {f.key for f in facts}
    d = discrete_layer(trial, conf_type, findings, frozenset(active))
    how = d.proof
    if not require_histories:
        return tuple(count) + tuple(facts), how
    for f in facts:
        trial_keys = active - {f.key}
        dd = discrete_layer(trial, conf_type, findings, frozenset(trial_keys))
        if not dd.histories and dd.exhaustive and dd.proof:
            active, how = trial_keys, dd.proof
    return tuple(count) + tuple(f for f in facts if f.key in active), how


def _relapse_endpoint(trial: Trial) -> str:
    """The endpoint the history engine's discrete layer works on (its relapse endpoint)."""
    return next(e.name for e in trial.endpoints if "relapse" in e.events)


def _decided(
    trial: Trial,
    conf_type: str,
    common: tuple[str, ...],
    findings: list[MethodFinding],
    results: list[ReadingResult],
    conflicts: dict[str, tuple[str, ...]],
    undecided: list[str],
) -> str:
    """One sentence of what a run decided before its budget ran out."""
    parts = [f"CI transform {conf_type} (consistent: {', '.join(common)})"]
    if software_note(conf_type):
        parts.append(software_note(conf_type))
    for f in findings:
        h = f.n_histories.get(landmark_method(endpoint_method(conf_type, f.endpoint)))
        if h is not None:
            parts.append(f"{f.endpoint} at {f.time:g}: {h} histories")
    for r in results:
        if r.feasible:
            parts.append(f"reading {r.name!r} consistent ({r.accepted} found)")
        elif r.name in conflicts:
            parts.append(f"reading {r.name!r} proven conflicting")
    if undecided:
        parts.append(f"undecided readings: {', '.join(undecided)}")
    return "; ".join(parts)


def _budget(budget: Budget | None, legacy: dict[str, int]) -> Budget:
    """The budget, with the deprecated keyword knobs folded in."""
    if budget is not None and not isinstance(budget, Budget):
        raise TypeError(f"budget must be a survkit Budget, got {type(budget).__name__}")
    known = {"max_proposals", "batch", "pilot_size", "construct_pilot", "cbatch"}
    unknown = sorted(set(legacy) - known)
    if unknown:
        raise TypeError(f"reconstruct() got an unexpected keyword argument {unknown[0]!r}")
    if not legacy:
        return budget or Budget()
    warnings.warn(
        f"reconstruct({', '.join(sorted(legacy))}=...) is deprecated; pass "
        "budget=Budget(...) instead",
        DeprecationWarning,
        stacklevel=3,
    )
    return dataclasses.replace(budget or Budget(), **legacy)


def _evidence(st: Stratum) -> float:
    """Estimated prior probability that a candidate of ``st`` prints every number."""
    return (st.accepted / st.proposals) * math.exp(st.log_m) if st.proposals else math.nan


def _largest_remainder(total: int, weights: FloatArray) -> IntArray:
    """Integers summing to ``total`` proportional to ``weights`` (Hamilton's method)."""
    raw = total * weights
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


# former private names, kept for modules not yet moved to the public ones
_build_abc_table = build_abc_table
_verify_abc = verify_abc_draws
