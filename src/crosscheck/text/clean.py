"""Finding web boilerplate in an article: recorded with a reason, never silently dropped.

Scraped news text carries furniture around the story: calls to action, tag lines,
"noticed a mistake?" prompts, author feeds, teasers for other stories, source credits.
Nothing here lists one site's strings; the signals are general:

* lines that are furniture wherever they stand (a call to action, a tags line, a bare
  timestamp, an elision marker such as ``<…>``, a pattern from ``config.yaml``, a short
  line repeated across the articles of a folder);
* the *tail*: after the last paragraph that reads like body text (long, ending a
  sentence), the first tail marker ("more from author", "source link", "to be
  continued", a comment prompt...) starts a tail that runs to the end;
* teasers just before that tail: headline-like lines (no closing period) or lines
  with the glue left by link anchors ("reportedThat", "commented The").

A marker followed by more body text does not start a tail: some sites put a
"subscribe" line between paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from crosscheck.config import CleanSettings
from crosscheck.errors import ConfigError
from crosscheck.model import Article, Boilerplate, Span
from crosscheck.text.gate import searches

_I = re.I
# Words and numbers a date or time stamp is made of.
_DATE_WORD = (
    r"(?:\d{1,4}(?:st|nd|rd|th)?|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|"
    r"thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.?m\.?|gmt|utc|bst|cet|cest|msk|[ecmp][sd]t|"
    r"et|pt|ago|hours?|mins?|minutes?|days?|date|today|yesterday|updated|published)\b"
)
# Furniture wherever it stands (on a short line of its own).
_ANYWHERE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("elision marker", re.compile(r"^[\[<(]?\s*(?:…|\.{3})\s*[\]>)]?$")),
    ("timestamp", re.compile(
        r"^(?:(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?"
        r"|\d{1,2}:\d{2}(?::\d{2})?)$")),
    ("call to action", re.compile(
        r"^(?:please\s+)?(?:subscribe|follow us|join us|sign up|like us|share (?:this|on)|"
        r"watch (?:the|our|this) video|click here|download (?:our|the) app|support (?:us|our)|"
        r"donate\b|listen to (?:the|our) podcast|get (?:our|the) newsletter)", _I)),
    ("call to action", re.compile(
        r"noticed an? (?:mistake|typo|error)|found an? (?:mistake|typo|error)|ctrl\s*\+\s*enter", _I)),
    ("tags line", re.compile(r"^(?:tags|tagged|keywords|topics)\s*:", _I)),
    ("language notice", re.compile(
        r"^(?:the |this )?(?:article|text|original|story) is (?:also )?(?:available )?in [A-Z][a-z]+\.?$", _I)),
    ("copyright line", re.compile(r"^(?:©|\(c\)\s|copyright\b)|all rights reserved", _I)),
    # A media player or gallery labels its items: "Now Playing:", "Image 3 of 10".
    ("video or photo widget", re.compile(
        r"^(?:now playing|up next|next up|playing next|watch(?: now| live| video)?|video|play(?: video| all)?|"
        r"replay|autoplay|photos?|images?|gallery|slideshow|pictures?)\b\s*(?::|\d+\s*(?:of|/)\s*\d+|$)"
        r"|^(?:back to|view|see|open|launch|enlarge|expand) (?:the )?(?:gallery|slideshow|photos?|images?|video)\b"
        r"|^(?:image|photo|picture|slide) \d+\s*(?:of|/)\s*\d+", _I)),
    # Who took the picture or wrote the story, on a line of its own.
    ("credit or byline", re.compile(
        r"^\(?(?:photo|image|picture|video|file photo|illustration)s?\s*(?:credit)?\s*(?::|by\b)"
        r"|^(?:credit|photo credit|image credit|source image)\s*:"
        r"|^\(?(?:ap|afp|epa|reuters|getty|file) photo\b|/\s*(?:getty images|afp|reuters|ap|epa|tass|sputnik|xinhua|shutterstock)\)?\s*$"
        r"|^\(?reporting by\b|^\(?(?:writing|editing|additional reporting) by\b", _I)),
    ("credit or byline", re.compile(r"^(?:By|BY) [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\s*(?:[,|/–—-]\s*[\w .'’-]{0,40})?$")),
    # A photo caption ends with its picture credit: "... (AP Photo/Alexander Zemlianichenko)",
    # "... Moscow, Russia May 16, 2022. /Reuters".
    ("photo caption", re.compile(
        r"\((?:[\w .'’-]+/)?(?:ap|afp|epa|reuters|getty images|tass|sputnik|xinhua|file)(?: photo)?(?:/[\w .'’-]+)?\)\s*$"
        r"|[.!?]\s*/\s*(?:getty images|afp|reuters|ap|epa|tass|sputnik|xinhua|ria novosti|shutterstock|cfp|vcg)\s*$", _I)),
    # A date or time stamp with no statement: "Published May 16, 2022 10:32 a.m. EDT".
    ("date stamp", re.compile(
        rf"^(?:(?:published|updated|posted|last updated|last modified|first published|modified)\b[\s:]*(?:on\s+|at\s+)?)?"
        rf"(?:{_DATE_WORD}|[\s,.:/|–—-])+$", _I)),
    # Script or markup that leaked into the text: "window._taboola = ...", "googletag.cmd".
    # Inside a line only script's own calls count, spelt as script spells them (its
    # names are case-sensitive): no long paragraph has to be case-folded to rule them out.
    ("script text", re.compile(
        r"^\s*(?:window\.\w|document\.\w|(?:var|let|const)\s+\w+\s*=|\(?function\s*\(|googletag\b|_taboola\b|"
        r"dataLayer\b|</?script\b|\{\s*[\"']?\w+[\"']?\s*:)", _I)),
    ("script text", re.compile(r"\b(?:_taboola\.push\(|googletag\.cmd\b)")),
    # An invitation to another page or to a mailing list.
    ("read-more link", re.compile(r"^(?:read (?:more|also|next|the full story)|continue reading|full story|more on this)\b", _I)),
    ("newsletter sign-up", re.compile(
        r"\bnewsletters?\b.*\b(?:sign up|subscribe|inbox|email)|\b(?:sign up|subscribe)\b.*\bnewsletters?\b|"
        r"(?:delivered|straight|direct) to your inbox|enter your e-?mail|by signing up|"
        r"you(?:'| a)re (?:now )?subscribed|thanks? for (?:signing up|subscribing)", _I)),
)
# A machine date stamp in front of a line's text ("date 2022-05-16 Putin says ...",
# "2022-05-16 10:32 Putin says ..."): an ISO date never opens a sentence of prose.
_STAMP_PREFIX = re.compile(
    r"^(?:(?:date|published|updated|posted)\s*:?\s*)?\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s+(?=\S)", _I)
# A wire story's credit closing its last paragraph: "... its global influence. (Reporting
# by Reuters; Editing by Kevin Liffey)". On a line of its own it is a "credit or byline".
_CREDIT_SUFFIX = re.compile(
    r"(?<=[.!?”\"’'])\s*\((?:additional )?(?:reporting|writing|editing|edited|compiled|written) by\b[^()]{1,200}\)\s*$", _I)
# Lines that end the body when no body text follows them.
_TAIL_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("related-stories feed", re.compile(
        r"^(?:more (?:from|by) (?:the )?author|more (?:news|stories|articles)\b|related(?: news| articles|"
        r" stories| posts)?\s*:?$|read (?:also|more)\b|see also\b|you (?:may|might) also like|"
        r"recommended(?: for you)?\s*:?$|most (?:read|popular)\b|latest news\s*:?$)", _I)),
    ("continuation notice", re.compile(r"^\(?(?:to be continued|continued)\)?\W*$", _I)),
    ("source credit", re.compile(r"^(?:source link|sources?\s*:|via\s*:)", _I)),
    ("author credit", re.compile(r"^(?:author|written by|by)\s*:?\s+[\w.'’-]+(?:\s+[\w.'’-]+){0,3}$", _I)),
    ("comment prompt", re.compile(
        r"^(?:what (?:are you thinking|do you think)|leave a (?:comment|reply)|comments?\s*(?:\(\d+\))?\s*:?$|"
        r"join the discussion)", _I)),
    ("next-story teaser", re.compile(r"^(?:NEXT|PREVIOUS)\b|^(?:next|previous) (?:article|story|post)\b")),
)
_ANY_LENGTH = ("tags line", "photo caption", "script text")  # furniture however long the line
_ANYWHERE_LONG = tuple((reason, pattern) for reason, pattern in _ANYWHERE if reason in _ANY_LENGTH)
_ENDS_BODY = ("call to action", "tags line", "language notice", "copyright line")
_SHORT = 160  # longest line a call to action or marker can be
_BODY_MIN = 80  # shortest line that can read as a paragraph of body text
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*$")
_TRUNCATED = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
_CLOSERS = "\"'”’»)]"


def _ends_with(pattern: re.Pattern[str], line: str, reach: int) -> bool:
    """``pattern.search(line)`` for a pattern of at most ``reach`` characters, then closing
    marks, then the end: it is searched from just before those marks only."""
    return pattern.search(line, max(0, len(line.rstrip(_CLOSERS + "\n")) - reach)) is not None
# What link anchors leave behind: "reportedThat", "commented The possibility".
_LINK_GLUE = re.compile(r"\b[a-z]{3,}[A-Z][a-z]+|\b[a-z]{3,} (?:The|That|This|These|How|Why|What|Who)\b")


class Line(NamedTuple):
    """A non-blank line of the text: its stripped text and where that stands. (A named
    tuple: an article has a handful of lines, and dedup reads millions of articles.)"""

    start: int
    end: int
    text: str


def lines_of(text: str) -> Iterator[Line]:
    """The non-blank lines of ``text``, stripped, with their offsets.

    >>> [(l.start, l.end, l.text) for l in lines_of(" a b \\r\\n\\nc")]
    [(1, 4, 'a b'), (8, 9, 'c')]
    """
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            yield Line(pos + lead, pos + lead + len(stripped), stripped)
        pos += len(raw) + 1


def logical_lines(text: str) -> list[Line]:
    """Lines, with hard-wrapped prose joined back: a line that starts in lower case
    right under an unfinished line continues it, so "by the ministry" on a wrapped
    line is not taken for an author credit.

    >>> [l.text for l in logical_lines("Putin spoke to the leaders\\nof the CSTO.\\nTags: x")]
    ['Putin spoke to the leaders of the CSTO.', 'Tags: x']
    """
    joined: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + len(raw) - len(raw.lstrip()) if raw[0].isspace() else pos
            if (
                joined
                and stripped[0].islower()
                and not _ends_with(_SENTENCE_END, joined[-1].text, 1)
                and not _BLANK_LINE.search(text, joined[-1].end, start)
            ):
                last = joined[-1]
                joined[-1] = _line(Line, (last.start, start + len(stripped), f"{last.text} {stripped}"))
            else:
                joined.append(_line(Line, (start, start + len(stripped), stripped)))
        pos += len(raw) + 1
    return joined


# Line(start, end, text) without the named tuple's Python-level __new__: dedup makes
# a handful of lines for each of millions of articles.
_line = tuple.__new__


def line_key(line: str) -> str:
    """A line folded for comparison across articles: case, spaces, outer punctuation.

    >>> line_key("  Subscribe to our  channel! ")
    'subscribe to our channel'
    """
    return " ".join(line.casefold().split()).strip(" .,;:!?-–—|•*\"'«»“”")


def _is_repeatable(line: str) -> bool:
    """Short lines that could be site furniture: at most 100 characters, and either
    headline-like (no closing period) or a handful of words."""
    if len(line) > 100 or not any(c.isalpha() for c in line):
        return False
    return not _ends_with(_SENTENCE_END, line, 1) or len(line.split()) <= 4


def repeated_lines(articles: Sequence[Article], min_articles: int) -> frozenset[str]:
    """Keys (:func:`line_key`) of short lines found in at least ``min_articles`` articles.

    A line counts once per article, and an article's first line after its metadata
    (its headline) never counts: copies of one story share headlines that are still
    article text.
    """
    min_articles = max(2, min_articles)
    counts: Counter[str] = Counter()
    for article in articles:
        keys = {line_key(line.text) for line in list(lines_of(_masked(article)))[1:] if _is_repeatable(line.text)}
        counts.update(k for k in keys if k)
    return frozenset(k for k, n in counts.items() if n >= min_articles)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...], key: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for index, pattern in enumerate(patterns):
        try:
            compiled.append(re.compile(pattern, _I))
        except re.error as exc:
            raise ConfigError(f"clean.{key}[{index}]", f"not a regular expression: {exc}") from None
    return tuple(compiled)


def furniture_reason(line: str, extra: Sequence[re.Pattern[str]] = (), repeated: frozenset[str] = frozenset()) -> str | None:
    """Why a line is boilerplate wherever it stands, or None.

    >>> furniture_reason("Tags: CSTO Minsk security")
    'tags line'
    >>> furniture_reason("Thank you for your attention.") is None
    True
    """
    if extra and any(searches(p, line) for p in extra):
        return "config pattern"  # the user's own rule names it first
    for reason, pattern in _ANYWHERE if len(line) <= _SHORT else _ANYWHERE_LONG:
        if searches(pattern, line):
            return reason
    if repeated and _is_repeatable(line) and line_key(line) in repeated:
        return "repeated across articles"
    return None


class LineFacts(NamedTuple):
    """What the rules say of one line on its own, before its place in the article counts."""

    reason: str | None  # why it is furniture wherever it stands (:func:`furniture_reason`)
    body: bool  # not furniture, and reads like a paragraph of the story
    stamp_end: int  # length of a machine date stamp in front of its text, or 0
    credit_start: int  # where a wire credit closing it begins, or -1


def line_facts(line: str, extra: tuple[re.Pattern[str], ...], repeated: frozenset[str]) -> LineFacts:
    """The facts of one line: its furniture reason, whether it reads like body text, and
    where a leading date stamp ends or a closing wire credit starts."""
    reason = furniture_reason(line, extra, repeated)
    stamp = _STAMP_PREFIX.match(line)
    credit = _CREDIT_SUFFIX.search(line) if searches(_CREDIT_SUFFIX, line) else None
    return LineFacts(reason, reason is None and reads_like_body(line), stamp.end() if stamp else 0,
                     credit.start() if credit else -1)


# Kept for short lines: sites repeat their furniture lines from article to article.
_short_line_facts = lru_cache(maxsize=8192)(line_facts)


def tail_marker(line: str, extra: Sequence[re.Pattern[str]] = ()) -> str | None:
    """Why a line would end the article body, or None.

    >>> tail_marker("More from author")
    'related-stories feed'
    >>> tail_marker("By the way, the summit went on.") is None
    True
    """
    if len(line) > _SHORT:
        return None
    for reason, pattern in _TAIL_MARKERS:
        if searches(pattern, line):
            return reason
    if any(searches(p, line) for p in extra):
        return "config pattern"
    return None


def _short_tail_marker(line: str, extra: tuple[re.Pattern[str], ...]) -> str | None:
    """:func:`tail_marker`, kept for short lines (a longer one is never a marker)."""
    return None if len(line) > _SHORT else _kept_tail_marker(line, extra)


_kept_tail_marker = lru_cache(maxsize=8192)(tail_marker)


def reads_like_body(line: str) -> bool:
    """A paragraph of the story: long enough, ends a sentence, not a cut-off teaser."""
    return (
        len(line) >= _BODY_MIN
        and _ends_with(_SENTENCE_END, line, 1)
        and not _ends_with(_TRUNCATED, line, 3)
        and (len(line) > 200 or not _LINK_GLUE.search(line))
    )


def reads_like_teaser(line: str) -> bool:
    """A link to another story: a headline (several words, no closing period) or a
    line with link-anchor glue.

    >>> reads_like_teaser("Lukashenko will meet with the Secretary General")
    True
    >>> reads_like_teaser("Thank you for your attention.")
    False
    """
    if len(line) > 200:
        return False
    if _LINK_GLUE.search(line):
        return True
    words = line.split()
    return len(words) >= 4 and not re.search(r"[.!?:;,…][\"'”’»)\]]*$", line) and line[0].isalnum()


def blank_spans(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the given spans turned to spaces, offsets kept: what quote and
    speaker rules read, so that no speaker is ever taken from furniture.

    >>> blank_spans("Now Playing: x. Putin said.", [Span(0, 15)])
    '                Putin said.'
    """
    if not spans:
        return text
    if any(span.start < 0 for span in spans):  # never made by crosscheck; kept as Python indexes it
        chars = list(text)
        for span in spans:
            for k in range(span.start, min(span.end, len(chars))):
                if chars[k] != "\n":
                    chars[k] = " "
        return "".join(chars)
    pieces, at = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        start, end = max(span.start, at), min(span.end, len(text))
        if start < end:
            pieces += [text[at:start], "\n".join(" " * len(part) for part in text[start:end].split("\n"))]
            at = end
    pieces.append(text[at:])
    return "".join(pieces)


def _masked(article: Article) -> str:
    """The text with its metadata spans blanked, so line rules see only the rest."""
    return blank_spans(article.text, article.metadata_spans)


def find_boilerplate(
    article: Article, settings: CleanSettings, repeated: frozenset[str] = frozenset()
) -> tuple[Boilerplate, ...]:
    """Boilerplate spans of ``article.text``: sorted, non-overlapping, each with a reason."""
    text = article.text
    return tuple(Boilerplate(Span(start, end), text[start:end], reason)
                 for start, end, reason in boilerplate_spans(article, settings, repeated))


def boilerplate_spans(
    article: Article, settings: CleanSettings, repeated: frozenset[str] = frozenset()
) -> list[tuple[int, int, str]]:
    """:func:`find_boilerplate` as plain ``(start, end, reason)`` triples, sorted: what
    dedup cuts out of millions of articles, without building a record of each piece."""
    patterns = _compiled(tuple(settings.patterns), "patterns")
    markers = _compiled(tuple(settings.tail_markers), "tail_markers")
    lines = logical_lines(_masked(article))
    facts = [(_short_line_facts if len(text) <= _SHORT else line_facts)(text, patterns, repeated)
             for _, _, text in lines]
    reasons = {i: f.reason for i, f in enumerate(facts) if f.reason}
    last_body = -1
    for i in range(len(facts) - 1, -1, -1):
        if facts[i].body:
            last_body = i
            break
    tail_start = None
    for i in range(max(last_body + 1, 1), len(lines)):
        if _short_tail_marker(lines[i].text, markers) or reasons.get(i) in _ENDS_BODY:
            tail_start = i
            break
    if tail_start is not None:
        first = tail_start
        while first - 1 > max(last_body, 0) and reads_like_teaser(lines[first - 1].text):
            first -= 1
        for i in range(first, len(lines)):
            if i in reasons and not (i >= tail_start and reasons[i] == "read-more link"):
                continue
            text = lines[i].text
            reasons[i] = (
                (_short_tail_marker(text, markers) if i >= tail_start else None)
                or ("related-story teaser" if reads_like_teaser(text) else "tail after the body")
            )

    found = [(span.start, span.end, "metadata") for span in article.metadata_spans]
    for i, fact in enumerate(facts):
        if (fact.stamp_end or fact.credit_start >= 0) and i not in reasons:
            line = lines[i]
            if fact.stamp_end:
                found.append((line.start, line.start + fact.stamp_end, "date stamp"))
            if fact.credit_start >= 0:
                found.append((line.start + fact.credit_start, line.end, "credit or byline"))
    found += [(lines[i].start, lines[i].end, reason) for i, reason in reasons.items()]
    found.sort(key=_place)
    return found


_place = itemgetter(0, 1)  # a piece's (start, end)
