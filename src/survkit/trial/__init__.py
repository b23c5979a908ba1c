"""Reconstruct patient-level data of a trial from what its paper printed, and simulate trials.

* :class:`Trial` -- the trial specification (TOML), :func:`reconstruct` -- exact
  reconstruction into an :class:`Ensemble` of patient-level tables, within a :class:`Budget`;
  the modules by idea: ``spec`` (TOML reading), ``status`` (:class:`Status`), ``facts``
  (typed fact keys), ``methods`` (CI-transform finding), ``problem`` (the search problem of a
  reading), ``conflicts`` (smallest conflicting sets), ``proposal`` and ``_construct`` (the
  samplers), ``reanalysis``, ``patients`` (the patient table), ``ensemble``, ``report``,
  ``exact`` (the driver);
* :func:`simulate_trial`, :func:`abc`, :func:`abc_reconstruct`, :func:`fit_model` --
  parametric models fitted to printed numbers, simulation and ABC.
"""

from survkit.trial.budget import Budget
from survkit.trial.ensemble import Ensemble
from survkit.trial.errors import InfeasibleSpecError, ReconstructionBudgetError
from survkit.trial.exact import reconstruct
from survkit.trial.facts import Fact, FactKey, FactKind
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
from survkit.trial.status import Status

__all__ = [
    "ABCResult",
    "ABCSummary",
    "Budget",
    "Ensemble",
    "Fact",
    "FactKey",
    "FactKind",
    "InfeasibleSpecError",
    "ReconstructionBudgetError",
    "SimulatedTrials",
    "Status",
    "SurvivalModel",
    "Trial",
    "abc",
    "abc_reconstruct",
    "fit_model",
    "reconstruct",
    "simulate_trial",
]
