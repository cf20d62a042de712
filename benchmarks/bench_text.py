"""How fast the text-in stages are: normalize, segment, find quotes.

Run: .venv/bin/python benchmarks/bench_text.py [ROUNDS]
Prints per-article and per-sentence figures on the seeds (repeated ROUNDS times),
the numbers quoted in the README for the cost of preparing thousands of articles.
The anchor is pysbd alone (the rule-based segmenter crosscheck's segment builds on),
run in this process on the same articles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import figure  # noqa: E402

from crosscheck.config import Settings  # noqa: E402
from crosscheck.text.normalize import normalize, normalize_text
from crosscheck.text.quotes import find_quotes
from crosscheck.text.segment import segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def timed(label: str, count: int, unit: str, run, **where) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    figure(f"{label}, per {unit}", round(elapsed / count * 1e6, 1), "us", **where)


def main(rounds: int = 50) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    segment(texts[0])  # load pysbd once, as a long run would
    articles = texts * rounds
    chars = sum(map(len, articles))
    print(f"{len(articles)} articles, {chars:,} characters")
    where = {"articles": len(articles), "chars_per_article": chars // len(articles),
             "segment.max_sentence_chars": Settings().segment.max_sentence_chars}
    timed("segment", len(articles), "article", lambda: [segment(t) for t in articles], **where)
    import pysbd

    splitter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    timed("anchor: pysbd alone", len(articles), "article",
          lambda: [splitter.segment(line) for t in articles for line in t.splitlines() if line.strip()],
          articles=len(articles), chars_per_article=chars // len(articles), segmenter="pysbd en, per line")
    documents = [(t, segment(t)) for t in texts]
    sentences = [s.text for _, ss in documents for s in ss] * rounds
    timed("normalize_text", len(sentences), "sentence", lambda: [normalize_text(s) for s in sentences],
          sentences=len(sentences))
    timed("normalize", len(articles), "article", lambda: [normalize(t) for t in articles], **where)
    timed("find_quotes", len(articles), "article",
          lambda: [find_quotes(t, ss) for _ in range(rounds) for t, ss in documents], **where)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
