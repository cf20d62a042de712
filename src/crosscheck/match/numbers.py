"""Numbers parsed to values, so that a rewrite's "$.61" is the source's "$0.61".

A figure is compared by what it claims, not by how it is written: "q2" and "second
quarter" are one quarter, "1.5 million" and "1,500,000" one count, "over $1 billion"
allows "$1.04 billion". Dates, years and quarters are kinds of their own, so a date
stamp never pairs with an amount. Direction words ("fell 5%") are left to the verdict.

>>> [(q.kind, q.value, q.unit) for q in quantities("Revenue rose 5% to $1.5bn in Q2 2021.")]
[('percent', 5.0, '%'), ('money', 1500000000.0, 'USD'), ('quarter', 2.0, 'Q'), ('year', 2021.0, None)]
>>> consistent(quantities("$1.04 billion")[0], quantities("over $1 billion")[0])
True
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from crosscheck.match import numwords as nw
from crosscheck.match.numlabels import parse_tokens
from crosscheck.match.numparse import Tok, tokenize


@dataclass(frozen=True)
class NumberSettings:
    """How loosely two written figures may agree and still be the same figure."""

    about_tolerance: float = 0.1
    """Relative width either side of a figure after "about", "around", "roughly"."""

    nearly_tolerance: float = 0.1
    """Relative width below a figure after "nearly", "almost" (and above it after "just over")."""

    rounding_max_relative: float = 0.05
    """Two plain figures agree when one rounds to the other at the precision it shows AND they
    differ by at most this share: "$1.04 billion" ~ "$1 billion", but "$3.40" is not "$3"."""

    rate_rounding_max_relative: float = 0.1
    """The same for rates, which reports round to a whole or a tenth of a percent: "6.6 percent"
    ~ "7%", "0.44 percent" ~ "0.4%", but "1.6%" is not "2%"."""

    about_exact_digits: int = 2
    """Significant digits up to which "about" allows ``about_tolerance`` in full; each digit more
    narrows it tenfold: "about 100" is 90 to 110, "about $5,247" is not $4,794."""

    rate_pair_max_ratio: float = 100.0
    """The same for rates, which are bounded and compared as they stand: "5 percent contained"
    against "95 percent contained" is a changed figure."""

    pair_max_ratio: float = 10.0
    """Two differing figures of one kind are paired as a changed figure only within this ratio;
    further apart they are different details, one on each side."""


DEFAULT_NUMBER_SETTINGS = NumberSettings()


@dataclass(frozen=True)
class Quantity:
    """One figure of a text, with the interval of values its words allow.

    ``value`` has the scale already applied ("1.5 million" -> 1500000.0); ``step`` is the
    precision the figure shows in the same units (1.5 million -> 100000.0); a date's value is
    yyyymmdd with 0 for a part not given.
    """

    value: float
    kind: str
    unit: str | None
    approx: str | None
    low: float
    high: float
    start: int
    end: int
    text: str
    step: float = 1.0
    is_range: bool = False
    """Written as a range ("$0.15 to $0.30", "between 5 and 6"): ``low`` and ``high`` are its ends."""
    measures: str = ""
    """The noun a figure is hyphened to as a modifier ("seat" in "the 659-seat House", "year"
    in "the 30-year bond"): a property of the thing named, never the same figure as a count."""


KINDS = ("count", "money", "percent", "points", "fraction", "year", "decade", "quarter",
         "half_year", "date", "time", "ordinal", "length")
_GROUP = {"count": "amount", "money": "amount", "percent": "rate", "points": "rate",
          "fraction": "rate"}


def _significant_digits(value: float, step: float) -> int:
    """Digits a figure shows, trailing zeros of a whole number not counted: 100 -> 1,
    5,247 -> 4, 1.5 million -> 2, 0.45 -> 2."""
    if value == 0 or step <= 0:
        return 1
    units = round(abs(value) / step)
    while units and units % 10 == 0:
        units //= 10
    return max(1, len(str(units)))


def _interval(value: float, approx_class: str | None, s: NumberSettings, step: float = 1.0) -> tuple[float, float]:
    if approx_class in ("gt", "ge"):
        return value, math.inf
    if approx_class in ("lt", "le"):
        return (0.0 if value >= 0 else -math.inf), value
    if approx_class == "about":
        extra = max(0, _significant_digits(value, step) - s.about_exact_digits)
        d = max(abs(value) * s.about_tolerance / 10.0 ** extra, step / 2)
        return value - d, value + d
    if approx_class == "nearly":
        return value - abs(value) * s.nearly_tolerance, value
    if approx_class == "just_over":
        return value, value + abs(value) * s.nearly_tolerance
    return value, value


def quantities(text: str, lang: str = "en",
               settings: NumberSettings = DEFAULT_NUMBER_SETTINGS) -> tuple[Quantity, ...]:
    """Every figure of ``text``, in reading order.

    >>> [(q.text, q.kind, q.value) for q in quantities("a dozen troops, twenty-five tanks, 3 ships")]
    [('a dozen', 'count', 12.0), ('twenty-five', 'count', 25.0), ('3', 'count', 3.0)]
    >>> [(q.text, q.kind, q.value, q.unit) for q in quantities("рост на 1,5 млрд руб., или 30%", "ru")]
    [('1,5 млрд руб.', 'money', 1500000000.0, 'RUB'), ('30%', 'percent', 30.0, '%')]
    >>> q = quantities("over $1 billion")[0]; (q.approx, q.low, q.high)
    ('over', 1000000000.0, inf)
    """
    return _quantities(text, lang, settings)


@lru_cache(maxsize=20_000)
def _quantities(text: str, lang: str, settings: NumberSettings) -> tuple[Quantity, ...]:
    toks: list[Tok] = tokenize(text, lang)
    out = []
    for raw in parse_tokens(toks, text, lang):
        approx_word, approx_class, start, end = raw.approx, raw.approx_class, raw.start, raw.end
        if approx_class is None and raw.kind not in ("year", "date", "quarter", "half_year",
                                                     "time", "ordinal", "decade"):
            approx_word, approx_class, start, end = _approximator(text, raw.start, raw.end, lang)
        low, high = raw.low, raw.high
        is_range = low != high and raw.approx_class is None
        if low == high:
            low, high = _interval(raw.value, approx_class, settings, raw.step)
        hyphened = _HYPHENED.match(text, end - 1 if text[start:end].endswith("-") else end)
        out.append(Quantity(float(raw.value), raw.kind, raw.unit, approx_word, float(low), float(high),
                            start, end, text[start:end], float(raw.step), is_range,
                            hyphened.group(1).lower() if hyphened and raw.kind == "count" else ""))
    return tuple(out)


# A figure hyphened to the noun it modifies: "659-seat", "30-year", "three-judge".
_HYPHENED = re.compile(r"-([^\W\d_]+)\b")


def _approximator(text: str, start: int, end: int, lang: str):
    before = text[max(0, start - 40):start]
    for pattern, klass, phrase in nw.approximators(lang):
        if klass.startswith("pre_"):
            match = pattern.search(before)
            if match:
                return phrase, klass[4:], start - (len(before) - match.start(1)), end
    after = text[end:end + 30]
    for pattern, klass, phrase in nw.approximators(lang):
        if not klass.startswith("pre_"):
            match = pattern.match(after)
            if match:
                return phrase, klass, start, end + match.end(1)
    return None, None, start, end


def _date_parts(value: float) -> tuple[int, int, int]:
    v = int(value)
    return v // 10000, (v // 100) % 100, v % 100


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two figures speak of the same sort of thing (a money amount and a count may;
    a year and a percentage may not), so a difference between them is a changed figure."""
    if a.kind == b.kind:
        return True
    group_a, group_b = _GROUP.get(a.kind), _GROUP.get(b.kind)
    if group_a is not None and group_a == group_b:
        return True
    return _bare_year_pair(a, b)


def _bare_year_pair(a: Quantity, b: Quantity) -> bool:
    pair = {a.kind, b.kind}
    if pair != {"year", "count"}:
        return False
    count, year = (a, b) if a.kind == "count" else (b, a)
    plain_year = re.fullmatch(r"\d{4}", year.text) is not None  # not "'21", not "FY22"
    # Only a count that could have been read as a year: "3,112 homes" never pairs with "2021".
    year_like = 1900 <= count.value <= 2100
    return count.unit is None and count.approx is None and plain_year and year_like and count.low == count.high


def _rate_value(q: Quantity) -> float:
    return q.value * 100.0 if q.kind == "fraction" else q.value


def consistent(a: Quantity, b: Quantity, settings: NumberSettings = DEFAULT_NUMBER_SETTINGS) -> bool:
    """Whether two figures can be the same figure, within the rounding and the approximation
    their words show.

    >>> c = lambda x, y, lang="en": consistent(quantities(x)[0], quantities(y, lang)[0])
    >>> c("$3", "$3.00"), c("$0.61", "$.61"), c("'21", "2021"), c("q2", "second quarter")
    (True, True, True, True)
    >>> c("12", "a dozen"), c("30%", "30 per cent"), c("1.5 million", "1,500,000"), c("$3", "$3.40")
    (True, True, True, False)
    >>> c("half", "50%"), c("2 percentage points", "2%"), c("FY22", "fiscal 2022")
    (True, False, True)
    """
    if not comparable(a, b):
        return False
    if _bare_year_pair(a, b):
        return a.value == b.value
    if a.kind in ("date",):
        return all(x == y or 0 in (x, y) for x, y in zip(_date_parts(a.value), _date_parts(b.value)))
    if a.kind in ("year", "quarter", "half_year", "time", "ordinal", "decade"):
        return a.value == b.value
    if {a.kind, b.kind} & {"percent", "points", "fraction"}:
        if "points" in (a.kind, b.kind) and a.kind != b.kind:
            return False
        scale_a = _rate_value(a) / a.value if a.value else 1.0
        scale_b = _rate_value(b) / b.value if b.value else 1.0
    else:
        if a.unit and b.unit and a.unit != b.unit:
            return False
        scale_a = scale_b = 1.0
    va, vb = a.value * scale_a, b.value * scale_b
    rates = "percent" in (a.kind, b.kind) or "points" in (a.kind, b.kind) or "fraction" in (a.kind, b.kind)
    if a.is_range and b.is_range:
        # Two ranges are one range when both ends agree: "$0.03 to $3.06" is not "$3.00 to $3.06".
        step = max(a.step * scale_a, b.step * scale_b)
        return (_same_anchor(a.low * scale_a, b.low * scale_b, step, settings, rates)
                and _same_anchor(a.high * scale_a, b.high * scale_b, step, settings, rates))
    if a.is_range or b.is_range:
        # A range and one figure (approximated or not) agree when the figure lies in the range.
        span, one, s_span, s_one = (a, b, scale_a, scale_b) if a.is_range else (b, a, scale_b, scale_a)
        half = max(span.step * s_span, one.step * s_one) / 2
        return span.low * s_span - half <= one.value * s_one <= span.high * s_span + half
    if a.approx and b.approx:
        # Two approximations agree when their anchors do: "more than 150" is not "more than 100".
        # A changed approximator word ("about" -> "over") is the verdict's to name.
        return _same_anchor(va, vb, max(a.step * scale_a, b.step * scale_b), settings, rates)
    if a.approx or b.approx:
        # The plain figure must lie in the interval the approximator allows, bounds strict for
        # "over"/"under": "over $1 billion" allows $1.04 billion, not $1 billion.
        near, plain, s_near, s_plain = (a, b, scale_a, scale_b) if a.approx else (b, a, scale_b, scale_a)
        lo, hi = near.low * s_near, near.high * s_near
        p_lo, p_hi = plain.low * s_plain, plain.high * s_plain
        if _approx_class(near.approx) == "gt":
            return p_hi > lo and p_lo <= hi
        if _approx_class(near.approx) == "lt":
            return p_hi >= lo and p_lo < hi
        return p_hi >= lo and p_lo <= hi
    if va == vb:
        return True
    lo_a, hi_a = a.low * scale_a - a.step * scale_a / 2, a.high * scale_a + a.step * scale_a / 2
    lo_b, hi_b = b.low * scale_b - b.step * scale_b / 2, b.high * scale_b + b.step * scale_b / 2
    if not (max(lo_a, lo_b) < min(hi_a, hi_b)):
        return False
    if a.low == a.high and b.low == b.high:
        return _same_anchor(va, vb, max(a.step * scale_a, b.step * scale_b), settings, rates)
    return True


def _same_anchor(va: float, vb: float, step: float, settings: NumberSettings, rates: bool = False) -> bool:
    """Equal within the coarser precision shown and within ``rounding_max_relative``
    (``rate_rounding_max_relative`` for rates)."""
    if va == vb:
        return True
    cap = settings.rate_rounding_max_relative if rates else settings.rounding_max_relative
    return abs(va - vb) < step / 2 and abs(va - vb) <= cap * max(abs(va), abs(vb))


@lru_cache(maxsize=None)
def _approx_classes() -> dict[str, str]:
    return {phrase: klass.replace("pre_", "") for lang in ("en", "ru")
            for _p, klass, phrase in nw.approximators(lang)}


def _approx_class(word: str | None) -> str | None:
    if word is None:
        return None
    return _approx_classes().get(word.lower(), "ge" if word.lower() in ("hundreds", "thousands",
                                                                        "dozens", "millions") else None)


def _distance(a: Quantity, b: Quantity) -> float:
    va, vb = abs(_rate_value(a)), abs(_rate_value(b))
    if va == vb:
        return 0.0
    if min(va, vb) == 0:
        return math.inf
    return abs(math.log(va / vb))


def unmatched(a_side: tuple[Quantity, ...] | list[Quantity], b_side: tuple[Quantity, ...] | list[Quantity],
              settings: NumberSettings = DEFAULT_NUMBER_SETTINGS):
    """Pair the figures of two passages: (changed pairs, only in a, only in b).

    Consistent figures pair first and drop out; the rest pair as *changed* only when they are
    comparable and within ``pair_max_ratio`` of each other, nearest first. A figure left over
    is a detail one side carries, not a changed number.

    >>> a = quantities("Revenue was $5 billion and 300 stores opened in 2021.")
    >>> b = quantities("Revenue of $5.1 billion; 320 stores; ARPU was $11.15.")
    >>> changed, only_a, only_b = unmatched(a, b)
    >>> [(x.text, y.text) for x, y in changed], [q.text for q in only_a], [q.text for q in only_b]
    ([('300', '320')], ['2021'], ['$11.15'])
    """
    a_list, b_list = list(a_side), list(b_side)
    candidates = []
    for i, qa in enumerate(a_list):
        for j, qb in enumerate(b_list):
            if consistent(qa, qb, settings):
                candidates.append((0, _distance(qa, qb), i, j))
            elif comparable(qa, qb) and qa.measures == qb.measures:
                dist = _distance(qa, qb)
                same_unit = qa.unit == qb.unit or None in (qa.unit, qb.unit)
                rate = _GROUP.get(qa.kind) == "rate" and _GROUP.get(qb.kind) == "rate"
                limit = settings.rate_pair_max_ratio if rate else settings.pair_max_ratio
                if qa.kind == "date":
                    dist = 0.0 if qa.value == qb.value else 1.0  # dates pair by kind; the verdict asks they stand in one place
                if dist <= math.log(limit) and same_unit:
                    candidates.append((1, dist, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    changed = []
    for tier, _dist, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        if tier == 1:
            changed.append((a_list[i], b_list[j]))
    changed.sort(key=lambda p: (p[0].start, p[1].start))
    only_a = tuple(q for i, q in enumerate(a_list) if i not in used_a)
    only_b = tuple(q for j, q in enumerate(b_list) if j not in used_b)
    return tuple(changed), only_a, only_b


__all__ = ["Quantity", "NumberSettings", "quantities", "consistent", "comparable", "unmatched",
           "KINDS"]

