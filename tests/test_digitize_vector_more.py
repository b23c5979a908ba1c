"""Vector figures the first reader was not tuned for: events at time 0, a single curve named
by its at-risk row, axes calibrated on grid lines, at-risk rows told apart by coloured keys,
outlined SVG text read through glyph identities, censoring marks drawn as ``<use>``.

Every figure is drawn here from data whose Kaplan–Meier estimate is computed independently
(lifelines, or by hand in a comment); nothing expected comes from survkit's own output.
"""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import RSCRIPT, requires_rscript

pytest.importorskip("pdfplumber")
lifelines = pytest.importorskip("lifelines")

from survkit import Digitized, digitize  # noqa: E402
from survkit.digitize import DigitizeWarning  # noqa: E402


def _plt():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _km(time: list[float], event: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Knots and levels (one per distinct level, the first at t = 0) from lifelines."""
    kmf = lifelines.KaplanMeierFitter().fit(time, event)
    sf = kmf.survival_function_
    t = sf.index.to_numpy(dtype=float)
    s = sf.iloc[:, 0].to_numpy()
    keep = np.concatenate([[True], np.diff(s) != 0])
    return t[keep], s[keep]


# ----------------------------------------------------------------------------- time 0

# arm A: 20 patients, 2 die at t = 0: S(0) = 18/20 = 0.9, as R's survfit prints it
A_TIME = [0, 0, 2, 3, 3, 5, 6, 8, 9, 11, 12, 12, 14, 15, 17, 18, 19, 20, 20, 20]
A_EVENT = [1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0]
B_TIME = [1, 2, 4, 4, 6, 7, 9, 10, 13, 16, 18, 20]
B_EVENT = [1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0]


def _two_arm_figure(path: Path, *, from_one: bool, low_axis: bool = False) -> None:
    """Arm A with two deaths at t = 0, drawn from t = 0 at S = 0.9 (R's plot.survfit,
    lifelines) or, ``from_one``, from S = 1 with a vertical drop at 0 (survminer)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 4))
    for name, t, e, col in (("A", A_TIME, A_EVENT, "C0"), ("B", B_TIME, B_EVENT, "C1")):
        kt, ks = _km(t, e)
        xs, ys = list(kt), list(ks)
        if xs[0] > 0:
            xs, ys = [0.0, *xs], [1.0, *ys]
        elif from_one:
            xs, ys = [0.0, *xs], [1.0, *ys]
        xs.append(20.0)
        ys.append(ys[-1])
        ax.step(xs, ys, where="post", color=col, label=name)
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 0.92 if low_axis else 1.02)
    if low_axis:  # a truncated axis: its labels stop at 0.9
        ax.set_yticks([0, 0.3, 0.6, 0.9])
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


@pytest.mark.parametrize("from_one", [False, True])
def test_event_at_time_zero_is_a_drop_at_zero(tmp_path: Path, from_one: bool) -> None:
    _two_arm_figure(tmp_path / "f.pdf", from_one=from_one)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / "f.pdf")
    a = d.curve("A")
    kt, ks = _km(A_TIME, A_EVENT)
    assert kt[0] == 0.0 and ks[0] == pytest.approx(0.9)  # lifelines, as R: S(0) = 0.9
    assert len(a.time) == len(kt)
    assert np.max(np.abs(a.time - kt)) < 1e-6 * 20
    assert np.max(np.abs(a.surv - ks)) < 1e-6
    assert any("events at time 0" in n for n in d.notes)
    # the reconstruction puts the two deaths at t = 0 (risk table absent: n given)
    ipd = d.ipd(n={"A": 20, "B": 12}).data
    first = ipd[(ipd.arm == "A") & (ipd.time <= 1e-6)]
    assert int(first.event.sum()) == 2


def test_curve_starting_low_under_a_truncated_axis_still_warns(tmp_path: Path) -> None:
    _two_arm_figure(tmp_path / "f.pdf", from_one=False, low_axis=True)
    with pytest.warns(DigitizeWarning, match="starts at S = 0.900, not 1"):
        digitize(tmp_path / "f.pdf")


def test_curve_starting_far_below_one_still_warns(tmp_path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots()
    ax.step([0, 4, 9, 15], [0.6, 0.5, 0.3, 0.3], where="post", color="k")
    ax.set_ylim(0, 1.02)
    fig.savefig(tmp_path / "f.pdf")
    plt.close(fig)
    with pytest.warns(DigitizeWarning, match="starts at S = 0.600, not 1"):
        digitize(tmp_path / "f.pdf")


# ------------------------------------------------------------------ a single curve's name

R_SINGLE = r"""
args <- commandArgs(TRUE)
library(survival)
d <- data.frame(time = c(3, 5, 6, 8, 9, 12, 14, 15, 20, 22, 25, 27, 30, 31, 35),
                status = c(1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0))
fit <- survfit(Surv(time, status) ~ 1, data = d)
pdf(args[1], width = 6, height = 5)
par(mar = c(8, 8, 2, 1))
plot(fit, conf.int = FALSE, xlim = c(0, 35), xaxt = "n", las = 1)
axis(1, at = seq(0, 35, 5))
tt <- seq(0, 35, 5)
n <- sapply(tt, function(t) sum(d$time >= t))
mtext(n, side = 1, line = 4, at = tt)
mtext("All patients", side = 1, line = 4, at = -3, adj = 1)
dev.off()
"""


@requires_rscript
def test_single_curve_takes_the_name_of_its_one_risk_row(tmp_path: Path) -> None:
    script = tmp_path / "f.R"
    script.write_text(R_SINGLE)
    subprocess.run([str(RSCRIPT), str(script), str(tmp_path / "f.pdf")], check=True,
                   capture_output=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / "f.pdf")
    assert d.arms == ("All patients",)
    r = d.risk_frame()
    # the numbers printed, #(time >= t) of the 15 times above: at 0 all 15; at 5 all but 3;
    # at 10 the ten from 12 on; at 15 eight; at 20 seven; at 25 five; at 30 three; at 35 one
    assert r.n_risk.tolist() == [15, 14, 10, 8, 7, 5, 3, 1]
    frame = pd.DataFrame({"time": [3, 5, 6, 8, 9, 12, 14, 15, 20, 22, 25, 27, 30, 31, 35],
                          "status": [1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0]})
    kt, ks = _km(frame.time.tolist(), frame.status.tolist())
    c = d.curves[0]
    assert len(c.time) == len(kt)
    assert np.max(np.abs(c.surv - ks)) < 1e-4  # R's pdf(): coordinates to 0.01 pt


# ------------------------------------------------------------------------- grid lines


def _no_tick_figure(path: Path, *, grid: bool, fmt: str) -> None:
    """Arms A and B on axes without tick marks (tick length 0), with or without a grid."""
    plt = _plt()
    with plt.rc_context({"xtick.major.size": 0, "ytick.major.size": 0,
                         "axes.spines.top": False, "axes.spines.right": False,
                         "axes.spines.left": False, "axes.spines.bottom": False}):
        fig, ax = plt.subplots(figsize=(5, 4))
        for name, t, e, col in (("A", B_TIME, B_EVENT, "C0"), ("B", A_TIME[2:], A_EVENT[2:],
                                                                 "C3")):
            kt, ks = _km(t, e)
            xs, ys = [0.0, *kt, 20.0], [1.0, *ks, ks[-1]]
            ax.step(xs, ys, where="post", color=col, label=name)
        ax.set_xlim(-0.5, 20.5)
        ax.set_ylim(-0.02, 1.04)
        if grid:
            ax.grid(True, color="0.85", lw=0.8)
        ax.legend(loc="lower left")
        fig.savefig(path, format=fmt)
        plt.close(fig)


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_axes_without_tick_marks_are_calibrated_on_the_grid(tmp_path: Path, fmt: str) -> None:
    _no_tick_figure(tmp_path / f"g.{fmt}", grid=True, fmt=fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / f"g.{fmt}")
    assert d.calibration.x.source == "grid lines" and d.calibration.y.source == "grid lines"
    kt, ks = _km(B_TIME, B_EVENT)
    a = d.curve("A")
    assert len(a.time) == len(kt)
    # matplotlib writes coordinates to 1e-6 pt: steps within 1e-6 of the axis ranges
    assert np.max(np.abs(a.time - kt)) < 1e-6 * 20
    assert np.max(np.abs(a.surv - ks)) < 1e-6


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_without_grid_or_tick_marks_the_curves_start_anchors_the_labels(
        tmp_path: Path, fmt: str) -> None:
    """Labels only: their spacing gives the slopes and the curves' common start (0, 1) the
    intercepts, so the steps are exact where the label boxes were off by a fifth of a
    character (matplotlib centres a y label 0.38 em above its baseline)."""
    from survkit.digitize.startanchor import SOURCE

    _no_tick_figure(tmp_path / f"g.{fmt}", grid=False, fmt=fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / f"g.{fmt}")
    assert d.calibration.x.source == SOURCE and d.calibration.y.source == SOURCE
    for arm, (t, e) in (("A", (B_TIME, B_EVENT)), ("B", (A_TIME[2:], A_EVENT[2:]))):
        kt, ks = _km(t, e)
        c = d.curve(arm)
        assert len(c.time) == len(kt)
        assert np.max(np.abs(c.time - kt)) < 1e-6 * 20
        assert np.max(np.abs(c.surv - ks)) < 1e-6


@pytest.mark.parametrize("first", [0.9, 0.99])
def test_without_grid_or_tick_marks_a_curve_starting_below_one_keeps_the_warning(
        tmp_path: Path, first: float) -> None:
    """A curve that begins at S = 0.9 or 0.99 (deaths at time 0) is not taken to begin at
    S = 1: 0.99 is 0.2 em from where the labels put 1, the window is 0.06 em."""
    plt = _plt()
    with plt.rc_context({"xtick.major.size": 0, "ytick.major.size": 0}):
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.step([0, 4, 9, 15, 20], [first, 0.7, 0.5, 0.3, 0.3], where="post", color="C0")
        ax.set_xlim(-0.5, 20.5)
        ax.set_ylim(-0.02, 1.04)
        fig.savefig(tmp_path / "g.pdf")
        plt.close(fig)
    with pytest.warns(DigitizeWarning, match="y axis calibrated from label centres"):
        d = digitize(tmp_path / "g.pdf")
    assert d.calibration.y.source == "label centres"
    assert d.calibration.x.source != "label centres"  # t = 0 is still where it begins


def test_start_anchor_needs_evenly_offset_labels_and_a_common_start() -> None:
    """The rule itself, on labels 0, 10, 20, 30 centred at x = 100, 200, 300, 400 (pen starts
    4 pt left of the middle of two-digit labels, baselines 3.6 pt under their ticks at
    10 pt)."""
    from survkit.digitize.axes import Axis, Calibration
    from survkit.digitize.curves import Staircase
    from survkit.digitize.scene import Stroke, Word
    from survkit.digitize.startanchor import SOURCE, anchor_on_start

    def xlabel(v: int, x: float, pen: float = 0.0) -> Word:
        w = 2.0 * len(str(v))
        return Word(str(v), x - w - pen, x + w - pen, 300, 307, baseline=307, em=10.0)

    def ylabel(v: float, y: float, em: float | None = 10.0) -> Word:
        return Word(f"{v:.1f}", 60, 75, y - 3.6, y + 3.6, baseline=y + 3.6, em=em)

    def cal(xl: tuple[Word, ...], yl: tuple[Word, ...]) -> Calibration:
        x = Axis(tuple(w.xc for w in xl), tuple(float(w.text) for w in xl), 0.1, -10.02,
                 "label centres", 0.1, labels=xl)
        y = Axis((250.0, 150.0, 50.0), (0.0, 0.5, 1.0), -0.005, 1.25, "label centres", 0.0,
                 labels=yl)
        return Calibration(x, y)

    xl = tuple(xlabel(v, x) for v, x in ((0, 100.0), (10, 200.0), (20, 300.0), (30, 400.0)))
    yl = tuple(ylabel(v, y) for v, y in ((0.0, 250.0), (0.5, 150.0), (1.0, 50.0)))
    curve = Staircase(np.array([100.0, 180.0]), np.array([50.0, 120.0]), 290.0,
                      Stroke(np.array([[100.0, 50.0], [290.0, 120.0]]), (0.0, 0.0, 0.0)))
    got, notes = anchor_on_start(cal(xl, yl), [curve], 1e-6)
    assert got.x.source == SOURCE and got.y.source == SOURCE and len(notes) == 2
    assert got.x.slope == pytest.approx(0.1) and got.x.intercept == pytest.approx(-10.0)
    assert got.y.slope == pytest.approx(-0.005) and got.y.intercept == pytest.approx(1.25)
    # a curve that starts 1 pt (0.1 em) lower is not at S = 1; x still anchors
    low = Staircase(np.array([100.0, 180.0]), np.array([51.0, 120.0]), 290.0, curve.stroke)
    got, _ = anchor_on_start(cal(xl, yl), [low], 1e-6)
    assert got.x.source == SOURCE and got.y.source == "label centres"
    # two curves that begin at different times share no start
    late = Staircase(np.array([101.0, 180.0]), np.array([50.0, 120.0]), 290.0, curve.stroke)
    got, _ = anchor_on_start(cal(xl, yl), [curve, late], 1e-6)
    assert got.x.source == "label centres"
    # pen starts of equal labels offset unevenly (proportional digits): no slope from them
    uneven = (*xl[:3], xlabel(30, 400.0, pen=0.4))
    got, _ = anchor_on_start(cal(uneven, yl), [curve], 1e-6)
    assert got.x.source == "label centres" and got.y.source == SOURCE
    # nor from two labels of one length, which always lie on a line
    got, _ = anchor_on_start(cal(xl[:3], yl), [curve], 1e-6)
    assert got.x.source == "label centres"
    # labels whose baselines are unknown (read by OCR) are not anchored
    blind = tuple(Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in yl)
    got, _ = anchor_on_start(cal(xl, blind), [curve], 1e-6)
    assert got.y.source == "label centres"


def test_grid_rule_needs_a_line_at_every_label() -> None:
    """The rule itself: lines at 0, 10, 20 (x = 100, 200, 300) calibrate labels centred
    within a point of them; with the line at 20 missing, no calibration."""
    from survkit.digitize.axes import Axis
    from survkit.digitize.gridaxis import calibrate_on_grid
    from survkit.digitize.scene import Stroke, Word

    labels = tuple(Word(str(v), x - 5.4, x + 5.6, 300, 310) for v, x in
                   ((0, 100), (10, 200), (20, 300)))
    axis = Axis((100.4, 200.1, 300.3), (0.0, 10.0, 20.0), 0.1, -10.0, "label centres", 0.1,
                labels=labels)
    grey = (0.8, 0.8, 0.8)
    lines = [Stroke(np.array([[x, 20.0], [x, 290.0]]), grey) for x in (100.0, 200.0, 300.0)]
    got = calibrate_on_grid(axis, lines, vertical=True)
    assert got is not None and got.source == "grid lines"
    assert got.positions == (100.0, 200.0, 300.0)
    assert got.slope == pytest.approx(0.1) and got.intercept == pytest.approx(-10.0)
    assert calibrate_on_grid(axis, lines[:2], vertical=True) is None
    # a line of another style at the third label is not part of the grid
    other = Stroke(np.array([[300.0, 20.0], [300.0, 290.0]]), (0.0, 0.0, 1.0), dash=(2.0, 2.0))
    assert calibrate_on_grid(axis, [*lines[:2], other], vertical=True) is None


# ------------------------------------------- outlined SVG text, '|' marks, unnamed rows

R_GLYPHS = r"""
args <- commandArgs(TRUE)
suppressPackageStartupMessages(library(survival))
d <- subset(colon, etype == 2)
d$arm <- factor(ifelse(d$nodes > 4, "More than 4 nodes", "1-4 nodes"),
                c("1-4 nodes", "More than 4 nodes"))
d <- d[!is.na(d$nodes) & d$nodes > 0, ]
d$time <- pmin(d$time, 2500); d$status[d$time >= 2500] <- 0
fit <- survfit(Surv(time, status) ~ arm, data = d)
tt <- seq(0, 2500, 500)
draw <- function(keys) {
  par(mar = c(8, 10, 2, 1))
  plot(fit, col = if (keys) c("grey80", "grey20") else c("red3", "blue3"), lwd = 2,
       mark.time = TRUE, pch = "|", yaxt = "n", xaxt = "n", xlim = c(0, 2500))
  axis(1, at = tt)
  axis(2, at = seq(0, 1, 0.25), labels = paste0(seq(0, 100, 25), "%"), las = 1)
  if (!keys) legend("bottomleft", levels(d$arm), col = c("red3", "blue3"), lwd = 2)
  for (k in 1:2) {  # the rows in the reverse order of the arms
    g <- d[d$arm == levels(d$arm)[k], ]
    line <- 3 + 1.2 * (3 - k)
    mtext(sapply(tt, function(t) sum(g$time >= t)), side = 1, line = line, at = tt,
          cex = 0.9)
    if (keys) mtext("-", side = 1, line = line + 0.3, at = -250, cex = 4,
                    col = c("grey80", "grey20")[k])
    else mtext(levels(d$arm)[k], side = 1, line = line, at = -300, adj = 1, cex = 0.9)
  }
}
svg(args[1], width = 7, height = 5.5); draw(FALSE); dev.off()
pdf(args[2], width = 7, height = 5.5); draw(TRUE); dev.off()
svg(args[3], width = 7, height = 5.5); draw(TRUE); dev.off()
s <- summary(fit, censored = FALSE)
write.csv(data.frame(arm = as.character(s$strata), time = s$time, surv = s$surv),
          args[4], row.names = FALSE)
cens <- do.call(rbind, lapply(levels(d$arm), function(a) {
  g <- d[d$arm == a & d$status == 0, ]
  data.frame(arm = a, n = length(unique(g$time)))
}))
risk <- do.call(rbind, lapply(levels(d$arm), function(a) {
  g <- d[d$arm == a, ]
  data.frame(arm = a, time = tt, n_risk = sapply(tt, function(t) sum(g$time >= t)))
}))
write.csv(cens, args[5], row.names = FALSE)
write.csv(risk, args[6], row.names = FALSE)
"""


@pytest.fixture(scope="module")
def r_glyphs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if RSCRIPT is None:
        pytest.skip("Rscript not found on PATH")
    d = tmp_path_factory.mktemp("glyphs")
    (d / "f.R").write_text(R_GLYPHS)
    files = ["legend.svg", "keys.pdf", "keys.svg", "km.csv", "cens.csv", "risk.csv"]
    subprocess.run([str(RSCRIPT), str(d / "f.R"), *(str(d / f) for f in files)], check=True,
                   capture_output=True)
    return d


def _r_truth(d: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    km = pd.read_csv(d / "km.csv")
    km["arm"] = km["arm"].str.replace("arm=", "", regex=False)
    return km, pd.read_csv(d / "cens.csv"), pd.read_csv(d / "risk.csv")


def _check_against_r(dig: Digitized, d: Path) -> None:
    km, _cens, risk = _r_truth(d)
    assert dig.arms == ("1-4 nodes", "More than 4 nodes")
    for c in dig.curves:
        g = km[km.arm == c.arm]
        got = c.at(g.time.to_numpy() + 0.5)  # just after each event time: R's survival there
        assert np.max(np.abs(got - g.surv.to_numpy())) < 2e-4  # Cairo: 1/256 pt
        r = risk[risk.arm == c.arm]
        assert list(c.risk_times) == r.time.astype(float).tolist()
        assert list(c.n_risk) == r.n_risk.tolist()


@requires_rscript
def test_outlined_svg_text_is_spelt_from_its_glyphs(r_glyphs: Path) -> None:
    """Cairo's glyph outlines: the multi-word legend names keep their spaces, the percent
    tick labels read, the '|' censoring marks (glyphs drawn alone) are found."""
    pytest.importorskip("pytesseract")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        dig = digitize(r_glyphs / "legend.svg")
    assert dig.calibration.y.percent and dig.calibration.y.source == "tick marks"
    assert any("spelt from their glyphs" in n for n in dig.notes)
    _check_against_r(dig, r_glyphs)
    _, cens, _ = _r_truth(r_glyphs)
    for c in dig.curves:
        want = int(cens[cens.arm == c.arm].n.iloc[0])
        assert len(np.unique(np.round(c.censor_times, 1))) == pytest.approx(want, abs=2)


@requires_rscript
@pytest.mark.parametrize("name", ["keys.pdf", "keys.svg"])
def test_unnamed_rows_are_assigned_by_the_colour_of_their_keys(r_glyphs: Path,
                                                                name: str) -> None:
    """Rows without names, a bar of each curve's grey beside them (survminer's
    risk.table.y.text = FALSE): each row goes to the curve of its bar's colour."""
    if name.endswith(".svg"):
        pytest.importorskip("pytesseract")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        dig = digitize(r_glyphs / name, arms=["1-4 nodes", "More than 4 nodes"])
    assert not any("risk-table" in w for w in dig.warnings), dig.warnings
    _check_against_r(dig, r_glyphs)


# ------------------------------------------------- a crowd of '+' marks drawn as text

R_CROWD = r"""
args <- commandArgs(TRUE)
suppressPackageStartupMessages(library(survival))
set.seed(11)
n <- 600
d <- data.frame(time = round(pmin(rexp(n, 0.15), runif(n, 0, 12)), 3))
d$status <- as.integer(d$time < 12 & runif(n) < 0.35)
fit <- survfit(Surv(time, status) ~ 1, data = d)
pdf(args[1], width = 6, height = 5)
par(mar = c(5, 5, 2, 1))
plot(fit, conf.int = FALSE, mark.time = TRUE, pch = "+", cex = 1.6, las = 1, cex.axis = 0.7,
     xlim = c(0, 12))
dev.off()
write.csv(d, args[2], row.names = FALSE)
"""


@requires_rscript
def test_a_crowd_of_text_marks_does_not_join_the_tick_labels(tmp_path: Path) -> None:
    """R draws ``pch = "+"`` as characters: hundreds of them, at every height and larger
    than the tick labels, must not chain the y labels into one line of text."""
    (tmp_path / "f.R").write_text(R_CROWD)
    subprocess.run([str(RSCRIPT), str(tmp_path / "f.R"), str(tmp_path / "f.pdf"),
                    str(tmp_path / "f.csv")], check=True, capture_output=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / "f.pdf")
    assert d.calibration.y.values == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    data = pd.read_csv(tmp_path / "f.csv")
    kt, ks = _km(data.time.tolist(), data.status.tolist())
    c = d.curves[0]
    assert len(c.time) == len(kt)
    assert np.max(np.abs(c.surv - ks)) < 1e-4  # R's pdf(): coordinates to 0.01 pt
    cens = np.unique(data.time[data.status == 0])
    assert len(c.censor_times) == len(cens)


# ------------------------------------------------------- the glyph-identity rules alone


def _glyph(key: str, x: float, y: float, run: int, w: float = 4.0, h: float = 6.0,
           shape: int = 0):  # type: ignore[no-untyped-def]
    """A glyph ``key`` at origin (x, y): a box outline with a notch whose place is its shape
    (glyphs of one shape share one outline, at any size)."""
    from survkit.digitize.svg import Glyph

    if key.endswith("-space"):
        return Glyph([], (0.0, 0.0, 0.0), key, run, (x, y))
    n = 0.1 + 0.08 * shape
    pts = np.array([[x, y], [x + w, y], [x + w, y - h], [x + n * w, y - h],
                    [x + n * w, y - 0.5 * h], [x, y - 0.5 * h], [x, y]])
    return Glyph([pts], (0.0, 0.0, 0.0), key, run, (x, y))


def test_glyph_classes_vote_spell_and_keep_spaces() -> None:
    """Font A draws "17", "71" and "1 7" (a space glyph between); font B draws "71" with the
    same two outlines at 1.5 times the size. OCR reads A's strings right but B's as "11".
    A's glyphs are settled by their votes (the 7: three votes), B's glyphs share the classes
    of A's glyphs of the same outline (one size ratio), so B's string is spelt "71" although
    its 7 voted '1'; the space of A's third string splits it into two words."""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    one, seven = 1, 4  # outline shapes
    g = [
        _glyph("glyph0-1", 0, 10, 1, shape=one), _glyph("glyph0-2", 5, 10, 1, shape=seven),
        _glyph("glyph0-2", 0, 30, 2, shape=seven), _glyph("glyph0-1", 5, 30, 2, shape=one),
        _glyph("glyph0-1", 0, 50, 3, shape=one), _glyph("glyph0-space", 5, 50, 3),
        _glyph("glyph0-2", 8, 50, 3, shape=seven),
        _glyph("glyph1-1", 0, 80, 4, 6.0, 9.0, shape=seven),
        _glyph("glyph1-2", 8, 80, 4, 6.0, 9.0, shape=one),
    ]
    ocr = [Word("17", 0, 9, 4, 10), Word("71", 0, 9, 24, 30), Word("17", 0, 12, 44, 50),
           Word("11", 0, 14, 71, 80)]
    words, keys, note = read_glyph_text(g, ocr)
    texts = sorted((round(w.top), w.text) for w in words)
    assert texts == [(4, "17"), (24, "71"), (44, "1"), (44, "7"), (71, "71")]
    assert keys == [] and "4 of 4 strings" in note


def test_an_l_and_a_dotted_i_are_not_one_glyph_class() -> None:
    """Font A's "Male" (twice) has an "l": one bar; font B's "in" (three times) has an "i":
    a bar and its dot. Scaled to one height the two overlap by 94 %, like two sizes of one
    letter, but their outlines differ in number: they must stay two classes, else the
    i's three votes spell A's strings "Maie" (seen in a survminer SVG's legend)."""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word
    from survkit.digitize.svg import Glyph

    def bar(key: str, x: float, y: float, run: int) -> Glyph:  # "l": 0.8 x 6.69
        pts = np.array([[x, y], [x + 0.8, y], [x + 0.8, y - 6.69], [x, y - 6.69], [x, y]])
        return Glyph([pts], (0.0, 0.0, 0.0), key, run, (x, y))

    def dotted(key: str, x: float, y: float, run: int) -> Glyph:  # "i": 1.0 x 8.36
        stem = np.array([[x, y], [x + 1, y], [x + 1, y - 6.9], [x, y - 6.9], [x, y]])
        dot = np.array([[x, y - 7.4], [x + 1, y - 7.4], [x + 1, y - 8.36], [x, y - 8.36],
                        [x, y - 7.4]])
        return Glyph([stem, dot], (0.0, 0.0, 0.0), key, run, (x, y))

    g: list[Glyph] = []
    ocr: list[Word] = []
    for run, y in ((1, 10.0), (2, 30.0)):  # "Male"
        g += [_glyph("glyph0-1", 0, y, run, 5.0, 6.69, shape=1),
              _glyph("glyph0-2", 6, y, run, 4.0, 4.8, shape=2), bar("glyph0-3", 11, y, run),
              _glyph("glyph0-4", 13, y, run, 4.0, 4.8, shape=3)]
        ocr.append(Word("Male", 0, 17, y - 6.69, y))
    for run, y in ((3, 50.0), (4, 70.0), (5, 90.0)):  # "in"
        g += [dotted("glyph1-1", 0, y, run), _glyph("glyph1-2", 2, y, run, 5.0, 6.0, shape=9)]
        ocr.append(Word("in", 0, 7, y - 8.36, y))
    words, _, note = read_glyph_text(g, ocr)
    assert sorted(w.text for w in words) == ["Male", "Male", "in", "in", "in"]
    assert "5 of 5 strings" in note


def test_a_string_with_an_unsettled_glyph_keeps_its_ocr_words() -> None:
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    g = [_glyph("glyph0-1", 0, 10, 1, shape=1), _glyph("glyph0-2", 5, 10, 1, shape=2),
         _glyph("glyph0-3", 0, 30, 2, shape=3)]
    ocr = [Word("ab", 0, 9, 4, 10), Word("c?", 0, 4, 24, 30)]  # two characters, one glyph
    words, _, _ = read_glyph_text(g, ocr)
    assert sorted(w.text for w in words) == ["ab", "c?"]


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_a_plus_between_words_is_part_of_a_legend_name(tmp_path: Path, fmt: str) -> None:
    """"Surgery + RT": a lone '+' word is usually a censoring mark, but one between two
    words of a legend label is part of the name."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 4))
    for name, t, e, ls in (("Surgery", A_TIME[2:], A_EVENT[2:], "-"),
                           ("Surgery + RT", B_TIME, B_EVENT, ":")):
        kt, ks = _km(t, e)
        ax.step([0.0, *kt, 20.0], [1.0, *ks, ks[-1]], where="post", color="k", ls=ls,
                label=name)
    ax.set_ylim(0, 1.05)
    ax.legend()
    fig.savefig(tmp_path / f"f.{fmt}", format=fmt)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / f"f.{fmt}")
    assert d.arms == ("Surgery", "Surgery + RT")
    kt, ks = _km(B_TIME, B_EVENT)
    assert np.max(np.abs(d.curve("Surgery + RT").surv - ks)) < 1e-6


# --------------------------------------- simplified paths, a limit capped at 1 all along


def test_large_study_with_simplified_path_is_read_within_its_slants(tmp_path: Path) -> None:
    """3,000 patients: matplotlib's path simplification merges the smallest steps into
    slanted segments (the file no longer holds them one by one); the curve is read, each
    slant a step at its end, and says so in the notes."""
    plt = _plt()
    rng = np.random.default_rng(5)
    t = np.round(rng.exponential(8.0, 3000), 4)
    c = rng.uniform(0, 20, 3000)
    e = (t <= c).astype(int)
    t = np.minimum(t, c)
    kmf = lifelines.KaplanMeierFitter().fit(t, e)
    fig, ax = plt.subplots(figsize=(6, 4))
    kmf.plot_survival_function(ax=ax, ci_show=False, color="C0", label="All")
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 1.05)
    fig.savefig(tmp_path / "f.pdf")
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        d = digitize(tmp_path / "f.pdf")
    assert any("slanted segments" in n for n in d.notes)
    sf = kmf.survival_function_
    tt, ss = sf.index.to_numpy(float), sf.iloc[:, 0].to_numpy()
    grid = np.linspace(0.01, 19.9, 4000)
    true = ss[np.searchsorted(tt, grid, side="right") - 1]
    got = d.curves[0].at(grid)
    assert np.mean(np.abs(got - true)) < 2e-4  # the slants are tiny: IAE ~1e-5
    assert np.max(np.abs(got - true)) < 0.01  # at most 1 % of the y range (the bound)


R_CAPPED = r"""
args <- commandArgs(TRUE)
suppressPackageStartupMessages(library(survival))
arms <- c("No residual disease", "Residual disease")
d <- with(ovarian, data.frame(time = futime, status = fustat,
                              arm = factor(arms[resid.ds], arms)))
fit <- survfit(Surv(time, status) ~ arm, data = d)
pdf(args[1], width = 6, height = 5)
plot(fit, conf.int = TRUE, col = c("blue", "red"), las = 1)
legend("bottomleft", legend = arms, col = c("blue", "red"), lty = 1, bty = "n")
dev.off()
s <- summary(fit, censored = FALSE)
write.csv(data.frame(arm = sub("arm=", "", as.character(s$strata)), time = s$time,
                     surv = s$surv, upper = s$upper), args[2], row.names = FALSE)
"""


@requires_rscript
def test_a_lower_limit_whose_upper_limit_is_capped_at_one_is_a_limit(tmp_path: Path) -> None:
    """R's log-scale upper limit of a small arm stays at 1 all along and is drawn as a flat
    line at the top: the lone dashed lower limit is not a third curve."""
    (tmp_path / "f.R").write_text(R_CAPPED)
    subprocess.run([str(RSCRIPT), str(tmp_path / "f.R"), str(tmp_path / "f.pdf"),
                    str(tmp_path / "km.csv")], check=True, capture_output=True)
    km = pd.read_csv(tmp_path / "km.csv")
    capped = km[km.arm == "No residual disease"]
    assert (capped.upper == 1).all()  # the case: R's upper limit is 1 at every event
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(tmp_path / "f.pdf")
    assert d.arms == ("No residual disease", "Residual disease")
    for c in d.curves:
        g = km[km.arm == c.arm]
        assert np.max(np.abs(c.at(g.time.to_numpy() + 0.5) - g.surv.to_numpy())) < 1e-4


def _legend_scene(extra: list[tuple[float, float, float]], marks_on_keys: bool = False
                  ) -> tuple[object, object, list[object]]:
    """Two curves with a legend: keys (flat strokes of each curve's colour) with a name to
    their right; ``extra`` adds flat strokes of the second curve's colour ``(x0, x1, y)``
    (pieces of its path near the legend); with ``marks_on_keys`` the legend is one row
    and a "+" mark word is drawn on each key."""
    from survkit.digitize.axes import Axis, Calibration
    from survkit.digitize.curves import Staircase
    from survkit.digitize.scene import Scene, Stroke, Word

    orange, blue = (1.0, 0.549, 0.0), (0.0, 0.0, 0.545)

    def flat(x0: float, x1: float, y: float, c: tuple[float, float, float]) -> Stroke:
        return Stroke(np.array([[x0, y], [x1, y]]), c)

    curves = [Staircase(np.array([50.0, 100.0]), np.array([20.0, 80.0]), 300.0,
                        flat(50.0, 300.0, 20.0, c)) for c in (orange, blue)]
    words: list[Word] = []
    strokes = [c.stroke for c in curves]
    if marks_on_keys:  # one row: key, "1-4 nodes", key, "More than 4 nodes"
        layout = [(307.0, 328.0, 43.2, orange, ["1-4", "nodes"]),
                  (420.0, 441.0, 43.2, blue, ["More", "than", "4", "nodes"])]
    else:  # one entry a line
        layout = [(307.0, 328.66, 43.2, orange, ["Placebo"]),
                  (307.0, 328.66, 57.6, blue, ["Interferon", "gamma"])]
    for x0, x1, y, c, texts in layout:
        strokes.append(flat(x0, x1, y, c))
        if marks_on_keys:
            words.append(Word("+", 0.5 * (x0 + x1) - 3.0, 0.5 * (x0 + x1) + 3.0, y - 3.0, y + 3.0))
        x = x1 + 10.8
        for t in texts:
            words.append(Word(t, x, x + 5.0 * len(t), y - 5.2, y + 6.8))
            x += 5.0 * len(t) + 3.3
    strokes += [flat(a, b, y, blue) for a, b, y in extra]
    scene = Scene("pdf", 600.0, 400.0, tuple(strokes), tuple(words))
    ax = Axis((50.0, 500.0), (0.0, 400.0), 400.0 / 450.0, -400.0 * 50.0 / 450.0, "tick marks",
              0.0)
    ay = Axis((300.0, 20.0), (0.0, 1.0), -1.0 / 280.0, 300.0 / 280.0, "tick marks", 0.0)
    return scene, Calibration(ax, ay), curves


def test_legend_names_not_cut_by_curve_pieces_or_marks_on_keys() -> None:
    """The next key of a legend laid out in a row lies after the label's first word, in a
    gap between words: pieces of a curve just left of a label (a text height below its
    line) do not cut "Interferon gamma" to its first word, and the next key of a row, a
    "+" mark drawn on it, still ends "1-4 nodes"."""
    from survkit.digitize.legend import read_legend

    pieces = [(316.78, 324.42, 69.47), (324.91, 332.55, 69.47), (331.56, 339.2, 69.47)]
    scene, cal, curves = _legend_scene(pieces)
    names, _ = read_legend(scene, cal, curves)  # type: ignore[arg-type]
    assert names == ["Placebo", "Interferon gamma"]
    scene, cal, curves = _legend_scene([], marks_on_keys=True)
    names, _ = read_legend(scene, cal, curves)  # type: ignore[arg-type]
    assert names == ["1-4 nodes", "More than 4 nodes"]


# ------------------------------------------------- dotted black curves of a large study

def _three_black_arms(path: Path, names: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Three large black arms, solid, dashed and dotted (matplotlib bends the dotted line's
    drops a hair off the vertical when it simplifies the path)."""
    rng = np.random.default_rng(7)
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 5))
    truth = []
    for k, (name, ls) in enumerate(zip(names, ["-", "--", ":"], strict=True)):
        n = 1300 if k < 2 else 300
        t = np.round(rng.exponential(8.0 / (1 + k), n), 3)
        c = rng.uniform(0, 19, n)
        time, event = np.minimum(t, c), (t <= c).astype(int)
        kt, ks = _km(list(time), list(event))
        truth.append((kt, ks))
        ax.step([*kt, time.max()], [*ks, ks[-1]], where="post", color="black", ls=ls,
                lw=1.5, label=name)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.legend(frameon=False, loc="lower left")
    fig.savefig(path)
    plt.close(fig)
    return truth


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_dotted_curve_of_a_large_study_is_read(tmp_path: Path, fmt: str) -> None:
    names = ["≤20 mm", "20--50 mm", ">50 mm"]  # matplotlib writes <, > and -- escaped in SVG
    truth = _three_black_arms(tmp_path / f"f.{fmt}", names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / f"f.{fmt}")
    assert list(d.arms) == names
    for name, (kt, ks) in zip(names, truth, strict=True):
        c = d.curve(name)
        mid = (kt[1:] + kt[:-1]) / 2  # between the true steps
        # simplified paths are read within 2 % of the x range and 1 % of the y range
        assert np.quantile(np.abs(c.at(mid) - ks[:-1]), 0.9) < 0.01


def test_a_long_falling_path_that_is_no_staircase_warns(tmp_path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 4))
    t = np.linspace(0, 10, 200)
    ax.step([0, 2, 4, 6, 8, 10], [1, 0.8, 0.6, 0.5, 0.4, 0.4], where="post", label="KM")
    ax.plot(t, np.exp(-0.1 * t), color="C1", label="Weibull fit")  # smooth, not a staircase
    ax.set_ylim(0, 1.02)
    ax.legend()
    fig.savefig(tmp_path / "f.svg")
    plt.close(fig)
    with pytest.warns(DigitizeWarning, match="could not read 1 long falling path"):
        d = digitize(tmp_path / "f.svg")
    assert len(d.curves) == 1


def test_censoring_bar_beside_a_label_is_not_its_tick(tmp_path: Path) -> None:
    # matplotlib's PDF text box puts the "1.0" label's centre 3.4 pt below its tick; a '+'
    # censoring mark just inside the axes, 5 pt under the top, is nearer that centre than
    # the tick itself. Its bar must not calibrate the axis (it put every level 0.9 % high).
    plt = _plt()
    n = 100
    time = [0.2, 0.3, 0.4, *np.linspace(1.0, 7.5, n - 3).tolist()]
    event = [1, 1, 0, *(1 if i % 3 else 0 for i in range(n - 3))]
    t_true, s_true = _km(time, event)
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    ax.step(np.append(t_true, 7.5), np.append(s_true, s_true[-1]), where="post",
            color="0.25", lw=1.5)
    tc = np.array([t for t, e in zip(time, event, strict=True) if e == 0])
    level = s_true[np.searchsorted(t_true, tc, side="right") - 1]
    ax.plot(tc, level, ls="none", marker="+", color="0.25", ms=6, mew=1.0)
    ax.set_xlim(0, 8)
    ax.set_ylim(0, 1.0)
    fig.tight_layout()
    path = tmp_path / "bar.pdf"
    fig.savefig(path)
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(path)
    assert d.calibration.y.residual < 1e-4
    c = d.curves[0]
    # the level read just after each true knot (the curve's own steps, as a step function)
    got = c.surv[np.searchsorted(c.time, t_true + 1e-6, side="right") - 1]
    assert np.max(np.abs(got - s_true)) < 1e-5


def _outline(key: str, x: float, y: float, run: int, pts: list[list[float]],
             scale: float = 1.0):  # type: ignore[no-untyped-def]
    """A glyph ``key`` at origin (x, y) whose outline is ``pts`` (x right, y up), scaled."""
    from survkit.digitize.svg import Glyph

    p = np.asarray(pts, dtype=float) * scale
    return Glyph([np.column_stack((x + p[:, 0], y - p[:, 1]))], (0.0, 0.0, 0.0), key, run,
                 (x, y))


_SLASH = [[0, 0], [1.2, 0], [5, 10], [3.8, 10], [0, 0]]
_T = [[0, 9], [6, 9], [6, 8], [3.5, 8], [3.5, 0], [2.5, 0], [2.5, 8], [0, 8], [0, 9]]
_BAR = [[0, 0], [1, 0], [1, 9], [0, 9], [0, 0]]
_V = [[0, 9], [1.2, 9], [3.5, 1.5], [5.8, 9], [7, 9], [4.1, 0], [2.9, 0], [0, 9]]


def test_a_glyph_whose_votes_tie_or_are_taken_is_read_by_its_shape() -> None:
    """"g/dl": OCR reads the slash once "f", once "i" (a tie of votes); "T5": OCR reads the
    T "1" twice, a character the font's real 1 (three votes) already is. Both are settled
    by their outlines (a slanted bar; a capped bar), so all strings are spelt; without
    that witness the four strings would keep OCR's misreadings."""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    g = [_glyph("glyph0-1", 0, 10, 1, shape=1), _outline("glyph0-2", 5, 10, 1, _SLASH, 0.6),
         _glyph("glyph0-3", 9, 10, 1, shape=3),
         _glyph("glyph0-1", 0, 30, 2, shape=1), _outline("glyph0-2", 5, 30, 2, _SLASH, 0.6),
         _glyph("glyph0-3", 9, 30, 2, shape=3),
         _outline("glyph0-4", 0, 50, 3, _T, 0.66), _glyph("glyph0-5", 5, 50, 3, shape=5),
         _outline("glyph0-4", 0, 70, 4, _T, 0.66), _glyph("glyph0-5", 5, 70, 4, shape=5)]
    for run in (5, 6, 7):  # "15" with the font's real 1
        g += [_glyph("glyph0-6", 0, 70 + 20 * run, run, shape=6),
              _glyph("glyph0-5", 5, 70 + 20 * run, run, shape=5)]
    ocr = [Word("afd", 0, 13, 4, 10), Word("aid", 0, 13, 24, 30), Word("15", 0, 9, 44, 50),
           Word("15", 0, 9, 64, 70)] + [Word("15", 0, 9, 64 + 20 * r, 70 + 20 * r)
                                        for r in (5, 6, 7)]
    words, _, note = read_glyph_text(g, ocr)
    texts = sorted((round(w.top), w.text) for w in words)
    assert [t for _, t in texts[:4]] == ["a/d", "a/d", "T5", "T5"]
    assert "7 of 7 strings" in note


def test_an_i_l_tie_is_broken_by_the_case_of_its_neighbours() -> None:
    """A plain bar of a sans-serif face is "I" or "l" by shape alike. OCR reads "II" as
    "Il", "IV" right and a lone "I" as "l": two votes each. The bar's lettered neighbour is a
    capital (V) and it stands alone in words ("II", "I"): it is I, and all three strings are
    spelt; without that witness they would keep OCR's "Il" and "l"."""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    g = [_outline("glyph0-1", 0, 10, 1, _BAR, 0.66), _outline("glyph0-1", 2, 10, 1, _BAR, 0.66),
         _outline("glyph0-1", 0, 30, 2, _BAR, 0.66), _outline("glyph0-2", 2, 30, 2, _V, 0.66),
         _outline("glyph0-1", 0, 50, 3, _BAR, 0.66)]
    ocr = [Word("Il", 0, 3, 4, 10), Word("IV", 0, 7, 24, 30), Word("l", 0, 1, 44, 50)]
    words, _, note = read_glyph_text(g, ocr)
    assert sorted((round(w.top), w.text) for w in words) == [(4, "II"), (24, "IV"), (44, "I")]
    assert "3 of 3 strings" in note


def test_ocr_that_merged_repeated_glyphs_still_votes() -> None:
    """"ABII" read "ABI" (one character short): A and B (settled elsewhere) are matched off
    the front, and the two glyphs left, of one class, vote for the one character left.
    (Capitals: after a small letter a bar is read as an l, "abll".)"""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    g = [_glyph("glyph0-1", 0, 10, 1, shape=1), _glyph("glyph0-2", 5, 10, 1, shape=2),
         _glyph("glyph0-1", 0, 30, 2, shape=1), _glyph("glyph0-2", 5, 30, 2, shape=2),
         _outline("glyph0-3", 10, 30, 2, _BAR, 0.66),
         _outline("glyph0-3", 12, 30, 2, _BAR, 0.66)]
    ocr = [Word("AB", 0, 9, 4, 10), Word("ABI", 0, 13, 24, 30)]
    words, _, note = read_glyph_text(g, ocr)
    assert sorted((round(w.top), w.text) for w in words) == [(4, "AB"), (24, "ABII")]
    assert "2 of 2 strings" in note


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_a_large_arm_with_rare_events_is_read_through_long_flat_slants(
        tmp_path: Path, fmt: str) -> None:
    """8,000 patients, S falling only to 0.98 in 20 years: matplotlib's simplification
    merges runs of drops of 1/8000 into slants up to ~5 % of the x range long but a
    fraction of a point high. Read as steps at their ends they misplace S by at most their
    height (here < 1e-3); a rule that bounded the slant's length alone lost the curve
    ("no Kaplan–Meier curve found", seen in a held-out lifelines figure of nafld1)."""
    plt = _plt()
    rng = np.random.default_rng(11)
    n = 8000
    t = np.round(rng.exponential(800.0, n), 3)
    c = rng.uniform(0, 20, n)
    e = (t <= c).astype(int)
    t = np.minimum(t, c)
    kmf = lifelines.KaplanMeierFitter().fit(t, e)
    fig, ax = plt.subplots(figsize=(7, 5))
    kmf.plot_survival_function(ax=ax, ci_show=False, color="C0", label="All")
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 1.05)
    fig.savefig(tmp_path / f"f.{fmt}")
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        d = digitize(tmp_path / f"f.{fmt}")
    assert any("slanted segments" in n for n in d.notes)
    sf = kmf.survival_function_
    tt, ss = sf.index.to_numpy(float), sf.iloc[:, 0].to_numpy()
    grid = np.linspace(0.01, 19.9, 4000)
    true = ss[np.searchsorted(tt, grid, side="right") - 1]
    got = d.curves[0].at(grid)
    assert np.max(np.abs(got - true)) < 1e-3  # a slant's height: 0.01 of y at the most


@requires_rscript
@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_r_open_frame_starting_at_time_zero_is_no_curve(tmp_path: Path, fmt: str) -> None:
    """R's ``plot(survfit)`` with ``bty = "l"`` and ``xaxs = "i"`` (rotterdam by age group,
    tests/r/open_frame_figure.R): the frame is one path down the y axis and along the x
    axis from t = 0, a level 4 % of the range under S = 0. It is left out with a note;
    the three arms are read with no warning, within 1e-4 of R's steps between them up to
    the x axis's end at 19 years (R clips the curves there)."""
    out, steps = tmp_path / f"open.{fmt}", tmp_path / "steps.csv"
    script = Path(__file__).parent / "r" / "open_frame_figure.R"
    subprocess.run([str(RSCRIPT), str(script), str(out), str(steps)], check=True,
                   capture_output=True, timeout=120)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(out)
    assert d.arms == ("Age < 50", "Age 50-65", "Age > 65")
    assert any("below S = 0" in n for n in d.notes)
    truth = pd.read_csv(steps)
    for arm, g in truth.groupby("arm", sort=False):
        t, s = g["time"].to_numpy(), g["surv"].to_numpy()
        mid = 0.5 * (t[:-1] + t[1:])  # (between R's steps, whole days apart)
        keep = mid < 18.9
        got = np.asarray(d.curve(arm).at(mid[keep]))
        assert np.max(np.abs(got - s[:-1][keep])) < 1e-4, arm


def test_an_l_that_ocr_reads_as_a_capital_i_is_put_right_by_its_neighbours() -> None:
    """Font A's "Male" twice and "Placebo" once, with an ``l`` that OCR reads "I" every
    time ("MaIe", "PIacebo": Tesseract reads the bar of a sans-serif l so); font A also
    draws "IV" (a capital I, read right), whose bar is another glyph. The l's votes say I,
    but it follows a small letter inside a word ("Ma|e"), so it is an l; the I of "IV"
    stands next to a capital before no small letter and stays I; "Placebo"'s l (after a
    capital, before a small letter) says nothing either way."""
    from survkit.digitize.glyphtext import read_glyph_text
    from survkit.digitize.scene import Word

    g = []
    ocr = []
    for run, y in ((1, 10.0), (2, 30.0)):  # "Male": M a l e
        g += [_glyph("glyph0-1", 0, y, run, shape=1), _glyph("glyph0-2", 5, y, run, shape=2),
              _glyph("glyph0-3", 10, y, run, 1.0, 6.5, shape=3),
              _glyph("glyph0-4", 12, y, run, shape=4)]
        ocr.append(Word("MaIe", 0, 16, y - 6.5, y))
    # "Placebo": P l a c e b o (the l is glyph0-3 again)
    g += [_glyph("glyph0-5", 0, 50, 3, shape=5), _glyph("glyph0-3", 5, 50, 3, 1.0, 6.5, shape=3),
          _glyph("glyph0-2", 7, 50, 3, shape=2), _glyph("glyph0-6", 12, 50, 3, shape=6),
          _glyph("glyph0-4", 17, 50, 3, shape=4), _glyph("glyph0-7", 22, 50, 3, shape=7),
          _glyph("glyph0-8", 27, 50, 3, shape=8)]
    ocr.append(Word("PIacebo", 0, 31, 43.5, 50))
    # "IV": a capital I (glyph0-9) and a V
    g += [_glyph("glyph0-9", 0, 70, 4, 1.2, 6.0, shape=9),
          _glyph("glyph0-10", 3, 70, 4, shape=10)]
    ocr.append(Word("IV", 0, 7, 64, 70))
    words, _, note = read_glyph_text(g, ocr)
    assert sorted(w.text for w in words) == ["IV", "Male", "Male", "Placebo"]
    assert "4 of 4 strings" in note


def test_two_close_events_merged_into_a_slant_are_read_as_two_steps(tmp_path: Path) -> None:
    """Two deaths a day apart on a 13-year axis (pbc-like): matplotlib's path simplification
    draws their two drops and the sliver of flat between them as one slanted segment (the
    file holds no vertex in between; checked below). Between two flats a slant held two
    drops at least, one at each end; read so, every step is found and S is right between
    them (the level after the first drop, against lifelines)."""
    plt = _plt()
    rng = np.random.default_rng(11)
    t = np.round(rng.exponential(8.0, 300), 4)
    c = rng.uniform(1, 13, 300)
    e = (t <= c).astype(int)
    t = np.minimum(t, c)
    t = t[(np.abs(t - 2.735) > 0.05)]
    e = e[: len(t)]
    t = np.append(t, [2.735, 2.7378])  # 1 day apart
    e = np.append(e, [1, 1])
    kmf = lifelines.KaplanMeierFitter().fit(t, e)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    kmf.plot_survival_function(ax=ax, ci_show=False, color="k", lw=2, label="All")
    ax.set_xlim(0, 13)
    ax.set_ylim(0, 1.02)
    fig.savefig(tmp_path / "f.svg")
    plt.close(fig)
    import re

    text = (tmp_path / "f.svg").read_text()
    paths = [p for p in re.findall(r'<path d="([^"]+)"', text) if p.count("L") > 100]
    pts = np.array([[float(a), float(b)] for a, b in
                    re.findall(r"[ML] ([-\d.]+) ([-\d.]+)", paths[0])])
    d = np.diff(pts, axis=0)
    assert np.any((np.abs(d[:, 0]) > 1e-6) & (np.abs(d[:, 1]) > 1e-6))  # a slant is there
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        got = digitize(tmp_path / "f.svg").curves[0]
    sf = kmf.survival_function_
    tt, ss = sf.index.to_numpy(float), sf.iloc[:, 0].to_numpy()
    between = ss[np.searchsorted(tt, 2.7364, side="right") - 1]
    assert abs(float(got.at([2.7364])[0]) - between) < 1e-6
    grid = np.linspace(0.01, 12.9, 6000)
    true = ss[np.searchsorted(tt, grid, side="right") - 1]
    assert np.max(np.abs(got.at(grid) - true)) < 1e-6
