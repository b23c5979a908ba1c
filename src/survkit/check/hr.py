r"""Check a printed hazard ratio with its confidence interval and p-value.

``"HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002"``: a Wald interval is symmetric on the log scale,
its width gives the standard error, the standard error and the estimate give the p-value, and
for a log-rank/Cox analysis with 1:1 allocation the variance is about ``4 / D`` (``D`` events).
Each printed number is an interval of values (:meth:`survkit.printed.Printed.interval`), under
one rounding convention at a time (a paper prints all its numbers one way), so every implied
quantity is a range, computed with outward interval arithmetic:

.. math::

    SE = \frac{\log U - \log L}{2 z}, \qquad Z = \frac{|\log \widehat{HR}|}{SE}, \qquad
    P = 2\{1 - \Phi(Z)\}, \qquad D \approx \frac{(1 + k)^2}{k\, SE^2}

with ``k`` the allocation ratio (4/D for ``k = 1``).

References
----------
Altman D.G., Bland J.M. (2011). How to obtain the P value from a confidence interval. BMJ
343:d2304. Altman D.G., Bland J.M. (2011). How to obtain the confidence interval from a P value.
BMJ 343:d2090. Tierney J.F., Stewart L.A., Ghersi D., Burdett S., Sydes M.R. (2007). Practical
methods for incorporating summary time-to-event data into meta-analysis. Trials 8:16.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from scipy.special import ndtr

from survkit.estimate.ci import check_conf_level, z_value
from survkit.printed import (
    Convention,
    HazardRatio,
    Rounding,
    check_rounding,
    conventions,
    parse_hazard_ratio,
)


@dataclass(frozen=True)
class HRCheck:
    """Result of :func:`check_hr` (all ranges are closed intervals ``(lo, hi)``).

    Attributes
    ----------
    text : str
    estimate, lower, upper : float
        Printed hazard ratio and limits.
    conf_level : float
    symmetric : bool
        Whether some values printing as the three numbers are symmetric on the log scale.
    log_asymmetry : tuple of float
        Range of ``log HR - (log L + log U)/2``; contains 0 iff ``symmetric``.
    se_log_range : tuple of float
        Implied range of the SE of ``log HR``.
    z_range, p_implied : tuple of float
        Implied Wald statistic and two-sided p-value ranges.
    p_altman_bland : float
        Altman & Bland's approximation ``exp(-0.717 z - 0.416 z^2)`` at the printed values.
    p_reported : tuple of float or None
        Interval of the printed p-value (``P < 0.001`` -> ``(0, 0.001)``).
    p_consistent : bool or None
        Whether implied and printed p-values overlap.
    events_implied : tuple of float
        ``(1 + k)^2 / (k SE^2)`` over the SE range.
    events : int or None
        Reported number of events.
    events_consistent : bool or None
        Whether ``events`` lies within the implied range widened by a factor 4/3 each way
        (the ``4/D`` variance is an approximation).
    notes : tuple of str
    rounding : tuple of {"nearest", "truncate"}
        The conventions under which every check holds (all numbers printed one way).
    """

    text: str
    estimate: float
    lower: float
    upper: float
    conf_level: float
    symmetric: bool
    log_asymmetry: tuple[float, float]
    se_log_range: tuple[float, float]
    z_range: tuple[float, float]
    p_implied: tuple[float, float]
    p_altman_bland: float
    p_reported: tuple[float, float] | None
    p_consistent: bool | None
    events_implied: tuple[float, float]
    events: int | None
    events_consistent: bool | None
    allocation_ratio: float = 1.0
    notes: tuple[str, ...] = ()
    rounding: tuple[Convention, ...] = ()

    @property
    def consistent(self) -> bool:
        """True when, under one rounding convention, no check failed (symmetry, p-value and
        events where available)."""
        return bool(self.rounding)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()} | {
            "consistent": self.consistent
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per check: ``check, implied_lo, implied_hi, reported, consistent``."""
        rows = [
            ("log symmetry", *self.log_asymmetry, 0.0, self.symmetric),
            ("SE(log HR)", *self.se_log_range, float("nan"), None),
            (
                "p-value",
                *self.p_implied,
                self.p_reported[1] if self.p_reported else float("nan"),
                self.p_consistent,
            ),
            (
                "events",
                *self.events_implied,
                float(self.events) if self.events is not None else float("nan"),
                self.events_consistent,
            ),
        ]
        return pd.DataFrame(
            rows, columns=["check", "implied_lo", "implied_hi", "reported", "consistent"]
        )


def _hull(parts: list[tuple[float, float]]) -> tuple[float, float]:
    return (min(p[0] for p in parts), max(p[1] for p in parts))


@dataclass(frozen=True)
class _Under:
    """The implied ranges and verdicts under one rounding convention."""

    asym: tuple[float, float]
    symmetric: bool
    se: tuple[float, float]
    z: tuple[float, float]
    p: tuple[float, float]
    p_reported: tuple[float, float] | None
    p_ok: bool | None
    events: tuple[float, float]
    events_ok: bool | None

    @property
    def ok(self) -> bool:
        return self.symmetric and self.p_ok is not False and self.events_ok is not False


def _under(
    hr: HazardRatio, conv: Convention, z: float, factor: float, events: int | None
) -> _Under:
    tiny = 1e-300
    e_iv, l_iv, u_iv = (p.interval(conv) for p in hr.numbers)
    le = (math.log(max(e_iv[0], tiny)), math.log(e_iv[1]))
    ll = (math.log(max(l_iv[0], tiny)), math.log(l_iv[1]))
    lu = (math.log(max(u_iv[0], tiny)), math.log(u_iv[1]))
    asym = (le[0] - (ll[1] + lu[1]) / 2, le[1] - (ll[0] + lu[0]) / 2)
    symmetric = asym[0] <= 1e-12 and asym[1] >= -1e-12
    se_lo = max((lu[0] - ll[1]) / (2 * z), 0.0)
    se_hi = (lu[1] - ll[0]) / (2 * z)
    abs_lo = 0.0 if le[0] <= 0 <= le[1] else min(abs(le[0]), abs(le[1]))
    abs_hi = max(abs(le[0]), abs(le[1]))
    z_lo = abs_lo / se_hi if se_hi > 0 else math.inf
    z_hi = abs_hi / se_lo if se_lo > 0 else math.inf
    p_implied = (float(2 * ndtr(-z_hi)), float(2 * ndtr(-z_lo)))
    p_rep = None if hr.p_value is None else hr.p_value.interval(conv)
    p_ok = None if p_rep is None else (p_rep[0] <= p_implied[1] and p_implied[0] <= p_rep[1])
    ev_lo = factor / (se_hi * se_hi) if se_hi > 0 else math.inf
    ev_hi = factor / (se_lo * se_lo) if se_lo > 0 else math.inf
    ev_ok = None if events is None else (0.75 * ev_lo <= events <= ev_hi / 0.75)
    return _Under(
        asym, symmetric, (se_lo, se_hi), (z_lo, z_hi), p_implied, p_rep, p_ok, (ev_lo, ev_hi),
        ev_ok,
    )


def check_hr(
    text: str | HazardRatio,
    events: int | None = None,
    *,
    conf_level: float | None = None,
    allocation_ratio: float = 1.0,
    rounding: Rounding = "any",
) -> HRCheck:
    r"""Check a printed hazard ratio, its CI and p-value (Altman & Bland, BMJ 2011).

    Parameters
    ----------
    text : str or HazardRatio
        E.g. ``"HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002"`` or NEJM style
        ``"hazard ratio, 0.65; 95% CI, 0.50 to 0.85; P=.002"`` (parsed by
        :func:`survkit.printed.parse_hazard_ratio`).
    events : int, optional
        Reported total number of events, compared with the ``4/D`` rule.
    conf_level : float, optional
        CI level; default the printed one, else 0.95. Contradicting a printed level is an
        error naming both.
    allocation_ratio : float
        Randomisation ratio ``k`` (``k:1``); the variance of log HR is about
        ``(1 + k)^2 / (k D)``.
    rounding : {"any", "nearest", "truncate"}
        Rounding convention of the printed numbers; ``"any"`` judges each convention on its
        own (all numbers of the text under one convention) and reports in ``rounding`` those
        under which every check holds.

    Returns
    -------
    HRCheck

    Raises
    ------
    ValueError
        Unparseable text, non-positive values, bounds not around the estimate, a p-value
        outside [0, 1], ``events < 1``, a contradicting ``conf_level``.

    Notes
    -----
    With printed intervals for :math:`\widehat{HR}, L, U`: :math:`SE = (\log U - \log L)/(2z)`,
    :math:`Z = |\log \widehat{HR}|/SE`, :math:`P = 2(1 - \Phi(Z))` (Altman & Bland 2011 give the
    approximation :math:`\exp(-0.717 Z - 0.416 Z^2)`, also reported), and
    :math:`D \approx (1+k)^2/(k\,SE^2)` (Tierney et al. 2007). A printed p-value from a
    log-rank test may differ slightly from the Wald p-value of the Cox CI. The ranges of the
    result are hulls over the conventions tried.
    """
    if isinstance(text, HazardRatio):
        hr = text
    elif isinstance(text, str):
        hr = parse_hazard_ratio(text)
    else:
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    convs = conventions(check_rounding(rounding))
    if events is not None:
        if isinstance(events, bool) or not isinstance(events, int):
            raise TypeError(f"events must be an integer, got {events!r}")
        if events < 1:
            raise ValueError(f"events must be >= 1, got {events}")
    if not allocation_ratio > 0:
        raise ValueError(f"allocation_ratio must be > 0, got {allocation_ratio!r}")
    if conf_level is not None:
        level = check_conf_level(conf_level)
        if hr.conf_level is not None and abs(level - hr.conf_level) > 1e-9:
            raise ValueError(
                f"conf_level = {conf_level!r} contradicts the printed "
                f"{100 * hr.conf_level:g}% CI in {hr.text!r}"
            )
    elif hr.conf_level is not None:
        level = check_conf_level(hr.conf_level)
    else:
        level = 0.95
    z = z_value(level)
    k = float(allocation_ratio)
    factor = (1 + k) ** 2 / k
    per = {c: _under(hr, c, z, factor, events) for c in convs}
    parts = list(per.values())
    est, lo, hi = (float(p.number) for p in hr.numbers if p.number is not None)
    se_pt = (math.log(hi) - math.log(lo)) / (2 * z)
    z_pt = abs(math.log(est)) / se_pt if se_pt > 0 else math.inf
    p_ab = math.exp(-0.717 * z_pt - 0.416 * z_pt * z_pt)
    symmetric = any(u.symmetric for u in parts)
    p_rep = None if hr.p_value is None else _hull([u.p_reported for u in parts if u.p_reported])
    p_ok = None if hr.p_value is None else any(bool(u.p_ok) for u in parts)
    ev_ok = None if events is None else any(bool(u.events_ok) for u in parts)
    notes: list[str] = []
    if p_ok is False:
        notes.append(
            "the printed p-value is not the Wald p-value of the CI (a log-rank or score p-value "
            "can differ a little; a large gap is worth a look)"
        )
    if not symmetric:
        notes.append("the CI is not symmetric on the log scale: not a Wald interval of log HR")
    holds = tuple(c for c in convs if per[c].ok)
    if holds == ("truncate",):
        notes.append("consistent only if the numbers were truncated, not rounded to nearest")
    return HRCheck(
        text=hr.text,
        estimate=est,
        lower=lo,
        upper=hi,
        conf_level=level,
        symmetric=symmetric,
        log_asymmetry=_hull([u.asym for u in parts]),
        se_log_range=_hull([u.se for u in parts]),
        z_range=_hull([u.z for u in parts]),
        p_implied=_hull([u.p for u in parts]),
        p_altman_bland=p_ab,
        p_reported=p_rep,
        p_consistent=p_ok,
        events_implied=_hull([u.events for u in parts]),
        events=events,
        events_consistent=ev_ok,
        allocation_ratio=k,
        notes=tuple(notes),
        rounding=holds,
    )
