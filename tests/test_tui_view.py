"""What the TUI shows, checked without a terminal: items, markers, filters, word diffs."""

from __future__ import annotations

import pytest

from crosscheck.match.compare import compare
from crosscheck.tui.detail import detail_text, quotes_in
from crosscheck.tui.summary import summary_text
from crosscheck.tui.view import (
    MARKS,
    by_divergence,
    changed_words,
    filter_choices,
    items_of,
    matches,
    sentence_marks,
)


@pytest.fixture(scope="module")
def c(seed_path):
    return compare(seed_path("001"), seed_path("000"))


def test_every_alignment_and_flagged_sentence_is_one_item_in_reading_order(c):
    items = items_of(c)
    assert sum(i.kind == "alignment" for i in items) == len(c.alignments)
    assert sum(i.kind == "unsupported" for i in items) == len(c.unsupported)
    assert sum(i.kind == "omitted" for i in items) == len(c.omitted)
    firsts = [min(i.rewrite) for i in items if i.kind != "omitted"]
    assert firsts == sorted(firsts)


def test_each_marked_sentence_carries_a_symbol_readable_without_colour(c):
    source, rewrite = sentence_marks(c)
    un_vote = next(s.index for s in c.rewrite.sentences if "UN Assembly" in s.text)
    assert rewrite[un_vote] == "unsupported" and MARKS["unsupported"] == "?"
    no_direct = next(s.index for s in c.source.sentences if "no direct threat" in s.text)
    assert source[no_direct] == "divergent" and MARKS["divergent"] == "!"
    assert len(set(MARKS.values())) == len(MARKS)


def test_filters_offer_only_what_exists_and_select_by_relation_or_type(c):
    items = items_of(c)
    keys = [k for k, _ in filter_choices(items)]
    assert keys[0] == "all" and "unsupported" in keys and "type:qualifier_dropped" in keys
    dropped = [i for i in items if matches(i, "type:qualifier_dropped")]
    assert dropped and all("qualifier_dropped" in i.types for i in dropped)
    ranked = by_divergence(items)
    assert ranked[0].kind == "alignment" and ranked[0].divergence == max(i.divergence for i in items if i.kind == "alignment")


def test_the_word_diff_finds_curly_quoted_words_in_the_text_as_written(c):
    a = next(a for a in c.alignments if any(d.type == "qualifier_dropped" for d in a.types) and "NATO’s" in c.source.text[a.source_spans[-1].start : a.source_spans[-1].end])
    dropped = [c.source.text[s.start : s.end] for s in changed_words(c.source.text, a.source_spans, a, "source")]
    assert "direct" in dropped
    assert "NATO’s" in dropped  # written with a curly apostrophe, diffed as NATO's


def test_the_detail_text_spells_out_types_evidence_and_quote_verdicts(c):
    item = next(i for i in items_of(c) if i.kind == "alignment" and "qualifier_dropped" in i.types)
    text = detail_text(c, item).plain
    a = c.alignments[item.index]
    assert "qualifier_dropped" in text
    assert all(f"“{w}”" in text for d in a.types for w in d.source_words)
    for q in quotes_in(c, a):
        assert q.verdict in text


def test_the_summary_names_the_matching_mode(c):
    text = summary_text(c).plain
    assert f"{len(c.omitted)} omitted" in text
    assert "semantic: on" in text if c.summary.semantic else "semantic: off" in text
