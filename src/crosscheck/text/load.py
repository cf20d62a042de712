"""Reading articles from files, folders, record files and web pages, with their metadata.

``Article.text`` is the text as read (decoded, a BOM dropped, nothing else), so every
offset crosscheck reports can be found again in the user's file. Metadata written into
the text (YAML front matter, a leading ``date 2022-05-16``, Markdown markup) stays in
the text and is recorded in ``Article.metadata_spans`` (:mod:`crosscheck.text.metadata`);
the cleaner reports it as boilerplate. Record files (JSONL, JSON, CSV, WARC) are read
one record at a time (:mod:`crosscheck.text.records`); HTML pages through
:mod:`crosscheck.text.pages`.

Ids: a record's ``id``, else the file name without its extension (``stem:N`` for the
N-th line or row of a record file, or the N-th record of a WARC). Two records that
*state* the same id are an error naming both places; an id made up from file names
that repeats (``a/x.txt`` and ``b/x.txt``) is made unique with a ``~2``, ``~3`` suffix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.model import Article
from crosscheck.text.files import check_readable, decode, read_bytes
from crosscheck.text.metadata import article_from_text, headline, text_metadata  # noqa: F401 (re-exported)
from crosscheck.text.pages import HTML_SUFFIXES, html_article
from crosscheck.text.records import Fatal, LineChunk, OnSkip, chunk_records, is_record_file, jsonl_chunks, records


def _text_article(path: Path, settings: Settings) -> Article:
    text = decode(read_bytes(path), path, settings.load.legacy_encodings)
    if not text.strip():
        raise InputError(path, "empty file")
    return article_from_text(text, path.stem, str(path), path.name)


def _check_size(path: Path, settings: Settings) -> None:
    """Refuse a one-article file over ``load.max_article_mb`` before reading a byte of it."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # read_bytes names the problem
    limit = settings.load.max_article_mb
    if path.is_file() and size > limit * 1_000_000:
        mb = size / 1_000_000
        shown = f"{mb:.0f}" if mb >= 10 else f"{mb:.1f}"
        raise InputError(path, f"is {shown} MB, over load.max_article_mb ({limit:g} MB) for one article; "
                         "split it, or raise the limit in a config file")


def _file_articles(path: Path, settings: Settings, on_skip: OnSkip | None) -> Iterator[tuple[Article, bool]]:
    if is_record_file(path):
        yield from records(path, settings, on_skip)
        return
    _check_size(path, settings)
    if path.suffix.lower() in HTML_SUFFIXES:
        yield html_article(path, read_bytes(path), settings), False
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
    given = admit(article.id, stated, article.path or article.id, seen)
    return article if given == article.id else dataclasses.replace(article, id=given)


def admit(article_id: str, stated: bool, where: str, seen: dict[str, str]) -> str:
    """The id an article read at ``where`` goes by, given the ids ``seen`` so far in one
    read: a stated id seen before is an InputError naming both places; a made-up one
    that repeats gets ``~2``, ``~3``."""
    if article_id in seen:
        if stated:
            raise InputError(where, f"duplicate id '{article_id}' (also at {seen[article_id]})")
        number = 2
        while f"{article_id}~{number}" in seen:
            number += 1
        article_id = f"{article_id}~{number}"
    seen[article_id] = where
    return article_id


# Reading ahead: the same articles as iter_articles, as work to hand out to processes.


Outcome = tuple[Article, bool] | InputError | Fatal
"""One thing a read met, in order: an article (and whether its id was stated), or a problem."""
Found = tuple[str, str, bool] | InputError | Fatal
"""What :func:`settle` needs of an outcome: the article's id, where it was read and
whether its id was stated; or the problem."""


def read_ahead(
    paths: Iterable[str | Path], settings: Settings, batch: int
) -> Iterator[tuple[LineChunk | list[Outcome], int]]:
    """What :func:`iter_articles` reads, as work: a JSON-lines file cut into chunks of
    ``batch`` raw lines (whoever takes a chunk parses it with :func:`~crosscheck.text.records.chunk_records`, so
    parsing runs in parallel too), other files read here, their outcomes in lists of
    about ``batch``; each piece with the bytes of input it finishes (a chunk's own, a
    file's size where its last article falls), for a progress total. Nothing is raised,
    skipped or renamed yet: :func:`settle` does that, in input order, so the same input
    gives the same articles and the same first error however the work is spread. (An
    error that is no InputError, or a missing path, ends the read: it is kept as a
    :class:`Fatal` in its place.)"""
    pending: list[Outcome] = []
    done = 0  # bytes of the files finished since the last piece
    try:
        for path in _expand(paths, settings):
            try:
                chunks = jsonl_chunks(path, settings, batch) if path.suffix.lower() == ".jsonl" else None
                if chunks is not None:
                    if pending or done:
                        yield pending, done
                        pending, done = [], 0
                    for chunk in chunks:
                        yield chunk, len(chunk.data)
                    continue
                for article, stated in _file_articles(path, settings, lambda error: pending.append(error)):
                    pending.append((article, stated))
                    if len(pending) >= batch:
                        yield pending, done
                        pending, done = [], 0
                done += _size(path)
            except InputError as error:
                pending.append(error)
                done += _size(path)
    except Exception as error:  # raised by settle() in its place, after what came before it
        pending.append(Fatal(error))
    if pending or done:
        yield pending, done


def input_bytes(paths: Iterable[str | Path], settings: Settings) -> int:
    """The size of the files a read of ``paths`` goes through (what :func:`read_ahead`
    counts off); a path that cannot be listed counts nothing here: the read names it."""
    total = 0
    for path in paths:
        try:
            total += sum(_size(p) for p in _expand([path], settings))
        except InputError:
            continue
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def settle(found: Sequence[tuple[str, str, bool] | InputError | Fatal], settings: Settings,
           seen: dict[str, str] | None, on_skip: OnSkip | None = None) -> list[tuple[int, str]]:
    """The articles a read keeps, in order, from what it found: ``(id, where, stated)``
    for each article (their place among the articles, and the id it goes by) and a
    problem for each failure, which is raised, or passed to ``on_skip`` with
    ``load.skip_bad``, as :func:`iter_articles` does. ``seen`` holds the ids of the read
    so far; None for Article values given as they are, which are kept unchecked."""
    if seen is not None and all(type(item) is tuple for item in found):
        ids = [item[0] for item in found]
        if len(set(ids)) == len(ids) and seen.keys().isdisjoint(ids):
            # The usual piece: no problem, no id seen before (admit's loop, in C calls).
            seen.update([(item[0], item[1]) for item in found])
            return list(enumerate(ids))
    kept: list[tuple[int, str]] = []
    position = 0
    for item in found:
        if isinstance(item, Fatal):
            raise item.error
        try:
            if isinstance(item, InputError):
                raise item
            article_id, where, stated = item
            position += 1
            kept.append((position - 1, article_id if seen is None else admit(article_id, stated, where, seen)))
        except InputError as error:
            if not settings.load.skip_bad:
                raise
            if on_skip is not None:
                on_skip(error)
    return kept


def found_in(outcomes: Sequence[Outcome]) -> list[Found]:
    """What :func:`settle` needs of each outcome (an article's id and place, not its text)."""
    return [(o[0].id, o[0].path or o[0].id, o[1]) if isinstance(o, tuple) else o for o in outcomes]


def settled_articles(piece: LineChunk | list[Outcome], settings: Settings, seen: dict[str, str] | None,
                     on_skip: OnSkip | None = None) -> list[Article]:
    """The articles of one piece of a read (:func:`read_ahead`), parsed and settled here:
    what :func:`iter_articles` gives for the same lines, ids made unique in ``seen``."""
    outcomes = chunk_records(piece, settings) if isinstance(piece, LineChunk) else piece
    articles = [o[0] for o in outcomes if isinstance(o, tuple)]
    kept = settle(found_in(outcomes), settings, seen, on_skip)
    return [articles[p] if articles[p].id == given else dataclasses.replace(articles[p], id=given)
            for p, given in kept]


def load_articles(
    paths: Iterable[str | Path] | str | Path,
    settings: Settings | None = None,
    on_skip: OnSkip | None = None,
) -> list[Article]:
    """All the articles of files and folders, as a list (see :func:`iter_articles`)."""
    return list(iter_articles(paths, settings, on_skip))


def record_ref(path: str | Path) -> tuple[Path, str | None]:
    """A path, or ``FILE#ID`` naming one record of a record file, as (file, id or None).

    The name is split only when it is not a file itself and the part before the last
    ``#`` is an existing record file.

    >>> record_ref("seeds/001_501dcf1e5442c15e.txt")
    (PosixPath('seeds/001_501dcf1e5442c15e.txt'), None)
    """
    text = str(path)
    head, sep, wanted = text.rpartition("#")
    if not sep or not wanted or Path(text).exists():
        return Path(path), None
    file = Path(head)
    if is_record_file(file) and file.is_file():
        return file, wanted
    return Path(path), None


def _id_list(ids: list[str], shown: int = 5) -> str:
    more = f", … ({len(ids) - shown} more)" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def load(path: str | Path, settings: Settings | None = None, article_id: str | None = None) -> Article:
    """The one article in a file. A record file must hold exactly one record, or the
    record is named: ``article_id``, or the path written as ``FILE#ID``."""
    settings = settings or Settings()
    path, in_name = record_ref(path)
    article_id = article_id if article_id is not None else in_name
    check_readable(path)
    if not is_record_file(path):
        if article_id is not None:
            raise InputError(path, f"is not a record file (.jsonl, .json, .csv, .warc), so it has no article '{article_id}'")
        return next(_file_articles(path, settings, None))[0]
    found = [article for article, _ in records(path, settings, None)]
    if not found:
        raise InputError(path, "holds no articles")
    ids = [article.id for article in found]
    if article_id is not None:
        for article in found:
            if article.id == article_id:
                return article
        raise InputError(path, f"has no article with the id '{article_id}' (ids: {_id_list(ids)})")
    if len(found) > 1:
        raise InputError(
            path,
            f"holds {len(found)} articles; pick one as {path}#ID, or with compare's --source-id / --rewrite-id "
            f"(ids: {_id_list(ids)})",
        )
    return found[0]


def article_files(paths: Iterable[str | Path], settings: Settings | None = None) -> list[Path]:
    """The files :func:`iter_articles` would read, in its order: a total for progress."""
    return list(_expand([paths] if isinstance(paths, (str, Path)) else paths, settings or Settings()))
