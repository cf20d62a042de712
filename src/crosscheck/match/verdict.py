"""The verdict on a linked pair: its relation, its typed changes with evidence, its divergence.

This is the one place that decides. ``compare``, ``score``, the quote check, the
reports and the TUI all read what :func:`decide` returns; nothing after it adds a
type or re-decides a relation. Every type is read off the word alignment
(:mod:`crosscheck.match.wordalign`) and cites the aligned words of both sides, and
every lexicon and constant it uses is a field of ``VerdictSettings``.

The relation follows from the types by one rule:

1. the same words in the same order (case, spelling and marks aside), given to the
   same speaker → ``verbatim``;
2. else any meaning type (``VerdictSettings.meaning_types``) → ``divergent``;
3. else wording at least ``verbatim_threshold`` alike → ``verbatim``;
4. else a rewrite that carries only part (several source sentences of which it keeps
   under ``partial_share`` of the content words, unless it keeps that share of one of
   them and adds nothing none of them has; or more than ``partial_longer`` times
   the source's words, or similarity under ``faithful_threshold``) → ``partial``;
5. else ``faithful_paraphrase``: no meaning type fired. A short quote cut from a long
   source sentence is faithful, with a ``detail_dropped``.

A pair that is not English against English (a Russian rewrite of an English transcript,
or Russian against Russian) has no English lexicons to read: its types are the
language-free concept, number and name checks of :mod:`crosscheck.match.crosslingual`,
and the same rule relates it, with wording judged by the link's similarity alone when
the two languages differ (a translation is never verbatim).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from crosscheck.config.verdict import VerdictSettings
from crosscheck.match import crosslingual, pairmemo, resources
from crosscheck.match.changes import Side, changes
from crosscheck.match.wordalign import WordAlignment, align_words, passage_pieces, passage_words
from crosscheck.match.words import tokens
from crosscheck.model import DiffOp, Divergence, PairScore, QuoteCheck


@dataclass(frozen=True)
class Verdict:
    """What :func:`decide` found: the score users read and the word diff they see."""

    score: PairScore
    diff: tuple[DiffOp, ...]
    words: WordAlignment


def align_sides(src: Side, rw: Side, settings: VerdictSettings) -> WordAlignment:
    """The word alignment of a pair, negation cues read as one word class."""
    synonymous = resources.synonymous if settings.use_wordnet else None
    return align_words(
        passage_words(src.text, src.spans), passage_words(rw.text, rw.spans), src.text, rw.text,
        synonymous=synonymous, classes=_cue_classes(settings), synonym_block=settings.max_name_substitution_words,
    )


def _cue_classes(settings: VerdictSettings) -> dict[str, str]:
    return {w: "¬" for w in settings.negations if " " not in w}


def decide(
    src: Side,
    rw: Side,
    similarity: float,
    settings: VerdictSettings,
    quotes: Sequence[QuoteCheck] = (),
    rewrite_sentences: Sequence[int] = (),
    lexical: float = 0.0,
    semantic: float | None = None,
    languages: tuple[str | None, str | None] = (None, None),
) -> Verdict:
    """Relation, typed changes and divergence of a source passage and its rewrite."""
    if crosslingual.uses_concepts(*languages):
        return _decide_translated(src, rw, similarity, settings, quotes, rewrite_sentences, lexical, semantic, languages)
    # The same two passage texts give the same words and changes (cached across rewrites).
    wa, found = pairmemo.aligned(src.text, src.spans, rw.text, rw.spans, settings, lambda: _read(src, rw, settings))
    speaker = _speaker_change(src, rw)
    if wa.identical and not speaker:
        return Verdict(verbatim_score(similarity, lexical, semantic), wa.ops, wa)
    similarity = float(min(1.0, max(0.0, similarity)))
    types = [*found, *speaker]
    types += _quote_change(types, quotes, rewrite_sentences, settings)
    relation = relation_of(wa, types, similarity, src, settings)
    if relation == "verbatim":
        types = []
    return Verdict(
        _score(similarity, divergence_degree(types, similarity, settings) if types or relation != "verbatim" else 0.0,
               relation, tuple(types), lexical, semantic),
        wa.ops,
        wa,
    )


def same_passage(src: Side, rw: Side) -> bool:
    """Whether the rewrite's passage is the source's text itself, given to the same
    speaker: :func:`decide` calls it verbatim whatever the NLP pipeline reads in it, so
    a caller that wants only the score need not have it read."""
    return passage_pieces(src.text, src.spans) == passage_pieces(rw.text, rw.spans) and not _speaker_change(src, rw)


def verbatim_score(similarity: float, lexical: float, semantic: float | None) -> PairScore:
    """The score of a passage rewritten word for word: no change, no divergence."""
    return _score(float(min(1.0, max(0.0, similarity))), 0.0, "verbatim", (), lexical, semantic)


def _read(src: Side, rw: Side, settings: VerdictSettings) -> tuple[WordAlignment, tuple[Divergence, ...]]:
    wa = align_sides(src, rw, settings)
    return wa, changes(wa, src, rw, settings)


def _passage_text(side: Side) -> str:
    return " ".join(side.text[s.start : s.end] for s in side.spans)


def _decide_translated(
    src: Side, rw: Side, similarity: float, settings: VerdictSettings, quotes: Sequence[QuoteCheck],
    rewrite_sentences: Sequence[int], lexical: float, semantic: float | None,
    languages: tuple[str | None, str | None],
) -> Verdict:
    """The rule of the module docstring for a pair the English lexicons cannot read."""
    source_lang, rewrite_lang = (lang or "und" for lang in languages)
    s_text, r_text = _passage_text(src), _passage_text(rw)
    similarity = float(min(1.0, max(0.0, similarity)))
    wa = align_sides(src, rw, settings)
    types = list(crosslingual.crosslingual_divergences(s_text, r_text, source_lang, rewrite_lang))
    if source_lang == rewrite_lang:
        if wa.identical:
            return Verdict(_score(similarity, 0.0, "verbatim", (), lexical, semantic), wa.ops, wa)
        diff = wa.ops
        types += crosslingual.entity_changes(diff, s_text, r_text, source_lang)
    else:
        diff = crosslingual.concept_diff(s_text, r_text, source_lang, rewrite_lang)
    types += _speaker_change(src, rw)
    types += _quote_change(types, quotes, rewrite_sentences, settings)
    meaning = set(settings.meaning_types)
    ratio = len(tokens(r_text)) / max(1, len(tokens(s_text)))
    if any(d.type in meaning for d in types):
        relation = "divergent"
    elif ratio > settings.partial_longer or similarity < settings.faithful_threshold:
        relation = "partial"
    elif src.sentences > 1 and ratio < settings.partial_share:
        relation = "partial"
    else:
        relation = "faithful_paraphrase"
    divergence = divergence_degree(types, similarity, settings)
    return Verdict(_score(similarity, divergence, relation, tuple(types), lexical, semantic), diff, wa)


def _score(similarity: float, divergence: float, relation: str, types: tuple, lexical: float, semantic: float | None) -> PairScore:
    return PairScore(
        similarity=round(similarity, 4), divergence=divergence, relation=relation, types=types,
        lexical=round(float(lexical), 4), semantic=None if semantic is None else round(float(semantic), 4),
    )


def relation_of(wa: WordAlignment, types: Sequence[Divergence], similarity: float, src: Side, settings: VerdictSettings) -> str:
    """The module docstring's rule, steps 2 to 5."""
    meaning = set(settings.meaning_types)
    if any(d.type in meaning for d in types):
        return "divergent"
    wording = difflib.SequenceMatcher(None, [w.key for w in wa.source], [w.key for w in wa.rewrite], autojunk=False).ratio()
    if wording >= settings.verbatim_threshold:
        return "verbatim"
    content = [i for i, w in enumerate(wa.source) if w.is_content]
    share = sum(1 for i in content if i in wa.kept_source) / max(1, len(content))
    if src.sentences > 1 and share < settings.partial_share:
        # One linked sentence rendered whole is a whole statement (the others are dropped
        # details), unless the rewrite mixes in what none of them has.
        adds = any(d.type == "detail_added" for d in types)
        if adds or _best_sentence_share(wa) < settings.partial_share:
            return "partial"
    if len(wa.rewrite) > settings.partial_longer * max(1, len(wa.source)) or similarity < settings.faithful_threshold:
        return "partial"
    return "faithful_paraphrase"


def _best_sentence_share(wa: WordAlignment) -> float:
    """The largest share of one source sentence's content words the rewrite keeps, a word
    counting as kept wherever the rewrite has it: two linked sentences that both speak of
    "the expansion" share the rewrite's one, which the word alignment gives to only one."""
    lemmas = {w.lemma for w in wa.rewrite}
    shares = []
    for part in sorted({w.part for w in wa.source}):
        content = [i for i, w in enumerate(wa.source) if w.is_content and w.part == part]
        shares.append(sum(1 for i in content if i in wa.kept_source or wa.source[i].lemma in lemmas) / max(1, len(content)))
    return max(shares, default=0.0)


def divergence_degree(types: Sequence[Divergence], similarity: float, settings: VerdictSettings) -> float:
    """How far a rewrite drifted, 0..1: the typed changes first, wording second."""
    kept = 1.0
    for t in sorted({d.type for d in types}):
        kept *= 1.0 - settings.type_weights.get(t, 0.1)
    drift = settings.wording_weight * (1.0 - max(0.0, min(1.0, similarity)))
    return round(max(0.0, min(1.0, 1.0 - kept * (1.0 - drift))), 4)


def _speaker_change(src: Side, rw: Side) -> list[Divergence]:
    """The statement given to another speaker than the one the source gives it to."""
    who_s = {w for w in src.speakers if w}
    who_r = {w for w in rw.speakers if w}
    if who_s and who_r and not who_s & who_r:
        return [Divergence("attribution_changed", tuple(sorted(who_s)), tuple(sorted(who_r)))]
    return []


def _quote_change(types: Sequence[Divergence], quotes: Sequence[QuoteCheck], rewrite_sentences: Sequence[int], s: VerdictSettings) -> list[Divergence]:
    """A quote of this passage the quote check found altered, where the words moved."""
    meaning = set(s.meaning_types) - {"quote_altered"}
    altered = [q for q in quotes if q.verdict == "altered" and set(q.quote.sentence_indices) & set(rewrite_sentences)]
    if not altered or not any(d.type in meaning for d in types):
        return []
    source = tuple(_clip(q.source_text) for q in altered if q.source_text)[:1]
    return [Divergence("quote_altered", source, tuple(q.quote.text for q in altered))]


def _clip(text: str, words: int = 30) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"
