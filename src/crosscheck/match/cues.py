"""Lexicon phrases found in aligned words, and whether what they modify is kept.

The verdict's cue words (negations, qualifiers, modals, hedges, claim cues) are found
here by their folded word keys, the longest phrase of any group winning a place; a
cue matters only when the word it modifies stands in the other passage too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from crosscheck.match.wordalign import Word


def _phrases(words: Sequence[Word], phrases: Sequence[str]) -> list[tuple[str, int, int]]:
    """(phrase, first, end) of each lexicon phrase in the words, longest first, no overlaps."""
    return [(t, i, j) for _, t, i, j in _grouped(words, {"": list(phrases)})]


def _grouped(words: Sequence[Word], groups: dict[str, Sequence[str]]) -> list[tuple[str, str, int, int]]:
    """(group, phrase, first, end) of lexicon phrases, the longest of any group winning a place."""
    index = _compiled(tuple((g, tuple(p)) for g, p in groups.items()))
    keys = [w.key for w in words]
    taken: set[int] = set()
    hits = []
    for i, key in enumerate(keys):
        for length, group, entry in index.get(key, ()):
            if tuple(keys[i : i + length]) == entry:
                hits.append((length, i, group))
    out = []
    for length, i, group in sorted(hits, key=lambda h: (-h[0], h[1])):
        span = range(i, i + length)
        if length == 1 and words[i].pos == "PROPN":
            continue  # "May 16" holds no modal, "Never Again" no negation
        if taken.isdisjoint(span):
            out.append((group, " ".join(w.text for w in words[i : i + length]), i, i + length))
            taken.update(span)
    return sorted(out, key=lambda p: p[2])


@lru_cache(maxsize=256)
def _compiled(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[tuple[int, str, tuple[str, ...]]]]:
    """Lexicon phrases as word keys, indexed by their first word, longest first."""
    index: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
    for group, phrases in groups:
        for phrase in phrases:
            entry = tuple("not" if t == "n't" else t for t in phrase.lower().replace("n't", " n't").split())
            if entry:
                index.setdefault(entry[0], []).append((len(entry), group, entry))
    for entries in index.values():
        entries.sort(key=lambda e: (-e[0], e[1], e[2]))
    return index


def _head_kept(words: Sequence[Word], end: int, kept: frozenset[int], reach: int, start: int | None = None) -> bool:
    """Whether a content word the cue at ``[start, end)`` modifies is kept in the other passage."""
    clause = words[end - 1].clause
    after = [k for k in range(end, len(words)) if words[k].is_content and words[k].clause == clause][:reach]
    first = start if start is not None else end
    before = [k for k in range(0, first) if words[k].is_content and words[k].clause == clause][-1:]
    return any(k in kept for k in after + before)


def _clause_kept(words: Sequence[Word], at: int, kept: frozenset[int]) -> float:
    """Share of the content words of the clause around word ``at`` kept in the other passage."""
    clause = [k for k, w in enumerate(words) if w.clause == words[at].clause and w.is_content]
    return sum(1 for k in clause if k in kept) / max(1, len(clause))
