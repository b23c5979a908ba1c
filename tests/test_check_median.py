"""check_median: printed medians with CI judged under each software's method, given the data.

Expected values: medians printed by R survival 3.5 under each conf.type
(tests/r/make_median_methods.R -> tests/fixtures/median_methods.json) and, for the SAS method,
statsmodels' SurvfuncRight.quantile_ci (an independent implementation of the PROC LIFETEST
formula). The symmetric (SPSS) cases are derived in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import FIXTURES, load_json
from survkit import kaplan_meier
from survkit.check.median import check_median

CASES = load_json(FIXTURES / "median_methods.json")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['data']}-{c['conf_type']}")
def test_r_printed_median_keeps_its_transform(case: dict) -> None:  # type: ignore[type-arg]
    fit = kaplan_meier(np.asarray(case["time"], float), np.asarray(case["status"], int))
    res = check_median(fit, case["text"])
    assert case["conf_type"] in res.consistent, res.to_frame()
    assert "nearest" in res.methods[case["conf_type"]].rounding


def test_log_only_points_to_r() -> None:
    # lung: R's log limits 285-363 differ from every other transform's 284-361
    lung = next(c for c in CASES if c["data"] == "lung" and c["conf_type"] == "log")
    fit = kaplan_meier(np.asarray(lung["time"], float), np.asarray(lung["status"], int))
    res = check_median(fit, lung["text"])
    assert res.consistent == ("log",) and res.likely_software == "R"


def test_sas_loglog_agrees_with_statsmodels() -> None:
    sm = pytest.importorskip("statsmodels.duration.survfunc")
    case = next(c for c in CASES if c["data"] == "aml" and c["conf_type"] == "log-log")
    t = np.asarray(case["time"], float)
    e = np.asarray(case["status"], int)
    lb, ub = sm.SurvfuncRight(t, e).quantile_ci(0.5, method="cloglog")
    fit = kaplan_meier(t, e)
    text = f"median 27 days (95% CI, {lb:.0f} to {ub:.0f})"
    res = check_median(fit, text)
    assert "log-log" in res.consistent
    assert "SAS" in res.likely_software


def test_symmetric_interval_is_spss() -> None:
    case = next(c for c in CASES if c["data"] == "lung" and c["conf_type"] == "log")
    fit = kaplan_meier(np.asarray(case["time"], float), np.asarray(case["status"], int))
    # 310 -/+ 60 = 250, 370: symmetric about the data's median, no transform gives it
    res = check_median(fit, "median 310 days (95% CI, 250 to 370)")
    assert res.consistent == ("symmetric",) and res.likely_software == "SPSS"
    # 110 below, 60 above: neither symmetric nor any band crossing
    assert check_median(fit, "median 310 days (95% CI, 200 to 370)").consistent == ()
    # a median the data do not have
    assert check_median(fit, "median 300 days (95% CI, 250 to 350)").consistent == ()


def test_bad_input() -> None:
    case = CASES[0]
    fit = kaplan_meier(np.asarray(case["time"], float), np.asarray(case["status"], int))
    with pytest.raises(ValueError, match="survival probability"):
        check_median(fit, "68% (95% CI, 43 to 100)")
    with pytest.raises(TypeError, match="KaplanMeier"):
        check_median("fit", case["text"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="contradicts"):
        check_median(fit, case["text"], conf_level=0.9)
