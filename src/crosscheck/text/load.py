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
from collections.abc import Iterable, Iterator
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.model import Article
from crosscheck.text.files import check_readable, decode, read_bytes
from crosscheck.text.metadata import article_from_text, headline, text_metadata  # noqa: F401 (re-exported)
from crosscheck.text.pages import HTML_SUFFIXES, html_article
from crosscheck.text.records import OnSkip, is_record_file, records


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
