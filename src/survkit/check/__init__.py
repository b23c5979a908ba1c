"""Checking printed survival endpoints: infer the CI method, enumerate histories, check HRs.

* :func:`check_ci` -- which CI methods, under which rounding convention, and which event
  histories reproduce a printed Kaplan-Meier estimate with its confidence interval
  (:mod:`survkit.check.ci_check`, built from :mod:`~survkit.check.landmark`,
  :mod:`~survkit.check.methods`, :mod:`~survkit.check.width`, :mod:`~survkit.check.reach`,
  :mod:`~survkit.check.counting`, :mod:`~survkit.check.search`, :mod:`~survkit.check.history`).
* :func:`check_hand` -- could the CI have been computed by hand (estimate +/- z SE from
  rounded numbers)? :func:`check_median` -- which software's median CI reproduces a printed
  median, given the data. :mod:`~survkit.check.catalogue` -- which software each CI method
  points to (:func:`software_for`, :func:`methods_for`, :func:`likely_software`).
* :func:`check_table` -- one report row per printed endpoint of a corpus, locally or on a Dask
  ``Client`` (:mod:`survkit.check.batch`; what ``survkit check --csv`` runs).
* :func:`check_hr` -- symmetry, implied SE, p-value and events of a printed hazard ratio.
* :func:`parse_endpoint`, :func:`reported_from_numbers`, :func:`rounding_interval` -- re-exported
  from :mod:`survkit.printed`, the one home of printed numbers.
"""

from survkit.check.batch import TableCheck, check_row, check_table
from survkit.check.catalogue import (
    CATALOGUE,
    common_software,
    likely_software,
    methods_for,
    software_for,
)
from survkit.check.ci_check import CICheck, MethodCheck, check_ci
from survkit.check.cif import CIFCICheck, CompetingRisksCheck, check_cif_ci, check_competing_risks
from survkit.check.hand import HandCheck, HandVariant, check_hand
from survkit.check.history import History, history_dataset
from survkit.check.hr import HRCheck, check_hr
from survkit.check.median import MedianCheck, check_median
from survkit.check.methods import TRANSFORMS, CIMethod, TransformMethod
from survkit.printed import Reported, parse_endpoint, reported_from_numbers, rounding_interval

__all__ = [
    "CATALOGUE",
    "TRANSFORMS",
    "CICheck",
    "CIFCICheck",
    "CIMethod",
    "CompetingRisksCheck",
    "HRCheck",
    "HandCheck",
    "HandVariant",
    "History",
    "MedianCheck",
    "MethodCheck",
    "Reported",
    "TableCheck",
    "TransformMethod",
    "check_ci",
    "check_cif_ci",
    "check_competing_risks",
    "check_hand",
    "check_hr",
    "check_median",
    "check_row",
    "check_table",
    "common_software",
    "history_dataset",
    "likely_software",
    "methods_for",
    "parse_endpoint",
    "reported_from_numbers",
    "rounding_interval",
    "software_for",
]
