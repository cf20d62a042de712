"""Quotes: every quotation a fact-checker would check, with the speaker the article names.

The gold gate: each quote of tests/gold/quotes.yaml is found (overlapping the gold
span) with the gold speaker, and 003's agency name “BelTA” is not taken for a quote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crosscheck.model import Span
from crosscheck.text.quotes import find_quotes
from crosscheck.text.segment import segment

HERE = Path(__file__).parent
GOLD = HERE / "gold"
SEEDS = HERE.parent / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def quotes_of(prefix: str):
    boilerplate = yaml.safe_load((GOLD / "boilerplate.yaml").read_text(encoding="utf-8"))
    removed = [Span(b["start"], b["end"]) for b in boilerplate.get(prefix) or []]
    text = seed(prefix)
    return text, find_quotes(text, segment(text, removed))


GOLD_QUOTES = yaml.safe_load((GOLD / "quotes.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("prefix", ["000", "003", "004"])
def test_every_gold_quote_is_found_with_its_speaker(prefix: str) -> None:
    text, found = quotes_of(prefix)
    gold = [q for q in GOLD_QUOTES if q["doc"] == prefix]
    assert gold
    wrong = []
    for g in gold:
        inner = Span(g["start"] + 1, g["end"] - 1)
        hits = [q for q in found if q.span.overlap(inner) > 0]
        if not any((q.speaker or "").lower() == g["speaker"].lower() for q in hits):
            wrong.append((g["start"], g["speaker"], [(q.span.start, q.speaker) for q in hits]))
    assert wrong == []


def test_no_quote_is_invented_beyond_the_gold() -> None:
    # The gold lists every quotation of 000, 003 and 004: finding more is a false alarm.
    for prefix in ("000", "003", "004"):
        _, found = quotes_of(prefix)
        gold = [Span(q["start"], q["end"]) for q in GOLD_QUOTES if q["doc"] == prefix]
        extra = [q.text[:40] for q in found if not any(q.span.overlap(g) for g in gold)]
        assert extra == [], prefix


def test_an_agency_name_in_quote_marks_is_not_a_quote() -> None:
    text, found = quotes_of("003")
    assert "\u201cBelTA\u201d" in text
    assert not any("BelTA" in q.text for q in found)
    assert [q.speaker for q in found] == ["Tasmagambetov"]


def test_quote_closed_with_the_wrong_mark_is_one_quote() -> None:
    # 000 closes "... does not create a threat“" with an opening mark.
    text, found = quotes_of("000")
    threat = next(q for q in found if "create a threat" in q.text)
    assert threat.text.endswith("does not create a threat")
    assert text[threat.span.end - 1] == "\u201c" and threat.speaker == "Putin"


def test_quote_spanning_two_sentences_lists_both() -> None:
    text, found = quotes_of("000")
    hope = next(q for q in found if q.text.startswith("I hope that the Organization"))
    assert len(hope.sentence_indices) == 2
    assert hope.text.endswith("which never end,")


def test_tajik_leader_resolves_to_rahmon_and_the_kremlin_statement_is_named() -> None:
    _, found = quotes_of("004")
    assert {q.speaker for q in found if "collective security" in q.text} == {"Rahmon"}
    _, found = quotes_of("000")
    assert found[0].speaker == "Kremlin statement"
    assert found[0].text.startswith("key issues of interaction")


def test_apostrophes_are_not_quote_marks() -> None:
    text = "The West\u2019s sanctions, Russia\u2019s answer. \u2018We will respond,\u2019 Putin said."
    quotes = find_quotes(text, segment(text))
    assert [(q.text, q.speaker) for q in quotes] == [("We will respond,", "Putin")]


def test_a_subheading_quote_takes_the_speaker_of_the_paragraph_it_announces() -> None:
    text = (
        "Lukashenko spoke of \u201cinfernal sanctions\u201d.\n"
        "They will sign a declaration to \u201cintensify coordination\u201d\n"
        "Putin stated that the countries will sign \u201ca joint declaration\u201d."
    )
    quotes = find_quotes(text, segment(text))
    assert [q.speaker for q in quotes] == ["Lukashenko", "Putin", "Putin"]


def test_wire_style_attributions() -> None:
    text = (
        "Rahmon took the floor.\n"
        "The Tajik leader told reporters: \u201cWe will act together.\u201d\n"
        "\u201cThe CSTO is strong,\u201d said Lukashenko.\n"
        "Peskov said the talks went well.\n"
        "\u201cIt was a good meeting.\u201d"
    )
    quotes = find_quotes(text, segment(text))
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will act together.", "Rahmon"),
        ("The CSTO is strong,", "Lukashenko"),
        ("It was a good meeting.", "Peskov"),
    ]
