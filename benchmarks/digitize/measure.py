"""Measure survkit.digitize on a generated figure set (make_figures.R, make_figures.py).

    python benchmarks/digitize/measure.py FIGDIR [--only pdf,svg,png] [--names gg_,ll_lung]
        [--markdown OUT.md] [--stages]

For every figure with a ``.truth.csv`` (arm, time, status) and ``.json`` (arms, risk-table
times), measured against the Kaplan–Meier estimate of the true data (lifelines):

* ``auto``: read without error, without warnings, with the right number of arms and names;
* ``IAE``: integrated absolute error (1/T) ∫₀ᵀ |Ŝ(t) − S(t)| dt per arm (T = last follow-up),
  the mean over arms;
* ``max|ΔS|``: the largest vertical distance between the two step functions, over the
  intervals between their steps wider than 1e-4 T (a step a hair early is a time error);
* ``step err``: when every step is found, the largest error of a step's time (as a fraction
  of the x range) or level;
* ``risk``: at-risk cells read exactly / cells printed;
* ``|Δlog HR|``: Cox hazard ratio (lifelines, Efron ties) of the data rebuilt by
  ``Digitized.ipd()`` against that of the true data; largest over the non-reference arms;
* ``marks``: censoring marks (figures that draw them): *recall* = share of the true
  censoring times (distinct, merged when closer than the tolerance) with a mark read within
  0.5 % of the x range; *precision* = share of the marks read within that distance of a true
  censoring time; over the arms of figures that return one curve per arm;
* ``table``: the number-at-risk table read directly, whatever became of the curves: the
  scene's words and axis calibration, rows assigned to the true arm names by label (or
  order), cells exact / cells printed, over every figure with a table;
* ``cpu``: CPU seconds of that call, Tesseract included (in this process through its C API,
  or as child processes; every step runs on one core, so on a shared machine this is the
  time the call takes on an idle core); the in-process Tesseract model is loaded once
  before the first figure, and that one-time cost is printed below the table;
* ``time``: seconds for ``digitize`` (reading and analysis, not the IPD step); with
  ``--stages`` also the CPU seconds of reading the figure (image, axis strokes, OCR),
  measured in a separate call, and of the rest (calibration, curves, marks, assembly).

``--names`` keeps the figures whose file name contains one of the comma-separated parts.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter

from survkit import digitize
from survkit.digitize.axes import calibrate
from survkit.digitize.core import read_scene
from survkit.digitize.risktable import read_risk_table

#: a mark read within this share of the x range of a true censoring time is a match
MARK_TOL = 0.005


def true_km(g: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    kmf = KaplanMeierFitter().fit(g["time"], g["status"] == 1)
    sf = kmf.survival_function_
    return sf.index.to_numpy(float), sf.iloc[:, 0].to_numpy()


def step(t: np.ndarray, s: np.ndarray, at: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(t, at, side="right") - 1
    return np.where(idx < 0, 1.0, s[np.clip(idx, 0, len(s) - 1)])


def iae_and_max(curve: Any, g: pd.DataFrame) -> tuple[float, float, float | None]:
    tt, ts = true_km(g)
    end = float(g["time"].max())
    grid = np.union1d(np.union1d(tt, curve.time), [0.0, end])
    grid = grid[(grid >= 0) & (grid <= end)]
    # both are step functions: compare them inside every interval between knots (at the
    # midpoints), so that a step read 1e-9 late is not counted as a whole step's error
    mid = 0.5 * (grid[:-1] + grid[1:])
    a = step(np.asarray(curve.time), np.asarray(curve.surv), mid)
    b = step(tt, ts, mid)
    diff = np.abs(a - b)
    widths = np.diff(grid)
    iae = float(np.sum(diff * widths) / end)
    # sup norm over intervals wider than 1e-4 T (a step read 1e-6 T early is a step-time
    # error, reported as such, not a survival error)
    wide = widths > 1e-4 * end
    sup = float(diff[wide].max()) if np.any(wide) else float(diff.max())
    # steps: drops of the true curve
    keep = np.concatenate([[True], np.diff(ts) != 0])
    st, ss = tt[keep], ts[keep]
    if st[0] > 0:
        st, ss = np.insert(st, 0, 0.0), np.insert(ss, 0, 1.0)
    step_err = None
    if len(st) == len(curve.time):
        step_err = float(max(np.max(np.abs(np.asarray(curve.time) - st)) / end,
                             np.max(np.abs(np.asarray(curve.surv) - ss))))
    return iae, sup, step_err


def cox_log_hr(df: pd.DataFrame, arms: list[str]) -> np.ndarray:
    d = pd.DataFrame({"time": df["time"].to_numpy(float), "event": df["event"].to_numpy(int)})
    for a in arms[1:]:
        d[f"arm_{a}"] = (df["arm"] == a).astype(float).to_numpy()
    cph = CoxPHFitter().fit(d, "time", "event")
    return np.asarray(cph.params_.to_numpy())


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as one)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def want_risk(truth: pd.DataFrame, meta: dict[str, Any], arm: str) -> dict[float, int]:
    """The printed numbers at risk of ``arm`` (R prints #(T >= t), lifelines #(T > t)),
    at the table's times up to the arm's last follow-up (after it programs differ on 0)."""
    g = truth[truth.arm == arm]
    printed = meta.get("risk_printed", {}).get(arm)
    out: dict[float, int] = {}
    for k, t in enumerate(meta["risk_times"]):
        if t > g["time"].max():
            continue
        out[float(t)] = printed[k] if printed is not None else int((g["time"] >= t).sum())
    return out


def table_only(fig: Path, meta: dict[str, Any], truth: pd.DataFrame) -> tuple[int, int]:
    """Cells of the number-at-risk table read exactly, read from the scene alone."""
    arms = meta["arms"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scene = read_scene(fig)
            cal = calibrate(scene)
            rows, _notes = read_risk_table(scene, cal, [], arms)
    except Exception:
        rows = {}
    exact = cells = 0
    for arm in arms:
        want = want_risk(truth, meta, arm)
        times, counts = rows.get(arm, ((), ()))
        read = dict(zip([float(t) for t in times], counts, strict=True))
        cells += len(want)
        exact += sum(int(read.get(t) == n) for t, n in want.items())
    return exact, cells


def mark_scores(read: np.ndarray, g: pd.DataFrame, span: float) -> tuple[int, int, int, int]:
    """(true clusters found, true clusters, marks read that are right, marks read)."""
    cens = np.unique(g.loc[g["status"] == 0, "time"].to_numpy(float))
    tol = MARK_TOL * span
    clusters: list[list[float]] = []
    for t in cens:
        if clusters and t - clusters[-1][-1] <= tol:
            clusters[-1].append(t)
        else:
            clusters.append([t])
    read = np.sort(np.asarray(read, float))

    def near(t: float, pool: np.ndarray) -> bool:
        return bool(pool.size and np.min(np.abs(pool - t)) <= tol)

    found = sum(1 for c in clusters if any(near(t, read) for t in c))
    right = sum(1 for m in read if near(float(m), cens))
    return found, len(clusters), right, int(read.size)


def measure(fig: Path, stages: bool = False) -> dict[str, Any]:
    stem = fig.stem
    base = stem.rsplit("_", 1)[0] if fig.suffix in (".png", ".jpg") else stem
    meta = json.loads((fig.parent / f"{base}.json").read_text())
    truth = pd.read_csv(fig.parent / f"{base}.truth.csv")
    arms = meta["arms"]
    row: dict[str, Any] = {"figure": fig.name, "format": fig.suffix[1:], "arms": len(arms)}
    if meta["risk_times"]:
        row["table_exact"], row["table_cells"] = table_only(fig, meta, truth)
        row["table"] = f"{row['table_exact']}/{row['table_cells']}"
    if stages:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            c0 = cpu_seconds()
            read_scene(fig)
            row["t_read"] = cpu_seconds() - c0
    t0 = time.perf_counter()
    c0 = cpu_seconds()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = digitize(fig)
    except Exception as exc:
        row.update(time=time.perf_counter() - t0, cpu=cpu_seconds() - c0, auto=False,
                   error=f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}")
        return row
    row["time"] = time.perf_counter() - t0
    row["cpu"] = cpu_seconds() - c0
    if stages:
        row["t_rest"] = max(row["cpu"] - row["t_read"], 0.0)
    names_ok = list(d.arms) == arms
    row["auto"] = bool(names_ok and not d.warnings)
    why = [] if names_ok else [f"arm names read {list(d.arms)} != {arms}"]
    row["warnings"] = "; ".join(why + list(d.warnings))[:120]
    if len(d.curves) != len(arms):
        row["error"] = f"{len(d.curves)} curves for {len(arms)} arms"
        return row
    curves = [d.curve(a) for a in arms] if names_ok else list(d.curves)
    iaes, maxes, steps = [], [], []
    for arm, c in zip(arms, curves, strict=True):
        iae, mx, se = iae_and_max(c, truth[truth.arm == arm])
        iaes.append(iae)
        maxes.append(mx)
        steps.append(se)
    row["IAE"] = float(np.mean(iaes))
    row["max|dS|"] = float(np.max(maxes))
    row["step err"] = None if any(s is None for s in steps) else float(max(steps))
    if meta.get("marks"):
        span = float(max(d.calibration.x.values) - min(d.calibration.x.values))
        sc = np.zeros(4, dtype=int)
        for arm, c in zip(arms, curves, strict=True):
            sc += mark_scores(np.asarray(c.censor_times), truth[truth.arm == arm], span)
        row["mark_found"], row["mark_true"], row["mark_right"], row["mark_read"] = sc.tolist()
    times = meta["risk_times"]
    if times:
        exact = cells = 0
        for arm, c in zip(arms, curves, strict=True):
            read = dict(zip(np.asarray(c.risk_times).tolist(), np.asarray(c.n_risk).tolist(),
                            strict=True))
            want = want_risk(truth, meta, arm)
            cells += len(want)
            exact += sum(int(read.get(t) == n) for t, n in want.items())
        row["risk"] = f"{exact}/{cells}"
        row["risk_exact"] = exact
        row["risk_cells"] = cells
    if len(arms) > 1 and d.has_risk_table:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = d.ipd()
                ipd = res.data if hasattr(res, "data") else res  # IPDResult or DataFrame
            if names_ok:
                true = cox_log_hr(truth.rename(columns={"status": "event"}), arms)
                rec = cox_log_hr(ipd, arms)
                row["|dlogHR|"] = float(np.max(np.abs(true - rec)))
        except Exception as exc:
            row["ipd_error"] = str(exc).splitlines()[0][:90]
    return row


def fmt(v: Any, spec: str) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    return format(v, spec)


def total(sub: pd.DataFrame, col: str) -> int:
    return int(sub[col].sum()) if col in sub else 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("figdir")
    p.add_argument("--only", default="pdf,svg,png")
    p.add_argument("--names", default="",
                   help="comma-separated parts of file names: measure only those figures")
    p.add_argument("--stages", action="store_true",
                   help="also CPU seconds of reading the figure (image, axes, OCR) and the rest")
    p.add_argument("--markdown")
    a = p.parse_args()
    kinds = a.only.split(",")
    parts = [x for x in a.names.split(",") if x]
    figs = sorted(f for f in Path(a.figdir).iterdir() if f.suffix[1:] in kinds
                  and (not parts or any(x in f.name for x in parts)))
    ocr_line = ""
    if any(f.suffix in (".png", ".jpg") for f in figs):
        # Tesseract in this process loads its model once (counted here, not per figure)
        from survkit.digitize.tesseract import in_process

        c0, t0 = cpu_seconds(), time.perf_counter()
        api = in_process()
        ocr_line = (f"OCR: Tesseract in-process (C API), model loaded once before the first "
                    f"figure in {cpu_seconds() - c0:.2f} s CPU ({time.perf_counter() - t0:.2f} s),"
                    " not in the per-figure times" if api else
                    "OCR: the tesseract program, one process per call (in the per-figure times)")
    rows = [measure(f, a.stages) for f in figs]
    df = pd.DataFrame(rows)
    stage_head = " read CPU s | rest CPU s |" if a.stages else ""
    lines = ["| figure | auto | IAE | max abs dS | step err | at risk exact | table alone | "
             "marks found | marks right | abs dlogHR | s | cpu s |" + stage_head,
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
             + (" --- | --- |" if a.stages else "")]
    for r in rows:
        auto = "yes" if r.get("auto") else ("no: " + (r.get("error") or r.get("warnings") or ""))
        mk = r.get("mark_true")
        found = f"{r['mark_found']}/{mk}" if mk is not None else "–"
        right = f"{r['mark_right']}/{r['mark_read']}" if mk is not None else "–"
        stage = (f" {fmt(r.get('t_read'), '.2f')} | {fmt(r.get('t_rest'), '.2f')} |"
                 if a.stages else "")
        lines.append(
            f"| {r['figure']} | {auto} | {fmt(r.get('IAE'), '.2e')} | "
            f"{fmt(r.get('max|dS|'), '.2e')} | {fmt(r.get('step err'), '.1e')} | "
            f"{r.get('risk', '–')} | {r.get('table', '–')} | {found} | {right} | "
            f"{fmt(r.get('|dlogHR|'), '.4f')} | {r['time']:.2f} | {r['cpu']:.2f} |" + stage)
    lines.append("")
    for group, sel in (("vector (pdf, svg)", df.format.isin(["pdf", "svg"])),
                       ("raster (png)", df.format == "png"),
                       ("raster (jpg)", df.format == "jpg")):
        sub = df[sel]
        if sub.empty:
            continue
        cells = sub.get("risk_cells", pd.Series(dtype=float)).sum()
        exact = sub.get("risk_exact", pd.Series(dtype=float)).sum()
        hr = sub["|dlogHR|"] if "|dlogHR|" in sub else pd.Series(dtype=float)
        lines.append(
            f"**{group}**: {len(sub)} figures, automatic {int(sub.auto.sum())}/{len(sub)}, "
            f"median IAE {fmt(sub['IAE'].median() if 'IAE' in sub else None, '.2e')}, "
            f"median max|ΔS| {fmt(sub['max|dS|'].median() if 'max|dS|' in sub else None, '.2e')}, "
            f"at-risk cells exact {int(exact)}/{int(cells)}, "
            f"median |Δlog HR| {fmt(hr.median() if len(hr.dropna()) else None, '.4f')}, "
            f"median time {sub['time'].median():.2f} s (max {sub['time'].max():.2f} s), "
            f"{int((sub['time'] > 2.0).sum())} over 2 s; CPU median {sub['cpu'].median():.2f} s "
            f"(max {sub['cpu'].max():.2f} s, {int((sub['cpu'] > 2.0).sum())} over 2 s); "
            f"table read alone {total(sub, 'table_exact')}/{total(sub, 'table_cells')} cells "
            f"exact; censoring marks: recall {total(sub, 'mark_found')}/"
            f"{total(sub, 'mark_true')}, precision {total(sub, 'mark_right')}/"
            f"{total(sub, 'mark_read')}  ")
    if ocr_line:
        lines.append("")
        lines.append(ocr_line)
    text = "\n".join(lines)
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
