"""Read a vector PDF figure (one page) into a :class:`~survkit.digitize.scene.Scene`.

pdfplumber (MIT licence, on pdfminer.six) gives every path with its exact coordinates,
stroke colour, width and dash pattern, and every character with its position; nothing is
rasterized, so the curves are read exactly as the file stores them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from survkit.digitize.deps import require
from survkit.digitize.scene import Colour, Scene, Stroke
from survkit.digitize.text import Char, words_from_chars

__all__ = ["page_images", "read_pdf", "render_page"]


def _colour(value: Any) -> Colour | None:
    """A pdfplumber colour (gray, RGB or CMYK tuple / float) as RGB in [0, 1]."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        return (v, v, v)
    vals = [float(v) for v in value if isinstance(v, (int, float))]
    if len(vals) == 1:
        return (vals[0], vals[0], vals[0])
    if len(vals) == 3:
        return (vals[0], vals[1], vals[2])
    if len(vals) == 4:
        c, m, y, k = vals
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def _subpaths(obj: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Split a path at its move-to operators (pdfplumber joins them in ``pts``)."""
    path = obj.get("path")
    if not path:
        return [list(obj["pts"])]
    out: list[list[tuple[float, float]]] = []
    for op in path:
        kind = op[0]
        if kind == "m":
            out.append([op[1]])
        elif kind in ("l", "c", "v", "y"):
            if not out:
                out.append([])
            out[-1].append(op[-1])
        elif kind == "h" and out and out[-1]:
            out[-1].append(out[-1][0])
    return [s for s in out if s]


_DASHES = frozenset("-\u2212\u2013\u2014_")


def _key_bars(chars: list[dict[str, Any]]) -> list[tuple[int, Stroke]]:
    """Dashes in a font 2.5 times the page's median size or more: not text but keys drawn
    as characters (survminer's coloured bars beside unnamed risk-table rows are minus signs
    at 50 pt), as filled bars across the character's box at its middle, a tenth of the
    font size thick (a minus sign's stroke), with the character's colour."""
    sizes = [float(c.get("size") or 0.0) for c in chars]
    if not sizes:
        return []
    med = float(np.median(sizes))
    out: list[tuple[int, Stroke]] = []
    for k, c in enumerate(chars):
        if c.get("text") not in _DASHES or not c.get("upright", True) or \
                sizes[k] < 2.5 * med or med <= 0:
            continue
        x0, x1 = float(c["x0"]), float(c["x1"])
        yc = 0.5 * (float(c["top"]) + float(c["bottom"]))
        half = 0.05 * sizes[k]
        pts = np.array([[x0, yc - half], [x1, yc - half], [x1, yc + half], [x0, yc + half],
                        [x0, yc - half]])
        out.append((k, Stroke(pts, None, _colour(c.get("non_stroking_color")))))
    return out


def _lone_marks(chars: list[Char]) -> tuple[list[Char], list[Char]]:
    """Plotting symbols drawn as characters (survminer's ``+`` and ``|`` censoring marks)
    apart from the text: a ``+`` or ``|`` with no other character beside it on its line
    (within a third of its size across and 0.3 of it along). Grouped with the text, a
    crowd of marks at every height of the panel would chain the tick labels of the y
    axis into one line."""
    idx = [k for k, c in enumerate(chars) if c.text in "+|" and not c.rotated]
    others = [c for c in chars if c.text not in "+|" and not c.text.isspace()]
    if not idx or not others:
        return [chars[k] for k in idx], [c for k, c in enumerate(chars) if k not in set(idx)]
    ox0 = np.array([c.x0 for c in others])
    ox1 = np.array([c.x1 for c in others])
    oyc = np.array([0.5 * (c.top + c.bottom) for c in others])
    lone: set[int] = set()
    for k in idx:
        c = chars[k]
        size = max(c.bottom - c.top, 1e-9)
        yc = 0.5 * (c.top + c.bottom)
        near = (np.abs(oyc - yc) <= size / 3) & (ox0 - c.x1 <= 0.3 * size) & \
            (c.x0 - ox1 <= 0.3 * size)
        if not np.any(near):
            lone.add(k)
    return ([chars[k] for k in sorted(lone)],
            [c for k, c in enumerate(chars) if k not in lone])


def _line_of(c: dict[str, Any]) -> dict[str, float]:
    """Baseline (page ``y``, downwards) and font size of an upright, unskewed character:
    its text matrix's origin lies on the baseline, ``y1 - f`` below the box's top."""
    m = c.get("matrix")
    if not c.get("upright", True) or m is None or abs(m[1]) > 1e-9 or abs(m[2]) > 1e-9:
        return {}
    return {"baseline": float(c["top"]) + float(c["y1"]) - float(m[5]),
            "em": float(c["size"])}


def read_pdf(path: str | Path, page: int = 0) -> Scene:
    """Read page ``page`` (0-based) of a PDF.

    Raises
    ------
    ValueError
        The file is not a PDF, or has no page ``page``.
    """
    pdfplumber = require("pdfplumber", "reading PDF figures")
    try:
        doc = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises many types for a damaged file
        raise ValueError(f"path: cannot read {path} as PDF ({type(exc).__name__})") from None
    with doc:
        if not 0 <= page < len(doc.pages):
            raise ValueError(f"page: {page} is out of range (the PDF has {len(doc.pages)} pages)")
        p = doc.pages[page]
        strokes: list[Stroke] = []
        for obj in list(p.curves) + list(p.lines) + list(p.rects):
            stroked = bool(obj.get("stroke", True))
            filled = bool(obj.get("fill", False))
            colour = _colour(obj.get("stroking_color")) if stroked else None
            fill = _colour(obj.get("non_stroking_color")) if filled else None
            dash = obj.get("dash")
            pattern = tuple(float(d) for d in dash[0]) if dash and dash[0] else ()
            pattern = pattern if any(d > 0 for d in pattern) else ()
            width = float(obj.get("linewidth") or 1.0)
            subs = _subpaths(obj) if obj["object_type"] != "rect" else [
                [(obj["x0"], obj["top"]), (obj["x1"], obj["top"]), (obj["x1"], obj["bottom"]),
                 (obj["x0"], obj["bottom"]), (obj["x0"], obj["top"])]
            ]
            for sub in subs:
                # pdfplumber gives path points measured from the top of the page already.
                pts = np.asarray(sub, dtype=np.float64).reshape(-1, 2)
                strokes.append(Stroke(pts, colour, fill, width, pattern))
        raw = list(p.chars)
        bars = _key_bars(raw)
        strokes.extend(b for _, b in bars)
        skip = {k for k, _ in bars}
        chars = [
            Char(
                text=c["text"], x0=float(c["x0"]), x1=float(c["x1"]), top=float(c["top"]),
                bottom=float(c["bottom"]), colour=_colour(c.get("non_stroking_color")),
                rotated=not c.get("upright", True), **_line_of(c),
            )
            for k, c in enumerate(raw) if k not in skip
        ]
        marks, text = _lone_marks(chars)
        return Scene(
            kind="pdf",
            width=float(p.width),
            height=float(p.height),
            strokes=tuple(strokes),
            words=tuple(words_from_chars(text) + words_from_chars(marks)),
        )


def page_images(path: str | Path, page: int = 0) -> int:
    """Number of raster images drawn on page ``page``."""
    pdfplumber = require("pdfplumber", "reading PDF figures")
    with pdfplumber.open(str(path)) as doc:
        if not 0 <= page < len(doc.pages):
            return 0
        return len(doc.pages[page].images)


def render_page(path: str | Path, page: int = 0, dpi: float = 300.0) -> np.ndarray:
    """Page ``page`` rendered by pypdfium2 as an RGB array in [0, 1]."""
    pdfium = require("pypdfium2", "rendering PDF pages")
    doc = pdfium.PdfDocument(str(path))
    try:
        img = doc[page].render(scale=dpi / 72.0).to_pil().convert("RGB")
        return np.asarray(img, dtype=np.float64) / 255.0
    finally:
        doc.close()
