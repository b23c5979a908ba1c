"""``survkit ipd``: rebuild patient-level data from a digitized Kaplan–Meier curve.

One arm::

    survkit ipd curve.csv [--risk risk.csv] [--events E] [--n N] [--marks marks.csv]
                [--method auto|exact|guyot] [--surv-tol EPS]
                [--out ipd.csv] [--plot check.png]

Several arms (``--arm`` repeated; risk table and extras optional)::

    survkit ipd --arm A=a.csv,a_risk.csv,events=120 --arm B=b.csv,b_risk.csv --out ipd.csv

The curve CSV holds ``time, surv`` (fraction or percent), the risk CSV ``time, n_risk``
(columns found by name or position). Without ``--out`` the table goes to stdout and the accuracy
report to stderr; with ``--out`` the report goes to stdout. The report ends with the reasons not
to trust the fit, if any (lines starting "DO NOT TRUST"); with several arms it adds the Cox
hazard ratio of each arm against the first (Efron ties, as R coxph) and the log-rank test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from survkit.cli._io import (
    FIGURE_FORMATS,
    ROW_CONVENTION,
    OutputFiles,
    UsageError,
    check_output_file,
    numeric_column,
    read_csv,
    save_figure,
)
from survkit.errors import RowError
from survkit.ipd.reconstruct import (
    MAX_SURV_TOL,
    IPDResult,
    reconstruct_ipd,
    reconstruct_ipd_arms,
)


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
                   help="survival axis scale; auto (default) decides from the first point, the "
                        "median and where large values lie, and stops if they disagree")
    p.add_argument("--method", choices=["auto", "exact", "guyot"], default="auto",
                   help="exact: whole patients reproducing every step within --surv-tol and "
                        "every printed number at risk (curves read precisely, e.g. from a vector "
                        "figure); guyot: Guyot's rounding; auto (default): exact when --surv-tol "
                        "is given, else guyot, falling back to guyot (with a flag) when no exact "
                        "history exists")
    p.add_argument("--surv-tol", type=float, default=None, metavar="EPS",
                   help="how precisely each survival level is known, as a fraction (e.g. 1e-5 "
                        "for a vector figure); required with --method exact")
    p.add_argument(
        "--arm", action="append", default=[], metavar="NAME=CURVE[,RISK][,events=E][,n=N]",
        help="one arm; repeat for several arms (then do not give CURVE)",
    )
    p.add_argument("--out", help="write the reconstructed data here (CSV)")
    p.add_argument("--plot", help="write the accuracy figure here (.png at 300 dpi, .pdf, .svg)")
    p.set_defaults(func=run)


#: Header or not, per file read (for spreadsheet row numbers in error messages).
_HEADER: dict[str, bool] = {}


def _read_csv(path: str, what: str) -> pd.DataFrame:
    df = read_csv(path, what)
    header = True
    # A header-less file of numbers: re-read without a header.
    if all(_is_number(c) for c in df.columns):
        df = read_csv(path, what, header=None)
        header = False
    if df.shape[0] == 0:
        raise UsageError(f"{what}: {path} has no data rows")
    for j, c in enumerate(df.columns[:2]):
        df[c] = numeric_column(df[c], f"{what} {path}: column {j + 1} ({c!r})", header=header)
    _HEADER[path] = header
    return df


def _is_number(x: Any) -> bool:
    try:
        float(str(x))
    except ValueError:
        return False
    return True


def _marks(path: str | None, what: str = "--marks") -> Any:
    if path is None:
        return None
    df = _read_csv(path, what)
    return df.iloc[:, 0].to_numpy()


def _int_value(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"{what}: {text!r} is not a whole number") from None


def _parse_arm(spec: str, files: dict[str, str]) -> tuple[str, dict[str, Any]]:
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
    files["points"] = parts[0]
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        if eq:
            key = key.strip().lower()
            if key == "events":
                kw["total_events"] = _int_value(val, f"--arm {name} events")
            elif key == "n":
                kw["n"] = _int_value(val, f"--arm {name} n")
            elif key == "marks":
                kw["censor_marks"] = _marks(val.strip(), f"--arm {name} marks")
            else:
                raise UsageError(f"--arm {name}: unknown option {key!r} (events, n, marks)")
        elif "risk_table" in kw:
            raise UsageError(f"--arm {name}: more than one risk table given")
        else:
            kw["risk_table"] = _read_csv(part, f"--arm {name} risk")
            files["risk_table"] = part
    return name, kw


def _row_message(exc: RowError, files: dict[str, str]) -> str:
    """A library row error as the user's file shows it (spreadsheet row numbers)."""
    path = files.get(exc.argument)
    if path is None:
        return str(exc)
    header = _HEADER.get(path, True)
    row = exc.row + (2 if header else 1)
    conv = ROW_CONVENTION if header else "rows counted as in a spreadsheet (no header)"
    return f"{path}: {exc.problem}; row {row} has {exc.value!r} ({conv})"


def _check_options(args: argparse.Namespace) -> None:
    if args.n is not None and args.n < 1:
        raise UsageError(f"--n: must be at least 1, got {args.n}")
    if args.events is not None and args.events < 0:
        raise UsageError(f"--events: must be at least 0, got {args.events}")
    if args.surv_tol is not None and not (0 < args.surv_tol <= MAX_SURV_TOL):
        raise UsageError(f"--surv-tol: must be above 0 and at most {MAX_SURV_TOL:g}, got "
                         f"{args.surv_tol:g}")
    if args.method == "exact" and args.surv_tol is None:
        raise UsageError("--method exact needs --surv-tol (how precisely the levels are known)")
    if args.method == "guyot" and args.surv_tol is not None:
        raise UsageError("--surv-tol is used only by --method exact or auto, not guyot")
    if args.out:
        check_output_file(args.out, "--out")
    if args.plot:
        check_output_file(args.plot, "--plot", formats=FIGURE_FORMATS)
    if args.out and args.plot and Path(args.out).resolve() == Path(args.plot).resolve():
        raise UsageError(f"--out and --plot name the same file: {args.out}")


def run(args: argparse.Namespace) -> int:
    """Run ``survkit ipd``."""
    _check_options(args)
    files: dict[str, str] = {}
    try:
        res = _reconstruct(args, files)
    except RowError as exc:
        raise UsageError(_row_message(exc, files)) from None
    report = str(res)
    if isinstance(res.data, pd.DataFrame) and "arm" in res.data and res.data["arm"].nunique() > 1:
        report += "\n" + str(res.compare())
    table = res.to_frame()
    with OutputFiles() as staged:
        if args.plot:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            fig = res.plot().get_figure(root=True)
            try:
                save_figure(fig, staged.path(args.plot))
            finally:
                plt.close(fig)
        if args.out:
            table.to_csv(staged.path(args.out), index=False)
    if args.out:
        print(report)
    else:
        table.to_csv(sys.stdout, index=False)
        print(report, file=sys.stderr)
    return 0


def _reconstruct(args: argparse.Namespace, files: dict[str, str]) -> IPDResult:
    if args.arm:
        if args.curve or args.risk or args.events is not None or args.n is not None \
                or args.marks:
            raise UsageError("with --arm give curve, risk table, events and n inside each --arm")
        arms: dict[str, dict[str, Any]] = {}
        for spec in args.arm:
            arm_files: dict[str, str] = {}
            name, kw = _parse_arm(spec, arm_files)
            if name in arms:
                raise UsageError(f"--arm {name}: arm given twice")
            kw["scale"] = args.scale
            kw["method"] = args.method
            kw["surv_tol"] = args.surv_tol
            arms[name] = kw
            files.update({f"arm {name!r}: {k}": v for k, v in arm_files.items()})
        return reconstruct_ipd_arms(arms)
    if not args.curve:
        raise UsageError("a curve CSV (or --arm NAME=curve.csv,...) is required")
    files["points"] = args.curve
    if args.risk:
        files["risk_table"] = args.risk
    if args.marks:
        files["censor_marks"] = args.marks
    return reconstruct_ipd(
        _read_csv(args.curve, "curve"),
        risk_table=_read_csv(args.risk, "--risk") if args.risk else None,
        total_events=args.events,
        n=args.n,
        censor_marks=_marks(args.marks),
        scale=args.scale,
        method=args.method,
        surv_tol=args.surv_tol,
    )
