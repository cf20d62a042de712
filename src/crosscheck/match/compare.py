"""Compare a source with a rewrite: align, type every link, check quotes, sum up.

``compare`` is the library's main entry point; the CLI, the TUI and the reports all
render what it returns. ``Matcher`` keeps the source's features so that one
transcript can be compared with hundreds of rewrites without redoing its half.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.match.align import Link, SideFeatures, align, features
from crosscheck.match.crosslingual import score_translated, uses_concepts
from crosscheck.config import Settings
from crosscheck.match.diverge import MEANING_TYPES, Passage, divergence_degree
from crosscheck.parallel import process_map, worker_count
from crosscheck.model import (
    Alignment,
    Article,
    Comparison,
    Divergence,
    Document,
    QuoteCheck,
    Summary,
    Unmatched,
)
from crosscheck.text.prepare import prepare
from crosscheck.match.quotecheck import LinkedTypes, check_quotes
from crosscheck.match.score import Idf, cosine_matrix, meaning_similarity, relation_of, score_passages, token_similarity
from crosscheck.semantic.bridge import embedder_for, embedder_for_pair
from crosscheck.match.words import words_of

Source = Article | Document | str | Path


class Matcher:
    """A source made ready once, to be compared with any number of rewrites."""

    def __init__(self, source: Source, settings: Settings | None = None, embedder: Any = "auto") -> None:
        self.settings = settings or Settings()
        self._choose_per_pair = embedder == "auto"
        self.embedder = embedder_for(self.settings) if embedder == "auto" else embedder
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
        return list(process_map(self.compare, list(rewrites), worker_count(workers or 0)))


def compare(source: Source, rewrite: Source, settings: Settings | None = None, embedder: Any = "auto") -> Comparison:
    """Line up a rewrite with its source and say how each passage drifted.

    ``source`` and ``rewrite`` may be paths, loaded articles, prepared documents or
    plain text.
    """
    return Matcher(source, settings, embedder).compare(rewrite)


def compare_many(source: Source, rewrites: Iterable[Source], settings: Settings | None = None, embedder: Any = "auto") -> list[Comparison]:
    return Matcher(source, settings, embedder).compare_all(list(rewrites))


def _passage(side: SideFeatures, indices: Sequence[int]) -> Passage:
    return Passage(" ".join(side.document.sentences[k].norm for k in indices), len(indices))


def _alignment(link: Link, src: SideFeatures, rw: SideFeatures, settings: Settings, extra: Sequence[Divergence] = ()) -> Alignment:
    extra = list(extra)
    if link.other_speaker and not any(d.type == "attribution_changed" for d in extra):
        who_s = {src.speakers[k] for k in link.source if src.speakers[k]}
        who_r = {rw.speakers[k] for k in link.rewrite if rw.speakers[k]}
        extra.append(Divergence("attribution_changed", tuple(sorted(who_s)), tuple(sorted(who_r))))
    if uses_concepts(src.language, rw.language):
        # Not English against English: concepts, numbers and names (match/crosslingual.py).
        score, diff = score_translated(
            _passage(src, link.source), _passage(rw, link.rewrite), link.similarity,
            src.language or "und", rw.language or "und", settings,
            extra_types=extra, lexical=link.lexical, semantic=link.semantic,
        )
    else:
        score, diff = score_passages(
            _passage(src, link.source),
            _passage(rw, link.rewrite),
            meaning_similarity(link.lexical, link.semantic),
            settings,
            extra_types=extra,
            lexical=link.lexical,
            semantic=link.semantic,
        )
    return Alignment(
        source_sentences=link.source,
        rewrite_sentences=link.rewrite,
        source_spans=tuple(src.document.sentences[k].span for k in link.source),
        rewrite_spans=tuple(rw.document.sentences[k].span for k in link.rewrite),
        score=score,
        diff=diff,
    )


def _with_quote_altered(alignment: Alignment, checks: Sequence[QuoteCheck], src: SideFeatures, rw: SideFeatures, settings: Settings) -> Alignment:
    altered = [
        c for c in checks if c.verdict == "altered" and set(c.quote.sentence_indices) & set(alignment.rewrite_sentences)
    ]
    moved = {d.type for d in alignment.types} & (MEANING_TYPES - {"quote_altered"})
    # A long quote may run over several passages; it is altered where its words moved.
    if not altered or not moved or any(d.type == "quote_altered" for d in alignment.types):
        return alignment
    quote_type = Divergence(
        "quote_altered",
        source_words=tuple(_clip(c.source_text) for c in altered if c.source_text)[:1],
        rewrite_words=tuple(c.quote.text for c in altered),
    )
    types = (*alignment.types, quote_type)
    s_pass, r_pass = _passage(src, alignment.source_sentences), _passage(rw, alignment.rewrite_sentences)
    wording = token_similarity(words_of(s_pass.text), words_of(r_pass.text))
    relation = relation_of(types, alignment.similarity, wording, s_pass, r_pass, settings)
    score = dataclasses.replace(
        alignment.score, types=types, relation=relation, divergence=divergence_degree(types, alignment.similarity)
    )
    return dataclasses.replace(alignment, score=score)


def _clip(text: str, words: int = 30) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"


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
    alignments = [_alignment(link, src, rw, settings) for link in links]
    linked = [LinkedTypes(link, a.types) for link, a in zip(links, alignments)]
    quotes = check_quotes(src, rw, linked, settings)
    alignments = [_with_quote_altered(a, quotes, src, rw, settings) for a in alignments]
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


__all__ = ["Matcher", "compare", "compare_many", "MEANING_TYPES"]
