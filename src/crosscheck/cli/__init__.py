"""The ``crosscheck`` command: a thin layer that turns library errors into one line.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and
``run(args) -> int``; this module only dispatches and translates errors.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from crosscheck.errors import CrosscheckError, OutputError

SUBCOMMANDS = ("inspect", "compare", "report", "dedup")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line naming the problem."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="crosscheck",
        description="Compare news sources: align passages, type divergences, find duplicates.",
    )
    parser.add_argument("--version", action="version", version="crosscheck 0.1.0")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}_cmd")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}_cmd":
                continue
            raise
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every subcommand takes."""
    parser.add_argument("--config", type=given, metavar="PATH", help="settings file (default: built-in defaults)")


def given(text: str) -> str:
    """argparse type of a path or name option: not empty (an unset shell variable)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a path or a name, got ''")
    return text


_SUFFIX_FORMATS = {
    ".txt": "text", ".text": "text", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
    ".json": "json", ".csv": "csv",
}


def output_format(chosen: str | None, output: str | None, offered: Sequence[str], default: str) -> str:
    """The ``--format`` given, else the one the ``-o`` suffix names, else (no suffix) ``default``.

    A suffix that names no format the command writes is refused rather than written
    as ``default``: ``-o report.html`` holding plain text is a silent surprise.
    """
    if chosen:
        return chosen
    suffix = os.path.splitext(output)[1].lower() if output else ""
    if not suffix:
        return default
    found = _SUFFIX_FORMATS.get(suffix)
    if found in offered:
        return found
    known = ", ".join(
        f"{fmt} ({'/'.join(s for s, f in _SUFFIX_FORMATS.items() if f == fmt)})" for fmt in offered
    )
    raise OutputError(output, f"no format for the suffix '{suffix}'; this command writes {known}: use one or --format")


def check_output(output: str | None, inputs: Iterable[str | None]) -> None:
    """Refuse, before any work, an ``-o`` that is read-only or names one of the inputs
    (writing it would destroy what was read)."""
    if not output or not os.path.exists(output):
        return
    from crosscheck.text.files import refuse_read_only

    for path in inputs:
        if path and os.path.exists(path) and os.path.samefile(path, output):
            raise OutputError(output, f"is also an input ({path}); write the output to another file")
    refuse_read_only(Path(os.path.realpath(output)), output)


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` atomically, or print it; a failure is one OutputError."""
    if output is not None:
        from crosscheck.text.files import write_atomic

        write_atomic(output, text)
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout()
        raise OutputError("standard output", f"cannot write ({exc.strerror or exc})") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CrosscheckError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("crosscheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
