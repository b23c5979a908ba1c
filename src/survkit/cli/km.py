"""``survkit km``: Kaplan-Meier summaries and figure from a CSV or Parquet file, as R prints them.

A Parquet file (or any file with ``--engine duckdb``) is counted out-of-core by DuckDB: the
rows never come into memory, only the counts per group and time (see
:mod:`survkit.estimate.engines`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survkit.cli._io import (
    FIGURE_FORMATS,
    ROW_CONVENTION,
    OutputFiles,
    UsageError,
    check_output_file,
    numeric_column,
    parse_float_list,
    read_csv,
    save_figure,
)
from survkit.estimate.engines import PARQUET_SUFFIXES, scan_path
from survkit.estimate.km import KaplanMeier, KaplanMeierGroups, kaplan_meier


def register(sub: Any) -> None:
    """Add the ``km`` subcommand."""
    p = sub.add_parser(
        "km",
        help="Kaplan-Meier summaries (n, events, median with CI, values at times) and figure",
        description=(
            "Fit Kaplan-Meier curves from a CSV file (numerically identical to R survfit) and "
            "print R-style summaries; optionally write a figure, a table or JSON."
        ),
    )
    p.add_argument("data", nargs="?",
                   help="CSV or Parquet file (omit with --example); Parquet is counted "
                        "out-of-core by DuckDB")
    p.add_argument("--example", choices=["aml", "lung"], help="use a bundled example dataset")
    p.add_argument("--time", help="time column (default: time)", default="time")
    p.add_argument("--event", help="event column, 1/0 or true/false (default: status)",
                   default="status")
    p.add_argument("--entry", help="entry (left-truncation) time column")
    p.add_argument("--weights", help="case-weight column")
    p.add_argument("--by", help="group column: one curve per group, plus a log-rank test")
    p.add_argument("--conf-type", default="log",
                   help="plain, log (default), log-log, logit or arcsin")
    p.add_argument("--conf-level", type=float, default=0.95,
                   help="level of the confidence intervals, between 0 and 1 (default: 0.95)")
    p.add_argument("--times", help="comma-separated times for values at times, e.g. 6,12,24")
    p.add_argument("--plot", help="write the figure here (.png at 300 dpi, .pdf or .svg)")
    p.add_argument("--risk-table", action="store_true", help="add a number-at-risk table")
    p.add_argument("--table", help="write the values at --times (or the whole curve) as CSV")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--engine", choices=["auto", "pandas", "duckdb"], default="auto",
                   help="how to read the file: pandas (in memory) or duckdb (out-of-core: "
                        "only counts per group and time come back); auto (default) uses "
                        "duckdb for Parquet, pandas for CSV")
    p.set_defaults(func=run)


def _read(args: argparse.Namespace) -> pd.DataFrame:
    if args.example:
        if args.data:
            raise UsageError("give either a CSV file or --example, not both")
        from survkit.datasets import load_example

        return load_example(args.example)
    if not args.data:
        raise UsageError("a CSV file (or --example NAME) is required")
    df = read_csv(args.data, "data")
    if df.shape[0] == 0:
        raise UsageError(f"data: {args.data} has a header but no data rows")
    return df


def _engine(args: argparse.Namespace) -> str:
    """``"duckdb"`` or ``"pandas"`` for this run (see ``--engine``)."""
    if args.engine != "auto":
        return str(args.engine)
    if args.data and Path(args.data).suffix.lower() in PARQUET_SUFFIXES:
        return "duckdb"
    return "pandas"


def _fit_out_of_core(args: argparse.Namespace) -> KaplanMeier | KaplanMeierGroups:
    """The fits of a file counted by DuckDB (nothing but the counts comes into memory)."""
    if args.example or not args.data:
        raise UsageError("--engine duckdb needs a CSV or Parquet file (not --example)")
    if args.weights:
        raise UsageError("--weights needs the rows in memory: use --engine pandas")
    try:
        rel = scan_path(args.data)
    except ImportError:
        raise UsageError("reading with DuckDB needs the duckdb package: "
                         "pip install 'survkit[engines]'") from None
    for opt in ("time", "event", "entry", "by"):
        col = getattr(args, opt)
        if col is not None and col not in rel.columns:
            raise UsageError(f"--{opt}: column {col!r} not in the data (columns: "
                             f"{', '.join(map(str, rel.columns))})")
    return kaplan_meier(
        args.time, args.event, entry=args.entry, data=rel, by=args.by,
        conf_type=args.conf_type, conf_level=args.conf_level,
    )


def _fit_in_memory(args: argparse.Namespace) -> KaplanMeier | KaplanMeierGroups:
    """The fits of a CSV file (or example) read with pandas, every row checked."""
    df = _read(args)
    for opt in ("time", "event", "entry", "weights", "by"):
        col = getattr(args, opt)
        if col is not None and col not in df.columns:
            raise UsageError(f"--{opt}: column {col!r} not in the data (columns: "
                             f"{', '.join(map(str, df.columns))})")
    df = df.copy()
    df[args.event] = _events(df[args.event], f"--event {args.event!r}")
    src = args.data or f"example {args.example}"
    for opt in ("time", "entry", "weights"):
        col = getattr(args, opt)
        if col is not None:
            df[col] = numeric_column(df[col], f"{src}: --{opt} column {col!r}",
                                     nonnegative=opt != "entry")
    if args.entry is not None:
        late = (df[args.entry] >= df[args.time]).to_numpy()
        if late.any():
            i = int(np.argmax(late))
            raise UsageError(
                f"{src}: --entry column {args.entry!r} must be below the time; row {i + 2} has "
                f"entry {df[args.entry].iloc[i]:g} >= time {df[args.time].iloc[i]:g} "
                f"({ROW_CONVENTION})"
            )
    if args.by is not None:
        missing = df[args.by].isna().to_numpy() | (df[args.by].astype(str).str.strip() == "")
        if missing.any():
            i = int(np.argmax(missing))
            raise UsageError(f"{src}: --by column {args.by!r}: row {i + 2} is empty "
                             f"({ROW_CONVENTION})")
    return kaplan_meier(
        args.time, args.event, entry=args.entry, weights=args.weights, data=df, by=args.by,
        conf_type=args.conf_type, conf_level=args.conf_level,
    )


def _events(col: pd.Series, name: str) -> np.ndarray:
    """The event column as 0/1; the first bad cell is named by its spreadsheet row."""
    if col.dtype == object or col.dtype == bool:
        low = col.astype(str).str.strip().str.lower()
        mapping = {"true": 1, "false": 0, "1": 1, "0": 0, "1.0": 1, "0.0": 0, "yes": 1, "no": 0}
        bad = ~low.isin(list(mapping))
        values = low.map(mapping)
    else:
        num = pd.to_numeric(col, errors="coerce")
        bad = ~num.isin([0, 1])
        values = num
    if bad.any():
        i = int(np.argmax(bad.to_numpy()))
        raise ValueError(f"{name}: row {i + 2} has {col.iloc[i]!r}, expected 1/0 or "
                         f"true/false ({ROW_CONVENTION})")
    return values.to_numpy(dtype=np.int64)


def _num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _summary_row(label: str | None, fit: KaplanMeier) -> dict[str, Any]:
    m = fit.median()
    return {
        "group": label,
        "n": int(fit.n),
        "events": fit.n_events_total,
        "median": m.estimate,
        "lower": m.lower,
        "upper": m.upper,
    }


def _fmt(v: float) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "NA"
    return f"{v:.4g}"


def _check_options(args: argparse.Namespace) -> list[float] | None:
    """Option values checked before any file is read (errors name the option)."""
    if not 0.0 < args.conf_level < 1.0:
        raise UsageError(
            f"--conf-level: must be between 0 and 1 (exclusive), got {args.conf_level:g}"
        )
    if args.plot:
        check_output_file(args.plot, "--plot", formats=FIGURE_FORMATS)
    if args.table:
        check_output_file(args.table, "--table")
    if args.plot and args.table and Path(args.plot).resolve() == Path(args.table).resolve():
        raise UsageError(f"--plot and --table name the same file: {args.plot}")
    return parse_float_list(args.times, "--times", nonnegative=True) if args.times else None


def run(args: argparse.Namespace) -> int:
    """Run ``survkit km``."""
    times = _check_options(args)
    res = _fit_out_of_core(args) if _engine(args) == "duckdb" else _fit_in_memory(args)
    fits: dict[str | None, KaplanMeier] = (
        dict(res.items()) if isinstance(res, KaplanMeierGroups) else {None: res}
    )
    summary = pd.DataFrame([_summary_row(k, f) for k, f in fits.items()])
    at_tables = {k: f.at(times) for k, f in fits.items()} if times else {}
    lr = None
    no_logrank = ""
    if isinstance(res, KaplanMeierGroups):
        if args.weights or args.entry:
            given = " and ".join(o for o, v in (("--weights", args.weights),
                                                ("--entry", args.entry)) if v)
            no_logrank = (f"log-rank test not computed: R survdiff does not support {given}")
        else:
            lr = res.logrank()

    # Files first (staged, committed together), then stdout: a failure leaves nothing half-done.
    with OutputFiles() as staged:
        _write_files(args, staged, res, fits, at_tables, times)
    _print(args, summary, fits, at_tables, times, lr, no_logrank)
    return 0


def _write_files(args: argparse.Namespace, staged: OutputFiles, res: Any,
                 fits: dict[str | None, KaplanMeier], at_tables: dict[Any, pd.DataFrame],
                 times: list[float] | None) -> None:
    if args.table:
        if times:
            frames = [t.assign(group=k) for k, t in at_tables.items()]
        else:
            frames = [f.to_frame().assign(group=k) for k, f in fits.items()]
        table = pd.concat(frames, ignore_index=True)
        if args.by is None:
            table = table.drop(columns="group")
        table.to_csv(staged.path(args.table), index=False)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = res.plot(risk_table=args.risk_table, median_line=True)
        fig = out.figure
        try:
            save_figure(fig, staged.path(args.plot))
        finally:
            plt.close(fig)


def _print(args: argparse.Namespace, summary: pd.DataFrame, fits: dict[str | None, KaplanMeier],
           at_tables: dict[Any, pd.DataFrame], times: list[float] | None, lr: Any,
           no_logrank: str) -> int:
    level = f"{args.conf_level * 100:g}"
    if args.json:
        payload: dict[str, Any] = {
            "conf_type": next(iter(fits.values())).conf_type,
            "conf_level": args.conf_level,
            "summary": [
                {k: (v if k in ("group", "n") else _num(v)) for k, v in row.items()}
                for row in summary.to_dict("records")
            ],
        }
        if times:
            payload["at"] = {
                str(k) if k is not None else "all": t.replace({np.nan: None}).to_dict("list")
                for k, t in at_tables.items()
            }
        if lr is not None:
            payload["logrank"] = {"chisq": lr.statistic, "df": lr.df, "p": lr.p_value}
        elif no_logrank:
            payload["logrank"] = None
            payload["notes"] = [no_logrank]
        json.dump(payload, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0

    ct = next(iter(fits.values())).conf_type
    print(f"Kaplan-Meier ({ct} CI, {level}%)")
    header = f"{'':16s}{'n':>6s}{'events':>8s}{'median':>9s}{f'{level}LCL':>9s}{f'{level}UCL':>9s}"
    print(header)
    for row in summary.to_dict("records"):
        name = "" if row["group"] is None else f"{args.by}={row['group']}"
        print(f"{name[:16]:16s}{row['n']:6d}{_fmt(row['events']):>8s}{_fmt(row['median']):>9s}"
              f"{_fmt(row['lower']):>9s}{_fmt(row['upper']):>9s}")
    if lr is not None:
        print(f"\nLog-rank: chisq = {lr.statistic:.4g} on {lr.df} df, p = {lr.p_value:.4g}")
    elif no_logrank:
        print(f"\nnote: {no_logrank}")
    for k, t in at_tables.items():
        print("\n" + (f"{args.by}={k}" if k is not None else "Values at times"))
        cols = ["time", "n_risk", "n_event", "surv", "std_err", "lower", "upper"]
        print(t[cols].rename(columns={"lower": f"lower {level}% CI",
                                      "upper": f"upper {level}% CI"}).to_string(
            index=False, float_format=lambda v: f"{v:.4f}"))
    if args.plot:
        print(f"\nfigure: {args.plot}")
    if args.table:
        print(f"table: {args.table}")
    return 0
