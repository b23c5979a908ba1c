"""The times of one ordering: difference constraints on whole days (survkit.trial.timing).

Expected values are derived by hand in each docstring and cross-checked with scipy's HiGHS
linear programme (an independent solver), never taken from timing's own output.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from survkit.trial.timing import DifferenceSystem, closure, feasible, negative_cycle, sample


def _small_infeasible() -> DifferenceSystem:
    """x1 >= 10 (a landmark: the event after it), x2 <= 5 (a printed window), x2 >= x1 + 1
    (x2 is the later event). Summing the three: 10 + 1 <= x2 <= 5, impossible: the cycle
    0 -> x2 (5), x2 -> x1 (-1), x1 -> 0 (-10) weighs -6 < 0."""
    sy = DifferenceSystem(1)
    x1, x2 = sy.add_var(), sy.add_var()
    sy.window(x1, 10, np.inf, "landmark")
    sy.window(x2, -np.inf, 5, "window")
    sy.before(x1, x2, 1, "order")
    return sy


def _small_feasible() -> DifferenceSystem:
    """1 <= x1 <= 10, 3 <= x2 <= 8, x2 >= x1 + 2. By hand: x1 <= x2 - 2 <= 6, so
    x1 in [1, 6]; x2 >= x1 + 2 >= 3, so x2 in [3, 8]. Lattice points: for x1 = 1..6, x2 runs
    over max(3, x1 + 2)..8: 6 + 5 + 4 + 3 + 2 + 1 = 21 points."""
    sy = DifferenceSystem(1)
    x1, x2 = sy.add_var(), sy.add_var()
    sy.window(x1, 1, 10, "a")
    sy.window(x2, 3, 8, "b")
    sy.before(x1, x2, 2, "gap")
    return sy


def _lp_range(sy: DifferenceSystem, j: int) -> tuple[float, float] | None:
    """min and max of x_j by HiGHS over the same constraints (None: infeasible)."""
    v = sy.size
    a, b = [], []
    for i, k, w, _ in sy.edges:  # x_k - x_i <= w
        row = np.zeros(v)
        row[k] += 1
        row[i] -= 1
        a.append(row)
        b.append(w)
    bounds = [(0, 0)] + [(None, None)] * (v - 1)
    out = []
    for sign in (1, -1):
        c = np.zeros(v)
        c[j] = sign
        res = linprog(c, A_ub=np.array(a), b_ub=np.array(b), bounds=bounds, method="highs")
        if res.status == 2:
            return None
        out.append(sign * res.fun)
    return out[0], out[1]


def test_infeasible_ordering_is_proven_with_its_facts() -> None:
    sy = _small_infeasible()
    d = closure(sy.matrix())
    assert not feasible(d[None])[0]
    assert _lp_range(sy, 1) is None  # HiGHS agrees
    assert sorted(negative_cycle(sy) or []) == ["landmark", "order", "window"]


def test_feasible_ordering_has_the_hand_derived_bounds() -> None:
    sy = _small_feasible()
    d = closure(sy.matrix())
    assert feasible(d[None])[0]
    assert negative_cycle(sy) is None
    assert (-d[1, 0], d[0, 1]) == (1, 6)
    assert (-d[2, 0], d[0, 2]) == (3, 8)
    assert _lp_range(sy, 1) == pytest.approx((1, 6))
    assert _lp_range(sy, 2) == pytest.approx((3, 8))


def test_gibbs_sampler_is_uniform_over_the_lattice_points() -> None:
    """21 000 chains of 20 sweeps from the largest solution (6, 8): each of the 21 points is
    hit about 1000 times (binomial sd ~31; 6 sd allowed), and every state is a solution."""
    sy = _small_feasible()
    w = sy.matrix()
    d = closure(w)
    b = 21_000
    start = np.tile(d[0, :], (b, 1))
    x = sample(np.broadcast_to(w, (b, *w.shape)), start, np.random.default_rng(5), 20)
    x1, x2 = x[:, 1], x[:, 2]
    assert ((x1 >= 1) & (x1 <= 10) & (x2 >= 3) & (x2 <= 8) & (x2 >= x1 + 2)).all()
    pts, counts = np.unique(np.stack([x1, x2], axis=1), axis=0, return_counts=True)
    assert len(pts) == 21
    assert (np.abs(counts - 1000) < 6 * 31).all()


def test_gibbs_update_is_monotone_so_extreme_chains_sandwich_and_meet() -> None:
    """Chains from the largest solution (6, 8) and the smallest (1, 3), driven by the same
    random numbers, stay ordered coordinate-wise at every sweep and meet (then the state no
    longer depends on the start)."""
    sy = _small_feasible()
    w = sy.matrix()
    d = closure(w)
    b = 2000
    hi = np.tile(d[0, :], (b, 1))
    lo = np.tile(-d[:, 0], (b, 1))
    ww = np.broadcast_to(w, (b, *w.shape))
    for sweeps in (1, 3, 30):
        a = sample(ww, hi, np.random.default_rng(11), sweeps)
        c = sample(ww, lo, np.random.default_rng(11), sweeps)
        assert (a >= c).all()
    assert (a == c).all(axis=1).mean() > 0.99


def test_chain_bounds_by_hand() -> None:
    """x1 < x2 <= x3 (gaps 1, 0) with boxes [1, 10], [1, 2], [1, 10]: x1 <= x2 - 1 <= 1 so
    x1 = 1, x2 = 2, x3 in [2, 10]. And x1 in [5, 10] < x2 in [1, 5] (gap 1) is infeasible:
    x2 >= 6 > 5, the conflict is box 0's lower bound against box 1's upper bound."""
    from survkit.trial.timing import chain_bounds, chain_conflict

    lb, ub, ok = chain_bounds(np.array([[1.0, 1, 1]]), np.array([[10.0, 2, 10]]),
                              np.array([[1.0, 0]]))
    assert ok[0]
    assert lb[0].tolist() == [1, 2, 2] and ub[0].tolist() == [1, 2, 10]
    lo, hi = np.array([5.0, 1]), np.array([10.0, 5])
    assert not chain_bounds(lo[None], hi[None], 1)[2][0]
    assert chain_conflict(lo, hi, 1) == (0, 1)
