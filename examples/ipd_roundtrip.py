"""Round trip: digitized Kaplan–Meier curve -> patient data -> Kaplan–Meier -> printed landmark.

Uses the Rossi recidivism data shipped with lifelines (432 released prisoners, arrest within
52 weeks; arm "financial aid" vs "no aid"). We pretend we only have the paper: its figure
(digitized here synthetically: the corners of each step, with a little click noise), the
numbers at risk printed under it and the number of arrests per arm. survkit rebuilds the
patient-level data, refits the curves and checks a printed landmark (26-week arrest-free
proportion with its 95% CI) against the rebuilt data. Runs in a couple of seconds:

    python examples/ipd_roundtrip.py [--plot ipd_check.png]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from lifelines.datasets import load_rossi

from survkit.estimate.km import kaplan_meier
from survkit.ipd.reconstruct import reconstruct_ipd_arms


def digitized_figure(t: np.ndarray, e: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """What a careful user clicks in WebPlotDigitizer: both corners of every step (+ noise)."""
    fit = kaplan_meier(t, e)
    has = fit.n_event > 0
    ut, s = fit.time[has], fit.surv[has]
    prev = np.concatenate(([1.0], s[:-1]))
    clicks = pd.DataFrame({
        "time": np.append(np.repeat(ut, 2), t.max()),
        "surv": 100 * np.append(np.column_stack([prev, s]).ravel(), s[-1]),  # percent axis
    })
    clicks["surv"] += rng.normal(0, 0.2, len(clicks))  # 0.2 percentage points of click noise
    return clicks.sample(frac=1.0, random_state=1)  # clicks come in any order


def main() -> None:
    ap = argparse.ArgumentParser(description="IPD reconstruction round trip on Rossi data")
    ap.add_argument("--plot", help="write the accuracy figure here")
    args = ap.parse_args()

    rossi = load_rossi()
    rng = np.random.default_rng(2012)
    arms = {}
    truth = {}
    for fin, name in ((0, "no aid"), (1, "aid")):
        d = rossi[rossi.fin == fin]
        t, e = d.week.to_numpy(float), d.arrest.to_numpy(int)
        truth[name] = (t, e)
        risk_times = np.arange(0, 53, 10.0)
        arms[name] = {
            "points": digitized_figure(t, e, rng),
            "risk_table": pd.DataFrame({"time": risk_times,
                                        "n_risk": [(t >= x).sum() for x in risk_times]}),
            "total_events": int(e.sum()),
        }

    result = reconstruct_ipd_arms(arms)
    print(result.report)
    print(result.compare())
    ipd = result.data
    print()

    # The "paper" prints the 26-week arrest-free proportion of the aid arm (from the truth).
    t, e = truth["aid"]
    true26 = kaplan_meier(t, e).at([26]).iloc[0]
    printed = (f"26-week arrest-free {100 * true26.surv:.1f}% (95% CI, {100 * true26.lower:.1f} "
               f"to {100 * true26.upper:.1f})")
    rebuilt = ipd[ipd.arm == "aid"]
    fit = kaplan_meier(rebuilt.time.to_numpy(), rebuilt.event.to_numpy())
    row = fit.at([26]).iloc[0]
    print(f"printed:  {printed}")
    print(f"rebuilt:  {100 * row.surv:.1f}% (95% CI, {100 * row.lower:.1f} to "
          f"{100 * row.upper:.1f}), {int(row.n_risk)} at risk")
    try:
        from survkit.check.ci_check import check_ci
    except ImportError:  # pragma: no cover - the checker ships with survkit
        return
    chk = check_ci(printed, n=fit.n, n_risk_at=int(row.n_risk))
    print(f"check_ci: CI transforms consistent with the printed landmark: {chk.consistent}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        ax = result.plot()
        ax.figure.savefig(args.plot, dpi=150, bbox_inches="tight")
        print(f"figure written to {args.plot}")


if __name__ == "__main__":
    main()
