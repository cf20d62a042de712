"""Same-story detection: the seeds that report the Moscow summit cluster, the others don't."""

from __future__ import annotations

from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.dedup.story import tfidf_candidates


def _keys(members):
    return {m.split("_")[0] for m in members}


def test_the_seeds_give_one_story_cluster_000_001_004_and_no_copies(seeds_dir, gold):
    expected = {frozenset(g["members"]) for g in gold("duplicates")["same_story"]}
    result = dedup([seeds_dir], mode="both")
    assert result.of_kind("near") == ()
    assert {frozenset(_keys(c.members)) for c in result.of_kind("story")} == expected
    (cluster,) = result.of_kind("story")
    assert _keys([cluster.representative]) == {"000"}  # the only dated one
    assert all(p.why.startswith("coverage") for p in cluster.pairs)


def test_topic_only_pairs_are_candidates_but_not_confirmed(seeds_dir):
    from crosscheck.text.load import load_articles
    from crosscheck.dedup.story import story_links

    articles = load_articles([seeds_dir])
    candidates = {(i, j) for i, j, _ in tfidf_candidates([a.text for a in articles], Settings().dedup.story_min_cosine)}
    confirmed = {(l.a, l.b) for l in story_links(articles, Settings())}
    assert confirmed == {(0, 1), (0, 4), (1, 4)}
    assert len(candidates - confirmed) >= 3  # CSTO-topic pairs the matcher turned down
