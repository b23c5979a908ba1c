"""Small example datasets bundled with survkit (from R's survival package, GPL >= 2).

* ``aml`` -- Acute myelogenous leukemia maintenance trial (Miller 1997; Embury et al. 1977):
  ``time`` (weeks), ``status`` (1 = relapse), ``x`` (Maintained / Nonmaintained); n = 23.
* ``lung`` -- NCCTG advanced lung cancer (Loprinzi et al. 1994): ``time`` (days),
  ``status`` (1 = death; recoded from R's 1/2), ``sex`` (1 male, 2 female), ``age``; n = 228.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

EXAMPLES = ("aml", "lung")


def load_example(name: str) -> pd.DataFrame:
    """Return the bundled example dataset ``name`` (one of :data:`EXAMPLES`) as a DataFrame."""
    if name not in EXAMPLES:
        raise ValueError(f"example must be one of {', '.join(EXAMPLES)}; got {name!r}")
    with resources.files("survkit.data").joinpath(f"{name}.csv").open("r") as fh:
        return pd.read_csv(fh)
