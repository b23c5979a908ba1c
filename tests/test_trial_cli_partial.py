"""`survkit reproduce --sampler abc` with fewer draws than asked: undecided (exit 3).

Without ``--allow-partial`` nothing is written; with it the draws found are written and the
summary line says PARTIAL (exit 3 either way, as for the exact sampler)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from survkit.cli import main


@pytest.fixture(scope="module")
def two_draws() -> Any:
    from survkit.trial import Trial, reconstruct

    return reconstruct(Trial.seed(), draws=2, seed=1, progress=False)


def _fake_abc(ens: Any) -> Any:
    def fake(trial: Any, draws: int = 1000, **kw: Any) -> Any:
        return ens

    return fake


def test_partial_abc_without_allow_partial_writes_nothing(
    two_draws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import survkit.trial.simulate as sim

    monkeypatch.setattr(sim, "abc_reconstruct", _fake_abc(two_draws))
    out = tmp_path / "out"
    code = main(["reproduce", "--sampler", "abc", "--out", str(out), "--draws", "5",
                 "--seed", "1"])
    err = capsys.readouterr().err
    assert code == 3
    assert "undecided" in err and "2 of 5" in err and "Traceback" not in err
    assert not (out / "patients.csv").exists()


def test_partial_abc_with_allow_partial_is_marked(
    two_draws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import survkit.trial.simulate as sim

    monkeypatch.setattr(sim, "abc_reconstruct", _fake_abc(two_draws))
    out = tmp_path / "out"
    code = main(["reproduce", "--sampler", "abc", "--out", str(out), "--draws", "5",
                 "--seed", "1", "--allow-partial"])
    res = capsys.readouterr()
    assert code == 3
    assert "PARTIAL" in res.out
    assert (out / "patients.csv").exists()
