"""The no-n width analysis: the enclosure of a CI limit over an S-cell is provable.

Recall of check_ci rests on it: a cell is dropped only when the enclosure says no S in it can
print the limits. Here dense grids test the enclosure (every sampled limit value lies inside)
for the five transforms, and the peak of the lower limit is checked against the closed forms
derived in survkit.check.methods.TransformMethod.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survkit.check.methods import TRANSFORMS, TransformMethod
from survkit.check.width import limit_ranges
from survkit.estimate.ci import CONF_TYPES, transform_bounds


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(CONF_TYPES),
    st.floats(0.0, 10.0),
    st.floats(1e-6, 1 - 1e-6),
    st.floats(1e-6, 0.5),
)
def test_enclosure_holds_on_dense_grid(ct: str, h: float, a: float, width: float) -> None:
    b = min(a + width, 1 - 1e-9)
    method = TransformMethod(ct)  # type: ignore[arg-type]
    (lo_min, lo_max), (up_min, up_max) = limit_ranges(
        np.array([a]), np.array([b]), np.array([h]), method
    )
    s = np.linspace(a, b, 4001)
    with np.errstate(over="ignore", invalid="ignore"):
        lo, up = transform_bounds(s, np.full(s.shape, h), ct)  # type: ignore[arg-type]
    ok_lo = np.isnan(lo) | ((lo >= lo_min[0]) & (lo <= lo_max[0]))
    ok_up = np.isnan(up) | ((up >= up_min[0]) & (up <= up_max[0]))
    assert ok_lo.all() and ok_up.all(), (ct, h, a, b)


@pytest.mark.parametrize("method", TRANSFORMS, ids=CONF_TYPES)
def test_lower_peak_is_the_maximum(method: TransformMethod) -> None:
    """On a fine grid the lower limit is largest at the closed-form peak (within a grid step),
    and the upper limit is non-decreasing in S."""
    s = np.linspace(1e-4, 1 - 1e-4, 200_001)
    for h in (0.05, 0.3, 0.9, 1.5, 3.0):
        with np.errstate(over="ignore", invalid="ignore"):
            lo, up = method.limits(s, np.full(s.shape, h))
        peak = float(method.lower_peak(np.array([h]))[0])
        fin = np.isfinite(up)
        assert np.all(np.diff(up[fin]) >= -1e-15), (method.name, h)
        if np.isnan(peak) or not 0 < peak < 1:
            assert np.all(np.diff(lo[np.isfinite(lo)]) >= -1e-15), (method.name, h)
            continue
        i = int(np.nanargmax(lo))
        assert abs(s[i] - peak) <= 2e-5 or lo[i] - method.limits(
            np.array([peak]), np.array([h])
        )[0][0] <= 1e-12, (method.name, h, s[i], peak)
        # increasing before the peak, decreasing after
        before, after = lo[s < peak], lo[s > peak]
        assert np.all(np.diff(before) >= -1e-15) and np.all(np.diff(after) <= 1e-15)


def test_plain_and_log_have_no_peak() -> None:
    for ct in ("plain", "log"):
        assert np.isnan(TransformMethod(ct).lower_peak(np.array([0.5]))).all()  # type: ignore[arg-type]
