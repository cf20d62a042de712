"""A BERT encoder forward pass in plain numpy, float32 throughout.

Torch would add gigabytes to the install for six small layers; numpy's BLAS does the
matrix products, and everything else is a handful of vectorised passes. The weights
are rearranged once at load time so that each layer does three large matrix products
(fused query/key/value, the feed-forward pair) plus two batched products for attention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

F32 = np.float32


@dataclass(frozen=True)
class BertConfig:
    """The shape of the network, as read from the model's ``config.json``."""

    hidden: int
    heads: int
    layers: int
    intermediate: int
    max_positions: int
    layer_norm_eps: float
    activation: str = "gelu"

    @classmethod
    def from_json(cls, raw: Mapping[str, object]) -> "BertConfig":
        """Read the keys BERT models publish; anything else is ignored."""
        config = cls(
            hidden=int(raw["hidden_size"]),  # type: ignore[arg-type]
            heads=int(raw["num_attention_heads"]),  # type: ignore[arg-type]
            layers=int(raw["num_hidden_layers"]),  # type: ignore[arg-type]
            intermediate=int(raw["intermediate_size"]),  # type: ignore[arg-type]
            max_positions=int(raw.get("max_position_embeddings", 512)),  # type: ignore[arg-type]
            layer_norm_eps=float(raw.get("layer_norm_eps", 1e-12)),  # type: ignore[arg-type]
            activation=str(raw.get("hidden_act", "gelu")),
        )
        if config.hidden % config.heads:
            raise ValueError(f"hidden_size {config.hidden} is not a multiple of {config.heads} heads")
        if config.activation not in _ACTIVATIONS:
            raise ValueError(f"hidden_act {config.activation!r} is not supported")
        return config


@dataclass(frozen=True)
class Layer:
    """One encoder layer, with matrices stored input-major so ``x @ w`` needs no transpose."""

    qkv_w: np.ndarray  # (hidden, 3 * hidden); the query third is pre-scaled by 1/sqrt(head size)
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    norm1_g: np.ndarray
    norm1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    norm2_g: np.ndarray
    norm2_b: np.ndarray


@dataclass(frozen=True)
class BertWeights:
    config: BertConfig
    words: np.ndarray
    positions: np.ndarray  # position embeddings with the token-type-0 row already added
    norm_g: np.ndarray
    norm_b: np.ndarray
    layers: tuple[Layer, ...]


def _input_major(w: np.ndarray) -> np.ndarray:
    """Torch stores linear layers as (out, in); a contiguous (in, out) copy feeds BLAS directly."""
    return np.ascontiguousarray(w.T, dtype=F32)


def weights_from_tensors(tensors: Mapping[str, np.ndarray], config: BertConfig) -> BertWeights:
    """Arrange a Hugging Face BERT state dict for :func:`encode`.

    Accepts names with or without the ``bert.`` prefix that task heads add.
    """
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""

    def get(name: str) -> np.ndarray:
        try:
            return np.asarray(tensors[prefix + name], dtype=F32)
        except KeyError:
            raise ValueError(f"weights lack tensor {prefix + name!r}") from None

    scale = F32(1.0 / math.sqrt(config.hidden // config.heads))
    layers = []
    for i in range(config.layers):
        p = f"encoder.layer.{i}."
        att = p + "attention.self."
        q_w, q_b = get(att + "query.weight") * scale, get(att + "query.bias") * scale
        layers.append(
            Layer(
                qkv_w=_input_major(np.concatenate([q_w, get(att + "key.weight"), get(att + "value.weight")])),
                qkv_b=np.concatenate([q_b, get(att + "key.bias"), get(att + "value.bias")]).astype(F32),
                out_w=_input_major(get(p + "attention.output.dense.weight")),
                out_b=get(p + "attention.output.dense.bias"),
                norm1_g=get(p + "attention.output.LayerNorm.weight"),
                norm1_b=get(p + "attention.output.LayerNorm.bias"),
                up_w=_input_major(get(p + "intermediate.dense.weight")),
                up_b=get(p + "intermediate.dense.bias"),
                down_w=_input_major(get(p + "output.dense.weight")),
                down_b=get(p + "output.dense.bias"),
                norm2_g=get(p + "output.LayerNorm.weight"),
                norm2_b=get(p + "output.LayerNorm.bias"),
            )
        )
    words = get("embeddings.word_embeddings.weight")
    if words.shape[1] != config.hidden:
        raise ValueError(f"word embeddings are {words.shape[1]} wide, config says {config.hidden}")
    return BertWeights(
        config=config,
        words=words,
        positions=get("embeddings.position_embeddings.weight") + get("embeddings.token_type_embeddings.weight")[0],
        norm_g=get("embeddings.LayerNorm.weight"),
        norm_b=get("embeddings.LayerNorm.bias"),
        layers=tuple(layers),
    )


def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """Normalise the last axis, overwriting ``x`` rather than copying it."""
    mean = x.mean(axis=-1, keepdims=True)
    x -= mean
    var = np.einsum("...i,...i->...", x, x)[..., None]
    var *= F32(1.0 / x.shape[-1])
    var += F32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= g
    x += b
    return x


# Abramowitz & Stegun 7.1.26: erfc(z) ~ poly(t) * exp(-z^2), t = 1 / (1 + p z), z >= 0, error < 1.5e-7.
_AS_P = F32(0.3275911 * math.sqrt(0.5))  # p, with z = |x| / sqrt(2) folded in
_AS_POLY = tuple(F32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))
_GELU_ROWS = 64  # rows per pass: its temporaries stay in the core's cache


def _gelu_rows(x: np.ndarray) -> None:
    ax = np.abs(x)
    t = ax * _AS_P
    t += F32(1.0)
    np.reciprocal(t, out=t)
    q = t * _AS_POLY[0]
    for c in _AS_POLY[1:]:
        q += c
        q *= t
    np.multiply(ax, ax, out=t)
    t *= F32(-0.5)
    np.exp(t, out=t)
    q *= t  # q = erfc(|x| / sqrt 2)
    # x * Phi(x) = (x + |x| * (1 - q)) / 2 for either sign of x, with no branch or copysign
    np.subtract(F32(1.0), q, out=q)
    q *= ax
    x += q
    x *= F32(0.5)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU as BERT was trained with, to about 1e-6; ``x`` (2-D) is overwritten.

    numpy has no erf and scipy is not a dependency, so erf comes from a rational-exp
    approximation; it runs in row blocks because a dozen passes over a block that fits
    in cache cost far less than a dozen passes over main memory.
    """
    for start in range(0, x.shape[0], _GELU_ROWS):
        _gelu_rows(x[start : start + _GELU_ROWS])
    return x


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """The tanh approximation of GELU, for models trained with it; ``x`` is overwritten."""
    inner = x * x
    inner *= F32(0.044715)
    inner += F32(1.0)
    inner *= x
    inner *= F32(math.sqrt(2.0 / math.pi))
    np.tanh(inner, out=inner)
    inner += F32(1.0)
    inner *= F32(0.5)
    x *= inner
    return x


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, F32(0.0), out=x)


_ACTIVATIONS = {"gelu": gelu, "gelu_new": gelu_tanh, "gelu_pytorch_tanh": gelu_tanh, "relu": _relu}


_LOG_MAX = 88.0  # ln of float32's largest value is 88.72
_SUM_SAFE = F32(1e-20)  # a row summing to less has lost precision to underflow


def _scores(q: np.ndarray, k: np.ndarray, mask_bias: np.ndarray | None) -> np.ndarray:
    scores = np.matmul(q, k.transpose(0, 1, 3, 2))  # (b, heads, t, t)
    if mask_bias is not None:
        scores += mask_bias
    return scores


def _softmax_terms(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                   mask_bias: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """exp of the attention scores and their row sums: softmax = terms / sums.

    Softmax is the same whatever is subtracted from a row, so the per-row maximum (a
    slow reduction) is subtracted only when it must be: when the largest score of the
    block could overflow, in exp or in the product of the terms with ``v`` (at most
    tokens x e^score x max |v|), or when a row's sum has underflowed.
    """
    scores = _scores(q, k, mask_bias)
    largest_v = max(float(v.max()), -float(v.min()), 1.0)
    if scores.max() < _LOG_MAX - math.log(scores.shape[-1] * largest_v):
        np.exp(scores, out=scores)
        sums = scores.sum(axis=-1, keepdims=True)
        if sums.min() > _SUM_SAFE:
            return scores, sums
        scores = _scores(q, k, mask_bias)
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    return scores, scores.sum(axis=-1, keepdims=True)


def _attention(x: np.ndarray, layer: Layer, heads: int, mask_bias: np.ndarray | None) -> np.ndarray:
    """Multi-head self-attention for a (batch, tokens, hidden) block; returns (batch*tokens, hidden)."""
    b, t, h = x.shape
    d = h // heads
    qkv = x.reshape(b * t, h) @ layer.qkv_w
    qkv += layer.qkv_b
    # (b, t, 3, heads, d) -> (3, b, heads, t, d): views only, matmul reads the strides.
    q, k, v = qkv.reshape(b, t, 3, heads, d).transpose(2, 0, 3, 1, 4)
    weights, sums = _softmax_terms(q, k, v, mask_bias)
    context = np.matmul(weights, v)  # (b, heads, t, d)
    context /= sums  # dividing t x d values, not t x t
    merged = np.ascontiguousarray(context.transpose(0, 2, 1, 3)).reshape(b * t, h)
    out = merged @ layer.out_w
    out += layer.out_b
    return out


def encode(weights: BertWeights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Last hidden states (batch, tokens, hidden) for a padded block of token ids.

    ``mask`` is 1 for real tokens and 0 for padding; padded keys get no attention.
    """
    config = weights.config
    b, t = ids.shape
    if t > config.max_positions:
        raise ValueError(f"{t} tokens exceed the model's {config.max_positions} positions")
    act = _ACTIVATIONS[config.activation]
    eps = config.layer_norm_eps
    x = weights.words[ids]
    x += weights.positions[:t]
    x = layer_norm(x.reshape(b * t, config.hidden), weights.norm_g, weights.norm_b, eps)
    mask_bias = None
    if not mask.all():
        # A large finite negative rather than -inf: a row of all padding would give NaN.
        mask_bias = ((mask.astype(F32) - F32(1.0)) * F32(1e9))[:, None, None, :]
    for layer in weights.layers:
        att = _attention(x.reshape(b, t, config.hidden), layer, config.heads, mask_bias)
        att += x
        x = layer_norm(att, layer.norm1_g, layer.norm1_b, eps)
        up = x @ layer.up_w
        up += layer.up_b
        down = act(up) @ layer.down_w
        down += layer.down_b
        down += x
        x = layer_norm(down, layer.norm2_g, layer.norm2_b, eps)
    return x.reshape(b, t, config.hidden)


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the real tokens' states: padding must not pull sentences towards each other."""
    m = mask.astype(F32)
    summed = np.einsum("bth,bt->bh", hidden, m)
    counts = np.maximum(m.sum(axis=1, keepdims=True), F32(1e-9))
    return summed / counts


def l2_normalize(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, so a dot product is a cosine."""
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))[:, None]
    return x / np.maximum(norms, F32(1e-12))
