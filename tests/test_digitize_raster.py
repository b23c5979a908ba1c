"""survkit.digitize on raster figures: pixel tracing of step curves.

Expected values come from the figures' construction: each test draws a staircase with known
drop times and levels (matplotlib, or directly into a pixel mask) and reads it back.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("skimage")

from conftest import draw_staircase
from survkit import digitize
from survkit.digitize.rastertrace import count_tracks, line_width, trace_tracks

requires_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or __import__("importlib").util.find_spec(
        "pytesseract") is None, reason="Tesseract (pytesseract) not installed")


def test_two_curves_of_one_colour_are_followed_apart() -> None:
    """A solid and a dashed black staircase from one start: two tracks, levels and drop
    columns as drawn (within a pixel), the dashed one told by its gaps."""
    mask = np.zeros((200, 400), dtype=bool)
    solid = [(0, 10), (60, 40), (150, 90), (260, 120)]
    dashed = [(0, 10), (100, 60), (200, 140), (300, 170)]
    draw_staircase(mask, solid, 380, dashed=False)
    draw_staircase(mask, dashed, 380, dashed=True)
    traces, lw = trace_tracks(mask)
    assert lw == pytest.approx(2.0)
    assert len(traces) == 2
    top, bottom = traces  # ordered top to bottom at the start
    # after column 100 the solid curve (level 40) is above the dashed one (60)
    for tr, knots in ((top, solid), (bottom, dashed)):
        levels = np.interp([k[0] + 20 for k in knots], tr.x, tr.y)
        step_levels = [tr.y[int(np.searchsorted(tr.x, k[0] + 20, side="right")) - 1]
                       for k in knots]
        assert np.allclose(step_levels, [k[1] + 0.5 for k in knots], atol=1.0), (tr.x, tr.y)
        assert len(levels) == len(knots)
        assert np.allclose(tr.x[1:], [k[0] for k in knots[1:]], atol=1.5)
    assert top.dash_share > 0.9 > 0.75 > bottom.dash_share


def test_count_tracks_of_one_curve_is_one() -> None:
    mask = np.zeros((100, 200), dtype=bool)
    draw_staircase(mask, [(0, 5), (50, 30), (120, 60)], 190, dashed=False)
    cols = [[(int(a), int(b)) for a, b in _runs(mask[:, c])] for c in range(200)]
    assert count_tracks(cols, line_width(cols)) == 1


def _runs(col: np.ndarray) -> list[tuple[int, int]]:
    m = np.r_[False, col, False].astype(np.int8)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True))


@requires_tesseract
def test_colour_png_is_read_without_blanket_warning(tmp_path: Path) -> None:
    """Two colours, drops at 5 (to 0.8) and 10 (to 0.5) and at 3 (0.9) and 12 (0.6): read
    with no warning, levels within 0.01 and drop times within 0.2 (a pixel is 0.03)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.step([0, 5, 10, 20], [1.0, 0.8, 0.5, 0.5], where="post", color="#d55e00", lw=1.5)
    ax.step([0, 3, 12, 20], [1.0, 0.9, 0.6, 0.6], where="post", color="#0072b2", lw=1.5)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(0, 20)
    fig.savefig(tmp_path / "two.png", dpi=150)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "two.png")
    assert d.kind == "raster"
    assert not [w for w in d.warnings if "check the overlay" in w and "colour" not in w]
    by_start = sorted(d.curves, key=lambda c: float(c.time[1]))
    early, late = by_start  # blue drops first (t = 3)
    assert early.at([1.0, 6.0, 15.0]) == pytest.approx([1.0, 0.9, 0.6], abs=0.01)
    assert late.at([1.0, 7.0, 15.0]) == pytest.approx([1.0, 0.8, 0.5], abs=0.01)
    assert np.asarray(early.time)[1:3] == pytest.approx([3.0, 12.0], abs=0.2)
    assert np.asarray(late.time)[1:3] == pytest.approx([5.0, 10.0], abs=0.2)


@requires_tesseract
def test_black_and_white_pair_is_never_silently_one_curve(tmp_path: Path) -> None:
    """Two black staircases (solid and dashed) in one PNG: either both are returned, or the
    result says which check failed; one curve with no warning would be silently wrong."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.step([0, 4, 9, 20], [1.0, 0.85, 0.7, 0.7], where="post", color="black", lw=1.2)
    ax.step([0, 3, 12, 20], [1.0, 0.6, 0.35, 0.35], where="post", color="black", lw=1.2,
             ls="--")
    ax.set_ylim(0, 1.05)
    ax.set_xlim(0, 20)
    fig.savefig(tmp_path / "bw.png", dpi=150)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            d = digitize(tmp_path / "bw.png")
        except ValueError:
            return  # refused by name: acceptable
    assert len(d.curves) == 2 or d.warnings
