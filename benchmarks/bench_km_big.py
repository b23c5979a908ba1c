"""Kaplan-Meier past memory: a Parquet file of up to 1e8 rows by 10 groups, out-of-core.

Each measurement runs in a fresh subprocess so that its peak resident memory
(``getrusage`` ``ru_maxrss``) is its own:

* ``generate`` -- writes the file in row groups of 1e6 rows (never the whole table in
  memory): whole-day times (Exp(mean 1000 days) events, Uniform(0, 3000) censoring, about
  3000 distinct times), event 0/1, group ``g`` in 0..9;
* ``duckdb`` -- ``kaplan_meier("t", "e", data=path, by="g")``: DuckDB scans the file and
  returns the counts per (group, time, event); wall time and peak RSS of the process;
* ``dask`` -- the same through ``dask.dataframe.read_parquet`` on a 2-worker
  ``LocalCluster`` (one thread each); wall time, peak RSS of the client process and of each
  worker;
* ``pandas`` -- for the smaller files only: ``pd.read_parquet`` then the in-memory fit, the
  baseline (and the check that the engine's fits equal it at 1e-12).

How cost grows with the number of distinct times is measured at n = 1e7 with times rounded
to whole days, to 0.01 and 0.001 month, and continuous.

Usage::

    python benchmarks/bench_km_big.py                    # n = 1e6, 1e7, 1e8 + distinct times
    python benchmarks/bench_km_big.py --sizes 1e6,1e7    # smaller
    python benchmarks/bench_km_big.py --no-dask

Files go to a temporary directory (``--dir``, default under /tmp) and are deleted after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROWS_PER_GROUP = 1_000_000
SHAPES = ("whole-days", "0.01-month", "0.001-month", "continuous")


def generate(path: str, n: int, shape: str, seed: int = 2026) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema([("t", pa.float64()), ("e", pa.int8()), ("g", pa.int8())])
    t0 = time.perf_counter()
    with pq.ParquetWriter(path, schema, compression="snappy") as w:
        left = n
        while left > 0:
            k = min(ROWS_PER_GROUP, left)
            te = rng.exponential(1000.0, k)
            tc = rng.uniform(0.0, 3000.0, k)
            days = np.minimum(te, tc)
            if shape == "whole-days":
                t = np.ceil(days)
            elif shape == "0.01-month":
                t = np.round(days / 30.4375, 2)
            elif shape == "0.001-month":
                t = np.round(days / 30.4375, 3)
            else:
                t = days / 30.4375
            tab = pa.table({"t": t, "e": (te <= tc).astype(np.int8),
                            "g": rng.integers(0, 10, k).astype(np.int8)}, schema=schema)
            w.write_table(tab)
            left -= k
    return {"seconds": time.perf_counter() - t0, "bytes": os.path.getsize(path)}


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def digest(res: Any) -> dict[str, Any]:
    """A small summary of the fits (to compare engines), JSON-friendly."""
    return {k: {"n": f.n, "events": f.n_events_total, "distinct": int(f.time.size),
                "median": f.median().estimate, "surv_sum": float(f.surv.sum())}
            for k, f in res.items()}


def run_duckdb(path: str) -> dict[str, Any]:
    from survkit import kaplan_meier

    t0 = time.perf_counter()
    res = kaplan_meier("t", "e", data=Path(path), by="g")
    sec = time.perf_counter() - t0
    return {"seconds": sec, "peak_rss_mb": peak_mb(), "fits": digest(res)}


def run_pandas(path: str) -> dict[str, Any]:
    import pandas as pd

    from survkit import kaplan_meier

    t0 = time.perf_counter()
    df = pd.read_parquet(path)
    res = kaplan_meier("t", "e", data=df, by="g")
    sec = time.perf_counter() - t0
    return {"seconds": sec, "peak_rss_mb": peak_mb(), "fits": digest(res)}


def run_dask(path: str) -> dict[str, Any]:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from survkit import kaplan_meier

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit="2GiB") as cluster, \
            Client(cluster) as client:
        ddf = dd.read_parquet(path, split_row_groups=True)  # a partition per row group
        t0 = time.perf_counter()
        res = kaplan_meier("t", "e", data=ddf, by="g")
        sec = time.perf_counter() - t0
        workers = client.run(peak_mb)
    return {"seconds": sec, "peak_rss_mb": peak_mb(),
            "worker_peak_rss_mb": sorted(workers.values()), "fits": digest(res)}


RUNNERS = {"duckdb": run_duckdb, "pandas": run_pandas, "dask": run_dask}


def child(argv: list[str]) -> int:
    mode, path = argv[0], argv[1]
    if mode == "generate":
        out = generate(path, int(float(argv[2])), argv[3])
    else:
        out = RUNNERS[mode](path)
    print("RESULT " + json.dumps(out))
    return 0


def in_subprocess(*args: str) -> dict[str, Any]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True, env=env, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            out: dict[str, Any] = json.loads(line[7:])
            return out
    raise SystemExit(f"{args[0]} failed:\n{proc.stderr[-2000:]}")


def same_fits(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for k in a:
        x, y = a[k], b[k]
        for f in ("n", "events", "distinct"):
            if x[f] != y[f]:
                return False
        if not np.isclose(x["surv_sum"], y["surv_sum"], rtol=1e-12, atol=0):
            return False
        if not (x["median"] == y["median"] or (np.isnan(x["median"]) and np.isnan(y["median"]))):
            return False
    return set(a) == set(b)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        return child(argv[1:])
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="1e6,1e7,1e8")
    p.add_argument("--pandas-max", type=float, default=1e7,
                   help="largest n also fitted in memory with pandas (default 1e7)")
    p.add_argument("--no-dask", action="store_true")
    p.add_argument("--no-distinct", action="store_true",
                   help="skip the distinct-times series at n = 1e7")
    p.add_argument("--dir", default=None, help="where to write the files (default: a temp dir)")
    args = p.parse_args(argv)

    import dask
    import duckdb

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, duckdb "
          f"{duckdb.__version__}, dask {dask.__version__}")
    sizes = [int(float(x)) for x in args.sizes.split(",") if x.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="survkit-big-", dir=args.dir))
    rows = []
    try:
        series = [("whole-days", n) for n in sizes]
        if not args.no_distinct:
            series += [(s, 10_000_000) for s in SHAPES[1:]]
        for shape, n in series:
            path = tmp / f"{shape}-{n}.parquet"
            gen = in_subprocess("generate", str(path), str(n), shape)
            row: dict[str, Any] = {"shape": shape, "n": n, "mb": gen["bytes"] / 2**20}
            row["duckdb"] = in_subprocess("duckdb", str(path))
            if n <= args.pandas_max:
                row["pandas"] = in_subprocess("pandas", str(path))
            if not args.no_dask and shape == "whole-days":
                row["dask"] = in_subprocess("dask", str(path))
            ref = row["duckdb"]["fits"]
            for other in ("pandas", "dask"):
                if other in row and not same_fits(ref, row[other]["fits"]):
                    raise SystemExit(f"{other} and duckdb disagree at {shape} n={n}")
            row["distinct"] = sum(f["distinct"] for f in ref.values())
            rows.append(row)
            path.unlink()
            print(f"  done {shape} n={n:,d}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("\nOut-of-core Kaplan-Meier by 10 groups (wall seconds; peak RSS of the process, MB)")
    print("| times | n | file MB | distinct times (sum over groups) | DuckDB s | DuckDB peak MB | "
          "Dask 2 workers s | Dask client / worker peak MB | pandas s | pandas peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        d = r["duckdb"]
        dk = r.get("dask")
        pd_ = r.get("pandas")
        dask_cells = (f"{dk['seconds']:.1f} | {dk['peak_rss_mb']:.0f} / "
                      f"{max(dk['worker_peak_rss_mb']):.0f}") if dk else "- | -"
        pd_cells = f"{pd_['seconds']:.1f} | {pd_['peak_rss_mb']:.0f}" if pd_ else "- | -"
        print(f"| {r['shape']} | {r['n']:,d} | {r['mb']:.0f} | {r['distinct']:,d} | "
              f"{d['seconds']:.1f} | {d['peak_rss_mb']:.0f} | {dask_cells} | {pd_cells} |")
    print("\nEvery engine's fits equal DuckDB's (n, events, times, median, sum of S at 1e-12).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
