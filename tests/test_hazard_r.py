"""Nelson-Aalen / Fleming-Harrington hazards, stype = 2 survival, conditional KM and the
stratified / G-rho log-rank vs R survival at 1e-10.

Fixtures: tests/fixtures/hazard/*.json, written by tests/r/make_hazard_fixtures.R (R 4.2,
survival 3.5.3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import FIXTURES, assert_r_close, load_json, r_array
from survkit.estimate.hazard import nelson_aalen
from survkit.estimate.km import kaplan_meier
from survkit.estimate.logrank import logrank_test

HAZARD_FILES = sorted((FIXTURES / "hazard").glob("*.json"))


def _kw(ref: dict[str, Any]) -> dict[str, Any]:
    inp = ref["input"]
    kw: dict[str, Any] = {"time": r_array(inp["time"]), "event": r_array(inp["event"]).astype(int)}
    for key in ("entry", "weights"):
        if inp.get(key) is not None:
            kw[key] = r_array(inp[key])
    return kw


def compare(ref: dict[str, Any], errors: list[str]) -> None:
    """Every field of one R block; mismatches are appended to ``errors``."""

    def check(got: Any, exp: Any, label: str) -> None:
        try:
            assert_r_close(got, exp, label)
        except AssertionError as exc:
            errors.append(str(exc))

    name = ref["name"]
    kw = _kw(ref)
    times = r_array(ref["times"])
    for c in ref["curves"]:
        w = f"{name}/stype={c['stype']}/ctype={c['ctype']}/{c['conf_type']}/{c['conf_level']}"
        hz = nelson_aalen(**kw, ctype=c["ctype"])
        check(hz.time, c["time"], f"{w}: time")
        check(hz.cumhaz, c["cumhaz"], f"{w}: cumhaz")
        check(hz.std_chaz, c["std_chaz"], f"{w}: std_chaz")
        check(hz.n_risk, c["n_risk"], f"{w}: n_risk")
        check(hz.n_event, c["n_event"], f"{w}: n_event")
        tab = hz.at(times, extend=True)
        check(tab["cumhaz"].to_numpy(), c["summary"]["cumhaz"], f"{w}: at.cumhaz")
        check(tab["std_chaz"].to_numpy(), c["summary"]["std_chaz"], f"{w}: at.std_chaz")
        check(tab["n_risk"].to_numpy(), c["summary"]["n_risk"], f"{w}: at.n_risk")
        fit = kaplan_meier(**kw, stype=c["stype"], ctype=c["ctype"], conf_type=c["conf_type"],
                           conf_level=c["conf_level"])
        for f in ("surv", "std_err", "lower", "upper"):
            check(getattr(fit, f), c[f], f"{w}: {f}")
        tab = fit.at(times, extend=True)
        for f in ("surv", "std_err", "lower", "upper"):
            check(tab[f].to_numpy(), c["summary"][f], f"{w}: at.{f}")
    for c in ref["conditional"] or []:
        w = f"{name}/start_time={ref['start_time']}/{c['conf_type']}/{c['conf_level']}"
        fit = kaplan_meier(**kw, start_time=ref["start_time"], conf_type=c["conf_type"],
                           conf_level=c["conf_level"])
        for f in ("time", "n_risk", "surv", "std_err", "lower", "upper"):
            check(getattr(fit, f), c[f], f"{w}: {f}")
        tab = fit.at(times, extend=True)
        for f in ("time", "n_risk", "surv", "std_err", "lower", "upper"):
            check(tab[f].to_numpy(), c["summary"][f], f"{w}: at.{f}")
        med = fit.median()
        for f in ("estimate", "lower", "upper"):
            check(getattr(med, f), c["median"][f], f"{w}: median.{f}")
        hz = nelson_aalen(**kw, start_time=ref["start_time"])
        check(hz.cumhaz, c["cumhaz"], f"{w}: cumhaz")
        check(hz.std_chaz, c["std_chaz"], f"{w}: std_chaz")
    inp = ref["input"]
    for sd in ref["survdiff"] or []:
        w = f"{name}/survdiff(rho={sd['rho']})"
        lr = logrank_test(kw["time"], kw["event"], np.array(inp["group"]), rho=sd["rho"],
                          strata=None if inp.get("strata") is None else np.array(inp["strata"]))
        for f in ("statistic", "df", "p_value", "observed", "expected"):
            check(getattr(lr, f), sd[f], f"{w}: {f}")
        check(lr.variance.ravel(order="F"), sd["variance"], f"{w}: variance")


@pytest.mark.parametrize("path", HAZARD_FILES, ids=[p.stem for p in HAZARD_FILES])
def test_hazard_matches_r(path: Path) -> None:
    errors: list[str] = []
    compare(load_json(path), errors)
    assert not errors, "\n".join(errors[:20])


def test_fixtures_present() -> None:
    assert len(HAZARD_FILES) >= 8
