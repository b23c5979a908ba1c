"""Plot reconstructed trials: median KM curve, pointwise envelope, printed landmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survkit.show._common import overlay_printed, palette, style_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from survkit.trial.exact import Ensemble


def plot_ensemble_km(
    ens: Ensemble,
    ax: Axes | None = None,
    *,
    level: float = 0.95,
    endpoints: tuple[str, ...] | None = None,
) -> Figure:
    """Draw every endpoint of ``ens`` (e.g. OS and DFS) as reconstructed across draws.

    For each endpoint, the pointwise median of the draws' Kaplan-Meier curves (a step line), the
    pointwise central ``level`` envelope (shaded), and each printed landmark with its CI whiskers
    (a diamond in the endpoint's colour, offset sideways from the other endpoints' so that
    the whiskers do not overlap). Pointwise quantiles across draws are not a confidence band:
    they show how much the facts leave the curve undetermined.

    Returns the figure (Agg-safe; matplotlib is imported here).
    """
    import matplotlib.pyplot as plt

    from survkit.check.parse import parse_endpoint

    if ax is None:
        fig, ax = plt.subplots(figsize=(7.0, 4.5))
    else:
        fig = ax.figure  # type: ignore[assignment]
    eps = [ens.trial.endpoint(e) for e in endpoints] if endpoints else list(ens.trial.endpoints)
    colors = palette(len(eps))
    # printed landmarks of different endpoints at the same time are offset sideways so that
    # their CI whiskers do not overlap (1% of the time axis per endpoint, centred)
    dx = 0.01 * ens.trial.max_followup
    offsets = [(i - (len(eps) - 1) / 2.0) * dx for i in range(len(eps))]
    for ep, col, off in zip(eps, colors, offsets, strict=True):
        env = ens.km_envelope(ep.name, level=level)
        ax.fill_between(
            env["time"], env["lower"], env["upper"], step="post", color=col, alpha=0.18, linewidth=0
        )
        ax.step(
            env["time"],
            env["median"],
            where="post",
            color=col,
            linewidth=2,
            label=f"{ep.name} (median of {ens.draws} draws; {level:.0%} envelope)",
        )
        for lm in ep.landmarks:
            rep = parse_endpoint(lm.text)
            overlay_printed(
                ax,
                lm.time + off,
                rep.estimate,
                rep.lower,
                rep.upper,
                label=f"{ep.name} printed: {lm.text}",
                color=col,
            )
    style_axes(ax, percent=True)
    ax.set_xlim(0, ens.trial.max_followup)
    ax.set_xlabel(f"{ens.trial.unit.capitalize()} since {ens.trial.origin}")
    ax.set_ylabel("Survival")
    ax.set_title(f"{ens.trial.id}: reconstructed curves (CI method: {ens.method})")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig
