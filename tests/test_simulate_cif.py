"""ABC with cumulative-incidence endpoints (relapse and non-relapse mortality).

The printed numbers are R's: ``tests/fixtures/trial_cif_small.json`` (made by
``tests/r/make_trial_cif_fixture.R``) holds a table of 15 patients and R survival's
Aalen-Johansen fit at 12 months: relapse incidence 0.2 (log CI 0.0727-0.5503), NRM 0.1333
(0.0367-0.4845), LFS 0.6667 (0.4661-0.9535), printed with one decimal as a paper would.
Every ABC draw is re-analysed by R (``tests/r/reanalyse_cif_draws.R``) where ``Rscript`` is
available, and by the scalar :func:`survkit.estimate.cif.cumulative_incidence` otherwise.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES, R_DIR, RSCRIPT, requires_rscript
from survkit.check.parse import parse_endpoint
from survkit.estimate.cif import cumulative_incidence
from survkit.trial.errors import InfeasibleSpecError
from survkit.trial.spec import Trial

REF = json.loads((FIXTURES / "trial_cif_small.json").read_text())


def _printed(d: dict[str, Any]) -> str:
    return f"{100 * d['estimate']:.1f}% (95% CI, {100 * d['lower']:.1f} to {100 * d['upper']:.1f})"


CIR, NRM, LFS = _printed(REF["relapse"]), _printed(REF["nrm"]), _printed(REF["lfs"])

HEAD = """
[trial]
id = "CIF-SMALL"
n = 15
[accrual]
start = 2021-01-01
end = 2021-06-30
cutoff = 2023-06-30
[censoring]
early = "none"
"""


def incidence(name: str, events: str, competing: str, text: str) -> str:
    return f"""
[[endpoints]]
name = "{name}"
kind = "cumulative_incidence"
events = ["{events}"]
competing = ["{competing}"]
landmarks = [{{ time = 12, text = "{text}" }}]
"""


LFS_EP = f"""
[[endpoints]]
name = "LFS"
events = ["relapse", "death"]
landmarks = [{{ time = 12, text = "{LFS}" }}]
"""

SPEC = HEAD + LFS_EP + incidence("CIR", "relapse", "death", CIR) + incidence(
    "NRM", "death", "relapse", NRM
)


def _prints(text: str, est: float, lo: float, hi: float) -> bool:
    r = parse_endpoint(text, rounding="nearest")
    return all(
        iv[0] - 1e-9 <= x <= iv[1] + 1e-9
        for x, iv in ((est, r.estimate_interval), (lo, r.lower_interval), (hi, r.upper_interval))
    )


def _outcomes(patients: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Time and cause (0 censored, 1 relapse, 2 death without relapse) of each patient,
    from the table's latent columns: relapse first; a death with no relapse before is NRM."""
    b = int(patients["draw"].nunique())
    rel = patients["relapse_months"].to_numpy(float)
    dth = patients["death_months"].to_numpy(float)
    fu = patients["followup_months"].to_numpy(float)
    has_r, has_d = ~np.isnan(rel), ~np.isnan(dth)
    time = np.where(has_r, rel, np.where(has_d, dth, fu))
    cause = np.where(has_r, 1, np.where(has_d, 2, 0))
    return time.reshape(b, -1), cause.reshape(b, -1)


def test_printed_numbers() -> None:
    assert (CIR, NRM, LFS) == (
        "20.0% (95% CI, 7.3 to 55.0)",
        "13.3% (95% CI, 3.7 to 48.4)",
        "66.7% (95% CI, 46.6 to 95.3)",
    )


@pytest.fixture(scope="module")
def cif_draws() -> Any:
    from survkit.trial.simulate import abc_reconstruct

    return abc_reconstruct(Trial.from_toml_string(SPEC), draws=8, seed=1, progress=False)


def test_abc_prints_the_incidences(cif_draws: Any) -> None:
    """Every draw prints the two incidences (scalar Aalen-Johansen re-analysis with R's
    infinitesimal-jackknife SE and log CI) and the LFS; before ABC simulated deaths without
    relapse, no LFS-only trial could print an NRM of 13.3%."""
    ens = cif_draws
    assert ens.draws == 8 and not ens.partial
    time, cause = _outcomes(ens.patients)
    for i in range(time.shape[0]):
        assert (cause[i] == 2).sum() >= 2  # 13.3% of 15 at 12 months: at least 2 NRM deaths
        tab = cumulative_incidence(time[i], cause[i]).at([12.0], extend=True).set_index("cause")
        assert _prints(CIR, *(tab.loc["1", c] for c in ("estimate", "lower", "upper")))
        assert _prints(NRM, *(tab.loc["2", c] for c in ("estimate", "lower", "upper")))
    assert ens.abc.posterior["nrm_share"].between(0, 1).all()
    assert ens.check()["all_ok"].all()


@requires_rscript
def test_r_reanalyses_the_incidences(cif_draws: Any, tmp_path: Path) -> None:
    """R survival's multi-state survfit on every draw prints CIR 20.0 (7.3-55.0) and NRM 13.3
    (3.7-48.4) at 12 months."""
    time, cause = _outcomes(cif_draws.patients)
    b, n = time.shape
    src, out = tmp_path / "d.csv", tmp_path / "r.csv"
    pd.DataFrame(
        {"draw": np.repeat(np.arange(b), n), "time": time.ravel(), "cause": cause.ravel()}
    ).to_csv(src, index=False)
    assert RSCRIPT is not None
    subprocess.run([RSCRIPT, str(R_DIR / "reanalyse_cif_draws.R"), str(src), str(out), "log",
                    "12"], check=True, capture_output=True)
    r = pd.read_csv(out)
    assert len(r) == 2 * b
    for _, row in r.iterrows():
        text = CIR if row["cause"] == 1 else NRM
        assert _prints(text, row["estimate"], row["lower"], row["upper"]), row


def test_nrm_share_prior_centre() -> None:
    """Both incidences printed at 12 months: the prior centre of the share of relapse-or-death
    events that are deaths without relapse is NRM / (CIR + NRM) = 0.133 / 0.333 = 0.4
    (midpoints of the rounding intervals [0.1325, 0.1335] and [0.1995, 0.2005])."""
    from survkit.trial.simulate import _incidences, _nrm_share

    share = _nrm_share(_incidences(Trial.from_toml_string(SPEC)), None)
    assert math.isclose(share, 0.133 / (0.133 + 0.2), rel_tol=1e-12)


def test_incidences_without_a_composite_endpoint() -> None:
    """OS and the two incidences, no LFS: the relapse-or-death times are centred on
    1 - CIR - NRM = 1 - 0.2 - 0.1333 = 0.667 at 12 months. OS at 12 months printed 86.7%
    without a CI (13/15: the two deaths without relapse before 12 months, no relapsed patient
    dead by then). Every draw prints the three numbers."""
    from survkit.estimate.km import kaplan_meier
    from survkit.trial.simulate import abc_reconstruct

    spec = (
        HEAD
        + """
[[endpoints]]
name = "OS"
events = ["death"]
landmarks = [{ time = 12, text = "86.7%" }]
"""
        + incidence("CIR", "relapse", "death", CIR)
        + incidence("NRM", "death", "relapse", NRM)
    )
    ens = abc_reconstruct(Trial.from_toml_string(spec), draws=4, seed=3, progress=False)
    assert ens.draws == 4
    time, cause = _outcomes(ens.patients)
    for i, (_, d) in enumerate(ens.patients.groupby("draw")):
        km = kaplan_meier(d["os_months"], d["os_event"]).at([12.0])
        assert 0.8665 <= km["surv"].iloc[0] <= 0.8675
        tab = cumulative_incidence(time[i], cause[i]).at([12.0], extend=True).set_index("cause")
        assert _prints(CIR, *(tab.loc["1", c] for c in ("estimate", "lower", "upper")))
        assert _prints(NRM, *(tab.loc["2", c] for c in ("estimate", "lower", "upper")))


def test_an_incidence_ci_no_transform_prints_is_a_proven_conflict() -> None:
    """20.0% (95% CI, 7.3 to 21.0): every transform's interval is symmetric about the
    estimate on its own scale, and these limits are 12.7 and 1.0 points away (plain), 1.008
    and 0.049 (log: log(20/7.3), log(21/20)), 1.155 and 0.061 (logit), 0.190 and 0.012
    (arcsin sqrt), 1.080 and 0.055 (log(-log(1 - F))): no transform prints it (the limits
    are rounded to 0.05 points, far less than these differences) -- a proof, not a budget
    run-out."""
    from survkit.trial.simulate import abc_reconstruct

    bad = HEAD + LFS_EP + incidence("CIR", "relapse", "death", "20.0% (95% CI, 7.3 to 21.0)")
    with pytest.raises(InfeasibleSpecError, match="cumulative-incidence"):
        abc_reconstruct(Trial.from_toml_string(bad), draws=1, seed=1, progress=False)
