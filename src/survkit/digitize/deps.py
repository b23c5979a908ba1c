"""Optional dependencies of :mod:`survkit.digitize`, imported on first use.

The readers need packages that the rest of survkit does not (``pip install survkit[digitize]``):
pdfplumber (PDF, MIT licence), svgelements (SVG), pypdfium2 (PDF rendering for the overlay),
scikit-image and pytesseract (raster figures; pytesseract needs the ``tesseract`` program,
Debian package ``tesseract-ocr``).
"""

from __future__ import annotations

import importlib
import shutil
from types import ModuleType

__all__ = ["have_tesseract", "require"]


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise ImportError naming the ``digitize`` extra and the purpose."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"{purpose} needs the Python package {module.split('.')[0]!r}; "
            "install it with: pip install 'survkit[digitize]'"
        ) from exc


def have_tesseract() -> bool:
    """Whether the ``tesseract`` OCR program is on PATH (Debian package tesseract-ocr)."""
    return shutil.which("tesseract") is not None
