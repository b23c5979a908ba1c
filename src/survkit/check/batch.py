"""Batch checks of a corpus: one report row per printed endpoint, locally or on a Dask Client.

:func:`check_table` runs, for every row of a table of printed numbers, the check its text
calls for -- :func:`survkit.check.check_hr` for a hazard ratio, :func:`survkit.check.check_ci`
for a survival estimate with its CI -- and collects one report row each. A bad row gets its
error in the ``error`` column instead of stopping the batch. The rows are independent, so with
a ``client`` (a ``distributed.Client``) they are checked on the cluster; the report is the same.
This is what ``survkit check --csv`` runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survkit.check.catalogue import SURVIVAL_METHODS, likely_software
from survkit.check.ci_check import check_ci
from survkit.check.hr import check_hr
from survkit.estimate.ci import CONF_TYPES
from survkit.printed import (
    Reported,
    Rounding,
    check_rounding,
    parse_endpoint,
    reported_from_numbers,
    text_kind,
)

#: Columns of the input table that :func:`check_table` reads (all optional but one of
#: ``text`` or ``estimate``).
COLUMNS = ("text", "estimate", "lower", "upper", "n", "n_risk_at", "events_before",
           "conf_level", "events")


@dataclass(frozen=True, eq=False)
class TableCheck:
    """The report of :func:`check_table`: one row per input row (see there for the columns).

    Attributes
    ----------
    report : pandas.DataFrame
        The report table (kept private; :meth:`to_frame` returns a copy).
    """

    report: pd.DataFrame

    @property
    def n_rows(self) -> int:
        """Number of rows checked (errors included)."""
        return len(self.report)

    @property
    def n_errors(self) -> int:
        """Rows that could not be checked (their ``error`` column says why)."""
        return int((self.report["error"] != "").sum())

    def to_frame(self) -> pd.DataFrame:
        """The report, one row per input row (a copy)."""
        return self.report.copy()


def _cell(row: Mapping[str, Any], name: str) -> Any:
    v = row.get(name)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str) and not v.strip():
        return None
    return v


def _row_int(row: Mapping[str, Any], name: str) -> int | None:
    v = _cell(row, name)
    if v is None:
        return None
    f = float(v)
    if not f.is_integer():
        raise ValueError(f"{name} must be an integer, got {v!r}")
    return int(f)


def _row_reported(row: Mapping[str, Any]) -> Reported:
    est = _cell(row, "estimate")
    if est is None:
        raise ValueError("row has neither text nor estimate")
    lo, up = _cell(row, "lower"), _cell(row, "upper")
    return reported_from_numbers(
        str(est), None if lo is None else str(lo), None if up is None else str(up)
    )


def check_row(
    row: Mapping[str, Any],
    *,
    n: int | None = None,
    rounding: Rounding = "any",
    max_histories: int = 1000,
) -> dict[str, Any]:
    """The report row of one printed endpoint (see :func:`check_table`); errors are raised."""
    out: dict[str, Any] = {}
    text = _cell(row, "text")
    level = _cell(row, "conf_level")
    conf = None if level is None else float(level)
    if text is not None and text_kind(str(text)) == "hazard_ratio":
        ev = _row_int(row, "events")
        hr = check_hr(str(text), events=ev, conf_level=conf, rounding=rounding)
        out["kind"] = "hazard_ratio"
        out["consistent"] = "yes" if hr.consistent else ""
        out["rounding"] = ";".join(hr.rounding)
        out["notes"] = " | ".join(hr.notes)
        return out
    rep = parse_endpoint(str(text)) if text is not None else _row_reported(row)
    n_row = _row_int(row, "n")
    res = check_ci(
        rep,
        n=n_row if n_row is not None else n,
        conf_level=conf,
        n_risk_at=_row_int(row, "n_risk_at"),
        events_before=_row_int(row, "events_before"),
        rounding=rounding,
        max_histories=max_histories,
    )
    out["kind"] = "survival"
    out["n"] = res.n
    out["consistent"] = ";".join(res.consistent)
    for ct in CONF_TYPES:
        m = res.methods[ct]
        out[f"{ct}"] = m.consistent
        out[f"{ct}_rounding"] = ";".join(m.rounding)
        out[f"{ct}_histories"] = m.n_histories
        out[f"{ct}_histories_upper"] = m.n_histories_upper
        out[f"{ct}_se_log_lo"] = m.se_log_range[0] if m.se_log_range else None
        out[f"{ct}_se_log_hi"] = m.se_log_range[1] if m.se_log_range else None
    hc = res.hand
    out["hand"] = bool(hc is not None and hc.consistent)
    out["hand_variants"] = "" if hc is None else ";".join(v.id for v in hc.variants)
    out["likely_software"] = likely_software([c for c in res.consistent if c in SURVIVAL_METHODS])
    out["exhaustive"] = res.exhaustive
    out["notes"] = " | ".join(res.notes)
    return out


def _report_row(
    i: int, row: Mapping[str, Any], n: int | None, rounding: Rounding, max_histories: int
) -> dict[str, Any]:
    out: dict[str, Any] = {"row": i + 1}
    out["text"] = _cell(row, "text") or " ".join(
        str(_cell(row, c) or "") for c in ("estimate", "lower", "upper")
    )
    try:
        out.update(check_row(row, n=n, rounding=rounding, max_histories=max_histories))
        out["error"] = ""
    except (ValueError, TypeError) as exc:
        out["error"] = str(exc).splitlines()[0]
    return out


def _task(
    item: tuple[int, dict[str, Any]],
    rng: np.random.Generator,
    n: int | None,
    rounding: Rounding,
    max_histories: int,
) -> dict[str, Any]:
    del rng  # checks draw nothing; the seeded map only distributes and orders them
    return _report_row(item[0], item[1], n, rounding, max_histories)


def check_table(
    table: pd.DataFrame,
    *,
    n: int | None = None,
    rounding: Rounding = "any",
    max_histories: int = 1000,
    client: Any = None,
    progress: bool | None = False,
) -> TableCheck:
    """Check every printed endpoint of a table; one report row per input row.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``text`` column (printed endpoint or hazard ratio, e.g. ``"68% (95% CI, 43 to
        100)"``) or ``estimate, lower, upper`` columns (printed numbers), and optionally
        ``n``, ``n_risk_at``, ``events_before``, ``conf_level`` (and ``events`` for a hazard
        ratio). Empty cells are missing.
    n : int, optional
        Number of patients for rows without their own ``n``.
    rounding : {"any", "nearest", "truncate"}
        The papers' rounding convention (``"any"``: try both, one at a time).
    max_histories : int
        Histories listed per CI transform and row.
    client : distributed.Client, optional
        Check the rows on this client's cluster (:func:`survkit._parallel.seeded_map`); the
        report is identical to the local one.
    progress : bool or None
        Progress bar on standard error for the local run (``None``: when it is a terminal).

    Returns
    -------
    TableCheck
        Its :meth:`~TableCheck.to_frame` has ``row`` (1-based), ``text``, ``kind``
        (``survival`` or ``hazard_ratio``), ``n``, ``consistent`` (the consistent CI
        transforms, ``;``-joined; ``yes`` for a consistent HR), per transform ``<t>``,
        ``<t>_rounding``, ``<t>_histories``, ``<t>_histories_upper``, ``<t>_se_log_lo``,
        ``<t>_se_log_hi``; ``hand`` (a hand calculation from rounded numbers prints the
        row), ``hand_variants``, ``likely_software`` (:func:`survkit.check.likely_software`
        of the consistent methods); ``exhaustive``,
        ``notes``, and ``error`` (empty when the row was checked).
    """
    from functools import partial

    from survkit._parallel import seeded_map
    from survkit._progress import progress as _progress

    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    if "text" not in table.columns and "estimate" not in table.columns:
        raise ValueError(
            f"table needs a 'text' column or 'estimate,lower,upper' columns, got "
            f"{list(table.columns)!r}"
        )
    rounding = check_rounding(rounding)
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if (
        isinstance(max_histories, bool)
        or not isinstance(max_histories, (int, np.integer))
        or max_histories < 0
    ):
        raise ValueError(f"max_histories must be an integer >= 0, got {max_histories!r}")
    records = [{str(k): v for k, v in r.items()} for r in table.to_dict(orient="records")]
    if client is None:
        rows = [
            _report_row(i, r, n, rounding, max_histories)
            for i, r in enumerate(
                _progress(records, total=len(records), desc="survkit check", enabled=progress)
            )
        ]
    else:
        task = partial(_task, n=n, rounding=rounding, max_histories=max_histories)
        rows = seeded_map(task, list(enumerate(records)), seed=0, client=client)
    report = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["row", "text", "error"])
    for col in ["n", *(f"{ct}_histories" for ct in CONF_TYPES)]:
        if col in report.columns:
            report[col] = report[col].astype("Int64")
    return TableCheck(report)
