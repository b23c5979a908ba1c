"""parse_endpoint: printed formats and rounding intervals (expected values derived by hand)."""

from __future__ import annotations

import pytest

from survkit.check.parse import parse_endpoint, reported_from_numbers, rounding_interval


def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-12 and abs(a[1] - b[1]) < 1e-12


@pytest.mark.parametrize(
    "text",
    [
        "68% (95% CI, 43 to 100)",
        "68% (95% CI 43\u2013100)",
        "68% (95% CI 43\u2014100)",
        "0.68 (0.43-1.00)",
        "68.0% [43.0%; 100%]",
        "68 (43, 100)",
        "68% (95% confidence interval: 43 \u2212 100)",
        "The estimated 1-year overall survival rate was 68% "
        "[95% Confidence Interval (CI), 43\u2013100].",
    ],
)
def test_formats_give_the_same_numbers(text: str) -> None:
    r = parse_endpoint(text)
    assert (r.estimate, r.lower, r.upper) == (0.68, 0.43, 1.0)
    assert r.scale in ("percent", "fraction")


def test_rounding_intervals_by_hand() -> None:
    r = parse_endpoint("68% (95% CI, 43 to 100)")
    # 68 printed with 0 decimals: nearest -> [67.5, 68.5], truncation -> [68, 69]; union.
    assert close(r.estimate_interval, (0.675, 0.69))
    assert close(r.lower_interval, (0.425, 0.44))
    # 100 -> [99.5, 101] clipped to a probability.
    assert close(r.upper_interval, (0.995, 1.0))
    assert r.decimals == (0, 0, 0)
    assert r.conf_level == 0.95 and r.scale == "percent"
    near = parse_endpoint("68.0% [43.0%; 100%]", rounding="nearest")
    assert close(near.estimate_interval, (0.6795, 0.6805))
    assert near.decimals == (1, 1, 0)
    frac = parse_endpoint("0.68 (0.43-1.00)", rounding="truncate")
    assert close(frac.estimate_interval, (0.68, 0.69)) and frac.scale == "fraction"
    # the interval is never narrower than the exact one (outward by a few ulps)
    lo, hi = rounding_interval(54.0, 0, "nearest", scale=100.0)
    assert lo <= 0.535 and hi >= 0.545


def test_label_time_level_and_missing_bounds() -> None:
    r = parse_endpoint("1-year OS 68% (95% CI, 43 to 100)")
    assert r.label == "OS" and r.time == 1.0 and r.time_unit == "year"
    r = parse_endpoint("PFS at 24 months: 45.5% (90% CI, 30.1 to NR)")
    assert r.time == 24.0 and r.time_unit == "month" and r.conf_level == pytest.approx(0.9)
    assert r.upper is None and r.upper_interval == (0.0, 1.0)
    r = parse_endpoint("DFS 40% (95% CI, not reached - 60)")
    assert r.lower is None


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("sixty-eight percent", "expected"),
        ("68% (95% CI, 80 to 100)", "bounds not around"),
        ("68% (95% CI, 43 to 60)", "bounds not around"),
        ("120% (95% CI, 100 to 130)", "exceeds"),
        ("68% (43, 100) and 54% (29, 100)", "found 2"),
    ],
)
def test_bad_text_raises(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_endpoint(text)


def test_type_errors() -> None:
    with pytest.raises(TypeError, match="text"):
        parse_endpoint(0.68)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rounding"):
        parse_endpoint("68 (43, 100)", rounding="up")  # type: ignore[arg-type]


def test_from_numbers_keeps_printed_decimals() -> None:
    r = reported_from_numbers("68", "43", "100")
    assert r.decimals == (0, 0, 0) and r.scale == "percent"
    r = reported_from_numbers("0.680", "0.430", "1.000")
    assert r.decimals == (3, 3, 3) and r.scale == "fraction"
    r = reported_from_numbers("0.5", "0.2", None, conf_level=0.9)
    assert r.upper is None and r.conf_level == 0.9
    assert not r.to_frame().empty
