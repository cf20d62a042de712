"""Find, for every rewrite sentence, the source sentences that carry the same statement.

Links are many-to-many and order-free: a rewrite may condense two source sentences
(or three far apart), split one, or reorder whole paragraphs. Cheap checks come
first: every sentence pair gets a rarity-weighted overlap and a rapidfuzz token-set
ratio (cut off early), plus an embedding cosine when the semantic extra is there.
Only the survivors are grown into windows, and a statement is never linked to words
another speaker said. Whether an article reports the source at all is witnessed by a
strong link or by the calibrated link model (:mod:`crosscheck.match.linkmodel`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from crosscheck.config import MatchSettings, Settings
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
from crosscheck.match.crosslingual import evidence_matrix, is_crosslingual
from crosscheck.match.linkmodel import link_probability, pair_features
from crosscheck.match.figures import figure_conflict, figure_support, figures_of, specific
from crosscheck.match.newsread import fused_window, in_context, merged, other_occasion, read_as_news, stands_in
from crosscheck.match.speakers import sentence_speakers, speaker_key, surname
from crosscheck.match.words import STOPWORDS, Words, sentence_words, stem

__all__ = ["Link", "SideFeatures", "align", "features", "speaker_key", "surname"]


@dataclass(frozen=True)
class SideFeatures:
    """What the aligner needs of one document, computed once and reused."""

    document: Document
    words: tuple[Words, ...]
    speakers: tuple[str | None, ...]
    embeddings: Any = None
    embedding_kind: str | None = None

    @property
    def language(self) -> str | None:
        return self.document.article.language

    @cached_property
    def phrase_counts(self) -> Counter:
        """How many sentences hold each two-word phrase; kept, as a source is met by
        every rewrite of a batch."""
        return Counter(p for w in self.words for p in _phrases(w))

    @cached_property
    def in_context(self) -> tuple[Words, ...]:
        """Each sentence's words with what a back-reference stands for
        (:func:`crosscheck.match.newsread.in_context`); kept, as the phrase counts are."""
        return tuple(in_context(self.words, self.document.sentences))


@dataclass(frozen=True)
class Link:
    source: tuple[int, ...]
    rewrite: tuple[int, ...]
    similarity: float
    lexical: float
    semantic: float | None
    other_speaker: bool = False


def features(document: Document, settings: Settings, embedder: Any = None) -> SideFeatures:
    return features_of([document], settings, embedder)[0]


def features_of(documents: Sequence[Document], settings: Settings, embedder: Any = None) -> list[SideFeatures]:
    """:func:`features` of each document, every sentence embedded in one call: a model
    runs far faster on one large batch than on each document's few sentences."""
    extra = frozenset(settings.lexicons.stopwords)
    sides = [SideFeatures(d, tuple(sentence_words(s.norm, extra) for s in d.sentences), sentence_speakers(d))
             for d in documents]
    return with_sentence_vectors(sides, embedder)


def with_sentence_vectors(sides: Sequence[SideFeatures], embedder: Any, workers: int = 1,
                          progress: Callable[[int, int], None] | None = None) -> list[SideFeatures]:
    """``sides`` with their sentences' vectors, all embedded in one call (over ``workers``
    processes, ``progress`` hearing of the sentences); as they are without an embedder."""
    texts = [s.norm for side in sides for s in side.document.sentences]
    if embedder is None or not texts:
        return list(sides)
    # An embedder given by a caller may take texts alone: ask for more only when wanted.
    vectors = embedder.embed(texts) if workers <= 1 and progress is None else embedder.embed(texts, workers, progress)
    kind = getattr(embedder, "kind", "english")
    out, at = [], 0
    for side in sides:
        n = len(side.document.sentences)
        out.append(replace(side, embeddings=vectors[at:at + n], embedding_kind=kind) if n else side)
        at += n
    return out


def pair_matrix(src: SideFeatures, rw: SideFeatures, settings: Settings, idf: Idf) -> tuple[np.ndarray, np.ndarray, Any]:
    """Similarity of every (rewrite, source) sentence pair: blended, lexical, semantic."""
    if is_crosslingual(src.language, rw.language):
        return crosslingual_matrix(src, rw, settings)
    # Read as news is written: the rewrite without the report's frame ("Putin said on
    # Monday that", "Putin, speaking at the summit,"), and a sentence that points back
    # ("these states") also with the names just before it.
    rw_read, src_read = _read(src, rw, settings)
    lexical = _lexical(rw_read, src.words, idf, settings)
    if any(a is not b for a, b in zip(src_read, src.words)):
        lexical = np.maximum(lexical, _lexical(rw_read, src_read, idf, settings))
    if src.embeddings is None or rw.embeddings is None:
        return lexical, lexical, None
    sem = rw.embeddings @ src.embeddings.T
    return semantic_blend(lexical, sem, _floor(src, settings)), lexical, sem


def _read(src: SideFeatures, rw: SideFeatures, settings: Settings) -> tuple[list[Words], tuple[Words, ...]]:
    """Both sides read as news is written (see :mod:`crosscheck.match.newsread`)."""
    extra = frozenset(settings.lexicons.stopwords)
    rw_read = read_as_news(rw.document.sentences, rw.words, extra)
    return rw_read, src.in_context


def _lexical(rw: Sequence[Words], src: Sequence[Words], idf: Idf, settings: Settings) -> np.ndarray:
    cos = cosine_matrix(rw, src, idf)
    return blend(cos, fuzzy_matrix(rw, src, settings.match.candidate_cutoff))


def _floor(side: SideFeatures, settings: Settings) -> float:
    """The cosine above which this side's embedding adds to the word evidence."""
    if side.embedding_kind == "multilingual":
        return settings.crosslingual.same_language_floor
    return 0.55


def crosslingual_matrix(src: SideFeatures, rw: SideFeatures, settings: Settings) -> tuple[np.ndarray, np.ndarray, Any]:
    """Similarity of sentences in two languages: the calibrated multilingual cosine, raised by
    shared names and numbers. Without embeddings only names and numbers are left, which
    link nothing on their own (see :func:`crosscheck.semantic.bridge.multilingual_reason`)."""
    evidence = evidence_matrix(
        [s.norm for s in rw.document.sentences], rw.language or "und",
        [s.norm for s in src.document.sentences], src.language or "und",
    )
    if src.embeddings is None or rw.embeddings is None:
        return np.zeros_like(evidence), evidence, None
    sem = rw.embeddings @ src.embeddings.T
    return crosslingual_similarity(sem, evidence, settings), evidence, sem


def crosslingual_similarity(sem: Any, evidence: Any, settings: Settings) -> Any:
    c = settings.crosslingual
    base = np.clip((np.asarray(sem) - c.cosine_floor) / c.cosine_span, 0.0, 1.0)
    return base + (1.0 - base) * c.evidence_weight * np.asarray(evidence)


def _thinness(words: Sequence[Words]) -> np.ndarray:
    """1 for a sentence with four or more content words, less for fewer."""
    n = np.array([len(w.content) for w in words], dtype=np.float32)
    return np.clip(0.4 + 0.15 * n, 0.0, 1.0)


def link_probabilities(src: SideFeatures, rw: SideFeatures, settings: Settings, idf: Idf, sem: Any) -> np.ndarray:
    """The calibrated link model's probability for every (rewrite, source) pair."""
    m = settings.match
    pairs = pair_features(rw.words, src.words, idf, m.candidate_cutoff, sem)
    if sem is None:
        return link_probability(pairs, m.link_weights_lexical, semantic=False)
    return link_probability(pairs, m.link_weights, semantic=True)


def align(src: SideFeatures, rw: SideFeatures, settings: Settings) -> list[Link]:
    """Links from rewrite sentences to the source sentences that say the same thing.

    A sentence links on its similarity (and, for near misses, on its neighbours or a
    phrase only one source sentence has). An article none of whose links is strong
    still counts when the calibrated link model (``crosscheck.match.linkmodel``) is
    sure of one of its sentences, so a short wire copy is not dropped whole.
    """
    if not src.words or not rw.words:
        return []
    m = settings.match
    idf = Idf.fit([*src.words, *rw.words])
    sim, lexical, sem = pair_matrix(src, rw, settings, idf)
    sim = np.array(sim, dtype=np.float32)
    # A headline or a fragment ("CSTO summit", "from Ukraine.") shares its few words
    # with any sentence on the topic; it needs more than that to carry a statement.
    sim *= _thinness(rw.words)[:, None]
    sim *= _thinness(src.words)[None, :]
    # The same words are the same statement, however short.
    by_text: dict[tuple[str, ...], list[int]] = {}
    for j, w in enumerate(src.words):
        by_text.setdefault(w.folded, []).append(j)
    for i, w in enumerate(rw.words):
        for j in by_text.get(w.folded, ()) if w.folded else ():
            sim[i, j] = 1.0
    # Another speaker's words are not the same statement, unless nearly identical.
    other = np.zeros(sim.shape, dtype=bool)
    for i, r_speaker in enumerate(rw.speakers):
        if r_speaker is None:
            continue
        for j, s_speaker in enumerate(src.speakers):
            if s_speaker is not None and s_speaker != r_speaker:
                other[i, j] = True
    # Words said on an earlier occasion ("Putin once said") are not this source's, and
    # sentences stating different figures report different facts.
    earlier = np.array([other_occasion(s.text) for s in rw.document.sentences], dtype=bool)
    other |= earlier[:, None]
    veto = other & (sim < 0.85)
    sim[veto] = 0.0
    conflict = figure_conflict(rw.words, src.words) & (sim < 0.85)
    sim[conflict] *= 0.5

    best = sim.argmax(axis=1)
    # The same figures witness the same fact: a sentence whose best candidate lacks its
    # figures reports another candidate that states them all ("EPS $0.68": not "we
    # delivered EPS of $2.08" but "EPS was $0.68, up $0.75"), when the calibrated link
    # model prefers that one and it is close enough to link on its figures.
    support = figure_support(rw.words, src.words) & ~other
    crosslingual = is_crosslingual(src.language, rw.language)
    prob = None
    for i in range(sim.shape[0]):
        if crosslingual or support[i, best[i]] or not support[i].any():
            continue
        prob = link_probabilities(src, rw, settings, idf, sem) if prob is None else prob
        j = int(np.where(support[i], sim[i], -1.0).argmax())
        if prob[i, j] > prob[i, best[i]] and sim[i, j] >= _figure_floor(rw.words[i], m) * m.link_threshold:
            best[i] = j
    chosen: dict[int, int] = {}
    for i, j in enumerate(best):
        if sim[i, j] >= m.link_threshold:
            chosen[i] = int(j)
    # Context: a near miss whose neighbours link to the neighbouring source sentences.
    for i, j in enumerate(best):
        if i in chosen or sim[i, j] < 0.8 * m.link_threshold:
            continue
        if chosen.get(i - 1, -9) in (j - 1, j) or chosen.get(i + 1, -9) in (j, j + 1):
            chosen[i] = int(j)
    # A fused lede renders two or three source sentences at once and none of them alone.
    windows: dict[int, tuple[int, ...]] = {}
    if not is_crosslingual(src.language, rw.language):
        rw_read, src_read = _read(src, rw, settings)
        thin = _thinness(rw.words)
        for i, j in enumerate(best):
            if i in chosen or sim[i, j] < 0.6 * m.link_threshold:
                continue
            window, value = fused_window(sim[i], rw_read[i], src_read, idf, None if sem is None else sem[i], _floor(src, settings))
            if window and value * thin[i] >= m.link_threshold and not any(other[i, k] for k in window):
                windows[i] = window
                chosen[i] = int(j)
    # A near miss holding all its figures in one source sentence reports that sentence.
    for i in range(sim.shape[0]):
        if i in chosen or not support[i].any():
            continue
        j = int(np.where(support[i], sim[i], -1.0).argmax())
        if sim[i, j] >= _figure_floor(rw.words[i], m) * m.link_threshold:
            chosen[i] = j
    # A near miss that repeats a phrase only its best candidate has ("military
    # infrastructure", "sign a joint") says that sentence's statement in other words.
    # A shared phrase is one witness, and a topic phrase ("health department", "trade
    # sanctions") recurs across unrelated news, so two more must agree of: the same
    # reported speaker, the calibrated link model, a neighbouring sentence that reports
    # a source sentence near the candidate (the rewrite is reporting that part), and a
    # figure that rarely recurs by chance stated by both ("revenue $567 million").
    near = [i for i, j in enumerate(best) if i not in chosen and sim[i, j] >= 0.7 * m.link_threshold]
    if prob is None and near and not crosslingual:
        prob = link_probabilities(src, rw, settings, idf, sem)
    linked = dict(chosen)
    for i in near:
        j = int(best[i])
        if sem is not None and sem[i, j] < 0.45:
            continue  # the embedding sees only a shared topic
        p_ij = 1.0 if prob is None else float(prob[i, j])
        same_speaker = rw.speakers[i] is not None and rw.speakers[i] == src.speakers[j]
        nearby = _reported_nearby(i, j, linked, m.nearby_rewrite, m.nearby_source)
        same_figure = any(specific(f) for f in figures_of(rw.words[i]) & figures_of(src.words[j]))
        names = rw.words[i].names | src.words[j].names
        for phrase in _phrases(rw.words[i]) & _phrases(src.words[j]):
            if src.phrase_counts[phrase] != 1 or set(phrase) <= names:
                continue
            if int(same_speaker) + int(p_ij >= m.phrase_probability) + int(nearby) + int(same_figure) >= 2:
                chosen[i] = int(j)
                break

    chosen.update(_quoted(chosen, sim, other, src, rw, settings))
    chosen.update(_continued(chosen, sim if sem is None else sem, other, rw))

    links = []
    for i, j in sorted(chosen.items()):
        sources = windows.get(i) or _grow(i, j, sim, src, rw, idf, settings)
        links.append(_link(sources, (i,), src, rw, idf, sem, other, settings))
    links = _merge_split(links, src, rw, idf, sem, other, settings)
    # Same story or only the same topic: an article that reports the source's
    # statements renders at least one of them closely.
    if not any(_anchors(link, src, rw, m.anchor_threshold, settings) for link in links):
        if is_crosslingual(src.language, rw.language):
            # Across languages only the embedding witnesses: two links at a lower cosine.
            pair = settings.crosslingual.anchor_pair_cosine
            if sum((link.semantic or 0.0) >= pair for link in links) < 2:
                return []
            return links
        # No link is close in words, yet a short wire copy may still render the
        # source in other words: the calibrated model is the second witness, when
        # most of the rewrite's sentences are the source's statements.
        prob = link_probabilities(src, rw, settings, idf, sem) if prob is None else prob
        prob *= _thinness(rw.words)[:, None] * _thinness(src.words)[None, :]
        prob[veto] = 0.0
        if not links or float(np.mean(prob.max(axis=1) >= m.anchor_probability)) < m.anchor_share:
            return []
    return links


def _figure_floor(words: Words, m: MatchSettings) -> float:
    """The share of ``link_threshold`` a sentence needs to link on its figures alone: one
    figure may recur by chance ("3.8bn", "3.8 percent"); two rarely do."""
    return m.figure_share_more if len(figures_of(words)) >= 2 else m.figure_share_one


def _quoted(chosen: dict[int, int], sim: np.ndarray, other: np.ndarray, src: SideFeatures, rw: SideFeatures,
            settings: Settings) -> dict[int, int]:
    """Sentences that are one short quote ("'No problems'") whose words stand, in order,
    in a source sentence: the quote cites that sentence, however few its words. The
    quote must be the whole statement of its sentence, so a topic phrase in quotation
    marks ("special military operation") inside other words cites nothing."""
    out: dict[int, int] = {}
    extra = frozenset(settings.lexicons.stopwords)
    for quote in rw.document.quotes:
        if len(quote.sentence_indices) != 1 or quote.sentence_indices[0] in chosen:
            continue
        i = quote.sentence_indices[0]
        quoted = sentence_words(quote.text, extra)
        if len(quoted.folded) < 2 or not quoted.content:
            continue
        statement = read_as_news([rw.document.sentences[i]], [rw.words[i]], extra)[0]
        if not statement.content <= quoted.content:
            continue
        holders = [j for j, w in enumerate(src.words) if not other[i, j] and stands_in(quoted.folded, w.folded)]
        if holders:
            out[i] = max(holders, key=lambda j: (float(sim[i, j]), -j))
    return out


def _continued(chosen: dict[int, int], closeness: np.ndarray, other: np.ndarray, rw: SideFeatures) -> dict[int, int]:
    """A quote runs on as its source ran: the sentence after (or before) a linked one
    inside the same quote renders the source sentence after (or before) the linked
    one, when that is also the closest source sentence to it (by the embedding when
    there is one, else by words): "Problems are being created for no reason at all.
    We shall react accordingly." runs on as "... problems are being created from
    nothing. So, we will respond to it in a fitting manner."
    """
    out: dict[int, int] = {}
    n = closeness.shape[1]
    for quote in rw.document.quotes:
        inside = quote.sentence_indices
        for a, b in zip(inside, inside[1:]):
            for known, unknown, step in ((a, b, 1), (b, a, -1)):
                if known not in chosen or unknown in chosen or unknown in out:
                    continue
                j = chosen[known] + step
                if 0 <= j < n and not other[unknown, j] and int(closeness[unknown].argmax()) == j:
                    out[unknown] = j
    return out


def _reported_nearby(i: int, j: int, linked: dict[int, int], rewrite_reach: int, source_reach: int) -> bool:
    """Does another rewrite sentence at most ``rewrite_reach`` from ``i`` report a source
    sentence at most ``source_reach`` from ``j``?"""
    return any(0 < abs(k - i) <= rewrite_reach and abs(linked[k] - j) <= source_reach for k in linked)


def _phrases(words: Words) -> frozenset[tuple[str, str]]:
    """Adjacent content words, stemmed, skipping the stopwords between them."""
    stems = [stem(t) for t in words.tokens if t not in STOPWORDS and len(t) > 1]
    return frozenset((a, b) for a, b in zip(stems, stems[1:]) if a in words.content and b in words.content)


def _anchors(link: Link, src: SideFeatures, rw: SideFeatures, threshold: float, settings: Settings) -> bool:
    """A link strong enough, or sharing a number ("the 30th anniversary"), to show the
    rewrite reports the source's statements rather than only its topic. Across
    languages only the embedding can tell, so its cosine decides."""
    if is_crosslingual(src.language, rw.language):
        return link.semantic is not None and link.semantic >= settings.crosslingual.anchor_cosine
    if link.similarity >= threshold:
        return True
    numbers_s = frozenset().union(*(src.words[k].numbers for k in link.source))
    numbers_r = frozenset().union(*(rw.words[k].numbers for k in link.rewrite))
    return bool(numbers_s & numbers_r)


def _grow(i: int, j: int, sim: np.ndarray, src: SideFeatures, rw: SideFeatures, idf: Idf, settings: Settings) -> tuple[int, ...]:
    """Add source sentences that carry what the best one leaves out of rewrite sentence i."""
    chosen = [j]
    target = rw.words[i]
    # Condensed sentences stand near each other and each says part of the statement.
    floor = max(0.5 * settings.match.link_threshold, 0.6 * float(sim[i, j]))
    for k in np.argsort(-sim[i])[1:6]:
        k = int(k)
        if len(chosen) >= settings.match.max_window or sim[i, k] < floor:
            break
        if k in chosen or min(abs(k - c) for c in chosen) > settings.match.grow_reach:
            continue
        if is_crosslingual(src.language, rw.language):
            # No shared words to weigh what a sentence adds: a near neighbour almost
            # as close as the best one is part of the same condensed statement.
            if min(abs(k - c) for c in chosen) <= 2 and sim[i, k] >= settings.crosslingual.grow_share * sim[i, j]:
                chosen.append(k)
            continue
        covered = containment(target, merged([src.words[c] for c in chosen]), idf)
        gained = containment(target, merged([src.words[c] for c in (*chosen, k)]), idf)
        if gained - covered >= 0.08:
            chosen.append(k)
    return tuple(sorted(chosen))


def _link(sources: tuple[int, ...], rewrites: tuple[int, ...], src: SideFeatures, rw: SideFeatures,
          idf: Idf, sem: Any, other: np.ndarray, settings: Settings) -> Link:
    semantic = None if sem is None else float(max(sem[r, s] for r in rewrites for s in sources))
    if is_crosslingual(src.language, rw.language):
        evidence = evidence_matrix(
            [" ".join(rw.document.sentences[k].norm for k in rewrites)], rw.language or "und",
            [" ".join(src.document.sentences[k].norm for k in sources)], src.language or "und",
        )
        lexical = float(evidence[0, 0])
        similarity = 0.0 if semantic is None else float(crosslingual_similarity(semantic, lexical, settings))
        return Link(sources, rewrites, similarity, lexical, semantic, bool(any(other[r, s] for r in rewrites for s in sources)))
    a = merged([src.words[k] for k in sources])
    b = merged([rw.words[k] for k in rewrites])
    cos = weighted_cosine(b, a, idf)
    fuzzy = fuzzy_similarity(b, a)
    lexical = float(blend(cos, fuzzy))
    similarity = lexical
    if semantic is not None:
        similarity = float(semantic_blend(lexical, semantic, _floor(src, settings)))
    other_speaker = bool(any(other[r, s] for r in rewrites for s in sources))
    return Link(sources, rewrites, similarity, lexical, semantic, other_speaker)


def _merge_split(links: list[Link], src: SideFeatures, rw: SideFeatures, idf: Idf, sem: Any, other: np.ndarray,
                 settings: Settings) -> list[Link]:
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
                merged[-1] = _link(sources, (*last.rewrite, *link.rewrite), src, rw, idf, sem, other, settings)
                continue
        merged.append(link)
    return merged
