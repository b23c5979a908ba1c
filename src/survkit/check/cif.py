r"""Checks of printed competing-risks numbers: relapse + NRM + event-free survival = 1.

With one dataset, at any landmark :math:`t`, the Kaplan-Meier estimate :math:`\hat S(t)` of an
event-free endpoint (leukaemia-free survival: no relapse, no death) and the Aalen-Johansen
cumulative incidences of its causes (relapse :math:`\hat F_R`, non-relapse mortality
:math:`\hat F_N`) satisfy exactly

.. math:: \hat F_R(t) + \hat F_N(t) + \hat S(t) = 1,

because :math:`\hat F_R + \hat F_N = \sum_j \hat S(t_{j-1}) d_j / r_j = 1 - \hat S`. Printed
numbers are intervals (:mod:`survkit.printed`), and a paper uses one rounding convention for all
of them: :func:`check_competing_risks` asks, convention by convention, whether
:math:`[F_R] + [F_N]` meets :math:`1 - [S]` (interval arithmetic, rounded outward, the one
membership tolerance of :func:`survkit.printed.within`). It never calls numbers that one dataset
can produce inconsistent.

When the identity fails because the sum is too large, a "1 - KM" reading (a cause's incidence
estimated by one minus the Kaplan-Meier curve that censors the competing event, which
overestimates it) may explain it. With :math:`K_R, K_N` the two cause-specific Kaplan-Meier
curves on the same risk sets, for every dataset (ties included)

.. math::

    K_R K_N \ge \hat S, \qquad 1 - K_c \ge \hat F_c, \qquad
    1 - \hat S - \hat F_R \;\le\; 1 - K_N \;\le\; 1 - \hat S / (1 - \hat F_R),

so "NRM printed as :math:`1 - K_N`" (relapse and LFS as printed) is possible exactly when
the printed NRM meets that interval for some values of the printed LFS and relapse (and
symmetrically for relapse); "both printed as 1 - KM" needs
:math:`1 - F_R - F_N \le S \le (1 - F_R)(1 - F_N)`. Each bound is attained by some dataset
(relapses all before the first non-relapse death, or after), so these are the exact sets the
printed numbers allow, up to the coarseness of the data.

References
----------
Aalen O.O., Johansen S. (1978), Scand J Stat 5:141-150. Gooley T.A., Leisenring W., Crowley J.,
Storer B.E. (1999). Estimation of failure probabilities in the presence of competing risks: new
representations of old estimators. Stat Med 18:695-706. van Walraven C., McAlister F.A. (2016).
Competing risk bias was common in Kaplan-Meier risk estimates published in prominent medical
journals. J Clin Epidemiol 69:170-173.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from survkit.estimate.ci import (
    CONF_TYPES,
    normalize_conf_type,
    transform_bounds,
    transform_scale,
    z_value,
)
from survkit.printed import (
    Convention,
    Printed,
    Reported,
    Rounding,
    check_rounding,
    conventions,
    parse_endpoint,
    parse_printed,
    within,
)

__all__ = [
    "CIFCICheck",
    "CIFMethodVerdict",
    "CompetingRisksCheck",
    "ConventionVerdict",
    "check_cif_ci",
    "check_competing_risks",
]


def _down(x: float) -> float:
    return float(np.nextafter(np.nextafter(x, -np.inf), -np.inf))


def _up(x: float) -> float:
    return float(np.nextafter(np.nextafter(x, np.inf), np.inf))


def _max_concave(g: Callable[[float], float], a: float, b: float, iters: int = 200) -> float:
    """Maximum of a concave function on ``[a, b]`` (ternary search, endpoints included)."""
    best = max(g(a), g(b))
    lo, hi = a, b
    for _ in range(iters):
        m1 = lo + (hi - lo) / 3.0
        m2 = hi - (hi - lo) / 3.0
        if g(m1) < g(m2):
            lo = m1
        else:
            hi = m2
    return max(best, g((lo + hi) / 2.0))


def _tol(x: float) -> float:
    return 1e-12 * max(1.0, abs(x))


@dataclass(frozen=True)
class ConventionVerdict:
    """The identity and the 1 - KM readings under one rounding convention.

    Attributes
    ----------
    convention : {"nearest", "truncate"}
        The rounding convention applied to all three numbers.
    efs, relapse, nrm : tuple of float
        The intervals of true values behind the printed numbers.
    incidence_sum : tuple of float
        :math:`[F_R] + [F_N]` (outward-rounded).
    one_minus_efs : tuple of float
        :math:`1 - [S]`.
    identity_holds : bool
        Whether the two intervals meet: some dataset prints all three numbers.
    excess : float
        ``0`` when the identity holds; else the gap, positive when the incidences sum to more
        than :math:`1 - S` (what a 1 - KM reading produces), negative when to less.
    nrm_as_one_minus_km, relapse_as_one_minus_km, both_as_one_minus_km : bool
        Whether that reading is possible with the printed numbers (module notes).
    """

    convention: Convention
    efs: tuple[float, float]
    relapse: tuple[float, float]
    nrm: tuple[float, float]
    incidence_sum: tuple[float, float]
    one_minus_efs: tuple[float, float]
    identity_holds: bool
    excess: float
    nrm_as_one_minus_km: bool
    relapse_as_one_minus_km: bool
    both_as_one_minus_km: bool


@dataclass(frozen=True)
class CompetingRisksCheck:
    """Result of :func:`check_competing_risks`.

    Attributes
    ----------
    efs, relapse, nrm : Printed
        The three printed numbers.
    labels : tuple of str
        Their names (for messages), e.g. ``("LFS", "relapse", "NRM")``.
    time : float or None
        The landmark, when given (only for messages).
    rounding : {"any", "nearest", "truncate"}
        The conventions tried.
    verdicts : tuple of ConventionVerdict
        One per convention tried.
    """

    efs: Printed
    relapse: Printed
    nrm: Printed
    labels: tuple[str, str, str]
    time: float | None
    rounding: Rounding
    verdicts: tuple[ConventionVerdict, ...]

    @property
    def consistent(self) -> bool:
        """Whether one dataset can print all three numbers under some convention tried."""
        return any(v.identity_holds for v in self.verdicts)

    @property
    def conventions(self) -> tuple[Convention, ...]:
        """The conventions under which the identity holds."""
        return tuple(v.convention for v in self.verdicts if v.identity_holds)

    def explain(self) -> str:
        """One paragraph saying what holds, what does not, and what may explain it."""
        e, r, d = self.labels
        at = "" if self.time is None else f" at {self.time:g}"
        head = (f"{r} {self.relapse.text} + {d} {self.nrm.text} + {e} {self.efs.text}{at}")
        if self.consistent:
            return (f"{head}: consistent -- the incidences sum to 1 - {e} under "
                    f"{' and '.join(self.conventions)} rounding.")
        parts = []
        for v in self.verdicts:
            s0, s1 = v.incidence_sum
            o0, o1 = v.one_minus_efs
            side = "more" if v.excess > 0 else "less"
            reads = [name for name, ok in (
                (f"{d} printed as 1 - KM", v.nrm_as_one_minus_km),
                (f"{r} printed as 1 - KM", v.relapse_as_one_minus_km),
                ("both printed as 1 - KM", v.both_as_one_minus_km)) if ok]
            why = (" A 1 - KM reading cannot explain it (it only inflates the incidences)."
                   if v.excess < 0 else
                   (f" Possible explanation: {'; '.join(reads)}." if reads else
                    " No 1 - KM reading explains it either."))
            parts.append(
                f"under {v.convention} rounding {r} + {d} lies in [{s0:.4f}, {s1:.4f}] but "
                f"1 - {e} in [{o0:.4f}, {o1:.4f}]: {abs(v.excess):.4f} {side} than any "
                f"dataset allows.{why}")
        return f"{head}: inconsistent -- " + " ".join(parts)

    def to_frame(self) -> pd.DataFrame:
        """One row per convention: intervals, verdict, excess and the 1 - KM readings."""
        rows = []
        for v in self.verdicts:
            rows.append({
                "convention": v.convention, "identity_holds": v.identity_holds,
                "excess": v.excess,
                "sum_low": v.incidence_sum[0], "sum_high": v.incidence_sum[1],
                "one_minus_efs_low": v.one_minus_efs[0], "one_minus_efs_high": v.one_minus_efs[1],
                "nrm_as_one_minus_km": v.nrm_as_one_minus_km,
                "relapse_as_one_minus_km": v.relapse_as_one_minus_km,
                "both_as_one_minus_km": v.both_as_one_minus_km,
            })
        return pd.DataFrame(rows)


def _one_minus_km_possible(s: tuple[float, float], own: tuple[float, float],
                           other: tuple[float, float]) -> bool:
    """Whether ``own`` (printed as 1 - KM) meets ``[1 - S - F_o, 1 - S / (1 - F_o)]`` for some
    ``S`` in ``s`` and ``F_o`` (the other cause, an Aalen-Johansen value) in ``other``.

    For fixed ``F_o`` the condition is ``max(s0, 1 - F_o - n1) <= S <= min(s1, (1 - n0)(1 - F_o))``;
    the slack is concave in ``F_o`` and maximised by ternary search.
    """
    s0, s1 = s
    n0, n1 = own

    def slack(f: float) -> float:
        return min(s1, (1.0 - n0) * (1.0 - f)) - max(s0, 1.0 - f - n1)

    return _max_concave(slack, other[0], min(other[1], 1.0)) >= -_tol(1.0)


def _both_possible(s: tuple[float, float], r: tuple[float, float],
                   n: tuple[float, float]) -> bool:
    """Whether ``1 - R - N <= S <= (1 - R)(1 - N)`` for some values in the intervals."""
    s0, s1 = s

    def slack(rv: float) -> float:
        hi_n = min(n[1], 1.0 - s0 / (1.0 - rv)) if rv < 1.0 else -np.inf
        lo_n = max(n[0], 1.0 - s1 - rv)
        return float(hi_n - lo_n)

    return _max_concave(slack, r[0], min(r[1], 1.0 - 1e-300)) >= -_tol(1.0)


def _as_printed(x: object, name: str) -> Printed:
    if isinstance(x, Reported):  # an estimate with its CI: the identity uses the estimate
        x = x.point
    elif isinstance(x, str) and "(" in x:
        x = parse_endpoint(x).point
    if isinstance(x, Printed):
        if x.kind != "probability":
            raise ValueError(f"{name} must be a probability, got kind {x.kind!r}")
        return x
    p = parse_printed(x, name=name, kind="probability", not_reached=False)
    return p


def check_competing_risks(
    efs: object,
    relapse: object,
    nrm: object,
    *,
    rounding: Rounding = "any",
    time: float | None = None,
    labels: tuple[str, str, str] = ("LFS", "relapse", "NRM"),
) -> CompetingRisksCheck:
    r"""Check printed event-free survival, relapse incidence and NRM at one landmark.

    Parameters
    ----------
    efs : str, Printed or Reported
        The printed event-free survival (LFS, DFS, EFS ...), e.g. ``"62.3%"``; a text with a
        CI (``"62.3% (95% CI, 44.1-76.0)"``) or a :class:`~survkit.printed.Reported` gives its
        estimate.
    relapse, nrm : str, Printed or Reported
        The printed cumulative incidences of relapse and of non-relapse mortality at the
        same time, e.g. ``"8.8%"``, ``"32.0%"`` (pass strings to keep trailing zeros).
    rounding : {"any", "nearest", "truncate"}
        Conventions to try (each applied to all three numbers); ``"any"`` tries both.
    time : float, optional
        The landmark, only used in messages.
    labels : tuple of str
        Names of the three numbers in messages.

    Returns
    -------
    CompetingRisksCheck
        ``consistent`` is True when some dataset can print all three numbers under a
        convention tried; ``explain()`` says why not, and which 1 - KM readings could explain it.

    Notes
    -----
    :math:`\hat F_R + \hat F_N = 1 - \hat S` exactly for one dataset (module notes); for the
    1 - KM readings, :math:`1 - \hat S - \hat F_R \le 1 - K_N \le 1 - \hat S/(1 - \hat F_R)`.

    Examples
    --------
    >>> res = check_competing_risks("62.3%", "8.8%", "32.0%")
    >>> res.consistent
    False
    >>> round(res.verdicts[0].excess, 4)
    0.0295
    """
    rnd = check_rounding(rounding)
    if not (isinstance(labels, tuple) and len(labels) == 3
            and all(isinstance(x, str) for x in labels)):
        raise TypeError(f"labels must be a tuple of three strings, got {labels!r}")
    if time is not None and (isinstance(time, bool) or not isinstance(time, (int, float))):
        raise TypeError(f"time must be a number, got {time!r}")
    pe = _as_printed(efs, "efs")
    pr = _as_printed(relapse, "relapse")
    pn = _as_printed(nrm, "nrm")
    verdicts = []
    for conv in conventions(rnd):
        s = pe.interval(conv)
        r = pr.interval(conv)
        n = pn.interval(conv)
        sum_iv = (_down(r[0] + n[0]), _up(r[1] + n[1]))
        ome = (_down(1.0 - s[1]), _up(1.0 - s[0]))
        meets = bool(within(sum_iv[0], -np.inf, ome[1])) and bool(within(sum_iv[1], ome[0],
                                                                          np.inf))
        if meets:
            excess = 0.0
        elif sum_iv[0] > ome[1]:
            excess = sum_iv[0] - ome[1]
        else:
            excess = sum_iv[1] - ome[0]
        verdicts.append(ConventionVerdict(
            convention=conv, efs=s, relapse=r, nrm=n, incidence_sum=sum_iv, one_minus_efs=ome,
            identity_holds=meets, excess=float(excess),
            nrm_as_one_minus_km=_one_minus_km_possible(s, n, r),
            relapse_as_one_minus_km=_one_minus_km_possible(s, r, n),
            both_as_one_minus_km=_both_possible(s, r, n),
        ))
    return CompetingRisksCheck(pe, pr, pn, labels, None if time is None else float(time), rnd,
                               tuple(verdicts))


# ---------------------------------------------------------------------- printed CIs of a CIF
def _g(conf_type: str, x: float) -> float:
    return float(transform_scale(x, conf_type))


_CLIP_LOW = {"plain": 0.0, "arcsin": 0.0}
_CLIP_HIGH = {"plain": 1.0, "log": 1.0, "arcsin": 1.0}


@dataclass(frozen=True)
class CIFMethodVerdict:
    r"""One transform under one rounding convention.

    Attributes
    ----------
    convention, conf_type : str
        The rounding convention and the CI transform (R's ``survfit_confint`` on the
        incidence, ``logse = FALSE``).
    possible : bool
        Whether some incidence and standard error reproduce the three printed numbers: the
        limits of every transform are symmetric about the estimate on the transform's scale
        :math:`g`, so this holds exactly when :math:`g(F) = (g(L) + g(U))/2` is possible
        (clipped limits relax the side they clip), whatever the confidence level.
    histories : tuple of int
        With ``n`` given: the event counts ``d`` for which a cohort without censoring before
        the landmark (:math:`F = d/n`, :math:`SE = \sqrt{F(1-F)/n}`, the Aalen-Johansen
        infinitesimal-jackknife SE then) prints the three numbers -- witnesses only: censored
        histories are not enumerated, so an empty tuple does not exclude the transform.
    """

    convention: Convention
    conf_type: str
    possible: bool
    histories: tuple[int, ...]


@dataclass(frozen=True)
class CIFCICheck:
    """Result of :func:`check_cif_ci`: which transforms can print a cumulative incidence CI."""

    reported: Reported
    n: int | None
    conf_level: float
    verdicts: tuple[CIFMethodVerdict, ...]

    @property
    def methods(self) -> tuple[tuple[Convention, str], ...]:
        """``(convention, conf_type)`` pairs that can reproduce the printed numbers."""
        return tuple((v.convention, v.conf_type) for v in self.verdicts if v.possible)

    @property
    def consistent(self) -> bool:
        """Whether any transform under any convention tried reproduces the numbers."""
        return bool(self.methods)

    def to_frame(self) -> pd.DataFrame:
        """One row per convention and transform."""
        return pd.DataFrame([{"convention": v.convention, "conf_type": v.conf_type,
                              "possible": v.possible,
                              "histories": ",".join(str(d) for d in v.histories)}
                             for v in self.verdicts])


def _transform_possible(conf_type: str, p: tuple[float, float], lo: tuple[float, float],
                        hi: tuple[float, float]) -> bool:
    """Exact test of the module's midpoint condition for one transform."""
    g0, g1 = _g(conf_type, p[0]), _g(conf_type, p[1])
    # limits of a positive incidence: the estimate lies strictly inside (0, 1) except plain
    a_lo, a_hi = _g(conf_type, lo[0]), _g(conf_type, lo[1])
    b_lo, b_hi = _g(conf_type, hi[0]), _g(conf_type, hi[1])
    clip_lo = _CLIP_LOW.get(conf_type)
    clip_hi = _CLIP_HIGH.get(conf_type)
    if clip_lo is not None and lo[0] <= clip_lo:
        a_lo = -np.inf  # a clipped lower limit: the unclipped one can be anything below
    if clip_hi is not None and hi[1] >= clip_hi:
        b_hi = np.inf
    with np.errstate(invalid="ignore"):
        m_lo = max(g0, (a_lo + b_lo) / 2.0 if np.isfinite(a_lo + b_lo) else
                   (-np.inf if a_lo == -np.inf else np.inf), a_lo)
        m_hi = min(g1, (a_hi + b_hi) / 2.0 if np.isfinite(a_hi + b_hi) else
                   (np.inf if b_hi == np.inf else -np.inf), b_hi)
    if np.isnan(m_lo) or np.isnan(m_hi):
        return False
    return bool(m_lo <= m_hi + 1e-12 * max(1.0, abs(m_hi)) if np.isfinite(m_hi) else m_lo <= m_hi)


def check_cif_ci(
    printed: str | Reported,
    n: int | None = None,
    *,
    rounding: Rounding = "any",
    conf_level: float | None = None,
    conf_types: tuple[str, ...] = CONF_TYPES,
) -> CIFCICheck:
    r"""Which CI transforms can print a cumulative incidence (relapse, NRM) with its CI.

    Parameters
    ----------
    printed : str or Reported
        E.g. ``"2-year relapse 8.8% (95% CI, 2.2 to 21.2)"``.
    n : int, optional
        Number of patients: adds witness histories without censoring before the landmark.
    rounding : {"any", "nearest", "truncate"}
        Conventions to try, each for all three numbers.
    conf_level : float, optional
        Level of the interval when the text does not print it (default 0.95); only the
        witness histories depend on it.
    conf_types : tuple of str
        Transforms to try (R's names), default all five.

    Returns
    -------
    CIFCICheck

    Notes
    -----
    R's ``survfit`` limits for a state probability :math:`F` are :math:`g^{-1}(g(F) \mp w)`
    with :math:`g` = identity, log, :math:`-\log(-\log)`, logit or
    :math:`\arcsin\sqrt{\cdot}` and :math:`w = z\,SE\,|g'(F)|`, clipped for plain, log (upper
    at 1) and arcsin. So a transform is possible exactly when some printed limits have their
    :math:`g`-midpoint at a printed estimate; the test is exact (interval arithmetic on the
    rounding intervals, outward) and never excludes a transform that some data could give.
    """
    rnd = check_rounding(rounding)
    rep = parse_endpoint(printed, rounding=rnd) if isinstance(printed, str) else printed
    if not isinstance(rep, Reported):
        raise TypeError(f"printed must be a string or a Reported, got {type(printed).__name__}")
    if rep.kind != "survival":
        raise ValueError(f"printed must be a probability with its CI, got a {rep.kind}: "
                         f"{rep.text!r}")
    if rep.low.number is None or rep.high.number is None:
        raise ValueError(f"printed needs both CI limits, got {rep.text!r}")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    level = rep.conf_level if rep.conf_level is not None else (
        0.95 if conf_level is None else float(conf_level))
    if conf_level is not None and rep.conf_level is not None and \
            abs(conf_level - rep.conf_level) > 1e-12:
        raise ValueError(f"conf_level = {conf_level} contradicts the printed "
                         f"{rep.conf_level:g} CI")
    cts = tuple(normalize_conf_type(c) for c in conf_types)
    z = z_value(level)
    verdicts = []
    for conv in conventions(rnd):
        p = rep.point.interval(conv)
        lo = rep.low.interval(conv)
        hi = rep.high.interval(conv)
        for ct in cts:
            ok = _transform_possible(ct, p, lo, hi)
            hist: list[int] = []
            if n is not None:
                f = np.arange(n + 1) / n
                se = np.sqrt(f * (1.0 - f) / n)
                h = z * np.divide(se, f, out=np.zeros_like(se), where=se != 0)
                lw, up = transform_bounds(f, h, ct)
                good = (rep.point.contains(f, conv) & rep.low.contains(lw, conv)
                        & rep.high.contains(up, conv))
                hist = [int(d) for d in np.flatnonzero(good)]
            verdicts.append(CIFMethodVerdict(conv, ct, ok or bool(hist), tuple(hist)))
    return CIFCICheck(rep, None if n is None else int(n), level, tuple(verdicts))
