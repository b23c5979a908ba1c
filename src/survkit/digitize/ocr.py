"""Text by OCR (Tesseract through pytesseract): raster figures and outlined SVG glyphs.

Glyphs are first grouped into text clusters (characters side by side on one line, or
stacked for text written bottom to top). Each cluster is cut out, turned upright, enlarged
to a common height and stacked with the others into one image that Tesseract reads in a
single call as a block of lines (``--psm 6``); the line read in each slot is the text of
that cluster. Reading clusters instead of the whole figure finds isolated one-digit labels
(a ``0`` tick, a ``2`` at risk) that a page-wide pass misses, and costs one Tesseract call.

Readings that may be misread numbers are read again: number-like clusters (digits, or
letters shaped like digits) stacked in a second sheet, digits only, unless they are
numbers of several glyphs read with confidence 95 or more; two different numbers leave
the cluster unread (``"?"``), unless one of them was unsure (< 90) and the cluster read on
its own, digits only, confidently (90 or more) gives the digits of the other.
Clusters still without a number (a lone ``7`` read as ``j``, a bold ``0`` as ``it)``, or
nothing at all) are read on their own, digits only, and take that reading only when it is
a confident number (90 or more, or 50 or more twice the same). Tesseract runs in the
process (:mod:`survkit.digitize.tesseract`), so these extra calls cost milliseconds.
Outlined glyphs (SVG written by Cairo, as R's ``svg()`` device does) are filled into an
image (even–odd rule) at 4 pixels per point first.

Pale text (a crop whose darkest pixel is paler than ``_PALE``) is darkened before it is
read, and words read unsurely in the sheet are read again alone. Glyphs of different text
colours are never one cluster. One to three upright bars after a word are the Roman numeral
of as many ``I`` (OCR reads them ``H``, ``Il``, ``|``), and a dash as wide as an en dash is
``–``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.deps import have_tesseract, require
from survkit.digitize.scene import Colour, Word
from survkit.digitize.tesseract import image_to_data

if TYPE_CHECKING:
    from survkit.digitize.svg import Glyph

__all__ = ["Box", "cluster_boxes", "read_clusters", "words_from_glyphs"]

_WHITELIST = "0123456789.,%+-=()<>/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TEXT_H = 48  # pixel height of a cluster in the stacked image (slots 24 pixels taller)
_DIGIT_H = 48  # the same in the sheet of numbers read again digits only
_GAP = 24
#: a first reading this confident (Tesseract's 0–100) of a number of two glyphs or more
#: is not read again digits-only: over the benchmark's 1617 number-like clusters the two
#: readings differed only on readings below 91 (pieces of curves read as "4", "17")
_SURE = 95.0
#: a digits-only reading of one cluster that no other reading confirms is kept only this
#: confident (a lone "7" read so came out at 96; pieces of curves at 0)
_SURE_ALONE = 90.0
#: ... or read the same, at least this confident, in the sheet of numbers and alone (a
#: bold "0" read as "it)" came out as "0" at 88 and 89)
_FAIR = 50.0
#: letters and digits of several glyphs read this confidently stay letters and digits
#: when their digits-only reading is unsure and unlike them (:func:`_letter_kept`)
_MIXED_SURE = 70.0
_NUMERIC = frozenset("0123456789.,%")
#: in a word of three glyphs, a gap this share of the text height (and 2.5 times the
#: other gap) is a space OCR did not read
_WIDE_GAP = 0.35
#: two digits whose left edges are this share of the text height apart (and whose gap is
#: over half of it) have a space between them
_DIGIT_SPACE = 1.1
_JOINERS = frozenset("+-=/\u2013")
#: letters OCR may give for a digit's glyph: a cluster read as them is read again as digits
#: (a "/" for the slanted flag and stem of a small "1", and a "," for the same seen alone)
_DIGIT_LOOKALIKES = frozenset("AOoDQlIi|SsBZzgqbGTjJ)(/,")
#: a lone upright bar may be a "1" or a censoring mark: not read again alone
_BARS = frozenset("lIi|!")


@dataclass(frozen=True)
class Box:
    """A glyph's (or connected component's) box in image pixels, with its colour.

    ``key`` names the glyph when the file says which glyph it is (Cairo's symbol ids): two
    clusters with the same sequence of keys are read once.
    """

    x0: float
    x1: float
    top: float
    bottom: float
    colour: Colour | None = None
    key: str | None = None  # the glyph's identity when known (an SVG symbol id)


def _tesseract() -> None:
    if not have_tesseract():
        raise ValueError(
            "the figure's text must be read by OCR but the tesseract program is not installed "
            "(Debian package tesseract-ocr) and libtesseract cannot be loaded; give x_range "
            "and y_range, or install it"
        )


def _scan(keys: NDArray[np.float64], pos: int, start: float, reach: float
          ) -> NDArray[np.float64]:
    """The distances ``keys[pos + 1:] - start`` (``keys`` ascending) of the boxes a scan
    from ``pos`` reaches: up to, not including, the first one beyond ``reach``."""
    end = int(np.searchsorted(keys, start + abs(reach) * (1 + 1e-9) + 1e-9, side="right"))
    d = keys[pos + 1:max(end, pos + 1)] - start
    beyond = np.flatnonzero(d > reach)
    return d[:beyond[0]] if len(beyond) else d


#: pixels of paper kept round a cluster's glyphs in the crop OCR reads
_CROP_PAD = 2


def _crop_origin(glyphs: Iterable[Box]) -> tuple[int, int]:
    """Left and top pixel of the crop :func:`read_clusters` cuts round ``glyphs``."""
    gl = list(glyphs)
    return (max(int(np.floor(min(b.x0 for b in gl))) - _CROP_PAD, 0),
            max(int(np.floor(min(b.top for b in gl))) - _CROP_PAD, 0))


def cluster_boxes(boxes: Sequence[Box]) -> list[tuple[list[int], bool]]:
    """Group glyph boxes into text clusters: ``(indices, rotated)`` in reading order.

    Upright: boxes overlapping vertically by half the smaller height and less than 0.45 of
    the height apart horizontally (0.6 next to a narrow glyph of the same height, such as
    a ``1``). Boxes left alone are then joined into bottom-to-top
    clusters when stacked with the same rule turned a quarter, except a thin upright bar
    (at most 0.3 of the glyph's width, and half its own height: ggplot's tick, anti-aliased
    over 5 pixels at 300 dpi, is 0.26 of a "0" and 0.42 of its length) with no glyph over
    it, above a glyph: that is a tick mark over its label (an axis drawn without an axis
    line), while a hyphen in text written bottom to top has glyphs on both sides.
    """
    n = len(boxes)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(n), key=lambda i: boxes[i].x0)
    # the scan right of a box stops where no box can join it any more: beyond 0.6 of the
    # tallest box's height (a small mark on another line, such as a hyphen, must not stop
    # it before the next glyph of this line)
    tallest = max((b.bottom - b.top for b in boxes), default=0.0)
    inks = [_ink_direction(b.colour) for b in boxes]
    # a glyph with another of its size right over or under it (2 pixels apart or less,
    # overlapping it by half the narrower width, neither a flat bar) is a letter of text
    # written bottom to top: a y axis title whose letter's descender reaches towards a
    # tick label is not the label's first character ("y" of "probability" joined to
    # "0.75" read "20.75")
    in_column = [False] * n
    by_top = sorted(range(n), key=lambda i: boxes[i].top)
    # (the pairs are scanned in numpy first: a figure may hold thousands of glyphs, and a
    # pair that cannot join is one no test below accepts; the tests are as written)
    tops = np.array([boxes[i].top for i in by_top], dtype=np.float64)
    for a_pos, i in enumerate(by_top):
        bi = boxes[i]
        wi, hi = bi.x1 - bi.x0, bi.bottom - bi.top
        d = _scan(tops, a_pos, bi.bottom, 2 + tallest)
        near = np.flatnonzero((d <= 2) & ~(tops[a_pos + 1:a_pos + 1 + len(d)] < bi.bottom - 1))
        for j in (by_top[a_pos + 1 + int(k)] for k in near):
            bj = boxes[j]
            wj, hj = bj.x1 - bj.x0, bj.bottom - bj.top
            if bj.top < bi.bottom - 1 or min(wi, wj) < 0.5 * max(wi, wj) or \
                    min(hi, hj) < 0.5 * max(hi, hj) or min(hi, hj) < 0.3 * max(wi, wj):
                continue  # (the two bars of an "=" are no letters)
            if min(bi.x1, bj.x1) - max(bi.x0, bj.x0) >= 0.5 * min(wi, wj):
                in_column[i] = in_column[j] = True
    # the boxes in reading order as arrays; the tests below, written once for all the boxes a
    # box's scan reaches, are those of one pair at a time with the same floating operations
    x0s = np.array([boxes[i].x0 for i in order], dtype=np.float64)
    x1s = np.array([boxes[i].x1 for i in order], dtype=np.float64)
    otop = np.array([boxes[i].top for i in order], dtype=np.float64)
    obot = np.array([boxes[i].bottom for i in order], dtype=np.float64)
    oh, ow = obot - otop, x1s - x0s
    ocol = np.array([in_column[i] for i in order], dtype=bool)
    oink = np.array([inks[i] if inks[i] is not None else (np.nan,) * 3 for i in order],
                    dtype=np.float64).reshape(-1, 3)
    for a_pos, i in enumerate(order):
        bi = boxes[i]
        hi, wi = bi.bottom - bi.top, bi.x1 - bi.x0
        d = _scan(x0s, a_pos, bi.x1, 0.6 * max(hi, tallest))
        c = a_pos + 1 + np.arange(len(d))
        # boxes that share no height with this one join it by no test below
        c = c[(otop[c] <= bi.bottom) & (obot[c] >= bi.top)]
        if not len(c):
            continue
        hc, tc, bc = oh[c], otop[c], obot[c]
        big = np.maximum(hi, hc)
        # a narrow glyph of the same height and line ("1" in "211") leaves a wider gap
        narrow = (np.minimum(wi, ow[c]) < 0.4 * big) & (np.abs(hi - hc) <= 0.1 * big) & (
            np.abs(bi.top - tc) <= 0.1 * big)
        # so does a decimal point after a narrow glyph ("1.00": "1" and "." are both thin)
        point = (wi < 0.4 * hi) & (hc < 0.4 * hi) & (np.abs(bc - bi.bottom) <= max(1.0, 0.15 * hi))
        close = x0s[c] - bi.x1 <= np.where(narrow | point, 0.6, 0.45) * big
        ovc = np.minimum(bi.bottom, bc) - np.maximum(bi.top, tc)
        small = np.minimum(hi, hc)
        similar = big <= 2.2 * small + 1
        # a small mark (".", ",", "-") inside the other's height joins it too
        small_inside = ((hc < hi) & (tc >= bi.top - 1) & (bc <= bi.bottom + 1)) | (
            (hi < hc) & (bi.top >= tc - 1) & (bi.bottom <= bc + 1))
        # "1,250": a comma hangs below
        comma = _commas_of(bi.top, bi.bottom, bi.x0, bi.x1, tc, bc, x0s[c], x1s[c], big=True) \
            | _commas_of(bi.top, bi.bottom, bi.x0, bi.x1, tc, bc, x0s[c], x1s[c], big=False)
        # a letter of text written bottom to top never joins an upright glyph; a coloured
        # label touching a count is not one word with it
        joined = close & (ocol[c] == in_column[i]) & (
            ((ovc >= 0.5 * small) & (similar | small_inside)) | comma) & _same_inks(inks[i],
                                                                                oink[c])
        for k in c[joined]:
            parent[find(order[int(k)])] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    singles = [g[0] for g in groups.values() if len(g) == 1]
    out: list[tuple[list[int], bool]] = [(sorted(g, key=lambda i: boxes[i].x0), False)
                                         for g in groups.values() if len(g) > 1]
    # stacked singles: text written bottom to top
    sp = {i: i for i in singles}

    def sfind(i: int) -> int:
        while sp[i] != i:
            i = sp[i]
        return i

    sorder = sorted(singles, key=lambda i: boxes[i].top)
    stacked_on: set[int] = set()  # singles with a single stacked right above them
    # as above: the scan stops past the widest single's reach, not at a narrow mark
    # elsewhere on the page (a censoring tick between the "." and the "1" of "1.0")
    widest = max((boxes[i].x1 - boxes[i].x0 for i in singles), default=0.0)
    for a_pos, i in enumerate(sorder):
        bi = boxes[i]
        wi = bi.x1 - bi.x0
        for j in sorder[a_pos + 1:]:
            bj = boxes[j]
            wj = bj.x1 - bj.x0
            if bj.top - bi.bottom > 0.45 * max(wi, wj):
                if bj.top - bi.bottom > 0.45 * max(wi, widest):
                    break
                continue
            ov = min(bi.x1, bj.x1) - max(bi.x0, bj.x0)
            if ov >= 0.5 * min(wi, wj):
                if wi <= 0.3 * wj and wi <= 0.5 * (bi.bottom - bi.top) \
                        and i not in stacked_on:
                    continue  # a bar over a glyph, with nothing over it: a tick mark
                stacked_on.add(j)
                ri, rj = sfind(i), sfind(j)
                if ri != rj:
                    sp[rj] = ri
    sgroups: dict[int, list[int]] = {}
    for i in singles:
        sgroups.setdefault(sfind(i), []).append(i)
    for g in sgroups.values():
        height = max(boxes[i].bottom for i in g) - min(boxes[i].top for i in g)
        width = max(boxes[i].x1 for i in g) - min(boxes[i].x0 for i in g)
        # pieces stacked in a box no taller than wide, none of them a flat line, are one
        # upright glyph drawn in parts: a ">" whose arms do not meet at 150 dpi, which read
        # turned is "V" (hairlines stacked under a curve stay apart)
        one_glyph = len(g) > 1 and height <= width <= 1.5 * height and all(
            boxes[i].bottom - boxes[i].top >= 0.2 * (boxes[i].x1 - boxes[i].x0) for i in g)
        if len(g) > 1 and not one_glyph:
            out.append((sorted(g, key=lambda i: -boxes[i].bottom), True))
        elif one_glyph:
            out.append((sorted(g, key=lambda i: boxes[i].x0), False))
        else:
            out.append((g, False))
    out.sort(key=lambda c: (min(boxes[i].top for i in c[0]), min(boxes[i].x0 for i in c[0])))
    return out


#: two glyphs whose inks (1 − colour, as RGB vectors) point in directions this far apart
#: (cosine below it) are of different colours: black against Okabe–Ito's bluish green
#: (#009e73) is 0.93, against its orange 0.80; a glyph's anti-aliased paler pixels keep
#: the direction of its ink (a blend with white scales ``1 − c``)
_SAME_INK = 0.97


def _ink_direction(colour: Colour | None) -> tuple[float, float, float] | None:
    """The unit vector of a glyph's ink, ``1 − colour``; None when the colour is unknown
    or too pale (length under 0.15) to have a direction."""
    if colour is None:
        return None
    r, g, b = 1.0 - colour[0], 1.0 - colour[1], 1.0 - colour[2]
    n = (r * r + g * g + b * b) ** 0.5
    return None if n < 0.15 else (r / n, g / n, b / n)


def _same_inks(a: tuple[float, float, float] | None, b: NDArray[np.float64]
               ) -> NDArray[np.bool_]:
    """Whether glyphs with ink direction ``a`` (:func:`_ink_direction`) and each row of ``b``
    may be of one text colour: the directions agree within :data:`_SAME_INK`, or either has
    none (None, or a row of NaN)."""
    if a is None:
        return np.ones(len(b), dtype=bool)
    dot = b[:, 0] * a[0] + b[:, 1] * a[1] + b[:, 2] * a[2]
    return np.isnan(b[:, 0]) | (dot >= _SAME_INK)


def _commas_of(top: float, bottom: float, x0: float, x1: float, tops: NDArray[np.float64],
               bottoms: NDArray[np.float64], x0s: NDArray[np.float64],
               x1s: NDArray[np.float64], *, big: bool) -> NDArray[np.bool_]:
    """Whether each of many boxes and one box make a comma (or point) at the foot of a big
    box: the small one under half the big one's height and at most as wide, its top in the
    lower half of the big one, hanging at most 0.4 of the height below it, and side by side
    with it (thousands separators of "1,250"). ``big``: the one box is the big one."""
    if big:
        h = bottom - top
        hs, ws = bottoms - tops, x1s - x0s
        return (h > 0) & (hs < 0.5 * h) & (ws <= 0.5 * h) & (top + 0.5 * h <= tops) & (
            tops < bottom) & (bottoms <= bottom + 0.4 * h) & (
            ((0 <= x0s - x1) & (x0s - x1 <= 0.35 * h)) | ((0 <= x0 - x1s) & (x0 - x1s <= 0.35 * h)))
    hb = bottoms - tops
    h1, w1 = bottom - top, x1 - x0
    return (hb > 0) & (h1 < 0.5 * hb) & (w1 <= 0.5 * hb) & (tops + 0.5 * hb <= top) & (
        top < bottoms) & (bottom <= bottoms + 0.4 * hb) & (
        ((0 <= x0 - x1s) & (x0 - x1s <= 0.35 * hb)) | ((0 <= x0s - x1) & (x0s - x1 <= 0.35 * hb)))


def read_clusters(gray: NDArray[np.uint8], boxes: Sequence[Box], scale: float = 1.0,
                  *, min_height: float = 0.0, text_sized: bool = False) -> list[Word]:
    """Read every text cluster of ``boxes`` in ``gray`` (dark text on white) by OCR.

    Returns words with boxes in figure units (pixels divided by ``scale``); a cluster whose
    line holds several words gives several words placed by their share of the cluster.
    With ``text_sized`` (raster figures, whose components include pieces of curves, dashes
    and marks), upright clusters none of whose glyphs has a text height are not read.
    """
    _tesseract()
    all_clusters = cluster_boxes(boxes)
    if text_sized:
        all_clusters = _text_sized(all_clusters, boxes)
    # clusters of the same known glyphs are read once
    first_of: dict[tuple[object, ...], int] = {}
    clusters: list[tuple[list[int], bool]] = []
    copies: list[tuple[list[int], bool, int]] = []
    for idx, rotated in all_clusters:
        keys = tuple(boxes[i].key for i in idx)
        sig = (rotated, *keys)
        if all(k is not None for k in keys) and sig in first_of:
            copies.append((idx, rotated, first_of[sig]))
            continue
        if all(k is not None for k in keys):
            first_of[sig] = len(clusters)
        clusters.append((idx, rotated))
    crops: list[NDArray[np.uint8]] = []
    sizes: list[int] = []  # glyphs in each crop
    meta: list[tuple[float, float, float, float, bool, Colour | None]] = []
    kept: list[int] = []
    h_img, w_img = gray.shape
    for ci, (idx, rotated) in enumerate(clusters):
        x0, y0 = _crop_origin(boxes[i] for i in idx)
        x1 = min(int(np.ceil(max(boxes[i].x1 for i in idx))) + _CROP_PAD, w_img)
        y1 = min(int(np.ceil(max(boxes[i].bottom for i in idx))) + _CROP_PAD, h_img)
        if x1 - x0 < 2 or y1 - y0 < 2 or (y1 - y0 if not rotated else x1 - x0) < min_height:
            continue
        crop = _darkened(gray[y0:y1, x0:x1])
        if rotated:
            crop = np.rot90(crop, k=-1)
        crops.append(crop)
        sizes.append(len(idx))
        cols = [boxes[i].colour for i in idx]
        colour = max(set(cols), key=cols.count) if cols else None
        meta.append((x0 / scale, x1 / scale, y0 / scale, y1 / scale, rotated, colour))
        kept.append(ci)
    if not crops:
        return []
    per_slot, conf = _read_sheet(crops, _WHITELIST, _TEXT_H)
    _read_again(per_slot, conf, crops, sizes, text_sized,
                [[boxes[i] for i in clusters[ci][0]] if not clusters[ci][1] else []
                 for ci in kept])
    _words_alone(per_slot, conf, crops, sizes)
    _by_holes(per_slot, crops, [[boxes[i] for i in clusters[ci][0]] if not clusters[ci][1]
                                else [] for ci in kept])
    _same_ink_same_text(per_slot, crops, sizes)
    for k, ci in enumerate(kept):
        idx, rotated = clusters[ci]
        if sizes[k] == 1 and not rotated and k in per_slot:
            per_slot[k] = _one_letter(per_slot[k], boxes[idx[0]], boxes)
            per_slot[k] = _level_descender(per_slot[k], boxes[idx[0]], boxes, crops[k])
    _roman_bars(per_slot, kept, clusters, boxes, gray)
    _spaces_by_parts(per_slot, crops, [clusters[ci] for ci in kept], boxes)
    for k, ci in enumerate(kept):
        idx, rotated = clusters[ci]
        if sizes[k] >= 2 and not rotated and k in per_slot:
            per_slot[k] = _first_letter_case(per_slot[k], [boxes[i] for i in idx])
    texts: dict[int, list[tuple[float, float, str]]] = {
        kept[k]: items for k, items in per_slot.items()}
    words: list[Word] = []
    for ci, (idx, rotated) in enumerate(clusters):
        if ci in texts:
            words.extend(_cluster_words(texts[ci], idx, rotated, boxes, scale))
    for idx, rotated, ci in copies:
        if ci in texts:
            words.extend(_cluster_words(texts[ci], idx, rotated, boxes, scale))
    return _underscored(words, boxes, scale)


def _underscored(words: list[Word], boxes: Sequence[Box], scale: float) -> list[Word]:
    """Words joined by an underscore glyph into one (lifelines' default label
    ``"KM_estimate"``; column names such as ``"arm_A"``).

    An underscore is a flat glyph under the baseline that no cluster takes in (OCR never
    sees it): a box at most 0.2 of the text height ``h`` tall and 0.3 to 1.5 ``h`` wide,
    its top from 0.1 ``h`` above to 0.4 ``h`` below the bottom of two upright words of one
    line (bottoms within 0.35 ``h``) and filling the gap between them (within 0.35 ``h``
    of each). A hyphen or dash is at mid-height, a legend key longer; neither is taken.
    """
    flat = [b for b in boxes if b.x1 - b.x0 >= 2.0 * (b.bottom - b.top)]
    if not flat or len(words) < 2:
        return words
    out = list(words)
    for bar in flat:
        x0, x1 = bar.x0 / scale, bar.x1 / scale
        top, bot = bar.top / scale, bar.bottom / scale
        up = [w for w in out if not w.rotated]
        left = [w for w in up if -0.3 * w.height <= x0 - w.x1 <= 0.35 * w.height]
        right = [w for w in up if -0.3 * w.height <= w.x0 - x1 <= 0.35 * w.height]
        pair = next(((a, b) for a in left for b in right if a is not b and b.x0 > a.x1
                     and _underscore_between(a, b, x0, x1, top, bot)), None)
        if pair is not None:
            a, b = pair
            joined = Word(a.text + "_" + b.text, a.x0, b.x1, min(a.top, b.top),
                          max(a.bottom, b.bottom), a.colour, False)
            out = [w for w in out if w is not a and w is not b] + [joined]
    return out



def _underscore_between(a: Word, b: Word, x0: float, x1: float, top: float, bot: float
                        ) -> bool:
    """Whether a flat box (``x0``..``x1``, ``top``..``bot``) is an underscore joining
    words ``a`` and ``b`` (see :func:`_underscored`)."""
    h = max(a.height, b.height)
    low = min(a.bottom, b.bottom)
    return abs(a.bottom - b.bottom) <= 0.35 * h and bot - top <= 0.2 * h and \
        0.3 * h <= x1 - x0 <= 1.5 * h and low - 0.1 * h <= top <= low + 0.4 * h and \
        -0.3 * h <= x0 - a.x1 <= 0.35 * h and -0.3 * h <= b.x0 - x1 <= 0.35 * h

#: a crop whose darkest pixel is paler than this (pale coloured text: a sky-blue or yellow
#: row label, grey 0.65 or more) has its ink darkened before it is read
_PALE = 96


#: largest share of two clusters' ink pixels that may differ for them to be one text (one
#: label drawn twice differs at its anti-aliased edges only; one glyph of three changed
#: differs by a third of the ink or more)
_SAME_INK_SHARE = 0.12


def _same_ink_same_text(per_slot: dict[int, list[tuple[float, float, str]]],
                        crops: list[NDArray[np.uint8]], sizes: list[int]) -> None:
    """Clusters of as many glyphs whose ink is the same (the same size to a pixel, under
    :data:`_SAME_INK_SHARE` of their ink pixels differing: one label drawn twice, "fmol/l"
    in two legend entries) are one text: where one reading has a character for each glyph
    and another has not ("fmol/", its last "l" left out), the other takes it
    (``per_slot`` changed in place)."""
    groups: dict[int, list[int]] = {}
    for k in per_slot:
        if sizes[k] >= 2:
            groups.setdefault(sizes[k], []).append(k)
    inks: dict[int, NDArray[np.bool_]] = {}
    for ks in groups.values():
        if len(ks) < 2:
            continue
        texts = {k: "".join(t for _, _, t in sorted(per_slot[k])) for k in ks}
        full = {k for k in ks if len(texts[k].replace(" ", "")) == sizes[k]}
        if not full or len(full) == len(ks):
            continue
        for k in ks:
            inks.setdefault(k, _ink_box(crops[k]))
        for k in ks:
            if k in full:
                continue
            same = [j for j in full if _ink_differs(inks[k], inks[j]) <= _SAME_INK_SHARE]
            if len({texts[j] for j in same}) == 1:
                j = same[0]
                per_slot[k] = [(min(x[0] for x in per_slot[k]), max(x[1] for x in per_slot[k]),
                                texts[j])] if " " not in texts[j] else list(per_slot[j])


def _ink_box(crop: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """The ink (darker than 128) of ``crop``, cut to the rows and columns that hold some."""
    ink = crop < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return ink[:0, :0]
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _ink_differs(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> float:
    """Share of the ink pixels of two masks (laid top left on top left, at most one pixel
    apart in size: one text drawn at two sub-pixel offsets) that only one of them has; 1
    for masks of other sizes."""
    if abs(a.shape[0] - b.shape[0]) > 1 or abs(a.shape[1] - b.shape[1]) > 1:
        return 1.0
    h, w = max(a.shape[0], b.shape[0]), max(a.shape[1], b.shape[1])
    pa = np.zeros((h, w), dtype=bool)
    pb = np.zeros((h, w), dtype=bool)
    pa[:a.shape[0], :a.shape[1]] = a
    pb[:b.shape[0], :b.shape[1]] = b
    both = int(np.count_nonzero(pa | pb))
    return 1.0 if both == 0 else int(np.count_nonzero(pa ^ pb)) / both


def _hole_digit(ink: NDArray[np.bool_]) -> str | None:
    """``"0"``, ``"6"`` or ``"9"`` told by the one hole of a glyph's ink, else None.

    A ``0``'s counter spans most of the glyph's height around its middle, a ``6``'s lies in
    its lower part and a ``9``'s in its upper part: the hole's rows against the glyph's
    (counter at least 0.65 of the height with its middle within 0.08 of the glyph's: ``0``;
    under 0.65 with its middle below 0.6 of the height from the top: ``6``; above 0.37:
    ``9``). Two holes or none, or a counter between (a ``4``'s, its middle at 0.40–0.45):
    None. Measured on DejaVu Sans and Serif, STIX and Computer Modern drawn 14 to 40 pixels
    tall: ``0`` spans 0.71–0.95 around 0.50, ``6`` 0.36–0.58 at 0.66–0.71, ``9`` 0.36–0.61 at
    0.30–0.34.
    """
    from scipy import ndimage

    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 8:
        return None
    holes, n = ndimage.label(ndimage.binary_fill_holes(ink) & ~ink)
    if n != 1:
        return None
    hr = np.flatnonzero((holes == 1).any(axis=1))
    top, height = float(rows[0]), float(rows[-1] - rows[0] + 1)
    span = (hr[-1] - hr[0] + 1) / height
    mid = (0.5 * (hr[0] + hr[-1]) - top + 0.5) / height
    if span >= 0.65 and abs(mid - 0.5) <= 0.08:
        return "0"
    if span < 0.65 and mid > 0.6:
        return "6"
    if span < 0.65 and mid < 0.37:
        return "9"
    return None


def _by_holes(per_slot: dict[int, list[tuple[float, float, str]]],
              crops: list[NDArray[np.uint8]], glyphs: Sequence[Sequence[Box]]) -> None:
    """A ``0``, ``6`` or ``9`` read for a glyph whose one hole says another of the three
    (:func:`_hole_digit`: Tesseract reads DejaVu Sans's lone ``0`` as ``6``) is that one;
    only in numbers read one character per glyph (``per_slot`` changed in place)."""
    for k, slot in list(per_slot.items()):
        items = sorted(slot)  # left to right, as the glyphs
        text = "".join(t for _, _, t in items)
        boxes = glyphs[k] if k < len(glyphs) else []
        if not boxes or len(text) != len(boxes) or not _plain(text) or \
                not any(ch in "069" for ch in text):
            continue
        crop = crops[k]
        cx0, cy0 = _crop_origin(boxes)
        out = list(text)
        for pos, (ch, b) in enumerate(zip(text, boxes, strict=True)):
            if ch not in "069":
                continue
            sub = crop[max(int(np.floor(b.top)) - cy0, 0):int(np.ceil(b.bottom)) - cy0,
                       max(int(np.floor(b.x0)) - cx0, 0):int(np.ceil(b.x1)) - cx0]
            said = _hole_digit(sub < 128) if sub.size else None
            if said is not None:
                out[pos] = said
        if out != list(text):  # the same items, their characters mended in place
            at = accumulate([0] + [len(t) for _, _, t in items])
            per_slot[k] = [(a, b, "".join(out[p:p + len(t)]))
                           for (a, b, t), p in zip(items, at, strict=False)]


def _darkened(crop: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``crop`` with its grey levels stretched so that its darkest pixel is black, when that
    pixel is paler than ``_PALE``; otherwise ``crop`` itself.

    Text is read from the figure's grey levels (its ink at its grey level on white), and
    pale coloured text (a row label in ``#56B4E9``, grey 0.65) is then faint grey that
    Tesseract's binarisation of a sheet of mostly dark text can lose entirely. Stretched as
    ``255 − (255 − v) · 255 / (255 − min)``, paper stays white and the glyph's shape (its
    anti-aliased edges included) is the same, only darker.
    """
    lo = int(crop.min()) if crop.size else 0
    if lo <= _PALE:
        return crop
    ink = 255.0 - crop.astype(np.float64)
    return np.asarray(255.0 - np.clip(ink * (255.0 / (255.0 - lo)), 0, 255), dtype=np.uint8)


#: a word of three glyphs or more read less confidently than this in the sheet is read
#: again on its own (a pale yellow "Male" of a JPEG table came out "(ale" at 44)
_UNSURE_WORD = 60.0


def _words_alone(per_slot: dict[int, list[tuple[float, float, str]]], conf: dict[int, float],
                 crops: list[NDArray[np.uint8]], sizes: list[int]) -> None:
    """Words (readings with a letter, three glyphs or more) the sheet read with confidence
    under :data:`_UNSURE_WORD` are read again alone; the reading alone replaces the first
    when it is more confident and has as many characters as the cluster has glyphs or as
    the first reading had. Tesseract binarises a sheet as a whole, and pale or blurred
    text among dark text reads worse there than on its own; such words are few (one or
    two a figure), so the extra calls are cheap (``per_slot``, ``conf`` changed in place).
    """
    for k in list(per_slot):
        text = "".join(t for _, _, t in per_slot[k])
        if sizes[k] < 3 or conf.get(k, 100.0) >= _UNSURE_WORD or \
                not any(ch.isalpha() for ch in text):
            continue
        alone, alone_conf = _read_sheet([crops[k]], _WHITELIST, _TEXT_H)
        got = alone.get(0, [])
        again = "".join(t for _, _, t in got).replace(" ", "")
        if got and alone_conf.get(0, 0.0) > conf.get(k, 0.0) and \
                len(again) in (sizes[k], len(text.replace(" ", ""))):
            per_slot[k] = got
            conf[k] = alone_conf[0]


def _spaces_by_parts(per_slot: dict[int, list[tuple[float, float, str]]],
                     crops: list[NDArray[np.uint8]], clusters: list[tuple[list[int], bool]],
                     boxes: Sequence[Box]) -> None:
    """Spaces OCR left out of a word, put back where the word's parts read alone give
    its letters (``per_slot`` changed in place).

    A serif font at 150 dpi has glyphs touching ("tr"), so the letters read do not match
    the glyphs one to one and the gaps cannot place a space (:func:`_cluster_words`);
    Tesseract then reads "Untreated eye" as "Untreatedeye". In an upright cluster of four
    glyphs or more read as one word with letters, a gap wider than a quarter of the
    tallest glyph and 2.2 times the median gap is a candidate space: the parts between
    such gaps are read alone (one sheet for the figure), and the word becomes those
    parts when, put together, they are exactly the letters first read and no space
    falls between two digits. Otherwise the reading stays as it was.
    """
    jobs: list[tuple[int, list[NDArray[np.uint8]]]] = []
    for k, (idx, rotated) in enumerate(clusters):
        items = per_slot.get(k, [])
        if rotated or len(items) != 1 or len(idx) < 4:
            continue
        text = items[0][2]
        if not any(ch.isalpha() for ch in text) or len(text) == len(idx):
            continue
        gl = sorted((boxes[i] for i in idx), key=lambda b: b.x0)
        gl = _stacked(gl)
        if len(gl) < 4:
            continue
        gaps = [b.x0 - a.x1 for a, b in pairwise(gl)]
        usual = float(np.median(gaps))
        tall = max(b.bottom - b.top for b in gl)
        cuts = [0.5 * (a.x1 + b.x0) for (a, b), g in zip(pairwise(gl), gaps, strict=True)
                if g > 0.25 * tall and g > 2.2 * usual]
        if not cuts:
            continue
        x0, _ = _crop_origin(boxes[i] for i in idx)
        crop = crops[k]
        edges = [0, *(round(c - x0) for c in cuts), crop.shape[1]]
        parts = [crop[:, a:b] for a, b in pairwise(edges) if b - a >= 2]
        if len(parts) == len(edges) - 1:
            jobs.append((k, parts))
    if not jobs:
        return
    read, _ = _read_sheet([p for _, parts in jobs for p in parts], _WHITELIST, _TEXT_H)
    pos = 0
    for k, parts in jobs:
        got = ["".join(t for _, _, t in read.get(pos + j, [])) for j in range(len(parts))]
        pos += len(parts)
        whole = per_slot[k][0][2]
        if not all(got) or "".join(got) != whole:
            continue
        if any(a[-1].isdigit() and b[0].isdigit() for a, b in pairwise(got)):
            continue
        per_slot[k] = [(float(j), float(j) + 0.5, t) for j, t in enumerate(got)]


def _is_bar(gray: NDArray[np.uint8], b: Box) -> bool:
    """Whether glyph ``b`` is an upright bar (``I``, ``l``, ``|``; a ``1`` has a flag and a
    foot): at least 8 pixels tall, at most 0.45 of its height wide, its core (grey < 160)
    in a band of columns each dark in half its rows or more, at most 0.3 of its height
    wide, dark in 75 % of its pixels, with at most a tenth of the darkest ink (< 100)
    outside it (a JPEG's ringing leaves a pale column, 150–165, beside the bar)."""
    h, w = b.bottom - b.top, b.x1 - b.x0
    if h < 8 or w > 0.45 * h:
        return False
    core = gray[int(b.top):int(np.ceil(b.bottom)), int(b.x0):int(np.ceil(b.x1))] < 160
    if not core.any():
        return False
    band = np.flatnonzero(core.mean(axis=0) >= 0.5)
    if len(band) == 0 or band[-1] - band[0] + 1 > max(0.3 * h, 1.0):
        return False
    inside = core[:, band[0]:band[-1] + 1]
    dark = gray[int(b.top):int(np.ceil(b.bottom)), int(b.x0):int(np.ceil(b.x1))] < 100
    outside = int(dark.sum() - dark[:, band[0]:band[-1] + 1].sum())
    return float(inside.mean()) >= 0.75 and outside <= 0.1 * max(int(dark.sum()), 1)


_ROMAN = re.compile(r"^[IVX]+([-\u2013][IVX]+)?$")


def _is_stem(gray: NDArray[np.uint8], b: Box) -> bool:
    """Whether glyph ``b`` is an upright bar, with or without serifs: a bar
    (:func:`_is_bar`), or at most 0.55 of its height wide with the ink of its middle third
    of rows in a band at most 0.3 of its height wide (a serif ``I``; a ``T``'s bar is
    wider than that)."""
    if _is_bar(gray, b):
        return True
    h, w = b.bottom - b.top, b.x1 - b.x0
    if h < 8 or w > 0.55 * h:
        return False
    crop = gray[int(b.top):int(np.ceil(b.bottom)), int(b.x0):int(np.ceil(b.x1))] < 160
    mid = crop[crop.shape[0] // 3: 2 * crop.shape[0] // 3]
    cols = np.flatnonzero(mid.any(axis=0))
    return len(cols) > 0 and cols[-1] - cols[0] + 1 <= 0.3 * h and bool(mid.any(axis=1).all())


def _roman_bars(per_slot: dict[int, list[tuple[float, float, str]]], kept: list[int],
                clusters: list[tuple[list[int], bool]], boxes: Sequence[Box],
                gray: NDArray[np.uint8]) -> None:
    """Clusters of one to three upright bars after a word on their line are the Roman
    numeral of as many ``I`` (``per_slot`` changed in place).

    OCR reads such bars in every way but that: ``"II"`` as ``"H"``, ``"III"`` as ``"HI"``
    or ``"Il"``, a lone ``"I"`` as ``"l"``, ``"|"`` or nothing ("Stage I", "Grade II",
    "Phase III" in legends and row labels). A bar cluster is its numeral when a word read
    with letters ends at most one text height to its left on the same line, the bars are
    as tall as that word's capitals (0.8 to 1.25 of its height without a descender: its
    tallest glyph) and the reading is no number (a table's ``"1"`` or ``"11"`` stays).
    """
    slot_of = {ci: k for k, ci in enumerate(kept)}
    cluster_of = {i: ci for ci, (idx, _) in enumerate(clusters) for i in idx}

    def text_of(ci: int) -> str:
        k = slot_of.get(ci)
        return "" if k is None else "".join(t for _, _, t in per_slot.get(k, []))

    for ci, (idx, rotated) in enumerate(clusters):
        if rotated or not 1 <= len(idx) <= 3 or ci not in slot_of:
            continue
        bars = [boxes[i] for i in idx]
        read = text_of(ci)
        if read == "I" * len(idx) or (read and all(ch in _NUMERIC for ch in read)):
            continue
        if not all(_is_bar(gray, b) for b in bars):
            continue
        first = min(bars, key=lambda b: b.x0)
        h = max(b.bottom - b.top for b in bars)
        left = [j for j, b in enumerate(boxes) if j not in idx
                and 0 <= first.x0 - b.x1 <= h
                and min(b.bottom, first.bottom) - max(b.top, first.top) >= 0.5 * h]
        if not left:
            continue
        ci_left = cluster_of.get(max(left, key=lambda j: boxes[j].x1))
        if ci_left is None or not any(ch.isalpha() for ch in text_of(ci_left)):
            continue
        word_h = [boxes[j].bottom - boxes[j].top for j in clusters[ci_left][0]]
        if not 0.8 * max(word_h) <= h <= 1.25 * max(word_h):
            continue
        k = slot_of[ci]
        per_slot[k] = [(0.0, float(first.x1 - first.x0), "I" * len(idx))]
    for ci, (idx, rotated) in enumerate(clusters):
        # a numeral range ("III-IV") with a serif I read as "T" or "l" ("ITI-IV"): the
        # pieces between dashes matched to the glyphs between flat ones, where their
        # numbers agree (touching glyphs, "IV" as one, leave a piece as read)
        read = text_of(ci).replace(" ", "")
        if rotated or ci not in slot_of or not set(read) <= set("IVXTlH|1!i-\u2013") \
                or _ROMAN.match(read) or not any(ch in "VX" for ch in read):
            continue
        glyphs = sorted(idx, key=lambda i: boxes[i].x0)
        tall = max(boxes[i].bottom - boxes[i].top for i in glyphs)
        pieces: list[list[int]] = [[]]
        for i in glyphs:
            if boxes[i].bottom - boxes[i].top <= 0.3 * tall:
                pieces.append([])
            else:
                pieces[-1].append(i)
        parts = re.split("([-\u2013])", read)
        if len(parts[::2]) != len(pieces):
            continue
        fixed = ""
        for k, part in enumerate(parts):
            piece = pieces[k // 2] if k % 2 == 0 else []
            if k % 2 == 0 and len(part) == len(piece):
                part = "".join("I" if ch in "TlH|1!i" and _is_stem(gray, boxes[i]) else ch
                               for ch, i in zip(part, piece, strict=True))
            fixed += part
        if _ROMAN.match(fixed):
            first = boxes[glyphs[0]]
            per_slot[slot_of[ci]] = [(0.0, float(boxes[glyphs[-1]].x1 - first.x0), fixed)]


def _read_again(per_slot: dict[int, list[tuple[float, float, str]]], conf: dict[int, float],
                crops: list[NDArray[np.uint8]], sizes: list[int], text_sized: bool,
                glyphs: Sequence[Sequence[Box]] = ()) -> None:
    """Second readings of the slots of the first sheet (``per_slot``, changed in place):
    number-like ones read again digits-only, in a second sheet, and those still without a
    number (or without any text) on their own (see the module docstring). ``glyphs``, the
    boxes of each slot's glyphs left to right (none for rotated text), settle two
    readings that differ only in ``1`` against another digit (:func:`_ones_by_width`)."""
    digits = "".join(sorted(_NUMERIC))

    def text_of(k: int) -> str:
        return "".join(t for _, _, t in per_slot.get(k, []))

    # numbers again, stacked alone and digits only: a lone "0" or "7" among words is
    # misread ("6)", "j") more often than in a sheet of numbers; so is one glyph read as
    # several characters with a digit or a bracket among them (a bold "0" as "it)").
    # A number of several glyphs read with confidence is not read again (over the
    # benchmark's 1617 number-like clusters no such reading was ever contradicted), unless
    # it has fewer characters than glyphs: a digit left out ("22" for the three glyphs of
    # a "232", at 99 % confidence).
    numeric = [k for k in per_slot
               if (_numeric_like(text_of(k)) or _one_glyph_misread(text_of(k), sizes[k]))
               and not (conf[k] >= _SURE and sizes[k] >= 2
                        and all(ch in _NUMERIC for ch in text_of(k))
                        and len(text_of(k)) >= sizes[k])]
    if numeric:
        again, again_conf = _read_sheet([crops[k] for k in numeric], digits, _DIGIT_H)
        for pos, k in enumerate(numeric):
            first = text_of(k)
            first_slot = per_slot[k]
            second = again.get(pos, [])
            if _numeric_like(first) and _letter_kept(first, conf[k], _joined(second),
                                                     again_conf.get(pos, 0.0)):
                pass  # a letter read with confidence, the digits reading unsure and unlike it
            elif _numeric_like(first):
                per_slot[k] = _settle(per_slot[k], second)
                if k < len(glyphs) and len(first) == len(glyphs[k]) and not _plain(first) \
                        and len(text_of(k)) < len(glyphs[k]):
                    # one character per glyph, some not digits ("22/" for "227"), where the
                    # digits-only reading left a glyph out ("22"): those glyphs read alone
                    mended = _glyphs_alone(first, glyphs[k], crops[k], digits)
                    if mended is not None:
                        per_slot[k] = [(min(x[0] for x in first_slot),
                                        max(x[1] for x in first_slot), mended)]
                if text_of(k) == "?" and len(first) < sizes[k] == len(_joined(second)) and \
                        _plain(_joined(second)) and again_conf.get(pos, 0.0) >= _SURE_ALONE:
                    # the general reading left a glyph out, the digits-only one has a
                    # character for each: that one
                    per_slot[k] = second
                if text_of(k) == "?" and min(conf[k], again_conf.get(pos, 0.0)) < _SURE_ALONE:
                    # two different numbers, one of them (at least) unsure: the cluster is
                    # read alone, digits only; a confident reading that has the digits of
                    # one of the two decides, unless the other was confident too (then the
                    # label stays unread)
                    alone, alone_conf = _read_sheet([crops[k]], digits, _DIGIT_H)
                    said = _digits_of(alone.get(0, []))
                    if said and alone_conf.get(0, 0.0) >= _SURE_ALONE:
                        if said == _digits_of(second) and conf[k] < _SURE_ALONE:
                            per_slot[k] = second
                        elif said == _digits_of(first_slot) and \
                                again_conf.get(pos, 0.0) < _SURE_ALONE:
                            per_slot[k] = first_slot
                    if text_of(k) == "?" and k < len(glyphs):
                        # still two numbers: the glyphs' widths may tell a "1" apart
                        settled = _ones_by_width(first_slot, second, glyphs[k])
                        if settled is not None:
                            per_slot[k] = settled
            elif _a_number(second) and again_conf.get(pos, 0.0) >= _SURE_ALONE:
                per_slot[k] = second  # one glyph misread: its confident digits reading
            if not _plain(first) and not _plain(text_of(k)):
                # still no number (a lone glyph in a sheet can come out as nothing):
                # read once more, on its own, digits only; kept only when it is a number
                # read with confidence, or fairly confidently twice the same (pieces of
                # curves come out at confidence 0)
                alone, alone_conf = _read_sheet([crops[k]], digits, _DIGIT_H)
                got, c = alone.get(0, []), alone_conf.get(0, 0.0)
                twice = _a_number(second) and _joined(second) == _joined(got) and \
                    min(c, again_conf.get(pos, 0.0)) >= _FAIR
                if _a_number(got) and (c >= _SURE_ALONE or twice):
                    per_slot[k] = got
    # a cluster the sheet gave no text at all (a lone coloured "7" can vanish among
    # others): read alone, digits only; kept only as a confident number
    for k in range(len(crops)):
        if k not in per_slot:
            alone, alone_conf = _read_sheet([crops[k]], digits, _DIGIT_H)
            if _a_number(alone.get(0, [])) and alone_conf.get(0, 0.0) >= _SURE_ALONE:
                per_slot[k] = alone[0]
            elif text_sized and sizes[k] == 1 and _bar_like(crops[k]):
                # a lone upright bar in a raster figure, which Tesseract often leaves
                # out (a "1" of a 150 dpi table, two pixels wide): given as "|", the shape
                # it is, which a row of counts reads as 1 and nothing else as a number
                # -- unless the bar has a "1"'s flag
                one = "1" if _flagged_one(crops[k]) else "|"
                per_slot[k] = [(0.0, float(crops[k].shape[1]), one)]


def _glyphs_alone(text: str, glyphs: Sequence[Box], crop: NDArray[np.uint8], digits: str
                  ) -> str | None:
    """``text`` (one character per glyph of ``crop``) with each character that is no number
    character replaced by its glyph read alone, digits only: None unless every such glyph
    reads as one digit with confidence."""
    cx0, _ = _crop_origin(glyphs)
    out = list(text)
    for pos, (ch, b) in enumerate(zip(text, glyphs, strict=True)):
        if ch in _NUMERIC:
            continue
        a = max(int(np.floor(b.x0)) - cx0 - 2, 0)
        z = min(int(np.ceil(b.x1)) - cx0 + 2, crop.shape[1])
        read, conf = _read_sheet([crop[:, a:z]], digits, _DIGIT_H)
        got = _joined(read.get(0, []))
        if len(got) != 1 or not got.isdigit() or conf.get(0, 0.0) < _SURE_ALONE:
            return None
        out[pos] = got
    return "".join(out)


def _cluster_words(items: list[tuple[float, float, str]], idx: list[int], rotated: bool,
                   boxes: Sequence[Box], scale: float) -> list[Word]:
    """Words of one cluster from the text read in its slot.

    When the letters read match the glyphs one to one, each word gets the exact boxes of
    its glyphs and words are split where the gap between glyphs exceeds a quarter of their
    height and 2.2 times their median gap (a space; never inside a number; in a cluster of
    fewer than four glyphs only where OCR read a space too, or, of three glyphs, at a gap
    over :data:`_WIDE_GAP` of their height and 2.5 times the other); otherwise the cluster
    is one word.
    """
    items = sorted(items)
    letters = "".join(t for _, _, t in items)
    gl = [boxes[i] for i in idx]
    cols = [b.colour for b in gl]
    colour = max(set(cols), key=cols.count) if cols else None

    def word(text: str, part: list[Box]) -> Word:
        return Word(_per_litre(_capital_i(text)), min(b.x0 for b in part) / scale,
                    max(b.x1 for b in part) / scale, min(b.top for b in part) / scale,
                    max(b.bottom for b in part) / scale, colour, rotated)

    if len(letters) != len(gl) and not rotated:
        stacked = _stacked(gl)  # the dot of an "i" over its stem is one glyph with it
        if len(stacked) == len(letters):
            gl = stacked
    if len(letters) != len(gl):
        text = " ".join(t for _, _, t in items)
        if not rotated:  # a hyphen or en dash among glyphs OCR read in other numbers
            tall = max(b.bottom - b.top for b in gl)
            flat = [b for b in sorted(gl, key=lambda b: b.x0)
                    if b.bottom - b.top <= 0.3 * tall and b.x1 - b.x0 >= 2 * (b.bottom - b.top)]
            if flat and text.count("-") == len(flat):
                dashes = iter(_dash("-", b, tall) for b in flat)
                text = "".join(next(dashes) if ch == "-" else ch for ch in text)
        return [word(text, gl)]
    out: list[Word] = []
    height = max(b.x1 - b.x0 if rotated else b.bottom - b.top for b in gl)
    if not rotated:
        letters = "".join(_dash(ch, b, height) for ch, b in zip(letters, gl, strict=True))
    gaps = [(p.top - b.bottom) if rotated else (b.x0 - p.x1) for p, b in pairwise(gl)]
    # a space is wider than the usual gap between letters, too ("Regimes" at 150 dpi has
    # a gap of a quarter of its height beside the "i", twice its median gap)
    usual = float(np.median(gaps)) if len(gaps) >= 3 else -np.inf
    # too few gaps to know the usual one: a gap is a space only where OCR read one too
    # (the gap beside a straight "N" in "No" is a quarter of its height) -- or, of two
    # gaps, one over a third of the height and 2.5 times the other ("5 or" read "5or" at
    # 300 dpi: gaps of 0.45 and 0.14 of its height)
    one_word = len(gaps) < 3 and len(items) == 1
    if len(gaps) == 2 and one_word:
        wide, narrow = max(gaps), max(min(gaps), 0.0)
        if wide > _WIDE_GAP * height and wide > 2.5 * narrow:
            one_word, usual = False, narrow
    cur_t, cur_b = [letters[0]], [gl[0]]
    for ch, b, gap in zip(letters[1:], gl[1:], gaps, strict=True):
        # digits: fixed advance, never split -- unless their left edges are farther apart
        # than any two digits' of a number ("T5 1.0-3.1": 1.22 of the height from "5" to
        # "1", a gap of 0.57; in "11" 0.78 and 0.42, at most about 1.0 in DejaVu Sans)
        numeric = cur_t[-1] in _NUMERIC and ch in _NUMERIC and not (
            b.x0 - cur_b[-1].x0 > _DIGIT_SPACE * height and gap > 0.5 * height)
        joined = cur_t[-1] in _JOINERS or ch in _JOINERS  # "Lev+5FU", "D-pen": one word
        numeral = cur_t[-1] == "I" and ch == "I"  # "III": thin bars leave wide gaps
        if gap > 0.25 * height and gap > 2.2 * usual and not numeric and not joined \
                and not numeral and not one_word:
            out.append(word("".join(cur_t), cur_b))
            cur_t, cur_b = [], []
        cur_t.append(ch)
        cur_b.append(b)
    out.append(word("".join(cur_t), cur_b))
    return out


def _stacked(glyphs: list[Box]) -> list[Box]:
    """Glyph boxes in reading order with boxes sharing at least half the columns of the
    narrower one made one (the dot and stem of an "i", the bars of "=", the pieces of "%")."""
    out: list[Box] = []
    for b in sorted(glyphs, key=lambda b: b.x0):
        if out:
            a = out[-1]
            ov = min(a.x1, b.x1) - max(a.x0, b.x0)
            if ov >= 0.5 * min(a.x1 - a.x0, b.x1 - b.x0):
                big = a if (a.x1 - a.x0) * (a.bottom - a.top) >= \
                    (b.x1 - b.x0) * (b.bottom - b.top) else b
                out[-1] = Box(min(a.x0, b.x0), max(a.x1, b.x1), min(a.top, b.top),
                              max(a.bottom, b.bottom), big.colour)
                continue
        out.append(b)
    return out


def _per_litre(text: str) -> str:
    """A capital ``I`` read at the end of a unit after a slash and a small letter is the
    ``l`` of "per litre" (``"fmol/I"``, ``"g/I"``: in sans-serif fonts the two glyphs are
    one bar); any other ``I`` is left as read."""
    if len(text) >= 3 and text.endswith("/I") and text[-3].isalpha() and text[-3].islower():
        return text[:-1] + "l"
    return text


def _capital_i(text: str) -> str:
    """A lower-case ``l`` read among capitals is the capital ``I`` it looks like: an ``l``
    before two capitals (``"rlFN-g"``: an acronym) or between two capitals (``"ClL"``);
    in words ``l`` comes after letters of its own case, never before a run of capitals."""
    if "l" not in text:
        return text
    out = list(text)
    for i, ch in enumerate(text):
        if ch != "l":
            continue
        after = text[i + 1:i + 3]
        before = text[i - 1] if i > 0 else ""
        if (len(after) == 2 and after.isalpha() and after.isupper()) or \
                (before.isalpha() and before.isupper() and after[:1].isalpha()
                 and after[:1].isupper()):
            out[i] = "I"
    return "".join(out)


def _dash(ch: str, glyph: Box, height: float) -> str:
    """``"-"`` read for a glyph as wide as an en dash is ``"–"`` (the whitelist has no en
    dash: "Stage I–II", "35–49"): its ink at least 0.45 of the tallest glyph of its text
    (a capital's or a digit's height: a hyphen's ink is about 0.35 of it in DejaVu Sans
    and Serif and in Helvetica, an en dash's 0.55 in DejaVu, 0.75 in Helvetica), in a
    cluster with glyphs twice as tall as the dash; any other character is itself."""
    if ch != "-" or height < 2.0 * (glyph.bottom - glyph.top):
        return ch
    return "\u2013" if glyph.x1 - glyph.x0 >= 0.45 * height else ch


def _text_sized(clusters: list[tuple[list[int], bool]], boxes: Sequence[Box]
                ) -> list[tuple[list[int], bool]]:
    """The clusters with at least one glyph of text height: between half and twice the
    median glyph height of the clusters of several glyphs (words and numbers). Flat
    pieces (dashes of a dashed curve, legend key lines) and tall ones (curve drops,
    frame pieces) left alone are no text; bottom-to-top clusters are kept."""
    multi = [boxes[i].bottom - boxes[i].top for idx, rot in clusters if len(idx) > 1 and not rot
             for i in idx]
    if len(multi) < 3:
        return clusters
    h = float(np.median(multi))
    return [(idx, rot) for idx, rot in clusters
            if rot or any(0.5 * h <= boxes[i].bottom - boxes[i].top <= 2.0 * h for i in idx)]


def _read_sheet(crops: list[NDArray[np.uint8]], whitelist: str, text_h: int
                ) -> tuple[dict[int, list[tuple[float, float, str]]], dict[int, float]]:
    """Stack ``crops`` (enlarged to ``text_h`` pixels) one per line and read them in one
    Tesseract call (``--psm 6``); the words read in each slot, ``(left, right, text)``,
    and the lowest of their confidences (0–100)."""
    resize = require("skimage.transform", "reading text by OCR").resize
    slot = text_h + _GAP
    rows = []
    for c in crops:
        f = text_h / max(c.shape[0], 1)
        new = (max(round(c.shape[0] * f), 1), max(round(c.shape[1] * f), 1))
        r = resize(c.astype(np.float64) / 255.0, new, order=1, anti_aliasing=f < 1)
        rows.append((np.clip(r, 0, 1) * 255).astype(np.uint8))
    width = max(r.shape[1] for r in rows) + 40
    sheet = np.full((slot * len(rows) + 20, width), 255, dtype=np.uint8)
    for k, r in enumerate(rows):
        top = 10 + k * slot + (slot - r.shape[0]) // 2
        sheet[top:top + r.shape[0], 20:20 + r.shape[1]] = r
    data = image_to_data(sheet, psm=6, whitelist=whitelist)
    per_slot: dict[int, list[tuple[float, float, str]]] = {}
    conf_of: dict[int, float] = {}
    for text, conf, left, top, wd, ht in zip(data["text"], data["conf"], data["left"],
                                             data["top"], data["width"], data["height"],
                                             strict=True):
        text = str(text).strip()
        if not text or float(conf) < 0:
            continue
        k = int((top + ht / 2 - 10) // slot)
        if 0 <= k < len(rows):
            per_slot.setdefault(k, []).append((float(left - 20), float(left - 20 + wd), text))
            conf_of[k] = min(conf_of.get(k, 100.0), float(conf))
    return per_slot, conf_of


def _numeric_like(text: str) -> bool:
    """Whether ``text`` may be a number misread: digits with at most lookalike letters."""
    t = text.replace(" ", "")
    if len(t) == 1 and t in _DIGIT_LOOKALIKES:
        return t not in _BARS  # one glyph read as a letter shaped like a digit
    return 0 < len(t) <= 6 and any(ch.isdigit() or ch in "OoDQ" for ch in t) and \
        all(ch in _NUMERIC or ch in _DIGIT_LOOKALIKES for ch in t)


#: the digit each letter of :data:`_DIGIT_LOOKALIKES` is mistaken for (a "B" for an "8")
_LOOKS_LIKE = {"A": "4", "O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1",
               "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9",
               "q": "9", "b": "6", "G": "6", "T": "7", "j": "7", "J": "7", "/": "1",
               ",": "1"}


def _letter_kept(first: str, first_conf: float, digits: str, digits_conf: float) -> bool:
    """Whether a lone glyph read as a letter shaped like a digit stays that letter, its
    digits-only reading notwithstanding: the letter read with confidence (90 or more),
    the digits-only reading unsure (under 50) and not the digit the letter looks like
    (the "B" of a legend's "Arm B" read "B" at 93, then "3" at 0 digits only: a lone
    glyph forced into a digit comes out as any digit). A "B" read "8" again, or read
    unsure first, is still settled as a number. A reading of several glyphs with letters
    and digits stays as read when it is at least :data:`_MIXED_SURE` confident, the digits
    reading unsure and not its letters turned into the digits they look like."""
    t = first.replace(" ", "")
    if len(t) >= 2 and any(ch.isalpha() for ch in t) and any(ch.isdigit() for ch in t):
        # letters and digits read fairly confidently ("T5" of a legend, read at 74-84 in
        # R's Helvetica and matplotlib's DejaVu Sans; digits only "15" at 0): kept unless
        # the digits reading is sure or is the number the letters look like ("T5" of a
        # "75" read "75" again)
        as_digits = "".join(_LOOKS_LIKE.get(ch, ch) for ch in t)
        return first_conf >= _MIXED_SURE and digits_conf < _FAIR and \
            digits.replace(" ", "") != as_digits
    return (len(t) == 1 and t.isalpha() and first_conf >= _SURE_ALONE
            and digits_conf < _FAIR and digits != _LOOKS_LIKE.get(t))


def _plain(text: str) -> bool:
    """Whether ``text`` is made of number characters only (digits, ``.``, ``,``, ``%``)."""
    return bool(text) and all(ch in _NUMERIC for ch in text)


def _bar_like(crop: NDArray[np.uint8]) -> bool:
    """Whether the ink of ``crop`` (dark on white) is an upright bar: a band of columns at
    most a quarter of the ink's height wide has ink in 90 % of its rows, and the whole ink
    is at most half as wide as it is tall (a "1" with its flag, a "|", an "l")."""
    ink = crop < 128
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if len(rows) < 6:
        return False
    height = rows[-1] - rows[0] + 1
    if cols[-1] - cols[0] + 1 > 0.5 * height:
        return False
    full = np.flatnonzero(ink[rows[0]:rows[-1] + 1].mean(axis=0) >= 0.9)
    return len(full) > 0 and full[-1] - full[0] + 1 <= max(0.25 * height, 1.0)


def _flagged_one(crop: NDArray[np.uint8]) -> bool:
    """Whether the upright bar in ``crop`` (:func:`_bar_like`) is a ``1``: ink left of its
    stem (the columns with ink in 90 % of the rows, one column of anti-aliasing aside) in
    the top 45 % of its rows -- the flag, at least a fifth of the height in pixels,
    slanting down to the left (its left edge at least a tenth of the height further left
    at its foot than at its top) -- and none elsewhere beside the stem but in the bottom
    15 % (a foot). ``I``, ``l`` and ``|`` have no flag (a serif ``l``'s top serif is
    flat); a ``J``'s hook is at the bottom, a ``t``'s bar on both sides."""
    ink = crop < 128
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 6:
        return False
    r0, r1 = int(rows[0]), int(rows[-1]) + 1
    body = ink[r0:r1]
    height = r1 - r0
    full = np.flatnonzero(body.mean(axis=0) >= 0.9)
    if len(full) == 0:
        return False
    a, b = int(full[0]) - 1, int(full[-1]) + 2  # the stem and a column of its edge
    left, right = body[:, :max(a, 0)], body[:, b:]
    top, foot = int(np.ceil(0.45 * height)), int(np.floor(0.85 * height))
    flag = int(left[:top].sum())
    stray = int(left[top:foot].sum()) + int(right[:foot].sum())
    if flag < max(2, 0.2 * height) or stray:
        return False
    # a flag slants down to the left (its left edge moves left row by row); the top
    # serif of a serif "l" is flat
    edges = [int(np.argmax(row)) for row in left[:top] if row.any()]
    return edges[0] - min(edges) >= max(2.0, 0.1 * height)


def _joined(items: list[tuple[float, float, str]]) -> str:
    return "".join(t for _, _, t in sorted(items))


def _digits_of(items: list[tuple[float, float, str]]) -> str:
    """The digits of the words of a slot, in reading order."""
    return "".join(ch for ch in _joined(items) if ch.isdigit())


def _a_number(items: list[tuple[float, float, str]]) -> bool:
    """Whether the words of a slot make a number: number characters with a digit."""
    text = "".join(t for _, _, t in items)
    return _plain(text) and any(ch.isdigit() for ch in text)


def _one_letter(items: list[tuple[float, float, str]], glyph: Box, boxes: Sequence[Box]
                ) -> list[tuple[float, float, str]]:
    """The reading of a cluster of one glyph read as one letter in both cases (``"Cc"``,
    ``"oO"``), as ``"<="`` (``"<"``), or as dashes while as tall as it is wide (``"+"``):
    one glyph is one letter, and a letter whose two
    cases differ only in size (c, o, s, v, w, x, z) is told by its height on its line.
    Enlarged to a common height for OCR, the glyph's size is lost; here it is the capital
    when it is as tall as the tallest glyph beside it on the line (0.8 of it or more: a
    lower-case c is about 0.7 of a capital), or when it stands alone."""
    text = "".join(t for _, _, t in items)
    h, w = glyph.bottom - glyph.top, glyph.x1 - glyph.x0
    if text and set(text) <= {"-", "="} and h >= 0.6 * w and h >= 4:
        # one glyph as tall as it is wide read as dashes ("--" for the "+" of "Lev +
        # 5-FU"): a hyphen or an "=" is flat or two glyphs; one square glyph of bars
        # is a "+"
        return [(min(x[0] for x in items), max(x[1] for x in items), "+")]
    if text in ("<=", ">="):
        # one glyph: "<" (the whitelist has no "≤", whose bar would make a second glyph
        # only where it is drawn apart)
        return [(min(x[0] for x in items), max(x[1] for x in items), text[0])]
    if len(text) != 2 or text[0].lower() != text[1].lower() or text[0] == text[1]:
        return items
    h = glyph.bottom - glyph.top
    yc = 0.5 * (glyph.top + glyph.bottom)
    reach = 3.0 * max(h, 1.0)
    line = [b.bottom - b.top for b in boxes
            if b is not glyph and abs(0.5 * (b.top + b.bottom) - yc) <= 0.5 * h + 1
            and (0 <= glyph.x0 - b.x1 <= reach or 0 <= b.x0 - glyph.x1 <= reach)
            and b.bottom - b.top <= 2.0 * h]
    upper = not line or h >= 0.8 * max(line)
    letter = text[0].upper() if upper else text[0].lower()
    return [(min(x[0] for x in items), max(x[1] for x in items), letter)]


#: lower-case letters that hang below the line
_DESCENDERS = frozenset("gjpqy")


def _level_descender(items: list[tuple[float, float, str]], glyph: Box, boxes: Sequence[Box],
                     crop: NDArray[np.uint8]) -> list[tuple[float, float, str]]:
    """A lone glyph read as a letter that hangs below the line (``"y"`` for a ``7`` at
    150 dpi) while it stands on its line, top and foot level (within a tenth of its height)
    with a glyph of its height beside it (within eight heights): no descender; read alone,
    digits only, it is the digit read with confidence, else left as read."""
    text = "".join(t for _, _, t in items)
    if len(text) != 1 or text not in _DESCENDERS:
        return items
    h = glyph.bottom - glyph.top
    level = any(b is not glyph and abs(b.bottom - glyph.bottom) <= 0.1 * h
                and abs(b.top - glyph.top) <= 0.1 * h
                and (0 <= glyph.x0 - b.x1 <= 8 * h or 0 <= b.x0 - glyph.x1 <= 8 * h)
                for b in boxes)
    if not level:
        return items
    read, conf = _read_sheet([crop], "".join(sorted(_NUMERIC)), _DIGIT_H)
    got = _joined(read.get(0, []))
    if len(got) == 1 and got.isdigit() and conf.get(0, 0.0) >= _SURE_ALONE:
        return [(min(x[0] for x in items), max(x[1] for x in items), got)]
    return items


#: letters whose two cases differ only in size
_SIZE_CASE = frozenset("CcOoSsVvWwXxZz")
#: lower-case letters of x-height whose capitals differ in shape too (OCR reads their case)
_X_HEIGHT = frozenset("aemnru")


def _first_letter_case(items: list[tuple[float, float, str]], glyphs: list[Box]
                       ) -> list[tuple[float, float, str]]:
    """The case of a word's first letter when its two cases differ only in size
    (c, o, s, v, w, x, z): OCR reads ``"sex=1"`` as ``"Sex=1"`` as often as not. The
    word's first glyph (leftmost) is that letter, its second glyph the second letter; when
    the second is a lower-case letter of x-height whose capital has another shape (a, e, m,
    n, r, u: OCR reads its case),
    the first is a capital when clearly taller than it (a capital S is about 1.35 times
    an e in DejaVu Sans and Helvetica) and lower case when no taller than 1.12 times it.
    Between the two, the reading is kept. A glyph read in both cases before such a
    letter (``"Ssex"``) is one letter, in lower case when no taller than that letter."""
    ordered = sorted(items)
    text = "".join(t for _, _, t in ordered)
    if len(text) < 2 or len(glyphs) < 2 or text[0] not in _SIZE_CASE:
        return items
    # the one glyph read in both cases ("Ssex=2" for "sex=2"): its two readings are one
    # letter when the glyph is no taller than the letter after them
    doubled = len(ordered[0][2]) >= 3 and text[0] != text[1] \
        and text[0].lower() == text[1].lower() and text[2] in _X_HEIGHT
    if text[1] not in _X_HEIGHT and not doubled:
        return items
    first, second = sorted(glyphs, key=lambda b: b.x0)[:2]
    h1, h2 = first.bottom - first.top, second.bottom - second.top
    if h2 < 3.0 or second.x0 < first.x1 - 0.5 * (first.x1 - first.x0):
        return items  # too small to tell, or the glyphs do not follow each other
    if doubled:
        if h1 > 1.12 * h2:
            return items  # a capital before its small letter: "Oocyte"
        x0, x1, t = ordered[0]
        return [(x0, x1, t[1].lower() + t[2:]), *ordered[1:]]
    if h1 <= 1.12 * h2:
        letter = text[0].lower()
    elif h1 >= 1.22 * h2:
        letter = text[0].upper()
    else:
        return items
    if letter == text[0]:
        return items
    x0, x1, t = ordered[0]
    return [(x0, x1, letter + t[1:]), *ordered[1:]]


#: a "1" is narrower than this share of its height; other digits are wider than
#: :data:`_WIDE_DIGIT` of theirs (Helvetica's "1" 0.33, its "4" 0.68)
_NARROW_ONE = 0.45
_WIDE_DIGIT = 0.55


def _ones_by_width(a: list[tuple[float, float, str]], b: list[tuple[float, float, str]],
                   glyphs: Sequence[Box]) -> list[tuple[float, float, str]] | None:
    """The one of two digit readings ``a`` and ``b`` of a cluster (one character per
    glyph, ``glyphs`` left to right) that the glyphs' shapes allow, when they differ only
    where one reads ``1`` and the other another digit: a glyph narrower than
    :data:`_NARROW_ONE` of its height is a ``1``, one wider than :data:`_WIDE_DIGIT` is
    not. None when the readings differ otherwise or a glyph's width decides nothing (a
    "1" with a foot, as wide as the other digits, in DejaVu Sans)."""
    ta = "".join(t for _, _, t in sorted(a))
    tb = "".join(t for _, _, t in sorted(b))
    if not (len(ta) == len(tb) == len(glyphs) and ta.isdigit() and tb.isdigit()) or ta == tb:
        return None
    pick = ""
    for ca, cb, g in zip(ta, tb, glyphs, strict=True):
        if ca == cb:
            pick += ca
            continue
        if "1" not in (ca, cb):
            return None
        ratio = (g.x1 - g.x0) / max(g.bottom - g.top, 1e-9)
        other = cb if ca == "1" else ca
        if ratio < _NARROW_ONE:
            pick += "1"
        elif ratio > _WIDE_DIGIT:
            pick += other
        else:
            return None
    return a if pick == ta else b if pick == tb else None


def _one_glyph_misread(text: str, glyphs: int) -> bool:
    """Whether one glyph was read as two or three characters among which a digit or a
    bracket (``"it)"`` for a bold ``0``): no single glyph is such a word."""
    return glyphs == 1 and 1 < len(text) <= 3 and any(ch.isdigit() or ch in "()" for ch in text)


def _settle(first: list[tuple[float, float, str]], digits: list[tuple[float, float, str]]
            ) -> list[tuple[float, float, str]]:
    """The reading of a number-like cluster from the general and the digits-only pass.

    Both agree (in their digits: the general reading then), or only the digits-only reading
    is made of number characters: that one. Two numbers with different digits: neither (the
    text becomes ``"?"``, so a tick label is left out and a table cell is reported unread
    instead of being silently wrong)."""
    a = "".join(t for _, _, t in sorted(first))
    b = "".join(t for _, _, t in sorted(digits))
    if not b or a == b:
        return first
    plain_a = all(ch in _NUMERIC for ch in a)
    if not plain_a:
        return digits if all(ch in _NUMERIC for ch in b) else first
    if [ch for ch in a if ch.isdigit()] == [ch for ch in b if ch.isdigit()]:
        return first  # the same digits; the general reading keeps "%" and "." better
    return [(min(x[0] for x in first), max(x[1] for x in first), "?")]


def words_from_glyphs(glyphs: list[Glyph], width: float, height: float,
                      scale: float = 4.0) -> list[Word]:
    """Fill outlined glyphs into an image and read them by OCR, cluster by cluster."""
    draw = require("skimage.draw", "reading outlined text")
    h, w = int(np.ceil(height * scale)) + 2, int(np.ceil(width * scale)) + 2
    ink = np.zeros((h, w), dtype=bool)
    boxes: list[Box] = []
    for g in glyphs:
        polys = [p for p in g.polygons if len(p) >= 3]
        if not polys:
            continue
        allp = np.concatenate(polys) * scale
        r0, r1 = max(int(allp[:, 1].min()) - 1, 0), min(int(allp[:, 1].max()) + 2, h)
        c0, c1 = max(int(allp[:, 0].min()) - 1, 0), min(int(allp[:, 0].max()) + 2, w)
        if r1 <= r0 or c1 <= c0:
            continue
        mask = np.zeros((r1 - r0, c1 - c0), dtype=bool)
        for poly in polys:
            rr, cc = draw.polygon(poly[:, 1] * scale - r0, poly[:, 0] * scale - c0,
                                  shape=mask.shape)
            sub = np.zeros_like(mask)
            sub[rr, cc] = True
            mask ^= sub  # even-odd rule: the holes of 0, 4, 6, 8, 9
        ink[r0:r1, c0:c1] |= mask
        boxes.append(Box(float(c0), float(c1), float(r0), float(r1), g.colour, g.key))
    gray = np.where(ink, 0, 255).astype(np.uint8)
    words = read_clusters(gray, boxes, scale)
    return _plus_marks(words, boxes, scale)


def _plus_marks(words: list[Word], boxes: list[Box], scale: float) -> list[Word]:
    """Censoring marks drawn as "+" glyphs: once one lone glyph reads "+", every glyph with
    its key is a mark (a word "+" of its own) and OCR words made only of them are dropped."""
    plus_keys = set()
    for b in boxes:
        if b.key is None:
            continue
        for w in words:
            if w.text == "+" and abs(w.x0 * scale - b.x0) < 1 and abs(w.top * scale - b.top) < 1:
                plus_keys.add(b.key)
    if not plus_keys:
        return words
    marks = [b for b in boxes if b.key in plus_keys]
    others = [b for b in boxes if b.key not in plus_keys]

    def only_marks(w: Word) -> bool:
        def inside(b: Box) -> bool:
            cx, cy = 0.5 * (b.x0 + b.x1) / scale, 0.5 * (b.top + b.bottom) / scale
            return w.x0 <= cx <= w.x1 and w.top <= cy <= w.bottom

        return any(inside(b) for b in marks) and not any(inside(b) for b in others)

    out = [w for w in words if w.text != "+" and not only_marks(w)]
    out.extend(Word("+", b.x0 / scale, b.x1 / scale, b.top / scale, b.bottom / scale, b.colour)
               for b in marks)
    return out
