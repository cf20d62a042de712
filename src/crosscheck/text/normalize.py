"""Fold typographic variation away, keeping a map back to the text as read.

Two translations of one statement differ in curly versus straight quotes, en versus
em dashes, non-breaking spaces and ligatures long before they differ in words. The
matchers compare the folded form; the map lets every finding point at the file.

``normalize_text`` is the fast path (one C-level NFKC pass, ``str.replace`` for the
few marks to fold that are present, ``str.split`` for whitespace); ``normalize`` does the same folding
character by character and records where each output character came from. Both
always give the same string.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from crosscheck.model import Span

_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Invisible characters that only ever get in the way of comparing words.
_DELETED = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_REPLACEMENTS: dict[str, str] = {}
_REPLACEMENTS.update({c: '"' for c in _DOUBLE_QUOTES})
_REPLACEMENTS.update({c: "'" for c in _SINGLE_QUOTES})
_REPLACEMENTS.update({c: "-" for c in _DASHES})
_REPLACEMENTS.update({c: "" for c in _DELETED})
_REPLACEMENTS["\u2026"] = "..."  # NFKC does this already; kept for clarity

# A C-level ``in`` scan per mark, and ``str.replace`` for the few present, is several
# times faster on news text than a regex with a callback or str.translate (which looks
# every character up in a dict). No replacement brings in another mark to fold, so
# the order does not matter.
_FOLDS = tuple(_REPLACEMENTS.items())


def _fold(text: str) -> str:
    """NFKC, then quotes, dashes and invisible characters folded (non-ASCII text only)."""
    text = unicodedata.normalize("NFKC", text)
    for mark, replacement in _FOLDS:
        if mark in text:
            text = text.replace(mark, replacement)
    return text


# Whitespace that ``str.split`` breaks words at and that folding leaves outside ASCII
# (NFKC turns the other wide spaces into plain ones); all of it is below U+3001.
_WIDE_SPACES = tuple(c for c in map(chr, range(128, 0x3001)) if c.isspace() and not _fold(c).isascii())


def fold_lower(text: str) -> str:
    """:func:`normalize_text` lower-cased, but with its spaces left as they are: the same
    words, split at ASCII whitespace alone. For a reader that splits words itself,
    this saves rebuilding a long text word by word.

    >>> fold_lower("The  West\u00a0\u00abinfernal\u00bb\\nsanctions")
    'the  west "infernal"\\nsanctions'
    """
    if not text.isascii():
        text = _fold(text)
        if any(space in text for space in _WIDE_SPACES):
            text = " ".join(text.split())
    return text.lower()


def char_folds() -> tuple[dict[str, str], str]:
    """What :func:`fold_lower` does to an NFKC text besides lower-casing it, one character
    at a time: the marks it replaces, each with its replacement, and the wide spaces it
    breaks words at. For a reader that folds as it reads (dedup's compiled core).

    >>> marks, spaces = char_folds()
    >>> marks["\u2014"], marks["\u00ad"], "\u2028" in spaces
    ('-', '', True)
    """
    return dict(_FOLDS), "".join(_WIDE_SPACES)


def normalize_text(text: str) -> str:
    """The normalized form of ``text``: what matchers and dedup compare.

    >>> normalize_text("The organisation plays a role in the post-Soviet space \u2013 a stabilising role.")
    'The organisation plays a role in the post-Soviet space - a stabilising role.'
    >>> normalize_text("\u201creact\u201d,  the West\u2019s \u00abinfernal\u00a0sanctions\u00bb\u2026")
    '"react", the West\\'s "infernal sanctions"...'
    """
    if not text.isascii():
        text = _fold(text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Normalized:
    """Normalized text with, for each of its characters, where it came from.

    ``offsets[i]`` is the index in the input of the character that produced
    ``text[i]``; ``offsets[len(text)]`` is the end of the last input character used.
    ``ends[i]`` is the end of that input character (or character cluster), so that
    ranges map back without the whitespace that normalization collapsed.
    """

    text: str
    offsets: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> Span:
        """The input range that normalized ``text[start:end]`` came from.

        >>> n = normalize("He said \u201cno\u00a0\u00a0problems\u201d.")
        >>> n.text
        'He said "no problems".'
        >>> n.span(8, 21)
        Span(start=8, end=22)
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range {start}:{end} outside normalized text of length {len(self.text)}")
        if start == end:
            return Span(self.offsets[start], self.offsets[start])
        return Span(self.offsets[start], self.ends[end - 1])


def _clusters(text: str) -> list[tuple[int, int]]:
    """Cut ``text`` where NFKC cannot join neighbours, so each piece normalizes alone.

    A character starts a new cluster unless it is a combining mark or composes with
    what precedes it (Hangul jamo, some Indic vowel signs); ASCII never does.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(text)):
        c = text[k]
        if c.isascii():
            joins = False
        elif unicodedata.combining(c):
            joins = True
        else:
            before = text[start:k]
            joins = unicodedata.normalize("NFKC", before + c) != (
                unicodedata.normalize("NFKC", before) + unicodedata.normalize("NFKC", c)
            )
        if not joins:
            bounds.append((start, k))
            start = k
    if text:
        bounds.append((start, len(text)))
    return bounds


def normalize(text: str) -> Normalized:
    """Normalize ``text`` like :func:`normalize_text`, keeping the offset map.

    >>> n = normalize("  \u201cI hope\u2026\u201d \u2013 Putin ")
    >>> n.text
    '"I hope..." - Putin'
    >>> text = "  \u201cI hope\u2026\u201d \u2013 Putin "
    >>> s = n.span(1, 7)
    >>> text[s.start:s.end]
    'I hope'
    """
    chars: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    pending_space = False
    for start, end in _clusters(text):
        piece = text[start:end]
        if not piece.isascii():
            piece = _fold(piece)
        for ch in piece:
            if ch.isspace():
                pending_space = bool(chars)
                continue
            if pending_space:
                chars.append(" ")
                offsets.append(ends[-1])
                ends.append(start)
                pending_space = False
            chars.append(ch)
            offsets.append(start)
            ends.append(end)
    final = ends[-1] if ends else 0
    return Normalized("".join(chars), tuple(offsets) + (final,), tuple(ends))
