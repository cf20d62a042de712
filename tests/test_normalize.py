"""Normalization: two typings of one sentence compare equal, and every folded
character can still be found in the file the user gave us."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.text.normalize import normalize, normalize_text

SEEDS = Path(__file__).parent.parent / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_two_typings_of_the_lukashenko_quote_fold_to_the_same_text() -> None:
    # 000 uses curly quotes, 004 straight ones; the words around them differ anyway,
    # but the quoted phrases must compare equal once typography is folded.
    curly = "\u201cwithout a united front, the collective West will increase pressure\u201d"
    straight = '"without a united front, the collective West will increase pressure"'
    assert normalize_text(curly) == normalize_text(straight) == straight


def test_transcript_dashes_spaces_and_ellipses_are_folded() -> None:
    transcript = seed("001")
    line = next(ln for ln in transcript.splitlines() if ln.startswith("The organisation plays"))
    assert "\u2013" in line
    assert normalize_text(line).startswith(
        "The organisation plays a very important role in the post-Soviet space - a stabilising role."
    )
    assert normalize_text("stability\u2026 We\u00a0have\u2002created\r\n") == "stability... We have created"
    assert normalize_text("the West\u2019s \u00abinfernal\u00bb \ufb01nes") == "the West's \"infernal\" fines"


def test_a_folded_quote_maps_back_to_its_place_in_seed_000() -> None:
    text = seed("000")
    folded = normalize(text)
    at = folded.text.index('"react"')
    span = folded.span(at, at + len('"react"'))
    assert text[span.start:span.end] == "\u201creact\u201d"
    # The leading space and the removed-later date line are still where the map says.
    assert folded.offsets[0] == 1 and text[1:5] == "date"
    assert folded.offsets[-1] == len(text.rstrip())


def test_whole_seed_map_is_consistent() -> None:
    for prefix in ("000", "001", "004"):
        text = seed(prefix)
        folded = normalize(text)
        assert folded.text == normalize_text(text)
        assert len(folded.offsets) == len(folded.text) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_any_text_maps_back_in_order(text: str) -> None:
    folded = normalize(text)
    assert folded.text == normalize_text(text)
    offsets = folded.offsets
    assert len(offsets) == len(folded.text) + 1
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    assert all(0 <= o <= len(text) for o in offsets)
    whole = folded.span(0, len(folded.text))
    assert normalize_text(text[whole.start:whole.end]) == folded.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Putin", "\u201c", "\u201d", "\u2013", " ", "\u00a0", "\u2026", "\n",
                                 "e\u0301", "\ufb01", "\u1100\u1161", "x"]), max_size=20))
def test_every_normalized_character_comes_from_its_mapped_input(pieces: list[str]) -> None:
    text = "".join(pieces)
    folded = normalize(text)
    for i, ch in enumerate(folded.text):
        span = folded.span(i, i + 1)
        source = normalize_text(text[span.start:span.end])
        assert ch in source or (ch == " " and source == "")
