"""Find, for every rewrite sentence, the source sentences that carry the same statement.

Links are many-to-many and order-free: a rewrite may condense two source sentences
(or three far apart), split one, or reorder whole paragraphs. Cheap checks come
first: every sentence pair gets a rarity-weighted overlap and a rapidfuzz token-set
ratio (cut off early), plus an embedding cosine when the semantic extra is there;
one calibrated model (:mod:`crosscheck.match.linkmodel`) turns them into the
probability that decides each link. Links are grown into windows, and a statement is
never linked to words another speaker said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crosscheck.config import Settings
from crosscheck.model import Document
from crosscheck.match.score import (
    Idf,
    blend,
    containment,
    cosine_matrix,
    fuzzy_matrix,
    fuzzy_similarity,
    semantic_blend,
    weighted_cosine,
)
from crosscheck.text.clean import blank_spans
from crosscheck.text.quotes import reported_speakers
from crosscheck.match.linkmodel import link_probability, pair_features
from crosscheck.match.words import Words, words_of


@dataclass(frozen=True)
class SideFeatures:
    """What the aligner needs of one document, computed once and reused."""

    document: Document
    words: tuple[Words, ...]
    speakers: tuple[str | None, ...]
    embeddings: Any = None


@dataclass(frozen=True)
class Link:
    source: tuple[int, ...]
    rewrite: tuple[int, ...]
    similarity: float
    lexical: float
    semantic: float | None
    other_speaker: bool = False


def surname(name: str | None) -> str | None:
    """The part of a speaker's name that both outlets will use: Vladimir Putin → putin."""
    if not name:
        return None
    parts = [p for p in name.replace(".", " ").split() if p[:1].isupper()]
    return (parts[-1] if parts else name.split()[-1]).lower()


def sentence_speakers(document: Document) -> tuple[str | None, ...]:
    """Who speaks in each sentence: a transcript label, the speaker of a quote in it,
    or the speaker its reported speech names ("Putin said", "the Kremlin leader told")."""
    speakers = [s.speaker for s in document.sentences]
    for quote in document.quotes:
        if not quote.speaker:
            continue
        for i in quote.sentence_indices:
            if 0 <= i < len(speakers) and speakers[i] is None:
                speakers[i] = quote.speaker
    if any(s is None for s in speakers):
        text = blank_spans(document.text, [b.span for b in document.boilerplate])
        reported = reported_speakers(text, document.sentences)
        speakers = [s if s is not None else r for s, r in zip(speakers, reported)]
    return tuple(surname(s) for s in speakers)


def features(document: Document, settings: Settings, embedder: Any = None) -> SideFeatures:
    extra = frozenset(settings.lexicons.stopwords)
    words = tuple(words_of(s.norm, extra) for s in document.sentences)
    vectors = None
    if embedder is not None and document.sentences:
        vectors = embedder.embed([s.norm for s in document.sentences])
    return SideFeatures(document, words, sentence_speakers(document), vectors)


def _merge_words(parts: Sequence[Words]) -> Words:
    return Words(
        tokens=tuple(t for p in parts for t in p.tokens),
        folded=tuple(t for p in parts for t in p.folded),
        content=frozenset().union(*(p.content for p in parts)),
        numbers=frozenset().union(*(p.numbers for p in parts)),
        names=frozenset().union(*(p.names for p in parts)),
    )


def pair_matrix(src: SideFeatures, rw: SideFeatures, settings: Settings, idf: Idf) -> tuple[np.ndarray, np.ndarray, Any]:
    """Similarity of every (rewrite, source) sentence pair: blended, lexical, semantic."""
    cos = cosine_matrix(rw.words, src.words, idf)
    fuzzy = fuzzy_matrix(rw.words, src.words, settings.match.candidate_cutoff)
    lexical = blend(cos, fuzzy)
    if src.embeddings is None or rw.embeddings is None:
        return lexical, lexical, None
    sem = rw.embeddings @ src.embeddings.T
    return semantic_blend(lexical, sem), lexical, sem


def link_probabilities(src: SideFeatures, rw: SideFeatures, settings: Settings, idf: Idf, sem: Any) -> np.ndarray:
    """The calibrated link model's probability for every (rewrite, source) pair."""
    m = settings.match
    pairs = pair_features(rw.words, src.words, idf, m.candidate_cutoff, sem)
    if sem is None:
        return link_probability(pairs, m.link_weights_lexical, semantic=False)
    return link_probability(pairs, m.link_weights, semantic=True)


def align(src: SideFeatures, rw: SideFeatures, settings: Settings) -> list[Link]:
    """Links from rewrite sentences to the source sentences that say the same thing.

    Every rewrite sentence is weighed on its own, however short its article: one
    calibrated probability decides, and the best source sentence is linked when it
    reaches ``match.link_threshold``.
    """
    if not src.words or not rw.words:
        return []
    m = settings.match
    idf = Idf.fit([*src.words, *rw.words])
    sim, lexical, sem = pair_matrix(src, rw, settings, idf)
    prob = np.array(link_probabilities(src, rw, settings, idf, sem), dtype=np.float32)
    # The same words are the same statement, however short.
    by_text: dict[tuple[str, ...], list[int]] = {}
    for j, w in enumerate(src.words):
        by_text.setdefault(w.folded, []).append(j)
    for i, w in enumerate(rw.words):
        for j in by_text.get(w.folded, ()) if w.folded else ():
            prob[i, j] = 1.0
    # Another speaker's words are not the same statement, unless nearly identical.
    other = np.zeros(prob.shape, dtype=bool)
    for i, r_speaker in enumerate(rw.speakers):
        if r_speaker is None:
            continue
        for j, s_speaker in enumerate(src.speakers):
            if s_speaker is not None and s_speaker != r_speaker:
                other[i, j] = True
    prob[other & (np.asarray(sim) < 0.85)] = 0.0

    best = prob.argmax(axis=1)
    links = []
    for i, j in enumerate(best):
        if prob[i, j] >= m.link_threshold:
            sources = _grow(i, int(j), prob, src, rw, idf, settings)
            links.append(_link(sources, (i,), src, rw, idf, sem, other))
    return _merge_split(links, src, rw, idf, sem, other)


def _grow(i: int, j: int, prob: np.ndarray, src: SideFeatures, rw: SideFeatures, idf: Idf, settings: Settings) -> tuple[int, ...]:
    """Add source sentences that carry what the best one leaves out of rewrite sentence i
    (a lede that fuses several statements)."""
    sim = prob
    chosen = [j]
    target = rw.words[i]
    # Condensed sentences stand near each other and each says part of the statement.
    floor = settings.match.grow_probability
    for k in np.argsort(-sim[i])[1:6]:
        k = int(k)
        if len(chosen) >= settings.match.max_window or sim[i, k] < floor:
            break
        if min(abs(k - c) for c in chosen) > 6:
            continue
        covered = containment(target, _merge_words([src.words[c] for c in chosen]), idf)
        gained = containment(target, _merge_words([src.words[c] for c in (*chosen, k)]), idf)
        if gained - covered >= 0.08:
            chosen.append(k)
    return tuple(sorted(chosen))


def _link(sources: tuple[int, ...], rewrites: tuple[int, ...], src: SideFeatures, rw: SideFeatures,
          idf: Idf, sem: Any, other: np.ndarray) -> Link:
    a = _merge_words([src.words[k] for k in sources])
    b = _merge_words([rw.words[k] for k in rewrites])
    cos = weighted_cosine(b, a, idf)
    fuzzy = fuzzy_similarity(b, a)
    lexical = float(blend(cos, fuzzy))
    semantic = None
    similarity = lexical
    if sem is not None:
        semantic = float(max(sem[r, s] for r in rewrites for s in sources))
        similarity = float(semantic_blend(lexical, semantic))
    other_speaker = bool(any(other[r, s] for r in rewrites for s in sources))
    return Link(sources, rewrites, similarity, lexical, semantic, other_speaker)


def _merge_split(links: list[Link], src: SideFeatures, rw: SideFeatures, idf: Idf, sem: Any, other: np.ndarray) -> list[Link]:
    """Adjacent rewrite sentences of one paragraph that render the same source sentences
    are one statement split in two."""
    merged: list[Link] = []
    sentences = rw.document.sentences
    for link in links:
        if merged:
            last = merged[-1]
            r_prev, r_next = last.rewrite[-1], link.rewrite[0]
            if (
                r_next == r_prev + 1
                and sentences[r_prev].paragraph == sentences[r_next].paragraph
                and set(last.source) & set(link.source)
            ):
                sources = tuple(sorted(set(last.source) | set(link.source)))
                merged[-1] = _link(sources, (*last.rewrite, *link.rewrite), src, rw, idf, sem, other)
                continue
        merged.append(link)
    return merged
