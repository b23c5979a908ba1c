"""The ``survkit`` command line.

Each subcommand lives in its own module of this package exposing
``register(subparsers) -> None`` (adds its parser and sets ``func`` to a callable
``(args) -> int``). Errors in the user's input (``ValueError``, ``TypeError``,
``FileNotFoundError``, :class:`UsageError`) end with exit code 2 and one line on stderr, never a
traceback. Output files are written to a temporary name and moved into place, so a failed run
never leaves a half-written file (see :func:`survkit.cli._io.atomic_write`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from survkit.cli._io import UsageError

#: Subcommand modules, in the order ``survkit --help`` lists them.
SUBCOMMANDS = ("reproduce", "km", "check", "ipd", "digitize")


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level argument parser with every available subcommand."""
    from survkit import __version__

    parser = argparse.ArgumentParser(
        prog="survkit",
        description="Reproduce, check and reconstruct printed survival endpoints.",
    )
    parser.add_argument("--version", action="version", version=f"survkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"survkit.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"survkit.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``survkit`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (``survkit ... | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (UsageError, ValueError, TypeError, FileNotFoundError, KeyError) as exc:
        msg = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        line = msg.splitlines()[0] if msg else type(exc).__name__
        print(f"survkit {args.command}: error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
