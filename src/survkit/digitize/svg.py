"""Read an SVG figure into a :class:`~survkit.digitize.scene.Scene` (a small SVG reader).

Handles what plotting libraries write: nested ``<g>`` with transforms and inherited styles,
``<path>`` (all commands; curves are flattened to their end points), ``<line>``,
``<polyline>``, ``<polygon>``, ``<rect>``, ``<use>`` of ``<defs>``/``<symbol>``, and text
three ways: ``<text>`` elements; matplotlib's outlined text (each ``<g id="text_N">`` carries
the string in a comment); and glyph outlines without the string (Cairo, as written by R's
``svg()`` device), which are drawn and read by OCR (:mod:`survkit.digitize.ocr`).
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.scene import Colour, Scene, Stroke, Word
from survkit.digitize.text import Char, words_from_chars

__all__ = ["Glyph", "parse_colour", "parse_path", "read_svg"]

Matrix = NDArray[np.float64]  # 3x3 affine

_NAMED: dict[str, Colour] = {
    "black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0), "red": (1.0, 0.0, 0.0),
    "green": (0.0, 0.502, 0.0), "blue": (0.0, 0.0, 1.0), "gray": (0.502, 0.502, 0.502),
    "grey": (0.502, 0.502, 0.502), "orange": (1.0, 0.647, 0.0), "purple": (0.502, 0.0, 0.502),
    "darkgray": (0.663, 0.663, 0.663), "darkgrey": (0.663, 0.663, 0.663),
    "lightgray": (0.827, 0.827, 0.827), "lightgrey": (0.827, 0.827, 0.827),
    "magenta": (1.0, 0.0, 1.0), "cyan": (0.0, 1.0, 1.0), "yellow": (1.0, 1.0, 0.0),
}


def parse_colour(text: str | None) -> Colour | None:
    """An SVG paint (``#rgb``, ``#rrggbb``, ``rgb(..)`` in 0–255 or %, a basic name) or None."""
    if text is None:
        return None
    t = text.strip().lower()
    if t in ("", "none", "transparent") or t.startswith("url("):
        return None
    if t.startswith("#"):
        h = t[1:]
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        if len(h) >= 6:
            try:
                return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)
            except ValueError:
                return None
        return None
    m = re.match(r"rgba?\(([^)]*)\)", t)
    if m:
        parts = [p.strip() for p in m.group(1).split(",")]
        vals = []
        for p in parts[:3]:
            vals.append(float(p[:-1]) / 100 if p.endswith("%") else float(p) / 255)
        if len(vals) == 3:
            return (vals[0], vals[1], vals[2])
        return None
    return _NAMED.get(t)


_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NARGS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}


def parse_path(d: str, samples: int = 1) -> list[list[tuple[float, float]]]:
    """Subpaths of an SVG path ``d`` as lists of vertices.

    Bézier curves are flattened to ``samples`` points each (1: the end point only, enough
    for plotted data; more to draw glyph outlines). Smooth curves (S, T) reuse the current
    point as their first control point.
    """
    tokens = _TOKEN.findall(d or "")
    subs: list[list[tuple[float, float]]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    cmd = ""
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "Zz":
                if subs and subs[-1]:
                    subs[-1].append(start)
                x, y = start
                continue
        if not cmd:
            i += 1
            continue
        n = _NARGS[cmd.lower()]
        if i + n > len(tokens) or any(t.isalpha() for t in tokens[i:i + n]):
            break
        args = [float(t) for t in tokens[i:i + n]]
        i += n
        rel = cmd.islower()
        c = cmd.lower()
        if c == "m":
            x, y = (x + args[0], y + args[1]) if rel else (args[0], args[1])
            subs.append([(x, y)])
            start = (x, y)
            cmd = "l" if rel else "L"  # further pairs are line-tos
            continue
        if c == "h":
            x = x + args[0] if rel else args[0]
        elif c == "v":
            y = y + args[0] if rel else args[0]
        else:
            ex, ey = args[-2], args[-1]
            x_prev, y_prev = x, y
            x, y = (x + ex, y + ey) if rel else (ex, ey)
            if samples > 1 and c in "cqs":
                ctrl = [(a + (x_prev if rel else 0.0), b + (y_prev if rel else 0.0))
                        for a, b in zip(args[0:-2:2], args[1:-2:2], strict=True)]
                if c == "s":
                    ctrl = [(x_prev, y_prev), *ctrl]
                pts = [(x_prev, y_prev), *ctrl, (x, y)]
                if not subs:
                    subs.append([start])
                for k in range(1, samples):
                    subs[-1].append(_bezier(pts, k / samples))
        if not subs:
            subs.append([start])
        subs[-1].append((x, y))
    return [s for s in subs if s]


def _bezier(pts: list[tuple[float, float]], t: float) -> tuple[float, float]:
    """Point at parameter ``t`` of the Bézier curve with control points ``pts`` (de Casteljau)."""
    p = list(pts)
    while len(p) > 1:
        p = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1])
             for a, b in itertools.pairwise(p)]
    return p[0]


def _parse_transform(text: str | None) -> Matrix:
    m = np.eye(3)
    if not text:
        return m
    for name, argstr in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        a = [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", argstr)]
        t = np.eye(3)
        if name == "matrix" and len(a) == 6:
            t = np.array([[a[0], a[2], a[4]], [a[1], a[3], a[5]], [0, 0, 1]])
        elif name == "translate" and a:
            t[0, 2] = a[0]
            t[1, 2] = a[1] if len(a) > 1 else 0.0
        elif name == "scale" and a:
            t[0, 0] = a[0]
            t[1, 1] = a[1] if len(a) > 1 else a[0]
        elif name == "rotate" and a:
            r = math.radians(a[0])
            rot = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0],
                            [0, 0, 1]])
            if len(a) == 3:
                pre = np.eye(3)
                pre[:2, 2] = a[1:3]
                post = np.eye(3)
                post[:2, 2] = [-a[1], -a[2]]
                rot = pre @ rot @ post
            t = rot
        m = m @ t
    return m


def _apply(m: Matrix, pts: list[tuple[float, float]]) -> NDArray[np.float64]:
    p = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    return p @ m[:2, :2].T + m[:2, 2]


@dataclass
class _Style:
    stroke: str | None = None
    fill: str | None = "black"
    width: float = 1.0
    dash: str | None = None
    opacity: float = 1.0
    fill_opacity: float = 1.0
    stroke_opacity: float = 1.0
    font_size: float = 12.0
    anchor: str = "start"

    def child(self, el: ET.Element) -> _Style:
        props = {k: v for k, v in el.attrib.items()}
        for part in (el.attrib.get("style") or "").split(";"):
            if ":" in part:
                k, v = part.split(":", 1)
                props[k.strip()] = v.strip()
        s = _Style(**self.__dict__)
        if "stroke" in props:
            s.stroke = props["stroke"]
        if "fill" in props:
            s.fill = props["fill"]
        if "stroke-width" in props:
            s.width = _float(props["stroke-width"], s.width)
        if "stroke-dasharray" in props:
            s.dash = props["stroke-dasharray"]
        if "opacity" in props:
            s.opacity *= _float(props["opacity"], 1.0)
        if "fill-opacity" in props:
            s.fill_opacity = _float(props["fill-opacity"], 1.0)
        if "stroke-opacity" in props:
            s.stroke_opacity = _float(props["stroke-opacity"], 1.0)
        if "font-size" in props:
            s.font_size = _float(props["font-size"], s.font_size)
        if "font" in props:
            m = re.search(r"([\d.]+)px", props["font"])
            if m:
                s.font_size = float(m.group(1))
        if "text-anchor" in props:
            s.anchor = props["text-anchor"]
        return s


def _float(text: str, default: float) -> float:
    m = re.match(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)", text)
    return float(m.group(1)) if m else default


@dataclass
class Glyph:
    """An outlined glyph without its character (to be read by OCR): polygons, fill colour."""

    polygons: list[NDArray[np.float64]]
    colour: Colour | None
    key: str | None = None
    #: the element holding the ``<use>`` (Cairo writes one ``<g>`` per string drawn)
    run: int = -1
    #: the glyph's origin (its pen position on the baseline), page coordinates
    origin: tuple[float, float] | None = None


@dataclass
class _State:
    ids: dict[str, ET.Element]
    strokes: list[Stroke] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    glyphs: list[Glyph] = field(default_factory=list)
    group: int = -1  # the element whose children are being walked
    # each glyph symbol's outline, parsed once (a figure may draw thousands of '+' marks)
    outlines: dict[str, list[NDArray[np.float64]]] = field(default_factory=dict)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _href(el: ET.Element) -> str | None:
    for k, v in el.attrib.items():
        if _local(k) == "href":
            return v[1:] if v.startswith("#") else v
    return None


def _shape_points(el: ET.Element, tag: str) -> list[list[tuple[float, float]]]:
    a = el.attrib
    if tag == "path":
        return parse_path(a.get("d", ""))
    if tag == "line":
        return [[(_float(a.get("x1", "0"), 0), _float(a.get("y1", "0"), 0)),
                 (_float(a.get("x2", "0"), 0), _float(a.get("y2", "0"), 0))]]
    if tag in ("polyline", "polygon"):
        nums = [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?",
                                             a.get("points", ""))]
        pts = list(zip(nums[0::2], nums[1::2], strict=False))
        if tag == "polygon" and pts:
            pts.append(pts[0])
        return [pts] if pts else []
    if tag == "rect":
        x, y = _float(a.get("x", "0"), 0), _float(a.get("y", "0"), 0)
        w, h = _float(a.get("width", "0"), 0), _float(a.get("height", "0"), 0)
        return [[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]]
    if tag in ("circle", "ellipse"):
        cx, cy = _float(a.get("cx", "0"), 0), _float(a.get("cy", "0"), 0)
        rx = _float(a.get("r", a.get("rx", "0")), 0)
        ry = _float(a.get("r", a.get("ry", "0")), 0)
        ang = np.linspace(0, 2 * np.pi, 9)
        return [list(zip(cx + rx * np.cos(ang), cy + ry * np.sin(ang), strict=True))]
    return []


def _walk(el: ET.Element, m: Matrix, style: _State | None, st: _Style, state: _State,
          in_glyph: bool = False, depth: int = 0) -> None:
    if depth > 50:
        return
    tag = _local(el.tag)
    if tag in ("defs", "clipPath", "mask", "marker", "symbol", "title", "desc", "metadata",
               "style", "pattern", "linearGradient", "radialGradient"):
        return
    s = st.child(el)
    m2 = m @ _parse_transform(el.attrib.get("transform"))
    if tag == "g" and not in_glyph and el.attrib.get("id", "").startswith("text_"):
        if any(c.tag is ET.Comment for c in el):
            _mpl_text(el, m2, s, state)
            return
    if tag == "text":
        _text(el, m2, s, state)
        return
    if tag == "use":
        ref = _href(el)
        target = state.ids.get(ref or "")
        if target is None:
            return
        mu = m2 @ _parse_transform(
            f"translate({_float(el.attrib.get('x', '0'), 0)} {_float(el.attrib.get('y', '0'), 0)})"
        )
        ttag = _local(target.tag)
        if ttag == "symbol" and re.match(r"glyph", ref or ""):
            outline = state.outlines.get(ref or "")
            if outline is None:
                outline = [np.asarray(sp, dtype=np.float64).reshape(-1, 2)
                           for child in target.iter() if _local(child.tag) == "path"
                           for sp in parse_path(child.attrib.get("d", ""), samples=6)]
                state.outlines[ref or ""] = outline
            polys = [sp @ mu[:2, :2].T + mu[:2, 2] for sp in outline]
            o = _apply(mu, [(0.0, 0.0)])[0]
            # an empty outline is kept too: it is a space (its advance separates words)
            state.glyphs.append(Glyph(polys, parse_colour(s.fill), ref, state.group,
                                      (float(o[0]), float(o[1]))))
            return
        if ttag == "symbol":
            for child in target:
                _walk(child, mu, None, s, state, in_glyph, depth + 1)
            return
        _walk(target, mu, None, s, state, in_glyph, depth + 1)
        return
    subs = _shape_points(el, tag)
    if subs:
        colour = parse_colour(s.stroke)
        fill = parse_colour(s.fill)
        if colour is None and fill is None:
            return
        scale = math.sqrt(abs(np.linalg.det(m2[:2, :2]))) or 1.0
        pattern: tuple[float, ...] = ()
        if s.dash and s.dash.strip() not in ("none", ""):
            pattern = tuple(_float(v, 0) * scale for v in re.split(r"[ ,]+", s.dash.strip()) if v)
            pattern = pattern if any(d > 0 for d in pattern) else ()
        for sp in subs:
            state.strokes.append(Stroke(
                _apply(m2, sp), colour, fill, s.width * scale, pattern,
                s.opacity * s.fill_opacity,
            ))
        return
    for child in el:
        state.group = id(el)
        _walk(child, m2, None, s, state, in_glyph, depth + 1)


def _comment_text(raw: str) -> str:
    """The string of a matplotlib text comment: matplotlib escapes ``&``, ``<`` and ``>`` as
    entities and writes ``--`` as ``- -`` (``backend_svg._escape_comment``); undone here."""
    raw = re.sub(r"- (?=-)", "-", raw)
    return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _mpl_text(el: ET.Element, m: Matrix, s: _Style, state: _State) -> None:
    """matplotlib's outlined text: a comment with the string, then the glyphs drawn."""
    colour = parse_colour(s.fill)
    text: str | None = None
    for child in el:
        if child.tag is ET.Comment:
            text = _comment_text(child.text or "")
            continue
        if text is None or _local(child.tag) != "g":
            continue
        mc = m @ _parse_transform(child.attrib.get("transform"))
        boxes: list[NDArray[np.float64]] = []
        for use in child.iter():
            if _local(use.tag) != "use":
                continue
            target = state.ids.get(_href(use) or "")
            mu = mc @ _parse_transform(use.attrib.get("transform"))
            pts = [_apply(mu, [(0.0, 0.0)])]
            if target is not None:
                mt = mu @ _parse_transform(target.attrib.get("transform"))
                pts += [_apply(mt, sp) for sp in _shape_points(target, _local(target.tag))]
            boxes.append(np.concatenate(pts))
        # matplotlib pads the comment with one space on each side
        chars = text[1:-1] if text.startswith(" ") and text.endswith(" ") else text.strip()
        rotated = abs(mc[1, 0]) > abs(mc[0, 0])
        text = None
        if not boxes:
            continue
        allp = np.concatenate(boxes)
        # the group's origin is the pen on the baseline; its glyphs are drawn in units of
        # 1/100 em (matplotlib's ``TextToPath.FONT_SCALE``)
        line: dict[str, float] = {} if abs(mc[0, 1]) > 1e-9 or abs(mc[1, 0]) > 1e-9 else {
            "baseline": float(_apply(mc, [(0.0, 0.0)])[0, 1]), "em": 100 * abs(float(mc[0, 0]))}
        if len(boxes) == len(chars):
            ctop, cbot = float(allp[:, 1].min()), float(allp[:, 1].max())
            cx0, cx1 = float(allp[:, 0].min()), float(allp[:, 0].max())
            clist = []
            for ch, b in zip(chars, boxes, strict=True):
                if rotated:
                    clist.append(Char(ch, cx0, cx1, float(b[:, 1].min()), float(b[:, 1].max()),
                                      colour, True))
                else:
                    clist.append(Char(ch, float(b[:, 0].min()), float(b[:, 0].max()), ctop,
                                      cbot, colour, False, **line))
            state.words.extend(words_from_chars(clist))
        elif chars.strip():
            state.words.append(Word(chars.strip(), float(allp[:, 0].min()),
                                    float(allp[:, 0].max()), float(allp[:, 1].min()),
                                    float(allp[:, 1].max()), colour, rotated, **line))


def _advance(ch: str) -> float:
    """Typical advance (em) of a character in the sans-serif fonts of plotting programs."""
    if ch.isdigit():
        return 0.6
    if ch in " .,:;il|!'":
        return 0.3
    if ch in "ftjrI()[]-":
        return 0.38
    if ch in "mwMW%":
        return 0.9
    if ch.isupper():
        return 0.68
    return 0.56


def _text(el: ET.Element, m: Matrix, s: _Style, state: _State) -> None:
    """Words of a ``<text>`` element; boxes from the anchor and typical advances of sans-serif
    fonts (digits 0.6 em, space 0.3 em...): exact at the anchored end, about a tenth of a
    character per character away from it."""
    raw = "".join(el.itertext())
    if not raw.strip():
        return
    x = _float(el.attrib.get("x", "0"), 0)
    y = _float(el.attrib.get("y", "0"), 0)
    size = s.font_size
    adv = np.cumsum([0.0] + [_advance(ch) * size for ch in raw])
    w = float(adv[-1])
    x0 = {"middle": x - w / 2, "end": x - w}.get(s.anchor, x)
    rot = abs(m[1, 0]) > abs(m[0, 0])
    colour = parse_colour(s.fill)
    # upright, unskewed text: its baseline is y and its size the font size, on the page
    line: dict[str, float] = {} if rot or abs(m[0, 1]) > 1e-9 or abs(m[1, 0]) > 1e-9 else {
        "baseline": float(_apply(m, [(x, y)])[0, 1]), "em": size * abs(float(m[1, 1]))}
    for mt in re.finditer(r"\S+", raw):
        a, b = x0 + float(adv[mt.start()]), x0 + float(adv[mt.end()])
        corners = [(a, y - 0.72 * size), (b, y - 0.72 * size), (b, y), (a, y)]
        p = _apply(m, corners)
        state.words.append(Word(mt.group(0).replace("\u2212", "-"), float(p[:, 0].min()),
                                float(p[:, 0].max()), float(p[:, 1].min()),
                                float(p[:, 1].max()), colour, rot, **line))


def read_svg(path: str | Path) -> Scene:
    """Read an SVG file.

    Raises
    ------
    ValueError
        The file is not well-formed SVG.
    """
    try:
        parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
        root = ET.parse(str(path), parser=parser).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"path: cannot read {path} as SVG ({exc})") from None
    if _local(root.tag) != "svg":
        raise ValueError(f"path: {path} is XML but not SVG (root element <{_local(root.tag)}>)")
    ids = {e.attrib["id"]: e for e in root.iter() if "id" in e.attrib}
    vb = [float(v) for v in re.split(r"[ ,]+", root.attrib.get("viewBox", "").strip()) if v]
    if len(vb) == 4:
        width, height = vb[2], vb[3]
        m0 = _parse_transform(f"translate({-vb[0]} {-vb[1]})")
    else:
        width = _float(root.attrib.get("width", "0"), 0)
        height = _float(root.attrib.get("height", "0"), 0)
        m0 = np.eye(3)
    state = _State(ids=ids)
    _walk(root, m0, None, _Style(), state)
    notes: list[str] = []
    words = list(state.words)
    strokes = list(state.strokes)
    if any(g.polygons for g in state.glyphs) and not words:
        from survkit.digitize.glyphtext import read_glyph_text
        from survkit.digitize.ocr import words_from_glyphs

        inked = [g for g in state.glyphs if g.polygons]
        words, keys, note = read_glyph_text(state.glyphs,
                                            words_from_glyphs(inked, width, height))
        strokes.extend(keys)
        notes.append("text is outlined glyphs: read by OCR" + (f" ({note})" if note else ""))
    return Scene("svg", width, height, tuple(strokes), tuple(words), notes=tuple(notes))
