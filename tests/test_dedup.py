"""Near-duplicate detection on the seeds and on copies planted from them."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import textwrap
from dataclasses import replace

import pytest

from crosscheck.cli import main
from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.errors import ConfigError
from crosscheck.text.load import load_articles
from crosscheck.model import Article


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return load_articles([seeds_dir])


def _key(article_id: str) -> str:
    return article_id.split("_")[0]


def _planted(seeds):
    """A newsroom's week: the Kremlin transcript reprinted, edited, excerpted, re-wrapped."""
    kremlin = next(a for a in seeds if a.id.startswith("001"))
    text = kremlin.text
    edited = text.replace("Moscow", "Moskva").replace("colleagues", "partners").replace("CSTO", "ODKB")
    rewrapped = "\n".join(textwrap.wrap(" ".join(text.split()), 72))
    reprint = (
        "Subscribe to our newsletter\nAdvertisement\n" + rewrapped
        + "\nRead more:\nNATO summit ends in Madrid\nTags: CSTO, Russia, Putin\n© 2022 Daily Wire Service\n"
    )
    excerpt = text[2500:5500]
    return [
        Article(id="edited", text=edited),
        Article(id="reprint", text=reprint),
        Article(id="excerpt", text=excerpt),
    ]


def test_the_seeds_are_rewrites_not_copies(seeds):
    result = dedup(seeds)
    assert result.articles == 5
    assert result.of_kind("near") == ()


def test_planted_copies_of_the_kremlin_transcript_form_one_cluster_and_other_seeds_stay_out(seeds):
    result = dedup(seeds + _planted(seeds))
    (cluster,) = result.clusters
    assert set(cluster.members) == {"001_501dcf1e5442c15e", "edited", "reprint", "excerpt"}
    assert cluster.representative in ("001_501dcf1e5442c15e", "reprint")  # undated: the longest
    why = {frozenset((p.a, p.b)): p.why for p in cluster.pairs}
    assert why[frozenset(("001_501dcf1e5442c15e", "reprint"))].startswith("jaccard")
    assert why[frozenset(("001_501dcf1e5442c15e", "excerpt"))].startswith("excerpt")
    assert all(0.8 <= p.similarity <= 1.0 for p in cluster.pairs)


def test_an_article_that_shares_only_a_few_sentences_is_not_a_copy(seeds):
    kremlin = next(a for a in seeds if a.id.startswith("001")).text
    other = next(a for a in seeds if a.id.startswith("002")).text
    mixed = Article(id="mixed", text=other[: len(other) // 2] + "\n" + kremlin[:600])
    assert dedup(seeds + [mixed]).clusters == ()


def test_cluster_ids_and_order_do_not_depend_on_input_order(seeds):
    planted = _planted(seeds)
    forward = dedup(seeds + planted).clusters
    backward = dedup(list(reversed(seeds + planted))).clusters
    assert [c.id for c in forward] == [c.id for c in backward]
    assert set(forward[0].members) == set(backward[0].members)


def test_the_earliest_dated_copy_represents_the_cluster(seeds):
    planted = [replace(a, date=d) for a, d in zip(_planted(seeds), ["2022-05-18", "2022-05-17", None])]
    (cluster,) = dedup(seeds + planted).clusters
    assert cluster.representative == "reprint"


def test_fast_hash_finds_the_same_cluster(seeds):
    settings = Settings()
    settings = settings.with_values({"dedup.hash": "fast"})
    (cluster,) = dedup(seeds + _planted(seeds), settings=settings).clusters
    assert len(cluster.members) == 4


def test_an_index_of_keys_from_the_previous_fast_hash_is_refused(tmp_path, seeds):
    settings = Settings()
    settings = settings.with_values({"dedup.hash": "fast"})
    index = tmp_path / "i.db"
    dedup(seeds, settings=settings, index=index)
    db = sqlite3.connect(index)  # make it an index built before the fast hash changed
    db.execute("UPDATE meta SET value = 'fast' WHERE key = 'hash'")
    db.commit()
    db.close()
    with pytest.raises(ConfigError, match="dedup.hash"):
        dedup(seeds, settings=settings, index=index)


def test_cli_json_follows_the_documented_schema(tmp_path, seeds, capsys):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for a in seeds + _planted(seeds):
            out.write(json.dumps({"id": _key(a.id), "text": a.text}) + "\n")
    assert main(["dedup", str(corpus), "--format", "json", "-o", str(tmp_path / "out.json")]) == 0
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["schema"] == "crosscheck.clusters/1" and data["articles"] == 8
    (cluster,) = data["clusters"]
    assert cluster["kind"] == "near" and cluster["id"].startswith("near-")
    assert set(cluster["members"]) == {"001", "edited", "reprint", "excerpt"}
    assert cluster["representative"] in cluster["members"]
    assert {"a", "b", "similarity"} <= set(cluster["pairs"][0])


def test_cli_csv_has_one_row_per_member(tmp_path, seeds, capsys):
    folder = tmp_path / "week"
    folder.mkdir()
    for a in seeds + _planted(seeds):
        (folder / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
    assert main(["dedup", str(folder), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["article"] for r in rows) == ["001_501dcf1e5442c15e", "edited", "excerpt", "reprint"]
    assert sum(int(r["representative"]) for r in rows) == 1


def test_a_raised_threshold_keeps_only_the_closest_copies(seeds):
    settings = Settings()
    settings = settings.with_values({"dedup.threshold": 0.99, "dedup.containment_threshold": 1.0})
    result = dedup(seeds + _planted(seeds)[:2], settings=settings)
    members = {m for c in result.clusters for m in c.members}
    assert "edited" not in members


@pytest.mark.parametrize(
    "content,problem",
    [(b"\x00\x01\x02binary", "not a text file"), (b"", "empty file"), (b'{"id": 1, "text": "x"\n', "")],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, content, problem):
    path = tmp_path / ("bad.jsonl" if content.startswith(b"{") else "bad.txt")
    path.write_bytes(content)
    assert main(["dedup", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(path)) and "\n" not in err and problem in err


def test_a_missing_path_and_a_bad_setting_are_one_line_errors(tmp_path, capsys):
    assert main(["dedup", str(tmp_path / "nope")]) == 2
    assert "no such file" in capsys.readouterr().err
    config = tmp_path / "c.yaml"
    config.write_text("dedup:\n  hash: md5\n", encoding="utf-8")
    assert main(["dedup", str(tmp_path), "--config", str(config)]) == 2
    assert "dedup.hash" in capsys.readouterr().err


def test_the_output_format_follows_the_o_suffix_and_a_bad_line_is_reported_once(tmp_path, seeds_dir, capsys):
    feed = tmp_path / "feed.jsonl"
    text = (seeds_dir / "001_501dcf1e5442c15e.txt").read_text(encoding="utf-8")
    feed.write_text(json.dumps({"id": "a", "text": text}) + "\n{broken\n" + json.dumps({"id": "b", "text": text}) + "\n")
    out = tmp_path / "clusters.json"
    assert main(["dedup", str(feed), "--skip-bad", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == "crosscheck.clusters/1"
    assert [sorted(c["members"]) for c in doc["clusters"]] == [["a", "b"]]
    assert capsys.readouterr().err.count("feed.jsonl:2") == 1
    assert main(["dedup", str(feed), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert (captured.out + captured.err).count("feed.jsonl:2") == 1


def test_shingle_sets_read_back_the_same_from_memory_and_after_spilling_to_disk(seeds):
    """The local engine keeps shingle sets in memory up to a budget, then in a temporary
    file: a corpus larger than the budget verifies its candidates on the same sets."""
    from crosscheck.dedup.engines import sketch_articles
    from crosscheck.dedup.engines.local import SetStore

    settings = Settings()
    batches = [sketch_articles(seeds[i:i + 2], settings) for i in range(0, len(seeds), 2)]
    wanted = [batch.shingle_set(k) for batch in batches for k in range(len(batch))]
    assert all(len(w) for w in wanted)
    for budget in (1 << 30, batches[0].set_keys.nbytes, 0):  # all in memory; the first batch; none
        store = SetStore(budget)
        for batch in batches:
            store.append(batch)
        try:
            for i, keys in enumerate(wanted):
                assert keys.dtype == store.get(i).dtype and keys.tolist() == store.get(i).tolist()
        finally:
            store.close()


def test_an_interactive_run_says_when_the_compiled_core_is_not_in_use(tmp_path, seeds_dir, capsys, monkeypatch):
    """Without the compiled core dedup still works, in numpy, and a run at a terminal says
    so once; with the core, asked-for numpy, -q or story mode it says nothing."""
    from crosscheck.dedup import shingle

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CROSSCHECK_NO_COMPILED_CORE", raising=False)
    monkeypatch.setattr(shingle, "COMPILED_CORE", False)
    assert main(["dedup", str(seeds_dir)]) == 0
    assert capsys.readouterr().err.count("compiled core is not in use") == 1
    for extra in (["-q"], ["--mode", "story"]):
        assert main(["dedup", str(seeds_dir), *extra]) == 0
        assert "compiled core" not in capsys.readouterr().err
    monkeypatch.setenv("CROSSCHECK_NO_COMPILED_CORE", "1")
    assert main(["dedup", str(seeds_dir)]) == 0
    assert "compiled core" not in capsys.readouterr().err
    monkeypatch.delenv("CROSSCHECK_NO_COMPILED_CORE")
    monkeypatch.setattr(shingle, "COMPILED_CORE", True)
    assert main(["dedup", str(seeds_dir)]) == 0
    assert "compiled core" not in capsys.readouterr().err
