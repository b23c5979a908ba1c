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


def test_method_exact(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Whole patients reproducing the steps exactly (derivation): 1 event among 10 at t=1
    # (0.9); 0.675/0.9 = 0.75 = 1 - 2/8 at t=2 (8 at risk: 1 censoring between 1 and 2, placed
    # at its mark 1.2); 6 at risk at t=3 (printed); 0.3375/0.675 = 1 - 3/6 at t=4; the 3 left
    # censored after 4, the last at the curve's end (6).
    out = files / "exact.csv"
    rc = main(["ipd", str(files / "curve.csv"), "--risk", str(files / "risk.csv"),
               "--marks", str(files / "marks.csv"), "--method", "exact",
               "--surv-tol", "1e-6", "--out", str(out)])
    assert rc == 0
    df = pd.read_csv(out)
    assert df.loc[df.event == 1, "time"].tolist() == [1, 2, 2, 4, 4, 4]
    cens = df.loc[df.event == 0, "time"].tolist()
    assert cens[0] == 1.2 and len(cens) == 4 and cens[-1] == 6
    assert all(4 < t <= 6 for t in cens[1:])
    assert "exact reconstruction" in capsys.readouterr().out


def test_method_exact_arms(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = files / "arms.csv"
    rc = main(["ipd", "--arm", f"A={files / 'curve.csv'},{files / 'risk.csv'}",
               "--arm", f"B={files / 'curve.csv'},{files / 'risk.csv'}",
               "--method", "exact", "--surv-tol", "1e-6", "--out", str(out)])
    assert rc == 0
    df = pd.read_csv(out)
    # same derivation as test_method_exact, censoring at 1.5 (the middle of (1, 2)) unmarked
    for arm in ("A", "B"):
        a = df[df.arm == arm]
        assert a.loc[a.event == 1, "time"].tolist() == [1, 2, 2, 4, 4, 4]
        assert a.loc[a.event == 0, "time"].tolist()[0] == 1.5


@pytest.mark.parametrize(
    ("events", "times"),
    [
        # without a table many histories fit; the given total picks one (derivation):
        # 3 events: 1 among 10 (0.9), 1 among 4 (0.675 = 0.9 * 3/4), 1 among 2 (0.3375)
        (3, [1, 2, 4]),
        # 4 events: 1 among 10, 2 among 8 (3/4), 1 among 2
        (4, [1, 2, 2, 4]),
        # 6 events: 1 among 10, 2 among 8, 3 among 6
        (6, [1, 2, 2, 4, 4, 4]),
    ],
)
def test_method_exact_total_events(files: Path, capsys: pytest.CaptureFixture[str],
                                   events: int, times: list[int]) -> None:
    out = files / "tot.csv"
    rc = main(["ipd", str(files / "curve.csv"), "--n", "10", "--events", str(events),
               "--method", "exact", "--surv-tol", "1e-6", "--out", str(out)])
    assert rc == 0
    df = pd.read_csv(out)
    assert len(df) == 10
    assert df.loc[df.event == 1, "time"].tolist() == times
    assert f"events = {events} (given {events}: exact)" in capsys.readouterr().out


def test_method_guyot(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --method guyot gives the same data as the default without --surv-tol (tests/test_ipd.py EX2)
    out = files / "g.csv"
    rc = main(["ipd", str(files / "curve.csv"), "--risk", str(files / "risk.csv"),
               "--events", "6", "--method", "guyot", "--out", str(out)])
    assert rc == 0
    assert pd.read_csv(out)["time"].tolist() == [1, 1.5, 2, 2, 4, 4, 4, 6, 6, 6]


@pytest.mark.parametrize(
    ("argv", "msg"),
    [
        (["ipd", "{curve}", "--n", "10", "--method", "exact"], "--method exact needs --surv-tol"),
        (["ipd", "{curve}", "--n", "10", "--surv-tol", "0"], "--surv-tol: must be above 0"),
        (["ipd", "{curve}", "--n", "10", "--surv-tol", "nan"], "--surv-tol: must be above 0"),
        (["ipd", "{curve}", "--n", "10", "--surv-tol", "0.5"], "at most 0.05"),
        (["ipd", "{curve}", "--n", "10", "--surv-tol", "x"], "invalid float value"),
        (["ipd", "{curve}", "--n", "10", "--method", "guyot", "--surv-tol", "1e-6"],
         "not guyot"),
        (["ipd", "{curve}", "--n", "10", "--method", "best"], "invalid choice"),
        # each of the 3 drops needs at least one event: no history has 2
        (["ipd", "{curve}", "--n", "10", "--events", "2", "--method", "exact",
          "--surv-tol", "1e-6"], "method='exact'"),
    ],
)
def test_method_errors(files: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                       msg: str) -> None:
    argv = [a.replace("{curve}", str(files / "curve.csv")) for a in argv]
    out = files / "never.csv"
    rc = main([*argv, "--out", str(out)])
    assert rc == 2
    err = capsys.readouterr().err
    assert msg in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
