"""`crosscheck inspect FILE...`: show what crosscheck reads in an article.

Metadata, numbered sentences with their offsets, quotes with speakers, and every piece
of boilerplate removed with the reason, so a user can check the cleaning before
trusting a comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crosscheck.cli import add_common, emit
from crosscheck.config import load_settings
from crosscheck.errors import InputError
from crosscheck.model import Document


def add_parser(subparsers) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
    p = subparsers.add_parser(
        "inspect",
        help="show an article's metadata, sentences, quotes and removed boilerplate",
        description=(
            "Read FILEs (articles, folders, JSONL/JSON/CSV) and show what crosscheck makes "
            "of each: metadata, numbered sentences with offsets, quotes with speakers, and "
            "the boilerplate removed with its reason."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="an article file, a folder, or a JSONL/JSON/CSV file")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--skip-bad", action="store_true", help="skip malformed records and report them on stderr")
    add_common(p)
    return p


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The stable JSON shape of one inspected document."""
    a = doc.article
    return {
        "id": a.id,
        "path": a.path,
        "metadata": {"title": a.title, "outlet": a.outlet, "date": a.date, "url": a.url},
        "sentences": [
            {"index": s.index, "start": s.span.start, "end": s.span.end, "text": s.text,
             "paragraph": s.paragraph, "speaker": s.speaker}
            for s in doc.sentences
        ],
        "quotes": [
            {"start": q.span.start, "end": q.span.end, "text": q.text, "speaker": q.speaker} for q in doc.quotes
        ],
        "boilerplate": [
            {"start": b.span.start, "end": b.span.end, "text": b.text, "reason": b.reason} for b in doc.boilerplate
        ],
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_document(doc: Document) -> str:
    """A plain-text account of one document, for reading in a terminal."""
    a = doc.article
    out = [f"== {a.path or a.id}  (id {a.id})"]
    meta = [f"{k}: {v}" for k, v in (("title", a.title), ("outlet", a.outlet), ("date", a.date), ("url", a.url)) if v]
    out.append("   ".join(meta) if meta else "(no metadata)")
    out.append(f"\nsentences ({len(doc.sentences)}):")
    for s in doc.sentences:
        speaker = f"  [{s.speaker}]" if s.speaker else ""
        out.append(f"  {s.index:>3}  {s.span.start}-{s.span.end}  ¶{s.paragraph}{speaker}  {_one_line(s.text)}")
    out.append(f"\nquotes ({len(doc.quotes)}):")
    for q in doc.quotes:
        out.append(f"  {q.span.start}-{q.span.end}  {q.speaker or '(no speaker)'}: {_one_line(q.text)}")
    out.append(f"\nboilerplate removed ({len(doc.boilerplate)}):")
    for b in doc.boilerplate:
        out.append(f"  {b.span.start}-{b.span.end}  {b.reason}: {_one_line(b.text)}")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from crosscheck.text.load import load_articles
    from crosscheck.text.prepare import prepare_many

    settings = load_settings(args.config)
    if args.skip_bad:
        settings = settings.with_values({"load.skip_bad": True})
    skipped: list[InputError] = []

    def report_skip(error: InputError) -> None:
        skipped.append(error)
        print(f"skipped {error}", file=sys.stderr)

    articles = load_articles(args.files, settings, on_skip=report_skip)
    if skipped:
        print(f"crosscheck: skipped {len(skipped)} bad record(s), read {len(articles)}", file=sys.stderr)
    if not articles:
        raise InputError(" ".join(args.files), "no articles could be read")
    docs = prepare_many(articles, settings)
    if args.format == "json":
        dicts = [document_to_dict(d) for d in docs]
        emit(json.dumps(dicts[0] if len(dicts) == 1 else dicts, ensure_ascii=False, indent=2) + "\n", None)
    else:
        emit("\n".join(render_document(d) for d in docs), None)
    return 0
