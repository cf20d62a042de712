"""`crosscheck inspect` on one very large text file: time and peak memory.

Run: .venv/bin/python benchmarks/bench_large_file.py [MEGABYTES ...]   (default: 100 9.9)
Builds each file from the seeds repeated (real prose, so the cleaner and segmenter do
their usual work), runs `crosscheck inspect` on it in a child process, and prints the
wall time, the child's peak resident memory and its exit status. Over
``load.max_article_mb`` (10 MB) the file is refused before it is read.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def build(path: Path, megabytes: float) -> None:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))) + "\n\n"
    target = int(megabytes * 1_000_000)
    with path.open("w", encoding="utf-8") as f:
        written = 0
        while written + len(text.encode("utf-8")) <= target:
            f.write(text)
            written += len(text.encode("utf-8"))


_WRAPPER = """
import resource, subprocess, sys
code = subprocess.run([sys.executable, "-m", "crosscheck", "inspect", sys.argv[1]],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def measure(path: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MB of the crosscheck process, its exit status (each run
    in a wrapper of its own, so one run's peak never shows as another's)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, str(path)], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    peak_kb, code = (int(x) for x in done.stdout.split())
    return elapsed, peak_kb // 1024, code


def main(sizes: list[float]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sizes:
            path = Path(tmp) / f"big_{mb}.txt"
            build(path, mb)
            elapsed, peak, code = measure(path)
            print(f"inspect {path.stat().st_size / 1e6:7.1f} MB: {elapsed:7.1f} s, peak {peak:6d} MB, exit {code}")


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [9.9, 100.0])
