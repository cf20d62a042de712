"""Wire reruns wrapped in page furniture: can an editor trust the report's top 10?

Builds the reruns of ``wire_corpus.py`` in a temporary folder, runs ``report`` on it
without ``--source``, and checks the top of the ranking: no furniture, no sentence
identical on both sides, and the two real edits present.

    PYTHONPATH=src python benchmarks/bench_wire.py [--semantic auto|off] [--check]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wire_corpus import EDITS, FURNITURE_LINES, write  # noqa: E402

from crosscheck.config.settings import Settings  # noqa: E402
from crosscheck.match.words import words_of  # noqa: E402
from crosscheck.report import report  # noqa: E402

TOP = 10


def top_items(semantic: str = "auto") -> tuple[list[tuple[str, str]], object]:
    """(source text, rewrite text) of the top ranked passages, and the report."""
    base = Settings()
    settings = dataclasses.replace(base, match=dataclasses.replace(base.match, semantic=semantic))
    with tempfile.TemporaryDirectory() as tmp:
        result = report(write(Path(tmp)), settings=settings)
    items = []
    by_id = {c.source.id: c.source for c in result.comparisons} | {c.rewrite.id: c.rewrite for c in result.comparisons}
    for r in result.ranking[:TOP]:
        src, rw = by_id[r.source_id], by_id[r.rewrite_id]
        items.append((
            " ".join(src.sentences[k].text for k in r.alignment.source_sentences),
            " ".join(rw.sentences[k].text for k in r.alignment.rewrite_sentences),
        ))
    return items, result


def problems(items: list[tuple[str, str]]) -> list[str]:
    out = []
    for source, rewrite in items:
        if any(line in source or line in rewrite for line in FURNITURE_LINES):
            out.append(f"furniture ranked: {rewrite[:70]}")
        if words_of(source).folded == words_of(rewrite).folded:
            out.append(f"identical sentence ranked: {rewrite[:70]}")
    edits = [new for _, new in EDITS.values()]
    for new in edits:
        if not any(new in rewrite for _, rewrite in items):
            out.append(f"real edit missing from the top {TOP}: {new}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semantic", default="auto", choices=("auto", "on", "off"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    items, result = top_items(args.semantic)
    print(f"pairs compared: {len(result.comparisons)}; ranked: {len(result.ranking)}")
    for source, rewrite in items:
        print(f"  - {rewrite[:100]}")
    found = problems(items)
    for p in found:
        print("PROBLEM", p)
    return 1 if (found and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
