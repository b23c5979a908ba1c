"""Reconstruct patient-level data from what a paper printed, and simulate trials.

* :class:`Trial` -- the trial specification (TOML), :func:`reconstruct` -- exact
  reconstruction into an :class:`Ensemble` of patient-level tables;
* :func:`simulate_trial`, :func:`abc`, :func:`abc_reconstruct`, :func:`fit_model` --
  parametric models fitted to printed numbers, simulation and ABC;
* :func:`reconstruct_ipd`, :func:`reconstruct_ipd_arms` -- individual patient data from
  digitized Kaplan-Meier figures (Guyot et al. 2012, with survkit's corrections).
"""

from survkit.reconstruct.exact import (
    Ensemble,
    InfeasibleSpecError,
    ReconstructionBudgetError,
    reconstruct,
)
from survkit.reconstruct.ipd import IPDArmsReport, IPDReport, reconstruct_ipd, reconstruct_ipd_arms
from survkit.reconstruct.models import SurvivalModel, fit_model
from survkit.reconstruct.simulate import (
    ABCResult,
    ABCSummary,
    SimulatedTrials,
    abc,
    abc_reconstruct,
    simulate_trial,
)
from survkit.reconstruct.trial import Trial

__all__ = [
    "ABCResult",
    "ABCSummary",
    "Ensemble",
    "IPDArmsReport",
    "IPDReport",
    "InfeasibleSpecError",
    "ReconstructionBudgetError",
    "SimulatedTrials",
    "SurvivalModel",
    "Trial",
    "abc",
    "abc_reconstruct",
    "fit_model",
    "reconstruct",
    "reconstruct_ipd",
    "reconstruct_ipd_arms",
    "simulate_trial",
]
