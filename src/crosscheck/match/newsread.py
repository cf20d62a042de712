"""Reading a sentence pair the way news is written, for the link decision.

Four habits of news copy make a rewrite sentence look less or more like its source
than it is:

* the frame: "Putin said on Monday that ...", "Putin says ..." carries words the
  source sentence never has (:func:`unframed`, with the frame of
  :func:`crosscheck.match.linkmodel.frame_stems`);
* the back-reference: a transcript says "these states", "these territories" after
  naming Finland and Sweden one sentence before; a sentence that points back is read
  with the names its paragraph gave just before (:func:`in_context`);
* another occasion: "Putin once said", "warned last year" reports a statement made
  before the source was spoken, so it is not that source's statement
  (:func:`other_occasion`);
* the fused lede: "Russia had no issue with Finland and Sweden, but the expansion of
  military infrastructure would demand a reaction" carries two or three source
  sentences at once, and is close to none of them alone (:func:`fused_window`);
* figures: the same figures witness the same fact, different ones a different fact
  (:mod:`crosscheck.match.figures`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np

from crosscheck.match.linkmodel import frame_stems, without
from crosscheck.match.score import Idf, blend, fuzzy_similarity, semantic_blend, weighted_cosine
from crosscheck.match.words import Words, words_of
from crosscheck.model import Sentence

# A demonstrative or possessive that points back to something named before.
_POINTS_BACK = re.compile(
    r"\b(?:these|those|this|that|such|its|their|both|the two|the latter|the former)\s+"
    r"(?:two\s+|three\s+)?(?:states?|countries|country|nations?|territor(?:y|ies)|members?|regions?|"
    r"organi[sz]ations?|alliances?|blocs?|decisions?|moves?|steps?|plans?|expansion|accession)\b",
    re.I,
)
# Reported speech placed on an earlier occasion: "Putin once said", "warned last year".
_REPORTING = r"(?:said|says|say|told|warned|stated|declared|claimed|argued|insisted|suggested|remarked|noted|called)"
_EARLIER = (
    r"(?:once|previously|formerly|last (?:year|month|week|summer|winter|spring|autumn|fall)|"
    r"(?:a|one|two|three|several|many|\d+) (?:years?|months?|weeks?|decades?) ago|in (?:19|20)\d\d|"
    r"back in\b|earlier this (?:year|month)|in the past)"
)
_OTHER_OCCASION = re.compile(
    rf"\b{_EARLIER}\s+(?:\w+\s+){{0,2}}{_REPORTING}\b|\b{_REPORTING}\s+(?:\w+\s+){{0,2}}{_EARLIER}", re.I
)
# Where the words were said, between commas: "Putin, speaking in Moscow at a summit of
# the CSTO, said ...", "Speaking at the summit, Putin said ...".
_OCCASION = re.compile(
    r"(?:^|(?<=,))\s*(?:while\s+|when\s+)?(?:speaking|talking|addressing|attending|writing|chairing|opening)\b"
    r"[^,;:.!?]{0,160},"
    # "..., Putin said at the CSTO summit.", "told a meeting of the organisation"
    r"|(?:(?<=\bsaid)|(?<=\bsays)|(?<=\btold)|(?<=\badded)|(?<=\bnoted)|(?<=\bwarned))\s+(?:at|during|to)\s+(?:a|an|the)\s+"
    r"[^,;:.!?]{0,80}?\b(?:summit|meeting|conference|forum|briefing|session|talks|gathering|leaders)\b(?:\s+(?:in|of)\s+[^,;:.!?]{0,60})?",
    re.I)
# A headline's speaker and occasion before a colon ("Putin at CSTO summit: ...") or after
# it ("...: Putin").
_HEADLINE_FRAME = re.compile(
    r"^\s*(?:[A-Z][\w'’.-]*\s+){0,2}[A-Z][\w'’.-]*(?:\s+(?:at|in|on)\s+[^:]{1,40})?:\s+(?=\S)|:\s*(?:[A-Z][\w'’.-]*\s*){1,2}$")
# The reporting verbs, as written (their stems would also catch "the state level").
_REPORTING_WORDS = frozenset(
    "said says say saying told tells added adds according stated states declared declares warned warns noted notes "
    "stressed stresses continued announced insisted insists argued argues explained".split())


def unframed(words: Sequence[Words]) -> list[Words]:
    """Each passage without the words that frame it as a report."""
    return [without(w, frame_stems(w)) for w in words]


@lru_cache(maxsize=50_000)
def without_occasion(text: str) -> str:
    """The sentence without the clause that says where the words were said.

    >>> without_occasion("Putin, speaking in Moscow at a summit of the CSTO, said NATO was a problem.")
    'Putin,  said NATO was a problem.'
    >>> without_occasion("It poses no direct threat to Russia, Putin said at the CSTO summit.")
    'It poses no direct threat to Russia, Putin said .'
    >>> without_occasion("Putin at CSTO summit: Russia does not have any issues with Sweden or Finland")
    ' Russia does not have any issues with Sweden or Finland'
    """
    return _OCCASION.sub(" ", _HEADLINE_FRAME.sub(" ", text))


def read_as_news(sentences: Sequence[Sentence], words: Sequence[Words], stopwords: frozenset[str]) -> list[Words]:
    """Each rewrite sentence as its statement: no occasion clause, no frame words. A
    sentence with neither keeps its own :class:`Words` (same object)."""
    out = []
    for sentence, w in zip(sentences, words):
        text = without_occasion(sentence.norm)
        read = w if text == sentence.norm else words_of(text, stopwords)
        if reports(read):
            read = without(read, frame_stems(read))
        out.append(w if read.content == w.content else read)
    return out


def reports(words: Words) -> bool:
    """Does the passage report speech ("said", "says", "according to")? Only then are
    its frame words ("president", "Monday") the report's rather than the statement's."""
    return any(t in _REPORTING_WORDS for t in words.tokens)


@lru_cache(maxsize=50_000)
def points_back(text: str) -> bool:
    """Does the sentence refer to something named before it ("these states")?

    >>> points_back("Russia has no problems with these states.")
    True
    >>> points_back("Russia has no problems with Finland and Sweden.")
    False
    """
    return bool(_POINTS_BACK.search(text))


def in_context(words: Sequence[Words], sentences: Sequence[Sentence]) -> list[Words]:
    """Each sentence's words, and for one that points back, the names of up to two
    sentences before it in its paragraph: what "these territories" stands for."""
    out = list(words)
    for i, sentence in enumerate(sentences):
        if not points_back(sentence.text):
            continue
        names: frozenset[str] = frozenset()
        for k in (i - 1, i - 2):
            if k >= 0 and sentences[k].paragraph == sentence.paragraph:
                names |= words[k].names
        added = names - words[i].content
        if added:
            w = words[i]
            out[i] = Words(w.tokens, w.folded, w.content | added, w.numbers, w.names | added)
    return out


@lru_cache(maxsize=50_000)
def other_occasion(text: str) -> bool:
    """Does the sentence report words said on an earlier occasion?

    >>> other_occasion("In fact, Putin warned last year that NATO expanding eastward was a red line.")
    True
    >>> other_occasion("Russian president Vladimir Putin once said that any more countries joining NATO was a threat.")
    True
    >>> other_occasion("President Vladimir Putin on Monday said Russia had no issue with Finland and Sweden.")
    False
    """
    return bool(_OTHER_OCCASION.search(text))


def stands_in(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Do the words of ``part`` stand in ``whole``, together and in order?

    >>> stands_in(("no", "problems"), ("no", "problems", "at", "all"))
    True
    >>> stands_in(("no", "problems"), ("problems", "no"))
    False
    """
    n = len(part)
    first = part[0] if n else None
    return n > 0 and any(whole[k] == first and tuple(whole[k:k + n]) == tuple(part) for k in range(len(whole) - n + 1))


def merged(parts: Sequence[Words]) -> Words:
    """Several passages read as one."""
    return Words(
        tokens=tuple(t for p in parts for t in p.tokens),
        folded=tuple(t for p in parts for t in p.folded),
        content=frozenset().union(*(p.content for p in parts)),
        numbers=frozenset().union(*(p.numbers for p in parts)),
        names=frozenset().union(*(p.names for p in parts)),
    )


def fused_window(row: np.ndarray, rewrite: Words, source: Sequence[Words], idf: Idf, sem_row: np.ndarray | None,
                 floor: float, candidates: int = 4, reach: int = 6) -> tuple[tuple[int, ...], float]:
    """The two or three source sentences (of the best ``candidates``, at most ``reach``
    apart) that one rewrite sentence renders best together, and their similarity:
    the words of the rewrite against the words of all of them, raised by the best
    embedding cosine among them. ``((), 0.0)`` when no union beats the best single one."""
    # A title or fragment ("CSTO summit") adds its few words to any union on the topic.
    order = [int(k) for k in np.argsort(-row, kind="stable")[:candidates] if row[k] > 0 and len(source[k].content) >= 4]
    best: tuple[tuple[int, ...], float] = ((), float(row[order[0]]) if order else 0.0)
    for size in (2, 3):
        for window in combinations(sorted(order), size):
            if window[-1] - window[0] > reach:
                continue
            union = merged([source[k] for k in window])
            value = float(blend(weighted_cosine(rewrite, union, idf), fuzzy_similarity(rewrite, union)))
            if sem_row is not None:
                value = float(semantic_blend(value, max(float(sem_row[k]) for k in window), floor))
            if value > best[1]:
                best = (window, value)
    return best
