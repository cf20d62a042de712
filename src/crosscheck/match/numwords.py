"""The word tables behind ``numbers``: number words, approximators, months, units.

Kept apart from the parser so that the tables are data (``lexicons/*.txt``, each naming
its source) and the parser is only the grammar that combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август",
                   "сентябр", "октябр", "ноябр", "декабр")
_RU_MONTH_RE = re.compile(r"^(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)"
                          r"(ь|я|е|ю|ем|ём|й|а|у|т)?$")

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₹": "INR"}
CURRENCY_PREFIXES = {"us": "USD", "c": "CAD", "a": "AUD", "hk": "HKD", "nz": "NZD", "s": "SGD"}
CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "gbp": "GBP", "rub": "RUB", "jpy": "JPY",
                  "cny": "CNY", "rmb": "CNY", "chf": "CHF", "cad": "CAD", "aud": "AUD"}
# Currency names after a figure, by the start of the word (so plural and case forms match).
CURRENCY_WORD_PREFIXES = (
    ("dollar", "USD"), ("euro", "EUR"), ("pound", "GBP"), ("sterling", "GBP"), ("yen", "JPY"),
    ("yuan", "CNY"), ("rouble", "RUB"), ("ruble", "RUB"), ("руб", "RUB"), ("долл", "USD"),
    ("евро", "EUR"), ("фунт", "GBP"), ("юан", "CNY"), ("иен", "JPY"), ("йен", "JPY"),
)
# Units of length after a figure, in metres (NIST Special Publication 811, Appendix B:
# the international mile, foot, yard and inch), so "30 miles" is "48 km".
LENGTH_WORDS = {
    "km": 1000.0, "kilometre": 1000.0, "kilometres": 1000.0, "kilometer": 1000.0, "kilometers": 1000.0,
    "metre": 1.0, "metres": 1.0, "meter": 1.0, "meters": 1.0, "cm": 0.01, "mm": 0.001,
    "mile": 1609.344, "miles": 1609.344, "yard": 0.9144, "yards": 0.9144,
    "foot": 0.3048, "feet": 0.3048, "ft": 0.3048, "inch": 0.0254, "inches": 0.0254,
    "км": 1000.0, "километр": 1000.0, "километра": 1000.0, "километров": 1000.0,
    "метр": 1.0, "метра": 1.0, "метров": 1.0, "миля": 1609.344, "мили": 1609.344, "миль": 1609.344,
}
CENT_WORDS = frozenset({"cent", "cents", "цент", "цента", "центов", "копеек", "копейки", "копейка"})
PERCENT_WORDS = frozenset({"percent", "pct", "процент", "процента", "процентов", "проц"})
POINT_WORDS = frozenset({"pp", "ppt", "ppts"})  # "percentage points" and "п.п." are phrases
BASIS_POINT_WORDS = frozenset({"bps", "bp", "bip", "bips"})
QUARTER_WORDS = frozenset({"quarter", "quarters", "qtr", "qtrs", "квартал", "квартала",
                           "квартале", "кварталу", "кварталом"})
HALF_WORDS = frozenset({"half", "halves", "полугодие", "полугодия", "полугодии"})
FISCAL_WORDS = frozenset({"fiscal", "fy", "financial"})
YEAR_WORDS_RU = frozenset({"год", "года", "году", "годом", "годах", "г"})
# A bare four-digit figure after one of these is a year ("in 2021", "since 1992").
YEAR_CUES = frozenset(
    "in since by of from until till through during for early late mid before after around "
    "в с со до к по от на года году начале конце середине".split()
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class NumberWords:
    """One language's number-word table, as read from ``lexicons/number_words.txt``."""

    units: dict[str, float]
    tens: dict[str, float]
    hundreds: dict[str, float]
    scales: dict[str, float]
    scale_abbr: dict[str, float]
    ordinals: dict[str, float]
    fractions: dict[str, float]
    fraction_plurals: dict[str, float]
    dozens: dict[str, float]


def _lines(name: str) -> list[list[str]]:
    text = resources.files("crosscheck.match").joinpath("lexicons", name).read_text("utf-8")
    return [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=4)
def number_words(lang: str) -> NumberWords:
    tables: dict[str, dict[str, float]] = {}
    for row in _lines("number_words.txt"):
        row_lang, role, value, *forms = row
        if row_lang != lang:
            continue
        for form in forms:
            tables.setdefault(role, {})[form] = float(value)
    role = lambda name: tables.get(name, {})  # noqa: E731
    hundreds = dict(role("hundreds"))
    return NumberWords(role("unit"), role("tens"), {**role("hundred"), **hundreds}, role("scale"),
                       role("scale_abbr"), role("ordinal"), role("fraction"),
                       role("fraction_plural"), role("dozen"))


@lru_cache(maxsize=4)
def change_words(lang: str) -> frozenset[str]:
    """Verbs of change ("rose", "fell"): "fell $1.17 to $42.51" is a change and a level."""
    return frozenset(row[1] for row in _lines("change_words.txt") if row[0] == lang)


@lru_cache(maxsize=4)
def approximators(lang: str) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """(pattern, class, phrase), longest phrase first; a pre- pattern must end the text."""
    rows = [(row[1], " ".join(row[2:])) for row in _lines("approximators.txt") if row[0] == lang]
    rows.sort(key=lambda r: (-len(r[1]), r[1]))
    out = []
    for klass, phrase in rows:
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        if klass.startswith("post_"):
            out.append((re.compile(r"^\s*(" + body + r")(?![^\W_])", re.I), klass[5:], phrase))
        else:
            out.append((re.compile(r"(?<![^\W_])(" + body + r")\s*$", re.I), "pre_" + klass, phrase))
    return tuple(out)


def month_of(word: str, lang: str) -> int | None:
    """Month number of a month name (English any case; Russian in any case form)."""
    low = word.lower()
    if low in MONTHS_EN:
        return MONTHS_EN[low]
    match = _RU_MONTH_RE.match(low)
    if match and not (match.group(1) == "ма" and match.group(2) not in ("я", "е", "й", "ю", "ем")):
        return _RU_MONTH_STEMS.index(match.group(1)) + 1
    return None


def currency_word(word: str) -> str | None:
    low = word.lower()
    if low in CURRENCY_CODES:
        return CURRENCY_CODES[low]
    for prefix, code in CURRENCY_WORD_PREFIXES:
        if low.startswith(prefix):
            return code
    return None
