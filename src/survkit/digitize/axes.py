"""Axis calibration from the tick labels (and tick marks) of a figure.

A printed axis is linear: ``value = a · position + b``. The labels are numbers in a row
(x axis) or a column (y axis) that increase along the axis; the tick marks, short strokes
next to each label, give their exact positions in a vector figure. The fit uses the tick
marks when every label has one and the label centres otherwise (then the calibration is
good to a fraction of a character and says so). The fit is refused when the labels are not
on a line (residual above 1 % of the axis range), so that a row of numbers at risk is never
taken for an axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from survkit.digitize.scene import Scene, Stroke, Word
from survkit.digitize.text import parse_number

__all__ = ["Axis", "Calibration", "calibrate", "fit_line"]


@dataclass(frozen=True)
class Axis:
    """One calibrated axis: ``value = slope · position + intercept``.

    Attributes
    ----------
    positions, values : tuple of float
        Page positions of the ticks and their printed values.
    slope, intercept : float
        The linear map from page position to value.
    source : str
        ``"tick marks"``, ``"label centres"`` or ``"given range"``.
    residual : float
        Largest |fitted − printed| value over the ticks, in axis units.
    percent : bool
        Whether the labels are percentages (values up to 100).
    labels : tuple of Word
        The label words used.
    ticks : tuple of Stroke
        The tick strokes used (empty without tick marks).
    """

    positions: tuple[float, ...]
    values: tuple[float, ...]
    slope: float
    intercept: float
    source: str
    residual: float
    percent: bool = False
    labels: tuple[Word, ...] = ()
    ticks: tuple[Stroke, ...] = ()

    def value(self, pos: np.ndarray | float) -> np.ndarray:
        """Axis value at page position ``pos``."""
        return self.slope * np.asarray(pos, dtype=np.float64) + self.intercept

    def position(self, value: np.ndarray | float) -> np.ndarray:
        """Page position of axis value ``value``."""
        return (np.asarray(value, dtype=np.float64) - self.intercept) / self.slope

    @property
    def span(self) -> tuple[float, float]:
        """Page positions of the first and last tick."""
        return (min(self.positions), max(self.positions))


@dataclass(frozen=True)
class Calibration:
    """The x (time) and y (survival) axes of the plot panel."""

    x: Axis
    y: Axis

    @property
    def box(self) -> tuple[float, float, float, float]:
        """``(left, right, top, bottom)`` of the panel spanned by the ticks (page units)."""
        x0, x1 = self.x.span
        y0, y1 = self.y.span
        return (x0, x1, y0, y1)


def _numeric(words: tuple[Word, ...]) -> list[tuple[Word, float, bool]]:
    out = []
    for w in words:
        parsed = parse_number(w.text)
        if parsed is not None:
            out.append((w, parsed[0], parsed[1]))
    return out


def _increasing_runs(
    line: list[tuple[Word, float, bool]],
) -> list[list[tuple[Word, float, bool]]]:
    """The maximal runs of consecutive labels whose values increase along ``line``.

    A number printed in line with an axis's labels but outside them (a row label
    ``"Age < 35"`` of a number-at-risk table under a y axis's labels, right-aligned with
    them) breaks the increase; the axis is the run of labels between such breaks, not
    the line refused as a whole.
    """
    runs: list[list[tuple[Word, float, bool]]] = []
    for n in line:
        if runs and n[1] > runs[-1][-1][1]:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def unlabelled_zero(axis: Axis) -> float | None:
    """Page position of value 0 on ``axis`` when its labels begin after 0 by at most three
    label steps (the labels of the first ticks, "0" and "2" of 0, 2, ..., 10, unread): a
    time axis starts at 0, and the columns of a table and the curves still do. None
    otherwise (labels from 0, a single label, an axis reaching below 0)."""
    values = axis.values
    if len(values) < 2:
        return None
    step = min(b - a for a, b in pairwise(values))
    if step <= 0 or not 0 < min(values) <= 3 * step:
        return None
    return float(axis.position(0.0))


def _points_restored(line: list[tuple[Word, float, bool]], vertical: bool
                     ) -> list[tuple[Word, float, bool]]:
    """``line`` (labels in their order along the axis) with a decimal point OCR lost put
    back: when at least two labels print ``d`` decimals (all the same ``d``), a label of
    digits only, more than ``d`` of them, whose value over ``10**d`` falls on the straight
    line through the decimal labels (within 1 % of their range) is that value ("75" among
    "0.0", "2.5", "5.0", "10.0": 7.5). Without it the run of labels broke at "75" and the
    axis kept only the labels after it."""
    tails = [n[0].text.strip().partition(".")[2] for n in line if "." in n[0].text]
    decimals = {len(tail) for tail in tails if tail.isdigit()}
    dotted = [n for n in line if "." in n[0].text]
    if len(dotted) < 2 or len(decimals) != 1:
        return line
    d = decimals.pop()
    if d == 0:
        return line
    pos = [n[0].yc if vertical else n[0].xc for n in dotted]
    vals = [n[1] for n in dotted]
    a, b, res = fit_line(pos, vals)
    span = max(vals) - min(vals)
    if span <= 0 or res > 0.01 * span:
        return line
    out = []
    for n in line:
        text = n[0].text.strip()
        if text.isdigit() and len(text) > d:
            v = n[1] / 10 ** d
            p = n[0].yc if vertical else n[0].xc
            if abs(a * p + b - v) <= 0.01 * span and abs(a * p + b - n[1]) > 0.01 * span:
                n = (n[0], v, n[2])
        out.append(n)
    return out


def _without_one(line: list[tuple[Word, float, bool]], vertical: bool
                 ) -> list[list[tuple[Word, float, bool]]]:
    """The labels of ``line`` (four or more, in their order along the axis: two runs of
    increasing labels side by side) without the one whose removal leaves them increasing
    on a straight line (within 1 % of their range), when one does and the whole line is
    not so already.

    A label misread as a smaller number ("75%" read "15%" twice, between "50%" and
    "100%") breaks the axis into two runs of increasing labels, neither with all of the
    axis; :func:`_with_trimmed` mends a misread label inside one run only."""
    if len(line) < 4:
        return []
    pos = [n[0].yc if vertical else n[0].xc for n in line]
    vals = [n[1] for n in line]
    if all(b > a for a, b in pairwise(vals)):
        return []
    best: tuple[float, int] | None = None
    for k in range(len(line)):
        v = vals[:k] + vals[k + 1:]
        if not all(b > a for a, b in pairwise(v)):
            continue
        res = fit_line(pos[:k] + pos[k + 1:], v)[2]
        if res <= 0.01 * (v[-1] - v[0]) and (best is None or res < best[0]):
            best = (res, k)
    if best is None:
        return []
    return [line[:best[1]] + line[best[1] + 1:]]


def _with_trimmed(runs: list[list[tuple[Word, float, bool]]], vertical: bool
                  ) -> list[list[tuple[Word, float, bool]]]:
    """``runs`` and, for each run of four labels or more that is not one straight line
    of values, the run without the label farthest off the line through the others.

    One label misread (a "5" read "3)" at 300 dpi in Nimbus Sans, parsed as 3) keeps its
    run increasing but off a straight line, and the axis was lost with it; without that
    label the rest still calibrate the axis, and are tested as any run is. A run that is
    straight keeps all its labels (a longer run is preferred)."""
    out = list(runs)
    for run in runs:
        if len(run) < 4:
            continue
        pos = [n[0].yc if vertical else n[0].xc for n in run]
        vals = [n[1] for n in run]
        if fit_line(pos, vals)[2] <= 0.01 * (vals[-1] - vals[0]):
            continue
        worst = min(range(len(run)),
                    key=lambda k: fit_line(pos[:k] + pos[k + 1:], vals[:k] + vals[k + 1:])[2])
        out.append(run[:worst] + run[worst + 1:])
    return out


def fit_line(pos: Sequence[float], val: Sequence[float]) -> tuple[float, float, float]:
    """Slope, intercept and largest residual (value units) of the least-squares line of
    ``val`` on ``pos``."""
    p = np.asarray(pos)
    v = np.asarray(val)
    a, b = np.polyfit(p, v, 1)
    res = float(np.max(np.abs(a * p + b - v)))
    return float(a), float(b), res


def _is_segment(s: Stroke, vertical: bool, max_len: float) -> bool:
    if s.colour is None or len(s.points) != 2:
        return False
    d = s.points[1] - s.points[0]
    along, across = (abs(d[1]), abs(d[0])) if vertical else (abs(d[0]), abs(d[1]))
    return 0 < along <= max_len and across <= 1e-6 * max(along, 1.0)


def _ticks_of_labels(
    cands: list[list[Stroke]], centres: list[float], vertical: bool
) -> list[Stroke]:
    """One tick mark per label (``cands``: each label's candidate segments, ``centres``: the
    labels' centres along the axis), or fewer when a label has none (the caller then uses
    the label centres).

    The ticks of one axis are drawn alike: they share their extent across the axis (where
    they begin and end), while another short segment near a label -- the bar of a censoring
    ``+`` inside the plot, a legend key -- does not share it. So the extent found among the
    most labels' candidates (half of them at least) is taken, and each label gets its
    nearest candidate of that extent (its nearest of all when it has none): the nearest alone
    picked a censoring bar over a tick whose label sits a few points off its tick
    (matplotlib's PDF text boxes).
    """
    if not all(cands):
        return []
    j = 1 if vertical else 0  # where a tick begins and ends: y of a vertical one

    def extent(s: Stroke) -> tuple[float, float]:
        a, b = sorted((float(s.points[0, j]), float(s.points[1, j])))
        return round(a, 3), round(b, 3)

    seen: dict[tuple[float, float], int] = {}
    for cand in cands:
        for e in {extent(s) for s in cand}:
            seen[e] = seen.get(e, 0) + 1
    shared = max(seen.values())
    # shared by half the labels at least (raster ticks, measured to a fraction of a pixel,
    # may share none: then the nearest, as before)
    common = ({e for e, k in seen.items() if k == shared}
              if shared >= max(2, len(cands) / 2) else set())
    along = 1 - j
    out: list[Stroke] = []
    for cand, c in zip(cands, centres, strict=True):
        pool = [s for s in cand if extent(s) in common] or cand
        out.append(min(pool, key=lambda s: abs(float(s.points[0, along]) - c)))
    return out


def _x_axis(scene: Scene, nums: list[tuple[Word, float, bool]]) -> Axis | None:
    up = sorted([n for n in nums if not n[0].rotated], key=lambda n: n[0].yc)
    rows: list[list[tuple[Word, float, bool]]] = []
    for n in up:
        if rows and abs(rows[-1][-1][0].yc - n[0].yc) <= 0.4 * max(n[0].height, 1e-9):
            rows[-1].append(n)
        else:
            rows.append([n])
    ticks = [s for s in scene.strokes if _is_segment(s, True, 0.04 * scene.height)]
    best: tuple[tuple[int, int, float], Axis] | None = None
    found: list[tuple[tuple[int, int, float], Axis]] = []
    lines = [_points_restored(sorted(row, key=lambda n: n[0].xc), vertical=False)
             for row in rows]
    runs = _with_trimmed([run for line in lines for run in _increasing_runs(line)],
                         vertical=False) + [
        run for line in lines for a, b in pairwise(_increasing_runs(line))
        for run in _without_one(a + b, vertical=False)]
    for row in runs:
        vals = [n[1] for n in row]
        if len(row) < 2:
            continue
        centres = [n[0].xc for n in row]
        a, b, res = fit_line(centres, vals)
        if res > 0.05 * (vals[-1] - vals[0]):
            continue
        cands = [[s for s in ticks
                  if abs(s.points[0, 0] - w.xc) <= 0.6 * max(w.x1 - w.x0, w.height)
                  and -0.5 * w.height <= w.top - s.bottom <= 3 * w.height]
                 for w, _, _ in row]
        used = _ticks_of_labels(cands, [w.xc for w, _, _ in row], vertical=True)
        tick_x = [float(s.points[0, 0]) for s in used]
        if len(tick_x) == len(row):
            a, b, res = fit_line(tick_x, vals)
            axis = Axis(tuple(tick_x), tuple(vals), a, b, "tick marks", res,
                        labels=tuple(n[0] for n in row), ticks=tuple(used))
        elif len(row) < 3:
            continue  # two numbers without tick marks do not make an axis
        else:
            axis = Axis(tuple(centres), tuple(vals), a, b, "label centres", res,
                        labels=tuple(n[0] for n in row))
        if res > 0.01 * (vals[-1] - vals[0]):
            continue
        # prefer tick marks, then more labels, then the highest row (the plot's own axis)
        score = (int(axis.source == "tick marks"), len(row), -row[0][0].yc)
        found.append((score, axis))
        if best is None or score > best[0]:
            best = (score, axis)
    if best is None:
        return None
    # the same labels higher up: the plot's own axis, repeated under a number-at-risk
    # table whose axis alone has tick marks (the plot's frame pale, its ticks not found)
    # (or with a label of it unread: the labels it has are the lower axis's, at the
    # positions the lower axis gives them)
    top = best[1]
    span = top.values[-1] - top.values[0]
    same = [(sc, ax) for sc, ax in found if ax.values == top.values or (
        len(ax.values) >= 3 and set(ax.values) <= set(top.values)
        and ax.source == top.source and sc[2] > best[0][2]
        and float(np.max(np.abs(top.value(np.asarray(ax.positions)) - np.asarray(ax.values))))
        <= 0.01 * span)]
    return max(same, key=lambda sa: sa[0][2])[1]


def _y_axis(scene: Scene, nums: list[tuple[Word, float, bool]]) -> Axis | None:
    cols: list[list[tuple[Word, float, bool]]] = []
    for key in ("rot", "right"):
        group = [n for n in nums if n[0].rotated == (key == "rot")]

        def anchor(w: Word, key: str = key) -> float:
            return w.xc if key == "rot" else w.x1

        group.sort(key=lambda n: anchor(n[0]))
        for n in group:
            if cols and cols[-1][0][0].rotated == n[0].rotated and \
                    abs(anchor(cols[-1][-1][0]) - anchor(n[0])) <= 0.5 * max(
                        min(n[0].height, n[0].x1 - n[0].x0), 1e-9):
                cols[-1].append(n)
            else:
                cols.append([n])
    ticks = [s for s in scene.strokes if _is_segment(s, False, 0.04 * scene.width)]
    best: tuple[tuple[int, int, float], Axis] | None = None
    lines = [_points_restored(sorted(col, key=lambda n: -n[0].yc), vertical=True)
             for col in cols]  # bottom to top
    runs = _with_trimmed([run for line in lines for run in _increasing_runs(line)],
                         vertical=True) + [
        run for line in lines for a, b in pairwise(_increasing_runs(line))
        for run in _without_one(a + b, vertical=True)]
    for col in runs:
        vals = [n[1] for n in col]
        if len(col) < 2:
            continue
        centres = [n[0].yc for n in col]
        a, b, res = fit_line(centres, vals)
        if res > 0.05 * (vals[-1] - vals[0]):
            continue
        cands = []
        for w, _, _ in col:
            size = min(w.height, w.x1 - w.x0) if w.rotated else w.height
            cands.append([s for s in ticks
                          if abs(s.points[0, 1] - w.yc) <= 0.6 * max(size, 1e-9) + (
                              0.3 * (w.bottom - w.top) if w.rotated else 0)
                          and -0.5 * size <= s.x0 - w.x1 <= 3 * size])
        used = _ticks_of_labels(cands, [w.yc for w, _, _ in col], vertical=False)
        tick_y = [float(s.points[0, 1]) for s in used]
        if len(tick_y) == len(col):
            a, b, res = fit_line(tick_y, vals)
            source, pos = "tick marks", tick_y
        elif len(col) < 3:
            continue  # two numbers without tick marks do not make an axis
        else:
            source, pos = "label centres", centres
        if res > 0.01 * (vals[-1] - vals[0]):
            continue
        percent = any(n[2] for n in col) or max(vals) > 1.5
        axis = Axis(tuple(pos), tuple(vals), a, b, source, res, percent,
                    tuple(n[0] for n in col), tuple(used) if source == "tick marks" else ())
        score = (int(source == "tick marks"), len(col), -col[0][0].xc)
        if best is None or score > best[0]:
            best = (score, axis)
    return None if best is None else best[1]


def calibrate(
    scene: Scene,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    frame: tuple[float, float, float, float] | None = None,
) -> Calibration:
    """Calibrate both axes of ``scene`` from its tick labels.

    ``x_range``/``y_range`` are used only when the labels of that axis cannot be read: they
    give the values at the ends of the plot ``frame`` (left, right, top, bottom).

    Raises
    ------
    ValueError
        An axis has no readable labels and no range was given (the message names the axis).
    """
    nums = _numeric(scene.words)
    x = _x_axis(scene, nums)
    y = _y_axis(scene, nums)
    if x is None:
        if x_range is None or frame is None:
            raise ValueError(
                "x axis: no row of increasing tick labels found"
                + (" (give x_range)" if x_range is None else " and no plot frame for x_range")
            )
        lo, hi = float(x_range[0]), float(x_range[1])
        a = (hi - lo) / (frame[1] - frame[0])
        x = Axis((frame[0], frame[1]), (lo, hi), a, lo - a * frame[0], "given range", 0.0)
    if y is None:
        if y_range is None or frame is None:
            raise ValueError(
                "y axis: no column of increasing tick labels found"
                + (" (give y_range)" if y_range is None else " and no plot frame for y_range")
            )
        lo, hi = float(y_range[0]), float(y_range[1])
        a = (hi - lo) / (frame[2] - frame[3])
        y = Axis((frame[3], frame[2]), (lo, hi), a, lo - a * frame[3], "given range", 0.0,
                 percent=hi > 1.5)
    return Calibration(x, y)
