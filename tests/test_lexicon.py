"""Hedges, boosters, modal strength, negators and negative verbs read from the lexicon files."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

from crosscheck.match import lexicon
from crosscheck.match.lexicon import (
    DEFAULT_LEXICON_SETTINGS,
    boosters_in,
    claim_cues_in,
    downtoners_in,
    hedges_in,
    modal_strength,
    negative_verbs_in,
    negators_in,
)
from crosscheck.match.words import tokens


def phrases(found):
    return [c.phrase for c in found]


def test_every_lexicon_file_names_its_source_and_has_no_duplicates():
    folder = resources.files("crosscheck.match").joinpath("lexicons")
    for entry in folder.iterdir():
        if not entry.name.endswith(".txt"):
            continue
        text = entry.read_text("utf-8")
        assert "Source" in text or "source" in text, entry.name
        rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        assert rows and len(rows) == len(set(rows)), entry.name


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Coffee may possibly reduce the risk of stroke.", ["possibly"]),
        ("These results suggest that exercise is associated with lower mortality.", ["suggest"]),
        ("The drug appears to work in about 20 patients.", ["appears", "about"]),
        ("We talked about the results.", []),
        ("Smokers were more likely to die.", []),
        ("Smokers were less likely to recover, and it is unlikely to change.", ["unlikely"]),
        ("It is likely that rates will rise.", ["likely"]),
        ("In our view, the effect is largely explained by diet.", ["in our view", "largely"]),
        ("Patients tend to recover.", ["tend to"]),
    ],
)
def test_hedges(sentence, expected):
    assert phrases(hedges_in(tokens(sentence))) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The study clearly shows that, in fact, diet matters.", ["clearly", "shows", "in fact"]),
        ("We found no doubt about it.", ["found", "no doubt"]),
        ("Exercise reduces stroke risk.", []),
    ],
)
def test_boosters(sentence, expected):
    assert phrases(boosters_in(tokens(sentence))) == expected


@pytest.mark.parametrize(
    "sentence, strength",
    [
        ("Russia will respond.", 1.0),
        ("Russia must respond.", 1.0),
        ("Russia won't respond.", 1.0),
        ("Russia should respond.", 0.6),
        ("Russia would respond.", 0.6),
        ("Russia may respond.", 0.3),
        ("Russia might respond.", 0.3),
        ("Russia could respond.", 0.3),
        ("Russia will have to respond if it may.", 0.3),
        ("Russia responded.", None),
    ],
)
def test_modal_strength_orders_must_will_over_should_would_over_may_might_could(sentence, strength):
    assert modal_strength(tokens(sentence)) == strength


def test_a_dropped_may_is_visible_as_a_stronger_claim():
    before = modal_strength(tokens("Coffee may lower the risk."))
    after = modal_strength(tokens("Coffee lowers the risk."))
    assert before == 0.3 and after is None


def test_contraction_is_the_same_negation_as_its_full_form():
    full = negators_in(tokens("He did not attend."))
    short = negators_in(tokens("He didn't attend."))
    assert len(full) == len(short) == 1
    assert negators_in(tokens("He attended.")) == ()
    assert phrases(negators_in(tokens("No one came and nobody called."))) == ["no one", "nobody"]


def test_russian_negators():
    assert phrases(negators_in(tokens("Россия не видит угрозы"), "ru")) == ["не"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The Kremlin denied that talks took place.", ["deny"]),
        ("He refused to sign and failed to attend.", ["refuse", "fail"]),
        ("Parliament rejected the bill; the minister declined to comment.", ["reject", "decline"]),
        ("The Kremlin confirmed that talks took place.", []),
    ],
)
def test_negative_verbs(sentence, expected):
    assert phrases(negative_verbs_in(tokens(sentence))) == expected


def test_negative_verbs_take_lemmas_too():
    assert [(c.phrase, c.start) for c in negative_verbs_in(["he", "deny", "it"])] == [("deny", 1)]


def test_downtoners():
    assert phrases(downtoners_in(tokens("Prices rose slightly, partly because of a bit of luck."))) \
        == ["slightly", "partly", "a bit"]


def test_claim_cues_tell_correlation_from_causation():
    correlational = tokens("Low income is associated with higher risk of depression.")
    causal = tokens("Low income increases depression risk.")
    assert phrases(claim_cues_in(correlational, "correlational")) == ["associated", "higher risk"]
    assert claim_cues_in(correlational, "causal") == ()
    assert phrases(claim_cues_in(causal, "causal")) == ["increases"]


def test_cues_carry_word_positions_for_citing():
    words = tokens("The results may clearly suggest a link")
    (hedge,) = hedges_in(words)
    assert words[hedge.start:hedge.end] == ["suggest"]
    (booster,) = boosters_in(words)
    assert words[booster.start] == "clearly"


def test_figure_window_setting():
    wide = dataclasses.replace(DEFAULT_LEXICON_SETTINGS, figure_window=3)
    words = tokens("about the 20 patients")
    assert hedges_in(words) == ()
    assert phrases(hedges_in(words, wide)) == ["about"]


def test_lists_are_loaded_once():
    lexicon.phrases("hedges.txt")
    assert lexicon.phrases.cache_info().currsize >= 1


def _scan(words, entries, settings, skip=lambda words, i, phrase: False):
    """The plain reading of a phrase list: every phrase, longest first, at every place."""
    found, taken = [], set()
    for phrase, needs_figure in entries:
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if words[i:i + n] != phrase or taken & set(range(i, i + n)):
                continue
            if needs_figure and not any(lexicon._FIGURE_RE.match(w) for w in words[i + n:i + n + settings.figure_window]):
                continue
            if skip(words, i, phrase):
                continue
            taken |= set(range(i, i + n))
            found.append(lexicon.Cue(" ".join(phrase), i, i + n))
    return tuple(sorted(found, key=lambda c: c.start))


def test_cues_are_found_where_a_plain_scan_of_every_place_finds_them():
    """Cues are looked for only where a phrase's first word stands: the same cues, in
    the same order, as trying every phrase at every place, overlaps and figures included."""
    import random

    rng = random.Random(11)
    settings = lexicon.DEFAULT_LEXICON_SETTINGS
    lists = [lexicon.phrases(name) for name in ("hedges.txt", "boosters.txt", "downtoners.txt")]
    lists += [tuple((p, False) for p in cues) for cues in lexicon.claim_cues().values()]
    vocabulary = sorted({w for entries in lists for phrase, _ in entries for w in phrase})
    vocabulary += ["20", "percent", "the", "minister", "said", "five", "a"]
    for _ in range(300):
        words = tuple(rng.choice(vocabulary) for _ in range(rng.randrange(0, 30)))
        for entries in lists:
            assert lexicon._find(words, entries, settings) == _scan(words, entries, settings)
    sentence = lexicon._norm(tokens("It may well be about 20 percent, and it is likely that it could cause harm"))
    for entries in lists:
        assert lexicon._find(sentence, entries, settings) == _scan(sentence, entries, settings)
    assert lexicon._find(sentence, lists[0], settings)  # hedges are there to find
