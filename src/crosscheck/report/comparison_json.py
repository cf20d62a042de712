"""The comparison as JSON, in a versioned schema other tools can rely on.

``crosscheck.comparison/1``: every offset indexes the original text as read (after
decoding). Keys are only ever added within a schema version, never renamed.
"""

from __future__ import annotations

from typing import Any

from crosscheck.model import Alignment, Comparison, Document, QuoteCheck, Span

SCHEMA = "crosscheck.comparison/1"


def document_meta(doc: Document) -> dict[str, Any]:
    a = doc.article
    return {"id": a.id, "path": a.path, "title": a.title, "outlet": a.outlet, "date": a.date, "url": a.url,
            "language": a.language}


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else span.as_list()


def alignment_to_dict(a: Alignment, source: Document, rewrite: Document) -> dict[str, Any]:
    diff: list[list[str]] = []
    for op in a.diff:
        if op.op == "replace":
            diff.append(["delete", op.source_text])
            diff.append(["insert", op.rewrite_text])
        elif op.op == "insert":
            diff.append(["insert", op.rewrite_text])
        else:
            diff.append([op.op, op.source_text])
    return {
        "source_sentences": list(a.source_sentences),
        "rewrite_sentences": list(a.rewrite_sentences),
        "source_spans": [s.as_list() for s in a.source_spans],
        "rewrite_spans": [s.as_list() for s in a.rewrite_spans],
        "source_text": " ".join(source.text[s.start : s.end] for s in a.source_spans),
        "rewrite_text": " ".join(rewrite.text[s.start : s.end] for s in a.rewrite_spans),
        "relation": a.relation,
        "similarity": a.similarity,
        "divergence": a.divergence,
        "types": [
            {"type": d.type, "source_words": list(d.source_words), "rewrite_words": list(d.rewrite_words)}
            for d in a.types
        ],
        "diff": diff,
    }


def quote_to_dict(q: QuoteCheck) -> dict[str, Any]:
    return {
        "span": q.quote.span.as_list(),
        "text": q.quote.text,
        "speaker": q.quote.speaker,
        "verdict": q.verdict,
        "source_span": _span(q.source_span),
        "similarity": q.similarity,
    }


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """The ``crosscheck.comparison/1`` document for one source and one rewrite."""
    s = c.summary
    return {
        "schema": SCHEMA,
        "source": document_meta(c.source),
        "rewrite": document_meta(c.rewrite),
        "alignments": [alignment_to_dict(a, c.source, c.rewrite) for a in c.alignments],
        "unsupported": [{"span": u.span.as_list(), "text": u.text} for u in c.unsupported],
        "omitted": [{"span": u.span.as_list(), "text": u.text, "weight": u.weight} for u in c.omitted],
        "quotes": [quote_to_dict(q) for q in c.quotes],
        "summary": {
            "coverage_source": s.coverage_source,
            "coverage_rewrite": s.coverage_rewrite,
            "divergence": s.divergence,
            "semantic": s.semantic,
            "embedding": s.embedding,
            "counts": dict(sorted(s.counts.items())),
        },
    }
