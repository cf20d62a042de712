"""Article vectors for the story stages, and candidate pairs found without an all-pairs scan.

Words only, an article is a TF-IDF vector of its content stems. Two articles become
candidates when they share a *rare name*: a stem found in few articles (at most
``dedup.story_rare_share`` of them, at least 20, at most 100), so the cost of a stem is the
square of its few postings, never of a word every article of the day uses. The exact
cosine of a candidate adds the common stems' part from a small dense matrix. With
embeddings, each article's most similar others are also found by exact search, in
blocks of rows (a matrix product per block), so memory stays flat. Dated articles
further apart than ``dedup.story_date_window`` days are never candidates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from crosscheck.match.words import words_of

_BLOCK = 1024


@dataclass(frozen=True)
class TermVectors:
    """Each article's stems (ids into ``vocabulary``) with L2-normalised TF-IDF weights."""

    vocabulary: tuple[str, ...]
    terms: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]
    df: np.ndarray

    def __len__(self) -> int:
        return len(self.terms)


def term_vectors(texts: Sequence[str]) -> TermVectors:
    """TF-IDF of content stems; stem ids follow first appearance, so the same input gives
    the same ids whatever the hash seed."""
    ids: dict[str, int] = {}
    docs = []
    for text in texts:
        stems = sorted(words_of(text).content)
        docs.append(np.array([ids.setdefault(s, len(ids)) for s in stems], dtype=np.int64))
    df = np.bincount(np.concatenate(docs), minlength=len(ids)) if ids else np.zeros(0, dtype=np.int64)
    n = len(texts)
    idf = np.log((n + 1) / (df + 0.5))
    terms, weights = [], []
    for doc in docs:
        order = np.sort(doc)
        w = idf[order].astype(np.float64)
        norm = math.sqrt(float(w @ w)) or 1.0
        terms.append(order)
        weights.append(w / norm)
    vocabulary = tuple(sorted(ids, key=ids.__getitem__))
    return TermVectors(vocabulary, tuple(terms), tuple(weights), df)


@dataclass(frozen=True)
class Candidates:
    """Candidate pairs ``(a[k], b[k])``, ``a < b``, and their similarity."""

    a: np.ndarray
    b: np.ndarray
    similarity: np.ndarray

    def __len__(self) -> int:
        return len(self.a)


def _flat(tv: TermVectors) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    owners = np.repeat(np.arange(len(tv), dtype=np.int64), [len(t) for t in tv.terms])
    terms = np.concatenate(tv.terms) if len(tv) else np.zeros(0, dtype=np.int64)
    weights = np.concatenate(tv.weights) if len(tv) else np.zeros(0)
    return terms, owners, weights


def rare_cap(n: int, share: float) -> int:
    """Most articles a stem may be in and still count as a rare name: ``share`` of them,
    at least 20 and at most 100, so that a stem costs at most 4,950 pairs and the cost
    grows with the number of stems, not with the square of the corpus."""
    return min(100, max(20, int(share * n)))


def _pair_sums(a: np.ndarray, b: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes = a * n + b
    unique, inverse = np.unique(codes, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=len(unique))
    return unique // n, unique % n, sums


def _within_groups(terms: np.ndarray, owners: np.ndarray, weights: np.ndarray, keep: np.ndarray):  # type: ignore[no-untyped-def]
    """Every pair of articles sharing a kept stem, with the product of their weights."""
    order = np.lexsort((owners, terms))
    t, o, w = terms[order], owners[order], weights[order]
    picked = keep[t]
    t, o, w = t[picked], o[picked], w[picked]
    bounds = np.flatnonzero(np.concatenate(([True], t[1:] != t[:-1], [True])))
    starts, sizes = bounds[:-1], np.diff(bounds)
    a_parts, b_parts, v_parts = [], [], []
    for size in np.unique(sizes[sizes > 1]).tolist():
        first = starts[sizes == size][:, None]
        i, j = np.triu_indices(size, 1)
        x, y = (first + i).ravel(), (first + j).ravel()
        a_parts.append(o[x])
        b_parts.append(o[y])
        v_parts.append(w[x] * w[y])
    if not a_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(v_parts)


def _top_per_article(a: np.ndarray, b: np.ndarray, score: np.ndarray, n: int, k: int) -> np.ndarray:
    """Which pairs are among the ``k`` best of either of their articles (ties: lower id)."""
    keep = np.zeros(len(a), dtype=bool)
    for side, other in ((a, b), (b, a)):
        order = np.lexsort((other, -score, side))
        s = side[order]
        start = np.searchsorted(s, s, side="left")
        rank = np.arange(len(s)) - start
        keep[order[rank < k]] = True
    return keep


def _days(dates: Sequence[str | None]) -> np.ndarray:
    out = np.full(len(dates), np.nan)
    for i, d in enumerate(dates):
        try:
            out[i] = date.fromisoformat((d or "")[:10]).toordinal()
        except ValueError:
            pass
    return out


def _in_window(a: np.ndarray, b: np.ndarray, dates: Sequence[str | None], window: int) -> np.ndarray:
    days = _days(dates)
    apart = np.abs(days[a] - days[b])
    return ~(apart > window)  # undated pairs (NaN) stay


def word_candidates(tv: TermVectors, rare_share: float, neighbours: int) -> Candidates:
    """Pairs sharing a rare name, each article's ``neighbours`` best kept, with their
    exact TF-IDF cosine."""
    n = len(tv)
    terms, owners, weights = _flat(tv)
    cap = rare_cap(n, rare_share)
    rare = (tv.df >= 2) & (tv.df <= cap)
    a, b, products = _within_groups(terms, owners, weights, rare)
    a, b, partial = _pair_sums(a, b, products, max(n, 1))
    keep = _top_per_article(a, b, partial, n, neighbours)
    a, b, partial = a[keep], b[keep], partial[keep]
    common = np.flatnonzero(tv.df > cap)
    if len(common) and len(a):
        column = np.full(len(tv.df), -1, dtype=np.int64)
        column[common] = np.arange(len(common))
        dense = np.zeros((n, len(common)), dtype=np.float32)
        hit = column[terms] >= 0
        dense[owners[hit], column[terms[hit]]] = weights[hit]
        for lo in range(0, len(a), 1 << 16):
            hi = lo + (1 << 16)
            partial[lo:hi] += np.einsum("ij,ij->i", dense[a[lo:hi]], dense[b[lo:hi]])
    return Candidates(a, b, np.round(partial, 4))


def embedding_candidates(vectors: np.ndarray, neighbours: int) -> Candidates:
    """Each article's ``neighbours`` most similar others by exact cosine, in row blocks."""
    n = len(vectors)
    k = min(neighbours, n - 1)
    if k <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(empty, empty, np.zeros(0))
    a_parts, b_parts = [], []
    for lo in range(0, n, _BLOCK):
        block = vectors[lo:lo + _BLOCK] @ vectors.T
        rows = np.arange(lo, lo + len(block))
        block[rows - lo, rows] = -np.inf
        best = np.argpartition(-block, k - 1, axis=1)[:, :k]
        a_parts.append(np.repeat(rows, k))
        b_parts.append(best.ravel())
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    lo_, hi_ = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(lo_ * n + hi_)
    a, b = pairs // n, pairs % n
    return Candidates(a, b, similarities(vectors, a, b))


def similarities(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of each pair of (normalised) rows."""
    out = np.empty(len(a))
    for lo in range(0, len(a), 1 << 16):
        hi = lo + (1 << 16)
        out[lo:hi] = np.einsum("ij,ij->i", vectors[a[lo:hi]], vectors[b[lo:hi]])
    return np.round(out, 4)


def story_candidates(
    tv: TermVectors,
    vectors: np.ndarray | None,
    dates: Sequence[str | None],
    rare_share: float,
    neighbours: int,
    window: int,
) -> Candidates:
    """Candidates by shared rare names (and, with embeddings, nearest neighbours), in
    the date window; scored by embedding cosine when there are embeddings, else TF-IDF."""
    by_words = word_candidates(tv, rare_share, neighbours)
    a, b, sim = by_words.a, by_words.b, by_words.similarity
    if vectors is not None:
        by_vectors = embedding_candidates(vectors, neighbours)
        n = max(len(tv), 1)
        codes = np.unique(np.concatenate((a * n + b, by_vectors.a * n + by_vectors.b)))
        a, b = codes // n, codes % n
        sim = similarities(vectors, a, b)
    keep = _in_window(a, b, dates, window)
    return Candidates(a[keep].astype(np.int64), b[keep].astype(np.int64), sim[keep])


def shared_names(tv: TermVectors, members: Sequence[int], most: int = 5) -> list[str]:
    """The stems most members share (in most members first, then rarest): what a cluster
    is about."""
    counts: dict[int, int] = {}
    for m in members:
        for t in tv.terms[m].tolist():
            counts[t] = counts.get(t, 0) + 1
    need = max(2, math.ceil(len(members) / 2))
    shared = [t for t, c in counts.items() if c >= need]
    shared.sort(key=lambda t: (-counts[t], int(tv.df[t]), tv.vocabulary[t]))
    return [tv.vocabulary[t] for t in shared[:most]]
