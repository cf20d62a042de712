"""SVG snapshots of the TUI's main screen and detail panel on seeds 001 vs 000.

Each snapshot is stored twice in tests/snapshots/: the SVG (what a reviewer opens in
a browser) and the screen as plain text (what a diff shows when the SVG changes).
After an intended change to the screen or to the matcher, regenerate them with

    CROSSCHECK_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_tui_snapshots.py
"""

from __future__ import annotations

import asyncio
import difflib
import os
from pathlib import Path

import pytest

from crosscheck.match.compare import compare
from crosscheck.text.load import load
from crosscheck.tui.app import CrosscheckApp
from test_tui import screen_text, wait_ready

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CROSSCHECK_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture(scope="module")
def comparison(seed_path):
    return compare(load(seed_path("001")), load(seed_path("000")))


def take(comparison, keys: list[str], theme: str | None = None) -> tuple[str, str]:
    """Press keys on a fresh app and return its screen as SVG and as plain text."""
    app = CrosscheckApp(comparison.source.article, [comparison.rewrite.article], comparisons=[comparison])

    async def run() -> tuple[str, str]:
        async with app.run_test(size=(140, 40)) as pilot:
            if theme:
                app.theme = theme
            await wait_ready(app, pilot)
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            return app.export_screenshot(title="crosscheck"), screen_text(app)

    return asyncio.run(run())


def check(name: str, svg: str, text: str, tmp_path: Path) -> None:
    svg_path, text_path = SNAPSHOTS / f"{name}.svg", SNAPSHOTS / f"{name}.txt"
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        svg_path.write_text(svg, encoding="utf-8")
        text_path.write_text(text, encoding="utf-8")
        return
    if not svg_path.exists():
        pytest.fail(f"no snapshot {svg_path}; create it with CROSSCHECK_UPDATE_SNAPSHOTS=1")
    if svg_path.read_text(encoding="utf-8") == svg:
        return
    (tmp_path / f"{name}.svg").write_text(svg, encoding="utf-8")
    old = text_path.read_text(encoding="utf-8").splitlines() if text_path.exists() else []
    diff = "\n".join(difflib.unified_diff(old, text.splitlines(), "snapshot", "now", lineterm="", n=1))
    pytest.fail(
        f"the screen differs from {svg_path} (new one: {tmp_path / (name + '.svg')});"
        f" if intended, regenerate with CROSSCHECK_UPDATE_SNAPSHOTS=1\n{diff or '(only colours or styles changed)'}"
    )


def test_main_screen_after_pressing_d(comparison, tmp_path):
    svg, text = take(comparison, ["d"])
    assert "No problems at all" in text  # the source pane scrolled to the counterpart
    check("main_after_d", svg, text, tmp_path)


def test_detail_panel_of_the_first_divergent_passage(comparison, tmp_path):
    svg, text = take(comparison, ["d", "enter"])
    assert "divergences" in text and "quotes in this passage" in text
    check("detail_first_divergent", svg, text, tmp_path)


def test_main_screen_in_the_light_theme(comparison, tmp_path):
    svg_dark, _ = take(comparison, ["d"])
    svg, text = take(comparison, ["d"], theme="textual-light")
    assert svg != svg_dark
    check("main_light", svg, text, tmp_path)
