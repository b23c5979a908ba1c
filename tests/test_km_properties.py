"""Property-based tests of the Kaplan-Meier core (hypothesis).

Each property is derived from the definition of the estimator, not from survkit output:
S is a product of factors in [0, 1]; the bands are built around S; the estimator depends on
the data only through the counts at each distinct time (so row order is irrelevant and
doubling every row doubles the counts and keeps every ratio); a case weight of 2 is a
duplicated row; ``at()`` is the right-continuous step function of the fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import assert_r_close
from survkit.estimate.batch import kaplan_meier_at
from survkit.estimate.ci import CONF_TYPES
from survkit.estimate.km import KaplanMeier, kaplan_meier

pytestmark = pytest.mark.filterwarnings("error")  # no numpy warnings may escape

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
FIELDS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
          "lower", "upper")


@st.composite
def survival_data(draw: Any, max_n: int = 40) -> tuple[Any, Any]:
    n = draw(st.integers(1, max_n))
    tied = draw(st.booleans())
    if tied:  # few distinct times: many ties, events and censorings at the same time
        t = draw(st.lists(st.integers(0, 8), min_size=n, max_size=n))
    else:
        t = draw(st.lists(st.floats(0, 100, allow_nan=False, allow_infinity=False),
                          min_size=n, max_size=n))
    p_event = draw(st.sampled_from([0.0, 0.2, 0.7, 1.0]))
    e = [int(draw(st.floats(0, 1)) < p_event) for _ in range(n)]
    return np.asarray(t, dtype=float), np.asarray(e)


conf_types = st.sampled_from(CONF_TYPES)
levels = st.sampled_from([0.95, 0.9, 0.5, 0.99])


def _same(a: KaplanMeier, b: KaplanMeier, what: str) -> None:
    for f in FIELDS:
        assert_r_close(getattr(a, f), getattr(b, f), f"{what}: {f}", rtol=1e-12, atol=1e-13)


@SETTINGS
@given(survival_data(), conf_types, levels)
def test_surv_monotone_in_unit_interval(data: Any, ct: str, level: float) -> None:
    t, e = data
    fit = kaplan_meier(t, e, conf_type=ct, conf_level=level)
    assert np.all(np.diff(fit.time) > 0)
    assert np.all((fit.surv >= 0) & (fit.surv <= 1))
    assert np.all(np.diff(fit.surv) <= 0)
    assert fit.n_risk[0] == t.size and fit.n_event.sum() == e.sum()
    assert fit.n_event.sum() + fit.n_censor.sum() == t.size


@SETTINGS
@given(survival_data(), conf_types, levels)
def test_band_contains_estimate(data: Any, ct: str, level: float) -> None:
    t, e = data
    fit = kaplan_meier(t, e, conf_type=ct, conf_level=level)
    ok = ~np.isnan(fit.lower) & ~np.isnan(fit.upper)
    assert np.all(fit.lower[ok] <= fit.surv[ok] + 1e-15)
    assert np.all(fit.surv[ok] <= fit.upper[ok] + 1e-15)
    assert np.all((fit.lower[ok] >= 0) & (fit.upper[ok] <= 1))
    # where S is strictly inside (0, 1) every transform gives a defined band
    inside = (fit.surv > 0) & (fit.surv < 1)
    assert ok[inside].all()


@SETTINGS
@given(survival_data(), conf_types, st.randoms(use_true_random=False))
def test_row_order_invariance(data: Any, ct: str, rnd: Any) -> None:
    t, e = data
    perm = np.arange(t.size)
    rnd.shuffle(perm)
    _same(kaplan_meier(t, e, conf_type=ct), kaplan_meier(t[perm], e[perm], conf_type=ct),
          "permuted rows")


@SETTINGS
@given(survival_data(), conf_types)
def test_duplicating_rows_doubles_counts(data: Any, ct: str) -> None:
    t, e = data
    one = kaplan_meier(t, e, conf_type=ct)
    two = kaplan_meier(np.concatenate([t, t]), np.concatenate([e, e]), conf_type=ct)
    assert_r_close(two.time, one.time, "time")
    for f in ("n_risk", "n_event", "n_censor"):
        assert_r_close(getattr(two, f), 2 * getattr(one, f), f)
    assert_r_close(two.surv, one.surv, "surv", rtol=1e-12, atol=1e-13)


@SETTINGS
@given(survival_data(), conf_types, levels)
def test_weight_two_equals_duplication(data: Any, ct: str, level: float) -> None:
    t, e = data
    dup = kaplan_meier(np.concatenate([t, t]), np.concatenate([e, e]), conf_type=ct,
                       conf_level=level)
    w2 = kaplan_meier(t, e, weights=np.full(t.size, 2.0), conf_type=ct, conf_level=level)
    for f in FIELDS:  # n differs (observations), everything else is equal
        assert_r_close(getattr(w2, f), getattr(dup, f), f"weights=2: {f}", rtol=1e-12,
                       atol=1e-13)


@SETTINGS
@given(survival_data(), st.lists(st.floats(0, 120), min_size=1, max_size=8, unique=True))
def test_at_is_the_step_function(data: Any, q: list[float]) -> None:
    t, e = data
    fit = kaplan_meier(t, e)
    qs = np.sort(np.asarray(q))
    # right-continuous step function: S at the last distinct time <= q, 1 before the first
    idx = np.searchsorted(fit.time, qs, side="right") - 1
    step = np.where(idx >= 0, fit.surv[np.maximum(idx, 0)], 1.0)
    assert_r_close(fit.survival_at(qs), step, "survival_at")
    tab = fit.at(qs, extend=True)
    assert_r_close(tab["time"].to_numpy(), qs, "at(extend=True).time")
    assert_r_close(tab["surv"].to_numpy(), step, "at().surv")
    # number at risk just before q; events/censorings since the previous requested time
    assert_r_close(tab["n_risk"].to_numpy(), [(t >= x).sum() for x in qs], "at().n_risk")
    prev = np.concatenate([[-np.inf], qs[:-1]])
    ev = [((t > a) & (t <= b) & (e == 1)).sum() for a, b in zip(prev, qs, strict=True)]
    ce = [((t > a) & (t <= b) & (e == 0)).sum() for a, b in zip(prev, qs, strict=True)]
    assert_r_close(tab["n_event"].to_numpy(), ev, "at().n_event")
    assert_r_close(tab["n_censor"].to_numpy(), ce, "at().n_censor")
    # without extend, times past the last observation are dropped
    short = fit.at(qs)
    assert_r_close(short["time"].to_numpy(), qs[qs <= t.max()], "at().time")


@st.composite
def batches(draw: Any) -> tuple[Any, Any, Any]:
    b = draw(st.integers(1, 6))
    sets = [draw(survival_data(max_n=15)) for _ in range(b)]
    width = max(s[0].size for s in sets)
    tb = np.full((b, width), np.nan)
    eb = np.full((b, width), np.nan)
    for i, (t, e) in enumerate(sets):
        tb[i, : t.size] = t
        eb[i, : t.size] = e
    at = draw(st.lists(st.floats(0, 110), min_size=1, max_size=6, unique=True))
    return tb, eb, np.asarray(at)


@SETTINGS
@given(batches(), conf_types, levels, st.booleans())
def test_batch_equals_single(data: Any, ct: str, level: float, extend: bool) -> None:
    tb, eb, at = data
    res = kaplan_meier_at(tb, eb, at, conf_type=ct, conf_level=level, extend=extend)
    qs = np.sort(at)
    for b in range(tb.shape[0]):
        keep = ~np.isnan(tb[b])
        fit = kaplan_meier(tb[b][keep], eb[b][keep].astype(int), conf_type=ct,
                           conf_level=level)
        tab = fit.at(qs, extend=extend)
        valid = np.asarray(res.valid)[b]
        assert valid.sum() == len(tab)
        for f in ("surv", "std_err", "lower", "upper", "n_risk"):
            got = np.asarray(getattr(res, f))[b][valid]
            # documented: the batch accumulates in the same order, so equal to the bit
            np.testing.assert_array_equal(got, tab[f].to_numpy(), err_msg=f"batch row {b} {f}")
