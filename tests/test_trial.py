"""Trial spec: the bundled seed loads, and malformed specs are rejected with clear messages."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from survkit.trial.spec import MONTH_DAYS, SpecNumber, Trial, bundled_spec_path

ROOT = Path(__file__).resolve().parents[1]

MINIMAL = """
[trial]
id = "X"
n = 10
[accrual]
start = 2021-11-01
end = 2023-09-30
cutoff = 2023-11-08
[[endpoints]]
name = "OS"
landmarks = [{ time = 12, text = "68% (95% CI, 43-100)" }]
"""


def test_seed_loads_and_matches_example() -> None:
    t = Trial.seed()
    assert t.n == 10 and t.id == "NCT04599556"
    assert t.cutoff == dt.date(2023, 11, 8)
    assert [e.name for e in t.endpoints] == ["OS", "DFS"]
    assert len(t.readings) == 4 and t.deaths_listed
    # the example copy is the same spec
    assert (ROOT / "examples/nct04599556/trial.toml").read_text() == bundled_spec_path().read_text()


def test_month_and_printed_interval() -> None:
    assert MONTH_DAYS == 365.25 / 12
    p = SpecNumber.parse("15.1", "x")
    # nearest (half-up or half-even) gives [15.05, 15.15] (default); truncation [15.1, 15.2]
    assert math.isclose(p.lower, 15.05) and math.isclose(p.upper, 15.15)
    t = SpecNumber.parse("15.1", "x", "truncate")
    assert math.isclose(t.lower, 15.1) and math.isclose(t.upper, 15.2)
    assert math.isnan(SpecNumber.parse("NR", "x").value)


def test_minimal_spec() -> None:
    t = Trial.from_toml_string(MINIMAL)
    assert t.endpoint("os").events == ("death",)
    assert t.readings[0].events == ()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("n = 10", "n = 0"), "n must be at least 1"),
        (("n = 10", "n = 10\ncolour = 1"), "unknown key 'colour' in \\[trial\\]"),
        (("end = 2023-09-30", "end = 2021-09-30"), "dates out of order"),
        (("cutoff = 2023-11-08", "cutoff = 2023-09-01"), "dates out of order"),
        (("time = 12", "time = 30"), "after the cutoff"),
        (("[[endpoints]]", "[counts]\ndeaths = 11\n[[endpoints]]"), "exceeds n = 10"),
        (("[[endpoints]]", "[counts]\nrelapses = {min = 12}\n[[endpoints]]"), "exceeds n = 10"),
        (
            ("[[endpoints]]", "[counts]\nhospitalised = 1\n[[endpoints]]"),
            "unknown key 'hospitalised'",
        ),
        (('name = "OS"', 'name = "OS"\nevents = ["stroke"]'), "unknown event kind"),
    ],
)
def test_malformed_specs_rejected(edit: tuple[str, str], message: str) -> None:
    text = MINIMAL.replace(*edit, 1)
    with pytest.raises(ValueError, match=message):
        Trial.from_toml_string(text)


def test_bad_types_and_missing() -> None:
    with pytest.raises(TypeError, match="n must be an integer"):
        Trial.from_toml_string(MINIMAL.replace("n = 10", "n = 2.5"))
    with pytest.raises(ValueError, match="missing \\[accrual\\]"):
        Trial.from_toml_string(MINIMAL.split("[accrual]")[0])
    with pytest.raises(FileNotFoundError):
        Trial.from_toml("/nonexistent/trial.toml")
    with pytest.raises(ValueError, match="not valid TOML"):
        Trial.from_toml_string("[trial\n")


# ------------------------------------------------------------ median text, earliest relapse
def _spec(median: str = "", earliest: str = "") -> str:
    return f"""
[trial]
id = "X"
n = 10
{earliest}
[accrual]
start = 2020-01-01
end = 2020-12-31
cutoff = 2021-06-30
[[endpoints]]
name = "OS"
{median}
"""


def test_median_with_ci_is_parsed() -> None:
    t = Trial.from_toml_string(_spec('median = "14.2 months (95% CI, 10.1 to NR)"'))
    ep = t.endpoint("OS")
    assert ep.median is not None and ep.median.text == "14.2"
    # "10.1", one decimal, nearest (the default convention): [10.05, 10.15]; NR -> NaN
    lo, up = ep.median_bounds
    assert lo is not None and lo[0] == "10.1" and lo[1:] == pytest.approx((10.05, 10.15))
    assert up is not None and up[0] == "NR" and math.isnan(up[1])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("14.2 (95% CI, 10.1 to", "cannot read"),
        ("68% (95% CI, 43-100)", "cannot read"),
        ("NR (95% CI, 3.2 to 5.0)", "reached upper limit"),
        ("14.2 weeks (10 to 20)", "trial's unit is months"),
        ("about 14", "not a printed number"),
    ],
)
def test_malformed_median_rejected(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match) as exc:
        Trial.from_toml_string(_spec(f'median = "{text}"'))
    assert "endpoints[0].median" in str(exc.value)


def test_earliest_relapse_key() -> None:
    t = Trial.from_toml_string(_spec(earliest="earliest_relapse = 1"))
    assert t.earliest_relapse == 1.0 and t.earliest_relapse_day == 31  # ceil(30.4375)
    assert Trial.from_toml_string(_spec()).earliest_relapse_day == 1
    with pytest.raises(ValueError, match="earliest_relapse must be non-negative"):
        Trial.from_toml_string(_spec(earliest="earliest_relapse = -1"))
    with pytest.raises(TypeError, match="earliest_relapse"):
        Trial.from_toml_string(_spec(earliest='earliest_relapse = "1"'))
    assert Trial.seed().earliest_relapse == 1.0
    assert any("earliest_relapse" in a for a in Trial.seed().assumptions)
