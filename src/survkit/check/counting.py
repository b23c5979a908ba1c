r"""The counting DP: an outward upper bound on the number of histories printing the numbers.

Risk sets are decided from ``n`` down to 2; states with the same grid cell of
:math:`(-\log S, \widehat{var}(\log S))` are merged into the hull of their boxes, so the count
is an upper bound (zero excludes a method). See :func:`count_upper`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from survkit.check.landmark import LandmarkTarget
from survkit.check.reach import Boxes, hull_box, overlaps, reachable

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

@dataclass
class CountBound:
    upper: float  # upper bound on the number of (history, landmark split) pairs
    exact_arith: bool  # every count stayed below 2**53 (float sums exact)
    buckets: int  # largest number of merged states in a layer
    guide: Guide | None = None


@dataclass
class Guide:
    """Transitions of the DP's merged states, layer by layer (one landmark only).

    For risk set ``r`` and a merged state ``b`` of the layer before deciding ``r``:
    ``take[r][b]`` / ``skip[r][b]`` is the merged state after an event / no event at ``r``
    (``-1`` when pruned) and ``useful[r][b]`` whether taking ``r`` can still lead to a
    printing history (it may print right away, or its successor can). All members of a merged
    state share its box, so a history prefix follows one deterministic chain of merged states,
    and a prefix whose chain is not useful has no completion (the DP's bounds are outward).
    """

    take: dict[int, IntArray]
    skip: dict[int, IntArray]
    useful: dict[int, NDArray[np.bool_]]


def count_upper(
    n: int,
    lms: list[LandmarkTarget],
    cells: list[Boxes],
    *,
    grid: int = 16,
    max_buckets: int = 20_000,
    record: bool = False,
) -> CountBound:
    r"""Upper bound on the number of histories by a DP over risk-set sizes with merged states.

    Risk sets are decided from ``n`` down to 2 (event or not). A DP state is a landmark index
    ``j``, an event count ``k`` (kept only when ``events_before`` is given), a flag for a run of
    tied events at the landmark's number at risk, a box ``[x0, x1] x [v0, v1]`` of
    :math:`(-\log S, V)` and the number of history prefixes in it. Taking risk set ``r``
    translates the box by :math:`(\log(r/(r-1)), 1/(r(r-1)))`; right after an event the
    state may close landmark ``j`` when its box meets the printing region (:class:`Boxes`,
    outward) and the facts hold. After each layer, states whose box cannot reach the
    printing region (:func:`reachable`) are dropped and states whose lower corners share a grid
    cell (``grid`` cells across the printing region per axis) are merged into the hull of
    their boxes with the sum of their counts. Every history that prints the numbers is
    counted, in the box that contains it, so the result is an upper bound (exact arithmetic
    while counts stay below :math:`2^{53}`; above that the float sums are rounded upward).
    With ``record`` (one landmark) the transitions between merged states are kept and marked
    backwards (:class:`Guide`) so that the listing search can follow them.
    """
    nj = len(lms)
    use_k = any(lm.events_before is not None for lm in lms)
    d_of = np.array(
        [-1 if lm.events_before is None else lm.events_before for lm in lms] + [-1],
        dtype=np.int64,
    )
    m_of = np.array([-1 if lm.n_risk is None else lm.n_risk for lm in lms] + [-1], dtype=np.int64)
    cap_of = np.full(nj + 1, n, dtype=np.int64)
    for jj in range(1, nj + 1):
        cap_of[jj] = cap_of[jj - 1] if m_of[jj - 1] < 0 else min(cap_of[jj - 1], m_of[jj - 1])
    dx = np.ones(nj + 1)
    dv = np.ones(nj + 1)
    for jj, cl in enumerate(cells):
        if cl.size == 0:
            return CountBound(0.0, True, 0)
        dx[jj] = max(float(cl.x1.max() - cl.x0.min()), 1e-9) / grid
        v0f = cl.v0[np.isfinite(cl.v0)]
        v1f = cl.v1[np.isfinite(cl.v1)]
        if v0f.size == 0:  # only boxes beyond every finite variance: nothing can print
            dv[jj] = 1.0
            continue
        top = float(v1f.max()) if v1f.size else float(v0f.max()) + 1.0
        dv[jj] = max(top - float(v0f.min()), 1e-9) / grid
    big = float(2**53)
    exact = True
    hulls = [hull_box(cl) for cl in cells]
    near_x = [float(cl.x0.min()) - 0.2 for cl in cells]
    record = record and nj == 1
    rec_take: dict[int, IntArray] = {}
    rec_skip: dict[int, IntArray] = {}
    rec_close: dict[int, NDArray[np.bool_]] = {}

    def may_close(
        jv: IntArray, kv: IntArray, run: NDArray[np.bool_], last: int,
        x0: FloatArray, x1: FloatArray, v0: FloatArray, v1: FloatArray,
    ) -> NDArray[np.bool_]:
        out = np.zeros(jv.shape, dtype=bool)
        for jj in range(nj):
            sel = jv == jj
            if not sel.any():
                continue
            ok = sel.copy()
            if d_of[jj] >= 0:
                ok &= kv == d_of[jj]
            if m_of[jj] >= 0:
                ok &= run | (last > m_of[jj])
            if ok.any():
                idx = np.flatnonzero(ok)
                ok[idx] = overlaps(x0[idx], x1[idx], v0[idx], v1[idx], cells[jj])
            out |= ok
        return out

    # state columns
    j = np.zeros(1, dtype=np.int64)
    k = np.zeros(1, dtype=np.int64)
    run = np.zeros(1, dtype=bool)
    x0 = np.zeros(1)
    x1 = np.zeros(1)
    v0 = np.zeros(1)
    v1 = np.zeros(1)
    cnt = np.ones(1)
    completed = 0.0
    buckets = 1

    def chain(
        cols: tuple[Any, ...], last: int
    ) -> tuple[tuple[Any, ...], float]:
        """Close landmarks right after an event (repeatedly: no event between landmarks)."""
        done = 0.0
        extra: list[tuple[Any, ...]] = []
        cur = cols
        while cur[0].size:
            jc, kc, rc, c0, c1, e0, e1, cc = cur
            ok = may_close(jc, kc, rc, last, c0, c1, e0, e1)
            if not ok.any():
                break
            idx = np.flatnonzero(ok)
            jn = jc[idx] + 1
            fin = jn >= nj
            done += float(cc[idx][fin].sum())
            keep = idx[~fin]
            cur = (
                jc[keep] + 1, kc[keep], np.zeros(keep.size, dtype=bool),
                c0[keep], c1[keep], e0[keep], e1[keep], cc[keep],
            )
            extra.append(cur)
        if extra:
            parts = [cols, *extra]
            cols = tuple(np.concatenate([p[i] for p in parts]) for i in range(8))
        return cols, done

    (j, k, run, x0, x1, v0, v1, cnt), done = chain((j, k, run, x0, x1, v0, v1, cnt), n + 1)
    completed += done
    for r in range(n, 1, -1):
        if j.size == 0:
            break
        a_r = math.log(r / (r - 1.0))
        b_r = 1.0 / (r * (r - 1.0))
        dj = d_of[j]
        mj = m_of[j]
        can_take = r <= cap_of[j]
        can_take &= (dj < 0) | (k < dj)
        can_take &= (mj < 0) | (r >= mj) | run
        can_skip = np.logical_not(run) & ~((mj >= 0) & (r <= mj))
        ti = np.flatnonzero(can_take)
        tk = (
            j[ti], k[ti] + 1, (mj[ti] >= 0) & (r <= mj[ti]),
            x0[ti] + a_r * (1 - 1e-15), x1[ti] + a_r * (1 + 1e-15),
            v0[ti] + b_r * (1 - 1e-15), v1[ti] + b_r * (1 + 1e-15), cnt[ti],
        )
        nb_prev = j.size
        if record:
            closes = may_close(tk[0], tk[1], tk[2], r, tk[3], tk[4], tk[5], tk[6])
            rec_close[r] = np.zeros(nb_prev, dtype=bool)
            rec_close[r][ti] = closes
            rec_take[r] = np.full(nb_prev, -1, dtype=np.int64)
            rec_skip[r] = np.full(nb_prev, -1, dtype=np.int64)
        tk, done = chain(tk, r)
        completed += done
        si = np.flatnonzero(can_skip)
        cols = tuple(
            np.concatenate([a[si], b])
            for a, b in zip((j, k, run, x0, x1, v0, v1, cnt), tk, strict=True)
        )
        j, k, run, x0, x1, v0, v1, cnt = cols
        if j.size == 0 or r == 2:
            break
        # ---- merge states whose lower corners share a grid cell
        scale = 1.0
        while True:
            bx = np.floor(x0 / (dx[j] * scale)).astype(np.int64)
            bv = np.floor(v0 / (dv[j] * scale)).astype(np.int64)
            nbx = int(bx.max()) + 1
            nbv = int(bv.max()) + 1
            key = ((j * (n + 2) + k) * 2 + run) * nbx
            key = (key + bx) * nbv + bv
            order = np.argsort(key, kind="stable")
            ks = key[order]
            starts = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1])))
            if starts.size <= max_buckets:
                break
            scale *= 2.0
        nb = int(starts.size)
        buckets = max(buckets, nb)
        if record:
            flag = np.zeros(ks.size, dtype=np.int64)
            flag[starts] = 1
            inv = np.empty(ks.size, dtype=np.int64)
            inv[order] = np.cumsum(flag) - 1
        ncnt = np.add.reduceat(cnt[order], starts)
        if exact and ncnt.max() >= big:
            exact = False
        if not exact:
            ncnt = ncnt * (1.0 + 4e-16 * (cnt.size + 1))
        first = order[starts]
        j, k, run = j[first], k[first], run[first]
        x0 = np.minimum.reduceat(x0[order], starts)
        v0 = np.minimum.reduceat(v0[order], starts)
        x1 = np.maximum.reduceat(x1[order], starts)
        v1 = np.maximum.reduceat(v1[order], starts)
        cnt = ncnt
        # ---- prune: can the state still close its landmark with events at risk sets < r?
        c = np.minimum(float(r - 1), cap_of[j].astype(np.float64))
        q = None
        if use_k:
            dj = d_of[j]
            q = np.where(dj >= 0, (dj - k).astype(np.float64), np.nan)
        alive = np.zeros(j.size, dtype=bool)
        for jj in range(nj):
            sel = np.flatnonzero(j == jj)
            if sel.size == 0:
                continue
            qq = None
            if q is not None and d_of[jj] >= 0:
                qq = q[sel]
            ok = reachable(x0[sel], x1[sel], v0[sel], v1[sel], c[sel], qq, hulls[jj])
            near = ok & (x1[sel] >= near_x[jj])
            if near.any():  # close to the target: each S-cell's own variance window
                ni = sel[near]
                ok[near] = reachable(
                    x0[ni], x1[ni], v0[ni], v1[ni], c[ni],
                    None if qq is None else qq[near], cells[jj],
                )
            alive[sel] = ok
        if m_of[:nj].max() >= 0:
            # outside a run, a landmark with a risk-table fact takes no events below it
            mj = m_of[j]
            alive &= run | (mj < 0) | (r - 1 >= mj)
        idx = np.flatnonzero(alive)
        if record:
            newidx = np.where(alive, np.cumsum(alive) - 1, -1)
            rec_skip[r][si] = newidx[inv[: si.size]]
            rec_take[r][ti] = newidx[inv[si.size:]]
        j, k, run = j[idx], k[idx], run[idx]
        x0, x1, v0, v1, cnt = x0[idx], x1[idx], v0[idx], v1[idx], cnt[idx]
        if j.size == 0:
            break
    guide = None
    if record:
        useful: dict[int, NDArray[np.bool_]] = {}
        below = np.zeros(0, dtype=bool)  # usefulness of the states after deciding r
        for r in range(2, n + 1):
            if r not in rec_take:
                below = np.zeros(0, dtype=bool)
                continue
            tc, sc = rec_take[r], rec_skip[r]
            ok_t = (tc >= 0) & (tc < below.size)
            ok_s = (sc >= 0) & (sc < below.size)
            ut = rec_close[r].copy()
            ut[ok_t] |= below[tc[ok_t]]
            us = np.zeros(tc.size, dtype=bool)
            us[ok_s] = below[sc[ok_s]]
            useful[r] = ut
            below = ut | us
        guide = Guide(rec_take, rec_skip, useful)
    return CountBound(completed, exact and completed < big, buckets, guide)


