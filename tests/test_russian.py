"""Russian text: sentences, lemmas, stop words, quotes, speakers."""

from __future__ import annotations

import pytest

from crosscheck.match.words import STOPWORDS, stem, words_of
from crosscheck.text import russian
from crosscheck.text.prepare import prepare
from crosscheck.text.segment import segment


def texts(text: str) -> list[str]:
    return [s.text for s in segment(text)]


def test_sentences_split_before_cyrillic_capitals():
    assert texts("Он пришёл. Она ушла.") == ["Он пришёл.", "Она ушла."]


def test_sentences_split_before_other_non_ascii_capitals():
    assert texts("Il est parti. Élise est restée. Über alles.") == ["Il est parti.", "Élise est restée.", "Über alles."]
    assert texts("Αυτό είναι. Ένα άλλο.") == ["Αυτό είναι.", "Ένα άλλο."]


@pytest.mark.parametrize(
    "text",
    [
        "В 2022 г. Путин выступил на саммите.",
        "Это, т.е. расширение альянса, обсуждалось долго.",
        "Встреча прошла на ул. Ленина в центре города.",
        "Бюджет составил 1,5 млрд. Рублей не хватило.",  # "млрд." before a capital stays inside
        "Президент В. В. Путин выступил с речью.",
        "Школа им. Пушкина открылась снова.",
    ],
)
def test_russian_abbreviations_do_not_end_a_sentence(text):
    assert texts(text) == [text]


def test_a_dialogue_dash_opens_a_new_sentence_and_is_not_part_of_it():
    got = texts("Угрозы нет, – сказал он. – Мы готовы к диалогу.\n– Да, готовы.")
    assert got == ["Угрозы нет, – сказал он.", "Мы готовы к диалогу.", "Да, готовы."]


def test_a_russian_headline_label_names_the_speaker_of_its_paragraph_only():
    pytest.importorskip("pymorphy3")  # a label is a word the dictionary reads as a surname
    sentences = segment("Путин: Запад закрывает глаза на неонацизм\nДругой абзац без метки.")
    assert [(s.text, s.speaker) for s in sentences] == [
        ("Запад закрывает глаза на неонацизм", "Путин"),
        ("Другой абзац без метки.", None),
    ]


def test_a_capitalized_word_that_is_no_surname_is_no_label():
    assert texts("Заявление: угрозы нет.") == ["Заявление: угрозы нет."]


def test_lemmas_fold_russian_inflection():
    assert stem("непосредственной") == stem("непосредственная") == stem("непосредственный")
    assert stem("угрозы") == stem("угрозой") == stem("угроза")
    assert stem("создаёт") == stem("создает")


def test_russian_stop_words_are_not_content_but_negation_is_kept():
    words = words_of("Он сказал, что угрозы для России не будет")
    assert {"он", "что", "для"} <= STOPWORDS
    assert "не" not in STOPWORDS and "нет" not in STOPWORDS
    assert stem("угрозы") in words.content and stem("он") not in words.content


def test_the_lemma_engine_is_the_dictionary_when_the_extra_is_installed():
    pytest.importorskip("pymorphy3")
    assert russian.lemma_engine() == "pymorphy3"
    assert russian.lemma("пескова") == "песков"


def test_the_suffix_stemmer_folds_common_endings():
    assert russian._suffix_stem("угрозы") == russian._suffix_stem("угрозой") == "угроз"


def test_names_are_lemmatized_as_names():
    pytest.importorskip("pymorphy3")
    # The dictionary's first reading of «Песков» is «песок» (sand).
    assert russian.name_lemma("Песков") == "песков"
    assert russian.name_lemma("Путина") == "путин"


def test_reported_speaker_reads_the_reporting_verb():
    pytest.importorskip("pymorphy3")
    pytest.importorskip("iuliia")
    assert russian.reported_speaker("Пресс-секретарь Дмитрий Песков ранее сообщил, что угрозы нет.") == "peskov"
    assert russian.reported_speaker("«Мы готовы», — заявил Лукашенко.") == "lukashenko"
    assert russian.reported_speaker("В то же время Владимир Владимирович объявил о решении.") is None


def test_guillemets_and_low_high_quotes_are_found():
    doc = prepare("Путин заявил: «Угрозы нет». Песков добавил: „Мы готовы“.")
    assert [(q.text, doc.text[q.span.start], doc.text[q.span.end - 1]) for q in doc.quotes] == [
        ("Угрозы нет", "«", "»"), ("Мы готовы", "„", "“"),
    ]
