"""The overlay figure of :func:`survkit.digitize`: digitized curves over the original figure.

The original is drawn underneath (a PDF page rendered by pypdfium2, a raster image as it is,
an SVG redrawn from its strokes in grey) in its own page coordinates; on top, each digitized
curve is mapped back through the axis calibration and drawn as a thick translucent step
line with its censoring marks (``x``), and the tick positions used for the calibration are
circled. A person sees at a glance whether every curve was followed and the axes matched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from survkit.digitize import Digitized

__all__ = ["plot_overlay"]

_HIGHLIGHT = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")


def _background(d: Digitized, ax: Axes) -> None:
    scene = d.scene
    if scene is None:
        return
    if scene.kind == "raster" and scene.image is not None:
        ax.imshow(scene.image, extent=(0, scene.width, scene.height, 0), alpha=0.6)
        return
    if scene.kind == "pdf":
        try:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(d.source)
            img = np.asarray(pdf[0].render(scale=2).to_pil().convert("RGB"))
            pdf.close()
            ax.imshow(img, extent=(0, scene.width, scene.height, 0), alpha=0.6)
            return
        except Exception:  # no renderer: fall back to redrawing the strokes
            pass
    from matplotlib.collections import LineCollection

    segs = [s.points for s in scene.strokes if s.colour is not None]
    ax.add_collection(LineCollection(segs, colors="0.6", linewidths=0.6))
    for w in scene.words:
        ax.text(w.x0, w.bottom, w.text, fontsize=5, color="0.5",
                rotation=90 if w.rotated else 0, va="bottom", ha="left")


def plot_overlay(d: Digitized, ax: Axes | None = None) -> Axes:
    """Draw the digitized curves of ``d`` over its original figure; return the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        scene = d.scene
        w, h = (scene.width, scene.height) if scene is not None else (6.0, 4.0)
        _, ax = plt.subplots(figsize=(8.0, 8.0 * h / max(w, 1e-9)))
    _background(d, ax)
    cal = d.calibration
    scale = 100.0 if cal.y.percent else 1.0
    for k, c in enumerate(d.curves):
        # the curve's own colour (it sits on its original, thicker and translucent)
        colour = c.colour if c.colour is not None else _HIGHLIGHT[k % len(_HIGHLIGHT)]
        t = np.append(c.time, c.end)
        s = np.append(c.surv, c.surv[-1])
        x = cal.x.position(t)
        y = cal.y.position(s * scale)
        ax.step(x, y, where="post", color=colour, lw=3.5, alpha=0.45, label=f"{c.arm} (read)")
        if len(c.censor_times):
            cx = cal.x.position(c.censor_times)
            cy = cal.y.position(c.at(c.censor_times) * scale)
            ax.plot(cx, cy, "x", color=colour, ms=5, mew=1.2)
    kw: dict[str, Any] = {"facecolors": "none", "edgecolors": "red", "s": 40, "lw": 0.8}
    ax.scatter(cal.x.positions, [cal.y.position(cal.y.values[0])] * len(cal.x.positions), **kw)
    ax.scatter([cal.x.position(cal.x.values[0])] * len(cal.y.positions), cal.y.positions, **kw)
    if d.scene is not None:
        ax.set_xlim(0, d.scene.width)
        ax.set_ylim(d.scene.height, 0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    status = "read with confidence" if d.confident else f"{len(d.warnings)} warning(s)"
    ax.set_title(f"survkit digitize: {len(d.curves)} curve(s), {status}", fontsize=9)
    ax.legend(loc="upper right", fontsize=7, framealpha=0.8)
    return ax
