"""Outlined SVG text read exactly through the identity of its glyphs.

Cairo (R's ``svg()`` device) writes text as glyph outlines: every distinct glyph of a font
once, as a ``<symbol id="glyphF-i">``, and every string drawn as one ``<g>`` of ``<use>``
elements in reading order, a space being a glyph with an empty outline. A symbol is one
character wherever it is used, so OCR need not be trusted glyph by glyph:

1. OCR reads the figure as before (:func:`survkit.digitize.ocr.words_from_glyphs`); each
   string whose OCR words have exactly one character per inked glyph *votes* for the
   character of each of its glyphs;
2. glyphs of one typeface at different sizes (Cairo makes one font per size) share their
   votes: two symbols of different fonts are one character when their outlines, scaled to
   a common height, cover the same pixels (intersection over union ≥ 0.85 on a 24-pixel
   raster, same width to a pixel), each is the other's best match in the other's font, and
   their height ratio is that of their two fonts (the median ratio over such pairs, within
   3 %); two symbols of one font are never merged;
3. each glyph class takes the character most of its votes give (more than any other),
   strongest first, one class per character in a font: a class whose best character
   another class of its font took takes its next best;
   a string OCR read with a character too few or too many votes for the classes still
   open where its ends match off (:func:`_align_votes`), and the classes the votes leave
   open are settled by their shape and, for ``I``/``l``, the case of their neighbours
   (:func:`_witness`, :mod:`survkit.digitize.glyphshape`);
4. every string whose glyphs all have a character is spelt from them, split into words at
   its space glyphs; a string with a glyph no vote settled keeps its OCR words (and so do
   the strings an OCR word over it also covers: spelt all, or all left to OCR).

So a digit misread once (a ``7`` read as ``1`` in ``75%``) takes the character its class
has everywhere else, and spaces come from the file ("More than 4 nodes", where OCR gave
"Morethan").

Two kinds of glyph are not text: a thin upright bar drawn only alone, three times or more
(a censoring mark ``|``: survminer's ``censor.shape = "|"``, R's ``pch = "|"``) is the word
``|`` whatever OCR said; and a filled bar as thick as a third of the text height (a minus
sign in a huge font: survminer's coloured keys of unnamed risk-table rows) is a key, a
filled bar of its colour (a :class:`~survkit.digitize.scene.Stroke`), not a character.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.deps import require
from survkit.digitize.scene import Colour, Stroke, Word

if TYPE_CHECKING:
    from survkit.digitize.svg import Glyph

__all__ = ["read_glyph_text"]

_SIDE = 24  # raster height of a normalised outline


class _Run:
    """One string drawn: its glyphs (in order) and reading direction."""

    def __init__(self, glyphs: list[Glyph]) -> None:
        self.glyphs = glyphs
        self.inked = [g for g in glyphs if g.polygons]
        self.rotated = False

    def box(self) -> tuple[float, float, float, float]:
        pts = np.concatenate([np.concatenate(g.polygons) for g in self.inked])
        return (float(pts[:, 0].min()), float(pts[:, 0].max()), float(pts[:, 1].min()),
                float(pts[:, 1].max()))


def _font(key: str | None) -> str:
    return (key or "").rsplit("-", 1)[0]


def _bbox(g: Glyph) -> tuple[float, float, float, float]:
    pts = np.concatenate(g.polygons)
    return (float(pts[:, 0].min()), float(pts[:, 0].max()), float(pts[:, 1].min()),
            float(pts[:, 1].max()))


def _mask(g: Glyph) -> NDArray[np.bool_] | None:
    """The outline filled (even–odd) and scaled to :data:`_SIDE` pixels high."""
    draw = require("skimage.draw", "reading outlined text")
    x0, x1, y0, y1 = _bbox(g)
    h = y1 - y0
    if h <= 0:
        return None
    f = _SIDE / h
    w = max(round((x1 - x0) * f), 1)
    mask = np.zeros((_SIDE + 1, w + 1), dtype=bool)
    for poly in g.polygons:
        if len(poly) < 3:
            continue
        rr, cc = draw.polygon((poly[:, 1] - y0) * f, (poly[:, 0] - x0) * f, shape=mask.shape)
        sub = np.zeros_like(mask)
        sub[rr, cc] = True
        mask ^= sub
    return mask


def _rectangle(g: Glyph) -> bool:
    """Whether the outline is one axis-aligned rectangle."""
    polys = [p for p in g.polygons if len(p) >= 3]
    if len(polys) != 1:
        return False
    p = np.unique(np.round(polys[0], 4), axis=0)
    if len(p) != 4:
        return False
    return len(np.unique(p[:, 0])) == 2 and len(np.unique(p[:, 1])) == 2


def _classes(first: dict[str, Glyph]) -> dict[str, int]:
    """Glyph class of every key: keys of different fonts with one outline share a class
    (the same number of closed outlines, filled shapes overlapping by 85 % at one height)."""
    keys = sorted(first)
    masks = {k: _mask(first[k]) for k in keys}
    heights = {k: _bbox(first[k])[3] - _bbox(first[k])[2] for k in keys}
    # outlines per glyph: one character in two fonts has as many (an "i" two, an "l" one,
    # which scaled to one height overlap as closely as two sizes of one letter)
    parts = {k: sum(1 for p in first[k].polygons if len(p) >= 3) for k in keys}
    pairs: dict[tuple[str, str], list[tuple[float, str, str]]] = {}
    best: dict[tuple[str, str], tuple[float, str]] = {}  # (key, other font) -> best match
    for i, a in enumerate(keys):
        ma = masks[a]
        if ma is None:
            continue
        for b in keys[i + 1:]:
            mb = masks[b]
            if mb is None or _font(a) == _font(b) or abs(ma.shape[1] - mb.shape[1]) > 1 \
                    or parts[a] != parts[b]:
                continue
            w = min(ma.shape[1], mb.shape[1])
            inter = np.logical_and(ma[:, :w], mb[:, :w]).sum()
            union = np.logical_or(ma[:, :w], mb[:, :w]).sum() + \
                ma[:, w:].sum() + mb[:, w:].sum()
            if union and inter / union >= 0.85:
                iou = float(inter / union)
                for x, y in ((a, b), (b, a)):
                    got = best.get((x, _font(y)))
                    if got is None or iou > got[0]:
                        best[(x, _font(y))] = (iou, y)
    # a pair is one character when each is the other's best match in the other's font
    for (a, _fb), (_, b) in best.items():
        if a < b and best.get((b, _font(a)), (0.0, ""))[1] == a:
            fa, fb = sorted((_font(a), _font(b)))
            ratio = heights[a] / heights[b] if fa == _font(a) else heights[b] / heights[a]
            pairs.setdefault((fa, fb), []).append((ratio, a, b))
    parent = {k: k for k in keys}
    fonts = {k: {_font(k)} for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for found in pairs.values():
        med = float(np.median([r for r, _, _ in found]))
        for r, a, b in found:
            if abs(r / med - 1.0) > 0.03:
                continue
            ra, rb = find(a), find(b)
            if ra != rb and not (fonts[ra] & fonts[rb]):
                parent[rb] = ra
                fonts[ra] |= fonts[rb]
    roots = {find(k) for k in keys}
    index = {r: n for n, r in enumerate(sorted(roots))}
    return {k: index[find(k)] for k in keys}


def _orient(runs: list[_Run]) -> None:
    """Reading direction of every run: bottom to top when its origins climb the page (per
    font, so that a lone glyph of a rotated font is rotated too)."""
    votes: dict[str, Counter[bool]] = {}
    for r in runs:
        org = [g.origin for g in r.glyphs if g.origin is not None]
        if len(org) < 2:
            continue
        o = np.asarray(org)
        rot = bool(np.ptp(o[:, 1]) > np.ptp(o[:, 0]))
        votes.setdefault(_font(r.glyphs[0].key), Counter())[rot] += 1
    for r in runs:
        c = votes.get(_font(r.glyphs[0].key))
        r.rotated = bool(c and c[True] > c[False])


def read_glyph_text(glyphs: Sequence[Glyph], ocr_words: Sequence[Word]
                    ) -> tuple[list[Word], list[Stroke], str]:
    """Words of the outlined text, key lines drawn as glyphs, and a note (empty when no
    string could be spelt from its glyphs).

    ``glyphs`` are all glyph uses in drawing order (spaces included, with no outline);
    ``ocr_words`` what OCR read of the inked ones.
    """
    by_run: dict[int, list[Glyph]] = {}
    for g in glyphs:
        by_run.setdefault(g.run, []).append(g)
    runs = [_Run(v) for v in by_run.values()]
    runs = [r for r in runs if r.inked]
    if not runs:
        return list(ocr_words), [], ""
    _orient(runs)
    first: dict[str, Glyph] = {}
    for r in runs:
        for g in r.inked:
            if g.key is not None:
                first.setdefault(g.key, g)
    heights = [_bbox(g)[3] - _bbox(g)[2] for g in first.values()]
    text_h = float(np.median(heights)) if heights else 1.0
    # key lines: thick filled bars (a minus sign in a huge font)
    keys: list[Stroke] = []
    key_ids: set[str] = set()
    for k, g in first.items():
        x0, x1, y0, y1 = _bbox(g)
        if _rectangle(g) and (y1 - y0) >= text_h / 3 and (x1 - x0) >= 2 * (y1 - y0):
            key_ids.add(k)
    for r in runs:
        for g in r.inked:
            if g.key in key_ids:
                x0, x1, y0, y1 = _bbox(g)
                keys.append(Stroke(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                             [x0, y0]]), None, g.colour))
    # censoring marks: thin upright bars drawn alone only, three times or more
    alone = Counter(r.inked[0].key for r in runs if len(r.inked) == 1)
    within = {g.key for r in runs if len(r.inked) > 1 for g in r.inked}
    bars: set[str] = set()
    for key, n in alone.items():
        if key is None or key in within or n < 3 or key in key_ids:
            continue
        x0, x1, y0, y1 = _bbox(first[key])
        if _rectangle(first[key]) and (y1 - y0) >= 3 * (x1 - x0):
            bars.add(key)
    cls = _classes({k: g for k, g in first.items() if k not in key_ids})
    # votes of the OCR words lying on each run
    assigned: dict[int, list[Word]] = {}
    boxes = [r.box() for r in runs]
    # the runs' boxes and orientations as arrays: a figure may draw thousands of marks
    bx = np.array(boxes, dtype=np.float64).reshape(-1, 4)
    rot = np.array([r.rotated for r in runs], dtype=bool)
    for w in ocr_words:
        on = np.flatnonzero((rot == w.rotated) & (bx[:, 0] - 0.5 <= w.xc)
                            & (w.xc <= bx[:, 1] + 0.5) & (bx[:, 2] - 0.5 <= w.yc)
                            & (w.yc <= bx[:, 3] + 0.5))
        if len(on):  # the first run it lies on
            assigned.setdefault(int(on[0]), []).append(w)
    votes: dict[int, Counter[str]] = {}
    uneven: list[tuple[str, list[Glyph]]] = []  # strings OCR read with too few or many
    for n, r in enumerate(runs):
        ws = sorted(assigned.get(n, []), key=lambda w: -w.bottom if w.rotated else w.x0)
        text = "".join(w.text for w in ws).replace(" ", "")
        ink = [g for g in r.inked if g.key not in key_ids]
        if not ink or not text:
            continue
        if len(text) != len(ink):
            uneven.append((text, ink))
            continue
        for ch, g in zip(text, ink, strict=True):
            if ch != "?" and g.key in cls:
                votes.setdefault(cls[g.key], Counter())[ch] += 1
    char = _settle(votes, cls)
    if _align_votes(uneven, cls, char, votes):
        char = _settle(votes, cls)
    rotated_keys = {g.key for r in runs if r.rotated for g in r.inked}
    _witness(runs, votes, cls, char, first, rotated_keys, key_ids)
    _bar_case(runs, cls, char, votes, key_ids | bars)
    ready = []  # whether each run can be spelt (or is a mark)
    for r in runs:
        ink = [g for g in r.inked if g.key not in key_ids]
        ready.append(bool(ink) and ((len(ink) == 1 and ink[0].key in bars) or
                                    all(g.key in cls and cls[g.key] in char for g in ink)))
    # an OCR word over several strings ties them: spelt all, or all left to OCR
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    touched: list[list[int]] = []
    for w in ocr_words:
        hits = [int(n) for n in np.flatnonzero(
            (rot == w.rotated) & (w.x0 <= bx[:, 1] + 0.5) & (w.x1 >= bx[:, 0] - 0.5)
            & (w.top <= bx[:, 3] + 0.5) & (w.bottom >= bx[:, 2] - 0.5))]
        touched.append(hits)
        for n in hits[1:]:
            parent[find(n)] = find(hits[0])
    spell_ok: dict[int, bool] = {}
    for n in range(len(runs)):
        spell_ok[find(n)] = spell_ok.get(find(n), True) and ready[n]
    words: list[Word] = [w for w, hits in zip(ocr_words, touched, strict=True)
                         if not hits or not spell_ok[find(hits[0])]]
    spelt = marks = 0
    for n, r in enumerate(runs):
        ink = [g for g in r.inked if g.key not in key_ids]
        if not ink or not spell_ok[find(n)]:
            continue
        if len(ink) == 1 and ink[0].key in bars:
            x0, x1, y0, y1 = _bbox(ink[0])
            words.append(Word("|", x0, x1, y0, y1, ink[0].colour))
            marks += 1
            continue
        spelt += 1
        words.extend(_spell(r, cls, char, key_ids))
    text_runs = sum(1 for r in runs if any(g.key not in key_ids for g in r.inked)) - marks
    note = f"{spelt} of {text_runs} strings spelt from their glyphs" if spelt else ""
    if marks:
        note += f"{'; ' if note else ''}{marks} bars drawn alone read as censoring marks"
    return words, keys, note


def _fonts_of(cls: dict[str, int]) -> dict[int, set[str]]:
    """The fonts each glyph class is drawn in."""
    fonts_of: dict[int, set[str]] = {}
    for k, c in cls.items():
        fonts_of.setdefault(c, set()).add(_font(k))
    return fonts_of


def _taken(char: dict[int, str], fonts_of: dict[int, set[str]]) -> dict[str, set[str]]:
    """The characters settled in each font (font -> characters)."""
    taken: dict[str, set[str]] = {}
    for c, ch in char.items():
        for f in fonts_of.get(c, set()):
            taken.setdefault(f, set()).add(ch)
    return taken


def _words(runs: list[_Run], cls: dict[str, int], skip: set[str]) -> Iterator[list[int]]:
    """The words of the runs (split at space glyphs) as their glyphs' classes, ``-1`` for a
    glyph of no class; glyphs in ``skip`` are left out."""
    for r in runs:
        word: list[int] = []
        for g in [*r.glyphs, None]:
            if g is not None and g.polygons:
                if g.key not in skip:
                    word.append(cls.get(str(g.key), -1))
                continue
            yield word
            word = []


def _settle(votes: dict[int, Counter[str]], cls: dict[str, int]) -> dict[int, str]:
    """The character of each glyph class from its votes, one class per character in a
    font: the classes are settled strongest first, each taking the character most of its
    votes give among those no class of its fonts has taken (a ``7`` once misread as ``1``
    is not the ``1`` of its font, which many votes settled: it takes its other reading);
    a class whose best available votes tie is left unsettled."""
    fonts_of = _fonts_of(cls)
    taken: dict[str, set[str]] = {}  # font -> characters settled in it
    char: dict[int, str] = {}
    changed = True
    while changed:
        changed = False
        best: list[tuple[int, int, str]] = []
        for c, v in votes.items():
            if c in char:
                continue
            free = [(n, ch) for ch, n in v.items()
                    if not any(ch in taken.get(f, set()) for f in fonts_of.get(c, set()))]
            free.sort(reverse=True)
            if free and (len(free) == 1 or free[0][0] > free[1][0]):
                best.append((free[0][0], c, free[0][1]))
        for _, c, ch in sorted(best, reverse=True):
            if any(ch in taken.get(f, set()) for f in fonts_of.get(c, set())):
                changed = True  # taken meanwhile: try again next round
                continue
            char[c] = ch
            for f in fonts_of.get(c, set()):
                taken.setdefault(f, set()).add(ch)
            changed = True
    return char


def _align_votes(uneven: list[tuple[str, list[Glyph]]], cls: dict[str, int],
                 char: dict[int, str], votes: dict[int, Counter[str]]) -> bool:
    """Votes, for unsettled classes only, of strings whose OCR text has more or fewer
    characters than glyphs: the glyphs at either end whose settled character the text has
    there are matched off; the rest vote one character each when as many remain of both, or
    all for one character when they are of one class and the text left is that character
    repeated (OCR merged "II" of "Stage II" into one "I"). Whether any vote was added."""
    added = False
    for text, ink in uneven:
        keys = [g.key for g in ink]
        if any(k not in cls for k in keys):
            continue
        i, j, t0, t1 = 0, len(keys), 0, len(text)
        while i < j and t0 < t1 and char.get(cls[str(keys[i])]) == text[t0]:
            i, t0 = i + 1, t0 + 1
        while j > i and t1 > t0 and char.get(cls[str(keys[j - 1])]) == text[t1 - 1]:
            j, t1 = j - 1, t1 - 1
        rest, left = [cls[str(k)] for k in keys[i:j]], text[t0:t1]
        if not rest or not left or "?" in left:
            continue
        if len(rest) == len(left):
            pairs = list(zip(rest, left, strict=True))
        elif len(set(rest)) == 1 and len(set(left)) == 1:
            pairs = [(rest[0], left[0])] * len(rest)
        else:
            continue
        for c, ch in pairs:
            if c not in char:
                votes.setdefault(c, Counter())[ch] += 1
                added = True
    return added


#: a shape must score this much to stand for a character on its own
_SHAPE_SURE = 0.6
#: ... and beat every other free character (and every voted one) by these margins
_SHAPE_MARGIN, _SHAPE_OVER_VOTES = 0.1, 0.25
#: a tie of votes is broken by shape when the shapes differ by this much
_SHAPE_TIE = 0.05


def _witness(runs: list[_Run], votes: dict[int, Counter[str]], cls: dict[str, int],
             char: dict[int, str], first: dict[str, Glyph], rotated: set[str | None],
             skip: set[str]) -> None:
    """Settle (in ``char``) the voted classes the votes left open, by the shape of their
    outline (:func:`survkit.digitize.glyphshape.shape_scores`) and, for an ``I``/``l`` tie,
    by the case of their neighbours; still one class per character in a font.

    * a character whose shape scores at least :data:`_SHAPE_SURE`, beats every other free
      character by :data:`_SHAPE_MARGIN` and every voted one by :data:`_SHAPE_OVER_VOTES`
      is taken whatever the votes said (a ``/`` OCR read as ``f`` and as ``i``; a ``T``
      read as the ``1`` its font already has);
    * else, of ``I`` and ``l`` tied (drawn alike in most sans-serif faces, so their shape
      scores are noise), ``I`` when the glyph stands alone in a word ("Stage II") or its
      lettered neighbours are capitals more often than small letters ("IV"), ``l`` in the
      opposite case, neither when the neighbours tie;
    * else, of the free characters with the most votes, the one whose shape scores
      :data:`_SHAPE_TIE` more than the others.
    """
    from survkit.digitize.glyphshape import shape_scores

    fonts_of = _fonts_of(cls)
    rep: dict[int, str] = {}
    for k in sorted(cls):
        rep.setdefault(cls[k], k)
    taken = _taken(char, fonts_of)
    # per class: uses alone in a word, capital and small lettered neighbours
    alone: Counter[int] = Counter()
    upper: Counter[int] = Counter()
    lower: Counter[int] = Counter()
    for word in ([c for c in w if c >= 0] for w in _words(runs, cls, skip)):
        for n, c in enumerate(word):
            if all(x == c for x in word):
                alone[c] += 1
                continue
            for m in (n - 1, n + 1):
                ch = char.get(word[m], "") if 0 <= m < len(word) else ""
                if ch.isalpha():
                    (upper if ch.isupper() else lower)[c] += 1
    open_ = sorted((c for c in votes if c not in char and votes[c]),
                   key=lambda c: -sum(votes[c].values()))
    for c in open_:
        def free(ch: str, c: int = c) -> bool:
            return not any(ch in taken.get(f, set()) for f in fonts_of.get(c, set()))

        key = rep[c]
        polys = first[key].polygons
        if key in rotated:  # read bottom to top: turn upright
            polys = [np.column_stack((-p[:, 1], p[:, 0])) for p in polys]
        shape = shape_scores(polys)
        ranked = sorted((s, ch) for ch, s in shape.items() if free(ch))[::-1]
        voted = {ch: n for ch, n in votes[c].items() if free(ch)}
        got: str | None = None
        if len(ranked) >= 2:
            (s0, c0), (s1, _) = ranked[0], ranked[1]
            over = max((shape.get(ch, 0.0) for ch in votes[c] if ch != c0), default=0.0)
            if s0 >= _SHAPE_SURE and s0 - s1 >= _SHAPE_MARGIN and s0 - over >= _SHAPE_OVER_VOTES:
                got = c0
        if got is None and voted:
            most = max(voted.values())
            tied = sorted(((shape.get(ch, 0.0), ch) for ch, n in voted.items() if n == most),
                          reverse=True)
            if len(tied) == 1:
                got = tied[0][1]
            elif {ch for _, ch in tied} == {"I", "l"}:  # shapes say nothing here
                if alone[c] or upper[c] > lower[c]:
                    got = "I"
                elif lower[c] > upper[c]:
                    got = "l"
            elif tied[0][0] - tied[1][0] >= _SHAPE_TIE:
                got = tied[0][1]
        if got is not None:
            char[c] = got
            for f in fonts_of.get(c, set()):
                taken.setdefault(f, set()).add(got)


def _bar_case(runs: list[_Run], cls: dict[str, int], char: dict[int, str],
              votes: dict[int, Counter[str]], skip: set[str]) -> None:
    """Put right (in ``char``) an ``I`` that is an ``l`` and an ``l`` that is an ``I``, by
    where the class is drawn: OCR reads the ``l`` of a sans-serif face as ``I`` as often as
    not ("MaIe"), and the outlines of the two are alike, so the votes can settle either.

    After a small letter inside a word ("Male", "overall") a bar is an ``l``; next to a
    capital and not before a small letter, or alone ("IV", "HIV", "Stage II"), it is an
    ``I``; before a small letter at the start of a word or after a capital it may be either
    ("In", "low", "Placebo") and does not count. A class settled as one takes the other
    when the other is free in its fonts and its uses say so: after small letters more often
    than next to capitals or alone (``I`` to ``l``), or next to capitals or alone and never
    after a small letter (``l`` to ``I``); a class left unsettled because its votes'
    character was taken then takes the character freed. Glyphs in ``skip`` (keys, and the
    bars read as censoring marks, which may share the class of an ``l``) do not count.
    """
    fonts_of = _fonts_of(cls)
    bars = {c for c, ch in char.items() if ch in ("I", "l")}
    if not bars:
        return
    after_small: Counter[int] = Counter()
    capital: Counter[int] = Counter()
    for word in _words(runs, cls, skip):
        for n, c in enumerate(word):
            if c not in bars:
                continue
            if all(x == c for x in word):
                capital[c] += 1  # alone ("I", "II")
                continue
            left = char.get(word[n - 1], "") if n > 0 else ""
            right = char.get(word[n + 1], "") if n + 1 < len(word) else ""
            if left.isalpha() and left.islower():
                after_small[c] += 1
            if (any(ch.isalpha() and ch.isupper() and ch not in ("I", "l")
                    for ch in (left, right))
                    and not (right.isalpha() and right.islower())):
                capital[c] += 1  # ("IV", "HIV"; not the "Pl" of "Placebo")
    taken = _taken(char, fonts_of)
    for c in sorted(bars):
        other = "l" if char[c] == "I" else "I"
        if any(other in taken.get(f, set()) for f in fonts_of.get(c, set())):
            continue
        if (other == "l" and after_small[c] > capital[c]) or (
                other == "I" and capital[c] > 0 and after_small[c] == 0):
            freed = char[c]
            for f in fonts_of.get(c, set()):
                taken.get(f, set()).discard(freed)
                taken.setdefault(f, set()).add(other)
            char[c] = other
            # a class of the fonts whose votes named the freed character (and were refused
            # it) takes it now ("IV"'s I, once the l is no longer read I)
            for o, v in votes.items():
                if o in char or not v or v.most_common(1)[0][0] != freed:
                    continue
                if any(freed in taken.get(f, set()) for f in fonts_of.get(o, set())):
                    continue
                char[o] = freed
                for f in fonts_of.get(o, set()):
                    taken.setdefault(f, set()).add(freed)


def _spell(r: _Run, cls: dict[str, int], char: dict[int, str], skip: set[str]) -> list[Word]:
    """The words of a run whose glyphs all have a character, split at its space glyphs."""
    out: list[Word] = []
    cur: list[tuple[str, Glyph]] = []

    def flush() -> None:
        if not cur:
            return
        pts = np.concatenate([np.concatenate(g.polygons) for _, g in cur])
        colour: Colour | None = cur[0][1].colour
        out.append(Word("".join(ch for ch, _ in cur).replace("\u2212", "-"),
                        float(pts[:, 0].min()), float(pts[:, 0].max()),
                        float(pts[:, 1].min()), float(pts[:, 1].max()), colour, r.rotated))
        cur.clear()

    for g in r.glyphs:
        if not g.polygons:
            flush()  # a space
            continue
        if g.key in skip:
            continue
        cur.append((char[cls[str(g.key)]], g))
    flush()
    return out
