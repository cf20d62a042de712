"""Flips of polarity a word alignment shows: negations, negative verbs, antonyms, directions.

Each flip is one change of sign; an even number cancel ("declined to respond" is "did
not respond", "fail to meet" is "don't meet"), so ``negation_changed`` fires when the
count is odd, citing every flip. A flip counts only where the statement it flips is
kept: a negation whose head word (the first content word after it that is not an
adverb) the other passage keeps; a negative verb whose complement it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosscheck.config.verdict import VerdictSettings
from crosscheck.match import resources
from crosscheck.match.cues import _clause_kept, _grouped, _phrases
from crosscheck.match.wordalign import Word, WordAlignment
from crosscheck.model import Divergence

Flip = tuple[tuple[str, ...], tuple[str, ...]]
_WORDNET_POS = {"NOUN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}


def negation(wa: WordAlignment, s: VerdictSettings) -> list[Divergence]:
    """``negation_changed`` when the flips the alignment shows are odd in number."""
    flips = _cue_flips(wa, s) + _verb_flips(wa, s) + _substitution_flips(wa, s)
    if not any(len(f[0]) == 1 and len(f[1]) == 1 for f in flips):
        flips += _directions(wa, s)
    if len(flips) % 2 == 0:
        return []
    return [Divergence("negation_changed", _flat(f[0] for f in flips), _flat(f[1] for f in flips))]


def _cue_flips(wa: WordAlignment, s: VerdictSettings) -> list[Flip]:
    """A negation one side has, the word it negates and its clause kept in the other."""
    flips: list[Flip] = []
    for side, words, kept in (("source", wa.source, wa.kept_source), ("rewrite", wa.rewrite, wa.kept_rewrite)):
        idioms = [(i, j) for _, _, i, j in _grouped(words, s.qualifiers)]  # the "nothing" of "nothing but"
        for text, i, j in _phrases(words, s.negations):
            if any(k in kept for k in range(i, j)) or any(a <= i and j <= b for a, b in idioms):
                continue
            if _head(words, j, kept) and _clause_kept(words, i, kept) >= s.clause_share:
                flips.append(((text,), ()) if side == "source" else ((), (text,)))
    return flips


def _head(words: Sequence[Word], end: int, kept: frozenset[int]) -> bool:
    """What a negation negates follows it: its first content word that is not an
    adverb ("not immediately respond" negates "respond"), kept in the other passage."""
    clause = words[end - 1].clause
    for k in range(end, len(words)):
        if words[k].clause != clause:
            return False
        if words[k].is_content and words[k].pos != "ADV":
            return k in kept
    return False


def _negative(words: Sequence[Word], k: int, negative: frozenset[str], s: VerdictSettings) -> bool:
    """A negative verb used as one: not a movement ("declined 25 points", "cut 5%")."""
    if words[k].base not in negative:
        return False
    nxt = words[k + 1 : k + 3]
    return not any(_figure(w) for w in nxt[:1]) and not (
        _direction(words[k], s) and len(nxt) == 2 and nxt[0].key in ("to", "by") and _figure(nxt[1])
    )


def _verb_flips(wa: WordAlignment, s: VerdictSettings) -> list[Flip]:
    """A negative verb one side adds or drops, before "to" and a verb both keep."""
    negative = resources.negative_verbs(s.negative_verb_lexicon)
    flips: list[Flip] = []
    for side, words, alone, kept in (
        ("source", wa.source, wa.dropped, wa.kept_source), ("rewrite", wa.rewrite, wa.added, wa.kept_rewrite),
    ):
        for k in alone:
            if _negative(words, k, negative, s) and k + 2 < len(words) and words[k + 1].key == "to" and k + 2 in kept:
                flips.append(((words[k].text,), ()) if side == "source" else ((), (words[k].text,)))
    return flips


def _substitution_flips(wa: WordAlignment, s: VerdictSettings) -> list[Flip]:
    """A negative verb put for one that is not ("confirmed" → "denied"), or an antonym."""
    negative = resources.negative_verbs(s.negative_verb_lexicon)
    light = set(s.light_verbs)
    flips: list[Flip] = []
    for sub in wa.substituted:
        if len(sub.source) > s.max_substitution_words or len(sub.rewrite) > s.max_substitution_words:
            continue
        si = [i for i in sub.source if wa.source[i].is_content]
        ri = [j for j in sub.rewrite if wa.rewrite[j].is_content]
        s_neg = [wa.source[i] for i in si if _negative(wa.source, i, negative, s)]
        r_neg = [wa.rewrite[j] for j in ri if _negative(wa.rewrite, j, negative, s)]
        sw, rw = [wa.source[i] for i in si], [wa.rewrite[j] for j in ri]
        if bool(s_neg) != bool(r_neg):
            other = [w for w in (rw if s_neg else sw) if w.pos == "VERB" and w.base not in light]
            if other:
                flips.append((((s_neg or other)[0].text,), ((r_neg or other)[0].text,)))
                continue
        pair = next(
            ((a, b) for a in sw for b in rw if _wn_pos(a, b) and not (a.base in light and b.base in light)
             and resources.antonymous(a.base, b.base, _wn_pos(a, b), s.antonym_senses)),
            None,
        )
        if pair:
            flips.append(((pair[0].text,), (pair[1].text,)))
    return flips


def _direction(w: Word, s: VerdictSettings) -> str | None:
    for name in ("up", "down"):
        if w.base in s.directions.get(name, ()):
            return name
    return None


def _directions(wa: WordAlignment, s: VerdictSettings) -> list[Flip]:
    """A word of rising put where the source has a word of falling, or the reverse.

    "up" or "down" straight after a verb is that verb's particle ("gave up", "shut
    down"), not a movement of its own."""
    for sub in wa.substituted:
        if max(len(sub.source), len(sub.rewrite)) > s.max_name_substitution_words:
            continue
        sw = [(_moves(wa.source, i, s), wa.source[i].text) for i in sub.source]
        rw = [(_moves(wa.rewrite, j, s), wa.rewrite[j].text) for j in sub.rewrite]
        for a, b in (("up", "down"), ("down", "up")):
            hit_s = [t for d, t in sw if d == a]
            hit_r = [t for d, t in rw if d == b]
            if hit_s and hit_r and not any(d == b for d, _ in sw) and not any(d == a for d, _ in rw):
                return [((hit_s[0],), (hit_r[0],))]
    return []


def _moves(words: Sequence[Word], k: int, s: VerdictSettings) -> str | None:
    direction = _direction(words[k], s)
    if direction and words[k].key in ("up", "down") and k > 0 and words[k - 1].pos == "VERB":
        return None
    return direction


def _figure(w: Word) -> bool:
    return w.pos == "NUM" or w.text[:1].isdigit()


def _wn_pos(a: Word, b: Word) -> str | None:
    return _WORDNET_POS.get(a.pos) if a.pos == b.pos else None


def _flat(groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for g in groups for w in g))
