"""ABC with early censoring (``[censoring] early``): lost to follow-up, censored at transplant.

Expected numbers come from hand derivations written in the docstrings and from R survival
(``tests/r/reanalyse_endpoint.R``), never from survkit's own output.

The trial used throughout is Pan et al. 2019's transplanted cohort (examples/pan2019_cd22_hsct)
with the cutoff moved 17 months after the last transplant: 1-year LFS 71.6% (95% CI,
44.2-99.0) among n = 11. Hand derivation (independent of survkit): without a censoring
before 12 months the estimate is k/11 (k survivors), and 8/11 = 72.7%, 7/11 = 63.6% do not
print 71.6; with two events among 11, one censoring, then the third event among 8 at risk,
``S = (9/11)(7/8) = 0.715909``, Greenwood ``var = S^2 (1/110 + 1/90 + 1/56)``, plain limits
``S -/+ 1.959964 sqrt(var) = 0.44217, 0.98965``: it prints. With every potential follow-up
above 17 months no censoring before 12 months is administrative, so the landmark needs an
early censoring.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import R_DIR, RSCRIPT, requires_rscript
from survkit.trial.errors import ReconstructionBudgetError
from survkit.trial.spec import Trial

Z = 1.959963984540054


def spec(early: str) -> Trial:
    return Trial.from_toml_string(
        f"""
[trial]
id = "LFS-far-cutoff"
n = 11
[accrual]
start = 2017-10-01
end = 2018-07-15
cutoff = 2019-12-31
[censoring]
early = {early}
[[endpoints]]
name = "LFS"
events = ["relapse", "death"]
landmarks = [{{ time = 12, text = "71.6% (95% CI, 44.2-99.0)" }}]
"""
    )


def test_hand_derivation() -> None:
    s = (9 / 11) * (7 / 8)
    se = s * math.sqrt(1 / 110 + 1 / 90 + 1 / 56)
    assert round(100 * s, 1) == 71.6
    assert (round(100 * (s - Z * se), 1), round(100 * (s + Z * se), 1)) == (44.2, 99.0)
    assert all(round(100 * k / 11, 1) != 71.6 for k in range(12))
    t = spec('"none"')
    assert (t.cutoff - t.accrual_end).days / t.unit_days > 17


# ----------------------------------------------------------------------------- the draws
def test_apply_early_censoring_by_hand() -> None:
    """Three patients, potential follow-up 20 days, censoring days 7, inf, 4.

    Patient 1 relapses on day 5 (observed: before 7) and would die on day 10 (not observed:
    after 7), so OS is censored early on day 7 -- one early censoring. Patient 2 dies on day
    3 and is followed to the cutoff. Patient 3 dies on day 3, before its censoring day 4: not
    censored early. One early censoring in all."""
    from survkit.trial.simulate import apply_early_censoring

    inf = np.inf
    rel = np.array([[5.0, inf, inf]])
    death = np.array([[10.0, 3.0, 3.0]])
    fu = np.full((1, 3), 20.0)
    end = np.array([[7.0, inf, 4.0]])
    r, d, e, k = apply_early_censoring(rel, death, fu, end)
    np.testing.assert_array_equal(r, [[5.0, inf, inf]])
    np.testing.assert_array_equal(d, [[inf, 3.0, 3.0]])
    np.testing.assert_array_equal(e, [[7.0, inf, inf]])
    assert k.tolist() == [1]


def test_draw_early_censoring_follows_the_spec() -> None:
    """``none``: nobody; a count of 2: exactly two patients per trial, each on a whole day in
    ``1 .. fu - 1``; ``unknown`` (in the batches that allow it): none in about half the trials
    (4000 trials: 2000 +/- 5 sd = 2000 +/- 158), at most ceil(11/3) = 4 otherwise."""
    from survkit.trial.simulate import draw_early_censoring

    rng = np.random.default_rng(3)
    fu = rng.integers(520, 820, size=(4000, 11)).astype(float)
    assert np.isinf(draw_early_censoring(spec('"none"'), fu, rng)).all()
    end = draw_early_censoring(spec("2"), fu, rng)
    fin = np.isfinite(end)
    assert (fin.sum(axis=1) == 2).all()
    assert (end[fin] >= 1).all() and (end[fin] <= fu[fin] - 1).all()
    assert np.array_equal(end[fin], np.floor(end[fin]))
    k = np.isfinite(draw_early_censoring(spec('"unknown"'), fu, rng)).sum(axis=1)
    assert abs(int((k == 0).sum()) - 2000) < 158
    assert k.max() == 4 and k.min() == 0


def test_without_early_censoring_nothing_prints() -> None:
    """``early = "none"``: every simulated trial's 1-year LFS is k/11 (derivation above), so
    none prints the estimate and ABC says the budget ran out (exit code 3 in the CLI), with
    the estimate as the fact no trial passed."""
    from survkit.trial.simulate import abc_reconstruct

    with pytest.raises(ReconstructionBudgetError, match=r"LFS at 12: estimate 0\b"):
        abc_reconstruct(spec('"none"'), draws=1, seed=1, max_trials=50_000, progress=False)


def _lfs(patients: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {"draw": patients["draw"], "time": patients["lfs_months"],
         "event": patients["lfs_event"].astype(int)}
    )


@pytest.fixture(scope="module")
def unknown_draws() -> Any:
    from survkit.trial.simulate import abc_reconstruct

    return abc_reconstruct(spec('"unknown"'), draws=12, seed=1, progress=False)


def test_unknown_early_censoring_is_reached(unknown_draws: Any) -> None:
    """``early = "unknown"``: ABC finds draws; each has a patient censored before 12 months
    (the derivation needs one) and prints the landmark (scalar Kaplan-Meier re-analysis of
    the ``lfs_months``/``lfs_event`` columns, which carry the early censoring)."""
    from survkit.estimate.km import kaplan_meier

    ens = unknown_draws
    assert ens.draws == 12 and ens.conf_type == "plain" and not ens.partial
    p = ens.patients
    assert "censored_months" in p
    assert (p.groupby("draw")["censored_months"].min() < 12).all()
    post = ens.abc.posterior
    assert (post["early_censorings"] >= 1).all()
    for _, d in _lfs(p).groupby("draw"):
        km = kaplan_meier(d["time"], d["event"], conf_type="plain").at([12.0])
        assert 0.7155 <= km["surv"].iloc[0] <= 0.7165
        assert 0.4415 <= km["lower"].iloc[0] <= 0.4425
        assert 0.9895 <= km["upper"].iloc[0] <= 0.9905


@requires_rscript
def test_r_reanalyses_the_early_censored_draws(unknown_draws: Any, tmp_path: Path) -> None:
    """R survival (survfit, conf.type = "plain") on every draw: 1-year LFS in [0.7155, 0.7165],
    lower in [0.4415, 0.4425], upper in [0.9895, 0.9905] (the printed numbers' intervals)."""
    src, out = tmp_path / "d.csv", tmp_path / "r.csv"
    _lfs(unknown_draws.patients).to_csv(src, index=False)
    assert RSCRIPT is not None
    subprocess.run([RSCRIPT, str(R_DIR / "reanalyse_endpoint.R"), str(src), str(out), "plain",
                    "12"], check=True, capture_output=True)
    r = pd.read_csv(out)
    assert len(r) == 12
    assert r["surv"].between(0.7155, 0.7165).all()
    assert r["lower"].between(0.4415, 0.4425).all()
    assert r["upper"].between(0.9895, 0.9905).all()


def test_a_printed_count_of_early_censorings_is_honoured() -> None:
    """``early = 1``: every draw has exactly one early censoring, and (derivation above) it
    must fall between the second and the third LFS event before 12 months: the risk sets at
    the three events are 11, 10, 8."""
    from survkit.trial.simulate import abc_reconstruct

    ens = abc_reconstruct(spec("1"), draws=5, seed=2, progress=False)
    p = ens.patients
    assert (p.groupby("draw")["censored_months"].count() == 1).all()
    for _, d in _lfs(p).groupby("draw"):
        ev = d[(d["event"] == 1) & (d["time"] <= 12)]["time"].sort_values().to_numpy()
        at_risk = [int((d["time"] >= x).sum()) for x in ev]
        assert at_risk == [11, 10, 8]


def test_unknown_tries_none_first() -> None:
    """``early = "unknown"`` with 20 batches of 10,000: the first 4 (20%) draw no early
    censoring, so no trial of them prints (derivation above) and the first draw comes from a
    later batch: more than 40,000 trials were simulated."""
    from survkit.trial.budget import Budget
    from survkit.trial.simulate import abc_reconstruct

    ens = abc_reconstruct(spec('"unknown"'), draws=1, seed=4,
                          budget=Budget(max_proposals=200_000, batch=10_000), progress=False)
    assert ens.draws == 1 and ens.proposals > 40_000


def test_same_draws_on_a_dask_client() -> None:
    """Early censoring is drawn from each batch's own generator: the same table locally and
    on a 2-worker cluster for the same seed and batch."""
    distributed = pytest.importorskip("distributed")
    from survkit.trial.budget import Budget
    from survkit.trial.simulate import abc_reconstruct

    budget = Budget(max_proposals=200_000, batch=10_000)
    t = spec('"unknown"')
    local = abc_reconstruct(t, draws=3, seed=5, budget=budget, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = abc_reconstruct(t, draws=3, seed=5, budget=budget, progress=False,
                                 client=client)
    assert local.draws == remote.draws == 3
    assert local.patients.equals(remote.patients)
