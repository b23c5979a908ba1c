"""Reconstruct patient-level data from what a paper printed, and simulate trials."""

from survkit.reconstruct.exact import Ensemble, InfeasibleSpecError, reconstruct
from survkit.reconstruct.trial import Trial

__all__ = ["Ensemble", "InfeasibleSpecError", "Trial", "reconstruct"]
