"""A real trial written after the engine was built and run unchanged (a held-out case).

Apatinib in chemotherapy-refractory oesophageal squamous cell carcinoma (The Oncologist 2021,
PMC8176978, NCT03274011; spec in ``examples/apatinib2021_escc``): n = 40, medians only,
PFS 3.8 (95% CI, 2.2-5.4) and OS 5.8 (95% CI, 3.2-8.4) months. Both CIs are symmetric about
the median (half-widths 1.6 and 2.6), as SPSS prints them; R's log band-crossing interval
can print them too, and every draw is re-printed by R ``quantile.survfit`` below.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import RSCRIPT, requires_rscript
from survkit.trial.exact import reconstruct
from survkit.trial.spec import Trial

HERE = Path(__file__).parent
SPEC = HERE.parent / "examples" / "apatinib2021_escc" / "trial.toml"


def test_apatinib_medians_are_read() -> None:
    t = Trial.from_toml(SPEC)
    assert t.n == 40 and not any(e.landmarks for e in t.endpoints)
    pfs, os_ = t.endpoint("PFS"), t.endpoint("OS")
    assert pfs.median is not None and pfs.median.text == "3.8"
    assert [b[0] for b in pfs.median_bounds if b] == ["2.2", "5.4"]
    assert os_.median is not None and os_.median.text == "5.8"
    assert [b[0] for b in os_.median_bounds if b] == ["3.2", "8.4"]
    # symmetric about the printed median, as SPSS's median +/- z SE(median) is
    assert round(3.8 - 2.2, 1) == round(5.4 - 3.8, 1) == 1.6
    assert round(5.8 - 3.2, 1) == round(8.4 - 5.8, 1) == 2.6


@requires_rscript
def test_apatinib_draws_reprint_in_r(tmp_path: Path) -> None:
    ens = reconstruct(Trial.from_toml(SPEC), draws=10, seed=1, progress=False)
    assert ens.draws == 10
    csv = tmp_path / "patients.csv"
    ens.patients.to_csv(csv, index=False)
    assert RSCRIPT is not None
    out = subprocess.run(
        [RSCRIPT, str(HERE / "r" / "reprint_medians.R"), str(csv), "pfs", "os"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()
    assert len(out) == 10
    assert all(line.split(" ", 1)[1].strip() == "3.8 (2.2-5.4) | 5.8 (3.2-8.4)" for line in out)
