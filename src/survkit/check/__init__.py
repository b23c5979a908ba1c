"""Checking printed survival endpoints: infer the CI method, enumerate histories, check HRs.

* :func:`check_ci` -- which CI methods, under which rounding convention, and which event
  histories reproduce a printed Kaplan-Meier estimate with its confidence interval
  (:mod:`survkit.check.ci_check`, built from :mod:`~survkit.check.landmark`,
  :mod:`~survkit.check.methods`, :mod:`~survkit.check.width`, :mod:`~survkit.check.reach`,
  :mod:`~survkit.check.counting`, :mod:`~survkit.check.search`, :mod:`~survkit.check.history`).
* :func:`check_table` -- one report row per printed endpoint of a corpus, locally or on a Dask
  ``Client`` (:mod:`survkit.check.batch`; what ``survkit check --csv`` runs).
* :func:`check_hr` -- symmetry, implied SE, p-value and events of a printed hazard ratio.
* :func:`parse_endpoint`, :func:`reported_from_numbers`, :func:`rounding_interval` -- re-exported
  from :mod:`survkit.printed`, the one home of printed numbers.
"""

from survkit.check.batch import TableCheck, check_row, check_table
from survkit.check.ci_check import CICheck, MethodCheck, check_ci
from survkit.check.cif import CIFCICheck, CompetingRisksCheck, check_cif_ci, check_competing_risks
from survkit.check.history import History, history_dataset
from survkit.check.hr import HRCheck, check_hr
from survkit.check.methods import TRANSFORMS, CIMethod, TransformMethod
from survkit.printed import Reported, parse_endpoint, reported_from_numbers, rounding_interval

__all__ = [
    "TRANSFORMS",
    "CICheck",
    "CIFCICheck",
    "CIMethod",
    "CompetingRisksCheck",
    "HRCheck",
    "History",
    "MethodCheck",
    "Reported",
    "TableCheck",
    "TransformMethod",
    "check_ci",
    "check_cif_ci",
    "check_competing_risks",
    "check_hr",
    "check_row",
    "check_table",
    "history_dataset",
    "parse_endpoint",
    "reported_from_numbers",
    "rounding_interval",
]
