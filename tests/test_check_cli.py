"""``survkit check`` command line: verdict table, JSON layout, CSV batch, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from survkit.cli import main

SEED = "1-year OS 68% (95% CI, 43\u2013100)"


def test_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", SEED, "--n", "10"]) == 0
    out = capsys.readouterr().out
    assert "log       consistent" in out and "(10, 8, 7)" in out
    assert "plain     excluded" in out


def test_json_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "68% (95% CI, 43 to 100)", "--n", "10", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("estimate", "lower", "upper", "consistent", "methods", "histories", "n_histories"):
        assert key in d
    assert d["estimate"] == 0.68 and d["upper"] == 1.0
    assert d["consistent"] == ["log"]
    # S of (10, 8, 7) = 9/10 * 7/8 * 6/7 = 0.675
    # 0.675 prints 68 rounded to nearest, 67 truncated: the history holds under nearest only
    assert d["histories"]["log"] == [
        {"at_risk": [10, 8, 7], "events_before": [3], "surv": [pytest.approx(0.675)],
         "std_err_log": [pytest.approx((1 / 90 + 1 / 56 + 1 / 42) ** 0.5)],
         "rounding": ["nearest"]}
    ]
    assert d["methods"]["log"]["rounding"] == ["nearest"] and d["rounding"] == "any"
    assert d["methods"]["plain"]["rounding"] == []
    assert d["n_histories"] == {"plain": 0, "log": 1, "log-log": 0, "logit": 0, "arcsin": 0}
    assert set(d["methods"]) == {"plain", "log", "log-log", "logit", "arcsin"}


def test_truncation_only_results_are_marked(capsys: pytest.CaptureFixture[str]) -> None:
    # DFS 54% (29-100), n = 10: (10, 9, 7, 5) has S = 0.9 * 8/9 * 6/7 * 4/5 = 0.5486, which
    # prints 55 when rounded to nearest and 54 only when truncated.
    dfs = "1-year DFS 54% (95% CI, 29\u2013100)"
    assert main(["check", dfs, "--n", "10"]) == 0
    out = capsys.readouterr().out
    assert "(10, 8, 7, 5)  S=0.5400\n" in out
    assert "(10, 9, 7, 5)  S=0.5486  (only if truncated)" in out
    assert main(["check", dfs, "--n", "10", "--rounding", "nearest"]) == 0
    out = capsys.readouterr().out
    assert "(10, 8, 7, 5)" in out and "(10, 9, 7, 5)" not in out
    assert main(["check", dfs, "--n", "10", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [h["rounding"] for h in d["histories"]["log"]] == [["nearest"], ["truncate"]]
    assert d["methods"]["log"]["rounding"] == ["nearest", "truncate"]


def test_exit_code_1_when_inconsistent(capsys: pytest.CaptureFixture[str]) -> None:
    # 50% (49-51) needs SE(log S) ~ 0.01, an effective sample size in the thousands; ten
    # patients cannot give it (the DP proves no history exists under any transform)
    assert main(["check", "50% (95% CI, 49 to 51)", "--n", "10"]) == 1
    assert "excluded" in capsys.readouterr().out
    # the CI is not symmetric on the log scale: no Wald CI of a log HR
    assert main(["check", "HR 0.65 (95% CI, 0.40 to 0.85)"]) == 1
    assert "INCONSISTENT" in capsys.readouterr().out


def test_several_texts_dispatch_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "HR 0.72 (95% CI 0.55\u20130.94)", SEED, "--n", "10", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert docs[0]["symmetric"] is True and docs[1]["consistent"] == ["log"]


def test_hr_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002", "--events", "220"]) == 0
    assert "p implied by the CI" in capsys.readouterr().out
    assert main(["check", "HR 0.65 (95% CI, 0.50 to 0.85)", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["symmetric"] is True


@pytest.mark.parametrize(
    "argv",
    [
        ["check", SEED, "--n", "0"],
        ["check", "68% (95% CI, 80 to 100)", "--n", "10"],
        ["check", "sixty-eight percent"],
        ["check"],
        ["check", SEED, "--n-risk", "x"],
        ["check", "--csv", "/nonexistent/file.csv"],
        ["check", "68% (90% CI, 43 to 100)", "--conf-level", "0.95"],
        ["check", "HR 0.65 (95% CI, 0.50 to 0.85); P = 1.5"],
        ["check", "median OS 14.2 months (95% CI, 10.1 to NR)"],
        ["check", "0,5 (0,3,0,7)"],
    ],
)
def test_bad_input_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("survkit check: error:") and err.count("\n") == 1
    assert "Traceback" not in err


def test_csv_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "endpoints.csv"
    src.write_text(
        "text,n,n_risk_at\n"
        '"68% (95% CI, 43 to 100)",10,\n'
        '"54% (95% CI, 29\u2013100)",10,4\n'
        "nonsense,10,\n"
        '"50% (40, 60)",,\n'
        '"68% (95% CI, 43 to 100)",0,\n'
        '"HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002",,\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.csv"
    assert main(["check", "--csv", str(src), "--out", str(out)]) == 0
    rep = pd.read_csv(out, keep_default_na=False)
    assert len(rep) == 6 and list(rep.row) == [1, 2, 3, 4, 5, 6]
    assert rep.consistent[0] == "log" and str(rep.log_histories[0]) == "1"
    assert str(rep.log_histories[1]) == "2"  # both DFS histories end at risk set 5 -> 4 at risk
    assert "cannot parse" in rep.error[2]
    assert rep.consistent[3] == "plain;log;log-log;logit;arcsin"  # no n: numbers alone
    assert "n must be >= 1" in rep.error[4]
    assert rep.kind[5] == "hazard_ratio" and rep.consistent[5] == "yes"
    assert rep.log_rounding[0] == "nearest"
    assert "6 rows (2 with errors)" in capsys.readouterr().out


def test_csv_batch_columns_estimate_lower_upper(tmp_path: Path) -> None:
    src = tmp_path / "e.csv"
    src.write_text("estimate,lower,upper,n\n68,43,100,10\n0.54,0.29,1.00,10\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["check", "--csv", str(src), "--out", str(out)]) == 0
    rep = pd.read_csv(out, keep_default_na=False)
    assert list(rep.consistent) == ["log", "log"]


def test_csv_missing_columns(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["check", "--csv", str(src)]) == 2
