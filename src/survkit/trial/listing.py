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
* the calls stop (the list is then *not* certified, ``None``) when the time budget or the
  largest list size is exceeded.

Example (Xu 2021, n = 58): the 2-year PFS ``35% (95% CI, 23%-47%)`` lists 4 of at most
2,774,525 histories unrestricted; per event count it is complete: 11,896 histories with 36
events and 2,184 with 37, none with any other count (about 3 s).
"""

from __future__ import annotations

import functools
import math
import time as _time

from survkit.printed import Convention

__all__ = ["MAX_LISTED", "STATES_PER_COUNT", "TIME_BUDGET", "histories_by_count"]

#: Search budget (visited states) of the listing search for one event count.
STATES_PER_COUNT = 8_000_000
#: Largest complete list kept per transform (more: not certified here).
MAX_LISTED = 200_000
#: Seconds the per-count listing of one landmark may take.
TIME_BUDGET = 12.0


@functools.lru_cache(maxsize=64)
def histories_by_count(
    text: str, n: int, convention: Convention, transforms: tuple[str, ...]
) -> dict[str, tuple[tuple[int, ...], ...] | None]:
    """Every history of ``n`` patients printing the landmark ``text``, per transform.

    The union over event counts ``k`` of :func:`~survkit.check.ci_check.check_ci` with
    ``events_before = k`` (see the module docstring). Returns, for each of ``transforms``,
    the complete list (risk sets at the events, strictly decreasing) or ``None`` when some
    count's listing is not certified, the time budget :data:`TIME_BUDGET` ran out, or the
    list would exceed :data:`MAX_LISTED`.
    """
    from survkit.check.ci_check import check_ci
    from survkit.check.parse import parse_endpoint

    rep = parse_endpoint(text, rounding=convention)
    s_lo = float(rep.estimate_interval[0])
    k_max = min(n, math.floor(n * (1.0 - s_lo) + 1e-9))
    got: dict[str, list[tuple[int, ...]] | None] = {ct: [] for ct in transforms}
    t0 = _time.perf_counter()
    for k in range(k_max + 1):
        if all(v is None for v in got.values()):
            break
        if _time.perf_counter() - t0 > TIME_BUDGET:
            return dict.fromkeys(transforms)
        chk = check_ci(
            rep,
            n=n,
            events_before=k,
            hand=False,
            max_histories=MAX_LISTED,
            max_states=STATES_PER_COUNT,
        )
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
