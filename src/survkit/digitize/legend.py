"""Arm names from the legend: a short line in a curve's style with text to its right."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from survkit.digitize.axes import Calibration
from survkit.digitize.curves import Staircase
from survkit.digitize.joiners import joins_words
from survkit.digitize.scene import Scene, Stroke, Word

__all__ = ["doubtful_names", "not_a_name", "read_legend"]


def _key_of(s: Stroke, curve: Staircase, max_len: float) -> bool:
    if len(s.points) < 2 or s.colour is None:
        return False
    if s.style != curve.stroke.style:
        return False
    w = s.x1 - s.x0
    return 0 < w <= max_len and (s.bottom - s.top) <= 1e-6 * max(w, 1.0) + 1e-9


def read_legend(
    scene: Scene, cal: Calibration, curves: list[Staircase]
) -> tuple[list[str | None], set[int]]:
    """The legend label of each curve (None where none is found) and the key strokes used."""
    left, right, _, _ = cal.box
    max_len = 0.2 * (right - left)
    names: list[str | None] = []
    used: set[int] = set()
    words = list(scene.words)
    typical = float(np.median([w.height for w in words if not w.rotated] or [1.0]))
    for c in curves:
        found: str | None = None
        for s in scene.strokes:
            if id(s) in used or s is c.stroke or not _key_of(s, c, max_len):
                continue
            y = s.points[0, 1]
            # (the cheap test of place first: a figure may draw thousands of '+' marks)
            line = [w for w in words if not w.rotated and w.top - 0.2 * w.height <= y
                    <= w.bottom + 0.2 * w.height and w.x0 >= s.x1 - 0.5 * w.height
                    and (not set(w.text) <= {"+", "|"} or joins_words(w, words))]
            if not line:
                continue
            line.sort(key=lambda w: w.x0)
            first = line[0]
            if first.x0 - s.x1 > 3 * first.height or (s.x1 - s.x0) < 0.8 * first.height:
                continue  # too far from the text, or too short for a key (a tick mark)
            if first.height > 2 * typical:
                continue  # not a line of text
            # a horizontal legend: the text ends where the next key begins
            nxt = [k.x0 for k in scene.strokes if k is not s and len(k.points) >= 2
                   and k.colour is not None and 0 < k.x1 - k.x0 <= max_len
                   and k.bottom - k.top <= 1e-6 * max(k.x1 - k.x0, 1.0) + 1e-9
                   and abs(k.points[0, 1] - y) <= first.height and k.x0 >= first.x1
                   # a key lies in a gap between labels, after the first word; a
                   # curve's flat stretch through or before the text is none
                   # (a censoring mark drawn as "+" on the next key does not count)
                   and not any(w.x0 < k.x1 and w.x1 > k.x0 for w in line
                               if any(ch.isalnum() for ch in w.text))]
            if nxt:
                line = [w for w in line if w.x1 <= min(nxt)] or line[:1]
            text = _join_line(line)
            if text:
                found = text
                used.add(id(s))
                break
        names.append(found)
    return names, used


#: a p-value printed on the plot: "p = 0.13", "p<0.0001", "P=0.003" (survminer's
#: ``pval = TRUE``, R's ``text()``)
_P_VALUE = re.compile(r"^[pP]\s*[=<>\u2264\u2265]")


def not_a_name(wd: Word, words: Sequence[Word]) -> bool:
    """Whether the upright word ``wd`` begins text that names no arm: a p-value (``"p"``
    followed on its line by a relation or a number, or ``"p="`` itself), or the heading of
    a number-at-risk table (``"Number at risk"``, ``"No. at risk"``, ``"At risk"``: a word
    "at" followed by "risk" on its line). A legend label is neither ("High risk" is a
    label: no "at" before "risk")."""
    if _P_VALUE.match(wd.text):
        return True
    h = max(wd.height, 1e-9)
    line = sorted((x for x in words if x is not wd and not x.rotated
                   and abs(x.yc - wd.yc) < 0.4 * max(h, x.height)), key=lambda x: x.x0)
    after = [x for x in line if 0 <= x.x0 - wd.x1 <= 1.5 * h]
    if wd.text in ("p", "P") and after and (after[0].text[:1] in "=<>\u2264\u2265"
                                            or after[0].text[:1].isdigit()):
        return True
    texts = [x.text.lower() for x in sorted([wd, *line], key=lambda x: x.x0)]
    return any(a == "at" and b.startswith("risk") for a, b in pairwise(texts))


def _join_line(line: list[Word]) -> str:
    parts = [line[0]]
    for w in line[1:]:
        if w.x0 - parts[-1].x1 > 1.5 * w.height:
            break
        parts.append(w)
    return " ".join(w.text for w in parts).strip()


#: characters OCR gives for an upright bar: a word made of them is a Roman numeral, a
#: number or a misreading
_BARS = frozenset("IlH|1i!")


def doubtful_names(names: list[str | None]) -> list[str]:
    """Warnings for legend names read by OCR that may hold a misread upright bar.

    An upright bar (``I``, ``l``, ``1``, ``|``) is the glyph OCR confuses most: "Stage II"
    comes out as "Stage H", "Stage III" as "Stage Il" or "Stage HI". A word of a name made
    only of such characters is doubtful when it mixes them (``"Il"``, ``"HI"``, ``"1I"``), is
    a lone ``l`` or ``|``, or is ``H`` where another name has a Roman numeral of ``I`` in
    the same place (``"Stage I"``, ``"Stage H"``). A name of ordinary words gives nothing.
    """
    out: list[str] = []
    split = [re.split(r"(\s+)", n)[::2] if n else [] for n in names]
    numerals = {(len(ws), k) for ws in split for k, w in enumerate(ws) if w and set(w) == {"I"}}
    for name, ws in zip(names, split, strict=True):
        if not name:
            continue
        for k, w in enumerate(ws):
            if not w or not set(w) <= _BARS:
                continue
            mixed = len(set(w)) > 1
            lone = w in ("l", "|", "!")
            odd_h = "H" in w and ((len(ws), k) in numerals or mixed)
            if mixed or lone or odd_h:
                out.append(f"legend name {name!r} may be misread: OCR confuses upright bars "
                           "(I, l, 1, |; II read as H)")
                break
    return out
