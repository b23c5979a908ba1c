"""Former home of the printed-endpoint parser; it now lives in :mod:`survkit.printed`.

Kept so that ``from survkit.check.parse import parse_endpoint`` (and ``Reported``,
``reported_from_numbers``, ``rounding_interval``, ``Rounding``, ``ROUNDINGS``) keep working.
"""

from survkit.printed import (
    FORMATS_HELP,
    ROUNDINGS,
    Reported,
    Rounding,
    parse_endpoint,
    reported_from_numbers,
    rounding_interval,
)

__all__ = [
    "FORMATS_HELP",
    "ROUNDINGS",
    "Reported",
    "Rounding",
    "parse_endpoint",
    "reported_from_numbers",
    "rounding_interval",
]
