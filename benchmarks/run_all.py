"""Run every benchmark (``benchmarks/bench_*.py``) and print one table of their figures.

Each script runs in its own process with its default arguments and this checkout's
``src`` first on the path. Figures come from :func:`figures.figure`, so every row
carries the settings it was measured with; a script that states none is listed with
its exit status and time. The exit status is 1 if any script failed.

    .venv/bin/python benchmarks/run_all.py [--only NAME ...] [--timeout SECONDS]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

sys.path.insert(0, str(HERE))
from figures import FIGURES_ENV, _shown  # noqa: E402


def discover(only: list[str]) -> list[Path]:
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {name.removesuffix(".py") for name in only}
        unknown = wanted - {s.stem for s in scripts}
        if unknown:
            raise SystemExit(f"run_all: no benchmark named {', '.join(sorted(unknown))}")
        scripts = [s for s in scripts if s.stem in wanted]
    return scripts


def run_one(script: Path, timeout: float) -> tuple[int | str, float, list[dict], str]:
    """(exit status or "timeout", seconds, figures, last stderr line) of one script."""
    with tempfile.TemporaryDirectory() as folder:
        figures_file = Path(folder) / "figures.jsonl"
        env = {**os.environ, FIGURES_ENV: str(figures_file),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, timeout=timeout,
                                  stdout=2, stderr=subprocess.PIPE, text=True)  # its lines to our stderr, live
            status: int | str = done.returncode
            err = done.stderr
        except subprocess.TimeoutExpired as exc:
            status = "timeout"
            err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        elapsed = time.perf_counter() - start
        sys.stderr.write(err)
        records = []
        if figures_file.exists():
            records = [json.loads(line) for line in figures_file.read_text(encoding="utf-8").splitlines() if line]
        last = next((line for line in reversed(err.splitlines()) if line.strip()), "")
        return status, elapsed, records, last


def table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("benchmark", "figure", "value", "settings")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(head[:3], widths)) + " | " + head[3]]
    lines.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 8)
    lines += [" | ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + " | " + r[3] for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME", help="run only these (bench_compare ...)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark (default 1800)")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str]] = []
    failed = False
    for script in discover(args.only):
        print(f"== {script.name}", file=sys.stderr, flush=True)
        status, elapsed, records, last = run_one(script, args.timeout)
        for r in records:
            value = f"{_shown(r['value'])} {r['unit']}".rstrip()
            settings = ", ".join(f"{k}={v}" for k, v in sorted(r["settings"].items()))
            rows.append((script.stem, r["what"], value, settings))
        if status != 0:
            failed = True
            rows.append((script.stem, "FAILED", f"exit {status} after {elapsed:.0f} s", last[:120]))
        elif not records:
            rows.append((script.stem, "(states no figures)", f"ran in {elapsed:.1f} s", "see its own output"))
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
