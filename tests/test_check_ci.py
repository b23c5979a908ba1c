"""check_ci: exact history search against R survival (fixtures from tests/r/make_check_fixtures.R).

Expected numbers come from R (``tests/fixtures/check_*.csv``) or from the closed forms written in
the comments; none from survkit itself.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.check.ci_check import check_ci, history_dataset
from survkit.check.parse import Reported, parse_endpoint
from survkit.estimate.ci import CONF_TYPES
from survkit.estimate.km import kaplan_meier

FIX = Path(__file__).parent / "fixtures"


def hist_of(s: object) -> tuple[int, ...]:
    return () if not isinstance(s, str) or not s.strip() else tuple(int(x) for x in s.split())


def inside(x: float, iv: tuple[float, float]) -> bool:
    return iv[0] - 1e-12 <= x <= iv[1] + 1e-12


# ----------------------------------------------------------------------------- the seed
SEED_OS = "1-year OS 68% (95% CI, 43\u2013100)"
SEED_DFS = "1-year DFS 54% (95% CI, 29\u2013100)"


def brute_force_log(text: str, n: int) -> set[tuple[int, ...]]:
    """All histories of n patients whose log-transform CI prints as ``text``.

    S = prod (r-1)/r, var(log S) = sum 1/(r(r-1)) (Greenwood); log CI: S exp(-/+ z se),
    upper clipped at 1 (R survfit_confint, conf.type = "log").
    """
    z = 1.959963984540054
    out = set()
    # the three numbers of a line share one rounding convention: nearest or truncation
    for conv in ("nearest", "truncate"):
        rep = parse_endpoint(text, rounding=conv)
        for k in range(n):
            for h in combinations(range(n, 1, -1), k):
                s = math.prod((r - 1) / r for r in h)
                se = math.sqrt(sum(1.0 / (r * (r - 1)) for r in h))
                lo, up = s * math.exp(-z * se), min(1.0, s * math.exp(z * se))
                ok = inside(s, rep.estimate_interval) and inside(lo, rep.lower_interval)
                if ok and inside(up, rep.upper_interval):
                    out.add(h)
    return out


def test_seed_os_and_dfs() -> None:
    os_ = check_ci(SEED_OS, n=10)
    assert os_.consistent == ("log",)
    assert {h.at_risk for h in os_.histories["log"]} == brute_force_log(SEED_OS, 10) == {(10, 8, 7)}
    assert os_.n_histories["log"] == 1 and os_.exhaustive
    dfs = check_ci(SEED_DFS, n=10)
    assert dfs.consistent == ("log",)
    expected = brute_force_log(SEED_DFS, 10)
    assert {h.at_risk for h in dfs.histories["log"]} == expected == {(10, 8, 7, 5), (10, 9, 7, 5)}


def test_seed_nearest_gives_one_history_per_line() -> None:
    """Rounded to nearest, each seed line has exactly one history; (10, 9, 7, 5) with
    S = 0.9 * 8/9 * 6/7 * 4/5 = 0.548571 prints 55, so it holds only if truncated."""
    os_ = check_ci(SEED_OS, n=10, rounding="nearest")
    assert {h.at_risk for h in os_.histories["log"]} == {(10, 8, 7)}
    dfs = check_ci(SEED_DFS, n=10, rounding="nearest")
    assert {h.at_risk for h in dfs.histories["log"]} == {(10, 8, 7, 5)}
    assert dfs.consistent == ("log",) and dfs.methods["log"].rounding == ("nearest",)
    both = check_ci(SEED_DFS, n=10)  # rounding="any": both, each labelled
    labels = {h.at_risk: h.rounding for h in both.histories["log"]}
    assert labels == {(10, 8, 7, 5): ("nearest",), (10, 9, 7, 5): ("truncate",)}
    assert both.methods["log"].rounding == ("nearest", "truncate")
    trunc = check_ci(SEED_DFS, n=10, rounding="truncate")
    assert {h.at_risk for h in trunc.histories["log"]} == {(10, 9, 7, 5)}
    # the labels agree with brute force under one convention
    for conv, want in (("nearest", {(10, 8, 7, 5)}), ("truncate", {(10, 9, 7, 5)})):
        assert brute_force_log_under(SEED_DFS, 10, conv) == want


def brute_force_log_under(text: str, n: int, conv: str) -> set[tuple[int, ...]]:
    z = 1.959963984540054
    rep = parse_endpoint(text, rounding=conv)  # type: ignore[arg-type]
    out = set()
    for k in range(n):
        for h in combinations(range(n, 1, -1), k):
            s = math.prod((r - 1) / r for r in h)
            se = math.sqrt(sum(1.0 / (r * (r - 1)) for r in h))
            lo, up = s * math.exp(-z * se), min(1.0, s * math.exp(z * se))
            if (inside(s, rep.estimate_interval) and inside(lo, rep.lower_interval)
                    and inside(up, rep.upper_interval)):
                out.add(h)
    return out


def test_seed_histories_print_the_same_in_r() -> None:
    r = pd.read_csv(FIX / "check_seed.csv", dtype={"surv": float, "lower": float, "upper": float})
    for text, endpoint in ((SEED_OS, "OS"), (SEED_DFS, "DFS")):
        rep = parse_endpoint(text)
        res = check_ci(rep, n=10)
        for h in res.histories["log"]:
            row = r[(r.endpoint == endpoint) & (r.history == " ".join(map(str, h.at_risk)))
                    & (r.conf_type == "log")]
            assert len(row) == 1, h
            row = row.iloc[0]
            assert inside(row.surv, rep.estimate_interval)
            assert inside(row.lower, rep.lower_interval)
            assert inside(row.upper, rep.upper_interval)
            assert h.surv[0] == pytest.approx(row.surv, abs=1e-14)
        # under every other transform R prints other limits for these histories
        for ct in CONF_TYPES[:1] + CONF_TYPES[2:]:
            rows = r[(r.endpoint == endpoint) & (r.conf_type == ct)]
            for row in rows.itertuples():
                assert not (inside(row.lower, rep.lower_interval)
                            and inside(row.upper, rep.upper_interval))


def test_seed_without_n_uses_the_three_numbers() -> None:
    res = check_ci(SEED_OS)
    assert res.consistent == ("log",)
    m = res.methods["log"]
    # the history (10, 8, 7) has SE(log S) = sqrt(1/90 + 1/56 + 1/42) = 0.22973...
    assert m.se_log_range is not None
    assert m.se_log_range[0] <= 0.2297341 <= m.se_log_range[1]
    # log-log can never reach an upper limit of 99.5% together with a lower limit of 43%
    assert "log-log" not in res.consistent and res.methods["log-log"].reason
    assert res.histories == {} and not res.exhaustive


# ------------------------------------------------------------------- all histories of n = 9
ALL9 = pd.read_csv(FIX / "check_all9.csv", keep_default_na=False)
for _c in ("surv", "lower", "upper"):
    ALL9[_c] = pd.to_numeric(ALL9[_c].replace("NA", "nan"))
ALL9["h"] = ALL9["history"].map(hist_of)


def printed(row: pd.Series, d: int) -> str:
    f = f"{{:.{d}f}}"
    est, lo, up = (f.format(100 * x) for x in (row.surv, row.lower, row.upper))
    return f"{est}% (95% CI, {lo} to {up})"


def r_matches(rep: Reported, ct: str) -> set[tuple[int, ...]]:
    """R's histories whose numbers print as ``rep`` (one rounding convention per line)."""
    if rep.rounding == "any":
        return r_matches(parse_endpoint(rep.text, rounding="nearest"), ct) | r_matches(
            parse_endpoint(rep.text, rounding="truncate"), ct
        )
    rows = ALL9[ALL9.conf_type == ct]
    ok = (
        rows.surv.between(rep.estimate_interval[0] - 1e-12, rep.estimate_interval[1] + 1e-12)
        & rows.lower.between(rep.lower_interval[0] - 1e-12, rep.lower_interval[1] + 1e-12)
        & rows.upper.between(rep.upper_interval[0] - 1e-12, rep.upper_interval[1] + 1e-12)
    )
    return set(rows.h[ok])


def test_all_histories_of_nine_match_r_exactly() -> None:
    rows = ALL9[(ALL9.surv > 0) & (ALL9.surv < 1) & ALL9.lower.notna() & ALL9.upper.notna()]
    sample = rows.sample(60, random_state=3)
    for row in sample.itertuples():
        for d in (0, 1):
            text = printed(row, d)  # type: ignore[arg-type]
            rep = parse_endpoint(text)
            res = check_ci(rep, n=9)
            assert res.exhaustive
            # recall: the true transform and history are found
            assert row.conf_type in res.consistent, text
            for ct in CONF_TYPES:
                got = {h.at_risk for h in res.histories[ct]}
                assert got == r_matches(rep, ct), (text, ct)
                assert res.n_histories[ct] == len(got)
                assert (ct in res.consistent) == bool(got)


def test_joint_landmarks_against_r() -> None:
    # history (9, 7, 6, 4, 3): landmark 1 after two events (9, 7), landmark 2 after all five.
    log = ALL9[ALL9.conf_type == "log"].set_index("history")
    first, full = log.loc["9 7"], log.loc["9 7 6 4 3"]
    t1, t2 = printed(first, 1), printed(full, 1)
    res = check_ci([t1, t2], n=9)
    joint = {(h.at_risk, h.events_before) for h in res.histories["log"]}
    assert ((9, 7, 6, 4, 3), (2, 5)) in joint
    rep1, rep2 = parse_endpoint(t1), parse_endpoint(t2)
    for at_risk, (k1, _) in joint:
        assert at_risk[:k1] in r_matches(rep1, "log")
        assert at_risk in r_matches(rep2, "log")
    # jointly never more than the second landmark alone
    assert len({h for h, _ in joint}) <= len(r_matches(rep2, "log"))


# ----------------------------------------------------------------------------- ties
def test_tie_expansion_matches_r_with_ties() -> None:
    """d tied events at risk r == events at risk r, r-1, ..., r-d+1.

    (r-d)/r = prod_{i<d} (r-i-1)/(r-i) and d/(r(r-d)) = sum_{i<d} 1/((r-i)(r-i-1)), both
    telescoping; checked against R survfit on data with ties.
    """
    ties = pd.read_csv(FIX / "check_ties.csv")
    n_tied = 0
    for _, g in ties.groupby("dataset"):
        h: list[int] = []
        for row in g.itertuples():
            d = int(row.n_event)
            n_tied += d > 1
            h.extend(int(row.n_risk) - i for i in range(d))
            if row.surv == 0:
                break
            s = math.prod((r - 1) / r for r in h)
            v = sum(1.0 / (r * (r - 1)) for r in h)
            assert s == pytest.approx(row.surv, rel=1e-12, abs=1e-15)
            assert math.sqrt(v) == pytest.approx(row.std_err, rel=1e-12, abs=1e-15)
    assert n_tied > 20


@given(st.integers(2, 60), st.data())
def test_tie_expansion_is_exact(r: int, data: st.DataObject) -> None:
    d = data.draw(st.integers(1, r - 1))
    prod = math.prod(Fraction(r - i - 1, r - i) for i in range(d))
    var = sum(Fraction(1, (r - i) * (r - i - 1)) for i in range(d))
    assert prod == Fraction(r - d, r)
    assert var == Fraction(d, r * (r - d))


# ----------------------------------------------------------------------------- recall property
@settings(max_examples=40, deadline=None)
@given(st.integers(3, 16), st.data())
def test_any_history_is_recalled(n: int, data: st.DataObject) -> None:
    """Whatever history and transform made the printed numbers, check_ci lists it."""
    k = data.draw(st.integers(1, n - 1))
    h = tuple(sorted(data.draw(st.sets(st.integers(2, n), min_size=1, max_size=k)), reverse=True))
    ct = data.draw(st.sampled_from(CONF_TYPES))
    dec = data.draw(st.integers(0, 1))
    t, e, lm = history_dataset(h, None, n)
    fit = kaplan_meier(t, e, conf_type=ct)
    row = fit.at([lm[0]]).iloc[0]
    if not (0 < row.surv < 1) or np.isnan(row.lower) or np.isnan(row.upper):
        return
    f = f"{{:.{dec}f}}"
    text = f"{f.format(100 * row.surv)}% ({f.format(100 * row.lower)}, {f.format(100 * row.upper)})"
    res = check_ci(text, n=n, max_histories=100_000)
    assert ct in res.consistent, text
    assert h in {x.at_risk for x in res.histories[ct]}, text


# ----------------------------------------------------------------------------- facts and errors
def test_facts_narrow_the_histories() -> None:
    free = check_ci(SEED_DFS, n=10)
    narrowed = check_ci(SEED_DFS, n=10, events_before=4, n_risk_at=4)
    # (10, 8, 7, 5) and (10, 9, 7, 5) both end at risk set 5 -> at most 4 at risk afterwards
    assert {h.at_risk for h in narrowed.histories["log"]} == {(10, 8, 7, 5), (10, 9, 7, 5)}
    none = check_ci(SEED_DFS, n=10, events_before=3)
    assert none.consistent == () and "given facts" in none.methods["log"].reason
    # R counts at risk at t those with time >= t: 5 at risk is possible only if the event at
    # risk set 5 happens exactly at the landmark; 6 at risk is impossible (no event at 6
    # and the last event at 5 leaves at most 4).
    assert check_ci(SEED_DFS, n=10, n_risk_at=5).n_histories["log"] == 2
    assert check_ci(SEED_DFS, n=10, n_risk_at=6).n_histories["log"] == 0
    assert free.n_histories["log"] == 2


def test_history_dataset_realises_the_risk_sets() -> None:
    t, e, lm = history_dataset((10, 8, 7, 5), (2, 4), 10)
    fit = kaplan_meier(t, e)
    risk_at_events = fit.n_risk[fit.n_event > 0]
    assert list(risk_at_events) == [10, 8, 7, 5]
    # landmark 1 after two events: S = 9/10 * 7/8
    assert fit.survival_at(lm)[0] == pytest.approx(0.9 * 7 / 8, abs=1e-15)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="n must be >= 1"):
        check_ci(SEED_OS, n=0)
    with pytest.raises(TypeError, match="n must be an integer"):
        check_ci(SEED_OS, n=10.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="n_risk_at = 12 exceeds n = 10"):
        check_ci(SEED_OS, n=10, n_risk_at=12)
    with pytest.raises(ValueError, match="events_before has 2 values for 1"):
        check_ci(SEED_OS, n=10, events_before=[1, 2])
    with pytest.raises(ValueError, match="expected"):
        check_ci("not an endpoint", n=10)
    with pytest.raises(ValueError, match="conf_level"):
        check_ci(SEED_OS, n=10, conf_level=1.5)


def test_larger_n_falls_back_and_says_so() -> None:
    # above n = 500 nothing is counted or listed: the verdicts come from the three numbers
    huge = check_ci("40% (95% CI, 31 to 49)", n=600)
    assert huge.histories == {} and any("not enumerated" in note for note in huge.notes)
    assert huge.consistent == check_ci("40% (95% CI, 31 to 49)").consistent
    # n = 120: counted by the DP, listed as far as the budget reaches, and said so
    res = check_ci("40% (95% CI, 31 to 49)", n=120, max_states=20_000)
    assert any("counting DP" in note for note in res.notes)
    for ct in CONF_TYPES:
        m = res.methods[ct]
        assert m.n_histories is not None and m.n_histories_upper is not None
        assert m.n_histories <= m.n_histories_upper
        assert m.consistent == (m.n_histories_upper > 0)  # kept unless the DP proves zero
        # undecided methods keep every convention the DP under it alone cannot exclude
        assert bool(m.rounding) == m.consistent and set(m.rounding) <= {"nearest", "truncate"}
        assert len(res.histories[ct]) == min(m.n_histories, 10_000)
    # The DP excludes what the three numbers alone allow. Plain limits are S -/+ w with
    # w = z SE(log S) S, so 40.0 (31.3, 48.7) needs w <= min(0.4875 - S, S - 0.3125), which is
    # largest (0.0875) at S = 0.4; the effective sample size (1 - S) / (S SE(log S)^2) =
    # (1 - S) S z^2 / w^2 is then at least 0.6 * 0.4 * 1.96^2 / 0.0875^2 = 120.4 (and more at
    # any other S in [0.3995, 0.4005]). Any history of n patients has
    # V = var(log S) >= (1/S - 1)/n (the top block n, n-1, ... minimises the variance of a
    # decrease a: V >= (e^a - 1)/n), i.e. an effective sample size <= n = 120 < 120.4.
    nonn = check_ci("40.0% (95% CI, 31.3 to 48.7)")
    assert "plain" in nonn.consistent
    narrow = check_ci("40.0% (95% CI, 31.3 to 48.7)", n=120)
    assert "plain" not in narrow.consistent
    assert narrow.methods["plain"].n_histories_upper == 0 and narrow.methods["plain"].count_exact
    budget = check_ci("40% (95% CI, 28 to 52)", n=60, max_states=2_000)
    assert not budget.exhaustive and any("lower bound" in note for note in budget.notes)
    assert "plain" in budget.consistent  # symmetric limits: plain fits


def test_states_count_the_listing_work() -> None:
    """``CICheck.states``: none without ``n`` (nothing is searched); a search that stops on
    its budget has visited more than ``max_states`` states; the same call counts the same."""
    assert check_ci("40% (95% CI, 28 to 52)").states == 0
    cut = check_ci("40% (95% CI, 28 to 52)", n=60, max_states=2_000)
    assert not cut.exhaustive and cut.states > 2_000
    assert check_ci("40% (95% CI, 28 to 52)", n=60, max_states=2_000).states == cut.states
    full = check_ci(SEED_OS, n=10)
    assert full.exhaustive and full.states > 0


def test_result_objects() -> None:
    res = check_ci(SEED_OS, n=10)
    frame = res.to_frame()
    assert list(frame.conf_type) == list(CONF_TYPES)
    d = res.to_dict()
    assert d["histories"]["log"][0]["at_risk"] == [10, 8, 7]
    assert d["n_histories"]["plain"] == 0 and d["consistent"] == ["log"]
    ds = res.histories["log"][0].dataset(10)
    assert len(ds) == 10 and int(ds.event.sum()) == 3
    with pytest.raises(AttributeError):
        res.n = 3  # type: ignore[misc]


def test_plot_agg() -> None:
    import matplotlib

    matplotlib.use("Agg")
    ax = check_ci(SEED_OS, n=10).plot()
    assert [p.get_height() for p in ax.patches] == [0, 1, 0, 0, 0]


# ----------------------------------------------------------------------------- counting DP
def _all_histories(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every subset of risk sets {2..n}: (bits, S, V) by the closed forms
    S = prod (r-1)/r and V = sum 1/(r(r-1)) (Greenwood), vectorised."""
    rs = np.arange(2, n + 1)
    codes = np.arange(2 ** (n - 1), dtype=np.int64)
    bits = ((codes[:, None] >> np.arange(n - 1)[None, :]) & 1).astype(bool)
    s = np.exp(bits @ np.log((rs - 1) / rs))
    v = bits @ (1.0 / (rs * (rs - 1.0)))
    return bits, s, v


def _brute_count(text: str, n: int, ct: str, s: np.ndarray, v: np.ndarray) -> int:
    """Histories whose plain or log limits print as ``text`` (one rounding convention per line).

    log: S exp(-/+ z se), upper clipped at 1; plain: S (1 -/+ z se), clipped to [0, 1]
    (R survfit_confint with std.err on the log scale)."""
    z = 1.959963984540054
    h = z * np.sqrt(v)
    if ct == "log":
        lo, up = s * np.exp(-h), np.minimum(s * np.exp(h), 1.0)
    else:
        lo, up = np.maximum(s * (1 - h), 0.0), np.minimum(s * (1 + h), 1.0)
    ok = np.zeros(s.shape, dtype=bool)
    for conv in ("nearest", "truncate"):
        rep = parse_endpoint(text, rounding=conv)
        m = np.ones(s.shape, dtype=bool)
        for x, iv in ((s, rep.estimate_interval), (lo, rep.lower_interval),
                      (up, rep.upper_interval)):
            m &= (x >= iv[0] - 1e-12) & (x <= iv[1] + 1e-12)
        ok |= m
    return int(ok.sum())


def test_counts_against_brute_force_and_dp_bounds() -> None:
    """n = 17: every one of the 2^16 histories is scored by the closed forms; check_ci's
    exhaustive count equals the brute-force count, and with a tiny listing budget the
    counting DP's upper bound is never below it (recall: never undercounted)."""
    n = 17
    _, s, v = _all_histories(n)
    rng = np.random.default_rng(5)
    z = 1.959963984540054
    checked = 0
    for i in rng.choice(len(s), 40, replace=False):
        if not 0.05 < s[i] < 0.95:
            continue
        h = z * math.sqrt(v[i])
        for ct in ("log", "plain"):
            if ct == "log":
                lo, up = s[i] * math.exp(-h), min(1.0, s[i] * math.exp(h))
            else:
                lo, up = max(0.0, s[i] * (1 - h)), min(1.0, s[i] * (1 + h))
            text = f"{100 * s[i]:.0f}% (95% CI, {100 * lo:.0f} to {100 * up:.0f})"
            want = _brute_count(text, n, ct, s, v)
            assert want >= 1  # the history that made the text
            full = check_ci(text, n=n, max_histories=100_000)
            assert full.exhaustive and full.n_histories[ct] == want, (text, ct)
            cut = check_ci(text, n=n, max_states=40)
            m = cut.methods[ct]
            assert m.n_histories is not None and m.n_histories_upper is not None
            assert m.n_histories <= want <= m.n_histories_upper, (text, ct)
            assert ct in cut.consistent
            checked += 1
    assert checked >= 40


def test_labels_do_not_depend_on_the_listing_cap() -> None:
    """With fewer histories listed than exist, a transform's conventions are still decided
    (by a search under each convention alone): DFS 54% (29-100), n = 10, holds under both."""
    for cap in (0, 1, 10):
        res = check_ci(SEED_DFS, n=10, max_histories=cap)
        assert res.methods["log"].rounding == ("nearest", "truncate"), cap
        assert res.n_histories["log"] == 2 and len(res.histories["log"]) == min(cap, 2)
        near = check_ci(SEED_DFS, n=10, max_histories=cap, rounding="nearest")
        assert near.methods["log"].rounding == ("nearest",) and near.n_histories["log"] == 1


class _LogAgain:
    """A plugged-in method: R's log transform written out by hand,
    S exp(-/+ h) with the upper limit clipped at 1, h = z SE(log S)."""

    name = "log-by-hand"

    def limits(self, surv: np.ndarray, half_width: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = np.asarray(surv, dtype=float)
        h = np.asarray(half_width, dtype=float)
        return s * np.exp(-h), np.minimum(s * np.exp(h), 1.0)

    def lower_peak(self, half_width: np.ndarray) -> np.ndarray:
        return np.full(np.shape(half_width), np.nan)  # S exp(-h) increases with S

    def reference(self, time, event, landmarks, conf_level):  # type: ignore[no-untyped-def]
        from survkit.estimate.batch import kaplan_meier_at

        out = kaplan_meier_at(time, event, landmarks, conf_type="log", conf_level=conf_level)
        return out.surv, out.lower, out.upper


def test_a_plugged_in_method_is_checked_like_a_transform() -> None:
    res = check_ci(SEED_DFS, n=10, methods=[_LogAgain()])
    assert res.consistent == ("log", "log-by-hand")
    mine, log = res.methods["log-by-hand"], res.methods["log"]
    assert mine.rounding == log.rounding == ("nearest", "truncate")
    assert {h.at_risk for h in res.histories["log-by-hand"]} == {(10, 8, 7, 5), (10, 9, 7, 5)}
    assert res.to_dict()["methods"]["log-by-hand"]["n_histories"] == 2
    nonn = check_ci(SEED_OS, methods=[_LogAgain()])
    assert nonn.consistent == ("log", "log-by-hand")
    with pytest.raises(ValueError, match="already taken"):
        check_ci(SEED_OS, methods=[type("M", (_LogAgain,), {"name": "log"})()])
    with pytest.raises(TypeError, match="CIMethod"):
        check_ci(SEED_OS, methods=["log"])  # type: ignore[list-item]


def test_wrong_kinds_and_contradictions_are_errors() -> None:
    hr_msg = r"'HR 0.72 \(95% CI 0.55.0.94\)' is a hazard ratio.*check_hr"
    with pytest.raises(ValueError, match=hr_msg):
        check_ci("HR 0.72 (95% CI 0.55\u20130.94)", n=10)
    with pytest.raises(ValueError, match=r"conf_level = 0.95 contradicts the printed 90% CI"):
        check_ci("68% (90% CI, 43 to 100)", conf_level=0.95)
    assert check_ci("68% (90% CI, 43 to 100)", conf_level=0.9).conf_level == 0.9
    with pytest.raises(ValueError, match="rounding must be one of"):
        check_ci(SEED_OS, rounding="up")  # type: ignore[arg-type]
    near = parse_endpoint(SEED_OS, rounding="nearest")
    with pytest.raises(ValueError, match="excludes every convention"):
        check_ci(near, rounding="truncate")
    assert check_ci(near).rounding == "any" and check_ci(near).methods["log"].rounding == (
        "nearest",
    )
