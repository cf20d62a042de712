"""Group a corpus at three levels: copies, versions of one story, write-ups of one event.

``dedup`` is the library entry point behind ``crosscheck dedup``. Copies (kind
``near``) are found by MinHash LSH and confirmed on exact shingle sets; versions and
events (``--mode story``) by rare-name and embedding candidates, the matcher and
clusterings that resist chaining (:mod:`crosscheck.dedup.story`). With ``index=``,
sketches are kept in an SQLite file so that a later run adds new articles and reports
which copy what was indexed before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.dedup.engines import ENGINES, Verdict, components
from crosscheck.errors import ConfigError
from crosscheck.parallel import heap_set_aside
from crosscheck.text.load import Outcome, input_bytes, read_ahead, settled_articles
from crosscheck.text.records import Fatal, LineChunk
from crosscheck.model import Article, ClusterPair, DuplicateCluster

MODES = ("near", "story", "both")
SCHEMA = "crosscheck.clusters/1"

Inputs = str | Path | Article | Iterable[str | Path | Article]


@dataclass(frozen=True)
class DedupResult:
    """Clusters found, and how many articles were looked at."""

    clusters: tuple[DuplicateCluster, ...]
    articles: int
    candidates: int = 0
    indexed: int = 0
    already_indexed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = field(default=())

    def of_kind(self, kind: str) -> tuple[DuplicateCluster, ...]:
        return tuple(c for c in self.clusters if c.kind == kind)

    def to_dict(self) -> dict:
        from crosscheck.dedup.output import as_dict

        return as_dict(self)


def cluster_id(kind: str, members: Iterable[str]) -> str:
    """A cluster id that depends only on its kind and members, never on run order.

    >>> cluster_id("near", ["b", "a"]) == cluster_id("near", ["a", "b"])
    True
    """
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()[:10]
    return f"{kind}-{digest}"


def representative(
    members: Sequence[int], dates: Sequence[str | None], sizes: Sequence[int], rule: str
) -> int:
    """The member that stands for a cluster: the earliest dated (ties and undated go to
    the longest), or simply the longest; then the first in input order.

    >>> representative([0, 1, 2], [None, "2022-05-17", "2022-05-16"], [9, 5, 5], "earliest")
    2
    >>> representative([0, 1, 2], [None, "2022-05-17", "2022-05-16"], [9, 5, 5], "longest")
    0
    """
    if rule == "longest":
        return min(members, key=lambda m: (-sizes[m], m))
    return min(members, key=lambda m: (dates[m] is None, dates[m] or "", -sizes[m], m))


def build_clusters(
    kind: str,
    ids: Sequence[str],
    dates: Sequence[str | None],
    sizes: Sequence[int],
    edges: Sequence[Verdict],
    rule: str = "earliest",
) -> list[DuplicateCluster]:
    """Clusters from verified pairs given by article number: components, each with its
    representative, its pairs and a deterministic id."""
    out = []
    by_node: dict[int, list[Verdict]] = {}
    for edge in edges:
        by_node.setdefault(edge.a, []).append(edge)
    for group in components([(e.a, e.b) for e in edges]):
        members = tuple(ids[m] for m in group)
        pairs = tuple(
            ClusterPair(ids[e.a], ids[e.b], round(e.similarity, 4), e.why)
            for m in group for e in sorted(by_node.get(m, []), key=lambda e: e.b)
        )
        out.append(
            DuplicateCluster(
                id=cluster_id(kind, members),
                kind=kind,
                members=members,
                representative=ids[representative(group, dates, sizes, rule)],
                pairs=pairs,
                reason=_copy_reason(pairs),
            )
        )
    return out


def _copy_reason(pairs: Sequence[ClusterPair]) -> str:
    """Why members are copies, from the verified pairs' evidence."""
    excerpts = sum(1 for p in pairs if p.why.startswith("excerpt"))
    least = min((p.similarity for p in pairs), default=0.0)
    kinds = f", {excerpts} of them excerpts of a longer member" if excerpts else ""
    return (f"copies: {len(pairs)} verified pairs of near-identical text (exact shingle Jaccard "
            f"or containment {least:.2f} or more){kinds}")


def _reads(inputs: Inputs, settings: Settings) -> Iterator[tuple[dict[str, str] | None, LineChunk | list[Outcome], int]]:
    """The inputs as work for :func:`~crosscheck.dedup.engines.local.sketch_reads`, in
    order, each piece with the ids seen so far in its read and the bytes of input it
    finishes (:func:`~crosscheck.text.load.read_ahead`): every run of paths between
    Article values is one read (as :func:`_articles` reads it); Article values are kept
    as given, in batches, counted by their text's UTF-8 bytes."""
    if isinstance(inputs, (str, Path, Article)):
        inputs = [inputs]
    batch = settings.dedup.batch_size
    paths: list[str | Path] = []
    given: list[Outcome] = []

    def read(paths: list[str | Path]) -> Iterator[tuple[dict[str, str], LineChunk | list[Outcome], int]]:
        seen: dict[str, str] = {}
        return ((seen, piece, size) for piece, size in read_ahead(paths, settings, batch))

    def flush() -> tuple[None, list[Outcome], int]:
        return None, given, sum(_text_bytes(o) for o in given)

    for item in inputs:
        if isinstance(item, Article):
            if paths:
                yield from read(paths)
                paths = []
            given.append((item, False))
            if len(given) >= batch:
                yield flush()
                given = []
        elif isinstance(item, (str, Path)):
            if given:
                yield flush()
                given = []
            paths.append(item)
        else:
            # Raised in its place, after what came before it (paths not yet read are
            # not read, as :func:`_articles` does).
            given.append(Fatal(TypeError(f"expected paths or Articles, got {type(item).__name__}")))
            yield flush()
            return
    if given:
        yield flush()
    if paths:
        yield from read(paths)


def _text_bytes(outcome: Outcome) -> int:
    return len(outcome[0].text.encode("utf-8", "surrogatepass")) if isinstance(outcome, tuple) else 0


def _input_bytes(inputs: Inputs, settings: Settings) -> int:
    """What :func:`_reads` counts off in all: the progress total of reading; 0 (no
    total) for a one-pass iterable, which only the read itself may go through."""
    if isinstance(inputs, (str, Path, Article)):
        inputs = [inputs]
    if iter(inputs) is inputs:
        return 0
    paths = [item for item in inputs if isinstance(item, (str, Path))]
    given = [(item, False) for item in inputs if isinstance(item, Article)]
    return input_bytes(paths, settings) + sum(_text_bytes(o) for o in given)


def _reading_bar(inputs: Inputs, settings: Settings,
                 progress: Callable[[str, int, int], None] | None) -> Callable[[int], None]:
    """What hears of each piece read (its bytes of input) and moves the reading stage of
    ``progress``, in KB against the input's size (no total for a one-pass iterable)."""
    total = _input_bytes(inputs, settings) // 1024 if progress else 0
    done = 0

    def read(size: int) -> None:
        nonlocal done
        done += size
        if progress:
            progress("reading (KB)", min(done // 1024, total) if total else done // 1024, total)

    return read


def dedup(
    paths_or_articles: Inputs,
    mode: str = "near",
    settings: Settings | None = None,
    index: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DedupResult:
    """Cluster near-duplicate articles (``near``), same-story articles (``story``), or both.

    Inputs are files, folders, JSONL/CSV corpora or Article values, read as a stream.
    ``index`` names an SQLite file that keeps the sketches between runs; ``engine``
    ``dask`` runs the near-duplicate stages on a Dask cluster (a local one, or the
    scheduler at ``scheduler``). ``progress(stage, done, total)`` is called as each
    stage advances.
    """
    with heap_set_aside():
        return _dedup(paths_or_articles, mode, settings or Settings(), index, engine, scheduler, progress)


def _dedup(
    paths_or_articles: Inputs,
    mode: str,
    settings: Settings,
    index: str | Path | None,
    engine: str,
    scheduler: str | None,
    progress: Callable[[str, int, int], None] | None,
) -> DedupResult:
    """:func:`dedup`, its arguments settled."""
    if mode not in MODES:
        raise ConfigError("mode", f"expected one of {', '.join(MODES)}, got {mode!r}")
    if engine not in ENGINES:
        raise ConfigError("engine", f"expected one of {', '.join(ENGINES)}, got {engine!r}")
    skipped: list[str] = []
    clusters: list[DuplicateCluster] = []
    story_articles: list[Article] = []

    def stream() -> Iterator[Article]:
        """The articles, read and settled in this process (for story mode and the Dask
        engine), the bar counting KB of input against the input's size."""
        read = _reading_bar(paths_or_articles, settings, progress)
        for seen, piece, size in _reads(paths_or_articles, settings):
            for article in settled_articles(piece, settings, seen, lambda error: skipped.append(str(error))):
                if mode != "near":
                    story_articles.append(article)
                yield article
            read(size)

    def sketched():  # type: ignore[no-untyped-def]
        """Sketches for the local engine. In near mode workers also read (parse, and
        settle in order here); otherwise the articles are kept for the story stages."""
        from crosscheck.dedup.engines.local import sketch_reads, sketch_stream

        if mode != "near":
            yield from sketch_stream(stream(), settings)
            return
        # Reading, parsing, cleaning and sketching go together in the workers: one
        # stage, counted in KB of input so that it has a total (and the bar a time left).
        yield from sketch_reads(_reads(paths_or_articles, settings), settings,
                                lambda error: skipped.append(str(error)),
                                _reading_bar(paths_or_articles, settings, progress))

    candidates, indexed, already = 0, 0, ()
    if mode == "story":
        count = sum(1 for _ in stream())
    elif index is not None:
        from crosscheck.dedup.index import run_indexed

        if engine != "local":
            raise ConfigError("engine", "--index works with the local engine only")
        found = run_indexed(sketched(), settings, index)
        clusters += found.clusters
        count, candidates, indexed, already = found.articles, found.candidates, found.indexed, found.already
    else:
        if engine == "dask":
            from crosscheck.dedup.engines.dask_engine import run as run_engine
            graph = run_engine(stream(), settings, scheduler)
        else:
            from crosscheck.dedup.engines.local import run as run_engine_local
            graph = run_engine_local(sketched(), settings, progress)
        clusters += build_clusters("near", graph.ids, graph.dates, graph.sizes, graph.edges, settings.dedup.representative)
        count, candidates = len(graph.ids), graph.candidates
    if mode != "near":
        from crosscheck.dedup.story import story_clusters

        if engine == "dask":
            from crosscheck.dedup.engines.dask_engine import story_mapper

            with story_mapper(scheduler, settings) as mapper:
                clusters += story_clusters(story_articles, settings, progress=progress, mapper=mapper)
        else:
            clusters += story_clusters(story_articles, settings, progress=progress)
    return DedupResult(
        clusters=tuple(clusters),
        articles=count,
        candidates=candidates,
        indexed=indexed,
        already_indexed=tuple(already),
        skipped=tuple(skipped),
    )
