"""The typed changes a word alignment shows, each citing its words on both sides.

:func:`changes` is called by the verdict (for a linked pair) and by the quote check
(for a quote and its source window); the relation is decided only in
:mod:`crosscheck.match.verdict`.
"""

from __future__ import annotations

import re

from collections.abc import Sequence
from dataclasses import dataclass

from crosscheck.config.verdict import VerdictSettings
from crosscheck.match import resources
from crosscheck.match.cues import _grouped, _head_kept, _phrases
from crosscheck.match.names import swapped_names, swapped_roles
from crosscheck.match.polarity import negation
from crosscheck.match.wordalign import Word, WordAlignment
from crosscheck.model import Divergence, Span


@dataclass(frozen=True)
class Side:
    """One side of a linked pair: its document text, the spans linked, who speaks there."""

    text: str
    spans: tuple[Span, ...]
    speakers: tuple[str | None, ...] = ()

    @property
    def sentences(self) -> int:
        return len(self.spans)


def changes(wa: WordAlignment, src: Side, rw: Side, settings: VerdictSettings) -> tuple[Divergence, ...]:
    """Every typed change the word alignment shows, each citing its words on both sides."""
    found: list[Divergence] = []
    found += negation(wa, settings, (src.text, rw.text))
    found += _numbers(wa, src, rw, settings)
    found += _entities(wa, settings)
    found += _attribution_words(wa, settings)
    modals = _modal_groups(wa, src, rw, settings)
    found += _qualifiers(wa, settings, modals)
    # A correlation told as a cause (or the reverse) is the claim's strength read whole:
    # it outranks the hedge dropped or added on the same claim ("may decrease" →
    # "is linked to" is weaker, though "may" is gone).
    cued = _causation(wa, settings)
    found += [d for d in _modality_and_hedges(wa, settings, modals) if not (cued and d.type.startswith("claim_"))]
    found += cued or _claim(wa, src, rw, settings, found)
    found += _framing(wa, settings)
    found += _details(wa, src, rw, settings, found)
    return tuple(found)


def _flat(groups) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w for g in groups for w in g))


def _numbers(wa: WordAlignment, src: Side, rw: Side, s: VerdictSettings) -> list[Divergence]:
    """Quantities in the same place on both sides and not consistent: ``number_changed``."""
    changed = _placed_changes(wa, src, rw, s)
    if not changed:
        return []
    return [Divergence("number_changed", tuple(dict.fromkeys(a[0] for a, _ in changed)), tuple(dict.fromkeys(b[0] for _, b in changed)))]


def _placed_changes(wa: WordAlignment, src: Side, rw: Side, s: VerdictSettings) -> list:
    """Inconsistent quantity pairs: as the numbers module pairs them (by kind, unit and
    nearness of value), or without it, figures that stand in one substituted stretch. A
    period (year, quarter, date) must stand in the same place either way: "Q3 EPS $1.56, up
    from Q2" against "q3 EPS $1.56" compares with a quarter the rewrite leaves out; so must
    two figures of different kinds ("$29.99" a price, "15" an age)."""
    changed, _, _ = resources.pair_quantities(src.text, src.spans, rw.text, rw.spans)
    out = []
    for a, b in changed:
        if resources.parses_numbers() and a[3] == b[3] and a[3] not in resources.PERIOD_KINDS:
            out.append((a, b))
            continue
        for sub in wa.substituted:
            if _small(sub, s) and _covers(wa.source, sub.source, a) and _covers(wa.rewrite, sub.rewrite, b):
                out.append((a, b))
                break
    return out


def _covers(words: Sequence[Word], indices: Sequence[int], figure: tuple[str, int, int]) -> bool:
    return any(words[k].start < figure[2] and figure[1] < words[k].end for k in indices)


def _small(sub, s: VerdictSettings) -> bool:
    return len(sub.source) <= s.max_substitution_words and len(sub.rewrite) <= s.max_substitution_words


def _entities(wa: WordAlignment, s: VerdictSettings) -> list[Divergence]:
    """A name put in the place of another name, or two trading places around a kept verb:
    ``entity_changed`` (see :mod:`names`)."""
    pairs = swapped_names(wa, s) + swapped_roles(wa, s)
    if not pairs:
        return []
    return [Divergence("entity_changed", _flat([w.text for w in a] for a, _ in pairs), _flat([w.text for w in b] for _, b in pairs))]


def _attribution_words(wa: WordAlignment, s: VerdictSettings) -> list[Divergence]:
    """Who speaks, swapped: the words just before a reporting verb both passages keep."""
    reporting = set(s.reporting_verbs)
    kept = {i: j for i, j, _ in wa.kept}
    for sub in wa.substituted:
        if not _small(sub, s):
            continue
        after = sub.source[-1] + 1
        j_after = sub.rewrite[-1] + 1
        if after in kept and kept[after] == j_after and wa.source[after].base in reporting:
            sw = [wa.source[i] for i in sub.source if wa.source[i].pos in ("NOUN", "PROPN")]
            rw = [wa.rewrite[j] for j in sub.rewrite if wa.rewrite[j].pos in ("NOUN", "PROPN")]
            if sw and rw:
                return [Divergence("attribution_changed", tuple(w.text for w in sw), tuple(w.text for w in rw))]
    return []


Hits = dict[str, dict[str, list[tuple[str, int, int]]]]


def _qualifiers(wa: WordAlignment, s: VerdictSettings, modals: Hits) -> list[Divergence]:
    out = []
    found: Hits = {"source": {}, "rewrite": {}}
    for side, other, words in (("source", "rewrite", wa.source), ("rewrite", "source", wa.rewrite)):
        for group, text, i, j in _grouped(words, s.qualifiers):
            if _stresses_negation(words, i, j, s):
                continue
            # "will certainly evoke" → "will cause": the modal both keep says the certainty
            # (the modality check judges a stressed modal that changed). An emphasizer that
            # opens its sentence ("Certainly what we know suggests ...") is a disjunct: it
            # comments on the whole utterance, often conceding, and qualifies no word of it.
            if group == s.emphasizers and (words[i].initial or any(g in modals[other] for g in _stressed(i, j, modals[side]))):
                continue
            if group == s.exclusives and _negation_lost(wa, other, s):
                continue
            found[side].setdefault(group, []).append((text, i, j))
    # What a qualifier modifies may be kept or reworded in its place; only when it is
    # gone altogether is the qualifier's absence no change of its own.
    placed_s = wa.kept_source | {i for sub in wa.substituted for i in sub.source}
    placed_r = wa.kept_rewrite | {j for sub in wa.substituted for j in sub.rewrite}
    for side, other, words, kept, kind in (
        ("source", "rewrite", wa.source, placed_s, "qualifier_dropped"),
        ("rewrite", "source", wa.rewrite, placed_r, "qualifier_added"),
    ):
        gone = [
            text for group, hits in found[side].items() if group not in found[other]
            for text, i, j in hits if _head_kept(words, j, kept, s.head_reach, i) and not _before_figure(words, j)
        ]
        if gone:
            words_ = tuple(dict.fromkeys(gone))
            out.append(Divergence(kind, words_ if side == "source" else (), words_ if side == "rewrite" else ()))
    return out


def _negation_lost(wa: WordAlignment, side: str, s: VerdictSettings) -> bool:
    """Whether ``side`` has a negation the other passage does not keep, in a sentence whose
    content it does keep: an exclusive there ("only in Ukraine are they glorified") says it ("nowhere
    are they glorified"). A negation of something the other passage leaves out ("did not
    comment") says nothing about the exclusive."""
    words, kept = (wa.source, wa.kept_source) if side == "source" else (wa.rewrite, wa.kept_rewrite)
    negations = _one_word_negations(s)
    idioms = {k for _, _, i, j in _grouped(words, s.qualifiers) for k in range(i, j)}  # "nothing but"
    stated = {w.part for k, w in enumerate(words) if k in kept and w.is_content}
    return any(w.key in negations and k not in kept and k not in idioms and w.part in stated
               for k, w in enumerate(words))


def _one_word_negations(s: VerdictSettings) -> frozenset[str]:
    """The negations that are one word ("not", "no", "nowhere"): what a word's key can be."""
    return frozenset(n for n in s.negations if " " not in n)


def _stresses_negation(words: Sequence[Word], i: int, j: int, s: VerdictSettings) -> bool:
    """A negative-polarity item (``VerdictSettings.negative_polarity_items``) after a
    negation of its clause ("for no reason at all", "not at all clear") stresses the
    negation; it qualifies nothing."""
    if " ".join(w.key for w in words[i:j]) not in s.negative_polarity_items:
        return False
    negations = _one_word_negations(s)
    return any(words[k].key in negations for k in range(i) if words[k].clause == words[i].clause)


def _before_figure(words: Sequence[Word], j: int) -> bool:
    """A qualifier or hedge right before a figure ("nearly 29%", "approximately 13.9
    million") approximates it: the numbers module compares the two figures with that
    approximation."""
    return j < len(words) and (words[j].pos == "NUM" or words[j].text[:1].isdigit())


def _stressed(i: int, j: int, modals: dict[str, list[tuple[str, int, int]]]) -> list[str]:
    """The modal groups an emphasizer at ``[i, j)`` stresses: a modal right before or
    right after it ("will certainly", "certainly will")."""
    return [g for g, hits in modals.items() for _, a, b in hits if b == i or a == j]


def _modal_groups(wa: WordAlignment, src: Side, rw: Side, s: VerdictSettings) -> Hits:
    """The modal groups of each side whose claim the other passage keeps, by group: (text,
    first, end) of each. A reported modal (``VerdictSettings.reported_modals``) against
    the group it stands for on the other side ("will" → "said ... would") is the
    backshifted tense of the words reported, read as that group, unless the other side
    stressed it ("will certainly evoke") and this side keeps no such stress ("said it
    would demand"): then only the tentative reading is left."""
    found: Hits = {"source": {}, "rewrite": {}}
    # A modal of a clause the other passage leaves out modalises nothing it says; what
    # it modalises may be kept or reworded in its place (a short changed stretch).
    placed_s = wa.kept_source | {i for sub in wa.substituted if _small(sub, s) for i in sub.source}
    placed_r = wa.kept_rewrite | {j for sub in wa.substituted if _small(sub, s) for j in sub.rewrite}
    for side, words, kept in (("source", wa.source, placed_s), ("rewrite", wa.rewrite, placed_r)):
        for group, text, i, j in _grouped(words, s.modals):
            # ("will" kept inside "will have to" stands in the place of the other's modal)
            placed = _head_kept(words, j, kept, s.head_reach, i) or any(k in kept for k in range(i, j))
            if placed and group not in s.claimless_modals and not _comparison(words, i, s) and not _existential(words, i, j, s):
                found[side].setdefault(group, []).append((text, i, j))
    emphasizers = {"source": _emphasizer_spans(wa.source, s), "rewrite": _emphasizer_spans(wa.rewrite, s)}
    stressed = {side: {g for a, b in emphasizers[side] for g in _stressed(a, b, found[side])} for side in found}
    out: Hits = {"source": {}, "rewrite": {}}
    for side, other, words, doc in (("source", "rewrite", wa.source, src), ("rewrite", "source", wa.rewrite, rw)):
        for group, hits in found[side].items():
            for text, i, j in hits:
                meant = s.reported_modals.get(text.lower())
                if meant and meant in found[other] and _reported(words, i, doc.text, s):
                    if meant not in stressed[other] or any(b == i or a == j for a, b in emphasizers[side]):
                        group = meant
                out[side].setdefault(group, []).append((text, i, j))
    return out


def _existential(words: Sequence[Word], i: int, j: int, s: VerdictSettings) -> bool:
    """"can be found anywhere", "can be seen in every town": Leech's existential "can",
    which says that such things exist ("there are extremists everywhere"), not that they
    might."""
    return (words[i].key == "can" and j + 1 < len(words) and words[j].key == "be"
            and words[j + 1].base in s.existential_verbs)


def _emphasizer_spans(words: Sequence[Word], s: VerdictSettings) -> list[tuple[int, int]]:
    return [(i, j) for g, _, i, j in _grouped(words, s.qualifiers) if g == s.emphasizers]


def _reported(words: Sequence[Word], i: int, text: str, s: VerdictSettings) -> bool:
    """Whether word ``i`` stands in indirect speech: its sentence has a reporting verb
    ("said", "says", "told") and the word is outside quotation marks (a quote keeps the
    speaker's own tense)."""
    part = words[i].part
    reporting = set(s.reporting_verbs)
    if not any(w.part == part and w.base in reporting and w.pos == "VERB" for w in words):
        return False
    line = text.rfind("\n", 0, words[i].start) + 1
    before = text[line : words[i].start]
    straight = before.count('"')
    curly = before.count("“") + before.count("«") - before.count("”") - before.count("»")
    # Single curly quotes (headline style: ‘No problems’); a ’ between two letters is an
    # apostrophe ("Putin’s"), not the end of a quote.
    single = before.count("‘") - len(_CLOSING_SINGLE.findall(before))
    return straight % 2 == 0 and curly <= 0 and single <= 0


_CLOSING_SINGLE = re.compile(r"’(?![^\W\d_])|(?<![^\W\d_])’")


def _modality_and_hedges(wa: WordAlignment, s: VerdictSettings, found: Hits) -> list[Divergence]:
    """One modal group put for another: ``modality_changed``; a weak modal or a hedge on
    one side only, its claim kept: the claim got stronger or weaker."""
    out: list[Divergence] = []
    gone = set(found["source"]) - set(found["rewrite"])
    new = set(found["rewrite"]) - set(found["source"])
    if gone and new:
        out.append(Divergence(
            "modality_changed",
            tuple(dict.fromkeys(t for g in sorted(gone) for t, _, _ in found["source"][g])),
            tuple(dict.fromkeys(t for g in sorted(new) for t, _, _ in found["rewrite"][g])),
        ))
        return out
    weak = set(s.weak_modals)
    softeners: dict[str, list[str]] = {}
    for side, words, kept, groups in (
        ("source", wa.source, wa.kept_source, gone), ("rewrite", wa.rewrite, wa.kept_rewrite, new),
    ):
        cues = [t for g in sorted(groups & weak) for t, i, j in found[side][g] if _head_kept(words, j, kept, s.head_reach, i)]
        cues += [t for t, i, j in _phrases(words, _hedges(s))
                 if not any(k in kept for k in range(i, j)) and _head_kept(words, j, kept, s.head_reach, i)
                 and not _attributive(words, i, j) and not _before_figure(words, j) and not _comparison(words, i, s)]
        softeners[side] = list(dict.fromkeys(cues))
    # A hedge swapped for another ("perhaps" → "maybe") softens the claim as much.
    if softeners["source"] and not softeners["rewrite"]:
        out.append(Divergence("claim_strengthened", tuple(softeners["source"]), ()))
    elif softeners["rewrite"] and not softeners["source"]:
        out.append(Divergence("claim_weakened", (), tuple(softeners["rewrite"])))
    return out


def _comparison(words: Sequence[Word], i: int, s: VerdictSettings) -> bool:
    """"more likely to recover" states a difference, not a doubt: no hedge, no modal."""
    return words[i].key in ("likely", "unlikely") and i > 0 and words[i - 1].key in s.comparative_words


def _attributive(words: Sequence[Word], i: int, j: int) -> bool:
    """A hedge word used as a noun ("the analysts' estimate") or as an adjective before
    its noun ("the possible entry") names a thing; it hedges no claim."""
    if j - i != 1:
        return False
    if words[i].pos in ("NOUN", "PROPN"):
        return True
    return words[i].pos == "ADJ" and j < len(words) and words[j].pos in ("NOUN", "PROPN")


def _hedges(s: VerdictSettings) -> list[str]:
    qualifiers = {p for phrases in s.qualifiers.values() for p in phrases}
    modals = {p for phrases in s.modals.values() for p in phrases}
    return [h for h in (*resources.lexicon(s.hedge_lexicon), *s.hedges) if h not in qualifiers and h not in modals]


def _causation(wa: WordAlignment, s: VerdictSettings) -> list[Divergence]:
    """A correlational cue the rewrite does not keep, and a causal cue where the source
    had none (or the reverse): correlation told as causation."""
    cues = resources.claim_cues(s.claim_cue_lexicon)
    if not cues:
        return []
    found = {}
    classes = {k: cues.get(k, ()) for k in ("correlational", "causal")}
    for side, words, kept in (("source", wa.source, wa.kept_source), ("rewrite", wa.rewrite, wa.kept_rewrite)):
        # The longest cue of either class wins its place: "lower risk" is no "lower".
        hits = _grouped(words, classes)
        for klass in classes:
            found[side, klass] = [t for g, t, i, j in hits if g == klass]
            found[side, klass, "lost"] = [t for g, t, i, j in hits if g == klass and not all(k in kept for k in range(i, j))]
    for a, b, kind in (("correlational", "causal", "claim_strengthened"), ("causal", "correlational", "claim_weakened")):
        if found["source", a, "lost"] and not found["rewrite", a] and found["rewrite", b]:
            return [Divergence(kind, tuple(found["source", a, "lost"]), tuple(found["rewrite", b]), note=f"{a} → {b}")]
    return []


_CLAIM_ORDER = {"no_claim": 0, "correlational": 1, "conditional_causal": 2, "direct_causal": 3}


def _claim(wa: WordAlignment, src: Side, rw: Side, s: VerdictSettings, found: Sequence[Divergence]) -> list[Divergence]:
    """Correlation told as causation (or the reverse), from the claim-strength classifier,
    when no cue phrase showed it and no hedge or modal already named the change."""
    if any(d.type.startswith("claim_") or d.type == "modality_changed" for d in found) or not s.use_claim_model:
        return []
    a = resources.claim_strength(" ".join(src.text[p.start : p.end] for p in src.spans))
    b = resources.claim_strength(" ".join(rw.text[p.start : p.end] for p in rw.spans))
    if a is None or b is None or a == b or not (_CLAIM_ORDER.get(a) and _CLAIM_ORDER.get(b)):
        return []
    changed = [wa.source[i].text for sub in wa.substituted for i in sub.source]
    added = [wa.rewrite[j].text for sub in wa.substituted for j in sub.rewrite]
    kind = "claim_strengthened" if _CLAIM_ORDER[b] > _CLAIM_ORDER[a] else "claim_weakened"
    return [Divergence(kind, tuple(changed[:6]), tuple(added[:6]), note=f"{a} → {b}")]


def _framing(wa: WordAlignment, s: VerdictSettings) -> list[Divergence]:
    had = {t.lower() for t, _, _ in _phrases(wa.source, s.framing)}
    new = [t for t, _, _ in _phrases(wa.rewrite, s.framing) if t.lower() not in had]
    return [Divergence("tone_or_framing_added", rewrite_words=tuple(dict.fromkeys(new)))] if new else []


def _details(wa: WordAlignment, src: Side, rw: Side, s: VerdictSettings, found: Sequence[Divergence]) -> list[Divergence]:
    """Figures, names and clauses only one side carries; a summary when the rewrite condenses."""
    out: list[Divergence] = []
    changed, only_src, only_rw = resources.pair_quantities(src.text, src.spans, rw.text, rw.spans)
    placed = _placed_changes(wa, src, rw, s)
    # A figure with no counterpart in its place is a detail one side carries.
    only_src = [f[0] for f in only_src + [a for a, b in changed if (a, b) not in placed]]
    only_rw = [f[0] for f in only_rw + [b for a, b in changed if (a, b) not in placed]]
    only_src = list(dict.fromkeys(f for f in only_src if not any(f == a[0] for a, _ in placed)))
    only_rw = list(dict.fromkeys(f for f in only_rw if not any(f == b[0] for _, b in placed)))
    cited = {w for d in found for w in (*d.source_words, *d.rewrite_words)}
    for kind, words, alone, figures in (
        ("detail_dropped", wa.source, wa.dropped, only_src),
        ("detail_added", wa.rewrite, wa.added, only_rw),
    ):
        items: list[str] = list(figures)
        for run in _runs(alone):
            text = " ".join(words[k].text for k in run)
            if sum(1 for k in run if words[k].is_content) >= s.detail_min_words:
                items.append(text)
            else:
                items += [" ".join(words[k].text for k in r) for r in _runs([k for k in run if words[k].is_name])]
        items = tuple(dict.fromkeys(i for i in items if i not in cited))
        if items:
            out.append(Divergence(kind, items if kind == "detail_dropped" else (), items if kind == "detail_added" else ()))
    ratio = len(wa.rewrite) / max(1, len(wa.source))
    if (src.sentences > rw.sentences and ratio < s.summary_ratio) or ratio < s.summary_ratio_single:
        out = [d for d in out if d.type != "detail_dropped"]
        out.append(Divergence("summary", note=f"the rewrite has {ratio:.0%} of the source's words"))
    return out


def _runs(indices: Sequence[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for k in indices:
        if runs and runs[-1][-1] == k - 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs
