"""plot_cif: curves with bands, stacked areas adding to 1, groups with Gray's p-value."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from survkit.estimate.cif import cumulative_incidence
from survkit.show.cif import cif_step_vertices

TIME = [1, 2, 2, 3, 4, 5, 6, 7, 8, 9]
CAUSE = [1, 2, 0, 1, 2, 0, 1, 2, 1, 0]


def test_step_vertices_right_continuous() -> None:
    x, y = cif_step_vertices(np.array([1.0, 3.0]), np.array([0.2, 0.5]))
    assert x.tolist() == [0.0, 1.0, 1.0, 3.0, 3.0]
    assert y.tolist() == [0.0, 0.0, 0.2, 0.2, 0.5]


def test_curves_with_bands() -> None:
    fit = cumulative_incidence(TIME, CAUSE)
    ax = fit.plot(labels={"1": "Relapse", "2": "NRM"})
    assert len(ax.get_lines()) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Relapse", "NRM"]
    assert len(ax.collections) == 2  # one band per cause
    plt.close("all")


def test_stacked_layers_reach_one() -> None:
    fit = cumulative_incidence(TIME, CAUSE)
    ax = fit.plot(kind="stacked")
    # the top of the incidence stack plus the event-free probability is 1 at the last time
    assert fit.estimate[-1].sum() + fit.surv[-1] == pytest.approx(1.0)
    assert len(ax.collections) == 3
    plt.close("all")


def test_groups_with_gray() -> None:
    df = pd.DataFrame({"t": TIME * 2, "c": CAUSE + CAUSE[::-1],
                       "g": ["a"] * 10 + ["b"] * 10})
    groups = cumulative_incidence("t", "c", data=df, by="g")
    ax = groups.plot(gray=True, causes=["1"])
    assert len(ax.get_lines()) == 2
    assert any("Gray" in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="stacked"):
        groups.plot(kind="stacked")
    with pytest.raises(ValueError, match="causes"):
        groups.plot(causes=["9"])
    plt.close("all")
