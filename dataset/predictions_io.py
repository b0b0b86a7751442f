"""Predictions files: the one reader and writer of ``{claim_id, label, scores, model_version}``
JSONL, with one set of rules for every command that takes one (``label push``, ``evaluate``,
``report``).

A line needs ``label`` (a string) and something to match it by: ``claim_id``, else ``id``,
else ``text``. ``scores`` (``{label: number}``), ``score`` (a number) and ``model_version``
(a string) are optional.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stancebank.dataset.errors import InputError
from stancebank.dataset.jsonl import read_jsonl, write_jsonl


@dataclass(frozen=True)
class Prediction:
    label: str
    key: str | None
    """``claim_id`` (or ``id``) of the claim it predicts; None when only ``text`` is given."""
    text: str | None
    scores: dict[str, float] | None
    """Class scores, when the model gave them."""
    score: float
    """The score of ``label``: ``scores[label]``, else the line's ``score``, else 1."""
    model_version: str | None
    line: int
    """Line of the file it was read from (for error messages)."""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _prediction(record: Mapping[str, Any], path: Path, line: int, labels) -> Prediction:
    label = record.get("label")
    if not isinstance(label, str) or not label.strip():
        raise InputError(path, "prediction lacks 'label'", line=line)
    if labels is not None and label not in labels:
        raise InputError(path, f"unknown label '{label}' (known: {', '.join(labels)})", line=line)
    key = record.get("claim_id", record.get("id"))
    text = record.get("text")
    if not isinstance(key, str | int) or isinstance(key, bool):
        key = None
    if key is None and not isinstance(text, str):
        raise InputError(path, "prediction lacks 'claim_id' (or 'id' or 'text')", line=line)
    scores = record.get("scores")
    if scores is not None and (
        not isinstance(scores, dict) or not all(_number(v) for v in scores.values())
    ):
        raise InputError(path, "'scores' must map labels to numbers", line=line)
    score = record.get("score")
    if score is not None and not _number(score):
        raise InputError(path, "'score' is not a number", line=line)
    version = record.get("model_version")
    if version is not None and not isinstance(version, str):
        raise InputError(path, "'model_version' is not a string", line=line)
    scores = {str(k): float(v) for k, v in scores.items()} if scores else None
    if scores and label in scores:
        score = scores[label]
    return Prediction(
        label=label,
        key=None if key is None else str(key),
        text=text if isinstance(text, str) else None,
        scores=scores,
        score=float(1.0 if score is None else score),
        model_version=version,
        line=line,
    )


def read_predictions(path: str | Path, *, labels: Sequence[str] | None = None) -> list[Prediction]:
    """Every prediction in ``path``, checked line by line.

    Args:
        labels: the labels a prediction may carry (e.g. the schema's stances); None allows any.

    Raises:
        InputError: naming the file and line of the first bad record, a repeated
            ``claim_id``, or an empty file.
    """
    path = Path(path)
    predictions: list[Prediction] = []
    seen: set[str] = set()
    for line, record in read_jsonl(path):
        prediction = _prediction(record, path, line, labels)
        if prediction.key is not None:
            if prediction.key in seen:
                raise InputError(path, f"second prediction for '{prediction.key}'", line=line)
            seen.add(prediction.key)
        predictions.append(prediction)
    if not predictions:
        raise InputError(path, "no predictions in the file")
    return predictions


def by_key(predictions: Iterable[Prediction]) -> dict[str, Prediction]:
    """``{claim_id: prediction}`` of the predictions that name their claim."""
    return {p.key: p for p in predictions if p.key is not None}


def prediction_records(
    ids: Sequence[str], probs: np.ndarray, labels: Sequence[str], *, version: str
) -> list[dict]:
    """``{claim_id, label, scores, model_version}`` per example, from class probabilities of
    shape ``(len(ids), len(labels))``."""
    records = []
    for claim_id, row in zip(ids, probs, strict=True):
        scores = {label: round(float(p), 6) for label, p in zip(labels, row, strict=True)}
        records.append(
            {
                "claim_id": claim_id,
                "label": labels[int(np.argmax(row))],
                "scores": scores,
                "model_version": version,
            }
        )
    return records


def write_predictions(path: str | Path, records: Iterable[dict]) -> None:
    """Atomically write prediction records as JSONL."""
    write_jsonl(path, records)
