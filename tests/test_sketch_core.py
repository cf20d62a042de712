"""The compiled core (``crosscheck.dedup._sketchcore``) gives the numpy code's bits: fast
shingle keys and offsets and affine32 MinHash signatures, on real text, on awkward text
and keys, and on random ones; which code runs is decided as documented; and bad
arguments or buffers raise instead of crashing. (Band keys and anchors:
``test_sketch_core_lsh.py``.)"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crosscheck
from core_cases import (  # noqa: F401  (core_in_reach: a fixture, used by being here)
    DISABLED, EDGE_TEXTS, SEPARATORS, bench_sentences, core, core_in_reach, needs_bench, seed_bodies,
)
from crosscheck.dedup import lsh, minhash, shingle
from crosscheck.dedup.minhash import permutations
from crosscheck.dedup.shingle import fast_hash32, shingle_forms, shingle_text, unique_sets


def _same_keys(texts, size):
    keys, offsets = shingle._fast_keys_compiled(texts, size)
    want_keys, want_offsets = shingle._fast_keys_numpy(texts, size)
    assert keys.dtype == want_keys.dtype == np.uint64 and offsets.dtype == want_offsets.dtype == np.int64
    assert np.array_equal(offsets, want_offsets)
    assert np.array_equal(keys, want_keys)
    assert keys.flags.writeable and offsets.flags.writeable  # as numpy's are
    return keys, offsets


def _same_signatures(keys, offsets, a, b):
    got = minhash._signatures_compiled(keys, offsets, a, b)
    want = minhash._signatures_numpy(keys, offsets, a, b, "affine32")
    assert got.dtype == want.dtype == np.uint32 and got.shape == want.shape
    assert np.array_equal(got, want)
    return got


# Which code runs.


def test_the_core_is_in_use_unless_it_is_switched_off():
    assert shingle.COMPILED_CORE is not DISABLED
    # Read at import: the module-level functions chose their path then.
    assert (shingle._fast_keys is shingle._fast_keys_compiled) is not DISABLED


@pytest.mark.parametrize("value,expected", [("1", False), ("0", True), ("", True)])
def test_the_environment_variable_forces_the_numpy_code(value, expected):
    env = {**os.environ, "CROSSCHECK_NO_COMPILED_CORE": value,
           "PYTHONPATH": os.pathsep.join([str(Path(crosscheck.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    code = "from crosscheck.dedup import shingle; print(shingle.COMPILED_CORE)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(expected)


def test_a_build_from_older_source_is_not_used(monkeypatch):
    """The module is built in place and a failed rebuild keeps the old one: a build
    without this source's version, or missing a function, leaves the work to numpy."""
    from types import ModuleType

    stale = ModuleType("crosscheck.dedup._sketchcore")
    stale.fast_keys, stale.affine32 = core.fast_keys, core.affine32  # what the first build had
    monkeypatch.setitem(sys.modules, "crosscheck.dedup._sketchcore", stale)
    monkeypatch.setattr(sys.modules["crosscheck.dedup"], "_sketchcore", stale)
    monkeypatch.delenv("CROSSCHECK_NO_COMPILED_CORE", raising=False)
    assert shingle._compiled_core() is None
    stale.band_keys, stale.anchors, stale.CORE_VERSION = core.band_keys, core.anchors, shingle.CORE_VERSION - 1
    assert shingle._compiled_core() is None
    stale.CORE_VERSION = shingle.CORE_VERSION
    assert shingle._compiled_core() is stale
    assert core.CORE_VERSION == shingle.CORE_VERSION


def test_cpython_up_to_3_13_builds_the_core_with_folding():
    """Py_UNICODE_TOLOWER is in the headers of CPython 3.10-3.13; without it a build
    leaves folding to Python (see the next test)."""
    if sys.version_info < (3, 14):
        assert hasattr(core, "fold_table") and hasattr(core, "folded_utf8")


def test_a_core_without_folding_leaves_it_to_python(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(shingle, "_CORE", SimpleNamespace(fast_keys=core.fast_keys, affine32=core.affine32))
    assert shingle._core_fold_table() is None
    monkeypatch.setattr(shingle, "_CORE_FOLDS", None)
    bodies = seed_bodies() + EDGE_TEXTS
    keys, offsets = shingle.body_keys(bodies, 5, "fast")
    want_keys, want_offsets = shingle._fast_keys_numpy(shingle_forms(bodies), 5)
    assert np.array_equal(keys, want_keys) and np.array_equal(offsets, want_offsets)


# Fast keys.


@pytest.mark.parametrize("size", [1, 2, 3, 5, 9, 40])
def test_keys_of_the_seeds_equal_numpy(size):
    bodies = seed_bodies()
    _same_keys(shingle_forms(bodies), size)
    _same_keys([shingle_text(b) for b in bodies], size)
    _same_keys(bodies, size)  # raw: capitals, curly quotes, paragraph breaks


@needs_bench
@pytest.mark.parametrize("size", [1, 3, 5])
def test_keys_of_the_bench_sentences_equal_numpy(size):
    sentences = bench_sentences()
    assert len(sentences) > 10_000
    _same_keys(shingle_forms(sentences), size)


@needs_bench
def test_fast_keys_batch_is_the_same_on_both_paths_across_many_groups(monkeypatch):
    texts = shingle_forms(bench_sentences()[:3000] + seed_bodies())
    monkeypatch.setattr(shingle, "_GROUP_CHARS", 1 << 12)  # dozens of groups
    monkeypatch.setattr(shingle, "_fast_keys", shingle._fast_keys_compiled)
    keys, offsets = shingle.fast_keys_batch(texts, 5)
    monkeypatch.setattr(shingle, "_fast_keys", shingle._fast_keys_numpy)
    want_keys, want_offsets = shingle.fast_keys_batch(texts, 5)
    assert np.array_equal(offsets, want_offsets) and np.array_equal(keys, want_keys)




@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
def test_keys_of_awkward_texts_equal_numpy_together_and_alone(size):
    _same_keys(EDGE_TEXTS, size)
    for text in EDGE_TEXTS:
        _same_keys([text], size)


@pytest.mark.parametrize("texts", [[], [""], ["", ""], [" \t\n"], ["", "a", ""]])
def test_empty_batches_and_empty_texts(texts):
    keys, offsets = _same_keys(texts, 5)
    assert offsets.tolist()[0] == 0 and len(offsets) == len(texts) + 1


def test_a_text_shorter_than_a_shingle_is_one_key_of_all_its_words():
    keys, offsets = _same_keys(["a b", "a b c", ""], 5)
    assert offsets.tolist() == [0, 1, 2, 2]
    from crosscheck.dedup.shingle import fast_key

    assert keys.tolist() == [fast_key(b"a b"), fast_key(b"a b c")]


def test_a_huge_shingle_size_is_one_key_per_text():
    keys, offsets = shingle._fast_keys_compiled(["a b c", "", "d"], 10**15)
    want, want_offsets = shingle._fast_keys_numpy(["a b c", "", "d"], 50)
    assert np.array_equal(keys, want) and np.array_equal(offsets, want_offsets)


def test_texts_may_be_any_sequence_of_str():
    _same_keys(("a b c", "d e"), 2)
    keys, offsets = shingle._fast_keys_compiled(["a b c", "d e"], 2)
    assert core.fast_keys(iter(["a b c", "d e"]), 2)[0] == keys.tobytes()


def test_bad_texts_and_sizes_raise():
    with pytest.raises(TypeError):
        core.fast_keys(["fine", b"bytes"], 5)
    with pytest.raises(TypeError):
        core.fast_keys(["fine", None], 5)
    with pytest.raises(TypeError):
        core.fast_keys(5, 5)
    with pytest.raises(TypeError):
        core.fast_keys(["a"], 2.5)
    with pytest.raises(UnicodeEncodeError):  # as str.encode("utf-8") raises
        core.fast_keys(["lone \ud800 surrogate"], 5)
    for size in (0, -1):
        with pytest.raises(ValueError):
            core.fast_keys(["a b"], size)
        for path in (shingle._fast_keys_compiled, shingle._fast_keys_numpy):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(shingle, "_fast_keys", path)
                with pytest.raises(ValueError):
                    shingle.fast_keys_batch(["a b"], size)


def test_threads_share_the_core():
    """The loops run without the GIL; threads at once get the same keys as one alone."""
    texts = shingle_forms(seed_bodies()) * 20
    alone = shingle._fast_keys_compiled(texts, 5)
    with ThreadPoolExecutor(4) as pool:
        for keys, offsets in pool.map(lambda _: shingle._fast_keys_compiled(texts, 5), range(8)):
            assert np.array_equal(keys, alone[0]) and np.array_equal(offsets, alone[1])


WORDS = st.text(
    alphabet=st.sampled_from(list("abcxyz09") + ["\x00", "\x01", "\x7f", "é", "ж", "€", "😀", "\u00a0"]),
    min_size=1, max_size=30,
)
TEXTS = st.lists(
    st.tuples(st.lists(WORDS, max_size=12), st.lists(st.sampled_from(list(SEPARATORS)), min_size=1, max_size=3)),
    max_size=6,
).map(lambda parts: ["".join(sep).join(words) for words, sep in parts])


ANY_TEXTS = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=6)


@settings(max_examples=300, deadline=None)
@given(texts=TEXTS | ANY_TEXTS, size=st.integers(1, 7))
def test_random_texts_give_numpys_keys(texts, size):
    _same_keys(texts, size)


# affine32 signatures.


@pytest.mark.parametrize("num_perm", [1, 2, 7, 128, 256])
def test_signatures_of_the_seeds_equal_numpy(num_perm):
    keys, offsets = shingle._fast_keys_compiled(shingle_forms(seed_bodies() + EDGE_TEXTS), 5)
    a, b = permutations(num_perm, 1)
    _same_signatures(keys, offsets, a, b)
    _same_signatures(*unique_sets(keys, offsets), a, b)


@needs_bench
def test_signatures_of_the_bench_sentences_equal_numpy():
    keys, offsets = shingle._fast_keys_compiled(shingle_forms(bench_sentences()), 3)
    a, b = permutations(128, 7)
    _same_signatures(keys, offsets, a, b)


def test_signatures_of_awkward_sets_and_keys_equal_numpy():
    """Empty sets among full ones, a set longer than numpy's chunk, keys with high bits,
    sets that start after 0 and keys nobody owns."""
    rng = np.random.default_rng(11)
    sizes = [0, 1, 7, 8, 9, 0, 0, 40_000, 15, 16, 17, 3, 0]
    keys = rng.integers(0, 2**64, sum(sizes) + 5, dtype=np.uint64)
    keys[:6] = [0, 2**32 - 1, 2**32, 2**63, 2**64 - 1, 0xFFFFFFFF00000000]
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    for num_perm in (1, 3, 64, 256):
        a, b = permutations(num_perm, num_perm)
        sig = _same_signatures(keys, offsets, a, b)
        assert (sig[[0, 5, 6, 12]] == 0xFFFFFFFF).all()
        _same_signatures(keys, offsets[3:], a, b)  # offsets that do not start at 0
        _same_signatures(keys, [0, 0], a, b)
        _same_signatures(keys, [5], a, b)  # no sets at all
        _same_signatures(np.empty(0, dtype=np.uint64), [0, 0, 0], a, b)


@pytest.mark.parametrize("dtype", [np.uint64, np.int64, np.uint32, np.int32, np.int16, np.uint8, np.float64])
def test_keys_of_any_dtype_are_read_as_numpy_reads_them(dtype):
    base = np.random.default_rng(5).integers(0, 2**64, 500, dtype=np.uint64)
    keys = (base % 100_000).astype(dtype) if np.dtype(dtype).kind == "f" else base.astype(dtype)
    a, b = permutations(32, 2)
    _same_signatures(keys, [0, 100, 100, 499, 500], a, b)
    _same_signatures(keys[::3], [0, 100, 166], a, b)  # not contiguous
    _same_signatures(keys.astype(keys.dtype.newbyteorder()), [0, 250, 500], a, b)  # not native order


def test_signatures_equal_datasketch_given_the_fast_hash():
    datasketch = pytest.importorskip("datasketch", reason="datasketch is the reference (dev extra)")
    texts = [shingle_text(b) for b in seed_bodies()] + [t for t in EDGE_TEXTS if shingle_text(t) == t]
    keys, offsets = shingle._fast_keys_compiled(texts, 5)
    a, b = permutations(128, 1)
    ours = minhash._signatures_compiled(keys, offsets, a, b)
    for row, text in zip(ours, texts):
        words = text.split()
        m = datasketch.MinHash(num_perm=128, seed=1, hashfunc=fast_hash32)
        m.update_batch([" ".join(words[i:i + 5]).encode() for i in range(max(1, len(words) - 4))] if words else [])
        assert np.array_equal(row, m.hashvalues)


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(st.integers(0, 2**64 - 1), max_size=300),
    cuts=st.lists(st.integers(0, 300), max_size=12),
    num_perm=st.integers(1, 40),
    seed=st.integers(0, 2**31),
)
def test_random_sets_give_numpys_signatures(keys, cuts, num_perm, seed):
    keys = np.array(keys, dtype=np.uint64)
    offsets = np.array(sorted(min(c, len(keys)) for c in [0, *cuts, len(keys)]), dtype=np.int64)
    a, b = permutations(num_perm, seed)
    _same_signatures(keys, offsets, a, b)


def _args(**over):
    args = {
        "keys": np.arange(10, dtype=np.uint64),
        "offsets": np.array([0, 4, 10], dtype=np.int64),
        "a": np.ones(8, dtype=np.uint32),
        "b": np.zeros(8, dtype=np.uint32),
        "out": np.empty((2, 8), dtype=np.uint32),
    }
    args.update(over)
    return list(args.values())


@pytest.mark.parametrize("over", [
    {"keys": np.arange(10, dtype=np.uint16)},
    {"keys": np.arange(10, dtype=np.float64)},
    {"keys": b"0123456789abcdef"},
    {"offsets": np.array([0, 4, 10], dtype=np.int32)},
    {"offsets": np.array([0, 4, 10], dtype=np.float64)},
    {"offsets": np.array([], dtype=np.int64), "out": np.empty(0, dtype=np.uint32)},
    {"offsets": np.array([0, 11], dtype=np.int64), "out": np.empty(8, dtype=np.uint32)},
    {"offsets": np.array([-1, 4], dtype=np.int64), "out": np.empty(8, dtype=np.uint32)},
    {"offsets": np.array([0, 5, 4], dtype=np.int64)},
    {"a": np.ones(8, dtype=np.uint64)},
    {"a": np.ones(7, dtype=np.uint32)},
    {"b": np.zeros(9, dtype=np.uint32)},
    {"out": np.empty((2, 7), dtype=np.uint32)},
    {"out": np.empty((3, 8), dtype=np.uint32)},
    {"out": np.empty((2, 8), dtype=np.uint64)},
    {"out": np.empty((2, 16), dtype=np.uint32)[:, ::2]},
])
def test_bad_buffers_raise_value_error(over):
    with pytest.raises(ValueError):
        core.affine32(*_args(**over))


@pytest.mark.parametrize("over", [
    {"keys": [1, 2, 3]},
    {"offsets": [0, 4, 10]},
    {"a": None},
    {"out": bytes(64)},  # read-only
])
def test_objects_that_are_not_the_right_buffers_raise(over):
    with pytest.raises((TypeError, BufferError)):
        core.affine32(*_args(**over))


def test_bad_offsets_through_signatures_raise():
    a, b = permutations(4)
    keys = np.arange(10, dtype=np.uint64)
    for offsets in ([0, 11], [3, 2], [-1, 2]):
        with pytest.raises(ValueError):
            minhash._signatures_compiled(keys, offsets, a, b)
    with pytest.raises(ValueError):
        minhash._signatures_compiled(keys, [], a, b)
    with pytest.raises(TypeError):
        core.affine32(*_args()[:4])


# Buffers the core must not read through typed pointers as they are.


def _unaligned(values: np.ndarray) -> np.ndarray:
    """``values`` copied to a buffer at an odd byte offset: contiguous, not aligned."""
    raw = np.zeros(values.nbytes + 1, dtype=np.uint8)
    view = raw[1:].view(values.dtype).reshape(values.shape)
    view[...] = values
    assert not view.flags.aligned
    return view


def test_unaligned_arrays_are_copied_by_the_wrappers_and_refused_by_the_core():
    sets, offsets = unique_sets(*shingle._fast_keys_compiled([shingle_text(t) for t in seed_bodies()], 5))
    a, b = permutations(64)
    want = minhash._signatures_numpy(sets, offsets, a, b, "affine32")
    got = minhash._signatures_compiled(_unaligned(sets), _unaligned(offsets), _unaligned(a), _unaligned(b))
    assert np.array_equal(got, want)
    assert all(np.array_equal(x, y) for x, y in zip(lsh._anchors_compiled(_unaligned(sets), offsets, 16),
                                                     lsh._anchors_numpy(sets, offsets, 16)))
    assert np.array_equal(lsh._band_keys_compiled(_unaligned(want), 9, 7), lsh._band_keys_numpy(want, 9, 7))
    out = np.empty((len(offsets) - 1, len(a)), dtype=np.uint32)
    with pytest.raises(ValueError, match="aligned"):
        core.affine32(_unaligned(sets), offsets, a, b, out)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="maps terabytes of zero pages read-only")
def test_sizes_whose_product_overflows_raise_instead_of_writing_past_the_output():
    """2**24 sets of 2**40 permutations: the product wraps to 0 in 64 bits, which an
    empty output would match. Zero pages mapped read-only cost no memory."""
    import mmap

    def zeros(size: int) -> mmap.mmap:
        # MAP_NORESERVE (0x4000 on Linux; Python names it from 3.12 on) never commits memory.
        flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0x4000)
        return mmap.mmap(-1, size, flags=flags, prot=mmap.PROT_READ)

    sets, perms = 2**24, 2**40
    offsets = np.frombuffer(zeros(8 * (sets + 1)), np.int64)
    a = np.frombuffer(zeros(4 * perms), np.uint32)
    with pytest.raises(ValueError, match="too many"):
        core.affine32(np.empty(0, np.uint64), offsets, a, a, np.empty(0, np.uint32))


def test_a_bad_folding_table_names_the_character_in_hex():
    with pytest.raises(ValueError, match=r"U\+0009"):
        core.fold_table({}, "\t")
