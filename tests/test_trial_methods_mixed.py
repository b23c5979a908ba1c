"""One CI method per endpoint: mixed methods across endpoints are decided, within one
endpoint they are a proven conflict; ``[trial] ci_method`` asks for one method per paper.

The two landmarks used (n = 14):

* 3-year LFS 28.6% (4.9-52.3) is printed only by a hand calculation from rounded numbers
  (tests/test_real_trials.py derives it: ten events, no censoring, S = 4/14, 1.96 SE = 23.7);
* 78.6% (59.8-100): 11 of 14 without censoring, S = 0.7857, Greenwood
  var log S = 1/182 + 1/156 + 1/132 = 0.01949, log CI S exp(-/+ 1.96 x 0.1396) = 0.598 and
  1.03 -> 100: R's log transform; plain gives 0.571, so not by hand (asymmetric).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from survkit.trial.errors import InfeasibleSpecError
from survkit.trial.exact import reconstruct
from survkit.trial.methods import endpoint_method, per_endpoint_method
from survkit.trial.spec import Landmark, Trial

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _chemo() -> Trial:
    return Trial.from_toml(EXAMPLES / "hu2022_mrd_chemo" / "trial.toml")


def test_log_landmark_derivation() -> None:
    s = 11 / 14
    se = math.sqrt(1 / 182 + 1 / 156 + 1 / 132)
    assert round(100 * s, 1) == 78.6
    assert round(100 * s * math.exp(-1.959964 * se), 1) == 59.8
    assert s * math.exp(1.959964 * se) > 1.0
    assert round(100 * (s - 1.959964 * s * se), 1) != 59.8


def test_per_endpoint_method_round_trip() -> None:
    m = per_endpoint_method({"LFS": "hand/log", "OS": "log"})
    assert m == "LFS: hand/log; OS: log"
    assert endpoint_method(m, "OS") == "log"
    assert endpoint_method(m, "LFS") == "hand/log"
    assert endpoint_method(m, "EFS") == "hand/log"  # not named: the first endpoint's
    assert endpoint_method("log-log", "OS") == "log-log"


def test_mixed_methods_within_one_endpoint_are_a_proven_conflict() -> None:
    t = _chemo()
    lfs = dataclasses.replace(
        t.endpoints[0],
        landmarks=(*t.endpoints[0].landmarks, Landmark(24.0, "78.6% (95% CI, 59.8-100%)")),
    )
    with pytest.raises(InfeasibleSpecError, match="no one CI method prints every LFS") as e:
        reconstruct(dataclasses.replace(t, endpoints=(lfs,)), draws=5, seed=1, progress=False)
    facts = e.value.conflicts["all"]
    assert len(facts) == 2
    assert any("28.6%" in f for f in facts) and any("78.6%" in f for f in facts)


def _two_endpoints(ci_method: str) -> Trial:
    t = _chemo()
    os_ep = dataclasses.replace(
        t.endpoints[0],
        name="OS",
        events=("death",),
        landmarks=(Landmark(36.0, "78.6% (95% CI, 59.8-100%)"),),
    )
    return dataclasses.replace(t, endpoints=(*t.endpoints, os_ep), ci_method=ci_method)


def test_one_method_per_paper_when_the_spec_says_so() -> None:
    with pytest.raises(InfeasibleSpecError, match="no single CI method"):
        reconstruct(_two_endpoints("one"), draws=5, seed=1, progress=False)


def test_a_named_method_that_cannot_print_a_landmark_is_a_conflict() -> None:
    with pytest.raises(InfeasibleSpecError, match="'log' cannot print LFS at 36"):
        reconstruct(_two_endpoints("log"), draws=5, seed=1, progress=False)


def test_ci_method_is_validated() -> None:
    text = (EXAMPLES / "hu2022_mrd_chemo" / "trial.toml").read_text()
    bad = text.replace('[trial]\n', '[trial]\nci_method = "SPSS"\n', 1)
    with pytest.raises(ValueError, match="ci_method must be one of"):
        Trial.from_toml_string(bad)
    ok = text.replace('[trial]\n', '[trial]\nci_method = "one"\n', 1)
    assert Trial.from_toml_string(ok).ci_method == "one"
