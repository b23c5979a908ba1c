"""Stacking per-group results into one table (shared by the grouped fits of every estimator)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def stack_groups(by: str, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The groups' tables stacked in order, with a leading column ``by`` naming the group."""
    df = pd.concat([f.assign(**{by: k}) for k, f in frames.items()], ignore_index=True)
    return df[[by, *[c for c in df.columns if c != by]]]
