"""The ``survkit`` command line.

Each subcommand lives in its own module of this package exposing
``register(subparsers) -> None`` (adds its parser and sets ``func`` to a callable
``(args) -> int``). :func:`main` gives every subcommand the same behaviour, so a subcommand
only raises and returns (see :mod:`survkit.cli._io` for the helpers it uses to read and write):

* exit codes: 0 done / consistent, 1 inconsistent, 2 bad input, 3 undecided within the
  budget, 130 interrupted (143 terminated), 4 internal error (a bug);
* bad input (``ValueError``, ``TypeError``, ``KeyError``, :class:`UsageError`, argparse
  errors) and every ``OSError`` on an input or output file: one line on stderr naming the
  option or the path, exit 2, never a traceback;
* Ctrl-C: one line, exit 130; outputs are staged (:class:`survkit.cli._io.OutputFiles`,
  :func:`survkit.cli._io.atomic_dir`), so nothing partial is left behind;
* option values that start with ``-`` (``--times -5,6``) reach the option and its own check;
  ``--seed`` of every subcommand is checked here (0 to 2**32 - 1);
* help texts are shown without reStructuredText markup and end with the exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import signal
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, NoReturn

from survkit.cli._io import (
    EXIT_CODES_HELP,
    EXIT_INCONSISTENT,
    EXIT_INTERRUPTED,
    EXIT_UNDECIDED,
    EXIT_USAGE,
    Undecided,
    UsageError,
    check_seed,
)

#: Subcommand modules, in the order ``survkit --help`` lists them.
SUBCOMMANDS = ("reproduce", "km", "check", "ipd", "digitize")

EXIT_TERMINATED = 143
EXIT_INTERNAL = 4


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``survkit km: error: ...``), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc|ref):`~?([^`]+)`")


def plain_text(doc: str | None) -> str | None:
    """Help text without reStructuredText markup (roles, double back-quotes, ``::``)."""
    if doc is None:
        return None
    text = _ROLE.sub(lambda m: m.group(1).split(".")[-1] if m.group(0)[1:5] != "ref:" else
                     m.group(1), doc)
    text = text.replace("``", "")
    text = re.sub(r"(?<=\S)::\s*$", ":", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*::\s*$\n?", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    return text


def _fill(text: str | None) -> str | None:
    """Wrap the unindented paragraphs of a help text; keep indented (example) lines."""
    if text is None:
        return None
    out: list[str] = []
    for para in re.split(r"\n\s*\n", textwrap.dedent(text).strip("\n")):
        lines = para.splitlines()
        if any(ln.startswith(" ") for ln in lines):
            out.append(para)
        else:
            out.append(textwrap.fill(" ".join(ln.strip() for ln in lines), width=78))
    return "\n\n".join(out)


def _polish(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = _fill(plain_text(parser.description))
    extra = _fill(plain_text(parser.epilog))
    parser.epilog = (extra + "\n\n" if extra else "") + EXIT_CODES_HELP
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            action.help = plain_text(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _polish(sub)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level argument parser with every available subcommand."""
    from survkit import __version__

    parser = OneLineParser(
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
    _polish(parser)
    return parser


_NEGATIVE_VALUE = re.compile(r"^-(?:\d|\.\d|inf|nan)", re.IGNORECASE)


def _value_options(parser: argparse.ArgumentParser, command: str | None) -> set[str]:
    """Long options (of the parser and of ``command``) that take one value."""
    out: set[str] = set()
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            parsers.append(action.choices[command])
    for p in parsers:
        for action in p._actions:
            if action.nargs is None or action.nargs == "?":
                if not isinstance(action, (argparse._StoreConstAction, argparse._HelpAction,
                                           argparse._VersionAction, argparse._CountAction)):
                    out.update(s for s in action.option_strings if s.startswith("--"))
    return out


def _join_negative_values(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--times -5,6`` -> ``--times=-5,6``, so the option's own check sees the value."""
    command = next((a for a in argv if not a.startswith("-")), None)
    takes_value = _value_options(parser, command)
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            out.extend(argv[i:])
            break
        if a in takes_value and i + 1 < len(argv) and _NEGATIVE_VALUE.match(argv[i + 1]):
            out.append(f"{a}={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _reject_empty(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """An option or argument given as an empty string (``--plot ""``) is an error, not "unset"."""
    sub = None
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            sub = action.choices.get(args.command)
    if sub is None:
        return
    for action in sub._actions:
        value = getattr(args, action.dest, None)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            name = action.option_strings[-1] if action.option_strings else action.dest.upper()
            raise UsageError(f"{name}: empty value")


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that staged outputs are cleaned up."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        msg = str(exc.args[0])
    else:
        msg = str(exc)
    lines = [ln for ln in msg.splitlines() if ln.strip()]
    return lines[0].strip() if lines else type(exc).__name__


def _os_error(exc: OSError) -> str:
    if exc.filename is not None:
        name = os.fsdecode(exc.filename)
        why = exc.strerror or _one_line(exc)
        if exc.filename2 is not None:
            return f"{name} -> {os.fsdecode(exc.filename2)}: {why}"
        return f"{name}: {why}"
    return exc.strerror or _one_line(exc)


def _trial_error_code(exc: BaseException) -> int | None:
    """Exit codes of the trial layer's errors (only if it was loaded)."""
    trial = sys.modules.get("survkit.trial.exact")
    if trial is None:
        return None
    if isinstance(exc, getattr(trial, "ReconstructionBudgetError", ())):
        return EXIT_UNDECIDED
    if isinstance(exc, getattr(trial, "InfeasibleSpecError", ())):
        return EXIT_INCONSISTENT
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``survkit`` console script; returns the exit code."""
    name = "survkit"
    old_term = None
    try:
        try:
            old_term = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # pragma: no cover - not the main thread
            old_term = None
        parser = build_parser()
        raw = list(sys.argv[1:] if argv is None else argv)
        try:
            args = parser.parse_args(_join_negative_values(parser, raw))
        except SystemExit as exc:
            return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
        if getattr(args, "func", None) is None:
            parser.print_help()
            return EXIT_USAGE
        name = f"survkit {args.command}"
        _reject_empty(parser, args)
        if hasattr(args, "seed"):
            args.seed = check_seed(args.seed)
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # The reader went away (``survkit ... | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{name}: interrupted; no partial output was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print(f"{name}: terminated; no partial output was written", file=sys.stderr)
        return EXIT_TERMINATED
    except Undecided as exc:
        print(f"{name}: undecided: {_one_line(exc)}", file=sys.stderr)
        return EXIT_UNDECIDED
    except OSError as exc:
        print(f"{name}: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:
        print(f"{name}: error: not enough memory for this input; make it smaller (fewer draws, "
              "patients or rows)", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        code = _trial_error_code(exc)
        if code is not None:
            kind = "undecided" if code == EXIT_UNDECIDED else "inconsistent"
            print(f"{name}: {kind}: {_one_line(exc)}", file=sys.stderr)
            return code
        if isinstance(exc, (UsageError, ValueError, TypeError, KeyError)):
            print(f"{name}: error: {_one_line(exc)}", file=sys.stderr)
            return EXIT_USAGE
        if os.environ.get("SURVKIT_TRACEBACK"):
            raise
        print(
            f"{name}: internal error ({type(exc).__name__}: {_one_line(exc)}); this is a bug "
            "in survkit, please report it (SURVKIT_TRACEBACK=1 shows the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
