"""Reading articles from files, folders, JSONL/JSON and CSV, with their metadata.

``Article.text`` is the text as read (decoded, a BOM dropped, nothing else), so every
offset crosscheck reports can be found again in the user's file. Metadata written into
the text (YAML front matter, a leading ``date 2022-05-16``) stays in the text and is
recorded in ``Article.metadata_spans``; the cleaner reports it as boilerplate.

Record files (JSONL, CSV) are read one record at a time: a corpus of a million
articles never sits in memory, which dedup relies on.

Ids: a record's ``id``, else the file name without its extension (``stem:N`` for the
N-th line or row of a record file). Two records that *state* the same id are an error
naming both places; an id made up from file names that repeats (``a/x.txt`` and
``b/x.txt``) is made unique with a ``~2``, ``~3`` suffix.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as _dt
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.errors import InputError, MissingExtraError
from crosscheck.text.files import decode, read_bytes
from crosscheck.model import Article, Span

_HTML = (".html", ".htm")
_RECORDS = (".jsonl", ".json", ".csv")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_DATE_LINE = re.compile(
    r"\A[ \t]*((?:date|published|posted)[: \t]+(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)",
    re.I,
)
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_SENTENCE_END = ".;,:"

OnSkip = Callable[[InputError], None]


@dataclasses.dataclass(frozen=True)
class _Meta:
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    spans: tuple[Span, ...] = ()


def _as_text(value: Any) -> str | None:
    """A metadata value as a string (YAML turns ``2022-05-16`` into a date)."""
    if value is None:
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _front_matter(text: str, where: str) -> _Meta | None:
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
    return _Meta(
        title=_as_text(lowered.get("title")),
        outlet=_as_text(lowered.get("outlet") or lowered.get("source") or lowered.get("site")),
        date=_as_text(lowered.get("date") or lowered.get("published")),
        url=_as_text(lowered.get("url") or lowered.get("link")),
        spans=(Span(0, end),),
    )


def headline(line: str) -> str | None:
    """The line, if it reads like a headline: short, a few words, no closing period.

    >>> headline("CSTO summit")
    'CSTO summit'
    >>> headline("Thank you for your attention.") is None
    True
    """
    line = line.strip()
    words = line.split()
    if not words or len(line) > 150 or line[-1] in _SENTENCE_END or line.endswith("…"):
        return None
    if not any(c.isalpha() for c in line) or not line[0].isalnum() and line[0] not in "\"'«“":
        return None
    return line


def text_metadata(text: str, name: str = "", where: str = "") -> _Meta:
    """Metadata carried by a plain-text article: front matter, a leading date line,
    a headline-like first line, and a ``YYYY-MM-DD`` in the file name. ``where``
    (the path, or ``path:line`` of a record) names the article in errors.

    >>> m = text_metadata(" date 2022-05-16 The Russian Government met.")
    >>> m.date, m.spans
    ('2022-05-16', (Span(start=1, end=16),))
    """
    meta = _front_matter(text, where or name or "(text)") or _Meta()
    spans = list(meta.spans)
    body_start = spans[-1].end if spans else 0
    date_line = _DATE_LINE.match(text, body_start)
    date = meta.date
    if date_line and not text[date_line.end(1):date_line.end(1) + 1].isalnum():
        spans.append(Span(date_line.start(1), date_line.end(1)))
        date = date or date_line.group(2)
        body_start = date_line.end(1)
    if date is None:
        in_name = _NAME_DATE.search(Path(name).stem) if name else None
        date = in_name.group(1) if in_name else None
    title = meta.title
    if title is None:
        rest = text[body_start:].lstrip()
        first, newline, after = rest.partition("\n")
        if newline and after.strip():
            title = headline(first)
    return _Meta(title=title, outlet=meta.outlet, date=date, url=meta.url, spans=tuple(spans))


def _article_from_text(text: str, article_id: str, where: str, name: str, **fields: Any) -> Article:
    meta = text_metadata(text, name, where)
    given = {k: _as_text(v) for k, v in fields.items()}
    return Article(
        id=article_id,
        text=text,
        path=where,
        title=given.get("title") or meta.title,
        outlet=given.get("outlet") or meta.outlet,
        date=given.get("date") or meta.date,
        url=given.get("url") or meta.url,
        metadata_spans=meta.spans,
    )


def _has_prose(text: str) -> bool:
    """Whether extracted page text has a line of prose: at least five words, and not
    furniture (trafilatura falls back to menus and footers on pages with no story)."""
    from crosscheck.text.clean import furniture_reason

    return any(len(line.split()) >= 5 and not furniture_reason(line.strip()) for line in text.splitlines())


def _html_article(path: Path, data: bytes, settings: Settings) -> Article:
    """The main text of a web page, found by trafilatura (the ``html`` extra)."""
    try:
        import trafilatura
    except ImportError:
        raise MissingExtraError("html", "reading HTML") from None
    decode(data[:65536], path, settings.load.legacy_encodings)  # rejects binary files early
    if not data.strip():
        raise InputError(path, "empty file")
    found = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    text = (getattr(found, "text", None) or "") if found is not None else ""
    if not _has_prose(text):
        raise InputError(path, "no main text found in the HTML")
    return Article(
        id=path.stem,
        text=text,
        path=str(path),
        title=_as_text(getattr(found, "title", None)),
        outlet=_as_text(getattr(found, "sitename", None)),
        date=_as_text(getattr(found, "date", None)),
        url=_as_text(getattr(found, "url", None)),
    )


def _text_article(path: Path, settings: Settings) -> Article:
    text = decode(read_bytes(path), path, settings.load.legacy_encodings)
    if not text.strip():
        raise InputError(path, "empty file")
    return _article_from_text(text, path.stem, str(path), path.name)


# ---------------------------------------------------------------------------- records


def _record_article(record: Any, where: str, default_id: str, name: str) -> Article:
    """One JSON object or CSV row as an Article, or an InputError saying what is wrong."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise InputError(where, "missing 'text'")
    if not isinstance(text, str):
        raise InputError(where, f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise InputError(where, "empty 'text'")
    given_id = _as_text(record.get("id"))
    fields = {k: record.get(k) for k in ("title", "outlet", "date", "url")}
    return _article_from_text(text, given_id or default_id, where, "", **fields)


def _sniff_encoding(path: Path, head: bytes, settings: Settings) -> tuple[str, int]:
    """The encoding of a record file and the length of its BOM, from its first bytes."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return encoding, len(bom)
    text = decode(head, path, settings.load.legacy_encodings)  # binary files fail here, by name
    try:
        head.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the end of the sample
            return "utf-8", 0
    for encoding in (*settings.load.legacy_encodings, "cp1252"):  # the one decode chose
        try:
            if head.decode(encoding) == text:
                return encoding, 0
        except (UnicodeDecodeError, LookupError):
            continue
    return "utf-8", 0


def _head(path: Path, size: int = 65536) -> bytes:
    if not path.exists():
        raise InputError(path, "no such file or folder")
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def _record_lines(path: Path, settings: Settings) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) of each line of a record file, read as a stream. Lines are
    decoded one by one, so undecodable bytes are an InputError naming their line."""
    head = _head(path)
    if not head.strip():
        raise InputError(path, "empty file")
    encoding, bom = _sniff_encoding(path, head, settings)
    with open(path, "rb") as handle:
        handle.seek(bom)
        if encoding.startswith("utf-16"):  # its lines cannot be split at the byte b"\n"
            lineno = 0
            try:
                for lineno, line in enumerate(io.TextIOWrapper(handle, encoding=encoding, newline=""), 1):
                    yield lineno, line
            except UnicodeDecodeError as exc:
                raise InputError(path, f"undecodable bytes near line {lineno + 1} ({exc.reason})") from None
            return
        lineno = 0
        for chunk in handle:
            for raw in chunk.splitlines(keepends=True):  # a lone CR ends a line too
                lineno += 1
                try:
                    yield lineno, raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    yield lineno, InputError(
                        f"{path}:{lineno}", f"undecodable bytes at column {exc.start + 1} (not {encoding})"
                    )


def _parse_json(text: str, where: str) -> Any:
    """``json.loads``, with nesting too deep for Python reported as malformed JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(where, "malformed JSON: nested too deeply") from None


def _jsonl_records(path: Path, settings: Settings) -> Iterator[tuple[str, str, Any]]:
    """(place, default id, parsed value or InputError) for each non-blank line."""
    for lineno, line in _record_lines(path, settings):
        where = f"{path}:{lineno}"
        if isinstance(line, InputError):
            yield where, "", line
            continue
        if not line.strip():
            continue
        try:
            yield where, f"{path.stem}:{lineno}", _parse_json(line, where)
        except json.JSONDecodeError as exc:
            yield where, "", InputError(where, f"malformed JSON: {exc.msg} (column {exc.colno})")
        except InputError as error:
            yield where, "", error


def _json_records(path: Path, settings: Settings) -> Iterator[tuple[str, str, Any]]:
    """A ``.json`` file: one array of records or one record (read whole), or JSON lines."""
    text = decode(read_bytes(path), path, settings.load.legacy_encodings)
    if not text.strip():
        raise InputError(path, "empty file")
    try:
        value = _parse_json(text, str(path))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # really JSON lines
            yield from _jsonl_records(path, settings)
            return
        raise InputError(path, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if isinstance(value, list):
        for index, item in enumerate(value, 1):
            yield f"{path}:[{index}]", f"{path.stem}:{index}", item
    else:
        yield str(path), path.stem, value


_RECORD_FIELDS = ("id", "text", "title", "outlet", "date", "url")


def _csv_lines(path: Path, settings: Settings) -> Iterator[str]:
    for _, line in _record_lines(path, settings):
        if isinstance(line, InputError):
            raise line  # a row may span lines: the rest of the file cannot be trusted
        yield line


def _csv_records(path: Path, settings: Settings) -> Iterator[tuple[str, str, Any]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(_csv_lines(path, settings), strict=True)
    row_start = 1
    try:
        header = reader.fieldnames or []
        if "text" not in header:
            raise InputError(path, f"no 'text' column (columns: {', '.join(header) or 'none'})")
        doubled = [c for c in _RECORD_FIELDS if header.count(c) > 1]
        if doubled:
            raise InputError(path, f"the header has the column '{doubled[0]}' {header.count(doubled[0])} times")
        row_start = reader.line_num + 1
        for row in reader:
            where = f"{path}:{row_start}"
            if None in row:
                yield where, "", InputError(where, f"{len(header) + len(row[None])} fields, the header has {len(header)}")
            else:
                yield where, f"{path.stem}:{row_start}", row
            row_start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise InputError(f"{path}:{row_start}", "malformed CSV: a quoted field is never closed") from None
        raise InputError(f"{path}:{reader.reader.line_num}", f"malformed CSV: {exc}") from None


def _records(path: Path, settings: Settings, on_skip: OnSkip | None) -> Iterator[tuple[Article, bool]]:
    """(article, whether its id was stated in the record) for each good record."""
    suffix = path.suffix.lower()
    source = {".jsonl": _jsonl_records, ".json": _json_records, ".csv": _csv_records}[suffix]
    for where, default_id, value in source(path, settings):
        try:
            if isinstance(value, InputError):
                raise value
            article = _record_article(value, where, default_id, path.name)
            yield article, article.id != default_id
        except InputError as error:
            if not settings.load.skip_bad:
                raise
            if on_skip is not None:
                on_skip(error)


# ---------------------------------------------------------------------------- public


def _file_articles(path: Path, settings: Settings, on_skip: OnSkip | None) -> Iterator[tuple[Article, bool]]:
    suffix = path.suffix.lower()
    if suffix in _RECORDS:
        yield from _records(path, settings, on_skip)
    elif suffix in _HTML:
        yield _html_article(path, read_bytes(path), settings), False
    else:
        yield _text_article(path, settings), False


def _expand(paths: Iterable[str | Path], settings: Settings) -> Iterator[Path]:
    """Each path given, with folders replaced by their article files (recursively, sorted)."""
    extensions = [e.lower() if e.startswith(".") else f".{e.lower()}" for e in settings.load.extensions]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in extensions and not p.name.startswith(".")
            )
            if not files:
                raise InputError(path, f"no articles found (looked for {', '.join(extensions)})")
            yield from files
        elif path.exists():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def iter_articles(
    paths: Iterable[str | Path],
    settings: Settings | None = None,
    on_skip: OnSkip | None = None,
) -> Iterator[Article]:
    """Stream the articles of files and folders, one at a time, in a stable order.

    With ``settings.load.skip_bad``, a malformed record (or an unreadable file inside a
    folder) is passed to ``on_skip`` and reading goes on; otherwise it is raised.
    """
    settings = settings or Settings()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen: dict[str, str] = {}
    for path in _expand(paths, settings):
        try:
            for article, stated in _file_articles(path, settings, on_skip):
                try:
                    yield _unique(article, stated, seen)
                except InputError as error:
                    if not settings.load.skip_bad:
                        raise
                    if on_skip is not None:
                        on_skip(error)
        except InputError as error:
            if not settings.load.skip_bad:
                raise
            if on_skip is not None:
                on_skip(error)


def _unique(article: Article, stated: bool, seen: dict[str, str]) -> Article:
    """Refuse a stated id seen before; number a made-up one that repeats (``x~2``)."""
    where = article.path or article.id
    if article.id in seen:
        if stated:
            raise InputError(where, f"duplicate id '{article.id}' (also at {seen[article.id]})")
        number = 2
        while f"{article.id}~{number}" in seen:
            number += 1
        article = dataclasses.replace(article, id=f"{article.id}~{number}")
    seen[article.id] = where
    return article


def load_articles(
    paths: Iterable[str | Path] | str | Path,
    settings: Settings | None = None,
    on_skip: OnSkip | None = None,
) -> list[Article]:
    """All the articles of files and folders, as a list (see :func:`iter_articles`)."""
    return list(iter_articles(paths, settings, on_skip))


def load(path: str | Path, settings: Settings | None = None) -> Article:
    """The one article in a file (a record file must hold exactly one record)."""
    settings = settings or Settings()
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is a folder, expected a file")
    if not path.exists():
        raise InputError(path, "no such file or folder")
    if path.suffix.lower() not in _RECORDS:
        return next(_file_articles(path, settings, None))[0]
    found = [article for article, _ in _records(path, settings, None)]
    if not found:
        raise InputError(path, "holds no articles")
    if len(found) > 1:
        raise InputError(path, f"holds {len(found)} articles; use load_articles")
    return found[0]
