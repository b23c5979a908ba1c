r"""A printed CI computed by hand from rounded numbers: estimate +/- z SE, in exact arithmetic.

Programs that print no CI for a survival probability (SPSS prints the Kaplan-Meier estimate and
its standard error only) leave the authors to compute the interval themselves, usually from the
numbers on the screen: the estimate as they print it, and the standard error (or the
half-width :math:`z\,SE`) rounded. ``"28.6% (95% CI, 4.9 to 52.3)"`` with ``n = 14`` is such a
line: ten events and no censoring give :math:`\hat S = 4/14 = 0.285714`, Greenwood
:math:`SE = \hat S \sqrt{\sum 1/(r(r-1))} = 0.120745`; :math:`1.96\,SE = 23.666` percent
points rounds to 23.7 and :math:`28.6 \mp 23.7` prints exactly 4.9 and 52.3. No software
transform gives these limits at full precision (R's plain interval is 4.9 to 52.2).

A *variant* (:class:`HandVariant`) fixes every choice an author makes:

* the estimate used: rounded as printed, or to one more decimal (``estimate_decimals``);
* what is rounded before adding and subtracting: the half-width :math:`h = z\,SE`
  (``rounded="half-width"``: limits :math:`E' \mp R(h)`) or the standard error
  (``rounded="se"``: limits :math:`E' \mp z\,R(SE)`), to the limits' printed decimals or one
  more (``decimals``);
* :math:`z`: ``1.96`` or ``1.959964`` (for other levels: 2, 3 and 6 decimals of the quantile);
* the rounding convention (nearest or truncation) -- one for every rounding of the paper.

Limits below 0 (above 100 %) print as 0 (100 %). Every comparison is exact: printed numbers are
decimal fractions (:class:`fractions.Fraction`), :math:`\hat S` and
:math:`V = \sum 1/(r(r-1))` are rational, and a rounding of the irrational
:math:`c\sqrt{V}` is decided with integer square roots
(:math:`\lfloor\sqrt{y}\rfloor = \mathrm{isqrt}(\lfloor y\rfloor)`), never by a float
comparison. Nearest rounding accepts both neighbours of an exact tie (half-up and half-even
differ only there), truncation is :math:`[p, p + u)`.

Without ``n`` the standard error is free, so a variant holds iff some grid value of the rounded
half-width (or SE) prints both limits. With ``n <= MAX_HAND_N`` every history (strictly
decreasing risk-set sizes at the events, see :mod:`survkit.check.ci_check`) is enumerated, and
those whose exact :math:`\hat S` and SE print the numbers under a variant are listed. A history
is classified in floats against the exact windows of the feasible (estimate, rounded
half-width) pairs when its values are farther than 1e-9 (relative) from every window end --
float errors are ~1e-13 -- and in exact arithmetic otherwise.

References
----------
Greenwood M. (1926). Reports on Public Health and Medical Subjects 33. Brown N.J.L., Heathers
J.A.J. (2017). The GRIM test. Soc. Psychol. Personal. Sci. 8:363-369. IBM SPSS Statistics,
Kaplan-Meier survival table (estimate and standard error of the cumulative proportion
surviving).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from survkit._validation import check_limit, check_patients
from survkit.check.history import History, history_dataset
from survkit.check.landmark import survival_reports
from survkit.estimate.ci import check_conf_level, z_value
from survkit.printed import Reported, Rounding, check_rounding, conventions

#: Largest ``n`` whose event histories are enumerated for the hand calculation.
MAX_HAND_N: Final[int] = 25
#: Largest number of enumeration states kept at once before the listing stops and says so.
MAX_HAND_STATES: Final[int] = 4_000_000

Convention = Literal["nearest", "truncate"]
Rounded = Literal["half-width", "se"]
_CONVENTIONS: Final[tuple[Convention, ...]] = ("nearest", "truncate")


# --------------------------------------------------------------------------- exact rounding
def _round_frac(x: Fraction, dec: int, conv: Convention) -> tuple[Fraction, ...]:
    """Values ``x >= 0`` prints as with ``dec`` decimals (two at an exact tie, nearest)."""
    scale = 10**dec
    y = x * scale
    a = math.floor(y)
    if conv == "truncate":
        return (Fraction(a, scale),)
    rest = y - a
    half = Fraction(1, 2)
    if rest > half:
        return (Fraction(a + 1, scale),)
    if rest < half:
        return (Fraction(a, scale),)
    return (Fraction(a, scale), Fraction(a + 1, scale))


def _round_sqrt(q: Fraction, dec: int, conv: Convention) -> tuple[Fraction, ...]:
    r"""Values :math:`\sqrt{q}` (``q >= 0`` rational) prints as with ``dec`` decimals.

    With :math:`y = q\,10^{2d}`, :math:`\lfloor \sqrt{y} \rfloor = \mathrm{isqrt}(\lfloor y
    \rfloor)` exactly; nearest rounding compares ``y`` with :math:`(a + 1/2)^2`.
    """
    scale = 10**dec
    y = q * scale * scale
    a = math.isqrt(math.floor(y))
    if conv == "truncate":
        return (Fraction(a, scale),)
    t = Fraction((2 * a + 1) ** 2, 4)
    if y > t:
        return (Fraction(a + 1, scale),)
    if y < t:
        return (Fraction(a, scale),)
    return (Fraction(a, scale), Fraction(a + 1, scale))


def _prints(x: Fraction, printed: Fraction, dec: int, conv: Convention) -> bool:
    return printed in _round_frac(x, dec, conv)


def _interval(p: Fraction, dec: int, conv: Convention) -> tuple[Fraction, Fraction, bool]:
    """``(lo, hi, hi_open)``: the exact set of values printing as ``p``."""
    u = Fraction(1, 10**dec)
    if conv == "truncate":
        return p, p + u, True
    return p - u / 2, p + u / 2, False


def _exact(value: float | None, dec: int, mult: int) -> Fraction | None:
    """The printed decimal as an exact fraction of the printed scale."""
    if value is None:
        return None
    return Fraction(f"{value * mult:.{dec}f}")


# --------------------------------------------------------------------------- variants
@dataclass(frozen=True)
class HandVariant:
    """One way of computing ``estimate +/- z SE`` by hand from rounded numbers.

    Attributes
    ----------
    rounded : {"half-width", "se"}
        What was rounded before adding and subtracting: ``z SE`` or ``SE``.
    decimals : int
        Decimals (in the printed scale: percent points for a percentage) it was rounded to.
    estimate_decimals : int
        Decimals of the estimate used (as printed, or one more).
    z : str
        The normal quantile used, as written (``"1.96"``, ``"1.959964"``).
    rounding : {"nearest", "truncate"}
        The convention of every rounding.
    """

    rounded: Rounded
    decimals: int
    estimate_decimals: int
    z: str
    rounding: Convention

    @property
    def id(self) -> str:
        """Compact name, e.g. ``"half-width/1dp, estimate/1dp, z=1.96, nearest"``."""
        return (
            f"{self.rounded}/{self.decimals}dp, estimate/{self.estimate_decimals}dp, "
            f"z={self.z}, {self.rounding}"
        )

    def describe(self, percent: bool = True) -> str:
        """A sentence saying how the interval was computed."""
        unit = " percent points" if percent else ""
        what = "z*SE" if self.rounded == "half-width" else "SE"
        return (
            f"estimate rounded to {self.estimate_decimals} decimal(s) "
            f"+/- {'' if self.rounded == 'half-width' else 'z*'}({what} rounded to "
            f"{self.decimals} decimal(s){unit}), z = {self.z}, rounding {self.rounding}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "id": self.id,
            "rounded": self.rounded,
            "decimals": self.decimals,
            "estimate_decimals": self.estimate_decimals,
            "z": self.z,
            "rounding": self.rounding,
        }


def _z_texts(level: float) -> tuple[str, ...]:
    z = z_value(level)
    out: list[str] = []
    for d in (2, 3, 6):
        t = f"{z:.{d}f}".rstrip("0").rstrip(".")
        if t not in out:
            out.append(t)
    return tuple(out)


def hand_variants(
    reported: Reported, conf_level: float | None = None, rounding: Rounding = "any"
) -> tuple[HandVariant, ...]:
    """Every hand-calculation variant a paper printing ``reported`` plausibly used.

    Estimate at the printed decimals or one more; half-width or SE rounded to the limits'
    printed decimals or one more; ``z`` at 2, 3 and 6 decimals (``1.96``, ``1.959964`` for a
    95 % CI); each rounding convention the printed line allows (``reported.rounding``) and
    ``rounding`` keeps.
    """
    level = conf_level if conf_level is not None else (reported.conf_level or 0.95)
    d_e, d_lo, d_hi = reported.decimals
    d_lim = max(d_lo, d_hi)
    allowed = conventions(rounding)
    convs = tuple(c for c in reported.conventions if c in allowed)
    out = []
    for conv, rounded, dec, ed, z in itertools.product(
        convs, ("half-width", "se"), (d_lim, d_lim + 1), (d_e, d_e + 1), _z_texts(level)
    ):
        out.append(HandVariant(rounded, dec, ed, z, conv))  # type: ignore[arg-type]
    return tuple(out)


# --------------------------------------------------------------------------- one landmark
@dataclass(frozen=True)
class _Printed:
    """The printed line in exact decimals of the printed scale."""

    mult: int
    e: Fraction
    lo: Fraction | None
    hi: Fraction | None
    d_e: int
    d_lo: int
    d_hi: int

    @classmethod
    def of(cls, rep: Reported) -> _Printed:
        mult = 100 if rep.scale == "percent" else 1
        d_e, d_lo, d_hi = rep.decimals
        e = _exact(rep.estimate, d_e, mult)
        if e is None:  # pragma: no cover - the estimate is always a number
            raise ValueError(f"reported {rep.text!r} has no estimate")
        return cls(mult, e, _exact(rep.lower, d_lo, mult), _exact(rep.upper, d_hi, mult),
                   d_e, d_lo, d_hi)

    def limits_ok(self, lower: Fraction, upper: Fraction, conv: Convention) -> bool:
        """Whether computed limits print as the printed ones (clipped at 0 and 100 %)."""
        if self.lo is not None and not _prints(max(lower, Fraction(0)), self.lo, self.d_lo, conv):
            return False
        return self.hi is None or _prints(min(upper, Fraction(self.mult)), self.hi, self.d_hi,
                                          conv)


def _estimates_used(p: _Printed, var: HandVariant) -> list[Fraction]:
    """Grid values of the estimate used that are compatible with the printed estimate."""
    if var.estimate_decimals == p.d_e:
        return [p.e]
    lo, hi, hi_open = _interval(p.e, p.d_e, var.rounding)
    scale = 10**var.estimate_decimals
    out = []
    for j in range(math.floor(lo * scale), math.ceil(hi * scale) + 1):
        x = Fraction(j, scale)
        if x < 0 or x > p.mult:
            continue
        # some true S printing as p.e rounds to x at the finer grid: x's own window meets
        # p.e's window (both windows are intervals of the same convention)
        xlo, xhi, _ = _interval(x, var.estimate_decimals, var.rounding)
        if xhi < lo or xlo > hi or (hi_open and xlo >= hi):
            continue
        out.append(x)
    return out


def _k_range(
    e: Fraction, step: Fraction, p: _Printed, conv: Convention
) -> tuple[int, int | None] | None:
    """Integers ``k >= 0`` for which ``e -/+ k step`` may print the limits (a superset).

    ``None`` as the upper end: no limit bounds ``k`` from above (a lower limit printed 0 and
    an upper limit printed 100 %, or missing), and feasibility is monotone in ``k``.
    """
    kmin, kmax = Fraction(0), None
    if p.lo is not None:
        lo, hi, _ = _interval(p.lo, p.d_lo, conv)
        kmin = max(kmin, (e - hi) / step)
        if p.lo > 0:
            kmax = (e - lo) / step
    if p.hi is not None:
        lo, hi, _ = _interval(p.hi, p.d_hi, conv)
        kmin = max(kmin, (lo - e) / step)
        if p.hi < p.mult:
            cap = (hi - e) / step
            kmax = cap if kmax is None else min(kmax, cap)
    a = math.ceil(kmin)
    if kmax is None:
        return a, None
    b = math.floor(kmax)
    return (a, b) if a <= b else None


def _no_n_feasible(p: _Printed, var: HandVariant) -> list[tuple[Fraction, Fraction, bool]]:
    """``(E', R, open)``: estimate used and rounded half-width / SE that print the line;
    ``open`` when every larger ``R`` prints it too (limits clipped at 0 and 100 %)."""
    z = Fraction(var.z)
    u = Fraction(1, 10**var.decimals)
    step = u if var.rounded == "half-width" else z * u
    out = []
    for e in _estimates_used(p, var):
        kr = _k_range(e, step, p, var.rounding)
        if kr is None:
            continue
        a, b = kr
        last = a + 3 if b is None else b
        for k in range(a, last + 1):
            r = k * u
            h = r if var.rounded == "half-width" else z * r
            if p.limits_ok(e - h, e + h, var.rounding):
                out.append((e, r, b is None))
                if b is None:  # monotone from here on
                    break
    return out


def _se_window(var: HandVariant, r: Fraction, mult: int, top: bool) -> tuple[float, float]:
    """Outward float range of SE(S) (fraction scale) whose rounding gives ``r`` (or more)."""
    lo, hi, _ = _interval(r, var.decimals, var.rounding)
    lo = max(lo, Fraction(0))
    if var.rounded == "half-width":
        z = Fraction(var.z)
        lo, hi = lo / z, hi / z
    up = math.inf if top else float(hi / mult) * (1 + 1e-9) + 1e-15
    return float(lo / mult) * (1 - 1e-9) - 1e-15, up


def _holds_exact(p: _Printed, var: HandVariant, s: Fraction, v: Fraction) -> bool:
    """Whether a history with exact ``S`` and ``V = var(log S)`` prints the line under ``var``."""
    if not _prints(s * p.mult, p.e, p.d_e, var.rounding):
        return False
    z = Fraction(var.z)
    q = s * s * v * p.mult * p.mult  # (SE(S) in the printed scale)^2
    for e in _round_frac(s * p.mult, var.estimate_decimals, var.rounding):
        if var.rounded == "half-width":
            hs: tuple[Fraction, ...] = _round_sqrt(z * z * q, var.decimals, var.rounding)
        else:
            hs = tuple(z * r for r in _round_sqrt(q, var.decimals, var.rounding))
        for h in hs:
            if p.limits_ok(e - h, e + h, var.rounding):
                return True
    return False


def _classify(
    p: _Printed,
    var: HandVariant,
    pairs: list[tuple[Fraction, Fraction, bool]],
    surv: np.ndarray,
    se: np.ndarray,
) -> np.ndarray:
    """Per history: 1 if ``var`` certainly holds, 0 if certainly not, 2 if a float is too
    close to an interval end to tell (then :func:`_holds_exact` decides).

    ``var`` holds iff for some feasible ``(E', R)`` of the printed numbers, ``S`` (printed
    scale) lies in the windows of both the printed estimate and ``E'``, and ``z SE`` (or
    ``SE``) in the window of ``R`` -- the exact statement :func:`_holds_exact` tests. Floats of
    ``S`` and ``SE`` are within ~1e-13 relative of the truth; a margin of 1e-9 relative
    separates the certain cases.
    """
    x = surv * p.mult
    y = se * p.mult * (float(Fraction(var.z)) if var.rounded == "half-width" else 1.0)
    eps_x = 1e-9 * np.maximum(1.0, np.abs(x))
    eps_y = 1e-9 * np.maximum(1.0, np.abs(y))
    out = np.zeros(x.shape, dtype=np.int8)
    e_lo, e_hi, _ = _interval(p.e, p.d_e, var.rounding)
    for e, r, top in pairs:
        a_lo, a_hi, _ = _interval(e, var.estimate_decimals, var.rounding)
        s_lo, s_hi = float(max(e_lo, a_lo)), float(min(e_hi, a_hi))
        h_lo, h_hi, _ = _interval(r, var.decimals, var.rounding)
        hl, hh = float(h_lo), (math.inf if top else float(h_hi))
        sure = (x > s_lo + eps_x) & (x < s_hi - eps_x) & (y > hl + eps_y) & (y < hh - eps_y)
        maybe = (x >= s_lo - eps_x) & (x <= s_hi + eps_x) & (y >= hl - eps_y)
        maybe &= y <= hh + eps_y
        out = np.where(sure, 1, np.where(maybe & (out == 0), 2, out)).astype(np.int8)
    return out


# --------------------------------------------------------------------------- enumeration
@dataclass
class _Enum:
    masks: np.ndarray  # (H,) int64 bit masks: bit r set = event at risk set r
    complete: bool
    states: int
    surv: np.ndarray = field(default_factory=lambda: np.zeros(0))  # float S per history
    var_log: np.ndarray = field(default_factory=lambda: np.zeros(0))  # float V per history


def _enumerate(
    n: int,
    s_lo: float,
    s_hi: float,
    v_max: float,
    d: int | None,
    max_states: int,
) -> _Enum:
    """Histories of ``n`` patients with ``S`` in ``[s_lo, s_hi]`` and ``V <= v_max`` (floats,
    outward), risk sets decided from ``n`` down to 2 (vectorised breadth-first)."""
    s = np.ones(1)
    v = np.zeros(1)
    k = np.zeros(1, dtype=np.int64)
    mask = np.zeros(1, dtype=np.int64)
    states = 1
    lo = s_lo * (1 - 1e-9) - 1e-12
    hi = s_hi * (1 + 1e-9) + 1e-12
    vmax = v_max * (1 + 1e-9) + 1e-15
    for r in range(n, 1, -1):
        f = (r - 1) / r
        add = 1.0 / (r * (r - 1))
        ts, tv, tk = s * f, v + add, k + 1
        tm = mask | (np.int64(1) << np.int64(r))
        s = np.concatenate([s, ts])
        v = np.concatenate([v, tv])
        k = np.concatenate([k, tk])
        mask = np.concatenate([mask, tm])
        reach = max(r - 1, 1)  # the smallest S reachable below r is S / (r - 1)
        keep = (s >= lo) & (s / reach <= hi) & (v <= vmax)
        if d is not None:
            keep &= (k <= d) & (k + (r - 2) >= d)
        s, v, k, mask = s[keep], v[keep], k[keep], mask[keep]
        states += int(s.size)
        if s.size > max_states:
            return _Enum(np.zeros(0, dtype=np.int64), False, states)
        if s.size == 0:
            break
    keep = (s <= hi) & (s >= lo)
    if d is not None:
        keep &= k == d
    return _Enum(mask[keep], True, states, s[keep], v[keep])


def _at_risk(mask: int, n: int) -> tuple[int, ...]:
    return tuple(r for r in range(n, 1, -1) if (mask >> r) & 1)


def _risk_ok(mask: int, m: int | None) -> bool:
    """Number at risk ``m`` at the landmark: events above ``m``, or a run of ties ending at it."""
    if m is None:
        return True
    low = mask & ((1 << (m + 1)) - 1)
    if low == 0:
        return True
    return bool((low >> m) & 1) and (low + (low & -low)) == (1 << (m + 1))


def _s_v(at_risk: Sequence[int]) -> tuple[Fraction, Fraction]:
    s, v = Fraction(1), Fraction(0)
    for r in at_risk:
        s *= Fraction(r - 1, r)
        v += Fraction(1, r * (r - 1))
    return s, v


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class HandCheck:
    """Result of :func:`check_hand`.

    Attributes
    ----------
    reported : tuple of Reported
    n : int or None
    conf_level : float
    consistent : bool
        Whether some variant reproduces every printed line (and, with ``n``, some history).
    variants : tuple of HandVariant
        The variants that hold (all landmarks under the same variant).
    histories : tuple of History
        With ``n <= MAX_HAND_N`` and one landmark: the histories reproducing the line under
        some variant (at most ``max_histories``).
    history_variants : tuple of tuple of str
        For each listed history, the ids of the variants under which it holds.
    n_histories : int or None
        Number of histories found (exact when ``exhaustive``).
    exhaustive : bool
        True when the histories were enumerated completely.
    notes : tuple of str
    """

    reported: tuple[Reported, ...]
    n: int | None
    conf_level: float
    consistent: bool
    variants: tuple[HandVariant, ...]
    histories: tuple[History, ...] = ()
    history_variants: tuple[tuple[str, ...], ...] = ()
    n_histories: int | None = None
    exhaustive: bool = False
    notes: tuple[str, ...] = ()
    variant_histories: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def label(self) -> str:
        """The text-output label of a hand-calculation verdict."""
        return "consistent only if the interval was computed by hand from rounded numbers"

    def to_frame(self) -> pd.DataFrame:
        """One row per consistent variant (with its number of histories when enumerated)."""
        rows = [
            {**var.to_dict(), "n_histories": self.variant_histories.get(var.id)}
            for var in self.variants
        ]
        cols = ["id", "rounded", "decimals", "estimate_decimals", "z", "rounding",
                "n_histories"]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``consistent``, ``variants``, ``histories`` (with their variants)."""
        return {
            "consistent": self.consistent,
            "label": self.label if self.consistent else "",
            "variants": [v.to_dict() for v in self.variants],
            "histories": [
                {**h.to_dict(), "variants": list(vs)}
                for h, vs in zip(self.histories, self.history_variants, strict=True)
            ],
            "n_histories": self.n_histories,
            "exhaustive": self.exhaustive,
            "notes": list(self.notes),
        }


def check_hand(
    reported: Reported | str | Sequence[Reported | str],
    n: int | None = None,
    *,
    conf_level: float | None = None,
    n_risk_at: int | None = None,
    events_before: int | None = None,
    rounding: Rounding = "any",
    max_histories: int = 10_000,
    max_states: int = MAX_HAND_STATES,
) -> HandCheck:
    r"""Could the printed CI have been computed by hand as estimate +/- z SE from rounded numbers?

    Parameters
    ----------
    reported : Reported or str, or a sequence of them
        The printed line(s); several landmarks of one paper must hold under one variant.
    n : int, optional
        Number of patients. With ``n <= MAX_HAND_N`` (and one landmark) the event histories
        are enumerated and checked exactly; otherwise the verdict uses the printed numbers
        only (the standard error is then free), which can only keep more, never lose one.
    conf_level : float, optional
        Default: the printed level, else 0.95.
    n_risk_at, events_before : int, optional
        Number at risk at the landmark and events before it (one landmark), as in
        :func:`survkit.check.ci_check.check_ci`.
    rounding : {"any", "nearest", "truncate"}
        The conventions tried (each variant uses one for all its roundings).
    max_histories : int
        Histories listed at most.
    max_states : int
        Enumeration states kept at once before the listing stops (the verdict then falls
        back on the printed numbers alone and says so).

    Returns
    -------
    HandCheck

    Notes
    -----
    With :math:`E'` the estimate used (printed decimals or one more), :math:`R` the paper's
    rounding and :math:`SE = \hat S \sqrt{\sum 1/(r(r-1))}` (Greenwood, on the S scale, as
    SPSS prints it), the limits are :math:`E' \mp R(z\,SE)` or :math:`E' \mp z\,R(SE)`,
    clipped to [0, 100 %] and rounded to the printed decimals (see :class:`HandVariant`).
    All arithmetic is exact (rationals and integer square roots).
    """
    reps = survival_reports(reported)
    check_rounding(rounding)
    if n is not None:
        n = check_patients(n)
    check_limit(max_histories, "max_histories")
    for name, x in (("n_risk_at", n_risk_at), ("events_before", events_before)):
        if x is None:
            continue
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
            raise TypeError(f"{name} must be an integer (one landmark), got {x!r}")
        if x < 0 or (n is not None and x > n):
            raise ValueError(f"{name} = {x} must be in [0, n]")
    if (n_risk_at is not None or events_before is not None) and len(reps) > 1:
        raise ValueError("n_risk_at / events_before are supported for one landmark only")
    levels = {r.conf_level for r in reps if r.conf_level is not None}
    if conf_level is None:
        if len(levels) > 1:
            raise ValueError(f"the landmarks print different CI levels: {sorted(levels)}")
        level = levels.pop() if levels else 0.95
    else:
        level = check_conf_level(conf_level)

    printed = [_Printed.of(r) for r in reps]
    notes: list[str] = []
    # ---- printed numbers alone: which variants hold at every landmark (SE free)
    per_landmark: list[dict[str, tuple[HandVariant, list[tuple[Fraction, Fraction, bool]]]]] = []
    for rep, p in zip(reps, printed, strict=True):
        feas = {}
        for var in hand_variants(rep, level, rounding):
            pairs = _no_n_feasible(p, var)
            if pairs:
                feas[var.id] = (var, pairs)
        per_landmark.append(feas)
    common = set(per_landmark[0])
    for f in per_landmark[1:]:
        common &= set(f)
    variants = [v for v, _ in per_landmark[0].values() if v.id in common]

    if n is None or not variants:
        return HandCheck(tuple(reps), n, level, bool(variants), tuple(variants), notes=())
    if len(reps) > 1 or n > MAX_HAND_N:
        why = (f"n = {n} > {MAX_HAND_N}" if n > MAX_HAND_N
               else "several landmarks are judged one by one")
        notes.append(
            f"hand calculation: {why}; histories not enumerated, verdict from the printed "
            "numbers alone (the standard error left free)"
        )
        return HandCheck(tuple(reps), n, level, True, tuple(variants), notes=tuple(notes))

    # ---- one landmark, n small: enumerate the histories and check each exactly
    rep, p = reps[0], printed[0]
    windows = {
        var.id: [_se_window(var, r, p.mult, top) for _, r, top in per_landmark[0][var.id][1]]
        for var in variants
    }
    se_hi = max(w[1] for ws in windows.values() for w in ws)
    s_lo, s_hi = rep.estimate_interval
    v_max = (se_hi / max(s_lo, 1e-12)) ** 2 if s_lo > 0 else math.inf
    en = _enumerate(n, s_lo, s_hi, v_max, events_before, max_states)
    if not en.complete:
        notes.append(
            f"hand calculation: the enumeration of histories stopped after {en.states:,} "
            "states; verdict from the printed numbers alone"
        )
        return HandCheck(tuple(reps), n, level, True, tuple(variants), notes=tuple(notes))
    found: list[tuple[tuple[int, ...], float, float, tuple[str, ...]]] = []
    counts: dict[str, int] = {}
    keep_r = np.array([_risk_ok(int(mk), n_risk_at) for mk in en.masks.tolist()], dtype=bool)
    masks = en.masks[keep_r]
    sf, vf = en.surv[keep_r], en.var_log[keep_r]
    se_f = sf * np.sqrt(vf)
    verdict = np.zeros((len(variants), masks.size), dtype=np.int8)  # 1 holds, 2 ambiguous
    for i, var in enumerate(variants):
        verdict[i] = _classify(p, var, per_landmark[0][var.id][1], sf, se_f)
    any_ok = (verdict > 0).any(axis=0)
    for j in np.flatnonzero(any_ok).tolist():
        mk = int(masks[j])
        ar = _at_risk(mk, n)
        amb = verdict[:, j] == 2
        if amb.any():
            s_x, v_x = _s_v(ar)
        ok = tuple(
            var.id for i, var in enumerate(variants)
            if verdict[i, j] == 1 or (verdict[i, j] == 2 and _holds_exact(p, var, s_x, v_x))
        )
        if ok:
            found.append((ar, float(sf[j]), float(vf[j]), ok))
            for vid in ok:
                counts[vid] = counts.get(vid, 0) + 1
    held = [v for v in variants if v.id in counts]
    listed = found[:max_histories]
    by_id = {v.id: v for v in held}
    hist = tuple(
        History(
            at_risk=ar,
            events_before=(len(ar),),
            surv=(s,),
            std_err_log=(math.sqrt(v),),
            rounding=tuple(c for c in _CONVENTIONS if any(by_id[i].rounding == c for i in vs)),
        )
        for ar, s, v, vs in listed
    )
    if hist:
        bad = _verify(hist, n)
        if bad:  # pragma: no cover - exact arithmetic and the KM engine agree
            notes.append(f"hand calculation: {bad} histories failed re-verification")
    return HandCheck(
        reported=tuple(reps),
        n=n,
        conf_level=level,
        consistent=bool(found),
        variants=tuple(held),
        histories=hist,
        history_variants=tuple(vs for *_, vs in listed),
        n_histories=len(found),
        exhaustive=True,
        notes=tuple(notes),
        variant_histories=MappingProxyType(counts),
    )


def _verify(hist: Sequence[History], n: int) -> int:
    """Re-compute S and SE(log S) of listed histories with the Kaplan-Meier engine."""
    from survkit.estimate.batch import kaplan_meier_at

    rows = [history_dataset(h.at_risk, h.events_before, n) for h in hist]
    tt = np.stack([r[0] for r in rows])
    ee = np.stack([r[1] for r in rows])
    out = kaplan_meier_at(tt, ee, rows[0][2])
    surv = np.array([h.surv[0] for h in hist])
    sel = np.array([h.std_err_log[0] for h in hist])
    ok = np.isclose(out.surv[:, 0], surv, rtol=1e-12, atol=1e-15)
    ok &= np.isclose(out.std_err_log[:, 0], sel, rtol=1e-9, atol=1e-15)
    return int((~ok).sum())
