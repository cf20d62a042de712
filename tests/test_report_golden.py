"""Golden files: the Markdown and CSV report of the seeds, reviewed as diffs when they change.

Run with ``UPDATE_GOLDEN=1`` to rewrite tests/golden/ after a deliberate change, then
read the diff before committing it. The seeds are matched with sentence embeddings
(skipped when the semantic extra is missing) so that 004's links to 001 show.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crosscheck.config import Settings
from crosscheck.errors import MissingExtraError
from crosscheck.report import render, report

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def seeds_report(seeds_dir):
    settings = Settings()
    settings = settings.with_values({"match.semantic": "on"})
    try:
        return report([seeds_dir], settings=settings)
    except MissingExtraError as exc:
        pytest.skip(f"semantic matching unavailable: {exc}")


def _relative(text: str, seeds_dir: Path) -> str:
    return text.replace(str(seeds_dir), "seeds")


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_the_seeds_report_matches_its_golden_file(seeds_report, seeds_dir, fmt):
    got = _relative(render(seeds_report, fmt), seeds_dir)
    path = GOLDEN / f"seeds_report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8"), f"{path.name} changed: review, then UPDATE_GOLDEN=1"
