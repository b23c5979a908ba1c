"""Re-analyse digitized figures in R and print what a paper would print.

    python benchmarks/digitize/reanalyse.py FIGDIR [--only png] [--names a,b] [--out DIR]
        [--markdown OUT.md]

The check a reader of a paper makes: digitize the figure, rebuild the patient data
(``Digitized.ipd()``), analyse it in R survival, round the way a paper rounds, and see whether
the paper's numbers come back. For every figure that ``digitize`` reads automatically (no
warning, the right arm names), the true data (``NAME.truth.csv``) and the rebuilt data are
both analysed by ``reanalyse.R`` (``survfit``, ``coxph``, ``survdiff``), and the digitized curve
itself is read at the same times. Printed with ordinary rounding (half up, on the shortest
decimal form of the value):

* survival at each landmark as a whole percentage (``68%``): the figure's at-risk table times
  after 0, or, without a table, the quartiles of follow-up to two significant digits, both up
  to 90 % of the shortest arm's follow-up;
* the median in the figure's time unit to three significant digits, in whole units from 100
  on (``426`` days, ``13.9`` months, ``4.52`` years; ``NR`` when not reached); of the curve
  itself with R's rule (a curve at one half until a drop: the midpoint), within 1e-5;
* with two or more arms, the hazard ratio of each arm against the first and its 95 % interval
  to two decimals, and the log-rank p-value (two decimals from 0.01, three below, ``<0.001``).

A printed number of the rebuilt data or of the curve *matches* when its text is the text of
the true data's number; *one unit* counts those off by one in the last printed digit. The last
line says how many arms ``Digitized.ipd()`` rebuilt with the exact method (``survkit.ipd.exact``;
unique or the most probable of several histories) and how long it took per figure (per arm,
with the method's note, in ``OUT/methods.csv``). The
curve is read 1e-5 of the axis range after each landmark, so that a step drawn at the landmark
counts at it (as survfit's summary counts an event at the time). Without
a table, the number of patients per arm is taken from the true data (a paper prints it).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
import warnings
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from survkit import digitize

HERE = Path(__file__).resolve().parent
#: reading precision assumed for the curve's own readings, a share of the axis range (vector
#: figures are read to about 1e-6; raster ones to about a pixel, so this favours nothing)
READ_TOL = 1e-5


def half_up(x: float, places: int) -> Decimal:
    """``x`` rounded half up to ``places`` decimals, from its shortest decimal form."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def printed(quantity: str, value: float) -> str:
    """The text a paper prints for ``value``."""
    if value is None or not np.isfinite(value):
        return "NR" if quantity == "median" else "NA"
    if quantity.startswith("S("):
        return f"{half_up(100 * value, 0)}%"
    if quantity == "median":  # three significant digits, whole units from 100 on
        return str(half_up(value, 0 if abs(value) >= 99.95 else 1 if abs(value) >= 9.995 else 2))
    if quantity == "log-rank p":
        if value < 0.001:
            return "<0.001"
        return str(half_up(value, 2 if half_up(value, 2) >= Decimal("0.01") else 3))
    return str(half_up(value, 2))


def one_unit(a: str, b: str) -> bool:
    """Whether two printed numbers differ by one unit of their last digit."""
    try:
        da, db = Decimal(a.rstrip("%")), Decimal(b.rstrip("%"))
    except ArithmeticError:
        return False
    unit = Decimal(1).scaleb(da.as_tuple().exponent)  # type: ignore[arg-type]
    return da.as_tuple().exponent == db.as_tuple().exponent and abs(da - db) == unit


def landmarks(meta: dict[str, Any], truth: pd.DataFrame) -> list[float]:
    """Landmark times: the table's times after 0, else follow-up quartiles (2 digits)."""
    limit = 0.9 * float(truth.groupby("arm")["time"].max().min())
    times = [float(t) for t in meta.get("risk_times") or [] if t > 0]
    if not times:
        q = np.quantile(truth["time"].to_numpy(float), [0.25, 0.5, 0.75])
        times = sorted({float(f"{v:.2g}") for v in q if v > 0})
    return [t for t in times if t <= limit]


def curve_median(time: np.ndarray, surv: np.ndarray, tol: float) -> float:
    """R's median of a step function (``survival:::survmean``): the first time at or below one
    half; when the curve sits at one half (within ``tol``, the reading precision here), the
    midpoint between that time and the next drop (``nan`` when never)."""
    keep = np.flatnonzero(surv < 0.5 + tol)
    if not keep.size:
        return float("nan")
    first = keep[0]
    lower = np.flatnonzero(surv < surv[first] - tol)
    lower = lower[lower > first]
    if abs(surv[first] - 0.5) < tol and lower.size:
        return float((time[first] + time[lower[0]]) / 2)
    return float(time[first])


def read(fig: Path, work: Path) -> dict[str, Any] | None:
    """Digitize ``fig``; the manifest rows and the curve's own readings, or None (not auto)."""
    base = fig.stem.rsplit("_", 1)[0] if fig.suffix in (".png", ".jpg") else fig.stem
    meta = json.loads((fig.parent / f"{base}.json").read_text())
    truth = pd.read_csv(fig.parent / f"{base}.truth.csv")
    arms = list(meta["arms"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = digitize(fig)
            if list(d.arms) != arms or d.warnings:
                return None
            n = None if d.has_risk_table else {a: int((truth.arm == a).sum()) for a in arms}
            t0 = time.perf_counter()
            res = d.ipd(n)
            seconds = time.perf_counter() - t0
    except Exception:
        return None
    methods = [{"figure": fig.name, "arm": a, "method": res.report[a].method,
                "unique": res.report[a].method_note.startswith("unique"),
                "note": res.report[a].method_note, "seconds": seconds} for a in arms]
    marks = landmarks(meta, truth)
    ipd_path = work / f"{fig.name}.ipd.csv"
    res.data[["time", "event", "arm"]].to_csv(ipd_path, index=False)
    joined = "|".join(arms)
    lm = "|".join(repr(t) for t in marks)
    man = [{"figure": fig.name, "source": "truth", "path": str(fig.parent / f"{base}.truth.csv"),
            "arms": joined, "landmarks": lm},
           {"figure": fig.name, "source": "ipd", "path": str(ipd_path), "arms": joined,
            "landmarks": lm}]
    curve = []
    span = float(max(d.calibration.x.values) - min(d.calibration.x.values))
    for a in arms:
        c = d.curve(a)
        # a step read at a landmark lies within the reading error of it on either side:
        # read just after the landmark, as survfit's summary counts an event at the time
        after = np.asarray(marks) + READ_TOL * span
        for t, s in zip(marks, c.at(after), strict=True):
            curve.append({"figure": fig.name, "quantity": f"S({t:g})", "arm": a, "value": s})
        curve.append({"figure": fig.name, "quantity": "median", "arm": a,
                      "value": curve_median(np.asarray(c.time), np.asarray(c.surv), READ_TOL)})
    return {"manifest": man, "curve": curve, "methods": methods}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("figdir")
    p.add_argument("--only", default="png")
    p.add_argument("--names", default="")
    p.add_argument("--out", help="keep the rebuilt data and R's values here")
    p.add_argument("--markdown")
    a = p.parse_args()
    kinds = a.only.split(",")
    parts = [x for x in a.names.split(",") if x]
    figs = sorted(f for f in Path(a.figdir).iterdir() if f.suffix[1:] in kinds
                  and (not parts or any(x in f.name for x in parts)))
    work = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="reanalyse_"))
    work.mkdir(parents=True, exist_ok=True)
    man: list[dict[str, Any]] = []
    curve: list[dict[str, Any]] = []
    methods: list[dict[str, Any]] = []
    skipped = []
    for f in figs:
        r = read(f, work)
        if r is None:
            skipped.append(f.name)
            continue
        man += r["manifest"]
        curve += r["curve"]
        methods += r["methods"]
    if not man:
        raise SystemExit("no figure was read automatically")
    pd.DataFrame(man).to_csv(work / "manifest.csv", index=False)
    subprocess.run(["Rscript", str(HERE / "reanalyse.R"), str(work / "manifest.csv"),
                    str(work / "r_values.csv")], check=True)
    rv = pd.read_csv(work / "r_values.csv", keep_default_na=False, na_values=["NA"])
    rv["arm"] = rv["arm"].astype(str)
    key = ["figure", "quantity", "arm"]
    table = rv[rv.source == "truth"][[*key, "value"]].rename(columns={"value": "truth"})
    table = table.merge(rv[rv.source == "ipd"][[*key, "value"]].rename(columns={"value": "ipd"}),
                        on=key, how="left")
    table = table.merge(pd.DataFrame(curve).rename(columns={"value": "curve"}), on=key,
                        how="left")
    for col in ("truth", "ipd", "curve"):
        table[f"{col} printed"] = [printed(q, v) if pd.notna(v) or col != "curve" else ""
                                   for q, v in zip(table.quantity, table[col], strict=True)]
    table.to_csv(work / "printed.csv", index=False)
    lines = ["| figure | quantity | arm | true data | rebuilt data (R) | curve |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in table.to_dict("records"):
        lines.append(f"| {r['figure']} | {r['quantity']} | {r['arm']} | {r['truth printed']} | "
                     f"{r['ipd printed']} | {r['curve printed']} |")
    lines.append("")
    for col, label in (("ipd", "rebuilt data in R"), ("curve", "digitized curve")):
        sub = table[table[f"{col} printed"] != ""]
        same = sub[f"{col} printed"] == sub["truth printed"]
        near = [one_unit(x, y) for x, y in zip(sub[f"{col} printed"], sub["truth printed"],
                                                strict=True)]
        kinds_ = sorted(set(q.split("(")[0] for q in sub.quantity))
        per = ", ".join(
            f"{k} {int(same[sub.quantity.str.split('(').str[0] == k].sum())}/"
            f"{int((sub.quantity.str.split('(').str[0] == k).sum())}" for k in kinds_)
        n_same, n_near = int(same.sum()), int(np.sum(near))
        lines.append(f"**{label}**: {sub.figure.nunique()} figures, printed numbers equal to "
                     f"the true data's {n_same}/{len(sub)}, one unit off {n_near}, further off "
                     f"{len(sub) - n_same - n_near} ({per})  ")
    lines.append(f"not read automatically (left out): {len(skipped)} of {len(figs)}  ")
    mt = pd.DataFrame(methods)
    mt.to_csv(work / "methods.csv", index=False)
    exact = mt[mt.method == "exact"]
    per_fig = mt.drop_duplicates("figure")["seconds"]
    lines.append(f"reconstruction: {len(exact)} of {len(mt)} arms exact ({int(exact.unique.sum())} "
                 f"unique), the rest Guyot's rounding; `Digitized.ipd()` median "
                 f"{per_fig.median():.3f} s per figure (max {per_fig.max():.2f} s)")
    text = "\n".join(lines)
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text + "\n")


if __name__ == "__main__":
    main()
