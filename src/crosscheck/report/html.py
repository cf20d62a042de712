"""The report as one self-contained HTML file: no external assets, every article text escaped.

Source and rewrite stand side by side, the words each side alone has highlighted
(from the alignment's word diff); the summary table sorts on a click.
"""

from __future__ import annotations

from html import escape

from crosscheck.model import RELATIONS, Alignment
from crosscheck.semantic.bridge import words_only_reason
from crosscheck.report.common import changed_words, describe, evidence_lines, pair_rows, rewrite_text, source_text, span_text
from crosscheck.report.model import Report

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:78em;padding:0 1em;color:#222}
h1,h2,h3{line-height:1.2} table{border-collapse:collapse;margin:1em 0} .wide{overflow-x:auto}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th.sortable{cursor:pointer;background:#f3f3f3} th.sortable:after{content:" \\2195";color:#999}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin:.5em 0}
.pair>div{border:1px solid #ddd;border-radius:4px;padding:.6em;background:#fafafa}
.label{font-size:.8em;color:#666;display:block;margin-bottom:.3em}
del{background:#fdd;text-decoration:line-through} ins{background:#dfd;text-decoration:none}
.item{border-top:1px solid #eee;padding-top:.8em;margin-top:1em} .meta{color:#555;font-size:.9em}
code{background:#f0f0f0;padding:0 .2em}
"""

_SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function(table){
  table.querySelectorAll('th').forEach(function(th, col){
    th.classList.add('sortable');
    th.addEventListener('click', function(){
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = th.dataset.dir !== 'asc'; th.dataset.dir = asc ? 'asc' : 'desc';
      rows.sort(function(a, b){
        var x = a.cells[col].dataset.v || a.cells[col].textContent, y = b.cells[col].dataset.v || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
});
document.body.dataset.ready = 'yes';
"""


def highlighted(a: Alignment, side: str) -> str:
    """One side of the passage from its word diff, the words only it has marked.

    >>> from crosscheck.model import DiffOp
    >>> a = Alignment((0,), (0,), (), (), None, (DiffOp("equal", "no", "no"), DiffOp("replace", "direct <b>", "real")))
    >>> highlighted(a, "source")
    'no <del>direct &lt;b&gt;</del>'
    """
    parts = []
    for op in a.diff:
        if op.op == "equal":
            parts.append(escape(op.source_text if side == "source" else op.rewrite_text or op.source_text))
        elif side == "source" and op.op in ("delete", "replace") and op.source_text:
            parts.append(f"<del>{escape(op.source_text)}</del>")
        elif side == "rewrite" and op.op in ("insert", "replace") and op.rewrite_text:
            parts.append(f"<ins>{escape(op.rewrite_text)}</ins>")
    return " ".join(parts)


def _quoted(words: list[str]) -> str:
    return ", ".join(f"“{w}”" for w in words) or "—"


def _side_by_side(source_html: str, rewrite_html: str, source_label: str, rewrite_label: str) -> str:
    return (
        '<div class="pair">'
        f'<div class="source"><span class="label">source · {escape(source_label)}</span>{source_html}</div>'
        f'<div class="rewrite"><span class="label">rewrite · {escape(rewrite_label)}</span>{rewrite_html}</div>'
        "</div>"
    )


def _summary(report: Report) -> list[str]:
    relations = report.relation_counts()
    out = [
        "<h2>Summary</h2><ul>",
        f"<li>articles: {len(report.articles)}; pairs compared: {len(report.comparisons)}; unrelated: {len(report.unrelated)}</li>",
        "<li>links: " + ", ".join(f"{relations.get(r, 0)} {r}" for r in RELATIONS) + "</li>",
        "<li>divergence types: " + (escape(", ".join(f"{n} {t}" for t, n in sorted(report.type_counts().items()))) or "none") + "</li>",
        f"<li>altered quotes: {report.quote_counts().get('altered', 0)}</li>",
        *(f"<li>source: <code>{escape(source_id)}</code>, {escape(why)}</li>" for source_id, why in report.sources),
        "</ul>",
        '<div class="wide"><table class="sortable" id="summary"><thead><tr><th>source</th><th>rewrite</th><th>coverage of source</th>'
        "<th>coverage of rewrite</th><th>divergence</th><th>verbatim</th><th>faithful</th><th>divergent</th>"
        "<th>partial</th><th>altered quotes</th><th>unsupported</th><th>omitted</th></tr></thead><tbody>",
    ]
    for row in pair_rows(report):
        cells = [escape(str(row["source"])), escape(str(row["rewrite"]))]
        cells += [f'<td data-v="{row[k]}">{row[k]:.0%}</td>' for k in ("coverage_source", "coverage_rewrite")]
        cells.append(f'<td data-v="{row["divergence"]}">{row["divergence"]:.2f}</td>')
        cells += [f"<td>{row[k]}</td>" for k in ("verbatim", "faithful_paraphrase", "divergent", "partial", "altered_quotes", "unsupported", "omitted")]
        out.append("<tr>" + "".join(f"<td>{c}</td>" if not c.startswith("<td") else c for c in cells) + "</tr>")
    out.append("</tbody></table></div>")
    if report.unrelated:
        out.append("<p>Unrelated (share no statement with the others; not compared line by line): "
                   + ", ".join(f"<code>{escape(u)}</code>" for u in report.unrelated) + "</p>")
    return out


def _ranking(report: Report) -> list[str]:
    shown = report.ranking[: report.top]
    out = ["<h2>Divergent paraphrases, most divergent first</h2>"]
    if not shown:
        out.append("<p>No divergent paraphrase found.</p>")
    for n, r in enumerate(shown, 1):
        a = r.alignment
        src = highlighted(a, "source") if a.diff else escape(source_text(report, r))
        rw = highlighted(a, "rewrite") if a.diff else escape(rewrite_text(report, r))
        removed, added = changed_words(a)
        out.append(f'<div class="item ranked" id="rank-{n}"><h3>{n}. {escape(r.rewrite_id)} ← {escape(r.source_id)}</h3>')
        out.append(f'<p class="meta">divergence {a.divergence:.2f} · similarity {a.similarity:.2f} · {escape(a.relation)}</p>')
        out.append(_side_by_side(src, rw, r.source_id, r.rewrite_id))
        out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in evidence_lines(a)))
        if removed or added:
            out.append(f"<li>removed: {escape(_quoted(removed))}; added: {escape(_quoted(added))}</li>")
        out.append("</ul>")
        out.append("<details><summary>passages as written</summary>"
                   + _side_by_side(escape(source_text(report, r)), escape(rewrite_text(report, r)), r.source_id, r.rewrite_id)
                   + "</details></div>")
    return out


def _groups(report: Report) -> list[str]:
    if not report.groups:
        return []
    out = ["<h2>Statements rendered several ways</h2>"]
    for g in report.groups:
        text = span_text(next(c.source.text for c in report.comparisons if c.source.id == g.source_id), g.source_spans)
        out.append(f'<div class="item"><h3>{escape(g.source_id)}: rendered {len(g.renderings)} ways</h3><blockquote>{escape(text)}</blockquote><ul>')
        for r in g.renderings:
            a = r.alignment
            types = ", ".join(dict.fromkeys(d.type for d in a.types)) or "no divergence type"
            out.append(f"<li><b>{escape(r.rewrite_id)}</b> ({escape(a.relation)}, divergence {a.divergence:.2f}; {escape(types)}): {escape(rewrite_text(report, r))}</li>")
        out.append("</ul></div>")
    return out


def _per_article(report: Report) -> list[str]:
    out = ["<h2>Per article</h2>"]
    for c in report.comparisons:
        out.append(f'<div class="item"><h3>{escape(describe(c.rewrite.article))} against {escape(c.source.id)}</h3>')
        if c.quotes:
            out.append("<p>Quotes:</p><ul>" + "".join(
                f"<li>{escape(q.verdict)}: {escape(q.quote.speaker or 'unknown speaker')}: "
                f"{escape(c.rewrite.text[q.quote.span.start:q.quote.span.end])}</li>" for q in c.quotes) + "</ul>")
        if c.unsupported:
            out.append("<p>Unsupported by the source:</p><ul>" + "".join(f"<li>{escape(u.text)}</li>" for u in c.unsupported) + "</ul>")
        if c.omitted:
            out.append("<p>Notable omissions:</p><ul>" + "".join(
                f"<li>{escape(u.text)}</li>" for u in c.omitted[: report.omitted_limit]) + "</ul>")
        out.append("</div>")
    return out


def render_html(report: Report) -> str:
    mode = "words + sentence embeddings" if report.semantic else f"words only ({words_only_reason()})"
    body = [f"<h1>crosscheck report</h1><p class=\"meta\">matching: {escape(mode)}</p>"]
    body += _summary(report) + _ranking(report) + _groups(report) + _per_article(report)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>crosscheck report</title><style>{_STYLE}</style></head><body>\n"
        + "\n".join(body)
        + f"\n<script>{_SCRIPT}</script>\n</body></html>\n"
    )
