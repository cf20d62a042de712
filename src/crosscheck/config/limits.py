"""What a setting may hold beyond its type, as typed data, checked when settings are built.

:mod:`crosscheck.config.schema` checks types (a number, a list of strings); this module
checks values: a threshold outside 0..1, a window of 0, an unknown encoding, a regular
expression that does not compile, an empty entry in a word list. Each refusal names the
key, and :func:`crosscheck.config.read.load_settings` adds the file, so a typo never
surfaces later as a traceback from deep inside the matcher.
"""

from __future__ import annotations

import codecs
import dataclasses
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosscheck.errors import ConfigError

if TYPE_CHECKING:
    from crosscheck.config.settings import Settings


@dataclass(frozen=True)
class Range:
    """A number between ``low`` and ``high``; an open end leaves that bound out."""

    low: float
    high: float = math.inf
    low_open: bool = False

    def admits(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        above = value > self.low if self.low_open else value >= self.low
        return above and value <= self.high

    def describe(self) -> str:
        low = _number(self.low)
        if self.high == math.inf:
            return f"greater than {low}" if self.low_open else f"at least {low}"
        if self.low_open:
            return f"in ({low}, {_number(self.high)}]"
        return f"between {low} and {_number(self.high)}"


@dataclass(frozen=True)
class Choice:
    """One of a few words."""

    options: tuple[str, ...]

    def admits(self, value: Any) -> bool:
        return value in self.options

    def describe(self) -> str:
        return f"{', '.join(self.options[:-1])} or {self.options[-1]}"


Limit = Range | Choice

UNIT = Range(0, 1)
SWITCH = Choice(("auto", "on", "off"))

LIMITS: dict[str, Limit] = {
    "load.max_article_mb": Range(0, low_open=True),
    "clean.repeated_line_min_articles": Range(2),
    "segment.max_sentence_chars": Range(1),
    "match.link_threshold": UNIT,
    "match.phrase_probability": UNIT,
    "match.nearby_rewrite": Range(1),
    "match.figure_share_one": UNIT,
    "match.figure_share_more": UNIT,
    "match.nearby_source": Range(0),
    "match.grow_reach": Range(0),
    "match.anchor_threshold": UNIT,
    "match.anchor_probability": UNIT,
    "match.anchor_share": UNIT,
    "match.candidate_cutoff": Range(0, 100),
    "match.max_window": Range(1),
    "match.semantic": SWITCH,
    "semantic.engine": Choice(("auto", "numpy", "onnxruntime")),
    "crosslingual.cosine_floor": Range(-1, 1),
    "crosslingual.cosine_span": Range(0, 2, low_open=True),
    "crosslingual.evidence_weight": UNIT,
    "crosslingual.anchor_cosine": Range(-1, 1),
    "crosslingual.anchor_pair_cosine": Range(-1, 1),
    "crosslingual.grow_share": UNIT,
    "crosslingual.same_language_floor": Range(-1, 0.99),
    "dedup.shingle_size": Range(1),
    "dedup.num_perm": Range(1, 1024),
    "dedup.threshold": Range(0, 1, low_open=True),
    "dedup.containment_threshold": Range(0, 1, low_open=True),
    "dedup.story_threshold": UNIT,
    "dedup.seed": Range(0, 4294967295),  # numpy's RandomState takes 32-bit seeds
    "dedup.hash": Choice(("sha1", "fast")),
    "dedup.scheme": Choice(("affine32", "legacy")),
    "dedup.miss_weight": UNIT,
    "dedup.anchor_rate": Range(1),
    "dedup.anchor_min_shared": Range(1),
    "dedup.anchor_min_share": UNIT,
    "dedup.min_shingles": Range(0),
    "dedup.representative": Choice(("earliest", "longest")),
    "dedup.batch_size": Range(1),
    "dedup.workers": Range(0),
    "dedup.story_min_cosine": UNIT,
    "dedup.story_link_similarity": UNIT,
    "dedup.story_event_threshold": UNIT,
    "dedup.story_event_threshold_words": UNIT,
    "dedup.story_neighbours": Range(1),
    "dedup.story_version_neighbours": Range(0),
    "dedup.story_version_floor": UNIT,
    "dedup.story_max_fact_changes": UNIT,
    "dedup.story_rare_share": Range(0, 1, low_open=True),
    "dedup.story_date_window": Range(0),
    "dedup.scheduler_timeout": Range(0, low_open=True),
    "report.min_divergence": UNIT,
    "report.top": Range(0),
    "report.omitted_limit": Range(0),
    "report.phrase_gap": Range(0),
    "report.workers": Range(0),
    "verdict.verbatim_threshold": UNIT,
    "verdict.faithful_threshold": UNIT,
    "verdict.partial_longer": Range(1),
    "verdict.partial_share": UNIT,
    "verdict.summary_ratio": UNIT,
    "verdict.summary_ratio_single": UNIT,
    "verdict.max_substitution_words": Range(1),
    "verdict.head_reach": Range(1),
    "verdict.clause_share": UNIT,
    "verdict.max_name_substitution_words": Range(1),
    "verdict.name_variant_length": Range(1),
    "verdict.name_anchor_gap": Range(0),
    "verdict.name_short_form_length": Range(1),
    "verdict.currency_senses": Range(1),
    "verdict.place_part_hops": Range(0),
    "verdict.detail_min_words": Range(1),
    "verdict.antonym_senses": Range(0),
    "verdict.wording_weight": UNIT,
}
"""Every setting with a limit beyond its type, by dotted key."""


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def shown(value: Any, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr, cut short to stay on one line.

    >>> shown("x" * 100, limit=10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def on_off_spelling(key: str, value: Any) -> Any:
    """YAML reads a bare ``off``/``on``/``yes``/``no`` as a boolean; for an on/off setting
    the user meant the word.

    >>> on_off_spelling("match.semantic", False), on_off_spelling("match.semantic", True)
    ('off', 'on')
    """
    limit = LIMITS.get(key)
    if isinstance(value, bool) and isinstance(limit, Choice) and {"on", "off"} <= set(limit.options):
        return "on" if value else "off"
    return value


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


LEXICON_DIR = Path(__file__).resolve().parents[1] / "match" / "lexicons"
"""Where the lexicon files named by ``verdict.*_lexicon`` settings are shipped."""


def _check_lexicon_files(settings: Settings) -> None:
    """A lexicon setting names a file crosscheck ships; a typo must not empty the list."""
    for f in dataclasses.fields(settings.verdict):
        name = getattr(settings.verdict, f.name)
        if f.name.endswith("_lexicon") and name and not (LEXICON_DIR / name).is_file():
            shipped = ", ".join(sorted(p.name for p in LEXICON_DIR.glob("*.txt")))
            raise ConfigError(f"verdict.{f.name}", f"no lexicon {shown(name)} (shipped: {shipped})")


def check_settings(settings: Settings) -> None:
    """Refuse values of the right type crosscheck cannot work with, naming the key: a
    threshold outside 0..1, a window of 0, an unknown encoding, a broken regular expression."""
    for key, limit in LIMITS.items():
        section, name = key.split(".")
        value = getattr(getattr(settings, section), name)
        if limit.admits(value):
            continue
        if isinstance(limit, Range):
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            raise ConfigError(key, f"must be {limit.describe()}, got {value if is_number else shown(value)}")
        raise ConfigError(key, f"expected {limit.describe()}, got {shown(value)}")
    _check_lexicon_files(settings)
    if not settings.load.extensions:
        raise ConfigError("load.extensions", "must list at least one file ending")
    _check_link_weights(settings)
    load, clean, verdict = settings.load, settings.clean, settings.verdict
    lists = {"load.extensions": load.extensions, "load.legacy_encodings": load.legacy_encodings,
             "clean.patterns": clean.patterns, "clean.tail_markers": clean.tail_markers,
             "lexicons.stopwords": settings.lexicons.stopwords,
             **{f"verdict.{n}": getattr(verdict, n) for n in
                ("negations", "reporting_verbs", "hedges", "framing", "weak_modals", "claimless_modals", "existential_verbs", "negative_polarity_items", "meaning_types",
                  "seats_of_government", "currency_kinds", "place_prepositions", "passive_auxiliaries", "title_kinds",
                  "name_derivation_suffixes")},
             **{f"verdict.{n}.{g}": w for n in ("qualifiers", "modals", "directions") for g, w in getattr(verdict, n).items()}}
    for key, items in lists.items():
        for index, item in enumerate(items):
            problem = _item_problem(key, item)
            if problem:
                raise ConfigError(f"{key}[{index}]", problem)
    for key in ("emphasizers", "exclusives"):
        if getattr(verdict, key) not in verdict.qualifiers:
            raise ConfigError(f"verdict.{key}", f"names no group of verdict.qualifiers: {getattr(verdict, key)!r}")
    for index, group in enumerate(verdict.claimless_modals):
        if group not in verdict.modals:
            raise ConfigError(f"verdict.claimless_modals[{index}]", f"names no group of verdict.modals: {group!r}")
    for modal, group in verdict.reported_modals.items():
        if group not in verdict.modals:
            raise ConfigError(f"verdict.reported_modals.{modal}", f"names no group of verdict.modals: {group!r}")


# The link model's inputs, in the order of ``match.link_weights`` after the intercept;
# ``crosscheck.match.linkmodel`` computes them. The lexical model drops the last.
LINK_FEATURES = ("blended", "cosine", "fuzzy", "covers_rewrite", "covers_source", "shared_marks",
                 "length_ratio", "size", "same_figures", "other_figures", "semantic")


def _check_link_weights(settings: Settings) -> None:
    for key, names in (("link_weights", LINK_FEATURES), ("link_weights_lexical", LINK_FEATURES[:-1])):
        weights = getattr(settings.match, key)
        if len(weights) != len(names) + 1:
            raise ConfigError(f"match.{key}", f"expected {len(names) + 1} numbers (intercept, {', '.join(names)}), got {len(weights)}")
        if not all(math.isfinite(w) for w in weights):
            raise ConfigError(f"match.{key}", "every weight must be a finite number")
