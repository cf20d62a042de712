"""Hedges, boosters, modal strength, negators and negative verbs from published lists.

A "may" dropped between an abstract and its press release turns a tentative finding into a
fact; "denied" against "confirmed" reverses it. These lists (``lexicons/*.txt``, each naming
its source) are what the verdict reads such changes with, instead of words fitted to the
seeds. Every function takes lower-case words (or lemmas) in reading order and returns the
cues found with their word positions, so the verdict can cite them.

>>> words = "the drug may possibly lower blood pressure".split()
>>> [c.phrase for c in hedges_in(words)], modal_strength(words)
(['possibly'], 0.3)
>>> [c.phrase for c in hedges_in("patients were more likely to recover".split())]
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence


@dataclass(frozen=True)
class LexiconSettings:
    """How cue words are matched."""

    figure_window: int = 1
    """An approximating hedge marked +NUM ("about", "around") counts only when a figure
    follows within this many words: "about 20 patients", not "talked about"."""

    comparative_words: tuple[str, ...] = ("more", "less", "most", "least", "as", "equally")
    """Before "likely"/"unlikely" these make a comparison ("more likely to recover"), which
    states a difference, not a doubt: such a "likely" is no hedge."""


DEFAULT_LEXICON_SETTINGS = LexiconSettings()


@dataclass(frozen=True)
class Cue:
    """A cue phrase found at words ``start`` .. ``end`` (exclusive)."""

    phrase: str
    start: int
    end: int


def _read(name: str) -> list[str]:
    text = resources.files("crosscheck.match").joinpath("lexicons", name).read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def phrases(name: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """A phrase list as (words, needs a figure after), longest first."""
    out = []
    for line in _read(name):
        needs_figure = line.endswith("+NUM")
        words = tuple(line.replace("+NUM", "").split())
        out.append((words, needs_figure))
    out.sort(key=lambda e: (-len(e[0]), e[0]))
    return tuple(out)


@lru_cache(maxsize=None)
def modal_table() -> dict[str, float]:
    return {form: float(value) for form, value in (line.split() for line in _read("modal_verbs.txt"))}


@lru_cache(maxsize=None)
def negative_verb_forms() -> dict[str, str]:
    """Every listed form of a negative verb -> its lemma."""
    table = {}
    for line in _read("negative_verbs.txt"):
        lemma, *forms = line.split()
        for form in (lemma, *forms):
            table[form] = lemma
    return table


@lru_cache(maxsize=None)
def negators(lang: str = "en") -> tuple[tuple[str, ...], ...]:
    rows = [line.split()[1:] for line in _read("negators.txt") if line.split()[0] == lang]
    return tuple(sorted((tuple(r) for r in rows), key=lambda r: (-len(r), r)))


@lru_cache(maxsize=None)
def claim_cues() -> dict[str, tuple[tuple[str, ...], ...]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in _read("claim_cues.txt"):
        klass, *words = line.split()
        table.setdefault(klass, []).append(tuple(words))
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in table.items()}


_FIGURE_RE = re.compile(r"^[$€£]?\d|^(two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
                        r"forty|fifty|hundred|a|one|dozen|half)$")


def _norm(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(w.lower().replace("’", "'") for w in words)


def _find(words: tuple[str, ...], entries, settings: LexiconSettings,
          skip=lambda words, i, phrase: False) -> tuple[Cue, ...]:
    found: list[Cue] = []
    taken: set[int] = set()
    starts: dict[str, list[int]] = {}  # where each word stands: a phrase is tried only there
    for i, w in enumerate(words):
        starts.setdefault(w, []).append(i)
    for phrase, needs_figure in entries:
        n = len(phrase)
        for i in starts.get(phrase[0], ()) if n else range(len(words) + 1):
            if words[i:i + n] != phrase or taken & set(range(i, i + n)):
                continue
            if needs_figure and not any(_FIGURE_RE.match(w) for w in
                                        words[i + n:i + n + settings.figure_window]):
                continue
            if skip(words, i, phrase):
                continue
            taken |= set(range(i, i + n))
            found.append(Cue(" ".join(phrase), i, i + n))
    return tuple(sorted(found, key=lambda c: c.start))


def hedges_in(words: Sequence[str], settings: LexiconSettings = DEFAULT_LEXICON_SETTINGS
              ) -> tuple[Cue, ...]:
    """Hyland's hedges among ``words`` (modal verbs are graded by ``modal_strength`` instead).

    >>> [c.phrase for c in hedges_in("it is about 20 times likely , i talked about it".split())]
    ['about', 'likely']
    >>> [c.phrase for c in hedges_in("x was less likely than y , and unlikely to last".split())]
    ['unlikely']
    """
    def comparative(ws, i, phrase):
        return phrase[0] in ("likely", "unlikely") and i > 0 and ws[i - 1] in settings.comparative_words

    return _find(_norm(words), phrases("hedges.txt"), settings, comparative)


def boosters_in(words: Sequence[str], settings: LexiconSettings = DEFAULT_LEXICON_SETTINGS
                ) -> tuple[Cue, ...]:
    """Hyland's boosters among ``words``.

    >>> [c.phrase for c in boosters_in("the results clearly show , in fact , a benefit".split())]
    ['clearly', 'show', 'in fact']
    """
    return _find(_norm(words), phrases("boosters.txt"), settings)


def downtoners_in(words: Sequence[str], settings: LexiconSettings = DEFAULT_LEXICON_SETTINGS
                  ) -> tuple[Cue, ...]:
    """Quirk et al.'s downtoners ("slightly", "partly", "a bit") among ``words``."""
    return _find(_norm(words), phrases("downtoners.txt"), settings)


def modals_in(words: Sequence[str]) -> tuple[Cue, ...]:
    """The modal verbs among ``words``, contractions included ("won't", "'ll")."""
    table = modal_table()
    out = []
    for i, word in enumerate(_norm(words)):
        if word in table:
            out.append(Cue(word, i, i + 1))
        elif word.endswith(("'ll", "'d")) and len(word) > 3:  # "it'll", "they'd"
            out.append(Cue(word[word.index("'"):], i, i + 1))
    return tuple(out)


def modal_strength(words: Sequence[str]) -> float | None:
    """The strength of the weakest modal verb among ``words`` (a claim is only as certain as its
    most tentative modal), or None when there is no modal: a bare assertion, which reads as
    stronger than any modal.

    >>> modal_strength("this will happen".split()), modal_strength("this could happen".split())
    (1.0, 0.3)
    >>> modal_strength("it happened".split()) is None
    True
    """
    table = modal_table()
    found = [table[c.phrase] for c in modals_in(words)]
    return min(found) if found else None


def negators_in(words: Sequence[str], lang: str = "en") -> tuple[Cue, ...]:
    """Negation words, a contraction counted as its full form ("didn't" is "did" + "n't").

    >>> [c.phrase for c in negators_in("he didn't come and did not call".split())]
    ["n't", 'not']
    """
    out = []
    normal = _norm(words)
    taken: set[int] = set()
    for phrase in negators(lang):
        n = len(phrase)
        for i in range(len(normal) - n + 1):
            if normal[i:i + n] == phrase and not taken & set(range(i, i + n)):
                taken |= set(range(i, i + n))
                out.append(Cue(" ".join(phrase), i, i + n))
    for i, word in enumerate(normal):
        if i not in taken and word.endswith("n't") and lang == "en":
            out.append(Cue("n't", i, i + 1))
    return tuple(sorted(out, key=lambda c: c.start))


def negative_verbs_in(lemmas: Sequence[str]) -> tuple[Cue, ...]:
    """Verbs that negate their complement ("denied", "refused", "failed"); takes lemmas or
    inflected forms, and names each cue by its lemma.

    >>> [(c.phrase, c.start) for c in negative_verbs_in("he denied that he failed".split())]
    [('deny', 1), ('fail', 4)]
    """
    table = negative_verb_forms()
    return tuple(Cue(table[w], i, i + 1) for i, w in enumerate(_norm(lemmas)) if w in table)


def claim_cues_in(words: Sequence[str], klass: str,
                  settings: LexiconSettings = DEFAULT_LEXICON_SETTINGS) -> tuple[Cue, ...]:
    """Correlational or causal cue phrases (``klass`` "correlational" or "causal")."""
    entries = tuple((p, False) for p in claim_cues()[klass])
    return _find(_norm(words), entries, settings)
