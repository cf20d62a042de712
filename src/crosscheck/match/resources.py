"""The verdict's view of the field's resources: numbers, WordNet, claim strength.

Each comes from its own module (``numbers``, ``wordnet``, ``claim``), imported on first
use; when one is missing (not installed, or not yet on this branch) the verdict still
works with what the words alone show, and :func:`missing` names what is absent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from crosscheck.model import Span

_modules: dict[str, Any] = {}


def _module(name: str) -> Any:
    if name not in _modules:
        try:
            _modules[name] = __import__(f"crosscheck.match.{name}", fromlist=["_"])
        except ImportError:
            _modules[name] = None
    return _modules[name]


def missing() -> list[str]:
    """Resources the verdict runs without, by name."""
    out = [name for name in ("numbers", "claim") if _module(name) is None]
    wn = _module("wordnet")
    if wn is None or not wn.available():
        out.append("wordnet")
    return out


@lru_cache(maxsize=64)
def lexicon(name: str) -> tuple[str, ...]:
    """The phrases of a lexicon file of ``match/lexicons/`` (those needing a figure after
    them left out); empty when the lexicon is missing."""
    lex = _module("lexicon")
    if lex is None or not name:
        return ()
    try:
        return tuple(" ".join(words) for words, needs_figure in lex.phrases(name) if not needs_figure)
    except (FileNotFoundError, OSError):
        return ()


@lru_cache(maxsize=64)
def verb_lemmas(name: str) -> frozenset[str]:
    """The lemmas of a lexicon of verbs (the first word of each line): negative verbs,
    verbs of a symmetric relation."""
    return frozenset(p.split()[0] for p in lexicon(name))


@lru_cache(maxsize=64)
def name_forms(name: str) -> dict[str, frozenset[int]]:
    """Each form of a lexicon of given names -> the lines (names) it is a form of ("ted"
    is Edward's and Theodore's)."""
    table: dict[str, set[int]] = {}
    for line, phrase in enumerate(lexicon(name)):
        for form in phrase.split():
            table.setdefault(form, set()).add(line)
    return {form: frozenset(lines) for form, lines in table.items()}


@lru_cache(maxsize=64)
def claim_cues(name: str) -> dict[str, tuple[str, ...]]:
    """Claim cue phrases by class (``correlational``, ``causal``)."""
    table: dict[str, list[str]] = {}
    for phrase in lexicon(name):
        klass, _, words = phrase.partition(" ")
        table.setdefault(klass, []).append(words)
    return {k: tuple(v) for k, v in table.items()}


def parses_numbers() -> bool:
    """Whether figures are parsed to values (else they are compared as written)."""
    return _module("numbers") is not None


def notices() -> list[str]:
    """One line for each resource the verdict works without, saying how to get it."""
    from crosscheck.text.nlp import missing as nlp_missing

    out = [n for n in (nlp_missing(),) if n]
    wn = _module("wordnet")
    if wn is not None and not wn.available():
        out.append(f"WordNet missing: {wn.why_missing()}")
    return out


@lru_cache(maxsize=100_000)
def is_a(noun: str, kinds: tuple[str, ...], senses: int = 1) -> bool:
    """A common noun that WordNet files, by one of its ``senses`` commonest senses, under
    one of ``kinds`` (False without WordNet)."""
    wn = _module("wordnet")
    if wn is None or not wn.available():
        return False
    return bool(wn.is_a(noun, kinds, wn.WordNetSettings(kind_senses=senses)))


@lru_cache(maxsize=100_000)
def instance_of(name: str, kinds: tuple[str, ...]) -> bool:
    """A proper name WordNet holds as an instance of one of ``kinds`` (False without WordNet)."""
    wn = _module("wordnet")
    return bool(wn is not None and wn.available() and wn.instance_of(name, kinds))


@lru_cache(maxsize=100_000)
def part_of(place: str, whole: str, hops: int) -> bool:
    """WordNet holds ``place`` as a part of ``whole`` (False without WordNet)."""
    wn = _module("wordnet")
    return bool(wn is not None and wn.available() and wn.part_of(place, whole, hops))


@lru_cache(maxsize=100_000)
def synonymous(a: str, b: str, pos: str | None = None) -> bool:
    wn = _module("wordnet")
    return bool(wn is not None and wn.available() and wn.synonymous(a, b, pos))


@lru_cache(maxsize=100_000)
def antonymous(a: str, b: str, pos: str | None = None, senses: int = 0) -> bool:
    """Opposites among each word's ``senses`` commonest senses (0: all)."""
    wn = _module("wordnet")
    if wn is None or not wn.available():
        return False
    settings = wn.WordNetSettings(max_senses=senses, word_match_senses=min(senses, 3) if senses else 3)
    return bool(wn.antonymous(a, b, pos, settings))


@lru_cache(maxsize=50_000)
def claim_strength(text: str) -> str | None:
    claim = _module("claim")
    if claim is None:
        return None
    result = claim.claim_strength(text)
    return result[0] if isinstance(result, tuple) else result


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")

# A figure as the verdict cites it: its text, where it stands in the document text, its kind
# ("count", "money", "year", "quarter", ... as ``numbers.KINDS``; "count" when not parsed).
Figure = tuple[str, int, int, str]
# Kinds that name when a statement holds rather than what it claims.
PERIOD_KINDS = frozenset({"year", "decade", "quarter", "half_year", "date", "time"})


def _figures(text: str, base: int) -> list[tuple[str, Figure]]:
    out = []
    for m in _FIGURE.finditer(text):
        value = m.group().replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.append((value, (m.group(), base + m.start(), base + m.end(), "count")))
    return out


def pair_quantities(
    s_text: str, s_spans: Sequence[Span], r_text: str, r_spans: Sequence[Span]
) -> tuple[list[tuple[Figure, Figure]], list[Figure], list[Figure]]:
    """(inconsistent pairs, figures only the source has, figures only the rewrite has)."""
    return _pair(s_text, tuple(s_spans), r_text, tuple(r_spans))


@lru_cache(maxsize=20_000)
def _pair(s_text: str, s_spans: tuple[Span, ...], r_text: str, r_spans: tuple[Span, ...]):
    numbers = _module("numbers")
    if numbers is not None:
        qa = tuple(q for p in s_spans for q in _shifted(numbers, s_text[p.start : p.end], p.start))
        qb = tuple(q for p in r_spans for q in _shifted(numbers, r_text[p.start : p.end], p.start))
        changed, only_a, only_b = numbers.unmatched(qa, qb)
        fig = lambda q: (q.text, q.start, q.end, q.kind)  # noqa: E731
        return [(fig(x), fig(y)) for x, y in changed], [fig(q) for q in only_a], [fig(q) for q in only_b]
    fa = [f for p in s_spans for f in _figures(s_text[p.start : p.end], p.start)]
    fb = [f for p in r_spans for f in _figures(r_text[p.start : p.end], p.start)]
    values_a, values_b = {v for v, _ in fa}, {v for v, _ in fb}
    only_a = [f for v, f in fa if v not in values_b]
    only_b = [f for v, f in fb if v not in values_a]
    return [(a, b) for a in only_a for b in only_b], only_a, only_b


def _shifted(numbers: Any, text: str, base: int) -> tuple:
    import dataclasses

    return tuple(dataclasses.replace(q, start=q.start + base, end=q.end + base) for q in numbers.quantities(text))
