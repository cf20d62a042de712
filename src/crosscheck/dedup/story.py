"""Same-story levels: ``version`` (one story rewritten) and ``event`` (one event, other write-ups).

Rewrites and translations share few word 5-grams, so MinHash cannot see them. Instead:

1. Vectors: TF-IDF of content stems, and article embeddings when ``match.semantic``
   allows them (:mod:`crosscheck.dedup.vectors`).
2. Candidates: pairs sharing a rare name, plus each article's nearest neighbours by
   embedding, inside the date window; never all pairs.
3. ``event`` clusters: average linkage over the candidates' similarity, stopped at
   ``dedup.story_event_threshold`` (``..._words`` on words alone), so that a day's
   coverage does not chain into one cluster.
4. ``version`` clusters: each article's few most similar candidates are compared by the
   matcher; a pair is a version when at least ``dedup.story_threshold`` of one side's
   sentences are closely linked to the other's by links that keep names and numbers
   (templated copy, one frame with other facts, is not a version). Articles join a *centre* they are
   confirmed against directly (earliest first), never through a chain of members.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from crosscheck.config import Settings
from crosscheck.dedup.linkage import average_link, centres
from crosscheck.dedup.vectors import TermVectors, shared_names, story_candidates, term_vectors
from crosscheck.dedup.versions import FACT_CHANGES, VersionJudge, source_first, version_coverage  # noqa: F401
from crosscheck.model import Article, ClusterPair, Comparison, DuplicateCluster
from crosscheck.parallel import WorkerPool, worker_count

Progress = Callable[[str, int, int], None]
Compare = Callable[[Article, Article], Comparison]


@dataclass(frozen=True)
class StoryLink:
    """A confirmed version pair (indices into the article list) and its evidence."""

    a: int
    b: int
    cosine: float
    coverage: float


def tfidf_candidates(texts: Sequence[str], min_cosine: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, cosine)`` sharing a rare name with TF-IDF cosine at least ``min_cosine``.

    >>> tfidf_candidates(["Putin met Lukashenko in Moscow", "Lukashenko and Putin met in Moscow",
    ...                   "Rain expected over the weekend"], 0.5)
    [(0, 1, 1.0)]
    """
    found = story_candidates(term_vectors(texts), None, [None] * len(texts), 1.0, len(texts), 0)
    return [(int(a), int(b), float(s)) for a, b, s in zip(found.a, found.b, found.similarity) if s >= min_cosine]


def statement_coverage(comparison: Comparison, min_similarity: float) -> float:
    """The larger share, over the two sides, of sentences in a link at least
    ``min_similarity`` strong: how much of one article the other also states."""
    strong = [al for al in comparison.alignments if al.similarity >= min_similarity]
    source = {i for al in strong for i in al.source_sentences}
    rewrite = {i for al in strong for i in al.rewrite_sentences}
    n_source = len(comparison.source.sentences) or 1
    n_rewrite = len(comparison.rewrite.sentences) or 1
    return max(len(source) / n_source, len(rewrite) / n_rewrite)


def story_bodies(articles: Sequence[Article], settings: Settings, progress: Progress | None = None) -> list[Article]:
    """The articles with their boilerplate cut out, lines repeated across the corpus
    included: outlets' shared headers and footers would otherwise read as shared
    statements."""
    if not settings.clean.enabled:
        return list(articles)
    from crosscheck.dedup.engines import without_boilerplate
    from crosscheck.text.clean import repeated_lines

    repeated = repeated_lines(articles, settings.clean.repeated_line_min_articles)
    out = []
    for k, a in enumerate(articles, 1):
        out.append(dataclasses.replace(a, text=without_boilerplate(a, settings.clean, repeated)))
        if progress and (k % 128 == 0 or k == len(articles)):
            progress("cleaning bodies", k, len(articles))
    return out


def embeddings_for(articles: Sequence[Article], settings: Settings, progress: Progress | None = None,
                   workers: int | None = None) -> np.ndarray | None:
    """Normalised article embeddings, or None when ``match.semantic`` leaves them out.
    They are made over ``workers`` processes (default ``dedup.workers``), forked after
    the model is loaded so that each shares it; the vectors never depend on how many."""
    from crosscheck.semantic.bridge import embedder_for

    embedder = embedder_for(settings)
    if embedder is None or not articles:
        return None
    workers = worker_count(settings.dedup.workers) if workers is None else workers
    heard = (lambda done, total: progress("article vectors", done, total)) if progress else None
    vectors = np.asarray(embedder.embed([a.text for a in articles], workers, heard), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


Mapper = Callable[[Callable, list], Iterable]


def coverage_job(job: tuple[list[tuple[Article, Article]], Settings]) -> list[float]:
    """Version coverage of each pair of a chunk (either order): the unit of work a Dask
    worker runs, by the same judge as the local engine."""
    pairs, settings = job
    articles: list[Article] = []
    index: dict[int, int] = {}  # an article in several pairs is one object (pickling keeps that)
    for x in (x for pair in pairs for x in pair):
        if id(x) not in index:
            index[id(x)] = len(articles)
            articles.append(x)
    return VersionJudge(articles, settings).coverages([(index[id(a)], index[id(b)]) for a, b in pairs])


TASK_PAIRS = 32
"""Pairs a worker takes at a time, at least (a task holds whole neighbourhoods)."""
NEIGHBOURHOOD = 32
"""Most articles in one neighbourhood of pairs (see :func:`pair_tasks`)."""


def pair_tasks(pairs: Sequence[tuple[int, int]], least: int = TASK_PAIRS, reach: int = NEIGHBOURHOOD) -> list[list[int]]:
    """Positions of ``pairs`` in tasks that keep an article's pairs together.

    A process reads each linked passage it meets once (the NLP pipeline's tokens), and
    that costs more than comparing a pair. Pairs in input order join
    the articles they link into neighbourhoods of at most ``reach`` articles (a pair
    between two goes with its first article's), and a task holds whole
    neighbourhoods, at least ``least`` pairs: two processes then
    read far fewer linked passages twice than with pairs dealt out in order. The
    tasks depend on the pairs alone, and on the local engine a pair's articles are
    prepared before any task (:meth:`VersionJudge.prepare_all`), so which worker takes
    a task changes no coverage.

    >>> pair_tasks([(0, 1), (5, 6), (1, 2), (6, 7)], least=2)
    [[0, 2], [1, 3]]
    """
    parent: dict[int, int] = {}
    size: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        a, b = sorted((root(i), root(j)))
        if a != b and size.get(a, 1) + size.get(b, 1) <= reach:
            parent[b] = a
            size[a] = size.get(a, 1) + size.get(b, 1)
    groups: dict[int, list[int]] = {}  # in order of each neighbourhood's first pair
    for k, (i, _) in enumerate(pairs):
        groups.setdefault(root(i), []).append(k)
    tasks: list[list[int]] = []
    current: list[int] = []
    for group in groups.values():
        current += group
        if len(current) >= least:
            tasks.append(current)
            current = []
    if current:
        tasks.append(current)
    # Largest first: the last tasks handed out are small, so no process waits long on another.
    return sorted(tasks, key=len, reverse=True)


Judge = Callable[[list[list[tuple[int, int]]]], Iterable[list[float]]]
"""Tasks of pairs in, each task's coverages out, in order."""


def coverages(pairs: Sequence[tuple[int, int]], judge: Judge, progress: Progress | None = None,
              stage: str = "comparing versions") -> list[float]:
    """Version coverage of each pair, asked of ``judge`` in tasks (:func:`pair_tasks`); in
    input order, whichever task holds a pair."""
    total, done = len(pairs), 0
    out: list[float] = [0.0] * total
    tasks = pair_tasks(pairs)
    if progress:
        progress(stage, 0, total)
    for task, result in zip(tasks, judge([[pairs[k] for k in task] for task in tasks])):
        for k, c in zip(task, result):
            out[k] = c
        done += len(task)
        if progress:
            progress(stage, done, total)
    return out


def _judge(articles: Sequence[Article], pairs: Sequence[tuple[int, int]], settings: Settings,
           compare: Compare | None, mapper: Mapper | None, progress: Progress | None) -> tuple[Judge, WorkerPool | None]:
    """Who checks pairs: ``compare`` in this process, a Dask client's ``mapper``, or the
    local engine's workers (returned too, to be closed), forked once the articles the
    pairs need are prepared."""
    d = settings.dedup
    if compare is not None:
        def by_compare(parts: list[list[tuple[int, int]]]) -> Iterator[list[float]]:
            for part in parts:
                yield [version_coverage(compare(*_source_first(articles[i], articles[j])),
                                        d.story_link_similarity, d.story_max_fact_changes) for i, j in part]
        return by_compare, None
    if mapper is not None:
        def by_mapper(parts: list[list[tuple[int, int]]]) -> Iterable[list[float]]:
            return mapper(coverage_job, [([(articles[i], articles[j]) for i, j in part], settings) for part in parts])
        return by_mapper, None
    judge = VersionJudge(articles, settings)
    judge.prepare_all(sorted({x for pair in pairs for x in pair}), worker_count(d.workers), progress)
    pool = WorkerPool(judge.coverages, worker_count(d.workers))
    return (lambda parts: pool.map(parts, min_items=4)), pool


def _source_first(a: Article, b: Article) -> tuple[Article, Article]:
    return (a, b) if source_first(a, b) else (b, a)


def _version_pairs(n: int, a: np.ndarray, b: np.ndarray, sim: np.ndarray, floor: float, most: int) -> list[tuple[int, int]]:
    """Each article's ``most`` most similar candidates at least ``floor`` similar."""
    chosen: set[tuple[int, int]] = set()
    strong = sim >= floor
    a, b, sim = a[strong], b[strong], sim[strong]
    for side, other in ((a, b), (b, a)):
        order = np.lexsort((other, -sim, side))
        s = side[order]
        rank = np.arange(len(s)) - np.searchsorted(s, s, side="left")
        for k in order[rank < most].tolist():
            chosen.add((int(a[k]), int(b[k])))
    return sorted(chosen)


def _cluster(kind: str, group: Sequence[int], centre: int, articles: Sequence[Article],
             pairs: Sequence[ClusterPair], reason: str) -> DuplicateCluster:
    from crosscheck.dedup.run import cluster_id

    members = tuple(articles[m].id for m in group)
    return DuplicateCluster(cluster_id(kind, members), kind, members, articles[centre].id, tuple(pairs), reason)


def _order(articles: Sequence[Article], rule: str) -> list[int]:
    """All articles in the representative rule's order: earliest (then longest) first,
    or longest first."""
    dates, sizes = [a.date for a in articles], [len(a.text) for a in articles]
    if rule == "longest":
        return sorted(range(len(articles)), key=lambda m: (-sizes[m], m))
    return sorted(range(len(articles)), key=lambda m: (dates[m] is None, dates[m] or "", -sizes[m], m))


def version_clusters(
    articles: Sequence[Article], links: Sequence[StoryLink], settings: Settings
) -> list[DuplicateCluster]:
    """Versions: each member confirmed against its centre directly."""
    d = settings.dedup
    confirmed = {(l.a, l.b): l.coverage for l in links}
    out = []
    for centre, group in centres(_order(articles, d.representative), confirmed):
        pairs = [ClusterPair(articles[min(centre, m)].id, articles[max(centre, m)].id,
                             round(confirmed[(min(centre, m), max(centre, m))], 4),
                             f"coverage {confirmed[(min(centre, m), max(centre, m))]:.2f}: statements of one linked in the other")
                 for m in group if m != centre]
        least = min(p.similarity for p in pairs)
        reason = (f"versions of one story: every member states what the centre states "
                  f"(matcher coverage {least:.2f} or more, at least {d.story_threshold:.2f})")
        out.append(_cluster("version", group, centre, articles, pairs, reason))
    return out


def event_clusters(
    articles: Sequence[Article], tv: TermVectors, a: np.ndarray, b: np.ndarray, sim: np.ndarray,
    settings: Settings, on_embeddings: bool,
) -> list[DuplicateCluster]:
    """Events: average linkage over the candidates' similarity."""
    d = settings.dedup
    threshold = d.story_event_threshold if on_embeddings else d.story_event_threshold_words
    edges = list(zip(a.tolist(), b.tolist(), sim.tolist()))
    vectors = "embedding" if on_embeddings else "tf-idf"
    order = {m: r for r, m in enumerate(_order(articles, d.representative))}
    out = []
    groups = average_link(len(articles), edges, threshold)
    label = {m: k for k, group in enumerate(groups) for m in group}
    inside: dict[int, list[tuple[int, int, float]]] = {}
    for x, y, s in edges:
        if x in label and label[x] == label.get(y):
            inside.setdefault(label[x], []).append((x, y, s))
    for k, group in enumerate(groups):
        centre = min(group, key=order.__getitem__)
        pairs = [ClusterPair(articles[x].id, articles[y].id, round(s, 4), f"{vectors} cosine {s:.2f}")
                 for x, y, s in inside.get(k, [])]
        dates = sorted(articles[m].date[:10] for m in group if articles[m].date)
        names = ", ".join(shared_names(tv, group)) or "none"
        when = f"; dated {dates[0]}..{dates[-1]}" if dates else ""
        mean = sum(s for _, _, s in inside.get(k, [])) / (len(group) * (len(group) - 1) / 2)
        reason = (f"same event: average {vectors} similarity {mean:.2f} "
                  f"(at least {threshold:.2f}); shared names: {names}{when}")
        out.append(_cluster("event", group, centre, articles, pairs, reason))
    return out


def story_links(
    articles: Sequence[Article], settings: Settings, compare: Compare | None = None,
    progress: Progress | None = None,
) -> list[StoryLink]:
    """Candidate pairs the matcher confirms as versions of one story."""
    return _stages(articles, settings, compare, progress, None)[0]


def _stages(articles: Sequence[Article], settings: Settings, compare: Compare | None, progress: Progress | None,
            mapper: Mapper | None):  # type: ignore[no-untyped-def]
    d = settings.dedup
    n = len(articles)
    if progress:
        progress("cleaning bodies", 0, n)
    articles = story_bodies(articles, settings, progress)
    if progress:
        progress("article vectors", 0, n)
    tv = term_vectors([a.text for a in articles])
    # Beside a Dask client (threads in this process) nothing is forked: one process embeds.
    vectors = embeddings_for(articles, settings, progress, None if mapper is None else 1)
    if progress:
        progress("article vectors", n, n)
        progress("story candidates", 0, n)
    found = story_candidates(tv, vectors, [a.date for a in articles], d.story_rare_share, d.story_neighbours,
                             d.story_date_window)
    if progress:
        progress("story candidates", n, n)
    on_embeddings = vectors is not None
    threshold = d.story_event_threshold if on_embeddings else d.story_event_threshold_words
    pairs = _version_pairs(n, found.a, found.b, found.similarity, d.story_version_floor * threshold,
                           d.story_version_neighbours)
    similarity = dict(zip(zip(found.a.tolist(), found.b.tolist()), found.similarity.tolist()))
    judge, pool = _judge(articles, pairs, settings, compare, mapper, progress)
    with pool or nullcontext():  # the local engine's workers serve both comparing stages
        links = [StoryLink(i, j, similarity[(i, j)], c)
                 for (i, j), c in zip(pairs, coverages(pairs, judge, progress)) if c >= d.story_threshold]
        # Second pass: an article confirmed against a member (not the centre) of a version
        # cluster is compared with that centre too; it joins only on a direct link.
        order = _order(articles, d.representative)
        confirmed = {(l.a, l.b): l.coverage for l in links}
        centre_of = {m: c for c, group in centres(order, confirmed) for m in group}
        asked = set(pairs)
        extra = sorted({(min(x, centre_of[y]), max(x, centre_of[y]))
                        for a, b in confirmed for x, y in ((a, b), (b, a))
                        if y in centre_of and x not in centre_of and centre_of[y] != x} - asked)
        links += [StoryLink(i, j, similarity.get((i, j), 0.0), c)
                  for (i, j), c in zip(extra, coverages(extra, judge, progress, "comparing with centres"))
                  if c >= d.story_threshold]
    return sorted(links, key=lambda l: (l.a, l.b)), tv, found, on_embeddings


def story_clusters(
    articles: Sequence[Article], settings: Settings, compare: Compare | None = None,
    progress: Progress | None = None, mapper: Mapper | None = None,
) -> list[DuplicateCluster]:
    """``version`` clusters, then ``event`` clusters, of the articles; ``mapper`` (e.g.
    a Dask client's) runs the matcher's comparisons elsewhere, with the same result."""
    links, tv, found, on_embeddings = _stages(articles, settings, compare, progress, mapper)
    if progress:
        progress("clustering stories", 0, len(articles))
    out = version_clusters(articles, links, settings)
    out += event_clusters(articles, tv, found.a, found.b, found.similarity, settings, on_embeddings)
    if progress:
        progress("clustering stories", len(articles), len(articles))
    return out
