"""MinHash signatures for whole batches of shingle sets, in vectorized numpy.

The permutations and arithmetic follow datasketch's ``MinHash`` so that, for the same
32-bit shingle hashes and seed, a signature is bit-identical to datasketch's:

* ``affine32`` (datasketch >= 2.0 default): the hash is pre-mixed with MurmurHash3's
  32-bit finalizer, then ``a * h + b`` in uint32, where wrap-around *is* the modulo
  2**32 and an odd ``a`` makes each permutation a bijection.
* ``legacy`` (datasketch < 2.0): ``((a * h + b) mod (2**61 - 1)) & (2**32 - 1)`` with
  ``a * h`` computed in uint64, wrapping on overflow exactly as datasketch's numpy does.

The speed comes from layout: the (permutations x shingles) matrix is built
permutation-major so the per-article minimum is a ``minimum.reduceat`` over contiguous
memory, and shingles of many articles are processed in one call.
"""

from __future__ import annotations

import numpy as np

SCHEMES = ("affine32", "legacy")

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_CHUNK_KEYS = 1 << 15


def permutations(num_perm: int, seed: int = 1, scheme: str = "affine32") -> tuple[np.ndarray, np.ndarray]:
    """The ``(a, b)`` parameters of ``num_perm`` permutations, drawn as datasketch draws them.

    >>> a, b = permutations(4, seed=1)
    >>> a.dtype, bool((a % 2 == 1).all())
    (dtype('uint32'), True)
    """
    gen = np.random.RandomState(seed)
    if scheme == "affine32":
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        return a, b
    if scheme == "legacy":
        pairs = [
            (gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64))
            for _ in range(num_perm)
        ]
        table = np.array(pairs, dtype=np.uint64).T
        return table[0].copy(), table[1].copy()
    raise ValueError(f"unknown MinHash scheme {scheme!r} (expected one of {', '.join(SCHEMES)})")


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer on a uint32 array (multiplications wrap)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def _permuted(hashes: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str) -> np.ndarray:
    """The (num_perm x len(hashes)) matrix of permuted hash values."""
    if scheme == "affine32":
        mixed = fmix32(hashes.astype(np.uint32))
        out = np.multiply(a[:, None], mixed[None, :])
        np.add(out, b[:, None], out=out)
        return out
    with np.errstate(over="ignore"):
        out = np.multiply(a[:, None], hashes.astype(np.uint64)[None, :])
        np.add(out, b[:, None], out=out)
    np.remainder(out, _MERSENNE, out=out)
    np.bitwise_and(out, _MAX32, out=out)
    return out


def signatures(
    keys: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str = "affine32"
) -> np.ndarray:
    """MinHash signatures, one row per set: set ``i`` is ``keys[offsets[i]:offsets[i+1]]``.

    Only the low 32 bits of each key are hashed (datasketch's hash functions are
    32-bit). An empty set gets the all-maximum signature, as an unfed datasketch
    MinHash has.

    >>> a, b = permutations(3)
    >>> sig = signatures(np.array([7, 8, 7], dtype=np.uint64), np.array([0, 2, 2, 3]), a, b)
    >>> sig.shape, bool((sig[1] == 2**32 - 1).all()), bool((sig[0] <= sig[2]).all())
    ((3, 3), True, True)
    """
    dtype = np.uint32 if scheme == "affine32" else np.uint64
    n = len(offsets) - 1
    out = np.full((n, len(a)), np.iinfo(np.uint32).max, dtype=dtype)
    hashes = (keys & _MAX32).astype(np.uint64 if scheme == "legacy" else np.uint32)
    offsets = np.asarray(offsets, dtype=np.int64)
    first = 0
    while first < n:
        # Whole sets per chunk, about _CHUNK_KEYS keys each, so the matrix fits in cache.
        last = int(np.searchsorted(offsets, offsets[first] + _CHUNK_KEYS, side="right")) - 1
        last = min(max(last, first + 1), n)
        lo, hi = int(offsets[first]), int(offsets[last])
        sizes = np.diff(offsets[first:last + 1])
        full = np.flatnonzero(sizes > 0)
        if hi > lo and len(full):
            matrix = _permuted(hashes[lo:hi], a, b, scheme)
            starts = (offsets[first:last] - lo)[full]
            out[first + full] = np.minimum.reduceat(matrix, starts, axis=1).T
        first = last
    return out
