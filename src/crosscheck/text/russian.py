"""Russian words as the matcher compares them: lemmas and stop words.

Russian inflects heavily («угроза», «угрозы», «угрозой»), so two renderings of one
statement share lemmas, not word forms. pymorphy3 with its OpenCorpora dictionary
(the ``ru`` extra, 8 MB, MIT) gives dictionary lemmas; without it a light suffix
stemmer folds the common endings, and :func:`lemma_engine` says which one runs, so
outputs can tell the user what installing the extra would change.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

__all__ = ["STOPWORDS", "is_cyrillic", "lemma", "latin", "lemma_engine", "name_lemma", "reported_speaker", "surname_in"]

STOPWORDS = frozenset(
    """
    и в во на с со к ко по о об обо от до из за у для при про через над под между без а но или
    либо что чтобы как так также тоже же ли бы вот это этот эта эти этого этой этих том тот та те
    того тех он она оно они его ее её их ему ей им ими него нее неё них нему ней ним я мы ты вы
    меня мне нас нам вас вам себя себе свой своя свое своё свои своего своей своих который которая
    которое которые которого которой которых где когда если то уже еще ещё только был была было
    были быть есть будет будут является являются сам сама сами весь вся все всё всех всего всем
    один одна одно очень такой такая такие таких также ну да ведь лишь даже именно кто чем
    заявил заявила заявили сказал сказала сказали говорит говорят отметил отметила подчеркнул
    подчеркнула сообщил сообщила добавил добавила
    """.split()
)
"""Function words left out of content-word overlap, and the reporting verbs every news
sentence has («заявил», like English "said"). «не», «нет», «ни» are not here: negation
is meaning, and the typed checks read it."""

_CYRILLIC = re.compile(r"[\u0400-\u052f]")

# Longest first: the stemmer strips the first ending that leaves a stem of 3+ letters.
_ENDINGS = tuple(
    sorted(
        """
        ейшими ейшего ейшему ейшая ейшее ейшие ейший иями ями ами ого его ому ему ыми ими ая яя ое ее
        ые ие ый ий ой ую юю ых их ом ем ах ях ов ев ей ам ям ия ие ию ья ье ьи ью ать ять ить еть уть
        ться тся ешь ет ут ют ит ят ем им ете ите ла ло ли ал ял ил ел а я о е ы и у ю ь
        """.split(),
        key=len,
        reverse=True,
    )
)


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    """pymorphy3's analyzer, loaded once on first use (about 0.3 s), or None without the extra."""
    try:
        import pymorphy3
    except ImportError:
        warnings.warn(
            "Russian lemmas: pymorphy3 is not installed; using a suffix stemmer "
            "(pip install 'crosscheck[ru]' for dictionary lemmas)",
            RuntimeWarning,
            stacklevel=3,
        )
        return None
    return pymorphy3.MorphAnalyzer()


def lemma_engine() -> str:
    """``pymorphy3`` or ``suffix-stemmer``: what :func:`lemma` uses here."""
    return "pymorphy3" if _analyzer() is not None else "suffix-stemmer"


def _suffix_stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case Russian word (ё folded to е).

    >>> lemma("непосредственной") in ("непосредственный", "непосредственн")
    True
    """
    word = word.lower().replace("ё", "е")
    analyzer = _analyzer()
    if analyzer is None:
        return _suffix_stem(word)
    return analyzer.parse(word)[0].normal_form.replace("ё", "е")


_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


@lru_cache(maxsize=50_000)
def name_lemma(word: str) -> str:
    """The nominative of a proper name (Пескова -> песков), preferring name readings:
    the first dictionary reading of «Песков» is «песок» (sand)."""
    lowered = word.lower().replace("ё", "е")
    analyzer = _analyzer()
    if analyzer is None:
        return _suffix_stem(lowered)
    for parse in analyzer.parse(lowered):
        if _NAME_TAGS & set(parse.tag.grammemes):
            return parse.normal_form.replace("ё", "е")
    return lowered


_REPORTED = re.compile(
    r"(?P<who>[А-ЯЁ][а-яё]+(?:[ \t]+[А-ЯЁ][а-яё]+){0,2})[ \t]+(?:ранее[ \t]+|также[ \t]+|вновь[ \t]+|в[ \t]+свою[ \t]+очередь[ \t]+)?"
    r"(?:заявил|сообщил|сказал|отметил|подчеркнул|добавил|пояснил|уточнил|напомнил|признал|считает|полагает|уверен|говорит)а?\b"
)


# «..., — заявил Путин» / «Как подчеркнул Путин, ...»: the verb before the name.
_REPORTED_AFTER = re.compile(
    r"\b(?:заявил|сообщил|сказал|отметил|подчеркнул|добавил|пояснил|уточнил|напомнил|признал|констатировал)а?"
    r"[ \t]+(?P<who>(?:[А-ЯЁ][а-яё]+[ \t]*){1,3})"
)


def surname_in(words: str) -> str | None:
    """The last word of ``words`` the dictionary reads as a surname, in its nominative
    («Путина» -> «путин»), or None (also without the ``ru`` extra)."""
    analyzer = _analyzer()
    if analyzer is None:
        return None
    for word in reversed(words.split()):
        for parse in analyzer.parse(word.lower()):
            if "Surn" in parse.tag.grammemes:
                return parse.normal_form.replace("ё", "е")
    return None


def reported_speaker(sentence: str) -> str | None:
    """The surname of the person a Russian sentence reports («Песков ранее сообщил, что ...»),
    in Latin letters (``peskov``), so it meets a transcript's English speaker labels.

    Only a word the dictionary reads as a surname counts: «Владимир Владимирович
    объявил» names no surname and gives None rather than a wrong speaker.
    """
    for pattern in (_REPORTED, _REPORTED_AFTER):
        for m in pattern.finditer(sentence):
            found = surname_in(m.group("who"))
            if found:
                return latin(found)
    return None


def latin(word: str) -> str | None:
    """A Russian word in Latin letters by iuliia's Wikipedia scheme (путин -> putin), lower case."""
    try:
        import iuliia
    except ImportError:
        return None
    return iuliia.WIKIPEDIA.translate(word).lower()
