"""Same-story detection: articles that report the same statements without copying them.

Rewrites and translations share few word 5-grams, so MinHash cannot see them. Two
steps instead: candidates are pairs whose content words are alike (TF-IDF cosine of
content stems, rare words weighing most), then the matcher confirms each candidate:
enough of one article's sentences must be closely linked to sentences of the other.
Sharing a topic (the same organisation, the same countries) gives a cosine, but not
linked statements, so topic-only articles stay out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crosscheck.config import Settings
from crosscheck.dedup.engines import Verdict
from crosscheck.model import Article, Comparison, DuplicateCluster
from crosscheck.match.words import words_of


@dataclass(frozen=True)
class StoryLink:
    """A confirmed same-story pair (indices into the article list) and its evidence."""

    a: int
    b: int
    cosine: float
    coverage: float


def tfidf_candidates(texts: Sequence[str], min_cosine: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, cosine)`` with TF-IDF cosine of content stems at least ``min_cosine``.

    Sparse: only pairs sharing a word are ever scored.

    >>> tfidf_candidates(["Putin met Lukashenko in Moscow", "Lukashenko and Putin met in Moscow",
    ...                   "Rain expected over the weekend"], 0.5)
    [(0, 1, 1.0)]
    """
    bags = [Counter(words_of(t).content) for t in texts]
    n = len(bags)
    df = Counter(w for bag in bags for w in bag)
    vectors = []
    for bag in bags:
        vec = {w: (1.0 + math.log(c)) * math.log((n + 1) / (df[w] + 0.5)) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, vec in enumerate(vectors):
        for w, v in vec.items():
            if df[w] > 1:
                postings.setdefault(w, []).append((i, v))
    dots: Counter[tuple[int, int]] = Counter()
    for items in postings.values():
        for x in range(len(items)):
            i, vi = items[x]
            for j, vj in items[x + 1:]:
                dots[(i, j)] += vi * vj
    return sorted((i, j, round(d, 4)) for (i, j), d in dots.items() if d >= min_cosine)


def statement_coverage(comparison: Comparison, min_similarity: float) -> float:
    """The larger share, over the two sides, of sentences in a link at least
    ``min_similarity`` strong: how much of one article the other also states."""
    strong = [al for al in comparison.alignments if al.similarity >= min_similarity]
    source = {i for al in strong for i in al.source_sentences}
    rewrite = {i for al in strong for i in al.rewrite_sentences}
    n_source = len(comparison.source.sentences) or 1
    n_rewrite = len(comparison.rewrite.sentences) or 1
    return max(len(source) / n_source, len(rewrite) / n_rewrite)


def _default_compare(settings: Settings) -> Callable[[Article, Article], Comparison]:
    from crosscheck.match.compare import compare

    return lambda a, b: compare(a, b, settings)


def story_links(
    articles: Sequence[Article],
    settings: Settings,
    compare: Callable[[Article, Article], Comparison] | None = None,
) -> list[StoryLink]:
    """Candidate pairs confirmed by the matcher: the same-story graph's edges.

    The earlier-dated (else longer) article of a pair is compared as the source.
    """
    d = settings.dedup
    compare = compare or _default_compare(settings)
    links = []
    for i, j, cosine in tfidf_candidates([a.text for a in articles], d.story_min_cosine):
        a, b = articles[i], articles[j]
        if (b.date or "9999", -len(b.text)) < (a.date or "9999", -len(a.text)):
            a, b = b, a
        coverage = statement_coverage(compare(a, b), d.story_link_similarity)
        if coverage >= d.story_threshold:
            links.append(StoryLink(i, j, cosine, coverage))
    return links


def story_clusters(
    articles: Sequence[Article],
    settings: Settings,
    compare: Callable[[Article, Article], Comparison] | None = None,
) -> list[DuplicateCluster]:
    """Same-story clusters: connected components of confirmed links."""
    from crosscheck.dedup.run import build_clusters

    links = story_links(articles, settings, compare)
    edges = [
        Verdict(l.a, l.b, l.cosine, l.coverage, True,
                f"coverage {l.coverage:.2f}: statements of one linked in the other (tf-idf cosine {l.cosine:.2f})")
        for l in links
    ]
    sizes = [len(a.text) for a in articles]
    return build_clusters(
        "story", [a.id for a in articles], [a.date for a in articles], sizes, edges, settings.dedup.representative
    )
