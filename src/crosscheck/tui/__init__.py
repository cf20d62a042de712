"""The terminal UI: a source and its rewrites side by side (the only textual importer).

``run_app`` reads every file before the app starts, so a missing file or a bad
encoding is a one-line error, never a traceback inside the terminal; the matcher
then runs in a worker while the app is already on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crosscheck.config import Settings


def run_app(source_path: str | Path, rewrite_paths: Sequence[str | Path], settings: Settings) -> int:
    """Load the articles (raising CrosscheckError on bad input), then run the app."""
    from crosscheck.text.load import load

    source = load(source_path, settings)
    rewrites = [load(path, settings) for path in rewrite_paths]
    from crosscheck.tui.app import CrosscheckApp

    app = CrosscheckApp(source, rewrites, settings)
    result = app.run()
    return int(result or 0)


__all__ = ["run_app"]
