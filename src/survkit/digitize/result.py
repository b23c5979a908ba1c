"""The :class:`Digitized` result: curves, censor marks, numbers at risk, calibration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from survkit.digitize.axes import Calibration
from survkit.digitize.scene import Scene

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from survkit.ipd import IPDResult

__all__ = ["Curve", "Digitized", "frozen_curve"]

FloatArray = NDArray[np.float64]
#: ``Digitized.ipd()``'s exact reconstruction: level tolerance of a vector reading (share of the
#: y axis range; R's PDFs place points to ~4e-5 of it) and of a raster one (pixels, ``exact=True``)
EXACT_VECTOR_TOL = 1e-4
EXACT_RASTER_PIXELS = 0.5


def _frozen(a: Any, dtype: Any = np.float64) -> NDArray[Any]:
    arr = np.array(a, dtype=dtype)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Curve:
    """One digitized Kaplan–Meier curve.

    Attributes
    ----------
    arm : str
        Arm name (from the legend, the ``arms`` argument, or ``"arm 1"``...).
    time, surv : ndarray
        The step function: survival (a fraction) is ``surv[k]`` from ``time[k]`` until
        ``time[k+1]``; ``time[0]`` is where the curve starts.
    end : float
        Time where the curve's last horizontal segment ends (end of follow-up drawn).
    censor_times : ndarray
        Times of the censoring marks drawn on the curve (empty when none are drawn).
    risk_times, n_risk : ndarray
        The number-at-risk row of the arm (empty when the figure has no table).
    colour : tuple or None
        RGB colour of the curve in the figure.
    dashed : bool
        Whether the curve is drawn dashed.
    """

    arm: str
    time: FloatArray
    surv: FloatArray
    end: float
    censor_times: FloatArray
    risk_times: FloatArray
    n_risk: NDArray[np.int64]
    colour: tuple[float, float, float] | None = None
    dashed: bool = False

    def points(self) -> pd.DataFrame:
        """``time, surv`` corner points for IPD reconstruction, with the end of follow-up."""
        t = np.append(self.time, self.end) if self.end > self.time[-1] else self.time
        s = np.append(self.surv, self.surv[-1]) if self.end > self.time[-1] else self.surv
        return pd.DataFrame({"time": t, "surv": s})

    def at(self, t: Any) -> FloatArray:
        """Survival at times ``t`` (right-continuous; the first level before the start)."""
        tt = np.asarray(t, dtype=np.float64)
        idx = np.clip(np.searchsorted(self.time, tt, side="right") - 1, 0, len(self.time) - 1)
        return np.asarray(self.surv[idx], dtype=np.float64)


@dataclass(frozen=True, eq=False)
class Digitized:
    """What :func:`survkit.digitize` read from a figure.

    Attributes
    ----------
    source : str
        The file read.
    kind : {"pdf", "svg", "raster"}
        How it was read (``pdf``/``svg``: exact vector reading).
    curves : tuple of Curve
        One per arm, in legend order when there is a legend.
    calibration : Calibration
        The x and y axis maps (tick positions, values, source).
    warnings : tuple of str
        Everything that lowers confidence (each names what failed); empty when the figure
        was read fully automatically.
    notes : tuple of str
        What was recognised and left out (confidence bands, grid lines...).
    scene : Scene
        The drawing the reader returned (used by :meth:`plot`).
    """

    source: str
    kind: str
    curves: tuple[Curve, ...]
    calibration: Calibration
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    scene: Scene | None = field(default=None, repr=False)

    @property
    def arms(self) -> tuple[str, ...]:
        """Arm names in order."""
        return tuple(c.arm for c in self.curves)

    @property
    def has_risk_table(self) -> bool:
        """Whether a number-at-risk row was read for every arm."""
        return all(len(c.n_risk) > 0 for c in self.curves)

    @property
    def confident(self) -> bool:
        """True when nothing lowered confidence (no warnings)."""
        return not self.warnings

    def curve(self, arm: str) -> Curve:
        """The curve of ``arm``."""
        for c in self.curves:
            if c.arm == arm:
                return c
        raise KeyError(f"arm: {arm!r} is not one of {list(self.arms)}")

    def to_frame(self) -> pd.DataFrame:
        """The curves as one table ``arm, time, surv`` (corner points, end of follow-up last)."""
        frames = []
        for c in self.curves:
            p = c.points()
            p.insert(0, "arm", c.arm)
            frames.append(p)
        return pd.concat(frames, ignore_index=True)

    def risk_frame(self) -> pd.DataFrame:
        """The numbers at risk as ``arm, time, n_risk`` (empty when the figure has none)."""
        rows = [(c.arm, float(t), int(n)) for c in self.curves
                for t, n in zip(c.risk_times, c.n_risk, strict=True)]
        return pd.DataFrame(rows, columns=["arm", "time", "n_risk"])

    def marks_frame(self) -> pd.DataFrame:
        """The censoring marks as ``arm, time``."""
        rows = [(c.arm, float(t)) for c in self.curves for t in c.censor_times]
        return pd.DataFrame(rows, columns=["arm", "time"])

    def ipd(self, n: Mapping[str, int] | None = None,
            total_events: Mapping[str, int] | None = None, *,
            use_marks: bool | None = None, exact: bool | None = None) -> IPDResult:
        """Patient-level data through :func:`survkit.reconstruct_ipd_arms`: an ``IPDResult``
        (``data``: ``time, event, arm``; ``report`` with flags; ``compare()``).

        Uses each arm's curve, its numbers at risk and, where they are trusted, its censoring
        marks. Without a risk table the number of patients of every arm must be given in ``n``.

        ``use_marks`` (default ``None``): marks read from a vector figure are used, marks read
        from a raster figure are only reported (``marks_frame()``), because raster marks are
        found incompletely where they crowd (recall 75 % in the digitize benchmark) and a
        partial set of marks concentrates the reconstruction's censorings in the wrong
        intervals (median |log HR error| 0.016 with them against 0.011 without).
        ``True`` or ``False`` forces either way.

        ``exact`` (default ``None``: vector figures yes, raster no): rebuild the most probable
        history of whole patients that reproduces every step to the reading's precision (1e-4
        of the y axis for vector figures, half a pixel for raster ones) and every number at
        risk (``reconstruct_ipd(method="auto", surv_tol=...)``; Guyot's rounding with a flag
        when none exists). Raster steps are rarely exact (a drop merged, split or missed):
        in the digitize benchmark no raster arm resolved at half a pixel.

        Raises
        ------
        ValueError
            No risk table and ``n`` missing for an arm.
        """
        from survkit import reconstruct_ipd_arms

        arms: dict[str, dict[str, Any]] = {}
        for c in self.curves:
            spec: dict[str, Any] = {"points": c.points(), "scale": "fraction"}
            if len(c.n_risk):
                spec["risk_table"] = pd.DataFrame({"time": c.risk_times, "n_risk": c.n_risk})
            if n is not None and c.arm in n:
                spec["n"] = int(n[c.arm])
            elif not len(c.n_risk):
                raise ValueError(f"n: the figure has no number-at-risk table; give n[{c.arm!r}]")
            if total_events is not None and c.arm in total_events:
                spec["total_events"] = int(total_events[c.arm])
            marks = use_marks if use_marks is not None else self.kind != "raster"
            if marks and len(c.censor_times):
                spec["censor_marks"] = np.asarray(c.censor_times)
            if exact if exact is not None else self.kind != "raster":
                # exact reconstruction to the reading's precision (~1e-5 of a vector axis)
                y = self.calibration.y
                tol = (EXACT_VECTOR_TOL * (max(y.values) - min(y.values)) if self.kind != "raster"
                       else EXACT_RASTER_PIXELS * abs(y.slope)) / (100.0 if y.percent else 1.0)
                spec["surv_tol"] = min(max(tol, 1e-9), 0.05)
            arms[c.arm] = spec
        return reconstruct_ipd_arms(arms)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary: arms, calibration, what was read, confidence flags."""
        cal = self.calibration

        def axis(a: Any) -> dict[str, Any]:
            return {"source": a.source, "ticks": list(a.values), "positions": list(a.positions),
                    "slope": a.slope, "intercept": a.intercept, "residual": a.residual,
                    "percent": a.percent}

        return {
            "source": self.source,
            "kind": self.kind,
            "arms": [
                {"name": c.arm, "steps": len(c.time), "start": float(c.time[0]),
                 "end": float(c.end), "final_surv": float(c.surv[-1]),
                 "censor_marks": len(c.censor_times),
                 "risk_table": {str(float(t)): int(v) for t, v in zip(c.risk_times, c.n_risk,
                                                                       strict=True)},
                 "colour": list(c.colour) if c.colour is not None else None,
                 "dashed": c.dashed}
                for c in self.curves
            ],
            "x_axis": axis(cal.x),
            "y_axis": axis(cal.y),
            "risk_table": self.has_risk_table,
            "confident": self.confident,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def plot(self, ax: Axes | None = None) -> Axes:
        """The digitized curves drawn over the original figure (see
        :func:`survkit.show.digitize.plot_overlay`)."""
        from survkit.show.digitize import plot_overlay

        return plot_overlay(self, ax=ax)


def frozen_curve(arm: str, time: Any, surv: Any, end: float, censor: Any, risk_t: Any,
                 risk_n: Any, colour: Any, dashed: bool) -> Curve:
    """A :class:`Curve` with read-only arrays."""
    return Curve(arm, _frozen(time), _frozen(surv), float(end), _frozen(censor),
                 _frozen(risk_t), _frozen(risk_n, np.int64),
                 None if colour is None else (float(colour[0]), float(colour[1]), float(colour[2])),
                 bool(dashed))

