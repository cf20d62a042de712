"""What goes through the NLP pipeline, and in how many batches: a comparison reads the
linked passages of both sides in one batch and nothing else; a batch that forks workers
reads the source once, here, so that the workers inherit its tokens. Reading fewer texts
or in other batches must never change a token: a text reads the same alone or batched."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.match.compare import Matcher
from crosscheck.match.wordalign import passage_pieces
from crosscheck.model import Article
from crosscheck.parallel import MIN_ITEMS
from crosscheck.text import nlp

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
S001 = SEEDS / "001_501dcf1e5442c15e.txt"
S000 = SEEDS / "000_0c1e1df2397bbb9f.txt"
LEXICAL = Settings().with_values({"match.semantic": "off"})

pytestmark = pytest.mark.skipif(not nlp.available(), reason="needs the nlp extra (spaCy and en_core_web_sm)")

SOURCE = (
    "Over the past period, the CSTO has established itself as an important factor of strengthening "
    "peace and stability in the Eurasian space. The organisation's member states will certainly "
    "strengthen their cooperation in the coming years. Russia sees no direct threat to the region."
)
FILLER = "The ministry did not respond to a request for comment."
REWRITE = (
    "Over the past period, the CSTO has set up itself as a crucial factor of strengthening peace and "
    "stability in the Eurasian space. " + FILLER + " The organization's member states will have to "
    "strengthen their cooperation in the coming years."
)


class _CountingPipe:
    """The spaCy pipeline with a count of the batches and texts put through it."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline
        self.batches: list[list[str]] = []

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        self.batches.append(texts)
        return self.pipeline.pipe(texts, **kwargs)

    def __call__(self, text):
        self.batches.append([text])
        return self.pipeline(text)


@pytest.fixture
def counted(monkeypatch):
    counting = _CountingPipe(nlp._pipeline())
    monkeypatch.setitem(nlp._state, "nlp", counting)
    monkeypatch.setattr(nlp, "_cache", type(nlp._cache)())
    return counting


def _pieces_of(document, indices):
    return passage_pieces(document.text, [document.sentences[k].span for k in indices])


def test_a_comparison_reads_its_linked_passages_in_one_batch_and_no_unlinked_sentence(counted):
    comparison = Matcher(Article(id="s", text=SOURCE), LEXICAL).compare(Article(id="r", text=REWRITE))
    assert len(comparison.alignments) == 2
    assert len(counted.batches) == 1  # the verdicts then find every passage they read cached
    linked = {p for a in comparison.alignments
              for p in _pieces_of(comparison.source, a.source_sentences) + _pieces_of(comparison.rewrite, a.rewrite_sentences)}
    assert set(counted.batches[0]) == linked
    # The filler links to nothing, so nothing reads its words: the pipeline never sees it.
    assert [u.text for u in comparison.unsupported] == [FILLER]
    assert FILLER not in nlp._cache


def test_the_tokens_of_a_linked_passage_are_the_same_read_alone_or_in_the_batch(counted):
    comparison = Matcher(Article(id="s", text=SOURCE), LEXICAL).compare(Article(id="r", text=REWRITE))
    for text in counted.batches[0]:
        assert nlp._cache[text] == nlp._from_doc(counted.pipeline(text))
    assert comparison.alignments  # the batch above was the comparison's


def test_a_batch_that_forks_reads_the_source_once_before_the_workers_start(counted):
    matcher = Matcher(Article(id="s", text=SOURCE), LEXICAL)
    rewrites = [Article(id=f"r{k}", text=REWRITE) for k in range(MIN_ITEMS)]
    assert len(matcher.source.sentences) <= len(rewrites)
    matcher.compare_all(rewrites, workers=2)
    # The workers' batches happen in their own processes; this one only read the source.
    assert counted.batches == [_pieces_of(matcher.source, range(len(matcher.source.sentences)))]


def test_a_long_source_beside_fewer_rewrites_than_its_sentences_is_not_read_whole(counted):
    matcher = Matcher(S001, LEXICAL)  # the transcript: far more sentences than 8 rewrites
    assert len(matcher.source.sentences) > MIN_ITEMS
    matcher.compare_all([S000] * MIN_ITEMS, workers=2)
    assert counted.batches == []  # every worker reads what its own comparisons link


def test_a_batch_compared_in_this_process_reads_the_source_only_where_it_is_linked_or_quoted(counted):
    matcher = Matcher(S001, LEXICAL)
    matcher.compare_all([S000] * (MIN_ITEMS - 1), workers=2)  # too few to fork
    pieces = _pieces_of(matcher.source, range(len(matcher.source.sentences)))
    # The verdicts and the quote checks read some of the source's sentences, not all.
    assert 0 < sum(p in nlp._cache for p in pieces) < len(pieces)
    assert pieces not in counted.batches
