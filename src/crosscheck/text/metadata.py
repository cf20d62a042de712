"""The metadata an article carries in its own text: YAML front matter, a leading
``date 2022-05-16`` line, a headline-like first line, Markdown headings and
bylines, and a ``YYYY-MM-DD`` in the file name.

The text itself is never changed (offsets must find the user's words again): what is
metadata, or Markdown markup around the words, is recorded as spans that the cleaner
reports and the segmenter leaves out.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from crosscheck.errors import InputError
from crosscheck.model import Article, Span
from crosscheck.text.markdown import MARKDOWN, markdown_markup

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_DATE_LINE = re.compile(
    r"\A[ \t]*((?:date|published|posted)[: \t]+(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)",
    re.I,
)
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_SENTENCE_END = ".;,:"
_NON_SPACE = re.compile(r"\S")



class Meta(NamedTuple):
    """What a text says of itself. (A named tuple: every article read makes one.)"""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    spans: tuple[Span, ...] = ()
    language: str | None = None


_NO_META = Meta()


def as_text(value: Any) -> str | None:
    """A metadata value as a string (YAML turns ``2022-05-16`` into a date)."""
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _front_matter(text: str, where: str) -> Meta | None:
    """YAML between ``---`` lines at the very top of the text, if there is any."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    import yaml

    try:
        data = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 2}" if mark is not None else ""
        raise InputError(where, f"malformed front matter{line}: {getattr(exc, 'problem', None) or exc}") from None
    except (ValueError, RecursionError) as exc:  # a date like 2022-02-30; nesting too deep for Python
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(where, f"malformed front matter: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None
    lowered = {str(k).lower(): v for k, v in data.items()}
    end = match.end()
    while end > 0 and text[end - 1] in "\r\n":
        end -= 1
    return Meta(
        title=as_text(lowered.get("title")),
        outlet=as_text(lowered.get("outlet") or lowered.get("source") or lowered.get("site")),
        date=as_text(lowered.get("date") or lowered.get("published")),
        url=as_text(lowered.get("url") or lowered.get("link")),
        spans=(Span(0, end),),
        language=_language_code(lowered.get("lang") or lowered.get("language")),
    )


def _language_code(value: Any) -> str | None:
    """A stated language as a lower-case code: ``RU``, ``ru-RU`` and ``ru_RU`` are ``ru``."""
    text = as_text(value)
    return re.split(r"[-_]", text.lower())[0] or None if text else None


def headline(line: str) -> str | None:
    """The line, if it reads like a headline: short, a few words, no closing period.

    >>> headline("CSTO summit")
    'CSTO summit'
    >>> headline("Thank you for your attention.") is None
    True
    """
    line = line.strip()
    if not line or len(line) > 150 or line[-1] in _SENTENCE_END or line.endswith("…"):
        return None
    if not any(c.isalpha() for c in line) or not line[0].isalnum() and line[0] not in "\"'«“":
        return None
    return line


@lru_cache(maxsize=1024)
def _name_parts(name: str) -> tuple[str, str]:
    """A file name's stem and lower-cased suffix (every record of a file shares them)."""
    path = Path(name)
    return path.stem, path.suffix.lower()


def text_metadata(text: str, name: str = "", where: str = "") -> Meta:
    """Metadata carried by a plain-text article: front matter, a leading date line,
    a headline-like first line (a Markdown file's first heading), Markdown markup, and
    a ``YYYY-MM-DD`` in the file name. ``where``
    (the path, or ``path:line`` of a record) names the article in errors.

    >>> m = text_metadata(" date 2022-05-16 The Russian Government met.")
    >>> m.date, m.spans
    ('2022-05-16', (Span(start=1, end=16),))
    """
    meta = _front_matter(text, where or name or "(text)") or _NO_META
    spans = list(meta.spans)
    body_start = spans[-1].end if spans else 0
    date_line = _DATE_LINE.match(text, body_start)
    date = meta.date
    if date_line and not text[date_line.end(1):date_line.end(1) + 1].isalnum():
        spans.append(Span(date_line.start(1), date_line.end(1)))
        date = date or date_line.group(2)
        body_start = date_line.end(1)
    if date is None:
        in_name = _NAME_DATE.search(_name_parts(name)[0]) if name else None
        date = in_name.group(1) if in_name else None
    title = meta.title
    if _name_parts(name)[1] in MARKDOWN:
        markup = markdown_markup(text, body_start)
        title = title or markup.title
        spans = sorted({*spans, *markup.spans}, key=lambda s: (s.start, s.end))
    if title is None:
        # The first line of the body, when more text follows it (found by position: a
        # body is long, and slicing it would copy it several times).
        first = _NON_SPACE.search(text, body_start)
        newline = text.find("\n", first.start()) if first else -1
        if newline >= 0 and _NON_SPACE.search(text, newline + 1):
            title = headline(text[first.start():newline])
    return Meta(title=title, outlet=meta.outlet, date=date, url=meta.url, spans=tuple(spans), language=meta.language)


def article_from_text(text: str, article_id: str, where: str, name: str, **fields: Any) -> Article:
    meta = text_metadata(text, name, where)
    given = {k: as_text(v) for k, v in fields.items()}
    return Article(
        id=article_id,
        text=text,
        path=where,
        title=given.get("title") or meta.title,
        outlet=given.get("outlet") or meta.outlet,
        date=given.get("date") or meta.date,
        url=given.get("url") or meta.url,
        language=_language_code(given.get("lang") or given.get("language")) or meta.language,
        metadata_spans=meta.spans,
    )

