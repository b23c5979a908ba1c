"""1000 reconstructed seed draws, re-analysed by R survival and printed as a paper prints them.

A user re-analyses each draw with R ``survfit`` and prints with ordinary rounding
(``sprintf("%.0f")``, one decimal for months). Every draw must print every number the sources
printed -- 68 (43-100) and 54 (29-100) at 12 months, median follow-up 15.1 (range 3.1-24.0)
under the draw's own follow-up definition, the deaths at 3.7 and 4.6 months -- under that one
convention (rounded to nearest), not a mixture of conventions.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest

from conftest import RSCRIPT
from survkit.trial import Trial, reconstruct

R_SCRIPT = Path(__file__).parent / "r" / "reprint_seed.R"


@pytest.mark.skipif(RSCRIPT is None, reason="Rscript not found on PATH: R re-analysis not run")
def test_thousand_seed_draws_print_every_number_in_r(tmp_path: Path) -> None:
    ens = reconstruct(Trial.seed(), draws=1000, seed=20261201, progress=False)
    assert ens.draws == 1000
    csv = tmp_path / "patients.csv"
    ens.patients.to_csv(csv, index=False, float_format="%.12f")
    out = tmp_path / "printed.csv"
    subprocess.run([str(RSCRIPT), str(R_SCRIPT), str(csv), str(out)], check=True,
                   capture_output=True)
    r = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(r) == 1000
    assert set(r["os"]) == {"68 (43-100)"}
    assert set(r["dfs"]) == {"54 (29-100)"}
    assert set(r["fu_median"]) == {"15.1"}
    assert set(r["fu_min"]) == {"3.1"} and set(r["fu_max"]) == {"24.0"}
    assert set(r["death_3.7"]) <= {"3.7", ""} and (r["death_3.7"] == "3.7").any()
    assert set(r["death_4.6"]) <= {"4.6", ""} and (r["death_4.6"] == "4.6").any()
