"""Loading: every kind of input a newsroom has becomes Articles whose offsets index the file."""

from __future__ import annotations

import codecs
import json
import sys
import types

import pytest

from crosscheck.config import Settings
from crosscheck.errors import InputError, MissingExtraError
from crosscheck.text.load import iter_articles, load, load_articles

RUSSIAN = "Президент России Владимир Путин заявил, что расширение НАТО — «проблема».\nЁлки-палки, сказал он.\n"
FRENCH = "Le président a déclaré : « La sécurité collective n’est pas négociable. » C’était à Moscou — déjà.\n"
GERMAN = "Die Größe des Bündnisses wächst; Außenminister äußerten sich über die Führung.\n"


def test_the_seeds_are_read_as_they_are_with_their_metadata(seeds_dir, seed_path):
    articles = load_articles([seeds_dir])
    assert [a.id[:3] for a in articles] == ["000", "001", "002", "003", "004"]
    for article in articles:
        assert article.text == open(article.path, encoding="utf-8").read()
    first = articles[0]
    assert first.date == "2022-05-16"
    assert [first.text[s.start:s.end] for s in first.metadata_spans] == ["date 2022-05-16"]
    assert articles[1].title == "CSTO summit"
    assert articles[4].title is None  # its first line is a paragraph, not a headline


def test_front_matter_gives_metadata_and_is_marked_as_such(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Summit in Moscow\noutlet: TASS\ndate: 2022-05-16\nurl: https://tass.com/1\n---\n"
        "Putin met the CSTO leaders in Moscow.\n",
        encoding="utf-8",
    )
    article = load(path)
    assert (article.title, article.outlet, article.date, article.url) == (
        "Summit in Moscow", "TASS", "2022-05-16", "https://tass.com/1"
    )
    (span,) = article.metadata_spans
    assert article.text[span.start:span.end].startswith("---\ntitle")
    assert article.text[span.end:].strip() == "Putin met the CSTO leaders in Moscow."


def test_a_date_in_the_file_name_is_the_publication_date(tmp_path):
    path = tmp_path / "2022-05-16_tass_summit.txt"
    path.write_text("Putin met the CSTO leaders in Moscow.\n", encoding="utf-8")
    assert load(path).date == "2022-05-16"


def test_only_the_bom_is_dropped_and_line_endings_stay(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(codecs.BOM_UTF8 + "CSTO summit\r\nPutin spoke.\r\n".encode("utf-8"))
    assert load(path).text == "CSTO summit\r\nPutin spoke.\r\n"


@pytest.mark.parametrize(
    "text, encoding",
    [(RUSSIAN, "cp1251"), (FRENCH, "cp1252"), (FRENCH.replace("’", "'").replace("—", "-"), "latin-1"),
     (GERMAN, "latin-1"), (RUSSIAN, "utf-16"), (FRENCH, "utf-8-sig")],
)
def test_legacy_and_unicode_encodings_are_detected(tmp_path, text, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    assert load(path).text == text


def test_folders_are_read_recursively_in_order_by_extension(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "two.md").write_text("Second story about the CSTO.", encoding="utf-8")
    (tmp_path / "one.txt").write_text("First story about the CSTO.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    assert [a.id for a in load_articles([tmp_path])] == ["one", "two"]


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_jsonl_records_become_articles_with_ids_from_the_record_or_the_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, [
        {"id": "tass-1", "text": "Putin met the CSTO leaders.", "outlet": "TASS", "date": "2022-05-16"},
        {"text": "Lukashenko called for a united front.", "title": "United front"},
    ])
    first, second = load_articles([path])
    assert (first.id, first.outlet, first.date) == ("tass-1", "TASS", "2022-05-16")
    assert (second.id, second.title, second.path) == ("feed:2", "United front", f"{path}:2")


def test_jsonl_is_streamed_one_record_at_a_time(tmp_path):
    path = tmp_path / "big.jsonl"
    write_jsonl(path, [{"text": f"Story number {i} about the CSTO."} for i in range(1000)])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("{broken\n")
    stream = iter_articles([path])
    assert isinstance(stream, types.GeneratorType)
    assert next(stream).id == "big:1"  # read before the broken last line is reached
    with pytest.raises(InputError, match=r"big.jsonl:1001: malformed JSON"):
        list(stream)


def test_skip_bad_reports_each_bad_record_and_reads_the_rest(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "One."}\nnot json\n{"title": "no text"}\n{"text": "Four."}\n', encoding="utf-8")
    skipped: list[InputError] = []
    settings = Settings()
    settings = settings.with_values({"load.skip_bad": True})
    articles = load_articles([path], settings, on_skip=skipped.append)
    assert [a.text for a in articles] == ["One.", "Four."]
    assert [str(e) for e in skipped] == [
        f"{path}:2: malformed JSON: Expecting value (column 1)",
        f"{path}:3: missing 'text'",
    ]


def test_json_arrays_and_csv_files_hold_records_too(tmp_path):
    array = tmp_path / "list.json"
    array.write_text(json.dumps([{"text": "Putin spoke."}, {"id": "b", "text": "Rahmon spoke."}]), encoding="utf-8")
    table = tmp_path / "table.csv"
    table.write_text('id,outlet,text\nr1,BelTA,"Lukashenko met Tasmagambetov,\nin Minsk."\n', encoding="utf-8")
    articles = load_articles([array, table])
    assert [a.id for a in articles] == ["list:1", "b", "r1"]
    assert articles[2].text == "Lukashenko met Tasmagambetov,\nin Minsk."
    assert articles[2].outlet == "BelTA"


def test_load_wants_exactly_one_article(tmp_path):
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, [{"text": "One."}, {"text": "Two."}, {"text": "Three."}])
    with pytest.raises(InputError, match=r"feed.jsonl: holds 3 articles; use load_articles"):
        load(path)
    write_jsonl(path, [{"text": "Only one."}])
    assert load(path).text == "Only one."


def test_a_stated_id_used_twice_is_an_error_naming_both_places(tmp_path):
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, [{"id": "a", "text": "One."}, {"id": "a", "text": "Two."}])
    with pytest.raises(InputError) as error:
        load_articles([path])
    assert str(error.value) == f"{path}:2: duplicate id 'a' (also at {path}:1)"


def test_ids_made_from_file_names_are_numbered_when_they_repeat(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"Story from {folder}.", encoding="utf-8")
    assert [a.id for a in load_articles([tmp_path])] == ["story", "story~2"]


def test_html_pages_are_reduced_to_their_main_text(tmp_path):
    pytest.importorskip("trafilatura")
    body = " ".join(["Lukashenko said the CSTO summit in Minsk will strengthen the security of its members."] * 3)
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Summit in Minsk</title><meta name='date' content='2022-05-16'></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Summit in Minsk</h1>"
        f"<p>{body}</p><p>Tasmagambetov agreed with the president of Belarus.</p></article>"
        "<footer>Copyright BelTA</footer></body></html>",
        encoding="utf-8",
    )
    article = load(path)
    assert article.title == "Summit in Minsk"
    assert article.date == "2022-05-16"
    assert "Tasmagambetov agreed with the president of Belarus." in article.text
    assert "Home | World" not in article.text


def test_html_without_the_html_extra_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Putin spoke.</p></body></html>", encoding="utf-8")
    with pytest.raises(MissingExtraError, match=r"reading HTML needs the 'html' extra"):
        load(path)


def test_front_matter_that_is_not_yaml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: Summit\ndate: [2022\n---\nPutin met the CSTO leaders.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"story.md: malformed front matter at line \d+: "):
        load(path)


def test_a_csv_export_from_a_russian_newsroom_in_windows_1251(tmp_path):
    path = tmp_path / "lenta.csv"
    path.write_bytes(f'id,outlet,text\nr1,Лента,"{RUSSIAN}"\n'.encode("cp1251"))
    (article,) = load_articles([path])
    assert (article.id, article.outlet, article.text) == ("r1", "Лента", RUSSIAN)
