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

:func:`seeded_batches` is the lazy form for open-ended runs (ABC until enough draws are
kept): batch ``i`` gets ``default_rng(SeedSequence(seed).spawn(i + 1)[i])`` and its results
are yielded in order, one batch at a time locally or a wave of batches at a time on a client;
the consumer stops when it has enough, so what it sees does not depend on the wave size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
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
    _check_client(client)
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


def _check_client(client: Any) -> None:
    if not hasattr(client, "submit") or not hasattr(client, "gather"):
        raise TypeError(f"client must be a distributed.Client, got {type(client).__name__}")


def seeded_batches(
    fn: Callable[[T, np.random.Generator], R],
    items: Iterable[T],
    *,
    seed: int | np.random.SeedSequence | None,
    client: Any = None,
    wave: int | None = None,
) -> Iterator[R]:
    """``fn(item_i, rng_i)`` for ``i = 0, 1, ...``, yielded lazily in order.

    Item ``i`` gets ``default_rng(SeedSequence(seed).spawn(i + 1)[i])`` (the ``i``-th child of
    the root, as in :func:`seeded_map`), so the ``k``-th result is the same locally and on a
    client, whatever the wave size. Locally each item runs when the consumer asks for it; on
    a client ``wave`` items (default: two per worker thread) run at once and their results
    are yielded in order -- work of a wave the consumer abandons is simply discarded.

    Parameters
    ----------
    fn : callable
        ``fn(item, rng)``; draws its randomness from ``rng`` only.
    items : iterable
        The items (e.g. batch sizes); may be a generator.
    seed : int, numpy.random.SeedSequence or None
        Root seed (``None``: fresh entropy from the operating system).
    client : distributed.Client, optional
        Run the waves on this client's cluster; ``None`` runs here.
    wave : int, optional
        Items submitted together on a client (default ``2 * threads``).

    Yields
    ------
    object
        ``fn(item_i, rng_i)`` in the order of ``items``.
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    if seed is not None and not isinstance(seed, np.random.SeedSequence) and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    if wave is not None and (
        isinstance(wave, bool) or not isinstance(wave, (int, np.integer)) or wave < 1
    ):
        raise ValueError(f"wave must be a positive integer, got {wave!r}")
    if client is not None:
        _check_client(client)
    return _batches(fn, iter(items), seed, client, wave)


def _batches(
    fn: Callable[[T, np.random.Generator], R],
    items: Iterator[T],
    seed: int | np.random.SeedSequence | None,
    client: Any,
    wave: int | None,
) -> Iterator[R]:
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    # SeedSequence.spawn numbers its children on from those already spawned, so spawning one
    # (or one wave) at a time gives the same children as spawning them all at once.
    if client is None:
        for item in items:
            (s,) = root.spawn(1)
            yield fn(item, np.random.default_rng(s))
        return
    if wave is None:
        wave = 2 * (sum(client.nthreads().values()) or 1)
    while True:
        chunk = [x for _, x in zip(range(wave), items, strict=False)]
        if not chunk:
            return
        seeds = root.spawn(len(chunk))
        futures = [
            client.submit(_run_chunk, fn, [x], [s], pure=False)
            for x, s in zip(chunk, seeds, strict=True)
        ]
        try:
            for f in futures:
                yield f.result()[0]
        finally:
            for f in futures:
                f.cancel()
