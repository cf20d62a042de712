"""ECTSum val: earnings-call transcripts (source) vs the Reuters bullet story (rewrite).

There are no alignment labels; the gold is derived (dev README section 4). A bullet's
gold lines are the transcript lines that hold every figure of the bullet. A figure is
a number written on its own, read by ``figures``: a leading ``$`` and any unit after
it are ignored, thousands separators removed, trailing decimal zeros dropped (``3.00``
is ``3``, ``.61`` is ``0.61``); numbers stuck to letters (``q3``, ``fy21``,
``covid-19``) are not figures, nor is a plain whole number from 1990 to 2030 (a year).
Bullets with no figure, or whose figures are on no single line, are left out and
counted apart.

Figures: of the evaluated bullets, the share linked correctly (an alignment covering
the bullet has a source span on a gold line), linked only to other lines, and left
unsupported; among the correct links the share with ``number_changed`` and the share
``divergent`` (false alarms: the line holds all the figures); the bullets linked to a
source passage lacking one of the bullet's figures, and the share of them where an
``ADDED_TYPES`` type names it (and, looser, where the link is not faithful); the
bullets whose figure is nowhere in the transcript and are still linked as faithful;
the one-line baseline (the line with the best rapidfuzz ``token_set_ratio``, case and
punctuation folded by its ``default_process``; the first such line on a tie) and the
union of tool and baseline. ``evaluate(limit=N)`` runs the first N calls in name order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.evaluate.common import line_spans, overlaps, ratio, settings_for, simple_relation
from crosscheck.model import Alignment, Comparison, Span

DATA = "ectsum_val/ects"
UNIT = "calls"
ADDED_TYPES = frozenset({"detail_added"})

# A number not touching a letter, digit, "_", "." "," or "-" before it, nor a letter or digit after it.
# With this reading the counts of the dev README come out exactly (845 bullets with a
# figure, 665 with a gold line, 145 with a figure absent, 35 spread over lines).
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,\-])(\$?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![A-Za-z0-9_])")


def figures(text: str) -> frozenset[str]:
    """The figures of a text, normalised (see the module docstring)."""
    out = set()
    for m in _NUMBER.finditer(text):
        dollar, number = m.group(1), m.group(2).replace(",", "")
        if "." in number:
            whole, frac = number.split(".", 1)
            frac = frac.rstrip("0")
            number = (whole or "0") + ("." + frac if frac else "")
        if "." not in number:
            number = number.lstrip("0") or "0"
        if not dollar and "." not in m.group(2) and "," not in m.group(2) and 1990 <= int(number) <= 2030:
            continue
        out.add(number)
    return frozenset(out)


@dataclass
class Tally:
    """Counts over the calls, added up call by call."""

    calls: int = 0
    bullets: int = 0
    with_figures: int = 0
    spread: int = 0
    absent: int = 0
    evaluated: int = 0
    linked_right: int = 0
    linked_wrong: int = 0
    right_number_changed: int = 0
    right_divergent: int = 0
    baseline_right: int = 0
    union_right: int = 0
    adds_figure: int = 0
    adds_named: int = 0
    adds_not_faithful: int = 0
    absent_faithful: int = 0
    absent_linked: int = 0
    notes: list[str] = field(default_factory=list)  # false alarms and unnamed additions, for --explain


def _baseline(bullet: str, lines: Sequence[str]) -> int:
    from rapidfuzz import fuzz, utils

    best, best_score = -1, -1.0
    for i, line in enumerate(lines):
        if line.strip():
            score = fuzz.token_set_ratio(bullet, line, processor=utils.default_process)
            if score > best_score:
                best, best_score = i, score
    return best


def _said(comparison: Comparison, alignment: Alignment) -> str:
    src = " ".join(comparison.source.text[s.start : s.end] for s in alignment.source_spans)
    types = ", ".join(f"{d.type} {list(d.source_words)}->{list(d.rewrite_words)}" for d in alignment.types)
    return f"{alignment.relation} [{types}] source {src[:80]!r}"


def score_call(comparison: Comparison, tally: Tally, label: str = "") -> None:
    source, story = comparison.source.text, comparison.rewrite.text
    src_lines, src_spans = source.split("\n"), line_spans(source)
    line_figures = [figures(line) for line in src_lines]
    all_figures = frozenset().union(*line_figures)
    tally.calls += 1
    for bullet_span, bullet in zip(line_spans(story), story.split("\n")):
        if not bullet.strip():
            continue
        tally.bullets += 1
        covering = [a for a in comparison.alignments if overlaps(a.rewrite_spans, [bullet_span])]
        wanted = figures(bullet)
        if not wanted:
            continue
        tally.with_figures += 1
        if not wanted <= all_figures:
            tally.absent += 1
            tally.absent_linked += bool(covering)
            tally.absent_faithful += any(simple_relation(a.relation) == "faithful" for a in covering)
        for a in covering:
            linked_text = " ".join(source[s.start : s.end] for s in a.source_spans)
            if not wanted <= figures(linked_text):
                tally.adds_figure += 1
                tally.adds_named += any(d.type in ADDED_TYPES for d in a.types)
                tally.adds_not_faithful += simple_relation(a.relation) != "faithful"
                if not any(d.type in ADDED_TYPES for d in a.types):
                    tally.notes.append(f"{label} added figure not named: {bullet[:70]!r} ~ {_said(comparison, a)}")
                break
        gold = [src_spans[i] for i, f in enumerate(line_figures) if wanted <= f]
        if not gold:
            tally.spread += wanted <= all_figures
            continue
        tally.evaluated += 1
        right = [a for a in covering if overlaps(a.source_spans, gold)]
        base = _baseline(bullet, src_lines)
        base_right = base >= 0 and wanted <= line_figures[base]
        tally.baseline_right += base_right
        tally.union_right += bool(right) or base_right
        if right:
            tally.linked_right += 1
            tally.right_number_changed += any(d.type == "number_changed" for a in right for d in a.types)
            tally.right_divergent += any(a.relation == "divergent" for a in right)
            tally.notes += [f"{label} false alarm: {bullet[:70]!r} ~ {_said(comparison, a)}" for a in right if a.relation == "divergent"]
        elif covering:
            tally.linked_wrong += 1


def figures_of(t: Tally) -> dict[str, float | int]:
    return {
        "calls": t.calls,
        "bullets": t.bullets,
        "bullets_with_figures": t.with_figures,
        "bullets_figure_absent": t.absent,
        "bullets_figures_spread": t.spread,
        "evaluated.n": t.evaluated,
        "linked_right": ratio(t.linked_right, t.evaluated),
        "linked_wrong_only": ratio(t.linked_wrong, t.evaluated),
        "unsupported": ratio(t.evaluated - t.linked_right - t.linked_wrong, t.evaluated),
        "right.n": t.linked_right,
        "right.number_changed": ratio(t.right_number_changed, t.linked_right),
        "right.divergent": ratio(t.right_divergent, t.linked_right),
        "adds_figure.n": t.adds_figure,
        "adds_figure.named": ratio(t.adds_named, t.adds_figure),
        "adds_figure.not_faithful": ratio(t.adds_not_faithful, t.adds_figure),
        "figure_absent.linked": ratio(t.absent_linked, t.absent),
        "figure_absent.faithful": ratio(t.absent_faithful, t.absent),
        "baseline.linked_right": ratio(t.baseline_right, t.evaluated),
        "union.linked_right": ratio(t.union_right, t.evaluated),
    }


def call_names(data_dir: Path) -> list[str]:
    folder = data_dir / "ectsum_val"
    return sorted(p.name for p in (folder / "ects").glob("*.txt") if (folder / "gt_summaries" / p.name).exists())


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool, limit: int | None = None) -> dict[str, float | int]:
    return explain(data_dir, settings, semantic, limit)[0]


def explain(data_dir: Path, settings: Settings | None, semantic: bool, limit: int | None = None) -> tuple[dict[str, float | int], list[str]]:
    """The figures, and one line per divergent call on a correct link and per unnamed added figure."""
    from crosscheck.match.compare import compare

    settings = settings_for(settings, semantic)
    folder = data_dir / "ectsum_val"
    tally = Tally()
    for name in call_names(data_dir)[:limit]:
        score_call(compare(folder / "ects" / name, folder / "gt_summaries" / name, settings), tally, name.removesuffix(".txt"))
    return figures_of(tally), tally.notes
