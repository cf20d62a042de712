"""`crosscheck dedup PATH...`: flag copies and same-story rewrites in a corpus."""

from __future__ import annotations

import argparse
import os
import sys

from crosscheck.cli import add_common, check_output, emit, given, output_format
from crosscheck.config import load_settings
from crosscheck.errors import ConfigError


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], got {text}")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
    p = subparsers.add_parser(
        "dedup",
        help="find near-duplicate articles and same-story rewrites",
        description=(
            "Cluster near-duplicates (copies, excerpts, reprints with other boilerplate) with "
            "MinHash LSH verified on exact shingle sets, and/or articles reporting the same "
            "statements (same story), confirmed with the matcher."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, JSONL/JSON/CSV corpora")
    p.add_argument("--mode", choices=("near", "story", "both"), default="near", help="what to look for (default: near)")
    p.add_argument("--threshold", type=_fraction, help="least Jaccard similarity of near-duplicates (default from config: 0.8)")
    p.add_argument("--format", choices=("text", "json", "csv"),
                   help="output format (default: the -o suffix, .json or .csv, else text)")
    p.add_argument("-o", "--output", type=given, metavar="OUT", help="write to OUT (atomically) instead of standard output")
    p.add_argument("--index", type=given, metavar="FILE", help="SQLite index to add the articles to and check them against")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="where to run (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a LocalCluster)")
    p.add_argument("--workers", type=int, metavar="N", help="local sketching processes (0: one per core)")
    p.add_argument("--skip-bad", action="store_true", help="skip malformed records and unreadable files, listing them")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_common(p)
    return p


def core_note() -> str | None:
    """The line an interactive near-dedup run prints when dedup's compiled core is not in
    use (not built at install, e.g. no C compiler) and nobody asked for numpy."""
    from crosscheck.dedup.shingle import COMPILED_CORE

    if COMPILED_CORE or os.environ.get("CROSSCHECK_NO_COMPILED_CORE", "").strip() not in ("", "0"):
        return None
    return ("note: dedup's compiled core is not in use here (not built at install, e.g. no C compiler): "
            "sketching runs in numpy, about 1.2x slower; see Install in the README")


def run(args: argparse.Namespace) -> int:
    from crosscheck.dedup.run import dedup
    from crosscheck.dedup.output import render

    settings = load_settings(args.config)
    if args.threshold is not None:
        settings = settings.with_values({"dedup.threshold": args.threshold})
    if args.workers is not None:
        if args.workers < 0:
            raise ConfigError("--workers", f"must be 0 or more, got {args.workers}")
        settings = settings.with_values({"dedup.workers": args.workers})
    if args.skip_bad:
        settings = settings.with_values({"load.skip_bad": True})
    if args.scheduler and args.engine != "dask":
        raise ConfigError("crosscheck dedup", "--scheduler only makes sense with --engine dask")
    if args.index:
        if args.mode == "story":
            raise ConfigError("crosscheck dedup", "--index keeps near-duplicate sketches; use it with --mode near or both")
        from crosscheck.dedup.index import check_index

        check_index(args.index)  # before reading any article
    check_output(args.output, [*args.paths, args.index, args.config])
    kwargs = dict(mode=args.mode, settings=settings, index=args.index, engine=args.engine, scheduler=args.scheduler)
    if not args.quiet and sys.stderr.isatty():
        from crosscheck.cli.report_cmd import _ProgressBar

        note = core_note() if args.mode != "story" else None
        if note:
            print(note, file=sys.stderr)

        with _ProgressBar() as bar:
            result = dedup(args.paths, progress=bar, **kwargs)
    else:
        result = dedup(args.paths, **kwargs)
    fmt = output_format(args.format, args.output, ("text", "json", "csv"), "text")
    emit(render(result, fmt), args.output)
    if fmt != "text" or args.output:  # text on stdout already lists them
        for problem in result.skipped:
            print(f"skipped: {problem}", file=sys.stderr)
    return 0
