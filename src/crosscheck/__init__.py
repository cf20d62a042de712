"""crosscheck: line up what a source said with how each outlet rewrote it.

The library is the product; the CLI and the TUI are thin layers over it::

    import crosscheck
    comparison = crosscheck.compare("seeds/001_....txt", "seeds/000_....txt")
    for link in comparison.alignments:
        print(link.relation, [d.type for d in link.types])

Names are imported on first use, so ``import crosscheck`` stays light and never
imports the terminal UI. The pipeline functions share their names with the modules
or folders that hold them (``crosscheck.dedup`` the function lives in
``crosscheck/dedup/run.py``); the package keeps those names for the functions.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": "crosscheck.text.load",
    "load_articles": "crosscheck.text.load",
    "iter_articles": "crosscheck.text.load",
    "prepare": "crosscheck.text.prepare",
    "prepare_many": "crosscheck.text.prepare",
    "compare": "crosscheck.match.compare",
    "compare_many": "crosscheck.match.compare",
    "Matcher": "crosscheck.match.compare",
    "score": "crosscheck.match.score",
    "report": "crosscheck.report",
    "dedup": "crosscheck.dedup.run",
    "Settings": "crosscheck.config",
    "load_settings": "crosscheck.config",
    "CrosscheckError": "crosscheck.errors",
    "InputError": "crosscheck.errors",
    "ConfigError": "crosscheck.errors",
    "Article": "crosscheck.model",
    "Document": "crosscheck.model",
    "Comparison": "crosscheck.model",
    "PairScore": "crosscheck.model",
    "Alignment": "crosscheck.model",
}
# Exported functions that share their name with a module or package of ours.
_SHADOWED = frozenset(name for name, module in _EXPORTS.items() if f".{name}" in module)

__all__ = sorted(_EXPORTS)


class _Package(types.ModuleType):
    """Importing ``crosscheck.compare`` must not replace the function ``compare``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'crosscheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
