"""Issue 11, part A: what a new user hits at install, reading text and writing output.

Each test reproduces one item of the issue and fails without its fix.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosscheck.cli import main
from crosscheck.config.settings import load_settings
from crosscheck.errors import InputError, OutputError
from crosscheck.text.files import write_atomic
from crosscheck.text.load import load

SRC = Path(__file__).resolve().parents[1] / "src"


def fails_with(capsys, argv: list[str]) -> str:
    """Run the CLI, check it failed cleanly with exit 2, and return its one stderr line."""
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert captured.out == "" and "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


# ----------------------------------------------------------------- 3: on/off as YAML booleans


@pytest.mark.parametrize("written, meant", [("off", "off"), ("no", "off"), ("false", "off"), ("on", "on"), ("yes", "on")])
def test_an_on_off_setting_written_as_a_yaml_boolean_means_that_word(tmp_path, written, meant):
    config = tmp_path / "config.yaml"
    config.write_text(f"match:\n  semantic: {written}\n", encoding="utf-8")
    assert load_settings(config).match.semantic == meant


def test_a_boolean_is_still_refused_where_on_and_off_are_not_choices(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("dedup:\n  hash: off\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: dedup.hash: expected a string, got False"
    )


def test_a_list_setting_of_the_wrong_type_reads_as_english(capsys, tmp_path, seed_path):
    config = tmp_path / "config.yaml"
    config.write_text("load:\n  extensions: .txt\n", encoding="utf-8")
    assert fails_with(capsys, ["inspect", str(seed_path("004")), "--config", str(config)]) == (
        f"{config}: load.extensions: expected a list of strings, got '.txt'"
    )


# ----------------------------------------------------------------- 9: devices


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_a_byte_is_read(capsys, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    assert fails_with(capsys, ["inspect", device]) == f"{device}: not a regular file (a character device)"
    with pytest.raises(InputError, match="not a regular file"):
        load(device)


def test_a_pipe_the_user_named_is_read(tmp_path, capsys):
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    pid = os.fork()
    if pid == 0:  # the writing end, as `<(zcat ...)` would be
        with open(fifo, "w", encoding="utf-8") as out:
            out.write("Putin met the leaders in Moscow. He spoke about security.\n")
        os._exit(0)
    try:
        assert main(["inspect", str(fifo), "--format", "json"]) == 0
    finally:
        os.waitpid(pid, 0)
    assert "He spoke about security." in capsys.readouterr().out


# ----------------------------------------------------------------- 10: read-only outputs


def test_a_read_only_output_is_refused_like_cp_without_f(capsys, tmp_path, seed_path):
    out = tmp_path / "out.txt"
    out.write_text("the user's file\n", encoding="utf-8")
    out.chmod(0o444)
    line = fails_with(capsys, ["compare", str(seed_path("001")), str(seed_path("000")), "-o", str(out)])
    assert line == f"{out}: is read-only; remove it or write to another file"
    assert out.read_text(encoding="utf-8") == "the user's file\n"
    with pytest.raises(OutputError, match="is read-only"):
        write_atomic(out, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


# ----------------------------------------------------------------- 11: -o suffixes


@pytest.mark.parametrize("name", ["x.html", "x.xyz", "x.csv"])
def test_compare_refuses_a_suffix_it_cannot_write_and_names_what_it_can(capsys, tmp_path, seed_path, name):
    out = tmp_path / name
    line = fails_with(capsys, ["compare", str(seed_path("001")), str(seed_path("000")), "-o", str(out)])
    suffix = name[1:]
    assert line == (
        f"{out}: no format for the suffix '{suffix}'; this command writes text (.txt/.text), json (.json), "
        "md (.md/.markdown): use one or --format"
    )
    assert not out.exists()


def test_an_explicit_format_writes_any_suffix_and_no_suffix_is_text(tmp_path, seed_path):
    source, rewrite = str(seed_path("001")), str(seed_path("000"))
    assert main(["compare", source, rewrite, "-o", str(tmp_path / "x.xyz"), "--format", "json"]) == 0
    assert json.loads((tmp_path / "x.xyz").read_text(encoding="utf-8"))["schema"] == "crosscheck.comparison/1"
    assert main(["compare", source, rewrite, "-o", str(tmp_path / "plain")]) == 0
    assert (tmp_path / "plain").read_text(encoding="utf-8").startswith("source:  001_")


# ----------------------------------------------------------------- 14: temporaries of killed writes


_SLOW_WRITER = """
import sys, time
from crosscheck.text.files import atomic_writer
with atomic_writer(sys.argv[1]) as handle:
    handle.write("x" * 100_000)
    handle.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def _start_writer(out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline().strip() == "writing"
    return proc


def test_the_next_write_removes_what_a_killed_write_left_and_spares_a_live_one(tmp_path):
    from crosscheck.text.files import remove_stale_temporaries

    out = tmp_path / "report.md"
    killed = _start_writer(out)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    litter = [p for p in tmp_path.iterdir() if p.name.startswith(".report.md.")]
    assert len(litter) == 1 and litter[0].name.endswith(".tmp")

    live = _start_writer(out)
    try:
        (theirs,) = [p for p in tmp_path.iterdir() if p.name.startswith(".report.md.") and p != litter[0]]
        other = tmp_path / ".report.md.notes.tmp"  # not our naming: never touched
        other.write_text("keep", encoding="utf-8")
        write_atomic(out, "# report\n")
        assert out.read_text(encoding="utf-8") == "# report\n"
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted(["report.md", theirs.name, other.name])
    finally:
        live.kill()
        live.wait()
    assert remove_stale_temporaries(out) == [theirs]


# ----------------------------------------------------------------- 17: one record of a record file


@pytest.fixture()
def corpus(tmp_path, seed_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    records = [
        {"id": "kremlin", "text": seed_path("001").read_text(encoding="utf-8")},
        {"id": "other", "text": "The weather in Minsk was cold on Monday. Farmers waited for rain."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_record_file_as_source_says_how_to_pick_one(capsys, corpus, seed_path):
    line = fails_with(capsys, ["compare", str(corpus), str(seed_path("000")), "--format", "json"])
    assert line == (
        f"{corpus}: holds 2 articles; pick one as {corpus}#ID, or with compare's --source-id / --rewrite-id "
        "(ids: kremlin, other)"
    )
    assert "load_articles" not in line


def test_file_hash_id_and_source_id_pick_the_same_record(capsys, corpus, seed_path):
    rewrite = str(seed_path("000"))
    assert main(["compare", f"{corpus}#kremlin", rewrite, "--format", "json"]) == 0
    by_ref = capsys.readouterr().out
    assert main(["compare", str(corpus), rewrite, "--source-id", "kremlin", "--format", "json"]) == 0
    by_option = capsys.readouterr().out
    assert by_ref == by_option
    doc = json.loads(by_ref)
    assert doc["source"]["id"] == "kremlin" and doc["summary"]["counts"]["verbatim"] >= 1


def test_a_rewrite_id_and_an_unknown_id(capsys, corpus, seed_path):
    source = str(seed_path("001"))
    assert main(["compare", source, str(corpus), "--rewrite-id", "other", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rewrite"]["id"] == "other"
    assert fails_with(capsys, ["compare", source, f"{corpus}#nope", "--format", "json"]) == (
        f"{corpus}: has no article with the id 'nope' (ids: kremlin, other)"
    )
