"""Fast batch prediction with a sequence-classification model folder.

Faster than ``pipeline("text-classification")`` on the same texts by sorting texts by
length (little padding per batch), running under ``torch.inference_mode``, using every
core, and optionally int8 dynamic quantisation of the linear layers (see BENCHMARKS.md
for the speed and the share of identical labels).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Classifier:
    tokenizer: object
    model: object
    labels: list[str]
    """Class names in the model's output order (its ``id2label``)."""
    version: str


def load_classifier(model_path: str, *, quantize: bool = False) -> Classifier:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(os.cpu_count() or 1)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForSequenceClassification.from_pretrained(model_path)
    model.eval()
    if quantize:
        from torch.ao.quantization import quantize_dynamic

        model = quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    id2label = model.config.id2label
    labels = [id2label[i] for i in range(len(id2label))]
    version = os.path.basename(os.path.normpath(model_path))
    return Classifier(tokenizer, model, labels, version)


def predict_proba(
    classifier: Classifier,
    texts: Sequence[str],
    *,
    batch_size: int = 64,
    max_length: int = 128,
    progress: Callable[[int], None] = lambda n: None,
) -> np.ndarray:
    """Class probabilities, shape ``(len(texts), n_classes)``, rows in input order."""
    import torch

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    probs = np.zeros((len(texts), len(classifier.labels)), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            encoded = classifier.tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=max_length,
                return_tensors="pt",
            )
            logits = classifier.model(**encoded).logits
            probs[batch] = torch.softmax(logits.float(), dim=-1).numpy()
            progress(len(batch))
    return probs


def prediction_records(
    ids: Sequence[str], probs: np.ndarray, labels: Sequence[str], *, version: str
) -> list[dict]:
    """``{claim_id, label, scores, model_version}`` per example."""
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
