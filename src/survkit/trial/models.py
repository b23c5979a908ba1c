r"""Parametric survival models fitted to printed landmarks and medians.

Each model family is one class (:class:`Exponential`, :class:`Weibull`, :class:`LogNormal`,
:class:`LogLogistic`, :class:`PiecewiseExponential`, :class:`MixtureCure`), backed by
:mod:`scipy.stats` where a distribution exists. A family has ONE parameterisation, an
unconstrained vector :math:`\theta \in \mathbb{R}^k`, used alike for fitting (Nelder-Mead
over :math:`\theta`), for the ABC prior (normal around the fitted :math:`\theta`) and for
sampling (inversion :math:`T = S^{-1}(U; \theta)`, vectorized over rows of :math:`\theta`).
The natural parameters (``SurvivalModel.params``) are a fixed function of :math:`\theta`:

* ``exponential``: :math:`S = e^{-\lambda t}` (``scipy.stats.expon``); rate;
  :math:`\theta = \log\lambda`.
* ``weibull``: :math:`S = e^{-(t/\sigma)^k}` (``weibull_min``); scale, shape;
  :math:`\theta = (\log\sigma, \log k)`.
* ``lognormal``: :math:`S = 1 - \Phi((\log t - \mu)/s)` (``lognorm``, scale
  :math:`e^\mu`); mu, sigma; :math:`\theta = (\mu, \log s)`.
* ``loglogistic``: :math:`S = 1/(1 + (t/\alpha)^\beta)` (``fisk``); alpha, beta;
  :math:`\theta = (\log\alpha, \log\beta)`.
* ``piecewise``: :math:`S = \exp(-\sum_j \lambda_j |[c_{j-1}, c_j) \cap [0, t)|)`; one
  rate per interval; :math:`\theta_j = \log\lambda_j`.
* ``cure``: :math:`S = \pi + (1 - \pi) e^{-\lambda t}`; cure fraction, rate;
  :math:`\theta = (\mathrm{logit}\,\pi, \log\lambda)`.

Fitting (:func:`fit_model`) minimises the squared distance of the model's values to the
printed *intervals* (zero inside an interval), so the fit honours every printed rounding
interval when it can; ``honoured`` says whether it did.

References
----------
Klein J.P., Moeschberger M.L. (2003). Survival Analysis, 2nd ed., ch. 2 and 12.
Boag J.W. (1949). Maximum likelihood estimates of the proportion of patients cured by cancer
therapy. J R Stat Soc B 11:15-53 (mixture cure model).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import minimize

FloatArray = NDArray[np.float64]
MODELS: Final[tuple[str, ...]] = (
    "exponential",
    "weibull",
    "lognormal",
    "loglogistic",
    "piecewise",
    "cure",
)


def _rows(theta: ArrayLike, k: int) -> FloatArray:
    """``theta`` as a (B, k) array (one row per parameter vector)."""
    th = np.asarray(theta, dtype=np.float64)
    if th.ndim == 1:
        th = th.reshape(1, -1)
    if th.ndim != 2 or th.shape[1] != k:
        raise ValueError(f"theta must have {k} column(s), got shape {th.shape}")
    return th


def _col(theta: FloatArray, i: int, ndim: int) -> FloatArray:
    """Column ``i`` of (B, k) ``theta`` shaped to broadcast against a (B, ...) array."""
    return theta[:, i].reshape((-1,) + (1,) * (ndim - 1))


class ModelFamily:
    """A parametric family: survival function and inverse over rows of unconstrained ``theta``.

    Subclasses define :attr:`name`, :attr:`param_names`, :meth:`natural` (``theta`` to the
    natural parameters), :meth:`unconstrained` (its inverse), :meth:`sf` and :meth:`isf`.
    ``sf(t, theta)`` and ``isf(u, theta)`` take ``theta`` of shape (B, k) and ``t``/``u`` of
    shape (B, ...) (or any shape when B = 1) and broadcast row-wise.
    """

    name: ClassVar[str] = ""
    param_names: ClassVar[tuple[str, ...]] = ()
    #: prior SD multiplier per component of theta (times ``spread``)
    prior_scale: ClassVar[tuple[float, ...]] = ()

    @property
    def k(self) -> int:
        """Number of parameters."""
        return len(self.param_names)

    def natural(self, theta: FloatArray) -> FloatArray:
        """Natural parameters from ``theta`` (same shape)."""
        return np.exp(theta)

    def unconstrained(self, params: FloatArray) -> FloatArray:
        """``theta`` from the natural parameters (same shape)."""
        return np.log(params)

    def check_params(self, params: Sequence[float]) -> None:
        """Raise ValueError naming the parameter that is out of its range."""
        if len(params) != self.k:
            raise ValueError(
                f"params: {self.name} takes {self.k} parameter(s) {self.param_names}, "
                f"got {tuple(params)!r}"
            )
        for nm, v in zip(self.param_names, params, strict=True):
            if not (isinstance(v, (int, float, np.floating)) and math.isfinite(v) and v > 0):
                raise ValueError(f"params: {self.name} {nm} must be positive, got {v!r}")

    def sf(self, t: ArrayLike, theta: ArrayLike) -> FloatArray:  # pragma: no cover - abstract
        """:math:`S(t;\\theta)`."""
        raise NotImplementedError

    def isf(self, u: ArrayLike, theta: ArrayLike) -> FloatArray:  # pragma: no cover - abstract
        """:math:`S^{-1}(u;\\theta)` (``inf`` where ``S`` never falls to ``u``)."""
        raise NotImplementedError

    def start(self, t_ref: float) -> FloatArray:
        """Starting ``theta`` for the fit, ``t_ref`` a typical printed time."""
        return np.zeros(self.k)

    def sample(
        self, theta: ArrayLike, shape: tuple[int, ...], rng: np.random.Generator
    ) -> FloatArray:
        """Event times by inversion, :math:`T = S^{-1}(U)`, ``U ~ U(0, 1)`` of ``shape``.

        ``theta`` has one row (every time from it) or ``shape[0]`` rows (row ``b`` of
        ``theta`` for ``out[b]``), as from :meth:`prior`.
        """
        th = _rows(theta, self.k)
        if th.shape[0] != 1 and (not shape or shape[0] != th.shape[0]):
            raise ValueError(
                f"shape: with {th.shape[0]} parameter rows the first dimension must be "
                f"{th.shape[0]}, got {shape!r}"
            )
        return self.isf(rng.random(shape), th)

    def prior(
        self, theta: ArrayLike, b: int, spread: float, rng: np.random.Generator
    ) -> FloatArray:
        """``b`` prior draws of ``theta``: normal around ``theta`` with SD ``spread`` times
        :attr:`prior_scale` per component (log-normal natural rates and scales)."""
        th = np.asarray(theta, dtype=np.float64).reshape(-1)
        scale = np.asarray(self.prior_scale or (1.0,) * self.k, dtype=np.float64)
        return th + spread * scale * rng.standard_normal((b, th.size))


class _ScipyFamily(ModelFamily):
    """A family whose survival function is a :mod:`scipy.stats` law: :meth:`args` gives its
    shape and scale arguments for rows of ``theta`` (the law is called unfrozen, so that no
    frozen distribution is built per call)."""

    #: Name of the :mod:`scipy.stats` law, looked up on first use (``import survkit`` does
    #: not load scipy.stats).
    law_name: ClassVar[str] = ""

    @property
    def law(self) -> Any:
        """The unfrozen :mod:`scipy.stats` distribution of this family."""
        from scipy import stats

        return getattr(stats, self.law_name)

    def args(self, theta: FloatArray, nd: int) -> tuple[tuple[Any, ...], Any]:
        """``(shape arguments, scale)`` broadcastable to ``nd`` dimensions."""
        raise NotImplementedError  # pragma: no cover - abstract

    def sf(self, t: ArrayLike, theta: ArrayLike) -> FloatArray:
        th = _rows(theta, self.k)
        x = np.maximum(np.asarray(t, dtype=np.float64), 0.0)
        shapes, scale = self.args(th, max(x.ndim, 1) if th.shape[0] > 1 else 0)
        return np.asarray(self.law.sf(x, *shapes, scale=scale), dtype=np.float64)

    def isf(self, u: ArrayLike, theta: ArrayLike) -> FloatArray:
        th = _rows(theta, self.k)
        q = np.asarray(u, dtype=np.float64)
        shapes, scale = self.args(th, max(q.ndim, 1) if th.shape[0] > 1 else 0)
        return np.asarray(self.law.isf(q, *shapes, scale=scale), dtype=np.float64)


def _param(theta: FloatArray, i: int, nd: int) -> Any:
    """Column ``i`` broadcastable to ``nd`` dimensions (``nd = 0``: a scalar of one row)."""
    return float(theta[0, i]) if nd == 0 else _col(theta, i, nd)


class Exponential(_ScipyFamily):
    r""":math:`S(t) = e^{-\lambda t}`; ``scipy.stats.expon(scale=1/rate)``."""

    name = "exponential"
    param_names = ("rate",)
    prior_scale = (1.0,)

    law_name = "expon"

    def args(self, theta: FloatArray, nd: int) -> tuple[tuple[Any, ...], Any]:
        return (), np.exp(-_param(theta, 0, nd))

    def start(self, t_ref: float) -> FloatArray:
        return np.array([math.log(math.log(2.0) / max(t_ref, 1e-9))])


class Weibull(_ScipyFamily):
    r""":math:`S(t) = e^{-(t/\sigma)^k}`; ``scipy.stats.weibull_min(c=shape, scale=scale)``."""

    name = "weibull"
    param_names = ("scale", "shape")
    prior_scale = (1.0, 1.0)

    law_name = "weibull_min"

    def args(self, theta: FloatArray, nd: int) -> tuple[tuple[Any, ...], Any]:
        return (np.exp(_param(theta, 1, nd)),), np.exp(_param(theta, 0, nd))

    def start(self, t_ref: float) -> FloatArray:
        return np.array([math.log(2.0 * t_ref), 0.0])


class LogNormal(_ScipyFamily):
    r""":math:`S(t) = 1 - \Phi((\log t - \mu)/s)`; ``scipy.stats.lognorm(s=sigma, scale=e^mu)``.

    ``mu`` is the mean of :math:`\log T` (a location on the log scale, not a scale): it is
    ``theta[0]`` itself and the scipy scale is :math:`e^\mu`.
    """

    name = "lognormal"
    param_names = ("mu", "sigma")
    prior_scale = (1.0, 1.0)

    def natural(self, theta: FloatArray) -> FloatArray:
        out = np.array(theta, dtype=np.float64, copy=True)
        out[..., 1] = np.exp(out[..., 1])
        return out

    def unconstrained(self, params: FloatArray) -> FloatArray:
        out = np.array(params, dtype=np.float64, copy=True)
        out[..., 1] = np.log(out[..., 1])
        return out

    def check_params(self, params: Sequence[float]) -> None:
        if len(params) != 2:
            raise ValueError(f"params: lognormal takes (mu, sigma), got {tuple(params)!r}")
        mu, sigma = params
        if not (isinstance(mu, (int, float, np.floating)) and math.isfinite(mu)):
            raise ValueError(f"params: lognormal mu must be finite, got {mu!r}")
        if not (
            isinstance(sigma, (int, float, np.floating)) and math.isfinite(sigma) and sigma > 0
        ):
            raise ValueError(f"params: lognormal sigma must be positive, got {sigma!r}")

    law_name = "lognorm"

    def args(self, theta: FloatArray, nd: int) -> tuple[tuple[Any, ...], Any]:
        return (np.exp(_param(theta, 1, nd)),), np.exp(_param(theta, 0, nd))

    def start(self, t_ref: float) -> FloatArray:
        return np.array([math.log(2.0 * t_ref), 0.0])


class LogLogistic(_ScipyFamily):
    r""":math:`S(t) = 1/(1 + (t/\alpha)^\beta)`; ``scipy.stats.fisk(c=beta, scale=alpha)``."""

    name = "loglogistic"
    param_names = ("alpha", "beta")
    prior_scale = (1.0, 1.0)

    law_name = "fisk"

    def args(self, theta: FloatArray, nd: int) -> tuple[tuple[Any, ...], Any]:
        return (np.exp(_param(theta, 1, nd)),), np.exp(_param(theta, 0, nd))

    def start(self, t_ref: float) -> FloatArray:
        return np.array([math.log(2.0 * t_ref), 0.0])


class MixtureCure(ModelFamily):
    r"""Mixture cure model :math:`S(t) = \pi + (1-\pi) e^{-\lambda t}` (Boag 1949).

    :math:`S^{-1}(u) = -\log((u-\pi)/(1-\pi))/\lambda` for :math:`u > \pi`, ``inf`` (cured)
    for :math:`u \le \pi`. The cure fraction's prior is wider (4 times ``spread`` on the
    logit scale), as a fraction near 0 or 1 moves little on that scale.
    """

    name = "cure"
    param_names = ("cure_fraction", "rate")
    prior_scale = (4.0, 1.0)

    def natural(self, theta: FloatArray) -> FloatArray:
        out = np.array(theta, dtype=np.float64, copy=True)
        out[..., 0] = 1.0 / (1.0 + np.exp(-out[..., 0]))
        out[..., 1] = np.exp(out[..., 1])
        return out

    def unconstrained(self, params: FloatArray) -> FloatArray:
        out = np.array(params, dtype=np.float64, copy=True)
        c = np.clip(out[..., 0], 1e-12, 1 - 1e-12)
        out[..., 0] = np.log(c / (1.0 - c))
        out[..., 1] = np.log(out[..., 1])
        return out

    def check_params(self, params: Sequence[float]) -> None:
        if len(params) != 2:
            raise ValueError(f"params: cure takes (cure_fraction, rate), got {tuple(params)!r}")
        c, r = params
        if not (isinstance(c, (int, float, np.floating)) and 0.0 <= c < 1.0):
            raise ValueError(f"params: cure cure_fraction must be in [0, 1), got {c!r}")
        if not (isinstance(r, (int, float, np.floating)) and math.isfinite(r) and r > 0):
            raise ValueError(f"params: cure rate must be positive, got {r!r}")

    def _pr(self, theta: ArrayLike, nd: int) -> tuple[Any, Any]:
        th = _rows(theta, self.k)
        nat = self.natural(th)
        if th.shape[0] == 1:
            return float(nat[0, 0]), float(nat[0, 1])
        return _col(nat, 0, nd), _col(nat, 1, nd)

    def sf(self, t: ArrayLike, theta: ArrayLike) -> FloatArray:
        x = np.maximum(np.asarray(t, dtype=np.float64), 0.0)
        c, r = self._pr(theta, max(x.ndim, 1))
        return np.asarray(c + (1.0 - c) * np.exp(-r * x), dtype=np.float64)

    def isf(self, u: ArrayLike, theta: ArrayLike) -> FloatArray:
        q = np.asarray(u, dtype=np.float64)
        c, r = self._pr(theta, max(q.ndim, 1))
        cured = q <= c
        v = np.where(cured, 0.5, (q - c) / np.maximum(1.0 - c, 1e-300))
        return np.asarray(np.where(cured, np.inf, -np.log(v) / r), dtype=np.float64)

    def start(self, t_ref: float) -> FloatArray:
        return np.array([0.0, math.log(0.2)])


@dataclass(frozen=True)
class PiecewiseExponential(ModelFamily):
    r"""Piecewise-constant hazard with breakpoints ``cuts``: one rate per interval.

    :math:`S(t) = \exp(-\sum_j \lambda_j |[c_{j-1}, c_j) \cap [0, t)|)`; the inverse walks
    the cumulative hazard interval by interval.
    """

    cuts: tuple[float, ...] = ()
    name: ClassVar[str] = "piecewise"

    @property
    def k(self) -> int:
        return len(self.cuts) + 1

    @property
    def param_names(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(f"rate{j + 1}" for j in range(self.k))

    @property
    def prior_scale(self) -> tuple[float, ...]:  # type: ignore[override]
        return (1.0,) * self.k

    def _edges(self) -> FloatArray:
        return np.concatenate(([0.0], np.asarray(self.cuts, dtype=np.float64), [np.inf]))

    def sf(self, t: ArrayLike, theta: ArrayLike) -> FloatArray:
        th = _rows(theta, self.k)
        x = np.maximum(np.asarray(t, dtype=np.float64), 0.0)
        nd = max(x.ndim, 1)
        rates = np.exp(th)
        edges = self._edges()
        h = np.zeros(np.broadcast_shapes(x.shape, (th.shape[0],) + (1,) * (nd - 1))
                     if th.shape[0] > 1 else x.shape)
        for j in range(self.k):
            lam = float(rates[0, j]) if th.shape[0] == 1 else _col(rates, j, nd)
            h = h + lam * np.clip(x - edges[j], 0.0, edges[j + 1] - edges[j])
        return np.asarray(np.exp(-h), dtype=np.float64)

    def isf(self, u: ArrayLike, theta: ArrayLike) -> FloatArray:
        th = _rows(theta, self.k)
        q = np.asarray(u, dtype=np.float64)
        nd = max(q.ndim, 1)
        rates = np.exp(th)
        edges = self._edges()
        target = -np.log(q)
        out = np.full(q.shape, np.inf)
        acc = np.zeros(q.shape)
        done = np.zeros(q.shape, dtype=bool)
        for j in range(self.k):
            lam = float(rates[0, j]) if th.shape[0] == 1 else _col(rates, j, nd)
            cap = lam * (edges[j + 1] - edges[j])
            here = ~done & (target <= acc + cap)
            out = np.where(here, edges[j] + (target - acc) / lam, out)
            done |= here
            acc = acc + cap
        return out

    def start(self, t_ref: float) -> FloatArray:
        return np.full(self.k, math.log(math.log(2.0) / max(t_ref, 1e-9)))


_FAMILIES: Final[dict[str, ModelFamily]] = {
    f.name: f for f in (Exponential(), Weibull(), LogNormal(), LogLogistic(), MixtureCure())
}


def family(name: str, cuts: Sequence[float] = ()) -> ModelFamily:
    """The :class:`ModelFamily` called ``name`` (``cuts`` for ``"piecewise"``)."""
    if name == "piecewise":
        return PiecewiseExponential(tuple(float(c) for c in cuts))
    try:
        return _FAMILIES[name]
    except KeyError:
        raise ValueError(f"model must be one of {MODELS}, got {name!r}") from None


@dataclass(frozen=True)
class SurvivalModel:
    """A fitted parametric survival model: family ``name`` with natural ``params``.

    ``cuts`` are the piecewise model's breakpoints; ``loss`` and ``honoured`` describe the fit
    (:func:`fit_model`). Every method goes through the one :class:`ModelFamily` of
    :attr:`family` and its unconstrained parameter vector :attr:`theta`.
    """

    name: str
    params: tuple[float, ...]
    cuts: tuple[float, ...] = ()
    loss: float = 0.0
    honoured: bool = True

    def __post_init__(self) -> None:
        fam = family(self.name, self.cuts)
        if self.name != "piecewise" and self.cuts:
            raise ValueError(f"cuts: only the piecewise model has cuts, got {self.cuts!r}")
        fam.check_params(tuple(self.params))

    @property
    def family(self) -> ModelFamily:
        """The model family (one class per family)."""
        return family(self.name, self.cuts)

    @property
    def theta(self) -> FloatArray:
        """The unconstrained parameter vector (fitting, prior and sampling use it)."""
        return self.family.unconstrained(np.asarray(self.params, dtype=np.float64))

    @property
    def param_names(self) -> tuple[str, ...]:
        """Names of :attr:`params`, in order."""
        return tuple(self.family.param_names)

    def survival(self, t: FloatArray | float) -> FloatArray:
        """:math:`S(t)`."""
        return self.family.sf(t, self.theta)

    def sample(self, size: tuple[int, ...], rng: np.random.Generator) -> FloatArray:
        """Event times by inversion, :math:`T = S^{-1}(U)` (``inf`` for the cured)."""
        u = rng.random(size)
        return self.family.isf(u, self.theta)

    @classmethod
    def from_theta(
        cls, name: str, theta: ArrayLike, cuts: Sequence[float] = (), **fit: Any
    ) -> SurvivalModel:
        """The model of family ``name`` at unconstrained parameters ``theta``."""
        fam = family(name, cuts)
        nat = fam.natural(np.asarray(theta, dtype=np.float64).reshape(1, -1))[0]
        return cls(name, tuple(float(v) for v in nat), tuple(float(c) for c in cuts), **fit)

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
        Printed survival at ``time`` as the interval ``[lo, hi]`` of values that print as it
        (a one-sided fact such as "median not reached by ``t``" is ``(t, 0.5, 1.0)``).
    medians : list of (lo, hi), optional
        Printed median times as intervals (``S`` must equal 0.5 inside).

    Returns
    -------
    SurvivalModel
        With ``loss`` (sum of squared distances to the intervals, 0 when all are met) and
        ``honoured``. The optimisation runs over the family's unconstrained ``theta``.
    """
    if name not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {name!r}")
    if not landmarks and not medians:
        raise ValueError("landmarks: give at least one printed landmark or median")
    meds = medians or []
    for lo, hi in meds:
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo <= hi):
            raise ValueError(f"medians: need finite intervals 0 < lo <= hi, got {(lo, hi)!r}")
    lm_t = np.array([x[0] for x in landmarks], dtype=float)
    cuts: tuple[float, ...] = tuple(sorted(set(lm_t.tolist())))[:-1] if name == "piecewise" else ()
    fam = family(name, cuts)
    lo_s = np.array([x[1] for x in landmarks], dtype=float)
    hi_s = np.array([x[2] for x in landmarks], dtype=float)
    med_lo = np.array([m[0] for m in meds], dtype=float)
    med_hi = np.array([m[1] for m in meds], dtype=float)

    def loss(theta: FloatArray) -> float:
        th = theta.reshape(1, -1)
        total = 0.0
        if lm_t.size:
            s = fam.sf(lm_t, th)
            total += float(np.sum(np.maximum(np.maximum(lo_s - s, 0.0), s - hi_s) ** 2))
        if med_lo.size:
            total += float(np.sum(np.maximum(fam.sf(med_hi, th) - 0.5, 0.0) ** 2))
            total += float(np.sum(np.maximum(0.5 - fam.sf(med_lo, th), 0.0) ** 2))
        return total * 1e4

    t_ref = float(np.mean(lm_t)) if lm_t.size else float(np.mean(meds[0]))
    res = minimize(
        loss,
        fam.start(t_ref),
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
    )
    val = float(loss(res.x))
    return SurvivalModel.from_theta(name, res.x, cuts, loss=val, honoured=val <= 1e-10)
