"""Generated rewrites of the seeds, for benchmarks: edited copies a wire desk might make."""

from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

EDITS = (
    (r"\bwill certainly\b", "will have to"),
    (r"\bno direct\b", "no"),
    (r"\bmerely\b", ""),
    (r"\bwill only grow\b", "will grow"),
    (r"\b30\b", "25"),
    (r"\bdozens\b", "hundreds"),
    (r"\bUnited States\b", "Washington"),
    (r"\bestablished\b", "set up"),
    (r"\bimportant\b", "crucial"),
    (r"\borganisation\b", "organization"),
)
FILLER = (
    "The outlet could not independently verify the claims.",
    "Analysts say the bloc has struggled to agree on a common line.",
    "The ministry did not respond to a request for comment.",
    "Critics called the remarks an attempt to rally allies.",
)


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s.split()) > 3]


def source_text(words: int = 2000) -> str:
    """The transcript 001, extended with 004 and 000 until it has ``words`` words."""
    parts = [(SEEDS / name).read_text(encoding="utf-8") for name in sorted(p.name for p in SEEDS.glob("*.txt"))]
    order = [parts[1], parts[4], parts[0], parts[2], parts[3]]
    out: list[str] = []
    count = 0
    for part in order:
        for line in part.splitlines():
            if count >= words:
                break
            if line.strip():
                out.append(line)
                count += len(line.split())
    return "\n".join(out)


def rewrite_of(source: str, rng: random.Random, sentences: int = 30) -> str:
    """A rewrite: a reordered selection of the source's sentences, edited, with filler."""
    pool = sentences_of(source)
    picked = rng.sample(pool, min(sentences, len(pool)))
    out = []
    for s in picked:
        for pattern, replacement in rng.sample(EDITS, 3):
            s = re.sub(pattern, replacement, s)
        out.append(s)
        if rng.random() < 0.15:
            out.append(rng.choice(FILLER))
    paragraphs = [" ".join(out[i : i + 3]) for i in range(0, len(out), 3)]
    return "\n\n".join(paragraphs)
