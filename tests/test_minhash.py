"""MinHash signatures equal datasketch's, bit for bit, on real article text."""

from __future__ import annotations

import numpy as np
import pytest

from crosscheck.lsh import optimal_bands
from crosscheck.minhash import permutations, signatures
from crosscheck.shingle import fast_keys_batch, keys_batch, sha1_keys, shingle_text, unique_sets

datasketch = pytest.importorskip("datasketch", reason="datasketch is the reference (dev extra)")


def _datasketch_signature(text: str, size: int, num_perm: int, seed: int, scheme: str) -> np.ndarray:
    words = text.split()
    shingles = [" ".join(words[i:i + size]).encode("utf-8") for i in range(max(1, len(words) - size + 1))]
    m = datasketch.MinHash(num_perm=num_perm, seed=seed, scheme=scheme)
    m.update_batch(shingles)
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
