"""The side-by-side comparison app: a source, its rewrites, and every link between them.

The app renders comparisons; it never aligns anything itself. Comparisons are computed
in a worker thread (one per rewrite, on first view) while the panes show a loading
indicator, so the first screen paints at once and keys never wait on the matcher.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from crosscheck.config import Settings
from crosscheck.errors import CrosscheckError
from crosscheck.model import Article, Comparison
from crosscheck.tui.detail import DetailScreen, detail_text
from crosscheck.tui.messages import SentenceClicked
from crosscheck.tui.panes import TextPane
from crosscheck.tui.screens import FilterScreen, HelpScreen
from crosscheck.tui.summary import doc_heading, summary_text
from crosscheck.tui.view import Item, by_divergence, changed_words, filter_choices, find_sentences, items_of, matches, sentence_marks, step


LIST_TEXT_WIDTH = 26  # the passage list is 34 columns: border, padding, marker


class SearchBox(Input):
    BINDINGS = [Binding("escape", "app.close_search", "close search", show=False)]


def export_name(c: Comparison) -> str:
    """A file name that says which two articles were compared."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{c.source.id}-vs-{c.rewrite.id}")
    return f"crosscheck-{safe}.json"


class CrosscheckApp(App[int]):
    """Compare a source with one or more rewrites, passage by passage."""

    CSS_PATH = "styles.tcss"
    TITLE = "crosscheck"

    BINDINGS = [
        Binding("n", "step('alignment', True)", "next"),
        Binding("N", "step('alignment', False)", "prev", show=False),
        Binding("d", "step('divergent', True)", "divergent"),
        Binding("D", "step('divergent', False)", "prev divergent", show=False),
        Binding("u", "step('unsupported', True)", "unsupported"),
        Binding("o", "step('omitted', True)", "omitted"),
        Binding("tab", "switch_pane", "pane", priority=True),
        Binding("enter", "details", "details"),
        Binding("f", "filter", "filter"),
        Binding("s", "sort", "sort"),
        Binding("slash", "search", "search"),
        Binding("e", "export", "export"),
        Binding("right_square_bracket", "rewrite(1)", "next rewrite", show=False),
        Binding("left_square_bracket", "rewrite(-1)", "prev rewrite", show=False),
        Binding("l", "toggle_list", "list", show=False),
        Binding("question_mark", "help", "keys"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(
        self,
        source: Article,
        rewrites: Sequence[Article],
        settings: Settings | None = None,
        comparisons: Sequence[Comparison | None] | None = None,
        export_dir: str | Path | None = None,
    ) -> None:
        super().__init__()
        if not rewrites:
            raise ValueError("at least one rewrite is needed")
        self.source = source
        self.rewrites = list(rewrites)
        self.settings = settings or Settings()
        self.cache: list[Comparison | None] = list(comparisons or [None] * len(self.rewrites))
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd()
        self.rewrite_index = 0
        self.comparison: Comparison | None = None
        self.items: list[Item] = []
        self.shown: list[Item] = []
        self.position: int | None = None
        self.filter_key = "all"
        self.sorted_by_divergence = False
        self.active_side = "source"
        self._matcher = None

    # -- building the screen ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        if len(self.rewrites) > 1:
            yield Tabs(*(Tab(self._tab_label(k), id=f"rw-{k}") for k in range(len(self.rewrites))), id="rewrites")
        yield Static("comparing…", id="summary")
        with Horizontal(id="main"):
            yield OptionList(id="items")
            yield TextPane("source", id="source")
            yield TextPane("rewrite", id="rewrite")
        yield SearchBox(placeholder="search both texts (enter: next match, esc: close)", id="search")
        yield Footer()

    def _tab_label(self, k: int) -> str:
        a = self.rewrites[k]
        return (a.title or a.id)[:40]

    def on_mount(self) -> None:
        self.query_one("#items", OptionList).display = self.size.width >= 120
        self.query_one("#source", TextPane).border_title = f"source: {self.source.title or self.source.id}"
        self._open_rewrite(0)
        self.query_one("#source", TextPane).focus()

    # -- computing -------------------------------------------------------------------

    def _open_rewrite(self, index: int) -> None:
        self.rewrite_index = index
        rewrite_pane = self.query_one("#rewrite", TextPane)
        rewrite_pane.border_title = f"rewrite: {self.rewrites[index].title or self.rewrites[index].id}"
        cached = self.cache[index]
        if cached is not None:
            self._show(index, cached)
            return
        for pane in self.query(TextPane):
            pane.loading = True
        self.query_one("#summary", Static).update("comparing…")
        # Start the matcher once the loading screen is painted: its imports and model
        # load hold the interpreter for a moment and would delay the first paint.
        self.call_after_refresh(self._compute, index)

    @work(thread=True, exclusive=True, group="compare")
    def _compute(self, index: int) -> None:
        from crosscheck.match.compare import Matcher

        try:
            if self._matcher is None:
                self._matcher = Matcher(self.source, self.settings)
            comparison = self._matcher.compare(self.rewrites[index])
        except CrosscheckError as exc:
            self.call_from_thread(self._failed, str(exc))
            return
        self.call_from_thread(self._show, index, comparison)

    def _failed(self, problem: str) -> None:
        for pane in self.query(TextPane):
            pane.loading = False
        self.query_one("#summary", Static).update(Text(f"comparison failed: {problem}"))
        self.notify(problem, title="comparison failed", severity="error", timeout=10)

    def _show(self, index: int, comparison: Comparison) -> None:
        self.cache[index] = comparison
        if index != self.rewrite_index:
            return
        # A loading pane cannot hold focus, so Textual hands it to the list; the
        # first comparison on screen gives it back to the text, where keys act.
        first = self.comparison is None
        self.comparison = comparison
        source_marks, rewrite_marks = sentence_marks(comparison)
        source_pane = self.query_one("#source", TextPane)
        rewrite_pane = self.query_one("#rewrite", TextPane)
        source_pane.border_title = doc_heading(comparison.source, "source")
        rewrite_pane.border_title = doc_heading(comparison.rewrite, "rewrite")
        source_pane.show(comparison.source, source_marks)
        rewrite_pane.show(comparison.rewrite, rewrite_marks)
        for pane in (source_pane, rewrite_pane):
            pane.loading = False
        focused = self.focused
        if (first and not isinstance(focused, SearchBox)) or not isinstance(focused, (TextPane, OptionList, SearchBox)) or not focused.display:
            self.query_one(f"#{self.active_side}", TextPane).focus()
        self.query_one("#summary", Static).update(summary_text(comparison))
        self.items = items_of(comparison)
        self.position = None
        self._refresh_list()

    @property
    def ready(self) -> bool:
        """Whether the comparison on screen is computed and drawn."""
        return self.comparison is not None and self.cache[self.rewrite_index] is self.comparison

    # -- the passage list --------------------------------------------------------------

    def _refresh_list(self, keep: Item | None = None) -> None:
        shown = [i for i in self.items if matches(i, self.filter_key)]
        self.shown = by_divergence(shown) if self.sorted_by_divergence else shown
        options = self.query_one("#items", OptionList)
        options.set_options(Option(self._option_label(i)) for i in self.shown)
        self.position = self.shown.index(keep) if keep in self.shown else None
        if self.position is not None:
            options.highlighted = self.position
        note = "" if self.filter_key == "all" else f"only {self.filter_key}"
        order = "by divergence" if self.sorted_by_divergence else "in reading order"
        options.border_title = f"{len(self.shown)} passages {order}"
        options.border_subtitle = note

    @staticmethod
    def _option_label(item: Item) -> Text:
        score = f"{item.divergence:.2f} " if item.kind == "alignment" else ""
        words = " ".join(item.text.split())
        room = LIST_TEXT_WIDTH - len(score)
        if len(words) > room:
            words = words[: room - 1].rstrip() + "…"
        label = Text()
        label.append(f"{item.mark} ", style="bold")
        label.append(score)
        label.append(words)
        return label

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "items":
            self._select(event.option_index)

    # -- selection ---------------------------------------------------------------------

    def _select(self, position: int, origin: str | None = None) -> None:
        """Make one listed item the selection: highlight both sides, diff its words,
        and scroll each pane to it (the pane the user clicked in stays put)."""
        assert self.comparison is not None
        c = self.comparison
        item = self.shown[position]
        self.position = position
        self.query_one("#items", OptionList).highlighted = position
        source_changed, rewrite_changed = [], []
        if item.kind == "alignment":
            a = c.alignments[item.index]
            source_changed = changed_words(c.source.text, a.source_spans, a, "source")
            rewrite_changed = changed_words(c.rewrite.text, a.rewrite_spans, a, "rewrite")
        panes = {"source": self.query_one("#source", TextPane), "rewrite": self.query_one("#rewrite", TextPane)}
        panes["source"].select(item.source, source_changed)
        panes["rewrite"].select(item.rewrite, rewrite_changed)
        for side, sentences in (("source", item.source), ("rewrite", item.rewrite)):
            if sentences:
                panes[side].reveal(sentences, center=side != origin)

    def _select_sentence(self, side: str, sentence: int) -> None:
        """Select the passage a sentence belongs to; a second click on a sentence that
        sits in several passages (many-to-many links) moves to the next of them."""
        if self.comparison is None:
            return
        current = self.shown[self.position] if self.position is not None else None
        holders = [k for k, i in enumerate(self.shown) if sentence in (i.source if side == "source" else i.rewrite)]
        if not holders and self.filter_key != "all":
            everything = [i for i in self.items if sentence in (i.source if side == "source" else i.rewrite)]
            if everything:
                self.filter_key = "all"
                self._refresh_list(keep=current)
                self.notify("filter cleared to show the passage you picked")
                holders = [self.shown.index(i) for i in everything]
        if not holders:
            self.position = None
            self.query_one("#items", OptionList).highlighted = None
            pane = self.query_one(f"#{side}", TextPane)
            other = self.query_one("#rewrite" if side == "source" else "#source", TextPane)
            pane.select({sentence})
            other.select(())
            pane.reveal({sentence}, center=False)
            return
        if self.position in holders:
            choice = holders[(holders.index(self.position) + 1) % len(holders)]
        else:
            choice = holders[0]
        self._select(choice, origin=side)

    def on_sentence_clicked(self, message: SentenceClicked) -> None:
        self.active_side = message.side
        self.query_one(f"#{message.side}", TextPane).focus()
        self._select_sentence(message.side, message.sentence)

    def on_descendant_focus(self, event) -> None:
        widget = event.widget
        if isinstance(widget, TextPane):
            self.active_side = widget.side

    # -- actions -----------------------------------------------------------------------

    def action_step(self, what: str, forward: bool) -> None:
        if not self.ready:
            return
        wants = {
            "alignment": lambda i: i.kind == "alignment",
            "divergent": lambda i: i.relation == "divergent",
            "unsupported": lambda i: i.kind == "unsupported",
            "omitted": lambda i: i.kind == "omitted",
        }
        found = step(self.shown, self.position, forward, wants[what])
        if found is None:
            where = "" if self.filter_key == "all" else f" (list filtered to {self.filter_key})"
            self.notify(f"no {what} passage{where}")
            return
        self._select(found)

    def action_switch_pane(self) -> None:
        if isinstance(self.focused, SearchBox):
            return
        self.active_side = "rewrite" if self.active_side == "source" else "source"
        self.query_one(f"#{self.active_side}", TextPane).focus()

    def action_details(self) -> None:
        if not self.ready or self.position is None:
            self.notify("select a passage first (n, d, u, o or a click)")
            return
        assert self.comparison is not None
        item = self.shown[self.position]
        title = f"{item.kind}: {item.relation.replace('_', ' ')}"
        self.push_screen(DetailScreen(detail_text(self.comparison, item), title))

    def action_filter(self) -> None:
        if not self.ready:
            return

        def chosen(key: str | None) -> None:
            if key is None:
                return
            self.filter_key = key
            self._refresh_list()
            if self.shown:
                self._select(0)

        self.push_screen(FilterScreen(filter_choices(self.items), self.filter_key), chosen)

    def action_sort(self) -> None:
        if not self.ready:
            return
        keep = self.shown[self.position] if self.position is not None else None
        self.sorted_by_divergence = not self.sorted_by_divergence
        self._refresh_list(keep=keep)
        self.notify("sorted by divergence" if self.sorted_by_divergence else "in reading order")

    def action_search(self) -> None:
        box = self.query_one("#search", SearchBox)
        box.display = True
        box.focus()

    def action_close_search(self) -> None:
        box = self.query_one("#search", SearchBox)
        box.display = False
        self.query_one(f"#{self.active_side}", TextPane).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search" or not self.ready:
            return
        assert self.comparison is not None
        sides = [self.active_side, "rewrite" if self.active_side == "source" else "source"]
        for side in sides:
            pane = self.query_one(f"#{side}", TextPane)
            doc = self.comparison.source if side == "source" else self.comparison.rewrite
            texts = [s.text for s in doc.sentences]
            after = pane.found if pane.found is not None else (min(pane.selected) if pane.selected else None)
            if side != self.active_side:
                after = None
            hit = find_sentences(texts, event.value, after)
            if hit is not None:
                self.active_side = side
                self._select_sentence(side, hit)
                pane.mark_found(hit)
                pane.reveal({hit})
                return
        self.notify(f"“{event.value}” is in neither text", severity="warning")

    def action_export(self) -> None:
        if not self.ready:
            self.notify("the comparison is still running")
            return
        from crosscheck.text.files import write_atomic
        from crosscheck.report.comparison_json import comparison_to_dict

        assert self.comparison is not None
        path = self.export_dir / export_name(self.comparison)
        try:
            write_atomic(path, json.dumps(comparison_to_dict(self.comparison), ensure_ascii=False, indent=2) + "\n")
        except (OSError, CrosscheckError) as exc:
            self.notify(f"{path}: {exc}", title="export failed", severity="error")
            return
        self.notify(f"wrote {path}", title="exported")
        self.last_export = path

    def action_rewrite(self, delta: int) -> None:
        if len(self.rewrites) < 2:
            return
        target = (self.rewrite_index + delta) % len(self.rewrites)
        self.query_one("#rewrites", Tabs).active = f"rw-{target}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tabs.id != "rewrites" or event.tab is None or event.tab.id is None:
            return
        index = int(event.tab.id.removeprefix("rw-"))
        if index != self.rewrite_index:
            self.filter_key = "all"
            self._open_rewrite(index)

    def action_toggle_list(self) -> None:
        options = self.query_one("#items", OptionList)
        options.display = not options.display

    def action_help(self) -> None:
        self.push_screen(HelpScreen())
