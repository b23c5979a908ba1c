"""The trial engine: proofs of conflict through histories, and the general (search) engine.

Expected numbers come from hand derivations written out here (Greenwood's formula, R's
median rule) or from R survival re-analysing the draws, never from survkit's own output.
"""

from __future__ import annotations

import math
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import RSCRIPT, requires_rscript
from survkit.trial import Trial, reconstruct
from survkit.trial.errors import InfeasibleSpecError
from survkit.trial.facts import FactKey, trial_facts
from survkit.trial.methods import find_methods
from survkit.trial.problem import median_band_conflict

Z = 1.959963984540054
R_ENDPOINT = Path(__file__).parent / "r" / "reanalyse_endpoint.R"

# The issue's example: 24-month OS 42.3% (18.8-65.8), n = 20, a plain (symmetric) CI, and a
# median OS whose upper CI limit is printed 20.8 months.
ISSUE_EXAMPLE = """
[trial]
id = "issue-example"
n = 20
[accrual]
start = 2019-12-01
end = 2020-05-10
cutoff = 2022-05-10
[[endpoints]]
name = "OS"
events = ["death"]
landmarks = [{{ time = 24, text = "42.3% (95% CI, 18.8-65.8%)" }}]
median = "{median}"
"""


def _example(median: str) -> Trial:
    return Trial.from_toml_string(ISSUE_EXAMPLE.format(median=median))


def _plain_bands(history: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """S and its plain upper band after each event of ``history`` (Greenwood, by hand)."""
    r = np.asarray(history, dtype=float)
    s = np.cumprod((r - 1) / r)
    var = s**2 * np.cumsum(1.0 / (r * (r - 1)))
    return s, np.minimum(s + Z * np.sqrt(var), 1.0)


def test_issue_example_history_keeps_the_upper_band_above_one_half() -> None:
    """The hand derivation behind the proof.

    The only history of 20 patients printing 42.3 (18.8-65.8) under the plain transform is
    at risk (19, 17, 16, 15, 14, 12, 11, 10, 9, 8): S = prod (r-1)/r = 0.42260, Greenwood
    SE = S sqrt(sum 1/(r(r-1))) = 0.11994, band 0.42260 -/+ 1.959964 SE = 0.18753..0.65767
    (prints 42.3 (18.8-65.8)). Along the way the upper band is smallest at the last event,
    0.6577 > 1/2, so it never falls to 1/2 before 24 months: by R's rule the median's upper
    CI limit is later than 24 months, and a printed 20.8 is impossible.
    """
    t = _example("18.3 (95% CI, 12.5 to 20.8)")
    findings, common = find_methods(t)
    assert common == ("plain",)
    (f,) = findings
    assert f.histories["plain"] == ((19, 17, 16, 15, 14, 12, 11, 10, 9, 8),)
    s, up = _plain_bands(f.histories["plain"][0])
    assert f"{100 * s[-1]:.1f}" == "42.3"
    assert f"{100 * up[-1]:.1f}" == "65.8"
    assert (up > 0.5).all() and up.min() == pytest.approx(up[-1])


def test_issue_example_conflict_is_proven_with_a_smallest_set() -> None:
    t = _example("18.3 (95% CI, 12.5 to 20.8)")
    with pytest.raises(InfeasibleSpecError) as exc:
        reconstruct(t, draws=5, seed=1, progress=False)
    # plain, then (the landmark is symmetric, so hand-consistent too) landmarks by hand with
    # medians by software under each band transform: the same two facts every time
    assert next(iter(exc.value.conflicts)).startswith("plain")
    assert any(k.startswith("hand/") for k in exc.value.conflicts)
    for facts in exc.value.conflicts.values():
        assert len(facts) == 2  # the landmark and the median: nothing else is needed
        assert any("42.3%" in x for x in facts) and any("median OS" in x for x in facts)
    assert "upper band stays above 1/2 up to 24" in str(exc.value)


def test_the_band_rule_proves_nothing_when_the_limit_may_be_late() -> None:
    """With the upper limit printed NR (never reached) or later than 24 months, the same
    history is compatible: no proof by this rule (the curve itself is below 1/2 at 24, so
    a median of 18.3 is an event time before 24, as printed)."""
    for median in ("18.3 (95% CI, 12.5 to NR)", "18.3 (95% CI, 12.5 to 26.0)"):
        t = _example(median)
        findings, _ = find_methods(t)
        active = frozenset(f.key for f in trial_facts(t, 0))
        assert median_band_conflict(t, active, findings, "plain") == ""
    # and a median printed NR conflicts: the curve is below 1/2 by 24 months (S = 0.423)
    t = _example("NR")
    findings, _ = find_methods(t)
    active = frozenset(f.key for f in trial_facts(t, 0))
    assert "below 1/2 by 24" in median_band_conflict(t, active, findings, "plain")
    assert FactKey.median("OS") in active


# ----------------------------------------------------------------------------- general engine
MEDIANS_ONLY = """
[trial]
id = "medians-only"
n = 33
[accrual]
start = 2016-01-15
end = 2017-09-20
cutoff = 2018-03-29
[censoring]
early = "none"
[[endpoints]]
name = "PFS"
events = ["relapse", "death"]
median = "11.8 (95% CI, 6.2 to 17.8)"
"""


@pytest.fixture(scope="module")
def medians_only() -> object:
    return reconstruct(Trial.from_toml_string(MEDIANS_ONLY), draws=20, seed=3, progress=False)


def test_medians_only_trial_is_reconstructed(medians_only) -> None:  # type: ignore[no-untyped-def]
    """A PFS median with CI only (Raje et al. 2019's abstract): 20 draws, each printing the
    median 11.8 and its limits 6.2 and 17.8 rounded to nearest: [11.75, 11.85] etc."""
    from survkit.estimate.km import kaplan_meier

    ens = medians_only
    assert ens.draws == 20 and ens.conf_type == "log"
    for _, d in ens.patients.groupby("draw"):
        q = kaplan_meier(d["pfs_months"], d["pfs_event"], conf_type="log").median()
        assert 11.75 <= q.estimate <= 11.85
        assert 6.15 <= q.lower <= 6.25 and 17.75 <= q.upper <= 17.85
        assert "censored_months" not in d or d["censored_months"].isna().all()


@requires_rscript
def test_medians_only_draws_reanalysed_by_r(medians_only, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = medians_only.patients
    frame = pd.DataFrame({"draw": p["draw"], "time": p["pfs_months"], "event": p["pfs_event"]})
    src, out = tmp_path / "d.csv", tmp_path / "r.csv"
    frame.to_csv(src, index=False, float_format="%.12f")
    assert RSCRIPT is not None
    subprocess.run([RSCRIPT, str(R_ENDPOINT), str(src), str(out), "log", ""], check=True)
    r = pd.read_csv(out)
    assert len(r) == 20
    assert {f"{x:.1f}" for x in r["median"]} == {"11.8"}
    assert {f"{x:.1f}" for x in r["median_lower"]} == {"6.2"}
    assert {f"{x:.1f}" for x in r["median_upper"]} == {"17.8"}


def test_early_censoring_count_is_honoured() -> None:
    """``[censoring] early = 2``: every draw has exactly two patients censored before the
    cutoff (alive, observed less than their potential follow-up)."""
    spec = MEDIANS_ONLY.replace('early = "none"', "early = 2")
    ens = reconstruct(Trial.from_toml_string(spec), draws=6, seed=2, progress=False)
    for _, d in ens.patients.groupby("draw"):
        early = d["censored_months"].notna()
        assert early.sum() == 2
        assert (d.loc[early, "censored_months"] < d.loc[early, "followup_months"]).all()
        # observed up to the censoring: PFS censored there unless a relapse came first
        no_rel = early & d["relapse_months"].isna()
        assert (d.loc[no_rel, "pfs_months"] == d.loc[no_rel, "censored_months"]).all()
        assert (d.loc[no_rel, "pfs_event"] == 0).all()
        rel = early & d["relapse_months"].notna()
        assert (d.loc[rel, "relapse_months"] <= d.loc[rel, "censored_months"]).all()
        assert d.loc[early, "death_months"].isna().all()
    assert math.isfinite(ens.elapsed)


def test_early_censoring_proven_needed() -> None:
    """No death, a printed shortest follow-up of 5.4 months, and accrual ending 258 days
    (8.48 months) before the cutoff: without early censoring every patient is observed at
    least 8.48 months, so 5.4 cannot print -- a proof (Hanna et al. 2024's numbers)."""
    from survkit.trial.problem import early_censoring_needed

    spec = """
[trial]
id = "x"
n = 33
[accrual]
start = 2019-01-01
end = 2021-12-31
cutoff = 2022-09-15
[followup]
median = "21.1"
range = ["5.4", "43.6"]
[counts]
deaths = {deaths}
[[endpoints]]
name = "OS"
"""
    assert (date(2022, 9, 15) - date(2021, 12, 31)).days == 258
    why = early_censoring_needed(Trial.from_toml_string(spec.format(deaths=0)))
    assert "censored before the cutoff" in why
    # with deaths allowed the 5.4 may be a death time (all observed times): nothing proven
    assert early_censoring_needed(Trial.from_toml_string(spec.format(deaths=3))) == ""
