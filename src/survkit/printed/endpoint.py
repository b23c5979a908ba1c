"""A printed endpoint: an estimate with its CI, ``"1-year OS 68% (95% CI, 43-100)"``.

:func:`parse_endpoint` reads the text once into a :class:`Reported` made of three
:class:`~survkit.printed.number.Printed` numbers (estimate, lower, upper) with the label, the
landmark time, the printed CI level and the kind (a survival probability, or a time such as a
median). Every later comparison uses the intervals of those three numbers under **one**
rounding convention at a time (:meth:`Reported.intervals`, :meth:`Reported.contains`): the three
numbers of a printed line come from one program.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit.printed._patterns import (
    CI_WORDS,
    HR_TEXT,
    NR,
    NUM,
    UNIT_WORDS,
    UNITS,
    decimals_of,
    decomma,
    has_decimal_comma,
    is_not_reached,
    normalize,
)
from survkit.printed.number import (
    CONVENTIONS,
    Convention,
    Kind,
    Printed,
    Rounding,
    check_rounding,
    conventions,
    within,
)

_BOUND = rf"(?:{NUM}\s*(?:%|{UNIT_WORDS}\b)?|{NR})"
_SEP = r"(?:\s*-\s*|\s+to\s+|\s*,\s*|\s*;\s*)"
_LEVEL = (
    rf"(?:(?P<level>{NUM})\s*%\s*{CI_WORDS}"
    rf"|{CI_WORDS}\s*(?P<level2>{NUM})\s*%|{CI_WORDS})"
)
_CORE: Final[re.Pattern[str]] = re.compile(
    rf"(?P<est>{NUM})\s*(?:(?P<estpct>%)|(?P<estunit>{UNIT_WORDS})\b)?\s*"
    rf"(?P<open>[\(\[])\s*(?:{_LEVEL}\s*[:,;]?\s*)?"
    rf"(?P<lo>{_BOUND}){_SEP}(?P<hi>{_BOUND})\s*"
    rf"(?P<close>[\)\]])",
    re.IGNORECASE,
)
_TIME: Final[re.Pattern[str]] = re.compile(
    rf"(?:\bat\s+)?(?P<t>{NUM})\s*[- ]?\s*"
    r"(?P<unit>years?|yrs?|months?|mos?|weeks?|wks?|days?|y|m|d)\b",
    re.IGNORECASE,
)
_FILLER: Final[re.Pattern[str]] = re.compile(
    r"\b(?:the|estimated|estimate|rate|rates|was|were|is|of|at|probability|a|an)\b|[:=,;]",
    re.IGNORECASE,
)

#: The accepted layouts, quoted in every parse error.
FORMATS_HELP: Final[str] = (
    "an estimate followed by a bracketed interval, e.g. '68% (95% CI, 43 to 100)', "
    "'68% (95% CI 43\u2013100)', '0.68 (0.43-1.00)', '68.0% [43.0%; 100%]' or '68 (43, 100)'"
)

TextKind = Literal["hazard_ratio", "survival", "time"]


@dataclass(frozen=True)
class Reported:
    """A printed estimate with its confidence interval: three :class:`Printed` numbers.

    Attributes
    ----------
    text : str
        The source text.
    point, low, high : Printed
        The printed estimate, lower and upper limit (``low``/``high`` not reached when
        printed ``NR``/``NE``: such a limit constrains nothing).
    conf_level : float or None
        The printed CI level (``"90% CI"`` -> 0.9); ``None`` when the text does not say.
    label : str or None
        Endpoint label left of the numbers (``"OS"``).
    time, time_unit : float or None, str or None
        The landmark when printed (``"1-year"`` -> ``1.0, "year"``).
    rounding : {"any", "nearest", "truncate"}
        The conventions the caller allows; the ``*_interval`` properties use it (``"any"``:
        the union, a hull only -- judge numbers with :meth:`contains` per convention).
    kind : {"survival", "time"}
        A survival probability (values are fractions in [0, 1]) or a time (a median or
        other quantile, in its printed unit ``value_unit``, never scaled).
    """

    text: str
    point: Printed
    low: Printed
    high: Printed
    conf_level: float | None = None
    label: str | None = None
    time: float | None = None
    time_unit: str | None = None
    rounding: Rounding = "any"
    kind: Literal["survival", "time"] = "survival"

    # ---- the three numbers
    @property
    def numbers(self) -> tuple[Printed, Printed, Printed]:
        """``(point, low, high)``."""
        return (self.point, self.low, self.high)

    @property
    def estimate(self) -> float:
        """The printed estimate (a fraction for a survival probability)."""
        v = self.point.value
        if v is None:  # pragma: no cover - the parser requires a numeric estimate
            raise ValueError(f"{self.text!r}: the estimate is not a number")
        return v

    @property
    def lower(self) -> float | None:
        """The printed lower limit, ``None`` when not reached / not estimable."""
        return self.low.value

    @property
    def upper(self) -> float | None:
        """The printed upper limit, ``None`` when not reached / not estimable."""
        return self.high.value

    @property
    def decimals(self) -> tuple[int, int, int]:
        """Printed decimals of estimate, lower, upper."""
        return (self.point.decimals, self.low.decimals, self.high.decimals)

    @property
    def scale(self) -> Literal["percent", "fraction"]:
        """How a survival probability was printed (a time is ``"fraction"``: unscaled)."""
        return "percent" if self.point.scale == 100.0 else "fraction"

    @property
    def value_unit(self) -> str | None:
        """Unit printed with a time estimate (``"month"``), else ``None``."""
        return self.point.unit if self.kind == "time" else None

    @property
    def estimate_interval(self) -> tuple[float, float]:
        """Interval of the estimate under :attr:`rounding` (the union for ``"any"``)."""
        return self.point.interval(self.rounding)

    @property
    def lower_interval(self) -> tuple[float, float]:
        """Interval of the lower limit under :attr:`rounding` (the domain when not reached)."""
        return self.low.interval(self.rounding)

    @property
    def upper_interval(self) -> tuple[float, float]:
        """Interval of the upper limit under :attr:`rounding` (the domain when not reached)."""
        return self.high.interval(self.rounding)

    @property
    def conventions(self) -> tuple[Convention, ...]:
        """The conventions :attr:`rounding` allows (both for ``"any"``)."""
        return conventions(self.rounding)

    def intervals(
        self, convention: Convention
    ) -> tuple[tuple[float, float], tuple[float, float] | None, tuple[float, float] | None]:
        """Estimate, lower and upper intervals under one convention (``None``: unconstrained)."""
        lo = self.low.interval(convention) if self.low.reached else None
        hi = self.high.interval(convention) if self.high.reached else None
        return self.point.interval(convention), lo, hi

    def contains(
        self,
        estimate: ArrayLike,
        lower: ArrayLike,
        upper: ArrayLike,
        convention: Convention,
    ) -> NDArray[np.bool_]:
        """Whether true (estimate, lower, upper) print as the three numbers under ``convention``.

        Vectorised (:func:`~survkit.printed.number.within`); a limit printed not reached
        accepts anything.
        """
        e, lo, hi = self.intervals(convention)
        ok = within(estimate, *e)
        if lo is not None:
            ok = ok & within(lower, *lo)
        if hi is not None:
            ok = ok & within(upper, *hi)
        return np.asarray(ok, dtype=bool)

    def conventions_of(
        self, estimate: float, lower: float, upper: float
    ) -> tuple[Convention, ...]:
        """The conventions (of :attr:`conventions`) under which the three values print."""
        return tuple(
            c for c in self.conventions if bool(self.contains(estimate, lower, upper, c))
        )

    def with_rounding(self, rounding: Rounding) -> Reported:
        """The same numbers with another allowed rounding."""
        return replace(self, rounding=check_rounding(rounding))

    def to_frame(self) -> pd.DataFrame:
        """One row per number and convention: ``quantity, printed, value, decimals,
        convention, lo, hi``."""
        rows = []
        for q, p in zip(("estimate", "lower", "upper"), self.numbers, strict=True):
            for c in CONVENTIONS:
                lo, hi = p.interval(c)
                rows.append(
                    {"quantity": q, "printed": p.text, "value": p.value, "decimals": p.decimals,
                     "convention": c, "lo": lo, "hi": hi}
                )
        return pd.DataFrame(rows)

    def format(self) -> str:
        """The three numbers back in the printed scale, e.g. ``"68 (43, 100)"``."""

        def f(p: Printed) -> str:
            return "NR" if p.number is None else f"{p.number:.{p.decimals}f}"

        return f"{f(self.point)} ({f(self.low)}, {f(self.high)})"


def text_kind(text: str) -> TextKind:
    """What a printed text is: ``"hazard_ratio"`` (HR / hazard ratio), ``"time"`` (a median or
    other quantile of time) or ``"survival"`` (anything else: parse it as an endpoint)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    norm = normalize(text)
    if HR_TEXT.search(norm):
        return "hazard_ratio"
    if re.search(r"\b(?:median|quantile|percentile|mean)\b", norm, re.IGNORECASE):
        return "time"
    m = _CORE.search(norm)
    if m is not None and (
        m.group("estunit") or re.search(rf"\d\s*{UNIT_WORDS}", m.group("lo") + m.group("hi"),
                                        re.IGNORECASE)
    ):
        return "time"
    return "survival"


def _matches(norm: str) -> list[re.Match[str]]:
    return list(_CORE.finditer(norm))


def _find(text: str, norm: str) -> re.Match[str]:
    """The one estimate-with-interval of ``norm``, reading decimal commas when unambiguous."""
    plain = _matches(norm)
    comma: list[re.Match[str]] = []
    comma_error: ValueError | None = None
    if has_decimal_comma(norm):
        try:
            comma = _matches(decomma(norm))
        except ValueError as exc:
            comma_error = exc
    if plain and comma:
        a = [tuple(m.group(g) for g in ("est", "lo", "hi")) for m in plain]
        b = [tuple(m.group(g) for g in ("est", "lo", "hi")) for m in comma]
        if a != b:
            raise ValueError(
                f"cannot parse {text!r}: ambiguous comma: it reads as "
                f"{' '.join(a[0])} with commas as separators and as {' '.join(b[0])} with "
                "decimal commas; use ' to ' or a dash between the limits"
            )
    found = plain or comma
    if not found:
        if comma_error is not None:
            raise ValueError(f"cannot parse {text!r}: {comma_error}") from None
        raise ValueError(f"cannot parse {text!r}: expected {FORMATS_HELP}")
    if len(found) > 1:
        raise ValueError(
            f"cannot parse {text!r}: found {len(found)} estimates with intervals, expected one"
        )
    return found[0]


def parse_endpoint(text: str, *, rounding: Rounding = "any") -> Reported:
    """Parse a printed survival estimate (or median) with its confidence interval.

    Parameters
    ----------
    text : str
        E.g. ``"1-year OS 68% (95% CI, 43 to 100)"``, ``"68% (95% CI 43–100)"``,
        ``"0.68 (0.43-1.00)"``, ``"68.0% [43.0%; 100%]"``, ``"68 (43, 100)"``,
        ``"68,5 % (43,1–100)"`` (decimal commas, when unambiguous),
        ``"median OS 14.2 months (95% CI, 10.1 to NR)"``. Unicode dashes, ``to``, a CI level
        other than 95% and limits printed ``NR`` / ``NE`` / ``not reached`` are accepted.
    rounding : {"any", "nearest", "truncate"}
        The conventions allowed (kept on the result; see :class:`Reported`).

    Returns
    -------
    Reported

    Raises
    ------
    TypeError
        ``text`` is not a string.
    ValueError
        A hazard-ratio text (use :func:`survkit.check.check_hr`), no or several
        estimates-with-interval, an ambiguous comma, a percentage above 100, a % sign on a
        time, or limits that do not enclose the estimate; the message quotes the text.

    Notes
    -----
    A time unit after a number, or the word median/quantile/percentile/mean before it, makes
    the endpoint a time (``kind="time"``): no percent scaling, domain ``[0, inf)``. For a
    survival probability the scale is percent when a ``%`` follows any number or any number
    exceeds 1, else fraction.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    check_rounding(rounding)
    norm = normalize(text)
    if HR_TEXT.search(norm):
        raise ValueError(
            f"{text!r} is a hazard ratio, not a survival estimate; check it with check_hr "
            "(survkit check dispatches it by itself)"
        )
    m = _find(text, norm)
    est_tok, lo_tok, hi_tok = m.group("est"), m.group("lo"), m.group("hi")
    level_tok = m.group("level") or m.group("level2")
    conf_level: float | None = None
    if level_tok is not None:
        conf_level = float(level_tok) / 100.0
        if not 0.0 < conf_level < 1.0:
            raise ValueError(f"cannot parse {text!r}: CI level {level_tok}% is not in (0, 100)")
    toks = (est_tok, lo_tok, hi_tok)

    def strip(t: str) -> str:
        return re.sub(rf"\s*{UNIT_WORDS}\s*$", "", t.strip(), flags=re.IGNORECASE).rstrip("%")

    est_unit = m.group("estunit")
    bound_unit = next(
        (re.search(UNIT_WORDS, t, re.IGNORECASE) for t in (lo_tok, hi_tok)
         if re.search(rf"\d\s*{UNIT_WORDS}", t, re.IGNORECASE)),
        None,
    )
    prefix = norm[: m.start()]  # decimal commas keep positions (one character each)
    quantile_word = re.search(r"\b(?:median|quantile|percentile|mean)\b", prefix, re.IGNORECASE)
    is_time = bool(est_unit or bound_unit or quantile_word)
    has_pct = bool(m.group("estpct")) or any(t.strip().endswith("%") for t in (lo_tok, hi_tok))
    if is_time and has_pct:
        raise ValueError(f"cannot parse {text!r}: a time quantity (median) cannot carry a % sign")
    missing = [is_not_reached(t) for t in toks]
    raw = [None if miss else float(strip(t)) for t, miss in zip(toks, missing, strict=True)]
    percent = not is_time and (has_pct or any(v is not None and v > 1.0 for v in raw))
    scale = 100.0 if percent else 1.0
    unit_tok = est_unit or (bound_unit.group(0) if bound_unit else None)
    value_unit = UNITS.get(unit_tok.lower()) if is_time and unit_tok else None
    numbers: list[Printed] = []
    for tok, v in zip(toks, raw, strict=True):
        if not is_time and v is not None and v > scale:
            raise ValueError(
                f"cannot parse {text!r}: {tok.strip()} exceeds "
                f"{'100%' if percent else '1'}; a survival probability was expected"
            )
        kind: Kind = "time" if is_time else "probability"
        unit = value_unit if is_time else ("percent" if percent else None)
        if v is None:
            numbers.append(Printed(tok.strip(), None, 0, scale, unit, kind))
        else:
            numbers.append(Printed(tok.strip(), v, decimals_of(strip(tok)), scale, unit, kind))
    est, low, up = numbers
    if est.number is None:  # pragma: no cover - the pattern requires a number
        raise ValueError(f"cannot parse {text!r}: the estimate must be a number")
    if low.number is not None and low.number > est.number:
        raise ValueError(
            f"bounds not around the estimate in {text!r}: lower {low.text} > estimate {est.text}"
        )
    if up.number is not None and up.number < est.number:
        raise ValueError(
            f"bounds not around the estimate in {text!r}: upper {up.text} < estimate {est.text}"
        )
    time_val: float | None = None
    time_unit: str | None = None
    tm = None
    for cand in _TIME.finditer(prefix):
        tm = cand
    if tm is not None:
        time_val = float(tm.group("t"))
        time_unit = UNITS.get(tm.group("unit").lower())
        prefix = prefix[: tm.start()] + " " + prefix[tm.end():]
    label = re.sub(r"\s+", " ", _FILLER.sub(" ", prefix)).strip(" -()[]") or None
    return Reported(
        text=text,
        point=est,
        low=low,
        high=up,
        conf_level=conf_level,
        label=label,
        time=time_val,
        time_unit=time_unit,
        rounding=rounding,
        kind="time" if is_time else "survival",
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

    Strings keep their printed decimals (``"100"`` -> 0, ``"0.430"`` -> 3); floats use their
    shortest repr. ``None`` / ``""`` / NaN / ``"NR"`` limits are not reached. The scale is
    inferred as in :func:`parse_endpoint` unless given.
    """

    def tok(x: str | float | None) -> str:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "NR"
        s = str(x).strip()
        return s if s else "NR"

    parts = [tok(estimate), tok(lower), tok(upper)]
    if scale == "percent" and not any(p.endswith("%") for p in parts):
        parts[0] = parts[0] + "%"
    text = f"{parts[0]} ({parts[1]} to {parts[2]})"
    rep = parse_endpoint(text, rounding=rounding)
    if scale == "fraction" and rep.scale == "percent":
        raise ValueError(f"estimate {estimate!r}: numbers above 1 given with scale='fraction'")
    if conf_level is not None:
        rep = replace(rep, conf_level=float(conf_level))
    return rep
