"""User stories for the side-by-side TUI, played with Textual's Pilot on the seeds.

The comparison is the real matcher's on seeds 001 (the Kremlin transcript) and 000
(a Spanish-language report rewritten in English); the gold says 000's "does not
create a threat" is a divergent rendering of 001's "no direct threat", and 000's
sentence on the UN vote has no source.
"""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from rich.console import Console

from crosscheck.match.compare import compare
from crosscheck.errors import InputError
from crosscheck.text.load import load
from crosscheck.tui import run_app
from crosscheck.tui.app import CrosscheckApp
from crosscheck.tui.panes import TextPane

SIZE = (150, 42)


@pytest.fixture(scope="module")
def seeds(seed_path):
    """Articles 001 (source), 000 and 004 (rewrites), and 001 vs 000 compared."""
    source, rewrite, other = (load(seed_path(k)) for k in ("001", "000", "004"))
    return source, rewrite, other, compare(source, rewrite)


def screen_text(app: CrosscheckApp) -> str:
    """What the terminal shows, as plain text (no colour), for assertions."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def wait_ready(app: CrosscheckApp, pilot) -> None:
    for _ in range(400):
        if app.ready:
            break
        await pilot.pause(0.02)
    assert app.ready, "the comparison never reached the screen"
    await pilot.pause()
    # Under load the footer can be painted a frame after the panes: wait for it too.
    for _ in range(200):
        if screen_text(app).rstrip("\n").splitlines()[-1].strip():
            break
        await pilot.pause(0.02)


def play(app: CrosscheckApp, story) -> None:
    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await wait_ready(app, pilot)
            await story(pilot)

    asyncio.run(run())


def divergent_direct(comparison):
    """The alignment the gold calls divergent: 'no direct threat' → 'does not create a threat'."""
    return next(
        k
        for k, a in enumerate(comparison.alignments)
        if "does not create a threat" in comparison.rewrite.text[a.rewrite_spans[0].start : a.rewrite_spans[-1].end]
    )


def app_for(seeds, tmp_path=None, with_other=False) -> CrosscheckApp:
    source, rewrite, other, comparison = seeds
    rewrites = [rewrite, other] if with_other else [rewrite]
    cached = [comparison, None] if with_other else [comparison]
    return CrosscheckApp(source, rewrites, comparisons=cached, export_dir=tmp_path)


def test_pressing_d_from_the_start_selects_the_first_divergent_passage_and_scrolls_the_source_to_it(seeds):
    app = app_for(seeds)
    comparison = seeds[3]

    async def story(pilot) -> None:
        source_pane = app.query_one("#source", TextPane)
        assert source_pane.scroll_y == 0
        await pilot.press("d")
        await pilot.pause()
        item = app.shown[app.position]
        assert item.relation == "divergent"
        first_divergent = min(
            (a.rewrite_sentences[0], k) for k, a in enumerate(comparison.alignments) if a.relation == "divergent"
        )[1]
        assert item.index == first_divergent
        # The counterpart sits far down the transcript: the source pane scrolled to it.
        top = source_pane.line_of(min(item.source))
        assert top > source_pane.size.height
        assert source_pane.scroll_y <= top < source_pane.scroll_y + source_pane.size.height
        assert source_pane.selected == set(item.source)
        assert app.query_one("#rewrite", TextPane).selected == set(item.rewrite)

    play(app, story)


def test_enter_shows_qualifier_dropped_with_the_word_direct(seeds):
    app = app_for(seeds)
    target = divergent_direct(seeds[3])

    async def story(pilot) -> None:
        for _ in range(len(app.shown)):
            if app.position is not None and app.shown[app.position].index == target:
                break
            await pilot.press("n")
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "qualifier_dropped" in shown
        assert "source “direct”" in shown
        assert "similarity" in shown and "divergence" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "qualifier_dropped" not in screen_text(app)

    play(app, story)


def test_filtering_to_unsupported_shows_the_un_vote_sentence_of_000(seeds):
    app = app_for(seeds)

    async def story(pilot) -> None:
        await pilot.press("f")
        await pilot.pause()
        picker = app.screen.query_one("#filter-list")
        keys = [picker.get_option_at_index(k).id for k in range(picker.option_count)]
        picker.highlighted = keys.index("unsupported")
        await pilot.press("enter")
        await pilot.pause()
        assert app.filter_key == "unsupported"
        assert {i.kind for i in app.shown} == {"unsupported"}
        texts = [i.text for i in app.shown]
        assert any("abstained" in t and "UN Assembly" in t for t in texts)
        # The first unsupported sentence is selected and visible in the rewrite pane.
        un_vote = next(k for k, i in enumerate(app.shown) if "UN Assembly" in i.text)
        await pilot.press(*["u"] * ((un_vote - app.position) % len(app.shown)))
        await pilot.pause()
        assert "abstained from their vote" in screen_text(app)
        assert "UN Assembly" in app.shown[app.position].text

    play(app, story)


def test_the_word_diff_strikes_direct_in_the_source_of_the_selected_pair(seeds):
    app = app_for(seeds)
    comparison = seeds[3]
    target = divergent_direct(comparison)

    async def story(pilot) -> None:
        position = next(k for k, i in enumerate(app.shown) if i.kind == "alignment" and i.index == target)
        app._select(position)
        await pilot.pause()
        source_pane = app.query_one("#source", TextPane)
        dropped = {comparison.source.text[s.start : s.end] for s in source_pane.changed}
        added = {comparison.rewrite.text[s.start : s.end] for s in app.query_one("#rewrite", TextPane).changed}
        assert "direct" in dropped and "problems" not in dropped
        assert {"create", "not"} <= added

    play(app, story)


def test_clicking_a_rewrite_sentence_selects_its_counterpart_in_the_source(seeds):
    app = app_for(seeds)
    comparison = seeds[3]
    target = divergent_direct(comparison)
    sentence = comparison.alignments[target].rewrite_sentences[0]

    async def story(pilot) -> None:
        rewrite_pane = app.query_one("#rewrite", TextPane)
        line = rewrite_pane.line_of(sentence)
        await pilot.click("#rewrite", offset=(6, 1 + line - round(rewrite_pane.scroll_y)))
        await pilot.pause()
        assert app.shown[app.position].index == target
        assert app.query_one("#source", TextPane).selected == set(comparison.alignments[target].source_sentences)
        assert app.focused is rewrite_pane

    play(app, story)


def test_navigation_keys_step_through_alignments_and_flagged_sentences(seeds):
    app = app_for(seeds)

    async def story(pilot) -> None:
        await pilot.press("n")
        assert app.shown[app.position].kind == "alignment" and app.position == 0
        await pilot.press("n", "N")
        assert app.position == 0
        await pilot.press("o")
        assert app.shown[app.position].kind == "omitted"
        await pilot.press("u")
        assert app.shown[app.position].kind == "unsupported"
        await pilot.press("D")
        assert app.shown[app.position].relation == "divergent"
        await pilot.press("tab")
        assert app.focused is app.query_one("#rewrite", TextPane)
        await pilot.press("tab")
        assert app.focused is app.query_one("#source", TextPane)

    play(app, story)


def test_s_sorts_the_list_most_divergent_first(seeds):
    app = app_for(seeds)

    async def story(pilot) -> None:
        await pilot.press("s")
        await pilot.pause()
        alignments = [i for i in app.shown if i.kind == "alignment"]
        assert [i.divergence for i in alignments] == sorted((i.divergence for i in alignments), reverse=True)
        assert app.shown[0].relation == "divergent"

    play(app, story)


def test_search_finds_a_phrase_and_selects_its_passage(seeds):
    app = app_for(seeds)

    async def story(pilot) -> None:
        await pilot.press("slash")
        await pilot.press(*"infernal sanctions")
        await pilot.press("enter")
        await pilot.pause()
        rewrite_pane = app.query_one("#rewrite", TextPane)
        assert rewrite_pane.found is not None
        assert "infernal sanctions" in app.comparison.rewrite.sentences[rewrite_pane.found].text
        await pilot.press("escape")
        assert not app.query_one("#search").display

    play(app, story)


def test_e_exports_the_comparison_as_json_and_says_where(seeds, tmp_path):
    app = app_for(seeds, tmp_path)

    async def story(pilot) -> None:
        await pilot.press("e")
        await pilot.pause()
        written = list(tmp_path.glob("*.json"))
        assert len(written) == 1
        data = json.loads(written[0].read_text(encoding="utf-8"))
        assert data["schema"] == "crosscheck.comparison/1"
        assert len(data["alignments"]) == len(seeds[3].alignments)
        messages = [n.message for n in app._notifications]
        assert any(str(written[0]) in m for m in messages)

    play(app, story)


def test_question_mark_shows_the_keys(seeds):
    app = app_for(seeds)

    async def story(pilot) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        shown = screen_text(app)
        assert "next / previous divergent alignment" in shown and "? unsupported" in shown
        await pilot.press("escape")

    play(app, story)


def test_the_summary_bar_counts_relations_and_says_whether_semantic_mode_ran(seeds):
    app = app_for(seeds)
    c = seeds[3]

    async def story(pilot) -> None:
        shown = screen_text(app)
        assert f"! {c.summary.counts.get('divergent', 0)} divergent" in shown
        assert f"? {len(c.unsupported)} unsupported" in shown
        assert ("semantic: on" if c.summary.semantic else "semantic: off") in shown
        assert "source: CSTO summit" in shown

    play(app, story)


def test_a_second_rewrite_is_compared_in_a_worker_when_its_tab_is_chosen(seeds):
    app = app_for(seeds, with_other=True)

    async def story(pilot) -> None:
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await wait_ready(app, pilot)
        assert app.rewrite_index == 1
        assert app.comparison.rewrite.id.startswith("004")
        assert app.comparison.alignments, "004 quotes the transcript; something must align"
        await pilot.press("left_square_bracket")
        await wait_ready(app, pilot)
        assert app.comparison is seeds[3]

    play(app, story)


def test_a_missing_file_is_an_error_before_the_app_starts(seed_path, tmp_path):
    from crosscheck.config import Settings

    with pytest.raises(InputError, match="no such file"):
        run_app(seed_path("001"), [tmp_path / "nope.txt"], Settings())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    with pytest.raises(InputError):
        run_app(bad, [seed_path("000")], Settings())
