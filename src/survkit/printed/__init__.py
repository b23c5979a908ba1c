"""Printed numbers: one type for a number as a paper prints it, and its rounding intervals.

A printed number stands for every true value that prints that way; which values those are
depends on the rounding convention (``"nearest"``: half-up or half-even, ``"truncate"``), and a
paper uses one convention for all its numbers. Every survkit layer parses a printed number
once, at its boundary (spec load, CLI, API), into :class:`Printed`, and judges it with the one
membership test :func:`within` (one documented :data:`TOLERANCE`, intervals rounded outward).

Public API
----------
Numbers (:mod:`survkit.printed.number`)
    :class:`Printed` (``text``, ``number``, ``value``, ``decimals``, ``scale``, ``unit``,
    ``kind``, ``relation``; ``interval(rounding)``, ``contains(x, rounding)``,
    ``conventions_of(x)``, ``render(x, convention)``);
    ``parse_printed(text, *, name, kind="number", percent=None, not_reached=True)``;
    :func:`rounding_interval`, :func:`within`, :func:`check_rounding`, :func:`conventions`;
    types ``Rounding`` (``"any" | "nearest" | "truncate"``), ``Convention``
    (``"nearest" | "truncate"``), ``Kind``, ``Relation``; constants ``CONVENTIONS``,
    ``ROUNDINGS``, ``TOLERANCE``.
Endpoints (:mod:`survkit.printed.endpoint`)
    :class:`Reported` (three :class:`Printed` -- ``point``, ``low``, ``high`` -- with
    ``label``, ``time``, ``time_unit``, ``conf_level``, ``kind``, ``rounding``;
    ``intervals(convention)``, vectorised ``contains(est, lo, hi, convention)``,
    ``conventions_of(est, lo, hi)``); ``parse_endpoint(text, *, rounding="any")``;
    ``reported_from_numbers(estimate, lower, upper, ...)``; ``text_kind(text)`` (dispatch:
    ``"hazard_ratio" | "survival" | "time"``).
Hazard ratios (:mod:`survkit.printed.hazard_ratio`)
    :class:`HazardRatio`, ``parse_hazard_ratio(text)``, ``parse_p_value(text)``,
    ``is_hazard_ratio_text(text)``.

Example
-------
>>> from survkit.printed import parse_printed, parse_endpoint
>>> p = parse_printed("54%", name="DFS", kind="probability")
>>> p.interval("nearest"), p.interval("truncate")  # doctest: +SKIP
((0.535, 0.545), (0.54, 0.55))
>>> rep = parse_endpoint("1-year OS 68% (95% CI, 43-100)")
>>> rep.label, rep.time, rep.conventions
('OS', 1.0, ('nearest', 'truncate'))
"""

from survkit.printed.endpoint import (
    FORMATS_HELP,
    Reported,
    TextKind,
    parse_endpoint,
    reported_from_numbers,
    text_kind,
)
from survkit.printed.hazard_ratio import (
    HazardRatio,
    is_hazard_ratio_text,
    parse_hazard_ratio,
    parse_p_value,
)
from survkit.printed.number import (
    CONVENTIONS,
    ROUNDINGS,
    TOLERANCE,
    Convention,
    Kind,
    Printed,
    Relation,
    Rounding,
    check_rounding,
    conventions,
    parse_printed,
    rounding_interval,
    within,
)

__all__ = [
    "CONVENTIONS",
    "FORMATS_HELP",
    "ROUNDINGS",
    "TOLERANCE",
    "Convention",
    "HazardRatio",
    "Kind",
    "Printed",
    "Relation",
    "Reported",
    "Rounding",
    "TextKind",
    "check_rounding",
    "conventions",
    "is_hazard_ratio_text",
    "parse_endpoint",
    "parse_hazard_ratio",
    "parse_p_value",
    "parse_printed",
    "reported_from_numbers",
    "rounding_interval",
    "text_kind",
    "within",
]
