"""Exact IPD reconstruction (survkit.ipd.exact) from curves whose steps are known precisely.

Expected values come from R survival (tests/r/make_ipd_exact_fixtures.R: survfit's step
levels rounded to 6 decimals, n.risk / n.event at each step, numbers at risk #(T >= t) at the
table times, medians) or from the data a test draws; the rebuilt data's Kaplan–Meier curve is
computed by the plain product-limit loop below (written out here, not survkit's).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, load_json, r_float
from survkit import reconstruct_ipd, reconstruct_ipd_arms

CASES = load_json(FIXTURES / "ipd" / "exact_curves.json")


def km(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                        np.ndarray]:
    """Product-limit estimate at the distinct event times: (time, surv, n_risk, n_event)."""
    ut = np.unique(time[event == 1])
    s, out_s, out_n, out_d = 1.0, [], [], []
    for u in ut:
        n = int(np.sum(time >= u))
        d = int(np.sum((time == u) & (event == 1)))
        s *= (n - d) / n  # R survfitkm.c: km *= (nrisk - d) / nrisk
        out_s.append(s)
        out_n.append(n)
        out_d.append(d)
    return ut, np.array(out_s), np.array(out_n), np.array(out_d)


def km_median(t: np.ndarray, s: np.ndarray) -> float:
    """R's median: the first time S <= 1/2 (midpoint when S sits at exactly 1/2)."""
    below = np.flatnonzero(s <= 0.5 + 1e-12)
    if not below.size:
        return float("nan")
    i = int(below[0])
    if abs(s[i] - 0.5) < 1e-12 and i + 1 < t.size:
        return float((t[i] + t[i + 1]) / 2)
    return float(t[i])


def points_of(case: dict) -> pd.DataFrame:
    t = np.concatenate(([0.0], case["step_time"], [case["end"]]))
    s = np.concatenate(([1.0], case["step_surv"], [case["step_surv"][-1]]))
    return pd.DataFrame({"time": t, "surv": s})


def table_of(case: dict) -> pd.DataFrame:
    return pd.DataFrame({"time": case["risk_time"], "n_risk": case["risk_n"]})


@pytest.mark.parametrize("marks", [True, False], ids=["marks", "no-marks"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_real_data_steps_and_table_exact(case: dict, marks: bool) -> None:
    res = reconstruct_ipd(points_of(case), risk_table=table_of(case),
                          censor_marks=case["censor_times"] if marks else None,
                          method="exact", surv_tol=1e-6)
    assert res.report.method == "exact"
    t = res.data["time"].to_numpy()
    e = res.data["event"].to_numpy()
    kt, ks, kn, kd = km(t, e)
    # every step of R's curve, at R's times, within 1e-6 (levels printed to 6 decimals)
    np.testing.assert_allclose(kt, case["step_time"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(ks, case["step_surv"], rtol=0, atol=1e-6)
    # every printed number at risk, #(T >= t), exactly
    rebuilt = [int(np.sum(t >= x)) for x in case["risk_time"]]
    assert rebuilt == case["risk_n"]
    assert len(t) == case["n"]
    med = r_float(case["median"])
    assert km_median(kt, ks) == pytest.approx(med, abs=1e-9, nan_ok=True)
    if marks:
        # with every censoring time drawn, the history is the true one: R's n.risk, n.event
        assert kn.tolist() == case["step_n_risk"]
        assert kd.tolist() == case["step_n_event"]
        assert int(e.sum()) == case["events"]


def test_colon_ties_recovered_without_marks() -> None:
    """colon (recurrence) has tied events at 17 Lev steps: the events per step come back."""
    case = next(c for c in CASES if c["name"] == "colon_rx:Lev")
    res = reconstruct_ipd(points_of(case), risk_table=table_of(case), method="exact",
                          surv_tol=1e-6)
    _, _, _, kd = km(res.data["time"].to_numpy(), res.data["event"].to_numpy())
    assert kd.tolist() == case["step_n_event"]
    assert "history" in res.report.method_note


@st.composite
def small_data(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(3, 40))
    t = np.array(draw(st.lists(st.integers(1, 30), min_size=n, max_size=n)), dtype=float)
    e = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    if e.sum() == 0:
        e[0] = 1
    return t, e


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_data(), st.booleans())
def test_random_small_data(data: tuple[np.ndarray, np.ndarray], with_marks: bool) -> None:
    t, e = data
    kt, ks, _, _ = km(t, e)
    ks6 = np.round(ks, 6)
    pts = (np.concatenate(([0.0], kt, [t.max()])), np.concatenate(([1.0], ks6, [ks6[-1]])))
    times = np.array([0.0, 10.0, 20.0])
    table = (times, np.array([int(np.sum(t >= x)) for x in times]))
    marks = np.unique(t[e == 0]) if with_marks and (e == 0).any() else None
    res = reconstruct_ipd(pts, risk_table=table, censor_marks=marks, method="exact",
                          surv_tol=1e-6)
    rt = res.data["time"].to_numpy()
    rk_t, rk_s, _, _ = km(rt, res.data["event"].to_numpy())
    assert rk_t.size == kt.size
    np.testing.assert_allclose(rk_t, kt, atol=1e-9)
    np.testing.assert_allclose(rk_s, ks6, atol=1e-6)
    assert [int(np.sum(rt >= x)) for x in times] == table[1].tolist()
    assert len(rt) == len(t)


def _misread(case: dict) -> pd.DataFrame:
    pts = points_of(case).copy()
    pts.loc[10, "surv"] -= 0.004  # one step read 0.004 too low (two pixels of a raster)
    pts.loc[11:, "surv"] = np.minimum(pts.loc[11:, "surv"], pts.loc[10, "surv"])
    return pts


def test_misread_step_falls_back_with_flag() -> None:
    case = next(c for c in CASES if c["name"] == "lung_sex:2")
    pts = _misread(case)
    res = reconstruct_ipd(pts, risk_table=table_of(case), method="auto", surv_tol=1e-6)
    assert res.report.method == "guyot"
    assert any(f.startswith("no exact history") for f in res.flags)
    assert "DO NOT TRUST: no exact history" in str(res.report)
    with pytest.raises(ValueError, match="method='exact'"):
        reconstruct_ipd(pts, risk_table=table_of(case), method="exact", surv_tol=1e-6)
    # the true curve is exact under "auto" with the same tolerance
    ok = reconstruct_ipd(points_of(case), risk_table=table_of(case), surv_tol=1e-6)
    assert ok.report.method == "exact" and not ok.flags


def test_default_is_guyot_and_arguments_are_checked() -> None:
    case = next(c for c in CASES if c["name"] == "veteran_trt:1")
    res = reconstruct_ipd(points_of(case), risk_table=table_of(case))
    assert res.report.method == "guyot" and res.report.method_note == ""
    with pytest.raises(ValueError, match="surv_tol is required"):
        reconstruct_ipd(points_of(case), risk_table=table_of(case), method="exact")
    with pytest.raises(ValueError, match="method must be"):
        reconstruct_ipd(points_of(case), risk_table=table_of(case), method="grim")  # type: ignore[arg-type]
    for bad in (0.0, -1e-6, 0.5, float("nan")):
        with pytest.raises(ValueError, match="surv_tol"):
            reconstruct_ipd(points_of(case), risk_table=table_of(case), surv_tol=bad)
    with pytest.raises(TypeError, match="surv_tol"):
        reconstruct_ipd(points_of(case), risk_table=table_of(case), surv_tol="1e-6")


def test_total_events_and_arms() -> None:
    a, b = (next(c for c in CASES if c["name"] == f"veteran_trt:{k}") for k in (1, 2))
    res = reconstruct_ipd_arms({
        "1": {"points": points_of(a), "risk_table": table_of(a), "surv_tol": 1e-6,
              "total_events": a["events"]},
        "2": {"points": points_of(b), "risk_table": table_of(b), "surv_tol": 1e-6},
    })
    assert res.report["1"].method == "exact" and res.report["2"].method == "exact"
    assert res.report["1"].events_match
    # a total no exact history has: Guyot's rounding meets it, flagged
    wrong = reconstruct_ipd(points_of(a), risk_table=table_of(a), surv_tol=1e-6,
                            total_events=a["events"] - 5)
    assert wrong.report.method == "guyot"
    assert any("not the given" in f for f in wrong.flags)


def test_lifelines_table_convention() -> None:
    """A table printed as lifelines prints it, #(T > t), is read that way when only it fits."""
    case = next(c for c in CASES if c["name"] == "veteran_trt:2")
    t_all = np.array(case["step_time"])
    times = np.concatenate(([0.0], t_all[[5, 15, 30]]))  # table times on steps: the readings differ
    # rebuild n at risk > t from R's own n.risk / n.event
    n_risk = np.array(case["step_n_risk"])
    n_event = np.array(case["step_n_event"])
    gt = []
    for x in times:
        after = np.flatnonzero(t_all > x)
        gt.append(int(n_risk[after[0]]) if after.size else 0)
    # ... which is only right when no censoring falls between x and the next step
    res = reconstruct_ipd(points_of(case), risk_table=(times, np.array(gt)), surv_tol=1e-6,
                          censor_marks=case["censor_times"])
    assert res.report.method == "exact", res.flags
    assert res.report.risk_convention == "gt"
    rt = res.data["time"].to_numpy()
    assert [int(np.sum(rt > x)) for x in times[1:]] == gt[1:]
    assert n_event.sum() == int(res.data["event"].sum())


def test_vector_figure_round_trip(tmp_path: Path) -> None:
    """A lifelines figure of two small arms drawn here; Digitized.ipd() rebuilds the data."""
    pytest.importorskip("pdfplumber")
    lifelines = pytest.importorskip("lifelines")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lifelines.plotting import add_at_risk_counts

    from survkit import digitize

    rng = np.random.default_rng(7)
    arms = {}
    fig, ax = plt.subplots(figsize=(6, 4.5))
    fits = []
    for name, scale in (("A", 10.0), ("B", 16.0)):
        t = np.ceil(rng.exponential(scale, 60))
        c = np.ceil(rng.uniform(5, 40, 60))
        time, event = np.minimum(t, c), (t <= c).astype(int)
        arms[name] = (time, event)
        k = lifelines.KaplanMeierFitter(label=name).fit(time, event)
        k.plot_survival_function(ax=ax, show_censors=True, ci_show=False)
        fits.append(k)
    add_at_risk_counts(*fits, ax=ax)
    fig.tight_layout()
    fig.savefig(tmp_path / "two.pdf")
    plt.close(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = digitize(tmp_path / "two.pdf")
    assert d.arms == ("A", "B")
    res = d.ipd()
    for name, (time, event) in arms.items():
        rep = res.report[name]
        assert rep.method == "exact", rep.flags
        sub = res.data[res.data.arm == name]
        got = km(sub["time"].to_numpy(), sub["event"].to_numpy())
        want = km(time, event)
        np.testing.assert_allclose(got[0], want[0], atol=1e-3)  # times on the whole-unit grid
        np.testing.assert_allclose(got[1], want[1], atol=1e-6)
        assert got[3].tolist() == want[3].tolist()  # events per step, ties included
    assert d.ipd(exact=False).report["A"].method == "guyot"


def _vector_reading(
    time: np.ndarray, event: np.ndarray
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The drop times, the levels and the staircase points a vector figure of the
    product-limit estimate (``km``) of ``time, event`` gives: levels rounded to 5 decimals."""
    ut, s, _, _ = km(time, event)
    lv = np.round(s, 5)
    pts = pd.DataFrame({"time": np.concatenate(([0.0], np.repeat(ut, 2), [time.max()])),
                        "surv": np.concatenate(([1.0], np.column_stack(
                            (np.r_[1.0, lv[:-1]], lv)).ravel(), [lv[-1]]))})
    return ut, lv, pts


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("tol", [1e-4, 1e-5])
def test_many_at_risk_levels_do_not_drift(seed: int, tol: float) -> None:
    # 700 patients on whole days: with hundreds at risk, many (n, d) pairs fit each drop's
    # ratio within the tolerance, and a history chosen drop by drop can drift: its running
    # product leaves the levels read by more than the tolerance. The levels are the product-
    # limit estimate of the drawn data (km above) rounded to 5 decimals, as a vector figure
    # gives them; the rebuilt data must reproduce every one within the tolerance.
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(1000.0, 700))
    c = np.round(rng.uniform(0.0, 3000.0, 700))
    time, event = np.minimum(t, c), (t <= c).astype(int)
    ut, lv, pts = _vector_reading(time, event)
    rt = np.array([0.0, 500.0, 1000.0, 1500.0, 2000.0])
    table = pd.DataFrame({"time": rt, "n_risk": [int(np.sum(time >= x)) for x in rt]})
    res = reconstruct_ipd(pts, risk_table=table, method="exact", surv_tol=tol)
    assert res.report.method == "exact"
    rt2, rs2, _, _ = km(res.data["time"].to_numpy(), res.data["event"].to_numpy())
    assert np.array_equal(rt2, ut)
    assert np.max(np.abs(rs2 - lv)) <= tol


def test_beam_search_when_over_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # the full search over its budget: a beam search still gives a history of whole patients
    # reproducing every level read (within the tolerance) and every printed number at risk
    import survkit.ipd.exact as ex

    monkeypatch.setattr(ex, "MAX_PAIRS", 1000)
    rng = np.random.default_rng(3)
    t = np.round(rng.exponential(1000.0, 400))
    c = np.round(rng.uniform(0.0, 3000.0, 400))
    time, event = np.minimum(t, c), (t <= c).astype(int)
    ut, lv, pts = _vector_reading(time, event)
    rt = np.array([0.0, 500.0, 1000.0, 1500.0, 2000.0])
    n_rt = [int(np.sum(time >= x)) for x in rt]
    res = reconstruct_ipd(pts, risk_table=pd.DataFrame({"time": rt, "n_risk": n_rt}),
                          method="exact", surv_tol=1e-4)
    assert "beam search" in res.report.method_note
    rt2, rs2, _, _ = km(res.data["time"].to_numpy(), res.data["event"].to_numpy())
    assert np.array_equal(rt2, ut)
    assert np.max(np.abs(rs2 - lv)) <= 1e-4
    rebuilt = res.data["time"].to_numpy()
    assert [int(np.sum(rebuilt >= x)) for x in rt] == n_rt
    # over the beam's budget too: no exact history, said so (method="auto" falls back)
    monkeypatch.setattr(ex, "BEAM_WORK", 1000)
    with pytest.raises(ValueError, match="even for a beam search"):
        reconstruct_ipd(pts, risk_table=pd.DataFrame({"time": rt, "n_risk": n_rt}),
                        method="exact", surv_tol=1e-4)
