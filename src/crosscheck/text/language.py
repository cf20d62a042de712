"""Which language an article is written in, from its letters and a few common words.

The matcher needs to know whether two articles can be compared word by word (same
language) or only through evidence that survives translation (numbers, names,
negation and qualifier concepts, a multilingual embedding). Telling Russian from
English needs no model: the share of Cyrillic letters settles it, and a handful of
very common words separates the Latin-script languages we are likely to meet.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["UNKNOWN", "detect_language", "script_shares", "word_language"]

UNKNOWN = "und"
"""ISO 639 code for "undetermined": too little text, or a script we do not know."""

_WORD = re.compile(r"[^\W\d_]+")

# A few of the most frequent words of each Latin-script language; a text's share of
# them picks the language once the script says "Latin".
_CUES = {
    "en": frozenset("the and of to in is that for it with as was on be by are this have from".split()),
    "de": frozenset("der die das und ist nicht mit den von zu ein eine auf sich dem".split()),
    "fr": frozenset("le la les et est des une dans pour que qui pas sur du au".split()),
    "es": frozenset("el los las y es en una por que con para del se su al".split()),
}
_MIN_LETTERS = 12


def script_shares(text: str) -> dict[str, float]:
    """Share of the text's letters in each script we tell apart: latin, cyrillic, greek, other.

    >>> script_shares("Путь said")["cyrillic"]
    0.5
    """
    counts = {"latin": 0, "cyrillic": 0, "greek": 0, "other": 0}
    # Each distinct character once, weighted by how often it occurs: the same counts as a
    # loop over every character, at the speed of Counter.
    for ch, n in Counter(text).items():
        if not ch.isalpha():
            continue
        code = ord(ch)
        if code < 0x250:
            counts["latin"] += n
        elif 0x400 <= code < 0x530:
            counts["cyrillic"] += n
        elif 0x370 <= code < 0x400:
            counts["greek"] += n
        else:
            counts["other"] += n
    total = sum(counts.values())
    return {k: (v / total if total else 0.0) for k, v in counts.items()}


def detect_language(text: str) -> str:
    """An ISO 639-1 code (``en``, ``ru``, ...) or ``und`` when the text does not say.

    >>> detect_language("Он пришёл. Она ушла, и в NATO об этом узнали.")
    'ru'
    >>> detect_language("There is no direct threat to Russia.")
    'en'
    >>> detect_language("12 345")
    'und'
    """
    shares = script_shares(text)
    letters = sum(n for ch, n in Counter(text).items() if ch.isalpha())
    if letters < _MIN_LETTERS:
        return UNKNOWN
    if shares["cyrillic"] >= 0.5:
        return "ru"
    if shares["greek"] >= 0.5:
        return "el"
    if shares["latin"] < 0.5:
        return UNKNOWN
    words = [w.lower() for w in _WORD.findall(text)]
    hits = {lang: sum(w in cues for w in words) for lang, cues in _CUES.items()}
    best = max(sorted(hits), key=lambda lang: hits[lang])
    return best if hits[best] else "en"


def word_language(word: str) -> str:
    """The language a single word's letters point at: ``ru`` for Cyrillic, else ``en``."""
    for ch in word:
        if "\u0400" <= ch < "\u0530":
            return "ru"
    return "en"
