"""What the TUI tells a user about its keys and focus, played with Pilot on seeds 001 and 000.

The footer is the only key list most users read, so it must hold the everyday keys
at 80x24 and say what `q` does inside the detail panel; which pane has the keys must
read without colour; a step that lands where it stood must say so.
"""

from __future__ import annotations

import asyncio

import pytest

from crosscheck.match.compare import compare
from crosscheck.text.load import load
from crosscheck.tui.app import CrosscheckApp
from crosscheck.tui.panes import FOCUS_MARK
from crosscheck.tui.view import filter_choices, items_of

from test_tui import screen_text, wait_ready


@pytest.fixture(scope="module")
def pair(seed_path):
    source, rewrite = load(seed_path("001")), load(seed_path("000"))
    return source, rewrite, compare(source, rewrite)


def _play(pair, size, story):
    source, rewrite, comparison = pair
    app = CrosscheckApp(source, [rewrite], comparisons=[comparison])

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await wait_ready(app, pilot)
            await story(app, pilot)

    asyncio.run(run())
    return app


def _footer(app: CrosscheckApp) -> str:
    return screen_text(app).rstrip("\n").splitlines()[-1]


def test_at_80x24_the_footer_keeps_the_everyday_keys_through_quit(pair):
    seen = {}

    async def story(app, pilot):
        seen["footer"] = _footer(app)

    _play(pair, (80, 24), story)
    footer = seen["footer"]
    for key in ("n next", "d divergent", "details", "f filter", "s sort", "/ search", "e export", "? keys", "q quit"):
        assert key in footer, f"{key!r} dropped from the 80-column footer: {footer!r}"


def test_the_detail_panel_footer_says_esc_closes_and_q_quits(pair):
    seen = {}

    async def story(app, pilot):
        await pilot.press("d", "enter")
        await pilot.pause()
        seen["screen"] = screen_text(app)
        seen["footer"] = _footer(app)
        await pilot.press("escape")
        await pilot.pause()
        seen["closed"] = screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        seen["panel again"] = "alignment: divergent" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        seen["exit code"] = app.return_code

    _play(pair, (120, 40), story)
    assert "alignment: divergent" in seen["screen"]
    assert "esc close" in seen["footer"] and "q quit" in seen["footer"], seen["footer"]
    assert "esc close · q quit" in seen["screen"]
    assert "alignment: divergent" not in seen["closed"]
    assert seen["panel again"] and seen["exit code"] is not None, "q in the panel did not quit"


def test_the_focused_pane_is_marked_in_its_title_not_only_by_colour(pair):
    seen = []

    def titles(app):
        lines = [line for line in screen_text(app).splitlines() if "source:" in line and "rewrite:" in line]
        return lines[0]

    async def story(app, pilot):
        seen.append(titles(app))
        await pilot.press("tab")
        await pilot.pause()
        seen.append(titles(app))

    _play(pair, (150, 42), story)
    first, second = seen
    assert f"{FOCUS_MARK}source:" in first and f"{FOCUS_MARK}rewrite:" not in first
    assert f"{FOCUS_MARK}rewrite:" in second and f"{FOCUS_MARK}source:" not in second


def test_d_over_a_one_item_filter_says_it_is_the_only_one(pair):
    _, _, comparison = pair
    items = items_of(comparison)
    lone = next(key for key, label in filter_choices(items) if key.startswith("type:") and label.endswith("(1)")
                and any(i.relation == "divergent" and key[5:] in i.types for i in items))
    seen = {}

    async def story(app, pilot):
        app.filter_key = lone
        app._refresh_list()
        await pilot.press("d")
        await pilot.pause()
        before = [n.message for n in app._notifications]
        await pilot.press("d")
        await pilot.pause()
        seen["new"] = [n.message for n in app._notifications][len(before):]
        seen["position"] = app.position

    _play(pair, (150, 42), story)
    assert seen["position"] == 0
    assert seen["new"] == [f"this is the only divergent passage (list filtered to {lone})"]
