"""``pattern.search(text)`` as a yes/no, fast: skip the regex when a required literal is missing.

Python's regex engine tries a case-insensitive, unanchored pattern at every position
of a line, which on a 2,000-character paragraph costs far more than reading it once.
Most furniture rules are either anchored (``^...``) or need some literal run of
characters (``newsletter``, ``all rights reserved``). :func:`gate` reads that off the
parsed pattern: every alternative of the pattern is anchored at the start of the
text, or names a run of literal characters any match of it must contain. When no
required run is in the text, only the anchored alternatives can match, and only at
position 0, so ``pattern.match`` answers; otherwise ``pattern.search`` does.

Rules for what closes a line (a picture credit, a wire credit in brackets) end in
``$``: when every alternative ends with literal text and then only optional spaces, a
line whose last characters are none of those endings is answered without a search,
which would otherwise try the pattern at every position of a long paragraph.

The answer is always ``pattern.search(text) is not None``; a pattern whose structure
is not read here (an alternative with no literal run, inline flags) is simply searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Characters outside ASCII that a case-insensitive pattern matches with an ASCII letter
# (tests/test_gate.py checks the list against every code point).
_FOLD_TO_ASCII = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_ANCHORS = ("AT_BEGINNING", "AT_BEGINNING_STRING")
_END_ANCHORS = ("AT_END", "AT_END_STRING")
_BOUNDARIES = ("AT_BOUNDARY", "AT_NON_BOUNDARY")
_ZERO_WIDTH_TESTS = ("ASSERT", "ASSERT_NOT")
# Gates by pattern identity (hashing a compiled pattern hashes its code); each entry
# holds its pattern, so an id is never taken for another pattern's.
_GATES: dict[int, tuple[re.Pattern[str], Gate | None]] = {}


@dataclass(frozen=True)
class Gate:
    """What a pattern needs to match anywhere but position 0: one of ``literals``."""

    literals: tuple[str, ...] | tuple[bytes, ...]
    anchored: bool  # some alternative can match only at position 0
    fold: bool  # the literals are lower-case UTF-8, to look for in :func:`folded` text
    # Literals with no letter in them (``(``, ``/``): looked for in the text as it is,
    # even when ``fold``: no case to fold, and folding a long line costs more than the search.
    caseless: tuple[str, ...] = ()
    reach: int = 0  # length of the longest ending: how much of the line's end to read
    # Every match ends the text, but for trailing spaces, with one of these (lower case
    # when ``fold``); empty when some alternative is not read that way.
    endings: tuple[str, ...] = ()


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


def _is_space_run(op, av) -> bool:  # type: ignore[no-untyped-def]
    """``\\s*`` (or ``\\s*?``): any number of whitespace characters, none required."""
    if str(op) not in ("MAX_REPEAT", "MIN_REPEAT") or av[0] != 0:
        return False
    body = list(av[2])
    return (len(body) == 1 and str(body[0][0]) == "IN"
            and [(str(o), str(v)) for o, v in body[0][1]] == [("CATEGORY", "CATEGORY_SPACE")])


def _endings(items, ascii_only: bool) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """Literal text that every match of the sequence ends with (one of them), read
    backwards: a literal run, or the last run of each alternative of a group, or the
    characters of a set of literals. Empty when the end is anything else."""
    run: list[str] = []
    for op, av in reversed(list(_flat(items))):
        name = str(op)
        if name == "LITERAL" and (not ascii_only or av < 128):
            run.append(chr(av))
            continue
        if run:
            break
        if name == "BRANCH":
            ends = [_endings(alternative.data, ascii_only) for alternative in av[1]]
            return tuple(e for each in ends for e in each) if all(ends) else ()
        if name == "IN" and av and all(str(o) == "LITERAL" and (not ascii_only or v < 128) for o, v in av):
            return tuple(chr(v) for _, v in av)
        return ()
    return ("".join(reversed(run)),) if run else ()


def _branch_endings(items, multiline: bool, ascii_only: bool) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """What an alternative ending in ``$`` (after optional spaces) must end the text
    with, trailing spaces of it removed: a text matched by it keeps that ending when
    stripped on the right. Empty when the alternative is not anchored at the end."""
    items = list(_flat(items))
    if not items or str(items[-1][0]) != "AT" or str(items[-1][1]) not in _END_ANCHORS:
        return ()
    if multiline and str(items[-1][1]) == "AT_END":
        return ()
    items.pop()
    while items and _is_space_run(*items[-1]):
        items.pop()
    ends = tuple(e.rstrip() for e in _endings(items, ascii_only))
    return ends if ends and all(ends) else ()


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
    # Zero-width tests in front of the alternatives (``\b(?:a|b)``, or ``\ba|\bb``, which
    # the parser factors into that) consume nothing: each alternative still needs its run.
    lead = 0
    while lead < len(data) - 1 and (str(data[lead][0]) in _ZERO_WIDTH_TESTS or (
            str(data[lead][0]) == "AT" and str(data[lead][1]) in _BOUNDARIES)):
        lead += 1
    if lead and lead == len(data) - 1 and str(data[lead][0]) == "BRANCH":
        data = data[lead:]
    branches = data[0][1][1] if len(data) == 1 and str(data[0][0]) == "BRANCH" else [data]
    literals, anchored, endings, all_end = [], False, [], True
    for branch in branches:
        items = list(getattr(branch, "data", branch))
        ends = _branch_endings(items, bool(flags & re.MULTILINE), ascii_only=fold)
        endings += [e.lower() if fold else e for e in ends]
        all_end = all_end and bool(ends)
        if items and str(items[0][0]) == "AT" and str(items[0][1]) in _ANCHORS and (
                str(items[0][1]) == "AT_BEGINNING_STRING" or not flags & re.MULTILINE):
            anchored = True
            continue
        run = _required_run(items, ascii_only=fold)
        if not run:
            return None
        literals.append(run.lower() if fold else run)
    unique = tuple(dict.fromkeys(literals))
    caseless = tuple(x for x in unique if fold and not any(c.isalpha() for c in x))
    cased = tuple(x.encode() for x in unique if x not in caseless) if fold else unique
    closing = tuple(dict.fromkeys(endings)) if all_end else ()
    return Gate(cased, anchored, fold, caseless=caseless, endings=closing, reach=max(map(len, closing), default=0))


def folded(text: str) -> bytes:
    """``text`` as UTF-8 with its ASCII letters lower-cased, after turning the four
    characters that a case-insensitive pattern matches with an ASCII letter into that
    letter: a lower-case ASCII literal is in it wherever a case-insensitive search of
    ``text`` could match the literal. (Lower-casing bytes is several times faster than
    lower-casing a string that holds any character outside ASCII.)"""
    if not text.isascii() and any(chr(c) in text for c in _FOLD_TO_ASCII):
        text = text.translate(_FOLD_TO_ASCII)
    return text.encode("utf-8", "surrogatepass").lower()


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
    if found.endings and not _ends_with_one(text, found):
        return False
    for literal in found.caseless:  # (loops, not any(): this runs for every line and rule)
        if literal in text:
            return pattern.search(text) is not None
    if found.literals:
        haystack = folded(text) if found.fold else text
        for literal in found.literals:
            if literal in haystack:
                return pattern.search(text) is not None
    return found.anchored and pattern.match(text) is not None


def _ends_with_one(text: str, found: Gate) -> bool:
    """Whether ``text``, stripped on the right, ends with one of the gate's endings."""
    tail = text.rstrip()[-found.reach:]
    if found.fold:
        if not tail.isascii():
            tail = tail.translate(_FOLD_TO_ASCII)
        tail = tail.lower()
    return tail.endswith(found.endings)
