r"""Which software made a printed median survival time with its CI, given the data (or a draw).

With the event times known (patient-level data, a reconstructed draw), a printed
``"median 14.2 months (95% CI, 10.1 to 20.3)"`` is judged under each way a program computes it
(:mod:`survkit.check.catalogue`):

* band crossing (R ``survfit``/``quantile.survfit``, SAS PROC LIFETEST, Stata ``stci``,
  lifelines): the limits are the times where the lower and upper confidence limits of the
  curve fall to 0.5 (R's ``print.survfit`` rule or its ``quantile.survfit`` rule, which differ
  when a band rises again, e.g. ``aml``: upper limit 45 or 48), under the program's
  transform -- ``"plain"``, ``"log"`` (R's default), ``"log-log"`` (SAS, Stata, lifelines),
  ``"logit"``, ``"arcsin"``. SAS documents the CI as the set of times with
  :math:`|g(\hat S(t)) - g(0.5)| \le z\,g'(\hat S(t))\,se(\hat S(t))` (Brookmeyer &
  Crowley 1982); its limits are the same event times as R's rule except when the curve sits
  exactly at 0.5, where R takes midpoints;
* ``"symmetric"`` (SPSS): median :math:`\pm z\,SE(\text{median})`, symmetric in time. SPSS's
  formula for ``SE(median)`` is not used (the documentation consulted does not state it): the
  method holds when some half-width prints both limits around the data's median -- a
  necessary condition, so the verdict never excludes an SPSS interval wrongly.

Every number is compared with its printed interval under one rounding convention at a time
(:meth:`survkit.printed.Printed.interval`); a limit printed "NR" must be not reached (``nan``).

References
----------
Brookmeyer R., Crowley J. (1982). A confidence interval for the median survival time.
Biometrics 38:29-41. Therneau T. survival 3.5, ``quantile.survfit``. SAS/STAT User's Guide,
PROC LIFETEST, Computational Formulas.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

import pandas as pd

from survkit.check.catalogue import MEDIAN_METHODS, likely_software
from survkit.estimate.ci import CONF_TYPES, check_conf_level, confint
from survkit.estimate.km import KaplanMeier
from survkit.printed import Convention, Reported, Rounding, check_rounding, conventions
from survkit.printed import parse_endpoint as _parse

_REL: Final[float] = 1e-9  # outward relative slack on the symmetric half-width


@dataclass(frozen=True)
class MedianMethodCheck:
    """Verdict of one method on a printed median.

    Attributes
    ----------
    method : str
        ``"plain"`` ... ``"arcsin"`` (band crossing) or ``"symmetric"``.
    consistent : bool
    rounding : tuple of {"nearest", "truncate"}
        Conventions under which it holds.
    computed : tuple of float
        ``(median, lower, upper)`` the method gives on the data (``nan``: not reached; for
        ``"symmetric"`` the limits are ``nan``: the half-width is left free).
    reason : str
    """

    method: str
    consistent: bool
    rounding: tuple[Convention, ...]
    computed: tuple[float, float, float]
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``nan`` as ``None``)."""
        return {
            "consistent": self.consistent,
            "rounding": list(self.rounding),
            "computed": [None if math.isnan(x) else x for x in self.computed],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MedianCheck:
    """Result of :func:`check_median`.

    Attributes
    ----------
    reported : Reported
    conf_level : float
    consistent : tuple of str
        Methods that reproduce the printed median and CI.
    methods : Mapping[str, MedianMethodCheck]
    likely_software : str
        The software the consistent methods point to
        (:func:`survkit.check.catalogue.likely_software`).
    """

    reported: Reported
    conf_level: float
    consistent: tuple[str, ...]
    methods: Mapping[str, MedianMethodCheck]
    likely_software: str

    def to_frame(self) -> pd.DataFrame:
        """One row per method."""
        return pd.DataFrame(
            [
                {
                    "method": k,
                    "consistent": m.consistent,
                    "rounding": ";".join(m.rounding),
                    "median": m.computed[0],
                    "lower": m.computed[1],
                    "upper": m.computed[2],
                    "reason": m.reason,
                }
                for k, m in self.methods.items()
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "text": self.reported.text,
            "conf_level": self.conf_level,
            "consistent": list(self.consistent),
            "likely_software": self.likely_software,
            "methods": {k: m.to_dict() for k, m in self.methods.items()},
        }


def _prints(x: float, rep: Reported, which: int, conv: Convention) -> bool:
    """Whether the computed value ``x`` prints as printed number ``which`` (0 est, 1 lo, 2 hi)."""
    p = rep.numbers[which]
    if not p.reached:
        return math.isnan(x) or math.isinf(x)
    if math.isnan(x) or math.isinf(x):
        return False
    lo, hi = p.interval(conv)
    return lo <= x <= hi


def _symmetric(m: float, rep: Reported, conv: Convention) -> tuple[bool, str]:
    """Some ``h >= 0`` with ``m - h`` printing the lower limit (clipped at 0) and ``m + h``
    the upper one."""
    if math.isnan(m) or not _prints(m, rep, 0, conv):
        return False, "the data's median does not print as the printed median"
    low, high = rep.numbers[1], rep.numbers[2]
    if not high.reached:
        return False, "median +/- z SE(median) always has a finite upper limit"
    h_lo, h_hi = 0.0, math.inf
    if low.reached:
        lo, hi = low.interval(conv)
        h_lo = max(h_lo, m - hi)
        if lo > 0:
            h_hi = min(h_hi, m - lo)
    lo, hi = high.interval(conv)
    h_lo = max(h_lo, lo - m)
    h_hi = min(h_hi, hi - m)
    slack = _REL * max(1.0, abs(m))
    if h_lo <= h_hi + slack:
        return True, ""
    return False, (
        "the limits are not symmetric about the median: lower needs a half-width of "
        f"{m - (low.interval(conv)[1] if low.reached else 0):.4g} or more, upper at most "
        f"{hi - m:.4g}"
    )


def check_median(
    fit: KaplanMeier,
    reported: Reported | str,
    *,
    conf_level: float | None = None,
    rounding: Rounding = "any",
) -> MedianCheck:
    r"""Which software's median CI reproduces a printed median, given a fitted Kaplan-Meier.

    Parameters
    ----------
    fit : KaplanMeier
        The curve of the data (patient-level data or one reconstructed draw); its own
        ``conf_type`` does not matter, the bands are recomputed under every transform from
        ``surv`` and ``std_err_log`` (:func:`survkit.estimate.ci.confint`).
    reported : Reported or str
        The printed median with its CI (``"median 14.2 months (95% CI, 10.1 to NR)"``).
    conf_level : float, optional
        Default: the printed level, else 0.95.
    rounding : {"any", "nearest", "truncate"}
        Conventions tried, one at a time.

    Returns
    -------
    MedianCheck

    Notes
    -----
    Band crossing: the median and limits by R's ``print.survfit`` rule
    (:meth:`survkit.estimate.km.KaplanMeier.median`) on the curve with the bands of each
    transform. Symmetric: :math:`m \pm h` for some :math:`h \ge 0` (SE of the median free).
    """
    if not isinstance(fit, KaplanMeier):
        raise TypeError(f"fit must be a KaplanMeier, got {type(fit).__name__}")
    if isinstance(reported, str):
        reported = _parse(reported)
    if not isinstance(reported, Reported):
        raise TypeError(f"reported must be a Reported or a string, got {type(reported).__name__}")
    if reported.kind != "time":
        raise ValueError(
            f"reported {reported.text!r} is a survival probability, not a median time; "
            "use check_ci"
        )
    check_rounding(rounding)
    if conf_level is None:
        level = reported.conf_level if reported.conf_level is not None else 0.95
    else:
        level = check_conf_level(conf_level)
        if reported.conf_level is not None and not math.isclose(level, reported.conf_level):
            raise ValueError(
                f"conf_level = {level:g} contradicts the printed {reported.conf_level:g} level "
                f"in {reported.text!r}"
            )
    convs = tuple(c for c in conventions(rounding) if c in reported.conventions)
    if not convs:
        raise ValueError(f"rounding = {rounding!r} excludes the conventions of {reported.text!r}")
    out: dict[str, MedianMethodCheck] = {}
    for ct in CONF_TYPES:
        lo, hi = confint(fit.surv, fit.std_err_log, ct, level)
        banded = dataclasses.replace(fit, lower=lo, upper=hi, conf_type=ct, conf_level=level)
        # R's print.survfit rule and its quantile.survfit rule (they differ when a band
        # rises again): a paper may have printed either
        rules = [banded.median(), banded.quantile(0.5)]
        held: tuple[Convention, ...] = ()
        vals = (rules[0].estimate, rules[0].lower, rules[0].upper)
        for q in rules:
            cand = (q.estimate, q.lower, q.upper)
            ok = tuple(
                c for c in convs if all(_prints(v, reported, i, c) for i, v in enumerate(cand))
            )
            if ok and not held:
                vals = cand
            held = tuple(c for c in convs if c in held or c in ok)
        why = "" if held else "the band crossing of this transform prints other numbers"
        out[ct] = MedianMethodCheck(ct, bool(held), held, vals, why)
    m = fit.median().estimate
    sym = [(c, *_symmetric(m, reported, c)) for c in convs]
    held_s = tuple(c for c, ok, _ in sym if ok)
    out["symmetric"] = MedianMethodCheck(
        "symmetric", bool(held_s), held_s, (m, math.nan, math.nan),
        "" if held_s else sym[0][2],
    )
    consistent = tuple(k for k in MEDIAN_METHODS if out[k].consistent)
    return MedianCheck(
        reported=reported,
        conf_level=level,
        consistent=consistent,
        methods=MappingProxyType(out),
        likely_software=likely_software(consistent, "median"),
    )
