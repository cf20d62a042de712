"""Turn an article into a Document: clean it, split it into sentences, find its quotes.

This is the one place the text-in stages meet, so that the matcher, the TUI, the
reports and dedup all see the same sentences with the same offsets.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from crosscheck.text.clean import blank_spans, find_boilerplate, repeated_lines
from crosscheck.config import Settings
from crosscheck.errors import InputError
from crosscheck.text.load import load
from crosscheck.model import Article, Document
from crosscheck.text.quotes import find_quotes
from crosscheck.text.segment import segment


def _looks_like_path(text: str, settings: Settings) -> bool:
    """A one-line string naming an existing file, or one that reads like a file name
    (so that a typo in a path is an error, not an article about "seeds/x.txt")."""
    if not text.strip() or "\n" in text or len(text) > 4096:
        return False
    try:
        if Path(text).exists():
            return True
    except OSError:
        return False
    has_space = any(c.isspace() for c in text)
    return not has_space and (Path(text).suffix.lower() in settings.load.extensions or "/" in text)


def as_article(item: Article | Document | str | Path, settings: Settings) -> Article:
    """Accept what a library user is likely to have: a path, an Article, or plain text.

    A ``str`` naming an existing file is read as that file; any other ``str`` is taken
    as the article's text itself.
    """
    if isinstance(item, Document):
        return item.article
    if isinstance(item, Article):
        return item
    if isinstance(item, Path):
        return load(item, settings)
    if isinstance(item, str):
        if _looks_like_path(item, settings):
            return load(item, settings)
        if not item.strip():
            raise InputError("text", "is empty: no article to compare")
        return Article(id="text", text=item)
    raise TypeError(f"expected a path, an Article, a Document or text, got {type(item).__name__}")


def prepare(
    item: Article | Document | str | Path,
    settings: Settings | None = None,
    repeated: frozenset[str] = frozenset(),
) -> Document:
    """Clean, segment and quote-scan one article.

    ``repeated`` holds lines seen across many articles of the same folder (see
    :func:`prepare_many`); they are boilerplate wherever they occur.
    """
    if isinstance(item, Document):
        return item
    settings = settings or Settings()
    article = as_article(item, settings)
    boilerplate = find_boilerplate(article, settings.clean, repeated) if settings.clean.enabled else ()
    if not settings.clean.enabled:
        from crosscheck.model import Boilerplate

        boilerplate = tuple(
            Boilerplate(span, article.text[span.start:span.end], "metadata")
            for span in article.metadata_spans
        )
    sentences = segment(article.text, [b.span for b in boilerplate], settings.segment)
    quotes = find_quotes(blank_spans(article.text, [b.span for b in boilerplate]), sentences)
    return Document(article=article, sentences=sentences, quotes=quotes, boilerplate=boilerplate)


def prepare_many(
    items: Iterable[Article | Document | str | Path], settings: Settings | None = None
) -> list[Document]:
    """Prepare the articles of one folder together, so lines they all repeat are removed."""
    settings = settings or Settings()
    articles: Sequence[Article] = [
        item.article if isinstance(item, Document) else as_article(item, settings) for item in items
    ]
    repeated = repeated_lines(articles, settings.clean.repeated_line_min_articles)
    return [prepare(article, settings, repeated) for article in articles]
