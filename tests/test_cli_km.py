"""`survkit km`: output against R, files, and one-line errors with exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from survkit.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_km_json_matches_r(capsys: pytest.CaptureFixture[str]) -> None:
    # R: print(survfit(Surv(time, status) ~ x, data = aml))
    #   x=Maintained     11 7 31 18 NA ;  x=Nonmaintained 12 11 23 8 NA
    # survdiff(Surv(time, status) ~ x, data = aml)$chisq = 3.3963886989776 on 1 df
    code, out, _ = run(capsys, "km", "--example", "aml", "--by", "x", "--json")
    assert code == 0
    res = json.loads(out)
    rows = {r["group"]: r for r in res["summary"]}
    assert rows["Maintained"]["n"] == 11 and rows["Maintained"]["events"] == 7
    assert (rows["Maintained"]["median"], rows["Maintained"]["lower"]) == (31, 18)
    assert rows["Maintained"]["upper"] is None
    assert (rows["Nonmaintained"]["median"], rows["Nonmaintained"]["lower"]) == (23, 8)
    assert res["logrank"]["chisq"] == pytest.approx(3.3963886989776, rel=1e-12)


def test_km_text_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "d.csv"
    # hand-checked: S(1) = 4/5, S(2) = 4/5 * 3/4 = 0.6, S(3) = 0.6 * 1/2 = 0.3
    pd.DataFrame({"t": [1, 2, 2, 3, 4], "d": [1, 1, 0, 1, 0]}).to_csv(csv, index=False)
    png, table = tmp_path / "f.png", tmp_path / "t.csv"
    code, out, err = run(capsys, "km", str(csv), "--time", "t", "--event", "d", "--times",
                         "1,2.5,3", "--plot", str(png), "--table", str(table))
    assert code == 0, err
    assert "median" in out
    assert png.stat().st_size > 1000
    got = pd.read_csv(table)
    assert got["surv"].tolist() == pytest.approx([0.8, 0.6, 0.3])
    # at risk just before t (R): t=1: all 5; t=2.5: times 3, 4; t=3: times 3, 4
    assert got["n_risk"].tolist() == [5, 2, 2]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["km", "missing.csv"], "no such file"),
        (["km", "--example", "aml", "--conf-type", "bogus"], "conf_type"),
        (["km", "--example", "aml", "--time", "nope"], "--time"),
        (["km", "--example", "aml", "--times", "1,x"], "--times"),
        (["km", "--example", "aml", "--conf-level", "1.5"], "--conf-level"),
        (["km"], "CSV file"),
    ],
)
def test_km_bad_input_exit_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_km_bad_event_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "d.csv"
    pd.DataFrame({"time": [1, 2], "status": [1, 2]}).to_csv(csv, index=False)
    out_csv = tmp_path / "never.csv"
    code, _, err = run(capsys, "km", str(csv), "--table", str(out_csv))
    assert code == 2 and "event" in err and "'status'" in err and "row 1" in err
    assert not out_csv.exists()
