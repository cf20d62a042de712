"""`crosscheck inspect`: a user checks what crosscheck reads before trusting a comparison."""

from __future__ import annotations

import json

from crosscheck.cli import main


def inspect_json(capsys, *argv: str):
    assert main(["inspect", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_gives_offsets_that_find_the_text_in_the_file(capsys, seed_path):
    path = seed_path("000")
    doc = inspect_json(capsys, str(path))
    text = path.read_text(encoding="utf-8")
    assert list(doc) == ["id", "path", "metadata", "sentences", "quotes", "boilerplate"]
    assert doc["metadata"] == {"title": None, "outlet": None, "date": "2022-05-16", "url": None, "language": "en"}
    assert doc["boilerplate"] == [{"start": 1, "end": 16, "text": "date 2022-05-16", "reason": "metadata"}]
    assert [s["index"] for s in doc["sentences"]] == list(range(len(doc["sentences"])))
    for sentence in doc["sentences"]:
        assert text[sentence["start"]:sentence["end"]] == sentence["text"]
    for quote in doc["quotes"]:  # the span takes in the quotation marks
        assert quote["text"] in text[quote["start"]:quote["end"]]
    assert not doc["sentences"][0]["text"].startswith("date")
    assert any(q["speaker"] == "Putin" and "NATO" in q["text"] for q in doc["quotes"])


def test_removed_boilerplate_never_shows_up_as_a_sentence(capsys, seed_path):
    doc = inspect_json(capsys, str(seed_path("002")))
    removed = {(b["start"], b["end"]) for b in doc["boilerplate"]}
    assert len(removed) == 8
    for s in doc["sentences"]:
        assert not any(start < s["end"] and s["start"] < end for start, end in removed)


def test_a_folder_gives_one_document_each(capsys, seeds_dir):
    docs = inspect_json(capsys, str(seeds_dir))
    assert [d["id"][:3] for d in docs] == ["000", "001", "002", "003", "004"]
    assert [len(d["boilerplate"]) for d in docs] == [1, 6, 8, 4 + 9, 0]


def test_text_output_lists_metadata_sentences_quotes_and_what_was_removed(capsys, seed_path):
    assert main(["inspect", str(seed_path("003"))]) == 0
    out = capsys.readouterr().out
    assert "title: CSTO reports monitoring of NATO actions 12:40" in out
    assert "\nsentences (" in out and "\nquotes (" in out and "\nboilerplate removed (13):" in out
    assert "1511-1533  comment prompt: What are you thinking?" in out
    assert "1552-1568  related-stories feed: More from author" in out
    assert "    0  0-45  ¶0  CSTO reports monitoring of NATO actions 12:40" in out


def test_config_patterns_change_what_is_removed(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("clean:\n  patterns: ['^\\* \\* \\*$']\n", encoding="utf-8")
    doc = inspect_json(capsys, str(seed_path("001")), "--config", str(config))
    assert {"start": 816, "end": 821, "text": "* * *", "reason": "config pattern"} in doc["boilerplate"]
