"""Medians and other survival-time quantities are parsed as times, never as probabilities."""

from __future__ import annotations

import math

import pytest

from survkit.check.parse import parse_endpoint


def test_median_with_unit_and_nr_bound() -> None:
    r = parse_endpoint("median OS 14.2 months (95% CI, 10.1 to NR)")
    assert r.kind == "time" and r.value_unit == "month"
    assert (r.estimate, r.lower, r.upper) == (14.2, 10.1, None)
    # 14.2 with one decimal, any rounding convention: [14.15, 14.3]
    assert r.estimate_interval == pytest.approx((14.15, 14.3))
    assert r.upper_interval == (0.0, math.inf)  # not reached: anything above
    assert r.conf_level == 0.95 and r.label == "median OS"


@pytest.mark.parametrize(
    ("text", "est", "lo", "hi"),
    [
        ("median PFS, 5.6 months (95% CI, 3.2 to 8.0)", 5.6, 3.2, 8.0),
        ("12.0 mo (9.8-14.1)", 12.0, 9.8, 14.1),
        ("median 8.1 (95% CI NE–NE)", 8.1, None, None),
        ("median survival 31 weeks (18–NR)", 31.0, 18.0, None),
    ],
)
def test_time_values_are_not_scaled(text: str, est: float, lo: float | None,
                                    hi: float | None) -> None:
    r = parse_endpoint(text)
    assert r.kind == "time"
    assert (r.estimate, r.lower, r.upper) == (est, lo, hi)


def test_survival_probabilities_unchanged() -> None:
    r = parse_endpoint("1-year OS 68% (95% CI, 43 to 100)")
    assert r.kind == "survival" and r.value_unit is None
    assert (r.estimate, r.lower, r.upper) == (0.68, 0.43, 1.0)
    assert (r.time, r.time_unit, r.label) == (1.0, "year", "OS")


def test_percent_on_a_median_is_rejected() -> None:
    with pytest.raises(ValueError, match="time quantity"):
        parse_endpoint("median OS 14.2% (10.1 to 20.0)")


def test_check_ci_refuses_a_median() -> None:
    from survkit.check.ci_check import check_ci

    with pytest.raises(ValueError, match="not a survival probability"):
        check_ci("median OS 14.2 months (95% CI, 10.1 to NR)", n=20)
