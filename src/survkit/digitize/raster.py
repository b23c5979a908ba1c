"""Raster figures (PNG, JPEG): axes, text and curves from the pixels.

* **Axes**: the axis lines are the longest dark horizontal and vertical runs; tick marks are
  the short dark runs leaving them. Both become 2-point strokes, so the calibration of
  :mod:`survkit.digitize.axes` works as for vector figures (tick centres to sub-pixel).
* **Text**: dark (or coloured) connected components of glyph size, read by OCR cluster by
  cluster (:mod:`survkit.digitize.ocr`).
* **Curves**: inside the panel, saturated or dark pixels (not the pale tint of a CI band)
  are grouped by colour; each colour's pixels are traced column by column: thin runs give
  the level of the curve, the columns between two levels the time of the drop. A colour
  holding more than one curve (black-and-white figures) is an error naming it: such figures
  are not separated in this version.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.assemble import assemble
from survkit.digitize.axes import Calibration, calibrate, unlabelled_zero
from survkit.digitize.curves import Staircase
from survkit.digitize.deps import have_tesseract, require
from survkit.digitize.legend import doubtful_names, not_a_name
from survkit.digitize.linestyle import bridged_count, more_tracks_if_dashed
from survkit.digitize.marks import raster_marks
from survkit.digitize.pixels import nonzero_rc
from survkit.digitize.rastertrace import (
    Trace,
    column_runs,
    count_tracks,
    dash_gap,
    line_width,
    thin_pixels,
    trace_tracks,
)
from survkit.digitize.relations import relation_glyphs, with_relations
from survkit.digitize.result import Digitized
from survkit.digitize.scene import Colour, Scene, Stroke, Word
from survkit.digitize.tesseract import warm_up
from survkit.digitize.text import RELATIONS, parse_number
from survkit.digitize.ticks import detached_ticks

if TYPE_CHECKING:
    from survkit.digitize.ocr import Box

__all__ = ["band_seam", "digitize_raster", "line_like", "read_raster", "scene_from_image"]

FloatArray = NDArray[np.float64]

#: Pixels within this RGB distance of a colour class centre belong to it (Okabe–Ito blue and
#: bluish green are 0.30 apart).
_RADIUS = 0.18

#: Grey pixels within this darkness (mean of RGB) of a grey or black class centre belong to
#: it: the core of a thin black line is 0 where it covers a pixel and up to ~0.2 where it
#: straddles two (anti-aliasing), while grey curves of one figure differ by 0.3 or more.
_GREY_RADIUS = 0.22


def _achromatic(c: FloatArray) -> bool:
    return float(c.max() - c.min()) < 0.25


def _distance(pix: FloatArray, centre: FloatArray,
              grey_mean: tuple[NDArray[np.bool_], FloatArray] | None = None) -> FloatArray:
    """Distance of pixels (..., 3) to a class centre in units where ``< _RADIUS`` is inside:
    RGB distance, or for a grey centre and grey pixels the difference in darkness.
    ``grey_mean`` is (whether each pixel is grey, its mean of RGB), computed once by the
    caller for many centres."""
    diff = pix - centre
    d = np.sqrt(np.einsum("...k,...k->...", diff, diff))
    if not _achromatic(centre):
        return np.asarray(d, dtype=np.float64)
    if grey_mean is None:
        grey = (pix.max(axis=-1) - pix.min(axis=-1)) < 0.25
        mean = pix.mean(axis=-1)
    else:
        grey, mean = grey_mean
    dg = np.abs(mean - float(centre.mean())) * (_RADIUS / _GREY_RADIUS)
    return np.asarray(np.where(grey, dg, d), dtype=np.float64)


def _grey_mean(pix: FloatArray) -> tuple[NDArray[np.bool_], FloatArray]:
    """For :func:`_distance`: whether each pixel is grey (channel spread < 0.25), its mean."""
    return (pix.max(axis=-1) - pix.min(axis=-1)) < 0.25, pix.mean(axis=-1)


def _load(path: Path) -> FloatArray:
    return _decode(path)[0]


def _decode(path: Path) -> tuple[FloatArray, NDArray[np.uint8] | None]:
    """The image as RGB in [0, 1] (H, W, 3) and, for 8-bit files without transparency
    (RGB, grey, a palette, or RGBA opaque everywhere: the common cases, decoded by Pillow
    directly), its RGB bytes; other modes (transparency, 16-bit) are converted by
    scikit-image's reader and composited on white."""
    image_mod = require("PIL.Image", "reading raster figures")
    raw: NDArray[np.uint8] | None = None
    try:
        with image_mod.open(path) as im:
            if im.mode in ("RGB", "RGBA"):
                raw = np.asarray(im)
            elif im.mode in ("L", "P") and "transparency" not in im.info:
                raw = np.asarray(im.convert("RGB"))
    except Exception as exc:  # Pillow raises several types for a broken file
        raise ValueError(f"path: cannot read {path} as an image ({type(exc).__name__})") from None
    if raw is not None and raw.ndim == 3 and raw.shape[-1] == 4:
        # opaque everywhere: composited on white it is its RGB (x * 1 + 0)
        raw = np.ascontiguousarray(raw[..., :3]) if bool(np.all(raw[..., 3] == 255)) else None
    if raw is not None and raw.dtype == np.uint8 and raw.ndim == 3 and raw.shape[-1] == 3:
        img = raw.astype(np.float64)
        np.divide(img, 255.0, out=img)
        return img, raw
    io = require("skimage.io", "reading raster figures")
    try:
        arr = np.asarray(io.imread(str(path)))
    except Exception as exc:  # imageio raises many types for a broken file
        raise ValueError(f"path: cannot read {path} as an image ({type(exc).__name__})") from None
    img = np.asarray(arr, dtype=np.float64)
    if img.max() > 1.0:
        img = img / (65535.0 if arr.dtype == np.uint16 else 255.0)
    if img.ndim == 2:
        img = np.stack([img] * 3, axis=-1)
    if img.shape[-1] == 4:  # composite on white
        a = img[..., 3:4]
        img = img[..., :3] * a + (1 - a)
    return np.ascontiguousarray(img[..., :3]), None


def _grey_and_chroma(img: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Mean of the channels and their spread (max − min), by channel planes: the same
    values as ``img.mean(axis=2)`` and ``np.ptp(img, axis=2)`` at twice the speed."""
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    grey = r + g
    grey += b
    grey /= 3.0
    hi = np.maximum(r, g)
    np.maximum(hi, b, out=hi)
    lo = np.minimum(r, g)
    np.minimum(lo, b, out=lo)
    hi -= lo
    return grey, hi


#: Darkness thresholds (mean of RGB in [0, 1]): axis lines and ticks are darker than
#: ``_DARK`` (and grey: spread under ``_DARK_CHROMA``), text is ink darker than ``_INK``.
_DARK, _DARK_CHROMA, _INK = 0.45, 0.2, 0.72


def _layers_from_float(img: FloatArray
                       ) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.uint8]]:
    """The dark (axis) mask, the ink (text) mask and the grey image OCR reads (ink pixels
    at their grey level, everything else white) of an RGB image in [0, 1]."""
    gray, chroma = _grey_and_chroma(img)
    dark = (gray < _DARK) & (chroma < _DARK_CHROMA)
    ink = gray < _INK
    g8 = np.where(ink, (gray * 255).clip(0, 255), 255).astype(np.uint8)
    return dark, ink, g8


def _layers_from_bytes(raw: NDArray[np.uint8]
                       ) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.uint8]]:
    """:func:`_layers_from_float` of ``raw / 255`` computed on the bytes: the same masks and
    grey levels, bit for bit, without the full floating-point planes.

    ``mean < t`` is ``r + g + b < 765 t`` (no sum of bytes lies within rounding of 344.25
    or 550.8); a spread of ``hi − lo`` bytes is under 0.2 for 50 or fewer and over it for
    52 or more, and at exactly 51 (``51/255 = 0.2``) it is decided by the same floating
    subtraction as before; the grey levels of ink pixels are computed as before, on them only.
    """
    r, g, b = raw[..., 0], raw[..., 1], raw[..., 2]
    total = r.astype(np.uint16)
    total += g
    total += b
    hi = np.maximum(r, g)
    np.maximum(hi, b, out=hi)
    lo = np.minimum(r, g)
    np.minimum(lo, b, out=lo)
    spread = hi - lo  # uint8: hi >= lo
    dark_grey = total < np.uint16(int(np.ceil(765 * _DARK)))  # 344.25 -> <= 344
    dark = dark_grey & (spread <= 50)
    edge = dark_grey & (spread == 51)
    if edge.any():
        rr, cc = nonzero_rc(edge)
        f_hi = hi[rr, cc].astype(np.float64) / 255.0
        f_lo = lo[rr, cc].astype(np.float64) / 255.0
        dark[rr, cc] = (f_hi - f_lo) < _DARK_CHROMA
    ink = total < np.uint16(int(np.ceil(765 * _INK)))  # 550.8 -> <= 550
    g8 = np.full(ink.shape, 255, dtype=np.uint8)
    v = raw[ink].astype(np.float64)
    v /= 255.0
    grey = v[:, 0] + v[:, 1]
    grey += v[:, 2]
    grey /= 3.0
    g8[ink] = (grey * 255).clip(0, 255).astype(np.uint8)
    return dark, ink, g8


def _runs(mask_1d: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(start, end) inclusive of the True runs of a 1-D mask."""
    m = np.concatenate([[False], mask_1d, [False]])
    d = np.diff(m.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _long_runs(mask: NDArray[np.bool_], min_len: float) -> list[tuple[int, int, int]]:
    """``(row, start, end)`` (end inclusive) of the runs of True along the rows of a 2-D
    mask at least ``min_len`` long, row by row and left to right (one pass over the mask)."""
    h, w = mask.shape
    pad = np.zeros((h, w + 2), dtype=np.int8)
    pad[:, 1:-1] = mask
    d = np.diff(pad, axis=1)
    rows, starts = nonzero_rc(d == 1)
    _rows_e, ends = nonzero_rc(d == -1)
    ends -= 1
    keep = np.flatnonzero(ends - starts + 1 >= min_len)
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist(),
                    strict=True))


def _axis_strokes(dark: NDArray[np.bool_]) -> list[Stroke]:
    """Axis lines and their tick marks as strokes (pixel coordinates, index = centre)."""
    h, w = dark.shape
    black: Colour = (0.0, 0.0, 0.0)
    out: list[Stroke] = []
    # horizontal axis lines: rows with a dark run of at least 30 % of the width
    dark_t = np.ascontiguousarray(dark.T)  # columns as rows: vertical runs and ticks
    hlines: list[tuple[int, int, int, int]] = []  # row0, row1, col0, col1
    for r, a, b in _long_runs(dark, 0.3 * w):
        if hlines and hlines[-1][1] == r - 1 and abs(hlines[-1][2] - a) <= 2:
            r0, _, c0, c1 = hlines[-1]
            hlines[-1] = (r0, r, min(c0, a), max(c1, b))
        else:
            hlines.append((r, r, a, b))
    vlines: list[tuple[int, int, int, int]] = []  # col0, col1, row0, row1
    for c, a, b in _long_runs(dark_t, 0.2 * h):
        if vlines and vlines[-1][1] == c - 1 and abs(vlines[-1][2] - a) <= 2:
            c0, _, r0, r1 = vlines[-1]
            vlines[-1] = (c0, c, min(r0, a), max(r1, b))
        else:
            vlines.append((c, c, a, b))
    tick_max = int(0.04 * h)
    for r0, r1, c0, c1 in hlines:
        out.append(Stroke(np.array([[c0, 0.5 * (r0 + r1)], [c1, 0.5 * (r0 + r1)]], float), black))
        for side, start in ((1, r1 + 1), (-1, r0 - 1)):
            rows = range(start, start + side * tick_max, side)
            length = np.zeros(w, dtype=int)
            alive = np.ones(w, dtype=bool)
            for r in rows:
                if not 0 <= r < h:
                    break
                alive &= dark[r]
                if not alive.any():
                    break  # no run goes on: the lengths are final
                length += alive
            cols = (length >= 3) & (length < tick_max)
            for a, b in _runs(cols[c0:c1 + 1]):
                if b - a > 6:
                    continue  # a wide block is not a tick mark
                xc = c0 + 0.5 * (a + b)
                ln = float(length[c0 + a:c0 + b + 1].max())
                y_edge = r1 + 0.5 if side == 1 else r0 - 0.5
                out.append(Stroke(np.array([[xc, y_edge], [xc, y_edge + side * ln]]), black))
    tick_max_x = int(0.04 * w)
    for c0, c1, r0, r1 in vlines:
        out.append(Stroke(np.array([[0.5 * (c0 + c1), r0], [0.5 * (c0 + c1), r1]], float), black))
        for side, start in ((-1, c0 - 1), (1, c1 + 1)):
            length = np.zeros(h, dtype=int)
            alive = np.ones(h, dtype=bool)
            for c in range(start, start + side * tick_max_x, side):
                if not 0 <= c < w:
                    break
                alive &= dark_t[c]
                if not alive.any():
                    break
                length += alive
            tick_rows = (length >= 3) & (length < tick_max_x)
            for a, b in _runs(tick_rows[r0:r1 + 1]):
                if b - a > 6:
                    continue
                yc = r0 + 0.5 * (a + b)
                ln = float(length[r0 + a:r0 + b + 1].max())
                x_edge = c0 - 0.5 if side == -1 else c1 + 0.5
                pts = np.array([[x_edge + side * ln, yc], [x_edge, yc]]) if side == -1 else \
                    np.array([[x_edge, yc], [x_edge + ln, yc]])
                out.append(Stroke(pts, black))
    return out


def _text_words(img: FloatArray, ink: NDArray[np.bool_], g8: NDArray[np.uint8]) -> list[Word]:
    """OCR of glyph-sized components of ``ink`` (dark or coloured pixels); ``g8`` is the
    grey image read (ink at its grey level on white), ``img`` gives the glyphs' colours."""
    from survkit.digitize.ocr import Box, read_clusters

    measure = require("skimage.measure", "reading raster figures")
    ndi = require("scipy.ndimage", "reading raster figures")
    h, w = ink.shape
    lab = measure.label(ink, connectivity=2)
    if lab.max() == 0:
        return []
    area = np.bincount(lab.ravel())
    boxes: list[Box] = []
    shapes: list[tuple[tuple[int, int, int, int], NDArray[np.bool_]]] = []
    too_big: list[int] = []
    for k, sl in enumerate(ndi.find_objects(lab), start=1):
        if sl is None:
            continue
        r0, r1, c0, c1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        hh, ww = r1 - r0, c1 - c0
        if hh > 0.06 * h or ww > 0.08 * w:
            too_big.append(k)
            continue
        if max(hh, ww) < 2:
            continue
        if area[k] > 0.9 * hh * ww and min(hh, ww) > 0.012 * h:
            continue  # a filled block (legend key box), not a glyph
        own = lab[sl] == k
        rr, cc = nonzero_rc(own)
        col = img[rr + r0, cc + c0].mean(axis=0)
        boxes.append(Box(float(c0), float(c1), float(r0), float(r1),
                         (float(col[0]), float(col[1]), float(col[2]))))
        shapes.append(((r0, r1, c0, c1), own))
    # "≤" and "≥", which OCR cannot read: the bar whitened, the chevron read as "<" / ">"
    signs = relation_glyphs([b for b, _ in shapes], [m for _, m in shapes])
    if signs:
        g8 = g8.copy()
        drop: set[int] = set()
        chevrons: dict[int, Box] = {}
        for k, j, rel in signs:
            b0, b1, a0, a1 = rel.bar
            g8[b0:b1, a0:a1] = 255
            if j is not None:
                drop.add(j)
            else:
                chevrons[k] = Box(rel.x0, rel.x1, rel.top, rel.bottom, boxes[k].colour)
        boxes = [chevrons.get(k, b) for k, b in enumerate(boxes) if k not in drop]
    words = read_clusters(g8, boxes, 1.0, text_sized=True) if boxes else []
    words = with_relations(words, [rel for _, _, rel in signs])
    words = _plus_signs(_tees(_stemmed_capitals(words, g8), g8), g8)
    if too_big:
        text_h = float(np.median([b.bottom - b.top for b in boxes])) if boxes else 0.0
        flag = np.zeros(int(lab.max()) + 1, dtype=bool)
        flag[too_big] = True
        crossed, g8x = _glyphs_crossed_by_lines(img, ink, g8, flag[lab], text_h)
        if crossed:
            # read apart, and only numbers kept: the marks ("+") on a curve's level cross
            # it as digits cross a grid line, and are no text
            words += [wd for wd in read_clusters(g8x, crossed, 1.0)
                      if parse_number(wd.text) is not None]
    return words


def _word_ink(wd: Word, g8: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """The ink (darker than 128 in ``g8``) in the box of word ``wd``, cut to the rows and
    columns that hold some (an empty array when none do)."""
    box = g8[int(wd.top):int(np.ceil(wd.bottom)), int(wd.x0):int(np.ceil(wd.x1))] < 128
    rows = np.flatnonzero(box.any(axis=1))
    cols = np.flatnonzero(box.any(axis=0))
    if not len(rows):
        return np.zeros((0, 0), dtype=bool)
    return box[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


#: digits OCR gives for a capital with a straight upright stem on its left
_STEMMED = {"8": "B", "0": "D"}


def _stemmed_capitals(words: list[Word], g8: NDArray[np.uint8]) -> list[Word]:
    """A lone ``8`` or ``0`` after a word of letters on its line (within 1.2 text heights:
    "Arm 8", a name's last word) that has a straight upright stem on its left is the
    capital ``B`` or ``D`` OCR took for the digit: one ink column in its left quarter
    covers 90 % of its ink's height, where an ``8`` or a ``0`` is round (its leftmost
    columns cover the middle of the height only). Read in ``g8`` (ink darker than 128)."""
    out = list(words)
    for i, wd in enumerate(words):
        if wd.text not in _STEMMED or wd.rotated:
            continue
        hgt = wd.bottom - wd.top
        if not any(sum(ch.isalpha() for ch in o.text) >= 2 and not o.rotated
                   and abs(o.yc - wd.yc) < 0.4 * hgt and -2 <= wd.x0 - o.x1 <= 1.2 * hgt
                   for o in words):
            continue
        ink = _word_ink(wd, g8)
        if ink.shape[0] < 8 or ink.shape[1] < 4:
            continue  # too small to tell a stem
        left = ink[:, :max(1, ink.shape[1] // 4)]
        if float(left.mean(axis=0).max()) >= 0.9:
            out[i] = replace(wd, text=_STEMMED[wd.text])
    return out


def _tees(words: list[Word], g8: NDArray[np.uint8]) -> list[Word]:
    """A ``7`` beginning a number that a word other than a count follows on its line (within
    1.5 text heights: "T5 < 1.0" read "75 < 1.0") is the capital ``T`` when its stroke
    stands upright: below its bar (the lower 60 % of its ink's rows) the middle of each
    row's ink stays within 8 % of the glyph's width of one column near the glyph's middle,
    where a ``7``'s stroke runs down to the left. The first glyph is the word's first
    ``1/len`` of its ink's width (digits share one advance). Read in ``g8``."""
    out = list(words)
    for i, wd in enumerate(words):
        t = wd.text
        if len(t) < 2 or t[0] != "7" or not t[1:].isdigit() or wd.rotated:
            continue
        hgt = wd.bottom - wd.top
        if not any(not o.rotated and abs(o.yc - wd.yc) < 0.4 * hgt
                   and 0 <= o.x0 - wd.x1 <= 1.5 * hgt
                   and not o.text.isdigit() for o in words):
            continue
        ink = _word_ink(wd, g8)
        glyph = ink[:, :max(1, ink.shape[1] // len(t))]
        cols = np.flatnonzero(glyph.any(axis=0))
        if glyph.shape[0] < 8 or len(cols) < 4:
            continue
        glyph = glyph[:, cols[0]:cols[-1] + 1]
        width = glyph.shape[1]
        lower = glyph[int(0.4 * glyph.shape[0]):]
        xs = np.arange(width)
        mids = [float(xs[r].mean()) for r in lower if r.any()]
        if len(mids) >= 4 and max(mids) - min(mids) <= 0.08 * width * 2 and \
                abs(float(np.mean(mids)) - 0.5 * (width - 1)) <= 0.2 * width:
            out[i] = replace(wd, text="T" + t[1:])
    return out


def _plus_signs(words: list[Word], g8: NDArray[np.uint8]) -> list[Word]:
    """Short words whose ink is a ``+``: OCR reads a lone plus between two words of a label
    ("Levamisole + 5-FU") as letters ("Sa", at confidence 18). The ink (darker than 128 in
    ``g8``) of a box about as wide as high is a plus when one band of rows holds ink across
    90 % of its width and one band of columns ink down 90 % of its height, both in its
    middle third, and they hold 95 % of its ink."""
    out = list(words)
    for i, wd in enumerate(words):
        if wd.text == "+" or len(wd.text) > 3 or wd.rotated:
            continue
        ink = _word_ink(wd, g8)
        hh, ww = ink.shape
        if hh < 7 or ww < 7:
            continue
        if not 0.7 <= ww / hh <= 1.4:
            continue
        across = ink.mean(axis=1) >= 0.9
        down = ink.mean(axis=0) >= 0.9
        r_band, c_band = np.flatnonzero(across), np.flatnonzero(down)
        if not len(r_band) or not len(c_band):
            continue
        middle = (hh / 3 <= r_band.min() and r_band.max() < 2 * hh / 3
                  and ww / 3 <= c_band.min() and c_band.max() < 2 * ww / 3)
        bands = np.zeros_like(ink)
        bands[r_band.min():r_band.max() + 1, :] = True
        bands[:, c_band.min():c_band.max() + 1] = True
        if middle and float(ink[bands].sum()) >= 0.95 * float(ink.sum()):
            out[i] = replace(wd, text="+")
    return out


def _glyphs_crossed_by_lines(img: FloatArray, ink: NDArray[np.bool_], g8: NDArray[np.uint8],
                             big: NDArray[np.bool_], text_h: float
                             ) -> tuple[list[Box], NDArray[np.uint8]]:
    """Glyphs joined to a dark line drawn through them (a grid line of
    ``theme_linedraw()`` through the numbers at risk), and the grey image with those lines
    whitened.

    In the ink of the components too big to be glyphs (``big``), the pixels of straight
    runs as long as no glyph is (8 % of the width, 6 % of the height) are a line; a line
    pixel with glyph ink on both sides of the line within 3 pixels (above and below a
    horizontal line, left and right of a vertical one) is a glyph's stroke crossing it and
    is kept. The components left that hold such a crossing, at least half the median
    height ``text_h`` of the other glyphs, are glyphs; lone pieces (tick marks on an axis
    line, a curve leaving the frame) are not, as no line goes through them, nor is the
    edge of a tick drawn a pixel thicker than the grid line it continues.
    """
    from survkit.digitize.ocr import Box

    ndi = require("scipy.ndimage", "reading raster figures")
    h, w = ink.shape
    lines = np.zeros_like(big)
    # only rows (columns) holding that many pixels of ``big`` can hold such a run
    rows = np.flatnonzero(big.sum(axis=1) >= 0.08 * w)
    for r, a, b in _long_runs(big[rows], 0.08 * w):
        lines[rows[r], a:b + 1] = True
    cols = np.flatnonzero(big.sum(axis=0) >= 0.06 * h)
    for c, a, b in _long_runs(np.ascontiguousarray(big[:, cols].T), 0.06 * h):
        lines[a:b + 1, cols[c]] = True
    if not lines.any():
        return [], g8
    rest = big & ~lines

    def near(mask: NDArray[np.bool_], axis: int, sign: int) -> NDArray[np.bool_]:
        """Whether ``mask`` holds within 3 pixels on one side (``sign`` +1: before)."""
        out = np.zeros_like(mask)
        m = mask if axis == 0 else mask.T
        o = out if axis == 0 else out.T
        for k in (1, 2, 3):
            if sign > 0:
                o[k:] |= m[:-k]
            else:
                o[:-k] |= m[k:]
        return out

    cross = lines & ((near(rest, 0, 1) & near(rest, 0, -1))
                     | (near(rest, 1, 1) & near(rest, 1, -1)))
    if not cross.any():
        return [], g8
    glyphs = rest | cross
    lab, _n = ndi.label(glyphs, structure=np.ones((3, 3)))
    keep = np.unique(lab[cross & (lab > 0)])
    boxes: list[Box] = []
    objects = ndi.find_objects(lab)
    for k in keep.tolist():
        sl = objects[k - 1]
        if sl is None:
            continue
        r0, r1, c0, c1 = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        if r1 - r0 > 0.06 * h or c1 - c0 > 0.08 * w or r1 - r0 < max(2.0, 0.5 * text_h):
            continue
        rr, cc = nonzero_rc(lab[sl] == k)
        col = img[rr + r0, cc + c0].mean(axis=0)
        boxes.append(Box(float(c0), float(c1), float(r0), float(r1),
                         (float(col[0]), float(col[1]), float(col[2]))))
    if not boxes:
        return [], g8
    g8 = g8.copy()
    g8[lines & ~cross] = 255
    return boxes, g8


def read_raster(path: str | Path) -> Scene:
    """Read a PNG or JPEG figure: axis strokes and (with Tesseract) OCR words."""
    if have_tesseract():
        warm_up()  # the OCR model loads while the image is decoded
    img, raw = _decode(Path(path))
    layers = _layers_from_bytes(raw) if raw is not None else _layers_from_float(img)
    return _scene(img, *layers)


def scene_from_image(img: FloatArray) -> Scene:
    """The scene of an RGB image in [0, 1] (H, W, 3): axis strokes and OCR words."""
    if have_tesseract():
        warm_up()
    return _scene(img, *_layers_from_float(img))


def _scene(img: FloatArray, dark: NDArray[np.bool_], ink: NDArray[np.bool_],
           g8: NDArray[np.uint8]) -> Scene:
    strokes = _axis_strokes(dark)
    notes: list[str] = []
    if have_tesseract():
        words, ticks = detached_ticks(_text_words(img, ink, g8), ink, g8)
        strokes.extend(ticks)
        notes.append("text read by OCR")
    else:
        words = []
        notes.append("tesseract not installed: no text read (x_range/y_range needed)")
    return Scene("raster", float(img.shape[1]), float(img.shape[0]), tuple(strokes),
                 tuple(words), image=img, notes=tuple(notes))


def _frame(scene: Scene) -> tuple[float, float, float, float] | None:
    h = [s for s in scene.strokes if s.bottom - s.top < 1e-9 and s.x1 - s.x0 > 0.3 * scene.width]
    v = [s for s in scene.strokes if s.x1 - s.x0 < 1e-9 and s.bottom - s.top > 0.2 * scene.height]
    if not h or not v:
        return None
    hb = max(h, key=lambda s: s.x1 - s.x0)
    vb = max(v, key=lambda s: s.bottom - s.top)
    return (vb.x0, hb.x1, vb.top, hb.top)


def _panel(scene: Scene, cal: Calibration) -> tuple[int, int, int, int]:
    """Pixel box (c0, c1, r0, r1) inside the axis lines where curves are looked for."""
    left, right, top, bottom = cal.box
    h, w = int(scene.height), int(scene.width)
    vl = [s for s in scene.strokes if s.x1 - s.x0 < 1e-9 and s.bottom - s.top > 0.2 * h
          and s.x0 <= left + 2]
    hl = [s for s in scene.strokes if s.bottom - s.top < 1e-9 and s.x1 - s.x0 > 0.3 * w
          and s.top >= bottom - 2]
    # without an axis line the panel reaches at least to the tick marks: the ticks
    # calibrated may begin at a later label (a "0" OCR glued to its tick mark and left
    # unread), and the curves start left of it, at t = 0 (ggplot's theme_minimal)
    y_ticks = [t.x1 for t in cal.y.ticks if t.x1 < left]
    x_ticks = [t.top for t in cal.x.ticks if t.top > bottom]
    # and to time 0 when the labels of the first ticks were lost (a "0" read as part of
    # the y axis's "0.0" beside it): a KM curve starts at t = 0 -- not over the y labels
    start = left - 0.03 * (right - left)
    zero = unlabelled_zero(cal.x)
    if zero is not None:
        y_text = max((wd.x1 for wd in cal.y.labels if not wd.rotated), default=-np.inf)
        start = min(start, max(zero - 0.01 * (right - left), y_text + 2))
    c0 = int(max((s.x0 for s in vl), default=min(start, max(y_ticks, default=np.inf)))) + 2
    r1 = int(min((s.top for s in hl), default=max(
        bottom + 0.03 * (bottom - top), min(x_ticks, default=-np.inf)))) - 2
    ext_x = 0.08 * (right - left)
    ext_y = 0.06 * (bottom - top)
    # the curves may run on past the last tick label (R's last tick at 50 of an axis to
    # 61): to the frame's right side when the panel is boxed, else to the end of the x
    # axis line, at least 8 % of the tick span past the last tick
    span = bottom - top
    vr = [s.x0 for s in scene.strokes if s.x1 - s.x0 < 1e-9 and s.x0 > right + 2
          and min(s.bottom, bottom) - max(s.top, top) > 0.8 * span]
    axis = min(hl, key=lambda s: s.top) if hl else None
    far = min(vr) - 2 if vr else (axis.x1 if axis is not None else right)
    c1 = int(min(w - 1, max(right + ext_x, far)))
    r0 = int(max(0, top - ext_y))
    return max(c0, 0), c1, r0, min(r1, h - 1)


def _antialiased_grey(sub: FloatArray, gray: FloatArray | None = None,
                      chroma: FloatArray | None = None) -> NDArray[np.bool_]:
    """Grey pixels that are the anti-aliased edge of a darker grey or black line.

    A pixel ``p`` at the edge of a line of ink colour ``c`` on white is the blend
    ``p = α c + (1 − α) · white`` with ``0 < α < 1``; for grey ink the blend of a black line
    looks like a paler grey line of its own. A grey pixel is such a blend when one of its 8
    neighbours is darker by more than 0.15 (mean of RGB; 0.1 when ``p`` is paler than 0.7,
    the shade of a pale grey curve), ``p`` itself is paler than 0.3
    (darker pixels are ink whatever their neighbours) and ``p`` lies within 0.08 (RGB
    distance) of the blend of that neighbour with white of the same darkness. Such pixels
    belong to the darker line (whose own pixels already trace it), never to a class of
    their own. Colour (saturated) pixels are left alone: a colour's blends with white keep
    its hue and fall into its own class.
    """
    h, w = sub.shape[:2]
    if gray is None or chroma is None:
        gray, chroma = _grey_and_chroma(sub)
    out = np.zeros((h, w), dtype=bool)
    # only grey pixels paler than 0.3 and darker than the paper can be such edges, and
    # only those with a neighbour darker by more than 0.15 (the darkest of the 3 x 3 block,
    # the border repeated as the clipped neighbours below repeat it)
    ndi = require("scipy.ndimage", "reading raster figures")
    # (a grey paler than 0.7, the shade of a pale grey curve, is an edge already when its
    # neighbour is darker by 0.1: a grey60 dash's end blends to 0.73)
    darkest = ndi.minimum_filter(gray, size=3, mode="nearest")
    step = np.where(gray > 0.7, 0.1, 0.15)
    rr, cc = nonzero_rc((chroma < 0.25) & (gray > 0.3) & (gray < 0.97)
                        & (darkest < gray - step))
    if len(rr) == 0:
        return out
    pix, gp, sp = sub[rr, cc], gray[rr, cc], step[rr, cc]
    flag = np.zeros(len(rr), dtype=bool)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if dr == 0 and dc == 0:
                continue
            nr, nc = np.clip(rr + dr, 0, h - 1), np.clip(cc + dc, 0, w - 1)
            gn, cn = gray[nr, nc], sub[nr, nc]
            darker = gn < gp - sp
            if not darker.any():
                continue
            alpha = (1.0 - gp) / np.maximum(1.0 - gn, 1e-6)
            blend = 1.0 - alpha[:, None] * (1.0 - cn)
            near = np.linalg.norm(blend - pix, axis=1) < 0.08
            flag |= darker & near & (alpha > 0.05) & (alpha < 0.95)
    out[rr, cc] = flag
    return out


def _colour_classes(pix: FloatArray, min_count: int,
                    where: NDArray[np.bool_] | None = None,
                    split: list[tuple[int, int]] | None = None) -> list[FloatArray]:
    """Centres of the colour clusters of curve pixels (most frequent first).

    ``where`` (the mask the pixels ``pix`` were taken from, in its row-major order) lets
    two grey curves whose darkness differs by less than the grey radius be told apart
    (:func:`_grey_apart`); the index pairs of the classes split so are appended to
    ``split`` (their pixels go to the nearer of the two)."""
    q = np.round(pix * 15).astype(int)
    keys, counts = np.unique(q, axis=0, return_counts=True)
    order = np.argsort(-counts)
    centres: list[FloatArray] = []
    seeds: list[tuple[float, int]] = []  # (darkness of the seed key, its count) per centre
    remaining = np.ones(len(pix), dtype=bool)
    gm = _grey_mean(pix)
    for k in order:
        if counts[k] < max(5, 0.05 * min_count):
            break  # rarer shades are edges and blends, never a class of their own
        c = keys[k] / 15.0
        close = [i for i, z in enumerate(centres) if float(_distance(c, z)) < _RADIUS]
        if close:
            if where is None or not _achromatic(c) or len(close) > 1 or \
                    not _achromatic(centres[close[0]]):
                continue
            d0, n0 = seeds[close[0]]
            dk = float(c.mean())
            # (never black's own shades: a thin black line is 0 on the levels it covers
            # and up to ~0.2 on those that straddle two pixel rows)
            if abs(dk - d0) < 0.15 or min(dk, d0) < 0.15 or \
                    counts[k] < max(min_count, 0.3 * n0) or \
                    not _grey_apart(pix, gm, where, d0, dk):
                continue
            # a grey curve of its own: the two classes split their pixels by darkness
            mine = gm[0] & (np.abs(gm[1] - dk) < np.abs(gm[1] - d0)) & \
                (np.abs(gm[1] - dk) * (_RADIUS / _GREY_RADIUS) < _RADIUS)
            theirs = gm[0] & ~mine & (np.abs(gm[1] - d0) * (_RADIUS / _GREY_RADIUS) < _RADIUS)
            if mine.sum() < min_count:
                continue
            centres[close[0]] = pix[theirs].mean(axis=0)
            centres.append(pix[mine].mean(axis=0))
            if split is not None:
                split.append((close[0], len(centres) - 1))
            seeds.append((dk, int(counts[k])))
            remaining &= ~mine
            continue
        near = _distance(pix, c, gm) < _RADIUS
        if np.sum(near & remaining) < min_count:
            continue
        centres.append(pix[near & remaining].mean(axis=0))
        seeds.append((float(c.mean()), int(counts[k])))
        remaining &= ~near
        if len(centres) >= 8:
            break
    return centres


def _grey_apart(pix: FloatArray, gm: tuple[NDArray[np.bool_], FloatArray],
                where: NDArray[np.bool_], d0: float, dk: float) -> bool:
    """Whether the grey pixels of darkness ``dk`` (within 0.05) are a line of their own
    rather than the anti-aliased part of the line of darkness ``d0`` (a thin black line
    is 0 where it covers a pixel and up to ~0.2 where it straddles two, the two shades
    side by side along it): under a quarter of them touch (8-neighbours) a pixel of
    darkness ``d0``."""
    require("scipy.ndimage", "reading raster figures")
    grey, mean = gm
    a = np.zeros(where.shape, dtype=bool)
    b = np.zeros(where.shape, dtype=bool)
    a[where] = grey & (np.abs(mean - d0) < 0.05)
    b[where] = grey & (np.abs(mean - dk) < 0.05)
    if not b.any():
        return False
    touch = _dilated(a, square=True)
    return float(np.mean(touch[b])) < 0.25


def _dilated(mask: NDArray[np.bool_], iterations: int = 1, square: bool = False
             ) -> NDArray[np.bool_]:
    """``mask`` dilated ``iterations`` times by the 3 x 3 cross (``square``: the 3 x 3
    square), pixels outside the mask counting as False: :func:`scipy.ndimage.binary_dilation`,
    by OpenCV where it is installed (several times faster, the same pixels)."""
    try:
        import cv2
    except ImportError:  # pragma: no cover - opencv is optional
        ndi = require("scipy.ndimage", "reading raster figures")
        st = np.ones((3, 3), dtype=bool) if square else None
        return np.asarray(ndi.binary_dilation(mask, structure=st, iterations=iterations),
                          dtype=bool)
    kernel = np.ones((3, 3), np.uint8) if square else cv2.getStructuringElement(
        cv2.MORPH_CROSS, (3, 3))
    out = cv2.dilate(mask.astype(np.uint8), kernel, iterations=iterations,
                     borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return np.asarray(out, dtype=bool)


def _opened_rows(mask: NDArray[np.bool_], n: int) -> NDArray[np.bool_]:
    """``mask`` opened by a row of ``n`` (odd) pixels, pixels outside the mask counting as
    False: :func:`scipy.ndimage.binary_opening` with ``structure=np.ones((1, n))``, by
    OpenCV where it is installed."""
    try:
        import cv2
    except ImportError:  # pragma: no cover - opencv is optional
        ndi = require("scipy.ndimage", "reading raster figures")
        return np.asarray(ndi.binary_opening(mask, structure=np.ones((1, n), dtype=bool)),
                          dtype=bool)
    kernel = np.ones((1, n), np.uint8)
    m = mask.astype(np.uint8)
    er = cv2.erode(m, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    out = cv2.dilate(er, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return np.asarray(out, dtype=bool)


def _band_width(mask: NDArray[np.bool_], cols: list[list[tuple[int, int]]]) -> float:
    """The line width of a colour's curve: the median height of its vertical pixel runs
    that are part of a horizontal piece (every row of the run lies on a horizontal run at
    least twice the run's height long: a level, not a drop or a mark's upright), weighted
    by their pixels, so that hairlines of the colour in the panel (a band's or a border's
    anti-aliased edge, one pixel high over many columns) do not pass for the curve's
    line; the median height of all runs when no run is part of a horizontal piece."""
    h, w = mask.shape
    length = np.zeros((h, w), dtype=np.int32)
    for r, a, b in _long_runs(mask, 1):
        length[r, a:b + 1] = b - a + 1
    good: list[int] = []
    for c, rs in enumerate(cols):
        for a, b in rs:
            if int(length[a:b + 1, c].min()) >= 2 * (b - a + 1):
                good.append(b - a + 1)
    if not good:
        heights = [b - a + 1 for rs in cols for a, b in rs]
        return float(np.median(heights)) if heights else 1.0
    hs = np.sort(np.asarray(good, dtype=np.float64))
    cum = np.cumsum(hs)
    return float(hs[int(np.searchsorted(cum, 0.5 * cum[-1]))])


def _trace_single(mask: NDArray[np.bool_], c0: int, r0: int, width: float | None = None
                  ) -> tuple[Staircase | None, str | None]:
    """One step curve from the pixels of one colour (panel coordinates offset by c0, r0).

    The line width is that of the colour's horizontal pieces (:func:`_band_width`).
    """
    _h, w = mask.shape
    cols: list[list[tuple[int, int]]] = column_runs(mask)
    heights = [b - a + 1 for rs in cols for a, b in rs]
    if not heights:
        return None, None
    lw = _band_width(mask, cols) if width is None else width
    def separated(rs: list[tuple[int, int]]) -> bool:
        thin = [r for r in rs if r[1] - r[0] + 1 <= 2 * lw + 1]
        return len(thin) >= 2 and thin[-1][0] - thin[0][1] > 3 * lw

    # a KM curve starts at its highest point (S = 1): pixels lower down to the left of it
    # (a legend key at the left edge) are not its start, nor is a piece at the panel's
    # left edge with no ink at or just below its level in the next 2 line widths of
    # columns (what is left of a frame line there)
    reach = max(4, int(2 * lw) + 2)

    def goes_on_from(c: int, row: int) -> bool:
        ahead = cols[c + 1:c + 1 + reach]
        # (ink at the level or just below it: a steep start drops at once)
        hits = sum(1 for rs in ahead if any(b >= row - lw - 1 and a <= row + 2 * reach
                                            for a, b in rs))
        return hits > 0

    # (and a curve starts at the left, at t = 0: pixels at its level far to the right,
    # past a quarter of the panel from the first ink, are no start, but a frame line's end)
    first_ink = next(c for c, rs in enumerate(cols) if rs)
    firsts = sorted((rs[0][0], c) for c, rs in enumerate(cols)
                    if rs and c <= first_ink + 0.25 * w)
    top = next((r for r, c in firsts if c > 2 or goes_on_from(c, r)), firsts[0][0])
    start = next((c for c, rs in enumerate(cols) if rs and rs[0][0] <= top + 2 * lw + 2
                  and rs[0][0] >= top - lw - 1 and (c > 2 or goes_on_from(c, rs[0][0]))),
                 next(c for c, rs in enumerate(cols) if rs and rs[0][0] <= top + 2 * lw + 2
                      and c <= first_ink + 0.25 * w))
    multi = sum(1 for rs in cols if separated(rs))
    present = sum(1 for rs in cols if rs)
    if present and multi > 0.4 * present:
        return None, "two or more curves share one colour: not separated in a raster figure"
    def goes_on(c: int, old: float, new: float) -> bool:
        # a run down from the level that the line leaves at its old level on the right is
        # the lower arm of a censoring mark ("+", "|"), not a drop: a drop leaves the level
        # one way only (the first column with pixels past the run's own stroke decides)
        for c2 in range(c + 1, min(c + int(2 * lw) + 6, w)):
            if not cols[c2]:
                continue
            # (pixels reaching the bottom edge of a line at the new level)
            at_new = any(a - 1 <= new and b >= new + 0.5 * (lw - 1) - 1 for a, b in cols[c2])
            at_old = any(abs(0.5 * (a + b) - old) <= max(1.0, 0.5 * lw)
                         for a, b in cols[c2] if b - a + 1 <= 1.8 * lw + 1)
            if at_new and any(a - 1 <= old <= b + 1 for a, b in cols[c2]):
                continue  # still the stroke down
            return at_old and not at_new
        return False

    def mark_level(c: int, a: float, b: float) -> tuple[float, bool]:
        # a first column taller than a line: the upright of a censoring mark at t = 0
        # ("+", "|") when the line goes on from its middle (the first column after it
        # with thin runs only has one within a quarter of the upright of its middle),
        # else a drop at once from its top; and whether it is a mark's
        mid = 0.5 * (a + b)
        for c2 in range(c + 1, min(c + int(4 * lw) + 7, w)):
            rs2 = cols[c2]
            if not rs2:
                continue
            if any(r1 - r0 + 1 > 1.8 * lw + 1 for r0, r1 in rs2):
                continue  # (still the upright)
            near_mid = [0.5 * (r0 + r1) for r0, r1 in rs2
                        if abs(0.5 * (r0 + r1) - mid) <= 0.25 * (b - a)]
            if near_mid:
                return near_mid[0], True
            break
        return a + 0.5 * (lw - 1), False

    def resumes(c: int, old: float, new: float) -> bool:
        # a column with no ink at the level and no stroke down, only pixels far below it
        # (a legend key, a label), is a gap in the line when its thin pieces go on nearer
        # the old level within 5 % of the panel's width (or four line widths): hidden
        # pieces of it under curves drawn over it (R draws the arms in turn, each over
        # the last), not a drop to those pixels
        mid = old + 0.5 * (new - old)
        for c2 in range(c + 1, min(c + 1 + max(int(0.05 * w), int(4 * lw) + 1), w)):
            if any(old - lw - 1 <= 0.5 * (a + b) <= mid
                   for a, b in cols[c2] if b - a + 1 <= 1.8 * lw + 1):
                return True
        return False

    xs: list[float] = []
    ys: list[float] = []
    level: float | None = None
    in_mark = False  # (whether the trace starts in the middle of a mark's upright)
    pending: list[int] = []  # columns of a drop in progress
    last_x = None
    for c in range(w):
        rs = cols[c]
        if not rs:
            continue
        thin = [r for r in rs if r[1] - r[0] + 1 <= 1.8 * lw + 1]
        if level is None:
            if c >= start:
                a, b = rs[0]
                end = b  # (the runs down from it with gaps of up to 3 rows: an upright
                for r_a, r_b in rs[1:]:  # a JPEG's ringing breaks where its arm crosses)
                    if r_a - end > 3:
                        break
                    end = r_b
                level, in_mark = mark_level(c, a, end) if end - a + 1 > 1.8 * lw + 1 \
                    else (0.5 * (a + b), False)
                xs.append(float(c))
                ys.append(level)
                last_x = c
            continue
        cand = [0.5 * (a + b) for a, b in thin]
        near = [y for y in cand if abs(y - level) <= max(1.0, 0.5 * lw)]
        lower = [y for y in cand if y > level + max(1.0, 0.5 * lw)]
        tall = [r for r in rs if r[1] - r[0] + 1 > 1.8 * lw + 1 and r[1] > level + lw]
        # a run from the level straight down (not standing out above it, as a mark does)
        # is the drop itself: step there, so that a run of close drops is followed step
        # by step instead of being lumped into one
        falls = [r for r in tall if level - lw - 1 <= r[0] <= level + max(1.0, lw)]
        if falls:
            new = max(r[1] for r in falls) - 0.5 * (lw - 1)
            if new > level + max(1.0, 0.5 * lw) and not goes_on(c, level, new):
                # the drop is the middle of the vertical stroke, lw columns wide from c
                if len(xs) > 1 and c + 0.5 * (lw - 1) - xs[-1] <= 2 + 0.5 * (lw - 1):
                    ys[-1] = new  # the same drop, seen over two anti-aliased columns
                else:
                    xs.append(float(c) + 0.5 * (lw - 1))
                    ys.append(new)
                level = new
                pending = []
                last_x = c
                continue
        # a tall run through the level, standing out above it as well as below, is a mark
        # drawn on the curve (its upright) or, where marks crowd a steep stretch, a band of
        # marks the curve runs through the middle of: the level is the run's middle (never
        # rising), and thin runs below it are the arms of the next marks, not levels
        through = [r for r in tall if r[0] < level - max(1.0, 0.5 * lw)]
        if through and not near:
            a, b = max(through, key=lambda r: r[1] - r[0])
            mid = 0.5 * (a + b)
            if mid > level + max(1.0, 0.5 * lw):
                if len(xs) > 1 and c - 0.5 - xs[-1] <= 2:
                    ys[-1] = mid
                else:
                    xs.append(c - 0.5)
                    ys.append(mid)
                level = mid
                pending = []
            last_x = c
            continue
        if tall:
            pending.append(c)
        if near and (not lower or not pending):
            # pixels below a level that goes on, with no stroke down to them yet, are the
            # lower arm of a mark (or a band's edge): the drop comes with its stroke
            level = 0.8 * level + 0.2 * near[0] if abs(near[0] - level) < 0.6 else level
            pending = [p for p in pending if p > c]  # a mark, not a drop
            last_x = c
            continue
        if lower and any(a - 1 <= level <= b + 1 for a, b in rs):
            # the curve's ink goes on at its level in this column: a lower run apart from it
            # is the arm of a mark further on (crowded marks on a steep stretch), not the
            # new level (a drop draws its stroke from the level down)
            last_x = c
            continue
        if lower:
            new = min(lower)
            if not pending and new - level > 4 * lw + 4 and resumes(c, level, new):
                continue  # a gap in the line (under curves drawn over it), not a drop
            drop_x = float(np.mean(pending)) if pending else c - 0.5
            xs.append(drop_x)
            ys.append(new)
            level = new
            pending = []
            last_x = c
    if level is None or last_x is None:
        return None, None
    # one drop seen over two or three anti-aliased columns is one knot
    mx: list[float] = []
    my: list[float] = []
    for xv, yv in zip(xs, ys, strict=True):
        if len(mx) > 1 and xv - mx[-1] <= 2.5:
            my[-1] = yv
        else:
            mx.append(xv)
            my.append(yv)
    my = _level_centres(cols, mx, my, float(last_x), lw)
    x = np.asarray(mx) + c0
    y = np.asarray(my) + r0
    stroke = Stroke(np.column_stack([x, y]), None, width=lw)
    # (a line going on from the middle of a mark's upright at t = 0 is seen to begin there:
    # a mark is drawn centred on its curve's level, with nothing over it; lifelines draws
    # a curve with events at time 0 from S(0) < 1 so, with the mark of a censoring at 0)
    return Staircase(x, y, float(last_x + c0), stroke, start_seen=in_mark), None


def _level_centres(cols: list[list[tuple[int, int]]], xs: list[float], ys: list[float],
                   x_end: float, lw: float) -> list[float]:
    """Each traced level moved to the median centre of the thin runs it lies on (within
    half a line width and a pixel), off the strokes of its drops (half a line width and a
    pixel from its knots): a level set
    from a drop's foot, ``lw`` estimated from runs that bands or touching curves made
    taller, would sit off the middle of its line by the error in ``lw``. Never rising
    (page y never decreasing)."""
    tol = 0.5 * lw + 1.0
    out: list[float] = []
    ends = [*xs[1:], x_end + 1]
    for xa, xb, y in zip(xs, ends, ys, strict=True):
        a = int(np.ceil(xa + 0.5 * lw + 1))
        b = min(int(np.floor(xb - 0.5 * lw - 1)), len(cols) - 1)
        centres = [0.5 * (r0 + r1) for c in range(max(a, 0), b + 1) for r0, r1 in cols[c]
                   if r1 - r0 + 1 <= 1.8 * lw + 1 and abs(0.5 * (r0 + r1) - y) <= tol]
        out.append(float(np.median(centres)) if len(centres) >= 3 else y)
    return np.maximum.accumulate(np.asarray(out, dtype=np.float64)).tolist()


def _without_long_lines(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The mask without straight runs longer than 80 % of the panel's width or 60 % of its
    height (frame, grid lines, axis lines, which span the axes box, 92 % of the panel):
    they would start a false track. A run goes on across gaps of up to 1 % of the panel's
    width (at least 3 pixels): a dotted grid line, or an axis line that a grid drawn over it
    in a paler colour cuts at every tick, is one line; what is left of a removed line where
    another joined it (under 6 pixels) goes with it. A KM curve's last level, after its
    last event, may reach across most of the width (few patients followed long) and
    stays."""
    ndi = require("scipy.ndimage", "reading raster figures")
    h, w = mask.shape
    out = mask.copy()
    gap = max(3, round(0.01 * w))
    for axis, limit in ((1, 0.8 * w), (0, 0.6 * h)):
        closed = _gaps_filled(mask, gap, axis, limit)
        out &= ~_long_straight_runs(closed, axis, limit)
    removed = mask & ~out
    if removed.any():
        # what is left of a removed line where another line joined it (a frame's corner)
        # is no curve either: groups of under 6 pixels within 2 pixels of removed pixels
        lab, _n = ndi.label(out, structure=np.ones((3, 3)))
        sizes = np.bincount(lab.ravel())
        objects = ndi.find_objects(lab)
        for k in (np.flatnonzero(sizes[1:] < 6) + 1).tolist():
            sl = objects[k - 1]
            if sl is None:
                continue
            near = removed[max(sl[0].start - 2, 0):sl[0].stop + 2,
                           max(sl[1].start - 2, 0):sl[1].stop + 2]
            if near.any():
                out[sl] &= lab[sl] != k
    return out


def _long_straight_runs(mask: NDArray[np.bool_], axis: int, limit: float
                        ) -> NDArray[np.bool_]:
    """The pixels of ``mask`` in runs along rows (``axis`` 1) or columns (``axis`` 0) of at
    least ``limit`` pixels: the straight runs' lengths from the changes between
    neighbouring pixels (starts and ends alternate in a line padded with False)."""
    lines = mask if axis == 1 else mask.T
    n, length = lines.shape
    m = np.zeros((n, length + 2), dtype=bool)
    m[:, 1:-1] = lines
    nz = np.flatnonzero(m[:, 1:] != m[:, :-1])
    starts, stops = nz[0::2], nz[1::2]  # flat positions in (n, length + 1): first, after last
    long = (stops - starts) >= limit
    hit = np.zeros((n, length), dtype=bool)
    for a, b in zip(starts[long].tolist(), stops[long].tolist(), strict=True):
        r = a // (length + 1)
        hit[r, a % (length + 1):b - r * (length + 1)] = True
    return hit if axis == 1 else hit.T


def _gaps_filled(mask: NDArray[np.bool_], gap: int, axis: int, limit: float
                 ) -> NDArray[np.bool_]:
    """``mask`` with the gaps of at most ``gap`` pixels between two True pixels of a row
    (``axis`` 1) or column (``axis`` 0) filled (a dotted or broken line made whole), in the
    rows (columns) that can then hold a run of ``limit`` pixels (a pixel at least every
    ``gap + 1``); the others as they are."""
    m = mask if axis == 1 else mask.T
    n = m.shape[1]
    rows = np.flatnonzero(m.sum(axis=1) >= limit / (gap + 1))
    out = m.copy()
    if len(rows):
        sub = m[rows]
        idx = np.arange(n)
        before = np.maximum.accumulate(np.where(sub, idx, -1), axis=1)
        after = np.minimum.accumulate(np.where(sub, idx, n)[:, ::-1], axis=1)[:, ::-1]
        out[rows] = sub | ((before >= 0) & (after < n) & (after - before - 1 <= gap))
    return out if axis == 1 else np.ascontiguousarray(out.T)


def _without_specks(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """The mask without isolated specks: groups of fewer than 6 pixels with no other pixel
    within 3 pixels (stray anti-aliasing, a dot of text), except in the top 4 rows of the
    mask (where curves start). The dots and dashes of a dotted or dashed curve are closer
    than that to each other and stay; a speck would start a trace."""
    ndi = require("scipy.ndimage", "reading raster figures")
    lab, _n = ndi.label(_dilated(mask, 3), structure=np.ones((3, 3)))
    sizes = np.bincount(lab[mask], minlength=int(lab.max()) + 1)
    keep = mask & (sizes[lab] >= 6)
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows):
        # a few pixels at the top (S = 1) are a curve's start peeking out from under
        # another curve or a band, not a speck
        keep[rows[0]:rows[0] + 4] |= mask[rows[0]:rows[0] + 4]
    return np.asarray(keep, dtype=bool)


def _trace(mask: NDArray[np.bool_], c0: int, r0: int, notes: list[str],
           keys: Callable[[], int] | None = None, limits: list[Staircase] | None = None,
           x_value: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None,
           ) -> tuple[list[tuple[Staircase, list[float]]], str | None]:
    """The step curves of one colour's pixels (panel coordinates offset by c0, r0), each with
    the page x of its censoring marks; several curves of one colour are followed as tracks
    (:mod:`survkit.digitize.rastertrace`), the outer two of three that bracket the middle one
    are its confidence limits. Dashed and dotted lines, which the count of horizontal pieces
    misses, are counted and traced whole where that explains clearly more pixels
    (:mod:`survkit.digitize.linestyle`). ``mask`` is without long lines
    (:func:`_without_long_lines`);
    ``keys`` counts the legend keys of the colour (called only for three tracks or more);
    ``x_value`` turns page x into the x axis's values (for the doubt's message).

    Returns the curves with their marks, and a doubt: why two curves of the colour may be
    swapped in places (their styles change along them, or look alike where they are apart
    after a touch), or ``None``."""
    # curves are counted on their horizontal pieces (at least 5 pixels long): broken
    # anti-aliased vertical drops would count as extra levels
    require("scipy.ndimage", "reading raster figures")
    flat = _opened_rows(mask, 5)
    lw0 = line_width(column_runs(mask))
    k = count_tracks(column_runs(flat), lw0)
    st1, err = _trace_single(mask, c0, r0)
    single_cover = _coverage([st1], mask, c0, r0) if st1 is not None else 0.0
    if err is None and (st1 is None or single_cover >= 0.9):
        return ([(st1, [])] if st1 is not None else []), None
    kb = bridged_count(mask, lw0)
    traces, lw = trace_tracks(mask, max(k, 2))
    traces, lw = more_tracks_if_dashed(mask, traces, lw, kb, max(k, 2),
                                       partial(_traces_cover, mask=mask, c0=c0, r0=r0))
    if err is None and st1 is not None:
        multi = [Staircase(np.asarray(t.x) + c0, np.asarray(t.y) + r0, float(t.x_end + c0),
                           Stroke(np.zeros((1, 2)), None)) for t in traces if len(t.x) >= 2]
        # (more than the single curve by 0.15, or nearly all: a thin dash-dot line beside
        # a thick solid one is a tenth of the pixels)
        need = max(0.9, min(single_cover + 0.15, 0.98))
        if len(traces) == 2 and (not multi or _coverage(multi, mask, c0, r0) < need):
            # the column-by-column tracks leave pixels unexplained: re-solved over the
            # whole width (rastertrace's pair re-solve)
            traces, lw = trace_tracks(mask, 2, resolve=True)
            multi = [Staircase(np.asarray(t.x) + c0, np.asarray(t.y) + r0, float(t.x_end + c0),
                               Stroke(np.zeros((1, 2)), None)) for t in traces if len(t.x) >= 2]
        if not multi or _coverage(multi, mask, c0, r0) < need:
            return [(st1, [])], None  # one curve after all (its coverage is checked later)
    if not traces:
        return [], None
    out: list[tuple[Staircase, list[float]]] = []
    # a track with clearly fewer columns of its own pixels than the most complete one is
    # dashed (or dotted); the most complete one is solid, whatever its own share (steep
    # stretches and touches lower it)
    top_share = max((t.dash_share for t in traces), default=1.0)
    doubt = "the line styles seen along two curves of one colour change (solid here, " \
        "dashed there): pieces of them may be swapped (check the overlay)" if any(
            t.mixed for t in traces) else None
    unsure = next((t.unsure for t in traces if t.unsure), [])
    if doubt is None and unsure:
        # (a pair of different line styles: the tracking's guess of which is which after
        # they touched is not confirmed by their styles there)
        at = np.asarray(unsure[0], dtype=np.float64) + c0
        lo, hi = (float(v) for v in (x_value(at) if x_value is not None else at))
        more = f" (and {len(unsure) - 1} more stretches)" if len(unsure) > 1 else ""
        doubt = (f"two curves of one colour and different line styles look alike from "
                 f"x = {lo:.3g} to {hi:.3g}{more}, where they are apart: which is which there is "
                 "not told by their pixels (check the overlay)")
    for t in traces:
        x = np.asarray(t.x) + c0
        y = np.asarray(t.y) + r0
        dash = _dash_of(t.dash_share, top_share, len(traces))
        stroke = Stroke(np.column_stack([x, y]), None, width=lw, dash=dash)
        out.append((Staircase(x, y, float(t.x_end + c0), stroke, ink_share=t.dash_share),
                    [m + c0 for m in t.marks]))
    if len(out) == 2 and _same_path(out[0][0], out[1][0]):
        # two tracks along one curve (crowded marks standing out as a second level):
        # one curve, the one with more columns of its own pixels, as one curve is solid
        keep = max(range(2), key=lambda i: traces[i].dash_share)
        st = out[keep][0]
        solid = Staircase(st.x, st.y, max(a[0].x_end for a in out), Stroke(
            st.stroke.points, None, width=st.stroke.width))
        return [(solid, sorted(set(out[0][1]) | set(out[1][1])))], None
    if len(out) >= 3:
        out = _without_limits(out, lw, notes, keys, limits)
    return out, doubt


#: line styles of the tracks of one colour, told by their share of columns with pixels of
#: their own relative to the most complete track (the solid one): of two tracks, one
#: 0.12 below is dashed; of three or more (solid, dashed and dotted: matplotlib's "-",
#: "--", ":" give about 1, 0.92 and 0.46 of the solid one's share where they run together
#: and touch), one 0.05 below is dashed and one under 0.6 of it dotted
_DASHED_BELOW_2, _DASHED_BELOW_3, _DOTTED_UNDER = 0.12, 0.05, 0.6


def _dash_of(share: float, top: float, n_tracks: int) -> tuple[float, ...]:
    """The dash pattern standing for a track's style (``()`` solid, ``(4, 4)`` dashed,
    ``(1, 2)`` dotted) from its share of own columns ``share``, the largest share ``top``
    among the ``n_tracks`` tracks of its colour."""
    if n_tracks < 2:
        return ()
    if n_tracks == 2:
        return (4.0, 4.0) if share < top - _DASHED_BELOW_2 else ()
    if top > 0 and share < _DOTTED_UNDER * top:
        return (1.0, 2.0)
    return (4.0, 4.0) if share < top - _DASHED_BELOW_3 else ()


def _traces_cover(traces: list[Trace], *, mask: NDArray[np.bool_], c0: int, r0: int
                  ) -> float:
    """Share of the mask's pixels the traces explain (:func:`_coverage`)."""
    multi = [Staircase(np.asarray(t.x) + c0, np.asarray(t.y) + r0, float(t.x_end + c0),
                       Stroke(np.zeros((1, 2)), None)) for t in traces if len(t.x) >= 2]
    return _coverage(multi, mask, c0, r0) if multi else 0.0


def _knots_with(limit: Staircase, curve: Staircase, tol: float, shift: float = 0.0) -> float:
    """Share of the knots of ``limit`` within ``tol`` pixels of a knot of ``curve`` (moved
    by ``shift`` pixels)."""
    knots = limit.x[1:]
    if len(knots) == 0 or len(curve.x) < 2:
        return 0.0
    ref = curve.x[None, 1:] + shift
    return float(np.mean(np.min(np.abs(knots[:, None] - ref), axis=1) <= tol))


def _change_together(a: Staircase, b: Staircase, tol: float) -> bool:
    """Whether two staircases change at the same times more often than chance: the share of
    each one's knots within ``tol`` pixels of a knot of the other exceeds, by 0.2 or more,
    the share found with the other's knots moved by 6 to 13 pixels either way (what knots
    at unrelated times give for curves this dense). The upper and lower Greenwood limits
    of one curve both change at its event times; two arms' curves drop at their own."""
    shifts = (-13.0, -9.0, -6.0, 6.0, 9.0, 13.0)
    for p, q in ((a, b), (b, a)):
        chance = float(np.mean([_knots_with(p, q, tol, s) for s in shifts]))
        if _knots_with(p, q, tol) < chance + 0.2:
            return False
    return True


def _without_limits(found: list[tuple[Staircase, list[float]]], lw: float, notes: list[str],
                    keys: Callable[[], int] | None = None,
                    limits_out: list[Staircase] | None = None
                    ) -> list[tuple[Staircase, list[float]]]:
    """The curves among three or more traced in one colour, without the pointwise
    confidence limits drawn as lines of the curve's colour (R's ``plot(survfit,
    conf.int = TRUE)``).

    A track that follows another (within two line widths) is a duplicate. Then a triple of
    tracks (upper, middle, lower) is a curve and its limits when the middle lies between
    the other two over their common span, at a median distance of three line widths or
    more from each, and either the outer two change mostly where the
    middle drops (60 % of their knots within 2.5 pixels of one of its knots: a Greenwood
    limit changes at event times only, another arm's curve drops at its own times), or
    the outer two change at the same times more often than chance
    (:func:`_change_together`), or the outer two share a line style the middle does not
    have, or the legend shows one key of the colour (``keys() == 1``: one arm drawn in it).
    The limits found are appended to ``limits_out``.
    """
    kept: list[tuple[Staircase, list[float]]] = []
    for st, mk in found:
        if any(_same_path(st, other) for other, _ in kept):
            continue
        kept.append((st, mk))
    if len(kept) < 3:
        return kept
    lo_x = max(st.x[0] for st, _ in kept)
    hi_x = min(st.x_end for st, _ in kept)
    xs = np.linspace(lo_x, hi_x, 200) if hi_x > lo_x else np.array([lo_x])
    kept.sort(key=lambda z: float(np.median(_levels(z[0], xs))))
    tol = lw + 1.0
    limits: set[int] = set()
    for m in range(1, len(kept) - 1):
        mid = kept[m][0]
        for i in range(m):
            for j in range(m + 1, len(kept)):
                if {i, j, m} & limits:
                    continue
                up, low = kept[i][0], kept[j][0]
                span = np.linspace(max(up.x[0], mid.x[0], low.x[0]),
                                   min(up.x_end, mid.x_end, low.x_end), 200)
                ym = _levels(mid, span)
                yu, yl = _levels(up, span), _levels(low, span)
                if not (np.all(yu <= ym + tol) and np.all(yl >= ym - tol)):
                    continue
                if np.median(ym - yu) < 3 * lw or np.median(yl - ym) < 3 * lw:
                    continue  # limits are drawn apart from their curve, not along it
                styled = up.dashed == low.dashed and up.dashed != mid.dashed
                timed = min(_knots_with(up, mid, 2.5), _knots_with(low, mid, 2.5)) >= 0.6
                if styled or timed or _change_together(up, low, 2.5) or (
                        keys is not None and keys() == 1):
                    limits.update((i, j))
    if limits_out is not None:
        limits_out.extend(z[0] for k, z in enumerate(kept) if k in limits)
    if limits:
        notes.append(f"{len(limits)} confidence-limit line(s) in a curve's colour recognised "
                     "(they bracket the curve and change where it drops) and left out")
    return [z for k, z in enumerate(kept) if k not in limits]


#: the least channel spread of a pale line's colour (a thin run of it is a curve)
_TINT = 0.18
#: the palest grey a thin line of which is a curve (ggplot's grey scale ends at 0.8)
_PALE_GREY = 0.85


def _curve_pixels(scene: Scene, sub: FloatArray, c0: int, r0: int,
                  text_out: NDArray[np.bool_] | None = None) -> NDArray[np.bool_]:
    """The pixels of the panel ``sub`` (its top left at page pixel ``c0, r0``) that may be
    curves: saturated or dark ink (not the pale tint of a CI band), without the
    anti-aliased edges of dark lines (:func:`_antialiased_grey`) and without text. Ink is
    grey or black (channel spread < 0.25) no paler than 0.7, a saturated colour (spread
    ≥ 0.4) no paler than 0.7, or a colour of moderate spread (≥ 0.25) with mean ≤ 0.5
    (R's ``darkgreen``, viridis' dark purples) or with its darkest channel ≤ 0.5 (tab10's
    purple ``#9467bd``, Okabe–Ito's reddish purple ``#cc79a7``). A translucent band is
    the blend ``p = 1 − α (1 − c)`` of its colour ``c`` with white, ``α`` about 0.3 (two
    bands over each other about 0.5): its darkest channel ``1 − α (1 − min c)`` stays
    above 0.5 and its spread ``α · spread(c)`` is small. A tinted grey (spread 0.1 to
    0.25) paler than 0.55 is such a faded colour (a band's edge, bands overlapping), not
    grey ink; a darker one is a grey curve seen through another arm's band (ggsci's grey
    ``#868686``, 0.53, under a red band).

    Text is a word OCR read with at least 3 letters or digits (a legend label, an
    annotation) and, left of a word with letters, its legend key; shorter "words" inside a
    panel are mostly OCR of curve pieces (dashes read as "-", "=", "L") and stay curve
    pixels, as do words a line runs through (:func:`_struck_through`) and words wider than
    their characters can be (a mean character over ``_WIDEST_GLYPH`` box heights wide: the
    dashes and ``+`` marks of a coloured dashed line read as a few letters) or whose ink
    lies mostly in a few rows (:func:`line_like`: a grey dashed line read as "title"). The
    short words
    that continue a text word on its line, within 1.2 text heights ("Surgery" "+" "RT"), are
    text too. ``text_out``, when given, is set where text was left out.
    """
    img = scene.image
    gray, chroma = _grey_and_chroma(sub)
    # (the darkest channel by planes: sub.min(axis=2)'s values at a third of its time)
    low = np.minimum(np.minimum(sub[..., 0], sub[..., 1]), sub[..., 2])
    curve_px = (((chroma >= 0.4) & (gray <= 0.7))
                | ((gray <= 0.7) & (chroma < 0.25) & ((chroma < 0.1) | (gray <= 0.55)))
                | ((chroma >= 0.25) & ((gray <= 0.5) | (low <= 0.5))))
    # a pale colour of moderate spread (matplotlib's ggplot-style purple #988ed5, mean
    # 0.66, darkest channel 0.56) looks like a band's tint pixel by pixel; it is a line
    # where it is thin: a level is a few pixels high, a drop a few pixels wide, while a
    # band is wide and high at once
    pale = (chroma >= 0.25) & (gray <= 0.7) & ~curve_px
    # ... and so does a pale colour whose spread falls just short of 0.25 (ColorBrewer's
    # Set2 blue #8da0cb: spread 0.24, mean 0.66), which pixel by pixel is a band's edge
    pale |= (chroma >= _TINT) & (chroma < 0.25) & (gray > 0.55) & (gray <= 0.7)
    thin = max(4.0, 0.03 * sub.shape[0])
    # ... and so does a pale grey (ggplot's scale_colour_grey ends at grey80): a line where
    # it is thin, the shade of a grid line (grey92) or a panel's fill left out -- unless its
    # patch is thick anywhere (a grey band, thin where the limits are close)
    pale |= _thin_pale_grey(gray, chroma, thin)
    if pale.any():
        curve_px |= pale & ((_run_lengths(pale, 0) <= thin) | (_run_lengths(pale, 1) <= thin))
    curve_px &= ~_antialiased_grey(sub, gray, chroma)
    struck: dict[int, bool] = {}

    def struck_through(wd: Word) -> bool:
        if id(wd) not in struck:
            struck[id(wd)] = _struck_through(wd, img)
        return struck[id(wd)]

    text: list[Word] = []
    for wd in scene.words:
        if sum(ch.isalnum() for ch in wd.text) < 3 or struck_through(wd):
            continue
        hgt = wd.bottom - wd.top
        if wd.x1 - wd.x0 > _WIDEST_GLYPH * hgt * len(wd.text):
            continue  # wider than its letters can be: OCR of a dashed line and its marks
        if _mark_pieces(wd.text):
            continue  # "Hh-H4": a dashed line's pieces and its "+" marks
        if line_like(wd, img):
            continue  # "title": a dashed line and its marks, most ink in a line's rows
        text.append(wd)
    # a legend's entries start under each other: a word of two letters or digits ("≤20"
    # of "≤20 mm") that starts where a text word of as tall a line within three text
    # heights above or below it starts begins an entry too (its key is cut out below)
    entries: list[Word] = []  # (and the text words they start under or over)
    for wd in scene.words:
        hgt = wd.bottom - wd.top
        if wd in text or wd.rotated or sum(ch.isalnum() for ch in wd.text) < 2 or \
                wd.x1 - wd.x0 > _WIDEST_GLYPH * hgt * len(wd.text):
            continue
        above = [t for t in text if not t.rotated and abs(wd.x0 - t.x0) <= 0.3 * hgt
                 and abs(hgt - (t.bottom - t.top)) <= 0.2 * max(hgt, t.bottom - t.top)
                 and 0.5 * hgt < abs(wd.yc - t.yc) <= 3.0 * hgt]
        if above and not struck_through(wd):
            entries += [wd, *(t for t in above if t not in entries)]
    # (a label that begins with a relation sign read as a word of its own, "<=" "20" "mm",
    # "> 50 mm", begins an entry too)
    entries += [wd for wd in scene.words if not wd.rotated and wd.text in RELATIONS
                and wd not in entries and _number_before_a_word(wd, scene.words)]
    text.extend(wd for wd in entries if wd not in text)
    # the rest of a label after a word of it ("Surgery" "+" "RT"): short words that follow
    # a text word on its line within a glyph gap are text too
    rest = [wd for wd in scene.words if not wd.rotated and wd not in text]
    grown = True
    while grown:
        grown = False
        for wd in rest:
            if wd in text or struck_through(wd):
                continue
            if any(abs(wd.yc - t.yc) < 0.4 * _line_height(t, scene.words) and
                   -2 <= wd.x0 - t.x1 <= 1.2 * _line_height(t, scene.words) for t in text):
                text.append(wd)
                grown = True
    # (a legend's box is found on the pixels before the text and its keys are cut out:
    # the cut-outs may reach its left side and break it at every label)
    uncut = curve_px.copy()
    for wd in text:
        hgt = _line_height(wd, scene.words)
        key = 4.5 * hgt if sum(ch.isalnum() for ch in wd.text) >= 3 and any(
            ch.isalpha() for ch in wd.text) else 0.0
        if wd in entries:  # (an entry's label: the words of its line from it on)
            label = "".join(t.text for t in text if abs(t.yc - wd.yc) < 0.4 * hgt
                            and 0 <= t.x0 - wd.x0 <= 12 * hgt)
            if sum(ch.isalnum() for ch in label) >= 3 and any(ch.isalpha() for ch in label):
                key = 4.5 * hgt
        a0 = int(max(wd.x0 - key - c0, 0))
        a1 = int(min(wd.x1 + 2 - c0, sub.shape[1] - 1))
        b0 = int(max(wd.top - 2 - r0, 0))
        b1 = int(min(wd.bottom + 2 - r0, sub.shape[0] - 1))
        if a1 > a0 and b1 > b0:
            curve_px[b0:b1 + 1, a0:a1 + 1] = False
            if text_out is not None:
                text_out[b0:b1 + 1, a0:a1 + 1] = True
    frame = _legend_frames(uncut, [wd for wd in text if not wd.rotated
                                      and any(ch.isalpha() for ch in wd.text)], c0, r0)
    curve_px &= ~frame
    return curve_px


def _thin_pale_grey(gray: FloatArray, chroma: FloatArray, thin: float) -> NDArray[np.bool_]:
    """Pale grey pixels (channel spread under 0.1, mean over 0.7 and at most
    :data:`_PALE_GREY`) whose 8-connected patch is a line: under 1 % of its pixels are
    the middle of a square ``thin / 2`` pixels wide inside it (a line is thinner than
    that, a level's corner with a drop too). A grey band is a thin patch where its limits
    are close, but thick elsewhere; the curve drawn inside it cuts it in two patches,
    each of them thick where the band is wide."""
    grey = (chroma < 0.1) & (gray > 0.7) & (gray <= _PALE_GREY)
    if not grey.any():
        return grey
    ndi = require("scipy.ndimage", "reading raster figures")
    side = int(np.ceil(thin / 2)) + 1
    thick = ndi.binary_erosion(grey, structure=np.ones((side, side), dtype=bool))
    lab, n = ndi.label(grey, structure=np.ones((3, 3), dtype=bool))
    size = np.bincount(lab.ravel(), minlength=n + 1)
    wide = np.bincount(lab[thick], minlength=n + 1)
    line = wide <= 0.01 * size
    line[0] = False
    return line[lab]


def _legend_frames(ink: NDArray[np.bool_], labels: list[Word], c0: int, r0: int
                   ) -> NDArray[np.bool_]:
    """The pixels of boxes drawn around legend text inside the panel (R's ``legend()``
    draws one by default): straight lines of ``ink`` (the panel's, its top left at page
    pixel ``c0, r0``) along a group of labels (words within 1.5 text heights of each other).

    A side is a row within two text heights above or below the group whose ink covers the
    group's whole width, or a column within six text heights left (the keys are between) or
    two right of it whose ink covers its whole height, its straight run no longer than the
    group by 12 (a row) or 6 (a column) text heights (the panel's frame and axis lines are
    longer); a box has a row side and a column side (a box clipped by the panel's frame
    keeps two). A curve's drop beside the labels is no side: its level comes in from the
    left at its top (a column left of them), or goes on to the right at its foot (right of
    them), and only that way; a box's side turns the other way there, or meets the
    panel's frame, which runs both ways. Each side is taken along its whole
    straight run, as are the rows (columns) next to it that qualify (a line of several
    pixels)."""
    h, w = ink.shape
    out = np.zeros_like(ink)
    groups: list[list[float]] = []  # x0, x1, top, bottom, height (panel pixels)
    for wd in sorted(labels, key=lambda x: (x.top, x.x0)):
        box = [wd.x0 - c0, wd.x1 - c0, wd.top - r0, wd.bottom - r0, wd.bottom - wd.top]
        for g in groups:
            gap = 1.5 * max(g[4], box[4])
            if box[0] <= g[1] + gap and box[1] >= g[0] - gap and \
                    box[2] <= g[3] + gap and box[3] >= g[2] - gap:
                g[:] = [min(g[0], box[0]), max(g[1], box[1]), min(g[2], box[2]),
                        max(g[3], box[3]), max(g[4], box[4])]
                break
        else:
            groups.append(box)
    for x0, x1, top, bottom, hgt in groups:
        a, b = int(max(x0, 0)), int(min(x1, w - 1))
        t, u = int(max(top, 0)), int(min(bottom, h - 1))
        if b <= a or u <= t:
            continue
        reach = int(2 * hgt) + 1
        rows: list[tuple[int, int, int]] = []  # row, first and last column of its run
        for r in [*range(max(t - reach, 0), t), *range(u + 1, min(u + reach, h))]:
            if ink[r, a:b + 1].all():
                lo, hi = _run_through(ink[r], a, b)
                if hi - lo <= (b - a) + 12 * hgt:  # not a line across the panel
                    rows.append((r, lo, hi))
        cols: list[tuple[int, int, int]] = []
        for c in [*range(max(a - int(6 * hgt), 0), a), *range(b + 1, min(b + reach, w))]:
            if not ink[t:u + 1, c].all():
                continue
            lo, hi = _run_through(ink[:, c], t, u)
            if hi - lo > (u - t) + 6 * hgt:
                continue
            # a curve's drop beside the labels has its level coming in from the left at its
            # top (left of them) or going on to the right at its foot (right of them); a
            # box's side turns the other way, or runs into the panel's frame
            r_end = lo if c < a else hi
            band = ink[max(r_end - 1, 0):r_end + 2]
            to_left = bool((band[:, max(c - 4, 0):c].sum(axis=1) >= 3).any())
            to_right = bool((band[:, c + 1:c + 5].sum(axis=1) >= 3).any())
            if (to_left and not to_right) if c < a else (to_right and not to_left):
                continue
            cols.append((c, lo, hi))
        if not rows or not cols:
            continue
        for r, lo, hi in rows:
            out[r, lo:hi + 1] = True
        for c, lo, hi in cols:
            out[lo:hi + 1, c] = True
    return out


def _run_through(line: NDArray[np.bool_], a: int, b: int) -> tuple[int, int]:
    """The first and last index of the run of True in ``line`` that holds ``line[a:b + 1]``
    (all True)."""
    off = np.flatnonzero(~line[:a])
    lo = int(off[-1]) + 1 if len(off) else 0
    off = np.flatnonzero(~line[b + 1:])
    hi = b + int(off[0]) if len(off) else len(line) - 1
    return lo, hi


def _run_lengths(mask: NDArray[np.bool_], axis: int) -> NDArray[np.int64]:
    """For every True pixel of ``mask``, the length of the run of True it lies in along
    ``axis`` (0: its column, 1: its row); 0 elsewhere."""
    m = mask if axis == 1 else mask.T
    h, w = m.shape
    pad = np.zeros((h, w + 1), dtype=bool)
    pad[:, :w] = m
    flat = pad.ravel()
    d = np.diff(np.concatenate([[False], flat]).astype(np.int8))
    lengths = np.flatnonzero(d == -1) - np.flatnonzero(d == 1)
    out = np.zeros(flat.shape, dtype=np.int64)
    out[flat] = np.repeat(lengths, lengths)
    res = out.reshape(h, w + 1)[:, :w]
    return np.ascontiguousarray(res if axis == 1 else res.T)


def _tint_of(q: FloatArray, colour: FloatArray, under: FloatArray) -> NDArray[np.bool_]:
    """Whether pixels ``q`` (..., 3) lie on a translucent band of ``colour`` (maybe over a
    band of ``under``): ``1 − q = a (1 − colour) + b (1 − under)`` (least squares, within
    0.06) with ``0.1 ≤ a ≤ 0.6`` and ``0 ≤ b ≤ 0.6`` (two bands over each other are, to
    first order in their opacities, the sum of their tints)."""
    u = np.column_stack([1.0 - colour, 1.0 - under])
    if abs(float(np.linalg.det(u.T @ u))) < 1e-9:
        return np.zeros(q.shape[:-1], dtype=bool)
    y = (1.0 - q).reshape(-1, 3).T
    coef, *_ = np.linalg.lstsq(u, y, rcond=None)
    res = np.linalg.norm(y - u @ coef, axis=0)
    a, b = coef
    ok = (a >= 0.1) & (a <= 0.6) & (b >= -0.05) & (b <= 0.6) & (res < 0.06)
    return np.asarray(ok.reshape(q.shape[:-1]))


def _seen_through(sub: FloatArray, curve_px: NDArray[np.bool_], pix: FloatArray,
                  centres: list[FloatArray]) -> dict[int, int]:
    """Classes that are a saturated curve's colour seen through another arm's band.

    A band of colour ``c_j`` and opacity ``α`` drawn over a curve of colour ``c_i`` gives
    ``p = (1 − α) c_i + α c_j`` (the *over* operator of Porter & Duff, SIGGRAPH 1984): a
    class centre within 0.04 of that segment with ``0.1 ≤ α ≤ 0.45``, fewer pixels than
    class ``i``, is such a blend when it lies inside ``j``'s band: at least half the
    non-curve pixels around it (2 pixels out) are the tint of ``c_j``, maybe over ``c_i``'s
    own band (:func:`_tint_of`).
    A curve of a colour of its own lies on paper, not on a band of one of the others.
    Returns {blend class: curve class}."""
    require("scipy.ndimage", "reading raster figures")
    gm = _grey_mean(pix)
    sat = [k for k, c in enumerate(centres) if float(c.max() - c.min()) >= 0.4]
    out: dict[int, int] = {}
    counts = [int(np.sum(_distance(pix, c, gm) < _RADIUS)) for c in centres]
    for k, ck in enumerate(centres):
        if k in sat[:1]:
            continue
        ring: NDArray[np.bool_] | None = None
        for i in sat:
            if i == k or counts[i] <= counts[k]:
                continue
            for j in sat:
                if j in (i, k):
                    continue
                d = centres[j] - centres[i]
                alpha = float((ck - centres[i]) @ d) / max(float(d @ d), 1e-9)
                if not 0.1 <= alpha <= 0.45 or \
                        float(np.linalg.norm(ck - centres[i] - alpha * d)) >= 0.04:
                    continue
                if ring is None:
                    mine = np.zeros(curve_px.shape, dtype=bool)
                    mine[curve_px] = _distance(pix, ck, gm) < _RADIUS
                    ring = _dilated(mine, 2) & ~curve_px
                around = sub[ring]
                if len(around) and float(np.mean(_tint_of(around, centres[j],
                                                          centres[i]))) >= 0.5:
                    out[k] = i
                    break
            if k in out:
                break
    return out


#: fewest pixels of a curve's colour seen through another arm's band worth assigning
_THROUGH_MIN = 10


def band_seam(sub: FloatArray, mask: NDArray[np.bool_], centre: FloatArray,
               curves: list[FloatArray]) -> bool:
    """Whether the pixels ``mask`` of colour ``centre`` are one arm's band edge drawn over
    another arm's band (lifelines draws its bands with a translucent edge), not a curve.

    Two witnesses, both needed: the colour is a mix of white and the colours of two curves
    already found, ``centre ≈ λ₀·white + λ₁ c₁ + λ₂ c₂`` (non-negative, summing to 1; white
    at least 0.25 and each curve at least 0.1, every channel within 0.05: what two
    translucent layers over white give by the *over* operator); and the line lies inside
    tinted regions: in at least half of its columns, the pixels three rows above and three
    rows below its topmost run are both not white, and one of them is not a paler shade of
    its own colour either (a curve's own band is such a shade; the overlap under the seam
    looks like one). A real pale curve (a grey arm among blue and orange ones) lies on
    white or on its own band, so is kept.
    """
    if len(curves) < 2 or not mask.any():
        return False
    from scipy.optimize import nnls

    c = np.asarray(centre, dtype=np.float64)

    def mix_of(a: FloatArray, b: FloatArray) -> bool:
        m = np.column_stack((np.ones(3), a, b))
        lam, _ = nnls(np.vstack((m, 10.0 * np.ones(3))), np.append(c, 10.0))
        return bool(float(np.abs(m @ lam - c).max()) <= 0.05 and lam[0] >= 0.25
                    and lam[1] >= 0.1 and lam[2] >= 0.1)

    if not any(mix_of(a, b) for a, b in itertools.combinations(curves, 2)):
        return False
    h = mask.shape[0]
    cols = np.flatnonzero(mask.any(axis=0))
    runs = column_runs(mask)
    top = np.array([runs[k][0][0] for k in cols], dtype=np.int64)  # (each topmost run)
    below = np.array([runs[k][0][1] for k in cols], dtype=np.int64)
    up, down = top - 3, below + 3
    ok = (up >= 0) & (down < h)
    if ok.sum() < 10:
        return False
    cols, up, down = cols[ok], up[ok], down[ok]

    def shade(px: FloatArray) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        # (not white, not on the segment from white to the centre: its own shade)
        t = np.clip(((1.0 - px) @ (1.0 - c)) / max(float((1.0 - c) @ (1.0 - c)), 1e-9),
                    0.0, 1.0)
        off = np.abs(px - (1.0 - t[:, None] * (1.0 - c))).max(axis=1)
        return (1.0 - px).max(axis=1) > 0.08, off > 0.06

    (ink_up, other_up), (ink_down, other_down) = shade(sub[up, cols, :3]), shade(
        sub[down, cols, :3])
    both = ink_up & ink_down & (other_up | other_down)
    return float(np.mean(both)) >= 0.5


def _through_bands(sub: FloatArray, curve_px: NDArray[np.bool_], pix: FloatArray,
                   centres: list[FloatArray], index: list[int],
                   shade_of: NDArray[np.int64]) -> None:
    """Give the curve pixels of no class that are a saturated curve's colour seen through
    another arm's translucent band to that curve (``shade_of``, one entry per pixel of
    ``pix = sub[curve_px]``, is set to the curve's class ``index[i]`` where it is -1).

    Where two arms run together, each curve lies under the other's band and along the
    other's line (drawn over it, it shows only at its edge): its pixels are
    ``p = (1 − α) c_i + α c_j`` (the *over* operator, Porter & Duff, SIGGRAPH 1984), too
    few to make a class of their own (:func:`_seen_through` handles those that do) and too
    far from ``c_i`` to be within :data:`_RADIUS` of it, so that the curve is lost along
    them. A pixel within 0.04 of that segment with ``0.1 ≤ α ≤ 0.45`` (more of the curve
    than of the other's line or band) is curve ``i``'s when, for the pair ``(i, j)``, at
    least :data:`_THROUGH_MIN` such pixels are found and at least half the non-curve pixels
    around them (2 pixels out) are the tint of a band of ``c_j`` or of ``c_i``, maybe over
    the other's (:func:`_tint_of`): the curves run inside their bands. (Without bands, such
    blends are the anti-aliased pixels where two lines cross or touch, and stay out.)
    """
    sat = [k for k, c in enumerate(centres) if float(c.max() - c.min()) >= 0.4]
    if len(sat) < 2:
        return
    fi = np.flatnonzero(shade_of < 0)
    q = pix[fi]
    gm = _grey_mean(q)
    # (a tinted pixel -- channel spread 0.1 or more -- near a grey class is such a blend
    # too: the grey classes of a colour figure gather blends)
    near_grey = np.zeros(len(q), dtype=bool)
    free = np.ones(len(q), dtype=bool)
    for k, c in enumerate(centres):
        near = _distance(q, c, gm) < _RADIUS
        if k in sat:
            free &= ~near
        else:
            near_grey |= near
    free &= ~near_grey | ((q.max(axis=1) - q.min(axis=1)) >= 0.1)
    if not free.any():
        return
    fi, q = fi[free], q[free]
    pr: NDArray[np.intp] | None = None
    pc: NDArray[np.intp] | None = None
    for i in sat:
        for j in sat:
            if i == j:
                continue
            d = centres[j] - centres[i]
            rel = q - centres[i]
            alpha = (rel @ d) / max(float(d @ d), 1e-9)
            off = np.linalg.norm(rel - alpha[:, None] * d[None, :], axis=1)
            hit = (alpha >= 0.1) & (alpha <= 0.45) & (off < 0.04) & (shade_of[fi] < 0)
            if int(hit.sum()) < _THROUGH_MIN:
                continue
            # (the ring 2 pixels out, within the box of the pixels and 2 pixels on)
            if pr is None or pc is None:
                pr, pc = nonzero_rc(curve_px)
            hr, hc = pr[fi[hit]], pc[fi[hit]]
            ra, rb = max(int(hr.min()) - 2, 0), int(hr.max()) + 3
            ca, cb = max(int(hc.min()) - 2, 0), int(hc.max()) + 3
            mine = np.zeros((min(rb, curve_px.shape[0]) - ra, min(cb, curve_px.shape[1]) - ca),
                            dtype=bool)
            mine[hr - ra, hc - ca] = True
            around = sub[ra:rb, ca:cb][_dilated(mine, 2) & ~curve_px[ra:rb, ca:cb]]
            if len(around) and float(np.mean(_tint_of(around, centres[j], centres[i])
                                             | _tint_of(around, centres[i], centres[j]))) >= 0.5:
                shade_of[fi[hit]] = index[i]


def _shaded_classes(sub: FloatArray, curve_px: NDArray[np.bool_], pix: FloatArray,
                    centres: list[FloatArray], taken: dict[int, int]) -> dict[int, int]:
    """Classes whose centre is a saturated class's colour seen through a translucent grey
    layer (:func:`_shaded`): survminer draws a single arm's grey ribbon over its line, so
    that the line shows in its own colour only where something (its ``+`` marks, the step
    past the ribbon's end) is drawn over the ribbon, and elsewhere in the shaded colour,
    itself dark and saturated enough to be ink of its own. Such a class is the curve's when
    it lies inside a band: at least half the non-curve pixels around it (2 pixels out) are
    not paper (a grey layer lowers every channel; a blend with white — a band of the
    colour, the line's anti-aliased edge — is not a shade, :func:`_shaded`). Classes in
    ``taken`` are left alone. Returns {shaded class: curve class}."""
    gm = _grey_mean(pix)
    sat = [k for k, c in enumerate(centres) if float(c.max() - c.min()) >= 0.4]
    out: dict[int, int] = {}
    for k, ck in enumerate(centres):
        if k in taken or _achromatic(ck):
            continue
        for i in sat:
            if i == k or not bool(_shaded(ck[None, :], centres[i])[0]):
                continue
            mine = np.zeros(curve_px.shape, dtype=bool)
            mine[curve_px] = _distance(pix, ck, gm) < _RADIUS
            around = sub[_dilated(mine, 2) & ~curve_px]
            if len(around) and float(np.mean(around.min(axis=1) < 0.97)) >= 0.5:
                out[k] = i
                break
    return out


def _shaded(sub: FloatArray, centre: FloatArray) -> NDArray[np.bool_]:
    """Which pixels of ``sub`` (..., 3) are the saturated colour ``centre`` seen through a
    translucent grey layer (a grey CI band drawn over the curve: survminer's single arm on
    its grey ribbon).

    A layer of grey ``g`` and opacity ``β`` over a pixel of colour ``c`` gives
    ``p = (1 − β) c + β g``: the channels centred on their mean shrink by ``1 − β``
    (the hue is kept), ``β = 1 − ⟨p − p̄, c − c̄⟩ / |c − c̄|²``, and
    ``g = (p̄ − (1 − β) c̄) / β``. A pixel is ``c`` shaded when its centred channels lie
    within 0.05 of ``(1 − β)(c − c̄)``, ``0.1 ≤ β ≤ 0.45`` (at least 55 % of the colour
    left: a band's own tint keeps about 30 %) and ``g ≤ 0.85``. Blends with white (the
    tint of a band of ``c``, the anti-aliased edges on white paper) have ``g = 1`` and
    never pass: white can lower no channel, so they keep every channel at or above
    ``c``'s (Porter & Duff, *Compositing digital images*, SIGGRAPH 1984: the *over*
    operator).
    """
    cc = centre - centre.mean()
    norm = float(cc @ cc)
    if norm < 1e-6:
        return np.zeros(sub.shape[:-1], dtype=bool)
    mean = sub.mean(axis=-1)
    pc = sub - mean[..., None]
    keep = np.einsum("...k,k->...", pc, cc) / norm
    beta = 1.0 - keep
    res = np.linalg.norm(pc - keep[..., None] * cc, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (mean - keep * float(centre.mean())) / np.maximum(beta, 1e-6)
    return np.asarray((res < 0.05) & (beta >= 0.1) & (beta <= 0.45) & (g <= 0.85)
                      & (g >= 0.0))


#: The characters OCR gives for the pieces of a line and its censoring marks (a ``+`` on
#: a dash reads "H", "h", "k" or "4", a dash "-", an upright "|", "l", "I", "1" or "t").
_MARK_CHARS = frozenset("Hh+-\u2013\u2014|lI1!t4kL=_.,:;'`~")


def _mark_pieces(text: str) -> bool:
    """Whether an OCR word is a line's pieces and its ``+`` marks rather than text: only
    :data:`_MARK_CHARS`, one of them a mark read as a letter (``H``, ``h``, ``k``) or a
    ``+``/``|`` beside a dash ("Hh-H4", "-4-H414-", "-Hh"; a label such as "1-4" has
    none). Such a word is still text when it continues a text word on its line (the rule
    for the rest of a label in :func:`_curve_pixels`)."""
    if not text or any(ch not in _MARK_CHARS for ch in text):
        return False
    dash = any(ch in "-\u2013\u2014" for ch in text)
    return any(ch in "Hhk" for ch in text) or (dash and any(ch in "+|" for ch in text))


#: The widest a word's mean character can be, in heights of its box: text is at most about
#: one height a character ("ECOG" 0.96, "Women" 0.93, lower-case words 0.5–0.8); OCR of a
#: dashed coloured line with its ``+`` marks ("toe", "Tote") spreads a few letters over a
#: long stretch of line (1.2–1.7).
_WIDEST_GLYPH = 1.1


def line_like(wd: Word, img: FloatArray) -> bool:
    """Whether the ink in the box of OCR word ``wd`` lies mostly in a few rows: horizontal
    lines -- a dashed curve and its censoring marks, read as letters ("title"), one level
    or two where it steps down -- not text, whose strokes spread over the letters' height.
    The dense rows (ink, darker than 0.75, in at least a quarter as many columns as the
    densest row) are at most 40 % of the box's rows and hold at least 60 % of its ink, in a
    box at least three times as wide as high."""
    h, w = wd.bottom - wd.top, wd.x1 - wd.x0
    if wd.rotated or h <= 0 or w < 3 * h:
        return False
    r0, r1 = max(int(wd.top), 0), min(int(np.ceil(wd.bottom)) + 1, img.shape[0])
    c0, c1 = max(int(wd.x0), 0), min(int(np.ceil(wd.x1)) + 1, img.shape[1])
    if r1 - r0 < 5 or c1 - c0 < 3:
        return False
    ink = (img[r0:r1, c0:c1, :3].mean(axis=2) < 0.75).sum(axis=1).astype(np.float64)
    total = float(ink.sum())
    if total <= 0:
        return False
    dense = ink >= 0.25 * float(ink.max())
    return bool(dense.sum() <= 0.4 * len(ink) and float(ink[dense].sum()) >= 0.6 * total)


def digitize_raster(scene: Scene, source: str, *, arms: Sequence[str] | None,
                    x_range: tuple[float, float] | None,
                    y_range: tuple[float, float] | None) -> Digitized:
    """Calibrate, trace and assemble a raster figure (see the module docstring)."""
    warn: list[str] = []
    notes: list[str] = list(scene.notes)
    cal = calibrate(scene, x_range, y_range, _frame(scene))
    img = scene.image
    c0, c1, r0, r1 = _panel(scene, cal)
    sub = img[r0:r1 + 1, c0:c1 + 1]
    text_px = np.zeros(sub.shape[:2], dtype=bool)
    curve_px = _curve_pixels(scene, sub, c0, r0, text_px)
    pix = sub[curve_px]
    if len(pix) == 0:
        raise ValueError(f"{source}: no curve pixels found inside the axes")
    split: list[tuple[int, int]] = []
    centres = _colour_classes(pix, max(int(0.3 * sub.shape[1]), 20), curve_px, split)
    # a saturated curve seen through a grey band drawn over it is its colour shaded: its
    # pixels (outside the ink taken so far) belong to that colour alone
    # (a shaded pixel keeps 55 % of the colour's channel spread, less twice the 0.05
    # allowed off its hue: spread 0.12 or more for a saturated colour)
    shade = np.full(sub.shape[:2], -1, dtype=np.int64)
    spread = _grey_and_chroma(sub)[1]
    sr, sc = nonzero_rc(~curve_px & ~text_px & (spread >= 0.55 * 0.4 - 0.1 - 1e-9))
    for k, centre in enumerate(centres):
        if float(centre.max() - centre.min()) >= 0.4 and len(sr):
            free = shade[sr, sc] < 0
            hit = free & _shaded(sub[sr, sc], centre)
            shade[sr[hit], sc[hit]] = k
    if (shade >= 0).any():
        curve_px = curve_px | (shade >= 0)
        pix = sub[curve_px]
    shade_of = shade[curve_px]
    index_of = {id(c): k for k, c in enumerate(centres)}
    # a class that is one curve's colour seen through another arm's band is that curve's
    seen = _seen_through(sub, curve_px, pix, centres)
    for k, i in seen.items():
        near_k = _distance(pix, centres[k], _grey_mean(pix)) < _RADIUS
        shade_of[near_k & (shade_of < 0)] = i
        notes.append(f"colour {tuple(round(float(v), 2) for v in centres[k])} is a curve's "
                     "colour seen through another arm's band: that curve's pixels")
    # a class that is a saturated curve's colour seen through a grey band drawn over it
    # (dark enough to be ink of its own) is that curve's too
    for k, i in _shaded_classes(sub, curve_px, pix, centres, seen).items():
        near_k = _distance(pix, centres[k], _grey_mean(pix)) < _RADIUS
        shade_of[near_k & (shade_of < 0)] = i
        seen[k] = i
        notes.append(f"colour {tuple(round(float(v), 2) for v in centres[k])} is a curve's "
                     "colour seen through a grey band drawn over it: that curve's pixels")
    centres_used = [c for k, c in enumerate(centres) if k not in seen]
    _through_bands(sub, curve_px, pix, [c for k, c in enumerate(centres) if k not in seen],
                   [k for k in range(len(centres)) if k not in seen], shade_of)
    # (grey classes split apart: each other's rivals for the pixels between them)
    rivals = {id(centres[a]): centres[b] for a, b in split} | {
        id(centres[b]): centres[a] for a, b in split}
    gm = _grey_mean(pix)
    stairs: list[Staircase] = []
    colours: list[Colour] = []
    marks: list[list[float]] = []
    require("scipy.ndimage", "reading raster figures")
    taken = np.zeros(curve_px.shape, dtype=bool)
    saturated = any(float(c.max() - c.min()) >= 0.4 for c in centres)
    def pale_grey(c: FloatArray) -> bool:
        # grey in a colour figure: mostly anti-aliasing, overlaps, axes; a curve only when
        # it starts where the colour curves do (taken last, checked below)
        return saturated and float(c.max() - c.min()) < 0.25 and float(c.mean()) > 0.35

    # per colour: its colour, pixels, curves (each with its marks and whether it is in
    # doubt: shorter than 30 % of the panel, or pale grey in a colour figure), limits, doubt
    records: list[tuple[Colour, NDArray[np.bool_], list[tuple[Staircase, list[float], bool]],
                        list[Staircase], str | None]] = []
    # (grey paler than 0.62 in a colour figure, or tinted (channel spread 0.1 or more), is
    # a blend of tints: bands overlapping, a band's edge over another band -- unless its
    # spread falls just short of a colour's (Set2's blue #8da0cb, 0.24): such a pale colour
    # is taken last too, as a line that starts where the colour curves do)
    # (a paler grey, up to 0.75, is taken last too when a legend key has its colour:
    # Tableau's colour-blind palette has grey #ababab, 0.67)
    keyed = _key_colours(scene) if any(
        pale_grey(c) and float(c.max() - c.min()) < 0.1 and 0.62 < float(c.mean()) <= 0.75
        for c in centres_used) else []
    for centre in [c for c in centres_used if not pale_grey(c)] + [
            c for c in centres_used if pale_grey(c) and (
                (float(c.mean()) <= 0.62
                 and (float(c.max() - c.min()) < 0.1 or float(c.mean()) <= 0.5))
                or (float(c.max() - c.min()) >= _TINT and float(c.mean()) <= 0.7)
                or (float(c.max() - c.min()) < 0.1 and float(c.mean()) <= 0.75
                    and any(float(np.abs(k - c).max()) <= 0.06 for k in keyed)))]:
        late = pale_grey(centre)
        inside = np.zeros(curve_px.shape, dtype=bool)
        dist = _distance(pix, centre, gm)
        own = ((dist < _RADIUS) & (shade_of < 0)) | (shade_of == index_of[id(centre)])
        other = rivals.get(id(centre))
        if other is not None:
            # (a grey pixel nearer the centre of the class split from this one is that
            # class's)
            own &= ~(gm[0] & (np.abs(gm[1] - float(other.mean()))
                              < np.abs(gm[1] - float(centre.mean()))))
        inside[curve_px] = own
        mask = inside & ~taken
        halo = _dilated(taken, 2)
        if mask.sum() == 0 or np.mean(halo[mask]) > 0.6:
            continue  # the anti-aliased edge of a curve already found
        taken |= mask
        if band_seam(sub, mask, centre, [np.asarray(rec[0]) for rec in records]):
            notes.append(f"colour {tuple(round(float(v), 2) for v in centre)} is a band's edge "
                         "drawn over another arm's band (a mix of white and two curves' "
                         "colours, with bands on both sides): not a curve")
            continue
        if any(_faded(centre, other) for other in centres[:_index(centres, centre)]):
            # (faded from a class with more pixels; its pixels stay taken: they are the
            # band or the edges of that colour. The anti-aliased edges of a thin line may
            # outnumber its core: then the faded class comes first and is the curve)
            notes.append(f"colour {tuple(round(float(v), 2) for v in centre)} is a curve's "
                         "colour faded with white (its band, or its edges): not a curve")
            continue
        # the frame, grid and axis lines are not the curve's pixels: left out of its
        # trace and of the check of what the trace explains
        mask = _without_specks(_without_long_lines(mask))
        sure_now = [st for rec in records for st, _, d in rec[2] if not d]
        if late and sure_now:
            # a pale grey curve starts where the colour curves do (no pixel there, no
            # trace)
            top0 = min(float(st.y[0]) for st in sure_now) - r0
            left0 = min(float(st.x[0]) for st in sure_now) - c0
            lw0 = max(float(np.median([st.stroke.width for st in sure_now])), 1.0)
            dx = max(3.0, 0.01 * (c1 - c0))
            win = mask[max(int(top0 - 2 * lw0 - 2), 0):int(top0 + 2 * lw0 + 3),
                       max(int(left0 - dx), 0):int(left0 + dx + 1)]
            if not win.any() and _late_start_hidden(
                    mask, curve_px, min(_start_level(st) for st in sure_now) - r0, left0,
                    lw0, c1 - c0) is None:
                continue
            # and is a line as thin as theirs, not the filled overlap of two bands
            if line_width(column_runs(mask)) > 2.0 * lw0 + 1.0:
                continue
        limits: list[Staircase] = []
        found, doubt = _trace(mask, c0, r0, notes,
                              partial(_legend_keys, scene, centres, centre), limits,
                              cal.x.value)
        col = (float(centre[0]), float(centre[1]), float(centre[2]))
        kept: list[tuple[Staircase, list[float], bool]] = []
        for st, mk in found:
            span = st.x_end - st.x[0]
            if len(st.x) < 3 or span < 0.1 * (c1 - c0) or st.y[0] - r0 > 0.25 * (r1 - r0):
                continue  # not a KM curve from near the top (axes, bands, pieces)
            if any(_same_path(st, other) and _paler(col, other.colour)
                   for rec in records for other, _, _ in rec[2]):
                continue  # the anti-aliased edge of a curve already traced
            if sum(_same_path(st, other) for rec in records for other, _, _ in rec[2]) >= 2:
                # along two curves of other colours at once: the seam where they touch
                # (their edges blended), not a curve of its own
                notes.append(f"pixels of colour {tuple(round(v, 2) for v in col)} run where "
                             "two curves touch: their blended edges, not a curve")
                continue
            a, b = int(st.x[0] - c0), int(st.x_end - c0)
            if b > a and float(np.mean(np.asarray(mask.any(axis=0))[a:b + 1])) < 0.4:
                notes.append(f"pixels of colour {tuple(round(v, 2) for v in col)} cover under "
                             "40 % of the columns they span: not a curve (band overlap)")
                continue  # a curve has pixels in most columns it spans, even dashed
            kept.append((Staircase(st.x, st.y, st.x_end, Stroke(
                st.stroke.points, col, width=st.stroke.width, dash=st.stroke.dash),
                y_first=st.y_first, start_seen=st.start_seen, ink_share=st.ink_share), mk,
                late or span < 0.3 * (c1 - c0)))
        if kept:
            records.append((col, mask, kept, limits, doubt))
    # a curve in doubt is a KM curve when it starts where the others do (S = 1 at t = 0:
    # within two line widths of their highest start, 1 % of the panel of their first column)
    sure = [st for rec in records for st, _, d in rec[2] if not d]
    if sure:
        top = min(float(st.y[0]) for st in sure)
        left = min(float(st.x[0]) for st in sure)
        lw = max(float(np.median([st.stroke.width for st in sure])), 1.0)

        level = min(_start_level(st) for st in sure)

        def starts_with(st: Staircase, col: Colour, mask: NDArray[np.bool_]) -> bool:
            # (or before them, at the top: their start is hidden under it; or, for a pale
            # grey line, its first knot near their start comes right after the ink of
            # curves drawn over it)
            x, y = float(st.x[0]), float(st.y[0])
            if abs(y - top) <= 2 * lw + 2 and x - left <= max(3.0, 0.01 * (c1 - c0)):
                return True
            if not pale_grey(np.asarray(col)):
                return False
            y = _start_level(st)
            r_lo, r_hi, c_lo, c_hi = _start_window(level, left, lw, c1 - c0)
            return (c_lo <= x <= c_hi and r_lo <= y <= r_hi
                    and _under_other_ink(mask, curve_px, level - r0, left - c0, lw,
                                         int(x) - c0))

        records = [(col, mask, [k for k in kept if not k[2] or starts_with(k[0], col, mask)],
                    limits, doubt)
                   for col, mask, kept, limits, doubt in records]
    edges = _edge_traces([(col, [k[0] for k in kept3]) for col, _, kept3, _, _ in records])
    for i, gone in edges.items():
        kept3 = records[i][2]
        kept3[:] = [k for k in kept3 if not any(k[0] is st for st in gone)]
    # confidence limits drawn as lines in a curve's colour faded with white (lifelines'
    # ``ci_force_lines``): a pair of the faded colour's staircases bracketing a curve of
    # the strong colour are its limits
    for i, (col, _m, kept3, _l, _d) in enumerate(records):
        for j, (col2, _m2, kept_j, limits_j, _d2) in enumerate(records):
            if j == i or len(kept3) < 2 or not kept_j or \
                    not _faded(np.asarray(col), np.asarray(col2)):
                continue
            for mid, _mk, _dj in kept_j:
                pair = _bracketing(mid, [k[0] for k in kept3])
                if pair is None:
                    continue
                limits_j.extend(pair)
                kept3[:] = [k for k in kept3 if not any(k[0] is st for st in pair)]
                notes.append(f"lines of colour {tuple(round(v, 2) for v in col)} bracket the "
                             f"curve of colour {tuple(round(v, 2) for v in col2)}, whose "
                             "colour they are faded from: its confidence limits, left out")
                if len(kept3) < 2:
                    break
    for i, (col, mask, kept3, limits, doubt) in enumerate(records):
        final = [(st, mk) for st, mk, _ in kept3]
        if not final:
            continue
        # the confidence limits in the curve's colour are explained pixels too (and the
        # edges of a darker curve traced in it)
        others = [k[0] for j, rec in enumerate(records) if j != i for k in rec[2]]
        edge_stairs = edges.get(i, [])
        over = curve_px & ~mask  # (the other colours' ink)
        cover = _coverage([st for st, _ in final] + limits + edge_stairs, mask, c0, r0,
                          over, others)
        if cover < 0.9:
            warn.append(f"curve of colour {tuple(round(v, 2) for v in col)}: only "
                        f"{cover:.0%} of its pixels lie on the traced staircase (check the "
                        "overlay)")
        for st, _ in final:
            for x_drop, own in _hidden_long_drops(st, mask, over, c0, r0):
                warn.append(
                    f"curve of colour {tuple(round(v, 2) for v in col)}: its drop at x = "
                    f"{float(cal.x.value(np.asarray(x_drop))):.3g} is mostly under other "
                    f"curves ({own:.0%} of it its own pixels): steps hidden there may be "
                    "read as one drop (check the overlay)")
        # (each dashed curve's drops on its own ink: the pixels another curve of the colour
        # explains are not its dashes)
        final = [(_drops_on_their_ink(st, _unexplained([z for z, _ in final if z is not st]
                                                       + limits, mask, c0, r0), c0, r0)
                  if st.dashed else st, mk) for st, mk in final]
        # (what the colour's staircases explain, worked out again only after one changed)
        explained = _explained([z for z, _ in final] + limits, mask, c0, r0) \
            if mask.any() else None
        for i, (st, mk) in enumerate(final):
            lw = max(st.stroke.width, 1.0)
            fall_r, fall_c = _falls_past_the_end(st, explained, mask.shape[1], c0, r0)
            if len(fall_r) < max(6 * lw, 0.02 * mask.shape[0]):
                continue
            # (one upright below the end: the curve's last drop, followed; else a warning)
            longer = _with_last_drop(st, fall_r, fall_c)
            if longer is not None:
                final[i] = (longer, mk)
                explained = _explained([z for z, _ in final] + limits, mask, c0, r0)
                continue
            warn.append(f"curve of colour {tuple(round(v, 2) for v in col)} ending at "
                        f"x = {float(cal.x.value(np.asarray(st.x_end))):.3g}: {len(fall_r)} "
                        "pixels of its colour below its last level just after it: it may "
                        "drop further there (check the overlay)")
        for y_row, x_a, x_b in _stray_levels([z for z, _ in final] + limits + edge_stairs
                                             + others, mask, c0, r0):
            warn.append(f"curve of colour {tuple(round(v, 2) for v in col)}: a line of its "
                        f"colour at S = {float(cal.y.value(np.asarray(y_row))):.2f} from "
                        f"x = {float(cal.x.value(np.asarray(x_a))):.3g} to "
                        f"{float(cal.x.value(np.asarray(x_b))):.3g} lies on no traced "
                        "curve: a curve may have been followed elsewhere there (check the "
                        "overlay)")
        if limits:
            # a curve's confidence limits end where it ends (or before, where a limit
            # leaves the axes): a curve ending well before its limits (8 % of the panel:
            # a limit track may run on a little along other ink) lost its tail
            reach = max(float(z.x_end) for z in limits)
            short = [st for st, _ in final
                     if reach - float(st.x_end) > 0.08 * (c1 - c0)]
            if short:
                warn.append(f"curve of colour {tuple(round(v, 2) for v in col)} ends "
                            f"{reach - float(short[0].x_end):.0f} pixels before its "
                            "confidence limits: its last steps may be lost (check the "
                            "overlay)")
        if doubt is not None and len(final) > 1:
            warn.append(f"curves of colour {tuple(round(v, 2) for v in col)}: {doubt}")
        if len(final) > 1:
            # curves of one colour: the solid one (the most complete) must lie on its
            # pixels; where the tracks were mixed up it runs across paper in places
            solid = [st for st, _ in final if not st.dashed] or [st for st, _ in final]
            sup = min(_support(st, curve_px, c0, r0) for st in solid)
            if sup < 0.8:
                warn.append(f"curves of colour {tuple(round(v, 2) for v in col)} not told "
                            f"apart with confidence: the solid curve's traced levels have "
                            f"its pixels under only {sup:.0%} of their length (check the "
                            "overlay)")
        for st, mk in final:
            stairs.append(st)
            marks.append(mk if mk or len(final) > 1 else raster_marks(mask, st, c0, r0))
            colours.append(col)
    if not stairs:
        raise ValueError(f"{source}: no Kaplan–Meier curve traced inside the axes")
    stairs = _hidden_starts(stairs, c1 - c0, notes, curve_px, c0, r0)
    labels: list[Word] = []
    names = _legend_names(scene, stairs, [z for rec in records for z in rec[3]], labels)
    warn.extend(doubtful_names(names))
    for wd, key in _keys_of_no_curve(scene, labels, [st.colour for st in stairs]):
        warn.append(f"the legend's entry {wd.text!r} has a key of colour {key} that no "
                    "traced curve has: a curve may be missing (check the overlay)")
    if any(marks):
        notes.append("censoring marks read from the pixels (tall runs standing out above "
                     "and below a curve's level)")
    else:
        notes.append("censoring marks are not read from this raster figure")
    return assemble(scene, source, cal, stairs, names, marks, arms, warn, notes)


def _edge_traces(colours: list[tuple[Colour, list[Staircase]]]) -> dict[int, list[Staircase]]:
    """Per colour (by index), its staircases that are a darker curve's anti-aliased edge.

    A colour's staircase on the same path as a curve of another colour darker by more than
    0.1 (mean of RGB), of which it looks a paler blend (:func:`_paler`), was traced in the
    edge pixels of that curve (a teal line's pale blue edges, a dashed grey60 line's at
    300 dpi) -- when it was traced before that curve was found, the check made while
    tracing could not see it. A colour keeps one staircase at least (the edges of a curve
    next to a pale curve of its own): its others are these edges, not curves, but pixels
    of the colour its staircases explain."""
    edges: dict[int, list[Staircase]] = {}
    for i, (col, mine) in enumerate(colours):
        darker = [(other, dark) for j, (dark, theirs) in enumerate(colours) if j != i
                  and float(np.mean(dark)) < float(np.mean(col)) - 0.1 for other in theirs]
        gone = [st for st in mine if any(_same_path(st, other) and _paler(col, dark)
                                          for other, dark in darker)]
        if gone and len(gone) < len(mine):
            edges[i] = gone
    return edges


def _hidden_starts(stairs: list[Staircase], width: int, notes: list[str],
                   ink: NDArray[np.bool_] | None = None, c0: int = 0,
                   r0: int = 0) -> list[Staircase]:
    """Curves whose start is hidden under another curve drawn over it begin with it.

    Every KM curve starts at S = 1 at t = 0. When a traced curve begins lower than the
    highest start and near it (within 5 % of the panel width, or in the very first column
    where a thick curve drawn over it drops at once and its own line shows only below that
    curve's stroke), and another curve's path runs
    from that start down past the hidden curve's first level over those columns (it is
    drawn over the hidden piece), the hidden curve is given the common start as its first knot.

    With the curve pixels ``ink`` (the panel's, its top left at page pixel ``c0, r0``): a
    start is not hidden when two or more rows of paper lie between the highest start and the
    curve's stroke over the columns from the common start to its first column (a path
    hidden under other lines crosses every row between; one row of paper is the seam where
    two strokes touch), and a curve kept as traced is marked ``start_seen`` when the two
    rows just above its stroke at its first columns are paper: nothing is drawn over the
    start of its line (R's ``plot.survfit`` draws a first level below 1 from t = 0 when
    there are events at time 0).
    """
    top = min(float(st.y[0]) for st in stairs)
    x0 = min(float(st.x[0]) for st in stairs)
    out: list[Staircase] = []

    def keep(st: Staircase) -> None:
        out.append(replace(st, start_seen=True) if _start_on_paper(st, ink, c0, r0) else st)

    for k, st in enumerate(stairs):
        lw = max(st.stroke.width, 1.0)
        first_y, first_x = float(st.y[0]), float(st.x[0])
        if first_x - x0 > 0.05 * width or (first_x - x0 < 1.0 and first_y - top <= lw):
            keep(st)
            continue
        if _paper_above(ink, c0, r0, x0, first_x + lw, top, first_y - 0.5 * lw):
            keep(st)  # (seen to begin below the others' start)
            continue
        if first_x - x0 < 1.0 and first_y - top <= 2 * lw + 1 and not _covered_from_top(
                st, stairs, k, top, x0):
            # (in the first column and near the top, a line width or two below it: at the
            # top unless a curve drawn over it covers the drop from the top)
            keep(st)
            continue
        second = max(first_x, x0 + 0.5)
        if len(st.x) > 1 and float(st.x[1]) <= second:
            # (no room for the hidden first level before its next knot -- unless the
            # curve begins well below the top, in the first column, under a curve drawn
            # over its drop from the top: its first drop is then in its first pixel)
            if not (float(st.x[1]) > x0 and first_x - x0 < 1.0 and first_y - top > 2 * lw + 1
                    and _covered_from_top(st, stairs, k, top, x0)):
                keep(st)
                continue
            second = 0.5 * (x0 + float(st.x[1]))
        if first_y - top <= 2 * lw + 1 and first_x - x0 >= 1.0:
            # begins at the top but late: the start of its level is under another curve
            # at that level (drawn over it)
            # (it becomes visible where the other leaves the top level)
            if any(j != k and other.x[0] <= x0 + lw + 1 and abs(other.y[0] - top) <= lw + 1
                   and len(other.x) > 1 and first_x - 2 * lw - 3 <= other.x[1] <= first_x + 1
                   for j, other in enumerate(stairs)):
                x = st.x.copy()
                x[0] = x0
                out.append(Staircase(x, st.y, st.x_end, Stroke(
                    np.column_stack([x, st.y]), st.colour, width=st.stroke.width,
                    dash=st.stroke.dash), ink_share=st.ink_share))
                continue
            # (or it shows from under another curve that falls from the top past its level
            # over its first columns: its start and first drops are under that curve)
        # (the curves before it with their hidden starts put back: one drawn over it may
        # itself start under a third; its first pixels may be a censoring mark's arm
        # reaching left of its drop, three line widths at most)
        if not _covered_from_top(st, [*out, *stairs[len(out):]], k, top, x0,
                                 mark_arm=3.0 * lw):
            keep(st)
            continue
        # the hidden first level begins where the trace found it (at least half a pixel
        # after the common start: knots increase)
        x = np.concatenate([[x0], [second], st.x[1:]])
        y = np.concatenate([[top], st.y])
        notes.append("a curve's start is hidden under another curve: it begins at that "
                     "curve's start (S = 1, t = 0)")
        out.append(Staircase(x, y, st.x_end, Stroke(np.column_stack([x, y]), st.colour,
                                                     width=st.stroke.width,
                                                     dash=st.stroke.dash),
                             ink_share=st.ink_share))
    return out


def _late_start_hidden(mask: NDArray[np.bool_], ink: NDArray[np.bool_], top: float,
                       left: float, lw: float, width: int) -> int | None:
    """The panel column where a curve of pixels ``mask`` first shows near the common start
    (panel row ``top``, column ``left``, the curves' line width ``lw``) when its start is
    hidden under curves drawn over it; None when it is not.

    Its first pixels lie within 5 % of the panel ``width`` after the start, at most four
    line widths and five pixels below it (its first drops), and the columns before them
    are under other ink (:func:`_under_other_ink`). (udca1's grey placebo curve, under the
    UDCA curve drawn after it up to the first placebo event.)"""
    r_lo, r_hi, c_lo, c_hi = _start_window(top, left, lw, width)
    ra, rb = max(int(r_lo), 0), max(int(r_hi), 0)
    ca, cb = max(int(c_lo), 0), max(int(c_hi) + 1, 0)
    cols = np.flatnonzero(mask[ra:rb, ca:cb].any(axis=0))
    if not len(cols):
        return None
    first = ca + int(cols[0])
    return first if _under_other_ink(mask, ink, top, left, lw, first) else None


def _start_window(top: float, left: float, lw: float, width: float
                  ) -> tuple[float, float, float, float]:
    """Rows and columns (first, last) where a curve whose start is hidden under others
    first shows, for the common start at row ``top``, column ``left``, line width ``lw``
    and a panel ``width`` wide: from two line widths and two pixels above the start to four
    line widths and five pixels below it (its first drops), within 5 % of the width after
    it."""
    return top - 2 * lw - 2, top + 4 * lw + 5, left, left + 0.05 * width


def _under_other_ink(mask: NDArray[np.bool_], ink: NDArray[np.bool_], top: float,
                     left: float, lw: float, first: int) -> bool:
    """Whether the rows of a stroke of width ``lw`` at panel row ``top`` hold ink not in
    ``mask`` in 90 % or more of the panel columns from ``left`` to before ``first`` (True
    when there are none): a line of the colour of ``mask`` there is drawn over."""
    ca = max(int(left), 0)
    if first <= ca:
        return True
    ra, rb = max(int(top - lw - 1), 0), max(int(top + lw + 2), 0)
    over = ink[ra:rb, ca:first] & ~mask[ra:rb, ca:first]
    return float(np.mean(over.any(axis=0))) >= 0.9 if over.size else False


def _paper_above(ink: NDArray[np.bool_] | None, c0: int, r0: int, xa: float, xb: float,
                 ya: float, yb: float) -> bool:
    """Whether two or more consecutive rows between page rows ``ya`` and ``yb`` have no
    ``ink`` in the page columns ``xa`` to ``xb`` (False without ``ink``)."""
    if ink is None:
        return False
    a, b = max(round(xa) - c0, 0), min(round(xb) - c0, ink.shape[1] - 1)
    ra, rb = max(int(np.ceil(ya)) - r0, 0), min(int(np.floor(yb)) - r0, ink.shape[0] - 1)
    if b < a or rb - ra < 1:
        return False
    paper = np.asarray(~ink[ra:rb + 1, a:b + 1].any(axis=1), dtype=bool)
    return bool(np.any(paper[1:] & paper[:-1]))


def _start_on_paper(st: Staircase, ink: NDArray[np.bool_] | None, c0: int, r0: int) -> bool:
    """Whether two rows of paper lie just above a curve's stroke (within 3 rows of its top
    edge, where anti-aliasing blurs it) over its first level's first columns (its line width
    and a pixel on): the line is seen to begin there."""
    lw = max(st.stroke.width, 1.0)
    x, y = float(st.x[0]), float(st.y[0])
    return _paper_above(ink, c0, r0, x, x + lw + 1, y - 0.5 * lw - 3, y - 0.5 * lw)


def _covered_from_top(st: Staircase, stairs: list[Staircase], k: int, top: float,
                      x0: float, mark_arm: float = 0.0) -> bool:
    """Whether another curve's path runs from the common start ``(x0, top)`` down past the
    first level of ``stairs[k]`` (= ``st``) before that level's first column: drawn over it,
    it hides the piece of ``st`` from S = 1 down to there.

    A staircase covers the rows from its level at ``x0`` down to its level at the hidden
    curve's first column, one line width and a pixel on (its drops are vertical), or at a
    drop of its own within half its stroke width after that (the drop's stroke covers the
    columns either side of it); down to the hidden curve's first level, or to within the
    other's stroke width of it (thick lines drawn over it hide it down to their edges).
    With ``mark_arm``, a drop of the other within that many pixels after the hidden curve's
    first column covers too (its first pixels are the arm of a ``+`` on its first level,
    reaching left of the drop under which it falls from the top).
    """
    lw = max(st.stroke.width, 1.0)
    first_y, first_x = float(st.y[0]), float(st.x[0])
    for j, other in enumerate(stairs):
        if j == k or other.x[0] > x0 + lw + 1:
            continue
        w_o = max(other.stroke.width, 1.0)
        lv = _levels(other, np.array([x0, first_x + lw + 1, first_x + lw + 1 + 0.5 * w_o,
                                      first_x + mark_arm]))
        reach = lw + 1 + w_o
        if lv[0] <= top + lw + 1 and float(np.max(lv[1:])) >= first_y - reach:
            return True
    return False


def _start_level(st: Staircase) -> float:
    """The row of a staircase's level a line width and a pixel after its first column (its
    first knot can be the top of a censoring mark's upright at t = 0)."""
    lw = max(st.stroke.width, 1.0)
    return float(_levels(st, np.asarray([float(st.x[0]) + lw + 1.0]))[0])


def _levels(st: Staircase, xs: FloatArray) -> FloatArray:
    idx = np.clip(np.searchsorted(st.x, xs, side="right") - 1, 0, len(st.y) - 1)
    return np.asarray(st.y[idx], dtype=np.float64)


def _index(centres: list[FloatArray], centre: FloatArray) -> int:
    """Position of ``centre`` in ``centres`` (by identity)."""
    return next(k for k, c in enumerate(centres) if c is centre)


def _bracketing(mid: Staircase, cands: list[Staircase]) -> tuple[Staircase, Staircase] | None:
    """Two of ``cands`` that bracket the curve ``mid`` (its confidence limits). Over the
    columns both span, 80 % of the curve's or more, the upper of the two in each column is
    at or above the curve's level (within a line width) in 90 % of them and the lower at
    or below it, each off the curve's level by more than a line width in a quarter of them
    or more (no edge of the curve itself). The upper and the lower are taken column by
    column: tracks of one colour may swap pieces where the limits come close, and the
    limits' starts may lie under the curve (at S = 1 with it)."""
    lw = max(mid.stroke.width, 1.0)
    xs = np.arange(float(mid.x[0]), float(mid.x_end) + 1.0)
    if len(xs) < 10:
        return None
    ym = _levels(mid, xs)
    for i, j in itertools.combinations(range(len(cands)), 2):
        a, b = cands[i], cands[j]
        on = (xs >= max(a.x[0], b.x[0])) & (xs <= min(a.x_end, b.x_end))
        if on.mean() < 0.8:
            continue
        ya, yb = _levels(a, xs[on]), _levels(b, xs[on])
        up, low = np.minimum(ya, yb) - ym[on], np.maximum(ya, yb) - ym[on]
        if (float(np.mean(up <= lw)) >= 0.9 and float(np.mean(low >= -lw)) >= 0.9
                and float(np.mean(np.abs(up) > lw)) >= 0.25
                and float(np.mean(np.abs(low) > lw)) >= 0.25):
            return a, b
    return None


def _faded(c: FloatArray, strong: FloatArray) -> bool:
    """Whether colour ``c`` is colour ``strong`` blended with white, ``c = 1 − α (1 −
    strong)`` with ``0.2 ≤ α ≤ 0.9`` (a translucent band of it, over white or over another
    band, or its anti-aliased edge): ``1 − c`` is ``α (1 − strong)`` within
    0.06 in every channel, ``α`` fitted by least squares. Greys are left to the darkness
    classes (two grey curves differ only in strength)."""
    if _achromatic(strong) or _achromatic(c):
        return False
    u, v = 1.0 - strong, 1.0 - c
    alpha = float(u @ v) / max(float(u @ u), 1e-9)
    return bool(0.2 <= alpha <= 0.9 and np.max(np.abs(v - alpha * u)) <= 0.06)


def _paler(col: Colour, than: Colour | None) -> bool:
    """Whether ``col`` looks like ``than`` blended with white or a neighbour (an edge)."""
    if than is None:
        return False
    a, b = np.asarray(col), np.asarray(than)
    return bool(np.linalg.norm(a - b) < 0.5 and a.mean() >= b.mean() - 0.02)


def _same_path(a: Staircase, b: Staircase) -> bool:
    """Whether two traced staircases follow the same path (within two line widths)."""
    lo, hi = max(a.x[0], b.x[0]), min(a.x_end, b.x_end)
    if hi - lo < 10:
        return False
    xs = np.linspace(lo, hi, 200)
    lw = max(a.stroke.width, b.stroke.width, 1.0)
    return bool(np.median(np.abs(_levels(a, xs) - _levels(b, xs))) < 2 * lw)


def _coverage(stairs: list[Staircase], mask: NDArray[np.bool_], c0: int, r0: int,
              over: NDArray[np.bool_] | None = None,
              others: list[Staircase] | None = None) -> float:
    """Share of the colour's pixels near one of the traced staircases (its horizontal levels
    and the vertical drops between them, or half a censoring mark): what the trace explains,
    over the columns the staircases span (:func:`_explained`; ``over``: the other colours'
    ink, which may hide the middle of a censoring mark). With ``others`` (the other
    colours' staircases), a pixel on one of their levels or drops (within the reach of
    the thinner of the two colours' lines: a traced width can be a censoring mark's) is
    explained too: the edge of a paler grey's dash can fall in a darker grey's class."""
    if not mask.any() or not stairs:
        return 0.0
    rr, cc, near, inside = _explained(stairs, mask, c0, r0, over)
    lw = min(st.stroke.width for st in stairs)
    x, y = (cc + c0).astype(np.float64), rr + r0
    for st in others or []:  # (the thinner line's reach: a traced width may be a mark's)
        tol = 1.5 * max(min(st.stroke.width, lw), 1.0) + 1.0
        near |= _near_staircase(st, x, y, tol) & (x >= st.x[0] - tol) & (x <= st.x_end + tol)
    return float(np.mean(near[inside])) if np.any(inside) else 0.0


def _falls_past_the_end(
    st: Staircase,
    explained: tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_],
                     NDArray[np.bool_]] | None,
    width: int, c0: int, r0: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The colour's pixels (page rows, columns) no staircase explains (``explained``, from
    :func:`_explained` on the colour's mask, ``width`` columns wide; ``None``: no pixels)
    below a staircase's last level (by more than two line widths) in the columns from two
    line widths before its end to ten line widths (or 4 % of the panel) after it: its last
    drop (to 0, with no level after it to follow), or the last drops of a dashed curve (a
    level between them in a gap of the dashes), which the trace did not follow."""
    if explained is None:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    rr, cc, near, _inside = explained
    lw = max(st.stroke.width, 1.0)
    x, y = cc + c0, rr + r0
    lo, hi = st.x_end - 2 * lw - 2, st.x_end + max(10 * lw, 0.04 * width)
    keep = ~near & (y > float(st.y[-1]) + 2 * lw + 2) & (x >= lo) & (x <= hi)
    return y[keep], x[keep]


def _drops_on_their_ink(st: Staircase, ink: NDArray[np.bool_], c0: int, r0: int
                        ) -> Staircase:
    """A dashed staircase with each drop moved to the column, among those from 12 line
    widths and 6 pixels before it to the drop itself (not before the knot before it), with
    the most ink strictly between its two levels (3 line widths and 2 pixels in from each,
    clear of censoring marks), when that column holds at least 3 such pixels and more than
    the drop's own column.

    A dashed drop is a column of dashes: the column tracking, which sees a level by its
    horizontal pieces, places the drop where the lower level's first dash begins, up to a
    dash and a gap late (where another curve's drop passes the level first, after a step
    of a pixel or two there). So a drop of two line widths and two pixels or less followed
    by another within reach is first taken as the start of that drop, when the merged drop
    finds its column. Drops shorter than 6 line widths and 4 pixels stay."""
    lw = max(st.stroke.width, 1.0)
    h, w = ink.shape
    margin = 3 * lw + 2
    reach = int(12 * lw + 6)

    def column(x_prev: float, x_k: float, y_a: float, y_b: float) -> float | None:
        top, bottom = y_a + margin, y_b - margin
        c = round(x_k - c0)
        a = max(c - reach, int(np.ceil(x_prev - c0)) + 1, 0)
        r_a, r_b = max(int(np.ceil(top - r0)), 0), min(int(np.floor(bottom - r0)), h - 1)
        if bottom - top < 1 or c >= w or a > c or r_b < r_a:
            return None
        counts = ink[r_a:r_b + 1, a:c + 1].sum(axis=0)
        best = int(np.argmax(counts))
        return float(a + best + c0) if counts[best] >= 3 and counts[best] > counts[-1] else None

    xs, ys = [float(st.x[0])], [float(st.y[0])]
    k = 1
    n = len(st.x)
    moved = False
    while k < n:
        x_k, y_k = float(st.x[k]), float(st.y[k])
        if k + 1 < n and y_k - ys[-1] <= 2 * lw + 2 and float(st.x[k + 1]) - x_k <= reach:
            merged = column(xs[-1], float(st.x[k + 1]), ys[-1], float(st.y[k + 1]))
            if merged is not None:  # (the small step was the start of the next drop)
                xs.append(merged)
                ys.append(float(st.y[k + 1]))
                moved = True
                k += 2
                continue
        at = column(xs[-1], x_k, ys[-1], y_k)
        moved |= at is not None
        xs.append(x_k if at is None else at)
        ys.append(y_k)
        k += 1
    if not moved:
        return st
    x, y = np.asarray(xs), np.asarray(ys)
    return replace(st, x=x, y=y, stroke=Stroke(np.column_stack([x, y]), st.colour,
                                               width=st.stroke.width, dash=st.stroke.dash))


def _with_last_drop(st: Staircase, rows: NDArray[np.intp], cols: NDArray[np.intp]
                    ) -> Staircase | None:
    """The staircase with the drop its unexplained pixels past the end show
    (:func:`_falls_past_the_end`) as its last knot, when they are one upright: in columns
    no wider than two line widths and two pixels, from within four line widths below the
    last level down (dashes of a dashed drop leave gaps); ``None`` when they are not (two
    drops, or something else)."""
    lw = max(st.stroke.width, 1.0)
    if not len(cols) or int(cols.max() - cols.min()) > 2 * lw + 2:
        return None
    if int(rows.min()) > float(st.y[-1]) + 4 * lw + 4:
        return None  # (not from the level down)
    x_drop = float(np.median(cols))
    if x_drop < float(st.x[-1]):
        return None
    x = np.append(st.x, x_drop)
    y = np.append(st.y, float(rows.max()) - 0.5 * (lw - 1))
    return Staircase(x, y, max(float(st.x_end), x_drop), Stroke(
        np.column_stack([x, y]), st.colour, width=st.stroke.width, dash=st.stroke.dash),
        ink_share=st.ink_share)


def _unexplained(stairs: list[Staircase], mask: NDArray[np.bool_], c0: int, r0: int
                 ) -> NDArray[np.bool_]:
    """``mask`` without the pixels near one of ``stairs`` (:func:`_explained`)."""
    if not stairs or not mask.any():
        return mask
    rr, cc, near, _inside = _explained(stairs, mask, c0, r0)
    out = mask.copy()
    out[rr[near], cc[near]] = False
    return out


def _reach(st: Staircase, height: int) -> float:
    """How far a pixel may lie from a staircase's levels and drops and still be its own,
    in a panel ``height`` pixels high: a line width and a half and a pixel, or 1.5 % of the
    height (censoring marks "+" and "|" stand off the path by up to their half size)."""
    return max(1.5 * max(st.stroke.width, 1.0) + 1.0, 0.015 * height)


def _stray_levels(stairs: list[Staircase], mask: NDArray[np.bool_], c0: int, r0: int
                  ) -> list[tuple[int, int, int]]:
    """Levels of the colour ``mask`` that no staircase passes along: ``(row, first
    column, last column)`` in page pixels, at most one per band of rows three line widths
    high.

    The pixels of ``mask`` away from every staircase's levels and drops (by the reach
    :func:`_explained` gives a staircase, but without its rules for censoring marks,
    whose uprights and arms can chain a level to a mark's top) and in vertical runs of
    ``mask`` no taller than a line (:func:`rastertrace.thin_pixels`, for the thinnest of
    ``stairs``: a level's pieces, not a mark's upright, whose tips above a crowd of marks
    would line up, or a glyph) are joined along their
    row across gaps of up to a dash gap (:func:`rastertrace.dash_gap`: a dashed or dotted
    level is one run). A run reaching over 8 % of the panel's width with ink in a quarter
    of its columns, whose row is 3 % of the panel's height or more from every staircase's
    level over those columns (median), is a level the trace did not follow: a track that
    left its curve for another one where the two come close (a dotted tail followed along
    a dashed curve's level above it). Closer, it is a level read a little off (the usual
    error of a read level, which the benchmark's max |ΔS| of 0.05-0.08 bounds)."""
    if not stairs or not mask.any():
        return []
    h, w = mask.shape
    rr, cc = nonzero_rc(mask)
    x, y = (cc + c0).astype(np.float64), rr + r0
    near = np.zeros(len(x), dtype=bool)
    for st in stairs:
        near |= _near_staircase(st, x, y, _reach(st, h))
    stray = np.zeros((h, w), dtype=bool)
    stray[rr[~near], cc[~near]] = True
    if not stray.any():
        return []
    lw = max(min(st.stroke.width for st in stairs), 1.0)
    r, c = nonzero_rc(thin_pixels(mask, column_runs(mask), lw) & stray)
    if len(r) == 0:
        return []
    start = np.ones(len(r), dtype=bool)
    start[1:] = (r[1:] != r[:-1]) | (c[1:] - c[:-1] > dash_gap(lw) + 1)
    first = np.flatnonzero(start)
    last = np.append(first[1:] - 1, len(r) - 1)
    length = c[last] - c[first] + 1
    keep = (length >= 0.08 * w) & (last - first + 1 >= 0.25 * length)
    out: list[tuple[int, int, int]] = []
    for k in np.flatnonzero(keep)[np.argsort(-length[keep], kind="stable")]:
        row = int(r[first[k]]) + r0
        a, b = int(c[first[k]]) + c0, int(c[last[k]]) + c0
        xs = np.arange(a, b + 1, dtype=np.float64)
        off = np.min([np.abs(_levels(st, xs) - row) for st in stairs], axis=0)
        # (a level within 3 % of the panel's height of a traced one is the usual error of
        # a read level, not a curve followed elsewhere)
        if float(np.median(off)) >= 0.03 * h and all(abs(row - y0) > 3 * lw
                                                      for y0, _, _ in out):
            out.append((row, a, b))
    return sorted(out)


def _hidden_long_drops(st: Staircase, mask: NDArray[np.bool_], over: NDArray[np.bool_],
                       c0: int, r0: int) -> list[tuple[float, float]]:
    """The drops of a traced staircase that fall a fifth of the panel or more and are mostly
    under other curves: ``(x, share)`` with the share of the drop's rows (a line width and a
    pixel in from each end) where the colour ``mask`` has a pixel within a line width and a
    pixel of the drop's column, when that share is under half and the other colours' ink
    ``over`` fills at least 40 % of the rows there. A curve falling steeply under curves
    drawn over it shows as one long drop with none of its own pixels on most of it: its
    steps are hidden, and the drop is a guess."""
    h, w = mask.shape
    lw = max(st.stroke.width, 1.0)
    reach = int(np.ceil(lw + 1.0))
    out: list[tuple[float, float]] = []
    for k in range(1, len(st.x)):
        top, bottom = float(st.y[k - 1]) + lw + 1.0, float(st.y[k]) - lw - 1.0
        if float(st.y[k]) - float(st.y[k - 1]) < 0.2 * h or bottom <= top:
            continue
        c = round(float(st.x[k]) - c0)
        a, b = max(c - reach, 0), min(c + reach + 1, w)
        r_a, r_b = max(int(np.ceil(top - r0)), 0), min(int(np.floor(bottom - r0)) + 1, h)
        if b <= a or r_b <= r_a:
            continue
        own = mask[r_a:r_b, a:b].any(axis=1)
        under = over[r_a:r_b, a:b].any(axis=1) & ~own
        share = float(np.mean(own))
        if share < 0.5 and float(np.mean(under)) >= 0.4:
            out.append((float(st.x[k]), share))
    return out


def _near_staircase(st: Staircase, x: FloatArray, y: NDArray[np.intp], tol: float
                    ) -> NDArray[np.bool_]:
    """Whether each pixel (page columns ``x``, rows ``y``) lies within ``tol`` of a level
    of ``st`` or of a drop between two of its levels."""
    near = np.abs(y - _levels(st, x)) <= tol
    k = np.searchsorted(st.x, x, side="right")
    for shift in (0, 1):
        j = np.clip(k - 1 + shift, 1, len(st.x) - 1)
        near |= (np.abs(x - st.x[j]) <= tol) & (y >= st.y[j - 1] - tol) & (y <= st.y[j] + tol)
    return near


def _explained(stairs: list[Staircase], mask: NDArray[np.bool_], c0: int, r0: int,
               over: NDArray[np.bool_] | None = None
               ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.bool_],
                          NDArray[np.bool_]]:
    """The colour's pixels (rows, columns of ``mask``), whether each is near one of the
    traced staircases (its levels, the drops between them, a censoring mark's arm or
    upright), and whether it lies in the columns one of them spans.

    With ``over`` (the other colours' ink, same shape), a vertical run of the colour is a
    mark's upright also when, in its column, it continues one through the level across
    no more than two line widths (the thinnest of ``stairs``: a traced width can be a
    censoring mark's) and two pixels of ``over`` alone: the part of a mark
    above another curve drawn over its middle (lifelines' crowded ``|`` marks under the
    next arm's line)."""
    rr, cc = nonzero_rc(mask)
    x = (cc + c0).astype(np.float64)
    y = rr + r0
    near = np.zeros(len(x), dtype=bool)
    inside = np.zeros(len(x), dtype=bool)
    for st in stairs:
        tol = _reach(st, mask.shape[0])
        inside |= (x >= st.x[0] - tol) & (x <= st.x_end + tol)
        near |= _near_staircase(st, x, y, tol)
    # a vertical run of pixels through the curve's level is a drop or a censoring mark
    # ("|", the upright of "+"), whatever the mark's size
    # (vertical runs, one number each: column by column, ``vc, vr`` in that order)
    vc, vr = nonzero_rc(mask.T)
    vstart = np.ones(len(vc), dtype=bool)
    vstart[1:] = (vc[1:] != vc[:-1]) | (vr[1:] != vr[:-1] + 1)
    first = np.flatnonzero(vstart)
    last = np.concatenate([first[1:] - 1, [len(vc) - 1]]).astype(np.int64)
    run_c, run_a, run_b = vc[first], vr[first], vr[last]
    xs_all = np.arange(mask.shape[1], dtype=np.float64) + c0
    # (or stops short of it by no more than a line's reach: a mark's upright cut where
    # another curve drawn over the level hides its middle)
    cross = np.zeros(len(first), dtype=bool)
    for st in stairs:
        v = (_levels(st, xs_all) - r0)[run_c]
        reach = 1.5 * max(st.stroke.width, 1.0) + 1.0
        cross |= ((st.x[0] <= run_c + c0) & (run_c + c0 <= st.x_end)
                  & (run_a - reach <= v) & (v <= run_b + reach))
    cross &= run_b - run_a >= 3
    if over is not None and len(first) > 1:
        gap_max = 2.0 * max(min(st.stroke.width for st in stairs), 1.0) + 2.0
        # the rows between each run and the next one of its column: all of ``over``?
        # (a running count of ``over`` down each column gives a gap's count at once)
        down = np.zeros((mask.shape[1], mask.shape[0] + 1), dtype=np.int64)
        np.cumsum(over.T, axis=1, out=down[:, 1:])
        same = run_c[1:] == run_c[:-1]
        gap = run_a[1:] - run_b[:-1] - 1
        cols_n = np.where(same, run_c[1:], 0)
        filled = down[cols_n, np.maximum(run_a[1:], 0)] - down[cols_n, run_b[:-1] + 1]
        bridge = same & (gap >= 1) & (gap <= gap_max) & (filled == gap)
        for _ in range(2):  # (a mark may be cut twice: two curves over it)
            grow = cross.copy()
            grow[1:] |= bridge & cross[:-1]
            grow[:-1] |= bridge & cross[1:]
            if np.array_equal(grow, cross):
                break
            cross = grow
    crossing = np.zeros(mask.shape, dtype=bool)
    on = cross[np.cumsum(vstart) - 1]
    crossing[vr[on], vc[on]] = True
    near |= crossing[rr, cc]
    # a short horizontal run touching the path is the arm of a "+" mark: on a steep stretch
    # it reaches over the next drop, beside the level it was drawn on (no longer than a
    # mark: 4 line widths or 3 % of the panel's width)
    on_path = np.zeros(mask.shape, dtype=bool)
    on_path[rr[near], cc[near]] = True
    lw_max = max(max(st.stroke.width, 1.0) for st in stairs)
    longest = max(4.0 * lw_max + 4.0, 0.03 * mask.shape[1])
    # horizontal runs, one number each: a pixel of ``mask`` (row by row, ``rr, cc`` in
    # that order) begins a run unless the pixel left of it in its row is ``mask`` too
    starts = np.ones(len(rr), dtype=bool)
    starts[1:] = (rr[1:] != rr[:-1]) | (cc[1:] != cc[:-1] + 1)
    run = np.cumsum(starts) - 1
    size = np.bincount(run)
    touches = np.bincount(run, weights=on_path[rr, cc]) > 0
    near |= (size[run] <= longest) & touches[run]
    return rr, cc, near, inside


def _support(st: Staircase, ink: NDArray[np.bool_], c0: int, r0: int) -> float:
    """Share of the columns of a staircase's levels (two line widths in from each knot)
    that have ink within 1.5 line widths of the level: about 1 for a solid curve traced
    on its own pixels, lower where a trace left its curve."""
    lw = max(st.stroke.width, 1.0)
    tol = int(np.ceil(1.5 * lw + 1.0))
    h, w = ink.shape
    ends = [*st.x[1:].tolist(), float(st.x_end)]
    total = have = 0
    for x_a, x_b, y in zip(st.x.tolist(), ends, st.y.tolist(), strict=True):
        a = max(int(np.ceil(x_a - c0 + 2 * lw)), 0)
        b = min(int(np.floor(x_b - c0 - 2 * lw)), w - 1)
        if b < a:
            continue
        r = round(y - r0)
        band = ink[max(r - tol, 0):min(r + tol + 1, h), a:b + 1]
        total += b - a + 1
        have += int(band.any(axis=0).sum()) if band.size else 0
    return have / total if total else 1.0


#: symbols joining two words of one legend label ("Surgery + RT", "A & B", "5-FU / LV")
_JOINING = frozenset({"+", "&", "/"})


def _legend_names(scene: Scene, stairs: list[Staircase],
                  limits: Sequence[Staircase] = (),
                  labels_out: list[Word] | None = None) -> list[str | None]:
    """Legend text whose key (pixels just left of it) has a curve's colour (the first word
    of each label used is appended to ``labels_out``).

    Words that a curve or one of the confidence ``limits`` traced in a curve's colour runs
    through are marks or pieces of lines read as letters, not labels.

    For every line of text, the pixels within four text heights to its left are given to the
    nearest curve colour (RGB distance < 0.3, anti-aliased keys are pale); the text goes
    to the curve with most such pixels (at least 3), and each curve takes its best text: one
    lined up with another curve's text (same left edge or row) first, then the most pixels.
    """
    img = scene.image
    words = [wd for wd in scene.words if not wd.rotated]
    cols = np.array([st.colour for st in stairs], dtype=np.float64)
    heights = [wd.height for wd in words if parse_number(wd.text) is not None
               and (wd.colour is None or max(wd.colour) - min(wd.colour) < 0.25)]
    numbers_h = float(np.median(heights)) if len(heights) >= 3 else 0.0
    owner: dict[int, int] = {}  # id(word) -> curve whose key is left of it
    keys: dict[int, FloatArray] = {}  # id(word) -> the pixels left of it
    cands: list[tuple[int, int, Word]] = []  # curve, key pixels, label
    for wd in words:
        if not any(ch.isalpha() for ch in wd.text) and not _number_before_a_word(wd, words):
            continue  # a legend label has letters; numbers are ticks or counts
        if _on_a_curve(wd, [*stairs, *limits]) or _struck_through(wd, img):
            continue  # censoring marks read as letters ("Hh" for "++"), not a label
        if not_a_name(wd, words):
            continue  # a p-value or the table's heading ("Number at risk")
        found = _key_left_of(wd, words, img, cols)
        if found is None:
            continue  # no key, or a key matching two curves
        k, counts, key = found
        if _coloured_as_another(wd, cols, k):
            continue  # a piece of another curve read as letters ("are"), not its label
        if _small_in_its_key_colour(wd, cols[k], numbers_h):
            continue  # the dashes of a curve's confidence limit read as letters ("ss")
        if _same_colour(stairs, k):  # curves of one colour: the key's line style decides
            n = int(counts[k])
            k = _by_key_style(key, stairs, cols, k)
            if k < 0:
                continue
            counts[k] = n
        owner[id(wd)] = k
        keys[id(wd)] = key
        cands.append((k, int(counts[k]), wd))
    best = _best_labels(cands)
    _second_claims(words, owner, keys, best, cols)
    names: dict[int, str] = {}
    if labels_out is not None:
        labels_out.extend(wd for _, wd in best.values())
    for k, (_, wd) in best.items():
        hgt = _line_height(wd, words)
        # the whole line right of the first word: a long name ("No hormonal therapy")
        # reaches past six text heights; the walk below stops at a gap
        line = sorted([x for x in words if abs(x.yc - wd.yc) < 0.4 * hgt
                       and x.x0 > wd.x0], key=lambda x: x.x0)
        text = wd.text
        prev = wd
        for pos, x in enumerate(line):
            if x.x0 - prev.x1 > 0.8 * hgt or id(x) in owner or _key_as_symbols(x, cols, wd):
                break  # a gap, or the next legend entry (or its key read as symbols)
            if not (any(ch.isalnum() for ch in x.text) or x.text in RELATIONS):
                # symbols: a joining "+", "&" or "/" between two words of one label
                # ("Surgery + RT"), or the next entry's key read as symbols
                after = line[pos + 1] if pos + 1 < len(line) else None
                if x.text not in _JOINING or after is None or id(after) in owner or \
                        after.x0 - x.x1 > 0.8 * hgt or \
                        not any(ch.isalnum() for ch in after.text):
                    break
            # OCR may cut one word in two ("Lev+5" "FU"): no space across a glyph gap,
            # under a third of the shorter word's height (the height of a capital or a
            # digit; a word with a descender, "Age", is taller than its letters)
            small = min(prev.bottom - prev.top, x.bottom - x.top)
            text += ("" if x.x0 - prev.x1 < 0.33 * small else " ") + x.text
            prev = x
        names[k] = text
    return [names.get(k) for k in range(len(stairs))]


def _key_colours(scene: Scene) -> list[FloatArray]:
    """The colours of the line keys left of the words with letters (a key as
    :func:`_keys_of_no_curve` finds it: ink over 1.5 text heights of columns in a row, four
    text heights left of the word, over its rows; its colour the mean of its darkest third
    of pixels), for every word that starts a line of text."""
    img = scene.image
    if img is None:
        return []
    out: list[FloatArray] = []
    for wd in scene.words:
        core = _line_key_colour(img, wd, scene.words)
        if core is not None:
            out.append(core)
    return out


def _line_key_colour(img: FloatArray, wd: Word, words: Sequence[Word]) -> FloatArray | None:
    """The colour of a line key left of ``wd`` (see :func:`_key_colours`), or None: no
    word with letters, another word just before it, or no line there."""
    hgt = wd.bottom - wd.top
    if wd.rotated or sum(ch.isalpha() for ch in wd.text) < 2 or hgt <= 0:
        return None
    if any(x is not wd and abs(x.yc - wd.yc) < 0.4 * hgt and
           wd.x0 - 0.8 * hgt <= x.x1 <= wd.x0 + 1 for x in words):
        return None
    a0, a1 = int(max(wd.x0 - 4 * hgt, 0)), int(max(wd.x0 - 1, 0))
    b0, b1 = int(max(wd.top, 0)), int(min(wd.bottom + 1, img.shape[0]))
    if a1 - a0 < 2 or b1 <= b0:
        return None
    key = img[b0:b1, a0:a1]
    ink = (key.mean(axis=2) < 0.85) | (key.max(axis=2) - key.min(axis=2) >= 0.2)
    if int(ink.sum(axis=1).max()) < 1.5 * hgt:
        return None
    px = key[ink]
    return np.asarray(px[np.argsort(px.mean(axis=1))[:max(len(px) // 3, 1)]].mean(axis=0))


def _keys_of_no_curve(scene: Scene, labels: Sequence[Word],
                      colours: Sequence[Colour | None]) -> list[tuple[Word, Colour]]:
    """Legend entries whose key is of a colour no traced curve has, with that colour.

    An entry is a word with letters, not one of the ``labels`` read, that starts where one
    of them starts (within 0.3 text heights) one to four text heights above or below it,
    as tall (within 20 %). Its key is a line left of it, as a label's key lies
    (:func:`_key_left_of`'s window: four text heights, the word's rows): ink (mean of RGB
    under 0.85, or a channel spread of 0.2) in a row over 1.5 text heights or more of
    columns. The key's colour is the mean of its darkest third of pixels (its core, off
    the anti-aliased edges); no curve has it when every curve's colour is 0.3 or more away
    in RGB distance. (udca1's grey placebo key, its curve hidden under the other arm at
    its start and not traced.)"""
    img = scene.image
    cols = [np.asarray(c, dtype=np.float64) for c in colours if c is not None]
    if img is None or not labels or not cols:
        return []
    out: list[tuple[Word, Colour]] = []
    for wd in scene.words:
        hgt = wd.bottom - wd.top
        if wd.rotated or wd in labels or sum(ch.isalpha() for ch in wd.text) < 2:
            continue
        if not any(abs(wd.x0 - lab.x0) <= 0.3 * hgt
                   and abs(hgt - (lab.bottom - lab.top)) <= 0.2 * max(hgt, lab.bottom - lab.top)
                   and 0.9 * hgt <= abs(wd.yc - lab.yc) <= 4.0 * hgt for lab in labels):
            continue
        core = _line_key_colour(img, wd, scene.words)
        if core is None:
            continue  # no line there
        if min(float(np.linalg.norm(core - c)) for c in cols) >= 0.3:
            out.append((wd, (round(float(core[0]), 2), round(float(core[1]), 2),
                             round(float(core[2]), 2))))
    return out


def _line_height(wd: Word, words: Sequence[Word]) -> float:
    """A word's text height; for a relation sign read as a word of its own (lower than the
    digits and letters after it), the tallest of the words just after it on its line."""
    hgt = wd.bottom - wd.top
    if wd.text not in RELATIONS:
        return hgt
    return max([hgt] + [x.bottom - x.top for x in words
                        if abs(x.yc - wd.yc) < 0.6 * (x.bottom - x.top)
                        and 0 <= x.x0 - wd.x1 <= x.bottom - x.top])


def _number_before_a_word(wd: Word, words: Sequence[Word]) -> bool:
    """Whether a word without letters begins a label: a number or range followed on its
    line, a word-space away, by a word with letters (R's ``"<=20 mm"``, ``"20-50 mm"``);
    tick labels and table counts have no such word after them. A relation sign read as a
    word of its own (``"<="``, ``">"``) begins a label when the word after it a word-space
    away does, or has letters (``"> 50 mm"``)."""
    hgt = wd.bottom - wd.top
    if wd.text in RELATIONS:
        return any(abs(x.yc - wd.yc) < 0.6 * max(hgt, x.bottom - x.top)
                   and 0 <= x.x0 - wd.x1 <= 0.8 * max(hgt, x.bottom - x.top)
                   and x.text not in RELATIONS
                   and (any(ch.isalpha() for ch in x.text) or _number_before_a_word(x, words))
                   for x in words)
    if not any(ch.isdigit() for ch in wd.text):
        return False
    return any(abs(x.yc - wd.yc) < 0.4 * hgt and 0 <= x.x0 - wd.x1 <= 0.8 * hgt
               and any(ch.isalpha() for ch in x.text) for x in words)


def _best_labels(cands: list[tuple[int, int, Word]]) -> dict[int, tuple[int, Word]]:
    """Each curve's label among ``(curve, key pixels, word)`` candidates: one lined up with
    another curve's candidate first (a legend's entries share a left edge, within half a
    text height, or a row), then a word of three letters or more, then the one with most
    key pixels. A speck of a curve read as a letter ("r") may have a curve's thick line as
    its "key", with more pixels than the legend's own key, and be lined up with another
    speck ("rn." on the row of an "l" read in a mark of the other curve)."""
    best: dict[int, tuple[int, Word]] = {}
    rank_best: dict[int, tuple[bool, bool]] = {}
    for k, n, wd in cands:
        hgt = wd.bottom - wd.top
        lined = any(j != k and (abs(x.x0 - wd.x0) <= 0.5 * hgt or abs(x.yc - wd.yc) <= 0.4 * hgt)
                    for j, _, x in cands)
        rank = (lined, sum(ch.isalpha() for ch in wd.text) >= 3)
        if k not in best or (*rank, n) > (*rank_best[k], best[k][0]):
            best[k] = (n, wd)
            rank_best[k] = rank
    return best


def _second_claims(words: list[Word], owner: dict[int, int], keys: dict[int, FloatArray],
                   best: dict[int, tuple[int, Word]], cols: FloatArray) -> None:
    """Labels whose key went to a curve another label holds, given to the one curve no
    label names when their key's colour is that curve's (``best`` and ``owner`` changed in
    place).

    A JPEG at 150 dpi smears a small red key towards orange: its pixels vote for the
    orange curve, whose own label has it already, and the red curve is left without a
    name. With exactly one curve unnamed and one such label, the label is that curve's
    when the mean of its key's most coloured pixels (channel spread ≥ 0.6 of the key's
    largest) is within RGB distance 0.3 of that curve's colour and nearer it than the
    curve it voted for.
    """
    free = [k for k in range(len(cols)) if k not in best]
    lost = [wd for wd in words if id(wd) in owner and best.get(owner[id(wd)], (0, None))[1]
            is not wd]
    if len(free) != 1 or len(lost) != 1:
        return
    wd, k = lost[0], free[0]
    patch = keys[id(wd)].reshape(-1, 3)
    chroma = patch.max(axis=1) - patch.min(axis=1)
    if float(chroma.max()) < 0.25:
        return  # a grey key: colours say nothing more
    core = patch[chroma >= 0.6 * float(chroma.max())].mean(axis=0)
    d = np.linalg.norm(cols - core, axis=1)
    if d[k] < 0.3 and d[k] < d[owner[id(wd)]]:
        owner[id(wd)] = k
        best[k] = (1, wd)


#: small letters that reach a digit's height (ascenders) or below the line (descenders)
_TALL_SMALL = frozenset("bdfhkltgjpqy")


def _small_in_its_key_colour(wd: Word, colour: FloatArray, numbers_h: float) -> bool:
    """Whether word ``wd`` is of the colour of the curve its key is (chroma ≥ 0.25,
    within RGB distance 0.15) and under 0.6 of the median height ``numbers_h`` of the
    figure's upright grey or black numbers (tick labels): pieces of that curve (the
    dashes of its confidence limits) read as small letters, whose "key" is the curve
    itself. A legend label in its arm's
    colour is as tall as the text around it (small letters are 0.7 of a digit's
    height). A word with a capital, a digit or a letter reaching above or below the small
    letters is as tall as a digit: under 0.75 of ``numbers_h`` it is such a piece too (an
    "L" read off the corner of a dashed limit's drop, 0.67 of the digits' height, took
    the name of a single-arm R figure whose table named it "All patients")."""
    if wd.colour is None or numbers_h <= 0:
        return False
    c = np.asarray(wd.colour, dtype=np.float64)
    if not (float(c.max() - c.min()) >= 0.25 and float(np.linalg.norm(c - colour)) < 0.15):
        return False
    tall = any(ch.isupper() or ch.isdigit() or ch in _TALL_SMALL for ch in wd.text)
    return wd.height < (0.75 if tall else 0.6) * numbers_h


def _coloured_as_another(wd: Word, cols: FloatArray, k: int) -> bool:
    """Whether word ``wd`` has the colour of a curve other than ``k`` (within RGB distance
    0.1) and not curve ``k``'s: a label in its arm's colour has its arm's key, so a
    "word" with a key of another colour is that other curve's ink (dashes and marks of a
    grey curve read as "are" beside a black one). Dark grey words (mean ≤ 0.45) are
    text: black glyphs average, with their anti-aliased edges, to the grey of a dark
    curve."""
    if wd.colour is None:
        return False
    c = np.asarray(wd.colour, dtype=np.float64)
    if float(c.max() - c.min()) < 0.25 and float(c.mean()) <= 0.45:
        return False  # dark text: black glyphs average to a dark grey any dark curve has
    dist = np.linalg.norm(cols - c, axis=1)
    return bool(dist[k] >= 0.1 and np.any(np.delete(dist, k) < 0.1))


def _key_left_of(
    wd: Word, words: list[Word], img: FloatArray, cols: FloatArray
) -> tuple[int, NDArray[np.int64], FloatArray] | None:
    """The colour (index into ``cols``) of the legend key left of the label ``wd``, its
    pixel counts per colour and the key's pixels; ``None`` when ``wd`` is the second word of
    a label or no colour has a key there (at least 3 pixels within RGB distance 0.3, not an
    anti-aliased grey edge, and no other colour with 70 % as many)."""
    hgt = wd.bottom - wd.top
    # the gap is measured in the taller word's height: a word of small letters ("no"
    # after "Oedema,") is shorter than the space before it
    # (a key read as letters, "as" for a line on a box, is struck through: no word)
    # (a key read as symbols, "+" for survminer's line with a censoring mark, in a curve's
    # colour, is no word either)
    if any(x is not wd and abs(x.yc - wd.yc) < 0.4 * max(hgt, x.bottom - x.top) and
           wd.x0 - 0.8 * max(hgt, x.bottom - x.top) <= x.x1 <= wd.x0 + 1
           and not _struck_through(x, img) and not _key_as_symbols(x, cols, wd)
           for x in words):
        return None  # the second word of a label: the text before it is no key
    a0, a1 = int(max(wd.x0 - 4 * hgt, 0)), int(max(wd.x0 - 1, 0))
    b0, b1 = int(max(wd.top, 0)), int(min(wd.bottom + 1, img.shape[0]))
    if a1 <= a0 or b1 <= b0:
        return None
    key = img[b0:b1, a0:a1]
    patch = key.reshape(-1, 3)
    dist = np.linalg.norm(patch[:, None, :] - cols[None, :, :], axis=2)
    nearest = np.argmin(dist, axis=1)
    # the anti-aliased edge of a dark grey key looks like a paler grey curve's colour
    edge = _antialiased_grey(key).reshape(-1)
    ok = (dist[np.arange(len(patch)), nearest] < 0.3) & ~edge
    # (an upright line through the key's rows, running on above and below the label --
    # the panel's frame when the legend is drawn against it -- is no key)
    ok &= ~np.tile(_upright_through(img, a0, a1, b0, b1, hgt), b1 - b0)
    counts = np.bincount(nearest[ok], minlength=len(cols))
    k = int(np.argmax(counts))
    line = _line_on_a_box(ok, nearest, counts, cols, k, hgt, key.shape[:2])
    if line != k:
        return line, counts, key  # a line on a box: the box's pixels do not compete
    if counts[k] < 3 or (len(counts) > 1 and np.sort(counts)[-2] >= 0.7 * counts[k]):
        return None
    return k, counts, key


def _upright_through(img: FloatArray, a0: int, a1: int, b0: int, b1: int, hgt: float
                     ) -> NDArray[np.bool_]:
    """Per column ``a0 .. a1 - 1`` of ``img``: whether ink (mean of RGB under 0.6) fills
    rows ``b0 .. b1 - 1`` and goes on a text height above or below them (an upright
    line, the frame ending at its corner below the last entry; not a legend key's
    level)."""
    up = img[int(max(b0 - hgt, 0)):b1, a0:a1].mean(axis=2) < 0.6
    down = img[b0:int(min(b1 + hgt, img.shape[0])), a0:a1].mean(axis=2) < 0.6
    return np.asarray(up.all(axis=0) | down.all(axis=0), dtype=bool)


def _key_as_symbols(x: Word, cols: FloatArray, text: Word) -> bool:
    """Whether a word is a legend key read as symbols: no letter or digit, and nearer a
    curve's colour (RGB distance under 0.3, and under 0.1 for a grey word) than the colour
    of the label ``text`` by 0.15 or more (a joining "+" of a label is in the text's
    colour)."""
    if x.colour is None or any(ch.isalnum() for ch in x.text) or not len(cols):
        return False
    c = np.asarray(x.colour, dtype=np.float64)
    near = float(np.min(np.linalg.norm(cols - c, axis=1)))
    grey = float(c.max() - c.min()) < 0.25
    if near >= (0.1 if grey else 0.3):
        return False
    if text.colour is None:
        return not grey
    return float(np.linalg.norm(np.asarray(text.colour, dtype=np.float64) - c)) >= near + 0.15


def _line_on_a_box(ok: NDArray[np.bool_], nearest: NDArray[np.intp],
                   counts: NDArray[np.int64], cols: FloatArray, k: int, hgt: float,
                   shape: tuple[int, ...]) -> int:
    """The curve of a legend key drawn as a line on a filled box (ggplot2 draws a
    confidence band's fill behind the key's line): ``k`` (the colour with most pixels in
    the key) unless another curve's colour, darker than ``k``'s, is a horizontal run at
    least 0.8 text heights long in rows that ``k``'s pixels enclose above and below --
    the line on the box, whose fill, a paler blend, had more pixels. """
    h, w = shape[0], shape[1]
    near = nearest.reshape(h, w)
    good = ok.reshape(h, w)
    mine = good & (near == k)
    rows_k = np.flatnonzero(mine.any(axis=1))
    best = k
    for j in np.argsort(-counts):
        j = int(j)
        if j == k or counts[j] < max(3, 0.8 * hgt) or \
                float(cols[j].mean()) > float(cols[k].mean()) - 0.05:
            continue
        theirs = good & (near == j)
        full = np.flatnonzero(theirs.sum(axis=1) >= 0.8 * hgt)  # rows that may hold one
        run_rows = [int(r) for r in full if max((b - a + 1 for a, b in _runs(theirs[r])),
                                                default=0) >= 0.8 * hgt]
        if run_rows and len(rows_k) and rows_k[0] < run_rows[0] and \
                rows_k[-1] > run_rows[-1]:
            best = j
            break
    return best


def _legend_keys(scene: Scene, centres: list[FloatArray], centre: FloatArray) -> int:
    """How many legend labels have a key of colour ``centre`` (among the colour classes
    ``centres``): text with letters, not struck through by a line, whose pixels within four
    text heights to its left are mostly nearest that colour (RGB distance < 0.3, at least 3
    pixels, no other colour with 70 % as many), as :func:`_legend_names` reads them. The
    colours compared are the classes that can be curves: not a paler shade of a more
    frequent class (an anti-aliased edge), not a pale grey in a colour figure."""
    img = scene.image
    saturated = any(float(c.max() - c.min()) >= 0.4 for c in centres)
    cands: list[FloatArray] = []
    for c in centres:
        if saturated and float(c.max() - c.min()) < 0.25 and float(c.mean()) > 0.35:
            continue
        tup = (float(c[0]), float(c[1]), float(c[2]))
        if any(_paler(tup, (float(z[0]), float(z[1]), float(z[2]))) for z in cands):
            continue
        cands.append(c)
    if not any(float(np.linalg.norm(c - centre)) < 1e-9 for c in cands):
        return 0
    cols = np.asarray(cands, dtype=np.float64)
    me = int(np.argmin(np.linalg.norm(cols - centre, axis=1)))
    words = [wd for wd in scene.words if not wd.rotated]
    n = 0
    for wd in words:
        if not any(ch.isalpha() for ch in wd.text) or _struck_through(wd, img):
            continue
        found = _key_left_of(wd, words, img, cols)
        n += int(found is not None and found[0] == me)
    return n


def _same_colour(stairs: list[Staircase], k: int) -> bool:
    """Whether another curve has the colour of curve ``k`` (they differ by line style)."""
    ck = np.asarray(stairs[k].colour, dtype=np.float64)
    return any(j != k and float(np.linalg.norm(np.asarray(st.colour, dtype=np.float64) - ck))
               < 0.1 for j, st in enumerate(stairs))


#: a legend key names the curve of its colour whose share of own columns is nearest its
#: own filled share when the next nearest is this much farther
_KEY_SHARE_MARGIN = 0.05
#: ... and fills at least this share of its columns (matplotlib's dotted keys fill
#: 0.39-0.46; pieces of the curves left of a word in the plot 0.05-0.16)
_KEY_LEAST_FILLED = 0.25


def _by_key_style(patch: FloatArray, stairs: list[Staircase], cols: FloatArray, k: int) -> int:
    """Among the curves of the colour of curve ``k``, the one whose line style (solid or
    dashed) is that of the legend key in ``patch`` (the pixels left of a legend label);
    -1 when the style does not single out one curve.

    The key's style: between the first and last ink pixel (mean of RGB < 0.6) of the row
    of the patch with most ink, the share of columns that are ink in every row of the
    key's line (the rows with at least half as much ink): a solid key fills them (≥ 0.85,
    with no gap of two columns or more), a dashed or dotted one leaves gaps. Every row of
    the line is judged because a censoring mark drawn on the key (survminer's ``+``) fills
    the gaps of a dashed key in the rows of its own horizontal bar, never in all rows of a
    line thicker than that bar (a key as thin as the bar is read as solid). For two curves,
    an upright line in the patch (ink in nine rows in ten of a column: the frame beside a
    legend in a corner) is left out first, and a patch with ink in most of its rows holds
    no line key (pieces of curves that OCR read as a word); three or more are told apart
    by the key's filled share as the patch gives it. (An upright line is a run of the
    key's row whose columns are all inked in nine rows in ten.)
    """
    same = [j for j in range(len(stairs))
            if float(np.linalg.norm(cols[j] - cols[k])) < 0.1]
    if len(same) < 2:
        return k

    def filled_of(ink: NDArray[np.bool_]) -> NDArray[np.bool_] | None:
        # the columns of the key's span that are ink in every row of its line
        if not ink.any():
            return None
        sums = ink.sum(axis=1)
        on = np.flatnonzero(ink[int(np.argmax(sums))])
        if on[-1] - on[0] < 6:
            return None  # too short to tell a dash from a line
        return np.asarray(ink[sums >= 0.5 * sums.max(), on[0]:on[-1] + 1].all(axis=0))

    ink = patch.mean(axis=2) < 0.6
    if len(same) >= 3:
        # solid, dashed and dotted: the curve whose share of own columns (relative to the
        # most complete one's) is nearest the key's filled share, clearly nearest
        filled = filled_of(ink)
        top = max(stairs[j].ink_share for j in same)
        if filled is None or top <= 0 or float(np.mean(filled)) < _KEY_LEAST_FILLED:
            return -1  # (pieces of curves left of a word read in the plot: no key)
        far = sorted((abs(stairs[j].ink_share / top - float(np.mean(filled))), j)
                     for j in same)
        return far[0][1] if far[1][0] - far[0][0] >= _KEY_SHARE_MARGIN else -1
    if ink.shape[0] >= 8 and ink.any():
        # (a run of the key's row made only of columns inked in nine rows in ten is an
        # upright line standing apart -- the frame or the y axis near a legend in a corner
        # -- not part of the key; a censoring mark's upright bar on the key is inside a
        # longer run of it)
        upright = ink.mean(axis=0) >= 0.9
        main = ink[int(np.argmax(ink.sum(axis=1)))]
        for a, b in _runs(main):
            if upright[a:b + 1].all():
                ink[:, a:b + 1] = False
    sums = ink.sum(axis=1)
    if ink.any() and int(np.sum(sums >= 0.5 * sums.max())) > 0.5 * len(sums):
        return -1  # ink all over the patch (pieces of curves read as a word): no line key
    filled = filled_of(ink)
    if filled is None:
        return -1
    gap = max((b - a + 1 for a, b in _runs(~filled)), default=0)
    dashed = float(np.mean(filled)) < 0.85 or gap >= 2
    match = [j for j in same if stairs[j].dashed == dashed]
    return match[0] if len(match) == 1 else -1


def _struck_through(wd: Word, img: FloatArray) -> bool:
    """Whether a line runs through the box of word ``wd``: the box holds a horizontal run
    of dark ink (mean of RGB < 0.5) longer than 1.2 box heights (no glyph has such a
    stroke), or one row of the box is ink (< 0.85, not a pale grey grid line:
    :func:`_line_ink`) in at least 80 % of its columns and that row (or one next to it)
    stays ink for a text height on one side of the box. Text has
    neither; a curve with censoring marks or dashes that OCR read as letters ("Hh" for
    "++", "tay") does.
    """
    hgt = max(round(wd.bottom - wd.top), 2)
    r0, r1 = int(max(wd.top, 0)), int(min(wd.bottom + 1, img.shape[0]))
    a0, a1 = int(max(wd.x0, 0)), int(min(wd.x1 + 1, img.shape[1]))
    if r1 <= r0 or a1 - a0 < 4:
        return False
    core = img[r0:r1, a0:a1].mean(axis=2) < 0.5
    longest = max((b - a + 1 for row in core for a, b in _runs(row)), default=0)
    if longest >= 1.2 * hgt:
        return True  # no glyph has a stroke that long: a step of a curve
    ink = _line_ink(img[r0:r1, a0:a1])
    for r in np.flatnonzero(ink.mean(axis=1) >= 0.8):
        rows = slice(max(r0 + r - 1, 0), r0 + r + 2)
        left = _line_ink(img[rows, max(a0 - hgt, 0):a0])
        right = _line_ink(img[rows, a1:a1 + hgt])
        for side in (left, right):
            if side.shape[1] >= hgt // 2 and np.mean(side.any(axis=0)) >= 0.8:
                return True
    return False


def _line_ink(patch: FloatArray) -> NDArray[np.bool_]:
    """The pixels of ``patch`` a curve's line may leave: darker than 0.85 (mean of RGB; a
    thin line's anti-aliased rows are pale), except pale grey (channel spread under 0.1
    and paler than 0.7): a grid line drawn behind the text (matplotlib's whitegrid
    ``#cccccc``, 0.8) runs through a legend label as a curve would, and is no curve."""
    grey, chroma = _grey_and_chroma(np.array(patch, dtype=np.float64))
    return np.asarray((grey < 0.85) & ~((chroma < 0.1) & (grey > 0.7)), dtype=bool)


def _on_a_curve(wd: Word, stairs: list[Staircase]) -> bool:
    """Whether a traced staircase runs through the box of word ``wd`` (OCR of the marks on
    a curve, not text beside it)."""
    for st in stairs:
        lo, hi = max(wd.x0, st.x[0]), min(wd.x1, st.x_end)
        if hi <= lo:
            continue
        lv = _levels(st, np.linspace(lo, hi, 9))
        if np.any((lv >= wd.top - 1) & (lv <= wd.bottom + 1)):
            return True
    return False
