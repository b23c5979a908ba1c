"""Trial specs with cumulative-incidence endpoints (relapse / NRM): loading, draws, conflicts.

The printed numbers of the small cohort come from R survival (``tests/r/make_trial_cif_fixture.R``
writes ``tests/fixtures/trial_cif_small.json``); the HSCT cohort's numbers are the ones its
paper printed (n = 34, 2-year LFS 62.3%, relapse 8.8%, NRM 32.0%: 8.8 + 32.0 = 40.8 but
1 - 62.3 = 37.7, so no dataset prints all three).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES, R_DIR, RSCRIPT, requires_rscript
from survkit.check.parse import parse_endpoint
from survkit.estimate.cif import cumulative_incidence
from survkit.trial.cif import competing_outcome
from survkit.trial.errors import InfeasibleSpecError
from survkit.trial.exact import reconstruct
from survkit.trial.facts import FactKey, trial_facts
from survkit.trial.spec import Trial

REF = json.loads((FIXTURES / "trial_cif_small.json").read_text())


def _printed(d: dict[str, Any]) -> str:
    """R's numbers as a paper prints them: percent with one decimal."""
    return f"{100 * d['estimate']:.1f}% (95% CI, {100 * d['lower']:.1f} to {100 * d['upper']:.1f})"


CIR_TEXT = _printed(REF["relapse"])
NRM_TEXT = _printed(REF["nrm"])
LFS_TEXT = _printed(REF["lfs"])

HEAD = """
[trial]
id = "CIF-SMALL"
n = 15
[accrual]
start = 2021-01-01
end = 2021-06-30
cutoff = 2023-06-30
"""


def small_spec(early: str = "none", cir: str = CIR_TEXT, nrm: str = NRM_TEXT) -> str:
    return (
        HEAD
        + f"""
[censoring]
early = "{early}"
[[endpoints]]
name = "LFS"
events = ["relapse", "death"]
landmarks = [{{ time = 12, text = "{LFS_TEXT}" }}]
[[endpoints]]
name = "CIR"
kind = "cumulative_incidence"
events = ["relapse"]
competing = ["death"]
landmarks = [{{ time = 12, text = "{cir}" }}]
[[endpoints]]
name = "NRM"
kind = "cumulative_incidence"
events = ["death"]
competing = ["relapse"]
landmarks = [{{ time = 12, text = "{nrm}" }}]
"""
    )


HSCT = """
[trial]
id = "HSCT-CD7"
n = 34
[accrual]
start = 2020-01-01
end = 2021-06-30
cutoff = 2023-12-31
[counts]
deaths = { min = 0, max = 34 }
[[endpoints]]
name = "OS"
landmarks = [{ time = 12, text = "80.0%" }]
[[endpoints]]
name = "LFS"
events = ["relapse", "death"]
landmarks = [{ time = 24, text = "62.3%" }]
[[endpoints]]
name = "relapse"
kind = "cumulative_incidence"
events = ["relapse"]
competing = ["death"]
landmarks = [{ time = 24, text = "8.8%" }]
[[endpoints]]
name = "NRM"
kind = "cumulative_incidence"
events = ["death"]
competing = ["relapse"]
landmarks = [{ time = 24, text = "32.0%" }]
"""


# ----------------------------------------------------------------------------- the spec
def test_fixture_prints_as_expected() -> None:
    # the R numbers rounded as a paper would print them (R: 0.2000 (0.0727-0.5503), ...)
    assert CIR_TEXT == "20.0% (95% CI, 7.3 to 55.0)"
    assert NRM_TEXT == "13.3% (95% CI, 3.7 to 48.4)"
    assert LFS_TEXT == "66.7% (95% CI, 46.6 to 95.3)"


def test_cumulative_incidence_endpoints_load() -> None:
    t = Trial.from_toml_string(small_spec())
    assert [e.name for e in t.endpoints] == ["LFS"]
    cir, nrm = t.incidence_endpoints
    assert (cir.kind, cir.cause, cir.events, cir.competing) == (
        "cumulative_incidence", "relapse", ("relapse",), ("death",)
    )
    assert nrm.cause == "nrm" and t.endpoint("nrm") is nrm
    keys = {f.key for f in trial_facts(t, 0)}
    assert FactKey.landmark("CIR", 12) in keys and FactKey.landmark("NRM", 12) in keys


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('competing = ["death"]\n', ""), "needs its competing events"),
        (('competing = ["death"]', 'competing = ["relapse"]'), "a cumulative incidence is of"),
        (('events = ["relapse"]\n', 'events = ["relapse", "death"]\n'), "is of relapse"),
        (('kind = "cumulative_incidence"', 'kind = "cif"'), "unknown kind 'cif'"),
        (
            ('competing = ["death"]\n', 'competing = ["death"]\nmedian = "12.0"\n'),
            "has no median",
        ),
        (('name = "NRM"', 'name = "lfs"'), "endpoint names repeat"),
    ],
)
def test_bad_incidence_endpoints_are_refused(edit: tuple[str, str], message: str) -> None:
    text = small_spec().replace(*edit, 1)
    with pytest.raises(ValueError, match=message):
        Trial.from_toml_string(text)


def test_incidence_needs_landmarks() -> None:
    text = small_spec().replace(f'landmarks = [{{ time = 12, text = "{CIR_TEXT}" }}]', "", 1)
    with pytest.raises(ValueError, match="needs landmarks"):
        Trial.from_toml_string(text)


# ----------------------------------------------------------------------------- draws
def _outcomes(trial: Trial, patients: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    u = trial.unit
    b = int(patients["draw"].nunique())
    fu = patients[f"followup_{u}"].to_numpy(float)
    if f"censored_{u}" in patients:
        fu = np.minimum(fu, patients[f"censored_{u}"].fillna(np.inf).to_numpy(float))
    rel = patients[f"relapse_{u}"].fillna(np.inf).to_numpy(float)
    death = patients[f"death_{u}"].fillna(np.inf).to_numpy(float)
    time, cause = competing_outcome(rel, death, fu)
    return time.reshape(b, -1), cause.reshape(b, -1)


def _prints(text: str, estimate: float, lower: float, upper: float) -> bool:
    rep = parse_endpoint(text, rounding="nearest")
    return bool(
        rep.point.contains(estimate, "nearest")
        and rep.low.contains(lower, "nearest")
        and rep.high.contains(upper, "nearest")
    )


@pytest.fixture(scope="module")
def small_draws() -> tuple[Trial, pd.DataFrame]:
    t = Trial.from_toml_string(small_spec())
    ens = reconstruct(t, 12, seed=5)
    return t, ens.patients


def test_reconstruct_returns_draws_that_print_the_incidences(
    small_draws: tuple[Trial, pd.DataFrame],
) -> None:
    t, patients = small_draws
    time, cause = _outcomes(t, patients)
    assert time.shape == (12, 15)
    for i in range(time.shape[0]):
        fit = cumulative_incidence(time[i], cause[i], conf_type="log")
        tab = fit.at([12.0], extend=True).set_index("cause")
        assert _prints(CIR_TEXT, *(tab.loc["1", c] for c in ("estimate", "lower", "upper")))
        assert _prints(NRM_TEXT, *(tab.loc["2", c] for c in ("estimate", "lower", "upper")))


@requires_rscript
def test_draws_reanalysed_by_r_print_the_incidences(
    small_draws: tuple[Trial, pd.DataFrame], tmp_path: Path
) -> None:
    t, patients = small_draws
    time, cause = _outcomes(t, patients)
    b, n = time.shape
    src = tmp_path / "draws.csv"
    out = tmp_path / "out.csv"
    pd.DataFrame(
        {"draw": np.repeat(np.arange(b), n), "time": time.ravel(), "cause": cause.ravel()}
    ).to_csv(src, index=False)
    subprocess.run(
        [str(RSCRIPT), str(R_DIR / "reanalyse_cif_draws.R"), str(src), str(out), "log", "12"],
        check=True,
        capture_output=True,
    )
    r = pd.read_csv(out)
    assert len(r) == 2 * b
    for _, row in r.iterrows():
        text = CIR_TEXT if row["cause"] == 1 else NRM_TEXT
        assert _prints(text, row["estimate"], row["lower"], row["upper"]), row


def test_draws_with_early_censoring_print_the_incidences() -> None:
    # censoring before the landmark allowed: the incidences' CIs depend on the history
    t = Trial.from_toml_string(small_spec(early="allowed"))
    ens = reconstruct(t, 8, seed=11)
    time, cause = _outcomes(t, ens.patients)
    for i in range(time.shape[0]):
        tab = cumulative_incidence(time[i], cause[i]).at([12.0], extend=True).set_index("cause")
        assert _prints(CIR_TEXT, *(tab.loc["1", c] for c in ("estimate", "lower", "upper")))
        assert _prints(NRM_TEXT, *(tab.loc["2", c] for c in ("estimate", "lower", "upper")))


# ----------------------------------------------------------------------------- conflicts
def test_hsct_identity_is_a_proven_conflict_naming_three_facts() -> None:
    t = Trial.from_toml_string(HSCT)
    with pytest.raises(InfeasibleSpecError, match="competing-risks identity") as exc:
        reconstruct(t, 5, seed=1)
    sets = set(exc.value.conflicts.values())
    assert sets == {
        (
            "LFS at 24 months: 62.3%",
            "relapse (cumulative incidence) at 24 months: 8.8%",
            "NRM (cumulative incidence) at 24 months: 32.0%",
        )
    }  # the OS landmark and the death count are not part of it


def test_identity_that_holds_is_no_conflict() -> None:
    # 8.8 + 28.9 = 37.7 = 100 - 62.3: the identity holds, so no proof is claimed from it
    from survkit.trial.problem import incidence_conflict

    t = Trial.from_toml_string(HSCT.replace('"32.0%"', '"28.9%"'))
    keys = frozenset(f.key for f in trial_facts(t, 0))
    assert incidence_conflict(t, keys) == ""


def test_incidence_ci_no_transform_prints_is_a_conflict() -> None:
    # the estimate hugs the lower limit: no transform is symmetric about it
    t = Trial.from_toml_string(small_spec(cir="20.0% (95% CI, 19.0 to 55.0)"))
    with pytest.raises(InfeasibleSpecError, match="cannot be printed by any CI transform") as exc:
        reconstruct(t, 3, seed=1)
    assert all(
        facts == ("CIR (cumulative incidence) at 12 months: 20.0% (95% CI, 19.0 to 55.0)",)
        for facts in exc.value.conflicts.values()
    )
