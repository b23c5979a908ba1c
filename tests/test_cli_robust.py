"""The CLI promise: one line and exit 2 for bad input and unusable paths, 130 on Ctrl-C, outputs
complete or absent, modes from the umask, spreadsheet row numbers, exit codes in --help.

Each case here failed before the CLI machinery of ``survkit.cli`` / ``survkit.cli._io``
(tracebacks, partial outputs, 0600 modes, 0-based rows, argparse messages).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from survkit.cli import main
from survkit.cli._io import MARKER, OutputFiles, UsageError, atomic_dir

SRC = str(Path(__file__).resolve().parents[1] / "src")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def km_csv(tmp_path: Path) -> Path:
    p = tmp_path / "d.csv"
    pd.DataFrame({"time": [1, 2, 2, 3, 4], "status": [1, 1, 0, 1, 0]}).to_csv(p, index=False)
    return p


@pytest.fixture
def curve(tmp_path: Path) -> Path:
    p = tmp_path / "curve.csv"
    p.write_text("time,surv\n1,1\n1,0.9\n2,0.9\n2,0.675\n4,0.675\n4,0.3375\n6,0.3375\n")
    return p


# ----------------------------------------------------------------------------- output paths
@pytest.mark.parametrize("opt", ["--table", "--plot"])
def test_km_output_is_a_directory(tmp_path: Path, km_csv: Path, opt: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "adir.png"
    target.mkdir()
    code, out, err = run(capsys, "km", str(km_csv), opt, str(target))
    assert code == 2 and out == ""
    line = one_line(err)
    assert opt in line and str(target) in line and "directory" in line


def test_output_under_a_file(tmp_path: Path, km_csv: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "km", str(km_csv), "--table", str(km_csv / "t.csv"))
    assert code == 2 and "not a directory" in one_line(err)


def test_unwritable_place_names_the_path(km_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # /proc refuses new files even for root: the OSError of the write becomes one line.
    code, _, err = run(capsys, "km", str(km_csv), "--table", "/proc/survkit-test.csv")
    assert code == 2
    assert "/proc/survkit-test.csv" in one_line(err)


def test_unknown_figure_format(km_csv: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "km", str(km_csv), "--plot", str(tmp_path / "f.xyz"))
    assert code == 2 and "--plot" in one_line(err) and ".xyz" in err


def test_ipd_out_is_a_directory(tmp_path: Path, curve: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ipd", str(curve), "--n", "10", "--out", str(tmp_path))
    assert code == 2 and "--out" in one_line(err)


def test_check_out_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "b.csv"
    batch.write_text("text,n\n\"68% (95% CI, 43 to 100)\",10\n")
    outdir = tmp_path / "report.csv"
    outdir.mkdir()
    code, _, err = run(capsys, "check", "--csv", str(batch), "--out", str(outdir))
    assert code == 2 and str(outdir) in one_line(err)


def test_reproduce_out_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    code, _, err = run(capsys, "reproduce", "--out", str(f), "--draws", "2")
    assert code == 2 and "--out" in one_line(err) and "not a directory" in err


def test_reproduce_refuses_a_foreign_directory(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "mine"
    d.mkdir()
    (d / "thesis.tex").write_text("precious")
    code, _, err = run(capsys, "reproduce", "--out", str(d), "--draws", "2")
    assert code == 2 and "not replaced" in one_line(err)
    assert (d / "thesis.tex").read_text() == "precious"


# ----------------------------------------------------------------------------- input paths
def test_input_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["km", str(tmp_path)], ["ipd", str(tmp_path), "--n", "3"],
                 ["check", "--csv", str(tmp_path)], ["reproduce", str(tmp_path), "--out",
                                                      str(tmp_path / "o")]):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        assert str(tmp_path) in one_line(err), argv


def test_unreadable_input_names_the_path(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # A file that cannot be decoded as text, and an empty file.
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00\x01" * 10)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    for p in (bad, empty):
        code, _, err = run(capsys, "km", str(p))
        assert code == 2 and str(p) in one_line(err)


# ----------------------------------------------------------------------------- atomic outputs
def test_files_follow_the_umask(tmp_path: Path, km_csv: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        table = tmp_path / "t.csv"
        assert run(capsys, "km", str(km_csv), "--table", str(table))[0] == 0
        assert stat.S_IMODE(table.stat().st_mode) == 0o644  # not 0600
        os.umask(0o027)
        out = tmp_path / "run"
        assert run(capsys, "reproduce", "--out", str(out), "--draws", "2", "--seed", "1")[0] == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o750
        assert stat.S_IMODE((out / "patients.csv").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_outputs_of_one_run_appear_together(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    with pytest.raises(KeyboardInterrupt), OutputFiles() as out:
        out.path(a).write_text("new a")
        out.path(b).write_text("new b")
        raise KeyboardInterrupt
    assert not a.exists() and not b.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_interrupted_rerun_leaves_the_previous_run(tmp_path: Path) -> None:
    d = tmp_path / "out"
    with atomic_dir(d) as tmp:
        (tmp / "report.md").write_text("run 1")
        (tmp / "km.png").write_text("figure 1")
    with pytest.raises(KeyboardInterrupt), atomic_dir(d) as tmp:
        (tmp / "patients.csv").write_text("run 2, half written")
        raise KeyboardInterrupt
    assert sorted(p.name for p in d.iterdir()) == sorted([MARKER, "km.png", "report.md"])
    assert (d / "report.md").read_text() == "run 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_out_dir_is_replaced_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "run"
    assert run(capsys, "reproduce", "--out", str(d), "--draws", "2", "--seed", "1")[0] == 0
    from PIL import Image

    with Image.open(d / "km.png") as im:  # publication raster: 300 dpi
        assert round(im.info["dpi"][0]) == 300
    assert run(capsys, "reproduce", "--out", str(d), "--draws", "2", "--seed", "1",
               "--format", "svg")[0] == 0
    names = sorted(p.name for p in d.iterdir())
    assert names == sorted(
        [MARKER, "histories.csv", "km.svg", "patients.csv", "report.md", "swimmer.svg"]
    )
    assert (d / "km.svg").read_text().lstrip().startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no sibling left


def test_atomic_dir_refuses_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("k")
    with pytest.raises(UsageError, match="not replaced"), atomic_dir(tmp_path / "x"):
        pass


# ----------------------------------------------------------------------------- Ctrl-C
def test_sigint_during_reproduce(tmp_path: Path) -> None:
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": SRC}
    first = subprocess.run(
        [sys.executable, "-m", "survkit", "reproduce", "--out", str(out), "--draws", "3",
         "--seed", "1"], env=env, capture_output=True, text=True, timeout=120,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # Start a long run; signal "ready" once a first short run in the same process has
    # imported everything a run uses (pandas, matplotlib...: under load an import can take
    # seconds, and a SIGINT landing inside a library's import is not the CLI's to handle),
    # so that SIGINT lands in the run. Its budget is too large to run out first (an
    # exhausted budget exits 3, undecided).
    warm = tempfile.mkdtemp()
    code = (
        "import contextlib, io, shutil, signal, sys; import survkit.cli as c\n"
        # as a shell starts it: SIGINT neither blocked nor ignored, whatever the test
        # process's own state is (both are inherited through fork and exec)
        "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    c.main(['reproduce', '--out', {warm + '/w'!r}, '--draws', '1', '--seed', '1'])\n"
        f"shutil.rmtree({warm!r}); sys.stderr.write('ready\\n'); sys.stderr.flush()\n"
        f"sys.exit(c.main(['reproduce', '--out', {str(out)!r}, '--draws', '100000', "
        "'--seed', '2', '--max-proposals', '1000000000']))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    assert proc.stderr.readline().strip() == "ready"
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()  # leave no run behind
        proc.communicate()
        raise
    blocked = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    assert proc.returncode == 130, (
        f"{stderr}\n(test process: SIGINT blocked {blocked}, "
        f"handler {signal.getsignal(signal.SIGINT)})")
    assert stderr.strip() == "survkit reproduce: interrupted; no partial output was written"
    assert stdout == ""
    # --out is still exactly the previous complete run, and nothing was left beside it.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


# ----------------------------------------------------------------------------- option values
def test_negative_times_name_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "km", "--example", "aml", "--times", "-5,6")
    assert code == 2
    line = one_line(err)
    assert "--times" in line and "-5" in line and "negative" in line


def test_negative_seed_names_the_option(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "reproduce", "--out", str(tmp_path / "o"), "--seed", "-1")
    assert code == 2 and "--seed" in one_line(err)
    assert not (tmp_path / "o").exists()


def test_argparse_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["km", "--example", "aml", "--bogus"], ["km", "--conf-level", "x"],
                 ["ipd", "--n", "2.5"], ["reproduce"], ["nosuchcommand"]):
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        one_line(err)


def test_conf_level_has_help_and_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["km", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--conf-level CONF_LEVEL\n" in out or "--conf-level CONF_LEVEL " in out
    assert "level of the confidence intervals" in out
    code, _, err = run(capsys, "km", "--example", "aml", "--conf-level", "95")
    assert code == 2 and "--conf-level" in one_line(err)


@pytest.mark.parametrize("command", ["reproduce", "km", "check", "ipd"])
def test_help_has_exit_codes_and_no_markup(command: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "``" not in out and ":func:" not in out and ":class:" not in out
    for code in ("0 ", "1 ", "2 ", "3 ", "130 "):
        assert f"\n  {code}" in out, (command, code)


def test_top_level_help_has_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "130  interrupted" in capsys.readouterr().out


# ----------------------------------------------------------------------------- row numbers
def test_km_rows_as_a_spreadsheet_shows_them(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "d.csv"
    # header is row 1; data rows 2, 3, 4: the bad event (2) is on row 3, the bad time on row 4
    p.write_text("time,status\n1,1\n2,2\n3,0\n")
    code, _, err = run(capsys, "km", str(p))
    assert code == 2 and "row 3" in one_line(err) and "row 1 is the header" in err
    p.write_text("time,status\n1,1\n2,0\nabc,0\n")
    code, _, err = run(capsys, "km", str(p))
    assert code == 2 and "row 4" in one_line(err) and "'abc'" in err
    p.write_text("time,status\n1,1\n-2,0\n")
    code, _, err = run(capsys, "km", str(p))
    assert code == 2 and "row 3" in one_line(err) and "negative" in err


def test_km_entry_and_group_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "d.csv"
    p.write_text("time,status,e,g\n1,1,0.5,a\n2,0,3,b\n3,1,0,\n")
    code, _, err = run(capsys, "km", str(p), "--entry", "e")
    assert code == 2 and "row 3 has entry 3 >= time 2" in one_line(err)  # was "row 1"
    code, _, err = run(capsys, "km", str(p), "--by", "g")
    assert code == 2 and "row 4 is empty" in one_line(err)


def test_ipd_rows_without_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "c.csv"
    # no header: the first line is row 1, the negative time is on row 2
    p.write_text("0,1\n-3,0.9\n2,0.8\n")
    code, _, err = run(capsys, "ipd", str(p), "--n", "5")
    assert code == 2 and "row 2" in one_line(err) and "no header" in err


# ----------------------------------------------------------------------------- ipd scale
def test_ipd_stray_click_does_not_switch_to_percent(tmp_path: Path, curve: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # The case: a fraction curve with one stray click at 1.8 used to be read as percent
    # (all 10 patients dying at t = 0, exit 0). Now: an error naming the click's row.
    p = tmp_path / "stray.csv"
    p.write_text(curve.read_text() + "3,1.8\n")
    out = tmp_path / "ipd.csv"
    code, _, err = run(capsys, "ipd", str(p), "--n", "10", "--out", str(out))
    assert code == 2
    line = one_line(err)
    assert "fraction scale" in line and "row 9 has 1.8" in line and "stray click" in line
    assert not out.exists()


def test_ipd_ambiguous_scale_asks_for_scale(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "amb.csv"
    # first click a fraction (0.95), most of the curve above 1.02: no robust evidence
    p.write_text("time,surv\n0.5,0.95\n1,60\n2,50\n3,40\n")
    code, _, err = run(capsys, "ipd", str(p), "--n", "10")
    assert code == 2 and "--scale" in one_line(err)
    code, _out, _ = run(capsys, "ipd", str(p), "--n", "10", "--scale", "percent")
    assert code == 0


def test_ipd_report_flags_fits_not_to_trust(tmp_path: Path, curve: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # Without a risk table or total events, censoring is guessed: the report says so.
    code, out, _ = run(capsys, "ipd", str(curve), "--n", "10", "--out", str(tmp_path / "o.csv"))
    assert code == 0 and "DO NOT TRUST" in out and "censoring is guessed" in out


def test_ipd_two_arms_report_cox_hr(tmp_path: Path, curve: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ipd", "--arm", f"A={curve},n=10", "--arm", f"B={curve},n=12",
                       "--out", str(tmp_path / "o.csv"))
    assert code == 0
    assert "Cox HR B vs A" in out and "Log-rank" in out


# ----------------------------------------------------------------------------- km + weights
def test_km_by_with_weights_prints_no_logrank(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "w.csv"
    pd.DataFrame({"time": [1, 2, 3, 4, 5, 6], "status": [1, 1, 0, 1, 1, 0],
                  "g": ["a", "a", "a", "b", "b", "b"], "w": [1, 2, 1, 2, 1, 2]}).to_csv(p,
                                                                                      index=False)
    code, out, _ = run(capsys, "km", str(p), "--by", "g", "--weights", "w")
    assert code == 0
    assert "Log-rank:" not in out and "not computed" in out and "--weights" in out


# ----------------------------------------------------------------------------- special paths
def test_symlinked_outputs_replace_their_targets(tmp_path: Path, km_csv: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run(capsys, "km", str(km_csv), "--table", str(link))[0] == 0
    assert link.is_symlink() and real.read_text().startswith("time,")
    real_dir, link_dir = tmp_path / "realdir", tmp_path / "linkdir"
    real_dir.mkdir()
    link_dir.symlink_to(real_dir)
    assert run(capsys, "reproduce", "--out", str(link_dir), "--draws", "2", "--seed", "1")[0] == 0
    assert link_dir.is_symlink() and (real_dir / "report.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["d.csv", "link.csv", "linkdir", "real.csv", "realdir"])


def test_output_to_a_named_pipe_is_written_in_place(tmp_path: Path, km_csv: Path) -> None:
    # A pipe (or /dev/stdout) cannot be replaced by a rename: it is written directly.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    proc = subprocess.run([sys.executable, "-m", "survkit", "km", str(km_csv), "--table",
                           str(fifo)], env={**os.environ, "PYTHONPATH": SRC},
                          capture_output=True, text=True, timeout=60)
    data, _ = reader.communicate(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert data.startswith("time,n_risk")


# ----------------------------------------------------------------------------- exit codes
def _raise(exc: BaseException):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> None:
        raise exc

    return fail


def test_budget_error_is_undecided_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import survkit.trial.exact as exact

    monkeypatch.setattr(exact, "reconstruct",
                        _raise(exact.ReconstructionBudgetError("found 3 of 100 draws")))
    code, _, err = run(capsys, "reproduce", "--out", str(tmp_path / "o"), "--draws", "100")
    assert code == 3 and one_line(err) == "survkit reproduce: undecided: found 3 of 100 draws"
    assert not (tmp_path / "o").exists()


def test_infeasible_spec_is_inconsistent_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import survkit.trial.exact as exact

    monkeypatch.setattr(exact, "reconstruct",
                        _raise(exact.InfeasibleSpecError("the facts conflict", {})))
    code, _, err = run(capsys, "reproduce", "--out", str(tmp_path / "o"))
    assert code == 1 and "inconsistent: the facts conflict" in one_line(err)


def test_a_bug_is_one_line_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import survkit.trial.exact as exact

    monkeypatch.delenv("SURVKIT_TRACEBACK", raising=False)
    monkeypatch.setattr(exact, "reconstruct", _raise(RuntimeError("oops")))
    code, _, err = run(capsys, "reproduce", "--out", str(tmp_path / "o"))
    assert code == 4 and "internal error (RuntimeError: oops)" in one_line(err)
