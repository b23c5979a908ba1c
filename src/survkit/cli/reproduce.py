"""survkit reproduce [SPEC] --out DIR: reconstruct a trial's patients from what was printed.

Writes DIR/patients.csv (every draw, one row per patient), DIR/report.md (each printed
number vs reproduced, the CI method and why, the histories, the readings that survive, the
data dictionary, assumptions), DIR/histories.csv (every history seen among the draws),
DIR/km.png and DIR/swimmer.png (--format pdf|svg for vector figures). DIR is built in a
temporary sibling and swapped in whole: it always holds one complete run. Without SPEC the
bundled seed trial (NCT04599556) is used.

Exit codes: 0 done; 1 the printed facts are proven to conflict (a smallest conflicting set
is printed); 2 bad input; 3 undecided within the budget (nothing proven; with
--allow-partial the draws found are written, marked partial).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from survkit.cli._io import FIGURE_FORMATS, UsageError, atomic_dir, check_output_dir, save_figure


def register(subparsers: Any) -> None:
    """Add the ``reproduce`` subcommand."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "reproduce",
        help="reconstruct patient-level data that print every number of a trial spec",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "spec",
        nargs="?",
        default=None,
        help="trial spec (TOML, see docs/trial-spec.md); default: the bundled seed",
    )
    p.add_argument("--out", required=True,
                   help="output directory, replaced whole by each run (built in a temporary "
                        "sibling, so it always holds one complete run)")
    p.add_argument("--format", choices=FIGURE_FORMATS, default="png",
                   help="figure format: png (300 dpi, default), pdf or svg (vector)")
    p.add_argument("--draws", type=int, default=1000, help="number of reconstructed tables")
    p.add_argument("--seed", type=int, default=None, help="random seed (reproducible output)")
    p.add_argument(
        "--sampler",
        choices=("exact", "abc"),
        default=None,
        help="exact reconstruction (default) or ABC simulation from a fitted model",
    )
    # deprecated spelling of --sampler, kept working but hidden
    p.add_argument("--method", choices=("exact", "abc"), default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--max-proposals",
        type=int,
        default=None,
        help="candidate tables allowed in all (exact sampler; default 400000)",
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="when the budget runs out, write the draws found (marked partial), exit 3",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``survkit reproduce``."""
    import sys

    from survkit.trial.budget import Budget
    from survkit.trial.errors import InfeasibleSpecError, ReconstructionBudgetError
    from survkit.trial.exact import reconstruct
    from survkit.trial.spec import Trial, bundled_spec_path

    if args.draws < 1:
        raise UsageError(f"--draws must be at least 1, got {args.draws}")
    if args.seed is not None and args.seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.max_proposals is not None and args.max_proposals < 1:
        raise UsageError(f"--max-proposals must be at least 1, got {args.max_proposals}")
    check_output_dir(args.out, "--out")
    sampler = args.sampler or args.method or "exact"
    spec = Path(args.spec) if args.spec else bundled_spec_path()
    trial = Trial.from_toml(spec)
    partial = False
    try:
        if sampler == "abc":
            from survkit.trial.simulate import abc_reconstruct

            ens = abc_reconstruct(trial, draws=args.draws, seed=args.seed)
            if ens.draws < args.draws or getattr(ens, "partial", False):
                # fewer draws than asked: undecided within the budget, like the exact sampler
                print(
                    f"survkit reproduce: undecided: ABC kept {ens.draws} of {args.draws} draws "
                    "within its budget",
                    file=sys.stderr,
                )
                if not args.allow_partial:
                    return 3
                partial = True
        else:
            budget = Budget() if args.max_proposals is None else Budget(args.max_proposals)
            ens = reconstruct(
                trial,
                draws=args.draws,
                seed=args.seed,
                budget=budget,
                allow_partial=args.allow_partial,
            )
    except InfeasibleSpecError as exc:
        print(f"survkit reproduce: inconsistent: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    except ReconstructionBudgetError as exc:
        print(f"survkit reproduce: undecided: {str(exc).splitlines()[0]}", file=sys.stderr)
        if not (args.allow_partial and exc.partial is not None):
            return 3
        ens = exc.partial
        partial = True
    fmt = args.format
    write_outputs(ens, args.out, spec_name=spec.name, sampler=sampler, fmt=fmt)
    out = Path(args.out)
    print(
        f"{trial.id}: {ens.draws} draws ({sampler}, CI method {ens.conf_type}, seed {ens.seed})"
        f"{' PARTIAL' if partial else ''} in {ens.elapsed:.2f} s; wrote {out}/patients.csv, "
        f"report.md, histories.csv, km.{fmt}, swimmer.{fmt}"
    )
    return 3 if partial else 0


def write_outputs(ens: Any, out_dir: str, *, spec_name: str, sampler: str, fmt: str) -> None:
    """Write patients.csv, report.md, histories.csv and the two figures, swapped in whole."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = ens.report(spec_name=spec_name, sampler=sampler)
    with atomic_dir(out_dir, "--out") as out:
        ens.patients.to_csv(out / "patients.csv", index=False, float_format="%.6f")
        (out / "report.md").write_text(report, encoding="utf-8")
        ens.history_table().to_csv(out / "histories.csv", index=False)
        from survkit.show.ensemble import plot_reproduction

        t = ens.trial
        ax = plot_reproduction(
            ens.patients, t.endpoints, unit=t.unit, n=t.n, max_time=t.max_followup,
            origin=t.origin,
            title=f"{t.id}: {ens.draws} reconstructions from the printed numbers "
            f"(CI method: {ens.conf_type})",
        )
        km_fig = ax.get_figure(root=True)
        save_figure(km_fig, out / f"km.{fmt}")
        plt.close("all")
        sw_fig = ens.plot_swimmer(0).get_figure(root=True)
        save_figure(sw_fig, out / f"swimmer.{fmt}")
        plt.close(sw_fig)
