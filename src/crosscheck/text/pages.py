"""Web pages: an HTML file's main text, and the pages a WARC crawl archive holds.

The main text of a page comes from trafilatura (the ``html`` extra). When it finds
none on a page that does have prose (broken markup, text outside any container it
trusts), the visible text of the whole page is taken instead, and the cleaner removes
menus and footers from it as from any article.

A WARC file (the ``warc`` extra, warcio) is a record file: each ``response`` record
whose payload is an HTML page or plain text is one article, in file order, with the
record's target URI as its URL and its date. Requests, metadata and responses of
other types (images, scripts) are not articles and are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.errors import InputError, MissingExtraError
from crosscheck.model import Article
from crosscheck.text.files import check_readable, decode
from crosscheck.text.metadata import article_from_text, as_text

HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz")

_INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul",
}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def has_prose(text: str) -> bool:
    """Whether extracted page text has a line of prose: at least five words, and not
    furniture (trafilatura falls back to menus and footers on pages with no story)."""
    from crosscheck.text.clean import furniture_reason

    return any(len(line.split()) >= 5 and not furniture_reason(line.strip()) for line in text.splitlines())


class _VisibleText(HTMLParser):
    """The text a browser would show, one line per block element, and the <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.in_title = False
        self.title: list[str] = []

    def _break(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _INVISIBLE:
            self.hidden += 1
        elif tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.hidden:
            for k, part in enumerate(data.split("\n\n")):
                if k:
                    self._break()
                self.current.append(part.replace("\n", " "))


def visible_text(html: str) -> tuple[str, str | None]:
    """(the page's visible text, its <title>), read by the standard library's lenient parser.

    >>> visible_text("<title>Summit</title><p>Putin spoke.<script>x()</script><p>He left")
    ('Putin spoke.\\nHe left', 'Summit')
    """
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    parser._break()
    title = _SPACES.sub(" ", "".join(parser.title)).strip() or None
    return "\n".join(parser.lines), title


def html_article(path: Path, data: bytes, settings: Settings, where: str | None = None,
                 article_id: str | None = None, url: str | None = None, date: str | None = None) -> Article:
    """The main text of a web page (``where`` names it in errors: a file, or a WARC record)."""
    where = where or str(path)
    try:
        import trafilatura
    except ImportError:
        raise MissingExtraError("html", "reading HTML", path=where) from None
    html = decode(data[:65536], where, settings.load.legacy_encodings)  # rejects binary files early
    if not data.strip():
        raise InputError(where, "empty file")
    if len(data) > 65536:
        html = decode(data, where, settings.load.legacy_encodings)
    found = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    text = (getattr(found, "text", None) or "") if found is not None else ""
    title = as_text(getattr(found, "title", None))
    if not has_prose(text):
        text, title = visible_text(html)
    if not has_prose(text):
        raise InputError(where, "no main text found in the HTML")
    return Article(
        id=article_id or path.stem,
        text=text,
        path=where,
        title=title,
        outlet=as_text(getattr(found, "sitename", None)),
        date=as_text(getattr(found, "date", None)) or date,
        url=as_text(getattr(found, "url", None)) or url,
    )


def _record_page(record: Any) -> tuple[str, bytes] | None:
    """("html" or "text", payload) of a response record that holds a page, else None."""
    if record.rec_type != "response":
        return None
    headers = record.http_headers
    kind = (headers.get_header("Content-Type") if headers is not None else None) or ""
    if headers is not None and not headers.get_statuscode().startswith("2"):
        return None
    kind = kind.split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "html", record.content_stream().read()
    if kind == "text/plain":
        return "text", record.content_stream().read()
    return None


def warc_records(path: Path, settings: Settings) -> Iterator[tuple[str, str, Any]]:
    """(place, default id, Article or InputError) for each page of a WARC file, streamed."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise MissingExtraError("warc", "reading WARC", path=path) from None
    check_readable(path)
    stem = path.name[: -len(next(s for s in WARC_SUFFIXES if path.name.lower().endswith(s)))]
    number = 0
    try:
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                number += 1
                page = _record_page(record)
                if page is None:
                    continue
                where, default_id = f"{path}:{number}", f"{stem}:{number}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
                kind, payload = page
                try:
                    if kind == "html":
                        article = html_article(path, payload, settings, where, default_id, url, date)
                    else:
                        text = decode(payload, where, settings.load.legacy_encodings)
                        if not text.strip():
                            raise InputError(where, "empty page")
                        article = article_from_text(text, default_id, where, "", url=url, date=date)
                    yield where, default_id, article
                except InputError as error:
                    yield where, default_id, error
    except ArchiveLoadFailed as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "unknown format"
        raise InputError(f"{path}:{number + 1}" if number else path, f"not a WARC file ({reason})") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if number == 0:
        raise InputError(path, "empty file")
