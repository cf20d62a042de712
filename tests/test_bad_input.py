"""Bad input: one clear line naming the file and the problem, exit code 2, no traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from crosscheck.cli import main
from crosscheck.config import load_settings
from crosscheck.errors import ConfigError, InputError, OutputError
from crosscheck.text.files import write_atomic
from crosscheck.text.load import load_articles


def fails_with(capsys, argv: list[str]) -> str:
    """Run the CLI, check it failed cleanly, and return its one line of stderr."""
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def usage_error(capsys, argv: list[str]) -> str:
    """Run the CLI with bad usage: argparse exits 2 with one line of stderr, returned."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    captured = capsys.readouterr()
    assert done.value.code == 2 and captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_a_missing_path(capsys, tmp_path):
    missing = tmp_path / "nope.txt"
    assert fails_with(capsys, ["inspect", str(missing)]) == f"{missing}: no such file or folder"


def test_a_folder_with_no_articles(capsys, tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    assert fails_with(capsys, ["inspect", str(tmp_path)]) == (
        f"{tmp_path}: no articles found (looked for .txt, .md, .html, .htm, .jsonl, .json, .csv)"
    )


def test_a_binary_file(capsys, tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}: not a text file (binary content)"


def test_undecodable_bytes(capsys, tmp_path):
    path = tmp_path / "mangled.txt"
    path.write_bytes(b"Putin \x98\x81 said")
    assert fails_with(capsys, ["inspect", str(path)]) == (
        f"{path}: undecodable bytes at offset 6 (not UTF-8, UTF-16 or cp1251, latin-1)"
    )


def test_an_empty_file(capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}: empty file"


def test_a_malformed_jsonl_line_names_its_line(capsys, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "Putin spoke."}\n{"text": "Rahmon spoke.",}\n', encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == (
        f"{path}:2: malformed JSON: Expecting property name enclosed in double quotes (column 26)"
    )


def test_skip_bad_reads_the_rest_and_says_what_it_skipped(capsys, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "a", "text": "Putin spoke in Moscow."}\n{oops\n{"id": "b", "title": "no text"}\n'
        '{"id": "c", "text": "Rahmon spoke too."}\n',
        encoding="utf-8",
    )
    assert main(["inspect", str(path), "--skip-bad", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"skipped: {path}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"skipped: {path}:3: missing 'text'",
        "crosscheck: skipped 2 bad record(s), read 2",
    ]
    assert '"id": "a"' in captured.out and '"id": "c"' in captured.out


def test_a_config_that_is_not_yaml(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("clean:\n  patterns: [unclosed\n", encoding="utf-8")
    line = fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)])
    assert line.startswith(f"{config}: malformed YAML at line ")


def test_an_unknown_config_key_suggests_the_right_one(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("clean:\n  pattern: ['^photo:']\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: clean.pattern: unknown setting (did you mean 'clean.patterns'?)"
    )


def test_a_config_value_of_the_wrong_type(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("clean:\n  enabled: 'yes please'\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: clean.enabled: expected true or false, got 'yes please'"
    )


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><body><ul><li><a href='/n'>News</a></li></ul>"
        "<footer>Copyright 2024 BelTA. All rights reserved.</footer></body></html>",
    ],
)
def test_html_with_no_main_text(capsys, tmp_path, page):
    pytest.importorskip("trafilatura")
    path = tmp_path / "menu.html"
    path.write_text(page, encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}: no main text found in the HTML"


def test_the_installed_command_prints_one_line_and_exits_2(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    done = subprocess.run(
        [sys.executable, "-m", "crosscheck", "inspect", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == f"{path}: not a text file (binary content)\n"
    assert done.stdout == ""


# ----------------------------------------------------------------- record files


def test_a_csv_quote_that_is_never_closed_names_the_row_instead_of_swallowing_the_file(capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('id,text\na,"Putin spoke.\nb,Rahmon spoke.\n', encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}:2: malformed CSV: a quoted field is never closed"
    with pytest.raises(InputError, match="a quoted field is never closed"):
        load_articles([path])


def test_text_after_a_closing_quote_in_a_csv_names_its_line(capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('id,text\na,"Putin spoke" in Moscow\n', encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}:2: malformed CSV: ',' expected after '\"'"


def test_a_csv_header_with_two_text_columns_is_refused_not_guessed(capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,text,text\na,Putin spoke.,Rahmon spoke.\n", encoding="utf-8")
    assert fails_with(capsys, ["dedup", str(path)]) == f"{path}: the header has the column 'text' 2 times"


@pytest.mark.parametrize("name, where", [("feed.json", ""), ("feed.jsonl", ":1")])
def test_json_nested_too_deeply_for_python_is_malformed_json(capsys, tmp_path, name, where):
    path = tmp_path / name
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}{where}: malformed JSON: nested too deeply"


def test_undecodable_bytes_deep_in_a_jsonl_name_their_line_and_can_be_skipped(capsys, tmp_path):
    path = tmp_path / "feed.jsonl"
    good = '{"text": "Putin met the CSTO leaders in Moscow."}\n'.encode()
    path.write_bytes(good * 2000 + b'{"text": "caf\xe9 \x98"}\n')  # past the 64 KiB the encoding is sniffed from
    assert fails_with(capsys, ["inspect", str(path)]) == f"{path}:2001: undecodable bytes at column 14 (not utf-8)"
    assert main(["dedup", str(path), "--skip-bad", "--format", "json"]) == 0
    assert capsys.readouterr().err == f"skipped: {path}:2001: undecodable bytes at column 14 (not utf-8)\n"


# ----------------------------------------------------------------- front matter


def test_an_impossible_date_in_front_matter_is_named_with_the_file(capsys, tmp_path):
    path = tmp_path / "story.md"
    path.write_text("---\ntitle: Summit\ndate: 2022-02-30\n---\nPutin met the CSTO leaders.\n", encoding="utf-8")
    assert fails_with(capsys, ["compare", str(path), str(path), "--format", "json"]) == (
        f"{path}: malformed front matter: day is out of range for month"
    )


def test_bad_front_matter_in_a_folder_or_a_record_names_where_it_is(capsys, tmp_path):
    (tmp_path / "desk").mkdir()
    story = tmp_path / "desk" / "story.md"
    story.write_text("---\ntitle: [Summit\n---\nPutin met the CSTO leaders.\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(tmp_path)]).startswith(f"{story}: malformed front matter at line 3: ")
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "---\\ntitle: [Summit\\n---\\nPutin spoke."}\n', encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(feed)]).startswith(f"{feed}:1: malformed front matter at line 3: ")


# ----------------------------------------------------------------- --config


def write_config(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "yaml_text, problem",
    [
        ("match:\n  candidate_cutoff: 500\n", "match.candidate_cutoff: must be between 0 and 100, got 500.0"),
        ("match:\n  max_window: 0\n", "match.max_window: must be at least 1, got 0"),
        ("match:\n  link_threshold: .nan\n", "match.link_threshold: must be between 0 and 1, got nan"),
        ("match:\n  semantic: maybe\n", "match.semantic: expected auto, on or off, got 'maybe'"),
        ("dedup:\n  threshold: 0\n", "dedup.threshold: must be in (0, 1], got 0.0"),
        ("load:\n  legacy_encodings: [klingon]\n", "load.legacy_encodings[0]: unknown encoding 'klingon'"),
        ("load:\n  extensions: []\n", "load.extensions: must list at least one file ending"),
        ("verdict:\n  negations: ['']\n", "verdict.negations[0]: an empty entry"),
        ("clean:\n  patterns: ['(photo']\n",
         "clean.patterns[0]: not a regular expression: missing ), unterminated subpattern at position 0"),
        ("match: 3\n", "match: expected a mapping, got 3"),
    ],
)
def test_a_config_value_crosscheck_cannot_work_with_names_the_file_and_the_key(
    capsys, tmp_path, seed_path, yaml_text, problem
):
    config = write_config(tmp_path, yaml_text)
    argv = ["compare", str(seed_path("001")), str(seed_path("000")), "--format", "json", "--config", str(config)]
    assert fails_with(capsys, argv) == f"{config}: {problem}"
    with pytest.raises(ConfigError):
        load_settings(config)


def test_a_setting_given_twice_is_refused_not_silently_overridden(capsys, tmp_path, seed_path):
    config = write_config(tmp_path, "match:\n  max_window: 2\n  link_threshold: 0.5\n  max_window: 5\n")
    assert fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: malformed YAML at line 4: the key 'max_window' is given twice"
    )


def test_an_impossible_date_in_the_config_is_malformed_yaml(capsys, tmp_path, seed_path):
    config = write_config(tmp_path, "dedup:\n  seed: 2022-02-30\n")
    assert fails_with(capsys, ["dedup", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: malformed YAML: day is out of range for month"
    )


@pytest.mark.parametrize("option", ["--config", "-o", "--source", "--index"])
def test_an_empty_path_option_is_a_usage_error(capsys, seed_path, option):
    command = {"--source": "report", "--index": "dedup"}.get(option, "compare" if option == "-o" else "inspect")
    extra = ["--format", "text"] if command == "compare" else []  # never the TUI
    line = usage_error(capsys, [command, str(seed_path("004")), str(seed_path("000")), *extra, option, ""])
    assert line.startswith(f"crosscheck {command}: argument {option}")
    assert line.endswith(": expected a path or a name, got ''")


# ----------------------------------------------------------------- -o and standard output


@pytest.fixture
def unwritable_dir(tmp_path):
    """A folder this user cannot create files in (root writes anywhere but /proc)."""
    if os.geteuid() == 0:
        if not Path("/proc/self").is_dir():
            pytest.skip("running as root without /proc")
        yield Path("/proc")
        return
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    yield folder
    folder.chmod(0o700)


def out_commands(seed_path, out) -> list[list[str]]:
    src, rw = str(seed_path("001")), str(seed_path("000"))
    return [
        ["compare", src, rw, "--format", "md", "-o", str(out)],
        ["report", src, rw, "-q", "--semantic", "off", "-o", str(out)],
        ["dedup", src, rw, "--format", "text", "-o", str(out)],
    ]


def test_an_output_path_that_is_a_folder_is_one_line_on_every_command(capsys, tmp_path, seed_path):
    for argv in out_commands(seed_path, tmp_path):
        assert fails_with(capsys, argv) == f"{tmp_path}: is a folder, expected a file"


def test_an_output_folder_that_cannot_be_written_is_one_line(capsys, seed_path, unwritable_dir):
    out = unwritable_dir / "report.md"
    for argv in out_commands(seed_path, out):
        line = fails_with(capsys, argv)
        assert line.startswith(f"{out}: cannot write (")


def test_a_failing_run_leaves_the_previous_output_untouched(capsys, tmp_path, seed_path):
    out = tmp_path / "report.md"
    out.write_text("yesterday's report\n", encoding="utf-8")
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    config = write_config(tmp_path, "match:\n  candidate_cutoff: 500\n")
    for argv in out_commands(seed_path, out):
        fails_with(capsys, [*argv[:2], str(scan), *argv[3:]])
        fails_with(capsys, [*argv, "--config", str(config)])
    assert out.read_text(encoding="utf-8") == "yesterday's report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml", "report.md", "scan.txt"]


def test_an_output_that_names_an_input_is_refused_and_the_input_kept(capsys, tmp_path, seed_path):
    rewrite = tmp_path / "rewrite.txt"
    rewrite.write_text(seed_path("000").read_text(encoding="utf-8"), encoding="utf-8")
    before = rewrite.read_bytes()
    line = fails_with(capsys, ["compare", str(seed_path("001")), str(rewrite), "--format", "md", "-o", str(rewrite)])
    assert line == f"{rewrite}: is also an input ({rewrite}); write the output to another file"
    assert rewrite.read_bytes() == before


def test_an_output_symlink_is_followed_and_a_new_output_is_readable_by_others(tmp_path, seed_path):
    real = tmp_path / "real.md"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    assert main(["report", str(seed_path("001")), str(seed_path("000")), "-q", "--semantic", "off", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# crosscheck report")
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    fresh = tmp_path / "fresh.txt"
    assert main(["dedup", str(seed_path("001")), "-o", str(fresh)]) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask  # not mkstemp's private 0600


def test_an_output_that_is_a_pipe_is_written_to_not_replaced(tmp_path, seed_path):
    pipe = tmp_path / "to-the-archiver"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = subprocess.run(
        [sys.executable, "-m", "crosscheck", "dedup", str(seed_path("001")), "--format", "json", "-o", str(pipe)],
        capture_output=True, text=True, timeout=120,
    )
    reader.join(timeout=30)
    assert (done.returncode, done.stderr) == (0, "")
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # renaming over it would have left a plain file
    assert json.loads(received[0])["articles"] == 1


def test_a_full_standard_output_is_one_line_not_a_traceback(seed_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "crosscheck", "inspect", str(seed_path("004"))],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    assert (done.returncode, done.stderr) == (2, "standard output: cannot write (No space left on device)\n")


def test_compare_with_o_writes_the_format_of_the_suffix_instead_of_opening_the_tui(tmp_path, seed_path):
    out = tmp_path / "comparison.json"
    assert main(["compare", str(seed_path("001")), str(seed_path("000")), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "crosscheck.comparison/1"


def test_write_atomic_raises_crosscheck_errors(tmp_path):
    with pytest.raises(OutputError, match=f"^{tmp_path}: is a folder, expected a file$"):
        write_atomic(tmp_path, "text")
    with pytest.raises(InputError, match="cannot write: its folder does not exist"):
        write_atomic(tmp_path / "missing" / "out.md", "text")


# ----------------------------------------------------------------- report and dedup options


def test_compare_given_a_folder_as_a_rewrite_says_it_wants_a_file(capsys, tmp_path, seed_path):
    assert fails_with(capsys, ["compare", str(seed_path("001")), str(tmp_path), "--format", "text"]) == (
        f"{tmp_path}: is a folder, expected a file"
    )


def test_report_source_that_is_a_folder_is_refused_not_read_as_text(capsys, seeds_dir, tmp_path):
    assert fails_with(capsys, ["report", str(seeds_dir), "-q", "--source", str(tmp_path)]) == (
        f"{tmp_path}: is a folder; --source takes one article file or the id of an article"
    )


def test_report_types_with_the_wrong_case_gets_a_did_you_mean(capsys, seeds_dir):
    assert usage_error(capsys, ["report", str(seeds_dir), "--types", "omission,Negation_changed"]) == (
        "crosscheck report: argument --types: unknown divergence type 'Negation_changed'; "
        "did you mean 'negation_changed'?"
    )


def test_dedup_refuses_an_sqlite_database_that_is_not_its_index_and_leaves_it_alone(capsys, tmp_path, seed_path):
    other = tmp_path / "newsroom.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE articles (headline TEXT)")
    db.commit()
    db.close()
    before = other.read_bytes()
    assert fails_with(capsys, ["dedup", str(seed_path("001")), "--index", str(other)]) == (
        f"{other}: not a crosscheck index (table articles lacks date, id, n, shingles, signature, size)"
    )
    assert other.read_bytes() == before


def test_dedup_with_a_damaged_index_is_one_line_naming_it(capsys, tmp_path, seeds_dir):
    index = tmp_path / "corpus.db"
    assert main(["dedup", str(seeds_dir / "000_0c1e1df2397bbb9f.txt"), "--index", str(index)]) == 0
    capsys.readouterr()
    data = bytearray(index.read_bytes())
    for i in range(4096, len(data), 7):  # every page but the schema's
        data[i] = (data[i] * 31 + 7) % 256
    index.write_bytes(bytes(data))
    line = fails_with(capsys, ["dedup", str(seeds_dir), "--index", str(index)])
    assert line.startswith(f"{index}: ") and "index (" in line


def test_dedup_index_is_refused_in_story_mode_where_it_would_be_ignored(capsys, tmp_path, seed_path):
    assert fails_with(capsys, ["dedup", str(seed_path("001")), "--mode", "story", "--index", str(tmp_path / "x.db")]) == (
        "crosscheck dedup: --index keeps near-duplicate sketches; use it with --mode near or both"
    )


# ----------------------------------------------------------------- the library


def test_the_library_refuses_a_folder_or_an_empty_string_in_place_of_an_article(seeds_dir, seed_path):
    import crosscheck

    with pytest.raises(InputError, match="is a folder, expected a file"):
        crosscheck.compare(str(seeds_dir), seed_path("000"))
    with pytest.raises(InputError, match="is empty"):
        crosscheck.compare(seed_path("001"), "   ")


def test_report_takes_types_as_names_and_refuses_a_divergence_out_of_range(seeds_dir):
    from crosscheck.config import Settings
    from crosscheck.report import report

    words = Settings()
    words = words.with_values({"match.semantic": "off"})
    source = next(seeds_dir.glob("001_*.txt"))
    rewrite = next(seeds_dir.glob("000_*.txt"))
    ranked = report([source, rewrite], source=source, types=["qualifier_dropped", "summary"], settings=words).ranking
    assert ranked and all({"qualifier_dropped", "summary"} & {d.type for d in r.alignment.types} for r in ranked)
    one = report([source, rewrite], source=source, types="qualifier_dropped", settings=words).ranking
    assert one and all("qualifier_dropped" in {d.type for d in r.alignment.types} for r in one)
    # A comma list is the CLI's spelling (--types a,b); the library takes names.
    with pytest.raises(ConfigError, match="unknown divergence type 'qualifier_dropped, summary'"):
        report([source, rewrite], source=source, types="qualifier_dropped, summary", settings=words)
    with pytest.raises(ConfigError, match="min_divergence: expected a number from 0 to 1, got 5"):
        report([source, rewrite], source=source, min_divergence=5, settings=words)
