"""Trial spec: the bundled seed loads, and malformed specs are rejected with clear messages."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from survkit.reconstruct.trial import MONTH_DAYS, Printed, Trial, bundled_spec_path

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
    p = Printed.parse("15.1", "x")
    # half-up/half-even give [15.05, 15.15]; truncation [15.1, 15.2): union [15.05, 15.2]
    assert math.isclose(p.lower, 15.05) and math.isclose(p.upper, 15.2)
    assert math.isnan(Printed.parse("NR", "x").value)


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
