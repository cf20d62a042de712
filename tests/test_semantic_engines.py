"""The encoder's arithmetic and the two engines that run it: numpy and onnxruntime.

GELU and attention hold at any scale of their inputs; the ONNX graph is the numpy
encoder for any shape and activation; both engines give the same vectors, in this
process or in workers, and onnxruntime missing is said, not hidden.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from crosscheck.errors import MissingExtraError
from crosscheck.semantic import load_embedder
from crosscheck.semantic import bert, onnx_bert
from crosscheck.semantic.bert import gelu


def test_gelu_matches_the_erf_definition_in_float32() -> None:
    xs = np.linspace(-12, 12, 140 * 32, dtype=np.float32).reshape(140, 32)  # more rows than one block
    expected = np.array([x * 0.5 * (1 + math.erf(x / math.sqrt(2))) for x in xs.ravel().tolist()])
    got = gelu(xs.copy())
    assert got.dtype == np.float32
    assert np.abs(got.ravel() - expected).max() < 2e-6


def _attention_case(case: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    if case == "scores whose terms overflow the product with v":  # 512 scores of 79.5, |v| = 30
        return (np.full((1, 1, 512, 8), 79.5 / 8, np.float32), np.ones((1, 1, 512, 8), np.float32),
                np.full((1, 1, 512, 8), 30.0, np.float32))
    q, k, v = (rng.standard_normal((2, 3, 5, 8)).astype(np.float32) for _ in range(3))
    if case == "scores that overflow exp":
        q *= 40.0
    elif case == "rows that underflow":  # every score of every row far below zero
        q, k = np.abs(q) * 40.0, -np.abs(k)
    return q, k, v


@pytest.mark.parametrize("case", ["usual scores", "scores that overflow exp", "rows that underflow",
                                  "scores whose terms overflow the product with v"])
def test_attention_is_softmax_times_v_whatever_the_scale_of_the_scores(case: str) -> None:
    q, k, v = _attention_case(case)
    mask_bias = np.zeros((q.shape[0], 1, 1, q.shape[2]), dtype=np.float32)
    if q.shape[0] == 2:
        mask_bias[1, ..., 3:] = -1e9  # the second item is three tokens and two of padding
    scores = (q.astype(np.float64) @ np.swapaxes(k, -1, -2).astype(np.float64)) + mask_bias
    expected = np.exp(scores - scores.max(axis=-1, keepdims=True))
    expected /= expected.sum(axis=-1, keepdims=True)
    terms, sums = bert._softmax_terms(q, k, v, mask_bias)
    context = np.matmul(terms, v) / sums  # as bert._attention uses them
    assert np.isfinite(context).all()
    assert np.abs(terms / sums - expected).max() < 1e-5
    assert np.abs(context - expected @ v.astype(np.float64)).max() < 1e-4
    if q.shape[0] == 2:
        assert (terms[1, ..., 3:] == 0).all()


@pytest.mark.skipif(not onnx_bert.available(), reason="onnxruntime and onnx (the 'semantic' extra) are not installed")
def test_the_two_engines_agree_and_keep_their_own_vectors_in_the_cache(model_dir: Path) -> None:
    texts = ["Without a united front, the collective West will build up pressure on the post-Soviet space.",
             "Without a united front, the collective West will increase pressure on the post-Soviet space.",
             "This is not an exchange.", "Putin said the CSTO would respond to NATO's expansion. " * 30]
    fast = load_embedder(use_cache=False, engine="onnxruntime")
    plain = load_embedder(use_cache=False, engine="numpy")
    assert np.abs(fast.embed(texts) - plain.embed(texts)).max() < 1e-5
    assert fast.model.model_id != plain.model.model_id  # last bits differ: never served for each other
    assert load_embedder(use_cache=False).model.engine == "onnxruntime"  # auto takes it when installed


@pytest.mark.skipif(not onnx_bert.available(), reason="onnxruntime and onnx (the 'semantic' extra) are not installed")
def test_workers_forked_after_the_session_is_made_share_it_and_give_its_vectors(
        model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Story {k}: the summit in Moscow marked {k} years of the treaty. " * (1 + k % 9) for k in range(90)]
    fast = load_embedder(use_cache=False, engine="onnxruntime")
    alone = fast.embed(texts, workers=1)
    monkeypatch.setattr(onnx_bert, "graph", lambda weights: pytest.fail("a worker built a session of its own"))
    assert np.array_equal(fast.embed(texts, workers=2), alone)


def _random_weights(activation: str, hidden: int = 48, heads: int = 4) -> bert.BertWeights:
    """A small BERT of random weights in the Hugging Face layout, for any shape and activation."""
    rng = np.random.default_rng(11)
    config = bert.BertConfig(hidden=hidden, heads=heads, layers=2, intermediate=4 * hidden, max_positions=40,
                             layer_norm_eps=1e-12, activation=activation)
    tensors = {"embeddings.word_embeddings.weight": rng.standard_normal((60, hidden)),
               "embeddings.position_embeddings.weight": rng.standard_normal((40, hidden)),
               "embeddings.token_type_embeddings.weight": rng.standard_normal((2, hidden)),
               "embeddings.LayerNorm.weight": 1 + 0.1 * rng.standard_normal(hidden),
               "embeddings.LayerNorm.bias": 0.1 * rng.standard_normal(hidden)}
    shapes = {"attention.self.query": hidden, "attention.self.key": hidden, "attention.self.value": hidden,
              "attention.output.dense": hidden, "intermediate.dense": 4 * hidden, "output.dense": hidden}
    for i in range(2):
        for name, out in shapes.items():
            inner = 4 * hidden if name == "output.dense" else hidden
            tensors[f"encoder.layer.{i}.{name}.weight"] = rng.standard_normal((out, inner)) / math.sqrt(inner)
            tensors[f"encoder.layer.{i}.{name}.bias"] = 0.1 * rng.standard_normal(out)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            tensors[f"encoder.layer.{i}.{norm}.weight"] = 1 + 0.1 * rng.standard_normal(hidden)
            tensors[f"encoder.layer.{i}.{norm}.bias"] = 0.1 * rng.standard_normal(hidden)
    return bert.weights_from_tensors({k: v.astype(np.float32) for k, v in tensors.items()}, config)


@pytest.mark.skipif(not onnx_bert.available(), reason="onnxruntime and onnx (the 'semantic' extra) are not installed")
@pytest.mark.parametrize("activation,hidden,heads", [("gelu", 48, 4), ("gelu_new", 64, 8), ("relu", 40, 5)])
def test_the_onnx_graph_is_the_numpy_encoder_for_any_shape_and_activation(activation: str, hidden: int, heads: int) -> None:
    weights = _random_weights(activation, hidden, heads)
    ids = np.array([[1, 7, 9, 33, 2, 0, 0], [1, 5, 59, 12, 44, 8, 2]], dtype=np.int64)
    mask = (np.arange(7) < np.array([[5], [7]])).astype(np.int64)  # the first row padded after five tokens
    expected = bert.encode(weights, ids, mask)
    got = onnx_bert.OnnxEncoder(weights)(ids, mask)
    assert got.shape == expected.shape == (2, 7, hidden)
    real = mask.astype(bool)
    assert np.abs(got[real] - expected[real]).max() < 1e-4  # padding's own states are never read
    with pytest.raises(ValueError, match="positions"):
        onnx_bert.OnnxEncoder(weights)(np.ones((1, 41), np.int64), np.ones((1, 41), np.int64))
    model, external = onnx_bert.graph(weights)  # the weights stay in numpy's memory, out of the model
    assert external["words"] is weights.words and len(model) < sum(a.nbytes for a in external.values()) / 10


def test_the_numpy_engine_gives_the_same_vectors_in_workers_as_in_this_process(model_dir: Path) -> None:
    texts = [f"Story {k}: the summit in Moscow marked {k} years of the treaty. " * (1 + k % 9) for k in range(90)]
    plain = load_embedder(use_cache=False, engine="numpy")
    assert np.array_equal(plain.embed(texts, workers=2), plain.embed(texts, workers=1))


def test_asking_for_onnxruntime_where_it_is_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from crosscheck.semantic import engine_for

    monkeypatch.setattr(onnx_bert, "available", lambda: False)
    assert engine_for("auto") == "numpy"
    with pytest.raises(MissingExtraError, match="semantic"):
        engine_for("onnxruntime")
