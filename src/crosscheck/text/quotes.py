"""Find quoted passages and the speaker the article gives them.

A fact-checker's first question about a quote is "who is supposed to have said
this?", so each quotation comes with the speaker the text names: after it ("...,"
Lukashenko added), before it (Putin spoke about ...: "..."), or by reference
("According to him", "the Belarusian president", "Tajik leader"), resolved to the
surname of the person the article introduced.

Names in quote marks ("the agency “BelTA”") are titles, not quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crosscheck.model import Quote, Sentence, Span

_OPENERS = {"\u201c": "\u201d\u201c", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", '"': '"',
            "\u2018": "\u2019", "\u201d": "\u201d"}
_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"

_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){0,2}"
_VERBS = (
    "said|says|say|added|adds|noted|notes|stressed|stresses|explained|explains|stated|states|"
    "spoke|speaks|told|tells|assured|assures|urged|urges|accused|accuses|considers|considered|"
    "described|describes|detailed|details|warned|warns|claimed|claims|insisted|insists|"
    "emphasized|emphasised|emphasizes|emphasises|pointed|points|recalled|declared|announced|"
    "argued|argues|believes|believed|thinks|thought|continued|concluded|remarked|commented|"
    "underlined|underscored|reiterated|asserted|expressed|wrote|writes|asked|replied|answered|"
    "promised|confirmed|admitted|suggested|proposed|mentioned|observed|acknowledged|hopes|hoped|"
    "took|called|calls|vowed|announced"
)
_ADVERBS = r"(?:(?:also|further|again|then|later|has|have|had|once again|earlier|repeatedly|then)[ \t]+)*"
_ROLES = (
    r"[Pp]resident|[Ll]eader|[Hh]ead of [Ss]tate|[Pp]rime [Mm]inister|[Pp]remier|[Cc]hancellor|"
    r"[Ss]ecretary [Gg]eneral|[Ff]oreign [Mm]inister|[Mm]inister|[Ss]pokes(?:man|woman|person)"
)
_TITLES = r"(?:President|Prime Minister|Premier|Chancellor|Secretary General|Foreign Minister|Minister|Leader)"

# Every way the text can point at a person, in the order tried at one position.
_MENTION = re.compile(
    rf"\b(?=[A-Za-z])(?:(?P<statement>[Aa]ccording to (?:a |the )?statement (?:from|by|of) (?:the )?(?P<org>[A-Z]\w+))"
    rf"|(?P<titled>(?:(?P<tdem>[A-Z][a-z]+)[ \t]+)?{_TITLES}(?:[ \t]+of[ \t]+(?P<tcountry>[A-Z]\w+))?[ \t]+(?P<tname>{_NAME}))"
    rf"|(?P<descr>\b(?:[Tt]he[ \t]+)?(?:(?P<dem>[A-Z][a-z]+)[ \t]+)?(?:{_ROLES})\b(?:[ \t]+of[ \t]+(?P<country>[A-Z]\w+))?)"
    rf"|(?P<pron>\b(?:[Hh]e|[Ss]he|[Hh]im)\b)"
    rf"|(?P<named>\b(?P<name>{_NAME})(?:,[^,\u201c\u201d\"\n]{{1,60}},)?[ \t]+{_ADVERBS}(?:{_VERBS})\b))"
)
# Attribution right after a closing mark: ', Lukashenko added' / ' said Putin'.
_AFTER = re.compile(
    rf"^[ \t,]*(?:(?:{_VERBS})[ \t]+(?P<who1>{_NAME}|he|she|(?:the[ \t]+)?(?:[A-Z][a-z]+[ \t]+)?(?:{_ROLES}))"
    rf"|(?P<who2>{_NAME}|[Hh]e|[Ss]he|(?:[Tt]he[ \t]+)?(?:[A-Z][a-z]+[ \t]+)?(?:{_ROLES}))[ \t]+{_ADVERBS}(?:{_VERBS}))\b"
)
_NAMING_NOUNS = re.compile(
    r"\b(?:agency|newspaper|daily|weekly|magazine|journal|channel|broadcaster|station|radio|outlet|"
    r"website|portal|publication|party|movement|operation|company|firm|brand|group|project|programme|"
    r"program|festival|ship|called|named|dubbed|titled|entitled|nicknamed)\W{0,3}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    person: str | None


def _surname(name: str) -> str:
    """The last word of a name, possessive dropped: how the gold and reports name people."""
    last = name.split()[-1]
    return re.sub(r"['\u2019]s?$", "", last)


def _shares_stem(a: str, b: str) -> bool:
    """Whether a demonym and a country name share a stem (Tajik/Tajikistan, Russian/Russia)."""
    a, b = a.lower(), b.lower()
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 4 or a == b


def _quote_spans(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """Quoted spans (marks included) within each paragraph; an unclosed quote ends with it."""
    spans: list[tuple[int, int]] = []
    paragraphs: dict[int, list[Sentence]] = {}
    for s in sentences:
        paragraphs.setdefault(s.paragraph, []).append(s)
    for para in paragraphs.values():
        # Walk the paragraph sentence by sentence so removed text between them is skipped.
        opened: tuple[int, str] | None = None
        for s in para:
            for k in range(s.span.start, s.span.end):
                c = text[k]
                if c not in _MARKS:
                    continue
                prev = text[k - 1] if k > 0 else " "
                nxt = text[k + 1] if k + 1 < len(text) else " "
                if opened is None:
                    if c in _OPENERS and not (prev.isalnum() and nxt.isalnum()) and not nxt.isspace():
                        if c == "\u2018" and prev.isalnum():
                            continue
                        opened = (k, c)
                    continue
                start, opener = opened
                closes = c in _OPENERS[opener]
                if c == "\u2019" and nxt.isalpha():
                    closes = False  # an apostrophe: the West’s
                if closes and (not nxt.isalnum() or prev in ".,!?"):
                    spans.append((start, k + 1))
                    opened = None
        if opened is not None:
            spans.append((opened[0], para[-1].span.end))
    return spans


def _is_name_in_quotes(text: str, start: int, end: int) -> bool:
    """“BelTA” after "the agency": a short capitalized title in marks, not a quotation."""
    inner = text[start + 1:end - 1].strip()
    words = inner.split()
    if not 1 <= len(words) <= 3 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    if inner[-1] in ".,!?;:":
        return False
    return bool(_NAMING_NOUNS.search(text[max(0, start - 40):start]))


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with quotation interiors blanked, so words inside a quote name no speaker."""
    out: list[str] = []
    done = 0
    for a, b in sorted(spans):
        a = max(a, done)
        if a >= b:
            continue
        out.append(text[done:a])
        out.append(re.sub(r"[^\n]", " ", text[a:b]))
        done = b
    out.append(text[done:])
    return "".join(out)


def _mentions(masked: str) -> list[_Mention]:
    """People the text points at, in order, each resolved to a surname when it can be."""
    matches = list(_MENTION.finditer(masked))
    countries: list[tuple[str, str]] = []
    for m in matches:
        if m.group("titled"):
            key = m.group("tcountry") or m.group("tdem")
            if key:
                countries.append((key, _surname(m.group("tname"))))
    for m in re.finditer(rf"(?P<name>{_NAME}),[ \t]+(?:the[ \t]+)?(?:{_ROLES})[ \t]+of[ \t]+(?P<c>[A-Z]\w+)", masked):
        countries.append((m.group("c"), _surname(m.group("name"))))

    def by_country(key: str | None) -> str | None:
        if not key:
            return None
        for country, person in countries:
            if _shares_stem(key, country):
                return person
        return None

    found: list[_Mention] = []
    last: str | None = None
    for m in matches:
        person: str | None
        if m.group("statement"):
            org = m.group("org")
            if org.endswith("the") and len(org) > 5:  # "the Kremlinthe meeting": a lost space
                org = org[:-3]
            person = f"{org} statement"
            found.append(_Mention(m.start(), m.end(), person))
            continue
        if m.group("titled"):
            person = _surname(m.group("tname"))
        elif m.group("named"):
            person = _surname(m.group("name"))
            if person in _TIME_NAMES:  # "on Monday said": a time, not a speaker
                continue
        elif m.group("descr"):
            person = by_country(m.group("country") or m.group("dem")) or last
        else:
            person = last
        if person:
            last = person
        found.append(_Mention(m.start(), m.end(), person))
    return found


def find_quotes(text: str, sentences: Sequence[Sentence]) -> tuple[Quote, ...]:
    """Every quotation in the sentences of ``text``, with the speaker the text names.

    >>> from crosscheck.text.segment import segment
    >>> text = ('Lukashenko spoke first.\\n'
    ...         '"Without a united front, the West will build up pressure," Lukashenko added.\\n'
    ...         'He described them as \u201cinfernal sanctions\u201d, said the agency \u201cBelTA\u201d.')
    >>> [(q.text, q.speaker) for q in find_quotes(text, segment(text))]
    [('Without a united front, the West will build up pressure,', 'Lukashenko'), ('infernal sanctions', 'Lukashenko')]
    """
    spans = [s for s in _quote_spans(text, sentences) if not _is_name_in_quotes(text, *s)]
    if not spans:
        return ()
    masked = _mask(text, [(a + 1, b - 1) for a, b in spans])
    mentions = _mentions(masked)
    by_start = sorted(sentences, key=lambda s: s.span.start)
    speakers: list[str | None] = []
    headline: list[bool] = []
    earlier: list[tuple[str | None, str | None]] = []  # last person before, in the paragraph / anywhere
    for a, b in spans:
        inside = [s for s in by_start if s.span.overlap(Span(a, b)) > 0]
        first = inside[0] if inside else None
        line_end = text.find("\n", b)
        tail = masked[b:line_end if line_end >= 0 else len(text)]
        speaker: str | None = None
        before = [m for m in mentions if m.end <= a]
        after = _AFTER.match(tail)
        if after:
            named = [m for m in mentions if b <= m.start < b + after.end() and m.person]
            who = after.group("who1") or after.group("who2")
            if named:
                speaker = named[0].person
            elif who.lower() not in ("he", "she") and who[0].isupper():
                speaker = _surname(who)
        if speaker is None and first is not None:
            in_sentence = [m for m in before if m.start >= first.span.start and m.person]
            if in_sentence:
                speaker = in_sentence[-1].person
        if speaker is None and first is not None and first.speaker:
            speaker = _surname(first.speaker)
        line = text[:line_end] if line_end >= 0 else text
        paragraph_start = text.rfind("\n", 0, a) + 1
        people = [m for m in before if m.person]
        earlier.append((
            next((m.person for m in reversed(people) if m.start >= paragraph_start), None),
            people[-1].person if people else None,
        ))
        headline.append(line.rstrip().rstrip(_MARKS).rstrip()[-1:] not in (".", "!", "?", "\u2026"))
        speakers.append(speaker)
    # A quote nobody is named for: a heading announces what follows; other text
    # continues whoever the text last introduced as speaking.
    resolved: list[str | None] = list(speakers)
    for i, speaker in enumerate(speakers):
        if speaker is not None:
            continue
        in_paragraph, anywhere = earlier[i]
        if headline[i]:
            resolved[i] = next((s for s in speakers[i + 1:] if s), None)
        resolved[i] = (
            resolved[i]
            or in_paragraph
            or anywhere
            or next((s for s in reversed(resolved[:i]) if s), None)
        )
    quotes: list[Quote] = []
    for (a, b), speaker in zip(spans, resolved):
        indices = tuple(s.index for s in sentences if s.span.overlap(Span(a, b)) > 0)
        inner_end = b - 1 if text[b - 1] in _MARKS else b
        quotes.append(Quote(Span(a, b), text[a + 1:inner_end], speaker, indices))
    return tuple(quotes)


# After a mention: the reporting verb that makes it the subject of reported speech.
_SUBJECT_OF = re.compile(
    rf"(?:,[^,\u201c\u201d\"\n]{{1,60}},)?(?:[ \t]+(?:on|last|this|late|early|in|at)[ \t]+[A-Za-z]+)?[ \t]+{_ADVERBS}(?:{_VERBS})\b"
)
# "according to Lukashenko", "said Peskov": a name no mention rule caught.
_NAMED_AFTER = re.compile(rf"(?:\b[Aa]ccording to|\b(?:{_VERBS}))[ \t]+(?P<name>{_NAME})")
# Capitalised words that name a time, not a person ("Monday said" is not a speaker).
_TIME_NAMES = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Today Yesterday Earlier Later".split()
)
# Before a mention: "said Putin", "according to the Kremlin leader", "told by".
_OBJECT_OF = re.compile(rf"(?:\b(?:{_VERBS})|\b[Aa]ccording to|\b[Bb]y)[ \t]+(?:the[ \t]+)?$")


def reported_speakers(text: str, sentences: Sequence[Sentence]) -> tuple[str | None, ...]:
    """Who each sentence reports as speaking, from reported speech: "Putin said (that)
    ...", "..., the Kremlin leader told reporters", "according to Peskov", "he added"
    after a named speaker; None where the sentence reports nobody.

    >>> from crosscheck.text.segment import segment
    >>> text = ('Putin said Russia had no issue with Finland. The Kremlin leader told the summit '
    ...         'that NATO was a tool. Lukashenko spoke next. He added that sanctions hurt. The talks ended.')
    >>> reported_speakers(text, segment(text))
    ('Putin', 'Putin', 'Lukashenko', 'Lukashenko', None)
    """
    masked = _mask(text, _quote_spans(text, sentences))
    mentions = _mentions(masked)
    out: list[str | None] = []
    for s in sentences:
        speaker = None
        for m in mentions:
            if not (s.span.start <= m.start < s.span.end) or not m.person or m.person in _TIME_NAMES:
                continue
            head = masked[m.start:m.end]
            if re.search(rf"\b(?:{_VERBS})\b", head) or _SUBJECT_OF.match(masked, m.end) or _OBJECT_OF.search(masked, s.span.start, m.start):
                speaker = m.person
                break
        if speaker is None:
            named = _NAMED_AFTER.search(masked, s.span.start, s.span.end)
            if named and named.group("name").split()[0] not in _TIME_NAMES:
                speaker = _surname(named.group("name"))
        out.append(speaker)
    return tuple(out)
