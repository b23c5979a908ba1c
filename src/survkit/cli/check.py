"""``survkit check``: is a printed survival estimate with its CI possible, and how was it made?

::

    survkit check "68% (95% CI, 43 to 100)" --n 10
    survkit check "6-month 80% (61, 91)" "12-month 68% (43, 100)" --n 10   # joint landmarks
    survkit check "HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002" --events 220
    survkit check "54% (95% CI, 29 to 100)" --n 10 --rounding nearest
    survkit check --csv endpoints.csv --out report.csv

Several texts are dispatched by kind: hazard ratios are checked one by one (``check_hr``), the
survival estimates together as landmarks of one endpoint (``check_ci``). A verdict that holds
only if the paper truncated its numbers is marked "only if truncated".

The batch CSV has a ``text`` column or ``estimate,lower,upper`` columns (printed numbers), and
optionally ``n``, ``n_risk_at``, ``events_before``, ``conf_level``. Every input row gives one
report row (``kind`` says which check ran); a bad row gets its error in the ``error`` column
instead of stopping the batch. ``row`` counts as a spreadsheet does (the header is row 1).

Exit codes: 0 consistent (batch: done), 1 inconsistent (no CI method, or a failed hazard-ratio
check), 2 bad input, 3 undecided within the search budget.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from survkit.check.batch import check_table
from survkit.check.catalogue import SURVIVAL_METHODS, software_label
from survkit.check.ci_check import CICheck, check_ci
from survkit.check.hr import HRCheck, check_hr
from survkit.cli._io import UsageError, atomic_path, parse_list
from survkit.printed import (
    ROUNDINGS,
    Convention,
    parse_endpoint,
    text_kind,
)

#: Exit codes of ``survkit check``.
EXIT_CONSISTENT, EXIT_INCONSISTENT, EXIT_UNDECIDED = 0, 1, 3


def register(sub: Any) -> None:
    """Add the ``check`` subcommand."""
    p = sub.add_parser(
        "check",
        help="check printed KM estimates with CIs (which CI method, which event histories) "
        "and hazard ratios",
        description=(
            "Check a printed survival estimate with its confidence interval: which of R's CI "
            "transforms can produce it, under which rounding convention and, with --n, which "
            "event histories do. Several survival texts are landmarks of one endpoint, checked "
            "jointly; a text naming a hazard ratio (HR) is checked with the Altman & Bland "
            "rules. Exit codes: 0 consistent, 1 inconsistent, 2 bad input, 3 undecided."
        ),
    )
    p.add_argument("text", nargs="*", help='printed endpoint, e.g. "68%% (95%% CI, 43 to 100)"')
    p.add_argument("--n", type=int, help="number of patients (enables the exact search)")
    p.add_argument("--conf-level", type=float, help="CI level (default: printed, else 0.95)")
    p.add_argument("--n-risk", help="number at risk at each landmark, comma-separated")
    p.add_argument("--events", help="events before each landmark (or total events for an HR)")
    p.add_argument("--rounding", choices=list(ROUNDINGS), default="any",
                   help="rounding convention of the paper: nearest, truncate, or any (default: "
                   "try both, one at a time, and say which holds)")
    p.add_argument("--max-histories", type=int, default=10_000,
                   help="histories listed per transform (default 10000)")
    p.add_argument("--show", type=int, default=5, help="histories printed per transform")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--csv", help="batch: CSV of printed endpoints, one check per row")
    p.add_argument("--out", help="batch: write the report CSV here (default: stdout)")
    p.set_defaults(func=run)


def _int_list(text: str | None, name: str) -> list[int] | None:
    return None if text is None else parse_list(text, name, int, "an integer")


def _fmt_range(r: tuple[float, float] | None, digits: int = 3) -> str:
    if r is None:
        return "-"
    hi = "inf" if math.isinf(r[1]) else f"{r[1]:.{digits}g}"
    return f"{r[0]:.{digits}g} .. {hi}"


def _mark(rounding: tuple[Convention, ...], tried: int) -> str:
    """``"only if truncated"`` for a truncation-only result when both conventions were tried."""
    return "only if truncated" if rounding == ("truncate",) and tried > 1 else ""


def _pct(iv: tuple[float, float]) -> str:
    return f"[{100 * iv[0]:.4g}, {100 * iv[1]:.4g}]%"


def _print_ci(res: CICheck, show: int) -> None:
    tried = 2 if res.rounding == "any" else 1
    for rep in res.reported:
        print(f"printed: {rep.text}")
        for conv in rep.conventions if res.rounding == "any" else (res.rounding,):
            e, lo, hi = rep.intervals(conv)
            print(
                f"  {conv:<9} estimate in {_pct(e)}, lower in {_pct(lo) if lo else '-'}, "
                f"upper in {_pct(hi) if hi else '-'}"
            )
    n_txt = f"n = {res.n}" if res.n is not None else "n not given"
    print(f"{n_txt}, conf level {res.conf_level:g}, rounding {res.rounding}")
    print()
    head = (
        f"{'transform':<10}{'verdict':<14}{'SE(log S)':<18}{'eff. n':<16}{'histories':<17}"
        f"{'software':<40}reason"
    )
    print(head)
    for ct, m in res.methods.items():
        verdict = "consistent" if m.consistent else "excluded"
        nh = "-" if m.n_histories is None else str(m.n_histories)
        if m.n_histories is not None and not m.count_exact and m.n_histories_upper is not None:
            nh = f"{m.n_histories}..{m.n_histories_upper:.3g}"
        soft = _software(ct) if m.consistent else ""
        print(
            f"{ct:<10}{verdict:<14}{_fmt_range(m.se_log_range):<18}"
            f"{_fmt_range(m.ess_range, 3):<16}{nh:<16} {soft:<40}{m.reason}"
        )
    if res.hand is not None and res.hand.consistent and "hand" not in res.consistent:
        print(
            f"(a hand calculation from rounded numbers also prints these numbers: "
            f"{len(res.hand.variants)} variant(s), e.g. {res.hand.variants[0].id})"
        )
    for name in res.consistent:
        hs = res.histories.get(name, ())
        if not hs:
            continue
        print()
        total = str(res.n_histories[name])
        if not res.methods[name].count_exact:
            total = f"at least {total}, at most {res.methods[name].n_histories_upper:,}"
        print(f"{name}: risk sets at the events (first {min(show, len(hs))} of {total})")
        for h in hs[:show]:
            sv = ", ".join(f"S={s:.4f}" for s in h.surv)
            mark = _mark(h.rounding, tried)
            print(f"  {h.at_risk}  {sv}" + (f"  ({mark})" if mark else ""))
    for note in res.notes:
        print(f"note: {note}")


def _software(method: str) -> str:
    """The software a consistent method points to (the catalogue's label), or ``-``."""
    if method not in SURVIVAL_METHODS:
        return "-"
    return software_label(method).split(": ", 1)[1]


def _print_hr(res: HRCheck) -> None:
    print(f"printed: {res.text}")
    print(f"  log-scale symmetric: {'yes' if res.symmetric else 'NO'}")
    print(f"  SE(log HR): {_fmt_range(res.se_log_range, 4)}")
    rep = "-" if res.p_reported is None else _fmt_range(res.p_reported, 3)
    verdict = {None: "", True: "consistent", False: "INCONSISTENT"}[res.p_consistent]
    print(f"  p implied by the CI: {_fmt_range(res.p_implied, 3)}; printed: {rep} {verdict}")
    ev = "-" if res.events is None else str(res.events)
    everdict = {None: "", True: "consistent", False: "INCONSISTENT"}[res.events_consistent]
    implied = _fmt_range(res.events_implied, 4)
    print(f"  events implied (4/D rule): {implied}; given: {ev} {everdict}")
    held = ", ".join(res.rounding) if res.rounding else "none"
    print(f"  verdict: {'consistent' if res.consistent else 'INCONSISTENT'} (rounding: {held})")
    for note in res.notes:
        print(f"note: {note}")


def _clean(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None if math.isnan(obj) else ("Infinity" if obj > 0 else "-Infinity")
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return obj


def _ci_verdict(res: CICheck) -> int:
    if not res.consistent:
        return EXIT_INCONSISTENT
    witnessed = res.n is None or any(
        res.n_histories.get(ct, 0) > 0 for ct in res.consistent
    )
    return EXIT_CONSISTENT if witnessed else EXIT_UNDECIDED


def _summary(report: pd.DataFrame) -> list[str]:
    """Corpus summary: how many survival rows point to each likely software, per method."""
    if "likely_software" not in report.columns:
        return []
    surv = report[(report.get("kind") == "survival") & (report["error"] == "")]
    if surv.empty:
        return []
    counts = surv["likely_software"].value_counts()
    lines = [f"likely software across {len(surv)} survival rows:"]
    lines += [f"  {name}: {int(k)}" for name, k in counts.items()]
    per = {m: int(surv["consistent"].str.split(";").apply(lambda xs, m=m: m in xs).sum())
           for m in SURVIVAL_METHODS}
    lines.append("rows consistent per method: " + ", ".join(f"{m} {k}" for m, k in per.items()))
    return lines


def _batch(args: argparse.Namespace) -> int:
    path = Path(args.csv)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {args.csv}")
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {args.csv}: {exc}") from None
    if "text" not in table.columns and "estimate" not in table.columns:
        raise UsageError(f"{args.csv}: needs a 'text' column or 'estimate,lower,upper' columns")
    report = check_table(table, n=args.n, rounding=args.rounding,
                         max_histories=min(args.max_histories, 1000), progress=None).to_frame()
    # rows as a spreadsheet shows them: the header is row 1, the first data row is row 2
    report["row"] = report["row"] + 1
    if args.out:
        with atomic_path(args.out) as tmp:
            report.to_csv(tmp, index=False)
        bad = int((report["error"] != "").sum())
        print(f"checked {len(report)} rows ({bad} with errors) -> {args.out}")
        for line in _summary(report):
            print(line)
    else:
        report.to_csv(sys.stdout, index=False)
        for line in _summary(report):
            print(line, file=sys.stderr)
    return EXIT_CONSISTENT


def run(args: argparse.Namespace) -> int:
    """Run ``survkit check``; returns the exit code."""
    if args.n is not None and args.n < 1:
        raise UsageError(f"--n must be >= 1, got {args.n}")
    if args.max_histories < 0:
        raise UsageError(f"--max-histories must be >= 0, got {args.max_histories}")
    if args.show < 0:
        raise UsageError(f"--show must be >= 0, got {args.show}")
    if args.csv:
        if args.text:
            raise UsageError("give either printed text or --csv, not both")
        return _batch(args)
    if not args.text:
        raise UsageError('give a printed endpoint, e.g. survkit check "68% (95% CI, 43 to 100)"')
    kinds = [text_kind(t) for t in args.text]
    hr_texts = [t for t, k in zip(args.text, kinds, strict=True) if k == "hazard_ratio"]
    ci_texts = [t for t, k in zip(args.text, kinds, strict=True) if k != "hazard_ratio"]
    ev = _int_list(args.events, "--events")
    if hr_texts and ci_texts and ev is not None:
        raise UsageError("--events is ambiguous with both hazard ratios and survival estimates")
    if hr_texts and ev is not None and len(ev) != 1:
        raise UsageError("--events: give one total for a hazard ratio")
    # parse everything first: a bad text fails before any output
    hrs = [
        check_hr(t, events=None if ev is None else ev[0], conf_level=args.conf_level,
                 rounding=args.rounding)
        for t in hr_texts
    ]
    reps = [parse_endpoint(t) for t in ci_texts]
    res = None
    if reps:
        res = check_ci(
            reps,
            n=args.n,
            conf_level=args.conf_level,
            n_risk_at=_int_list(args.n_risk, "--n-risk"),
            events_before=ev,
            rounding=args.rounding,
            max_histories=args.max_histories,
        )
    codes = [EXIT_CONSISTENT if h.consistent else EXIT_INCONSISTENT for h in hrs]
    if res is not None:
        codes.append(_ci_verdict(res))
    if args.json:
        docs: list[Any] = [h.to_dict() for h in hrs]
        if res is not None:
            docs.append(res.to_dict())
        print(json.dumps(_clean(docs[0] if len(docs) == 1 else docs), indent=2))
    else:
        for i, h in enumerate(hrs):
            if i:
                print()
            _print_hr(h)
        if res is not None:
            if hrs:
                print()
            _print_ci(res, args.show)
    return max(codes, key=lambda c: (c == EXIT_INCONSISTENT, c))
