"""Same-story levels: the seeds that report the Moscow summit are versions of one story;
a day's coverage of one event does not chain into one cluster; SemEval same-event floor."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.dedup.linkage import average_link, centres
from crosscheck.dedup.run import dedup
from crosscheck.dedup.story import story_links, tfidf_candidates
from crosscheck.dedup.vectors import story_candidates, term_vectors
from crosscheck.model import Article

# CI clones the repo beside shared/; a worktree sits one folder deeper.
DEV = next((p for p in (Path(__file__).parents[1] / ".." / "shared" / "dev",
                        Path(__file__).parents[1] / ".." / ".." / "shared" / "dev") if p.is_dir()),
           Path(__file__).parents[1] / ".." / "shared" / "dev")
WORDS = dataclasses.replace(Settings(), match=dataclasses.replace(Settings().match, semantic="off"))


def _keys(members):
    return {m.split("_")[0] for m in members}


def test_the_seeds_give_one_version_cluster_000_001_004_and_no_copies(seeds_dir, gold):
    expected = {frozenset(g["members"]) for g in gold("duplicates")["same_story"]}
    result = dedup([seeds_dir], mode="both", settings=WORDS)
    assert result.of_kind("near") == ()
    assert {frozenset(_keys(c.members)) for c in result.of_kind("version")} == expected
    (cluster,) = result.of_kind("version")
    assert _keys([cluster.representative]) == {"000"}  # the only dated one: the centre
    assert all(p.why.startswith("coverage") for p in cluster.pairs)
    assert cluster.reason.startswith("versions of one story")
    assert all(c.reason for c in result.clusters)


def test_topic_only_pairs_are_candidates_but_not_confirmed(seeds_dir):
    from crosscheck.text.load import load_articles

    articles = load_articles([seeds_dir])
    candidates = {(i, j) for i, j, _ in tfidf_candidates([a.text for a in articles], 0.0)}
    confirmed = {(l.a, l.b) for l in story_links(articles, WORDS)}
    assert confirmed <= {(0, 1), (0, 4), (1, 4)} and len(confirmed) >= 2
    assert len(candidates - confirmed) >= 3  # CSTO-topic pairs the matcher turned down


def test_average_link_does_not_chain_a_path_into_one_cluster():
    # 0-1-2-...-9 each alike only to the next: components would give one cluster of 10.
    edges = [(i, i + 1, 0.9) for i in range(9)]
    groups = average_link(10, edges, 0.5)
    assert max(len(g) for g in groups) <= 3
    assert average_link(3, [(0, 1, 0.9), (0, 2, 0.8), (1, 2, 0.7)], 0.5) == [[0, 1, 2]]


def test_centres_join_members_to_their_centre_directly_never_through_a_chain():
    links = {(0, 1): 0.5, (1, 2): 0.9, (2, 3): 0.4}
    assert centres([0, 1, 2, 3], links) == [(0, [0, 1]), (2, [2, 3])]


def test_candidates_need_a_shared_rare_name_and_respect_the_date_window():
    texts = ["Lukashenko met Tokayev in Minsk on trade", "Tokayev and Lukashenko discussed trade in Minsk",
             "Rain expected over the weekend in Minsk"] + [f"Filler story number {i} about weather" for i in range(30)]
    tv = term_vectors(texts)
    undated = story_candidates(tv, None, [None] * len(texts), 0.02, 10, 3)
    assert (0, 1) in set(zip(undated.a.tolist(), undated.b.tolist()))
    dates = ["2022-05-16", "2022-05-30"] + [None] * (len(texts) - 2)
    dated = story_candidates(tv, None, dates, 0.02, 10, 3)
    assert (0, 1) not in set(zip(dated.a.tolist(), dated.b.tolist()))


@pytest.mark.skipif(not (DEV / "semeval22_en_train.csv").is_file(), reason="../shared/dev/semeval22_en_train.csv not here")
def test_semeval_same_event_f1_words_only_cross_validated_floor():
    from crosscheck.evaluate.semeval import evaluate

    scores = evaluate(DEV, None, semantic=False)
    assert scores["pairs"] == 161
    assert scores["cv_f1"] >= 0.72, scores  # measured 0.765


def test_distinct_events_on_one_day_stay_apart():
    a = "Putin met Lukashenko in Sochi to discuss gas prices and a Belarus loan of 1.5 billion dollars."
    b = "In Sochi, Lukashenko and Putin agreed a 1.5 billion dollar loan for Belarus and talked about gas prices."
    c = "Floods in Kerala forced 40,000 people from their homes as monsoon rains hit the coast of India."
    d = "Monsoon floods drove 40,000 from their homes in Kerala, India, officials said."
    arts = [Article(id=k, text=t, date="2022-09-14") for k, t in zip("abcd", (a, b, c, d))]
    events = [set(cl.members) for cl in dedup(arts, mode="story", settings=WORDS).of_kind("event")]
    assert not any({"a", "c"} <= e for e in events)


def test_every_story_stage_reports_progress_with_its_total(seeds_dir):
    heard: dict[str, tuple[int, int]] = {}
    dedup([seeds_dir], mode="story", settings=WORDS, progress=lambda stage, done, total: heard.update({stage: (done, total)}))
    for stage in ("reading (KB)", "cleaning bodies", "article vectors", "story candidates", "preparing articles",
                  "comparing versions", "clustering stories"):
        done, total = heard[stage]
        assert total > 0 and done == total, (stage, heard)


def test_article_vectors_are_made_a_slice_at_a_time_and_the_bar_follows_them(monkeypatch):
    """Embedding takes 30-40 ms an article: the bar must move while it runs, and the
    vectors must not depend on whether anyone watches or on how many processes share them."""
    import numpy as np

    from crosscheck.dedup.story import embeddings_for
    from crosscheck.semantic import Embedder

    class SliceRecording:  # each vector says how many texts its call held
        model_id, dim = "slice-recording", 3

        def __init__(self) -> None:
            self.calls: list[int] = []

        def encode(self, texts):  # type: ignore[no-untyped-def]
            self.calls.append(len(texts))
            return np.array([[len(t), len(texts), 1.0] for t in texts], dtype=np.float32)

    model = SliceRecording()
    monkeypatch.setattr("crosscheck.semantic.bridge.embedder_for", lambda settings: Embedder(model))
    articles = [Article(id=str(i), text="a" * (400 + i) + " news") for i in range(150)]
    heard: list[tuple[str, int, int]] = []
    watched = embeddings_for(articles, Settings().with_values({"dedup.workers": 1}), lambda *call: heard.append(call))
    assert len(model.calls) >= 3 and sum(model.calls) == 150
    done = [d for _, d, _ in heard]
    assert done == sorted(done) and done[-1] == 150 and len(set(done)) >= 4
    assert {stage for stage, *_ in heard} == {"article vectors"} and {total for *_, total in heard} == {150}
    shared = embeddings_for(articles, Settings().with_values({"dedup.workers": 2}))  # slices in two processes
    assert np.array_equal(watched, shared) and watched.shape == (150, 3)
