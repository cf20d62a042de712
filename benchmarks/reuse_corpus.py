"""A verbatim-reuse corpus built from public text: copied passages planted in long
unrelated documents that share the copied passages' topic words.

Each case has a *source* document (news sentences from MSRP) and a *suspicious*
document: many other MSRP sentences chosen because they share content words with the
source (so topic overlap alone is everywhere), with a few source sentences planted in
it. A planted sentence is either copied verbatim, or replaced by its MSRP paraphrase
(label 1, the obfuscated case). The gold is which suspicious sentence copies which
source sentence. Seeded, so every run builds the same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from crosscheck.match.figures import specific as _specific_figure
from crosscheck.match.words import words_of

ROOT = Path(__file__).resolve().parents[1]
# The shared data stands beside the clone (CI) or beside the worktrees' folder.
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
BENCH = SHARED / "bench"
MSRP = BENCH / "msr_paraphrase_train.txt"


MAX_FILLER_JACCARD = 0.2


def _specific(figure: str) -> bool:
    """A figure two sentences share only when they report the same fact."""
    return _specific_figure(figure)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


@dataclass(frozen=True)
class ReuseCase:
    source: tuple[str, ...]
    suspicious: tuple[str, ...]
    gold: frozenset[tuple[int, int]]  # (suspicious index, source index)


def msrp_pairs(path: Path = MSRP) -> list[tuple[int, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) >= 5 and parts[0] in ("0", "1"):
            rows.append((int(parts[0]), parts[3].strip(), parts[4].strip()))
    return rows


def build(cases: int = 40, source_len: int = 25, filler_len: int = 60, planted: int = 4, seed: int = 14,
          path: Path = MSRP) -> list[ReuseCase]:
    """``cases`` source/suspicious pairs; half the planted sentences are paraphrases."""
    rng = random.Random(seed)
    pairs = msrp_pairs(path)
    paraphrases = [p for p in pairs if p[0] == 1]
    pool = [s for _, a, b in pairs for s in (a, b)]
    content = {s: words_of(s).content for s in pool}
    figures = {s: frozenset(f for f in words_of(s).numbers if _specific(f)) for s in pool}
    partner: dict[str, tuple[str, ...]] = {}
    for _, a, b in pairs:
        partner[a] = partner.get(a, ()) + (a, b)
        partner[b] = partner.get(b, ()) + (a, b)
    out = []
    for _ in range(cases):
        picked = rng.sample(paraphrases, planted)
        others = rng.sample(pool, source_len - planted)
        source = [p[1] for p in picked] + others
        rng.shuffle(source)
        topic = set().union(*(content[s] for s in source))
        # MSRP pairs are two sentences on one story: a source sentence's partner is
        # related text, never filler.
        taken = {t for s in source for t in partner.get(s, (s,))} | {p[2] for p in picked}
        # MSRP also holds other pairs from the same news cluster; a sentence that shares
        # most of its words with a source sentence may be the same statement, not filler.
        # So does one that states the same figure ("fell in August to 6.1 percent").
        taken_figures = frozenset().union(*(figures[t] for t in taken))
        candidates = [
            s for s in rng.sample(pool, 4000)
            if s not in taken and max(_jaccard(content[s], content[t]) for t in taken) <= MAX_FILLER_JACCARD
            and not (figures[s] & taken_figures)
        ]
        candidates.sort(key=lambda s: -len(content[s] & topic))
        filler = candidates[:filler_len]
        rng.shuffle(filler)
        suspicious = list(filler)
        gold = set()
        for k, (_, s1, s2) in enumerate(picked):
            text = s1 if k % 2 == 0 else s2
            at = rng.randrange(len(suspicious) + 1)
            suspicious.insert(at, text)
        for i, text in enumerate(suspicious):
            for k, (_, s1, s2) in enumerate(picked):
                if text in (s1, s2):
                    gold.add((i, source.index(s1)))
        out.append(ReuseCase(tuple(source), tuple(suspicious), frozenset(gold)))
    return out


def as_document(sentences: tuple[str, ...]) -> str:
    """One paragraph per sentence, so the segmenter sees the planted sentence whole."""
    return "\n\n".join(sentences)
