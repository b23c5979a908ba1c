r"""Certified-complete history lists for larger ``n``: the printed-CI check per event count.

The printed-CI check (:func:`survkit.check.ci_check.check_ci`) lists the histories (risk-set
sizes at the events before the landmark) that print one landmark. For ``n`` around 50 and
more its listing search stops before the end, and a capped list is never a proof. Restricted
to one number of events before the landmark (``events_before = k``) the search space is far
smaller, and the listing usually ends (the counting DP's certified upper bound then equals
the number listed, ``count_exact``). So:

* for every :math:`k` that can print the estimate the check is run with ``events_before =
  k``; the union over :math:`k` is the complete list exactly when every call is complete;
* a history with :math:`k` events before the landmark has :math:`\hat S \le (n - k)/n`
  (each risk set :math:`r_j \le n - j + 1`, so :math:`\prod (1 - 1/r_j) \le \prod_{j=1}^{k}
  (n - j)/(n - j + 1)`), so only :math:`k \le n (1 - S_{lo})` need a call, :math:`S_{lo}` the
  lower end of the printed estimate's interval;
* the calls stop (the list is then *not* certified, ``None``) when the work budget
  :data:`LISTING_STATES` (search states visited, summed over the counts: the same on every
  machine, so a slow or loaded machine certifies what a fast one does) or the largest list
  size is exceeded.

Example (Xu 2021, n = 58): the 2-year PFS ``35% (95% CI, 23%-47%)`` lists 4 of at most
2,774,525 histories unrestricted; per event count it is complete: 11,896 histories with 36
events and 2,184 with 37, none with any other count (14.0 million search states, about 8 s).
"""

from __future__ import annotations

import functools
import math

from survkit.printed import Convention

__all__ = ["LISTING_STATES", "MAX_LISTED", "STATES_PER_COUNT", "histories_by_count"]

#: Search budget (visited states) of the listing search for one event count.
STATES_PER_COUNT = 8_000_000
#: Largest complete list kept per transform (more: not certified here).
MAX_LISTED = 200_000
#: Search states (:attr:`~survkit.check.ci_check.CICheck.states`, summed over the counts) the
#: per-count listing of one landmark may visit before it starts another count; past it the
#: list is not certified. A work budget: the same landmark is certified on every machine.
#: Calibration: it replaces a 12 s wall-clock budget. Timing each count of this loop with its
#: states on a shared 2-core machine: Xu 2021's 2-year PFS "35% (95% CI, 23%-47%)", n = 58,
#: log-log and arcsin (``pytest tests/test_trial_history.py``, the test case closest to the
#: former budget) visits 14,045,644 states (13,837,898 before its last count) in 8.0 s alone
#: and 9.6-10.3 s beside other tests: 1.4-1.75 million states per second, 17-21 million in
#: 12 s (``PYTHONPATH=src python benchmarks/calibrate_budgets.py states``: 1.73 million per
#: second idle); "50% (95% CI, 40%-60%)" at n = 100 (log, log-log) was cut at 12.4 s after
#: 16,041,606 states. Counts the counting DP excludes (no search state, 0.1-0.3 s each at
#: n <= 300) are not charged.
LISTING_STATES = 20_000_000


@functools.lru_cache(maxsize=64)
def histories_by_count(
    text: str, n: int, convention: Convention, transforms: tuple[str, ...]
) -> dict[str, tuple[tuple[int, ...], ...] | None]:
    """Every history of ``n`` patients printing the landmark ``text``, per transform.

    The union over event counts ``k`` of :func:`~survkit.check.ci_check.check_ci` with
    ``events_before = k`` (see the module docstring). Returns, for each of ``transforms``,
    the complete list (risk sets at the events, strictly decreasing) or ``None`` when some
    count's listing is not certified, the work budget :data:`LISTING_STATES` ran out (search
    states summed over the counts, checked before each count), or the list would exceed
    :data:`MAX_LISTED`. The result depends on the inputs only, never on the machine's speed.
    """
    from survkit.check.ci_check import check_ci
    from survkit.check.parse import parse_endpoint

    rep = parse_endpoint(text, rounding=convention)
    s_lo = float(rep.estimate_interval[0])
    k_max = min(n, math.floor(n * (1.0 - s_lo) + 1e-9))
    got: dict[str, list[tuple[int, ...]] | None] = {ct: [] for ct in transforms}
    visited = 0
    for k in range(k_max + 1):
        if all(v is None for v in got.values()):
            break
        if visited > LISTING_STATES:
            return dict.fromkeys(transforms)
        chk = check_ci(
            rep,
            n=n,
            events_before=k,
            hand=False,
            max_histories=MAX_LISTED,
            max_states=STATES_PER_COUNT,
        )
        visited += chk.states
        for ct in transforms:
            acc = got[ct]
            if acc is None:
                continue
            m = chk.methods.get(ct)
            if m is None or not m.count_exact:
                got[ct] = None
                continue
            hs = chk.histories.get(ct, ())
            if len(hs) != m.n_histories or len(acc) + len(hs) > MAX_LISTED:
                got[ct] = None
                continue
            acc.extend(tuple(int(x) for x in h.at_risk) for h in hs)
    return {ct: (tuple(v) if v is not None else None) for ct, v in got.items()}
