"""Kaplan-Meier speed: survkit against lifelines, statsmodels, scipy, scikit-survival (and R).

One process, the same data for every library, on three shapes of data (issue 13):

* ``continuous`` -- times in months as floats, all distinct;
* ``two-decimals`` -- the same months rounded to 0.01 (about 1e4 distinct times);
* ``whole-days`` -- times in whole days (about 3000 distinct times);

from exponential event times (mean 1000 days) and uniform censoring on [0, 3000] days (a
third censored), at n = 1e5, 1e6, 1e7. Besides each peer, the table shows one ``np.sort`` of
the times (the floor for a sort-based count) and the ratios. Timings are medians of repeats
taken round-robin (each repeat runs every library once, so a noisy moment on the shared
machine hits all of them alike).

Also measured: weighted fits (integer weights, Greenwood; fractional weights, the
infinitesimal jackknife) and left-truncated fits against the unweighted fit; the batch
(B = 1e5 trials of n = 10, ``kaplan_meier_at`` against a lifelines loop timed on a subsample
and extrapolated -- the script says so); R ``survfit`` via ``Rscript`` in another process.

Each library does comparable work: the estimate plus its standard error / pointwise CI where
the library computes one (lifelines always does; scikit-survival with ``conf_type="log-log"``;
scipy with ``sf.confidence_interval()``; statsmodels computes the Greenwood SE). survkit's
fit computes the counts, the estimate and both standard errors when it is made and its
confidence limits on first access: the ``survkit`` column times the fit with ``surv`` and
``std_err`` read (what statsmodels computes), the ``survkit + CI`` column the fit with its
95 % limits read as well (what lifelines and scikit-survival compute).

Usage::

    python benchmarks/bench_km.py                          # everything (about 10 minutes)
    python benchmarks/bench_km.py --max-n 1e6 --no-r --no-batch   # a quick look
    python benchmarks/bench_km.py --skip-slow              # no scipy/scikit-survival at 1e7
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

SIZES = (100_000, 1_000_000, 10_000_000)
SHAPES = ("continuous", "two-decimals", "whole-days")
#: Never the fastest peer (docs/performance.md); --skip-slow leaves them out at n = 1e7.
SLOW_PEERS = ("scipy", "scikit-survival")


def make_data(n: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """Integer-day times with ties: Exp(mean 1000) events, Uniform(0, 3000) censoring."""
    return make_shape("whole-days", n, seed)


def make_shape(shape: str, n: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """Times of one of :data:`SHAPES` (same underlying draws for every shape)."""
    rng = np.random.default_rng(seed + n)
    t_event = rng.exponential(1000.0, n)
    t_cens = rng.uniform(0.0, 3000.0, n)
    days = np.minimum(t_event, t_cens)
    event = (t_event <= t_cens).astype(np.int64)
    if shape == "whole-days":
        return np.ceil(days), event
    months = days / 30.4375
    if shape == "two-decimals":
        return np.round(months, 2), event
    if shape == "continuous":
        return months, event
    raise ValueError(f"unknown shape {shape!r}")


#: The clock of the single-fit and variant timings: wall time, or with ``--clock cpu`` the
#: CPU time of this process (every library timed here runs on one thread), which other jobs
#: on a shared machine disturb far less than they disturb wall time.
CLOCK: Callable[[], float] = time.perf_counter


def median_of(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return float(np.median(times))


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best = float("inf")
    out = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def repeats_for(n: int) -> int:
    """Repeats per library: 15 at n = 1e5, where one fit takes a few milliseconds and a
    single round's timing varies by a third, else 3."""
    return 15 if n <= 100_000 else 3


# ---------------------------------------------------------------------------------- peers
def fit_survkit(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fit with its estimate and standard error (the limits are computed on access)."""
    from survkit.estimate.km import kaplan_meier

    f = kaplan_meier(t, e)
    f.std_err  # noqa: B018 - computed with the fit; read as a user would
    return f.time, f.surv


def fit_survkit_ci(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fit with its estimate, standard error and 95 % confidence limits."""
    from survkit.estimate.km import kaplan_meier

    f = kaplan_meier(t, e)
    f.std_err  # noqa: B018
    f.lower  # noqa: B018 - the first access computes both limits
    return f.time, f.surv


def fit_survkit_one_thread(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`fit_survkit` on one thread (``survkit.set_num_threads(1)``, then restored)."""
    from survkit.estimate import threads

    before = threads.get_num_threads()
    threads.set_num_threads(1)
    try:
        return fit_survkit(t, e)
    finally:
        threads.set_num_threads(before)


def fit_lifelines(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from lifelines import KaplanMeierFitter

    k = KaplanMeierFitter().fit(t, e)
    sf = k.survival_function_
    return sf.index.to_numpy(), sf.iloc[:, 0].to_numpy()


def fit_statsmodels(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from statsmodels.duration.survfunc import SurvfuncRight

    s = SurvfuncRight(t, e)
    return s.surv_times, s.surv_prob


def fit_scipy(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy import stats

    res = stats.ecdf(stats.CensoredData.right_censored(t, e == 0))
    with warnings.catch_warnings():  # scipy warns about undefined CIs in the tail
        warnings.simplefilter("ignore", RuntimeWarning)
        res.sf.confidence_interval()
    return res.sf.quantiles, res.sf.probabilities


def fit_sksurv(t: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sksurv.nonparametric import kaplan_meier_estimator

    x, s, _ci = kaplan_meier_estimator(e.astype(bool), t, conf_type="log-log")
    return x, s


PEERS: dict[str, Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]] = {
    "survkit": fit_survkit,
    "lifelines": fit_lifelines,
    "statsmodels": fit_statsmodels,
    "scipy": fit_scipy,
    "scikit-survival": fit_sksurv,
}


def check_agreement(t: np.ndarray, e: np.ndarray) -> None:
    """All libraries must give the same curve at the event times (sanity check, n = 1e4)."""
    ref_t, ref_s = fit_survkit(t, e)
    for name, fn in PEERS.items():
        x, s = fn(t, e)
        x = np.asarray(x, dtype=float)
        s = np.asarray(s, dtype=float)
        keep = x > 0  # lifelines adds a row at time 0
        x, s = x[keep], s[keep]
        idx = np.searchsorted(ref_t, x)
        ok = (idx < ref_t.size) & (ref_t[np.minimum(idx, ref_t.size - 1)] == x)
        if not np.allclose(ref_s[idx[ok]], s[ok], rtol=0, atol=1e-10):
            raise SystemExit(f"{name} disagrees with survkit on the KM curve")


# ---------------------------------------------------------------------------------- R
R_SCRIPT = r"""
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
sizes <- as.numeric(args[-1])
for (n in sizes) {
  t <- readBin(file.path(dir, paste0("t_", format(n, scientific = FALSE), ".bin")),
               "double", n = n)
  e <- readBin(file.path(dir, paste0("e_", format(n, scientific = FALSE), ".bin")),
               "double", n = n)
  reps <- if (n <= 1e5) 5 else if (n <= 2e6) 3 else 1
  best <- Inf
  for (r in seq_len(reps)) {
    gc()
    st <- system.time(fit <- survfit(Surv(t, e) ~ 1))[["elapsed"]]
    best <- min(best, st)
  }
  cat(sprintf("%s %.4f\n", format(n, scientific = FALSE), best))
}
"""


def run_r(sizes: list[int]) -> dict[int, float] | str:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "Rscript not found"
    with tempfile.TemporaryDirectory() as d:
        for n in sizes:
            t, e = make_data(n)
            t.astype("<f8").tofile(os.path.join(d, f"t_{n}.bin"))
            e.astype("<f8").tofile(os.path.join(d, f"e_{n}.bin"))
        script = Path(d) / "bench.R"
        script.write_text(R_SCRIPT)
        proc = subprocess.run(
            [rscript, "--vanilla", str(script), d, *map(str, sizes)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            return f"R failed: {proc.stderr.strip().splitlines()[-1:]}"
        out: dict[int, float] = {}
        for line in proc.stdout.split("\n"):
            if line.strip():
                n_s, sec = line.split()
                out[int(float(n_s))] = float(sec)
        ver = subprocess.run(
            [rscript, "-e", "cat(R.version.string, as.character(packageVersion('survival')))"],
            capture_output=True, text=True, check=False,
        )
        print(f"R: {ver.stdout.strip()}")
        return out


# ---------------------------------------------------------------------------------- batch
def batch_benchmark(b: int, n: int, sample: int, landmark: float = 12.0) -> dict[str, float]:
    from lifelines import KaplanMeierFitter

    from survkit.estimate.batch import kaplan_meier_at

    rng = np.random.default_rng(7)
    t_event = rng.exponential(20.0, (b, n))
    t_cens = rng.uniform(0.0, 36.0, (b, n))
    time_ = np.round(np.minimum(t_event, t_cens), 1) + 0.1
    event = (t_event <= t_cens).astype(np.int64)

    sk_time, res = best_of(lambda: kaplan_meier_at(time_, event, [landmark], conf_type="log"), 3)

    def lifelines_loop() -> np.ndarray:
        out = np.empty((sample, 3))
        kmf = KaplanMeierFitter()
        for i in range(sample):
            kmf.fit(time_[i], event[i])
            s = kmf.survival_function_at_times(landmark).to_numpy()[0]
            ci = kmf.confidence_interval_  # lifelines: log-log only; same amount of work
            j = ci.index.searchsorted(landmark, side="right") - 1
            out[i] = (s, ci.iloc[j, 0], ci.iloc[j, 1])
        return out

    ll_time, ll = best_of(lifelines_loop, 1)
    # Sanity: the survival estimates agree on the subsample (past-the-end rows are NaN in
    # survkit, as R's summary drops them; lifelines carries the last value forward).
    s_sk = res.surv[:sample, 0]
    ok = np.isfinite(s_sk)
    if not np.allclose(s_sk[ok], ll[ok, 0], rtol=0, atol=1e-12):
        raise SystemExit("batch: survkit and lifelines disagree on S(12)")
    per_fit = ll_time / sample
    return {
        "survkit_s": sk_time,
        "lifelines_sample_s": ll_time,
        "lifelines_per_fit_ms": per_fit * 1e3,
        "lifelines_extrapolated_s": per_fit * b,
        "speedup": per_fit * b / sk_time,
    }


# ---------------------------------------------------------------------------------- main
def fmt_s(x: float | None) -> str:
    if x is None:
        return "skipped"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def shape_benchmark(shape: str, n: int, names: list[str], skip_slow: bool) -> dict[str, float]:
    """Median seconds per library (and ``np.sort``) on one shape and size, round-robin."""
    t, e = make_shape(shape, n)
    todo: dict[str, Callable[[], Any]] = {"np.sort": lambda: np.sort(t)}
    for name in names:
        if skip_slow and n >= 10_000_000 and name in SLOW_PEERS:
            continue
        fn = PEERS[name]
        todo[name] = lambda fn=fn: fn(t, e)
        if name == "survkit":
            todo["survkit + CI"] = lambda: fit_survkit_ci(t, e)
            todo["survkit 1 thread"] = lambda: fit_survkit_one_thread(t, e)
    reps = repeats_for(n)
    samples: dict[str, list[float]] = {k: [] for k in todo}
    for _ in range(reps):
        for name, fn in todo.items():
            samples[name].append(median_of(fn, 1))
    out = {k: float(np.median(v)) for k, v in samples.items()}
    out["distinct"] = float(np.unique(t).size)
    return out


def variant_benchmark(shape: str, n: int) -> dict[str, float]:
    """survkit unweighted, integer-weighted, fractional-weighted and left-truncated fits."""
    from survkit.estimate.km import kaplan_meier

    t, e = make_shape(shape, n)
    rng = np.random.default_rng(99)
    w_int = rng.integers(1, 4, n).astype(np.float64)
    w_frac = rng.uniform(0.5, 1.5, n)
    entry = t * rng.uniform(0.0, 0.5, n)
    if shape != "continuous":  # entry on the same grid as the times, still before them
        entry = np.floor(entry * 100) / 100 if shape == "two-decimals" else np.floor(entry)
        entry = np.where(entry >= t, t - 0.5, entry)
    todo: dict[str, Callable[[], Any]] = {  # each fit with surv and std_err, as above
        "unweighted": lambda: kaplan_meier(t, e).std_err,
        "integer weights": lambda: kaplan_meier(t, e, weights=w_int).std_err,
        "fractional weights": lambda: kaplan_meier(t, e, weights=w_frac).std_err,
        "entry": lambda: kaplan_meier(t, e, entry=entry).std_err,
    }
    samples: dict[str, list[float]] = {k: [] for k in todo}
    for _ in range(repeats_for(n)):
        for name, fn in todo.items():
            samples[name].append(median_of(fn, 1))
    return {k: float(np.median(v)) for k, v in samples.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--max-n", type=float, default=1e7, help="largest n (default 1e7)")
    p.add_argument("--shapes", default=",".join(SHAPES),
                   help=f"comma-separated shapes (default {','.join(SHAPES)})")
    p.add_argument("--skip-slow", action="store_true",
                   help="skip scipy and scikit-survival at n = 1e7 (never the fastest)")
    p.add_argument("--no-r", action="store_true", help="do not run R survfit")
    p.add_argument("--no-variants", action="store_true",
                   help="skip the weighted and left-truncated fits")
    p.add_argument("--batch-b", type=int, default=100_000, help="datasets in the batch")
    p.add_argument("--batch-sample", type=int, default=2000,
                   help="lifelines fits actually timed (then extrapolated to B)")
    p.add_argument("--no-batch", action="store_true")
    p.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                   help="time single fits by wall clock or by this process's CPU time "
                        "(the CPU time of all its threads)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads for survkit's kernels (default: survkit's own choice)")
    args = p.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    from survkit.estimate import threads

    threads.set_num_threads(args.threads)

    import lifelines
    import scipy
    import sksurv
    import statsmodels

    import survkit

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"numpy {np.__version__}, survkit {survkit.__version__}, lifelines "
          f"{lifelines.__version__}, statsmodels {statsmodels.__version__}, scipy "
          f"{scipy.__version__}, scikit-survival {sksurv.__version__}; survkit on "
          f"{threads.get_num_threads()} thread(s), every peer on one")
    sizes = [n for n in SIZES if n <= args.max_n]
    shapes = [x.strip() for x in args.shapes.split(",") if x.strip()]

    for shape in shapes:
        t, e = make_shape(shape, 10_000)
        check_agreement(t, e)
    print("sanity: all five libraries give the same KM curve on n = 1e4, every shape "
          "(|diff| <= 1e-10)\n")

    names = list(PEERS)
    peers = names[1:]
    rows: list[tuple[str, int, dict[str, float]]] = []
    for shape in shapes:
        for n in sizes:
            res = shape_benchmark(shape, n, names, args.skip_slow)
            rows.append((shape, n, res))
            print(f"  {shape:<13s} n={n:>10,d} " + " ".join(
                f"{k}={v:.3f}" for k, v in res.items() if k != "distinct"),
                file=sys.stderr, flush=True)

    print(f"Single fit, seconds of {'CPU' if args.clock == 'cpu' else 'wall'} time (median of "
          "15 / 3 repeats for n = 1e5 / larger, round-robin)")
    head = ("| shape | n | distinct | survkit | survkit + CI | survkit 1 thread | np.sort | "
            "survkit / np.sort | 1 thread / np.sort | "
            + " | ".join(peers) + " | fastest peer / survkit |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for shape, n, res in rows:
        sk = res["survkit"]
        have = {k: res[k] for k in peers if k in res}
        fastest = min(have, key=lambda k: have[k])
        cells = " | ".join(fmt_s(res.get(k)) for k in peers)
        one = res["survkit 1 thread"]
        print(f"| {shape} | {n:,d} | {int(res['distinct']):,d} | {fmt_s(sk)} | "
              f"{fmt_s(res.get('survkit + CI'))} | {fmt_s(one)} | "
              f"{fmt_s(res['np.sort'])} | {sk / res['np.sort']:.2f}x | "
              f"{one / res['np.sort']:.2f}x | {cells} | "
              f"{have[fastest] / sk:.2f}x ({fastest}) |")
    print("\nGoals: faster than the fastest peer everywhere (last column > 1); >= 3x on tied "
          "data; <= 1.2x np.sort on continuous (all distinct) data.")

    if not args.no_variants:
        print("\nWeighted and left-truncated fits (survkit), seconds and ratio to unweighted")
        print("| shape | n | unweighted | integer weights | fractional weights (IJ) | entry |")
        print("|---|---:|---:|---:|---:|---:|")
        for shape in shapes:
            for n in sizes:
                v = variant_benchmark(shape, n)
                u = v["unweighted"]
                cells = " | ".join(
                    f"{fmt_s(v[k])} ({v[k] / u:.2f}x)"
                    for k in ("integer weights", "fractional weights", "entry"))
                print(f"| {shape} | {n:,d} | {fmt_s(u)} | {cells} |", flush=True)
        print("Goal: weighted and entry fits within 1.5x of unweighted.")

    if not args.no_r:
        r = run_r(sizes)
        print("\nR survival survfit(Surv(t, e) ~ 1), whole-days shape, separate process, "
              "system.time elapsed:")
        if isinstance(r, str):
            print(f"  skipped: {r}")
        else:
            sk_days = {n: res["survkit"] for shape, n, res in rows if shape == "whole-days"}
            for n, sec in r.items():
                sk = sk_days.get(n)
                ratio = f"R/survkit {sec / sk:6.1f}x" if sk else ""
                print(f"{n:>12,d} R {fmt_s(sec):>8} s   {ratio}")

    if not args.no_batch:
        b = batch_benchmark(args.batch_b, 10, args.batch_sample)
        print(f"\nBatch: B = {args.batch_b:,d} trials of n = 10, S(12) with 95% CI")
        print(f"  survkit kaplan_meier_at (log CI), all B:       {b['survkit_s']:.3f} s")
        print(f"  lifelines KaplanMeierFitter loop, {args.batch_sample} fits timed: "
              f"{b['lifelines_sample_s']:.2f} s ({b['lifelines_per_fit_ms']:.2f} ms/fit)")
        print(f"  lifelines extrapolated to B = {args.batch_b:,d}:        "
              f"{b['lifelines_extrapolated_s']:.0f} s  (EXTRAPOLATED, not run)")
        print(f"  speed-up: {b['speedup']:.0f}x   (goal >= 500x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
