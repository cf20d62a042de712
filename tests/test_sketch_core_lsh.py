"""The compiled core's LSH band keys and anchors are the numpy code's bits, on real text,
awkward and random keys and signatures, and bad arguments raise where numpy fails;
lsh hands the core what it reads, and a whole sketched batch is the same without it."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core_cases import EDGE_TEXTS, bench_sentences, core, core_in_reach, needs_bench, seed_bodies  # noqa: F401
from crosscheck.config import DedupSettings
from crosscheck.dedup import lsh, minhash, shingle
from crosscheck.dedup.engines import Body, sketch_batch
from crosscheck.dedup.minhash import permutations
from crosscheck.dedup.shingle import shingle_forms, unique_sets


# Anchors.


_MIX1, _MIX2, _SALT = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x5BD1E995
_M64 = 2**64 - 1


def _same_anchors(keys, offsets, rate):
    got_keys, got_owners = lsh._anchors_compiled(keys, offsets, rate)
    want_keys, want_owners = lsh._anchors_numpy(keys, offsets, rate)
    assert got_keys.dtype == want_keys.dtype == np.uint64 and got_owners.dtype == want_owners.dtype == np.int64
    assert np.array_equal(got_keys, want_keys)
    assert np.array_equal(got_owners, want_owners)
    assert got_keys.flags.writeable and got_owners.flags.writeable  # as numpy's are
    return got_keys, got_owners


def _unmixed(values: list[int]) -> np.ndarray:
    """The keys whose anchor hash, fmix64(key ^ 0x5BD1E995), is each of ``values``:
    fmix64 undone (a shift by 33 undoes itself, the multipliers are odd)."""
    out = []
    for x in values:
        x ^= x >> 33
        x = (x * pow(_MIX2, -1, 2**64)) & _M64
        x ^= x >> 33
        x = (x * pow(_MIX1, -1, 2**64)) & _M64
        x ^= x >> 33
        out.append(x ^ _SALT)
    return np.array(out, dtype=np.uint64)


RATES = [1, 2, 3, 16, 17, 1024, 1000, 96, 2**32 + 1, 3 * 2**40, 2**63, 2**63 + 1, 2**64 - 1]


@pytest.mark.parametrize("rate", RATES)
def test_anchors_of_the_seeds_equal_numpy(rate):
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(seed_bodies() + EDGE_TEXTS), 5))
    picked, _ = _same_anchors(keys, offsets, rate)
    if rate == 1:
        assert np.array_equal(picked, keys)


@needs_bench
@pytest.mark.parametrize("rate", [3, 16, 17])
def test_anchors_of_the_bench_sentences_equal_numpy(rate):
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(bench_sentences()), 3))
    _same_anchors(keys, offsets, rate)


def test_anchors_of_awkward_sets_and_keys_equal_numpy():
    """Empty sets first, last and between, one long set, keys with high bits, offsets
    that do not start at 0 (numpy counts sets by their sizes), no sets at all."""
    rng = np.random.default_rng(3)
    sizes = [0, 0, 1, 7, 0, 40_000, 15, 16, 17, 3, 0]
    keys = rng.integers(0, 2**64, sum(sizes), dtype=np.uint64)
    keys[:6] = [0, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 0xFFFFFFFF00000000]
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    empty = np.empty(0, dtype=np.uint64)
    for rate in RATES:
        _, owners = _same_anchors(keys, offsets, rate)
        assert not np.isin(owners, [0, 1, 4, 10]).any()
        _same_anchors(keys, offsets + 5, rate)
        _same_anchors(keys, offsets - 2**40, rate)
        _same_anchors(keys[:0], [0], rate)
        _same_anchors(empty, [7, 7, 7], rate)
        _same_anchors(empty, np.empty(0, dtype=np.int64), rate)


@pytest.mark.parametrize("rate", RATES)
def test_anchor_hashes_at_the_edges_of_multiples(rate):
    """Keys whose hash is 0, a multiple of the rate, one off it either way, the largest
    multiple below 2**64, 2**64 - 1: the core tests divisibility without dividing."""
    top = _M64 // rate * rate
    hashes = {0, 1, _M64, top, top - 1, min(top + 1, _M64), rate - 1, rate % 2**64, (rate + 1) % 2**64}
    for m in (1, 2, 3, 5, 2**31, _M64 // rate - 1, _M64 // rate // 2):
        if 0 < m <= _M64 // rate:
            hashes |= {m * rate, m * rate - 1, min(m * rate + 1, _M64)}
    hashes = sorted(hashes)
    keys = _unmixed(hashes)
    assert shingle.fmix64(keys ^ np.uint64(_SALT)).tolist() == hashes
    picked, _ = _same_anchors(keys, [0, len(keys)], rate)
    assert set(picked.tolist()) == {int(k) for k, h in zip(keys, hashes) if h % rate == 0}


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 2**64 - 1), max_size=300),
    cuts=st.lists(st.integers(0, 300), max_size=12),
    start=st.integers(-(2**40), 2**40),
    rate=st.integers(1, 40) | st.sampled_from(RATES) | st.integers(1, 2**64 - 1),
)
def test_random_sets_give_numpys_anchors(keys, cuts, start, rate):
    keys = np.array(keys, dtype=np.uint64)
    offsets = np.array(sorted(min(c, len(keys)) for c in [0, *cuts, len(keys)]), dtype=np.int64)
    _same_anchors(keys, offsets, rate)
    _same_anchors(keys, offsets + start, rate)


def test_bad_anchor_arguments_raise_where_numpy_fails():
    keys = np.arange(10, dtype=np.uint64)
    for offsets in ([0, 11], [0, 9], [3, 2, 10], [1, 5], [], [0]):
        with pytest.raises((ValueError, IndexError, TypeError)):  # [] is float64 to numpy
            lsh._anchors_numpy(keys, offsets, 16)
        with pytest.raises(ValueError):
            lsh._anchors_compiled(keys, offsets, 16)
    for rate in (0, -1, -16):  # numpy: np.uint64 of a negative number
        with pytest.raises((ValueError, OverflowError)):
            lsh._anchors_numpy(keys, [0, 10], rate)
        with pytest.raises(ValueError):
            lsh._anchors_compiled(keys, [0, 10], rate)
    with pytest.raises(OverflowError):
        lsh._anchors_compiled(keys, [0, 10], 2**64)
    with pytest.raises(TypeError):
        lsh._anchors_compiled(keys, [0, 10], 16.0)
    for bad in (np.arange(10, dtype=np.int64), np.arange(10, dtype=np.uint32), np.arange(10.0), b"01234567"):
        with pytest.raises(ValueError):
            core.anchors(bad, np.array([0, len(bad)], dtype=np.int64), 16)
    with pytest.raises(ValueError):
        core.anchors(keys, np.array([0, 10], dtype=np.int32), 16)
    with pytest.raises((TypeError, BufferError)):
        core.anchors([1, 2], np.array([0, 2], dtype=np.int64), 16)
    with pytest.raises(TypeError):
        core.anchors(keys, np.array([0, 10], dtype=np.int64))


# Band keys.


def _same_band_keys(sig, bands, rows):
    got = lsh._band_keys_compiled(sig, bands, rows)
    want = lsh._band_keys_numpy(sig, bands, rows)
    assert got.dtype == want.dtype == np.uint64 and got.shape == want.shape == (len(sig), bands)
    assert np.array_equal(got, want)
    return got


LAYOUTS = [(17, 7), (9, 13), (25, 5), (1, 128), (128, 1), (3, 42), (10, 12), (1, 1), (0, 5), (5, 0), (0, 0)]


@pytest.mark.parametrize("bands,rows", LAYOUTS)
def test_band_keys_of_the_seeds_equal_numpy(bands, rows):
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(seed_bodies() + EDGE_TEXTS), 5))
    for scheme in minhash.SCHEMES:  # uint32 (affine32) and uint64 (legacy) signatures
        a, b = permutations(128, 1, scheme)
        sig = minhash._signatures_numpy(keys, offsets, a, b, scheme)
        assert sig.dtype == (np.uint32 if scheme == "affine32" else np.uint64)
        _same_band_keys(sig, bands, rows)
        _same_band_keys(sig[:0], bands, rows)  # no articles


@needs_bench
def test_band_keys_of_the_bench_sentences_equal_numpy():
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(bench_sentences()), 5))
    sig = minhash._signatures_compiled(keys, offsets, *permutations(128, 1))
    _same_band_keys(sig, 17, 7)


@pytest.mark.parametrize("num_perm", [1, 2, 7, 64, 256])
def test_band_keys_of_random_signatures_equal_numpy(num_perm):
    """High bits in uint64 values (legacy ones never have them, widened ones of any
    kind do), every layout that fits, views and other byte orders through band_keys."""
    rng = np.random.default_rng(num_perm)
    wide = rng.integers(0, 2**64, (40, num_perm), dtype=np.uint64)
    wide[0] = 2**64 - 1
    wide[1] = 0
    for sig in (wide, wide.astype(np.uint32)):
        for rows in sorted({1, 2, 3, num_perm // 3 or 1, num_perm}):
            for bands in sorted({0, min(1, num_perm // rows), num_perm // rows}):
                want = _same_band_keys(sig, bands, rows)
                assert np.array_equal(lsh.band_keys(sig, bands, rows), want)
                assert np.array_equal(lsh.band_keys(sig[::-2], bands, rows), want[::-2])
                swapped = sig.astype(sig.dtype.newbyteorder())
                assert np.array_equal(lsh.band_keys(swapped, bands, rows), want)
                assert np.array_equal(lsh.band_keys(np.asfortranarray(sig), bands, rows), want)


@settings(max_examples=300, deadline=None)
@given(
    sig=st.integers(0, 6).flatmap(lambda n: st.integers(1, 40).flatmap(lambda p: st.lists(
        st.lists(st.integers(0, 2**64 - 1), min_size=p, max_size=p), min_size=n, max_size=n
    ).map(lambda rows: np.array(rows, dtype=np.uint64).reshape(n, p)))),
    rows=st.integers(0, 40),
    bands=st.integers(0, 40),
    narrow=st.booleans(),
)
def test_random_signatures_give_numpys_band_keys(sig, rows, bands, narrow):
    if narrow:
        sig = sig.astype(np.uint32)
    bands = min(bands, sig.shape[1] // rows) if rows else bands
    _same_band_keys(sig, bands, rows)


def test_bad_band_layouts_raise_where_numpy_fails():
    sig = np.zeros((4, 16), dtype=np.uint32)
    for bands, rows in ((3, 6), (17, 1), (1, 17), (-1, 4)):
        with pytest.raises((ValueError, IndexError)):
            lsh._band_keys_numpy(sig, bands, rows)
        with pytest.raises(ValueError):
            lsh._band_keys_compiled(sig, bands, rows)
    with pytest.raises(ValueError):
        lsh._band_keys_compiled(sig, 2, -1)  # numpy has no rows to hash: constant keys
    with pytest.raises(ValueError):
        lsh._band_keys_compiled(sig[0], 2, 4)
    with pytest.raises(OverflowError):
        lsh._band_keys_compiled(sig, 2, 2**70)


@pytest.mark.parametrize("over", [
    {"sig": np.zeros((4, 16), dtype=np.int32)},
    {"sig": np.zeros((4, 16), dtype=np.int64)},
    {"sig": np.zeros((4, 16), dtype=np.uint16)},
    {"sig": np.zeros((4, 16), dtype=np.float64)},
    {"sig": np.zeros(64, dtype=np.uint32)},
    {"sig": np.zeros((4, 32), dtype=np.uint32)[:, ::2]},
    {"sig": np.zeros((4, 16), dtype=">u4" if sys.byteorder == "little" else "<u4")},
    {"out": np.empty((4, 3), dtype=np.uint64)},
    {"out": np.empty((4, 2), dtype=np.int64)},
    {"out": np.empty((4, 4), dtype=np.uint32)},
    {"out": np.empty((4, 4), dtype=np.uint64)[:, ::2]},
    {"bands": 9},
    {"bands": -1},
    {"rows": -1},
])
def test_bad_band_buffers_raise_value_error(over):
    args = {"sig": np.zeros((4, 16), dtype=np.uint32), "bands": 2, "rows": 8, "out": np.empty((4, 2), dtype=np.uint64)}
    args.update(over)
    with pytest.raises(ValueError):
        core.band_keys(*args.values())


def test_band_keys_into_a_read_only_buffer_raise():
    with pytest.raises((TypeError, BufferError)):
        core.band_keys(np.zeros((4, 16), dtype=np.uint32), 2, 8, bytes(64))
    with pytest.raises(TypeError):
        core.band_keys(np.zeros((4, 16), dtype=np.uint32), 2, 8)


# Which path lsh takes, and the whole pipeline.


def test_lsh_hands_the_core_what_it_reads_and_numpy_the_rest(monkeypatch):
    calls = []
    for name in ("_anchors_numpy", "_band_keys_numpy"):
        real = getattr(lsh, name)
        monkeypatch.setattr(lsh, name, lambda *args, real=real, name=name: calls.append(name) or real(*args))
    keys = np.random.default_rng(1).integers(0, 2**64, 200, dtype=np.uint64)
    for offsets in ([0, 50, 200], np.array([0, 50, 200], dtype=np.int32), np.array([0, 50, 200], dtype=np.uint16)):
        lsh.anchors(keys, offsets, 3)
    sig = keys.reshape(10, 20)
    for s in (sig, sig.astype(np.uint32), sig[:, ::2], sig.astype(">u8")):
        lsh.band_keys(s, 2, 5)
    assert calls == []
    lsh.anchors(keys.astype(np.uint32), [0, 200], 3)  # numpy keeps the keys' dtype
    with pytest.raises(TypeError):  # np.repeat takes no uint64 counts
        lsh.anchors(keys, np.array([0, 200], dtype=np.uint64), 3)
    lsh.band_keys(sig.astype(np.int64), 2, 5)  # widened by sign in numpy
    lsh.band_keys(sig.astype(np.uint16), 2, 5)
    assert calls == ["_anchors_numpy"] * 2 + ["_band_keys_numpy"] * 2
    assert np.array_equal(lsh.band_keys(sig.astype(np.int64), 2, 5), lsh._band_keys_numpy(sig.astype(np.int64), 2, 5))


@pytest.mark.parametrize("scheme", minhash.SCHEMES)
def test_sketch_batch_is_the_same_without_the_core(monkeypatch, scheme):
    settings_ = DedupSettings(scheme=scheme, anchor_rate=3)
    bodies = [Body(str(i), t) for i, t in enumerate(seed_bodies() + EDGE_TEXTS)]
    got = sketch_batch(bodies, settings_)
    for module in (shingle, minhash, lsh):
        monkeypatch.setattr(module, "_CORE", None)
    monkeypatch.setattr(shingle, "_CORE_FOLDS", None)
    monkeypatch.setattr(shingle, "_fast_keys", shingle._fast_keys_numpy)
    want = sketch_batch(bodies, settings_)
    for field in ("signatures", "set_keys", "set_offsets", "anchor_keys", "anchor_owners", "band_keys"):
        assert getattr(got, field).dtype == getattr(want, field).dtype
        assert np.array_equal(getattr(got, field), getattr(want, field)), field
    assert len(got.anchor_keys) > 0


def test_threads_share_anchors_and_band_keys():
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(seed_bodies()) * 20, 5))
    sig = minhash._signatures_compiled(keys, offsets, *permutations(128, 1))
    alone = lsh._anchors_compiled(keys, offsets, 3), lsh._band_keys_compiled(sig, 17, 7)

    def both(_):
        return lsh._anchors_compiled(keys, offsets, 3), lsh._band_keys_compiled(sig, 17, 7)

    with ThreadPoolExecutor(4) as pool:
        for (picked, owners), bands in pool.map(both, range(8)):
            assert np.array_equal(picked, alone[0][0]) and np.array_equal(owners, alone[0][1])
            assert np.array_equal(bands, alone[1])
