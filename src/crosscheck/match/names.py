"""Names put in the place of other names, read off the word alignment.

A name counts as swapped only when it stands where the other stood (the word just
before or just after both is one the alignment keeps, wherever the aligner's changed
stretches begin and end: "the Dow's" / "the NYSE's"), is the same kind of thing
(a date is never swapped for a person), and is not the same name written another
way: an acronym of it ("U.S." for "United States", "NATO" for "North Atlantic Treaty
Organisation"), an abbreviation ("Calif.", "H."), the same letters with or without
accents ("Nestlé"), a one-letter variant of a long name ("Manzon", "Monzon"), or one
name cut short or derived ("Pat" / "Patricia", "Fiji" / "Fijian"). A name that only
lengthens a name both passages keep ("Kings County Hospital Center") is a detail, not
a swap; so is a place the rewrite widens to the place holding it ("China" -> "Asia").
A title is no name: "The Prime Minister" for "Tony Blair" names the office its holder
holds ("Prime Minister", "Mr", "CEO" are kinds of person or forms of address in
WordNet; "Blair" is only an instance of one). A currency ("the dollar", "the euro")
swaps like a name, only for another currency.

Two names or nouns can also trade places around a verb both passages keep: "The euro
rose against the dollar" -> "The dollar rose against the euro" keeps every word and
says the opposite. That is a swap of both, unless the verb is one of a symmetric
relation ("Merkel met Macron", "Macron met Merkel") or one side is in the passive
("Ukraine was attacked by Russia"). Two nouns side by side ("Sweden and Finland") have
no verb between them and never swap."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from crosscheck.config.verdict import VerdictSettings
from crosscheck.match import resources
from crosscheck.match.wordalign import NAME_ENTITIES, Word, WordAlignment

# Entity labels read as one kind, since the small recognizer confuses them ("Britz"
# a person, "Johnston" an organisation in one sentence): agents (people and
# organisations), places, and when something happened. A date is swapped only for a date.
_KIND = {"ORG": "PERSON", "LOC": "GPE", "FAC": "GPE", "TIME": "DATE"}
# Entity labels of a noun that is no party to a verb's relation: when, how much, how many.
_CIRCUMSTANCES = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# Words an acronym leaves out ("Bank of England" is "BoE", "Standard & Poor's" "S&P").
_ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "&", "de", "'s"})


def swapped_names(wa: WordAlignment, s: VerdictSettings) -> list[tuple[tuple[Word, ...], tuple[Word, ...]]]:
    """(source name, rewrite name) pairs, each name a run of words, in source order."""
    s_keys = {_fold(w.key) for w in wa.source}
    r_keys = {_fold(w.key) for w in wa.rewrite}
    kept = {i: j for i, j, _ in wa.kept}
    out = []
    titles_s, titles_r = _titles(wa.source, s.title_kinds), _titles(wa.rewrite, s.title_kinds)
    runs_s = [r for r in _runs(wa.source, _outside(len(wa.source), set(kept) | titles_s), r_keys)
              if not _spelled_out(wa.source, r)]
    runs_r = [r for r in _runs(wa.rewrite, _outside(len(wa.rewrite), set(kept.values()) | titles_r), s_keys)
              if not _spelled_out(wa.rewrite, r)]
    for ra, rb in _currency_swaps(wa, kept, s):
        out.append((tuple(wa.source[i] for i in ra), tuple(wa.rewrite[j] for j in rb)))
    for ra in runs_s:
        for rb in runs_r:
            a, b = [wa.source[i] for i in ra], [wa.rewrite[j] for j in rb]
            if (_same_kind(a, b) and _placed(wa, ra, rb, kept, s) and _same_relation(wa, ra, rb, s)
                    and not same_name(a, b, s) and not _widened(a, b, s)):
                out.append((tuple(a), tuple(b)))
                break
    return out


def swapped_roles(wa: WordAlignment, s: VerdictSettings) -> list[tuple[tuple[Word, ...], tuple[Word, ...]]]:
    """((first noun, second noun), (the rewrite's first, its second)) for every verb both
    passages keep whose nearest noun before it and nearest after it (in its clause) are
    kept the other way round, in the same voice, the verb not one of a symmetric relation."""
    kept = {i: j for i, j, _ in wa.kept}
    symmetric = resources.verb_lemmas(s.reciprocal_verb_lexicon)
    out = []
    for v, jv in sorted(kept.items()):
        verb_s, verb_r = wa.source[v], wa.rewrite[jv]
        if verb_s.pos != "VERB" or verb_r.pos != "VERB" or {verb_s.base, verb_r.base} & symmetric:
            continue
        first, second = _party(wa.source, v, -1), _party(wa.source, v, 1)
        first_r, second_r = _party(wa.rewrite, jv, -1), _party(wa.rewrite, jv, 1)
        if None in (first, second, first_r, second_r) or wa.source[first].key == wa.source[second].key:
            continue
        if kept.get(first) == second_r and kept.get(second) == first_r and (
            _passive(wa.source, v, second, s) == _passive(wa.rewrite, jv, second_r, s)
        ):
            out.append(((wa.source[first], wa.source[second]), (wa.rewrite[first_r], wa.rewrite[second_r])))
    return out


def _party(words: Sequence[Word], verb: int, step: int) -> int | None:
    """The nearest noun or name to ``verb`` in direction ``step`` inside its clause, past
    no other verb: who or what the verb relates (a date or an amount is passed over)."""
    k = verb + step
    while 0 <= k < len(words) and words[k].clause == words[verb].clause:
        w = words[k]
        if w.pos == "VERB":
            return None
        if w.pos in ("NOUN", "PROPN") and w.entity not in _CIRCUMSTANCES:
            return k
        k += step
    return None


def _passive(words: Sequence[Word], verb: int, agent: int, s: VerdictSettings) -> bool:
    """The verb is a passive with its agent: an auxiliary of the passive just before it
    and "by" between it and the noun after it ("was attacked by Russia")."""
    helped = any(words[k].base in s.passive_auxiliaries for k in range(max(0, verb - 2), verb))
    return helped and any(words[k].key == "by" for k in range(verb + 1, agent))


def _currency_swaps(wa: WordAlignment, kept: dict[int, int], s: VerdictSettings) -> list[tuple[list[int], list[int]]]:
    """Currency words (not written with a figure) put in the place of another currency."""
    cur_s, cur_r = _currencies(wa.source, set(kept), s), _currencies(wa.rewrite, set(kept.values()), s)
    out = []
    for i in cur_s:
        for j in cur_r:
            a, b = wa.source[i], wa.rewrite[j]
            if a.base != b.base and _placed(wa, [i], [j], kept, s) and not resources.synonymous(a.base, b.base, "n"):
                out.append(([i], [j]))
                break
    return out


def _currencies(words: Sequence[Word], kept: set[int], s: VerdictSettings) -> list[int]:
    """Words not kept that name a currency, none of them right after a figure ("15.80
    euros" is an amount the numbers module compares)."""
    return [k for k, w in enumerate(words)
            if k not in kept and w.pos in ("NOUN", "PROPN") and not (k > 0 and words[k - 1].pos == "NUM")
            and w.entity not in ("MONEY", "CARDINAL") and resources.is_a(w.base or w.text, s.currency_kinds, s.currency_senses)]


def _titles(words: Sequence[Word], kinds: tuple[str, ...]) -> set[int]:
    """Capitalised words that are titles, not names: no name label, and a kind of
    person or form of address alone or with the name word beside them ("Prime Minister")."""
    out: set[int] = set()
    for k, w in enumerate(words):
        if not w.is_name or w.entity in NAME_ENTITIES:
            continue
        for a, b in ((k, k + 1), (k - 1, k), (k, k)):
            if 0 <= a and b < len(words) and all(words[x].is_name and words[x].entity not in NAME_ENTITIES for x in (a, b)):
                if resources.is_a(" ".join(words[x].text for x in range(a, b + 1)), kinds):
                    out.update(range(a, b + 1))
    return out


def _outside(n: int, placed: set[int]) -> list[int]:
    """Word indices below ``n`` not in ``placed`` (the words kept, and the titles)."""
    return [k for k in range(n) if k not in placed]


def _runs(words: Sequence[Word], indices: Sequence[int], other_keys: set[str]) -> list[list[int]]:
    """Consecutive name words among ``indices`` (the words not kept) that the other
    passage lacks."""
    runs: list[list[int]] = []
    for k in indices:
        w = words[k]
        if not w.is_name:
            continue
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    runs = [_trimmed(words, r) for r in runs]
    return [r for r in runs if r and any(_fold(words[k].key) not in other_keys for k in r)]


def _spelled_out(words: Sequence[Word], run: Sequence[int]) -> bool:
    """The run is the acronym of a name its own passage spells out ("Hardware Compatibility
    List (HCL)"): a short name for one already there, not a name of its own."""
    if len(run) != 1:
        return False
    whole: list[list[int]] = []
    for k, w in enumerate(words):
        if k == run[0] or not _name_word(w):
            continue
        if whole and whole[-1][-1] == k - 1:
            whole[-1].append(k)
        else:
            whole.append([k])
    return any(_acronym_of([words[run[0]].text], [words[k].text for k in r]) for r in whole)


def _trimmed(words: Sequence[Word], run: list[int]) -> list[int]:
    """The run without the lower-case words at its ends: an entity's span may take in a
    word around it ("Standard Edition or"), but a name begins and ends with a capital."""
    while run and not any(ch.isupper() for ch in words[run[0]].text):
        run = run[1:]
    while run and not any(ch.isupper() for ch in words[run[-1]].text):
        run = run[:-1]
    return run


def _widened(a: Sequence[Word], b: Sequence[Word], s: VerdictSettings) -> bool:
    """The rewrite's name says less than the source's, not something else: the place that
    holds it ("China" -> "Asia"), or one name the source's run carries among others
    ("Mountain View, Calif." -> "California"); or a seat of government and its country,
    either way round ("Russia" -> "Moscow")."""
    ta, tb = " ".join(w.text for w in a), " ".join(w.text for w in b)
    if resources.part_of(ta, tb, s.place_part_hops):
        return True
    if resources.instance_of(tb, s.seats_of_government) and resources.part_of(tb, ta, s.place_part_hops):
        return True
    return len(a) > 1 and any(same_name([w], b, s) for w in a)


def _same_kind(a: Sequence[Word], b: Sequence[Word]) -> bool:
    """The same kind of name: a person for a person; a date only for a date."""
    ka = {_KIND.get(w.entity, w.entity) for w in a if w.entity}
    kb = {_KIND.get(w.entity, w.entity) for w in b if w.entity}
    if "DATE" in ka or "DATE" in kb:
        return "DATE" in ka and "DATE" in kb
    return not (ka and kb) or bool(ka & kb)


def _placed(wa: WordAlignment, ra: Sequence[int], rb: Sequence[int], kept: dict[int, int], s: VerdictSettings) -> bool:
    """The two names stand in the same place: the nearest kept word before both (or
    after both), at most ``gap`` other words away, is one word kept on both sides, or
    both stand at the passage's start (or end) in one short changed stretch; and neither only
    lengthens a name kept beside it."""
    back = {j: i for i, j in kept.items()}
    gap = s.name_anchor_gap
    before = _anchor(wa.source, ra[0], -1, kept, gap), _anchor(wa.rewrite, rb[0], -1, back, gap)
    after = _anchor(wa.source, ra[-1], 1, kept, gap), _anchor(wa.rewrite, rb[-1], 1, back, gap)
    # Both at an edge of their passages places them only inside one short changed
    # stretch: "in the post-Soviet space." and "said the Russian president." end two
    # different clauses.
    together = any(set(ra) <= set(sub.source) and set(rb) <= set(sub.rewrite)
                   and max(len(sub.source), len(sub.rewrite)) <= s.max_name_substitution_words for sub in wa.substituted)
    placed = any(a is not None and b is not None and ((a == b == "edge" and together) or (a != "edge" and kept.get(a) == b))
                 for a, b in (before, after))
    return placed and _extends(wa.source, ra, kept) == _extends(wa.rewrite, rb, back)


def _same_relation(wa: WordAlignment, ra: Sequence[int], rb: Sequence[int], s: VerdictSettings) -> bool:
    """Not two names each governed by its own preposition: "against Lennox Lewis" and "on
    HBO", "as Tracy" and "in Hairspray" say who was fought and where it was shown, not one
    thing named two ways. The prepositions of place and time differ only with the size of
    the place or stretch ("in Lakeside", "on Woodside Avenue"), so they are one. Nor is a
    name that says who speaks ("..., Toshiba said") one that says what is spoken of."""
    if _speaker(wa.source, ra, s) != _speaker(wa.rewrite, rb, s):
        return False
    a, b = _preposition(wa.source, ra[0]), _preposition(wa.rewrite, rb[0])
    return a is None or b is None or a == b or {a, b} <= set(s.place_prepositions)


def _speaker(words: Sequence[Word], run: Sequence[int], s: VerdictSettings) -> bool:
    """The name says who speaks: a reporting verb follows it ("..., Toshiba said")."""
    k = run[-1] + 1
    return k < len(words) and words[k].clause == words[run[-1]].clause and words[k].base in s.reporting_verbs


def _preposition(words: Sequence[Word], at: int) -> str | None:
    """The preposition right before a name (past its determiner), if any."""
    k = at - 1
    while k >= 0 and words[k].pos == "DET" and words[k].clause == words[at].clause:
        k -= 1
    if k >= 0 and words[k].pos == "ADP" and words[k].clause == words[at].clause:
        return words[k].key
    return None


def _anchor(words: Sequence[Word], at: int, step: int, kept: dict[int, int], gap: int) -> int | str | None:
    """The nearest kept word from ``at`` in direction ``step`` past at most ``gap``
    words that are not names, or "edge" at the passage's start or end."""
    k = at + step
    for _ in range(gap + 1):
        if k < 0 or k >= len(words):
            return "edge"
        if k in kept:
            return k
        if words[k].is_name:
            return None
        k += step
    return None


def _extends(words: Sequence[Word], run: Sequence[int], kept: dict[int, int]) -> bool:
    """The run belongs to a name both passages keep: right beside it (past a possessive
    or a figure, "Standard & Poor's 500 Index") stands a kept name word ("Kings County
    Hospital Center"), with no mark between them ("In New York, Vivendi" names two things)."""
    for at, step in ((run[0], -1), (run[-1], 1)):
        k = at + step
        while 0 <= k < len(words) and k not in kept and words[k].pos in ("PART", "NUM"):
            k += step
        if 0 <= k < len(words) and k in kept and _name_word(words[k]) and words[k].clause == words[at].clause:
            return True
    return False


def _name_word(w: Word) -> bool:
    """A word of a name, capitalised: the recognizer's span of "the World Bank" takes in
    "the", which names nothing (and is kept beside "the IMF", which has no such span)."""
    return w.is_name and any(ch.isupper() for ch in w.text)


def same_name(a: Sequence[Word], b: Sequence[Word], s: VerdictSettings) -> bool:
    """The same name written two ways (accents, an acronym, an abbreviation, a variant)."""
    ta, tb = [w.text for w in a], [w.text for w in b]
    fa, fb = _fold("".join(ta)), _fold("".join(tb))
    if fa == fb or _acronym_of(ta, tb) or _acronym_of(tb, ta):
        return True
    if len(a) == len(b) and all(_same_word(x, y, s) or _familiar(x, y, s) for x, y in zip(a, b)):
        return True
    return len(ta) == len(tb) == 1 and min(len(fa), len(fb)) >= s.name_variant_length and _one_edit(fa, fb)


def _same_word(x: Word, y: Word, s: VerdictSettings) -> bool:
    """One word of a name written two ways: cut with a full stop ("Calif."), a person's
    name cut short ("Pat" / "Patricia"), or derived by a suffix ("Fiji" / "Fijian",
    "Democrats" / "Democratic": one form, its plural read as its lemma, begins the other).
    "India" / "Indiana" begin alike and are two places."""
    if _abbreviates(x.text, y.text) or _abbreviates(y.text, x.text) or _fold(x.text) == _fold(y.text):
        return True
    fx, fy = sorted((_fold(x.base) if x.base else _fold(x.text), _fold(y.base) if y.base else _fold(y.text)), key=len)
    if len(fx) < s.name_short_form_length or not fy.startswith(fx):
        return False
    person = x.entity == "PERSON" and y.entity == "PERSON"
    return person or fy[len(fx):] in s.name_derivation_suffixes


def _familiar(x: Word, y: Word, s: VerdictSettings) -> bool:
    """A given name and a familiar form of it ("Robert", "Bob"; "Jim", "James")."""
    forms = resources.name_forms(s.given_name_lexicon)
    return bool(forms.get(_fold(x.text), frozenset()) & forms.get(_fold(y.text), frozenset()))


@lru_cache(maxsize=50_000)
def _fold(text: str) -> str:
    """Lower case, accents and every mark but letters and digits gone."""
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in plain if not unicodedata.combining(ch)).lower())


def _acronym_of(short: Sequence[str], long: Sequence[str]) -> bool:
    """``short`` is one word made of the initials of ``long``'s words."""
    if len(short) != 1 or len(long) < 2:
        return False
    letters = _fold(short[0])
    initials = "".join(_fold(w)[:1] for w in long if w.lower() not in _ACRONYM_SKIPS and _fold(w))
    return len(letters) >= 2 and letters == initials


def _abbreviates(short: str, long: str) -> bool:
    """``short`` is ``long`` cut and marked with a full stop ("Calif.", "H.")."""
    return short.endswith(".") and len(short) < len(long) and _fold(long).startswith(_fold(short)) and long[:1].isupper()


def _one_edit(a: str, b: str) -> bool:
    """At most one letter changed, added or left out, or two neighbours swapped
    ("Barbakow", "Brabakow")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diff = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1 :] == short for k in range(len(long)))
