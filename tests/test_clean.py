"""Cleaning: web boilerplate is found, recorded with a reason, and nothing else is touched."""

from __future__ import annotations

import textwrap

import pytest

from crosscheck.text.clean import find_boilerplate, repeated_lines
from crosscheck.config import CleanSettings, load_settings
from crosscheck.errors import ConfigError
from crosscheck.text.load import load
from crosscheck.model import Article

SEEDS = ["000", "001", "002", "003", "004"]


def removed_chars(boilerplate) -> set[int]:
    return {i for b in boilerplate for i in range(b.span.start, b.span.end)}


@pytest.mark.parametrize("key", SEEDS)
def test_every_gold_boilerplate_character_is_removed_and_nothing_else(key, seed_path, gold):
    article = load(seed_path(key))
    found = find_boilerplate(article, CleanSettings())
    removed = removed_chars(found)
    wanted = {i for g in gold("boilerplate")[key] for i in range(g["start"], g["end"])}

    missed = "".join(article.text[i] for i in sorted(wanted - removed) if not article.text[i].isspace())
    wrongly = "".join(article.text[i] for i in sorted(removed - wanted) if not article.text[i].isspace())
    assert missed == "", f"boilerplate left in {key}: {missed[:200]!r}"
    assert wrongly == "", f"article text removed from {key}: {wrongly[:200]!r}"


@pytest.mark.parametrize("key", SEEDS)
def test_spans_are_sorted_disjoint_and_quote_the_text(key, seed_path):
    article = load(seed_path(key))
    found = find_boilerplate(article, CleanSettings())
    for b in found:
        assert article.text[b.span.start:b.span.end] == b.text
        assert b.reason
    for before, after in zip(found, found[1:]):
        assert before.span.end <= after.span.start


def test_titles_stay_article_text(seed_path):
    for key, title in [("001", "CSTO summit"), ("003", "CSTO reports monitoring of NATO actions 12:40")]:
        article = load(seed_path(key))
        assert article.title == title
        start = article.text.index(title)
        assert not removed_chars(find_boilerplate(article, CleanSettings())) & set(range(start, start + len(title)))


def test_each_removal_says_what_kind_of_furniture_it_is(seed_path):
    reasons = {b.text: b.reason for b in find_boilerplate(load(seed_path("002")), CleanSettings())}
    assert reasons["Subscribe to our Youtube channel"] == "call to action"
    assert reasons["Tags: CSTO summit Minsk contribute increasing efforts defense security"] == "tags line"
    assert reasons["Lukashenko will meet with the CSTO Secretary General and make personnel appointments"] == (
        "related-story teaser"
    )
    found = find_boilerplate(load(seed_path("001")), CleanSettings())
    assert [b.reason for b in found][:2] == ["elision marker", "continuation notice"]
    assert find_boilerplate(load(seed_path("000")), CleanSettings())[0].reason == "metadata"


def body_paragraphs(seed_path) -> list[str]:
    """Four real paragraphs of body text (from seed 004)."""
    return load(seed_path("004")).text.split("\n")[:4]


def test_a_call_to_action_between_paragraphs_does_not_cut_the_story_short(seed_path):
    paras = body_paragraphs(seed_path)
    text = "\n".join(paras[:2] + ["Follow us on Telegram", "More from author"] + paras[2:])
    found = find_boilerplate(Article(id="x", text=text), CleanSettings())
    assert [(b.text, b.reason) for b in found] == [("Follow us on Telegram", "call to action")]


def test_a_tail_marker_after_the_last_paragraph_removes_the_rest(seed_path):
    paras = body_paragraphs(seed_path)
    tail = ["Read also:", "Tajikistan and the CSTO hold drills in the Pamirs", "Kazakhstan hosts exercises"]
    text = "\n\n".join(paras + tail)
    found = find_boilerplate(Article(id="x", text=text), CleanSettings())
    assert [b.text for b in found] == tail
    assert found[0].reason == "related-stories feed"


def test_short_lines_repeated_across_a_folder_are_boilerplate(seed_path):
    paras = body_paragraphs(seed_path)
    footer = "Photo service of the Presidential Press Office"
    articles = [
        Article(id=str(i), text=f"{footer} headline {i}\n{paras[i]}\n{footer}\n") for i in range(3)
    ]
    repeated = repeated_lines(articles, min_articles=3)
    assert repeated == frozenset({"photo service of the presidential press office"})
    found = find_boilerplate(articles[0], CleanSettings(), repeated)
    assert [(b.text, b.reason) for b in found] == [(footer, "repeated across articles")]
    assert repeated_lines(articles[:2], min_articles=3) == frozenset()


def test_patterns_from_config_remove_lines_and_end_the_body(tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("clean:\n  patterns: ['^photo:']\n  tail_markers: ['^about the author$']\n", encoding="utf-8")
    settings = load_settings(config).clean
    paras = body_paragraphs(seed_path)
    text = "\n".join([paras[0], "Photo: Reuters", paras[1], "About the author", "Jane Doe covers Central Asia."])
    found = find_boilerplate(Article(id="x", text=text), settings)
    assert [(b.text, b.reason) for b in found] == [
        ("Photo: Reuters", "config pattern"),
        ("About the author", "config pattern"),
        ("Jane Doe covers Central Asia.", "tail after the body"),
    ]


def test_a_pattern_that_is_not_a_regular_expression_names_its_setting(seed_path):
    with pytest.raises(ConfigError, match=r"clean.patterns\[0\]: not a regular expression"):
        find_boilerplate(load(seed_path("004")), CleanSettings(patterns=["(unclosed"]))


def test_hard_wrapped_prose_is_read_as_paragraphs_not_as_headlines(seed_path):
    paras = body_paragraphs(seed_path)
    wrapped = "\n\n".join(textwrap.fill(p, 60) for p in paras)
    wrapped = wrapped.replace("Prime Minister", "Prime Minister\nby the ministry", 1)
    text = f"{wrapped}\n\nRead also:\nRahmon meets the CSTO secretary general"
    found = find_boilerplate(Article(id="x", text=text), CleanSettings())
    assert [b.text for b in found] == ["Read also:", "Rahmon meets the CSTO secretary general"]
