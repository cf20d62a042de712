"""Claim strength of one sentence: no claim, correlational, conditional causal, direct causal.

A press release that turns "is associated with" into "lowers" claims more than the study
found (Sumner et al., BMJ 2014); naming that needs the strength of each side. A small
logistic regression over word n-grams and the lexicon's cue features, trained on the 5,135
sentences Yu, Li and Wang (EMNLP 2019) and Yu et al. (COLING 2020) labelled for it, reads the
strength. Only the learned weights ship (``lexicons/claim_weights.json``); the sentences stay
in ../shared/dev, and ``benchmarks/train_claim.py`` rebuilds the weights from them.

>>> claim_strength("Low socioeconomic status is associated with higher depression risk.")
'correlational'
>>> claim_strength("Low socioeconomic status increases depression risk.")
'direct_causal'
>>> claim_strength("Low socioeconomic status may increase depression risk.")
'conditional_causal'
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from crosscheck.match import lexicon
from crosscheck.match.words import tokens

LABELS = ("no_claim", "correlational", "conditional_causal", "direct_causal")


@dataclass(frozen=True)
class ClaimSettings:
    """Where the classifier's weights are read from."""

    weights_file: str = "claim_weights.json"
    """File under crosscheck/match/lexicons/ holding the weights ``benchmarks/train_claim.py``
    writes."""


DEFAULT_CLAIM_SETTINGS = ClaimSettings()


@dataclass(frozen=True)
class Claim:
    """The strength of one sentence's claim.

    ``level`` is the label's rank 0-3; ``score`` the model's probability for the label;
    ``strength`` the expected level (0-3) over all four labels, for comparing two sentences
    by degree; ``cues`` the lexicon's cue phrases found, for citing.
    """

    label: str
    level: int
    score: float
    strength: float
    probabilities: tuple[float, ...]
    cues: tuple[str, ...]


def _word_forms(text: str) -> list[str]:
    return ["<num>" if w[:1].isdigit() else w for w in tokens(text)]


def cue_features(words: list[str]) -> list[str]:
    """The lexicon's view of a sentence: which cue classes occur, and in which combination."""
    out = []
    correlational = lexicon.claim_cues_in(words, "correlational")
    causal = lexicon.claim_cues_in(words, "causal")
    hedges = lexicon.hedges_in(words)
    strength = lexicon.modal_strength(words)
    tentative = bool(hedges) or (strength is not None and strength < 1.0)
    if correlational:
        out.append("cue:correlational")
    if causal:
        out.append("cue:causal")
        out.append("cue:causal+tentative" if tentative else "cue:causal+plain")
    if hedges:
        out.append("cue:hedge")
    if lexicon.boosters_in(words):
        out.append("cue:booster")
    out.append("modal:none" if strength is None else f"modal:{strength:.1f}")
    if lexicon.negators_in(words):
        out.append("cue:negation")
    if not correlational and not causal:
        out.append("cue:none")
    return out


def features(text: str) -> list[str]:
    """Binary features of a sentence: word unigrams and bigrams, and the cue features."""
    words = _word_forms(text)
    grams = [f"w={w}" for w in words]
    grams += [f"b={a}_{b}" for a, b in zip(["<s>", *words], [*words, "</s>"])]
    return sorted(set(grams) | set(cue_features(words)))


def rule_level(text: str) -> int:
    """The cue-phrase rule alone (the baseline the classifier must beat): a causal cue is
    direct unless hedged or under a modal below "must/will"; else a correlational cue; else
    no claim."""
    words = _word_forms(text)
    if lexicon.claim_cues_in(words, "causal"):
        strength = lexicon.modal_strength(words)
        tentative = bool(lexicon.hedges_in(words)) or (strength is not None and strength < 1.0)
        return 2 if tentative else 3
    if lexicon.claim_cues_in(words, "correlational"):
        return 1
    return 0


@dataclass(frozen=True)
class _Model:
    index: dict[str, int]
    weights: tuple[tuple[float, ...], ...]  # one row per feature, one column per label
    bias: tuple[float, ...]


@lru_cache(maxsize=4)
def _model(settings: ClaimSettings) -> _Model:
    path = resources.files("crosscheck.match").joinpath("lexicons", settings.weights_file)
    data = json.loads(path.read_text("utf-8"))
    if tuple(data["labels"]) != LABELS:
        raise ValueError(f"{settings.weights_file}: labels {data['labels']} are not {LABELS}")
    names = data["features"]
    return _Model({name: i for i, name in enumerate(names)},
                  tuple(tuple(row) for row in data["weights"]), tuple(data["bias"]))


def claim(text: str, settings: ClaimSettings = DEFAULT_CLAIM_SETTINGS) -> Claim:
    """The claim strength of ``text`` with its probability and the cues behind it."""
    return _claim(text, settings)


@lru_cache(maxsize=20_000)
def _claim(text: str, settings: ClaimSettings) -> Claim:
    model = _model(settings)
    scores = list(model.bias)
    for name in features(text):
        row = model.index.get(name)
        if row is not None:
            for k, w in enumerate(model.weights[row]):
                scores[k] += w
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    probs = tuple(e / total for e in exps)
    level = max(range(len(LABELS)), key=lambda k: (probs[k], -k))
    words = _word_forms(text)
    cues = tuple(c.phrase for klass in ("correlational", "causal")
                 for c in lexicon.claim_cues_in(words, klass))
    cues += tuple(c.phrase for c in lexicon.hedges_in(words))
    cues += tuple(c.phrase for c in lexicon.modals_in(words))
    strength = sum(k * p for k, p in enumerate(probs))
    return Claim(LABELS[level], level, probs[level], strength, probs, cues)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def passage_claim(text: str, settings: ClaimSettings = DEFAULT_CLAIM_SETTINGS) -> Claim:
    """The strongest claim among the sentences of a passage (a conclusion plus a sentence of
    context claims what its conclusion claims); ties go to the more confident sentence.

    >>> passage_claim("We studied 500 adults. Coffee lowers the risk of stroke.").label
    'direct_causal'
    """
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()] or [text]
    return max((claim(s, settings) for s in sentences), key=lambda c: (c.level, c.score))


def claim_strength(text: str, settings: ClaimSettings = DEFAULT_CLAIM_SETTINGS) -> str:
    """One of ``LABELS`` for the sentence ``text``."""
    return claim(text, settings).label
