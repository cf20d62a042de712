"""The near-duplicate pipeline's stages as pure functions, and the engines that run them.

Stages: sketch a batch of bodies (shingle sets, MinHash signatures, anchors), propose
candidate pairs (LSH bands, shared anchors), verify each candidate with its exact
Jaccard and containment, join verified pairs into connected components. An engine
decides only *where* each stage runs: in this process (``local``) or on a Dask
cluster (``dask``); both call these functions, so both give the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.text.clean import boilerplate_spans
from crosscheck.config import DedupSettings, Settings
from crosscheck.dedup.lsh import anchors, band_keys, optimal_bands
from crosscheck.dedup.minhash import permutations, signatures
from crosscheck.model import Article
from crosscheck.text.load import Found, Outcome, found_in
from crosscheck.text.records import LineChunk, chunk_records
from crosscheck.dedup.shingle import body_keys, unique_sets

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Body:
    """What dedup needs of one article: its id, date, and body (boilerplate cut out)."""

    id: str
    text: str
    date: str | None = None


@dataclass
class Sketches:
    """A batch of articles reduced to what near-duplicate detection keeps of them."""

    ids: list[str]
    dates: list[str | None]
    signatures: np.ndarray
    set_keys: np.ndarray
    set_offsets: np.ndarray
    anchor_keys: np.ndarray
    anchor_owners: np.ndarray
    # One LSH key per (article, band), in the band layout of the settings
    # (:func:`crosscheck.dedup.lsh.optimal_bands`): computed where the batch is sketched.
    band_keys: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.set_offsets)

    def shingle_set(self, i: int) -> np.ndarray:
        return self.set_keys[self.set_offsets[i]:self.set_offsets[i + 1]]

    def select(self, rows: Sequence[int], ids: Sequence[str]) -> Sketches:
        """The sketches of ``rows`` only, in that order, going by ``ids``: what is left of
        a batch once its reader has skipped or renamed articles."""
        if list(rows) == list(range(len(self))):
            return self if list(ids) == self.ids else Sketches(list(ids), self.dates, self.signatures, self.set_keys,
                                                              self.set_offsets, self.anchor_keys, self.anchor_owners,
                                                              self.band_keys)
        picked = np.asarray(rows, dtype=np.int64)
        sizes = np.diff(self.set_offsets)[picked]
        offsets = np.zeros(len(picked) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        keys = np.concatenate([self.shingle_set(i) for i in picked.tolist()]) if len(picked) else self.set_keys[:0]
        renumber = np.full(len(self), -1, dtype=np.int64)
        renumber[picked] = np.arange(len(picked))
        owners = renumber[self.anchor_owners]
        keep = owners >= 0
        return Sketches(list(ids), [self.dates[i] for i in picked.tolist()], self.signatures[picked], keys, offsets,
                        self.anchor_keys[keep], owners[keep], self.band_keys[picked])


def body_of(article: Article, settings: Settings) -> Body:
    """The article's body with boilerplate removed, so a reprint with other web
    furniture around it still matches."""
    text = without_boilerplate(article, settings.clean) if settings.clean.enabled else article.text
    return Body(article.id, text, article.date)


def without_boilerplate(article: Article, clean, repeated: frozenset[str] = frozenset()) -> str:  # type: ignore[no-untyped-def]
    """The article's text with its boilerplate cut out; the whole text when the cut
    would leave less than half of its characters: a header line read as the start of a
    footer must not reduce unrelated articles to the same few words (which would make
    them copies of each other)."""
    text = article.text
    pieces = boilerplate_spans(article, clean, repeated)
    if not pieces:
        return text
    kept, at = [], 0
    for start, end, _ in pieces:
        kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    body = "\n".join([k for k in kept if k and not k.isspace()])  # (isspace, unlike strip, copies nothing)
    return body if 2 * len(body) >= len(text) else text


def sketch_articles(articles: Sequence[Article], settings: Settings) -> Sketches:
    """Clean and sketch a batch of articles: the unit of work an engine hands out."""
    return sketch_batch([body_of(a, settings) for a in articles], settings.dedup)


def sketch_read(work: LineChunk | list[Outcome], settings: Settings) -> tuple[Sketches, list[Found]]:
    """Parse (a chunk of raw lines), clean and sketch a piece of a read; the articles'
    ids and the problems met go back with the sketches, for the reader to settle in order."""
    outcomes = chunk_records(work, settings) if isinstance(work, LineChunk) else work
    articles = [o[0] for o in outcomes if isinstance(o, tuple)]
    return sketch_articles(articles, settings), found_in(outcomes)


def sketch_batch(bodies: Sequence[Body], settings: DedupSettings) -> Sketches:
    """Shingle, sign and anchor a batch of bodies in a few vectorized passes."""
    keys, offsets = body_keys([b.text for b in bodies], settings.shingle_size, settings.hash)
    set_keys, set_offsets = unique_sets(keys, offsets)
    a, b = _perms(settings.num_perm, settings.seed, settings.scheme)
    sig = signatures(set_keys, set_offsets, a, b, settings.scheme)
    anchor_keys, owners = anchors(set_keys, set_offsets, settings.anchor_rate)
    bands, rows = optimal_bands(settings.threshold, settings.num_perm, settings.miss_weight)
    return Sketches(
        ids=[x.id for x in bodies],
        dates=[x.date for x in bodies],
        signatures=sig,
        set_keys=set_keys,
        set_offsets=set_offsets,
        anchor_keys=anchor_keys,
        anchor_owners=owners,
        band_keys=band_keys(sig, bands, rows),
    )


_PERMS: dict[tuple[int, int, str], tuple[np.ndarray, np.ndarray]] = {}


def _perms(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    key = (num_perm, seed, scheme)
    if key not in _PERMS:
        _PERMS[key] = permutations(num_perm, seed, scheme)
    return _PERMS[key]


@dataclass(frozen=True)
class Verdict:
    """A candidate pair checked on its exact shingle sets."""

    a: int
    b: int
    jaccard: float
    containment: float
    joined: bool
    why: str

    @property
    def similarity(self) -> float:
        return self.jaccard if self.why.startswith("jaccard") else self.containment


def judge(a: int, b: int, set_a: np.ndarray, set_b: np.ndarray, settings: DedupSettings) -> Verdict:
    """Jaccard and containment of two shingle sets, and whether they make copies.

    >>> s = DedupSettings()
    >>> whole, part = np.arange(100, dtype=np.uint64), np.arange(30, dtype=np.uint64)
    >>> judge(0, 1, whole, part, s).why
    'excerpt: 100% of the shorter one in the longer'
    """
    shared = len(np.intersect1d(set_a, set_b, assume_unique=True))
    union = len(set_a) + len(set_b) - shared
    jaccard = shared / union if union else 0.0
    smaller = min(len(set_a), len(set_b))
    containment = shared / smaller if smaller else 0.0
    if union and jaccard >= settings.threshold:
        return Verdict(a, b, jaccard, containment, True, f"jaccard {jaccard:.2f}")
    if smaller >= settings.min_shingles and containment >= settings.containment_threshold:
        why = f"excerpt: {containment:.0%} of the shorter one in the longer"
        return Verdict(a, b, jaccard, containment, True, why)
    return Verdict(a, b, jaccard, containment, False, f"jaccard {jaccard:.2f}, containment {containment:.2f}")


def verify_pairs(
    pairs: np.ndarray, sets_a: Sequence[np.ndarray], sets_b: Sequence[np.ndarray], settings: DedupSettings
) -> list[Verdict]:
    """The verdict on each candidate pair; ``sets_a[k]``/``sets_b[k]`` belong to ``pairs[k]``."""
    return [judge(int(i), int(j), x, y, settings) for (i, j), x, y in zip(pairs.tolist(), sets_a, sets_b)]


def components(edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find), each sorted, ordered by their first node.

    >>> components([(4, 1), (2, 3), (1, 0)])
    [[0, 1, 4], [2, 3]]
    """
    parent: dict[int, int] = {}
    for edge in edges:
        for node in edge:
            parent.setdefault(node, node)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for node in sorted(parent):
        groups.setdefault(find(node), []).append(node)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
