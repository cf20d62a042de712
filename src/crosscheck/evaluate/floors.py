"""Floors: the least each figure may score, per set and per mode, read from ``floors.yaml``.

A floor is ``{min: x}`` (the figure must be at least x) or ``{max: x}`` (at most x,
for false-alarm rates). Floors sit a little below the measured figures and are raised
by whoever improves a figure; lowering one needs a reason in the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

FLOORS_FILE = Path(__file__).with_name("floors.yaml")


@dataclass(frozen=True)
class Floor:
    figure: str
    bound: str  # "min" or "max"
    value: float

    def holds(self, got: float) -> bool:
        return got >= self.value if self.bound == "min" else got <= self.value

    def describe(self, got: float | None) -> str:
        sign = ">=" if self.bound == "min" else "<="
        shown = "missing" if got is None else f"{got:.3f}"
        return f"{self.figure} = {shown}, floor {sign} {self.value:.3f}"


def mode_name(semantic: bool) -> str:
    return "semantic" if semantic else "words"


def load_floors(set_name: str, mode: bool | str, path: Path = FLOORS_FILE) -> list[Floor]:
    """The floors of one set in one mode (none when the file names none).

    ``mode`` is True / False for semantic on / off, or a block name such as the
    ``words.first80`` of a fixed subset the tests run.
    """
    import yaml

    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    block = mode if isinstance(mode, str) else mode_name(mode)
    entries = (table.get(set_name) or {}).get(block) or {}
    floors = []
    for figure, bound in entries.items():
        ((kind, value),) = bound.items()
        if kind not in ("min", "max"):
            raise ValueError(f"{path}: {set_name}.{figure}: expected min or max, got {kind}")
        floors.append(Floor(figure, kind, float(value)))
    return floors


def broken(floors: list[Floor], figures: Mapping[str, float | int]) -> list[str]:
    """One line per figure that is missing or on the wrong side of its floor."""
    lines = []
    for floor in floors:
        got = figures.get(floor.figure)
        if got is None or not floor.holds(float(got)):
            lines.append(floor.describe(None if got is None else float(got)))
    return lines
