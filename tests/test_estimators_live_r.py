"""Live cross-check of the competing-risks and hazard estimators against R on fresh data.

Each run draws new datasets from a seed taken from the clock -- tied times, several causes,
tiny n, left truncation, integer and fractional weights, groups and strata, a conditional
start time -- runs ``tests/r/live_cif.R`` (survival multi-state ``survfit``, ``cmprsk::cuminc``)
and ``tests/r/live_hazard.R`` (``survfit`` ctype/stype/start.time, ``survdiff`` strata/rho) on
them and compares every field at 1e-10, with the comparisons of tests/test_cif_r.py and
tests/test_hazard_r.py. The seed is printed; rerun a failure with
``SURVKIT_LIVE_SEED=<seed> python -m pytest tests/test_estimators_live_r.py``.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import R_DIR, RSCRIPT, load_json, requires_rscript
from test_cif_r import compare as compare_cif
from test_hazard_r import compare as compare_hazard

pytestmark = requires_rscript


def _seed() -> int:
    env = os.environ.get("SURVKIT_LIVE_SEED")
    return int(env) if env else time.time_ns() % (2**31)


def _frame(name: str, time_: Any, status: Any, status_name: str, **extra: Any) -> pd.DataFrame:
    df = pd.DataFrame({"dataset": name, "time": np.round(np.asarray(time_, float), 2),
                       status_name: np.asarray(status, dtype=int)})
    for col in ("entry", "weights", "group", "strata", "start_time"):
        default: Any = "" if col in ("group", "strata") else np.nan
        df[col] = extra.get(col, default)
    return df


def cif_datasets(rng: np.random.Generator) -> pd.DataFrame:
    """Competing-risks data: causes 0 (censored) .. K, times on a grid (ties)."""
    out = []
    for b in range(6):  # small and mid-size, 2-4 causes, integer/half-integer grid
        n = int(rng.integers(1, 60)) if b < 3 else int(rng.integers(60, 200))
        k = int(rng.integers(2, 5))
        t = rng.integers(1, 20, n) / rng.choice([1.0, 2.0])
        c = rng.integers(0, k + 1, n)
        c[0] = 1  # at least one event
        out.append(_frame(f"ties{b}", t, c, "cause"))
    n = 120
    out.append(_frame("groups_strata", rng.integers(1, 25, n).astype(float),
                      rng.integers(0, 4, n), "cause",
                      group=rng.choice(["A", "B", "C"], n), strata=rng.choice(["s", "t"], n)))
    n = 80
    out.append(_frame("groups2", np.round(rng.exponential(6, n), 1) + 0.1,
                      rng.choice([0, 1, 2], n, p=[0.3, 0.4, 0.3]), "cause",
                      group=rng.choice(["x", "y"], n)))
    n = 60
    entry = np.round(rng.uniform(0, 5, n), 1)
    out.append(_frame("left_truncation", np.round(entry + rng.integers(1, 10, n) / 2, 1),
                      rng.integers(0, 3, n), "cause", entry=entry))
    n = 50
    out.append(_frame("weights_integer", rng.integers(1, 12, n).astype(float),
                      rng.integers(0, 3, n), "cause", weights=rng.integers(1, 4, n)))
    n = 50
    out.append(_frame("weights_fractional", rng.integers(1, 15, n).astype(float),
                      rng.integers(0, 4, n), "cause",
                      weights=np.round(rng.uniform(0.2, 2.5, n), 3)))
    n = 45
    entry = np.round(rng.uniform(0, 3, n), 1)
    out.append(_frame("truncation_weights", np.round(entry + rng.integers(1, 8, n), 1),
                      rng.integers(0, 3, n), "cause", entry=entry,
                      weights=np.round(rng.uniform(0.5, 2, n), 2)))
    n = 70
    out.append(_frame("start_time", rng.integers(1, 20, n).astype(float), rng.integers(0, 3, n),
                      "cause", start_time=float(rng.integers(1, 8))))
    return pd.concat(out, ignore_index=True)


def hazard_datasets(rng: np.random.Generator) -> pd.DataFrame:
    out = []
    for b in range(4):
        n = int(rng.integers(2, 80))
        t = rng.integers(1, 15, n).astype(float)
        e = rng.random(n) < rng.uniform(0.3, 0.9)
        e[0] = True
        out.append(_frame(f"ties{b}", t, e, "event", start_time=float(rng.integers(0, 5))))
    n = 150
    out.append(_frame("groups_strata", rng.integers(1, 30, n).astype(float),
                      rng.random(n) < 0.7, "event", group=rng.choice(["a", "b", "c"], n),
                      strata=rng.choice(["u", "v", "w"], n)))
    n = 60
    entry = np.round(rng.uniform(0, 4, n), 1)
    out.append(_frame("left_truncation", np.round(entry + rng.integers(1, 10, n) / 2, 1),
                      rng.random(n) < 0.7, "event", entry=entry, start_time=2.0))
    n = 50
    out.append(_frame("weights_fractional", rng.integers(1, 12, n).astype(float),
                      rng.random(n) < 0.6, "event",
                      weights=np.round(rng.uniform(0.2, 2.5, n), 3), start_time=1.0))
    n = 50
    out.append(_frame("weights_integer", rng.integers(1, 12, n).astype(float),
                      rng.random(n) < 0.6, "event", weights=rng.integers(1, 4, n)))
    return pd.concat(out, ignore_index=True)


def _run(script: str, data: pd.DataFrame, tmp: Path, seed: int) -> list[dict[str, Any]]:
    csv, out = tmp / f"{script}.csv", tmp / f"{script}.json"
    data.to_csv(csv, index=False, float_format="%.17g")
    assert RSCRIPT is not None
    proc = subprocess.run([RSCRIPT, str(R_DIR / script), str(csv), str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"seed={seed}: Rscript {script} failed:\n{proc.stderr}"
    refs: list[dict[str, Any]] = load_json(out)["datasets"]
    assert len(refs) == data["dataset"].nunique()
    return refs


def test_live_estimators_against_r(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = _seed()
    with capsys.disabled():
        print(f"\n[live R cross-check, CIF/hazard] seed={seed} (rerun: SURVKIT_LIVE_SEED={seed})")
    rng = np.random.default_rng(seed)
    errors: list[str] = []
    for ref in _run("live_cif.R", cif_datasets(rng), tmp_path, seed):
        compare_cif(ref, errors)
    for ref in _run("live_hazard.R", hazard_datasets(rng), tmp_path, seed):
        compare_hazard(ref, errors)
    shown = "\n".join(errors[:30])
    assert not errors, f"seed={seed}: {len(errors)} mismatches vs R\n{shown}"
