"""MinHash signatures for whole batches of shingle sets, in vectorized numpy.

The permutations and arithmetic follow datasketch's ``MinHash`` so that, for the same
32-bit shingle hashes and seed, a signature is bit-identical to datasketch's:

* ``affine32`` (datasketch >= 2.0 default): the hash is pre-mixed with MurmurHash3's
  32-bit finalizer, then ``a * h + b`` in uint32, where wrap-around *is* the modulo
  2**32 and an odd ``a`` makes each permutation a bijection.
* ``legacy`` (datasketch < 2.0): ``((a * h + b) mod (2**61 - 1)) & (2**32 - 1)`` with
  ``a * h + b`` computed in uint64, wrapping on overflow exactly as datasketch's numpy
  does. The modulo is done with shifts and masks (see :func:`legacy_low32`): numpy's
  uint64 remainder is a hardware division per value, several times slower.

The speed comes from layout: the (permutations x keys) matrix is built
permutation-major, whole sets of many articles at a time (16,000 keys for 128
permutations) into one reused buffer, so the per-set minimum is a ``minimum.reduceat``
over contiguous memory. Sets need not be deduplicated first: a repeated key cannot
change a minimum.

With the compiled core built (:data:`~crosscheck.dedup.shingle.COMPILED_CORE`), affine32
signatures come from it instead: per key one mixed hash, then a vectorized loop over the
permutations into the set's row of minima, with no matrix at all. Same bits.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from crosscheck.dedup.shingle import _CORE

SCHEMES = ("affine32", "legacy")

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
# Matrix cells per chunk, as measured with 128 permutations: affine32 is fastest at 1-2 M
# uint32 cells (numpy's broadcast multiply is 3x slower per value on rows shorter than
# about 3,000 keys); legacy at about 256 K uint64 cells, its many passes being cache-bound.
_CHUNK_CELLS = {"affine32": 1 << 21, "legacy": 1 << 18}


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
    values *= np.uint32(0x85EBCA6B)
    values ^= values >> np.uint32(13)
    values *= np.uint32(0xC2B2AE35)
    values ^= values >> np.uint32(16)
    return values


def legacy_low32(x: np.ndarray, scratch: np.ndarray | None = None) -> np.ndarray:
    """``(x % (2**61 - 1)) & (2**32 - 1)`` of a uint64 array, as uint32, without division.
    ``x`` is overwritten; ``scratch``, if given, is a spare array of its shape.

    ``2**61`` is 1 modulo ``p = 2**61 - 1``, so ``x`` is congruent to ``r = (x & p) +
    (x >> 61)``, at most ``p + 7``. The answer is ``r``, or ``r - p`` when ``r >= p``,
    which has the low 32 bits of ``r + 1`` (``2**61`` is 0 modulo ``2**32``); and
    ``(r + 1) >> 61`` is 1 exactly when ``r >= p``.

    >>> x = np.array([0, 7, 2**61 - 2, 2**61 - 1, 2**61, 2**62 + 5, 2**64 - 8, 2**64 - 1], dtype=np.uint64)
    >>> legacy_low32(x.copy()).tolist() == [(int(v) % (2**61 - 1)) & 0xFFFFFFFF for v in x]
    True
    """
    t = np.empty_like(x) if scratch is None else scratch
    np.right_shift(x, np.uint64(61), out=t)
    x &= _MERSENNE
    x += t
    np.add(x, np.uint64(1), out=t)
    t >>= np.uint64(61)
    x += t
    return x.astype(np.uint32)


def _permuted(
    hashes: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray, spare: np.ndarray | None
) -> np.ndarray:
    """The (num_perm x len(hashes)) matrix of permuted hash values, computed in ``out``;
    uint32 in both schemes, so that the minimum reads half the bytes."""
    np.multiply(a[:, None], hashes[None, :], out=out)
    np.add(out, b[:, None], out=out)
    return out if spare is None else legacy_low32(out, spare)


def _runs(offsets: np.ndarray, keys_per_run: int) -> Iterator[tuple[int, int]]:
    """Runs of whole sets ``[first, last)`` of about ``keys_per_run`` keys; a larger set
    is a run of its own."""
    n = len(offsets) - 1
    first = 0
    while first < n:
        last = int(np.searchsorted(offsets, offsets[first] + keys_per_run, side="right")) - 1
        last = min(max(last, first + 1), n)
        yield first, last
        first = last


def signatures(
    keys: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str = "affine32"
) -> np.ndarray:
    """MinHash signatures, one row per set: set ``i`` is ``keys[offsets[i]:offsets[i+1]]``.

    Only the low 32 bits of each key are hashed (datasketch's hash functions are
    32-bit). An empty set gets the all-maximum signature, as an unfed datasketch
    MinHash has. Repeated keys are harmless: they cannot change a minimum.

    >>> a, b = permutations(3)
    >>> sig = signatures(np.array([7, 8, 7], dtype=np.uint64), np.array([0, 2, 2, 3]), a, b)
    >>> sig.shape, bool((sig[1] == 2**32 - 1).all()), bool((sig[0] <= sig[2]).all())
    ((3, 3), True, True)
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown MinHash scheme {scheme!r} (expected one of {', '.join(SCHEMES)})")
    if scheme == "affine32" and _CORE is not None:
        return _signatures_compiled(keys, offsets, a, b)
    return _signatures_numpy(keys, offsets, a, b, scheme)


def _signatures_compiled(keys: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """affine32 :func:`signatures` by the compiled core. It reads 4- or 8-byte integer keys
    as they are (their low 32 bits); other key types are cast first, as numpy casts them."""
    # The core reads native, contiguous, aligned integers: anything else is copied first.
    offsets = np.require(offsets, np.int64, "CA")
    keys = np.asarray(keys)
    if keys.dtype.kind not in "ui" or keys.dtype.itemsize not in (4, 8):
        keys = keys.astype(np.uint32)
    keys = np.require(keys, keys.dtype.newbyteorder("="), "CA")
    a = np.require(a, np.uint32, "CA")
    b = np.require(b, np.uint32, "CA")
    if len(offsets) < 1:
        raise ValueError("offsets must hold at least one value")
    out = np.empty((len(offsets) - 1, len(a)), dtype=np.uint32)
    _CORE.affine32(keys, offsets, a, b, out)
    return out


def _signatures_numpy(
    keys: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str = "affine32"
) -> np.ndarray:
    """:func:`signatures` in numpy, both schemes: the definition the compiled core must
    match bit for bit."""
    offsets = np.asarray(offsets, dtype=np.int64)
    low = np.asarray(keys).astype(np.uint32)
    if scheme == "affine32":
        work_type, hashes = np.uint32, fmix32(low)
    else:
        work_type, hashes = np.uint64, low.astype(np.uint64)
    a, b = a.astype(work_type, copy=False), b.astype(work_type, copy=False)
    # datasketch keeps legacy signatures as uint64.
    out = np.full((len(offsets) - 1, len(a)), 0xFFFFFFFF, dtype=np.uint32 if scheme == "affine32" else np.uint64)
    keys_per_run = max(1, _CHUNK_CELLS[scheme] // max(1, len(a)))
    work = np.empty(len(a) * min(len(hashes), keys_per_run), dtype=work_type)
    spare = np.empty_like(work) if scheme == "legacy" else None
    for first, last in _runs(offsets, keys_per_run):
        lo, hi = int(offsets[first]), int(offsets[last])
        filled = np.flatnonzero(np.diff(offsets[first:last + 1]) > 0)
        if not len(filled):
            continue
        cells = len(a) * (hi - lo)
        if cells > len(work):
            work = np.empty(cells, dtype=work_type)
            spare = None if spare is None else np.empty_like(work)
        shape = (len(a), hi - lo)
        permuted = _permuted(
            hashes[lo:hi], a, b, work[:cells].reshape(shape), None if spare is None else spare[:cells].reshape(shape)
        )
        out[first + filled] = np.minimum.reduceat(permuted, (offsets[first:last] - lo)[filled], axis=1).T
    return out
