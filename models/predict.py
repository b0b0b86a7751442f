"""Fast batch prediction with a sequence-classification model folder.

Faster than ``pipeline("text-classification")`` on the same texts by sorting texts by
length (little padding per batch), running under ``torch.inference_mode``, using every
core, and bfloat16 weights on CPUs that compute in bfloat16 natively (optionally int8
dynamic quantisation instead); see BENCHMARKS.md for the speed and the share of labels
identical to float32.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from stancebank.dataset.errors import InputError


@dataclass
class Classifier:
    tokenizer: object
    model: object
    labels: list[str]
    """Class names in the model's output order (its ``id2label``)."""
    version: str
    pair: bool = False
    """The model reads (question, claim) text pairs (:mod:`stancebank.models.folder`)."""
    languages: tuple[str, ...] | None = None
    """The languages its base model reads, when its folder says."""


def model_version(model_path: str) -> str:
    """The version of a model folder (recorded, else from its content) or Hub id."""
    from stancebank.models.folder import read_facts, version_of

    return version_of(model_path, read_facts(model_path))


def bf16_is_fast() -> bool:
    """True on CPUs with native bfloat16 matrix units (AVX512-BF16 / AMX) via oneDNN."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def load_classifier(
    model_path: str, *, quantize: bool = False, precision: str = "fp32"
) -> Classifier:
    """Load a model folder for inference.

    ``precision="bf16"`` casts the weights to bfloat16 (about 1.9x faster here, 99.8–99.9% of
    labels identical to float32, see BENCHMARKS.md); ``"auto"`` does so only where the CPU
    has native bfloat16 units. ``quantize`` applies int8 dynamic quantisation instead. A
    folder written by ``stancebank export --format onnx`` runs on ONNX Runtime, in float32.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from stancebank.models.export import OnnxModel, is_onnx_folder
    from stancebank.models.folder import read_facts, version_of
    from stancebank.models.locate import locate_model
    from stancebank.models.pooled import register

    register()  # the sentence head's architecture, without running code from the folder
    model_path = locate_model(model_path)
    facts = read_facts(model_path)
    torch.set_num_threads(os.cpu_count() or 1)
    if is_onnx_folder(model_path):
        if quantize or precision == "bf16":
            raise InputError(model_path, "an ONNX folder runs in float32 (--precision auto or "
                             "fp32, no --quantize)")  # fmt: skip
        model = OnnxModel(model_path)
        id2label = model.config.id2label
        return Classifier(
            AutoTokenizer.from_pretrained(model_path), model,
            [id2label[i] for i in range(len(id2label))], version_of(model_path, facts),
            pair=facts.reads_pairs, languages=facts.languages,
        )  # fmt: skip
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_path)
        model = AutoModelForSequenceClassification.from_pretrained(model_path)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
        # transformers' own errors for a folder that is not (all) a model are many lines
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(model_path, f"cannot load the model ({first[:160]})") from None
    model.eval()
    if precision == "bf16" or (precision == "auto" and not quantize and bf16_is_fast()):
        model = model.to(torch.bfloat16)
    if quantize:
        from torch.ao.quantization import quantize_dynamic

        model = quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    id2label = model.config.id2label
    labels = [id2label[i] for i in range(len(id2label))]
    return Classifier(
        tokenizer, model, labels, version_of(model_path, facts), pair=facts.reads_pairs,
        languages=facts.languages,
    )  # fmt: skip


def predict_proba(
    classifier: Classifier,
    texts: Sequence[str],
    *,
    questions: Sequence[str] | None = None,
    batch_size: int = 64,
    max_length: int = 128,
    progress: Callable[[int], None] = lambda n: None,
) -> np.ndarray:
    """Class probabilities, shape ``(len(texts), n_classes)``, rows in input order. A model
    that reads (question, claim) pairs gets ``questions`` ("" where there is none)."""
    import torch

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    probs = np.zeros((len(texts), len(classifier.labels)), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            pair = (
                ([(questions[i] if questions else "") for i in batch],) if classifier.pair else ()
            )
            encoded = classifier.tokenizer(
                *pair,
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
