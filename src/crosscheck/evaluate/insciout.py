"""InSciOut: abstract vs press-release conclusions, labelled exaggerates / downplays / same.

Source = ``abstract_conclusion``, rewrite = ``press_release_conclusion``, scored with
``crosscheck.score``. The label is read off the types by this rule, fixed before the
first measurement (1 Dec 2026) and not tuned since:

Each type casts a vote, up (the press release claims more) or down (it claims less):
- ``claim_strengthened`` up, ``claim_weakened`` down;
- ``qualifier_dropped`` up (a hedge or a restriction is gone), but down when every
  word it drops is a booster (``BOOSTERS``: a certainty, totality or intensifying word);
- ``qualifier_added`` down, but up when every word it adds is a booster;
- ``modality_changed``: the strength of the strongest modal on each side
  (``MODAL_STRENGTH``: possibility 1, obligation 2, certainty 3; a side the type
  cites no modal for is a bare statement, 3); up when the rewrite's is stronger,
  down when weaker, no vote when equal.
More up than down votes is ``exaggerates``, more down is ``downplays``, else ``same``.

Figures (dev README section 3): macro-F1 over the three labels, accuracy, per-label
P/R/F1, the confusion matrix (``confusion.GOLD.PREDICTED``), the always-``same``
baseline, and on the pairs whose strength changed how often a qualifier, modality or
claim type fires and how often the rule's direction is then right.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.evaluate.common import macro_f1, prf_of, ratio, settings_for
from crosscheck.model import Divergence

DATA = "insciout_train.jsonl"
UNIT = "pairs"
LABELS = ("exaggerates", "downplays", "same")
STRENGTH_TYPES = frozenset({"qualifier_dropped", "qualifier_added", "modality_changed", "claim_strengthened", "claim_weakened"})
BOOSTERS = frozenset(
    "certainly definitely surely undoubtedly inevitably absolutely clearly unquestionably entirely completely fully "
    "totally wholly always strongly significantly substantially greatly highly markedly dramatically".split()
    + ["of course", "at all"]
)
MODAL_STRENGTH = {
    **dict.fromkeys(["may", "might", "could", "can", "possibly", "perhaps", "likely", "probably", "maybe",
                     "is expected to", "are expected to"], 1),
    **dict.fromkeys(["will have to", "would have to", "must", "have to", "has to", "had to", "need to",
                     "needs to", "should", "ought to", "required to", "obliged to", "forced to"], 2),
    **dict.fromkeys(["will", "shall", "won't", "certainly", "definitely", "surely", "inevitably",
                     "is bound to", "are bound to"], 3),
}
BARE = 3


def _all_boosters(words: Iterable[str]) -> bool:
    words = [w.lower() for w in words]
    return bool(words) and all(w in BOOSTERS for w in words)


def _modal_strength(words: Sequence[str]) -> int:
    known = [MODAL_STRENGTH[w.lower()] for w in words if w.lower() in MODAL_STRENGTH]
    return max(known) if known else BARE


def vote(d: Divergence) -> int:
    """+1 when the type says the rewrite claims more, -1 less, 0 no direction."""
    if d.type == "claim_strengthened":
        return 1
    if d.type == "claim_weakened":
        return -1
    if d.type == "qualifier_dropped":
        return -1 if _all_boosters(d.source_words) else 1
    if d.type == "qualifier_added":
        return 1 if _all_boosters(d.rewrite_words) else -1
    if d.type == "modality_changed":
        before, after = _modal_strength(d.source_words), _modal_strength(d.rewrite_words)
        return (after > before) - (after < before)
    return 0


def label_of(types: Iterable[Divergence]) -> str:
    total = sum(vote(d) for d in types)
    return "exaggerates" if total > 0 else "downplays" if total < 0 else "same"


def figures_of(gold: Sequence[str], types: Sequence[Sequence[Divergence]]) -> dict[str, float | int]:
    predicted = [label_of(t) for t in types]
    out: dict[str, float | int] = {"pairs": len(gold), "macro_f1": macro_f1(gold, predicted, LABELS),
                                   "accuracy": ratio(sum(g == p for g, p in zip(gold, predicted)), len(gold))}
    for lab in LABELS:
        p, r, f = prf_of([g == lab for g in gold], [x == lab for x in predicted])
        out.update({f"{lab}.n": sum(g == lab for g in gold), f"{lab}.precision": p, f"{lab}.recall": r, f"{lab}.f1": f})
    for g_lab in LABELS:
        for p_lab in LABELS:
            out[f"confusion.{g_lab}.{p_lab}"] = sum(g == g_lab and p == p_lab for g, p in zip(gold, predicted))
    same = ["same"] * len(gold)
    out["baseline_same.macro_f1"] = macro_f1(gold, same, LABELS)
    out["baseline_same.accuracy"] = ratio(gold.count("same"), len(gold))
    changed = [i for i, g in enumerate(gold) if g != "same"]
    fires = [i for i in changed if any(d.type in STRENGTH_TYPES for d in types[i])]
    out["strength_changed.n"] = len(changed)
    out["strength_changed.type_fires"] = ratio(len(fires), len(changed))
    out["strength_changed.direction_right"] = ratio(sum(predicted[i] == gold[i] for i in fires), len(fires))
    return out


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool) -> dict[str, float | int]:
    import crosscheck

    settings = settings_for(settings, semantic)
    embedder: Any = None
    if semantic:
        from crosscheck.semantic.bridge import embedder_for

        embedder = embedder_for(settings)
    rows = read_rows(data_dir / DATA)
    types = [crosscheck.score(r["abstract_conclusion"], r["press_release_conclusion"], settings, embedder=embedder).types for r in rows]
    return figures_of([r["exaggeration_label"] for r in rows], types)
