"""Shared plotting pieces: the colour-blind-safe palette, p-value formatting, printed landmarks.

Everything that draws in :mod:`survkit.show` (Kaplan-Meier curves, reconstructed curves,
checks of printed numbers) takes its colours and its publication defaults from here, so all
figures of the package look alike. matplotlib is imported lazily, inside the functions.

References
----------
Okabe M., Ito K. (2008). Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
Wong B. (2011). Points of view: Color blindness. Nature Methods 8:441.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.container import ErrorbarContainer

#: The eight Okabe-Ito colours by name.
OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Order in which curves take the Okabe-Ito colours: the high-contrast ones first, yellow
#: (weak on white) last.
PALETTE: Final[tuple[str, ...]] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish green"],
    OKABE_ITO["orange"],
    OKABE_ITO["reddish purple"],
    OKABE_ITO["sky blue"],
    OKABE_ITO["black"],
    OKABE_ITO["yellow"],
)

#: Colour of annotations that are not a curve (median guides, printed landmarks).
ANNOTATION_COLOR: Final[str] = "#4D4D4D"


def palette(n: int) -> list[str]:
    """Return ``n`` colours from :data:`PALETTE`, cycling when ``n`` exceeds eight."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    return [PALETTE[i % len(PALETTE)] for i in range(n)]


def resolve_colors(
    labels: Sequence[str], colors: Sequence[str] | Mapping[str, str] | None
) -> list[str]:
    """Colour per label: ``colors`` may be ``None`` (palette), a sequence, or a mapping by label.

    A mapping need not cover every label; the others take palette colours in order.
    """
    default = palette(len(labels))
    if colors is None:
        return default
    if isinstance(colors, str):
        return [colors] * len(labels)
    if isinstance(colors, Mapping):
        return [str(colors.get(lab, default[i])) for i, lab in enumerate(labels)]
    seq = list(colors)
    if len(seq) < len(labels):
        raise ValueError(
            f"colors has {len(seq)} entries but {len(labels)} curves are drawn"
        )
    return [str(c) for c in seq[: len(labels)]]


def format_p(p: float, *, threshold: float = 0.001, prefix: str = "p") -> str:
    """Format a p-value as journals print it.

    Three significant digits (``"p = 0.0123"``, ``"p = 0.5"``); below ``threshold``,
    ``"p < 0.001"``. NaN gives ``"p = NA"``.

    Examples
    --------
    >>> format_p(0.012345)
    'p = 0.0123'
    >>> format_p(0.0002)
    'p < 0.001'
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return f"{prefix} = NA"
    p = float(p)
    if math.isnan(p):
        return f"{prefix} = NA"
    if p < 0 or p > 1:
        raise ValueError(f"p must be in [0, 1], got {p!r}")
    if p < threshold:
        return f"{prefix} < {threshold:g}"
    text = f"{p:.3g}"
    if "e" in text:  # only reachable with a threshold below 1e-4
        text = f"{p:.3e}"
    return f"{prefix} = {text}"


def style_axes(ax: Axes, *, percent: bool = False, ylim: tuple[float, float] = (0.0, 1.02)) -> None:
    """Publication defaults: no top/right spines, outward ticks, y from 0 to 1 (or 0-100 %).

    The y axis ends at 1.02 by default so that a curve at S = 1 is not half hidden by the
    frame; ticks run 0, 0.2, ..., 1.
    """
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(direction="out")
    ax.set_ylim(*ylim)
    ax.yaxis.set_major_locator(MultipleLocator(0.2))
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))


def _check_prob(value: float, name: str, *, allow_nan: bool) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    if math.isnan(v):
        if allow_nan:
            return v
        raise ValueError(f"{name} is NaN")
    if not (0.0 <= v <= 1.0):
        hint = " (give probabilities: divide percentages by 100)" if 1.0 < v <= 100.0 else ""
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}{hint}")
    return v


def overlay_printed(
    ax: Axes,
    time: float,
    estimate: float,
    lower: float | None = None,
    upper: float | None = None,
    label: str | None = None,
    *,
    color: str = ANNOTATION_COLOR,
    marker: str = "D",
    annotate: bool = True,
    **kwargs: Any,
) -> ErrorbarContainer:
    """Draw a printed landmark (e.g. "1-year OS 68% (95% CI, 43 to 100)") with CI whiskers.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding the survival curve (y in probability units, 0-1).
    time : float
        Landmark time, in the curve's time unit.
    estimate, lower, upper : float
        Printed estimate and confidence limits as probabilities in [0, 1]; ``lower``/``upper``
        may be ``None`` or NaN when the paper prints no CI (then no whisker is drawn).
    label : str, optional
        Legend label; with ``annotate`` also written next to the marker.
    color, marker : str
        Marker colour and shape (default dark grey diamond, distinct from the curves).
    annotate : bool
        Write ``label`` beside the point.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib.container.ErrorbarContainer
        The marker and whiskers.

    Raises
    ------
    ValueError
        If a value is outside [0, 1] (percentages must be divided by 100), if ``lower`` is above
        ``estimate`` or ``upper`` below it, or if ``time`` is negative or not finite.
    """
    try:
        t = float(time)
    except (TypeError, ValueError):
        raise TypeError(f"time must be a number, got {time!r}") from None
    if not math.isfinite(t) or t < 0:
        raise ValueError(f"time must be finite and non-negative, got {time!r}")
    est = _check_prob(estimate, "estimate", allow_nan=False)
    lo = _check_prob(math.nan if lower is None else lower, "lower", allow_nan=True)
    hi = _check_prob(math.nan if upper is None else upper, "upper", allow_nan=True)
    if not math.isnan(lo) and lo > est:
        raise ValueError(f"lower ({lower!r}) is above estimate ({estimate!r})")
    if not math.isnan(hi) and hi < est:
        raise ValueError(f"upper ({upper!r}) is below estimate ({estimate!r})")
    below = 0.0 if math.isnan(lo) else est - lo
    above = 0.0 if math.isnan(hi) else hi - est
    opts: dict[str, Any] = {
        "fmt": marker,
        "color": color,
        "ecolor": color,
        "elinewidth": 1.2,
        "capsize": 3.5,
        "markersize": 5,
        "zorder": 5,
    }
    opts.update(kwargs)
    container = ax.errorbar([t], [est], yerr=[[below], [above]], label=label, **opts)
    if annotate and label:
        ax.annotate(
            label,
            xy=(t, est),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize="small",
            color=color,
            ha="left",
            va="bottom",
        )
    return container
