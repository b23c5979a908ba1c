"""Tests of reconstruct_ipd: hand-derived reconstructions, preprocessing, exactness, bad input.

Every expected number is derived by hand in a comment (Guyot et al. 2012 formulas, Kaplan–Meier
products) or counted from data, never taken from survkit's output.
"""

from __future__ import annotations

import copy

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survkit.ipd.reconstruct import IPDReport, IPDResult, reconstruct_ipd, reconstruct_ipd_arms

matplotlib.use("Agg")


def corners(times: list[float], surv: list[float], end: float) -> pd.DataFrame:
    """Both corners of each step of a KM curve, plus the end of the curve."""
    prev = [1.0, *surv[:-1]]
    t = [*np.repeat(times, 2).tolist(), end]
    s = [v for pair in zip(prev, surv, strict=True) for v in pair] + [surv[-1]]
    return pd.DataFrame({"time": t, "surv": s})


# Hand example 1 (no censoring, no risk table, n = 10): S drops to 0.9 at t=1, 0.7 at t=2,
# 0.4 at t=4, the curve ends flat at t=5. Guyot: d1 = 10(1 - 0.9) = 1; n = 9,
# d2 = 9(1 - 0.7/0.9) = 2; n = 7, d3 = 7(1 - 0.4/0.7) = 3; the 4 left are censored at t=5.
EX1 = corners([1, 2, 4], [0.9, 0.7, 0.4], 5.0)
EX1_TIME = [1, 2, 2, 4, 4, 4, 5, 5, 5, 5]
EX1_EVENT = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_hand_example_without_risk_table() -> None:
    ipd = reconstruct_ipd(EX1, n=10)
    assert ipd.data["time"].tolist() == EX1_TIME
    assert ipd.data["event"].tolist() == EX1_EVENT
    rep = ipd.report
    assert isinstance(rep, IPDReport)
    assert rep.max_abs_diff == pytest.approx(0.0, abs=1e-12)
    assert rep.events_match is None and rep.risk_match is None


def test_percent_and_shuffled_input_give_the_same_data() -> None:
    pct = EX1.assign(surv=EX1["surv"] * 100).sample(frac=1.0, random_state=3)
    ipd = reconstruct_ipd(pct, n=10)
    assert ipd.data["time"].tolist() == EX1_TIME
    assert ipd.report.scale == "percent"
    arr = reconstruct_ipd(EX1.to_numpy(), n=10)  # plain (k, 2) array
    assert arr.data["event"].tolist() == EX1_EVENT


# Hand example 2 (risk table, one censoring): 10 patients; event at 1 (KM 9/10 = 0.9),
# censoring at 1.5, 2 events at 2 among 8 (0.9 * 6/8 = 0.675); at risk at t=3: 10-1-1-2 = 6;
# 3 events at 4 among 6 (0.675 * 3/6 = 0.3375); 3 censored at 6. Total events 6.
# Guyot on [0, 3): one censoring spread evenly -> 0 + 3/(1+1) = 1.5; last interval:
# d = 6(1 - 0.3375/0.675) = 3 events with no censoring, so 3 remain to the end (t = 6).
EX2 = corners([1, 2, 4], [0.9, 0.675, 0.3375], 6.0)
EX2_RISK = pd.DataFrame({"time": [0.0, 3.0], "n_risk": [10, 6]})


def test_hand_example_with_risk_table_and_events() -> None:
    ipd = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=6)
    assert ipd.data["time"].tolist() == [1, 1.5, 2, 2, 4, 4, 4, 6, 6, 6]
    assert ipd.data["event"].tolist() == [1, 0, 1, 1, 1, 1, 1, 0, 0, 0]
    rep = ipd.report
    assert rep.risk_printed.tolist() == [10, 6]
    assert rep.risk_reconstructed.tolist() == [10, 6]
    assert rep.events_match is True
    assert rep.risk_frame()["difference"].tolist() == [0, 0]


def test_total_events_honoured_with_and_without_risk_table() -> None:
    # 4 events would be the natural reading of EX1 with 10 patients only if more are censored;
    # any total between 0 and 10 must be met exactly.
    for total in (3, 5, 6, 7, 9):
        ipd = reconstruct_ipd(EX1, n=10, total_events=total)
        assert int(ipd.data["event"].sum()) == total
        assert len(ipd) == 10
    for total in (4, 6, 8):
        ipd = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=total)
        assert int(ipd.data["event"].sum()) == total
        # the printed numbers at risk stay exact: #{time >= 3} = 6
        assert int((ipd.data["time"] >= 3).sum()) == 6


def test_spurious_clicks_near_one_are_not_events_at_zero() -> None:
    # Clicks at S = 0.999 / 0.998 before the first real drop are digitizing noise.
    noisy = pd.concat([pd.DataFrame({"time": [0.0, 0.2, 0.5], "surv": [0.999, 0.998, 1.0]}),
                       EX1], ignore_index=True)
    ipd = reconstruct_ipd(noisy, n=10)
    assert ipd.data["time"].tolist() == EX1_TIME
    assert float(ipd.data.loc[ipd.data.event == 1, "time"].min()) == 1.0


def test_curve_reaching_zero_ends_at_zero() -> None:
    # 5 patients, all die: KM 0.8, 0.6, 0.4, 0.2, then a click at 0.003 (noise above 0).
    pts = corners([1, 2, 3, 4, 5], [0.8, 0.6, 0.4, 0.2, 0.003], 5.0)
    ipd = reconstruct_ipd(pts, n=5)
    assert ipd.data["event"].tolist() == [1, 1, 1, 1, 1]
    assert ipd.data["time"].tolist() == [1, 2, 3, 4, 5]
    # with a risk table too
    rt = pd.DataFrame({"time": [0, 2.5], "n_risk": [5, 3]})
    ipd = reconstruct_ipd(pts, risk_table=rt)
    assert int(ipd.data["event"].sum()) == 5


def test_censor_marks_place_censorings() -> None:
    # EX2 with the censoring tick digitized at 1.2 instead of the even-spread 1.5.
    ipd = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=6, censor_marks=[1.2])
    cens = ipd.data.loc[ipd.data.event == 0, "time"].tolist()
    assert 1.2 in cens and 1.5 not in cens


def test_risk_table_not_at_zero_and_automatic_intervals() -> None:
    # Same data, table printed at 3 and 5 only: n = 10 gives the start. #{time >= 5} = 3.
    rt = pd.DataFrame({"time": [3.0, 5.0], "n_risk": [6, 3]})
    ipd = reconstruct_ipd(EX2, risk_table=rt, n=10, total_events=6)
    assert (ipd.data["time"] >= 3).sum() == 6 and (ipd.data["time"] >= 5).sum() == 3
    assert int(ipd.data["event"].sum()) == 6


def test_report_uses_absolute_differences() -> None:
    # Clicks alternately above and below the true curve: signed errors cancel, absolute do not.
    pts = EX1.copy()
    pts.loc[2, "surv"] += 0.02   # (2, 0.9) top corner -> 0.92: 0.02 above S(2-) = 0.9
    ipd = reconstruct_ipd(pts, n=10)
    rep = ipd.report
    assert rep.max_abs_diff >= 0.0
    assert rep.mean_abs_diff == pytest.approx(float(np.mean(rep.abs_diff)))
    assert rep.rmse == pytest.approx(float(np.sqrt(np.mean(rep.abs_diff ** 2))))
    assert np.all(rep.abs_diff >= 0)
    frame = rep.to_frame()
    assert list(frame.columns) == ["time", "surv_digitized", "surv_reconstructed", "abs_diff"]


def test_result_object_survives_pandas_operations_and_plots() -> None:
    # The report lives on the result object, not in DataFrame.attrs (which pandas drops on
    # concat and merge): data and report stay together through copies and table operations.
    from matplotlib.axes import Axes

    ipd = reconstruct_ipd(EX2, risk_table=EX2_RISK, total_events=6)
    assert isinstance(ipd, IPDResult)
    assert isinstance(ipd.report, IPDReport)
    cp = copy.deepcopy(ipd)
    assert isinstance(cp.report, IPDReport)
    both = pd.concat([ipd.to_frame(), ipd.to_frame()], ignore_index=True)
    assert len(both) == 20 and ipd.report.n == 10
    frame = ipd.to_frame()
    frame.loc[0, "time"] = -1.0  # a copy: the result is untouched
    assert ipd.data["time"].iloc[0] == 1.0
    ax = ipd.plot()
    assert isinstance(ax, Axes)
    assert len(ax.lines) >= 2
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_arms_table() -> None:
    out = reconstruct_ipd_arms({
        "A": {"points": EX1, "n": 10},
        "B": {"points": EX2, "risk_table": EX2_RISK, "total_events": 6},
    })
    assert list(out.data.columns) == ["time", "event", "arm"]
    assert out.data.groupby("arm")["event"].sum().to_dict() == {"A": 6, "B": 6}
    rep = out.report
    assert set(rep.reports) == {"A", "B"}
    assert rep.to_frame()["events"].tolist() == [6, 6]
    import matplotlib.pyplot as plt

    ax = rep.plot()
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"points": pd.DataFrame({"time": [], "surv": []}), "n": 5}, ValueError, "empty"),
        ({"points": np.zeros((0, 2)), "n": 5}, ValueError, "empty"),
        # first point a fraction, median above 1: no robust evidence either way
        ({"points": pd.DataFrame({"time": [1, 2], "surv": [0.9, 1.3]}), "n": 5}, ValueError,
         "cannot tell whether survival is a fraction or percent"),
        ({"points": pd.DataFrame({"time": [1, 2, 3], "surv": [0.9, 1.3, 0.5]}), "n": 5},
         ValueError, r"\[0, 1\] on the fraction scale.*row 1"),
        ({"points": pd.DataFrame({"time": [1, 2], "surv": [90, -8]}), "n": 5}, ValueError,
         r"\[0, 1\].*row 1"),
        ({"points": pd.DataFrame({"time": [-5, 2], "surv": [0.9, 0.8]}), "n": 5}, ValueError,
         "non-negative; row 0"),
        ({"points": EX1}, ValueError, "n is required"),
        ({"points": EX2, "risk_table": pd.DataFrame({"time": [0, 3], "n_risk": [6, 10]})},
         ValueError, "must not increase"),
        ({"points": EX2, "risk_table": EX2_RISK, "n": 8}, ValueError, "above n"),
        ({"points": EX2, "risk_table": pd.DataFrame({"time": [0, -3], "n_risk": [10, 6]})},
         ValueError, "non-negative"),
        ({"points": EX2, "risk_table": EX2_RISK, "total_events": 11}, ValueError,
         "above the number"),
        ({"points": EX1, "n": 10, "total_events": 2.5}, ValueError, "whole number"),
        ({"points": EX1, "n": True}, TypeError, "whole number"),
        ({"points": "curve.csv", "n": 3}, TypeError, "string"),
        ({"points": EX1, "n": 10, "scale": "pct"}, ValueError, "scale"),
    ],
)
def test_bad_input(kwargs: dict, exc: type, match: str) -> None:
    pts = kwargs.pop("points")
    with pytest.raises(exc, match=match):
        reconstruct_ipd(pts, **kwargs)


def test_arms_bad_input() -> None:
    with pytest.raises(TypeError):
        reconstruct_ipd_arms([EX1])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="arm 'A'"):
        reconstruct_ipd_arms({"A": {"points": EX1}})
    with pytest.raises(ValueError, match="unknown key"):
        reconstruct_ipd_arms({"A": {"points": EX1, "events": 3}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 300),
    k=st.integers(1, 60),
    noise=st.floats(0, 0.05),
    seed=st.integers(0, 2**31 - 1),
    use_table=st.booleans(),
    frac_events=st.floats(0, 1),
)
def test_noisy_nonmonotone_input_never_crashes(
    n: int, k: int, noise: float, seed: int, use_table: bool, frac_events: float
) -> None:
    rng = np.random.default_rng(seed)
    t = rng.uniform(0, 10, k)
    s = np.clip(np.exp(-0.2 * t) + rng.normal(0, noise, k), 0, 1)
    pts = pd.DataFrame({"time": t, "surv": s})
    total = round(frac_events * n)
    kw: dict = {"total_events": total}
    if use_table:
        times = np.array([0.0, 2.5, 5.0, 7.5])
        nr = np.round(n * np.exp(-0.25 * times)).astype(int)
        kw["risk_table"] = pd.DataFrame({"time": times, "n_risk": nr})
        n_pat = int(nr[0])
    else:
        kw["n"] = n
        n_pat = n
    ipd = reconstruct_ipd(pts, **kw)
    assert len(ipd) == n_pat
    assert int(ipd.data["event"].sum()) == total
    assert np.all(ipd.data["time"].to_numpy() >= 0)
    rep = ipd.report
    if use_table:
        assert rep.risk_match
    assert 0 <= rep.max_abs_diff <= 1


# Hand example 3 (noisy corners, EX1's data): each riser's two corners are clicked at times
# off by ±1/128 (riser 2: ±1/64, and its bottom corner first in time). Sorted gaps / span 5:
# 0.003125, 0.00625, 0.003125 (risers) and 0.19, 0.38, 0.19 (flats): the halves are separated,
# σ̂ = 0.003125/0.954, tolerance 4·√2·σ̂ = 0.0185 > cap 0.01 -> 0.01·5 = 0.05 time units. Each
# riser's pair (gaps 1/64, 1/32 <= 0.05) gets its mean time 1, 2, 4 exactly, so the clicks are
# EX1 again and the data are EX1's. Without snapping, (2 - 1/64, 0.7) before (2 + 1/64, 0.9)
# would be pooled to 0.8 and half the drop at t=2 would move to t=4.
EX3 = pd.DataFrame({
    "time": [1 + 1 / 128, 1 - 1 / 128, 2 + 1 / 64, 2 - 1 / 64, 4 + 1 / 128, 4 - 1 / 128, 5.0],
    "surv": [1.0, 0.9, 0.9, 0.7, 0.7, 0.4, 0.4],
})


def test_noisy_corners_are_snapped_to_one_time_per_riser() -> None:
    ipd = reconstruct_ipd(EX3, n=10)
    assert ipd.data["time"].tolist() == EX1_TIME
    assert ipd.data["event"].tolist() == EX1_EVENT
    rep = ipd.report
    assert rep.time_tol == pytest.approx(0.05)
    # Against the smoothed curve (snapped corners) the rebuilt KM is exact ...
    assert rep.curve_max_abs_diff == pytest.approx(0.0, abs=1e-12)
    # ... against the raw clicks it is not: (4 - 1/128, 0.4) lies under the flat at 0.7
    # (the rebuilt step is at 4), |ΔS| = 0.3; likewise (4 + 1/128, 0.7) over 0.4.
    assert rep.max_abs_diff == pytest.approx(0.3)
    assert "raw clicks" in str(rep) and "smoothed curve" in str(rep)
    assert rep.summary()["max_abs_diff_smoothed"] == pytest.approx(0.0, abs=1e-12)


def test_exact_corners_are_left_alone() -> None:
    # Equal times within each riser: no corner noise, tolerance 0, nothing averaged.
    rep = reconstruct_ipd(EX1, n=10).report
    assert rep.time_tol == 0.0
    assert rep.curve_time.tolist() == [0, 1, 2, 4, 5]
    assert rep.curve_surv.tolist() == [1, 0.9, 0.7, 0.4, 0.4]


def test_two_clicks_of_a_flat_are_averaged() -> None:
    # 10 patients, one death at each of t = 1..6 (KM 0.9, 0.8, ..., 0.4), 4 censored at 7.
    # The flats between risers 1..6 are clicked 0.004 too high at the bottom corner and 0.004
    # too low at the top corner of the next riser: differences 0.008 everywhere, MAD-based
    # scale 1.4826·0.008, all within 3 scales -> each pair is replaced by its mean, the exact
    # level. The smoothed curve is then the true KM and the data are the true data.
    levels = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    t: list[float] = []
    s: list[float] = []
    prev = 1.0
    for i, lev in enumerate(levels):
        top = prev if i == 0 else prev - 0.004
        bottom = lev if i == len(levels) - 1 else lev + 0.004
        t += [i + 1.0, i + 1.0]
        s += [top, bottom]
        prev = lev
    pts = pd.DataFrame({"time": [*t, 7.0], "surv": [*s, 0.4]})
    ipd = reconstruct_ipd(pts, n=10)
    rep = ipd.report
    assert rep.curve_time.tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    assert rep.curve_surv == pytest.approx([1.0, *levels, 0.4], abs=1e-12)
    assert ipd.data["time"].tolist() == [1, 2, 3, 4, 5, 6, 7, 7, 7, 7]
    assert ipd.data["event"].tolist() == [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
