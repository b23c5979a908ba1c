"""Patient statuses at the data cutoff: one :class:`Status` enumeration and its event flags."""

from __future__ import annotations

from enum import IntEnum
from typing import Final

import numpy as np


class Status(IntEnum):
    """A patient's status at cutoff (the integer codes of ``patients.csv``'s ``status`` column).

    The codes index :data:`HAS_RELAPSE` and :data:`HAS_DEATH`, so ``HAS_DEATH[status]`` works
    on whole arrays of codes.
    """

    EVENT_FREE = 0
    """alive without relapse"""
    RELAPSED_ALIVE = 1
    """relapsed (progressed), alive at cutoff"""
    RELAPSED_DIED = 2
    """relapsed, then died"""
    DIED = 3
    """died without a prior relapse"""

    @property
    def label(self) -> str:
        """Readable name, as in the report's data dictionary."""
        return STATUS_NAMES[int(self)]


#: Readable names of the statuses, by code.
STATUS_NAMES: Final[tuple[str, ...]] = (
    "event-free alive",
    "relapsed, alive",
    "relapsed, then died",
    "died without relapse",
)
#: ``HAS_RELAPSE[code]``: whether the status includes a relapse.
HAS_RELAPSE: Final = np.array([False, True, True, False])
#: ``HAS_DEATH[code]``: whether the status includes a death.
HAS_DEATH: Final = np.array([False, False, True, True])
