"""Line up the words of two linked passages: kept, substituted, added, dropped.

Every divergence type is read off this alignment, so that a type can always point at
the words on both sides that show it ("grew" became "shrank"; "direct" is gone while
"threat" stays). Words are matched by form first (difflib over case- and
spelling-folded forms, which also gives the word diff users see), then, among the
words left over, by lemma anywhere in the passage (a moved or inflected word is
kept), then by WordNet synonym in the same place. What is left inside one changed
stretch on both sides is a substitution; what is left on one side only is added or
dropped. Every word and every diff operation carries offsets into the original text.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from crosscheck.model import DiffOp, Span
from crosscheck.match.words import fold_spelling, stem
from crosscheck.text.nlp import analyse

# spaCy entity labels that name something (as opposed to amounts, dates, ordinals).
NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# Entity labels of amounts: a figure is compared as a quantity, never as a name.
_AMOUNTS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "NUM", "X"})
_CLAUSE_ENDS = frozenset(".!?;:…,()–—")
_SENTENCE_ENDS = frozenset(".!?…\"“”«»")
_WORDNET_POS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}


@dataclass(frozen=True)
class Word:
    """A word of one side of a pair, with where it stands in its document's text."""

    text: str
    start: int
    end: int
    key: str  # lower case, British spelling folded, "n't" read as "not"
    lemma: str  # stemmed lemma, what inflections share
    base: str  # the dictionary form, lower case, as WordNet looks it up
    pos: str
    entity: str
    part: int  # which span of the passage it comes from
    clause: int  # which clause: a new one after each mark that ends or sets off one, and each span
    initial: bool = False  # the first word of its sentence

    @property
    def is_name(self) -> bool:
        """A real name: a proper noun or a named entity, never a capitalised adverb."""
        if not self.text[:1].isalpha() or any(ch.isdigit() for ch in self.text):
            return False  # "q2", "2Q21": a label the numbers module reads
        if self.entity in NAME_ENTITIES:
            return True
        # A proper noun spaCy gives no name label: capitalised, and not merely for
        # opening its sentence ("Diluted earnings ...").
        return self.pos == "PROPN" and self.entity not in _AMOUNTS and self.text[:1].isupper() and not self.initial

    @property
    def is_content(self) -> bool:
        return self.pos in CONTENT_POS


@lru_cache(maxsize=200_000)
def _key(text: str) -> str:
    word = text.lower().replace("’", "'")
    if word in ("n't", "not"):
        return "not"
    return fold_spelling(word)


@lru_cache(maxsize=200_000)
def _lemma_key(lemma: str) -> str:
    word = lemma.lower().replace("’", "'")
    return "not" if word == "n't" else stem(word)


def passage_pieces(text: str, spans: Sequence[Span]) -> list[str]:
    """The texts a passage's words are read from, one per span: what the NLP pipeline
    tokenises, so a caller can read many passages' pieces in one batch beforehand."""
    return [text[s.start : s.end] for s in spans]


def passage_words(text: str, spans: Sequence[Span]) -> tuple[Word, ...]:
    """The words of ``text`` inside ``spans`` (marks left out), offsets into ``text``."""
    out: list[Word] = []
    clause = 0
    for part, (span, toks) in enumerate(zip(spans, analyse(passage_pieces(text, spans)))):
        clause += 1
        initial = True
        for t in toks:
            if t.pos in ("PUNCT", "SPACE") or not any(ch.isalnum() for ch in t.text):
                clause += t.text in _CLAUSE_ENDS
                initial = initial or t.text in _SENTENCE_ENDS
                continue
            out.append(
                Word(t.text, span.start + t.start, span.start + t.end, _key(t.text), _lemma_key(t.lemma),
                     t.lemma.lower(), t.pos, t.entity, part, clause, initial)
            )
            initial = False
    return tuple(out)


def text_words(text: str) -> tuple[Word, ...]:
    """The words of a whole text."""
    return passage_words(text, [Span(0, len(text))])


@dataclass(frozen=True)
class Substitution:
    """Words of the source replaced by words of the rewrite in the same place."""

    source: tuple[int, ...]
    rewrite: tuple[int, ...]


@dataclass(frozen=True)
class WordAlignment:
    """How the words of a source passage and its rewrite correspond."""

    source: tuple[Word, ...]
    rewrite: tuple[Word, ...]
    kept: tuple[tuple[int, int, str], ...]  # (source index, rewrite index, "form"|"lemma"|"synonym")
    substituted: tuple[Substitution, ...]
    dropped: tuple[int, ...]
    added: tuple[int, ...]
    ops: tuple[DiffOp, ...]

    @property
    def kept_source(self) -> frozenset[int]:
        return frozenset(i for i, _, _ in self.kept)

    @property
    def kept_rewrite(self) -> frozenset[int]:
        return frozenset(j for _, j, _ in self.kept)

    @property
    def identical(self) -> bool:
        """The same words in the same order (case, spelling and marks aside)."""
        return [w.key for w in self.source] == [w.key for w in self.rewrite]

    def words(self, side: str, indices: Sequence[int]) -> tuple[str, ...]:
        words = self.source if side == "source" else self.rewrite
        return tuple(words[k].text for k in indices)


def _phrase(text: str, words: Sequence[Word]) -> str:
    """The original text of consecutive words, one slice per span they come from."""
    parts: list[str] = []
    first = 0
    for k in range(1, len(words) + 1):
        if k == len(words) or words[k].part != words[first].part:
            parts.append(text[words[first].start : words[k - 1].end])
            first = k
    return " ".join(parts)


def _op(kind: str, s_text: str, r_text: str, sw: Sequence[Word], rw: Sequence[Word]) -> DiffOp:
    return DiffOp(
        kind,
        _phrase(s_text, sw),
        _phrase(r_text, rw),
        sw[0].start if sw else -1,
        sw[-1].end if sw else -1,
        rw[0].start if rw else -1,
        rw[-1].end if rw else -1,
    )


def align_words(
    source: tuple[Word, ...],
    rewrite: tuple[Word, ...],
    source_text: str,
    rewrite_text: str,
    synonymous: Callable[[str, str, str | None], bool] | None = None,
    classes: dict[str, str] | None = None,
    synonym_block: int = 8,
) -> WordAlignment:
    """Align two passages' words; ``synonymous(a, b, pos)`` is asked only in changed stretches.

    ``classes`` maps words to a class read as one lemma (every negation to one cue, so
    "no threat" keeps its negation in "not a threat"). Synonyms are looked for only in
    changed stretches of at most ``synonym_block`` words a side: a longer one is a
    rewritten clause, where word-for-word synonyms are rare and the lookups costly."""
    classes = classes or {}
    matcher = difflib.SequenceMatcher(None, [w.key for w in source], [w.key for w in rewrite], autojunk=False)
    kept: list[tuple[int, int, str]] = []
    blocks: list[tuple[list[int], list[int]]] = []
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(_op(tag, source_text, rewrite_text, source[i1:i2], rewrite[j1:j2]))
        if tag == "equal":
            kept.extend((i1 + k, j1 + k, "form") for k in range(i2 - i1))
        else:
            blocks.append((list(range(i1, i2)), list(range(j1, j2))))
    # A word moved elsewhere, or inflected: the same lemma left over on both sides.
    free_s = {i for b in blocks for i in b[0]}
    free_r = {j for b in blocks for j in b[1]}
    by_lemma: dict[str, list[int]] = {}
    for i in sorted(free_s):
        by_lemma.setdefault(classes.get(source[i].key, source[i].lemma), []).append(i)
    for j in sorted(free_r):
        candidates = by_lemma.get(classes.get(rewrite[j].key, rewrite[j].lemma))
        if candidates:
            i = candidates.pop(0)
            kept.append((i, j, "form" if source[i].key == rewrite[j].key else "lemma"))
            free_s.discard(i)
            free_r.discard(j)
    substituted: list[Substitution] = []
    dropped: list[int] = []
    added: list[int] = []
    for s_idx, r_idx in blocks:
        s_left = [i for i in s_idx if i in free_s]
        r_left = [j for j in r_idx if j in free_r]
        if synonymous is not None and s_left and r_left and max(len(s_left), len(r_left)) <= synonym_block:
            for j in list(r_left):
                for i in s_left:
                    a, b = source[i], rewrite[j]
                    pos = _WORDNET_POS.get(a.pos) if a.pos == b.pos else None
                    if a.is_content and b.is_content and pos and synonymous(a.base, b.base, pos):
                        kept.append((i, j, "synonym"))
                        s_left.remove(i)
                        r_left.remove(j)
                        break
        if s_left and r_left:
            substituted.append(Substitution(tuple(s_left), tuple(r_left)))
        else:
            dropped.extend(s_left)
            added.extend(r_left)
    return WordAlignment(
        source, rewrite, tuple(sorted(kept)), tuple(substituted), tuple(sorted(dropped)), tuple(sorted(added)), tuple(ops)
    )
