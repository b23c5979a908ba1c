"""Reconstruct patient-level data of a trial from what its paper printed, and simulate trials.

* :class:`Trial` -- the trial specification (TOML), :func:`reconstruct` -- exact
  reconstruction into an :class:`Ensemble` of patient-level tables;
* :func:`simulate_trial`, :func:`abc`, :func:`abc_reconstruct`, :func:`fit_model` --
  parametric models fitted to printed numbers, simulation and ABC.
"""

from survkit.trial.exact import (
    Ensemble,
    InfeasibleSpecError,
    ReconstructionBudgetError,
    reconstruct,
)
from survkit.trial.models import SurvivalModel, fit_model
from survkit.trial.simulate import (
    ABCResult,
    ABCSummary,
    SimulatedTrials,
    abc,
    abc_reconstruct,
    simulate_trial,
)
from survkit.trial.spec import Trial

__all__ = [
    "ABCResult",
    "ABCSummary",
    "Ensemble",
    "InfeasibleSpecError",
    "ReconstructionBudgetError",
    "SimulatedTrials",
    "SurvivalModel",
    "Trial",
    "abc",
    "abc_reconstruct",
    "fit_model",
    "reconstruct",
    "simulate_trial",
]
