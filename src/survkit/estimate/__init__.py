"""Estimation: Kaplan-Meier (R-identical), CI transforms, batched landmarks, log-rank, follow-up.

This layer imports nothing from :mod:`survkit.check`, :mod:`survkit.trial` or
:mod:`survkit.show` (``plot()`` methods import :mod:`survkit.show` lazily, when called).
"""

from survkit.estimate.batch import LandmarkBatch, kaplan_meier_at
from survkit.estimate.ci import CONF_TYPES, confint
from survkit.estimate.cif import (
    CumulativeIncidence,
    CumulativeIncidenceGroups,
    cumulative_incidence,
)
from survkit.estimate.counts import kaplan_meier_from_counts, logrank_from_counts
from survkit.estimate.followup import FollowUp, median_followup
from survkit.estimate.gray import GrayTest, gray_test
from survkit.estimate.hazard import CumulativeHazard, nelson_aalen
from survkit.estimate.km import RMST, KaplanMeier, KaplanMeierGroups, Quantile, kaplan_meier
from survkit.estimate.logrank import LogRank, logrank_test
from survkit.estimate.threads import get_num_threads, set_num_threads

__all__ = [
    "CONF_TYPES",
    "RMST",
    "CumulativeHazard",
    "CumulativeIncidence",
    "CumulativeIncidenceGroups",
    "FollowUp",
    "GrayTest",
    "KaplanMeier",
    "KaplanMeierGroups",
    "LandmarkBatch",
    "LogRank",
    "Quantile",
    "confint",
    "cumulative_incidence",
    "get_num_threads",
    "gray_test",
    "kaplan_meier",
    "kaplan_meier_at",
    "kaplan_meier_from_counts",
    "logrank_from_counts",
    "logrank_test",
    "median_followup",
    "nelson_aalen",
    "set_num_threads",
]
