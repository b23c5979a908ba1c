"""The shape witness of outlined glyphs: hand-drawn outlines against the typefaces'
characters. Expected characters follow from the drawings (a slanted bar is a slash, a bar
with a cap across its top is a T), not from the scores themselves."""

from __future__ import annotations

import numpy as np
import pytest

from survkit.digitize.glyphshape import CHARACTERS, shape_scores

pytest.importorskip("skimage")


def _best(polys: list[np.ndarray]) -> list[str]:
    s = shape_scores(polys)
    return [ch for ch, _ in sorted(s.items(), key=lambda t: -t[1])]


def test_a_slanted_bar_is_a_slash_not_the_f_or_i_ocr_may_read() -> None:
    # bottom-left to top-right (page y points down)
    slash = [np.array([[0, 10], [1.2, 10], [5, 0], [3.8, 0], [0, 10]], float)]
    s = shape_scores(slash)
    assert _best(slash)[0] == "/"
    assert s["/"] > 0.6 and s["/"] - max(s["f"], s["i"]) > 0.25


def test_a_capped_bar_is_a_t_not_a_one() -> None:
    t = [np.array([[0, 0], [6, 0], [6, 1], [3.5, 1], [3.5, 9], [2.5, 9], [2.5, 1], [0, 1],
                   [0, 0]], float)]
    s = shape_scores(t)
    assert _best(t)[0] == "T"
    assert s["T"] - s["1"] > 0.25


def test_a_plain_bar_cannot_tell_capital_i_from_small_l() -> None:
    """What the callers' margins are for: the scores of I and l are close."""
    bar = [np.array([[0, 0], [1, 0], [1, 9], [0, 9], [0, 0]], float)]
    s = shape_scores(bar)
    assert abs(s["I"] - s["l"]) < 0.1


def test_an_outline_without_area_scores_nothing() -> None:
    assert shape_scores([np.array([[0, 0], [1, 0], [2, 0]], float)]) == {}
    assert shape_scores([]) == {}
    assert len(shape_scores([np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)])) == \
        len(CHARACTERS)
