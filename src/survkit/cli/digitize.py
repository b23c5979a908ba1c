"""``survkit digitize``: read a Kaplan–Meier figure into curves, numbers at risk and IPD.

::

    survkit digitize FIGURE --out DIR [--json] [--arms A,B] [--x-range 0,60] [--y-range 0,1]
                     [--page N] [--strict]

Writes into DIR (filled under a temporary name and swapped in whole, never half-written):
``curves.csv`` (arm, time, surv); ``risk_table.csv`` (arm, time, n_risk) when the figure has a
number-at-risk table; ``censor_marks.csv`` (arm, time) when marks are drawn; ``ipd.csv`` (arm,
time, event) through :func:`survkit.reconstruct_ipd_arms` when the table (or ``--n``) gives the
numbers of patients; and ``overlay.png``. ``--json`` prints a summary (arms, calibration, what
was read, warnings) on stdout.

Exit codes: 0 read with confidence; 1 read with warnings and ``--strict``; 2 bad input or a
figure that cannot be read (one line on stderr naming what failed).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path
from typing import Any

from survkit.cli._io import (
    UsageError,
    atomic_dir,
    check_output_dir,
    parse_float_list,
    save_figure,
)


def register(sub: Any) -> None:
    """Add the ``digitize`` subcommand."""
    p = sub.add_parser(
        "digitize",
        help="read KM curves, censor marks and the at-risk table from a figure (PDF/SVG/PNG/JPEG)",
        description=(
            "Read the Kaplan-Meier curves of a published figure: vector PDF/SVG exactly, "
            "PNG/JPEG by tracing and OCR. Writes curves.csv, risk_table.csv, ipd.csv and "
            "overlay.png to --out."
        ),
    )
    p.add_argument("figure", help="the figure file (PDF, SVG, PNG or JPEG)")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("--arms", help="arm names in legend order, comma-separated")
    p.add_argument("--x-range", help="time at the left and right ends of the plot frame "
                   "(only used when the x tick labels cannot be read)")
    p.add_argument("--y-range", help="survival at the bottom and top of the plot frame "
                   "(only used when the y tick labels cannot be read)")
    p.add_argument("--n", help="patients per arm when there is no risk table (e.g. 120,118)")
    p.add_argument("--page", type=int, default=0, help="PDF page (0-based, default 0)")
    p.add_argument("--no-overlay", action="store_true", help="do not draw overlay.png")
    p.add_argument("--strict", action="store_true",
                   help="exit with code 1 when the figure was read with warnings")
    p.set_defaults(func=run)


def _pair(text: str | None, name: str) -> tuple[float, float] | None:
    if text is None:
        return None
    vals = parse_float_list(text, name)
    if len(vals) != 2:
        raise UsageError(f"{name}: expected two numbers LOW,HIGH, got {text!r}")
    return (vals[0], vals[1])


def run(args: argparse.Namespace) -> int:
    """Run ``survkit digitize``."""
    from survkit.digitize import DigitizeWarning, digitize

    arms = [a.strip() for a in args.arms.split(",")] if args.arms else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DigitizeWarning)
        try:
            d = digitize(args.figure, arms=arms, x_range=_pair(args.x_range, "--x-range"),
                         y_range=_pair(args.y_range, "--y-range"), page=args.page)
        except ImportError as exc:
            raise UsageError(str(exc)) from None
    check_output_dir(args.out, "--out")  # before any work is written
    n = None
    if args.n:
        counts = parse_float_list(args.n, "--n")
        if len(counts) != len(d.curves):
            raise UsageError(f"--n: {len(counts)} numbers for {len(d.curves)} arms")
        n = {c.arm: int(v) for c, v in zip(d.curves, counts, strict=True)}
    ipd = None
    ipd_error = None
    if d.has_risk_table or n is not None:
        try:
            ipd = d.ipd(n=n)
        except ValueError as exc:
            ipd_error = str(exc).splitlines()[0]
    else:
        ipd_error = "no number-at-risk table and no --n: ipd.csv not written"
    files = {"curves": "curves.csv"}
    # the directory is filled under a temporary name and swapped in whole
    with atomic_dir(args.out, "--out") as tmp:
        d.to_frame().to_csv(tmp / "curves.csv", index=False)
        if any(len(c.n_risk) for c in d.curves):
            d.risk_frame().to_csv(tmp / "risk_table.csv", index=False)
            files["risk_table"] = "risk_table.csv"
        if any(len(c.censor_times) for c in d.curves):
            d.marks_frame().to_csv(tmp / "censor_marks.csv", index=False)
            files["censor_marks"] = "censor_marks.csv"
        if ipd is not None:
            table = ipd.to_frame()[["arm", "time", "event"]]
            table.attrs = {}
            table.to_csv(tmp / "ipd.csv", index=False)
            files["ipd"] = "ipd.csv"
        if not args.no_overlay:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            fig = d.plot().figure
            try:
                save_figure(fig, tmp / "overlay.png", dpi=150)
            finally:
                plt.close(fig)  # type: ignore[arg-type]
            files["overlay"] = "overlay.png"
    out = Path(args.out)
    summary = d.summary()
    summary["files"] = files
    if ipd_error:
        summary["ipd_error"] = ipd_error
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        arms_txt = ", ".join(f"{c.arm} ({len(c.time)} steps"
                             + (f", {len(c.n_risk)} at-risk cells" if len(c.n_risk) else "")
                             + ")" for c in d.curves)
        print(f"{args.figure}: {d.kind}, {len(d.curves)} curve(s): {arms_txt}; "
              f"wrote {', '.join(files.values())} to {out}")
        for w in d.warnings:
            print(f"warning: {w}", file=sys.stderr)
        if ipd_error:
            print(f"note: {ipd_error}", file=sys.stderr)
    return 1 if (args.strict and d.warnings) else 0
