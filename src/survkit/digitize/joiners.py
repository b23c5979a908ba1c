"""A ``+`` that joins the words of a label ("Surgery + RT", "Lev + 5-FU").

Plotting programs draw censoring marks as ``+`` characters, so a word made of ``+`` alone
is normally a mark, not text (a legend key with a mark on it, a mark near a label). A ``+``
between two words of one line of text, each within 1.5 text heights of it and of its
height, is part of the label instead: a mark on a legend key lies on the key's line, left
of the label, with no word of the label before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from survkit.digitize.scene import Word

__all__ = ["joins_words"]


def joins_words(w: Word, words: Sequence[Word]) -> bool:
    """Whether the ``+`` word ``w`` stands between two words of its line of text."""
    if w.text != "+" or w.rotated:
        return False
    h = max(w.height, 1e-9)

    def beside(x: Word) -> bool:
        return x is not w and not x.rotated and x.text != "+" and \
            abs(x.yc - w.yc) <= 0.3 * h and 0.6 * h <= x.height <= 1.6 * h

    left = any(beside(x) and 0 <= w.x0 - x.x1 <= 1.5 * h for x in words)
    right = any(beside(x) and 0 <= x.x0 - w.x1 <= 1.5 * h for x in words)
    return left and right
