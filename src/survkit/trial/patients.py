"""The long patient table of an ensemble (``patients.csv``), built once from day arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.trial.reanalysis import endpoint_data
from survkit.trial.spec import Trial

if TYPE_CHECKING:
    from survkit.trial.proposal import Stratum

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def build_table(
    trial: Trial, parts: list[tuple[Stratum, tuple[IntArray, IntArray, FloatArray, FloatArray]]]
) -> pd.DataFrame:
    """The long patient table of all draws, built once (patient 1 = first infused)."""
    n = trial.n
    ids_l, rd_l, def_l = [], [], []
    for st, (status, _fu, _rel, _death) in parts:
        k = status.shape[0]
        ids_l.append(np.broadcast_to(np.asarray(st.problem.slot_ids, dtype=object), (k, n)))
        rd_l.append(np.full(k, trial.readings[st.problem.reading].name, dtype=object))
        def_l.append(np.full(k, st.definition, dtype=object))
    return table_from_arrays(
        trial,
        np.vstack([a[0] for _, a in parts]),
        np.vstack([a[1] for _, a in parts]).astype(np.float64),
        np.vstack([a[2] for _, a in parts]),
        np.vstack([a[3] for _, a in parts]),
        np.vstack(ids_l),
        np.concatenate(rd_l),
        np.concatenate(def_l),
    )


def table_from_arrays(
    trial: Trial,
    status: IntArray,
    fu: FloatArray,
    rel: FloatArray,
    death: FloatArray,
    ids: NDArray[Any],
    readings: NDArray[Any],
    definitions: NDArray[Any],
    end: FloatArray | None = None,
) -> pd.DataFrame:
    """Long table from (B, n) arrays in days (``inf`` = no event); rows sorted by infusion.

    ``end`` is the day a patient was censored before the cutoff (``inf``: followed to the
    cutoff); with it the table gets a ``censored_<unit>`` column (NaN when not censored early)
    and every endpoint is observed up to ``min(followup, censored)``.
    """
    ud = trial.unit_days
    u = trial.unit
    n = trial.n
    if end is None:
        end = np.full(fu.shape, np.inf)
    order = np.argsort(-fu, axis=1, kind="stable")
    status, fu, rel, death, ids, end = (
        np.take_along_axis(x, order, axis=1) for x in (status, fu, rel, death, ids, end)
    )
    early = np.isfinite(end) & (end < fu) & ~np.isfinite(death)
    obs = np.where(early, end, fu)
    b = status.shape[0]
    cutoff = np.datetime64(trial.cutoff.isoformat(), "D")
    days = np.rint(fu).astype(np.int64).ravel()
    cols: dict[str, Any] = {
        "draw": np.repeat(np.arange(b), n),
        "patient": np.tile(np.arange(1, n + 1), b),
        "infusion_date": (cutoff - days.astype("timedelta64[D]")).astype("datetime64[ns]"),
    }
    for ep in trial.endpoints:
        et, ee = endpoint_data(ep.events, rel, death, obs)
        cols[f"{ep.name.lower()}_{u}"] = (et / ud).ravel()
        cols[f"{ep.name.lower()}_event"] = ee.astype(np.int64).ravel()
    cols[f"relapse_{u}"] = np.where(np.isinf(rel), np.nan, rel / ud).ravel()
    cols[f"death_{u}"] = np.where(np.isinf(death), np.nan, death / ud).ravel()
    cols[f"followup_{u}"] = (fu / ud).ravel()
    if early.any():
        cols[f"censored_{u}"] = np.where(early, end / ud, np.nan).ravel()
    cols["status"] = status.ravel()
    cols["event_id"] = ids.ravel()
    cols["reading"] = np.repeat(readings, n)
    cols["followup_definition"] = np.repeat(definitions, n)
    cols["rounding"] = np.full(b * n, trial.convention, dtype=object)
    return pd.DataFrame(cols)


def build_abc_table(trial: Trial, kept: list[dict[str, Any]]) -> pd.DataFrame:
    """Patient table of ABC draws (``kept``: dicts of day arrays ``fu, rel, death, model`` and
    optionally ``end``, the early-censoring days, ``inf`` when none)."""
    fu = np.vstack([k["fu"] for k in kept])
    rel = np.vstack([k["rel"] for k in kept])
    death = np.vstack([k["death"] for k in kept])
    end = np.vstack([k.get("end", np.full(k["fu"].shape, np.inf)) for k in kept])
    has_r, has_d = np.isfinite(rel), np.isfinite(death)
    status = np.where(has_d, np.where(has_r, 2, 3), np.where(has_r, 1, 0)).astype(np.int64)
    b = fu.shape[0]
    d = trial.followup.definition
    return table_from_arrays(
        trial,
        status,
        fu,
        rel,
        death,
        np.full((b, trial.n), "", dtype=object),
        np.array([f"abc: {k['model']}" for k in kept], dtype=object),
        np.full(b, "survivors" if d == "unknown" else d, dtype=object),
        end=end if np.isfinite(end).any() else None,
    )
