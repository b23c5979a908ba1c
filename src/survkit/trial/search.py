r"""The general engine: Markov chains over patient tables, conditioned on every printed fact.

For trials outside the constructive sampler's shape (no OS landmark, medians only, early
censoring, censored times, event groups, any endpoint), :func:`search` runs ``B`` chains of
whole patient tables at once (numpy, one batched re-analysis per step).

The prior
---------
Per patient, independently, in whole days: potential follow-up ``fu`` (cutoff - entry)
uniform over the days the accrual window allows; a status uniformly among those the
endpoints can tell apart (event-free alive, relapsed alive, relapsed then died, died without
relapse; without any relapse fact only alive / died); a death day uniform on ``1..fu``; for
an alive patient, when early censoring is allowed, with probability 1/2 an end of
observation uniform on ``1..fu-1`` (censored before the cutoff), else followed to the
cutoff; a relapse day uniform from the trial's earliest relapse day to the day before death
(alive: to the end of observation).

The chains
----------
*Search.* Each step proposes, in every chain, a change to one patient chosen uniformly:
a redraw of the whole patient from the prior, or of its death day, relapse day or end of
observation from their prior given the rest. Every table is re-analysed exactly as the final
verification does (:func:`survkit.trial.reanalysis.reproduce`: batched Kaplan-Meier
landmarks and medians, follow-up statistics, event windows, counts, event groups), and the
change is kept by simulated annealing on the total violation (how far each printed number
is from its rounding interval, summed). *Sampling.* A chain whose table prints every number
switches to Metropolis-Hastings with the prior as target and the same proposals: a move is
kept only if the table still prints every number (with the proposal ratio of the partial
redraws), so each chain's stationary distribution is **the prior conditioned on every
printed fact** (on the day lattice). A draw is taken after ``4 n`` further steps, then every
``2 n`` steps. A chain still searching ``10 n`` steps after its last improvement, once some
chain prints every number, restarts from a copy of such a chain (and burns in again); without
one, a chain stuck ``60 n`` steps restarts from the prior. Draws are verified again from the
final table. Each chain starts with one follow-up definition in turn; draws per definition
are as the chains find them (not equal shares).

With ``[censoring] early = "unknown"`` early censoring is allowed but penalised during the
search; once a chain prints every number, the smallest count of early censorings found caps
the others, so the draws use no more early censorings than the fewest found (found, not
proven minimal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from survkit.trial.facts import printed_counts
from survkit.trial.methods import endpoint_method, landmark_method
from survkit.trial.reanalysis import Quantity, reproduce
from survkit.trial.spec import Trial

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Weight of one early censoring in the search score when early censoring is "unknown".
EARLY_PENALTY = 0.05


@dataclass
class Tables:
    """``B`` patient tables in days (``inf``: none); ``end`` < ``fu``: censored early."""

    fu: FloatArray
    rel: FloatArray
    death: FloatArray
    end: FloatArray

    def copy(self) -> Tables:
        return Tables(self.fu.copy(), self.rel.copy(), self.death.copy(), self.end.copy())

    @property
    def status(self) -> IntArray:
        r, d = np.isfinite(self.rel), np.isfinite(self.death)
        return np.where(d, np.where(r, 2, 3), np.where(r, 1, 0)).astype(np.int64)

    @property
    def early(self) -> IntArray:
        e = np.isfinite(self.end) & (self.end < self.fu) & ~np.isfinite(self.death)
        return np.asarray(e.sum(axis=1), dtype=np.int64)


@dataclass
class SearchResult:
    """Draws found by :func:`search` and what the chains learnt."""

    tables: Tables
    definitions: list[str]
    proposals: int
    feasible_chains: int
    chains: int
    hardest: list[str] = field(default_factory=list)
    fewest_early: int | None = None
    per_definition: dict[str, int] = field(default_factory=dict)
    copies: int = 0


class _Prior:
    """The per-patient prior of the module docstring, vectorised."""

    def __init__(self, trial: Trial, slot_kind: list[str], slot_rb: list[bool | None]) -> None:
        self.trial = trial
        self.n = trial.n
        self.fu_lo = (trial.cutoff - trial.accrual_end).days
        self.fu_hi = (trial.cutoff - trial.accrual_start).days
        self.rel_min = trial.earliest_relapse_day
        hi_e = trial.censoring.bounds(trial.n)[1]
        self.p_early = 0.5 if hi_e > 0 else 0.0
        relapse_matters = (
            any("relapse" in e.events for e in trial.endpoints)
            or any(k in trial.counts for k in ("relapses", "alive_relapse_free"))
            or any(g.kind == "relapse" for g in trial.event_groups)
            or any(ev.kind == "relapse" for ev in trial.events)
        )
        base = (0, 1, 2, 3) if relapse_matters else (0, 3)
        allowed: list[tuple[int, ...]] = []
        for i in range(self.n):
            k = slot_kind[i] if i < len(slot_kind) else ""
            if k == "death":
                rb = slot_rb[i]
                allowed.append((2,) if rb else (3,) if rb is False else (2, 3))
            elif k == "relapse":
                allowed.append((1, 2))
            elif k == "censored":
                allowed.append((0,))
            else:
                allowed.append(base)
        width = max(len(a) for a in allowed)
        self.status_opts = np.array([list(a) + [a[0]] * (width - len(a)) for a in allowed])
        self.status_n = np.array([len(a) for a in allowed])

    def _randint(self, rng: np.random.Generator, lo: FloatArray, hi: FloatArray) -> FloatArray:
        span = np.maximum(hi - lo + 1, 1)
        return np.floor(lo + rng.random(lo.shape) * span)

    def patients(
        self, rng: np.random.Generator, cols: IntArray
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Whole patients for the patient indices ``cols`` (one per row)."""
        m = cols.shape[0]
        fu = self._randint(rng, np.full(m, float(self.fu_lo)), np.full(m, float(self.fu_hi)))
        pick = np.floor(rng.random(m) * self.status_n[cols]).astype(np.int64)
        st = self.status_opts[cols, pick]
        dead = st >= 2
        relapsed = (st == 1) | (st == 2)
        death = np.where(dead, self._randint(rng, np.ones(m), fu), np.inf)
        end = self._end(rng, fu, dead)
        rel = self._rel(rng, relapsed, death, fu, end)
        return fu, rel, death, end

    def _end(self, rng: np.random.Generator, fu: FloatArray, dead: BoolArray) -> FloatArray:
        early = (~dead) & (rng.random(fu.shape) < self.p_early) & (fu > 1)
        return np.where(early, self._randint(rng, np.ones(fu.shape), fu - 1), np.inf)

    def rel_upper(self, death: FloatArray, fu: FloatArray, end: FloatArray) -> FloatArray:
        return np.where(np.isfinite(death), death - 1, np.minimum(fu, end))

    def _rel(
        self,
        rng: np.random.Generator,
        relapsed: BoolArray,
        death: FloatArray,
        fu: FloatArray,
        end: FloatArray,
    ) -> FloatArray:
        hi = self.rel_upper(death, fu, end)
        lo = np.full(hi.shape, float(self.rel_min))
        return np.where(relapsed & (lo <= hi), self._randint(rng, lo, hi), np.inf)


def _rate(trial: Trial, events: tuple[str, ...]) -> float | None:
    """An exponential hazard (per day) matching the printed median or first landmark."""
    ud = trial.unit_days
    for e in trial.endpoints:
        if tuple(e.events) != events:
            continue
        if e.median is not None and not math.isnan(e.median.value):
            return math.log(2.0) / max(e.median.value * ud, 1.0)
        for lm in e.landmarks:
            s = lm.estimate(trial.convention).value
            if s is not None and 0.0 < s < 1.0:
                return -math.log(s) / (lm.time * ud)
            if s is not None and s >= 1.0:
                return 1e-6
        if e.median is not None:  # NR: fewer than half the events by the end
            return math.log(2.0) / (4.0 * (trial.cutoff - trial.accrual_start).days)
    return None


def _guided_start(trial: Trial, tb: Tables, prior: _Prior, rng: np.random.Generator) -> None:
    """Start the chains near the printed curves: exponential times matching each endpoint's
    printed median or first landmark (the start only; the chains' target is the prior)."""
    death_rate = _rate(trial, ("death",))
    comp = next((tuple(e.events) for e in trial.endpoints if "relapse" in e.events), None)
    comp_rate = _rate(trial, comp) if comp is not None else None
    if death_rate is None and comp_rate is None:
        return
    b, n = tb.fu.shape
    free = np.broadcast_to(prior.status_n == prior.status_n.max(), (b, n))  # not a slot
    fu = tb.fu
    if death_rate is None:
        death_rate = (comp_rate or 1e-4) / 3
    rel_rate = max((comp_rate or 0.0) - death_rate, 0.0) if comp_rate is not None else 0.0
    d = np.ceil(rng.exponential(1.0 / death_rate, size=(b, n)))
    relapse_ok = prior.status_n.max() == 4
    r = (
        np.ceil(rng.exponential(1.0 / rel_rate, size=(b, n)))
        if rel_rate > 0 and relapse_ok
        else np.full((b, n), np.inf)
    )
    r = np.maximum(r, prior.rel_min)
    dead = d <= fu
    death = np.where(dead, d, np.inf)
    rel = np.where((r < np.where(dead, d, np.inf)) & (r <= fu), r, np.inf)
    tb.death[free] = death[free]
    tb.rel[free] = rel[free]
    tb.end[free] = np.inf


def _history_start(
    trial: Trial, tb: Tables, prior: _Prior, rng: np.random.Generator, conf_type: str
) -> None:
    """Start each chain on a history that prints the landmarks of one endpoint.

    The endpoint with the most landmarks printed with a CI is checked jointly
    (:func:`survkit.check.check_ci`); each chain takes one listed history at random and lays
    its events and censorings out in order, each uniformly inside its landmark interval
    (censorings at or after the shortest potential follow-up are administrative, earlier
    ones early). Patients left at risk after the last landmark keep their start times beyond
    it. The start only: the chains' target is the prior.
    """
    from survkit.check.ci_check import check_ci

    eps = [e for e in trial.endpoints if sum(lm.has_ci for lm in e.landmarks) > 0]
    if not eps:
        return
    ep = max(eps, key=lambda e: (sum(lm.has_ci for lm in e.landmarks), "relapse" in e.events))
    lms = sorted((lm for lm in ep.landmarks if lm.has_ci), key=lambda lm: lm.time)
    try:
        chk = check_ci([lm.reported(trial.convention) for lm in lms], n=trial.n)
    except ValueError:
        return
    hs = list(chk.histories.get(landmark_method(endpoint_method(conf_type, ep.name)), ()))
    if not hs:
        return
    ud = trial.unit_days
    taus = [math.floor(lm.time * ud) for lm in lms]
    b, n = tb.fu.shape
    free = np.flatnonzero(prior.status_n == prior.status_n.max())
    relapse_ok = prior.status_n.max() == 4 and "relapse" in ep.events
    deaths_none = trial.counts.get("deaths", (0, 10**9))[1] == 0
    for c in range(b):
        h = hs[int(rng.integers(len(hs)))]
        items: list[tuple[bool, int]] = []  # (is_event, landmark window index)
        at = n
        for j, r in enumerate(h.at_risk):
            k = next(i for i, eb in enumerate(h.events_before) if eb > j)
            items.extend((False, k) for _ in range(at - r))
            items.append((True, k))
            at = r - 1
        if len(items) > free.size:
            continue
        times = np.empty(len(items))
        for k in range(len(taus)):
            idx = [i for i, it in enumerate(items) if it[1] == k]
            lo = taus[k - 1] + 1 if k else 1
            times[idx] = np.sort(rng.integers(lo, max(taus[k], lo) + 1, size=len(idx)))
        who = rng.permutation(free)
        for (is_event, _), x, p in zip(items, times, who[: len(items)], strict=False):
            if is_event:
                as_relapse = relapse_ok and (deaths_none or rng.random() < 0.5)
                tb.fu[c, p] = float(rng.integers(max(prior.fu_lo, int(x)), prior.fu_hi + 1))
                tb.end[c, p] = np.inf
                if as_relapse:
                    tb.rel[c, p], tb.death[c, p] = x, np.inf
                else:
                    tb.rel[c, p], tb.death[c, p] = np.inf, x
            else:
                tb.rel[c, p], tb.death[c, p] = np.inf, np.inf
                if x >= prior.fu_lo:
                    tb.fu[c, p], tb.end[c, p] = x, np.inf
                else:
                    tb.fu[c, p] = float(rng.integers(int(x) + 1, prior.fu_hi + 1))
                    tb.end[c, p] = x
        last = taus[-1]
        for p in who[len(items) :]:  # at risk after the last landmark
            tb.end[c, p] = np.inf
            tb.fu[c, p] = max(tb.fu[c, p], float(min(last + 1, prior.fu_hi)))
            for arr in (tb.rel, tb.death):
                if arr[c, p] <= last:
                    arr[c, p] = np.inf


def _violation(qs: list[Quantity], b: int) -> tuple[FloatArray, list[tuple[str, BoolArray]]]:
    """Total violation per table and, per printed number, which tables miss it."""
    total = np.zeros(b)
    misses: list[tuple[str, BoolArray]] = []
    for q in qs:
        v = q.values
        if math.isnan(q.lo):  # printed NR: the value must be undefined
            bad = ~np.isnan(v)
            viol = bad.astype(float)
        else:
            width = max(q.hi - q.lo, 1e-3) if math.isfinite(q.hi) else 1.0
            dist = np.where(np.isnan(v), np.inf, np.maximum(np.maximum(q.lo - v, v - q.hi), 0.0))
            tol = 1e-9 * max(1.0, abs(q.hi) if math.isfinite(q.hi) else abs(q.lo))
            bad = dist > tol
            # 1 per number missed plus a slowly growing distance, so the search always has a
            # direction (an undefined value -- a median not reached -- counts as far)
            far = np.where(np.isinf(dist), 1e3, dist / width)
            viol = np.where(bad, 1.0 + np.log1p(far), 0.0)
        bad = bad & q.applies
        total += np.where(q.applies, viol, 0.0)
        misses.append((f"{q.quantity} = {q.printed}", bad))
    return total, misses


def _jitter(
    prior: _Prior,
    rng: np.random.Generator,
    cur: Tables,
    prop: Tables,
    r_: IntArray,
    c_: IntArray,
    log_ratio: FloatArray,
) -> None:
    """Move one time of patient ``c_`` in chain ``r_`` by a symmetric step of 1..60 days.

    The time is the potential follow-up or one of the patient's own days (death, relapse,
    early end), chosen uniformly among those the patient has; a step leaving the allowed
    range is not made. ``log_ratio`` gets the prior density ratio of the days that depend on
    the moved one (a death day is uniform on 1..fu, a relapse day on rel_min..its upper end).
    """
    m = r_.size
    fu, d, r, e = cur.fu[r_, c_], cur.death[r_, c_], cur.rel[r_, c_], cur.end[r_, c_]
    dead, rel = np.isfinite(d), np.isfinite(r)
    early = ~dead & np.isfinite(e) & (e < fu)
    # finite stand-ins (1) where a day is absent, so no arithmetic meets inf - inf
    d = np.where(dead, d, 1.0)
    r = np.where(rel, r, 1.0)
    e = np.where(early, e, 1.0)
    n_coord = 1 + dead + rel + early
    pick = np.floor(rng.random(m) * n_coord).astype(np.int64)
    # coordinate order: fu, then death (if dead), relapse (if relapsed), end (if early)
    # position of each optional coordinate per patient
    pos_d = np.where(dead, 1, -1)
    pos_r = np.where(rel, 1 + dead, -1)
    pos_e = np.where(early, 1 + dead + rel, -1)
    which = np.select([pick == pos_d, pick == pos_r, pick == pos_e], [1, 2, 3], 0)
    step = np.ceil(np.exp(rng.random(m) * math.log(60.0))) * np.where(rng.random(m) < 0.5, -1, 1)
    rm = float(prior.rel_min)
    lr = np.zeros(m)
    # follow-up
    w = which == 0
    nf = fu + step
    ok = (nf >= prior.fu_lo) & (nf <= prior.fu_hi)
    ok &= np.where(dead, d <= nf, True) & np.where(early, e < nf, True)
    ok &= np.where(rel & ~dead & ~early, r <= nf, True)
    mv = w & ok
    lr = np.where(mv & dead, np.log(fu) - np.log(np.maximum(nf, 1)), lr)
    lr = np.where(mv & early, np.log(np.maximum(fu - 1, 1)) - np.log(np.maximum(nf - 1, 1)), lr)
    lr = np.where(
        mv & rel & ~dead & ~early,
        np.log(np.maximum(fu - rm + 1, 1)) - np.log(np.maximum(nf - rm + 1, 1)),
        lr,
    )
    prop.fu[r_[mv], c_[mv]] = nf[mv]
    # death day
    w = which == 1
    nd = d + step
    ok = (nd >= 1) & (nd <= fu) & np.where(rel, r < nd, True)
    mv = w & ok
    lr = np.where(mv & rel, np.log(np.maximum(d - rm, 1)) - np.log(np.maximum(nd - rm, 1)), lr)
    prop.death[r_[mv], c_[mv]] = nd[mv]
    # relapse day
    w = which == 2
    nr = r + step
    upper = prior.rel_upper(np.where(dead, d, np.inf), fu, np.where(early, e, np.inf))
    mv = w & (nr >= rm) & (nr <= upper)
    prop.rel[r_[mv], c_[mv]] = nr[mv]
    # early end of observation
    w = which == 3
    ne = e + step
    ok = (ne >= 1) & (ne < fu) & np.where(rel, r <= ne, True)
    mv = w & ok
    lr = np.where(
        mv & rel, np.log(np.maximum(e - rm + 1, 1)) - np.log(np.maximum(ne - rm + 1, 1)), lr
    )
    prop.end[r_[mv], c_[mv]] = ne[mv]
    log_ratio[r_] = lr


def search(
    trial: Trial,
    draws: int,
    conf_type: str,
    rng: np.random.Generator,
    *,
    reading: int = 0,
    max_proposals: int = 400_000,
    chains: int | None = None,
) -> SearchResult:
    """Up to ``draws`` tables, each printing every number of ``trial`` (see the module doc)."""
    n = trial.n
    ud = trial.unit_days
    rd = trial.readings[reading]
    slots = [trial.event(e) for e in rd.events]
    slot_kind = [ev.kind for ev in slots]
    slot_rb = [ev.relapse_before for ev in slots]
    ids = np.array([ev.id for ev in slots] + [""] * (n - len(slots)), dtype=object)
    prior = _Prior(trial, slot_kind, slot_rb)
    b = chains or int(max(16, min(32, draws)))
    f = trial.followup
    has_fu = f.median is not None or f.range is not None
    defs_all = list(f.definitions) if has_fu else [""]
    defs = [defs_all[i % len(defs_all)] for i in range(b)]
    counts = printed_counts(trial, reading)
    lo_e, hi_e = trial.censoring.bounds(n)
    unknown_early = trial.censoring.early == "unknown"
    cap = np.full(b, hi_e, dtype=np.int64)

    allc = np.tile(np.arange(n), b)
    fu, rel, death, end = prior.patients(rng, allc)
    cur = Tables(*(x.reshape(b, n) for x in (fu, rel, death, end)))
    _guided_start(trial, cur, prior, rng)
    _history_start(trial, cur, prior, rng, conf_type)

    def score(tb: Tables) -> tuple[FloatArray, FloatArray, list[tuple[str, BoolArray]]]:
        qs = reproduce(
            trial,
            tb.fu / ud,
            tb.rel / ud,
            tb.death / ud,
            defs,
            conf_type,
            event_ids=np.broadcast_to(ids, (tb.fu.shape[0], n)),
            end=tb.end / ud,
        )
        viol, misses = _violation(qs, tb.fu.shape[0])
        st = tb.status
        have = {
            "deaths": (st >= 2).sum(axis=1),
            "relapses": ((st == 1) | (st == 2)).sum(axis=1),
            "alive": (st <= 1).sum(axis=1),
            "alive_relapse_free": (st == 0).sum(axis=1),
        }
        for name, (lo_c, hi_c) in counts.items():
            x = have[name]
            bad = (x < lo_c) | (x > hi_c)
            viol = viol + np.where(bad, 1.0 + np.minimum(np.maximum(lo_c - x, x - hi_c), 4), 0.0)
            misses.append((f"count: {name}", bad))
        early = tb.early
        over = np.maximum(early - cap, 0) + np.maximum(lo_e - early, 0)
        viol = viol + over
        misses.append(("early censorings", over > 0))
        pen = viol + (EARLY_PENALTY * early if unknown_early else 0.0)
        return viol, pen, misses

    viol, pen, _ = score(cur)
    best = pen.copy()
    since = np.zeros(b, dtype=np.int64)
    sampling = viol == 0
    age = np.zeros(b, dtype=np.int64)  # steps since the chain started sampling
    next_take = np.full(b, 4 * n, dtype=np.int64)
    taken: list[Tables] = []
    taken_defs: list[str] = []
    proposals = 0
    copies = 0
    reached = sampling.copy()  # chains that reached every number by their own search
    step = 0
    miss_count: dict[str, int] = {}
    burn, thin = 4 * n, 2 * n
    rows = np.arange(b)
    while len(taken_defs) < draws and proposals < max_proposals:
        step += 1
        temp = max(0.5 * (0.999**step), 0.02)
        i = rng.integers(0, n, size=b)
        prop = cur.copy()
        kind = rng.random(b)
        full = kind < 0.2
        # whole-patient redraws
        if full.any():
            r_ = rows[full]
            fu_n, rel_n, death_n, end_n = prior.patients(rng, i[full])
            prop.fu[r_, i[full]] = fu_n
            prop.rel[r_, i[full]] = rel_n
            prop.death[r_, i[full]] = death_n
            prop.end[r_, i[full]] = end_n
        log_ratio = np.zeros(b)
        fu_i = cur.fu[rows, i]
        d_i, r_i, e_i = cur.death[rows, i], cur.rel[rows, i], cur.end[rows, i]
        dead = np.isfinite(d_i)
        relapsed = np.isfinite(r_i)
        # death day given the rest (dead patients)
        md = (kind >= 0.2) & (kind < 0.3) & dead
        if md.any():
            new_d = np.floor(1 + rng.random(md.sum()) * fu_i[md])
            ok = ~relapsed[md] | (r_i[md] < new_d)
            new_d = np.where(ok, new_d, d_i[md])
            prop.death[rows[md], i[md]] = new_d
            # p(relapse day | death) = 1 / (death - rel_min): the proposal ratio
            rm = relapsed[md]
            lr = np.where(
                rm,
                np.log(np.maximum(d_i[md] - prior.rel_min, 1))
                - np.log(np.maximum(new_d - prior.rel_min, 1)),
                0.0,
            )
            log_ratio[md] = lr
        # relapse day given the rest (relapsed patients)
        mr = (kind >= 0.3) & (kind < 0.4) & relapsed
        if mr.any():
            hi = prior.rel_upper(d_i[mr], fu_i[mr], e_i[mr])
            lo = float(prior.rel_min)
            new_r = np.floor(lo + rng.random(mr.sum()) * np.maximum(hi - lo + 1, 1))
            prop.rel[rows[mr], i[mr]] = np.where(lo <= hi, new_r, r_i[mr])
        # end of observation given the rest (alive patients)
        me = (kind >= 0.4) & (kind < 0.5) & ~dead & (prior.p_early > 0)
        if me.any():
            early = rng.random(me.sum()) < prior.p_early
            new_e = np.where(
                early & (fu_i[me] > 1), np.floor(1 + rng.random(me.sum()) * (fu_i[me] - 1)), np.inf
            )
            okr = ~relapsed[me] | (r_i[me] <= np.minimum(fu_i[me], new_e))
            new_e = np.where(okr, new_e, e_i[me])
            prop.end[rows[me], i[me]] = new_e
            span_old = np.minimum(fu_i[me], e_i[me]) - prior.rel_min + 1
            span_new = np.minimum(fu_i[me], new_e) - prior.rel_min + 1
            # p(relapse day | end) = 1 / span: the proposal ratio is span_old / span_new
            log_ratio[me] = np.where(
                relapsed[me],
                np.log(np.maximum(span_old, 1)) - np.log(np.maximum(span_new, 1)),
                0.0,
            )
        # small symmetric steps of one time (uniform conditional priors: exact for MH,
        # with the ratios of the dependent days' densities)
        mj = kind >= 0.5
        if mj.any():
            _jitter(prior, rng, cur, prop, rows[mj], i[mj], log_ratio)
        proposals += b
        v_new, p_new, m_new = score(prop)
        u = np.log(rng.random(b))
        anneal = (p_new <= pen) | (u < -(p_new - pen) / temp)
        mh = (v_new == 0) & (u < log_ratio)
        keep = np.where(sampling, mh, anneal)
        for arr_c, arr_p in (
            (cur.fu, prop.fu),
            (cur.rel, prop.rel),
            (cur.death, prop.death),
            (cur.end, prop.end),
        ):
            arr_c[keep] = arr_p[keep]
        viol = np.where(keep, v_new, viol)
        pen = np.where(keep, p_new, pen)
        for name, bad in m_new:
            cnt = int((bad & ~sampling).sum())
            if cnt:
                miss_count[name] = miss_count.get(name, 0) + cnt
        improved = pen < best - 1e-12
        best = np.where(improved, pen, best)
        since = np.where(improved, 0, since + 1)
        newly = (~sampling) & (viol == 0)
        if newly.any():
            if unknown_early:
                fewest = int(cur.early[newly | sampling].min())
                if fewest < int(cap.max()):
                    cap = np.minimum(cap, fewest)
                    viol, pen, _ = score(cur)
                    newly = (~sampling) & (viol == 0)
                    sampling = sampling & (viol == 0)
            age[newly] = 0
            next_take[newly] = burn
            reached[newly] = True
            sampling = sampling | newly
        age = np.where(sampling, age + 1, age)
        due = sampling & (age >= next_take)
        for c in np.flatnonzero(due):
            if len(taken_defs) >= draws:
                break
            taken.append(
                Tables(
                    cur.fu[c : c + 1].copy(),
                    cur.rel[c : c + 1].copy(),
                    cur.death[c : c + 1].copy(),
                    cur.end[c : c + 1].copy(),
                )
            )
            taken_defs.append(defs[c])
            next_take[c] = age[c] + thin
        # a chain still searching long after another prints every number restarts from a
        # copy of such a chain (then moves on by its own Metropolis-Hastings steps, burn-in
        # included); without one, a chain stuck far from every fact restarts from the prior
        stuck = (~sampling) & (since > 10 * n)
        if sampling.any() and stuck.any():
            src_pool = np.flatnonzero(sampling)
            for c in np.flatnonzero(stuck):
                src_c = int(src_pool[rng.integers(src_pool.size)])
                for arr in (cur.fu, cur.rel, cur.death, cur.end):
                    arr[c] = arr[src_c]
                defs[c] = defs[src_c]
                viol[c], pen[c], best[c] = viol[src_c], pen[src_c], pen[src_c]
                sampling[c] = True
                age[c] = 0
                next_take[c] = burn
                since[c] = 0
                copies += 1
            stuck = np.zeros(b, dtype=bool)
        stuck = stuck | ((~sampling) & (since > 60 * n))
        if stuck.any():
            fu_n, rel_n, death_n, end_n = prior.patients(
                rng, np.tile(np.arange(n), int(stuck.sum()))
            )
            k = int(stuck.sum())
            cur.fu[stuck] = fu_n.reshape(k, n)
            cur.rel[stuck] = rel_n.reshape(k, n)
            cur.death[stuck] = death_n.reshape(k, n)
            cur.end[stuck] = end_n.reshape(k, n)
            v_s, p_s, _ = score(cur)
            viol = np.where(stuck, v_s, viol)
            pen = np.where(stuck, p_s, pen)
            best = np.where(stuck, pen, best)
            since[stuck] = 0
    if taken:
        tables = Tables(
            np.vstack([t.fu for t in taken]),
            np.vstack([t.rel for t in taken]),
            np.vstack([t.death for t in taken]),
            np.vstack([t.end for t in taken]),
        )
    else:
        z = np.zeros((0, n))
        tables = Tables(z, z.copy(), z.copy(), z.copy())
    hardest = sorted(miss_count, key=lambda k: -miss_count[k])[:5]
    per_def: dict[str, int] = {}
    for d in taken_defs:
        per_def[d] = per_def.get(d, 0) + 1
    fewest_found = int(tables.early.min()) if taken else None
    return SearchResult(
        tables,
        taken_defs,
        proposals,
        int(reached.sum()),
        b,
        hardest,
        fewest_found,
        per_def,
        copies,
    )
