"""check_competing_risks: relapse + NRM + LFS = 1 in interval arithmetic, and 1 - KM readings.

Expected verdicts come from hand arithmetic in the comments; the recall property (numbers a
real dataset prints are never called inconsistent) is tested on random datasets whose LFS
(Kaplan-Meier), relapse and NRM (Aalen-Johansen) are computed by the R-verified estimators and
printed with one decimal under each convention.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.check.cif import check_competing_risks
from survkit.estimate.cif import cumulative_incidence
from survkit.estimate.km import kaplan_meier


def test_hsct_cohort_conflict() -> None:
    # 8.8 + 32.0 = 40.8 but 1 - 62.3 = 37.7. Nearest: sum in [0.0875 + 0.3195, 0.0885 + 0.3205]
    # = [0.407, 0.409], 1 - LFS in [0.3765, 0.3775]: gap 0.407 - 0.3775 = 0.0295.
    res = check_competing_risks("62.3%", "8.8%", "32.0%", time=24)
    assert not res.consistent
    near, trunc = res.verdicts
    assert near.convention == "nearest" and trunc.convention == "truncate"
    assert near.excess == pytest.approx(0.0295, abs=1e-9)
    # truncation: sum in [0.408, 0.410], 1 - LFS in [0.376, 0.377]: gap 0.031
    assert trunc.excess == pytest.approx(0.031, abs=1e-9)
    # 1 - KM for NRM is at most 1 - S / (1 - F_R) <= 1 - 0.6225 / 0.9115 = 0.31706 < 0.3195
    assert not near.nrm_as_one_minus_km
    # 1 - KM for relapse at most 1 - 0.6225 / (1 - 0.3195) = 0.0852 < 0.0875
    assert not near.relapse_as_one_minus_km
    # both: S <= (1 - R)(1 - N) <= 0.9125 * 0.6805 = 0.62096 < 0.6225
    assert not near.both_as_one_minus_km
    assert "inconsistent" in res.explain() and "0.0295" in res.explain()
    assert res.to_frame().shape[0] == 2


def test_consistent_numbers() -> None:
    # 8.8 + 28.9 = 37.7 = 100 - 62.3 exactly
    res = check_competing_risks("62.3%", "8.8%", "28.9%")
    assert res.consistent and res.conventions == ("nearest", "truncate")
    assert all(v.excess == 0 for v in res.verdicts)


def test_sum_too_small_is_not_a_one_minus_km_reading() -> None:
    # 8.8 + 27.0 = 35.8 < 37.7: 1 - KM only inflates, so no reading explains it
    res = check_competing_risks("62.3%", "8.8%", "27.0%", rounding="nearest")
    (v,) = res.verdicts
    assert not v.identity_holds and v.excess < 0
    assert not (v.nrm_as_one_minus_km or v.relapse_as_one_minus_km or v.both_as_one_minus_km)


def test_nrm_as_one_minus_km_told_apart() -> None:
    # Hand-made cohort, n = 10, no censoring before t = 10: relapses at 1, 2 (2 patients),
    # deaths without relapse at 3, 4, 5, 6. At t = 10: S = 4/10, F_R = 2/10, F_N = 4/10.
    # KM for NRM censoring relapses: risk sets 8, 7, 6, 5 -> K_N = 7/8 6/7 5/6 4/5 = 1/2,
    # so "1 - KM" NRM = 50.0%. Printed LFS 40.0%, relapse 20.0%, NRM 50.0%: the sum 70 > 60.
    # NRM as 1 - KM: [1 - .4 - .2, 1 - .4/.8] = [0.4, 0.5] contains 0.5 (the upper bound:
    # all relapses came first). Relapse as 1 - KM: [1 - .4 - .5, 1 - .4/.5] = [.1, .2]:
    # 0.2 fits too only at the edge, so use nearest rounding with one decimal.
    res = check_competing_risks("40.0%", "20.0%", "50.0%", rounding="nearest")
    (v,) = res.verdicts
    assert not v.identity_holds
    assert v.nrm_as_one_minus_km
    # an NRM too large for any 1 - KM reading: 55.0% > 50.05%
    v2 = check_competing_risks("40.0%", "20.0%", "55.0%", rounding="nearest").verdicts[0]
    assert not v2.nrm_as_one_minus_km


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="rounding"):
        check_competing_risks("62.3%", "8.8%", "32.0%", rounding="up")
    with pytest.raises(ValueError, match="relapse"):
        check_competing_risks("62.3%", "abc", "32.0%")
    with pytest.raises(TypeError, match="labels"):
        check_competing_risks("62.3%", "8.8%", "32.0%", labels=("a", "b"))  # type: ignore[arg-type]


def _print(x: float, convention: str) -> str:
    y = x * 100
    if convention == "truncate":
        q = Decimal(repr(y)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        return f"{q:f}%"
    return f"{y:.1f}%"


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(5, 80))
def test_numbers_of_a_real_dataset_are_never_inconsistent(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    time = rng.integers(1, 30, n).astype(float)
    cause = rng.integers(0, 3, n)
    cause[0] = 1
    cause[1] = 2
    t = float(rng.integers(1, 30))
    cif = cumulative_incidence(time, cause)
    km = kaplan_meier(time, cause > 0)
    fr, fn = (float(v) for v in (cif.incidence_at([t], 1)[0], cif.incidence_at([t], 2)[0]))
    s = float(km.survival_at([t])[0])
    for conv in ("nearest", "truncate"):
        res = check_competing_risks(_print(s, conv), _print(fr, conv), _print(fn, conv),
                                    rounding=conv)  # type: ignore[arg-type]
        assert res.consistent, res.explain()
    # and NRM printed as 1 - KM (relapses censored) is always a possible reading
    k_n = float(kaplan_meier(time, cause == 2).survival_at([t])[0])
    v = check_competing_risks(_print(s, "nearest"), _print(fr, "nearest"),
                              _print(1 - k_n, "nearest"), rounding="nearest").verdicts[0]
    assert v.identity_holds or v.nrm_as_one_minus_km


# ---------------------------------------------------------------------- check_cif_ci
def test_cif_ci_midpoint_rule_by_hand() -> None:
    from survkit.check.cif import check_cif_ci

    # log: (log 0.030 + log 0.260) / 2 = log sqrt(0.0078) = log 0.08832 -> 8.8 % prints: possible;
    # plain: (3.0 + 26.0) / 2 = 14.5 % != 8.8 %: impossible under any rounding of one decimal.
    res = check_cif_ci("8.8% (95% CI, 3.0 to 26.0)", rounding="nearest")
    assert ("nearest", "log") in res.methods
    assert ("nearest", "plain") not in res.methods
    # logit: (logit .03 + logit .26) / 2 = (-3.4761 - 1.0460) / 2 = -2.2611 -> 9.44 %: no
    assert ("nearest", "logit") not in res.methods
    assert res.consistent and res.to_frame().shape == (5, 4)


def test_cif_ci_plain_clipped_at_zero() -> None:
    from survkit.check.cif import check_cif_ci

    # plain lower printed 0.0: the unclipped lower may be negative, so only the upper binds
    res = check_cif_ci("8.8% (95% CI, 0.0 to 18.4)", rounding="nearest")
    assert ("nearest", "plain") in res.methods


def test_cif_ci_bad_input() -> None:
    from survkit.check.cif import check_cif_ci

    with pytest.raises(ValueError, match="n must be"):
        check_cif_ci("8.8% (95% CI, 3.0 to 26.0)", n=0)
    with pytest.raises(ValueError, match="contradicts"):
        check_cif_ci("8.8% (95% CI, 3.0 to 26.0)", conf_level=0.9)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(8, 60),
       ct=st.sampled_from(["plain", "log", "log-log", "logit", "arcsin"]),
       conv=st.sampled_from(["nearest", "truncate"]))
def test_cif_ci_never_excludes_the_method_used(seed: int, n: int, ct: str, conv: str) -> None:
    from survkit.check.cif import check_cif_ci

    rng = np.random.default_rng(seed)
    time = rng.integers(1, 25, n).astype(float)
    cause = rng.integers(0, 3, n)
    cause[:2] = 1
    fit = cumulative_incidence(time, cause, conf_type=ct)
    row = fit.at([float(rng.integers(2, 25))], extend=True)
    est, lo, up = (float(row[c].iloc[0]) for c in ("estimate", "lower", "upper"))
    if not (np.isfinite(lo) and np.isfinite(up)) or est <= 0:
        return
    text = f"{_print(est, conv)} (95% CI, {_print(lo, conv)[:-1]} to {_print(up, conv)[:-1]})"
    res = check_cif_ci(text, rounding=conv)  # type: ignore[arg-type]
    assert (conv, ct) in res.methods, text


def test_identity_accepts_texts_with_cis() -> None:
    res = check_competing_risks("62.3% (95% CI, 44.1 to 76.0)", "8.8% (95% CI, 2.2 to 21.2)",
                                "32.0% (95% CI, 17.6 to 47.5)")
    assert not res.consistent and res.verdicts[0].excess == pytest.approx(0.0295, abs=1e-9)
