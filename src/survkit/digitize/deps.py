"""Optional dependencies of :mod:`survkit.digitize`, imported on first use.

The readers need packages that the rest of survkit does not (``pip install survkit[digitize]``):
pdfplumber (PDF, MIT licence), svgelements (SVG), pypdfium2 (PDF rendering for the overlay),
scikit-image and pytesseract (raster figures: OCR by Tesseract, called in the process
through libtesseract or as the ``tesseract`` program; Debian package ``tesseract-ocr``).
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
    """Whether Tesseract OCR can be used: the ``tesseract`` program is on PATH (Debian
    package tesseract-ocr), or its library, libtesseract, can be called in this process
    with the English model (:mod:`survkit.digitize.tesseract`; then the program is not
    needed).

    The program is looked for first (no library is loaded for that); only without it is
    the library loaded, with its model, to find out whether it works.
    """
    if shutil.which("tesseract") is not None:
        return True
    from survkit.digitize.tesseract import in_process  # imports this module: not at the top

    return in_process()
