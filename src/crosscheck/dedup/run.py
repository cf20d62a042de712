"""Find copies (near-duplicates) and rewrites of the same statements (same story).

``dedup`` is the library entry point behind ``crosscheck dedup``. Near-duplicates are
found by MinHash LSH and confirmed on exact shingle sets; same-story clusters by
TF-IDF (or embedding) candidates confirmed with the matcher's statement coverage.
With ``index=``, sketches are kept in an SQLite file so that a later run adds new
articles and reports which copy what was indexed before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.dedup.engines import ENGINES, Verdict, components
from crosscheck.errors import ConfigError, InputError
from crosscheck.text.load import iter_articles
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
            )
        )
    return out


def _articles(inputs: Inputs, settings: Settings, skipped: list[str]) -> Iterator[Article]:
    """Stream articles from paths, folders, record files or Article values, in order."""
    if isinstance(inputs, (str, Path, Article)):
        inputs = [inputs]
    paths: list[str | Path] = []

    def on_skip(error: InputError) -> None:
        skipped.append(str(error))

    for item in inputs:
        if isinstance(item, Article):
            if paths:
                yield from iter_articles(paths, settings, on_skip)
                paths = []
            yield item
        elif isinstance(item, (str, Path)):
            paths.append(item)
        else:
            raise TypeError(f"expected paths or Articles, got {type(item).__name__}")
    if paths:
        yield from iter_articles(paths, settings, on_skip)


def check_settings(settings: Settings) -> None:
    """Refuse settings dedup cannot work with, naming the key."""
    d = settings.dedup
    if not 0.0 < d.threshold <= 1.0:
        raise ConfigError("dedup.threshold", f"must be in (0, 1], got {d.threshold}")
    if not 0.0 < d.containment_threshold <= 1.0:
        raise ConfigError("dedup.containment_threshold", f"must be in (0, 1], got {d.containment_threshold}")
    if d.shingle_size < 1:
        raise ConfigError("dedup.shingle_size", f"must be at least 1, got {d.shingle_size}")
    if not 1 <= d.num_perm <= 1024:
        raise ConfigError("dedup.num_perm", f"must be between 1 and 1024, got {d.num_perm}")
    if d.hash not in ("sha1", "fast"):
        raise ConfigError("dedup.hash", f"expected 'sha1' or 'fast', got {d.hash!r}")
    if d.scheme not in ("affine32", "legacy"):
        raise ConfigError("dedup.scheme", f"expected 'affine32' or 'legacy', got {d.scheme!r}")
    if d.representative not in ("earliest", "longest"):
        raise ConfigError("dedup.representative", f"expected 'earliest' or 'longest', got {d.representative!r}")
    if d.anchor_rate < 1 or d.batch_size < 1 or d.workers < 0:
        raise ConfigError("dedup", "anchor_rate and batch_size must be at least 1, workers at least 0")


def dedup(
    paths_or_articles: Inputs,
    mode: str = "near",
    settings: Settings | None = None,
    index: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> DedupResult:
    """Cluster near-duplicate articles (``near``), same-story articles (``story``), or both.

    Inputs are files, folders, JSONL/CSV corpora or Article values, read as a stream.
    ``index`` names an SQLite file that keeps the sketches between runs; ``engine``
    ``dask`` runs the near-duplicate stages on a Dask cluster (a local one, or the
    scheduler at ``scheduler``).
    """
    settings = settings or Settings()
    if mode not in MODES:
        raise ConfigError("mode", f"expected one of {', '.join(MODES)}, got {mode!r}")
    if engine not in ENGINES:
        raise ConfigError("engine", f"expected one of {', '.join(ENGINES)}, got {engine!r}")
    check_settings(settings)
    skipped: list[str] = []
    clusters: list[DuplicateCluster] = []
    story_articles: list[Article] = []

    def stream() -> Iterator[Article]:
        for article in _articles(paths_or_articles, settings, skipped):
            if mode != "near":
                story_articles.append(article)
            yield article

    candidates, indexed, already = 0, 0, ()
    if mode == "story":
        count = sum(1 for _ in stream())
    elif index is not None:
        from crosscheck.dedup.index import run_indexed

        if engine != "local":
            raise ConfigError("engine", "--index works with the local engine only")
        found = run_indexed(stream(), settings, index)
        clusters += found.clusters
        count, candidates, indexed, already = found.articles, found.candidates, found.indexed, found.already
    else:
        if engine == "dask":
            from crosscheck.dedup.engines.dask_engine import run as run_engine
            graph = run_engine(stream(), settings, scheduler)
        else:
            from crosscheck.dedup.engines.local import run as run_engine_local
            graph = run_engine_local(stream(), settings)
        clusters += build_clusters("near", graph.ids, graph.dates, graph.sizes, graph.edges, settings.dedup.representative)
        count, candidates = len(graph.ids), graph.candidates
    if mode != "near":
        from crosscheck.dedup.story import story_clusters

        clusters += story_clusters(story_articles, settings)
    return DedupResult(
        clusters=tuple(clusters),
        articles=count,
        candidates=candidates,
        indexed=indexed,
        already_indexed=tuple(already),
        skipped=tuple(skipped),
    )
