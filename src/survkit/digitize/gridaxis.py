"""Axis calibration on grid lines, for figures drawn without tick marks.

Some styles draw no tick marks (matplotlib's ``fivethirtyeight`` and ``seaborn`` styles,
ggplot2 themes with ``axis.ticks = element_blank()``): the only exact positions of the
ticks are then the grid lines, which plotting programs draw exactly at the ticks. An axis
calibrated on its label centres (good to a fraction of a character only) is calibrated
again on the grid lines when every label has one:

* a grid line is a straight line across the panel (perpendicular to its axis, at least
  four label heights long); the lines of one grid share one style (colour, width, dash);
* each label's line is the nearest line of that style, within half the label's extent
  along the axis and a third of the spacing between labels, a different line for each;
  labels sit at one offset from their ticks (centred, or right-aligned against the axis),
  so the offsets may differ by at most a third of the label height;
* the printed values must be linear in the lines' positions, ``value = a · position + b``,
  to ``max_residual`` of the labelled range (vector grid lines are exact: 10⁻⁹ in the
  benchmark).

Without grid lines (or when one label has none) the label centres stay, and the reader
warns. The rule takes strokes only, so a raster reader can pass the lines it found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from survkit.digitize.axes import Axis
from survkit.digitize.scene import Stroke, Word

__all__ = ["calibrate_on_grid"]


def _line_position(s: Stroke, vertical: bool, min_length: float) -> float | None:
    """Position of a straight grid-line candidate across its axis, else None.

    ``vertical``: a vertical line (a grid line of the x axis), its x; else a horizontal
    line (of the y axis), its y.
    """
    if s.colour is None or len(s.points) < 2:
        return None
    along = (s.bottom - s.top) if vertical else (s.x1 - s.x0)
    across = (s.x1 - s.x0) if vertical else (s.bottom - s.top)
    if along < min_length or across > 1e-3 * along:
        return None
    return 0.5 * (s.x0 + s.x1) if vertical else 0.5 * (s.top + s.bottom)


def _style(s: Stroke) -> tuple[object, ...]:
    return (s.style, round(float(s.width), 2))


def calibrate_on_grid(axis: Axis, strokes: Sequence[Stroke], *, vertical: bool,
                      max_residual: float = 2e-3) -> Axis | None:
    """``axis`` (fitted on its label centres) calibrated on the grid lines at its labels.

    Parameters
    ----------
    axis : Axis
        An axis whose ``labels`` and ``values`` were read; its positions are replaced.
    strokes : sequence of Stroke
        Candidate lines (a vector scene's strokes, or lines a raster reader found).
    vertical : bool
        True for the x axis (its grid lines are vertical), False for the y axis.
    max_residual : float
        Largest |fitted − printed| value accepted, as a share of the labelled range.

    Returns
    -------
    Axis or None
        The axis with ``source="grid lines"``, the lines' positions and the lines as its
        ``ticks``; None when some label has no grid line or the fit is not linear.
    """
    labels = list(axis.labels)
    values = list(axis.values)
    if len(labels) < 2 or len(labels) != len(values):
        return None
    height = float(np.median([_height(w) for w in labels]))
    centres = [w.xc if vertical else w.yc for w in labels]
    order = np.argsort(centres)
    spacing = float(np.min(np.diff(np.asarray(centres)[order]))) if len(labels) > 1 else 0.0
    if spacing <= 0:
        return None
    groups: dict[tuple[object, ...], list[tuple[float, Stroke]]] = {}
    for s in strokes:
        at = _line_position(s, vertical, 4.0 * height)
        if at is not None:
            groups.setdefault(_style(s), []).append((at, s))
    span = max(values) - min(values)
    best: tuple[float, Axis] | None = None
    for lines in groups.values():
        pos = np.asarray([p for p, _ in lines])
        chosen: list[int] = []
        offsets: list[float] = []
        for w, c in zip(labels, centres, strict=True):
            j = int(np.argmin(np.abs(pos - c)))
            reach = min(0.5 * _extent(w, vertical), spacing / 3.0)
            if abs(pos[j] - c) > max(reach, 1e-9):
                break
            chosen.append(j)
            offsets.append(float(pos[j] - c))
        if len(chosen) != len(labels) or len(set(chosen)) != len(chosen):
            continue
        if max(offsets) - min(offsets) > height / 3.0:
            continue
        p = [float(pos[j]) for j in chosen]
        a, b = np.polyfit(np.asarray(p), np.asarray(values), 1)
        res = float(np.max(np.abs(a * np.asarray(p) + b - np.asarray(values))))
        if res > max_residual * span:
            continue
        got = replace(axis, positions=tuple(p), slope=float(a), intercept=float(b),
                      source="grid lines", residual=res,
                      ticks=tuple(lines[j][1] for j in chosen))
        if best is None or res < best[0]:
            best = (res, got)
    return None if best is None else best[1]


def _height(w: Word) -> float:
    """Size of a label's text across its line (the height of upright text)."""
    if w.rotated:
        return w.x1 - w.x0
    return w.bottom - w.top


def _extent(w: Word, vertical: bool) -> float:
    """Extent of a label along its axis (x: its width; y: its height)."""
    return (w.x1 - w.x0) if vertical else (w.bottom - w.top)
