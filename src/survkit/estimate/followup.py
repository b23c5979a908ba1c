r"""Median follow-up, by the definitions papers use.

Papers print "median follow-up 15.1 months" without saying which of these they mean:

``reverse_km``
    Reverse Kaplan-Meier (Schemper & Smith 1996): the KM median of the *censoring*
    distribution, swapping the roles of events and censorings (a death censors follow-up).
    The CI is R's, from ``survfit(Surv(time, 1 - event) ~ 1)`` printed. Recommended.
``all_patients``
    The plain median of observed times of all patients (deaths shorten it).
``survivors``
    The median observed time of patients without an event (censored), i.e. of survivors.

References
----------
Schemper M., Smith T.L. (1996). A note on quantifying follow-up in studies of failure time.
Controlled Clinical Trials 17:343-346. Shuster J.J. (1991). Median follow-up in clinical
trials. J Clin Oncol 9:191-192.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from survkit._validation import as_event_array, as_float_array, check_same_length
from survkit.estimate.ci import check_conf_level, normalize_conf_type
from survkit.estimate.km import Quantile, fit_arrays


@dataclass(frozen=True)
class FollowUp:
    """Median follow-up by several definitions (see the module notes).

    Attributes
    ----------
    reverse_km : Quantile
        Reverse Kaplan-Meier median with its confidence interval.
    all_patients : float
        Median observed time of all patients.
    survivors : float
        Median observed time of patients without an event (``nan`` if none).
    range_all : tuple of float
        (min, max) observed time of all patients.
    range_survivors : tuple of float
        (min, max) observed time of patients without an event (``nan`` if none).
    n, n_survivors : int
        Numbers of patients and of patients without an event.
    """

    reverse_km: Quantile
    all_patients: float
    survivors: float
    range_all: tuple[float, float]
    range_survivors: tuple[float, float]
    n: int
    n_survivors: int

    def to_frame(self) -> pd.DataFrame:
        """One row per definition: ``definition, estimate, lower, upper, min, max``."""
        nan = float("nan")
        rk = self.reverse_km
        return pd.DataFrame(
            {
                "definition": ["reverse_km", "all_patients", "survivors"],
                "estimate": [rk.estimate, self.all_patients, self.survivors],
                "lower": [rk.lower, nan, nan],
                "upper": [rk.upper, nan, nan],
                "min": [nan, self.range_all[0], self.range_survivors[0]],
                "max": [nan, self.range_all[1], self.range_survivors[1]],
            }
        )


def median_followup(
    time: ArrayLike,
    event: ArrayLike,
    *,
    conf_type: str = "log",
    conf_level: float = 0.95,
) -> FollowUp:
    r"""Median follow-up: reverse Kaplan-Meier with CI, and the simpler definitions.

    Parameters
    ----------
    time : array_like
        Observed times (event or censoring), non-negative.
    event : array_like
        Event indicators (1 = event such as death, 0 = censored).
    conf_type, conf_level
        CI transform and level for the reverse-KM median (R's defaults: log, 0.95).

    Returns
    -------
    FollowUp

    Notes
    -----
    Reverse KM: :math:`\hat G(t) = \prod_{t_j \le t}(1 - c_j / r_j)` with :math:`c_j` the
    censorings; the median follow-up is :math:`\min\{t: \hat G(t) < 0.5\}` (R's print rule).
    """
    t = as_float_array(time, "time", nonnegative=True)
    e = as_event_array(event, "event")
    check_same_length(time=t, event=e)
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    rev = fit_arrays(t, ~e, None, None, ct, level).median()
    surv_t = t[~e]
    nan = float("nan")
    return FollowUp(
        reverse_km=rev,
        all_patients=float(np.median(t)),
        survivors=float(np.median(surv_t)) if surv_t.size else nan,
        range_all=(float(t.min()), float(t.max())),
        range_survivors=(float(surv_t.min()), float(surv_t.max())) if surv_t.size else (nan, nan),
        n=int(t.size),
        n_survivors=int(surv_t.size),
    )
