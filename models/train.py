"""Train a stance model with one of the recipes and save it as a model folder:

* ``standard`` (the default, :mod:`models.sentence_head` and :mod:`models.pooling_layer`):
  logistic regression on the frozen sentence encoder's pooled sentence, saved as a plain
  ``…ForSequenceClassification`` with one extra, hand-set pooling layer;
* ``fine-tune`` (:mod:`models.fine_tune`): a ``…ForSequenceClassification`` model,
  linear-probe warm start then full fine-tuning;
* ``fine-tune`` with ``epochs=0`` (:func:`models.head.train_frozen_head`): only that model's
  head, on the frozen encoder's first token.

The input is the claim text alone (unless ``question_pair``), so the saved folder works on
any labelled claims and with ``pipeline("text-classification", model=MODEL_DIR)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from stancebank.models.data import Examples, training_examples
from stancebank.models.embed import Embedder
from stancebank.models.options import STANDARD, TEAM_EXAMPLES, TrainOptions

__all__ = ["TEAM_EXAMPLES", "TrainOptions", "train_model", "training_examples"]


def train_model(
    texts: list[str],
    labels: list[str],
    validation: Examples | None,
    names: list[str],
    out_dir: Path,
    options: TrainOptions,
    *,
    groups: Sequence[str] = (),
    questions: Sequence[str] = (),
    embedder: Embedder | None = None,
    progress: bool = True,
) -> dict:
    """Train ``options.recipe`` on ``texts`` (the first ``len(groups)`` from the release,
    grouped by answer for calibration; the rest extras, always trained on) and save the
    model to ``out_dir``. Returns what the model card and ``metrics.json`` say about it.
    ``embedder`` (the sentence head's base encoder, already run on the texts) saves a
    forward pass."""
    if options.recipe == STANDARD:
        from stancebank.models.sentence_head import train_sentence_head

        info = train_sentence_head(texts, labels, names, out_dir, options, groups=groups,
                                   questions=questions, embedder=embedder,
                                   progress=progress)  # fmt: skip
    elif options.epochs == 0:
        from stancebank.models.head import train_frozen_head

        info = train_frozen_head(texts, labels, names, out_dir, options, groups=groups,
                                 questions=questions)  # fmt: skip
    else:
        from stancebank.models.fine_tune import train_fine_tuned

        info = train_fine_tuned(texts, labels, validation, names, out_dir, options,
                                groups=groups, questions=questions, progress=progress)  # fmt: skip
    has_validation = validation is not None and len(validation.texts) > 0
    return {**info, "validation_claims": len(validation.texts) if has_validation else 0}
