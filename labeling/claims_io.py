"""Reading claims.jsonl and predictions JSONL for a push, checked line by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dataset.errors import InputError
from dataset.jsonl import read_jsonl
from labeling.ls_contract import prediction_for
from labeling.schema import Schema

CLAIM_FIELDS = {
    "claim_id": str, "answer_id": str, "question_id": str, "document_id": str,
    "respondent": str, "question": str, "text": str, "start": int, "end": int,
}  # fmt: skip


def read_claims(path: str | Path) -> list[dict[str, Any]]:
    claims, seen = [], set()
    for line, record in read_jsonl(path):
        bad = [k for k, kind in CLAIM_FIELDS.items() if not isinstance(record.get(k), kind)]
        if bad:
            raise InputError(path, f"claim record lacks {', '.join(bad)}", line=line)
        if record["claim_id"] in seen:
            raise InputError(path, f"duplicate claim_id '{record['claim_id']}'", line=line)
        seen.add(record["claim_id"])
        claims.append(record)
    if not claims:
        raise InputError(path, "no claims in the file")
    return claims


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
