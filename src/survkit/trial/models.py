r"""Parametric survival models fitted to printed landmarks and medians.

Each model is a survival function :math:`S(t;\theta)` with a sampler. Fitting
(:func:`fit_model`) minimises the squared distance of the model's values to the printed
*intervals* (zero inside an interval), so the fit honours every printed rounding interval when
it can; ``honoured`` says whether it did.

=================  ===============================================  ==========================
model              :math:`S(t)`                                     parameters
=================  ===============================================  ==========================
exponential        :math:`e^{-\lambda t}`                           rate
weibull            :math:`e^{-(t/\sigma)^k}`                        scale, shape
lognormal          :math:`1 - \Phi((\log t - \mu)/\sigma)`          mu, sigma
loglogistic        :math:`1 / (1 + (t/\alpha)^\beta)`               alpha, beta
piecewise          :math:`e^{-\sum_j \lambda_j |[c_{j-1},c_j) \cap [0,t)|}`  one rate per interval
cure               :math:`\pi + (1 - \pi) e^{-\lambda t}`           cure fraction, rate
=================  ===============================================  ==========================

References
----------
Klein J.P., Moeschberger M.L. (2003). Survival Analysis, 2nd ed., ch. 2 and 12.
Boag J.W. (1949). Maximum likelihood estimates of the proportion of patients cured by cancer
therapy. J R Stat Soc B 11:15-53 (mixture cure model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import ndtr, ndtri

FloatArray = NDArray[np.float64]
MODELS: Final[tuple[str, ...]] = (
    "exponential",
    "weibull",
    "lognormal",
    "loglogistic",
    "piecewise",
    "cure",
)


@dataclass(frozen=True)
class SurvivalModel:
    """A fitted parametric survival model (``name``, ``params``; ``cuts`` for piecewise)."""

    name: str
    params: tuple[float, ...]
    cuts: tuple[float, ...] = ()
    loss: float = 0.0
    honoured: bool = True

    def survival(self, t: FloatArray | float) -> FloatArray:
        """:math:`S(t)`."""
        x = np.maximum(np.asarray(t, dtype=np.float64), 0.0)
        p = self.params
        if self.name == "exponential":
            return np.exp(-p[0] * x)
        if self.name == "weibull":
            return np.exp(-((x / p[0]) ** p[1]))
        if self.name == "lognormal":
            z = (np.log(np.where(x > 0, x, 1e-300)) - p[0]) / p[1]
            return np.where(x > 0, 1.0 - ndtr(z), 1.0)
        if self.name == "loglogistic":
            return 1.0 / (1.0 + (x / p[0]) ** p[1])
        if self.name == "piecewise":
            edges = np.concatenate(([0.0], self.cuts, [np.inf]))
            h = np.zeros_like(x)
            for j, lam in enumerate(p):
                h += lam * np.clip(x - edges[j], 0.0, edges[j + 1] - edges[j])
            return np.exp(-h)
        if self.name == "cure":
            return p[0] + (1.0 - p[0]) * np.exp(-p[1] * x)
        raise ValueError(f"unknown model {self.name!r}")

    def sample(self, size: tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        """Event times by inversion, :math:`T = S^{-1}(U)` (``inf`` for the cured)."""
        u = rng.random(size)
        p = self.params
        if self.name == "exponential":
            return -np.log(u) / p[0]
        if self.name == "weibull":
            return p[0] * (-np.log(u)) ** (1.0 / p[1])
        if self.name == "lognormal":
            return np.exp(p[0] + p[1] * ndtri(1.0 - u))
        if self.name == "loglogistic":
            return p[0] * ((1.0 - u) / u) ** (1.0 / p[1])
        if self.name == "cure":
            cured = u < p[0]
            v = np.where(cured, 0.5, (u - p[0]) / (1.0 - p[0]))
            return np.where(cured, np.inf, -np.log(v) / p[1])
        if self.name == "piecewise":
            target = -np.log(u)
            edges = np.concatenate(([0.0], self.cuts, [np.inf]))
            out = np.full(size, np.inf)
            acc = np.zeros(size)
            done = np.zeros(size, dtype=bool)
            for j, lam in enumerate(p):
                width = edges[j + 1] - edges[j]
                cap = lam * width
                here = ~done & (target <= acc + cap)
                if lam > 0:
                    out = np.where(here, edges[j] + (target - acc) / lam, out)
                done |= here
                acc = acc + cap
            return out
        raise ValueError(f"unknown model {self.name!r}")

    def to_frame(self) -> pd.DataFrame:
        """One row: model, parameters, loss, honoured."""
        return pd.DataFrame(
            [
                {
                    "model": self.name,
                    "params": self.params,
                    "cuts": self.cuts,
                    "loss": self.loss,
                    "honoured": self.honoured,
                }
            ]
        )


def fit_model(
    name: str,
    landmarks: list[tuple[float, float, float]],
    medians: list[tuple[float, float]] | None = None,
) -> SurvivalModel:
    """Fit model ``name`` to printed landmarks and medians, honouring their intervals.

    Parameters
    ----------
    name : str
        One of :data:`MODELS`.
    landmarks : list of (time, lo, hi)
        Printed survival at ``time`` as the interval ``[lo, hi]`` of values that print as it.
    medians : list of (lo, hi), optional
        Printed median times as intervals (``S`` must equal 0.5 inside).

    Returns
    -------
    SurvivalModel
        With ``loss`` (sum of squared distances to the intervals, 0 when all are met) and
        ``honoured``.
    """
    if name not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {name!r}")
    if not landmarks and not medians:
        raise ValueError("landmarks: give at least one printed landmark or median")
    meds = medians or []
    lm_t = np.array([x[0] for x in landmarks], dtype=float)
    cuts: tuple[float, ...] = tuple(sorted(set(lm_t.tolist())))[:-1] if name == "piecewise" else ()

    def build(theta: FloatArray) -> SurvivalModel:
        e = np.exp(theta)
        if name == "lognormal":
            return SurvivalModel(name, (float(theta[0]), float(e[1])))
        if name == "cure":
            return SurvivalModel(name, (float(1 / (1 + np.exp(-theta[0]))), float(e[1])))
        return SurvivalModel(name, tuple(float(v) for v in e), cuts)

    def loss(theta: FloatArray) -> float:
        m = build(theta)
        total = 0.0
        for t, lo, hi in landmarks:
            s = float(m.survival(t))
            total += max(lo - s, 0.0, s - hi) ** 2
        for lo, hi in meds:
            total += max(float(m.survival(hi)) - 0.5, 0.0) ** 2
            total += max(0.5 - float(m.survival(lo)), 0.0) ** 2
        return total * 1e4

    k = {
        "exponential": 1,
        "weibull": 2,
        "lognormal": 2,
        "loglogistic": 2,
        "cure": 2,
        "piecewise": len(cuts) + 1,
    }[name]
    t_ref = float(np.mean(lm_t)) if lm_t.size else float(np.mean(meds[0]))
    starts = {
        "exponential": [np.log(0.05)],
        "weibull": [np.log(t_ref * 2), 0.0],
        "lognormal": [np.log(t_ref * 2), 0.0],
        "loglogistic": [np.log(t_ref * 2), 0.0],
        "cure": [0.0, np.log(0.2)],
        "piecewise": [np.log(0.05)] * k,
    }[name]
    res = minimize(
        loss,
        np.array(starts, dtype=float),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
    )
    m = build(res.x)
    val = float(loss(res.x))
    return SurvivalModel(m.name, m.params, m.cuts, val, val <= 1e-10)
