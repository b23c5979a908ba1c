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
from survkit.digitize.scene import Scene

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
        order.sort(key=lambda k: _legend_position(scene, names[k]))
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
    risk_by_legend, rnotes = read_risk_table(scene, cal, [main[k] for k in order],
                                             [legend_names[k] for k in order])
    risk = {final_names[legend_names.index(k)]: v for k, v in risk_by_legend.items()}
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
    for cv in curves:
        if cv.surv[0] < 0.98:
            warn.append(f"curve {cv.arm!r} starts at S = {cv.surv[0]:.3f}, not 1: is it a "
                        "cumulative-incidence or a truncated axis?")
        if np.any(np.diff(cv.surv) > 1e-9):
            warn.append(f"curve {cv.arm!r} increases somewhere")
    return Digitized(source, scene.kind, tuple(curves), cal, tuple(warn), tuple(notes),
                     scene)




def _legend_position(scene: Scene, name: str | None) -> float:
    """Reading position (top, then left) of the word that begins ``name`` in the figure."""
    if name is None:
        return float("inf")
    first = name.split()[0] if name.split() else name
    parts = name.split()
    if len(parts) > 1:
        # names sharing their first word ("Arm A", "Arm B"): the word that begins the
        # whole name on its line
        for w in sorted((w for w in scene.words if w.text == first), key=lambda w: (w.top, w.x0)):
            line = sorted((x for x in scene.words if abs(x.yc - w.yc) < 0.4 * max(w.height, 1e-9)
                           and x.x0 >= w.x0), key=lambda x: x.x0)[:len(parts)]
            if [x.text for x in line] == parts or "".join(x.text for x in line) == "".join(parts):
                return w.top * 1e6 + w.x0
    for test in (lambda t: t == name, lambda t: t == first, lambda t: name.startswith(t)):
        hits = [w for w in scene.words if test(w.text)]
        if hits:
            w = min(hits, key=lambda w: (w.top, w.x0))
            return w.top * 1e6 + w.x0
    return float("inf")


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
    censor = cal.x.value(np.asarray(mark_x)) if mark_x else np.zeros(0)
    rt, rn = (risk if risk is not None else ((), ()))
    return frozen_curve(name, t, s, end, censor, rt, rn, c.colour, c.dashed)
