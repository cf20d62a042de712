"""How fast compare runs, and whether it links the right sentences on text that can fail.

Speed: one 2,052-word source against 100 rewrites of it (reordered source sentences
with edits, the figure the README has always quoted; target under 5 s on 2 cores
without the semantic extra), beside a plain difflib all-pairs baseline.

Accuracy: rewrites of the Kremlin transcript whose planted sentences carry edits no
lexicon chose, mixed with distractors that share its words and none of its
statements (other CSTO stories, templated wire copy, shared site furniture; see
hard_rewrites.py). crosscheck's links are scored against the planted answer, and so
is the anchor, rapidfuzz's best token_set_ratio match per sentence, run in this
process on the same sentences, at the threshold that suits it best on this very set.

    .venv/bin/python benchmarks/bench_compare.py [--rewrites 100] [--semantic]
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import SEEDS, rewrite_of, sentences_of, source_text  # noqa: E402
from figures import figure, settings_of  # noqa: E402
from hard_rewrites import BOILERPLATE, hard_rewrites, score, with_boilerplate  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from crosscheck.match.compare import Matcher  # noqa: E402
from crosscheck.config import Settings  # noqa: E402
from crosscheck.model import Article  # noqa: E402
from crosscheck.parallel import worker_count  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rewrites", type=int, default=100)
    parser.add_argument("--semantic", action="store_true")
    parser.add_argument("--hard", type=int, default=40, help="rewrites in the accuracy set")
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

    start, cpu_start = time.perf_counter(), _cpu()
    matcher = Matcher(Article(id="source", text=source), settings)
    loaded, cpu_loaded = time.perf_counter() - start, _cpu() - cpu_start
    if args.stages:
        comparisons, stages = _profiled(matcher, rewrites)
    else:
        comparisons = matcher.compare_all(rewrites)
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu_start
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

    mode = "semantic" if matcher.embedder is not None else "words only"
    mode += ", no NLP pipeline" if args.no_nlp else ""
    if args.stages:
        print("stages (one process, cumulative seconds): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    where = {"source_words": len(source.split()), "rewrites": len(rewrites), "mode": mode,
             **settings_of(settings, "match.link_threshold", "match.max_window")}
    print(f"source: {len(source.split())} words, {n_src} sentences; {len(rewrites)} rewrites, {words} words, {links} links")
    figure("compare, end to end", round(elapsed, 2), "s", **where)
    # Of which: loading the NLP pipeline (when installed) and reading the source, paid once.
    figure("of which loading the pipeline and the source", round(loaded, 2), "s", **where)
    figure("of which comparing the rewrites", round(elapsed - loaded, 2), "s", **where,
           workers=1 if args.stages else worker_count(0))
    # CPU seconds of this process and its (joined) workers: on a busy machine the wall
    # clock measures the neighbours, CPU time what this run itself cost.
    figure("compare, end to end, CPU time of all processes", round(cpu, 2), "s", **where,
           workers=1 if args.stages else worker_count(0))
    figure("of which loading the pipeline and the source, CPU time", round(cpu_loaded, 2), "s", **where)
    figure("compare, per rewrite", round(elapsed / len(rewrites) * 1000, 1), "ms", **where)
    figure("sentence pairs scored, end to end", round(pairs / elapsed), "pairs/s", **where)
    figure("anchor: difflib ratio, all pairs of one rewrite", round(difflib_rate), "pairs/s",
           source_words=len(source.split()), scorer="difflib.SequenceMatcher.ratio")
    if args.hard:
        accuracy(settings, args.hard, mode)
    return 0


def _cpu() -> float:
    """User and system CPU seconds of this process and of its children that have ended."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _line_of(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of each blank-line separated line of a rewrite."""
    out, pos = [], 0
    for part in text.split("\n\n"):
        out.append((pos, part))
        pos += len(part) + 2
    return out


def accuracy(settings: Settings, count: int, mode: str) -> None:
    transcript = (SEEDS / "001_501dcf1e5442c15e.txt").read_text(encoding="utf-8")
    matcher = Matcher(Article(id="source", text=with_boilerplate(transcript)), settings)
    source_sentences = [s.text for s in matcher.source.sentences]
    pool = [s if s not in BOILERPLATE else "" for s in source_sentences]
    rewrites = hard_rewrites(pool, count, random.Random(7))
    comparisons = matcher.compare_all([Article(id=f"h{k}", text=r.text) for k, r in enumerate(rewrites)])

    ours = []
    for comparison, rewrite in zip(comparisons, rewrites):
        starts = _line_of(rewrite.text)
        links: dict[str, set[int]] = {}
        for a in comparison.alignments:
            for j in a.rewrite_sentences:
                start = comparison.rewrite.sentences[j].span.start
                line = max((p for p in starts if p[0] <= start), key=lambda p: p[0])[1]
                links.setdefault(line, set()).update(a.source_sentences)
        ours.append(links)
    mine = score(ours, rewrites)

    best = None
    for cutoff in range(40, 100, 5):
        theirs = []
        for rewrite in rewrites:
            links = {}
            for _, line in _line_of(rewrite.text):
                hit = process.extractOne(line, source_sentences, scorer=fuzz.token_set_ratio, score_cutoff=cutoff)
                if hit is not None:
                    links[line] = {hit[2]}
            theirs.append(links)
        result = score(theirs, rewrites)
        if best is None or result.f1 > best[1].f1:
            best = (cutoff, result)
    planted = sum(len(r.planted) for r in rewrites)
    lines = sum(len(_line_of(r.text)) for r in rewrites)
    where = {"rewrites": count, "planted": planted, "lines": lines, "mode": mode,
             **settings_of(settings, "match.link_threshold", "clean.enabled")}
    figure("hard rewrites: link precision", round(mine.precision, 3), **where)
    figure("hard rewrites: link recall", round(mine.recall, 3), **where)
    figure("hard rewrites: link F1", round(mine.f1, 3), **where)
    anchor = {"rewrites": count, "planted": planted, "lines": lines,
              "scorer": "rapidfuzz token_set_ratio best match", "cutoff": best[0]}
    figure("anchor: link precision", round(best[1].precision, 3), **anchor)
    figure("anchor: link recall", round(best[1].recall, 3), **anchor)
    figure("anchor: link F1 (cutoff chosen on this set)", round(best[1].f1, 3), **anchor)


    return 0


STAGES = {
    "prepare": ("prepare.py", "prepare"),
    "features": ("align.py", "features"),
    "align": ("align.py", "align"),
    "quotes": ("quotecheck.py", "check_quotes"),
    "verdict": ("verdict.py", "decide"),
    "nlp": ("nlp.py", "analyse"),
    "word alignment": ("wordalign.py", "align_words"),
    "typed changes": ("changes.py", "changes"),
    "link scores": ("align.py", "pair_matrix"),
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
