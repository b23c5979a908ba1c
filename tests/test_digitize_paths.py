"""The least-cost staircase solvers of the raster curve tracing against exhaustive search.

A staircase path has one row per column, starts at a given row and never rises (its row
never decreases); a drop (the row going down, by any number of rows) costs 1, and each
column costs what its row costs there. The expected least cost is found by trying every
such path on small grids, from the costs as the solvers' docstrings define them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest

from survkit.digitize.rastertrace import _best_path, column_runs, ordered_path


def _staircases(h: int, n: int, y0: int, lo: list[int], hi: list[int]
                ) -> Iterator[tuple[int, ...]]:
    for rest in itertools.product(range(h), repeat=n - 1):
        path = (y0, *rest)
        if all(path[j] <= path[j + 1] for j in range(n - 1)) and \
                all(lo[j] <= path[j] <= hi[j] for j in range(n)):
            yield path


def _cost(path: tuple[int, ...], col_cost: np.ndarray) -> float:
    drops = sum(1 for j in range(1, len(path)) if path[j] != path[j - 1])
    return float(sum(col_cost[r, j] for j, r in enumerate(path))) + drops


@pytest.mark.parametrize("seed", range(40))
def test_ordered_path_is_the_cheapest_staircase_within_its_bounds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    h, n = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    cost = np.round(rng.uniform(-1.0, 1.5, size=(h, n)), 2)
    lo = rng.integers(0, h, size=n)
    hi = np.minimum(lo + rng.integers(0, h, size=n), h - 1)
    y0 = int(rng.integers(lo[0], hi[0] + 1))
    want = min((_cost(p, cost) for p in _staircases(h, n, y0, lo.tolist(), hi.tolist())),
               default=None)
    path = ordered_path(cost, lo, hi, y0)
    if want is None:  # no staircase fits the bounds
        return
    got = tuple(int(r) for r in path)
    assert got[0] == y0
    assert all(got[j] <= got[j + 1] for j in range(n - 1))
    assert all(lo[j] <= got[j] <= hi[j] for j in range(n))
    assert _cost(got, cost) == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_pair_path_is_the_cheapest_staircase_on_ink_rows_and_below(seed: int) -> None:
    # the ink lies in a band of rows; the solver works on the rows from the start down to
    # a row below the band only, which must not change the least cost over all rows
    rng = np.random.default_rng(100 + seed)
    h, n = int(rng.integers(4, 8)), int(rng.integers(2, 6))
    mask = np.zeros((h, n), dtype=bool)
    r0 = int(rng.integers(0, h - 1))
    r1 = int(rng.integers(r0, h - 1))
    mask[r0:r1 + 1] = rng.random((r1 - r0 + 1, n)) < 0.5
    tol = 1
    near = mask.copy()
    near[1:] |= mask[:-1]
    near[:-1] |= mask[1:]
    cols = column_runs(mask)
    other = rng.integers(0, h, size=n)
    skip = float(rng.choice([0.25, 1.5]))
    y0 = int(rng.integers(0, h))
    # the column costs as the docstring states them
    col_cost = np.where(mask, 0.0, np.where(near, 0.02, skip))
    for c in range(n):
        for a, b in cols[c]:
            lo, hi = max(a - tol, 0), min(b + tol, h - 1)
            col_cost[lo:hi + 1, c] += 0.1 if lo <= other[c] <= hi else -1.0
    want = min(_cost(p, col_cost) for p in _staircases(h, n, y0, [0] * n, [h - 1] * n))
    path, cost = _best_path(mask, near, cols, 0, n - 1, y0, other, n - 1, skip, tol)
    got = tuple(int(r) for r in path)
    assert got[0] == y0
    assert all(got[j] <= got[j + 1] for j in range(n - 1))
    assert cost == pytest.approx(want, abs=1e-9)
    assert _cost(got, col_cost) == pytest.approx(want, abs=1e-9)


def test_equal_cost_drops_come_from_the_first_or_the_last_row_above() -> None:
    # column 0: the path starts in row 0. Column 1: staying in row 0 costs 1.0, dropping to
    # row 1 costs 1 (the drop) + 0.0, so rows 0 and 1 end column 1 at one cost; rows 2 and
    # 3 cost 10. Column 2: row 3 costs -5, the others 10. The paths 0, 0, 3 and 0, 1, 3
    # both cost -3 (0 + 1 + 1 - 5 and 0 + 1 + 0 + 1 - 5): ordered_path takes the drop from
    # the first cheapest row above (row 0), the pair solver from the last (row 1).
    from survkit.digitize.rastertrace import _staircase

    cost = np.array([[0.0, 1.0, 10.0],
                     [10.0, 0.0, 10.0],
                     [10.0, 10.0, 10.0],
                     [10.0, 10.0, -5.0]])
    lo, hi = np.zeros(3, dtype=np.int64), np.full(3, 3, dtype=np.int64)
    assert ordered_path(cost, lo, hi, 0).tolist() == [0, 0, 3]
    path, final = _staircase(cost, lo, hi, 0, last_above=True)
    assert path.tolist() == [0, 1, 3]
    assert float(final.min()) == pytest.approx(-3.0, abs=1e-12)
