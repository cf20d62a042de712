"""Same-event clusters scored on SemEval-2022 Task 8 English pairs, threshold cross-validated.

Every article of the labelled pairs is clustered at once, as ``dedup --mode story``
clusters a corpus (``event`` level: average linkage over the story candidates). A pair
is predicted the same story when both articles land in one cluster; gold is
``overall <= 2.0``. The threshold is not fitted on the pairs it is scored on: pairs
are split into ``FOLDS`` folds, each fold is scored at the threshold that gives the
best F1 on the other folds, and the figures pool the folds' predictions.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np

from crosscheck.config import Settings
from crosscheck.dedup.linkage import average_link
from crosscheck.dedup.story import embeddings_for
from crosscheck.dedup.vectors import story_candidates, term_vectors
from crosscheck.errors import InputError
from crosscheck.model import Article

DATA = "semeval22_en_train.csv"
FOLDS = 5
GRID = tuple(round(x, 3) for x in np.arange(0.02, 0.95, 0.01))


def _read(path: Path) -> tuple[list[Article], list[tuple[int, int, bool]]]:
    if not path.is_file():
        raise InputError(path, "no such file (the SemEval-2022 Task 8 English pairs)")
    articles: list[Article] = []
    number: dict[str, int] = {}
    pairs = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ends = []
            for key, text in zip(row["pair_id"].split("_"), (row["text1"], row["text2"])):
                if key not in number:
                    number[key] = len(articles)
                    articles.append(Article(id=key, text=text))
                ends.append(number[key])
            pairs.append((min(ends), max(ends), float(row["overall"]) <= 2.0))
    return articles, pairs


def _scores(predicted: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = int((predicted & gold).sum())
    p = tp / int(predicted.sum()) if predicted.any() else 0.0
    r = tp / int(gold.sum()) if gold.any() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _same_cluster(n: int, edges: list[tuple[int, int, float]], threshold: float,
                  pairs: list[tuple[int, int, bool]]) -> np.ndarray:
    label = np.arange(n)
    for k, group in enumerate(average_link(n, edges, threshold)):
        label[group] = n + k
    return np.array([label[a] == label[b] for a, b, _ in pairs])


def evaluate(data_dir: Path, settings: Settings | None, semantic: bool) -> dict[str, float | int]:
    """Cross-validated same-event precision, recall and F1, and F1 at the configured threshold."""
    articles, pairs = _read(Path(data_dir) / DATA)
    settings = settings or Settings()
    settings = dataclasses.replace(settings, match=dataclasses.replace(settings.match, semantic="on" if semantic else "off"))
    d = settings.dedup
    tv = term_vectors([a.text for a in articles])
    vectors = embeddings_for(articles, settings) if semantic else None
    found = story_candidates(tv, vectors, [None] * len(articles), d.story_rare_share, d.story_neighbours,
                             d.story_date_window)
    edges = list(zip(found.a.tolist(), found.b.tolist(), found.similarity.tolist()))
    gold = np.array([g for _, _, g in pairs])
    by_threshold = {t: _same_cluster(len(articles), edges, t, pairs) for t in GRID}
    fold = np.arange(len(pairs)) % FOLDS
    predicted = np.zeros(len(pairs), dtype=bool)
    chosen = []
    for k in range(FOLDS):
        train = fold != k
        best = max(GRID, key=lambda t: (_scores(by_threshold[t][train], gold[train])[2], -t))
        chosen.append(best)
        predicted[~train] = by_threshold[best][~train]
    p, r, f1 = _scores(predicted, gold)
    configured = d.story_event_threshold if semantic else d.story_event_threshold_words
    at_config = _same_cluster(len(articles), edges, configured, pairs)
    return {
        "pairs": len(pairs),
        "positives": int(gold.sum()),
        "cv_precision": round(p, 4),
        "cv_recall": round(r, 4),
        "cv_f1": round(f1, 4),
        "cv_threshold_mean": round(float(np.mean(chosen)), 4),
        "cv_threshold_min": float(min(chosen)),
        "cv_threshold_max": float(max(chosen)),
        "configured_threshold": configured,
        "configured_f1": round(_scores(at_config, gold)[2], 4),
    }
