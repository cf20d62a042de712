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
    parser.add_argument("--no-nlp", action="store_true", help="words from the regex tokenizer, as without the nlp extra")
    parser.add_argument("--stages", action="store_true", help="profile in one process and print the cost of each stage")
    args = parser.parse_args()
    if args.no_nlp:
        from crosscheck.text import nlp

        nlp.use_fallback(True)
    settings = Settings()
    settings = settings.with_values({"match.semantic": "on" if args.semantic else "off"})
    rng = random.Random(1)
    source = source_text(2000)
    rewrites = [Article(id=f"r{i}", text=rewrite_of(source, rng)) for i in range(args.rewrites)]
    words = sum(len(r.text.split()) for r in rewrites)

    start = time.perf_counter()
    matcher = Matcher(Article(id="source", text=source), settings)
    if args.stages:
        comparisons, stages = _profiled(matcher, rewrites)
    else:
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
    if args.stages:
        print("stages (one process, cumulative seconds): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    return 0


STAGES = {
    "prepare": ("prepare.py", "prepare"),
    "features": ("align.py", "features"),
    "align": ("align.py", "align"),
    "quotes": ("quotecheck.py", "check_quotes"),
    "verdict": ("verdict.py", "decide"),
    "nlp": ("nlp.py", "analyse"),
    "word alignment": ("wordalign.py", "align_words"),
}


def _profiled(matcher, rewrites):
    """Compare in this process under cProfile; the cumulative time of each stage's function."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    comparisons = [matcher.compare(r) for r in rewrites]
    profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out = {}
    for name, (file, func) in STAGES.items():
        out[name] = sum(v[3] for (f, _line, fn), v in stats.items() if f.endswith(file) and fn == func)
    return comparisons, out


if __name__ == "__main__":
    sys.exit(main())
