"""`crosscheck report` as a tester drives it: Ctrl-C, bad files in a folder, long runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosscheck.config.settings import Settings
from crosscheck.report import report

REPO = Path(__file__).parents[1]
CSTO = REPO / ".." / "shared" / "dev" / "csto_rewrites"
if not CSTO.is_dir():  # a worktree sits one level deeper than a clone beside shared/
    CSTO = Path("/work/shared/dev/csto_rewrites")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "src"))


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosscheck", *args], capture_output=True, text=True,
                          env=_env(), timeout=300, **kw)


def _words_only(**report_fields) -> Settings:
    return Settings().with_values({"match.semantic": "off", **{f"report.{k}": v for k, v in report_fields.items()}})


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _workers(pid: int) -> list[int]:
    """The forked workers of the report: children running crosscheck, not a helper a
    library starts while the report is still loading (``ldconfig`` and the like)."""
    def runs_crosscheck(child: int) -> bool:
        try:
            return "crosscheck" in Path(f"/proc/{child}/cmdline").read_text()
        except OSError:
            return False
    return [c for c in _children(pid) if runs_crosscheck(c)]


@pytest.mark.skipif(not Path("/proc/self/task").exists() or not CSTO.is_dir(),
                    reason="needs Linux /proc and the csto dev set")
def test_ctrl_c_during_a_multiprocess_report_prints_one_line_and_exits_130(tmp_path):
    for n in range(16):  # enough pairs that the workers are still busy when Ctrl-C comes, even on a loaded machine
        for f in sorted(CSTO.glob("*/*.txt")):
            shutil.copy(f, tmp_path / f"{n}_{f.name}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "crosscheck", "report", str(tmp_path), "--semantic", "off", "-q",
         "--workers", "2", "--format", "json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=_env(), start_new_session=True,
        # As from a terminal: Ctrl-C live. A process inherits an ignored SIGINT, and
        # Python then installs no KeyboardInterrupt; an earlier test in this pytest worker
        # may have left it ignored (the report then ran to its end: rc 0, nothing said).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not _workers(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _workers(proc.pid)
    assert workers, "the report never started its worker processes"
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the report hung after Ctrl-C")
    assert proc.returncode == 130, err
    assert err == "crosscheck: interrupted\n"
    assert not any(Path(f"/proc/{w}").exists() and "python" in Path(f"/proc/{w}/cmdline").read_text()
                   for w in workers), "a worker outlived the report"


def _folder_with_bad_files(tmp_path: Path, seeds_dir: Path) -> Path:
    for f in sorted(seeds_dir.glob("*.txt"))[:3]:
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "zz_binary.txt").write_bytes(b"\x00\x01\x02\x03 not text")
    (tmp_path / "records.jsonl").write_text(
        '{"id": "good", "text": "The minister spoke on Monday. He said the talks went well."}\n{broken\n',
        encoding="utf-8")
    return tmp_path


def test_skip_bad_names_each_skipped_file_with_why_and_counts_them(tmp_path, seeds_dir):
    folder = _folder_with_bad_files(tmp_path, seeds_dir)
    refused = _cli("report", str(folder), "--semantic", "off", "-q")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    done = _cli("report", str(folder), "--semantic", "off", "-q", "--skip-bad", "--format", "json")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"skipped: {folder / 'records.jsonl'}:2: malformed JSON") for line in lines)
    assert f"skipped: {folder / 'zz_binary.txt'}: not a text file (binary content)" in lines
    assert lines[-1] == "crosscheck report: skipped 2 bad file(s) or record(s), read 4 article(s)"
    data = json.loads(done.stdout)
    assert data["summary"]["articles"] == 4
    assert len(data["summary"]["skipped"]) == 2
    md = _cli("report", str(folder), "--semantic", "off", "-q", "--skip-bad").stdout
    assert "- skipped (could not be read): 2" in md and "zz_binary.txt: not a text file" in md


def test_a_clean_report_says_nothing_about_skipping(seeds_dir):
    result = report([seeds_dir], settings=_words_only(workers=1))
    assert result.skipped == ()
    assert "skipped" not in _cli("report", str(seeds_dir), "--semantic", "off", "-q", "--skip-bad").stdout


def test_every_stage_of_a_report_is_named_with_its_total(seeds_dir):
    seen: list[tuple[str, int, int]] = []
    report([seeds_dir], settings=_words_only(workers=1), progress=lambda *e: seen.append(e))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == ["reading files", "preparing articles", "finding candidate pairs", "comparing", "ranking"]
    files = len(list(seeds_dir.glob("*.txt")))
    reading = [e for e in seen if e[0] == "reading files"]
    assert all(total == files for _, _, total in reading) and reading[-1][1] == files
    preparing = [e for e in seen if e[0] == "preparing articles"]
    assert preparing[-1] == ("preparing articles", files, files)
    comparing = [e for e in seen if e[0] == "comparing"]
    assert all(total > 0 for _, _, total in comparing[1:]) and comparing[-1][1] == comparing[-1][2]
    assert seen[-1] == ("ranking", 1, 1)
