"""One comparison as plain text or Markdown, for `crosscheck compare --format text|md`."""

from __future__ import annotations

import textwrap

from crosscheck.model import Alignment, Article, Comparison, Divergence

RELATION_MARK = {"verbatim": "=", "faithful_paraphrase": "~", "divergent": "!", "partial": "+"}


def describe(article: Article) -> str:
    """An article's id with what metadata it has: ``id · “title” · outlet · date · language``."""
    bits = [article.id]
    if article.title:
        bits.append(f"“{article.title}”")
    bits += [b for b in (article.outlet, article.date, article.language) if b]
    return " · ".join(bits)


def mode_line(c: Comparison) -> str:
    from crosscheck.match.resources import notices
    from crosscheck.semantic.bridge import multilingual_reason, needs_multilingual, words_only_reason

    missing = "".join(f"; {n}" for n in notices())
    if c.summary.embedding == "multilingual":
        return "matching: words + multilingual sentence embeddings (multilingual extra)" + missing
    if c.summary.semantic:
        return "matching: words + sentence embeddings (semantic extra)" + missing
    if needs_multilingual(c.source.article.language, c.rewrite.article.language) and multilingual_reason():
        return f"matching: words only ({multilingual_reason()})" + missing
    return f"matching: words only ({words_only_reason()})" + missing


def evidence(d: Divergence) -> str:
    parts = []
    if d.source_words:
        parts.append("source " + ", ".join(f"“{w}”" for w in d.source_words))
    if d.rewrite_words:
        parts.append("rewrite " + ", ".join(f"“{w}”" for w in d.rewrite_words))
    if d.note:
        parts.append(d.note)
    return f"{d.type}" + (f" ({'; '.join(parts)})" if parts else "")


def inline_diff(a: Alignment, markdown: bool = False) -> str:
    out = []
    for op in a.diff:
        if op.op == "equal":
            out.append(op.source_text)
            continue
        if op.source_text:
            out.append(f"~~{op.source_text}~~" if markdown else f"[-{op.source_text}-]")
        if op.rewrite_text:
            out.append(f"**{op.rewrite_text}**" if markdown else f"{{+{op.rewrite_text}+}}")
    return " ".join(out)


def _text_of(c: Comparison, a: Alignment, side: str) -> str:
    doc = c.source if side == "source" else c.rewrite
    spans = a.source_spans if side == "source" else a.rewrite_spans
    return " … ".join(doc.text[s.start : s.end] for s in spans)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=" " * len(indent))


def render_text(c: Comparison, omitted_limit: int = 6) -> str:
    s = c.summary
    counts = s.counts
    lines = [
        f"source:  {describe(c.source.article)}",
        f"rewrite: {describe(c.rewrite.article)}",
        mode_line(c),
        (
            f"coverage: source {s.coverage_source:.0%}, rewrite {s.coverage_rewrite:.0%}; "
            f"overall divergence {s.divergence:.2f}"
        ),
        "links: "
        + ", ".join(f"{counts.get(r, 0)} {r}" for r in RELATION_MARK)
        + f"; {len(c.unsupported)} unsupported, {len(c.omitted)} omitted",
        "",
    ]
    for a in c.alignments:
        lines.append(
            f"{RELATION_MARK[a.relation]} {a.relation}  similarity {a.similarity:.2f}  divergence {a.divergence:.2f}"
            f"  (rewrite {','.join(map(str, a.rewrite_sentences))} ← source {','.join(map(str, a.source_sentences))})"
        )
        lines.append(_wrap(_text_of(c, a, "source"), "    source:  "))
        lines.append(_wrap(_text_of(c, a, "rewrite"), "    rewrite: "))
        for d in a.types:
            lines.append(_wrap(evidence(d), "    * "))
        if a.relation != "verbatim" and any(op.op != "equal" for op in a.diff):
            lines.append(_wrap(inline_diff(a), "    diff:    "))
        lines.append("")
    if c.quotes:
        lines.append("quotes:")
        for q in c.quotes:
            who = q.quote.speaker or "unknown speaker"
            lines.append(_wrap(f"{q.verdict:<12} {who}: {c.rewrite.text[q.quote.span.start:q.quote.span.end]}", "  "))
        lines.append("")
    if c.unsupported:
        lines.append("unsupported (no counterpart in the source):")
        for u in c.unsupported:
            lines.append(_wrap(u.text, "  - "))
        lines.append("")
    if c.omitted:
        lines.append(f"omitted (source sentences the rewrite leaves out, most central first; {min(omitted_limit, len(c.omitted))} of {len(c.omitted)}):")
        for u in c.omitted[:omitted_limit]:
            lines.append(_wrap(u.text, "  - "))
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(c: Comparison, omitted_limit: int = 6) -> str:
    s = c.summary
    out = [
        f"# {describe(c.rewrite.article)} against {describe(c.source.article)}",
        "",
        f"_{mode_line(c)}_",
        "",
        "| coverage of source | coverage of rewrite | divergence | " + " | ".join(RELATION_MARK) + " | unsupported | omitted |",
        "|---|---|---|" + "---|" * len(RELATION_MARK) + "---|---|",
        f"| {s.coverage_source:.0%} | {s.coverage_rewrite:.0%} | {s.divergence:.2f} | "
        + " | ".join(str(s.counts.get(r, 0)) for r in RELATION_MARK)
        + f" | {len(c.unsupported)} | {len(c.omitted)} |",
        "",
        "## Aligned passages",
        "",
    ]
    for n, a in enumerate(c.alignments, 1):
        out.append(f"### {n}. {a.relation} (similarity {a.similarity:.2f}, divergence {a.divergence:.2f})")
        out.append("")
        out.append(f"> **source:** {_md_cell(_text_of(c, a, 'source'))}")
        out.append(">")
        out.append(f"> **rewrite:** {_md_cell(_text_of(c, a, 'rewrite'))}")
        out.append("")
        for d in a.types:
            out.append(f"- `{d.type}`" + evidence(d)[len(d.type):])
        if a.relation != "verbatim" and any(op.op != "equal" for op in a.diff):
            out.append(f"- diff: {inline_diff(a, markdown=True)}")
        out.append("")
    if c.quotes:
        out += ["## Quotes", "", "| verdict | speaker | quote |", "|---|---|---|"]
        for q in c.quotes:
            out.append(f"| {q.verdict} | {_md_cell(q.quote.speaker or '')} | {_md_cell(c.rewrite.text[q.quote.span.start:q.quote.span.end])} |")
        out.append("")
    if c.unsupported:
        out += ["## Unsupported in the rewrite", ""] + [f"- {_md_cell(u.text)}" for u in c.unsupported] + [""]
    if c.omitted:
        out += ["## Left out of the rewrite (most central first)", ""]
        out += [f"- {_md_cell(u.text)}" for u in c.omitted[:omitted_limit]] + [""]
    return "\n".join(out).rstrip() + "\n"
