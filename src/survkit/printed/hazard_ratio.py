"""A printed hazard ratio with its CI and p-value: ``"HR 0.65 (95% CI, 0.50 to 0.85); P = .002"``.

Parsed by the same machinery as every printed number (:func:`~survkit.printed.number.
parse_printed`): the three ratios are positive numbers, the p-value is a number in [0, 1]
(outside it is an error) and ``"P < .001"`` is the interval ``[0, 0.001]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from survkit.printed._patterns import (
    CI_WORDS,
    HR_TEXT,
    NUM,
    P_VALUE,
    decomma,
    has_decimal_comma,
    normalize,
)
from survkit.printed.number import Printed, parse_printed

_HR_START: Final[re.Pattern[str]] = re.compile(
    r"\b(?:HR|hazard\s+ratios?)\b[^0-9.]{0,60}?(?P<est>" + NUM + r")", re.IGNORECASE
)
_CI: Final[re.Pattern[str]] = re.compile(
    r"(?:(?P<level>" + NUM + r")\s*%\s*)?" + CI_WORDS + r"\s*[:,;]?\s*"
    r"(?P<lo>" + NUM + r")\s*(?:-|to|,|;)\s*(?P<hi>" + NUM + r")",
    re.IGNORECASE,
)
_BRACKET: Final[re.Pattern[str]] = re.compile(
    r"^\s*[\(\[]\s*(?P<lo>" + NUM + r")\s*(?:-|to|,|;)\s*(?P<hi>" + NUM + r")\s*[\)\]]"
)

#: The accepted layout, quoted in parse errors.
HR_HELP: Final[str] = "'HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002'"


@dataclass(frozen=True)
class HazardRatio:
    """A printed hazard ratio: three positive :class:`Printed` ratios and an optional p-value.

    Attributes
    ----------
    text : str
    point, low, high : Printed
        Estimate and CI limits (``kind="ratio"``).
    conf_level : float or None
        The printed CI level, ``None`` when the text does not say.
    p_value : Printed or None
        The printed p-value (``kind="p_value"``; ``relation`` ``"<"`` for ``P < .001``).
    """

    text: str
    point: Printed
    low: Printed
    high: Printed
    conf_level: float | None = None
    p_value: Printed | None = None

    @property
    def numbers(self) -> tuple[Printed, Printed, Printed]:
        """``(point, low, high)``."""
        return (self.point, self.low, self.high)


def is_hazard_ratio_text(text: str) -> bool:
    """Whether ``text`` names a hazard ratio (``HR``, ``hazard ratio``)."""
    return HR_TEXT.search(normalize(text)) is not None


def parse_p_value(text: str, *, name: str = "p-value") -> Printed:
    """Parse ``"P = .002"``, ``"p<0.001"``, ``"0.04"``: a number in [0, 1], maybe a relation."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string, got {type(text).__name__}")
    norm = normalize(text).strip()
    m = P_VALUE.search(norm)
    body = norm if m is None else (m.group("op") or "") + m.group("p")
    return parse_printed(body, name=name, kind="p_value", not_reached=False)


def parse_hazard_ratio(text: str) -> HazardRatio:
    """Parse a printed hazard ratio with its CI (and p-value when printed).

    Parameters
    ----------
    text : str
        ``"HR 0.65 (95% CI, 0.50 to 0.85); P = 0.002"``, NEJM style ``"hazard ratio, 0.65;
        95% CI, 0.50 to 0.85; P=.002"``, ``"HR 0.65 (0.50-0.85), P<0.001"``; decimal commas
        when unambiguous.

    Raises
    ------
    TypeError
        ``text`` is not a string.
    ValueError
        No hazard ratio or no CI after it, non-positive numbers, limits not around the
        estimate, a p-value outside [0, 1]; the message quotes the text.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    norm = normalize(text)
    if has_decimal_comma(norm):
        try:
            norm = decomma(norm)
        except ValueError as exc:
            raise ValueError(f"cannot parse {text!r}: {exc}") from None
    m = _HR_START.search(norm)
    if m is None:
        raise ValueError(f"cannot parse {text!r}: expected {HR_HELP}")
    est_tok = m.group("est")
    rest = norm[m.end():]
    ci = _CI.search(rest)
    level_tok = None
    if ci is not None:
        lo_tok, hi_tok, level_tok = ci.group("lo"), ci.group("hi"), ci.group("level")
        after = rest[ci.end():]
    else:
        br = _BRACKET.search(rest)
        if br is None:
            raise ValueError(f"cannot parse {text!r}: no confidence interval after the HR")
        lo_tok, hi_tok = br.group("lo"), br.group("hi")
        after = rest[br.end():]
    if min(float(est_tok), float(lo_tok), float(hi_tok)) <= 0:
        raise ValueError(f"hazard ratio and limits must be positive in {text!r}")
    point, low, high = (
        parse_printed(t, name=f"{what} of {text!r}", kind="ratio", not_reached=False)
        for t, what in ((est_tok, "HR"), (lo_tok, "lower limit"), (hi_tok, "upper limit"))
    )
    assert point.number is not None and low.number is not None and high.number is not None
    if not low.number <= point.number <= high.number:
        raise ValueError(f"bounds not around the estimate in {text!r}: {lo_tok} to {hi_tok}")
    conf_level = None
    if level_tok is not None:
        conf_level = float(level_tok) / 100.0
        if not 0.0 < conf_level < 1.0:
            raise ValueError(f"cannot parse {text!r}: CI level {level_tok}% is not in (0, 100)")
    pm = P_VALUE.search(after) or P_VALUE.search(norm[: m.start()])
    p_value = None
    if pm is not None:
        p_value = parse_printed(
            (pm.group("op") or "") + pm.group("p"), name=f"p-value of {text!r}", kind="p_value",
            not_reached=False,
        )
    return HazardRatio(text, point, low, high, conf_level, p_value)
