"""``survkit km big.parquet``: counted out-of-core by DuckDB, same output as pandas."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survkit.cli import main

pytest.importorskip("duckdb")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def rows(tmp_path: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(8)
    n = 2000
    df = pd.DataFrame({"t": np.ceil(rng.exponential(30.0, n)), "e": rng.integers(0, 2, n),
                       "g": rng.choice(["x", "y"], n)})
    df.to_parquet(tmp_path / "big.parquet")
    df.to_csv(tmp_path / "big.csv", index=False)
    return tmp_path / "big.parquet", tmp_path / "big.csv"


def test_parquet_equals_csv(rows: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    pq, csv = rows
    args = ["--time", "t", "--event", "e", "--by", "g", "--times", "10,20,40", "--json"]
    code_pq, out_pq, _ = run(capsys, "km", str(pq), *args)
    code_csv, out_csv, _ = run(capsys, "km", str(csv), *args)
    code_dd, out_dd, _ = run(capsys, "km", str(csv), "--engine", "duckdb", *args)
    assert code_pq == code_csv == code_dd == 0
    assert json.loads(out_pq) == json.loads(out_csv) == json.loads(out_dd)
    code, text, _ = run(capsys, "km", str(pq), "--time", "t", "--event", "e", "--by", "g")
    assert code == 0 and "Log-rank: chisq" in text and "g=x" in text


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--time", "nope"], "--time: column 'nope' not in the data"),
        (["--weights", "e"], "--weights needs the rows in memory"),
    ],
)
def test_errors_are_one_line(rows: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                             argv: list[str], match: str) -> None:
    pq, _ = rows
    code, out, err = run(capsys, "km", str(pq), "--event", "e", *argv)
    assert code == 2 and out == ""
    assert match in err and len(err.strip().splitlines()) == 1


def test_missing_parquet_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "km", str(tmp_path / "none.parquet"))
    assert code == 2 and "no such file" in err
