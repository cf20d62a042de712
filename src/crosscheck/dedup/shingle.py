"""Turn an article body into a set of shingle keys: what near-duplicate detection compares.

A shingle is ``k`` consecutive words of the body's normalized, lower-cased text (the
matcher's normalization, so curly quotes or non-breaking spaces never hide a copy).
Each shingle becomes a 64-bit key; the low 32 bits feed MinHash, all 64 bits are kept
for the exact Jaccard check, where 32-bit collisions would be noticeable over millions
of shingles.

Two hash functions:

* ``sha1``: the key's low 32 bits are datasketch's ``sha1_hash32`` of the shingle's
  UTF-8 bytes (words joined by one space), so signatures equal datasketch's.
* ``fast``: a hash of the shingle's words (see :func:`fast_key`), computed for a whole
  batch in a few numpy passes over its words, with no Python loop. :func:`fast_hash32`
  is the same hash in plain Python, one shingle at a time: given to datasketch as
  ``MinHash(hashfunc=fast_hash32)``, it makes datasketch's signatures equal ours.

The fast keys (and affine32 signatures, in :mod:`.minhash`) come from a small compiled
core when it was built (see :data:`COMPILED_CORE`), else from the numpy code here; both
give the same bits. The core also folds and lower-cases bodies as it reads them
(:data:`CORE_FOLDS`), leaving only NFKC to Python.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from crosscheck.text.normalize import char_folds, fold_lower, normalize_text

HASHES = ("sha1", "fast")
HASH_VERSIONS = {"sha1": "sha1", "fast": "fast-2"}
"""What an index records for each hash: ``fast`` keys changed in version 2 (word hashes
from 8-byte chunks), so an index built with the old ones must not be extended."""

_U64 = np.uint64
_M64 = (1 << 64) - 1
_MIX1, _MIX2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53
_LENGTH = 0x9E3779B97F4A7C15  # word hash seed per byte of length
_STEP = 0xD6E8FEB86659FD93  # base of the polynomial in word hashes; 3 mod 4
# _MASKS[n] keeps the low n bytes of a little-endian 8-byte chunk.
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [_M64], dtype=_U64)
_GROUP_CHARS = 1 << 18


def _compiled_core():
    """The compiled core (``_sketchcore``, built by setup.py from C), or None when it was
    not built or ``CROSSCHECK_NO_COMPILED_CORE=1`` asks for the numpy code (to compare
    or to rule the core out)."""
    if os.environ.get("CROSSCHECK_NO_COMPILED_CORE", "").strip() not in ("", "0"):
        return None
    try:
        from crosscheck.dedup import _sketchcore
    except ImportError:
        return None
    # A build left from an older source (it is built in place, and a failed rebuild
    # keeps the old one) would lack functions or compute other bits: numpy instead.
    if getattr(_sketchcore, "CORE_VERSION", None) != CORE_VERSION or not all(
            hasattr(_sketchcore, name) for name in ("fast_keys", "affine32", "band_keys", "anchors")):
        return None
    return _sketchcore


CORE_VERSION = 3
"""The compiled core's version this code was written for (``SK_CORE_VERSION`` in the C)."""


_CORE = _compiled_core()
COMPILED_CORE: bool = _CORE is not None
"""Whether fast keys, affine32 signatures, band keys and anchors come from the compiled
core (decided once, at import); the numpy code gives the same bits, more slowly."""


def _core_fold_table():
    """The compiled core's folding table, made from normalize's own (so that the two
    cannot drift apart); None without the core, when it was built without folding (no
    ``Py_UNICODE_TOLOWER``) or when the table is one it cannot hold. Python folds then."""
    if _CORE is None or not hasattr(_CORE, "fold_table"):
        return None
    try:
        return _CORE.fold_table(*char_folds())
    except ValueError:
        return None


_CORE_FOLDS = _core_fold_table()
CORE_FOLDS: bool = _CORE_FOLDS is not None
"""Whether :func:`body_keys` leaves folding to the compiled core (all of it but NFKC) for
the fast hash; the keys are the same either way."""


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
        values *= _U64(_MIX1)
        values ^= values >> _U64(33)
        values *= _U64(_MIX2)
        values ^= values >> _U64(33)
        return values


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


# The fast hash in plain Python: the definition, and the twin handed to datasketch.


def _fmix64_int(x: int) -> int:
    x ^= x >> 33
    x = (x * _MIX1) & _M64
    x ^= x >> 33
    x = (x * _MIX2) & _M64
    return x ^ (x >> 33)


@lru_cache(maxsize=1 << 18)
def _word_hash(word: bytes) -> int:
    h = (len(word) * _LENGTH) & _M64
    for at in range(0, len(word), 8):
        h = _fmix64_int(h ^ int.from_bytes(word[at:at + 8], "little"))
    return h


def fast_key(shingle: bytes) -> int:
    """The ``fast`` 64-bit key of one shingle, given as its UTF-8 bytes (words joined by
    single spaces). The definition that :func:`fast_keys_batch` vectorizes:

    * a word's hash starts at ``len(word) * 0x9E3779B97F4A7C15``; each 8-byte chunk of the
      word, read little-endian (the last one shorter), is XORed in and the result goes
      through MurmurHash3's 64-bit finalizer;
    * the key is the polynomial ``m * S**m + h1 * S**(m-1) + ... + hm`` of the ``m`` word
      hashes, with ``S = 0xD6E8FEB86659FD93``, modulo 2**64. The word hashes are already
      well mixed, so the key needs no finalizer of its own (MinHash and anchors mix again).

    >>> fast_key(b"a b") != fast_key(b"b a")  # word order counts
    True
    >>> fast_hash32(b"a b") == fast_key(b"a b") & 0xFFFFFFFF
    True
    """
    words = shingle.split(b" ")
    acc = len(words)
    for word in words:
        acc = (acc * _STEP + _word_hash(word)) & _M64
    return acc


def fast_hash32(shingle: bytes) -> int:
    """The low 32 bits of :func:`fast_key`: what MinHash hashes, for datasketch's ``hashfunc=``."""
    return fast_key(shingle) & 0xFFFFFFFF


# The fast hash vectorized over a batch of texts.


# The ASCII bytes ``str.split`` breaks words at: tab, newline, vertical tab, form feed,
# carriage return, the four information separators and the space.
_SPACE_BYTES = np.zeros(256, dtype=bool)
_SPACE_BYTES[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def word_hashes(data: bytes, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hash of every word of the texts packed in ``data`` (text ``i`` begins at byte
    ``starts[i]``; a space byte stands between texts), and where each text's words
    start: text ``i`` owns ``hashes[bounds[i]:bounds[i + 1]]``.

    A word is a run of bytes other than ASCII whitespace (:data:`_SPACE_BYTES`), as
    ``str.split`` cuts it. Its chunks are read straight out of ``data`` through an 8-byte
    view at every byte offset; most words fit one chunk.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    space = np.empty(len(raw) + 2, dtype=bool)
    space[0] = space[-1] = True
    np.take(_SPACE_BYTES, raw, out=space[1:-1])
    # A word starts after a space and ends before one: the edges of the non-space runs.
    edges = np.flatnonzero(space[1:] != space[:-1])
    word_starts, word_ends = edges[0::2], edges[1::2]
    lengths = word_ends - word_starts
    bounds = np.searchsorted(word_starts, np.append(starts, len(raw)))
    view = np.ndarray((len(raw) + 1,), dtype="<u8", buffer=data + bytes(8), strides=(1,))
    with np.errstate(over="ignore"):
        chunks = view[word_starts] & _MASKS[np.minimum(lengths, 8)]
        hashes = fmix64(chunks ^ (lengths.astype(_U64) * _U64(_LENGTH)))
        longer = np.flatnonzero(lengths > 8)
        at = 8
        while len(longer):
            rest = lengths[longer] - at
            chunks = view[word_starts[longer] + at] & _MASKS[np.minimum(rest, 8)]
            hashes[longer] = fmix64(hashes[longer] ^ chunks)
            longer = longer[rest > 8]
            at += 8
    return hashes, bounds


def shingle_forms(texts: Sequence[str]) -> list[str]:
    """What the fast hash reads of each text: its :func:`shingle_text` form with the
    spaces left as they are (:func:`~crosscheck.text.normalize.fold_lower`); the words,
    and so the keys, are the same."""
    return [fold_lower(t) for t in texts]


def _core_forms(texts: Sequence[str]) -> list[str]:
    """What the compiled core folds into :func:`shingle_forms` as it reads: an ASCII text
    as it is, any other after NFKC (which stays in Python), or folded wholly in Python
    when it holds one of the two characters that ``str.lower()`` does not lower by their
    simple mapping, which the core applies code point by code point: U+0130 (two code
    points) and U+03A3 (a final or a medial sigma, by its neighbours). The core's
    folding leaves a folded text as it is."""
    nfkc = unicodedata.normalize
    forms = []
    for text in texts:
        if not text.isascii():
            normal = nfkc("NFKC", text)
            text = fold_lower(text) if "\u0130" in normal or "\u03a3" in normal else normal
        forms.append(text)
    return forms


def fast_keys_batch(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """``fast`` shingle keys of many texts at once: ``(keys, offsets)``, text ``i`` owning
    ``keys[offsets[i]:offsets[i + 1]]``. A text is in :func:`shingle_text` form or in
    :func:`shingle_forms` form (any ASCII whitespace between words); each key equals
    :func:`fast_key` of its shingle, and the shingle rules are those of :func:`sha1_keys`.

    >>> keys, offsets = fast_keys_batch(["a b c", "a b", ""], 2)
    >>> offsets.tolist(), bool(keys[0] == keys[2]), int(keys[1]) == fast_key(b"b c")
    ([0, 2, 3, 3], True, True)
    """
    return _in_groups(_fast_keys, texts, size)


def _in_groups(keys_of, texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """``keys_of(group, size)`` of consecutive groups of ``texts``, joined."""
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    # Groups of about _GROUP_CHARS characters: their temporaries stay in the CPU cache
    # and are recycled by malloc instead of being mapped afresh (page faults) each time.
    # The compiled core gains from them too (one 20,000-article call is slower).
    ends = np.cumsum([len(t) + 1 for t in texts]) // _GROUP_CHARS
    cuts = [0, *(np.flatnonzero(np.diff(ends)) + 1).tolist(), len(texts)]
    parts = [keys_of(texts[lo:hi], size) for lo, hi in zip(cuts[:-1], cuts[1:]) if hi > lo]
    if len(parts) == 1:
        return parts[0]
    offsets = [np.zeros(1, dtype=np.int64)]
    for _, part in parts:
        offsets.append(part[1:] + offsets[-1][-1])
    keys = np.concatenate([k for k, _ in parts]) if parts else np.empty(0, dtype=_U64)
    return keys, np.concatenate(offsets)


def _fast_keys_compiled(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_fast_keys_numpy` by the compiled core: it reads an ASCII str in place (and
    encodes any other alone) and hashes text by text, with no joined batch."""
    keys, offsets = _CORE.fast_keys(texts, size)
    return np.frombuffer(keys, dtype=_U64), np.frombuffer(offsets, dtype=np.int64)


def _folded_keys_compiled(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_fast_keys_numpy` of the :func:`shingle_forms` of texts given in
    :func:`_core_forms` form, by the compiled core, which folds each as it reads it."""
    keys, offsets = _CORE.fast_keys(texts, size, _CORE_FOLDS)
    return np.frombuffer(keys, dtype=_U64), np.frombuffer(offsets, dtype=np.int64)


def _fast_keys_numpy(texts: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`fast_keys_batch` of one group of texts, in numpy: the definition the
    compiled core must match bit for bit."""
    encoded = [t.encode("utf-8") for t in texts]
    starts = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum([len(e) + 1 for e in encoded[:-1]], out=starts[1:])
    words, bounds = word_hashes(b" ".join(encoded), starts)
    counts = np.diff(bounds)
    shingles = np.where(counts >= size, counts - size + 1, counts > 0)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(shingles, out=offsets[1:])
    step = _U64(_STEP)
    with np.errstate(over="ignore"):
        # Every window of `size` consecutive words of the group, as a polynomial in the
        # word hashes; then the windows that reach into the next text are dropped.
        windows = max(len(words) - size + 1, 0)
        acc = np.full(windows, size, dtype=_U64)
        for j in range(size):
            acc *= step
            acc += words[j:j + windows]
        inside = np.ones(windows, dtype=bool)
        straddle = (bounds[1:-1, None] - np.arange(1, size)).ravel()
        inside[straddle[(straddle >= 0) & (straddle < windows)]] = False
        keys = acc[inside]
        short = np.flatnonzero((counts > 0) & (counts < size))
        if len(short):
            # A text of fewer than `size` words is one shingle of all its words.
            acc = counts[short].astype(_U64)
            for j in range(size - 1):
                word = words[np.minimum(bounds[short] + j, len(words) - 1)]
                acc = np.where(j < counts[short], acc * step + word, acc)
            alone = np.zeros(int(offsets[-1]), dtype=bool)
            alone[offsets[short]] = True
            merged = np.empty(len(alone), dtype=_U64)
            merged[~alone] = keys
            merged[alone] = acc
            keys = merged
    return keys, offsets


_fast_keys = _fast_keys_numpy if _CORE is None else _fast_keys_compiled


def body_keys(texts: Sequence[str], size: int, hash_name: str = "sha1") -> tuple[np.ndarray, np.ndarray]:
    """Shingle keys of many bodies as read: those of their :func:`shingle_text` forms,
    which the fast hash never builds (it splits the words of :func:`shingle_forms`, or
    has the compiled core fold them as it reads)."""
    if hash_name == "fast":
        if _CORE_FOLDS is not None:
            return _in_groups(_folded_keys_compiled, _core_forms(texts), size)
        return fast_keys_batch(shingle_forms(texts), size)
    return keys_batch([shingle_text(t) for t in texts], size, hash_name)


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
    # An in-place sort per text beats one sort of the whole batch (which would need the
    # text as a second key), and np.unique per text costs several times more.
    ordered = keys.astype(_U64, copy=True)
    bounds = np.asarray(offsets, dtype=np.int64)
    edges = bounds.tolist()
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi - lo > 1:
            ordered[lo:hi].sort()
    fresh = np.ones(len(ordered), dtype=bool)
    fresh[1:] = ordered[1:] != ordered[:-1]
    fresh[bounds[:-1][bounds[:-1] < len(ordered)]] = True
    kept = np.zeros(len(fresh) + 1, dtype=np.int64)
    np.cumsum(fresh, out=kept[1:])
    return ordered[fresh], kept[bounds]
