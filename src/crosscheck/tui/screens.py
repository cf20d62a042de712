"""Small modal screens: the key help and the filter picker."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crosscheck.tui.view import LEGEND

KEYS: tuple[tuple[str, str], ...] = (
    ("n / N", "next / previous alignment"),
    ("d / D", "next / previous divergent alignment"),
    ("u", "next unsupported rewrite sentence"),
    ("o", "next omitted source sentence"),
    ("↑ / ↓", "previous / next sentence in the focused pane"),
    ("tab", "switch pane"),
    ("enter", "details of the selected passage"),
    ("f", "filter the list by relation or divergence type"),
    ("s", "sort the list by divergence (again: reading order)"),
    ("/", "search both texts"),
    ("[ / ]", "previous / next rewrite"),
    ("l", "show or hide the passage list"),
    ("e", "export the comparison as JSON"),
    ("?", "this help"),
    ("q", "quit"),
)


def help_text() -> str:
    width = max(len(k) for k, _ in KEYS)
    rows = [f"  {k.ljust(width)}   {what}" for k, what in KEYS]
    return "\n".join(rows) + "\n\nmarkers\n  " + LEGEND + "\n\nClick a sentence to select its passage."


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(help_text(), id="help-body")

    def on_mount(self) -> None:
        box = self.query_one("#help", Vertical)
        box.border_title = "keys"
        box.border_subtitle = "esc close"


class FilterScreen(ModalScreen[str | None]):
    """Pick one filter; the choice (a key of ``view.filter_choices``) is the result."""

    BINDINGS = [Binding("escape,q", "dismiss", "close")]

    def __init__(self, choices: Sequence[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="filter"):
            yield OptionList(*(Option(label, id=key) for key, label in self.choices), id="filter-list")

    def on_mount(self) -> None:
        box = self.query_one("#filter", Vertical)
        box.border_title = "show only"
        box.border_subtitle = "enter pick · esc cancel"
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        options.highlighted = keys.index(self.current) if self.current in keys else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
