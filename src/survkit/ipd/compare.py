"""Compare reconstructed arms: Cox hazard ratios (lifelines) and the log-rank test.

:func:`compare_arms` fits the Cox proportional-hazards model ``h(t | arm) = h0(t) exp(beta_arm)``
to patient-level data with an ``arm`` column (as :func:`survkit.ipd.reconstruct_ipd_arms`
returns), with one indicator per arm other than the reference, by partial likelihood with
Efron's handling of ties (lifelines ``CoxPHFitter``; the default of R ``coxph``), and adds the
log-rank test (R ``survdiff``, :func:`survkit.estimate.logrank.logrank_test`). Wald intervals:
``exp(beta ± z SE)``.

:func:`check_hr_ipd` sets a printed hazard ratio beside the one of the reconstructed data.

References
----------
Cox D.R. (1972). Regression models and life-tables. JRSS B 34:187-220.
Efron B. (1977). The efficiency of Cox's likelihood function for censored data. JASA 72:557-565.
Guyot P. et al. (2012). BMC Med Res Methodol 12:9 (hazard ratios of reconstructed arms).
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from survkit.estimate.ci import check_conf_level, z_value
from survkit.estimate.logrank import LogRank, logrank_test

__all__ = ["ArmComparison", "HRAgreement", "check_hr_ipd", "compare_arms"]


@dataclass(frozen=True)
class ArmComparison:
    """Cox hazard ratios of each arm against a reference arm, and the log-rank test.

    Attributes
    ----------
    reference : str
        The reference arm (hazard ratio 1).
    arms : tuple of str
        The other arms, one hazard ratio each.
    coef, se, hr, lower, upper, p_wald : tuple of float
        Per arm: log hazard ratio, its standard error, ``exp(coef)``, the Wald CI at
        ``conf_level`` and the two-sided Wald p-value. NaN when the model cannot be fitted
        (an arm without events); see ``notes``.
    conf_level : float
    logrank : LogRank
        Log-rank test between all arms (R ``survdiff``).
    ties : str
        ``"efron"``.
    notes : tuple of str
    """

    reference: str
    arms: tuple[str, ...]
    coef: tuple[float, ...]
    se: tuple[float, ...]
    hr: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    p_wald: tuple[float, ...]
    conf_level: float
    logrank: LogRank
    ties: str = "efron"
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per arm: ``arm, reference, coef, se, hr, lower, upper, p_wald,
        logrank_chisq, logrank_p``."""
        k = len(self.arms)
        return pd.DataFrame(
            {
                "arm": list(self.arms),
                "reference": [self.reference] * k,
                "coef": self.coef,
                "se": self.se,
                "hr": self.hr,
                "lower": self.lower,
                "upper": self.upper,
                "p_wald": self.p_wald,
                "logrank_chisq": [self.logrank.statistic] * k,
                "logrank_p": [self.logrank.p_value] * k,
            }
        )

    def __str__(self) -> str:
        level = f"{100 * self.conf_level:g}%"
        lines = [
            f"Cox HR {arm} vs {self.reference}: {hr:.3g} ({level} CI {lo:.3g} to {hi:.3g}), "
            f"Wald p = {p:.3g}"
            for arm, hr, lo, hi, p in zip(
                self.arms, self.hr, self.lower, self.upper, self.p_wald, strict=True
            )
        ]
        lr = self.logrank
        lines.append(f"Log-rank: chisq = {lr.statistic:.4g} on {lr.df} df, p = {lr.p_value:.3g}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def _frame(data: Any) -> pd.DataFrame:
    from survkit.ipd.reconstruct import IPDResult

    if isinstance(data, IPDResult):
        return data.data
    if isinstance(data, pd.DataFrame):
        return data
    raise TypeError(
        f"data must be an IPDResult or a DataFrame with time, event, arm, got {type(data).__name__}"
    )


def compare_arms(
    data: Any,
    *,
    reference: str | None = None,
    conf_level: float = 0.95,
    time: str = "time",
    event: str = "event",
    arm: str = "arm",
) -> ArmComparison:
    """Cox hazard ratio of every arm against ``reference``, and the log-rank test.

    Parameters
    ----------
    data : IPDResult or DataFrame
        Patient-level data with columns ``time``, ``event`` (0/1) and ``arm``.
    reference : str, optional
        Reference arm; default the first arm in the data.
    conf_level : float
        Level of the Wald intervals ``exp(beta ± z SE)``.
    time, event, arm : str
        Column names.

    Returns
    -------
    ArmComparison
        Matches R ``coxph(Surv(time, event) ~ arm)`` (Efron ties) and ``survdiff``.

    Raises
    ------
    ValueError
        Missing columns, fewer than two arms, an unknown ``reference``.
    """
    df = _frame(data)
    level = check_conf_level(conf_level)
    for col, name in ((time, "time"), (event, "event"), (arm, "arm")):
        if col not in df.columns:
            raise ValueError(f"data: no {name} column {col!r} (columns: {list(df.columns)})")
    labels = df[arm].astype(str)
    order = list(dict.fromkeys(labels))
    if len(order) < 2:
        raise ValueError(f"data: need at least two arms to compare, got {order}")
    ref = order[0] if reference is None else str(reference)
    if ref not in order:
        raise ValueError(f"reference: {reference!r} is not an arm (arms: {order})")
    others = tuple(a for a in order if a != ref)
    t = df[time].to_numpy(dtype=np.float64)
    e = df[event].to_numpy()
    lr = logrank_test(t, e, labels.to_numpy())
    notes: list[str] = []
    nan = (math.nan,) * len(others)
    events_by_arm = pd.Series(np.asarray(e, dtype=float)).groupby(labels.to_numpy()).sum()
    empty = [a for a in order if events_by_arm.get(a, 0.0) == 0]
    if empty:
        notes.append(
            f"no Cox model: arm(s) {', '.join(empty)} have no events (the hazard ratio is 0 or "
            "infinite)"
        )
        return ArmComparison(ref, others, nan, nan, nan, nan, nan, nan, level, lr,
                             notes=tuple(notes))
    from lifelines import CoxPHFitter

    x = pd.DataFrame({f"arm[{a}]": (labels == a).to_numpy(dtype=float) for a in others})
    x["_time"] = t
    x["_event"] = np.asarray(e, dtype=float)
    cph = CoxPHFitter(alpha=1.0 - level)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # lifelines' default stopping rule leaves |Δβ| ~ 1e-5; precision 1e-14 matches R coxph's
        # converged coefficients to about 1e-9
        cph.fit(x, duration_col="_time", event_col="_event",
                fit_options={"precision": 1e-14, "max_steps": 500})
    for w in caught:
        notes.append(f"lifelines: {str(w.message).splitlines()[0]}")
    s = cph.summary
    z = z_value(level)
    coef = tuple(float(s.loc[f"arm[{a}]", "coef"]) for a in others)
    se = tuple(float(s.loc[f"arm[{a}]", "se(coef)"]) for a in others)
    return ArmComparison(
        reference=ref,
        arms=others,
        coef=coef,
        se=se,
        hr=tuple(math.exp(c) for c in coef),
        lower=tuple(math.exp(c - z * v) for c, v in zip(coef, se, strict=True)),
        upper=tuple(math.exp(c + z * v) for c, v in zip(coef, se, strict=True)),
        p_wald=tuple(float(s.loc[f"arm[{a}]", "p"]) for a in others),
        conf_level=level,
        logrank=lr,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class HRAgreement:
    """A printed hazard ratio beside the Cox hazard ratio of reconstructed data.

    Reconstructed data carry digitizing error, so this is agreement, not proof: ``agrees``
    says whether the reconstructed HR lies inside the printed CI (its interval of values that
    print as the printed limits) — the check meta-analysts use for reconstructed arms.

    Attributes
    ----------
    text : str
        The printed text.
    printed : tuple of float
        Printed ``(estimate, lower, upper)``.
    reconstructed : tuple of float
        Reconstructed ``(hr, lower, upper)`` at the printed CI level.
    arm, reference : str
    log_ratio : float
        ``log(HR_reconstructed / HR_printed)``.
    agrees : bool
        The reconstructed HR lies within the printed CI.
    comparison : ArmComparison
    """

    text: str
    printed: tuple[float, float, float]
    reconstructed: tuple[float, float, float]
    arm: str
    reference: str
    log_ratio: float
    agrees: bool
    comparison: ArmComparison

    def __str__(self) -> str:
        p, r = self.printed, self.reconstructed
        verdict = "within" if self.agrees else "OUTSIDE"
        return (
            f"printed {self.text}: reconstructed Cox HR {self.arm} vs {self.reference} "
            f"{r[0]:.3g} ({r[1]:.3g} to {r[2]:.3g}), {verdict} the printed CI "
            f"{p[1]:g} to {p[2]:g}"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row: printed and reconstructed HR with limits, ``log_ratio``, ``agrees``."""
        return pd.DataFrame(
            [
                {
                    "text": self.text,
                    "arm": self.arm,
                    "reference": self.reference,
                    "hr_printed": self.printed[0],
                    "lower_printed": self.printed[1],
                    "upper_printed": self.printed[2],
                    "hr_reconstructed": self.reconstructed[0],
                    "lower_reconstructed": self.reconstructed[1],
                    "upper_reconstructed": self.reconstructed[2],
                    "log_ratio": self.log_ratio,
                    "agrees": self.agrees,
                }
            ]
        )


def check_hr_ipd(
    text: str,
    data: Any,
    *,
    arm: str | None = None,
    reference: str | None = None,
) -> HRAgreement:
    """Compare a printed hazard ratio with the Cox hazard ratio of reconstructed arms.

    Parameters
    ----------
    text : str
        Printed hazard ratio, e.g. ``"HR 0.65 (95% CI, 0.50 to 0.85)"`` (parsed by
        :func:`survkit.check.hr.check_hr`; its CI level is used).
    data : IPDResult or DataFrame
        Reconstructed data with ``time, event, arm``.
    arm, reference : str, optional
        The HR is ``arm`` vs ``reference``; defaults: the second and the first arm.

    Returns
    -------
    HRAgreement
    """
    from survkit.check.hr import check_hr

    printed = check_hr(text)
    cmp = compare_arms(data, reference=reference, conf_level=printed.conf_level)
    which = cmp.arms[0] if arm is None else str(arm)
    if which not in cmp.arms:
        raise ValueError(f"arm: {arm!r} is not a compared arm (arms: {list(cmp.arms)})")
    i = cmp.arms.index(which)
    rec = (cmp.hr[i], cmp.lower[i], cmp.upper[i])
    from survkit.check.parse import rounding_interval

    lo = rounding_interval(printed.lower, _decimals(text, printed.lower), clip=False)[0]
    hi = rounding_interval(printed.upper, _decimals(text, printed.upper), clip=False)[1]
    ok = bool(lo <= rec[0] <= hi) if math.isfinite(rec[0]) else False
    return HRAgreement(
        text=text,
        printed=(printed.estimate, printed.lower, printed.upper),
        reconstructed=rec,
        arm=which,
        reference=cmp.reference,
        log_ratio=math.log(rec[0] / printed.estimate) if math.isfinite(rec[0]) else math.nan,
        agrees=ok,
        comparison=cmp,
    )


def _decimals(text: str, value: float) -> int:
    """Decimals with which ``value`` was printed in ``text`` (the most among equal tokens)."""
    best = 0
    for tok in re.findall(r"\d+(?:\.\d+)?|\.\d+", text):
        if math.isclose(float(tok), value, rel_tol=0, abs_tol=1e-12):
            best = max(best, len(tok.split(".")[1]) if "." in tok else 0)
    return best
