"""Threads for the large kernels: a parallel sort of 64-bit keys and parallel passes.

numpy runs one sort, one ufunc or one accumulation on one core, but it releases the GIL
while it does, so several run at once on several cores from Python threads. The
Kaplan-Meier kernels of distinct times (:mod:`survkit.estimate._core`) use this for the
two things that bound them: the sort of the packed keys, and the two running
accumulations of the curve (the product limit and Greenwood's sum, which do not depend on
each other). Every result is the same, bit for bit, whatever the number of threads: a
sorted array of integers is one array, and each accumulation still runs in one thread in
the order of one pass.

The number of threads is, in order: :func:`set_num_threads`, the environment variable
``SURVKIT_NUM_THREADS``, ``OMP_NUM_THREADS`` (which Dask workers and batch schedulers set
to keep one process per core), else the cores this process may run on, at most 8 -- when
two threads are seen to run at once: a virtual machine may show two cores that do not
(two passes run on two threads took longer than one after the other, and a fit of 1e5 rows
took 12 ms on two threads against 6 ms on one), so the default measures it once
(:func:`threads_run_at_once`) and stays on one thread if they do not.
One thread (``set_num_threads(1)``) runs everything in the calling thread.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "get_num_threads", "merge_runs", "parallel", "set_num_threads", "sort_inplace", "spans",
    "take", "threads_run_at_once",
]

#: Fewer elements than this are sorted in the calling thread (threads cost ~50 us).
PARALLEL_MIN = 1 << 15
#: Largest part of a merge (elements): numpy's stable sort takes a buffer of up to half a
#: part from the C allocator, and buffers of 40 MB (parts of 1e7) are mapped fresh every
#: time (10,000 page faults); those of 4 MB come back from its heap.
MERGE_PART = 1 << 20
#: At most this many threads by default.
_DEFAULT_MAX = 8

_lock = threading.Lock()
_chosen: int | None = None
_pool: ThreadPoolExecutor | None = None
_pool_size = 0


def _env_threads(name: str) -> int | None:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        k = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}") from None
    if k < 1:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}")
    return k


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """The number of threads the large kernels use (see the module's documentation)."""
    if _chosen is not None:
        return _chosen
    for name in ("SURVKIT_NUM_THREADS", "OMP_NUM_THREADS"):
        k = _env_threads(name)
        if k is not None:
            return k
    k = max(1, min(_cores(), _DEFAULT_MAX))
    return k if k == 1 or threads_run_at_once() else 1


#: Elements of each of the two running sums timed by :func:`threads_run_at_once` (0.6 ms).
_PROBE = 1 << 17
_at_once: bool | None = None


def threads_run_at_once() -> bool:
    """Whether two threads run numpy loops at the same time here (measured once, cached).

    Two running sums of :data:`_PROBE` elements are timed one after the other and on two
    threads, 9 times each; the threads count as running at once when the median on two
    takes under 3/4 of the median one after the other. Results never depend on it, only
    speed.
    """
    global _at_once
    with _lock:
        if _at_once is None:
            _at_once = _measure_at_once()
        return _at_once


def _measure_at_once() -> bool:
    import time

    a = np.ones((2, _PROBE))
    out = np.empty_like(a)
    rows = [partial(np.add.accumulate, a[i], out=out[i]) for i in range(2)]
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="survkit-probe")
    one: list[float] = []
    two: list[float] = []
    try:
        for _ in range(9):
            t0 = time.perf_counter()
            rows[0]()
            rows[1]()
            t1 = time.perf_counter()
            f = pool.submit(rows[1])
            rows[0]()
            f.result()
            t2 = time.perf_counter()
            one.append(t1 - t0)
            two.append(t2 - t1)
    finally:
        pool.shutdown()
    # medians: threads that run at once only now and then do not make fits faster
    return float(np.median(two)) < 0.75 * float(np.median(one))


def set_num_threads(n: int | None) -> None:
    """Use ``n`` threads in the large kernels (``None``: back to the default).

    Results do not depend on it. Raises ``ValueError`` unless ``n`` is a positive integer
    or ``None``.
    """
    global _chosen
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer))):
        raise TypeError(f"n must be a positive integer or None, got {n!r}")
    if n is not None and n < 1:
        raise ValueError(f"n must be a positive integer or None, got {n!r}")
    _chosen = None if n is None else int(n)


def _executor(k: int) -> ThreadPoolExecutor:
    """A pool with at least ``k`` workers (made on first use, grown when asked for more)."""
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < k:
            # The old pool is not shut down: another thread may still be submitting to it;
            # its idle workers end once it is no longer referenced.
            _pool = ThreadPoolExecutor(max_workers=k, thread_name_prefix="survkit")
            _pool_size = k
        return _pool


def _forget_pool() -> None:  # a forked child has none of its parent's threads
    global _pool, _pool_size
    _pool, _pool_size = None, 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def parallel(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run ``tasks`` on the threads and return their results, in the order of ``tasks``.

    With ``k`` threads the tasks are dealt into ``k`` groups (task ``i`` to group
    ``i mod k``), each run in order by one thread, the first group in the calling thread.
    With one task, or one thread, they run one after another in the calling thread. An
    exception in a task is raised here once every group has ended.
    """
    # (the thread count, measured on first use, is asked only when there is a choice)
    k = min(len(tasks), get_num_threads()) if len(tasks) > 1 else 1
    if k <= 1:
        return [t() for t in tasks]
    results: list[Any] = [None] * len(tasks)

    def run_group(g: int) -> None:
        for i in range(g, len(tasks), k):
            results[i] = tasks[i]()

    pool = _executor(k - 1)
    futures: list[Future[Any]] = [pool.submit(run_group, g) for g in range(1, k)]
    error: BaseException | None = None
    try:
        run_group(0)
    except BaseException as exc:  # wait for the others before raising
        error = exc
    for f in futures:
        try:
            f.result()
        except BaseException as exc:
            error = error or exc
    if error is not None:
        raise error
    return results


def sort_inplace(a: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``a`` sorted in place, using the threads; returns ``a``.

    With ``k`` threads, ``a`` is first partitioned (:meth:`numpy.ndarray.partition`, a
    selection in linear time: at a median, then in each half, ...) so that chunk ``i`` holds
    the elements of ranks ``[n i / k, n (i + 1) / k)``; then the ``k`` chunks are sorted at
    once, one per thread, by numpy's plain sort (vectorised where the CPU allows). No merge
    and no second array: a selection costs about a tenth of a sort, where a merge of sorted
    runs costs as much as the sort of one of them. The result is the sorted ``a``
    (integers: one sorted array, whatever the order of the work). Below
    :data:`PARALLEL_MIN` elements per thread, or with one thread, ``a`` is sorted in the
    calling thread.
    """
    n = a.size
    k = min(get_num_threads(), n // PARALLEL_MIN) if n >= 2 * PARALLEL_MIN else 1
    if k <= 1:
        a.sort()
        return a
    edges = [n * i // k for i in range(k + 1)]
    _select(a, edges, 0, k)
    parallel([a[lo:hi].sort for lo, hi in itertools.pairwise(edges)])
    return a


def _select(a: NDArray[np.uint64], edges: list[int], i: int, j: int) -> None:
    """Partition ``a[edges[i]:edges[j]]`` so that each ``a[edges[m]:edges[m + 1]]`` holds the
    elements of those ranks: one selection at the middle edge, then each side (a selection
    at one rank is the fast one; numpy's selection at several ranks is not vectorised)."""
    if j - i < 2:
        return
    m = (i + j) // 2
    a[edges[i] : edges[j]].partition(edges[m] - edges[i])
    _select(a, edges, i, m)
    _select(a, edges, m, j)


def merge_runs(runs: Sequence[NDArray[np.uint64]], out: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Merge the sorted arrays ``runs`` into ``out`` (their total size), in parallel parts.

    Splitters at the quantiles of the longest run cut every run by binary search into as
    many parts as there are threads, or more so that none holds more than about
    :data:`MERGE_PART` elements; each part gathers its pieces into its place in ``out`` and
    merges them by a stable sort (numpy's timsort finds the sorted runs and merges them,
    one pass per pair). Every element of part ``j`` is ``<=`` every element of part
    ``j + 1``, so ``out`` is the runs' elements sorted. Returns ``out``.
    """
    k = max(1, min(get_num_threads(), out.size // PARALLEL_MIN), -(-out.size // MERGE_PART))
    longest = max(runs, key=lambda r: r.size)
    split = longest[[longest.size * j // k for j in range(1, k)]]
    # cuts[r, j]: where part j begins in run r (0 <= j <= k)
    cuts = np.empty((len(runs), k + 1), dtype=np.intp)
    for i, run in enumerate(runs):
        cuts[i, 0], cuts[i, k] = 0, run.size
        cuts[i, 1:k] = np.searchsorted(run, split, side="left")
    sizes = cuts[:, 1:] - cuts[:, :-1]  # (run, part)
    starts = np.concatenate(([0], np.cumsum(sizes.sum(axis=0))))

    def merge(j: int) -> None:
        at = int(starts[j])
        for i, run in enumerate(runs):
            m = int(sizes[i, j])
            out[at : at + m] = run[cuts[i, j] : cuts[i, j] + m]
            at += m
        out[starts[j] : starts[j + 1]].sort(kind="stable")

    parallel([partial(merge, j) for j in range(k)])
    return out


def take(src: NDArray[Any], index: NDArray[np.intp], out: NDArray[Any]) -> NDArray[Any]:
    """``np.take(src, index, out=out)`` for valid ``index``, span by span on the threads (a
    gather: the same elements, whatever the number of threads). Returns ``out``.

    ``mode="clip"`` (a no-op on valid indices) lets numpy write into ``out`` directly;
    its default mode buffers the whole result first.
    """
    parts = spans(index.size)
    if len(parts) == 1:
        return np.take(src, index, out=out, mode="clip")
    parallel([partial(np.take, src, index[lo:hi], out=out[lo:hi], mode="clip")
              for lo, hi in parts])
    return out


def spans(n: int, parts: int | None = None) -> list[tuple[int, int]]:
    """``[lo, hi)`` of ``parts`` equal spans of ``n`` (default: one per thread, fewer when
    a span would hold less than :data:`PARALLEL_MIN`)."""
    k = parts if parts is not None else (
        max(1, min(get_num_threads(), n // PARALLEL_MIN)) if n >= 2 * PARALLEL_MIN else 1)
    edges = [n * i // k for i in range(k + 1)]
    return list(itertools.pairwise(edges))
