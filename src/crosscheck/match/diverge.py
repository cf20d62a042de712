"""Name the ways a rewrite moved from its source, with the words that show each one.

Similarity scorers give one number; an editor needs to hear "the rewrite dropped the
word *direct*". Each check here looks for one kind of change in a linked pair of
passages and reports the words on either side. They are deliberately conservative:
two translations of one sentence differ in many words, and a check that fires on
every paraphrase would bury the changes that matter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from crosscheck.config import LexiconSettings
from crosscheck.model import DIVERGENCE_TYPES, DiffOp, Divergence
from crosscheck.match.words import STOPWORDS, fold_spelling, stem, tokens

# Types that say the meaning moved, as opposed to the rewrite being shorter or louder.
MEANING_TYPES = frozenset(DIVERGENCE_TYPES) - {"tone_or_framing_added", "omission", "summary"}

# How much each type moves a statement, for the divergence score.
TYPE_WEIGHTS = {
    "negation_changed": 0.55,
    "number_changed": 0.45,
    "attribution_changed": 0.45,
    "qualifier_dropped": 0.4,
    "qualifier_added": 0.35,
    "modality_changed": 0.35,
    "entity_changed": 0.3,
    "quote_altered": 0.3,
    "tone_or_framing_added": 0.2,
    "omission": 0.15,
    "summary": 0.1,
}

NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen dozens half quarter "
    "first second third fourth fifth sixth seventh eighth ninth tenth".split()
)


@dataclass(frozen=True)
class Phrase:
    """A lexicon entry found in a passage: its group and where it stands."""

    group: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Lexicon:
    qualifiers: tuple[tuple[str, tuple[str, ...]], ...]
    negations: tuple[tuple[str, tuple[str, ...]], ...]
    modals: tuple[tuple[str, tuple[str, ...]], ...]
    framing: tuple[tuple[str, tuple[str, ...]], ...]


def _entries(groups: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(group, phrase tokens) pairs, longest phrase first so it wins over its parts."""
    items = [(group, tuple(tokens(phrase))) for group, phrases in groups.items() for phrase in phrases]
    return tuple(sorted((i for i in items if i[1]), key=lambda item: -len(item[1])))


@lru_cache(maxsize=8)
def _compile(key: tuple) -> Lexicon:
    qualifiers, negations, modals, framing = key
    return Lexicon(
        qualifiers=_entries(dict(qualifiers)),
        negations=_entries({"negation": list(negations)}),
        modals=_entries(dict(modals)),
        framing=_entries({"framing": list(framing)}),
    )


def compile_lexicon(settings: LexiconSettings) -> Lexicon:
    key = (
        tuple((g, tuple(p)) for g, p in settings.qualifiers.items()),
        tuple(settings.negations),
        tuple((g, tuple(p)) for g, p in settings.modals.items()),
        tuple(settings.framing),
    )
    return _compile(key)


@lru_cache(maxsize=64)
def _by_first_word(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for group, phrase in entries:  # already longest first
        index.setdefault(phrase[0], []).append((group, phrase))
    return index


def find_phrases(words: Sequence[str], entries: tuple[tuple[str, tuple[str, ...]], ...]) -> list[Phrase]:
    """Lexicon phrases in a token list, the longest one at each place, none overlapping.

    >>> lex = compile_lexicon(LexiconSettings())
    >>> [(p.group, p.text) for p in find_phrases(tokens("Moscow will have to react"), lex.modals)]
    [('obligation', 'will have to')]
    """
    index = _by_first_word(entries)
    found: list[Phrase] = []
    i = 0
    n = len(words)
    while i < n:
        for group, phrase in index.get(words[i], ()):
            k = len(phrase)
            if tuple(words[i : i + k]) == phrase:
                found.append(Phrase(group, " ".join(phrase), i, i + k))
                i += k
                break
        else:
            i += 1
    return found


def _neighbours(words: Sequence[str], phrase: Phrase, reach: int = 3) -> set[str]:
    """Stems of the content words a phrase most likely modifies: the few after it."""
    after = [w for w in words[phrase.end : phrase.end + reach + 2] if w not in STOPWORDS]
    before = [w for w in words[max(0, phrase.start - 2) : phrase.start] if w not in STOPWORDS]
    return {stem(w) for w in after[:reach] + before[-1:]}


def _in_scope(words: Sequence[str], phrase: Phrase, other_stems: set[str], one_to_one: bool) -> bool:
    """A phrase missing from the other side matters when what it modifies is still there."""
    return one_to_one or bool(_neighbours(words, phrase) & other_stems)


@dataclass(frozen=True)
class Passage:
    """One side of a linked pair, as the checks read it."""

    text: str
    sentences: int = 1

    @cached_property
    def words(self) -> list[str]:
        return tokens(self.text)


def word_diff(source: str, rewrite: str) -> tuple[DiffOp, ...]:
    """difflib opcodes over words, compared without case, punctuation or -ise/-ize spelling.

    >>> [(d.op, d.source_text, d.rewrite_text) for d in word_diff("there is no direct threat", "there is no threat")]
    [('equal', 'there is no', 'there is no'), ('delete', 'direct', ''), ('equal', 'threat', 'threat')]
    """
    a = source.split()
    b = rewrite.split()
    key_a = [_key(w) for w in a]
    key_b = [_key(w) for w in b]
    matcher = difflib.SequenceMatcher(None, key_a, key_b, autojunk=False)
    return tuple(
        DiffOp(op, " ".join(a[i1:i2]), " ".join(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


@lru_cache(maxsize=100_000)
def _key(word: str) -> str:
    core = re.sub(r"[^\w']+", "", word.lower().replace("’", "'"))
    return fold_spelling(core) if core else word


def _numbers(text: str) -> set[str]:
    found = set()
    for w in tokens(text):
        if w[:1].isdigit():
            found.add(re.sub(r"(st|nd|rd|th|s)$", "", w.replace(",", "")))
        elif w in NUMBER_WORDS:
            found.add(w)
    return found


_NAME_RE = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+the\s+|of\s+)?[A-Z][\w’'-]*)*")


_PRONOUNS = frozenset("i we you he she it they me us him her them this that these those there today yesterday".split())


def _names(text: str) -> list[str]:
    """Capitalized words that name something: a sentence-initial "They" or "Today" does not."""
    return [m.group() for m in _NAME_RE.finditer(text) if m.group().lower() not in _PRONOUNS]


def check_qualifiers(src: Passage, rw: Passage, lex: Lexicon) -> list[Divergence]:
    sw, rwords = src.words, rw.words
    s_found = find_phrases(sw, lex.qualifiers)
    r_found = find_phrases(rwords, lex.qualifiers)
    s_groups = {p.group for p in s_found}
    r_groups = {p.group for p in r_found}
    s_stems = {stem(w) for w in sw}
    r_stems = {stem(w) for w in rwords}
    one_to_one = src.sentences == 1 and rw.sentences == 1
    out = []
    dropped = [p.text for p in s_found if p.group not in r_groups and _in_scope(sw, p, r_stems, src.sentences == 1)]
    if dropped:
        out.append(Divergence("qualifier_dropped", source_words=tuple(dict.fromkeys(dropped))))
    added = [p.text for p in r_found if p.group not in s_groups and _in_scope(rwords, p, s_stems, one_to_one)]
    if added:
        out.append(Divergence("qualifier_added", rewrite_words=tuple(dict.fromkeys(added))))
    return out


def _outside(found: list[Phrase], others: list[Phrase]) -> list[Phrase]:
    """Phrases not part of a longer idiom: the "nothing" of "nothing but" negates nothing."""
    return [p for p in found if not any(o.start <= p.start and p.end <= o.end for o in others)]


def check_negation(src: Passage, rw: Passage, lex: Lexicon) -> list[Divergence]:
    sw, rwords = src.words, rw.words
    s_neg = _outside(find_phrases(sw, lex.negations), find_phrases(sw, lex.qualifiers))
    r_neg = _outside(find_phrases(rwords, lex.negations), find_phrases(rwords, lex.qualifiers))
    if bool(s_neg) == bool(r_neg):
        return []
    s_stems = {stem(w) for w in sw}
    r_stems = {stem(w) for w in rwords}
    one_to_one = src.sentences == 1 and rw.sentences == 1
    if s_neg:
        kept = [p.text for p in s_neg if _in_scope(sw, p, r_stems, one_to_one)]
        return [Divergence("negation_changed", source_words=tuple(dict.fromkeys(kept)))] if kept else []
    kept = [p.text for p in r_neg if _in_scope(rwords, p, s_stems, one_to_one)]
    return [Divergence("negation_changed", rewrite_words=tuple(dict.fromkeys(kept)))] if kept else []


def check_modality(src: Passage, rw: Passage, lex: Lexicon) -> list[Divergence]:
    """A modal group replaced by another one: will → have to, must → may."""
    s_found = find_phrases(src.words, lex.modals)
    r_found = find_phrases(rw.words, lex.modals)
    s_groups = {p.group for p in s_found}
    r_groups = {p.group for p in r_found}
    gone = s_groups - r_groups
    new = r_groups - s_groups
    if not (gone and new):
        return []
    return [
        Divergence(
            "modality_changed",
            source_words=tuple(dict.fromkeys(p.text for p in s_found if p.group in gone)),
            rewrite_words=tuple(dict.fromkeys(p.text for p in r_found if p.group in new)),
        )
    ]


def check_numbers(diff: Sequence[DiffOp]) -> list[Divergence]:
    """A number the rewrite put where the source had another one."""
    for op in diff:
        if op.op != "replace" or len(op.source_text.split()) > 5 or len(op.rewrite_text.split()) > 5:
            continue
        a, b = _numbers(op.source_text), _numbers(op.rewrite_text)
        if a and b and a != b:
            return [Divergence("number_changed", (op.source_text,), (op.rewrite_text,))]
    return []


_DETERMINERS = frozenset("a an the this that these those one some another its their his her our".split())


def check_entities(diff: Sequence[DiffOp], source_text: str, rewrite_text: str) -> list[Divergence]:
    """A name the rewrite put where the source had another name or a description."""
    out = []
    src_lower = source_text.lower()
    rw_lower = rewrite_text.lower()
    for op in diff:
        if op.op != "replace" or len(op.source_text.split()) > 4 or len(op.rewrite_text.split()) > 4:
            continue
        r_names = [n for n in _names(op.rewrite_text) if n.lower() not in src_lower]
        s_words = [w for w in tokens(op.source_text) if w not in STOPWORDS]
        # A description ("a single country") or another name ("Paris") in its place.
        described = op.source_text.split()[0].lower() in _DETERMINERS or bool(_names(op.source_text))
        if r_names and s_words and described and not any(w in rw_lower for w in s_words):
            out.append(Divergence("entity_changed", (op.source_text,), tuple(r_names)))
    return out[:1]


def check_framing(src: Passage, rw: Passage, lex: Lexicon) -> list[Divergence]:
    s_found = {p.text for p in find_phrases(src.words, lex.framing)}
    added = [p.text for p in find_phrases(rw.words, lex.framing) if p.text not in s_found]
    return [Divergence("tone_or_framing_added", rewrite_words=tuple(dict.fromkeys(added)))] if added else []


def check_summary(src: Passage, rw: Passage) -> list[Divergence]:
    """The rewrite condenses: several source sentences in fewer words, or far fewer words."""
    ratio = len(rw.words) / max(1, len(src.words))
    if (src.sentences > rw.sentences and ratio < 0.7) or ratio < 0.5:
        return [Divergence("summary", note=f"the rewrite has {ratio:.0%} of the source's words")]
    return []


def find_divergences(
    src: Passage, rw: Passage, diff: Sequence[DiffOp], lexicons: LexiconSettings
) -> tuple[Divergence, ...]:
    """All the typed changes between a source passage and its rewrite.

    >>> src = Passage("In this sense, there is no direct threat to Russia in connection with NATO's expansion.")
    >>> rw = Passage("Its entry into NATO does not create a threat to Russia.")
    >>> [(d.type, d.source_words) for d in find_divergences(src, rw, word_diff(src.text, rw.text), LexiconSettings())]
    [('qualifier_dropped', ('direct',))]
    """
    lex = compile_lexicon(lexicons)
    found = (
        check_qualifiers(src, rw, lex)
        + check_negation(src, rw, lex)
        + check_modality(src, rw, lex)
        + check_numbers(diff)
        + check_entities(diff, src.text, rw.text)
        + check_framing(src, rw, lex)
        + check_summary(src, rw)
    )
    return tuple(found)


def divergence_degree(types: Sequence[Divergence], similarity: float) -> float:
    """How far a rewrite drifted, 0..1: the typed changes first, wording second."""
    kept = 1.0
    for t in sorted({d.type for d in types}):  # sorted: a product in a fixed order
        kept *= 1.0 - TYPE_WEIGHTS.get(t, 0.1)
    drift = 0.35 * (1.0 - max(0.0, min(1.0, similarity)))
    return round(max(0.0, min(1.0, 1.0 - kept * (1.0 - drift))), 4)
