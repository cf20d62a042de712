"""Near-duplicate benchmark: a synthetic corpus with planted copies, side by side with datasketch.

    .venv/bin/python benchmarks/bench_dedup.py --articles 100000 --workers 2

Writes a JSONL corpus of ``--articles`` articles of ``--words`` Zipf-distributed words
(a 30,000-word vocabulary) to a temporary folder; ``--dup-rate`` of them get a planted
copy: an edited copy (0.5-4% of words replaced), an excerpt (the middle half), or a
re-wrapped reprint with boilerplate lines around it. Then, in one run:

1. signatures/s: datasketch ``MinHash.update_batch`` vs crosscheck (sha1: identical
   signatures; fast: word-hash shingles), single process, same texts;
2. end to end: ``crosscheck.dedup`` on the JSONL file (read, clean, sketch, LSH,
   verify, cluster), its wall time and peak memory (this process and its workers);
3. precision and recall of the planted pairs: recall over planted pairs whose exact
   Jaccard is at least the threshold (or that are excerpts), precision over all
   reported pairs (a reported pair is right if it is planted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from crosscheck.config import Settings
from crosscheck.dedup import dedup
from crosscheck.minhash import permutations, signatures
from crosscheck.shingle import keys_batch, shingle_text, unique_sets

BOILER_TOP = "Subscribe to our newsletter\nAdvertisement\n"
BOILER_END = "\nRead more:\nMarkets close higher on Friday\nTags: world, politics\n© 2024 Wire Service\n"


def make_corpus(path: Path, n: int, words: int, dup_rate: float, seed: int) -> dict[tuple[str, str], str]:
    """Write the corpus; return the planted pairs (original id, copy id) -> kind."""
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(30_000)])
    zipf = 1.0 / np.arange(1, len(vocab) + 1) ** 0.9
    zipf /= zipf.sum()
    planted: dict[tuple[str, str], str] = {}
    n_dups = int(n * dup_rate)
    n_orig = n - n_dups
    dup_of = set(rng.choice(n_orig, n_dups, replace=False).tolist())
    copies = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_orig):
            idx = rng.choice(len(vocab), size=words, p=zipf)
            text = " ".join(vocab[idx].tolist())
            out.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
            if i in dup_of:
                kind = ("edited", "excerpt", "reprint")[copies % 3]
                if kind == "edited":
                    rate = (0.005, 0.01, 0.02, 0.04)[(copies // 3) % 4]
                    changed = idx.copy()
                    where = rng.random(words) < rate
                    changed[where] = rng.integers(0, len(vocab), where.sum())
                    copy = " ".join(vocab[changed].tolist())
                elif kind == "excerpt":
                    copy = " ".join(vocab[idx[words // 4: 3 * words // 4]].tolist())
                else:
                    copy = BOILER_TOP + "\n".join(textwrap.wrap(text, 70)) + BOILER_END
                cid = f"c{copies}"
                out.write(json.dumps({"id": cid, "text": copy}) + "\n")
                planted[(f"a{i}", cid)] = kind
                copies += 1
    return planted


def exact_truth(path: Path, planted: dict, size: int) -> dict[tuple[str, str], tuple[float, float]]:
    """Exact Jaccard and containment of each planted pair, from Python sets of shingles."""
    wanted = {x for pair in planted for x in pair}
    bodies = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in wanted:
                text = rec["text"].replace(BOILER_TOP, "").replace(BOILER_END, "")
                w = shingle_text(text).split()
                bodies[rec["id"]] = {" ".join(w[i:i + size]) for i in range(max(1, len(w) - size + 1))}
    out = {}
    for a, b in planted:
        sa, sb = bodies[a], bodies[b]
        shared = len(sa & sb)
        out[(a, b)] = (shared / len(sa | sb), shared / min(len(sa), len(sb)))
    return out


def signature_speed(path: Path, sample: int, settings: Settings) -> dict[str, float]:
    """Signatures per second on the same ``sample`` texts: datasketch vs crosscheck."""
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            texts.append(shingle_text(json.loads(line)["text"]))
            if len(texts) == sample:
                break
    d = settings.dedup
    out: dict[str, float] = {}
    try:
        from datasketch import MinHash
    except ImportError:
        MinHash = None
    if MinHash is not None:
        start = time.perf_counter()
        reference = []
        for text in texts:
            w = text.split()
            m = MinHash(num_perm=d.num_perm, seed=d.seed)
            m.update_batch([" ".join(w[i:i + d.shingle_size]).encode("utf-8") for i in range(max(1, len(w) - d.shingle_size + 1))])
            reference.append(m.hashvalues)
        out["datasketch"] = len(texts) / (time.perf_counter() - start)
    a, b = permutations(d.num_perm, d.seed, d.scheme)
    for name in ("sha1", "fast"):
        start = time.perf_counter()
        sigs = []
        for lo in range(0, len(texts), d.batch_size):
            keys, offsets = keys_batch(texts[lo:lo + d.batch_size], d.shingle_size, name)
            sigs.append(signatures(*unique_sets(keys, offsets), a, b, d.scheme))
        out[f"crosscheck-{name}"] = len(texts) / (time.perf_counter() - start)
        if name == "sha1" and MinHash is not None:
            out["identical"] = float(np.array_equal(np.concatenate(sigs), np.array(reference)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--dup-rate", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hash", choices=("sha1", "fast"), default="fast")
    parser.add_argument("--no-clean", action="store_true", help="skip boilerplate removal")
    parser.add_argument("--sample", type=int, default=2000, help="articles for the signatures/s comparison")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    settings = Settings()
    settings.dedup = replace(settings.dedup, workers=args.workers, hash=args.hash)
    if args.no_clean:
        settings.clean = replace(settings.clean, enabled=False)
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        start = time.perf_counter()
        planted = make_corpus(corpus, args.articles, args.words, args.dup_rate, args.seed)
        print(f"corpus: {args.articles} articles x {args.words} words, {len(planted)} planted copies, "
              f"{corpus.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - start:.1f} s")

        speed = signature_speed(corpus, args.sample, settings)
        base = speed.get("datasketch")
        for name, value in speed.items():
            if name == "identical":
                print(f"  sha1 signatures identical to datasketch's: {bool(value)}")
                continue
            ratio = f" ({value / base:.1f}x datasketch)" if base else ""
            print(f"  signatures/s, 1 process, {name:16s}: {value:9.0f}{ratio}")

        start = time.perf_counter()
        result = dedup([corpus], settings=settings)
        elapsed = time.perf_counter() - start
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"end to end (hash={args.hash}, workers={args.workers}, clean={not args.no_clean}): "
              f"{elapsed:.1f} s for {result.articles} articles ({result.articles / elapsed:.0f}/s), "
              f"{result.candidates} candidate pairs")
        print(f"  peak memory: {peak_self:.0f} MB main process, {peak_children:.0f} MB largest worker")

        truth = exact_truth(corpus, planted, settings.dedup.shingle_size)
        reported = {tuple(sorted((p.a, p.b))) for c in result.clusters for p in c.pairs}
        planted_keys = {tuple(sorted(k)) for k in planted}
        d = settings.dedup
        due = {tuple(sorted(k)) for k, (j, c) in truth.items()
               if j >= d.threshold or c >= d.containment_threshold}
        found = due & reported
        right = reported & planted_keys
        print(f"  planted pairs due (J >= {d.threshold} or containment >= {d.containment_threshold}): {len(due)}; "
              f"recall {len(found) / max(1, len(due)):.4f}; precision {len(right) / max(1, len(reported)):.4f} "
              f"({len(reported)} pairs reported)")
        at_08 = {tuple(sorted(k)) for k, (j, _) in truth.items() if j >= 0.8}
        print(f"  recall at Jaccard >= 0.8: {len(at_08 & reported) / max(1, len(at_08)):.4f} of {len(at_08)}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
