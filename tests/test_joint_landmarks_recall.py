"""Recall of the joint landmark check on a real trial: printed numbers that one history
prints in R are never called conflicting.

Xu 2021 (n = 58, PFS): 1-year 60% (95% CI, 46%-71%), 2-year 35% (95% CI, 23%-47%). The
history "one censoring, 23 events before 12 months, 14 events between 12 and 24 months"
gives S(12) = 34/57 = 0.5965 and S(24) = 20/57 = 0.3509; R's log-log limits are 45.79-71.05
and 23.06-47.35 (tests/r/xu_joint_history.R prints them), so both landmarks hold together.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest

from conftest import RSCRIPT, requires_rscript
from survkit.trial.errors import InfeasibleSpecError, ReconstructionBudgetError
from survkit.trial.exact import reconstruct
from survkit.trial.spec import Trial

HERE = Path(__file__).parent
SPEC = HERE.parent / "examples" / "xu2021_fulvestrant" / "trial.toml"


def _greenwood_loglog(
    at_risk: list[int], z: float = 1.959963984540054
) -> tuple[float, float, float]:
    """Product-limit S, Greenwood variance and the log-log limits, one event per risk set."""
    s = math.prod((r - 1) / r for r in at_risk)
    g = sum(1 / (r * (r - 1)) for r in at_risk)
    se = math.sqrt(g) / abs(math.log(s))
    return s, s ** math.exp(z * se), s ** math.exp(-z * se)


def test_the_history_prints_both_landmarks_by_hand() -> None:
    first = list(range(57, 34, -1))  # 23 events after one censoring: risk sets 57..35
    second = list(range(34, 20, -1))  # 14 events: risk sets 34..21
    s12, lo12, hi12 = _greenwood_loglog(first)
    s24, lo24, hi24 = _greenwood_loglog(first + second)
    assert [round(100 * x) for x in (s12, lo12, hi12)] == [60, 46, 71]
    assert [round(100 * x) for x in (s24, lo24, hi24)] == [35, 23, 47]


@requires_rscript
def test_the_history_prints_both_landmarks_in_r() -> None:
    assert RSCRIPT is not None
    out = subprocess.run(
        [RSCRIPT, str(HERE / "r" / "xu_joint_history.R")],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    assert out == ["60", "46", "71", "35", "23", "47"]


@pytest.mark.slow
def test_engine_does_not_call_the_pfs_landmarks_conflicting() -> None:
    t = Trial.from_toml(SPEC)
    try:
        reconstruct(t, draws=5, seed=1, progress=False)
    except InfeasibleSpecError as e:  # only a conflict that does not rest on the PFS pair
        assert not ("PFS at 12" in str(e) and "PFS at 24" in str(e)), str(e)
    except ReconstructionBudgetError:
        pass
