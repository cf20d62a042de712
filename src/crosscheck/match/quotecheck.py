"""Check each quote of the rewrite against the source: are these words really there?

A quote is the strongest claim a rewrite makes ("Putin said: ..."), so each gets a
verdict: ``verbatim``, ``faithful`` (the same statement in another translation),
``altered`` (the quoted words say something the source's words do not),
``not_found``, or ``unverifiable`` when the quoted person does not speak in the
source at all. Each verdict carries the best source span.
"""

from __future__ import annotations

from collections.abc import Sequence

from crosscheck.match.align import Link, SideFeatures, speaker_key, surname
from crosscheck.match.newsread import merged as merged_words
from crosscheck.config import Settings
from crosscheck.match.changes import Side, changes
from crosscheck.match.crosslingual import is_crosslingual, quote_verdict
from crosscheck.match.verdict import align_sides
from crosscheck.model import Quote, QuoteCheck, Span
from crosscheck.match.score import Idf, containment, partial_ratio, token_similarity
from crosscheck.match.words import sentence_words, words_of

# Changes that do not alter what a quote says: another name for the same referent in
# a translation, who speaks (the quote check asks that first), and words around it.
_NOT_ALTERING = frozenset({"entity_changed", "attribution_changed", "quote_altered"})


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


def _altered(quote: Quote, source: SideFeatures, rewrite: SideFeatures, window: Sequence[int], settings: Settings) -> bool:
    """Whether the quoted words say something the source's words do not: the verdict's
    typed changes between the quote and its source window decide. Words the quote
    leaves out around it are details, and a qualifier or negation counts only where
    the word it modifies is quoted, so a fair excerpt is not altered."""
    v = settings.verdict
    src = Side(source.document.text, tuple(source.document.sentences[k].span for k in window))
    rw = Side(rewrite.document.text, (quote.span,))
    meaning = set(v.meaning_types) - _NOT_ALTERING
    wa = align_sides(src, rw, v)
    if sum(1 for w in wa.rewrite if w.is_content) < 4:
        # A quoted word or two cannot carry what qualified the sentence around it.
        meaning -= {"qualifier_dropped", "qualifier_added", "modality_changed", "claim_strengthened"}
    return any(d.type in meaning for d in changes(wa, src, rw, v))


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
            merged = source.words[i] if width == 1 else merged_words([source.words[k] for k in window])
            covered = containment(quote_words, merged, idf)
            needed = (best[1] + 0.02 - 0.6 * covered) / 0.4
            if needed > 1.0:
                continue
            fuzzy = partial_ratio(quote_folded, " ".join(merged.folded), max(0.0, needed) * 100) / 100
            value = 0.6 * covered + 0.4 * fuzzy
            if value > best[1] + 0.02:
                best = (window, value)
    return best


def check_quote(
    quote: Quote,
    source: SideFeatures,
    rewrite: SideFeatures,
    links: Sequence[Link],
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
    q_words = sentence_words(quote.text)
    around = [link for link in links if set(link.rewrite) & set(quote.sentence_indices)]
    window, strength = _best_window(q_words, source, allowed, idf)
    if around:
        best = max(around, key=lambda x: x.similarity)
        if not window or strength < 0.5 or not set(window) & set(best.source):
            window, strength = best.source, max(strength, best.similarity)
    if not window:
        return QuoteCheck(quote, "not_found")
    source_text = " ".join(source.document.sentences[k].text for k in window)
    span = _span_of(source, window)
    if is_crosslingual(source.language, rewrite.language):
        # A translated quote is checked against every source sentence its links render.
        if not around and strength < 0.45:
            return QuoteCheck(quote, "not_found", None, round(strength, 4))
        window = tuple(sorted({k for link in around for k in link.source})) or tuple(window)
        source_text = " ".join(source.document.sentences[k].text for k in window)
        verdict, _ = quote_verdict(quote.text, source_text, rewrite.language or "und", source.language or "und", len(window))
        return QuoteCheck(quote, verdict, _span_of(source, window), round(strength, 4), source_text)
    wording = token_similarity(q_words, sentence_words(source_text))
    in_source = containment(q_words, sentence_words(source_text), Idf.flat())
    if in_source >= 0.95 and (wording >= 0.9 or len(q_words.tokens) <= 6 or _verbatim_run(quote.text, source_text)):
        return QuoteCheck(quote, "verbatim", span, round(strength, 4), source_text)
    if (around or strength >= 0.5) and _altered(quote, source, rewrite, window, settings):
        return QuoteCheck(quote, "altered", span, round(strength, 4), source_text)
    short = len(q_words.tokens) <= 5
    if strength >= 0.45 or (around and short):
        return QuoteCheck(quote, "faithful", span, round(strength, 4), source_text)
    return QuoteCheck(quote, "not_found", None, round(strength, 4))


def _verbatim_run(quote: str, source: str) -> bool:
    q = " ".join(words_of(quote).folded)
    s = " ".join(words_of(source).folded)
    return bool(q) and q in s


def check_quotes(source: SideFeatures, rewrite: SideFeatures, links: Sequence[Link], settings: Settings) -> tuple[QuoteCheck, ...]:
    """A verdict for every quote of the rewrite."""
    idf = Idf.fit([*source.words, *rewrite.words])
    return tuple(check_quote(q, source, rewrite, links, settings, idf) for q in rewrite.document.quotes)
