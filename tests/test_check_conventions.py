"""One rounding convention per paper: check_ci on endpoints R printed both ways.

tests/fixtures/check_conventions.csv (tests/r/make_printed_fixtures.R): 120 random datasets
(n 5..18, tied integer-month times, random censoring and conf.type), R survfit at a landmark,
the true history (ties expanded), and the endpoint printed by sprintf (rounded to nearest) and
truncated. Goals: rounding="nearest" on the sprintf text keeps the true transform and lists the
true history; rounding="truncate" does on the truncated text; "any" keeps both and labels them
with the convention that printed them. A fast subset (every sixth case) runs by default.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.check.ci_check import check_ci
from survkit.check.history import history_dataset
from survkit.estimate.ci import CONF_TYPES
from survkit.estimate.km import kaplan_meier

CASES = pd.read_csv(Path(__file__).parent / "fixtures" / "check_conventions.csv")


def hist(s: object) -> tuple[int, ...]:
    return tuple(int(x) for x in str(s).split())


def params() -> list[Any]:
    return [
        pytest.param(
            row,
            id=f"case{row.id}-n{row.n}-{row.conf_type}-d{row.decimals}",
            marks=() if k % 6 == 0 else (pytest.mark.slow,),
        )
        for k, row in enumerate(CASES.itertuples())
    ]


def test_fixture() -> None:
    assert len(CASES) == 120
    # the two printings differ in at least one number for most cases
    assert (CASES.text_nearest != CASES.text_truncate).mean() > 0.5


@pytest.mark.parametrize("row", params())
def test_each_convention_recalls_the_truth(row: Any) -> None:
    true_h = hist(row.history)
    for text, conv in ((row.text_nearest, "nearest"), (row.text_truncate, "truncate")):
        one = check_ci(text, n=int(row.n), rounding=conv, max_histories=1_000_000)
        assert one.exhaustive, text
        assert row.conf_type in one.consistent, (row.id, text, conv)
        assert one.methods[row.conf_type].rounding == (conv,)
        assert true_h in {h.at_risk for h in one.histories[row.conf_type]}, (row.id, conv)
        both = check_ci(text, n=int(row.n), max_histories=1_000_000)
        assert row.conf_type in both.consistent and conv in both.methods[row.conf_type].rounding
        by = {h.at_risk: h.rounding for h in both.histories[row.conf_type]}
        assert conv in by[true_h], (row.id, text, conv, by[true_h])
        # a history labelled with a convention is listed under that convention alone
        only = {h for h, labels in by.items() if conv in labels}
        assert only == {h.at_risk for h in one.histories[row.conf_type]}


def _truncate(x: float, d: int) -> str:
    return f"{Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_DOWN):f}"


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 14), st.data())
def test_random_history_printed_both_ways(n: int, data: st.DataObject) -> None:
    """A random history of n patients, its KM and CI (identical to R survfit, see
    tests/test_km_r.py) printed with Python's correctly rounded formatting (as R's sprintf)
    and truncated: each convention recalls the history, and "any" labels it."""
    k = data.draw(st.integers(1, n - 1))
    h = tuple(sorted(data.draw(st.sets(st.integers(2, n), min_size=1, max_size=k)), reverse=True))
    ct = data.draw(st.sampled_from(CONF_TYPES))
    dec = data.draw(st.integers(0, 1))
    t, e, lm = history_dataset(h, None, n)
    row = kaplan_meier(t, e, conf_type=ct).at([lm[0]]).iloc[0]
    if not (0 < row.surv < 1) or np.isnan(row.lower) or np.isnan(row.upper):
        return
    vals = (100 * row.surv, 100 * row.lower, 100 * row.upper)
    for conv in ("nearest", "truncate"):
        if conv == "nearest":
            est, lo, up = (f"{v:.{dec}f}" for v in vals)
        else:
            est, lo, up = (_truncate(v, dec) for v in vals)
        text = f"{est}% ({lo}, {up})"
        res = check_ci(text, n=n, rounding=conv, max_histories=100_000)  # type: ignore[arg-type]
        assert ct in res.consistent and h in {x.at_risk for x in res.histories[ct]}, text
        anyr = check_ci(text, n=n, max_histories=100_000)
        labels = {x.at_risk: x.rounding for x in anyr.histories[ct]}
        assert conv in labels[h], (text, conv, labels[h])
