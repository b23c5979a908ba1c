"""The history engine (survkit.trial.history) on real trials: proofs and proven minima.

Expected results come from derivations written out here (brute force over risk sets with
Greenwood's formula and R's log-log limits, coded independently of survkit) or from R.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

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


def test_xu2021_pfs_landmarks_are_not_called_conflicting() -> None:
    """Xu 2021 (n = 58): 1-year PFS 60% (46-71) and 2-year PFS 35% (23-47) hold together:
    one censoring, then 23 events before 12 months and 14 more before 24 prints both in R
    (tests/test_joint_landmarks_recall.py). The printed-CI check's unrestricted listing at 24
    months is capped; listed per event count it is complete (trial.listing), and that list
    holds the history above (37 events before 24 months), so the joint check finds no
    conflict."""
    from survkit.trial.history import joint_landmark_conflict
    from survkit.trial.methods import find_methods

    t = Trial.from_toml(EXAMPLES / "xu2021_fulvestrant" / "trial.toml")
    findings = find_methods(t)[0]
    assert joint_landmark_conflict(t, "log-log", findings) == ("", ())
    f24 = next(f for f in findings if f.endpoint == "PFS" and f.time == 24)
    # a history with k events before 24 months has S <= (58 - k)/58, and 35% needs
    # S >= 0.345, so k <= 37: the certified list has 37 events for the history above
    assert f24.total_events["log-log"] is not None
    assert 37 in f24.total_events["log-log"]


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
    """The joint check of one endpoint's landmarks is a layer of its own, for trials the
    history engine does not cover too. Roddie 2021's 6-month EFS 68.3% (42.4-84.4) beside a
    12-month 75.0% (50.0-88.7) (five events among 20 without censoring: S = 15/20, log-log
    limits 0.4999 and 0.8875, derived by `_loglog`; the check lists that one history, count
    certified) is impossible: the curve after the first events of the 12-month history is at
    least 0.75 > 0.6835. Proven with a second reading (outside the history engine), naming
    both landmarks; Hanna 2024's three landmarks and Xu 2021's two (capped lists) are not
    called conflicting."""
    import dataclasses

    from survkit.trial.history import covers, joint_landmark_conflict
    from survkit.trial.methods import find_methods
    from survkit.trial.spec import Landmark, Reading

    s, lo, hi = _loglog((20, 19, 18, 17, 16))
    text = f"{100 * s:.1f}% (95% CI, {100 * lo:.1f}-{100 * hi:.1f})"
    assert text == "75.0% (95% CI, 50.0-88.7)"
    t = Trial.from_toml(EXAMPLES / "roddie2021_allcar19" / "trial.toml")
    efs = dataclasses.replace(
        t.endpoints[0], landmarks=(t.endpoints[0].landmarks[0], Landmark(12.0, text))
    )
    bad = dataclasses.replace(
        t,
        endpoints=(efs,),
        readings=(*t.readings, Reading("other", (), "a second reading")),
    )
    assert covers(bad, "log-log", find_methods(bad)[0])  # outside the history engine
    proof, names = joint_landmark_conflict(bad, "log-log", find_methods(bad)[0])
    assert proof and len(names) == 2 and "68.3%" in names[0] and "75.0%" in names[1]
    with pytest.raises(InfeasibleSpecError, match=r"EFS at 6 .*EFS at 12"):
        reconstruct(bad, draws=5, seed=1, progress=False)
    for name in ("hanna2024_nivolumab_pvl", "xu2021_fulvestrant"):
        ok = Trial.from_toml(EXAMPLES / name / "trial.toml")
        assert joint_landmark_conflict(ok, "log-log", find_methods(ok)[0]) == ("", ())


def test_hanna2024_with_potential_follow_up_only_is_a_proven_conflict() -> None:
    """Potential follow-up (cutoff - first dose) is at least cutoff - end of accrual =
    2022-09-15 - 2021-12-31 = 258 days = 8.48 months for every patient, so a printed shortest
    follow-up of 5.4 months cannot be potential follow-up."""
    import dataclasses

    t = Trial.from_toml(EXAMPLES / "hanna2024_nivolumab_pvl" / "trial.toml")
    assert (t.cutoff - t.accrual_end).days == 258
    t2 = dataclasses.replace(t, followup=dataclasses.replace(t.followup, definition="potential"))
    with pytest.raises(InfeasibleSpecError, match=r"shortest follow-up 5\.4") as e:
        reconstruct(t2, draws=5, seed=1, progress=False)
    (facts,) = e.value.conflicts.values()
    assert len(facts) == 2
