"""Vector axes without tick marks or grid lines, anchored where the curves begin.

A figure drawn with tick marks of length 0 and no grid (matplotlib's ``seaborn-v0_8-white``
and ``-dark`` styles) shows its axes only through the tick labels, and a label's box is not
its tick: the middle of a centred x label and the vertical centre of a y label lie a
fraction of a character off the tick, by an amount each program chooses (matplotlib centres
a y label on half its font's ascender above the baseline, 0.38 em for DejaVu; the middle of
the box pdfplumber gives it is 0.23 em lower). Such an axis is made exact from two facts:

* labels of one font drawn alike are offset alike from their ticks: the pen starts of x
  labels of equal length (digits share one advance in plotting fonts; at least three such
  labels, so that their lying on one line shows it) and the baselines of the y labels are
  spaced exactly as their ticks, which gives the slope;
* every Kaplan–Meier curve begins at ``(0, 1)`` (``(0, 100)`` on a percent axis): where the
  curves begin gives the intercept.

The start is taken as ``t = 0`` only where every curve begins at one ``x`` that lies within
``X_WINDOW`` em of the middle of the labels' line at 0, and as ``S = 1`` only where every
curve begins at one level within ``Y_WINDOW`` em of the ink middle of digits standing on the
labels' baselines (``DIGIT_MIDDLE`` em above them) at 1. A curve that begins lower (deaths
at time 0 drawn as lifelines draws them, or a cumulative incidence) is then more than
``Y_WINDOW`` em away unless its first drop is smaller than that: ``0.06 em`` is 0.3 % of the
range on a 240 pt axis with 11 pt labels.

References
----------
matplotlib ``Text._get_layout`` (``va="center_baseline"``, the y tick labels' alignment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from survkit.digitize.axes import Axis, Calibration, fit_line
from survkit.digitize.curves import Staircase
from survkit.digitize.scene import Word

__all__ = ["DIGIT_MIDDLE", "SOURCE", "X_WINDOW", "Y_WINDOW", "anchor_on_start"]

#: The ``source`` of an axis anchored here.
SOURCE = "label spacing and curve start"

#: Height above the baseline of the middle of a digit's ink, in em: digits are 0.64–0.73 em
#: tall (Computer Modern to DejaVu), so their middles lie 0.32–0.365 em up.
DIGIT_MIDDLE = 0.36

#: Largest distance (em) between the curves' common start and where the labels put S = 1.
Y_WINDOW = 0.06

#: Largest distance (em) between the curves' common start and the middle of the labels'
#: line at t = 0 (a label's box ends where its advance or its ink ends: up to 0.1 em apart).
X_WINDOW = 0.12

#: Largest residual of the labels' pen starts or baselines from their line, as a fraction of
#: the labelled range: equal offsets leave only the file's rounding (matplotlib writes 1e-6
#: pt, R 0.01 pt); digits of unequal advances leave 1e-3.
SPACING_RESIDUAL = 5e-5


def _line(pos: Sequence[float], val: Sequence[float]) -> tuple[float, float, float] | None:
    """Slope, intercept and largest residual (value units) of ``val`` on ``pos``."""
    if len(pos) < 2 or np.ptp(np.asarray(pos)) <= 0:
        return None
    return fit_line(pos, val)


def _common(values: Sequence[float], tol: float) -> float | None:
    """The value every entry shares within ``tol``, else None."""
    if not values or max(values) - min(values) > tol:
        return None
    return float(np.median(values))


def _em(labels: Sequence[Word]) -> float | None:
    """The labels' common font size, when every one is upright with a known size."""
    ems = [w.em for w in labels]
    if not ems or any(e is None or e <= 0 or w.rotated for e, w in zip(ems, labels,
                                                                        strict=True)):
        return None
    e = [float(v) for v in ems if v is not None]
    return e[0] if max(e) - min(e) <= 1e-6 * max(e) else None


def _x_anchored(axis: Axis, start: float) -> Axis | None:
    em = _em(axis.labels)
    if em is None:
        return None
    # the longest run of labels of one length: their pen starts are spaced as their ticks
    by_len: dict[int, list[int]] = {}
    for k, w in enumerate(axis.labels):
        by_len.setdefault(len(w.text), []).append(k)
    group = max(by_len.values(), key=lambda ks: (len(ks), np.ptp([axis.values[k] for k in ks])))
    if len(group) < 3:
        return None  # two pen starts always lie on a line: nothing shows they are offset alike
    vals = [axis.values[k] for k in group]
    fit = _line([axis.labels[k].x0 for k in group], vals)
    span = max(axis.values) - min(axis.values)
    if fit is None or span <= 0 or fit[2] > SPACING_RESIDUAL * span:
        return None
    a = fit[0]
    # where the middles of those labels put t = 0, on the same slope
    mids = np.array([axis.labels[k].xc for k in group])
    zero = -float(np.mean(np.asarray(vals) - a * mids)) / a
    if abs(start - zero) > X_WINDOW * em:
        return None
    b = -a * start
    return replace(axis, positions=tuple((v - b) / a for v in axis.values), slope=a,
                   intercept=b, source=SOURCE, residual=fit[2])


def _y_anchored(axis: Axis, start: float) -> Axis | None:
    em = _em(axis.labels)
    base = [w.baseline for w in axis.labels]
    if em is None or None in base:
        return None
    span = max(axis.values) - min(axis.values)
    fit = _line([float(b) for b in base if b is not None], axis.values)
    if fit is None or span <= 0 or fit[2] > SPACING_RESIDUAL * span:
        return None
    a, b, res = fit
    top = 100.0 if axis.percent else 1.0
    # page y of the baseline a label of the value 1 would have, and of its digits' middle
    one = (top - b) / a - DIGIT_MIDDLE * em
    if abs(start - one) > Y_WINDOW * em:
        return None
    b = top - a * start
    return replace(axis, positions=tuple((v - b) / a for v in axis.values), slope=a,
                   intercept=b, source=SOURCE, residual=res)


def anchor_on_start(cal: Calibration, curves: Sequence[Staircase],
                    tol: float) -> tuple[Calibration, list[str]]:
    """``cal`` with each axis calibrated on label centres anchored on the curves' start.

    Parameters
    ----------
    cal : Calibration
        The calibration; only axes whose ``source`` is ``"label centres"`` change.
    curves : sequence of Staircase
        The Kaplan–Meier curves found with ``cal`` (page coordinates).
    tol : float
        Page distance within which the curves' first points count as one point.

    Returns
    -------
    Calibration, list of str
        The calibration (``cal`` itself when nothing changed) and a note per axis anchored.

    Notes
    -----
    An anchored axis maps position ``p`` to ``a (p - p_0) + v_0``: ``a`` the slope of the
    labels' values on their pen starts (x) or baselines (y), ``p_0`` the curves' common
    start and ``v_0`` 0 (x) or 1 (y).
    """
    x, y = cal.x, cal.y
    notes: list[str] = []
    if not curves:
        return cal, notes
    if x.source == "label centres":
        start = _common([float(c.x[0]) for c in curves], tol)
        new = None if start is None else _x_anchored(x, start)
        if new is not None:
            x = new
            notes.append("x axis without tick marks: slope from its labels' spacing, t = 0 "
                         "where the curves begin")
    if y.source == "label centres":
        start = _common([float(c.y[0] if c.y_first is None else c.y_first) for c in curves],
                        tol)
        new = None if start is None else _y_anchored(y, start)
        if new is not None:
            y = new
            notes.append("y axis without tick marks: slope from its labels' baselines, "
                         "S = 1 where the curves begin")
    return (cal, notes) if (x is cal.x and y is cal.y) else (Calibration(x, y), notes)
