"""Page furniture is removed in every input format, with its reason, and never speaks."""

from __future__ import annotations

import pytest

from crosscheck.config.settings import Settings
from crosscheck.text.clean import furniture_reason
from crosscheck.text.prepare import prepare


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Now Playing: Putin warns the West", "video or photo widget"),
        ("Image 3 of 10", "video or photo widget"),
        ("Back to Gallery", "video or photo widget"),
        ("(Photo by Mikhail Metzel/TASS)", "credit or byline"),
        ("By Vladimir Isachenkov, Associated Press", "credit or byline"),
        ("Reporting by Dmitry Antonov; Editing by Tom Balmforth", "credit or byline"),
        ("Russian President Vladimir Putin at the summit. (AP Photo/Alexander Zemlianichenko)", "photo caption"),
        ("Russian President Vladimir Putin attends a meeting of the leaders of the Collective Security Treaty "
         "Organization (CSTO) member states, at the Kremlin in Moscow, Russia May 16, 2022. /Reuters", "photo caption"),
        ("Published May 16, 2022 10:32 a.m. EDT", "date stamp"),
        ("Updated 22:43, 16-May-2022", "date stamp"),
        ("window._taboola = window._taboola || []; _taboola.push({mode: 'thumbnails-a'});", "script text"),
        # Script calls glued to the end of a long paragraph, however long it is.
        ("The summit ended with a joint statement on the situation in Kazakhstan, which all six leaders "
         "signed after a long closed session in the Kremlin. googletag.cmd.push(function() { googletag.display('ad'); });",
         "script text"),
        ("Read more: Putin says Russia has no problem with Finland", "read-more link"),
        ("Get the day's top stories delivered to your inbox.", "newsletter sign-up"),
    ],
)
def test_furniture_lines_are_named(line: str, reason: str) -> None:
    assert furniture_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "President Vladimir Putin on Monday said Russia had no issue with Finland and Sweden.",
        "By the end of May, Moscow would respond, he said.",
        "Video footage showed troops crossing the border, officials said.",
        "Sweden and Finland will apply to join NATO, Reuters reported.",
        "The photo was taken by a Reuters photographer on Monday.",
        # Script names are case-sensitive: these words are prose, not a call.
        "Readers found GOOGLETAG.CMD printed in capitals across the page, a glitch the site fixed.",
    ],
)
def test_story_sentences_are_not_furniture(line: str) -> None:
    assert furniture_reason(line) is None


WIDGET_PAGE = """Putin says Russia has no problem with Finland and Sweden

Now Playing: Kremlin warns of response

By Vladimir Isachenkov, Associated Press

Published May 16, 2022 10:32 a.m. EDT

President Vladimir Putin said on Monday that Russia has no problems with Finland and Sweden.

Image 3 of 10

"But the expansion of military infrastructure to these territories will certainly evoke a response," Putin said.

window._taboola = window._taboola || []; _taboola.push({article: 'auto'});
"""


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_furniture_leaves_the_body_in_every_format(tmp_path, suffix: str) -> None:
    text = WIDGET_PAGE
    if suffix == ".html":
        text = "<html><body>" + "".join(f"<p>{p}</p>" for p in WIDGET_PAGE.split("\n\n")) + "</body></html>"
    path = tmp_path / f"page{suffix}"
    path.write_text(text, encoding="utf-8")
    doc = prepare(str(path), Settings())
    body = " ".join(s.text for s in doc.sentences)
    for furniture in ("Now Playing", "Isachenkov", "10:32", "Image 3 of 10", "_taboola"):
        assert furniture not in body
    assert "no problems with Finland and Sweden" in body
    reasons = {b.reason for b in doc.boilerplate}
    assert {"video or photo widget", "credit or byline", "date stamp", "script text"} <= reasons


def test_no_speaker_is_taken_from_furniture() -> None:
    doc = prepare(WIDGET_PAGE, Settings())
    speakers = {q.speaker for q in doc.quotes} | {s.speaker for s in doc.sentences}
    assert "Playing" not in speakers and "playing" not in speakers
    assert {q.speaker for q in doc.quotes} == {"Putin"}


def test_a_date_stamp_in_front_of_the_headline_is_cut_off_it() -> None:
    text = " date 2022-05-16 Putin says new military infrastructure in Finland, Sweden would demand reaction\n"
    doc = prepare(text, Settings())
    assert [b.reason for b in doc.boilerplate] == ["date stamp"]
    assert doc.sentences[0].text.startswith("Putin says new military")


def test_a_date_in_prose_is_not_a_stamp() -> None:
    doc = prepare("On 2022-05-16 Putin said Russia had no problem with Finland.\n", Settings())
    assert not doc.boilerplate


def test_a_wire_credit_closing_the_last_paragraph_is_cut_off_it() -> None:
    # Reuters' copy of the summit story, as the National Post ran it: the credit ends the
    # last paragraph instead of standing on a line of its own.
    text = ("Putin said NATO's expansion was a problem for Russia and that it must look closely at the "
            "alliance's plans. (Reporting by Reuters; Editing by Kevin Liffey)\n")
    doc = prepare(text, Settings())
    assert [(b.reason, b.text) for b in doc.boilerplate] == [("credit or byline", " (Reporting by Reuters; Editing by Kevin Liffey)")]
    assert [s.text for s in doc.sentences] == [text[: text.index(" (Reporting")]]


def test_a_wire_credit_is_cut_off_in_any_case() -> None:
    """Desks capitalise their credits differently; the credit rule ignores case, and so
    does the check that lets a line skip it (it once required a lower-case "by")."""
    body = "Putin said NATO's expansion was a problem for Russia."
    for credit in (" (Reporting By Reuters; Editing By Kevin Liffey)", " (REPORTING BY REUTERS)"):
        doc = prepare(body + credit + "\n", Settings())
        assert [(b.reason, b.text) for b in doc.boilerplate] == [("credit or byline", credit)]


def test_a_parenthesis_that_names_who_did_something_is_no_credit() -> None:
    text = "The bill was passed on Monday (written by two senators in March).\n"
    assert not prepare(text, Settings()).boilerplate
    text = "The talks failed. (The plan was drafted by Finland and Sweden.)\n"
    assert not prepare(text, Settings()).boilerplate
