r"""Simulate trials from a parametric model and keep those that print the paper's numbers (ABC).

:func:`simulate_trial` draws ``B`` trials of ``n`` patients: entry uniform over the accrual
window (or a given accrual pattern), event times from a :class:`SurvivalModel`, administrative
censoring at ``cutoff - entry`` and optional exponential dropout. :func:`abc` fits the model to
the printed landmarks, draws model parameters from a prior around the fit, simulates trials and
keeps those whose batched Kaplan-Meier re-analysis (:func:`survkit.estimate.batch.kaplan_meier_at`)
prints every landmark -- rejection ABC (Beaumont, Zhang & Balding 2002) with an exact
(zero-tolerance, rounding-interval) acceptance rule. The acceptance rate is the plausibility
statement: "x% of trials like this print these numbers". :func:`abc_reconstruct` does this for
a whole trial spec: every endpoint, early censoring per ``[censoring] early`` and cumulative
incidences of relapse and non-relapse mortality.

References
----------
Beaumont M.A., Zhang W., Balding D.J. (2002). Approximate Bayesian computation in population
genetics. Genetics 162:2025-2035.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.trial.budget import Budget
from survkit.trial.models import MODELS, SurvivalModel, family, fit_model
from survkit.trial.spec import Endpoint, Trial

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

    Parameters are drawn around the fitted values on the model family's unconstrained scale
    (``spread`` = prior SD there: log-normal rates and scales, normal log-normal ``mu``; see
    :class:`survkit.trial.models.ModelFamily`), and event times come from the same family
    by inversion; each simulated trial uses the spec's n, accrual window and cutoff; it is
    accepted when its KM with ``method`` prints every landmark of the endpoint.

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
    reps = [(lm.time, parse_endpoint(lm.text, rounding=trial.convention)) for lm in ep.landmarks]
    if not reps:
        raise ValueError(f"endpoint {endpoint!r} has no printed landmark")
    fit = fit_model(model, [(t, *r.estimate_interval) for t, r in reps])
    accrual = (trial.accrual_end - trial.accrual_start).days / trial.unit_days
    cutoff = trial.max_followup
    at = [t for t, _ in reps]
    n = trial.n
    fam = fit.family

    def one(b: int, rng: np.random.Generator) -> tuple[Any, Any, Any, int]:
        th = fam.prior(fit.theta, b, spread, rng)
        theta = fam.natural(th)
        entry = accrual * rng.random((b, n))
        fu = cutoff - entry
        t = fam.sample(th, (b, n), rng)
        ev = t <= fu
        obs = np.where(ev, t, fu)
        lb = kaplan_meier_at(obs, ev, at, conf_type=method)
        ok = np.ones(b, dtype=bool)
        for j, (_t, r) in enumerate(sorted(reps, key=lambda x: x[0])):
            ok &= _within(lb.surv[:, j], r.estimate_interval)
            if r.lower is not None:
                ok &= _within(lb.lower[:, j], r.lower_interval)
            if r.upper is not None:
                ok &= _within(lb.upper[:, j], r.upper_interval)
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


# ----------------------------------------------------------------------------- ABC ensembles
#: Parameter names of each model (in ``SurvivalModel.params`` order); piecewise: rate1, ...
PARAM_NAMES: dict[str, tuple[str, ...]] = {
    m: family(m).param_names for m in MODELS if m != "piecewise"
}


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


@dataclass(frozen=True)
class _Target:
    """What one endpoint printed, ready for batched checks (landmarks, median and its CI)."""

    endpoint: Endpoint
    landmarks: tuple[tuple[float, Any], ...]  # (time, Reported)
    median: tuple[float, float] | None  # printed median interval; (nan, nan) for NR
    median_limits: tuple[tuple[float, float] | None, ...]  # lower, upper; (nan, nan) = NR
    conf_level: float

    @property
    def has_median(self) -> bool:
        return self.median is not None


@dataclass(frozen=True)
class _Bare:
    """A landmark printed without a CI ("100%"): only its estimate is checked."""

    estimate_interval: tuple[float, float]
    lower: None = None
    upper: None = None
    lower_interval: tuple[float, float] = (math.nan, math.nan)
    upper_interval: tuple[float, float] = (math.nan, math.nan)


_BARE = re.compile(r"^\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<pct>%?)\s*$")


def _parse_landmark(text: str, rounding: Any = "any") -> Any:
    """A printed landmark: :func:`~survkit.check.parse.parse_endpoint`, or a bare estimate
    (``"100%"``, ``"0.85"``) as its rounding interval (nearest rounding, outward)."""
    from survkit.check.parse import parse_endpoint, rounding_interval

    m = _BARE.match(text)
    if m is None:
        return parse_endpoint(text, rounding=rounding)
    v = m.group("v")
    decimals = len(v.split(".")[1]) if "." in v else 0
    scale = 100.0 if m.group("pct") or float(v) > 1 else 1.0
    lo, hi = rounding_interval(float(v), decimals, rounding, clip=False)
    return _Bare((max(lo / scale, 0.0), min(hi / scale, 1.0)))


def _has_ci(text: str) -> bool:
    return _BARE.match(text) is None


def _ci_landmarks_only(trial: Trial) -> Trial:
    """``trial`` without its landmarks printed without a CI (for the printed-CI check)."""
    eps = tuple(
        replace(e, landmarks=tuple(lm for lm in e.landmarks if _has_ci(lm.text)))
        for e in trial.endpoints
    )
    return replace(trial, endpoints=eps)


def _targets(trial: Trial) -> list[_Target]:
    """The printed facts of every endpoint (an endpoint with none is refused)."""
    out = []
    for e in trial.endpoints:
        reps = tuple((lm.time, _parse_landmark(lm.text, trial.convention)) for lm in e.landmarks)
        med = None if e.median is None else (e.median.lower, e.median.upper)
        lims = tuple(None if bd is None else (bd[1], bd[2]) for bd in e.median_bounds)
        ci = e.median_ci
        level = ci.conf_level if ci is not None and ci.conf_level else 0.95
        if not reps and med is None:
            raise ValueError(f"endpoint {e.name!r} has no printed landmark or median")
        out.append(_Target(e, reps, med, lims, float(level)))
    return out


def _fit_facts(
    tg: _Target, max_followup: float
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float]]]:
    """Landmark intervals and median intervals to fit a model to (the prior's centre).

    A median printed NR says :math:`S \\ge 1/2` up to the last follow-up (a one-sided
    landmark at the longest follow-up) and, with a printed lower CI limit, at that limit.
    """
    lms = [(t, *r.estimate_interval) for t, r in tg.landmarks]
    meds: list[tuple[float, float]] = []
    if tg.median is not None:
        lo, hi = tg.median
        if math.isnan(lo):  # NR
            lms.append((max_followup, 0.5, 1.0))
            low = tg.median_limits[0] if tg.median_limits else None
            if low is not None and not math.isnan(low[0]) and low[1] < max_followup:
                lms.append((low[1], 0.5, 1.0))
        else:
            meds.append((lo, hi))
    return lms, meds


def _endpoint_data(
    events: tuple[str, ...], rel: FloatArray, death: FloatArray, fu: FloatArray
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Observed times and event flags of an endpoint from latent relapse/death days.

    The endpoint ends at the first of its event kinds; the other kinds and the follow-up
    censor it.
    """
    inf = np.full(fu.shape, np.inf)
    et = np.minimum(rel if "relapse" in events else inf, death if "death" in events else inf)
    stop = np.minimum(fu, death) if "death" not in events else fu
    ev = et <= stop
    return np.where(ev, et, stop), ev


def _median_ok(
    got: FloatArray, want: tuple[float, float] | None
) -> NDArray[np.bool_]:
    """Whether each reproduced median (or limit) prints as ``want`` (nan, nan = NR)."""
    if want is None:
        return np.ones(got.shape, dtype=bool)
    lo, hi = want
    if math.isnan(lo):
        return np.isnan(got)
    return (got >= lo - 1e-9) & (got <= hi + 1e-9)


#: Early censorings drawn per simulated trial when ``[censoring] early`` is ``"allowed"``
#: or ``"unknown"``: at most this fraction of ``n`` (at least one).
EARLY_FRACTION = 1 / 3

#: Under ``[censoring] early = "unknown"`` this share of the batches (rounded down) comes
#: first and draws no early censoring ("none first"); in the later ones half the simulated
#: trials draw none and half 1 to ``ceil(n/3)`` (:func:`draw_early_censoring`).
NONE_FIRST = 0.2


def early_count_range(trial: Trial) -> tuple[int, int]:
    """The numbers of early censorings ABC draws from, ``(lo, hi)`` (both included).

    ``[censoring] early = "none"``: ``(0, 0)``; a count or ``{min, max}``: those bounds;
    ``"allowed"`` and ``"unknown"``: ``(0, max(1, ceil(n / 3)))`` (see
    :data:`EARLY_FRACTION`; under ``"unknown"`` :func:`abc_reconstruct` draws none in its
    first batches, :data:`NONE_FIRST`).
    """
    early = trial.censoring.early
    if early == "none":
        return (0, 0)
    if isinstance(early, tuple):
        return (int(early[0]), int(min(early[1], trial.n)))
    return (0, max(1, math.ceil(trial.n * EARLY_FRACTION)))


def draw_early_censoring(
    trial: Trial, fu: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Each patient's early-censoring day (``inf``: followed to the cutoff), shape (B, n).

    A number ``k`` is drawn per simulated trial -- uniform over :func:`early_count_range`;
    under ``"unknown"`` ``k = 0`` with probability 1/2 and uniform over ``1..hi`` otherwise
    -- then ``k`` distinct patients uniformly, each censored on a
    whole day uniform over ``1 .. fu - 1`` (its potential follow-up ``fu`` in days; a patient
    with ``fu < 2`` days is not censored early). The draws come from ``rng`` only, after the
    latent event times, so trials without early censoring keep the draws they had.
    """
    b, n = fu.shape
    lo, hi = early_count_range(trial)
    end = np.full((b, n), np.inf)
    if hi <= 0:
        return end
    k: NDArray[np.int64]
    if trial.censoring.early == "unknown":  # none in half the trials, 1..hi in the others
        none = rng.random(b) < 0.5
        k = np.where(none, 0, rng.integers(1, hi + 1, size=b)).astype(np.int64)
    else:
        k = np.asarray(rng.integers(lo, hi + 1, size=b), dtype=np.int64)
    # k distinct patients per trial: the k smallest of n uniform keys
    keys = rng.random((b, n))
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)
    chosen = rank < k[:, None]
    day = np.floor(rng.random((b, n)) * np.maximum(fu - 1.0, 0.0)) + 1.0
    ok = chosen & (fu >= 2.0)
    end[ok] = day[ok]
    return end


def apply_early_censoring(
    rel: FloatArray, death: FloatArray, fu: FloatArray, end: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.int64]]:
    """Censor latent event days at ``end``: what is observed, and the early censorings.

    An event on or before ``end`` is observed; a later one is not (``inf``). A patient who
    died by ``end`` was not censored early (``end`` becomes ``inf``). Returns ``rel, death,
    end`` and the number of early censorings per trial (``end < fu`` and no observed death:
    the count :func:`survkit.trial.reanalysis.reproduce` checks).
    """
    rel = np.where(rel <= end, rel, np.inf)
    death = np.where(death <= end, death, np.inf)
    end = np.where(np.isfinite(death), np.inf, end)
    count = ((end < fu) & ~np.isfinite(death)).sum(axis=1).astype(np.int64)
    return rel, death, end, count


@dataclass(frozen=True)
class _Incidence:
    """A printed cumulative incidence, ready for batched checks."""

    endpoint: Endpoint
    cause_index: int  # 0 relapse, 1 NRM (survkit.trial.cif cause codes minus 1)
    landmarks: tuple[tuple[float, Any], ...]  # (time, Reported or _Bare)


def _incidences(trial: Trial) -> list[_Incidence]:
    out = []
    for ep in trial.incidence_endpoints:
        reps = tuple((lm.time, _parse_landmark(lm.text, trial.convention)) for lm in ep.landmarks)
        out.append(_Incidence(ep, 0 if ep.cause == "relapse" else 1, reps))
    return out


def _point(r: Any) -> float:
    lo, hi = r.estimate_interval
    return 0.5 * (lo + hi)


def _composite_from_incidences(incs: list[_Incidence]) -> _Target | None:
    """A relapse-or-death target from printed incidences when the spec has no such survival
    endpoint: ``S(t) = 1 - CIR(t) - NRM(t)`` where both are printed at ``t``, else ``1 - F``
    of the one printed (the other cause taken as negligible there, a prior centre only)."""
    by_t: dict[float, dict[int, Any]] = {}
    for inc in incs:
        for t, r in inc.landmarks:
            by_t.setdefault(t, {})[inc.cause_index] = r
    lms = []
    for t, rs in sorted(by_t.items()):
        lo = 1.0 - sum(r.estimate_interval[1] for r in rs.values())
        hi = 1.0 - sum(r.estimate_interval[0] for r in rs.values())
        lms.append((t, _Bare((min(max(lo, 0.0), 1.0), min(max(hi, 0.0), 1.0)))))
    if not lms:
        return None
    ep = Endpoint("relapse or death", ("relapse", "death"))
    return _Target(ep, tuple(lms), None, (), 0.95)


def _nrm_share(incs: list[_Incidence], comp: SurvivalModel | None) -> float:
    """Prior centre of the share of relapse-or-death events that are deaths without relapse.

    From a time where both incidences are printed: ``NRM / (CIR + NRM)``; else from one
    incidence and the composite model: ``1 - CIR / F`` or ``NRM / F`` with ``F = 1 - S``.
    Clipped to ``[0.02, 0.98]``.
    """
    by_t: dict[float, dict[int, float]] = {}
    for inc in incs:
        for t, r in inc.landmarks:
            by_t.setdefault(t, {})[inc.cause_index] = _point(r)
    share = math.nan
    for _t, v in sorted(by_t.items()):
        if 0 in v and 1 in v and v[0] + v[1] > 0:
            share = v[1] / (v[0] + v[1])
            break
    if math.isnan(share) and by_t:
        t, v = next(iter(sorted(by_t.items())))
        f = 1.0 - float(comp.survival(t)[0]) if comp is not None else math.nan
        if 0 in v:
            share = 1.0 - v[0] / f if f > 0 else 0.1
        else:
            share = v[1] / f if f > 0 else 0.9
    if math.isnan(share):
        share = 0.5
    return float(min(max(share, 0.02), 0.98))


def _incidence_ok(
    incs: list[_Incidence],
    conf_type: str,
    rel: FloatArray,
    death: FloatArray,
    obs: FloatArray,
    tally: Any,
) -> NDArray[np.bool_]:
    """Which tables print every incidence landmark (trial unit): estimates batched
    (:func:`survkit.trial.cif.incidence_at_batch`), then CI limits table by table for the
    tables whose estimates print (:func:`survkit.trial.cif.incidence_landmarks`)."""
    from survkit.trial.cif import competing_outcome, incidence_at_batch, incidence_landmarks

    b = rel.shape[0]
    good = np.ones(b, dtype=bool)
    if b == 0:
        return good
    time, cause = competing_outcome(rel, death, obs)
    for inc in incs:
        name = inc.endpoint.name
        times = sorted({t for t, _ in inc.landmarks})
        est = incidence_at_batch(time, cause, times)[:, inc.cause_index, :]
        for t_, r in inc.landmarks:
            good &= _within(est[:, times.index(t_)], r.estimate_interval)
            tally(f"incidence {name} at {t_:g}: estimate", good)
        if not any(r.lower is not None or r.upper is not None for _, r in inc.landmarks):
            continue
        if not good.any():
            continue
        il = incidence_landmarks(
            rel, death, obs, times, cause=inc.endpoint.cause, conf_type=conf_type, rows=good
        )
        for t_, r in inc.landmarks:
            j = times.index(t_)
            for what, got, iv, printed in (
                ("lower", il.lower, r.lower_interval, r.lower is not None),
                ("upper", il.upper, r.upper_interval, r.upper is not None),
            ):
                if printed:
                    good &= _within(got[:, j], iv)
                    tally(f"incidence {name} at {t_:g}: {what}", good)
    return good


def _verify(trial: Trial, patients: pd.DataFrame, conf_type: str) -> None:
    """Re-analyse the kept draws from the final table (early censoring included): every
    printed landmark, median, incidence and early-censoring count must be printed."""
    from survkit.trial.reanalysis import reproduce, table_arrays, table_end

    fu, rel, death, b = table_arrays(trial, patients)
    end = table_end(trial, patients)
    for q in reproduce(trial, fu, rel, death, [""] * b, conf_type, end=end):
        checked = (
            " at " in q.quantity
            or q.quantity.startswith("median ")
            or q.quantity == "early censorings"
        )
        if checked and (~q.ok).any():
            k = int(np.argmax(~q.ok))
            raise RuntimeError(
                f"ABC draw {k} does not print {q.quantity} = {q.printed} "
                f"(reproduced {q.values[k]!r}): a sampler bug"
            )


def abc_reconstruct(
    trial: Trial,
    draws: int = 1000,
    *,
    seed: int | None = None,
    models: tuple[str, ...] = MODELS,
    spread: float = 0.3,
    budget: Budget | None = None,
    batch: int | None = None,
    max_trials: int | None = None,
    progress: bool | None = None,
    client: Any = None,
) -> Any:
    r"""Simulated-to-be-consistent patient tables by rejection ABC over parametric models.

    For each simulated trial a model is drawn uniformly from ``models``. Latent event times
    come from two generating endpoints: the first endpoint whose events are death only
    (overall survival) and the first whose events include ``"relapse"`` (any composite:
    PFS, EFS, DFS, LFS, cancer-free survival, ...). Each generating endpoint's parameters
    are drawn around the model's fit to that endpoint's printed numbers
    (:func:`survkit.trial.models.fit_model`; the prior is normal on the family's
    unconstrained scale with SD ``spread``); ``n`` patients enter on whole days uniform over
    the accrual window and are censored at the cutoff. Death and relapse-or-death times share
    one uniform variate (``T_OS = S_OS^{-1}(U)``, ``T_comp = min(S_comp^{-1}(U), T_OS)``, a
    comonotone coupling that keeps every composite event at or before death); a relapse is a
    composite event before death. Without a death-only endpoint no death is drawn apart from
    the composite event (every composite event is recorded as a relapse); without a
    composite endpoint no relapse is drawn.

    A simulated trial is kept when its Kaplan-Meier re-analysis prints every printed number
    of *every* endpoint: landmarks with their CIs (batched, :func:`~survkit.estimate.batch.
    kaplan_meier_at`) and medians with their CI limits (batched,
    :func:`~survkit.estimate.batch.kaplan_meier_median`; ``NR`` = not reached) -- zero-
    tolerance rejection ABC (Beaumont, Zhang & Balding 2002). The CI transform is the one the
    printed-CI check finds for the landmarks; a trial that prints no landmark (medians only)
    tries every transform and keeps the one whose median CIs are printed by the most draws.
    The kept trials' parameters are the posterior; the acceptance rate is the plausibility
    ("x% of trials like this print these numbers"). The trial's ``earliest_relapse`` is
    honoured by *filtering only* (a simulated trial with an earlier relapse is rejected).

    **Early censoring** (lost to follow-up, censored at transplant) follows ``[censoring]
    early`` (:func:`draw_early_censoring`): ``"none"`` draws none; a count or ``{min, max}``
    draws that many patients per simulated trial and keeps only trials whose realised count
    (a patient who died first is not censored) is in the range; ``"allowed"`` draws 0 to
    ``ceil(n/3)``; ``"unknown"`` draws none in the first 20% of the batches
    (:data:`NONE_FIRST`, rounded down: "none first"), and in the later ones none in half the
    simulated trials and 1 to ``ceil(n/3)`` in the other half.
    Each chosen patient is censored for every
    endpoint on a whole day uniform over its potential follow-up; the patient table gets the
    ``censored_<unit>`` column and the posterior an ``early_censorings`` column.

    **Cumulative incidences** (``kind = "cumulative_incidence"``: relapse, NRM) are simulated
    from the same latent times: in each simulated trial a share ``q`` of the relapses becomes
    deaths without relapse at the same day (``logit q`` normal around the printed share, SD
    ``2 * spread``; column ``nrm_share`` of the posterior); without a relapse-or-death survival
    endpoint the composite times are fitted to ``1 - CIR - NRM``. A trial is kept only when
    its Aalen-Johansen incidences print, estimates batched
    (:func:`survkit.trial.cif.incidence_at_batch`) and CI limits (R's infinitesimal jackknife)
    for the trials left, under the one transform
    :func:`survkit.trial.methods.find_incidence_methods` allows for every incidence.

    Counts, follow-up and individual events are *not* conditioned on (the report compares
    them). Every kept draw is re-analysed from the final patient table
    (:func:`survkit.trial.reanalysis.reproduce`, early censoring included) before it is
    returned.

    Parameters
    ----------
    trial : Trial
    draws : int
        Accepted trials wanted.
    seed : int, optional (keyword only)
        Seed of the random generator; one is drawn (and recorded) when not given, so that
        every run can be repeated.
    models : tuple of str
        Model families of the prior (:data:`survkit.trial.models.MODELS`).
    spread : float
        Prior SD on the unconstrained scale around the fits.
    budget : Budget, optional
        The work allowed (:class:`survkit.trial.budget.Budget`): ``max_proposals`` simulated
        trials at most in all, ``batch`` simulated trials per vectorized step (its other
        fields are the exact engine's). Default ``Budget(max_proposals=5_000_000,
        batch=100_000)``.
    batch, max_trials : int, optional
        The same two knobs as plain keywords (``budget.batch``, ``budget.max_proposals``);
        not together with ``budget``.
    progress : bool, optional
        Progress bar.
    client : distributed.Client, optional
        Simulate and judge the batches on this client's cluster. Batch ``i`` draws from the
        ``i``-th child of ``SeedSequence(seed)`` (:func:`survkit._parallel.seeded_batches`) and
        the batches are tallied in order, so the draws are the same as the local run's with the
        same ``seed`` and ``batch``.

    Returns
    -------
    survkit.trial.ensemble.Ensemble
        With ``kind="abc"`` and ``abc`` an :class:`ABCSummary`; same patient-table columns as
        the exact method. ``partial`` is True when the budget ran out with fewer than
        ``draws`` accepted trials (each kept draw still prints every number).

    Raises
    ------
    survkit.trial.errors.ReconstructionBudgetError
        (a ``RuntimeError``) When no simulated trial printed every number within
        ``max_trials``: undecided, the message says how many trials printed every fact up to
        each one.
    survkit.trial.errors.InfeasibleSpecError
        (a ``ValueError``) When no CI transform prints a landmark or an incidence CI, or no
        one transform prints them all: a proof that the printed numbers conflict.
    ValueError
        When the landmarks are printed only by a hand calculation (ABC cannot judge them).
    """
    import time as _time

    from survkit._parallel import seeded_batches
    from survkit._progress import progress as _progress
    from survkit.estimate.batch import kaplan_meier_at, kaplan_meier_median
    from survkit.estimate.ci import CONF_TYPES
    from survkit.trial.ensemble import Ensemble
    from survkit.trial.errors import InfeasibleSpecError, ReconstructionBudgetError
    from survkit.trial.methods import find_incidence_methods, find_methods
    from survkit.trial.patients import build_abc_table

    if not isinstance(trial, Trial):
        raise TypeError(f"trial must be a survkit Trial, got {type(trial).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise TypeError(f"seed must be an integer or None, got {seed!r}")
    bad = [m for m in models if m not in MODELS]
    if bad or not models:
        raise ValueError(f"models: unknown model {bad[0] if bad else models!r}")
    if budget is not None and not isinstance(budget, Budget):
        raise TypeError(f"budget must be a survkit Budget, got {type(budget).__name__}")
    if budget is not None and (batch is not None or max_trials is not None):
        raise ValueError("give either budget or batch/max_trials, not both")
    for name, v in (("batch", batch), ("max_trials", max_trials)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1):
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if budget is None:
        budget = Budget(
            max_proposals=int(max_trials) if max_trials is not None else 5_000_000,
            batch=int(batch) if batch is not None else 100_000,
        )
    batch, max_trials = budget.batch, budget.max_proposals
    if seed is None:
        seed = int(np.random.default_rng().integers(2**62))
    t0 = _time.perf_counter()
    targets = _targets(trial)
    checked = _ci_landmarks_only(trial)
    findings, common = find_methods(checked)
    if any(_has_ci(lm.text) for e in trial.endpoints for lm in e.landmarks):
        if not common and any("hand" in f.consistent for f in findings):
            hand = [f"{f.endpoint} at {f.time:g}: {f.text}" for f in findings
                    if not set(f.consistent) - {"hand"}]
            raise ValueError(
                f"{'; '.join(hand) or 'the landmarks'}: printed only by a CI computed by hand "
                "from rounded numbers (see survkit.check_ci), not by one CI transform; ABC "
                "simulates under a software CI transform and cannot judge it"
            )
        if not common:
            none = [f"{f.endpoint} at {f.time:g}: {f.text}" for f in findings if not f.consistent]
            why = (
                f"no CI transform prints {'; '.join(none)} with n = {trial.n}"
                if none
                else "no one CI transform prints every landmark"
            )
            raise InfeasibleSpecError(
                f"{why}: the printed numbers conflict, and ABC needs a transform",
                {"as printed": tuple(f"{f.endpoint} at {f.time:g}" for f in findings
                                     if not f.consistent) or ("every landmark",)},
            )
        methods: tuple[str, ...] = (common[0],)
    else:  # medians only: the median CI decides the transform
        methods = tuple(CONF_TYPES)
    incs = _incidences(trial)
    inc_conf = ""
    if incs:
        _inc_findings, inc_transforms = find_incidence_methods(trial)
        if any(r.lower is not None or r.upper is not None for i in incs for _, r in i.landmarks):
            if not inc_transforms:
                raise InfeasibleSpecError(
                    "no one CI transform prints every cumulative-incidence landmark "
                    "(survkit.check.cif.check_cif_ci): the printed numbers conflict",
                    {"as printed": tuple(f"{i.endpoint.name} at {t:g}"
                                         for i in incs for t, _ in i.landmarks)},
                )
            inc_conf = inc_transforms[0]
    os_t = next((tg for tg in targets if tg.endpoint.events == ("death",)), None)
    comp_t = next((tg for tg in targets if "relapse" in tg.endpoint.events), None)
    if comp_t is None and incs:
        comp_t = _composite_from_incidences(incs)
    gens = [tg for tg in (os_t, comp_t) if tg is not None]
    if not gens:
        raise ValueError(
            "ABC needs an endpoint with events ['death'] or one including 'relapse'; "
            f"got {[tg.endpoint.events for tg in targets]!r}"
        )
    fits: dict[tuple[str, str], SurvivalModel] = {}
    for m in models:
        for tg in gens:
            lms, meds = _fit_facts(tg, trial.max_followup)
            fits[(m, tg.endpoint.name)] = fit_model(m, lms, meds)
    nrm0 = math.nan
    if incs:
        comp_fit = fits[(models[0], comp_t.endpoint.name)] if comp_t is not None else None
        nrm0 = _nrm_share(incs, comp_fit)
    early_lo, early_hi = early_count_range(trial)
    count_early = isinstance(trial.censoring.early, tuple)
    ud = trial.unit_days
    n = trial.n
    fu_lo = (trial.cutoff - trial.accrual_end).days
    fu_hi = (trial.cutoff - trial.accrual_start).days
    proposed = dict.fromkeys(models, 0)
    accepted = dict.fromkeys(models, 0)
    kept: dict[str, list[dict[str, Any]]] = {ct: [] for ct in methods}
    post: dict[str, list[dict[str, Any]]] = {ct: [] for ct in methods}

    reached: dict[str, int] = {}  # simulated trials that passed each fact and all before it

    def best() -> str:
        return max(methods, key=lambda ct: len(post[ct]))

    def one(item: tuple[int, int], rng: np.random.Generator) -> dict[str, Any]:
        """Simulate and judge batch ``i`` of ``b`` trials, ``item = (i, b)`` (runs locally or
        on a Dask worker)."""
        i_batch, b = item
        reached: dict[str, int] = {}

        def tally(fact: str, good: NDArray[np.bool_]) -> None:
            reached[fact] = reached.get(fact, 0) + int(good.sum())

        which = rng.integers(0, len(models), size=b)
        fu = rng.integers(fu_lo, fu_hi + 1, size=(b, n)).astype(np.float64)
        u = rng.random((b, n))
        t_gen = {tg.endpoint.name: np.full((b, n), np.inf) for tg in gens}
        thetas: dict[tuple[str, str], FloatArray] = {}
        rows_of: dict[str, NDArray[np.intp]] = {}
        for k, m in enumerate(models):
            rows = np.flatnonzero(which == k)
            rows_of[m] = rows
            if rows.size == 0:
                continue
            for tg in gens:
                fit = fits[(m, tg.endpoint.name)]
                fam = fit.family
                th = fam.prior(fit.theta, rows.size, spread, rng)
                thetas[(m, tg.endpoint.name)] = fam.natural(th)
                t_gen[tg.endpoint.name][rows] = fam.isf(u[rows], th) * ud  # days
        t_os = t_gen[os_t.endpoint.name] if os_t is not None else np.full((b, n), np.inf)
        if comp_t is not None:
            t_comp = np.minimum(t_gen[comp_t.endpoint.name], t_os)
        else:
            t_comp = t_os
        if os_t is not None:
            death = np.where(t_os <= fu, t_os, np.inf)
            rel = np.where((t_comp < t_os) & (t_comp <= fu), t_comp, np.inf)
        else:  # no death-only endpoint: every composite event is recorded as a relapse
            death = np.full((b, n), np.inf)
            rel = np.where(t_comp <= fu, t_comp, np.inf)
        # draws below come after every draw above, so that trials without incidences or
        # early censoring keep the latent times they always had for a seed
        share = np.full(b, np.nan)
        if incs:  # deaths without relapse: a share of the relapses becomes NRM deaths
            share = 1.0 / (1.0 + np.exp(-(math.log(nrm0 / (1.0 - nrm0))
                                          + 2.0 * spread * rng.standard_normal(b))))
            to_nrm = np.isfinite(rel) & (rng.random((b, n)) < share[:, None])
            death = np.where(to_nrm, rel, death)
            rel = np.where(to_nrm, np.inf, rel)
        end = np.full((b, n), np.inf)
        n_early = np.zeros(b, dtype=np.int64)
        if early_hi > 0 and i_batch >= none_first:
            end = draw_early_censoring(trial, fu, rng)
            rel, death, end, n_early = apply_early_censoring(rel, death, fu, end)
        obs_end = np.minimum(fu, end)
        sel = np.arange(b)
        if count_early:  # a printed count: the realised early censorings must be in it
            sel = sel[(n_early[sel] >= early_lo) & (n_early[sel] <= early_hi)]
            reached["early censorings"] = reached.get("early censorings", 0) + sel.size
        if trial.earliest_relapse > 0:  # filter only (see Notes): no relapse before it
            sel = sel[~(rel < trial.earliest_relapse_day - 1e-9).any(axis=1)]
            reached["earliest relapse"] = reached.get("earliest relapse", 0) + sel.size
        # method-free checks first: landmark estimates and medians
        for tg in targets:
            if sel.size == 0:
                break
            obs, ee = _endpoint_data(tg.endpoint.events, rel[sel], death[sel], obs_end[sel])
            obs = obs / ud
            good = np.ones(sel.size, dtype=bool)
            name = tg.endpoint.name
            if tg.landmarks:
                times = sorted({t for t, _ in tg.landmarks})
                lb = kaplan_meier_at(obs, ee, times, conf_type=methods[0])
                for t_, r in tg.landmarks:
                    j = times.index(t_)
                    for what, got, iv, printed in (
                        ("estimate", lb.surv, r.estimate_interval, True),
                        ("lower", lb.lower, r.lower_interval, r.lower is not None),
                        ("upper", lb.upper, r.upper_interval, r.upper is not None),
                    ):
                        if printed:
                            good &= _within(got[:, j], iv)
                            tally(f"{name} at {t_:g}: {what}", good)
            if tg.median is not None and good.any():
                mb = kaplan_meier_median(obs[good], ee[good], limits=False)
                idx = np.flatnonzero(good)
                good[idx[~_median_ok(mb.estimate, tg.median)]] = False
                tally(f"median {name}", good)
            sel = sel[good]
        if incs and sel.size:
            good = _incidence_ok(
                incs, inc_conf, rel[sel] / ud, death[sel] / ud, obs_end[sel] / ud, tally
            )
            sel = sel[good]
        # median CI limits, per candidate transform
        ok_by: dict[str, NDArray[np.intp]] = {}
        for ct in methods:
            s_ct = sel
            for tg in targets:
                if s_ct.size == 0 or not tg.median_limits:
                    continue
                obs, ee = _endpoint_data(
                    tg.endpoint.events, rel[s_ct], death[s_ct], obs_end[s_ct]
                )
                mb = kaplan_meier_median(
                    obs / ud, ee, conf_type=ct, conf_level=tg.conf_level
                )
                g = np.ones(s_ct.size, dtype=bool)
                for what, got, want in zip(
                    ("lower", "upper"), (mb.lower, mb.upper), tg.median_limits, strict=False
                ):
                    g &= _median_ok(got, want)
                    if want is not None:
                        tally(f"median {tg.endpoint.name}: {what} ({ct})", g)
                s_ct = s_ct[g]
            ok_by[ct] = s_ct
        return {"which": which, "fu": fu, "rel": rel, "death": death, "thetas": thetas,
                "rows_of": rows_of, "ok_by": ok_by, "reached": reached, "end": end,
                "n_early": n_early, "share": share}

    sizes = [min(batch, max_trials - s0) for s0 in range(0, max_trials, batch)]
    none_first = (
        math.floor(NONE_FIRST * len(sizes)) if trial.censoring.early == "unknown" else 0
    )

    def stream() -> Iterator[int]:
        for res in seeded_batches(one, list(enumerate(sizes)), seed=seed, client=client):
            which, fu, rel, death = res["which"], res["fu"], res["rel"], res["death"]
            end, n_early, share = res["end"], res["n_early"], res["share"]
            thetas, rows_of, ok_by = res["thetas"], res["rows_of"], res["ok_by"]
            b = which.size
            for m in models:
                proposed[m] += int(rows_of[m].size)
            for fact, count in res["reached"].items():
                reached[fact] = reached.get(fact, 0) + count
            lead = max(methods, key=lambda ct: len(post[ct]) + ok_by[ct].size)
            ok = np.zeros(b, dtype=bool)
            ok[ok_by[lead]] = True
            for k, m in enumerate(models):
                accepted[m] += int((ok & (which == k)).sum())
            for ct in methods:
                for i in ok_by[ct]:
                    if len(post[ct]) >= draws:
                        break
                    m = models[int(which[i])]
                    pos = int(np.searchsorted(rows_of[m], i))
                    row: dict[str, Any] = {"draw": len(post[ct]), "model": m}
                    for tg in gens:
                        fit = fits[(m, tg.endpoint.name)]
                        vals = thetas[(m, tg.endpoint.name)][pos]
                        for name, v in zip(fit.param_names, vals, strict=True):
                            row[f"{tg.endpoint.name}.{name}"] = float(v)
                    if early_hi > 0:
                        row["early_censorings"] = int(n_early[i])
                    if incs:
                        row["nrm_share"] = float(share[i])
                    post[ct].append(row)
                    kept[ct].append({"fu": fu[i], "rel": rel[i], "death": death[i], "model": m,
                                     "end": end[i]})
                    if ct == lead:
                        yield 1
            if len(post[best()]) >= draws:
                return

    for _ in _progress(stream(), total=draws, desc="abc", enabled=progress):
        pass
    method = best()
    if not kept[method]:
        total = sum(proposed.values())
        path = "; ".join(f"{k} {v:,}" for k, v in reached.items())
        raise ReconstructionBudgetError(
            f"no simulated trial printed every number in {total:,} trials (models "
            f"{', '.join(models)}; max_trials={max_trials:,}). Trials still printing every "
            f"fact up to and including: {path or 'none checked'}",
            decided=(
                f"CI transform {', '.join(methods)}"
                + (f"; incidence CI transform {inc_conf}" if inc_conf else "")
                + f"; trials still printing every fact up to each: {path or 'none checked'}"
            ),
        )
    summary = ABCSummary(
        tuple(models), fits, proposed, accepted, pd.DataFrame(post[method]), spread
    )
    patients = build_abc_table(trial, kept[method])
    _verify(trial, patients, method)
    return Ensemble(
        trial,
        patients,
        method,
        common if common else (method,),
        findings,
        (),
        sum(proposed.values()),
        sum(accepted.values()),
        seed,
        _time.perf_counter() - t0,
        kind="abc",
        abc=summary,
        partial=len(kept[method]) < draws,
    )

def _within(x: FloatArray, iv: tuple[float, float]) -> NDArray[np.bool_]:
    return (x >= iv[0] - 1e-12) & (x <= iv[1] + 1e-12)
