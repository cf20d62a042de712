"""Settings files: YAML read safely (a key given twice is refused), and the shipped template."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

from crosscheck.config.schema import as_dict, field_docs, settings_from_dict
from crosscheck.config.settings import Settings
from crosscheck.errors import ConfigError, InputError


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
        "# Pass another file with --config PATH. Generated from src/crosscheck/config/settings.py",
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
            value = as_dict(getattr(defaults, f.name))
            if isinstance(value, dict):
                lines.append(f"  {f.name}:")
                for key, item in value.items():
                    lines.append(f"    {key}: {_yaml_value(item)}")
            else:
                lines.append(f"  {f.name}: {_yaml_value(value)}")
    return "\n".join(lines) + "\n"

