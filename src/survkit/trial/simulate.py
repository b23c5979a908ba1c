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

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.trial.models import MODELS, SurvivalModel, fit_model
from survkit.trial.spec import Trial

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
    client: Any = None,
) -> ABCResult:
    """Rejection ABC for one endpoint of ``trial`` (see the module docstring).

    Parameters are drawn log-normally around the fitted values (``spread`` = SD on the log
    scale, a weakly informative prior); each simulated trial uses the spec's n, accrual window
    and cutoff; it is accepted when its KM with ``method`` prints every landmark of the endpoint.

    The trials are simulated in batches of ``batch``; batch ``i`` draws from its own generator
    ``default_rng(SeedSequence(seed).spawn(i + 1)[i])`` (:func:`survkit._parallel.seeded_batches`),
    so with a ``client`` (a ``distributed.Client``, e.g. on a ``LocalCluster``) the batches run
    on the cluster and the result is identical to the local run with the same ``seed``
    and ``batch``.
    """
    from survkit._parallel import seeded_batches
    from survkit._progress import progress as _progress
    from survkit.check.parse import parse_endpoint
    from survkit.estimate.batch import kaplan_meier_at

    if isinstance(batch, bool) or not isinstance(batch, (int, np.integer)) or batch < 1:
        raise ValueError(f"batch must be a positive integer, got {batch!r}")
    ep = trial.endpoint(endpoint)
    reps = [(lm.time, parse_endpoint(lm.text)) for lm in ep.landmarks]
    if not reps:
        raise ValueError(f"endpoint {endpoint!r} has no printed landmark")
    fit = fit_model(model, [(t, *r.estimate_interval) for t, r in reps])
    accrual = (trial.accrual_end - trial.accrual_start).days / trial.unit_days
    cutoff = trial.max_followup
    at = [t for t, _ in reps]
    n = trial.n

    def one(b: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray, Any, int]:
        theta = np.array(fit.params) * np.exp(spread * rng.standard_normal((b, len(fit.params))))
        if fit.name == "cure":
            theta[:, 0] = np.clip(theta[:, 0], 0.0, 0.999)
        entry = accrual * rng.random((b, n))
        fu = cutoff - entry
        t = _sample_many(fit, theta, (b, n), rng)
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
        return theta[ok], obs[ok], ev[ok], b

    sizes = [min(batch, trials - start) for start in range(0, trials, batch)]
    params, times, events = [], [], []
    done = acc = 0
    results = seeded_batches(one, sizes, seed=seed, client=client)
    show = progress if trials > 10 * batch else False
    for th, ob, ev_ok, b in _progress(results, total=len(sizes), desc="abc", enabled=show):
        params.append(th)
        times.append(ob)
        events.append(ev_ok)
        done += b
        acc += int(th.shape[0])
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


# ----------------------------------------------------------------------------- ABC ensembles
#: Parameter names of each model (in ``SurvivalModel.params`` order).
PARAM_NAMES: dict[str, tuple[str, ...]] = {
    "exponential": ("rate",),
    "weibull": ("scale", "shape"),
    "lognormal": ("mu", "sigma"),
    "loglogistic": ("alpha", "beta"),
    "cure": ("cure_fraction", "rate"),
}


def _perturb(fit: SurvivalModel, b: int, spread: float, rng: np.random.Generator) -> FloatArray:
    """Prior draws of the parameters around ``fit``: log-normal for positive parameters,
    normal for the log-normal ``mu``, logit-normal for the cure fraction."""
    p = np.asarray(fit.params, dtype=np.float64)
    z = rng.standard_normal((b, p.size))
    out = p * np.exp(spread * z)
    if fit.name == "lognormal":
        out[:, 0] = p[0] + spread * z[:, 0]
    if fit.name == "cure":
        c = min(max(p[0], 1e-6), 1 - 1e-6)
        out[:, 0] = 1.0 / (1.0 + np.exp(-(np.log(c / (1 - c)) + 4 * spread * z[:, 0])))
    return out


def _quantile_many(fit: SurvivalModel, theta: FloatArray, u: FloatArray) -> FloatArray:
    """Event times ``S^{-1}(u)`` with per-row parameters ``theta`` (``inf`` when never)."""
    from scipy.special import ndtri

    p = [theta[:, i : i + 1] for i in range(theta.shape[1])]
    name = fit.name
    if name == "exponential":
        return -np.log(u) / p[0]
    if name == "weibull":
        return p[0] * (-np.log(u)) ** (1.0 / p[1])
    if name == "lognormal":
        return np.exp(p[0] + p[1] * ndtri(1.0 - u))
    if name == "loglogistic":
        return p[0] * ((1.0 - u) / u) ** (1.0 / p[1])
    if name == "cure":
        cured = u <= p[0]
        v = np.where(cured, 0.5, (u - p[0]) / np.maximum(1.0 - p[0], 1e-12))
        return np.where(cured, np.inf, -np.log(v) / p[1])
    if name == "piecewise":
        target = -np.log(u)
        edges = np.concatenate(([0.0], fit.cuts, [np.inf]))
        out = np.full(u.shape, np.inf)
        acc = np.zeros(u.shape)
        done = np.zeros(u.shape, dtype=bool)
        for j, lam in enumerate(p):
            cap = lam * (edges[j + 1] - edges[j])
            here = ~done & (target <= acc + cap)
            out = np.where(here, edges[j] + (target - acc) / lam, out)
            done |= here
            acc = acc + cap
        return out
    raise ValueError(f"unknown model {name!r}")


@dataclass(frozen=True, eq=False)
class ABCSummary:
    """What an ABC reconstruction found.

    Attributes
    ----------
    models : tuple of str
        Models in the prior (chosen uniformly per simulated trial).
    fits : dict
        ``(model, endpoint) -> SurvivalModel`` fitted to the printed numbers (prior centres).
    proposed, accepted : dict
        Simulated and accepted trials per model.
    posterior : pandas.DataFrame
        One row per kept draw: ``draw, model`` and ``<endpoint>.<parameter>`` columns.
    spread : float
        Prior spread (SD on the log scale) around the fitted parameters.
    """

    models: tuple[str, ...]
    fits: dict[tuple[str, str], SurvivalModel]
    proposed: dict[str, int]
    accepted: dict[str, int]
    posterior: pd.DataFrame
    spread: float

    @property
    def acceptance_rate(self) -> float:
        """Accepted / simulated trials over all models."""
        p = sum(self.proposed.values())
        return sum(self.accepted.values()) / p if p else float("nan")

    def statements(self) -> list[str]:
        """Plausibility statements, overall and per model."""
        out = [
            f"{100 * self.acceptance_rate:.3g}% of simulated trials like this (n, accrual, cutoff "
            f"of the spec; models {', '.join(self.models)} around their fits) print these "
            f"numbers ({sum(self.accepted.values()):,} of {sum(self.proposed.values()):,})."
        ]
        for m in self.models:
            p, a = self.proposed[m], self.accepted[m]
            if p:
                out.append(f"{m}: {100 * a / p:.3g}% ({a:,} of {p:,}) print these numbers.")
        return out

    def to_frame(self) -> pd.DataFrame:
        """The posterior sample of model parameters (see :attr:`posterior`)."""
        return self.posterior.copy()


def abc_reconstruct(
    trial: Trial,
    draws: int = 1000,
    seed: int | None = None,
    *,
    models: tuple[str, ...] = MODELS,
    spread: float = 0.3,
    batch: int = 100_000,
    max_trials: int = 5_000_000,
    progress: bool | None = None,
) -> Any:
    r"""Simulated-to-be-consistent patient tables by rejection ABC over parametric models.

    For each simulated trial a model is drawn uniformly from ``models``; each endpoint's
    parameters are drawn around the model's fit to that endpoint's printed numbers
    (:func:`survkit.trial.models.fit_model`; ``spread`` is the prior SD on the log
    scale); ``n`` patients enter on whole days uniform over the accrual window and are
    censored at the cutoff. Death and relapse-or-death times share one uniform variate
    (``T_OS = S_OS^{-1}(U)``, ``T_DFS = min(S_DFS^{-1}(U), T_OS)``, a comonotone coupling
    that keeps every DFS event at or before death); a relapse is a DFS event before death. A
    trial is kept when its Kaplan-Meier re-analysis (batched, CI transform found by the
    printed-CI check) prints every printed landmark with its CI and every printed median --
    zero-tolerance rejection ABC (Beaumont, Zhang & Balding 2002). The kept trials'
    parameters are the posterior; the acceptance rate is the plausibility ("x% of trials like
    this print these numbers"). A printed median CI is checked like the median (limits where
    the pointwise bands cross 1/2, ``NR`` = not reached). The trial's ``earliest_relapse`` is
    honoured by *filtering only*: a simulated trial with a relapse before that day is rejected
    (the models are not truncated), which lowers the acceptance rate. Counts, follow-up and
    individual events are *not* conditioned on (the report compares them).

    Returns
    -------
    survkit.trial.exact.Ensemble
        With ``kind="abc"`` and ``abc`` an :class:`ABCSummary`; same patient-table columns as
        the exact method.
    """
    import math
    import time as _time

    from survkit._progress import progress as _progress
    from survkit.check.parse import parse_endpoint
    from survkit.estimate.batch import kaplan_meier_at
    from survkit.estimate.km import kaplan_meier
    from survkit.trial.exact import Ensemble, _build_abc_table, _verify_abc, find_methods

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a survkit Trial, got {type(trial).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    bad = [m for m in models if m not in PARAM_NAMES and m != "piecewise"]
    if bad or not models:
        raise ValueError(f"models: unknown model {bad[0] if bad else models!r}")
    t0 = _time.perf_counter()
    findings, common = find_methods(trial)
    if not common:
        raise ValueError("no CI transform prints every landmark; ABC needs one")
    method = common[0]
    eps = list(trial.endpoints)
    os_eps = [e for e in eps if "relapse" not in e.events]
    dfs_eps = [e for e in eps if "relapse" in e.events]
    if not os_eps:
        raise ValueError("ABC needs an overall-survival endpoint (events = ['death'])")
    targets = []
    for e in eps:
        reps = [(lm.time, parse_endpoint(lm.text)) for lm in e.landmarks]
        meds = (
            []
            if e.median is None or math.isnan(e.median.value)
            else [(e.median.lower, e.median.upper)]
        )
        if not reps and not meds:
            raise ValueError(f"endpoint {e.name!r} has no printed landmark or median to fit")
        targets.append((e, reps, meds))
    fits: dict[tuple[str, str], SurvivalModel] = {}
    for m in models:
        for e, reps, meds in targets:
            fits[(m, e.name)] = fit_model(m, [(t, *r.estimate_interval) for t, r in reps], meds)
    rng = np.random.default_rng(seed)
    ud = trial.unit_days
    n = trial.n
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    proposed = dict.fromkeys(models, 0)
    accepted = dict.fromkeys(models, 0)
    kept: list[dict[str, Any]] = []
    post_rows: list[dict[str, Any]] = []

    def stream() -> Iterator[int]:
        total = 0
        while len(post_rows) < draws and total < max_trials:
            b = min(batch, max_trials - total)
            total += b
            which = rng.integers(0, len(models), size=b)
            fu = rng.integers(fu_lo, fu_hi + 1, size=(b, n)).astype(np.float64)
            u = rng.random((b, n))
            t_os = np.full((b, n), np.inf)
            t_dfs = np.full((b, n), np.inf)
            thetas: dict[str, FloatArray] = {}
            for k, m in enumerate(models):
                rows = np.flatnonzero(which == k)
                proposed[m] += int(rows.size)
                if rows.size == 0:
                    continue
                for e in eps:
                    fit = fits[(m, e.name)]
                    th = _perturb(fit, rows.size, spread, rng)
                    thetas[f"{m}|{e.name}"] = th
                    tt = _quantile_many(fit, th, u[rows]) * ud  # days
                    if e in os_eps[:1]:
                        t_os[rows] = tt
                    elif e in dfs_eps[:1]:
                        t_dfs[rows] = tt
            t_dfs = np.minimum(t_dfs, t_os)
            death = np.where(t_os <= fu, t_os, np.inf)
            rel = np.where((t_dfs < t_os) & (t_dfs <= fu), t_dfs, np.inf)
            ok = np.ones(b, dtype=bool)
            if trial.earliest_relapse > 0:  # filter only (see Notes): no relapse before it
                ok &= ~(rel < trial.earliest_relapse_day - 1e-9).any(axis=1)
            for e, reps, _meds in targets:
                evs = ("relapse", "death") if "relapse" in e.events else ("death",)
                et = np.minimum(rel, death) if "relapse" in evs else death
                ee = et <= fu
                obs = np.where(ee, et, fu) / ud
                if reps:
                    times = sorted({t for t, _ in reps})
                    sel = np.flatnonzero(ok)
                    lb = kaplan_meier_at(obs[sel], ee[sel], times, conf_type=method)
                    good = np.ones(sel.size, dtype=bool)
                    for t_, r in reps:
                        j = times.index(t_)
                        good &= _within(lb.surv[:, j], r.estimate_interval)
                        if r.lower is not None:
                            good &= _within(lb.lower[:, j], r.lower_interval)
                        if r.upper is not None:
                            good &= _within(lb.upper[:, j], r.upper_interval)
                    ok[sel[~good]] = False
                if e.median is not None:
                    ci = e.median_ci
                    level = ci.conf_level if ci is not None and ci.conf_level else 0.95
                    wants = [(e.median.lower, e.median.upper)] + [
                        (bd[1], bd[2]) if bd is not None else None for bd in e.median_bounds
                    ]
                    for i in np.flatnonzero(ok):
                        q = kaplan_meier(obs[i], ee[i], conf_type=method, conf_level=level)
                        qm = q.median()
                        gots = (qm.estimate, qm.lower, qm.upper)
                        for got, want in zip(gots, wants, strict=False):
                            if want is None:
                                continue
                            lo, hi = want
                            if math.isnan(lo):  # printed NR: not reached
                                good_i = math.isnan(got)
                            else:
                                good_i = lo - 1e-9 <= got <= hi + 1e-9
                            if not good_i:
                                ok[i] = False
                                break
            for k, m in enumerate(models):
                accepted[m] += int((ok & (which == k)).sum())
            for i in np.flatnonzero(ok):
                if len(post_rows) >= draws:
                    break
                m = models[int(which[i])]
                rows_m = np.flatnonzero(which == which[i])
                pos = int(np.searchsorted(rows_m, i))
                row: dict[str, Any] = {"draw": len(post_rows), "model": m}
                for e in eps:
                    names = PARAM_NAMES.get(m) or tuple(
                        f"rate{j + 1}" for j in range(len(fits[(m, e.name)].params))
                    )
                    for name, v in zip(names, thetas[f"{m}|{e.name}"][pos], strict=True):
                        row[f"{e.name}.{name}"] = float(v)
                post_rows.append(row)
                kept.append({"fu": fu[i], "rel": rel[i], "death": death[i], "model": m})
                yield 1

    for _ in _progress(stream(), total=draws, desc="abc", enabled=progress):
        pass
    if not kept:
        raise RuntimeError(
            f"no simulated trial printed every number in {sum(proposed.values()):,} trials"
        )
    summary = ABCSummary(tuple(models), fits, proposed, accepted, pd.DataFrame(post_rows), spread)
    patients = _build_abc_table(trial, kept)
    _verify_abc(trial, patients, method)
    return Ensemble(
        trial,
        patients,
        method,
        common,
        findings,
        (),
        sum(proposed.values()),
        sum(accepted.values()),
        seed,
        _time.perf_counter() - t0,
        kind="abc",
        abc=summary,
    )


def _within(x: FloatArray, iv: tuple[float, float]) -> NDArray[np.bool_]:
    return (x >= iv[0] - 1e-12) & (x <= iv[1] + 1e-12)
