"""Seeds gold: ``compare`` on the project's five seeds against the hand-made gold.

Gold spans are matched to predicted alignments by character overlap on both sides
(a segmenter may split differently and still be right); relations and divergence
types are then scored on the matched pairs, and quote verdicts by quote overlap.
The gold is the repository's ``tests/gold`` with ``seeds/`` (versioned with the
code); an installed package falls back to ``<data>/../seeds-gold`` and ``<data>/../seeds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.config import Settings
from crosscheck.evaluate.common import REPO_DIR, overlaps, settings_for
from crosscheck.match.compare import Matcher
from crosscheck.model import Comparison, Span

DATA = "../seeds-gold"

PAIRS = (("001", "000"), ("001", "004"), ("004", "000"), ("001", "002"), ("001", "003"))
QUOTE_DOCS = ("000", "003", "004")
# Types the seeds gold was annotated with. It was written before the verdict named
# details and claim strength, so it neither marks those present nor absent: type_f1
# scores the annotated types only, type_f1_all every type (a detail counts as wrong).
UNANNOTATED_TYPES = frozenset({"detail_added", "detail_dropped", "claim_strengthened", "claim_weakened"})


@dataclass
class Scores:
    pairs_gold: int = 0
    pairs_predicted: int = 0
    pairs_matched: int = 0
    relations_right: int = 0
    types_tp: int = 0
    types_fp: int = 0
    types_fn: int = 0
    unannotated_fired: int = 0
    quotes: int = 0
    quotes_right: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def alignment_f1(self) -> float:
        p = self.pairs_matched / self.pairs_predicted if self.pairs_predicted else 0.0
        r = self.pairs_matched / self.pairs_gold if self.pairs_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def relation_accuracy(self) -> float:
        return self.relations_right / self.pairs_matched if self.pairs_matched else 0.0

    @property
    def type_f1(self) -> float:
        tp, fp, fn = self.types_tp, self.types_fp, self.types_fn
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    @property
    def quote_accuracy(self) -> float:
        return self.quotes_right / self.quotes if self.quotes else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "alignment_f1": round(self.alignment_f1, 4),
            "relation_accuracy": round(self.relation_accuracy, 4),
            "type_f1": round(self.type_f1, 4),
            "type_f1_all": round(2 * self.types_tp / (2 * self.types_tp + self.types_fp + self.unannotated_fired + self.types_fn), 4)
            if self.types_tp + self.types_fp + self.unannotated_fired + self.types_fn else 1.0,
            "quote_accuracy": round(self.quote_accuracy, 4),
        }


def _spans(items: Sequence[dict[str, Any]]) -> list[Span]:
    return [Span(int(i["start"]), int(i["end"])) for i in items]


def load_gold(gold_dir: Path) -> dict[str, Any]:
    import yaml

    return {
        name: yaml.safe_load((gold_dir / f"{name}.yaml").read_text(encoding="utf-8"))
        for name in ("alignment", "quotes")
    }


def score_pair(comparison: Comparison, gold_items: Sequence[dict[str, Any]], scores: Scores, label: str) -> None:
    predicted = list(comparison.alignments)
    scores.pairs_gold += len(gold_items)
    scores.pairs_predicted += len(predicted)
    candidates = []
    for gi, g in enumerate(gold_items):
        g_rw, g_src = _spans(g["rewrite"]), _spans(g["source"])
        for pi, p in enumerate(predicted):
            o_rw = overlaps(g_rw, p.rewrite_spans)
            o_src = overlaps(g_src, p.source_spans)
            if o_rw > 0 and o_src > 0:
                candidates.append((o_rw + o_src, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(candidates, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, p = gold_items[gi], predicted[pi]
        scores.pairs_matched += 1
        if g["relation"] == p.relation:
            scores.relations_right += 1
        else:
            scores.mistakes.append(f"{label} relation {p.relation} != gold {g['relation']}: {g['rewrite'][0]['text'][:70]}")
        gold_types = set(g.get("types") or [])
        got = {d.type for d in p.types}
        scores.unannotated_fired += len(got & UNANNOTATED_TYPES)
        got -= UNANNOTATED_TYPES
        scores.types_tp += len(gold_types & got)
        scores.types_fp += len(got - gold_types)
        scores.types_fn += len(gold_types - got)
        if gold_types != got:
            scores.mistakes.append(
                f"{label} types {sorted(got)} != gold {sorted(gold_types)}: {g['rewrite'][0]['text'][:70]}"
            )
    for gi, g in enumerate(gold_items):
        if gi not in used_g:
            scores.mistakes.append(f"{label} missed: {g['rewrite'][0]['text'][:70]}")
    for pi, p in enumerate(predicted):
        if pi not in used_p:
            text = comparison.rewrite.text[p.rewrite_spans[0].start : p.rewrite_spans[0].end]
            src = comparison.source.text[p.source_spans[0].start : p.source_spans[0].end]
            scores.mistakes.append(f"{label} extra {p.relation} {p.similarity:.2f}: {text[:60]!r} ~ {src[:60]!r}")


def score_quotes(comparison: Comparison, gold_quotes: Sequence[dict[str, Any]], scores: Scores, label: str) -> None:
    for g in gold_quotes:
        scores.quotes += 1
        span = Span(int(g["start"]), int(g["end"]))
        hits = [q for q in comparison.quotes if q.quote.span.overlap(span) > 0]
        best = max(hits, key=lambda q: q.quote.span.overlap(span), default=None)
        if best is not None and best.verdict == g["verdict"]:
            scores.quotes_right += 1
        else:
            got = best.verdict if best else "no quote found"
            scores.mistakes.append(f"{label} quote {got} != gold {g['verdict']}: {g['text'][:60]}")


def score_gold(gold_dir: Path, seeds_dir: Path, settings: Settings | None = None) -> Scores:
    """Compare the gold pairs of the seeds and score them; ``mistakes`` lists every miss."""
    settings = settings or Settings()
    gold = load_gold(gold_dir)
    files = {p.name[:3]: p for p in sorted(seeds_dir.iterdir()) if p.suffix == ".txt"}
    scores = Scores()
    matchers: dict[str, Matcher] = {}
    comparisons: dict[tuple[str, str], Comparison] = {}
    for src, rw in PAIRS:
        matcher = matchers.setdefault(src, Matcher(files[src], settings))
        comparisons[(src, rw)] = comparison = matcher.compare(files[rw])
        items = [a for a in gold["alignment"]["alignments"] if a["source_doc"] == src and a["rewrite_doc"] == rw]
        score_pair(comparison, items, scores, f"{rw}->{src}")
    for doc in QUOTE_DOCS:
        items = [q for q in gold["quotes"] if q["doc"] == doc]
        score_quotes(comparisons[("001", doc)], items, scores, doc)
    return scores


def folders(data_dir: Path) -> tuple[Path, Path]:
    """The gold folder and the seeds folder: the repository's own, else the shared copies."""
    repo_gold, repo_seeds = REPO_DIR / "tests" / "gold", REPO_DIR / "seeds"
    if (repo_gold / "alignment.yaml").exists() and repo_seeds.is_dir():
        return repo_gold, repo_seeds
    return data_dir / DATA, data_dir / ".." / "seeds"


def present(data_dir: Path) -> bool:
    gold, seeds = folders(data_dir)
    return (gold / "alignment.yaml").exists() and seeds.is_dir()


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool) -> dict[str, float | int]:
    return explain(data_dir, settings, semantic)[0]


def explain(data_dir: Path, settings: Settings | None, semantic: bool) -> tuple[dict[str, float | int], list[str]]:
    """The figures, and one line per mistake (missed, extra, wrong relation, type or quote)."""
    gold, seeds = folders(data_dir)
    scores = score_gold(gold, seeds, settings_for(settings, semantic))
    figures: dict[str, float | int] = dict(scores.as_dict())
    figures.update(pairs_gold=scores.pairs_gold, pairs_predicted=scores.pairs_predicted, quotes=scores.quotes)
    return figures, list(scores.mistakes)
