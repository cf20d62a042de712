"""The TUI in a real terminal: `crosscheck compare` under tmux, read back with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")

CROSSCHECK = Path(sys.executable).with_name("crosscheck")


class Terminal:
    """One tmux server of our own (its own socket), so no user session is touched."""

    def __init__(self, name: str) -> None:
        self.socket = f"crosscheck-test-{os.getpid()}-{name}"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return done.stdout

    def start(self, command: list[str], cwd: Path, size: tuple[int, int] = (160, 45)) -> None:
        quoted = " ".join(f"'{part}'" for part in command)
        self.tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), "-c", str(cwd),
                  f"env -u COLUMNS -u LINES TERM=xterm-256color {quoted}; sleep 30")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")

    def stop(self) -> None:
        self.tmux("kill-server")


def where(screen: str, text: str) -> tuple[int, int]:
    for row, line in enumerate(screen.splitlines()):
        if text in line:
            return row, line.index(text)
    raise AssertionError(f"{text!r} is not on screen:\n{screen}")


def test_compare_opens_both_texts_side_by_side_and_d_moves_the_source_pane(seed_path, tmp_path):
    term = Terminal("compare")
    term.start([str(CROSSCHECK), "compare", str(seed_path("001")), str(seed_path("000"))], tmp_path)
    try:
        first = term.wait_for("coverage source")
        # The transcript's opening and the report's stand next to each other: near the
        # same rows, the rewrite's in a column to the right of the source's.
        row_s, col_s = where(first, "Taking part in the meeting")
        row_r, col_r = where(first, "The Russian Government")
        assert abs(row_s - row_r) <= 3 and col_r > col_s + 30, first
        assert "CSTO summit" in first and "2022-05-16" in first
        term.tmux("send-keys", "d")
        after = term.wait_for("No problems at all")
        assert after != first
        assert "direct" in after
        # The text pane, not the passage list, holds the keys: enter opens the details.
        term.tmux("send-keys", "Enter")
        detail = term.wait_for("alignment: divergent")
        assert "qualifier_dropped" in detail
        term.tmux("send-keys", "Escape")
        deadline = time.monotonic() + 10
        while "alignment: divergent" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.2)
        term.tmux("send-keys", "q")
        deadline = time.monotonic() + 10
        while "coverage source" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "coverage source" not in term.screen(), "q did not quit"
    finally:
        term.stop()


def test_a_missing_file_is_one_line_on_stderr_before_any_screen(seed_path, tmp_path):
    done = subprocess.run(
        [str(CROSSCHECK), "compare", str(seed_path("001")), str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"{tmp_path / 'missing.txt'}: no such file or folder"]
    assert "Traceback" not in done.stderr and "\x1b[" not in done.stdout


def test_at_80x24_the_footer_keeps_its_keys_and_the_panel_says_q_quits(seed_path, tmp_path):
    term = Terminal("small")
    term.start([str(CROSSCHECK), "compare", str(seed_path("001")), str(seed_path("000"))], tmp_path, (80, 24))
    try:
        term.wait_for("coverage source")
        first = term.wait_for("\u25b6 source:")  # the focused pane's title carries a marker
        footer = first.rstrip("\n").splitlines()[-1]
        for key in ("f filter", "s sort", "/ search", "e export", "? keys", "q quit"):
            assert key in footer, f"{key!r} is not in the 80-column footer {footer!r}"
        term.tmux("send-keys", "d")
        term.wait_for("No problems at all")
        term.tmux("send-keys", "Enter")
        panel = term.wait_for("esc close q quit")  # the panel's own footer
        assert "alignment: divergent" in panel and "esc close \u00b7 q quit" in panel
        term.tmux("send-keys", "q")
        deadline = time.monotonic() + 10
        while "coverage source" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "coverage source" not in term.screen(), "q in the panel did not quit"
    finally:
        term.stop()
