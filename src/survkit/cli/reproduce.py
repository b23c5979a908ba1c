"""survkit reproduce [SPEC] --out DIR: reconstruct a trial's patients from what was printed.

Writes DIR/patients.csv (every draw, one row per patient), DIR/report.md (each printed
number vs reproduced, the CI method and why, the histories, the readings that survive, the
data dictionary, assumptions), DIR/histories.csv (every history seen among the draws),
DIR/km.png and DIR/swimmer.png. Without SPEC the bundled seed trial (NCT04599556) is used.

Exit codes: 0 done; 1 the printed facts are proven to conflict (a smallest conflicting set
is printed); 2 bad input; 3 undecided within the budget (nothing proven; with
--allow-partial the draws found are written, marked partial).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from survkit.cli._io import UsageError, atomic_path, atomic_write


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
    p.add_argument("--out", required=True, help="output directory")
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
    sampler = args.sampler or args.method or "exact"
    spec = Path(args.spec) if args.spec else bundled_spec_path()
    trial = Trial.from_toml(spec)
    out = Path(args.out)
    partial = False
    try:
        if sampler == "abc":
            from survkit.trial.simulate import abc_reconstruct

            ens = abc_reconstruct(trial, draws=args.draws, seed=args.seed)
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
    write_outputs(ens, out, spec_name=spec.name, sampler=sampler)
    print(
        f"{trial.id}: {ens.draws} draws ({sampler}, CI method {ens.conf_type}, seed {ens.seed})"
        f"{' PARTIAL' if partial else ''} in {ens.elapsed:.2f} s; wrote {out}/patients.csv, "
        "report.md, histories.csv, km.png, swimmer.png"
    )
    return 3 if partial else 0


def write_outputs(ens: Any, out: Path, *, spec_name: str, sampler: str) -> None:
    """Write patients.csv, report.md, histories.csv and the two figures into ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "patients.csv") as tmp:
        ens.patients.to_csv(tmp, index=False, float_format="%.6f")
    report = ens.report(spec_name=spec_name, sampler=sampler)

    def _write(fh: Any) -> None:
        fh.write(report)

    atomic_write(out / "report.md", _write)
    with atomic_path(out / "histories.csv") as tmp:
        ens.history_table().to_csv(tmp, index=False)
    fig = ens.plot_km()
    with atomic_path(out / "km.png") as tmp:
        fig.savefig(tmp, dpi=120, format="png")
    plt.close(fig)
    fig = ens.plot_swimmer(0)
    with atomic_path(out / "swimmer.png") as tmp:
        fig.savefig(tmp, dpi=120, format="png")
    plt.close(fig)
