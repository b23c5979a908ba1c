"""Speed of ``reconstruct_ipd``: one arm of a 500-patient curve (goal < 50 ms per arm).

A seeded 500-patient trial arm (exponential survival, uniform censoring), digitized as the two
corners of each step (thinned to ~200 clicks) with a risk table every 6 months, reconstructed
with and without risk table / total events and with noisy clicks. For comparison, a naive
pure-Python transcription of the original Guyot et al. (2012) iteration (per-interval
fixed-point search on the number censored, censor counts found by scanning lists) runs on the
same input. Run: ``python benchmarks/bench_ipd.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from survkit.ipd.reconstruct import reconstruct_ipd


def make_arm(n: int = 500, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ev_t = rng.exponential(24.0, n)
    cens = rng.uniform(12.0, 60.0, n)
    t = np.round(np.minimum(ev_t, cens), 2)
    return t, (ev_t <= cens).astype(int)


def digitize(t: np.ndarray, e: np.ndarray, max_points: int = 200) -> pd.DataFrame:
    ut = np.unique(t[e == 1])
    s = np.cumprod([1 - ((t == u) & (e == 1)).sum() / (t >= u).sum() for u in ut])
    keep = np.unique(np.round(np.linspace(0, ut.size - 1, max_points // 2)).astype(int))
    prev = np.concatenate(([1.0], s[keep][:-1]))
    return pd.DataFrame({
        "time": np.append(np.repeat(ut[keep], 2), t.max()),
        "surv": np.append(np.column_stack([prev, s[keep]]).ravel(), s[-1]),
    })


def naive_guyot(tt: list[float], ss: list[float], rt: list[float], nr: list[int],
                total: int) -> tuple[list[float], list[int]]:
    """Straight transcription of the published iteration (no vectorization)."""
    lower = [next(i for i, x in enumerate(tt) if x >= r) if any(x >= r for x in tt) else len(tt)
             for r in rt]
    upper = [lower[i + 1] - 1 for i in range(len(rt) - 1)] + [len(tt) - 1]
    d = [0] * len(tt)
    cens_t: list[float] = []
    s_km = 1.0
    for i in range(len(rt)):
        lo, hi = lower[i], upper[i]
        if lo > hi:
            continue
        nxt = nr[i + 1] if i + 1 < len(rt) else None
        nc = 0 if nxt is None else max(round(nr[i] * ss[hi] / max(ss[lo], 1e-12) - nxt), 0)
        for _ in range(100):
            stop = rt[i + 1] if i + 1 < len(rt) else tt[-1]
            cen = [rt[i] + j * (stop - rt[i]) / (nc + 1) for j in range(1, nc + 1)]
            n_at, cum, s_loc = nr[i], 0, s_km
            dd = [0] * len(tt)
            for k in range(lo, hi + 1):
                n_k = n_at - cum - sum(1 for c in cen if c < tt[k])
                if n_k <= 0:
                    continue
                dk = max(min(round(n_k * (1 - ss[k] / s_loc)), n_k), 0) if s_loc > 0 else 0
                dd[k] = dk
                cum += dk
                if dk:
                    s_loc *= 1 - dk / n_k
            if nxt is None:
                break
            n_hat = n_at - cum - nc
            if n_hat == nxt:
                break
            nc = max(nc + (n_hat - nxt), 0)
        for k in range(lo, hi + 1):
            d[k] = dd[k]
        s_km = s_loc
        cens_t += cen
    times = [tt[k] for k in range(len(tt)) for _ in range(d[k])] + cens_t
    return times, [1] * sum(d) + [0] * len(cens_t)


def timeit(fn, repeat: int = 30) -> float:  # type: ignore[no-untyped-def]
    fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def main() -> None:
    t, e = make_arm()
    pts = digitize(t, e)
    rt_t = np.arange(0.0, t.max(), 6.0)
    rt = pd.DataFrame({"time": rt_t, "n_risk": [(t >= x).sum() for x in rt_t]})
    noisy = pts.assign(surv=pts.surv + np.random.default_rng(0).normal(0, 0.003, len(pts)))
    total = int(e.sum())
    cases = {
        "risk table + total events": lambda: reconstruct_ipd(pts, risk_table=rt,
                                                             total_events=total),
        "risk table only": lambda: reconstruct_ipd(pts, risk_table=rt),
        "n + total events (no table)": lambda: reconstruct_ipd(pts, n=t.size,
                                                               total_events=total),
        "noisy clicks, table + events": lambda: reconstruct_ipd(noisy, risk_table=rt,
                                                                total_events=total),
    }
    print(f"One arm: n = {t.size}, {total} events, {len(pts)} clicks, "
          f"{len(rt)} risk-table times\n")
    print(f"{'case':34s} {'median ms':>10s}")
    for name, fn in cases.items():
        print(f"{name:34s} {1000 * timeit(fn):10.2f}")
    tt = [0.0, *pts.time.tolist()]
    ss = [1.0, *pts.surv.tolist()]
    naive = timeit(lambda: naive_guyot(tt, ss, rt.time.tolist(), rt.n_risk.tolist(), total),
                   repeat=5)
    print(f"{'naive Guyot loop (risk table)':34s} {1000 * naive:10.2f}")


if __name__ == "__main__":
    main()
