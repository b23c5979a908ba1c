"""Bad input to the Kaplan-Meier core raises ValueError/TypeError naming the argument and
the first offending position; valid edge cases run without any numpy warning."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from survkit.estimate.batch import kaplan_meier_at
from survkit.estimate.followup import median_followup
from survkit.estimate.km import kaplan_meier
from survkit.estimate.logrank import logrank_test

pytestmark = pytest.mark.filterwarnings("error")

T = [1.0, 2.0, 3.0, 4.0, 5.0]
E = [1, 0, 1, 1, 0]


def _raises(exc: type[Exception], names: tuple[str, ...], pos: int | None, fn: Any,
            *args: Any, **kw: Any) -> str:
    with pytest.raises(exc) as info:
        fn(*args, **kw)
    msg = str(info.value)
    for name in names:
        assert name in msg, f"message does not name {name!r}: {msg!r}"
    if pos is not None:
        assert re.search(rf"(?<![\d.]){pos}(?![\d.])", msg), f"no position {pos}: {msg!r}"
    return msg


def _with(arr: list[Any], i: int, v: Any) -> list[Any]:
    out = list(arr)
    out[i] = v
    return out


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, -1.0])
@pytest.mark.parametrize("pos", [0, 3])
def test_bad_time(bad: float, pos: int) -> None:
    _raises(ValueError, ("time",), pos, kaplan_meier, _with(T, pos, bad), E)


@pytest.mark.parametrize("bad", [2, -1, 0.5, np.nan])
def test_bad_event(bad: float) -> None:
    _raises(ValueError, ("event",), 2, kaplan_meier, T, _with(E, 2, bad))


def test_non_numeric() -> None:
    _raises(TypeError, ("time",), None, kaplan_meier, "12345", E)
    _raises(TypeError, ("time",), None, kaplan_meier, ["a", "b", "c", "d", "e"], E)
    _raises(TypeError, ("event",), None, kaplan_meier, T, "10110")


def test_bool_events_accepted() -> None:
    a = kaplan_meier(T, np.array(E, dtype=bool))
    b = kaplan_meier(T, E)
    np.testing.assert_array_equal(a.surv, b.surv)


def test_length_mismatch() -> None:
    _raises(ValueError, ("event", "time"), None, kaplan_meier, T, E[:-1])
    _raises(ValueError, ("entry",), None, kaplan_meier, T, E, entry=[0.0] * 4)
    _raises(ValueError, ("weights",), None, kaplan_meier, T, E, weights=[1.0] * 6)


def test_empty() -> None:
    _raises(ValueError, ("time",), None, kaplan_meier, [], [])


@pytest.mark.parametrize("entry_val", [3.0, 3.5])  # == time and > time
def test_entry_not_before_time(entry_val: float) -> None:
    entry = _with([0.0] * 5, 2, entry_val)
    _raises(ValueError, ("entry", "time"), 2, kaplan_meier, T, E, entry=entry)


def test_bad_entry_values() -> None:
    _raises(ValueError, ("entry",), 1, kaplan_meier, T, E, entry=_with([0.0] * 5, 1, np.nan))


@pytest.mark.parametrize("bad", [-0.5, np.nan, np.inf])
def test_bad_weights(bad: float) -> None:
    _raises(ValueError, ("weights",), 4, kaplan_meier, T, E, weights=_with([1.0] * 5, 4, bad))


def test_conf_type() -> None:
    _raises(ValueError, ("conf_type",), None, kaplan_meier, T, E, conf_type="loglog2")
    _raises(TypeError, ("conf_type",), None, kaplan_meier, T, E, conf_type=1)
    for alias, canon in (("linear", "plain"), ("exponential", "log-log"), ("loglog", "log-log")):
        assert kaplan_meier(T, E, conf_type=alias).conf_type == canon


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1, np.nan, 95])
def test_conf_level_outside_unit_interval(level: float) -> None:
    _raises(ValueError, ("conf_level",), None, kaplan_meier, T, E, conf_level=level)


def test_conf_level_type() -> None:
    _raises(TypeError, ("conf_level",), None, kaplan_meier, T, E, conf_level="0.95")


def test_data_frame_interface_names_column() -> None:
    import pandas as pd

    df = pd.DataFrame({"t": _with(T, 3, np.nan), "e": E, "g": list("aabbb")})
    _raises(ValueError, ("t",), 3, kaplan_meier, data=df, time="t", event="e", by="g")
    _raises(ValueError, ("nope",), None, kaplan_meier, data=df, time="nope", event="e")


def test_quantile_and_rmst_arguments() -> None:
    fit = kaplan_meier(T, E)
    _raises(ValueError, ("p",), None, fit.quantile, 1.5)


# ------------------------------------------------------------------ batch, log-rank, follow-up
def test_batch_validation() -> None:
    tb = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, np.nan]])
    eb = np.array([[1, 0, 1], [1, 1, np.nan]])
    kaplan_meier_at(tb, eb, [1.5])  # NaN padding is fine
    _raises(ValueError, ("event",), None, kaplan_meier_at, tb, np.where(eb == 0, 2, eb), [1.0])
    bad = tb.copy()
    bad[1, 1] = -2.0
    msg = _raises(ValueError, ("time",), None, kaplan_meier_at, bad, eb, [1.0])
    assert "1, 1" in msg, msg
    _raises(ValueError, ("event", "time"), None, kaplan_meier_at, tb, eb[:, :2], [1.0])
    _raises(ValueError, ("conf_type",), None, kaplan_meier_at, tb, eb, [1.0], conf_type="x")
    _raises(ValueError, ("conf_level",), None, kaplan_meier_at, tb, eb, [1.0], conf_level=2.0)
    _raises(ValueError, ("at",), None, kaplan_meier_at, tb, eb, [np.nan])


def test_logrank_validation() -> None:
    g = ["a", "a", "b", "b", "b"]
    _raises(ValueError, ("time",), 1, logrank_test, _with(T, 1, np.nan), E, g)
    _raises(ValueError, ("event",), 0, logrank_test, T, _with(E, 0, 3), g)
    _raises(ValueError, ("group",), None, logrank_test, T, E, g[:-1])
    _raises(ValueError, ("group",), None, logrank_test, T, E, ["a"] * 5)


def test_followup_validation() -> None:
    _raises(ValueError, ("time",), 2, median_followup, _with(T, 2, -1.0), E)
    _raises(ValueError, ("event",), 4, median_followup, T, _with(E, 4, 7))
    _raises(ValueError, ("conf_level",), None, median_followup, T, E, conf_level=0.0)


# ------------------------------------------------------------------ no warnings on edge cases
EDGE = {
    "single_event": ([5.0], [1]),
    "single_censored": ([5.0], [0]),
    "all_censored": ([1.0, 2, 3], [0, 0, 0]),
    "all_events_same_time": ([2.0, 2, 2], [1, 1, 1]),
    "reaches_zero": ([1.0, 2, 3], [0, 1, 1]),
    "zero_times": ([0.0, 0, 1], [1, 0, 1]),
}


@pytest.mark.parametrize("ct", ["plain", "log", "log-log", "logit", "arcsin"])
@pytest.mark.parametrize("name", list(EDGE))
def test_edge_cases_run_without_warnings(name: str, ct: str) -> None:
    t, e = EDGE[name]
    fit = kaplan_meier(t, e, conf_type=ct)
    fit.at([0.0, 1.0, 2.5, 10.0], extend=True)
    fit.median()
    fit.quantile(0.25)
    fit.rmst(4.0)
    fit.to_frame()
    kaplan_meier(t, e, weights=np.zeros(len(t)) + 0.5, conf_type=ct)
    kaplan_meier_at(np.array([t]), np.array([e]), [0.0, 2.0, 9.0], conf_type=ct, extend=True)
    median_followup(t, e)


def test_zero_weights_without_warnings() -> None:
    fit = kaplan_meier(T, E, weights=[0.0, 1.0, 0.0, 2.0, 1.0])
    assert np.isfinite(fit.surv).all()
