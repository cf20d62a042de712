"""Claim strength: the shipped classifier, its cross-validated record and held-out InSciOut."""

from __future__ import annotations

import csv
import json
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from crosscheck.evaluate.common import data_dir as dev_data_dir
from crosscheck.match.claim import LABELS, claim, claim_strength, passage_claim, rule_level

ROOT = Path(__file__).resolve().parents[1]


DEV = dev_data_dir()
WEIGHTS = json.loads(resources.files("crosscheck.match").joinpath(
    "lexicons", "claim_weights.json").read_text("utf-8"))


@pytest.mark.parametrize(
    "sentence, label",
    [
        ("Low income is associated with a higher risk of depression.", "correlational"),
        ("Coffee drinking was linked to a lower risk of stroke.", "correlational"),
        ("Smokers were more likely to develop lung cancer.", "correlational"),
        ("Low income increases the risk of depression.", "direct_causal"),
        ("Coffee drinking lowers the risk of stroke.", "direct_causal"),
        ("Low income may increase the risk of depression.", "conditional_causal"),
        ("Exercise could help prevent dementia.", "conditional_causal"),
        ("We recruited 300 patients from two hospitals.", "no_claim"),
    ],
)
def test_hand_written_sentences(sentence, label):
    assert claim_strength(sentence) == label


def test_correlation_turned_into_causation_is_stronger():
    before = claim("Eating fish is associated with better memory in older adults.")
    after = claim("Eating fish improves memory in older adults.")
    hedged = claim("Eating fish may improve memory in older adults.")
    assert before.level < hedged.level < after.level
    assert before.strength < hedged.strength < after.strength


def test_claim_carries_probabilities_and_cues():
    c = claim("Low income may increase the risk of depression.")
    assert c.label in LABELS and c.level == LABELS.index(c.label)
    assert abs(sum(c.probabilities) - 1.0) < 1e-9 and c.score == max(c.probabilities)
    assert "may" in c.cues and "increase" in c.cues
    assert claim("Low income may increase the risk of depression.") == c  # deterministic


def test_passage_claim_takes_the_strongest_sentence():
    text = "We followed 2,000 adults for ten years. Regular exercise reduces the risk of dementia."
    assert passage_claim(text).label == "direct_causal"
    assert passage_claim("We followed 2,000 adults for ten years.").label == "no_claim"


def test_rule_baseline():
    assert rule_level("X is associated with Y.") == 1
    assert rule_level("X may increase Y.") == 2
    assert rule_level("X increases Y.") == 3
    assert rule_level("We measured X.") == 0


def test_weights_file_holds_weights_not_sentences():
    assert WEIGHTS["labels"] == list(LABELS)
    assert len(WEIGHTS["features"]) == len(WEIGHTS["weights"])
    for name in WEIGHTS["features"]:
        assert name.count("_") <= 3 and len(name) < 60, name  # unigrams, bigrams, cue names


@pytest.mark.skipif(not (DEV / "claim_strength").is_dir(), reason="../shared/dev/claim_strength absent")
def test_no_training_sentence_is_shipped():
    text = resources.files("crosscheck.match").joinpath(
        "lexicons", "claim_weights.json").read_text("utf-8").lower()
    with open(DEV / "claim_strength" / "annotated_pubmed.csv", encoding="utf-8") as handle:
        sentences = [row["sentence"].lower() for row in csv.DictReader(handle)]
    assert not any(s[:40] in text for s in sentences[:500])


def test_recorded_cross_validation_beats_both_baselines():
    """Figures written by benchmarks/train_claim.py (5-fold, L2 chosen in inner folds)."""
    cv = WEIGHTS["cv"]
    assert cv["model"]["macro_f1"] >= 0.74
    assert cv["model"]["macro_f1"] >= cv["cue_rule"]["macro_f1"] + 0.15
    assert cv["cue_rule"]["macro_f1"] > cv["majority"]["macro_f1"]


@pytest.mark.skipif(not (DEV / "insciout_train.jsonl").is_file(), reason="../shared/dev InSciOut absent")
def test_insciout_held_out_exaggeration_from_claim_strength():
    """InSciOut was never trained on: press release vs abstract strength, 3-label macro-F1."""
    rows = [json.loads(line) for line in (DEV / "insciout_train.jsonl").read_text("utf-8").splitlines()]
    gold, pred, strength_gold, strength_pred = [], [], [], []
    for row in rows:
        a = passage_claim(row["abstract_conclusion"]).level
        b = passage_claim(row["press_release_conclusion"]).level
        gold.append(row["exaggeration_label"])
        pred.append("exaggerates" if b > a else "downplays" if b < a else "same")
        strength_gold += [row["abstract_strength"], row["press_release_strength"]]
        strength_pred += [a, b]
    assert _macro_f1(gold, pred, ("same", "exaggerates", "downplays")) >= FLOOR_EXAGGERATION
    assert _macro_f1(strength_gold, strength_pred, (0, 1, 2, 3)) >= FLOOR_STRENGTH


FLOOR_EXAGGERATION = 0.48
FLOOR_STRENGTH = 0.50


def _macro_f1(gold, pred, labels) -> float:
    scores = []
    for k in labels:
        tp = sum(g == k and p == k for g, p in zip(gold, pred))
        fp = sum(g != k and p == k for g, p in zip(gold, pred))
        fn = sum(g == k and p != k for g, p in zip(gold, pred))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def test_the_trainer_learns_and_folds_are_stratified():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import train_claim
    finally:
        sys.path.pop(0)
    feats = [["w=a"], ["w=b"], ["w=c"], ["w=d"]] * 10
    y = np.array([0, 1, 2, 3] * 10)
    vocab = {"w=a": 0, "w=b": 1, "w=c": 2, "w=d": 3}
    w, b = train_claim.fit(train_claim.Design(feats, vocab), y, 1e-4)
    assert (train_claim.predict(train_claim.Design(feats, vocab), w, b) == y).all()
    parts = train_claim.folds(y, ["x"] * len(y), 5, 0)
    assert sorted(np.concatenate(parts).tolist()) == list(range(len(y)))
    assert all(sorted(np.bincount(y[p]).tolist()) == [2, 2, 2, 2] for p in parts)
    assert [p.tolist() for p in parts] == [p.tolist() for p in train_claim.folds(y, ["x"] * 40, 5, 0)]
