r"""One printed number: its text, its value, and the interval of true values that print as it.

A number printed with ``d`` decimals (unit :math:`u = 10^{-d}` in the printed scale) stands for
every true value that prints that way, and which values those are depends on the rounding
convention of the program that printed it:

* ``"nearest"`` -- rounding to nearest, half-up or half-even (R ``sprintf``/``round``, SAS,
  Stata, Excel): :math:`[x - u/2,\ x + u/2]`. The two tie rules differ only on the two
  boundary points, which are included, so one closed interval covers both.
* ``"truncate"`` -- the digits beyond ``d`` are dropped: :math:`[x,\ x + u]` (closed; the
  right end is never printed as ``x`` but including it loses nothing).
* ``"any"`` -- the union :math:`[x - u/2,\ x + u]`, for when the convention is unknown. A paper
  is printed by one program with one convention, so a function that judges several numbers
  judges them under one of ``CONVENTIONS`` at a time and reports which; ``"any"`` is only ever
  a request to try both.

The interval is divided by the scale (100 for percent), rounded outward by two ulps at each end
(``np.nextafter``) so that it is never narrower than the exact one, and clipped to the number's
domain (``[0, 1]`` for a probability). A computed value ``x`` is then tested with **one**
tolerance, :data:`TOLERANCE`: :math:`lo - t \le x \le hi + t` with
:math:`t = \mathrm{TOLERANCE} \cdot \max(1, |bound|)`, which absorbs the floating-point error
of the computation that produced ``x`` (a Kaplan-Meier product of a few hundred factors is
exact to about ``1e-14``), never a rounding step.

References
----------
Brown N.J.L., Heathers J.A.J. (2017). The GRIM test. Soc. Psychol. Personal. Sci. 8:363-369
(a printed number is an interval of possible true values).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from survkit.printed._patterns import (
    NR,
    UNIT_WORDS,
    UNITS,
    decomma,
    has_decimal_comma,
    is_not_reached,
    normalize,
)

#: A rounding request: one convention, or ``"any"`` (try both, report which holds).
Rounding = Literal["any", "nearest", "truncate"]
#: One rounding convention.
Convention = Literal["nearest", "truncate"]
#: The rounding conventions, in the order they are tried (nearest first).
CONVENTIONS: Final[tuple[Convention, ...]] = ("nearest", "truncate")
#: Every accepted value of a ``rounding`` argument.
ROUNDINGS: Final[tuple[Rounding, ...]] = ("any", "nearest", "truncate")
#: The one tolerance of membership tests, relative to ``max(1, |bound|)``.
TOLERANCE: Final[float] = 1e-12
#: What a printed number is: a probability, a time, a ratio, a p-value or a plain number.
Kind = Literal["probability", "time", "ratio", "p_value", "number"]
#: How a printed number relates to the true value (``"P < .001"`` has ``"<"``).
Relation = Literal["=", "<", "<=", ">", ">="]

_DOMAINS: Final[dict[str, tuple[float, float]]] = {
    "probability": (0.0, 1.0),
    "time": (0.0, math.inf),
    "ratio": (0.0, math.inf),
    "p_value": (0.0, 1.0),
    "number": (-math.inf, math.inf),
}


def check_rounding(rounding: object, name: str = "rounding") -> Rounding:
    """``rounding`` if it is one of :data:`ROUNDINGS`, else a ``ValueError`` naming it."""
    if not isinstance(rounding, str) or rounding not in ROUNDINGS:
        raise ValueError(f"{name} must be one of {ROUNDINGS}, got {rounding!r}")
    return cast(Rounding, rounding)


def conventions(rounding: Rounding) -> tuple[Convention, ...]:
    """The conventions a rounding request covers: both for ``"any"``, else itself."""
    check_rounding(rounding)
    return CONVENTIONS if rounding == "any" else (cast(Convention, rounding),)


def _outward(lo: float, hi: float) -> tuple[float, float]:
    lo = float(np.nextafter(np.nextafter(lo, -np.inf), -np.inf))
    hi = float(np.nextafter(np.nextafter(hi, np.inf), np.inf))
    return lo, hi


def rounding_interval(
    value: float,
    decimals: int,
    rounding: Rounding = "any",
    *,
    scale: float = 1.0,
    clip: bool = True,
) -> tuple[float, float]:
    r"""Closed interval of true values that print as ``value`` with ``decimals`` digits.

    With unit :math:`u = 10^{-d}`: nearest rounding gives :math:`[x - u/2, x + u/2]`,
    truncation :math:`[x, x + u]`, ``"any"`` their union :math:`[x - u/2, x + u]`; the result
    is divided by ``scale`` (100 for percent), rounded outward by two ulps and clipped to
    ``[0, 1]`` (``clip=False``: at 0 only).
    """
    check_rounding(rounding)
    u = 10.0 ** (-int(decimals))
    lo = value - u / 2 if rounding in ("nearest", "any") else value
    hi = value + u / 2 if rounding == "nearest" else value + u
    lo, hi = _outward(lo / scale, hi / scale)
    lo = max(0.0, lo)
    return lo, (min(1.0, hi) if clip else hi)


def within(x: ArrayLike, lo: ArrayLike, hi: ArrayLike) -> NDArray[np.bool_]:
    r"""Vectorised membership ``lo - t <= x <= hi + t`` with ``t = TOLERANCE max(1, |bound|)``.

    ``x``, ``lo`` and ``hi`` broadcast; NaN ``x`` is never inside. Infinite bounds are fine.
    """
    xa = np.asarray(x, dtype=np.float64)
    la = np.asarray(lo, dtype=np.float64)
    ha = np.asarray(hi, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        tl = TOLERANCE * np.maximum(1.0, np.abs(la))
        th = TOLERANCE * np.maximum(1.0, np.abs(ha))
        tl = np.where(np.isfinite(tl), tl, 0.0)
        th = np.where(np.isfinite(th), th, 0.0)
        out: NDArray[np.bool_] = np.asarray((xa >= la - tl) & (xa <= ha + th), dtype=bool)
    return out


@dataclass(frozen=True)
class Printed:
    r"""A printed number and the intervals of true values that print as it.

    Attributes
    ----------
    text : str
        The number as printed (``"68"``, ``"43.1"``, ``"NR"``, ``"< .001"``).
    number : float or None
        The number in its printed scale (``68.0``); ``None`` when printed as not reached /
        not estimable.
    decimals : int
        Digits after the decimal point (``"68.0"`` -> 1).
    scale : float
        Printed scale over value: 100 for a percentage, else 1.
    unit : str or None
        ``"percent"`` or a time unit (``"month"``) when printed or known.
    kind : {"probability", "time", "ratio", "p_value", "number"}
        What the number is; it fixes the domain the intervals are clipped to.
    relation : {"=", "<", "<=", ">", ">="}
        ``"<"`` for ``"P < .001"``: the true value is below the number (any rounding).

    Notes
    -----
    :meth:`interval` gives :math:`[x - u/2, x + u/2]/s` (nearest), :math:`[x, x + u]/s`
    (truncate) or their union (any), outward by two ulps and clipped to the domain; see the
    module docstring for the conventions and the one tolerance of :meth:`contains`.
    """

    text: str
    number: float | None
    decimals: int = 0
    scale: float = 1.0
    unit: str | None = None
    kind: Kind = "number"
    relation: Relation = "="

    @property
    def value(self) -> float | None:
        """The true-scale value (``0.68`` for ``"68%"``); ``None`` when not reached."""
        return None if self.number is None else self.number / self.scale

    @property
    def reached(self) -> bool:
        """False for a number printed as not reached / not estimable (``NR``)."""
        return self.number is not None

    @property
    def domain(self) -> tuple[float, float]:
        """The values a number of this kind can take (``[0, 1]`` for a probability)."""
        return _DOMAINS[self.kind]

    def interval(self, rounding: Rounding = "nearest") -> tuple[float, float]:
        """Closed interval (true scale) of values printing as this number under ``rounding``.

        A number printed as not reached gives the whole domain; ``"< x"`` gives
        ``[domain low, x]`` and ``"> x"`` ``[x, domain high]`` under every convention.
        """
        check_rounding(rounding)
        d0, d1 = self.domain
        if self.number is None:
            return d0, d1
        if self.relation in ("<", "<="):
            lo, hi = d0, _outward(self.number / self.scale, self.number / self.scale)[1]
        elif self.relation in (">", ">="):
            lo, hi = _outward(self.number / self.scale, self.number / self.scale)[0], d1
        else:
            u = 10.0 ** (-self.decimals)
            x = self.number
            lo = x - u / 2 if rounding in ("nearest", "any") else x
            hi = x + u / 2 if rounding == "nearest" else x + u
            lo, hi = _outward(lo / self.scale, hi / self.scale)
        return max(lo, d0), min(hi, d1)

    def contains(self, x: ArrayLike, rounding: Rounding = "nearest") -> NDArray[np.bool_]:
        """Whether true values ``x`` print as this number (vectorised, :func:`within`).

        For a number printed as not reached, exactly the NaN entries of ``x`` (an undefined
        value, such as a median the curve never reaches) are inside.
        """
        if self.number is None:
            return np.asarray(np.isnan(np.asarray(x, dtype=np.float64)), dtype=bool)
        lo, hi = self.interval(rounding)
        return within(x, lo, hi)

    def conventions_of(self, x: float) -> tuple[Convention, ...]:
        """The conventions under which the true value ``x`` prints as this number."""
        return tuple(c for c in CONVENTIONS if bool(self.contains(x, c)))

    def render(self, x: float, convention: Convention = "nearest") -> str:
        """How a program using ``convention`` prints the true value ``x`` with these decimals.

        Nearest uses Python's (and R ``sprintf``'s) correctly rounded binary-to-decimal
        conversion; truncation drops the digits beyond ``decimals``. NaN prints ``"NR"``.
        """
        if math.isnan(x):
            return "NR"
        y = x * self.scale
        if convention == "truncate":
            q = Decimal(repr(y)).quantize(Decimal(1).scaleb(-self.decimals), rounding="ROUND_DOWN")
            return f"{q:f}"
        return f"{y:.{self.decimals}f}"

    def __str__(self) -> str:
        return self.text


_RELATION: Final[re.Pattern[str]] = re.compile(
    r"^(?P<op><=|>=|<|>|\u2264|\u2265|=)?\s*(?P<rest>.*)$"
)
_UNIT_SUFFIX: Final[re.Pattern[str]] = re.compile(
    rf"\s*(?P<unit>{UNIT_WORDS})\.?\s*$", re.IGNORECASE
)


def parse_printed(
    text: object,
    *,
    name: str,
    kind: Kind = "number",
    percent: bool | None = None,
    not_reached: bool = True,
) -> Printed:
    """Parse one printed number: ``"15.1"``, ``"68%"``, ``"68,5"``, ``"NR"``, ``"<.001"``.

    Parameters
    ----------
    text : str, int or float
        The number as printed. A float is read through its shortest repr (``0.5`` -> one
        decimal), so pass strings to keep printed trailing zeros (``"24.0"``).
    name : str
        What the number is, for error messages (``"median OS"``, ``"landmarks[0].text"``).
    kind : {"probability", "time", "ratio", "p_value", "number"}
        ``"probability"``: a ``%`` sign, or a number above 1, means percent (above 100% is an
        error); ``"time"``: a unit word may follow (``"14.2 months"``), negative is an error;
        ``"ratio"``: must be positive; ``"p_value"``: must lie in [0, 1] and may carry a
        relation (``"< .001"``).
    percent : bool, optional
        Force (or forbid) reading a probability as a percentage.
    not_reached : bool
        Accept ``NR`` / ``NE`` / ``not reached`` (default); otherwise they are errors.

    Returns
    -------
    Printed

    Raises
    ------
    TypeError
        ``text`` is not a string or a number (a bool is not a number).
    ValueError
        Not a number, an ambiguous decimal comma, a value outside the kind's domain, or a
        relation on anything but a p-value. The message names ``name`` and the text.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise TypeError(f"{name} must be a printed number (string), got {text!r}")
    if isinstance(text, float):
        if not math.isfinite(text):
            raise ValueError(f"{name}: {text!r} is not a finite number")
        raw = repr(text)
    else:
        raw = str(text)
    s = normalize(raw).strip()
    if not s:
        raise ValueError(f"{name}: an empty text is not a printed number")
    if is_not_reached(s):
        if not not_reached:
            raise ValueError(f"{name}: {raw!r} (not reached) is not allowed here")
        return Printed(s, None, 0, 100.0 if percent else 1.0, None, kind)
    rel_m = _RELATION.match(s)
    assert rel_m is not None  # the pattern matches every string
    op = rel_m.group("op") or "="
    body = rel_m.group("rest").strip()
    relation = cast(Relation, {"\u2264": "<=", "\u2265": ">="}.get(op, op))
    if relation != "=" and kind != "p_value":
        raise ValueError(f"{name}: {raw!r}: a relation ({op}) is only allowed on a p-value")
    unit: str | None = None
    um = _UNIT_SUFFIX.search(body)
    if um is not None and um.start() > 0:
        if kind not in ("time", "number"):
            raise ValueError(f"{name}: {raw!r} carries a time unit but is a {kind}")
        unit = UNITS[um.group("unit").lower().rstrip(".")]
        body = body[: um.start()].strip()
    pct = body.endswith("%")
    if pct:
        if kind not in ("probability", "number"):
            raise ValueError(f"{name}: {raw!r}: a {kind} cannot carry a % sign")
        body = body[:-1].strip()
    if has_decimal_comma(body):
        body = decomma(body)
    if re.fullmatch(NR, body, re.IGNORECASE):
        raise ValueError(f"{name}: {raw!r} is not a printed number")
    try:
        d = Decimal(body)
    except InvalidOperation:
        raise ValueError(f"{name}: {raw!r} is not a printed number") from None
    if not d.is_finite():
        raise ValueError(f"{name}: {raw!r} is not a finite number")
    exp = d.as_tuple().exponent
    decimals = max(0, -int(exp)) if isinstance(exp, int) else 0
    x = float(d)
    scale = 1.0
    if kind == "probability":
        as_pct = percent if percent is not None else (pct or x > 1.0)
        if pct and percent is False:
            raise ValueError(f"{name}: {raw!r} has a % sign but a fraction was expected")
        scale = 100.0 if as_pct else 1.0
        if not 0.0 <= x <= scale:
            top = "100%" if as_pct else "1"
            raise ValueError(f"{name}: {raw!r} is not a probability in [0, {top}]")
        unit = "percent" if as_pct else None
    elif pct:
        scale, unit = 100.0, "percent"
    if kind == "time" and x < 0:
        raise ValueError(f"{name}: {raw!r}: a time cannot be negative")
    if kind == "ratio" and x <= 0:
        raise ValueError(f"{name}: {raw!r}: a ratio must be positive")
    if kind == "p_value" and not 0.0 <= x / scale <= 1.0:
        raise ValueError(f"{name}: {raw!r}: a p-value must lie in [0, 1]")
    return Printed(s, x, decimals, scale, unit, kind, relation)
