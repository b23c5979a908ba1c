"""Validate ``reconstruct_ipd`` on real patient data shipped with lifelines and scikit-survival.

For every dataset and arm: take the true Kaplan–Meier curve, digitize it synthetically (the
two corners of each step, thinned to at most ~200 clicks; optionally Gaussian noise on both
axes), print a risk table at regular times, reconstruct, and compare with the truth: events,
max |ΔS| on a 500-point grid, medians, landmark survival at half the follow-up, and the log
hazard ratio between the arms from a Cox model (lifelines ``CoxPHFitter``).

Run ``python benchmarks/validate_ipd.py`` (about a minute); it writes ``docs/validation.md``.
``--seeds K`` repeats the noisy scenarios with K seeds (default 5).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from survkit.estimate.km import kaplan_meier
from survkit.ipd.reconstruct import reconstruct_ipd

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    time: np.ndarray
    event: np.ndarray
    arm: np.ndarray  # 0/1
    arm_labels: tuple[str, str]
    unit: str


def _sk(loader: Callable[..., tuple[pd.DataFrame, np.ndarray]], tcol: str, ecol: str,
        arm: Callable[[pd.DataFrame], np.ndarray], **kw: object) -> tuple[np.ndarray, ...]:
    X, y = loader(**kw)
    return (np.asarray(y[tcol], float), np.asarray(y[ecol], int), arm(X).astype(int))


def load_datasets() -> list[Dataset]:
    """The real datasets (two arms each) used by the validation."""
    from lifelines.datasets import load_lung, load_rossi
    from sksurv.datasets import (
        load_aids,
        load_gbsg2,
        load_veterans_lung_cancer,
        load_whas500,
    )

    out: list[Dataset] = []
    r = load_rossi()
    out.append(Dataset("rossi", "lifelines", r.week.to_numpy(float), r.arrest.to_numpy(int),
                       r.fin.to_numpy(int), ("no aid", "aid"), "weeks"))
    lu = load_lung()
    out.append(Dataset("lung", "lifelines", lu.time.to_numpy(float), lu.status.to_numpy(int),
                       (lu.sex.to_numpy() == 2).astype(int), ("male", "female"), "days"))
    t, e, a = _sk(load_gbsg2, "time", "cens", lambda X: (X["horTh"] == "yes").to_numpy())
    out.append(Dataset("gbsg2", "scikit-survival", t, e, a, ("no hormone", "hormone"), "days"))
    t, e, a = _sk(load_whas500, "lenfol", "fstat", lambda X: X["gender"].astype(float).to_numpy())
    out.append(Dataset("whas500", "scikit-survival", t, e, a, ("male", "female"), "days"))
    t, e, a = _sk(load_veterans_lung_cancer, "Survival_in_days", "Status",
                  lambda X: (X["Treatment"] == "test").to_numpy())
    out.append(Dataset("veterans", "scikit-survival", t, e, a, ("standard", "test"), "days"))
    t, e, a = _sk(load_aids, "time", "censor", lambda X: X["tx"].astype(float).to_numpy())
    out.append(Dataset("aids", "scikit-survival", t, e, a, ("control", "IDV"), "days"))
    return out


def _thin(ut: np.ndarray, s: np.ndarray, max_steps: int) -> np.ndarray:
    """Indices of the steps a careful digitizer would click within a budget: a step is kept
    when the curve has dropped by at least δ since the last kept step, or when the time since
    it exceeds t_max/50 (so flat stretches are located), the last step always; δ is the
    smallest value meeting the budget (bisection). Skipped steps merge into the next kept one."""
    if ut.size <= max_steps:
        return np.arange(ut.size)
    gap = ut[-1] / 50

    def pick(delta: float) -> list[int]:
        kept: list[int] = []
        s_last, t_last = 1.0, 0.0
        for j in range(ut.size):
            if s_last - s[j] >= delta or ut[j] - t_last >= gap or j == ut.size - 1:
                kept.append(j)
                s_last, t_last = s[j], ut[j]
        return kept

    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if len(pick(mid)) > max_steps:
            lo = mid
        else:
            hi = mid
    return np.asarray(pick(hi))


def digitize(time_: np.ndarray, event: np.ndarray, *, max_points: int = 200,
             noise: float = 0.0, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Synthetic digitization of the true KM: both corners of each step, thinned to at most
    ``max_points`` clicks (see :func:`_thin`), plus the end of the curve; noise is
    N(0, noise) on S and N(0, noise·t_max/2) on t."""
    fit = kaplan_meier(time_, event)
    has = fit.n_event > 0
    ut, s = fit.time[has], fit.surv[has]
    keep = _thin(ut, s, max_points // 2)
    prev = np.concatenate(([1.0], s[keep][:-1]))
    pt = np.column_stack([ut[keep], ut[keep]]).ravel()
    ps = np.column_stack([prev, s[keep]]).ravel()
    pt = np.append(pt, time_.max())
    ps = np.append(ps, s[-1] if s.size else 1.0)
    if noise > 0:
        rng = rng or np.random.default_rng(0)
        ps = ps + rng.normal(0.0, noise, ps.size)
        pt = np.abs(pt + rng.normal(0.0, noise * time_.max() / 2, pt.size))
    return pd.DataFrame({"time": pt, "surv": ps})


def risk_table(time_: np.ndarray, every: float, t_max: float) -> pd.DataFrame:
    """Printed number at risk #{time >= t} at 0, every, 2·every, ... ≤ t_max."""
    ts = np.arange(0.0, t_max + 1e-9, every)
    return pd.DataFrame({"time": ts, "n_risk": [(time_ >= x).sum() for x in ts]})


def nice_step(t_max: float) -> float:
    """A round risk-table spacing giving 5-10 columns."""
    raw = t_max / 7
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return float(m * mag)
    return float(10 * mag)


def log_hr(t: np.ndarray, e: np.ndarray, arm: np.ndarray) -> float:
    from lifelines import CoxPHFitter

    df = pd.DataFrame({"time": t, "event": e, "arm": arm})
    cph = CoxPHFitter().fit(df, "time", "event")
    return float(cph.params_["arm"])


def compare_arm(t: np.ndarray, e: np.ndarray, ipd: pd.DataFrame) -> dict[str, float]:
    """Truth vs reconstruction for one arm."""
    true = kaplan_meier(t, e)
    rec = kaplan_meier(ipd.time.to_numpy(), ipd.event.to_numpy())
    grid = np.linspace(0.0, t.max(), 500)
    s_rec = rec.survival_at(grid)
    ds = float(np.max(np.abs(true.survival_at(grid) - s_rec)))
    # Same with a horizontal tolerance h = 0.5% of follow-up (a Levy-type distance): a riser
    # displaced by digitizing noise in time is not counted as a vertical error.
    h = 0.005 * t.max()
    lev = np.maximum.reduce([np.zeros_like(grid), s_rec - true.survival_at(np.maximum(grid - h, 0)),
                             true.survival_at(grid + h) - s_rec])
    ds_h = float(np.max(lev))
    m_true, m_rec = true.median().estimate, rec.median().estimate
    if math.isnan(m_true) and math.isnan(m_rec):
        dmed = 0.0
    elif math.isnan(m_true) or math.isnan(m_rec):
        dmed = float("inf")
    else:
        dmed = abs(m_rec - m_true) / t.max()
    land = t.max() / 2
    dland = abs(float(true.survival_at([land])[0]) - float(rec.survival_at([land])[0]))
    return {"events_true": int(e.sum()), "events_rec": int(ipd.event.sum()), "max_ds": ds,
            "max_ds_h": ds_h, "dmedian": dmed, "dland": dland}


SCENARIOS = {
    "A: risk table + events, exact clicks": dict(noise=0.0, risk=True, events=True),
    "B: risk table + events, noisy clicks": dict(noise=0.003, risk=True, events=True),
    "C: n + events only, exact clicks": dict(noise=0.0, risk=False, events=True),
    "D: risk table only, noisy clicks": dict(noise=0.003, risk=True, events=False),
}


def run(seeds: int = 5) -> tuple[pd.DataFrame, list[float]]:
    rows = []
    timings: list[float] = []
    for ds in load_datasets():
        hr_true = log_hr(ds.time, ds.event, ds.arm)
        step = nice_step(float(ds.time.max()))
        for scen, opt in SCENARIOS.items():
            n_seeds = seeds if opt["noise"] else 1
            for seed in range(n_seeds):
                rng = np.random.default_rng(1000 + seed)
                parts = []
                per_arm = []
                for a in (0, 1):
                    m = ds.arm == a
                    t, e = ds.time[m], ds.event[m]
                    pts = digitize(t, e, noise=float(opt["noise"]), rng=rng)
                    kw: dict[str, object] = {}
                    if opt["risk"]:
                        kw["risk_table"] = risk_table(t, step, float(t.max()))
                    else:
                        kw["n"] = int(t.size)
                    if opt["events"]:
                        kw["total_events"] = int(e.sum())
                    t0 = time.perf_counter()
                    res = reconstruct_ipd(pts, **kw)  # type: ignore[arg-type]
                    timings.append(time.perf_counter() - t0)
                    ipd, rep = res.data, res.report
                    per_arm.append(compare_arm(t, e, ipd) | {
                        "clicks": len(pts), "rep_raw": rep.max_abs_diff,
                        "rep_smooth": rep.curve_max_abs_diff})
                    parts.append(ipd.assign(arm=a))
                rec = pd.concat(parts, ignore_index=True)
                hr_rec = log_hr(rec.time.to_numpy(), rec.event.to_numpy(), rec.arm.to_numpy())
                rows.append({
                    "dataset": ds.name, "scenario": scen, "seed": seed, "n": ds.time.size,
                    "clicks": "/".join(str(p["clicks"]) for p in per_arm),
                    "events_true": "/".join(str(p["events_true"]) for p in per_arm),
                    "events_rec": "/".join(str(p["events_rec"]) for p in per_arm),
                    "events_exact": all(p["events_true"] == p["events_rec"] for p in per_arm),
                    "events_given": bool(opt["events"]),
                    "max_ds": max(p["max_ds"] for p in per_arm),
                    "max_ds_h": max(p["max_ds_h"] for p in per_arm),
                    "dmedian": max(p["dmedian"] for p in per_arm),
                    "dland": max(p["dland"] for p in per_arm),
                    "loghr_true": hr_true, "loghr_rec": hr_rec,
                    "loghr_err": abs(hr_rec - hr_true),
                    "rep_raw": max(p["rep_raw"] for p in per_arm),
                    "rep_smooth": max(p["rep_smooth"] for p in per_arm),
                })
    return pd.DataFrame(rows), timings


def to_markdown(res: pd.DataFrame, timings: list[float]) -> str:
    agg = (res.groupby(["dataset", "scenario"], sort=False)
           .agg(n=("n", "first"), clicks=("clicks", "first"), events_true=("events_true", "first"),
                events_rec=("events_rec", "first"), exact=("events_exact", "all"),
                max_ds=("max_ds", "median"), max_ds_h=("max_ds_h", "median"),
                dmedian=("dmedian", "median"),
                dland=("dland", "median"), loghr_true=("loghr_true", "first"),
                loghr_rec=("loghr_rec", "median"), loghr_err=("loghr_err", "median"))
           .reset_index())
    lines = [
        "# Validation of `reconstruct_ipd` on real patient data",
        "",
        "Generated by `python benchmarks/validate_ipd.py` — do not edit by hand.",
        "",
        "Each dataset's two arms are digitized synthetically from the true Kaplan–Meier curve "
        "(both corners of each step, plus the end of the curve; where steps are dense they are "
        "thinned to at most ~200 clicks per arm as a careful digitizer would: a step is clicked "
        "once the curve has dropped by δ since the last click, δ the smallest drop meeting the "
        "budget), with a risk table at regular times (5–10 columns, R's #{time ≥ t}). Noisy "
        "clicks have N(0, 0.003) added to S and N(0, 0.0015·t_max) to t; noisy scenarios are "
        "the median over several seeds (the events column shows the first seed). Columns: "
        "events per arm (true / reconstructed, arm 0/arm 1), max |ΔS| = largest absolute "
        "difference between the true and reconstructed KM on a 500-point grid (worst arm); the "
        "next column allows a horizontal tolerance of 0.5% of follow-up (a Lévy-type "
        "distance, so a riser displaced by noise in time is not a vertical error); "
        "|Δ median| as a fraction of follow-up (worst arm), |ΔS| at half the follow-up (worst "
        "arm), and the log hazard ratio arm 1 vs arm 0 from lifelines' `CoxPHFitter`.",
        "",
        "| dataset | scenario | n | clicks | events true | events rebuilt | exact | max abs ΔS "
        "| max abs ΔS ±0.5% t | abs Δ median / t_max | abs ΔS(t_max/2) | log HR true "
        "| log HR rebuilt | abs error |",
        "|---|---|---:|---:|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in agg.itertuples():
        lines.append(
            f"| {r.dataset} | {r.scenario} | {r.n} | {r.clicks} | {r.events_true} | "
            f"{r.events_rec} | {'yes' if r.exact else 'no'} | {r.max_ds:.4f} | {r.max_ds_h:.4f} | "
            f"{r.dmedian:.4f} | {r.dland:.4f} | {r.loghr_true:.4f} | {r.loghr_rec:.4f} | "
            f"{r.loghr_err:.4f} |"
        )
    given = res[res.events_given]
    free = res[res.scenario.str.startswith("A")]
    noisy = res[res.scenario.str.startswith("B")]
    noisy_all = res[res.scenario.str[0].isin(["B", "D"])]
    lines += [
        "",
        "## Against the goals",
        "",
        f"- Total events exact where given: {int(given.events_exact.sum())} of {len(given)} "
        "runs.",
        f"- max |ΔS|, noise-free with risk table (scenario A): median "
        f"{free.max_ds.median():.4f}, worst {free.max_ds.max():.4f} (goal ≤ 0.01 typical).",
        f"- max |ΔS|, noisy clicks (scenario B): median {noisy.max_ds.median():.4f}, "
        f"worst {noisy.max_ds.max():.4f}; with ±0.5% time tolerance median "
        f"{noisy.max_ds_h.median():.4f}, worst {noisy.max_ds_h.max():.4f}.",
        f"- |log HR error|: median {res.loghr_err.median():.4f} over all {len(res)} runs "
        f"(goal ≤ 0.01 median), {free.loghr_err.median():.4f} in scenario A, "
        f"{noisy_all.loghr_err.median():.4f} over the noisy runs (B and D).",
        f"- Accuracy report (max |ΔS| of the rebuilt KM, riser-aware, worst arm), noisy runs "
        f"(B and D): against the **raw clicks** median {noisy_all.rep_raw.median():.4f} "
        f"(this includes the click noise itself), against the **smoothed curve** (snapped "
        f"corners, isotonic fit — what the algorithm reconstructs) median "
        f"{noisy_all.rep_smooth.median():.4f}; exact clicks (A and C): raw "
        f"{res[~res.index.isin(noisy_all.index)].rep_raw.median():.4f}, smoothed "
        f"{res[~res.index.isin(noisy_all.index)].rep_smooth.median():.4f}.",
        f"- Time per arm: median {1000 * float(np.median(timings)):.1f} ms, max "
        f"{1000 * float(np.max(timings)):.1f} ms ({len(timings)} reconstructions).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "docs" / "validation.md"))
    args = ap.parse_args()
    res, timings = run(args.seeds)
    text = to_markdown(res, timings)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
