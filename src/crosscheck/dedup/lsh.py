"""Candidate pairs: locality-sensitive hashing on signatures, and shared anchors for excerpts.

Banding: the signature is cut into ``bands`` of ``rows`` values; two articles are
candidates when any band is equal. Bands and rows are chosen, as datasketch does, to
minimize the (equally weighted) areas of false positives below the threshold and
false negatives above it of the S-curve ``1 - (1 - s**rows)**bands``.

Banding finds pairs of similar *size*. An excerpt of a longer article has a small
Jaccard similarity however exactly it was copied, so excerpts are found through
anchors instead: shingle keys selected by their value alone (``key % rate == 0``).
The selection is content-defined, so every anchor of an excerpt is also an anchor of
the article it was cut from.

Band keys and anchors come from the compiled core when it was built (see
:data:`~crosscheck.dedup.shingle.COMPILED_CORE`), else from the numpy code here; both
give the same bits.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from crosscheck.dedup.shingle import _CORE, fmix64

_U64 = np.uint64


def _areas(bands: np.ndarray, rows: np.ndarray, lo: float, hi: float, above: bool) -> np.ndarray:
    """The trapezoid-rule area under (or, ``above``, over) the S-curve of each
    ``(bands[i], rows[i])`` between Jaccard ``lo`` and ``hi``: one pass for every layout."""
    s = np.linspace(lo, hi, 201)
    p = 1.0 - (1.0 - s[None, :] ** rows[:, None]) ** bands[:, None]
    values = 1.0 - p if above else p
    return ((values[:, 1:] + values[:, :-1]) * np.diff(s)).sum(axis=1) / 2.0


@lru_cache(maxsize=64)
def optimal_bands(threshold: float, num_perm: int, miss_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` for a Jaccard ``threshold`` with ``num_perm`` permutations.

    ``miss_weight`` weighs false negatives against false positives (which verification
    removes anyway); 0.5 gives datasketch's choice. Every layout is scored in one numpy
    pass (a loop over them cost each worker 20 ms at start-up); the first of equal
    scores wins, in the order bands then rows.

    >>> optimal_bands(0.8, 128)
    (9, 13)
    >>> optimal_bands(0.5, 128)
    (25, 5)
    """
    layouts = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.int64)
    bands, rows = layouts[:, 0].astype(float), layouts[:, 1].astype(float)
    error = (1.0 - miss_weight) * _areas(bands, rows, 0.0, threshold, False) + miss_weight * _areas(
        bands, rows, threshold, 1.0, True
    )
    best = int(np.argmin(error))
    return int(layouts[best, 0]), int(layouts[best, 1])


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (article, band): the band's values hashed together.

    >>> band_keys(np.zeros((3, 8), dtype=np.uint32), 2, 4).shape
    (3, 2)
    """
    if _CORE is not None:
        sig = np.asarray(signatures)
        if sig.ndim == 2 and sig.dtype.kind == "u" and sig.dtype.itemsize in (4, 8):
            return _band_keys_compiled(sig, bands, rows)
    return _band_keys_numpy(signatures, bands, rows)


def _band_keys_compiled(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """:func:`band_keys` by the compiled core, of uint32 (affine32) or uint64 (legacy)
    signatures, which it widens as numpy does. It raises ValueError where numpy would
    fail on the layout (more bands x rows than a signature has, negative ones)."""
    sig = np.asarray(signatures)
    sig = np.require(sig, sig.dtype.newbyteorder("="), "CA")  # native, contiguous, aligned
    if sig.ndim != 2:
        raise ValueError(f"signatures must be 2-d (n x num_perm), not {sig.ndim}-d")
    if bands < 0:
        raise ValueError(f"bands must not be negative, not {bands}")
    out = np.empty((sig.shape[0], bands), dtype=_U64)
    _CORE.band_keys(sig, bands, rows, out)
    return out


def _band_keys_numpy(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """:func:`band_keys` in numpy: the definition the compiled core must match bit for bit."""
    n = signatures.shape[0]
    out = np.empty((n, bands), dtype=_U64)
    sig = signatures.astype(_U64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            acc = np.full(n, _U64(band + 1) * _U64(0x9E3779B97F4A7C15), dtype=_U64)
            for col in range(band * rows, (band + 1) * rows):
                acc = fmix64(acc ^ sig[:, col])
            out[:, band] = acc
    return out


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: ``np.unique`` without its checks (which import
    ``numpy.ma``, 15 ms, on a process's first call).

    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def _group_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Every pair ``(members[i], members[j])``, ``i < j``, within each group
    ``members[start:start + size]``: one vectorized step per distinct group size, not a
    Python step per group (there are tens of thousands on a large corpus).

    >>> _group_pairs(np.array([7, 8, 9, 4, 5]), np.array([0, 3]), np.array([3, 2])).tolist()
    [[4, 5], [7, 8], [7, 9], [8, 9]]
    """
    chunks = []
    for size in distinct(sizes).tolist():
        first = starts[sizes == size][:, None]
        i, j = np.triu_indices(size, 1)
        chunks.append(np.stack((members[first + i], members[first + j]), axis=-1).reshape(-1, 2))
    return np.concatenate(chunks).astype(np.int64) if chunks else np.empty((0, 2), dtype=np.int64)


def key_order(keys: np.ndarray, members: np.ndarray) -> np.ndarray:
    """``np.lexsort((members, keys))``, several times faster: an unstable sort by key,
    then only the runs of equal keys (few: most keys belong to one article) sorted by
    member. The order of equal (key, member) rows may differ; their values do not.

    >>> keys, members = np.array([5, 3, 5, 3, 9]), np.array([2, 7, 1, 0, 4])
    >>> key_order(keys, members).tolist() == np.lexsort((members, keys)).tolist()
    True
    """
    order = np.argsort(keys)
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        rows = order[at]
        # The tied rows lie in runs of one key each: number the runs and sort by
        # (run, member) packed into one int64, far faster than a lexsort of both.
        run = np.cumsum(np.concatenate(([0], ordered[at[1:]] != ordered[at[:-1]])))
        tied_members = members[rows]
        width = int(tied_members.max()) + 1 if len(rows) else 1
        if int(tied_members.min()) >= 0 and (int(run[-1]) + 1) * width < 1 << 62:
            order[at] = rows[np.argsort(run * width + tied_members)]
        else:
            order[at] = rows[np.lexsort((tied_members, keys[rows]))]
    return order


def _pairs_in_groups(keys: np.ndarray, members: np.ndarray, max_group: int) -> np.ndarray:
    """Pairs of members sharing a key. A group larger than ``max_group`` (a common
    phrase, or many exact copies) pairs each member with its first one only, which
    still joins them all once verified."""
    if len(keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    order = key_order(keys, members)
    keys, members = keys[order], members[order]
    bounds = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
    sizes = np.diff(bounds)
    starts = bounds[:-1]
    small = (sizes > 1) & (sizes <= max_group)
    chunks = [_group_pairs(members, starts[small], sizes[small])]
    for start, size in zip(starts[sizes > max_group].tolist(), sizes[sizes > max_group].tolist()):
        group = members[start:start + size]
        chunks.append(np.stack((np.repeat(group[0], size - 1), group[1:]), axis=1))
    return np.concatenate(chunks).astype(np.int64)


def unique_pairs(pairs: np.ndarray) -> np.ndarray:
    """Pairs ordered ``(low, high)``, self-pairs dropped, each once, sorted."""
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    lo = np.minimum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    hi = np.maximum(pairs[:, 0], pairs[:, 1]).astype(np.int64)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    if len(lo) == 0:
        return np.empty((0, 2), dtype=np.int64)
    width = int(hi.max()) + 1
    if int(lo.min()) < 0 or width > 1 << 31:  # codes would not fit one int64
        return np.unique(np.stack((lo, hi), axis=1), axis=0).astype(np.int64)
    # One int64 code per pair, in (low, high) order: np.unique on rows is far slower.
    codes = distinct(lo * width + hi)
    return np.stack((codes // width, codes % width), axis=1)


def bucket_pairs(bands: np.ndarray, keys: np.ndarray, members: np.ndarray, max_bucket: int = 64) -> np.ndarray:
    """Pairs of members sharing a bucket, from ``(band, key, member)`` rows: the index's
    form of :func:`band_candidates`."""
    chunks = [_pairs_in_groups(keys[bands == band], members[bands == band], max_bucket)
              for band in distinct(bands).tolist()]
    return unique_pairs(np.concatenate(chunks)) if chunks else np.empty((0, 2), dtype=np.int64)


def band_candidates(keys: np.ndarray, ids: np.ndarray, max_bucket: int = 64) -> np.ndarray:
    """Pairs of articles (given by ``ids``) that share a bucket in any band."""
    chunks = [_pairs_in_groups(keys[:, band], ids, max_bucket) for band in range(keys.shape[1])]
    return unique_pairs(np.concatenate(chunks)) if chunks else np.empty((0, 2), dtype=np.int64)


def anchors(keys: np.ndarray, offsets: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The anchor keys of each set and the set each belongs to: ``(anchor_keys, owners)``.

    >>> keys = np.arange(10, dtype=np.uint64)
    >>> len(anchors(keys, np.array([0, 5, 10]), 1)[0])
    10
    """
    if _CORE is not None:
        k, o = np.asarray(keys), np.asarray(offsets)
        if k.ndim == 1 and k.dtype == _U64 and o.ndim == 1 and (
            o.dtype.kind == "i" or (o.dtype.kind == "u" and o.dtype.itemsize < 8)
        ):
            return _anchors_compiled(k, o, rate)
    return _anchors_numpy(keys, offsets, rate)


def _anchors_compiled(keys: np.ndarray, offsets: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`anchors` by the compiled core, of uint64 keys: one pass, a multiplication in
    place of numpy's division for a rate that is not a power of two. It raises
    ValueError where numpy fails on the offsets (or on a rate below 1)."""
    keys = np.require(keys, _U64, "CA")  # native, contiguous, aligned: what the core reads
    offsets = np.require(offsets, np.int64, "CA")
    picked, owners = _CORE.anchors(keys, offsets, rate)
    return np.frombuffer(picked, dtype=_U64), np.frombuffer(owners, dtype=np.int64)


def _anchors_numpy(keys: np.ndarray, offsets: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`anchors` in numpy: the definition the compiled core must match bit for bit."""
    owners = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    mixed = fmix64(keys ^ _U64(0x5BD1E995))
    # For a power of two, a mask gives the remainder without numpy's slow uint64 division.
    picked = (mixed & _U64(rate - 1) if rate & (rate - 1) == 0 else mixed % _U64(rate)) == 0
    return keys[picked], owners[picked]


def anchor_candidates(
    anchor_keys: np.ndarray, owners: np.ndarray, min_shared: int, max_postings: int = 32, min_share: float = 0.0,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Pairs sharing at least ``min_shared`` anchors, and at least ``min_share`` of the
    anchors of the one with fewer: an excerpt carries most of its anchors into its
    source, two articles quoting one sentence share one or two of many. An anchor found
    in more than ``max_postings`` articles is a stock phrase, not evidence of copying,
    and is ignored. ``own[n]``, if given, is article ``n``'s count of distinct anchors
    (when not all of them are passed in).

    >>> keys = np.array([1, 2, 3, 1, 2, 3, 4, 5, 6, 7], dtype=np.uint64)
    >>> owners = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 1])
    >>> anchor_candidates(keys, owners, 2, min_share=0.5).tolist()
    [[0, 1]]
    """
    if len(anchor_keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    order = key_order(anchor_keys, owners)
    k, o = anchor_keys[order], owners[order]
    keep = np.ones(len(k), dtype=bool)
    keep[1:] = (k[1:] != k[:-1]) | (o[1:] != o[:-1])
    k, o = k[keep], o[keep]
    bounds = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1], [True])))
    sizes = np.diff(bounds)
    kept = (sizes > 1) & (sizes <= max_postings)
    pairs = _group_pairs(o, bounds[:-1][kept], sizes[kept])
    if len(pairs) == 0:
        return np.empty((0, 2), dtype=np.int64)
    # Count each pair through one int64 code: np.unique on rows (axis=0) is far slower.
    width = int(o.max()) + 1
    codes, counts = np.unique(pairs[:, 0] * width + pairs[:, 1], return_counts=True)
    first, second = codes // width, codes % width
    if own is None:
        own = np.bincount(o, minlength=width)
    need = np.maximum(min_shared, np.ceil(min_share * np.minimum(own[first], own[second])))
    keep = counts >= need
    return np.stack((first[keep], second[keep]), axis=1).astype(np.int64)
