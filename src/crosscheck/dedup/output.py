"""Dedup results as JSON (``crosscheck.clusters/1``), CSV (one row per member) or text."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crosscheck.dedup.run import DedupResult

FORMATS = ("text", "json", "csv")
# What each cluster kind means to a user, from the closest relation to the loosest.
LEVELS = {"near": "copy", "version": "version", "event": "event"}


def as_dict(result: DedupResult) -> dict:
    """The documented JSON shape: schema, clusters with members and pairs, article count."""
    from crosscheck.dedup.run import SCHEMA

    data: dict = {
        "schema": SCHEMA,
        "clusters": [
            {
                "id": c.id,
                "kind": c.kind,
                "level": LEVELS.get(c.kind, c.kind),
                "reason": c.reason,
                "members": list(c.members),
                "representative": c.representative,
                "pairs": [{"a": p.a, "b": p.b, "similarity": p.similarity, "why": p.why} for p in c.pairs],
            }
            for c in result.clusters
        ],
        "articles": result.articles,
    }
    if result.indexed or result.already_indexed:
        data["index"] = {"added": result.indexed, "already_indexed": list(result.already_indexed)}
    if result.skipped:
        data["skipped"] = list(result.skipped)
    return data


def render_json(result: DedupResult) -> str:
    return json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"


def render_csv(result: DedupResult) -> str:
    """One row per (cluster, member): easy to join back onto a corpus table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["cluster", "kind", "article", "representative", "size"])
    for c in result.clusters:
        for member in c.members:
            writer.writerow([c.id, c.kind, member, int(member == c.representative), len(c.members)])
    return out.getvalue()


def render_text(result: DedupResult) -> str:
    """A short human summary: each cluster, its representative first, and why."""
    counts = {kind: sum(1 for c in result.clusters if c.kind == kind) for kind in LEVELS}
    lines = [f"{result.articles} articles: {counts['near']} near-duplicate clusters (copies), "
             f"{counts['version']} version clusters, {counts['event']} same-event clusters"]
    if result.indexed or result.already_indexed:
        lines.append(f"index: {result.indexed} added, {len(result.already_indexed)} already indexed (skipped)")
    for c in result.clusters:
        lines.append("")
        lines.append(f"{c.id} ({LEVELS.get(c.kind, c.kind)}, {len(c.members)} articles)")
        if c.reason:
            lines.append(f"  {c.reason}")
        lines.append(f"  * {c.representative}")
        for member in c.members:
            if member != c.representative:
                lines.append(f"    {member}")
        for p in c.pairs:
            lines.append(f"    {p.a} ~ {p.b}: {p.similarity:.2f} ({p.why})")
    for problem in result.skipped:
        lines.append(f"skipped: {problem}")
    return "\n".join(lines) + "\n"


def render(result: DedupResult, fmt: str) -> str:
    if fmt == "json":
        return render_json(result)
    if fmt == "csv":
        return render_csv(result)
    return render_text(result)
