"""Cumulative incidence vs R survival (multi-state survfit) and cmprsk (Gray's test) at 1e-10.

Fixtures: tests/fixtures/cif/*.json, written by tests/r/make_cif_fixtures.R (R 4.2, survival
3.5.3, cmprsk 2.2.11). Every field R reports is compared, for every conf.type and two levels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES, assert_r_close, load_json, r_array
from survkit.estimate.cif import cumulative_incidence
from survkit.estimate.gray import gray_test

CIF_FILES = sorted((FIXTURES / "cif").glob("*.json"))


def _kwargs(ref: dict[str, Any], label: str | None) -> dict[str, Any]:
    inp = ref["input"]
    keep = slice(None) if label is None else np.array(inp["group"]) == label
    kw: dict[str, Any] = {"time": r_array(inp["time"])[keep],
                          "cause": r_array(inp["cause"])[keep].astype(int)}
    for key in ("entry", "weights"):
        if inp.get(key) is not None:
            kw[key] = r_array(inp[key])[keep]
    if ref.get("start_time") is not None:
        kw["start_time"] = ref["start_time"]
    return kw


def _cols(x: Any, ncause: int) -> np.ndarray:
    """R's column-major cause matrix as (m, K)."""
    a = r_array(x)
    return a.reshape(ncause, -1).T


def compare(ref: dict[str, Any], errors: list[str]) -> None:
    """Every fit and summary field, every Gray test, of one R block."""

    def check(got: Any, exp: Any, label: str) -> None:
        try:
            assert_r_close(got, exp, label)
        except AssertionError as exc:
            errors.append(str(exc))

    name = ref["name"]
    all_causes = [int(c) for c in ref["causes"]]
    times = r_array(ref["times"])
    for curve in ref["curves"]:
        kw = _kwargs(ref, curve["label"])
        for ci in curve["ci"]:
            where = f"{name}/{curve['label'] or 'all'}/{ci['conf_type']}/{ci['conf_level']}"
            if curve["label"] is None:
                fit = cumulative_incidence(**kw, conf_type=ci["conf_type"],
                                           conf_level=ci["conf_level"])
            else:
                # by=: every group has the whole data's causes, as R's factor levels
                whole = _kwargs(ref, None)
                df = pd.DataFrame({k: v for k, v in whole.items() if k != "start_time"})
                df["group"] = ref["input"]["group"]
                cols = {k: k for k in ("entry", "weights") if k in df}
                groups = cumulative_incidence("time", "cause", data=df, by="group",
                                              conf_type=ci["conf_type"],
                                              conf_level=ci["conf_level"],
                                              start_time=whole.get("start_time"), **cols)
                fit = groups[curve["label"]]
            k = len(fit.causes)
            assert [int(c) for c in fit.causes] == all_causes, where
            for f in ("time", "n_risk", "n_censor", "surv", "surv_std_err"):
                check(getattr(fit, f), ci[f], f"{where}: {f}")
            # At F = 1 the logit and arcsin bands hinge on whether the SE is 0 or rounding
            # noise (R: 2e-17 for exactly 0 in exact arithmetic): not comparable there.
            noise = (fit.estimate == 1.0) & (np.abs(_cols(ci["std_err"], k)) < 1e-12)
            skip = noise if ci["conf_type"] in ("logit", "arcsin") else np.zeros_like(noise)
            for f in ("n_event", "estimate", "std_err", "lower", "upper"):
                if ci.get(f) is not None:
                    got, exp = np.array(getattr(fit, f)), _cols(ci[f], k)
                    if f in ("lower", "upper"):
                        got[skip], exp[skip] = 0.0, 0.0
                    check(got, exp, f"{where}: {f}")
            for extend, key in ((False, "summary"), (True, "summary_extend")):
                if ci.get(key) is None:
                    continue
                tab = fit.at(times, extend=extend)
                s = ci[key]
                check(tab["time"].to_numpy()[::k], s["time"], f"{where}: at({extend}).time")
                check(tab["n_risk"].to_numpy()[::k], s["n_risk"], f"{where}: at({extend}).n_risk")
                for f in ("estimate", "std_err", "lower", "upper"):
                    if s.get(f) is not None:
                        got, exp = tab[f].to_numpy().reshape(-1, k).copy(), _cols(s[f], k)
                        if f in ("lower", "upper") and ci["conf_type"] in ("logit", "arcsin"):
                            sk = (tab["estimate"].to_numpy().reshape(-1, k) == 1.0) & (
                                np.abs(_cols(s["std_err"], k)) < 1e-12)
                            got[sk], exp[sk] = 0.0, 0.0
                        check(got, exp, f"{where}: at({extend}).{f}")
    for g in ref["gray"] or []:
        inp = ref["input"]
        res = gray_test(r_array(inp["time"]), r_array(inp["cause"]).astype(int),
                        np.array(inp["group"]), rho=g["rho"],
                        strata=None if inp.get("strata") is None else np.array(inp["strata"]))
        w = f"{name}/gray(rho={g['rho']})"
        assert list(res.causes) == g["causes"], w
        check(res.statistic, g["statistic"], f"{w}: statistic")
        check(res.p_value, g["p_value"], f"{w}: p_value")
        check(np.full(len(res.causes), res.df), g["df"], f"{w}: df")


@pytest.mark.parametrize("path", CIF_FILES, ids=[p.stem for p in CIF_FILES])
def test_cif_matches_r(path: Path) -> None:
    errors: list[str] = []
    compare(load_json(path), errors)
    assert not errors, "\n".join(errors[:20])


def test_fixtures_present() -> None:
    assert len(CIF_FILES) >= 10
