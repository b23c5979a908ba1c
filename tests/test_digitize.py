"""survkit.digitize on vector figures drawn in-process with matplotlib/lifelines and by R.

The truth is the data each figure is drawn from: Kaplan–Meier values from lifelines'
``KaplanMeierFitter`` (an independent implementation), numbers at risk counted directly
(``#{T >= t}``), censoring times read off the data. A figure's coordinates are stored with
finite precision (matplotlib writes 6 decimals of a point), so "exact" means within 1e-6 of
the axis range.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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

LUNG = Path(__file__).resolve().parents[1] / "src" / "survkit" / "data" / "lung.csv"


def _lung() -> pd.DataFrame:
    return pd.read_csv(LUNG)  # time, status (1 = death), sex


def _truth(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Event times and KM values after each, from lifelines."""
    kmf = lifelines.KaplanMeierFitter().fit(g["time"], g["status"] == 1)
    sf = kmf.survival_function_
    t = sf.index.to_numpy(dtype=float)
    s = sf.iloc[:, 0].to_numpy()
    keep = np.concatenate([[True], np.diff(s) != 0])
    return t[keep], s[keep]


def _step(t: np.ndarray, s: np.ndarray, at: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(t, at, side="right") - 1
    return s[np.clip(idx, 0, len(s) - 1)]


def _mpl_figure(path: Path, *, percent: bool = False, ci: bool = True, fmt: str = "pdf",
                risk: bool = True) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lifelines.plotting import add_at_risk_counts

    df = _lung()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    fits = []
    for sex, g in df.groupby("sex"):
        k = lifelines.KaplanMeierFitter(label=f"sex={sex}").fit(g["time"], g["status"] == 1)
        k.plot_survival_function(ax=ax, show_censors=True, ci_show=ci)
        fits.append(k)
    if percent:
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    if risk:
        add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    fig.savefig(path, format=fmt)
    plt.close(fig)


@pytest.fixture(scope="module")
def figdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("digitize")
    _mpl_figure(d / "lung.pdf")
    _mpl_figure(d / "lung.svg", fmt="svg")
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text kept as <text> elements
        _mpl_figure(d / "lung_text.svg", fmt="svg")
    _mpl_figure(d / "lung_pct.pdf", percent=True, ci=False, risk=False)
    return d


def _check_curves(d: Digitized, *, tol: float) -> None:
    df = _lung()
    assert d.arms == ("sex=1", "sex=2")
    for curve, (_, g) in zip(d.curves, df.groupby("sex"), strict=True):
        t, s = _truth(g)
        # every step: the time and level of each drop
        assert len(curve.time) == len(t), curve.arm
        assert np.max(np.abs(curve.time - t)) <= tol * 1000, curve.arm  # x axis 0..1000
        assert np.max(np.abs(curve.surv - s)) <= tol, curve.arm
        assert curve.end == pytest.approx(g["time"].max(), abs=tol * 1000)
        cens = np.unique(g["time"][g["status"] == 0].to_numpy(dtype=float))
        assert len(curve.censor_times) == len(cens)
        assert np.max(np.abs(curve.censor_times - cens)) <= tol * 1000


@pytest.mark.parametrize("name", ["lung.pdf", "lung.svg", "lung_text.svg"])
def test_matplotlib_vector_figure_is_read_exactly(figdir: Path, name: str) -> None:
    d = digitize(figdir / name)
    assert d.kind == name.rsplit(".", 1)[1]
    assert d.confident, d.warnings
    assert d.calibration.x.source == "tick marks" and d.calibration.y.source == "tick marks"
    _check_curves(d, tol=1e-6)
    assert any("confidence bands" in n for n in d.notes)
    # numbers at risk at the x ticks: counted from the data
    df = _lung()
    risk = d.risk_frame()
    for arm, (_, g) in zip(d.arms, df.groupby("sex"), strict=True):
        r = risk[risk.arm == arm]
        assert r.time.tolist() == [0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]
        expected = [int((g["time"] >= t).sum()) for t in r.time]
        assert r.n_risk.tolist() == expected


def test_percent_axis_and_no_risk_table(figdir: Path) -> None:
    d = digitize(figdir / "lung_pct.pdf")
    assert d.calibration.y.percent
    _check_curves(d, tol=1e-6)
    assert not d.has_risk_table
    assert d.risk_frame().empty
    with pytest.raises(ValueError, match="n: the figure has no number-at-risk table"):
        d.ipd()


def test_to_frame_and_ipd(figdir: Path) -> None:
    d = digitize(figdir / "lung.pdf")
    f = d.to_frame()
    assert list(f.columns) == ["arm", "time", "surv"]
    assert set(f.arm) == {"sex=1", "sex=2"}
    ipd = d.ipd().data
    assert list(ipd.columns) == ["time", "event", "arm"]
    df = _lung()
    for arm, (_, g) in zip(d.arms, df.groupby("sex"), strict=True):
        sub = ipd[ipd.arm == arm]
        assert len(sub) == len(g)  # the table at time 0 gives the number of patients
    with pytest.raises(AttributeError):
        d.curves[0].arm = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        d.curves[0].time[0] = 5.0


def test_package_is_callable_and_keeps_its_submodules(figdir: Path) -> None:
    # survkit.digitize(path) reads the figure, and the name still leads to the submodules
    import importlib
    import inspect

    import survkit
    from survkit.digitize.core import digitize as function

    core = importlib.import_module("survkit.digitize.core")
    exec("import survkit.digitize.core as core_by_import", ns := {})  # the failing form
    assert ns["core_by_import"] is core
    assert survkit.digitize.core is core
    assert inspect.signature(survkit.digitize) == inspect.signature(function)
    a, b = survkit.digitize(figdir / "lung.pdf"), function(figdir / "lung.pdf")
    assert a.to_frame().equals(b.to_frame())


def test_arm_names_override_and_mismatch(figdir: Path) -> None:
    d = digitize(figdir / "lung.pdf", arms=["Male", "Female"])
    assert d.arms == ("Male", "Female")
    assert d.confident, d.warnings  # risk rows still found through the legend's names
    assert d.risk_frame().arm.unique().tolist() == ["Male", "Female"]
    with pytest.raises(ValueError, match="arms: 3 names given but 2 curves found"):
        digitize(figdir / "lung.pdf", arms=["a", "b", "c"])
    with pytest.raises(TypeError, match="arms must be a sequence of names"):
        digitize(figdir / "lung.pdf", arms="ab")


def test_bad_input(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        digitize(tmp_path / "missing.pdf")
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="not a PDF, SVG, PNG or JPEG"):
        digitize(bad)
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg><g></svg>")
    with pytest.raises(ValueError, match=r"cannot read .* as SVG"):
        digitize(broken)
    with pytest.raises(ValueError, match="x_range must be finite with low < high"):
        digitize(broken, x_range=(5, 1))


def test_figure_without_curves_is_an_error(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 10, 20], [0.2, 0.5, 0.4])  # not a staircase
    ax.set_ylim(0, 1)
    fig.savefig(tmp_path / "line.pdf")
    plt.close(fig)
    with pytest.raises(ValueError, match="no Kaplan–Meier curve"):
        digitize(tmp_path / "line.pdf")


@pytest.mark.filterwarnings("ignore:legend not read")
def test_identical_styles_warn(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.step([0, 5, 10, 15], [1.0, 0.8, 0.5, 0.5], where="post", color="k")
    ax.step([0, 3, 8, 15], [1.0, 0.9, 0.7, 0.7], where="post", color="k")
    ax.set_ylim(0, 1.05)
    fig.savefig(tmp_path / "bw.pdf")
    plt.close(fig)
    with pytest.warns(DigitizeWarning, match="share one colour and line style"):
        d = digitize(tmp_path / "bw.pdf")
    assert len(d.curves) == 2
    # a hand-made staircase: drops at 5 (to 0.8) and 10 (to 0.5); at 3 and 8 for the other
    levels = sorted((tuple(np.round(c.time, 5) + 0.0), tuple(np.round(c.surv, 5)))
                    for c in d.curves)
    assert levels == [((0.0, 3.0, 8.0), (1.0, 0.9, 0.7)), ((0.0, 5.0, 10.0), (1.0, 0.8, 0.5))]


def test_cli(figdir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    env_src = str(Path(__file__).resolve().parents[1] / "src")
    cmd = [sys.executable, "-m", "survkit", "digitize", str(figdir / "lung.pdf"),
           "--out", str(out), "--json"]
    res = subprocess.run(cmd, capture_output=True, text=True, env={"PYTHONPATH": env_src,
                                                                     "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert [a["name"] for a in summary["arms"]] == ["sex=1", "sex=2"]
    assert summary["risk_table"] is True and summary["confident"] is True
    for name in ("curves.csv", "risk_table.csv", "ipd.csv", "overlay.png", "censor_marks.csv"):
        assert (out / name).is_file(), name
    ipd = pd.read_csv(out / "ipd.csv")
    assert list(ipd.columns) == ["arm", "time", "event"]
    assert len(ipd) == len(_lung())
    bad = subprocess.run([sys.executable, "-m", "survkit", "digitize", str(tmp_path / "no.pdf"),
                          "--out", str(tmp_path / "o2")], capture_output=True, text=True,
                         env={"PYTHONPATH": env_src, "PATH": "/usr/bin:/bin"})
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "no such file" in bad.stderr
    assert not (tmp_path / "o2").exists()


R_BASE = r"""
library(survival)
args <- commandArgs(TRUE)
fit <- survfit(Surv(time, status) ~ sex, data = lung)
tt <- seq(0, 1000, 250)
s <- summary(fit, times = tt, extend = TRUE)
nr <- matrix(s$n.risk, nrow = 2, byrow = TRUE)
pdf(args[1], width = 7, height = 5)
par(mar = c(8, 6, 2, 2))
plot(fit, lty = c(1, 2), mark.time = TRUE, xlab = "Days", ylab = "Survival", xaxt = "n")
axis(1, at = tt)
legend("topright", legend = c("Male", "Female"), lty = c(1, 2))
mtext("Number at risk", side = 1, line = 4, adj = 0, at = -150)
mtext("Male", side = 1, line = 5, at = -150, adj = 0)
axis(1, at = tt, labels = nr[1, ], line = 4, tick = FALSE, lwd = 0)
mtext("Female", side = 1, line = 6, at = -150, adj = 0)
axis(1, at = tt, labels = nr[2, ], line = 5, tick = FALSE, lwd = 0)
dev.off()
pdf(args[2], width = 6, height = 5)
plot(survfit(Surv(time, status) ~ 1, data = lung), conf.int = TRUE, col = "darkred",
     xlab = "Days", yscale = 100, ylab = "Survival (%)", las = 1)
dev.off()
write.csv(data.frame(time = lung$time, status = lung$status - 1, sex = lung$sex), args[3],
          row.names = FALSE)
"""


@requires_rscript
def test_r_base_graphics_black_and_white_and_ci_lines(tmp_path: Path) -> None:
    script = tmp_path / "fig.R"
    script.write_text(R_BASE)
    a, b, data = tmp_path / "bw.pdf", tmp_path / "ci.pdf", tmp_path / "lung.csv"
    subprocess.run([str(RSCRIPT), str(script), str(a), str(b), str(data)], check=True,
                   capture_output=True)
    df = pd.read_csv(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DigitizeWarning)
        d = digitize(a)
    assert d.arms == ("Male", "Female")
    assert not d.curves[0].dashed and d.curves[1].dashed
    # R's pdf() writes coordinates to 0.01 pt: at ~2.8 days per point, steps within 0.03 days
    for curve, (_, g) in zip(d.curves, df.groupby("sex"), strict=True):
        g = g.rename(columns={"status": "status"})
        t, s = _truth(g.assign(status=g["status"]))
        assert len(curve.time) == len(t)
        assert np.max(np.abs(curve.time - t)) < 0.03
        assert np.max(np.abs(curve.surv - s)) < 1e-4
        r = d.risk_frame()
        r = r[r.arm == curve.arm]
        assert r.time.tolist() == [0.0, 250.0, 500.0, 750.0, 1000.0]
        assert r.n_risk.tolist() == [int((g["time"] >= x).sum()) for x in r.time]
        cens = np.unique(g["time"][g["status"] == 0].to_numpy(dtype=float))
        assert len(curve.censor_times) == len(cens)
    # one arm with dashed confidence limits, y in percent with horizontal labels
    d2 = digitize(b)
    assert len(d2.curves) == 1 and d2.calibration.y.percent
    assert any("confidence-limit lines" in n for n in d2.notes)
    t, s = _truth(df)
    assert np.max(np.abs(d2.curves[0].surv - s)) < 1e-4


requires_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract not installed: OCR not tested"
)


def test_raster_without_labels_needs_ranges(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.step([0, 5, 10], [1.0, 0.6, 0.6], where="post", color="#d55e00")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.savefig(tmp_path / "bare.png", dpi=100)
    plt.close(fig)
    with pytest.raises(ValueError, match=r"x axis: no row of increasing tick labels .*x_range"):
        digitize(tmp_path / "bare.png")


R_SVG = r"""
library(survival)
args <- commandArgs(TRUE)
svg(args[1], width = 6, height = 4.5)
plot(survfit(Surv(time, status) ~ sex, data = lung), col = c("red", "blue"), las = 1,
     mark.time = FALSE, xlab = "Days", ylab = "Survival")
legend("topright", legend = c("Male", "Female"), col = c("red", "blue"), lty = 1)
dev.off()
"""


@requires_rscript
@requires_tesseract
def test_r_svg_with_outlined_text_is_read_by_ocr(tmp_path: Path) -> None:
    """R's svg() writes text as glyph outlines: the labels are read by OCR, the curves exactly
    (Cairo stores coordinates to 1/256 pt, so steps are within 1e-4 in S)."""
    script = tmp_path / "svg.R"
    script.write_text(R_SVG)
    subprocess.run([str(RSCRIPT), str(script), str(tmp_path / "r.svg")], check=True,
                   capture_output=True)
    d = digitize(tmp_path / "r.svg")
    assert any("OCR" in n for n in d.notes)
    assert d.arms == ("Male", "Female")
    df = _lung()
    for curve, (_, g) in zip(d.curves, df.groupby("sex"), strict=True):
        t, s = _truth(g)
        assert len(curve.time) == len(t)
        assert np.max(np.abs(curve.surv - s)) < 1e-4
        assert np.max(np.abs(curve.time - t)) < 0.1


def test_rising_curves_are_refused_by_name(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.step([0, 5, 10, 15], [0.0, 0.2, 0.5, 0.5], where="post", color="C0")
    ax.set_ylim(0, 1)
    fig.savefig(tmp_path / "cif.pdf")
    plt.close(fig)
    with pytest.raises(ValueError, match=r"rising curves \(cumulative incidence\) are not read"):
        digitize(tmp_path / "cif.pdf")


@requires_rscript
@requires_tesseract
def test_picture_inside_a_pdf_is_read_as_raster(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.step([0, 5, 10, 20], [1.0, 0.8, 0.5, 0.5], where="post", color="#d55e00", lw=1.5)
    ax.set_ylim(0, 1.05)
    ax.set_xlim(0, 20)
    fig.savefig(tmp_path / "one.png", dpi=150)
    plt.close(fig)
    script = tmp_path / "emb.R"
    script.write_text(
        'a <- commandArgs(TRUE); pdf(a[2], 6, 4); par(mar = c(0, 0, 0, 0)); plot.new()\n'
        'rasterImage(png::readPNG(a[1]), 0, 0, 1, 1); dev.off()\n')
    res = subprocess.run([str(RSCRIPT), str(script), str(tmp_path / "one.png"),
                          str(tmp_path / "emb.pdf")], capture_output=True)
    if res.returncode != 0:
        pytest.skip("R package png not available")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        d = digitize(tmp_path / "emb.pdf")
    assert d.kind == "raster"
    assert any("image inside the PDF" in n for n in d.notes)
    # a hand-made staircase: drops at 5 (to 0.8) and 10 (to 0.5)
    c = d.curves[0]
    assert c.at([2.0, 7.0, 15.0]) == pytest.approx([1.0, 0.8, 0.5], abs=0.02)
