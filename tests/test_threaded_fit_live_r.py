"""Live cross-check of the threaded Kaplan–Meier path against R survival.

Fits of 65,536 rows or more with mostly distinct times run on several threads
(:mod:`survkit.estimate.threads`); the R fixture tests use small data, so they never take
that path. Here fresh random data (a new seed every run, printed) of 80,000 rows are fitted
on two threads -- unweighted, with entry times, with integer and (a slow test) fractional
case weights -- and R ``survfit`` re-analyses the very same doubles (written with 17
significant digits). Every field is compared at 1e-10.

R is called with ``timefix = FALSE``: by default R merges times that differ by less than
``sqrt(.Machine$double.eps)`` relative, which random continuous times of this size do
(a few hundred of 200,000); survkit takes times as given. Rerun a failure with
``SURVKIT_LIVE_SEED=<seed>``.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import RSCRIPT, assert_r_close, requires_rscript
from survkit import get_num_threads, set_num_threads
from survkit.estimate.km import kaplan_meier

pytestmark = requires_rscript

N = 80_000  # above the serial limit (65,536 rows), so two threads are used

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
fits <- list(plain = survfit(Surv(t, e) ~ 1, data = d, timefix = FALSE),
             entry = survfit(Surv(a, t, e) ~ 1, data = d, timefix = FALSE),
             integer_weights = survfit(Surv(t, e) ~ 1, data = d, weights = k, timefix = FALSE))
if (args[3] == "fractional")  # the infinitesimal jackknife: R's cost grows as n x distinct times
  fits$fractional_weights <- survfit(Surv(t, e) ~ 1, data = d, weights = w, timefix = FALSE)
out <- do.call(rbind, lapply(names(fits), function(nm) {
  f <- fits[[nm]]
  se <- if (isTRUE(f$logse)) f$surv * f$std.err else f$std.err  # the SE of S
  data.frame(fit = nm, time = f$time, n_risk = f$n.risk, n_event = f$n.event,
             surv = f$surv, std_err = se, lower = f$lower, upper = f$upper)
}))
num <- vapply(out, is.numeric, logical(1))
out[num] <- lapply(out[num], function(x) sprintf("%.17g", x))  # every digit
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
"""


@pytest.fixture
def two_threads() -> Iterator[None]:
    before = get_num_threads()
    set_num_threads(2)
    try:
        yield
    finally:
        set_num_threads(before)


def _cross_check(tmp_path: Path, fractional: bool) -> None:
    seed = int(os.environ.get("SURVKIT_LIVE_SEED", time.time_ns() % (2**31)))
    print(f"SURVKIT_LIVE_SEED={seed}")
    rng = np.random.default_rng(seed)
    t = rng.exponential(10.0, N) + 1e-3
    e = (rng.random(N) < 0.7).astype(int)
    d = pd.DataFrame({"t": t, "e": e,
                      "w": rng.uniform(0.2, 3.0, N),
                      "k": rng.integers(1, 4, N),
                      "a": t * rng.uniform(0.0, 0.3, N) * (rng.random(N) < 0.5)})
    data = tmp_path / "d.csv"
    d.to_csv(data, index=False, float_format="%.17g")
    echoed = pd.read_csv(data)  # both sides see the same doubles
    script = tmp_path / "fit.R"
    script.write_text(R_SCRIPT)
    out = tmp_path / "r.csv"
    assert RSCRIPT is not None
    run = subprocess.run([RSCRIPT, str(script), str(data), str(out),
                          "fractional" if fractional else "fast"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"Rscript failed:\n{run.stderr}"
    r = pd.read_csv(out)
    t_, e_ = echoed["t"].to_numpy(), echoed["e"].to_numpy()
    fits = {
        "plain": kaplan_meier(t_, e_),
        "entry": kaplan_meier(t_, e_, entry=echoed["a"].to_numpy()),
        "integer_weights": kaplan_meier(t_, e_, weights=echoed["k"].to_numpy(dtype=float)),
    }
    if fractional:
        fits = {"fractional_weights": kaplan_meier(t_, e_, weights=echoed["w"].to_numpy())}
    for name, km in fits.items():
        rr = r[r["fit"] == name]
        assert len(rr) > 60_000, f"{name}: only {len(rr)} distinct times in R's fit"
        for col in ("time", "n_risk", "n_event", "surv", "std_err", "lower", "upper"):
            assert_r_close(getattr(km, col), rr[col].to_numpy(dtype=float),
                           f"seed {seed} {name} {col}")


def test_threaded_fits_match_r(tmp_path: Path, two_threads: None) -> None:
    """Unweighted, entry times and integer weights (Greenwood), on two threads."""
    _cross_check(tmp_path, fractional=False)


@pytest.mark.slow
def test_threaded_fractional_weights_match_r(tmp_path: Path, two_threads: None) -> None:
    """Fractional weights (the infinitesimal jackknife), on two threads; R takes ~15 s."""
    _cross_check(tmp_path, fractional=True)
