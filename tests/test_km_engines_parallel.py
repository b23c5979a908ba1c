"""seeded_map: the same draws for the same seed locally, in any chunking, and on a Client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from survkit._parallel import seeded_map


def simulate(n: int, rng: np.random.Generator) -> float:
    """A small KM replicate: S at 12 of n exponential times (mean 20), uniform censoring."""
    from survkit import kaplan_meier

    t = rng.exponential(20.0, n)
    c = rng.uniform(0.0, 36.0, n)
    fit = kaplan_meier(np.minimum(t, c), t <= c)
    return float(fit.survival_at([12.0])[0])


def test_local_results_follow_the_seed() -> None:
    a = seeded_map(simulate, [30] * 12, seed=7)
    b = seeded_map(simulate, [30] * 12, seed=7)
    c = seeded_map(simulate, [30] * 12, seed=8)
    assert a == b
    assert a != c
    assert len(set(a)) > 1  # each item has its own stream
    # item i's stream is SeedSequence(seed).spawn(n)[i]: independent of the other items
    ss = np.random.SeedSequence(7).spawn(12)
    assert a[5] == simulate(30, np.random.default_rng(ss[5]))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.mark.parametrize("chunk_size", [None, 1, 5, 100])
def test_client_equals_local(client: Any, chunk_size: int | None) -> None:
    items = [10, 20, 30, 40, 50, 60, 70]
    local = seeded_map(simulate, items, seed=2026)
    remote = seeded_map(simulate, items, seed=2026, client=client, chunk_size=chunk_size)
    assert remote == local


def test_empty_and_bad_arguments(client: Any) -> None:
    assert seeded_map(simulate, [], seed=1, client=client) == []
    with pytest.raises(TypeError, match="fn must be callable"):
        seeded_map(3, [1], seed=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="seed must be an int"):
        seeded_map(simulate, [1], seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be >= 0"):
        seeded_map(simulate, [1], seed=-1)
    with pytest.raises(ValueError, match="chunk_size must be a positive integer"):
        seeded_map(simulate, [1], seed=1, client=client, chunk_size=0)
    with pytest.raises(TypeError, match=r"client must be a distributed\.Client"):
        seeded_map(simulate, [1], seed=1, client="local")
