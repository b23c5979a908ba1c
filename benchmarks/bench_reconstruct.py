"""Decision times of the exact engine: the seed (1000 draws) and every real trial (50 draws).

Goals (issue 9): the seed, 1000 draws in under 3 s; every trial of ``examples/``, a decision
(draws, or a proof of conflict) for 50 draws in under 30 s on 2 cores. Prints one line per
trial: the decision and the wall time of ``reconstruct``.

Run: python benchmarks/bench_reconstruct.py [TRIAL ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from survkit.trial import InfeasibleSpecError, ReconstructionBudgetError, Trial, reconstruct

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def decide(name: str, trial: Trial, draws: int) -> None:
    t0 = time.perf_counter()
    try:
        ens = reconstruct(trial, draws=draws, seed=1, progress=False)
        what = f"{ens.draws} draws ({ens.conf_type}), {ens.proposals:,} candidates"
    except InfeasibleSpecError as exc:
        what = "proven conflicting: " + " + ".join(next(iter(exc.conflicts.values())))
    except ReconstructionBudgetError as exc:
        what = "NOT DECIDED: " + str(exc)[:160]
    print(f"{name:28s} {time.perf_counter() - t0:6.1f} s  {what}", flush=True)


def main(argv: list[str]) -> None:
    names = argv or [p.parent.name for p in sorted(EXAMPLES.glob("*/trial.toml"))]
    if not argv:
        decide("seed (1000 draws)", Trial.seed(), 1000)
    for name in names:
        decide(name, Trial.from_toml(EXAMPLES / name / "trial.toml"), 50)


if __name__ == "__main__":
    main(sys.argv[1:])
