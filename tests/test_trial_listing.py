"""Per-event-count history lists (survkit.trial.listing) against a brute-force enumeration.

For n = 16 every history (a strictly decreasing tuple of risk sets at the events, any subset
of {2..16}) is enumerated here by hand: S = prod(1 - 1/r), Greenwood V = sum 1/(r (r - 1)),
R's log-log limits S^exp(+/- z sqrt(V) / |log S|), each printed number rounded to the nearest
whole percent. The union of the per-count lists must be exactly that set."""

from __future__ import annotations

import itertools
import math

import pytest

from conftest import race_clock
from survkit.trial.listing import histories_by_count

Z = 1.959963984540054


def _brute(
    n: int, est: int, lo: int, hi: int
) -> tuple[set[tuple[int, ...]], set[tuple[int, ...]]]:
    out: set[tuple[int, ...]] = set()
    fragile: set[tuple[int, ...]] = set()
    for k in range(1, n):
        for rs in itertools.combinations(range(n, 1, -1), k):
            s = math.prod(1 - 1 / r for r in rs)
            v = sum(1 / (r * (r - 1)) for r in rs)
            w = Z * math.sqrt(v) / abs(math.log(s))
            vals = (100 * s, 100 * s ** math.exp(w), 100 * s ** math.exp(-w))
            if any(abs(x - math.floor(x) - 0.5) < 1e-7 for x in vals):
                fragile.add(rs)  # on a rounding boundary: either verdict is defensible
            if [math.floor(x + 0.5) for x in vals] == [est, lo, hi]:
                out.add(rs)
    return out, fragile


def test_union_of_per_count_lists_is_every_history() -> None:
    expected, fragile = _brute(16, 44, 13, 72)
    assert len(expected - fragile) > 10
    got = histories_by_count("44% (95% CI, 13%-72%)", 16, "nearest", ("log-log",))
    listed = got["log-log"]
    assert listed is not None
    assert len(set(listed)) == len(listed)
    assert (set(listed) ^ expected) <= fragile


def test_no_history_gives_an_empty_certified_list() -> None:
    """99% (95% CI, 98%-100%) at n = 14: one event gives S <= 13/14 = 92.9%, none gives no
    CI at all (R prints S = 1 with limits 1), so no history prints it."""
    got = histories_by_count("99% (95% CI, 98%-100%)", 14, "nearest", ("log-log",))
    assert got["log-log"] == ()


def test_certification_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The listing's budget is work (search states), not seconds: the same landmark gets the
    same certified list when every clock read jumps 1000 s (a slow or loaded machine)."""
    args = ("44% (95% CI, 13%-72%)", 16, "nearest", ("log-log",))
    histories_by_count.cache_clear()
    first = histories_by_count(*args)
    assert first["log-log"] is not None
    histories_by_count.cache_clear()
    race_clock(monkeypatch)
    assert histories_by_count(*args) == first
