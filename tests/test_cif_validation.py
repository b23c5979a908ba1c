"""Bad input to the competing-risks and hazard estimators raises, naming argument and value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survkit.estimate.cif import cumulative_incidence
from survkit.estimate.gray import gray_test
from survkit.estimate.hazard import nelson_aalen
from survkit.estimate.km import kaplan_meier
from survkit.estimate.logrank import logrank_test


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"time": [1, 2], "cause": [1]}, ValueError, "cause has length 1"),
        ({"time": [1, -2], "cause": [1, 0]}, ValueError, r"time must be non-negative; time\[1\]"),
        ({"time": [1, 2], "cause": [1, np.nan]}, ValueError, r"cause has a missing value"),
        ({"time": [1, 2], "cause": [0, 0]}, ValueError, "no event"),
        ({"time": [1, 2], "cause": "12"}, TypeError, "cause must be array-like"),
        ({"time": [1, 2], "cause": [1, 0], "entry": [0, 2]}, ValueError, "entry must be < time"),
        ({"time": [1, 2], "cause": [1, 0], "weights": [1, -1]}, ValueError, "weights"),
        ({"time": [1, 2], "cause": [1, 0], "conf_type": "probit"}, ValueError, "conf_type"),
        ({"time": [1, 2], "cause": [1, 0], "conf_level": 1.5}, ValueError, "conf_level"),
        ({"time": [1, 2], "cause": [1, 0], "start_time": 5}, ValueError, "removes every"),
        ({"time": [1, 2], "cause": [1, 0], "start_time": "a"}, TypeError, "start_time"),
        ({"time": [1, 2], "cause": [1, 0], "by": "g"}, ValueError, "by= needs data="),
        ({"time": [1, 2], "cause": ["a", "b"], "censored": "x"}, None, None),
    ],
)
def test_cumulative_incidence_errors(kwargs: dict, exc: type | None, match: str | None) -> None:
    if exc is None:
        fit = cumulative_incidence(**kwargs)
        assert fit.causes == ("a", "b")
        return
    with pytest.raises(exc, match=match):
        cumulative_incidence(**kwargs)


def test_data_columns_named() -> None:
    df = pd.DataFrame({"t": [1.0, 2.0, 3.0], "c": [1, 0, 2], "g": ["a", None, "b"]})
    with pytest.raises(ValueError, match="column 'x' not in data"):
        cumulative_incidence("x", "c", data=df)
    with pytest.raises(ValueError, match="by: column 'g' has a missing value at row 1"):
        cumulative_incidence("t", "c", data=df, by="g")
    with pytest.raises(TypeError, match="column name"):
        cumulative_incidence([1, 2, 3], "c", data=df)


def test_labels_with_censored_label_and_cause_lookup() -> None:
    fit = cumulative_incidence([1, 2, 3, 4], ["relapse", "cens", "nrm", "relapse"],
                               censored="cens")
    assert fit.causes == ("nrm", "relapse")
    # F_relapse(1) = 1/4 by hand; an unknown cause is refused
    assert fit.incidence_at([1.0], "relapse")[0] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="cause must be one of"):
        fit.incidence_at([1.0], "death")


def test_groups_gray_refuses_weights() -> None:
    df = pd.DataFrame({"t": [1.0, 2, 3, 4], "c": [1, 2, 1, 0], "g": ["a", "a", "b", "b"],
                       "w": [1.0, 2, 1, 1]})
    groups = cumulative_incidence("t", "c", data=df, by="g", weights="w")
    with pytest.raises(ValueError, match="unweighted"):
        groups.gray_test()


def test_other_estimators_errors() -> None:
    with pytest.raises(ValueError, match="ctype must be 1 or 2"):
        nelson_aalen([1, 2], [1, 0], ctype=3)
    with pytest.raises(ValueError, match="stype must be 1 or 2"):
        kaplan_meier([1, 2], [1, 0], stype=0)
    with pytest.raises(ValueError, match="non-integer weights"):
        nelson_aalen([1, 2], [1, 0], weights=[0.5, 1.5], ctype=2)
    with pytest.raises(TypeError, match="rho"):
        logrank_test([1, 2, 3, 4], [1, 1, 0, 1], [0, 0, 1, 1], rho="1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="strata has length"):
        logrank_test([1, 2, 3, 4], [1, 1, 0, 1], [0, 0, 1, 1], strata=[1, 2])
    with pytest.raises(ValueError, match="at least two"):
        gray_test([1, 2, 3], [1, 2, 0], ["a", "a", "a"])
    with pytest.raises(ValueError, match="start_time"):
        kaplan_meier([1, 2], [1, 0], start_time=9)
