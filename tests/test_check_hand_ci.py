"""check_ci with the hand calculation plugged in: verdicts, histories, JSON, CLI, batch summary.

Expected values: the issue's worked example (derivation in tests/test_check_hand.py and
docs/checking.md), R-printed lines from the seed ("68% (43-100)" with n = 10 is R's log
transform, tests/r/make_check_fixtures.R), and lines printed here by an independent printer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings

from survkit.check import HandVariant, check_ci
from survkit.cli import main
from survkit.printed import parse_endpoint
from test_check_hand import _cases, _print_by_hand

ISSUE = "28.6% (95% CI, 4.9 to 52.3)"
SEED = "1-year OS 68% (95% CI, 43\u2013100)"


def test_issue_example_is_consistent_only_by_hand() -> None:
    res = check_ci(ISSUE, n=14)
    assert res.consistent == ("hand",)
    hand = res.methods["hand"]
    assert hand.consistent and "computed by hand from rounded numbers" in hand.reason
    assert tuple(range(14, 4, -1)) in [h.at_risk for h in res.histories["hand"]]
    assert res.hand is not None and res.hand.variants
    d = res.to_dict()
    assert d["consistent"] == ["hand"]
    assert d["hand"]["variants"][0]["id"]
    assert d["methods"]["hand"]["n_histories"] == res.n_histories["hand"]
    # without the hand calculation every transform is excluded (as the issue reports)
    assert check_ci(ISSUE, n=14, hand=False).consistent == ()


def test_transform_lines_keep_their_transform_and_no_hand_verdict() -> None:
    res = check_ci(SEED, n=10)
    assert res.consistent == ("log",)
    assert "hand" not in res.methods


def test_numbers_no_method_makes_stay_inconsistent() -> None:
    # a lower limit misprinted "0.40" for 40
    res = check_ci("55% (95% CI, 0.40 to 70)", n=20)
    assert res.consistent == ()
    assert res.hand is not None and not res.hand.consistent


def test_rounding_narrows_the_hand_variants() -> None:
    res = check_ci(ISSUE, n=14, rounding="nearest")
    assert res.consistent == ("hand",)
    assert res.hand is not None
    assert {v.rounding for v in res.hand.variants} == {"nearest"}


def test_cli_labels_hand_and_names_software(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ISSUE, "--n", "14"]) == 0
    out = capsys.readouterr().out
    assert "hand      consistent" in out
    assert "consistent only if the interval was computed by hand from rounded numbers" in out
    assert "SPSS or a spreadsheet" in out
    assert "(14, 13, 12, 11, 10, 9, 8, 7, 6, 5)" in out
    assert main(["check", SEED, "--n", "10"]) == 0
    assert "R survfit default" in capsys.readouterr().out
    assert main(["check", ISSUE, "--n", "14", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["consistent"] == ["hand"] and d["hand"]["consistent"]


def test_batch_likely_software_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {"text": [ISSUE, SEED, "55% (95% CI, 0.40 to 70)"], "n": ["14", "10", "20"]}
    ).to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["check", "--csv", str(src), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rep = pd.read_csv(out, keep_default_na=False)
    assert list(rep["likely_software"]) == ["SPSS or by hand", "R", "none"]
    assert list(rep["hand"]) == [True, False, False]
    assert "likely software across 3 survival rows" in printed
    assert "SPSS or by hand: 1" in printed and "R: 1" in printed


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(_cases(12))
def test_hand_printed_lines_are_hand_in_check_ci(
    case: tuple[int, tuple[int, ...], HandVariant, int],
) -> None:
    n, at_risk, var, d = case
    text = _print_by_hand(at_risk, var, d)
    try:
        rep = parse_endpoint(text)
    except ValueError:  # double rounding put a limit beyond the estimate
        assume(False)
        raise
    assume(rep.estimate > 0)
    res = check_ci(rep, n=n)
    assert "hand" in res.consistent, text
    assert at_risk in [h.at_risk for h in res.histories["hand"]], text
    assert res.hand is not None and var.id in {v.id for v in res.hand.variants}, text
