"""The report as JSON, schema ``crosscheck.report/1``.

``comparisons`` holds one ``crosscheck.comparison/1`` document per pair, exactly as
``crosscheck compare --format json`` prints it; ``ranking`` names its pair by index
into ``comparisons`` and repeats the alignment's fields so a reader need not join.
"""

from __future__ import annotations

import json
from typing import Any

from crosscheck.model import Article, Document
from crosscheck.report.comparison_json import alignment_to_dict, comparison_to_dict, document_meta
from crosscheck.report.common import changed_words, pair_rows
from crosscheck.report.model import Report

SCHEMA = "crosscheck.report/1"


def report_to_dict(report: Report) -> dict[str, Any]:
    ranking = []
    for n, r in enumerate(report.ranking, 1):
        c = report.comparisons[r.pair]
        removed, added = changed_words(r.alignment, report.phrase_gap)
        ranking.append({
            "rank": n,
            "pair": r.pair,
            "alignment": r.index,
            "source": r.source_id,
            "rewrite": r.rewrite_id,
            **alignment_to_dict(r.alignment, c.source, c.rewrite),
            "removed_words": removed,
            "added_words": added,
        })
    return {
        "schema": SCHEMA,
        "semantic": report.semantic,
        "filters": {"min_divergence": report.min_divergence, "types": list(report.types) if report.types else None},
        "articles": [document_meta_of(a) for a in report.articles],
        "summary": {
            "articles": len(report.articles),
            "pairs": len(report.comparisons),
            "unrelated": len(report.unrelated),
            "relations": dict(sorted(report.relation_counts().items())),
            "types": dict(sorted(report.type_counts().items())),
            "quotes": dict(sorted(report.quote_counts().items())),
            "max_divergence": report.max_divergence,
            "per_pair": pair_rows(report),
            **({"skipped": list(report.skipped)} if report.skipped else {}),
        },
        "comparisons": [comparison_to_dict(c) for c in report.comparisons],
        "ranking": ranking,
        "groups": [
            {
                "source": g.source_id,
                "source_sentences": list(g.source_sentences),
                "source_spans": [s.as_list() for s in g.source_spans],
                "renderings": [{"pair": r.pair, "alignment": r.index, "rewrite": r.rewrite_id,
                                "relation": r.alignment.relation, "divergence": r.alignment.divergence}
                               for r in g.renderings],
            }
            for g in report.groups
        ],
        "unrelated": list(report.unrelated),
    }


def document_meta_of(article: Article) -> dict[str, Any]:
    return document_meta(Document(article=article, sentences=()))


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), ensure_ascii=False, indent=2) + "\n"
