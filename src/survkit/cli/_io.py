"""Small I/O helpers shared by the subcommands."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")


class UsageError(Exception):
    """A problem with the command-line input; reported in one line with exit code 2."""


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` only on success.

    Use for writers that want a file name (``fig.savefig(tmp)``, ``df.to_csv(tmp)``).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[str]], None]) -> None:
    """Write a text file through ``write(handle)`` atomically (temp file + rename)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        write(fh)


def parse_list(
    text: str, name: str, convert: Callable[[str], T] = float, what: str = "a number"  # type: ignore[assignment]
) -> list[T]:
    """Parse ``"6,12,24"`` with ``convert``; raise :class:`UsageError` naming ``name`` otherwise."""
    out: list[T] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(convert(part))
        except ValueError:
            raise UsageError(f"{name}: {part!r} is not {what}") from None
    if not out:
        raise UsageError(f"{name}: no numbers given")
    return out


def parse_float_list(text: str, name: str) -> list[float]:
    """Parse ``"6,12,24"`` into floats (see :func:`parse_list`)."""
    return parse_list(text, name, float, "a number")
