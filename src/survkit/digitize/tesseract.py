"""Tesseract calls: in this process through its C API, or the ``tesseract`` program.

The C API of ``libtesseract`` (Apache-2.0; Debian package ``libtesseract5``, installed with
``tesseract-ocr``) is called through :mod:`ctypes`: the English model is loaded once per
process (about 0.14 s) and an image is handed over as raw 8-bit pixels, where the command
line (through pytesseract) starts a process, loads the model and encodes and decodes a PNG
file for every call (about 0.2 s of overhead per call). Both give the same TSV: the
command line's ``tesseract IMAGE out --psm N -c tessedit_char_whitelist=... tsv`` runs the
same ``SetImage`` / ``Recognize`` / ``GetTSVText`` steps on the same pixels.

Tesseract runs single-threaded either way (``OMP_THREAD_LIMIT=1``: on a busy machine its
OpenMP threads slow it down several-fold). In this process the limit is read by the OpenMP
runtime when the library is loaded, so the library is loaded with the variable set; when
the runtime was already loaded without the limit (another library of the process uses
OpenMP), the command line is used instead. Set ``SURVKIT_TESSERACT=cli`` to always use the
command line.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

from survkit.digitize.deps import require

__all__ = ["image_to_data", "in_process", "warm_up"]

_COLUMNS = ("left", "top", "width", "height", "conf", "text")


class _Api:
    """One ``TessBaseAPI`` handle with the English model loaded (used under a lock)."""

    def __init__(self, lib: Any) -> None:
        self.lib = lib
        self.handle = lib.TessBaseAPICreate()
        if not self.handle or lib.TessBaseAPIInit3(self.handle, None, b"eng") != 0:
            raise OSError("libtesseract: the English model (eng.traineddata) was not loaded")
        self.pid = os.getpid()

    def close(self) -> None:
        if self.handle and self.pid == os.getpid():
            self.lib.TessBaseAPIEnd(self.handle)
            self.lib.TessBaseAPIDelete(self.handle)
        self.handle = None

    def tsv(self, image: NDArray[np.uint8], psm: int, whitelist: str) -> str:
        lib, h = self.lib, self.handle
        img = np.ascontiguousarray(image, dtype=np.uint8)
        rows, cols = img.shape
        lib.TessBaseAPISetPageSegMode(h, psm)
        lib.TessBaseAPISetVariable(h, b"tessedit_char_whitelist", whitelist.encode("utf-8"))
        lib.TessBaseAPISetImage(h, img.ctypes.data, cols, rows, 1, cols)
        if lib.TessBaseAPIRecognize(h, None) != 0:
            raise OSError("libtesseract: recognition failed")
        ptr = lib.TessBaseAPIGetTsvText(h, 0)
        try:
            return ctypes.string_at(ptr).decode("utf-8", errors="replace") if ptr else ""
        finally:
            if ptr:
                lib.TessDeleteText(ptr)
            lib.TessBaseAPIClear(h)


_lock = threading.Lock()
#: "lib": the loaded library or None; "api": an _Api; "thread": the warm-up thread;
#: "inherited": in a forked child, its copy of the parent's handle
_state: dict[str, Any] = {}


def _shutdown() -> None:
    """At exit: let a model still loading finish, then free it (Tesseract complains on
    stderr about a handle left open, which would break the command line's one-line errors)."""
    thread = _state.get("thread")
    if thread is not None and thread.is_alive():
        thread.join()
    for key in ("api", "inherited"):
        api = _state.get(key)
        if api is not None:
            api.close()


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()  # a lock held by a thread of the parent would never be released
    _state.pop("thread", None)
    inherited = _state.pop("api", None)  # the parent's handle is not used in the child...
    if inherited is not None:
        inherited.pid = os.getpid()  # ... but this copy of it is freed at the child's exit
        _state["inherited"] = inherited


atexit.register(_shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _declare(lib: Any) -> None:
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    lib.TessBaseAPICreate.restype = vp
    lib.TessBaseAPICreate.argtypes = []
    lib.TessBaseAPIInit3.argtypes = [vp, cp, cp]
    lib.TessBaseAPIInit3.restype = i
    lib.TessBaseAPISetPageSegMode.argtypes = [vp, i]
    lib.TessBaseAPISetVariable.argtypes = [vp, cp, cp]
    lib.TessBaseAPISetVariable.restype = i
    lib.TessBaseAPISetImage.argtypes = [vp, vp, i, i, i, i]
    lib.TessBaseAPIRecognize.argtypes = [vp, vp]
    lib.TessBaseAPIRecognize.restype = i
    lib.TessBaseAPIGetTsvText.argtypes = [vp, i]
    lib.TessBaseAPIGetTsvText.restype = vp
    lib.TessDeleteText.argtypes = [vp]
    lib.TessBaseAPIClear.argtypes = [vp]
    lib.TessBaseAPIEnd.argtypes = [vp]
    lib.TessBaseAPIDelete.argtypes = [vp]


def _load_library() -> Any:
    """The C library, loaded with ``OMP_THREAD_LIMIT=1``; None when it cannot be used."""
    if "lib" in _state:
        return _state["lib"]
    _state["lib"] = None
    if os.environ.get("SURVKIT_TESSERACT", "").lower() == "cli":
        return None
    name = ctypes.util.find_library("tesseract")
    if name is None:
        return None
    with _thread_limit():
        try:
            lib = ctypes.CDLL(name)
            _declare(lib)
        except (OSError, AttributeError):
            return None  # missing, or too old to have the functions used here
    try:
        gomp = ctypes.CDLL(ctypes.util.find_library("gomp") or "libgomp.so.1")
        limit = int(gomp.omp_get_thread_limit())
    except (OSError, AttributeError):
        limit = 1  # no OpenMP runtime: Tesseract runs on one thread
    if limit > 1:
        return None  # the runtime was loaded before, without the limit
    _state["lib"] = lib
    return lib


def _api() -> _Api | None:
    """The process's API handle (made on first use; a forked child makes its own)."""
    api = _state.get("api")
    if api is not None and api.pid == os.getpid():
        return api
    lib = _load_library()
    if lib is None:
        return None
    try:
        api = _Api(lib)
    except OSError:
        _state["lib"] = None
        return None
    _state["api"] = api
    return api


def in_process() -> bool:
    """Whether Tesseract is called in this process (its C API) rather than as a program."""
    with _lock:
        return _api() is not None


def warm_up() -> None:
    """Load the model in a background thread (the C API releases the interpreter lock), so
    that it loads while the image is read and its components are found."""
    if "api" in _state or "thread" in _state or _state.get("lib", True) is None:
        return
    with _lock:
        lib = _load_library()  # in this thread: the environment is changed around it
    if lib is None:
        return

    def run() -> None:
        with _lock:
            _api()

    thread = threading.Thread(target=run, name="survkit-tesseract-init", daemon=True)
    _state["thread"] = thread
    thread.start()


def image_to_data(image: NDArray[np.uint8], *, psm: int, whitelist: str,
                  engine: str = "auto") -> dict[str, list[Any]]:
    """Tesseract's word boxes for a grey image (dark text on white), like pytesseract's
    ``image_to_data(..., output_type=Output.DICT)``: lists ``left``, ``top``, ``width``,
    ``height`` (pixels), ``conf`` (-1 for the page, block and line entries) and ``text``.

    ``engine``: ``"auto"`` (the C API when it can be used, else the program), ``"api"``
    (ValueError when the C API cannot be used) or ``"cli"`` (the program).
    """
    if engine not in ("auto", "api", "cli"):
        raise ValueError(f"engine: must be 'auto', 'api' or 'cli', not {engine!r}")
    tsv = None
    if engine != "cli":
        with _lock:
            api = _api()
            tsv = api.tsv(image, psm, whitelist) if api is not None else None
        if tsv is None and engine == "api":
            raise ValueError("engine: 'api' asked for, but libtesseract cannot be called in "
                             "this process")
    if tsv is None:
        return _command_line(image, psm, whitelist)
    out: dict[str, list[Any]] = {k: [] for k in _COLUMNS}
    for line in tsv.splitlines():
        parts = line.split("\t")
        if len(parts) < 11 or not parts[0].isdigit():
            continue  # a header line (the command line writes one; the API does not)
        text = parts[11] if len(parts) > 11 else ""
        out["left"].append(int(parts[6]))
        out["top"].append(int(parts[7]))
        out["width"].append(int(parts[8]))
        out["height"].append(int(parts[9]))
        out["conf"].append(float(parts[10]))
        out["text"].append(text)
    return out


def _command_line(image: NDArray[np.uint8], psm: int, whitelist: str) -> dict[str, list[Any]]:
    """The same through the ``tesseract`` program (pytesseract), single-threaded."""
    pt = require("pytesseract", "reading text by OCR")
    with _thread_limit():
        data = pt.image_to_data(image, config=f"--psm {psm} -c tessedit_char_whitelist="
                                f"{whitelist}", output_type=pt.Output.DICT)
    return {k: list(data[k]) for k in _COLUMNS}


@contextmanager
def _thread_limit() -> Iterator[None]:
    """``OMP_THREAD_LIMIT=1`` in the environment for the duration, then restored."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old
