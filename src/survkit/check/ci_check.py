r"""Is a printed Kaplan-Meier estimate with its confidence interval possible, and how was it made?

:func:`check_ci` takes a printed endpoint (``"1-year OS 68% (95% CI, 43 to 100)"``, parsed once
by :func:`survkit.printed.parse_endpoint`) and answers, for each CI method -- R's five
transforms and any plugged-in :class:`~survkit.check.methods.CIMethod` -- whether it can produce
the three printed numbers, under which rounding convention, and with ``n`` which event
histories do; like the GRIM test does for means, but for Kaplan-Meier estimates.

A paper prints all its numbers with one program, so every judgement is made under one
rounding convention at a time (``"nearest"`` or ``"truncate"``); ``rounding="any"`` tries both
and labels each verdict and history with the conventions under which it holds.

The pieces, one idea per module:

* :mod:`survkit.check.landmark` -- the printed target at a landmark (named intervals, facts);
* :mod:`survkit.check.methods` -- the CI methods and the protocol for new ones;
* :mod:`survkit.check.width` -- the no-n analysis (what the three numbers allow);
* :mod:`survkit.check.reach` -- printing boxes in (-log S, var) and reachability bounds;
* :mod:`survkit.check.counting` -- the counting DP (an outward upper bound on histories);
* :mod:`survkit.check.search` -- the branch-and-bound listing search (:class:`Frontier`);
* :mod:`survkit.check.history` -- histories, their one realisation as data, re-verification.

Before the landmark, the estimate and its Greenwood variance depend only on the risk-set sizes
at which events happened:

.. math::

    \hat S = \prod_i \frac{r_i - 1}{r_i}, \qquad
    \widehat{\mathrm{var}}(\log \hat S) = \sum_i \frac{1}{r_i (r_i - 1)},

for a strictly decreasing *history* ``n >= r_1 > ... > r_k >= 2`` (``d`` tied events at risk
``r`` count as ``r, r-1, ..., r-d+1``: both telescope). Censorings only decide which histories
are possible, and every strictly decreasing tuple is possible with suitable censoring.

References
----------
Greenwood M. (1926). The natural duration of cancer. Reports on Public Health and Medical
Subjects 33. Kaplan E.L., Meier P. (1958). JASA 53:457-481. Brown N.J.L., Heathers J.A.J.
(2017). The GRIM test. Soc. Psychol. Personal. Sci. 8:363-369. Therneau T. (2023). survival
3.5, ``survfit_confint``. Borgan O., Liestol K. (1990). Scand. J. Stat. 17:35-41.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time as _time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import pandas as pd

from survkit._validation import check_limit, check_patients
from survkit.check.counting import count_upper
from survkit.check.hand import HandCheck, check_hand
from survkit.check.history import History, history_dataset, mask_bits, verify
from survkit.check.landmark import LandmarkTarget, hull, landmark_target, survival_reports
from survkit.check.methods import TRANSFORMS, CIMethod
from survkit.check.reach import REACH_CELLS, printing_boxes
from survkit.check.search import SearchResult, search_histories
from survkit.check.width import width_ranges
from survkit.estimate.ci import check_conf_level, z_value
from survkit.printed import (
    Convention,
    Reported,
    Rounding,
    check_rounding,
    conventions,
)

__all__ = ["DEFAULT_MAX_STATES", "LARGE_N", "MAX_N", "CICheck", "History", "MethodCheck",
           "check_ci", "history_dataset"]

#: Largest ``n`` for which histories are counted (DP) and searched; above it only the printed
#: numbers are used.
MAX_N: Final[int] = 500
#: Above this ``n`` the result says that counts are DP bounds and listing is partial.
LARGE_N: Final[int] = 60
#: Listing budget per method: states visited or generated before the enumeration stops and
#: says so (about 0.1-0.3 s for n <= 60).
DEFAULT_MAX_STATES: Final[int] = 1_000_000


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class MethodCheck:
    """Verdict for one CI method (one of R's transforms, or a plugged-in method).

    Attributes
    ----------
    conf_type : str
        The method's name (``"log"``; a plugged-in method's ``name``).
    consistent : bool
        Whether the transform can produce the printed numbers.
    se_log_range : tuple of float or None
        Implied range of :math:`SE(\\log \\hat S)` at the first landmark (``None`` if none).
    ess_range : tuple of float or None
        Implied effective sample size at the first landmark: the size ``m`` of a
        censoring-free sample with the same variance, :math:`m = (1 - S) / (S\\,SE^2)`.
    reason : str
        One line explaining an exclusion (empty when consistent, or a caveat).
    n_histories : int or None
        Number of histories: exact when the search was exhaustive, else the number found (a
        lower bound); ``None`` without ``n``.
    se_log_ranges, ess_ranges : tuple
        The same ranges for every landmark.
    n_histories_upper : int or None
        Certified upper bound on the number of histories (equal to ``n_histories`` when that
        is exact); from the counting DP when the listing search stopped early.
    rounding : tuple of {"nearest", "truncate"}
        The rounding conventions under which the method can produce every printed number
        (empty when excluded; a convention is dropped only when proven impossible).
    """

    conf_type: str
    consistent: bool
    se_log_range: tuple[float, float] | None
    ess_range: tuple[float, float] | None
    reason: str
    n_histories: int | None = None
    se_log_ranges: tuple[tuple[float, float] | None, ...] = ()
    ess_ranges: tuple[tuple[float, float] | None, ...] = ()
    n_histories_upper: int | None = None
    rounding: tuple[Convention, ...] = ()

    @property
    def count_exact(self) -> bool:
        """Whether ``n_histories`` is the exact number of histories."""
        return self.n_histories is not None and self.n_histories == self.n_histories_upper

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "consistent": self.consistent,
            "se_log_range": list(self.se_log_range) if self.se_log_range else None,
            "ess_range": list(self.ess_range) if self.ess_range else None,
            "reason": self.reason,
            "n_histories": self.n_histories,
            "n_histories_upper": self.n_histories_upper,
            "rounding": list(self.rounding),
        }


@dataclass(frozen=True)
class CICheck:
    """Result of :func:`check_ci`.

    Attributes
    ----------
    reported : tuple of Reported
        The printed endpoint(s), one per landmark.
    n : int or None
        Sample size used for the exact search.
    conf_level : float
    consistent : tuple of str
        Transforms that can produce the printed numbers, in :data:`CONF_TYPES` order.
    methods : Mapping[str, MethodCheck]
        Per-transform verdicts.
    histories : Mapping[str, tuple of History]
        Histories reproducing the numbers per transform (at most ``max_histories`` each).
    n_histories : Mapping[str, int]
        Exact number of histories per transform (a lower bound -- the number found -- when
        ``exhaustive`` is False).
    exhaustive : bool
        True when every count is exact: each transform was excluded by the counting DP or
        its listing search ran to completion (False without ``n``).
    notes : tuple of str
        Caveats (fallbacks, budget, count bounds, verification).
    n_histories_upper : Mapping[str, int]
        Certified upper bound on the number of histories per transform (the counting DP);
        equal to ``n_histories`` where that count is exact.
    decided : bool
        True when every verdict is certified: each transform is excluded by an exhaustive
        count of zero or has a listed, re-verified history (counts may still be bounds).
    rounding : {"any", "nearest", "truncate"}
        The rounding request; each verdict and history says in its ``rounding`` under which
        conventions it holds.
    hand : HandCheck or None
        The hand-calculation verdict (:func:`survkit.check.hand.check_hand`) when judged; its
        variants name how the interval would have been computed.
    states : int
        Search states the listing searches visited or generated, summed over every method
        and every search made for it (the finer second search, the witness searches per
        convention); 0 without ``n`` or when no search ran. The same inputs always give the
        same count, so it can serve as a machine-independent work budget
        (:func:`survkit.trial.listing.histories_by_count`).
    """

    reported: tuple[Reported, ...]
    n: int | None
    conf_level: float
    consistent: tuple[str, ...]
    methods: Mapping[str, MethodCheck]
    histories: Mapping[str, tuple[History, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    n_histories: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    exhaustive: bool = False
    notes: tuple[str, ...] = ()
    n_histories_upper: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    decided: bool = False
    rounding: Rounding = "any"
    hand: HandCheck | None = None
    states: int = 0

    def holds_under(self, name: str) -> tuple[Convention, ...]:
        """The conventions under which method ``name`` produces the printed numbers."""
        return self.methods[name].rounding

    def to_frame(self) -> pd.DataFrame:
        """One row per transform: consistency, implied SE and ESS ranges, counts, reason."""
        rows = []
        for ct, m in self.methods.items():
            rows.append(
                {
                    "conf_type": ct,
                    "consistent": m.consistent,
                    "se_log_lo": m.se_log_range[0] if m.se_log_range else np.nan,
                    "se_log_hi": m.se_log_range[1] if m.se_log_range else np.nan,
                    "ess_lo": m.ess_range[0] if m.ess_range else np.nan,
                    "ess_hi": m.ess_range[1] if m.ess_range else np.nan,
                    "n_histories": m.n_histories,
                    "n_histories_upper": m.n_histories_upper,
                    "rounding": ";".join(m.rounding),
                    "reason": m.reason,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """The JSON layout of ``survkit check --json``."""
        one = len(self.reported) == 1

        def val(name: str) -> Any:
            vals = [getattr(r, name) for r in self.reported]
            return vals[0] if one else vals

        return {
            "estimate": val("estimate"),
            "lower": val("lower"),
            "upper": val("upper"),
            "n": self.n,
            "conf_level": self.conf_level,
            "consistent": list(self.consistent),
            "rounding": self.rounding,
            "methods": {ct: m.to_dict() for ct, m in self.methods.items()},
            "histories": {
                ct: [h.to_dict() for h in self.histories.get(ct, ())] for ct in self.methods
            },
            "n_histories": {ct: self.n_histories.get(ct) for ct in self.methods},
            "n_histories_upper": {ct: self.n_histories_upper.get(ct) for ct in self.methods},
            "exhaustive": self.exhaustive,
            "decided": self.decided,
            "notes": list(self.notes),
            "hand": None if self.hand is None else self.hand.to_dict(),
        }

    def plot(self, ax: Any = None) -> Any:
        """Bar chart of the number of histories (or consistency) per transform."""
        from survkit.show.check import plot_check

        return plot_check(self, ax=ax)




def _per_landmark(x: Any, nl: int, name: str, n: int | None) -> list[int | None]:
    if x is None:
        return [None] * nl
    vals = [x] if isinstance(x, (int, np.integer)) and not isinstance(x, bool) else x
    if isinstance(vals, (str, bytes)) or not isinstance(vals, Sequence | np.ndarray):
        raise TypeError(f"{name} must be an int or a sequence of ints, got {x!r}")
    out: list[int | None] = []
    for v in vals:
        if v is None:
            out.append(None)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must hold integers, got {v!r}")
        if v < 0:
            raise ValueError(f"{name} must be >= 0, got {v}")
        if n is not None and v > n:
            raise ValueError(f"{name} = {v} exceeds n = {n}")
        out.append(int(v))
    if len(out) != nl:
        raise ValueError(f"{name} has {len(out)} values for {nl} landmark(s)")
    return out



@dataclass(frozen=True)
class _Run:
    """One method's counting DP and listing search under the given targets."""

    count: int
    upper: int
    exhaustive: bool
    histories: tuple[History, ...]
    res: SearchResult | None
    states: int  # of the last search (the one whose result is reported)
    elapsed: float
    dropped: int
    visited: int  # states of every search of the run

    @property
    def complete(self) -> bool:
        """Every history was listed (the labels of the listed ones are those of all)."""
        return self.exhaustive and len(self.histories) == self.count


def _run(
    n: int,
    lms: list[LandmarkTarget],
    z: float,
    level: float,
    method: CIMethod,
    vrange: np.ndarray,
    max_histories: int,
    max_states: int,
    stop_at: int | None = None,
) -> _Run:
    """Counting DP (an upper bound), then the guided listing search, then re-verification.

    ``stop_at``: stop the listing once that many histories are found (a witness search).
    """
    cells = [printing_boxes(lm, method, z) for lm in lms]
    t0 = _time.perf_counter()
    dp = count_upper(n, lms, cells, max_buckets=max(2_000, 1_200_000 // n), record=True)
    # the trivial bound: subsets of {2..n} times the ways to split them at the landmarks
    trivial = 2 ** (n - 1) * (n + 1) ** (len(lms) - 1)
    upper = min(math.ceil(dp.upper), trivial) if math.isfinite(dp.upper) else trivial
    res: SearchResult | None = None
    exhaustive = True
    visited = 0
    if upper > 0:
        res = search_histories(
            n, lms, z, method, vrange, max_histories, max_states, cells, dp.guide, stop_at
        )
        exhaustive = res.exhaustive
        visited += res.states
        if res.count == 0 and not exhaustive and n <= LARGE_N:
            # undecided: a finer DP (3x grid, 4x cells) and its guide, same budget
            cells = [printing_boxes(lm, method, z, 4 * REACH_CELLS) for lm in lms]
            dp = count_upper(n, lms, cells, grid=48, max_buckets=100_000, record=True)
            upper = min(upper, math.ceil(dp.upper))
            res = None
            exhaustive = True
            if upper > 0:
                res = search_histories(
                    n, lms, z, method, vrange, max_histories, max_states, cells, dp.guide,
                    stop_at,
                )
                exhaustive = res.exhaustive
                visited += res.states
    elapsed = _time.perf_counter() - t0
    hist: tuple[History, ...] = ()
    count = 0
    dropped = 0
    if res is not None:
        by = verify(n, lms, level, method, res.masks, res.bps)
        ok = np.zeros(res.masks.shape[0], dtype=bool)
        for mask in by.values():
            ok |= mask
        dropped = int((~ok).sum())
        count = res.count - dropped
        keep = np.flatnonzero(ok)
        bits = mask_bits(res.masks[keep], n)
        hist = tuple(
            History(
                at_risk=tuple(int(x) for x in np.flatnonzero(bits[i])[::-1]),
                events_before=tuple(int(x) for x in res.bps[q]),
                surv=tuple(float(x) for x in res.sat[q]),
                std_err_log=tuple(math.sqrt(float(x)) for x in res.vat[q]),
                rounding=tuple(c for c in by if by[c][q]),
            )
            for i, q in enumerate(keep)
        )
    if exhaustive:
        upper = count
    states = res.states if res is not None else 0
    return _Run(count, upper, exhaustive, hist, res, states, elapsed, dropped, visited)


def _dp_bound(n: int, lms: list[LandmarkTarget], z: float, method: CIMethod) -> float:
    """The counting DP's upper bound alone (no listing)."""
    cells = [printing_boxes(lm, method, z) for lm in lms]
    return count_upper(n, lms, cells, max_buckets=max(2_000, 1_200_000 // n)).upper


def _conf_level(reps: list[Reported], conf_level: float | None) -> float:
    levels = {r.conf_level for r in reps if r.conf_level is not None}
    if len(levels) > 1:
        raise ValueError(f"the landmarks print different CI levels: {sorted(levels)}")
    if conf_level is None:
        return levels.pop() if levels else 0.95
    level = check_conf_level(conf_level)
    if levels:
        printed = levels.pop()
        if abs(printed - level) > 1e-9:
            raise ValueError(
                f"conf_level = {conf_level!r} contradicts the printed {100 * printed:g}% CI in "
                f"{reps[0].text!r}"
            )
    return level


def _methods(extra: Sequence[CIMethod] | None) -> list[CIMethod]:
    out: list[CIMethod] = list(TRANSFORMS)
    for m in extra or ():
        if not isinstance(m, CIMethod):
            raise TypeError(
                f"methods must hold CIMethod objects (name, limits, lower_peak, reference), "
                f"got {m!r}"
            )
        if m.name in {x.name for x in out}:
            raise ValueError(f"methods: the name {m.name!r} is already taken")
        out.append(m)
    return out


def _check_methods(
    reported: Reported | str | Sequence[Reported | str],
    n: int | None = None,
    *,
    conf_level: float | None = None,
    n_risk_at: int | Sequence[int | None] | None = None,
    events_before: int | Sequence[int | None] | None = None,
    rounding: Rounding = "any",
    max_histories: int = 10_000,
    max_states: int = DEFAULT_MAX_STATES,
    methods: Sequence[CIMethod] | None = None,
) -> CICheck:
    """:func:`check_ci` for R's transforms and plugged-in methods (no hand calculation)."""
    reps = survival_reports(reported)
    check_rounding(rounding)
    convs: tuple[Convention, ...] = tuple(
        c for c in conventions(rounding) if all(c in rep.conventions for rep in reps)
    )
    if not convs:
        raise ValueError(
            f"rounding = {rounding!r} excludes every convention the reported numbers allow "
            f"({', '.join(sorted({r.rounding for r in reps}))})"
        )
    if n is not None:
        n = check_patients(n)
    check_limit(max_histories, "max_histories")
    level = _conf_level(reps, conf_level)
    z = z_value(level)
    all_methods = _methods(methods)
    nl = len(reps)
    ms = _per_landmark(n_risk_at, nl, "n_risk_at", n)
    ds = _per_landmark(events_before, nl, "events_before", n)
    for name, seq, sign in (("n_risk_at", ms, -1), ("events_before", ds, 1)):
        known = [x for x in seq if x is not None]
        if any((b - a) * sign < 0 for a, b in itertools.pairwise(known)):
            order = "non-increasing" if sign < 0 else "non-decreasing"
            raise ValueError(f"{name} must be {order} over landmarks, got {seq}")
    lms_all = [landmark_target(r, convs, m, d) for r, m, d in zip(reps, ms, ds, strict=True)]

    def targets(cs: tuple[Convention, ...]) -> list[LandmarkTarget]:
        if cs == convs:
            return lms_all
        return [landmark_target(r, cs, m, d) for r, m, d in zip(reps, ms, ds, strict=True)]

    notes: list[str] = []
    # ---- no-n analysis per method, convention and landmark
    se_ranges: dict[str, list[tuple[float, float] | None]] = {}
    ess_ranges: dict[str, list[tuple[float, float] | None]] = {}
    reasons: dict[str, str] = {}
    nonn: dict[str, tuple[Convention, ...]] = {}
    for meth in all_methods:
        ct = meth.name
        se_l: list[tuple[float, float] | None] = [None] * nl
        ess_l: list[tuple[float, float] | None] = [None] * nl
        held: list[Convention] = []
        why_first = ""
        for c in convs:
            parts = []
            why = ""
            for j, lm in enumerate(lms_all):
                se_r, ess_r, w = width_ranges(lm.only(c), meth, z)
                if se_r is None:
                    where = f" at landmark {j + 1}" if nl > 1 else ""
                    why = f"{w}{where}"
                    break
                parts.append((se_r, ess_r))
            if why:
                why_first = why_first or why
                continue
            held.append(c)
            for j, (se_r, ess_r) in enumerate(parts):
                se_l[j] = hull(se_l[j], se_r)
                ess_l[j] = hull(ess_l[j], ess_r)
        se_ranges[ct], ess_ranges[ct] = se_l, ess_l
        nonn[ct] = tuple(held)
        if not held:
            reasons[ct] = why_first

    def only_if(cs: tuple[Convention, ...]) -> str:
        return "only if truncated" if cs == ("truncate",) and len(convs) > 1 else ""

    if n is None or n > MAX_N:
        if n is not None:
            notes.append(
                f"n = {n} > {MAX_N}: histories not counted and not enumerated; verdicts from "
                "the printed numbers alone"
            )
        out: dict[str, MethodCheck] = {
            meth.name: MethodCheck(
                conf_type=meth.name,
                consistent=bool(nonn[meth.name]),
                se_log_range=se_ranges[meth.name][0],
                ess_range=ess_ranges[meth.name][0],
                reason=reasons.get(meth.name, "") or only_if(nonn[meth.name]),
                n_histories=None,
                se_log_ranges=tuple(se_ranges[meth.name]),
                ess_ranges=tuple(ess_ranges[meth.name]),
                rounding=nonn[meth.name],
            )
            for meth in all_methods
        }
        return CICheck(
            reported=tuple(reps),
            n=n,
            conf_level=level,
            consistent=tuple(ct for ct, m in out.items() if m.consistent),
            methods=MappingProxyType(out),
            exhaustive=False,
            notes=tuple(notes),
            rounding=rounding,
        )

    # ---- per method: counting DP (an upper bound), then the listing search
    if n > LARGE_N:
        notes.append(
            f"n = {n} > {LARGE_N}: verdicts from the counting DP over risk-set sizes (a "
            "method is excluded when no history can print the numbers) and the printed "
            "numbers; histories are listed only as far as the search budget reaches, and "
            "counts are given as bounds"
        )
    histories: dict[str, tuple[History, ...]] = {}
    n_hist: dict[str, int] = {}
    n_upper: dict[str, int] = {}
    results: dict[str, MethodCheck] = {}
    consistent: list[str] = []
    all_exhaustive = True
    decided = True
    visited = 0
    facts = any(x is not None for x in ms + ds)
    for meth in all_methods:
        ct = meth.name
        tried = nonn[ct]
        if not tried:
            histories[ct] = ()
            n_hist[ct] = 0
            n_upper[ct] = 0
            results[ct] = MethodCheck(
                conf_type=ct,
                consistent=False,
                se_log_range=None,
                ess_range=None,
                reason=reasons[ct],
                n_histories=0,
                se_log_ranges=tuple(se_ranges[ct]),
                ess_ranges=tuple(ess_ranges[ct]),
                n_histories_upper=0,
            )
            continue
        vrange = np.empty((nl, 2))
        for j in range(nl):
            se_r = se_ranges[ct][j]
            if se_r is None:  # pragma: no cover - excluded above
                raise RuntimeError("internal: missing SE range")
            vrange[j, 0] = (se_r[0] * (1 - 1e-6)) ** 2
            vrange[j, 1] = (se_r[1] * (1 + 1e-6)) ** 2 + 1e-15
        run = _run(n, targets(tried), z, level, meth, vrange, max_histories, max_states)
        visited += run.visited
        if run.dropped:
            notes.append(
                f"{ct}: {run.dropped} listed histories failed re-verification with "
                "kaplan_meier_at and were dropped"
            )
        # ---- under which conventions does the method hold?
        holds: list[Convention] = []
        for c in tried:
            if any(c in h.rounding for h in run.histories):
                holds.append(c)  # a listed, re-verified witness
            elif len(tried) == 1:
                if run.count > 0 or not run.exhaustive:
                    holds.append(c)  # counted (not listed), or undecided: kept
            elif run.complete:
                continue  # every history was listed and none prints under c
            elif run.count == 0:
                # undecided jointly: kept under c unless the counting DP under c alone is 0
                if _dp_bound(n, targets((c,)), z, meth) > 0:
                    holds.append(c)
            else:
                # a witness search under c alone: one re-verified history decides it
                alone = _run(n, targets((c,)), z, level, meth, vrange, 1, max_states, 1)
                visited += alone.visited
                if alone.count > 0 or not alone.exhaustive:
                    holds.append(c)
        labels = tuple(holds)
        count, upper = run.count, run.upper
        if not run.exhaustive:
            all_exhaustive = False
            decided = decided and count > 0
            notes.append(
                f"{ct}: the listing search stopped after {run.states:,} states "
                f"({run.elapsed:.1f} s) with {count:,} histories (a lower bound); the counting "
                f"DP bounds the total by {upper:,}: the count is in [{count:,}, {upper:,}]"
                + ("" if count else " and the method is kept, not excluded")
            )
        histories[ct] = run.histories
        n_hist[ct] = count
        n_upper[ct] = upper
        is_ok = count > 0 or not run.exhaustive
        res = run.res
        if count > 0 and res is not None:
            se_list: list[tuple[float, float] | None] = [
                (math.sqrt(res.v_min[j]), math.sqrt(res.v_max[j])) for j in range(nl)
            ]
            ess_list: list[tuple[float, float] | None] = [
                (float(res.ess_min[j]), float(res.ess_max[j])) for j in range(nl)
            ]
            if not run.exhaustive:  # found histories are a subset: widen to the no-n ranges
                se_list = [hull(a, b) for a, b in zip(se_list, se_ranges[ct], strict=True)]
                ess_list = [hull(a, b) for a, b in zip(ess_list, ess_ranges[ct], strict=True)]
            reason = only_if(labels)
        else:
            se_list, ess_list = se_ranges[ct], ess_ranges[ct]
            if is_ok:
                reason = (
                    "not excluded: the listing search stopped before finding a history "
                    f"(the counting DP allows up to {upper:,})"
                )
                if only_if(labels):
                    reason += f"; {only_if(labels)}"
            else:
                how = "counting DP over risk-set sizes" if res is None else "exhaustive search"
                reason = (
                    f"no event history of n = {n} patients reproduces the printed numbers"
                    + (" with the given facts" if facts else "")
                    + f" ({how})"
                )
        if is_ok:
            consistent.append(ct)
        results[ct] = MethodCheck(
            conf_type=ct,
            consistent=is_ok,
            se_log_range=se_list[0],
            ess_range=ess_list[0],
            reason=reason,
            n_histories=count,
            se_log_ranges=tuple(se_list),
            ess_ranges=tuple(ess_list),
            n_histories_upper=upper,
            rounding=labels if is_ok else (),
        )
    return CICheck(
        reported=tuple(reps),
        n=n,
        conf_level=level,
        consistent=tuple(consistent),
        methods=MappingProxyType(results),
        histories=MappingProxyType(histories),
        n_histories=MappingProxyType(n_hist),
        exhaustive=all_exhaustive,
        notes=tuple(notes),
        n_histories_upper=MappingProxyType(n_upper),
        decided=decided,
        rounding=rounding,
        states=visited,
    )


def check_ci(
    reported: Reported | str | Sequence[Reported | str],
    n: int | None = None,
    *,
    conf_level: float | None = None,
    n_risk_at: int | Sequence[int | None] | None = None,
    events_before: int | Sequence[int | None] | None = None,
    rounding: Rounding = "any",
    max_histories: int = 10_000,
    max_states: int = DEFAULT_MAX_STATES,
    methods: Sequence[CIMethod] | None = None,
    hand: bool = True,
) -> CICheck:
    r"""Which CI methods (and which event histories) can produce a printed KM estimate and CI.

    Parameters
    ----------
    reported : Reported or str, or a sequence of them
        The printed endpoint(s); strings go through :func:`survkit.printed.parse_endpoint`.
        Several landmarks of one endpoint (e.g. 6 and 12 months, in time order) are checked
        jointly: one history, one method and one rounding convention must produce all of them.
    n : int, optional
        Number of patients. Without it only the three numbers are used.
    conf_level : float, optional
        CI level; default the printed one, else 0.95. Contradicting a printed level is an
        error naming both.
    n_risk_at : int or sequence, optional
        Number at risk at each landmark (R ``summary(fit, times=)`` convention: time >= t; a
        count of time > t is also covered).
    events_before : int or sequence, optional
        Cumulative number of events up to each landmark.
    rounding : {"any", "nearest", "truncate"}
        The rounding conventions tried, one at a time (all numbers under one convention):
        ``"any"`` (default, recall first) tries both and labels every verdict and history
        with those under which it holds (``MethodCheck.rounding``, ``History.rounding``);
        ``"nearest"`` returns only what holds when every number was rounded to nearest. A
        :class:`Reported` parsed with a narrower ``rounding`` narrows it further.
    max_histories : int
        Histories listed per method (the count in ``n_histories`` is exact regardless).
    max_states : int
        Search budget in visited states; when exceeded the result says so
        (``exhaustive=False``), methods without a witness are then kept (never excluded).
    methods : sequence of CIMethod, optional
        Further methods to test beside R's five transforms (see
        :mod:`survkit.check.methods`); their names key the verdicts.
    hand : bool
        Also judge a hand calculation, estimate +/- z SE from rounded numbers
        (:func:`survkit.check.hand.check_hand`): when it reproduces the printed numbers,
        ``"hand"`` is appended to ``consistent`` with its variants (``CICheck.hand``) and, for
        ``n <= 25`` and one landmark, its exact histories; its verdict reads "consistent only
        if the interval was computed by hand from rounded numbers".

    Returns
    -------
    CICheck

    Raises
    ------
    TypeError, ValueError
        A text that is not a survival estimate with its CI (a hazard ratio: use
        :func:`survkit.check.check_hr`; a median), bad ``n``, facts or options.

    Notes
    -----
    A history is a strictly decreasing tuple of risk-set sizes at the events up to the
    landmark; :math:`\hat S = \prod (r_i - 1)/r_i` and
    :math:`\widehat{var}(\log \hat S) = \sum 1/(r_i(r_i-1))` (Greenwood 1926). The limits
    come from the method (:func:`survkit.estimate.ci.transform_bounds` for the transforms) with
    half-width :math:`z\,SE(\log\hat S)`. Comparisons use the printed numbers' intervals
    under each convention with the one tolerance of :func:`survkit.printed.within`, so no
    history that prints the given numbers is lost ("recall is sacred"); every listed history
    is re-checked on its realising dataset (:func:`history_dataset`) through the method's
    reference engine (:func:`survkit.estimate.batch.kaplan_meier_at`).
    """
    res = _check_methods(
        reported, n, conf_level=conf_level, n_risk_at=n_risk_at, events_before=events_before,
        rounding=rounding, max_histories=max_histories, max_states=max_states, methods=methods,
    )
    if not hand:
        return res
    return _with_hand(res, n_risk_at, events_before, rounding, max_histories)


def _with_hand(
    res: CICheck,
    n_risk_at: int | Sequence[int | None] | None,
    events_before: int | Sequence[int | None] | None,
    rounding: Rounding,
    max_histories: int,
) -> CICheck:
    """Add the hand-calculation verdict to a :class:`CICheck` (see :func:`check_ci`)."""
    one = len(res.reported) == 1

    def single(x: int | Sequence[int | None] | None) -> int | None:
        if x is None or not one:
            return None
        if isinstance(x, Sequence):
            first = next(iter(x), None)
            return None if first is None else int(first)
        return int(x)

    hc = check_hand(
        res.reported, res.n, conf_level=res.conf_level, n_risk_at=single(n_risk_at),
        events_before=single(events_before), rounding=rounding, max_histories=max_histories,
    )
    if not hc.consistent:
        return dataclasses.replace(res, hand=hc)
    convs: tuple[Convention, ...] = tuple(
        c for c in conventions("any") if any(v.rounding == c for v in hc.variants)
    )
    ids = ", ".join(v.id for v in hc.variants[:3]) + (" ..." if len(hc.variants) > 3 else "")
    verdict = MethodCheck(
        conf_type="hand",
        consistent=True,
        se_log_range=None,
        ess_range=None,
        reason=f"{hc.label} ({len(hc.variants)} variant(s): {ids})",
        n_histories=hc.n_histories,
        n_histories_upper=hc.n_histories if hc.exhaustive else None,
        rounding=convs,
    )
    n_hist = dict(res.n_histories)
    n_up = dict(res.n_histories_upper)
    if hc.exhaustive and hc.n_histories is not None:
        n_hist["hand"] = hc.n_histories
        n_up["hand"] = hc.n_histories
    return dataclasses.replace(
        res,
        consistent=(*res.consistent, "hand"),
        methods=MappingProxyType({**res.methods, "hand": verdict}),
        histories=MappingProxyType(
            {**res.histories, "hand": hc.histories} if hc.exhaustive else dict(res.histories)
        ),
        n_histories=MappingProxyType(n_hist),
        n_histories_upper=MappingProxyType(n_up),
        notes=res.notes + hc.notes,
        hand=hc,
    )
