"""Rewrites that can fool a matcher, with the answer known, for bench_compare.py.

Each rewrite mixes *planted* sentences, each rendering one known source sentence with
an edit no lexicon chose (an attribution lead-in, a cut clause, dropped words), with
*distractors* that share the source's words but none of its statements:

* topic overlap: sentences of other CSTO stories (seeds 002 and 003, another summit
  and another speaker);
* templated wire copy: one sentence pattern filled with the source's own names and
  topic words ("Belarus told reporters in Moscow on Monday that the CSTO would ...");
* shared boilerplate: site furniture appended to the source and to every rewrite.

A matcher scores by linking each planted sentence to its source sentence (recall)
and nothing else (precision); linking a distractor or the furniture is an error.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

BOILERPLATE = (
    "Follow our coverage of the CSTO summit in Moscow on Telegram and VKontakte.",
    "All rights reserved; reproduction of this article about the summit requires a link to the source.",
)
_NAMES = ("Belarus", "Kazakhstan", "Armenia", "Kyrgyzstan", "Tajikistan", "Russia")
_TEMPLATE = "{a} told reporters in Moscow on {day} that the CSTO would discuss {topic} with {b} and the other member states."
_TOPICS = ("collective security", "the situation in Afghanistan", "NATO's expansion", "military infrastructure",
           "the anniversary of the Collective Security Treaty", "biological laboratories")
_DAYS = ("Monday", "Tuesday", "Friday")


@dataclass(frozen=True)
class HardRewrite:
    text: str
    planted: dict[str, int]  # a rewrite line's text -> the source sentence it renders


def _lines(name: str) -> list[str]:
    (path,) = SEEDS.glob(f"{name}_*.txt")
    text = path.read_text(encoding="utf-8")
    return [s for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s.split()) >= 8]


def _edit(sentence: str, rng: random.Random) -> str:
    words = sentence.rstrip(".").split()
    kind = rng.randrange(3)
    if kind == 0 and words[0][0].isupper():
        return "Putin said that " + words[0][0].lower() + " ".join(words)[1:] + "."
    if kind == 1 and len(words) > 10:
        return " ".join(words[: max(8, int(len(words) * 0.7))]).rstrip(",;:") + "."
    kept = [w for k, w in enumerate(words) if k == 0 or rng.random() > 0.2]
    return " ".join(kept) + "."


def hard_rewrites(source_sentences: list[str], count: int, rng: random.Random,
                  planted: int = 12, distractors: int = 8) -> list[HardRewrite]:
    """``count`` rewrites of the source (given as its segmented sentences)."""
    overlap = _lines("002") + _lines("003")
    usable = [i for i, s in enumerate(source_sentences) if len(s.split()) >= 8]
    out = []
    for _ in range(count):
        lines: list[str] = []
        truth: dict[str, int] = {}
        for i in rng.sample(usable, min(planted, len(usable))):
            line = _edit(source_sentences[i], rng)
            truth[line] = i
            lines.append(line)
        for _ in range(distractors):
            if rng.random() < 0.5:
                lines.append(rng.choice(overlap))
            else:
                a, b = rng.sample(_NAMES, 2)
                lines.append(_TEMPLATE.format(a=a, b=b, day=rng.choice(_DAYS), topic=rng.choice(_TOPICS)))
        rng.shuffle(lines)
        out.append(HardRewrite("\n\n".join([*lines, *BOILERPLATE]), truth))
    return out


def with_boilerplate(source: str) -> str:
    return source + "\n\n" + "\n\n".join(BOILERPLATE)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score(predicted: list[dict[str, set[int]]], rewrites: list[HardRewrite]) -> Score:
    """Precision and recall of linked rewrite lines over all rewrites.

    ``predicted[k]`` maps each linked line of rewrite k to the source sentences it was
    linked to; a planted line is right when its own source sentence is among them.
    """
    linked = right = planted = 0
    for links, rewrite in zip(predicted, rewrites):
        planted += len(rewrite.planted)
        for line, sources in links.items():
            if not sources:
                continue
            linked += 1
            right += int(rewrite.planted.get(line) in sources)
    return Score(right / linked if linked else 0.0, right / planted if planted else 0.0)
