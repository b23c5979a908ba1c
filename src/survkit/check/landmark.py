"""The printed target at one landmark: intervals of the three numbers, facts, conventions.

A :class:`LandmarkTarget` holds, for one printed line (estimate with its CI), the closed
intervals of true values that print as the three numbers -- under one rounding convention, or,
for several, the hull with one *variant* per convention -- and the risk-table facts at the
landmark. A match needs all three numbers inside the intervals of **one** variant: the numbers
of a printed line share a convention (:func:`match`, :func:`match_by_convention`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from survkit.printed import Convention, Reported, parse_endpoint, text_kind, within

FloatArray = NDArray[np.float64]
Interval = tuple[float, float]


@dataclass(frozen=True)
class LandmarkTarget:
    """Printed intervals at one landmark and the facts known there.

    Attributes
    ----------
    estimate : tuple of float
        Interval of the estimate (the hull over :attr:`variants` when there are several).
    lower, upper : tuple of float or None
        Intervals of the limits; ``None`` for a limit printed not reached (no constraint).
    n_risk : int or None
        Number at risk at the landmark (R ``summary(fit, times=)``: time >= t), when known.
    events_before : int or None
        Cumulative number of events up to the landmark, when known.
    convention : {"nearest", "truncate"} or None
        The rounding convention of these intervals; ``None`` for a hull of several.
    variants : tuple of LandmarkTarget
        One single-convention target per convention when several are allowed.
    """

    estimate: Interval
    lower: Interval | None
    upper: Interval | None
    n_risk: int | None = None
    events_before: int | None = None
    convention: Convention | None = None
    variants: tuple[LandmarkTarget, ...] = ()

    @property
    def conventions(self) -> tuple[Convention, ...]:
        """The conventions this target covers."""
        if self.variants:
            return tuple(v.convention for v in self.variants if v.convention is not None)
        return () if self.convention is None else (self.convention,)

    def only(self, convention: Convention) -> LandmarkTarget:
        """The single-convention target for ``convention`` (``ValueError`` if not covered)."""
        if not self.variants and self.convention == convention:
            return self
        for v in self.variants:
            if v.convention == convention:
                return v
        raise ValueError(f"this target does not cover the convention {convention!r}")


def hull(a: Interval | None, b: Interval | None) -> Interval | None:
    """The smallest interval holding both (``None`` is the empty set here)."""
    if a is None or b is None:
        return a if b is None else b
    return (min(a[0], b[0]), max(a[1], b[1]))


def landmark_target(
    rep: Reported,
    conventions: tuple[Convention, ...],
    n_risk: int | None = None,
    events_before: int | None = None,
) -> LandmarkTarget:
    """The target of ``rep`` under ``conventions`` (one variant per convention when several)."""
    if not conventions:
        raise ValueError("at least one rounding convention is needed")
    singles = []
    for c in conventions:
        e, lo, hi = rep.intervals(c)
        singles.append(LandmarkTarget(e, lo, hi, n_risk, events_before, c))
    if len(singles) == 1:
        return singles[0]
    e_h: Interval | None = None
    lo_h: Interval | None = None
    hi_h: Interval | None = None
    for t in singles:
        e_h = hull(e_h, t.estimate)
        lo_h = hull(lo_h, t.lower)
        hi_h = hull(hi_h, t.upper)
    assert e_h is not None
    return LandmarkTarget(e_h, lo_h, hi_h, n_risk, events_before, None, tuple(singles))


def inside(x: FloatArray, iv: Interval | None) -> NDArray[np.bool_]:
    """``x`` in ``iv`` with the one printed-number tolerance (``None``: everything)."""
    if iv is None:
        return np.ones(np.shape(x), dtype=bool)
    return within(x, iv[0], iv[1])


def match(
    s: FloatArray, lo: FloatArray, hi: FloatArray, lm: LandmarkTarget
) -> NDArray[np.bool_]:
    """Whether (estimate, lower, upper) print as the landmark's numbers under one convention."""
    if lm.variants:
        ok = np.zeros(np.shape(s), dtype=bool)
        for var in lm.variants:
            ok |= match(s, lo, hi, var)
        return ok
    ok = inside(s, lm.estimate)
    if lm.lower is not None:
        ok &= inside(lo, lm.lower)
    if lm.upper is not None:
        ok &= inside(hi, lm.upper)
    return ok


def match_by_convention(
    s: FloatArray, lo: FloatArray, hi: FloatArray, lm: LandmarkTarget
) -> dict[Convention, NDArray[np.bool_]]:
    """:func:`match` per convention covered by ``lm``."""
    if not lm.variants:
        c = lm.convention
        if c is None:  # pragma: no cover - built by landmark_target
            raise ValueError("a single target needs a convention")
        return {c: match(s, lo, hi, lm)}
    return {v.convention: match(s, lo, hi, v) for v in lm.variants if v.convention is not None}


def survival_reports(reported: Reported | str | Sequence[Reported | str]) -> list[Reported]:
    """The printed survival estimates a check judges, parsed once at the boundary.

    ``reported`` is one printed endpoint (text or :class:`~survkit.printed.Reported`) or a
    sequence of them (several landmarks of one endpoint). A hazard-ratio text is refused with a
    pointer to ``check_hr``, a median (a time) with a pointer to ``check_median``.
    """
    items = [reported] if isinstance(reported, (Reported, str)) else list(reported)
    if not items:
        raise ValueError("reported is empty")
    reps: list[Reported] = []
    for it in items:
        if isinstance(it, str):
            if text_kind(it) == "hazard_ratio":
                raise ValueError(
                    f"{it!r} is a hazard ratio, not a survival estimate; check it with check_hr"
                )
            reps.append(parse_endpoint(it))
        elif isinstance(it, Reported):
            reps.append(it)
        else:
            raise TypeError(f"reported must be a Reported or a string, got {type(it).__name__}")
    for rep in reps:
        if rep.kind != "survival":
            raise ValueError(
                f"reported {rep.text!r} is a time (a median or other quantile), not a survival "
                "probability; check a printed median with check_median"
            )
    return reps
