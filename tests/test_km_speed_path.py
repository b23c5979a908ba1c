"""The fast paths of the Kaplan-Meier fit give the numbers of the plain formulas.

* The one-allocation path of unweighted, mostly distinct times (``greenwood_fit``) equals
  counting (:func:`risk_counts`, checked against brute force elsewhere) followed by the
  whole-array formulas, bit for bit, with and without a few ties, ``-0.0`` and blocks.
* The confidence limits computed on first access are those of
  :func:`survkit.estimate.ci.confint` on ``surv`` and ``std_err_log`` (R's formulas; the R
  fixtures check the fields against R), and the fit behaves as a frozen value: it cannot be
  assigned to, pickles with its limits, and ``repr``/``replace``/``to_frame`` see them.
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from survkit.estimate import _core
from survkit.estimate.ci import confint
from survkit.estimate.km import kaplan_meier


def _whole_array(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, ...]:
    c = _core.risk_counts(time, event, None, None)
    s = _core.km_product(c.n_risk, c.n_event)
    g = _core.greenwood_log(c.n_risk, c.n_event)
    se = np.multiply(g, s, out=np.full_like(s, np.nan), where=np.isfinite(g))
    return c.time, c.n_risk, c.n_event, c.n_censor, s, se, g


@pytest.mark.parametrize("block", [3, 1000, 1 << 17])
@pytest.mark.parametrize("ties", ["distinct", "a few ties", "last is event", "last censored"])
def test_one_block_path_equals_count_then_formulas(
    monkeypatch: pytest.MonkeyPatch, block: int, ties: str
) -> None:
    monkeypatch.setattr(_core, "_BLOCK", block)
    rng = np.random.default_rng(11)
    n = 20_000
    t = rng.exponential(10.0, n)
    e = rng.random(n) < 0.7
    if ties == "a few ties":
        t[:50] = t[50:100]
        t[100] = -0.0
    last = int(np.argmax(t))
    if ties == "last is event":
        e[last] = True
    if ties == "last censored":
        e[last] = False
    assert not _core.many_ties(t)
    counts, surv, se, se_log = _core.greenwood_fit(t, e, None, None)
    got = (counts.time, counts.n_risk, counts.n_event, counts.n_censor, surv, se, se_log)
    for name, g, w in zip(("time", "n_risk", "n_event", "n_censor", "surv", "se", "se_log"),
                          got, _whole_array(t, e), strict=True):
        np.testing.assert_array_equal(g, w, err_msg=name)
    assert not np.signbit(counts.time).any()


def test_one_block_path_small_and_all_events() -> None:
    for t, e in (([2.0, 1.0], [True, True]), ([3.0, 1.0, 2.0], [False, False, False]),
                 ([5.0], [True])):
        ta, ea = np.array(t), np.array(e)
        counts, surv, se, se_log = _core.greenwood_fit(ta, ea, None, None)
        for g, w in zip((counts.time, counts.n_risk, counts.n_event, counts.n_censor, surv,
                         se, se_log), _whole_array(ta, ea), strict=True):
            np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("conf_type", ["plain", "log", "log-log", "logit", "arcsin"])
@pytest.mark.parametrize("weights", ["none", "integer", "fractional"])
def test_limits_on_access_are_confint_of_the_fit(conf_type: str, weights: str) -> None:
    rng = np.random.default_rng(3)
    t = np.round(rng.exponential(5.0, 400), 1)
    e = rng.random(400) < 0.6
    w = {"none": None, "integer": rng.integers(1, 3, 400).astype(float),
         "fractional": rng.uniform(0.5, 1.5, 400)}[weights]
    fit = kaplan_meier(t, e, weights=w, conf_type=conf_type, conf_level=0.9)
    lo, up = confint(fit.surv, fit.std_err_log, conf_type, 0.9)
    np.testing.assert_array_equal(fit.lower, lo)
    np.testing.assert_array_equal(fit.upper, up)
    assert fit.lower is fit.lower  # computed once, then kept
    assert not fit.lower.flags.writeable and not fit.upper.flags.writeable


def test_fit_stays_a_frozen_value() -> None:
    fit = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.lower = np.zeros(4)  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(fit))
    # R 4.2, survival 3.5.3: survfit(Surv(c(9,13,13,18,23), c(1,1,0,1,1)) ~ 1)$lower
    want = [0.5161257603421721, 0.2933164316383264, 0.0630544842551363, np.nan]
    np.testing.assert_allclose(back.lower, want, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(back.upper, fit.upper)
    assert "lower=array([0.516" in repr(fit)
    import copy

    np.testing.assert_array_equal(copy.deepcopy(fit).lower, fit.lower)
    np.testing.assert_array_equal(dataclasses.asdict(fit)["upper"], fit.upper)
    other = dataclasses.replace(fit, label="x")
    np.testing.assert_array_equal(other.lower, fit.lower)
    frame = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1]).to_frame()
    np.testing.assert_array_equal(frame["lower"].to_numpy(), fit.lower)


@pytest.mark.parametrize("decimals", [None, 2, 0], ids=["sort", "hash", "bins"])
def test_cells_from_the_tally_are_each_rows_time_index(decimals: int | None) -> None:
    rng = np.random.default_rng(21)
    t = rng.exponential(10.0, 30_000)
    if decimals is not None:
        t = np.round(t, decimals)
    e = rng.random(t.size) < 0.6
    w = rng.uniform(0.5, 1.5, t.size)
    cells: list[_core.RowCells] = []
    counts = _core.risk_counts(t, e, None, w, cells)
    assert (cells[0].cell is None) == (decimals is None)  # sorted rows, one per time
    np.testing.assert_array_equal(cells[0].index(), np.searchsorted(counts.time, t))
    surv = _core.km_product(counts.n_risk, counts.n_event)
    fast = _core.ij_std_err(t, e, None, w, counts, surv, cells[0])
    np.testing.assert_array_equal(fast, _core.ij_std_err(t, e, None, w, counts, surv))
    by_cell = _core.RowCells(cell=cells[0].index())  # the general branch, with gathers
    np.testing.assert_array_equal(fast, _core.ij_std_err(t, e, None, w, counts, surv, by_cell))
    # Without entry the sums weighted by C(entry) = 0 are skipped; an entry before every
    # time gives the same variance through the general branch (other summation order).
    counts_e = _core.risk_counts(t, e, np.full(t.size, -1.0), w)
    general = _core.ij_std_err(t, e, np.full(t.size, -1.0), w, counts_e, surv)
    np.testing.assert_allclose(fast, general, rtol=0, atol=1e-12)  # SEs of order 1e-3


@pytest.mark.parametrize("max_fix", [1 << 16, 3])
def test_packed_index_sort_is_the_stable_argsort(
    monkeypatch: pytest.MonkeyPatch, max_fix: int
) -> None:
    monkeypatch.setattr(_core, "_MAX_FIX", max_fix)  # 3: the fallback to argsort
    rng = np.random.default_rng(8)
    n = 5000  # 13 index bits: keys equal in their top 51 bits collide in the packed sort
    top = rng.integers(0, 700, n).astype(np.uint64) << np.uint64(13)
    cases = {
        "collisions": top | rng.integers(0, 1 << 13, n).astype(np.uint64),
        "exact ties": top,
        "continuous": (rng.exponential(3.0, n).view(np.uint64) << np.uint64(1)),
    }
    for name, key in cases.items():
        order, kt = _core._stable_order(key)
        want = np.argsort(key, kind="stable")
        np.testing.assert_array_equal(order, want, err_msg=name)
        np.testing.assert_array_equal(kt, key[want], err_msg=name)


@pytest.mark.parametrize("decimals", [1, 2, 3])
@pytest.mark.parametrize("weights", ["none", "fractional"])
def test_decimal_times_counted_by_address_equal_the_hash_count(decimals: int, weights: str) -> None:
    rng = np.random.default_rng(decimals)
    t = np.round(rng.exponential(1.0, 200_000), decimals)
    t[:3] = [-0.0, 0.0, t[5]]
    e = rng.random(t.size) < 0.6
    w = None if weights == "none" else rng.uniform(0.5, 1.5, t.size)
    assert _core.many_ties(t)
    dec = _core._decimal_codes(t)
    assert dec is not None and dec[1] == 10.0**decimals
    got = _core._tally_bins(dec[0], e, w, None, dec[1])
    for g, x in zip(got, _core._tally_hash(t, e, w), strict=True):
        np.testing.assert_array_equal(g, x)
    assert not np.signbit(got[0]).any()
    # one value off the grid: not decimal codes (counted by hashing)
    t2 = t.copy()
    t2[7] += 1e-9
    assert _core._decimal_codes(t2) is None
    # through tally(): brute-force counts of the definition (integer counts, exact)
    ut, c, d = _core.tally(t, e)
    np.testing.assert_array_equal(ut, np.unique(t + 0.0))
    j = np.searchsorted(ut, t)
    np.testing.assert_array_equal(d, np.bincount(j[e], minlength=ut.size))
    np.testing.assert_array_equal(c, np.bincount(j[~e], minlength=ut.size))


@pytest.mark.parametrize("ties", [False, True])
def test_entry_merge_path_equals_count_then_formulas(ties: bool) -> None:
    rng = np.random.default_rng(17)
    n = 12_000
    t = rng.exponential(10.0, n)
    e = rng.random(n) < 0.7
    entry = t * rng.uniform(0.0, 0.9, n)
    entry[:40] = 0.0
    entry[40] = -0.0
    entry[41:60] = t[100:119]  # entries exactly at others' stop times (not at risk there)
    entry[41:60] = np.minimum(entry[41:60], t[41:60] * 0.99)
    entry[61] = t[200] if t[200] < t[61] else entry[61]
    if ties:
        t[300:340] = t[400:440]
        entry[300:340] = np.minimum(entry[300:340], t[300:340] * 0.5)
    assert not _core.many_ties(t) and (entry < t).all()
    counts, surv, _se, se_log = _core.greenwood_fit(t, e, entry, None)
    ref = _core.risk_counts(t, e, entry, None)
    # the definition, by brute force at a few times: entry < u <= stop
    for j in (0, 1, 50, 777, counts.time.size - 1):
        u = counts.time[j]
        assert counts.n_risk[j] == np.count_nonzero((entry < u) & (u <= t))
    for g, w in zip((counts.time, counts.n_risk, counts.n_event, counts.n_censor),
                    (ref.time, ref.n_risk, ref.n_event, ref.n_censor), strict=True):
        np.testing.assert_array_equal(g, w)
    np.testing.assert_array_equal(surv, _core.km_product(ref.n_risk, ref.n_event))
    np.testing.assert_array_equal(se_log, _core.greenwood_log(ref.n_risk, ref.n_event))


@pytest.mark.parametrize("block", [2, 777, 1 << 17])
@pytest.mark.parametrize("end", ["event", "censored", "zero weight"])
def test_blocked_ij_curve_equals_the_whole_array_passes(
    monkeypatch: pytest.MonkeyPatch, block: int, end: str
) -> None:
    monkeypatch.setattr(_core, "_BLOCK", block)
    rng = np.random.default_rng(5)
    n = 9000
    t = rng.exponential(4.0, n)
    e = rng.random(n) < 0.6
    w = rng.uniform(0.5, 1.5, n)
    w[rng.random(n) < 0.01] = 0.0
    order = np.argsort(t)
    e[order[:5]] = False  # censorings before the first event: no variance to carry yet
    if end == "event":
        e[order[-3:]] = True
    elif end == "censored":
        e[order[-3:]] = False
    else:
        e[order[-1]] = True
        w[order[-1]] = 0.0
    cells: list[_core.RowCells] = []
    counts = _core.risk_counts(t, e, None, w, cells)
    assert cells[0].cell is None
    surv, se, se_log = _core.ij_curve_sorted(counts, cells[0], float((w * w).sum()))
    s0 = _core.km_product(counts.n_risk, counts.n_event)
    se0 = _core.ij_std_err(t, e, None, w, counts, s0)
    np.testing.assert_array_equal(surv, s0)
    np.testing.assert_array_equal(se, se0)
    np.testing.assert_array_equal(se_log, np.divide(se0, s0, out=np.zeros_like(se0),
                                                    where=se0 != 0))


@pytest.mark.parametrize("block", [5, 1000, 1 << 17])
@pytest.mark.parametrize("weights", ["integer", "fractional", "with zeros"])
@pytest.mark.parametrize("ties", ["distinct", "a few ties"])
def test_weighted_one_block_path_equals_count_then_formulas(
    monkeypatch: pytest.MonkeyPatch, block: int, weights: str, ties: str
) -> None:
    # weighted_fit (one allocation) against counting then the whole-array formulas:
    # Greenwood for whole-number weights, the general infinitesimal jackknife otherwise
    monkeypatch.setattr(_core, "_BLOCK", block)
    rng = np.random.default_rng(21)
    n = 12_000
    t = rng.exponential(10.0, n)
    e = rng.random(n) < 0.7
    if ties == "a few ties":
        t[:40] = t[40:80]
        t[90] = -0.0
    w = rng.integers(1, 4, n).astype(float) if weights == "integer" else rng.uniform(0.5, 1.5, n)
    if weights == "with zeros":
        w[rng.random(n) < 0.02] = 0.0
    robust = weights != "integer"
    assert not _core.many_ties(t)
    counts, surv, se, se_log = _core.weighted_fit(t, e, w, robust)
    ref = _core.risk_counts(t, e, None, w)
    for g, x in zip((counts.time, counts.n_risk, counts.n_event, counts.n_censor),
                    (ref.time, ref.n_risk, ref.n_event, ref.n_censor), strict=True):
        np.testing.assert_array_equal(g, x)
    s0 = _core.km_product(ref.n_risk, ref.n_event)
    np.testing.assert_array_equal(surv, s0)
    if robust:
        se0 = _core.ij_std_err(t, e, None, w, ref, s0)
        np.testing.assert_array_equal(se, se0)
        np.testing.assert_array_equal(
            se_log, np.divide(se0, s0, out=np.zeros_like(se0), where=se0 != 0))
    else:
        np.testing.assert_array_equal(se_log, _core.greenwood_log(ref.n_risk, ref.n_event))
    assert not np.signbit(counts.time).any()
