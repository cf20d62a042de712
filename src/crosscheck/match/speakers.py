"""Who speaks in each sentence, as the aligner compares speakers.

A transcript labels its speakers; news names them in reported speech ("Putin said",
"the Kremlin leader told", "he added" after a named speaker). Speakers are compared by
surname in Latin letters, so «Путин» meets a transcript's "Vladimir Putin". Furniture
is blanked before reading, so a speaker is never taken from a video widget or a credit.
"""

from __future__ import annotations

from crosscheck.model import Document
from crosscheck.text import russian
from crosscheck.text.clean import blank_spans
from crosscheck.text.quotes import reported_speakers


def surname(name: str | None) -> str | None:
    """The part of a speaker's name that both outlets will use: Vladimir Putin → putin."""
    if not name:
        return None
    parts = [p for p in name.replace(".", " ").split() if p[:1].isupper()]
    return (parts[-1] if parts else name.split()[-1]).lower()


def speaker_key(name: str | None) -> str | None:
    """A speaker as sides are compared: the surname, in Latin letters (Путин -> putin)."""
    key = surname(name)
    if key and russian.is_cyrillic(key):
        return russian.latin(russian.surname_in(key) or key) or key
    return key


def sentence_speakers(document: Document) -> tuple[str | None, ...]:
    """Who speaks in each sentence: a transcript label, the speaker of a quote in it,
    or the speaker its reported speech names ("Putin said", "the Kremlin leader told")."""
    speakers = [s.speaker for s in document.sentences]
    for quote in document.quotes:
        if not quote.speaker:
            continue
        for i in quote.sentence_indices:
            if 0 <= i < len(speakers) and speakers[i] is None:
                speakers[i] = quote.speaker
    if any(s is None for s in speakers):
        text = blank_spans(document.text, [b.span for b in document.boilerplate])
        reported = reported_speakers(text, document.sentences)
        speakers = [s if s is not None else r for s, r in zip(speakers, reported)]
    # Speakers are compared in Latin letters, so «Путин» meets a transcript's "Vladimir Putin".
    out = [speaker_key(s) for s in speakers]
    if document.article.language == "ru":
        # «Песков ранее сообщил, что ...»: the reporting verb names the speaker.
        out = [who or russian.reported_speaker(s.text) for who, s in zip(out, document.sentences)]
    return tuple(out)
