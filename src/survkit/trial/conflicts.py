"""Proofs of conflict: a smallest set of printed facts that cannot hold together.

Deletion filter (Chinneck & Dravnieks 1991, ORSA J. Computing 3:157-168) over every
droppable fact of a reading; infeasibility of a fact set is decided by the exact layers of
:mod:`survkit.trial.problem` only, so a conflict returned is a proof.
"""

from __future__ import annotations

from survkit.trial.facts import Fact, FactKey, FactKind, trial_facts
from survkit.trial.methods import MethodFinding
from survkit.trial.problem import compile_problem
from survkit.trial.spec import Trial


def smallest_conflict(
    trial: Trial,
    reading: int,
    conf_type: str,
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
            f.key.kind is not FactKind.FOLLOWUP,
            f.key.kind is not FactKind.EVENT,
            f.key.kind is FactKind.LANDMARK,
        ),
    )
    active = {f.key for f in facts}

    def infeasible(keys: set[FactKey]) -> str | None:
        p = compile_problem(trial, reading, frozenset(keys), conf_type, findings)
        return p.proof or None

    how = infeasible(active)
    if how is None:
        return (), ""
    for f in order:
        trial_keys = active - {f.key}
        h = infeasible(trial_keys)
        if h is not None:
            active, how = trial_keys, h
    return tuple(f for f in facts if f.key in active), how
