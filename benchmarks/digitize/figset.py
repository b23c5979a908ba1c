"""Code the Python figure makers of the digitize benchmark (``make_*.py``) share.

Each maker imports it from its own directory (``sys.path`` gets the script's directory first),
so ``python benchmarks/digitize/make_X.py OUTDIR`` works from any directory. A figure ``NAME``
is written as ``NAME.pdf`` / ``NAME.svg`` / ``NAME_150.png`` / ``NAME_300.png`` (the formats a
set draws), ``NAME.truth.csv`` (time, status, arm: the patient data drawn) and ``NAME.json``
(arms in legend order, times of the printed number-at-risk table, whether censoring marks are
drawn and, for lifelines tables, the numbers printed), the format ``measure.py`` reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

TRUTH_COLUMNS = ["time", "status", "arm"]


def save_figure(out: Path, name: str, fig: plt.Figure, *, vector: bool = True,
                png: bool = True, tight: bool = False) -> None:
    """Write ``fig`` as ``NAME.pdf`` and ``NAME.svg`` (``vector``), ``NAME_150.png`` and
    ``NAME_300.png`` (``png``), with ``bbox_inches="tight"`` when ``tight``; close it."""
    kw: dict[str, str] = {"bbox_inches": "tight"} if tight else {}
    if vector:
        fig.savefig(out / f"{name}.pdf", **kw)  # type: ignore[arg-type]
        fig.savefig(out / f"{name}.svg", **kw)  # type: ignore[arg-type]
    if png:
        for dpi in (150, 300):
            fig.savefig(out / f"{name}_{dpi}.png", dpi=dpi, **kw)  # type: ignore[arg-type]
    plt.close(fig)


def write_meta(out: Path, name: str, data: pd.DataFrame, arms: Sequence[str],
               times: Sequence[float], printed: dict[str, list[int]] | None = None, *,
               marks: bool = False) -> None:
    """Write the truth (``NAME.truth.csv``: time, status, arm) and ``NAME.json``."""
    data[TRUTH_COLUMNS].to_csv(out / f"{name}.truth.csv", index=False)
    meta: dict[str, object] = {"arms": list(arms), "risk_times": list(times), "marks": marks}
    if printed is not None:
        meta["risk_printed"] = printed
    (out / f"{name}.json").write_text(json.dumps(meta))


def save(out: Path, name: str, fig: plt.Figure, data: pd.DataFrame, arms: Sequence[str],
         ticks: Sequence[float], printed: dict[str, list[int]] | None, marks: bool, *,
         vector: bool = True, tight: bool = False) -> None:
    """:func:`save_figure` (PNGs, and PDF / SVG when ``vector``) then :func:`write_meta`."""
    save_figure(out, name, fig, vector=vector, tight=tight)
    write_meta(out, name, data, arms, ticks, printed, marks=marks)


def load(out: Path, prefix: str, name: str, maker: str) -> pd.DataFrame:
    """A data set the R maker ``maker`` wrote (``OUTDIR/<prefix>_data_<name>.csv``)."""
    path = out / f"{prefix}_data_{name}.csv"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run {maker} {out} first")
    return pd.read_csv(path)


def trial(arms: Sequence[str], n: int, medians: Sequence[float], seed: int,
          follow: tuple[float, float], digits: int = 1, positive: bool = False
          ) -> pd.DataFrame:
    """A simulated trial: per arm (in order) ``n`` exponential event times with the given
    median, then ``n`` uniform censoring times on ``follow``; times rounded to ``digits``
    (and, when ``positive``, at least ``10**-digits``)."""
    rng = np.random.default_rng(seed)
    parts = []
    for arm, med in zip(arms, medians, strict=True):
        ev = rng.exponential(med / np.log(2), n)
        cen = rng.uniform(*follow, n)
        t = np.round(np.minimum(ev, cen), digits)
        if positive:
            t = np.maximum(t, 10.0 ** -digits)
        parts.append(pd.DataFrame({"time": t, "status": (ev <= cen).astype(int), "arm": arm}))
    return pd.concat(parts, ignore_index=True)


def visible_ticks(ax: plt.Axes) -> list[float]:
    """The x ticks lifelines' ``add_at_risk_counts`` puts its columns at."""
    lo, hi = ax.get_xlim()
    return [float(t) for t in ax.get_xticks() if lo <= t <= hi]


def printed_at_risk(kmf: KaplanMeierFitter, ticks: Sequence[float]) -> list[int]:
    """The 'At risk' row of ``add_at_risk_counts``: at_risk - removed at the last
    event-table time <= tick, i.e. #(T > that time)."""
    et = kmf.event_table
    left = et["at_risk"] - et["removed"]
    out = []
    for t in ticks:
        part = left.loc[:t]
        out.append(int(part.iloc[-1]) if len(part) else 0)
    return out


def printed_rows(arms: Sequence[str], fits: Sequence[KaplanMeierFitter],
                 ticks: Sequence[float]) -> dict[str, list[int]]:
    """:func:`printed_at_risk` of each arm's fit, by arm."""
    return {arm: printed_at_risk(f, ticks) for arm, f in zip(arms, fits, strict=True)}


def printed_after(data: pd.DataFrame, arms: Sequence[str], ticks: Sequence[float]
                  ) -> dict[str, list[int]]:
    """The numbers still at risk just after each tick, #{T > t} (all of an arm at t = 0),
    as lifelines prints them, counted from the patient data."""
    return {arm: [int((data[data.arm == arm]["time"] > t).sum()) if t > 0 else
                  int((data.arm == arm).sum()) for t in ticks] for arm in arms}


def fits_on(ax: plt.Axes, data: pd.DataFrame, arms: Sequence[str],
            **plot_kw: object) -> list[KaplanMeierFitter]:
    """One labelled Kaplan-Meier fitter per arm, each drawn on ``ax``."""
    fits = []
    for arm in arms:
        g = data[data.arm == arm]
        kmf = KaplanMeierFitter(label=arm).fit(g["time"], g["status"] == 1)
        kmf.plot_survival_function(ax=ax, **plot_kw)
        fits.append(kmf)
    return fits


def km(g: pd.DataFrame) -> KaplanMeierFitter:
    """The Kaplan-Meier fit of one arm's ``time`` and ``status == 1``."""
    return KaplanMeierFitter().fit(g["time"], g["status"] == 1)


def draw_steps(ax: plt.Axes, g: pd.DataFrame, scale: float = 1.0, ci: bool = False,
               marker: str | None = None, alpha: float = 0.2, ms: float = 5,
               mew: float = 1.0, **kw: object) -> None:
    """A Kaplan-Meier staircase with ``ax.step(where='post')`` up to the last follow-up,
    times ``scale``, optional CI band (``fill_between``, step='post', ``alpha``) and censoring
    marks on the curve (``marker`` of size ``ms`` and edge width ``mew``)."""
    kmf = km(g)
    sf = kmf.survival_function_
    t = np.append(sf.index.to_numpy(float), g["time"].max())
    s = np.append(sf.iloc[:, 0].to_numpy(), sf.iloc[-1, 0])
    (line,) = ax.step(t, scale * s, where="post", **kw)  # type: ignore[arg-type]
    if ci:
        band = kmf.confidence_interval_
        lo = np.append(band.iloc[:, 0].to_numpy(), band.iloc[-1, 0])
        hi = np.append(band.iloc[:, 1].to_numpy(), band.iloc[-1, 1])
        ax.fill_between(t, scale * lo, scale * hi, step="post", color=line.get_color(),
                        alpha=alpha, lw=0)
    if marker is not None:
        tc = np.sort(g.loc[g["status"] == 0, "time"].to_numpy(float))
        idx = np.searchsorted(sf.index.to_numpy(float), tc, side="right") - 1
        ax.plot(tc, scale * sf.iloc[:, 0].to_numpy()[idx], ls="none", marker=marker,
                color=line.get_color(), ms=ms, mew=mew)
