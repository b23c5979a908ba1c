"""The drawing a figure reader returns: strokes and words in page coordinates.

Every reader (PDF, SVG, raster) turns its input into a :class:`Scene` so that axis
calibration, curve separation, censor marks, legend and at-risk table are written once.
Coordinates are those of the page with ``y`` growing **downwards** (PDF is converted), in
points for vector input and pixels for raster input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Colour", "Scene", "Stroke", "Word"]

#: An RGB colour with components in [0, 1].
Colour = tuple[float, float, float]


@dataclass(frozen=True, eq=False)
class Stroke:
    """One drawn path: its vertices, colour and style.

    Attributes
    ----------
    points : (k, 2) ndarray
        Vertices ``x, y`` (y downwards); curves in the path are flattened to their end points.
    colour : Colour or None
        Stroke colour (``None`` when the path is not stroked).
    fill : Colour or None
        Fill colour (``None`` when the path is not filled).
    width : float
        Line width in page units.
    dash : tuple of float
        Dash pattern (lengths in page units); empty for a solid line.
    alpha : float
        Opacity of the fill (1 when opaque or unknown).
    x0, x1, top, bottom : float
        The bounding box (computed from ``points``).
    """

    points: NDArray[np.float64]
    colour: Colour | None
    fill: Colour | None = None
    width: float = 1.0
    dash: tuple[float, ...] = ()
    alpha: float = 1.0

    x0: float = field(init=False, repr=False)
    x1: float = field(init=False, repr=False)
    top: float = field(init=False, repr=False)
    bottom: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # the bounding box, computed once: left, right, top (smallest y), bottom (largest y)
        lo = self.points.min(axis=0)
        hi = self.points.max(axis=0)
        object.__setattr__(self, "x0", float(lo[0]))
        object.__setattr__(self, "x1", float(hi[0]))
        object.__setattr__(self, "top", float(lo[1]))
        object.__setattr__(self, "bottom", float(hi[1]))

    @property
    def dashed(self) -> bool:
        """Whether the stroke has a dash pattern."""
        return bool(self.dash)

    @property
    def style(self) -> tuple[Colour | None, tuple[float, ...]]:
        """Colour (rounded to 1/255) and dash pattern: what tells two curves apart."""
        c = None if self.colour is None else tuple(round(v * 255) / 255 for v in self.colour)
        return (c, tuple(round(d, 2) for d in self.dash))  # type: ignore[return-value]


@dataclass(frozen=True)
class Word:
    """A run of text with its box (y downwards) and colour.

    ``rotated`` is true for text written bottom-to-top (R's default y-axis labels).
    ``baseline`` (page ``y`` of the line the text sits on) and ``em`` (font size, page units)
    are known for upright vector text and None otherwise (OCR, rotated text).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    colour: Colour | None = None
    rotated: bool = False
    baseline: float | None = None
    em: float | None = None

    @property
    def xc(self) -> float:
        """Horizontal centre."""
        return 0.5 * (self.x0 + self.x1)

    @property
    def yc(self) -> float:
        """Vertical centre."""
        return 0.5 * (self.top + self.bottom)

    @property
    def height(self) -> float:
        """Height of the box."""
        return self.bottom - self.top


@dataclass(frozen=True, eq=False)
class Scene:
    """Everything a reader found in a figure.

    Attributes
    ----------
    kind : {"pdf", "svg", "raster"}
        The reader that made it.
    width, height : float
        Size of the page (points) or image (pixels).
    strokes : tuple of Stroke
        Paths in drawing order (vector input) or traced curves (raster input).
    words : tuple of Word
        Text found (vector text, decoded glyphs or OCR).
    image : ndarray or None
        The raster image (H, W, 3) in [0, 1] for raster input or a rendering of the page.
    notes : tuple of str
        What the reader had to work around (e.g. "text read by OCR").
    """

    kind: str
    width: float
    height: float
    strokes: tuple[Stroke, ...]
    words: tuple[Word, ...]
    image: Any = None
    notes: tuple[str, ...] = field(default_factory=tuple)
