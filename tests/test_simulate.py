"""Parametric models, simulate_trial and ABC.

Expected values by derivation: an exponential model with S(12) = 0.68 has rate
-log(0.68)/12 = 0.032139; a cure model's S(t) tends to its cure fraction.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
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
    # every accepted trial prints 68% at 12 months: S(12) in [0.675, 0.69], up to float
    # noise at the ends: 0.9 * 7/8 * 6/7 (R's factors, R's bits) is 0.67499999999999993,
    # the 27/40 = 0.675 that prints 68% (the acceptance allows 1e-12, as here)
    from survkit.estimate.km import kaplan_meier

    for i in range(min(20, res.accepted)):
        s = kaplan_meier(res.time[i], res.event[i]).survival_at([12.0])[0]
        assert 0.675 - 1e-12 <= s <= 0.69 + 1e-12


# ----------------------------------------------------------------------------- batched medians
def test_batched_median_hand_case() -> None:
    """Ten events at 1..10, none censored: S = 0.5 exactly on [5, 6), so R's rule gives the
    midpoint 5.5; one more patient (11 events) gives S(6) = 5/11 < 0.5 first at 6."""
    from survkit.estimate.batch import kaplan_meier_median

    t = np.vstack([np.r_[np.arange(1.0, 11.0), np.nan], np.arange(1.0, 12.0)])
    e = np.ones_like(t)
    mb = kaplan_meier_median(t, e)
    assert mb.estimate.tolist() == [5.5, 6.0]


def test_batched_median_equals_the_r_identical_km() -> None:
    """Row by row equal to ``kaplan_meier(...).median()`` (itself checked against R survival
    in test_km_r.py), for every transform, with ties, censoring and NR limits."""
    from survkit.estimate.batch import kaplan_meier_median
    from survkit.estimate.km import kaplan_meier

    rng = np.random.default_rng(7)
    t = np.maximum(np.round(rng.exponential(10, (400, 12))), 1.0)
    e = rng.random((400, 12)) < 0.7
    for ct in ("log", "log-log", "plain", "logit", "arcsin"):
        mb = kaplan_meier_median(t, e, conf_type=ct)
        for i in range(t.shape[0]):
            q = kaplan_meier(t[i], e[i], conf_type=ct).median()
            for got, want in ((mb.estimate[i], q.estimate), (mb.lower[i], q.lower),
                              (mb.upper[i], q.upper)):
                assert (math.isnan(got) and math.isnan(want)) or got == want, (ct, i)


# ----------------------------------------------------------------------------- ABC, any endpoint
LFS_SPEC = """
[trial]
id = "LFS-only"
n = 11
origin = "transplantation"
[accrual]
start = 2017-10-01
end = 2018-07-15
cutoff = 2018-11-25
[[endpoints]]
name = "LFS"
events = ["relapse", "death"]
landmarks = [{ time = 12, text = "71.6% (95% CI, 44.2-99.0)" }]
"""


def test_abc_non_os_endpoint_only() -> None:
    """A composite endpoint without any OS number (Pan et al. 2019's transplanted cohort).
    Every draw prints 71.6% (44.2-99.0) at 12 months: S in [0.7155, 0.717], lower in
    [0.4415, 0.443], upper in [0.9895, 0.991] (nearest or truncated rounding, the printed
    numbers' intervals); the CI transform is plain (the interval is symmetric). The spec's
    early censoring is "unknown", so a draw may censor patients before the cutoff: each
    endpoint's ``lfs_months``/``lfs_event`` columns carry it (the event, or the end of
    observation: the cutoff or the early censoring), and the first relapse or death is
    recomputed from the latent columns to check them."""
    from survkit.estimate.km import kaplan_meier
    from survkit.trial.simulate import abc_reconstruct

    ens = abc_reconstruct(Trial.from_toml_string(LFS_SPEC), draws=8, seed=2, progress=False)
    assert ens.conf_type == "plain" and ens.draws == 8
    for _, d in ens.patients.groupby("draw"):
        rel, dead = d["relapse_months"], d["death_months"]
        ev = rel.notna() | dead.notna()
        assert (d["lfs_event"].to_numpy() == ev.to_numpy()).all()
        first = np.fmin(rel.fillna(np.inf), dead.fillna(np.inf))
        assert np.allclose(d["lfs_months"][ev], first[ev])
        cens = d["censored_months"] if "censored_months" in d else np.nan
        end = np.fmin(d["followup_months"], pd.Series(cens, index=d.index).fillna(np.inf))
        assert np.allclose(d["lfs_months"][~ev], end[~ev])
        tt, ee = d["lfs_months"].to_numpy(), d["lfs_event"].to_numpy()
        km = kaplan_meier(tt, ee, conf_type="plain").at([12.0])
        assert 0.7155 <= km["surv"].iloc[0] <= 0.717
        assert 0.4415 <= km["lower"].iloc[0] <= 0.443
        assert 0.9895 <= km["upper"].iloc[0] <= 0.991


MEDIAN_SPEC = """
[trial]
id = "median-only"
n = 20
[accrual]
start = 2020-01-01
end = 2020-12-31
cutoff = 2022-12-31
[[endpoints]]
name = "PFS"
events = ["relapse", "death"]
median = "12"
[[endpoints]]
name = "OS"
events = ["death"]
median = "NR"
"""


def test_abc_medians_only_and_nr() -> None:
    """No landmark at all: a PFS median printed 12 (so in [11.5, 13), nearest or truncated)
    and an OS median printed NR (not reached: no ABC refusal). Each draw is re-analysed
    with the scalar KM from its endpoint columns (``os_months``/``os_event``, which carry any
    early censoring of the draw: the spec's early censoring is "unknown")."""
    from survkit.estimate.km import kaplan_meier
    from survkit.trial.simulate import abc_reconstruct

    ens = abc_reconstruct(Trial.from_toml_string(MEDIAN_SPEC), draws=6, seed=5, progress=False)
    assert ens.draws == 6
    for _, d in ens.patients.groupby("draw"):
        dead = d["death_months"].notna().to_numpy()
        assert (d["os_event"].to_numpy() == dead).all()
        assert math.isnan(kaplan_meier(d["os_months"], d["os_event"]).median().estimate)
        rel, dth = d["relapse_months"], d["death_months"]
        ev = (rel.notna() | dth.notna()).to_numpy()
        assert (d["pfs_event"].to_numpy() == ev).all()
        med = kaplan_meier(d["pfs_months"], d["pfs_event"]).median().estimate
        assert 11.5 - 1e-9 <= med <= 13.0


def test_abc_empty_batches_do_not_crash() -> None:
    """Batches where the earliest-relapse filter rejects every trial (a relapse-heavy
    endpoint, no relapse allowed before 13 months) end in the budget message, not in a
    'time is empty' error; the message says how far the trials got."""
    from survkit.trial.simulate import abc_reconstruct

    spec = LFS_SPEC.replace('origin = "transplantation"', "earliest_relapse = 13")
    with pytest.raises(RuntimeError, match=r"no simulated trial printed every number in 40 "):
        abc_reconstruct(
            Trial.from_toml_string(spec), draws=1, seed=1, batch=4, max_trials=40,
            models=("exponential",), progress=False,
        )


def test_abc_seed_is_keyword_only_and_recorded() -> None:
    from survkit.trial.simulate import abc_reconstruct

    t = Trial.from_toml_string(LFS_SPEC)
    with pytest.raises(TypeError):
        abc_reconstruct(t, 2, 3)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="seed must be an integer"):
        abc_reconstruct(t, draws=1, seed=1.5, progress=False)  # type: ignore[arg-type]
    a = abc_reconstruct(t, draws=2, progress=False)
    assert isinstance(a.seed, int)
    b = abc_reconstruct(t, draws=2, seed=a.seed, progress=False)
    assert a.patients.equals(b.patients)  # the recorded seed repeats the run


def test_abc_budget_object() -> None:
    """The knobs live in the trial Budget (max_proposals simulated trials, batch per step);
    the plain keywords remain, but not together with a budget."""
    from survkit.trial.budget import Budget
    from survkit.trial.simulate import abc_reconstruct

    spec = LFS_SPEC.replace('origin = "transplantation"', "earliest_relapse = 13")
    t = Trial.from_toml_string(spec)
    with pytest.raises(RuntimeError, match=r"no simulated trial printed every number in 30 "):
        abc_reconstruct(t, draws=1, seed=1, budget=Budget(max_proposals=30, batch=7),
                        models=("exponential",), progress=False)
    with pytest.raises(ValueError, match="either budget or batch/max_trials"):
        abc_reconstruct(t, draws=1, budget=Budget(), max_trials=10, progress=False)
    with pytest.raises(TypeError, match="budget must be a survkit Budget"):
        abc_reconstruct(t, draws=1, budget={"max_proposals": 10}, progress=False)  # type: ignore[arg-type]


def test_abc_partial_when_the_budget_runs_out() -> None:
    """Fewer accepted trials than asked for within the budget: the draws found are returned
    and marked partial (not silently fewer)."""
    from survkit.trial.simulate import abc_reconstruct

    t = Trial.from_toml_string(LFS_SPEC)
    full = abc_reconstruct(t, draws=3, seed=2, progress=False)
    assert full.draws == 3 and not full.partial
    part = abc_reconstruct(t, draws=10_000, seed=2, max_trials=20_000, progress=False)
    assert 0 < part.draws < 10_000 and part.partial
