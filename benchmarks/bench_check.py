"""Speed and accuracy of survkit's printed-endpoint checker.

    python benchmarks/bench_check.py            # full run (a few minutes)
    python benchmarks/bench_check.py --quick    # seed timings and 60 R cases

Prints (1) the time of the seed checks (n = 10), (2) the time of check_ci over the 240
R-printed cases of tests/fixtures/check_r_cases.csv by n, and (3) on those cases the share of
true transforms kept (and labelled "nearest": R's sprintf rounds to nearest), of wrong transforms
excluded and of true histories listed (n <= 25), for rounding "any" (default) and "nearest",
with and without the risk-table facts.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from survkit.check.ci_check import check_ci

CASES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "check_r_cases.csv"


def seed_timings(repeats: int = 20) -> None:
    for text in ("68% (95% CI, 43-100)", "54% (95% CI, 29-100)"):
        check_ci(text, n=10)
        t0 = time.perf_counter()
        for _ in range(repeats):
            check_ci(text, n=10)
        ms = 1000 * (time.perf_counter() - t0) / repeats
        print(f"seed {text!r:28} n=10: {ms:6.1f} ms per check")


def r_cases(quick: bool) -> None:
    cases = pd.read_csv(CASES)
    if quick:
        cases = cases.iloc[::4]
    for rounding in ("any", "nearest"):
        for facts in (False, True):
            kept = excl = listed = small = exhaustive = decided = undecided = labelled = 0
            times: list[tuple[int, float]] = []
            for row in cases.itertuples():
                kw: dict[str, int] = {}
                if facts:
                    kw = {"n_risk_at": int(row.n_risk_at), "events_before": int(row.events_before)}
                t0 = time.perf_counter()
                res = check_ci(row.text, n=int(row.n), rounding=rounding, **kw)  # type: ignore[arg-type]
                times.append((int(row.n), time.perf_counter() - t0))
                kept += row.conf_type in res.consistent
                labelled += "nearest" in res.methods[row.conf_type].rounding
                excl += 5 - len(res.consistent) - (row.conf_type not in res.consistent)
                exhaustive += res.exhaustive
                decided += res.decided
                undecided += sum(
                    res.methods[ct].n_histories == 0 for ct in res.consistent if ct != row.conf_type
                )
                if row.n <= 25:
                    small += 1
                    h = tuple(int(x) for x in str(row.history).split())
                    listed += h in {x.at_risk for x in res.histories[row.conf_type]}
            t = np.array(times)
            print(
                f"rounding={rounding:8} facts={facts!s:5} cases={len(cases)}: true kept "
                f"{kept}/{len(cases)} (labelled nearest {labelled}), wrong excluded "
                f"{excl / (4 * len(cases)):.1%}, true history "
                f"listed {listed}/{small} (n<=25), exhaustive {exhaustive}/{len(cases)}, "
                f"decided {decided}/{len(cases)}, wrong kept without a found history {undecided}"
            )
            for lo, hi in ((5, 25), (26, 40), (41, 60)):
                sel = (t[:, 0] >= lo) & (t[:, 0] <= hi)
                if sel.any():
                    print(
                        f"    n {lo:2d}-{hi:2d}: median {1000 * np.median(t[sel, 1]):7.1f} ms, "
                        f"90% {1000 * np.quantile(t[sel, 1], 0.9):7.1f} ms, "
                        f"max {1000 * t[sel, 1].max():7.1f} ms"
                    )


def large_n() -> None:
    """Counting for larger n: DP upper bounds, found histories and time."""
    for text, n in (("40% (95% CI, 31 to 49)", 120), ("40.0% (95% CI, 31.6 to 49.1)", 200),
                    ("40.0% (95% CI, 33.2 to 46.8)", 300)):
        t0 = time.perf_counter()
        res = check_ci(text, n=n)
        dt = time.perf_counter() - t0
        counts = {ct: (res.n_histories[ct], f"{res.n_histories_upper[ct]:.3g}")
                  for ct in res.consistent}
        print(f"n={n} {text!r}: {dt:5.2f} s, consistent {res.consistent}, (found, upper) {counts}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    seed_timings()
    r_cases(args.quick)
    large_n()


if __name__ == "__main__":
    main()
