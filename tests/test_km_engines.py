"""kaplan_meier(data=...) on DuckDB, Parquet/CSV paths and Dask equals the pandas path.

Small data generated on the fly; every engine's fits must equal the in-memory fits field by
field at 1e-12 (they are in fact identical: the counts are exact integers and the code after
the counting step is the same), with the same group order and log-rank test. Bad rows must
raise the in-memory path's kind of error, naming the column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from survkit import KaplanMeier, KaplanMeierGroups, kaplan_meier

duckdb = pytest.importorskip("duckdb")
dd = pytest.importorskip("dask.dataframe")

FIELDS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "std_err_log",
          "lower", "upper")


def make_frame(n: int = 3000, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.ceil(rng.exponential(40.0, n))
    t[: n // 10] = np.round(rng.exponential(40.0, n // 10), 3)  # some continuous times
    a = np.floor(t * rng.random(n) * 0.6)
    a = np.where(a >= t, t - 0.5, a)
    return pd.DataFrame({
        "t": t, "e": rng.integers(0, 2, n), "a": a,
        "g": rng.choice(["ctl", "arm B", "arm A"], n), "k": rng.integers(1, 4, n),
    })


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_frame()


@pytest.fixture(scope="module")
def files(frame: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("engines")
    frame.to_parquet(d / "rows.parquet")
    frame.to_csv(d / "rows.csv", index=False)
    return {"parquet": d / "rows.parquet", "csv": d / "rows.csv"}


def _sources(frame: pd.DataFrame, files: dict[str, Path]) -> dict[str, Any]:
    return {
        "duckdb": duckdb.from_df(frame),
        "parquet": files["parquet"],
        "parquet-str": str(files["parquet"]),
        "csv": files["csv"],
        "dask": dd.from_pandas(frame, npartitions=3),
    }


SOURCES = ["duckdb", "parquet", "parquet-str", "csv", "dask"]


def assert_same_fit(got: KaplanMeier, exp: KaplanMeier, where: str) -> None:
    assert got.n == exp.n, f"{where}: n"
    assert got.label == exp.label
    for f in FIELDS:
        g, x = getattr(got, f), getattr(exp, f)
        assert g.shape == x.shape, f"{where}: {f} shape"
        np.testing.assert_allclose(g, x, rtol=1e-12, atol=1e-12, err_msg=f"{where}: {f}")
    assert got.median() == exp.median()


def assert_same(got: Any, exp: Any, where: str) -> None:
    assert type(got) is type(exp)
    if isinstance(exp, KaplanMeier):
        assert_same_fit(got, exp, where)
        return
    assert list(got) == list(exp), f"{where}: group order"
    for k in exp:
        assert_same_fit(got[k], exp[k], f"{where}/{k}")
    try:
        le = exp.logrank()
    except ValueError as exc:  # fitted with entry=: R survdiff has no such test
        with pytest.raises(ValueError, match="entry="):
            got.logrank()
        assert "entry=" in str(exc)
        return
    lg = got.logrank()
    assert lg.groups == le.groups
    np.testing.assert_allclose([lg.statistic, lg.p_value], [le.statistic, le.p_value],
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"by": "g"},
        {"by": "k"},
        {"by": "g", "entry": "a"},
        {"entry": "a", "conf_type": "log-log", "conf_level": 0.9},
    ],
    ids=["one", "by-str", "by-int", "by-entry", "entry-loglog"],
)
def test_engine_equals_pandas(frame: pd.DataFrame, files: dict[str, Path], source: str,
                              kw: dict[str, Any]) -> None:
    exp = kaplan_meier("t", "e", data=frame, **kw)
    got = kaplan_meier("t", "e", data=_sources(frame, files)[source], **kw)
    assert_same(got, exp, f"{source} {kw}")


def test_groups_from_an_engine_are_a_groups_mapping(frame: pd.DataFrame) -> None:
    res = kaplan_meier("t", "e", data=duckdb.from_df(frame), by="g")
    assert isinstance(res, KaplanMeierGroups)
    assert list(res) == ["arm A", "arm B", "ctl"]
    assert list(res.medians().columns) == ["g", "n", "events", "median", "lower", "upper"]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_dask_on_a_distributed_client(frame: pd.DataFrame, client: Any) -> None:
    ddf = dd.from_pandas(frame, npartitions=4)
    exp = kaplan_meier("t", "e", data=frame, by="g", entry="a")
    got = kaplan_meier("t", "e", data=ddf, by="g", entry="a")
    assert_same(got, exp, "dask on a Client")


def _bad(frame: pd.DataFrame, **cols: Any) -> pd.DataFrame:
    out = frame.head(50).copy()
    for c, (i, v) in cols.items():
        out[c] = out[c].astype(object if v is None or isinstance(v, str) else float)
        out.loc[i, c] = v
    return out


BAD = [
    ({"t": (3, np.nan)}, {}, "time column 't' has a missing value"),
    ({"t": (3, -2.0)}, {}, "time column 't' must be non-negative; it has -2.0"),
    ({"t": (3, np.inf)}, {}, "time column 't' has an infinite value"),
    ({"e": (4, 2.0)}, {}, "event column 'e' must be 0/1 or boolean; it has 2.0"),
    ({"e": (4, np.nan)}, {}, "event column 'e' has a missing value"),
    ({"a": (5, 1e6)}, {"entry": "a"}, r"entry must be < time; 1 row\(s\)"),
    ({"g": (6, None)}, {"by": "g"}, "by: column 'g' has a missing value"),
]


@pytest.mark.parametrize("maker", ["duckdb", "dask"])
@pytest.mark.parametrize(("edit", "kw", "match"), BAD)
def test_bad_rows_raise(frame: pd.DataFrame, maker: str, edit: dict[str, Any],
                        kw: dict[str, Any], match: str) -> None:
    df = _bad(frame, **edit)
    make: dict[str, Callable[[pd.DataFrame], Any]] = {
        "duckdb": duckdb.from_df, "dask": lambda x: dd.from_pandas(x, npartitions=2)}
    with pytest.raises(ValueError, match=match):
        kaplan_meier("t", "e", data=make[maker](df), **kw)


def test_bad_calls(frame: pd.DataFrame, tmp_path: Path) -> None:
    rel = duckdb.from_df(frame)
    with pytest.raises(ValueError, match="time: column 'nope' not in data"):
        kaplan_meier("nope", "e", data=rel)
    with pytest.raises(ValueError, match="weights= is not supported with a duckdb"):
        kaplan_meier("t", "e", data=rel, weights="k")
    with pytest.raises(TypeError, match="data must be a pandas DataFrame, a DuckDB relation"):
        kaplan_meier("t", "e", data=[1, 2, 3])
    with pytest.raises(FileNotFoundError, match="no such file"):
        kaplan_meier("t", "e", data=tmp_path / "missing.parquet")
    (tmp_path / "rows.json").write_text("{}")
    with pytest.raises(ValueError, match="cannot tell the format"):
        kaplan_meier("t", "e", data=tmp_path / "rows.json")
    strings = frame.head(20).assign(e="maybe")
    with pytest.raises(ValueError, match="DuckDB could not count the rows"):
        kaplan_meier("t", "e", data=duckdb.from_df(strings))
