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
from crosscheck.config import load_settings
from crosscheck.errors import InputError, OutputError
from crosscheck.text.files import write_atomic
from crosscheck.text.load import load, load_articles

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


# ----------------------------------------------------------------- 5: Markdown


MARKDOWN_STORY = """# CSTO summit in Moscow

*By staff*

President Putin met the leaders of the CSTO in Moscow on Monday. He said Russia had no problems with Finland.

## Security

> Russia has no problems with these states.

- The organisation plays a stabilising role.
"""


def test_markdown_markup_stays_out_of_sentences_and_the_heading_is_the_title(tmp_path):
    from crosscheck.text.prepare import prepare

    path = tmp_path / "story.md"
    path.write_text(MARKDOWN_STORY, encoding="utf-8")
    doc = prepare(load(path))
    assert doc.article.title == "CSTO summit in Moscow"
    texts = [s.text for s in doc.sentences]
    assert texts == [
        "CSTO summit in Moscow",
        "President Putin met the leaders of the CSTO in Moscow on Monday.",
        "He said Russia had no problems with Finland.",
        "Security",
        "Russia has no problems with these states.",
        "The organisation plays a stabilising role.",
    ]
    assert all(doc.article.text[s.span.start:s.span.end] == s.text for s in doc.sentences)
    assert "*By staff*" in [b.text for b in doc.boilerplate]


def test_the_same_text_as_txt_keeps_its_characters(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(MARKDOWN_STORY, encoding="utf-8")
    assert load(path).title is None  # '#' is only markup in a Markdown file


# ----------------------------------------------------------------- 6: WARC


def _warc(path: Path, pages: list[tuple[str, str, bytes]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for uri, kind, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers))


PAGE = (b"<html><head><title>CSTO summit</title></head><body><nav><a href='/'>Home</a></nav><article>"
        b"<p>President Putin met the leaders of the Collective Security Treaty Organisation in Moscow.</p>"
        b"<p>He said Russia had no problems with Finland or Sweden joining the alliance.</p></article></body></html>")


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_warc_file_is_read_as_its_pages_not_as_prose(tmp_path, capsys, name):
    pytest.importorskip("warcio")
    pytest.importorskip("trafilatura")
    path = tmp_path / name
    _warc(path, [("https://example.org/a", "text/html; charset=utf-8", PAGE),
                 ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
                 ("https://example.org/b.txt", "text/plain", b"The CSTO leaders met in Moscow on Monday morning.")])
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "WARC/1" not in out and "WARC-Target-URI" not in out
    assert "He said Russia had no problems with Finland" in out and "Home" not in out
    articles = load_articles([path])
    assert [(a.id, a.url, a.title) for a in articles] == [
        ("crawl:2", "https://example.org/a", "CSTO summit"), ("crawl:4", "https://example.org/b.txt", None)]
    picked = load(f"{path}#crawl:4")
    assert picked.url == "https://example.org/b.txt" and picked.text.startswith("The CSTO leaders")


def test_a_warc_without_the_extra_says_what_to_install(capsys, tmp_path, monkeypatch):
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n\r\n")
    monkeypatch.setitem(sys.modules, "warcio", None)
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    assert fails_with(capsys, ["inspect", str(path)]) == (
        f"{path}: reading WARC needs the 'warc' extra: pip install 'crosscheck[warc]'"
    )


# ----------------------------------------------------------------- 7, 8: HTML


PROSE = ("President Putin met the leaders of the Collective Security Treaty Organisation in Moscow on Monday. "
         "He said Russia had no problems with Finland or Sweden joining the alliance.")


@pytest.mark.parametrize("page", [
    PROSE,  # a text saved as .html
    f"<?xml version='1.0'?><doc><para>{PROSE}</para></doc>",
    f"<html><body><div id='comments'><p>{PROSE}</p></div></body></html>",
])
def test_broken_html_with_real_prose_falls_back_to_the_text_of_the_page(tmp_path, page):
    pytest.importorskip("trafilatura")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert load(path).text == PROSE


def test_a_missing_html_extra_names_the_file(capsys, tmp_path, monkeypatch):
    path = tmp_path / "page.html"
    path.write_text(f"<p>{PROSE}</p>", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    assert fails_with(capsys, ["inspect", str(path)]) == (
        f"{path}: reading HTML needs the 'html' extra: pip install 'crosscheck[html]'"
    )


# ----------------------------------------------------------------- 1: what a bare install needs


def _module_level_imports(path: Path) -> set[str]:
    """Top-level names imported when the module is imported (lazy imports in functions aside)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_module_level_import_is_a_declared_dependency():
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower().replace("_", "-") for d in project["dependencies"]}
    providers = importlib.metadata.packages_distributions()
    missing = {}
    for path in sorted((SRC / "crosscheck").rglob("*.py")):
        for name in _module_level_imports(path):
            if name in sys.stdlib_module_names or name in ("crosscheck", "__future__"):
                continue
            dists = {d.lower().replace("_", "-") for d in providers.get(name, [name])}
            if not dists & declared:
                missing.setdefault(name, []).append(str(path.relative_to(SRC)))
    assert missing == {}


# ----------------------------------------------------------------- 18: wording of the output


def test_the_omitted_header_never_shows_more_than_there_are():
    import crosscheck
    from crosscheck.report.comparison_text import render_text

    source = ("Putin met the CSTO leaders in Moscow on Monday. He said Russia had no problems with Finland. "
              "The weather in Moscow was warm and sunny all afternoon.")
    rewrite = "Putin met the CSTO leaders in Moscow on Monday. He said Russia had no problems with Finland."
    comparison = crosscheck.compare(source, rewrite)
    assert len(comparison.omitted) == 1
    header = [line for line in render_text(comparison).splitlines() if line.startswith("omitted (")]
    assert header == ["omitted (source sentences the rewrite leaves out, most central first; 1 of 1):"]


def test_every_command_says_skipped_the_same_way(capsys, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "text": "Putin spoke in Moscow on Monday."}\n{oops\n', encoding="utf-8")
    lines = {}
    for command in ("inspect", "dedup"):
        assert main([command, str(feed), "--skip-bad", "--format", "json"]) == 0
        lines[command] = [line for line in capsys.readouterr().err.splitlines() if feed.name in line]
    assert lines["inspect"] == lines["dedup"]
    assert lines["inspect"][0].startswith(f"skipped: {feed}:2: malformed JSON")


def test_an_option_conflict_of_dedup_is_prefixed_like_its_usage_errors(capsys, tmp_path, seed_path):
    line = fails_with(capsys, ["dedup", str(seed_path("001")), "--mode", "story", "--index", str(tmp_path / "i.db")])
    assert line.startswith("crosscheck dedup: --index ")


# ----------------------------------------------------------------- 2, 24: make bench


BENCHMARKS = SRC.parent / "benchmarks"


def test_make_bench_runs_a_script_that_exists():
    makefile = (SRC.parent / "Makefile").read_text(encoding="utf-8")
    (bench_line,) = [line for line in makefile.splitlines() if "benchmarks/" in line]
    script = bench_line.split("benchmarks/")[1].split()[0]
    assert (BENCHMARKS / script).is_file()


def test_run_all_tables_every_figure_with_its_settings_and_flags_a_failure(tmp_path, monkeypatch):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import figures
        import run_all
    finally:
        sys.path.remove(str(BENCHMARKS))
    with pytest.raises(ValueError, match="needs the settings"):
        figures.figure("speed", 1.0, "s")
    good = tmp_path / "bench_good.py"
    good.write_text(f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r})\nfrom figures import figure\n"
                    "figure('compare, end to end', 2.47, 's', rewrites=100, mode='words only')\n", encoding="utf-8")
    bad = tmp_path / "bench_bad.py"
    bad.write_text("raise SystemExit('no data here')\n", encoding="utf-8")
    monkeypatch.setattr(run_all, "discover", lambda only: [bad, good])
    status = run_all.main([])
    assert status == 1


def test_run_all_output_has_the_settings_next_to_the_figure(tmp_path, capsys):
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import run_all
    finally:
        sys.path.remove(str(BENCHMARKS))
    good = tmp_path / "bench_good.py"
    good.write_text(f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r})\nfrom figures import figure\n"
                    "figure('compare, end to end', 2.47, 's', rewrites=100, mode='words only')\n", encoding="utf-8")
    status, _, records, _ = run_all.run_one(good, timeout=60)
    assert status == 0 and records == [{"what": "compare, end to end", "value": 2.47, "unit": "s",
                                        "settings": {"mode": "words only", "rewrites": 100}}]
    rows = [("bench_good", "compare, end to end", "2.470 s", "mode=words only, rewrites=100")]
    assert run_all.table(rows).splitlines()[-1].split(" | ") == list(rows[0])
    assert sorted(p.stem for p in run_all.discover([])) == sorted(p.stem for p in BENCHMARKS.glob("bench_*.py"))
