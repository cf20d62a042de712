"""WordNet synonyms and antonyms: reversals found, synonyms and unrelated words left alone."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest

from crosscheck.evaluate.common import data_dir as dev_data_dir
from crosscheck.match import wordnet
from crosscheck.match.wordnet import (
    DEFAULT_WORDNET_SETTINGS,
    antonymous,
    available,
    base_forms,
    synonymous,
    why_missing,
)

needs_wordnet = pytest.mark.skipif(not available(), reason=why_missing() or "WordNet missing")

OPPOSITES = [
    ("rose", "fell", "v"), ("grew", "shrank", "v"), ("increase", "decrease", None),
    ("increased", "decreased", "v"), ("confirmed", "denied", "v"), ("peaceful", "violent", "a"),
    ("win", "lose", "v"), ("won", "lost", "v"), ("accepted", "rejected", "v"),
    ("rise", "fall", "n"), ("higher", "lower", "a"), ("gain", "loss", "n"), ("strong", "weak", "a"),
    ("approved", "rejected", "v"), ("allow", "prohibit", "v"), ("success", "failure", "n"),
    ("rose", "declined", "v"), ("grew", "fell", "v"), ("expanded", "contracted", "v"),
    ("admitted", "denied", "v"), ("raised", "lowered", "v"), ("improved", "worsened", "v"),
    ("legal", "illegal", "a"), ("present", "absent", "a"), ("sold", "bought", "v"),
]
NOT_OPPOSITES = [
    ("big", "large", "a"), ("said", "stated", "v"), ("said", "told", "v"), ("said", "added", "v"),
    ("announced", "said", "v"), ("rose", "jumped", "v"), ("rose", "climbed", "v"),
    ("fell", "dropped", "v"), ("fell", "declined", "v"), ("visited", "went", "v"),
    ("met", "talked", "v"), ("spokesman", "president", "n"), ("president", "minister", "n"),
    ("killed", "died", "v"), ("said", "denied", "v"), ("warned", "said", "v"),
    ("company", "firm", "n"), ("grew", "rose", "v"), ("cut", "reduced", "v"),
    ("reported", "posted", "v"), ("began", "started", "v"), ("expect", "forecast", "v"),
]
SYNONYMS = [
    ("big", "large", "a"), ("said", "stated", "v"), ("rose", "climbed", "v"),
    ("fell", "dropped", "v"), ("buy", "purchase", "v"), ("help", "assist", "v"),
    ("car", "automobile", "n"), ("began", "started", "v"), ("profit", "earnings", "n"),
    ("cut", "reduced", "v"),
]


@needs_wordnet
@pytest.mark.parametrize("a, b, pos", OPPOSITES)
def test_opposites_are_antonymous_both_ways(a, b, pos):
    assert antonymous(a, b, pos) and antonymous(b, a, pos)
    assert not synonymous(a, b, pos)


@needs_wordnet
@pytest.mark.parametrize("a, b, pos", NOT_OPPOSITES)
def test_synonyms_and_neighbours_are_not_antonymous(a, b, pos):
    assert not antonymous(a, b, pos)


@needs_wordnet
@pytest.mark.parametrize("a, b, pos", SYNONYMS)
def test_synonyms(a, b, pos):
    assert synonymous(a, b, pos) and synonymous(b, a, pos)


@needs_wordnet
def test_inflections_of_one_lemma_are_neither():
    assert not synonymous("grew", "grows", "v") and not antonymous("grew", "grows", "v")
    assert not synonymous("rise", "rise")


@needs_wordnet
def test_base_forms_read_the_exception_lists():
    assert base_forms("rose", "v") == ("rise",)
    assert base_forms("shrank", "v") == ("shrink",)
    assert "deny" in base_forms("denied", "v")
    assert base_forms("better", "a")[:1] == ("better",) and "good" in base_forms("better", "a")


@needs_wordnet
def test_part_of_speech_narrows_the_senses():
    assert antonymous("rise", "fall", "n") and antonymous("rise", "fall", "v")
    assert not antonymous("rose", "fell", "n")  # the flower and a hide: no reversal
    with pytest.raises(ValueError):
        synonymous("big", "large", "adj")


@needs_wordnet
def test_lookups_are_cached():
    antonymous("expanded", "contracted", "v")
    started = time.perf_counter()
    for _ in range(2000):
        antonymous("expanded", "contracted", "v")
    assert time.perf_counter() - started < 0.5


def test_without_the_data_every_answer_is_false_and_says_how_to_install(tmp_path):
    missing = dataclasses.replace(DEFAULT_WORDNET_SETTINGS, roots=(str(tmp_path / "nowhere"),))
    assert not wordnet.available(missing)
    assert "apt-get install wordnet-base" in wordnet.why_missing(missing)
    assert not antonymous("rose", "fell", "v", missing)
    assert not synonymous("big", "large", "a", missing)
    assert base_forms("rose", "v", missing) == ()


@needs_wordnet
def test_available_says_nothing_is_missing():
    assert why_missing() == ""


@needs_wordnet
def test_auxiliaries_and_hierarchy_roots_oppose_nothing():
    for a, b in [("rose", "were"), ("is", "comes"), ("has", "is"), ("grew", "was"), ("were", "died")]:
        assert not antonymous(a, b, "v"), (a, b)


@needs_wordnet
def test_market_verbs_of_opposite_direction():
    for a, b in [("dipped", "jumped"), ("added", "dipped"), ("advancing", "declining"), ("fell", "climbed"),
                 ("gained", "lost")]:
        assert antonymous(a, b, "v"), (a, b)


@needs_wordnet
def test_hypernym_hops_setting():
    none = dataclasses.replace(DEFAULT_WORDNET_SETTINGS, verb_hypernym_hops=0)
    assert antonymous("grew", "shrank", "v") and not antonymous("grew", "shrank", "v", none)


ETPC = dev_data_dir() / "etpc_train.jsonl"


def _span_has_antonyms(span) -> bool:
    a = [w.lower() for w in span["s1_tokens"] if w.isalpha()]
    b = [w.lower() for w in span["s2_tokens"] if w.isalpha()]
    return any(x != y and antonymous(x, y) for x in a for y in b)


@needs_wordnet
@pytest.mark.skipif(not ETPC.is_file(), reason="../shared/dev/etpc_train.jsonl is absent")
def test_etpc_polarity_substitutions_hold_antonyms_and_synonym_swaps_do_not():
    """ETPC's typed spans: an opposite-polarity substitution should contain a WordNet antonym
    pair; a habitual same-polarity substitution (a synonym swap) should not. Measured: 37 of 70
    and 13 of 471 (most of those real opposites out of context: give/take, up/down)."""
    rows = [json.loads(line) for line in ETPC.read_text("utf-8").splitlines()]
    spans = [s for r in rows for s in r["spans"]]
    opposite = [s for s in spans if s["type"].startswith("Opposite polarity substitution")]
    habitual = [s for s in spans if s["type"] == "Same Polarity Substitution (habitual)"]
    assert len(opposite) >= 60 and len(habitual) >= 400
    assert sum(map(_span_has_antonyms, opposite)) / len(opposite) >= 0.48
    assert sum(map(_span_has_antonyms, habitual)) / len(habitual) <= 0.04
