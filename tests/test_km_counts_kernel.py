"""The counting kernel: its three methods (bins, hash, packed-key sort) against a naive count.

The reference counts every risk set by brute force, straight from the definition
(at risk at u: entry < u <= stop; events at u: stop == u and event), in O(n m); the two
methods must agree with it exactly for integer weights and with each other bit for bit
for any weights (they add weights in the same order).
"""

from __future__ import annotations

import numpy as np
import pytest

from survkit.estimate import _core
from survkit.estimate._core import many_ties, risk_counts, tally


def naive(time: np.ndarray, event: np.ndarray, entry: np.ndarray | None,
          weights: np.ndarray | None) -> tuple[np.ndarray, ...]:
    w = np.ones(time.size) if weights is None else weights
    a = np.full(time.size, -np.inf) if entry is None else entry
    ut = np.unique(time + 0.0)
    r = np.array([w[(a < u) & (u <= time)].sum() for u in ut])
    d = np.array([w[(time == u) & event].sum() for u in ut])
    c = np.array([w[(time == u) & ~event].sum() for u in ut])
    return ut, r, d, c


def _data(seed: int, n: int, decimals: int | None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = rng.exponential(10.0, n)
    if decimals is not None:
        t = np.round(t, decimals)
    return t, rng.random(n) < 0.6


@pytest.mark.parametrize("decimals", [None, 2, 0], ids=["distinct", "2dec", "whole"])
@pytest.mark.parametrize("with_entry", [False, True], ids=["", "entry"])
@pytest.mark.parametrize("weighted", [False, True], ids=["", "weights"])
def test_counts_equal_brute_force(decimals: int | None, with_entry: bool, weighted: bool) -> None:
    t, e = _data(1, 600, decimals)
    rng = np.random.default_rng(2)
    entry = np.round(t * rng.random(t.size), 1) - 0.25 if with_entry else None
    w = rng.integers(0, 4, t.size).astype(float) if weighted else None
    got = risk_counts(t, e, entry, w)
    exp = naive(t, e, entry, w)
    for name, g, x in zip(("time", "n_risk", "n_event", "n_censor"),
                          (got.time, got.n_risk, got.n_event, got.n_censor), exp, strict=True):
        np.testing.assert_array_equal(g, x, err_msg=name)


@pytest.mark.parametrize("decimals", [1, 0], ids=["hash", "bins"])
@pytest.mark.parametrize("with_entry", [False, True], ids=["", "entry"])
def test_tied_methods_equal_brute_force(decimals: int, with_entry: bool) -> None:
    t, e = _data(6, 20_000, decimals)  # large enough for the tie estimate to pick hashing
    assert many_ties(t)
    rng = np.random.default_rng(7)
    entry = np.floor(t * rng.random(t.size)) - 1.0 if with_entry else None
    w = rng.integers(0, 3, t.size).astype(float)
    for weights in (None, w):
        got = risk_counts(t, e, entry, weights)
        exp = naive(t, e, entry, weights)
        for g, x in zip((got.time, got.n_risk, got.n_event, got.n_censor), exp, strict=True):
            np.testing.assert_array_equal(g, x)


@pytest.mark.parametrize("decimals", [None, 3, 1, 0])
@pytest.mark.parametrize("weights", ["none", "integer", "fractional"])
def test_hash_and_sort_paths_are_identical(decimals: int | None, weights: str) -> None:
    t, e = _data(3, 5000, decimals)
    rng = np.random.default_rng(4)
    w = {"none": None, "integer": rng.integers(0, 5, t.size).astype(float),
         "fractional": rng.random(t.size) * 3}[weights]
    if w is not None:
        w[:7] = 0.0  # times whose rows all weigh 0 stay times
    for ev in (e, None):
        h = _core._tally_hash(t, ev, w)
        s = _core._tally_sort(t, ev, w)
        for x, y in zip(h, s, strict=True):
            np.testing.assert_array_equal(x, y)
        codes = _core._whole_codes(t)
        assert (codes is not None) == (decimals == 0)
        if codes is not None:
            b = _core._tally_bins(codes, ev, w)
            for x, y in zip(h, b, strict=True):
                np.testing.assert_array_equal(x, y)


def test_path_choice_follows_ties() -> None:
    rng = np.random.default_rng(5)
    assert many_ties(np.ceil(rng.exponential(1000.0, 200_000)))  # ~6000 distinct
    assert not many_ties(rng.exponential(1000.0, 200_000))  # all distinct
    assert not many_ties(np.round(rng.uniform(0, 1, 200_000), 5))  # ~1e5 distinct of 2e5
    x = np.round(rng.exponential(5.0, 50_000), 2)
    assert many_ties(x) == many_ties(x.copy())  # deterministic


def test_negative_zero_and_negative_times() -> None:
    t = np.array([-0.0, 0.0, 1.0, 1.0, 2.0])
    e = np.array([True, False, True, False, True])
    ut, c, d = tally(t, e)
    np.testing.assert_array_equal(ut, [0.0, 1.0, 2.0])
    assert not np.signbit(ut[0])
    np.testing.assert_array_equal(c, [1, 1, 0])
    np.testing.assert_array_equal(d, [1, 1, 1])
    # negative stop times (with entry) go through the hash path
    t2 = np.array([-3.0, -1.0, -1.0, 2.0])
    entry = np.array([-5.0, -4.0, -2.0, -1.0])
    got = risk_counts(t2, np.array([True, True, False, True]), entry, None)
    exp = naive(t2, np.array([True, True, False, True]), entry, None)
    np.testing.assert_array_equal(got.n_risk, exp[1])
    np.testing.assert_array_equal(got.n_event, exp[2])


def test_sum_order_is_index_order_for_fractional_weights() -> None:
    # 0.1 + 0.2 + 0.3 in index order is 0.6000000000000001; pairwise or sorted sums differ.
    t = np.array([1.0, 1.0, 1.0] + [2.0] * 20)
    w = np.array([0.1, 0.2, 0.3] + [0.1] * 20)
    e = np.zeros(t.size, dtype=bool)
    for fn in (_core._tally_hash, _core._tally_sort):
        _, c, _ = fn(t, e, w)
        assert c[0] == (0.1 + 0.2) + 0.3
        seq = 0.0
        for v in w[3:]:
            seq += v
        assert c[1] == seq


@pytest.mark.parametrize("block", [1, 3, 64, 1 << 15])
@pytest.mark.parametrize("conf_type", ["plain", "log", "log-log", "logit", "arcsin"])
def test_blocked_curve_equals_whole_array_passes(
    monkeypatch: pytest.MonkeyPatch, block: int, conf_type: str
) -> None:
    from survkit.estimate.ci import confint

    monkeypatch.setattr(_core, "_BLOCK", block)
    rng = np.random.default_rng(9)
    t = np.round(rng.exponential(5.0, 700), 1)
    e = rng.random(700) < 0.7
    entry = np.where(rng.random(700) < 0.2, t * 0.5, 0.0) - 0.01
    w = rng.integers(0, 3, 700).astype(float)
    for counts in (risk_counts(t, e, None, None), risk_counts(t, e, entry, w)):
        r, d = counts.n_risk, counts.n_event
        surv, se, se_log, lo, up = _core.curve(r, d, conf_type, 0.9)
        s0 = _core.km_product(r, d)
        g0 = _core.greenwood_log(r, d)
        lo0, up0 = confint(s0, g0, conf_type, 0.9)
        np.testing.assert_array_equal(surv, s0)
        np.testing.assert_array_equal(se_log, g0)
        np.testing.assert_array_equal(lo, lo0)
        np.testing.assert_array_equal(up, up0)
        se0 = np.multiply(g0, s0, out=np.full_like(s0, np.nan), where=np.isfinite(g0))
        np.testing.assert_array_equal(se, se0)


@pytest.mark.parametrize("conf_type", ["plain", "log", "log-log", "logit", "arcsin"])
def test_bounds_written_into_out_are_the_same_bits(conf_type: str) -> None:
    """``transform_bounds(..., out=)`` writes exactly what it returns without ``out``,
    including R's undefined (NaN) limits at S = 0 and S = 1 and infinite half-widths."""
    from survkit.estimate.ci import transform_bounds

    rng = np.random.default_rng(4)
    p = np.concatenate(([0.0, 1.0, 1.0, 0.0, 0.5], rng.random(300)))
    h = np.concatenate(([0.3, 0.0, 0.2, np.inf, np.inf], rng.exponential(0.3, 300)))
    want = transform_bounds(p, h, conf_type)
    out = (np.full(p.size, -7.0), np.full(p.size, -7.0))
    got = transform_bounds(p, h, conf_type, out=out)
    assert got[0] is out[0] and got[1] is out[1]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
    # 2-D (the batched landmark engine) and 0-d inputs keep their shapes
    lo2, up2 = transform_bounds(p[:300].reshape(30, 10), h[:300].reshape(30, 10), conf_type)
    np.testing.assert_array_equal(lo2.ravel(), want[0][:300])
    np.testing.assert_array_equal(up2.ravel(), want[1][:300])
    lo0, up0 = transform_bounds(0.6, 0.1, conf_type)
    assert lo0.shape == () and 0.0 < float(lo0) < 0.6 < float(up0) <= 1.0
