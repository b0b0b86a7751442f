"""Reading a predictions JSONL for a push (as pre-annotations), checked line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dataset.errors import InputError
from dataset.jsonl import read_jsonl
from labeling.ls_contract import prediction_for
from labeling.schema import Schema


def read_predictions(path: str | Path, schema: Schema) -> dict[str, dict[str, Any]]:
    """``{claim_id: prediction}`` from ``{claim_id, label, scores, [model_version]}`` lines;
    the model version defaults to the file's name."""
    path = Path(path)
    predictions: dict[str, dict[str, Any]] = {}
    for line, record in read_jsonl(path):
        claim_id, label = record.get("claim_id"), record.get("label")
        if not isinstance(claim_id, str) or not isinstance(label, str):
            raise InputError(path, "prediction lacks claim_id or label", line=line)
        if label not in schema.stance_values:
            known = ", ".join(schema.stance_values)
            raise InputError(path, f"unknown label '{label}' (known: {known})", line=line)
        scores = record.get("scores") or {}
        score = scores.get(label, record.get("score", 1.0))
        if not isinstance(score, int | float):
            raise InputError(path, f"score of '{label}' is not a number", line=line)
        version = str(record.get("model_version") or path.stem)
        predictions[claim_id] = prediction_for(schema, label, score=score, model_version=version)
    return predictions
