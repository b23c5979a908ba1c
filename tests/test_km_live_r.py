"""Live cross-check: fresh random data every run, R survival vs survkit at 1e-10.

Each run draws new datasets (ties, heavy censoring, tiny n, curves reaching 0, left
truncation, integer and fractional case weights, groups) from a seed taken from the clock,
runs ``tests/r/live_km.R`` on them with Rscript and compares every field that
tests/test_km_r.py compares. The seed is printed; rerun a failure with
``SURVKIT_LIVE_SEED=<seed> python -m pytest tests/test_km_live_r.py``.
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

from conftest import R_DIR, RSCRIPT, assert_r_close, load_json, r_array, requires_rscript
from survkit.estimate.batch import kaplan_meier_at
from survkit.estimate.followup import median_followup
from survkit.estimate.km import kaplan_meier
from survkit.estimate.logrank import logrank_test

pytestmark = requires_rscript

LIVE_TIMES = [0.0, 0.5, 1.0, 2.0, 3.37, 5.0, 8.0, 12.0, 20.0, 40.0]
N_BATCH = 8  # small unweighted right-censored datasets also run through kaplan_meier_at


def _seed() -> int:
    env = os.environ.get("SURVKIT_LIVE_SEED")
    return int(env) if env else time.time_ns() % (2**31)


def _datasets(rng: np.random.Generator) -> list[pd.DataFrame]:
    """Random datasets (times on a 0.01 grid, with ties).

    survkit is always run on the input R echoes back (17 significant digits), so both sides
    see the very same doubles whatever R's CSV parser does.
    """
    out: list[pd.DataFrame] = []

    def add(name: str, time_: Any, event: Any, **extra: Any) -> None:
        df = pd.DataFrame({"dataset": name, "time": np.round(time_, 2),
                           "event": np.asarray(event, dtype=int)})
        for col in ("entry", "weights", "group"):
            df[col] = extra.get(col, np.nan if col != "group" else "")
        out.append(df)

    for b in range(N_BATCH):  # the batch set: n in 1..25, ties on an integer grid
        n = int(rng.integers(1, 26))
        t = rng.integers(1, 15, n).astype(float) + rng.choice([0.0, 0.5], n)
        add(f"batch{b}", t, rng.random(n) < rng.uniform(0.2, 1.0))
    n = 60
    add("heavy_censoring", rng.exponential(8, n) + 0.01, rng.random(n) < 0.1)
    n = 30
    t = np.sort(rng.exponential(5, n) + 0.01)
    e = rng.random(n) < 0.7
    e[-1] = True
    add("reaches_zero", t, e)
    n = 50
    entry = np.round(rng.uniform(0, 6, n), 2)
    add("left_truncation", entry + np.round(rng.exponential(6, n), 2) + 0.01,
        rng.random(n) < 0.7, entry=entry)
    n = 40
    add("weights_integer", rng.integers(1, 12, n).astype(float), rng.random(n) < 0.6,
        weights=rng.integers(1, 4, n).astype(float))
    n = 35
    add("weights_fractional", rng.exponential(6, n) + 0.01, rng.random(n) < 0.7,
        weights=np.round(rng.uniform(0.3, 2.5, n), 3))
    n = 75
    g = np.repeat(np.array(["A", "B", "C"]), 25)
    rate = np.select([g == "A", g == "B"], [4.0, 8.0], 16.0)
    add("groups", np.round(rng.exponential(rate)) + 1, rng.random(n) < 0.75, group=g)
    return out


def _stratum_kwargs(ref: dict[str, Any], label: str | None) -> dict[str, Any]:
    inp = ref["input"]
    keep = slice(None) if label is None else np.array(inp["group"]) == label
    kw: dict[str, Any] = {"time": r_array(inp["time"])[keep],
                          "event": r_array(inp["event"])[keep].astype(int)}
    for key in ("entry", "weights"):
        if inp.get(key) is not None:
            kw[key] = r_array(inp[key])[keep]
    return kw


def _check(errors: list[str], got: Any, exp: Any, label: str) -> None:
    try:
        assert_r_close(got, exp, label)
    except AssertionError as exc:
        errors.append(str(exc))


def compare_dataset(ref: dict[str, Any], errors: list[str]) -> None:
    """Every survkit value for one R block; mismatches are appended to ``errors``."""
    name = ref["name"]
    times = r_array(ref["times"])
    for s in ref["strata"]:
        where = f"{name}/{s['label'] or 'all'}"
        kw = _stratum_kwargs(ref, s["label"])
        for ci in s["ci"]:
            w = f"{where}/{ci['conf_type']}/{ci['conf_level']}"
            fit = kaplan_meier(**kw, conf_type=ci["conf_type"], conf_level=ci["conf_level"])
            for field, exp in s["fit"].items():
                _check(errors, getattr(fit, field), exp, f"{w}: {field}")
            _check(errors, fit.lower, ci["lower"], f"{w}: lower")
            _check(errors, fit.upper, ci["upper"], f"{w}: upper")
            for extend, key in ((False, "summary"), (True, "summary_extend")):
                tab = fit.at(times, extend=extend)
                for col, exp in ci[key].items():
                    _check(errors, tab[col].to_numpy(), exp, f"{w}: at(extend={extend}).{col}")
            q = ci["quantile"]
            for k, p in enumerate(q["probs"]):
                res = fit.quantile(p)
                for f in ("estimate", "lower", "upper"):
                    _check(errors, getattr(res, f), r_array(q[f])[k], f"{w}: quantile({p}).{f}")
            med = fit.median()
            for f in ("estimate", "lower", "upper"):
                _check(errors, getattr(med, f), ci["median"][f], f"{w}: median.{f}")
        fit = kaplan_meier(**kw)
        rm = s["rmean"]
        for k, tau in enumerate(rm["tau"]):
            res = fit.rmst(tau)
            _check(errors, res.estimate, r_array(rm["estimate"])[k], f"{where}: rmst({tau})")
            _check(errors, res.std_err, r_array(rm["std_err"])[k], f"{where}: rmst({tau}).se")
    inp = ref["input"]
    if ref["survdiff"] is not None:
        sd = ref["survdiff"]
        lr = logrank_test(r_array(inp["time"]), r_array(inp["event"]).astype(int),
                          np.array(inp["group"]))
        if [str(g) for g in lr.groups] != sd["groups"]:
            errors.append(f"{name}: logrank groups {lr.groups} != R {sd['groups']}")
        for f in ("statistic", "df", "p_value", "observed", "expected"):
            _check(errors, getattr(lr, f), sd[f], f"{name}: logrank.{f}")
    for fu in ref["followup"] or []:
        w = f"{name}/followup/{fu['conf_level']}"
        res = median_followup(r_array(inp["time"]), r_array(inp["event"]).astype(int),
                              conf_level=fu["conf_level"])
        _check(errors, res.reverse_km.estimate, fu["median"], f"{w}: reverse_km.estimate")
        _check(errors, res.reverse_km.lower, fu["lower"], f"{w}: reverse_km.lower")
        _check(errors, res.reverse_km.upper, fu["upper"], f"{w}: reverse_km.upper")
        _check(errors, res.all_patients, fu["median_all"], f"{w}: all_patients")
        _check(errors, res.survivors, fu["median_survivors"], f"{w}: survivors")


def compare_batch(refs: list[dict[str, Any]], errors: list[str]) -> None:
    """The batch datasets as one NaN-padded (B, n) problem vs R's summary(extend=TRUE)."""
    width = max(len(r["input"]["time"]) for r in refs)
    tb = np.full((len(refs), width), np.nan)
    eb = np.full((len(refs), width), np.nan)
    for b, r in enumerate(refs):
        n = len(r["input"]["time"])
        tb[b, :n] = r_array(r["input"]["time"])
        eb[b, :n] = r_array(r["input"]["event"])
    for ci_i, ci in enumerate(refs[0]["strata"][0]["ci"]):
        res = kaplan_meier_at(tb, eb, LIVE_TIMES, conf_type=ci["conf_type"],
                              conf_level=ci["conf_level"], extend=True)
        for b, r in enumerate(refs):
            exp = r["strata"][0]["ci"][ci_i]["summary_extend"]
            w = f"{r['name']}/{ci['conf_type']}/{ci['conf_level']} (batch)"
            for f in ("surv", "std_err", "lower", "upper", "n_risk"):
                _check(errors, np.asarray(getattr(res, f))[b], exp[f], f"{w}: {f}")


def test_live_against_r(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = _seed()
    with capsys.disabled():
        print(f"\n[live R cross-check] seed={seed} (rerun: SURVKIT_LIVE_SEED={seed})")
    rng = np.random.default_rng(seed)
    data = pd.concat(_datasets(rng), ignore_index=True)
    csv, out = tmp_path / "live.csv", tmp_path / "live.json"
    data.to_csv(csv, index=False, float_format="%.17g")
    assert RSCRIPT is not None
    proc = subprocess.run(
        [RSCRIPT, str(R_DIR / "live_km.R"), str(csv), str(out),
         ",".join(repr(t) for t in LIVE_TIMES)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    assert proc.returncode == 0, f"seed={seed}: Rscript failed:\n{proc.stderr}"
    refs = load_json(out)["datasets"]
    assert len(refs) == data["dataset"].nunique()
    errors: list[str] = []
    for ref in refs:
        compare_dataset(ref, errors)
    compare_batch([r for r in refs if r["name"].startswith("batch")], errors)
    shown = "\n".join(errors[:30])
    assert not errors, f"seed={seed}: {len(errors)} mismatches vs R\n{shown}"
