"""One consistent public API: result objects, .plot() -> Axes, lazy plot_km, no silent drops.

Expected numbers come from R (tests/r/cox_arms.R -> tests/fixtures/cox_arms.csv; survdiff
values quoted in comments) or are derived by hand in comments.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from survkit.datasets import load_example
from survkit.estimate.km import kaplan_meier
from survkit.ipd import (
    IPDResult,
    check_hr_ipd,
    compare_arms,
    reconstruct_ipd,
    reconstruct_ipd_arms,
)
from survkit.show.ensemble import EndpointDraws, plot_reproduction, risk_counts

matplotlib.use("Agg")

FIX = Path(__file__).parent / "fixtures"
SRC = str(Path(__file__).resolve().parents[1] / "src")


# ----------------------------------------------------------------------------- log-rank guard
def test_logrank_refuses_weights_and_entry() -> None:
    aml = load_example("aml")
    # R: survdiff(Surv(time, status) ~ x, data = aml)$chisq = 3.3963886989776 (no weights)
    plain = kaplan_meier("time", "status", data=aml, by="x").logrank()
    assert plain.statistic == pytest.approx(3.3963886989776, rel=1e-12)
    # R survdiff has no weights argument and rejects Surv(entry, time, status) ("Right censored
    # data only"); before, survkit silently dropped them and returned 1.3933-like statistics.
    w = aml.assign(w=np.linspace(0.5, 2.0, len(aml)), a=0.5 * aml["time"].min())
    for kw, word in (({"weights": "w"}, "weights="), ({"entry": "a"}, "entry=")):
        groups = kaplan_meier("time", "status", data=w, by="x", **kw)
        with pytest.raises(ValueError, match=word):
            groups.logrank()


# ----------------------------------------------------------------------------- lazy plot_km
def test_import_survkit_does_not_load_matplotlib_and_plot_km_is_lazy() -> None:
    code = (
        "import sys, survkit; a = 'matplotlib' in sys.modules; "
        "f = survkit.plot_km; import survkit.show.km as m; "
        "print(a, f is m.plot_km, 'plot_km' in dir(survkit))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.split() == ["False", "True", "True"]


def test_unknown_top_level_name_is_an_attribute_error() -> None:
    import survkit

    with pytest.raises(AttributeError, match="no attribute 'plot_kmm'"):
        survkit.plot_kmm  # noqa: B018


# ----------------------------------------------------------------------------- .plot() -> Axes
EX2 = pd.DataFrame({"time": [1, 1, 2, 2, 4, 4, 6], "surv": [1, 0.9, 0.9, 0.675, 0.675, 0.3375,
                                                            0.3375]})
EX2_RISK = pd.DataFrame({"time": [0, 3], "n_risk": [10, 6]})


def test_every_plot_returns_axes() -> None:
    aml = load_example("aml")
    fit = kaplan_meier(aml["time"], aml["status"])
    groups = kaplan_meier("time", "status", data=aml, by="x")
    ipd = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=6)
    arms = reconstruct_ipd_arms({"A": {"points": EX2, "risk_table": EX2_RISK},
                                 "B": {"points": EX2, "n": 10}})
    for obj in (fit, groups, ipd, ipd.report, arms, arms.report):
        ax = obj.plot()
        assert isinstance(ax, Axes), type(obj)
        plt.close("all")


# ----------------------------------------------------------------------------- IPD result
def test_reconstruct_ipd_returns_a_result_object() -> None:
    res = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=6)
    assert isinstance(res, IPDResult)
    assert list(res.to_frame().columns) == ["time", "event"]
    assert res.to_frame().attrs == {}  # nothing hidden in DataFrame.attrs
    # hand example (tests/test_ipd.py EX2): printed numbers at risk and events met exactly
    assert res.report.n == 10 and res.report.n_events == 6
    assert res.trustworthy and res.flags == ()


def test_percent_curve_with_tail_at_zero_is_percent() -> None:
    # 100, 50, 0 percent: the values at or below 1.02 (0) are the tail of the curve
    pts = pd.DataFrame({"time": [0, 1, 1, 2, 2, 3], "surv": [100, 100, 50, 50, 0, 0]})
    res = reconstruct_ipd(pts, n=4)
    assert res.report.scale == "percent"
    # S: 1 -> 0.5 at t = 1 (2 of 4 events) -> 0 at t = 2 (the other 2)
    assert res.data["event"].tolist() == [1, 1, 1, 1]


def test_stray_low_click_in_a_percent_curve_is_ambiguous() -> None:
    pts = pd.DataFrame({"time": [0, 1, 1, 2, 3, 4], "surv": [100, 100, 80, 0.5, 80, 60]})
    with pytest.raises(ValueError, match="cannot tell whether survival is a fraction or percent"):
        reconstruct_ipd(pts, n=10)
    res = reconstruct_ipd(pts, n=10, scale="percent")  # the user decides: then it is flagged
    assert not res.trustworthy


def test_events_at_time_zero_are_flagged() -> None:
    # A curve that drops at once to 0.1: 9 of 10 patients die at t = 0 (hand: 10 * (1 - 0.1)).
    pts = pd.DataFrame({"time": [0, 0, 5], "surv": [1.0, 0.1, 0.1]})
    res = reconstruct_ipd(pts, n=10, total_events=9)
    assert int(((res.data["time"] == 0) & (res.data["event"] == 1)).sum()) == 9
    assert any("event at time 0" in f for f in res.flags)
    assert "DO NOT TRUST" in str(res)


# ----------------------------------------------------------------------------- Cox vs R
def _r_rows(dataset: str) -> pd.DataFrame:
    r = pd.read_csv(FIX / "cox_arms.csv", dtype={"arm": str, "reference": str})
    return r[r["dataset"] == dataset].reset_index(drop=True)


def test_compare_arms_matches_r_coxph_two_arms() -> None:
    aml = load_example("aml").rename(columns={"status": "event", "x": "arm"})
    got = compare_arms(aml, reference="Maintained").to_frame()
    r = _r_rows("aml")
    # both Newton-Raphson fits converged (lifelines precision 1e-14, R eps 1e-9)
    for col in ("coef", "hr", "se", "lower", "upper", "p_wald"):
        np.testing.assert_allclose(got[col], r[col], rtol=1e-7, err_msg=col)
    np.testing.assert_allclose(got["logrank_chisq"], r["logrank_chisq"], rtol=1e-12)


def test_compare_arms_matches_r_coxph_three_arms() -> None:
    d = pd.read_csv(FIX / "cox_arms_lung_ecog.csv", dtype={"arm": str})
    got = compare_arms(d, reference="0").to_frame()
    r = _r_rows("lung_ecog")
    assert got["arm"].tolist() == r["arm"].tolist() == ["1", "2"]
    for col in ("coef", "hr", "se", "lower", "upper", "p_wald"):
        np.testing.assert_allclose(got[col], r[col], rtol=1e-7, err_msg=col)
    np.testing.assert_allclose(got["logrank_p"], r["logrank_p"], rtol=1e-10)


def test_check_hr_ipd_against_printed() -> None:
    aml = load_example("aml").rename(columns={"status": "event", "x": "arm"})
    # R coxph: HR 2.498 (0.9159 to 6.813); printed as 2.50 (0.92 to 6.81) it agrees,
    # a printed HR whose CI excludes 2.498 does not.
    ok = check_hr_ipd("HR 2.50 (95% CI, 0.92 to 6.81)", aml, reference="Maintained")
    assert ok.agrees and ok.arm == "Nonmaintained"
    bad = check_hr_ipd("HR 0.65 (95% CI, 0.50 to 0.85)", aml, reference="Maintained")
    assert not bad.agrees and "OUTSIDE" in str(bad)


def test_compare_arms_bad_input() -> None:
    d = pd.DataFrame({"time": [1, 2], "event": [1, 0], "arm": ["a", "a"]})
    with pytest.raises(ValueError, match="two arms"):
        compare_arms(d)
    with pytest.raises(ValueError, match="reference"):
        compare_arms(d.assign(arm=["a", "b"]), reference="c")
    with pytest.raises(TypeError, match="IPDResult or a DataFrame"):
        compare_arms([1, 2])


def test_compare_arms_without_events_in_one_arm() -> None:
    d = pd.DataFrame({"time": [1, 2, 3, 4], "event": [1, 1, 0, 0], "arm": ["a", "a", "b", "b"]})
    res = compare_arms(d)
    assert np.isnan(res.hr[0]) and "no events" in res.notes[0]


# ----------------------------------------------------------------------------- the figure
def _toy_patients() -> pd.DataFrame:
    # Two draws of 3 patients. Draw 0: events at 1 and 2, censored at 4. Draw 1: event at 1,
    # censored at 3 and 4.
    return pd.DataFrame({
        "draw": [0, 0, 0, 1, 1, 1],
        "os_months": [1.0, 2.0, 4.0, 1.0, 3.0, 4.0],
        "os_event": [True, True, False, True, False, False],
    })


def test_risk_counts_by_hand() -> None:
    p = _toy_patients()
    d = EndpointDraws("OS", p["os_months"].to_numpy().reshape(2, 3),
                      p["os_event"].to_numpy().reshape(2, 3), (), 0.0)
    rows = risk_counts(d, np.array([0.0, 2.0, 3.5]))
    # t = 0: 3 at risk in both; t = 2: at risk (time >= 2) 2 and 2; events by 2: 2 and 1
    # (lower median of {1, 2} is 1); censored by 2: 0 and 0; t = 3.5: at risk 1 and 1,
    # events 2 and 1, censored 0 and 1.
    assert rows["At risk"] == ["3", "2", "1"]
    assert rows["Events"] == ["0", "1 (1\u20132)", "1 (1\u20132)"]
    assert rows["Censored"] == ["0", "0", "0 (0\u20131)"]


def test_plot_reproduction_is_honest() -> None:
    class Ep:
        name = "OS"
        landmarks = ({"time": 2.0, "text": "67% (95% CI, 5-95)"},)
        median = None

    ax = plot_reproduction(_toy_patients(), [Ep()], max_time=4.0, title="toy")
    assert isinstance(ax, Axes)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("reconstructions" in x and "not a CI" in x for x in labels)
    assert any("Printed estimate with its CI" in x for x in labels)
    assert any("No printed estimate" in x for x in labels)
    texts = [t.get_text() for t in ax.texts]
    assert "no printed estimate after 2 months" in texts
    plt.close("all")
