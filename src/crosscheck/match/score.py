"""How alike two passages are, and what relation that makes them.

Similarity blends three signals: content words weighted by rarity (two translations
of one sentence share its rare words: *biological*, *Pentagon*, *laboratories*), a
fuzzy token-set ratio that forgives word order and spelling, and, when the semantic
extra is installed, sentence embeddings that see "will only grow" and "do nothing but
increase" as one statement. The relation is decided by the verdict
(:mod:`crosscheck.match.verdict`), never by the similarity alone: embeddings cannot see
a dropped "not".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz import process as rf_process

from crosscheck.config import Settings
from crosscheck.model import PairScore, Span
from crosscheck.match.words import Words, words_of


@dataclass(frozen=True)
class Idf:
    """Inverse document frequencies of content stems over a set of passages."""

    weights: dict[str, float]
    default: float

    @classmethod
    def fit(cls, passages: Iterable[Words]) -> Idf:
        counts: Counter[str] = Counter()
        n = 0
        for words in passages:
            counts.update(words.content)
            n += 1
        weights = {w: math.log((n + 1) / (c + 0.5)) + 1.0 for w, c in counts.items()}
        return cls(weights, math.log((n + 1) / 0.5) + 1.0)

    @classmethod
    def flat(cls) -> Idf:
        return cls({}, 1.0)

    def of(self, word: str) -> float:
        return self.weights.get(word, self.default)


def weighted_cosine(a: Words, b: Words, idf: Idf) -> float:
    """Cosine of the two passages' content stems, each weighted by its rarity.

    The naive reference for :func:`cosine_matrix`.
    """
    if not a.content or not b.content:
        return 0.0
    # fsum: exact, so the result cannot depend on the sets' (hash-seeded) order.
    shared = math.fsum(idf.of(w) ** 2 for w in a.content & b.content)
    norm_a = math.sqrt(math.fsum(idf.of(w) ** 2 for w in a.content))
    norm_b = math.sqrt(math.fsum(idf.of(w) ** 2 for w in b.content))
    return shared / (norm_a * norm_b)


def containment(part: Words, whole: Words, idf: Idf) -> float:
    """Share of ``part``'s content weight that ``whole`` carries too."""
    if not part.content:
        return 0.0
    total = math.fsum(idf.of(w) for w in part.content)
    return math.fsum(idf.of(w) for w in part.content & whole.content) / total


def idf_matrix(rows: Sequence[Words], vocab: dict[str, int], idf: Idf) -> np.ndarray:
    """One row a passage, one column a vocabulary word: its IDF weight where present."""
    m = np.zeros((len(rows), len(vocab)), dtype=np.float32)
    for i, words in enumerate(rows):
        for w in words.content:
            m[i, vocab[w]] = idf.of(w)
    return m


def cosine_matrix(a: Sequence[Words], b: Sequence[Words], idf: Idf) -> np.ndarray:
    """``weighted_cosine`` of every passage of ``a`` with every passage of ``b`` at once."""
    vocab: dict[str, int] = {}
    for words in (*a, *b):
        for w in sorted(words.content):  # sorted: column order, hence float sums, fixed
            vocab.setdefault(w, len(vocab))
    ma, mb = idf_matrix(a, vocab, idf), idf_matrix(b, vocab, idf)
    na = np.linalg.norm(ma, axis=1, keepdims=True)
    nb = np.linalg.norm(mb, axis=1, keepdims=True)
    na[na == 0] = 1.0
    nb[nb == 0] = 1.0
    return (ma / na) @ (mb / nb).T


def folded_string(words: Words) -> str:
    return " ".join(words.folded)


def _length_factor(na: Any, nb: Any) -> Any:
    """token_set_ratio is 100 whenever one word set holds the other ("CSTO summit"
    inside any sentence about it); scale it by how alike the two lengths are."""
    lo, hi = np.minimum(na, nb), np.maximum(na, nb)
    return 0.5 + 0.5 * lo / np.maximum(hi, 1)


@lru_cache(maxsize=50_000)
def _partial_ratio(a: str, b: str) -> float:
    return fuzz.partial_ratio(a, b)


def partial_ratio(a: str, b: str, cutoff: float = 0.0) -> float:
    """rapidfuzz's partial ratio of two strings, 0-100, and 0 under ``cutoff`` as
    rapidfuzz's own ``score_cutoff`` gives it. Cached per pair of strings: the rewrites
    of one source quote the same sentences, each time against the same source windows
    and under another cutoff, so the full ratio is kept and the cutoff applied to it."""
    score = _partial_ratio(a, b)
    return score if score >= cutoff else 0.0


def fuzzy_similarity(a: Words, b: Words) -> float:
    """rapidfuzz's token-set ratio on spelling-folded words, 0..1, scaled for length."""
    ratio = fuzz.token_set_ratio(folded_string(a), folded_string(b)) / 100.0
    return float(ratio * _length_factor(len(a.folded), len(b.folded)))


@lru_cache(maxsize=50_000)
def _fuzzy_row(query: str, choices: tuple[str, ...], cutoff: float) -> np.ndarray:
    """One passage's token-set ratios against every choice. Cached: the rewrites of one
    source repeat its sentences, and the link model asks for the same matrix again."""
    row = rf_process.cdist([query], list(choices), scorer=fuzz.token_set_ratio, score_cutoff=cutoff,
                           dtype=np.uint8, workers=1)[0]
    row.setflags(write=False)
    return row


def fuzzy_matrix(a: Sequence[Words], b: Sequence[Words], cutoff: float) -> np.ndarray:
    """Token-set ratios of all pairs, 0..1; pairs under ``cutoff`` (0-100) come back as 0."""
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    choices = tuple(folded_string(w) for w in b)
    scores = np.stack([_fuzzy_row(folded_string(w), choices, cutoff) for w in a])
    la = np.array([len(w.folded) for w in a], dtype=np.float32)[:, None]
    lb = np.array([len(w.folded) for w in b], dtype=np.float32)[None, :]
    return scores.astype(np.float32) / 100.0 * _length_factor(la, lb)


def blend(cosine: Any, fuzzy: Any) -> Any:
    """One lexical similarity from rarity-weighted overlap and the fuzzy ratio."""
    return 0.6 * cosine + 0.4 * fuzzy


def semantic_blend(lexical: Any, semantic: Any, floor: float = 0.55) -> Any:
    """Lexical similarity raised by the embedding where the embedding is sure.

    On news about one event, MiniLM scores sentences that only share the topic at
    0.6-0.8 cosine; so the embedding adds to the evidence of shared words instead
    of replacing it, and only above the cosine that topic overlap alone reaches.
    """
    sure = np.clip((np.asarray(semantic) - floor) / (1.0 - floor), 0.0, 1.0)
    return lexical + (1.0 - lexical) * 0.4 * sure


def meaning_similarity(lexical: float, semantic: float | None) -> float:
    """The similarity a pair reports: with embeddings, mostly their cosine.

    The cosine ranks paraphrases best (STS-B dev Spearman 0.87 against 0.76 for
    words alone); a fifth of the lexical score keeps exact names and numbers in
    it (0.872). Linking uses :func:`semantic_blend` instead, which tells a
    shared statement from a shared topic.
    """
    if semantic is None:
        return float(lexical)
    return float(0.8 * max(0.0, semantic) + 0.2 * lexical)


def lexical_similarity(a: Words, b: Words, idf: Idf | None = None) -> float:
    idf = idf or Idf.flat()
    return float(blend(weighted_cosine(a, b, idf), fuzzy_similarity(a, b)))


def token_similarity(a: Words, b: Words) -> float:
    """How much of the wording is the same, in order: the test for verbatim."""
    import difflib

    return difflib.SequenceMatcher(None, a.folded, b.folded, autojunk=False).ratio()


def score(a: str, b: str, settings: Settings | None = None, embedder: Any = "auto") -> PairScore:
    """Score two passages: ``a`` the source, ``b`` its rewrite.

    >>> s = score("There is no direct threat to Russia.", "There is no threat to Russia.")
    >>> s.relation, [d.type for d in s.types], s.types[0].source_words
    ('divergent', ['qualifier_dropped'], ('direct',))
    """
    settings = settings or Settings()
    wa, wb = words_of(a), words_of(b)
    lexical = lexical_similarity(wa, wb)
    semantic = None
    if embedder == "auto":
        from crosscheck.semantic.bridge import embedder_for

        embedder = embedder_for(settings)
    if embedder is not None:
        vecs = embedder.embed([a, b])
        semantic = float(vecs[0] @ vecs[1])
    from crosscheck.match.verdict import Side, decide

    similarity = meaning_similarity(lexical, semantic)
    verdict = decide(
        Side(a, _sentence_spans(a)), Side(b, _sentence_spans(b)), similarity, settings.verdict,
        lexical=lexical, semantic=semantic,
    )
    return verdict.score


def _sentence_spans(text: str) -> tuple[Span, ...]:
    """A plain passage cut at its sentence ends, so the verdict knows how many it holds."""
    spans = []
    start = 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z\"“])", text):
        spans.append(Span(start, m.end()))
        start = m.end()
    spans.append(Span(start, len(text)))
    return tuple(p for p in spans if text[p.start : p.end].strip())
