"""The goals of check_ci on endpoints printed by R survfit (tests/fixtures/check_r_cases.csv).

240 cases from ``tests/r/make_check_fixtures.R``: random n in 5..60, integer-month times with
ties, random censoring, random conf.type, printed by ``sprintf`` (rounding to nearest) with 0
or 1 decimals. The true transform and the true history (tied events expanded) come from R.
Goals, one parametrised case each: the true transform is always kept, labelled "nearest"; the
true history is always listed for n <= 25, labelled "nearest". A fast subset (every eighth
case) runs by default; the full set and the exclusion-rate sweep are marked ``slow``
(``python -m pytest -m slow tests/test_check_r_cases.py``); benchmarks/bench_check.py
measures the exclusion rate (docs/checking.md states the figure).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from survkit.check.ci_check import check_ci
from survkit.estimate.ci import CONF_TYPES

CASES = pd.read_csv(Path(__file__).parent / "fixtures" / "check_r_cases.csv")
SMALL = CASES[CASES.n <= 25]
BIG = CASES[CASES.n > 25]


def hist(s: object) -> tuple[int, ...]:
    return tuple(int(x) for x in str(s).split())


def cases(frame: pd.DataFrame, fast_every: int = 8) -> list[Any]:
    """One pytest param per row, id ``case<id>-n<n>-<transform>``; all but every
    ``fast_every``-th are marked slow."""
    out = []
    for k, row in enumerate(frame.itertuples()):
        marks = () if k % fast_every == 0 else (pytest.mark.slow,)
        out.append(
            pytest.param(row, id=f"case{row.id}-n{row.n}-{row.conf_type}", marks=marks)
        )
    return out


def test_fixture_sizes() -> None:
    assert len(CASES) == 240 and len(SMALL) >= 80


@pytest.mark.parametrize("row", cases(SMALL))
def test_true_transform_kept_and_history_listed(row: Any) -> None:
    res = check_ci(row.text, n=int(row.n), max_histories=1_000_000)
    assert res.exhaustive, row.text
    assert row.conf_type in res.consistent, (row.id, row.text)
    # sprintf rounds to nearest: the verdict and the true history hold under "nearest"
    assert "nearest" in res.methods[row.conf_type].rounding, (row.id, row.text)
    by = {h.at_risk: h for h in res.histories[row.conf_type]}
    assert hist(row.history) in by, row.id
    assert "nearest" in by[hist(row.history)].rounding, row.id
    near = check_ci(row.text, n=int(row.n), rounding="nearest", max_histories=1_000_000)
    assert hist(row.history) in {h.at_risk for h in near.histories[row.conf_type]}, row.id


@pytest.mark.parametrize("row", cases(SMALL))
def test_with_risk_table_facts(row: Any) -> None:
    res = check_ci(
        row.text,
        n=int(row.n),
        n_risk_at=int(row.n_risk_at),
        events_before=int(row.events_before),
        max_histories=1_000_000,
    )
    assert row.conf_type in res.consistent, row.id
    assert hist(row.history) in {h.at_risk for h in res.histories[row.conf_type]}, row.id


@pytest.mark.parametrize("row", cases(BIG.iloc[::6], fast_every=4))
def test_n_above_25_true_history_listed_or_counted(row: Any) -> None:
    """For 25 < n <= 60 the true history is listed whenever the count is exact, and the
    DP's upper bound is never below the number of histories found (recall)."""
    res = check_ci(row.text, n=int(row.n), max_histories=1_000_000, max_states=300_000)
    m = res.methods[row.conf_type]
    assert m.consistent and m.n_histories_upper is not None and m.n_histories is not None
    assert m.n_histories <= m.n_histories_upper
    if m.count_exact:
        assert hist(row.history) in {h.at_risk for h in res.histories[row.conf_type]}


@pytest.mark.slow
def test_exclusion_rate_all_cases() -> None:
    """All 240 cases (n <= 60) with the default rounding ("any") and a small listing budget:
    exclusion rests on the counting DP (an outward upper bound on the number of histories;
    zero excludes). The true transform is always kept; every kept wrong transform either has
    a listed, re-verified history or a positive DP bound."""
    excluded = kept = 0
    for row in CASES.itertuples():
        res = check_ci(row.text, n=int(row.n), max_histories=10, max_states=20_000)
        kept += row.conf_type in res.consistent
        excluded += 5 - len(res.consistent)
        for ct in res.consistent:
            m = res.methods[ct]
            assert m.n_histories_upper is not None and m.n_histories_upper > 0, (row.id, ct)
        for ct in set(CONF_TYPES) - set(res.consistent):
            assert res.methods[ct].n_histories in (0, None), (row.id, ct)
    rate = excluded / (4 * len(CASES))
    print(f"\n{len(CASES)} cases, true kept {kept}, wrong excluded {rate:.1%}")
    assert kept == len(CASES)
    assert rate >= 0.895


@pytest.mark.slow
def test_exclusion_rate_small_n() -> None:
    excluded = 0
    for row in SMALL.itertuples():
        res = check_ci(row.text, n=int(row.n), max_histories=10)
        excluded += 5 - len(res.consistent)
    rate = excluded / (4 * len(SMALL))
    print(f"\nn <= 25: {len(SMALL)} cases, wrong transforms excluded {rate:.1%}")
    assert rate >= 0.95
