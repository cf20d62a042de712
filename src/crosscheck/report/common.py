"""Small readings of a report that every renderer needs, so all formats agree."""

from __future__ import annotations

from crosscheck.model import Alignment, Article, DiffOp, Span
from crosscheck.report.comparison_text import describe, evidence
from crosscheck.report.model import Ranked, Report


def span_text(text: str, spans: tuple[Span, ...]) -> str:
    """The passage as it stands in the file, pieces joined by an ellipsis."""
    return " … ".join(text[s.start : s.end] for s in spans)


def source_text(report: Report, r: Ranked) -> str:
    return span_text(report.comparisons[r.pair].source.text, r.alignment.source_spans)


def rewrite_text(report: Report, r: Ranked) -> str:
    return span_text(report.comparisons[r.pair].rewrite.text, r.alignment.rewrite_spans)


def changed_words(a: Alignment) -> tuple[list[str], list[str]]:
    """Words only the source has (removed) and words only the rewrite has (added).

    >>> a = Alignment((0,), (0,), (), (), None, (DiffOp("equal", "no", "no"),
    ...               DiffOp("replace", "direct threat", "threat"), DiffOp("insert", "", "since")))
    >>> changed_words(a)
    (['direct threat'], ['threat', 'since'])
    """
    removed = [op.source_text for op in a.diff if op.op in ("delete", "replace") and op.source_text]
    added = [op.rewrite_text for op in a.diff if op.op in ("insert", "replace") and op.rewrite_text]
    return removed, added


def evidence_lines(a: Alignment) -> list[str]:
    """Each divergence type of the alignment with the words that show it."""
    return [evidence(d) for d in a.types]


def pair_rows(report: Report) -> list[dict[str, object]]:
    """One summary row per compared pair."""
    rows = []
    for p, c in enumerate(report.comparisons):
        counts = c.summary.counts
        rows.append({
            "pair": p,
            "source": c.source.id,
            "rewrite": c.rewrite.id,
            "coverage_source": c.summary.coverage_source,
            "coverage_rewrite": c.summary.coverage_rewrite,
            "divergence": c.summary.divergence,
            "verbatim": counts.get("verbatim", 0),
            "faithful_paraphrase": counts.get("faithful_paraphrase", 0),
            "divergent": counts.get("divergent", 0),
            "partial": counts.get("partial", 0),
            "altered_quotes": sum(1 for q in c.quotes if q.verdict == "altered"),
            "unsupported": len(c.unsupported),
            "omitted": len(c.omitted),
        })
    return rows

