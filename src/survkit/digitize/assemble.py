"""From curves found in page coordinates to the :class:`Digitized` result.

Shared by the vector and raster paths: arm names (legend, ``arms`` argument or drawing
order), the number-at-risk rows, the axis maps applied to every curve, and the checks that
turn doubts into warnings (curves of one style, missing rows, a curve not starting at 1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from survkit.digitize.axes import Calibration
from survkit.digitize.curves import Staircase
from survkit.digitize.result import Curve, Digitized, frozen_curve
from survkit.digitize.risktable import read_risk_table, single_arm_label
from survkit.digitize.scene import Scene, Word

__all__ = ["assemble"]


def assemble(scene: Scene, source: str, cal: Calibration, main: list[Staircase],
             names: list[str | None], marks: list[list[float]], arms: Sequence[str] | None,
             warn: list[str], notes: list[str]) -> Digitized:
    """The :class:`Digitized` result of curves ``main`` (page coordinates) with their legend
    ``names`` and censor-mark positions ``marks``; ``warn``/``notes`` are extended."""
    if arms is None and len(main) == 1 and names == [None]:
        names = [single_arm_label(scene, cal)]  # no legend: the table's one row names it
    order = list(range(len(main)))
    if all(n is not None for n in names):
        order = _reading_order(order, [_legend_word(scene, n) for n in names])
    final_names = _arm_names(main, names, order, arms, warn)
    styles = [c.stroke.style for c in main]
    for k, st in enumerate(styles):
        if styles.count(st) > 1 and k == styles.index(st):
            warn.append("two or more curves share one colour and line style: arm names "
                        "and censor marks may be swapped between them")
    # risk-table rows are labelled with the legend's names, whatever the user calls the arms
    legend_names = [str(n) for n in names] if all(n is not None for n in names) and \
        len(set(names)) == len(names) else final_names
    # in legend order: rows that name no arm go to the arms in that order
    spelt: dict[str, str] = {}
    first_events: dict[str, int] = {}
    risk_by_legend, rnotes = read_risk_table(scene, cal, [main[k] for k in order],
                                             [legend_names[k] for k in order], spelt,
                                             first_events)
    if arms is None:
        final_names = _spelt_by_table(scene, cal, names, final_names, legend_names, spelt,
                                      notes)
    # (keyed by the legend's names: each arm's)
    arm_of = dict(zip(legend_names, final_names, strict=True))
    risk = {arm_of[k]: v for k, v in risk_by_legend.items()}
    events0 = {arm_of[k]: v for k, v in first_events.items()}
    doubt = ("could not", "order", "unread")
    notes.extend(n for n in rnotes if not any(d in n for d in doubt))
    warn.extend(n for n in rnotes if any(d in n for d in doubt))
    curves: list[Curve] = []
    for k in order:
        c = main[k]
        curves.append(_curve(c, cal, final_names[k], marks[k], risk.get(final_names[k])))
    if risk and len(risk) < len(curves):
        missing = [c.arm for c in curves if c.arm not in risk]
        warn.append(f"number-at-risk row missing for arm(s) {missing}")
    for k, cv in zip(order, curves, strict=True):
        if cv.surv[0] < 0.98:
            printed = _printed_start(cv, events0.get(cv.arm), cal)
            if printed is not None:
                notes.append(f"curve {cv.arm!r} starts at t = 0 at S = {cv.surv[0]:.3f}, "
                             f"as the table's {printed}: events at time 0")
            elif _event_at_zero(main[k], cv, cal, scene.kind):
                notes.append(f"curve {cv.arm!r} starts at t = 0 at S = {cv.surv[0]:.3f}: "
                             "read as a drop at t = 0 (events at time 0)")
            else:
                warn.append(f"curve {cv.arm!r} starts at S = {cv.surv[0]:.3f}, not 1: is it "
                            "a cumulative-incidence or a truncated axis?")
        if np.any(np.diff(cv.surv) > 1e-9):
            warn.append(f"curve {cv.arm!r} increases somewhere")
    return Digitized(source, scene.kind, tuple(curves), cal, tuple(warn), tuple(notes),
                     scene)




#: how far above S = 1 a curve's reading is still S = 1 (a thick raster line's top edge)
START_SLACK_S = 0.05
#: how far before t = 0 (share of the x axis's labelled range) a curve's first knot is
#: still t = 0 (the arm of a censoring mark drawn at t = 0)
START_SLACK_T = 0.03

#: a curve read from a vector figure that begins at t = 0 on a level at least this high,
#: under a y axis reaching S = 1, begins with events at time 0 (R's ``plot.survfit`` and
#: lifelines draw the first level from t = 0 without the drop from 1)
EVENT_AT_ZERO_MIN = 0.8


def _event_at_zero(c: Staircase, cv: Curve, cal: Calibration, kind: str) -> bool:
    """Whether a curve starting below S = 1 is a Kaplan–Meier curve with events at t = 0.

    Its first knot is at t = 0 (within 0.5 % of the labelled x range) and either the drawn
    path begins with a vertical drop from S = 1 there (survminer: ``y_first`` is S = 1
    within 0.5 %), or -- in a vector figure, whose first vertex is exact, or in a raster
    figure where the line is seen to begin on paper (``Staircase.start_seen``: nothing drawn
    over its start) -- the y axis reaches S = 1 and the first level is at least
    :data:`EVENT_AT_ZERO_MIN` (R's ``survfit`` gives ``S(0) = 1 − d₀/n`` for ``d₀`` deaths
    at 0 among ``n``). A curve starting lower, later, or under an axis that stops below 1
    (a truncated axis, a cumulative incidence) is not.
    """
    xs = cal.x.values
    span = (max(xs) - min(xs)) if len(xs) > 1 else 1.0
    if abs(float(cv.time[0])) > 0.005 * span:
        return False
    scale = 100.0 if cal.y.percent else 1.0
    if c.y_first is not None:
        return abs(float(cal.y.value(c.y_first)) / scale - 1.0) <= 0.005
    top = max(cal.y.values) / scale if cal.y.values else 0.0
    return ((kind != "raster" or c.start_seen) and top >= 0.999
            and float(cv.surv[0]) >= EVENT_AT_ZERO_MIN)


#: how far (in S) a curve's first level may be from the one its table's events at time 0
#: give: a few pixels of a raster reading
PRINTED_START_TOL = 0.01


def _printed_start(cv: Curve, events: int | None, cal: Calibration) -> str | None:
    """What explains a curve starting below S = 1 by the table printed under it, or None:
    its row's first time is 0, an "Events" row prints ``d > 0`` events there (lifelines'
    ``add_at_risk_counts``) among the ``n`` at risk, and the first level is ``1 − d/n``
    within :data:`PRINTED_START_TOL` (``S(0) = 1 − d₀/n`` for ``d₀`` events at time 0)."""
    if not events or events <= 0 or not len(cv.n_risk) or not len(cv.risk_times):
        return None
    xs = cal.x.values
    span = (max(xs) - min(xs)) if len(xs) > 1 else 1.0
    n = int(cv.n_risk[0])
    if abs(float(cv.risk_times[0])) > 1e-9 * max(span, 1.0) or n <= 0 or events >= n:
        return None
    if abs(float(cv.time[0])) > 0.005 * span:
        return None
    s0 = 1.0 - events / n
    if abs(float(cv.surv[0]) - s0) > PRINTED_START_TOL:
        return None
    return f"{events} events at time 0 among {n} at risk (1 - {events}/{n} = {s0:.3f})"


def _reading_order(order: list[int], words: list[Word | None]) -> list[int]:
    """``order`` sorted as the words (one per curve) are read: line by line from the top
    (words whose tops differ by less than half their height share a line), left to right
    on a line; curves without a word last."""
    placed = sorted((k for k in order if words[k] is not None),
                    key=lambda k: (words[k].top, words[k].x0))  # type: ignore[union-attr]
    lines: list[list[int]] = []
    for k in placed:
        w = words[k]
        assert w is not None
        head = words[lines[-1][0]] if lines else None
        if head is not None and w.top - head.top <= 0.5 * max(w.height, head.height):
            lines[-1].append(k)
        else:
            lines.append([k])
    out = [k for line in lines for k in sorted(line, key=lambda k: words[k].x0)]  # type: ignore[union-attr]
    return out + [k for k in order if words[k] is None]


def _legend_word(scene: Scene, name: str | None) -> Word | None:
    """The word that begins ``name`` in the figure (the first in reading order)."""
    if name is None:
        return None
    first = name.split()[0] if name.split() else name
    parts = name.split()
    if len(parts) > 1:
        # names sharing their first word ("Arm A", "Arm B"): the word that begins the
        # whole name on its line
        for w in sorted((w for w in scene.words if w.text == first), key=lambda w: (w.top, w.x0)):
            line = sorted((x for x in scene.words if abs(x.yc - w.yc) < 0.4 * max(w.height, 1e-9)
                           and x.x0 >= w.x0), key=lambda x: x.x0)[:len(parts)]
            if [x.text for x in line] == parts or "".join(x.text for x in line) == "".join(parts):
                return w
    for test in (lambda t: t == name, lambda t: t == first, lambda t: name.startswith(t)):
        hits = [w for w in scene.words if test(w.text)]
        if hits:
            return min(hits, key=lambda w: (w.top, w.x0))
    return None


def _spelt_by_table(scene: Scene, cal: Calibration, names: list[str | None],
                    final: list[str], legend: list[str], spelt: dict[str, str],
                    notes: list[str]) -> list[str]:
    """The arm names, each legend name inside the plot panel that lost letters replaced by
    the label of its at-risk row (``spelt``: the rows that name an arm only closely).

    A legend drawn inside the panel lies on grid lines and curves, which break letters
    ("All patien|ts" read "All patiens"); the table's labels lie on white. The row's label
    is taken only when the name read in the legend is a subsequence of it and what it adds
    is letters (OCR lost letters of the legend, not the other way round: "(ale" does not
    replace "Male")."""
    out = list(final)
    x0, x1, y0, y1 = cal.box  # (the ticks' span, widened by 5 %: the panel's edge)
    dx, dy = 0.05 * abs(x1 - x0), 0.05 * abs(y1 - y0)
    x0, x1, y0, y1 = min(x0, x1) - dx, max(x0, x1) + dx, min(y0, y1) - dy, max(y0, y1) + dy
    for k, name in enumerate(names):
        label = spelt.get(legend[k]) if name is not None else None
        if label is None or label == name or out[k] != name:
            continue
        word = _legend_word(scene, name)
        if word is None or not (x0 <= word.xc <= x1 and y0 <= word.yc <= y1):
            continue
        it = iter(label)
        if not all(ch in it for ch in name):
            continue  # not a subsequence
        extra = list(label)
        for ch in name:
            extra.remove(ch)
        if not extra or not all(ch.isalpha() for ch in extra) or label in out:
            continue
        notes.append(f"arm {name!r} of the legend (inside the panel) is named {label!r} as "
                     "its at-risk row spells it: the legend lost letters")
        out[k] = label
    return out


def _arm_names(main: list[Staircase], names: list[str | None], order: list[int],
               arms: Sequence[str] | None, warn: list[str]) -> list[str]:
    """Name of each curve (indexed like ``main``); ``arms`` is given in legend order."""
    if arms is not None:
        if len(arms) != len(main):
            raise ValueError(f"arms: {len(arms)} names given but {len(main)} curves found")
        out = [""] * len(main)
        for name, k in zip(arms, order, strict=True):
            out[k] = name
        return out
    if all(n is not None for n in names) and len(set(names)) == len(names):
        return [str(n) for n in names]
    if len(main) > 1:
        warn.append("legend not read for every curve: arms named by drawing order "
                    "('arm 1', 'arm 2', ...)")
    return [f"arm {order.index(k) + 1}" for k in range(len(main))]


def _curve(c: Staircase, cal: Calibration, name: str, mark_x: list[float],
           risk: tuple[tuple[float, ...], tuple[int, ...]] | None) -> Curve:
    t = cal.x.value(c.x)
    s = cal.y.value(c.y)
    end = float(cal.x.value(c.x_end))
    scale = 100.0 if cal.y.percent else 1.0
    s = s / scale
    # a KM curve never rises above 1 nor starts before t = 0: a raster line's cap or a thick
    # level's top edge read a little over 1 (up to START_SLACK_S), or a censoring mark's arm
    # at t = 0 reaching left of the axis's 0 (up to START_SLACK_T of the x range), is 1 and
    # 0; so are drops read a pixel or two before 0 (early deaths at 300 dpi): the level at 0
    # is the last of them -- beyond those the reading is left as it is (and Digitized.ipd
    # refuses it)
    s = np.where((s > 1.0) & (s <= 1.0 + START_SLACK_S), 1.0, s)
    span = abs(float(cal.x.values[-1]) - float(cal.x.values[0])) if len(cal.x.values) > 1 \
        else 0.0
    before = int(np.count_nonzero(t < 0))
    if before and t[0] >= -START_SLACK_T * span:
        t = np.concatenate([[0.0], t[before:]])
        s = np.concatenate([s[before - 1:before], s[before:]])
    censor = cal.x.value(np.asarray(mark_x)) if mark_x else np.zeros(0)
    # a mark is centred on its time; one read a hair past the curve's end (a glyph's ink
    # centre is not its advance centre) is at the end: nobody is censored after it
    censor = np.minimum(censor, max(end, float(t[-1])))
    rt, rn = (risk if risk is not None else ((), ()))
    return frozen_curve(name, t, s, end, censor, rt, rn, c.colour, c.dashed)
