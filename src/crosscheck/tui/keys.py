"""The main screen's keys, in the order the footer shows them."""

from __future__ import annotations

from textual.binding import Binding

# Footer order is importance order: at 80 columns the footer keeps the keys up to
# `q quit`; the rest stay listed under `?`.
APP_BINDINGS = [
    Binding("n", "step('alignment', True)", "next"),
    Binding("N", "step('alignment', False)", "prev", show=False),
    Binding("d", "step('divergent', True)", "divergent"),
    Binding("D", "step('divergent', False)", "prev divergent", show=False),
    Binding("enter", "details", "details"),
    Binding("f", "filter", "filter"),
    Binding("s", "sort", "sort"),
    Binding("slash", "search", "search"),
    Binding("e", "export", "export"),
    Binding("question_mark", "help", "keys"),
    Binding("q", "quit", "quit"),
    Binding("u", "step('unsupported', True)", "unsupported"),
    Binding("o", "step('omitted', True)", "omitted"),
    Binding("tab", "switch_pane", "pane", priority=True, show=False),  # the ▶ title marks the pane
    Binding("right_square_bracket", "rewrite(1)", "next rewrite", show=False),
    Binding("left_square_bracket", "rewrite(-1)", "prev rewrite", show=False),
    Binding("l", "toggle_list", "list", show=False),
]
