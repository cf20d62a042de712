"""Turn an article body into a set of shingle keys: what near-duplicate detection compares.

A shingle is ``k`` consecutive words of the body's normalized, lower-cased text (the
matcher's normalization, so curly quotes or non-breaking spaces never hide a copy).
Each shingle becomes a 64-bit key; the low 32 bits feed MinHash, all 64 bits are kept
for the exact Jaccard check, where 32-bit collisions would be noticeable over millions
of shingles.

Two hash functions:

* ``sha1``: the key's low 32 bits are datasketch's ``sha1_hash32`` of the shingle's
  UTF-8 bytes (words joined by one space), so signatures equal datasketch's.
* ``fast``: each distinct word is hashed once (cached), shingle keys are combined from
  word hashes in numpy for a whole batch at once. Several times faster; signatures
  are not comparable with datasketch's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from .normalize import normalize_text

HASHES = ("sha1", "fast")

_U64 = np.uint64
_MIX1 = _U64(0xFF51AFD7ED558CCD)
_MIX2 = _U64(0xC4CEB9FE1A85EC53)
_STEP = _U64(0x9E3779B97F4A7C15)


def shingle_text(text: str) -> str:
    """The form of a body that shingles are cut from: normalized, lower-cased.

    >>> shingle_text("The  West\u2019s \u00abinfernal\u00a0sanctions\u00bb")
    'the west\\'s "infernal sanctions"'
    """
    return normalize_text(text).lower()


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads structured inputs over all bits."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> _U64(33))
        values = values * _MIX1
        values = values ^ (values >> _U64(33))
        values = values * _MIX2
        return values ^ (values >> _U64(33))


def sha1_keys(text: str, size: int) -> np.ndarray:
    """64-bit keys of every ``size``-word shingle of ``text`` (in order, repeats kept).

    ``text`` must already be in :func:`shingle_text` form (single spaces), so that each
    shingle is a slice of its UTF-8 bytes. A text shorter than ``size`` words is one
    shingle; an empty text has none.

    >>> import struct
    >>> keys = sha1_keys("a b c", 2)
    >>> [int(k) & 0xFFFFFFFF for k in keys] == [
    ...     struct.unpack("<I", hashlib.sha1(s).digest()[:4])[0] for s in (b"a b", b"b c")]
    True
    """
    data = text.encode("utf-8")
    if not data:
        return np.empty(0, dtype=_U64)
    spaces = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 32)
    starts = np.concatenate(([0], spaces + 1)).tolist()
    ends = np.concatenate((spaces, [len(data)])).tolist()
    count = max(1, len(starts) - size + 1)
    last = min(size, len(starts)) - 1
    sha1 = hashlib.sha1
    digests = b"".join([sha1(data[starts[i]:ends[i + last]]).digest() for i in range(count)])
    # The first 8 bytes of each 20-byte digest, read little-endian: the low 4 are
    # exactly datasketch's sha1_hash32.
    return np.ndarray((count,), dtype="<u8", buffer=digests, strides=(20,)).astype(_U64)


_BASE = _U64(0x100000001B3)  # odd, so invertible modulo 2**64
_POWERS: list[np.ndarray] = [np.ones(1, dtype=_U64), np.ones(1, dtype=_U64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**k and BASE**-k modulo 2**64 for k < n (cached, grown on demand)."""
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]))
        inverse = _U64(pow(int(_BASE), -1, 1 << 64))
        with np.errstate(over="ignore"):
            steps = np.full(size, _BASE, dtype=_U64)
            steps[0] = 1
            _POWERS[0] = np.cumprod(steps, dtype=_U64)
            steps = np.full(size, inverse, dtype=_U64)
            steps[0] = 1
            _POWERS[1] = np.cumprod(steps, dtype=_U64)
    return _POWERS[0], _POWERS[1]


def word_hashes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the space-separated words of newline-separated texts, all at once:
    ``(hashes, text_of_word)``. A polynomial hash of each word's bytes, from one prefix
    sum over the whole batch, then mixed; no Python loop over words."""
    raw = np.frombuffer(data, dtype=np.uint8)
    n = len(raw)
    power, inverse = _powers(n + 1)
    is_sep = (raw == 32) | (raw == 10)
    with np.errstate(over="ignore"):
        prefix = np.concatenate((np.zeros(1, dtype=_U64), np.cumsum((raw.astype(_U64) + _U64(1)) * power[:n], dtype=_U64)))
    seps = np.flatnonzero(is_sep)
    starts = np.concatenate(([0], seps + 1))
    ends = np.concatenate((seps, [n]))
    nonempty = ends > starts
    starts, ends = starts[nonempty], ends[nonempty]
    with np.errstate(over="ignore"):
        hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
        hashes = hashes + (ends - starts).astype(_U64) * _STEP
    text_of_word = np.cumsum(raw == 10)[np.maximum(starts, 1) - 1] * (starts > 0)
    return fmix64(hashes), text_of_word


def fast_keys_batch(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle keys of many texts at once: ``(keys, offsets)``, text ``i`` owning
    ``keys[offsets[i]:offsets[i + 1]]``. Same shingle rules as :func:`sha1_keys`.

    >>> keys, offsets = fast_keys_batch(["a b c", "a b", ""], 2)
    >>> offsets.tolist(), bool(keys[0] == keys[2])
    ([0, 2, 3, 3], True)
    """
    words, text_of_word = word_hashes("\n".join(texts).encode("utf-8"))
    counts = np.bincount(text_of_word, minlength=len(texts)).astype(np.int64)
    word_starts = np.concatenate(([0], np.cumsum(counts)))
    shingles = np.where(counts > 0, np.maximum(counts - size + 1, 1), 0)
    offsets = np.concatenate(([0], np.cumsum(shingles)))
    n = int(offsets[-1])
    # Start word of every shingle, and how many words it spans (fewer for short texts).
    owner = np.repeat(np.arange(len(texts)), shingles)
    first = word_starts[:-1][owner] + (np.arange(n) - offsets[:-1][owner])
    span = np.minimum(counts[owner], size)
    padded = np.concatenate((words, np.zeros(size, dtype=_U64)))
    acc = np.zeros(n, dtype=_U64)
    with np.errstate(over="ignore"):
        for j in range(size):
            part = np.where(j < span, padded[first + j], _U64(0))
            acc = acc * _STEP + part + _U64(j < 1)
        acc = acc ^ span.astype(_U64)
    return fmix64(acc), offsets


def keys_batch(texts: Sequence[str], size: int, hash_name: str = "sha1") -> tuple[np.ndarray, np.ndarray]:
    """Shingle keys of many :func:`shingle_text` texts, concatenated, with offsets."""
    if hash_name == "fast":
        return fast_keys_batch(texts, size)
    if hash_name != "sha1":
        raise ValueError(f"unknown shingle hash {hash_name!r} (expected one of {', '.join(HASHES)})")
    parts = [sha1_keys(t, size) for t in texts]
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in parts]))).astype(np.int64)
    keys = np.concatenate(parts) if parts else np.empty(0, dtype=_U64)
    return keys.astype(_U64, copy=False), offsets


def unique_sets(keys: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each text's keys sorted and deduplicated: the shingle *sets*, concatenated.

    >>> keys, offs = unique_sets(np.array([5, 3, 5, 9, 9], dtype=np.uint64), np.array([0, 3, 5]))
    >>> keys.tolist(), offs.tolist()
    ([3, 5, 9], [0, 2, 3])
    """
    # One small sort per text beats a lexsort over the batch (lexsort is slow on uint64).
    parts = [np.unique(keys[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]
    counts = [len(p) for p in parts]
    keys = np.concatenate(parts) if parts else np.empty(0, dtype=_U64)
    return keys, np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
