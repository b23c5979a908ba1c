"""Trace the step curves drawn in one colour of a raster figure, column by column.

Every column of the colour's mask is cut into vertical runs of pixels. A *thin* run (about
one line width high) is a horizontal piece of a curve at the run's centre; a *tall* run is
either the vertical drop of a curve (it starts at the curve's level and goes down) or a
censoring mark (``|`` or ``+``: it stands out above the level as well as below). Several
curves of one colour (black-and-white figures) are followed as ordered *tracks* that start
together at the top left (S = 1) and never rise: in each column the runs are matched to the
tracks by a small dynamic programme (order kept; a track may miss a column — the gaps of a
dashed line — or share a run with its neighbour where the curves touch). A track's share of
columns with its own pixels tells a dashed line from a solid one.

With ``dashes`` (:func:`trace_tracks`), three or more tracks are solved with the gaps of
dashed and dotted lines cheap to follow (:func:`bridged_rows`, :func:`dash_gap`): see
:mod:`survkit.digitize.linestyle`, which decides when.

Limitations: curves of one colour and one style that cross swap names (the tracks are kept
in order); drops smaller than a pixel are not seen.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

__all__ = ["Trace", "bridged_rows", "column_runs", "count_tracks", "dash_gap", "line_width",
           "ordered_path", "refine_ordered", "thin_pixels", "trace_tracks"]

_INF = float("inf")


@dataclass
class Trace:
    """One traced step curve in mask coordinates (column, row; row grows downwards).

    ``x`` are the knots (columns where a level starts), ``y`` the levels, ``x_end`` the last
    column with the curve's pixels, ``marks`` the columns of censoring marks, ``dash_share``
    the share of columns between start and end where the track had pixels of its own.
    """

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    x_end: float = 0.0
    marks: list[float] = field(default_factory=list)
    dash_share: float = 1.0
    #: set when the line style seen along the track changes (solid here, dashed there while
    #: its neighbour does the opposite): pieces of two curves may be swapped between them
    mixed: bool = False
    #: the columns ``[lo, hi)`` where this track and the other of its colour, of another
    #: line style, look alike while apart (:func:`unsure_stretches`): they may be swapped
    unsure: list[tuple[int, int]] = field(default_factory=list)
    # working state
    level: float = 0.0
    plateau: list[float] = field(default_factory=list)
    own: int = 0
    miss: int = 0
    last: int = -1
    drop_to: float | None = None
    drop_col: int = -10
    #: the level before the last drop run (several curves dropping in one column share one
    #: run: a track may end its drop above the run's foot, where its own level goes on)
    drop_from: float | None = None
    mark_cols: list[int] = field(default_factory=list)
    #: per column: 0 no pixels, 1 pixels of its own, 2 pixels shared with another track
    state: dict[int, int] = field(default_factory=dict)
    #: the last columns' states where the track was not sharing (1 own, 0 no pixels)
    recent: list[int] = field(default_factory=list)
    #: the longest gap (columns without pixels) after which the track went on at its level
    max_gap: int = 0

    @property
    def dashed_like(self) -> bool:
        """Whether the track has been missing pixels lately: a dashed or dotted line, whose
        gaps are skipped rather than filled with another curve's pixels."""
        return len(self.recent) >= 15 and float(np.mean(self.recent)) < 0.8

    def skip_cost(self, c: int, ahead: bool) -> float:
        """Cost of giving the track no pixels in column ``c``: small inside a gap no longer
        than the dashed line's own gaps, or when pixels go on at the track's level just
        ahead (``ahead``: the gap of a dashed line, or a curve hidden for a few columns);
        else that of a solid line losing its pixels."""
        if ahead or (self.dashed_like and c - self.last <= self.max_gap + 2):
            return 0.25
        return 1.5


def _runs(col: NDArray[np.bool_]) -> list[tuple[int, int]]:
    m = np.concatenate([[False], col, [False]])
    d = np.diff(m.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1).tolist(), (np.flatnonzero(d == -1) - 1).tolist(),
                    strict=True))


def column_runs(mask: NDArray[np.bool_]) -> list[list[tuple[int, int]]]:
    """For every column of ``mask``, the (first, last) rows of its runs of True pixels."""
    w = mask.shape[1]
    rows = np.flatnonzero(mask.any(axis=1))
    top = int(rows[0]) if len(rows) else 0
    bottom = int(rows[-1]) + 1 if len(rows) else 0
    hb = bottom - top
    # the columns (of the rows with pixels) as contiguous rows, padded with False at both
    # ends: a change between neighbours is a run's start or the pixel after its end, and
    # in each column starts and ends alternate
    m = np.zeros((w, hb + 2), dtype=bool)
    m[:, 1:-1] = mask[top:bottom].T
    nz = np.flatnonzero(m[:, 1:] != m[:, :-1])
    sc = nz[0::2] // (hb + 1)
    sr = nz[0::2] % (hb + 1) + top
    er = nz[1::2] % (hb + 1) + top
    bounds = np.searchsorted(sc, np.arange(w + 1)).tolist()
    starts, ends = sr.tolist(), (er - 1).tolist()
    return [list(zip(starts[bounds[c]:bounds[c + 1]], ends[bounds[c]:bounds[c + 1]],
                     strict=True)) for c in range(w)]


def line_width(cols: list[list[tuple[int, int]]]) -> float:
    """Median height of the runs: the line width in pixels."""
    heights = [b - a + 1 for rs in cols for a, b in rs]
    return float(np.median(heights)) if heights else 1.0


def count_tracks(cols: list[list[tuple[int, int]]], lw: float) -> int:
    """How many curves the columns hold: the largest n such that at least 10 % of the
    columns with pixels show n separate thin runs (at most 4)."""
    thin_max = 1.8 * lw + 1
    per_col = np.zeros(len(cols), dtype=int)
    present = np.zeros(len(cols), dtype=bool)
    for c, rs in enumerate(cols):
        thin = [r for r in rs if r[1] - r[0] + 1 <= thin_max]
        n = 0
        prev = -_INF
        for a, b in thin:
            if a - prev > 2 * lw:
                n += 1
            prev = b
        per_col[c] = n
        present[c] = bool(rs)
    # a drop column shows the levels before and after it: count what persists 3 columns
    left = np.zeros_like(per_col)
    right = np.zeros_like(per_col)
    for s in range(2, 6):
        left = np.maximum(left, np.roll(per_col, s))
        right = np.maximum(right, np.roll(per_col, -s))
    steady = np.minimum(per_col, np.minimum(left, right))
    counts = steady[present].tolist()
    if not counts:
        return 0
    arr = np.asarray(counts)
    k = 1
    for n in range(2, 5):
        if np.mean(arr >= n) >= 0.10:
            k = n
    return k


def _cost(kind: int, a: float, b: float, t: Trace, c: int, lw: float) -> tuple[float, str]:
    """Cost of giving run (a, b) of ``kind`` (0 thin, 1 tall) to track ``t`` at column c."""
    tol = max(1.0, 0.6 * lw)
    level = t.level
    if kind == 0:
        y = 0.5 * (a + b)
        d = y - level
        if d < -tol:
            if t.drop_from is not None and c - t.drop_col <= lw + 3 and \
                    t.drop_from + tol < y:
                return 0.15, "settle"  # the drop ended here, above the shared run's foot
            return _INF, ""
        if d <= tol:
            return 0.05 * abs(d), "stay"
        if d <= 2.5 * lw + 1:
            return 0.4, "drop"  # a small drop: no tall run between the levels
        if t.drop_to is not None and c - t.drop_col <= 3 and abs(y - t.drop_to) <= 2 * tol:
            return 0.2, "drop"
        gap = c - t.last
        return (1.2 if gap > 6 else 3.0), "drop"
    if a > level + tol or b < level - tol:
        return _INF, ""  # does not touch the track's level
    above = level - a
    below = b - level
    if above > 1.5 * lw and below > 1.5 * lw:
        return 0.3, "mark"
    if below > tol:
        return 0.2, "fall"
    return 0.5, "mark"


def _assign(cands: list[tuple[int, float, float]], tracks: list[Trace], c: int,
            lw: float, skips: list[float]) -> list[tuple[int, str] | None]:
    """Order-preserving assignment of candidates to tracks (tracks may share a candidate)."""
    m, k = len(cands), len(tracks)
    skip_cand = 1.0
    # best[i][j]: cost having placed tracks < j, candidates < i consumed
    best = np.full((m + 1, k + 1), _INF)
    back: dict[tuple[int, int], tuple[int, int, int, str]] = {}
    best[0, 0] = 0.0
    for i in range(m + 1):
        for j in range(k + 1):
            cur = best[i, j]
            if cur == _INF:
                continue
            if i < m and cur + skip_cand < best[i + 1, j]:
                best[i + 1, j] = cur + skip_cand
                back[(i + 1, j)] = (i, j, -1, "")
            if j < k:
                if cur + skips[j] < best[i, j + 1]:
                    best[i, j + 1] = cur + skips[j]
                    back[(i, j + 1)] = (i, j, -1, "")
                for ii in (i, i - 1):  # a fresh candidate, or share the previous one
                    if ii < 0 or ii >= m or (ii == i - 1 and (i, j) not in back) or \
                            (ii == i - 1 and back[(i, j)][2] != ii):
                        continue
                    kind, a, b = cands[ii]
                    cost, act = _cost(kind, a, b, tracks[j], c, lw)
                    if cost == _INF:
                        continue
                    share = 0.0
                    if ii == i - 1:
                        # two tracks on one run: where they coincide (one level), cheap;
                        # two tracks at different levels dropping onto one run merge them
                        share = 0.1 if act in ("stay", "mark") or abs(
                            tracks[j].level - tracks[j - 1].level) <= max(1.0, lw) else 0.6
                    tot = cur + cost + share
                    ni = ii + 1
                    if tot < best[ni, j + 1]:
                        best[ni, j + 1] = tot
                        back[(ni, j + 1)] = (i, j, ii, act)
    out: list[tuple[int, str] | None] = [None] * k
    i, j = m, k
    while (i, j) != (0, 0):
        pi, pj, ci, act = back[(i, j)]
        if pj == j - 1 and ci >= 0:
            out[j - 1] = (ci, act)
        i, j = pi, pj
    return out


def _assign_free(cands: list[tuple[int, float, float]], tracks: list[Trace], c: int,
                 lw: float, ages: list[float], skips: list[float],
                 falls: list[tuple[int, float, float, int]]
                 ) -> list[tuple[int, str] | None]:
    """Assignment of candidates to two (or three) tracks over every combination, so that two
    curves may cross (a small cost for leaving the order, which decides a tie); tracks may
    share a candidate as in :func:`_assign`.

    A thin run that has gone on for 3 columns or more with no track (``ages``) is a curve
    that lost its track, most often to a neighbour it touched: a drop onto it is cheap for
    a track that would otherwise share its neighbour's pixels.
    """
    k, m = len(tracks), len(cands)
    table = [[_cost(kind, a, b, t, c, lw) for kind, a, b in cands] for t in tracks]
    for j in range(k):
        for i in range(m):
            cost, act = table[j][i]
            if act == "drop" and ages[i] >= 3:
                table[j][i] = (min(cost, 0.3), act)
            elif act == "fall" and any(
                    tid != id(tracks[j]) and c - fc <= lw + 1 and cands[i][1] <= fb and
                    cands[i][2] >= fa for fc, fa, fb, tid in falls):
                # the drop another track has just taken, seen over its line's width
                table[j][i] = (cost + 1.0, act)
    best_cost = _INF
    best: tuple[int, ...] = (-1,) * k
    for combo in itertools.product(range(-1, m), repeat=k):
        tot = 0.0
        for j, i in enumerate(combo):
            tot += skips[j] if i < 0 else table[j][i][0]
            if tot >= best_cost:
                break
        else:
            used = [i for i in combo if i >= 0]
            tot += 1.0 * (m - len(set(used)))  # pixels no track explains
            for i in set(used):
                sharing = [j for j, x in enumerate(combo) if x == i]
                for a, b in itertools.pairwise(sharing):
                    act = table[b][i][1]
                    tot += 0.1 if act in ("stay", "mark") or abs(
                        tracks[a].level - tracks[b].level) <= max(1.0, lw) else 0.6
            placed = [(j, (cands[i][1] + cands[i][2]) / 2) for j, i in enumerate(combo)
                      if i >= 0]
            for (j1, p1), (j2, p2) in itertools.pairwise(placed):
                if p2 < p1:
                    # the curves cross here: natural for a solid and a dashed curve; two
                    # of one style cannot be told apart after a crossing (keep the order)
                    tot += 0.3 if tracks[j1].dashed_like != tracks[j2].dashed_like else 2.0
            if tot < best_cost:
                best_cost, best = tot, combo
    return [None if i < 0 else (i, table[j][i][1]) for j, i in enumerate(best)]


def _update_orphans(orphans: list[list[float]], rows: list[float], c: int
                    ) -> list[list[float]]:
    """Untracked thin runs followed across columns (through gaps of up to 20 columns, as a
    dashed line's): each is [row, columns seen, last column seen]."""
    out = [o for o in orphans if c - o[2] <= 20]
    for y in rows:
        match = [o for o in out if abs(o[0] - y) <= 1.5 and o[2] < c]
        if match:
            o = max(match, key=lambda o: o[1])
            o[0], o[1], o[2] = y, o[1] + 1, c
        else:
            out.append([y, 1.0, float(c)])
    return out


def _rescue(tracks: list[Trace], orphans: list[list[float]], c: int, lw: float) -> None:
    """A curve that lost its track where it touched another: when two tracks coincide and a
    run no track explains has gone on above them for ``max(12, 3 lw)`` columns, one of the
    two was following its neighbour's pixels since it went below that run's row. It is
    moved back: its knots below the row are dropped and it goes on at the row from where
    it first went below it (a staircase reaches a level once and stays until it drops)."""
    tol = max(1.0, 0.6 * lw)
    for o in sorted(orphans, key=lambda o: -o[1]):
        if o[1] < max(12.0, 3 * lw):
            break
        row = o[0]
        below = [t for t in tracks if t.level > row + 2 * lw]
        pair = [(a, b) for i, a in enumerate(below) for b in below[i + 1:]
                if abs(a.level - b.level) <= lw + 1]
        if not pair:
            continue
        a, b = pair[0]
        t = a if a.dashed_like or not b.dashed_like else b
        keep = [k for k, y in enumerate(t.y) if y <= row + tol]
        if not keep or len(keep) == len(t.y):
            continue
        first_x = t.x[len(keep)] if len(keep) < len(t.x) else float(c)
        t.x = [t.x[k] for k in keep] + [first_x]
        t.y = [t.y[k] for k in keep] + [row]
        t.level, t.plateau, t.drop_to, t.last = row, [row], None, c
        t.mark_cols = [m for m in t.mark_cols if m < first_x]
        t.recent = []
        orphans.remove(o)
        return


def _close_plateau(t: Trace) -> None:
    if t.plateau and t.y:
        t.y[-1] = float(np.median(t.plateau))


def trace_tracks(mask: NDArray[np.bool_], k: int | None = None, *, resolve: bool = False,
                 dashes: bool = False) -> tuple[list[Trace], float]:
    """Follow the ``k`` (default: :func:`count_tracks`) curves of one colour's mask.

    Two tracks whose line styles change along them are re-solved over the whole width
    (:func:`_refine_pair`); with ``resolve`` they always are. Three or more are solved as
    ordered paths over the whole width (:func:`refine_ordered`), with no column tracking;
    with ``dashes`` the gaps of dashed and dotted lines are cheap for those paths.

    Returns the traces (top to bottom at their start) and the line width in pixels.
    """
    _h, w = mask.shape
    cols = column_runs(mask)
    lw = line_width(cols)
    if k is None:
        k = count_tracks(cols, lw)
    if k == 0:
        return [], lw
    thin_max = 1.8 * lw + 1
    tracks: list[Trace] = []
    start = -1
    top = min((rs[0][0] for rs in cols if rs), default=0)
    for c in range(w):
        # every curve starts at its highest point (S = 1): pixels lower down to its left
        # (a legend key at the left edge) are not its start
        if cols[c] and cols[c][0][0] <= top + 2 * lw + 2:
            # every curve starts at the top of the first column (S = 1); a run there
            # taller than a line is the first drop, followed from the top
            top, bottom = cols[c][0]
            y = 0.5 * (top + bottom) if bottom - top + 1 <= thin_max else top + 0.5 * (lw - 1)
            tracks = [Trace(x=[float(c)], y=[y], level=y, plateau=[y], last=c) for _ in range(k)]
            start = c
            break
    if start < 0:
        return [], lw
    orphans: list[list[float]] = []  # [row, columns seen, last column] of untracked runs
    falls_seen: list[tuple[int, float, float, int]] = []  # column, run, track of each fall
    # three or more tracks (a curve and its limits) are solved as ordered paths over the
    # whole width (refine_ordered, from the envelopes of the ink): no column tracking
    for c in range(start, w if k < 3 else start):
        rs = cols[c]
        if not rs:
            continue
        cands = sorted(((0 if b - a + 1 <= thin_max else 1, float(a), float(b)) for a, b in rs),
                       key=lambda z: (z[1] + z[2]) / 2 if z[0] == 0 else z[1])
        # how many columns each thin run has gone on at its row with no track on it
        ages = [1 + max((o[1] for o in orphans if abs(o[0] - 0.5 * (a + b)) <= 1.5),
                        default=0) if kind == 0 else 0 for kind, a, b in cands]
        tol = max(1.0, 0.6 * lw)
        skips = [t.skip_cost(c, bool(mask[max(int(t.level - tol), 0):int(t.level + tol) + 1,
                                          c + 1:c + t.max_gap + 4].any())) for t in tracks]
        # two curves (solid and dashed) may cross; three or more of one colour are most
        # often a curve and its confidence limits, which keep their order
        got = _assign_free(cands, tracks, c, lw, ages, skips, falls_seen) if \
            len(tracks) == 2 and len(cands) <= 8 else _assign(cands, tracks, c, lw, skips)
        falls_seen = [f for f in falls_seen if c - f[0] <= lw + 1] + [
            (c, cands[g[0]][1], cands[g[0]][2], id(t)) for t, g in zip(tracks, got, strict=True)
            if g is not None and g[1] == "fall"]
        taken_c = {g[0] for g in got if g is not None}
        orphans = _update_orphans(orphans, [0.5 * (cands[i][1] + cands[i][2])
                                            for i in range(len(cands))
                                            if i not in taken_c and cands[i][0] == 0], c)
        shared = {g[0] for g in got if g is not None}
        counts = {ci: sum(1 for g in got if g is not None and g[0] == ci) for ci in shared}
        falls = {g[0] for g in got if g is not None and g[1] == "fall"}
        for t, g in zip(tracks, got, strict=True):
            if g is None:
                t.miss += 1
                t.state[c] = 0
                t.recent = [*t.recent[-39:], 0]
                continue
            if g[1] == "mark" and g[0] in falls:
                continue  # another curve's drop passing this level, not a mark
            ci, act = g
            _kind, a, b = cands[ci]
            t.state[c] = 1 if counts[ci] == 1 else 2
            if counts[ci] == 1:
                t.own += 1
                t.recent = [*t.recent[-39:], 1]
            if act == "stay":
                if c - t.drop_col > lw + 3:
                    t.drop_from = None
                t.plateau.append(0.5 * (a + b))
                if counts[ci] == 1 and c - t.last - 1 <= 30:
                    t.max_gap = max(t.max_gap, c - t.last - 1)
                t.last = c
            elif act == "drop":
                y = 0.5 * (a + b)
                _close_plateau(t)
                x = float(t.drop_col) if t.drop_to is not None and c - t.drop_col <= 3 else c - 0.5
                t.x.append(x)
                t.y.append(y)
                t.level = y
                t.plateau = [y]
                t.drop_to = None
                t.last = c
            elif act == "fall":
                # a run from the level straight down is the drop itself: the curve is at
                # its foot from here (a steep stretch of close drops is followed column by
                # column, each column's run starting where the last one ended)
                y = b - 0.5 * (lw - 1)
                _close_plateau(t)
                if t.drop_from is None or c - t.drop_col > lw + 3:
                    t.drop_from = t.level
                if t.x and t.x[-1] >= c - 1.0:
                    t.y[-1] = max(t.y[-1], y)  # the same drop over anti-aliased columns
                else:
                    t.x.append(float(c))
                    t.y.append(y)
                t.level = t.y[-1]
                t.plateau = [t.level]
                t.drop_to = t.level
                t.drop_col = c
                t.last = c
            elif act == "settle":
                y = 0.5 * (a + b)
                t.y[-1] = y
                t.level, t.plateau, t.drop_to, t.drop_from = y, [y], None, None
                t.last = c
            else:  # mark
                t.mark_cols.append(c)
                t.last = c
            if t.plateau and act == "stay":
                t.level = float(np.median(t.plateau[-15:]))
        _rescue(tracks, orphans, c, lw)
        # tracks that touched may part here: keep them ordered by where they are heading
        tracks.sort(key=lambda t: t.drop_to if t.drop_to is not None and c - t.drop_col <= 3
                    else t.level)
    for t in tracks:
        _close_plateau(t)
    if len(tracks) >= 3:
        tracks = refine_ordered(mask, tracks, lw, start, dashes=dashes)
    if len(tracks) == 2:
        _swap_by_style(tracks[0], tracks[1], lw, w)
        # re-solved over the whole width: once with the styles the tracking found, once
        # more with the styles the paths then show (pieces swapped between touches first)
        refined = False
        if resolve or _styles_change(tracks[0], tracks[1], w):
            # pieces of the two curves swapped somewhere: the pair is re-solved over the
            # whole width, once with the styles the tracking found, once more with the
            # styles the paths then show (pieces swapped between touches first)
            for _ in range(2):
                _dash_shares(tracks)
                _refine_pair(mask, cols, tracks, lw, start)
                _swap_by_style(tracks[0], tracks[1], lw, w)
            refined = True
        if _styles_change(tracks[0], tracks[1], w, alone=refined):
            tracks[0].mixed = tracks[1].mixed = True
    out: list[Trace] = []
    for t in tracks:
        # where two tracks touched and swapped, a level may sit a pixel above the one
        # before it: a staircase never rises (page y never decreases)
        t.y = np.maximum.accumulate(np.asarray(t.y, dtype=np.float64)).tolist()
        t.x_end = float(t.last)
    _without_borrowed_ends(tracks, lw)
    _dash_shares(tracks)
    if len(tracks) == 2:
        tracks[0].unsure = tracks[1].unsure = unsure_stretches(tracks[0], tracks[1], lw, w)
    for t in tracks:
        marks: list[float] = []
        run: list[int] = []
        for c in [*t.mark_cols, 10**9]:
            if run and c - run[-1] > 1:
                marks.append(float(np.mean(run)))
                run = []
            run.append(c)
        # a mark at a drop is the drop's own pixels
        t.marks = [m for m in marks if m <= t.x_end and min(abs(m - x) for x in t.x) > lw + 1]
        out.append(t)
    return out, lw


def _without_borrowed_ends(tracks: list[Trace], lw: float) -> None:
    """A track whose last drop takes it onto another track's level, with no pixels of its
    own after that drop, has ended where its own ink stopped (a dotted curve whose follow-up
    ends before the solid one's): the drop and the borrowed stretch are not its own."""
    tol = lw + 1.0
    for t in tracks:
        others = [o for o in tracks if o is not t]
        while len(t.x) > 1:
            xk, yk = t.x[-1], t.y[-1]
            if any(c >= xk and v == 1 for c, v in t.state.items()):
                break
            cols = np.arange(np.ceil(xk), t.last + 1)
            if not len(cols) or not any(
                    o.x[0] <= xk and o.x_end >= t.last and
                    bool(np.all(np.abs(_levels(o, np.asarray(cols, dtype=np.float64)) - yk) <= tol))
                    for o in others):
                break
            own = [c for c, v in t.state.items() if v == 1 and c < xk]
            t.x.pop()
            t.y.pop()
            t.last = max(own) if own else int(np.floor(xk))
            t.x_end = float(t.last)


def _path_of(t: Trace, start: int, w: int) -> NDArray[np.int64]:
    """The track's row in every column from ``start`` on (its level, rounded)."""
    xs = np.arange(start, w, dtype=np.float64)
    i = np.clip(np.searchsorted(np.asarray(t.x), xs, side="right") - 1, 0, len(t.x) - 1)
    return np.asarray(np.rint(np.asarray(t.y)[i]), dtype=np.int64)


def _best_path(mask: NDArray[np.bool_], near: NDArray[np.bool_],
               cols: list[list[tuple[int, int]]], start: int, end: int, y0: int,
               other: NDArray[np.int64], other_end: int, skip: float, tol: int,
               runs: NDArray[np.int64] | None = None) -> tuple[NDArray[np.int64], float]:
    """The least-cost staircase path (one row per column from ``start``, never rising) of a
    track given the other track's path ``other``, and its cost (``runs``: :func:`_run_table`
    of ``cols``, when known).

    In each column up to ``end`` a row costs 0 on ink, 0.02 within ``tol`` rows of ink,
    ``skip`` where no ink lies within ``tol`` rows
    (a solid line's skip costs more than a dashed one's), 0.1 on a run of pixels the other
    track is on (shared), -1 on a run the other track leaves unexplained; a drop (the row
    going down) costs 1. Solved exactly by dynamic programming over the rows
    (:func:`_staircase`, the solver of :func:`ordered_path`; of equal-cost rows above, a
    drop comes from the last)."""
    rows_all, w = near.shape
    n = w - start
    # only the rows from the first one down to a row below all ink are solved: the rows
    # above the start are never reached, and the rows further down cost the same in every
    # column (``skip``), so a path there costs at least as much as in the row above them
    top = min(max(y0, 0), rows_all - 1)
    inked = np.flatnonzero(near.any(axis=1))
    lowest = int(inked[-1]) if len(inked) else 0
    bot = min(rows_all - 1, max(top, lowest + tol) + 1)
    h = bot - top + 1
    last = min(end, w - 1)
    m = max(last - start + 1, 0)
    by_col = np.zeros((n, h))  # (the costs column by column; none after ``end``)
    by_col[:m] = np.where(mask[top:bot + 1, start:last + 1], 0.0,
                          np.where(near[top:bot + 1, start:last + 1], 0.02, skip)).T
    # each run of ink, widened by ``tol`` rows, adds 0.1 (the other track on it) or -1,
    # run after run in the order of the column (np.add.at adds in the order given)
    table = _run_table(cols) if runs is None else runs
    lo_run, hi_run = np.searchsorted(table[:, 0], [start, last + 1])
    if hi_run > lo_run:
        c, a, b = table[lo_run:hi_run].T
        lo, hi = np.maximum(a - tol, 0), np.minimum(b + tol, rows_all - 1)
        r0, r1 = np.maximum(lo - top, 0), np.minimum(hi - top, h - 1)
        keep = r0 <= r1
        c, lo, hi, r0, r1 = c[keep], lo[keep], hi[keep], r0[keep], r1[keep]
        oc = np.where(c <= other_end, np.asarray(other, dtype=np.int64)[
            np.minimum(c - start, len(other) - 1)], -10**6)
        value = np.where((lo <= oc) & (oc <= hi), 0.1, -1.0)
        size = r1 - r0 + 1
        cells = np.repeat((c - start) * h, size) + _ranges(r0, size)
        np.add.at(by_col.ravel(), cells, np.repeat(value, size))
    path, final = _staircase(by_col.T, np.zeros(n, dtype=np.int64),
                             np.full(n, h - 1, dtype=np.int64), 0, last_above=True)
    return path + top, float(final.min())


def _run_table(cols: list[list[tuple[int, int]]]) -> NDArray[np.int64]:
    """Every run of ``cols`` as a row ``(column, first row, last row)``, column by column
    (within a column in its order)."""
    table = np.array([(c, a, b) for c, runs in enumerate(cols) for a, b in runs],
                     dtype=np.int64)
    return table.reshape(-1, 3)


def _refine_pair(mask: NDArray[np.bool_], cols: list[list[tuple[int, int]]],
                 tracks: list[Trace], lw: float, start: int) -> None:
    """Two tracks of one colour re-solved path by path over the whole width: each track's
    path is the exact least-cost staircase given the other's (:func:`_best_path`), in turn
    until neither changes (at most 4 rounds). The column-by-column tracking decides each
    column on what it has seen so far; a curve that took its neighbour's pixels for a
    stretch pays for the pixels it left unexplained and for the gaps on the way, over the
    whole stretch at once. The solid track (more columns with pixels of its own) pays more
    for a column without ink than the dashed one. Knots, levels and column states are
    rebuilt from the paths."""
    w = mask.shape[1]
    tol = max(1, round(0.6 * lw))
    near = mask.copy()
    for s in range(1, tol + 1):
        near[s:] |= mask[:-s]
        near[:-s] |= mask[s:]
    share = [t.dash_share for t in tracks]
    solid = int(np.argmax(share))
    skips = [1.5 if i == solid or abs(share[0] - share[1]) < 0.12 else 0.25 for i in range(2)]
    # the paths run to the right edge; each track ends at its last column of own pixels
    ends = [w - 1, w - 1]
    paths = [_path_of(t, start, w) for t in tracks]
    y0 = [int(p[0]) for p in paths]
    table = _run_table(cols)
    stale = [True, True]  # (a path is solved again only when the other one changed since)
    for _ in range(4):
        for i in (0, 1):
            if not stale[i]:
                continue
            stale[i] = False
            o = 1 - i
            new, _cost = _best_path(mask, near, cols, start, ends[i], y0[i], paths[o], ends[o],
                                    skips[i], tol, table)
            if not np.array_equal(new, paths[i]):
                paths[i], stale[o] = new, True
        if not any(stale):
            break
    # each curve ends where its ink stops: the column after which the path finds pixels of
    # its own less often than its line style has them (a solid line in every column, a
    # dashed one in about half; pixels shared with the other path count for neither), not
    # at the last pixel a later drop of the other curve puts on its row, nor where the
    # path goes on along the other curve. Then the curve that ends first no longer shares
    # the other's pixels after its end.
    on_ink = [np.array([any(a - tol <= p[c - start] <= b + tol for a, b in cols[c])
                        for c in range(start, w)]) for p in paths]
    same = np.array([any(a - tol <= paths[0][c - start] <= b + tol and
                         a - tol <= paths[1][c - start] <= b + tol for a, b in cols[c])
                     for c in range(start, w)])
    miss = [1.0 if skips[i] > 1.0 else 0.4 for i in (0, 1)]

    def end_of(i: int, shared: NDArray[np.bool_]) -> int:
        if not on_ink[i].any():
            return start
        score = np.cumsum(np.where(on_ink[i] & ~shared, 1.0,
                                   np.where(on_ink[i], 0.0, -miss[i])))
        return start + int(np.argmax(score))

    last = [end_of(0, same), end_of(1, same)]
    first = int(np.argmin(last))
    after = np.arange(start, w) > last[first]
    last[1 - first] = end_of(1 - first, same & ~after)
    ends = last
    for i, t in enumerate(tracks):
        t.last = ends[i]
        p = paths[i]
        xs = [float(start)]
        ys = [float(p[0])]
        for j in range(1, min(len(p), ends[i] - start + 1)):
            if p[j] != p[j - 1]:
                xs.append(start + j - 0.5)
                ys.append(float(p[j]))
        # each level at the median centre of the thin runs it lies on
        bounds = [*[int(np.ceil(x)) for x in xs], ends[i] + 1]
        for k in range(len(ys)):
            centres = [0.5 * (a + b) for c in range(bounds[k], bounds[k + 1])
                       for a, b in cols[c] if b - a + 1 <= 1.8 * lw + 1
                       and abs(0.5 * (a + b) - ys[k]) <= tol + 0.5 * lw + 0.5]
            if centres:
                ys[k] = float(np.median(centres))
        t.x, t.y = xs, ys
        t.state = {}
    # the column states (own pixels, none, shared) are kept where the track is level (no
    # knot within lw + 2 columns): on a steep stretch a dashed line's drops fill the
    # columns of its gaps, and its style shows on its horizontal pieces only
    # (and from the first of two columns in a row where the track is on pixels: a speck at
    # the top left may have started the tracks before the curves begin)
    knots = [np.asarray(t.x[1:], dtype=np.float64) for t in tracks]
    on = [[any(a - tol <= int(paths[i][c - start]) <= b + tol for a, b in cols[c])
           for c in range(start, w)] + [False] for i in (0, 1)]
    begun = [False, False]
    for c in range(start, w):
        for i, t in enumerate(tracks):
            r = int(paths[i][c - start])
            mine = [(a, b) for a, b in cols[c] if a - tol <= r <= b + tol]
            begun[i] = begun[i] or (on[i][c - start] and on[i][c - start + 1])
            if c > ends[i] or not begun[i] or (
                    len(knots[i]) and np.min(np.abs(knots[i] - c)) <= lw + 2):
                continue
            if not mine:
                t.state[c] = 0
                continue
            r2 = int(paths[1 - i][c - start])
            t.state[c] = 2 if c <= ends[1 - i] and any(a - tol <= r2 <= b + tol
                                                        for a, b in mine) else 1


def _dash_shares(tracks: list[Trace]) -> None:
    """Each track's share of columns with pixels of its own among those with its own or
    none (shared columns do not count)."""
    for t in tracks:
        own = sum(1 for v in t.state.values() if v == 1)
        miss = sum(1 for c, v in t.state.items() if v == 0 and c <= t.last)
        t.dash_share = own / max(own + miss, 1)


def _level_at(t: Trace, c: float) -> float:
    i = int(np.searchsorted(t.x, c, side="right")) - 1
    return t.y[max(i, 0)]


def _levels(t: Trace, cs: NDArray[np.float64]) -> NDArray[np.float64]:
    """:func:`_level_at` at every column of ``cs`` at once."""
    i = np.searchsorted(np.asarray(t.x, dtype=np.float64), cs, side="right") - 1
    return np.asarray(t.y, dtype=np.float64)[np.maximum(i, 0)]


def _states(t: Trace, w: int) -> NDArray[np.int64]:
    """The track's column states in columns ``0 .. w - 1`` (-1 where it has none)."""
    out = np.full(w, -1, dtype=np.int64)
    for c, v in t.state.items():
        if 0 <= c < w:
            out[c] = v
    return out


def _between_touches(a: Trace, b: Trace, lw: float, w: int
                     ) -> list[tuple[int, int, float, float]]:
    """The stretches between two touches (or crossings) of two tracks of one colour, 21
    columns or longer: ``(lo, hi, share_a, share_b)`` with each track's share of columns with
    pixels of its own there (NaN: fewer than 10 columns not shared)."""
    cs = np.arange(w, dtype=np.float64)
    sa, sb = _states(a, w), _states(b, w)
    near = (sa >= 0) & (sb >= 0) & (np.abs(_levels(a, cs) - _levels(b, cs)) <= 1.5 * lw)
    touch = set(np.flatnonzero((sa == 2) | (sb == 2) | near).tolist())
    # a crossing (the order of the levels changes) is a touch, even where it falls in a
    # column without a state (a knot's neighbourhood)
    lo_c, hi_c = int(max(a.x[0], b.x[0])), int(min(a.last, b.last))
    if hi_c >= lo_c:
        span = np.arange(lo_c, hi_c + 1, dtype=np.float64)
        d = np.sign(_levels(a, span) - _levels(b, span))
        nz = np.flatnonzero(d != 0)  # (a column of equal levels keeps the order before it)
        flips = nz[1:][d[nz[1:]] != d[nz[:-1]]]
        touch.update((lo_c + flips).tolist())
    if not touch:
        return []
    marks = sorted(touch)
    bounds: list[tuple[int, int]] = []
    prev = marks[0]
    for c in [*marks[1:], w]:
        if c - prev > 20:
            bounds.append((prev + 1, c))
        prev = c

    def share(st: NDArray[np.int64], lo: int, hi: int) -> float:
        v = st[max(lo, 0):max(hi, 0)]
        v = v[(v >= 0) & (v != 2)]
        return float(np.mean(v == 1)) if len(v) >= 10 else float("nan")

    return [(lo, hi, share(sa, lo, hi), share(sb, lo, hi)) for lo, hi in bounds]


def _styles_differ(segs: list[tuple[int, int, float, float]]) -> bool:
    """Whether the two tracks' shares differ by 0.15 or more between some two touches."""
    return any(abs(sa - sb) >= 0.15 for _, _, sa, sb in segs
               if np.isfinite(sa) and np.isfinite(sb))


def _swap_by_style(a: Trace, b: Trace, lw: float, w: int) -> None:
    """Two tracks of one colour that touch (cross) swap places in the order: between two
    touches give the solid-looking piece to one track and the dashed-looking piece to the
    other, so that a crossing solid and dashed pair keeps its identities."""
    segs = _between_touches(a, b, lw, w)
    if not _styles_differ(segs):
        return  # one style: nothing tells them apart
    # the identity of a: the style it has over most of its length
    solid_a = sum((sa - sb) * (hi - lo) for lo, hi, sa, sb in segs
                  if np.isfinite(sa - sb)) > 0
    for lo, hi, sa, sb in segs:
        here = _solid_here(sa, sb)
        if here is not None and here != solid_a:
            _swap_range(a, b, lo, hi)


def unsure_stretches(a: Trace, b: Trace, lw: float, w: int) -> list[tuple[int, int]]:
    """The stretches between two touches, 10 columns or longer, where two tracks of
    different line styles (their shares of columns with pixels of their own differ by 0.15
    or more between some two touches) look alike (shares within 0.15 of each other) while
    apart (levels 3 line widths or more apart on average): which of the two curves is which
    there is the column-by-column tracking's guess, nothing in the pixels confirms it."""
    segs = _between_touches(a, b, lw, w)
    if not _styles_differ(segs):
        return []
    end = int(min(a.last, b.last)) + 1
    out: list[tuple[int, int]] = []
    for lo, hi, sa, sb in segs:
        hi = min(hi, end)
        if hi - lo < 10 or not (np.isfinite(sa) and np.isfinite(sb)) or abs(sa - sb) >= 0.15:
            continue
        cs = np.arange(lo, hi, dtype=np.float64)
        apart = np.mean(np.abs(_levels(a, cs) - _levels(b, cs)))
        if apart >= 3 * lw:
            out.append((lo, hi))
    return out


def _solid_here(sa: float, sb: float) -> bool | None:
    """Whether track a is the solid one between two touches, from the two tracks' shares of
    columns with pixels of their own there (NaN: too few columns to tell); with one share
    only, a clear style of that track decides (solid ≥ 0.9, dashed ≤ 0.7)."""
    if np.isfinite(sa) and np.isfinite(sb):
        return None if abs(sa - sb) < 0.15 else bool(sa > sb)
    if np.isfinite(sa):
        return True if sa >= 0.9 else (False if sa <= 0.7 else None)
    if np.isfinite(sb):
        return False if sb >= 0.9 else (True if sb <= 0.7 else None)
    return None


def _styles_change(a: Trace, b: Trace, w: int, width: int = 60, alone: bool = False) -> bool:
    """Whether the two tracks' line styles disagree along them: in windows of ``width``
    columns (half overlapping) where both have 25 columns or more of their own state (not
    shared), one track has clearly more columns with pixels (by 0.3) in three windows in a
    row and the other in three others.
    A solid and a dashed curve keep their styles; a trace that took over its neighbour's
    curve somewhere (a mix-up no touch marks) changes style there. With ``alone`` (the
    states of re-solved tracks, kept on level columns only), also when one track alone
    looks dashed (≤ 0.7) in two windows and solid (≥ 0.9) in two others, each window with
    15 columns or more of its own state: it followed the other curve for a stretch where
    the other track has too few states to compare with."""
    diffs: list[float] = []
    for lo in range(0, w, width // 2):
        va = [a.state[c] for c in range(lo, lo + width) if a.state.get(c, 2) != 2]
        vb = [b.state[c] for c in range(lo, lo + width) if b.state.get(c, 2) != 2]
        if len(va) >= 25 and len(vb) >= 25:
            diffs.append(float(np.mean([v == 1 for v in va]) - np.mean([v == 1 for v in vb])))
    def persists(sign: float) -> bool:  # three windows in a row (90 columns or more)
        run = 0
        for d in diffs:
            run = run + 1 if sign * d >= 0.3 else 0
            if run >= 3:
                return True
        return False

    if persists(1.0) and persists(-1.0):
        return True
    if not alone:
        return False
    for t in (a, b):
        kinds = []
        for lo in range(0, w, width // 2):
            v = [t.state[c] for c in range(lo, lo + width) if t.state.get(c, 2) != 2]
            if len(v) >= 15:
                kinds.append(float(np.mean([x == 1 for x in v])))
        if sum(k <= 0.7 for k in kinds) >= 2 and sum(k >= 0.9 for k in kinds) >= 2:
            return True
    return False


def _swap_range(a: Trace, b: Trace, lo: int, hi: int) -> None:
    """Exchange the knots, marks and column states of two tracks in columns [lo, hi)."""
    def split(t: Trace) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        inside = [(x, y) for x, y in zip(t.x, t.y, strict=True) if lo <= x < hi]
        outside = [(x, y) for x, y in zip(t.x, t.y, strict=True) if not lo <= x < hi]
        return inside, outside

    ia, oa = split(a)
    ib, ob = split(b)
    # a(c) becomes b(c) on [lo, hi): b's knots inside, a knot at lo at b's level there and
    # one at hi back at a's own level (repeated levels are merged below)
    na = sorted([*oa, *ib, (float(lo), _level_at(b, lo)), (float(hi), _level_at(a, hi))])
    nb = sorted([*ob, *ia, (float(lo), _level_at(a, lo)), (float(hi), _level_at(b, hi))])
    for t, pts in ((a, na), (b, nb)):
        xs: list[float] = []
        ys: list[float] = []
        for x, y in pts:
            if ys and abs(y - ys[-1]) < 1e-9:
                continue
            if xs and x == xs[-1]:
                ys[-1] = y
                continue
            xs.append(x)
            ys.append(y)
        t.x, t.y = xs, ys
    ma = [m for m in a.mark_cols if lo <= m < hi]
    mb = [m for m in b.mark_cols if lo <= m < hi]
    a.mark_cols = sorted([m for m in a.mark_cols if not lo <= m < hi] + mb)
    b.mark_cols = sorted([m for m in b.mark_cols if not lo <= m < hi] + ma)
    for c in range(lo, hi):
        sa, sb = a.state.pop(c, None), b.state.pop(c, None)
        if sb is not None:
            a.state[c] = sb
        if sa is not None:
            b.state[c] = sa



def dash_gap(lw: float) -> int:
    """The longest gap between two dashes (or dots) of one line, in pixels, for a line
    ``lw`` pixels wide: R and ggplot2 draw dashes in units of the line width (``lty = 2``
    and ``"dashed"`` are 4 on, 4 off; ``"dotted"`` 1 on, 3 off; ``"longdash"`` 7 on, 3
    off), matplotlib's dashes are 3.7 on, 1.6 off line widths. Anti-aliasing makes the
    measured width up to a pixel off, and dash ends fade: 5 widths and 3 pixels."""
    return round(5.0 * max(lw, 1.0) + 3.0)


def thin_pixels(mask: NDArray[np.bool_], cols: list[list[tuple[int, int]]], lw: float
                ) -> NDArray[np.bool_]:
    """The pixels of ``mask`` in vertical runs no taller than a line (``1.8 lw + 1``): the
    horizontal pieces of the lines (``cols`` are the mask's :func:`column_runs`)."""
    del cols  # (the runs are numbered here at once, column by column)
    ids, n = _run_ids(mask, 0)
    lengths = np.bincount(ids[mask], minlength=n + 1)
    return mask & (lengths[ids] <= 1.8 * lw + 1)


def bridged_rows(mask: NDArray[np.bool_], gap: int) -> NDArray[np.bool_]:
    """The pixels of ``mask``'s rows that lie in a gap of at most ``gap`` pixels between
    two True pixels of the row (the gaps of a horizontal dashed or dotted line), not
    including the True pixels themselves."""
    w = mask.shape[1]
    if w == 0:
        return np.zeros_like(mask)
    idx = np.arange(w)
    before = np.maximum.accumulate(np.where(mask, idx, -1), axis=1)
    after = np.minimum.accumulate(np.where(mask, idx, w)[:, ::-1], axis=1)[:, ::-1]
    return ~mask & (before >= 0) & (after < w) & (after - before - 1 <= gap)


def _peeled(paths: NDArray[np.int64], gain: NDArray[np.float64], lo0: NDArray[np.int64],
            hi: NDArray[np.int64], y0: int, lw: float) -> NDArray[np.int64]:
    """The paths peeled off the ink from the top: each the highest staircase
    (least cost in ``gain``, which favours high rows) on ink no path above it explains (a
    band of a line width and a pixel about each path above costs 0.1)."""
    h, n = gain.shape
    jj = np.arange(n)
    band = max(1, round(lw)) + 1
    by_col = np.ascontiguousarray(gain.T)  # (no copy of a transposed view of such costs)
    explained = np.zeros((n, h), dtype=bool)  # column by column
    for i in range(len(paths)):
        lo = paths[i - 1] if i > 0 else lo0
        paths[i] = ordered_path(np.where(explained, 0.1, by_col).T, lo, hi, y0)
        for s in range(-band, band + 1):
            explained[jj, np.clip(paths[i] + s, 0, h - 1)] = True
    return paths


def _run_ids(mask: NDArray[np.bool_], tol: int) -> tuple[NDArray[np.int64], int]:
    """Every pixel's vertical run (numbered from 1 over the whole mask; 0: none), each run
    reaching ``tol`` rows beyond its ends (a row inside two reaches takes the lower run).

    Worked out on the pixels of the mask alone, column by column (the runs are numbered
    column by column, from the top): a free row takes the run of the nearest pixel above
    or below it in its column within ``tol`` rows, the one below at equal distances. The
    result is the transposed view of a column-major array (rows x columns, like ``mask``).
    """
    h, w = mask.shape
    out = np.zeros(h * w, dtype=np.int64)  # column by column
    pix = np.flatnonzero(np.ascontiguousarray(mask.T))
    if len(pix) == 0:
        return out.reshape(w, h).T, 0
    row = pix % h
    first = np.ones(len(pix), dtype=bool)  # the first pixel of a run
    first[1:] = (pix[1:] != pix[:-1] + 1) | (row[1:] == 0)
    run = np.cumsum(first, dtype=np.int64)
    n = int(run[-1])
    out[pix] = run
    last = np.ones(len(pix), dtype=bool)  # the last pixel of a run
    last[:-1] = first[1:]
    tops, ends, top_row, end_row = pix[first], pix[last], row[first], row[last]
    numbers = np.arange(1, n + 1)
    for s in range(1, tol + 1):
        # the rows s above a run's top and s below its end, where still free (at equal
        # distance from two runs, the lower run: the larger number)
        up, down = top_row >= s, end_row + s < h
        cells = np.concatenate([tops[up] - s, ends[down] + s])
        nums = np.concatenate([numbers[up], numbers[down]])
        order = np.lexsort((-nums, cells))
        cells, nums = cells[order], nums[order]
        keep = out[cells] == 0
        keep[1:] &= cells[1:] != cells[:-1]
        out[cells[keep]] = nums[keep]
    return out.reshape(w, h).T, n


def _ranges(starts: NDArray[np.int64], lengths: NDArray[np.int64]) -> NDArray[np.int64]:
    """The integers of the ranges ``[starts[i], starts[i] + lengths[i])``, one after the
    other."""
    before = np.cumsum(lengths) - lengths  # (where each range starts in the result)
    return np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))


def _lowest_above(col: NDArray[np.float64], a: int, y: int, big: float, last: bool) -> int:
    """The first (``last``: the last) row of least cost above row ``y`` (over rows ``0 ..
    y - 1``) of a column whose rows from ``a`` on hold ``col`` and all others ``big``."""
    full = np.full(y, big)
    top = min(a + len(col), y)
    if top > a:
        full[a:top] = col[:top - a]
    return y - 1 - int(np.argmin(full[::-1])) if last else int(np.argmin(full))


def ordered_path(cost: NDArray[np.float64], lo: NDArray[np.int64], hi: NDArray[np.int64],
                  y0: int) -> NDArray[np.int64]:
    """The least-cost staircase path (one row per column, never rising, starting at row
    ``y0``) through the column costs ``cost`` (rows x columns) with its row in column j
    within ``[lo[j], hi[j]]``; a drop costs 1 (:func:`_staircase`; of equal-cost rows
    above, a drop comes from the first)."""
    return _staircase(cost, lo, hi, y0)[0]


def _staircase(cost: NDArray[np.float64], lo: NDArray[np.int64], hi: NDArray[np.int64],
               y0: int, *, last_above: bool = False
               ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The least-cost staircase path (one row per column, never rising, starting at row
    ``y0``) through the column costs ``cost`` (rows x columns) with its row in column j
    within ``[lo[j], hi[j]]``; a drop costs 1. Exact dynamic programme, column by column.

    A row's least cost in column j is ``min(d, above + 1) + cost``: ``d`` its least cost in
    column j - 1 (the path stays in the row) and ``above`` the least cost of the rows above
    it there (a drop from the cheapest of them: a running minimum down the column); in the
    first column only row ``y0`` is reached, at no cost before its own. The columns are
    solved in blocks of 64 over the rows ``min lo .. max hi`` of the block: a row outside
    its column's own bounds costs 1e18 there; a row outside the block's counts as 1e18,
    but the least cost of the rows above the block in the column before it starts the
    running minimum of the block's first column (the top row's is held at 1e18 where that
    cost is more). A block keeps its columns' least costs and running minima plus one in
    two arrays allocated at once, and a column is four numpy calls on their rows
    (``np.fmin.accumulate``, which gives ``np.minimum``'s running minimum on costs without
    NaN and is faster; ``+ 1``; ``np.minimum`` with the row's own; ``+`` the costs). The
    costs are read from ``cost.T``, copied only where its rows are not contiguous
    (:func:`refine_ordered` lays its costs out column by column).

    The path is read back from the first cheapest row of the last column: it stays in its
    row back to the last column where the row's least cost in the column before is above
    the running minimum plus one there (a tie stays; found per block at once from the
    kept arrays), and there came from the first cheapest row above it in the column
    before (with ``last_above``, the last cheapest row above it). The sums and comparisons
    are those of a column-by-column loop over these blocks, in the same order, so that
    equal-cost paths are told apart the same way. Returns the path and the least costs of
    the rows of the last block in the last column."""
    h, n = cost.shape
    big = 1e18
    by_col = cost.T  # column j's costs are by_col[j]
    if by_col.strides[1] != by_col.itemsize:
        by_col = np.ascontiguousarray(by_col)
    lo, hi = np.asarray(lo), np.asarray(hi)
    # the blocks' rows, and each column's own bounds as rows of its block's window
    first = np.arange(0, n, 64)
    a_of = np.maximum(np.minimum.reduceat(lo, first), 0)
    b_of = np.minimum(np.maximum(np.maximum.reduceat(hi, first), a_of), h - 1)
    a_col = np.repeat(a_of, 64)[:n]
    m_col = np.repeat(b_of - a_of + 1, 64)[:n]
    tops = np.clip(lo - a_col, 0, m_col)
    ends = np.clip(hi - a_col + 1, 0, m_col)
    bounded = (np.maximum.reduceat(tops, first) > 0) | \
        (np.minimum.reduceat(ends - m_col, first) < 0)
    # over a window of m rows, from_top[h - k, :m] is (row >= k) and to_end[h - k, :m]
    # (row < k): sliding windows over a step
    step = np.arange(2 * h + 1) >= h
    from_top, to_end = sliding_window_view(step, h), sliding_window_view(~step, h)
    ones = np.ones(h)
    acc, add, minimum = np.fmin.accumulate, np.add, np.minimum
    d = np.full(h, big)  # the least costs in the column before the block
    d[min(max(y0, 0), h - 1)] = 0.0
    # per block: its first column and row, its least costs (row t + 1 is column c0 + t after
    # a slot of 1e18; row 0 the column before after the carry) and running minima plus one
    blocks: list[tuple[int, int, NDArray[np.float64], NDArray[np.float64]]] = []
    for c0, a, b, masked in zip(first.tolist(), a_of.tolist(), b_of.tolist(),
                                bounded.tolist(), strict=True):
        c1 = min(c0 + 64, n)
        m, width = b - a + 1, c1 - c0
        sub = by_col[c0:c1, a:b + 1]
        if masked:  # some rows outside their column's bounds
            ok = from_top[h - tops[c0:c1], :m]
            ok &= to_end[h - ends[c0:c1], :m]
            sub = np.where(ok, sub, big)
        dist = np.empty((width + 1, m + 1))
        dist[1:, 0] = big  # the rows above the block, after its first column
        carry = float(d[:a].min()) if a > 0 else big
        dist[0, 0] = carry
        dist[0, 1:] = d[a:b + 1]
        drop = np.empty((width, m))  # the running minima plus one
        one = ones[:m]
        prev, vals, drops, costs = list(dist[:, :-1]), list(dist[:, 1:]), list(drop), list(sub)
        if c0 == 0:
            drop[0] = np.inf  # the first column: the path starts there (in row y0)
            add(vals[0], costs[0], vals[1])
        for t in range(1 if c0 == 0 else 0, width):
            run = drops[t]
            acc(prev[t], 0, None, run)  # (prev[t] is the slot, then all rows but the last)
            if t == 0 and carry > big:
                run[0] = big
            add(run, one, run)
            new = vals[t + 1]
            minimum(vals[t], run, out=new)
            add(new, costs[t], new)
        d = np.full(h, big)
        d[a:b + 1] = dist[width, 1:]
        blocks.append((c0, a, dist, drop))
    path = np.empty(n, dtype=np.int64)
    c0, a, dist, drop = blocks[-1]
    final = dist[n - c0, 1:]
    y = _lowest_above(final, a, h, big, False)
    j = n - 1  # the path is known in the columns after j, and is in row y in column j
    while j >= 0:
        if y == 0:
            path[:j + 1] = 0
            break
        c0, a, dist, drop = blocks[j // 64]
        r, t = y - a, j - c0
        if 0 <= r < dist.shape[1] - 1:
            moved = np.flatnonzero(dist[:t + 1, r + 1] > drop[:t + 1, r])
            j0 = c0 + int(moved[-1]) if len(moved) else -1
        else:  # outside the block's rows: came from above
            j0 = j
        if j0 < 0:  # in row y from the block's first column on
            path[c0:j + 1] = y
            j = c0 - 1
            continue
        path[j0:j + 1] = y
        if j0 == 0:
            break
        c0, a, dist, drop = blocks[(j0 - 1) // 64]
        y = _lowest_above(dist[j0 - c0, 1:], a, y, big, last_above)
        j = j0 - 1
    return path, final


def refine_ordered(mask: NDArray[np.bool_], tracks: list[Trace], lw: float, start: int,
                   *, dashes: bool = False) -> list[Trace]:
    """Three or more tracks of one colour that keep their order (a curve and its pointwise
    confidence limits: the upper limit is never below the curve, the lower never above it)
    re-solved path by path over the whole width; returns the tracks kept.

    The paths start as the tracks' rows sorted in every column (the k-th lowest of
    staircases that never rise is one too: the column-by-column tracking may have swapped
    pieces between them where they drop together). Then, in turn until none changes (at
    most 4 rounds), each path is the exact least-cost staircase (:func:`ordered_path`)
    between its neighbours' paths: a column costs 0 on ink, 0.02 within ``tol`` rows of
    ink, 1.5 off ink; a vertical run of pixels no other path passes through is a gain of
    1, one another path is on a cost of 0.1; a drop costs 1. Two neighbouring paths on
    one run of pixels in half the columns where either has ink follow one curve (the
    ``+`` marks of a curve are taller than its line and hold two paths): the one on a thin
    run less often is dropped and the rest re-solved. Knots, levels and the column states
    (own pixels, none, shared) are rebuilt from the paths.

    With ``dashes`` (the lines may be dashed or dotted) a pixel in a gap of a horizontal
    line (:func:`bridged_rows` on the horizontal pieces widened by a line width and a
    pixel, gaps up to :func:`dash_gap`) costs 0.1 instead of 1.5; the inner paths are
    solved first between the envelopes, a second start peels the paths off the ink from
    the top, and of the two settled the one with less left unexplained is kept; a path's own end is
    found with the others' pixels counted as shared only up to their own ends (a limit's
    path, past its line, lies on the curve's tail)."""
    h, w = mask.shape
    if len(tracks) < 2 or start >= w:
        return tracks
    tol = max(1, round(0.6 * lw))
    cols = column_runs(mask)
    sub = mask[:, start:]
    ids, n_runs = _run_ids(sub, tol)
    # (the costs are worked out column by column, each column's rows contiguous: the
    # layout ordered_path reads; ids is a transposed view of such an array)
    ids_by_col = np.ascontiguousarray(ids.T)
    sub_by_col = np.ascontiguousarray(sub.T)
    near = sub_by_col.copy()  # within tol rows of ink
    for s in range(1, tol + 1):
        near[:, s:] |= sub_by_col[:, :-s]
        near[:, :-s] |= sub_by_col[:, s:]
    thin_ids = np.zeros(n_runs + 1, dtype=bool)  # runs no taller than a line
    lengths = np.bincount(ids_by_col[sub_by_col], minlength=n_runs + 1)
    thin_ids[1:] = lengths[1:] <= 1.8 * lw + 1
    # the gaps of a dashed or dotted line (ink in the row on both sides within a dash
    # gap) cost little: else a path would rather share a solid curve's pixels than run
    # along a dashed limit, half of whose columns are paper
    # (a dotted line falling steeply steps a row or more from dot to dot: the gaps are
    # bridged on the ink widened by a line width up and down)
    # (only between horizontal pieces: the uprights of crowded censoring marks are no
    # dashes, and bridged they would make a cheap path along the marks' tops)
    # (with ``dashes`` only: the lines of one colour are dashed or dotted)
    gaps = np.zeros(sub.shape, dtype=bool)
    if dashes:
        flat = thin_pixels(mask, cols, lw)
        reach = max(1, round(lw)) + 1
        tall = flat.copy()
        for s in range(1, reach + 1):
            tall[s:] |= flat[:-s]
            tall[:-s] |= flat[s:]
        gaps = bridged_rows(tall, dash_gap(lw))[:, start:]
    gaps_by_col = np.ascontiguousarray(gaps.T)
    base_by_col = np.where(near, 0.02, np.where(gaps_by_col, 0.1, 1.5) if dashes else 1.5)
    base_by_col[sub_by_col] = 0.0
    base = base_by_col.T
    paths = np.sort(np.stack([_path_of(t, start, w) for t in tracks]), axis=0)
    paths = np.clip(paths, 0, h - 1)
    # every path starts at the top of the first column (S = 1), also where the curves drop
    # there at once (their level at S = 1 hidden under another colour's curve)
    first = cols[start][0] if cols[start] else (int(paths[:, 0].min()),) * 2
    y0 = round(0.5 * (first[0] + first[1]) if first[1] - first[0] + 1 <= 1.8 * lw + 1
               else first[0] + 0.5 * (lw - 1))
    paths[:, 0] = y0
    jj = np.arange(w - start)
    tracks = list(tracks)
    inked = np.flatnonzero(sub.any(axis=1))
    bottom = min(int(inked[-1]) + tol if len(inked) else h - 1, h - 1)

    # a solve's costs (column by column): the base costs plus 0.1 on a run another path is
    # on, -1 on one no path is on; kept for the runs explained in the last solve, and
    # changed on the pixels of the runs that change
    flat_ids = ids_by_col.ravel()
    run_cells = np.flatnonzero(flat_ids)
    run_pixels = run_cells[np.argsort(flat_ids[run_cells], kind="stable")]  # (run by run)
    run_size = np.bincount(flat_ids[run_cells], minlength=n_runs + 1)
    run_first = np.cumsum(run_size) - run_size
    explained = np.zeros(n_runs + 1, dtype=bool)  # (the runs of the costs kept)
    cost_by_col = base_by_col.copy()
    base_flat, cost_flat = base_by_col.ravel(), cost_by_col.ravel()  # (views)
    cost_flat[run_cells] -= 1.0  # (no run explained yet)
    full_lo = np.full(w - start, y0, dtype=np.int64)
    full_hi = np.full(w - start, bottom, dtype=np.int64)
    solved: dict[tuple[bytes, bytes, bytes], NDArray[np.int64]] = {}

    def solve(paths: NDArray[np.int64], i: int, own_hit: bool = False) -> NDArray[np.int64]:
        """Path i given the others (with ``own_hit`` its own runs count as explained too,
        so that it moves to a line no path is on)."""
        nonlocal explained
        k = len(paths)
        hit = np.zeros(n_runs + 1, dtype=bool)
        for q in range(k):
            if q != i or own_hit:
                hit[ids[paths[q], jj]] = True
        hit[0] = False
        lo = paths[i - 1] if i > 0 else full_lo
        hi = paths[i + 1] if i + 1 < k else full_hi
        # only the rows the path may take (between its neighbours) are solved
        a, b = max(int(lo.min()), y0), max(int(hi.max()), y0)
        # (the path depends on its bounds and the runs explained alone: one solved before
        # is reused)
        key = (lo.tobytes(), hi.tobytes(), hit.tobytes())
        if key in solved:
            return solved[key]
        changed = np.flatnonzero(hit != explained)
        pixels = run_pixels[_ranges(run_first[changed], run_size[changed])]
        cost_flat[pixels] = base_flat[pixels] + np.where(hit[flat_ids[pixels]], 0.1, -1.0)
        explained = hit
        path = ordered_path(cost_by_col[:, a:b + 1].T, lo - a, hi - a, y0 - a) + a
        solved[key] = path
        return path

    def settle(paths: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each path in turn re-solved given the others until none changes (at most 4
        rounds); a path is re-solved only when another one changed since its last solve."""
        paths = paths.copy()
        k = len(paths)
        stale = [True] * k
        for _ in range(4):
            if not any(stale):
                break
            for i in range(k):
                if not stale[i]:
                    continue
                stale[i] = False
                new = solve(paths, i)
                if not np.array_equal(new, paths[i]):
                    paths[i] = new
                    stale = [True if q != i else stale[q] for q in range(k)]
        return paths

    def shares(paths: NDArray[np.int64], i: int) -> tuple[int, int]:
        """Columns where paths i and i + 1 are on one run, and where either is on ink."""
        on_a, on_b = ids[paths[i], jj], ids[paths[i + 1], jj]
        return int(np.sum((on_a == on_b) & (on_a > 0))), int(np.sum((on_a > 0) | (on_b > 0)))

    def duplicate(paths: NDArray[np.int64]) -> int:
        for i in range(len(paths) - 1):
            same, either = shares(paths, i)
            if either and same >= 0.5 * either:
                on = [ids[paths[q], jj] for q in (i, i + 1)]
                thin = [float(np.mean(thin_ids[o][o > 0])) if np.any(o > 0) else 0.0
                        for o in on]
                return i if thin[0] < thin[1] else i + 1
        return -1

    # the ink's gains: the costs with no run explained (no solve has changed them yet)
    # (a dashed or dotted line's gaps count nearly as ink here: the envelope of the ink is
    # the outermost line, not the one with the most pixels)
    ink_gain = np.where(gaps_by_col & (ids_by_col == 0), -0.9, cost_by_col) if dashes \
        else cost_by_col
    rows = np.arange(h, dtype=np.float64)[None, :]  # (column by column)
    # (rows x columns: transposed views of the costs column by column)
    gain_high = (ink_gain + 0.002 * rows).T  # (keeping as high as it can)
    gain_low = (ink_gain - 0.002 * rows).T  # (as low)

    def energy(paths: NDArray[np.int64]) -> float:
        """What the paths leave unexplained (the sum the solves minimise): their columns'
        costs and drops, 0.1 for each path on a run another path is on, less one for
        every run some path is on."""
        on = ids[paths, jj[None, :]]
        runs = on[on > 0]
        distinct = len(np.unique(runs))
        drops = int(np.sum(paths[:, 1:] != paths[:, :-1]))
        return float(base[paths, jj[None, :]].sum()) + drops + 0.1 * (len(runs) - distinct) \
            - distinct

    # two starts (with ``dashes``), each settled, the better one kept: (1) the outer
    # paths as the envelopes of the ink (the staircase on most ink keeping as high, or as
    # low, as it can), the inner ones solved first between them (an inner path starting on
    # an envelope would leave that envelope's line no gain, and the outer path, re-solved
    # first, would move onto an inner line with more pixels, a solid one below a dotted
    # upper line); (2) the paths peeled off the ink from the top, each the highest
    # staircase on ink no path above it explains (a band of a line width and a pixel
    # about each path above)
    env = paths.copy()
    env[0] = ordered_path(gain_high, full_lo, full_hi, y0)
    env[-1] = ordered_path(gain_low, env[0], full_hi, y0)
    env[1:-1] = np.clip(env[1:-1], env[0], env[-1])
    if dashes:
        for i in range(1, len(env) - 1):
            env[i] = solve(env, i)
    paths = settle(env)
    if dashes:
        # (the settled start leaving less unexplained is kept)
        peel = settle(_peeled(paths.copy(), gain_high, full_lo, full_hi, y0, lw))
        paths = peel if energy(peel) < energy(paths) else paths

    while True:
        dup = duplicate(paths) if len(tracks) > 2 else -1
        if dup < 0:
            break
        del tracks[dup]
        paths = settle(np.delete(paths, dup, axis=0))
    k = len(tracks)
    on_ids = [ids[paths[i], jj] for i in range(k)]

    def own_end(i: int, reach: list[int]) -> tuple[int, NDArray[np.bool_]]:
        # the last column where path i has pixels of its own (no other path, within the
        # column that path reaches, on its run), and the columns it shares
        mine = on_ids[i]
        shared = np.zeros(len(jj), dtype=bool)
        for q in range(k):
            if q != i:
                shared |= (on_ids[q] == mine) & (mine > 0) & (jj <= reach[q])
        own = np.flatnonzero((mine > 0) & ~shared)
        inked = np.flatnonzero(mine > 0)
        return int(own[-1] if len(own) else (inked[-1] if len(inked) else 0)), shared

    # a path runs the whole width: past the end of its own line (a confidence limit ends
    # at the last event, its curve goes on to the last censoring) it lies on another
    # curve's pixels, which are that curve's alone there
    first_ends = [own_end(i, [len(jj)] * k)[0] if dashes else len(jj) for i in range(k)]
    # the centres of the thin runs (no taller than a line), column by column: column c's
    # from col_first[c] on
    all_runs = np.array([r for c in cols for r in c], dtype=np.int64).reshape(-1, 2)
    run_col = np.repeat(np.arange(len(cols)), [len(c) for c in cols])
    is_thin = all_runs[:, 1] - all_runs[:, 0] + 1 <= 1.8 * lw + 1
    thin_centres = 0.5 * (all_runs[is_thin, 0] + all_runs[is_thin, 1])
    col_first = np.searchsorted(run_col[is_thin], np.arange(len(cols) + 1)).tolist()
    for i, t in enumerate(tracks):
        p = paths[i]
        mine = on_ids[i]
        last, shared = own_end(i, first_ends)
        end = start + last
        t.last = end
        n = end - start + 1
        change = np.flatnonzero(p[1:n] != p[:n - 1]) + 1
        xs = [float(start), *(start + change - 0.5).tolist()]
        ys = [float(p[0]), *p[change].astype(np.float64).tolist()]
        bounds = [*[int(np.ceil(x)) for x in xs], end + 1]
        for q in range(len(ys)):
            # the centres of the thin runs near the level, in its columns
            centre = thin_centres[col_first[bounds[q]]:col_first[bounds[q + 1]]]
            centres = centre[np.abs(centre - ys[q]) <= tol + 0.5 * lw + 0.5]
            if len(centres):
                ys[q] = float(np.median(centres))
        t.x, t.y = xs, ys
        t.mark_cols = [m for m in t.mark_cols if m <= end]
        # the column states are kept where the track is level (no knot within lw + 2)
        cs = np.arange(start, end + 1)
        knots = np.asarray(t.x[1:], dtype=np.float64)
        if len(knots):
            pos = np.clip(np.searchsorted(knots, cs), 1, len(knots)) - 1
            dist = np.minimum(np.abs(knots[pos] - cs),
                              np.abs(knots[np.minimum(pos + 1, len(knots) - 1)] - cs))
            level = dist > lw + 2
        else:
            level = np.ones(len(cs), dtype=bool)
        state = np.where(mine[:n] == 0, 0, np.where(shared[:n], 2, 1))
        t.state = dict(zip(cs[level].tolist(), state[level].tolist(), strict=True))
    return tracks
