"""A 100 MB text file is not an article: refused at once, in one line, before reading.

Before this limit, `crosscheck inspect` on 100 MB of news text ran for minutes and
grew past a gigabyte (issue 11, item 21; benchmarks/large_file.md has the figures).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).parents[1]


def _big_text(path: Path, seeds_dir: Path, megabytes: float) -> Path:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    with path.open("w", encoding="utf-8") as f:
        for _ in range(int(megabytes * 1_000_000 / len(text.encode("utf-8"))) + 1):
            f.write(text + "\n\n")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crosscheck", *args], capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}, timeout=300)


def test_inspect_refuses_a_file_over_the_article_limit_in_one_line_without_reading_it(tmp_path, seeds_dir):
    big = _big_text(tmp_path / "big.txt", seeds_dir, 11)
    started = time.monotonic()
    done = _cli("inspect", str(big))
    assert done.returncode == 2
    assert done.stderr == (f"{big}: is 11 MB, over load.max_article_mb (10 MB) for one article; "
                           "split it, or raise the limit in a config file\n")
    assert done.stdout == ""
    assert time.monotonic() - started < 60  # refused, not read (reading took minutes)


def test_the_limit_is_a_setting_and_a_folder_run_can_skip_the_big_file(tmp_path, seeds_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    _big_text(folder / "big.txt", seeds_dir, 0.3)
    (folder / "small.txt").write_text((seeds_dir / next(p.name for p in sorted(seeds_dir.glob("*.txt")))).read_text(
        encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("load:\n  max_article_mb: 0.2\n  skip_bad: true\n", encoding="utf-8")
    done = _cli("inspect", str(folder), "--config", str(config), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert f"{folder / 'big.txt'}: is 0.3 MB, over load.max_article_mb (0.2 MB)" in done.stderr
    assert '"id": "small"' in done.stdout and '"id": "big"' not in done.stdout


def test_a_file_under_the_limit_is_read_in_time_linear_in_its_quotes(tmp_path, seeds_dir):
    # 1 MB of news prose holds thousands of quotes; matching each against every sentence and
    # mention (as before) took ~2 minutes, bisection takes ~3 s.
    big = _big_text(tmp_path / "one_mb.txt", seeds_dir, 1)
    started = time.monotonic()
    done = _cli("inspect", str(big), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count('"speaker"') > 1000
    assert time.monotonic() - started < 60
