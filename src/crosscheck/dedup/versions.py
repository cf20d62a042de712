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

from collections.abc import Callable, Sequence
from typing import Any

from crosscheck.config import Settings
from crosscheck.model import Alignment, Article, Comparison, Document

FACT_CHANGES = frozenset({"entity_changed", "number_changed"})
PREPARE_SLICE = 32
"""Articles a process prepares in one call."""


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

    def prepare_all(self, indices: Sequence[int], workers: int,
                    progress: Callable[[str, int, int], None] | None = None) -> None:
        """Prepare ``indices`` (document, words, sentence embeddings with the run's
        embedder) over ``workers`` processes, into this judge, so that workers forked
        after it inherit them. Each process reads a fixed slice of articles; then every
        distinct sentence is embedded once, however many articles and processes share it
        (wire copies repeat most of theirs), and no article is prepared twice."""
        from crosscheck.match.align import with_sentence_vectors
        from crosscheck.parallel import process_map

        todo = [i for i in indices if (i, id(self.embedder)) not in self._features]
        slices = [todo[k:k + PREPARE_SLICE] for k in range(0, len(todo), PREPARE_SLICE)]
        if progress:
            progress("preparing articles", 0, len(todo))
        sides: list[Any] = []
        for part in process_map(lambda part: self._prepared(part, None), slices, workers, min_items=2, in_flight=2):
            sides += part
            if progress:
                progress("preparing articles", len(sides), len(todo))
        heard = (lambda done, total: progress("sentence vectors", done, total)) if progress else None
        self._keep(todo, self.embedder, with_sentence_vectors(sides, self.embedder, workers, heard))

    def _ready(self, wanted: Sequence[tuple[int, Any]]) -> None:
        """Features of the articles not yet prepared, each embedder's in one call."""
        by_embedder: dict[int, tuple[Any, list[int]]] = {}
        for i, embedder in wanted:
            todo = by_embedder.setdefault(id(embedder), (embedder, []))[1]
            if (i, id(embedder)) not in self._features and i not in todo:
                todo.append(i)
        for embedder, todo in by_embedder.values():
            self._keep(todo, embedder, self._prepared(todo, embedder))

    def _prepared(self, indices: Sequence[int], embedder: Any) -> list[Any]:
        """The features of ``indices``, their sentences embedded in one call."""
        from crosscheck.match.align import features_of

        return features_of([self._document(i) for i in indices], self.settings, embedder)

    def _keep(self, indices: Sequence[int], embedder: Any, sides: Sequence[Any]) -> None:
        for i, side in zip(indices, sides):
            self._documents[i] = side.document
            self._features[(i, id(embedder))] = side

    def _oriented(self, i: int, j: int) -> tuple[int, int, Any]:
        """The pair source first, and the embedder its two languages call for."""
        from crosscheck.semantic.bridge import embedder_for_pair

        if not source_first(self.articles[i], self.articles[j]):
            i, j = j, i
        source, rewrite = self._document(i).article, self._document(j).article
        return i, j, embedder_for_pair(self.settings, source.language, rewrite.language, self.embedder)

    def coverage(self, i: int, j: int) -> float:
        """How much of one article of the pair the other states, names and numbers kept."""
        return self.coverages([(i, j)])[0]

    def coverages(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """:meth:`coverage` of each pair, the unit of work a process pool runs: the
        articles are prepared first, and the linked passages read, all pairs together."""
        from crosscheck.match.compare import strong_alignments_of

        d = self.settings.dedup
        oriented = [self._oriented(i, j) for i, j in pairs]
        self._ready([(k, embedder) for i, j, embedder in oriented for k in (i, j)])
        sides = [(self._features[(i, id(embedder))], self._features[(j, id(embedder))]) for i, j, embedder in oriented]
        return [links_coverage(alignments, len(src.document.sentences), len(rw.document.sentences),
                               d.story_link_similarity, d.story_max_fact_changes)
                for alignments, (src, rw) in zip(strong_alignments_of(sides, self.settings, d.story_link_similarity), sides)]
