"""The signs ``≤`` and ``≥`` in raster text, told by their shape.

Tesseract's English model has no ``≤`` or ``≥``: it reads them as ``2``, ``=``, ``<`` or a
rotated ``IV`` (``PgR ≥ 10 fmol/l``, ``≤20 mm`` in matplotlib's DejaVu Sans), so a legend
name holding one was never read as printed. Both are a chevron over a bar: the bar is a
component of its own (or the bottom rows of the chevron's, where anti-aliasing joins
them) as wide as the chevron, flat, and just under it; the chevron's ink reaches its
point side in its middle rows only. :func:`relation_glyphs` finds such pairs among the
glyph components of a figure; the caller whitens the bar, so that OCR reads the chevron
alone (``<`` or ``>``, which it reads well), and :func:`with_relations` turns that reading
into the sign drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.scene import Word

__all__ = ["Relation", "relation_glyphs", "with_relations"]


@dataclass(frozen=True)
class Relation:
    """A ``≤`` or ``≥`` found in the image: the chevron's box (pixels), the bar's rows
    and columns (to be whitened before OCR), and the sign."""

    x0: float
    x1: float
    top: float
    bottom: float
    bar: tuple[int, int, int, int]  # rows r0:r1, columns c0:c1 of the bar
    sign: str  # "≤" or "≥"


def _chevron(mask: NDArray[np.bool_]) -> str | None:
    """``"<"`` or ``">"`` when the ink of ``mask`` (the chevron's box) is a chevron: in the
    middle rows it reaches one side (within a fifth of the width), in the top and bottom
    rows it stays in the other half there while reaching the far side."""
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) < 4:
        return None
    m = mask[rows[0]:rows[-1] + 1]
    h, w = m.shape
    if w < 4 or not 0.5 <= h / w <= 1.8:
        return None
    has = m.any(axis=1)
    if not has.all():
        return None  # a chevron's strokes run through every row
    left = np.argmax(m, axis=1).astype(float)
    right = (w - 1 - np.argmax(m[:, ::-1], axis=1)).astype(float)
    edge = max(1, round(0.15 * h))
    mid = slice(round(0.4 * h), max(round(0.6 * h), round(0.4 * h) + 1))
    ends = np.r_[0:edge, h - edge:h]
    if left[mid].min() <= 0.2 * w and left[ends].min() >= 0.5 * w and \
            right[ends].min() >= 0.75 * (w - 1):
        return "<"
    if right[mid].max() >= 0.8 * (w - 1) and right[ends].max() <= 0.5 * w and \
            left[ends].max() <= 0.25 * w:
        return ">"
    return None


def _flat_bar(mask: NDArray[np.bool_]) -> bool:
    """Whether ``mask`` (a component's box) is a flat bar: at least 4 pixels wide, at most
    0.35 of its width tall (or 2 rows), its box filled at least 60 %."""
    h, w = mask.shape
    return w >= 4 and h <= max(2, round(0.35 * w)) and float(mask.mean()) >= 0.6


def relation_glyphs(boxes: Sequence[tuple[int, int, int, int]],
                    masks: Sequence[NDArray[np.bool_]]
                    ) -> list[tuple[int, int | None, Relation]]:
    """The ``≤`` / ``≥`` signs among glyph components.

    ``boxes`` are the components' boxes ``(r0, r1, c0, c1)`` (end-exclusive, image
    pixels), ``masks`` each component's own pixels within its box.
    Returns ``(chevron, bar, relation)``: the index of the chevron's box, the index of the
    bar's box (None when the bar is the bottom rows of the chevron's own component) and
    the sign with the bar's pixels. A bar is under the chevron (its top at most half the
    chevron's height below it), as wide (0.7 to 1.4 times, overlapping 70 % of the
    narrower), flat (:func:`_flat_bar`).
    """
    out: list[tuple[int, int | None, Relation]] = []
    bars = [k for k, m in enumerate(masks) if _flat_bar(m)]
    for k, (r0, r1, c0, c1) in enumerate(boxes):
        h, w = r1 - r0, c1 - c0
        if h < 4 or w < 4:
            continue
        mask = masks[k]
        found: tuple[int | None, tuple[int, int, int, int], NDArray[np.bool_]] | None = None
        for j in bars:
            if j == k:
                continue
            b0, b1, a0, a1 = boxes[j]
            bw = a1 - a0
            over = min(c1, a1) - max(c0, a0)
            if 0 <= b0 - r1 <= 0.5 * h and 0.7 <= bw / w <= 1.4 and \
                    over >= 0.7 * min(w, bw):
                found = (j, (b0, b1, a0, a1), mask)
                break
        if found is None:
            # anti-aliasing may join the bar to the chevron: the bottom rows filled across
            # the box (70 % of it), under a row that is not
            filled = mask.mean(axis=1) >= 0.7
            if h >= 6 and filled[-1] and not filled[: max(1, h // 2)].any():
                top = h - 1
                while top > 0 and filled[top - 1]:
                    top -= 1
                if h - top <= max(2, round(0.35 * w)) and top >= 4 and \
                        not mask[top - 1].all():
                    found = (None, (r0 + top, r1, c0, c1), mask[:top])
        if found is None:
            continue
        bar_k, bar, chev = found
        shape = _chevron(chev)
        if shape is None or _in_a_column(boxes, k, bar_k, bar):
            continue
        sign = "≤" if shape == "<" else "≥"
        bottom = r1 if bar_k is not None else bar[0]
        out.append((k, bar_k, Relation(float(c0), float(c1), float(r0), float(bottom), bar,
                                   sign)))
    return out


def _in_a_column(boxes: Sequence[tuple[int, int, int, int]], k: int, j: int | None,
                 bar: tuple[int, int, int, int]) -> bool:
    """Whether another glyph stands right over chevron ``k`` or right under its bar
    (within half the chevron's height, over half the narrower width): then the pair is
    two letters of text written bottom to top (a "v" over an "i" of "Survival"), not a
    sign on a line of text."""
    r0, r1, c0, c1 = boxes[k]
    h = r1 - r0
    for i, (q0, q1, a0, a1) in enumerate(boxes):
        if i in (k, j):
            continue
        if min(c1, a1) - max(c0, a0) < 0.5 * min(c1 - c0, a1 - a0):
            continue
        if 0 <= r0 - q1 <= 0.5 * h or 0 <= q0 - bar[1] <= 0.5 * h:
            return True
    return False


def with_relations(words: list[Word], relations: Sequence[Relation]) -> list[Word]:
    """``words`` with each found sign put in the word that holds its chevron: a word that is
    the chevron alone (whatever OCR read) becomes the sign; a word holding one ``<`` (for
    ``≤``) or ``>`` (for ``≥``) has it replaced. Other words are left as read."""
    if not relations:
        return words
    out = list(words)
    for rel in relations:
        cx, cy = 0.5 * (rel.x0 + rel.x1), 0.5 * (rel.top + rel.bottom)
        for i, wd in enumerate(out):
            if wd.rotated or not (wd.x0 <= cx <= wd.x1 and wd.top <= cy <= wd.bottom):
                continue
            plain = "<" if rel.sign == "≤" else ">"
            if wd.x0 >= rel.x0 - 1 and wd.x1 <= rel.x1 + 1:
                text = rel.sign  # the chevron alone
            elif wd.text.count(plain) == 1:
                text = wd.text.replace(plain, rel.sign)
            else:
                break
            out[i] = Word(text, wd.x0, wd.x1, wd.top, wd.bottom, wd.colour, wd.rotated)
            break
    return out
