"""Figures: Kaplan-Meier curves with CI bands, censor marks and risk tables; printed numbers
overlaid; ensemble envelopes; swimmer plots; IPD accuracy plots. matplotlib is imported here."""

from survkit.show._common import OKABE_ITO, format_p, overlay_printed
from survkit.show.ensemble import plot_ensemble_km, plot_reproduction
from survkit.show.ipd import plot_ipd_report
from survkit.show.km import KMPlot, plot_km, step_vertices
from survkit.show.swimmer import plot_swimmer

__all__ = [
    "OKABE_ITO",
    "KMPlot",
    "format_p",
    "overlay_printed",
    "plot_ensemble_km",
    "plot_ipd_report",
    "plot_km",
    "plot_reproduction",
    "plot_swimmer",
    "step_vertices",
]
