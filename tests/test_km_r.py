"""Kaplan-Meier core against R survival 3.5.3, field by field, at 1e-10.

Expected values are the fixtures in tests/fixtures/km/, written by
tests/r/make_km_fixtures.R (R's survfit, summary(fit, times=), quantile, print(rmean=),
survdiff, reverse-KM survfit). Every test id names dataset/stratum/transform/level.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES, assert_r_close, load_json, r_array, r_float
from survkit.estimate.batch import kaplan_meier_at
from survkit.estimate.km import KaplanMeier, kaplan_meier

REFS: dict[str, Any] = {
    p.stem: load_json(p) for p in sorted((FIXTURES / "km").glob("*.json"))
}
FIT_FIELDS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err_log", "std_err")
AT_COLUMNS = ["time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"]

# R was run with robust=FALSE for this fixture (weighted Greenwood variance for non-integer
# weights), which survkit does not offer: R's default for such weights is the infinitesimal
# jackknife (fixture "weights_fractional"). Only variance-free fields are compared here.
VARIANCE_FREE_ONLY = {"weights_fractional_greenwood"}


def stratum_input(ref: dict[str, Any], label: str | None) -> dict[str, Any]:
    """Arrays of one stratum (or the whole dataset) as keyword arguments of kaplan_meier."""
    inp = ref["input"]
    keep = slice(None) if label is None else np.array(inp["group"]) == label
    out: dict[str, Any] = {
        "time": r_array(inp["time"])[keep],
        "event": r_array(inp["event"])[keep].astype(int),
    }
    for key in ("entry", "weights"):
        if inp.get(key) is not None:
            out[key] = r_array(inp[key])[keep]
    return out


def _label(s: dict[str, Any]) -> str:
    return "all" if s["label"] is None else str(s["label"])


def _cases(kind: str, *, needs_variance: bool = False) -> list[Any]:
    out = []
    for name, ref in REFS.items():
        if needs_variance and name in VARIANCE_FREE_ONLY:
            continue
        for si, s in enumerate(ref["strata"]):
            if kind == "stratum":
                out.append(pytest.param(name, si, id=f"{name}/{_label(s)}"))
                continue
            for ci_i, ci in enumerate(s["ci"]):
                cid = f"{name}/{_label(s)}/{ci['conf_type']}/{ci['conf_level']}"
                out.append(pytest.param(name, si, ci_i, id=cid))
    return out


@cache
def fitted(name: str, si: int, ci_i: int = 0) -> KaplanMeier:
    ref = REFS[name]
    s = ref["strata"][si]
    ci = s["ci"][ci_i]
    return kaplan_meier(
        **stratum_input(ref, s["label"]), conf_type=ci["conf_type"], conf_level=ci["conf_level"]
    )


def _ctx(name: str, si: int, ci_i: int | None = None) -> tuple[dict[str, Any], dict[str, Any], str]:
    s = REFS[name]["strata"][si]
    where = f"{name}/{_label(s)}"
    if ci_i is not None:
        ci = s["ci"][ci_i]
        where += f"/{ci['conf_type']}/{ci['conf_level']}"
        return s, ci, where
    return s, {}, where


def test_fixtures_present() -> None:
    assert len(REFS) >= 25
    for ref in REFS.values():
        assert ref["survival_version"] == "3.5.3"


# ------------------------------------------------------------------ survfit fields
@pytest.mark.parametrize(("name", "si"), _cases("stratum"))
def test_fit_fields(name: str, si: int) -> None:
    s, _, where = _ctx(name, si)
    fit = fitted(name, si)
    assert fit.n == r_float(s["n"]), f"{where}: n"
    fields: tuple[str, ...] = FIT_FIELDS
    if name in VARIANCE_FREE_ONLY:
        fields = ("time", "n_risk", "n_event", "n_censor", "surv")
    for field in fields:
        assert_r_close(getattr(fit, field), s["fit"][field], f"{where}: {field}")


@pytest.mark.parametrize(("name", "si", "ci_i"), _cases("ci", needs_variance=True))
def test_fit_confint(name: str, si: int, ci_i: int) -> None:
    s, ci, where = _ctx(name, si, ci_i)
    fit = fitted(name, si, ci_i)
    assert fit.conf_type == ci["conf_type"]
    assert fit.conf_level == ci["conf_level"]
    assert_r_close(fit.surv, s["fit"]["surv"], f"{where}: surv")
    assert_r_close(fit.lower, ci["lower"], f"{where}: lower")
    assert_r_close(fit.upper, ci["upper"], f"{where}: upper")


# ------------------------------------------------------------------ summary(fit, times=)
@pytest.mark.parametrize("extend", [False, True], ids=["summary", "summary_extend"])
@pytest.mark.parametrize(("name", "si", "ci_i"), _cases("ci"))
def test_at(name: str, si: int, ci_i: int, extend: bool) -> None:
    _, ci, where = _ctx(name, si, ci_i)
    fit = fitted(name, si, ci_i)
    times = r_array(REFS[name]["times"])
    tab = fit.at(times, extend=extend)
    assert isinstance(tab, pd.DataFrame)
    assert list(tab.columns) == AT_COLUMNS, f"{where}: columns {list(tab.columns)}"
    exp = ci["summary_extend" if extend else "summary"]
    cols = AT_COLUMNS
    if name in VARIANCE_FREE_ONLY:
        cols = ["time", "n_risk", "n_event", "n_censor", "surv"]
    for col in cols:
        assert_r_close(tab[col].to_numpy(), exp[col], f"{where}: at(extend={extend}).{col}")


@pytest.mark.parametrize(("name", "si"), _cases("stratum"))
def test_survival_at(name: str, si: int) -> None:
    """The step function at the summary times (summary(extend=TRUE) carries S forward)."""
    s, _, where = _ctx(name, si)
    fit = fitted(name, si)
    times = r_array(REFS[name]["times"])
    exp = r_array(s["ci"][0]["summary_extend"]["surv"])
    assert_r_close(fit.survival_at(times), exp, f"{where}: survival_at")


# ------------------------------------------------------------------ quantiles, median
@pytest.mark.parametrize(("name", "si", "ci_i"), _cases("ci", needs_variance=True))
def test_quantile(name: str, si: int, ci_i: int) -> None:
    _, ci, where = _ctx(name, si, ci_i)
    fit = fitted(name, si, ci_i)
    q = ci["quantile"]
    for k, p in enumerate(q["probs"]):
        res = fit.quantile(p)
        for field in ("estimate", "lower", "upper"):
            assert_r_close(
                getattr(res, field), r_array(q[field])[k], f"{where}: quantile({p}).{field}"
            )


@pytest.mark.parametrize(("name", "si", "ci_i"), _cases("ci", needs_variance=True))
def test_median_print_row(name: str, si: int, ci_i: int) -> None:
    """print(fit)'s median and LCL/UCL (survmean's rule; may differ from quantile(0.5))."""
    _, ci, where = _ctx(name, si, ci_i)
    res = fitted(name, si, ci_i).median()
    for field in ("estimate", "lower", "upper"):
        assert_r_close(getattr(res, field), ci["median"][field], f"{where}: median.{field}")


def test_flat_half_end_print_and_quantile_differ_as_in_r() -> None:
    """R itself: print() median 2 (survmean) but quantile(.5) = (2 + 4) / 2 = 3 (findq)."""
    fit = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 0])
    assert fit.median().estimate == 2.0
    assert fit.quantile(0.5).estimate == 3.0


def test_product_factors_are_rs_bits_so_a_flat_half_is_exactly_half() -> None:
    """R's survfitkm.c multiplies by (nrisk - d) / nrisk. On these data R 4.2 / survival
    3.5.3 prints ``sprintf("%a", fit$surv)``: 0x1.3333333333333p-1 at t = 6 and 0x1p-1
    from t = 6.5 on, so ``quantile(fit, .5)`` is (6.5 + 13.5) / 2 = 10 (findq's last-point
    rule) while print() gives 6.5. With 1 - d/r the curve sits one ulp above 0.5 and the
    quantile is NA (found by the live cross-check, seed 1304482279)."""
    t = [1.5, 3, 3, 3.5, 6, 6.5, 8, 10, 11, 12.5, 13.5]
    e = [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    fit = kaplan_meier(t, e)
    assert float(fit.surv[3]).hex() == "0x1.3333333333333p-1"
    assert all(float(v) == 0.5 for v in fit.surv[4:])
    assert fit.quantile(0.5).estimate == 10.0
    assert fit.median().estimate == 6.5
    res = kaplan_meier_at(np.array([t]), np.array([e], dtype=float), [6.0, 7.0])
    assert float(np.asarray(res.surv)[0, 0]).hex() == "0x1.3333333333333p-1"
    assert float(np.asarray(res.surv)[0, 1]) == 0.5


# ------------------------------------------------------------------ restricted mean
@pytest.mark.parametrize(("name", "si"), _cases("stratum"))
def test_rmst(name: str, si: int) -> None:
    s, _, where = _ctx(name, si)
    fit = fitted(name, si)
    rm = s["rmean"]
    for k, tau in enumerate(rm["tau"]):
        res = fit.rmst(tau)
        assert_r_close(res.estimate, r_array(rm["estimate"])[k], f"{where}: rmst({tau}).estimate")
        assert_r_close(res.std_err, r_array(rm["std_err"])[k], f"{where}: rmst({tau}).std_err")


# ------------------------------------------------------------------ groups and log-rank
GROUPED = [n for n, r in REFS.items() if r["input"]["group"] is not None]
SURVDIFF = [n for n, r in REFS.items() if r["survdiff"] is not None]


def _frame(ref: dict[str, Any]) -> pd.DataFrame:
    inp = ref["input"]
    df = pd.DataFrame(
        {"t": r_array(inp["time"]), "e": r_array(inp["event"]).astype(int), "g": inp["group"]}
    )
    for key in ("entry", "weights"):
        if inp.get(key) is not None:
            df[key] = r_array(inp[key])
    return df


@pytest.mark.parametrize("name", GROUPED)
def test_grouped_fit(name: str) -> None:
    ref = REFS[name]
    df = _frame(ref)
    kw: dict[str, Any] = {k: k for k in ("entry", "weights") if k in df}
    groups = kaplan_meier(data=df, time="t", event="e", by="g", conf_type="log-log", **kw)
    labels = [s["label"] for s in ref["strata"]]
    assert list(groups) == labels, f"{name}: group order {list(groups)} != R levels {labels}"
    for s in ref["strata"]:
        ci = next(c for c in s["ci"] if c["conf_type"] == "log-log" and c["conf_level"] == 0.95)
        fit = groups[s["label"]]
        where = f"{name}/{s['label']}/log-log/0.95 (data=, by=)"
        for field in FIT_FIELDS:
            assert_r_close(getattr(fit, field), s["fit"][field], f"{where}: {field}")
        assert_r_close(fit.lower, ci["lower"], f"{where}: lower")
        assert_r_close(fit.upper, ci["upper"], f"{where}: upper")


def _check_logrank(res: Any, sd: dict[str, Any], where: str) -> None:
    assert [str(g) for g in res.groups] == sd["groups"], f"{where}: groups"
    assert_r_close(res.statistic, sd["statistic"], f"{where}: statistic")
    assert_r_close(res.df, sd["df"], f"{where}: df")
    assert_r_close(res.p_value, sd["p_value"], f"{where}: p_value")
    assert_r_close(res.observed, sd["observed"], f"{where}: observed")
    assert_r_close(res.expected, sd["expected"], f"{where}: expected")


@pytest.mark.parametrize("name", SURVDIFF)
def test_logrank(name: str) -> None:
    from survkit.estimate.logrank import logrank_test

    ref = REFS[name]
    inp = ref["input"]
    res = logrank_test(r_array(inp["time"]), r_array(inp["event"]).astype(int),
                       np.array(inp["group"]))
    _check_logrank(res, ref["survdiff"], f"{name}: logrank_test")
    df = _frame(ref)
    groups = kaplan_meier(data=df, time="t", event="e", by="g")
    _check_logrank(groups.logrank(), ref["survdiff"], f"{name}: KaplanMeierGroups.logrank")


# ------------------------------------------------------------------ follow-up
FOLLOWUP = [
    pytest.param(n, k, id=f"{n}/{fu['conf_level']}")
    for n, r in REFS.items() if r["followup"] is not None
    for k, fu in enumerate(r["followup"])
]


@pytest.mark.parametrize(("name", "k"), FOLLOWUP)
def test_median_followup(name: str, k: int) -> None:
    from survkit.estimate.followup import median_followup

    ref = REFS[name]
    fu = ref["followup"][k]
    inp = ref["input"]
    res = median_followup(r_array(inp["time"]), r_array(inp["event"]).astype(int),
                          conf_level=fu["conf_level"])
    where = f"{name}/{fu['conf_level']}"
    rk = res.reverse_km
    assert_r_close(rk.estimate, fu["median"], f"{where}: followup.reverse_km.estimate")
    assert_r_close(rk.lower, fu["lower"], f"{where}: followup.reverse_km.lower")
    assert_r_close(rk.upper, fu["upper"], f"{where}: followup.reverse_km.upper")
    assert_r_close(res.all_patients, fu["median_all"], f"{where}: followup.all_patients")
    assert_r_close(res.survivors, fu["median_survivors"], f"{where}: followup.survivors")
    assert_r_close(res.range_all, fu["range_all"], f"{where}: followup.range_all")
    assert_r_close(res.range_survivors, fu["range_survivors"],
                   f"{where}: followup.range_survivors")
    ev = r_array(inp["event"])
    assert res.n == ev.size
    assert res.n_survivors == int((ev == 0).sum())


# ------------------------------------------------------------------ batched landmark KM
BATCHABLE = [
    n for n, r in REFS.items()
    if r["input"]["entry"] is None and r["input"]["weights"] is None
]


def _batch_cases() -> list[Any]:
    out = []
    for name in BATCHABLE:
        for ci_i, ci in enumerate(REFS[name]["strata"][0]["ci"]):
            out.append(pytest.param(name, ci_i, id=f"{name}/{ci['conf_type']}/{ci['conf_level']}"))
    return out


@pytest.mark.parametrize(("name", "ci_i"), _batch_cases())
def test_batch_equals_r_and_at(name: str, ci_i: int) -> None:
    """All strata of a dataset as one (B, n) NaN-padded batch vs R summary and .at()."""
    from survkit.estimate.batch import kaplan_meier_at

    ref = REFS[name]
    strata = ref["strata"]
    ins = [stratum_input(ref, s["label"]) for s in strata]
    width = max(len(d["time"]) for d in ins)
    tb = np.full((len(ins), width), np.nan)
    eb = np.full((len(ins), width), np.nan)
    for b, d in enumerate(ins):
        tb[b, : len(d["time"])] = d["time"]
        eb[b, : len(d["time"])] = d["event"]
    ci = strata[0]["ci"][ci_i]
    times = r_array(ref["times"])
    kw = {"conf_type": ci["conf_type"], "conf_level": ci["conf_level"]}
    res = kaplan_meier_at(tb, eb, times, **kw)
    res_ext = kaplan_meier_at(tb, eb, times, extend=True, **kw)
    fields = ("surv", "std_err", "lower", "upper", "n_risk")
    for b, s in enumerate(strata):
        where = f"{name}/{_label(s)}/{ci['conf_type']}/{ci['conf_level']} (batch)"
        fit = fitted(name, b, ci_i)
        # extend=False: R's summary drops times past the last observation; the batch marks
        # them invalid (NaN) and must equal R and .at() on the valid ones.
        exp = s["ci"][ci_i]["summary"]
        valid = np.asarray(res.valid)[b]
        assert valid.sum() == len(exp["time"]), f"{where}: valid landmarks"
        assert_r_close(times[valid], exp["time"], f"{where}: valid times")
        single = fit.at(times)
        for field in fields:
            row = np.asarray(getattr(res, field))[b]
            if field != "n_risk":  # documented: estimates NaN past the end; n_risk is 0
                assert np.isnan(row[~valid]).all(), f"{where}: {field} past the end not NaN"
            assert_r_close(row[valid], exp[field], f"{where}: {field} vs R")
            assert_r_close(row[valid], single[field].to_numpy(), f"{where}: {field} vs .at()")
        exp = s["ci"][ci_i]["summary_extend"]
        single = fit.at(times, extend=True)
        for field in fields:
            row = np.asarray(getattr(res_ext, field))[b]
            assert_r_close(row, exp[field], f"{where}: extend {field} vs R")
            assert_r_close(row, single[field].to_numpy(), f"{where}: extend {field} vs .at()")
    tidy = res_ext.to_frame()
    assert "dataset" in tidy.columns
    assert len(tidy) == len(strata) * len(times)
