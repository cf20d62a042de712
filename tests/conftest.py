"""Shared fixtures: the seed articles and the hand-made gold judgements about them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).parent
SEEDS = TESTS.parent / "seeds"
GOLD = TESTS / "gold"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The folder of the five seed articles."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_path():
    """The path of a seed by its three-digit key: ``seed_path("001")``."""

    def find(key: str) -> Path:
        (path,) = SEEDS.glob(f"{key}_*.txt")
        return path

    return find


@pytest.fixture(scope="session")
def gold():
    """A gold file by name, parsed: ``gold("boilerplate")`` reads tests/gold/boilerplate.yaml."""
    cache: dict[str, object] = {}

    def read(name: str):
        if name not in cache:
            cache[name] = yaml.safe_load((GOLD / f"{name}.yaml").read_text(encoding="utf-8"))
        return cache[name]

    return read
