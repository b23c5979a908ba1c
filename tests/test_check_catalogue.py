"""The catalogue of CI methods: each documented default maps to its software and back.

Expected values are the documented defaults (sources in survkit.check.catalogue): R survfit
conf.type "log"; SAS PROC LIFETEST CONFTYPE=LOGLOG; Stata sts ln[-ln S]; lifelines and
scikit-survival log-log only; SciPy ecdf method="linear"; SPSS prints no CI for S(t).
"""

from __future__ import annotations

import pytest

from survkit.check.catalogue import (
    CATALOGUE,
    SOFTWARE,
    likely_software,
    methods_for,
    software_for,
    software_label,
)


def test_documented_defaults() -> None:
    assert methods_for("R", defaults_only=True) == ("log",)
    assert methods_for("SAS", defaults_only=True) == ("log-log",)
    assert methods_for("Stata") == ("log-log",)
    assert methods_for("lifelines") == ("log-log",)
    assert methods_for("scikit-survival") == ("log-log",)
    assert methods_for("SciPy", defaults_only=True) == ("plain",)
    assert methods_for("SPSS") == ("hand",)
    assert methods_for("SPSS", "median") == ("symmetric",)
    assert set(methods_for("R")) == {"plain", "log", "log-log", "logit", "arcsin"}


def test_software_of_a_method() -> None:
    assert software_for("log", defaults_only=True) == ("R",)
    assert {"SAS", "Stata", "lifelines"} <= set(software_for("log-log", defaults_only=True))
    assert software_for("hand") == ("SPSS", "spreadsheet")
    assert software_label("log") == "log: R survfit default"
    assert software_label("hand") == "hand: SPSS or a spreadsheet"
    assert software_label("log-log").startswith("log-log: SAS, Stata, lifelines")


def test_likely_software() -> None:
    assert likely_software(["log"]) == "R"
    assert likely_software(["hand"]) == "SPSS or by hand"
    assert likely_software([]) == "none"
    assert likely_software(["logit"]).startswith("option of R")


def test_every_entry_has_a_source() -> None:
    assert all(m.source for m in CATALOGUE)
    assert set(SOFTWARE) >= {"R", "SAS", "Stata", "lifelines", "SPSS", "Prism", "MedCalc"}


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="software must be one of"):
        methods_for("Excel")
    with pytest.raises(ValueError, match="method must be one of"):
        software_for("cloglog")
    with pytest.raises(ValueError, match="quantity"):
        software_for("log", "mean")  # type: ignore[arg-type]


def test_common_software_of_a_paper() -> None:
    from survkit.check.catalogue import common_software

    assert common_software(["hand"], ["symmetric"]) == ("SPSS",)
    assert common_software(["log"], ["log"]) == ("R", "SAS")  # SAS: CONFTYPE=LOG option
    assert {"SAS", "Stata", "lifelines"} <= set(common_software(["log-log"], ["log-log"]))
    # a hand-computed landmark CI beside a band-crossing median: no single software
    assert common_software(["hand"], ["log-log"]) == ()
    assert common_software(["log"], None) == ("R", "SAS")
    with pytest.raises(ValueError, match="needs"):
        common_software(None, None)
