"""Work per second of the reconstruction's two work budgets, to calibrate them on a machine.

The history engine's local search is budgeted in tries (``survkit.trial.exact.PLAN_TRIES``)
and the per-count history listing in search states (``survkit.trial.listing.LISTING_STATES``).
Both replace wall-clock budgets of 12 s; this script measures how much of that work a machine
does per second, on the cases that reached those budgets:

* tries: every ``history.orderings`` call of ``reconstruct`` on Maude 2014 (9 draws, seed 3, as
  in ``tests/test_reconstruct.py``) and Xu 2021 (50 draws, seed 1, as in
  ``tests/test_real_trials_more.py``), with its tries, draws found and seconds;
* states: each event count of ``histories_by_count`` for Xu 2021's 2-year PFS
  ``35% (95% CI, 23%-47%)`` (n = 58, log-log and arcsin), with its states (``CICheck.states``)
  and seconds.

Run: PYTHONPATH=src python benchmarks/calibrate_budgets.py [tries|states]
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def tries() -> None:
    import survkit.trial.history as history
    from survkit.trial import ReconstructionBudgetError, Trial, reconstruct
    from survkit.trial.exact import PLAN_TRIES

    orig = history.orderings
    calls: list[tuple[int, int, int, float]] = []

    def timed(*args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        res = orig(*args, **kw)
        calls.append((args[3], res.tried, res.feasible, time.perf_counter() - t0))
        return res

    history.orderings = timed  # exact imports it from the module at each call
    try:
        for name, draws, seed in (("maude2014_ctl019", 9, 3), ("xu2021_fulvestrant", 50, 1)):
            calls.clear()
            t0 = time.perf_counter()
            try:
                ens = reconstruct(
                    Trial.from_toml(EXAMPLES / name / "trial.toml"), draws=draws, seed=seed,
                    progress=False,
                )
                what = f"engine {ens.engine}, split {ens.definitions}"
            except ReconstructionBudgetError as exc:
                what = f"not decided ({str(exc)[:60]}...)"
            total = sum(c[1] for c in calls)
            secs = sum(c[3] for c in calls)
            print(f"{name}: {draws} draws, seed {seed}, {time.perf_counter() - t0:.1f} s; {what}")
            for want, tried, found, s in calls:
                rate = tried / s if s > 0 else math.nan
                print(f"  orderings(want={want}): {tried} tries, {found} found, {s:.2f} s, "
                      f"{rate:.1f} tries/s")
            if secs > 0:
                print(f"  all: {total} tries in {secs:.2f} s, {total / secs:.1f} tries/s: "
                      f"12 s ~ {12 * total / secs:.0f} tries (PLAN_TRIES = {PLAN_TRIES})")
    finally:
        history.orderings = orig


def states() -> None:
    from survkit.check.ci_check import check_ci
    from survkit.check.parse import parse_endpoint
    from survkit.trial.listing import LISTING_STATES, MAX_LISTED, STATES_PER_COUNT

    text, n = "35% (95% CI, 23%-47%)", 58
    rep = parse_endpoint(text, rounding="nearest")
    k_max = min(n, math.floor(n * (1.0 - float(rep.estimate_interval[0])) + 1e-9))
    total, t_all = 0, time.perf_counter()
    for k in range(k_max + 1):
        t0 = time.perf_counter()
        chk = check_ci(rep, n=n, events_before=k, hand=False, max_histories=MAX_LISTED,
                       max_states=STATES_PER_COUNT)
        total += chk.states
        if chk.states:
            print(f"  k = {k}: {chk.states:,} states, {time.perf_counter() - t0:.2f} s")
    secs = time.perf_counter() - t_all
    print(f"{text}, n = {n}: {k_max + 1} counts, {total:,} states in {secs:.2f} s, "
          f"{total / secs / 1e6:.2f} million states/s: 12 s ~ {12 * total / secs / 1e6:.1f} "
          f"million (LISTING_STATES = {LISTING_STATES:,})")


if __name__ == "__main__":
    which = sys.argv[1:] or ["tries", "states"]
    for w in which:
        {"tries": tries, "states": states}[w]()
