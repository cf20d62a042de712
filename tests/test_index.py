"""The SQLite index: incremental runs, refusing mismatched settings, surviving SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from crosscheck.cli import main
from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.dedup.index import index_size
from crosscheck.dedup.postings import ANCHORS, stored_postings
from crosscheck.text.load import load_articles
from crosscheck.model import Article


def _corpus(path, seeds, n, start=0):
    """n articles of ~250 words drawn from the seeds' vocabulary, one JSON line each."""
    words = " ".join(a.text for a in seeds).split()
    rng = random.Random(start)
    with path.open("w", encoding="utf-8") as out:
        for i in range(start, start + n):
            out.write(json.dumps({"id": f"a{i}", "text": " ".join(rng.choices(words, k=250))}) + "\n")


def test_a_second_run_reports_copies_of_articles_indexed_before(tmp_path, seeds_dir):
    index = tmp_path / "corpus.db"
    seeds = load_articles([seeds_dir])
    first = dedup(seeds, index=index)
    assert first.indexed == 5 and first.clusters == ()
    kremlin = seeds[1]
    monday = [Article(id="reprint", text="Tags: CSTO\n" + kremlin.text.replace("Moscow", "Moskva")),
              Article(id="excerpt", text=kremlin.text[3000:6000]), seeds[0]]
    second = dedup(monday, index=index)
    assert second.indexed == 2 and second.already_indexed == (seeds[0].id,)
    (cluster,) = second.clusters
    assert set(cluster.members) == {kremlin.id, "reprint", "excerpt"}
    assert index_size(index) == 7
    weather = "Rain is expected across the region on Tuesday, with snow in the hills by evening."
    third = dedup([Article(id="weather", text=weather)], index=index)
    assert third.clusters == ()  # old clusters are not reported again


def test_the_index_gives_the_same_clusters_as_a_plain_run(tmp_path, seeds_dir):
    seeds = load_articles([seeds_dir])
    corpus = seeds + [Article(id="copy", text=seeds[3].text + " Read more on our site.")]
    assert dedup(corpus, index=tmp_path / "i.db").clusters == dedup(corpus).clusters


def _postings(index, band):
    """(key, article) pairs of one band of an index, sorted."""
    db = sqlite3.connect(index)
    try:
        keys, members = stored_postings(db, band)
    finally:
        db.close()
    return sorted(zip(keys.tolist(), members.tolist()))


def _band_layout(index):
    db = sqlite3.connect(index)
    value = db.execute("SELECT value FROM meta WHERE key = 'band_layout'").fetchone()[0]
    db.close()
    return tuple(int(x) for x in value.split("x"))


def test_the_index_holds_each_article_in_the_lsh_bucket_of_each_band_of_its_signature(tmp_path, seeds_dir):
    """Postings are written as sorted runs of keys per band and key range: read back,
    they must be the band keys of the signatures stored beside them, article by article."""
    import numpy as np

    from crosscheck.dedup.lsh import band_keys

    index = tmp_path / "corpus.db"
    _corpus(tmp_path / "feed.jsonl", load_articles([seeds_dir]), 700)
    dedup([tmp_path / "feed.jsonl", seeds_dir], settings=Settings().with_values({"dedup.batch_size": 64}), index=index)
    bands, rows = _band_layout(index)
    db = sqlite3.connect(index)
    stored = db.execute("SELECT n, signature FROM articles ORDER BY n").fetchall()
    db.close()
    signatures = np.array([np.frombuffer(blob, dtype="<u4") for _, blob in stored])
    expected = band_keys(signatures, bands, rows).view(np.int64)
    assert len(stored) == 705
    for band in range(bands):
        want = sorted((int(expected[i, band]), n) for i, (n, _) in enumerate(stored))
        assert _postings(index, band) == want


def test_a_later_run_at_another_threshold_still_meets_the_old_articles_in_their_buckets(tmp_path, seeds_dir):
    index = tmp_path / "corpus.db"
    seeds = load_articles([seeds_dir])
    dedup(seeds, index=index)
    layout = _band_layout(index)
    strict = Settings()
    strict = strict.with_values({"dedup.threshold": 0.95})
    reprint = Article(id="reprint", text=seeds[1].text.replace("colleagues", "friends", 1))
    run = dedup([reprint], settings=strict, index=index)
    assert [set(c.members) for c in run.clusters] == [{seeds[1].id, "reprint"}]
    assert _band_layout(index) == layout
    bands = layout[0]
    assert _postings(index, bands) == []  # no band beyond the index's own
    per_band = [sorted(n for _, n in _postings(index, band)) for band in range(bands)]
    assert per_band == [[1, 2, 3, 4, 5, 6]] * bands, "every article is cut into the bands the index was built with"


def test_an_index_built_over_many_runs_holds_what_one_run_would_in_few_rows(tmp_path, seeds_dir):
    """Each run adds one row of postings per band and key range; ranges that gather
    more than a few are merged. Twenty runs must leave the postings of one run, in
    bounded rows, and still find a copy of an article from the first run."""
    seeds = load_articles([seeds_dir])
    feed = tmp_path / "feed.jsonl"
    _corpus(feed, seeds, 400)
    articles = load_articles([feed])
    copy = Article(id="copy", text=articles[3].text.replace(" the ", " a ", 2))
    once, runs = tmp_path / "once.db", tmp_path / "runs.db"
    dedup(articles + [copy], index=once)
    for start in range(0, 400, 20):
        last = dedup(articles[start:start + 20] + ([copy] if start == 380 else []), index=runs)
    assert [set(c.members) for c in last.clusters] == [{"a3", "copy"}]
    bands = _band_layout(once)[0]
    for band in (*range(bands), ANCHORS):
        assert _postings(runs, band) == _postings(once, band)
    db = sqlite3.connect(runs)
    crowded = db.execute("SELECT MAX(c) FROM (SELECT COUNT(*) AS c FROM postings GROUP BY band, part)").fetchone()[0]
    anchors = dict(db.execute("SELECT n, count FROM anchor_totals"))
    db.close()
    assert 1 < crowded <= 8
    assert anchors == dict(sqlite3.connect(once).execute("SELECT n, count FROM anchor_totals"))


def _to_row_layout(index):
    """Rewrite an index as crosscheck wrote them before postings: one row per bucket
    and anchor, with their lookup indexes."""
    bands = _band_layout(index)[0]
    rows = [(band, key, n) for band in range(bands) for key, n in _postings(index, band)]
    anchors = _postings(index, ANCHORS)
    db = sqlite3.connect(index)
    db.executemany("INSERT INTO buckets VALUES (?, ?, ?)", rows)
    db.executemany("INSERT INTO anchors VALUES (?, ?)", anchors)
    db.execute("CREATE INDEX buckets_by_key ON buckets (band, key)")
    db.execute("CREATE INDEX anchors_by_key ON anchors (key)")
    db.execute("DELETE FROM postings")
    db.execute("DELETE FROM anchor_totals")
    db.commit()
    db.close()
    return len(rows), len(anchors)


@pytest.mark.parametrize("batch", [250_000, 7])
def test_an_index_written_with_one_row_per_bucket_is_moved_to_postings_and_still_found(tmp_path, seeds_dir, batch,
                                                                                       monkeypatch):
    """Rows are moved a batch at a time (an old index can hold millions); small batches
    must give the same postings."""
    import shutil

    from crosscheck.dedup import index as index_module

    monkeypatch.setattr(index_module, "_MOVE_BATCH", batch)
    seeds = load_articles([seeds_dir])
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    dedup(seeds, index=new)
    shutil.copy(new, old)
    buckets, anchors = _to_row_layout(old)
    assert buckets and anchors
    kremlin = seeds[1]
    monday = [Article(id="reprint", text="Tags: CSTO\n" + kremlin.text.replace("Moscow", "Moskva")),
              Article(id="excerpt", text=kremlin.text[3000:6000])]
    assert dedup(monday, index=old).clusters == dedup(monday, index=new).clusters != ()
    db = sqlite3.connect(old)
    left = db.execute("SELECT (SELECT COUNT(*) FROM buckets) + (SELECT COUNT(*) FROM anchors)").fetchone()[0]
    views = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name LIKE '%_by_key'").fetchone()[0]
    db.close()
    assert (left, views) == (0, 0)
    bands = _band_layout(new)[0]
    for band in (*range(bands), ANCHORS):
        assert _postings(old, band) == _postings(new, band)


def test_an_index_built_with_other_shingles_is_refused_by_name(tmp_path, seeds_dir, capsys):
    index = tmp_path / "i.db"
    dedup([seeds_dir], index=index)
    config = tmp_path / "c.yaml"
    config.write_text("dedup:\n  shingle_size: 3\n", encoding="utf-8")
    assert main(["dedup", str(seeds_dir), "--index", str(index), "--config", str(config)]) == 2
    assert "dedup.shingle_size" in capsys.readouterr().err
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite at all" * 100)
    assert main(["dedup", str(seeds_dir), "--index", str(tmp_path / "junk.db")]) == 2
    assert "junk.db: not a crosscheck index" in capsys.readouterr().err


def _start(paths, index):
    cmd = [sys.executable, "-m", "crosscheck", "dedup", *map(str, paths), "--index", str(index), "--format", "json"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_a_run_killed_at_any_moment_leaves_the_index_before_or_after(tmp_path, seeds_dir):
    seeds = load_articles([seeds_dir])
    index = tmp_path / "corpus.db"
    dedup(seeds, index=index)
    batch = tmp_path / "batch.jsonl"
    _corpus(batch, seeds, 1500)
    seen = set()
    for delay in (0.2, 0.6, 1.0, 1.6, 2.4):
        proc = _start([batch], index)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        db = sqlite3.connect(index)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
        size = index_size(index)
        assert size in (5, 1505)
        seen.add(size)
        if size == 1505:
            break
    assert 5 in seen, "no kill landed before the commit: make the batch bigger"
    proc = _start([batch], index)
    assert proc.wait(timeout=120) == 0
    assert index_size(index) == 1505


def test_a_first_run_killed_at_any_moment_leaves_no_index_half_written(tmp_path, seeds_dir):
    """The run that creates an index fills it with a rollback journal (its pages written
    once, not twice as WAL writes them) and turns it to WAL after committing: killed
    before that, the file holds no article; afterwards every one, readable as any index."""
    seeds = load_articles([seeds_dir])
    batch = tmp_path / "batch.jsonl"
    _corpus(batch, seeds, 6000)  # about a second's run
    seen = set()
    for attempt, delay in enumerate((0.1, 0.3, 0.5, 0.8, 1.2)):
        index = tmp_path / f"new{attempt}.db"
        proc = _start([batch], index)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if not index.exists():
            seen.add(0)
            continue
        size = index_size(index)  # read-only, as another process reads it: a left journal rolled back
        assert size in (0, 6000)
        seen.add(size)
        db = sqlite3.connect(index)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    assert 0 in seen, "no kill landed before the commit: make the batch bigger"
    index = tmp_path / "whole.db"
    assert _start([batch], index).wait(timeout=120) == 0
    assert index_size(index) == 6000
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    dedup(seeds, index=index)  # and a later run adds to it
    assert index_size(index) == 6005


_KILLED_WHILE_FILLING = """
import os, sys
from crosscheck.dedup.index import connect
db = connect(sys.argv[1])
db.execute("PRAGMA cache_size=8")  # pages go to the file before the commit: the journal is hot
db.execute("BEGIN IMMEDIATE")
for n in range(1, 400):
    db.execute("INSERT INTO articles VALUES (?, ?, NULL, 1, ?, ?)", (n, f"x{n}", b"s" * 512, b"k" * 4000))
os._exit(0)
"""


def test_a_journal_left_by_a_killed_first_run_is_rolled_back_by_the_next_reader_or_run(tmp_path, seeds_dir):
    """A first run killed after its journal became hot leaves it beside the file; a
    read-only reader cannot roll it back, so it is rolled back before reading: the index
    reads as empty, and the next run fills it and turns it to WAL."""
    index = tmp_path / "new.db"
    subprocess.run([sys.executable, "-c", _KILLED_WHILE_FILLING, str(index)], check=True)
    journal = tmp_path / "new.db-journal"
    assert journal.exists() and journal.stat().st_size > 0
    assert index_size(index) == 0
    assert not journal.exists()
    subprocess.run([sys.executable, "-c", _KILLED_WHILE_FILLING, str(index)], check=True)
    assert journal.exists()
    seeds = load_articles([seeds_dir])
    dedup(seeds, index=index)
    assert index_size(index) == 5
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_the_run_that_creates_an_index_fills_it_with_a_rollback_journal(tmp_path, seeds_dir, monkeypatch):
    """WAL writes every page twice (the log, then the checkpoint); the first run, which no
    reader waits on, writes them once, and the file is in WAL mode after it."""
    import importlib

    ix = importlib.import_module("crosscheck.dedup.index")
    modes = []
    add = ix._add_batch

    def spy(db, *args, **kwargs):
        modes.append(db.execute("PRAGMA journal_mode").fetchone()[0])
        return add(db, *args, **kwargs)

    monkeypatch.setattr(ix, "_add_batch", spy)
    seeds = load_articles([seeds_dir])
    index = tmp_path / "new.db"
    dedup(seeds[:3], index=index)
    dedup(seeds[3:], index=index)
    assert modes == ["delete", "wal"]


def test_a_second_run_waits_for_the_first_run_filling_a_new_index(tmp_path, seeds_dir):
    """While the first run fills a new index (with a rollback journal), another run
    waits for its commit, as it would for any run, instead of failing on the lock."""
    seeds = load_articles([seeds_dir])
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    _corpus(first, seeds, 6000)
    _corpus(second, seeds, 500, start=50_000)
    index = tmp_path / "new.db"
    filling = _start([first], index)
    time.sleep(0.4)
    waiting = _start([second], index)
    assert waiting.wait(timeout=120) == 0, waiting.stderr.read().decode()
    assert filling.wait(timeout=120) == 0, filling.stderr.read().decode()
    assert index_size(index) == 6500


def test_a_reader_sees_the_last_committed_index_while_a_run_writes(tmp_path, seeds_dir):
    seeds = load_articles([seeds_dir])
    index = tmp_path / "corpus.db"
    dedup(seeds, index=index)
    batch = tmp_path / "batch.jsonl"
    _corpus(batch, seeds, 1500, start=10_000)
    proc = _start([batch], index)
    sizes = set()
    while proc.poll() is None:
        sizes.add(index_size(index))
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read().decode()
    sizes.add(index_size(index))
    assert sizes <= {5, 1505} and 1505 in sizes


def test_the_library_refuses_another_programs_database_and_leaves_it_untouched(tmp_path, seeds_dir):
    from crosscheck.errors import InputError

    other = tmp_path / "notes.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    with pytest.raises(InputError, match="not a crosscheck index"):
        dedup([seeds_dir], index=other)
    assert other.read_bytes() == before


@pytest.mark.parametrize("block_reads", [True, False])
def test_a_run_reads_only_the_blocks_its_keys_can_be_in_and_misses_no_posting(tmp_path, seeds_dir, monkeypatch,
                                                                             block_reads):
    """Rows keep every _BLOCK-th key as a fence; a run reads the blocks its keys can be
    in (or whole rows, before Python 3.11). Keys posted by many articles (copies) span
    blocks; none of their postings may be lost either way."""
    import numpy as np

    from crosscheck.dedup import postings

    monkeypatch.setattr(postings, "_BLOCK", 4)
    monkeypatch.setattr(postings, "_READS_BLOCKS", block_reads)
    feed = tmp_path / "feed.jsonl"
    _corpus(feed, load_articles([seeds_dir]), 400)
    articles = load_articles([feed])
    copies = [Article(id=f"copy{k}", text=articles[7].text) for k in range(6)]
    index = tmp_path / "i.db"
    dedup(articles + copies, index=index)
    monkeypatch.setattr(postings, "_BLOCK", 32)  # rows are read by the block size they were written with
    rng = np.random.default_rng(5)
    db = sqlite3.connect(index)
    try:
        (copy,) = db.execute("SELECT n FROM articles WHERE id = 'copy0'").fetchone()
        for band in (0, 3, ANCHORS):
            keys, members = stored_postings(db, band)
            wanted = np.concatenate((keys[members == copy], rng.choice(keys, 40),
                                     rng.integers(-2**63, 2**63 - 1, 40, dtype=np.int64)))
            _, found_keys, found_members = postings.posted(db, np.full(len(wanted), band), wanted)
            chosen = set(wanted.tolist())
            expected = sorted((k, m) for k, m in zip(keys.tolist(), members.tolist()) if k in chosen)
            assert sorted(zip(found_keys.tolist(), found_members.tolist())) == expected
            assert len(expected) >= 7 * len(keys[members == copy])  # the copies' keys, each with 7 postings
    finally:
        db.close()
    excerpt = Article(id="excerpt", text=" ".join(articles[7].text.split()[60:200]))
    later = dedup([excerpt, Article(id="reprint", text="Tags: news\n" + articles[11].text)], index=index)
    assert sorted(sorted(c.members) for c in later.clusters) == [
        ["a11", "reprint"], ["a7", "copy0", "copy1", "copy2", "copy3", "copy4", "copy5", "excerpt"]]


def test_a_crowded_key_range_is_merged_down_to_the_bound_and_keeps_every_posting(tmp_path):
    """Rows of doubling sizes: each merge may take only the smallest few (a large row is
    not rewritten for a small one), so merging goes on until the bound holds."""
    import numpy as np

    from crosscheck.dedup import postings
    from crosscheck.dedup.index import connect

    db = connect(tmp_path / "i.db")
    db.execute("BEGIN")
    for seq in range(1, 13):
        size = 2 ** seq
        postings.post(db, seq, np.zeros(size, dtype=np.int64), np.arange(size, dtype=np.uint64),
                      np.full(size, seq, dtype=np.int64))
    before = stored_postings(db, 0)
    postings.merge_crowded(db)
    after = stored_postings(db, 0)
    rows = db.execute("SELECT COUNT(*) FROM postings WHERE band = 0 AND part = 0").fetchone()[0]
    db.execute("ROLLBACK")
    db.close()
    assert rows <= 8
    assert sorted(zip(*(x.tolist() for x in before))) == sorted(zip(*(x.tolist() for x in after)))


def test_a_damaged_postings_row_is_one_error_naming_the_index(tmp_path, seeds_dir):
    from crosscheck.errors import InputError

    index = tmp_path / "i.db"
    seeds = load_articles([seeds_dir])
    dedup(seeds, index=index)
    db = sqlite3.connect(index)
    db.execute("UPDATE postings SET keys = x'0102' WHERE band = 0")
    db.commit()
    db.close()
    reprint = Article(id="reprint", text=seeds[0].text + "\n\nTags: CSTO")
    with pytest.raises(InputError, match=r"i\.db: cannot use the index \(a postings row is damaged"):
        dedup([reprint], index=index)
