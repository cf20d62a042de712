"""Verbatim and paraphrased reuse planted in long unrelated documents: link precision
and recall of ``compare`` (see ``reuse_corpus.py`` for how the corpus is built).

An alignment is right when it joins a planted sentence to the source sentence it
copies; precision is over all alignments, recall over the planted sentences.

    PYTHONPATH=src python benchmarks/bench_reuse.py [--cases 40] [--semantic auto|off] [--check]

``--check`` exits 1 when precision or recall is under 0.85 (the issue 14 floor).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuse_corpus import MSRP, as_document, build  # noqa: E402

from crosscheck.config.settings import Settings  # noqa: E402
from crosscheck.match.compare import Matcher  # noqa: E402

FLOOR = 0.85


def run(cases: int, semantic: str) -> dict[str, float]:
    base = Settings()
    settings = dataclasses.replace(base, match=dataclasses.replace(base.match, semantic=semantic))
    made = right = found = planted = 0
    start = time.perf_counter()
    for case in build(cases=cases):
        comparison = Matcher(as_document(case.source), settings).compare(as_document(case.suspicious))
        src_para = [s.paragraph for s in comparison.source.sentences]
        rw_para = [s.paragraph for s in comparison.rewrite.sentences]
        hit = set()
        for a in comparison.alignments:
            made += 1
            pairs = {(rw_para[i], src_para[j]) for i in a.rewrite_sentences for j in a.source_sentences}
            if pairs & case.gold:
                right += 1
                hit |= pairs & case.gold
        found += len(hit)
        planted += len(case.gold)
    return {
        "precision": round(right / max(1, made), 3),
        "recall": round(found / max(1, planted), 3),
        "alignments": made,
        "planted": planted,
        "seconds_per_case": round((time.perf_counter() - start) / max(1, cases), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--semantic", default="auto", choices=("auto", "on", "off"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if not MSRP.exists():
        print(f"{MSRP}: not found (the shared bench data stands beside the repository); skipped")
        return 0
    figures = run(args.cases, args.semantic)
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    if args.check and (figures["precision"] < FLOOR or figures["recall"] < FLOOR):
        print(f"below the floor {FLOOR}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
