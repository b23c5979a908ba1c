"""The engine decides the real published trials of ``examples/`` (specs from their abstracts).

Each trial is either reconstructed -- every draw, re-analysed here with the scalar
Kaplan-Meier (and by R survival in the live test), prints every number under the spec's
rounding convention (nearest: a number printed with ``d`` decimals stands for
``[x - u/2, x + u/2]``, ``u = 10^-d``) -- or proven conflicting, the proof naming a smallest
set of printed facts. Citations and quotes are in each ``trial.toml``.
"""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import RSCRIPT, requires_rscript
from survkit.estimate.km import kaplan_meier
from survkit.trial import Budget, InfeasibleSpecError, Trial, reconstruct
from survkit.trial.spec import Landmark

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
R_ENDPOINT = Path(__file__).parent / "r" / "reanalyse_endpoint.R"


def _trial(name: str) -> Trial:
    return Trial.from_toml(EXAMPLES / name / "trial.toml")


def _near(x: float, printed: float, decimals: int) -> bool:
    u = 10.0**-decimals
    return printed - u / 2 - 1e-9 <= x <= printed + u / 2 + 1e-9


@pytest.fixture(scope="module")
def pan() -> object:
    return reconstruct(_trial("pan2019_cd22_hsct"), draws=10, seed=1, progress=False)


def test_pan2019_reconstructed(pan) -> None:  # type: ignore[no-untyped-def]
    """Pan et al. 2019: 1-year LFS 71.6% (95% CI, 44.2-99.0), 8 of 11 in remission at 4.6 to
    13.3 months (censored). Plain CI; every draw prints the three numbers, has 8 patients
    alive in remission and censored times printing 4.6 and 13.3."""
    assert pan.draws == 10 and pan.conf_type == "plain"
    for _, d in pan.patients.groupby("draw"):
        fit = kaplan_meier(d["lfs_months"], d["lfs_event"], conf_type="plain").at([12])
        assert _near(100 * fit["surv"].iloc[0], 71.6, 1)
        assert _near(100 * fit["lower"].iloc[0], 44.2, 1)
        assert _near(100 * fit["upper"].iloc[0], 99.0, 1)
        assert (d["status"] == 0).sum() == 8
        printed = d["event_id"].isin(["shortest_in_remission", "longest_in_remission"])
        times = sorted(d.loc[printed, "lfs_months"])
        assert _near(times[0], 4.6, 1) and _near(times[1], 13.3, 1)


@requires_rscript
def test_pan2019_draws_reanalysed_by_r(pan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = pan.patients
    frame = pd.DataFrame({"draw": p["draw"], "time": p["lfs_months"], "event": p["lfs_event"]})
    src, out = tmp_path / "d.csv", tmp_path / "r.csv"
    frame.to_csv(src, index=False, float_format="%.12f")
    assert RSCRIPT is not None
    subprocess.run([RSCRIPT, str(R_ENDPOINT), str(src), str(out), "plain", "12"], check=True)
    r = pd.read_csv(out)
    assert {f"{100 * x:.1f}" for x in r["surv"]} == {"71.6"}
    assert {f"{100 * x:.1f}" for x in r["lower"]} == {"44.2"}
    assert {f"{100 * x:.1f}" for x in r["upper"]} == {"99.0"}


def test_raje2019_medians_only_reconstructed() -> None:
    """Raje et al. 2019: median PFS 11.8 months (95% CI, 6.2 to 17.8), at least 6 relapses,
    nothing else about PFS. Every draw prints the median and both limits."""
    ens = reconstruct(_trial("raje2019_bb2121"), draws=10, seed=2, progress=False)
    assert ens.draws == 10
    for _, d in ens.patients.groupby("draw"):
        q = kaplan_meier(d["pfs_months"], d["pfs_event"], conf_type=ens.conf_type).median()
        assert _near(q.estimate, 11.8, 1) and _near(q.lower, 6.2, 1) and _near(q.upper, 17.8, 1)
        assert d["relapse_months"].notna().sum() >= 6


def test_tan2023_conflict_is_proven() -> None:
    """Tan et al. 2023: 24-month OS 42.3% (18.8-65.8) with n = 20 (plain) keeps the upper band
    above 1/2 up to 24 months, so the printed median-OS upper limit 20.8 is impossible (the
    hand derivation is in tests/test_engine.py); the smallest set is those two facts."""
    with pytest.raises(InfeasibleSpecError) as exc:
        reconstruct(_trial("tan2023_cd7_longterm"), draws=50, seed=1, progress=False)
    # one set per method tried: plain, then landmarks by hand with medians by software
    # under each band transform (the landmarks are symmetric: hand-consistent too)
    keys = list(exc.value.conflicts)
    assert keys[0].startswith("plain") and any(k.startswith("hand/log") for k in keys)
    for facts in exc.value.conflicts.values():
        assert len(facts) == 2
        assert any("OS at 24" in f for f in facts) and any("median OS" in f for f in facts)


def test_hu2022_chemo_landmark_by_hand_gives_draws() -> None:
    """Hu et al. 2022, chemotherapy group: 3-year LFS 28.6% (4.9-52.3), n = 14, which no
    transform prints at full precision but a hand calculation does (derivation in
    tests/test_real_trials.py: ten events without censoring, S = 4/14, 1.96 SE = 23.666 ->
    23.7, 28.6 -/+ 23.7). Recall first: no conflict is claimed; every draw has that history
    and the run says the landmarks were computed by hand."""
    ens = reconstruct(_trial("hu2022_mrd_chemo"), draws=20, seed=1, progress=False)
    assert ens.draws == 20 and ens.conf_type == "hand/log"
    assert set(ens.histories("LFS", 36.0)) == {"(14, 13, 12, 11, 10, 9, 8, 7, 6, 5)"}
    assert "landmarks computed by hand" in ens.report()


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "park2018_19-28z",
        "hu2022_mrd_cart",
        "pan2019_cd22_hsct",
        "hanna2024_nivolumab_pvl",
        "roddie2021_allcar19",
    ],
)
def test_fifty_draws_decided(name: str) -> None:
    """50 draws of each reconstructable trial, every number verified by the engine (and the
    follow-up definitions reported)."""
    ens = reconstruct(_trial(name), draws=50, seed=1, progress=False, budget=Budget())
    assert ens.draws == 50
    assert ens.check()["all_ok"].all()
    assert np.isfinite(ens.elapsed)


# first method each example trial is decided under (the transform the landmark check found;
# tests/test_real_trials.py derives each): only the hand-only landmark changes, to
# "landmarks by hand, medians by software"
EXAMPLE_METHODS = {
    "hanna2024_nivolumab_pvl": "log-log",
    "hu2022_mrd_cart": "plain",
    "hu2022_mrd_chemo": "hand/log",
    "maude2014_ctl019": "log",
    "nct04599556": "log",
    "pan2019_cd22_hsct": "plain",
    "park2018_19-28z": "log",
    "raje2019_bb2121": "log",
    "tan2023_cd7_longterm": "plain",
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_METHODS))
def test_example_decisions_under_one_software(name: str) -> None:
    from survkit.trial.methods import find_methods, hand_candidates

    t = _trial(name)
    findings, common = find_methods(t)
    assert "hand" not in common  # a transform list: "hand" alone is no software for medians
    medians = any(e.median_ci is not None for e in t.endpoints)
    methods = (*common, *hand_candidates(findings, common, medians))
    assert methods[0] == EXAMPLE_METHODS[name]
    if name == "tan2023_cd7_longterm":  # symmetric landmarks: by hand, medians by software
        assert methods[1:] == tuple(
            f"hand/{c}" for c in ("log", "plain", "log-log", "logit", "arcsin")
        )


def test_hand_ci_is_verified_by_history() -> None:
    """A table whose history differs from the one hand history fails the hand-CI row.

    28.6% (4.9-52.3) by hand needs ten events among 14 without censoring before 36 months
    (derivation in tests/test_real_trials.py); 14 patients with ten deaths at months 1..10
    and four followed to 40 months have it, and censoring one of the four at month 5
    (before the 6th death) changes the risk sets, so its row fails.
    """
    from survkit.trial.reanalysis import reanalyse

    t = _trial("hu2022_mrd_chemo")
    u = t.unit
    death = [float(k) for k in range(1, 11)] + [np.nan] * 4
    good = pd.DataFrame(
        {f"followup_{u}": [40.0] * 14, f"relapse_{u}": [np.nan] * 14, f"death_{u}": death}
    )
    rows = reanalyse(t, good, "hand/log").set_index("quantity")
    assert bool(rows.loc["LFS at 36: CI by hand", "ok"])
    assert bool(rows.loc["LFS at 36: estimate", "ok"])  # 4/14 = 28.57% prints 28.6
    bad = good.assign(**{f"followup_{u}": [40.0] * 13 + [5.0]})
    rows = reanalyse(t, bad, "hand/log").set_index("quantity")
    assert not bool(rows.loc["LFS at 36: CI by hand", "ok"])


def test_hand_only_beside_transform_only_landmarks_is_decided_per_endpoint() -> None:
    """One landmark only a hand calculation prints (Hu 2022's 28.6% (4.9-52.3), n = 14),
    another only R's log transform prints (78.6% (59.8-100): 11/14 without censoring, log
    CI 0.598..1, asymmetric, so not by hand): no one method for both, but a paper may compute
    endpoints with different software, so each endpoint gets its own method and the draws
    print both (LFS by hand, OS under R's log)."""
    t = _trial("hu2022_mrd_chemo")
    os_ep = dataclasses.replace(
        t.endpoints[0],
        name="OS",
        events=("death",),
        landmarks=(Landmark(36.0, "78.6% (95% CI, 59.8-100%)"),),
    )
    t2 = dataclasses.replace(t, endpoints=(*t.endpoints, os_ep))
    ens = reconstruct(t2, draws=5, seed=1, progress=False)
    assert ens.draws == 5 and ens.conf_type == "LFS: hand/log; OS: log"
    assert ens.check()["all_ok"].all()
    assert "one CI method per endpoint" in ens.report()
