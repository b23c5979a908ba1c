"""survkit.printed: printed numbers, their intervals under one convention, parsing and errors.

Expected values: R's printing (tests/fixtures/printed_rounding.csv from
tests/r/make_printed_fixtures.R) and interval arithmetic derived by hand in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.printed import (
    CONVENTIONS,
    TOLERANCE,
    HazardRatio,
    Printed,
    parse_endpoint,
    parse_hazard_ratio,
    parse_p_value,
    parse_printed,
    reported_from_numbers,
    text_kind,
    within,
)

FIX = Path(__file__).parent / "fixtures"
R_PRINTED = pd.read_csv(FIX / "printed_rounding.csv", dtype={"nearest": str, "truncate": str})


def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-12 and abs(a[1] - b[1]) < 1e-12


# ----------------------------------------------------------------------------- intervals
def test_intervals_by_hand() -> None:
    p = parse_printed("54%", name="DFS", kind="probability")
    assert (p.number, p.value, p.decimals, p.scale, p.unit) == (54.0, 0.54, 0, 100.0, "percent")
    # 54 with 0 decimals: nearest [53.5, 54.5], truncation [54, 55], either [53.5, 55]; / 100
    assert close(p.interval("nearest"), (0.535, 0.545))
    assert close(p.interval("truncate"), (0.54, 0.55))
    assert close(p.interval("any"), (0.535, 0.55))
    # outward: never narrower than the exact interval
    lo, hi = p.interval("nearest")
    assert lo <= 0.535 and hi >= 0.545
    t = parse_printed("15.1", name="median", kind="time")
    assert close(t.interval("nearest"), (15.05, 15.15))
    assert close(t.interval("truncate"), (15.1, 15.2))
    # clipped to the domain: 100% nearest is [99.5, 100.5] -> [0.995, 1]
    full = parse_printed("100%", name="x", kind="probability")
    assert close(full.interval("nearest"), (0.995, 1.0))


def test_the_seed_numbers_separate_the_conventions() -> None:
    # DFS S = 0.5486 (history (10, 9, 7, 5)) prints 55 when rounded, 54 only when truncated
    p54 = parse_printed("54", name="DFS", kind="probability")
    s = 0.9 * 7 / 8 * 6 / 7 * 4 / 5  # (10, 8, 7, 5): 0.54, prints 54 both ways
    s2 = 0.9 * 8 / 9 * 6 / 7 * 4 / 5  # (10, 9, 7, 5): 0.548571...
    assert p54.conventions_of(s) == ("nearest", "truncate")
    assert p54.conventions_of(s2) == ("truncate",)
    assert p54.render(s2, "nearest") == "55" and p54.render(s2, "truncate") == "54"


def test_within_uses_one_tolerance() -> None:
    assert TOLERANCE == 1e-12
    x = np.array([0.5 - 0.5e-12, 0.5 - 2e-12, 1.0 + 0.5e-12, np.nan])
    assert list(within(x, 0.5, 1.0)) == [True, False, True, False]
    # relative to max(1, |bound|) for large times: 1000 +- 1e-9 tolerated
    assert bool(within(1000.0 + 5e-10, 0.0, 1000.0))
    assert not bool(within(1000.0 + 2e-9, 0.0, 1000.0))


def test_not_reached() -> None:
    nr = parse_printed("NR", name="median", kind="time")
    assert not nr.reached and nr.value is None
    assert nr.interval("nearest") == (0.0, math.inf)
    assert list(nr.contains(np.array([np.nan, 3.0]))) == [True, False]
    t = parse_printed("3.7", name="t", kind="time")
    assert list(t.contains([np.nan, 3.7])) == [False, True]
    with pytest.raises(ValueError, match="not allowed"):
        parse_printed("NR", name="n", not_reached=False)


@pytest.mark.parametrize("row", range(0, len(R_PRINTED), 40))
def test_r_printing_lies_in_its_convention(row: int) -> None:
    """A value R printed with sprintf lies in the nearest interval of that text; the same value
    truncated lies in the truncation interval; render reproduces R's text."""
    r = R_PRINTED.iloc[row]
    x, scale = float(r.x), float(r.scale)
    kind = "probability" if x <= 1 else "time"
    percent = scale == 100.0 if kind == "probability" else None
    near = parse_printed(r.nearest, name="x", kind=kind, percent=percent)
    trunc = parse_printed(r["truncate"], name="x", kind=kind, percent=percent)
    assert near.decimals == trunc.decimals == r.decimals or r.decimals == 0
    assert bool(near.contains(x, "nearest")), (r.x, r.nearest)
    assert bool(trunc.contains(x, "truncate")), (r.x, r["truncate"])
    assert near.render(x, "nearest") == r.nearest
    assert trunc.render(x, "truncate") == r["truncate"]


def test_all_r_printing_vectorised() -> None:
    ok_n = ok_t = 0
    for r in R_PRINTED.itertuples():
        x = float(r.x)
        kind = "probability" if x <= 1 else "time"
        percent = r.scale == 100 if kind == "probability" else None
        near = parse_printed(r.nearest, name="x", kind=kind, percent=percent)
        trunc = parse_printed(r.truncate, name="x", kind=kind, percent=percent)
        ok_n += bool(near.contains(x, "nearest")) and near.render(x, "nearest") == r.nearest
        ok_t += bool(trunc.contains(x, "truncate")) and trunc.render(x, "truncate") == r.truncate
    assert ok_n == ok_t == len(R_PRINTED)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.integers(0, 3), st.sampled_from([1.0, 100.0]))
def test_rendered_text_contains_its_value(x: float, d: int, scale: float) -> None:
    """Whatever a program with either convention prints, the parsed text contains the value."""
    proto = Printed("0", 0.0, d, scale, None, "probability")
    for conv in CONVENTIONS:
        text = proto.render(x, conv)
        p = parse_printed(text, name="x", kind="probability", percent=scale == 100.0)
        assert bool(p.contains(x, conv)), (x, d, scale, conv, text)
        assert bool(p.contains(x, "any"))


# ----------------------------------------------------------------------------- parse_printed
@pytest.mark.parametrize(
    ("text", "kind", "number", "decimals", "unit"),
    [
        ("15.1", "time", 15.1, 1, None),
        ("24.0", "time", 24.0, 1, None),
        (12, "time", 12.0, 0, None),
        (0.5, "number", 0.5, 1, None),
        ("3.7 months", "time", 3.7, 1, "month"),
        ("68,5%", "probability", 68.5, 1, "percent"),
        (".002", "p_value", 0.002, 3, None),
    ],
)
def test_parse_printed(text: object, kind: str, number: float, decimals: int,
                       unit: str | None) -> None:
    p = parse_printed(text, name="x", kind=kind)  # type: ignore[arg-type]
    assert (p.number, p.decimals, p.unit) == (number, decimals, unit)


@pytest.mark.parametrize(
    ("text", "kind", "match"),
    [
        ("abc", "number", "x: 'abc' is not a printed number"),
        ("120%", "probability", "not a probability"),
        ("-1", "time", "cannot be negative"),
        ("0", "ratio", "must be positive"),
        ("1.5", "p_value", r"p-value must lie in \[0, 1\]"),
        ("< 3", "time", "only allowed on a p-value"),
        ("", "number", "empty"),
        ("1,000.5", "number", "ambiguous"),
    ],
)
def test_parse_printed_errors(text: str, kind: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_printed(text, name="x", kind=kind)  # type: ignore[arg-type]


def test_parse_printed_type_errors() -> None:
    with pytest.raises(TypeError, match="x must be a printed number"):
        parse_printed(True, name="x")
    with pytest.raises(TypeError, match="x must be a printed number"):
        parse_printed(None, name="x")


# ----------------------------------------------------------------------------- endpoints
def test_reported_is_three_printed_numbers() -> None:
    rep = parse_endpoint("1-year OS 68% (95% CI, 43\u2013100)")
    assert isinstance(rep.point, Printed) and rep.numbers == (rep.point, rep.low, rep.high)
    assert (rep.estimate, rep.lower, rep.upper) == (0.68, 0.43, 1.0)
    assert (rep.label, rep.time, rep.time_unit, rep.conf_level) == ("OS", 1.0, "year", 0.95)
    assert rep.conventions == ("nearest", "truncate")
    e, lo, _ = rep.intervals("truncate")
    assert close(e, (0.68, 0.69)) and lo is not None and close(lo, (0.43, 0.44))
    # vectorised membership under one convention
    s = np.array([0.675, 0.6795, 0.688])
    low = np.array([0.43, 0.43, 0.43])
    up = np.array([1.0, 1.0, 1.0])
    assert list(rep.contains(s, low, up, "nearest")) == [True, True, False]
    assert list(rep.contains(s, low, up, "truncate")) == [False, False, True]
    assert rep.conventions_of(0.675, 0.4334, 1.0) == ("nearest",)
    assert rep.with_rounding("nearest").conventions == ("nearest",)
    frame = rep.to_frame()
    assert len(frame) == 6 and set(frame.convention) == {"nearest", "truncate"}


def test_comma_decimals() -> None:
    rep = parse_endpoint("68,5 % (43,1\u2013100)")
    assert (rep.estimate, rep.lower, rep.upper) == (0.685, 0.431, 1.0)
    assert rep.decimals == (1, 1, 0)
    # commas as separators stay separators
    rep = parse_endpoint("68 (43,100)")
    assert (rep.estimate, rep.lower, rep.upper) == (0.68, 0.43, 1.0)
    rep = parse_endpoint("0,68 (0,43-1,00)")
    assert (rep.estimate, rep.lower, rep.upper) == (0.68, 0.43, 1.0)
    with pytest.raises(ValueError, match="ambiguous"):
        parse_endpoint("0,5 (0,3,0,7)")
    with pytest.raises(ValueError, match="decimal"):
        parse_endpoint("68.5% (43,1-100)")


def test_hazard_ratio_text_is_refused_by_parse_endpoint() -> None:
    with pytest.raises(ValueError, match=r"is a hazard ratio.*check_hr"):
        parse_endpoint("HR 0.72 (95% CI 0.55\u20130.94)")
    assert text_kind("HR 0.72 (95% CI 0.55\u20130.94)") == "hazard_ratio"
    assert text_kind("median OS 14.2 months (10.1 to NR)") == "time"
    assert text_kind("12.0 mo (9.8-14.1)") == "time"
    assert text_kind("68% (43, 100)") == "survival"


def test_reported_from_numbers() -> None:
    r = reported_from_numbers("68", "43", "100")
    assert r.decimals == (0, 0, 0) and r.scale == "percent"
    r = reported_from_numbers("0.5", "0.2", None, conf_level=0.9)
    assert r.upper is None and r.conf_level == 0.9 and not r.high.reached


# ----------------------------------------------------------------------------- hazard ratios
def test_hazard_ratio_and_p_values() -> None:
    hr = parse_hazard_ratio("HR 0.65 (95% CI, 0.50 to 0.85); P = .002")
    assert isinstance(hr, HazardRatio)
    assert [p.number for p in hr.numbers] == [0.65, 0.50, 0.85]
    assert hr.conf_level == 0.95 and hr.p_value is not None
    # .002 with 3 decimals: nearest [0.0015, 0.0025]
    assert close(hr.p_value.interval("nearest"), (0.0015, 0.0025))
    lt = parse_p_value("P < .001")
    assert lt.relation == "<"
    # "P < .001" is an interval, the same under every convention
    assert lt.interval("nearest") == lt.interval("truncate")
    assert lt.interval("nearest")[0] == 0.0 and 0.001 <= lt.interval("nearest")[1] < 0.0010001
    assert parse_p_value("p>0.5").interval("any")[1] == 1.0
    comma = parse_hazard_ratio("HR 0,72 (95% CI 0,55\u20130,94)")
    assert [p.number for p in comma.numbers] == [0.72, 0.55, 0.94]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("HR 0.65 (95% CI, 0.50 to 0.85); P = 1.2", r"p-value must lie in \[0, 1\]"),
        ("HR 0.65 (95% CI, 0.50 to 0.85); P = -0.1", r"p-value must lie in \[0, 1\]"),
        ("HR 0.65 and more", "no confidence interval"),
        ("odds 0.65", "cannot parse"),
        ("HR 0 (95% CI, 0 to 0.85)", "positive"),
    ],
)
def test_hazard_ratio_errors(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_hazard_ratio(text)
