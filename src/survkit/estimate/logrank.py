r"""The log-rank test and its Fleming-Harrington G-rho family, as R survival's ``survdiff``.

At each distinct event time :math:`t_j` with :math:`d_j` events among :math:`r_j` at risk
(:math:`d_{gj}`, :math:`r_{gj}` in group :math:`g`): observed :math:`O_g = \sum_j d_{gj}`,
expected :math:`E_g = \sum_j d_j r_{gj} / r_j`, and the hypergeometric covariance

.. math:: V_{gh} = \sum_j \frac{d_j (r_j - d_j)}{r_j - 1}
          \frac{r_{gj}}{r_j}\Bigl(\delta_{gh} - \frac{r_{hj}}{r_j}\Bigr).

The statistic is :math:`(O - E)^\top V^{-1} (O - E)` over all groups with :math:`E_g > 0`
but the first, on :math:`G' - 1` degrees of freedom (:math:`G'` groups with :math:`E_g > 0`).

With ``rho`` (Harrington & Fleming 1982) every term at :math:`t_j` is weighted by
:math:`w_j = \hat S(t_j-)^\rho` (:math:`w_j^2` in :math:`V`), :math:`\hat S` the pooled
left-continuous Kaplan-Meier of the stratum; ``rho = 1`` is the Peto-Peto-Prentice
(Gehan-Wilcoxon-like) test. With ``strata``, :math:`O`, :math:`E` and :math:`V` are computed
within each stratum and summed (R ``survdiff(... + strata(s))``).

References
----------
Mantel N. (1966). Evaluation of survival data and two new rank order statistics arising in
its consideration. Cancer Chemother Rep 50:163-170. Peto R., Peto J. (1972). Asymptotically
efficient rank invariant test procedures. JRSS A 135:185-207. Harrington D.P., Fleming T.R.
(1982). A class of rank test procedures for censored survival data. Biometrika 69:553-566.
R survival 3.5 ``survdiff`` (``survdiff2.c``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc

from survkit._validation import as_event_array, as_float_array, check_same_length

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LogRank:
    """Result of :func:`logrank_test`.

    Attributes
    ----------
    statistic : float
        Chi-square statistic.
    df : int
        Degrees of freedom.
    p_value : float
        Upper tail of the chi-square distribution.
    groups : tuple of str
        Group labels, sorted (R's factor order).
    n, observed, expected : ndarray
        Per group: size, observed and expected events (weighted by :math:`w_j` when
        ``rho != 0``; summed over strata).
    variance : ndarray
        The covariance matrix :math:`V` of :math:`O - E`.
    rho : float
        The G-rho weight power (0: log-rank).
    strata : tuple of str or None
        Stratum labels (sorted) of a stratified test.
    """

    statistic: float
    df: int
    p_value: float
    groups: tuple[str, ...]
    n: NDArray[np.int64]
    observed: FloatArray
    expected: FloatArray
    variance: FloatArray
    rho: float = 0.0
    strata: tuple[str, ...] | None = None

    def to_frame(self) -> pd.DataFrame:
        """Per-group table ``group, n, observed, expected, (O-E)^2/E, (O-E)^2/V`` as R prints."""
        o, e = self.observed, self.expected
        v = np.diag(self.variance)
        return pd.DataFrame(
            {
                "group": list(self.groups),
                "n": self.n,
                "observed": o,
                "expected": e,
                "(O-E)^2/E": np.divide((o - e) ** 2, e, out=np.full_like(e, np.nan), where=e > 0),
                "(O-E)^2/V": np.divide((o - e) ** 2, v, out=np.full_like(v, np.nan), where=v > 0),
            }
        )


def logrank_test(
    time: ArrayLike, event: ArrayLike, group: ArrayLike, *,
    strata: ArrayLike | None = None, rho: float = 0.0,
) -> LogRank:
    """Log-rank test comparing survival between groups (R ``survdiff(Surv(time, event) ~ group)``).

    Parameters
    ----------
    time : array_like
        Non-negative follow-up times.
    event : array_like
        Event indicators (0/1 or bool).
    group : array_like
        Group labels (any hashable values); at least two distinct groups.
    strata : array_like, optional
        Stratum labels: R ``survdiff(Surv(time, event) ~ group + strata(s))``.
    rho : float
        Fleming-Harrington G-rho weight :math:`\\hat S(t-)^\\rho` (R ``rho=``; 0 log-rank).

    Returns
    -------
    LogRank
        Statistic, df, p-value and the per-group table; see the module notes for formulas.
    """
    t = as_float_array(time, "time", nonnegative=True)
    e = as_event_array(event, "event")
    g_raw = np.asarray(group)
    if g_raw.ndim != 1:
        raise ValueError(f"group must be 1-D, got {g_raw.ndim}-D")
    check_same_length(time=t, event=e, group=g_raw)
    miss = pd.isna(g_raw)
    if np.any(miss):
        raise ValueError(f"group has a missing value at position {int(np.argmax(miss))}")
    codes, uniques = pd.factorize(g_raw, sort=True)
    labels_any: list[Any] = list(uniques)
    if len(labels_any) < 2:
        raise ValueError("group must have at least two distinct values")
    code = codes.astype(np.intp)
    k = len(labels_any)

    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating)) \
            or not np.isfinite(rho):
        raise TypeError(f"rho must be a finite number, got {rho!r}")
    strata_labels: tuple[str, ...] | None = None
    if strata is None:
        s_code = np.zeros(t.size, dtype=np.intp)
    else:
        s_raw = np.asarray(strata)
        if s_raw.ndim != 1:
            raise ValueError(f"strata must be 1-D, got {s_raw.ndim}-D")
        check_same_length(time=t, strata=s_raw)
        s_miss = pd.isna(s_raw)
        if np.any(s_miss):
            raise ValueError(f"strata has a missing value at position {int(np.argmax(s_miss))}")
        s_codes, s_uniques = pd.factorize(s_raw, sort=True)
        s_code = s_codes.astype(np.intp)
        strata_labels = tuple(str(v) for v in s_uniques)
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    for sv in np.unique(s_code):
        sel = s_code == sv
        o_s, e_s, v_s = _stratum_sums(t[sel], e[sel], code[sel], k, float(rho))
        observed += o_s
        expected += e_s
        variance += v_s
    return logrank_result(
        observed, expected, variance, tuple(str(v) for v in labels_any),
        np.bincount(code, minlength=k).astype(np.int64), float(rho), strata_labels,
    )


def logrank_result(
    observed: FloatArray, expected: FloatArray, variance: FloatArray,
    groups: tuple[str, ...], n: NDArray[np.int64], rho: float = 0.0,
    strata: tuple[str, ...] | None = None,
) -> LogRank:
    """The statistic, df and p-value of summed ``O``, ``E`` and ``V`` (see the module notes)."""
    keep = expected > 0
    df = int(keep.sum()) - 1
    if keep.sum() < 2:
        stat = 0.0
    else:
        idx = np.flatnonzero(keep)[1:]
        diff = (observed - expected)[idx]
        vv = variance[np.ix_(idx, idx)]
        stat = float(diff @ np.linalg.solve(vv, diff))
    p = float(chdtrc(df, stat)) if df > 0 else float("nan")  # chi-square upper tail
    return LogRank(
        statistic=stat,
        df=df,
        p_value=p,
        groups=groups,
        n=n,
        observed=observed,
        expected=expected,
        variance=variance,
        rho=rho,
        strata=strata,
    )


def _stratum_sums(
    t: FloatArray, e: NDArray[np.bool_], code: NDArray[np.intp], k: int, rho: float,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted observed, expected and covariance of one stratum (R ``survdiff2``)."""
    ut, tidx = np.unique(t, return_inverse=True)
    m = ut.size
    d_g = np.zeros((m, k))
    np.add.at(d_g, (tidx, code), e.astype(np.float64))
    n_g = np.zeros((m, k))
    np.add.at(n_g, (tidx, code), 1.0)
    return table_sums(d_g, n_g, rho)


def table_sums(
    d_g: FloatArray, n_g: FloatArray, rho: float = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Weighted ``O``, ``E`` and ``V`` of one stratum from its table of counts.

    ``d_g[j, g]`` events and ``n_g[j, g]`` subjects (events and censorings) of group ``g``
    whose follow-up ends at the ``j``-th distinct time, times increasing (R ``survdiff2``).
    """
    m, k = d_g.shape
    r_g = np.cumsum(n_g[::-1], axis=0)[::-1]  # at risk: time >= t_j
    d = d_g.sum(axis=1)
    r = r_g.sum(axis=1)
    if rho != 0:
        # pooled Kaplan-Meier of the stratum, left-continuous
        km = np.concatenate(([1.0], np.cumprod((r - d) / r)[:-1]))
        wt = km**rho
    else:
        wt = np.ones(m)
    has = d > 0
    d_g, r_g, d, r, wt = d_g[has], r_g[has], d[has], r[has], wt[has]
    frac = r_g / r[:, None]
    expected = (wt[:, None] * d[:, None] * frac).sum(axis=0)
    observed = (wt[:, None] * d_g).sum(axis=0)
    w = np.divide(wt * wt * d * (r - d), r - 1.0, out=np.zeros_like(d), where=r > 1)
    variance = np.einsum("j,jg,gh->gh", w, frac, np.eye(k)) - np.einsum(
        "j,jg,jh->gh", w, frac, frac
    )
    return observed, expected, variance
