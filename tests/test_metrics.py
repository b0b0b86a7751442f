"""Metrics against values worked out by hand, and --labels restriction."""

from __future__ import annotations

import pytest

from stancebank.models.evaluate import Predictions, restrict
from stancebank.models.metrics import classification_metrics


def test_metrics_worked_out_by_hand():
    gold = ["harm", "harm", "harm", "benefit", "benefit", "neutral"]
    pred = ["harm", "harm", "benefit", "benefit", "neutral", "neutral"]
    m = classification_metrics(gold, pred, ["benefit", "harm", "neutral"], bootstrap=200)
    # harm: P=2/2, R=2/3, F1=0.8; benefit: P=1/2, R=1/2, F1=0.5; neutral: P=1/2, R=1, F1=2/3
    assert m["per_class"]["harm"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8, "support": 3}
    assert m["per_class"]["benefit"]["f1"] == 0.5
    assert m["per_class"]["neutral"]["f1"] == pytest.approx(0.6667)
    assert m["macro_f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3, abs=1e-4)
    assert m["accuracy"] == pytest.approx(4 / 6, abs=1e-4)
    assert m["n"] == 6
    assert m["confusion_matrix"] == [[1, 0, 1], [1, 2, 0], [0, 0, 1]]
    low, high = m["macro_f1_ci95"]
    assert 0 <= low <= m["macro_f1"] <= high <= 1


def test_restriction_takes_the_best_listed_class():
    predictions = Predictions(
        labels=["neutral", "mixed", "harm"],
        scores=[
            {"benefit": 0.2, "harm": 0.1, "mixed": 0.1, "neutral": 0.6},
            {"benefit": 0.1, "harm": 0.3, "mixed": 0.5, "neutral": 0.1},
            {"benefit": 0.0, "harm": 0.9, "mixed": 0.05, "neutral": 0.05},
        ],
    )
    assert restrict(predictions, ["benefit", "harm"]) == ["benefit", "harm", "harm"]
    without_scores = Predictions(labels=["neutral", "harm"], scores=None)
    assert restrict(without_scores, ["benefit", "harm"]) == ["neutral", "harm"]


def test_the_calibration_error_comes_with_a_bootstrap_interval():
    import numpy as np

    from stancebank.models.metrics import calibration

    rng = np.random.default_rng(1)
    confident = rng.uniform(0.3, 1.0, 300)
    right = rng.uniform(0, 1, 300) < confident * 0.9  # overconfident by about a tenth
    scores = [{"a": float(p), "b": float(1 - p)} for p in confident]
    gold = ["a" if r else "b" for r in right]
    figures = calibration(gold, ["a"] * 300, scores)
    low, high = figures["ece_ci95"]
    assert low <= figures["ece"] <= high and high - low < 0.15
    assert calibration(gold, ["a"] * 300, scores) == figures  # seeded
    assert calibration(gold[:1], ["a"], scores[:1])["ece_ci95"] is None


def test_evaluate_notes_a_calibration_error_above_the_training_interval(tmp_path):
    import json

    from stancebank.models.api import _calibration_notes

    model = tmp_path / "model"
    model.mkdir()
    seen = {"all": {"ece": 0.04, "ece_ci95": [0.03, 0.08], "n": 400},
            "polar": {"ece": 0.04, "ece_ci95": [0.02, 0.07], "n": 300,
                      "labels": ["benefit", "harm"]}}  # fmt: skip
    (model / "metrics.json").write_text(json.dumps({"training": {"calibration": seen}}))
    worse = {"calibration": {"ece": 0.134}, "n": 233}
    [note] = _calibration_notes(model, "outside.csv", worse, ["harm", "benefit"])
    assert "0.134 on outside.csv" in note and "[0.020, 0.070]" in note
    assert _calibration_notes(model, "d.csv", {**worse, "calibration": {"ece": 0.05}}, None) == []
    assert _calibration_notes(model, "d.csv", {**worse, "calibration": {"ece": 0.01}}, None) == []
    assert _calibration_notes(model, "d.csv", {**worse, "n": 9}, None) == []  # too few
    assert _calibration_notes(model, "d.csv", worse, ["mixed", "neutral"]) == []  # not seen
    assert _calibration_notes(tmp_path, "d.csv", worse, None) == []  # no training figures
