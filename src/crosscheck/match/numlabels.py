"""Figures that start with a word or symbol (dates, quarter and fiscal labels, ordinal words,
fractions) and the left-to-right pass that finds every figure of a token list.

Split from ``numparse`` so that each file reads as one part of the grammar.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crosscheck.match import numwords as nw
from crosscheck.match.numparse import _ORD_SUFFIX, _PLURAL_BIG, Raw, Tok, _Parser


def _two_digit_year(text: str) -> int:
    n = int(text)
    return 2000 + n if n < 50 else 1900 + n


class _Special(_Parser):
    """Figures that start with a word or symbol: dates, quarter and fiscal labels, ordinals."""

    def date_from_month(self, i: int) -> tuple[Raw, int] | None:
        tok = self.toks[i]
        month = nw.month_of(tok.text, self.lang)
        lower_ok = self.lang == "ru" or tok.low != "may" and self.at(i + 1) is not None \
            and self.at(i + 1).kind == "num"  # lower-cased wires: "september 30, 2021"
        if month is None or (not tok.text[0].isupper() and not lower_ok):
            return None
        j, day, year = i + 1, 0, 0
        if self.low(j) == "." and self.attached(i, j) and len(tok.text) <= 4:
            j += 1  # the dot of an abbreviated month: "Dec. 8"
        nxt = self.at(j)
        if nxt is not None and nxt.kind == "num" and re.fullmatch(r"\d{1,2}", nxt.text) \
                and 1 <= int(nxt.text) <= 31:
            day, j = int(nxt.text), j + 1
            if self.low(j) in _ORD_SUFFIX and self.attached(j - 1, j):
                j += 1
        k = j + 1 if self.low(j) == "," and day else j
        cand = self.at(k)
        if cand is not None and cand.kind == "num" and re.fullmatch(r"\d{4}", cand.text):
            year, j = int(cand.text), k + 1
        if not day and not year:
            return None
        if tok.low == "may" and not day and not tok.text[0].isupper():
            return None
        return self.date(year, month, day, self.toks[i].start, j), self.skip_year_word(j)

    def date_from_day(self, i: int) -> tuple[Raw, int] | None:
        tok = self.toks[i]
        if not re.fullmatch(r"\d{1,2}", tok.text) or not 1 <= int(tok.text) <= 31:
            return None
        j = i + 1
        if self.low(j) in _ORD_SUFFIX and self.attached(i, j):
            j += 1
        if self.low(j) == "of":
            j += 1
        month_tok = self.at(j)
        if month_tok is None or month_tok.kind != "word":
            return None
        month = nw.month_of(month_tok.text, self.lang)
        if month is None or (self.lang != "ru" and not month_tok.text[0].isupper()):
            return None
        j, year = j + 1, 0
        if self.low(j) == ",":
            j += 1
        cand = self.at(j)
        if cand is not None and cand.kind == "num" and re.fullmatch(r"\d{4}", cand.text):
            year, j = int(cand.text), j + 1
        elif self.low(j - 1) == ",":
            j -= 1
        return self.date(year, month, int(tok.text), tok.start, j), self.skip_year_word(j)

    def skip_year_word(self, j: int) -> int:
        if self.low(j) in nw.YEAR_WORDS_RU and self.lang == "ru":
            return j + (2 if self.low(j) == "г" and self.low(j + 1) == "." else 1)
        return j

    def date(self, year: int, month: int, day: int, start: int, j: int) -> Raw:
        value = float(year * 10000 + month * 100 + day)
        return Raw(value, "date", None, start, self.toks[j - 1].end, 0.0, value, value)

    def meridiem(self, j: int) -> tuple[bool, int] | None:
        """(after noon, the index past it) for "a.m.", "p.m.", "am", "pm" at ``j``."""
        w = self.low(j)
        if w in ("am", "pm"):
            return w == "pm", j + 1
        if w in ("a", "p") and self.low(j + 1) == "." and self.low(j + 2) == "m":
            return w == "p", j + 3 + (self.low(j + 3) == ".")
        return None

    def clock(self, hour: int, minute: int, i: int, j: int) -> tuple[Raw, int]:
        """A time of day from token ``i``, read on a 24-hour clock when "a.m." or "p.m."
        follows it at ``j`` ("3 p.m." is 15:00, so "3 p.m." and "3 a.m." differ)."""
        half = self.meridiem(j)
        if half is not None and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half[0] else 0)
            j = half[1]
        return Raw(hour + minute / 60, "time", None, self.toks[i].start, self.toks[j - 1].end, 0.0), j

    def labelled(self, i: int) -> tuple[Raw, int] | None:
        """"Q2", "2Q", "H1", "1H", "FY22", "'21", "II квартал"."""
        tok, nxt = self.toks[i], self.at(i + 1)
        glued = nxt is not None and self.attached(i, i + 1)
        if tok.kind == "word" and glued and nxt.kind == "num" and re.fullmatch(r"\d{1,4}", nxt.text):
            n = int(nxt.text)
            if tok.low == "q" and 1 <= n <= 4:
                return Raw(n, "quarter", "Q", tok.start, nxt.end, 0.0), i + 2
            if tok.low == "h" and n in (1, 2):
                return Raw(n, "half_year", "H", tok.start, nxt.end, 0.0), i + 2
            if tok.low == "fy" and len(nxt.text) in (2, 4):
                year = _two_digit_year(nxt.text) if len(nxt.text) == 2 else n
                return Raw(year, "year", "fiscal", tok.start, nxt.end, 0.0, year, year), i + 2
        if tok.low == "fy" and nxt is not None and nxt.kind == "num" and len(nxt.text) == 4:
            year = int(nxt.text)
            return Raw(year, "year", "fiscal", tok.start, nxt.end, 0.0, year, year), i + 2
        if tok.kind == "num" and glued and nxt.kind == "word" and re.fullmatch(r"\d", tok.text):
            n = int(tok.text)
            if nxt.low == "q" and 1 <= n <= 4:
                return Raw(n, "quarter", "Q", tok.start, nxt.end, 0.0), i + 2
            if nxt.low == "h" and n in (1, 2):
                return Raw(n, "half_year", "H", tok.start, nxt.end, 0.0), i + 2
        if tok.low in ("'", "’", "‘") and glued and nxt.kind == "num" and len(nxt.text) == 2 \
                and not (self.at(i - 1) and self.at(i - 1).kind == "word" and self.attached(i - 1, i)):
            year = _two_digit_year(nxt.text)
            return Raw(year, "year", None, tok.start, nxt.end, 0.0, year, year), i + 2
        if tok.kind == "num" and len(tok.text) == 2 and self.at(i - 1) is not None \
                and self.attached(i - 1, i) and self.low(i - 1) in ("q", "h"):
            year = _two_digit_year(tok.text)  # the "21" of "2Q21"
            return Raw(year, "year", None, tok.start, tok.end, 0.0, year, year), i + 1
        if tok.kind == "num" and len(tok.text) == 4 and glued and nxt.low == "s":
            return Raw(int(tok.text), "decade", None, tok.start, nxt.end, 0.0), i + 2
        if tok.low in nw.ROMAN and tok.text.isupper() and self.low(i + 1) in nw.QUARTER_WORDS:
            return Raw(nw.ROMAN[tok.low], "quarter", "Q", tok.start, self.toks[i + 1].end, 0.0), i + 2
        return None

    def word_led(self, i: int) -> tuple[Raw, int] | None:
        """Ordinal words and fractions: "second quarter", "a third of", "half", "two-thirds"."""
        tok, w = self.toks[i], self.words
        prev = self.low(i - 1)
        if tok.low in w.fractions and (tok.low not in w.ordinals or prev in ("a", "one", "одна")):
            # "the quarter of $1.1 billion" is a period; "a quarter of" is a fraction.
            if tok.low in nw.QUARTER_WORDS and (self.low(i + 1) != "of" or prev not in ("a", "one")):
                return None
            start = self.toks[i - 1].start if prev in ("a", "one") else tok.start
            value = w.fractions[tok.low]
            if self.low(i + 1) in ("a", "an") and self.low(i + 2) in w.scales:
                value = value * w.scales[self.low(i + 2)]
                return Raw(value, "count", None, start, self.toks[i + 2].end, value, value, value), i + 3
            return Raw(value, "fraction", None, start, tok.end, 0.01, value, value), i + 1
        if tok.low in w.ordinals:
            return self.after_ordinal(w.ordinals[tok.low], i, i + 1)
        return None

    def fraction_after(self, raw: Raw, j: int) -> tuple[Raw, int] | None:
        """"two-thirds", "three quarters": a counted fraction."""
        k = j + 1 if self.low(j) == "-" else j
        word = self.low(k)
        hyphen = self.low(k - 1) == "-" and self.attached(k - 1, k)
        counted = hyphen or self.low(k + 1) == "of"  # "the past three quarters" are periods
        if raw.kind == "count" and word in self.words.fraction_plurals and raw.value < 10 and counted:
            value = raw.value * self.words.fraction_plurals[word]
            return Raw(value, "fraction", None, raw.start, self.toks[k].end, 0.01, value, value), k + 1
        return None


@lru_cache(maxsize=4)
def _triggers(lang: str) -> frozenset[str]:
    """Every word that can open a figure in ``lang``."""
    w = nw.number_words(lang)
    tables = (w.units, w.tens, w.hundreds, w.scales, w.ordinals, w.fractions, w.dozens,
              _PLURAL_BIG, nw.MONTHS_EN, nw.ROMAN)
    return frozenset().union(*tables) | {"a", "an", "one", "один", "одна", "q", "h", "fy"}


def parse_tokens(toks: list[Tok], text: str, lang: str) -> list[Raw]:
    """All figures of a token list, left to right, none overlapping."""
    p = _Special(toks, text, lang)
    triggers = _triggers(lang)
    out: list[Raw] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        found = None
        if tok.kind == "word" and tok.low not in triggers and (
                lang != "ru" or nw.month_of(tok.low, lang) is None) or (
                tok.kind == "sym" and tok.low not in ("'", "’", "‘", ".")):
            i += 1  # most words start no figure: skip them before trying every rule
            continue
        if tok.kind == "iso":
            y, m, d = (int(x) for x in tok.text.split("-"))
            found = p.date(y, m, d, tok.start, i + 1), i + 1
        elif tok.kind == "dots":
            d, m, y = (int(x) for x in tok.text.split("."))
            found = (p.date(y, m, d, tok.start, i + 1), i + 1) if 1 <= m <= 12 else None
        elif tok.kind == "slashes":  # month/day/year, as US and earnings texts write it
            m, d, y = (int(x) for x in tok.text.split("/"))
            y = _two_digit_year(str(y)) if y < 100 else y
            found = (p.date(y, m, d, tok.start, i + 1), i + 1) if 1 <= m <= 12 and d <= 31 else None
        elif tok.kind == "time":
            h, mi = (int(x) for x in tok.text.split(":"))
            if h <= 24 and mi < 60:
                found = p.clock(h, mi, i, i + 1)
        if found is None and tok.kind == "num" and re.fullmatch(r"\d{1,2}", tok.text) and 1 <= int(tok.text) <= 12 \
                and p.meridiem(i + 1) is not None:
            found = p.clock(int(tok.text), 0, i, i + 1)  # "11 a.m.", "5pm"
        if found is None and tok.kind in ("word", "sym", "num"):
            found = p.labelled(i)
        if found is None and tok.kind == "word":
            found = p.date_from_month(i) or p.word_led(i)
        if found is None and tok.kind == "num":
            found = p.date_from_day(i)
        if found is None and (tok.kind in ("num", "word") or tok.low == "."):
            found = p.figure(i)
            if found is not None:
                found = p.fraction_after(*found) or found
        if found is None:
            i += 1
            continue
        raw, nxt = found
        if out and raw.start < out[-1].end:
            raw = None
        if raw is not None:
            out.append(raw)
        i = max(nxt, i + 1)
    return out
