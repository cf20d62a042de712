"""The verdict's per-pair cache: a pair met again at other offsets gives what a fresh
reading gives, offsets moved to where the words now stand."""

from __future__ import annotations

import dataclasses

from crosscheck.config.verdict import VerdictSettings
from crosscheck.match import pairmemo
from crosscheck.match.changes import Side
from crosscheck.match.verdict import _read, decide
from crosscheck.match.wordalign import Word
from crosscheck.model import Span

SOURCE = "Revenue rose 5% to $7 billion in Q2. There is no direct threat to Russia."
REWRITE = "Revenue rose 7% to $7 billion in the second quarter. There is no threat to Russia."


def _spans(text: str) -> tuple[Span, ...]:
    cut = text.index(". ") + 1
    return (Span(0, cut), Span(cut + 1, len(text)))


def _fresh(src: Side, rw: Side, settings: VerdictSettings):
    pairmemo._memo.clear()
    return decide(src, rw, 0.8, settings)


def test_a_pair_met_again_elsewhere_gives_the_fresh_reading_at_the_new_offsets():
    settings = VerdictSettings()
    first = decide(Side(SOURCE, _spans(SOURCE)), Side(REWRITE, _spans(REWRITE)), 0.8, settings)
    # The same sentences further into other documents, with another gap between them.
    pad_s, pad_r = "Intro line here. ", "A headline\n\n"
    src_text = pad_s + SOURCE.replace(". There", ".   There")
    rw_text = pad_r + REWRITE.replace(". There", ".\nThere")
    src = Side(src_text, (Span(len(pad_s), len(pad_s) + SOURCE.index(". ") + 1),
                          Span(src_text.index("There"), len(src_text))))
    rw = Side(rw_text, (Span(len(pad_r), len(pad_r) + REWRITE.index(". ") + 1),
                        Span(rw_text.index("There"), len(rw_text))))
    cached = decide(src, rw, 0.8, settings)
    fresh = _fresh(src, rw, settings)
    assert cached == fresh
    assert cached.score == first.score  # same words, same verdict
    assert {d.type for d in cached.score.types} >= {"number_changed", "qualifier_dropped"}
    for op in cached.diff:
        if op.source_start >= 0:
            assert " ".join(src_text[op.source_start : op.source_end].split()) == " ".join(op.source_text.split())
        if op.rewrite_start >= 0:
            assert " ".join(rw_text[op.rewrite_start : op.rewrite_end].split()) == " ".join(op.rewrite_text.split())
    for w in cached.words.rewrite:
        assert rw_text[w.start : w.end] == w.text


def test_other_settings_are_never_served_another_settings_reading():
    src, rw = Side(SOURCE, _spans(SOURCE)), Side(REWRITE, _spans(REWRITE))
    plain = VerdictSettings()
    strict = dataclasses.replace(plain, max_substitution_words=0)
    a = decide(src, rw, 0.8, plain)
    b = decide(src, rw, 0.8, strict)
    assert b == _fresh(src, rw, strict)
    assert a == _fresh(src, rw, plain)


def test_the_memo_stays_bounded(monkeypatch):
    # The bound, not its size, is what is tested: 20,000 readings took a minute.
    monkeypatch.setattr(pairmemo, "MAX_ENTRIES", 300)
    settings = VerdictSettings()
    pairmemo._memo.clear()
    for k in range(pairmemo.MAX_ENTRIES + 5):
        text = f"Sentence number {k} is here."
        pairmemo.aligned(text, (Span(0, len(text)),), text, (Span(0, len(text)),), settings,
                         lambda t=text: _read(Side(t, (Span(0, len(t)),)), Side(t, (Span(0, len(t)),)), settings))
    assert len(pairmemo._memo) == pairmemo.MAX_ENTRIES
    pairmemo._memo.clear()


def test_moving_words_rebuilds_every_field_of_a_word():
    # _moved builds Word field by field; a new field must be carried there too.
    assert [f.name for f in dataclasses.fields(Word)] == [
        "text", "start", "end", "key", "lemma", "base", "pos", "entity", "part", "clause", "initial"]
