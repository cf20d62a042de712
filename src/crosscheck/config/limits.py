"""What a setting may hold beyond its type, checked when settings are read.

``config.py`` checks types (a number, a list of strings); this module checks values:
a threshold outside 0..1, a window of 0, an unknown encoding, a regular expression
that does not compile, an empty entry in a word list. Each refusal names the key, and
:func:`crosscheck.config.load_settings` adds the file, so a typo never surfaces later
as a traceback from deep inside the matcher.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING, Any

from crosscheck.config.settings import shown
from crosscheck.errors import ConfigError

if TYPE_CHECKING:
    from crosscheck.config.settings import Settings

# What a setting may hold beyond its type: an interval ("(" leaves the end out) or choices.
_LIMITS: dict[str, str | tuple[str, ...]] = {
    "clean.repeated_line_min_articles": "[2, )",
    "segment.max_sentence_chars": "[1, )",
    "match.link_threshold": "[0, 1]",
    "match.anchor_threshold": "[0, 1]",
    "match.candidate_cutoff": "[0, 100]",
    "match.max_window": "[1, )",
    "match.semantic": ("auto", "on", "off"),
    "dedup.shingle_size": "[1, )",
    "dedup.num_perm": "[1, 1024]",
    "dedup.threshold": "(0, 1]",
    "dedup.containment_threshold": "(0, 1]",
    "dedup.story_threshold": "[0, 1]",
    "dedup.seed": "[0, 4294967295]",  # numpy's RandomState takes 32-bit seeds
    "dedup.hash": ("sha1", "fast"),
    "dedup.scheme": ("affine32", "legacy"),
    "dedup.miss_weight": "[0, 1]",
    "dedup.anchor_rate": "[1, )",
    "dedup.anchor_min_shared": "[1, )",
    "dedup.min_shingles": "[0, )",
    "dedup.representative": ("earliest", "longest"),
    "dedup.batch_size": "[1, )",
    "dedup.workers": "[0, )",
    "dedup.story_min_cosine": "[0, 1]",
    "dedup.story_link_similarity": "[0, 1]",
    "report.min_divergence": "[0, 1]",
    "report.top": "[0, )",
    "report.omitted_limit": "[0, )",
    "report.workers": "[0, )",
    "verdict.verbatim_threshold": "[0, 1]",
    "verdict.faithful_threshold": "[0, 1]",
    "verdict.partial_longer": "[1, )",
    "verdict.partial_share": "[0, 1]",
    "verdict.summary_ratio": "[0, 1]",
    "verdict.summary_ratio_single": "[0, 1]",
    "verdict.max_substitution_words": "[1, )",
    "verdict.head_reach": "[1, )",
    "verdict.detail_min_words": "[1, )",
    "verdict.wording_weight": "[0, 1]",
    "verdict.antonym_senses": "[0, )",
}


def _check_limit(key: str, value: Any, limit: str | tuple[str, ...]) -> None:
    if isinstance(limit, tuple):
        if value not in limit:
            raise ConfigError(key, f"expected {', '.join(limit[:-1])} or {limit[-1]}, got {shown(value)}")
        return
    low, high = (t.strip() for t in limit[1:-1].split(","))
    if (value > float(low) if limit[0] == "(" else value >= float(low)) and (not high or value <= float(high)):
        return
    expected = f"at least {low}" if not high else f"in {limit}" if limit[0] == "(" else f"between {low} and {high}"
    raise ConfigError(key, f"must be {expected}, got {value}")


def _item_problem(key: str, item: str) -> str | None:
    """What is wrong with one entry of a list setting, if anything."""
    if not item.strip():
        return "an empty entry"
    try:
        if key == "load.legacy_encodings":
            codecs.lookup(item)
        elif key.startswith("clean."):
            re.compile(item, re.I)
    except LookupError:
        return f"unknown encoding {shown(item)}"
    except re.error as exc:
        return f"not a regular expression: {exc}"
    return None


def check_settings(settings: Settings) -> None:
    """Refuse values of the right type crosscheck cannot work with, naming the key: a
    threshold outside 0..1, a window of 0, an unknown encoding, a broken regular expression."""
    for key, limit in _LIMITS.items():
        section, name = key.split(".")
        _check_limit(key, getattr(getattr(settings, section), name), limit)
    if not settings.load.extensions:
        raise ConfigError("load.extensions", "must list at least one file ending")
    load, clean, verdict = settings.load, settings.clean, settings.verdict
    lists = {"load.extensions": load.extensions, "load.legacy_encodings": load.legacy_encodings,
             "clean.patterns": clean.patterns, "clean.tail_markers": clean.tail_markers,
             "lexicons.stopwords": settings.lexicons.stopwords,
             **{f"verdict.{n}": getattr(verdict, n) for n in
                ("negations", "reporting_verbs", "hedges", "framing", "weak_modals", "meaning_types")},
             **{f"verdict.{n}.{g}": w for n in ("qualifiers", "modals") for g, w in getattr(verdict, n).items()}}
    for key, items in lists.items():
        for index, item in enumerate(items):
            problem = _item_problem(key, item)
            if problem:
                raise ConfigError(f"{key}[{index}]", problem)
