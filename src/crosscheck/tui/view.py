"""What the TUI shows, worked out from a Comparison without any widget.

The app steps through *items* (an alignment, an unsupported rewrite sentence, an
omitted source sentence), marks every sentence with the kind of link it has, and
finds the words a rewrite dropped or added. Keeping this pure lets the tests check
navigation and word diffs on real text without running a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crosscheck.model import Alignment, Comparison, Span

# Gutter symbols: the markers must read without colour.
MARKS: dict[str, str] = {
    "verbatim": "=",
    "faithful_paraphrase": "~",
    "divergent": "!",
    "partial": "+",
    "unsupported": "?",
    "omitted": "-",
}
# When a sentence belongs to several alignments, the gutter shows the most telling one.
_MARK_RANK = {"divergent": 4, "partial": 3, "faithful_paraphrase": 2, "verbatim": 1}
LEGEND = "  ".join(f"{symbol} {name.replace('_', ' ')}" for name, symbol in MARKS.items())


@dataclass(frozen=True)
class Item:
    """One place the user can step to, with the sentences it covers on each side."""

    kind: str  # "alignment", "unsupported" or "omitted"
    index: int  # into comparison.alignments / .unsupported / .omitted
    source: tuple[int, ...]
    rewrite: tuple[int, ...]
    relation: str  # the alignment's relation, else the kind
    divergence: float
    types: tuple[str, ...]
    text: str  # the rewrite's words (the source's for an omitted sentence)

    @property
    def mark(self) -> str:
        return MARKS.get(self.relation, " ")


def items_of(c: Comparison) -> list[Item]:
    """Everything to step through, in reading order of the rewrite; omitted source
    sentences (which have no place in the rewrite) come last, in source order."""
    out: list[tuple[tuple[int, int], Item]] = []
    for k, a in enumerate(c.alignments):
        text = " ".join(c.rewrite.text[s.start : s.end] for s in a.rewrite_spans)
        types = tuple(dict.fromkeys(d.type for d in a.types))
        item = Item("alignment", k, a.source_sentences, a.rewrite_sentences, a.relation, a.divergence, types, text)
        out.append(((min(a.rewrite_sentences, default=0), 0), item))
    for k, u in enumerate(c.unsupported):
        out.append(((u.sentence, 1), Item("unsupported", k, (), (u.sentence,), "unsupported", 1.0, (), u.text)))
    ordered = [item for _, item in sorted(out, key=lambda pair: pair[0])]
    omitted = sorted(enumerate(c.omitted), key=lambda pair: pair[1].sentence)
    ordered += [Item("omitted", k, (u.sentence,), (), "omitted", 1.0, (), u.text) for k, u in omitted]
    return ordered


def sentence_marks(c: Comparison) -> tuple[dict[int, str], dict[int, str]]:
    """The marker kind of every linked or flagged sentence, for source and rewrite."""
    source: dict[int, str] = {}
    rewrite: dict[int, str] = {}
    for a in c.alignments:
        for side, indices in ((source, a.source_sentences), (rewrite, a.rewrite_sentences)):
            for k in indices:
                if _MARK_RANK.get(a.relation, 0) > _MARK_RANK.get(side.get(k, ""), 0):
                    side[k] = a.relation
    for u in c.unsupported:
        rewrite.setdefault(u.sentence, "unsupported")
    for u in c.omitted:
        source.setdefault(u.sentence, "omitted")
    return source, rewrite


# -- filters and sorting -------------------------------------------------------------


def filter_choices(items: Sequence[Item]) -> list[tuple[str, str]]:
    """(key, label) of every filter that would show something, "all" first."""
    choices = [("all", f"everything ({len(items)})")]
    for name in (*_MARK_RANK, "unsupported", "omitted"):
        n = sum(1 for i in items if i.relation == name)
        if n:
            choices.append((name, f"{MARKS[name]} {name.replace('_', ' ')} ({n})"))
    types = sorted({t for i in items for t in i.types})
    for t in types:
        n = sum(1 for i in items if t in i.types)
        choices.append((f"type:{t}", f"type: {t} ({n})"))
    return choices


def matches(item: Item, key: str) -> bool:
    """Whether an item passes a filter key from :func:`filter_choices`."""
    if key == "all":
        return True
    if key.startswith("type:"):
        return key[5:] in item.types
    return item.relation == key


def by_divergence(items: Sequence[Item]) -> list[Item]:
    """Most divergent alignments first, then unsupported, then omitted sentences."""
    rank = {"alignment": 0, "unsupported": 1, "omitted": 2}
    return sorted(items, key=lambda i: (rank[i.kind], -i.divergence))


def step(items: Sequence[Item], current: int | None, forward: bool, want: Callable[[Item], bool]) -> int | None:
    """The position of the next (or previous) wanted item after ``current``, wrapping round.

    >>> its = [Item("alignment", k, (k,), (k,), r, 0.0, (), "") for k, r in enumerate("vdvd")]
    >>> step(its, None, True, lambda i: i.relation == "d")
    1
    >>> step(its, 3, True, lambda i: i.relation == "d")
    1
    >>> step(its, 1, False, lambda i: i.relation == "d")
    3
    """
    n = len(items)
    if not n:
        return None
    if current is None:
        order = range(n) if forward else range(n - 1, -1, -1)
    elif forward:
        order = [(current + k) % n for k in range(1, n + 1)]
    else:
        order = [(current - k) % n for k in range(1, n + 1)]
    for k in order:
        if want(items[k]):
            return k
    return None


# -- word-level diff on the original text --------------------------------------------

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def words_with_spans(text: str, spans: Sequence[Span]) -> list[tuple[str, Span]]:
    """The words of ``text`` inside ``spans``, with where each one stands.

    >>> words_with_spans("Yes. No direct threat!", [Span(5, 22)])
    [('No', Span(start=5, end=7)), ('direct', Span(start=8, end=14)), ('threat', Span(start=15, end=21))]
    """
    out = []
    for span in spans:
        for m in _WORD.finditer(text, span.start, span.end):
            out.append((m.group(), Span(m.start(), m.end())))
    return out


def changed_words(text: str, spans: Sequence[Span], alignment: Alignment, side: str) -> list[Span]:
    """Where, in the original text, the words stand that this side lost (source) or
    gained (rewrite) in the alignment's word diff.

    Each diff operation carries its offsets into both original texts, so the words are
    found where they are written, curly quotes and spacing included, with no second diff.
    """
    out: list[Span] = []
    for op in alignment.diff:
        if op.op == "equal" or op.op == ("insert" if side == "source" else "delete"):
            continue
        start, end = (op.source_start, op.source_end) if side == "source" else (op.rewrite_start, op.rewrite_end)
        if start < 0:
            continue
        out.extend(s for _, s in words_with_spans(text, [Span(max(start, p.start), min(end, p.end)) for p in spans if p.start < end and start < p.end]))
    return sorted(set(out))


def find_sentences(texts: Sequence[str], needle: str, after: int | None) -> int | None:
    """The next sentence (wrapping round) whose text holds ``needle``, ignoring case.

    >>> find_sentences(["Russia has no problems.", "No direct threat.", "Problems."], "problems", 0)
    2
    """
    needle = needle.casefold().strip()
    if not needle:
        return None
    n = len(texts)
    start = -1 if after is None else after
    for k in range(1, n + 1):
        j = (start + k) % n
        if needle in texts[j].casefold():
            return j
    return None
