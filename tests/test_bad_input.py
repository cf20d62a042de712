"""Bad input: one clear line naming the file and the problem, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crosscheck.cli import main


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
        f"skipped {path}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"skipped {path}:3: missing 'text'",
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
