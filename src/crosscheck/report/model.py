"""What a batch report holds: the comparisons run, the ranking drawn from them, the rest.

The renderers only read these values; everything they show is decided in
:func:`crosscheck.report.build`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crosscheck.model import Alignment, Article, Comparison, Span


@dataclass(frozen=True)
class Ranked:
    """One alignment of one compared pair, named by where it sits in the report."""

    pair: int
    """Index of the comparison in ``Report.comparisons``."""
    index: int
    """Index of the alignment in that comparison's ``alignments``."""
    alignment: Alignment
    source_id: str
    rewrite_id: str


@dataclass(frozen=True)
class StatementGroup:
    """Source sentences that several rewrites rendered, and how each rendered them."""

    source_id: str
    source_sentences: tuple[int, ...]
    source_spans: tuple[Span, ...]
    renderings: tuple[Ranked, ...]

    @property
    def rewrite_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.rewrite_id for r in self.renderings))

    @property
    def divergence(self) -> float:
        return max((r.alignment.divergence for r in self.renderings), default=0.0)


@dataclass(frozen=True)
class Report:
    """Everything a batch run found, ready to render in any format."""

    articles: tuple[Article, ...]
    comparisons: tuple[Comparison, ...]
    ranking: tuple[Ranked, ...]
    groups: tuple[StatementGroup, ...]
    unrelated: tuple[str, ...]
    min_divergence: float = 0.0
    types: tuple[str, ...] | None = None
    semantic: bool = False
    top: int = 50
    omitted_limit: int = 5
    sources: tuple[tuple[str, str], ...] = ()
    """(article id, why it was taken as the source) for every source compared with."""
    phrase_gap: int = 1
    """Unchanged words that may sit inside one changed phrase (``report.phrase_gap``)."""
    skipped: tuple[str, ...] = ()
    """Files and records left out with ``load.skip_bad``, each as ``PATH: problem``."""

    def relation_counts(self) -> dict[str, int]:
        """Links of every pair, counted by relation."""
        counts: Counter[str] = Counter(a.relation for c in self.comparisons for a in c.alignments)
        return dict(counts)

    def type_counts(self) -> dict[str, int]:
        """Divergent links of every pair, counted by divergence type (once per link)."""
        counts: Counter[str] = Counter(
            t for c in self.comparisons for a in c.alignments if a.relation == "divergent"
            for t in dict.fromkeys(d.type for d in a.types)
        )
        return dict(counts)

    def quote_counts(self) -> dict[str, int]:
        counts: Counter[str] = Counter(q.verdict for c in self.comparisons for q in c.quotes)
        return dict(counts)

    @property
    def max_divergence(self) -> float:
        """The strongest divergence in the ranking (0 when nothing diverged)."""
        return max((r.alignment.divergence for r in self.ranking), default=0.0)
