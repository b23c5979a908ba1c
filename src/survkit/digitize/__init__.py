"""Read Kaplan–Meier figures: curves, censoring marks and numbers at risk.

:func:`digitize` reads a PDF, SVG, PNG or JPEG figure and returns a :class:`Digitized`
result (``to_frame()``, ``risk_frame()``, ``ipd()``, ``plot()``). Vector figures are read
exactly from the file's own coordinates; raster figures are traced and their labels read by
OCR. The optional dependencies are installed with ``pip install 'survkit[digitize]'``.
"""

from survkit.digitize.core import DigitizeWarning, digitize, read_scene
from survkit.digitize.result import Curve, Digitized

__all__ = ["Curve", "DigitizeWarning", "Digitized", "digitize", "read_scene"]
