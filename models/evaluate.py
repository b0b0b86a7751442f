"""Evaluate any stance model — a model folder, an HF id, or a predictions JSONL — on a
dataset split or a labelled CSV / JSONL, optionally restricted to some classes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stancebank.dataset.errors import InputError
from stancebank.dataset.predictions_io import by_key, read_predictions
from stancebank.models.data import Examples


@dataclass
class Predictions:
    labels: list[str]
    """The predicted label of each example."""
    scores: list[dict[str, float]] | None
    """Per-example class scores, when the model gives them."""


def restrict(predictions: Predictions, allowed: Sequence[str]) -> list[str]:
    """Each prediction mapped into ``allowed``: the best-scoring allowed class. Without
    scores a prediction outside ``allowed`` stays as it is (and counts as wrong)."""
    if predictions.scores is None:
        return list(predictions.labels)
    return [
        max(allowed, key=lambda label: scores.get(label, float("-inf")))
        for scores in predictions.scores
    ]


def predictions_from_file(path: Path, examples: Examples) -> Predictions:
    """Match a predictions JSONL to the examples by ``claim_id`` (or ``id``), else by text."""
    records = read_predictions(path)
    by_id = by_key(records)
    by_text = {p.text: p for p in records if p.text is not None}
    labels, scores = [], []
    for example_id, text in zip(examples.ids, examples.texts, strict=True):
        prediction = by_id.get(example_id) or by_text.get(text)
        if prediction is None:
            raise InputError(path, f"no prediction for '{example_id}'")
        labels.append(prediction.label)
        scores.append(prediction.scores)
    has_scores = all(s is not None for s in scores)
    return Predictions(labels, scores if has_scores else None)


def predictions_from_model(model: str, examples: Examples) -> Predictions:
    from stancebank.models.predict import load_classifier, predict_proba

    try:
        classifier = load_classifier(model)
    except OSError as error:
        raise InputError(model, f"cannot load the model offline ({str(error)[:160]})") from None
    probs = predict_proba(classifier, examples.texts, questions=examples.questions)
    scores = [
        {label: float(p) for label, p in zip(classifier.labels, row, strict=True)} for row in probs
    ]
    labels = [max(s, key=s.get) for s in scores]
    return Predictions(labels, scores)


def predict_examples(model: str, examples: Examples) -> Predictions:
    path = Path(model)
    if path.is_file() and path.suffix.lower() == ".jsonl":
        return predictions_from_file(path, examples)
    return predictions_from_model(model, examples)


def evaluation_labels(
    examples: Examples, predictions: Predictions, only: Sequence[str] | None
) -> list[str]:
    from stancebank.models.metrics import present_labels

    if only:
        return list(only)
    return present_labels(examples.labels, predictions.labels, examples.label_names)


@dataclass
class Scored:
    metrics: dict
    """classification metrics, plus ``calibration`` when the model gives scores."""
    predictions: Predictions
    predicted: list[str]
    """Each example's predicted label (mapped into ``only`` when given)."""
    labels: list[str]
    """The classes the metrics are averaged over, in order."""


def score_examples(model: str, examples: Examples, only: Sequence[str] | None = None) -> Scored:
    """Predict ``examples`` with ``model`` (a folder, an HF id or a predictions JSONL) and
    score them; ``only`` restricts scoring to those classes (``evaluate --labels``)."""
    from stancebank.models.metrics import calibration, classification_metrics

    predictions = predict_examples(model, examples)
    predicted = restrict(predictions, only) if only else predictions.labels
    labels = evaluation_labels(examples, predictions, only)
    metrics = classification_metrics(examples.labels, predicted, labels)
    if predictions.scores is not None:
        metrics["calibration"] = calibration(
            examples.labels, predicted, predictions.scores, labels=only
        )
    return Scored(metrics, predictions, predicted, labels)
