"""``digitize``: from a figure file to curves, censor marks and numbers at risk.

The steps, one module each: read the file into a :class:`~survkit.digitize.scene.Scene`
(:mod:`~survkit.digitize.pdf`, :mod:`~survkit.digitize.svg`,
:mod:`~survkit.digitize.raster`); calibrate the axes from the tick labels
(:mod:`~survkit.digitize.axes`); separate the curves from grid lines and confidence limits
(:mod:`~survkit.digitize.curves`); find the censoring marks (:mod:`~survkit.digitize.marks`);
read the legend (:mod:`~survkit.digitize.legend`) and the number-at-risk table
(:mod:`~survkit.digitize.risktable`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from survkit.digitize.assemble import assemble
from survkit.digitize.axes import Calibration, calibrate
from survkit.digitize.curves import find_curves
from survkit.digitize.gridaxis import calibrate_on_grid
from survkit.digitize.legend import read_legend
from survkit.digitize.marks import find_marks
from survkit.digitize.result import Digitized
from survkit.digitize.scene import Scene
from survkit.digitize.startanchor import anchor_on_start

__all__ = ["DigitizeWarning", "digitize", "read_scene"]


class DigitizeWarning(UserWarning):
    """A figure was read, but something lowers confidence (the message names it)."""


_RASTER = (".png", ".jpg", ".jpeg")


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".svg":
        return "svg"
    if suffix in _RASTER:
        return "raster"
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8"):
        return "raster"
    if b"<svg" in head or head.lstrip().startswith(b"<?xml"):
        return "svg"
    raise ValueError(f"path: {path} is not a PDF, SVG, PNG or JPEG file")


def read_scene(path: str | Path, page: int = 0) -> Scene:
    """Read a figure file into a :class:`Scene` (dispatching on its type)."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"path: no such file: {path}")
    kind = _kind(p)
    if kind == "pdf":
        from survkit.digitize.pdf import read_pdf

        return read_pdf(p, page)
    if kind == "svg":
        from survkit.digitize.svg import read_svg

        return read_svg(p)
    from survkit.digitize.raster import read_raster

    return read_raster(p)


def _check_range(value: Any, name: str) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high) of numbers, got {value!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        raise ValueError(f"{name} must be finite with low < high, got {value!r}")
    return (lo, hi)


def digitize(
    path: str | Path,
    *,
    arms: Sequence[str] | None = None,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    page: int = 0,
) -> Digitized:
    """Read the Kaplan–Meier curves, censoring marks and numbers at risk of a figure.

    Vector figures (PDF, SVG) are read exactly: the curve vertices are the file's own
    coordinates and the axes are calibrated from the tick marks and their printed labels,
    ``value = a · position + b``. Raster figures (PNG, JPEG) are traced by colour and their
    labels read by OCR (Tesseract).

    Parameters
    ----------
    path : str or Path
        A PDF (one page holding the figure), SVG, PNG or JPEG file.
    arms : sequence of str, optional
        Arm names, in the order of the legend (or of drawing when there is no legend);
        overrides the legend. Its length must equal the number of curves found.
    x_range, y_range : (float, float), optional
        Axis values at the ends of the plot frame, used only when the tick labels of that
        axis cannot be read (raster figures without Tesseract).
    page : int
        Page of a PDF (0-based).

    Returns
    -------
    Digitized
        Curves (``to_frame()``), numbers at risk (``risk_frame()``), censoring marks,
        calibration, warnings; ``ipd()`` rebuilds patient data, ``plot()`` the overlay.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ValueError
        The file is not a figure survkit reads; an axis cannot be calibrated; no curve is
        found; ``arms`` does not match the curves found.

    Warns
    -----
    DigitizeWarning
        When the figure was read but something lowers confidence (the message names it;
        all are also in ``Digitized.warnings``).

    References
    ----------
    Guyot P. et al. (2012). Enhanced secondary analysis of survival data. BMC Med Res
    Methodol 12:9 (the reconstruction :meth:`Digitized.ipd` feeds).
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a file name, got {type(path).__name__}")
    xr = _check_range(x_range, "x_range")
    yr = _check_range(y_range, "y_range")
    if arms is not None:
        if isinstance(arms, str) or not all(isinstance(a, str) for a in arms):
            raise TypeError(f"arms must be a sequence of names, got {arms!r}")
        if len(set(arms)) != len(arms):
            raise ValueError(f"arms: names must be distinct, got {list(arms)}")
    scene = read_scene(path, page)
    if scene.kind == "raster":
        from survkit.digitize.raster import digitize_raster

        result = digitize_raster(scene, str(path), arms=arms, x_range=xr, y_range=yr)
    else:
        try:
            result = _digitize_vector(scene, str(path), arms, xr, yr)
        except ValueError as exc:
            result = _embedded_image(path, page, scene, exc, arms, xr, yr)
    for w in result.warnings:
        warnings.warn(w, DigitizeWarning, stacklevel=2)
    return result


def _embedded_image(path: str | Path, page: int, scene: Scene, exc: ValueError,
                    arms: Sequence[str] | None, xr: tuple[float, float] | None,
                    yr: tuple[float, float] | None) -> Digitized:
    """A PDF page whose figure is a picture: render it at 300 dpi and read it as a raster.

    Re-raises ``exc`` (what failed in the vector reading) when the page holds no image.
    """
    if scene.kind != "pdf":
        raise exc
    from survkit.digitize.pdf import page_images, render_page

    if page_images(path, page) == 0:
        raise exc
    from survkit.digitize.raster import digitize_raster, scene_from_image

    raster = scene_from_image(render_page(path, page, 300.0))
    result = digitize_raster(raster, str(path), arms=arms, x_range=xr, y_range=yr)
    note = f"the figure is an image inside the PDF ({exc}): read as a raster at 300 dpi"
    return Digitized(result.source, "raster", result.curves, result.calibration,
                     result.warnings, (note, *result.notes), result.scene)


def _frame(scene: Scene) -> tuple[float, float, float, float] | None:
    """The plot frame: the extent of the longest horizontal and vertical straight strokes."""
    h = [s for s in scene.strokes if s.colour is not None and (s.bottom - s.top) < 1e-6
         and (s.x1 - s.x0) > 0.3 * scene.width]
    v = [s for s in scene.strokes if s.colour is not None and (s.x1 - s.x0) < 1e-6
         and (s.bottom - s.top) > 0.3 * scene.height]
    if not h or not v:
        return None
    hb = max(h, key=lambda s: s.x1 - s.x0)
    vb = max(v, key=lambda s: s.bottom - s.top)
    return (hb.x0, hb.x1, vb.top, vb.bottom)


def _on_grid(cal: Calibration, scene: Scene) -> Calibration:
    """An axis calibrated on label centres (no tick marks) calibrated again on its grid
    lines, where every label has one (:mod:`survkit.digitize.gridaxis`)."""
    x, y = cal.x, cal.y
    if x.source == "label centres":
        x = calibrate_on_grid(x, scene.strokes, vertical=True) or x
    if y.source == "label centres":
        y = calibrate_on_grid(y, scene.strokes, vertical=False) or y
    return cal if (x is cal.x and y is cal.y) else Calibration(x, y)


#: Largest residual of a vector axis's ticks (or grid lines) from their line, as a fraction of
#: the labelled range, before a warning: the 232 axes of the generated vector figures (main
#: set, sets 4 and 5) stay under 2.2e-5 (R's PDFs keep two decimals of a point); a censoring
#: bar taken for a tick gave 8e-3.
VECTOR_RESIDUAL = 5e-4


def _digitize_vector(scene: Scene, source: str, arms: Sequence[str] | None,
                     xr: tuple[float, float] | None, yr: tuple[float, float] | None) -> Digitized:
    warn: list[str] = []
    notes: list[str] = list(scene.notes)
    cal = calibrate(scene, xr, yr, _frame(scene))
    cal = _on_grid(cal, scene)
    main, ci, _bands, cnotes = find_curves(scene, cal)
    anchored, anotes = anchor_on_start(cal, main, 1e-6 * max(scene.width, scene.height))
    if anchored is not cal:
        cal = anchored
        notes.extend(anotes)
        main, ci, _bands, cnotes = find_curves(scene, cal)
    for name, axis in (("x", cal.x), ("y", cal.y)):
        if axis.source == "label centres":
            warn.append(f"{name} axis calibrated from label centres (no tick marks found): "
                        "accurate to a fraction of a character only")
        span = abs(axis.values[-1] - axis.values[0])
        if axis.source != "label centres" and axis.residual > VECTOR_RESIDUAL * span:
            # a vector figure's ticks lie on their line to the file's precision; off it, a
            # tick was taken from another mark
            warn.append(f"{name} axis: its tick marks are off the line of their labels by "
                        f"{axis.residual / span:.1e} of the range (a mark taken for a tick?): "
                        "the calibration may be off")
    warn.extend(n for n in cnotes if n.startswith("could not"))
    notes.extend(n for n in cnotes if not n.startswith("could not"))
    if not main:
        rising = [n for n in cnotes if "rising" in n]
        raise ValueError(f"{source}: no Kaplan–Meier curve (a stroked staircase) found "
                         "inside the axes" + (
                             f"; {rising[0]}: rising curves (cumulative incidence) are not read"
                             if rising else ""))
    names, legend_keys = read_legend(scene, cal, main)
    used = legend_keys | {id(c.stroke) for c in main + ci} | {id(s) for s in cal.x.ticks} | \
        {id(s) for s in cal.y.ticks}
    marks = find_marks(scene, cal, main, used)
    return assemble(scene, source, cal, main, names, marks, arms, warn, notes)
