"""Cumulative-incidence speed: survkit against lifelines' AalenJohansenFitter and R survival.

The same data for every library: integer-day times with ties (exponential event times with
mean 1000 days, uniform censoring on [0, 3000] days, so about a third censored and ~3000
distinct times), the cause of each event drawn uniformly from 3 causes.

* survkit ``cumulative_incidence`` (all 3 causes in one fit, with the infinitesimal-jackknife
  SE and log CIs);
* lifelines ``AalenJohansenFitter(calculate_variance=True)``, one fit per cause (it estimates
  one cause at a time, and jitters tied times);
* R ``survfit(Surv(time, factor(cause)) ~ 1)`` via ``Rscript`` with ``system.time``, on the same
  numbers (written to a binary file), reported separately because it runs in another process.

Times are the best of a few repeats (wall clock). Slow peers are run once; above
``--peer-max-n`` they are not run and the table says so.

Usage::

    python benchmarks/bench_cif.py                   # n = 1e4, 1e5, 1e6 (peers up to 1e5)
    python benchmarks/bench_cif.py --peer-max-n 1e6  # peers at 1e6 too (several minutes)
"""

from __future__ import annotations

import argparse
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

SIZES = (10_000, 100_000, 1_000_000)


def make_data(n: int, seed: int = 20261201) -> tuple[np.ndarray, np.ndarray]:
    """Integer-day times with ties and causes 1..3 (0 censored)."""
    rng = np.random.default_rng(seed + n)
    ev = np.round(rng.exponential(1000.0, n))
    cz = np.round(rng.uniform(0.0, 3000.0, n))
    cause = np.where(ev <= cz, rng.integers(1, 4, n), 0)
    return np.minimum(ev, cz), cause


def best_of(fn: Callable[[], Any], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run_survkit(t: np.ndarray, c: np.ndarray) -> Any:
    from survkit.estimate.cif import cumulative_incidence

    return cumulative_incidence(t, c)


def run_lifelines(t: np.ndarray, c: np.ndarray) -> Any:
    from lifelines import AalenJohansenFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [AalenJohansenFitter(calculate_variance=True, seed=1).fit(t, c, event_of_interest=k)
                for k in (1, 2, 3)]


R_CODE = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[2])
con <- file(args[1], "rb"); t <- readBin(con, "double", n); c <- readBin(con, "double", n)
close(con)
el <- system.time(fit <- survfit(Surv(t, factor(c)) ~ 1))[["elapsed"]]
cat(sprintf("%.6f %.17g\n", el, fit$pstate[nrow(fit$pstate), 2]))
"""


def run_r(t: np.ndarray, c: np.ndarray) -> tuple[float, float] | None:
    """(R seconds, R's final cause-1 incidence), or None without Rscript."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        data, code = Path(tmp) / "d.bin", Path(tmp) / "b.R"
        with open(data, "wb") as fh:
            fh.write(np.asarray(t, "<f8").tobytes())
            fh.write(np.asarray(c, "<f8").tobytes())
        code.write_text(R_CODE)
        out = subprocess.run([rscript, str(code), str(data), str(t.size)], capture_output=True,
                             text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--peer-max-n", type=float, default=1e5,
                    help="largest n at which lifelines and R are run (default 1e5)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-r", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    print(f"# Python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    print("| n | survkit (s) | lifelines AJF x3 causes (s) | R survfit (s) | lifelines / survkit |"
          " R / survkit | max abs diff vs R (F_1 at end) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in sizes:
        t, c = make_data(n)
        run_survkit(t, c)  # warm-up
        sk = best_of(lambda t=t, c=c: run_survkit(t, c), args.repeats)
        fit = run_survkit(t, c)
        peers = n <= args.peer_max_n
        ll = best_of(lambda t=t, c=c: run_lifelines(t, c), 1) if peers else float("nan")
        r = None if (args.no_r or not peers) else run_r(t, c)
        r_s = r[0] if r else float("nan")
        diff = abs(float(fit.estimate[-1, 0]) - r[1]) if r else float("nan")

        def fmt(x: float) -> str:
            return "not run" if np.isnan(x) else f"{x:.3f}"

        def ratio(x: float, sk: float = sk) -> str:
            return "" if np.isnan(x) else f"{x / sk:.0f}x"

        print(f"| {n:,} | {sk:.3f} | {fmt(ll)} | {fmt(r_s)} | {ratio(ll)} | {ratio(r_s)} | "
              f"{'' if np.isnan(diff) else f'{diff:.1e}'} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
