"""Language per article: detected from the body, stated by front matter, kept in the Article."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.evaluate.common import data_dir as dev_data_dir
from crosscheck.model import Article
from crosscheck.text.language import detect_language, script_shares
from crosscheck.text.load import load
from crosscheck.text.prepare import prepare


DEV = dev_data_dir() / "csto_rewrites"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Путин заявил, что вступление Финляндии и Швеции в НАТО не создает угрозы.", "ru"),
        ("Putin said Finland and Sweden joining NATO posed no direct threat to Russia.", "en"),
        # Latin acronyms inside Russian copy do not make it English.
        ("Саммит ОДКБ прошел в Москве; NATO, CSTO и USA упоминались не раз в речи президента.", "ru"),
        ("Der Präsident sagte, dass die Erweiterung der NATO keine direkte Bedrohung ist.", "de"),
        ("Le président a dit que l'élargissement de l'OTAN est une menace pour la Russie.", "fr"),
        ("Ο πρόεδρος είπε ότι η διεύρυνση του ΝΑΤΟ δεν αποτελεί άμεση απειλή.", "el"),
        ("16.05.2022 12:00", "und"),
    ],
)
def test_the_language_of_a_text(text, lang):
    assert detect_language(text) == lang


def test_script_shares_count_letters_only():
    shares = script_shares("Путь 2022 said!")
    assert shares["cyrillic"] == pytest.approx(0.5)
    assert shares["latin"] == pytest.approx(0.5)


def test_prepare_detects_the_language_of_the_body_not_the_front_matter(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("---\ntitle: An English title over a Russian body\n---\nОн пришёл домой. Она ушла на работу рано утром.\n", encoding="utf-8")
    assert load(path).language is None
    assert prepare(path).article.language == "ru"


@pytest.mark.parametrize("key", ["lang", "language"])
def test_front_matter_language_wins(tmp_path, key):
    path = tmp_path / "a.txt"
    path.write_text(f"---\n{key}: RU-ru\n---\nThis body reads as English text but the header says Russian.\n", encoding="utf-8")
    assert load(path).language == "ru"
    assert prepare(path).article.language == "ru"


def test_a_jsonl_record_may_state_its_language(tmp_path):
    from crosscheck.text.load import load_articles

    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x", "lang": "en", "text": "Короткий текст на русском языке, но запись говорит en."}\n', encoding="utf-8")
    assert [a.language for a in load_articles([path])] == ["en"]


def test_an_article_made_in_code_gets_its_language_when_prepared():
    doc = prepare(Article(id="x", text="Президент России провёл совещание с членами Совета безопасности."))
    assert doc.article.language == "ru"


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/dev/csto_rewrites not present")
def test_every_csto_article_is_detected_as_its_gold_language():
    import yaml

    gold = yaml.safe_load((DEV / "gold.yaml").read_text(encoding="utf-8"))
    for article in gold["articles"]:
        assert prepare(DEV / article["file"]).article.language == article["lang"], article["file"]
