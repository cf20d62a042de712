"""Check each quote of the rewrite against the source: are these words really there?

A quote is the strongest claim a rewrite makes ("Putin said: ..."), so each gets a
verdict: ``verbatim``, ``faithful`` (the same statement in another translation),
``altered`` (the quoted words say something the source's words do not),
``not_found``, or ``unverifiable`` when the quoted person does not speak in the
source at all. Each verdict carries the best source span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from crosscheck.match.align import Link, SideFeatures, _merge_words, speaker_key, surname
from crosscheck.config import Settings
from crosscheck.match.crosslingual import is_crosslingual, quote_verdict
from crosscheck.match.diverge import MEANING_TYPES, Passage, compile_lexicon, find_divergences, word_diff
from crosscheck.model import Divergence, Quote, QuoteCheck, Span
from crosscheck.match.score import Idf, containment, token_similarity
from crosscheck.match.words import STOPWORDS, stem, tokens, words_of


@dataclass(frozen=True)
class LinkedTypes:
    """A link and the typed changes found in it, as the quote check reads them."""

    link: Link
    types: tuple[Divergence, ...]


def _is_person(name: str | None) -> bool:
    """A named person ("Lukashenko", "Vladimir Putin"), not "a Kremlin statement"."""
    return bool(name) and all(part[:1].isupper() for part in name.split())


def known_speakers(source: SideFeatures) -> set[str]:
    """People the source lets speak: transcript labels and quoted speakers; in a source
    with neither, anyone it names."""
    speakers = {s for s in source.speakers if s}
    if not speakers:
        speakers = {n for w in source.words for n in w.names}
    return speakers


def _span_of(source: SideFeatures, indices: Sequence[int]) -> Span:
    sentences = source.document.sentences
    return Span(sentences[min(indices)].span.start, sentences[max(indices)].span.end)


def _inside(quote: Quote, source_text: str, divergence: Divergence) -> bool:
    """Whether a typed change falls inside the quoted words rather than around them."""
    q_words = set(tokens(quote.text))
    q_stems = {stem(w) for w in q_words if w not in STOPWORDS}
    if divergence.rewrite_words and any(set(tokens(w)) <= q_words for w in divergence.rewrite_words):
        return True
    for word in divergence.source_words:
        at = source_text.lower().find(word.lower())
        if at < 0:
            continue
        context = tokens(source_text[at : at + len(word) + 60])[len(tokens(word)) :][:5]
        if q_stems & {stem(w) for w in context if w not in STOPWORDS}:
            return True
    return False


def _best_window(quote_words, source: SideFeatures, allowed: Sequence[int], idf: Idf) -> tuple[tuple[int, ...], float]:
    """The source window of one to three sentences that best holds the quote.

    A window replaces the best so far only when it beats it by 0.02; the fuzzy
    ratio, the costly part, is asked only for a score that could do that, so a
    20,000-word transcript costs a containment check per window, not a ratio.
    """
    best: tuple[tuple[int, ...], float] = ((), 0.0)
    n = len(source.words)
    allowed_set = set(allowed)
    quote_folded = " ".join(quote_words.folded)
    quote_content = quote_words.content
    for i in allowed:
        # Only windows that share content with the quote can hold it.
        if not quote_content & source.words[i].content:
            continue
        for width in (1, 2, 3):
            window = tuple(range(i, min(n, i + width)))
            if any(k not in allowed_set for k in window):
                break
            merged = source.words[i] if width == 1 else _merge_words([source.words[k] for k in window])
            covered = containment(quote_words, merged, idf)
            needed = (best[1] + 0.02 - 0.6 * covered) / 0.4
            if needed > 1.0:
                continue
            fuzzy = fuzz.partial_ratio(quote_folded, " ".join(merged.folded), score_cutoff=max(0.0, needed) * 100) / 100
            value = 0.6 * covered + 0.4 * fuzzy
            if value > best[1] + 0.02:
                best = (window, value)
    return best


def check_quote(
    quote: Quote,
    source: SideFeatures,
    rewrite: SideFeatures,
    linked: Sequence[LinkedTypes],
    settings: Settings,
    idf: Idf,
) -> QuoteCheck:
    speaker = speaker_key(quote.speaker)
    speakers = known_speakers(source)
    if speaker and _is_person(quote.speaker) and speaker not in speakers:
        return QuoteCheck(quote, "unverifiable")
    allowed = [
        i for i, s in enumerate(source.speakers) if s is None or not speaker or s == speaker or not _is_person(quote.speaker)
    ]
    q_words = words_of(quote.text)
    around = [lt for lt in linked if set(lt.link.rewrite) & set(quote.sentence_indices)]
    window, strength = _best_window(q_words, source, allowed, idf)
    if around:
        lt = max(around, key=lambda x: x.link.similarity)
        if not window or strength < 0.5 or not set(window) & set(lt.link.source):
            window, strength = lt.link.source, max(strength, lt.link.similarity)
    if not window:
        return QuoteCheck(quote, "not_found")
    source_text = " ".join(source.document.sentences[k].text for k in window)
    span = _span_of(source, window)
    if is_crosslingual(source.language, rewrite.language):
        # A translated quote is checked against every source sentence its links render.
        if not around and strength < 0.45:
            return QuoteCheck(quote, "not_found", None, round(strength, 4))
        window = tuple(sorted({k for lt in around for k in lt.link.source})) or tuple(window)
        source_text = " ".join(source.document.sentences[k].text for k in window)
        verdict, _ = quote_verdict(quote.text, source_text, rewrite.language or "und", source.language or "und", len(window))
        return QuoteCheck(quote, verdict, _span_of(source, window), round(strength, 4), source_text)
    # Quoted words that carry a change the aligner found in this passage.
    for lt in around:
        link_source = " ".join(source.document.sentences[k].text for k in lt.link.source)
        if any(d.type in MEANING_TYPES and _inside(quote, link_source, d) for d in lt.types):
            return QuoteCheck(quote, "altered", span, round(strength, 4), source_text)
    wording = token_similarity(q_words, words_of(source_text))
    in_source = containment(q_words, words_of(source_text), Idf.flat())
    if in_source >= 0.95 and (wording >= 0.9 or len(q_words.tokens) <= 6 or _verbatim_run(quote.text, source_text)):
        return QuoteCheck(quote, "verbatim", span, round(strength, 4), source_text)
    if not around:
        found = find_divergences(Passage(source_text, len(window)), Passage(quote.text), word_diff(source_text, quote.text), settings.lexicons)
        if any(d.type in MEANING_TYPES - {"entity_changed"} for d in found) and strength >= 0.5:
            return QuoteCheck(quote, "altered", span, round(strength, 4), source_text)
    short = len(q_words.tokens) <= 5
    if strength >= 0.45 or (around and short):
        return QuoteCheck(quote, "faithful", span, round(strength, 4), source_text)
    return QuoteCheck(quote, "not_found", None, round(strength, 4))


def _verbatim_run(quote: str, source: str) -> bool:
    q = " ".join(words_of(quote).folded)
    s = " ".join(words_of(source).folded)
    return bool(q) and q in s


def check_quotes(
    source: SideFeatures, rewrite: SideFeatures, linked: Sequence[LinkedTypes], settings: Settings
) -> tuple[QuoteCheck, ...]:
    compile_lexicon(settings.lexicons)
    idf = Idf.fit([*source.words, *rewrite.words])
    return tuple(check_quote(q, source, rewrite, linked, settings, idf) for q in rewrite.document.quotes)
