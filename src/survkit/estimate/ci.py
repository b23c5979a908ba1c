"""Pointwise confidence intervals for a survival probability: the one home of the CI transforms.

Every part of survkit that turns a survival estimate and its standard error into a confidence
interval -- the Kaplan-Meier fit, the batched landmark engine, the printed-endpoint checker --
goes through :func:`confint` (or :func:`transform_bounds` for interval arithmetic), so all of
them agree to the last bit.

The five transforms are those of R survival's ``survfit_confint`` (survival 3.5). With
``S`` the estimate, ``s = SE(log S)`` (Greenwood on the log scale, what R stores in
``fit$std.err``) and ``z`` the normal quantile ``qnorm(1 - (1 - level) / 2)``:

============  ===================================================================
``plain``     ``S -/+ z s S``, clipped to [0, 1]
``log``       ``S exp(-/+ z s)``, upper clipped at 1
``log-log``   ``exp(-exp(log(-log S) -/+ z s / log S))``, i.e. ``S ** exp(-/+ z s / log S)``
``logit``     ``expit(logit S -/+ z s / (1 - S))``
``arcsin``    ``sin^2(asin(sqrt S) -/+ z s / 2 sqrt(S / (1 - S)))``, clipped to [0, pi/2]
============  ===================================================================

Undefined bands follow R exactly (``NA`` in R, ``NaN`` here):

* ``S == 0``: every transform but ``plain`` is undefined; ``plain`` is ``NaN`` too when
  ``s`` is infinite (R: ``Inf * 0``), and ``[0, 0]`` when ``s == 0`` (weighted fits).
* ``S == 1`` (no event yet, ``s == 0``): ``log`` and ``plain`` give ``[1, 1]``; ``log-log``,
  ``logit`` and ``arcsin`` are undefined (R evaluates ``0 * Inf`` in their scale factor).

References
----------
Therneau T. (2023). A Package for Survival Analysis in R, version 3.5 (function
``survfit_confint``). Klein J.P., Moeschberger M.L. (2003). Survival Analysis, 2nd ed.,
section 4.3 (equations 4.3.1-4.3.3). Borgan O., Liestol K. (1990). A note on confidence
intervals and bands for the survival function based on transformations. Scand. J. Stat. 17:35-41.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

ConfType = Literal["plain", "log", "log-log", "logit", "arcsin"]

#: The transforms in survkit's canonical order (R's names).
CONF_TYPES: Final[tuple[ConfType, ...]] = ("plain", "log", "log-log", "logit", "arcsin")

_ALIASES: Final[dict[str, ConfType]] = {
    "plain": "plain",
    "linear": "plain",
    "log": "log",
    "log-log": "log-log",
    "loglog": "log-log",
    "exponential": "log-log",
    "logit": "logit",
    "arcsin": "arcsin",
    "arcsine": "arcsin",
    "arcsine-square root": "arcsin",
}


def normalize_conf_type(conf_type: object) -> ConfType:
    """Return the canonical transform name for ``conf_type`` (R's names; aliases accepted).

    ``"linear"`` is ``"plain"``; ``"loglog"`` and ``"exponential"`` are ``"log-log"``;
    ``"arcsine"`` is ``"arcsin"``. Matching is case-insensitive.

    Raises
    ------
    TypeError
        If ``conf_type`` is not a string.
    ValueError
        If it names no known transform.
    """
    if not isinstance(conf_type, str):
        raise TypeError(f"conf_type must be a string, got {type(conf_type).__name__}")
    key = conf_type.strip().lower()
    try:
        return _ALIASES[key]
    except KeyError:
        allowed = ", ".join(repr(c) for c in CONF_TYPES)
        raise ValueError(f"conf_type must be one of {allowed}; got {conf_type!r}") from None


def check_conf_level(conf_level: object) -> float:
    """Validate a confidence level in the open interval (0, 1) and return it as a float."""
    if isinstance(conf_level, bool) or not isinstance(conf_level, (int, float, np.floating)):
        raise TypeError(f"conf_level must be a number in (0, 1), got {conf_level!r}")
    level = float(conf_level)
    if not (0.0 < level < 1.0):
        raise ValueError(f"conf_level must be in (0, 1), got {conf_level!r}")
    return level


def z_value(conf_level: float) -> float:
    """Two-sided normal quantile ``qnorm(1 - (1 - conf_level) / 2)`` as R computes it."""
    return float(ndtri(1.0 - (1.0 - conf_level) / 2.0))


def _undefined(
    lower: NDArray[np.float64], upper: NDArray[np.float64], ok: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """NaN where ``ok`` is False (R's undefined band); 0-d results become 0-d arrays."""
    lower = np.asarray(lower, dtype=np.float64)
    upper = np.asarray(upper, dtype=np.float64)
    if not ok.all():
        lower[~ok] = np.nan
        upper[~ok] = np.nan
    return lower, upper


def transform_bounds(
    surv: ArrayLike,
    half_width: ArrayLike,
    conf_type: ConfType,
    *,
    out: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lower and upper limits for survival ``surv`` given ``half_width = z * SE(log S)``.

    This is the arithmetic core of :func:`confint` with ``z`` folded into ``half_width``;
    it is exposed so that interval arithmetic in :mod:`survkit.check` can evaluate the
    very same expressions. Both limits are monotone in ``half_width`` (the lower limit
    non-increasing, the upper non-decreasing) for every transform, a fact the checker
    relies on.

    Parameters
    ----------
    surv : array_like
        Survival estimates in [0, 1].
    half_width : array_like
        ``z * SE(log S)``, non-negative (``inf`` allowed).
    conf_type : str
        Canonical transform name (see :data:`CONF_TYPES`).
    out : (ndarray, ndarray), optional
        Float64 arrays of the broadcast shape to write the limits into (and return); the
        numbers are the same bits as without them. Writing into memory already in use saves
        the page faults of fresh result arrays (which cost more than the arithmetic on long
        curves).

    Returns
    -------
    lower, upper : ndarray
        Limits with R's truncation; ``NaN`` where R returns ``NA``/``NaN``.
    """
    p = np.asarray(surv, dtype=np.float64)
    h = np.asarray(half_width, dtype=np.float64)
    p, h = np.broadcast_arrays(p, h)
    # Each formula is evaluated on every element (no gathering and scattering through a
    # mask: 2-5x faster on long curves), then the undefined ones are set to NaN. Elements
    # where the band is undefined may overflow harmlessly on the way, hence the errstate.
    if conf_type == "plain":
        # R: se2 <- se * p * zval; Inf * 0 is NaN there, and pmax/pmin keep the NaN.
        ok = ~(np.isinf(h) & (p == 0))
        w = np.where(ok, h, 0.0) * p
        lower = np.maximum(p - w, 0.0)
        upper = np.minimum(p + w, 1.0)
        return _into(out, *_undefined(lower, upper, ok))

    pos = p > 0
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        if conf_type == "log":
            ok = pos
            lp = np.where(pos, p, 1.0)
            np.log(lp, out=lp)
            lower, upper = (np.empty(p.shape), np.empty(p.shape)) if out is None else out
            np.subtract(lp, h, out=lower)
            np.exp(lower, out=lower)
            np.add(lp, h, out=upper)
            np.exp(upper, out=upper)
            np.minimum(upper, 1.0, out=upper)
        elif conf_type == "log-log":
            ok = pos & (p < 1)
            q = np.where(ok, p, 0.5)
            lq = np.log(q)
            llq = np.log(-lq)
            se2 = h / lq  # negative: log(S) < 0
            lower = np.exp(-np.exp(llq - se2))
            upper = np.exp(-np.exp(llq + se2))
        elif conf_type == "logit":
            ok = pos & (p < 1)
            q = np.where(ok, p, 0.5)
            se2 = h * (1.0 + q / (1.0 - q))
            lg = np.log(q / (1.0 - q))
            lower = 1.0 - 1.0 / (1.0 + np.exp(lg - se2))
            upper = 1.0 - 1.0 / (1.0 + np.exp(lg + se2))
            # S == 1: R evaluates 1 - 1/(1 + exp(Inf -/+ 0 * Inf)) = NaN (se == 0 there).
        elif conf_type == "arcsin":
            ok = pos & (p < 1)
            q = np.where(ok, p, 0.5)
            se2 = 0.5 * h * np.sqrt(q / (1.0 - q))
            a = np.arcsin(np.sqrt(q))
            lower = np.sin(np.maximum(0.0, a - se2)) ** 2
            upper = np.sin(np.minimum(np.pi / 2, a + se2)) ** 2
        else:  # pragma: no cover - guarded by normalize_conf_type
            raise ValueError(f"unknown conf_type {conf_type!r}")
    lower, upper = _undefined(lower, upper, ok)
    if conf_type == "arcsin":
        # S == 1: R computes se * sqrt(1/0) = 0 * Inf = NaN unless se > 0.
        one = p == 1
        fin = one & (h > 0)
        lower[fin] = np.sin(np.maximum(0.0, np.pi / 2 - np.inf)) ** 2
        upper[fin] = 1.0
    return _into(out, lower, upper)


def _into(
    out: tuple[NDArray[np.float64], NDArray[np.float64]] | None,
    lower: NDArray[np.float64],
    upper: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(lower, upper)``, copied into ``out`` when given (and not already there)."""
    if out is None:
        return lower, upper
    for dst, src in zip(out, (lower, upper), strict=True):
        if dst is not src:
            np.copyto(dst, src)
    return out


def confint(
    surv: ArrayLike,
    std_err_log: ArrayLike,
    conf_type: str = "log",
    conf_level: float = 0.95,
    *,
    out: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Pointwise confidence limits for survival probabilities, as R ``survfit_confint``.

    Parameters
    ----------
    surv : array_like
        Survival estimates :math:`\hat S(t)` in [0, 1].
    std_err_log : array_like
        Standard error of :math:`\log \hat S(t)`; for Kaplan-Meier, Greenwood's
        :math:`\sqrt{\sum_{t_i \le t} d_i / (r_i (r_i - d_i))}`.
    conf_type : {"plain", "log", "log-log", "logit", "arcsin"}
        Transform (aliases ``"linear"``, ``"loglog"``, ``"exponential"`` accepted).
    conf_level : float
        Confidence level in (0, 1).
    out : (ndarray, ndarray), optional
        Arrays to write the limits into (see :func:`transform_bounds`).

    Returns
    -------
    lower, upper : ndarray
        The limits; ``NaN`` where R's band is undefined (see the module notes).

    Notes
    -----
    With :math:`z = \Phi^{-1}(1 - \alpha/2)` and :math:`s = SE(\log \hat S)`:

    * plain: :math:`\hat S \pm z s \hat S`
    * log: :math:`\hat S \exp(\pm z s)`
    * log-log: :math:`\hat S^{\exp(\pm z s / \log \hat S)}`
    * logit: :math:`\mathrm{expit}(\mathrm{logit}\,\hat S \pm z s / (1 - \hat S))`
    * arcsin: :math:`\sin^2(\arcsin\sqrt{\hat S} \pm \tfrac12 z s \sqrt{\hat S/(1-\hat S)})`

    References
    ----------
    Therneau T. survival 3.5, ``survfit_confint``; Klein & Moeschberger (2003), sec. 4.3.
    """
    ct = normalize_conf_type(conf_type)
    z = z_value(check_conf_level(conf_level))
    se = np.asarray(std_err_log, dtype=np.float64)
    return transform_bounds(surv, z * se, ct, out=out)


def transform_scale(x: ArrayLike, conf_type: str) -> NDArray[np.float64]:
    """The scale on which a transform's two limits are symmetric about the estimate, increasing.

    Every transform's limits are :math:`g^{-1}(g(p) \\mp w)` (before clipping) with ``g``:
    ``plain`` the identity, ``log`` :math:`\\log p`, ``log-log`` :math:`-\\log(-\\log p)` (R
    uses :math:`\\log(-\\log p)`, decreasing; negated here), ``logit``, ``arcsin``
    :math:`\\arcsin\\sqrt p`. Values outside the transform's domain map to ``-inf``/``inf``
    (``log`` of 0, ``logit`` and ``log-log`` of 0 and 1). Used by interval checks of printed
    limits (a printed estimate must sit at the ``g``-midpoint of its printed limits).
    """
    ct = normalize_conf_type(conf_type)
    p = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
    inner = (p > 0) & (p < 1)
    q = np.where(inner, p, 0.5)
    if ct == "plain":
        return np.array(p, dtype=np.float64)
    if ct == "arcsin":
        out: NDArray[np.float64] = np.arcsin(np.sqrt(p))
        return out
    if ct == "log":
        return np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)
    edge = np.where(p <= 0, -np.inf, np.inf)
    if ct == "log-log":
        return np.where(inner, -np.log(-np.log(q)), edge)
    return np.where(inner, np.log(q / (1.0 - q)), edge)  # logit
