"""Parse a printed survival endpoint such as ``"1-year OS 68% (95% CI, 43 to 100)"``.

A printed number stands for every value that prints that way. ``68`` (percent, no decimals) is
the interval ``[67.5, 68.5]`` when the authors rounded to nearest (half-up or half-even, the two
differ only on the boundary, which is included) and ``[68, 69)`` when they truncated. By default
survkit accepts all three conventions: :class:`Reported` holds the union ``[67.5, 69]`` (closed,
so that values on a boundary are never lost), and the checkers require the three numbers of one
printed line to share a convention (all rounded to nearest, or all truncated);
``rounding="nearest"`` keeps ``[67.5, 68.5]`` only.

Every later comparison (:func:`survkit.check.ci_check.check_ci`,
:func:`survkit.check.hr.check_hr`) uses these intervals, so the verdicts never depend on how a
paper rounded.

References
----------
Brown N.J.L., Heathers J.A.J. (2017). The GRIM test: a simple technique detects numerous
anomalies in the reporting of results in psychology. Soc. Psychol. Personal. Sci. 8:363-369
(the same idea -- a printed number is an interval of possible true values -- applied to means).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal

import pandas as pd

Rounding = Literal["any", "nearest", "truncate"]
ROUNDINGS: Final[tuple[str, ...]] = ("any", "nearest", "truncate")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)"
_NR = (
    r"(?:not\s+reached|not\s+estimable|not\s+evaluable|not\s+estimated|"
    r"NR|NE|NA|N/?A|n\.?r\.?|n\.?e\.?)"
)
_UNIT_WORDS = r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)"
_BOUND = rf"(?:{_NUM}\s*(?:%|{_UNIT_WORDS}\b)?|{_NR})"
_SEP = r"(?:\s*-\s*|\s+to\s+|\s*,\s*|\s*;\s*)"
_CI_WORDS = r"(?:CI|C\.I\.|confidence\s+interval(?:\s*\(\s*CI\s*\))?|conf\.?\s*int\.?)"
_LEVEL = (
    rf"(?:(?P<level>{_NUM})\s*%\s*{_CI_WORDS}"
    rf"|{_CI_WORDS}\s*(?P<level2>{_NUM})\s*%|{_CI_WORDS})"
)

_CORE: Final[re.Pattern[str]] = re.compile(
    rf"(?P<est>{_NUM})\s*(?:(?P<estpct>%)|(?P<estunit>{_UNIT_WORDS})\b)?\s*"
    rf"(?P<open>[\(\[])\s*(?:{_LEVEL}\s*[:,;]?\s*)?"
    rf"(?P<lo>{_BOUND}){_SEP}(?P<hi>{_BOUND})\s*"
    rf"(?P<close>[\)\]])",
    re.IGNORECASE,
)
_TIME: Final[re.Pattern[str]] = re.compile(
    rf"(?:\bat\s+)?(?P<t>{_NUM})\s*[- ]?\s*"
    r"(?P<unit>years?|yrs?|months?|mos?|weeks?|wks?|days?|y|m|d)\b",
    re.IGNORECASE,
)
_UNITS: Final[dict[str, str]] = {
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
    "m": "month", "mo": "month", "mos": "month", "month": "month", "months": "month",
    "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "d": "day", "day": "day", "days": "day",
}
_FILLER: Final[re.Pattern[str]] = re.compile(
    r"\b(?:the|estimated|estimate|rate|rates|was|were|is|of|at|probability|a|an)\b|[:=,;]",
    re.IGNORECASE,
)

FORMATS_HELP: Final[str] = (
    "an estimate followed by a bracketed interval, e.g. '68% (95% CI, 43 to 100)', "
    "'68% (95% CI 43\u2013100)', '0.68 (0.43-1.00)', '68.0% [43.0%; 100%]' or '68 (43, 100)'"
)


@dataclass(frozen=True)
class PrintedNumber:
    """One printed number and the interval of true values that print as it.

    Attributes
    ----------
    text : str
        The number as printed (``"68"``, ``"NR"``).
    value : float or None
        The printed value as a fraction (``0.68``); ``None`` for a bound printed as not
        reached / not estimable.
    decimals : int
        Digits after the decimal point in the printed scale (``"68.0"`` -> 1).
    lo, hi : float
        The closed interval of fractions that print as ``text`` (``0 .. 1`` for a missing bound).
    """

    text: str
    value: float | None
    decimals: int
    lo: float
    hi: float

    @property
    def missing(self) -> bool:
        """True for a bound printed as NR / NE / not reached."""
        return self.value is None

    def contains(self, x: float, tol: float = 0.0) -> bool:
        """Whether ``x`` lies in ``[lo - tol, hi + tol]``."""
        return self.lo - tol <= x <= self.hi + tol


@dataclass(frozen=True)
class Reported:
    """A printed estimate with its confidence interval, as parsed by :func:`parse_endpoint`.

    Attributes
    ----------
    text : str
        The source text.
    estimate, lower, upper : float or None
        The printed values as fractions (``lower``/``upper`` are ``None`` when printed NR/NE).
    estimate_interval, lower_interval, upper_interval : tuple of float
        The closed intervals of true fractions that print as the three numbers.
    decimals : tuple of int
        Printed decimals of estimate, lower, upper (in the printed scale).
    scale : {"percent", "fraction"}
        How the numbers were printed.
    conf_level : float or None
        The CI level when printed (``"90% CI"`` -> 0.9); ``None`` when the text does not say.
    label : str or None
        Endpoint label left of the numbers (``"OS"``) when present.
    time : float or None
        Landmark time when printed (``"1-year"`` -> 1.0), with ``time_unit`` (``"year"``).
    rounding : {"any", "nearest", "truncate"}
        Rounding conventions the intervals allow.
    kind : {"survival", "time"}
        ``"survival"`` for a probability (fractions in [0, 1]); ``"time"`` for a median or
        other quantile of survival time (``"median OS 14.2 months (95% CI, 10.1 to NR)"``), whose
        numbers stay in the printed time unit (``value_unit``) and are not scaled.
    value_unit : str or None
        Unit printed after a time estimate (``"month"``), when ``kind == "time"``.
    """

    text: str
    estimate: float
    lower: float | None
    upper: float | None
    estimate_interval: tuple[float, float]
    lower_interval: tuple[float, float]
    upper_interval: tuple[float, float]
    decimals: tuple[int, int, int]
    scale: Literal["percent", "fraction"]
    conf_level: float | None = None
    label: str | None = None
    time: float | None = None
    time_unit: str | None = None
    rounding: Rounding = "any"
    kind: Literal["survival", "time"] = "survival"
    value_unit: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per printed number: ``quantity, printed, value, lo, hi, decimals``."""
        rows = []
        for name, val, iv, dec in zip(
            ("estimate", "lower", "upper"),
            (self.estimate, self.lower, self.upper),
            (self.estimate_interval, self.lower_interval, self.upper_interval),
            self.decimals,
            strict=True,
        ):
            rows.append(
                {"quantity": name, "value": val, "lo": iv[0], "hi": iv[1], "decimals": dec}
            )
        return pd.DataFrame(rows)

    def format(self) -> str:
        """The three numbers back in the printed scale, e.g. ``"68 (43, 100)"``."""
        mult = 100.0 if self.scale == "percent" and self.kind == "survival" else 1.0

        def f(v: float | None, d: int) -> str:
            return "NR" if v is None else f"{v * mult:.{d}f}"

        e, lo, hi = self.decimals
        return f"{f(self.estimate, e)} ({f(self.lower, lo)}, {f(self.upper, hi)})"


def rounding_interval(
    value: float,
    decimals: int,
    rounding: Rounding = "any",
    *,
    scale: float = 1.0,
    clip: bool = True,
) -> tuple[float, float]:
    r"""Closed interval of true values that print as ``value`` with ``decimals`` digits.

    With unit :math:`u = 10^{-d}`: nearest rounding (half-up or half-even) gives
    :math:`[x - u/2, x + u/2]`; truncation gives :math:`[x, x + u]`; ``"any"`` their union
    :math:`[x - u/2, x + u]`. The result is divided by ``scale`` (100 for percent), clipped to
    [0, 1] (unless ``clip=False``; then only at 0) and widened outward by a few ulps so that it
    is never too narrow after the division.
    """
    u = 10.0 ** (-decimals)
    if rounding == "nearest":
        lo, hi = value - u / 2, value + u / 2
    elif rounding == "truncate":
        lo, hi = value, value + u
    elif rounding == "any":
        lo, hi = value - u / 2, value + u
    else:
        raise ValueError(f"rounding must be one of {ROUNDINGS}, got {rounding!r}")
    lo, hi = lo / scale, hi / scale
    lo = max(0.0, math.nextafter(math.nextafter(lo, -math.inf), -math.inf))
    hi = math.nextafter(math.nextafter(hi, math.inf), math.inf)
    return lo, (min(1.0, hi) if clip else hi)


def _decimals(token: str) -> int:
    token = token.strip().rstrip("%").strip()
    return len(token.split(".", 1)[1]) if "." in token else 0


def _is_missing(token: str) -> bool:
    return re.fullmatch(_NR, token.strip().rstrip("%").strip(), re.IGNORECASE) is not None


def _normalize(text: str) -> str:
    out = text
    for ch in _DASHES:
        out = out.replace(ch, "-")
    return out.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


def parse_endpoint(text: str, *, rounding: Rounding = "any") -> Reported:
    """Parse a printed survival estimate with its confidence interval.

    Parameters
    ----------
    text : str
        E.g. ``"1-year OS 68% (95% CI, 43 to 100)"``, ``"68% (95% CI 43–100)"``,
        ``"0.68 (0.43-1.00)"``, ``"68.0% [43.0%; 100%]"``, ``"68 (43, 100)"``; unicode dashes,
        ``to``, a CI level other than 95% (``"90% CI"``) and bounds printed ``NR`` / ``NE`` /
        ``not reached`` are accepted. A landmark time (``"1-year"``, ``"at 24 months"``) and a
        label left of the numbers are kept when present.
    rounding : {"any", "nearest", "truncate"}
        Which rounding conventions the printed numbers may come from (see
        :func:`rounding_interval`); ``"any"`` (default) accepts half-up, half-even and
        truncation.

    Returns
    -------
    Reported
        Estimate and bounds as fractions with their rounding intervals.

    Raises
    ------
    TypeError
        If ``text`` is not a string.
    ValueError
        If the text holds no (or more than one) estimate-with-interval, a percentage above 100,
        or bounds that do not enclose the estimate.

    Notes
    -----
    A median or other quantile of survival time (a time unit after a number, or the word
    ``median``/``quantile``/``percentile`` before it) gives ``kind="time"``: the numbers stay in
    their printed unit, an ``NR`` upper bound means "not reached" (interval up to infinity).
    For survival probabilities the scale is *percent* when a ``%`` sign follows any of the
    three numbers or any of them exceeds 1, else *fraction*. A printed number ``x`` with ``d``
    decimals stands for the interval of :func:`rounding_interval`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    if rounding not in ROUNDINGS:
        raise ValueError(f"rounding must be one of {ROUNDINGS}, got {rounding!r}")
    norm = _normalize(text)
    matches = list(_CORE.finditer(norm))
    if not matches:
        raise ValueError(f"cannot parse {text!r}: expected {FORMATS_HELP}")
    if len(matches) > 1:
        raise ValueError(
            f"cannot parse {text!r}: found {len(matches)} estimates with intervals, expected one"
        )
    m = matches[0]
    est_tok, lo_tok, hi_tok = m.group("est"), m.group("lo"), m.group("hi")
    if _is_missing(est_tok):  # pragma: no cover - the pattern requires a number
        raise ValueError(f"cannot parse {text!r}: the estimate must be a number")
    level_tok = m.group("level") or m.group("level2")
    conf_level: float | None = None
    if level_tok is not None:
        conf_level = float(level_tok) / 100.0
        if not 0.0 < conf_level < 1.0:
            raise ValueError(f"cannot parse {text!r}: CI level {level_tok}% is not in (0, 100)")

    toks = (est_tok, lo_tok, hi_tok)
    missing = [_is_missing(t) for t in toks]

    def strip(t: str) -> str:
        return re.sub(rf"\s*{_UNIT_WORDS}\s*$", "", t.strip(), flags=re.IGNORECASE).rstrip("%")

    raw = [None if miss else float(strip(t)) for t, miss in zip(toks, missing, strict=True)]
    # A median (or other quantile) of survival *time*: a time unit after a number, or the
    # word median/quantile/percentile left of the numbers. Its numbers are times, not
    # probabilities: no percent scaling, no clipping to [0, 1].
    est_unit = m.group("estunit")
    bound_unit = next(
        (re.search(_UNIT_WORDS, t, re.IGNORECASE) for t in (lo_tok, hi_tok)
         if re.search(rf"\d\s*{_UNIT_WORDS}", t, re.IGNORECASE)),
        None,
    )
    quantile_word = re.search(
        r"\b(?:median|quantile|percentile|mean)\b", norm[: m.start()], re.IGNORECASE
    )
    is_time = bool(est_unit or bound_unit or quantile_word)
    has_pct = bool(m.group("estpct")) or any(t.strip().endswith("%") for t in (lo_tok, hi_tok))
    if is_time and has_pct:
        raise ValueError(
            f"cannot parse {text!r}: a time quantity (median) cannot carry a % sign"
        )
    numbers = [v for v in raw if v is not None]
    percent = not is_time and (has_pct or any(v > 1.0 for v in numbers))
    scale_div = 100.0 if percent else 1.0
    if not is_time:
        for tok, v in zip(toks, raw, strict=True):
            if v is not None and v > scale_div:
                raise ValueError(
                    f"cannot parse {text!r}: {tok.strip()} exceeds "
                    f"{'100%' if percent else '1'}; a survival probability was expected"
                )

    printed: list[PrintedNumber] = []
    for tok, v in zip(toks, raw, strict=True):
        if v is None:
            printed.append(PrintedNumber(tok.strip(), None, 0, 0.0, math.inf if is_time else 1.0))
        else:
            d = _decimals(strip(tok))
            lo, hi = rounding_interval(v, d, rounding, scale=scale_div, clip=not is_time)
            printed.append(PrintedNumber(tok.strip(), v / scale_div, d, lo, hi))
    est, low, up = printed
    if est.value is None:  # pragma: no cover
        raise ValueError(f"cannot parse {text!r}: the estimate must be a number")
    if low.value is not None and low.value > est.value:
        raise ValueError(
            f"bounds not around the estimate in {text!r}: lower {low.text} > estimate {est.text}"
        )
    if up.value is not None and up.value < est.value:
        raise ValueError(
            f"bounds not around the estimate in {text!r}: upper {up.text} < estimate {est.text}"
        )

    prefix = norm[: m.start()]
    value_unit: str | None = None
    unit_tok = est_unit or (bound_unit.group(0) if bound_unit else None)
    if is_time and unit_tok:
        value_unit = _UNITS.get(unit_tok.lower())
    time_val: float | None = None
    unit: str | None = None
    tm = None
    for cand in _TIME.finditer(prefix):
        tm = cand
    if tm is not None:
        time_val = float(tm.group("t"))
        unit = _UNITS.get(tm.group("unit").lower())
        prefix = prefix[: tm.start()] + " " + prefix[tm.end():]
    label = re.sub(r"\s+", " ", _FILLER.sub(" ", prefix)).strip(" -()[]") or None

    return Reported(
        text=text,
        estimate=est.value,
        lower=low.value,
        upper=up.value,
        estimate_interval=(est.lo, est.hi),
        lower_interval=(low.lo, low.hi),
        upper_interval=(up.lo, up.hi),
        decimals=(est.decimals, low.decimals, up.decimals),
        scale="percent" if percent else "fraction",
        conf_level=conf_level,
        label=label,
        time=time_val,
        time_unit=unit,
        rounding=rounding,
        kind="time" if is_time else "survival",
        value_unit=value_unit,
    )


def reported_from_numbers(
    estimate: str | float,
    lower: str | float | None,
    upper: str | float | None,
    *,
    scale: Literal["percent", "fraction"] | None = None,
    conf_level: float | None = None,
    rounding: Rounding = "any",
) -> Reported:
    """Build a :class:`Reported` from three printed numbers (e.g. CSV columns).

    Numbers given as strings keep their printed decimals (``"100"`` -> 0, ``"0.430"`` -> 3);
    floats use their shortest repr. ``None``/``""``/``"NR"`` bounds are missing. The scale is
    inferred as in :func:`parse_endpoint` unless given.
    """

    def tok(x: str | float | None) -> str:
        if x is None:
            return "NR"
        if isinstance(x, float) and math.isnan(x):
            return "NR"
        s = str(x).strip()
        return s if s else "NR"

    parts = [tok(estimate), tok(lower), tok(upper)]
    if scale == "percent" and not any(p.endswith("%") for p in parts):
        parts[0] = parts[0] + "%"
    text = f"{parts[0]} ({parts[1]}, {parts[2]})"
    rep = parse_endpoint(text, rounding=rounding)
    if scale == "fraction" and rep.scale == "percent":
        raise ValueError(f"estimate {estimate!r}: numbers above 1 given with scale='fraction'")
    if conf_level is not None:
        rep = Reported(**{**rep.__dict__, "conf_level": float(conf_level)})
    return rep
