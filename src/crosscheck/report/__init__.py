"""Batch reports: rank the divergent paraphrases across a whole folder of articles.

``report`` reads and prepares the articles, finds which pairs to compare (see
:mod:`crosscheck.report.pairs`), compares them over the available cores, and ranks
what diverged; ``render`` writes the result as Markdown, HTML, JSON or CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.parallel import MIN_ITEMS, process_map, worker_count
from crosscheck.errors import ConfigError, InputError
from crosscheck.model import DIVERGENCE_TYPES, Article, Comparison, Document
from crosscheck.report.model import Ranked, Report, StatementGroup
from crosscheck.report.pairs import plan_pairs

FORMATS = ("md", "html", "json", "csv")

# progress(stage, done, total): called as articles are read and pairs compared.
Progress = Callable[[str, int, int], None]

def _compare_chunk(task: tuple[Document, list[Document], Settings]) -> list[Comparison]:
    from crosscheck.match.compare import Matcher

    source, rewrites, settings = task
    matcher = Matcher(source, settings)
    return [matcher.compare(r) for r in rewrites]


def _runner(docs: Sequence[Document], settings: Settings, progress: Progress | None):
    """A function comparing ``(source, rewrite)`` index pairs, in worker processes when
    there are enough of them, reporting progress as chunks finish."""
    workers = worker_count(settings.report.workers)
    state = {"done": 0, "total": 0}

    def run(pairs: Sequence[tuple[int, int]]) -> list[Comparison]:
        state["total"] += len(pairs)
        by_source: dict[int, list[int]] = {}
        for k, (s, _) in enumerate(pairs):
            by_source.setdefault(s, []).append(k)
        size = max(1, min(32, -(-len(pairs) // (workers * 4))))
        chunks = [ks[x : x + size] for ks in by_source.values() for x in range(0, len(ks), size)]
        tasks = [(docs[pairs[ks[0]][0]], [docs[pairs[k][1]] for k in ks], settings) for ks in chunks]
        out: list[Comparison | None] = [None] * len(pairs)

        def collect(ks: list[int], results: list[Comparison]) -> None:
            for k, c in zip(ks, results):
                out[k] = c
            state["done"] += len(ks)
            if progress:
                progress("comparing", state["done"], state["total"])

        # The count that pays for processes is of pairs; the work is handed out in chunks.
        spread = workers if len(pairs) >= MIN_ITEMS else 1
        for ks, results in zip(chunks, process_map(_compare_chunk, tasks, spread, min_items=1)):
            collect(ks, results)
        return [c for c in out if c is not None]

    return run


def _documents(items: Sequence[str | Path | Article | Document], settings: Settings, progress: Progress | None) -> list[Document]:
    from crosscheck.text.load import iter_articles
    from crosscheck.text.prepare import prepare_many

    articles: list[Article | Document] = []
    paths = [i for i in items if isinstance(i, (str, Path))]
    if paths:
        for article in iter_articles(paths, settings):
            articles.append(article)
            if progress:
                progress("reading", len(articles), 0)
    articles += [i for i in items if not isinstance(i, (str, Path))]
    if not articles:
        raise InputError(", ".join(map(str, paths)) or "(no input)", "holds no articles")
    return prepare_many(articles, settings)


def _source_index(source: str | Path | Article | Document, docs: list[Document], settings: Settings) -> int:
    """Find the source among the articles by id or path; a file not among them is added."""
    if isinstance(source, (Article, Document)):
        wanted = source.id
    else:
        wanted = str(source)
        for k, d in enumerate(docs):
            if d.id == wanted or (d.article.path and Path(d.article.path) == Path(wanted)):
                return k
        if not Path(wanted).exists():
            raise InputError(wanted, "is neither the id of one of the articles nor a file")
    for k, d in enumerate(docs):
        if d.id == wanted:
            return k
    from crosscheck.text.prepare import prepare

    docs.append(prepare(source, settings))
    return len(docs) - 1


def rank(comparisons: Sequence[Comparison], min_divergence: float = 0.0, types: Iterable[str] | None = None) -> tuple[Ranked, ...]:
    """The divergent alignments of every pair, most divergent first.

    With ``types``, only alignments showing at least one of them are kept.
    """
    wanted = set(types) if types else None
    out = []
    for p, c in enumerate(comparisons):
        for k, a in enumerate(c.alignments):
            if a.relation != "divergent" or a.divergence < min_divergence:
                continue
            if wanted and not wanted & {d.type for d in a.types}:
                continue
            out.append(Ranked(p, k, a, c.source.id, c.rewrite.id))
    out.sort(key=lambda r: (-r.alignment.divergence, r.source_id, r.rewrite_id, r.alignment.rewrite_sentences))
    return tuple(out)


def group_statements(comparisons: Sequence[Comparison], ranking: Sequence[Ranked]) -> tuple[StatementGroup, ...]:
    """Source statements that two or more rewrites rendered, one of them divergently.

    Alignments of one source that share a source sentence fall in one group, so a
    sentence rendered three ways appears once with its three renderings.
    """
    ranked = {(r.pair, r.index) for r in ranking}
    by_source: dict[str, list[Ranked]] = {}
    for p, c in enumerate(comparisons):
        for k, a in enumerate(c.alignments):
            by_source.setdefault(c.source.id, []).append(Ranked(p, k, a, c.source.id, c.rewrite.id))
    groups = []
    for source_id, items in by_source.items():
        parent = list(range(len(items)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        first: dict[int, int] = {}
        for n, item in enumerate(items):
            for s in item.alignment.source_sentences:
                if s in first:
                    parent[find(n)] = find(first[s])
                else:
                    first[s] = n
        members: dict[int, list[Ranked]] = {}
        for n, item in enumerate(items):
            members.setdefault(find(n), []).append(item)
        for group in members.values():
            if len({r.rewrite_id for r in group}) < 2 or not any((r.pair, r.index) in ranked for r in group):
                continue
            spans = {}
            for r in group:
                spans.update(zip(r.alignment.source_sentences, r.alignment.source_spans))
            order = sorted(spans)
            group.sort(key=lambda r: (-r.alignment.divergence, r.rewrite_id))
            groups.append(StatementGroup(source_id, tuple(order), tuple(spans[s] for s in order), tuple(group)))
    groups.sort(key=lambda g: (-g.divergence, g.source_id, g.source_sentences))
    return tuple(groups)


def report(
    paths_or_articles: Iterable[str | Path | Article | Document] | str | Path,
    source: str | Path | Article | Document | None = None,
    settings: Settings | None = None,
    min_divergence: float | None = None,
    types: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Compare a folder of articles and rank how their rewrites diverged.

    With ``source`` (an id, a path, an Article), every other article is compared with
    it; without it, crosscheck finds which articles share statements and which way
    they were drawn. ``progress(stage, done, total)`` is called as work proceeds.
    """
    settings = settings or Settings()
    if isinstance(paths_or_articles, (str, Path, Article, Document)):
        paths_or_articles = [paths_or_articles]
    if isinstance(types, str):  # one type name; the CLI splits its comma list itself
        types = [types]
    types = tuple(types) if types else None
    unknown = [t for t in types or () if t not in DIVERGENCE_TYPES]
    if unknown:
        raise ConfigError("types", f"unknown divergence type {unknown[0]!r}; known: {', '.join(DIVERGENCE_TYPES)}")
    if min_divergence is None:
        min_divergence = settings.report.min_divergence
    if not isinstance(min_divergence, (int, float)) or not 0.0 <= min_divergence <= 1.0:
        raise ConfigError("min_divergence", f"expected a number from 0 to 1, got {min_divergence!r}")
    from crosscheck.semantic.bridge import embedder_for

    embedder = embedder_for(settings)  # load once before workers fork; fail early
    docs = _documents(list(paths_or_articles), settings, progress)
    source_index = None if source is None else _source_index(source, docs, settings)
    plan = plan_pairs(docs, settings, _runner(docs, settings, progress), source_index)
    ranking = rank(plan.comparisons, min_divergence, types)
    return Report(
        articles=tuple(d.article for d in docs),
        comparisons=plan.comparisons,
        ranking=ranking,
        groups=group_statements(plan.comparisons, ranking),
        unrelated=tuple(docs[k].id for k in plan.unrelated),
        min_divergence=min_divergence,
        types=types,
        semantic=embedder is not None,
        top=settings.report.top,
        omitted_limit=settings.report.omitted_limit,
        sources=plan.sources,
    )


def render(report: Report, format: str = "md") -> str:
    """The report as text in one of ``md``, ``html``, ``json``, ``csv``."""
    if format == "md":
        from crosscheck.report.markdown import render_markdown as fn
    elif format == "html":
        from crosscheck.report.html import render_html as fn
    elif format == "json":
        from crosscheck.report.jsonout import render_json as fn
    elif format == "csv":
        from crosscheck.report.csvout import render_csv as fn
    else:
        raise ConfigError("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
    return fn(report)


__all__ = ["FORMATS", "Report", "Ranked", "StatementGroup", "group_statements", "rank", "render", "report"]
