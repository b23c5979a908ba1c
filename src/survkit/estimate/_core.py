"""Array kernels of the Kaplan-Meier estimator (no validation, no result objects).

Kept apart from :mod:`survkit.estimate.km` so that the batched engine, the reverse-KM
follow-up and the log-rank test share one implementation of the counting.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.estimate import workspace
from survkit.estimate.threads import (
    MERGE_PART,
    PARALLEL_MIN,
    get_num_threads,
    merge_runs,
    parallel,
    sort_inplace,
    spans,
    take,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Counts:
    """Risk-set counts at the distinct stop times, in increasing order."""

    time: FloatArray
    n_risk: FloatArray
    n_event: FloatArray
    n_censor: FloatArray


#: Sample size of the tie estimate that picks the counting method.
_SAMPLE = 4096
#: Hash counting is chosen when fewer than ``n / _HASH_RATIO`` distinct times are expected.
_HASH_RATIO = 8.0
_ONE = np.uint64(1)
_LITTLE = sys.byteorder == "little"


def many_ties(x: FloatArray) -> bool:
    r"""Whether ``x`` has few enough distinct values for hash counting to beat sorting.

    A fixed pseudo-random sample of :math:`s` values (with replacement) is drawn and its
    distinct values :math:`u` counted. With :math:`m` distinct values equally frequent,
    :math:`E[u] = m (1 - e^{-s/m})`, increasing in :math:`m`; hash counting is chosen when
    :math:`u` is below that expectation at :math:`m = n / 8` (the measured cross-over: a hash
    pass costs about as much as one sort once :math:`m` reaches :math:`n / 4`). The sample is
    deterministic, so the same data always take the same path (both give identical counts).
    Below ``2 * 4096`` values, sorting is always chosen.
    """
    n = x.size
    if n < 2 * _SAMPLE:
        return False  # a sort of a few thousand values beats the hash pass's set-up
    sample = x[_sample_index(n)]  # a fresh copy: sorted in place
    sample.sort()
    u = 1 + int(np.count_nonzero(sample[1:] != sample[:-1]))
    m = n / _HASH_RATIO
    return bool(u < m * -np.expm1(-_SAMPLE / m))


@lru_cache(maxsize=8)
def _sample_index(n: int) -> NDArray[np.intp]:
    """The positions :func:`many_ties` samples among ``n`` (drawn once per ``n``)."""
    idx = np.random.default_rng(0x5EED).integers(0, n, _SAMPLE).astype(np.intp)
    idx.flags.writeable = False
    return idx


Tally = tuple[FloatArray, FloatArray, "FloatArray | None"]


@dataclass(frozen=True)
class RowCells:
    """Where each row's value sits among a tally's distinct values (kept on request).

    Either ``cell`` (per row, the index of its value) or, when every value is distinct and
    the rows were sorted, ``order`` (the rows in increasing value: row ``order[k]`` is cell
    ``k``) with the event flags and weights in that order.
    """

    cell: NDArray[np.intp] | None = None
    order: NDArray[np.intp] | None = None
    event: BoolArray | None = None
    weights: FloatArray | None = None

    def index(self) -> NDArray[np.intp]:
        """Each row's cell."""
        if self.cell is not None:
            return self.cell
        assert self.order is not None
        j = np.empty(self.order.size, dtype=np.intp)
        j[self.order] = np.arange(self.order.size)
        return j


#: Where a tally puts, on request, each row's cell (see :class:`RowCells`).
Cells = list[RowCells]


def _tally_hash(
    time: FloatArray, event: BoolArray | None, weights: FloatArray | None,
    cells: Cells | None = None,
) -> Tally:
    """Counts by hashing the times (:func:`pandas.factorize`, then one :func:`numpy.bincount`)."""
    codes, uniq = pd.factorize(time)
    m = uniq.size
    cell = codes.astype(np.intp, copy=False)
    if event is not None:
        np.multiply(cell, 2, out=cell)
        np.add(cell, event, out=cell, casting="unsafe")
    k = 2 if event is not None else 1
    tab = np.bincount(cell, weights=weights, minlength=k * m).reshape(m, k)
    order = np.argsort(uniq)
    tab = tab[order].astype(np.float64, copy=False)
    ut = np.asarray(uniq, dtype=np.float64)[order]
    if cells is not None:
        rank = np.empty(m, dtype=np.intp)
        rank[order] = np.arange(m)
        if event is not None:
            cell >>= 1
        cells.append(RowCells(cell=rank[cell]))
    if event is None:
        return ut, tab[:, 0].copy(), None
    return ut, tab[:, 0].copy(), tab[:, 1].copy()


def _whole_codes(
    time: FloatArray, bounds: tuple[float, float] | None = None
) -> NDArray[np.intp] | None:
    """``time`` as bin numbers when all are whole numbers in ``[0, max(65536, n / 4))``
    (``bounds``: ``time``'s min and max, when known)."""
    n = time.size
    lo, hi = (float(time.min()), float(time.max())) if bounds is None else bounds
    if lo < 0.0 or hi >= max(65536.0, n / 4.0):
        return None
    if n >= 2 * _SAMPLE:  # a sample first: times with decimals fail it without a full pass
        sample = time[_sample_index(n)]
        if not np.array_equal(np.trunc(sample), sample):
            return None
    codes = workspace.empty(n, np.intp)
    return codes if _codes_into(time, 1.0, codes) else None


def _codes_into(
    x: FloatArray, scale: float, out: NDArray[np.intp], clip: float | None = None,
    add: int = 0,
) -> bool:
    """Write ``rint(x * scale)`` (``x`` itself truncated when ``scale`` is 1) into ``out`` as
    integers; whether ``code / scale`` gives back every ``x`` bit for bit (``code == x`` when
    ``scale`` is 1). Block by block in cache, stopping at the first block that fails: the
    same values as the whole-array expressions, without their temporaries. With ``clip``,
    ``maximum(x, clip)`` in place of ``x``; ``add`` is added to every code afterwards."""
    n = x.size
    k = min(_BLOCK, n)
    f = workspace.empty(k)
    g = workspace.empty(k) if scale != 1.0 else f
    c = workspace.empty(k) if clip is not None else f
    eq = workspace.empty(k, np.bool_)
    for a in range(0, n, k):
        b = min(a + k, n)
        xb, ob, fb, gb, qb = x[a:b], out[a:b], f[: b - a], g[: b - a], eq[: b - a]
        if clip is not None:
            xb = np.maximum(xb, clip, out=c[: b - a])
        if scale == 1.0:
            np.trunc(xb, out=fb)  # what astype(np.intp) gives
            np.equal(fb, xb, out=qb)
        else:
            np.multiply(xb, scale, out=fb)
            np.rint(fb, out=fb)
            np.equal(np.divide(fb, scale, out=gb), xb, out=qb)
        if not qb.all():
            return False
        # the whole numbers in fb (|v| < 2^51) to integers: v + 1.5 * 2^52 has the unit in
        # its last place, so its bits are those of 1.5 * 2^52 plus v (faster than a cast)
        np.add(fb, _MAGIC + add, out=fb)
        np.subtract(fb.view(np.int64), _MAGIC_BITS, out=ob, casting="unsafe")
    return True


#: 1.5 * 2^52 and its bits: see :func:`_codes_into`.
_MAGIC = 6755399441055744.0
_MAGIC_BITS = np.float64(_MAGIC).view(np.int64)


#: Decimal places tried by :func:`_decimal_codes` (times printed with 1-3 decimals).
_DECIMALS = (1, 2, 3)


def _decimal_codes(
    time: FloatArray, bounds: tuple[float, float] | None = None
) -> tuple[NDArray[np.intp], float] | None:
    """``(codes, 10**k)`` when every time is exactly ``code / 10**k`` for whole ``code``.

    Times rounded to ``k`` decimals (``np.round(x, 2)``, or read from a table) are the
    doubles nearest ``code / 10**k``; when ``code / 10**k`` computed in float64 gives back
    every time bit for bit, the codes number the distinct times in order (equal codes give
    equal times, and distinct codes distinct ones), so they can be counted by direct
    addressing like whole numbers. ``k`` is guessed on a sample, then checked on all rows.
    ``bounds``: ``time``'s min and max, when known.
    """
    n = time.size
    lo, hi = (float(time.min()), float(time.max())) if bounds is None else bounds
    if lo < 0.0:
        return None
    sample = time[_sample_index(n)] if n >= 2 * _SAMPLE else time
    for k in _DECIMALS:
        scale = 10.0**k
        if hi * scale >= max(65536.0, n / 4.0):
            return None
        s = np.rint(sample * scale)
        if not np.array_equal(s / scale, sample):
            continue
        codes = workspace.empty(n, np.intp)
        return (codes, scale) if _codes_into(time, scale, codes) else None
    return None


def _tally_bins(
    codes: NDArray[np.intp], event: BoolArray | None, weights: FloatArray | None,
    cells: Cells | None = None, scale: float = 1.0,
) -> Tally:
    """Counts of whole-number times by direct addressing: one :func:`numpy.bincount`.

    Weights are summed in index order within each cell, as in the other two methods. With
    ``scale`` the times are ``codes / scale`` (see :func:`_decimal_codes`).
    """
    nb = int(codes.max()) + 1
    k = 2 if event is not None else 1
    cell = codes
    if event is not None:
        np.multiply(cell, 2, out=cell)
        np.add(cell, event, out=cell, casting="unsafe")
    tab = np.bincount(cell, weights=weights, minlength=k * nb).reshape(nb, k)
    # a time is present when it has a row (a time whose rows all weigh 0 is still a time of
    # the fit, as in R); the columns of counts OR'ed, not summed along rows (10x faster)
    rows = tab if weights is None else np.bincount(cell, minlength=k * nb).reshape(nb, k)
    present = rows[:, 0] != 0 if k == 1 else (rows[:, 0] | rows[:, 1]) != 0
    at = np.flatnonzero(present)
    ut = at.astype(np.float64)
    if scale != 1.0:
        ut /= scale  # the operation that gave back every time in _decimal_codes
    if cells is not None:
        if event is not None:
            cell >>= 1
        cells.append(RowCells(cell=(np.cumsum(present) - 1)[cell]))
    # each column gathered on its own: a gather of the rows of two is 4x slower
    first = tab[:, 0][at].astype(np.float64, copy=False)
    if event is None:
        return ut, first, None
    return ut, first, tab[:, 1][at].astype(np.float64, copy=False)


def _grid(time: FloatArray) -> tuple[NDArray[np.intp], float, int] | None:
    """``(codes, scale, nb)`` with ``time == codes / scale`` bit for bit
    (:func:`_whole_codes`, scale 1, else :func:`_decimal_codes`) and ``nb`` the largest code
    plus one (the code of the largest time: ``rint(x * scale)`` does not decrease in ``x``),
    or ``None`` when the times are on no such grid."""
    bounds = float(time.min()), float(time.max())
    n = time.size
    sample = time[_sample_index(n)] if n >= 2 * _SAMPLE else time
    if np.array_equal(np.trunc(sample), sample):  # whole numbers, at least in the sample
        codes = _whole_codes(time, bounds)
        if codes is not None:
            return codes, 1.0, int(bounds[1]) + 1
    dec = _decimal_codes(time, bounds)
    if dec is None:
        return None
    return dec[0], dec[1], int(np.rint(bounds[1] * dec[1])) + 1


def _entry_bins(
    entry: FloatArray, scale: float, weights: FloatArray | None
) -> tuple[NDArray[np.intp], int] | None:
    r"""Bins of the entry times on the stop times' grid ``code / scale``: ``(bins, shift)``
    such that an entry :math:`a` is before the stop time of code :math:`c`
    (:math:`a < c / s`) exactly when its bin is below ``c + shift``; ``None`` when some entry
    is off the grid.

    Whole-number times (``scale`` 1): :math:`a < c \iff \lfloor a \rfloor < c` for every
    real :math:`a` and integer :math:`c`, so the bin is :math:`\lfloor a \rfloor` -- any
    entry time, no check (with weights that are not whole numbers: whole entry times
    only). With decimals each entry must be ``code / scale`` bit for bit (as
    :func:`_decimal_codes` checks the times); then :math:`a < c / s \iff` its code is below
    :math:`c`. Entries before 0 (before every stop time) share bin 0 and the others move up
    one (``shift`` 1). Rows of different entry times share a bin (entries before 0, or
    between two whole numbers) only when the sums are exact (no weights, or whole-number
    weights), so that the counts keep every bit.
    """
    lo = float(entry.min())  # entry < time (checked by the caller): every bin is < nb + shift
    # whether the sums in one bin are exact (integers below 2^53): then rows of different
    # entry values may share a bin without changing a bit of the counts
    exact = (lo < 0.0 or scale == 1.0) and (
        weights is None or (not non_integer(weights) and float(weights.sum()) < 2.0**53))
    shift = 0
    clip = None
    if lo < 0.0:
        if not exact:
            return None
        clip = -1.0 / scale  # every entry before 0 at code -1, then all codes up by one
        shift = 1
    bins = workspace.empty(entry.size, np.intp)
    if scale == 1.0 and exact:
        if clip is None:
            np.copyto(bins, entry, casting="unsafe")  # truncation: the floor of a >= 0
        else:
            x = np.floor(np.maximum(entry, clip))
            np.copyto(bins, x, casting="unsafe")
            bins += 1
        return bins, shift
    if not _codes_into(entry, scale, bins, clip, shift):
        return None
    return bins, shift


def binned_fit(
    time: FloatArray, event: BoolArray, entry: FloatArray | None,
    weights: FloatArray | None, robust: bool,
) -> tuple[Counts, FloatArray, FloatArray, FloatArray] | None:
    r"""The counts and ``surv, std_err, std_err_log`` of a fit of tied times on a grid.

    For times that are whole numbers or have 1-3 decimals (:func:`_grid`; many ties), with
    weights and/or entry times: the rows are grouped once by (time, status) -- the cell
    ``2 code + event`` -- and every sum the fit needs is one :func:`numpy.bincount` over
    those cells: the weights (added in row order in each cell, as :func:`tally` does), with
    ``robust`` the squared weights, and the entries counted by the codes of the same grid.
    The bincounts are independent and run on the threads (numpy releases the GIL inside
    them). The counts, ``surv`` and Greenwood's SE are those of :func:`risk_counts` and
    :func:`greenwood_curve`, bit for bit; the IJ SE (``robust``, no entry) comes from the
    per-cell sums of squared weights (:func:`ij_std_err_cells`): the same formula as
    :func:`ij_std_err`, whose per-row sums it groups. ``None`` when the times (or the entry
    times) are not on one grid, or with ``robust`` and entry times (then the general path).
    """
    if robust and entry is not None:
        return None
    grid = _grid(time)
    if grid is None:
        return None
    codes, scale, nb = grid
    ecodes: NDArray[np.intp] | None = None
    shift = 0
    if entry is not None:
        eb = _entry_bins(entry, scale, weights)
        if eb is None:
            return None
        ecodes, shift = eb
    cell = codes  # a fresh array: the cell numbers are written in place
    np.multiply(cell, 2, out=cell)
    np.add(cell, event, out=cell, casting="unsafe")
    k2 = 2 * nb
    tasks: list[partial[NDArray[Any]]] = [
        partial(np.bincount, cell, weights=weights, minlength=k2)]
    # with positive weights a cell holds rows exactly when its weighted sum is > 0
    counted = weights is None or float(weights.min()) > 0.0
    if not counted:  # a time whose rows all weigh 0 is still a time of the fit (as in R)
        tasks.append(partial(np.bincount, cell, minlength=k2))
    if robust:
        assert weights is not None
        tasks.append(partial(_bincount_squares, cell, weights, k2))
    if ecodes is not None:
        tasks.append(partial(np.bincount, ecodes, weights=weights, minlength=nb + shift))
    sums = parallel(tasks) if time.size >= PARALLEL_MIN else [t() for t in tasks]
    tab = sums[0].reshape(nb, 2)
    at = 1 if counted else 2
    present = (tab if counted else sums[1].reshape(nb, 2)).sum(axis=1) > 0
    ut = np.flatnonzero(present).astype(np.float64)
    if scale != 1.0:
        ut /= scale  # the operation that gave back every time in _decimal_codes
    cells = tab[present].astype(np.float64, copy=False)
    c, d = cells[:, 0].copy(), cells[:, 1].copy()
    if ecodes is None:
        counts = risk_from_tally(ut, d, c)
    else:
        # risk_from_tally's numbers at risk with the entries counted per bin: adding the
        # empty bins' 0.0 changes no running sum, and a bin holds one entry value unless
        # its sums are exact integers (_entry_bins), so every running sum keeps its bits
        r = np.add(d, c)
        rev = r[::-1]
        np.add.accumulate(rev, out=rev)  # stop >= u: summed from the end, in place
        cum = np.concatenate(([0.0], np.cumsum(sums[at], dtype=np.float64)))
        entered = cum[np.flatnonzero(present) + shift]  # entry < u
        r = np.maximum(entered - (cum[-1] - r), 0)
        counts = Counts(ut, r, d, c)
    if not robust:
        return (counts, *greenwood_curve(counts.n_risk, counts.n_event))
    w2 = sums[at].reshape(nb, 2)[present]
    surv = km_product(counts.n_risk, counts.n_event)
    se = ij_std_err_cells(counts, w2[:, 0], w2[:, 1], surv)
    se_log = np.divide(se, surv, out=np.zeros_like(se), where=se != 0)
    return counts, surv, se, se_log


def _bincount_squares(cell: NDArray[np.intp], weights: FloatArray, k: int) -> NDArray[Any]:
    """The sums of the squared weights per cell (in row order within each cell)."""
    sq = np.square(weights, out=workspace.empty(weights.size))
    return np.bincount(cell, weights=sq, minlength=k)


def _tally_sorted_key(key: NDArray[np.uint64], flags: NDArray[Any] | None) -> Tally:
    """:func:`tally` of sorted time bits ``key`` (event ``flags`` 0/1 in the same order)."""
    n = key.size
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(key[1:], key[:-1], out=new[1:])
    ut_all = key.view(np.float64)
    if new.all():  # all distinct (continuous times): each cell is one subject
        if flags is None:
            return ut_all, np.ones(n), None
        d1 = flags.astype(np.float64)
        return ut_all, np.subtract(1.0, d1), d1
    starts = np.flatnonzero(new)
    m = starts.size
    ut = ut_all[starts]
    ends = np.empty(m, dtype=np.intp)
    ends[:-1] = starts[1:]
    ends[-1] = n
    tot = (ends - starts).astype(np.float64)
    if flags is None:
        return ut, tot, None
    # events per time: the cumulative event count at each group's last member
    ce = np.cumsum(flags, dtype=np.int64)
    ends -= 1
    c_end = ce[ends]
    d = np.empty(m)
    d[0] = c_end[0]
    np.subtract(c_end[1:], c_end[:-1], out=d[1:], casting="unsafe")
    return ut, np.subtract(tot, d, out=tot), d


def _all_distinct(key: NDArray[np.uint64]) -> bool:
    """Whether the sorted ``key`` has no two equal neighbours (checked block by block, in
    cache, stopping at the first tie)."""
    n = key.size
    k = min(_BLOCK, n)
    eq = workspace.empty(k, np.bool_)
    for a in range(1, n, k):
        b = min(a + k, n)
        if np.equal(key[a:b], key[a - 1 : b - 1], out=eq[: b - a]).any():
            return False
    return True


#: At most this many rows out of order after the packed sort are put right (else argsort).
_MAX_FIX = 1 << 16


def _stable_order(
    key: NDArray[np.uint64],
    out: tuple[NDArray[np.uint64], NDArray[np.uint64]] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.uint64]]:
    """``argsort(key, kind="stable")`` and ``key`` in that order, by one plain integer sort.

    An argsort moves (key, index) pairs and costs about 1.5 sorts; instead the row index is
    packed into the low ``b = bit_length(n - 1)`` bits of the key, whose top ``64 - b`` bits
    it replaces, and the packed integers are sorted (the fast vectorised sort of one array).
    That orders the rows by their key's top bits, then by index; rows whose keys differ only
    in the dropped bits (for the keys of :func:`_pack`, times within a relative ``2^(b-53)``
    of each other: 6 neighbours at n = 1e6 and 17,659 at n = 1e7 on the continuous data of
    ``benchmarks/bench_km.py``) are put right afterwards by sorting only the runs where the
    gathered keys decrease. Falls back to a stable argsort when more than ``_MAX_FIX`` rows
    are out of order. ``out``: two arrays the size of ``key`` for the packed keys (sorted in
    place, then the order) and the gathered keys (else allocated).
    """
    n = key.size
    b = max(1, (n - 1).bit_length())
    sh = np.uint64(b)
    if out is None:
        packed = key >> sh
    else:
        packed, kt_out = out
        np.right_shift(key, sh, out=packed)
    packed <<= sh
    _or_index(packed)
    packed = sort_inplace(packed)
    np.bitwise_and(packed, np.uint64((1 << b) - 1), out=packed)
    order = packed.view(np.intp)
    kt = key[order] if out is None else take(key, order, kt_out)
    if not _decreases(kt):
        return order, kt
    bad = np.flatnonzero(kt[1:] < kt[:-1])
    if bad.size > _MAX_FIX:
        order = np.argsort(key, kind="stable")
        return order, key[order]
    # the runs of equal top bits that hold a decrease: [lo, hi) in the (top-bit sorted) kt
    top = (kt[bad] >> sh) << sh
    lo = np.unique(np.searchsorted(kt, top, side="left"))
    hi = np.searchsorted(kt, (kt[lo] >> sh) + _ONE << sh, side="left")
    sizes = hi - lo
    run = np.repeat(np.arange(lo.size), sizes)
    pos = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes) + lo[run]
    sub = np.lexsort((order[pos], kt[pos], run))
    order[pos] = order[pos][sub]
    kt[pos] = kt[pos][sub]
    return order, kt


def _or_index(packed: NDArray[np.uint64]) -> None:
    """``packed |= np.arange(n)``, block by block (no index array of the rows' size)."""
    n = packed.size
    k = min(_BLOCK, n)
    steps = _steps(k, np.uint64)
    tmp = workspace.empty(k, np.uint64)
    for lo in range(0, n, k):
        hi = min(lo + k, n)
        idx = np.add(steps[: hi - lo], np.uint64(lo), out=tmp[: hi - lo])
        packed[lo:hi] |= idx


def _decreases(x: NDArray[np.uint64]) -> bool:
    """Whether some ``x[i + 1] < x[i]`` (block by block, stopping at the first)."""
    n = x.size
    k = min(_BLOCK, max(n - 1, 1))
    buf = workspace.empty(k, np.bool_)
    for lo in range(0, n - 1, k):
        hi = min(lo + k, n - 1)
        if np.less(x[lo + 1 : hi + 1], x[lo:hi], out=buf[: hi - lo]).any():
            return True
    return False


def _tally_sort(
    time: FloatArray, event: BoolArray | None, weights: FloatArray | None,
    cells: Cells | None = None,
) -> Tally:
    """Counts by one sort of a packed key: float64 bits of ``time >= 0``, event in the low bit.

    For non-negative doubles the IEEE-754 bit pattern, read as an unsigned integer, is
    increasing in the value, and the sign bit is 0; shifted left by one it leaves room for the
    event flag, so one integer sort orders by time (then event) and carries the flags along.
    Arrays are reused in place where possible: at n = 1e7 each fresh one costs page faults.
    ``cells`` (weighted only) receives each row's cell.
    """
    key = np.add(time, 0.0).view(np.uint64)  # a fresh copy; -0.0 -> 0.0
    if event is not None:
        key <<= _ONE
        np.bitwise_or(key, event, out=key, casting="unsafe")
    if weights is None:
        if cells is not None:
            raise ValueError("cells are tallied for weighted counts only")
        key = sort_inplace(key)
        flags: NDArray[Any] | None = None
        if event is not None:
            # the low byte holds the event bit (little- or big-endian layout)
            low = key.view(np.uint8)[:: key.itemsize] if _LITTLE else key.view(np.uint8)[7::8]
            flags = low & 1
            key >>= _ONE
        return _tally_sorted_key(key, flags)
    # Weighted: sort for the order, then sum the weights in index order inside each cell
    # (bincount adds sequentially), exactly as the hash path does.
    order, kt = _stable_order(key)
    flags = None
    if event is not None:
        low = kt.view(np.uint8)[:: kt.itemsize] if _LITTLE else kt.view(np.uint8)[7::8]
        flags = low & 1
        kt >>= _ONE
    if _all_distinct(kt):
        # All distinct: each cell holds one subject, so its sum is ``0.0 + w`` -- the weight
        # itself (``+ 0.0`` turns a -0.0 weight into the 0.0 a sum gives); no cell numbers,
        # no scatter, no bincount.
        ws = weights[order]
        ws += 0.0
        ut = kt.view(np.float64)
        if event is None:
            if cells is not None:
                cells.append(RowCells(order=order, weights=ws))
            return ut, ws, None
        assert flags is not None
        if cells is not None:
            cells.append(RowCells(order=order, event=flags.view(np.bool_), weights=ws))
        # where(event, ws, 0) and where(event, 0, ws), the same bits: ws >= +0.0
        d = np.multiply(ws, flags, dtype=np.float64)
        return ut, np.subtract(ws, d), d
    return _tally_tied_weights(kt, order, event, weights, cells)


def _tally_tied_weights(
    kt: NDArray[np.uint64], order: NDArray[np.intp], event: BoolArray | None,
    weights: FloatArray, cells: Cells | None,
) -> Tally:
    """Weighted counts from the sorted time bits ``kt`` (``order``: their rows) when some
    repeat: each row's cell, then one bincount (weights added in index order)."""
    n = kt.size
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(kt[1:], kt[:-1], out=new[1:])
    gid = np.cumsum(new) - 1
    cell = np.empty(n, dtype=np.intp)
    cell[order] = gid
    if cells is not None:
        cells.append(RowCells(cell=cell.copy()))
    m = int(gid[-1]) + 1
    ut = kt[new].view(np.float64)
    if event is None:
        tot = np.bincount(cell, weights=weights, minlength=m).astype(np.float64, copy=False)
        return ut, tot, None
    np.multiply(cell, 2, out=cell)
    np.add(cell, event, out=cell, casting="unsafe")
    tab = np.bincount(cell, weights=weights, minlength=2 * m).reshape(m, 2)
    return ut, tab[:, 0].copy(), tab[:, 1].copy()


@overload
def tally(
    time: FloatArray, event: BoolArray, weights: FloatArray | None = ...,
    cells: Cells | None = ...,
) -> tuple[FloatArray, FloatArray, FloatArray]: ...


@overload
def tally(
    time: FloatArray, event: None = ..., weights: FloatArray | None = ...,
    cells: Cells | None = ...,
) -> tuple[FloatArray, FloatArray, None]: ...


def tally(
    time: FloatArray, event: BoolArray | None = None, weights: FloatArray | None = None,
    cells: Cells | None = None,
) -> Tally:
    """(Weighted) counts of ``time`` per distinct value, split by ``event`` when given.

    Returns the distinct values, increasing, and per value the (weighted) number censored
    and the number of events (with ``event``; else the total count and ``None``), all
    float64 -- whole numbers without weights; weights are summed in index order within
    each cell. The method is chosen by :func:`many_ties`: when values repeat a lot, one
    :func:`numpy.bincount` pass -- straight on the values when they are whole numbers in a
    modest range (days), on ``10**k`` times them when they have ``k <= 3`` decimals
    (:func:`_decimal_codes`), after a hash pass (:func:`pandas.factorize`) otherwise; when they
    rarely repeat, one sort of a packed integer key. All give identical results. Finite
    values only; ``-0.0`` counts as ``0.0``. With ``cells`` (a list; weighted counts), each
    row's cell -- the index of its value among the distinct ones -- is appended to it.
    """
    if many_ties(time):
        codes = _whole_codes(time)
        if codes is not None:
            return _tally_bins(codes, event, weights, cells)
        dec = _decimal_codes(time)
        if dec is not None:
            return _tally_bins(dec[0], event, weights, cells, dec[1])
        return _tally_hash(time, event, weights, cells)
    if time.size and float(time.min()) < 0.0:
        return _tally_hash(time, event, weights, cells)
    return _tally_sort(time, event, weights, cells)


def risk_from_tally(
    time: FloatArray,
    n_event: NDArray[Any],
    n_censor: NDArray[Any],
    enter_time: FloatArray | None = None,
    n_enter: NDArray[Any] | None = None,
) -> Counts:
    r"""Numbers at risk from per-time counts (the aggregated form of :func:`risk_counts`).

    :math:`r_j = \sum_{t_k \ge t_j} (d_k + c_k) - \sum_{a_l \ge t_j} e_l` with
    :math:`e_l` subjects entering at :math:`a_l` (at risk for :math:`u > a_l`); ``time``
    increasing and distinct, ``enter_time`` likewise. Integer counts are summed as integers
    (exact), weighted ones as float64.
    """
    r = np.add(n_event, n_censor)
    rev = r[::-1]
    np.add.accumulate(rev, out=rev)  # stop >= u: summed from the end, in place
    d = np.asarray(n_event, dtype=np.float64)
    c = np.asarray(n_censor, dtype=np.float64)
    if enter_time is None or n_enter is None:
        return Counts(time, r.astype(np.float64, copy=False), d, c)
    cum = np.concatenate(([0], np.cumsum(n_enter)))
    entered = cum[np.searchsorted(enter_time, time, side="left")]  # entry < u
    r = np.maximum(entered - (cum[-1] - r), 0)
    return Counts(time, r.astype(np.float64), d, c)


def risk_counts(
    time: FloatArray,
    event: BoolArray,
    entry: FloatArray | None,
    weights: FloatArray | None,
    cells: Cells | None = None,
) -> Counts:
    """Weighted numbers at risk, of events and of censorings at each distinct stop time.

    A subject with entry time ``a`` and stop time ``t`` is at risk at ``u`` when
    ``a < u <= t`` (R's counting-process convention for ``Surv(a, t, d)``); without
    ``entry`` everyone is at risk from the start. Counting is one pass (see :func:`tally`;
    ``cells`` receives each row's stop-time index, weighted counts only).
    """
    ut, c, d = tally(time, event, weights, cells)
    if entry is None:
        if weights is None and ut.size == time.size:
            # all distinct: r_j = n - j exactly, without a (slow, sequential) running sum
            r = np.arange(time.size, 0, -1, dtype=np.float64)
            return Counts(ut, r, d, c)
        return risk_from_tally(ut, d, c)
    ue, te, _ = tally(entry, None, weights)
    return risk_from_tally(ut, d, c, ue, te)


def km_product_factors(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """The factors ``(r_j - d_j) / r_j`` of the product limit (1 where nobody is at risk).

    Computed as R's ``survfitkm.c`` does (``km *= (nrisk - d1) / nrisk``), not as
    ``1 - d_j / r_j``: the two differ in the last bit (e.g. 0.7 * (1 - 1/7) is 0.6 plus one
    ulp, 0.7 * 6/7 is R's 0.6), and a curve that R holds exactly at 0.5 must be exactly 0.5
    here too, or a median on that flat part changes (``quantile.survfit`` tests equality).
    """
    return _factors_into(n_risk, n_event, np.empty(n_risk.size))


def _factors_into(n_risk: FloatArray, n_event: FloatArray, out: FloatArray) -> FloatArray:
    """:func:`km_product_factors` written into ``out`` (the same operations, the same bits)."""
    np.subtract(n_risk, n_event, out=out)
    if n_risk.size and n_risk.min() > 0:
        np.divide(out, n_risk, out=out)
    else:
        empty = n_risk <= 0
        np.divide(out, n_risk, out=out, where=~empty)
        out[empty] = 1.0
    return out


def km_product(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """Product-limit estimate ``prod (r_j - d_j) / r_j`` (nobody at risk: a factor of 1)."""
    h = km_product_factors(n_risk, n_event)
    out: FloatArray = np.multiply.accumulate(h, out=h)  # cumprod, in place
    return out


def greenwood_terms(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """Greenwood's terms ``d / (r (r - d))``: ``inf`` where ``r == d > 0``, 0 if ``r == d == 0``."""
    return _greenwood_into(n_risk, n_event, np.empty(n_risk.size))


def _greenwood_into(n_risk: FloatArray, n_event: FloatArray, out: FloatArray) -> FloatArray:
    """:func:`greenwood_terms` written into ``out`` (the same operations, the same bits)."""
    inc = np.subtract(n_risk, n_event, out=out)
    done = inc <= 0 if inc.size and inc.min() <= 0 else None
    np.multiply(n_risk, inc, out=inc)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(n_event, inc, out=inc)
    if done is not None:
        inc[done] = np.where(n_event[done] > 0, np.inf, 0.0)
    return inc


def greenwood_log(n_risk: FloatArray, n_event: FloatArray) -> FloatArray:
    """Greenwood's SE of ``log S``: ``sqrt(cumsum(d / (r (r - d))))``, ``inf`` once ``r == d``."""
    inc = greenwood_terms(n_risk, n_event)
    np.add.accumulate(inc, out=inc)  # cumsum, in place
    out: FloatArray = np.sqrt(inc, out=inc)
    return out


#: Rows per block of :func:`curve`: the block's temporaries stay in the CPU's cache.
_BLOCK = 1 << 17


def curve(
    n_risk: FloatArray, n_event: FloatArray, conf_type: str, conf_level: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """``surv, std_err, std_err_log, lower, upper`` of a Greenwood fit from its counts.

    :func:`greenwood_curve` then :func:`bands`: the same numbers as :func:`km_product`,
    :func:`greenwood_log`, ``se_log * surv`` and :func:`survkit.estimate.ci.confint` on the
    whole arrays, bit for bit. ``conf_type`` canonical.
    """
    surv, se, se_log = greenwood_curve(n_risk, n_event)
    lower, upper = bands(surv, se_log, conf_type, conf_level)
    return surv, se, se_log, lower, upper


def greenwood_curve(
    n_risk: FloatArray,
    n_event: FloatArray,
    *,
    out: NDArray[np.float64] | None = None,
    scratch: NDArray[np.float64] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``surv, std_err, std_err_log`` of a Greenwood fit from its counts.

    The same numbers as :func:`km_product`, :func:`greenwood_log` and ``se_log * surv``
    on the whole arrays, bit for bit, computed block by block: each block's running product
    and sum start from the previous block's last value (folded into the block's first factor,
    so the order of the operations is that of one pass), and its temporaries stay in cache
    instead of streaming through memory several times. The three arrays are the rows of one
    ``(3, m)`` block (one large mapping page-faults far less than three), or of ``out`` when
    given; ``scratch``, of shape ``(2, k)`` with ``k >= min(m, _BLOCK)``, holds the block
    temporaries (else two are allocated).
    """
    m = n_risk.size
    surv, se, se_log = np.empty((3, m)) if out is None else out
    # Two scratch rows of one block, reused by every block: fresh memory costs a page fault
    # per 4 KiB on first touch, more than the arithmetic done in it.
    k0 = min(_BLOCK, m)
    h_buf, inc_buf = np.empty((2, k0)) if scratch is None else scratch
    if m >= 2 * PARALLEL_MIN and get_num_threads() > 1:
        _curve_threads(n_risk, n_event, h_buf, inc_buf, surv, se, se_log)
        return surv, se, se_log
    carry = (1.0, 0.0)
    for a in range(0, m, _BLOCK):
        b = min(a + _BLOCK, m)
        carry = _curve_block(n_risk[a:b], n_event[a:b], h_buf, inc_buf, surv[a:b], se[a:b],
                             se_log[a:b], carry)
    _nan_past_zero(se, se_log)
    return surv, se, se_log


def _curve_block(
    r: FloatArray, d: FloatArray, h_buf: FloatArray, inc_buf: FloatArray, surv: FloatArray,
    se: FloatArray, se_log: FloatArray, carry: tuple[float, float],
) -> tuple[float, float]:
    """One block of :func:`greenwood_curve` (counts ``r, d``, results into ``surv, se,
    se_log``); ``carry``: the product and the Greenwood sum before the block (``(1.0, 0.0)``
    at the start), returned for its last row."""
    k = r.size
    h = _factors_into(r, d, h_buf[:k])
    h[0] *= carry[0]
    sv = np.multiply.accumulate(h, out=surv)
    inc = _greenwood_into(r, d, inc_buf[:k])
    inc[0] += carry[1]
    sl = np.add.accumulate(inc, out=se_log)
    out = (float(sv[-1]), float(sl[-1]))
    np.sqrt(sl, out=sl)
    with np.errstate(invalid="ignore"):
        np.multiply(sl, sv, out=se)
    return out


def _curve_threads(
    r: FloatArray, d: FloatArray, h_buf: FloatArray, inc_buf: FloatArray, surv: FloatArray,
    se: FloatArray, se_log: FloatArray,
) -> None:
    """:func:`greenwood_curve` on two threads or more, the same operations in the same order.

    The product limit and Greenwood's sum do not depend on each other: each runs in its own
    thread, block by block, carrying its running value from block to block exactly as
    :func:`_curve_block` does; then the square roots and the SE of S are taken in parallel
    spans. (numpy releases the GIL inside its loops.)
    """
    m = r.size

    def greenwood() -> None:
        carry = 0.0
        for a in range(0, m, _BLOCK):
            b = min(a + _BLOCK, m)
            inc = _greenwood_into(r[a:b], d[a:b], inc_buf[: b - a])
            inc[0] += carry
            carry = float(np.add.accumulate(inc, out=se_log[a:b])[-1])

    parallel([partial(_product_chain, r, d, h_buf, surv), greenwood])

    def finish(a: int, b: int) -> None:
        sl = np.sqrt(se_log[a:b], out=se_log[a:b])
        with np.errstate(invalid="ignore"):
            np.multiply(sl, surv[a:b], out=se[a:b])

    parallel([partial(finish, a, b) for a, b in spans(m)])
    _nan_past_zero(se, se_log)


def _product_chain(r: FloatArray, d: FloatArray, h_buf: FloatArray, surv: FloatArray) -> None:
    """The product limit into ``surv``, block by block (the factors in ``h_buf``), each
    block's first factor times the product so far: the operations of one pass."""
    m = r.size
    carry = 1.0
    for a in range(0, m, _BLOCK):
        b = min(a + _BLOCK, m)
        h = _factors_into(r[a:b], d[a:b], h_buf[: b - a])
        h[0] *= carry
        carry = float(np.multiply.accumulate(h, out=surv[a:b])[-1])


def _nan_past_zero(se: FloatArray, se_log: FloatArray) -> None:
    """R: ``surv * std.err`` is NaN where the SE of log S is infinite (0 * Inf once S is 0)."""
    if se_log.size and np.isinf(se_log[-1]):
        se[np.isinf(se_log)] = np.nan


def greenwood_fit(
    time: FloatArray,
    event: BoolArray,
    entry: FloatArray | None,
    weights: FloatArray | None,
) -> tuple[Counts, FloatArray, FloatArray, FloatArray]:
    """The counts and ``surv, std_err, std_err_log`` of a Greenwood fit, from the rows.

    :func:`risk_counts` then :func:`greenwood_curve`, the same bits. The unweighted fit of
    mostly distinct times (the path of one sort) runs in one allocation: the packed key is
    sorted in place in the first row (then becomes ``time``), the counts and the curve fill
    the next six and the block temporaries the tail -- at n = 1e5 the page faults of a dozen
    fresh arrays cost as much as the sort. With entry times (all >= 0) the numbers at risk
    come from one merge of the sorted stop and entry times (:func:`_at_risk_merged`).
    """
    n = time.size
    tied = n >= 2 and many_ties(time)
    if tied and (weights is not None or entry is not None):
        fit = binned_fit(time, event, entry, weights, False)
        if fit is not None:
            return fit
    if (
        weights is not None
        or n < 2
        or tied
        or float(time.min()) < 0.0
        or (entry is not None and float(entry.min()) < 0.0)
    ):
        counts = risk_counts(time, event, entry, weights)
        return (counts, *greenwood_curve(counts.n_risk, counts.n_event))
    k = min(_BLOCK, n)
    # reused once no fit uses it (no page faults); the tail holds k flags of the tie check
    buf = workspace.empty(7 * n + 2 * k + (k + 7) // 8)
    rows = buf[: 7 * n].reshape(7, n)
    scratch = buf[7 * n : 7 * n + 2 * k].reshape(2, k)
    flags_buf = buf[7 * n + 2 * k :].view(np.bool_)
    packed = _pack(time, event, rows[0].view(np.uint64))
    ent_sorted: NDArray[np.uint64] | None = None
    if entry is not None and n >= 2 * PARALLEL_MIN and get_num_threads() == 2:
        # Two threads and two sorts: each sorts one array whole, both at once (a parallel
        # sort of each in turn selects and sorts twice); the entry keys are sorted in the
        # row of the curve's first result, free until the numbers at risk are known.
        ent_sorted = rows[4].view(np.uint64)
        parallel([packed.sort, partial(_entry_keys_sorted, entry, ent_sorted)])
    else:
        sort_inplace(packed)  # in place, on the threads
    key = packed
    t_row = rows[0]
    d, c, r = rows[1], rows[2], rows[3]
    surv, se, se_log = rows[4], rows[5], rows[6]
    low = key.view(np.uint8)[:: key.itemsize] if _LITTLE else key.view(np.uint8)[7::8]
    parts = spans(n)
    if len(parts) > 1:
        # Several threads: the flags, times, counts and tie checks of each span at once,
        # then the curve (the two accumulations on two threads).
        steps = _steps(k)
        found = parallel([partial(_distinct_prep, key, low, d, c, r, steps, lo, hi)
                          for lo, hi in parts])
        ties = any(found) or any(bool(key[lo] == key[lo - 1]) for lo, _ in parts[1:])
        if not ties:
            if entry is not None:
                # the shifted stop keys in the row of the curve's second result (free)
                _at_risk_merged(key, entry, r, ent_sorted, rows[5].view(np.uint64))
            greenwood_curve(r, d, out=rows[4:7], scratch=scratch)
            return Counts(t_row, r, d, c), surv, se, se_log
    elif entry is None:
        # One pass over the sorted key, block by block in cache: flags, times, the tie check,
        # the counts and the curve (the same operations as the separate passes below).
        h_buf, inc_buf = scratch
        eq = flags_buf[:k]
        steps = _steps(k)
        carry = (1.0, 0.0)
        ties = False
        for a in range(0, n, k):
            b = min(a + k, n)
            np.bitwise_and(low[a:b], np.uint8(1), out=d[a:b], casting="unsafe")
            kb = key[a:b]
            kb >>= _ONE
            lo = max(a, 1)
            if np.equal(key[lo:b], key[lo - 1 : b - 1], out=eq[: b - lo]).any():
                ties = True
                if b < n:  # the rest of the flags and times, for the count of the ties
                    np.bitwise_and(low[b:], np.uint8(1), out=d[b:], casting="unsafe")
                    key[b:] >>= _ONE
                break
            np.subtract(1.0, d[a:b], out=c[a:b])
            # all distinct: r_j = n - j exactly, without a (slow, sequential) running sum
            np.subtract(float(n - a), steps[: b - a], out=r[a:b])
            sl = se_log[a:b]
            carry = _curve_block(r[a:b], d[a:b], h_buf, inc_buf, surv[a:b], se[a:b], sl, carry)
            _nan_past_zero(se[a:b], sl)
        if not ties:
            return Counts(t_row, r, d, c), surv, se, se_log
    else:
        np.bitwise_and(low, np.uint8(1), out=d, casting="unsafe")  # the event flags, 0.0/1.0
        key >>= _ONE
        eq = scratch.reshape(-1).view(np.bool_)
        ties = False
        for a in range(1, n, eq.size):
            b = min(a + eq.size, n)
            if np.equal(key[a:b], key[a - 1 : b - 1], out=eq[: b - a]).any():
                ties = True
                break
        if not ties:
            np.subtract(1.0, d, out=c)
            _at_risk_merged(key, entry, r)
            return (Counts(t_row, r, d, c),
                    *greenwood_curve(r, d, out=rows[4:7], scratch=scratch))
    # a few ties: count them from the sorted key
    ut, c1, d1 = _tally_sorted_key(key, d.astype(np.uint8))
    assert d1 is not None
    if entry is None:
        counts = risk_from_tally(ut, d1, c1)
    else:
        ue, te, _ = tally(entry)
        counts = risk_from_tally(ut, d1, c1, ue, te)
    return (counts, *greenwood_curve(counts.n_risk, counts.n_event))


def _steps(k: int, dtype: Any = np.float64) -> NDArray[Any]:
    """``np.arange(k, dtype=dtype)``, read-only: a slice of one array made once per dtype
    (1 MiB of fresh memory per fit otherwise), grown when a larger ``k`` is asked for."""
    dt = np.dtype(dtype)
    steps = _STEPS.get(dt)
    if steps is None or steps.size < k:
        steps = np.arange(max(k, _BLOCK), dtype=dt)
        steps.flags.writeable = False
        _STEPS[dt] = steps
    return steps[:k]


_STEPS: dict[np.dtype[Any], NDArray[Any]] = {}


def _pack(time: FloatArray, event: BoolArray, out: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The sort keys of ``time >= 0`` and ``event`` into ``out``: the float64 bits shifted left
    by one (``-0.0`` becomes ``0.0``: its sign bit is shifted out), the event in the low bit;
    span by span on the threads (the first touch of fresh memory is shared out too)."""

    def pack(lo: int, hi: int) -> None:
        o = np.left_shift(time[lo:hi].view(np.uint64), _ONE, out=out[lo:hi])
        np.bitwise_or(o, event[lo:hi], out=o, casting="unsafe")

    parallel([partial(pack, lo, hi) for lo, hi in spans(time.size)])
    return out


def _distinct_prep(
    key: NDArray[np.uint64], low: NDArray[np.uint8], d: FloatArray, c: FloatArray,
    r: FloatArray, steps: FloatArray, lo: int, hi: int,
) -> bool:
    """Rows ``[lo, hi)`` of the sorted packed ``key``: the event flags into ``d``, the time
    bits back in ``key``, ``c = 1 - d`` and ``r_j = n - j`` (all distinct); whether two
    neighbours inside the span are tied (the caller checks across spans)."""
    n = key.size
    eq = np.empty(min(_BLOCK, hi - lo), dtype=bool)
    tied = False
    for a in range(lo, hi, _BLOCK):
        b = min(a + _BLOCK, hi)
        np.bitwise_and(low[a:b], np.uint8(1), out=d[a:b], casting="unsafe")
        kb = key[a:b]
        kb >>= _ONE
        f = max(a, lo + 1)
        if b > f and np.equal(key[f:b], key[f - 1 : b - 1], out=eq[: b - f]).any():
            tied = True
        np.subtract(1.0, d[a:b], out=c[a:b])
        np.subtract(float(n - a), steps[: b - a], out=r[a:b])
    return tied


def non_integer(weights: FloatArray) -> bool:
    """Whether any weight is not a whole number (block by block: no temporaries of size n)."""
    tmp = workspace.empty(min(_BLOCK, weights.size))
    for a in range(0, weights.size, _BLOCK):
        w = weights[a : a + _BLOCK]
        if np.not_equal(np.floor(w, out=tmp[: w.size]), w).any():
            return True
    return False


def weighted_fit(
    time: FloatArray, event: BoolArray, weights: FloatArray, robust: bool
) -> tuple[Counts, FloatArray, FloatArray, FloatArray]:
    """The counts and ``surv, std_err, std_err_log`` of a weighted fit without entry times.

    Greenwood's SE, or with ``robust`` the infinitesimal jackknife (:func:`ij_std_err`,
    :func:`ij_curve_sorted` for one subject per time): the same bits as :func:`risk_counts`
    followed by those. Mostly distinct times (one sort, :func:`_stable_order`) run in one
    allocation, as :func:`greenwood_fit` does: the packed keys, the order, the gathered
    weights, the counts and the curve are rows of one block, where a dozen fresh arrays
    cost more in page faults than the arithmetic done in them.
    """
    n = time.size
    if n < 2 or many_ties(time) or float(time.min()) < 0.0:
        fit = binned_fit(time, event, None, weights, robust) if n >= 2 else None
        if fit is not None:
            return fit
        cells: Cells = []
        counts = risk_counts(time, event, None, weights, cells)
        return _weighted_curve(time, event, weights, counts, cells[0], robust, None)
    k = min(_BLOCK, n)
    buf = workspace.empty(10 * n + 6 * k)
    rows = buf[: 10 * n].reshape(10, n)
    key = _pack(time, event, rows[0].view(np.uint64))
    u = rows[1:4].view(np.uint64)
    order, kt = _stable_order(key, (u[0], u[2]))
    low = kt.view(np.uint8)[:: kt.itemsize] if _LITTLE else kt.view(np.uint8)[7::8]
    flags = np.bitwise_and(low, np.uint8(1), out=workspace.empty(n, np.uint8))
    kt >>= _ONE
    if not _all_distinct(kt):
        tied: Cells = []
        ut, c, d1 = _tally_tied_weights(kt, order, event, weights, tied)
        assert d1 is not None
        return _weighted_curve(time, event, weights, risk_from_tally(ut, d1, c), tied[0],
                               robust, None)
    # all distinct: each cell is one subject (see _tally_sort); the key's row is free now
    ws = take(weights, order, rows[0])
    ws += 0.0
    # rows 1-3 hold the order, the gathered keys (now the times) and a spare row
    free = [rows[i] for i in range(1, 4) if not np.shares_memory(rows[i], order)
            and not np.shares_memory(rows[i], kt)]
    held = [rows[i] for i in range(1, 4) if np.shares_memory(rows[i], order)]
    spare_row = (held or free[1:])[0]
    d = np.multiply(ws, flags, out=free[0], dtype=np.float64)
    c = np.subtract(ws, d, out=rows[4])
    r = np.add(d, c, out=rows[5])
    rev = r[::-1]
    np.add.accumulate(rev, out=rev)  # stop >= u: summed from the end, in place
    counts = Counts(kt.view(np.float64), r, d, c)
    cell = RowCells(order=order, event=flags.view(np.bool_), weights=ws)
    # the squared weights' row, and the row of the order (not read by the curve), are spare
    return _weighted_curve(time, event, weights, counts, cell, robust,
                           (rows[6:9], rows[9], buf[10 * n :].reshape(6, k), spare_row))


def _weighted_curve(
    time: FloatArray, event: BoolArray, weights: FloatArray, counts: Counts, cell: RowCells,
    robust: bool,
    space: tuple[NDArray[np.float64], FloatArray, NDArray[np.float64], FloatArray] | None,
) -> tuple[Counts, FloatArray, FloatArray, FloatArray]:
    """The curve of a weighted fit's counts (``space``: the rows for the three results, one
    for the squared weights, the block scratch and a spare row, when the fit has them)."""
    if not robust:
        if space is None:
            return (counts, *greenwood_curve(counts.n_risk, counts.n_event))
        return (counts, *greenwood_curve(counts.n_risk, counts.n_event, out=space[0],
                                         scratch=space[2][:2]))
    if cell.cell is None:  # one subject per time, rows sorted
        sq = np.multiply(weights, weights) if space is None else np.multiply(
            weights, weights, out=space[1])
        if space is None:
            return (counts, *ij_curve_sorted(counts, cell, float(sq.sum())))
        total = float(sq.sum())
        return (counts, *ij_curve_sorted(counts, cell, total, out=(space[0], space[2]),
                                         spare=(space[1], space[3])))
    surv = km_product(counts.n_risk, counts.n_event)
    se = ij_std_err(time, event, None, weights, counts, surv, cell)
    se_log = np.divide(se, surv, out=np.zeros_like(se), where=se != 0)
    return counts, surv, se, se_log


def _entry_keys_sorted(entry: FloatArray, out: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The merge keys of the entry times ``entry >= 0`` (float64 bits shifted left by one,
    ``-0.0`` becoming ``0.0``, flag 1 in the low bit; see :func:`_at_risk_merged`) into
    ``out``, sorted in place in the calling thread. Returns ``out``."""
    np.left_shift(entry.view(np.uint64), _ONE, out=out)
    out |= _ONE
    out.sort()
    return out


def _at_risk_merged(
    stop: NDArray[np.uint64], entry: FloatArray, out: FloatArray,
    ent_sorted: NDArray[np.uint64] | None = None, spare: NDArray[np.uint64] | None = None,
) -> None:
    r"""Numbers at risk at distinct stop times from one merge with the entry times.

    ``stop``: the float64 bits of the distinct stop times, increasing; ``entry >= 0``. At
    risk at :math:`u_k` are those entered before it (:math:`a < u_k`) and not stopped before
    it: :math:`r_k = \#\{a_i < u_k\} - k`. The bits of both, shifted left with a flag in
    the low bit (0 stop, 1 entry, so an entry at :math:`u_k` itself sorts after the stop, as
    it is not at risk there), are merged by a stable sort of the two sorted runs (a single
    merge pass); then the :math:`k`-th stop sits at position :math:`p_k = k + \#\{a_i <
    u_k\}`, so :math:`r_k = p_k - 2k` -- exact integers, no binary searches.
    ``ent_sorted``: the entries' keys already sorted (:func:`_entry_keys_sorted`), when
    known; ``spare``: an array of ``stop``'s size for the shifted stop keys (both used on
    several threads only; else allocated).
    """
    n = stop.size
    total = n + entry.size
    parts = spans(total)
    if len(parts) == 1:
        both = workspace.empty(total, np.uint64)
        np.left_shift(stop, _ONE, out=both[:n])
        ent = both[n:]
        np.left_shift(entry.view(np.uint64), _ONE, out=ent)  # -0.0 becomes 0.0
        ent |= _ONE
        ent.sort()
        if total <= MERGE_PART:
            both.sort(kind="stable")  # two sorted runs: one merge
        else:  # by parts: the stable sort of the whole would take a fresh buffer of n
            both = merge_runs([both[:n], ent], workspace.empty(total, np.uint64))
        low = both.view(np.uint8)[:: both.itemsize] if _LITTLE else both.view(np.uint8)[7::8]
        _stop_positions(low, 0, total, 0, out)
        return
    # On several threads: the same merge by parts, then the positions of the stops span
    # by span (each span's stops are numbered from the count of those before it).
    if ent_sorted is None or spare is None:
        buf = workspace.empty(2 * total, np.uint64).reshape(2, total)
        shifted, ent = buf[0, :n], buf[0, n:]
        np.left_shift(stop, _ONE, out=shifted)
        np.left_shift(entry.view(np.uint64), _ONE, out=ent)
        ent |= _ONE
        ent = sort_inplace(ent)
    else:
        shifted, ent = spare, ent_sorted
        parallel([partial(np.left_shift, stop[lo:hi], _ONE, out=shifted[lo:hi])
                  for lo, hi in spans(n)])
    both = merge_runs([shifted, ent], workspace.empty(total, np.uint64))
    low = both.view(np.uint8)[:: both.itemsize] if _LITTLE else both.view(np.uint8)[7::8]

    def entries(lo: int, hi: int) -> int:  # block by block: no temporaries of the span's size
        return sum(int(np.count_nonzero(low[a : min(a + _BLOCK, hi)] & 1))
                   for a in range(lo, hi, _BLOCK))

    entered = parallel([partial(entries, lo, hi) for lo, hi in parts])
    first = np.cumsum([0] + [hi - lo - e for (lo, hi), e in zip(parts, entered, strict=True)])
    parallel([partial(_stop_positions, low, lo, hi, int(first[j]), out)
              for j, (lo, hi) in enumerate(parts)])


def _stop_positions(low: NDArray[np.uint8], lo: int, hi: int, k: int, out: FloatArray) -> None:
    """``out[k'] = p_{k'} - 2 k'`` for the stops among the merged keys ``[lo, hi)`` (low bytes
    ``low``; stop number ``k`` is the first there), block by block in cache (no temporaries of
    the rows' size): see :func:`_at_risk_merged`."""
    for a in range(lo, hi, _BLOCK):
        b = min(a + _BLOCK, hi)
        pos = np.flatnonzero((low[a:b] & 1) == 0)
        pos += a
        k1 = k + pos.size
        np.subtract(pos, 2 * np.arange(k, k1), out=out[k:k1], casting="unsafe")
        k = k1


def bands(
    surv: FloatArray, std_err_log: FloatArray, conf_type: str, conf_level: float
) -> tuple[FloatArray, FloatArray]:
    """``lower, upper``: :func:`survkit.estimate.ci.confint` block by block (the same bits).

    The transforms are elementwise, so blocks change nothing but the memory traffic; the
    limits are written straight into the two rows of one ``(2, m)`` block.
    """
    from survkit.estimate.ci import confint

    m = surv.size
    lower, upper = workspace.empty(2 * m).reshape(2, m)
    for a in range(0, m, _BLOCK):
        b = min(a + _BLOCK, m)
        confint(surv[a:b], std_err_log[a:b], conf_type, conf_level, out=(lower[a:b], upper[a:b]))
    return lower, upper


def ij_std_err(
    time: FloatArray,
    event: BoolArray,
    entry: FloatArray | None,
    weights: FloatArray,
    counts: Counts,
    surv: FloatArray,
    rows: RowCells | None = None,
) -> FloatArray:
    r"""Infinitesimal-jackknife SE of ``S`` (what R survfit uses for non-integer weights).

    With :math:`a_j = d_j / (r_j (r_j - d_j))` and :math:`b_j = 1 / (r_j - d_j)`, the
    derivative of :math:`\hat S(t)` with respect to the weight of subject :math:`i` is
    :math:`U_i(t) = \hat S(t) \sum_{t_j \le t} (Y_i(t_j) a_j - dN_i(t_j) b_j)`, and the
    variance is :math:`\sum_i (w_i U_i(t))^2` (each subject its own cluster). The sums over
    subjects are accumulated in :math:`O(n \log n)` by splitting, at each :math:`t_j`, those
    whose follow-up has ended (a fixed contribution) from those still at risk (a quadratic
    in :math:`C(t_j) = \sum_{k \le j} a_k`). ``rows``: where each subject's stop time sits
    among the distinct ones, when the count kept it (else found by binary search).

    References
    ----------
    Therneau T.M., Grambsch P.M. (2000). Modeling Survival Data, sec. 7.2; R survival 3.5
    ``survfitkm.c`` (robust variance).
    """
    ut, r, d = counts.time, counts.n_risk, counts.n_event
    rd = r - d
    a = np.divide(d, r * rd, out=np.zeros_like(d), where=rd > 0)
    b = np.divide(1.0, rd, out=np.zeros_like(d), where=rd > 0)
    cum_a = np.cumsum(a)
    w2 = weights * weights
    m = ut.size
    if entry is None and rows is not None and rows.cell is None:
        # One subject per time, rows sorted by time: every per-subject array below is read
        # in time order, and a bincount by cell is the array itself (``0.0 + x == x``, all
        # terms >= 0) -- no gathers, no scatters. The same bits as the general branch.
        assert rows.weights is not None
        ws2 = np.square(rows.weights)
        k_fin = cum_a.copy()
        if rows.event is not None:
            np.subtract(k_fin, np.where(rows.event, b, 0.0), out=k_fin)
        np.square(k_fin, out=k_fin)
        np.multiply(ws2, k_fin, out=k_fin)
        fin = np.cumsum(k_fin, out=k_fin)
        s0 = np.full(m, w2.sum()) - np.cumsum(ws2, out=ws2)
        ongoing = s0 * cum_a * cum_a
        return _ij_finish(fin, ongoing, d, surv)
    # index of each subject's stop time among ut (from the tally when it kept them)
    j_stop = np.searchsorted(ut, time, side="left") if rows is None else rows.index()
    c_stop = cum_a[j_stop]
    if entry is None:
        # C at entry is 0 for everyone: the sums weighted by it (s1, s2 below) are exactly 0,
        # and ``x - 2 C * 0 + 0`` is ``x``, so they are skipped.
        k_fin = c_stop
        if event.any():
            np.subtract(k_fin, np.where(event, b[j_stop], 0.0), out=k_fin)
        np.square(k_fin, out=k_fin)
        np.multiply(w2, k_fin, out=k_fin)
        fin = np.bincount(j_stop, weights=k_fin, minlength=m).cumsum()
        s0 = np.full(m, w2.sum()) - np.bincount(j_stop, weights=w2, minlength=m).cumsum()
        ongoing = s0 * cum_a * cum_a
    else:
        cpad = np.concatenate(([0.0], cum_a))
        c_entry = cpad[np.searchsorted(ut, entry, side="right")]
        k_fin = w2 * (c_stop - c_entry - np.where(event, b[j_stop], 0.0)) ** 2
        fin = np.bincount(j_stop, weights=k_fin, minlength=m).cumsum()
        eo = np.argsort(entry, kind="stable")
        at = np.searchsorted(entry[eo], ut, side="left")

        # subjects entered before t_j (entry < t_j) minus those finished by t_j (stop <= t_j)
        def accumulate(vals: FloatArray) -> FloatArray:
            cum = np.concatenate(([0.0], np.cumsum(vals[eo])))
            finished = np.bincount(j_stop, weights=vals, minlength=m).cumsum()
            return cum[at] - finished

        s0 = accumulate(w2)
        s1 = accumulate(w2 * c_entry)
        s2 = accumulate(w2 * c_entry * c_entry)
        ongoing = s0 * cum_a * cum_a - 2.0 * cum_a * s1 + s2
    return _ij_finish(fin, ongoing, d, surv)


def ij_std_err_cells(
    counts: Counts, w2_censor: FloatArray, w2_event: FloatArray, surv: FloatArray
) -> FloatArray:
    r"""Infinitesimal-jackknife SE of ``S`` from per-cell sums of squared weights (no entry).

    ``w2_censor[j]``, ``w2_event[j]``: the sums of :math:`w_i^2` over the subjects censored,
    and those with an event, at the ``j``-th distinct time. In :func:`ij_std_err`'s
    notation, subject :math:`i` stopping at :math:`t_{j_i}` with status :math:`\delta_i`
    (everyone at risk from the start) has

    .. math::

        U_i(t_j) / \hat S(t_j) = egin{cases} C_{j_i} - \delta_i b_{j_i} & j_i \le j \
        C_j & j_i > j \end{cases}

    which depends on :math:`i` only through its cell :math:`(j_i, \delta_i)`. So the rows of
    one cell have the same influence, and :math:`\sum_i (w_i U_i)^2` needs only the cells'
    sums :math:`W_{j0} = \sum_{	ext{cell } (j, 0)} w_i^2` and :math:`W_{j1}`:

    .. math::

        rac{\widehat{\mathrm{Var}}\, \hat S(t_j)}{\hat S(t_j)^2} =
        \sum_{k \le j} igl(W_{k0} C_k^2 + W_{k1} (C_k - b_k)^2igr)
        + C_j^2 \sum_{k > j} (W_{k0} + W_{k1}),

    the finished and ongoing parts of :func:`ij_std_err` with its per-row products
    :math:`w_i^2 (C_{j_i} - \delta_i b_{j_i})^2` grouped by cell (the same value up to
    rounding). Carried forward over times with censorings only, as R does.

    References
    ----------
    Therneau T.M., Grambsch P.M. (2000). Modeling Survival Data, sec. 7.2; R survival 3.5
    ``survfitkm.c`` (robust variance).
    """
    r, d = counts.n_risk, counts.n_event
    rd = r - d
    a = np.divide(d, r * rd, out=np.zeros_like(d), where=rd > 0)
    b = np.divide(1.0, rd, out=np.zeros_like(d), where=rd > 0)
    cum_a = np.cumsum(a)
    kd = np.subtract(cum_a, b, out=b)
    np.square(kd, out=kd)
    np.multiply(kd, w2_event, out=kd)
    fin = np.square(cum_a, out=a)
    np.multiply(fin, w2_censor, out=fin)
    np.add(fin, kd, out=fin)
    np.add.accumulate(fin, out=fin)
    cw = np.add(w2_censor, w2_event)
    np.add.accumulate(cw, out=cw)
    s0 = np.subtract(cw[-1], cw, out=cw)  # the squared weights still at risk after t_j
    ongoing = s0 * cum_a * cum_a
    return _ij_finish(fin, ongoing, d, surv)


def ij_curve_sorted(
    counts: Counts, rows: RowCells, w2_total: float,
    out: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    spare: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``surv``, the IJ ``std_err`` and ``std_err_log`` of one subject per time, without entry.

    :func:`km_product`, :func:`ij_std_err` (its branch for rows sorted by time) and
    ``se / surv``, bit for bit, computed block by block as :func:`greenwood_curve` does: the
    running product and the four running sums carry from block to block in the order of one
    pass, and the carried-forward variance of times with censorings only carries its index
    and value. ``rows``: the sorted rows of the tally (``rows.cell is None``); ``w2_total``:
    the sum of the squared weights in row order; ``out``: a ``(3, m)`` block for the results
    and a ``(6, k)`` scratch block, ``k >= min(m, _BLOCK)`` (else allocated); ``spare``: two
    arrays of size ``m`` the threaded form may overwrite (else allocated).
    """
    r, d = counts.n_risk, counts.n_event
    ws, ev = rows.weights, rows.event
    assert ws is not None and ev is not None
    m = r.size
    k0 = min(_BLOCK, m)
    surv, se, se_log = np.empty((3, m)) if out is None else out[0]
    sc = np.empty((6, k0)) if out is None else out[1]
    if m >= 2 * PARALLEL_MIN and get_num_threads() > 1:
        sp = (np.empty(m), np.empty(m)) if spare is None else spare
        _ij_curve_threads(r, d, ws, ev, w2_total, surv, se, se_log, sc, sp)
        return surv, se, se_log
    s_carry, a_carry, f_carry, w_carry, v_carry = 1.0, 0.0, 0.0, 0.0, 0.0
    last_carry = -1
    steps = _steps(k0, np.intp)
    idx_buf, pick_buf = workspace.empty(2 * k0, np.intp).reshape(2, k0)
    has_event = workspace.empty(k0, np.bool_)
    ext = workspace.empty(k0 + 1)
    for lo in range(0, m, _BLOCK):
        hi = min(lo + _BLOCK, m)
        k = hi - lo
        rb, db = r[lo:hi], d[lo:hi]
        h = _factors_into(rb, db, sc[0, :k])
        h[0] *= s_carry
        sv = np.multiply.accumulate(h, out=surv[lo:hi])
        s_carry = float(sv[-1])
        a, b = _ij_terms_into(rb, db, sc[1, :k], sc[2, :k], sc[3, :k])
        a[0] += a_carry
        ca = np.add.accumulate(a, out=a)
        a_carry = float(ca[-1])
        # b is finite and >= 0, so b * event is where(event, b, 0.0), bit for bit
        kf = np.multiply(b, ev[lo:hi], out=sc[4, :k])
        np.subtract(ca, kf, out=kf)
        np.square(kf, out=kf)
        ws2 = np.square(ws[lo:hi], out=sc[5, :k])
        np.multiply(ws2, kf, out=kf)
        kf[0] += f_carry
        fin = np.add.accumulate(kf, out=kf)
        f_carry = float(fin[-1])
        ws2[0] += w_carry
        cw = np.add.accumulate(ws2, out=ws2)
        w_carry = float(cw[-1])
        s0 = np.subtract(w2_total, cw, out=cw)
        np.multiply(s0, ca, out=s0)
        np.multiply(s0, ca, out=s0)  # ongoing = s0 * C * C
        var = np.add(fin, s0, out=fin)
        np.maximum(var, 0.0, out=var)
        # carry the variance forward over times with censorings only (see ij_std_err)
        idx = _last_event_into(db, lo, last_carry, steps, has_event, idx_buf[:k])
        ext[0] = v_carry  # the variance at the last event before this block
        ext[1 : k + 1] = var
        pick = np.subtract(idx, lo - 1, out=pick_buf[:k])
        np.maximum(pick, 0, out=pick)
        vr = np.take(ext[: k + 1], pick, out=sc[1, :k])
        if idx[0] < 0:
            vr[idx < 0] = 0.0
        last_carry, v_carry = int(idx[-1]), float(vr[-1])
        _ij_se_into(sv, vr, se[lo:hi], se_log[lo:hi])
    return surv, se, se_log


def _ij_terms_into(
    r: FloatArray, d: FloatArray, rd: FloatArray, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The IJ terms ``a = d / (r (r - d))`` and ``b = 1 / (r - d)`` (0 where ``r <= d``) into
    ``a`` and ``b`` (``rd`` receives ``r - d``); without masks when every ``r > d``, the same
    bits there."""
    np.subtract(r, d, out=rd)
    if rd.min() > 0:  # the usual case
        np.divide(d, np.multiply(r, rd, out=a), out=a)
        np.divide(1.0, rd, out=b)
    else:  # masks in a kept block: fresh memory on a worker thread's heap page-faults
        pos, done = workspace.empty(2 * rd.size, np.bool_).reshape(2, rd.size)
        np.greater(rd, 0.0, out=pos)
        np.logical_not(pos, out=done)
        np.multiply(r, rd, out=a)
        np.divide(d, a, out=a, where=pos)
        np.copyto(a, 0.0, where=done)
        b.fill(0.0)
        np.divide(1.0, rd, out=b, where=pos)
    return a, b


def _last_event_into(
    d: FloatArray, lo: int, last: int, steps: NDArray[np.intp], has_event: BoolArray,
    out: NDArray[np.intp],
) -> NDArray[np.intp]:
    """For rows ``lo, lo + 1, ...`` with event counts ``d``: the index of the last row up to
    each with ``d > 0`` (``last`` before the block; -1 for none), into ``out``. Each event
    row's index, -1 elsewhere, is ``(j + 1) [d_j > 0] - 1`` (no mask), then a running max."""
    k = d.size
    np.add(steps[:k], lo + 1, out=out)
    np.multiply(out, np.greater(d, 0.0, out=has_event[:k]), out=out)
    out -= 1
    out[0] = max(int(out[0]), last)
    return np.maximum.accumulate(out, out=out)


def _ij_se_into(sv: FloatArray, var: FloatArray, se: FloatArray, se_log: FloatArray) -> None:
    """The IJ ``se = S sqrt(var)`` (0 where S = 0) and ``se_log = se / S`` (0 where se = 0)
    of a block, ``var`` overwritten (it may be ``se`` itself); without masks when S > 0 on
    the whole block (S does not increase; ``0 / S`` is the masked form's 0.0)."""
    np.sqrt(var, out=var)
    if sv[-1] > 0:
        np.multiply(sv, var, out=se)
        np.divide(se, sv, out=se_log)
    else:
        np.multiply(sv, var, out=var)
        np.copyto(se, np.where(sv > 0, var, 0.0))
        se_log.fill(0.0)
        np.divide(se, sv, out=se_log, where=se != 0)


def _ij_curve_threads(
    r: FloatArray, d: FloatArray, ws: FloatArray, ev: BoolArray, w2_total: float,
    surv: FloatArray, se: FloatArray, se_log: FloatArray, sc: NDArray[np.float64],
    spare: tuple[FloatArray, FloatArray],
) -> None:
    """:func:`ij_curve_sorted` on several threads: the same operations in the same order.

    Its four running quantities do not depend on each other -- the product limit, the sums
    ``C(t)`` and the finished part of the variance (one chain), the running sum of squared
    weights, and the index of the last event -- so each runs in its own task, block by
    block, carrying its value across blocks as the one-thread pass does; the variance, its
    carried-forward value at times with censorings only (``var`` at the last event, as
    ``ext``/``v_carry`` pick it there) and the standard errors are then taken in parallel
    spans. ``se_log`` holds the finished part and ``se`` the squared-weight sums until the
    end; ``spare`` holds ``C`` and the last-event index.
    """
    m = r.size
    ca_all = spare[0]
    idx_all = spare[1].view(np.intp)
    fin_all, cw_all = se_log, se
    k0 = sc.shape[1]

    def variance_sums() -> None:
        a_carry = f_carry = 0.0
        for lo in range(0, m, _BLOCK):
            hi = min(lo + _BLOCK, m)
            k = hi - lo
            rb, db = r[lo:hi], d[lo:hi]
            a, b = _ij_terms_into(rb, db, sc[1, :k], sc[2, :k], sc[3, :k])
            a[0] += a_carry
            ca = np.add.accumulate(a, out=ca_all[lo:hi])
            a_carry = float(ca[-1])
            kf = np.multiply(b, ev[lo:hi], out=sc[4, :k])
            np.subtract(ca, kf, out=kf)
            np.square(kf, out=kf)
            np.multiply(np.square(ws[lo:hi], out=sc[5, :k]), kf, out=kf)
            kf[0] += f_carry
            f_carry = float(np.add.accumulate(kf, out=fin_all[lo:hi])[-1])

    def weight_sums() -> None:
        carry = 0.0
        for lo in range(0, m, _BLOCK):
            hi = min(lo + _BLOCK, m)
            ws2 = np.square(ws[lo:hi], out=cw_all[lo:hi])
            ws2[0] += carry
            carry = float(np.add.accumulate(ws2, out=ws2)[-1])

    def last_event() -> None:
        steps = _steps(min(k0, m), np.intp)
        has_event = workspace.empty(steps.size, np.bool_)
        last = -1
        for lo in range(0, m, _BLOCK):
            hi = min(lo + _BLOCK, m)
            last = int(_last_event_into(d[lo:hi], lo, last, steps, has_event,
                                        idx_all[lo:hi])[-1])

    # the chain of C and the finished part is the longest: alone on its thread when k = 2
    parallel([variance_sums, partial(_product_chain, r, d, sc[0], surv), weight_sums,
              last_event])
    parts = spans(m)

    def var(lo: int, hi: int) -> None:  # var = max(fin + (W - cw) C^2, 0), in fin's place
        s0 = np.subtract(w2_total, cw_all[lo:hi], out=cw_all[lo:hi])
        np.multiply(s0, ca_all[lo:hi], out=s0)
        np.multiply(s0, ca_all[lo:hi], out=s0)
        v = np.add(fin_all[lo:hi], s0, out=fin_all[lo:hi])
        np.maximum(v, 0.0, out=v)

    parallel([partial(var, lo, hi) for lo, hi in parts])

    def carried(lo: int, hi: int) -> None:  # the variance at the last event, into cw's place
        idx = idx_all[lo:hi]
        pick = np.maximum(idx, 0, out=workspace.empty(hi - lo, np.intp))
        vr = np.take(fin_all, pick, out=cw_all[lo:hi])
        if idx[0] < 0:
            vr[idx < 0] = 0.0

    parallel([partial(carried, lo, hi) for lo, hi in parts])

    parallel([partial(_ij_se_into, surv[lo:hi], cw_all[lo:hi], se[lo:hi], se_log[lo:hi])
              for lo, hi in parts])


def _ij_finish(fin: FloatArray, ongoing: FloatArray, d: FloatArray, surv: FloatArray) -> FloatArray:
    """The IJ standard error of ``S`` from the finished and ongoing parts of its variance."""
    m = d.size
    var_rel = np.maximum(fin + ongoing, 0.0)
    # The variance only changes at event times; carry it forward exactly over times with
    # censorings only (as R does), instead of re-adding rounded terms that cancel.
    last_event = np.maximum.accumulate(np.where(d > 0, np.arange(m), -1))
    var_rel = np.where(last_event >= 0, var_rel[np.maximum(last_event, 0)], 0.0)
    return np.where(surv > 0, surv * np.sqrt(var_rel), 0.0)
