"""Tests of the Kaplan-Meier figure (survkit.show.km) and the shared plot helpers.

Expected numbers are derived by hand below (or from R where stated), never from survkit.

Dataset A (8 patients; "+" = censored):   1, 2, 2+, 3, 4+, 5, 5, 6+
  t  at risk  events  censored   S(t)
  1     8       1        0       7/8
  2     7       1        1       7/8 * 6/7 = 3/4
  3     5       1        0       3/4 * 4/5 = 3/5
  4     4       0        1       3/5
  5     3       2        0       3/5 * 1/3 = 1/5
  6     1       0        1       1/5
  Number at risk just before t (R's summary(fit, times=) convention):
  t = 0: 8, 1: 8, 2: 7, 2.5: 5, 3: 5, 4: 4, 5: 3, 6: 1, 7: 0 (past the end).
  Median: first time S < 0.5 is t = 5.

Dataset B (4 patients):   1+, 3, 3, 7
  t = 1: r = 4, censored -> S = 1;  t = 3: r = 3, d = 2 -> S = 1/3;  t = 7: r = 1, d = 1 -> S = 0.
  At risk just before 0: 4, 2: 3, 4: 1, 6: 1, 8: 0.  Median: 3.

R survival 3.5.3, survdiff(Surv(t, e) ~ g) on A vs B: chisq 0.0563 on 1 df, p = 0.812371689674982.
"""

from __future__ import annotations

import math
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.estimate.km import kaplan_meier
from survkit.show._common import (
    OKABE_ITO,
    PALETTE,
    format_p,
    overlay_printed,
    palette,
)
from survkit.show.km import KMPlot, plot_km, step_vertices

A_TIME = [1, 2, 2, 3, 4, 5, 5, 6]
A_EVENT = [1, 1, 0, 1, 0, 1, 1, 0]
B_TIME = [1, 3, 3, 7]
B_EVENT = [0, 1, 1, 1]

# Hand-derived step vertices (see the module docstring).
A_VERTICES = [
    (0, 1), (1, 1), (1, 7 / 8), (2, 7 / 8), (2, 3 / 4), (3, 3 / 4), (3, 3 / 5),
    (5, 3 / 5), (5, 1 / 5), (6, 1 / 5),
]
B_VERTICES = [(0, 1), (3, 1), (3, 1 / 3), (7, 1 / 3), (7, 0)]


@pytest.fixture(autouse=True)
def _close_figures() -> object:
    yield None
    plt.close("all")


@pytest.fixture
def fit_a() -> object:
    return kaplan_meier(A_TIME, A_EVENT)


@pytest.fixture
def groups() -> object:
    df = pd.DataFrame(
        {"t": A_TIME + B_TIME, "e": A_EVENT + B_EVENT, "g": ["A"] * 8 + ["B"] * 4}
    )
    return kaplan_meier(data=df, time="t", event="e", by="g")


def _xy(line: object) -> list[tuple[float, float]]:
    data = np.asarray(line.get_xydata())  # type: ignore[attr-defined]
    return [(float(x), float(y)) for x, y in data]


def test_step_vertices_hand_computed() -> None:
    x, y = step_vertices([1, 2, 3, 4, 5, 6], [7 / 8, 3 / 4, 3 / 5, 3 / 5, 1 / 5, 1 / 5])
    np.testing.assert_allclose(np.column_stack([x, y]), np.array(A_VERTICES), rtol=0, atol=1e-15)


def test_step_vertices_drop_at_time_zero() -> None:
    # Two of four patients die at t = 0: the curve starts at (0, 1) and drops at once to 1/2.
    x, y = step_vertices([0.0, 2.0], [0.5, 0.5])
    np.testing.assert_array_equal(x, [0, 0, 2])
    np.testing.assert_array_equal(y, [1, 0.5, 0.5])


def test_curve_vertices_equal_step_function(fit_a: object) -> None:
    res = plot_km(fit_a)
    assert isinstance(res, KMPlot)
    np.testing.assert_allclose(
        np.array(_xy(res.lines["All"])), np.array(A_VERTICES), rtol=0, atol=1e-12
    )
    # Post-step: the curve is flat on [t_i, t_{i+1}) and the drawing is a plain polyline.
    assert res.lines["All"].get_drawstyle() == "default"


def test_censor_marks_at_censored_times(fit_a: object) -> None:
    res = plot_km(fit_a)
    np.testing.assert_allclose(
        np.array(_xy(res.censor_marks["All"])),
        [(2, 3 / 4), (4, 3 / 5), (6, 1 / 5)],
        rtol=0,
        atol=1e-12,
    )
    res2 = plot_km(fit_a, censor_marks=False)
    assert res2.censor_marks == {}


def test_risk_table_numbers_hand_counted(fit_a: object) -> None:
    ticks = [0, 1, 2, 2.5, 3, 4, 5, 6, 7]
    res = plot_km(fit_a, risk_table=True, times=ticks)
    assert res.risk_table is not None
    assert list(res.risk_table.index) == ticks
    assert list(res.risk_table["All"]) == [8, 8, 7, 5, 5, 4, 3, 1, 0]
    # The numbers are written in the table axes, one per tick, centred on the tick.
    assert res.risk_table_ax is not None
    texts = [(t.get_position()[0], t.get_text()) for t in res.risk_table_ax.texts]
    expected = ["8", "8", "7", "5", "5", "4", "3", "1", "0"]
    assert texts == list(zip(ticks, expected, strict=True))


def test_risk_table_aligned_with_x_axis(fit_a: object) -> None:
    res = plot_km(fit_a, risk_table=True, times=[0, 2, 4, 6])
    assert res.risk_table_ax is not None
    assert res.risk_table_ax.get_xlim() == res.ax.get_xlim()
    res.figure.canvas.draw()
    # Each number sits at the same display x as the corresponding tick of the curve axes.
    ticks_px = [res.ax.transData.transform((t, 0))[0] for t in [0, 2, 4, 6]]
    text_px = [
        res.risk_table_ax.transData.transform((t.get_position()[0], 0))[0]
        for t in res.risk_table_ax.texts
    ]
    np.testing.assert_allclose(text_px, ticks_px, atol=1e-6)
    # The table sits below the curve axes.
    assert res.risk_table_ax.get_position().y1 < res.ax.get_position().y0
    np.testing.assert_allclose(res.ax.get_xticks(), [0, 2, 4, 6])


def test_risk_table_default_ticks(fit_a: object) -> None:
    res = plot_km(fit_a, risk_table=True)
    assert res.risk_table is not None
    at_risk = {0: 8, 1: 8, 2: 7, 3: 5, 4: 4, 5: 3, 6: 1}
    ticks = list(res.risk_table.index)
    assert ticks[0] == 0 and ticks[-1] <= 6
    for t in ticks:
        # Just before t: count of patients with time >= t (hand count on dataset A).
        expected = sum(1 for x in A_TIME if x >= t)
        assert res.risk_table.loc[t, "All"] == expected
        if float(t).is_integer():
            assert expected == at_risk[int(t)]


def test_groups_curves_marks_table_logrank(groups: object) -> None:
    pytest.importorskip("survkit.estimate.logrank", reason="log-rank module not available")
    res = plot_km(groups, risk_table=True, times=[0, 2, 4, 6, 8])
    assert set(res.lines) == {"A", "B"}
    np.testing.assert_allclose(np.array(_xy(res.lines["A"])), np.array(A_VERTICES), atol=1e-12)
    np.testing.assert_allclose(np.array(_xy(res.lines["B"])), np.array(B_VERTICES), atol=1e-12)
    np.testing.assert_allclose(np.array(_xy(res.censor_marks["B"])), [(1, 1)], atol=1e-12)
    assert res.risk_table is not None
    assert list(res.risk_table["A"]) == [8, 7, 4, 1, 0]
    assert list(res.risk_table["B"]) == [4, 3, 1, 1, 0]
    # Okabe-Ito: blue, then vermillion.
    assert matplotlib.colors.to_hex(res.lines["A"].get_color()).upper() == OKABE_ITO["blue"]
    assert matplotlib.colors.to_hex(res.lines["B"].get_color()).upper() == OKABE_ITO["vermillion"]
    # R survdiff p = 0.812371689674982 -> three significant digits.
    assert res.logrank_text is not None
    assert res.logrank_text.get_text() == "Log-rank p = 0.812"
    assert res.ax.get_legend() is not None
    # Group .plot() forwards to plot_km and returns the Axes, as every .plot() does.
    ax2 = groups.plot(logrank=False)
    assert isinstance(ax2, matplotlib.axes.Axes) and len(ax2.lines) >= 2


def test_groups_without_logrank(groups: object) -> None:
    res = plot_km(groups, logrank=False, labels={"A": "Arm A", "B": "Arm B"},
                  colors=["#000000", "#E69F00"])
    assert set(res.lines) == {"Arm A", "Arm B"}
    assert res.lines["Arm A"].get_color() == "#000000"
    assert res.logrank_text is None


def test_bands_follow_the_fit_and_nan_bands(groups: object) -> None:
    res = plot_km(groups, logrank=False)
    # A, log transform: at t = 1, S = 7/8, Var(log S) = d / (r (r - d)) = 1 / 56;
    # lower = 7/8 * exp(-1.959963984540054 * sqrt(1/56)) = 0.673381936505955 (R agrees).
    lower_1 = 7 / 8 * math.exp(-1.959963984540054 * math.sqrt(1 / 56))
    assert lower_1 == pytest.approx(0.673381936505955, abs=1e-12)
    verts = np.concatenate([p.vertices for p in res.bands["A"].get_paths()])
    assert np.isfinite(verts).all()
    on_step = verts[np.isclose(verts[:, 1], lower_1, atol=1e-12)]
    assert set(np.round(on_step[:, 0], 12)) <= {1.0, 2.0} and len(on_step) >= 2
    # B reaches S = 0 at t = 7, where the log band is undefined (NaN): the band collapses onto
    # the curve there, so no NaN vertex and nothing drawn past x = 7. On [3, 7) the band is
    # S = 1/3, Var(log S) = 2 / (3 * 1) -> [1/3 exp(-1.96 sqrt(2/3)), 1] = [0.0673, 1].
    lower_3 = 1 / 3 * math.exp(-1.959963984540054 * math.sqrt(2 / 3))
    paths = res.bands["B"].get_paths()
    vb = np.concatenate([p.vertices for p in paths])
    assert np.isfinite(vb).all()
    assert vb[:, 0].max() == 7.0
    assert any(p.contains_point((5.0, lower_3 + 0.01)) for p in paths)
    assert not any(p.contains_point((5.0, lower_3 - 0.01)) for p in paths)


def test_loglog_band_at_s_equal_one() -> None:
    # B alone with log-log: S = 1 at t = 1 (censoring only); R's band is NA there, drawn [1, 1].
    fit = kaplan_meier(B_TIME, B_EVENT, conf_type="log-log")
    assert np.isnan(fit.lower[0])
    res = plot_km(fit)
    v = np.concatenate([p.vertices for p in res.bands["All"].get_paths()])
    assert np.isfinite(v).all()
    assert np.all(v[(v[:, 0] >= 0) & (v[:, 0] < 3), 1] == 1.0)


def test_median_lines(groups: object) -> None:
    res = plot_km(groups, median_line=True, logrank=False)
    # Hand-derived medians: A = 5, B = 3; the vertical guide runs from 0 to 0.5.
    for label, med in (("A", 5.0), ("B", 3.0)):
        hline, vline = res.median_lines[label]
        assert _xy(vline) == [(med, 0.0), (med, 0.5)]
        assert _xy(hline) == [(0.0, 0.5), (5.0, 0.5)]


def test_median_not_reached_no_line() -> None:
    fit = kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0])  # S = 3/4 at the end: no median
    res = plot_km(fit, median_line=True)
    assert res.median_lines == {}


def test_publication_defaults_and_percent(fit_a: object) -> None:
    res = plot_km(fit_a, percent=True, title="T", xlabel="Months")
    ax = res.ax
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    lo, hi = ax.get_ylim()
    assert lo == 0.0 and 1.0 <= hi <= 1.05
    assert ax.get_xlim()[0] == 0.0 and ax.get_xlim()[1] == 6.0
    assert ax.yaxis.get_major_formatter()(0.6, 0) == "60%"
    assert ax.get_xlabel() == "Months" and ax.get_title() == "T"


def test_given_axes_and_plot_method(fit_a: object) -> None:
    fig, ax = plt.subplots()
    assert fit_a.plot(ax=ax, risk_table=True, times=[0, 3, 6]) is ax
    assert len(fig.axes) == 2  # the curve and the risk table
    res = plot_km(fit_a, risk_table=True, times=[0, 3, 6])
    assert res.risk_table_ax is not None and res.risk_table_ax.figure is res.figure


def test_show_printed_overlay(fit_a: object) -> None:
    res = plot_km(
        fit_a,
        show_printed=[{"time": 3, "estimate": 0.6, "lower": 0.33, "upper": 1.0, "label": "3-y"},
                      (5, 0.2)],
    )
    assert len(res.printed) == 2
    seg = res.printed[0].lines[2][0].get_segments()[0]
    np.testing.assert_allclose(seg, [[3, 0.33], [3, 1.0]])


def test_overlay_printed_whiskers_and_validation() -> None:
    _fig, ax = plt.subplots()
    c = overlay_printed(ax, 12, 0.68, 0.43, 1.0, "1-year OS")
    np.testing.assert_allclose(c.lines[0].get_xydata(), [[12, 0.68]])
    np.testing.assert_allclose(c.lines[2][0].get_segments()[0], [[12, 0.43], [12, 1.0]])
    assert any(t.get_text() == "1-year OS" for t in ax.texts)
    c2 = overlay_printed(ax, 24, 0.5, None, float("nan"))  # no CI printed: no whisker length
    np.testing.assert_allclose(c2.lines[2][0].get_segments()[0], [[24, 0.5], [24, 0.5]])
    with pytest.raises(ValueError, match=r"estimate.*divide percentages by 100"):
        overlay_printed(ax, 12, 68, 43, 100)
    with pytest.raises(ValueError, match="lower"):
        overlay_printed(ax, 12, 0.5, 0.6, 0.7)
    with pytest.raises(ValueError, match="time"):
        overlay_printed(ax, -1, 0.5)


def test_format_p() -> None:
    assert format_p(0.012345) == "p = 0.0123"
    assert format_p(0.5) == "p = 0.5"
    assert format_p(0.0002) == "p < 0.001"
    assert format_p(0.001) == "p = 0.001"
    assert format_p(float("nan")) == "p = NA"
    with pytest.raises(ValueError, match="p must be in"):
        format_p(1.5)


def test_palette_is_okabe_ito() -> None:
    assert set(PALETTE) == set(OKABE_ITO.values())
    assert palette(10)[8] == PALETTE[0]
    with pytest.raises(ValueError, match="n must be"):
        palette(-1)


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="fit must be a KaplanMeier"):
        plot_km(42)
    with pytest.raises(ValueError, match="empty group"):
        plot_km({})
    fit = kaplan_meier(A_TIME, A_EVENT)
    with pytest.raises(ValueError, match=r"times\[1\]"):
        plot_km(fit, risk_table=True, times=[0, -1])
    with pytest.raises(ValueError, match="labels has 2 entries"):
        plot_km(fit, labels=["a", "b"])


def test_saves_png_under_agg(tmp_path: object, groups: object) -> None:
    out = tmp_path / "km.png"  # type: ignore[operator]
    res = plot_km(groups, risk_table=True, logrank=False, median_line=True)
    res.savefig(out, dpi=60)
    assert out.stat().st_size > 5000


def test_estimate_does_not_import_show_or_matplotlib() -> None:
    code = (
        "import sys, survkit.estimate.km; "
        "print(any(m.startswith(('survkit.show', 'matplotlib')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _brute_km(time: list[float], event: list[int]) -> tuple[list[float], list[float]]:
    """Product-limit estimate by direct counting (independent of survkit)."""
    times = sorted(set(time))
    s, out = 1.0, []
    for u in times:
        r = sum(1 for x in time if x >= u)
        d = sum(1 for x, e in zip(time, event, strict=True) if x == u and e == 1)
        s *= 1 - d / r
        out.append(s)
    return times, out


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 1)), min_size=1, max_size=25
    ),
    st.lists(st.floats(0, 22, allow_nan=False), min_size=1, max_size=10),
)
def test_step_vertices_property(data: list[tuple[int, int]], queries: list[float]) -> None:
    time = [float(t) for t, _ in data]
    event = [e for _, e in data]
    t, s = _brute_km(time, event)
    x, y = step_vertices(t, s)
    assert x[0] == 0.0 and y[0] == 1.0
    assert np.all(np.diff(x) >= 0) and np.all(np.diff(y) <= 0)
    assert x[-1] == t[-1] and y[-1] == pytest.approx(s[-1], abs=0)
    for q in queries:
        if q > t[-1]:
            continue
        # Right-continuous reading of the polyline: the last vertex with x <= q.
        drawn = y[np.flatnonzero(x <= q)[-1]]
        k = [i for i, u in enumerate(t) if u <= q]
        expected = s[k[-1]] if k else 1.0
        assert drawn == expected
