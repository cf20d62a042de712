"""One article as a scrollable pane of marked sentences, drawn line by line.

A 20,000-word transcript has a thousand sentences; a widget per sentence would make
startup and every resize slow. ``TextPane`` is a Line API widget instead: it wraps
each sentence once per width, keeps a table from screen line to sentence, and
renders only the lines on screen. Selecting a passage restyles just its sentences.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from crosscheck.model import Document, Span
from crosscheck.tui.messages import SentenceClicked
from crosscheck.tui.view import MARKS

GUTTER = 3  # selection bar, marker symbol, space

_KINDS = tuple(MARKS)


# Starts the title of the pane that has the keys (the border colour says it too).
FOCUS_MARK = "▶ "

class TextPane(ScrollView, can_focus=True):
    """The sentences of one document, each with a gutter marker, soft-wrapped."""

    COMPONENT_CLASSES = {
        "textpane--selected",
        "textpane--dropped",
        "textpane--added",
        "textpane--found",
        "textpane--plain",
        *(f"textpane--{kind}" for kind in _KINDS),
    }

    BINDINGS = [
        Binding("down,j", "move(1)", "next sentence", show=False),
        Binding("up,k", "move(-1)", "previous sentence", show=False),
    ]

    DEFAULT_CSS = """
    TextPane { overflow-x: hidden; }
    """

    def __init__(self, side: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.side = side
        self.document: Document | None = None
        self.marks: dict[int, str] = {}
        self.selected: frozenset[int] = frozenset()
        self.changed: tuple[Span, ...] = ()
        self.found: int | None = None
        self._width = 0
        self._lines: list[tuple[int | None, int]] = []  # (sentence or None for a gap, k-th line)
        self._first_line: dict[int, int] = {}
        self._rendered: dict[int, list[Strip]] = {}

    # -- content -----------------------------------------------------------------

    @property
    def heading(self) -> str:
        """The pane's title without the focus marker."""
        return getattr(self, "_heading", "")

    @heading.setter
    def heading(self, text: str) -> None:
        self._heading = text
        self._retitle()

    def _retitle(self, focused: bool | None = None) -> None:
        """Mark the focused pane in its title too, for terminals without colour."""
        focused = self.screen.focused is self if focused is None else focused
        self.border_title = (FOCUS_MARK if focused else "") + self.heading

    def on_focus(self) -> None:
        self._retitle(True)

    def on_blur(self) -> None:
        self._retitle(False)

    def show(self, document: Document, marks: dict[int, str]) -> None:
        """Replace the document on display."""
        self.document = document
        self.marks = marks
        self.selected = frozenset()
        self.changed = ()
        self.found = None
        self._width = 0
        self.scroll_to(y=0, animate=False)
        self._layout()

    def select(self, sentences: Collection[int], changed: Sequence[Span] = ()) -> None:
        """Highlight these sentences and, inside them, the words the diff changed."""
        touched = set(self.selected) | set(sentences)
        if self.found is not None:
            touched.add(self.found)
        self.selected = frozenset(sentences)
        self.changed = tuple(changed)
        self.found = None
        self._forget(touched)

    def mark_found(self, sentence: int | None) -> None:
        """Underline the sentence a search landed on."""
        touched = {k for k in (self.found, sentence) if k is not None}
        self.found = sentence
        self._forget(touched)

    def _forget(self, sentences: Collection[int]) -> None:
        for k in sentences:
            self._rendered.pop(k, None)
        self.refresh()

    def line_of(self, sentence: int) -> int | None:
        return self._first_line.get(sentence)

    def sentence_at(self, line: int) -> int | None:
        """The sentence drawn on a content line (counting from the top of the text)."""
        if 0 <= line < len(self._lines):
            return self._lines[line][0]
        return None

    def lines_of(self, sentences: Collection[int]) -> tuple[int, int] | None:
        """First and last content line covered by these sentences."""
        firsts = [self._first_line[k] for k in sentences if k in self._first_line]
        if not firsts:
            return None
        last = max(sentences, key=lambda k: self._first_line.get(k, -1))
        return min(firsts), self._first_line[last] + self._height_of(last) - 1

    def reveal(self, sentences: Collection[int], center: bool = True, animate: bool = False) -> None:
        """Scroll so that these sentences are on screen (their top near the middle)."""
        bounds = self.lines_of(sentences)
        if bounds is None:
            return
        top, bottom = bounds
        height = max(1, self.scrollable_content_region.height)
        if not center and self.scroll_y <= top and bottom < self.scroll_y + height:
            return
        target = top - max(0, (height - (bottom - top + 1)) // 2) if center else top - 1
        self.scroll_to(y=max(0, target), animate=animate, immediate=not animate)

    def visible_sentences(self) -> list[int]:
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        seen: list[int] = []
        for k in range(top, min(len(self._lines), top + height)):
            s = self._lines[k][0]
            if s is not None and (not seen or seen[-1] != s):
                seen.append(s)
        return seen

    # -- layout ------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER)

    def _layout(self) -> None:
        """Wrap every sentence at the current width and rebuild the line table."""
        doc = self.document
        self._rendered.clear()
        self._lines = []
        self._first_line = {}
        if doc is None:
            self.virtual_size = Size(0, 0)
            return
        width = self._text_width()
        self._width = width
        console = self.app.console
        paragraph = None
        for sentence in doc.sentences:
            if paragraph is not None and sentence.paragraph != paragraph:
                self._lines.append((None, 0))
            paragraph = sentence.paragraph
            n = len(Text(sentence.text).wrap(console, width))
            self._first_line[sentence.index] = len(self._lines)
            self._lines.extend((sentence.index, k) for k in range(max(1, n)))
        self.virtual_size = Size(width + GUTTER, len(self._lines))
        self.refresh()

    def _height_of(self, sentence: int) -> int:
        start = self._first_line[sentence]
        k = start
        while k < len(self._lines) and self._lines[k][0] == sentence:
            k += 1
        return k - start

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """Re-wrap if the width changed, keeping the top sentence in view."""
        if self.document is None or self._text_width() == self._width:
            return
        anchor = self.visible_sentences()[:1]
        self._layout()
        if anchor:
            self.scroll_to(y=self._first_line[anchor[0]], animate=False, immediate=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rendered.clear()

    # -- drawing -----------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"textpane--{name}", partial=True)

    def _styled(self, index: int) -> Text:
        assert self.document is not None
        sentence = self.document.sentences[index]
        kind = self.marks.get(index)
        text = Text(sentence.text)
        if kind is None:
            text.stylize(self._style("plain"))
        if index == self.found:
            text.stylize(self._style("found"))
        if index in self.selected:
            text.stylize(self._style("selected"))
            word_style = self._style("dropped" if self.side == "source" else "added")
            base = sentence.span.start
            for span in self.changed:
                if sentence.span.start <= span.start and span.end <= sentence.span.end:
                    text.stylize(word_style, span.start - base, span.end - base)
        return text

    def _strips(self, index: int) -> list[Strip]:
        if index in self._rendered:
            return self._rendered[index]
        console = self.app.console
        kind = self.marks.get(index)
        is_selected = index in self.selected
        bar = Segment("▌" if is_selected else " ", self._style("selected") if is_selected else Style())
        mark_style = self._style(kind) if kind else Style()
        base = self.rich_style
        strips = []
        lines = self._styled(index).wrap(console, self._width)
        for k, line in enumerate(lines):
            symbol = MARKS.get(kind or "", " ") if k == 0 else " "
            line.pad_right(self._width - line.cell_len)
            if is_selected:
                line.stylize(self._style("selected"))
            segments = [bar, Segment(symbol, mark_style), Segment(" ")]
            segments += list(line.render(console))
            strips.append(Strip(segments).apply_style(base))
        self._rendered[index] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        scroll_y = round(self.scroll_y)
        width = self.scrollable_content_region.width
        if self.document is not None and self._text_width() != self._width:
            # The text was laid out before the pane had its final size (a comparison
            # can arrive before the first layout): wrap again before drawing.
            self._relayout()
        k = scroll_y + y
        if k >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        sentence, row = self._lines[k]
        if sentence is None:
            return Strip.blank(width, self.rich_style)
        strips = self._strips(sentence)
        strip = strips[row] if row < len(strips) else Strip.blank(width, self.rich_style)
        return strip.crop_extend(0, width, self.rich_style)

    # -- keys and mouse ----------------------------------------------------------

    def action_move(self, delta: int) -> None:
        """Select the sentence after (or before) the selection in this pane."""
        if self.document is None or not self.document.sentences:
            return
        if self.selected:
            base = max(self.selected) if delta > 0 else min(self.selected)
            target = base + delta
        else:
            visible = self.visible_sentences()
            target = visible[0] if visible else 0
        target = min(max(target, 0), len(self.document.sentences) - 1)
        self.post_message(SentenceClicked(self.side, target))

    # -- mouse -------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        sentence = self.sentence_at(round(self.scroll_y) + offset.y)
        if sentence is not None:
            self.post_message(SentenceClicked(self.side, sentence))
