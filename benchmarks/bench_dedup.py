"""Near-duplicate benchmark: a synthetic corpus with planted copies, side by side with datasketch.

    .venv/bin/python benchmarks/bench_dedup.py --articles 100000 --workers 2

Writes a JSONL corpus of ``--articles`` articles of ``--words`` Zipf-distributed words
(a 30,000-word vocabulary) to a temporary folder; ``--dup-rate`` of them get a planted
copy: an edited copy (0.5-4% of words replaced), an excerpt (the middle half), or a
re-wrapped reprint with boilerplate lines around it. Then, in one run:

1. signatures/s, text to signature, on the same texts: datasketch's ``MinHash.bulk``
   with its default sha1 hash, with crosscheck's ``fast_hash32`` (the pure-Python twin
   of the fast hash) and, for scale, with ``zlib.crc32``; then crosscheck with each
   hash in one process, and the fast hash over ``--workers`` processes. Every
   crosscheck figure says whether its signatures are bit-identical to datasketch's
   with the same hash; ratios are against datasketch with its default hash, and the
   fast hash is also compared with datasketch given the same hash and given crc32;
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
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

from crosscheck.config import Settings
from crosscheck.dedup.run import dedup
from crosscheck.dedup.minhash import permutations, signatures
from crosscheck.dedup.shingle import fast_hash32, keys_batch, shingle_text

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


def _datasketch_signatures(texts: list[str], size: int, num_perm: int, seed: int, scheme: str, hashfunc=None):
    """datasketch's fastest documented path for many sets: ``MinHash.bulk`` (one MinHash
    built, then copied per set), fed each text's shingles as UTF-8 bytes."""
    from datasketch import MinHash

    def shingles(text: str) -> list[bytes]:
        w = text.split()
        return [" ".join(w[i:i + size]).encode("utf-8") for i in range(max(1, len(w) - size + 1))]

    extra = {"hashfunc": hashfunc} if hashfunc else {}
    sketches = MinHash.bulk((shingles(t) for t in texts), num_perm=num_perm, seed=seed, scheme=scheme, **extra)
    return np.array([m.hashvalues for m in sketches])


def _crosscheck_signatures(texts: list[str], d, hash_name: str) -> np.ndarray:
    """Text to signature: shingle keys, then MinHash. No dedupe: a repeated shingle
    cannot change a minimum (the pipeline dedupes for the exact check, not for this)."""
    a, b = permutations(d.num_perm, d.seed, d.scheme)
    sigs = []
    for lo in range(0, len(texts), d.batch_size):
        keys, offsets = keys_batch(texts[lo:lo + d.batch_size], d.shingle_size, hash_name)
        sigs.append(signatures(keys, offsets, a, b, d.scheme))
    return np.concatenate(sigs) if sigs else np.empty((0, d.num_perm))


def _crosscheck_job(job) -> np.ndarray:
    return _crosscheck_signatures(*job)


@dataclass
class Row:
    """One signatures/s figure: ``key`` names it for the summary, ``label`` says who
    computed the signatures, with which hash, in how many processes."""

    key: str
    label: str
    rate: float
    note: str = ""


def signature_speed(path: Path, sample: int, settings: Settings, workers: int, repeat: int) -> list[Row]:
    """Signatures per second on the same ``sample`` texts (in shingle form). Every way of
    computing them runs once per round, for ``repeat`` rounds, and its fastest run
    counts, so that a burst of load from elsewhere is unlikely to favour one side."""
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            texts.append(shingle_text(json.loads(line)["text"]))
            if len(texts) == sample:
                break
    d = settings.dedup
    runs = []  # (key, label, function)
    try:
        import datasketch
    except ImportError:
        datasketch = None
    if datasketch is not None:
        side = f"datasketch {getattr(datasketch, '__version__', '?')} MinHash.bulk"
        hashes = (("sha1", "sha1_hash32 (its default)", None), ("fast", "crosscheck's fast_hash32", fast_hash32),
                  ("crc32", "zlib.crc32 (for scale)", zlib.crc32))
        for name, label, func in hashes:
            runs.append((f"datasketch-{name}", f"{side}, hashfunc={label}, 1 process",
                         partial(_datasketch_signatures, texts, d.shingle_size, d.num_perm, d.seed, d.scheme, func)))
    for name in ("sha1", "fast"):
        runs.append((f"crosscheck-{name}", f"crosscheck, hash={name}, 1 process",
                     partial(_crosscheck_signatures, texts, d, name)))
    with ProcessPoolExecutor(max(1, workers)) as pool:
        if workers > 1:
            step = -(-len(texts) // (2 * workers))
            jobs = [(texts[lo:lo + step], d, "fast") for lo in range(0, len(texts), step)]
            list(pool.map(_crosscheck_job, jobs[:workers]))  # start the workers before timing
            runs.append((f"crosscheck-fast-{workers}",
                         f"crosscheck, hash=fast, {workers} worker processes (pool started before timing)",
                         lambda: np.concatenate(list(pool.map(_crosscheck_job, jobs)))))
        best = {key: float("inf") for key, _, _ in runs}
        result = {}
        for _ in range(repeat):
            for key, _, run in runs:
                start = time.perf_counter()
                result[key] = run()
                best[key] = min(best[key], time.perf_counter() - start)
    rows = []
    for key, label, _ in runs:
        note = ""
        if key.startswith("crosscheck-") and key.replace("crosscheck", "datasketch") in result:
            same = np.array_equal(result[key], result[key.replace("crosscheck", "datasketch")])
            note = f"identical to datasketch's with the same hash: {same}"
        elif key == f"crosscheck-fast-{workers}":
            note = f"identical to 1 process: {np.array_equal(result[key], result['crosscheck-fast'])}"
        rows.append(Row(key, label, len(texts) / best[key], note))
    return rows


def print_speed(rows: list[Row]) -> None:
    """The table, with ratios against datasketch with its default hash; then the fast
    hash against datasketch given the same hash, and given the fastest stdlib one."""
    rate = {r.key: r.rate for r in rows}
    base = rate.get("datasketch-sha1")
    for r in rows:
        ratio = f"{r.rate / base:6.1f}x" if base else ""
        print(f"  {r.label:84s} {r.rate:7.0f} {ratio}" + (f"  {r.note}" if r.note else ""))
    if not base:
        return
    for r in rows:
        if r.key.startswith("crosscheck-fast"):
            print(f"  {r.label}: {r.rate / base:.1f}x datasketch with its default hash, "
                  f"{r.rate / rate['datasketch-fast']:.1f}x datasketch with the same hash, "
                  f"{r.rate / rate['datasketch-crc32']:.1f}x datasketch with zlib.crc32")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--dup-rate", type=float, default=0.02)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hash", choices=("sha1", "fast"), default="fast")
    parser.add_argument("--no-clean", action="store_true", help="skip boilerplate removal")
    parser.add_argument("--sample", type=int, default=2000, help="articles for the signatures/s comparison")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of signatures/s runs; the best of each counts")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    settings = Settings()
    settings = settings.with_values({"dedup.workers": args.workers, "dedup.hash": args.hash})
    if args.no_clean:
        settings = settings.with_values({"clean.enabled": False})
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        start = time.perf_counter()
        planted = make_corpus(corpus, args.articles, args.words, args.dup_rate, args.seed)
        print(f"corpus: {args.articles} articles x {args.words} words, {len(planted)} planted copies, "
              f"{corpus.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - start:.1f} s")

        d = settings.dedup
        print(f"signatures/s on the first {args.sample} texts (shingle form, {d.shingle_size}-word shingles, "
              f"{d.num_perm} permutations, scheme {d.scheme}, seed {d.seed}; best of {args.repeat} interleaved runs):")
        rows = signature_speed(corpus, args.sample, settings, args.workers, args.repeat)
        print_speed(rows)

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
