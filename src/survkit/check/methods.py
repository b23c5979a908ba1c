r"""CI methods the checker can test: R's five transforms, and the protocol for more.

The search and the no-n analysis need three things from a method (:class:`CIMethod`):

* ``limits(surv, half_width)``: the printed limits for a Kaplan-Meier estimate ``S`` and
  ``h = z SE(log S)`` (Greenwood), vectorised, with the lower limit non-increasing and the upper
  non-decreasing in ``h`` (the width analysis bisects in ``h``);
* ``lower_peak(half_width)``: for fixed ``h``, the upper limit must be non-decreasing in ``S``
  and the lower limit non-decreasing up to ``lower_peak(h)`` and non-increasing after it
  (NaN: non-decreasing everywhere) -- the fact that makes the width analysis's enclosure of a
  limit over an S-cell provable (:mod:`survkit.check.width`);
* ``reference(time, event, landmarks, conf_level)``: ``(surv, lower, upper)`` at the
  landmarks for a batch of datasets, computed independently of ``limits`` where possible,
  to re-verify every listed history.

A new method (a hand calculation, say) is a small object with a ``name`` and these three
functions, passed to :func:`survkit.check.check_ci` in ``methods=``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from survkit.estimate.ci import CONF_TYPES, ConfType, transform_bounds

FloatArray = NDArray[np.float64]


@runtime_checkable
class CIMethod(Protocol):
    """A way of computing a printed CI from ``S`` and ``h = z SE(log S)`` (see module doc)."""

    @property
    def name(self) -> str:
        """Identifier used as the key of verdicts and histories."""
        ...

    def limits(
        self, surv: FloatArray, half_width: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Lower and upper limits (NaN where undefined)."""
        ...

    def lower_peak(self, half_width: FloatArray) -> FloatArray:
        """Where the lower limit stops increasing in ``S`` for fixed ``h`` (NaN: never)."""
        ...

    def reference(
        self,
        time: FloatArray,
        event: FloatArray,
        landmarks: FloatArray,
        conf_level: float,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """``(surv, lower, upper)``, shape ``(B, J)``, for ``B`` datasets at ``J`` landmarks."""
        ...


@dataclass(frozen=True)
class TransformMethod:
    r"""One of R's ``survfit`` transforms (:func:`survkit.estimate.ci.transform_bounds`).

    The lower limit's peak in ``S`` for fixed ``h``: ``plain`` and ``log`` are monotone
    (NaN); ``log-log``: :math:`\log L = -x e^{h/x}` with :math:`x = -\log S` is largest at
    :math:`x = h`, so :math:`S^* = e^{-h}`; ``logit``: :math:`\mathrm{logit}\,S - h/(1-S)` has
    derivative :math:`(1/(1-S))(1/S - h/(1-S))`, zero at :math:`S^* = 1/(1+h)`; ``arcsin``:
    :math:`\arcsin\sqrt S - (h/2)\sqrt{S/(1-S)}` has derivative
    :math:`(1 - h/(2(1-S)))/(2\sqrt{S(1-S)})`, zero at :math:`S^* = 1 - h/2`. Each is positive
    before and negative after, and the clamps (``max(0, .)``, ``min(1, .)``) keep that shape.
    The upper limit is non-decreasing in ``S`` for all five.
    """

    conf_type: ConfType

    @property
    def name(self) -> str:
        return self.conf_type

    def limits(
        self, surv: FloatArray, half_width: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        return transform_bounds(surv, half_width, self.conf_type)

    def lower_peak(self, half_width: FloatArray) -> FloatArray:
        h = np.asarray(half_width, dtype=np.float64)
        if self.conf_type == "log-log":
            return np.exp(-h)
        if self.conf_type == "logit":
            return 1.0 / (1.0 + h)
        if self.conf_type == "arcsin":
            return 1.0 - 0.5 * h
        return np.full(h.shape, np.nan)

    def reference(
        self,
        time: FloatArray,
        event: FloatArray,
        landmarks: FloatArray,
        conf_level: float,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        from survkit.estimate.batch import kaplan_meier_at

        out = kaplan_meier_at(
            time, event, landmarks, conf_type=self.conf_type, conf_level=conf_level
        )
        return out.surv, out.lower, out.upper


#: The five transforms of R ``survfit``, in :data:`~survkit.estimate.ci.CONF_TYPES` order.
TRANSFORMS: Final[tuple[TransformMethod, ...]] = tuple(TransformMethod(ct) for ct in CONF_TYPES)
