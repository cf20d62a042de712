"""The compiled core (``crosscheck.dedup._sketchcore``) gives the numpy code's bits: fast
shingle keys and offsets, affine32 MinHash signatures, LSH band keys and anchors, on real
text, on awkward text and keys, and on random ones; and bad arguments raise instead of
crashing."""

from __future__ import annotations

import csv
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
from crosscheck.config import DedupSettings
from crosscheck.dedup import lsh, minhash, shingle
from crosscheck.dedup.engines import Body, sketch_batch
from crosscheck.dedup.minhash import permutations
from crosscheck.dedup.shingle import fast_hash32, shingle_forms, shingle_text, unique_sets

core = pytest.importorskip(
    "crosscheck.dedup._sketchcore",
    reason="the compiled core is not built (setup.py build_ext --inplace, or pip install -e .)",
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
BENCH = SHARED / "bench"
DISABLED = os.environ.get("CROSSCHECK_NO_COMPILED_CORE", "").strip() not in ("", "0")


@pytest.fixture(autouse=True, scope="module")
def _core_in_reach():
    """The compiled wrappers work here even under CROSSCHECK_NO_COMPILED_CORE=1."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shingle, "_CORE", core)
        patch.setattr(minhash, "_CORE", core)
        patch.setattr(lsh, "_CORE", core)
        yield


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


def _seed_bodies() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _bench_sentences() -> list[str]:
    out = []
    with (BENCH / "msr_paraphrase_train.txt").open(encoding="utf-8-sig") as f:
        next(f)
        out += [s for line in f for s in line.rstrip("\n").split("\t")[3:5]]
    for name in ("sts-train.csv", "sts-dev.csv"):
        with (BENCH / name).open(encoding="utf-8") as f:
            out += [s for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) for s in row[5:7]]
    return out


needs_bench = pytest.mark.skipif(
    not (BENCH / "msr_paraphrase_train.txt").is_file() or not (BENCH / "sts-train.csv").is_file(),
    reason=f"{BENCH} not found (the shared bench data stands beside the repo)",
)


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
    bodies = _seed_bodies() + EDGE_TEXTS
    keys, offsets = shingle.body_keys(bodies, 5, "fast")
    want_keys, want_offsets = shingle._fast_keys_numpy(shingle_forms(bodies), 5)
    assert np.array_equal(keys, want_keys) and np.array_equal(offsets, want_offsets)


# Fast keys.


@pytest.mark.parametrize("size", [1, 2, 3, 5, 9, 40])
def test_keys_of_the_seeds_equal_numpy(size):
    bodies = _seed_bodies()
    _same_keys(shingle_forms(bodies), size)
    _same_keys([shingle_text(b) for b in bodies], size)
    _same_keys(bodies, size)  # raw: capitals, curly quotes, paragraph breaks


@needs_bench
@pytest.mark.parametrize("size", [1, 3, 5])
def test_keys_of_the_bench_sentences_equal_numpy(size):
    sentences = _bench_sentences()
    assert len(sentences) > 10_000
    _same_keys(shingle_forms(sentences), size)


@needs_bench
def test_fast_keys_batch_is_the_same_on_both_paths_across_many_groups(monkeypatch):
    texts = shingle_forms(_bench_sentences()[:3000] + _seed_bodies())
    monkeypatch.setattr(shingle, "_GROUP_CHARS", 1 << 12)  # dozens of groups
    monkeypatch.setattr(shingle, "_fast_keys", shingle._fast_keys_compiled)
    keys, offsets = shingle.fast_keys_batch(texts, 5)
    monkeypatch.setattr(shingle, "_fast_keys", shingle._fast_keys_numpy)
    want_keys, want_offsets = shingle.fast_keys_batch(texts, 5)
    assert np.array_equal(offsets, want_offsets) and np.array_equal(keys, want_keys)


SEPARATORS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
EDGE_TEXTS = [
    "",
    " ",
    SEPARATORS,
    SEPARATORS * 3 + "word" + SEPARATORS,
    "one",
    "two words",
    "a b c d",
    "x",
    "x ",
    " x",
    "".join(f"w{i}{sep}" for i, sep in enumerate(SEPARATORS)),
    # Words around the 8-byte chunks: 7, 8, 9, 15, 16, 17, 23, 24, 25 and 64 bytes.
    " ".join("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?"[:n] for n in (7, 8, 9, 15, 16, 17, 23, 24, 25, 64)),
    "abcdefgh",
    "abcdefghijklmnop",
    "abcdefghijklmnopqrstuvwx",
    "a abcdefghi",
    "abcdefghijklmnopq a",
    # Bytes below 0x21 that are not separators stay inside words.
    "ctrl\x00nul \x01start end\x7f mid\x1bdle \x0e\x0f\x10 \x08",
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00 \x01",
    "путин заявил что одкб «играет стабилизирующую роль»",
    "\u201cquoted\u201d \u2018single\u2019 \u2014 dash\u2026",
    "emoji 😀 🇺🇦 👩‍👩‍👧 mixed😀text ‹›",
    "été λόγος 中文字符串 한국어",
    "\u00a0nbsp\u00a0is\u00a0not\u00a0an\u00a0ascii\u00a0space \u2003em",
    "the same five words here the same five words here",
]


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
    texts = shingle_forms(_seed_bodies()) * 20
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
    keys, offsets = shingle._fast_keys_compiled(shingle_forms(_seed_bodies() + EDGE_TEXTS), 5)
    a, b = permutations(num_perm, 1)
    _same_signatures(keys, offsets, a, b)
    _same_signatures(*unique_sets(keys, offsets), a, b)


@needs_bench
def test_signatures_of_the_bench_sentences_equal_numpy():
    keys, offsets = shingle._fast_keys_compiled(shingle_forms(_bench_sentences()), 3)
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
    texts = [shingle_text(b) for b in _seed_bodies()] + [t for t in EDGE_TEXTS if shingle_text(t) == t]
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
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(_seed_bodies() + EDGE_TEXTS), 5))
    picked, _ = _same_anchors(keys, offsets, rate)
    if rate == 1:
        assert np.array_equal(picked, keys)


@needs_bench
@pytest.mark.parametrize("rate", [3, 16, 17])
def test_anchors_of_the_bench_sentences_equal_numpy(rate):
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(_bench_sentences()), 3))
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
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(_seed_bodies() + EDGE_TEXTS), 5))
    for scheme in minhash.SCHEMES:  # uint32 (affine32) and uint64 (legacy) signatures
        a, b = permutations(128, 1, scheme)
        sig = minhash._signatures_numpy(keys, offsets, a, b, scheme)
        assert sig.dtype == (np.uint32 if scheme == "affine32" else np.uint64)
        _same_band_keys(sig, bands, rows)
        _same_band_keys(sig[:0], bands, rows)  # no articles


@needs_bench
def test_band_keys_of_the_bench_sentences_equal_numpy():
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(_bench_sentences()), 5))
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
    bodies = [Body(str(i), t) for i, t in enumerate(_seed_bodies() + EDGE_TEXTS)]
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
    keys, offsets = unique_sets(*shingle._fast_keys_compiled(shingle_forms(_seed_bodies()) * 20, 5))
    sig = minhash._signatures_compiled(keys, offsets, *permutations(128, 1))
    alone = lsh._anchors_compiled(keys, offsets, 3), lsh._band_keys_compiled(sig, 17, 7)

    def both(_):
        return lsh._anchors_compiled(keys, offsets, 3), lsh._band_keys_compiled(sig, 17, 7)

    with ThreadPoolExecutor(4) as pool:
        for (picked, owners), bands in pool.map(both, range(8)):
            assert np.array_equal(picked, alone[0][0]) and np.array_equal(owners, alone[0][1])
            assert np.array_equal(bands, alone[1])


# Buffers the core must not read through typed pointers as they are.


def _unaligned(values: np.ndarray) -> np.ndarray:
    """``values`` copied to a buffer at an odd byte offset: contiguous, not aligned."""
    raw = np.zeros(values.nbytes + 1, dtype=np.uint8)
    view = raw[1:].view(values.dtype).reshape(values.shape)
    view[...] = values
    assert not view.flags.aligned
    return view


def test_unaligned_arrays_are_copied_by_the_wrappers_and_refused_by_the_core():
    sets, offsets = unique_sets(*shingle._fast_keys_compiled([shingle_text(t) for t in _seed_bodies()], 5))
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
