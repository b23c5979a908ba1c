"""Read Kaplan–Meier figures: curves, censoring marks and numbers at risk.

:func:`digitize` reads a PDF, SVG, PNG or JPEG figure and returns a :class:`Digitized`
result (``to_frame()``, ``risk_frame()``, ``ipd()``, ``plot()``). Vector figures are read
exactly from the file's own coordinates; raster figures are traced and their labels read by
OCR. The optional dependencies are installed with ``pip install 'survkit[digitize]'``.

The package is itself callable: ``survkit.digitize(path)`` is :func:`digitize`, and
``survkit.digitize.core`` is still this package's submodule (a function in its place on
``survkit`` would hide the submodules from ``import survkit.digitize.core as core``).
"""

import inspect
import sys
import types
from typing import Any

from survkit.digitize.core import DigitizeWarning, digitize, read_scene
from survkit.digitize.result import Curve, Digitized

__all__ = ["Curve", "DigitizeWarning", "Digitized", "digitize", "read_scene"]


class _CallablePackage(types.ModuleType):
    """This package, called as :func:`digitize` (same arguments, same result)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Digitized:
        return digitize(*args, **kwargs)


#: what :func:`inspect.signature` reports for the callable package
__signature__ = inspect.signature(digitize)
sys.modules[__name__].__class__ = _CallablePackage
