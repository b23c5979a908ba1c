"""ABC on a Dask Client: the same draws for the same seed as the local run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from survkit._parallel import seeded_batches
from survkit.trial.simulate import abc
from survkit.trial.spec import Trial


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def draw(k: int, rng: np.random.Generator) -> tuple[int, float]:
    return k, float(rng.random())


def test_batches_follow_the_spawned_children() -> None:
    got = list(seeded_batches(draw, range(5), seed=11))
    kids = np.random.SeedSequence(11).spawn(5)
    # batch i draws from the i-th child of the root, as seeded_map's item i does
    assert got == [(i, float(np.random.default_rng(kids[i]).random())) for i in range(5)]


@pytest.mark.parametrize("wave", [None, 1, 3])
def test_batches_on_a_client_equal_local(client: Any, wave: int | None) -> None:
    local = list(seeded_batches(draw, range(7), seed=5))
    remote = list(seeded_batches(draw, range(7), seed=5, client=client, wave=wave))
    assert remote == local
    # a consumer that stops early sees the same prefix
    first = []
    for x in seeded_batches(draw, iter(range(100)), seed=5, client=client, wave=wave):
        first.append(x)
        if len(first) == 4:
            break
    assert first == local[:4]


def test_batches_bad_arguments() -> None:
    with pytest.raises(TypeError, match="fn must be callable"):
        seeded_batches(3, [1], seed=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        seeded_batches(draw, [1], seed=-2)
    with pytest.raises(ValueError, match="wave must be a positive integer"):
        seeded_batches(draw, [1], seed=1, wave=0)
    with pytest.raises(TypeError, match=r"client must be a distributed\.Client"):
        seeded_batches(draw, [1], seed=1, client="local")


def _same(a: Any, b: Any) -> None:
    assert (a.proposed, a.accepted) == (b.proposed, b.accepted)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.time, b.time)
    np.testing.assert_array_equal(a.event, b.event)


def test_abc_same_draws_locally_and_on_a_client(client: Any) -> None:
    t = Trial.seed()
    local = abc(t, "OS", "cure", trials=20_000, batch=5_000, seed=3)
    again = abc(t, "OS", "cure", trials=20_000, batch=5_000, seed=3)
    remote = abc(t, "OS", "cure", trials=20_000, batch=5_000, seed=3, client=client)
    _same(local, again)
    _same(local, remote)
    assert 0 < local.accepted < local.proposed == 20_000
    other = abc(t, "OS", "cure", trials=20_000, batch=5_000, seed=4)
    assert not np.array_equal(other.params, local.params)


def test_abc_bad_batch() -> None:
    with pytest.raises(ValueError, match="batch must be a positive integer"):
        abc(Trial.seed(), "OS", "cure", trials=10, batch=0)


def test_abc_reconstruct_on_a_client_equals_local(client: Any) -> None:
    """abc_reconstruct tallies the batches in order whatever runs them: the same patients
    table for the same seed and batch, locally and on a 2-worker cluster."""
    from survkit.trial.budget import Budget
    from survkit.trial.simulate import abc_reconstruct

    budget = Budget(max_proposals=400_000, batch=20_000)
    local = abc_reconstruct(Trial.seed(), draws=3, seed=7, budget=budget, progress=False)
    remote = abc_reconstruct(
        Trial.seed(), draws=3, seed=7, budget=budget, progress=False, client=client
    )
    assert local.draws == remote.draws == 3
    assert local.patients.equals(remote.patients)
    assert local.abc is not None and remote.abc is not None
    assert local.abc.proposed == remote.abc.proposed
