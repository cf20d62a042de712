"""One way for every benchmark to state a figure together with the settings behind it.

``figure(...)`` prints a line a person reads (the value, its unit, and the settings
in brackets) and, when ``benchmarks/run_all.py`` runs the script, also appends the
figure as one JSON line to the file named by ``CROSSCHECK_BENCH_FIGURES``, which
``run_all.py`` turns into its table. A figure without its settings (semantic on or
off, workers, hash, corpus size) cannot be compared with another, so they are
required.
"""

from __future__ import annotations

import json
import os
from typing import Any

FIGURES_ENV = "CROSSCHECK_BENCH_FIGURES"


def settings_of(settings: Any, *keys: str) -> dict[str, Any]:
    """The values of dotted settings keys (``"match.semantic"``) of a Settings object."""
    out = {}
    for key in keys:
        value: Any = settings
        for part in key.split("."):
            value = getattr(value, part)
        out[key] = value
    return out


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def figure(what: str, value: float | int | str, unit: str = "", **settings: Any) -> None:
    """State one measured figure and the settings it was measured with."""
    if not settings:
        raise ValueError(f"{what}: a figure needs the settings it was measured with")
    shown = ", ".join(f"{k}={v}" for k, v in sorted(settings.items()))
    print(f"{what}: {_shown(value)} {unit}".rstrip() + f"   [{shown}]", flush=True)
    target = os.environ.get(FIGURES_ENV)
    if target:
        record = {"what": what, "value": value, "unit": unit, "settings": settings}
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, sort_keys=True, default=str) + "\n")
