"""Fit the link model (crosscheck.match.linkmodel) on every kind of dev data at once.

Fitted on: ECTSum val (bullet -> the transcript lines holding all its figures), STS-B
train (>= 3.6 a link, <= 1.6 not), and the verbatim-reuse corpus of
``reuse_corpus.py`` (built with another seed than the benchmark's). Each set weighs
the same in the fit, whatever its size. Leave-one-set-out cross-validation says how
the decision holds on a kind of data it was not fitted on. csto_rewrites EN (hand
gold, ~40 links) is never fitted on: it is only the check, read with the final fit,
whose coefficients go into ``MatchSettings``.

    PYTHONPATH=src python benchmarks/fit_link.py [--semantic] [--ectsum N]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuse_corpus import SHARED, as_document, build  # noqa: E402

from crosscheck.config.settings import Settings  # noqa: E402
from crosscheck.match.align import features  # noqa: E402
from crosscheck.match.linkmodel import FEATURES, LEXICAL_FEATURES, pair_features  # noqa: E402
from crosscheck.match.score import Idf  # noqa: E402
from crosscheck.model import Span  # noqa: E402
from crosscheck.text.prepare import prepare  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV = SHARED / "dev"
BENCH = SHARED / "bench"
SEED = ROOT / "seeds" / "001_501dcf1e5442c15e.txt"
CACHE = Path("/tmp/cc_link/emb")
HARD_NEGATIVES = 8


class CachedEmbedder:
    """The project's embedder with a disk cache, so refits do not re-embed."""

    def __init__(self, inner):
        self.inner = inner
        CACHE.mkdir(parents=True, exist_ok=True)

        self.memo: dict[str, np.ndarray] = {}

    def prefetch(self, texts):
        """Embed many short texts in one batch (one call per pair is slow)."""
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            key = hashlib.sha1("\n\x00".join(missing).encode()).hexdigest()
            path = CACHE / f"batch-{key}.npy"
            vectors = np.load(path) if path.exists() else self.inner.embed(missing)
            np.save(path, vectors)
            self.memo.update(zip(missing, vectors))

    def embed(self, texts):
        if texts and all(t in self.memo for t in texts):
            return np.stack([self.memo[t] for t in texts])
        key = hashlib.sha1("\n\x00".join(texts).encode()).hexdigest()
        path = CACHE / f"{key}.npy"
        if path.exists():
            return np.load(path)
        vectors = self.inner.embed(texts)
        np.save(path, vectors)
        return vectors


def find(text: str, needle: str) -> Span | None:
    pattern = r"\s+".join(re.escape(p) for p in needle.strip().split())
    pattern = pattern.replace("'", "['\u2019\u2018]").replace('"', '["\u201c\u201d\u00ab\u00bb]')
    m = re.search(pattern, text)
    return Span(m.start(), m.end()) if m else None


def overlapping(doc, span: Span) -> list[int]:
    return [s.index for s in doc.sentences if s.span.overlap(span) > 0]


def pair_rows(src_doc, rw_doc, settings, embedder, labels):
    """Feature rows of the labelled (rewrite, source) pairs of one document pair."""
    src = features(src_doc, settings, embedder)
    rw = features(rw_doc, settings, embedder)
    idf = Idf.fit([*src.words, *rw.words])
    sem = None if embedder is None else rw.embeddings @ src.embeddings.T
    f = pair_features(rw.words, src.words, idf, settings.match.candidate_cutoff, sem)
    x = f.stacked(FEATURES)
    # The decision is taken on each sentence's best candidates: train on those (and
    # every gold pair), not on thousands of pairs that share no word at all.
    near = f.values["cosine"] + f.values["fuzzy"]
    top = {(i, int(j)) for i in range(near.shape[0]) for j in np.argsort(-near[i])[:HARD_NEGATIVES]}
    rows, ys = [], []
    for (i, j), y in labels.items():
        if y or (i, j) in top:
            rows.append((*x[i, j], _GROUP[0] * 10_000 + i))
            ys.append(y)
    _GROUP[0] += 1
    return rows, ys


_GROUP = [0]  # numbers each document pair, so a row knows its rewrite sentence


def csto(settings, embedder):
    gold = yaml.safe_load((DEV / "csto_rewrites" / "gold.yaml").read_text())
    source = prepare(str(SEED), settings)
    rows, ys = [], []
    for art in gold["articles"]:
        path = DEV / "csto_rewrites" / art["file"]
        doc = prepare(str(path), settings)
        labels = {}
        if art["role"] == "distractor":
            labels = {(i, j): 0 for i in range(len(doc.sentences)) for j in range(len(source.sentences))}
        elif art["lang"] == "en" and art.get("in_window", True):
            for s in art.get("sentences", []):
                if s.get("boilerplate"):
                    continue
                span = find(doc.text, s["text"])
                if span is None:
                    continue
                positives = set()
                for text in s.get("source_sentences") or []:
                    sspan = find(source.text, text)
                    if sspan:
                        positives.update(overlapping(source, sspan))
                for i in overlapping(doc, span):
                    for j in range(len(source.sentences)):
                        labels[(i, j)] = int(j in positives)
        if labels:
            r, y = pair_rows(source, doc, settings, embedder, labels)
            rows += r
            ys += y
    return rows, ys


_FIGURE = re.compile(r"(?<![A-Za-z0-9.])\$?(\d[\d,]*(?:\.\d+)?)(?![A-Za-z0-9])")


def figures(line: str) -> set[str]:
    out = set()
    for m in _FIGURE.finditer(line):
        raw = m.group(1).replace(",", "")
        if "." in raw:
            raw = raw.rstrip("0").rstrip(".")
        if raw.isdigit() and 1990 <= int(raw) <= 2030:
            continue
        out.add(raw)
    return out


def ectsum(settings, embedder, calls):
    base = DEV / "ectsum_val"
    names = sorted(p.name for p in (base / "ects").iterdir())
    names = random.Random(7).sample(names, min(calls, len(names)))
    rows, ys = [], []
    for name in sorted(names):
        lines = (base / "ects" / name).read_text().splitlines()
        bullets = (base / "gt_summaries" / name).read_text().splitlines()
        src_doc = prepare("\n\n".join(lines), settings)
        rw_doc = prepare("\n\n".join(bullets), settings)
        by_para_src = {}
        for s in src_doc.sentences:
            by_para_src.setdefault(s.paragraph, []).append(s.index)
        labels = {}
        for s in rw_doc.sentences:
            if s.paragraph >= len(bullets):
                continue
            f = figures(bullets[s.paragraph])
            if not f:
                continue
            gold_lines = {k for k, line in enumerate(lines) if f <= figures(line)}
            if not gold_lines:
                continue
            for t in src_doc.sentences:
                labels[(s.index, t.index)] = int(t.paragraph in gold_lines)
        if labels:
            r, y = pair_rows(src_doc, rw_doc, settings, embedder, labels)
            rows += r
            ys += y
    return rows, ys


def stsb(settings, embedder, n=800):
    rows_in = []
    for line in (BENCH / "sts-train.csv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 7:
            try:
                rows_in.append((float(parts[4]), parts[5], parts[6]))
            except ValueError:
                continue
    rng = random.Random(3)
    picked = [r for r in rng.sample(rows_in, n) if r[0] >= 3.6 or r[0] <= 1.6]
    if embedder is not None:
        embedder.prefetch([prepare(t, settings).sentences[0].norm for r in picked for t in r[1:] if prepare(t, settings).sentences])
    rows, ys = [], []
    for score, a, b in picked:
        src_doc, rw_doc = prepare(a, settings), prepare(b, settings)
        if len(src_doc.sentences) != 1 or len(rw_doc.sentences) != 1:
            continue
        r, y = pair_rows(src_doc, rw_doc, settings, embedder, {(0, 0): int(score >= 3.6)})
        rows += r
        ys += y
    return rows, ys


def reuse(settings, embedder, cases=30):
    rows, ys = [], []
    for case in build(cases=cases, seed=114):  # not the benchmark's seed
        src_doc = prepare(as_document(case.source), settings)
        rw_doc = prepare(as_document(case.suspicious), settings)
        labels = {}
        for s in rw_doc.sentences:
            for t in src_doc.sentences:
                labels[(s.index, t.index)] = int((s.paragraph, t.paragraph) in case.gold)
        r, y = pair_rows(src_doc, rw_doc, settings, embedder, labels)
        rows += r
        ys += y
    return rows, ys


def fit(x, y, w, l2=1e-3, steps=50):
    """L2-regularised logistic regression by Newton's method; returns intercept first."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ beta)))
        grad = xb.T @ (w * (p - y)) + l2 * np.r_[0, beta[1:]]
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + l2 * np.diag(np.r_[0, np.ones(len(beta) - 1)])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def weights_for(sets, names):
    """Each set weighs one in total, its positives half of that."""
    out = []
    for name in names:
        y = sets[name][1]
        pos = max(1, y.sum())
        neg = max(1, len(y) - y.sum())
        out.append(np.where(y == 1, 0.5 / pos, 0.5 / neg))
    return np.concatenate(out)


def prf(p, y, groups, threshold):
    """The aligner's decision: each rewrite sentence links its most probable source
    sentence when that probability reaches the threshold. Precision over the linked
    sentences that have gold, recall over the sentences with a gold link; the
    sentences without gold count as false links when linked."""
    order = np.lexsort((-p, groups))
    first = np.r_[True, groups[order][1:] != groups[order][:-1]]
    best = order[first]
    has_gold = {g for g, yy in zip(groups, y) if yy == 1}
    linked = best[p[best] >= threshold]
    right = sum(1 for k in linked if y[k] == 1)
    return right / max(1, len(linked)), right / max(1, len(has_gold))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--semantic", action="store_true")
    ap.add_argument("--ectsum", type=int, default=40)
    args = ap.parse_args()
    settings = Settings()
    embedder = None
    if args.semantic:
        from crosscheck.semantic.bridge import embedder_for

        embedder = CachedEmbedder(embedder_for(settings))
    names = FEATURES if args.semantic else LEXICAL_FEATURES
    cols = [FEATURES.index(n) for n in names]
    sets = {}
    for name, load in (("csto", lambda: csto(settings, embedder)), ("ectsum", lambda: ectsum(settings, embedder, args.ectsum)),
                       ("stsb", lambda: stsb(settings, embedder)), ("reuse", lambda: reuse(settings, embedder))):
        rows, ys = load()
        arr = np.array(rows)
        sets[name] = (arr[:, cols], np.array(ys), arr[:, -1].astype(np.int64))
        print(f"{name}: {len(ys)} pairs, {int(np.sum(ys))} links", flush=True)
    all_names = [n for n in sets if n != "csto"]  # csto is the check, never fitted on
    print("leave-one-set-out: sentence-level precision / recall on the held-out set")
    thresholds = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    for held in all_names:
        train = [n for n in all_names if n != held]
        beta = fit(np.vstack([sets[n][0] for n in train]), np.concatenate([sets[n][1] for n in train]), weights_for(sets, train))
        x, y, g = sets[held]
        p = 1 / (1 + np.exp(-(beta[0] + x @ beta[1:])))
        print(f"  {held}: " + "  ".join("{:.1f}: {:.2f}/{:.2f}".format(t, *prf(p, y, g, t)) for t in thresholds))
    beta = fit(np.vstack([sets[n][0] for n in all_names]), np.concatenate([sets[n][1] for n in all_names]), weights_for(sets, all_names))
    print("with the final fit (csto: held out):")
    for name in [*all_names, "csto"]:
        x, y, g = sets[name]
        p = 1 / (1 + np.exp(-(beta[0] + x @ beta[1:])))
        print(f"  {name}: " + "  ".join("{:.1f}: {:.2f}/{:.2f}".format(t, *prf(p, y, g, t)) for t in thresholds))
    print("fit on all sets:", ", ".join(f"{v:.3f}" for v in beta))
    print("  terms:", ["intercept", *names])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
