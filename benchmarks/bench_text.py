"""How fast the text-in stages are: normalize, segment, find quotes.

Run: .venv/bin/python benchmarks/bench_text.py [ROUNDS]
Prints per-article and per-sentence figures on the seeds (repeated ROUNDS times),
the numbers quoted in the README for the cost of preparing thousands of articles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crosscheck.text.normalize import normalize, normalize_text
from crosscheck.text.quotes import find_quotes
from crosscheck.text.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def timed(label: str, count: int, unit: str, run) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"{label:<16} {elapsed / count * 1e6:10.1f} us/{unit}   ({count / elapsed:,.0f} {unit}s/s)")


def main(rounds: int = 50) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    segment(texts[0])  # load pysbd once, as a long run would
    articles = texts * rounds
    chars = sum(map(len, articles))
    print(f"{len(articles)} articles, {chars:,} characters")
    timed("segment", len(articles), "article", lambda: [segment(t) for t in articles])
    documents = [(t, segment(t)) for t in texts]
    sentences = [s.text for _, ss in documents for s in ss] * rounds
    timed("normalize_text", len(sentences), "sentence", lambda: [normalize_text(s) for s in sentences])
    timed("normalize", len(articles), "article", lambda: [normalize(t) for t in articles])
    timed("find_quotes", len(articles), "article",
          lambda: [find_quotes(t, ss) for _ in range(rounds) for t, ss in documents])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
