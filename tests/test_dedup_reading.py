"""Near dedup reads in its workers: JSON-lines files go out as chunks of raw lines, and
the reader settles what the workers found in input order. Whatever the batching and
however many workers, a run must give what reading every article here, one by one,
gives: the same ids (made-up ones numbered alike), the same skipped lines, the same
first error, the same clusters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.dedup.engines.local import run as near_graph
from crosscheck.dedup.engines.local import sketch_stream
from crosscheck.dedup.run import build_clusters, dedup
from crosscheck.errors import InputError
from crosscheck.model import Article
from crosscheck.text.load import iter_articles
from crosscheck.text.records import chunk_records, jsonl_chunks, records


def _articles(inputs, settings, skipped):  # type: ignore[no-untyped-def]
    """Articles read one by one: each run of paths through iter_articles, Article values as given."""
    paths = []
    for item in inputs:
        if isinstance(item, Article):
            yield from iter_articles(paths, settings, lambda error: skipped.append(str(error)))
            paths = []
            yield item
        elif isinstance(item, (str, Path)):
            paths.append(item)
        else:
            yield from iter_articles(paths, settings, lambda error: skipped.append(str(error)))
            raise TypeError(f"expected paths or Articles, got {type(item).__name__}")
    yield from iter_articles(paths, settings, lambda error: skipped.append(str(error)))


def _one_by_one(inputs, settings):  # type: ignore[no-untyped-def]
    """The reference: articles read in this process (iter_articles), then sketched."""
    skipped: list[str] = []
    graph = near_graph(sketch_stream(_articles(inputs, settings, skipped), settings), settings)
    clusters = build_clusters("near", graph.ids, graph.dates, graph.sizes, graph.edges)
    return graph.ids, skipped, sorted((c.id, c.members, c.representative) for c in clusters)


def _as_read_by_workers(inputs, settings):  # type: ignore[no-untyped-def]
    ids: list[str] = []
    result = dedup(inputs, settings=settings, progress=lambda stage, done, total: ids.append(done))
    return result, sorted((c.id, c.members, c.representative) for c in result.clusters)


def _feed(seeds_dir: Path, folder: Path) -> list[Path]:
    """Two JSON-lines files and a text file: copies of the Kremlin transcript among the
    seeds, blank lines, CRLF and lone-CR line ends, a malformed line, a line that is not
    UTF-8, records without ids (the same made-up ids in both files: ``feed:3``), a
    stated id repeated across files."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    kremlin = next(t for p, t in zip(sorted(seeds_dir.glob("*.txt")), texts) if p.name.startswith("001_"))
    lines = []
    for k, text in enumerate(texts * 3):
        record = {"text": text if k % 4 else "Reprint\n" + text + "\nSubscribe to our newsletter"}
        if k % 3 == 0:
            record["id"] = f"s{k}"
        lines.append(json.dumps(record).encode())
    one = folder / "a" / "feed.jsonl"
    two = folder / "b" / "feed.jsonl"
    one.parent.mkdir()
    two.parent.mkdir()
    body = b"\r\n".join(lines[:6]) + b"\r\n\r\n" + b"\r".join(lines[6:9]) + b"\n{not json\n" + b"\n".join(lines[9:])
    one.write_bytes(body + b"\n")
    bad = b'{"id": "latin", "text": "caf\xe9 au lait"}'
    two.write_bytes(b"\n".join([lines[2], lines[1], bad, json.dumps({"id": "s0", "text": kremlin}).encode(), lines[4]]))
    text = folder / "copy.txt"
    text.write_text(kremlin, encoding="utf-8")
    return [one, text, two]


@pytest.mark.parametrize("batch,workers", [(1, 1), (2, 2), (5, 2), (512, 1), (512, 2)])
def test_workers_reading_jsonl_give_what_reading_one_by_one_gives(tmp_path, seeds_dir, batch, workers):
    paths = _feed(seeds_dir, tmp_path)
    settings = Settings().with_values({"dedup.batch_size": batch, "dedup.workers": workers, "load.skip_bad": True})
    ids, skipped, clusters = _one_by_one(paths, settings)
    result, found = _as_read_by_workers(paths, settings)
    assert found == clusters
    assert list(result.skipped) == skipped
    assert result.articles == len(ids)
    assert any("feed.jsonl:" in s and "malformed JSON" in s for s in skipped)
    assert any("duplicate id 's0'" in s for s in skipped)
    assert any(c[1] and "copy" in c[1] for c in clusters)  # the text file joins the transcript's copies
    assert "feed:2~2" in ids  # the second file's made-up id, numbered as one by one
    assert "latin" in ids  # a file that is not UTF-8 is read in the encoding it was sniffed in


def test_the_first_problem_in_input_order_is_raised_whatever_the_workers_do(tmp_path, seeds_dir):
    paths = _feed(seeds_dir, tmp_path)
    settings = Settings().with_values({"dedup.batch_size": 2, "dedup.workers": 2})
    with pytest.raises(InputError) as by_one:
        list(iter_articles(paths + [tmp_path / "missing.jsonl"], settings))
    for _ in range(3):
        with pytest.raises(InputError) as by_workers:
            dedup(paths + [tmp_path / "missing.jsonl"], settings=settings)
        assert str(by_workers.value) == str(by_one.value)
        assert "malformed JSON" in str(by_workers.value)


def test_article_values_between_paths_keep_their_ids_and_split_the_reads(tmp_path, seeds_dir):
    paths = _feed(seeds_dir, tmp_path)
    given = Article(id="feed:2", text=(seeds_dir / next(p.name for p in seeds_dir.glob("001_*.txt"))).read_text())
    inputs = [paths[0], given, paths[2]]
    settings = Settings().with_values({"dedup.batch_size": 3, "dedup.workers": 2, "load.skip_bad": True})
    ids, skipped, clusters = _one_by_one(inputs, settings)
    result, found = _as_read_by_workers(inputs, settings)
    assert (found, list(result.skipped)) == (clusters, skipped)
    assert ids.count("feed:2") == 3  # one per read (each file), and the Article as given
    assert not any("~" in i for i in ids)


@pytest.mark.parametrize("lines", [1, 2, 3, 7])
def test_chunks_number_lines_as_the_record_reader_does(tmp_path, lines):
    path = tmp_path / "odd.jsonl"
    texts = [json.dumps({"text": f"article {k} " + "word " * (k * 300)}).encode() for k in range(9)]
    texts[4] = json.dumps({"text": "a line longer than several blocks " + "word " * 60_000}).encode()
    path.write_bytes(texts[0] + b"\r\n" + texts[1] + b"\r" + texts[2] + b"\n\n\r\n" + b"\n".join(texts[3:]) + b"\n{\"text\": \"caf\xe9\"}")
    settings = Settings().with_values({"load.skip_bad": True})
    expected: list = []
    for article, stated in records(path, settings, expected.append):
        expected.append((article.id, article.path, stated, article.text))
    chunked: list = []
    for chunk in jsonl_chunks(path, settings, lines):
        for found in chunk_records(chunk, settings):
            chunked.append(found if isinstance(found, InputError) else (found[0].id, found[0].path, found[1], found[0].text))
    assert [str(x) if isinstance(x, InputError) else x for x in chunked] == [
        str(x) if isinstance(x, InputError) else x for x in expected
    ]
    assert [x[0] for x in chunked if not isinstance(x, InputError)][-1] == "odd:11"
    assert "undecodable" in str(chunked[-1]) and ":12:" in str(chunked[-1])


def test_a_feed_with_no_line_feed_at_all_is_one_chunk_numbered_as_the_record_reader_does(tmp_path):
    path = tmp_path / "mac.jsonl"
    path.write_bytes(b"\r".join(json.dumps({"text": f"old mac line {k} " + "word " * 20_000}).encode() for k in range(5)))
    (chunk,) = jsonl_chunks(path, Settings(), 2)
    assert [found[0].id for found in chunk_records(chunk, Settings())] == [
        article.id for article, _ in records(path, Settings(), None)] == [f"mac:{k}" for k in range(1, 6)]


def test_errors_that_are_no_input_errors_are_raised_in_their_place_too(tmp_path, seeds_dir):
    """A bad input item (not a path or an Article) comes after a bad record before it."""
    feed = tmp_path / "feed.jsonl"
    kremlin = next(seeds_dir.glob("001_*.txt")).read_text(encoding="utf-8")
    feed.write_text(json.dumps({"title": "no text"}) + "\n" + json.dumps({"text": kremlin}) + "\n", encoding="utf-8")
    given = Article(id="given", text="A short article given as it is.")
    for skip_bad, expected in ((False, InputError), (True, TypeError)):
        chosen = Settings().with_values({"dedup.workers": 2, "load.skip_bad": skip_bad})
        with pytest.raises(expected) as by_workers:
            dedup([feed, given, 123], settings=chosen)
        with pytest.raises(expected) as by_one:
            _one_by_one([feed, given, 123], chosen)
        assert str(by_workers.value) == str(by_one.value)


def test_a_number_too_long_for_python_is_malformed_json_naming_its_line(tmp_path):
    path = tmp_path / "digits.jsonl"
    path.write_text('{"text": "a b c d e f"}\n{"text": "x", "n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"digits.jsonl:2: malformed JSON: Exceeds the limit"):
        dedup([path])
    assert dedup([path], settings=Settings().with_values({"load.skip_bad": True})).articles == 1


def test_a_utf16_feed_is_read_one_by_one_with_the_same_result(tmp_path, seeds_dir):
    path = tmp_path / "wide.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    path.write_text("\n".join(json.dumps({"text": t}) for t in texts + texts[1:2]), encoding="utf-16")
    settings = Settings()
    assert jsonl_chunks(path, settings, 2) is None
    ids, skipped, clusters = _one_by_one([path], settings)
    result, found = _as_read_by_workers([path], settings)
    assert found == clusters and len(clusters) == 1 and result.articles == len(ids) == 6


def test_reading_is_counted_off_a_total_known_from_the_start(tmp_path, seeds_dir):
    """The progress bar shows reading (parsing, cleaning and sketching, done together in
    the workers) against the input's size, so it has a total and a time left."""
    paths = _feed(seeds_dir, tmp_path)
    given = Article(id="given", text="Ein Artikel, wie er übergeben wurde. " * 100)
    calls: list[tuple[str, int, int]] = []
    settings = Settings().with_values({"dedup.batch_size": 3, "dedup.workers": 2, "load.skip_bad": True})
    dedup([*paths, given, seeds_dir], settings=settings, progress=lambda *call: calls.append(call))
    reading = [(done, total) for stage, done, total in calls if stage == "reading (KB)"]
    size = sum(p.stat().st_size for p in [*paths, *seeds_dir.glob("*.txt")]) + len(given.text.encode())
    assert {total for _, total in reading} == {size // 1024}
    assert [done for done, _ in reading] == sorted(done for done, _ in reading)
    assert reading[-1][0] == size // 1024
    assert len(reading) > 5


def test_story_mode_reads_what_one_by_one_reading_gives_and_counts_it_off_the_same_total(tmp_path, seeds_dir):
    """Story mode keeps the articles in this process, but reads them the same way: the
    same ids and skipped lines as reading one by one, and a bar with a total."""
    paths = [*_feed(seeds_dir, tmp_path), seeds_dir]
    settings = Settings().with_values({"dedup.batch_size": 3, "load.skip_bad": True})
    calls: list[tuple[str, int, int]] = []
    result = dedup(paths, mode="story", settings=settings, progress=lambda *call: calls.append(call))
    ids, skipped, _ = _one_by_one(paths, settings)
    assert (result.articles, list(result.skipped)) == (len(ids), skipped)
    assert skipped and {m for c in result.clusters for m in c.members} <= set(ids)
    reading = [(done, total) for stage, done, total in calls if stage == "reading (KB)"]
    size = sum(p.stat().st_size for p in paths[:-1]) + sum(p.stat().st_size for p in seeds_dir.glob("*.txt"))
    assert reading[-1] == (size // 1024, size // 1024) and {total for _, total in reading} == {size // 1024}


@pytest.mark.parametrize("mode", ["near", "story"])
def test_a_one_pass_stream_of_inputs_is_read_once_and_its_bar_has_no_total(seeds_dir, mode):
    """A generator can be gone through once only: the total is not looked for in it."""
    articles = [Article(id=f"a{i}", text=p.read_text(encoding="utf-8"))
                for i, p in enumerate(sorted(seeds_dir.glob("*.txt")))]
    calls: list[tuple[str, int, int]] = []
    settings = Settings().with_values({"dedup.workers": 1, "dedup.batch_size": 2})
    streamed = dedup((a for a in articles), mode=mode, settings=settings, progress=lambda *call: calls.append(call))
    listed = dedup(articles, mode=mode, settings=settings)
    assert streamed.articles == listed.articles == 5 and streamed.clusters == listed.clusters
    reading = [(done, total) for stage, done, total in calls if stage == "reading (KB)"]
    assert {total for _, total in reading} == {0}
    assert reading[-1][0] == sum(len(a.text.encode()) for a in articles) // 1024
