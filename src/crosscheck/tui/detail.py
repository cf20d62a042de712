"""The detail panel: everything crosscheck knows about one passage, and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from crosscheck.model import Alignment, Comparison, QuoteCheck
from crosscheck.tui.view import Item


def quotes_in(c: Comparison, a: Alignment) -> list[QuoteCheck]:
    """The checked quotes of the rewrite that stand inside this alignment's sentences."""
    mine = set(a.rewrite_sentences)
    out = []
    for q in c.quotes:
        inside = set(q.quote.sentence_indices) & mine or any(
            s.start <= q.quote.span.start < s.end for s in a.rewrite_spans
        )
        if inside:
            out.append(q)
    return out


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(f"“{w}”" for w in words)


def _passage(c: Comparison, side: str, indices: tuple[int, ...]) -> str:
    doc = c.source if side == "source" else c.rewrite
    return " … ".join(doc.sentences[k].text for k in indices)


def detail_text(c: Comparison, item: Item) -> Text:
    """The panel's content for an item, as plain words with light styling.

    Every fact is written out in words, so the panel reads the same without colour.
    """
    out = Text()
    if item.kind != "alignment":
        where = "rewrite" if item.kind == "unsupported" else "source"
        index = (item.rewrite or item.source)[0]
        out.append(f"{item.mark} {item.kind}", style="bold")
        out.append(f"  ({where} sentence {index})\n\n")
        out.append(_passage(c, where, (index,)) + "\n\n")
        if item.kind == "unsupported":
            out.append("No passage of the source carries this statement.\n")
        else:
            weight = c.omitted[item.index].weight
            out.append(f"The rewrite leaves this out. Weight in the source: {weight:.2f}\n")
        return out
    a = c.alignments[item.index]
    out.append(f"{item.mark} {a.relation.replace('_', ' ')}", style="bold")
    out.append(f"   similarity {a.similarity:.2f}   divergence {a.divergence:.2f}")
    out.append(f"   lexical {a.score.lexical:.2f}")
    if a.score.semantic is not None:
        out.append(f"   semantic {a.score.semantic:.2f}")
    out.append("\n\n")
    out.append(f"source (sentences {', '.join(map(str, a.source_sentences))})\n", style="bold")
    out.append(_passage(c, "source", a.source_sentences) + "\n\n")
    out.append(f"rewrite (sentences {', '.join(map(str, a.rewrite_sentences))})\n", style="bold")
    out.append(_passage(c, "rewrite", a.rewrite_sentences) + "\n\n")
    out.append("divergences\n", style="bold")
    if not a.types:
        out.append("  none found\n")
    for d in a.types:
        out.append(f"  • {d.type}", style="bold")
        if d.source_words:
            out.append(f"  source {_words(d.source_words)}")
        if d.rewrite_words:
            out.append(f"  rewrite {_words(d.rewrite_words)}")
        if d.note:
            out.append(f"  ({d.note})")
        out.append("\n")
    quotes = quotes_in(c, a)
    out.append("\nquotes in this passage\n", style="bold")
    if not quotes:
        out.append("  none\n")
    for q in quotes:
        speaker = f" ({q.quote.speaker})" if q.quote.speaker else ""
        out.append(f"  • {q.verdict}", style="bold")
        out.append(f"{speaker}  similarity {q.similarity:.2f}  {q.quote.text}\n")
    out.append("\nword diff\n", style="bold")
    for op in a.diff:
        if op.op == "equal":
            out.append(op.source_text + " ")
            continue
        if op.source_text:
            out.append(f"[-{op.source_text}-]", style="strike")
            out.append(" ")
        if op.rewrite_text:
            out.append(f"{{+{op.rewrite_text}+}}", style="bold underline")
            out.append(" ")
    out.append("\n")
    return out


class DetailScreen(ModalScreen[None]):
    """A panel over the comparison; escape or enter closes it, q quits the app (as
    on the main screen), and the panel's own footer says so."""

    BINDINGS = [
        Binding("escape", "dismiss", "close"),
        Binding("enter", "dismiss", "close", show=False),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, content: Text, title: str) -> None:
        super().__init__()
        self.content = content
        self.panel_title = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(self.content, id="detail-body")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        box = self.query_one("#detail", VerticalScroll)
        box.border_title = self.panel_title
        box.border_subtitle = "esc close · q quit"
        box.focus()

