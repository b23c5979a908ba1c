"""The threaded kernels give the same bits as one thread, and the plain formulas.

The sizes are above the threshold at which work is split (``PARALLEL_MIN`` elements per
thread), so the threaded paths run; expected values come from ``np.sort`` and from the
product limit and Greenwood's sum written out on ``np.unique`` counts.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import survkit
from survkit.estimate import threads

N = 3 * threads.PARALLEL_MIN + 17  # three spans on three threads, uneven


@pytest.fixture(autouse=True)
def _restore_threads() -> Iterator[None]:
    yield
    threads.set_num_threads(None)


def _fields(km: survkit.KaplanMeier) -> list[np.ndarray]:
    names = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
             "lower", "upper")
    return [np.asarray(getattr(km, f)) for f in names]


def _data(kind: str, n: int = N) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261201)
    t = rng.exponential(30.0, n)
    e = rng.random(n) < 0.7
    if kind == "distinct":
        return {"time": t, "event": e}
    if kind == "few ties":
        t = t.copy()
        t[::500] = t[1::500]  # some tied pairs, one event and one censoring among them
        return {"time": t, "event": e}
    if kind == "entry":
        return {"time": t, "event": e, "entry": t * rng.uniform(0.0, 0.5, n)}
    if kind == "fractional weights":
        return {"time": t, "event": e, "weights": rng.uniform(0.5, 1.5, n)}
    if kind == "weights, curve to 0":  # S reaches 0 at the last time; some zero weights
        e = e.copy()
        e[np.argmax(t)] = True
        w = rng.uniform(0.5, 1.5, n)
        w[rng.random(n) < 0.01] = 0.0
        return {"time": t, "event": e, "weights": w}
    if kind == "integer weights":
        return {"time": t, "event": e, "weights": rng.integers(1, 4, n).astype(float)}
    raise AssertionError(kind)


KINDS = ["distinct", "few ties", "entry", "fractional weights", "weights, curve to 0",
         "integer weights"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [2, 3, 5])
def test_fit_is_the_same_on_any_number_of_threads(kind: str, k: int) -> None:
    data = _data(kind)
    threads.set_num_threads(1)
    one = _fields(survkit.kaplan_meier(**data))
    threads.set_num_threads(k)
    many = _fields(survkit.kaplan_meier(**data))
    for a, b in zip(one, many, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", ["distinct", "few ties", "entry"])
def test_threaded_fit_is_the_product_limit(kind: str) -> None:
    # the formulas written out: r_j at risk (entered before t_j, not stopped before it),
    # S = prod((r - d)/r) (R's survfitkm.c factors), Greenwood var(log S) = sum d / (r (r - d))
    data = _data(kind)
    threads.set_num_threads(3)
    km = survkit.kaplan_meier(**data)
    t, e = data["time"], data["event"]
    ut = np.unique(t)
    d = np.array([e[t == u].sum() for u in ut[:50]], dtype=float)
    stop_ge = np.array([(t >= u).sum() for u in ut[:50]], dtype=float)
    if "entry" in data:
        late = np.array([(data["entry"] >= u).sum() for u in ut[:50]], dtype=float)
        r = stop_ge - late
    else:
        r = stop_ge
    np.testing.assert_array_equal(km.time[:50], ut[:50])
    np.testing.assert_array_equal(km.n_risk[:50], r)
    np.testing.assert_array_equal(km.n_event[:50], d)
    s = np.cumprod((r - d) / r)
    np.testing.assert_allclose(km.surv[:50], s, rtol=1e-13)
    np.testing.assert_allclose(km.std_err[:50], s * np.sqrt(np.cumsum(d / (r * (r - d)))),
                               rtol=1e-12)
    assert km.time.size == ut.size


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("shape", ["random", "few values", "sorted", "reversed", "constant"])
def test_sort_inplace_sorts(k: int, shape: str) -> None:
    rng = np.random.default_rng(k)
    n = 5 * threads.PARALLEL_MIN + 3
    a = {
        "random": rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True),
        "few values": rng.integers(0, 7, n).astype(np.uint64),
        "sorted": np.arange(n, dtype=np.uint64),
        "reversed": np.arange(n, dtype=np.uint64)[::-1].copy(),
        "constant": np.full(n, 12345, dtype=np.uint64),
    }[shape]
    threads.set_num_threads(k)
    expected = np.sort(a)
    np.testing.assert_array_equal(threads.sort_inplace(a.copy()), expected)


def test_merge_runs_of_unequal_lengths() -> None:
    rng = np.random.default_rng(3)
    runs = [np.sort(rng.integers(0, 1000, m).astype(np.uint64)) for m in (5, 90_000, 70_001)]
    a = np.concatenate(runs)
    threads.set_num_threads(3)
    out = threads.merge_runs(runs, np.empty_like(a))
    np.testing.assert_array_equal(out, np.sort(a))


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("values", [1000, 2**63])
def test_merge_in_more_parts_than_threads(
    monkeypatch: pytest.MonkeyPatch, k: int, values: int
) -> None:
    # parts of at most ~MERGE_PART elements, several per thread: still the runs sorted
    monkeypatch.setattr(threads, "MERGE_PART", 4096)
    rng = np.random.default_rng(k)
    runs = [np.sort(rng.integers(0, values, m, dtype=np.uint64)) for m in (50_001, 30_000, 7)]
    a = np.concatenate(runs)
    threads.set_num_threads(k)
    out = threads.merge_runs(runs, np.empty_like(a))
    np.testing.assert_array_equal(out, np.sort(a))


def test_parallel_runs_every_task_and_raises_their_error() -> None:
    threads.set_num_threads(2)
    assert threads.parallel([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]
    ran: list[int] = []

    def boom() -> None:
        raise RuntimeError("task failed")

    with pytest.raises(RuntimeError, match="task failed"):
        threads.parallel([lambda: ran.append(0), boom, lambda: ran.append(2)])
    assert sorted(ran) == [0, 2]


def test_number_of_threads_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SURVKIT_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert threads.get_num_threads() == 1
    monkeypatch.setenv("SURVKIT_NUM_THREADS", "3")
    assert threads.get_num_threads() == 3
    threads.set_num_threads(2)
    assert threads.get_num_threads() == 2
    threads.set_num_threads(None)
    monkeypatch.setenv("SURVKIT_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="SURVKIT_NUM_THREADS must be a positive integer"):
        threads.get_num_threads()


@pytest.mark.parametrize("at_once", [True, False])
def test_default_threads_only_where_they_run_at_once(
    monkeypatch: pytest.MonkeyPatch, at_once: bool
) -> None:
    # the cores by default where two threads were measured to run at once, else one; the
    # environment and set_num_threads are taken as given, without the measurement
    monkeypatch.delenv("SURVKIT_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(threads, "_cores", lambda: 4)
    monkeypatch.setattr(threads, "_at_once", at_once)
    assert threads.get_num_threads() == (4 if at_once else 1)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads.get_num_threads() == 3
    threads.set_num_threads(2)
    assert threads.get_num_threads() == 2


def test_the_measurement_is_made_once_and_gives_a_bool(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(threads, "_at_once", None)
    real = threads._measure_at_once
    monkeypatch.setattr(threads, "_measure_at_once", lambda: calls.append(1) or real())
    first = threads.threads_run_at_once()
    assert isinstance(first, bool) and threads.threads_run_at_once() is first
    assert calls == [1]


@pytest.mark.parametrize("bad", [0, -2])
def test_set_num_threads_rejects_non_positive(bad: int) -> None:
    with pytest.raises(ValueError, match=f"n must be a positive integer or None, got {bad}"):
        survkit.set_num_threads(bad)


@pytest.mark.parametrize("bad", [2.0, "2", True])
def test_set_num_threads_rejects_non_integers(bad: object) -> None:
    with pytest.raises(TypeError, match="n must be a positive integer or None"):
        survkit.set_num_threads(bad)  # type: ignore[arg-type]


def _fit_surv_sum(seed: int) -> float:
    data = _data("distinct")
    return float(survkit.kaplan_meier(**data).surv.sum()) + seed


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_a_forked_child_fits_on_threads_of_its_own() -> None:
    # the parent's pool threads do not exist in a forked child: the child must make its own
    # (else its first threaded fit would wait forever for them)
    import multiprocessing

    threads.set_num_threads(2)
    expected = _fit_surv_sum(0)  # the parent's pool now exists
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(_fit_surv_sum, (0,)).get(timeout=60)
    assert got == expected
