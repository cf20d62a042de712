"""Russian against Russian: each rewrite that moves the meaning is typed right, and
its harmless look-alikes (reordered, inflected, a synonym from the same concept) are not."""

from __future__ import annotations

import pytest

from crosscheck.config import Settings
from crosscheck.match.compare import Matcher
from crosscheck.model import Article

SOURCE = (
    "Президент России Владимир Путин заявил в понедельник, что вступление Финляндии и Швеции "
    "в НАТО не создаёт непосредственной угрозы для России.\n"
    "По его словам, расширение военной инфраструктуры на эти территории обязательно вызовет "
    "ответную реакцию Москвы.\n"
    "Путин напомнил, что бюджет программы составляет 1,5 млрд рублей, а в проекте участвуют 30 регионов.\n"
    "Министр иностранных дел Сергей Лавров должен представить доклад о ситуации до конца месяца.\n"
)

MOVED = [
    # dropped «не»
    ("Путин заявил, что вступление Финляндии и Швеции в НАТО создаёт непосредственную угрозу для России.",
     "negation_changed", ("не",), ()),
    # another number
    ("Путин напомнил, что бюджет программы составляет 2,5 млрд рублей, а в проекте участвуют 30 регионов.",
     "number_changed", ("1,5 млрд рублей",), ("2,5 млрд рублей",)),
    # another name
    ("Министр иностранных дел Сергей Шойгу должен представить доклад о ситуации до конца месяца.",
     "entity_changed", ("Лавров",), ("Шойгу",)),
    # dropped qualifier
    ("Путин заявил, что вступление Финляндии и Швеции в НАТО не создаёт угрозы для России.",
     "qualifier_dropped", ("непосредственной",), ()),
    # obligation became possibility
    ("Министр иностранных дел Сергей Лавров может представить доклад о ситуации до конца месяца.",
     "modality_changed", ("должен",), ("может",)),
]

HARMLESS = [
    "Как заявил в понедельник российский президент Владимир Путин, вступление Швеции и Финляндии "
    "в НАТО непосредственной угрозы для России не создаёт.",
    # «прямой» and «непосредственной» are one qualifier concept
    "Путин заявил, что вступление Финляндии и Швеции в НАТО не создаёт прямой угрозы для России.",
    "Расширение военной инфраструктуры на эти территории, по его словам, обязательно вызовет ответную реакцию Москвы.",
    "В проекте участвуют 30 регионов, а бюджет программы составляет 1,5 млрд рублей, напомнил Путин.",
    # «обязан» and «должен» are one modal concept
    "Доклад о ситуации до конца месяца обязан представить министр иностранных дел Сергей Лавров.",
]


@pytest.fixture(scope="module", params=["auto", "off"], ids=["embeddings", "words-only"])
def matcher(request):
    """With the multilingual embedding when installed, and on words (lemmas) alone."""
    settings = Settings().with_values({"match.semantic": request.param})
    return Matcher(Article(id="source", text=SOURCE), settings)


def _only_link(matcher, text):
    comparison = matcher.compare(Article(id="rewrite", text=text))
    assert comparison.rewrite.article.language == "ru"
    assert len(comparison.alignments) == 1, [a.relation for a in comparison.alignments]
    return comparison.alignments[0]


@pytest.mark.parametrize("text, kind, source_words, rewrite_words", MOVED, ids=[m[1] for m in MOVED])
def test_a_rewrite_that_moves_the_meaning_is_typed(matcher, text, kind, source_words, rewrite_words):
    alignment = _only_link(matcher, text)
    assert alignment.relation == "divergent"
    found = {d.type: d for d in alignment.types}
    assert kind in found, [d.type for d in alignment.types]
    assert found[kind].source_words == source_words
    assert found[kind].rewrite_words == rewrite_words
    # One change, one type: the rest of the sentence is the same statement.
    assert set(found) == {kind}


@pytest.mark.parametrize("text", HARMLESS)
def test_a_harmless_look_alike_is_faithful(matcher, text):
    alignment = _only_link(matcher, text)
    assert alignment.relation in ("verbatim", "faithful_paraphrase"), [(d.type, d.source_words, d.rewrite_words) for d in alignment.types]
    assert not alignment.types


def test_a_russian_pair_shows_a_word_diff(matcher):
    alignment = _only_link(matcher, MOVED[3][0])
    assert ("delete", "непосредственной") in {(op.op, op.source_text) for op in alignment.diff}


def test_a_russian_comparison_is_the_same_bytes_whatever_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    source, rewrite = tmp_path / "source.txt", tmp_path / "rewrite.txt"
    source.write_text(SOURCE, encoding="utf-8")
    rewrite.write_text("\n".join([MOVED[0][0], HARMLESS[2], MOVED[4][0]]) + "\n", encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": src}
        run = subprocess.run([sys.executable, "-m", "crosscheck", "compare", str(source), str(rewrite), "--format", "json"],
                             capture_output=True, env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
