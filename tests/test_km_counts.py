"""Kaplan-Meier and log-rank from aggregated counts, against R survival 3.5.3 and the rows.

Every R fixture (tests/fixtures/km, written by tests/r/make_km_fixtures.R) is turned into
an aggregated table with pandas' groupby -- events, censorings and entries per time, summed
case weights where they are whole numbers -- and :func:`kaplan_meier_from_counts` must give
R's numbers at 1e-10 and the row-level fit's to the last bit. Fixtures with fractional
weights are left out: their variance (R's infinitesimal jackknife) needs the rows, and the
function refuses such counts (tested below).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, assert_r_close, load_json, r_array, r_float
from survkit import kaplan_meier, kaplan_meier_from_counts, logrank_from_counts, logrank_test

REFS: dict[str, Any] = {p.stem: load_json(p) for p in sorted((FIXTURES / "km").glob("*.json"))}
FIELDS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
          "lower", "upper")


def _rows(ref: dict[str, Any], label: str | None) -> pd.DataFrame:
    inp = ref["input"]
    df = pd.DataFrame({"t": r_array(inp["time"]), "e": r_array(inp["event"]).astype(int)})
    df["w"] = r_array(inp["weights"]) if inp.get("weights") is not None else 1.0
    if inp.get("entry") is not None:
        df["a"] = r_array(inp["entry"])
    if label is not None:
        df = df[np.array(inp["group"]) == label]
    return df


def _table(df: pd.DataFrame) -> dict[str, Any]:
    """The aggregated table of patient rows, by pandas (independent of survkit)."""
    stop = df.assign(d=df.w * df.e, c=df.w * (1 - df.e)).groupby("t")[["d", "c"]].sum()
    if "a" not in df:
        return {"time": stop.index.to_numpy(), "n_event": stop.d.to_numpy(),
                "n_censor": stop.c.to_numpy()}
    ent = df.groupby("a").w.sum()
    tab = pd.concat([stop, ent.rename("n")], axis=1).fillna(0.0)
    return {"time": tab.index.to_numpy(), "n_event": tab.d.to_numpy(),
            "n_censor": tab.c.to_numpy(), "n_enter": tab.n.to_numpy()}


def _whole_weights(ref: dict[str, Any]) -> bool:
    w = ref["input"].get("weights")
    return w is None or all(float(v).is_integer() for v in w)


CASES = [
    pytest.param(name, si, ci_i, id=f"{name}/{s['label'] or 'all'}/{ci['conf_type']}/"
                 f"{ci['conf_level']}")
    for name, ref in REFS.items() if _whole_weights(ref)
    for si, s in enumerate(ref["strata"])
    for ci_i, ci in enumerate(s["ci"])
]


def test_cases_cover_the_fixtures() -> None:
    names = {p.values[0] for p in CASES}
    assert len(names) >= 25
    assert {"left_truncation_ties", "weights_integer", "weights_with_zeros", "lung_sex"} <= names


@pytest.mark.parametrize(("name", "si", "ci_i"), CASES)
def test_counts_fit_equals_r_and_rows(name: str, si: int, ci_i: int) -> None:
    ref = REFS[name]
    s = ref["strata"][si]
    ci = s["ci"][ci_i]
    kw = {"conf_type": ci["conf_type"], "conf_level": ci["conf_level"]}
    df = _rows(ref, s["label"])
    fit = kaplan_meier_from_counts(**_table(df), **kw)
    where = f"{name}/{s['label']}/{ci['conf_type']}/{ci['conf_level']}"
    # against R
    assert fit.n == r_float(s["n"]) or not (df.w == 1).all(), f"{where}: n"
    for field in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err_log", "std_err"):
        assert_r_close(getattr(fit, field), s["fit"][field], f"{where}: {field}")
    assert_r_close(fit.lower, ci["lower"], f"{where}: lower")
    assert_r_close(fit.upper, ci["upper"], f"{where}: upper")
    times = r_array(ref["times"])
    for extend in (False, True):
        exp = ci["summary_extend" if extend else "summary"]
        tab = fit.at(times, extend=extend)
        for col in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower",
                    "upper"):
            assert_r_close(tab[col].to_numpy(), exp[col], f"{where}: at({extend}).{col}")
    med = fit.median()
    for f in ("estimate", "lower", "upper"):
        assert_r_close(getattr(med, f), ci["median"][f], f"{where}: median.{f}")
    for k, tau in enumerate(s["rmean"]["tau"]):
        assert_r_close(fit.rmst(tau).estimate, r_array(s["rmean"]["estimate"])[k],
                       f"{where}: rmst({tau})")
        assert_r_close(fit.rmst(tau).std_err, r_array(s["rmean"]["std_err"])[k],
                       f"{where}: rmst({tau}).std_err")
    # against the row-level fit, bit for bit
    rows = kaplan_meier(df.t.to_numpy(), df.e.to_numpy(),
                        entry=df.a.to_numpy() if "a" in df else None,
                        weights=None if (df.w == 1).all() else df.w.to_numpy(), **kw)
    for field in FIELDS:
        np.testing.assert_array_equal(getattr(fit, field), getattr(rows, field),
                                      err_msg=f"{where}: {field} vs rows")
    assert fit.n == rows.n or not (df.w == 1).all()
    assert fit.start_time == rows.start_time


SURVDIFF = [n for n, r in REFS.items() if r["survdiff"] is not None]


@pytest.mark.parametrize("name", SURVDIFF)
def test_logrank_from_counts_equals_r_and_rows(name: str) -> None:
    ref = REFS[name]
    inp = ref["input"]
    df = pd.DataFrame({"t": r_array(inp["time"]), "e": r_array(inp["event"]).astype(int),
                       "g": inp["group"]})
    tab = df.assign(c=1 - df.e).groupby(["g", "t"])[["e", "c"]].sum().reset_index()
    res = logrank_from_counts(tab.t, tab.e, tab.c, tab.g)
    sd = ref["survdiff"]
    assert list(res.groups) == sd["groups"]
    for f in ("statistic", "df", "p_value", "observed", "expected"):
        assert_r_close(getattr(res, f), sd[f], f"{name}: {f}")
    rows = logrank_test(df.t, df.e, df.g)
    for f in ("statistic", "p_value", "observed", "expected", "variance", "n"):
        np.testing.assert_array_equal(getattr(res, f), getattr(rows, f), err_msg=f"{name}: {f}")


@pytest.mark.parametrize("rho", [0.0, 1.0, 0.5])
@pytest.mark.parametrize("stratified", [False, True])
def test_logrank_from_counts_rho_and_strata_equal_rows(rho: float, stratified: bool) -> None:
    rng = np.random.default_rng(12)
    n = 300
    df = pd.DataFrame({"t": np.ceil(rng.exponential(20.0, n)), "e": rng.integers(0, 2, n),
                       "g": rng.choice(["a", "b", "c"], n), "s": rng.choice(["x", "y"], n)})
    keys = ["s", "g", "t"] if stratified else ["g", "t"]
    tab = df.assign(c=1 - df.e).groupby(keys)[["e", "c"]].sum().reset_index()
    got = logrank_from_counts(tab.t, tab.e, tab.c, tab.g, rho=rho,
                              strata=tab.s if stratified else None)
    exp = logrank_test(df.t, df.e, df.g, rho=rho, strata=df.s if stratified else None)
    for f in ("statistic", "p_value", "observed", "expected", "variance", "n"):
        np.testing.assert_allclose(getattr(got, f), getattr(exp, f), rtol=1e-12, atol=1e-12,
                                   err_msg=f)
    assert got.groups == exp.groups and got.strata == exp.strata and got.rho == exp.rho


def test_rows_in_any_order_and_repeated_times_add_up() -> None:
    a = kaplan_meier_from_counts([9, 13, 18, 23], [1, 1, 1, 1], [0, 1, 0, 0])
    b = kaplan_meier_from_counts([23, 13, 9, 13, 18], [1, 1, 1, 0, 1], [0, 0, 0, 1, 0])
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f))
    # hand derivation: r = 5, 4, 2, 1; S = 4/5, 4/5 * 3/4, 0.6 * 1/2, 0
    np.testing.assert_array_equal(a.n_risk, [5.0, 4.0, 2.0, 1.0])
    np.testing.assert_allclose(a.surv, [0.8, 0.6, 0.3, 0.0], rtol=0, atol=1e-15)
    assert a.n == 5


def test_entries_only_rows_are_not_times_of_the_fit() -> None:
    # 2 enter at 0, 1 at 2; exits: event at 3, censor at 4, event at 5.
    fit = kaplan_meier_from_counts([0, 2, 3, 4, 5], [0, 0, 1, 0, 1], [0, 0, 0, 1, 0],
                                   n_enter=[2, 1, 0, 0, 0])
    np.testing.assert_array_equal(fit.time, [3.0, 4.0, 5.0])
    np.testing.assert_array_equal(fit.n_risk, [3.0, 2.0, 1.0])
    rows = kaplan_meier([3, 4, 5], [1, 0, 1], entry=[0, 2, 0])
    np.testing.assert_array_equal(fit.surv, rows.surv)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"n_event": [1, 0.5], "n_censor": [0, 1]}, ValueError, r"n_event must be whole.*\[1\]"),
        ({"n_event": [1, -1], "n_censor": [0, 1]}, ValueError, "n_event must be non-negative"),
        ({"n_event": [1, 1], "n_censor": [0]}, ValueError, "n_censor has length 1"),
        ({"n_event": [0, 0], "n_censor": [0, 0]}, ValueError, "no subject"),
        ({"n_event": [1, 1], "n_censor": [0, 0], "n_enter": [1, 0]}, ValueError,
         "n_enter sums to 1"),
        ({"n_event": [1, 1], "n_censor": [0, 0], "n_enter": [0, 2]}, ValueError,
         "at time 1.0, 1 subjects leave but only 0 entered"),
        ({"n_event": ["a", "b"], "n_censor": [0, 0]}, TypeError, "n_event must be numeric"),
    ],
)
def test_bad_tables_are_refused(kwargs: dict[str, Any], exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        kaplan_meier_from_counts([1.0, 2.0], **kwargs)


def test_negative_time_needs_entries() -> None:
    with pytest.raises(ValueError, match="time must be non-negative"):
        kaplan_meier_from_counts([-1.0, 2.0], [1, 1], [0, 0])


def test_logrank_from_counts_refuses_one_group() -> None:
    with pytest.raises(ValueError, match="at least two"):
        logrank_from_counts([1, 2], [1, 1], [0, 0], ["a", "a"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.booleans(), st.integers(0, 6)), min_size=1,
             max_size=60),
    st.sampled_from(["log", "log-log", "plain", "logit", "arcsin"]),
)
def test_counts_equal_rows_on_random_tied_data(rows: list[tuple[int, bool, int]],
                                               conf_type: str) -> None:
    t = np.array([r[0] + 1 for r in rows], dtype=float)
    e = np.array([r[1] for r in rows])
    a = np.minimum(np.array([r[2] for r in rows], dtype=float), t - 1) - 0.5
    for entry in (None, a):
        df = pd.DataFrame({"t": t, "e": e.astype(int), "w": 1.0})
        if entry is not None:
            df["a"] = entry
        fit = kaplan_meier_from_counts(**_table(df), conf_type=conf_type)
        ref = kaplan_meier(t, e, entry=entry, conf_type=conf_type)
        for f in FIELDS:
            np.testing.assert_array_equal(getattr(fit, f), getattr(ref, f), err_msg=f)
