"""Story mode over one event's coverage: time, cluster sizes, and whether versions are one story.

    .venv/bin/python benchmarks/bench_story.py --articles 1000 [--semantic off] [--engine auto] [--show 25]

The corpus is :func:`newsroom.newsroom_day`: the seeds, the real CSTO rewrites and
distractors, the SemEval-2022 texts, versions of them a wire desk might run, templated
wire copy and every outlet's boilerplate. Each article knows the story it renders, so:

* version precision: the share of pairs inside ``version`` clusters that render one
  story; recall: the share of same-story pairs that share a version cluster;
* the largest ``version`` cluster's purity, and ``--show`` of its pairs (first words of
  both) printed for a reader to check by hand;
* ``event`` clusters: how many, the largest, and its purity by story (an event holds
  several stories, so this is expected below 1).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from newsroom import newsroom_day  # noqa: E402

from crosscheck.config.settings import Settings  # noqa: E402
from crosscheck.dedup.run import dedup  # noqa: E402
from crosscheck.model import Article  # noqa: E402


def _pair_purity(members, story) -> float:
    pairs = list(combinations(members, 2))
    return sum(story[a] == story[b] for a, b in pairs) / len(pairs) if pairs else 1.0


class StageClock:
    """Progress callback that keeps when each stage was last heard of, and passes the
    call on to a bar on stderr when there is a terminal."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.totals: dict[str, int] = {}
        self.bar = None
        if sys.stderr.isatty():
            from crosscheck.cli.report_cmd import _ProgressBar

            self.bar = _ProgressBar()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.first.setdefault(stage, now)
        self.last[stage] = now
        self.totals[stage] = max(total, done)
        if self.bar is not None:
            self.bar(stage, done, total)

    def summary(self, start: float) -> str:
        out, previous = [], start
        for stage in sorted(self.first, key=self.first.get):
            out.append(f"{stage} {self.totals[stage]}: {self.last[stage] - previous:.1f} s")
            previous = self.last[stage]
        return "; ".join(out)


def engine_note(args: argparse.Namespace) -> str:
    """Which engine ``auto`` comes to here, when embeddings are on."""
    if args.semantic == "off" or args.engine != "auto":
        return ""
    from crosscheck.semantic import engine_for

    return f" ({engine_for('auto')})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--semantic", choices=("auto", "on", "off"), default="off")
    parser.add_argument("--engine", choices=("auto", "numpy", "onnxruntime"), default="auto",
                        help="what runs the embedding model (semantic.engine)")
    parser.add_argument("--workers", type=int, default=None, help="default: dedup.workers (0, one per core)")
    parser.add_argument("--show", type=int, default=25, help="pairs of the largest version cluster to print")
    parser.add_argument("--wrong", type=int, default=8, help="version pairs of two labelled stories to print")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    items = newsroom_day(args.articles, args.seed)
    story = {i.id: i.story for i in items}
    text = {i.id: i.text for i in items}
    articles = [Article(id=i.id, text=i.text, date=i.date) for i in items]
    settings = Settings()
    settings = settings.with_values({"match.semantic": args.semantic, "semantic.engine": args.engine})
    if args.workers is not None:
        settings = dataclasses.replace(settings, dedup=dataclasses.replace(settings.dedup, workers=args.workers))
    d = settings.dedup
    print(f"corpus: {len(items)} articles, {len(set(story.values()))} stories, largest story "
          f"{Counter(story.values()).most_common(1)[0][1]} articles; settings: match.semantic={args.semantic}, "
          f"semantic.engine={args.engine}{engine_note(args)}, "
          f"dedup.workers={d.workers}, story_neighbours={d.story_neighbours}, "
          f"story_version_neighbours={d.story_version_neighbours}, story_threshold={d.story_threshold}, "
          f"event threshold={d.story_event_threshold if args.semantic != 'off' else d.story_event_threshold_words}")
    clock = StageClock()
    cpu = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    if clock.bar is not None:
        with clock.bar:
            result = dedup(articles, mode="story", settings=settings, progress=clock)
    else:
        result = dedup(articles, mode="story", settings=settings, progress=clock)
    elapsed = time.perf_counter() - start
    used = sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
    used -= sum(r.ru_utime + r.ru_stime for r in cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    versions, events = result.of_kind("version"), result.of_kind("event")
    print(f"story mode: {elapsed:.1f} s wall, {used:.1f} s CPU (all processes) for {len(items)} articles, "
          f"peak {peak:.0f} MB main process; {len(versions)} version clusters, {len(events)} event clusters")
    print(f"  stages: {clock.summary(start)}")

    inside = [(a, b) for c in versions for a, b in combinations(c.members, 2)]
    right = sum(story[a] == story[b] for a, b in inside)
    same_story = sum(n * (n - 1) // 2 for n in Counter(story.values()).values())
    print(f"  version pairs: precision {right / max(1, len(inside)):.3f} ({right}/{len(inside)}), "
          f"recall {right / max(1, same_story):.3f} of {same_story} same-story pairs")
    if versions:
        biggest = max(versions, key=lambda c: (len(c.members), c.id))
        stories = Counter(story[m] for m in biggest.members)
        print(f"  largest version cluster: {len(biggest.members)} articles, pair purity "
              f"{_pair_purity(biggest.members, story):.3f}, stories {dict(stories.most_common(3))}")
        pairs = list(combinations(biggest.members, 2))
        wrong = [(a, b) for a, b in inside if story[a] != story[b]]
        for a, b in random.Random(args.seed).sample(wrong, min(args.wrong, len(wrong))):
            print(f"    wrong? {a} [{story[a]}] ~ {b} [{story[b]}]")
        for a, b in random.Random(args.seed).sample(pairs, min(args.show, len(pairs))):
            print(f"    {a} | {' '.join(text[a].split()[:14])}")
            print(f"    {b} | {' '.join(text[b].split()[:14])}")
    if events:
        biggest = max(events, key=lambda c: (len(c.members), c.id))
        print(f"  largest event cluster: {len(biggest.members)} articles, story pair purity "
              f"{_pair_purity(biggest.members, story):.3f}; {biggest.reason[:160]}")
        sizes = sorted((len(c.members) for c in events), reverse=True)
        print(f"  event cluster sizes: {sizes[:10]}{' ...' if len(sizes) > 10 else ''}")


if __name__ == "__main__":
    main()
