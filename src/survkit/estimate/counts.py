r"""Kaplan-Meier and the log-rank test from an aggregated table of counts.

Registries and federated networks share survival data as counts per time -- events
:math:`d_j` and censorings :math:`c_j` at each time :math:`t_j`, and with delayed entry the
number :math:`e_l` entering at :math:`a_l` -- rather than patient rows. These counts are
sufficient: the numbers at risk are

.. math:: r_j = \sum_{t_k \ge t_j} (d_k + c_k) - \sum_{a_l \ge t_j} e_l

(a subject entering at :math:`a` is at risk at :math:`u` when :math:`a < u`, R's
``Surv(entry, time, event)`` convention), and the estimate, Greenwood's variance, the
confidence limits, ``at()``, ``median()`` and ``rmst()`` follow exactly as for patient rows.
:func:`kaplan_meier_from_counts` goes through the very code of :func:`survkit.kaplan_meier`
after the counting step, so both give the same numbers to the last bit.

References
----------
Kaplan E.L., Meier P. (1958). JASA 53:457-481. Klein J.P., Moeschberger M.L. (2003).
Survival Analysis, 2nd ed., sec. 4.2 and 4.6 (left truncation). R survival 3.5 ``survfit``
and ``survdiff``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from survkit._validation import as_float_array, check_same_length
from survkit.estimate._core import Counts, risk_from_tally
from survkit.estimate.ci import check_conf_level, normalize_conf_type
from survkit.estimate.km import KaplanMeier, fit_counts
from survkit.estimate.logrank import LogRank, logrank_result, table_sums

FloatArray = NDArray[np.float64]


def _whole(x: Any, name: str, n: int | None = None) -> FloatArray:
    """Non-negative whole numbers as float64 (a fresh array)."""
    a = np.array(as_float_array(x, name, nonnegative=True), dtype=np.float64)
    frac = a != np.floor(a)
    if frac.any():
        i = int(np.argmax(frac))
        raise ValueError(
            f"{name} must be whole numbers (counts of subjects); {name}[{i}] = {a[i].item()!r}"
            " -- weighted counts need the patient rows (R's robust variance)"
        )
    if a.max(initial=0.0) >= 2.0**53:
        raise ValueError(f"{name} has a count too large to add exactly: {a.max().item()!r}")
    return a


def table_counts(
    time: FloatArray,
    n_event: FloatArray,
    n_censor: FloatArray,
    n_enter: FloatArray | None,
) -> Counts:
    """Risk-set counts of a validated table (times in any order, repeated times summed).

    Raises ``ValueError`` when the table cannot come from subjects with entry < exit.
    """
    ut, inv = np.unique(time, return_inverse=True)
    m = ut.size
    d = np.bincount(inv, weights=n_event, minlength=m)
    c = np.bincount(inv, weights=n_censor, minlength=m)
    if not (d + c).any():
        raise ValueError("the table has no subject: n_event and n_censor are all 0")
    if n_enter is None:
        return risk_from_tally(ut, d, c)
    e = np.bincount(inv, weights=n_enter, minlength=m)
    # A row with only entries is no time of the fit; one with nothing at all is kept (as R
    # keeps the times of zero-weight rows).
    stop = ((d + c) > 0) | (e == 0)
    total_in, total_out = float(e.sum()), float((d + c).sum())
    if total_in != total_out:
        raise ValueError(
            f"n_enter sums to {total_in:g} but n_event + n_censor to {total_out:g}: every "
            "subject must enter once and leave once"
        )
    ent = e > 0
    counts = risk_from_tally(ut[stop], d[stop], c[stop], ut[ent], e[ent])
    # Exact integer arithmetic: fewer at risk than leave means someone left before entering.
    short = counts.n_risk < counts.n_event + counts.n_censor
    if short.any():
        j = int(np.argmax(short))
        raise ValueError(
            f"at time {counts.time[j].item()!r}, {counts.n_event[j] + counts.n_censor[j]:g} "
            f"subjects leave but only {counts.n_risk[j]:g} entered before it (entry must be "
            "< exit time)"
        )
    return counts


def kaplan_meier_from_counts(
    time: ArrayLike,
    n_event: ArrayLike,
    n_censor: ArrayLike,
    *,
    n_enter: ArrayLike | None = None,
    conf_type: str = "log",
    conf_level: float = 0.95,
) -> KaplanMeier:
    r"""Kaplan-Meier fit from an aggregated table: counts of events and censorings per time.

    Parameters
    ----------
    time : array_like
        Times of the table's rows (any order; rows with the same time are added up).
        Non-negative unless ``n_enter`` is given.
    n_event, n_censor : array_like
        Numbers of events and of censorings at each row's time (whole numbers >= 0).
    n_enter : array_like, optional
        Numbers entering (left truncation) at each row's time: they are at risk after it,
        as R's ``Surv(entry, time, event)``. Rows with only entries have
        ``n_event = n_censor = 0``; the entries must add up to the subjects.
    conf_type : {"log", "log-log", "plain", "logit", "arcsin"}
        CI transform, as :func:`survkit.kaplan_meier`.
    conf_level : float
        Confidence level in (0, 1).

    Returns
    -------
    KaplanMeier
        Every field, ``at()``, ``median()``, ``quantile()`` and ``rmst()`` equal to those of
        the patient-level fit the table summarises (the same code after the counting step).

    Notes
    -----
    :math:`r_j = \sum_{t_k \ge t_j}(d_k + c_k) - \sum_{a_l \ge t_j} e_l`,
    :math:`\hat S(t) = \prod_{t_j \le t}(1 - d_j / r_j)`, Greenwood's
    :math:`\widehat{\mathrm{Var}}(\log \hat S) = \sum d_j / (r_j (r_j - d_j))`.

    The fit's times are the table's distinct times, except those with only entries; a time
    with no count at all stays, as R keeps the times of zero-weight rows. Weighted
    (fractional) counts are refused: R's variance for them, the infinitesimal jackknife,
    needs the rows.

    References
    ----------
    Kaplan & Meier (1958), JASA 53:457-481; Greenwood (1926); R survival 3.5 ``survfit``.

    Examples
    --------
    >>> fit = kaplan_meier_from_counts([9, 13, 18, 23], [1, 1, 1, 1], [0, 1, 0, 0])
    >>> fit.surv.round(3).tolist()
    [0.8, 0.6, 0.3, 0.0]
    """
    ct = normalize_conf_type(conf_type)
    level = check_conf_level(conf_level)
    t = as_float_array(time, "time", nonnegative=n_enter is None)
    d = _whole(n_event, "n_event")
    c = _whole(n_censor, "n_censor")
    check_same_length(time=t, n_event=d, n_censor=c)
    e = None
    if n_enter is not None:
        e = _whole(n_enter, "n_enter")
        check_same_length(time=t, n_enter=e)
    counts = table_counts(t, d, c, e)
    n = int(counts.n_event.sum() + counts.n_censor.sum())
    return fit_counts(counts, n, ct, level)


def logrank_from_counts(
    time: ArrayLike, n_event: ArrayLike, n_censor: ArrayLike, group: ArrayLike, *,
    strata: ArrayLike | None = None, rho: float = 0.0,
) -> LogRank:
    """Log-rank test from counts per group and time (R ``survdiff``).

    Parameters
    ----------
    time : array_like
        Non-negative times of the rows.
    n_event, n_censor : array_like
        Events and censorings of the row's group at its time (whole numbers >= 0).
    group : array_like
        Group label of each row; at least two groups. Rows with the same group, stratum
        and time are added up.
    strata : array_like, optional
        Stratum label of each row (R ``survdiff(... + strata(s))``).
    rho : float
        Fleming-Harrington G-rho weight :math:`\\hat S(t-)^\\rho` (0: log-rank).

    Returns
    -------
    LogRank
        The same as :func:`survkit.logrank_test` on the patient rows the table summarises.
    """
    t = as_float_array(time, "time", nonnegative=True)
    d = _whole(n_event, "n_event")
    c = _whole(n_censor, "n_censor")
    labels = {"group": np.asarray(group)}
    if strata is not None:
        labels["strata"] = np.asarray(strata)
    for name, raw in labels.items():
        if raw.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got {raw.ndim}-D")
    check_same_length(time=t, n_event=d, n_censor=c, **labels)
    for name, raw in labels.items():
        miss = pd.isna(raw)
        if np.any(miss):
            raise ValueError(f"{name} has a missing value at position {int(np.argmax(miss))}")
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating)) \
            or not np.isfinite(rho):
        raise TypeError(f"rho must be a finite number, got {rho!r}")
    codes, uniques = pd.factorize(labels["group"], sort=True)
    k = len(uniques)
    if k < 2:
        raise ValueError("group must have at least two distinct values")
    s_labels: tuple[str, ...] | None = None
    if strata is None:
        s_code = np.zeros(t.size, dtype=np.intp)
    else:
        s_codes, s_uniques = pd.factorize(labels["strata"], sort=True)
        s_code = s_codes.astype(np.intp)
        s_labels = tuple(str(v) for v in s_uniques)
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    for sv in np.unique(s_code):
        sel = (s_code == sv) & ((d + c) > 0)  # rows without subjects change nothing
        ut, tidx = np.unique(t[sel], return_inverse=True)
        m = ut.size
        cell = tidx * k + codes[sel]
        d_g = np.bincount(cell, weights=d[sel], minlength=m * k).astype(np.float64)
        n_g = np.bincount(cell, weights=(d + c)[sel], minlength=m * k).astype(np.float64)
        o_s, e_s, v_s = table_sums(d_g.reshape(m, k), n_g.reshape(m, k), float(rho))
        observed += o_s
        expected += e_s
        variance += v_s
    sizes = np.bincount(codes, weights=d + c, minlength=k)
    return logrank_result(observed, expected, variance, tuple(str(v) for v in uniques),
                          np.rint(sizes).astype(np.int64), float(rho), s_labels)
