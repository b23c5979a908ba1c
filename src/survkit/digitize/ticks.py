"""Tick marks drawn apart from any axis line (ggplot2's ``theme_minimal()``, matplotlib
without spines): found next to the number they label.

Without an axis line a tick mark is a short stroke of its own, just above an x label or
just right of a y label. OCR reads a y tick joined to its label as a trailing dash
(``"0.75-"``): no printed number ends with a dash, so the dash is the tick. Each tick
becomes a 2-point stroke at its ink-weighted centre, so :mod:`survkit.digitize.axes`
calibrates the axis on the tick marks (to sub-pixel) as it does with axis lines.

A tick is the one isolated component of ink in a search box beside the label: thin (at
most 3 pixels or a quarter of the label height across; along, at least 3 pixels and twice
its width, at most 1.5 label heights), not touching the box edges (an axis line or a long
grid line runs out of it), and centred on the label (within half its height, for a y tick,
or half its width, for an x tick).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.deps import require
from survkit.digitize.scene import Colour, Stroke, Word
from survkit.digitize.text import parse_number

__all__ = ["detached_ticks"]

_DASHES = "-\u2013\u2014_~"
_BLACK: Colour = (0.0, 0.0, 0.0)


def _thin_component(box: NDArray[np.bool_], weight: NDArray[np.float64], vertical: bool,
                    size: float) -> tuple[float, float, float] | None:
    """``(centre across, start along, end along)`` in box coordinates of the one thin
    component of ``box`` lying inside it, else None."""
    ndi = require("scipy.ndimage", "reading raster figures")
    lab, n = ndi.label(box, structure=np.ones((3, 3)))
    h, w = box.shape
    found: tuple[float, float, float] | None = None
    for k, sl in enumerate(ndi.find_objects(lab), start=1):
        if sl is None or k > n:
            continue
        r0, r1, c0, c1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        if r0 == 0 or c0 == 0 or r1 == h or c1 == w:
            continue  # runs out of the search box: a line, not a tick
        along, across = (r1 - r0, c1 - c0) if vertical else (c1 - c0, r1 - r0)
        if across > max(3.0, 0.25 * size) or along < max(3, 2 * across) or along > 1.5 * size:
            continue
        if found is not None:
            return None  # two candidates: none is taken
        m = (lab[sl] == k) * weight[sl]
        idx = np.arange(c0, c1) if vertical else np.arange(r0, r1)
        prof = m.sum(axis=0) if vertical else m.sum(axis=1)
        centre = float((prof * idx).sum() / max(prof.sum(), 1e-12))
        found = (centre, float(r0 if vertical else c0), float((r1 if vertical else c1) - 1))
    return found


def detached_ticks(words: list[Word], ink: NDArray[np.bool_], g8: NDArray[np.uint8]
                   ) -> tuple[list[Word], list[Stroke]]:
    """The words with a tick read as a trailing dash removed, and the tick marks found
    beside numeric labels (pixel coordinates, centre of a pixel at its index).

    ``ink`` is the mask of ink pixels, ``g8`` the grey image (ink darkness weights the
    centre of a tick drawn across two anti-aliased pixels).
    """
    hgt, wid = ink.shape
    out_words: list[Word] = []
    ticks: list[Stroke] = []
    for w in words:
        if w.rotated:
            out_words.append(w)
            continue
        size = max(w.bottom - w.top, 1.0)
        r0, r1 = int(w.top), int(np.ceil(w.bottom))
        stripped = w.text.rstrip(_DASHES)
        if stripped != w.text and parse_number(w.text) is None \
                and parse_number(stripped) is not None:
            # the dash is a tick joined to the label: cut the word at the last gap
            c0, c1 = int(w.x0), int(np.ceil(w.x1))
            cols = np.asarray(ink[r0:r1 + 1, c0:c1 + 1].any(axis=0), dtype=bool)
            gaps = np.flatnonzero(~cols)
            inner = gaps[(gaps > 0) & (gaps < len(cols) - 1)]
            if inner.size:
                cut = int(inner.max())
                w = Word(stripped, w.x0, float(c0 + cut), w.top, w.bottom, w.colour, False)
        out_words.append(w)
        if parse_number(w.text) is None:
            continue
        # right of the label (a y tick), then above it (an x tick)
        pad = int(np.ceil(0.5 * size))
        for vertical in (False, True):
            if vertical:
                ys, ye = max(0, r0 - int(1.6 * size) - 2), r0
                xs, xe = max(0, int(w.x0) - 2), min(wid, int(np.ceil(w.x1)) + 3)
            else:
                ys, ye = max(0, r0 - pad), min(hgt, r1 + pad + 1)
                xs, xe = int(np.ceil(w.x1)), min(wid, int(np.ceil(w.x1)) + int(2 * size) + 3)
            if ye - ys < 3 or xe - xs < 3:
                continue
            weight = 1.0 - g8[ys:ye, xs:xe].astype(np.float64) / 255.0
            got = _thin_component(ink[ys:ye, xs:xe], weight, vertical, size)
            if got is None:
                continue
            centre, a, b = got
            if vertical:
                x = xs + centre
                if abs(x - 0.5 * (w.x0 + w.x1)) > 0.5 * max(w.x1 - w.x0, size):
                    continue
                pts = np.array([[x, ys + a - 0.5], [x, ys + b + 0.5]])
            else:
                y = ys + centre
                if abs(y - 0.5 * (w.top + w.bottom)) > 0.5 * size:
                    continue
                pts = np.array([[xs + a - 0.5, y], [xs + b + 0.5, y]])
            ticks.append(Stroke(pts, _BLACK))
    return out_words, ticks
