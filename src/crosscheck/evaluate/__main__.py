"""``python -m crosscheck.evaluate``: run the dev sets, print their figures, check their floors.

Figures go to stdout (a table, or one JSON object with ``--json``) and are the same
bytes on every run; notices (absent data) and timings go to stderr. Exit 1 when
``--check-floors`` finds a figure below its floor, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence

from crosscheck.errors import CrosscheckError
from crosscheck.evaluate import explain_set, load_set, set_names
from crosscheck.evaluate.common import data_dir
from crosscheck.evaluate.floors import broken, load_floors, mode_name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crosscheck.evaluate", description="Score crosscheck on the dev data sets.")
    parser.add_argument("--set", dest="sets", default="all", help=f"one of {', '.join(set_names())}, or all (default: all present)")
    parser.add_argument("--semantic", choices=("on", "off"), default="off", help="use the embedding model (default off: words only)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--check-floors", action="store_true", help="exit 1 naming every figure below its floor in floors.yaml")
    parser.add_argument("--explain", action="store_true", help="also print one line per item a set got wrong (seeds, csto, ectsum)")
    parser.add_argument("--data", default=None, help="the dev data folder (default $CROSSCHECK_DEV_DATA, else <repo>/../shared/dev)")
    return parser


def format_value(value: float | int) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else f"{value:.3f}"


def table(name: str, mode: str, figures: Mapping[str, float | int]) -> str:
    width = max((len(k) for k in figures), default=0)
    lines = [f"== {name} ({mode}) =="]
    lines += [f"{key:<{width}}  {format_value(value):>8}" for key, value in figures.items()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = set_names() if args.sets == "all" else tuple(args.sets.split(","))
    for name in names:
        try:
            load_set(name)
        except ValueError as error:
            print(f"--set: {error}", file=sys.stderr)
            return 2
    semantic = args.semantic == "on"
    folder = data_dir(args.data)
    if not folder.is_dir():
        print(f"{folder}: no dev data folder here; every set skipped (give --data DIR or set CROSSCHECK_DEV_DATA)", file=sys.stderr)
    results: dict[str, dict[str, float | int] | None] = {}
    failures: list[str] = []
    explained: dict[str, list[str]] = {}
    for name in names:
        started = time.perf_counter()
        try:
            result = explain_set(name, folder, None, semantic)
        except CrosscheckError as error:
            print(f"{name}: {error}", file=sys.stderr)
            return 2
        except (OSError, ValueError, KeyError, TypeError) as error:
            # Damaged or unexpected data: one line naming the set and the problem, no traceback.
            print(f"{folder}: {name}: unreadable data ({type(error).__name__}: {error})", file=sys.stderr)
            return 2
        figures, mistakes = result if result is not None else (None, [])
        results[name] = figures
        if figures is None:
            print(f"{name}: data absent under {folder}, skipped", file=sys.stderr)
            continue
        elapsed = time.perf_counter() - started
        unit = getattr(load_set(name), "UNIT", None)
        per = f", {1000 * elapsed / figures[unit]:.0f} ms per item of {unit!r}" if unit and figures.get(unit) else ""
        print(f"{name}: {elapsed:.1f} s{per}", file=sys.stderr)
        if args.check_floors:
            failures += [f"{name} ({mode_name(semantic)}): {line}" for line in broken(load_floors(name, semantic), figures)]
        if args.explain:
            explained[name] = mistakes
        if not args.json:
            for line in mistakes if args.explain else ():
                print(f"{name}: {line}")
            print(table(name, mode_name(semantic), figures), flush=True)
    if args.json:
        shown = {k: None if v is None else {f: round(x, 4) if isinstance(x, float) else x for f, x in v.items()} for k, v in results.items()}
        document: dict[str, object] = {"mode": mode_name(semantic), "sets": shown}
        if args.explain:
            document["mistakes"] = explained
        print(json.dumps(document, indent=1, ensure_ascii=False))
    for line in failures:
        print(f"below floor: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
