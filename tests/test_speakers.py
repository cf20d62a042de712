"""Speakers from reported speech, so attribution_changed means the speaker changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosscheck.config.settings import Settings
from crosscheck.match.align import features
from crosscheck.text.prepare import prepare

SEED = Path(__file__).resolve().parents[1] / "seeds" / "001_501dcf1e5442c15e.txt"


def speakers(text: str) -> dict[str, str | None]:
    side = features(prepare(text, Settings()), Settings())
    return {s.text: who for s, who in zip(side.document.sentences, side.speakers)}


def test_reported_speech_names_its_speaker() -> None:
    got = speakers(
        "President Vladimir Putin on Monday said Russia had no issue with Finland and Sweden.\n\n"
        "The Kremlin leader told the summit that NATO was being used as a tool of foreign policy.\n\n"
        "He added that the alliance was going beyond its geographical purpose.\n\n"
        "According to Lukashenko, the West is to blame.\n\n"
        "The summit marked the 30th anniversary of the treaty."
    )
    assert list(got.values()) == ["putin", "putin", "putin", "lukashenko", None]


def test_headline_style_names_its_speaker() -> None:
    got = speakers("Putin says new military infrastructure in Finland, Sweden would demand reaction\n\nThe talks ended.")
    assert list(got.values())[0] == "putin"


def _attributions(rewrite: str) -> list[tuple[str, list[str]]]:
    from crosscheck.match.compare import compare

    comparison = compare(str(SEED), rewrite, embedder=None)
    return [
        (comparison.rewrite.sentences[a.rewrite_sentences[0]].text, [d.type for d in a.score.types])
        for a in comparison.alignments
    ]


@pytest.mark.parametrize("who, fires", [("Putin", False), ("Lukashenko", True)])
def test_attribution_changed_fires_only_when_the_speaker_changed(who: str, fires: bool) -> None:
    rewrite = (
        f"{who} said: \u201cRussia has no problems with these states. "
        "In this sense, therefore, there is no direct threat to Russia in connection with NATO\u2019s "
        "expansion to these countries.\u201d"
    )
    types = [t for _, ts in _attributions(rewrite) for t in ts]
    assert ("attribution_changed" in types) is fires
