"""Kaplan-Meier on one thread and on several: warm loops, and fits right after a peer's fit.

    python benchmarks/bench_km_threads.py [--n 1e6] [--threads 2]

Continuous times of ``bench_km.make_shape`` (all distinct). Prints, for one thread and for
``--threads`` threads (wall time, ms):

* a loop of fits of the same data (memory warm): best of 5 for the sort of the packed keys
  (``threads.sort_inplace``), the curve from the counts (``_core.greenwood_curve``), the whole
  fit (``_core.greenwood_fit``) and one ``np.sort`` of the times; the page faults per fit;
* fits right after a peer's fit (lifelines, statsmodels, scikit-survival in turn, as the
  round-robin of ``bench_km.py`` runs them): median, min and max of 12, with the page faults
  per fit (``ru_minflt``); one ``np.sort`` of the times right after a peer's fit likewise,
  and the ratio of the two medians (the goal: <= 1.2);
* a second table: the unweighted, integer-weighted, fractional-weighted (IJ) and
  left-truncated fits (``kaplan_meier``, data of ``bench_km.variant_benchmark``) in a warm
  loop, best of 5, with their ratios to the unweighted fit (the goal: <= 1.5) and the page
  faults per fit (fresh memory; 0 once the fits' blocks are kept for reuse).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_km


def best_ms(fn: Callable[[], Any], setup: Callable[[], Any] | None = None, reps: int = 5
            ) -> float:
    best = float("inf")
    for _ in range(reps):
        arg = setup() if setup else None
        t0 = time.perf_counter()
        fn() if arg is None else fn(arg)  # type: ignore[call-arg]
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=float, default=1e6)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args(argv)
    from survkit.estimate import _core, threads

    n = int(a.n)
    t, e = bench_km.make_shape("continuous", n)
    ev = e.astype(bool)
    key = (t.view(np.uint64) << np.uint64(1)) | ev
    r = np.arange(n, 0, -1, dtype=np.float64)
    d = ev.astype(np.float64)
    print(f"n = {n:,d}, continuous times; wall ms")
    print("| threads | sort of keys | curve | fit | np.sort | page faults per fit | "
          "after a peer: median (min-max) | page faults per fit after a peer | "
          "np.sort after a peer: median (min-max) | fit / np.sort after a peer |")
    print("|---:|---:|---:|---:|---:|---:|---|---:|---|---:|")
    for k in (1, a.threads):
        threads.set_num_threads(k)
        sort_ms = best_ms(threads.sort_inplace, key.copy)
        curve_ms = best_ms(lambda: _core.greenwood_curve(r, d))
        fit_ms = best_ms(lambda: _core.greenwood_fit(t, ev, None, None))
        np_ms = best_ms(lambda: np.sort(t))
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(3):
            bench_km.fit_survkit(t, e)
        warm_faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) // 3
        after: list[float] = []
        faults: list[int] = []
        sort_after: list[float] = []
        for _ in range(4):
            for peer in ("lifelines", "statsmodels", "scikit-survival"):
                for timed in ("fit", "sort"):
                    bench_km.PEERS[peer](t, e)
                    gc.collect()
                    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                    t0 = time.perf_counter()
                    if timed == "fit":
                        bench_km.fit_survkit(t, e)
                    else:
                        np.sort(t)
                    ms = (time.perf_counter() - t0) * 1e3
                    if timed == "fit":
                        after.append(ms)
                        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
                    else:
                        sort_after.append(ms)
        print(f"| {k} | {sort_ms:.1f} | {curve_ms:.1f} | {fit_ms:.1f} | {np_ms:.1f} | "
              f"{warm_faults} | "
              f"{np.median(after):.1f} ({min(after):.1f}-{max(after):.1f}) | "
              f"{int(np.median(faults))} | "
              f"{np.median(sort_after):.1f} ({min(sort_after):.1f}-{max(sort_after):.1f}) | "
              f"{np.median(after) / np.median(sort_after):.2f}x |", flush=True)
    variants(n, (1, a.threads))
    threads.set_num_threads(None)
    return 0


def variants(n: int, counts: tuple[int, ...]) -> None:
    """The second table (see the module's documentation)."""
    from survkit import kaplan_meier
    from survkit.estimate import threads

    t, e = bench_km.make_shape("continuous", n)
    rng = np.random.default_rng(99)  # the draws of bench_km.variant_benchmark
    w_int = rng.integers(1, 4, n).astype(np.float64)
    w_frac = rng.uniform(0.5, 1.5, n)
    entry = t * rng.uniform(0.0, 0.5, n)
    todo: dict[str, Callable[[], Any]] = {
        "unweighted": lambda: kaplan_meier(t, e).std_err,
        "integer weights": lambda: kaplan_meier(t, e, weights=w_int).std_err,
        "fractional weights": lambda: kaplan_meier(t, e, weights=w_frac).std_err,
        "entry": lambda: kaplan_meier(t, e, entry=entry).std_err,
    }
    print()
    print(f"n = {n:,d}, continuous times; warm loop, best of 5, wall ms (page faults per fit)")
    print("| threads | " + " | ".join(todo) + " |")
    print("|---:|" + "---:|" * len(todo))
    for k in counts:
        threads.set_num_threads(k)
        cells = []
        base = 0.0
        for name, fn in todo.items():
            fn()  # the blocks of this kind of fit exist from here on
            gc.collect()
            f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            ms = best_ms(fn)
            faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) // 5
            if name == "unweighted":
                base = ms
                cells.append(f"{ms:.1f} ({faults})")
            else:
                cells.append(f"{ms:.1f} ({ms / base:.2f}x; {faults})")
        print(f"| {k} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
