"""Hand-derived properties of the Aalen-Johansen fit (independent of R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survkit.estimate.cif import cumulative_incidence
from survkit.estimate.km import kaplan_meier
from survkit.estimate.logrank import logrank_test


def test_no_censoring_is_the_empirical_proportion_with_binomial_se() -> None:
    # Without censoring F_k(t) = d_k(t)/n, and the infinitesimal jackknife of a proportion is
    # dF/dw_i = (1[i has cause k by t] - F)/n, so Var = sum_i ((1_i - F)/n)^2 = F(1 - F)/n.
    rng = np.random.default_rng(11)
    n = 57
    time = rng.integers(1, 20, n).astype(float)
    cause = rng.integers(1, 4, n)
    fit = cumulative_incidence(time, cause)
    for k in range(3):
        f = np.array([np.sum((time <= t) & (cause == k + 1)) / n for t in fit.time])
        assert np.allclose(fit.estimate[:, k], f, rtol=0, atol=1e-15)
        assert np.allclose(fit.std_err[:, k], np.sqrt(f * (1 - f) / n), rtol=1e-12, atol=1e-15)


def test_incidences_and_event_free_survival_add_to_one() -> None:
    # sum_k F_k = 1 - S with S the Kaplan-Meier of "any cause" (module identity)
    rng = np.random.default_rng(5)
    time = rng.integers(1, 30, 80).astype(float)
    cause = rng.integers(0, 4, 80)
    fit = cumulative_incidence(time, cause)
    km = kaplan_meier(time, cause > 0)
    assert np.allclose(fit.estimate.sum(axis=1) + fit.surv, 1.0, atol=1e-14)
    assert np.allclose(fit.surv, km.surv, atol=1e-15)


def test_single_cause_is_one_minus_km_with_greenwood_free_ij() -> None:
    # One cause only: F = 1 - KM exactly (no competing event)
    time = [1, 2, 2, 3, 5, 8, 8, 9]
    ev = [1, 1, 0, 1, 0, 1, 1, 0]
    fit = cumulative_incidence(time, ev)
    km = kaplan_meier(time, ev)
    assert np.allclose(fit.estimate[:, 0], 1 - km.surv, atol=1e-15)


def test_groups_logrank_rho_matches_function() -> None:
    df = pd.DataFrame({"t": [1, 2, 3, 4, 5, 6, 7, 8.0], "e": [1, 1, 0, 1, 1, 0, 1, 1],
                       "g": list("aabbabab")})
    groups = kaplan_meier("t", "e", data=df, by="g")
    a = groups.logrank(rho=1)
    b = logrank_test(df.t, df.e, df.g, rho=1)
    assert a.statistic == pytest.approx(b.statistic) and a.rho == 1.0
