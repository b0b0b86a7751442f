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
