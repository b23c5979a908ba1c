r"""Kaplan-Meier past one machine's memory: the counting runs in DuckDB or Dask.

The Kaplan-Meier fit needs only the counts of events and censorings per (group, time), and
with delayed entry the counts of entries per (group, entry time) -- see
:mod:`survkit.estimate.counts`. Here those counts are made by an engine that scans the
rows where they are, and only the (small) count tables come back:

* a **DuckDB relation** -- one ``GROUP BY`` (``GROUPING SETS`` with an entry column), so
  one scan of the data;
* a **path** to a Parquet or CSV file (or a glob of them) -- scanned out-of-core by DuckDB,
  the embedded default (no server), which spills to disk rather than exceeding memory;
* a **Dask DataFrame** -- ``groupby(...).size()`` per partition, combined by Dask; on a
  ``distributed`` cluster when a ``Client`` is active (Dask's default scheduler then).

Row checks (missing or infinite values, events not 0/1, negative times, entry >= time,
missing group labels) are folded into the same aggregation, so bad rows raise the same
``ValueError``\ s as in memory, naming the column. The fits equal those of the pandas path
on the same rows (the same code after the counting step; counts are exact integers).
Case weights are not supported here: R's variance for fractional weights needs the rows.

References
----------
Raasveldt M., Muehleisen H. (2019). DuckDB: an embeddable analytical database. SIGMOD.
Rocklin M. (2015). Dask: parallel computation with blocked algorithms and task scheduling.
SciPy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.estimate.counts import table_counts
from survkit.estimate.km import KaplanMeier, KaplanMeierGroups, fit_counts

FloatArray = NDArray[np.float64]

#: File suffixes read as Parquet and as CSV by :func:`scan_path`.
PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
CSV_SUFFIXES = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")


@dataclass(frozen=True)
class CellTable:
    """Counts from an engine: stop cells ``(group, time, event) -> n`` and entry cells.

    ``group`` arrays hold the raw labels (``None`` without ``by``); ``bad_entry`` is the
    number of rows with entry >= time.
    """

    group: NDArray[Any]
    time: FloatArray
    event: FloatArray
    n: FloatArray
    enter_group: NDArray[Any] | None = None
    enter_time: FloatArray | None = None
    n_enter: FloatArray | None = None
    bad_entry: int = 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def engine_name(data: Any) -> str | None:
    """``"duckdb"``, ``"dask"`` or ``"path"`` for a supported out-of-core source, else None."""
    if isinstance(data, (str, os.PathLike)):
        return "path"
    mod = type(data).__module__ or ""
    if mod.startswith("duckdb") and hasattr(data, "columns") and hasattr(data, "query"):
        return "duckdb"
    if mod.startswith("dask") and hasattr(data, "columns") and hasattr(data, "npartitions"):
        return "dask"
    return None


def scan_path(path: str | os.PathLike[str], connection: Any = None) -> Any:
    """A DuckDB relation scanning a Parquet or CSV file (or glob) without loading it.

    Raises ``FileNotFoundError`` when no file matches and ``ValueError`` for another suffix.
    """
    try:
        import duckdb
    except ImportError:
        raise ImportError("reading a Parquet or CSV path out-of-core needs duckdb: "
                          "pip install 'survkit[engines]'") from None

    p = os.fspath(path)
    low = p.lower()
    if not any(ch in p for ch in "*?[") and not Path(p).exists():
        raise FileNotFoundError(f"no such file: {p}")
    con = connection if connection is not None else duckdb.connect()
    if low.endswith(PARQUET_SUFFIXES):
        return con.read_parquet(p)
    if low.endswith(CSV_SUFFIXES):
        return con.read_csv(p)
    raise ValueError(
        f"data: cannot tell the format of {p!r}; expected a suffix among "
        f"{', '.join(PARQUET_SUFFIXES + CSV_SUFFIXES)}"
    )


def _columns(data: Any) -> list[str]:
    return [str(c) for c in data.columns]


def _check_columns(data: Any, cols: dict[str, str | None]) -> None:
    have = set(_columns(data))
    for arg, col in cols.items():
        if col is None:
            continue
        if not isinstance(col, str):
            raise TypeError(f"with data=, {arg} must be a column name, got {col!r}")
        if col not in have:
            raise ValueError(f"{arg}: column {col!r} not in data")


def duckdb_cells(rel: Any, time: str, event: str, entry: str | None, by: str | None) -> CellTable:
    """Count cells of a DuckDB relation in one ``GROUP BY`` run inside DuckDB."""
    import duckdb

    g = f"{_quote(by)}" if by is not None else "NULL"
    inner = (
        f"SELECT {g} AS g, CAST({_quote(time)} AS DOUBLE) AS t, "
        f"CAST({_quote(event)} AS DOUBLE) AS e"
        + (f", CAST({_quote(entry)} AS DOUBLE) AS a" if entry is not None else "")
        + " FROM survkit_rows"
    )
    if entry is None:
        sql = f"SELECT g, t, e, count(*) AS n FROM ({inner}) GROUP BY g, t, e"
    else:
        sql = (
            "SELECT g, t, e, a, grouping(a) AS stop_cell, count(*) AS n, "
            f"count_if(a >= t) AS bad FROM ({inner}) GROUP BY GROUPING SETS ((g, t, e), (g, a))"
        )
    try:
        df = rel.query("survkit_rows", sql).df()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise ValueError(
            f"DuckDB could not count the rows (time {time!r}, event {event!r}"
            + (f", entry {entry!r}" if entry else "") + f"): {first}"
        ) from None
    if entry is None:
        return CellTable(
            df["g"].to_numpy(), df["t"].to_numpy(np.float64), df["e"].to_numpy(np.float64),
            df["n"].to_numpy(np.float64),
        )
    stop = df["stop_cell"].to_numpy() == 1
    st, en = df[stop], df[~stop]
    return CellTable(
        st["g"].to_numpy(), st["t"].to_numpy(np.float64), st["e"].to_numpy(np.float64),
        st["n"].to_numpy(np.float64), en["g"].to_numpy(), en["a"].to_numpy(np.float64),
        en["n"].to_numpy(np.float64), int(st["bad"].sum()),
    )


def dask_cells(ddf: Any, time: str, event: str, entry: str | None, by: str | None) -> CellTable:
    """Count cells of a Dask DataFrame with ``groupby().size()``, computed in one graph.

    Runs on the active ``distributed`` Client when there is one (Dask's default scheduler).
    """
    import dask

    cols = {"t": ddf[time].astype("float64"), "e": ddf[event].astype("float64")}
    if entry is not None:
        cols["a"] = ddf[entry].astype("float64")
    if by is not None:
        cols["g"] = ddf[by]
    frame = ddf.assign(**{f"__sk_{k}": v for k, v in cols.items()})
    keys = (["__sk_g"] if by is not None else []) + ["__sk_t", "__sk_e"]
    stop = frame.groupby(keys, dropna=False).size()
    todo: list[Any] = [stop]
    if entry is not None:
        ekeys = (["__sk_g"] if by is not None else []) + ["__sk_a"]
        todo.append(frame.groupby(ekeys, dropna=False).size())
        todo.append((frame["__sk_a"] >= frame["__sk_t"]).sum())
    out = dask.compute(*todo)

    def split(s: pd.Series, value: str) -> tuple[NDArray[Any], FloatArray, pd.DataFrame]:
        f = s.reset_index(name="n")
        grp = f["__sk_g"].to_numpy() if by is not None else np.full(len(f), None, dtype=object)
        return grp, f[value].to_numpy(np.float64), f

    grp, t, f = split(out[0], "__sk_t")
    cells = CellTable(grp, t, f["__sk_e"].to_numpy(np.float64), f["n"].to_numpy(np.float64))
    if entry is None:
        return cells
    egrp, a, ef = split(out[1], "__sk_a")
    return CellTable(
        cells.group, cells.time, cells.event, cells.n, egrp, a, ef["n"].to_numpy(np.float64),
        int(out[2]),
    )


def _check_cells(cells: CellTable, time: str, event: str, entry: str | None,
                 by: str | None) -> None:
    """The row checks of the in-memory path, on the count cells."""

    def finite(x: FloatArray, arg: str, col: str) -> None:
        if np.isnan(x).any():
            raise ValueError(f"{arg} column {col!r} has a missing value (NULL or NaN)")
        if np.isinf(x).any():
            v = x[np.isinf(x)][0]
            raise ValueError(f"{arg} column {col!r} has an infinite value ({v!r})")

    if cells.n.size == 0:
        raise ValueError("data has no rows")
    finite(cells.time, "time", time)
    e = cells.event
    if np.isnan(e).any():
        raise ValueError(f"event column {event!r} has a missing value (NULL or NaN)")
    bad = ~((e == 0) | (e == 1))
    if bad.any():
        raise ValueError(f"event column {event!r} must be 0/1 or boolean; it has "
                         f"{e[bad][0].item()!r}")
    if entry is None:
        neg = cells.time < 0
        if neg.any():
            raise ValueError(f"time column {time!r} must be non-negative; it has "
                             f"{cells.time[neg].min().item()!r}")
    else:
        assert cells.enter_time is not None
        finite(cells.enter_time, "entry", entry)
        if cells.bad_entry:
            raise ValueError(f"entry must be < time; {cells.bad_entry} row(s) have entry column "
                             f"{entry!r} >= time column {time!r}")
    if by is not None:
        groups = [cells.group] + ([cells.enter_group] if cells.enter_group is not None else [])
        for grp in groups:
            if pd.isna(grp).any():
                raise ValueError(f"by: column {by!r} has a missing value (NULL or NaN)")


def cell_fits(
    cells: CellTable, conf_type: str, conf_level: float, by: str | None
) -> KaplanMeier | KaplanMeierGroups:
    """Fits from validated cells: one per group (labels sorted as R's factor levels)."""

    def fit(mask: NDArray[np.bool_], emask: NDArray[np.bool_] | None,
            label: str | None) -> KaplanMeier:
        t = cells.time[mask]
        ev = cells.event[mask] == 1
        n = cells.n[mask]
        d = np.where(ev, n, 0.0)
        c = np.where(ev, 0.0, n)
        e = None
        if emask is not None and cells.enter_time is not None and cells.n_enter is not None:
            k = int(emask.sum())
            t = np.concatenate((t, cells.enter_time[emask]))
            d = np.concatenate((d, np.zeros(k)))
            c = np.concatenate((c, np.zeros(k)))
            e = np.concatenate((np.zeros(mask.sum()), cells.n_enter[emask]))
        counts = table_counts(t, d, c, e)
        total = int(counts.n_event.sum() + counts.n_censor.sum())
        return fit_counts(counts, total, conf_type, conf_level, label=label)

    if by is None:
        every = np.ones(cells.n.size, dtype=bool)
        e_every = None if cells.enter_time is None else np.ones(cells.enter_time.size, dtype=bool)
        return fit(every, e_every, None)
    labels = sorted(pd.unique(cells.group).tolist(), key=lambda v: (str(type(v)), v))
    fits: dict[str, KaplanMeier] = {}
    for lab in labels:
        mask = cells.group == lab
        emask = (cells.enter_group == lab) if cells.enter_group is not None else None
        fits[str(lab)] = fit(np.asarray(mask, dtype=bool),
                             None if emask is None else np.asarray(emask, dtype=bool), str(lab))
    unsupported = ("entry",) if cells.enter_time is not None else ()
    return KaplanMeierGroups(fits, by, _not_in_logrank=unsupported)


ENGINES: dict[str, Callable[..., CellTable]] = {"duckdb": duckdb_cells, "dask": dask_cells}


def kaplan_meier_engine(
    data: Any,
    time: Any,
    event: Any,
    *,
    entry: Any = None,
    weights: Any = None,
    by: Any = None,
    conf_type: str = "log",
    conf_level: float = 0.95,
) -> KaplanMeier | KaplanMeierGroups:
    """:func:`survkit.kaplan_meier` on a DuckDB relation, a Dask DataFrame or a file path.

    ``conf_type`` must be canonical and ``conf_level`` checked (``kaplan_meier`` does both).
    """
    kind = engine_name(data)
    if kind is None:
        raise TypeError(
            "data must be a pandas DataFrame, a DuckDB relation, a Dask DataFrame or the path "
            f"of a Parquet or CSV file, got {type(data).__name__}"
        )
    if weights is not None:
        raise ValueError(
            f"weights= is not supported with a {kind} data source (the variance of weighted "
            "fits needs the rows); load the rows into a pandas DataFrame"
        )
    if time is None or event is None:
        raise ValueError("with data=, time and event column names are required")
    if kind == "path":
        data = scan_path(data)
        kind = "duckdb"
    _check_columns(data, {"time": time, "event": event, "entry": entry, "by": by})
    cells = ENGINES[kind](data, time, event, entry, by)
    _check_cells(cells, time, event, entry, by)
    return cell_fits(cells, conf_type, conf_level, by)
