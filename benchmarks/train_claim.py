"""Train the claim-strength classifier and write its weights; report cross-validated figures.

    PYTHONPATH=src python benchmarks/train_claim.py            # CV report, then write weights
    PYTHONPATH=src python benchmarks/train_claim.py --no-write # CV report only

Reads ../shared/dev/claim_strength/annotated_{pubmed,eureka}.csv (5,135 labelled sentences;
Yu, Li and Wang 2019; Yu et al. 2020). Multinomial logistic regression with an L2 penalty over
``crosscheck.match.claim.features`` (word unigrams, bigrams, lexicon cue features), fitted by
full-batch Adam in plain numpy. The L2 strength is chosen inside each outer fold by an inner
3-fold split, so the 5-fold figures are not tuned on their own test folds. Baselines: the
training fold's majority label, and ``claim.rule_level`` (cue phrases only). Only weights are
written (``src/crosscheck/match/lexicons/claim_weights.json``), never a sentence.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

from crosscheck.match.claim import LABELS, features, rule_level

HERE = Path(__file__).resolve().parents[1]
OUT = HERE / "src" / "crosscheck" / "match" / "lexicons" / "claim_weights.json"
L2_GRID = (1e-4, 3e-4, 1e-3)
MIN_COUNT = 3
PRUNE = 0.05  # weights below this (in every class) are dropped, in CV as in the shipped file
ITERATIONS = 300
SEED = 0


def dev_folder() -> Path:
    for root in (HERE.parent / "shared" / "dev", HERE.parent.parent / "shared" / "dev"):
        if (root / "claim_strength").is_dir():
            return root / "claim_strength"
    raise SystemExit("../shared/dev/claim_strength not found: the training data is absent")


def load() -> tuple[list[str], np.ndarray, list[str]]:
    texts, labels, sources = [], [], []
    folder = dev_folder()
    for name in ("annotated_pubmed.csv", "annotated_eureka.csv"):
        with open(folder / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["sentence"])
                labels.append(int(row["label"]))
                sources.append(name.split("_")[1].split(".")[0])
    return texts, np.array(labels), sources


def folds(labels: np.ndarray, groups: list[str], k: int, seed: int) -> list[np.ndarray]:
    """Stratified by label and source file, deterministic."""
    rng = np.random.default_rng(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    keys = sorted({(int(y), g) for y, g in zip(labels, groups)})
    for key in keys:
        members = np.array([i for i, (y, g) in enumerate(zip(labels, groups)) if (int(y), g) == key])
        rng.shuffle(members)
        for j, i in enumerate(members):
            out[j % k].append(int(i))
    return [np.array(sorted(f)) for f in out]


class Design:
    """A binary design matrix as (row, column) index pairs: sentences are short and sparse."""

    def __init__(self, feats: list[list[str]], vocab: dict[str, int]):
        rows, cols = [], []
        for i, names in enumerate(feats):
            for name in names:
                j = vocab.get(name)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        self.rows, self.cols = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        self.n, self.d = len(feats), len(vocab)

    def times(self, w: np.ndarray) -> np.ndarray:
        return np.stack([np.bincount(self.rows, w[self.cols, k], self.n) for k in range(w.shape[1])], 1)

    def transpose_times(self, g: np.ndarray) -> np.ndarray:
        return np.stack([np.bincount(self.cols, g[self.rows, k], self.d) for k in range(g.shape[1])], 1)


def vocabulary(feats: list[list[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for names in feats:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    kept = sorted(n for n, c in counts.items() if c >= MIN_COUNT)
    return {n: i for i, n in enumerate(kept)}


def fit(x: Design, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    k = len(LABELS)
    w, b = np.zeros((x.d, k)), np.zeros(k)
    onehot = np.eye(k)[y]
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, ITERATIONS + 1):
        z = x.times(w) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) / x.n
        g_w = x.transpose_times(g) + l2 * w
        g_b = g.sum(axis=0)
        for param, grad, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return w, b


def predict(x: Design, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.argmax(x.times(w) + b, axis=1)


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    scores = []
    for k in range(len(LABELS)):
        tp = int(((p == k) & (y == k)).sum())
        fp = int(((p == k) & (y != k)).sum())
        fn = int(((p != k) & (y == k)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def train_eval(feats, y, train, test, l2) -> np.ndarray:
    vocab = vocabulary([feats[i] for i in train])
    w, b = fit(Design([feats[i] for i in train], vocab), y[train], l2)
    w[np.abs(w).max(axis=1) < PRUNE] = 0.0
    return predict(Design([feats[i] for i in test], vocab), w, b)


def choose_l2(feats, y, groups, train) -> float:
    inner = folds(y[train], [groups[i] for i in train], 3, SEED + 1)
    best = (-1.0, L2_GRID[0])
    for l2 in L2_GRID:
        preds, golds = [], []
        for f in inner:
            held = train[f]
            rest = np.setdiff1d(train, held)
            preds.append(train_eval(feats, y, rest, held, l2))
            golds.append(y[held])
        score = macro_f1(np.concatenate(golds), np.concatenate(preds))
        best = max(best, (score, l2))
    return best[1]


def report(name: str, y: np.ndarray, p: np.ndarray, groups: list[str]) -> dict:
    acc = float((y == p).mean())
    out = {"accuracy": round(acc, 3), "macro_f1": round(macro_f1(y, p), 3)}
    for source in sorted(set(groups)):
        mask = np.array([g == source for g in groups])
        out[f"macro_f1_{source}"] = round(macro_f1(y[mask], p[mask]), 3)
    print(f"{name:<22} accuracy {out['accuracy']:.3f}  macro-F1 {out['macro_f1']:.3f}  "
          + "  ".join(f"{k[9:]} {v:.3f}" for k, v in out.items() if k.startswith("macro_f1_")))
    return out


def confusion(y: np.ndarray, p: np.ndarray) -> list[list[int]]:
    return [[int(((y == a) & (p == b)).sum()) for b in range(len(LABELS))] for a in range(len(LABELS))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="report only; keep the weights")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    texts, y, groups = load()
    feats = [features(t) for t in texts]
    outer = folds(y, groups, 5, SEED)
    model_pred, major_pred, chosen = np.zeros_like(y), np.zeros_like(y), []
    for f in outer:
        train = np.setdiff1d(np.arange(len(y)), f)
        l2 = choose_l2(feats, y, groups, train)
        chosen.append(l2)
        model_pred[f] = train_eval(feats, y, train, f, l2)
        major_pred[f] = np.bincount(y[train]).argmax()
    rule_pred = np.array([rule_level(t) for t in texts])
    print(f"{len(y)} sentences, labels {np.bincount(y).tolist()}; 5-fold CV, L2 per fold {chosen}")
    figures = {
        "majority": report("majority baseline", y, major_pred, groups),
        "cue_rule": report("cue-phrase rule", y, rule_pred, groups),
        "model": report("logistic regression", y, model_pred, groups),
    }
    print("confusion (rows gold, columns predicted):", confusion(y, model_pred))
    if not args.no_write:
        l2 = float(np.median(chosen))
        vocab = vocabulary(feats)
        w, b = fit(Design(feats, vocab), y, l2)
        names = sorted(vocab, key=vocab.get)
        keep = [i for i in range(len(names)) if np.abs(w[i]).max() >= PRUNE]
        OUT.write_text(json.dumps({
            "about": "claim-strength logistic regression; rebuilt by benchmarks/train_claim.py "
                     "from ../shared/dev/claim_strength (weights only, no sentences)",
            "labels": list(LABELS), "l2": l2, "cv": figures,
            "features": [names[i] for i in keep],
            "weights": [[round(float(v), 3) for v in w[i]] for i in keep],
            "bias": [round(float(v), 4) for v in b],
        }, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(HERE)}: {len(keep)} features, {OUT.stat().st_size // 1024} KiB")
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
