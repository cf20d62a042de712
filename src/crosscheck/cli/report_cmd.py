"""`crosscheck report PATH...`: rank the divergent paraphrases across a folder of articles.

Exit status: 0 on success; 3 with ``--fail-on X`` when some ranked divergence is at
least X (for newsroom pipelines); 2 for bad usage or input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crosscheck.cli import add_common, check_output, emit, given, output_format
from crosscheck.config import load_settings
from crosscheck.errors import InputError

EXIT_DIVERGED = 3
def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}")
    return value


def _types(text: str) -> tuple[str, ...]:
    import difflib

    from crosscheck.model import DIVERGENCE_TYPES

    types = tuple(t.strip() for t in text.split(",") if t.strip())
    if not types:
        raise argparse.ArgumentTypeError(f"expected divergence types separated by commas, got {text!r}")
    for t in types:
        if t not in DIVERGENCE_TYPES:
            close = difflib.get_close_matches(t.lower(), DIVERGENCE_TYPES, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(DIVERGENCE_TYPES)}"
            raise argparse.ArgumentTypeError(f"unknown divergence type {t!r}; {hint}")
    return types


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="rank the divergent paraphrases across a folder of articles",
        description=(
            "Compare the articles of files and folders and rank where their rewrites diverged. "
            "With --source, every other article is compared with it; without it, crosscheck finds "
            "which articles share statements and which one the others draw on. Exit 3 with "
            "--fail-on X when some divergence is at least X."
        ),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files, folders, JSONL or CSV collections")
    p.add_argument("--source", type=given, metavar="PATH_OR_ID", help="the original every other article is compared with")
    p.add_argument("--format", choices=("md", "html", "json", "csv"),
                   help="output format (default: from the -o suffix, else md)")
    p.add_argument("-o", "--output", type=given, metavar="OUT", help="write to OUT (atomically) instead of stdout")
    p.add_argument("--min-divergence", type=_fraction, metavar="X", help="leave out alignments less divergent than X")
    p.add_argument("--types", type=_types, metavar="T,...", help="only alignments showing one of these divergence types")
    p.add_argument("--fail-on", type=_fraction, metavar="X", help="exit 3 when some divergence is at least X")
    p.add_argument("--workers", type=int, metavar="N", help="processes comparing pairs (default: one per core)")
    p.add_argument("--semantic", choices=("auto", "on", "off"), help="sentence embeddings (default: from config)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_common(p)
    return p


class _ProgressBar:
    """A rich progress bar on stderr: articles read, then pairs compared, with an ETA."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=True,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> _ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


def run(args: argparse.Namespace) -> int:
    from crosscheck.errors import ConfigError
    from crosscheck.report import render, report

    settings = load_settings(args.config)
    if args.semantic:
        settings = settings.with_values({"match.semantic": args.semantic})
    if args.workers is not None:
        if args.workers < 0:
            raise ConfigError("--workers", f"expected 0 (one per core) or more, got {args.workers}")
        settings = settings.with_values({"report.workers": args.workers})
    if args.source and Path(args.source).is_dir():
        raise InputError(args.source, "is a folder; --source takes one article file or the id of an article")
    check_output(args.output, [*args.paths, args.source, args.config])
    fmt = output_format(args.format, args.output, ("md", "html", "json", "csv"), "md")
    show = not args.quiet and sys.stderr.isatty()
    kwargs = dict(source=args.source, settings=settings, min_divergence=args.min_divergence, types=args.types)
    if show:
        with _ProgressBar() as bar:
            result = report(args.paths, progress=bar, **kwargs)
    else:
        result = report(args.paths, **kwargs)
    emit(render(result, fmt), args.output)
    if args.fail_on is not None and result.ranking and result.max_divergence >= args.fail_on:
        print(
            f"crosscheck report: divergence {result.max_divergence:.2f} >= --fail-on {args.fail_on:.2f} "
            f"({sum(1 for r in result.ranking if r.alignment.divergence >= args.fail_on)} passages)",
            file=sys.stderr,
        )
        return EXIT_DIVERGED
    return 0
