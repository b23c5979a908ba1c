"""Throughput of simulating seed-sized trials and re-analysing them with the batched KM.

Goal (issue 4): at least 1e6 simulated seed-sized trials (n = 10, accrual and cutoff of
NCT04599556) per minute, each re-analysed at the 12-month landmark with the log CI, on 2 cores.
Also times 1000 exact reconstruction draws of the seed (goal: under 5 s), and ABC
(``abc_reconstruct``, 50 draws, at most 1e6 simulated trials) on every real trial of
``examples/`` -- a decision (draws, or the budget message saying how far trials got) per
trial (ABC draws early censorings per the spec's ``[censoring] early`` and checks its
cumulative incidences; it does not condition on counts, follow-up or event groups).

Run: python benchmarks/bench_simulate.py [--real-only]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from survkit.trial.exact import reconstruct
from survkit.trial.simulate import abc, abc_reconstruct
from survkit.trial.spec import Trial

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def real_trials() -> None:
    for path in sorted(EXAMPLES.glob("*/trial.toml")):
        trial = Trial.from_toml(path)
        t0 = time.perf_counter()
        try:
            ens = abc_reconstruct(trial, draws=50, seed=1, max_trials=1_000_000, progress=False)
            what = (
                f"{ens.draws} draws ({ens.conf_type}{'; partial' if ens.partial else ''}); "
                f"{100 * ens.acceptance_rate:.3g}% of {ens.proposals:,} simulated trials accepted"
            )
        except (RuntimeError, ValueError) as exc:
            what = f"{type(exc).__name__}: {exc}"
        print(f"abc {path.parent.name}: {time.perf_counter() - t0:.1f} s; {what}")


def main() -> None:
    if "--real-only" in sys.argv:
        real_trials()
        return
    trial = Trial.seed()
    abc(trial, "OS", "cure", trials=100_000, seed=0)  # warm-up
    for model in ("exponential", "weibull", "cure"):
        t0 = time.perf_counter()
        res = abc(trial, "OS", model, trials=1_000_000, seed=1)
        dt = time.perf_counter() - t0
        print(
            f"ABC {model:12s}: 1e6 trials in {dt:.2f} s = {60e6 / dt / 1e6:.1f}e6 trials/minute; "
            f"{res.statement()}"
        )
    t0 = time.perf_counter()
    ens = reconstruct(trial, draws=1000, seed=1, progress=False)
    dt = time.perf_counter() - t0
    print(
        f"exact: 1000 draws of the seed in {dt:.2f} s (acceptance rate {ens.acceptance_rate:.2e}; "
        + ", ".join(f"{s.definition} {s.accepted / max(s.proposals, 1):.2e}" for s in ens.strata)
        + ")"
    )
    maude = Trial.from_toml(
        Path(__file__).resolve().parents[1] / "examples/maude2014_ctl019/trial.toml"
    )
    t0 = time.perf_counter()
    ens = reconstruct(maude, draws=30, seed=1, progress=False)
    dt = time.perf_counter() - t0
    print(
        f"exact: 30 draws of Maude 2014 (n = 30) in {dt:.2f} s "
        f"(acceptance rate {ens.acceptance_rate:.2e}; per definition "
        + ", ".join(f"{s.definition} {s.accepted / max(s.proposals, 1):.2e}" for s in ens.strata)
        + ")"
    )
    t0 = time.perf_counter()
    ens = abc_reconstruct(trial, draws=1000, seed=1, progress=False)
    dt = time.perf_counter() - t0
    print(f"abc: 1000 draws of the seed in {dt:.2f} s; {ens.abc.statements()[0]}")
    real_trials()
    out = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "survkit",
            "reproduce",
            "--draws",
            "1000",
            "--seed",
            "1",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    print(
        f"CLI: survkit reproduce --draws 1000 (whole process) in {time.perf_counter() - t0:.2f} s"
    )


if __name__ == "__main__":
    main()
