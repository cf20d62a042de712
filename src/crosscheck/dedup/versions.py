"""The matcher's evidence that two articles are versions of one story, each article prepared once.

Story mode checks thousands of candidate pairs, and an article takes part in several of
them. A check reads only the strong links of a comparison and their verdicts
(:func:`crosscheck.match.compare.strong_alignments`), so a :class:`VersionJudge` keeps
each article's prepared document and sentence features for the run and skips what a
full comparison adds for readers (summary, unmatched sentences, the NLP batch over
every sentence). The coverage it gives is the one :func:`version_coverage` reads off a
full comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crosscheck.config import Settings
from crosscheck.model import Alignment, Article, Comparison, Document

FACT_CHANGES = frozenset({"entity_changed", "number_changed"})


def links_coverage(
    alignments: Sequence[Alignment], n_source: int, n_rewrite: int, min_similarity: float, max_fact_changes: float
) -> float:
    """Statement coverage counting only links at least ``min_similarity`` strong that keep
    names and numbers; 0 when more than ``max_fact_changes`` of the strong links change
    them: one frame filled with other facts is templated wire copy, not a version."""
    strong = [al for al in alignments if al.similarity >= min_similarity]
    if not strong:
        return 0.0
    kept = [al for al in strong if not any(t.type in FACT_CHANGES for t in al.types)]
    if (len(strong) - len(kept)) / len(strong) > max_fact_changes:
        return 0.0
    source = {i for al in kept for i in al.source_sentences}
    rewrite = {i for al in kept for i in al.rewrite_sentences}
    return max(len(source) / (n_source or 1), len(rewrite) / (n_rewrite or 1))


def version_coverage(comparison: Comparison, min_similarity: float, max_fact_changes: float) -> float:
    """:func:`links_coverage` of a full comparison."""
    return links_coverage(comparison.alignments, len(comparison.source.sentences),
                          len(comparison.rewrite.sentences), min_similarity, max_fact_changes)


def source_first(a: Article, b: Article) -> bool:
    """Whether ``a`` is the source of the pair: the earlier dated, else the longer."""
    return not (b.date or "9999", -len(b.text)) < (a.date or "9999", -len(a.text))


class VersionJudge:
    """Version coverage of pairs of ``articles``, by index, with per-article caches.

    Forked workers each inherit the judge and fill their own caches; a check gives the
    same number whichever process runs it.
    """

    def __init__(self, articles: Sequence[Article], settings: Settings) -> None:
        from crosscheck.semantic.bridge import embedder_for
        from crosscheck.text.nlp import available

        self.articles = articles
        self.settings = settings
        self.embedder = embedder_for(settings)
        available()  # load the NLP pipeline once, before any worker forks
        self._documents: dict[int, Document] = {}
        self._features: dict[tuple[int, int], Any] = {}

    def _document(self, i: int) -> Document:
        if i not in self._documents:
            from crosscheck.text.prepare import prepare

            self._documents[i] = prepare(self.articles[i], self.settings)
        return self._documents[i]

    def _side(self, i: int, embedder: Any) -> Any:
        key = (i, id(embedder))
        if key not in self._features:
            from crosscheck.match.align import features

            self._features[key] = features(self._document(i), self.settings, embedder)
        return self._features[key]

    def coverage(self, i: int, j: int) -> float:
        """How much of one article of the pair the other states, names and numbers kept."""
        from crosscheck.match.compare import strong_alignments
        from crosscheck.semantic.bridge import embedder_for_pair

        if not source_first(self.articles[i], self.articles[j]):
            i, j = j, i
        d = self.settings.dedup
        source, rewrite = self._document(i), self._document(j)
        embedder = embedder_for_pair(self.settings, source.article.language, rewrite.article.language, self.embedder)
        alignments = strong_alignments(self._side(i, embedder), self._side(j, embedder), self.settings,
                                       d.story_link_similarity, quotes=False)
        return links_coverage(alignments, len(source.sentences), len(rewrite.sentences),
                              d.story_link_similarity, d.story_max_fact_changes)

    def coverages(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """:meth:`coverage` of each pair: the unit of work a process pool runs."""
        return [self.coverage(i, j) for i, j in pairs]
