"""Settings from plain mappings: type checks that name the key, did-you-mean on a typo.

The one way settings are built from outside values (a config file, a CLI flag, a
library caller's dotted keys) is :func:`settings_from_dict`, which checks every type
here and every value with :func:`crosscheck.config.limits.check_settings`.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import inspect
import types
import typing
from typing import Any

from crosscheck.config.limits import on_off_spelling, shown
from crosscheck.config.settings import Settings
from crosscheck.errors import ConfigError


def _plural(name: str) -> str:
    """"a string" -> "strings", for "a list of strings"."""
    for article in ("a ", "an "):
        if name.startswith(article):
            return name[len(article):] + "s"
    return name


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
    if origin in (list, tuple):
        return f"a list of {_plural(_type_name(typing.get_args(tp)[0]))}"
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
    elif origin in (list, tuple):
        item_tp = typing.get_args(tp)[0]
        if isinstance(value, (list, tuple)):
            return tuple(_coerce(v, item_tp, f"{key}[{i}]") for i, v in enumerate(value))
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
        value = on_off_spelling(dotted, value)
        if dataclasses.is_dataclass(tp):
            values[key] = _build(tp, value if value is not None else {}, f"{dotted}.")
        else:
            values[key] = _coerce(value, tp, dotted)
    return cls(**values)


def settings_from_dict(data: dict[str, Any] | None) -> Settings:
    """Build validated settings from a mapping shaped like ``config.yaml``."""
    return _build(Settings, data or {}, "")  # Settings checks its values as it is made


def as_dict(obj: Any) -> Any:
    """Settings (or one section) as plain mappings and lists, the shape ``config.yaml`` has."""
    if dataclasses.is_dataclass(obj):
        return {f.name: as_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: as_dict(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return [as_dict(v) for v in obj]
    return obj


def changed(settings: Settings, values: dict[str, Any]) -> Settings:
    """``settings`` with the dotted keys in ``values`` set, checked as a config file is."""
    data = as_dict(settings)
    for dotted, value in values.items():
        section, _, name = dotted.partition(".")
        if not name or section not in data or not isinstance(data[section], dict):
            raise ConfigError(dotted, "not a setting (expected section.name)")
        data[section][name] = as_dict(value)
    return settings_from_dict(data)
