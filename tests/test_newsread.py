"""Reading news as it is written: frames, occasions, back-references, fused ledes and
figures, each checked on real sentences of the csto rewrites, the seed and MSRP."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.match.compare import compare
from crosscheck.match.figures import figure_conflict, figure_support
from crosscheck.match.newsread import in_context, other_occasion, read_as_news, without_occasion
from crosscheck.match.words import stem, words_of
from crosscheck.text.prepare import prepare

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_501dcf1e5442c15e.txt"
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
CSTO = SHARED / "dev" / "csto_rewrites"
needs_csto = pytest.mark.skipif(not CSTO.is_dir(), reason=f"{CSTO} not found (the shared dev data stands beside the repo)")

REUTERS_TAIL = (
    "Putin, speaking in Moscow at a summit of the Russian-led Collective Security Treaty Organisation (CSTO), said "
    "NATO's expansion was a problem for Russia and that it must look closely at what he said were the U.S.-led "
    "military alliance's plans to increase its global influence."
)


def _settings() -> Settings:
    return Settings().with_values({"match.semantic": "off"})


def test_the_occasion_clause_is_not_the_statement() -> None:
    read = read_as_news(prepare(REUTERS_TAIL).sentences, [words_of(REUTERS_TAIL)], frozenset())[0]
    assert {stem(w) for w in ("moscow", "summit", "putin")}.isdisjoint(read.content)
    assert {stem(w) for w in ("expansion", "problem", "influence", "increase")} <= read.content
    assert without_occasion("Their entry into NATO does not pose an immediate threat to Russia, Putin said at the CSTO summit.").strip().endswith("Putin said .")


def test_a_sentence_without_reported_speech_keeps_its_words() -> None:
    text = "There are extremists in every country, but it is only in Ukraine where Nazis are glorified at the state level."
    words = words_of(text)
    assert read_as_news(prepare(text).sentences, [words], frozenset())[0] is words


def test_these_states_are_read_with_the_states_named_before() -> None:
    text = ("As for the expansion, including the accession of two prospective new members, Finland and Sweden, I would "
            "like to inform you, colleagues, that Russia has no problems with these states. In this sense, therefore, "
            "there is no direct threat to Russia in connection with NATO's expansion to these countries.")
    doc = prepare(text)
    read = in_context([words_of(s.norm) for s in doc.sentences], doc.sentences)
    assert {"finland", "sweden"} <= read[1].content
    assert "finland" not in words_of(doc.sentences[1].norm).content


@pytest.mark.parametrize("text, earlier", [
    ("Russian president Vladimir Putin once said that any more countries on Russia's doorstep joining NATO constituted a threat.", True),
    ("In fact, Putin warned last year that NATO expanding its military infrastructure eastward into Ukraine would be a red line.", True),
    ("President Vladimir Putin on Monday said Russia had no issue with Finland and Sweden.", False),
    ("For a long time, we sounded the alarm about US military biological activity in the post-Soviet space.", False),
])
def test_words_said_on_an_earlier_occasion(text: str, earlier: bool) -> None:
    assert other_occasion(text) is earlier


def test_figures_witness_the_same_fact_and_a_different_one() -> None:
    # MSRP: one earnings template, two companies; and a bullet against its transcript line.
    eds = words_of("During the same quarter last year, EDS declared a profit of $354 million, or 72 cents per share.")
    amd = words_of("In the first quarter of 2003, AMD reported a net loss of $146 million, or 42 cents per share.")
    assert figure_conflict([eds], [amd]).all()
    bullet = words_of("Adjusted EPS of $0.61 for the third quarter.")
    line = words_of("Adjusted earnings per share for the third quarter were $0.61, up from $0.52 a year ago.")
    assert figure_support([bullet], [line]).all()
    assert not figure_support([words_of("Deaths fell in 2001.")], [words_of("Advisories fell from 317 in 2001 to 182.")]).any()


@needs_csto
@pytest.mark.parametrize("name, start", [
    ("09_nationalpost_reuters.txt", "President Vladimir Putin on Monday said"),
    ("11_asianage_afp.txt", "MOSCOW: President Vladimir Putin said Monday"),
])
def test_a_fused_lede_links_to_the_statements_it_fuses(name: str, start: str) -> None:
    comparison = compare(str(SEED), str(CSTO / "en" / name), _settings(), embedder=None)
    sources = next(
        [comparison.source.sentences[j].text for j in a.source_sentences]
        for a in comparison.alignments
        if comparison.rewrite.sentences[a.rewrite_sentences[0]].text.startswith(start)
    )
    assert any("military infrastructure" in s or "no problems with these states" in s or "no direct threat" in s for s in sources)


@needs_csto
def test_fortune_background_on_earlier_warnings_is_not_linked() -> None:
    comparison = compare(str(SEED), str(CSTO / "en" / "13_fortune.txt"), _settings(), embedder=None)
    linked = [comparison.rewrite.sentences[i].text for a in comparison.alignments for i in a.rewrite_sentences]
    assert not any("once said" in t or "last year" in t for t in linked)
    assert any(t.startswith("“As for the expansion of NATO") for t in linked)


def _linked(comparison) -> dict[str, list[str]]:
    """Each linked rewrite sentence (its text) and the source sentences it is linked to."""
    return {
        comparison.rewrite.sentences[i].text: [comparison.source.sentences[j].text for j in a.source_sentences]
        for a in comparison.alignments for i in a.rewrite_sentences
    }


FORTUNE_TOP = (
    "Putin says Sweden and Finland joining NATO and breaking with decades of neutrality is fine after all. ‘No problems’\n\n"
    "“As for the expansion of NATO, including through new members of the alliance which are Finland, Sweden — Russia "
    "has no problems with these states,” Putin said Monday at a summit of the Collective Security Treaty Organization.\n\n"
    "Moscow calls the war in Ukraine a ‘special military operation’ and says it is going to plan.\n"
)


def test_a_short_quote_cites_the_source_sentence_its_words_stand_in() -> None:
    # Fortune's headline quotes two words of "No problems at all!": too few words to link
    # on similarity, but a quote standing word for word in the source cites it.
    linked = _linked(compare(str(SEED), FORTUNE_TOP, _settings(), embedder=None))
    assert linked.get("‘No problems’") == ["No problems at all!"]
    # The look-alike: a phrase in quotation marks inside a sentence that says more is a
    # label, not a citation ("special military operation" stands in the seed too).
    assert not any(text.startswith("Moscow calls the war") for text in linked)


def test_a_quote_runs_on_as_its_source_ran() -> None:
    # CGTN: the second sentence of the quote says the seed's next sentence in other words
    # (cosine 0.55, no shared content word).
    lead = '"What that (response) will be - we will see what threats are created for us," said Putin.\n\n'
    rewrite = lead + '"Problems are being created for no reason at all. We shall react accordingly."\n'
    linked = _linked(compare(str(SEED), rewrite, Settings().with_values({"match.semantic": "on"})))
    react = next(v for k, v in linked.items() if k.startswith("We shall react"))
    assert react == ["So, we will respond to it in a fitting manner."]
    # The look-alike: a next sentence closer to another part of the speech is not the run-on.
    other = lead + '"Problems are being created for no reason at all. Our joint exercises will be held this autumn."\n'
    linked = _linked(compare(str(SEED), other, Settings().with_values({"match.semantic": "on"})))
    assert not any(v == ["So, we will respond to it in a fitting manner."] for v in linked.values())
