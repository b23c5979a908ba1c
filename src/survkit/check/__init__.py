"""Checking printed survival endpoints: parse them, infer the CI method, enumerate histories.

* :func:`parse_endpoint` -- ``"68% (95% CI, 43 to 100)"`` into rounding intervals.
* :func:`check_ci` -- which CI transforms and which event histories reproduce a printed
  Kaplan-Meier estimate with its confidence interval.
* :func:`check_hr` -- symmetry, implied SE, p-value and events of a printed hazard ratio.
"""

from survkit.check.ci_check import CICheck, History, MethodCheck, check_ci, history_dataset
from survkit.check.hr import HRCheck, check_hr
from survkit.check.parse import Reported, parse_endpoint, reported_from_numbers, rounding_interval

__all__ = [
    "CICheck",
    "HRCheck",
    "History",
    "MethodCheck",
    "Reported",
    "check_ci",
    "check_hr",
    "history_dataset",
    "parse_endpoint",
    "reported_from_numbers",
    "rounding_interval",
]
