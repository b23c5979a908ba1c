"""The goals of check_ci on endpoints printed by R survfit (tests/fixtures/check_r_cases.csv).

240 cases from ``tests/r/make_check_fixtures.R``: random n in 5..60, integer-month times with
ties, random censoring, random conf.type, printed by ``sprintf`` with 0 or 1 decimals. The true
transform and the true history (tied events expanded) come from R. Goals: the true transform is
always kept; the true history is always listed for n <= 25; the share of wrong transforms
excluded is measured (docs/checking.md states the figure).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from survkit.check.ci_check import check_ci
from survkit.estimate.ci import CONF_TYPES

CASES = pd.read_csv(Path(__file__).parent / "fixtures" / "check_r_cases.csv")


def hist(s: object) -> tuple[int, ...]:
    return tuple(int(x) for x in str(s).split())


def test_true_transform_kept_and_history_listed_small_n() -> None:
    small = CASES[CASES.n <= 25]
    assert len(small) >= 80
    excluded = 0
    for row in small.itertuples():
        res = check_ci(row.text, n=int(row.n), max_histories=1_000_000)
        assert res.exhaustive, row.text
        assert row.conf_type in res.consistent, (row.id, row.text)
        assert hist(row.history) in {h.at_risk for h in res.histories[row.conf_type]}, row.id
        excluded += 5 - len(res.consistent)
    rate = excluded / (4 * len(small))
    print(f"\nn <= 25: {len(small)} cases, wrong transforms excluded {rate:.1%}")
    assert rate >= 0.95


def test_with_risk_table_facts() -> None:
    small = CASES[CASES.n <= 25]
    for row in small.itertuples():
        res = check_ci(
            row.text,
            n=int(row.n),
            n_risk_at=int(row.n_risk_at),
            events_before=int(row.events_before),
            max_histories=1_000_000,
        )
        assert row.conf_type in res.consistent, row.id
        assert hist(row.history) in {h.at_risk for h in res.histories[row.conf_type]}, row.id


def test_exclusion_rate_all_cases() -> None:
    """All 240 cases (n <= 60) with the default rounding ("any") and a small listing budget:
    exclusion rests on the counting DP (an outward upper bound on the number of histories;
    zero excludes), so the listing budget does not change which transforms are excluded,
    apart from the few a finer DP or an exhaustive listing decides (benchmarks/bench_check.py
    measures the default). The true transform is always kept; every kept wrong transform
    either has a listed, re-verified history or a positive DP bound."""
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


def test_n_above_25_true_history_listed_or_counted() -> None:
    """For 25 < n <= 60 the true history is listed whenever the count is exact, and the
    DP's upper bound is never below the number of histories found (recall)."""
    big = CASES[CASES.n > 25].iloc[::6]
    for row in big.itertuples():
        res = check_ci(row.text, n=int(row.n), max_histories=1_000_000, max_states=300_000)
        m = res.methods[row.conf_type]
        assert m.consistent and m.n_histories_upper is not None and m.n_histories is not None
        assert m.n_histories <= m.n_histories_upper
        if m.count_exact:
            assert hist(row.history) in {h.at_risk for h in res.histories[row.conf_type]}
