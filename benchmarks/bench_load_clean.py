"""How fast articles are read and cleaned, and that reading a big JSONL streams.

Writes a JSONL corpus of N articles (the five seeds, repeated, each with its own id)
to a temporary folder, then times iter_articles alone and iter_articles followed by
find_boilerplate, and reports the peak memory Python allocated while streaming
(tracemalloc): it should stay near one article, not grow with the file.

    .venv/bin/python benchmarks/bench_load_clean.py [--articles 20000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from pathlib import Path

from crosscheck.text.clean import find_boilerplate, repeated_lines
from crosscheck.config import Settings
from crosscheck.text.load import iter_articles, load_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write_corpus(path: Path, count: int) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"id": f"a{i}", "outlet": "seed", "text": texts[i % len(texts)]}) + "\n")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    args = parser.parse_args()
    settings = Settings()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        size = write_corpus(corpus, args.articles)
        print(f"{args.articles:,} articles, {size / 1e6:.1f} MB of JSONL")

        start = time.perf_counter()
        tracemalloc.start()
        count = sum(1 for _ in iter_articles([corpus], settings))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        elapsed = time.perf_counter() - start
        print(f"load (streamed)   {count / elapsed:10,.0f} articles/s   peak {peak / 1e6:.1f} MB (traced, slower)")

        start = time.perf_counter()
        removed = 0
        for article in iter_articles([corpus], settings):
            removed += len(find_boilerplate(article, settings.clean))
        elapsed = time.perf_counter() - start
        print(f"load + clean      {count / elapsed:10,.0f} articles/s   ({removed:,} spans removed)")

        articles = load_articles([SEEDS]) * 200
        start = time.perf_counter()
        repeated_lines(articles, settings.clean.repeated_line_min_articles)
        elapsed = time.perf_counter() - start
        print(f"repeated_lines    {len(articles) / elapsed:10,.0f} articles/s")


if __name__ == "__main__":
    main()
