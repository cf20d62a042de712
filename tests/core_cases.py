"""What the tests of dedup's compiled core share: the core itself (they skip where it was
not built), the wrappers pointed at it, and the texts they run on."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from crosscheck.dedup import lsh, minhash, shingle

core = pytest.importorskip(
    "crosscheck.dedup._sketchcore",
    reason="the compiled core is not built (setup.py build_ext --inplace, or pip install -e .)",
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
BENCH = SHARED / "bench"
DISABLED = os.environ.get("CROSSCHECK_NO_COMPILED_CORE", "").strip() not in ("", "0")


@pytest.fixture(autouse=True, scope="module")
def core_in_reach():
    """The compiled wrappers work here even under CROSSCHECK_NO_COMPILED_CORE=1."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shingle, "_CORE", core)
        patch.setattr(minhash, "_CORE", core)
        patch.setattr(lsh, "_CORE", core)
        yield


def seed_bodies() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def bench_sentences() -> list[str]:
    out = []
    with (BENCH / "msr_paraphrase_train.txt").open(encoding="utf-8-sig") as f:
        next(f)
        out += [s for line in f for s in line.rstrip("\n").split("\t")[3:5]]
    for name in ("sts-train.csv", "sts-dev.csv"):
        with (BENCH / name).open(encoding="utf-8") as f:
            out += [s for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) for s in row[5:7]]
    return out


needs_bench = pytest.mark.skipif(
    not (BENCH / "msr_paraphrase_train.txt").is_file() or not (BENCH / "sts-train.csv").is_file(),
    reason=f"{BENCH} not found (the shared bench data stands beside the repo)",
)


SEPARATORS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
EDGE_TEXTS = [
    "",
    " ",
    SEPARATORS,
    SEPARATORS * 3 + "word" + SEPARATORS,
    "one",
    "two words",
    "a b c d",
    "x",
    "x ",
    " x",
    "".join(f"w{i}{sep}" for i, sep in enumerate(SEPARATORS)),
    # Words around the 8-byte chunks: 7, 8, 9, 15, 16, 17, 23, 24, 25 and 64 bytes.
    " ".join("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?"[:n] for n in (7, 8, 9, 15, 16, 17, 23, 24, 25, 64)),
    "abcdefgh",
    "abcdefghijklmnop",
    "abcdefghijklmnopqrstuvwx",
    "a abcdefghi",
    "abcdefghijklmnopq a",
    # Bytes below 0x21 that are not separators stay inside words.
    "ctrl\x00nul \x01start end\x7f mid\x1bdle \x0e\x0f\x10 \x08",
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00 \x01",
    "путин заявил что одкб «играет стабилизирующую роль»",
    "\u201cquoted\u201d \u2018single\u2019 \u2014 dash\u2026",
    "emoji 😀 🇺🇦 👩‍👩‍👧 mixed😀text ‹›",
    "été λόγος 中文字符串 한국어",
    "\u00a0nbsp\u00a0is\u00a0not\u00a0an\u00a0ascii\u00a0space \u2003em",
    "the same five words here the same five words here",
]
