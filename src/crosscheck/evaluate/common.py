"""What every evaluation set shares: finding the data, span overlap, P/R/F1, settings per mode.

The set modules only turn their gold into counts; the arithmetic of a score lives
here, once, so that "precision" means the same thing in every table.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from crosscheck.config import Settings
from crosscheck.model import Span

ENV_DATA = "CROSSCHECK_DEV_DATA"
# The package sits at <repo>/src/crosscheck/evaluate; CI clones the repo beside shared/.
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parents[2]
DEFAULT_DATA = REPO_DIR / ".." / "shared" / "dev"

# Relations a user reads as "the same statement".
FAITHFUL_RELATIONS = frozenset({"verbatim", "faithful_paraphrase"})


def data_dir(explicit: str | Path | None = None) -> Path:
    """The dev data folder: ``--data``, else ``$CROSSCHECK_DEV_DATA``, else ``<repo>/../shared/dev``.

    A checkout nested deeper (a git worktree) finds the nearest ``shared/dev`` above it.
    """
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_DATA)
    if env:
        return Path(env)
    for parent in REPO_DIR.parents:
        if (parent / "shared" / "dev").is_dir():
            return parent / "shared" / "dev"
    return DEFAULT_DATA.resolve()


def settings_for(settings: Settings | None, semantic: bool) -> Settings:
    """The settings with ``match.semantic`` forced on or off (a copy; settings are never mutated)."""
    return (settings or Settings()).with_values({"match.semantic": "on" if semantic else "off"})


def simple_relation(relation: str) -> str:
    """The tool's relation on the gold's scale: verbatim and faithful paraphrase are both faithful."""
    return "faithful" if relation in FAITHFUL_RELATIONS else relation


# -- spans -------------------------------------------------------------------------


def overlaps(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Characters shared by two sets of spans (0 when they do not touch)."""
    b = list(b)
    return sum(x.overlap(y) for x in a for y in b)


_QUOTES = "\"'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a`\u00b4"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def tolerant_pattern(text: str) -> re.Pattern[str]:
    """A regex finding ``text`` with any quote for a quote, any dash for a dash, any run of spaces for spaces."""
    parts: list[str] = []
    for chunk in re.split(r"(\s+)", text.strip()):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append(r"\s+")
            continue
        for ch in chunk:
            if ch in _QUOTES:
                parts.append(f"[{re.escape(_QUOTES)}]")
            elif ch in _DASHES:
                parts.append(f"[{re.escape(_DASHES)}]")
            else:
                parts.append(re.escape(ch))
    return re.compile("".join(parts))


def find_spans(haystack: str, needle: str) -> list[Span]:
    """Every place ``needle`` occurs in ``haystack``, matched tolerantly (see ``tolerant_pattern``)."""
    if not needle.strip():
        return []
    return [Span(m.start(), m.end()) for m in tolerant_pattern(needle).finditer(haystack)]


def line_spans(text: str) -> list[Span]:
    """The span of every line of ``text`` (newline excluded), empty lines included so indices are line numbers."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append(Span(start, start + len(line)))
        start += len(line) + 1
    return spans


# -- scores ------------------------------------------------------------------------


def ratio(part: int | float, whole: int | float) -> float:
    """``part / whole``, 0.0 when there is nothing to divide."""
    return part / whole if whole else 0.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts; each 0.0 when undefined."""
    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    return p, r, ratio(2 * p * r, p + r)


def prf_of(gold: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1 of a per-item yes/no prediction against per-item gold."""
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return prf(tp, fp, fn)


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Mean F1 over ``labels`` (a label never gold and never predicted counts as 0)."""
    scores = [prf_of([g == lab for g in gold], [p == lab for p in predicted])[2] for lab in labels]
    return ratio(sum(scores), len(labels))


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95% interval of a proportion, for figures measured on few items."""
    if n == 0:
        return 0.0, 0.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def words(text: str) -> set[str]:
    """Lower-cased word and number tokens, for evidence checks that ignore tokenisation differences."""
    return set(re.findall(r"\w+(?:[.,]\d+)*", text.lower()))
