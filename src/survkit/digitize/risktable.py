"""The number-at-risk table under the plot: rows of counts aligned with the x ticks.

Below the x-axis labels, every line of text whose numbers are whole, sit under distinct
x ticks (centred, left- or right-aligned) and never increase is a candidate row. Rows that
repeat the axis labels (a table with its own time axis), rows labelled as censored or
event counts, and headings are left out. A row belongs to the arm whose name is its label
(or the label line above it, as lifelines prints), else to the curve of its text colour,
else -- when there are exactly as many rows as arms -- to the arm in the same position.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from survkit.digitize import tesseract
from survkit.digitize.axes import Axis, Calibration, unlabelled_zero
from survkit.digitize.curves import Staircase
from survkit.digitize.deps import have_tesseract
from survkit.digitize.rowkeys import arm_by_key
from survkit.digitize.scene import Scene, Word
from survkit.digitize.text import RELATIONS, as_count

__all__ = ["RiskRow", "read_risk_table", "risk_rows", "single_arm_label"]


@dataclass(frozen=True)
class RiskRow:
    """One row: its label text, the tick times and the counts printed under them;
    ``colour`` is that of its first count, ``key_colour`` that of a coloured label or of
    a key bar drawn left of the row (None without either)."""

    label: str
    times: tuple[float, ...]
    counts: tuple[int, ...]
    colour: tuple[float, float, float] | None
    top: float
    key_colour: tuple[float, float, float] | None = None
    #: the events printed at the row's first time in an "Events" row under it (lifelines'
    #: ``add_at_risk_counts``), None without one
    events_first: int | None = None


def _lines(words: list[Word]) -> list[list[Word]]:
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.yc):
        if out and abs(out[-1][0].yc - w.yc) <= 0.4 * max(w.height, 1e-9):
            out[-1].append(w)
        else:
            out.append([w])
    for line in out:
        line.sort(key=lambda w: w.x0)
    return out


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def risk_rows(scene: Scene, cal: Calibration
              ) -> tuple[list[RiskRow], list[tuple[float, str]], list[str]]:
    """The rows of numbers at risk under the x axis (top to bottom), the lines that hold
    only a label (``(y, text)``: lifelines prints an arm's name above its rows) and notes
    (rows not read, unread cells), before the rows are given to arms."""
    notes: list[str] = []
    xaxis = cal.x
    if not xaxis.labels:
        return [], [], notes
    axis_bottom = max(w.bottom for w in xaxis.labels)
    ticks = list(xaxis.positions)
    values = list(xaxis.values)
    spacing = min(b - a for a, b in itertools.pairwise(ticks)) if len(ticks) > 1 \
        else 1.0
    # dots and commas alone (an "i"'s dot read apart) are no cell and no label; a lone
    # upright bar ("|", as OCR gives a thin "1") is kept: after a number it reads as 1
    below = [w for w in scene.words if not w.rotated and w.top >= axis_bottom - 0.1 * w.height
             and (any(ch.isalnum() or ch in "?|" for ch in w.text) or w.text in RELATIONS)]
    rows: list[RiskRow] = []
    label_only: list[tuple[float, str]] = []
    # lifelines' rows under each at-risk row: (top, kind, times, counts)
    tallies: list[tuple[float, str, tuple[float, ...], tuple[int, ...]]] = []
    pending: list[tuple[int, float, str]] = []  # (row, time, note) of cells unread
    left, right = xaxis.span
    zero = unlabelled_zero(xaxis)
    if zero is not None:
        left = min(left, zero)  # the first ticks' labels unread: the columns begin at 0
    for line in _lines(below):
        digit_w = _digit_width(line, spacing)
        line = [part for w in line for part in _split_merged(w, ticks, spacing, digit_w)]
        cells: list[Word] = []
        label_words: list[Word] = []
        values_read: list[int] = []
        unread: list[Word] = []
        beyond: list[Word] = []  # cells outside the labelled ticks
        for w in line:
            inside = left - 0.45 * spacing <= w.xc <= right + 0.45 * spacing
            # the table's first or last column under a tick whose label OCR could not
            # read: one spacing before the first labelled tick (the first number of the
            # row) or past the last one (after cells of the row)
            past = bool(cells) and right + 0.45 * spacing < w.xc <= right + 1.45 * spacing
            before = not cells and left - 1.45 * spacing <= w.xc < left - 0.45 * spacing \
                and as_count(w.text) is not None
            if (past and as_count(w.text, lookalikes=True) is not None) or before:
                beyond.append(w)
                cells.append(w)
                values_read.append(int(as_count(w.text, lookalikes=True) or 0))
                continue
            # after the first number of a row, a letter shaped like a digit is that digit
            n = as_count(w.text, lookalikes=bool(cells)) if inside else None
            if n is None:
                if not cells:
                    label_words.append(w)
                elif inside:
                    unread.append(w)
                continue
            cells.append(w)
            values_read.append(n)
        split = _touching_cell(label_words, cells, values_read, xaxis, ticks, values)
        if split is not None:
            label_words[-1], first, n_first = split
            cells.insert(0, first)
            values_read.insert(0, n_first)
        label = " ".join(w.text for w in label_words)
        if len(cells) < 2:
            if label and not cells:
                label_only.append((line[0].yc, label))
            continue
        counts = values_read
        times = _cell_times(cells, xaxis, ticks, values)
        if label_words and len(cells) >= 3 and (times is None or counts[1] > counts[0]) \
                and cells[0].x0 - label_words[-1].x1 <= 0.8 * cells[0].height \
                and _cell_times(cells[1:], xaxis, ticks, values) is not None:
            # the row's first number continues its label ("Age < 35" before the count 45):
            # with it the row is off its grid (or increases), without it the row fits
            label_words.append(cells[0])
            label = " ".join(w.text for w in label_words)
            cells, counts = cells[1:], counts[1:]
            times = _cell_times(cells, xaxis, ticks, values)
        if beyond and (times is None or times[0] < 0):
            # not on the grid of the others (or before time 0): no cell; a number before
            # the cells is part of the row's label ("Group 2")
            keep = [k for k, w in enumerate(cells) if w not in beyond]
            label_words += [w for w in beyond if w.xc < left]
            # (and the words after such a number up to the first cell kept: "4" "or" "more"
            # "nodes", the label's words read after a number as cells that were not)
            first_x = min((cells[k].x0 for k in keep), default=float("inf"))
            if any(w.xc < left for w in beyond):
                label_words += [w for w in line if w not in cells and w not in label_words
                                and w.x1 <= first_x]
                unread = [w for w in unread if w not in label_words]
            label_words.sort(key=lambda w: w.x0)
            label = " ".join(w.text for w in label_words)
            cells = [cells[k] for k in keep]
            counts = [counts[k] for k in keep]
            times = _cell_times(cells, xaxis, ticks, values) if len(cells) >= 2 else None
        if times is None:
            notes.append(f"a row of numbers under the plot ({label or 'no label'}) is not "
                         "aligned with a regular time grid: not read")
            continue
        if all(abs(c - t) < 1e-9 for c, t in zip(counts, times, strict=True)):
            continue  # the table's own time axis
        low = label.lower()
        if "censor" in low or "event" in low:
            tallies.append((line[0].yc, "censored" if "censor" in low else "events",
                            tuple(times), tuple(counts)))
            continue
        if any(b > a for a, b in itertools.pairwise(counts)):
            notes.append(f"a row of numbers under the plot increases ({label or 'no label'}): "
                         "not read as numbers at risk")
            continue
        step = min(b - a for a, b in itertools.pairwise(times))
        for w in unread:
            t = float(xaxis.value(np.asarray([w.xc]))[0])
            on_grid = times[0] + round((t - times[0]) / step) * step
            where = f"at time {on_grid:g}" if abs(on_grid - t) <= 0.25 * step else \
                f"near time {t:.4g}"
            note = (f"risk-table cell unread in row {label or 'without label'!r} {where} "
                    f"(OCR gave {w.text!r})")
            if abs(on_grid - t) <= 0.25 * step:
                pending.append((len(rows), on_grid, note))
            else:
                notes.append(note)
        joined = label_words[-1] if label_words and split is None else None
        if joined is not None and joined.text[-1:].isdigit() and times[0] - step >= -1e-9:
            # the label ends in digits where the column before the first cell would be:
            # a count joined to its label that could not be told apart
            t = float(xaxis.value(np.asarray([joined.x1]))[0])
            if abs(t - (times[0] - step)) <= 0.5 * step:
                again = _joined_count_read_again(scene, joined, cells, counts[0],
                                                 float(xaxis.position(times[0] - step)))
                if again is not None:
                    first, n_first = again
                    cells.insert(0, first)
                    counts = [n_first, *counts]
                    times = [times[0] - step, *times]
                    label_words[-1] = Word(joined.text.rstrip("0123456789"), joined.x0,
                                           first.x0, joined.top, joined.bottom,
                                           joined.colour, False)
                    label = " ".join(w.text for w in label_words)
                else:
                    notes.append(f"risk-table cell unread in row {label!r} at time "
                                 f"{times[0] - step:g} (OCR gave {joined.text!r}: a count "
                                 "joined to the row's label)")
        if len(cells) >= 3 and _cut_at_the_edge(cells, xaxis, times):
            # (survminer draws a count at the x axis's end centred on it and cuts it at the
            # panel's edge: "84" shows as "8")
            notes.append(f"risk-table cell unread in row {label or 'without label'!r} at time "
                         f"{times[-1]:g} (OCR gave {cells[-1].text!r}: the count is cut at "
                         "the table's right edge)")
            cells, counts, times = cells[:-1], counts[:-1], times[:-1]
        # the colour of the row's label (survminer colours it as its arm, the counts
        # black; a key bar drawn instead of a label may be read as a "word" too), or of
        # a key bar left of a row without a label (coloured: a channel spread of 0.15 or
        # more, as ColorBrewer's pale Set2 blue #8da0cb, 0.24, has)
        key = next((w.colour for w in label_words if w.colour is not None
                    and max(w.colour) - min(w.colour) >= 0.15), None) if label_words \
            else _key_colour(scene, cells[0])
        rows.append(RiskRow(label, tuple(times), tuple(counts), cells[0].colour, line[0].yc,
                            key))
    rows = _cells_from_tallies(rows, tallies, pending, notes)
    return _with_first_events(rows, tallies), label_only, notes


def _with_first_events(rows: list[RiskRow],
                       tallies: list[tuple[float, str, tuple[float, ...], tuple[int, ...]]]
                       ) -> list[RiskRow]:
    """Each row with the count of the first "Events" row under it (above the next row)
    at the row's first time, where one is printed there."""
    tops = [r.top for r in rows]
    out = []
    for r in rows:
        nxt = min((t for t in tops if t > r.top), default=np.inf)
        ev = next((x for x in tallies if x[1] == "events" and r.top < x[0] < nxt), None)
        first = dict(zip(ev[2], ev[3], strict=True)).get(r.times[0]) if ev and r.times \
            else None
        out.append(replace(r, events_first=first) if first is not None else r)
    return out


def _cells_from_tallies(rows: list[RiskRow],
                        tallies: list[tuple[float, str, tuple[float, ...], tuple[int, ...]]],
                        pending: list[tuple[int, float, str]], notes: list[str]
                        ) -> list[RiskRow]:
    """Rows with their unread cells taken from the censored and event rows printed under
    them (lifelines' ``add_at_risk_counts``: "At risk", "Censored", "Events"), else the
    rows as read with a note per unread cell (``notes`` extended).

    Every column of such a table holds ``at risk + censored + events = N``, the number at
    the start. The first "Censored" and "Events" rows under an at-risk row (and above
    the next at-risk row) are its tallies when all its read columns, three at least,
    give one and the same ``N``; an unread cell at time ``t`` is then
    ``N − censored(t) − events(t)``, kept only when it is ≥ 0 and keeps the row from
    increasing. Anything else leaves the cell unread (and says so).
    """
    if not pending:
        return rows
    out = list(rows)
    tops = [r.top for r in rows]
    for k in sorted({k for k, _, _ in pending}):
        row = out[k]
        nxt = min((t for t in tops if t > row.top), default=np.inf)
        under = [x for x in tallies if row.top < x[0] < nxt]
        cens = next((x for x in under if x[1] == "censored"), None)
        ev = next((x for x in under if x[1] == "events"), None)
        total: int | None = None
        if cens is not None and ev is not None:
            c = dict(zip(cens[2], cens[3], strict=True))
            e = dict(zip(ev[2], ev[3], strict=True))
            sums = {n + c[t] + e[t] for t, n in zip(row.times, row.counts, strict=True)
                    if t in c and t in e}
            shared = sum(1 for t in row.times if t in c and t in e)
            if len(sums) == 1 and shared >= 3:
                total = sums.pop()
        cells = dict(zip(row.times, row.counts, strict=True))
        for kk, t, note in pending:
            if kk != k:
                continue
            if total is not None and t in c and t in e and t not in cells:
                v = total - c[t] - e[t]
                before = [n for tt, n in cells.items() if tt < t]
                after = [n for tt, n in cells.items() if tt > t]
                if v >= 0 and (not before or v <= min(before)) and \
                        (not after or v >= max(after)):
                    cells[t] = v
                    notes.append(f"risk-table cell at time {t:g} in row {row.label!r} "
                                 f"taken as {total} − censored − events = {v} (OCR of the "
                                 "cell gave no number)")
                    continue
            notes.append(note)
        times = tuple(sorted(cells))
        out[k] = replace(row, times=times, counts=tuple(cells[t] for t in times))
    return out


def single_arm_label(scene: Scene, cal: Calibration) -> str | None:
    """The label of the one row of a number-at-risk table (a single-arm figure without a
    legend names its arm there: ``"CAR-T"``), when exactly one row is read and its label
    has letters and is no heading ("At risk", "No. at risk"); else None."""
    rows, _label_only, _notes = risk_rows(scene, cal)
    if len(rows) != 1:
        return None
    label = rows[0].label.strip()
    if not any(ch.isalpha() for ch in label) or "risk" in label.lower():
        return None
    return label


def read_risk_table(
    scene: Scene, cal: Calibration, curves: list[Staircase], names: list[str],
    spelt: dict[str, str] | None = None, first_events: dict[str, int] | None = None,
) -> tuple[dict[str, tuple[tuple[float, ...], tuple[int, ...]]], list[str]]:
    """The numbers at risk of each arm (``name -> (times, counts)``) and notes.

    ``curves`` (with the colours rows may be assigned by) is indexed like ``names``; it may be
    empty, when rows are assigned by label or order only (the benchmark reads tables so).
    ``spelt``, when given, receives the label of each row that names its arm only closely
    (a letter misread or lost in the label or in the name): ``name -> label as read``;
    ``first_events``, the events printed at the first time of each arm's row by an
    "Events" row under it (``name -> count``).
    """
    rows, label_only, notes = risk_rows(scene, cal)
    if not rows:
        if cal.x.labels:
            axis_bottom = max(x.bottom for x in cal.x.labels)
            below = [w for w in scene.words if not w.rotated
                     and w.top >= axis_bottom - 0.1 * w.height
                     and any(ch.isalnum() or ch in "?|" for ch in w.text)]
            heading = [w for w in below if "risk" in w.text.lower()]
        else:
            heading = []
        if heading:
            # a table is printed ("Number at risk") but none of its rows was read: say so
            # rather than return a figure without its table as if it had none
            title = " ".join(w.text for w in sorted(
                (w for w in below if abs(w.yc - heading[0].yc) < 0.5 * heading[0].height),
                key=lambda w: w.x0))
            notes.append(f"a number-at-risk table is printed ({title!r}), but its rows "
                         "could not be read")
        else:
            block = _unread_count_line(scene, cal)
            if block is not None:
                notes.append(f"a line of numbers under the plot ({block!r}) looks like a "
                             "number-at-risk row, but the table could not be read")
        return {}, notes
    notes.extend(_missing_cells(rows))
    out: dict[str, tuple[tuple[float, ...], tuple[int, ...]]] = {}
    normed = [_norm(n) for n in names]
    unassigned: list[RiskRow] = []
    claims: dict[str, list[tuple[float, RiskRow]]] = {}
    chosen: dict[str, RiskRow] = {}  # the row each arm was given
    for row in rows:
        arm, score = _match(row.label, names, normed)
        if arm is not None and 0.0 < score < 0.9 and spelt is not None:
            spelt[arm] = row.label
        if arm is None:
            # lifelines: an arm-name line above a group of rows
            above = [lab for y, lab in label_only if y < row.top]
            if above:
                arm, score = _match(above[-1], names, normed)
        if arm is None and row.colour is not None:
            arm, score = _by_colour(row.colour, curves, names), 0.5
        if arm is None and row.key_colour is not None:
            arm, score = _by_colour(row.key_colour, curves, names), 0.5
        if arm is None:  # an unnamed row: the colour of its key (rowkeys)
            arm, score = arm_by_key(scene, row.top, float(cal.x.position(row.times[0])),
                                    curves, names), 0.5
        if arm is None:
            unassigned.append(row)
        else:
            claims.setdefault(arm, []).append((score, row))
    for arm, got in claims.items():
        got.sort(key=lambda sr: -sr[0])
        # two rows for one arm: the better-named one, or neither when they tie
        if len(got) == 1 or got[0][0] > got[1][0]:
            out[arm] = (got[0][1].times, got[0][1].counts)
            chosen[arm] = got[0][1]
            unassigned.extend(r for _, r in got[1:])
        else:
            unassigned.extend(r for _, r in got)
    if unassigned:
        rest = [n for n in names if n not in out]
        if not out and len(unassigned) == len(names):
            for name, row in zip(names, unassigned, strict=True):
                out[name] = (row.times, row.counts)
                chosen[name] = row
            notes.append("risk-table rows assigned to arms in the order of the legend "
                         "(their labels name no arm)")
        elif len(unassigned) == 1 == len(rest) and len(rows) == len(names) and \
                not unassigned[0].label:
            # one row per arm, every other row named: the one left, whose label is not
            # read at all (text too pale to be ink), is the arm left
            out[rest[0]] = (unassigned[0].times, unassigned[0].counts)
            chosen[rest[0]] = unassigned[0]
            notes.append(f"the risk-table row without a label is {rest[0]!r}'s, the one "
                         "arm no other row names")
        else:
            notes.append(f"{len(unassigned)} risk-table row(s) could not be assigned to an arm")
    if first_events is not None:
        first_events.update({arm: r.events_first for arm, r in chosen.items()
                             if r.events_first is not None})
    return out, notes


def _unread_count_line(scene: Scene, cal: Calibration) -> str | None:
    """The text of a line under the plot panel that reads as a row of numbers at risk --
    three whole numbers or more, left to right never increasing, not the x axis's labels
    -- when no row of the table was read (a table above the axis chosen, a table with
    no heading): None when there is none. Tick labels increase; a table's counts do not."""
    _, _, _, bottom = cal.box
    labels = {id(w) for w in cal.x.labels}
    below = [w for w in scene.words if not w.rotated and w.top > bottom
             and id(w) not in labels]
    for line in _lines(below):
        counts = [n for n in (as_count(w.text) for w in line) if n is not None]
        if len(counts) >= 3 and all(b <= a for a, b in itertools.pairwise(counts)) \
                and len(set(counts)) >= 2:
            return " ".join(w.text for w in line)
    return None


_LABEL_THEN_COUNT = re.compile(r"^(.*[A-Za-z])(\d+)$")


def _digit_width(line: list[Word], spacing: float) -> float | None:
    """The width of one digit in a line of the table: the median width per digit of its
    numbers narrower than a column, of those with the most digits (three or more, else
    two: an ink box is narrower than its advances by about one side bearing) that two at
    least have; None without two such numbers."""
    nums = [w for w in line if w.text.isdigit() and w.x1 - w.x0 < spacing]
    for least in (3, 2):
        per = [(w.x1 - w.x0) / len(w.text) for w in nums if len(w.text) >= least]
        if len(per) >= 2:
            return float(np.median(per))
    return None


#: Largest distance (digits) between the end of a part of a merged word and where a part
#: of a whole number of digits centred on its column would end.
_PART_FIT = 0.3


def _split_merged(w: Word, ticks: list[float], spacing: float, digit_w: float | None
                  ) -> list[Word]:
    """``w`` split into the counts of neighbouring columns it holds, else ``[w]``.

    OCR joins the counts of columns closer than about half a digit's height ("2643 2060
    1627", four-digit counts 24 pixels apart at 300 dpi, read "264320601627"). A string of
    digits wider than a column spacing holds several counts; it is split when exactly one
    way fits: ``m`` parts under ``m`` neighbouring ticks, its first part ending where a
    number centred on the first tick begins and its last where one centred on the last
    tick ends (each to :data:`_PART_FIT` of a digit, counted by the table's digit width),
    no part with a leading zero, the parts not increasing (numbers at risk only fall).
    """
    text = w.text
    if digit_w is None or not text.isdigit() or len(text) < 2 or w.x1 - w.x0 <= spacing:
        return [w]
    fits: list[tuple[int, list[str]]] = []
    for a in range(len(ticks)):
        for m in range(2, min(len(text), len(ticks) - a) + 1):
            first = 2 * (ticks[a] - w.x0) / digit_w
            last = 2 * (w.x1 - ticks[a + m - 1]) / digit_w
            n1, n2 = round(first), round(last)
            if n1 < 1 or n2 < 1 or abs(first - n1) > _PART_FIT or abs(last - n2) > _PART_FIT \
                    or n1 + n2 + (m - 2) > len(text):
                continue
            for middle in _compositions(len(text) - n1 - n2, m - 2):
                sizes = [n1, *middle, n2]
                ends = list(itertools.accumulate(sizes))
                parts = [text[e - k:e] for e, k in zip(ends, sizes, strict=True)]
                if any(p[0] == "0" and len(p) > 1 for p in parts):
                    continue
                if any(int(b) > int(a_) for a_, b in itertools.pairwise(parts)):
                    continue
                fits.append((a, parts))
    if len(fits) != 1:
        return [w]
    a, parts = fits[0]
    return [Word(p, ticks[a + k] - 0.5 * len(p) * digit_w, ticks[a + k] + 0.5 * len(p) * digit_w,
                 w.top, w.bottom, w.colour) for k, p in enumerate(parts)]


def _compositions(total: int, parts: int) -> list[list[int]]:
    """Every way of writing ``total`` as ``parts`` positive whole numbers (in order)."""
    if parts == 0:
        return [[]] if total == 0 else []
    return [[k, *rest] for k in range(1, total - parts + 2)
            for rest in _compositions(total - k, parts - 1)]


def _touching_cell(label_words: list[Word], cells: list[Word], counts: list[int],
                   xaxis: Axis, ticks: list[float], values: list[float]
                   ) -> tuple[Word, Word, int] | None:
    """A row label joined by OCR to the row's first count (``"Placebo1250"``: the label
    ends where a right-aligned first cell begins, and their glyphs touch): the label word
    without its digits, the cell made of them and its count; None when the label's last
    word does not end so or the cell would not fit the row.

    The cell's box ends where the word ends and is as wide as its digits at the row's
    digit advance (the median width per digit of the other cells: figures print counts in
    tabular digits). It is a cell only when the row's times stay those of the other cells
    and it falls one column before them at a time ≥ 0, never below the next count (a row
    never increases), its digits do not start with 0, and the letter before them is not
    one OCR gives for a ``1`` (``"Placebol250"`` may be ``"Placebo 1250"``: left as read).
    """
    if not label_words or len(cells) < 2:
        return None
    last = label_words[-1]
    m = _LABEL_THEN_COUNT.match(last.text)
    if m is None or m.group(1)[-1] in "lIi|" or m.group(2).startswith("0"):
        return None
    digits = m.group(2)
    advance = _digit_advance(cells)
    if advance is None or cells[0].x0 < last.x1:
        return None
    width = advance * len(digits)
    if width >= last.x1 - last.x0:
        return None
    n = int(digits)
    if n < counts[0]:
        return None
    cell = Word(digits, last.x1 - width, last.x1, last.top, last.bottom, last.colour, False)
    before = _cell_times(cells, xaxis, ticks, values)
    after = _cell_times([cell, *cells], xaxis, ticks, values)
    if before is None or after is None or after[1:] != before or after[0] < 0:
        return None
    label = Word(m.group(1), last.x0, last.x1 - width, last.top, last.bottom, last.colour,
                 False)
    return label, cell, n


def _digit_advance(cells: list[Word]) -> float | None:
    """The row's digit advance: the median width per digit of its cells of digits (figures
    print counts in tabular digits); None without such a cell."""
    per_digit = [(w.x1 - w.x0) / len(w.text) for w in cells if w.text.isdigit()]
    return float(np.median(per_digit)) if per_digit else None


def _joined_count_read_again(scene: Scene, joined: Word, cells: list[Word], next_count: int,
                             x_col: float) -> tuple[Word, int] | None:
    """The first count of a row whose glyphs touch the row's label (R's ``mtext`` of a long
    label: "Interferon gamma" and "63" read as ``gamma3``), read again from the raster
    image: the counts are centred on their tick (``x_col``, the column's page x), so the
    cell spans from as far left of the tick as the label's word ends right of it. That box
    (2 pixels wider each way) is read by Tesseract as one line, digits only. The reading is
    kept when it is confident (90 or more), does not start with 0, is no less than the
    row's next count (a row never increases) and is as wide as its digits at the row's digit
    advance (the median width per digit of the other cells) within one digit. None for
    vector figures, without Tesseract, for a label word of digits alone or when a test
    fails: the cell stays unread."""
    img = scene.image
    step = _digit_advance(cells)
    if scene.kind != "raster" or img is None or step is None or not have_tesseract() \
            or not joined.text.rstrip("0123456789"):
        return None  # (a word of digits alone is a number of the label: "Group 2")
    x0 = 2.0 * x_col - joined.x1
    if not joined.x0 < x0 < joined.x1:
        return None
    arr = np.asarray(img, dtype=np.float64)
    a0, a1 = int(max(np.floor(x0) - 2, 0)), int(min(np.ceil(joined.x1) + 2, arr.shape[1]))
    b0, b1 = int(max(np.floor(joined.top) - 2, 0)), int(min(np.ceil(joined.bottom) + 2,
                                                            arr.shape[0]))
    if a1 - a0 < 2 or b1 - b0 < 2:
        return None
    grey = np.clip(np.round(arr[b0:b1, a0:a1, :3].mean(axis=2) * 255.0), 0, 255)
    sheet = np.full((b1 - b0 + 40, a1 - a0 + 40), 255, dtype=np.uint8)
    sheet[20:-20, 20:-20] = grey.astype(np.uint8)
    data = tesseract.image_to_data(sheet, psm=7, whitelist="0123456789")
    read = [(str(t).strip(), float(c)) for t, c in zip(data["text"], data["conf"], strict=True)
            if str(t).strip()]
    if len(read) != 1 or read[0][1] < 90.0:
        return None
    digits = read[0][0]
    if not digits.isdigit() or digits.startswith("0") or int(digits) < next_count:
        return None
    if abs(joined.x1 - x0 - step * len(digits)) > step:
        return None
    return Word(digits, x0, joined.x1, joined.top, joined.bottom, joined.colour, False), \
        int(digits)


def _key_colour(scene: Scene, first: Word) -> tuple[float, float, float] | None:
    """The colour of a key drawn left of a row with no label (survminer's
    ``tables.y.text = FALSE`` draws a bar in the arm's colour there): the mean of the
    coloured pixels (channel spread ≥ 0.25) of a raster figure within four text heights
    left of the row's first cell, on the cell's rows, when there are at least a text
    height's worth of them; None for vector figures or without such pixels."""
    img = scene.image
    if img is None:
        return None
    h = max(first.bottom - first.top, 1.0)
    a0, a1 = int(max(first.x0 - 4 * h, 0)), int(max(first.x0 - 0.3 * h, 0))
    b0, b1 = int(max(first.top, 0)), int(min(first.bottom + 1, img.shape[0]))
    if a1 <= a0 or b1 <= b0:
        return None
    patch = np.asarray(img[b0:b1, a0:a1], dtype=np.float64).reshape(-1, 3)
    coloured = patch[(patch.max(axis=1) - patch.min(axis=1)) >= 0.25]
    if len(coloured) < h:
        return None
    c = coloured.mean(axis=0)
    return (float(c[0]), float(c[1]), float(c[2]))


def _missing_cells(rows: list[RiskRow]) -> list[str]:
    """Notes naming the table's columns where a row has no number: programs print a number
    (0 at worst) in every column of every row, so a gap is a cell OCR did not read."""
    grid = sorted({t for r in rows for t in r.times})
    out: list[str] = []
    for r in rows:
        have = set(r.times)
        gaps = [t for t in grid if t not in have and (t >= r.times[0] or len(rows) > 1)]
        if gaps:
            out.append(f"risk-table cell(s) unread in row {r.label or 'without label'!r} at "
                       f"time(s) {', '.join(f'{t:g}' for t in gaps)}")
    return out


def _nice_steps(step: float) -> list[float]:
    """Round steps (1, 2, 2.5, 5 × 10^k) near ``step``."""
    if step <= 0:
        return []
    k = math.floor(math.log10(step))
    return [m * 10.0 ** e for e in (k - 1, k, k + 1) for m in (1.0, 2.0, 2.5, 3.0, 5.0, 6.0)]


def _cut_at_the_edge(cells: list[Word], xaxis: Axis, times: Sequence[float]) -> bool:
    """Whether a row's last count is the left part of one cut at its tick: the cells
    between the first and the last are centred on their times (within a quarter of a text
    height; the first may start at the axis, see :func:`_cell_times`), and it
    ends at its time's position (within 0.15 text heights) with its centre left of it by
    a quarter of a text height or more."""
    pos = [float(v) for v in xaxis.position(np.asarray(times, dtype=np.float64))]
    hgt = max(float(np.median([w.height for w in cells])), 1.0)
    if any(abs(w.xc - p) > 0.25 * hgt for w, p in zip(cells[1:-1], pos[1:-1], strict=True)):
        return False
    last = cells[-1]
    return abs(last.x1 - pos[-1]) <= 0.15 * hgt and pos[-1] - last.xc >= 0.25 * hgt


def _cell_times(cells: list[Word], xaxis: Axis, ticks: list[float],
                values: list[float]) -> list[float] | None:
    """The times under which the cells are printed, on the round grid they are aligned to.

    Tries centred, right- and left-aligned cells; for each, the calibrated positions are
    snapped to the multiples of a round step (or to the tick values) when all lie within a
    quarter of a character width of them. Returns None when no alignment fits.
    """
    best = _aligned_times(cells, xaxis, values, first_left=False)
    if best is None and len(cells) >= 3:
        # survminer with ``axes.offset = FALSE`` moves the count at t = 0 right, to start at
        # the axis, so that it is not cut: the first cell left-aligned at time 0, the others
        # as they are
        best = _aligned_times(cells, xaxis, values, first_left=True)
    return best


def _aligned_times(cells: list[Word], xaxis: Axis, values: list[float], *,
                   first_left: bool) -> list[float] | None:
    """:func:`_cell_times` for one way of reading the cells' positions (with
    ``first_left``, the first cell's left edge, which must then be at time 0)."""
    best: tuple[float, list[float]] | None = None
    for anchor in ("centre", "right", "left"):
        pos = [w.xc if anchor == "centre" else (w.x1 if anchor == "right" else w.x0)
               for w in cells]
        if first_left:
            pos[0] = cells[0].x0
        t = [float(v) for v in xaxis.value(np.asarray(pos))]
        tol = [abs(xaxis.slope) * 0.25 * max(w.height, 1e-9) for w in cells]
        diffs = np.diff(t)
        if np.any(diffs <= 0):
            continue
        # the tick values first (within half a character), then round steps
        grid = np.asarray(values)
        snapped = [float(grid[np.argmin(np.abs(grid - v))]) for v in t]
        err = max(abs(a - b) / e for a, b, e in zip(snapped, t, tol, strict=True))
        if err <= 2 and len(set(snapped)) == len(snapped):
            cand = (err - 100.0, snapped)  # preferred over any round grid
            if best is None or cand[0] < best[0]:
                best = cand
            continue
        med = float(np.median(diffs))
        for g in _nice_steps(med):
            if g < 0.4 * med:
                continue
            snapped = [round(v / g) * g for v in t]
            err = max(abs(a - b) / e for a, b, e in zip(snapped, t, tol, strict=True))
            if err <= 1 and len(set(snapped)) == len(snapped) and (
                    best is None or err < best[0] - 1e-12):
                best = (err, snapped)
    if best is None or (first_left and abs(best[1][0]) > 1e-12):
        return None
    return [0.0 if abs(v) < 1e-12 else v for v in best[1]]


def _match(label: str, names: list[str], normed: list[str]) -> tuple[str | None, float]:
    """The arm a row label names, with a score: 1 for the name itself (letters and digits
    alike, and the symbols too where two names differ only by them), 0.9 for a label
    holding a name (the longest: "Male (n=138)"), else the closest name when OCR misread a
    letter ("(ale" for "Male": similarity 0.86, against 0.67 for "Female"), scored by its
    similarity, when it is at least 0.75 and 0.1 above the next name's; else no arm."""
    from difflib import SequenceMatcher

    lab = _norm(label)
    if not lab:
        return None, 0.0
    # (names alike but for symbols, "Age < 70" and "Age 70+", are told apart by them)
    fine = "".join(ch for ch in label.lower() if not ch.isspace())
    same = [name for name, n in zip(names, normed, strict=True) if n and lab == n]
    exact = [name for name in same if "".join(
        ch for ch in name.lower() if not ch.isspace()) == fine]
    if len(exact) == 1 or len(same) == 1:
        return (exact or same)[0], 1.0
    if same:
        return None, 0.0  # two names alike but for symbols, and the label neither
    held = [name for name, n in zip(names, normed, strict=True) if n and n in lab]
    if held:
        return max(held, key=lambda h: len(_norm(h))), 0.9
    ratios = sorted(((SequenceMatcher(None, lab, n).ratio(), name)
                     for name, n in zip(names, normed, strict=True) if n), reverse=True)
    if ratios and ratios[0][0] >= 0.75 and (len(ratios) == 1 or
                                            ratios[0][0] - ratios[1][0] >= 0.1):
        return ratios[0][1], 0.8 * ratios[0][0]
    return None, 0.0


def _by_colour(colour: tuple[float, float, float], curves: list[Staircase],
               names: list[str]) -> str | None:
    """The arm whose curve has the colour of a row's text: the same colour (every channel
    within 0.05), else -- for text whose glyphs are thin enough that their mean colour is
    the ink blended with white, ``t = 1 − α (1 − c)`` -- the one curve colour ``c`` that
    blend reaches within 0.05 (RGB distance) with ``α ≥ 0.5``; None when no curve or two
    curves qualify (a pale and a dark shade of one hue)."""
    if len(curves) != len(names) or max(colour) - min(colour) < 0.05:
        return None  # no curve colours given, or black or grey text: says nothing
    hits = [n for n, c in zip(names, curves, strict=True) if c.colour is not None and
            max(abs(a - b) for a, b in zip(c.colour, colour, strict=True)) < 0.05]
    if hits:
        return hits[0] if len(hits) == 1 else None
    t = 1.0 - np.asarray(colour, dtype=np.float64)
    blended = []
    for n, c in zip(names, curves, strict=True):
        if c.colour is None:
            continue
        ink = 1.0 - np.asarray(c.colour, dtype=np.float64)
        norm = float(ink @ ink)
        if norm < 1e-6:
            continue  # a white curve: no blend to speak of
        alpha = float(np.clip(t @ ink / norm, 0.0, 1.0))
        if alpha >= 0.5 and float(np.linalg.norm(t - alpha * ink)) < 0.05:
            blended.append(n)
    return blended[0] if len(blended) == 1 else None
