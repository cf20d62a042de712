"""The domain model: plain frozen values that flow from one pipeline stage to the next.

Every offset in these values indexes ``Article.text``: the file as read, after
decoding and nothing else. Normalization, cleaning and segmentation keep offset maps
so that what a user is shown can always be found again in the file they gave us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["verbatim", "faithful_paraphrase", "divergent", "partial"]
QuoteVerdict = Literal["verbatim", "faithful", "altered", "not_found", "unverifiable"]

RELATIONS: tuple[str, ...] = ("verbatim", "faithful_paraphrase", "divergent", "partial")
DIVERGENCE_TYPES: tuple[str, ...] = (
    "qualifier_dropped",
    "qualifier_added",
    "negation_changed",
    "modality_changed",
    "number_changed",
    "entity_changed",
    "quote_altered",
    "attribution_changed",
    "tone_or_framing_added",
    "claim_strengthened",
    "claim_weakened",
    "detail_added",
    "detail_dropped",
    "omission",
    "summary",
)
QUOTE_VERDICTS: tuple[str, ...] = ("verbatim", "faithful", "altered", "not_found", "unverifiable")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into an article's text as read."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(frozen=True)
class Article:
    """One article as read: its text (decoded, otherwise untouched) and its metadata."""

    id: str
    text: str
    path: str | None = None
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    # ISO 639-1 code ("en", "ru"): stated by front matter (``lang:``) or detected by
    # ``prepare``; None only before an article is prepared.
    language: str | None = None
    # Spans of the text that carried metadata (front matter, a leading date line);
    # cleaning removes them from the body and records them.
    metadata_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Boilerplate:
    """A stretch of web furniture removed from the article body, and why."""

    span: Span
    text: str
    reason: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article body.

    ``text`` is the sentence as it stands in the file; ``norm`` is its normalized
    form (quotes, dashes, spaces and Unicode folded), which the matchers compare.
    """

    index: int
    span: Span
    text: str
    norm: str
    paragraph: int
    speaker: str | None = None


@dataclass(frozen=True)
class Quote:
    """A quoted span (marks included in ``span``) and the speaker the text gives it."""

    span: Span
    text: str
    speaker: str | None
    sentence_indices: tuple[int, ...] = ()


@dataclass(frozen=True)
class Document:
    """An article made ready for comparison: cleaned, segmented, its quotes found."""

    article: Article
    sentences: tuple[Sentence, ...]
    quotes: tuple[Quote, ...] = ()
    boilerplate: tuple[Boilerplate, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text


@dataclass(frozen=True)
class Divergence:
    """One named way a rewrite moved from its source, with the words that show it.

    ``source_words`` and ``rewrite_words`` are the aligned words of each side that
    carry the change (one side is empty for a detail only one side has).
    """

    type: str
    source_words: tuple[str, ...] = ()
    rewrite_words: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DiffOp:
    """A word-level difflib opcode: ``equal``, ``delete`` (source only), ``insert``, ``replace``.

    The offsets index the original texts of the source and the rewrite (-1 when the
    side has no words in this operation), so renderers never re-run a diff.
    """

    op: str
    source_text: str
    rewrite_text: str
    source_start: int = -1
    source_end: int = -1
    rewrite_start: int = -1
    rewrite_end: int = -1


@dataclass(frozen=True)
class PairScore:
    """How two passages relate: similarity and divergence in [0, 1], a relation, its types."""

    similarity: float
    divergence: float
    relation: str
    types: tuple[Divergence, ...] = ()
    lexical: float = 0.0
    semantic: float | None = None


@dataclass(frozen=True)
class Alignment:
    """Rewrite sentences that carry the same statement as some source sentences."""

    source_sentences: tuple[int, ...]
    rewrite_sentences: tuple[int, ...]
    source_spans: tuple[Span, ...]
    rewrite_spans: tuple[Span, ...]
    score: PairScore
    diff: tuple[DiffOp, ...] = ()

    @property
    def relation(self) -> str:
        return self.score.relation

    @property
    def similarity(self) -> float:
        return self.score.similarity

    @property
    def divergence(self) -> float:
        return self.score.divergence

    @property
    def types(self) -> tuple[Divergence, ...]:
        return self.score.types


@dataclass(frozen=True)
class Unmatched:
    """A sentence with no counterpart: unsupported in the rewrite, omitted from the source."""

    sentence: int
    span: Span
    text: str
    weight: float = 0.0


@dataclass(frozen=True)
class QuoteCheck:
    """A quote of the rewrite checked against the source."""

    quote: Quote
    verdict: str
    source_span: Span | None = None
    similarity: float = 0.0
    source_text: str = ""


@dataclass(frozen=True)
class Summary:
    coverage_source: float
    coverage_rewrite: float
    divergence: float
    semantic: bool
    counts: dict[str, int] = field(default_factory=dict)
    # Which embedding read the pair: "english" (MiniLM), "multilingual" (USE), or None.
    embedding: str | None = None


@dataclass(frozen=True)
class Comparison:
    """Everything crosscheck found between one source and one rewrite."""

    source: Document
    rewrite: Document
    alignments: tuple[Alignment, ...]
    unsupported: tuple[Unmatched, ...]
    omitted: tuple[Unmatched, ...]
    quotes: tuple[QuoteCheck, ...]
    summary: Summary


@dataclass(frozen=True)
class ClusterPair:
    a: str
    b: str
    similarity: float
    why: str = ""


@dataclass(frozen=True)
class DuplicateCluster:
    """Articles joined at one level: copies (kind ``near``), versions of one story
    (``version``: they share passages or statements) or write-ups of one event
    (``event``: shared names, dates, topic). ``reason`` says in words why they are one."""

    id: str
    kind: str
    members: tuple[str, ...]
    representative: str
    pairs: tuple[ClusterPair, ...] = ()
    reason: str = ""
