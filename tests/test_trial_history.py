"""The history engine (survkit.trial.history) on real trials: proofs and proven minima.

Expected results come from derivations written out here (brute force over risk sets with
Greenwood's formula and R's log-log limits, coded independently of survkit) or from R.
"""

from __future__ import annotations

import itertools
import math
import subprocess
from pathlib import Path

import pytest

from conftest import RSCRIPT, requires_rscript
from survkit.trial.errors import InfeasibleSpecError
from survkit.trial.exact import reconstruct
from survkit.trial.spec import Trial

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
Z = 1.959963984540054


def _loglog(at_risk: tuple[int, ...]) -> tuple[float, float, float]:
    """S, lower, upper of R's log-log CI after events at these risk sets (one event each)."""
    s = math.prod(1 - 1 / r for r in at_risk)
    se = math.sqrt(sum(1 / (r * (r - 1)) for r in at_risk))
    a = math.exp(-math.exp(math.log(-math.log(s)) + Z * se / math.log(s)))
    b = math.exp(-math.exp(math.log(-math.log(s)) - Z * se / math.log(s)))
    return s, min(a, b), max(a, b)


def test_roddie2021_needs_two_early_censorings_derivation() -> None:
    """ALLCAR19 (n = 20): 6-month EFS 68.3% (42.4-84.4), log-log. Every history (risk sets
    r_1 > ... > r_k at the events up to 6 months) printing it has at least two censorings
    before its last event, i.e. before 6 months; the shortest potential follow-up is cutoff -
    end of accrual = 2020-09-01 - 2020-03-01 = 184 days = 6.05 months, so those patients
    were not followed to the cutoff: at least two early censorings."""
    n = 20
    best = None
    for k in range(1, 9):
        for rs in itertools.combinations(range(n, 1, -1), k):
            s, lo, hi = _loglog(rs)
            if (round(100 * s, 1), round(100 * lo, 1), round(100 * hi, 1)) == (68.3, 42.4, 84.4):
                censored_before_last = n - rs[-1] - (k - 1)
                best = censored_before_last if best is None else min(best, censored_before_last)
    assert best == 2
    t = Trial.from_toml(EXAMPLES / "roddie2021_allcar19" / "trial.toml")
    assert (t.cutoff - t.accrual_end).days / t.unit_days > 6.0


@pytest.fixture(scope="module")
def roddie() -> object:
    t = Trial.from_toml(EXAMPLES / "roddie2021_allcar19" / "trial.toml")
    return reconstruct(t, draws=50, seed=1, progress=False)


def test_roddie2021_draws_use_the_proven_fewest_early_censorings(roddie: object) -> None:
    ens = roddie
    assert ens.draws == 50 and ens.engine == "history"  # type: ignore[attr-defined]
    early = ens.patients.groupby("draw")["censored_months"].count()  # type: ignore[attr-defined]
    assert (early == 2).all()
    notes = " ".join(ens.notes)  # type: ignore[attr-defined]
    assert "at least 2 early censorings are needed (proof:" in notes
    assert "the fewest (proven)" in notes
    assert ens.check()["all_ok"].all()  # type: ignore[attr-defined]


def test_xu2021_pfs_landmarks_are_proven_to_conflict() -> None:
    """Xu 2021 (n = 58): 1-year PFS 60% (46-71) and 2-year PFS 35% (23-47). Only log-log
    prints both (12 months: log-log or logit; 24 months: plain, log-log or arcsin), and the
    history of the first 12 months is a prefix of the 24-month one: no 24-month history has
    a prefix printing the 12-month numbers (R re-derives it below), a proof naming the two."""
    t = Trial.from_toml(EXAMPLES / "xu2021_fulvestrant" / "trial.toml")
    with pytest.raises(InfeasibleSpecError, match=r"PFS at 12 .*PFS at 24") as e:
        reconstruct(t, draws=50, seed=1, progress=False)
    (facts,) = e.value.conflicts.values()
    assert len(facts) == 2 and "60%" in facts[0] and "35%" in facts[1]
    assert "log-log" in str(e.value)


@requires_rscript
def test_xu2021_no_prefix_prints_the_year_landmark_in_r(tmp_path: Path) -> None:
    """R survival on each history the printed-CI check lists for 35% (23-47) at 24 months
    (n = 58, log-log): none of its prefixes prints 60 (46-71) (each prints 60 (46-72))."""
    from survkit import check_ci

    hs = check_ci(["35% (95% CI, 23%-47%)"], n=58).histories["log-log"]
    assert hs
    src = tmp_path / "h.txt"
    src.write_text("\n".join(",".join(str(x) for x in h.at_risk) for h in hs) + "\n")
    assert RSCRIPT is not None
    out = subprocess.run(
        [RSCRIPT, str(Path(__file__).parent / "r" / "prefix_landmark.R"), str(src), "58",
         "log-log", "60", "46", "71"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert len(out) == 2 * len(hs)
    assert all(c == "0" for c in out[1::2])


def test_undecided_message_says_what_the_history_engine_decided() -> None:
    """Maude 2014 (an OS landmark beside EFS) with a tiny budget is undecided (exit 3): the
    message still says what was decided, the history engine's part included."""
    from survkit.trial.budget import Budget
    from survkit.trial.errors import ReconstructionBudgetError

    t = Trial.from_toml(EXAMPLES / "maude2014_ctl019" / "trial.toml")
    small = Budget(max_proposals=2000, pilot_size=1000, construct_pilot=1000, cbatch=500,
                   batch=1000)
    with pytest.raises(ReconstructionBudgetError, match="not decided") as e:
        reconstruct(t, draws=50, seed=1, progress=False, budget=small)
    assert "CI transform log" in e.value.decided
    assert "history engine: discrete layer:" in e.value.decided


def test_roddie2021_draws_infuse_inside_the_accrual_window(roddie: object) -> None:
    """Every infusion date lies in the printed (assumed) accrual window 2017-03-01..2020-03-01
    and every early censoring (two per draw) falls before 6 months."""
    import pandas as pd

    p = roddie.patients  # type: ignore[attr-defined]
    d = pd.to_datetime(p["infusion_date"])
    assert (d >= pd.Timestamp("2017-03-01")).all() and (d <= pd.Timestamp("2020-03-01")).all()
    early = p[p["censored_months"] < 6].groupby("draw").size()
    assert len(early) == 50 and (early == 2).all()


def test_roddie2021_with_no_early_censoring_is_a_proven_conflict() -> None:
    """With ``[censoring] early = "none"`` (or at most one) the two censorings before 6 months
    derived above are impossible: a proof, not an undecided search."""
    import dataclasses

    from survkit.trial.spec import CensoringFacts

    t = Trial.from_toml(EXAMPLES / "roddie2021_allcar19" / "trial.toml")
    for early in ("none", (0, 1)):
        t2 = dataclasses.replace(t, censoring=CensoringFacts(early, ()))
        with pytest.raises(InfeasibleSpecError, match="at least 2 early censorings needed"):
            reconstruct(t2, draws=5, seed=1, progress=False)


def test_joint_landmark_check_applies_to_every_trial() -> None:
    """The joint check of one endpoint's landmarks is a layer of its own (not only inside the
    history engine): Xu 2021's two PFS landmarks conflict (derived above), Hanna 2024's three
    CFS landmarks do not (its draws print all three), and a trial the history engine does not
    cover -- Xu with a second reading -- is still proven conflicting."""
    import dataclasses

    from survkit.trial.history import covers, joint_landmark_conflict
    from survkit.trial.methods import find_methods
    from survkit.trial.spec import Reading

    xu = Trial.from_toml(EXAMPLES / "xu2021_fulvestrant" / "trial.toml")
    proof, names = joint_landmark_conflict(xu, "log-log", find_methods(xu)[0])
    assert proof and len(names) == 2 and "60%" in names[0] and "35%" in names[1]
    hanna = Trial.from_toml(EXAMPLES / "hanna2024_nivolumab_pvl" / "trial.toml")
    assert joint_landmark_conflict(hanna, "log-log", find_methods(hanna)[0]) == ("", ())
    two = dataclasses.replace(
        xu, readings=(*xu.readings, Reading("other", (), "a second reading"))
    )
    assert covers(two, "log-log", find_methods(two)[0])  # outside the history engine
    with pytest.raises(InfeasibleSpecError, match=r"PFS at 12 .*PFS at 24"):
        reconstruct(two, draws=5, seed=1, progress=False)
