"""Figure of a :class:`~survkit.check.ci_check.CICheck`: histories (or verdicts) per CI method."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from survkit.check.ci_check import CICheck

_HELD = "#0072B2"  # Okabe-Ito blue: consistent under nearest rounding
_TRUNC_ONLY = "#E69F00"  # orange: consistent only if truncated
_EXCLUDED = "#BBBBBB"


def plot_check(res: CICheck, ax: Any = None) -> Any:
    """Bar chart of the number of histories (without ``n``: 1 = consistent) per method.

    Bars are blue when the method holds with numbers rounded to nearest, orange when it holds
    only if they were truncated, grey when excluded. Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    names = list(res.methods)
    vals = [float(res.n_histories.get(ct, int(res.methods[ct].consistent)) or 0) for ct in names]
    colors = []
    for ct in names:
        m = res.methods[ct]
        if not m.consistent:
            colors.append(_EXCLUDED)
        elif m.rounding == ("truncate",):
            colors.append(_TRUNC_ONLY)
        else:
            colors.append(_HELD)
    ax.bar(names, vals, color=colors)
    ax.set_ylabel("histories" if res.n is not None else "consistent")
    ax.set_title(", ".join(r.text for r in res.reported)[:80], fontsize=9)
    return ax
