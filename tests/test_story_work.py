"""How story mode spreads its comparisons: tasks that keep an article's pairs together,
one pool of workers for both comparing stages, and one batch where there were many."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.dedup.story import NEIGHBOURHOOD, pair_tasks
from crosscheck.dedup.versions import VersionJudge
from crosscheck.evaluate.common import data_dir as dev_data_dir
from crosscheck.match.align import features, features_of
from crosscheck.match.compare import strong_alignments, strong_alignments_of
from crosscheck.model import Article
from crosscheck.text.load import load_articles
from crosscheck.text.prepare import prepare

WORDS = Settings().with_values({"match.semantic": "off"})
CSTO = dev_data_dir() / "csto_rewrites"
needs_dev = pytest.mark.skipif(not CSTO.is_dir(), reason="../shared/dev/csto_rewrites absent")


def _day(seeds_dir: Path) -> list[Article]:
    """The seeds with the real CSTO rewrites (English and Russian) and distractors."""
    return load_articles([seeds_dir, CSTO / "en", CSTO / "ru", CSTO / "distractors"])


def _with_pairs(settings: Settings, articles: list[Article]) -> tuple[list[Article], list[tuple[int, int]]]:
    """The cleaned articles and the pairs story mode asks the matcher about."""
    import importlib

    story = importlib.import_module("crosscheck.dedup.story")
    asked: list[tuple[int, int]] = []
    real = story.coverages

    def spy(pairs, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.extend(pairs)
        return real(pairs, *args, **kwargs)

    story.coverages = spy
    try:
        story.story_links(articles, settings)
    finally:
        story.coverages = real
    return story.story_bodies(articles, settings), asked


def test_tasks_hold_every_pair_once_and_keep_neighbourhoods_whole():
    rng = random.Random(5)
    # Forty stories of eight articles each, their articles scattered over the day's
    # coverage as they are in a real feed; every article is paired with two of its
    # story and one in five also with another story, in the order candidates come.
    order = list(range(320))
    rng.shuffle(order)
    stories = [order[8 * s:8 * s + 8] for s in range(40)]
    pairs = sorted({(min(a, b), max(a, b)) for story in stories for a in story
                    for b in (*rng.sample(story, 2), rng.randrange(320) if rng.random() < 0.2 else a) if a != b})
    tasks = pair_tasks(pairs, least=32)
    assert sorted(k for task in tasks for k in task) == list(range(len(pairs)))
    assert all(len(task) >= 32 for task in tasks[:-1])
    # The point of it: two processes taking turns prepare far fewer articles twice
    # than with the pairs dealt out in order, 32 at a time.
    def prepared(groups: list[list[int]]) -> int:
        seen: list[set[int]] = [set(), set()]
        for n, group in enumerate(groups):
            seen[n % 2].update(x for k in group for x in pairs[k])
        return len(seen[0]) + len(seen[1])

    in_order = [list(range(k, min(k + 32, len(pairs)))) for k in range(0, len(pairs), 32)]
    assert prepared(tasks) < 0.8 * prepared(in_order)


def test_a_neighbourhood_never_grows_past_its_reach():
    chain = [(k, k + 1) for k in range(200)]  # one long chain of articles
    tasks = pair_tasks(chain, least=1, reach=NEIGHBOURHOOD)
    for task in tasks:
        articles = {x for k in task for x in chain[k]}
        assert len(articles) <= NEIGHBOURHOOD + 1  # a pair may reach one article past it
    assert sorted(k for task in tasks for k in task) == list(range(200))


@needs_dev
def test_two_processes_find_the_versions_one_process_finds(seeds_dir):
    one = dedup([seeds_dir, CSTO / "en", CSTO / "distractors"], mode="story",
                settings=WORDS.with_values({"dedup.workers": 1}))
    two = dedup([seeds_dir, CSTO / "en", CSTO / "distractors"], mode="story",
                settings=WORDS.with_values({"dedup.workers": 2}))
    assert one.clusters == two.clusters
    versions = [c for c in one.of_kind("version") if len(c.members) >= 3]
    assert versions, "the seed speech's rewrites make a version cluster"


@needs_dev
def test_judging_pairs_together_gives_each_pair_its_own_coverage(seeds_dir):
    articles, pairs = _with_pairs(WORDS, _day(seeds_dir))
    assert len(pairs) >= 10
    together = VersionJudge(articles, WORDS).coverages(pairs)
    alone = [VersionJudge(articles, WORDS).coverage(i, j) for i, j in pairs]
    assert together == alone
    assert max(together) >= 0.3 and min(together) < 0.12  # versions, and pairs turned down


@needs_dev
def test_strong_links_of_many_pairs_are_each_pairs_own(seeds_dir):
    docs = [prepare(a, WORDS) for a in _day(seeds_dir)[:8]]
    sides = [features(d, WORDS) for d in docs]
    pairs = [(sides[i], sides[j]) for i in range(len(sides)) for j in range(len(sides)) if i != j][:20]
    batched = strong_alignments_of(pairs, WORDS, 0.5)
    assert batched == [strong_alignments(src, rw, WORDS, 0.5, quotes=False) for src, rw in pairs]
    assert sum(map(len, batched)) >= 5


@needs_dev
def test_the_judge_gives_each_pair_the_coverage_a_full_comparison_gives(seeds_dir):
    from crosscheck.dedup.versions import source_first, version_coverage
    from crosscheck.match.compare import compare

    articles, pairs = _with_pairs(WORDS, _day(seeds_dir))
    pairs = pairs[:24]
    d = WORDS.dedup
    judged = VersionJudge(articles, WORDS).coverages(pairs)
    full = [version_coverage(compare(*((articles[i], articles[j]) if source_first(articles[i], articles[j])
                                       else (articles[j], articles[i])), WORDS), d.story_link_similarity,
                             d.story_max_fact_changes) for i, j in pairs]
    assert judged == full
    assert max(judged) >= 0.3


def test_a_copied_passage_is_verbatim_without_the_pipeline_reading_it(seeds_dir, monkeypatch):
    import crosscheck.match.compare as compare_module

    source = prepare(load_articles([next(seeds_dir.glob("001_*.txt"))])[0], WORDS)
    kept = [s for s in source.sentences if len(s.text.split()) >= 12][:3]
    copied = " ".join(s.text for s in kept)
    (said,) = [s.text for s in source.sentences if "30 years ago" in s.text]
    edited = said.replace("30 years ago", "25 years ago")
    rewrite = prepare(Article(id="rw", text=f"{copied} {edited}"), WORDS)
    read: list[str] = []
    real = compare_module.analyse
    monkeypatch.setattr(compare_module, "analyse", lambda pieces: read.extend(pieces) or real(pieces))
    (links,) = strong_alignments_of([(features(source, WORDS), features(rewrite, WORDS))], WORDS, 0.5)
    copies = [al for al in links if al.rewrite_sentences[0] < 3]
    assert len(copies) == 3 and all(al.relation == "verbatim" and al.score.types == () and al.diff == () for al in copies)
    (changed,) = [al for al in links if al.rewrite_sentences == (3,)]
    assert "number_changed" in {t.type for t in changed.score.types} and changed.diff
    assert read == [said, edited]  # the copies were never read, the edited link was
    full = strong_alignments(features(source, WORDS), features(rewrite, WORDS), WORDS, 0.5, quotes=False)
    assert [(a.source_sentences, a.rewrite_sentences, a.score) for a in links] == \
        [(a.source_sentences, a.rewrite_sentences, a.score) for a in full]


class _ByText:
    """An embedder whose vector depends on the text alone, so any batching must agree."""

    kind = "english"
    dim = 4

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(len(texts))
        return np.array([[len(t), t.count("e"), t.count(" "), 1.0] for t in texts], dtype=np.float32)


def test_features_of_many_documents_embed_them_in_one_call(seeds_dir):
    docs = [prepare(a, WORDS) for a in load_articles([seeds_dir])] + [prepare(Article(id="empty", text="."), WORDS)]
    embedder = _ByText()
    together = features_of(docs, WORDS, embedder)
    assert embedder.calls == [sum(len(d.sentences) for d in docs)]
    for doc, side in zip(docs, together):
        alone = features(doc, WORDS, _ByText())
        assert side.words == alone.words and side.speakers == alone.speakers and side.embedding_kind == alone.embedding_kind
        if doc.sentences:
            assert np.array_equal(side.embeddings, alone.embeddings)
        else:
            assert side.embeddings is None and alone.embeddings is None


class _CallSensitive:
    """A model whose vectors record the call that made them (how many texts it held), as
    a real model's last bits do: equal vectors mean equal calls."""

    model_id, dim = "call-sensitive", 3

    def __init__(self) -> None:
        self.texts = 0

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return np.array([[len(t), len(texts), 1.0] for t in texts], dtype=np.float32)


def test_each_distinct_sentence_is_embedded_once_whatever_the_number_of_processes(seeds_dir, monkeypatch):
    from crosscheck.semantic import Embedder

    model = _CallSensitive()
    embedder = Embedder(model)
    monkeypatch.setattr("crosscheck.semantic.bridge.embedder_for", lambda settings: embedder)
    articles = load_articles([seeds_dir]) * 15  # 75 articles, each seed 15 times: three slices
    wanted = list(range(len(articles)))
    one, two = VersionJudge(articles, WORDS), VersionJudge(articles, WORDS)
    one.prepare_all(wanted, workers=1)
    distinct = {s.norm for a in load_articles([seeds_dir]) for s in prepare(a, WORDS).sentences}
    assert model.texts == len(distinct)  # the 15 copies of each sentence were embedded once
    two.prepare_all(wanted, workers=2)
    key = id(embedder)
    for i in wanted:
        assert np.array_equal(one._features[(i, key)].embeddings, two._features[(i, key)].embeddings)
        assert len(one._features[(i, key)].embeddings) == len(one._document(i).sentences)
    texts = model.texts
    one.coverages([(0, 1), (1, 4), (0, 4)])
    assert model.texts == texts  # comparing embeds nothing more
