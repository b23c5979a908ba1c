"""Regular expressions and text normalisation shared by the parsers of :mod:`survkit.printed`.

One home for the number pattern, the not-reached words, units, dashes, CI words and the
decimal-comma rule, so that every parser reads a printed number the same way.
"""

from __future__ import annotations

import re
from typing import Final

#: Characters read as a hyphen/minus (unicode dashes, minus sign, small/full-width hyphens).
DASHES: Final[str] = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
#: An unsigned decimal number as printed: ``68``, ``68.``, ``68.5``, ``.002``.
NUM: Final[str] = r"(?:\d+(?:\.\d*)?|\.\d+)"
#: Words for a value printed as not reached / not estimable.
NR: Final[str] = (
    r"(?:not\s+reached|not\s+estimable|not\s+evaluable|not\s+estimated|"
    r"NR|NE|NA|N/?A|n\.?r\.?|n\.?e\.?)"
)
#: Time-unit words (long forms; a bare ``m``/``y``/``d`` only after a landmark number).
UNIT_WORDS: Final[str] = r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?)"
#: Canonical unit of every accepted unit word.
UNITS: Final[dict[str, str]] = {
    "y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
    "m": "month", "mo": "month", "mos": "month", "month": "month", "months": "month",
    "wk": "week", "wks": "week", "week": "week", "weeks": "week",
    "d": "day", "day": "day", "days": "day",
}
#: Words naming a confidence interval.
CI_WORDS: Final[str] = (
    r"(?:CI|C\.I\.|confidence\s+interval(?:\s*[\(\[]\s*CI\s*[\)\]])?|conf\.?\s*int\.?)"
)
#: Words that mark a hazard-ratio text.
HR_TEXT: Final[re.Pattern[str]] = re.compile(r"\b(?:HR|hazard\s+ratios?)\b", re.IGNORECASE)
#: A p-value statement ``P = .002``, ``p<0.001``, ``P value 0.04``.
P_VALUE: Final[re.Pattern[str]] = re.compile(
    r"\bP\s*(?:-?\s*value)?\s*(?P<op>=|<=|>=|<|>|\u2264|\u2265)?\s*(?P<p>-?" + NUM + r")",
    re.IGNORECASE,
)

_DECIMAL_COMMA: Final[re.Pattern[str]] = re.compile(r"(?<![\d.,])(\d+),(\d+)(?![\d.,])")
_DIGIT_COMMA: Final[re.Pattern[str]] = re.compile(r"\d,\d")
_POINT_DECIMAL: Final[re.Pattern[str]] = re.compile(r"\d\.\d")
_COMMA_RUN: Final[re.Pattern[str]] = re.compile(r"\d,\d+,\d|\d,\d+\.\d|\d\.\d+,\d")


def normalize(text: str) -> str:
    """Dashes to ``-``, non-breaking and thin spaces to spaces."""
    out = text
    for ch in DASHES:
        out = out.replace(ch, "-")
    return out.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


def decimals_of(token: str) -> int:
    """Digits after the decimal point of a printed number (``"68.0%"`` -> 1, ``"100"`` -> 0)."""
    core = token.strip().rstrip("%").strip()
    return len(core.split(".", 1)[1]) if "." in core else 0


def is_not_reached(token: str) -> bool:
    """Whether ``token`` is printed as not reached / not estimable (``NR``, ``NE``...)."""
    return re.fullmatch(NR, token.strip().rstrip("%").strip(), re.IGNORECASE) is not None


def has_decimal_comma(text: str) -> bool:
    """Whether ``text`` has a digit-comma-digit group with no space (``"68,5"``, ``"1,000"``)."""
    return _DIGIT_COMMA.search(text) is not None


def decomma(text: str) -> str:
    """``text`` with decimal commas (``68,5``) read as points; ``ValueError`` when ambiguous.

    A comma between digits with no space is a decimal comma only when the text has no
    point decimals and no run such as ``43,1,100`` or ``1,000.5`` (a thousands separator or a
    list); otherwise the reading is ambiguous and the error says why.
    """
    if _COMMA_RUN.search(text):
        raise ValueError(
            f"cannot read {text!r}: a comma between digits is ambiguous here (a run like "
            "'43,1,100' or a comma and a point in one number); print decimals with points, or "
            "separate the limits by ' to ' or a dash"
        )
    if _POINT_DECIMAL.search(text):
        raise ValueError(
            f"cannot read {text!r}: it mixes decimal points and digit-comma-digit groups, so a "
            "comma could be a decimal comma or a separator; use one decimal mark"
        )
    return _DECIMAL_COMMA.sub(r"\1.\2", text)
