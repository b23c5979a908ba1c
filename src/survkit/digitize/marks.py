"""Censoring marks: small symbols drawn on a curve (``+``, ``|``, ``x``, circles...).

A mark is one small stroke, or several small strokes of one colour sharing a centre (R
draws ``+`` as two segments). It belongs to the curve of its colour (or, when colours do
not decide, to any curve) whose level at the mark's time is within half the mark's height of
its centre; marks near no curve (legend keys, stray symbols) are left out.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.axes import Calibration
from survkit.digitize.curves import Staircase, step_values
from survkit.digitize.scene import Colour, Scene, Stroke

__all__ = ["find_marks", "raster_marks"]


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


def raster_marks(mask: NDArray[np.bool_], curve: Staircase, c0: int, r0: int) -> list[float]:
    """Page x of the censoring marks (``+``, ``|``) on a curve traced in a raster figure.

    ``mask`` holds the pixels of the curve's colour in the panel, whose top-left pixel is
    page ``(c0, r0)``. A mark is an upright bar through the curve's level: in its columns
    the run of pixels holding the level reaches ``M = lw/2 + max(lw/2, 2)`` pixels or more
    above *and* below it (``lw`` the line width). A drop only leaves a level downwards (or,
    seen from the level after it, upwards), so it is never taken for a mark; at a drop the
    levels before and after are both tried; and the curve's line runs on beside a mark at
    its level (a level traced across a drop's vertical stroke has none). Neighbouring mark
    columns are one bar; a group wider than 1.6 bar widths (the median) holds marks side
    by side, evenly spaced.
    """
    h, w = mask.shape
    lw = max(float(curve.stroke.width), 1.0)
    need = 0.5 * lw + max(0.5 * lw, 2.0)  # beyond the line's edge by half its width
    a = max(int(np.ceil(curve.x[0] - c0)) + 1, 0)
    b = min(int(np.floor(curve.x_end - c0)), w - 1)
    if b <= a:
        return []
    cols = np.arange(a, b + 1)
    idx = np.searchsorted(curve.x, cols + c0, side="right") - 1
    # how far the vertical run through a pixel reaches above and below it, counted up to
    # ``limit`` rows (enough to decide ``>= need``), on the few rows around the level only
    sub = mask[:, a:b + 1]
    limit = int(np.ceil(need)) + 1
    cc = cols - a
    up = np.zeros(len(cols), dtype=np.int64)
    down = np.zeros(len(cols), dtype=np.int64)
    for shift in (0, -1):
        j = np.clip(idx + shift, 0, len(curve.y) - 1)
        base = np.rint(curve.y[j] - r0).astype(int)
        on_base = ((base >= 0) & (base < h)) & sub[np.clip(base, 0, h - 1), cc]
        for dr in (0, 1, -1):  # the level's row, or the one next to it when rounding missed
            rows = base + dr
            ok = (rows >= 0) & (rows < h) & (on_base if dr == 0 else ~on_base)
            rr = np.clip(rows, 0, h - 1)
            on = ok & sub[rr, cc]
            above, below = _reach(sub, rr, cc, limit)
            better = on & (np.minimum(above, below) > np.minimum(up, down))
            up = np.where(better, above, up)
            down = np.where(better, below, down)
    hit = np.minimum(up, down) >= need
    groups: list[tuple[int, int]] = []
    for k in np.flatnonzero(hit).tolist():
        if groups and k == groups[-1][1] + 1:
            groups[-1] = (groups[-1][0], k)
        else:
            groups.append((k, k))
    # the curve runs on through a mark at its level (on one side at least, at a drop's
    # corner); a level the trace placed across a drop's vertical stroke has nothing beside
    reach = max(2, int(np.ceil(0.5 * lw)))

    def through(g0: int, g1: int) -> bool:
        k = (g0 + g1) // 2
        r = int(np.rint(curve.y[np.clip(idx[k], 0, len(curve.y) - 1)] - r0))
        left, right = int(cols[g0]), int(cols[g1])
        for rr in range(max(r - 1, 0), min(r + 2, h)):
            if left >= reach and mask[rr, left - reach:left].all():
                return True
            if right + reach < w and mask[rr, right + 1:right + 1 + reach].all():
                return True
        return False

    groups = [g for g in groups if through(*g)]
    if not groups:
        return []
    widths = np.array([g1 - g0 + 1 for g0, g1 in groups], dtype=float)
    bar = float(np.median(widths))
    out: list[float] = []
    for (g0, g1), wd in zip(groups, widths.tolist(), strict=True):
        n = max(round(wd / bar), 1) if wd > 1.6 * bar else 1
        first, last = cols[g0] + 0.5 * (bar - 1), cols[g1] - 0.5 * (bar - 1)
        centres = [0.5 * (cols[g0] + cols[g1])] if n == 1 else \
            np.linspace(first, last, n).tolist()
        out.extend(float(x) + c0 for x in centres)
    return out


def _reach(sub: NDArray[np.bool_], rr: NDArray[np.int_], cc: NDArray[np.int_], limit: int
           ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For pixels ``(rr, cc)`` of ``sub``, how many pixels of their vertical run lie above
    and below them, each counted up to ``limit``."""
    h = sub.shape[0]
    above = np.zeros(len(rr), dtype=np.int64)
    below = np.zeros(len(rr), dtype=np.int64)
    alive_up = np.ones(len(rr), dtype=bool)
    alive_down = np.ones(len(rr), dtype=bool)
    for t in range(1, limit + 1):
        ru, rd = rr - t, rr + t
        alive_up &= (ru >= 0) & sub[np.clip(ru, 0, h - 1), cc]
        alive_down &= (rd < h) & sub[np.clip(rd, 0, h - 1), cc]
        above += alive_up
        below += alive_down
    return above, below
