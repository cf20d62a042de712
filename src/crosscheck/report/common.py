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


def changed_words(a: Alignment, gap: int = 2) -> tuple[list[str], list[str]]:
    """Phrases only the source has (removed) and phrases only the rewrite has (added).

    Changes separated by at most ``gap`` unchanged words make one phrase, the unchanged
    words included, so a reader sees what was replaced as a whole and not in fragments.

    >>> a = Alignment((0,), (0,), (), (), None, (DiffOp("equal", "they are", "they are"),
    ...               DiffOp("replace", "by", "in"), DiffOp("equal", "no", "no"),
    ...               DiffOp("replace", "means merely", "way dedicated to"), DiffOp("equal", "x y z", "x y z"),
    ...               DiffOp("delete", "then", "")))
    >>> changed_words(a)
    (['by no means merely', 'then'], ['in no way dedicated to'])
    >>> changed_words(a, gap=0)
    (['by', 'means merely', 'then'], ['in', 'way dedicated to'])
    """
    removed: list[str] = []
    added: list[str] = []
    group: list[DiffOp] = []

    def close() -> None:
        while group and group[-1].op == "equal":
            group.pop()
        if group:
            source = " ".join(op.source_text for op in group if op.op != "insert" and op.source_text)
            rewrite = " ".join((op.rewrite_text or op.source_text) if op.op == "equal" else op.rewrite_text
                               for op in group if op.op != "delete" and (op.rewrite_text or op.op == "equal"))
            if any(op.op in ("delete", "replace") and op.source_text for op in group):
                removed.append(source)
            if any(op.op in ("insert", "replace") and op.rewrite_text for op in group):
                added.append(rewrite)
        group.clear()

    for op in a.diff:
        if op.op != "equal":
            group.append(op)
        elif group and len(op.source_text.split()) <= gap:
            group.append(op)
        else:
            close()
    close()
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

