"""The word alignment and typed changes of a pair, computed once per pair of passage texts.

The rewrites of one source repeat its sentences (a wire story and the ten sites that
reprint it, or the 100 rewrites of the benchmark), so the same source sentence meets the
same rewrite sentence again and again, each time at other offsets of another document.
What :func:`crosscheck.match.verdict.decide` reads off the words depends only on the texts
inside the spans, the verdict settings and the NLP pipeline in use; the offsets it cites are
moved to the spans at hand. The similarity, the speakers and the quotes, which do depend on
the document, are never cached.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from crosscheck.match.wordalign import Word, WordAlignment
from crosscheck.model import Divergence, Span
from crosscheck.text import nlp

MAX_ENTRIES = 20_000
"""Pairs kept; the oldest go first (a batch over one source stays well under it)."""

_memo: OrderedDict[tuple, tuple[Any, tuple[Span, ...], tuple[Span, ...], WordAlignment, tuple[Divergence, ...]]] = OrderedDict()


def _pieces(text: str, spans: Sequence[Span]) -> tuple[str, ...]:
    return tuple(text[s.start : s.end] for s in spans)


def aligned(
    src_text: str, src_spans: Sequence[Span], rw_text: str, rw_spans: Sequence[Span], settings: Any,
    compute: Callable[[], tuple[WordAlignment, tuple[Divergence, ...]]],
) -> tuple[WordAlignment, tuple[Divergence, ...]]:
    """``compute()`` for this pair, or what it gave for the same texts, moved to these spans."""
    key = (id(settings), nlp.generation(), _pieces(src_text, src_spans), _pieces(rw_text, rw_spans))
    hit = _memo.get(key)
    if hit is not None and hit[0] is settings:
        _, old_src, old_rw, wa, types = hit
        return _moved(wa, old_src, tuple(src_spans), old_rw, tuple(rw_spans)), types
    wa, types = compute()
    _memo[key] = (settings, tuple(src_spans), tuple(rw_spans), wa, types)  # keeps settings alive, so its id stays its own
    while len(_memo) > MAX_ENTRIES:
        _memo.popitem(last=False)
    return wa, types


def _shift(offset: int, old: tuple[Span, ...], new: tuple[Span, ...], end: bool = False) -> int:
    """``offset`` (a start, or with ``end`` an end) moved from the ``old`` spans to the ``new``."""
    if offset < 0:
        return offset
    for o, n in zip(old, new):
        if (o.start < offset <= o.end) if end else (o.start <= offset < o.end):
            return offset + n.start - o.start
    raise ValueError(f"offset {offset} outside the spans it was computed in")


def _moved(wa: WordAlignment, old_src: tuple[Span, ...], new_src: tuple[Span, ...],
           old_rw: tuple[Span, ...], new_rw: tuple[Span, ...]) -> WordAlignment:
    if old_src == new_src and old_rw == new_rw:
        return wa

    def words(ws: tuple[Word, ...], old: tuple[Span, ...], new: tuple[Span, ...]) -> tuple[Word, ...]:
        if old == new:
            return ws
        moves = [n.start - o.start for o, n in zip(old, new)]  # a word's part is the span it is in
        # Built field by field: dataclasses.replace costs ten times as much, on every word.
        return tuple(Word(w.text, w.start + moves[w.part], w.end + moves[w.part], w.key, w.lemma, w.base,
                          w.pos, w.entity, w.part, w.clause, w.initial) for w in ws)

    ops = tuple(
        dataclasses.replace(
            op, source_start=_shift(op.source_start, old_src, new_src), source_end=_shift(op.source_end, old_src, new_src, True),
            rewrite_start=_shift(op.rewrite_start, old_rw, new_rw), rewrite_end=_shift(op.rewrite_end, old_rw, new_rw, True))
        for op in wa.ops
    )
    return dataclasses.replace(wa, source=words(wa.source, old_src, new_src),
                               rewrite=words(wa.rewrite, old_rw, new_rw), ops=ops)
