"""How fast compare runs: one 2,000-word source against 100 rewrites of it.

Target (matcher issue): under 3 s on 2 cores without the semantic extra. Also reports
the pair-scoring rate beside a plain difflib all-pairs baseline.

    .venv/bin/python benchmarks/bench_compare.py [--rewrites 100] [--semantic]
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import rewrite_of, sentences_of, source_text  # noqa: E402

from crosscheck.match.compare import Matcher  # noqa: E402
from crosscheck.config import Settings  # noqa: E402
from crosscheck.model import Article  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rewrites", type=int, default=100)
    parser.add_argument("--semantic", action="store_true")
    args = parser.parse_args()
    settings = Settings()
    settings = settings.with_values({"match.semantic": "on" if args.semantic else "off"})
    rng = random.Random(1)
    source = source_text(2000)
    rewrites = [Article(id=f"r{i}", text=rewrite_of(source, rng)) for i in range(args.rewrites)]
    words = sum(len(r.text.split()) for r in rewrites)

    start = time.perf_counter()
    matcher = Matcher(Article(id="source", text=source), settings)
    comparisons = matcher.compare_all(rewrites)
    elapsed = time.perf_counter() - start
    n_src = len(matcher.source.sentences)
    pairs = sum(n_src * len(c.rewrite.sentences) for c in comparisons)
    links = sum(len(c.alignments) for c in comparisons)

    # Baseline: difflib ratio over every sentence pair of one rewrite, extrapolated.
    src_sents = sentences_of(source)
    rw_sents = sentences_of(rewrites[0].text)
    t0 = time.perf_counter()
    for a in rw_sents:
        for b in src_sents:
            difflib.SequenceMatcher(None, a, b).ratio()
    difflib_rate = len(rw_sents) * len(src_sents) / (time.perf_counter() - t0)

    print(f"source: {len(source.split())} words, {n_src} sentences; {len(rewrites)} rewrites, {words} words")
    print(f"mode: {'semantic' if matcher.embedder is not None else 'lexical'}")
    print(f"compare, end to end: {elapsed:.2f} s ({elapsed / len(rewrites) * 1000:.1f} ms per rewrite), {links} links")
    print(f"pair scoring: {pairs / elapsed:,.0f} sentence pairs/s end to end; difflib ratio baseline: {difflib_rate:,.0f} pairs/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
