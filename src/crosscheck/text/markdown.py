"""Markdown markup around an article's words, found line by line.

A Markdown article keeps its text as written (offsets index the file), so its markup
is returned as spans for the segmenter to leave out: the ``#`` of a heading, the
underline of a Setext heading, the ``>`` of a quotation, the bullet of a list item,
the ``*``/``_`` around a line set in emphasis, and a whole byline line (``*By
staff*``). Inline markup inside a sentence (``**word**``, links) is left in place: a
span cut out of the middle of a line would split its sentence in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.model import Span

MARKDOWN = (".md", ".markdown")

_ATX = re.compile(r"[ ]{0,3}(#{1,6})[ \t]+(?P<title>.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RULE = re.compile(r"[ ]{0,3}(=+|-+)[ \t]*$")
_PREFIX = re.compile(r"[ ]{0,3}(?:>[ \t]?)+|[ ]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+(?=\S)")
_EMPHASIS_LINE = re.compile(r"[ ]{0,3}(?P<mark>\*{1,2}|_{1,2})(?P<inner>\S(?:.*\S)?)(?P=mark)[ \t]*$")
_BYLINE = re.compile(r"(?:by|from|text:|photo:|reporting by)\s", re.I)


@dataclass(frozen=True)
class Markup:
    """What a Markdown text's markup says: the first heading's words and the spans to leave out."""

    title: str | None
    spans: tuple[Span, ...]


def _lines(text: str, start: int):
    pos = start
    for line in text[start:].splitlines(keepends=True):
        yield pos, line.rstrip("\r\n")
        pos += len(line)


def markdown_markup(text: str, start: int = 0) -> Markup:
    """The markup of ``text`` from ``start`` (past any front matter).

    >>> m = markdown_markup("# CSTO summit\\n\\n*By staff*\\n\\n> Putin spoke.\\n")
    >>> m.title, [(s.start, s.end) for s in m.spans]
    ('CSTO summit', [(0, 2), (15, 25), (27, 29)])
    """
    spans: list[Span] = []
    title: str | None = None
    previous: tuple[int, str] | None = None
    seen_text = False
    for pos, line in _lines(text, start):
        atx = _ATX.match(line)
        if atx:
            words = atx.group("title")
            if words:
                title_start = pos + atx.start("title")
                spans.append(Span(pos, title_start))
                if atx.end("title") < len(line.rstrip()):
                    spans.append(Span(pos + atx.end("title"), pos + len(line.rstrip())))
                if title is None and not seen_text:
                    title = words.strip()
            else:
                spans.append(Span(pos, pos + len(line)))
            seen_text = True
        elif _SETEXT_RULE.match(line) and previous is not None and previous[1].strip():
            spans.append(Span(pos, pos + len(line.rstrip())))
            if title is None and _SETEXT_RULE.match(line).group(1)[0] == "=" and previous[0] == _first_line(text, start):
                title = previous[1].strip()
        else:
            prefix = _PREFIX.match(line)
            if prefix and prefix.end() > 0:
                spans.append(Span(pos, pos + prefix.end()))
            rest_start = prefix.end() if prefix else 0
            emphasis = _EMPHASIS_LINE.match(line, rest_start)
            if emphasis and _BYLINE.match(emphasis.group("inner")):
                spans.append(Span(pos + rest_start, pos + len(line.rstrip())))
            elif emphasis:
                spans.append(Span(pos + emphasis.start("mark"), pos + emphasis.end("mark")))
                spans.append(Span(pos + emphasis.end("inner"), pos + len(line.rstrip())))
            if line.strip():
                seen_text = True
        previous = (pos, line)
    merged = _merge(spans)
    return Markup(title=title, spans=merged)


def _first_line(text: str, start: int) -> int:
    """Where the first non-blank line from ``start`` begins."""
    for pos, line in _lines(text, start):
        if line.strip():
            return pos
    return start


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in sorted(s for s in spans if s.end > s.start):
        if out and span.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, span.end))
        else:
            out.append(span)
    return tuple(out)
