"""Typed checks across languages, through evidence that survives translation.

A Russian rewrite of an English transcript shares no words with it, so a word diff
says nothing. What survives translation is: numbers (by value), names (by
transliteration: Путин -> putin; numbers through :mod:`crosscheck.match.numbers`), and a few concepts every language has words for:
negation, qualifiers such as "direct" / «непосредственный», modal force. This module
reads those from each side and names the changes; ``compare`` calls it instead of the
word-level checks whenever a pair is not English against English.

>>> sorted(concepts(tokens("there is no direct threat"), "en"))
['NEG', 'Q_DIRECT']
>>> sorted(names("Встретились Путин и Песков", "ru"))
['peskov', 'putin']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from crosscheck.match import numbers
from crosscheck.model import DiffOp, Divergence
from crosscheck.match.words import tokens
from crosscheck.text import russian


__all__ = [
    "ConceptHit",
    "evidence_matrix",
    "has_concepts",
    "concept_diff",
    "concept_hits",
    "concepts",
    "crosslingual_divergences",
    "is_crosslingual",
    "names",
    "needs_multilingual",
    "quote_verdict",
    "uses_concepts",
]


def uses_concepts(lang_a: str | None, lang_b: str | None) -> bool:
    """Whether a pair is typed by the concept checks here rather than the English lexicons:
    anything but English against English (or text too short to tell)."""
    known = {lang for lang in (lang_a, lang_b) if lang and lang != "und"}
    return bool(known - {"en"})


def is_crosslingual(lang_a: str | None, lang_b: str | None) -> bool:
    """Whether two articles must be compared through translation-proof evidence."""
    return bool(lang_a and lang_b and lang_a != lang_b and "und" not in (lang_a, lang_b))


def needs_multilingual(lang_a: str | None, lang_b: str | None) -> bool:
    """Whether the English-only embedder cannot read this pair (another language on a side)."""
    return is_crosslingual(lang_a, lang_b) or any(lang not in (None, "en", "und") for lang in (lang_a, lang_b))


def _form(word: str, lang: str) -> str:
    """How lexicon entries and text are compared: lemmas for Russian, lower case otherwise."""
    return russian.lemma(word) if lang == "ru" or russian.is_cyrillic(word) else word.lower()


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, dict[str, tuple[tuple[str, ...], ...]]]:
    """concept -> language -> phrases (as token forms), longest first."""
    import yaml

    raw = yaml.safe_load(resources.files("crosscheck.match").joinpath("data/concepts.yaml").read_text("utf-8"))
    out: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {}
    for concept, by_lang in raw.items():
        out[concept] = {
            lang: tuple(sorted({tuple(_form(t, lang) for t in tokens(str(p))) for p in phrases}, key=len, reverse=True))
            for lang, phrases in by_lang.items()
        }
    return out


@dataclass(frozen=True)
class ConceptHit:
    """A concept found in a passage, with the words that carried it."""

    concept: str
    text: str


def concept_hits(words: Sequence[str], lang: str) -> list[ConceptHit]:
    """Every concept phrase in a token list, longest match first at each place."""
    forms = [_form(w, lang) for w in words]
    entries = sorted(
        ((c, p) for c, by in _lexicon().items() for p in by.get(lang, ())), key=lambda e: -len(e[1])
    )
    hits: list[ConceptHit] = []
    i = 0
    while i < len(forms):
        for concept, phrase in entries:
            k = len(phrase)
            if tuple(forms[i:i + k]) == phrase:
                hits.append(ConceptHit(concept, " ".join(words[i:i + k])))
                i += k
                break
        else:
            i += 1
    return hits


def has_concepts(lang: str) -> bool:
    """Whether the concept lexicon has words for ``lang`` (``en`` and ``ru`` today)."""
    return any(lang in by_lang for by_lang in _lexicon().values())


def concepts(words: Sequence[str], lang: str) -> set[str]:
    """Language-free concept ids (NEG, Q_DIRECT, MODAL_MUST, ...) a passage expresses."""
    return {h.concept for h in concept_hits(words, lang)}


_CAPITALIZED = re.compile(r"\b[A-ZА-ЯЁ][\w’'-]*")
_VOWELS = re.compile(r"[aeiouy]")


def _fold_name(latin: str) -> str:
    """A transliterated or English name folded so spellings meet: lower case, final vowels off."""
    folded = re.sub(r"[^a-z]", "", latin.lower())
    return re.sub(r"(iya|ia|ii|ie|ei|a|e|i|y|o|u)$", "", folded) or folded


@lru_cache(maxsize=50_000)
def _transliterate(word: str) -> str:
    try:
        import iuliia
    except ImportError:
        return ""
    return iuliia.WIKIPEDIA.translate(word)


def names(text: str, lang: str) -> set[str]:
    """Capitalized words not opening a sentence, in Latin letters, folded (Путина -> putin).

    Russian names are lemmatized before transliteration (iuliia's Wikipedia scheme),
    so a name in any case form meets its English spelling. Without the ``ru`` extra
    (iuliia) Cyrillic names are left out.
    """
    found: set[str] = set()
    for m in _CAPITALIZED.finditer(text):
        before = text[:m.start()].rstrip()
        if not before or before[-1] in ".!?:«\"“„–—":
            continue
        folded = _folded(m.group(), lang)
        if len(folded) >= 2:
            found.add(folded)
    return found


def _folded(word: str, lang: str) -> str:
    if russian.is_cyrillic(word):
        base = word if word.isupper() else russian.name_lemma(word).capitalize()
        latin = _transliterate(base)
        # Without iuliia a Cyrillic name still meets itself in another case form.
        return _fold_name(latin) if latin else base.lower()
    return _fold_name(word)


def _values(text: str, lang: str) -> set[str]:
    """A passage's figures by value (match/numbers.py), as short strings for set logic."""
    return {f"{q.kind}:{q.value:g}" for q in numbers.quantities(text, lang)}


def crosslingual_divergences(
    source: str, rewrite: str, source_lang: str, rewrite_lang: str
) -> tuple[Divergence, ...]:
    """Typed changes between passages in any two languages, from concepts and numbers.

    >>> [(d.type, d.source_words) for d in crosslingual_divergences(
    ...     "there is no direct threat to Russia", "угрозы для России нет", "en", "ru")]
    [('qualifier_dropped', ('direct',))]
    """
    # A language the concept lexicon lacks (de, el, ...) would read as "no negation, no
    # qualifier": only numbers are compared then.
    readable = has_concepts(source_lang) and has_concepts(rewrite_lang)
    s_hits = concept_hits(tokens(source), source_lang) if readable else []
    r_hits = concept_hits(tokens(rewrite), rewrite_lang) if readable else []
    s_set = {h.concept for h in s_hits}
    r_set = {h.concept for h in r_hits}

    def words(hits: list[ConceptHit], wanted: set[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.text for h in hits if h.concept in wanted))

    out: list[Divergence] = []
    dropped = {c for c in s_set - r_set if c.startswith("Q_")}
    added = {c for c in r_set - s_set if c.startswith("Q_")}
    if dropped:
        out.append(Divergence("qualifier_dropped", words(s_hits, dropped), (), note=", ".join(sorted(dropped))))
    if added:
        out.append(Divergence("qualifier_added", (), words(r_hits, added), note=", ".join(sorted(added))))
    if ("NEG" in s_set) != ("NEG" in r_set):
        out.append(Divergence("negation_changed", words(s_hits, {"NEG"}), words(r_hits, {"NEG"})))
    modal_s = {c for c in s_set if c.startswith("MODAL_")}
    modal_r = {c for c in r_set if c.startswith("MODAL_")}
    # A modal the rewrite adds ("will evoke" -> «может вызвать»), or an obligation it drops.
    if (modal_r - modal_s) or ("MODAL_MUST" in modal_s - modal_r):
        out.append(Divergence("modality_changed", words(s_hits, modal_s), words(r_hits, modal_r)))
    changed, _, _ = numbers.unmatched(numbers.quantities(source, source_lang), numbers.quantities(rewrite, rewrite_lang))
    if changed:
        out.append(Divergence("number_changed", tuple(a.text for a, _ in changed), tuple(b.text for _, b in changed)))
    return tuple(out)


def concept_diff(source: str, rewrite: str, source_lang: str, rewrite_lang: str) -> tuple[DiffOp, ...]:
    """What a cross-lingual pair shares and differs in, concept by concept (not word by word):
    ``equal`` for a concept or name on both sides, ``delete`` / ``insert`` for one side only."""
    readable = has_concepts(source_lang) and has_concepts(rewrite_lang)
    s_hits = concept_hits(tokens(source), source_lang) if readable else []
    r_hits = concept_hits(tokens(rewrite), rewrite_lang) if readable else []
    ops: list[DiffOp] = []
    for concept in sorted({h.concept for h in s_hits} | {h.concept for h in r_hits}):
        s_words = ", ".join(dict.fromkeys(h.text for h in s_hits if h.concept == concept))
        r_words = ", ".join(dict.fromkeys(h.text for h in r_hits if h.concept == concept))
        op = "equal" if s_words and r_words else ("delete" if s_words else "insert")
        ops.append(DiffOp(op, s_words, r_words))
    q_s, q_r = numbers.quantities(source, source_lang), numbers.quantities(rewrite, rewrite_lang)
    changed, only_s, only_r = numbers.unmatched(q_s, q_r)
    moved = {id(q) for pair in changed for q in pair} | {id(q) for q in only_s + only_r}
    for a in q_s:
        if id(a) not in moved:
            same = next((b for b in q_r if numbers.consistent(a, b)), None)
            ops.append(DiffOp("equal", a.text, same.text if same else a.text))
    ops += [DiffOp("replace", a.text, b.text) for a, b in changed]
    ops += [DiffOp("delete", a.text, "") for a in only_s] + [DiffOp("insert", "", b.text) for b in only_r]
    n_s, n_r = names(source, source_lang), names(rewrite, rewrite_lang)
    for n in sorted(n_s & n_r):
        ops.append(DiffOp("equal", n, n))
    return tuple(ops)


def evidence_matrix(rewrite_texts: Sequence[str], rewrite_lang: str, source_texts: Sequence[str], source_lang: str) -> np.ndarray:
    """Share of each rewrite sentence's names and numbers found in each source sentence
    (rows: rewrite, columns: source), the lexical evidence translation leaves intact."""
    def marks(text: str, lang: str) -> set[str]:
        # Four letters of a name are enough to meet across spellings (finlyandiya / finland).
        return {n[:4] for n in names(text, lang)} | _values(text, lang)

    r_marks = [marks(t, rewrite_lang) for t in rewrite_texts]
    s_marks = [marks(t, source_lang) for t in source_texts]
    # A name every source sentence has ("NATO" in a speech on NATO) tells sentences apart
    # less than a rare one: marks are weighted by their rarity among the source sentences.
    df: dict[str, int] = {}
    for s in s_marks:
        for mark in s:
            df[mark] = df.get(mark, 0) + 1
    n = max(1, len(s_marks))

    def weight(marks_: set[str]) -> float:
        return sum(np.log1p(n / df.get(mark, 1)) for mark in marks_)

    # One shared name alone is weak evidence: the union counts one unseen rare mark more.
    prior = float(np.log1p(n))

    out = np.zeros((len(r_marks), len(s_marks)), dtype=np.float32)
    for i, r in enumerate(r_marks):
        if not r:
            continue
        for j, s in enumerate(s_marks):
            if s and r & s:
                out[i, j] = weight(r & s) / (weight(r | s) + prior)
    return out


def entity_changes(diff: Sequence[DiffOp], source: str, rewrite: str, lang: str) -> list[Divergence]:
    """A name the rewrite put in place of another one (Лавров -> Шойгу), read off a word
    diff of one language: a short ``replace`` whose two sides hold names the other
    passage lacks."""
    s_names, r_names = names(source, lang), names(rewrite, lang)
    for op in diff:
        if op.op != "replace" or len(op.source_text.split()) > 4 or len(op.rewrite_text.split()) > 4:
            continue
        gone = [w for w in _CAPITALIZED.findall(op.source_text) if _folded(w, lang) in s_names - r_names]
        new = [w for w in _CAPITALIZED.findall(op.rewrite_text) if _folded(w, lang) in r_names - s_names]
        if gone and new:
            return [Divergence("entity_changed", tuple(gone), tuple(new))]
    return []


QUOTE_CHANGES = frozenset({"negation_changed", "qualifier_added", "modality_changed", "number_changed"})
"""Changes a quote shows on its own: words it has that the source lacks. What it lacks
(a dropped qualifier or negation) counts only when the quote renders that statement:
it is checked against one sentence and keeps another of its concepts (the negation
of "no direct threat")."""


def quote_verdict(quote: str, source: str, quote_lang: str, source_lang: str, source_sentences: int = 1) -> tuple[str, tuple[Divergence, ...]]:
    """``faithful`` or ``altered`` for a quote checked against a source passage in another
    language (a translation cannot be ``verbatim``), with the changes that decide it.

    >>> quote_verdict("угрозы не создает", "there is no direct threat", "ru", "en")[0]
    'altered'
    >>> quote_verdict("непосредственной угрозы не создает", "there is no direct threat", "ru", "en")[0]
    'faithful'
    """
    found = crosslingual_divergences(source, quote, source_lang, quote_lang)
    kept = {h.concept for h in concept_hits(tokens(quote), quote_lang)} & {h.concept for h in concept_hits(tokens(source), source_lang)}
    # Against several source sentences a quote may render one without the qualifier's.
    renders = bool(kept) and source_sentences == 1
    # What the quote adds always counts; what it lacks only where it renders that sentence.
    moved = tuple(d for d in found if (d.type in QUOTE_CHANGES and d.rewrite_words) or renders)
    return ("altered" if moved else "faithful"), moved
