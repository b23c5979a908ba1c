"""Shared test helpers: R reference fixtures and tolerance-aware comparison.

* ``FIXTURES`` -- ``tests/fixtures``; ``load_json(path)`` reads a fixture written by an R
  script under ``tests/r`` (R's NA/NaN arrive as ``null``, infinities as ``"Inf"``).
* ``r_array(x)`` -- such a JSON value as a float ndarray (``null`` -> NaN, ``"Inf"`` -> inf).
* ``assert_r_close(got, expected, label)`` -- elementwise ``|got - exp| <= atol + rtol |exp|``
  (1e-10 by default) where NaN must match NaN; the message names ``label`` and the first
  offending positions.
* ``RSCRIPT`` / ``requires_rscript`` -- path of ``Rscript`` (or None) and a skip marker with
  a visible reason.
* ``step_figure``, ``read_quietly``, ``check_steps`` -- a raster test figure of step curves
  drawn by matplotlib, its reading by ``survkit.digitize`` without warnings, and the check
  of a read curve against the drawn one.
* ``race_clock(monkeypatch)`` -- every read of the process clock (``time.perf_counter``,
  ``time.monotonic``, ``time.time``) jumps 1000 s ahead, as on a machine 1000 s slower per
  step: results that depend on wall-clock budgets change under it.
"""

from __future__ import annotations

import itertools
import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

FIXTURES = Path(__file__).parent / "fixtures"
R_DIR = Path(__file__).parent / "r"
RSCRIPT = shutil.which("Rscript")
requires_rscript = pytest.mark.skipif(
    RSCRIPT is None, reason="Rscript not found on PATH: cross-check against R survival not run"
)

_SPECIAL = {None: np.nan, "Inf": np.inf, "-Inf": -np.inf, "NaN": np.nan, "NA": np.nan}


def race_clock(monkeypatch: pytest.MonkeyPatch, step: float = 1000.0) -> None:
    """Make every read of the process clock advance it by ``step`` seconds (until the end
    of the test): ``time.perf_counter``, ``time.monotonic`` and ``time.time`` are replaced in
    the ``time`` module itself, so every module reading them as ``time.<name>()`` (also under
    an alias such as ``_time``) sees the racing clock."""
    import time

    now = [time.perf_counter()]

    def racing() -> float:
        now[0] += step
        return now[0]

    for name in ("perf_counter", "monotonic", "time"):
        monkeypatch.setattr(time, name, racing)


def load_json(path: Path | str) -> Any:
    """Read a JSON fixture."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def r_array(x: Any) -> NDArray[np.float64]:
    """A JSON number, list of numbers, null or "Inf" as a float64 ndarray (at least 1-D)."""
    items = x if isinstance(x, list) else [x]
    return np.array(
        [_SPECIAL[v] if (v is None or isinstance(v, str)) else float(v) for v in items],
        dtype=np.float64,
    )


def r_float(x: Any) -> float:
    """A JSON scalar (number, null, "Inf") as a float."""
    return float(r_array(x)[0])


def assert_r_close(
    got: Any, expected: Any, label: str, *, rtol: float = 1e-10, atol: float = 1e-10
) -> None:
    """Assert ``got`` equals the R value ``expected`` to ``rtol``/``atol``, NaN matching NaN."""
    g = np.atleast_1d(np.asarray(got, dtype=np.float64))
    e = expected if isinstance(expected, np.ndarray) else r_array(expected)
    e = np.atleast_1d(e)
    assert g.shape == e.shape, f"{label}: shape {g.shape} != R's {e.shape}\n got {g}\n R   {e}"
    gn, en = np.isnan(g), np.isnan(e)
    both_inf = np.isinf(g) & np.isinf(e) & (np.sign(g) == np.sign(e))
    fin = np.isfinite(g) & np.isfinite(e)
    close = np.zeros(g.shape, dtype=bool)
    close[fin] = np.abs(g[fin] - e[fin]) <= atol + rtol * np.abs(e[fin])
    ok = (gn & en) | both_inf | close
    if not ok.all():
        bad = np.flatnonzero(~ok)
        rows = ", ".join(f"[{i}] got {g[i]!r} R {e[i]!r}" for i in bad[:5])
        more = f" (+{bad.size - 5} more)" if bad.size > 5 else ""
        raise AssertionError(f"{label}: {bad.size} of {g.size} differ: {rows}{more}")


def draw_staircase(
    mask: NDArray[np.bool_],
    knots: list[tuple[int, int]],
    end: int,
    dashed: bool,
    lw: int = 2,
    dashed_drops: bool = False,
) -> None:
    """Draw a staircase through ``(column, row)`` knots into ``mask`` (a raster test figure).

    Levels run from each knot to the next knot's column (the last to ``end``), ``lw`` pixels
    thick; ``dashed``: 6 pixels on, 4 off along the levels, and along the drops too when
    ``dashed_drops``.
    """
    for k, (c, r) in enumerate(knots):
        c_next = knots[k + 1][0] if k + 1 < len(knots) else end
        for cc in range(c, c_next + 1):
            if not dashed or (cc % 10) < 6:
                mask[r:r + lw, cc] = True
        if k + 1 < len(knots):
            r_next = knots[k + 1][1]
            if dashed and dashed_drops:
                for rr in range(r, r_next + lw):
                    if (rr % 10) < 6:
                        mask[rr, c_next:c_next + lw] = True
            else:
                mask[r:r_next + lw, c_next:c_next + lw] = True


def step_figure(tmp_path: Path, name: str, curves: list[dict[str, object]], legend: bool = True,
                dpi: int = 150) -> Path:
    """Draw step curves ``{"t": drop times, "s": levels after them, "end": last time,
    **matplotlib line properties}`` on a 0..20 x 0..1 axis and save a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for c in curves:
        props = {k: v for k, v in c.items() if k not in ("t", "s", "end")}
        t = [0.0, *c["t"], c["end"]]  # type: ignore[misc]
        s = [1.0, *c["s"], c["s"][-1]]  # type: ignore[index]
        ax.step(t, s, where="post", **props)
    ax.set_xlim(0, 20)
    ax.set_ylim(0, 1.05)
    ax.set_xticks([0, 5, 10, 15, 20])
    if legend:
        ax.legend(loc="lower left")
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def read_quietly(path: Path) -> object:
    """``survkit.digitize(path)`` with its warnings silenced."""
    from survkit import digitize

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return digitize(path)


def check_steps(curve: object, t: list[float], s: list[float], end: float) -> None:
    """Levels between the drops within 0.01 and every drop time within 0.25 (8 pixels:
    drops of a few pixels next to another curve's drop may be placed a little late)."""
    times = np.asarray(curve.time)  # type: ignore[attr-defined]
    bounds = [0.0, *t, end]
    mids = [(a + b) / 2 for a, b in itertools.pairwise(bounds)]
    assert curve.at(mids) == pytest.approx([1.0, *s], abs=0.01)  # type: ignore[attr-defined]
    for tk in t:
        assert np.min(np.abs(times - tk)) <= 0.25, (tk, times)
