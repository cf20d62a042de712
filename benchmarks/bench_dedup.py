"""Near-duplicate benchmark on news text that can fool a deduper, side by side with datasketch.

    .venv/bin/python benchmarks/bench_dedup.py --articles 20000

The corpus (JSONL, in a temporary folder) is built from real news sentences (MSRP,
SemEval-2022, the seeds and CSTO rewrites; see ``newsroom.py``): each article is a
dateline and ``--sentences`` sentences, a quarter drawn from that pool as they are
(it holds paraphrase pairs, so unrelated articles share near-identical sentences) and
the rest pool sentences with their words shuffled (the article's own text), wrapped in its outlet's
header and footer (shared boilerplate); ``--template-share`` of the articles are
templated wire copy (one frame, other names and figures). ``--dup-rate`` of them get a
planted copy: an edited copy (0.5-4% of words replaced), an excerpt (the middle half),
or a reprint under another outlet's boilerplate, re-wrapped. Then, in one run:

1. signatures/s, text to signature, on the same texts: datasketch's ``MinHash.bulk``
   with its default sha1 hash, with crosscheck's ``fast_hash32`` and with
   ``zlib.crc32``; crosscheck with each hash. Every crosscheck figure says whether its
   signatures are bit-identical to datasketch's with the same hash;
2. end to end at the default settings (printed): ``crosscheck.dedup`` on the JSONL
   file (read, clean, sketch, LSH, verify, cluster), ``--runs`` times (the median
   counts; the first, cold run is one of them), then datasketch at its defaults
   (``MinHash`` 128 permutations, sha1; ``MinHashLSH`` threshold 0.8) reading the same
   file, inserting and querying every article: the speed-up is between the two;
3. ``--index``: the same crosscheck run building a new SQLite index, and its cost
   against a run without, timed just before it (``--index-runs`` pairs, and their median);
   then a later run adding ``--more`` new articles to that index;
4. precision and recall: recall over planted pairs whose exact body Jaccard is at
   least the threshold (or that are excerpts); a reported pair is right when it is
   planted or its exact body Jaccard or containment passes the thresholds (boilerplate
   and templates make wrong ones possible).
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import newsroom  # noqa: E402

from crosscheck.config import Settings  # noqa: E402
from crosscheck.dedup.run import dedup  # noqa: E402
from crosscheck.dedup.minhash import permutations, signatures  # noqa: E402
from crosscheck.dedup.shingle import COMPILED_CORE, fast_hash32, keys_batch, shingle_text  # noqa: E402

BOILERPLATE = tuple(x for _, top, end in newsroom.OUTLETS for x in (top, end) if x)


def _pool(shared: Path) -> list[str]:
    pool = newsroom.msrp_sentences(shared)
    for item in newsroom.real_articles(shared):
        pool += newsroom.sentences_of(item.text)
    return sorted(set(pool))


def make_corpus(path: Path, n: int, sentences: int, dup_rate: float, template_share: float,
                seed: int) -> dict[tuple[str, str], str]:
    """Write the corpus; return the planted pairs (original id, copy id) -> kind."""
    rng = random.Random(seed)
    pool = _pool(newsroom.shared_dir())
    planted: dict[tuple[str, str], str] = {}
    n_dups = int(n * dup_rate)
    n_orig = n - n_dups
    dup_of = set(rng.sample(range(n_orig), n_dups))
    copies = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n_orig):
            outlet = rng.randrange(len(newsroom.OUTLETS))
            if rng.random() < template_share:
                body = newsroom.templated(i, rng).text
                for x in BOILERPLATE:
                    body = body.replace(x, "")
                body += " " + " ".join(rng.sample(pool, 3))
            else:
                # A quarter of shared news sentences (quotes, wire paraphrases), the rest this
                # article's own reporting: pool sentences with their words shuffled.
                shared = rng.sample(pool, max(1, sentences // 4))
                own = []
                for sentence in rng.sample(pool, sentences - len(shared)):
                    words = sentence.split()
                    rng.shuffle(words)
                    own.append(" ".join(words))
                body = " ".join(shared + own)
            text = newsroom.wrap(body, outlet, rng)
            out.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
            if i in dup_of:
                kind = ("edited", "excerpt", "reprint")[copies % 3]
                words = body.split()
                if kind == "edited":
                    rate = (0.005, 0.01, 0.02, 0.04)[(copies // 3) % 4]
                    words = [rng.choice(pool).split()[0] if rng.random() < rate else w for w in words]
                    copy = newsroom.wrap(" ".join(words), outlet, rng)
                elif kind == "excerpt":
                    copy = " ".join(words[len(words) // 4: 3 * len(words) // 4])
                else:
                    other = (outlet + 1) % len(newsroom.OUTLETS)
                    copy = newsroom.wrap("\n".join(textwrap.wrap(body, 70)), other, rng)
                cid = f"c{copies}"
                out.write(json.dumps({"id": cid, "text": copy}) + "\n")
                planted[(f"a{i}", cid)] = kind
                copies += 1
    return planted


def _bodies(path: Path, wanted: set[str], size: int) -> dict[str, set[str]]:
    """Exact shingle sets of the wanted articles' bodies (boilerplate removed as written)."""
    bodies = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in wanted:
                text = rec["text"]
                for x in BOILERPLATE:
                    text = text.replace(x, "\n")
                w = shingle_text(text).split()
                bodies[rec["id"]] = {" ".join(w[i:i + size]) for i in range(max(1, len(w) - size + 1))}
    return bodies


def exact_truth(path: Path, pairs, size: int) -> dict[tuple[str, str], tuple[float, float]]:
    """Exact Jaccard and containment of each pair's bodies, from Python sets of shingles."""
    bodies = _bodies(path, {x for pair in pairs for x in pair}, size)
    out = {}
    for a, b in pairs:
        sa, sb = bodies[a], bodies[b]
        shared = len(sa & sb)
        out[(a, b)] = (shared / len(sa | sb), shared / max(1, min(len(sa), len(sb))))
    return out


def datasketch_near(path: Path, size: int):  # type: ignore[no-untyped-def]
    """datasketch at its defaults, reading the same file: MinHash (128 permutations,
    sha1) through ``MinHash.bulk``, then ``MinHashLSH(threshold=0.8)``, every article
    inserted and queried. (wall, CPU) seconds of it all and of reading and signatures
    alone, and the candidate pairs it returns."""
    from datasketch import MinHash, MinHashLSH

    start, cpu = time.perf_counter(), _cpu()
    ids, sets = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            w = shingle_text(rec["text"]).split()
            ids.append(rec["id"])
            sets.append([" ".join(w[i:i + size]).encode("utf-8") for i in range(max(1, len(w) - size + 1))])
    sketches = MinHash.bulk(sets)
    signed = time.perf_counter() - start, _cpu() - cpu
    lsh = MinHashLSH(threshold=0.8)
    for key, m in zip(ids, sketches):
        lsh.insert(key, m)
    pairs = set()
    for key, m in zip(ids, sketches):
        for other in lsh.query(m):
            if other != key:
                pairs.add((min(key, other), max(key, other)))
    return (time.perf_counter() - start, _cpu() - cpu), signed, len(pairs)


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


def _settings_line(settings: Settings) -> str:
    d = settings.dedup
    core = "compiled core" if COMPILED_CORE else "numpy only (no compiled core)"
    return (f"hash={d.hash}, workers={d.workers} ({os.cpu_count()} cores), num_perm={d.num_perm}, "
            f"threshold={d.threshold}, shingle_size={d.shingle_size}, scheme={d.scheme}, clean={settings.clean.enabled}, "
            f"{core}")


def _cpu() -> float:
    """CPU seconds of this process and its finished workers."""
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def _timed_dedup(corpus: Path, settings: Settings, index: Path | None = None):  # type: ignore[no-untyped-def]
    """Wall seconds, CPU seconds (all processes) and the result of one dedup run. The
    modules it imports on first use are imported before the clock starts, as
    datasketch's are before its own (:func:`datasketch_near`)."""
    from crosscheck.dedup.engines import local  # noqa: F401
    if index is not None:
        from crosscheck.dedup import index as _  # noqa: F401
    cpu, start = _cpu(), time.perf_counter()
    result = dedup([corpus], settings=settings, index=index)
    return time.perf_counter() - start, _cpu() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--sentences", type=int, default=20, help="pool sentences per article (about 20 words each)")
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--template-share", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel signatures/s row")
    parser.add_argument("--sample", type=int, default=2000, help="articles for the signatures/s comparison")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of signatures/s runs; the best of each counts")
    parser.add_argument("--no-index", action="store_true", help="skip the --index runs")
    parser.add_argument("--runs", type=int, default=3, help="end-to-end runs; the median counts")
    parser.add_argument("--index-runs", type=int, default=3, help="pairs of runs without and with a new index")
    parser.add_argument("--more", type=int, default=2000, help="new articles a later run adds to the index")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    settings = Settings()  # the defaults: what a user gets
    with tempfile.TemporaryDirectory(prefix="crosscheck-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        start = time.perf_counter()
        planted = make_corpus(corpus, args.articles, args.sentences, args.dup_rate, args.template_share, args.seed)
        print(f"corpus: {args.articles} articles of {args.sentences} news sentences (+ boilerplate, "
              f"{args.template_share:.0%} templated), {len(planted)} planted copies, "
              f"{corpus.stat().st_size / 1e6:.0f} MB, written in {time.perf_counter() - start:.1f} s")

        d = settings.dedup
        print(f"signatures/s on the first {args.sample} texts (shingle form, {d.shingle_size}-word shingles, "
              f"{d.num_perm} permutations, scheme {d.scheme}, seed {d.seed}; best of {args.repeat} interleaved runs):")
        rows = signature_speed(corpus, args.sample, settings, args.workers, args.repeat)
        print_speed(rows)

        # A shared 2-core machine varies by 10-20% from run to run: several runs, each a
        # fresh call, and the median counts (the first run is among them).
        timed = [_timed_dedup(corpus, settings) for _ in range(max(1, args.runs))]
        elapsed, cpu, result = sorted(timed, key=lambda t: t[0])[len(timed) // 2]
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"end to end, crosscheck at the defaults ({_settings_line(settings)}): {elapsed:.2f} s wall, "
              f"{cpu:.2f} s CPU (median of {len(timed)} runs: "
              f"{', '.join(f'{w:.2f}' for w, _, _ in timed)} s), for {result.articles} articles "
              f"({result.articles / elapsed:.0f}/s), {result.candidates} candidate pairs, peak {peak_self:.0f} MB main process")
        try:
            (ds_wall, ds_cpu), (sig_wall, sig_cpu), ds_pairs = datasketch_near(corpus, d.shingle_size)
            print(f"datasketch at its defaults (MinHash 128 perm sha1 via MinHash.bulk; MinHashLSH threshold 0.8), "
                  f"1 process, reading the same file: signatures alone {sig_wall:.2f} s wall, {sig_cpu:.2f} s CPU; "
                  f"with LSH insert + query {ds_wall:.2f} s wall, {ds_cpu:.2f} s CPU, {ds_pairs} candidate pairs (unverified)")
            print(f"  near dedup at the defaults, crosscheck end to end vs datasketch signatures alone: "
                  f"{sig_wall / elapsed:.1f}x (wall), {sig_cpu / cpu:.1f}x (CPU); vs datasketch with LSH: "
                  f"{ds_wall / elapsed:.1f}x (wall), {ds_cpu / cpu:.1f}x (CPU)")
        except ImportError:
            print("  datasketch not installed: no anchor")
        if not args.no_index:
            # A run without and a run building a new index, back to back, --index-runs
            # times: the ratio of each pair, and their median.
            ratios = []
            for k in range(args.index_runs):
                plain, plain_cpu, _ = _timed_dedup(corpus, settings)
                with_index, index_cpu, indexed = _timed_dedup(corpus, settings, Path(tmp) / f"index{k}.db")
                same = {c.members for c in indexed.clusters} == {c.members for c in result.clusters}
                ratios.append(with_index / plain)
                print(f"  --index (new index), pair {k + 1}: {with_index:.2f} s wall, {index_cpu:.2f} s CPU against "
                      f"{plain:.2f} s, {plain_cpu:.2f} s CPU without = {with_index / plain:.2f}x (wall), "
                      f"{index_cpu / plain_cpu:.2f}x (CPU); same clusters: {same}")
            print(f"  --index costs {sorted(ratios)[len(ratios) // 2]:.2f}x the run without (median of {len(ratios)} pairs)")
            # A later run: new articles (another corpus, its own planted copies) checked
            # against everything indexed, beside a plain run of the same new articles.
            more = Path(tmp) / "more.jsonl"
            make_corpus(more, args.more, args.sentences, args.dup_rate, args.template_share, args.seed + 1)
            with more.open(encoding="utf-8") as f:
                renamed = [line.replace('"id": "', '"id": "more-', 1) for line in f]
            more.write_text("".join(renamed), encoding="utf-8")
            alone, _, _ = _timed_dedup(more, settings)
            later, later_cpu, added = _timed_dedup(more, settings, Path(tmp) / "index0.db")
            print(f"  a later run adding {added.indexed} new articles to the index of {result.articles}: {later:.2f} s wall, "
                  f"{later_cpu:.2f} s CPU ({later / alone:.2f}x a plain run of them alone, {alone:.2f} s); "
                  f"{len(added.clusters)} clusters")

        reported = {tuple(sorted((p.a, p.b))) for c in result.clusters for p in c.pairs}
        planted_keys = {tuple(sorted(k)) for k in planted}
        truth = exact_truth(corpus, planted_keys | reported, d.shingle_size)
        passes = {k for k, (j, c) in truth.items() if j >= d.threshold or c >= d.containment_threshold}
        due = planted_keys & passes
        found = due & reported
        right = reported & (planted_keys | passes)
        print(f"  planted pairs due (exact body J >= {d.threshold} or containment >= {d.containment_threshold}): "
              f"{len(due)}; recall {len(found) / max(1, len(due)):.4f}; precision {len(right) / max(1, len(reported)):.4f} "
              f"({len(reported)} pairs reported, {len(reported - planted_keys)} not planted)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
