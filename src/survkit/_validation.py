"""Input validation shared by every public function.

Each helper raises ``TypeError`` (wrong kind of object) or ``ValueError`` (right kind,
wrong value) with a message that names the argument and the first offending position, so a
user can find the bad row at once. Nothing here warns, and nothing touches numpy's global
error state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def _at(name: str, i: object, rows: bool) -> str:
    """``name[i]`` for arrays, ``row i`` for DataFrame columns (``rows=True``)."""
    return f"row {i}" if rows else f"{name}[{i}]"


def _first_index(mask: NDArray[np.bool_]) -> tuple[int, ...] | int:
    idx = np.argwhere(mask)[0]
    return int(idx[0]) if idx.size == 1 else tuple(int(i) for i in idx)


def as_float_array(
    x: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] = 1,
    allow_nan: bool = False,
    nonnegative: bool = False,
    allow_empty: bool = False,
    rows: bool = False,
) -> NDArray[np.float64]:
    """Convert ``x`` to a float64 array and check it.

    Raises ``TypeError`` for non-numeric input and ``ValueError`` for a wrong shape, an
    empty array, NaN (unless ``allow_nan``), infinity, or a negative value (with
    ``nonnegative``), naming ``name`` and the first offending index (``row i`` with
    ``rows=True``, for DataFrame columns).
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be numeric array-like, got a string")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be numeric array-like: {exc}") from None
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric; got non-numeric values") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim == 0 and 1 in ndims:
        arr = arr.reshape(1)
    if arr.ndim not in ndims:
        raise ValueError(f"{name} must be {' or '.join(f'{d}-D' for d in ndims)}, got {arr.ndim}-D")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty")
    nan = np.isnan(arr)
    if not allow_nan and nan.any():
        raise ValueError(f"{name} has NaN at {_at(name, _first_index(nan), rows)}")
    inf = np.isinf(arr)
    if inf.any():
        raise ValueError(f"{name} has an infinite value at {_at(name, _first_index(inf), rows)}")
    if nonnegative:
        neg = arr < 0
        if neg.any():
            i = _first_index(neg)
            at = _at(name, i, rows)
            raise ValueError(f"{name} must be non-negative; {at} = {arr[i].item()!r}")
    return arr


def as_event_array(
    x: Any, name: str = "event", *, ndim: int = 1, rows: bool = False
) -> NDArray[np.bool_]:
    """Convert an event indicator (bool or numbers 0/1) to a boolean array.

    Raises ``ValueError`` naming the first value that is neither 0 nor 1 (NaN included).
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of 0/1 or booleans, got a string")
    arr = np.asarray(x)
    if arr.ndim == 0 and ndim == 1:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got {arr.ndim}-D")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if arr.dtype == bool:
        return arr
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must contain 0/1 or booleans") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must contain 0/1 or booleans, got dtype {arr.dtype}")
    bad = ~((arr == 0) | (arr == 1))
    if bad.any():
        i = _first_index(bad)
        raise ValueError(f"{name} must be 0/1 or boolean; {_at(name, i, rows)} = {arr[i].item()!r}")
    return arr.astype(bool)


def check_same_length(**arrays: NDArray[Any]) -> int:
    """Check that all arrays have the same first dimension; return it."""
    names = list(arrays)
    n = len(arrays[names[0]])
    for other in names[1:]:
        if len(arrays[other]) != n:
            raise ValueError(
                f"{other} has length {len(arrays[other])} but {names[0]} has length {n}"
            )
    return n


def check_patients(n: object, name: str = "n") -> int:
    """A number of patients: an integer >= 1 (``TypeError`` for a non-integer)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {n!r}")
    if n < 1:
        raise ValueError(f"{name} must be >= 1, got {n}")
    return int(n)


def check_limit(value: object, name: str) -> int:
    """A cap on how many things are listed: a non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return value
