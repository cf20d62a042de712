"""Sentence-embedding throughput: cold (every sentence through the model) and cached.

Sentences are news sentences of 15-40 words (about 22 on average): the seed articles'
sentences, then the news genre of STS-B dev. The cold run uses no cache; the cached
run embeds the same sentences a second time through a cache filled by a first pass.
Everything runs in this one process: numpy's BLAS with its default threads (set
OPENBLAS_NUM_THREADS before starting to change that), onnxruntime on one thread, as
each worker runs it. Both engines are measured in turn unless ``--engine`` names one.

    .venv/bin/python benchmarks/bench_embed.py [--sentences 500] [--repeat 3] [--engine both] [--bench ../shared/bench]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_WORDS, MAX_WORDS = 15, 40


def news_sentences(bench: Path, limit: int) -> list[str]:
    """Distinct news sentences of roughly 25 words, seeds first."""
    found: dict[str, None] = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\n", " ")
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                found[sentence] = None
    sts = bench / "sts-dev.csv"
    if sts.is_file():
        with sts.open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 7 and parts[0].startswith("main-news"):
                    for sentence in parts[5:7]:
                        if MIN_WORDS <= len(sentence.split()) <= MAX_WORDS:
                            found[sentence] = None
    sentences = list(found)
    # Fewer distinct sentences than asked for: cycle with a suffix so each is still new text.
    out = sentences[:limit]
    round_ = 1
    while len(out) < limit and sentences:
        out += [f"{s} ({round_})" for s in sentences[: limit - len(out)]]
        round_ += 1
    return out


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode")
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--engine", choices=("both", "auto", "numpy", "onnxruntime"), default="both")
    args = parser.parse_args(argv)

    from crosscheck.semantic import Embedder, engine_for, load_embedder
    from crosscheck.semantic.cache import EmbeddingCache

    engines = ["numpy", engine_for("auto")] if args.engine == "both" else [engine_for(args.engine)]
    for engine in dict.fromkeys(engines):
        start = time.perf_counter()
        embedder = load_embedder(use_cache=False, engine=engine)
        load_s = time.perf_counter() - start
        if embedder is None:
            print("semantic extra or model package not installed; nothing to measure", file=sys.stderr)
            return 1
        model = embedder.model
        texts = news_sentences(args.bench, args.sentences)
        words = statistics.mean(len(t.split()) for t in texts)
        tokens = statistics.mean(len(ids) for ids in model.tokenize(texts))
        model.encode(texts[:16])  # warm up BLAS threads or the session, and page in the weights
        model.model_id  # the cache key's file fingerprint is read once per process; keep it out of the timings

        rows: list[tuple[str, list[float]]] = []
        rows.append(("cold, no cache", [timed(lambda: embedder.embed(texts)) for _ in range(args.repeat)]))
        with tempfile.TemporaryDirectory() as folder:
            fill: list[float] = []
            hits: list[float] = []
            for _ in range(args.repeat):
                with EmbeddingCache(Path(folder) / f"run{len(fill)}", model.dim) as cache:
                    cached = Embedder(model, cache)
                    fill.append(timed(lambda: cached.embed(texts)))
                    hits.append(timed(lambda: cached.embed(texts)))
                    assert cached.stats.computed == len(set(texts)), cached.stats
            rows.append(("cold, filling cache", fill))
            rows.append(("cached", hits))

        print(f"engine {engine}: {len(texts)} sentences, {words:.1f} words / {tokens:.1f} tokens on average; "
              f"{os.cpu_count()} CPUs, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
              f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}; model load {load_s:.2f} s")
        # Best of the runs is the machine's speed; the median shows how much others' load moved it.
        print(f"{'mode':<22}{'best s':>9}{'sentences/s':>13}{'median s':>10}{'sentences/s':>13}")
        for name, runs in rows:
            best, median = min(runs), statistics.median(runs)
            print(f"{name:<22}{best:>9.3f}{len(texts) / best:>13.0f}{median:>10.3f}{len(texts) / median:>13.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
