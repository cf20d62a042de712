"""How the TUI copes with a 20,000-word transcript: first paint, drawing, key latency.

    .venv/bin/python benchmarks/bench_tui.py [--words 20000]

The source is seed 001 repeated until it has the requested number of words; the
rewrite is seed 000 repeated three times. The comparison is computed once up front
(its cost is the matcher's, reported separately); the app is then timed headless.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from crosscheck.match.compare import compare
from crosscheck.model import Article
from crosscheck.tui.app import CrosscheckApp
from crosscheck.tui.panes import TextPane

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def big_article(key: str, words: int) -> Article:
    (path,) = SEEDS.glob(f"{key}_*.txt")
    text = path.read_text(encoding="utf-8")
    body = text
    while len(body.split()) < words:
        body += "\n\n" + text
    return Article(id=f"{key}x{len(body.split())}", text=body, title=f"seed {key}, repeated")


async def measure(source: Article, rewrite: Article, comparison) -> dict[str, float]:
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    app = CrosscheckApp(source, [rewrite], comparisons=[comparison])
    async with app.run_test(size=(160, 50)) as pilot:
        while not app.ready:
            await pilot.pause(0.01)
        await pilot.pause()
        out["first paint with comparison (s)"] = time.perf_counter() - t0
        for key in ("d", "n", "N", "o", "u", "down", "tab"):
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            out[f"key {key} (ms)"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        out["resize to 120x40 (ms)"] = (time.perf_counter() - t) * 1000
        pane = app.query_one("#source", TextPane)
        out["source lines laid out"] = float(len(pane._lines))
    return out


async def first_paint_while_computing(source: Article, rewrite: Article) -> float:
    """Time until the app is mounted with its loading state; the matcher starts in a
    worker only after that first refresh. (In a real terminal, measure with tmux:
    time until capture-pane shows "comparing".)"""
    t0 = time.perf_counter()
    app = CrosscheckApp(source, [rewrite])
    async with app.run_test(size=(160, 50)) as pilot:
        painted = time.perf_counter() - t0
        while not app.ready:
            await pilot.pause(0.05)
    return painted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=20000)
    args = parser.parse_args()
    source = big_article("001", args.words)
    rewrite = big_article("000", 3 * 800)
    t = time.perf_counter()
    comparison = compare(source, rewrite)
    print(f"source: {len(source.text.split())} words, {len(comparison.source.sentences)} sentences")
    print(f"rewrite: {len(rewrite.text.split())} words, {len(comparison.rewrite.sentences)} sentences")
    print(f"compare (matcher, not the TUI): {time.perf_counter() - t:.2f} s")
    for name, value in asyncio.run(measure(source, rewrite, comparison)).items():
        print(f"{name}: {value:.3g}")
    print(f"first paint while the worker computes (s): {asyncio.run(first_paint_while_computing(source, rewrite)):.3g}")


if __name__ == "__main__":
    main()
