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
_TIMES = frozenset({"DATE", "TIME"})


def negation(wa: WordAlignment, s: VerdictSettings, texts: tuple[str, str]) -> list[Divergence]:
    """``negation_changed`` when the flips the alignment shows are odd in number;
    ``texts`` (the source's and the rewrite's document text) show which clauses ask."""
    by_substitution, used = _substitution_flips(wa, s)
    flips = _cue_flips(wa, s, texts) + _verb_flips(wa, s, used) + by_substitution + _directions(wa, s, used)
    if len(flips) % 2 == 0:
        return []
    return [Divergence("negation_changed", _flat(f[0] for f in flips), _flat(f[1] for f in flips))]


def _cue_flips(wa: WordAlignment, s: VerdictSettings, texts: tuple[str, str]) -> list[Flip]:
    """A negation one side has, the word it negates and its clause kept in the other."""
    flips: list[Flip] = []
    for side, words, kept, doc in (("source", wa.source, wa.kept_source, texts[0]), ("rewrite", wa.rewrite, wa.kept_rewrite, texts[1])):
        idioms = [(i, j) for _, _, i, j in _grouped(words, s.qualifiers)]  # the "nothing" of "nothing but"
        for text, i, j in _phrases(words, s.negations):
            if any(k in kept for k in range(i, j)) or any(a <= i and j <= b for a, b in idioms):
                continue
            if _negative_question(words, i, doc):
                continue
            if _head(words, j, kept) and _clause_kept(words, i, kept) >= s.clause_share:
                flips.append(((text,), ()) if side == "source" else ((), (text,)))
    return flips


def _negative_question(words: Sequence[Word], i: int, text: str) -> bool:
    """A negated auxiliary that opens a question ("Didn't your mother die of it?", "Isn't
    it true?") asks for a yes: the question leans to the positive statement, which it
    does not deny."""
    if not text or i == 0 or words[i - 1].pos != "AUX" or not _opens_clause(words, i - 1):
        return False
    clause = words[i].clause
    last = max(k for k in range(i, len(words)) if words[k].clause == clause)
    after = text[words[last].end : words[last].end + 4].lstrip(" \"'”’»)")
    return after.startswith("?")


def _opens_clause(words: Sequence[Word], k: int) -> bool:
    return words[k].initial or k == 0 or words[k - 1].clause != words[k].clause


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


def _verb_flips(wa: WordAlignment, s: VerdictSettings, used: set[tuple[str, int]]) -> list[Flip]:
    """A negative verb one side has and the other does not keep, before "to" and a verb
    both keep ("declined to respond" → "did not respond": two flips that cancel)."""
    negative = resources.verb_lemmas(s.negative_verb_lexicon)
    flips: list[Flip] = []
    for side, words, kept in (("source", wa.source, wa.kept_source), ("rewrite", wa.rewrite, wa.kept_rewrite)):
        for k in range(len(words) - 2):
            if k in kept or (side, k) in used:
                continue
            if _negative(words, k, negative, s) and words[k + 1].key == "to" and k + 2 in kept:
                flips.append(((words[k].text,), ()) if side == "source" else ((), (words[k].text,)))
    return flips


def _substitution_flips(wa: WordAlignment, s: VerdictSettings) -> tuple[list[Flip], set[tuple[str, int]]]:
    """A negative verb put for one that is not ("confirmed" → "denied"), or an antonym;
    and the negative verbs so read, by side and index."""
    negative = resources.verb_lemmas(s.negative_verb_lexicon)
    light = set(s.light_verbs)
    flips: list[Flip] = []
    used: set[tuple[str, int]] = set()
    for n, sub in enumerate(wa.substituted):
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
                used |= {("source", i) for i in si if wa.source[i] in s_neg} | {("rewrite", j) for j in ri if wa.rewrite[j] in r_neg}
                used.add(("substitution", n))
                continue
        pair = next((
            (a, b) for a in sw for b in rw if _wn_pos(a, b) and not (a.base in light and b.base in light)
            and not (_direction(a, s) and _direction(a, s) == _direction(b, s))  # "declined" / "eased"
            and not ({a.entity, b.entity} & _TIMES)  # "late morning" / "early": another time, no flip
            and resources.antonymous(a.base, b.base, _wn_pos(a, b), s.antonym_senses)
        ), None)
        if pair:
            flips.append(((pair[0].text,), (pair[1].text,)))
            used.add(("substitution", n))
    return flips, used


def _direction(w: Word, s: VerdictSettings) -> str | None:
    for name in ("up", "down"):
        if w.base in s.directions.get(name, ()):
            return name
    return None


def _directions(wa: WordAlignment, s: VerdictSettings, used: set[tuple[str, int]]) -> list[Flip]:
    """A word of rising put where the source has a word of falling, or the reverse, in
    each changed stretch where no antonym or negative verb already showed the flip."""
    flips: list[Flip] = []
    for n, sub in enumerate(wa.substituted):
        if ("substitution", n) in used or max(len(sub.source), len(sub.rewrite)) > s.max_name_substitution_words:
            continue
        sw = [(_direction(wa.source[i], s), wa.source[i].text) for i in sub.source]
        rw = [(_direction(wa.rewrite[j], s), wa.rewrite[j].text) for j in sub.rewrite]
        for a, b in (("up", "down"), ("down", "up")):
            hit_s = [t for d, t in sw if d == a]
            hit_r = [t for d, t in rw if d == b]
            if hit_s and hit_r and not any(d == b for d, _ in sw) and not any(d == a for d, _ in rw):
                flips.append(((hit_s[0],), (hit_r[0],)))
                break
    return flips


def _figure(w: Word) -> bool:
    return w.pos == "NUM" or w.text[:1].isdigit()


def _wn_pos(a: Word, b: Word) -> str | None:
    return _WORDNET_POS.get(a.pos) if a.pos == b.pos else None


def _flat(groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for g in groups for w in g))
