"""Reuse of the large blocks of memory that Kaplan-Meier fits are made in.

A fit of ``n`` distinct times is written into one block of about ``7 n`` doubles (its
result arrays are rows of it; ``10 n`` weighted), its confidence limits into one of ``2 m``;
the grid codes of tied times and the merge of entry and stop times need blocks of ``n``
and ``2 n`` for the time of the fit. Fresh memory from the operating system costs a page fault
per page on first touch, the kernel zeroing it: about 4 us per 4 KiB page here, some
5 ms for the 56 MB of a fit at n = 1e6. The C allocator gives such a block fresh memory
every time: blocks over 32 MiB are always mapped anew, and smaller ones whenever the top
of the heap was given back -- as it is after another library's fit freed its memory, which
is why a fit right after a peer's fit paid the page faults that a loop of fits did not,
and as it was within one fit of tied times, whose scratch arrays of 800 KB at n = 1e5 came
and went (554 page faults per fit). Blocks from 64 KiB up are kept.

:func:`empty` keeps the most recent blocks (at most :data:`MAX_BYTES` in all) and hands
one out again once nothing refers to it any more -- no fit result, no array viewing it --
found by its reference count: every view of a block refers to the block itself. A block
is never handed out while any array still uses it, so results are unchanged; the memory
kept is at most :data:`MAX_BYTES` beyond what live fits hold. :func:`clear` gives it back.

:data:`MAX_BYTES` is an eighth of the machine's physical memory, at least 256 MiB and at
most 4 GiB (3 GiB on 24 GiB), so that the blocks of fits of 1e7 rows are kept too (560 MB
unweighted, 800 MB weighted, 560 + 160 MB with entry times; about 1.6 GB for one fit of
each kind in turn): fresh memory for them cost as much as the fit's sort (0.07 s of the
kernel zeroing huge pages per 560 MB at best, up to 0.9 s when the pages are new to a
virtual machine's host). :func:`set_max_bytes` changes it.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["MAX_BYTES", "clear", "default_max_bytes", "empty", "kept_bytes", "set_max_bytes"]

#: Bounds of the default :data:`MAX_BYTES` (an eighth of the physical memory).
_LEAST, _MOST = 1 << 28, 1 << 32


def default_max_bytes() -> int:
    """An eighth of the physical memory, within [256 MiB, 4 GiB] (256 MiB if unknown)."""
    try:
        phys = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):  # not a POSIX system
        return _LEAST
    return max(_LEAST, min(_MOST, phys // 8))


#: Largest total size of the blocks kept for reuse (bytes); larger blocks are never kept.
MAX_BYTES = default_max_bytes()
#: Smaller blocks are left to the C allocator (its heap reuses them without page faults).
_MIN_BYTES = 1 << 16

_lock = threading.Lock()
_kept: list[NDArray[np.float64]] = []


def empty(size: int, dtype: Any = np.float64) -> NDArray[Any]:
    """``np.empty(size, dtype)``, in a kept block of that size when one is free.

    The array returned (a view of the block, for a ``dtype`` other than float64) is referred
    to by the caller alone (besides this module's list); its contents are arbitrary, as
    with :func:`numpy.empty`.
    """
    dt = np.dtype(dtype)
    if dt == np.float64:
        return _block(size)
    words = -(-size * dt.itemsize // 8)
    return _block(words).view(dt)[:size]


def _block(size: int) -> NDArray[np.float64]:
    """A float64 block of ``size`` (see :func:`empty`)."""
    nbytes = 8 * size
    if nbytes < _MIN_BYTES or nbytes > MAX_BYTES:
        return np.empty(size)
    with _lock:
        for i in range(len(_kept)):
            # 2: the list's reference and getrefcount's argument -- no array uses it
            if _kept[i].size == size and sys.getrefcount(_kept[i]) == 2:
                block = _kept.pop(i)
                _kept.append(block)  # the most recent at the end
                return block
    block = np.empty(size)
    with _lock:
        _kept.append(block)
        total = sum(b.nbytes for b in _kept)
        while total > MAX_BYTES:  # forget the oldest (a fit still using it keeps it alive)
            total -= _kept.pop(0).nbytes
    return block


def kept_bytes() -> int:
    """Bytes of the blocks kept (in use by live fits or free for reuse)."""
    with _lock:
        return sum(b.nbytes for b in _kept)


def set_max_bytes(nbytes: int | None) -> None:
    """Keep at most ``nbytes`` bytes of blocks (``None``: :func:`default_max_bytes`; 0: none).

    Blocks beyond the new bound are forgotten at once, the oldest first. Raises
    ``TypeError``/``ValueError`` unless ``nbytes`` is a non-negative integer or ``None``.
    """
    global MAX_BYTES
    if nbytes is not None and (isinstance(nbytes, bool)
                               or not isinstance(nbytes, (int, np.integer))):
        raise TypeError(f"nbytes must be a non-negative integer or None, got {nbytes!r}")
    if nbytes is not None and nbytes < 0:
        raise ValueError(f"nbytes must be a non-negative integer or None, got {nbytes!r}")
    with _lock:
        MAX_BYTES = default_max_bytes() if nbytes is None else int(nbytes)
        total = sum(b.nbytes for b in _kept)
        while _kept and total > MAX_BYTES:
            total -= _kept.pop(0).nbytes


def clear() -> None:
    """Forget every kept block (the memory of those no fit uses is given back)."""
    with _lock:
        _kept.clear()
