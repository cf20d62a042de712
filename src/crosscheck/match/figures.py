"""Figures two sentences state: the evidence that they report the same fact, or not.

A bullet whose figures all stand in one transcript line ("EPS of $0.61, revenue up
12.5%") renders that line, however it words the rest; two sentences that each state
two or more figures and share none report different facts, however alike their
template ("a profit of $354 million, or 72 cents a share"). Years are dates, not
figures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosscheck.match.words import Words

# Least figures each side must state for a conflict to count.
_FIGURES = 2


def figure_conflict(rw: Sequence[Words], src: Sequence[Words]) -> np.ndarray:
    """True for each (rewrite, source) pair that both state figures and share none."""
    out = np.zeros((len(rw), len(src)), dtype=bool)
    src_figures = [figures_of(w) for w in src]
    src_many = [j for j, f in enumerate(src_figures) if len(f) >= _FIGURES]
    for i, r in enumerate(rw):
        figures = figures_of(r)
        if len(figures) < _FIGURES:
            continue
        for j in src_many:
            out[i, j] = not (figures & src_figures[j])
    return out


def specific(figure: str) -> bool:
    """A figure that rarely recurs by chance: a decimal, or three digits and more, not a year."""
    return "." in figure or "," in figure or (len(figure) >= 3 and not is_year(figure))


def is_year(figure: str) -> bool:
    return len(figure) == 4 and figure.isdigit() and 1900 <= int(figure) <= 2099


def figures_of(words: Words) -> frozenset[str]:
    """The figures a passage states: its numbers, years left out."""
    return frozenset(f for f in words.numbers if not is_year(f))


def figure_support(rw: Sequence[Words], src: Sequence[Words]) -> np.ndarray:
    """True for each (rewrite, source) pair where every figure of the rewrite sentence
    stands in the source sentence: two figures or more, or one specific figure."""
    out = np.zeros((len(rw), len(src)), dtype=bool)
    src_figures = [figures_of(s) for s in src]
    for i, r in enumerate(rw):
        figures = figures_of(r)
        if not figures or (len(figures) < _FIGURES and not any(specific(f) for f in figures)):
            continue
        for j, s in enumerate(src_figures):
            out[i, j] = figures <= s
    return out
