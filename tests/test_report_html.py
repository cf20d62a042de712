"""The HTML report opened in headless Chromium: side-by-side passages render, hostile text stays text."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.report import render, report

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

HOSTILE = '<script>document.title="pwned"</script> "><img src=x onerror="document.body.dataset.pwned=1">'


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--virtual-time-budget=3000", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=90)


@pytest.fixture(scope="module")
def html_report(tmp_path_factory, seed_path):
    folder = tmp_path_factory.mktemp("html")
    text = seed_path("000").read_text(encoding="utf-8").replace("In this way, Russia", f"In this way, {HOSTILE} Russia")
    (folder / "000_hostile.txt").write_text(text, encoding="utf-8")
    settings = Settings()
    settings = settings.with_values({"match.semantic": "off"})
    page = folder / "report.html"
    result = report([folder], source=seed_path("001"), settings=settings)
    page.write_text(render(result, "html"), encoding="utf-8")
    return page, result


def test_the_page_renders_source_and_rewrite_side_by_side(html_report, tmp_path):
    from html import escape

    from crosscheck.report.common import rewrite_text, source_text

    html_report, result = html_report
    done = _chromium(tmp_path, "--dump-dom", html_report.as_uri())
    dom = done.stdout
    assert 'data-ready="yes"' in dom, "the page's script ran"
    first = dom.index('id="rank-1"')
    item = dom[first : dom.index("</details>", first)]
    assert 'class="source"' in item and 'class="rewrite"' in item
    assert re.search(r"<del>[^<]+</del>", item) and re.search(r"<ins>[^<]+</ins>", item)
    top = result.ranking[0]
    assert escape(source_text(result, top), quote=False) in item
    assert escape(rewrite_text(result, top), quote=False) in item

    shot = tmp_path / "report.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", html_report.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1600)
    assert len(data) > 30_000, "a blank page compresses to a few kilobytes"


def test_article_markup_shows_as_text_and_never_runs(html_report, tmp_path):
    html_report, _ = html_report
    source = html_report.read_text(encoding="utf-8")
    assert "<script>document.title" not in source and "<img src=x" not in source
    assert "&lt;script&gt;document.title" in source
    dom = _chromium(tmp_path, "--dump-dom", html_report.as_uri()).stdout
    assert "data-pwned" not in dom
    assert "<title>crosscheck report</title>" in dom
    assert "&lt;img src=x onerror=" in dom
