"""The summary bar: how much of each text is linked, and what kinds of links."""

from __future__ import annotations

from rich.text import Text

from crosscheck.model import Comparison, Document
from crosscheck.tui.view import MARKS


def doc_heading(doc: Document, role: str) -> str:
    """``role: title · outlet · date`` with whatever metadata the article has."""
    a = doc.article
    bits = [a.title or a.id]
    bits += [x for x in (a.outlet, a.date, a.language) if x]
    return f"{role}: " + " · ".join(bits)


def summary_text(c: Comparison) -> Text:
    """One or two lines: coverage, counts per relation, flagged sentences, quotes, mode.

    Each count carries its gutter symbol, so the bar doubles as the legend.
    """
    s = c.summary
    counts = s.counts
    out = Text()
    out.append(f"coverage source {s.coverage_source:.0%} · rewrite {s.coverage_rewrite:.0%}", style="bold")
    out.append(f"   divergence {s.divergence:.2f}   ")
    for name in ("verbatim", "faithful_paraphrase", "divergent", "partial"):
        out.append(f"{MARKS[name]} {counts.get(name, 0)} {name.replace('_', ' ')}  ")
    out.append(f"{MARKS['unsupported']} {len(c.unsupported)} unsupported  ")
    out.append(f"{MARKS['omitted']} {len(c.omitted)} omitted  ")
    altered = sum(1 for q in c.quotes if q.verdict == "altered")
    out.append(f"quotes {len(c.quotes)}, {altered} altered   ")
    out.append("semantic: on" if s.semantic else "semantic: off (words only)")
    return out
