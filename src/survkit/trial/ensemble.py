"""The result of a reconstruction: an :class:`Ensemble` of patient tables and how it was found."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from survkit.trial.methods import MethodFinding
from survkit.trial.reanalysis import Quantity, reproduce, table_arrays, table_end
from survkit.trial.spec import Trial

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class ReadingResult:
    """Whether one reading of the conflicting facts can print every number."""

    name: str
    description: str
    feasible: bool
    draws: int
    proposals: int
    accepted: int
    conflict: tuple[str, ...] = ()
    proof: str = ""


@dataclass(frozen=True)
class StratumResult:
    """One (reading, follow-up definition) stratum of the sampler.

    ``evidence`` is the stratum's weight in the allocation of draws: 1 for a stratum where a
    draw was found (every such stratum gets an equal share), 0 for one where none was found
    (feasibility not decided). ``accepted / proposals`` is its acceptance rate.
    """

    reading: str
    definition: str
    proposals: int
    accepted: int
    draws: int
    evidence: float


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Reconstructed patient-level tables, each of which prints every number of the spec.

    Attributes
    ----------
    trial : Trial
    patients : pandas.DataFrame
        Long table, one row per draw and patient: ``draw, patient, infusion_date,
        <endpoint>_months, <endpoint>_event`` for each endpoint (``os_months, os_event,
        dfs_months, dfs_event`` for the seed), ``relapse_months, death_months`` (NaN when
        none), ``followup_months`` (cutoff - infusion), ``status``, ``event_id`` (the printed
        event a patient carries), ``reading`` and ``followup_definition``.
    conf_type : str
        CI transform used for the re-analysis (found by the printed-CI check).
    methods_consistent : tuple of str
        Every transform consistent with all printed landmarks.
    findings : list of MethodFinding
    readings : tuple of ReadingResult
    proposals, accepted : int
        Candidates drawn and accepted in the final sampling run.
    seed : int or None
    elapsed : float
        Seconds spent.
    definitions : dict
        Draws per follow-up definition.
    strata : tuple of StratumResult
    kind : str
        ``"exact"`` or ``"abc"``.
    abc : object or None
        For ABC ensembles, the :class:`survkit.trial.simulate.ABCSummary`.
    engine : str
        ``"history"`` (:mod:`survkit.trial.history`), ``"constructive"``
        (:mod:`survkit.trial._construct`) or ``"search"`` (:mod:`survkit.trial.search`):
        which engine drew the tables.
    notes : tuple of str
        What the engine assumed or found on the way (e.g. early censorings needed).
    rounding_note : str
        For a spec whose rounding is ``"unknown"``: which convention was tried and why the one
        used holds.
    partial : bool
        True when the budget ran out before every requested draw was found (the draws held
        each print every number; there are fewer of them).
    """

    trial: Trial
    patients: pd.DataFrame
    conf_type: str
    methods_consistent: tuple[str, ...]
    findings: list[MethodFinding]
    readings: tuple[ReadingResult, ...]
    proposals: int
    accepted: int
    seed: int | None
    elapsed: float
    definitions: dict[str, int] = field(default_factory=dict)
    strata: tuple[StratumResult, ...] = ()
    kind: str = "exact"
    abc: Any = None
    partial: bool = False
    rounding_note: str = ""
    notes: tuple[str, ...] = ()
    engine: str = "constructive"

    @property
    def method(self) -> str:
        """Deprecated name of :attr:`conf_type` (the CI transform)."""
        warnings.warn(
            "Ensemble.method is deprecated; use Ensemble.conf_type",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.conf_type

    def report(self, *, spec_name: str = "", sampler: str | None = None) -> str:
        """The Markdown report of this ensemble (see :func:`survkit.trial.report.render_report`).

        ``spec_name`` is how the spec is named in the report (a file name, never a machine
        path); ``sampler`` defaults to :attr:`kind`.
        """
        from survkit.trial.report import render_report

        return render_report(self, spec_name=spec_name, sampler=sampler or self.kind)

    def history_table(self) -> pd.DataFrame:
        """Every history seen among the draws: ``endpoint, time, at_risk, draws, share``.

        One row per (landmark, history) with the number of draws that realise it, most
        frequent first within each landmark (the full list the report abbreviates).
        """
        rows = []
        for f in self.findings:
            vc = self.histories(f.endpoint, f.time).value_counts()
            for k, v in vc.items():
                rows.append(
                    {
                        "endpoint": f.endpoint,
                        "time": f.time,
                        "at_risk": str(k),
                        "draws": int(v),
                        "share": float(v) / max(self.draws, 1),
                    }
                )
        return pd.DataFrame(rows, columns=["endpoint", "time", "at_risk", "draws", "share"])

    @property
    def draws(self) -> int:
        """Number of draws."""
        return int(self.patients["draw"].nunique())

    @property
    def acceptance_rate(self) -> float:
        """Accepted / proposed candidates."""
        return self.accepted / self.proposals if self.proposals else math.nan

    def draw(self, k: int) -> pd.DataFrame:
        """The patient table of draw ``k``."""
        if not 0 <= k < self.draws:
            raise ValueError(f"draw must be in [0, {self.draws}), got {k}")
        n = self.trial.n
        return self.patients.iloc[k * n : (k + 1) * n].reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """The long patient table (same as :attr:`patients`)."""
        return self.patients.copy()

    def _quantities(self) -> list[Quantity]:
        t = self.trial
        n = t.n
        fu, rel, death, b = table_arrays(t, self.patients)
        defs = self.patients["followup_definition"].to_numpy()[::n]
        ids = self.patients["event_id"].fillna("").to_numpy(dtype=object).reshape(b, n)
        status = self.patients["status"].to_numpy(np.int64).reshape(b, n)
        return reproduce(
            t,
            fu,
            rel,
            death,
            [str(d) for d in defs],
            self.conf_type,
            event_ids=ids,
            status=status,
            end=table_end(t, self.patients),
        )

    def check(self) -> pd.DataFrame:
        """Re-analyse every draw: printed vs reproduced for each number.

        One row per printed number: ``quantity, printed, lo, hi`` (the rounding interval),
        ``min, median, max`` of the reproduced values over the draws it applies to, ``draws``
        (how many) and ``all_ok``. Landmarks are re-analysed with the batched Kaplan-Meier
        (bit-identical to :func:`survkit.estimate.km.kaplan_meier`), medians with
        ``kaplan_meier`` draw by draw.
        """
        rows = []
        for q in self._quantities():
            v = q.values[q.applies]
            fin = v[~np.isnan(v)]
            rows.append(
                {
                    "quantity": q.quantity,
                    "printed": q.printed,
                    "lo": q.lo,
                    "hi": q.hi,
                    "min": float(fin.min()) if fin.size else math.nan,
                    "median": float(np.median(fin)) if fin.size else math.nan,
                    "max": float(fin.max()) if fin.size else math.nan,
                    "draws": int(q.applies.sum()),
                    "all_ok": bool(q.ok.all()),
                }
            )
        return pd.DataFrame(rows)

    def km_envelope(
        self, endpoint: str, grid: Sequence[float] | None = None, level: float = 0.95
    ) -> pd.DataFrame:
        """Pointwise median and central ``level`` envelope of the draws' KM curves on ``grid``."""
        from survkit.estimate.batch import kaplan_meier_at

        ep = self.trial.endpoint(endpoint)
        u = self.trial.unit
        g = (
            np.linspace(0.0, self.trial.max_followup, 241)
            if grid is None
            else np.asarray(grid, float)
        )
        n = self.trial.n
        tt = self.patients[f"{ep.name.lower()}_{u}"].to_numpy(float).reshape(-1, n)
        ee = self.patients[f"{ep.name.lower()}_event"].to_numpy(bool).reshape(-1, n)
        c = kaplan_meier_at(tt, ee, g, conf_type="plain", extend=True).surv
        a = (1.0 - level) / 2.0
        return pd.DataFrame(
            {
                "time": g,
                "median": np.median(c, axis=0),
                "lower": np.quantile(c, a, axis=0),
                "upper": np.quantile(c, 1.0 - a, axis=0),
            }
        )

    def histories(self, endpoint: str, tau: float) -> pd.Series:
        """Risk-set sizes at the endpoint's events up to ``tau``, per draw (as text)."""
        ep = self.trial.endpoint(endpoint)
        u = self.trial.unit
        n = self.trial.n
        tt = self.patients[f"{ep.name.lower()}_{u}"].to_numpy(float).reshape(-1, n)
        ee = self.patients[f"{ep.name.lower()}_event"].to_numpy(bool).reshape(-1, n)
        order = np.lexsort((~ee, tt), axis=1)
        ts = np.take_along_axis(tt, order, axis=1)
        es = np.take_along_axis(ee, order, axis=1)
        # at risk at the i-th sorted observation (events before censorings at a tie): n - i,
        # so d tied events at risk r count as r, r-1, ..., r-d+1 (the check's convention)
        at_risk = np.broadcast_to(n - np.arange(n), ts.shape)
        keep = es & (ts <= tau + 1e-12)
        out = []
        for r_row, k_row in zip(at_risk, keep, strict=True):
            out.append("(" + ", ".join(str(int(x)) for x in r_row[k_row]) + ")")
        return pd.Series(out, name=f"{ep.name} at risk before {tau:g}")

    def plot_km(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """OS/DFS (every endpoint): median curve, pointwise envelope, printed landmarks (see
        :func:`survkit.show.ensemble.plot_ensemble_km`)."""
        from survkit.show.ensemble import plot_ensemble_km

        return plot_ensemble_km(self, ax=ax, **kwargs)

    def plot_swimmer(self, draw: int = 0, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """One lane per patient of draw ``draw`` (see :func:`survkit.show.swimmer.plot_swimmer`)."""
        from survkit.show.swimmer import plot_swimmer

        return plot_swimmer(self.draw(draw), trial=self.trial, ax=ax, **kwargs)

    def plot(self, **kwargs: Any) -> Axes:
        """Same as :meth:`plot_km`; returns the matplotlib Axes."""
        return self.plot_km(**kwargs)
