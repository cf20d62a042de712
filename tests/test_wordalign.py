"""Word alignment on real sentences: kept, substituted, added, dropped, with offsets."""

from __future__ import annotations

from crosscheck.match.wordalign import align_words, text_words
from crosscheck.model import Span
from crosscheck.match.wordalign import passage_words


def aligned(a: str, b: str, **kw):
    return align_words(text_words(a), text_words(b), a, b, **kw)


SOURCE = "In this sense, therefore, there is no direct threat to Russia in connection with NATO's expansion."
REWRITE = "Its entry into NATO does not create a threat to Russia."


def test_a_dropped_qualifier_is_dropped_while_the_word_it_qualifies_is_kept():
    wa = aligned("There is no direct threat to Russia.", "There is no threat to Russia.")
    assert wa.words("source", wa.dropped) == ("direct",)
    assert "threat" in wa.words("source", sorted(wa.kept_source))
    assert not wa.added and not wa.substituted


def test_every_word_is_kept_substituted_added_or_dropped_exactly_once():
    wa = aligned(SOURCE, REWRITE)
    src = sorted([i for i, _, _ in wa.kept] + [i for s in wa.substituted for i in s.source] + list(wa.dropped))
    rw = sorted([j for _, j, _ in wa.kept] + [j for s in wa.substituted for j in s.rewrite] + list(wa.added))
    assert src == list(range(len(wa.source)))
    assert rw == list(range(len(wa.rewrite)))


def test_a_moved_or_inflected_word_is_kept_by_lemma():
    wa = aligned("The council approved the budget on Monday.", "On Monday the budget was approved by the council.")
    kept = {wa.source[i].text for i in wa.kept_source}
    assert {"council", "approved", "budget", "Monday"} <= kept
    wa = aligned("Her capabilities will only grow.", "Her capabilities are growing.")
    assert any(wa.source[i].text == "grow" and wa.rewrite[j].text == "growing" for i, j, _ in wa.kept)


def test_a_contraction_keeps_its_negation():
    wa = aligned("He did not sign the treaty.", "He didn't sign the treaty.")
    assert wa.identical
    assert not wa.dropped and not wa.added and not wa.substituted


def test_a_swapped_word_is_a_substitution_citing_both_words():
    wa = aligned("Sales grew by five percent last year.", "Sales shrank by five percent last year.")
    (sub,) = wa.substituted
    assert wa.words("source", sub.source) == ("grew",) and wa.words("rewrite", sub.rewrite) == ("shrank",)


def test_synonyms_are_kept_when_a_synonym_test_is_given():
    wa = aligned("The big companies opposed the rule.", "The large companies opposed the rule.",
                 synonymous=lambda a, b, pos: {a, b} == {"big", "large"})
    assert ("synonym" in {how for _, _, how in wa.kept}) and not wa.substituted


def test_offsets_point_into_the_original_texts_and_the_diff_reads_them():
    wa = aligned(SOURCE, REWRITE)
    for w in wa.source:
        assert SOURCE[w.start : w.end] == w.text
    for op in wa.ops:
        if op.source_start >= 0:
            assert SOURCE[op.source_start : op.source_end] == op.source_text
        if op.rewrite_start >= 0:
            assert REWRITE[op.rewrite_start : op.rewrite_end] == op.rewrite_text
    assert any(op.op == "equal" and op.source_text == "threat to Russia" for op in wa.ops)


def test_words_of_spans_carry_offsets_into_the_whole_document():
    doc = "Yes. No direct threat! Then more."
    words = passage_words(doc, [Span(5, 22)])
    assert [w.text for w in words] == ["No", "direct", "threat"]
    assert [doc[w.start : w.end] for w in words] == ["No", "direct", "threat"]


def test_curly_apostrophes_and_british_spelling_are_the_same_words():
    wa = aligned("NATO’s organisation didn’t grow.", "NATO's organization didn't grow.")
    assert wa.identical
