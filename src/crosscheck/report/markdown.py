"""The report as Markdown: summary table, ranking, statements rendered several ways, per article."""

from __future__ import annotations

from crosscheck.model import RELATIONS
from crosscheck.semantic.bridge import words_only_reason
from crosscheck.report.comparison_text import inline_diff
from crosscheck.report.common import changed_words, describe, evidence_lines, pair_rows, rewrite_text, source_text, span_text
from crosscheck.report.model import Report


def md_text(text: str) -> str:
    """Article text made safe inside Markdown: no table breaks, no raw HTML.

    >>> md_text('a | b <script>x</script>\\nc')
    'a \\\\| b &lt;script&gt;x&lt;/script&gt; c'
    """
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("|", "\\|").replace("\r", " ").replace("\n", " ")
    )


def _quoted(words: list[str]) -> str:
    return ", ".join(f"“{w}”" for w in words) or "—"


def _mode(report: Report) -> str:
    return "words + sentence embeddings" if report.semantic else f"words only ({words_only_reason()})"


def render_markdown(report: Report) -> str:
    out = ["# crosscheck report", ""]
    filters = [f"matching: {_mode(report)}"]
    if report.min_divergence:
        filters.append(f"min divergence {report.min_divergence:.2f}")
    if report.types:
        filters.append("types " + ", ".join(report.types))
    out += [f"_{'; '.join(filters)}_", ""]

    relations = report.relation_counts()
    out += [
        "## Summary",
        "",
        f"- articles: {len(report.articles)}; pairs compared: {len(report.comparisons)}; "
        f"unrelated: {len(report.unrelated)}",
        "- links: " + ", ".join(f"{relations.get(r, 0)} {r}" for r in RELATIONS),
        "- divergence types: " + (", ".join(f"{n} {t}" for t, n in sorted(report.type_counts().items(), key=lambda x: (-x[1], x[0]))) or "none"),
        f"- altered quotes: {report.quote_counts().get('altered', 0)}",
        *(f"- source: {md_text(source_id)}, {md_text(why)}" for source_id, why in report.sources),
        "",
        "| source | rewrite | coverage of source | coverage of rewrite | divergence | verbatim | faithful | divergent | partial | altered quotes | unsupported | omitted |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in pair_rows(report):
        out.append(
            f"| {md_text(str(row['source']))} | {md_text(str(row['rewrite']))} | {row['coverage_source']:.0%} | "
            f"{row['coverage_rewrite']:.0%} | {row['divergence']:.2f} | {row['verbatim']} | {row['faithful_paraphrase']} | "
            f"{row['divergent']} | {row['partial']} | {row['altered_quotes']} | {row['unsupported']} | {row['omitted']} |"
        )
    out.append("")
    if report.unrelated:
        out += ["Unrelated (share no statement with the others; not compared line by line): "
                + ", ".join(md_text(u) for u in report.unrelated), ""]

    shown = report.ranking[: report.top]
    out += ["## Divergent paraphrases, most divergent first", ""]
    if not shown:
        out += ["No divergent paraphrase found.", ""]
    if len(report.ranking) > len(shown):
        out += [f"_The {len(shown)} most divergent of {len(report.ranking)}._", ""]
    for n, r in enumerate(shown, 1):
        a = r.alignment
        out += [
            f"### {n}. {md_text(r.rewrite_id)} ← {md_text(r.source_id)} (divergence {a.divergence:.2f}, similarity {a.similarity:.2f})",
            "",
            f"> **source:** {md_text(source_text(report, r))}",
            ">",
            f"> **rewrite:** {md_text(rewrite_text(report, r))}",
            "",
        ]
        out += [f"- `{line.split(' ', 1)[0]}`" + (" " + md_text(line.split(' ', 1)[1]) if " " in line else "") for line in evidence_lines(a)]
        removed, added = changed_words(a)
        if removed or added:
            out.append(f"- changed words: removed {md_text(_quoted(removed))}; added {md_text(_quoted(added))}")
            out.append(f"- diff: {md_text(inline_diff(a, markdown=True))}")
        out.append("")

    if report.groups:
        out += ["## Statements rendered several ways", ""]
        for g in report.groups:
            text = span_text(next(c.source.text for c in report.comparisons if c.source.id == g.source_id), g.source_spans)
            out += [f"### {md_text(g.source_id)}, sentence {', '.join(map(str, g.source_sentences))}: rendered {len(g.renderings)} ways", "",
                    f"> {md_text(text)}", ""]
            for r in g.renderings:
                a = r.alignment
                types = ", ".join(dict.fromkeys(d.type for d in a.types)) or "no divergence type"
                out.append(f"- **{md_text(r.rewrite_id)}** ({a.relation}, divergence {a.divergence:.2f}; {types}): {md_text(rewrite_text(report, r))}")
            out.append("")

    out += ["## Per article", ""]
    for c in report.comparisons:
        out += [f"### {md_text(describe(c.rewrite.article))} against {md_text(c.source.id)}", ""]
        if c.quotes:
            out.append("Quotes:")
            out.append("")
            for q in c.quotes:
                who = md_text(q.quote.speaker or "unknown speaker")
                out.append(f"- {q.verdict}: {who}: {md_text(c.rewrite.text[q.quote.span.start:q.quote.span.end])}")
            out.append("")
        if c.unsupported:
            out += ["Unsupported by the source:", ""] + [f"- {md_text(u.text)}" for u in c.unsupported] + [""]
        if c.omitted:
            limit = report.omitted_limit
            out += [f"Notable omissions (most central source sentences left out; {min(limit, len(c.omitted))} of {len(c.omitted)}):", ""]
            out += [f"- {md_text(u.text)}" for u in c.omitted[:limit]] + [""]
    return "\n".join(out).rstrip() + "\n"
