"""The calibrated link model: how likely a rewrite sentence carries a source sentence's statement.

A logistic model over a few documented features of a sentence pair, fitted once
across every kind of dev data (csto_rewrites, ECTSum, STS-B, the verbatim-reuse
corpus) by ``benchmarks/fit_link.py``, with no switch per data set. Its coefficients
live in ``MatchSettings.link_weights`` (``link_weights_lexical`` without embeddings).
The aligner asks it whether an article none of whose links is close in words still
reports the source (a short wire copy in other words): see ``match.anchor_probability``.

News reports a statement inside a frame ("Putin said on Monday that ...", "according
to the Kremlin leader", "Putin says ..."): the frame's words are not in the source
sentence, and they must not count against the statement they frame. So the rewrite
side is measured twice, with and without its frame words, and the better reading wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from crosscheck.config.limits import LINK_FEATURES
from crosscheck.match.figures import figure_conflict, figure_support
from crosscheck.match.score import Idf, blend, fuzzy_matrix, idf_matrix, semantic_blend
from crosscheck.match.words import Words, stem

# What each feature is (the order of ``match.link_weights``, see config.limits):
#   blended         the matcher's similarity: lexical blend, raised by a sure embedding
#   cosine          rarity-weighted cosine of content stems
#   fuzzy           rapidfuzz token-set ratio, scaled for length
#   covers_rewrite  share of the rewrite's content weight the source holds
#   covers_source   share of the source's content weight the rewrite holds
#   shared_marks    names and numbers both hold (0, 1/3, 2/3, 1 for three or more)
#   length_ratio    shorter content count over the longer one
#   size            log content words of the shorter side, over log 30
#   same_figures    1 when every figure of the rewrite stands in the source (match.figures)
#   other_figures   1 when both state two figures or more and share none
#   semantic        sentence-embedding cosine (only in the semantic model)
FEATURES = LINK_FEATURES
LEXICAL_FEATURES = FEATURES[:-1]

# Words that frame a reported statement rather than carry it.
_FRAME_WORDS = frozenset(
    stem(w) for w in """
    said says say saying told tells tell added adds noted notes stressed stresses explained
    explains stated states declared announced warned warns claimed claims insisted insists
    emphasized emphasised emphasizes emphasises pointed points argued argues asserted remarked
    commented underlined underscored reiterated according speaking speech address addressed
    monday tuesday wednesday thursday friday saturday sunday today yesterday earlier later
    president leader head kremlin
    """.split()
)
REPORTING = frozenset(stem(w) for w in (
    "said says say told tells added adds according stated declared warned warns noted stressed continued "
    "announced insisted argued explained").split())


def frame_stems(words: Words) -> frozenset[str]:
    """Stems of the words framing a report: reporting verbs, days, roles, and the
    names standing next to a reporting verb ("Putin said", "said Peskov")."""
    stems = [stem(t) for t in words.tokens]
    frame = {s for s in stems if s in _FRAME_WORDS}
    for k, s in enumerate(stems):
        if s in REPORTING:
            frame.update(stems[max(0, k - 3):k])  # "President Vladimir Putin said"
            # "..., said Peskov.", "according to the Kremlin"; not "said Russia had no issue".
            if s == "accord":
                frame.update(stems[k + 1:k + 5])
            elif k >= len(stems) - 4:
                frame.update(a for a in stems[k + 1:k + 4] if a in words.names)
    return frozenset(frame & words.content)


def without(words: Words, drop: frozenset[str]) -> Words:
    """The same passage with some content stems (and their tokens) left out."""
    if not drop:
        return words
    keep = [k for k, t in enumerate(words.tokens) if stem(t) not in drop]
    return Words(
        tokens=tuple(words.tokens[k] for k in keep),
        folded=tuple(words.folded[k] for k in keep if k < len(words.folded)),
        content=words.content - drop,
        numbers=words.numbers - drop,
        names=words.names - drop,
    )


@dataclass(frozen=True)
class PairFeatures:
    """Every feature of every (rewrite, source) sentence pair, one matrix each."""

    values: dict[str, np.ndarray]

    def stacked(self, names: Sequence[str]) -> np.ndarray:
        return np.stack([self.values[n] for n in names], axis=-1)


def _lexical(rw: Sequence[Words], src: Sequence[Words], idf: Idf, cutoff: float) -> dict[str, np.ndarray]:
    vocab: dict[str, int] = {}
    for words in (*rw, *src):
        for w in words.content:
            vocab.setdefault(w, len(vocab))
    r, s = idf_matrix(rw, vocab, idf), idf_matrix(src, vocab, idf)
    r_in, s_in = (r > 0).astype(np.float32), (s > 0).astype(np.float32)
    r_norm = np.linalg.norm(r, axis=1, keepdims=True)
    s_norm = np.linalg.norm(s, axis=1, keepdims=True)
    cosine = (r / np.maximum(r_norm, 1e-9)) @ (s / np.maximum(s_norm, 1e-9)).T
    covers_rewrite = (r @ s_in.T) / np.maximum(r.sum(axis=1, keepdims=True), 1e-9)
    covers_source = ((s @ r_in.T) / np.maximum(s.sum(axis=1, keepdims=True), 1e-9)).T
    return {
        "cosine": cosine,
        "fuzzy": fuzzy_matrix(rw, src, cutoff),
        "covers_rewrite": covers_rewrite,
        "covers_source": covers_source,
    }


def _marks(rw: Sequence[Words], src: Sequence[Words]) -> np.ndarray:
    vocab: dict[str, int] = {}
    for words in (*rw, *src):
        for w in words.names | words.numbers:
            vocab.setdefault(w, len(vocab))
    def indicator(rows: Sequence[Words]) -> np.ndarray:
        m = np.zeros((len(rows), max(1, len(vocab))), dtype=np.float32)
        for i, words in enumerate(rows):
            for w in words.names | words.numbers:
                m[i, vocab[w]] = 1.0
        return m
    return np.minimum(indicator(rw) @ indicator(src).T, 3.0) / 3.0


def pair_features(rw: Sequence[Words], src: Sequence[Words], idf: Idf, cutoff: float,
                  semantic: Any = None) -> PairFeatures:
    """The link features of all pairs; the rewrite side read with and without its frame."""
    plain = _lexical(rw, src, idf, cutoff)
    unframed = [without(w, frame_stems(w)) for w in rw]
    if any(u is not w for u, w in zip(unframed, rw)):
        stripped = _lexical(unframed, src, idf, cutoff)
        plain = {k: np.maximum(v, stripped[k]) for k, v in plain.items()}
    n_r = np.array([len(w.content) for w in unframed], dtype=np.float32)[:, None]
    n_s = np.array([len(w.content) for w in src], dtype=np.float32)[None, :]
    lo, hi = np.minimum(n_r, n_s), np.maximum(n_r, n_s)
    values = dict(plain)
    lexical = blend(plain["cosine"], plain["fuzzy"])
    values["blended"] = lexical if semantic is None else semantic_blend(lexical, semantic)
    values["shared_marks"] = _marks(unframed, src)
    values["length_ratio"] = lo / np.maximum(hi, 1.0)
    values["size"] = np.log1p(lo) / math.log(30.0)
    values["same_figures"] = figure_support(rw, src).astype(np.float32)
    values["other_figures"] = figure_conflict(rw, src).astype(np.float32)
    values["semantic"] = (np.zeros_like(lo * hi) if semantic is None else np.asarray(semantic, dtype=np.float32))
    return PairFeatures({k: np.asarray(v, dtype=np.float32) for k, v in values.items()})


def link_probability(features: PairFeatures, weights: Sequence[float], semantic: bool) -> np.ndarray:
    """The model's probability that each pair is a link. ``weights`` holds the intercept
    then one coefficient per feature of :data:`FEATURES` (or :data:`LEXICAL_FEATURES`)."""
    names = FEATURES if semantic else LEXICAL_FEATURES
    x = features.stacked(names)
    z = weights[0] + x @ np.asarray(weights[1:], dtype=np.float32)
    return 1.0 / (1.0 + np.exp(-z))
