"""Left-truncated fits of distinct times on two threads (stop and entry keys each sorted
whole, both at once): the numbers at risk and the curve are the formulas written out.

``r_j = #{a_i < u_j} - #{t_i < u_j}`` (entered before ``u_j``, not stopped before it:
R's counting-process convention for ``Surv(a, t, d)``), counted here by binary searches on
``np.sort`` of each; ``S = prod((r - d) / r)`` (R's factors); Greenwood
``var(log S) = sum d / (r (r - d))``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import survkit
from survkit.estimate import threads

N = 2 * threads.PARALLEL_MIN + 101  # above the size at which two threads share the work


@pytest.fixture(autouse=True)
def _restore_threads() -> Iterator[None]:
    yield
    threads.set_num_threads(None)


def _data(kind: str, n: int = N) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(13)
    t = rng.exponential(30.0, n)
    e = rng.random(n) < 0.6
    a = t * rng.uniform(0.0, 0.9, n)
    if kind == "entries at other rows' stop times":  # an entry at u is not at risk at u
        pick = rng.integers(0, n, a[::10].size)
        a[::10] = np.minimum(t[pick], t[::10] * 0.99)
    elif kind == "entries at zero, some -0.0":
        a[rng.random(n) < 0.3] = 0.0
        a[rng.random(n) < 0.1] = -0.0
    return t, e, a


KINDS = ["continuous entries", "entries at other rows' stop times", "entries at zero, some -0.0"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("k", "n"), [(1, N), (2, N), (3, N), (1, threads.MERGE_PART)])
def test_entry_fit_is_the_formula_written_out(kind: str, k: int, n: int) -> None:
    # (one thread, 2 * MERGE_PART keys: the merge by parts)
    t, e, a = _data(kind, n)
    threads.set_num_threads(k)
    km = survkit.kaplan_meier(t, e, entry=a)
    u = np.sort(t)
    if kind == "entries at other rows' stop times":
        assert np.isin(a, t).sum() > 1000  # the ties between entries and stops are there
    assert np.unique(u).size == n  # distinct stop times: the path of one sort
    entered = np.searchsorted(np.sort(a), u, side="left")  # a_i < u_j
    stopped = np.arange(n)  # t_i < u_j: the stops before u_j
    r = (entered - stopped).astype(float)
    d = e[np.argsort(t)].astype(float)
    np.testing.assert_array_equal(km.time, u)
    np.testing.assert_array_equal(km.n_risk, r)
    np.testing.assert_array_equal(km.n_event, d)
    np.testing.assert_array_equal(km.n_censor, 1.0 - d)
    s = np.cumprod((r - d) / r)
    np.testing.assert_array_equal(km.surv, s)  # the same products in the same order
    gw = np.sqrt(np.cumsum(d / (r * (r - d))))
    np.testing.assert_allclose(km.std_err_log, gw, rtol=1e-12)
    np.testing.assert_allclose(km.std_err, s * gw, rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_two_threads_give_the_bits_of_one(kind: str) -> None:
    t, e, a = _data(kind)
    threads.set_num_threads(1)
    one = survkit.kaplan_meier(t, e, entry=a)
    threads.set_num_threads(2)
    two = survkit.kaplan_meier(t, e, entry=a)
    for f in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
              "lower", "upper"):
        np.testing.assert_array_equal(getattr(one, f), getattr(two, f), err_msg=f)
