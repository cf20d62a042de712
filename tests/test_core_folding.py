"""The compiled core folds bodies as it reads them (quotes, dashes, invisible characters,
wide spaces, lower case) and gets Python's words: ``fold_lower`` and ``str.encode`` give
the same bytes, code point by code point, and the keys stay those of the numpy path on
``shingle_forms``. Only NFKC (and the two characters that lower by context) stay in
Python; every claim that rests on is checked here over all of Unicode."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crosscheck
from crosscheck.dedup import shingle
from crosscheck.dedup.shingle import body_keys, keys_batch, shingle_forms, shingle_text
from crosscheck.text import normalize
from crosscheck.text.normalize import char_folds, fold_lower

core = pytest.importorskip(
    "crosscheck.dedup._sketchcore",
    reason="the compiled core is not built (setup.py build_ext --inplace, or pip install -e .)",
)
if not hasattr(core, "fold_table"):
    pytest.skip("the compiled core was built without folding (no Py_UNICODE_TOLOWER)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
DISABLED = os.environ.get("CROSSCHECK_NO_COMPILED_CORE", "").strip() not in ("", "0")
FOLDS = core.fold_table(*char_folds())
SEPARATORS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_BREAKS = re.compile(rb"[\t\n\x0b\x0c\r\x1c-\x1f ]+")


@pytest.fixture(autouse=True, scope="module")
def _core_folds_in_reach():
    """body_keys folds in the core here even under CROSSCHECK_NO_COMPILED_CORE=1."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shingle, "_CORE", core)
        patch.setattr(shingle, "_CORE_FOLDS", FOLDS)
        yield


def _words(data: bytes) -> list[bytes]:
    """The words the fast hash reads in UTF-8 bytes: runs of anything but its separators."""
    return [w for w in _BREAKS.split(data) if w]


def _core_utf8(text: str) -> bytes:
    """What the core hashes of a body as read: its core form, folded."""
    return core.folded_utf8(shingle._core_forms([text])[0], FOLDS)


def _numpy_keys(texts, size):
    return shingle._fast_keys_numpy(shingle_forms(texts), size)


def _same_as_numpy(texts, size):
    """body_keys with the core folding equals numpy on shingle_forms, together and in
    the groups body_keys makes; returns the keys."""
    keys, offsets = body_keys(texts, size, "fast")
    want_keys, want_offsets = _numpy_keys(texts, size)
    assert np.array_equal(offsets, want_offsets)
    assert np.array_equal(keys, want_keys)
    return keys, offsets


# Which code runs.


def test_the_core_folds_unless_it_is_switched_off():
    # CPython 3.10-3.13 all have Py_UNICODE_TOLOWER: a build there always folds.
    assert shingle.CORE_FOLDS is not DISABLED
    assert shingle._core_fold_table() is not None  # with the core in reach (the fixture)


@pytest.mark.parametrize("value,expected", [("1", False), ("0", True)])
def test_the_environment_variable_leaves_folding_to_python(value, expected):
    env = {**os.environ, "CROSSCHECK_NO_COMPILED_CORE": value,
           "PYTHONPATH": os.pathsep.join([str(Path(crosscheck.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    code = "from crosscheck.dedup import shingle; print(shingle.CORE_FOLDS, shingle._CORE_FOLDS is None)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(expected), str(not expected)]


def test_a_table_the_core_cannot_hold_leaves_folding_to_python(monkeypatch):
    monkeypatch.setattr(shingle, "char_folds", lambda: ({"\u2014": "----"}, ""))
    assert shingle._core_fold_table() is None
    monkeypatch.setattr(shingle, "_CORE_FOLDS", None)
    texts = ["\u201cA\u201d \u2014 \u00c9t\u00c9", "plain ASCII", "\u03a3\u039f\u03a6\u0399\u0391"]
    keys, offsets = body_keys(texts, 2, "fast")
    want_keys, want_offsets = _numpy_keys(texts, 2)
    assert np.array_equal(keys, want_keys) and np.array_equal(offsets, want_offsets)


# The table is normalize's own.


def test_every_mark_and_space_of_normalize_folds_as_in_python():
    marks, spaces = char_folds()
    assert marks == dict(normalize._FOLDS) == normalize._REPLACEMENTS
    assert spaces == "".join(normalize._WIDE_SPACES) and len(spaces) >= 4
    for mark, replacement in marks.items():
        # The core reads NFKC text: given raw, it folds a mark to its own replacement
        # (U+2033, double prime, becomes two primes under NFKC, and so '' in Python).
        assert core.folded_utf8(f"Ab{mark}Cd", FOLDS) == f"ab{replacement.lower()}cd".encode(), hex(ord(mark))
        for text in (mark, f"Ab{mark}Cd", f"x {mark} y"):
            assert _core_utf8(text) == fold_lower(text).encode("utf-8"), hex(ord(mark))
    for space in spaces:
        assert core.folded_utf8(f"Ab{space}Cd", FOLDS) == _core_utf8(f"Ab{space}Cd") == b"ab cd", hex(ord(space))


def test_a_change_to_normalizes_table_reaches_the_core(monkeypatch):
    """The core's table is made from normalize's: marks added there (below and above the
    core's direct table, and one that is also a wide space, which a mark overrides as in
    Python) fold the same in both."""
    folds = dict(normalize._FOLDS)
    folds.update({"\u00e9": "e", "\u4e00": "X", "\U0001f600": ":)", "\u2028": "|"})
    monkeypatch.setattr(normalize, "_FOLDS", tuple(folds.items()))
    table = shingle._core_fold_table()
    assert table is not None
    for text in ["caf\u00e9 \u00c9t\u00e9", "\u4e00\u4e01", "hi\U0001f600There", "one\u2028Two\u2029three"]:
        want = fold_lower(text).encode("utf-8")
        assert core.folded_utf8(unicodedata.normalize("NFKC", text), table) == want, text
        assert core.folded_utf8(unicodedata.normalize("NFKC", text), FOLDS) != want, text


@pytest.mark.parametrize("replacements,spaces", [
    ({"ab": "x"}, ""),  # not one character
    ({"": "x"}, ""),
    ({"a": "x"}, ""),  # ASCII
    ({"\ud800": "x"}, ""),  # a surrogate
    ({"\u2014": "\u2013"}, ""),  # not ASCII
    ({"\u2014": "----"}, ""),  # longer than 3
    ({"\u2014": 5}, ""),
    ({5: "-"}, ""),
    ({}, " "),
    ({}, "\u2028 "),
    ({}, "\udfff"),
])
def test_tables_the_core_cannot_hold_raise_value_error(replacements, spaces):
    with pytest.raises(ValueError):
        core.fold_table(replacements, spaces)


def test_bad_table_arguments_raise_type_error():
    for args in ([("\u2014", "-")], ""), ({}, ["\u2028"]), ({},):
        with pytest.raises(TypeError):
            core.fold_table(*args)
    for folds in (object(), {"\u2014": "-"}, "table"):
        with pytest.raises(TypeError):
            core.fast_keys(["a b"], 2, folds)
        with pytest.raises(TypeError):
            core.folded_utf8("a b", folds)
    with pytest.raises(TypeError):
        core.folded_utf8(b"bytes", FOLDS)
    with pytest.raises(TypeError):
        core.fast_keys(["fine", b"bytes"], 2, FOLDS)


def test_tables_are_independent_and_threads_share_them():
    text = "\u201cThe  West\u2019s\u00a0\u00abINFERNAL\u00bb sanctions\u201d\u2026 \u041e\u0414\u041a\u0411 " * 50
    table = core.fold_table(*char_folds())
    assert core.fast_keys([text] * 20, 3, table)[0] == core.fast_keys([text], 3, FOLDS)[0] * 20
    del table
    alone = body_keys([text], 5, "fast")[0]
    with ThreadPoolExecutor(4) as pool:
        for keys, _ in pool.map(lambda _: body_keys([text] * 40, 5, "fast"), range(8)):
            assert np.array_equal(keys, np.tile(alone, 40))


# Every code point, alone and inside words.


def _plane(plane: int) -> list[str]:
    return [chr(c) for c in range(plane << 16, (plane + 1) << 16) if not 0xD800 <= c <= 0xDFFF]


CONTEXTS = [
    "{}",
    "Ab{}Cd",  # inside a word
    "x {} y",  # a word alone
    "\u00c9{}\u00c9 \u0416{}",  # beside non-ASCII capitals
]


@pytest.mark.parametrize("plane", range(17))
def test_every_code_point_folds_as_python_folds_it(plane):
    """For every code point in every context: the core's bytes of the core form give
    fold_lower's words (its bytes exactly, but for where spaces stand), its pass over an
    already folded text changes nothing, and the keys are numpy's."""
    chars = _plane(plane)
    for context in CONTEXTS:
        texts = [context.format(c, c) for c in chars]
        forms, core_forms = shingle_forms(texts), shingle._core_forms(texts)
        want = [t.encode("utf-8") for t in forms]
        got = [core.folded_utf8(t, FOLDS) for t in core_forms]
        bad = [(hex(ord(c)), w, g) for c, w, g in zip(chars, want, got) if _words(w) != _words(g)]
        assert not bad, (context, len(bad), bad[:8])
        spaced = [hex(ord(c)) for c, w, g in zip(chars, want, got) if w != g]
        assert all(unicodedata.normalize("NFKC", chr(int(c, 16))).isspace() for c in spaced), spaced[:8]
        again = [core.folded_utf8(w.decode("utf-8"), FOLDS) for w in want]
        moved = [(hex(ord(c)), w, a) for c, w, a in zip(chars, want, again) if w != a]
        assert not moved, (context, len(moved), moved[:8])
        for size in (1, 2):
            keys, offsets = shingle._in_groups(shingle._folded_keys_compiled, core_forms, size)
            want_keys, want_offsets = shingle._fast_keys_numpy(forms, size)
            assert np.array_equal(offsets, want_offsets) and np.array_equal(keys, want_keys), (context, size)


def test_only_two_characters_lower_by_more_than_their_simple_mapping():
    """Why the core may lower code point by code point: str.lower() gives the simple
    lowercase mapping (Py_UNICODE_TOLOWER, what a table with no marks or spaces leaves)
    of every code point, alone, after a capital and between letters, but for U+0130 (two
    code points) and U+03A3 (final or not by context), which _core_forms sends to Python."""
    bare = core.fold_table({}, "")
    differ = set()
    for context in ("{}", "A{}", "A{}a"):
        for plane in range(17):
            texts = [context.format(c) for c in _plane(plane)]
            differ.update(t for t in texts if core.folded_utf8(t, bare) != t.lower().encode("utf-8"))
    assert differ == {"A\u03a3", "\u0130", "A\u0130", "A\u0130a"}


# Awkward bodies.


BODIES = [
    "",
    " ",
    SEPARATORS * 2,
    "ПУТИН ЗАЯВИЛ, ЧТО ОДКБ «ИГРАЕТ СТАБИЛИЗИРУЮЩУЮ РОЛЬ»",
    "Путин заявил \u2014 ОДКБ играет роль",
    "ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΊΣΥΦΟΣ: ΤΟ ΤΈΛΟΣ Σ ΣΣ ΑΣ. Σ\u00ad Α\u03a3\u00adΒ \u03a3\u200b",
    "\u0130STANBUL \u0130zmir \u0130\u0307 I\u0307 i\u0307 \u0131 \u0130\u0130",
    "\u03f9\u03f9 \U0001d6ba\U0001d6ba \u2211 x\U0001d6ba",  # lunate and mathematical sigmas: NFKC gives U+03A3
    "soft\u00adhy\u00adphen zero\u200bwidth\u200cnon\u200djoiner word\u2060joiner \ufeffbom in\ufeffside",
    "nbsp\u00a0between\u00a0words line\u2028separator para\u2029graph next\u0085line ogham\u1680mark",
    "\u3000ideographic\u3000space \u2003em\u2002en\u202fnarrow",
    "sep\x1cfile\x1dgroup\x1erecord\x1funit \x1c\x1d\x1e\x1f",
    "ctrl\x00nul \x01start end\x7f mid\x1bdle",
    "emoji 😀 🇺🇦 👩‍👩‍👧 MIXED😀Text 𐐀𐐁 \U0001e900\U0001e901 𝔸𝔹",
    "\u201cQuoted\u201d \u2018Single\u2019 \u00abGuillemets\u00bb \u2014 Dash \u2013 en \u2212 minus\u2026 \ufe58\uff0d\uff02",
    "\ufb01ne \ufb03 \u00bd \u2460 \u212aELVIN \u2126 \u017fTRASSE \u1e9e \u00df \u01c5 \u1f88",
    "Ǆ ǅ ǆ \u10a0\u10a1 \u13a0\u13a1 \u1c90 \u2c00 \ua640 \U00010400 \U00016e40 \U0001e900",
    "e\u0301 E\u0301 \u1100\u1161\u11a8 \u0958",  # decomposed: NFKC composes them
    "\u00c9T\u00c9 \u00e0 L\u2019\u00c9COLE, \u00ab\u00a0Bonjour\u00a0\u00bb",
    "中文字符串 한국어 日本語のテキスト ＡＢＣ ａｂｃ",
    "x" * 40 + "\u00e9" + "Y" * 40 + " " + "\u0416" * 33,
    "A" * 15 + "\u2019" + "B" * 16 + "\u00ad" + "C" * 17,
]


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_awkward_bodies_give_numpys_keys_together_and_alone(size):
    keys, offsets = _same_as_numpy(BODIES, size)
    want, _ = keys_batch([shingle_text(b) for b in BODIES], size, "fast")
    assert np.array_equal(keys, want)
    for i, body in enumerate(BODIES):
        alone, _ = _same_as_numpy([body], size)
        assert np.array_equal(alone, keys[offsets[i]:offsets[i + 1]]), repr(body)


def test_awkward_bodies_fold_to_python_bytes():
    for body in BODIES:
        assert _words(_core_utf8(body)) == _words(fold_lower(body).encode("utf-8")), repr(body)


def test_bodies_of_every_kind_and_length_around_the_ascii_blocks():
    """ASCII runs of 15, 16 and 17 code points around one other, in str of 1, 2 and 4
    bytes a code point: the vectorized ASCII blocks and the code point by code point
    path meet."""
    texts = []
    for other in ("\u00c9", "\u2019", "\u0416", "\u00ad", "\u2028", "\U0001f600", "\u0130", "\u03a3"):
        for before in (0, 1, 15, 16, 17, 31, 32, 33):
            for after in (0, 1, 15, 16, 17):
                texts.append("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"[:before] + other + "zYxW VuTsRqPoNmLkJiHg"[:after])
    texts += ["\u00e9" * n for n in range(40)] + ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:n] + "\u00e9" for n in range(27)]
    for size in (1, 2):
        _same_as_numpy(texts, size)


def test_shingle_forms_and_shingle_text_hash_the_same_through_the_folding_core():
    """fast_keys_batch takes shingle_text or shingle_forms forms; the folding pass leaves
    both as they are, so the core given its table hashes them as numpy does."""
    bodies = BODIES + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for forms in (shingle_forms(bodies), [shingle_text(b) for b in bodies]):
        for size in (1, 3, 5):
            keys, offsets = shingle._folded_keys_compiled(forms, size)
            want_keys, want_offsets = shingle._fast_keys_numpy(forms, size)
            assert np.array_equal(offsets, want_offsets) and np.array_equal(keys, want_keys)
            assert np.array_equal(shingle.fast_keys_batch(forms, size)[0], want_keys)


def test_body_keys_groups_the_same_as_one_call(monkeypatch):
    bodies = BODIES * 30
    whole, whole_offsets = _same_as_numpy(bodies, 5)
    monkeypatch.setattr(shingle, "_GROUP_CHARS", 1 << 9)  # dozens of groups
    keys, offsets = body_keys(bodies, 5, "fast")
    assert np.array_equal(keys, whole) and np.array_equal(offsets, whole_offsets)


def test_a_lone_surrogate_raises_as_encoding_does():
    for text in ["lone \ud800 surrogate", "\udfff", "Ascii then \U0001f600 \udc00 late", "\u00c9\ud83d"]:
        with pytest.raises(UnicodeEncodeError) as want:
            shingle._fast_keys_numpy(shingle_forms([text]), 2)
        with pytest.raises(UnicodeEncodeError) as got:
            body_keys(["fine", text], 2, "fast")
        assert (got.value.start, got.value.end, got.value.reason) == (want.value.start, want.value.end, want.value.reason)
        with pytest.raises(UnicodeEncodeError) as alone:
            core.folded_utf8(text, FOLDS)
        with pytest.raises(UnicodeEncodeError) as encoded:
            text.encode("utf-8")
        assert (alone.value.object, alone.value.start, alone.value.end) == (text, encoded.value.start, encoded.value.end)


# Random text.


ALPHABET = list("abcXYZ09 \t\n.,") + list(SEPARATORS) + [
    "\u00e9", "\u00c9", "\u0416", "\u0436", "\u03a3", "\u03c3", "\u03c2", "\u0391", "\u0130", "\u0131", "I\u0307",
    "\u00ad", "\u200b", "\u200d", "\ufeff", "\u00a0", "\u2028", "\u0085", "\u1680", "\u3000",
    "\u201c", "\u201d", "\u2019", "\u2014", "\u2026", "\u00ab", "\u00bb", "\ufb01", "\u212a",
    "\u0301", "\u0307", "\U0001f600", "\U00010400", "\U0001d6ba", "\u03f9", "\u1f88", "\u01c5",
]
MIXED = st.lists(st.sampled_from(ALPHABET), max_size=300).map("".join)
ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=2000)


@settings(max_examples=400, deadline=None)
@given(texts=st.lists(MIXED | ANY, max_size=6), size=st.integers(1, 6))
def test_random_bodies_give_numpys_keys(texts, size):
    _same_as_numpy(texts, size)
    for text in texts:
        want = fold_lower(text).encode("utf-8")
        assert _words(_core_utf8(text)) == _words(want)
        assert core.folded_utf8(fold_lower(text), FOLDS) == want
