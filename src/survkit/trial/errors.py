"""The two ways a reconstruction can fail to produce draws: proven conflict, or undecided."""

from __future__ import annotations


class InfeasibleSpecError(ValueError):
    """The printed facts cannot all hold (a proof); ``conflicts`` maps reading -> smallest set."""

    def __init__(self, message: str, conflicts: dict[str, tuple[str, ...]]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


class ReconstructionBudgetError(RuntimeError):
    """Too few draws found within the budget and no conflict proven: feasibility NOT decided.

    ``decided`` says in words what was decided before the budget ran out (CI transform,
    histories, readings); ``partial`` holds the :class:`~survkit.trial.ensemble.Ensemble` of
    the draws found (``None`` when none was found), each of which prints every number.
    """

    def __init__(self, message: str, *, decided: str = "", partial: object = None) -> None:
        super().__init__(message)
        self.decided = decided
        self.partial = partial
