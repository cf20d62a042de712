"""Batch reports: an analyst points crosscheck at the seeds folder and gets the divergences ranked."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from crosscheck.cli import main
from crosscheck.config import Settings
from crosscheck.errors import MissingExtraError
from crosscheck.model import Span
from crosscheck.report import render, report
from crosscheck.report.csvout import COLUMNS
from crosscheck.report.pairs import choose_source, similarity_and_containment


def _key(article_id: str) -> str:
    return article_id.split("_")[0]


def _semantic_settings() -> Settings:
    settings = Settings()
    settings = settings.with_values({"match.semantic": "on"})
    try:
        from crosscheck.semantic.bridge import embedder_for

        embedder_for(settings)
    except MissingExtraError as exc:
        pytest.skip(f"semantic matching unavailable: {exc}")
    return settings


def _words_settings() -> Settings:
    settings = Settings()
    settings = settings.with_values({"match.semantic": "off"})
    return settings


@pytest.fixture(scope="module")
def seeds_report(seeds_dir):
    """The report a user gets on the seeds folder with the semantic extra installed."""
    return report([seeds_dir], settings=_semantic_settings())


@pytest.fixture(scope="module")
def words_report(seeds_dir):
    """The same folder matched on words alone (no semantic extra)."""
    return report([seeds_dir], settings=_words_settings())


def _overlaps(spans: tuple[Span, ...], start: int, end: int) -> bool:
    return any(s.overlap(Span(start, end)) > 0 for s in spans)


def _gold_divergent(gold, rewrite: str, source: str) -> list[dict]:
    return [
        item for item in gold("alignment")["alignments"]
        if item["relation"] == "divergent" and item["rewrite_doc"] == rewrite and item["source_doc"] == source
    ]


def _rank_of(rep, gold_item) -> int | None:
    for n, r in enumerate(rep.ranking):
        if _key(r.rewrite_id) != gold_item["rewrite_doc"] or _key(r.source_id) != gold_item["source_doc"]:
            continue
        if any(_overlaps(r.alignment.rewrite_spans, g["start"], g["end"]) for g in gold_item["rewrite"]) and any(
            _overlaps(r.alignment.source_spans, g["start"], g["end"]) for g in gold_item["source"]
        ):
            return n
    return None


def test_the_transcript_is_the_source_and_the_other_events_are_unrelated(seeds_report):
    pairs = {(_key(c.source.id), _key(c.rewrite.id)) for c in seeds_report.comparisons}
    assert pairs == {("001", "000"), ("001", "004")}
    assert sorted(map(_key, seeds_report.unrelated)) == ["002", "003"]


def test_the_hard_gold_divergences_of_000_rank_near_the_top(seeds_report, gold):
    items = _gold_divergent(gold, "000", "001")
    threat = next(i for i in items if any("direct threat" in s["text"] for s in i["source"]))
    merely = next(i for i in items if any("by no means merely" in s["text"] for s in i["source"]))
    ranks = {name: _rank_of(seeds_report, item) for name, item in (("threat", threat), ("merely", merely))}
    assert None not in ranks.values(), ranks
    assert max(ranks.values()) < 4, ranks
    found = [i for i in items if _rank_of(seeds_report, i) is not None]
    assert len(found) >= len(items) - 1, "most gold divergences of 000 appear in the ranking"


def test_the_ranking_is_most_divergent_first_and_names_its_pair(seeds_report):
    values = [r.alignment.divergence for r in seeds_report.ranking]
    assert values == sorted(values, reverse=True)
    for r in seeds_report.ranking:
        comparison = seeds_report.comparisons[r.pair]
        assert comparison.alignments[r.index] is r.alignment
        assert (comparison.source.id, comparison.rewrite.id) == (r.source_id, r.rewrite_id)
        assert r.alignment.relation == "divergent"


def test_without_the_semantic_extra_000_is_still_ranked_and_002_003_unrelated(words_report, gold):
    assert {(_key(c.source.id), _key(c.rewrite.id)) for c in words_report.comparisons} >= {("001", "000")}
    assert {"002", "003"} <= set(map(_key, words_report.unrelated))
    threat = next(i for i in _gold_divergent(gold, "000", "001") if any("direct threat" in s["text"] for s in i["source"]))
    assert _rank_of(words_report, threat) is not None


def test_the_source_is_the_article_that_holds_the_others_words(seeds_dir):
    from crosscheck.text.prepare import prepare_many

    docs = prepare_many(sorted(seeds_dir.iterdir()), Settings())
    _, contained = similarity_and_containment(docs)
    assert _key(docs[choose_source([0, 1, 4], docs, contained)].id) == "001"
    assert _key(docs[choose_source([0, 4], docs, contained)].id) == "000"


def test_filters_by_type_and_least_divergence(seeds_dir):
    rep = report([seeds_dir], settings=_words_settings(), min_divergence=0.5, types=["qualifier_dropped"])
    assert rep.ranking
    for r in rep.ranking:
        assert r.alignment.divergence >= 0.5
        assert "qualifier_dropped" in {d.type for d in r.alignment.types}


def test_a_named_source_is_compared_with_every_other_article(seed_path):
    paths = [seed_path(k) for k in ("000", "002")]
    rep = report(paths, source=seed_path("001"), settings=_words_settings())
    assert [(_key(c.source.id), _key(c.rewrite.id)) for c in rep.comparisons] == [("001", "000")]
    assert list(map(_key, rep.unrelated)) == ["002"]


def test_json_reuses_the_comparison_schema_and_lists_unrelated(words_report):
    doc = json.loads(render(words_report, "json"))
    assert doc["schema"] == "crosscheck.report/1"
    assert all(c["schema"] == "crosscheck.comparison/1" for c in doc["comparisons"])
    assert {"002", "003"} <= set(map(_key, doc["unrelated"]))
    first = doc["ranking"][0]
    pair = doc["comparisons"][first["pair"]]
    assert (first["source"], first["rewrite"]) == (pair["source"]["id"], pair["rewrite"]["id"])
    assert pair["alignments"][first["alignment"]]["divergence"] == first["divergence"]
    assert [r["divergence"] for r in doc["ranking"]] == sorted((r["divergence"] for r in doc["ranking"]), reverse=True)


def test_csv_has_one_row_per_ranked_alignment_with_stable_columns(words_report):
    rows = list(csv.DictReader(io.StringIO(render(words_report, "csv"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == len(words_report.ranking)
    top = rows[0]
    comparison = next(c for c in words_report.comparisons if c.rewrite.id == top["rewrite_id"])
    assert comparison.rewrite.text[int(top["rewrite_start"]):int(top["rewrite_end"])] in top["rewrite_text"]


def test_markdown_escapes_article_text(tmp_path, seed_path):
    text = seed_path("000").read_text(encoding="utf-8").replace(
        "In this way, Russia", 'In this way, <script>alert(1)</script> "><img src=x onerror=alert(2)> Russia'
    )
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text, encoding="utf-8")
    out = render(report([hostile], source=seed_path("001"), settings=_words_settings()), "md")
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out


def _cli(*argv: str) -> int:
    return main(["report", *argv, "--semantic", "off", "--quiet"])


def test_cli_writes_the_report_atomically_and_exits_3_on_fail_on(tmp_path, seeds_dir, capsys):
    out = tmp_path / "report.csv"
    assert _cli(str(seeds_dir), "-o", str(out)) == 0
    assert out.read_text(encoding="utf-8").startswith(",".join(COLUMNS))
    assert _cli(str(seeds_dir), "-o", str(tmp_path / "r.md"), "--fail-on", "0.5") == 3
    assert "--fail-on" in capsys.readouterr().err
    assert _cli(str(seeds_dir), "-o", str(tmp_path / "r.json"), "--fail-on", "0.99") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.md", "report.csv"]


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, seeds_dir, capsys):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert _cli(str(binary)) == 2
    assert _cli(str(tmp_path / "missing")) == 2
    assert _cli(str(seeds_dir), "--source", "no-such-id") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(": " in line for line in err)
    assert "Traceback" not in "".join(err)
    with pytest.raises(SystemExit) as exit_info:
        _cli(str(seeds_dir), "--fail-on", "7")
    assert exit_info.value.code == 2


def test_an_interrupted_run_leaves_the_old_report(tmp_path, seeds_dir, monkeypatch):
    out = tmp_path / "report.md"
    out.write_text("old report\n", encoding="utf-8")

    def interrupted(fd):  # the new report is written out, not yet renamed into place
        raise KeyboardInterrupt

    monkeypatch.setattr("crosscheck.text.files.os.fsync", interrupted)
    assert _cli(str(seeds_dir), "-o", str(out)) == 130
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_parallel_workers_give_the_same_report(tmp_path, seed_path):
    base = seed_path("000").read_text(encoding="utf-8")[:1200]  # the NATO passages, few quotes: quick
    for n in range(8):
        (tmp_path / f"rw{n}.txt").write_text(base.replace("Monday", f"Monday {n}"), encoding="utf-8")
    serial = _words_settings().with_values({"report.workers": 1})
    parallel = _words_settings().with_values({"report.workers": 2})
    one = report([tmp_path], source=seed_path("001"), settings=serial)
    two = report([tmp_path], source=seed_path("001"), settings=parallel)
    assert render(one, "csv") == render(two, "csv")
    assert len(one.comparisons) == 8
