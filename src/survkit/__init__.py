"""survkit: reproduce, check and reconstruct the survival endpoints that clinical papers print.

The four layers, imported one way (``show`` and ``reconstruct`` use ``check`` and
``estimate``; ``estimate`` uses none of them):

* :mod:`survkit.estimate` -- Kaplan-Meier identical to R ``survfit``, CIs, batched landmarks;
* :mod:`survkit.check` -- parse printed endpoints, find the CI method and event histories;
* :mod:`survkit.trial` -- patient-level timelines of a trial from what its paper reports;
* :mod:`survkit.ipd` -- patient data from digitized Kaplan-Meier figures;
* :mod:`survkit.show` -- publication-quality figures (``survkit.plot_km`` is loaded on first
  use: ``import survkit`` does not import matplotlib).
"""

import sys
from typing import TYPE_CHECKING

from survkit.check import (
    CICheck,
    CIFCICheck,
    CompetingRisksCheck,
    HandCheck,
    History,
    HRCheck,
    MedianCheck,
    MethodCheck,
    Reported,
    check_ci,
    check_cif_ci,
    check_competing_risks,
    check_hand,
    check_hr,
    check_median,
    check_table,
    history_dataset,
    parse_endpoint,
    reported_from_numbers,
)
from survkit.digitize import Digitized, digitize
from survkit.estimate import (
    CONF_TYPES,
    RMST,
    CumulativeHazard,
    CumulativeIncidence,
    CumulativeIncidenceGroups,
    FollowUp,
    GrayTest,
    KaplanMeier,
    KaplanMeierGroups,
    LandmarkBatch,
    LogRank,
    Quantile,
    confint,
    cumulative_incidence,
    get_num_threads,
    gray_test,
    kaplan_meier,
    kaplan_meier_at,
    kaplan_meier_from_counts,
    logrank_from_counts,
    logrank_test,
    median_followup,
    nelson_aalen,
    set_num_threads,
)
from survkit.ipd import IPDResult, reconstruct_ipd, reconstruct_ipd_arms
from survkit.printed import Printed, parse_printed
from survkit.trial import (
    Ensemble,
    InfeasibleSpecError,
    ReconstructionBudgetError,
    Trial,
    abc,
    abc_reconstruct,
    fit_model,
    reconstruct,
    simulate_trial,
)

__version__ = "0.1.0"

#: Names loaded on first use (PEP 562), so that ``import survkit`` does not import matplotlib.
_LAZY = {"plot_km": "survkit.show.km"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'survkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


if not TYPE_CHECKING:
    # ``survkit.digitize`` is the callable package rather than the function, so that its
    # submodules stay reachable by ``import survkit.digitize.core as core``
    digitize = sys.modules["survkit.digitize"]

__all__ = [
    "CONF_TYPES",
    "RMST",
    "CICheck",
    "CIFCICheck",
    "CompetingRisksCheck",
    "CumulativeHazard",
    "CumulativeIncidence",
    "CumulativeIncidenceGroups",
    "Digitized",
    "Ensemble",
    "FollowUp",
    "GrayTest",
    "HRCheck",
    "HandCheck",
    "History",
    "IPDResult",
    "InfeasibleSpecError",
    "KaplanMeier",
    "KaplanMeierGroups",
    "LandmarkBatch",
    "LogRank",
    "MedianCheck",
    "MethodCheck",
    "Printed",
    "Quantile",
    "ReconstructionBudgetError",
    "Reported",
    "Trial",
    "__version__",
    "abc",
    "abc_reconstruct",
    "check_ci",
    "check_cif_ci",
    "check_competing_risks",
    "check_hand",
    "check_hr",
    "check_median",
    "check_table",
    "confint",
    "cumulative_incidence",
    "digitize",
    "fit_model",
    "get_num_threads",
    "gray_test",
    "history_dataset",
    "kaplan_meier",
    "kaplan_meier_at",
    "kaplan_meier_from_counts",
    "logrank_from_counts",
    "logrank_test",
    "median_followup",
    "nelson_aalen",
    "parse_endpoint",
    "parse_printed",
    "plot_km",
    "reconstruct",
    "reconstruct_ipd",
    "reconstruct_ipd_arms",
    "reported_from_numbers",
    "set_num_threads",
    "simulate_trial",
]
