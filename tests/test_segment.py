"""Segmentation: the sentences a fact-checker would point at, with their exact places.

The gold gate: every passage a human marked in the gold (alignments and unsupported
passages of 000, 001 and 004) starts where a sentence starts and ends where one ends,
so the matcher can find it at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from crosscheck.config import SegmentSettings
from crosscheck.model import Span
from crosscheck.text.quotes import find_quotes
from crosscheck.text.segment import label_speaker, segment

HERE = Path(__file__).parent
GOLD = HERE / "gold"
SEEDS = HERE.parent / "seeds"
MARKS = " \t\u201c\u201d\u2018\u2019\"'"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def removed(prefix: str) -> list[Span]:
    boilerplate = yaml.safe_load((GOLD / "boilerplate.yaml").read_text(encoding="utf-8"))
    return [Span(b["start"], b["end"]) for b in boilerplate.get(prefix) or []]


def gold_passages() -> list[dict]:
    alignment = yaml.safe_load((GOLD / "alignment.yaml").read_text(encoding="utf-8"))
    unsupported = yaml.safe_load((GOLD / "unsupported.yaml").read_text(encoding="utf-8"))
    passages = [p for a in alignment["alignments"] for p in a["rewrite"] + a["source"]]
    passages += [p for group in unsupported.values() if isinstance(group, list) for p in group]
    return passages


def near(text: str, gold: int, ours: set[int]) -> bool:
    """A boundary within a couple of quote marks or spaces of the gold one."""
    return any(abs(gold - x) <= 2 and not text[min(x, gold):max(x, gold)].strip(MARKS) for x in ours)


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_every_gold_passage_starts_and_ends_on_a_sentence_boundary(prefix: str) -> None:
    text = seed(prefix)
    sentences = segment(text, removed(prefix))
    starts = {s.span.start for s in sentences}
    ends = {s.span.end for s in sentences}
    passages = [p for p in gold_passages() if p["doc"] == prefix]
    assert passages
    misses = [
        (p["start"], p["end"], p["text"][:50])
        for p in passages
        if not (near(text, p["start"], starts) and near(text, p["end"], ends))
    ]
    assert misses == []


def test_sentences_are_exact_slices_in_order_outside_boilerplate() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        text = seed(prefix)
        cut = removed(prefix)
        sentences = segment(text, cut)
        assert [s.index for s in sentences] == list(range(len(sentences)))
        for before, after in zip(sentences, sentences[1:]):
            assert before.span.end <= after.span.start
            assert before.paragraph <= after.paragraph
        for s in sentences:
            assert s.text == text[s.span.start:s.span.end] == s.text.strip()
            assert "\n" not in s.text
            assert all(s.span.overlap(c) == 0 for c in cut)


def test_a_quotation_of_two_sentences_is_split_inside_the_quote() -> None:
    text = seed("000")
    sentences = [s.text for s in segment(text, removed("000"))]
    assert any(s.endswith("considering the difficult times.") and s.startswith("\u201cI hope") for s in sentences)
    assert any(s.startswith("But I would like to point out") and s.endswith("the beginning of the session.")
               for s in sentences)
    # A closing mark typed after the period ("threat“.") stays with its sentence.
    assert any(s.endswith("does not create a threat\u201c.") for s in sentences)


def test_stray_period_and_lowercase_continuation_stay_with_their_sentence() -> None:
    text = seed("000")
    sentences = [s.text for s in segment(text, removed("000"))]
    assert any(s.endswith("are expected this fall. .") for s in sentences)
    assert "." not in sentences
    assert any(s.endswith("condemning the Russian invasion. from Ukraine.") for s in sentences)


def test_headlines_and_the_date_line() -> None:
    text = seed("000")
    first = segment(text, removed("000"))[0]
    assert first.text.startswith("The Russian Government has organized")  # the date line was removed
    headline = segment(seed("003"))[0]
    assert headline.text == "CSTO reports monitoring of NATO actions 12:40"
    assert segment(seed("001"))[0].text == "CSTO summit"


def test_transcript_labels_name_the_speaker_and_are_not_part_of_the_sentence() -> None:
    text = seed("001")
    sentences = segment(text, removed("001"))
    greeting = next(s for s in sentences if "good afternoon" in s.text)
    assert greeting.text == "Colleagues, good afternoon!"
    assert greeting.speaker == "Vladimir Putin"
    assert sentences[0].speaker is None  # the Kremlin's summary above the transcript
    friends = next(s for s in sentences if s.text.startswith("Friends and colleagues"))
    assert friends.speaker == "Vladimir Putin"
    assert sentences[-1].text == "Thank you for your attention." and sentences[-1].speaker == "Vladimir Putin"
    assert label_speaker("Prime Minister of Armenia Nikol Pashinyan") == "Nikol Pashinyan"


def test_elision_bracketed_insertion_and_dialogue_dash() -> None:
    text = seed("001")
    # Without the gold's boilerplate, the "<…>" marker still ends up in no sentence.
    sentences = segment(text)
    assert not any("<\u2026>" in s.text for s in sentences)
    chairman = next(s for s in sentences if s.text.startswith("Here I would like to finish"))
    assert chairman.text.endswith("[of the CSTO Collective Security Council], the Prime Minister of Armenia.")
    lukashenko = segment(seed("002"))
    assert any(s.text == "You and I are in a crucial period." for s in lukashenko)


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Mr. Putin met U.S. envoys on Jan. 5 at No. 10. \u201cWe talked. Then we ate,\u201d he said."
    assert [s.text for s in segment(text)] == [
        "Mr. Putin met U.S. envoys on Jan. 5 at No. 10.",
        "\u201cWe talked.",
        "Then we ate,\u201d he said.",
    ]


def test_very_long_sentences_are_split_at_semicolons_for_matching() -> None:
    clause = "the heads of Russia, Armenia and Belarus met in Moscow"
    text = "; ".join([clause] * 6) + "."
    whole = segment(text)
    parts = segment(text, settings=SegmentSettings(max_sentence_chars=120))
    assert len(whole) == 1
    assert len(parts) > 1 and all(len(p.text) <= 120 for p in parts)
    assert parts[0].span.start == 0 and parts[-1].span.end == len(text)


PIECES = ["Putin said", " ", ". ", "\n", "\n\n", "\u201c", "\u201d", '"', "\u2019", "U.S.", " the West",
          "Vladimir Putin: ", "\u2013 ", "<\u2026>", "[of the CSTO]", "?", "no", "Mr.", " 12:40", ";", "\u00a0"]


@hyp_settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.data())
def test_any_text_gives_ordered_exact_sentences_and_quotes_inside_them(pieces: list[str], data) -> None:
    text = "".join(pieces)
    cut_start = data.draw(st.integers(0, len(text)))
    cut = [Span(cut_start, data.draw(st.integers(cut_start, len(text))))]
    sentences = segment(text, cut, SegmentSettings(max_sentence_chars=30))
    for before, after in zip(sentences, sentences[1:]):
        assert before.span.end <= after.span.start
    for s in sentences:
        assert s.text == text[s.span.start:s.span.end] and s.text and s.text == s.text.strip()
        assert s.span.overlap(cut[0]) == 0 and "\n" not in s.text
    for q in find_quotes(text, sentences):
        assert q.span.start < q.span.end
        assert q.sentence_indices and all(0 <= i < len(sentences) for i in q.sentence_indices)
        assert q.text in text[q.span.start:q.span.end]


def test_a_section_separator_is_no_sentence() -> None:
    sentences = segment(seed("001"))
    assert not any(s.text == "* * *" for s in sentences)
    assert sentences[4].text.startswith("They also signed") and sentences[5].text == "Colleagues, good afternoon!"


def test_windows_line_endings_give_the_same_sentences() -> None:
    text = seed("000")
    crlf = text.replace("\n", "\r\n")
    assert [s.text for s in segment(crlf)] == [s.text for s in segment(text)]
    assert all("\r" not in s.text for s in segment(crlf))
