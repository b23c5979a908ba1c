"""Individual patient data from digitized Kaplan-Meier figures.

:func:`reconstruct_ipd`, :func:`reconstruct_ipd_arms` -- Guyot et al. (2012), with survkit's
corrections (snapped corners, isotonic smoothing, exact totals); both return an
:class:`IPDResult` (data, report with flags, ``to_frame()``, ``plot()``); with ``surv_tol``
(curves whose steps are known precisely) the exact reconstruction of :mod:`survkit.ipd.exact`.
:func:`compare_arms`, :func:`check_hr_ipd` -- Cox hazard ratios of reconstructed arms
(lifelines, Efron ties as R ``coxph``) with the log-rank test; a printed HR beside them.
"""

from survkit.ipd.compare import ArmComparison, HRAgreement, check_hr_ipd, compare_arms
from survkit.ipd.reconstruct import (
    IPDArmsReport,
    IPDReport,
    IPDResult,
    reconstruct_ipd,
    reconstruct_ipd_arms,
)

__all__ = [
    "ArmComparison",
    "HRAgreement",
    "IPDArmsReport",
    "IPDReport",
    "IPDResult",
    "check_hr_ipd",
    "compare_arms",
    "reconstruct_ipd",
    "reconstruct_ipd_arms",
]
