"""Record files: JSON lines, a JSON array and CSV, read one record at a time.

A corpus of a million articles never sits in memory, which dedup relies on. A bad
record is an InputError naming its line (``feed.jsonl:12``), raised or, with
``load.skip_bad``, passed to ``on_skip``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.model import Article
from crosscheck.text.files import check_readable, decode, read_bytes
from crosscheck.text.metadata import article_from_text, as_text
from crosscheck.text.pages import is_warc, warc_records

RECORD_SUFFIXES = (".jsonl", ".json", ".csv")

OnSkip = Callable[[InputError], None]


def _record_article(record: Any, where: str, default_id: str, name: str) -> Article:
    """One JSON object or CSV row as an Article, or an InputError saying what is wrong."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise InputError(where, "missing 'text'")
    if not isinstance(text, str):
        raise InputError(where, f"'text' must be a string, got {type(text).__name__}")
    if not text or text.isspace():
        raise InputError(where, "empty 'text'")
    given_id = as_text(record.get("id"))
    fields = {k: value for k in _ARTICLE_FIELDS if (value := record.get(k)) is not None}
    return article_from_text(text, given_id or default_id, where, "", **fields)


_ARTICLE_FIELDS = ("title", "outlet", "date", "url", "lang", "language")


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
    check_readable(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None


def _layout(path: Path, settings: Settings) -> tuple[str, int]:
    """The encoding of a record file and the length of its BOM; an InputError when the
    file cannot be read, is empty or is not text."""
    head = _head(path)
    if not head.strip():
        raise InputError(path, "empty file")
    return _sniff_encoding(path, head, settings)


def _decoded(raw: bytes, encoding: str, path: Path, lineno: int) -> str | InputError:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return InputError(f"{path}:{lineno}", f"undecodable bytes at column {exc.start + 1} (not {encoding})")


def _record_lines(path: Path, settings: Settings) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) of each line of a record file, read as a stream. Lines are
    decoded one by one, so undecodable bytes are an InputError naming their line."""
    encoding, bom = _layout(path, settings)
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
                yield lineno, _decoded(raw, encoding, path, lineno)


def _parse_json(text: str, where: str) -> Any:
    """``json.loads``, with nesting too deep for Python, or a number too long for it to
    read, reported as malformed JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(where, "malformed JSON: nested too deeply") from None
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        # "Exceeds the limit (4300 digits) for integer string conversion: value has ..."
        raise InputError(where, f"malformed JSON: {str(exc).split(';')[0]}") from None


def _jsonl_value(name: str, stem: str, lineno: int, line: str | InputError) -> tuple[str, str, Any] | None:
    """(place, default id, parsed value or InputError) of line ``lineno`` of the file
    ``name`` (its stem ``stem``); None for a blank line."""
    where = f"{name}:{lineno}"
    if isinstance(line, InputError):
        return where, "", line
    if not line or line.isspace():
        return None
    try:
        return where, f"{stem}:{lineno}", _parse_json(line, where)
    except json.JSONDecodeError as exc:
        return where, "", InputError(where, f"malformed JSON: {exc.msg} (column {exc.colno})")
    except InputError as error:
        return where, "", error


def _jsonl_records(path: Path, settings: Settings) -> Iterator[tuple[str, str, Any]]:
    """(place, default id, parsed value or InputError) for each non-blank line."""
    name, stem = str(path), path.stem
    for lineno, line in _record_lines(path, settings):
        found = _jsonl_value(name, stem, lineno, line)
        if found is not None:
            yield found


@dataclass(frozen=True)
class Fatal:
    """A problem that stops a read whatever ``load.skip_bad`` says (a missing path, an
    error that is no InputError), kept in its place among the records read ahead, so
    that it is raised after what came before it."""

    error: Exception


@dataclass(frozen=True)
class LineChunk:
    """Whole lines of a JSON-lines file, still bytes, and the number of the first: the
    reader only cuts the file, and whoever sketches the chunk parses it
    (:func:`chunk_records`), in parallel."""

    path: Path
    first_line: int
    encoding: str
    data: bytes


def jsonl_chunks(path: Path, settings: Settings, lines: int) -> Iterator[LineChunk] | None:
    """The file in chunks of about ``lines`` lines, or None when its lines cannot be cut
    at the byte ``\\n`` (UTF-16). Lines are numbered as :func:`_record_lines` numbers them:
    a lone CR ends a line too."""
    encoding, bom = _layout(path, settings)
    if encoding.startswith("utf-16"):
        return None
    return _chunks(path, encoding, bom, max(1, lines))


def _chunks(path: Path, encoding: str, bom: int, lines: int) -> Iterator[LineChunk]:
    """Cut after every ``lines``-th LF. Each block read is scanned once (``bytes.find``
    from one LF to the next: a few ms for a 50 MB file, where a numpy scan and a
    count of each chunk's lines cost several times more), and the lines waiting for
    the next cut are kept as parts, joined once: a line far longer than a block (or a
    file with no LF) costs its length, not its length squared."""
    block = max(1 << 16, lines * 4096)
    first, parts, waiting = 1, [], 0  # waiting: LFs in ``parts``
    try:
        with open(path, "rb") as handle:
            handle.seek(bom)
            while data := handle.read(block):
                find, start, at = data.find, 0, -1
                while True:
                    for _ in range(lines - waiting):
                        at = find(b"\n", at + 1)
                        if at < 0:
                            break
                        waiting += 1
                    if at < 0:
                        break
                    chunk = b"".join([*parts, data[start:at + 1]])
                    yield LineChunk(path, first, encoding, chunk)
                    # Lines end at LF, CR or CRLF; a chunk ends at an LF, so never inside a CRLF.
                    first += lines
                    if b"\r" in chunk:
                        first += chunk.count(b"\r") - chunk.count(b"\r\n")
                    parts, start, waiting = [], at + 1, 0
                if start < len(data):
                    parts.append(data[start:])
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if parts:
        yield LineChunk(path, first, encoding, b"".join(parts))


def chunk_records(chunk: LineChunk, settings: Settings) -> list[tuple[Article, bool] | InputError | Fatal]:
    """What :func:`records` gives for the lines of a chunk, each good record as (article,
    whether its id was stated) and each bad one as its InputError, in order; any other
    error ends the chunk as a :class:`Fatal`."""
    out: list[tuple[Article, bool] | InputError | Fatal] = []
    path, name, where, stem = chunk.path, chunk.path.name, str(chunk.path), chunk.path.stem
    for lineno, raw in enumerate(chunk.data.splitlines(keepends=True), chunk.first_line):
        found = _jsonl_value(where, stem, lineno, _decoded(raw, chunk.encoding, path, lineno))
        if found is None:
            continue
        try:
            out.append(_record(*found, name))
        except InputError as error:
            out.append(error)
        except Exception as error:  # raised in its place when the chunk is settled
            out.append(Fatal(error))
            break
    return out


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


def is_record_file(path: Path) -> bool:
    """Whether the file holds many articles (JSON lines, JSON, CSV, a WARC archive)."""
    return path.suffix.lower() in RECORD_SUFFIXES or is_warc(path)


def _record(where: str, default_id: str, value: Any, name: str) -> tuple[Article, bool]:
    """(article, whether its id was stated) of one parsed record, or its InputError raised."""
    if isinstance(value, InputError):
        raise value
    article = value if isinstance(value, Article) else _record_article(value, where, default_id, name)
    return article, article.id != default_id


def records(path: Path, settings: Settings, on_skip: OnSkip | None) -> Iterator[tuple[Article, bool]]:
    """(article, whether its id was stated in the record) for each good record."""
    if is_warc(path):
        source = warc_records
    else:
        source = {".jsonl": _jsonl_records, ".json": _json_records, ".csv": _csv_records}[path.suffix.lower()]
    for where, default_id, value in source(path, settings):
        try:
            yield _record(where, default_id, value, path.name)
        except InputError as error:
            if not settings.load.skip_bad:
                raise
            if on_skip is not None:
                on_skip(error)

