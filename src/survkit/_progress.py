"""A minimal progress bar on standard error, shown only for long runs on a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T], *, total: int | None = None, desc: str = "", enabled: bool | None = None
) -> Iterator[T]:
    """Yield ``items`` while drawing ``desc [#####.....] k/total`` on stderr.

    ``enabled=None`` shows the bar only when stderr is a terminal, so logs and CI stay clean.
    """
    show = sys.stderr.isatty() if enabled is None else enabled
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    last = 0.0
    k = 0
    for k, item in enumerate(items, 1):
        yield item
        now = time.monotonic()
        if show and (now - last > 0.1 or k == total):
            last = now
            if total:
                filled = int(30 * k / total)
                sys.stderr.write(f"\r{desc} [{'#' * filled}{'.' * (30 - filled)}] {k}/{total}")
            else:
                sys.stderr.write(f"\r{desc} {k}")
            sys.stderr.flush()
    if show and k:
        sys.stderr.write("\n")
        sys.stderr.flush()
