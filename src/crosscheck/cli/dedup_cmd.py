"""`crosscheck dedup PATH...`: flag copies and same-story rewrites in a corpus."""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import sys
from pathlib import Path

from . import add_common, check_output, emit, given
from ..config import load_settings
from ..errors import ConfigError, InputError


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
    add_common(p)
    return p


def check_index(path: str) -> None:
    """Refuse, before dedup writes to it, an SQLite file that is not a crosscheck index:
    one with other tables or columns than an index has, or no database at all."""
    from ..index import _SCHEMA

    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return  # a new index; the index module names a folder or a missing parent itself
    want = _columns(sqlite3.connect(":memory:"), _SCHEMA)
    try:
        have = _columns(sqlite3.connect(p.resolve().as_uri() + "?mode=ro", uri=True))
    except sqlite3.DatabaseError as exc:
        raise InputError(path, f"not a crosscheck index ({exc})") from None
    other = sorted(set(have) - set(want))
    if other:
        raise InputError(path, f"not a crosscheck index (an SQLite database with other tables: {', '.join(other)})")
    for table, columns in have.items():
        missing = sorted(want[table] - columns)
        if missing:
            raise InputError(path, f"not a crosscheck index (table {table} lacks {', '.join(missing)})")


def _columns(db: sqlite3.Connection, script: str = "") -> dict[str, set[str]]:
    """The column names of each table of a database (after running ``script``)."""
    try:
        if script:
            db.executescript(script)
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: {row[1] for row in db.execute("PRAGMA table_info('" + n.replace("'", "''") + "')")}
                for n in names if not n.startswith("sqlite_")}
    finally:
        db.close()


def _from_index(exc: BaseException) -> bool:
    """Whether an exception was raised while the index module was running."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == "crosscheck.index":
            return True
        tb = tb.tb_next
    return False


def run(args: argparse.Namespace) -> int:
    from ..dedup import dedup
    from ..dedup_output import render

    settings = load_settings(args.config)
    if args.threshold is not None:
        settings.dedup = dataclasses.replace(settings.dedup, threshold=args.threshold)
    if args.workers is not None:
        if args.workers < 0:
            raise ConfigError("--workers", f"must be 0 or more, got {args.workers}")
        settings.dedup = dataclasses.replace(settings.dedup, workers=args.workers)
    if args.skip_bad:
        settings.load = dataclasses.replace(settings.load, skip_bad=True)
    if args.scheduler and args.engine != "dask":
        raise ConfigError("--scheduler", "only makes sense with --engine dask")
    if args.index:
        if args.mode == "story":
            raise ConfigError("--index", "keeps near-duplicate sketches; use it with --mode near or both")
        check_index(args.index)
    check_output(args.output, [*args.paths, args.index, args.config])
    try:
        result = dedup(
            args.paths, mode=args.mode, settings=settings, index=args.index, engine=args.engine, scheduler=args.scheduler
        )
    except sqlite3.DatabaseError as exc:
        if not args.index or not _from_index(exc):
            raise
        raise InputError(args.index, f"cannot use the index ({exc})") from None
    suffix = Path(args.output).suffix.lower() if args.output else ""
    fmt = args.format or {".json": "json", ".csv": "csv"}.get(suffix, "text")
    emit(render(result, fmt), args.output)
    if fmt != "text" or args.output:  # text on stdout already lists them
        for problem in result.skipped:
            print(f"skipped: {problem}", file=sys.stderr)
    return 0
