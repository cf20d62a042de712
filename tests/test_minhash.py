"""MinHash signatures equal datasketch's, bit for bit, on real article text and on
awkward sets; the fast shingle hash equals its pure-Python definition."""

from __future__ import annotations

import numpy as np
import pytest

from crosscheck.dedup.lsh import key_order, optimal_bands, unique_pairs
from crosscheck.dedup.minhash import permutations, signatures
from crosscheck.dedup.shingle import (
    body_keys,
    fast_hash32,
    fast_key,
    fast_keys_batch,
    keys_batch,
    sha1_keys,
    shingle_forms,
    shingle_text,
    unique_sets,
)

datasketch = pytest.importorskip("datasketch", reason="datasketch is the reference (dev extra)")


AWKWARD = [
    "",
    "one",
    "two words",
    "exactly8 sixteen-byte-wd! seventeen-bytes-x nine-byte a-word-of-forty-bytes-over-five-chunks!!",
    "путин заявил что été λόγος 中文字符串 \x01ctrl",
    "",
    "the same five words here the same five words here",
]


def _shingles(text: str, size: int) -> list[bytes]:
    words = text.split()
    if not words:
        return []
    return [" ".join(words[i:i + size]).encode("utf-8") for i in range(max(1, len(words) - size + 1))]


def _datasketch_signature(text: str, size: int, num_perm: int, seed: int, scheme: str, hashfunc=None) -> np.ndarray:
    extra = {"hashfunc": hashfunc} if hashfunc else {}
    m = datasketch.MinHash(num_perm=num_perm, seed=seed, scheme=scheme, **extra)
    m.update_batch(_shingles(text, size))
    return m.hashvalues


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
@pytest.mark.parametrize("seed,num_perm,size", [(1, 128, 5), (7, 64, 3)])
def test_signatures_of_the_seeds_are_bit_identical_to_datasketch(seeds_dir, scheme, seed, num_perm, size):
    texts = [shingle_text(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
    keys, offsets = keys_batch(texts, size, "sha1")
    a, b = permutations(num_perm, seed, scheme)
    ours = signatures(*unique_sets(keys, offsets), a, b, scheme)
    for row, text in zip(ours, texts):
        assert np.array_equal(row, _datasketch_signature(text, size, num_perm, seed, scheme))


def test_a_short_text_is_one_shingle_and_an_empty_one_has_none():
    assert len(sha1_keys("only three words", 5)) == 1
    assert len(sha1_keys("", 5)) == 0
    a, b = permutations(16)
    empty = signatures(np.empty(0, dtype=np.uint64), np.array([0, 0]), a, b)
    assert (empty == 2**32 - 1).all()


def test_non_ascii_shingles_hash_their_utf8_bytes_like_datasketch():
    text = shingle_text("Путин заявил, что ОДКБ «играет стабилизирующую роль» на постсоветском пространстве")
    keys, offsets = keys_batch([text], 5, "sha1")
    a, b = permutations(32)
    assert np.array_equal(signatures(*unique_sets(keys, offsets), a, b)[0],
                          _datasketch_signature(text, 5, 32, 1, "affine32"))


def test_fast_hash_gives_the_same_keys_for_the_same_shingles_across_batches():
    one, _ = fast_keys_batch(["the west will react to nato expansion"], 5)
    two, offsets = fast_keys_batch(["something else entirely", "the west will react to nato expansion"], 5)
    assert np.array_equal(one, two[offsets[1]:offsets[2]])
    assert len(set(one.tolist())) == 3


def test_bands_and_rows_match_datasketch_when_misses_and_false_alarms_weigh_the_same():
    from datasketch.lsh import _optimal_param

    for threshold in (0.5, 0.8, 0.9):
        assert optimal_bands(threshold, 128, 0.5) == _optimal_param(threshold, 128, 0.5, 0.5)
    bands, rows = optimal_bands(0.8, 128, 0.98)
    assert 1 - (1 - 0.8**rows) ** bands >= 0.95  # recall-leaning default: few misses at J=0.8


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_fast_signatures_equal_datasketch_given_the_same_hash(seeds_dir, scheme):
    texts = [shingle_text(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))] + AWKWARD
    keys, offsets = keys_batch(texts, 5, "fast")
    a, b = permutations(128, 1, scheme)
    ours = signatures(keys, offsets, a, b, scheme)
    for row, text in zip(ours, texts):
        assert np.array_equal(row, _datasketch_signature(text, 5, 128, 1, scheme, hashfunc=fast_hash32))


@pytest.mark.parametrize("size", [1, 3, 5])
def test_fast_keys_are_their_pure_python_definition(size):
    assert [shingle_text(t) for t in AWKWARD] == AWKWARD
    keys, offsets = fast_keys_batch(AWKWARD, size)
    for i, text in enumerate(AWKWARD):
        assert keys[offsets[i]:offsets[i + 1]].tolist() == [fast_key(s) for s in _shingles(text, size)]


def test_fast_keys_do_not_depend_on_how_texts_are_batched(seeds_dir):
    texts = [shingle_text(p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))] * 30
    keys, offsets = fast_keys_batch(texts, 5)
    for i in (0, 4, 77, len(texts) - 1):
        alone, _ = fast_keys_batch([texts[i]], 5)
        assert np.array_equal(keys[offsets[i]:offsets[i + 1]], alone)


# Bodies as a page gives them: paragraphs, tabs, every kind of Unicode space, the
# information separators str.split breaks at, control characters it does not,
# typographic marks to fold and letters whose case folds in more than one way.
RAW_BODIES = [
    "Putin said:\n\n\u201cWe will react.\u201d\tThe West\u2019s \u00abinfernal\u00a0sanctions\u00bb \u2026",
    "line\x1cone\x1dtwo\x1ethree\x1ffour\x0bfive\x0csix\rseven \x01glued\x7fword",
    "wide\u2028spaces\u2029here\x85and\u1680there\u3000and\u2003so \u202fon\u205fend",
    "\u0130STANBUL \u212aELVIN \u017fTRASSE \u1e9e \u03a3\u039f\u03a6\u0399\u0391 \ufb01ne \u00bd \u2460",
    "   ", "", "\n\nsolo\n\n", "\u00ad\u200bsoft\u200dhy\u00adphen \ufeffbom",
    "\u041f\u0443\u0442\u0438\u043d  \u0437\u0430\u044f\u0432\u0438\u043b \u2013 \u041e\u0414\u041a\u0411",
]


@pytest.mark.parametrize("hash_name", ["fast", "sha1"])
@pytest.mark.parametrize("size", [1, 2, 5])
def test_keys_of_bodies_as_read_are_those_of_their_shingle_text(seeds_dir, hash_name, size):
    """The fast hash never rebuilds a body word by word; its keys must not notice."""
    bodies = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))] + RAW_BODIES
    keys, offsets = body_keys(bodies, size, hash_name)
    expected, expected_offsets = keys_batch([shingle_text(b) for b in bodies], size, hash_name)
    assert np.array_equal(offsets, expected_offsets)
    assert np.array_equal(keys, expected)
    for i, body in enumerate(bodies):
        alone, _ = body_keys([body], size, hash_name)
        assert np.array_equal(alone, keys[offsets[i]:offsets[i + 1]]), repr(body)


def test_every_unicode_space_split_by_str_split_is_split_by_the_fast_reader():
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        body = f"one{space}two three"
        assert shingle_forms([body])[0].split() == shingle_text(body).split(), hex(ord(space))
        assert np.array_equal(body_keys([body], 2, "fast")[0], keys_batch([shingle_text(body)], 2, "fast")[0])


@pytest.mark.parametrize("scheme", ["affine32", "legacy"])
def test_batched_signatures_equal_datasketch_on_sets_of_any_size(scheme):
    """Empty sets, one-key sets, a set larger than any chunk, and the extreme hash values."""
    rng = np.random.default_rng(3)
    sizes = [0, 1, 5, 0, 40_000, 700, 1, 0, 3000]
    keys = rng.integers(0, 2**64, sum(sizes), dtype=np.uint64)
    keys[:4] = [0, 2**32 - 1, 2**32, 2**64 - 1]
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    a, b = permutations(64, 5, scheme)
    ours = signatures(keys, offsets, a, b, scheme)
    for i in range(len(sizes)):
        m = datasketch.MinHash(num_perm=64, seed=5, scheme=scheme, hashfunc=lambda k: k & 0xFFFFFFFF)
        m.update_batch(keys[offsets[i]:offsets[i + 1]].tolist())
        assert np.array_equal(ours[i], m.hashvalues), i


def test_repeated_shingles_do_not_change_a_signature(seeds_dir):
    text = shingle_text(next(seeds_dir.glob("001_*.txt")).read_text(encoding="utf-8"))
    keys, offsets = fast_keys_batch([text + " " + text], 5)
    a, b = permutations(128)
    assert np.array_equal(signatures(keys, offsets, a, b), signatures(*unique_sets(keys, offsets), a, b))


def test_the_defaults_are_the_fast_path():
    from crosscheck.config.settings import DedupSettings

    d = DedupSettings()
    assert d.hash == "fast" and d.workers == 0  # bit-identical to datasketch given fast_hash32 (tested above)


def test_rows_sorted_by_key_then_member_as_lexsort_sorts_them():
    """Candidate grouping sorts (key, member) rows; ties of key are common (copies share
    most anchors), members may be any int64, and keys use all 64 bits."""
    rng = np.random.default_rng(3)
    for trial in range(600):
        n = int(rng.integers(0, 90))
        keys = rng.integers(0, int(rng.integers(1, 25)), n).astype(np.uint64)
        if trial % 3 == 0:
            keys = keys * np.uint64(2**61) + np.uint64(7)
        members = rng.integers(-5 if trial % 5 == 0 else 0, 2**40 if trial % 7 == 0 else 12, n)
        order, reference = key_order(keys, members), np.lexsort((members, keys))
        assert sorted(order.tolist()) == list(range(n))
        assert np.array_equal(keys[order], keys[reference]) and np.array_equal(members[order], members[reference])


def test_band_layout_is_the_best_scoring_one_over_every_layout():
    """The layout minimizes the weighted areas of the S-curve; checked against a plain
    scan of every (bands, rows), the first of equal scores winning."""
    def area(bands, rows, lo, hi, above):  # type: ignore[no-untyped-def]
        s = np.linspace(lo, hi, 201)
        p = 1.0 - (1.0 - s**rows) ** bands
        values = 1.0 - p if above else p
        return float(np.sum((values[1:] + values[:-1]) * np.diff(s)) / 2.0)

    for threshold, num_perm, weight in ((0.8, 128, 0.98), (0.5, 64, 0.5), (0.9, 256, 0.3), (0.3, 16, 0.0)):
        scored = [((1 - weight) * area(b, r, 0.0, threshold, False) + weight * area(b, r, threshold, 1.0, True), b, r)
                  for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
        best = min(scored, key=lambda x: x[0])
        assert optimal_bands.__wrapped__(threshold, num_perm, weight) == (best[1], best[2])


def test_candidate_pairs_are_each_pair_once_low_high_and_sorted():
    rng = np.random.default_rng(5)
    for trial in range(400):
        pairs = rng.integers(0, 2**33 if trial % 10 == 0 else 30, (int(rng.integers(0, 60)), 2))
        lo, hi = pairs.min(axis=1), pairs.max(axis=1)
        expected = sorted({(int(a), int(b)) for a, b in zip(lo, hi) if a != b})
        got = unique_pairs(pairs)
        assert got.dtype == np.int64 and [tuple(p) for p in got.tolist()] == expected
