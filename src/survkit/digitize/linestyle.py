"""Curves of one colour told apart by line style: dashed and dotted lines counted whole.

A dashed or dotted line leaves most columns of its path without pixels (R's ``lty = 2``
and ggplot2's ``"dashed"`` are 4 line widths on, 4 off; ``"dotted"`` 1 on, 3 off), so
counting the separate horizontal pieces a column holds (:func:`~survkit.digitize.rastertrace.
count_tracks`) under-counts the curves of one colour when some of them are dashed: the
confidence limits R base graphics draws dashed in the curve's own colour
(``plot(survfit, conf.int = TRUE)``, the default for one curve), or two arms of a
black-and-white figure drawn solid and dashed. Here the gaps of a line are bridged along
its rows (:func:`~survkit.digitize.rastertrace.bridged_rows`, gaps up to
:func:`~survkit.digitize.rastertrace.dash_gap`) before counting, and the larger count is
taken when the tracks it gives explain clearly more of the colour's pixels than the
tracks of the plain count: a count the pixels do not support (a row of crowded censoring
marks bridged into a line) is never forced.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.rastertrace import (
    Trace,
    bridged_rows,
    column_runs,
    count_tracks,
    dash_gap,
    thin_pixels,
    trace_tracks,
)

__all__ = ["bridged_count", "more_tracks_if_dashed", "rows_at_least"]

#: how much more of the colour's pixels the tracks traced as dashed lines must explain
GAIN = 0.05
#: the share of the colour's pixels explained above which the plain tracks stand
DONE = 0.95


def rows_at_least(mask: NDArray[np.bool_], n: int) -> NDArray[np.bool_]:
    """The pixels of ``mask`` in horizontal runs of at least ``n`` pixels (the horizontal
    pieces of the curves, without the dots of anti-aliased drops)."""
    h, w = mask.shape
    if w == 0 or n <= 1:
        return mask.copy()
    m = np.zeros((h, w + 2), dtype=bool)
    m[:, 1:-1] = mask
    nz = np.flatnonzero(m[:, 1:] != m[:, :-1])
    starts, stops = nz[0::2], nz[1::2]
    out = np.zeros((h, w + 1), dtype=bool)
    for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
        if b - a >= n:
            out.ravel()[a:b] = True
    return out[:, :w]


def bridged_count(mask: NDArray[np.bool_], lw: float) -> int:
    """How many curves the mask holds with the gaps of dashed and dotted lines bridged
    along the rows: :func:`~survkit.digitize.rastertrace.count_tracks` on the horizontal
    pieces (5 pixels or more) of the bridged mask. Only the gaps between horizontal
    pieces (runs no taller than a line) are bridged: the uprights of crowded censoring
    marks are no dashes."""
    cols = column_runs(mask)
    whole = mask | bridged_rows(thin_pixels(mask, cols, lw), dash_gap(lw))
    return count_tracks(column_runs(rows_at_least(whole, 5)), lw)


def more_tracks_if_dashed(mask: NDArray[np.bool_], traces: list[Trace], lw: float,
                          kb: int, k: int, cover: Callable[[list[Trace]], float]
                          ) -> tuple[list[Trace], float]:
    """The tracks of one colour's mask, traced again as dashed lines where that explains
    clearly more of its pixels.

    ``traces`` (line width ``lw``) are the tracks traced for ``k`` curves; ``kb`` is the
    :func:`bridged_count` of the mask; ``cover`` gives the share of the mask's pixels a
    list of tracks explains. Three or more tracks are traced again with the gaps of
    dashed lines cheap to follow (``dashes`` of
    :func:`~survkit.digitize.rastertrace.trace_tracks`); when ``kb`` exceeds ``k``, the
    mask is traced so for ``kb`` curves too, and those tracks count only when they are
    more tracks (after the tracing drops the duplicates). Tracks replace the ones before
    them only when they explain at least :data:`GAIN` more of the pixels (solid lines
    keep their plain tracing: crowded censoring marks, bridged, could pass for a line).
    Tracks that explain :data:`DONE` of the pixels or more stand as they are. Returns
    the tracks and their line width.
    """
    best, best_lw, best_cover = traces, lw, cover(traces)
    if best_cover >= DONE:
        return best, best_lw
    if k >= 3:
        again, lw_again = trace_tracks(mask, k, dashes=True)
        c = cover(again)
        if c >= best_cover + GAIN:
            best, best_lw, best_cover = again, lw_again, c
    if kb > k:
        more, lw_more = trace_tracks(mask, kb, dashes=True)
        c = cover(more)
        if len(more) > len(best) and c >= best_cover + GAIN:
            best, best_lw = more, lw_more
    return best, best_lw
