"""Split an article body into sentences, with spans into the text as read.

Sentences are what the matcher links, so a boundary in the wrong place hides a
counterpart. pysbd does the bulk of the work, one paragraph at a time (it is slow on
long strings); the rules here repair what it gets wrong in news copy: sentence ends
inside long quotations, closing quote marks typed after the period, stray ". ."
typos, dialogue dashes, and transcript speaker labels ("Vladimir Putin: ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from crosscheck.config import SegmentSettings
from crosscheck.model import Sentence, Span
from crosscheck.text.normalize import normalize_text

_QUOTE_MARKS = "\"'\u201c\u201d\u201e\u201f\u2018\u2019\u00ab\u00bb"
_CLOSERS = _QUOTE_MARKS + ")]"

# A sentence end pysbd can miss: terminal punctuation, maybe closing marks, space,
# then a capital (maybe after an opening mark). Quotes of several sentences hide it.
_MISSED_END = re.compile(
    r"[.!?\u2026][" + re.escape(_CLOSERS) + r"]*(?=\s+[" + re.escape(_QUOTE_MARKS) + r"(]?[A-Z0-9])"
)
_ANY_END = re.compile(r"[.!?\u2026][" + re.escape(_CLOSERS) + r"]*(?=\s+\S)")
_TOKEN_BEFORE = re.compile(r"(\S+?)[.!?\u2026]?[" + re.escape(_CLOSERS) + r"]*$")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt sgt capt cmdr adm gov sen rep pres jr sr vs etc "
    "no nos jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept univ "
    "approx fig vol p pp ed eds art para ch sec ave blvd mt ft".split()
)
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")

_LONG_SENTENCE_CUTS = (re.compile(r";\s+"), re.compile(r"\s+[\u2013\u2014]\s+|\s+--?\s+"))

# Markers of text left out ("<…>", "[...]") end a sentence and belong to none.
_ELISION = re.compile(r"[<\[(]\s*(?:\u2026|\.\.\.)\s*[>\])]")

_LABEL_WORD = r"(?:[A-Z][\w.\u2019'-]*|of|the|and|for)"
_SPEAKER_LABEL = re.compile(rf"(?P<label>[A-Z][\w.\u2019'-]*(?:[ \t]+{_LABEL_WORD}){{0,7}}):(?:[ \t]+|$)")
_ONE_WORD_LABELS = frozenset({"Question", "Answer", "Q", "A", "Moderator", "Interviewer", "Reporter"})
_NOT_LABELS = frozenset({"The", "A", "An", "This", "Source", "Sources", "Photo", "Read", "Note", "Update", "Tags", "Author",
                         "Related", "See", "Also", "Editor", "Video", "Image", "Subscribe"})
_TITLE_WORDS = frozenset({"President", "Prime", "Minister", "Chairman", "Secretary", "General",
                          "Foreign", "Deputy", "Mr", "Mrs", "Ms", "Dr", "Press", "Spokesman",
                          "Spokeswoman", "Acting", "Chancellor", "King", "Queen", "Premier"})
_DIALOGUE_DASH = re.compile(r"[\u2013\u2014\u2015-][ \t]+")


@lru_cache(maxsize=1)
def _pysbd():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def label_speaker(label: str) -> str | None:
    """The person a transcript label names, without their title.

    >>> label_speaker("President of Russia Vladimir Putin")
    'Vladimir Putin'
    >>> label_speaker("Vladimir Putin")
    'Vladimir Putin'
    >>> label_speaker("Source") is None
    True
    """
    words = label.split()
    if not words or words[0] in _NOT_LABELS:
        return None
    if len(words) == 1 and words[0] not in _ONE_WORD_LABELS:
        return None
    lowered = [w.lower() for w in words]
    if "of" in lowered:
        cut = len(lowered) - 1 - lowered[::-1].index("of")
        words = words[cut + 2:] if cut + 2 < len(words) else words
        if words and words[0].lower() == "the":
            words = words[1:]
    while len(words) > 1 and words[0].rstrip(".") in _TITLE_WORDS:
        words = words[1:]
    if any(w[0].islower() for w in words):
        return None
    return " ".join(words) or None


def _paragraphs(text: str, removed: Sequence[Span]) -> Iterator[list[tuple[int, int]]]:
    """Each non-empty line's stretches of kept text (removed spans and elisions cut out)."""
    cuts = sorted((s.start, s.end) for s in removed if s.end > s.start)
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        pieces: list[tuple[int, int]] = []
        cursor = start
        for cut_start, cut_end in cuts:
            if cut_end <= cursor or cut_start >= end:
                continue
            if cut_start > cursor:
                pieces.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
        if cursor < end:
            pieces.append((cursor, end))
        split: list[tuple[int, int]] = []
        for a, b in pieces:
            for m in _ELISION.finditer(text, a, b):
                split.append((a, m.start()))
                a = m.end()
            split.append((a, b))
        kept = [(a, b) for a, b in split if text[a:b].strip()]
        if kept:
            yield kept


def _is_abbreviation(before: str) -> bool:
    """Whether the word ending at a period is an abbreviation or an initial (U.S., J.)."""
    m = _TOKEN_BEFORE.search(before)
    if not m:
        return False
    token = m.group(1).lstrip(_QUOTE_MARKS + "([")
    return token.lower().rstrip(".") in _ABBREVIATIONS or bool(_INITIALS.match(token))


def _split_missed(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut [a, b) at sentence ends pysbd missed (inside quotations, before a mark)."""
    out: list[tuple[int, int]] = []
    for m in _MISSED_END.finditer(text, a, b):
        if _is_abbreviation(text[a:m.start() + 1]):
            continue
        out.append((a, m.end()))
        a = m.end()
    out.append((a, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    m = _DIALOGUE_DASH.match(text, a, b)
    if m:
        a = m.end()
    return a, b


def _repair(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give closing marks back to the sentence before, join fragments that are no sentence."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        if out:
            lead = a
            while lead < b and text[lead] in _CLOSERS:
                lead += 1
            if lead > a and (lead == b or text[lead].isspace()):
                out[-1] = (out[-1][0], lead)
                a, b = _trim(text, lead, b)
                if a >= b:
                    continue
            fragment = text[a:b]
            no_words = not any(c.isalnum() for c in fragment)
            if no_words or fragment[0].islower():
                out[-1] = (out[-1][0], b)
                continue
        out.append((a, b))
    return out


def _split_long(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than ``limit`` at semicolons (else at spaced dashes), so
    each part can be matched; parts shorter than a quarter of ``limit`` are not cut off."""
    if b - a <= limit:
        return [(a, b)]
    for separator in _LONG_SENTENCE_CUTS:
        parts: list[tuple[int, int]] = []
        start = a
        for m in separator.finditer(text, a, b):
            if m.start() - start >= limit // 4 and b - m.end() >= limit // 4:
                parts.append((start, m.start() + (text[m.start()] == ";")))
                start = m.end()
        if parts:
            parts.append((start, b))
            return parts
    return [(a, b)]


def _needs_pysbd(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] has a period whose meaning the rules here cannot settle.

    pysbd is slow (most of segmentation time); after an ordinary word a period
    followed by a capital ends a sentence, and the repair rules catch the rest, so
    only periods after abbreviations and initials ("U.S. The") go to pysbd.
    """
    for m in _ANY_END.finditer(text, a, b):
        if _is_abbreviation(text[max(a, m.start() - 40):m.start() + 1]):
            return True
    return False


def _sentence_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """pysbd's sentences of text[a:b], located in the text, then cut where it missed an end."""
    if not _needs_pysbd(text, a, b):
        return _split_missed(text, a, b)
    chunk = text[a:b]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sent in _pysbd().segment(chunk):
        stripped = sent.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # pysbd changed the text after all: keep the rest whole
            spans.append((a + cursor, b))
            cursor = len(chunk)
            break
        spans.append((a + found, a + found + len(stripped)))
        cursor = found + len(stripped)
    if cursor < len(chunk) and chunk[cursor:].strip():
        spans.append((a + cursor, b))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(_split_missed(text, s, e))
    return out


def segment(
    text: str, removed: Sequence[Span] = (), settings: SegmentSettings | None = None
) -> tuple[Sentence, ...]:
    """The sentences of ``text`` outside ``removed``, each within one paragraph (line).

    A transcript label ("President of Russia Vladimir Putin: ") is left out of the
    sentence and names the ``speaker`` of every sentence until the next label.

    >>> text = "CSTO summit\\nVladimir Putin: Colleagues, good afternoon! I am glad to welcome you."
    >>> [(s.text, s.paragraph, s.speaker) for s in segment(text)]
    [('CSTO summit', 0, None), ('Colleagues, good afternoon!', 1, 'Vladimir Putin'), ('I am glad to welcome you.', 1, 'Vladimir Putin')]
    """
    settings = settings or SegmentSettings()
    sentences: list[Sentence] = []
    speaker: str | None = None
    for paragraph, pieces in enumerate(_paragraphs(text, removed)):
        first_start, first_end = _trim(text, *pieces[0])
        label = _SPEAKER_LABEL.match(text, first_start, first_end)
        if label:
            named = label_speaker(label.group("label"))
            if named:
                speaker = named
                pieces[0] = (label.end(), pieces[0][1])
        for a, b in pieces:
            raw = _sentence_spans(text, a, b) if text[a:b].strip() else []
            for s, e in _repair(text, raw):
                for ps, pe in _split_long(text, s, e, settings.max_sentence_chars):
                    ps, pe = _trim(text, ps, pe)
                    body = text[ps:pe]
                    if not any(c.isalnum() for c in body):
                        continue  # a separator ("* * *"), not a statement
                    sentences.append(
                        Sentence(len(sentences), Span(ps, pe), body, normalize_text(body), paragraph, speaker)
                    )
    return tuple(sentences)
