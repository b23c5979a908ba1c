r"""The listing search: depth-first branch-and-bound over risk-set sizes (vectorised).

:func:`search_histories` enumerates every history (strictly decreasing risk sets at the events)
whose Kaplan-Meier estimate and CI under one method print the landmark's numbers, cutting a
branch only when no completion can (the bounds of :mod:`survkit.check.reach` and the counting
DP's guide, :class:`~survkit.check.counting.Guide`). The open states live in a stack of
:class:`Frontier` chunks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Final

import numpy as np
from numpy.typing import NDArray

from survkit.check.counting import Guide
from survkit.check.history import n_words
from survkit.check.landmark import LandmarkTarget, inside, match
from survkit.check.methods import CIMethod
from survkit.check.reach import Boxes, hull_box, overlaps, reachable
from survkit.printed import TOLERANCE

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: States expanded per vectorised step of the search.
CHUNK: Final[int] = 1024


@dataclass(frozen=True)
class Frontier:
    r"""A chunk of open search states, all before landmark ``j`` (one row per state).

    Attributes
    ----------
    j : int
        Index of the landmark the states are working towards.
    s, v : ndarray
        :math:`\hat S` and :math:`\widehat{var}(\log \hat S)` of the prefix.
    last : ndarray of int
        Risk set of the last event (``n + 1`` before any).
    cap : ndarray of int
        Largest risk set the next event may have.
    mask : ndarray of int, shape (size, words)
        The prefix's risk sets as bits (:func:`survkit.check.history.mask_bits`).
    k : ndarray of int
        Events so far.
    inrun : ndarray of bool
        Inside a run of tied events at the landmark's number at risk.
    b : ndarray of int
        Merged DP state of the prefix (:class:`~survkit.check.counting.Guide`).
    bps, sat, vat : ndarray, shape (size, J)
        Events, ``S`` and variance at the landmarks closed so far.
    """

    j: int
    s: FloatArray
    v: FloatArray
    last: IntArray
    cap: IntArray
    mask: IntArray
    k: IntArray
    inrun: NDArray[np.bool_]
    b: IntArray
    bps: IntArray
    sat: FloatArray
    vat: FloatArray

    def part(self, rows: slice) -> Frontier:
        """The states in ``rows``."""
        return Frontier(
            self.j, *(getattr(self, f.name)[rows] for f in fields(self) if f.name != "j")
        )


def bounds_ok(
    s: FloatArray, v: FloatArray, z: float, method: CIMethod, lm: LandmarkTarget
) -> NDArray[np.bool_]:
    """Whether ``S`` and the method's limits at ``h = z sqrt(V)`` print as the numbers."""
    lo, hi = method.limits(s, z * np.sqrt(v))
    return match(s, lo, hi, lm)


@dataclass
class SearchResult:
    count: int
    masks: IntArray  # (L,) listed histories as bit masks (bit r set = event at risk set r)
    bps: IntArray  # (L, J) events up to each landmark
    sat: FloatArray  # (L, J) S at each landmark
    vat: FloatArray  # (L, J) var(log S) at each landmark
    v_min: FloatArray  # (J,) over all found histories
    v_max: FloatArray
    ess_min: FloatArray
    ess_max: FloatArray
    exhaustive: bool
    states: int


def search_histories(
    n: int,
    lms: list[LandmarkTarget],
    z: float,
    method: CIMethod,
    vrange: FloatArray,  # (J, 2) outward var(log S) range allowed at each landmark
    max_list: int,
    max_states: int,
    cells: list[Boxes] | None = None,
    guide: Guide | None = None,
    stop_at: int | None = None,
) -> SearchResult:
    """Depth-first branch-and-bound over risk-set sizes for one transform (vectorized chunks).

    A state is a history prefix (S, V, last risk set, cap on the next risk set, bit mask,
    event count, in-run flag, landmark index). At landmark ``j`` a state may *close* (its S
    and limits are checked against the printed intervals; the next landmark starts with the
    cap lowered to the number at risk) and may *grow* by one event at risk set ``r' <= cap``.
    Growth is cut when (a) ``S (r'-1)/r' <`` the estimate's lower end, (b) even taking every
    remaining risk set the smallest reachable ``S`` -- ``S/(r'-1)`` by telescoping, or
    ``S/(q+1)`` with ``q`` events left when ``events_before`` is given -- stays above the
    estimate's upper end, or (c) the variance cannot land in the allowed range: reaching a log
    decrease ``a`` with risk sets below ``c`` costs at least ``(e^a - 1)/c`` and at most
    ``1 - e^{-a}`` (convex/concave hulls of the exact telescoping sums); (d) with ``cells``,
    the child can neither print the numbers now nor reach the printing region of its landmark
    with more events (:func:`reachable`, the same bounds against each S-cell's own variance
    window); (e) with ``guide`` (one landmark), the prefix's chain of merged DP states
    (:class:`Guide`) cannot lead to a printing history. Histories are kept as bit masks of
    ``n // 63 + 1`` 64-bit words. With ``stop_at`` the search stops (not exhaustive) once that
    many histories are found: a witness search.
    """
    nj = len(lms)
    nw = n_words(n)
    hulls = [hull_box(cl) for cl in cells] if cells is not None else []
    near_x = [float(cl.x0.min()) - 0.2 if cl.size else 0.0 for cl in cells or []]
    count = 0
    l_masks: list[IntArray] = []
    l_bps: list[IntArray] = []
    l_sat: list[FloatArray] = []
    l_vat: list[FloatArray] = []
    listed = 0
    v_min = np.full(nj, np.inf)
    v_max = np.full(nj, -np.inf)
    ess_min = np.full(nj, np.inf)
    ess_max = np.full(nj, -np.inf)
    stack: list[Frontier] = [
        Frontier(
            j=0,
            s=np.array([1.0]),
            v=np.array([0.0]),
            last=np.array([n + 1], dtype=np.int64),
            cap=np.array([n], dtype=np.int64),
            mask=np.zeros((1, nw), dtype=np.int64),
            k=np.array([0], dtype=np.int64),
            inrun=np.array([False]),
            b=np.zeros(1, dtype=np.int64),
            bps=np.full((1, nj), -1, dtype=np.int64),
            sat=np.full((1, nj), np.nan),
            vat=np.full((1, nj), np.nan),
        )
    ]
    states = 0
    exhaustive = True
    one = np.int64(1)
    while stack:
        if stop_at is not None and count >= stop_at:
            exhaustive = False  # enough witnesses found: the count is a lower bound
            break
        st = stack.pop()
        s, v, last, cap, k, inrun = st.s, st.v, st.last, st.cap, st.k, st.inrun
        size = s.size
        states += size
        if states > max_states:
            exhaustive = False
            break
        j = st.j
        lm = lms[j]
        # ---- close landmark j here
        close = inside(s, lm.estimate)
        if lm.events_before is not None:
            close &= k == lm.events_before
        if lm.n_risk is not None:
            close &= inrun | (last > lm.n_risk)
        if close.any():
            idx = np.flatnonzero(close)
            ok = bounds_ok(s[idx], v[idx], z, method, lm)
            gi = idx[ok]
            if gi.size:
                bps = st.bps[gi].copy()
                sat = st.sat[gi].copy()
                vat = st.vat[gi].copy()
                bps[:, j] = k[gi]
                sat[:, j] = s[gi]
                vat[:, j] = v[gi]
                if j == nj - 1:
                    count += gi.size
                    ess = (1.0 - sat) / (sat * np.maximum(vat, 1e-300))
                    v_min = np.minimum(v_min, vat.min(axis=0))
                    v_max = np.maximum(v_max, vat.max(axis=0))
                    ess_min = np.minimum(ess_min, ess.min(axis=0))
                    ess_max = np.maximum(ess_max, ess.max(axis=0))
                    room = max_list - listed
                    if room > 0:
                        take = slice(0, room)
                        l_masks.append(st.mask[gi][take])
                        l_bps.append(bps[take])
                        l_sat.append(sat[take])
                        l_vat.append(vat[take])
                        listed += min(room, gi.size)
                else:
                    ncap = cap[gi] if lm.n_risk is None else np.minimum(cap[gi], lm.n_risk)
                    stack.append(
                        Frontier(
                            j=j + 1,
                            s=s[gi],
                            v=v[gi],
                            last=last[gi],
                            cap=ncap,
                            mask=st.mask[gi],
                            k=k[gi],
                            inrun=np.zeros(gi.size, dtype=bool),
                            b=st.b[gi],
                            bps=bps,
                            sat=sat,
                            vat=vat,
                        )
                    )
        # ---- add one more event before landmark j
        if lm.events_before is not None:
            grow_ok = k < lm.events_before
            if not grow_ok.any():
                continue
        else:
            grow_ok = np.ones(size, dtype=bool)
        e_lo, e_hi = lm.estimate
        # smallest admissible next risk set (conservative: one below the exact bound)
        q = e_lo / s
        r_a = np.where(q < 1.0, np.floor(1.0 / np.maximum(1.0 - q, 1e-300)) - 1.0, np.inf)
        r_b = np.floor(s / max(e_hi, 1e-300)) - 1.0
        lo_r = np.maximum(np.maximum(r_a, r_b), 2.0)
        hi_r = cap.astype(np.float64)
        if lm.n_risk is not None:
            lo_r = np.where(inrun, np.maximum(last - 1.0, 2.0), np.maximum(lo_r, float(lm.n_risk)))
            hi_r = np.where(inrun, last - 1.0, hi_r)
        cnt = np.where(grow_ok & (hi_r >= lo_r), hi_r - lo_r + 1.0, 0.0)
        cnt = np.where(np.isfinite(cnt), cnt, 0.0).astype(np.int64)
        total = int(cnt.sum())
        if total == 0:
            continue
        states += total
        par = np.repeat(np.arange(size), cnt)
        offs = np.cumsum(cnt) - cnt
        r = lo_r[par].astype(np.int64) + (np.arange(total) - offs[par])
        child_b = np.zeros(total, dtype=np.int64)
        if guide is not None:
            # follow each parent's merged DP state down its layers (no event) to every r
            capi = cap.astype(np.int64)
            top = int(hi_r[cnt > 0].max())
            bottom = int(r.min())
            bat = np.full((size, top - bottom + 1), -1, dtype=np.int64)
            cur = np.full(size, -1, dtype=np.int64)
            for rr in range(int(capi.max()), bottom - 1, -1):
                cur = np.where(capi == rr, st.b, cur)
                if rr <= top:
                    bat[:, rr - bottom] = cur
                sk = guide.skip.get(rr)
                ok = cur >= 0
                if sk is None or not ok.any():
                    cur = np.full(size, -1, dtype=np.int64)
                else:
                    cur = np.where(ok, sk[np.where(ok, cur, 0)], -1)
            bb = bat[par, r - bottom]
            allowed = bb >= 0
            ai = np.flatnonzero(allowed)
            useful = np.zeros(total, dtype=bool)
            for rr in np.unique(r[ai]):
                sel = ai[r[ai] == rr]
                u = guide.useful.get(int(rr))
                t = guide.take.get(int(rr))
                if u is None or t is None:
                    continue
                useful[sel] = u[bb[sel]]
                child_b[sel] = t[bb[sel]]
            keep_g = useful
        else:
            keep_g = np.ones(total, dtype=bool)
        rf = r.astype(np.float64)
        s_c = s[par] * ((rf - 1.0) / rf)
        v_c = v[par] + 1.0 / (rf * (rf - 1.0))
        c_next = rf - 1.0
        reach = np.maximum(c_next, 1.0)
        keep = keep_g & (s_c >= e_lo - TOLERANCE)
        if lm.events_before is not None:
            left = (lm.events_before - (k[par] + 1)).astype(np.float64)
            reach = np.minimum(reach, left + 1.0)
            keep &= left <= np.maximum(rf - 2.0, 0.0)
        keep &= s_c / reach <= e_hi + TOLERANCE
        # variance: cheapest and dearest ways to finish inside the estimate's interval
        log_s = np.log(s_c)
        a_need = np.maximum(log_s - math.log(max(e_hi, 1e-300)), 0.0)
        vmin_add = np.where(
            a_need > 0, np.expm1(np.minimum(a_need, 700.0)) / reach_cap(c_next), 0.0
        ) * (1 - 1e-9)
        a_max = np.maximum(log_s - math.log(max(e_lo, 1e-300)), 0.0)
        all_below = np.maximum(1.0 - 1.0 / np.maximum(c_next, 1.0), 0.0)
        vmax_add = np.minimum(-np.expm1(-a_max), all_below)
        vmax_add = vmax_add * (1 + 1e-9) + 1e-15
        lo_v, hi_v = vrange[j]
        keep &= (v_c + vmin_add <= hi_v) & (v_c + vmax_add >= lo_v)
        if not keep.any():
            continue
        ki = np.flatnonzero(keep)
        if cells is not None:
            # (d) print now, or reach the printing region with more events
            xk = -np.log(s_c[ki])
            vk = v_c[ki]
            kk = k[par[ki]] + 1
            now = overlaps(xk, xk, vk, vk, cells[j])
            qk = None
            if lm.events_before is not None:
                now &= kk == lm.events_before
                qk = (lm.events_before - kk).astype(np.float64)
            ck = c_next[ki]
            later = reachable(xk, xk, vk, vk, ck, qk, hulls[j])
            near = later & (xk >= near_x[j])
            if near.any():  # close to the target: each S-cell's own variance window
                ni = np.flatnonzero(near)
                later[ni] = reachable(
                    xk[ni], xk[ni], vk[ni], vk[ni], ck[ni],
                    None if qk is None else qk[ni], cells[j],
                )
            ki = ki[now | later]
            if ki.size == 0:
                continue
        pk = par[ki]
        rk = r[ki]
        cmask = st.mask[pk].copy()
        cmask[np.arange(ki.size), rk // 63] |= one << (rk % 63)
        inrun_c = (
            inrun[pk] | (rk <= lm.n_risk) if lm.n_risk is not None else np.zeros(ki.size, bool)
        )
        child = Frontier(
            j=j,
            s=s_c[ki],
            v=v_c[ki],
            last=rk,
            cap=rk - 1,
            mask=cmask,
            k=k[pk] + 1,
            inrun=inrun_c,
            b=child_b[ki],
            bps=st.bps[pk],
            sat=st.sat[pk],
            vat=st.vat[pk],
        )
        nk = ki.size
        for start in range(((nk - 1) // CHUNK) * CHUNK, -1, -CHUNK):
            stack.append(child.part(slice(start, start + CHUNK)))
    if l_masks:
        masks = np.concatenate(l_masks)
        bps_a = np.concatenate(l_bps)
        sat_a = np.concatenate(l_sat)
        vat_a = np.concatenate(l_vat)
    else:
        masks = np.zeros((0, nw), dtype=np.int64)
        bps_a = np.zeros((0, nj), dtype=np.int64)
        sat_a = np.zeros((0, nj))
        vat_a = np.zeros((0, nj))
    return SearchResult(
        count, masks, bps_a, sat_a, vat_a, v_min, v_max, ess_min, ess_max, exhaustive, states
    )


def reach_cap(c_next: FloatArray) -> FloatArray:
    """Largest next risk set, at least 1 (guards the division in the variance bound)."""
    return np.maximum(c_next, 1.0)


