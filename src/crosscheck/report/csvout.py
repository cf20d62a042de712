"""The report as CSV: one row per divergent alignment, most divergent first.

The columns are fixed (``COLUMNS``) and documented in the README; new columns are
only ever appended.
"""

from __future__ import annotations

import csv
import io

from crosscheck.report.common import changed_words, evidence_lines, rewrite_text, source_text
from crosscheck.report.model import Report

COLUMNS = (
    "rank", "source_id", "rewrite_id", "divergence", "similarity", "relation", "types",
    "source_start", "source_end", "rewrite_start", "rewrite_end",
    "source_text", "rewrite_text", "removed_words", "added_words", "evidence",
)


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for n, r in enumerate(report.ranking, 1):
        a = r.alignment
        removed, added = changed_words(a, report.phrase_gap)
        writer.writerow([
            n, r.source_id, r.rewrite_id, f"{a.divergence:.4f}", f"{a.similarity:.4f}", a.relation,
            ";".join(dict.fromkeys(d.type for d in a.types)),
            a.source_spans[0].start, a.source_spans[-1].end, a.rewrite_spans[0].start, a.rewrite_spans[-1].end,
            source_text(report, r), rewrite_text(report, r),
            " | ".join(removed), " | ".join(added), " | ".join(evidence_lines(a)),
        ])
    return buffer.getvalue()
