"""Blocks of memory reused across fits (``survkit.estimate.workspace``): a block is handed
out again only once no array uses it, so a fit's results never change under it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import numpy as np
import pytest

import survkit
from survkit.estimate import threads, workspace

N = 200_000  # 7 N doubles: a block the workspace keeps


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    workspace.clear()
    yield
    workspace.clear()
    threads.set_num_threads(None)


def _data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.exponential(10.0, N), rng.random(N) < 0.6, rng.uniform(0.5, 1.5, N)


FIELDS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log")


@pytest.mark.parametrize("k", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_a_held_fit_is_never_overwritten(k: int, weighted: bool) -> None:
    threads.set_num_threads(k)
    t1, e1, w1 = _data(1)
    t2, e2, w2 = _data(2)
    kw1 = {"weights": w1} if weighted else {}
    kw2 = {"weights": w2} if weighted else {}
    first = survkit.kaplan_meier(t1, e1, **kw1)
    saved = [np.array(getattr(first, f), copy=True) for f in FIELDS]
    # the expected values: the product limit written out on the sorted rows
    order = np.argsort(t1, kind="stable")
    w = np.ones(N) if not weighted else w1[order]
    r = np.cumsum(w[::-1])[::-1]
    np.testing.assert_allclose(first.surv, np.cumprod(1.0 - w * e1[order] / r), rtol=1e-12)
    for seed in range(3, 6):  # later fits, of the same size, while `first` is alive
        t, e, ww = _data(seed)
        survkit.kaplan_meier(t, e, **({"weights": ww} if weighted else {})).std_err  # noqa: B018
    survkit.kaplan_meier(t2, e2, **kw2)
    for f, before in zip(FIELDS, saved, strict=True):
        np.testing.assert_array_equal(getattr(first, f), before, err_msg=f)
    # one array of a fit is enough to keep its block
    surv = first.surv
    del first
    gc.collect()
    survkit.kaplan_meier(t2, e2, **kw2)
    np.testing.assert_array_equal(surv, saved[FIELDS.index("surv")])


def test_a_free_block_is_reused_and_the_memory_kept_is_bounded() -> None:
    t, e, _ = _data(7)
    fit = survkit.kaplan_meier(t, e)
    kept = workspace.kept_bytes()
    assert kept > 0
    address = fit.surv.__array_interface__["data"][0]
    del fit
    again = survkit.kaplan_meier(t, e)
    # the same block again (no second block kept): the same memory, no fresh pages
    assert workspace.kept_bytes() == kept
    assert again.surv.__array_interface__["data"][0] == address
    held = survkit.kaplan_meier(t, e)  # `again` is alive: a second block
    assert workspace.kept_bytes() == 2 * kept
    assert not np.shares_memory(held.surv, again.surv)
    for n in (150_000, 160_000, 170_000, 180_000, 190_000) * 3:
        survkit.kaplan_meier(t[:n], e[:n])
    assert workspace.kept_bytes() <= workspace.MAX_BYTES
    workspace.clear()
    assert workspace.kept_bytes() == 0


def test_the_bound_of_kept_memory_can_be_set() -> None:
    default = workspace.default_max_bytes()
    assert 1 << 28 <= default <= 1 << 32
    try:
        t, e, _ = _data(8)
        survkit.kaplan_meier(t, e)
        assert workspace.kept_bytes() > 0
        workspace.set_max_bytes(0)  # nothing kept: what was kept is forgotten at once
        assert workspace.kept_bytes() == 0
        fit = survkit.kaplan_meier(t, e)
        assert workspace.kept_bytes() == 0
        np.testing.assert_array_equal(fit.surv, survkit.kaplan_meier(t, e).surv)
    finally:
        workspace.set_max_bytes(None)
    assert workspace.MAX_BYTES == default


@pytest.mark.parametrize("bad", [-1, 1.5, "1", True])
def test_set_max_bytes_rejects_bad_values(bad: object) -> None:
    with pytest.raises((TypeError, ValueError), match="nbytes"):
        workspace.set_max_bytes(bad)  # type: ignore[arg-type]
