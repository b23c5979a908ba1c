"""``survkit ipd`` end to end (expected data derived by hand, see tests/test_ipd.py EX2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from survkit.cli import main

# 10 patients: event at 1, censored 1.5, 2 events at 2, 3 events at 4, 3 censored at 6;
# KM 0.9, 0.675, 0.3375; at risk 10 at t=0 and 6 at t=3 (see tests/test_ipd.py).
CURVE = "time,surv\n1,100\n1,90\n2,90\n2,67.5\n4,67.5\n4,33.75\n6,33.75\n"
RISK = "time,n_risk\n0,10\n3,6\n"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "curve.csv").write_text(CURVE)
    (tmp_path / "risk.csv").write_text(RISK)
    (tmp_path / "marks.csv").write_text("time\n1.2\n")
    return tmp_path


def test_single_arm(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = files / "ipd.csv"
    png = files / "check.png"
    rc = main(["ipd", str(files / "curve.csv"), "--risk", str(files / "risk.csv"),
               "--events", "6", "--out", str(out), "--plot", str(png)])
    assert rc == 0
    df = pd.read_csv(out)
    assert df["time"].tolist() == [1, 1.5, 2, 2, 4, 4, 4, 6, 6, 6]
    assert df["event"].tolist() == [1, 0, 1, 1, 1, 1, 1, 0, 0, 0]
    assert png.stat().st_size > 1000
    assert "events = 6 (given 6: exact)" in capsys.readouterr().out


def test_stdout_and_marks(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["ipd", str(files / "curve.csv"), "--risk", str(files / "risk.csv"),
               "--marks", str(files / "marks.csv")])
    assert rc == 0
    cap = capsys.readouterr()
    assert cap.out.splitlines()[0] == "time,event"
    assert "1.2,0" in cap.out
    assert "IPD reconstruction" in cap.err


def test_arms(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = files / "arms.csv"
    rc = main(["ipd", "--arm", f"A={files / 'curve.csv'},{files / 'risk.csv'},events=6",
               "--arm", f"B={files / 'curve.csv'},n=10", "--out", str(out)])
    assert rc == 0
    df = pd.read_csv(out)
    assert df.groupby("arm").size().to_dict() == {"A": 10, "B": 10}
    assert int(df.loc[df.arm == "A", "event"].sum()) == 6


@pytest.mark.parametrize(
    ("argv", "msg"),
    [
        (["ipd"], "required"),
        (["ipd", "nope.csv", "--n", "5"], "no such file"),
        (["ipd", "{curve}"], "n is required"),
        # 67.5 is on the 4th data row: row 5 of the file as a spreadsheet shows it
        (["ipd", "{curve}", "--risk", "{curve}"],
         "whole numbers; row 5 has 67.5 (rows counted as in a spreadsheet: row 1 is the header)"),
        (["ipd", "--arm", "A"], "NAME=curve.csv"),
        (["ipd", "--arm", "A={curve},foo=3"], "unknown option"),
        (["ipd", "{curve}", "--arm", "A={curve}"], "inside each --arm"),
    ],
)
def test_errors(files: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                msg: str) -> None:
    argv = [a.replace("{curve}", str(files / "curve.csv")) for a in argv]
    out = files / "never.csv"
    rc = main([*argv, "--out", str(out)])
    assert rc == 2
    assert msg in capsys.readouterr().err
    assert not out.exists()
