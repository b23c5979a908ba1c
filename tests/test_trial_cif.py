"""Batched relapse / NRM incidences for trial draws: bit-identical to cumulative_incidence."""

from __future__ import annotations

import numpy as np
import pytest

from survkit.estimate.cif import cumulative_incidence
from survkit.trial.cif import competing_outcome, incidence_at_batch, incidence_fit


def test_competing_outcome_by_hand() -> None:
    # relapse 3, death 5, fu 10 -> relapse at 3; death 2 before relapse 4 -> NRM at 2;
    # relapse 12 after fu 10 -> censored at 10; relapse = death = 6 -> relapse (tie rule)
    t, c = competing_outcome([3, 4, 12, 6], [5, 2, np.inf, 6], [10, 10, 10, 10])
    assert t.tolist() == [3, 2, 10, 6]
    assert c.tolist() == [1, 2, 0, 1]


@pytest.mark.parametrize("seed", range(5))
def test_batch_is_bit_identical_to_single_fits(seed: int) -> None:
    rng = np.random.default_rng(seed)
    b, n = 40, 25
    rel = np.where(rng.random((b, n)) < 0.4, rng.integers(1, 20, (b, n)), np.inf)
    death = np.where(rng.random((b, n)) < 0.5, rng.integers(1, 30, (b, n)), np.inf)
    fu = rng.integers(5, 36, (b, n)).astype(float)
    time, cause = competing_outcome(rel, death, fu)
    landmarks = [0.0, 3.0, 12.0, 12.5, 24.0, 40.0]
    got = incidence_at_batch(time, cause, landmarks)
    for i in range(b):
        if not (cause[i] > 0).any():
            assert np.all(got[i] == 0)
            continue
        fit = cumulative_incidence(time[i], cause[i])
        for k, lab in enumerate(("1", "2")):
            if lab not in fit.causes:
                assert np.all(got[i, k] == 0)
                continue
            exp = fit.incidence_at(landmarks, lab)
            assert np.array_equal(got[i, k], exp), (i, lab, got[i, k], exp)


def test_identity_in_every_draw() -> None:
    # relapse + NRM + LFS = 1 for each table (LFS = 1 - sum of the incidences)
    rng = np.random.default_rng(7)
    rel = np.where(rng.random((10, 30)) < 0.3, rng.integers(1, 20, (10, 30)), np.inf)
    death = np.where(rng.random((10, 30)) < 0.4, rng.integers(1, 30, (10, 30)), np.inf)
    fu = np.full((10, 30), 24.0)
    fit = incidence_fit(rel[0], death[0], fu[0])
    assert fit.estimate[-1].sum() + fit.surv[-1] == pytest.approx(1.0, abs=1e-14)


def test_shape_mismatch() -> None:
    with pytest.raises(ValueError, match="same shape"):
        incidence_at_batch(np.ones((2, 3)), np.ones((2, 4), dtype=int), [1.0])


def test_incidence_landmarks_match_single_fits() -> None:
    from survkit.trial.cif import incidence_landmarks

    rng = np.random.default_rng(3)
    b, n = 12, 20
    rel = np.where(rng.random((b, n)) < 0.4, rng.integers(1, 20, (b, n)), np.inf)
    death = np.where(rng.random((b, n)) < 0.5, rng.integers(1, 30, (b, n)), np.inf)
    fu = np.full((b, n), 24.0)
    res = incidence_landmarks(rel, death, fu, [6.0, 12.0], cause="nrm", conf_type="log-log")
    for i in range(b):
        fit = incidence_fit(rel[i], death[i], fu[i], conf_type="log-log")
        if "2" not in fit.causes:
            continue
        tab = fit.at([6.0, 12.0], extend=True)
        tab = tab[tab["cause"] == "2"]
        assert np.array_equal(res.estimate[i], tab["estimate"].to_numpy())
        assert np.array_equal(res.upper[i], tab["upper"].to_numpy(), equal_nan=True)
    with pytest.raises(ValueError, match="cause must be"):
        incidence_landmarks(rel, death, fu, [6.0], cause="death")
