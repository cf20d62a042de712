"""``pattern.search(text)`` as a yes/no, fast: skip the regex when a required literal is missing.

Python's regex engine tries a case-insensitive, unanchored pattern at every position
of a line, which on a 2,000-character paragraph costs far more than reading it once.
Most furniture rules are either anchored (``^...``) or need some literal run of
characters (``newsletter``, ``all rights reserved``). :func:`gate` reads that off the
parsed pattern: every alternative of the pattern is anchored at the start of the
text, or names a run of literal characters any match of it must contain. When no
required run is in the text, only the anchored alternatives can match, and only at
position 0, so ``pattern.match`` answers; otherwise ``pattern.search`` does. The answer
is always ``pattern.search(text) is not None``; a pattern whose structure is not read
here (an alternative with no literal run, inline flags) is simply searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Characters outside ASCII that a case-insensitive pattern matches with an ASCII letter
# (tests/test_gate.py checks the list against every code point).
_FOLD_TO_ASCII = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_ANCHORS = ("AT_BEGINNING", "AT_BEGINNING_STRING")
# Gates by pattern identity (hashing a compiled pattern hashes its code); each entry
# holds its pattern, so an id is never taken for another pattern's.
_GATES: dict[int, tuple[re.Pattern[str], Gate | None]] = {}


@dataclass(frozen=True)
class Gate:
    """What a pattern needs to match anywhere but position 0: one of ``literals``."""

    literals: tuple[str, ...]
    anchored: bool  # some alternative can match only at position 0
    fold: bool  # the literals are lower case and the text must be folded to match


def _flat(items):  # type: ignore[no-untyped-def]
    """The items of a sequence, with plain groups ``(?:...)`` opened into it."""
    for op, av in items:
        if str(op) == "SUBPATTERN" and not av[1] and not av[2]:
            yield from _flat(av[3].data)
        else:
            yield op, av


def _required_run(items, ascii_only: bool) -> str:  # type: ignore[no-untyped-def]
    """The longest run of consecutive literal characters in a sequence: every match of
    the sequence contains it."""
    best, run = "", []
    for op, av in [*_flat(items), (None, None)]:
        if str(op) == "LITERAL" and (not ascii_only or av < 128):
            run.append(chr(av))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best


@lru_cache(maxsize=512)
def gate(pattern: re.Pattern[str]) -> Gate | None:
    """The literal gate of a compiled pattern, or None when it cannot be read."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's internals, or a pattern this parser refuses
        return None
    flags = tree.state.flags
    fold = bool(flags & re.IGNORECASE)
    data = tree.data
    while len(data) == 1 and str(data[0][0]) == "SUBPATTERN" and not data[0][1][1] and not data[0][1][2]:
        data = data[0][1][3].data
    branches = data[0][1][1] if len(data) == 1 and str(data[0][0]) == "BRANCH" else [data]
    literals, anchored = [], False
    for branch in branches:
        items = list(getattr(branch, "data", branch))
        if items and str(items[0][0]) == "AT" and str(items[0][1]) in _ANCHORS and (
                str(items[0][1]) == "AT_BEGINNING_STRING" or not flags & re.MULTILINE):
            anchored = True
            continue
        run = _required_run(items, ascii_only=fold)
        if not run:
            return None
        literals.append(run.lower() if fold else run)
    return Gate(tuple(dict.fromkeys(literals)), anchored, fold)


@lru_cache(maxsize=256)
def folded(text: str) -> str:
    """``text`` lower-cased so that a case-insensitive ASCII literal's matches read as it."""
    if not text.isascii() and any(chr(c) in text for c in _FOLD_TO_ASCII):
        text = text.translate(_FOLD_TO_ASCII)
    return text.lower()


def searches(pattern: re.Pattern[str], text: str) -> bool:
    """``pattern.search(text) is not None``, skipping the search when it cannot match.

    >>> p = re.compile(r"^tags:|all rights reserved", re.I)
    >>> searches(p, "© 2022 Post. ALL RIGHTS RESERVED"), searches(p, "Tags: x"), searches(p, "a tags: b")
    (True, True, False)
    """
    known = _GATES.get(id(pattern))
    if known is None or known[0] is not pattern:
        if len(_GATES) > 4096:
            _GATES.clear()
        known = _GATES[id(pattern)] = (pattern, gate(pattern))
    found = known[1]
    if found is None:
        return pattern.search(text) is not None
    haystack = folded(text) if found.fold else text
    if any(literal in haystack for literal in found.literals):
        return pattern.search(text) is not None
    return found.anchored and pattern.match(text) is not None
