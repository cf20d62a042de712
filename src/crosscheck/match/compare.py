"""Compare a source with a rewrite: align, check quotes, give every link its verdict, sum up.

``compare`` is the library's main entry point; the CLI, the TUI and the reports all
render what it returns. ``Matcher`` keeps the source's features so that one
transcript can be compared with hundreds of rewrites without redoing its half.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.match.align import Link, SideFeatures, align, features
from crosscheck.match.crosslingual import uses_concepts
from crosscheck.config import Settings
from crosscheck.parallel import forks, process_map, worker_count
from crosscheck.model import (
    Alignment,
    Article,
    Comparison,
    DiffOp,
    Document,
    PairScore,
    QuoteCheck,
    Summary,
    Unmatched,
)
from crosscheck.text.prepare import prepare
from crosscheck.match.quotecheck import check_quotes
from crosscheck.match.score import Idf, cosine_matrix, meaning_similarity
from crosscheck.match.verdict import Side, decide, same_passage, verbatim_score
from crosscheck.match.wordalign import passage_pieces
from crosscheck.semantic.bridge import embedder_for, embedder_for_pair
from crosscheck.text.nlp import analyse, available as nlp_available

Source = Article | Document | str | Path


class Matcher:
    """A source made ready once, to be compared with any number of rewrites."""

    def __init__(self, source: Source, settings: Settings | None = None, embedder: Any = "auto") -> None:
        self.settings = settings or Settings()
        self._choose_per_pair = embedder == "auto"
        self.embedder = embedder_for(self.settings) if embedder == "auto" else embedder
        nlp_available()  # load the NLP pipeline (when installed) once, before any worker forks
        self.source = prepare(source, self.settings)
        self.source_features = features(self.source, self.settings, self.embedder)
        self._by_embedder: list[tuple[Any, SideFeatures]] = [(self.embedder, self.source_features)]
        self._centrality = _centrality(self.source_features)

    def embedder_for(self, rewrite: Document) -> Any:
        """The embedder this rewrite is compared with: the multilingual one when either
        side is not English (see :func:`crosscheck.semantic.bridge.embedder_for_pair`)."""
        if not self._choose_per_pair:
            return self.embedder
        return embedder_for_pair(self.settings, self.source.article.language, rewrite.article.language, self.embedder)

    def _source_features(self, embedder: Any) -> SideFeatures:
        """The source's features under ``embedder``, computed once per embedder."""
        for known, side in self._by_embedder:
            if known is embedder:
                return side
        side = features(self.source, self.settings, embedder)
        self._by_embedder.append((embedder, side))
        return side

    def compare(self, rewrite: Source) -> Comparison:
        rewrite_doc = prepare(rewrite, self.settings)
        embedder = self.embedder_for(rewrite_doc)
        rw = features(rewrite_doc, self.settings, embedder)
        return _compare(self._source_features(embedder), rw, self.settings, self._centrality, embedder is not None)

    def compare_all(self, rewrites: Sequence[Source], workers: int | None = None) -> list[Comparison]:
        """Compare many rewrites, spread over the machine's cores.

        Workers are forked with this matcher (the source's features are not
        recomputed); small batches and machines with one core stay in process.
        """
        items, count = list(rewrites), worker_count(workers or 0)
        if forks(len(items), count) and len(self.source.sentences) <= len(items):
            self._read_source()
        return list(process_map(self.compare, items, count))

    def _read_source(self) -> None:
        """Put every source sentence through the NLP pipeline in one batch, here, before
        workers fork: they inherit the tokens instead of each reading the same sentences
        again, and one batch costs less than the many small ones of single comparisons.
        Only for a batch with no fewer rewrites than source sentences: the sentences no
        rewrite links are then read at most once per rewrite (a few ms against tens for
        a comparison), where a long transcript beside a few short stories would pay for
        hundreds it never needs."""
        language = self.source.article.language
        if uses_concepts(language, language):  # never read by the English pipeline
            return
        analyse(passage_pieces(self.source.text, [s.span for s in self.source.sentences]))


def compare(source: Source, rewrite: Source, settings: Settings | None = None, embedder: Any = "auto") -> Comparison:
    """Line up a rewrite with its source and say how each passage drifted.

    ``source`` and ``rewrite`` may be paths, loaded articles, prepared documents or
    plain text.
    """
    return Matcher(source, settings, embedder).compare(rewrite)


def compare_many(source: Source, rewrites: Iterable[Source], settings: Settings | None = None, embedder: Any = "auto") -> list[Comparison]:
    return Matcher(source, settings, embedder).compare_all(list(rewrites))


def _side(side: SideFeatures, indices: Sequence[int]) -> Side:
    return Side(
        side.document.text,
        tuple(side.document.sentences[k].span for k in indices),
        tuple(side.speakers[k] for k in indices),
    )


def _reported_similarity(link: Link, src: SideFeatures, rw: SideFeatures) -> float:
    """The similarity an alignment reports for a link (before the verdict's rounding)."""
    # Across languages the words share nothing; the link's calibrated similarity stands.
    if uses_concepts(src.language, rw.language):
        return link.similarity
    return meaning_similarity(link.lexical, link.semantic)


def strong_alignments(
    src: SideFeatures, rw: SideFeatures, settings: Settings, min_similarity: float, quotes: bool = True
) -> list[Alignment]:
    """The alignments ``compare`` would list whose similarity reaches ``min_similarity``,
    each with its verdict, and nothing else of a comparison: same-story clustering asks
    this of thousands of pairs and reads only their strong links. With ``quotes`` False
    the quotes are not checked, so no link carries ``quote_altered``; its other types
    are the same (a quote type is added only beside a meaning type, which already makes
    the link divergent)."""
    links = align(src, rw, settings)
    checked = check_quotes(src, rw, links, settings) if quotes else []
    strong = _strong(links, src, rw, min_similarity)
    _read(_passages(strong, src, rw))
    return [_alignment(link, src, rw, settings, checked) for link in strong]


def strong_alignments_of(
    pairs: Sequence[tuple[SideFeatures, SideFeatures]], settings: Settings, min_similarity: float
) -> list[list[Alignment]]:
    """:func:`strong_alignments` of each pair, quotes unchecked, with the passages of all
    the pairs' strong links read by the NLP pipeline in one batch, which runs faster than
    a batch per pair. A link whose rewrite passage is the source's text itself, by the
    same speaker, is verbatim whatever the pipeline reads, so it is not read and its
    alignment carries no word diff (seven strong links in ten, on a day of wire copy)."""
    strong = [_strong(align(src, rw, settings), src, rw, min_similarity) for src, rw in pairs]
    copied = [[_copied(link, src, rw) for link in links] for links, (src, rw) in zip(strong, pairs)]
    _read([piece for links, same, (src, rw) in zip(strong, copied, pairs)
           for piece in _passages([link for link, c in zip(links, same) if not c], src, rw)])
    return [[_verbatim(link, src, rw) if c else _alignment(link, src, rw, settings, []) for link, c in zip(links, same)]
            for links, same, (src, rw) in zip(strong, copied, pairs)]


def _copied(link: Link, src: SideFeatures, rw: SideFeatures) -> bool:
    return not uses_concepts(src.language, rw.language) and same_passage(_side(src, link.source), _side(rw, link.rewrite))


def _verbatim(link: Link, src: SideFeatures, rw: SideFeatures) -> Alignment:
    """The alignment of a copied link, as :func:`_alignment` gives it but for the word diff."""
    return _aligned(link, src, rw, verbatim_score(_reported_similarity(link, src, rw), link.lexical, link.semantic), ())


def _strong(links: Sequence[Link], src: SideFeatures, rw: SideFeatures, min_similarity: float) -> list[Link]:
    return [link for link in links
            if round(float(min(1.0, max(0.0, _reported_similarity(link, src, rw)))), 4) >= min_similarity]


def _passages(links: Sequence[Link], src: SideFeatures, rw: SideFeatures) -> list[str]:
    """The passages the verdicts on ``links`` will read: the linked sentences of both
    sides, exactly as the verdicts cut them, and nothing else (nothing across languages:
    those links are read as concepts, not words). A sentence no link holds is never read."""
    if not links or uses_concepts(src.language, rw.language):
        return []
    return [piece for link in links for side, ks in ((src, link.source), (rw, link.rewrite))
            for piece in passage_pieces(side.document.text, [side.document.sentences[k].span for k in ks])]


def _read(pieces: list[str]) -> None:
    """Put passages through the NLP pipeline in one batch, cached for the verdicts: one
    batch costs far less than a call per passage."""
    if pieces:
        analyse(pieces)


def _alignment(link: Link, src: SideFeatures, rw: SideFeatures, settings: Settings, quotes: Sequence[QuoteCheck]) -> Alignment:
    """A link with the verdict on it: the one call that types and relates the pair."""
    languages = (src.language, rw.language)
    similarity = _reported_similarity(link, src, rw)
    verdict = decide(
        _side(src, link.source),
        _side(rw, link.rewrite),
        similarity,
        settings.verdict,
        quotes=quotes,
        rewrite_sentences=link.rewrite,
        lexical=link.lexical,
        semantic=link.semantic,
        languages=languages,
    )
    return _aligned(link, src, rw, verdict.score, verdict.diff)


def _aligned(link: Link, src: SideFeatures, rw: SideFeatures, score: PairScore, diff: tuple[DiffOp, ...]) -> Alignment:
    return Alignment(
        source_sentences=link.source,
        rewrite_sentences=link.rewrite,
        source_spans=tuple(src.document.sentences[k].span for k in link.source),
        rewrite_spans=tuple(rw.document.sentences[k].span for k in link.rewrite),
        score=score,
        diff=diff,
    )


def _centrality(side: SideFeatures) -> np.ndarray:
    """How central each source sentence is: its content weight times how much the rest
    of the text echoes it."""
    if not side.words:
        return np.zeros(0)
    idf = Idf.fit(side.words)
    sim = cosine_matrix(side.words, side.words, idf)
    np.fill_diagonal(sim, 0.0)
    mass = np.array([math.fsum(idf.of(w) for w in words.content) for words in side.words], dtype=np.float32)
    echo = sim.sum(axis=1)
    value = mass * (1.0 + echo)
    return value / value.max() if value.max() > 0 else value


def _unmatched(side: SideFeatures, used: set[int], weights: np.ndarray | None = None) -> tuple[Unmatched, ...]:
    out = []
    for s in side.document.sentences:
        if s.index in used or len(side.words[s.index].content) < 2:
            continue
        weight = float(weights[s.index]) if weights is not None and len(weights) else 0.0
        out.append(Unmatched(s.index, s.span, s.text, round(weight, 4)))
    if weights is not None:
        out.sort(key=lambda u: -u.weight)
    return tuple(out)


def _coverage(side: SideFeatures, used: set[int]) -> float:
    total = sum(len(s.span) for s in side.document.sentences)
    if not total:
        return 0.0
    return round(sum(len(s.span) for s in side.document.sentences if s.index in used) / total, 4)


def _overall(alignments: Sequence[Alignment], unsupported: Sequence[Unmatched], rw: SideFeatures) -> float:
    """Length-weighted divergence of the rewrite; a sentence with no source counts 0.5."""
    total = 0.0
    weighted = 0.0
    for a in alignments:
        n = sum(len(s) for s in a.rewrite_spans)
        total += n
        weighted += n * a.divergence
    for u in unsupported:
        total += len(u.span)
        weighted += 0.5 * len(u.span)
    return round(weighted / total, 4) if total else 0.0


def _compare(src: SideFeatures, rw: SideFeatures, settings: Settings, centrality: np.ndarray, semantic: bool) -> Comparison:
    links = align(src, rw, settings)
    _read(_passages(links, src, rw))
    quotes = check_quotes(src, rw, links, settings)
    alignments = [_alignment(link, src, rw, settings, quotes) for link in links]
    used_src = {k for a in alignments for k in a.source_sentences}
    used_rw = {k for a in alignments for k in a.rewrite_sentences}
    unsupported = _unmatched(rw, used_rw)
    omitted = _unmatched(src, used_src, centrality)
    counts: Counter[str] = Counter(a.relation for a in alignments)
    for a in alignments:
        counts.update(f"type:{t}" for t in dict.fromkeys(d.type for d in a.types))
    counts.update(f"quote:{q.verdict}" for q in quotes)
    counts["unsupported"] = len(unsupported)
    counts["omitted"] = len(omitted)
    summary = Summary(
        coverage_source=_coverage(src, used_src),
        coverage_rewrite=_coverage(rw, used_rw),
        divergence=_overall(alignments, unsupported, rw),
        semantic=semantic,
        embedding=rw.embedding_kind if semantic else None,
        counts=dict(counts),
    )
    return Comparison(
        source=src.document,
        rewrite=rw.document,
        alignments=tuple(sorted(alignments, key=lambda a: a.rewrite_sentences)),
        unsupported=unsupported,
        omitted=omitted,
        quotes=quotes,
        summary=summary,
    )


__all__ = ["Matcher", "compare", "compare_many", "strong_alignments"]
