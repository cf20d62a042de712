"""Messages the TUI's widgets send up to the app, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class SentenceClicked(Message):
    """The user clicked a sentence in one of the text panes."""

    side: str  # "source" or "rewrite"
    sentence: int


@dataclass
class FilterChosen(Message):
    """A filter key from ``view.filter_choices`` was picked."""

    key: str
