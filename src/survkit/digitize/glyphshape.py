"""How much an outlined glyph looks like each character, by its shape alone.

OCR's votes settle most glyph classes of outlined text
(:mod:`survkit.digitize.glyphtext`); a class whose votes tie, or whose every vote names a
character another class of its font already is, needs another witness. Its outline is
compared with the outlines of the printable ASCII characters in three typefaces that ship
with matplotlib (DejaVu Sans, DejaVu Serif and STIX, a Times-like face), drawn as vector
paths by :class:`matplotlib.textpath.TextPath`:

* both outlines are filled (even–odd) on a :data:`SIDE` × :data:`SIDE` raster, each
  stretched to fill it (so a glyph's size and the font's width do not count);
* the score is the intersection over union of the two rasters times
  :math:`\\sqrt{\\min(a, b) / \\max(a, b)}` for the two outlines' width-to-height ratios
  :math:`a, b` (a ``/`` and an ``l`` both fill a tall box, but not as tall a one);
* a character's score is its best over the three typefaces.

A shape tells a ``T`` from a ``1`` and a ``/`` from an ``f``; it cannot tell the
characters a typeface draws alike (``I``, ``l``, ``|``; ``O``, ``0``), which is what the
callers' margins are for.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.deps import require

__all__ = ["CHARACTERS", "SIDE", "shape_scores"]

SIDE = 24
#: the characters a glyph is compared with
CHARACTERS = string.ascii_letters + string.digits + string.punctuation
_FAMILIES = ("DejaVu Sans", "DejaVu Serif", "STIXGeneral")


def _raster(polygons: Sequence[NDArray[np.float64]]) -> tuple[NDArray[np.bool_], float] | None:
    """The outline filled even–odd on a SIDE × SIDE raster stretched to its box, and its
    width-to-height ratio; None for an outline with no area."""
    draw = require("skimage.draw", "reading outlined text")
    polys = [np.asarray(p, dtype=np.float64) for p in polygons if len(p) >= 3]
    if not polys:
        return None
    pts = np.concatenate(polys)
    x0, y0 = pts.min(axis=0)
    w, h = np.ptp(pts[:, 0]), np.ptp(pts[:, 1])
    if w <= 0 or h <= 0:
        return None
    mask = np.zeros((SIDE, SIDE), dtype=bool)
    for p in polys:
        # pixel centres at k + 0.5: map the box onto [0, SIDE]
        rr, cc = draw.polygon((p[:, 1] - y0) / h * SIDE - 0.5, (p[:, 0] - x0) / w * SIDE - 0.5,
                              shape=mask.shape)
        sub = np.zeros_like(mask)
        sub[rr, cc] = True
        mask ^= sub
    if not mask.any():
        return None
    return mask, float(w / h)


@lru_cache(maxsize=1)
def _templates() -> dict[str, list[tuple[NDArray[np.bool_], float]]]:
    """Every character's rasters, one per typeface (y pointing down, as on a page)."""
    require("matplotlib", "reading outlined text")
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    out: dict[str, list[tuple[NDArray[np.bool_], float]]] = {}
    for fam in _FAMILIES:
        prop = FontProperties(family=fam)
        for ch in CHARACTERS:
            polys = []
            for p in TextPath((0, 0), ch, size=100, prop=prop).to_polygons():
                q = np.asarray(p, dtype=np.float64)
                polys.append(np.column_stack((q[:, 0], -q[:, 1])))
            got = _raster(polys)
            if got is not None:
                out.setdefault(ch, []).append(got)
    return out


def shape_scores(polygons: Sequence[NDArray[np.float64]]) -> dict[str, float]:
    """Score in [0, 1] of the outline (page coordinates, y down, upright) against every
    character of :data:`CHARACTERS`; empty for an outline with no area.

    ``score = IoU · sqrt(min(a, b) / max(a, b))``, best over the typefaces, with ``a, b``
    the width-to-height ratios of the outline and the character.
    """
    got = _raster(polygons)
    if got is None:
        return {}
    mask, aspect = got
    area = mask.sum()
    scores: dict[str, float] = {}
    for ch, temps in _templates().items():
        best = 0.0
        for t, a in temps:
            inter = np.logical_and(mask, t).sum()
            union = area + t.sum() - inter
            s = float(inter / union) * float(np.sqrt(min(a, aspect) / max(a, aspect)))
            best = max(best, s)
        scores[ch] = best
    return scores
