"""Parametric models, simulate_trial and ABC.

Expected values by derivation: an exponential model with S(12) = 0.68 has rate
-log(0.68)/12 = 0.032139; a cure model's S(t) tends to its cure fraction.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from survkit.trial.models import MODELS, SurvivalModel, fit_model
from survkit.trial.simulate import abc, simulate_trial
from survkit.trial.spec import Trial


@pytest.mark.parametrize("name", MODELS)
def test_fit_honours_interval(name: str) -> None:
    m = fit_model(name, [(12.0, 0.675, 0.69)])
    assert m.honoured
    assert 0.675 - 1e-6 <= float(m.survival(12.0)) <= 0.69 + 1e-6


def test_exponential_rate_and_sampler() -> None:
    m = SurvivalModel("exponential", (-math.log(0.68) / 12,))
    assert math.isclose(float(m.survival(12.0)), 0.68)
    x = m.sample((200_000,), np.random.default_rng(0))
    assert abs(np.mean(x > 12) - 0.68) < 0.005


def test_cure_plateau() -> None:
    m = SurvivalModel("cure", (0.5, 0.2))
    assert math.isclose(float(m.survival(1e6)), 0.5)
    x = m.sample((100_000,), np.random.default_rng(1))
    assert abs(np.mean(np.isinf(x)) - 0.5) < 0.01


def test_simulate_trial_censoring() -> None:
    m = SurvivalModel("exponential", (1e-9,))  # essentially no events
    sim = simulate_trial(m, 10, accrual=22.9, cutoff=24.2, trials=1000, seed=2)
    assert sim.time.shape == (1000, 10) and not sim.event.any()
    # administrative censoring: time = cutoff - entry
    assert np.allclose(sim.time, 24.2 - sim.entry)
    with pytest.raises(ValueError, match="n must be"):
        simulate_trial(m, 0, accrual=1, cutoff=2)


def test_abc_seed_os() -> None:
    res = abc(Trial.seed(), "OS", "cure", trials=50_000, seed=3)
    assert 0 < res.accepted < res.proposed
    assert "print the OS numbers" in res.statement()
    # every accepted trial prints 68% at 12 months: S(12) in [0.675, 0.69]
    from survkit.estimate.km import kaplan_meier

    for i in range(min(20, res.accepted)):
        s = kaplan_meier(res.time[i], res.event[i]).survival_at([12.0])[0]
        assert 0.675 <= s <= 0.69
