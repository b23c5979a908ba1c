"""survkit.digitize on raster figures: tick labels, the number-at-risk table and censoring
marks read from the pixels.

Every expected number is the one the test draws: each figure is made on the fly with
matplotlib (tick labels, table cells and mark times given by the test), saved as PNG and
read back.
"""

from __future__ import annotations

import shutil
import warnings
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("skimage")

from survkit import digitize
from survkit.digitize.axes import calibrate
from survkit.digitize.curves import Staircase
from survkit.digitize.marks import raster_marks
from survkit.digitize.raster import read_raster
from survkit.digitize.risktable import read_risk_table
from survkit.digitize.scene import Scene, Stroke, Word

requires_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None or find_spec("pytesseract") is None,
    reason="Tesseract (pytesseract) not installed")

ARMS = ("Control", "Drug")
TIMES = (0, 250, 500, 750, 1000)
#: one-digit cells ("7", "0", "1") are the ones OCR of a whole figure misreads
COUNTS = {"Control": (120, 71, 30, 7, 0), "Drug": (118, 90, 52, 21, 1)}
STEPS = {"Control": ([0, 120, 300, 610, 900], [1.0, 0.8, 0.55, 0.3, 0.2]),
         "Drug": ([0, 200, 450, 700, 950], [1.0, 0.9, 0.7, 0.5, 0.4])}
COLOURS = {"Control": "#d55e00", "Drug": "#0072b2"}


def _figure(path: Path, *, dpi: int, percent: bool = False, marks: dict | None = None,
            cells: dict | None = None, row_lines: bool = False,
            tick_labels: list[str] | None = None) -> None:
    """Two colour staircases over 0..1000 days with a number-at-risk table under the plot:
    one row per arm, labelled with its name, each number centred under a tick; with
    ``row_lines`` a thin black line runs through the middle of each row's numbers (the
    grid of ggplot2's ``theme_linedraw()`` tables)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = cells if cells is not None else {a: [str(n) for n in COUNTS[a]] for a in ARMS}
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    fig.subplots_adjust(left=0.2, bottom=0.32, right=0.95, top=0.95)
    for arm in ARMS:
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5, label=arm)
        if marks and arm in marks:
            t = np.asarray(marks[arm], dtype=float)
            ax.plot(t, _level(x, y, t), ls="none", marker="+", ms=9, mew=1.5,
                    color=COLOURS[arm])
    ax.set_xlim(0, 1000)
    ax.set_xticks(TIMES, tick_labels)
    ax.set_ylim(0, 1.05)  # room above S = 1 for a mark's upper half
    if percent:
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    else:
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(frameon=False, loc="upper right")
    ax.set_xlabel("Days")
    tr = ax.get_xaxis_transform()
    ax.text(-120, -0.24, "Number at risk", transform=tr, ha="right", fontsize=9)
    for k, arm in enumerate(ARMS):
        yy = -0.33 - 0.09 * k
        ax.text(-60, yy, arm, transform=tr, ha="right", fontsize=10)
        for t, c in zip(TIMES, cells[arm], strict=True):
            ax.text(t, yy, c, transform=tr, ha="center", fontsize=10)
        if row_lines:  # digits 10 pt * 0.73 tall: their middle 3.6 pt over the baseline
            mid = yy + 3.6 / 72 / (0.63 * 4.8)
            ax.plot([-50, 1050], [mid, mid], transform=tr, clip_on=False, color="black",
                    lw=0.5)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


def _level(x: list[float], y: list[float], t: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(np.asarray(x, float), t, side="right") - 1
    return np.asarray(y, float)[idx]


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_risk_table_cells_and_ticks_are_read_exactly(tmp_path: Path, dpi: int) -> None:
    """Ticks 0..1000 and every cell (one-digit ones included) read as drawn; rows go to the
    arm named in their label."""
    _figure(tmp_path / "t.png", dpi=dpi)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "t.png")
    assert d.calibration.x.values == pytest.approx(TIMES)
    assert d.calibration.y.values == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert set(d.arms) == set(ARMS)
    for arm in ARMS:
        c = d.curve(arm)
        assert tuple(np.asarray(c.risk_times).tolist()) == TIMES
        assert tuple(np.asarray(c.n_risk).tolist()) == COUNTS[arm]
    assert not [w for w in d.warnings if "risk" in w]


@requires_tesseract
def test_table_alone_needs_no_curves(tmp_path: Path) -> None:
    """read_risk_table with no curves (as the benchmark measures tables): rows by label."""
    _figure(tmp_path / "t.png", dpi=150)
    scene = read_raster(tmp_path / "t.png")
    rows, notes = read_risk_table(scene, calibrate(scene), [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS
    assert not [n for n in notes if "unread" in n]


@requires_tesseract
def test_percent_axis_is_calibrated(tmp_path: Path) -> None:
    """Tick labels 0%..100%: a percent axis, curves returned as fractions."""
    _figure(tmp_path / "p.png", dpi=150, percent=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "p.png")
    assert d.calibration.y.percent
    assert d.calibration.y.values == pytest.approx([0, 25, 50, 75, 100])
    assert d.curve("Drug").at([100.0, 500.0]) == pytest.approx([1.0, 0.7], abs=0.01)


@requires_tesseract
def test_unread_cell_warns_naming_row_and_time(tmp_path: Path) -> None:
    """A cell that is not a number ("NA" under 750 for Drug) is never dropped in silence:
    a warning names the row and the time."""
    cells = {a: [str(n) for n in COUNTS[a]] for a in ARMS}
    cells["Drug"][3] = "NA"
    _figure(tmp_path / "u.png", dpi=150, cells=cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "u.png")
    hits = [w for w in d.warnings if "unread" in w and "Drug" in w]
    assert hits, d.warnings
    assert "at time 750" in hits[0]
    drug = d.curve("Drug")
    assert 750.0 not in np.asarray(drug.risk_times).tolist()


@requires_tesseract
def test_censor_marks_on_colour_curves(tmp_path: Path) -> None:
    """'+' marks drawn at known times on the levels of two colour curves: each is read
    within 8 days (a pixel is about 2 days at 150 dpi); none is on the stretch at S = 1 where
    the curve drawn last hides the other."""
    marks = {"Control": [160.0, 230.0, 420.0, 800.0], "Drug": [100.0, 330.0, 560.0, 850.0]}
    _figure(tmp_path / "m.png", dpi=150, marks=marks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "m.png")
    for arm, want in marks.items():
        got = np.asarray(d.curve(arm).censor_times)
        assert len(got) == len(want), (arm, got)
        assert np.max(np.abs(np.sort(got) - want)) <= 8.0, (arm, got)
    frame = d.marks_frame()
    assert len(frame) == 8


@requires_tesseract
def test_raster_marks_are_reported_not_used_by_default(tmp_path: Path) -> None:
    """Raster marks are found incompletely where they crowd, so ``ipd()`` reports them but
    places its censorings without them unless ``use_marks=True``."""
    marks = {"Control": [160.0, 230.0, 420.0, 800.0], "Drug": [100.0, 330.0, 560.0, 850.0]}
    _figure(tmp_path / "m.png", dpi=150, marks=marks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "m.png")
        default = d.ipd().data
        without = d.ipd(use_marks=False).data
        with_marks = d.ipd(use_marks=True).data
    assert len(d.marks_frame()) == 8
    assert default.equals(without)
    assert not default.equals(with_marks)


@requires_tesseract
def test_no_marks_on_curves_without_marks(tmp_path: Path) -> None:
    _figure(tmp_path / "n.png", dpi=150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "n.png")
    assert all(len(c.censor_times) == 0 for c in d.curves)


def _stair_mask(knots: list[tuple[int, int]], end: int, lw: int, shape: tuple[int, int]
                ) -> np.ndarray:
    m = np.zeros(shape, dtype=bool)
    for k, (c, r) in enumerate(knots):
        c_next = knots[k + 1][0] if k + 1 < len(knots) else end
        m[r:r + lw, c:c_next + lw] = True
        if k + 1 < len(knots):
            m[r:knots[k + 1][1] + lw, c_next:c_next + lw] = True
    return m


def test_raster_marks_tells_bars_from_drops() -> None:
    """A staircase (levels at rows 20, 50, 80; drops at columns 100 and 220) with vertical
    bars of half-height 6 through its level at columns 60, 160 and 300: the bars are marks,
    the drops are not."""
    lw = 2
    knots = [(0, 20), (100, 50), (220, 80)]
    m = _stair_mask(knots, 380, lw, (120, 400))
    for c, r in ((60, 20), (160, 50), (300, 80)):
        m[r - 6:r + lw + 6, c:c + lw] = True
    st = Staircase(np.array([0.0, 100.0, 220.0]), np.array([20.5, 50.5, 80.5]), 380.0,
                   Stroke(np.zeros((1, 2)), (1.0, 0.0, 0.0), width=float(lw)))
    got = raster_marks(m, st, 0, 0)
    assert got == pytest.approx([60.5, 160.5, 300.5], abs=1.0)
    # the same staircase without bars: no mark
    assert raster_marks(_stair_mask(knots, 380, lw, (120, 400)), st, 0, 0) == []


def _table_scene(labels: tuple[str, str]) -> tuple[object, object]:
    """A scene of words only: x labels 0, 250, 500 under ticks at 100, 300, 500; y labels
    0..1 left of the plot; two table rows under the axis with the given labels."""
    from survkit.digitize.scene import Scene, Word

    words = [Word(str(v), x - 6, x + 6, 410, 422) for v, x in ((0, 100), (250, 300), (500, 500))]
    words += [Word(f"{v:.1f}", 60, 84, y - 6, y + 6) for v, y in ((0.0, 400), (0.5, 250),
                                                                   (1.0, 100))]
    for k, (label, counts) in enumerate(zip(labels, ((138, 62, 20), (90, 53, 21)),
                                            strict=True)):
        top = 450 + 25 * k
        words.append(Word(label, 20, 60, top, top + 12))
        words += [Word(str(n), x - 9, x + 9, top, top + 12) for n, x in zip(
            counts, (100, 300, 500), strict=True)]
    scene = Scene("raster", 600.0, 520.0, (), tuple(words))
    return scene, calibrate(scene)


def test_misread_row_label_goes_to_the_closest_name() -> None:
    """"(ale" (OCR of "Male") is closer to Male than to Female, which holds "ale" too: the
    rows go to the arms they name, never Male's numbers to Female."""
    scene, cal = _table_scene(("(ale", "Female"))
    rows, _notes = read_risk_table(scene, cal, [], ["Male", "Female"])
    assert rows["Male"][1] == (138, 62, 20)
    assert rows["Female"][1] == (90, 53, 21)


def test_two_rows_naming_one_arm_equally_are_not_assigned_by_name() -> None:
    """Two rows labelled "Drug A": neither is given Drug A by its label; only the order
    fallback is left, and it says so (a note that becomes a warning)."""
    scene, cal = _table_scene(("Drug A", "Drug A"))
    rows, notes = read_risk_table(scene, cal, [], ["Drug A", "Placebo"])
    assert any("order" in n for n in notes)
    scene, cal = _table_scene(("Drug A", "Drug A"))
    rows, notes = read_risk_table(scene, cal, [], ["Drug A", "Placebo", "Drug B"])
    assert "Drug A" not in rows
    assert any("could not be assigned" in n for n in notes)


def _text_image(lines: list[str], px: int = 48) -> np.ndarray:
    """Dark text on white, one line per entry, drawn by matplotlib at ``px`` pixels a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    h = px * (len(lines) + 1)
    fig = plt.figure(figsize=(400 / 100, h / 100), dpi=100)
    for k, t in enumerate(lines):
        fig.text(0.05, 1 - (k + 1) / (len(lines) + 1), t, fontsize=0.45 * px * 72 / 100,
                 va="center")
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    plt.close(fig)
    return np.ascontiguousarray(rgba[..., :3].mean(axis=2).astype(np.uint8))


@requires_tesseract
def test_in_process_tesseract_reads_as_the_command_line() -> None:
    """The C API (when libtesseract is loadable) gives the command line's words and boxes."""
    from survkit.digitize import tesseract

    if not tesseract.in_process():
        pytest.skip("libtesseract cannot be called in this process")
    lines = ["120 71 30 7 0", "Number at risk", "1.00 0.75 0.50"]
    img = _text_image(lines)
    wl = "0123456789.,%ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    api = tesseract.image_to_data(img, psm=6, whitelist=wl, engine="api")
    cli = tesseract.image_to_data(img, psm=6, whitelist=wl, engine="cli")
    keep = [k for k, c in enumerate(cli["conf"]) if float(c) >= 0]
    # the whitelist has no space: words of a line may be read joined
    assert "".join(cli["text"][k] for k in keep) == "".join(lines).replace(" ", "")
    for key in ("left", "top", "width", "height", "text"):
        assert [a for a, c in zip(api[key], api["conf"], strict=True) if c >= 0] == \
            [cli[key][k] for k in keep], key


#: Four arms whose tables hold numbers of 1 to 4 digits (never increasing along a row).
WIDE_ARMS = ("Placebo", "Low dose", "High dose", "Combination")
WIDE_COUNTS = {"Placebo": (1250, 980, 604, 233, 41, 7),
               "Low dose": (1187, 1003, 512, 98, 9, 0),
               "High dose": (860, 455, 120, 36, 5, 1),
               "Combination": (2034, 1520, 777, 310, 64, 2)}
#: A "1" as R's ggsurvplot draws it in a 150 dpi PNG (grey levels of the pixels of
#: ``ho_gg_aml_ci_150.png``, a held-out figure; the pale column and rows are its grid
#: lines): a stem two pixels wide that Tesseract, given it alone or among other text,
#: reads as nothing.
THIN_ONE = (
    "255 255 255 255 255 243 235 243 255 255",
    "255 255 255 255 255 243 212 175 238 255",
    "255 255 255 255 255 243 100   0 192 255",
    "255 255 255 255 255 230  20   0 192 255",
    "255 255 255 255 228  71   0   0 192 255",
    "255 223 114  67   5   0   0   0 192 255",
    "255 184   0   0   0   0   0   0 192 255",
    "255 236 188 188 188 162   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "238 238 238 238 238 216   0   0 179 238",
    "235 235 235 235 235 214   0   0 177 235",
    "248 248 248 248 248 218   0   0 187 248",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 221   0   0 192 255",
    "255 255 255 255 255 243 235 243 255 255",
    "255 255 255 255 255 243 235 243 255 255",
)
WIDE_COLOURS = ("#d55e00", "#0072b2", "#009e73", "#000000")


def _table_figure(path: Path, *, arms: tuple[str, ...], ticks: tuple[float, ...],
                  table_times: tuple[float, ...], counts: dict[str, tuple[int, ...]],
                  dpi: int, fontsize: float = 10.0, coloured: bool = False,
                  weight: str = "normal", thin_ones: bool = False,
                  thousands: bool = False, labels: bool = True,
                  row_order: tuple[str, ...] | None = None) -> None:
    """Colour staircases over ``ticks[0]..ticks[-1]`` with a number-at-risk table under the
    plot: one row per arm (labelled with its name), each count centred under its time in
    ``table_times`` (which need not be the ticks); tick labels and table at ``fontsize``,
    the table in ``weight`` type and, when ``coloured``, each row in its arm's colour.
    With ``thin_ones`` every cell ``1`` is the glyph R's ``ggsurvplot`` draws at 150 dpi
    (:data:`THIN_ONE`, pasted at the cell's place) instead of matplotlib's; with
    ``thousands`` counts and tick labels from 1000 up are printed with commas ("1,250");
    without ``labels`` the rows carry no arm name, and ``row_order`` orders them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t_end = ticks[-1]
    fig_h = 4.2 + 0.35 * len(arms)
    # the table's lines in points below the axis: a heading, then one row per arm
    head_pt, row_pt = 4.6 * fontsize, 1.7 * fontsize
    bottom_in = (head_pt + row_pt * (len(arms) + 0.5)) / 72.0 + 0.1
    fig, ax = plt.subplots(figsize=(7.0, fig_h))
    fig.subplots_adjust(left=0.2, bottom=bottom_in / fig_h, right=0.95, top=0.95)
    ax_h_pt = (0.95 - bottom_in / fig_h) * fig_h * 72.0
    for k, arm in enumerate(arms):
        # staircases that drop at different times and never touch
        x = [0.0, *(t_end * f for f in (0.15 + 0.04 * k, 0.4 + 0.03 * k, 0.7 + 0.02 * k))]
        y = [1.0, 0.85 - 0.1 * k, 0.7 - 0.12 * k, 0.55 - 0.12 * k]
        ax.step([*x, t_end], [*y, y[-1]], where="post", color=WIDE_COLOURS[k], lw=1.5,
                label=arm)
    ax.set_xlim(ticks[0], t_end)
    ax.set_xticks(ticks, [f"{t:,.0f}" if thousands else f"{t:g}" for t in ticks],
                  fontsize=fontsize)
    ax.set_ylim(0, 1.05)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"],
                  fontsize=fontsize)
    ax.legend(frameon=False, loc="upper right", fontsize=fontsize)
    ax.set_xlabel("Months", fontsize=fontsize)
    tr = ax.get_xaxis_transform()
    ones: list[tuple[float, float]] = []
    ax.text(0.0, -head_pt / ax_h_pt, "Number at risk", transform=tr, ha="left",
            fontsize=fontsize)
    for row, arm in enumerate(row_order or arms):
        k = arms.index(arm)
        yy = -(head_pt + row_pt * (row + 1)) / ax_h_pt
        style = {"fontsize": fontsize, "fontweight": weight,
                 "color": WIDE_COLOURS[k] if coloured else "black"}
        if labels:
            ax.text(-0.06 * t_end, yy, arm, transform=tr, ha="right", **style)
        for t, c in zip(table_times, counts[arm], strict=True):
            if thin_ones and c == 1:
                ones.append(tuple(tr.transform((t, yy))))  # display pixels, from the bottom
                continue
            ax.text(t, yy, f"{c:,}" if thousands else str(c), transform=tr, ha="center",
                    **style)
    scale = dpi / fig.dpi  # display pixels are at the figure's own dpi
    fig.savefig(path, dpi=dpi)
    height = fig.get_size_inches()[1] * dpi
    plt.close(fig)
    if ones:
        from PIL import Image

        img = np.array(Image.open(path).convert("RGB"))
        glyph = np.array([[int(v) for v in row.split()] for row in THIN_ONE], dtype=np.uint8)
        for x, y in ones:
            r1 = round(height - y * scale) + 1  # the glyph's baseline on the row's
            c0 = round(x * scale) - 6
            img[r1 - glyph.shape[0]:r1, c0:c0 + glyph.shape[1]] = glyph[..., None]
        Image.fromarray(img).save(path)


def _table_alone(path: Path, arms: tuple[str, ...]
                 ) -> tuple[dict[str, tuple[tuple[float, ...], tuple[int, ...]]], list[str]]:
    scene = read_raster(path)
    return read_risk_table(scene, calibrate(scene), [], list(arms))


@requires_tesseract
@pytest.mark.parametrize(("n_rows", "dpi"), [(3, 150), (4, 150),
                                             pytest.param(4, 300, marks=pytest.mark.slow)])
def test_tables_of_three_and_four_rows_with_one_to_four_digits(tmp_path: Path, n_rows: int,
                                                               dpi: int) -> None:
    """Three or four rows of counts from 2034 down to 0, each read exactly under its time
    and given to the arm named in its label, with no cell reported unread."""
    arms = WIDE_ARMS[:n_rows]
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=times, table_times=times,
                  counts=WIDE_COUNTS, dpi=dpi)
    rows, notes = _table_alone(tmp_path / "t.png", arms)
    for arm in arms:
        assert rows[arm] == (times, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n or "assigned" in n], notes


@requires_tesseract
def test_table_columns_at_every_other_tick(tmp_path: Path) -> None:
    """Ticks every 6 months, counts printed every 12: the cells go to 0, 12, ..., 60."""
    arms = WIDE_ARMS[:3]
    ticks = tuple(float(t) for t in range(0, 61, 6))
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=ticks, table_times=times,
                  counts=WIDE_COUNTS, dpi=150)
    rows, notes = _table_alone(tmp_path / "t.png", arms)
    for arm in arms:
        assert rows[arm] == (times, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
def test_table_columns_between_ticks(tmp_path: Path) -> None:
    """Ticks every 20 months, counts every 10 (half of them between ticks): the cells go to
    0, 10, ..., 50 on the round grid they are centred on."""
    arms = WIDE_ARMS[:2]
    ticks = (0.0, 20.0, 40.0, 60.0)
    times = (0.0, 10.0, 20.0, 30.0, 40.0, 50.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=ticks, table_times=times,
                  counts=WIDE_COUNTS, dpi=150)
    rows, notes = _table_alone(tmp_path / "t.png", arms)
    for arm in arms:
        assert rows[arm] == (times, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
def test_small_font_table_and_ticks_at_150_dpi(tmp_path: Path) -> None:
    """Tick labels and a three-row table in 8 pt type at 150 dpi (digits about 12 pixels
    tall): the axes are calibrated on the drawn ticks and every cell is read exactly."""
    arms = WIDE_ARMS[:3]
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=times, table_times=times,
                  counts=WIDE_COUNTS, dpi=150, fontsize=8.0)
    scene = read_raster(tmp_path / "t.png")
    cal = calibrate(scene)
    assert cal.x.values == pytest.approx(times)
    assert cal.y.values == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    rows, notes = read_risk_table(scene, cal, [], list(arms))
    for arm in arms:
        assert rows[arm] == (times, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
def test_four_arm_figure_assigns_each_row_to_its_curve(tmp_path: Path) -> None:
    """The whole figure: four colour curves named from the legend, each carrying the
    counts of the table row labelled with its name."""
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=WIDE_ARMS, ticks=times, table_times=times,
                  counts=WIDE_COUNTS, dpi=150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "t.png")
    assert set(d.arms) == set(WIDE_ARMS)
    for arm in WIDE_ARMS:
        c = d.curve(arm)
        assert tuple(np.asarray(c.risk_times).tolist()) == times
        assert tuple(np.asarray(c.n_risk).tolist()) == WIDE_COUNTS[arm]
    assert not [w for w in d.warnings if "risk" in w], d.warnings


@requires_tesseract
@pytest.mark.parametrize(("dpi", "coloured", "weight"), [
    (150, True, "normal"), (150, False, "bold"),
    pytest.param(300, True, "normal", marks=pytest.mark.slow)])
def test_coloured_and_bold_tables(tmp_path: Path, dpi: int, coloured: bool, weight: str
                                  ) -> None:
    """Rows printed in their arm's colour (as survminer's ``risk.table.col = "strata"``)
    or in bold type: every cell read exactly. A lone orange "7" among the other text is
    read as "j" or not at all, a bold "0" as "it)", "777" once as "7771": such clusters
    are read again on their own, digits only."""
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=WIDE_ARMS, ticks=times, table_times=times,
                  counts=WIDE_COUNTS, dpi=dpi, fontsize=9.0, coloured=coloured, weight=weight)
    rows, notes = _table_alone(tmp_path / "t.png", WIDE_ARMS)
    for arm in WIDE_ARMS:
        assert rows[arm] == (times, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
def test_thin_ones_of_an_r_table_at_150_dpi(tmp_path: Path) -> None:
    """A row "11 7 3 1 1 1 1 1 1" whose ones are R's two-pixel stems: each is read as 1
    (OCR gives nothing for them; a lone upright bar in a row of counts is a 1)."""
    counts = {"Placebo": (11, 7, 3, 1, 1, 1, 1, 1, 1), "Low dose": (12, 6, 2, 0, 0, 0, 0, 0, 0)}
    times = tuple(float(t) for t in range(0, 161, 20))
    _table_figure(tmp_path / "t.png", arms=WIDE_ARMS[:2], ticks=times, table_times=times,
                  counts=counts, dpi=150, thin_ones=True)
    rows, notes = _table_alone(tmp_path / "t.png", WIDE_ARMS[:2])
    for arm in counts:
        assert rows[arm] == (times, counts[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
def test_cli_error_on_a_broken_png_is_one_line(tmp_path: Path) -> None:
    """A PNG cut short fails at once, while the OCR model may still be loading in the
    background: exit code 2 and one line on stderr (nothing from Tesseract at exit)."""
    import os
    import subprocess
    import sys

    good = tmp_path / "g.png"
    _figure(good, dpi=150)
    broken = tmp_path / "b.png"
    broken.write_bytes(good.read_bytes()[:300])
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    run = subprocess.run([sys.executable, "-m", "survkit", "digitize", str(broken), "--out",
                          str(tmp_path / "out")], capture_output=True, text=True, env=env,
                         timeout=120, check=False)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "cannot read" in run.stderr


def test_numbers_grouped_by_thousands() -> None:
    """"1,250" is 1250 as a count and as a tick label; a decimal comma ("0,25") stays one."""
    from survkit.digitize.text import as_count, parse_number

    assert as_count("1,250") == 1250
    assert as_count("12,000") == 12000
    assert as_count("1,25") is None
    assert parse_number("1,000") == (1000.0, False)
    assert parse_number("0,25") == (0.25, False)
    assert parse_number("2,5") == (2.5, False)
    assert parse_number("0,250") == (0.25, False)


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_table_and_ticks_with_thousands_separators(tmp_path: Path, dpi: int) -> None:
    """Counts "2,034", "1,520" ... under ticks "0 ... 1,500 ... 3,000" days: the comma
    hanging below the digits joins them, the ticks calibrate 0..3000 and every cell is
    read exactly."""
    arms = WIDE_ARMS
    ticks = (0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=ticks, table_times=ticks,
                  counts=WIDE_COUNTS, dpi=dpi, fontsize=9.0, thousands=True)
    scene = read_raster(tmp_path / "t.png")
    cal = calibrate(scene)
    assert cal.x.values == pytest.approx(ticks)
    rows, notes = read_risk_table(scene, cal, [], list(arms))
    for arm in arms:
        assert rows[arm] == (ticks, WIDE_COUNTS[arm]), arm
    assert not [n for n in notes if "unread" in n], notes


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_unlabelled_coloured_rows_go_to_the_curve_of_their_colour(tmp_path: Path,
                                                                   dpi: int) -> None:
    """Rows with no names, printed in their arm's colour and in the reverse of the legend's
    order (as survminer's ``tables.y.text = FALSE``): each goes to the curve of its colour,
    whose thin glyphs average to the ink blended with white, never by order."""
    arms = WIDE_ARMS[:3]
    times = (0.0, 12.0, 24.0, 36.0, 48.0, 60.0)
    _table_figure(tmp_path / "t.png", arms=arms, ticks=times, table_times=times,
                  counts=WIDE_COUNTS, dpi=dpi, fontsize=9.0, coloured=True, labels=False,
                  row_order=tuple(reversed(arms)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "t.png")
    assert set(d.arms) == set(arms)
    for arm in arms:
        c = d.curve(arm)
        assert tuple(np.asarray(c.risk_times).tolist()) == times
        assert tuple(np.asarray(c.n_risk).tolist()) == WIDE_COUNTS[arm], arm
    assert not [w for w in d.warnings if "risk" in w or "order" in w], d.warnings


def _minimal_axes_figure(path: Path, *, dpi: int, tick_length: float = 4.0,
                         tick_width: float = 1.0) -> None:
    """Axes with no axis lines (no spines), light grid lines and dark tick marks set
    apart from the panel, as ggplot2's ``theme_minimal()`` draws them: y ticks 0.00 ..
    1.00 every 0.25 drawn just left of the grid, x ticks every 100 days."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    for arm in ARMS:
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5)
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(True, color="#ebebeb", lw=1.0)
    ax.set_xlim(-50, 1050)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xticks([0, 250, 500, 750, 1000])
    ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0.00", "0.25", "0.50", "0.75", "1.00"])
    ax.tick_params(color="#333333", length=tick_length, width=tick_width, pad=2)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_axes_without_axis_lines_calibrate_on_detached_ticks(tmp_path: Path, dpi: int) -> None:
    """No axis line: the tick marks are found beside their labels (a y tick joined to its
    label reads as a trailing dash, which no number has) and the axes fit on them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = tmp_path / "minimal.png"
    _minimal_axes_figure(path, dpi=dpi)
    scene = read_raster(path)
    cal = calibrate(scene)
    assert cal.x.values == (0.0, 250.0, 500.0, 750.0, 1000.0)
    assert cal.y.values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert cal.x.source == "tick marks" and cal.y.source == "tick marks"
    # the true pixel positions of the ticks: matplotlib's transform of the same figure
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    ax.set_xlim(-50, 1050)
    ax.set_ylim(-0.05, 1.05)
    fig.set_dpi(dpi)
    h = fig.get_size_inches()[1] * dpi
    px = ax.transData.transform(np.column_stack([[0, 1000], [0, 1]]).astype(float))
    plt.close(fig)
    # pixel index = centre: a display coordinate x lies in pixel x − 0.5
    assert abs(float(cal.x.position(0.0)) - (px[0, 0] - 0.5)) < 1.0
    assert abs(float(cal.x.position(1000.0)) - (px[1, 0] - 0.5)) < 1.0
    assert abs(float(cal.y.position(0.0)) - (h - px[0, 1] - 0.5)) < 1.0
    assert abs(float(cal.y.position(1.0)) - (h - px[1, 1] - 0.5)) < 1.0
    assert not any(w.text.endswith("-") for w in cal.y.labels)


def _legend_figure(path: Path, labels: list[str], *, dpi: int) -> None:
    """Four staircases with a frameless legend (matplotlib's default font and size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    for k, (lab, col) in enumerate(zip(labels, plt.get_cmap("tab10").colors, strict=False)):
        ax.step([0, 10 + 5 * k, 40], [100, 70 - 10 * k, 70 - 10 * k], where="post",
                color=col, lw=1.0, label=lab)
    ax.set_ylim(0, 102)
    ax.grid(True, color="0.85", lw=0.6)
    ax.legend(frameon=False, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


@requires_tesseract
def test_one_glyph_read_in_both_cases_is_one_letter(tmp_path: Path) -> None:
    """A lone capital C at 150 dpi is read "Cc" by OCR (its two cases have one shape): one
    glyph is one letter, a capital as tall as the "A" beside it."""
    labels = ["Arm A", "Arm B", "Arm C", "Arm D"]
    path = tmp_path / "legend.png"
    _legend_figure(path, labels, dpi=150)
    texts = [w.text for w in read_raster(path).words]
    for lab in labels:
        assert lab.split()[1] in texts
    assert "Cc" not in texts


@requires_tesseract
def test_table_numbers_with_a_line_through_them(tmp_path: Path) -> None:
    """A dark line through the middle of each row joins the numbers into one component too
    big for a glyph: the line is taken out where no glyph crosses it, and every cell reads."""
    _figure(tmp_path / "t.png", dpi=300, row_lines=True)
    scene = read_raster(tmp_path / "t.png")
    rows, notes = read_risk_table(scene, calibrate(scene), [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS
    assert {a: rows[a][0] for a in ARMS} == {a: TIMES for a in ARMS}
    assert not [n for n in notes if "unread" in n]


@requires_tesseract
def test_table_column_under_an_unlabelled_last_tick(tmp_path: Path) -> None:
    """The last tick has no label the axis can use (OCR left it unread): the axis ends at
    750, and the table's column one tick spacing further is read at 1000, not dropped."""
    _figure(tmp_path / "t.png", dpi=150, tick_labels=["0", "250", "500", "750", ""])
    scene = read_raster(tmp_path / "t.png")
    cal = calibrate(scene)
    assert cal.x.values == (0.0, 250.0, 500.0, 750.0)
    rows, notes = read_risk_table(scene, cal, [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS
    assert {a: rows[a][0] for a in ARMS} == {a: TIMES for a in ARMS}
    assert not notes


@requires_tesseract
def test_table_column_under_an_unlabelled_first_tick(tmp_path: Path) -> None:
    """The first tick's label is missing: the column one spacing before the first labelled
    tick is the table's column at time 0; a row label holding a number stays a label."""
    cells = {"Control": [str(n) for n in COUNTS["Control"]],
             "Drug": [str(n) for n in COUNTS["Drug"]]}
    _figure(tmp_path / "t.png", dpi=150, cells=cells,
            tick_labels=["", "250", "500", "750", "1000"])
    scene = read_raster(tmp_path / "t.png")
    cal = calibrate(scene)
    assert cal.x.values == (250.0, 500.0, 750.0, 1000.0)
    rows, notes = read_risk_table(scene, cal, [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS
    assert {a: rows[a][0] for a in ARMS} == {a: TIMES for a in ARMS}
    assert not notes


@requires_tesseract
def test_table_columns_under_the_two_unlabelled_first_ticks(tmp_path: Path) -> None:
    """The labels of the first two ticks (0 and 250) are missing, as OCR lost a ggplot
    axis's "0" and "2": the axis is calibrated on 500, 750 and 1000, and the table's
    columns still begin at time 0, so every cell is read at its time."""
    _figure(tmp_path / "t.png", dpi=150, tick_labels=["", "", "500", "750", "1000"])
    scene = read_raster(tmp_path / "t.png")
    cal = calibrate(scene)
    assert cal.x.values == (500.0, 750.0, 1000.0)
    rows, notes = read_risk_table(scene, cal, [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS
    assert {a: rows[a][0] for a in ARMS} == {a: TIMES for a in ARMS}
    assert not notes


@requires_tesseract
def test_plot_axis_preferred_to_the_table_axis_repeating_it(tmp_path: Path) -> None:
    """The plot's x axis without tick marks (no axis line, pale ticks) and the same labels
    repeated under the table with tick marks: the plot's own axis is the x axis, so the
    table rows above the repeated axis are read."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(6.5, 5.5))
    ax = fig.add_axes((0.2, 0.42, 0.75, 0.53))
    tab = fig.add_axes((0.2, 0.1, 0.75, 0.18))
    for arm in ARMS:
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5)
    for a in (ax, tab):
        a.set_xlim(-50, 1050)
        a.set_xticks(TIMES)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(color="#dddddd")  # ticks too pale to be found
    tab.set_ylim(-0.5, 1.5)
    tab.set_yticks([0, 1], list(reversed(ARMS)))
    for k, arm in enumerate(reversed(ARMS)):
        for t, n in zip(TIMES, COUNTS[arm], strict=True):
            tab.text(t, k, str(n), ha="center", va="center", fontsize=10)
    path = tmp_path / "t.png"
    fig.savefig(path, dpi=150)
    plt.close(fig)
    scene = read_raster(path)
    cal = calibrate(scene)
    assert cal.x.values == TIMES
    plot_labels_bottom = max(w.bottom for w in cal.x.labels)
    counts_top = min(w.top for w in scene.words if w.text == str(COUNTS["Control"][0]))
    assert plot_labels_bottom < counts_top  # the plot's axis, not the table's
    rows, _notes = read_risk_table(scene, cal, [], list(ARMS))
    assert {a: rows[a][1] for a in ARMS} == COUNTS


@requires_tesseract
def test_table_heading_without_readable_rows_warns(tmp_path: Path) -> None:
    """A "Number at risk" heading under the axis with no row of numbers that can be read
    (here: no numbers at all) is a warning, not a figure silently without its table."""
    cells = {a: ["" for _ in TIMES] for a in ARMS}
    _figure(tmp_path / "t.png", dpi=150, cells=cells)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "t.png")
    assert not d.has_risk_table
    assert [w for w in d.warnings if "at risk" in w and "rows could not be read" in w]


@requires_tesseract
def test_short_detached_x_tick_over_a_zero_is_not_text(tmp_path: Path) -> None:
    """ggplot2's ticks (2.75 pt long) at 150 dpi: a bar about 6 by 2 pixels over the "0"
    label; it is a tick, not the top of bottom-to-top text, so the "0" is read."""
    path = tmp_path / "short.png"
    _minimal_axes_figure(path, dpi=150, tick_length=2.75, tick_width=1.1)
    cal = calibrate(read_raster(path))
    assert cal.x.values == (0.0, 250.0, 500.0, 750.0, 1000.0)


#: survminer's look with numbers in the row labels: the labels are right-aligned with
#: the y tick labels, in the arms' colours (Okabe–Ito orange, sky blue, bluish green)
AGE_ARMS = ("Age < 35", "Age 35-49", "Age 50+")
AGE_COLOURS = ("#e69f00", "#56b4e9", "#009e73")
AGE_COUNTS = {"Age < 35": (45, 21, 15, 8, 5), "Age 35-49": (97, 49, 30, 18, 9),
              "Age 50+": (42, 14, 7, 3, 1)}
AGE_TIMES = (0.0, 500.0, 1000.0, 1500.0, 2000.0)


def _aligned_labels_figure(path: Path, *, dpi: int, fontsize: float = 13.0) -> None:
    """Three colour staircases over 0..2000 days, a legend above the panel, and a
    number-at-risk table whose row labels ("Age < 35", ...) are drawn in their arm's
    colour, right-aligned at the x where the y tick labels end (survminer aligns them
    so): the number in a row label stands in the column of the y labels, under them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 6.0))
    fig.subplots_adjust(left=0.17, bottom=0.36, right=0.96, top=0.88)
    for k, arm in enumerate(AGE_ARMS):
        x = [0.0, 300.0 + 90 * k, 800.0 + 70 * k, 1400.0 + 50 * k]
        y = [1.0, 0.85 - 0.1 * k, 0.7 - 0.12 * k, 0.55 - 0.12 * k]
        ax.step([*x, 2000.0], [*y, y[-1]], where="post", color=AGE_COLOURS[k], lw=1.5,
                label=arm)
    ax.set_xlim(0, 2000)
    ax.set_xticks(AGE_TIMES, [f"{t:g}" for t in AGE_TIMES], fontsize=fontsize)
    ax.set_ylim(-0.03, 1.03)
    # y labels as text, right-aligned where the row labels will be
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], [""] * 5)
    ytr = ax.get_yaxis_transform()
    for v in (0, 0.25, 0.5, 0.75, 1.0):
        ax.text(-0.025, v, f"{v:.2f}", transform=ytr, ha="right", va="center",
                fontsize=fontsize)
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=3,
              fontsize=0.8 * fontsize)
    tr = ax.get_xaxis_transform()
    for row, arm in enumerate(AGE_ARMS):
        yy = -0.2 - 0.09 * row
        ax.text(-0.025, yy, arm, transform=ax.transAxes, ha="right", va="center",
                fontsize=0.75 * fontsize, color=AGE_COLOURS[row])
        for t, n in zip(AGE_TIMES, AGE_COUNTS[arm], strict=True):
            ax.text(t, yy, str(n), transform=tr, ha="center", va="center",
                    fontsize=fontsize)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_row_label_numbers_under_the_y_labels(tmp_path: Path, dpi: int) -> None:
    """A row label's number ("Age < 35") right-aligned under the y tick labels breaks their
    increase; the y axis is the run of labels above it, not refused as a whole. The pale
    sky-blue row label is read (its ink darkened for OCR), "<" is read in the legend and
    the row label, and every cell goes to its arm by name."""
    path = tmp_path / "aligned.png"
    _aligned_labels_figure(path, dpi=dpi)
    scene = read_raster(path)
    cal = calibrate(scene)
    assert cal.y.values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert cal.x.values == AGE_TIMES
    rows, notes = read_risk_table(scene, cal, [], list(AGE_ARMS))
    assert {a: rows[a] for a in AGE_ARMS} == {a: (AGE_TIMES, AGE_COUNTS[a]) for a in AGE_ARMS}
    assert not notes, notes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == AGE_ARMS
    assert not [w for w in d.warnings if "risk" in w or "order" in w or "legend" in w]


def test_a_mark_on_another_line_does_not_cut_a_label() -> None:
    """The boxes of "0.00" (digits 34 pixels tall, the point 5) and, on a line below, a
    hyphen 2 pixels tall starting 4 pixels right of the point: the label is one cluster
    (the scan for glyphs to join stops beyond 0.6 of the tallest box's height, not of the
    pair's)."""
    from survkit.digitize.ocr import Box, cluster_boxes

    label = [Box(162, 183, 1105, 1139), Box(189, 194, 1133, 1138), Box(200, 221, 1105, 1139),
             Box(225, 246, 1105, 1139)]
    hyphen = Box(198, 206, 1537, 1539)
    clusters = cluster_boxes([*label, hyphen])
    assert sorted(sorted(idx) for idx, _ in clusters) == [[0, 1, 2, 3], [4]]


def test_have_tesseract_with_the_library_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the program on PATH, Tesseract is there when libtesseract can be called in
    the process; with neither, reading raster text is a ValueError that names both."""
    from survkit.digitize import deps, ocr, tesseract

    monkeypatch.setattr(deps.shutil, "which", lambda name: None)
    monkeypatch.setattr(tesseract, "in_process", lambda: True)
    assert deps.have_tesseract()
    monkeypatch.setattr(tesseract, "in_process", lambda: False)
    assert not deps.have_tesseract()
    with pytest.raises(ValueError, match=r"tesseract program is not installed.*libtesseract"):
        ocr.read_clusters(np.full((10, 10), 255, dtype=np.uint8), [ocr.Box(1, 5, 1, 8)])
    monkeypatch.setattr(deps.shutil, "which", lambda name: "/usr/bin/tesseract")
    assert deps.have_tesseract()


def _named_legend_figure(path: Path, labels: list[str], *, dpi: int, colours: list[str],
                         styles: list[str] | None = None, grid_through: int | None = None,
                         family: str | None = None) -> None:
    """Staircases with a frameless legend in matplotlib's default font: ``colours`` and
    line ``styles`` per curve; with ``grid_through`` a pale grid line (``#cccccc``, as
    seaborn's whitegrid draws them) runs behind the middle of that label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 4.5))
    for k, lab in enumerate(labels):
        ax.step([0, 8 + 7 * k, 20 + 5 * k, 40], [1.0, 0.8 - 0.12 * k, 0.6 - 0.15 * k,
                                                 0.6 - 0.15 * k],
                where="post", color=colours[k], lw=1.5, label=lab,
                ls=(styles or ["-"] * len(labels))[k])
    ax.set_xlim(0, 40)
    ax.set_ylim(0, 1.05)
    leg = ax.legend(frameon=False, loc="upper right", handlelength=3.0,
                    prop={"family": family} if family else None)
    if grid_through is not None:
        fig.canvas.draw()
        bb = leg.get_texts()[grid_through].get_window_extent()
        y = ax.transData.inverted().transform((0.0, 0.5 * (bb.y0 + bb.y1)))[1]
        ax.axhline(y, color="#cccccc", lw=0.8, zorder=0)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


@requires_tesseract
def test_legend_label_with_a_grid_line_behind_it(tmp_path: Path) -> None:
    """A pale grey grid line running behind a legend label (seaborn's whitegrid) is not a
    curve striking it through: the label names its curve."""
    path = tmp_path / "grid.png"
    labels = ["Pembrolizumab", "Chemotherapy"]
    _named_legend_figure(path, labels, dpi=150, colours=["#1f77b4", "#ff7f0e"],
                         grid_through=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == tuple(labels)


@requires_tesseract
@pytest.mark.parametrize(("dpi", "jpeg"), [(150, False), (150, True),
                                           pytest.param(300, False, marks=pytest.mark.slow)])
def test_roman_numerals_in_legend_names(tmp_path: Path, dpi: int, jpeg: bool) -> None:
    """"Stage I", "Stage II", "Stage III": OCR reads the upright bars as "H", "HI", "Il",
    "|" or nothing; a cluster of bars after a word, as tall as its capitals, is the numeral
    (also in a JPEG at quality 85, whose ringing leaves a pale column beside each bar)."""
    path = tmp_path / "stages.png"
    labels = ["Stage I", "Stage II", "Stage III"]
    _named_legend_figure(path, labels, dpi=dpi, colours=["#1b9e77", "#d95f02", "#7570b3"])
    if jpeg:
        from PIL import Image

        Image.open(path).convert("RGB").save(tmp_path / "stages.jpg", quality=85)
        path = tmp_path / "stages.jpg"
    words = read_raster(path).words
    after_stage = sorted(
        (x.top, x.text) for w in words if w.text == "Stage" for x in words
        if abs(x.yc - w.yc) < 0.4 * w.height and 0 < x.x0 - w.x1 < w.height)
    assert [t for _, t in after_stage] == ["I", "II", "III"]
    if jpeg:
        return  # (JPEG blurs these curves' colours together: the curves are another test's)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == tuple(labels)
    assert not [w for w in d.warnings if "misread" in w]


def test_doubtful_legend_names_warn() -> None:
    """Names holding a word of bar-like characters that mixes them ("Il", "HI"), a lone
    "l", or an "H" where the other names have a numeral of I's, are flagged; ordinary names
    and well-read numerals are not."""
    from survkit.digitize.legend import doubtful_names

    assert len(doubtful_names(["Stage I", "Stage HI", "Stage Il"])) == 2
    assert len(doubtful_names(["Stage I", "Stage H", "Stage III"])) == 1
    assert len(doubtful_names(["Grade l", "Grade 2"])) == 1
    assert doubtful_names(["Stage I", "Stage II", "Stage III"]) == []
    assert doubtful_names(["Group H", "Group K"]) == []
    assert doubtful_names(["HER2+", "Arm 1", None]) == []


@requires_tesseract
def test_legend_name_joined_by_a_plus(tmp_path: Path) -> None:
    """"Surgery" and "Surgery + RT" (black solid and dotted): the "+" between two words of a
    label is part of the name, so the two names differ and each goes to its curve's style."""
    path = tmp_path / "plus.png"
    labels = ["Surgery", "Surgery + RT"]
    _named_legend_figure(path, labels, dpi=300, colours=["black", "black"],
                         styles=["-", ":"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert set(d.arms) == set(labels)
    solid = [c.arm for c in d.curves if not c.dashed]
    assert solid == ["Surgery"]


def _touching_label_figure(path: Path, *, dpi: int, overlap_pt: float) -> None:
    """Two staircases over 0..48 months and a table whose counts are right-aligned at their
    times; each row label ends ``overlap_pt`` points inside the first count's box, so that
    their glyphs touch (a label set tight against a right-aligned column)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    fig.subplots_adjust(left=0.25, bottom=0.3, right=0.95, top=0.95)
    for k, arm in enumerate(TOUCH_ARMS):
        ax.step([0, 10 + 5 * k, 30, 48], [1, 0.8 - 0.1 * k, 0.6 - 0.1 * k, 0.6 - 0.1 * k],
                where="post", label=arm, color=COLOURS[ARMS[k]])
    ax.set_xlim(0, 48)
    ax.set_xticks(TOUCH_TIMES)
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False)
    tr = ax.get_xaxis_transform()
    for r, arm in enumerate(TOUCH_ARMS):
        yy = -0.2 - 0.08 * r
        for t, n in zip(TOUCH_TIMES, TOUCH_COUNTS[arm], strict=True):
            txt = ax.text(t, yy, str(n), transform=tr, ha="right", fontsize=10)
            if t == 0:
                fig.canvas.draw()
                x_disp = txt.get_window_extent().x0 + overlap_pt * fig.dpi / 72
                xd = ax.transData.inverted().transform((x_disp, 0.0))[0]
                ax.text(xd, yy, arm, transform=tr, ha="right", fontsize=10)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


TOUCH_ARMS = ("Placebo", "Low dose")
TOUCH_TIMES = (0, 12, 24, 36, 48)
TOUCH_COUNTS = {"Placebo": (1250, 980, 604, 233, 41), "Low dose": (1187, 1003, 512, 98, 9)}


@requires_tesseract
def test_row_label_touching_its_first_count(tmp_path: Path) -> None:
    """OCR reads a label touching a right-aligned first count as one word ("Placebo1250"):
    the digits at its end are the cell at time 0 when the row then fits its grid."""
    path = tmp_path / "touch.png"
    _touching_label_figure(path, dpi=150, overlap_pt=1.0)
    scene = read_raster(path)
    assert any(w.text.endswith("1250") and len(w.text) > 4 for w in scene.words)  # joined
    rows, notes = read_risk_table(scene, calibrate(scene), [], list(TOUCH_ARMS))
    assert {a: rows[a] for a in TOUCH_ARMS} == {
        a: (tuple(float(t) for t in TOUCH_TIMES), TOUCH_COUNTS[a]) for a in TOUCH_ARMS}
    assert not notes, notes


@requires_tesseract
def test_row_label_joined_to_a_count_it_cannot_split_warns(tmp_path: Path) -> None:
    """Touching closer, OCR gives "Placebol250" (the count's 1 read as l): the digits are
    not taken as a cell (250 is not the count), and the unread first cell is a note
    naming the row and the time, never a row silently without its first column."""
    path = tmp_path / "touch.png"
    _touching_label_figure(path, dpi=300, overlap_pt=2.0)
    scene = read_raster(path)
    rows, notes = read_risk_table(scene, calibrate(scene), [], list(TOUCH_ARMS))
    for arm in TOUCH_ARMS:
        if arm in rows and rows[arm][0][0] == 0.0:
            assert rows[arm][1] == TOUCH_COUNTS[arm]  # read whole, or ...
        else:
            assert [n for n in notes if "unread" in n and "at time 0" in n], notes  # ... said


def _key_bar_rows_figure(path: Path, *, dpi: int) -> None:
    """Two colour staircases and a table whose rows carry no label but a short thick bar in
    the arm's colour before black counts (survminer's ``tables.y.text = FALSE``), the rows
    in the reverse of the legend's order."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 5.0))
    fig.subplots_adjust(left=0.2, bottom=0.3, right=0.95, top=0.95)
    for arm in ARMS:
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5, label=arm)
    ax.set_xlim(0, 1000)
    ax.set_xticks(TIMES)
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, loc="upper right")
    tr = ax.get_xaxis_transform()
    for r, arm in enumerate(reversed(ARMS)):
        yy = -0.2 - 0.09 * r
        ax.plot([-130, -70], [yy, yy], transform=tr, clip_on=False, color=COLOURS[arm],
                lw=5, solid_capstyle="butt")
        for t, n in zip(TIMES, COUNTS[arm], strict=True):
            ax.text(t, yy, str(n), transform=tr, ha="center", va="center", fontsize=10)
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


@requires_tesseract
def test_unlabelled_rows_go_to_the_curve_of_their_key_bar(tmp_path: Path) -> None:
    """Rows with a coloured bar instead of a label, in the reverse of the legend's order:
    each goes to the curve of its bar's colour, never by order."""
    path = tmp_path / "bars.png"
    _key_bar_rows_figure(path, dpi=150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert set(d.arms) == set(ARMS)
    for arm in ARMS:
        assert tuple(np.asarray(d.curve(arm).n_risk).tolist()) == COUNTS[arm], arm
    assert not [w for w in d.warnings if "order" in w or "risk" in w], d.warnings


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_numeral_ranges_with_en_dashes_in_a_serif_legend(tmp_path: Path, dpi: int) -> None:
    """"Stage I–II" and "Stage III–IV" in DejaVu Serif: the en dash (wider than a hyphen)
    is read as one, and a serif I that OCR reads "T" inside the range is an I."""
    import matplotlib

    labels = ["Stage I\u2013II", "Stage III\u2013IV"]
    with matplotlib.rc_context({"font.family": "DejaVu Serif"}):
        _named_legend_figure(tmp_path / "serif.png", labels, dpi=dpi,
                             colours=["#1b9e77", "#d95f02"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "serif.png")
    assert d.arms == tuple(labels)


@requires_tesseract
def test_single_arm_named_by_its_table_row(tmp_path: Path) -> None:
    """One curve, no legend, a table of one row labelled "CAR-T": the arm is "CAR-T", and
    its row is its own (not assigned by order)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    fig.subplots_adjust(left=0.2, bottom=0.3, right=0.95, top=0.95)
    x, y = STEPS["Drug"]
    ax.step([*x, 1000], [*y, y[-1]], where="post", color="#1f4e79", lw=1.5)
    ax.set_xlim(0, 1000)
    ax.set_xticks(TIMES)
    ax.set_ylim(0, 1.05)
    tr = ax.get_xaxis_transform()
    ax.text(-60, -0.22, "At risk", transform=tr, ha="right", fontsize=10)
    ax.text(-60, -0.3, "CAR-T", transform=tr, ha="right", fontsize=10)
    for t, n in zip(TIMES, COUNTS["Drug"], strict=True):
        ax.text(t, -0.3, str(n), transform=tr, ha="center", fontsize=10)
    fig.savefig(tmp_path / "one.png", dpi=150)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "one.png")
    assert d.arms == ("CAR-T",)
    assert tuple(np.asarray(d.curve("CAR-T").n_risk).tolist()) == COUNTS["Drug"]
    assert not [w for w in d.warnings if "order" in w or "risk" in w], d.warnings


def test_the_one_unlabelled_row_goes_to_the_arm_left() -> None:
    """Three arms, three rows, two named: the row whose label is not read at all (too pale
    to be ink) is the third arm's, with a note; with a fourth arm it stays unassigned."""
    from survkit.digitize.scene import Scene, Word

    def w(text: str, x: float, y: float) -> Word:
        return Word(text, x - 4.0 * len(text), x + 4.0 * len(text), y - 6.0, y + 6.0)

    words = [w(f"{v:.1f}", 40, 300 - 250 * v) for v in (0.0, 0.5, 1.0)]
    words += [w(str(t), 100 + t, 320) for t in (0, 100, 200, 300)]
    rows = {"A": (50, 30, 10, 2), "B": (40, 20, 9, 1), "C": (30, 15, 5, 0)}
    for r, (arm, counts) in enumerate(rows.items()):
        if arm != "A":
            words.append(w(arm, 50, 350 + 20 * r))
        words += [w(str(n), 100 + t, 350 + 20 * r) for t, n in zip((0, 100, 200, 300), counts,
                                                                  strict=True)]
    scene = Scene("raster", 500.0, 450.0, (), tuple(words))
    cal = calibrate(scene)
    assert cal.x.values == (0.0, 100.0, 200.0, 300.0)
    out, notes = read_risk_table(scene, cal, [], ["A", "B", "C"])
    assert {a: out[a][1] for a in out} == rows
    assert [n for n in notes if "without a label" in n]
    out, notes = read_risk_table(scene, cal, [], ["A", "B", "C", "D"])
    assert "A" not in out and [n for n in notes if "could not be assigned" in n]


def test_a_word_in_another_curves_colour_is_no_label() -> None:
    """A "word" coloured as the grey curve (0.56) with a black key left of it is a piece
    of the grey curve read as letters, not the black curve's label; a black label with the
    black key, or a label coloured as its own key's curve, is a label."""
    from survkit.digitize.raster import _coloured_as_another
    from survkit.digitize.scene import Word

    cols = np.array([[0.0, 0.0, 0.0], [0.56, 0.56, 0.56]])
    grey = Word("are", 0, 10, 0, 5, (0.56, 0.56, 0.56))
    assert _coloured_as_another(grey, cols, 0)
    assert not _coloured_as_another(grey, cols, 1)
    assert not _coloured_as_another(Word("Arm A", 0, 10, 0, 5, (0.15, 0.15, 0.15)), cols, 0)
    # black text averaging to a dark curve's grey, beside the other curve's key
    dark = np.array([[0.19, 0.19, 0.19], [0.6, 0.6, 0.6]])
    assert not _coloured_as_another(Word("Tamoxifen", 0, 10, 0, 5, (0.2, 0.2, 0.2)), dark, 1)


def test_a_label_whose_key_voted_for_a_taken_curve_goes_to_the_free_one() -> None:
    """Keys of red, orange and blue curves; the red key smeared towards orange (a JPEG at
    150 dpi) voted for orange, which "Low dose" names already: its core colour, nearer
    red than orange, gives "High dose" to the red curve, the one left unnamed. A grey key
    or a core nearer the taken curve changes nothing."""
    from survkit.digitize.raster import _second_claims
    from survkit.digitize.scene import Word

    cols = np.array([[0.84, 0.15, 0.16], [1.0, 0.5, 0.05], [0.12, 0.47, 0.71]])
    low, high, plac = (Word(t, 0, 10, y, y + 5) for t, y in (("Low", 0), ("High", 10),
                                                               ("Placebo", 20)))
    smeared = np.array([[[0.77, 0.33, 0.34]] * 6 + [[0.95, 0.8, 0.8]] * 6])
    for key, expect in ((smeared, high), (np.full((1, 12, 3), 0.4), None),
                        (np.array([[[0.95, 0.5, 0.1]] * 12]), None)):
        best = {1: (80, low), 2: (90, plac)}
        owner = {id(low): 1, id(high): 1, id(plac): 2}
        keys = {id(low): key, id(high): key, id(plac): key}
        _second_claims([low, high, plac], owner, keys, best, cols)
        assert best.get(0, (0, None))[1] is expect


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_case_of_a_first_letter_whose_cases_differ_in_size(tmp_path: Path, dpi: int) -> None:
    """survminer's "sex=1", "sex=2": OCR gives "Sex=2", "Ssex=2" or "Wax" for a lower-case
    s or w as tall as the e or a after it; a capital S, taller than the e, stays."""
    labels = ["sex=1", "sex=2", "Serum", "wax"]
    path = tmp_path / "legend.png"
    _legend_figure(path, labels, dpi=dpi)
    texts = [w.text for w in read_raster(path).words]
    for lab in labels:
        assert lab in texts


def test_first_letter_case_from_glyph_heights() -> None:
    """The rule alone, on glyph boxes: the first glyph's height against the second's."""
    from survkit.digitize.ocr import Box, _first_letter_case

    small = [Box(0, 7, 3, 10), Box(8, 15, 3, 10), Box(16, 23, 3, 10)]  # x-height glyphs
    tall = [Box(0, 7, 0, 10), Box(8, 15, 3, 10), Box(16, 23, 3, 10)]  # a capital first
    assert _first_letter_case([(0, 20, "Sex")], small) == [(0, 20, "sex")]
    assert _first_letter_case([(0, 20, "Ssex")], small) == [(0, 20, "sex")]
    assert _first_letter_case([(0, 20, "sex")], tall) == [(0, 20, "Sex")]
    assert _first_letter_case([(0, 20, "Sex")], tall) == [(0, 20, "Sex")]
    assert _first_letter_case([(0, 20, "Oocyte")], tall) == [(0, 20, "Oocyte")]
    assert _first_letter_case([(0, 20, "Tex")], small) == [(0, 20, "Tex")]  # T: shape tells


def test_lower_case_l_among_capitals_is_a_capital_i() -> None:
    """OCR reads the capital I of "rIFN-g" as l; an l before or between capitals is an I,
    an l among lower-case letters stays."""
    from survkit.digitize.ocr import _capital_i

    assert _capital_i("rlFN-g") == "rIFN-g"
    assert _capital_i("ClL") == "CIL"
    assert _capital_i("Placebo") == "Placebo"
    assert _capital_i("lFN") == "IFN"
    assert _capital_i("all") == "all"
    assert _capital_i("IL-2") == "IL-2"
    assert _capital_i("Ml") == "Ml"  # no capital after it: left as read



def test_spaces_of_words_with_dotted_letters() -> None:
    """Glyph boxes of R's Helvetica at 150 dpi: "without diuretics", whose i's dots are
    boxes of their own (19 boxes for 16 letters: the dot joins its stem), is split at the
    space (7 px against 1-3 px between letters); "Regimes", with a 4 px gap beside its
    "i" (a quarter of its height, twice its usual 2 px gap), is one word."""
    from survkit.digitize.ocr import Box, _cluster_words

    def words(text: str, spans: list[tuple[int, int, int, int]]) -> list[str]:
        boxes = [Box(x0, x1, t, b) for x0, x1, t, b in spans]
        return [w.text for w in _cluster_words([(0.0, 1.0, text)], list(range(len(boxes))),
                                               False, boxes, 1.0)]

    without = [(750, 768, 101, 114), (769, 772, 96, 99), (769, 772, 101, 114),
               (774, 781, 97, 114), (783, 793, 96, 114), (796, 808, 101, 114),
               (810, 821, 101, 114), (823, 830, 97, 114), (837, 850, 96, 114),
               (852, 855, 96, 99), (852, 855, 101, 114), (858, 869, 101, 114),
               (873, 879, 101, 114), (880, 892, 101, 114), (893, 900, 97, 114),
               (901, 904, 96, 99), (901, 904, 101, 114), (907, 918, 101, 114),
               (920, 931, 101, 114)]
    assert words("withoutdiuretics", without) == ["without", "diuretics"]
    regimes = [(874, 885, 74, 89), (887, 898, 78, 89), (900, 910, 78, 93), (914, 916, 78, 89),
               (919, 937, 78, 89), (939, 950, 78, 89), (952, 961, 78, 89)]
    assert words("Regimes", regimes) == ["Regimes"]
    # a space of a third of the height between short words is still a space
    arm_a = [(0, 10, 0, 14), (11, 17, 4, 14), (18, 30, 4, 14), (36, 46, 0, 14)]
    assert words("ArmA", arm_a) == ["Arm", "A"]



@requires_tesseract
def test_long_legend_name_is_read_whole(tmp_path: Path) -> None:
    """A legend in one row above the axes (survminer's) whose first name's last word
    starts more than six text heights after its first word ("No hormonal therapy"): the
    name is read whole, not cut after "hormonal"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = ["No hormonal therapy", "Hormonal therapy"]
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    for arm, lab in zip(ARMS, labels, strict=True):
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5, label=lab)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(tmp_path / "top.png", dpi=150)
    plt.close(fig)
    res = digitize(tmp_path / "top.png")
    assert sorted(res.arms) == sorted(labels)


@requires_tesseract
def test_legend_names_that_begin_with_a_number(tmp_path: Path) -> None:
    """Legend names of tumour-size groups begin with a number or a relation and a number
    ("<=20 mm", "20-50 mm", ">50 mm"): each begins a name, as the word after it has
    letters, and names its curve."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = ["<=20 mm", "20-50 mm", ">50 mm"]
    steps = [([0, 200, 500, 800], [1.0, 0.9, 0.8, 0.7]), ([0, 150, 400, 700], [1.0, 0.8, 0.6, 0.5]),
             ([0, 100, 300, 600], [1.0, 0.7, 0.45, 0.3])]
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    for (x, y), lab, col in zip(steps, labels, ("#d55e00", "#0072b2", "#009e73"), strict=True):
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=col, lw=1.5, label=lab)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", frameon=False)
    fig.tight_layout()
    fig.savefig(tmp_path / "sizes.png", dpi=150)
    plt.close(fig)
    res = digitize(tmp_path / "sizes.png")
    assert list(res.arms) == labels  # in the order of the curves drawn, named by their keys


# -- words OCR cut or joined wrongly; text that names no arm --------------------------


@requires_tesseract
@pytest.mark.parametrize(("labels", "colours"), [
    # lifelines' default label: the underscore is a flat glyph under the baseline that no
    # text cluster takes in
    (["KM_estimate"], ["#1f77b4"]),
    # a two-letter word whose gap beside the straight "N" is a quarter of its height
    (["No hormonal therapy", "Hormonal therapy"], ["#1f77b4", "#d62728"]),
    # "no" after "Oedema,": a word of small letters is shorter than the space before it,
    # which is no key
    (["No oedema", "Oedema, no diuretics", "Oedema on diuretics"],
     ["#1b9e77", "#d95f02", "#7570b3"]),
])
def test_legend_names_kept_whole_at_150_dpi(tmp_path: Path, labels: list[str],
                                            colours: list[str]) -> None:
    path = tmp_path / "names.png"
    _named_legend_figure(path, labels, dpi=150, colours=colours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == tuple(labels)


def _glyph_crop(ch: str, font: str, px: int = 40) -> np.ndarray:
    """One character drawn black on white in ``font``, cropped to its ink with a margin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1.0, 1.0), dpi=100)
    fig.text(0.5, 0.5, ch, fontsize=px * 72 / 100 * 1.35, family=font, ha="center",
             va="center")
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2)
    plt.close(fig)
    ink = np.argwhere(rgba < 128)
    (r0, c0), (r1, c1) = ink.min(axis=0), ink.max(axis=0)
    return np.asarray(rgba[r0 - 2:r1 + 3, c0 - 2:c1 + 3], dtype=np.uint8)


@pytest.mark.parametrize("font", ["DejaVu Sans", "Nimbus Sans", "DejaVu Serif"])
def test_a_one_has_a_flag_a_bar_has_none(font: str) -> None:
    """A lone upright glyph Tesseract leaves unread is given as "|" (a row of counts reads
    it as 1), unless it has a "1"'s flag: then it is the "1" of "Grade 1". "l", "I" and
    "|" have no flag (a serif "I" has serifs on both sides, a serif "l" a flat top
    serif: no flag either)."""
    from survkit.digitize.ocr import _bar_like, _flagged_one

    assert _flagged_one(_glyph_crop("1", font))
    for ch in ("l", "I", "|"):
        crop = _glyph_crop(ch, font)
        assert _bar_like(crop) and not _flagged_one(crop), ch


def test_rotated_label_stacked_past_a_mark_elsewhere() -> None:
    """R's default y labels (``las = 0``) read bottom to top: the "1", "." and "0" of
    "1.0" are stacked singles; a narrow mark elsewhere on the page whose top lies between
    the "." and the "1" (a censoring tick on a curve) does not stop the stacking."""
    from survkit.digitize.ocr import Box, cluster_boxes

    zero, point, one = Box(69, 87, 124, 136), Box(84, 87, 139, 142), Box(69, 87, 149, 156)
    mark = Box(400, 402, 144, 152)
    clusters = cluster_boxes([zero, point, one, mark])
    stacked = [sorted(idx) for idx, rotated in clusters if rotated]
    assert stacked == [[0, 1, 2]]


def test_p_values_and_table_headings_name_no_arm() -> None:
    from survkit.digitize.legend import not_a_name
    from survkit.digitize.scene import Word

    def line(*texts: str) -> list[Word]:
        out, x = [], 0.0
        for t in texts:
            out.append(Word(t, x, x + 8.0 * len(t), 0.0, 12.0))
            x += 8.0 * len(t) + 5.0
        return out

    p_eq = line("p", "= 0.13")
    assert not_a_name(p_eq[0], p_eq)
    p_glued = line("p=", "0.13")
    assert not_a_name(p_glued[0], p_glued)
    assert not_a_name(line("P<0.0001")[0], line("P<0.0001"))
    heading = line("Number", "at", "risk")
    assert not_a_name(heading[0], heading)
    for label in (("High", "risk"), ("Placebo",), ("pembrolizumab",), ("p53", "mutant")):
        words = line(*label)
        assert not not_a_name(words[0], words), label


def test_legend_key_drawn_as_a_line_on_a_band_fill() -> None:
    """ggplot2 draws a band's fill behind the key's line: the fill (paler, near the pale
    curve's colour) has more pixels than the line, which is the dark curve's."""
    from survkit.digitize.raster import _line_on_a_box

    cols = np.array([[0.3] * 3, [0.62] * 3])
    h, w, hgt = 15, 40, 15.0
    near = np.ones((h, w), dtype=np.intp)  # the fill: nearest the pale curve
    near[6:9, 2:38] = 0  # the line, 36 pixels long
    ok = np.ones(h * w, dtype=bool)
    counts = np.bincount(near.ravel(), minlength=2)
    assert counts[1] > counts[0]
    assert _line_on_a_box(ok, near.ravel(), counts, cols, 1, hgt, (h, w)) == 0
    # a pale key with no dark line on it stays the pale curve's
    near_pale = np.ones((h, w), dtype=np.intp)
    near_pale[6:9, 2:38] = 1
    counts = np.bincount(near_pale.ravel(), minlength=2)
    assert _line_on_a_box(ok, near_pale.ravel(), counts, cols, 1, hgt, (h, w)) == 1


def _two_axes_scene(upper_labels: list[str]) -> object:
    """The plot's x axis (tick marks over its labels) and the same axis repeated under a
    number-at-risk table (y downwards), with one y axis."""
    from survkit.digitize.scene import Scene, Stroke, Word

    black = (0.0, 0.0, 0.0)
    strokes: list[Stroke] = []
    words: list[Word] = []
    for k in range(11):
        x = 175.5 + 75.0 * k
        for tick_bottom, top in ((585.0, 590.0), (780.0, 785.0)):
            strokes.append(Stroke(np.array([[x, tick_bottom - 5.0], [x, tick_bottom]]), black))
            text = str(100 * k) if top > 700 else upper_labels[k]
            if text:
                words.append(Word(text, x - 4.0 * len(text), x + 4.0 * len(text), top,
                                  top + 12.0))
    for k in range(5):  # the y axis: 0.0 .. 1.0 with tick marks left of the panel
        y = 580.0 - 110.0 * k
        strokes.append(Stroke(np.array([[160.0, y], [165.0, y]]), black))
        words.append(Word(f"{0.25 * k:.2f}", 120.0, 155.0, y - 6.0, y + 6.0))
    return Scene("raster", 1000.0, 900.0, tuple(strokes), tuple(words))


def test_plot_axis_with_a_label_unread_preferred_to_the_table_axis() -> None:
    """The plot's axis has "900" unread ("?"): the table's axis under the table has all
    eleven labels, but the plot's own axis is the one above the table, at the positions
    the lower one gives its labels."""
    upper = [str(100 * k) for k in range(11)]
    upper[9] = "?"
    cal = calibrate(_two_axes_scene(upper))  # type: ignore[arg-type]
    assert max(w.bottom for w in cal.x.labels) < 700
    assert cal.x.value(175.5 + 75.0 * 9) == pytest.approx(900.0)


def test_unread_row_of_counts_under_the_plot_warns() -> None:
    """No row of the table read and no heading: a line of whole numbers under the panel
    that never increases still looks like a row at risk, and says so (never silent)."""
    from dataclasses import replace

    from survkit.digitize.scene import Word

    scene = _two_axes_scene([str(100 * k) for k in range(11)])
    # counts under the axis, off the tick grid (between the columns): not a row read
    cells = [Word(str(n), 200.0 + 61.0 * k, 220.0 + 61.0 * k, 650.0, 662.0)
             for k, n in enumerate((228, 196, 144, 92, 57, 41, 24))]
    scene = replace(scene, words=scene.words + tuple(cells))  # type: ignore[type-var]
    cal = calibrate(scene)  # type: ignore[arg-type]
    risk, notes = read_risk_table(scene, cal, [], ["All patients"])  # type: ignore[arg-type]
    assert risk == {}
    assert any("looks like a number-at-risk row" in n and "could not" in n for n in notes)
    # the axis labels alone (they increase) are no such row
    plain = _two_axes_scene([str(100 * k) for k in range(11)])
    _, notes = read_risk_table(plain, calibrate(plain), [], ["All patients"])  # type: ignore[arg-type]
    assert not any("looks like" in n for n in notes)


def _lifelines_rows(at_risk: list[str], censored: list[int], events: list[int]) -> object:
    """lifelines' table under the plot of :func:`_two_axes_scene`: "At risk",
    "Censored" and "Events" rows, one number centred under each of the eleven ticks."""
    from dataclasses import replace

    from survkit.digitize.scene import Word

    scene = _two_axes_scene([str(100 * k) for k in range(11)])
    words: list[Word] = []
    for top, label, cells in ((620.0, "At risk", at_risk),
                              (640.0, "Censored", [str(n) for n in censored]),
                              (660.0, "Events", [str(n) for n in events])):
        words.append(Word(label, 60.0, 60.0 + 8.0 * len(label), top, top + 12.0))
        for k, text in enumerate(cells):
            x = 175.5 + 75.0 * k
            words.append(Word(text, x - 4.0 * len(text), x + 4.0 * len(text), top, top + 12.0))
    return replace(scene, words=scene.words + tuple(words))  # type: ignore[type-var]


def test_unread_at_risk_cell_from_lifelines_tallies() -> None:
    """lifelines prints at risk + censored + events = N in every column: a cell OCR left
    unread ("?") is N − censored − events when every read column gives the same N; when
    they do not, it stays unread and says so."""
    from survkit.digitize.risktable import risk_rows

    censored = [0, 1, 3, 3, 4, 6, 8, 9, 10, 10, 12]
    events = [0, 10, 20, 31, 40, 46, 50, 52, 53, 54, 54]
    at_risk = [80 - c - e for c, e in zip(censored, events, strict=True)]
    cells = [str(n) for n in at_risk]
    cells[9] = "?"
    scene = _lifelines_rows(cells, censored, events)
    rows, _, notes = risk_rows(scene, calibrate(scene))  # type: ignore[arg-type]
    assert [r.label for r in rows] == ["At risk"]
    assert rows[0].counts == tuple(at_risk)
    assert rows[0].times == tuple(100.0 * k for k in range(11))
    assert not any("unread" in n for n in notes)
    # a censored count misread elsewhere: the columns disagree, the cell stays unread
    wrong = list(censored)
    wrong[4] += 1
    scene = _lifelines_rows(cells, wrong, events)
    rows, _, notes = risk_rows(scene, calibrate(scene))  # type: ignore[arg-type]
    assert 900.0 not in rows[0].times
    assert any("unread" in n and "900" in n for n in notes)


@requires_tesseract
@pytest.mark.parametrize("family", ["DejaVu Serif", "Nimbus Roman"])
def test_spaces_in_serif_legend_names_at_150_dpi(tmp_path: Path, family: str) -> None:
    """Serif glyphs touch at 150 dpi ("tr"), so OCR's letters do not match the glyphs and
    Tesseract may drop a space ("Untreatedeye"): the parts either side of a wide gap,
    read alone, give the letters back with the space."""
    path = tmp_path / "serif.png"
    labels = ["Untreated eye", "Laser-treated eye"]
    _named_legend_figure(path, labels, dpi=150, colours=["#404040", "#d95f02"],
                         family=family)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == tuple(labels)


def test_one_square_glyph_read_as_dashes_is_a_plus() -> None:
    """The "+" of "Levamisole + 5-FU" read as "--": one glyph as tall as it is wide made
    of bars is a plus; a flat glyph read "-" stays a hyphen."""
    from survkit.digitize.ocr import Box, _one_letter

    plus = Box(595, 622, 1266, 1292)
    assert _one_letter([(0.0, 10.0, "--")], plus, [plus]) == [(0.0, 10.0, "+")]
    hyphen = Box(595, 610, 1276, 1280)
    assert _one_letter([(0.0, 10.0, "-")], hyphen, [hyphen]) == [(0.0, 10.0, "-")]


def test_small_words_in_their_keys_curve_colour_are_no_label() -> None:
    """A confidence limit's dashes read as small letters ("ss", in the curve's blue) have
    the curve itself as their "key": under 0.6 of the tick labels' height they are no
    label; a label of that height, or a black one, may be."""
    from survkit.digitize.raster import _small_in_its_key_colour
    from survkit.digitize.scene import Word

    blue = np.array([0.0, 0.0, 0.55])
    assert _small_in_its_key_colour(Word("ss", 0, 22, 0, 16, (0.05, 0.05, 0.57)), blue, 37.0)
    assert not _small_in_its_key_colour(Word("arm", 0, 60, 0, 26, (0.05, 0.05, 0.57)), blue,
                                        37.0)
    assert not _small_in_its_key_colour(Word("ss", 0, 22, 0, 16, (0.1, 0.1, 0.1)), blue, 37.0)


@requires_tesseract
def test_ggplot_tick_over_a_zero_at_300_dpi_is_not_text(tmp_path: Path) -> None:
    """ggplot2's tick over the "0" at 300 dpi, anti-aliased over 5 pixels (0.26 of the
    "0"'s width, 0.42 of its own length): a tick, not the top of bottom-to-top text, so
    the "0" is read (before, the tick and the "0" were read as one rotated word and the
    x axis began at 250)."""
    path = tmp_path / "ticks300.png"
    _minimal_axes_figure(path, dpi=300, tick_length=2.75, tick_width=1.2)
    cal = calibrate(read_raster(path))
    assert cal.x.values == (0.0, 250.0, 500.0, 750.0, 1000.0)


@requires_tesseract
def test_curves_left_of_the_first_read_x_label_without_axis_lines(tmp_path: Path) -> None:
    """No axis lines (ggplot2's ``theme_minimal()``) and no label read at x = 0 (here none
    is printed): the x axis is calibrated from 250 on, yet the panel reaches the y tick
    marks, so both curves are read from t = 0 at S = 1 with their first drops (120 and 200
    days). Before, the panel began 3 % of the tick span left of the 250 tick: the curves
    began at S = 0.8 and 0.9, with a warning that they do not start at 1."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    for arm in ARMS:
        x, y = STEPS[arm]
        ax.step([*x, 1000], [*y, y[-1]], where="post", color=COLOURS[arm], lw=1.5, label=arm)
    for side in ("left", "right", "top", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(True, color="#ebebeb", lw=1.0)
    ax.set_xlim(-50, 1050)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xticks([0, 250, 500, 750, 1000], ["", "250", "500", "750", "1000"])
    ax.set_yticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0.00", "0.25", "0.50", "0.75", "1.00"])
    ax.tick_params(color="#333333", length=4.0, width=1.0, pad=2)
    ax.legend(loc="upper right")
    path = tmp_path / "no_zero.png"
    fig.savefig(path, dpi=150)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == ARMS
    assert not [w for w in d.warnings if "starts at" in w]
    for arm in ARMS:
        x, y = STEPS[arm]
        mids = [(a + b) / 2 for a, b in zip(x, [*x[1:], 1000], strict=True)]
        assert d.curve(arm).at([*mids]) == pytest.approx(y, abs=0.01)
        assert d.curve(arm).at([0.5 * x[1]]) == pytest.approx([1.0], abs=0.01)


@pytest.mark.parametrize(("digits", "digits_conf", "kept"), [
    ("3", 0.0, "B"),    # forced into a digit, unsure and unlike a "B": the letter stays
    ("8", 96.0, "8"),   # the digit a "B" looks like, read with confidence: a number
    ("3", 96.0, "3"),   # a confident digits reading still settles the glyph as before
])
def test_a_confident_lone_letter_is_not_forced_into_an_unsure_digit(
        monkeypatch: pytest.MonkeyPatch, digits: str, digits_conf: float, kept: str) -> None:
    """The "B" of a legend's "Arm B" (R's sans at 300 dpi) is one glyph read "B" at 93:
    a letter shaped like a digit, so it is read again digits only, where it came out "3" at
    confidence 0 and replaced the letter ("Arm 3", silently). An unsure digits reading
    unlike the letter's digit no longer replaces a confident letter; the readings here
    stand for Tesseract's (the first sheet, then the sheet of numbers)."""
    from survkit.digitize import ocr

    crops = [np.full((40, 30), 255, dtype=np.uint8)]
    per_slot = {0: [(0.0, 30.0, "B")]}
    conf = {0: 93.0}
    monkeypatch.setattr(ocr, "_read_sheet", lambda cs, wl, h: (
        {0: [(0.0, 30.0, digits)]}, {0: digits_conf}))
    ocr._read_again(per_slot, conf, crops, [1], True)
    assert "".join(t for _, _, t in per_slot[0]) == kept


def test_a_rotated_title_letter_beside_a_tick_label_is_not_its_first_character() -> None:
    """The glyph boxes of survminer's "0.75" at 150 dpi (digits 18 pixels tall, the point
    3) and, 8 pixels left of it, the "y" of the y axis title "Survival probability"
    written bottom to top, whose descender reaches towards the label, with the next
    letters of the title right under it (1 and 3 pixels apart): the label is one cluster
    of its four glyphs, the title's letters another (before, the "y" was the label's first
    character: "20.75", and the y axis was not calibrated)."""
    from survkit.digitize.ocr import Box, cluster_boxes

    label = [Box(47, 60, 240, 258), Box(64, 67, 255, 258), Box(72, 84, 240, 258),
             Box(88, 100, 240, 258)]
    title = [Box(17, 39, 235, 250), Box(13, 33, 251, 261), Box(17, 33, 264, 267),
             Box(11, 33, 272, 275), Box(11, 33, 288, 303)]
    clusters = cluster_boxes([*label, *title])
    groups = sorted(sorted(idx) for idx, _ in clusters)
    assert [0, 1, 2, 3] in groups
    assert not [g for g in groups if 4 in g and set(g) & {0, 1, 2, 3}]


#: three arms in ggplot2's default hues, each key a line with a "+" (survminer's legend)
PLUS_KEY_CURVES = (
    ({"t": [2.0, 5.0, 9.0, 14.0], "s": [0.9, 0.7, 0.55, 0.45], "end": 19.0}, "#F8766D", "ecog=0"),
    ({"t": [1.0, 4.0, 8.0, 12.0], "s": [0.85, 0.65, 0.45, 0.3], "end": 18.0}, "#00BA38", "ecog=1"),
    ({"t": [1.5, 3.0, 6.0, 10.0], "s": [0.75, 0.5, 0.3, 0.15], "end": 16.0}, "#619CFF", "ecog=2"))


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_legend_keys_read_as_plus_signs_name_their_curves(tmp_path: Path, dpi: int) -> None:
    """A legend row above the panel whose keys are lines with a "+" mark (survminer's
    default), tight against their labels: OCR reads each key as a "+" word in its curve's
    colour. That "+" is the key, not a word before the label, and no label runs on through
    the next entry's "+" ("ecog=1 + ecog=2"): every arm is named, with no warning."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    for c, colour, label in PLUS_KEY_CURVES:
        ax.step([0, *c["t"], c["end"]], [1, *c["s"], c["s"][-1]], where="post",  # type: ignore[misc, index]
                color=colour, lw=1.5, label=label, marker="+", markevery=[5], ms=8)
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 1.05)
    ax.set_xticks([0, 5, 10, 15, 20])
    fig.legend(loc="upper center", ncol=3, frameon=False, handlelength=1.2,
               handletextpad=0.4, columnspacing=1.0)
    fig.subplots_adjust(top=0.85)
    path = tmp_path / "plus_keys.png"
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(path)
    assert d.arms == ("ecog=0", "ecog=1", "ecog=2")
    assert d.warnings == ()


def test_a_key_read_as_symbols_is_told_from_a_joining_plus() -> None:
    """A "+" in a curve's colour (within 0.3; a grey one within 0.1) and not in the label's
    colour is a key read as symbols; a "+" in the label's colour (a joining "+" of
    "Surgery + RT", even beside a black curve) or a word with letters is not."""
    from survkit.digitize.raster import _key_as_symbols
    from survkit.digitize.scene import Word

    cols = np.array([[0.0, 0.73, 0.22], [0.54, 0.54, 0.54], [0.05, 0.05, 0.05]])
    label = Word("Despite", 0, 10, 0, 5, (0.23, 0.23, 0.23))
    assert _key_as_symbols(Word("+", 0, 10, 0, 5, (0.02, 0.73, 0.23)), cols, label)
    assert _key_as_symbols(Word("+", 0, 10, 0, 5, (0.53, 0.53, 0.53)), cols, label)
    assert not _key_as_symbols(Word("+", 0, 10, 0, 5, (0.45, 0.45, 0.45)), cols, label)
    black = Word("RT", 0, 10, 0, 5, (0.06, 0.06, 0.06))
    assert not _key_as_symbols(Word("+", 0, 10, 0, 5, (0.06, 0.06, 0.06)), cols, black)
    assert not _key_as_symbols(Word("+a", 0, 10, 0, 5, (0.02, 0.73, 0.23)), cols, label)


def test_a_label_lined_up_with_the_legend_beats_a_speck_with_more_key_pixels() -> None:
    """"Female" and "Male" stacked at one left edge, and an "r" in the panel (a speck of a
    curve read as a letter) whose "key", the curve's thick line, has more pixels than
    Female's key: Female, lined up with the other curve's label, names curve 0. With no
    label lined up (one curve), a word of three letters beats the speck, and between two
    such words the most key pixels decide."""
    from survkit.digitize.raster import _best_labels
    from survkit.digitize.scene import Word

    speck = Word("r", 385, 393, 226, 242)
    female = Word("Female", 230, 286, 528, 544)
    male = Word("Male", 230, 270, 558, 574)
    best = _best_labels([(0, 128, speck), (0, 88, female), (1, 88, male)])
    assert best[0][1] is female and best[1][1] is male
    assert _best_labels([(0, 128, speck), (0, 88, female)])[0][1] is female
    cohort = Word("Cohort", 385, 441, 226, 242)
    assert _best_labels([(0, 128, cohort), (0, 88, female)])[0][1] is cohort


def test_row_labels_alike_but_for_symbols_name_their_own_arms() -> None:
    """lifelines' rows of "Age < 70" and "Age 70+" (letters and digits alike, "age70"):
    each row names its own arm by its symbols; a label with neither symbol names no arm
    (it could be either), while a name without a twin still matches a label read without
    its symbols."""
    from survkit.digitize.risktable import _match, _norm

    names = ["Age < 70", "Age 70+"]
    normed = [_norm(n) for n in names]
    assert _match("Age < 70", names, normed) == ("Age < 70", 1.0)
    assert _match("Age 70+", names, normed) == ("Age 70+", 1.0)
    assert _match("Age <70", names, normed) == ("Age < 70", 1.0)
    assert _match("Age 70", names, normed) == (None, 0.0)
    assert _match("Age 70", ["Age 70+", "Age 40"], [_norm("Age 70+"), _norm("Age 40")]) == (
        "Age 70+", 1.0)


def _two_names_read(path: Path, labels: list[str], dpi: int) -> tuple[str, ...]:
    """The arm names read from :func:`_named_legend_figure` of two curves named ``labels``
    (Dark2's green and orange), warnings silenced."""
    _named_legend_figure(path, labels, dpi=dpi, colours=["#1b9e77", "#d95f02"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(digitize(path).arms)


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_a_slash_in_a_legend_name_is_read(tmp_path: Path, dpi: int) -> None:
    """Units in arm names ("g/dl", "mg/m2"): the OCR's character set holds the slash, so
    the names are read as printed (without it Tesseract gave "gdl", "gidl", "gfdl")."""
    labels = ["M-spike < 1.5 g/dl", "M-spike 1.5-3 g/dl"]
    assert _two_names_read(tmp_path / "units.png", labels, dpi) == tuple(labels)


def test_a_wide_gap_in_a_three_glyph_word_is_a_space() -> None:
    """"5 or" read "5or" (one cluster of three glyphs, no space read): of its two gaps, one
    is 0.45 of the text height and three times the other, so it is a space; the gap beside
    a straight "N" ("Nos": 0.25 of the height) is not. Boxes as measured on a 300-dpi
    survminer legend."""
    from survkit.digitize.ocr import Box, _cluster_words

    five_or = [Box(1434, 1454, 72, 101), Box(1467, 1487, 78, 101), Box(1491, 1501, 78, 100)]
    got = _cluster_words([(4.0, 100.0, "5or")], [0, 1, 2], False, five_or, 1.0)
    assert [w.text for w in got] == ["5", "or"]
    nos = [Box(0, 20, 0, 28), Box(27, 45, 8, 28), Box(48, 62, 8, 28)]  # gaps 7 (0.25 h), 3
    got = _cluster_words([(0.0, 62.0, "Nos")], [0, 1, 2], False, nos, 1.0)
    assert [w.text for w in got] == ["Nos"]


def test_a_lone_slash_or_comma_is_read_again_as_a_digit() -> None:
    """A small "1" alone (a table cell, the "1" of "Bilirubin < 1" at 150 dpi) is read "/"
    or "," by a first pass whose character set has them: such a lone glyph is a digit
    lookalike, read again digits-only, and looks like a 1; in a word they are text."""
    from survkit.digitize.ocr import _LOOKS_LIKE, _numeric_like

    assert _numeric_like("/") and _numeric_like(",")
    assert _LOOKS_LIKE["/"] == "1" and _LOOKS_LIKE[","] == "1"
    assert not _numeric_like("g/dl") and not _numeric_like("Oedema,")


@requires_tesseract
@pytest.mark.parametrize("dpi", [150, pytest.param(300, marks=pytest.mark.slow)])
def test_less_or_equal_and_greater_or_equal_signs_are_read(tmp_path: Path, dpi: int) -> None:
    """"≤20 mm" and "PgR ≥ 10 fmol" in DejaVu Sans: Tesseract has no "≤" or "≥" (it
    gave "=20", "<20", "2 10", "IV"); the sign is a chevron over a flat bar, so the bar is
    whitened, the chevron read as "<" / ">", and the word gets the sign drawn. The "l" of
    "per litre" read "I" after a slash is an "l"."""
    from survkit.digitize.ocr import _per_litre

    assert _per_litre("fmol/I") == "fmol/l" and _per_litre("g/I") == "g/l"
    assert _per_litre("Stage I") == "Stage I" and _per_litre("A/I") == "A/I"
    labels = ["\u226420 mm", "PgR \u2265 10 fmol"]
    assert _two_names_read(tmp_path / "signs.png", labels, dpi) == tuple(labels)


def test_relation_glyphs_by_shape() -> None:
    """A chevron with a flat bar under it is "≤" or "≥" (bar apart, or joined to its
    bottom rows at 150 dpi: masks as drawn by matplotlib); a chevron with a glyph right
    over it (a "v" over an "i" of a y title written bottom to top) is not."""
    from survkit.digitize.relations import relation_glyphs

    def mask(rows: list[str]) -> np.ndarray:
        return np.array([[c == "#" for c in r] for r in rows])

    ge_joined = mask(["###.....", ".####...", "....####", ".....###", "...####.",
                      "####....", "##......", ".######.", "########"])
    got = relation_glyphs([(0, 9, 0, 8)], [ge_joined])
    assert [rel.sign for _, _, rel in got] == ["\u2265"]
    assert got[0][2].bar[0] == 7  # the bar's rows whitened, not the chevron's
    le = mask(["......##", "...####.", "####....", "##......", "####....", "...####.",
               "......##"])
    bar = mask(["########", "########"])
    boxes = [(0, 7, 0, 8), (8, 10, 0, 8)]
    got = relation_glyphs(boxes, [le, bar])
    assert [(k, j, rel.sign) for k, j, rel in got] == [(0, 1, "\u2264")]
    over = [*boxes, (-6, -1, 0, 8)]  # a letter 1 pixel over the chevron
    assert relation_glyphs(over, [le, bar, mask(["########"] * 5)]) == []
    # a glyph without the bar, and a bar under no chevron, are no sign
    assert relation_glyphs([(0, 7, 0, 8)], [le]) == []
    square = mask(["########"] * 7)
    assert relation_glyphs([(0, 7, 0, 8), (8, 10, 0, 8)], [square, bar]) == []


def test_letters_and_digits_read_confidently_stay_and_a_space_between_digits() -> None:
    """"T5" read at 84 and digits-only "15" at 0 stays "T5" ("75" read "T5" and again "75"
    is a number; an unsure first reading is settled as a number); "T5 1.0-3.1" read
    "T51.0-3.1" is split where the "1" begins 1.22 text heights after the "5" (boxes of
    R's 300-dpi legend), while "11" (0.78) and "10" stay one number."""
    from survkit.digitize.ocr import Box, _cluster_words, _letter_kept

    assert _letter_kept("T5", 84.3, "15", 0.0)
    assert not _letter_kept("T5", 84.3, "75", 0.0)
    assert not _letter_kept("T5", 60.0, "15", 0.0)
    assert not _letter_kept("T5", 84.3, "15", 96.0)
    h = 37.0
    lefts = [0.0, 0.86, 1.22, 0.73, 0.32, 0.76, 0.43, 0.84, 0.41]
    gaps = [0.08, 0.57, 0.38, 0.16, 0.11, 0.11, 0.19, 0.24]
    x0s = np.cumsum(lefts) * h
    x1s = [x0s[k + 1] - gaps[k] * h for k in range(len(gaps))] + [x0s[-1] + 0.3 * h]
    flat = {3: (h - 5, h), 5: (15.0, 19.0), 7: (h - 5, h)}  # ".", "-", "."
    glyphs = [Box(float(a), float(b), *flat.get(k, (0.0, h))) for k, (a, b)
              in enumerate(zip(x0s, x1s, strict=True))]
    got = _cluster_words([(0.0, 1.0, "T51.0-3.1")], list(range(9)), False, glyphs, 1.0)
    assert [w.text for w in got] == ["T5", "1.0-3.1"]
    eleven = [Box(0, 14, 0, 36), Box(28, 42, 0, 36)]  # left edges 0.78 h apart, gap 0.39
    got = _cluster_words([(0.0, 1.0, "11")], [0, 1], False, eleven, 1.0)
    assert [w.text for w in got] == ["11"]


def test_one_misread_tick_label_does_not_lose_the_axis() -> None:
    """x labels 0, 5, 10 ... 40 with the "5" read "3)" (parsed 3): the run still increases
    but is off a straight line; without that label the others calibrate the axis."""
    from survkit.digitize.axes import calibrate
    from survkit.digitize.scene import Scene, Word

    xs = [100.0 + 50.0 * k for k in range(9)]
    texts = [str(5 * k) for k in range(9)]
    texts[1] = "3)"
    words = [Word(t, x - 8, x + 8, 500, 512) for t, x in zip(texts, xs, strict=True)]
    words += [Word(f"{v:.1f}", 60, 80, 480 - 100 * v * 4, 492 - 100 * v * 4)
              for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)]
    cal = calibrate(Scene("raster", 600.0, 600.0, (), tuple(words)))
    assert cal.x.values == tuple(float(5 * k) for k in range(9) if k != 1)
    assert abs(cal.x.value(np.asarray(150.0)) - 5.0) < 1e-9


def test_a_tick_label_whose_decimal_point_was_lost() -> None:
    """x labels 0.0, 2.5, ... 20.0 with "7.5" read "75" (matplotlib at 300 dpi): on the line
    through the labels with one decimal, 75 / 10 is the label's value, and the axis keeps
    all nine labels; an integer label off that line as well (a "90" there) is left out,
    the other eight one axis."""
    from survkit.digitize.axes import calibrate
    from survkit.digitize.scene import Scene, Word

    xs = [100.0 + 50.0 * k for k in range(9)]
    texts = [f"{2.5 * k:.1f}" for k in range(9)]
    ys = [Word(f"{v:.1f}", 60, 80, 480 - 100 * v * 4, 492 - 100 * v * 4)
          for v in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)]
    for misread, kept in (("75", 9), ("90", 8)):
        texts[3] = misread
        words = [Word(t, x - 8, x + 8, 500, 512) for t, x in zip(texts, xs, strict=True)]
        cal = calibrate(Scene("raster", 600.0, 600.0, (), (*words, *ys)))
        assert len(cal.x.values) == kept
        assert abs(cal.x.value(np.asarray(250.0)) - 7.5) < 1e-9
    # "75" among whole numbers is 75
    texts = ["0", "25", "50", "75", "100"]
    words = [Word(t, x - 8, x + 8, 500, 512) for t, x in zip(texts, xs[:5], strict=True)]
    cal = calibrate(Scene("raster", 600.0, 600.0, (), (*words, *ys)))
    assert cal.x.values == (0.0, 25.0, 50.0, 75.0, 100.0)


@pytest.mark.parametrize("family", ["DejaVu Sans", "DejaVu Serif"])
@pytest.mark.parametrize("px", [14, 36])
def test_a_stemmed_capital_read_as_a_digit_after_a_word(family: str, px: int) -> None:
    """"Arm B" read "Arm 8" (R's Helvetica at 300 dpi): a lone 8 or 0 after a word whose
    glyph has a straight stem on its left is B or D; a round 8 or 0 stays a digit, and so
    does a B-shaped 8 with no word before it (a count)."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    from survkit.digitize.raster import _stemmed_capitals
    from survkit.digitize.scene import Word

    face = ImageFont.truetype(
        font_manager.findfont(font_manager.FontProperties(family=family)), px)
    for glyph, want in (("B", "B"), ("8", "8"), ("D", "D"), ("0", "0")):
        img = Image.new("L", (6 * px, 2 * px), 255)
        ImageDraw.Draw(img).text((4 * px, px // 4), glyph, fill=0, font=face)
        g8 = np.asarray(img)
        ys, xs = np.nonzero(g8 < 128)
        box = (float(xs.min()), float(xs.max() + 1), float(ys.min()), float(ys.max() + 1))
        read = Word("8" if glyph in "B8" else "0", box[0], box[1], box[2], box[3])
        before = Word("Arm", box[0] - 3.2 * px, box[0] - 0.3 * px, box[2], box[3])
        got = _stemmed_capitals([before, read], g8)
        assert got[1].text == want, (glyph, got[1].text)
        assert _stemmed_capitals([read], g8)[0].text == read.text


def test_two_readings_that_differ_in_a_one_settled_by_glyph_width() -> None:
    """"11" of a ggplot table at 150 dpi read "11" in the sheet and "14" digits only: both
    glyphs are 6 pixels wide and 19 high (0.32, a Helvetica "1"), so "11"; with a second
    glyph 13 wide (0.68, a "4") "14". A glyph 10 wide (0.53) decides nothing, nor do
    readings that differ in other digits or have a character per glyph missing."""
    from survkit.digitize.ocr import Box, _ones_by_width

    def reading(text: str) -> list[tuple[float, float, str]]:
        return [(float(k), float(k + 1), ch) for k, ch in enumerate(text)]

    ones = [Box(668, 674, 744, 763), Box(683, 689, 744, 763)]
    four = [Box(668, 674, 744, 763), Box(680, 693, 744, 763)]
    middling = [Box(668, 674, 744, 763), Box(680, 690, 744, 763)]
    assert _ones_by_width(reading("11"), reading("14"), ones) == reading("11")
    assert _ones_by_width(reading("11"), reading("14"), four) == reading("14")
    assert _ones_by_width(reading("14"), reading("11"), four) == reading("14")
    assert _ones_by_width(reading("11"), reading("14"), middling) is None
    assert _ones_by_width(reading("13"), reading("18"), four) is None
    assert _ones_by_width(reading("11"), reading("4"), ones) is None


@pytest.mark.parametrize("family", ["DejaVu Sans", "DejaVu Serif"])
@pytest.mark.parametrize("px", [20, 40])
def test_a_lone_plus_read_as_letters_is_a_plus(family: str, px: int) -> None:
    """A "+" between two words of a label (seaborn's whitegrid at 300 dpi: "Levamisole +
    5-FU", the plus read "Sa") is a plus by its ink: one full row band and one full column
    band crossing in the middle. A "t", an "x" and a "4" are not."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    from survkit.digitize.raster import _plus_signs
    from survkit.digitize.scene import Word

    face = ImageFont.truetype(
        font_manager.findfont(font_manager.FontProperties(family=family)), px)
    for glyph, want in (("+", "+"), ("t", "Sa"), ("x", "Sa"), ("4", "Sa"), ("H", "Sa")):
        img = Image.new("L", (3 * px, 2 * px), 255)
        ImageDraw.Draw(img).text((px, px // 4), glyph, fill=0, font=face)
        g8 = np.asarray(img)
        ys, xs = np.nonzero(g8 < 128)
        wd = Word("Sa", float(xs.min()), float(xs.max() + 1), float(ys.min()),
                  float(ys.max() + 1))
        assert _plus_signs([wd], g8)[0].text == want, glyph


def test_a_row_label_read_in_pieces_goes_to_the_curve_of_its_pale_colour() -> None:
    """survminer's table with labels in ColorBrewer's Set2 at 150 dpi: the pale blue
    (#8da0cb, channel spread 0.24) label "Bilirubin > 3" read in pieces ("B", "cub") names
    no arm, but its colour is that of the third curve, whose row it is."""
    from dataclasses import replace

    from survkit.digitize.curves import Staircase
    from survkit.digitize.scene import Stroke, Word

    scene, cal = _table_scene(("Control", "B"))
    blue = (0.55, 0.63, 0.80)  # the curve; its label's glyphs blend to a spread of 0.24
    words = [replace(w, x1=30, colour=(0.56, 0.63, 0.80)) if w.text == "B" else w
             for w in scene.words]  # type: ignore[attr-defined]
    words.append(Word("cub", 40, 58, 475, 487, (0.57, 0.64, 0.81)))
    scene = replace(scene, words=tuple(words))  # type: ignore[type-var]

    def curve(colour: tuple[float, float, float]) -> Staircase:
        x, y = np.asarray([100.0, 300.0]), np.asarray([100.0, 200.0])
        return Staircase(x, y, 500.0, Stroke(np.column_stack([x, y]), colour, width=2.0))

    curves = [curve((0.4, 0.76, 0.65)), curve((0.99, 0.55, 0.39)), curve(blue)]
    rows, _notes = read_risk_table(scene, cal, curves, ["Control", "Drug", "High"])  # type: ignore[arg-type]
    assert rows["Control"][1] == (138, 62, 20)
    assert rows["High"][1] == (90, 53, 21)


def test_a_tick_label_misread_smaller_between_two_runs() -> None:
    """y labels 0%, 25%, 50%, 75%, 100% with "75%" read "15%" (ggplot at 300 dpi, twice
    alike), row labels' digits 4, 3, 2 below them in the same column: the column splits
    into runs 0-25-50 and 15-100; without the "15%" the two runs are one straight axis
    of four labels, which calibrates y to 100 %."""
    from survkit.digitize.axes import calibrate
    from survkit.digitize.scene import Scene, Word

    ys = {0: 994.0, 25: 763.0, 50: 532.0, 75: 300.0, 100: 69.0}
    words = [Word("15%" if v == 75 else f"{v}%", 130, 202, y - 14, y + 14)
             for v, y in ys.items()]
    words += [Word(str(d), 190, 202, 1100 + 60 * k, 1120 + 60 * k)
              for k, d in enumerate((2, 3, 4))]
    words += [Word(str(t), x - 8, x + 8, 1030, 1050)
              for t, x in ((0, 300), (2, 500), (4, 700), (6, 900))]
    cal = calibrate(Scene("raster", 1200.0, 1400.0, (), tuple(words)))
    assert cal.y.values == (0.0, 25.0, 50.0, 100.0)
    assert abs(float(cal.y.value(np.asarray(300.0))) - 75.0) < 0.2


def test_counts_of_neighbouring_columns_read_as_one_string_are_split() -> None:
    """Four-digit counts 24 pixels apart under ticks 144.5 pixels apart (survminer at
    300 dpi, 2,643 patients) come from OCR as one string "264320601627": its ends lie where
    4-digit numbers centred on the ticks at 0 and 4 end, so it is 2643 | 2060 | 1627.
    A string that fits no such split (one 5-digit number centred on its tick, or parts
    that would rise) is left as read."""
    from survkit.digitize.risktable import _digit_width, _split_merged
    from survkit.digitize.scene import Word

    ticks = [562.0 + 144.5 * k for k in range(6)]
    d = 31.5  # one digit's width

    def cell(text: str, x: float) -> Word:
        return Word(text, x - 0.5 * len(text) * d, x + 0.5 * len(text) * d, 1487, 1528)

    line = [Word("264320601627", ticks[0] - 2 * d, ticks[2] + 2 * d, 1487, 1528),
            cell("1244", ticks[3]), cell("874", ticks[4]), cell("465", ticks[5])]
    width = _digit_width(line, 144.5)
    assert width == pytest.approx(d)
    parts = _split_merged(line[0], ticks, 144.5, width)
    assert [p.text for p in parts] == ["2643", "2060", "1627"]
    assert [p.xc for p in parts] == pytest.approx(ticks[:3])
    # the same digits rising (1627 | 2060 | 2643) are no row of numbers at risk
    rising = Word("162720602643", line[0].x0, line[0].x1, 1487, 1528)
    assert _split_merged(rising, ticks, 144.5, width) == [rising]
    # one wide number under its own tick is not split, nor is anything without a width
    wide = Word("12345", ticks[1] - 2.5 * 40, ticks[1] + 2.5 * 40, 1487, 1528)
    assert _split_merged(wide, ticks, 144.5, 40.0) == [wide]
    assert _split_merged(line[0], ticks, 144.5, None) == [line[0]]


def _glyph_ink(ch: str, family: str, px: int) -> np.ndarray:
    """The ink (dark pixels) of one character drawn ``px`` pixels tall by matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1, 1), dpi=4 * px)
    fig.text(0.5, 0.5, ch, family=family, size=72 / 4 / 0.73, ha="center", va="center")
    fig.canvas.draw()
    grey = np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2)  # type: ignore[attr-defined]
    plt.close(fig)
    ink = grey < 128
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


@pytest.mark.parametrize(("family", "px"), [
    ("DejaVu Sans", 20), ("DejaVu Sans", 40), ("DejaVu Serif", 20), ("DejaVu Serif", 40),
    ("STIXGeneral", 40), ("cmr10", 40)])  # (STIX's 9 and cm's 6 are open at 20 pixels)
def test_zero_six_and_nine_are_told_by_their_holes(family: str, px: int) -> None:
    """Tesseract reads DejaVu Sans's lone "0" as "6" (R base tick labels and counts at
    300 dpi); the counter of a 0 spans its middle, a 6's lies low, a 9's high. Digits with
    two holes (8) or none (1, 7) are not told."""
    from survkit.digitize.ocr import _hole_digit

    for ch in "069":
        assert _hole_digit(_glyph_ink(ch, family, px)) == ch
    for ch in "8174" if px == 40 else "817":  # (a 4's counter closes at 40 pixels)
        assert _hole_digit(_glyph_ink(ch, family, px)) is None


@requires_tesseract
def test_a_glyph_misread_as_a_sign_in_a_number_is_read_alone() -> None:
    """'227' with its 7 read '/', and the digits-only reading leaving that glyph out ('22'):
    the character that is no digit is its glyph read alone, digits only."""
    from survkit.digitize.ocr import Box, _glyphs_alone

    glyphs = [_glyph_ink(ch, "DejaVu Sans", 40) for ch in "227"]
    crop = np.full((48, 120), 255, dtype=np.uint8)
    boxes = []
    x = 2  # the crop begins 2 pixels left of its first glyph, as read_clusters cuts it
    for ink in glyphs:
        h, w = ink.shape
        crop[4:4 + h, x:x + w][ink] = 0
        boxes.append(Box(float(x), float(x + w), 4.0, float(4 + h)))
        x += w + 6
    assert _glyphs_alone("22/", boxes, crop, "0123456789") == "227"
    assert _glyphs_alone("22/", boxes, np.full_like(crop, 255), "0123456789") is None


def test_a_seven_with_an_upright_stem_before_a_label_word_is_a_tee() -> None:
    """"T5 < 1.0" read "75 < 1.0" (R base legend at 150 dpi, DejaVu Sans): the first glyph's
    stroke stands upright under its bar, so it is "T5"; a real 75 (its stroke slants) and a
    75 among counts stay as read."""
    from survkit.digitize.raster import _tees
    from survkit.digitize.scene import Word

    g8 = np.full((60, 400), 255, dtype=np.uint8)

    def put(text: str, x: int) -> Word:
        x0 = x
        for ch in text:
            ink = _glyph_ink(ch, "DejaVu Sans", 20)
            h, w = ink.shape
            g8[10:10 + h, x:x + w][ink] = 0
            x += w + 2
        return Word(text.replace("T", "7"), float(x0), float(x - 2), 10.0, 30.0)

    tee = put("T5", 20)
    seven = put("75", 140)
    lt = [Word("<", tee.x1 + 8, tee.x1 + 18, 14.0, 28.0),
          Word("<", seven.x1 + 8, seven.x1 + 18, 14.0, 28.0)]
    count = Word("42", tee.x1 + 8, tee.x1 + 30, 10.0, 30.0)
    out = _tees([tee, seven, *lt], g8)
    assert [w.text for w in out[:2]] == ["T5", "75"]
    assert _tees([tee, count], g8)[0].text == "75"  # among counts: a number


def test_pieces_stacked_in_a_box_no_taller_than_wide_are_one_upright_glyph() -> None:
    """A ">" whose two arms do not meet at 150 dpi is two boxes, one over the other; stacked
    singles are text written bottom to top only when their box is taller than wide (an
    axis title), else the pieces are one upright glyph (read turned, the ">" was "V")."""
    from survkit.digitize.ocr import Box, cluster_boxes

    arms = [Box(124.0, 135.0, 941.0, 945.0), Box(124.0, 135.0, 946.0, 950.0)]
    assert cluster_boxes(arms) == [([0, 1], False)]
    # letters of a word turned a quarter: a column taller than wide, read bottom to top
    column = [Box(10.0, 22.0, 100.0 + 10 * k, 108.0 + 10 * k) for k in range(4)]
    assert cluster_boxes(column) == [([3, 2, 1, 0], True)]
    # hairlines stacked under a curve (flat pieces) are no glyph: one upright cluster of
    # them in the sheet read by OCR had left every other word of the figure unread
    hairs = [Box(10.0, 35.0, 100.0 + 4 * k, 101.0 + 4 * k) for k in range(4)]
    assert cluster_boxes(hairs) == [([3, 2, 1, 0], True)]


@requires_tesseract
def test_a_lone_glyph_read_as_a_descender_but_standing_on_its_line_is_read_as_a_digit(
        ) -> None:
    """A 7 at 150 dpi read 'y' (the last count of a row): its top and foot are level with
    the count beside it, which a y's tail is not, so it is read alone, digits only."""
    from survkit.digitize.ocr import Box, _level_descender

    seven = _glyph_ink("7", "DejaVu Sans", 18)
    h, w = seven.shape
    crop = np.full((h + 4, w + 4), 255, dtype=np.uint8)
    crop[2:2 + h, 2:2 + w][seven] = 0
    glyph = Box(941.0, 941.0 + w, 726.0, 726.0 + h)
    count = [Box(817.0 + 15 * k, 829.0 + 15 * k, 726.0, 726.0 + h) for k in range(4)]
    assert _level_descender([(0.0, float(w), "y")], glyph, [glyph, *count], crop) == [
        (0.0, float(w), "7")]
    # a glyph that hangs below its neighbours' foot is left as read
    low = Box(941.0, 941.0 + w, 730.0, 730.0 + h)
    assert _level_descender([(0.0, float(w), "y")], low, [low, *count], crop) == [
        (0.0, float(w), "y")]


def test_one_label_drawn_twice_is_read_the_same() -> None:
    """"fmol/l" in two legend entries (matplotlib, 300 dpi): one reading has a character
    for each of the 6 glyphs, the other lost its last "l"; the same ink a pixel apart in
    size is one text. A cluster whose ink differs (another word of 6 glyphs) keeps its
    reading."""
    from survkit.digitize.ocr import _same_ink_same_text

    def crop(text: str, pad: int) -> np.ndarray:
        inks = [_glyph_ink(ch, "DejaVu Sans", 24) for ch in text]
        width = sum(i.shape[1] + 3 for i in inks) + 4
        out = np.full((44 + pad, width), 255, dtype=np.uint8)
        x = 2
        for ink in inks:
            h, w = ink.shape
            out[pad + 36 - h:pad + 36, x:x + w][ink] = 0  # feet on one line
            x += w + 3
        return out

    crops = [crop("fmol/l", 0), crop("fmol/l", 1), crop("months", 0)]
    per_slot = {0: [(0.0, 80.0, "fmol/l")], 1: [(0.0, 80.0, "fmol/")],
                2: [(0.0, 80.0, "month")]}
    _same_ink_same_text(per_slot, crops, [6, 6, 6])
    assert per_slot[1] == [(0.0, 80.0, "fmol/l")]
    assert per_slot[2] == [(0.0, 80.0, "month")]


@requires_tesseract
def test_a_count_whose_glyphs_touch_its_label_is_read_again() -> None:
    """R's ``mtext`` of a long row label can touch the row's first count ("Interferon
    gamma" against "63" in R's own cgd figure, which OCR read as ``gamma3``): the count,
    centred on its tick, is read again from the image between as far left of the tick as
    the word ends right of it and the word's end; the reading must be no less than the
    row's next count and as wide as its digits."""
    from matplotlib import font_manager
    from PIL import Image, ImageDraw, ImageFont

    from survkit.digitize.risktable import _joined_count_read_again

    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 36)
    img = Image.new("RGB", (700, 100), "white")
    draw = ImageDraw.Draw(img)
    box63 = draw.textbbox((0, 0), "63", font=font)
    wide = box63[2] - box63[0]
    x_col = 300.0  # the tick of the first column: "63" centred on it
    left = round(x_col - wide / 2)
    gamma = draw.textbbox((0, 0), "gamma", font=font)
    g_x = left - (gamma[2] - gamma[0]) + 1 - gamma[0]  # its "a" overlaps the "6" by a pixel
    draw.text((g_x, 30), "gamma", font=font, fill="black")
    draw.text((left - box63[0], 30), "63", font=font, fill="black")
    draw.text((500 - box63[0], 30), "61", font=font, fill="black")
    arr = np.asarray(img, dtype=np.float64) / 255.0
    top, bottom = 30 + box63[1], 30 + box63[3]
    joined = Word("gamma3", g_x + gamma[0], left + wide, top, bottom, None)
    cells = [Word("61", 500.0, 500.0 + wide, top, bottom, None)]
    scene = Scene("raster", 700.0, 100.0, (), (joined, *cells), image=arr)
    got = _joined_count_read_again(scene, joined, cells, 61, x_col)
    assert got is not None
    word, n = got
    assert n == 63 and word.text == "63"
    assert abs(word.x0 - left) <= 1.0 and word.x1 == joined.x1
    # a row never increases: a next count above the reading rejects it
    assert _joined_count_read_again(scene, joined, cells, 64, x_col) is None
    # a vector figure is not read again
    assert _joined_count_read_again(Scene("pdf", 700.0, 100.0, (), (joined,), image=arr),
                                    joined, cells, 61, x_col) is None



def _nodes_table(cut: bool) -> tuple[object, dict[str, tuple[int, ...]]]:
    """survminer's table with ``axes.offset = FALSE``: x labels 0-5 under ticks 155 pixels
    apart from x = 260, two rows whose count at t = 0 starts at the axis (x = 263), the
    others centred on their ticks; with ``cut``, the counts at t = 5 cut at the table's
    right edge (only their left digit, "8" of 84 and "3" of 37, ending at the tick)."""
    from survkit.digitize.scene import Scene, Word

    ticks = [260 + 155 * k for k in range(6)]
    words = [Word(str(k), x - 6, x + 6, 410, 428) for k, x in enumerate(ticks)]
    words += [Word(f"{v:.1f}", 60, 84, y - 6, y + 6) for v, y in ((0.0, 400), (0.5, 250),
                                                                   (1.0, 100))]
    rows = {"1-3 nodes": (376, 348, 288, 222, 156, 84),
            "4 or more nodes": (310, 254, 170, 109, 72, 37)}
    label_words = {"1-3 nodes": [("1-3", 129, 165), ("nodes", 177, 249)],
                   "4 or more nodes": [("4", 47, 60), ("or", 72, 95), ("more", 105, 166),
                                       ("nodes", 177, 249)]}
    for k, (name, counts) in enumerate(rows.items()):
        top = 460 + 48 * k
        words += [Word(t, a, b, top, top + 19) for t, a, b in label_words[name]]
        for j, n in enumerate(counts):
            half = 8 * len(str(n))
            x0 = 263 if j == 0 else ticks[j] - half
            if cut and j == 5:
                words.append(Word(str(n)[0], ticks[j] - 14, ticks[j] - 1, top, top + 20))
            else:
                words.append(Word(str(n), x0, x0 + 2 * half, top, top + 20))
    return Scene("raster", 1100.0, 560.0, (), tuple(words)), rows


def test_a_count_at_time_zero_starting_at_the_axis_and_a_label_starting_with_a_digit() -> None:
    """survminer with ``axes.offset = FALSE`` draws the count at t = 0 from the axis
    rightwards (here "376" from x = 263, the tick of 0 at 260, the other counts centred on
    ticks 155 pixels apart): that count is at time 0, not part of the label "1-3 nodes".
    The second row's label "4 or more nodes" begins with a digit left of the table: the
    whole label is the row's name, its words none of its cells."""
    scene, rows = _nodes_table(cut=False)
    got, notes = read_risk_table(scene, calibrate(scene), [], list(rows))
    assert not [n for n in notes if "unread" in n or "not read" in n], notes
    for name, counts in rows.items():
        times, n_risk = got[name]
        assert list(times) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
        assert tuple(n_risk) == counts


def test_a_count_cut_at_the_tables_right_edge_is_unread() -> None:
    """The same table with its counts at t = 5 cut at the panel's edge ("8" of 84 ending
    at the tick of 5, its centre 7 pixels left of it, where the counts before it are
    centred): those cells are reported unread, never read as 8 and 3."""
    scene, rows = _nodes_table(cut=True)
    got, notes = read_risk_table(scene, calibrate(scene), [], list(rows))
    assert sum("cut at the table's right edge" in n for n in notes) == 2
    for name, counts in rows.items():
        times, n_risk = got[name]
        assert list(times) == [0.0, 1.0, 2.0, 3.0, 4.0]
        assert tuple(n_risk) == counts[:5]


def test_a_legend_name_inside_the_panel_that_lost_a_letter_takes_its_rows_spelling() -> None:
    """A legend inside the panel reads "All patiens" (a grid line broke the t) and the
    table's row under the axis "All patients": the row names the arm closely, the legend's
    name is a subsequence of the label and what the label adds is a letter, so the arm is
    "All patients", with its row and a note. The other way round -- a row label "(ale"
    that names "Male" closely -- the legend's name stays (not a subsequence)."""
    from dataclasses import replace

    from survkit.digitize.assemble import assemble
    from survkit.digitize.curves import Staircase
    from survkit.digitize.scene import Stroke, Word

    def run(legend: tuple[str, str], rows: tuple[str, str]) -> object:
        scene, cal = _table_scene(rows)
        inside = [Word(w, 300 + 45 * k, 340 + 45 * k, 120 + 20 * n, 132 + 20 * n)
                  for n, name in enumerate(legend) for k, w in enumerate(name.split())]
        scene = replace(scene, words=scene.words + tuple(inside))  # type: ignore[attr-defined]
        curves = [Staircase(np.array([100.0, 300.0]), np.array([100.0, 250.0 + 20 * k]), 500.0,
                            Stroke(np.zeros((1, 2)), c, width=2.0))
                  for k, c in enumerate(((0.0, 0.0, 1.0), (1.0, 0.0, 0.0)))]
        notes: list[str] = []
        return assemble(scene, "f.png", cal, curves, list(legend), [[], []], None,  # type: ignore[arg-type]
                        [], notes)

    d = run(("All patiens", "Other arm"), ("All patients", "Other arm"))
    assert [c.arm for c in d.curves] == ["All patients", "Other arm"]  # type: ignore[attr-defined]
    assert d.curve("All patients").n_risk.tolist() == [138, 62, 20]  # type: ignore[attr-defined]
    assert any("lost letters" in n for n in d.notes)  # type: ignore[attr-defined]
    d = run(("Male", "Female"), ("(ale", "Female"))
    assert [c.arm for c in d.curves] == ["Male", "Female"]  # type: ignore[attr-defined]
    assert d.curve("Male").n_risk.tolist() == [138, 62, 20]  # type: ignore[attr-defined]
