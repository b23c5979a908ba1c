"""``survkit ipd``: rebuild patient-level data from a digitized Kaplan–Meier curve.

One arm::

    survkit ipd curve.csv [--risk risk.csv] [--events E] [--n N] [--marks marks.csv]
                [--out ipd.csv] [--plot check.png]

Several arms (``--arm`` repeated; risk table and extras optional)::

    survkit ipd --arm A=a.csv,a_risk.csv,events=120 --arm B=b.csv,b_risk.csv --out ipd.csv

The curve CSV holds ``time, surv`` (fraction or percent), the risk CSV ``time, n_risk``
(columns found by name or position). Without ``--out`` the table goes to stdout and the accuracy
report to stderr; with ``--out`` the report goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from survkit.cli._io import UsageError, atomic_path, atomic_write
from survkit.ipd.reconstruct import reconstruct_ipd, reconstruct_ipd_arms


def register(sub: Any) -> None:
    """Add the ``ipd`` subcommand."""
    p = sub.add_parser(
        "ipd",
        help="reconstruct patient-level data from a digitized KM curve (Guyot algorithm)",
        description=(
            "Rebuild time/event data from a digitized Kaplan-Meier curve (CSV time,surv) and "
            "optionally the printed number-at-risk table (CSV time,n_risk). Printed numbers "
            "at risk and --events are met exactly."
        ),
    )
    p.add_argument("curve", nargs="?", help="digitized curve CSV (time, surv)")
    p.add_argument("--risk", help="risk table CSV (time, n_risk)")
    p.add_argument("--events", type=int, help="total number of events (met exactly)")
    p.add_argument("--n", type=int, help="number of patients (required without --risk)")
    p.add_argument("--marks", help="CSV (or text) with the times of censoring ticks, one column")
    p.add_argument("--scale", choices=["auto", "fraction", "percent"], default="auto",
                   help="survival axis scale (default: auto)")
    p.add_argument(
        "--arm", action="append", default=[], metavar="NAME=CURVE[,RISK][,events=E][,n=N]",
        help="one arm; repeat for several arms (then do not give CURVE)",
    )
    p.add_argument("--out", help="write the reconstructed data here (CSV)")
    p.add_argument("--plot", help="write the accuracy figure here (PNG, PDF or SVG)")
    p.set_defaults(func=run)


def _read_csv(path: str, what: str) -> pd.DataFrame:
    if not Path(path).is_file():
        raise FileNotFoundError(f"{what}: no such file: {path}")
    try:
        df = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what}: cannot read {path} as CSV: {exc}") from None
    # A header-less file of numbers: re-read without a header.
    if all(_is_number(c) for c in df.columns):
        df = pd.read_csv(path, header=None)
    return df


def _is_number(x: Any) -> bool:
    try:
        float(str(x))
    except ValueError:
        return False
    return True


def _marks(path: str | None) -> Any:
    if path is None:
        return None
    df = _read_csv(path, "--marks")
    return df.iloc[:, 0].to_numpy()


def _int_value(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a whole number") from None


def _parse_arm(spec: str) -> tuple[str, dict[str, Any]]:
    if "=" not in spec:
        raise UsageError(f"--arm {spec!r}: expected NAME=curve.csv[,risk.csv]")
    name, rest = spec.split("=", 1)
    name = name.strip()
    if not name:
        raise UsageError(f"--arm {spec!r}: empty arm name")
    parts = [x.strip() for x in rest.split(",") if x.strip()]
    if not parts:
        raise UsageError(f"--arm {spec!r}: no curve file")
    kw: dict[str, Any] = {"points": _read_csv(parts[0], f"--arm {name}")}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        if eq:
            key = key.strip().lower()
            if key == "events":
                kw["total_events"] = _int_value(val, f"--arm {name} events")
            elif key == "n":
                kw["n"] = _int_value(val, f"--arm {name} n")
            elif key == "marks":
                kw["censor_marks"] = _marks(val)
            else:
                raise UsageError(f"--arm {name}: unknown option {key!r} (events, n, marks)")
        elif "risk_table" in kw:
            raise UsageError(f"--arm {name}: more than one risk table given")
        else:
            kw["risk_table"] = _read_csv(part, f"--arm {name} risk")
    return name, kw


def run(args: argparse.Namespace) -> int:
    """Run ``survkit ipd``."""
    if args.arm:
        if args.curve or args.risk or args.events is not None or args.n is not None \
                or args.marks:
            raise UsageError("with --arm give curve, risk table, events and n inside each --arm")
        arms: dict[str, dict[str, Any]] = {}
        for spec in args.arm:
            name, kw = _parse_arm(spec)
            if name in arms:
                raise UsageError(f"--arm {name}: arm given twice")
            kw["scale"] = args.scale
            arms[name] = kw
        ipd = reconstruct_ipd_arms(arms)
    else:
        if not args.curve:
            raise UsageError("a curve CSV (or --arm NAME=curve.csv,...) is required")
        ipd = reconstruct_ipd(
            _read_csv(args.curve, "curve"),
            risk_table=_read_csv(args.risk, "--risk") if args.risk else None,
            total_events=args.events,
            n=args.n,
            censor_marks=_marks(args.marks),
            scale=args.scale,
        )
    report = ipd.attrs["report"]
    table = ipd.copy()
    table.attrs = {}
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = report.plot()
        with atomic_path(args.plot) as tmp:
            ax.figure.savefig(tmp, dpi=150, bbox_inches="tight",
                              format=Path(args.plot).suffix.lstrip(".") or "png")
        plt.close(ax.figure)
    if args.out:
        atomic_write(args.out, lambda fh: table.to_csv(fh, index=False))
        print(report)
    else:
        table.to_csv(sys.stdout, index=False)
        print(report, file=sys.stderr)
    return 0
