"""survkit: reproduce, check and reconstruct the survival endpoints that clinical papers print.

The four layers, imported one way (``show`` and ``reconstruct`` use ``check`` and
``estimate``; ``estimate`` uses none of them):

* :mod:`survkit.estimate` -- Kaplan-Meier identical to R ``survfit``, CIs, batched landmarks;
* :mod:`survkit.check` -- parse printed endpoints, find the CI method and event histories;
* :mod:`survkit.reconstruct` -- patient-level timelines from what a paper reports;
* :mod:`survkit.show` -- publication-quality figures.
"""

from survkit.check import (
    CICheck,
    History,
    HRCheck,
    MethodCheck,
    Reported,
    check_ci,
    check_hr,
    history_dataset,
    parse_endpoint,
    reported_from_numbers,
)
from survkit.digitize import Digitized, digitize
from survkit.estimate import (
    CONF_TYPES,
    RMST,
    FollowUp,
    KaplanMeier,
    KaplanMeierGroups,
    LandmarkBatch,
    LogRank,
    Quantile,
    confint,
    kaplan_meier,
    kaplan_meier_at,
    logrank_test,
    median_followup,
)
from survkit.reconstruct import (
    Ensemble,
    InfeasibleSpecError,
    ReconstructionBudgetError,
    Trial,
    abc,
    abc_reconstruct,
    fit_model,
    reconstruct,
    reconstruct_ipd,
    reconstruct_ipd_arms,
    simulate_trial,
)

__version__ = "0.1.0"

__all__ = [
    "CONF_TYPES",
    "RMST",
    "CICheck",
    "Digitized",
    "Ensemble",
    "FollowUp",
    "HRCheck",
    "History",
    "InfeasibleSpecError",
    "KaplanMeier",
    "KaplanMeierGroups",
    "LandmarkBatch",
    "LogRank",
    "MethodCheck",
    "Quantile",
    "ReconstructionBudgetError",
    "Reported",
    "Trial",
    "__version__",
    "abc",
    "abc_reconstruct",
    "check_ci",
    "check_hr",
    "confint",
    "digitize",
    "fit_model",
    "history_dataset",
    "kaplan_meier",
    "kaplan_meier_at",
    "logrank_test",
    "median_followup",
    "parse_endpoint",
    "reconstruct",
    "reconstruct_ipd",
    "reconstruct_ipd_arms",
    "reported_from_numbers",
    "simulate_trial",
]
