"""Weighted and left-truncated fits of tied times on a grid (``_core.binned_fit``).

Times that are whole numbers or have 1-3 decimals, with many ties, are counted by one
bincount per sum over the (time, status) cells. Checked here:

* against R ``survfit`` (``tests/fixtures/km_binned/binned_weights.json``, made by
  ``tests/r/make_km_binned_fixtures.R``; inputs defined by integer formulas written out in
  both) at 1e-10, every field, the IJ standard error of fractional weights included;
* against the formulas written out row by row: the counts summed in row order within each
  cell (bit for bit), the product limit and Greenwood's sum (bit for bit), the
  infinitesimal-jackknife variance as the sum over subjects of their squared weighted
  influence, in extended precision (``np.longdouble``);
* the same bits on 1, 2 and 3 threads, and the path is the one taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import survkit
from conftest import assert_r_close, load_json, r_array
from survkit.estimate import _core, threads

FIXTURE = Path(__file__).parent / "fixtures" / "km_binned" / "binned_weights.json"


@pytest.fixture(autouse=True)
def _restore_threads() -> Iterator[None]:
    yield
    threads.set_num_threads(None)


def _r_inputs(n: int) -> dict[str, np.ndarray]:
    """The inputs of tests/r/make_km_binned_fixtures.R (its integer formulas, row by row)."""
    i = np.arange(n, dtype=np.int64)
    u = (i * 7919 + 13) % 10007
    day = (1 + (u * 37) % 400).astype(np.float64)
    dec = (1 + (u * 53) % 600) / 100.0
    k = (i * 17) % 5
    entry_dec = np.floor(dec * 100.0 * k / 10.0) / 100.0
    entry_dec[i % 97 == 0] = -0.5
    return {
        "day": day, "dec": dec, "event": (((i * 31 + 7) % 10) < 6).astype(np.int64),
        "wint": ((i * 13) % 4).astype(np.float64),
        "wfrac": 0.25 + ((i * 101) % 997) / 400.0,
        "entry_day": ((day.astype(np.int64) * k) // 10).astype(np.float64),
        "entry_dec": entry_dec,
    }


_CASES = {
    "days_integer_weights": ("day", None, "wint"),
    "days_fractional_weights": ("day", None, "wfrac"),
    "days_entry_integer_weights": ("day", "entry_day", "wint"),
    "months_fractional_weights": ("dec", None, "wfrac"),
    "months_entry": ("dec", "entry_dec", None),
}


def _r_cases() -> list[dict[str, Any]]:
    return list(load_json(FIXTURE)["cases"])


@pytest.mark.parametrize("case", _r_cases(), ids=lambda c: str(c["name"]))
@pytest.mark.parametrize("k", [1, 2])
def test_binned_fit_equals_r_survfit(case: dict[str, Any], k: int) -> None:
    ref = load_json(FIXTURE)
    data = _r_inputs(int(ref["n"]))
    t_key, a_key, w_key = _CASES[case["name"]]
    kw: dict[str, Any] = {"time": data[t_key], "event": data["event"]}
    # the same inputs as R's (its sums of the columns, to the last digit printed)
    assert float(np.sum(kw["time"])) == pytest.approx(float(case["sum_time"]), rel=1e-15)
    if a_key is not None:
        kw["entry"] = data[a_key]
        assert float(np.sum(kw["entry"])) == pytest.approx(float(case["sum_entry"]), rel=1e-15)
    if w_key is not None:
        kw["weights"] = data[w_key]
        assert float(np.sum(kw["weights"])) == pytest.approx(
            float(case["sum_weights"]), rel=1e-15)
    robust = w_key == "wfrac"
    assert _core.binned_fit(kw["time"], kw["event"].astype(bool), kw.get("entry"),
                            kw.get("weights"), robust) is not None  # the path under test
    threads.set_num_threads(k)
    fit = survkit.kaplan_meier(**kw)
    for field in ("time", "n_risk", "n_event", "surv", "std_err", "std_err_log"):
        assert_r_close(getattr(fit, field), r_array(case[field]), f"{case['name']}: {field}")


# ------------------------------------------------------------- the formulas written out
def _data(grid: str, n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    raw = rng.exponential(200.0, n)
    if grid == "days":
        t = np.ceil(raw)
    else:
        dec = int(grid[0])  # "1 decimal", "2 decimals", "3 decimals"
        t = np.round(raw / (30.0 if dec < 3 else 1000.0) + 10.0**-dec, dec)
    e = rng.random(n) < 0.6
    e[np.argmax(t)] = True  # the curve reaches 0 at the last time
    w_frac = rng.uniform(0.2, 2.0, n)
    w_frac[rng.random(n) < 0.02] = 0.0
    w_int = rng.integers(0, 4, n).astype(np.float64)
    scale = 1.0 if grid == "days" else 10.0 ** int(grid[0])
    entry = np.floor(t * scale * rng.uniform(0.0, 0.8, n)) / scale
    entry[rng.random(n) < 0.01] = -1.25  # some before every time
    return {"time": t, "event": e, "w_frac": w_frac, "w_int": w_int, "entry": entry}


def _counts_written_out(
    t: np.ndarray, e: np.ndarray, a: np.ndarray | None, w: np.ndarray | None
) -> tuple[np.ndarray, ...]:
    """Distinct times; per time the weights of events and censorings summed row by row in
    row order; at risk = sum of w over a < u <= t (integer sums: exact in any order)."""
    ut = np.unique(t)
    j = np.searchsorted(ut, t)
    w_ = np.ones(t.size) if w is None else w
    d = np.zeros(ut.size)
    c = np.zeros(ut.size)
    for i in range(t.size):  # row order, one row at a time
        if e[i]:
            d[j[i]] += w_[i]
        else:
            c[j[i]] += w_[i]
    if a is None:
        r = np.cumsum((d + c)[::-1])[::-1]
    else:
        r = np.array([w_[(a < u) & (u <= t)].sum() for u in ut])
    return ut, r, d, c


def _ij_written_out(t: np.ndarray, e: np.ndarray, w: np.ndarray, ut: np.ndarray,
                    r: np.ndarray, d: np.ndarray) -> np.ndarray:
    """IJ SE of S: sqrt(sum_i (w_i U_i(t))^2), U_i(t) = S(t) sum_{t_j <= t} (Y_i(t_j) a_j -
    dN_i(t_j) b_j), a_j = d_j / (r_j (r_j - d_j)), b_j = 1 / (r_j - d_j) (0 where r_j = d_j),
    one subject at a time, in extended precision; carried forward over times with
    censorings only (as R)."""
    L = np.longdouble
    r_, d_ = r.astype(L), d.astype(L)
    rd = r_ - d_
    ok = rd > 0
    a = np.where(ok, d_ / np.where(ok, r_ * rd, 1), 0)
    b = np.where(ok, 1 / np.where(ok, rd, 1), 0)
    s = np.cumprod(np.where(r_ > 0, (r_ - d_) / np.where(r_ > 0, r_, 1), 1))
    var = np.zeros(ut.size, dtype=L)
    cum_a = np.cumsum(a)
    for i in range(t.size):
        ji = int(np.searchsorted(ut, t[i]))
        u = np.empty(ut.size, dtype=L)  # U_i / S at every time
        u[:ji] = cum_a[:ji]
        u[ji:] = cum_a[ji] - (b[ji] if e[i] else 0)
        var += (L(w[i]) * u) ** 2
    last = np.maximum.accumulate(np.where(d > 0, np.arange(ut.size), -1))
    var = np.where(last >= 0, var[np.maximum(last, 0)], 0)
    return np.asarray(np.where(s > 0, s * np.sqrt(var), 0), dtype=np.float64)


GRIDS = ["days", "1 decimal", "2 decimals", "3 decimals"]


@pytest.mark.parametrize("grid", GRIDS)
@pytest.mark.parametrize("kind", ["integer weights", "fractional weights", "entry",
                                  "entry, integer weights"])
def test_binned_counts_and_curve_are_the_formulas(grid: str, kind: str) -> None:
    n = 9000 if grid != "3 decimals" else 40000  # many ties: the binned path
    data = _data(grid, n, seed=len(grid) * 7 + len(kind))
    t, e = data["time"], data["event"]
    a = data["entry"] if kind.startswith("entry") else None
    w = {"integer weights": data["w_int"], "fractional weights": data["w_frac"],
         "entry": None, "entry, integer weights": data["w_int"]}[kind]
    robust = kind == "fractional weights"
    assert _core.binned_fit(t, e, a, w, robust) is not None  # the path under test
    fit = survkit.kaplan_meier(t, e, entry=a, weights=w)
    ut, r, d, c = _counts_written_out(t, e, a, w)
    for got, exp in ((fit.time, ut), (fit.n_risk, r), (fit.n_event, d), (fit.n_censor, c)):
        np.testing.assert_array_equal(got, exp)
    # the product limit, R's factors (r - d)/r multiplied in order (1 where r = 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(r > 0, (r - d) / np.where(r > 0, r, 1.0), 1.0)
    np.testing.assert_array_equal(fit.surv, np.cumprod(h))
    if robust:
        np.testing.assert_allclose(fit.std_err, _ij_written_out(t, e, w, ut, r, d),
                                   rtol=1e-12, atol=1e-300)
    else:  # Greenwood: sqrt(cumsum(d / (r (r - d)))), inf once r = d
        with np.errstate(divide="ignore", invalid="ignore"):
            inc = np.where(r - d > 0, d / (r * (r - d)), np.where(d > 0, np.inf, 0.0))
        se_log = np.sqrt(np.cumsum(inc))
        np.testing.assert_array_equal(fit.std_err_log, se_log)


@pytest.mark.parametrize("grid", ["days", "2 decimals"])
@pytest.mark.parametrize("kind", ["integer weights", "fractional weights", "entry",
                                  "entry, integer weights"])
def test_binned_fit_is_the_same_on_any_number_of_threads(grid: str, kind: str) -> None:
    n = 3 * threads.PARALLEL_MIN + 17
    data = _data(grid, n, seed=11)
    kw: dict[str, Any] = {"time": data["time"], "event": data["event"]}
    if kind.startswith("entry"):
        kw["entry"] = data["entry"]
    if "integer" in kind:
        kw["weights"] = data["w_int"]
    elif "fractional" in kind:
        kw["weights"] = data["w_frac"]
    fields = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
              "lower", "upper")
    threads.set_num_threads(1)
    one = survkit.kaplan_meier(**kw)
    for k in (2, 3):
        threads.set_num_threads(k)
        many = survkit.kaplan_meier(**kw)
        for f in fields:
            np.testing.assert_array_equal(getattr(many, f), getattr(one, f), err_msg=f)


def test_off_grid_entries_take_the_general_path() -> None:
    # decimal times with an entry time off their grid: the binned path declines (None)
    data = _data("2 decimals", 9000, seed=5)
    t, e = data["time"], data["event"]
    entry = data["entry"].copy()
    entry[7] = t[7] - 0.005  # not a multiple of 0.01
    assert _core.binned_fit(t, e, entry, None, False) is None
    fit = survkit.kaplan_meier(t, e, entry=entry)
    r = _counts_written_out(t, e, entry, None)[1]
    np.testing.assert_array_equal(fit.n_risk, r)
    # whole-number times: any entry time is binned by its floor (no check needed)
    data = _data("days", 9000, seed=6)
    entry = data["entry"] + 0.5 * (data["entry"] >= 0)
    entry = np.minimum(entry, data["time"] - 0.25)
    assert _core.binned_fit(data["time"], data["event"], entry, None, False) is not None
    fit = survkit.kaplan_meier(data["time"], data["event"], entry=entry)
    r = _counts_written_out(data["time"], data["event"], entry, None)[1]
    np.testing.assert_array_equal(fit.n_risk, r)
