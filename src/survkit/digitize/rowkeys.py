"""Number-at-risk rows told apart by the coloured key drawn beside them.

survminer's ``risk.table.y.text = FALSE`` prints no arm names beside the rows of the
table: each row has a short bar of its curve's colour instead (drawn as a minus sign in a
huge font: :mod:`survkit.digitize.pdf` and :mod:`survkit.digitize.glyphtext` turn it into
a filled bar). A row belongs to the arm whose curve has its key's colour:

* a key is a short flat mark left of the row's first cell -- a stroked horizontal line or
  a filled bar at most half as tall as it is long, between a third of the text height and
  a fifth of the page wide -- whose centre is within 0.6 of the text height of the row's
  line, the nearest such mark;
* its colour must be one curve's colour (every channel within 0.02: vector colours are
  exact, so greys count as well as hues) and no other curve's.

Any scene whose key marks are strokes works (a raster reader may add the bars it finds).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from survkit.digitize.curves import Staircase
from survkit.digitize.scene import Colour, Scene, Stroke

__all__ = ["arm_by_key"]


def _colour(s: Stroke) -> Colour | None:
    c = s.colour if s.colour is not None else s.fill
    if c is None or min(c) > 0.97:
        return None  # unpainted, or white (a background box)
    return c


def arm_by_key(scene: Scene, y: float, x_first: float, curves: Sequence[Staircase],
               names: Sequence[str]) -> str | None:
    """The arm of the risk-table row on line ``y`` whose first cell is centred at page
    ``x_first``, by the colour of the key drawn left of it; None without a key or when
    its colour is no curve's or several curves'."""
    if len(curves) != len(names) or not curves:
        return None
    heights = [w.height for w in scene.words if not w.rotated]
    text_h = float(np.median(heights)) if heights else 1.0
    best: tuple[float, Colour] | None = None
    for s in scene.strokes:
        c = _colour(s)
        if c is None:
            continue
        w, h = s.x1 - s.x0, s.bottom - s.top
        if not (text_h / 3 <= w <= 0.2 * scene.width and h <= 0.5 * w):
            continue
        if s.x1 > x_first - 0.3 * text_h:
            continue
        dy = abs(0.5 * (s.top + s.bottom) - y)
        if dy <= 0.6 * text_h and (best is None or dy < best[0]):
            best = (dy, c)
    if best is None:
        return None
    hits = [n for n, cv in zip(names, curves, strict=True) if cv.colour is not None and
            max(abs(a - b) for a, b in zip(cv.colour, best[1], strict=True)) <= 0.02]
    return hits[0] if len(hits) == 1 else None
