"""Group single characters into words; parse numbers as figures print them."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from survkit.digitize.scene import Colour, Word

__all__ = ["RELATIONS", "Char", "as_count", "parse_number", "words_from_chars"]


@dataclass(frozen=True)
class Char:
    """One character with its box (y downwards); ``rotated`` for bottom-to-top text.

    ``baseline`` (the page ``y`` of the line the character sits on) and ``em`` (the font
    size, page units) are given by vector readers for upright text, else None.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    colour: Colour | None = None
    rotated: bool = False
    baseline: float | None = None
    em: float | None = None


#: Words of a label that hold no letter or digit but belong to it ("Age < 35", "Age >= 50"):
#: no legend key or censoring mark is read as them.
RELATIONS = frozenset({"<", ">", "<=", ">=", "\u2264", "\u2265"})

#: Characters plotting programs draw as censoring marks (survminer's default "+").
_MARKS = frozenset("+|")


def words_from_chars(chars: Iterable[Char]) -> list[Word]:
    """Join characters on one line into words, splitting at spaces and wide gaps.

    Upright characters share a line when their vertical centres are within a third of the
    character height; rotated characters (read bottom to top) when their horizontal centres
    are. A gap wider than 0.3 of the character size starts a new word.
    """
    up: list[Char] = []
    rot: list[Char] = []
    for c in chars:
        (rot if c.rotated else up).append(c)
    return _group(up, rotated=False) + _group(rot, rotated=True)


def _group(chars: list[Char], *, rotated: bool) -> list[Word]:
    if not chars:
        return []

    def across(c: Char) -> float:  # position across the line
        return 0.5 * (c.x0 + c.x1) if rotated else 0.5 * (c.top + c.bottom)

    def along(c: Char) -> float:  # reading position along the line
        return -c.bottom if rotated else c.x0

    def size(c: Char) -> float:
        return (c.x1 - c.x0) if rotated else (c.bottom - c.top)

    lines: list[list[Char]] = []
    for c in sorted(chars, key=across):
        if lines and abs(across(lines[-1][-1]) - across(c)) <= max(size(c), 1e-9) / 3:
            lines[-1].append(c)
        else:
            lines.append([c])
    words: list[Word] = []
    for line in lines:
        line.sort(key=along)
        cur: list[Char] = []
        for c in line:
            if c.text.isspace():
                _flush(cur, words, rotated)
                cur = []
                continue
            if c.text in _MARKS and not (
                    cur and cur[-1].text not in _MARKS
                    and along(c) - ((-cur[-1].top) if rotated else cur[-1].x1)
                    <= 0.3 * max(size(c), 1e-9)):
                # a plotting symbol drawn as text (not inside a word): a word of its own
                _flush(cur, words, rotated)
                _flush([c], words, rotated)
                cur = []
                continue
            if cur:
                prev_end = (-cur[-1].top) if rotated else cur[-1].x1
                if along(c) - prev_end > 0.3 * max(size(c), 1e-9) or c.colour != cur[-1].colour:
                    _flush(cur, words, rotated)
                    cur = []
            cur.append(c)
        _flush(cur, words, rotated)
    return words


def _flush(cur: list[Char], words: list[Word], rotated: bool) -> None:
    if not cur:
        return
    base = [c.baseline for c in cur]
    ems = [c.em for c in cur]
    words.append(
        Word(
            text="".join(c.text for c in cur).replace("\u2212", "-"),
            x0=min(c.x0 for c in cur),
            x1=max(c.x1 for c in cur),
            top=min(c.top for c in cur),
            bottom=max(c.bottom for c in cur),
            colour=cur[0].colour,
            rotated=rotated,
            # a word's baseline and size are known when every character's is
            baseline=None if None in base else max(b for b in base if b is not None),
            em=None if None in ems else max(e for e in ems if e is not None),
        )
    )


_NUMBER = re.compile(r"^[(\[]?([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(%?)[)\]]?$")


#: Digits grouped by thousands separators: "1,250", "12,000" (never a decimal comma;
#: "0,250" is a decimal comma: a group of thousands does not start with 0).
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")


def parse_number(text: str) -> tuple[float, bool] | None:
    """``(value, is_percent)`` for a printed number (``"0.25"``, ``"75%"``, ``"−1"``), else None.

    A unicode minus or en dash counts as a minus sign; a decimal comma is accepted, except
    in digits grouped by thousands (``"1,000"`` is 1000: axes in days print so, and no axis
    prints three decimals after a comma).
    """
    t = text.strip().replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
    if _THOUSANDS.match(t):
        return float(t.replace(",", "")), False
    m = _NUMBER.match(t)
    if not m:
        return None
    num = m.group(1).replace(",", ".")
    try:
        value = float(num)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value, bool(m.group(2))


#: Letters OCR reads for digits of the same shape.
_LOOKALIKE = str.maketrans({"A": "4", "O": "0", "o": "0", "D": "0", "Q": "0", "l": "1",
                            "I": "1", "i": "1", "|": "1", "S": "5", "s": "5", "B": "8",
                            "Z": "2", "z": "2", "g": "9", "q": "9", "b": "6", "G": "6",
                            "T": "7"})


def as_count(text: str, *, lookalikes: bool = False) -> int | None:
    """A printed whole number (``"123"``, ``"1,250"``) as int, else None.

    With ``lookalikes``, letters that OCR confuses with digits (A→4, O→0, S→5...) are read as
    those digits: used only for a cell in a row of numbers, never for a label.
    """
    t = text.strip()
    if lookalikes and len(t) <= 4:
        t = t.translate(_LOOKALIKE)
    if _THOUSANDS.match(t) and t[0].isdigit():
        return int(t.replace(",", ""))  # "1,250": digits grouped by thousands
    return int(t) if t.isdigit() else None
