"""The verdict's view of the field's resources: numbers, WordNet, claim strength.

Each comes from its own module (``numbers``, ``wordnet``, ``claim``), imported on first
use; when one is missing (not installed, or not yet on this branch) the verdict still
works with what the words alone show, and :func:`missing` names what is absent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from crosscheck.model import Span

_modules: dict[str, Any] = {}


def _module(name: str) -> Any:
    if name not in _modules:
        try:
            _modules[name] = __import__(f"crosscheck.match.{name}", fromlist=["_"])
        except ImportError:
            _modules[name] = None
    return _modules[name]


def missing() -> list[str]:
    """Resources the verdict runs without, by name."""
    out = [name for name in ("numbers", "claim") if _module(name) is None]
    wn = _module("wordnet")
    if wn is None or not wn.available():
        out.append("wordnet")
    return out


@lru_cache(maxsize=100_000)
def synonymous(a: str, b: str, pos: str | None = None) -> bool:
    wn = _module("wordnet")
    return bool(wn is not None and wn.available() and wn.synonymous(a, b, pos))


@lru_cache(maxsize=100_000)
def antonymous(a: str, b: str, pos: str | None = None) -> bool:
    wn = _module("wordnet")
    return bool(wn is not None and wn.available() and wn.antonymous(a, b, pos))


@lru_cache(maxsize=50_000)
def claim_strength(text: str) -> str | None:
    claim = _module("claim")
    if claim is None:
        return None
    result = claim.claim_strength(text)
    return result[0] if isinstance(result, tuple) else result


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _figures(text: str) -> list[str]:
    out = []
    for m in _FIGURE.finditer(text):
        value = m.group().replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.append(value)
    return out


def pair_quantities(
    s_text: str, s_spans: Sequence[Span], r_text: str, r_spans: Sequence[Span]
) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(changed pairs, figures only the source has, figures only the rewrite has), as text."""
    a = " ".join(s_text[p.start : p.end] for p in s_spans)
    b = " ".join(r_text[p.start : p.end] for p in r_spans)
    return _pair(a, b)


@lru_cache(maxsize=20_000)
def _pair(a: str, b: str) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    numbers = _module("numbers")
    if numbers is not None:
        qa, qb = numbers.quantities(a), numbers.quantities(b)
        changed, only_a, only_b = numbers.unmatched(qa, qb)
        return [(x.text, y.text) for x, y in changed], [q.text for q in only_a], [q.text for q in only_b]
    fa, fb = _figures(a), _figures(b)
    only_a = [x for x in fa if x not in fb]
    only_b = [y for y in fb if y not in fa]
    if only_a and only_b:
        return list(zip(only_a, only_b)), only_a[len(only_b):], only_b[len(only_a):]
    return [], only_a, only_b
