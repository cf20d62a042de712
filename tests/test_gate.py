"""The cleaner's fast paths give byte-identical results to the plain regex searches.

The literal gate (:mod:`crosscheck.text.gate`), the end-anchored searches and the
slice-based ``blank_spans`` are checked against straightforward reference versions on
the seeds, the CSTO rewrites and distractors, and the benchmark corpus generators'
texts, and the gate on crafted lines that probe its reasoning.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.dedup.engines import without_boilerplate
from crosscheck.evaluate.common import data_dir as dev_data_dir
from crosscheck.model import Article, Span
from crosscheck.text import clean, gate
from crosscheck.text.load import iter_articles

ROOT = Path(__file__).resolve().parents[1]
CSTO = dev_data_dir() / "csto_rewrites"


def _reference_blank(text, spans):  # type: ignore[no-untyped-def]
    chars = list(text)
    for span in spans:
        for k in range(span.start, min(span.end, len(chars))):
            if chars[k] != "\n":
                chars[k] = " "
    return "".join(chars)


@pytest.fixture
def reference(monkeypatch):  # type: ignore[no-untyped-def]
    """The cleaner with every fast path replaced by the plain search it stands for."""

    def run(fn, *args):  # type: ignore[no-untyped-def]
        with monkeypatch.context() as m:
            m.setattr(clean, "searches", lambda p, line: p.search(line) is not None)
            m.setattr(clean, "_ends_with", lambda p, line, reach: p.search(line) is not None)
            m.setattr(clean, "blank_spans", _reference_blank)
            return fn(*args)

    return run


def _texts() -> list[Article]:
    settings = Settings()
    articles = list(iter_articles([ROOT / "seeds"], settings))
    if CSTO.is_dir():
        articles += list(iter_articles([CSTO], settings))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import newsroom

        items = newsroom.newsroom_day(400, 3)
    except SystemExit:  # the shared data is not beside the repository
        items = []
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    articles += [Article(id=i.id, text=i.text, date=i.date) for i in items]
    return articles


def test_cleaning_is_byte_identical_to_plain_searches(reference):  # type: ignore[no-untyped-def]
    articles = _texts()
    assert len(articles) > 300 or not CSTO.is_dir()
    settings = Settings().clean
    repeated = clean.repeated_lines(articles, 3)
    assert repeated == reference(clean.repeated_lines, articles, 3)
    cut = 0
    for article in articles:
        for rep in (frozenset(), repeated):
            fast = clean.find_boilerplate(article, settings, rep)
            assert fast == reference(clean.find_boilerplate, article, settings, rep), article.id
            body = without_boilerplate(article, settings, rep)
            assert body == reference(without_boilerplate, article, settings, rep), article.id
            cut += body != article.text
    assert cut > 100 or not CSTO.is_dir()  # the texts do carry furniture to cut


def test_blank_spans_matches_the_character_loop():
    rng = random.Random(4)
    for _ in range(300):
        text = "".join(rng.choice("ab \n\u00ab") for _ in range(rng.randrange(0, 40)))
        spans = [Span(a, a + rng.randrange(0, 12)) for a in (rng.randrange(0, 45) for _ in range(rng.randrange(0, 4)))]
        assert clean.blank_spans(text, spans) == _reference_blank(text, spans)


LINES = [
    "window.dataLayer = window.dataLayer || [];", "  var x = 1", "The _taboola.push({mode: 1}) call",
    "the_taboola.push( is glued", "GOOGLETAG.CMD.push", "Tags: a, b", "a tags: b", "tagſ: x",
    "Subscribe to our newsletter", "Get the NEWSLETTER: sign up", "\u212aelvin", "© 2022 Post",
    "ALL RIGHTS RESERVED.", "all rights\nreserved", "Photo: AP / Getty Images", "x (AP Photo/Ivan Sekretarev)",
    "Noticed a mistake? Press Ctrl+Enter", "İnfo: noticed an error", "puſh",
    # Lines that end (or nearly end) the way the closing rules read.
    "Moscow, May 16. / Reuters  ", "Moscow. /REUTERS\n", "a caption (AP Photo)\t", "(AP Photo) and more",
    "the end. (Reporting by Tom Balmforth; Editing by Kevin Liffey)", "the end. (reporting by x) then more",
    "x. / ſhutterſtock", "x. / \u212aYIV", "ends in ab", "ends in cd \u2003", "foo ", "foo\n", "foo", "end\nnext",
]
PATTERNS = [p for _, p in clean._ANYWHERE + clean._TAIL_MARKERS] + [
    re.compile(r"^a|b$"), re.compile(r"(?m)^tags"), re.compile(r"ab(?i:cd)ef"), re.compile(r"ſh", re.I),
    re.compile(r"\Afoo|bar", re.I), re.compile(r"(?:x|y)z"), re.compile(r"[^a]+"),
    clean._CREDIT_SUFFIX, re.compile(r"(?:ab|cd)\s*$"), re.compile(r"foo $"), re.compile(r"foo$"),
    re.compile(r"o\Z"), re.compile(r"(?m)end$"), re.compile(r"x\)\s*$|^y", re.I), re.compile(r"(?:a|b|c)$", re.I),
    re.compile(r"kyiv\s*$", re.I), re.compile(r"\s*$"),
    # Zero-width tests in front of the alternatives.
    re.compile(r"\b(?:push\(|tags)"), re.compile(r"\bfoo|\bbar"), re.compile(r"(?<![a-z])(?:ab|cd)", re.I),
    re.compile(r"\B(?:ag|oo)"), re.compile(r"(?=\w)(?:ends|end)\b"),
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern[:30])
def test_gate_answers_as_search(pattern):  # type: ignore[no-untyped-def]
    for line in LINES + [line.upper() for line in LINES] + [line.lower() for line in LINES]:
        assert gate.searches(pattern, line) == (pattern.search(line) is not None), line


def test_most_furniture_rules_are_gated():
    """The gate reads the shipped rules (a rule it cannot read is only searched)."""
    rules = [p for _, p in clean._ANYWHERE + clean._TAIL_MARKERS]
    assert sum(gate.gate(p) is not None for p in rules) >= len(rules) - 2


def test_alternatives_behind_a_word_boundary_are_read():
    """``\\b(?:a|b)`` needs one of the alternatives' runs as much as ``a|b`` does: a long
    paragraph without them is answered without a search."""
    found = gate.gate(re.compile(r"\b(?:_taboola\.push\(|googletag\.cmd\b)"))
    assert found is not None and set(found.literals) == {"_taboola.push(", "googletag.cmd"} and not found.anchored
    assert gate.gate(re.compile(r"\b(?:ab|\w+)")) is None  # an alternative with no run: searched


def test_closing_rules_are_answered_from_the_end_of_the_line():
    """A picture or wire credit can only close a line: a paragraph that ends otherwise
    is answered without searching it."""
    assert gate.gate(clean._CREDIT_SUFFIX).endings == (")",)
    caption = next(p for reason, p in clean._ANYWHERE if reason == "photo caption")
    assert {")", "reuters", "getty images"} <= set(gate.gate(caption).endings)
    assert gate.gate(re.compile(r"(?m)end$")).endings == ()  # $ before any newline: not read
    assert gate.gate(re.compile(r"x$|y")).endings == ()  # one alternative is not anchored at the end


def test_fold_table_covers_every_character_that_matches_an_ascii_letter():
    letters = re.compile("[a-z]", re.I)
    others = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    matching = {ord(m.group()) for m in letters.finditer(others)}
    assert matching == set(gate._FOLD_TO_ASCII)


def test_fold_equals_one_regex_pass_over_the_marks():
    """``normalize._fold`` (a replace per mark present) against the regex it replaced."""
    import unicodedata

    from crosscheck.text import normalize

    marks = re.compile("[" + re.escape("".join(normalize._REPLACEMENTS)) + "]")
    texts = [a.text for a in _texts()]
    rng = random.Random(2)
    texts += ["".join(rng.choice("a \u00a0" + "".join(normalize._REPLACEMENTS)) for _ in range(30)) for _ in range(500)]
    for text in texts:
        expected = marks.sub(lambda m: normalize._REPLACEMENTS[m.group()], unicodedata.normalize("NFKC", text))
        assert normalize._fold(text) == expected
