"""Kaplan-Meier confidence intervals cross-checked against other Python libraries.

Peers and their conventions (read from their sources/docs, tested below):

* lifelines ``KaplanMeierFitter``: CI is the "exponential Greenwood" interval, i.e. log-log
  (``_bounds``: ``exp(-exp(log(-log S) -/+ z se / log S))``); its timeline adds ``t = 0`` and
  every observed time; where the band is undefined it writes 1.0 (``fillna(1.0)``) at S = 1
  and 0.0 at S = 0, where R (and survkit) give NaN. lifelines also switches numpy's global
  error state to ``divide/invalid="ignore"`` (``np.seterr``), so it is called here with the
  error state restored afterwards.
* scikit-survival ``kaplan_meier_estimator(..., conf_type="log-log")``: same interval, at the
  distinct observed times (censored included); at S = 1 it gives [1, 1], at S = 0 [0, 0].
  With ``time_enter`` its time axis also holds the entry times.
* scipy ``stats.ecdf(...).sf.confidence_interval``: ``method="linear"`` is R's ``plain`` and
  ``"log-log"`` R's ``log-log``, at the distinct observed times, with R's NaN where undefined
  (scipy warns "The confidence interval is undefined at some observations" -- caught here).

Every comparison uses 1e-10; the peers compute the same formulas with different floating
point order, so agreement is to ~1e-15.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from scipy import stats

from conftest import FIXTURES, assert_r_close, load_json, r_array
from survkit.estimate.km import KaplanMeier, kaplan_meier

sksurv_np = pytest.importorskip("sksurv.nonparametric")


def _datasets() -> Iterator[Any]:
    for name in ("aml", "lung", "ovarian", "veteran", "ties_small", "heavy_censoring",
                 "reaches_zero", "large_ties", "all_censored", "zero_times", "flat_half_drop",
                 "single_event", "groups3"):
        inp = load_json(FIXTURES / "km" / f"{name}.json")["input"]
        yield pytest.param(r_array(inp["time"]), r_array(inp["event"]).astype(int), id=name)
    rng = np.random.default_rng(12345)
    for k in range(3):
        n = 50 + 50 * k
        t = np.round(rng.exponential(10, n), 1) + 0.1
        yield pytest.param(t, (rng.random(n) < 0.6).astype(int), id=f"random{k}")


DATASETS = list(_datasets())
LEVELS = [0.95, 0.9]


@contextmanager
def _numpy_errstate_kept() -> Iterator[None]:
    old = np.geterr()
    try:
        yield
    finally:
        np.seterr(**old)


def _lifelines(t: Any, e: Any, level: float, **kw: Any) -> KaplanMeierFitter:
    with _numpy_errstate_kept():
        return KaplanMeierFitter().fit(t, e, alpha=1 - level, **kw)


def _interior(fit: KaplanMeier) -> Any:
    return (fit.surv > 0) & (fit.surv < 1)


def test_lifelines_default_is_log_log() -> None:
    """KaplanMeierFitter's only interval is log-log: matches survkit log-log, not log."""
    t = np.array([1.0, 2, 2, 3, 4, 5, 5, 6, 8, 9])
    e = np.array([0, 1, 1, 0, 1, 0, 1, 1, 0, 1])
    kmf = _lifelines(t, e, 0.95)
    low = kmf.confidence_interval_.iloc[:, 0].loc[[2.0, 4.0, 5.0]].to_numpy()
    assert_r_close(low, kaplan_meier(t, e, conf_type="log-log").lower[[1, 3, 4]], "lifelines")
    assert not np.allclose(low, kaplan_meier(t, e, conf_type="log").lower[[1, 3, 4]])


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("t", "e"), DATASETS)
def test_log_log_vs_lifelines(t: Any, e: Any, level: float) -> None:
    fit = kaplan_meier(t, e, conf_type="log-log", conf_level=level)
    kmf = _lifelines(t, e, level)
    sf = kmf.survival_function_.iloc[:, 0]
    ci = kmf.confidence_interval_
    assert float(sf.index[0]) == 0.0  # lifelines' timeline starts at 0
    assert_r_close(sf.loc[fit.time].to_numpy(), fit.surv, "lifelines surv")
    lo = ci.iloc[:, 0].loc[fit.time].to_numpy()
    hi = ci.iloc[:, 1].loc[fit.time].to_numpy()
    m = _interior(fit)
    assert_r_close(lo[m], fit.lower[m], "lifelines lower")
    assert_r_close(hi[m], fit.upper[m], "lifelines upper")
    # Convention difference: lifelines fills R's undefined band with 1 at S = 1, 0 at S = 0.
    one, zero = fit.surv == 1, fit.surv == 0
    assert np.isnan(fit.lower[one]).all() and np.isnan(fit.lower[zero]).all()
    assert (lo[one] == 1).all() and (hi[one] == 1).all()
    assert (lo[zero] == 0).all() and (hi[zero] == 0).all()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("t", "e"), DATASETS)
def test_log_log_vs_sksurv(t: Any, e: Any, level: float) -> None:
    fit = kaplan_meier(t, e, conf_type="log-log", conf_level=level)
    times, surv, ci = sksurv_np.kaplan_meier_estimator(
        e.astype(bool), t, conf_type="log-log", conf_level=level
    )
    assert_r_close(times, fit.time, "sksurv time (distinct observed times)")
    assert_r_close(surv, fit.surv, "sksurv surv")
    m = _interior(fit)
    assert_r_close(ci[0][m], fit.lower[m], "sksurv lower")
    assert_r_close(ci[1][m], fit.upper[m], "sksurv upper")
    one, zero = fit.surv == 1, fit.surv == 0
    assert (ci[:, one] == 1).all() and (ci[:, zero] == 0).all()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("survkit_type", "scipy_method"),
                         [("plain", "linear"), ("log-log", "log-log")])
@pytest.mark.parametrize(("t", "e"), DATASETS)
def test_vs_scipy_ecdf(t: Any, e: Any, survkit_type: str, scipy_method: str,
                       level: float) -> None:
    fit = kaplan_meier(t, e, conf_type=survkit_type, conf_level=level)
    res = stats.ecdf(stats.CensoredData.right_censored(t, e == 0))
    assert_r_close(res.sf.quantiles, fit.time, "scipy quantiles (distinct observed times)")
    assert_r_close(res.sf.probabilities, fit.surv, "scipy surv")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The confidence interval is undefined",
                                RuntimeWarning)
        ci = res.sf.confidence_interval(level, method=scipy_method)
    # Same values and the same NaN pattern as R (survkit), so compare everything.
    assert_r_close(ci.low.probabilities, fit.lower, f"scipy {scipy_method} lower")
    assert_r_close(ci.high.probabilities, fit.upper, f"scipy {scipy_method} upper")


def _left_truncated(seed: int) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(seed)
    n = 80
    entry = rng.uniform(0, 5, n)
    time = entry + rng.exponential(6, n) + 0.01  # continuous: no entry equals a death time
    return entry, time, (rng.random(n) < 0.7).astype(int)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_left_truncation_vs_lifelines_and_sksurv(seed: int) -> None:
    entry, t, e = _left_truncated(seed)
    fit = kaplan_meier(t, e, entry=entry, conf_type="log-log")
    m = _interior(fit)
    kmf = _lifelines(t, e, 0.95, entry=entry)
    assert_r_close(kmf.survival_function_.iloc[:, 0].loc[fit.time].to_numpy(), fit.surv,
                   "lifelines surv (entry)")
    ci = kmf.confidence_interval_.loc[fit.time].to_numpy()
    assert_r_close(ci[m, 0], fit.lower[m], "lifelines lower (entry)")
    assert_r_close(ci[m, 1], fit.upper[m], "lifelines upper (entry)")
    times, surv, band = sksurv_np.kaplan_meier_estimator(
        e.astype(bool), t, time_enter=entry, conf_type="log-log"
    )
    idx = np.searchsorted(times, fit.time)  # sksurv's axis also holds the entry times
    assert_r_close(times[idx], fit.time, "sksurv time (entry)")
    assert_r_close(surv[idx], fit.surv, "sksurv surv (entry)")
    assert_r_close(band[0][idx][m], fit.lower[m], "sksurv lower (entry)")
    assert_r_close(band[1][idx][m], fit.upper[m], "sksurv upper (entry)")


def test_integer_weights_vs_lifelines() -> None:
    rng = np.random.default_rng(7)
    n = 60
    t = rng.integers(1, 20, n).astype(float)
    e = (rng.random(n) < 0.6).astype(int)
    w = rng.integers(1, 4, n).astype(float)
    fit = kaplan_meier(t, e, weights=w, conf_type="log-log")
    kmf = _lifelines(t, e, 0.95, weights=w)
    m = _interior(fit)
    assert_r_close(kmf.survival_function_.iloc[:, 0].loc[fit.time].to_numpy(), fit.surv,
                   "lifelines surv (weights)")
    ci = kmf.confidence_interval_.loc[fit.time].to_numpy()
    assert_r_close(ci[m, 0], fit.lower[m], "lifelines lower (weights)")
    assert_r_close(ci[m, 1], fit.upper[m], "lifelines upper (weights)")
