"""The evaluation command: crosscheck's figures on every dev set, and the floors they must hold.

``python -m crosscheck.evaluate --set NAME`` runs one set (``--set all``: every set
whose data is present). A set is a module of this package named after it that
exposes ``DATA`` (its path under the dev data folder, used to detect presence) and
``evaluate(data_dir, settings, semantic) -> dict[str, float | int]``; it is loaded
by name, so adding ``evaluate/semeval.py`` adds ``--set semeval`` with no other change.
A module may also define ``present(data_dir) -> bool`` when presence is more than one
path, ``UNIT`` (the figure that counts its items) for a time per item on stderr, and
``explain(data_dir, settings, semantic) -> (figures, lines)`` for ``--explain``: the
same figures and one line per item it got wrong.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

# Modules of this package that are not evaluation sets.
HELPERS = frozenset({"common", "floors", "__main__"})


def set_names() -> tuple[str, ...]:
    """Every evaluation set this package holds, sorted."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in HELPERS and not m.name.startswith("_")))


def load_set(name: str) -> ModuleType:
    """The module of set ``name``; ValueError names the sets when there is no such set."""
    if name not in set_names():
        raise ValueError(f"no evaluation set {name!r}; sets: {', '.join(set_names())}")
    return importlib.import_module(f"crosscheck.evaluate.{name}")


def is_present(module: ModuleType, data_dir: Path) -> bool:
    """Whether the set's data is in ``data_dir``."""
    check = getattr(module, "present", None)
    if check is not None:
        return bool(check(data_dir))
    return (data_dir / module.DATA).exists()


def run_set(name: str, data_dir: Path, settings: Any = None, semantic: bool = False) -> dict[str, float | int] | None:
    """The figures of set ``name``, or None when its data is absent."""
    module = load_set(name)
    if not is_present(module, data_dir):
        return None
    return dict(module.evaluate(data_dir, settings, semantic))


def explain_set(name: str, data_dir: Path, settings: Any = None, semantic: bool = False) -> tuple[dict[str, float | int], list[str]] | None:
    """The figures of set ``name`` and its mistakes (none listed when the set cannot say), or None when absent."""
    module = load_set(name)
    if not is_present(module, data_dir):
        return None
    if not hasattr(module, "explain"):
        return dict(module.evaluate(data_dir, settings, semantic)), []
    figures, lines = module.explain(data_dir, settings, semantic)
    return dict(figures), list(lines)
