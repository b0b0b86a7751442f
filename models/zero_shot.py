"""The built-in references of ``compare``: the majority class, and a zero-shot classifier
that picks the stance whose prototype sentence (``dataset/schema.json``) is most similar to
the claim (cosine of mean-pooled sentence embeddings, as sentence encoders are trained)."""

from __future__ import annotations

from collections import Counter

import numpy as np

from stancebank.dataset.schema import load_schema
from stancebank.models.data import Examples
from stancebank.models.evaluate import Predictions

BUILTINS = ("majority", "zero-shot")
SHARPNESS = 20.0
"""Cosine similarities are multiplied by this before the softmax that gives the scores."""


def majority(examples: Examples) -> Predictions:
    """Every example gets the most frequent gold label (the trivial reference)."""
    label = Counter(examples.labels).most_common(1)[0][0]
    return Predictions([label] * len(examples.texts), None)


def zero_shot(examples: Examples, encoder: str) -> Predictions:
    """Similarity of each claim to each stance's prototype sentence, with ``encoder`` (a
    base model name or folder, see :func:`stancebank.models.base.resolve_base_model`)."""
    from stancebank.models.base import resolve_base_model
    from stancebank.models.embed import Embedder

    stances = load_schema().stances
    embed = Embedder(resolve_base_model(encoder))
    claims = embed(examples.texts)
    prototypes = embed([s.prototype for s in stances])
    logits = SHARPNESS * claims @ prototypes.T
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    names = [s.value for s in stances]
    scores = [{n: float(p) for n, p in zip(names, row, strict=True)} for row in probs]
    return Predictions([names[int(i)] for i in probs.argmax(1)], scores)
