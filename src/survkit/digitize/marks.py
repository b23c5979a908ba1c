"""Censoring marks: small symbols drawn on a curve (``+``, ``|``, ``x``, circles...).

A mark is one small stroke, or several small strokes of one colour sharing a centre (R
draws ``+`` as two segments). It belongs to the curve of its colour (or, when colours do
not decide, to any curve) whose level at the mark's time is within half the mark's height of
its centre; marks near no curve (legend keys, stray symbols) are left out.
"""

from __future__ import annotations

import numpy as np

from survkit.digitize.axes import Calibration
from survkit.digitize.curves import Staircase, step_values
from survkit.digitize.scene import Colour, Scene, Stroke

__all__ = ["find_marks"]


def _same_colour(a: Colour | None, b: Staircase) -> bool:
    if a is None or b.colour is None:
        return False
    return max(abs(u - v) for u, v in zip(a, b.colour, strict=True)) < 0.02


def find_marks(
    scene: Scene, cal: Calibration, curves: list[Staircase], exclude: set[int]
) -> list[list[float]]:
    """Page x positions of the censoring marks of each curve (same order as ``curves``).

    ``exclude`` holds ``id()`` of strokes already used (ticks, curves, legend keys).
    """
    left, right, top, bottom = cal.box
    size = 0.06 * max(right - left, bottom - top)
    small = [
        s for s in scene.strokes
        if id(s) not in exclude and s.colour is not None
        and max(s.x1 - s.x0, s.bottom - s.top) <= size
        and left - size <= s.x0 and s.x1 <= right + size and top - size <= s.top
        and s.bottom <= bottom + size
    ]
    # group strokes of one colour with the same centre into one mark
    groups: list[list[Stroke]] = []
    buckets: dict[tuple[object, int, int], list[int]] = {}
    q = 0.05  # bucket size (page units) for centres; a "+" has both strokes in one
    for s in small:
        cx, cy = 0.5 * (s.x0 + s.x1), 0.5 * (s.top + s.bottom)
        ix, iy = round(cx / q), round(cy / q)
        found = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for gi in buckets.get((s.colour, ix + dx, iy + dy), ()):
                    g0 = groups[gi][0]
                    ext = 0.011 + 0.001 * max(g0.x1 - g0.x0, g0.bottom - g0.top,
                                              s.x1 - s.x0, s.bottom - s.top)
                    if abs(0.5 * (g0.x0 + g0.x1) - cx) <= ext and \
                            abs(0.5 * (g0.top + g0.bottom) - cy) <= ext:
                        found = gi
                        break
        if found is None:
            buckets.setdefault((s.colour, ix, iy), []).append(len(groups))
            groups.append([s])
        else:
            groups[found].append(s)
    cands: list[tuple[float, float, float, Colour | None]] = []
    for g in groups:
        x0 = min(s.x0 for s in g)
        x1 = max(s.x1 for s in g)
        t0 = min(s.top for s in g)
        b0 = max(s.bottom for s in g)
        half = max(0.5 * (b0 - t0), 1e-6 * scene.height)
        cands.append((0.5 * (x0 + x1), 0.5 * (t0 + b0), half, g[0].colour))
    # marks drawn as text ("+" characters, as survminer does): equal advances per character
    for w in scene.words:
        if w.rotated or not w.text or set(w.text) - {"+", "|"}:
            continue
        if not (left - size <= w.x0 and w.x1 <= right + size and top - size <= w.top
                and w.bottom <= bottom + size):
            continue
        step = (w.x1 - w.x0) / len(w.text)
        for i in range(len(w.text)):
            cands.append((w.x0 + (i + 0.5) * step, w.yc, 0.5 * w.height, w.colour))
    out: list[list[float]] = [[] for _ in curves]
    for cx, cy, half, colour in cands:
        best: tuple[float, int] | None = None
        coloured = [k for k, c in enumerate(curves) if _same_colour(colour, c)]
        candidates = coloured if coloured else list(range(len(curves)))
        for k in candidates:
            c = curves[k]
            if not (c.x[0] <= cx <= c.x_end + half):
                continue
            level = float(step_values(c.x, c.y, np.array([cx]))[0])
            dist = abs(level - cy)
            if dist <= half * 1.01 and (best is None or dist < best[0]):
                best = (dist, k)
        if best is not None:
            out[best[1]].append(cx)
    for lst in out:
        lst.sort()
    return out
