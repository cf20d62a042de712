"""ETPC: typed paraphrase spans of MSRP pairs, against the types ``crosscheck.score`` names.

Source = ``s1``, rewrite = ``s2``, scored with the sentence-level API. Gold is per pair:
the pair has a sense-changing span of a kind (dev README section 2):

- ``numbers``: a named-entity substitution whose two sides both hold a number (a digit or a
  number word: "nine states" / "eight states") -> ``number_changed``;
- ``names``: the other named-entity substitutions -> ``entity_changed``;
- ``polarity``: opposite polarity substitution (habitual, contextual) or negation switching -> ``negation_changed``;
- ``addition``: Addition/Deletion -> any of ``DETAIL_TYPES``;
- ``any``: any sense-changing span -> any meaning type (``VerdictSettings.meaning_types``)
  or detail type (an Addition/Deletion is found by the detail it names).

Per kind: precision, recall, F1, the firing rate on pairs without that gold, and the
evidence rate (of the right firings, the share whose named words overlap the gold
span tokens on every side the span has). ``keeps_sense.no_meaning_type`` is the share
of the pairs whose spans all keep the sense that get no meaning type (few pairs:
the Wilson interval is given too). Meaning types are exactly the verdict's
(``VerdictSettings.meaning_types``), as the relation rule reads them: a cut or an added
clause is a detail, not a moved meaning, so a sense-keeping Addition/Deletion that the
verdict names as a detail is right. ``keeps_sense.no_change_type`` counts details as
firings too, for comparison.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.evaluate.common import prf_of, ratio, settings_for, wilson, words
from crosscheck.model import Divergence

DATA = "etpc_train.jsonl"
UNIT = "pairs"

NAMED = "Same Polarity Substitution (named ent.)"
POLARITY = frozenset({"Opposite polarity substitution (habitual)", "Opposite polarity substitution (contextual)", "Negation switching"})
ADDITION = "Addition/Deletion"
# Types that say content is on one side only (``detail_*`` come with the verdict work).
DETAIL_TYPES = frozenset({"detail_added", "detail_dropped", "omission", "summary"})


def _has_number(tokens: Sequence[str]) -> bool:
    """A token with a digit, or a number word ("nine states", "two dozen", "a tenth of a
    point", "six-year-olds"): a figure written out is a figure too."""
    from crosscheck.match.numwords import number_words

    table = number_words("en")
    words = {**table.units, **table.tens, **table.hundreds, **table.scales, **table.dozens,
             **table.fractions, **table.fraction_plurals, **table.ordinals}
    return any(re.search(r"\d", t) or any(part in words for part in t.lower().split("-")) for t in tokens)


def span_kind(span: dict[str, Any]) -> str | None:
    """The kind a sense-changing span is gold for, or None."""
    kind = span["type"]
    if kind == NAMED:
        return "numbers" if _has_number(span["s1_tokens"]) and _has_number(span["s2_tokens"]) else "names"
    if kind in POLARITY:
        return "polarity"
    if kind == ADDITION:
        return "addition"
    return None


def meaning_types() -> frozenset[str]:
    """The verdict's own meaning types: what makes a link divergent."""
    from crosscheck.config.verdict import VerdictSettings

    return frozenset(VerdictSettings().meaning_types)


def change_types() -> frozenset[str]:
    """Meaning types and the details one side alone carries: what ``any`` counts as
    finding a sense-changing span (an Addition/Deletion is found by a detail type)."""
    return meaning_types() | (DETAIL_TYPES - {"omission", "summary"})


KINDS: dict[str, frozenset[str]] = {
    "numbers": frozenset({"number_changed"}),
    "names": frozenset({"entity_changed"}),
    "polarity": frozenset({"negation_changed"}),
    "addition": DETAIL_TYPES,
}


@dataclass(frozen=True)
class Pair:
    """One pair: its gold spans by kind and the types the tool named."""

    gold: dict[str, tuple[dict[str, Any], ...]]
    any_changing: bool
    types: tuple[Divergence, ...]


def evidence_holds(fired: Iterable[Divergence], spans: Iterable[dict[str, Any]]) -> bool:
    """Some fired type's words overlap some gold span's tokens on every side the span has."""
    fired, spans = list(fired), list(spans)
    for d in fired:
        src, rw = words(" ".join(d.source_words)), words(" ".join(d.rewrite_words))
        for span in spans:
            g1, g2 = words(" ".join(span["s1_tokens"])), words(" ".join(span["s2_tokens"]))
            if (not g1 or src & g1) and (not g2 or rw & g2) and (src & g1 or rw & g2):
                return True
    return False


def read_pairs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_rows(rows: Sequence[dict[str, Any]], settings: Settings) -> list[Pair]:
    import crosscheck

    embedder: Any = None if settings.match.semantic == "off" else "auto"
    if embedder == "auto":
        from crosscheck.semantic.bridge import embedder_for

        embedder = embedder_for(settings)
    if embedder is not None:
        # One batch for every sentence (the embedder caches them), not two texts a call.
        embedder.embed(sorted({r[k] for r in rows for k in ("s1", "s2")}))
    pairs = []
    for row in rows:
        gold: dict[str, list[dict[str, Any]]] = {}
        changing = [s for s in row["spans"] if not s["sense_preserving"]]
        for span in changing:
            kind = span_kind(span)
            if kind:
                gold.setdefault(kind, []).append(span)
        result = crosscheck.score(row["s1"], row["s2"], settings, embedder=embedder)
        pairs.append(Pair({k: tuple(v) for k, v in gold.items()}, bool(changing), result.types))
    return pairs


def figures_of(pairs: Sequence[Pair]) -> dict[str, float | int]:
    out: dict[str, float | int] = {"pairs": len(pairs)}
    for kind, names in KINDS.items():
        gold = [kind in p.gold for p in pairs]
        fired = [any(d.type in names for d in p.types) for p in pairs]
        precision, recall, f1 = prf_of(gold, fired)
        right = [p for p, g, f in zip(pairs, gold, fired) if g and f]
        negatives = [f for g, f in zip(gold, fired) if not g]
        out[f"{kind}.n"] = sum(gold)
        out[f"{kind}.precision"] = precision
        out[f"{kind}.recall"] = recall
        out[f"{kind}.f1"] = f1
        out[f"{kind}.fires_without_gold"] = ratio(sum(negatives), len(negatives))
        out[f"{kind}.evidence"] = ratio(sum(evidence_holds((d for d in p.types if d.type in names), p.gold[kind]) for p in right), len(right))
    meaning, change = meaning_types(), change_types()
    gold = [p.any_changing for p in pairs]
    fired = [any(d.type in change for d in p.types) for p in pairs]
    precision, recall, f1 = prf_of(gold, fired)
    out.update({"any.n": sum(gold), "any.precision": precision, "any.recall": recall, "any.f1": f1})
    kept = [p for p in pairs if not p.any_changing]
    keeps = [not any(d.type in meaning for d in p.types) for p in kept]
    low, high = wilson(sum(keeps), len(keeps))
    out.update({"keeps_sense.n": len(keeps), "keeps_sense.no_meaning_type": ratio(sum(keeps), len(keeps)),
                "keeps_sense.low95": low, "keeps_sense.high95": high,
                "keeps_sense.no_change_type": ratio(sum(not any(d.type in change for d in p.types) for p in kept), len(kept))})
    return out


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool, limit: int | None = None) -> dict[str, float | int]:
    """All pairs (``limit``: the first ``limit`` in file order, for quick checks)."""
    rows = read_pairs(data_dir / DATA)
    return figures_of(score_rows(rows[:limit] if limit else rows, settings_for(settings, semantic)))
