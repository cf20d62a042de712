"""Same input, same bytes out, whatever Python's hash seed.

Python salts str hashes per process, so iterating a set of words (or summing floats
over one) differs from run to run. Each run below is a fresh interpreter with its own
PYTHONHASHSEED doing what a user would: report, compare, dedup, and the TUI's list
(reading order and sorted by divergence). Their outputs must be identical bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
SEEDS = REPO / "seeds"
CSTO_EN = REPO / ".." / "shared" / "dev" / "csto_rewrites" / "en"
if not CSTO_EN.is_dir():  # a worktree sits deeper than a clone beside shared/
    CSTO_EN = Path("/work/shared/dev/csto_rewrites/en")

# Runs every command in one interpreter and prints each output, so one subprocess per seed.
_SCRIPT = r"""
import contextlib, io, sys
from pathlib import Path
from crosscheck.cli import main

folder = Path(sys.argv[1])
files = sorted(str(p) for p in folder.glob("*.txt"))
runs = [
    ["report", str(folder), "--semantic", "off", "-q", "--workers", "1", "--format", "json"],
    ["report", str(folder), "--semantic", "off", "-q", "--workers", "2", "--format", "md"],
    ["report", str(folder), "--semantic", "off", "-q", "--workers", "1", "--format", "html"],
    ["compare", files[1], files[0], "--semantic", "off", "--format", "json"],
    ["compare", files[0], *files[1:3], "--semantic", "off", "--format", "text"],
    ["dedup", str(folder), "--format", "json"],
]
for args in runs:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(args)
    print("$", *args[:1], "->", code)
    print(out.getvalue())

from crosscheck.config.settings import Settings
from crosscheck.match.compare import compare
from crosscheck.tui.view import by_divergence, filter_choices, items_of
s = Settings().with_values({"match.semantic": "off"})
c = compare(files[1], files[0], settings=s)
items = items_of(c)
print("tui", [(i.kind, i.index, i.divergence) for i in items])
print("tui sorted", [(i.kind, i.index) for i in by_divergence(items)])
print("tui filters", filter_choices(items))
"""


def _outputs(folder: Path, seed: int) -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), PYTHONHASHSEED=str(seed))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, str(folder)], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _check(folder: Path) -> None:
    first, second = _outputs(folder, 1), _outputs(folder, 2)
    assert "$ report -> 0" in first and "$ dedup -> 0" in first and "tui sorted" in first
    if first != second:
        a, b = first.splitlines(), second.splitlines()
        k = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        pytest.fail(f"hash seed 1 and 2 differ at output line {k}:\n{a[k:k + 1]}\n{b[k:k + 1]}")


def test_the_seeds_give_the_same_bytes_under_two_hash_seeds():
    _check(SEEDS)


@pytest.mark.skipif(not CSTO_EN.is_dir(), reason="the csto_rewrites dev set is not beside the repo")
def test_the_csto_rewrites_give_the_same_bytes_under_two_hash_seeds():
    _check(CSTO_EN)
