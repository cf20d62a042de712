"""WordNet synonyms and antonyms, read in place from the WordNet 3.0 database files.

"grew" against "shrank" or "peaceful" against "violent" is a reversal an editor must see,
and "big" against "large" is no change at all; WordNet (Princeton, a permissive licence:
"permission to use, copy, modify and distribute ... for any purpose") records both. The
files come from Debian's ``wordnet-base`` (``apt-get install wordnet-base``, installed under
/usr/share/wordnet). They are read in place by the small reader below: NLTK 3.10's reader
refuses a corpus folder outside its own data path (a PermissionError) and takes seconds to
import. Without the data every query answers False and ``why_missing()`` says how
to install it.

>>> if available():
...     print(antonymous("grew", "shrank", "v"), antonymous("peaceful", "violent", "a"),
...           synonymous("big", "large", "a"), synonymous("grew", "shrank"))
... else:
...     print(True, True, True, False)
True True True False
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}


@dataclass(frozen=True)
class WordNetSettings:
    """Where the WordNet database is looked for, and how many senses of a word count."""

    roots: tuple[str, ...] = ("/usr/share/wordnet", "/usr/local/share/wordnet",
                              "/opt/homebrew/share/wordnet")
    """Folders tried in order for the WordNet 3.0 files (index.verb, data.verb, verb.exc, ...)."""

    max_senses: int = 0
    """Only the first this many senses of a word (WordNet orders them by corpus frequency)
    count for synonymy and antonymy; 0 counts all."""

    word_match_senses: int = 3
    """Verb antonyms are also matched by word (not only by exact sense) among this many of
    each verb's commonest senses: enough for "confirm"/"deny", few enough for "went"/"visited"."""

    verb_hypernym_hops: int = 2
    """How many steps up the verb hierarchy an antonym is looked for ("shrink" is a way to
    "decrease", the antonym of "increase"); roots of the hierarchy are never used."""

    auxiliaries: tuple[str, ...] = ("be", "have", "do")
    """Auxiliary and copular verbs, which carry no polarity of their own: never antonyms."""

    similar_to_synonyms: bool = True
    """An adjective and its similar-to neighbour ("peaceful" ~ "nonviolent") are synonyms."""

    kind_senses: int = 1
    """How many of a noun's commonest senses :func:`is_a` reads: the first only, so that a
    word is a kind of thing by what it mostly means, not by a rare sense ("Hunter" is a
    person by its first sense; the names module asks only about capitalised words that
    carry no name label, so "George Hunter" stays a name)."""


DEFAULT_WORDNET_SETTINGS = WordNetSettings()

# WordNet's detachment rules (the morphy(7WN) manual page): suffix -> ending, per part of speech.
_DETACH = {
    "n": (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y"), ("s", "")),
    "v": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
          ("s", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}


@dataclass(frozen=True)
class Synset:
    offset: int
    pos: str
    words: tuple[str, ...]
    pointers: tuple[tuple[str, int, str, int, int], ...]  # symbol, offset, pos, source, target


class _SortedIndex:
    """One index file searched in place: its lines are sorted by lemma in byte order, so a
    lemma is found by bisection instead of parsing 150,000 lines on first use (seconds, in
    every worker process)."""

    def __init__(self, data: bytes):
        self._data = data
        start = 0
        while data.startswith(b" ", start):  # the licence header
            start = data.index(b"\n", start) + 1
        self._start = start

    def _find(self, word: str) -> tuple[int, ...] | None:
        data, key = self._data, word.encode("utf-8")
        lo, hi = self._start, len(data)
        while lo < hi:
            mid = (lo + hi) // 2
            s = data.rfind(b"\n", lo, mid)
            s = lo if s < 0 else s + 1
            e = data.find(b"\n", s)
            e = len(data) if e < 0 else e
            line_key = data[s : data.find(b" ", s, e)]
            if line_key == key:
                parts = data[s:e].decode("utf-8").split()
                n_sense, n_ptr = int(parts[2]), int(parts[3])
                return tuple(int(x) for x in parts[6 + n_ptr : 6 + n_ptr + n_sense])
            if line_key < key:
                lo = e + 1
            else:
                hi = s
        return None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __getitem__(self, word: str) -> tuple[int, ...]:
        found = self._find(word)
        if found is None:
            raise KeyError(word)
        return found


class _Database:
    """One WordNet folder: indexes and exception lists loaded per part of speech on first use."""

    def __init__(self, root: Path):
        self.root = root
        self._index: dict[str, _SortedIndex] = {}
        self._exc: dict[str, dict[str, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    def index(self, pos: str) -> _SortedIndex:
        with self._lock:
            if pos not in self._index:
                self._index[pos] = _SortedIndex((self.root / f"index.{POS_FILES[pos]}").read_bytes())
            return self._index[pos]

    def exceptions(self, pos: str) -> dict[str, tuple[str, ...]]:
        with self._lock:
            if pos not in self._exc:
                table: dict[str, tuple[str, ...]] = {}
                path = self.root / f"{POS_FILES[pos]}.exc"
                if path.is_file():
                    for line in path.read_text("utf-8").splitlines():
                        parts = line.split()
                        if len(parts) >= 2:
                            table[parts[0]] = tuple(parts[1:])
                self._exc[pos] = table
            return self._exc[pos]

    def synset(self, pos: str, offset: int) -> Synset:
        with open(self.root / f"data.{POS_FILES[pos]}", "rb") as handle:
            handle.seek(offset)
            parts = handle.readline().decode("utf-8").split(" | ")[0].split()
        n_words = int(parts[3], 16)
        words = tuple(parts[4 + 2 * k].lower().split("(")[0] for k in range(n_words))
        at = 4 + 2 * n_words
        n_ptr = int(parts[at])
        pointers = []
        for k in range(n_ptr):
            sym, off, ppos, st = parts[at + 1 + 4 * k: at + 5 + 4 * k]
            pointers.append((sym, int(off), "a" if ppos == "s" else ppos, int(st[:2], 16),
                             int(st[2:], 16)))
        return Synset(offset, pos, words, tuple(pointers))


_LOCK = threading.Lock()
_DATABASES: dict[tuple[str, ...], _Database | None] = {}


def _database(settings: WordNetSettings) -> _Database | None:
    with _LOCK:
        if settings.roots not in _DATABASES:
            found = next((Path(r) for r in settings.roots
                          if (Path(r) / "index.verb").is_file() and (Path(r) / "data.verb").is_file()),
                         None)
            _DATABASES[settings.roots] = _Database(found) if found else None
        return _DATABASES[settings.roots]


def available(settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether the WordNet files were found."""
    return _database(settings) is not None


def why_missing(settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> str:
    """Empty when WordNet is available; otherwise one line saying where it was looked for and
    how to install it."""
    if available(settings):
        return ""
    return ("WordNet 3.0 data not found in " + ", ".join(settings.roots) + "; synonyms and "
            "antonyms are not used. Install it with `apt-get install wordnet-base` (Debian/Ubuntu).")


def _norm(word: str) -> str:
    return word.strip().lower().replace(" ", "_").replace("’", "'")


def base_forms(word: str, pos: str, settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS
               ) -> tuple[str, ...]:
    """WordNet's lemmas of an inflected form ("rose" -> rise, "shrank" -> shrink)."""
    return _base_forms(_norm(word), pos, settings)


@lru_cache(maxsize=100_000)
def _base_forms(word: str, pos: str, settings: WordNetSettings) -> tuple[str, ...]:
    db = _database(settings)
    if db is None:
        return ()
    index = db.index(pos)
    found: list[str] = []
    for base in (word, *db.exceptions(pos).get(word, ())):
        if base in index and base not in found:
            found.append(base)
    for suffix, ending in _DETACH[pos]:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + ending
            if base in index and base not in found:
                found.append(base)
    return tuple(found)


@lru_cache(maxsize=100_000)
def _senses(word: str, pos: str, settings: WordNetSettings) -> tuple[tuple[str, Synset], ...]:
    """(lemma, synset) for each sense of each base form of ``word``."""
    db = _database(settings)
    if db is None:
        return ()
    out = []
    for lemma in _base_forms(word, pos, settings):
        offsets = db.index(pos)[lemma]
        if settings.max_senses:
            offsets = offsets[: settings.max_senses]
        out.extend((lemma, _synset(db, pos, off)) for off in offsets)
    return tuple(out)


@lru_cache(maxsize=200_000)
def _synset(db: _Database, pos: str, offset: int) -> Synset:
    return db.synset(pos, offset)


def _poses(pos: str | None) -> tuple[str, ...]:
    if pos is None:
        return ("n", "v", "a", "r")
    if pos not in POS_FILES:
        raise ValueError(f"pos must be one of n, v, a, r or None, not {pos!r}")
    return (pos,)


def _similar(db: _Database, synset: Synset) -> set[int]:
    return {off for sym, off, _p, _s, _t in synset.pointers if sym == "&"}


def synonymous(a: str, b: str, pos: str | None = None,
               settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether ``a`` and ``b`` share a sense (for adjectives also a similar-to neighbour).

    A word is not its own synonym here: equal lemmas are the aligner's exact match.
    """
    return _synonymous(_norm(a), _norm(b), pos, settings)


@lru_cache(maxsize=200_000)
def _synonymous(a: str, b: str, pos: str | None, settings: WordNetSettings) -> bool:
    db = _database(settings)
    if db is None or a == b:
        return False
    for p in _poses(pos):
        sa = {s.offset for _l, s in _senses(a, p, settings)}
        if not sa:
            continue
        lemmas_a = set(_base_forms(a, p, settings))
        for lemma, synset in _senses(b, p, settings):
            if lemma in lemmas_a:
                return False  # two forms of one lemma ("grew", "grows")
            if synset.offset in sa:
                return True
            if p == "a" and settings.similar_to_synonyms and _similar(db, synset) & sa:
                return True
    return False


def antonymous(a: str, b: str, pos: str | None = None,
               settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether ``a`` and ``b`` are opposites: a direct antonym of a sense, the antonym of
    another word of the same sense ("grow" shares a sense with "increase", whose antonym
    "decrease" shares one with "shrink"), or for adjectives an antonym of a similar-to
    neighbour ("peaceful" ~ "nonviolent" / "violent")."""
    x, y = _norm(a), _norm(b)
    if _synonymous(x, y, pos, settings):
        return False  # words sharing a sense are not opposites, whatever a far link says
    return _antonymous(x, y, pos, settings) or _antonymous(y, x, pos, settings)


@lru_cache(maxsize=200_000)
def _antonymous(a: str, b: str, pos: str | None, settings: WordNetSettings) -> bool:
    db = _database(settings)
    if db is None or a == b:
        return False
    for p in _poses(pos):
        targets = _opposite_synsets(a, p, settings)
        if not targets:
            continue
        near = _near_synsets(b, p, settings)
        if near & targets:
            return True
        if p == "v":
            # Verb senses are split finely: "contradict" the antonym of "confirm" and "contradict"
            # the verb "deny" is a manner of are two synsets of one word. Matched by word, but
            # only among the commonest senses, where that looseness rarely misleads.
            top = dataclasses.replace(settings, max_senses=settings.word_match_senses)
            opposite = {w for off in _opposite_synsets(a, p, top) for w in _synset(db, p, off).words}
            if any(w in opposite for off in _near_synsets(b, p, top) for w in _synset(db, p, off).words):
                return True
    return False


@lru_cache(maxsize=100_000)
def _near_synsets(word: str, pos: str, settings: WordNetSettings) -> frozenset[int]:
    """A word's senses and, for a verb, the verbs they are a manner of ("shrink" is a way to
    "decrease"), since verb antonyms are recorded mostly between those general verbs."""
    db = _database(settings)
    assert db is not None
    if pos == "v" and set(_base_forms(word, pos, settings)) & set(settings.auxiliaries):
        return frozenset()
    own = [s for _l, s in _senses(word, pos, settings)]
    out = {s.offset for s in own}
    if pos == "v":
        frontier = own
        for _hop in range(settings.verb_hypernym_hops):
            above = [_synset(db, "v", off) for s in frontier for sym, off, ppos, _s, _t in s.pointers
                     if sym == "@" and ppos == "v"]
            # A root of the verb hierarchy ("change", "be", "act") is too general to oppose.
            frontier = [h for h in above if any(p[0] == "@" for p in h.pointers)]
            out |= {h.offset for h in frontier}
    return frozenset(out)


@lru_cache(maxsize=100_000)
def _opposite_synsets(word: str, pos: str, settings: WordNetSettings) -> frozenset[int]:
    db = _database(settings)
    assert db is not None
    own = [_synset(db, pos, off) for off in sorted(_near_synsets(word, pos, settings))]
    near = list(own)
    if pos == "a":
        near += [_synset(db, "a", off) for s in own for off in sorted(_similar(db, s))]
    out: set[int] = set()
    for synset in near:
        for sym, off, ppos, _src, _tgt in synset.pointers:
            if sym == "!" and ppos == pos:
                out.add(off)
                if pos == "a":
                    out |= _similar(db, _synset(db, "a", off))
    return frozenset(out)


def is_a(noun: str, kinds: tuple[str, ...], settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether a common noun (a compound as "prime minister") is, by its commonest senses,
    a kind of one of ``kinds`` (the first sense of each), following hypernym links only.
    A proper name is no kind: WordNet links "Blair" to "prime minister" as an instance.

    >>> if available():
    ...     print(is_a("prime minister", ("person",)), is_a("Mr", ("form_of_address",)), is_a("Blair", ("person",)))
    ... else:
    ...     print(True, True, False)
    True True False
    """
    return _is_a(_norm(noun), tuple(_norm(k) for k in kinds), settings)


@lru_cache(maxsize=100_000)
def _is_a(noun: str, kinds: tuple[str, ...], settings: WordNetSettings) -> bool:
    db = _database(settings)
    if db is None:
        return False
    top = dataclasses.replace(settings, max_senses=settings.kind_senses)
    return _reaches(db, [s for _l, s in _senses(noun, "n", top)], _roots(db, kinds))


def instance_of(name: str, kinds: tuple[str, ...], settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether a proper name is, by any of its senses, an instance of one of ``kinds``
    ("Moscow" of "national capital").

    >>> if available():
    ...     print(instance_of("Moscow", ("national_capital",)), instance_of("Nevada", ("national_capital",)))
    ... else:
    ...     print(True, False)
    True False
    """
    return _instance_of(_norm(name), tuple(_norm(k) for k in kinds), settings)


@lru_cache(maxsize=100_000)
def _instance_of(name: str, kinds: tuple[str, ...], settings: WordNetSettings) -> bool:
    db = _database(settings)
    if db is None:
        return False
    classes = [_synset(db, "n", off) for _l, s in _senses(name, "n", settings)
               for sym, off, ppos, _s, _t in s.pointers if sym == "@i" and ppos == "n"]
    return _reaches(db, classes, _roots(db, kinds))


def _roots(db: _Database, kinds: tuple[str, ...]) -> set[int]:
    """The first noun sense of each kind."""
    index = db.index("n")
    return {index[k][0] for k in kinds if k in index}


def _reaches(db: _Database, frontier: list[Synset], roots: set[int]) -> bool:
    """Whether a hypernym chain leads from one of ``frontier`` to one of ``roots``."""
    seen: set[int] = set()
    while frontier:
        if any(s.offset in roots for s in frontier):
            return True
        seen |= {s.offset for s in frontier}
        frontier = [_synset(db, "n", off) for s in frontier for sym, off, ppos, _s, _t in s.pointers
                    if sym == "@" and ppos == "n" and off not in seen]
    return False


def part_of(place: str, whole: str, hops: int = 3, settings: WordNetSettings = DEFAULT_WORDNET_SETTINGS) -> bool:
    """Whether WordNet records ``place`` as a part of ``whole``, through at most ``hops``
    part-holonym links between any of their noun senses: a city of its country, a
    country of its continent, a chamber of its legislature.

    >>> if available():
    ...     print(part_of("Moscow", "Russia"), part_of("China", "Asia"), part_of("Paris", "Germany"))
    ... else:
    ...     print(True, True, False)
    True True False
    """
    return _part_of(_norm(place), _norm(whole), hops, settings)


@lru_cache(maxsize=100_000)
def _part_of(place: str, whole: str, hops: int, settings: WordNetSettings) -> bool:
    db = _database(settings)
    if db is None or place == whole:
        return False
    targets = {s.offset for _l, s in _senses(whole, "n", settings)}
    frontier = [s for _l, s in _senses(place, "n", settings)]
    seen = {s.offset for s in frontier}
    for _hop in range(hops):
        if not targets or not frontier:
            return False
        frontier = [_synset(db, "n", off) for s in frontier for sym, off, ppos, _s, _t in s.pointers
                    if sym == "#p" and ppos == "n" and off not in seen]
        if any(s.offset in targets for s in frontier):
            return True
        seen |= {s.offset for s in frontier}
    return False
