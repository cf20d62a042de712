"""Words as the matcher sees them: tokens, spelling-folded forms, stems, content words.

Two translations of one sentence differ in spelling (organisation/organization),
inflection (grow/grows) and function words; these helpers fold those differences so
that what is left to compare is what the sentences say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crosscheck.text import russian

TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th|s)?|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """
    a an the and or but if then than that this these those there here of in on at to for from by
    with about as into onto over under after before between through during without within upon
    is are was were be been being am do does did doing have has had having it its it's they them
    their theirs we us our ours you your yours he him his she her hers i me my mine who whom whose
    which what when where why how also so such very too just both each either neither other another
    any some all most more many much few own same s t can will would shall should may might must
    could said says say one ones well up down out off again further once only even still yet
    no not nor
    """.split()
) | russian.STOPWORDS
"""English function words, and Russian ones (which never meet an English token)."""

# British spellings folded to American ones, so -ise/-ize variants read as the same word.
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{2})our(s|ed|ing|able|ite|ites)?$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{3})tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{3})ence$"), r"ense"),
    (re.compile(r"(?<=[a-z]{2})yse(s|d)?$"), r"yze\1"),
    (re.compile(r"(?<=[a-z]{3})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=[a-z]{2})lled$"), r"led"),
    (re.compile(r"(?<=[a-z]{2})lling$"), r"ling"),
)
# Words the spelling rules would wrongly fold.
_SPELLING_KEEP = frozenset(
    "otherwise rise rises arise arises wise promise premise premises exercise exercises "
    "exercised exercising advise advised advertise compromise enterprise surprise surprised "
    "expertise franchise merchandise despise revise revised supervise televise raise raised "
    "praise praised praising noise poise cruise treatise precise concise paradise chastise "
    "hour hours four tour tours your yours pour poured sour flour devour our ours "
    "fence hence pence thence whence since science sciences conscience evidence presence "
    "absence essence sentence silence influence experience audience confidence conference "
    "reference difference preference violence existence consequence sequence residence "
    "independence dependence intelligence occurrence excellence patience obedience license "
    "centre metre litre theatre".split()
)
_SPELLING_MAP = {"centre": "center", "metre": "meter", "theatre": "theater", "defence": "defense",
                 "offence": "offense", "licence": "license", "pretence": "pretense"}

_SUFFIXES = (
    "ations", "ation", "nesses", "ness", "ments", "ment", "ities", "ity",
    "ingly", "ings", "ing", "edly", "ied", "ies", "ed", "ers", "er", "ly", "es", "s",
)


def tokens(text: str) -> list[str]:
    """Words and numbers of a text, lower-cased, apostrophes kept inside words.

    >>> tokens("Russia has no problems with these states. No problems at all!")
    ['russia', 'has', 'no', 'problems', 'with', 'these', 'states', 'no', 'problems', 'at', 'all']
    >>> tokens("the 30th anniversary, on May 14 and 15 in 1992")
    ['the', '30th', 'anniversary', 'on', 'may', '14', 'and', '15', 'in', '1992']
    """
    return [m.group().lower().replace("’", "'") for m in TOKEN_RE.finditer(text)]


@lru_cache(maxsize=200_000)
def fold_spelling(word: str) -> str:
    """Fold British spellings to American ones.

    >>> [fold_spelling(w) for w in ["organisation", "stabilising", "neighbour", "defence", "rise"]]
    ['organization', 'stabilizing', 'neighbor', 'defense', 'rise']
    """
    if word in _SPELLING_MAP:
        return _SPELLING_MAP[word]
    if word in _SPELLING_KEEP or len(word) < 5:
        return word
    for pattern, replacement in _SPELLING:
        folded = pattern.sub(replacement, word)
        if folded != word:
            return folded
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match inflections across translations.

    >>> [stem(w) for w in ["problems", "stabilising", "cooperating", "increases", "organisation"]]
    ['problem', 'stabiliz', 'cooperat', 'increas', 'organiz']

    A Cyrillic word gets its Russian lemma instead (see :mod:`crosscheck.text.russian`).
    """
    if russian.is_cyrillic(word):
        return russian.lemma(word)
    word = fold_spelling(word)
    if word[:1].isdigit():
        return re.sub(r"(st|nd|rd|th|s)$", "", word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("es", "s") and base.endswith(("s", "u")) and suffix == "s":
                return word  # "this", "us", "status": not a plural
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                base = word[:-1]
                if base.endswith("e"):
                    base = base[:-1]
            if base.endswith("e") and len(base) > 3:
                base = base[:-1]
            return base
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def is_number(word: str) -> bool:
    return word[:1].isdigit()


@dataclass(frozen=True)
class Words:
    """The words of one passage, in the forms the scorers compare."""

    tokens: tuple[str, ...]
    folded: tuple[str, ...]
    content: frozenset[str]
    numbers: frozenset[str]
    names: frozenset[str]


def names_in(text: str) -> frozenset[str]:
    """Capitalized words not opening a sentence: a cheap stand-in for named entities."""
    found: set[str] = set()
    for match in re.finditer(r"(?<![.!?:“\"«]\s)(?<!^)\b([A-ZА-ЯЁ][a-zA-Zа-яёА-ЯЁ’'-]+)", text):
        word = match.group(1)
        if match.start() == 0:
            continue
        found.add(stem(word.lower()))
    return frozenset(found)


def figures_in(text: str) -> frozenset[str]:
    """The numbers a text states, stemmed; a number glued to the word it labels
    ("Q2", "FY21", "COVID-19") names a period or a thing, it states no figure. A year
    after a hyphened prefix ("mid-2021", "pre-2008") is still the year.

    >>> sorted(figures_in("Q2 adjusted EPS $0.31, up 24%; COVID-19 costs of $5.3bn in FY21"))
    ['0.31', '24', '5.3']
    >>> sorted(figures_in("sales fell in mid-2021 and pre-2008 levels"))
    ['2008', '2021']
    """
    found = set()
    for match in TOKEN_RE.finditer(text):
        if not is_number(match.group()):
            continue
        before = text[max(0, match.start() - 2):match.start()]
        year = len(match.group()) == 4 and match.group()[:2] in ("19", "20")
        if before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha() and not year):
            continue
        found.add(stem(match.group().lower()))
    return frozenset(found)


def words_of(text: str, extra_stopwords: frozenset[str] = frozenset()) -> Words:
    toks = tokens(text)
    folded = tuple(fold_spelling(t) for t in toks)
    stop = STOPWORDS | extra_stopwords
    content = frozenset(stem(t) for t in toks if t not in stop and len(t) > 1)
    return Words(tuple(toks), folded, content, figures_in(text), names_in(text))


@lru_cache(maxsize=50_000)
def sentence_words(text: str, extra_stopwords: frozenset[str] = frozenset()) -> Words:
    """``words_of`` a sentence, cached: the rewrites of one source repeat its sentences
    (whole documents go through ``words_of``, which keeps nothing)."""
    return words_of(text, extra_stopwords)
