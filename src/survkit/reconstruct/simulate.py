r"""Simulate trials from a parametric model and keep those that print the paper's numbers (ABC).

:func:`simulate_trial` draws ``B`` trials of ``n`` patients: entry uniform over the accrual
window (or a given accrual pattern), event times from a :class:`SurvivalModel`, administrative
censoring at ``cutoff - entry`` and optional exponential dropout. :func:`abc` fits the model to
the printed landmarks, draws model parameters from a prior around the fit, simulates trials and
keeps those whose batched Kaplan-Meier re-analysis (:func:`survkit.estimate.batch.kaplan_meier_at`)
prints every landmark -- rejection ABC (Beaumont, Zhang & Balding 2002) with an exact
(zero-tolerance, rounding-interval) acceptance rule. The acceptance rate is the plausibility
statement: "x% of trials like this print these numbers".

References
----------
Beaumont M.A., Zhang W., Balding D.J. (2002). Approximate Bayesian computation in population
genetics. Genetics 162:2025-2035.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.reconstruct.models import SurvivalModel, fit_model
from survkit.reconstruct.trial import Trial

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class SimulatedTrials:
    """``B`` simulated trials: arrays ``time``, ``event``, ``entry`` shaped (B, n) (trial unit)."""

    time: FloatArray
    event: NDArray[np.bool_]
    entry: FloatArray

    def to_frame(self) -> pd.DataFrame:
        """Long table ``trial, patient, entry, time, event``."""
        b, n = self.time.shape
        return pd.DataFrame(
            {
                "trial": np.repeat(np.arange(b), n),
                "patient": np.tile(np.arange(1, n + 1), b),
                "entry": self.entry.ravel(),
                "time": self.time.ravel(),
                "event": self.event.ravel().astype(int),
            }
        )


def simulate_trial(
    model: SurvivalModel,
    n: int,
    *,
    accrual: float,
    cutoff: float,
    trials: int = 1,
    dropout: float = 0.0,
    accrual_shape: float = 1.0,
    seed: int | None = None,
) -> SimulatedTrials:
    """Simulate ``trials`` trials of ``n`` patients.

    Entry ``E = accrual * U^(1/accrual_shape)`` (``accrual_shape = 1``: uniform accrual over
    ``[0, accrual]``; larger: accrual speeding up), potential follow-up ``cutoff - E``, event
    time from ``model``, dropout time exponential with rate ``dropout``; observed time is the
    minimum, event when the event time is the minimum.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not 0 < accrual <= cutoff:
        raise ValueError(
            f"accrual must be in (0, cutoff], got accrual={accrual!r}, cutoff={cutoff!r}"
        )
    if dropout < 0:
        raise ValueError(f"dropout must be non-negative, got {dropout!r}")
    rng = np.random.default_rng(seed)
    entry = accrual * rng.random((trials, n)) ** (1.0 / accrual_shape)
    fu = cutoff - entry
    t = model.sample((trials, n), rng)
    if dropout > 0:
        fu = np.minimum(fu, rng.exponential(1.0 / dropout, size=(trials, n)))
    event = t <= fu
    return SimulatedTrials(np.where(event, t, fu), event, entry)


@dataclass(frozen=True, eq=False)
class ABCResult:
    """Accepted simulated trials and parameters; ``acceptance_rate`` is the plausibility."""

    endpoint: str
    model: SurvivalModel
    proposed: int
    accepted: int
    params: FloatArray
    time: FloatArray
    event: NDArray[np.bool_]

    @property
    def acceptance_rate(self) -> float:
        """Fraction of simulated trials that print every landmark."""
        return self.accepted / self.proposed if self.proposed else float("nan")

    def statement(self) -> str:
        """The plausibility statement."""
        return (
            f"{100 * self.acceptance_rate:.3g}% of simulated {self.model.name} trials like this "
            f"print the {self.endpoint} numbers ({self.accepted} of {self.proposed:,})."
        )

    def to_frame(self) -> pd.DataFrame:
        """Posterior sample of the model parameters, one row per accepted trial."""
        return pd.DataFrame(self.params, columns=[f"param{i}" for i in range(self.params.shape[1])])


def abc(
    trial: Trial,
    endpoint: str = "OS",
    model: str = "cure",
    *,
    trials: int = 100_000,
    method: str = "log",
    spread: float = 0.3,
    seed: int | None = None,
    batch: int = 100_000,
    progress: bool | None = None,
) -> ABCResult:
    """Rejection ABC for one endpoint of ``trial`` (see the module docstring).

    Parameters are drawn log-normally around the fitted values (``spread`` = SD on the log
    scale, a weakly informative prior); each simulated trial uses the spec's n, accrual window
    and cutoff; it is accepted when its KM with ``method`` prints every landmark of the endpoint.
    """
    from survkit._progress import progress as _progress
    from survkit.check.parse import parse_endpoint
    from survkit.estimate.batch import kaplan_meier_at

    ep = trial.endpoint(endpoint)
    reps = [(lm.time, parse_endpoint(lm.text)) for lm in ep.landmarks]
    if not reps:
        raise ValueError(f"endpoint {endpoint!r} has no printed landmark")
    fit = fit_model(model, [(t, *r.estimate_interval) for t, r in reps])
    rng = np.random.default_rng(seed)
    accrual = (trial.accrual_end - trial.accrual_start).days / trial.unit_days
    cutoff = trial.max_followup
    at = [t for t, _ in reps]
    params, times, events = [], [], []
    done = acc = 0
    steps = range(0, trials, batch)
    for start in _progress(steps, desc="abc", enabled=progress if trials > 10 * batch else False):
        b = min(batch, trials - start)
        theta = np.array(fit.params) * np.exp(spread * rng.standard_normal((b, len(fit.params))))
        if fit.name == "cure":
            theta[:, 0] = np.clip(theta[:, 0], 0.0, 0.999)
        entry = accrual * rng.random((b, trial.n))
        fu = cutoff - entry
        t = _sample_many(fit, theta, (b, trial.n), rng)
        ev = t <= fu
        obs = np.where(ev, t, fu)
        lb = kaplan_meier_at(obs, ev, at, conf_type=method)
        ok = np.ones(b, dtype=bool)
        for j, (_t, r) in enumerate(sorted(reps, key=lambda x: x[0])):
            ok &= (lb.surv[:, j] >= r.estimate_interval[0]) & (
                lb.surv[:, j] <= r.estimate_interval[1]
            )
            if r.lower is not None:
                ok &= (lb.lower[:, j] >= r.lower_interval[0]) & (
                    lb.lower[:, j] <= r.lower_interval[1]
                )
            if r.upper is not None:
                ok &= (lb.upper[:, j] >= r.upper_interval[0]) & (
                    lb.upper[:, j] <= r.upper_interval[1]
                )
        params.append(theta[ok])
        times.append(obs[ok])
        events.append(ev[ok])
        done += b
        acc += int(ok.sum())
    return ABCResult(
        endpoint, fit, done, acc, np.vstack(params), np.vstack(times), np.vstack(events)
    )


def _sample_many(
    fit: SurvivalModel, theta: FloatArray, size: tuple[int, int], rng: np.random.Generator
) -> FloatArray:
    """Event times for per-trial parameters ``theta`` (rows) by inversion."""
    u = rng.random(size)
    p = [theta[:, i : i + 1] for i in range(theta.shape[1])]
    if fit.name == "exponential":
        return -np.log(u) / p[0]
    if fit.name == "weibull":
        return p[0] * (-np.log(u)) ** (1.0 / p[1])
    if fit.name == "lognormal":
        from scipy.special import ndtri

        return np.exp(np.log(p[0]) + p[1] * ndtri(1.0 - u))
    if fit.name == "loglogistic":
        return p[0] * ((1.0 - u) / u) ** (1.0 / p[1])
    if fit.name == "cure":
        cured = u < p[0]
        v = np.where(cured, 0.5, (u - p[0]) / np.maximum(1.0 - p[0], 1e-12))
        return np.where(cured, np.inf, -np.log(v) / p[1])
    # piecewise: per-trial rates not varied; use the fitted rates
    return fit.sample(size, rng)
