"""crosscheck.score on the public pair benchmarks: STS-B (Spearman) and MSRP (accuracy).

Reads ../shared/bench (or --bench DIR). Reports, for words alone and with the
semantic extra: STS-B dev and train Spearman of the similarity, and MSRP train
accuracy at the best threshold of (a) the similarity and (b) the similarity with the
typed divergence checks folded in (a changed negation or number lowers the score).
The anchor, rapidfuzz's ``token_sort_ratio``, is scored in the same process on the
same pairs with the same best-threshold procedure, so the two figures compare like
for like (both thresholds are chosen on the split they are scored on).

    .venv/bin/python benchmarks/bench_pairs.py [--bench ../shared/bench] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import figure  # noqa: E402

from crosscheck.config import Settings
from crosscheck.match.score import score

ROOT = Path(__file__).resolve().parent.parent
FLIPS = {"negation_changed", "number_changed"}


def read_sts(path: Path) -> list[tuple[str, str, float]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7:
                rows.append((parts[5], parts[6], float(parts[4])))
    return rows


def read_msrp(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    with path.open(encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for parts in reader:
            if len(parts) == 5 and parts[0] in ("0", "1"):
                rows.append((parts[3], parts[4], int(parts[0])))
    return rows


def ranks(values: np.ndarray) -> np.ndarray:
    order = values.argsort(kind="mergesort")
    r = np.empty(len(values), dtype=np.float64)
    sorted_vals = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        r[order[i : j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def best_accuracy(values: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    best = (0.0, 0.0)
    for t in np.unique(np.round(values, 3)):
        acc = float(((values >= t) == (labels == 1)).mean())
        if acc > best[0]:
            best = (acc, float(t))
    return best


class Lookup:
    """An embedder that answers from vectors computed once in a batch."""

    def __init__(self, embedder, texts: list[str]) -> None:
        unique = list(dict.fromkeys(texts))
        vectors = embedder.embed(unique)
        self.table = dict(zip(unique, vectors))

    def embed(self, texts):
        return np.stack([self.table[t] for t in texts])


def measure(pairs, settings: Settings, embedder) -> tuple[np.ndarray, np.ndarray]:
    sims = np.zeros(len(pairs))
    adjusted = np.zeros(len(pairs))
    for i, (a, b, _) in enumerate(pairs):
        s = score(a, b, settings, embedder=embedder)
        sims[i] = s.similarity
        # A changed "not" or number is the typed change MSRP's annotators weigh.
        flips = {d.type for d in s.types} & FLIPS
        adjusted[i] = s.similarity - 0.1 * len(flips)
    return sims, adjusted


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"))
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pairs of each split")
    args = parser.parse_args()
    bench = Path(args.bench)
    if not (bench / "sts-dev.csv").is_file():
        print(f"bench_pairs: skipped, no pair benchmarks in {bench} (give --bench DIR)", file=sys.stderr)
        return 0
    splits = {
        "STS-B dev": read_sts(bench / "sts-dev.csv"),
        "STS-B train": read_sts(bench / "sts-train.csv"),
        "MSRP train": read_msrp(bench / "msr_paraphrase_train.txt"),
    }
    if args.limit:
        splits = {k: v[: args.limit] for k, v in splits.items()}
    modes = [("lexical", None)]
    try:
        from crosscheck.semantic import load_embedder

        embedder = load_embedder(required=False)
        if embedder is not None:
            modes.append(("semantic", embedder))
    except ImportError:
        pass
    settings = Settings()
    for name, pairs in splits.items():
        gold = np.array([g for _, _, g in pairs], dtype=float)
        anchor = np.array([fuzz.token_sort_ratio(a, b) / 100 for a, b, _ in pairs])
        where = {"split": name, "pairs": len(pairs), "scorer": "rapidfuzz token_sort_ratio"}
        if name.startswith("STS"):
            figure(f"{name} Spearman, anchor", round(spearman(anchor, gold), 3), **where)
        else:
            acc, t = best_accuracy(anchor, gold)
            figure(f"{name} accuracy, anchor", round(acc, 3), threshold=round(t, 2), **where)
    for mode, embedder in modes:
        for name, pairs in splits.items():
            emb = Lookup(embedder, [t for a, b, _ in pairs for t in (a, b)]) if embedder else None
            start = time.perf_counter()
            sims, adjusted = measure(pairs, settings, emb)
            rate = len(pairs) / (time.perf_counter() - start)
            gold = np.array([g for _, _, g in pairs], dtype=float)
            where = {"split": name, "pairs": len(pairs), "mode": mode, "scorer": "crosscheck.score similarity"}
            if name.startswith("STS"):
                figure(f"{name} Spearman", round(spearman(sims, gold), 3), **where)
            else:
                acc, t = best_accuracy(sims, gold)
                acc2, t2 = best_accuracy(adjusted, gold)
                figure(f"{name} accuracy", round(acc, 3), threshold=round(t, 2), **where)
                figure(f"{name} accuracy, typed checks -0.1 each", round(acc2, 3), threshold=round(t2, 2), **where)
            figure(f"{name} scoring rate", round(rate), "pairs/s", **where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
