"""Check the two printed endpoints of a 10-patient CAR-T trial (runs in about a second).

Hu Y. et al. Sequential CD7 CAR T-cell therapy and allogeneic HSCT without GVHD prophylaxis.
N Engl J Med 2024;390:1467-1480: "1-year OS 68% (95% CI, 43-100)" and
"1-year DFS 54% (95% CI, 29-100)", n = 10.

    python examples/check_seed.py
"""

from __future__ import annotations

from survkit.check import check_ci, parse_endpoint
from survkit.estimate.km import kaplan_meier


def main() -> None:
    for text in ("1-year OS 68% (95% CI, 43\u2013100)", "1-year DFS 54% (95% CI, 29\u2013100)"):
        rep = parse_endpoint(text)
        res = check_ci(rep, n=10)
        print(text)
        print(f"  consistent transforms: {', '.join(res.consistent) or 'none'}")
        for ct in res.consistent:
            for h in res.histories[ct]:
                print(f"  {ct}: events at risk sets {h.at_risk}: S = {h.surv[0]:.4f}, "
                      f"SE(log S) = {h.std_err_log[0]:.4f}, holds if {' or '.join(h.rounding)}")
                # a dataset realising the history, fitted again
                data = h.dataset(10)
                fit = kaplan_meier(data.time, data.event, conf_type=ct)
                row = fit.at([999.5]).iloc[0]
                print(f"    refit: {100 * row.surv:.1f}% ({100 * row.lower:.1f}, "
                      f"{100 * row.upper:.1f})")
        for ct, m in res.methods.items():
            if not m.consistent:
                print(f"  {ct:8} excluded: {m.reason}")
        print()


if __name__ == "__main__":
    main()
