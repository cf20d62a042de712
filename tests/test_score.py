"""Scoring two passages: the number, the relation, and the words that show each change."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings as hsettings, strategies as st

import crosscheck
from crosscheck.config import Settings
from crosscheck.match.score import Idf, cosine_matrix, fuzzy_matrix, fuzzy_similarity, weighted_cosine
from crosscheck.match.words import words_of

LEXICAL = Settings()
LEXICAL = LEXICAL.with_values({"match.semantic": "off"})


def types_of(score):
    return {d.type: d for d in score.types}


def test_dropping_direct_from_no_direct_threat_is_a_dropped_qualifier():
    s = crosscheck.score(
        "In this sense, therefore, there is no direct threat to Russia in connection with NATO's expansion.",
        "Its entry into NATO does not create a threat to Russia.",
        LEXICAL,
    )
    assert s.relation == "divergent"
    assert types_of(s)["qualifier_dropped"].source_words == ("direct",)


def test_certainty_becoming_obligation_is_a_modality_change():
    s = crosscheck.score(
        "But the expansion of its military infrastructure to these territories will evoke a response on our part.",
        "If enlargement is accompanied by the deployment of military infrastructure, Moscow will have to react.",
        LEXICAL,
    )
    change = types_of(s)["modality_changed"]
    assert "will" in change.source_words and "will have to" in change.rewrite_words


def test_only_and_nothing_but_are_the_same_qualifier():
    s = crosscheck.score(
        "I hope that its capabilities and influence on the situation in our area of responsibility will only grow.",
        "I hope that its capabilities and influence on the situation in our area of responsibility do nothing but increase.",
        LEXICAL,
    )
    assert "qualifier_dropped" not in types_of(s)
    assert "negation_changed" not in types_of(s)


def test_losing_merely_reverses_the_claim():
    s = crosscheck.score(
        "They are by no means merely providing practical medical assistance to the population.",
        "They are in no way dedicated to providing practical medical assistance to the population.",
        LEXICAL,
    )
    assert types_of(s)["qualifier_dropped"].source_words == ("merely",)
    assert s.relation == "divergent"


def test_a_changed_number_is_named_with_both_numbers():
    s = crosscheck.score(
        "The Treaty was signed 30 years ago in Moscow.",
        "The Treaty was signed 20 years ago in Moscow.",
        LEXICAL,
    )
    change = types_of(s)["number_changed"]
    assert "30" in change.source_words[0] and "20" in change.rewrite_words[0]


def test_a_dropped_not_is_a_negation_change_however_similar_the_words():
    s = crosscheck.score(
        "The alliance does not intend to strengthen its military component.",
        "The alliance does intend to strengthen its military component.",
        LEXICAL,
    )
    assert s.relation == "divergent"
    assert types_of(s)["negation_changed"].source_words == ("not",)


def test_the_same_words_with_british_spelling_are_verbatim():
    s = crosscheck.score(
        "The organisation plays a very important role in the post-Soviet space – a stabilising role.",
        "The organization plays a very important role in the post-Soviet space, a stabilizing role.",
        LEXICAL,
    )
    assert s.relation == "verbatim"
    assert s.divergence == 0.0
    assert s.types == ()


def test_editorial_words_the_source_lacks_are_framing():
    s = crosscheck.score(
        "The Pentagon has established dozens of laboratories in our common region.",
        "He took advantage of the meeting to point the finger: the Pentagon has established dozens of laboratories in our common region.",
        LEXICAL,
    )
    assert set(types_of(s)["tone_or_framing_added"].rewrite_words) >= {"point the finger", "took advantage"}


sentence = st.lists(
    st.sampled_from(
        "russia nato threat direct will must not only organisation organization pentagon 30 20 the of "
        "a laboratories medical assistance grow increase west pressure sanctions".split()
    ),
    min_size=1,
    max_size=25,
).map(" ".join)


@hsettings(max_examples=60, deadline=None)
@given(st.lists(sentence, min_size=1, max_size=6), st.lists(sentence, min_size=1, max_size=6))
def test_the_fast_matrices_equal_their_naive_twins(a_texts, b_texts):
    a = [words_of(t) for t in a_texts]
    b = [words_of(t) for t in b_texts]
    idf = Idf.fit([*a, *b])
    fast = cosine_matrix(a, b, idf)
    naive = np.array([[weighted_cosine(x, y, idf) for y in b] for x in a])
    assert np.allclose(fast, naive, atol=1e-5)
    fast_fuzzy = fuzzy_matrix(a, b, 0)
    naive_fuzzy = np.array([[fuzzy_similarity(x, y) for y in b] for x in a])
    assert np.allclose(fast_fuzzy, naive_fuzzy, atol=0.011)


@hsettings(max_examples=60, deadline=None)
@given(sentence, sentence)
def test_scores_stay_between_zero_and_one(a, b):
    s = crosscheck.score(a, b, LEXICAL)
    assert 0.0 <= s.similarity <= 1.0
    assert 0.0 <= s.divergence <= 1.0
    assert s.relation in ("verbatim", "faithful_paraphrase", "divergent", "partial")


def test_a_passage_scored_against_itself_is_verbatim():
    rng = random.Random(7)
    words = "the collective west will build up pressure on the post-Soviet space".split()
    for _ in range(20):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 20)))
        s = crosscheck.score(text, text, LEXICAL)
        assert s.relation == "verbatim" and s.divergence == 0.0


def test_partial_ratio_is_rapidfuzz_s_under_every_cutoff_and_read_once_per_pair():
    from rapidfuzz import fuzz

    from crosscheck.match.score import _partial_ratio, partial_ratio

    quote = "the csto has established itself as an important factor of strengthening peace"
    window = ("over the past period the csto has established itself as an important factor of "
              "strengthening peace and stability in the eurasian space")
    altered = "the csto has set up itself as a crucial factor of strengthening peace"
    _partial_ratio.cache_clear()
    for text in (window, altered):
        score = fuzz.partial_ratio(quote, text)
        for cutoff in (0.0, score - 1, score, score + 0.5, 100.0):
            assert partial_ratio(quote, text, cutoff) == fuzz.partial_ratio(quote, text, score_cutoff=cutoff)
    # The look-alike under its cutoff is 0, as rapidfuzz gives it; the whole quote held is 100.
    assert partial_ratio(quote, altered, 95.0) == 0.0
    assert partial_ratio(quote, window, 95.0) == 100.0
    assert _partial_ratio.cache_info().misses == 2  # one ratio per pair, whatever the cutoff
