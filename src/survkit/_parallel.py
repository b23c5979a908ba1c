"""A seeded map: the same draws for the same seed, run locally or on a Dask cluster.

Simulation and ABC runs and batch checks of a corpus are maps of one function over many
items (replicates, papers). :func:`seeded_map` gives item ``i`` its own random generator,
``numpy.random.default_rng(SeedSequence(seed).spawn(n)[i])``, which depends on the seed and
on ``i`` only -- not on where, in which order or in which chunk the item runs -- so a run on a
``distributed.Client`` (a ``LocalCluster`` or a real cluster) returns exactly what the local
run returns.

References
----------
O'Neill M.E. (2014). PCG: a family of simple fast space-efficient statistically good
algorithms for random number generation (NumPy's ``SeedSequence`` spawning). Rocklin M.
(2015). Dask: parallel computation with blocked algorithms and task scheduling. SciPy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")


def _run_chunk(
    fn: Callable[[Any, np.random.Generator], Any],
    items: Sequence[Any],
    seeds: Sequence[np.random.SeedSequence],
) -> list[Any]:
    return [fn(x, np.random.default_rng(s)) for x, s in zip(items, seeds, strict=True)]


def seeded_map(
    fn: Callable[[T, np.random.Generator], R],
    items: Sequence[T],
    *,
    seed: int | np.random.SeedSequence,
    client: Any = None,
    chunk_size: int | None = None,
) -> list[R]:
    """``[fn(item, rng_i) for i, item in enumerate(items)]``, locally or on a Dask Client.

    Parameters
    ----------
    fn : callable
        ``fn(item, rng)``; must draw its randomness from ``rng`` only. With a ``client`` it
        must be picklable by Dask (cloudpickle: lambdas and closures are fine).
    items : sequence
        The items (replicates, papers, ...).
    seed : int or numpy.random.SeedSequence
        Root seed; item ``i`` gets ``default_rng(SeedSequence(seed).spawn(len(items))[i])``.
    client : distributed.Client, optional
        Run the chunks on this client's cluster; ``None`` runs them here, in order.
    chunk_size : int, optional
        Items per task on a client (default: about 4 tasks per worker thread). The results
        do not depend on it.

    Returns
    -------
    list
        The results, in the order of ``items``; identical with and without ``client``.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer, np.random.SeedSequence)):
        raise TypeError(f"seed must be an int or a numpy SeedSequence, got {seed!r}")
    if isinstance(seed, (int, np.integer)) and seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed!r}")
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer))
        or chunk_size < 1
    ):
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    items = list(items)
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
    seeds = root.spawn(len(items))
    if client is None or not items:
        return _run_chunk(fn, items, seeds)
    if not hasattr(client, "submit") or not hasattr(client, "gather"):
        raise TypeError(f"client must be a distributed.Client, got {type(client).__name__}")
    if chunk_size is None:
        threads = sum(client.nthreads().values()) or 1
        chunk_size = max(1, -(-len(items) // (4 * threads)))
    futures = [
        client.submit(_run_chunk, fn, items[i : i + chunk_size], seeds[i : i + chunk_size],
                      pure=False)
        for i in range(0, len(items), chunk_size)
    ]
    out: list[R] = []
    for part in client.gather(futures):
        out.extend(part)
    return out
