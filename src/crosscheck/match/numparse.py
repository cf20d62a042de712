"""The grammar of written figures: tokens in, raw figures (value, kind, unit, span) out.

``numbers`` adds approximators and intervals on top; this module only decides what a run
of digits, number words, symbols and unit words says.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from crosscheck.match import numwords as nw


@dataclass(frozen=True)
class Tok:
    kind: str  # num | word | sym | iso | dots | time
    text: str
    low: str
    start: int
    end: int


@dataclass(frozen=True)
class Raw:
    value: float
    kind: str
    unit: str | None
    start: int
    end: int
    step: float = 1.0
    low: float = 0.0
    high: float = 0.0
    approx: str | None = None
    approx_class: str | None = None


_NUM = {
    "en": r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?!\d)(?:\.\d+)?"
          r"|\d*\.\d+|\d+",
    "ru": r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)(?:,\d+)?|\d*[.,]\d+|\d+",
}
_TOKEN_RE = {
    lang: re.compile(
        r"(?P<iso>(?<!\d)\d{4}-\d{2}-\d{2}(?!\d))|(?P<dots>(?<![\d.])\d{1,2}\.\d{1,2}\.\d{4}(?!\d))"
        r"|(?P<slashes>(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/]))"
        r"|(?P<time>(?<![\d:])\d{1,2}:\d{2}(?![\d:]))"
        r"|(?P<num>(?<![\d])(?:" + num + r"))|(?P<word>[^\W\d_]+)|(?P<sym>[$€£¥₽₹%‰'’‘\-–—.,:/+])"
    )
    for lang, num in _NUM.items()
}
_PLURAL_BIG = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0,
               "millions": 2e6, "billions": 2e9, "десятки": 20.0, "сотни": 200.0, "тысячи": 2000.0,
               "миллионы": 2e6}
# One-word approximators that may stand before either end of a range.
_RANGE_APPROX = frozenset({"about", "around", "approximately", "roughly", "some", "approx", "около", "примерно"})
# After a verb of change, "X to Y" is a range only when its ends are this close; further apart
# the first is the change and the second the level reached.
_CHANGE_RANGE_MAX_RATIO = 2.0
_ORD_SUFFIX = frozenset({"st", "nd", "rd", "th"})
_YEAR_FOLLOW_OK = frozenset(
    "and or to the a an as was were is are but with that which after before when while than "
    "on at from by for it its in of versus vs и а но в на по с к от года году году".split()
)


def tokenize(text: str, lang: str) -> list[Tok]:
    pattern = _TOKEN_RE.get(lang, _TOKEN_RE["en"])
    return [Tok(m.lastgroup or "sym", m.group(), m.group().lower(), m.start(), m.end())
            for m in pattern.finditer(text)]


def _digits(text: str, lang: str) -> tuple[float, float]:
    """Value and precision step of a digit token."""
    s = re.sub(r"[ \u00a0\u202f\u2009]", "", text)
    if lang == "ru":
        s = s.replace(",", ".")
    else:
        s = s.replace(",", "")
    decimals = len(s.split(".")[1]) if "." in s else 0
    return float(s), 10.0 ** -decimals


class _Parser:
    def __init__(self, toks: list[Tok], text: str, lang: str):
        self.toks, self.text, self.lang = toks, text, lang
        self.words = nw.number_words(lang)
        self._ends: list[int] | None = None

    def at(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def attached(self, i: int, j: int) -> bool:
        a, b = self.at(i), self.at(j)
        return a is not None and b is not None and a.end == b.start

    def low(self, i: int) -> str:
        tok = self.at(i)
        return tok.low if tok is not None else ""

    # -- cores: a bare value, from digits or number words ------------------------------------
    def word_number(self, i: int) -> tuple[float, float, int] | None:
        w = self.words
        total, current, step, j, seen = 0.0, 0.0, 1.0, i, False
        while True:
            word = self.low(j)
            if self.at(j) is None or self.at(j).kind not in ("word", "sym"):
                break
            big = self.low(j + 1) in w.hundreds or self.low(j + 1) in w.scales \
                or self.low(j + 1) in w.dozens
            if word in ("a", "an", "one", "один", "одна") and not seen and big:
                current, seen, j = 1.0, True, j + 1
                continue
            if word == "one" and seen and self.low(j - 1) == "-":
                current, j = current + 1.0, j + 1
                continue
            if not seen and word in _PLURAL_BIG and self.low(j + 1) in ("of",):
                value = _PLURAL_BIG[word]
                return value, -value, j + 1  # "hundreds of": at least two hundred
            if word == "-" and seen and self.attached(j - 1, j) and self.attached(j, j + 1):
                j += 1
                continue
            if word == "and" and seen and self.low(j + 1) in {**w.units, **w.tens}:
                j += 1
                continue
            if word in w.units or word in w.tens:
                current += w.units.get(word, 0.0) + w.tens.get(word, 0.0)
            elif word in w.hundreds and (seen or self.lang == "ru"):
                value = w.hundreds[word]
                current = current * value if value == 100 and current else current + value
            elif word in w.dozens and (seen or self.low(j - 1) in ("a", "an")):
                current = max(current, 1.0) * 12
            elif word in w.dozens:
                current = 12.0
            elif word in w.scales and (seen or self.lang == "ru"):
                total += max(current, 1.0) * w.scales[word]
                step, current = w.scales[word], 0.0
            else:
                break
            seen, j = True, j + 1
        if not seen:
            return None
        return total + current, step, j

    def core(self, i: int) -> tuple[float, float, int, bool] | None:
        tok = self.at(i)
        if tok is None:
            return None
        if tok.kind == "num":
            value, step = _digits(tok.text, self.lang)
            return value, step, i + 1, False
        found = self.word_number(i) if tok.kind == "word" else None
        if found is None and tok.low == "." and self.at(i + 1) and self.at(i + 1).kind == "num" \
                and self.attached(i, i + 1) and self.low(i - 1) in nw.CURRENCY_SYMBOLS:
            value, step = _digits("0." + self.toks[i + 1].text, self.lang)  # "$.61"
            return value, step, i + 2, False
        return (found[0], found[1], found[2], True) if found else None

    # -- what follows a value ------------------------------------------------------------------
    def scale(self, j: int, value: float, step: float, money: bool):
        word = self.low(j)
        w = self.words
        if word in w.scales:
            return value * w.scales[word], step * w.scales[word], j + 1
        if word in w.scale_abbr and (len(word) > 1 and word not in ("mil", "mio") or money) \
                and (self.attached(j - 1, j) or self.lang == "ru" or money):
            dotted = self.lang == "ru" and self.low(j + 1) == "." and self.attached(j, j + 1)
            nxt = j + 2 if dotted else j + 1  # "тыс.": the dot is the abbreviation's
            return value * w.scale_abbr[word], step * w.scale_abbr[word], nxt
        return value, step, j

    def unit(self, j: int) -> tuple[str | None, str | None, float, int]:
        """(kind, unit, factor, next index) of a unit after a figure, or Nones."""
        word, nxt = self.low(j), self.low(j + 1)
        if word in ("%",):
            return "percent", "%", 1.0, j + 1
        if word in nw.PERCENT_WORDS:
            return "percent", "%", 1.0, j + (2 if nxt == "." and word == "проц" else 1)
        if word == "per" and nxt == "cent":
            return "percent", "%", 1.0, j + 2
        if word == "percentage" and nxt.startswith("point"):
            return "points", "pp", 1.0, j + 2
        if word.startswith("процентн") and nxt.startswith("пункт"):
            return "points", "pp", 1.0, j + 2
        if word in ("п", "p") and nxt == "." and self.low(j + 2) == word:
            return "points", "pp", 1.0, j + (4 if self.low(j + 3) == "." else 3)
        if word in nw.POINT_WORDS:
            return "points", "pp", 1.0, j + 1
        if word in nw.BASIS_POINT_WORDS or (word == "basis" and nxt.startswith("point")):
            return "points", "pp", 0.01, j + (2 if word == "basis" else 1)
        if word in nw.LENGTH_WORDS:
            return "length", "m", nw.LENGTH_WORDS[word], j + 1
        if word in nw.CENT_WORDS:
            return "money", "RUB" if word.startswith("коп") else "USD", 0.01, j + 1
        code = nw.currency_word(word) if self.at(j) is not None and self.at(j).kind == "word" else None
        if code:
            return "money", code, 1.0, j + (2 if nxt == "." and self.attached(j, j + 1) else 1)
        return None, None, 1.0, j

    def currency_before(self, i: int) -> tuple[str | None, int]:
        sym = self.low(i - 1)
        if sym in nw.CURRENCY_SYMBOLS:
            prefix = self.low(i - 2)
            if prefix in nw.CURRENCY_PREFIXES and self.attached(i - 2, i - 1):
                return nw.CURRENCY_PREFIXES[prefix], i - 2
            return nw.CURRENCY_SYMBOLS[sym], i - 1
        if sym in nw.CURRENCY_CODES and self.at(i - 1).text.isupper():
            return nw.CURRENCY_CODES[sym], i - 1
        return None, i

    # -- whole figures -------------------------------------------------------------------------
    def figure(self, i: int) -> tuple[Raw, int] | None:
        currency, first = self.currency_before(i)
        core = self.core(i)
        if core is None:
            return None
        value, step, j, is_word = core
        tok = self.toks[i]
        if step < 0:  # "hundreds of": an open interval named by the word itself
            return Raw(value, "count", None, tok.start, self.toks[j - 1].end, -step, value,
                       float("inf"), tok.text, "ge"), j
        negative = (self.low(i - 1) in ("-", "−") and self.attached(i - 1, i)
                    and (self.at(i - 2) is None or not self.attached(i - 2, i - 1)))
        if negative and currency is None:
            first = i - 1
        kind = "count"
        if not is_word and self.low(j) == "/" and self.attached(j - 1, j) and self.attached(j, j + 1) \
                and self.at(j + 1).kind == "num" and self.toks[j + 1].text.isdigit():
            den = int(self.toks[j + 1].text)
            if 2 <= den <= 10 and 0 < value < den:  # "2/3"
                frac = value / den
                return Raw(frac, "fraction", None, tok.start, self.toks[j + 1].end, 0.01, frac, frac), j + 2
        mixed = None if is_word or not tok.text.isdigit() else self.mixed_fraction(j)
        if mixed is not None:  # "1 1/2 inches", "290-1/2p": a whole number and a fraction
            value, step, j = value + mixed[0], mixed[1], mixed[2]
        # ordinals: "3rd", "30th", "30-летие"
        if not is_word and self.low(j) in _ORD_SUFFIX and self.attached(j - 1, j):
            return self.after_ordinal(value, first, j + 1)
        if not is_word and self.low(j) == "-" and self.attached(j - 1, j) and \
                re.match(r"^(летие|летия|летию|летием|й|го|м|я|е)$", self.low(j + 1)):
            return self.after_ordinal(value, first, j + 2)
        unscaled = value
        value, step, j = self.scale(j, value, step, currency is not None)
        scale = value / unscaled if unscaled else 1.0
        unit_kind, unit, factor, k = self.unit(j)
        if unit_kind:
            if unit_kind == "money" and currency and unit != currency and factor == 1.0:
                unit_kind, unit = None, None
            else:
                kind, value, step, j = unit_kind, value * factor, step * factor, k
                currency = unit if unit_kind == "money" else currency
        if currency and kind == "count":
            kind, unit = "money", currency
        if negative:
            value = -value
        if kind == "count" and not is_word and self.is_year(i, j, tok):
            return self.year_span(self.year(int(value), first, j), j)
        raw = Raw(value, kind, unit, self.toks[first].start, self.toks[j - 1].end, step, value, value)
        return self.range_from(raw, j, scale)

    def mixed_fraction(self, j: int) -> tuple[float, float, int] | None:
        """(the fraction, its precision, the index past it) of a proper fraction right after a whole number
        ending at ``j``, after a space or glued by a hyphen, as share prices were quoted
        ("1 1/2", "290-1/2")."""
        k = j + 1 if self.low(j) == "-" and self.attached(j - 1, j) and self.attached(j, j + 1) else j
        num, slash, den = self.at(k), self.at(k + 1), self.at(k + 2)
        if k == j and (num is None or self.attached(j - 1, k)):
            return None
        if num is None or slash is None or den is None or slash.low != "/" or not (num.text.isdigit() and den.text.isdigit()):
            return None
        if not (self.attached(k, k + 1) and self.attached(k + 1, k + 2)):
            return None
        n, d = int(num.text), int(den.text)
        return (n / d, 1 / d, k + 3) if 0 < n < d <= 64 else None

    def after_ordinal(self, value: float, first: int, j: int) -> tuple[Raw, int]:
        word = self.low(j + 1) if self.low(j) == "-" else self.low(j)
        k = j + 2 if self.low(j) == "-" else j + 1
        if word in nw.QUARTER_WORDS and 1 <= value <= 4:
            return Raw(value, "quarter", "Q", self.toks[first].start, self.toks[k - 1].end, 0.0), k
        if word in nw.HALF_WORDS and value in (1, 2):
            return Raw(value, "half_year", "H", self.toks[first].start, self.toks[k - 1].end, 0.0), k
        return Raw(value, "ordinal", None, self.toks[first].start, self.toks[j - 1].end, 0.0), j

    def is_year(self, i: int, j: int, tok: Tok) -> bool:
        if not re.fullmatch(r"\d{4}", tok.text) or not 1800 <= int(tok.text) <= 2100 or j != i + 1:
            return False
        if self.lang == "en" and 1900 <= int(tok.text) <= 2100:
            return True  # English style writes counts from 1,000 with a comma: "2,000 troops"
        prev, nxt = self.low(i - 1), self.at(j)
        if prev in nw.YEAR_CUES or prev in nw.FISCAL_WORDS or prev == "year" or prev == ",":
            return True
        if nxt is None or nxt.kind != "word" or not nxt.text.islower():
            return True
        return nxt.low in _YEAR_FOLLOW_OK or nxt.low in nw.YEAR_WORDS_RU

    def year(self, year: int, first: int, j: int) -> Raw:
        unit = None
        back = first
        if self.low(back - 1) == "year" and self.low(back - 2) in ("fiscal", "financial"):
            unit, back = "fiscal", back - 2
        elif self.low(back - 1) in ("fiscal",):
            unit, back = "fiscal", back - 1
        end = self.toks[j - 1].end
        return Raw(float(year), "year", unit, self.toks[back].start, end, 0.0, year, year)

    def range_from(self, raw: Raw, j: int, raw_scale: float) -> tuple[Raw, int]:
        sep = self.low(j)
        is_sep = sep in ("-", "–", "—") or (sep in ("to", "and") and self.at(j + 1) is not None)
        before = self.words_before(raw.start)
        if sep == "and" and before[:1] != ["between"]:
            is_sep = False
        if sep == "to" and before[:1] and before[0] in ("from", "от") and before[1:2] != ["range"] \
                and not (before[1:2] and before[1].startswith(("rang", "vary", "varie"))):
            is_sep = False  # "from 10 to 12": two figures, not a range ("range from 10 to 12" is one)
        # After a verb of change, or after "or" restating a change in another unit ("fell 2.5
        # percent or $1.11 to $42.57"), "X to Y" may be the change and the level it reached.
        after_change = sep == "to" and bool(before[:1]) and (before[0] in nw.change_words(self.lang) or before[0] == "or")
        if not is_sep or raw.kind in ("year",):
            return raw, j
        k = j + 1
        hyphened = sep == "-" and self.low(k) == "to" and self.low(k + 1) == "-" and self.attached(j - 1, j) \
            and self.attached(k, k + 1) and self.attached(k + 1, k + 2)
        if hyphened:  # "people 18-to-64"; "a 4-to-3 ratio", falling, is a ratio (below)
            k += 2
        if self.low(k) in _RANGE_APPROX and self.at(k + 1) is not None:
            k += 1  # "about $0.05 to about $0.20": the second end approximated as the first
        currency, _ = self.currency_before(k + (1 if self.low(k) in nw.CURRENCY_SYMBOLS else 0))
        k += 1 if self.low(k) in nw.CURRENCY_SYMBOLS else 0
        core = self.core(k)
        if core is None:
            return raw, j
        value, step, m, _is_word = core
        unscaled = value
        value, step, m = self.scale(m, value, step, currency is not None or raw.kind == "money")
        scale = value / unscaled if unscaled else 1.0
        unit_kind, unit, factor, n = self.unit(m)
        if unit_kind and unit_kind != raw.kind and raw.kind != "count":
            return raw, j
        second_kind = unit_kind or ("money" if currency else "count")
        if currency and raw.kind not in ("money", "count") or (
                sep == "to" and raw.kind != "count" and second_kind != raw.kind):
            return raw, j  # "rose 5% to $7 billion": two figures
        if unit_kind:
            value, step, m = value * factor, step * factor, n
        low_value, low_step = raw.value, raw.step
        if raw_scale == 1.0 and scale != 1.0:  # "$10-12 million": the scale is said once
            low_value, low_step = raw.value * scale, raw.step * scale
        if unit_kind and raw.kind == "count" and factor != 1.0:  # "between 1 and 4 cents"
            low_value, low_step = low_value * factor, low_step * factor
        if low_value == value:
            return raw, j
        if after_change and abs(value) > _CHANGE_RANGE_MAX_RATIO * abs(low_value):
            return raw, j  # "fell $1.17 to $42.51": a change and the level it reached ("up 19 to 20%" is a range)
        if hyphened and value < low_value:
            return raw, j
        low_value, value = min(low_value, value), max(low_value, value)  # "$0.40 to $0.25"
        kind = unit_kind or raw.kind
        unit = unit or raw.unit
        end = self.toks[m - 1].end
        mid = (low_value + value) / 2
        return Raw(mid, kind, unit, raw.start, end, min(low_step, step), low_value, value), m

    def year_span(self, raw: Raw, j: int) -> tuple[Raw, int]:
        """A season or fiscal year across two calendar years, the second written with two
        digits ("1974-75", "the 2003-04 season"): one year, read as its first, not a year
        and a count of 75."""
        nxt = self.at(j + 1)
        if (nxt is not None and nxt.kind == "num" and len(nxt.text) == 2 and self.low(j) in ("-", "–", "—")
                and self.attached(j - 1, j) and self.attached(j, j + 1) and int(nxt.text) == (int(raw.value) + 1) % 100):
            return dataclasses.replace(raw, end=nxt.end), j + 2
        return raw, j

    def words_before(self, start: int, count: int = 2) -> list[str]:
        """The last ``count`` words before ``start``, nearest first, an approximator
        ("about", "approximately") passed over."""
        out: list[str] = []
        if self._ends is None:
            self._ends = [t.end for t in self.toks]
        for k in range(bisect.bisect_right(self._ends, start) - 1, -1, -1):
            tok = self.toks[k]
            if tok.kind == "word":
                if not out and tok.low in _RANGE_APPROX:
                    continue
                out.append(tok.low)
                if len(out) == count:
                    break
            elif tok.kind != "sym":
                break
        return out
