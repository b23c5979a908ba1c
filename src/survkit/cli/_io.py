"""I/O machinery shared by every subcommand: exit codes, errors, atomic outputs, input files.

Exit codes (documented in ``survkit --help`` and docs/cli.md):

====  ==========================================================================
0     done / the printed numbers are consistent
1     the printed numbers are inconsistent (as ``diff`` and ``cmp`` do)
2     bad input: a usage error, an unreadable input file, an unwritable output
3     undecided within the budget (raise :class:`Undecided`)
130   interrupted (Ctrl-C): nothing partial is left behind
====  ==========================================================================

How a subcommand uses this module
---------------------------------
* Raise :class:`UsageError` (or ``ValueError``/``TypeError``) for bad input; raise
  :class:`Undecided` when a search ran out of budget; return 0 or 1 otherwise. ``main()``
  turns every ``OSError`` into one line naming the path, and Ctrl-C into one line and 130.
* Check output paths *before* the long computation: :func:`check_output_file`
  (``--plot``, ``--table``, ``--out FILE``) and :func:`check_output_dir` (``--out DIR``).
* Write files through :class:`OutputFiles` (several files, committed together at the end of
  the ``with`` block) or :func:`atomic_path` / :func:`atomic_write` (one file), and output
  directories through :func:`atomic_dir` (built in a temporary sibling, swapped in whole).
  Nothing is visible under the final names until everything was written; an exception or
  Ctrl-C leaves the previous contents untouched. Modes follow the umask.
* Read input files through :func:`read_csv` and :func:`numeric_column`: errors name the file
  and count rows as a spreadsheet shows them (row 1 is the header, the first data row is 2).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np

T = TypeVar("T")

EXIT_OK = 0
EXIT_INCONSISTENT = 1
EXIT_USAGE = 2
EXIT_UNDECIDED = 3
EXIT_INTERRUPTED = 130

#: The exit codes as ``survkit --help`` and every subcommand's help list them.
EXIT_CODES_HELP = """exit codes:
  0    done / the printed numbers are consistent
  1    the printed numbers are inconsistent
  2    bad input: usage, unreadable input file, unwritable output
  3    undecided within the budget
  4    internal error (a bug in survkit: please report it)
  130  interrupted (Ctrl-C); nothing partial is written"""

#: Figure formats written by ``--plot`` and ``--format`` (vector: pdf, svg; raster: png).
FIGURE_FORMATS = ("png", "pdf", "svg")

#: Name of the marker file in every output directory written by :func:`atomic_dir`.
MARKER = ".survkit-output"

#: Spreadsheet row numbering, said in every row-level error message.
ROW_CONVENTION = "rows counted as in a spreadsheet: row 1 is the header"


class UsageError(Exception):
    """A problem with the command-line input; reported in one line with exit code 2."""


class Undecided(Exception):
    """A search that ran out of its budget without deciding; one line, exit code 3."""


# ----------------------------------------------------------------------------- permissions
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _chmod_default(path: str | os.PathLike[str], *, directory: bool = False) -> None:
    """Give ``path`` the mode a newly created file (0666) or directory (0777) gets under the
    umask; ``tempfile`` creates them 0600/0700."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Hold SIGINT during a few renames, so Ctrl-C cannot land between them."""
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, ValueError, OSError):  # pragma: no cover - non-POSIX / thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _path_error(exc: OSError, path: str | os.PathLike[str], action: str = "write") -> OSError:
    """The same error, naming ``path`` (not a temporary name) and what failed."""
    why = exc.strerror or str(exc)
    return OSError(exc.errno, f"cannot {action} ({why})", os.fspath(path))


# ----------------------------------------------------------------------------- output checks
def check_output_file(
    path: str | os.PathLike[str], option: str, *, formats: Sequence[str] | None = None
) -> Path:
    """Check early that ``path`` can be written as a file; return it as a Path.

    Raises :class:`UsageError` naming ``option`` when ``path`` is an existing directory, its
    parent is missing-and-uncreatable (a file on the way) or not writable, or (with
    ``formats``) its extension is not one of them.
    """
    target = Path(path)
    if not str(path).strip():
        raise UsageError(f"{option}: empty path")
    if target.is_dir():
        raise UsageError(f"{option} {path}: is a directory (give a file name)")
    if formats is not None:
        ext = target.suffix.lower().lstrip(".")
        if ext not in formats:
            raise UsageError(
                f"{option} {path}: unknown figure format {target.suffix or '(none)'!r}; use "
                + ", ".join(f".{f}" for f in formats)
            )
    _check_parent(target, option, path)
    return target


def _check_parent(target: Path, option: str, path: str | os.PathLike[str]) -> None:
    parent = target.parent
    p = parent
    while not p.exists():
        if p == p.parent:
            break
        p = p.parent
    if p.exists() and not p.is_dir():
        raise UsageError(f"{option} {path}: {p} is not a directory")
    if p.exists() and not os.access(p, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: directory {p} is not writable")


def check_output_dir(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """Check early that ``path`` can be (re)placed by :func:`atomic_dir`; return it as a Path.

    An existing ``path`` must be a directory that is empty or holds a previous run (the marker
    file ``.survkit-output``): a directory of other files is never replaced.
    """
    target = Path(path)
    if not str(path).strip():
        raise UsageError(f"{option}: empty path")
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise UsageError(f"{option} {path}: exists and is not a directory")
        try:
            entries = os.listdir(target)
        except OSError as exc:
            raise _path_error(exc, target, "read") from None
        if entries and MARKER not in entries:
            raise UsageError(
                f"{option} {path}: directory exists, is not empty and was not written by "
                "survkit (no .survkit-output); it is not replaced: give a new or empty directory"
            )
    _check_parent(target, option, path)
    return target


# ----------------------------------------------------------------------------- atomic files
@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it onto ``path`` only on success.

    Use for writers that want a file name (``fig.savefig(tmp)``, ``df.to_csv(tmp)``). The file
    gets the mode the umask gives new files; on an exception (Ctrl-C included) it is removed.
    An ``OSError`` names ``path``, never the temporary name.
    """
    with OutputFiles() as out:
        tmp = out.path(path)
        yield tmp


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[str]], None]) -> None:
    """Write a text file through ``write(handle)`` atomically (temp file + rename)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        write(fh)


class OutputFiles:
    """Several output files written together: all appear at the end of the ``with`` block, or
    none does.

    ::

        with OutputFiles() as out:
            table.to_csv(out.path(args.table), index=False)
            save_figure(fig, out.path(args.plot), "--plot")
        # both files are in place here; after an error or Ctrl-C neither was touched
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []

    def __enter__(self) -> OutputFiles:
        return self

    def path(self, path: str | os.PathLike[str]) -> Path:
        """A temporary file next to ``path`` that becomes ``path`` on commit.

        A symbolic link is followed (its target is replaced, not the link). A path that is not
        a regular file (``/dev/stdout``, a named pipe, a device) is returned as is and written
        directly: it cannot be replaced by a rename.
        """
        if os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path):
            return Path(path)
        target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent
            )
        except OSError as exc:
            raise _path_error(exc, target) from None
        os.close(fd)
        self._staged.append((Path(tmp), target))
        return Path(tmp)

    def write_text(self, path: str | os.PathLike[str], text: str) -> None:
        """Stage a UTF-8 text file."""
        self.path(path).write_text(text, encoding="utf-8")

    def commit(self) -> None:
        """Move every staged file onto its final name (modes from the umask)."""
        with _sigint_deferred():
            for tmp, target in self._staged:
                try:
                    _chmod_default(tmp)
                    os.replace(tmp, target)
                except OSError as exc:
                    raise _path_error(exc, target) from None
            self._staged.clear()

    def discard(self) -> None:
        """Remove every staged file."""
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._staged.clear()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.discard()


# ----------------------------------------------------------------------------- atomic dirs
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: file system cannot exchange
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


@contextmanager
def atomic_dir(path: str | os.PathLike[str], option: str = "--out") -> Iterator[Path]:
    """Yield a fresh temporary directory next to ``path``; swap it in whole on success.

    ``path`` then holds exactly the files of this run (plus the marker ``.survkit-output``),
    never a mixture with a previous run: the temporary sibling replaces the old directory in
    one rename exchange (where the file system supports it; otherwise two renames with SIGINT
    held), and the old one is removed. On an exception or Ctrl-C the temporary directory is
    removed and ``path`` is untouched. An existing ``path`` must pass
    :func:`check_output_dir`. Modes follow the umask.
    """
    check_output_dir(path, option)
    # a symbolic link to a directory: the directory it points to is replaced, the link kept
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise _path_error(exc, target) from None
    try:
        yield tmp
        try:
            _commit_dir(tmp, target, option)
        except OSError as exc:
            raise _path_error(exc, target) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _commit_dir(tmp: Path, target: Path, option: str) -> None:
    (tmp / MARKER).write_text(
        "Written by survkit. The next survkit run into this directory replaces it whole.\n",
        encoding="utf-8",
    )
    for f in tmp.rglob("*"):
        _chmod_default(f, directory=f.is_dir())
    _chmod_default(tmp, directory=True)
    with _sigint_deferred():
        check_output_dir(target, option)
        if not target.exists():
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous run
        else:
            old = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
            )
            os.rmdir(old)
            os.rename(target, old)
            try:
                os.rename(tmp, target)
            except OSError:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)


def save_figure(fig: Any, path: str | os.PathLike[str], fmt: str | None = None,
                *, dpi: int = 300) -> None:
    """Save a matplotlib figure at ``path`` (a temporary name of :class:`OutputFiles`).

    ``fmt`` defaults to the extension of ``path`` (staged names keep it): vector for
    pdf/svg, ``dpi`` (300 by default) for png.
    """
    if fmt is None:
        fmt = Path(path).suffix.lower().lstrip(".") or "png"
    fig.savefig(path, dpi=dpi, bbox_inches="tight", format=fmt,
                metadata={"Software": "survkit"} if fmt == "png" else None)


# ----------------------------------------------------------------------------- inputs
def read_csv(path: str, what: str, **kwargs: Any) -> Any:
    """Read a CSV input file; errors name ``what`` and the path (exit 2 through ``main``).

    Missing files, directories and unreadable files raise ``OSError`` naming the path;
    unparseable or empty files :class:`UsageError`.
    """
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise UsageError(f"{what}: no such file: {path}")
    if p.is_dir():
        raise UsageError(f"{what}: {path} is a directory, not a CSV file")
    try:
        return pd.read_csv(p, **kwargs)
    except OSError as exc:
        raise _path_error(exc, p, "read") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{what}: cannot read {path} as CSV: {first}") from None


def numeric_column(
    values: Any,
    what: str,
    *,
    header: bool = True,
    nonnegative: bool = False,
    allow_nan: bool = False,
) -> np.ndarray:
    """A column of a CSV file as floats; the first bad cell is named by its spreadsheet row.

    ``header=True``: the file's row 1 is the header, so data row ``i`` (0-based) is row
    ``i + 2``; without a header it is ``i + 1``.
    """
    import pandas as pd

    s = pd.Series(values)
    num = pd.to_numeric(s, errors="coerce")
    arr = num.to_numpy(dtype=np.float64, na_value=np.nan)
    offset = 2 if header else 1
    conv = f"{ROW_CONVENTION}" if header else "rows counted as in a spreadsheet (no header)"
    bad_text = num.isna().to_numpy() & s.notna().to_numpy()
    if s.dtype == object:
        bad_text &= s.astype(str).str.strip().to_numpy() != ""
    if bad_text.any():
        i = int(np.argmax(bad_text))
        raise UsageError(f"{what}: row {i + offset} has {s.iloc[i]!r}, not a number ({conv})")
    if not allow_nan and np.isnan(arr).any():
        i = int(np.argmax(np.isnan(arr)))
        raise UsageError(f"{what}: row {i + offset} is empty ({conv})")
    if np.isinf(arr).any():
        i = int(np.argmax(np.isinf(arr)))
        raise UsageError(f"{what}: row {i + offset} is infinite ({conv})")
    if nonnegative and (arr < 0).any():
        i = int(np.argmax(arr < 0))
        raise UsageError(f"{what}: row {i + offset} is negative ({arr[i]:g}) ({conv})")
    return arr


# ----------------------------------------------------------------------------- option values
def parse_list(
    text: str, name: str, convert: Callable[[str], T] = float, what: str = "a number"  # type: ignore[assignment]
) -> list[T]:
    """Parse ``"6,12,24"`` with ``convert``; raise :class:`UsageError` naming ``name`` otherwise."""
    out: list[T] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(convert(part))
        except ValueError:
            raise UsageError(f"{name}: {part!r} is not {what}") from None
    if not out:
        raise UsageError(f"{name}: no numbers given")
    return out


def parse_float_list(text: str, name: str, *, nonnegative: bool = False) -> list[float]:
    """Parse ``"6,12,24"`` into finite floats (see :func:`parse_list`); ``nonnegative``
    rejects negative values, naming ``name``."""
    vals = parse_list(text, name, float, "a number")
    for v in vals:
        if not np.isfinite(v):
            raise UsageError(f"{name}: {v!r} is not a finite number")
        if nonnegative and v < 0:
            raise UsageError(f"{name}: {v:g} is negative; times must be >= 0")
    return vals


#: Largest seed numpy accepts as an integer.
SEED_MAX = 2**32 - 1


def check_seed(value: Any, option: str = "--seed") -> int | None:
    """Check a ``--seed`` value: None or a whole number in 0 .. 2**32 - 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise UsageError(f"{option}: {value!r} is not a whole number")
    if not 0 <= int(value) <= SEED_MAX:
        raise UsageError(f"{option}: must be a whole number from 0 to {SEED_MAX}, got {value}")
    return int(value)
