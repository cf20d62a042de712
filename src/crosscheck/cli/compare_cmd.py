"""`crosscheck compare SOURCE REWRITE [REWRITE...]`: print a comparison, or open the TUI."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from crosscheck.cli import add_common, check_output, emit, given, output_format
from crosscheck.config import load_settings

def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "compare",
        help="align a source with its rewrites and type each divergence",
        description=(
            "Align each REWRITE with SOURCE. With --format or -o, print or write the comparison; "
            "without them, open the side-by-side terminal UI."
        ),
    )
    p.add_argument("source", help="the original: a transcript, a press release, the first report")
    p.add_argument("rewrites", nargs="+", metavar="REWRITE", help="articles that rewrote, translated or quoted it")
    p.add_argument("--format", choices=("text", "json", "md"), help="print instead of opening the TUI")
    p.add_argument("-o", "--output", type=given, metavar="FILE",
                   help="write to FILE (atomically) instead of stdout; the format defaults to its suffix, else text")
    p.add_argument("--semantic", choices=("auto", "on", "off"), help="sentence embeddings (default: from config)")
    add_common(p)
    return p


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if args.semantic:
        settings = settings.with_values({"match.semantic": args.semantic})
    if args.output:
        check_output(args.output, [args.source, *args.rewrites, args.config])
        args.format = output_format(args.format, args.output, ("text", "json", "md"), "text")
    if args.format is None:
        from crosscheck.tui import run_app

        return run_app(args.source, args.rewrites, settings)

    from crosscheck.match.compare import Matcher
    from crosscheck.report.comparison_text import render_markdown, render_text
    from crosscheck.report.comparison_json import comparison_to_dict

    matcher = Matcher(Path(args.source), settings)
    comparisons = matcher.compare_all([Path(r) for r in args.rewrites])
    if args.format == "json":
        docs = [comparison_to_dict(c) for c in comparisons]
        out = json.dumps(docs[0] if len(docs) == 1 else docs, ensure_ascii=False, indent=2) + "\n"
    else:
        render = render_text if args.format == "text" else render_markdown
        sep = "\n" + ("=" * 100 if args.format == "text" else "---") + "\n\n"
        out = sep.join(render(c) for c in comparisons)
    emit(out, args.output)
    return 0
