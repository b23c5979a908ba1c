"""Separate the Kaplan–Meier curves of a vector figure from everything else drawn.

A KM curve is a stroked staircase: every segment horizontal or vertical, time never
decreasing, survival never increasing (page y never decreasing), at least one drop. That
rules out grid lines, axis lines, the frame, tick marks and text. Pieces of one staircase
drawn as several paths are joined. Confidence limits are recognised two ways: filled
polygons (bands) are never curves, and two staircases of the same style that bracket a third
curve (one above, one below everywhere they overlap) are its pointwise limits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.axes import Calibration
from survkit.digitize.scene import Colour, Scene, Stroke

__all__ = ["Staircase", "find_curves", "step_values"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Staircase:
    """One step curve in page coordinates: knots ``x`` with level ``y`` from each knot on.

    ``x_end`` is where the last horizontal segment ends. ``stroke`` is a representative
    stroke (its colour, width and dash tell the curve's style). ``y_first`` is the level
    the drawn path begins at when it begins with a vertical drop (survminer draws an event
    at time 0 from S = 1 down at t = 0, so ``y[0]`` is the level after it); None when the
    path begins with a level, or for traced raster curves. ``start_seen`` is True for a
    traced raster curve whose first level is seen to begin on paper (nothing drawn over its
    start: see ``raster._hidden_starts``), so that a first level below S = 1 is where the
    line begins, as the first vertex of a vector path is. ``ink_share`` is, for a traced
    raster curve, the share of its columns (those no other curve shares) where its own
    pixels are drawn: near 1 for a solid line, less for a dashed one, least for a dotted
    one; 1.0 for vector paths.
    """

    x: FloatArray
    y: FloatArray
    x_end: float
    stroke: Stroke
    y_first: float | None = None
    start_seen: bool = False
    ink_share: float = 1.0

    @property
    def colour(self) -> Colour | None:
        """Stroke colour."""
        return self.stroke.colour

    @property
    def dashed(self) -> bool:
        """Whether the curve is dashed."""
        return self.stroke.dashed


def step_values(x: FloatArray, y: FloatArray, at: FloatArray) -> FloatArray:
    """Right-continuous step function with knots ``x`` and levels ``y``, evaluated at ``at``.

    Before the first knot the first level is returned.
    """
    idx = np.searchsorted(x, at, side="right") - 1
    return y[np.clip(idx, 0, len(y) - 1)]


#: a slant of a simplified path is a merged run of small steps when it spans at most these
#: shares of the panel's width and height, and its box at most this share of the panel
_SLANT_DX, _SLANT_DY, _SLANT_AREA = 0.1, 0.01, 2e-4


def _clean(points: FloatArray, tol: float,
           panel: tuple[float, float] | None = None) -> FloatArray | None:
    """Drop repeated vertices; None unless the path is an axis-aligned staircase in time.

    Survival may rise somewhere (a confidence limit can); :func:`find_curves` admits only
    never-rising staircases as curves. A few falling slanted segments (matplotlib's path
    simplification) are read as the steps they stand for (:func:`_slant_steps`); many are
    accepted only when every one is small against the ``panel`` (width, height in page
    units): at most :data:`_SLANT_DX` of its width, :data:`_SLANT_DY` of its height and a
    box of :data:`_SLANT_AREA` of its area — tiny steps of a large study merged by the
    simplification, which the file no longer holds one by one. Read as steps between its
    ends, such a slant misplaces S by at most its height over at most its width (an area of
    at most :data:`_SLANT_AREA` of the panel).
    """
    if len(points) < 3:
        return None
    keep = [points[0]]
    for p in points[1:]:
        if np.max(np.abs(p - keep[-1])) > tol:
            keep.append(p)
    pts = np.asarray(keep)
    if len(pts) < 3:
        return None
    d = np.diff(pts, axis=0)
    horiz = np.abs(d[:, 1]) <= tol
    vert = np.abs(d[:, 0]) <= tol
    diag = ~(horiz | vert)
    if np.any(diag):
        # matplotlib simplifies paths: a small step can become one slanted segment. Read a
        # few falling ones as a step at their end; many means this is not a staircase —
        # unless each is small, or, with ``panel`` given, a drop drawn a hair off the
        # vertical (at most 1/1000 of the panel's width: dotted lines come so)
        many = np.sum(diag) > max(2, 0.05 * len(d))
        steep = np.zeros(len(d), dtype=bool) if panel is None else \
            diag & (d[:, 0] <= panel[0] / 1000.0)
        loose = diag & ~steep
        if many and (panel is None or np.any(d[loose, 0] > _SLANT_DX * panel[0])
                     or np.any(np.abs(d[loose, 1]) > _SLANT_DY * panel[1])
                     or np.any(np.abs(d[loose, 0] * d[loose, 1])
                               > _SLANT_AREA * panel[0] * panel[1])):
            return None
        if np.any(d[diag, 1] < 0) or np.any(d[diag, 0] < 0):
            return None
        upright = np.flatnonzero(vert & ~horiz & (d[:, 1] > 0))
        out = [pts[0]]
        for k in range(len(d)):
            if diag[k]:
                # (the typical drop near it: steps grow as the numbers at risk fall; the six
                # nearest lie among the six on either side)
                at = int(np.searchsorted(upright, k))
                win = upright[max(at - 6, 0):at + 6]
                near = win[np.argsort(np.abs(win - k), kind="stable")[:6]]
                typical = float(np.median(d[near, 1])) if len(near) else 0.0
                out.extend(_slant_steps(pts[k], pts[k + 1], typical,
                                        k == 0 or bool(horiz[k - 1])))
            out.append(pts[k + 1])
        pts = np.asarray(out)
        d = np.diff(pts, axis=0)
        horiz = np.abs(d[:, 1]) <= tol
        vert = np.abs(d[:, 0]) <= tol
    if np.any(d[:, 0] < -tol):
        return None
    if not (np.any(vert & ~horiz) and np.any(horiz & ~vert)):
        return None
    return pts


def _slant_steps(p: FloatArray, q: FloatArray, typical: float, flat_before: bool
                 ) -> list[FloatArray]:
    """The corners of the staircase a falling slanted segment from ``p`` to ``q`` stands for
    (``q`` itself excluded).

    A path simplification (matplotlib's) replaces a run of vertices by one segment when
    they lie within a fraction of a pixel of it, and keeps a vertex where the direction
    turns. After a flat, then, a slant begins where a drop began (a flat running on would
    have left no vertex there): it is read as ``m = max(1, round(h / typical))`` drops of
    ``h / m`` (``h`` its height, ``typical`` the median height of the six upright drops of
    the path nearest to it) at ``m`` evenly spaced times from ``p`` to ``q`` -- one drop at
    ``p`` (a drop and a sliver of flat up to a censoring time's vertex), or a drop at each
    end and any between (two deaths a day apart; the corners lay on the segment, so in
    between they are where it reaches their levels). Any other slant is read as a step at
    its end.
    """
    h = float(q[1] - p[1])
    if not flat_before:
        return [np.array([q[0], p[1]])]
    m = max(1, round(h / typical)) if typical > 0 else 1
    if m == 1:
        return [np.array([p[0], q[1]])]
    xs = p[0] + (q[0] - p[0]) * np.arange(m) / (m - 1)
    ys = p[1] + h * np.arange(1, m + 1) / m
    corners: list[FloatArray] = [np.array([xs[0], ys[0]])]
    for k in range(1, m):
        corners.append(np.array([xs[k], ys[k - 1]]))
        if k < m - 1:
            corners.append(np.array([xs[k], ys[k]]))
    return corners


def _to_knots(pts: FloatArray, tol: float) -> tuple[FloatArray, FloatArray, float]:
    """Knots and levels of a cleaned staircase (the level after each vertical drop; a drop
    at the first vertex gives the first level)."""
    xs = [pts[0, 0]]
    ys = [pts[0, 1]]
    for p in pts[1:]:
        if abs(p[0] - xs[-1]) <= tol:  # vertical move at the same x: new level
            ys[-1] = p[1]
        elif abs(p[1] - ys[-1]) <= tol:  # horizontal move: nothing new until a drop
            if len(xs) and p[0] > xs[-1]:
                xs.append(p[0])
                ys.append(p[1])
        else:  # pragma: no cover - _clean admits axis-aligned moves only
            xs.append(p[0])
            ys.append(p[1])
    x = np.asarray(xs)
    y = np.asarray(ys)
    # keep only knots where the level changes (and the first)
    keep = np.concatenate([[True], np.abs(np.diff(y)) > tol])
    return x[keep], y[keep], float(pts[-1, 0])


def _join(pieces: list[tuple[FloatArray, Stroke]], tol: float) -> list[tuple[FloatArray, Stroke]]:
    """Join pieces of the same style where one ends where the next begins."""
    pieces = sorted(pieces, key=lambda p: (p[0][0, 0], p[0][0, 1]))
    out: list[tuple[FloatArray, Stroke]] = []
    used = [False] * len(pieces)
    for i, (pts, s) in enumerate(pieces):
        if used[i]:
            continue
        used[i] = True
        cur = pts
        grown = True
        while grown:
            grown = False
            for j, (pj, sj) in enumerate(pieces):
                if not used[j] and sj.style == s.style and np.max(np.abs(pj[0] - cur[-1])) <= tol:
                    cur = np.vstack([cur, pj[1:]])
                    used[j] = True
                    grown = True
        out.append((cur, s))
    return out


def find_curves(
    scene: Scene, cal: Calibration
) -> tuple[list[Staircase], list[Staircase], list[Stroke], list[str]]:
    """Main curves, confidence-limit curves, filled bands and notes found in ``scene``.

    Only strokes inside the panel spanned by the axis ticks (with a margin of 2 % of its size)
    are considered.
    """
    left, right, top, bottom = cal.box
    mx = 0.02 * (right - left)
    my = 0.02 * (bottom - top)
    tol = 1e-6 * max(scene.width, scene.height)
    notes: list[str] = []
    pieces: list[tuple[FloatArray, Stroke]] = []
    bands: list[Stroke] = []
    simplified = 0  # paths with many small slanted segments
    unread = 0  # long falling paths that are not staircases
    for s in scene.strokes:
        if s.x1 < left - mx or s.x0 > right + mx or s.bottom < top - my or s.top > bottom + my:
            continue
        if (s.fill is not None and not _is_white(s.fill) and len(s.points) >= 4
                and (s.x1 - s.x0) > 0.05 * (right - left)
                and (s.colour is None or len(s.points) >= 8)):
            bands.append(s)  # a filled polygon spanning time: a confidence band
            continue
        if s.colour is None:
            continue
        pts = _clean(s.points, tol)
        if pts is None:
            pts = _clean(s.points, tol, (right - left, bottom - top))
            if pts is None:
                if _looks_like_a_curve(s.points, right - left):
                    unread += 1
                continue
            simplified += 1
        pieces.append((pts, s))
    stairs: list[Staircase] = []
    seen: list[tuple[tuple[object, ...], bytes]] = []
    for pts, s in _join(pieces, tol):
        x, y, x_end = _to_knots(pts, tol)
        key = (s.style, np.round(np.concatenate([x, y]), 6).tobytes())
        if any(k == key for k in seen):
            continue  # the same curve drawn twice
        seen.append(key)
        first_drop = abs(pts[1, 0] - pts[0, 0]) <= tol and pts[1, 1] > pts[0, 1] + tol
        stairs.append(Staircase(x, y, x_end, s, float(pts[0, 1]) if first_drop else None))
    # confidence limits: two curves of one style bracketing another curve
    limits: set[int] = set()
    for m, mid in enumerate(stairs):
        for i, lo in enumerate(stairs):
            for j, hi in enumerate(stairs):
                if len({i, j, m}) < 3 or i in limits or j in limits or m in limits:
                    continue
                if lo.stroke.style != hi.stroke.style:
                    continue
                if _brackets(lo, mid, hi, tol) and _jumps_with(lo, mid, tol) and \
                        _jumps_with(hi, mid, tol):
                    limits.update((i, j))
    # a lower limit whose upper limit is capped at S = 1 all along (R draws it as a flat
    # line at the top in the limits' style): the lone lower staircase is a limit too
    for m, mid in enumerate(stairs):
        if m in limits:
            continue
        for i, lo in enumerate(stairs):
            if i == m or i in limits or lo.stroke.style == mid.stroke.style or \
                    lo.colour != mid.colour:
                continue
            if _below(lo, mid, tol) and _jumps_with(lo, mid, tol) and \
                    _flat_partner(scene.strokes, lo, mid, tol):
                limits.add(i)
    rising = {k for k, s in enumerate(stairs) if np.any(np.diff(s.y) < -tol)}
    # a level below S = 0 (by more than 1 % of the y axis's labelled range) is no survival
    # curve's: R's open frame (``bty = "l"``) drawn with ``xaxs = "i"`` is a path down the y
    # axis and along the x axis, one "drop" at t = 0 to a level under S = 0
    yv = [float(v) for v in cal.y.values]
    under: set[int] = set()
    if len(yv) > 1 and min(yv) <= 0.0:
        y_low = min(yv) - 0.01 * (max(yv) - min(yv))
        under = {k for k, s in enumerate(stairs) if k not in limits
                 and float(np.min(cal.y.value(np.asarray(s.y, dtype=np.float64)))) < y_low}
    if under:
        notes.append(f"{len(under)} path(s) with a level below S = 0 left out (an axis line "
                     "or an open frame, not a survival curve)")
    main = [s for k, s in enumerate(stairs) if k not in limits and k not in rising
            and k not in under]
    ci = [s for k, s in enumerate(stairs) if k in limits]
    if rising - limits:
        notes.append(f"{len(rising - limits)} rising staircase(s) left out (not survival curves)")
    if ci:
        notes.append(f"{len(ci)} confidence-limit lines recognised and left out")
    if bands:
        notes.append(f"{len(bands)} filled confidence bands recognised and left out")
    if simplified:
        notes.append(f"{simplified} path(s) with many small slanted segments (matplotlib's "
                     "path simplification merges the small steps of a large study): each "
                     "read as a step at its end; none spans more than 10 % of the x range, "
                     "1 % of the y range or a box of 2e-4 of the panel")
    if unread:
        notes.append(f"could not read {unread} long falling path(s) inside the axes as a "
                     "staircase: a curve may be missing (check the overlay)")
    return main, ci, bands, notes


def _looks_like_a_curve(points: FloatArray, width: float) -> bool:
    """Whether a stroked path that is no staircase still looks like a survival curve: ten
    vertices or more, spanning a fifth of the panel's width, never going back in time and
    never rising (page y grows downwards), with some fall."""
    if len(points) < 10:
        return False
    d = np.diff(points, axis=0)
    span = float(points[:, 0].max() - points[:, 0].min())
    slack = 1e-3 * width
    return bool(span >= 0.2 * width and np.all(d[:, 0] >= -slack) and np.all(d[:, 1] >= -slack)
                and points[-1, 1] - points[0, 1] > slack)


def _jumps_with(limit: Staircase, curve: Staircase, tol: float) -> bool:
    """Whether ``limit`` changes only where ``curve`` drops (a pointwise CI of it does).

    Greenwood's variance, and so every pointwise limit, changes at event times only; a
    curve of another arm drops at its own times. 90 % of the limit's knots must be knots of
    the curve (a limit may also stop or be clipped where the curve does not drop).
    """
    knots = limit.x[1:]
    if len(knots) == 0:
        return False
    scale = max(float(curve.x_end - curve.x[0]), 1.0)
    near = np.min(np.abs(knots[:, None] - curve.x[None, :]), axis=1) <= max(tol, 1e-6 * scale)
    return bool(np.mean(near) >= 0.9)


def _below(lo: Staircase, mid: Staircase, tol: float) -> bool:
    """Whether ``lo`` lies below ``mid`` (page y larger) wherever they overlap, strictly
    somewhere."""
    start, end = max(lo.x[0], mid.x[0]), min(lo.x_end, mid.x_end)
    if end <= start:
        return False
    grid = np.union1d(lo.x, mid.x)
    grid = grid[(grid >= start) & (grid <= end)]
    ylo = step_values(lo.x, lo.y, grid)
    ymid = step_values(mid.x, mid.y, grid)
    return bool(np.all(ylo >= ymid - tol) and np.any(ylo > ymid + tol))


def _flat_partner(strokes: tuple[Stroke, ...], lo: Staircase, mid: Staircase,
                  tol: float) -> bool:
    """Whether a flat line in ``lo``'s style runs at ``mid``'s first level (S = 1) from its
    start over 90 % of its length: the upper limit, capped at 1 everywhere."""
    top = float(mid.y[0])
    span = float(mid.x_end - mid.x[0])
    for s in strokes:
        if s.style != lo.stroke.style or len(s.points) < 2 or s.bottom - s.top > tol:
            continue
        if abs(s.top - top) <= max(tol, 1e-3 * span) and s.x0 <= mid.x[0] + 0.01 * span \
                and s.x1 >= mid.x[0] + 0.9 * span:
            return True
    return False


def _is_white(c: Colour) -> bool:
    return min(c) > 0.97


def _brackets(lo: Staircase, mid: Staircase, hi: Staircase, tol: float) -> bool:
    """Whether ``hi`` lies above and ``lo`` below ``mid`` (page y downwards) on their overlap."""
    start = max(lo.x[0], mid.x[0], hi.x[0])
    end = min(lo.x_end, mid.x_end, hi.x_end)
    if end <= start:
        return False
    grid = np.union1d(np.union1d(lo.x, mid.x), hi.x)
    grid = grid[(grid >= start) & (grid <= end)]
    if len(grid) < 2:
        return False
    ylo = step_values(lo.x, lo.y, grid)
    ymid = step_values(mid.x, mid.y, grid)
    yhi = step_values(hi.x, hi.y, grid)
    # page y grows downwards: the upper limit has the smaller y
    if np.all(yhi <= ymid + tol) and np.all(ylo >= ymid - tol):
        return bool(np.any(yhi < ymid - tol) and np.any(ylo > ymid + tol))
    if np.all(ylo <= ymid + tol) and np.all(yhi >= ymid - tol):
        return bool(np.any(ylo < ymid - tol) and np.any(yhi > ymid + tol))
    return False
