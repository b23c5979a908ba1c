r"""Gray's test for equal cumulative incidence between groups, identical to ``cmprsk::cuminc``.

For the cause of interest (cause 1 below; every other cause competes), at each distinct time
with group risk sets :math:`r_g`, left-continuous Kaplan-Meier :math:`\hat S_g(t-)` (all
causes) and cumulative incidence :math:`\hat F_{1g}(t-)`, Gray's score for group :math:`g` is

.. math::

    s_g = \sum_t \bigl(1 - \hat F_1(t-)\bigr)^{\rho}
        \Bigl(d_{1g} - d_1 \frac{R_g}{\sum_h R_h}\Bigr), \qquad
    R_g = r_g \frac{1 - \hat F_{1g}(t-)}{\hat S_g(t-)},

with :math:`\hat F_1` the pooled estimate built from :math:`\sum_g r_g / \hat S_g(t-)`. The
statistic is :math:`s^\top V^{-1} s` over the first :math:`G - 1` groups, chi-square on
:math:`G - 1` degrees of freedom; :math:`V` is Gray's (1988) variance, computed here with the
very recursions of cmprsk's Fortran ``crstm`` (vectorised over time), strata adding scores and
variances.

References
----------
Gray R.J. (1988). A class of K-sample tests for comparing the cumulative incidence of a
competing risk. Ann Stat 16:1141-1154. cmprsk 2.2 (``cuminc``, ``crstm.f``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import chdtrc

from survkit._validation import as_float_array, check_same_length

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

__all__ = ["GrayTest", "gray_test", "gray_test_codes"]


@dataclass(frozen=True, eq=False)
class GrayTest:
    """Result of :func:`gray_test`: one row per cause, as ``cuminc(...)$Tests``.

    Attributes
    ----------
    causes : tuple of str
        Cause labels (sorted).
    groups : tuple of str
        Group labels (sorted, R's factor order).
    statistic, p_value : ndarray
        Per cause: the chi-square statistic (``-1`` where cmprsk finds the variance
        singular, as cmprsk does) and its upper-tail p-value.
    df : int
        Degrees of freedom (groups - 1).
    score : ndarray, shape (K, G - 1)
        Gray's scores of the first ``G - 1`` groups, per cause.
    variance : ndarray, shape (K, G - 1, G - 1)
        Their covariance matrices.
    rho : float
        Power of the weight :math:`(1 - \\hat F(t-))^\\rho`.
    """

    causes: tuple[str, ...]
    groups: tuple[str, ...]
    statistic: FloatArray
    p_value: FloatArray
    df: int
    score: FloatArray
    variance: FloatArray
    rho: float

    def to_frame(self) -> pd.DataFrame:
        """``cause, statistic, p_value, df`` as cmprsk prints ``Tests``."""
        return pd.DataFrame({"cause": list(self.causes), "statistic": self.statistic,
                             "p_value": self.p_value, "df": self.df})


def _crst(y: FloatArray, m: IntArray, ig: IntArray, ng: int,
          rho: float) -> tuple[FloatArray, FloatArray]:
    """cmprsk's ``crst`` for one stratum: scores (ng-1,) and variance (ng-1, ng-1).

    ``y`` sorted times, ``m`` 0 censored / 1 cause of interest / 2 other cause, ``ig``
    groups 0..ng-1.
    """
    ng1 = ng - 1
    ut, inv = np.unique(y, return_inverse=True)
    nt = ut.size
    d = np.zeros((3, nt, ng))
    np.add.at(d, (m, inv, ig), 1.0)
    tot = d.sum(axis=0)  # (nt, ng)
    rs = np.cumsum(tot[::-1], axis=0)[::-1]  # at risk (before removal at t)
    d1, d2 = d[1], d[2]
    nd1, nd2 = d1.sum(axis=1), d2.sum(axis=1)
    evt = (nd1 > 0) | (nd2 > 0)
    pos = rs > 0
    upd = evt[:, None] & pos
    td = d1 + d2
    fac = np.divide(rs - td, rs, out=np.ones_like(rs), where=upd)
    # skm: Kaplan-Meier (all causes) per group, right-continuous; skmm its left limit;
    # f1 / f1m the group cumulative incidence of the cause and its left limit
    skm = np.cumprod(fac, axis=0)
    skmm = np.vstack((np.ones((1, ng)), skm[:-1]))
    f1 = np.cumsum(np.where(upd, skmm * d1 / np.where(pos, rs, 1.0), 0.0), axis=0)
    f1m = np.vstack((np.zeros((1, ng)), f1[:-1]))
    ske = np.where(pos, skmm, 1.0)
    t1 = np.where(pos, rs / ske, 0.0)  # rs / skmm
    tr = t1.sum(axis=1)
    tq = np.where(pos, rs * (1.0 - f1m) / ske, 0.0).sum(axis=1)
    trs = np.where(evt, tr, 1.0)
    step = np.where(evt, nd1 / trs, 0.0)
    f = np.cumsum(step)
    fm = np.concatenate(([0.0], f[:-1]))
    fb = (1.0 - fm) ** rho
    # a(i, j): fb t1_i (1 - t1_i / tr) on the diagonal, -fb t1_i t1_j / tr off it
    a = -(fb / trs)[:, None, None] * t1[:, :, None] * t1[:, None, :]
    diag = fb[:, None] * t1 * (1.0 - t1 / trs[:, None])
    idx = np.arange(ng)
    a[:, idx, idx] = diag
    a = np.where((pos[:, :, None] & pos[:, None, :]) & evt[:, None, None], a, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cinc = a * (nd1 / (trs * (1.0 - fm)))[:, None, None]
    cinc = np.where(a != 0, cinc, 0.0)
    c = np.cumsum(cinc, axis=0)
    s_terms = np.where(pos, fb[:, None] * (d1 - nd1[:, None] * rs * (1.0 - f1m)
                                           / (ske * np.where(tq > 0, tq, 1.0)[:, None])), 0.0)
    s_terms = np.where(evt[:, None], s_terms, 0.0)
    s = s_terms.sum(axis=0)[:ng1]
    # variance pieces
    v = np.zeros((ng1, ng1))
    v2 = np.zeros((ng1, ng))
    v3 = np.zeros(ng)
    fe = f
    # cause-of-interest part (times with nd1 > 0, groups at risk)
    sel1 = nd1 > 0
    if sel1.any():
        rs1, skm1, skmm1 = rs[sel1], skm[sel1], skmm[sel1]
        pos1 = pos[sel1]
        f_1, tr1, n1 = fe[sel1], tr[sel1], nd1[sel1]
        with np.errstate(divide="ignore", invalid="ignore"):
            t4 = np.where(skm1 > 0, 1.0 - (1.0 - f_1)[:, None] / np.where(skm1 > 0, skm1, 1.0),
                          1.0)
            t5 = np.where((n1 > 1)[:, None],
                          1.0 - (n1 - 1.0)[:, None] / (tr1[:, None] * skmm1 - 1.0), 1.0)
            t3 = t5 * skmm1 * n1[:, None] / (tr1[:, None] * np.where(pos1, rs1, 1.0))
        t3 = np.where(pos1, t3, 0.0)
        t4 = np.where(pos1, t4, 0.0)
        v3 += (t4 * t4 * t3).sum(axis=0)
        a1, c1 = a[sel1][:, :ng1, :], c[sel1][:, :ng1, :]
        tt1 = a1 - t4[:, None, :] * c1  # (T, ng1, ng)
        v2 += (tt1 * (t4 * t3)[:, None, :]).sum(axis=0)
        v += np.einsum("tik,tjk,tk->ij", tt1, tt1, t3)
    sel2 = nd2 > 0
    if sel2.any():
        rs2, skm2, skmm2, dd2 = rs[sel2], skm[sel2], skmm[sel2], d2[sel2]
        okk = (skm2 > 0) & (dd2 > 0)
        f_2 = fe[sel2]
        with np.errstate(divide="ignore", invalid="ignore"):
            t4 = np.where(okk, (1.0 - f_2)[:, None] / np.where(okk, skm2, 1.0), 0.0)
            t5 = np.where(dd2 > 1, 1.0 - (dd2 - 1.0) / (rs2 - 1.0), 1.0)
            t3 = np.where(okk, t5 * (skmm2 ** 2 * dd2) / np.where(okk, rs2, 1.0) ** 2, 0.0)
        v3 += (t4 * t4 * t3).sum(axis=0)
        c2 = c[sel2][:, :ng1, :]
        tt1 = t4[:, None, :] * c2
        v2 -= (tt1 * (t4 * t3)[:, None, :]).sum(axis=0)
        v += np.einsum("tik,tjk,tk->ij", tt1, tt1, t3)
    cf = c[-1][:ng1, :] if nt else np.zeros((ng1, ng))
    v += np.einsum("ik,jk,k->ij", cf, cf, v3) + cf @ v2.T + v2 @ cf.T
    return s, v


def gray_test_codes(
    time: FloatArray, code: IntArray, causes: tuple[str, ...], group: NDArray[Any],
    *, rho: float = 0.0, strata: ArrayLike | None = None,
) -> GrayTest:
    """:func:`gray_test` on validated arrays: ``code`` 0 censored, 1..K the ``causes``."""
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating)) \
            or not np.isfinite(rho):
        raise TypeError(f"rho must be a finite number, got {rho!r}")
    g_codes, g_uniques = pd.factorize(np.asarray(group), sort=True)
    ng = len(g_uniques)
    if ng < 2:
        raise ValueError("group must have at least two distinct values")
    if strata is None:
        st = np.zeros(time.size, dtype=np.intp)
    else:
        st_raw = np.asarray(strata)
        if st_raw.shape != time.shape:
            raise ValueError(f"strata has length {st_raw.size} but time has length {time.size}")
        if np.any(pd.isna(st_raw)):
            raise ValueError(f"strata has a missing value at position "
                             f"{int(np.argmax(pd.isna(st_raw)))}")
        st = pd.factorize(st_raw, sort=True)[0].astype(np.intp)
    order = np.argsort(time, kind="stable")
    y, cd, ig, ss = time[order], code[order], g_codes[order].astype(np.intp), st[order]
    k = len(causes)
    ng1 = ng - 1
    scores = np.zeros((k, ng1))
    variances = np.zeros((k, ng1, ng1))
    stats = np.zeros(k)
    for ci in range(k):
        mm = np.where(cd == ci + 1, 1, np.where(cd == 0, 0, 2)).astype(np.intp)
        s_tot = np.zeros(ng1)
        v_tot = np.zeros((ng1, ng1))
        for sv in np.unique(ss):
            sel = ss == sv
            s_, v_ = _crst(y[sel], mm[sel], ig[sel], ng, float(rho))
            s_tot += s_
            v_tot += v_
        scores[ci], variances[ci] = s_tot, v_tot
        # cmprsk: qr(v); full rank -> s' solve(v) s, else -1
        rank = np.linalg.matrix_rank(v_tot) if np.all(np.isfinite(v_tot)) else -1
        if rank == ng1:
            stats[ci] = float(s_tot @ np.linalg.solve(v_tot, s_tot))
        else:
            stats[ci] = -1.0
    pv = np.where(stats >= 0, chdtrc(ng1, np.maximum(stats, 0.0)), 1.0 - chdtrc(ng1, 0.0))
    pv = np.where(stats < 0, 1.0, pv)
    return GrayTest(causes=causes, groups=tuple(str(g) for g in g_uniques),
                    statistic=stats, p_value=pv, df=ng1, score=scores, variance=variances,
                    rho=float(rho))


def gray_test(
    time: ArrayLike, cause: ArrayLike, group: ArrayLike, *, censored: Any = 0,
    rho: float = 0.0, strata: ArrayLike | None = None,
) -> GrayTest:
    """Gray's K-sample test of cumulative incidence, as ``cmprsk::cuminc(...)$Tests``.

    Parameters
    ----------
    time : array_like
        Non-negative follow-up times.
    cause : array_like
        The ``censored`` label (default 0) or a cause label per subject.
    group : array_like
        Group labels; at least two distinct values.
    censored : object
        Censoring label in ``cause``.
    rho : float
        Power of the weight function :math:`(1 - \\hat F(t-))^\\rho` (cmprsk's ``rho``).
    strata : array_like, optional
        Stratum labels: scores and variances are summed over strata.

    Returns
    -------
    GrayTest
        Statistic, p-value and df per cause (see the module notes for the formulas).
    """
    from survkit.estimate.cif import cause_codes

    t = as_float_array(time, "time", nonnegative=True)
    code, causes = cause_codes(cause, censored)
    g = np.asarray(group)
    if g.ndim != 1:
        raise ValueError(f"group must be 1-D, got {g.ndim}-D")
    check_same_length(time=t, cause=code, group=g)
    if np.any(pd.isna(g)):
        raise ValueError(f"group has a missing value at position {int(np.argmax(pd.isna(g)))}")
    return gray_test_codes(t, code, causes, g.astype(str), rho=rho, strata=strata)
