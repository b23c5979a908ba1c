"""Re-analysis: what a batch of patient tables prints, number by number, and exact acceptance.

:func:`reproduce` re-analyses ``B`` tables at once (landmarks through the batched
Kaplan-Meier, bit-identical to :func:`survkit.estimate.km.kaplan_meier`; medians through
``kaplan_meier`` table by table, R's ``print.survfit`` rule; follow-up statistics, event
windows and counts directly) into one :class:`Quantity` per printed number.
:func:`accept` is the exact acceptance test of candidates, :func:`verify_draws` the final
check of every draw, :func:`reanalyse` the same for one user-supplied table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.trial.facts import FactKey
from survkit.trial.methods import (
    HAND,
    band_transform,
    endpoint_method,
    hand_histories,
    landmark_method,
)
from survkit.trial.spec import Trial
from survkit.trial.status import HAS_DEATH, HAS_RELAPSE

if TYPE_CHECKING:
    from survkit.trial.proposal import Batch, Stratum

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def endpoint_data(
    ep_events: Sequence[str], rel: FloatArray, death: FloatArray, fu: FloatArray
) -> tuple[FloatArray, NDArray[np.bool_]]:
    ev_time = np.full(rel.shape, np.inf)
    if "relapse" in ep_events:
        ev_time = np.minimum(ev_time, rel)
    if "death" in ep_events:
        ev_time = np.minimum(ev_time, death)
    event = ev_time <= fu
    return np.where(event, ev_time, fu), event


def masked_median_range(
    x: FloatArray, mask: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Row-wise median, min and max of ``x`` over ``mask`` (NaN where the mask is empty)."""
    xs = np.sort(np.where(mask, x, np.inf), axis=1)
    m = mask.sum(axis=1)
    ok = m > 0
    i_lo = np.maximum((m - 1) // 2, 0)
    i_hi = np.where(ok, m // 2, 0)
    med = 0.5 * (
        np.take_along_axis(xs, i_lo[:, None], 1)[:, 0]
        + np.take_along_axis(xs, i_hi[:, None], 1)[:, 0]
    )
    mn = xs[:, 0]
    mx = np.take_along_axis(xs, np.maximum(m - 1, 0)[:, None], 1)[:, 0]
    nan = np.full(m.shape, np.nan)
    return np.where(ok, med, nan), np.where(ok, mn, nan), np.where(ok, mx, nan)


def _in(x: FloatArray, lo: float, hi: float) -> NDArray[np.bool_]:
    return (x >= lo - 1e-9) & (x <= hi + 1e-9)


@dataclass(frozen=True)
class Quantity:
    """One printed number and what each table of a batch reproduces."""

    quantity: str
    printed: str
    lo: float
    hi: float
    values: FloatArray  # (B,), NaN where not applicable
    applies: NDArray[np.bool_]  # (B,)

    @property
    def ok(self) -> NDArray[np.bool_]:
        nan_ok = math.isnan(self.lo)
        v = self.values
        good = np.isnan(v) if nan_ok else _in(v, self.lo, self.hi)
        return good | ~self.applies


def reproduce(
    trial: Trial,
    fu: FloatArray,
    rel: FloatArray,
    death: FloatArray,
    definitions: Sequence[str],
    conf_type: str,
    active: frozenset[FactKey] | None = None,
    *,
    rows: NDArray[np.bool_] | None = None,
    event_ids: NDArray[Any] | Sequence[Sequence[str]] | None = None,
    status: IntArray | None = None,
    end: FloatArray | None = None,
) -> list[Quantity]:
    """Re-analyse ``B`` patient tables (trial unit; ``inf`` = no event) and list every number.

    Landmarks come from :func:`survkit.estimate.batch.kaplan_meier_at` (bit-identical to
    ``kaplan_meier(...).at(...)``); medians (endpoints, reverse-KM follow-up) from
    :func:`survkit.estimate.km.kaplan_meier` table by table; follow-up medians and ranges,
    event windows and counts directly. ``definitions[b]`` is table ``b``'s follow-up
    definition; ``rows`` restricts the KM medians to the rows still in question. ``end`` is
    each patient's end of observation when censored before the cutoff (``inf``: followed to
    the cutoff): every endpoint is observed up to ``min(fu, end)``; ``status`` gives the
    counts, ``event_ids`` the printed individual events.
    """
    from survkit.estimate.batch import kaplan_meier_at, kaplan_meier_median

    b = fu.shape[0]
    keys = active
    out: list[Quantity] = []
    todo = np.ones(b, dtype=bool) if rows is None else rows
    obs = fu if end is None else np.minimum(fu, end)
    os_t, os_e = endpoint_data(("death",), rel, death, obs)
    f = trial.followup
    defs = np.asarray(list(definitions), dtype=object)
    if f.median is not None or f.range is not None:
        surv = defs == "survivors"
        med_s, mn_s, mx_s = masked_median_range(obs, ~os_e)
        med_a, mn_a, mx_a = masked_median_range(os_t, np.ones_like(os_e))
        med = np.where(surv, med_s, med_a)
        mn = np.where(surv, mn_s, mn_a)
        mx = np.where(surv, mx_s, mx_a)
        pot = defs == "potential"
        if pot.any():  # potential follow-up: cutoff - entry of every patient, alive or not
            med_p, mn_p, mx_p = masked_median_range(fu, np.ones_like(os_e))
            med = np.where(pot, med_p, med)
            mn = np.where(pot, mn_p, mn)
            mx = np.where(pot, mx_p, mx)
        rk = np.flatnonzero((defs == "reverse-km") & todo)
        if rk.size:  # reverse Kaplan-Meier (deaths censor), batched over the tables
            med[rk] = kaplan_meier_median(os_t[rk], ~os_e[rk], conf_type="log").estimate
        applies = defs != ""
        if f.median is not None and (keys is None or FactKey.followup("median") in keys):
            out.append(
                Quantity(
                    "median follow-up", f.median.text, f.median.lower, f.median.upper, med, applies
                )
            )
        if f.range is not None:
            for key, name, pr, x in (
                (FactKey.followup("min"), "shortest follow-up", f.range[0], mn),
                (FactKey.followup("max"), "longest follow-up", f.range[1], mx),
            ):
                if keys is None or key in keys:
                    out.append(Quantity(name, pr.text, pr.lower, pr.upper, x, applies))
    every = np.ones(b, dtype=bool)
    for ep in trial.endpoints:
        ep_ct = endpoint_method(conf_type, ep.name)  # one method per endpoint
        by_hand = landmark_method(ep_ct) == HAND
        et, ee = endpoint_data(ep.events, rel, death, obs)
        lms = [
            lm for lm in ep.landmarks if keys is None or FactKey.landmark(ep.name, lm.time) in keys
        ]
        if lms:
            times = sorted({lm.time for lm in lms})
            lb = kaplan_meier_at(et, ee, times, conf_type=band_transform(ep_ct))
            for lm in lms:
                j = times.index(lm.time)
                name = f"{ep.name} at {lm.time:g}"
                conv = trial.convention
                triple: tuple[tuple[str, float | None, tuple[float, float], FloatArray], ...]
                if lm.has_ci and by_hand:
                    rep = lm.reported(conv)
                    triple = (("estimate", rep.estimate, rep.estimate_interval, lb.surv),)
                    out.append(hand_quantity(trial, name, lm.text, et, ee, lm.time))
                elif lm.has_ci:
                    rep = lm.reported(conv)
                    triple = (
                        ("estimate", rep.estimate, rep.estimate_interval, lb.surv),
                        ("lower", rep.lower, rep.lower_interval, lb.lower),
                        ("upper", rep.upper, rep.upper_interval, lb.upper),
                    )
                else:  # printed without a CI: the estimate alone
                    est = lm.estimate(conv)
                    triple = (("estimate", est.value, est.interval(conv), lb.surv),)
                for what, value, interval, got in triple:
                    if value is not None:  # a bound printed NR is not checked
                        out.append(
                            Quantity(f"{name}: {what}", f"{value:.4g}", *interval, got[:, j], every)
                        )
        if ep.median is not None and (keys is None or FactKey.median(ep.name) in keys):
            # R's print.survfit rule (survival 3.5): the estimate is where S crosses 1/2,
            # the CI limits where the lower / upper pointwise bands do (NaN = not reached),
            # the bands from the CI transform the landmark check found
            ci = ep.median_ci
            level = ci.conf_level if ci is not None and ci.conf_level is not None else 0.95
            m = np.full((3, b), np.nan)
            idx = np.flatnonzero(todo)
            if idx.size:  # batched, row by row equal to kaplan_meier(...).median()
                mb = kaplan_meier_median(
                    et[idx], ee[idx], conf_type=band_transform(ep_ct), conf_level=level
                )
                m[0, idx], m[1, idx], m[2, idx] = mb.estimate, mb.lower, mb.upper
            out.append(
                Quantity(
                    f"median {ep.name}",
                    ep.median.text,
                    ep.median.lower,
                    ep.median.upper,
                    m[0],
                    every,
                )
            )
            for j, bound in enumerate(ep.median_bounds, start=1):
                if bound is not None:
                    what = "lower" if j == 1 else "upper"
                    out.append(
                        Quantity(
                            f"median {ep.name}: {what} ({level:.0%} CI)",
                            bound[0],
                            bound[1],
                            bound[2],
                            m[j],
                            every,
                        )
                    )
    out.extend(incidence_quantities(trial, rel, death, obs, keys))
    if trial.earliest_relapse > 0:
        first = np.min(rel, axis=1)
        has_rel = np.isfinite(first)
        out.append(
            Quantity(
                "earliest relapse",
                f">= {trial.earliest_relapse:g}",
                (trial.earliest_relapse_day - 1e-6) / trial.unit_days,
                math.inf,
                np.where(has_rel, first, np.nan),
                has_rel,
            )
        )
    if event_ids is not None:
        ids = np.asarray(event_ids, dtype=object)
        for ev in trial.events:
            hit = ids == ev.id
            has = hit.any(axis=1)
            if not has.any():
                continue
            col = np.argmax(hit, axis=1)
            rows_b = np.arange(b)
            if ev.kind == "censored":  # alive and event-free, observed up to this time
                free = ~np.isfinite(rel[rows_b, col]) & ~np.isfinite(death[rows_b, col])
                x = np.where(has & free, obs[rows_b, col], np.nan)
            else:
                src = death if ev.kind == "death" else rel
                x = np.where(has, src[rows_b, col], np.nan)
            lo, hi = ev.window()
            printed = (
                ev.time.text
                if ev.time is not None
                else f"[{lo:g}, {'inf' if math.isinf(hi) else f'{hi:g}'}]"
            )
            out.append(Quantity(f"{ev.kind} time: {ev.id}", printed, lo, hi, x, has))
    for g_i, g in enumerate(trial.event_groups):
        src = death if g.kind == "death" else rel
        has = np.isfinite(src)
        k = has.sum(axis=1).astype(float)
        lo_c, hi_c = g.count
        out.append(
            Quantity(
                f"{g.kind} group {g_i + 1}: count",
                f"{lo_c}" if lo_c == hi_c else f"{lo_c}..{hi_c if hi_c < 10**9 else 'n'}",
                float(lo_c),
                float(min(hi_c, trial.n)),
                k,
                every,
            )
        )
        x = np.where(has, src, np.nan)
        anyh: NDArray[np.bool_] = np.asarray(has.any(axis=1), dtype=bool)
        for which, pr_opt, fn in (
            ("earliest", g.earliest, np.nanmin),
            ("latest", g.latest, np.nanmax),
        ):
            if pr_opt is None:
                continue
            pr = pr_opt
            v = np.full(b, np.nan)
            if anyh.any():
                v[anyh] = fn(x[anyh], axis=1)
            out.append(
                Quantity(f"{g.kind} group {g_i + 1}: {which}", pr.text, pr.lower, pr.upper, v, anyh)
            )
    if (
        end is not None
        or trial.censoring.early == "none"
        or isinstance(trial.censoring.early, tuple)
    ):
        lo_e, hi_e = trial.censoring.bounds(trial.n)
        early = (
            np.zeros(b)
            if end is None
            else ((end < fu) & ~np.isfinite(death)).sum(axis=1).astype(float)
        )
        out.append(
            Quantity(
                "early censorings",
                f"{lo_e}..{hi_e}" if lo_e != hi_e else f"{lo_e}",
                float(lo_e),
                float(hi_e),
                early,
                every,
            )
        )
    if status is not None:
        values = {
            "deaths": HAS_DEATH[status].sum(axis=1),
            "relapses": HAS_RELAPSE[status].sum(axis=1),
            "alive": (~HAS_DEATH[status]).sum(axis=1),
            "alive_relapse_free": (status == 0).sum(axis=1),
        }
        for name, (lo_c, hi_c) in trial.counts.items():
            out.append(
                Quantity(
                    f"count: {name}",
                    f"{lo_c}" if lo_c == hi_c else f"{lo_c}..{hi_c}",
                    float(lo_c),
                    float(min(hi_c, trial.n)),
                    values[name].astype(float),
                    every,
                )
            )
    return out


def event_histories(et: FloatArray, ee: NDArray[np.bool_], tau: float) -> list[tuple[int, ...]]:
    """Each table's risk-set sizes at its events up to ``tau`` (the printed-CI check's history).

    Sorted by time with events before censorings at a tie, the ``i``-th observation has
    ``n - i`` at risk, so ``d`` tied events at risk ``r`` count as ``r, r-1, ..., r-d+1``
    (Kaplan-Meier and Greenwood give the same estimate and SE either way).
    """
    n = et.shape[1]
    order = np.lexsort((~ee, et), axis=1)
    ts = np.take_along_axis(et, order, axis=1)
    es = np.take_along_axis(ee, order, axis=1)
    keep = es & (ts <= tau + 1e-12)
    at_risk = n - np.arange(n)
    return [tuple(int(x) for x in at_risk[k]) for k in keep]


def hand_quantity(
    trial: Trial, name: str, text: str, et: FloatArray, ee: NDArray[np.bool_], tau: float
) -> Quantity:
    r"""Whether each table's history prints the landmark's CI computed by hand (1) or not (0).

    A hand-computed CI (estimate +/- z SE from rounded numbers, :mod:`survkit.check.hand`)
    depends on the table only through :math:`\hat S` and its Greenwood SE, i.e. through the
    history up to the landmark, so membership in the printed-CI check's exhaustive list of
    ``"hand"`` histories is exact. A capped list decides nothing: every table then fails.
    """
    allowed = hand_histories(text, trial.n, trial.convention)
    hs = event_histories(et, ee, tau * 1.0)
    ok = np.array([allowed is not None and h in allowed for h in hs], dtype=np.float64)
    return Quantity(
        f"{name}: CI by hand", "history listed", 1.0, 1.0, ok, np.ones(et.shape[0], dtype=bool)
    )


def incidence_quantities(
    trial: Trial,
    rel: FloatArray,
    death: FloatArray,
    obs: FloatArray,
    active: frozenset[FactKey] | None = None,
) -> list[Quantity]:
    r"""The printed cumulative-incidence landmarks of ``B`` tables (trial unit).

    Each table's competing-risks outcome (relapse first; death without prior relapse = NRM;
    censored at ``obs``) is refitted by Aalen-Johansen: estimates batched for every table
    (:func:`survkit.trial.cif.incidence_landmarks`, bit-identical to
    :func:`survkit.estimate.cif.cumulative_incidence`), standard errors and CI limits (R's
    infinitesimal jackknife, ``survfit`` ``conf.type``) table by table for the tables whose
    estimates all print. The CI transform is the first of
    :func:`survkit.trial.methods.find_incidence_methods` (one transform for every incidence
    of the trial); when no transform prints every active incidence CI, the limits are NaN and
    no table reproduces them.
    """
    from survkit.trial.cif import incidence_landmarks
    from survkit.trial.methods import find_incidence_methods

    out: list[Quantity] = []
    b = rel.shape[0]
    every = np.ones(b, dtype=bool)
    chosen: list[tuple[Any, list[Any]]] = []
    for ep in trial.incidence_endpoints:
        lms = [
            lm
            for lm in ep.landmarks
            if active is None or FactKey.landmark(ep.name, lm.time) in active
        ]
        if lms:
            chosen.append((ep, lms))
    if not chosen:
        return out
    _, transforms = find_incidence_methods(trial, active)
    conf_type = transforms[0] if transforms else ""
    conv = trial.convention
    for ep, lms in chosen:
        times = sorted({lm.time for lm in lms})
        est = incidence_landmarks(
            rel, death, obs, times, cause=ep.cause, rows=np.zeros(b, dtype=bool)
        ).estimate
        good = every.copy()
        for lm in lms:
            j = times.index(lm.time)
            p = lm.reported(conv).point if lm.has_ci else lm.estimate(conv)
            iv = p.interval(conv)
            q = Quantity(
                f"incidence {ep.name} at {lm.time:g}: estimate",
                f"{p.value:.4g}",
                *iv,
                est[:, j],
                every,
            )
            good &= q.ok
            out.append(q)
        fits: dict[float, Any] = {}
        for lm in lms:
            if not lm.has_ci:
                continue
            rep = lm.reported(conv)
            level = rep.conf_level if rep.conf_level is not None else 0.95
            j = times.index(lm.time)
            lo = np.full(b, np.nan)
            up = np.full(b, np.nan)
            if conf_type and good.any():
                if level not in fits:  # one table-by-table fit per confidence level
                    fits[level] = incidence_landmarks(
                        rel, death, obs, times, cause=ep.cause, conf_type=conf_type,
                        conf_level=level, rows=good,
                    )
                lo, up = fits[level].lower[:, j], fits[level].upper[:, j]
            pieces: list[tuple[str, float | None, tuple[float, float], FloatArray]] = [
                ("lower", rep.lower, rep.lower_interval, lo),
                ("upper", rep.upper, rep.upper_interval, up),
            ]
            for what, value, interval, got in pieces:
                if value is not None:
                    out.append(
                        Quantity(
                            f"incidence {ep.name} at {lm.time:g}: {what} "
                            f"({conf_type or 'no common'} CI)",
                            f"{value:.4g}",
                            *interval,
                            got,
                            every,
                        )
                    )
    return out


def accept(st: Stratum, bt: Batch) -> NDArray[np.bool_]:
    """Exact acceptance of candidates: every active printed number (trial unit)."""
    p = st.problem
    ud = p.trial.unit_days
    ok = bt.valid.copy()
    if not ok.any():
        return ok
    # exact event counting first (cheap): the printed-CI check lists every history, so the
    # number of endpoint events up to each landmark must be one of the listed counts
    for f in p.findings:
        allowed = f.total_events.get(landmark_method(endpoint_method(p.conf_type, f.endpoint)))
        if allowed is None or FactKey.landmark(f.endpoint, f.time) not in p.active:
            continue
        ep = p.trial.endpoint(f.endpoint)
        et, ee = endpoint_data(ep.events, bt.rel, bt.death, bt.fu.astype(np.float64))
        k = (ee & (et <= f.time * ud + 1e-9)).sum(axis=1)
        ok &= np.isin(k, allowed)
    if not ok.any():
        return ok
    sel = np.flatnonzero(ok)
    fu = bt.fu[sel].astype(np.float64) / ud
    rel = bt.rel[sel] / ud
    death = bt.death[sel] / ud
    defs = [st.definition] * sel.size
    # cheap numbers first (no per-table KM), then per-table medians on the survivors
    cheap = reproduce(
        p.trial, fu, rel, death, defs, p.conf_type, p.active, rows=np.zeros(sel.size, dtype=bool)
    )
    good = np.ones(sel.size, dtype=bool)
    for q in cheap:
        if q.quantity.startswith("median"):
            continue
        good &= q.ok
    needs_km = st.definition == "reverse-km" or any(
        e.median is not None and FactKey.median(e.name) in p.active for e in p.trial.endpoints
    )
    if needs_km and good.any():
        full = reproduce(p.trial, fu, rel, death, defs, p.conf_type, p.active, rows=good)
        for q in full:
            if q.quantity.startswith("median"):
                good &= q.ok
    elif good.any():
        for q in cheap:
            if q.quantity.startswith("median"):
                good &= q.ok
    ok[sel[~good]] = False
    return ok


def table_arrays(
    trial: Trial, table: pd.DataFrame
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    u = trial.unit
    fu = table[f"followup_{u}"].to_numpy(float)
    rel = table[f"relapse_{u}"].fillna(np.inf).to_numpy(float)
    death = table[f"death_{u}"].fillna(np.inf).to_numpy(float)
    b = int(table["draw"].nunique()) if "draw" in table else 1
    return fu.reshape(b, -1), rel.reshape(b, -1), death.reshape(b, -1), b


def table_end(trial: Trial, table: pd.DataFrame) -> FloatArray | None:
    """Each patient's early-censoring time (trial unit, ``inf`` when none), or ``None``."""
    col = f"censored_{trial.unit}"
    if col not in table:
        return None
    b = int(table["draw"].nunique()) if "draw" in table else 1
    return table[col].fillna(np.inf).to_numpy(float).reshape(b, -1)


def reanalyse(
    trial: Trial, table: pd.DataFrame, conf_type: str, definition: str | None = None
) -> pd.DataFrame:
    """Re-analyse one patient table and compare every printed number with what it prints.

    ``table`` has one row per patient with ``followup_<unit>`` (potential follow-up, trial
    unit), ``relapse_<unit>`` and ``death_<unit>`` (NaN when none). Every endpoint is refitted
    with the Kaplan-Meier estimator using ``conf_type`` (landmarks through
    :func:`survkit.estimate.batch.kaplan_meier_at`, bit-identical to
    :func:`survkit.estimate.km.kaplan_meier`; medians through ``kaplan_meier``). Returns one
    row per printed number: ``quantity, printed, lo, hi, reproduced, ok``.
    """
    fu, rel, death, _ = table_arrays(trial, table.assign(draw=0))
    end = table_end(trial, table.assign(draw=0))
    qs = reproduce(trial, fu, rel, death, [definition or ""], conf_type, end=end)
    rows = [
        {
            "quantity": q.quantity + (f" ({definition})" if "follow-up" in q.quantity else ""),
            "printed": q.printed,
            "lo": q.lo,
            "hi": q.hi,
            "reproduced": float(q.values[0]),
            "ok": bool(q.ok[0]),
        }
        for q in qs
        if q.applies[0]
    ]
    return pd.DataFrame(rows)


def verify_draws(trial: Trial, patients: pd.DataFrame, conf_type: str) -> None:
    """Re-analyse every draw from the final table; raise if any printed number is missed."""
    fu, rel, death, b = table_arrays(trial, patients)
    n = trial.n
    defs = [str(d) for d in patients["followup_definition"].to_numpy()[::n]]
    ids = patients["event_id"].fillna("").to_numpy(dtype=object).reshape(b, n)
    status = patients["status"].to_numpy(np.int64).reshape(b, n)
    end = table_end(trial, patients)
    for q in reproduce(
        trial, fu, rel, death, defs, conf_type, event_ids=ids, status=status, end=end
    ):
        bad = ~q.ok
        if bad.any():
            k = int(np.argmax(bad))
            raise RuntimeError(
                f"draw {k} does not print {q.quantity} = {q.printed} "
                f"(reproduced {q.values[k]!r}, allowed [{q.lo}, {q.hi}]): a sampler bug"
            )


def verify_abc_draws(trial: Trial, patients: pd.DataFrame, conf_type: str) -> None:
    """Re-analyse ABC draws: every printed landmark and median must be printed."""
    fu, rel, death, b = table_arrays(trial, patients)
    for q in reproduce(trial, fu, rel, death, [""] * b, conf_type):
        if q.quantity.startswith("incidence "):
            continue  # ABC fits Kaplan-Meier numbers only; incidences are not its target
        if " at " in q.quantity or q.quantity.startswith("median "):
            bad = ~q.ok
            if bad.any():
                k = int(np.argmax(bad))
                raise RuntimeError(
                    f"ABC draw {k} does not print {q.quantity} = {q.printed} "
                    f"(reproduced {q.values[k]!r}): a sampler bug"
                )
