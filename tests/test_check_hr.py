"""check_hr: Altman & Bland (BMJ 2011) checks; expected values derived in the comments."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from survkit.check.hr import check_hr

Z95 = norm.ppf(0.975)


def test_point_values_by_hand() -> None:
    # SE = (ln 0.85 - ln 0.50) / (2 * 1.96) = 0.13536; Z = |ln 0.65| / SE = 3.182;
    # P = 2 (1 - Phi(3.182)) = 0.00146; D = 4 / SE^2 = 218.3.
    se = (math.log(0.85) - math.log(0.50)) / (2 * Z95)
    zst = abs(math.log(0.65)) / se
    p = 2 * norm.sf(zst)
    res = check_hr("HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002", events=220)
    assert res.se_log_range[0] <= se <= res.se_log_range[1]
    assert res.p_implied[0] <= p <= res.p_implied[1]
    assert res.events_implied[0] <= 4 / se**2 <= res.events_implied[1]
    assert res.symmetric and res.p_consistent and res.events_consistent and res.consistent
    # Altman & Bland's approximation at the printed values
    assert res.p_altman_bland == pytest.approx(math.exp(-0.717 * zst - 0.416 * zst**2), rel=1e-12)
    # printed 0.50 / 0.85 with 2 decimals, one convention at a time: nearest gives
    # L in [0.495, 0.505], U in [0.845, 0.855]; truncation L in [0.50, 0.51], U in [0.85, 0.86].
    # The SE range is the hull of (ln U - ln L)/(2z) over both: smallest under truncation,
    # ln(0.85/0.51) = 0.5108 < ln(0.845/0.505) = 0.5148; largest under nearest,
    # ln(0.855/0.495) = 0.5465 > ln(0.86/0.50) = 0.5423 -- never the mixed ln(0.845/0.51),
    # which no single program prints.
    assert res.se_log_range[0] == pytest.approx((math.log(0.85) - math.log(0.51)) / (2 * Z95))
    assert res.se_log_range[1] == pytest.approx((math.log(0.855) - math.log(0.495)) / (2 * Z95))
    assert res.rounding == ("nearest", "truncate")


def test_nejm_style_and_inequality_p() -> None:
    res = check_hr(
        "hazard ratio for death, 0.65; 95% confidence interval [CI], 0.50 to 0.85; P=.002"
    )
    assert (res.estimate, res.lower, res.upper) == (0.65, 0.50, 0.85) and res.p_consistent
    res = check_hr("HR 0.65 (0.50-0.85), P<0.001")
    assert res.p_reported == pytest.approx((0.0, 0.001), abs=1e-15)
    res = check_hr("HR 0.65 (90% CI, 0.50 to 0.85)")
    assert res.conf_level == pytest.approx(0.90) and res.p_reported is None


def test_inconsistencies_are_flagged() -> None:
    # ln 0.65 = -0.431 but (ln 0.40 + ln 0.85)/2 = -0.539: not symmetric on the log scale.
    res = check_hr("HR 0.65 (95% CI, 0.40 to 0.85); P = 0.002")
    assert not res.symmetric and not res.consistent
    # P = 0.20 cannot come from a CI excluding 1 (|Z| >= 3.0 there)
    assert check_hr("HR 0.65 (95% CI, 0.50 to 0.85); P = 0.20").p_consistent is False
    # 50 events give SE >= 2/sqrt(50) = 0.28, twice the SE implied by this CI
    assert check_hr("HR 0.65 (95% CI, 0.50 to 0.85)", events=50).events_consistent is False
    # 2:1 allocation: D = 9 / (2 SE^2) = 245.6
    two = check_hr("HR 0.65 (95% CI, 0.50 to 0.85)", allocation_ratio=2.0)
    se = (math.log(0.85) - math.log(0.50)) / (2 * Z95)
    assert two.events_implied[0] <= 4.5 / se**2 <= two.events_implied[1]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("odds 0.65", "cannot parse"),
        ("HR 0.65 and more", "no confidence interval"),
        ("HR 0.95 (95% CI, 0.50 to 0.85)", "bounds not around"),
        ("HR 0 (95% CI, 0 to 0.85)", "positive"),
    ],
)
def test_bad_input(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        check_hr(text)


def test_events_validation_and_frame() -> None:
    with pytest.raises(ValueError, match="events"):
        check_hr("HR 0.65 (0.50-0.85)", events=0)
    frame = check_hr("HR 0.65 (0.50-0.85)").to_frame()
    assert list(frame.check) == ["log symmetry", "SE(log HR)", "p-value", "events"]
    assert check_hr("HR 0.65 (0.50-0.85)").to_dict()["consistent"] is True
