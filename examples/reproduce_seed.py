"""Reconstruct the seed trial (NCT04599556) from what the paper printed; runs in seconds.

    python examples/reproduce_seed.py [OUTDIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from survkit.trial.exact import reconstruct
from survkit.trial.spec import Trial


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/reproduce_seed")
    out.mkdir(parents=True, exist_ok=True)
    trial = Trial.seed()
    ens = reconstruct(trial, draws=200, seed=2024)
    print(
        f"{ens.draws} draws, CI method {ens.conf_type}, "
        f"acceptance rate {ens.acceptance_rate:.2g}"
    )
    for r in ens.readings:
        if r.feasible:
            verdict = "consistent"
        elif r.proof:
            verdict = f"NOT consistent ({r.proof}): " + "; ".join(r.conflict)
        else:
            verdict = "not decided (no draw found; nothing proven)"
        print(f"- reading {r.name!r}: {verdict}")
    print(ens.check().to_string(index=False))
    ens.plot_km().get_figure(root=True).savefig(out / "km.png", dpi=120)
    ens.plot_swimmer(0).get_figure(root=True).savefig(out / "swimmer.png", dpi=120)
    print(f"figures in {out}")


if __name__ == "__main__":
    main()
