"""Catalogue of the ways software and authors really produce a printed confidence interval.

A printed Kaplan-Meier CI was made by *some* program, with that program's default transform
(or an option), or by hand from the numbers a program printed. Each entry of :data:`CATALOGUE`
names a software, the quantity (a survival probability ``S(t)`` or the median survival
time), the check method that reproduces it, whether it is the software's default, and the
documentation it rests on. The check methods are the ids :func:`survkit.check.check_ci`
judges: R's five transforms (``"plain"``, ``"log"``, ``"log-log"``, ``"logit"``,
``"arcsin"``) and ``"hand"`` (estimate +/- z SE computed from rounded numbers, see
:mod:`survkit.check.hand`); for medians also ``"symmetric"`` (median +/- z SE(median)).

Two questions are answered from the catalogue:

* :func:`software_for` -- which software a consistent method points to (``"log"`` -> R
  ``survfit``'s default; ``"log-log"`` -> SAS, Stata, lifelines, ...); :func:`software_label`
  is the one-line text of the verdict table and of the CSV column "likely software".
* :func:`methods_for` -- the methods one software can produce, so that all printed CIs of one
  paper (landmarks and medians) can be judged under the methods of one software.

Sources (each entry carries its own):

* R survival 3.5: ``?survfit.formula`` -- ``conf.type``: ``"log"`` (the default), ``"plain"``,
  ``"log-log"``, ``"logit"``, ``"arcsin"``; ``?quantile.survfit`` -- quantile limits where the
  horizontal line ``1 - p`` meets the confidence limits of the curve.
* SAS/STAT User's Guide, PROC LIFETEST, ``CONFTYPE=`` (``LOGLOG`` default; ``ASINSQRT``,
  ``LINEAR``, ``LOG``, ``LOGIT``); SAS Usage Note 12983 (log-log limits from SAS 9.1, linear
  before); "Computational Formulas" (quartile CI: Brookmeyer & Crowley, the set of ``t`` with
  ``|g(S(t)) - g(1 - p)| <= z g'(S(t)) se(S(t))``, ``g`` the ``CONFTYPE`` transform).
* Stata [ST] sts, Methods and formulas: Greenwood standard errors "are not used for
  confidence intervals. Instead, the asymptotic variance of ln[-ln S(t)] ... is used".
* lifelines 0.30 ``KaplanMeierFitter``: "confidence intervals using the exponential Greenwood
  formula" (log-log; no option).
* scikit-survival ``kaplan_meier_estimator(conf_type=)``: ``None`` or ``"log-log"`` only.
* SciPy ``ecdf(...).sf.confidence_interval(method=)``: ``"linear"`` (default, Greenwood,
  clipped to [0, 1]) or ``"log-log"`` (exponential Greenwood).
* GraphPad Prism 5-10 guides: "asymmetrical" intervals (log-log transform, the exponential
  Greenwood formula) by default, "symmetrical" Greenwood intervals (1.96 SE each way, trimmed
  to 0-100 %) as an option and the only choice before Prism 5.
* IBM SPSS Statistics (Advanced Statistics), Kaplan-Meier: the survival table prints the
  cumulative proportion surviving and its standard error, no CI for ``S(t)``; the median and
  mean survival times are printed with standard error and 95 % CI (estimate +/- 1.96 SE).
* MedCalc manual, Kaplan-Meier survival analysis: survival proportions with standard error and
  a 95 % CI for the median; the transform of the survival CI is not stated in the pages
  consulted (entries marked ``confirmed=False``).

References
----------
Borgan O., Liestol K. (1990). Scand. J. Stat. 17:35-41. Brookmeyer R., Crowley J. (1982).
Biometrics 38:29-41. Barker C. (2009). The mean, median, and confidence intervals of the
Kaplan-Meier survival estimate -- computations and applications. Am. Stat. 63:78-80.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Quantity = Literal["survival", "median"]

#: Check-method ids for a survival probability: R's transforms and the hand calculation.
SURVIVAL_METHODS: Final[tuple[str, ...]] = ("plain", "log", "log-log", "logit", "arcsin", "hand")
#: Check-method ids for a median survival time: band crossing under each transform, and the
#: symmetric interval median +/- z SE(median).
MEDIAN_METHODS: Final[tuple[str, ...]] = (
    "plain", "log", "log-log", "logit", "arcsin", "symmetric",
)


@dataclass(frozen=True)
class CatalogueEntry:
    """One way a program (or an author) produces a printed CI.

    Attributes
    ----------
    software : str
        The program, e.g. ``"R survival (survfit)"``; :data:`SOFTWARE` lists the short names.
    short : str
        Short software name used in labels (``"R"``, ``"SAS"``, ``"SPSS"``...).
    quantity : {"survival", "median"}
        A CI for ``S(t)`` or for the median survival time.
    method : str
        The check method that reproduces it (see :data:`SURVIVAL_METHODS`,
        :data:`MEDIAN_METHODS`).
    default : bool
        Whether it is what the program does without options.
    description : str
    source : str
        Documentation the entry rests on.
    confirmed : bool
        ``False`` when the documentation consulted does not state the method outright.
    """

    software: str
    short: str
    quantity: Quantity
    method: str
    default: bool
    description: str
    source: str
    confirmed: bool = True


_R_SRC = "R survival 3.5 ?survfit.formula (conf.type: \"log\" (the default)); ?survfit_confint"
_R_Q = "R survival 3.5 ?quantile.survfit (limits where 1 - p meets the confidence limits)"
_SAS_SRC = (
    "SAS/STAT User's Guide, PROC LIFETEST statement, CONFTYPE= (default LOGLOG); "
    "SAS Usage Note 12983 (log-log limits from SAS 9.1, linear before)"
)
_SAS_Q = (
    "SAS/STAT User's Guide, PROC LIFETEST, Computational Formulas (Brookmeyer-Crowley "
    "quartile CI with the CONFTYPE= transform)"
)
_STATA_SRC = "Stata [ST] sts, Methods and formulas (CI from the variance of ln[-ln S(t)])"
_LL_SRC = "lifelines 0.30 KaplanMeierFitter (exponential Greenwood formula; no option)"
_SKS_SRC = "scikit-survival kaplan_meier_estimator(conf_type=None | 'log-log')"
_SCIPY_SRC = "SciPy 1.11 EmpiricalDistributionFunction.confidence_interval(method='linear')"
_PRISM_SRC = (
    "GraphPad Prism 5/7/8 guides: asymmetrical (log-log, exponential Greenwood) default, "
    "symmetrical Greenwood 1.96 SE option (the only choice before Prism 5)"
)
_SPSS_SRC = (
    "IBM SPSS Statistics Advanced Statistics, Kaplan-Meier: survival table with cumulative "
    "proportion surviving and its standard error; median with standard error and 95% CI"
)
_MEDCALC_SRC = "MedCalc manual, Kaplan-Meier survival analysis (transform not stated)"

#: Every catalogued way of producing a printed CI.
CATALOGUE: Final[tuple[CatalogueEntry, ...]] = (
    # ---------------------------------------------------------------- survival S(t)
    CatalogueEntry("R survival (survfit)", "R", "survival", "log", True,
             "S exp(+/- z SE(log S)), upper limit clipped at 1", _R_SRC),
    CatalogueEntry("R survival (survfit)", "R", "survival", "plain", False,
             "conf.type='plain': S +/- z S SE(log S), clipped to [0, 1]", _R_SRC),
    CatalogueEntry("R survival (survfit)", "R", "survival", "log-log", False,
             "conf.type='log-log'", _R_SRC),
    CatalogueEntry("R survival (survfit)", "R", "survival", "logit", False,
             "conf.type='logit'", _R_SRC),
    CatalogueEntry("R survival (survfit)", "R", "survival", "arcsin", False,
             "conf.type='arcsin'", _R_SRC),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "survival", "log-log", True,
             "CONFTYPE=LOGLOG (default since SAS 9.1)", _SAS_SRC),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "survival", "plain", False,
             "CONFTYPE=LINEAR (and the OUTSURV= limits before SAS 9.1)", _SAS_SRC),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "survival", "log", False, "CONFTYPE=LOG", _SAS_SRC),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "survival", "logit", False, "CONFTYPE=LOGIT",
             _SAS_SRC),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "survival", "arcsin", False, "CONFTYPE=ASINSQRT",
             _SAS_SRC),
    CatalogueEntry("Stata sts list", "Stata", "survival", "log-log", True,
             "ln[-ln S(t)] transform; the Greenwood SE is printed but not used", _STATA_SRC),
    CatalogueEntry("lifelines KaplanMeierFitter", "lifelines", "survival", "log-log", True,
             "exponential Greenwood (log-log) only", _LL_SRC),
    CatalogueEntry("scikit-survival kaplan_meier_estimator", "scikit-survival", "survival",
             "log-log", True, "conf_type='log-log' (the only transform)", _SKS_SRC),
    CatalogueEntry("SciPy stats.ecdf", "SciPy", "survival", "plain", True,
             "method='linear': Greenwood S +/- z SE(S), clipped to [0, 1]", _SCIPY_SRC),
    CatalogueEntry("SciPy stats.ecdf", "SciPy", "survival", "log-log", False,
             "method='log-log' (exponential Greenwood)", _SCIPY_SRC),
    CatalogueEntry("GraphPad Prism", "Prism", "survival", "log-log", True,
             "asymmetrical intervals (Prism 5 and later)", _PRISM_SRC),
    CatalogueEntry("GraphPad Prism", "Prism", "survival", "plain", False,
             "symmetrical Greenwood intervals, 1.96 SE, trimmed to 0-100%", _PRISM_SRC),
    CatalogueEntry("IBM SPSS Statistics", "SPSS", "survival", "hand", True,
             "no CI printed for S(t): authors compute estimate +/- 1.96 SE by hand from the "
             "printed (rounded) estimate and standard error", _SPSS_SRC),
    CatalogueEntry("spreadsheet / by hand", "spreadsheet", "survival", "hand", True,
             "estimate +/- z SE from rounded numbers", "see survkit.check.hand"),
    CatalogueEntry("MedCalc", "MedCalc", "survival", "plain", True,
             "survival with standard error; the CI transform is not stated",
             _MEDCALC_SRC, confirmed=False),
    # ---------------------------------------------------------------- median
    CatalogueEntry("R survival (survfit)", "R", "median", "log", True,
             "times where the log confidence limits cross 0.5", _R_Q),
    *(
        CatalogueEntry("R survival (survfit)", "R", "median", ct, False,
                 f"times where the {ct} confidence limits cross 0.5", _R_Q)
        for ct in ("plain", "log-log", "logit", "arcsin")
    ),
    CatalogueEntry("SAS PROC LIFETEST", "SAS", "median", "log-log", True,
             "Brookmeyer-Crowley test inversion, CONFTYPE=LOGLOG", _SAS_Q),
    *(
        CatalogueEntry("SAS PROC LIFETEST", "SAS", "median", ct, False,
                 f"Brookmeyer-Crowley test inversion, CONFTYPE={name}", _SAS_Q)
        for ct, name in (("plain", "LINEAR"), ("log", "LOG"), ("logit", "LOGIT"),
                         ("arcsin", "ASINSQRT"))
    ),
    CatalogueEntry("Stata stci", "Stata", "median", "log-log", True,
             "Brookmeyer-Crowley limits from the ln[-ln S(t)] confidence limits",
             "Stata [ST] stci, Methods and formulas", confirmed=False),
    CatalogueEntry("lifelines KaplanMeierFitter", "lifelines", "median", "log-log", True,
             "median_survival_times(confidence_interval_): log-log limits crossing 0.5",
             _LL_SRC),
    CatalogueEntry("IBM SPSS Statistics", "SPSS", "median", "symmetric", True,
             "median +/- 1.96 SE(median), symmetric in time", _SPSS_SRC),
    CatalogueEntry("MedCalc", "MedCalc", "median", "symmetric", True,
             "95% CI for the median; method not stated", _MEDCALC_SRC, confirmed=False),
)

#: Short software names in catalogue order.
SOFTWARE: Final[tuple[str, ...]] = tuple(dict.fromkeys(m.short for m in CATALOGUE))

_LABELS: Final[dict[str, str]] = {
    "log": "R survfit default",
    "log-log": "SAS, Stata, lifelines, Prism defaults",
    "plain": "SciPy default, SAS/R/Prism option",
    "logit": "R or SAS option",
    "arcsin": "R or SAS option",
    "hand": "SPSS or a spreadsheet",
    "symmetric": "SPSS",
}


def _check_quantity(quantity: object) -> Quantity:
    if quantity == "survival":
        return "survival"
    if quantity == "median":
        return "median"
    raise ValueError(f"quantity must be 'survival' or 'median', got {quantity!r}")


def _check_method(method: object, quantity: Quantity) -> str:
    allowed = SURVIVAL_METHODS if quantity == "survival" else MEDIAN_METHODS
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, got {type(method).__name__}")
    if method not in allowed:
        raise ValueError(f"method must be one of {allowed} for a {quantity} CI, got {method!r}")
    return method


def entries(
    *, software: str | None = None, method: str | None = None, quantity: Quantity | None = None
) -> tuple[CatalogueEntry, ...]:
    """Catalogue entries filtered by short software name, check method and quantity."""
    if software is not None and software not in SOFTWARE:
        raise ValueError(f"software must be one of {SOFTWARE}, got {software!r}")
    q = None if quantity is None else _check_quantity(quantity)
    return tuple(
        m for m in CATALOGUE
        if (software is None or m.short == software)
        and (method is None or m.method == method)
        and (q is None or m.quantity == q)
    )


def software_for(
    method: str, quantity: Quantity = "survival", *, defaults_only: bool = False
) -> tuple[str, ...]:
    """Short names of the software that produce ``method`` (defaults first).

    >>> software_for("log-log", defaults_only=True)
    ('SAS', 'Stata', 'lifelines', 'scikit-survival', 'Prism')
    """
    q = _check_quantity(quantity)
    _check_method(method, q)
    hits = [m for m in CATALOGUE if m.quantity == q and m.method == method]
    if defaults_only:
        hits = [m for m in hits if m.default]
    hits.sort(key=lambda m: not m.default)
    return tuple(dict.fromkeys(m.short for m in hits))


def methods_for(
    software: str, quantity: Quantity = "survival", *, defaults_only: bool = False
) -> tuple[str, ...]:
    """The check methods one software can produce for ``quantity`` (its default first).

    >>> methods_for("Stata")
    ('log-log',)
    >>> methods_for("SPSS", "median")
    ('symmetric',)
    """
    if software not in SOFTWARE:
        raise ValueError(f"software must be one of {SOFTWARE}, got {software!r}")
    q = _check_quantity(quantity)
    hits = [m for m in CATALOGUE if m.short == software and m.quantity == q]
    if defaults_only:
        hits = [m for m in hits if m.default]
    hits.sort(key=lambda m: not m.default)
    return tuple(dict.fromkeys(m.method for m in hits))


def software_label(method: str, quantity: Quantity = "survival") -> str:
    """One line naming the software a method points to, e.g. ``"log: R survfit default"``."""
    q = _check_quantity(quantity)
    _check_method(method, q)
    if q == "median" and method != "symmetric":
        return f"{method}: band crossing (R, SAS, Stata, lifelines with this transform)"
    return f"{method}: {_LABELS[method]}"


def likely_software(methods: Iterable[str], quantity: Quantity = "survival") -> str:
    """The software consistent with every printed CI of a paper, from its consistent methods.

    ``methods`` are the check methods found consistent; the answer names the software whose
    default is among them (``"R"`` for ``log``, ``"SAS/Stata/lifelines/..."`` for
    ``log-log``, ``"SPSS or by hand"`` for ``hand``), ``"option of R/SAS"`` when only
    non-default methods fit, and ``"none"`` when no method fits.
    """
    q = _check_quantity(quantity)
    ms = [_check_method(m, q) for m in methods]
    if not ms:
        return "none"
    defaults: list[str] = []
    for m in ms:
        for s in software_for(m, q, defaults_only=True):
            if s not in defaults and s != "MedCalc":
                defaults.append(s)
    if defaults:
        if defaults == ["SPSS", "spreadsheet"]:
            return "SPSS or by hand"
        return "/".join(s if s != "spreadsheet" else "by hand" for s in defaults)
    opts: list[str] = []
    for m in ms:
        for s in software_for(m, q):
            if s not in opts:
                opts.append(s)
    return "option of " + "/".join(opts) if opts else "none"


def common_software(
    survival: Iterable[str] | None, median: Iterable[str] | None = None
) -> tuple[str, ...]:
    """Software that can produce every printed CI of one paper (catalogue order).

    ``survival`` and ``median`` are the check methods found consistent for the paper's
    landmark CIs and for its median CI (``None``: nothing of that kind printed). A software is
    kept when it has a survival method among ``survival`` and a median method among
    ``median`` (options included: SAS ``CONFTYPE=LOG`` counts for ``log``). Empty when no
    single software explains the paper -- e.g. a hand-computed symmetric landmark CI beside a
    band-crossing median: landmarks by hand, medians by a program.

    >>> common_software(["hand"], ["symmetric"])
    ('SPSS',)
    >>> common_software(["log"], ["log"])
    ('R', 'SAS')
    """
    if survival is None and median is None:
        raise ValueError("common_software needs survival or median methods")
    surv = None if survival is None else {_check_method(m, "survival") for m in survival}
    med = None if median is None else {_check_method(m, "median") for m in median}
    out = []
    for s in SOFTWARE:
        if surv is not None and not surv & set(methods_for(s, "survival")):
            continue
        if med is not None and not med & set(methods_for(s, "median")):
            continue
        out.append(s)
    return tuple(out)
