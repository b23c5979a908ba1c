"""Individual patient data from digitized Kaplan-Meier figures.

:func:`reconstruct_ipd`, :func:`reconstruct_ipd_arms` -- Guyot et al. (2012), with survkit's
corrections (snapped corners, isotonic smoothing, exact totals).
"""

from survkit.ipd.reconstruct import (
    IPDArmsReport,
    IPDReport,
    reconstruct_ipd,
    reconstruct_ipd_arms,
)

__all__ = ["IPDArmsReport", "IPDReport", "reconstruct_ipd", "reconstruct_ipd_arms"]
