"""How fast `crosscheck report` runs over a folder: the five seeds plus generated rewrites.

Target (report issue): 1,000 generated articles (edited rewrites of the seeds) reported
in under 60 s on 2 cores without the semantic extra, direction found automatically.

Pairing, on text that can fail: a smaller folder of rewrites mixed with templated wire
copy on other subjects that shares the site furniture of every article. A compared
pair is right when both articles tell the same story (seeds 000, 001 and 004 are one
summit; 002 and 003 are others); a wire story compared with anything is wrong.

    .venv/bin/python benchmarks/bench_report.py [--articles 1000] [--workers 2] [--source]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import SEEDS, rewrite_of  # noqa: E402
from figures import figure, settings_of  # noqa: E402
from hard_rewrites import BOILERPLATE  # noqa: E402

from crosscheck.config import Settings  # noqa: E402
from crosscheck.report import render, report  # noqa: E402


def write_corpus(folder: Path, articles: int, seed: int = 7) -> None:
    """The seeds, then rewrites of them (most of 000/001/004, some of 002/003) with edits."""
    rng = random.Random(seed)
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in seeds:
        shutil.copy(path, folder / path.name)
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    weights = [3, 5, 1, 1, 2]
    for n in range(articles - len(seeds)):
        base = rng.choices(texts, weights)[0]
        body = rewrite_of(base, rng, sentences=rng.randint(6, 14))
        (folder / f"gen_{n:05d}.txt").write_text(body + "\n", encoding="utf-8")


STORY = {"000": "moscow", "001": "moscow", "004": "moscow", "002": "minsk", "003": "nato"}
_WIRE = ("{city} stocks fell {n} percent on {day} as traders weighed the central bank's next move on rates.",
         "The {city} exchange said trading volume rose to {n} million shares, the highest since March.",
         "Analysts in {city} expect the {org} to keep its key rate at {n} percent at its next meeting.")


def write_hard_corpus(folder: Path, articles: int, wires: int, seed: int = 11) -> dict[str, str]:
    """Rewrites of the seeds and templated wire stories, every one with the same furniture.
    Returns each article id's story ("wire:N" for a wire story: a story of its own)."""
    rng = random.Random(seed)
    seeds = sorted(SEEDS.glob("*.txt"))
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds}
    furniture = "\n\n" + "\n\n".join(BOILERPLATE) + "\n"
    story: dict[str, str] = {}
    for n in range(articles):
        key = rng.choices(list(texts), [3, 5, 1, 1, 2])[0]
        (folder / f"gen_{n:05d}.txt").write_text(rewrite_of(texts[key], rng, sentences=rng.randint(6, 14)) + furniture,
                                                 encoding="utf-8")
        story[f"gen_{n:05d}"] = STORY[key]
    for n in range(wires):
        lines = [t.format(city=rng.choice(("Moscow", "Minsk", "Almaty")), n=rng.randint(2, 90),
                          day=rng.choice(("Monday", "Tuesday")), org=rng.choice(("regulator", "central bank")))
                 for t in rng.sample(_WIRE, 3)]
        (folder / f"wire_{n:05d}.txt").write_text(" ".join(lines) + furniture, encoding="utf-8")
        story[f"wire_{n:05d}"] = f"wire:{n}"
    return story


def pairing(settings: Settings, articles: int, wires: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        story = write_hard_corpus(folder, articles, wires)
        result = report([folder], settings=settings)
    pairs = [(c.source.id, c.rewrite.id) for c in result.comparisons]
    right = sum(story[a] == story[b] for a, b in pairs)
    related = [i for i in story if not i.startswith("wire_")]
    compared = {i for pair in pairs for i in pair}
    where = {"articles": articles, "wire_stories": wires, "shared_furniture_lines": len(BOILERPLATE),
             **settings_of(settings, "dedup.story_min_cosine", "dedup.story_threshold", "match.semantic")}
    figure("pairing precision (same story)", round(right / len(pairs), 3) if pairs else 0.0, pairs=len(pairs), **where)
    figure("rewrites compared with a source", round(len(compared & set(related)) / len(related), 3), **where)
    figure("wire stories wrongly compared", len(compared - set(related)), **where)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--source", action="store_true", help="name 001 as the source instead of finding pairs")
    parser.add_argument("--hard", type=int, default=200, help="rewrites in the pairing set (0: skip it)")
    parser.add_argument("--wires", type=int, default=40, help="templated wire stories in the pairing set")
    args = parser.parse_args()
    settings = Settings()
    settings = settings.with_values({"match.semantic": "off"})
    settings = settings.with_values({"report.workers": args.workers})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder, args.articles)
        source = next(folder.glob("001_*.txt")) if args.source else None
        stages: dict[str, float] = {}
        started = time.perf_counter()

        def progress(stage: str, done: int, total: int) -> None:
            stages.setdefault(stage, time.perf_counter() - started)

        result = report([folder], source=source, settings=settings, progress=progress)
        compared = time.perf_counter() - started
        for fmt in ("md", "html", "json", "csv"):
            render(result, fmt)
        total = time.perf_counter() - started
    print(f"articles: {len(result.articles)}  pairs compared: {len(result.comparisons)}  unrelated: {len(result.unrelated)}")
    where = {"articles": len(result.articles), "source_given": args.source, "workers": args.workers,
             **settings_of(settings, "match.semantic")}
    figure("report: first comparison started", round(stages.get("comparing", 0.0), 1), "s", **where)
    figure("report: built", round(compared, 1), "s", pairs=len(result.comparisons), **where)
    figure("report: built and rendered in md, html, json, csv", round(total, 1), "s", **where)
    if args.hard:
        pairing(settings, args.hard, args.wires)
    return 0


if __name__ == "__main__":
    sys.exit(main())
