"""Which articles of a folder to compare, and which way round.

Comparing every article with every other is quadratic and mostly noise: a month of
coverage holds many events. So, per group of articles that share content words
(the TF-IDF candidates of :mod:`crosscheck.story`), one article is taken as the
source the others draw on, every other member is compared with it, and the matcher
confirms the pair (enough sentences closely linked, the same test dedup uses for
"same story"). Members it turns down are grouped again among themselves; an article
confirmed with nothing is *unrelated*, reported but not compared line by line.

The source of a group is, in order: an official text (a Kremlin or government
address in its URL or outlet), then the article that contains most of the others'
content words while the others contain least of its own (a transcript holds every
rewrite's words; a rewrite holds a fraction of the transcript's), and among articles
alike within ``DRAWN_ON_MARGIN`` (reruns of one story), the earliest dated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from crosscheck.config import Settings
from crosscheck.model import Article, Comparison, Document
from crosscheck.dedup.story import statement_coverage
from crosscheck.match.words import words_of

# Markers, in an article's URL or outlet, of a primary official text.
OFFICIAL_MARKERS = ("kremlin.ru", "government.ru", "mid.ru", "president.gov", "gov.uk", "whitehouse.gov", "transcript")

RunPairs = Callable[[Sequence[tuple[int, int]]], list[Comparison]]


@dataclass(frozen=True)
class PairPlan:
    """The confirmed comparisons (source first) and the articles that share no statement."""

    comparisons: tuple[Comparison, ...]
    unrelated: tuple[int, ...]
    sources: tuple[tuple[str, str], ...] = ()
    """(article id, why it was taken as the source), one per group compared."""


def is_official(article: Article) -> bool:
    """Whether the article's URL or outlet marks it as a primary official text.

    >>> is_official(Article(id="x", text="...", url="http://en.kremlin.ru/events/president/68412"))
    True
    >>> is_official(Article(id="y", text="...", outlet="Reuters"))
    False
    """
    where = " ".join(filter(None, (article.url, article.outlet))).lower()
    return any(marker in where for marker in OFFICIAL_MARKERS)


def body_text(doc: Document) -> str:
    """The article's sentences without boilerplate: what its statements are made of."""
    return " ".join(s.text for s in doc.sentences)


def _matrices(bags: Sequence[Counter[str]]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF rows (L2-normalized, for cosine) and IDF-weighted rows (L1-normalized, for
    containment), over the content words of each article."""
    vocab: dict[str, int] = {}
    rows, cols, tfs = [], [], []
    for i, bag in enumerate(bags):
        for w, c in bag.items():
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
            tfs.append(c)
    n = len(bags)
    shape = (n, max(1, len(vocab)))
    tf = sparse.csr_matrix((np.array(tfs, dtype=np.float64), (rows, cols)), shape=shape)
    df = np.bincount(np.array(cols, dtype=np.int64), minlength=shape[1]).astype(np.float64)
    idf = np.log((n + 1) / (df + 0.5))
    tfidf = tf.copy()
    tfidf.data = 1.0 + np.log(tfidf.data)
    tfidf = sparse.csr_matrix(tfidf.multiply(idf[np.newaxis, :]))
    l2 = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    l2[l2 == 0] = 1.0
    cosine_rows = sparse.diags(1.0 / l2) @ tfidf
    weighted = sparse.csr_matrix(tf.multiply(idf[np.newaxis, :]))
    l1 = np.asarray(weighted.sum(axis=1)).ravel()
    l1[l1 == 0] = 1.0
    share_rows = sparse.diags(1.0 / l1) @ weighted
    return sparse.csr_matrix(cosine_rows), sparse.csr_matrix(share_rows)


def similarity_and_containment(docs: Sequence[Document]) -> tuple[np.ndarray, np.ndarray]:
    """Two ``n x n`` matrices over the articles' content words.

    ``cosine[i, j]``: TF-IDF cosine, the candidate signal. ``contained[i, j]``: the share
    of article i's (IDF-weighted) content words that also occur in article j.
    """
    bags = [Counter(words_of(body_text(d)).content) for d in docs]
    cosine_rows, share_rows = _matrices(bags)
    presence = cosine_rows.copy()
    presence.data = np.ones_like(presence.data)
    cosine = (cosine_rows @ cosine_rows.T).toarray()
    contained = (share_rows @ presence.T).toarray()
    return cosine, contained


def drawn_on_scores(contained: np.ndarray) -> np.ndarray:
    """How much each article is the one others draw on: the mean share of the others'
    words it holds, less the mean share of its words they hold.

    >>> m = np.array([[1.0, 0.3], [0.9, 1.0]])  # 0 holds 90% of 1's words; 1 holds 30% of 0's
    >>> drawn_on_scores(m).round(2).tolist()
    [0.6, -0.6]
    """
    n = len(contained)
    if n < 2:
        return np.zeros(n)
    off = contained - np.diag(np.diag(contained))
    holds_others = off.sum(axis=0) / (n - 1)
    held_by_others = off.sum(axis=1) / (n - 1)
    return holds_others - held_by_others


def holds_others_scores(contained: np.ndarray) -> np.ndarray:
    """The mean share of the others' words each article holds. Unlike
    :func:`drawn_on_scores` it is not raised by words only one article has (a rerun
    that changed a figure holds a word no other copy holds, and draws on nothing).

    >>> holds_others_scores(np.array([[1.0, 0.3], [0.9, 1.0]])).round(2).tolist()
    [0.9, 0.3]
    """
    n = len(contained)
    if n < 2:
        return np.zeros(n)
    off = contained - np.diag(np.diag(contained))
    return off.sum(axis=0) / (n - 1)


def _components(members: set[int], adjacency: dict[int, set[int]]) -> list[list[int]]:
    seen: set[int] = set()
    out = []
    for start in sorted(members):
        if start in seen:
            continue
        stack, comp = [start], []
        seen.add(start)
        while stack:
            i = stack.pop()
            comp.append(i)
            for j in adjacency.get(i, ()):
                if j in members and j not in seen:
                    seen.add(j)
                    stack.append(j)
        out.append(sorted(comp))
    return out


def _date_rank(article: Article) -> str:
    return article.date or "9999"


def shares_statements(comparison: Comparison, settings: Settings) -> bool:
    """The matcher's verdict on a candidate pair: enough sentences closely linked."""
    d = settings.dedup
    return statement_coverage(comparison, d.story_link_similarity) >= d.story_threshold


# How much more of the others' words an article must hold than the next one to count
# as the one they draw on; closer than that, copies of one story are equals.
DRAWN_ON_MARGIN = 0.05


def source_choice(group: Sequence[int], docs: Sequence[Document], contained: np.ndarray) -> tuple[int, str]:
    """The article of a group the others draw on, and why it was chosen (the rule of
    the module docstring, in words a report can print)."""
    sub = contained[np.ix_(group, group)]
    scores = [round(float(x), 6) for x in holds_others_scores(sub)]
    official = [k for k in range(len(group)) if is_official(docs[group[k]].article)]
    pool, why = (official, "an official text (its URL or outlet)") if official else (list(range(len(group))), "")
    top = max(scores[k] for k in pool)
    drawn_on = [k for k in pool if scores[k] >= top - DRAWN_ON_MARGIN]
    if not why:
        why = "the article the others draw on (it holds most of their words)" if len(drawn_on) == 1 else ""
    pick = min(drawn_on, key=lambda k: (_date_rank(docs[group[k]].article), docs[group[k]].id))
    if not why:
        dated = docs[group[pick]].article.date
        why = f"the earliest of {len(drawn_on)} copies alike" + (f" (dated {dated})" if dated else " (none dated: first by id)")
    return group[pick], why


def choose_source(group: Sequence[int], docs: Sequence[Document], contained: np.ndarray) -> int:
    """The article of a group the others draw on (see the module docstring)."""
    return source_choice(group, docs, contained)[0]


def plan_pairs(
    docs: Sequence[Document],
    settings: Settings,
    run: RunPairs,
    source: int | None = None,
) -> PairPlan:
    """Compare what needs comparing and say which articles are unrelated.

    ``run`` compares ``(source index, rewrite index)`` pairs (in parallel, with progress);
    with ``source`` given, every other article is compared with it.
    """
    n = len(docs)
    if source is not None:
        others = [j for j in range(n) if j != source]
        results = run([(source, j) for j in others])
        kept = tuple(c for c in results if shares_statements(c, settings))
        kept_ids = {c.rewrite.id for c in kept}
        unrelated = tuple(j for j in others if docs[j].id not in kept_ids)
        return PairPlan(kept, unrelated, ((docs[source].id, "given as the source"),))

    cosine, contained = similarity_and_containment(docs)
    min_cosine = settings.dedup.story_min_cosine
    adjacency: dict[int, set[int]] = {}
    rows, cols = np.nonzero(np.triu(cosine, k=1) >= min_cosine)
    for i, j in zip(rows.tolist(), cols.tolist()):
        adjacency.setdefault(i, set()).add(j)
        adjacency.setdefault(j, set()).add(i)

    pool = set(range(n))
    reasons: dict[int, str] = {}
    confirmed: list[Comparison] = []
    unrelated: list[int] = []
    while pool:
        batch: list[tuple[int, int]] = []
        for group in _components(pool, adjacency):
            if len(group) == 1:
                unrelated.append(group[0])
                pool.discard(group[0])
                continue
            hub, why = source_choice(group, docs, contained)
            reasons[hub] = why
            batch += [(hub, m) for m in group if m != hub]
        if not batch:
            break
        joined: dict[int, list[int]] = {}
        for (hub, member), comparison in zip(batch, run(batch)):
            joined.setdefault(hub, [])
            if shares_statements(comparison, settings):
                confirmed.append(comparison)
                joined[hub].append(member)
        for hub, members in joined.items():
            pool.discard(hub)
            pool.difference_update(members)
            if not members:
                unrelated.append(hub)
    order = {doc.id: k for k, doc in enumerate(docs)}
    confirmed.sort(key=lambda c: (order[c.source.id], order[c.rewrite.id]))
    used = sorted({order[c.source.id] for c in confirmed})
    return PairPlan(tuple(confirmed), tuple(sorted(unrelated)), tuple((docs[k].id, reasons[k]) for k in used))
