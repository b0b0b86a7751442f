"""The default recipe (``standard``): logistic regression on a frozen sentence encoder.

Each claim is read as a sentence encoder is meant to be read (token states pooled and
normalised), by one extra encoder layer set by hand (:mod:`models.pooling_layer`), so the
saved folder is a plain ``…ForSequenceClassification``; scikit-learn's
``LogisticRegression`` (class-balanced, L2, ``C`` = ``TrainOptions.head_c``) is fitted on
the pooled sentences, and its weights become the classification head. One forward pass over
the training texts, then seconds.

Why not fine-tune: on 47 seed claims plus the team's examples, fine-tuning all-mpnet moved
the model toward the seed's wording and away from stance: the first-token fine-tuned default
scored 0.811 benefit/harm in grouped CV on the release against this recipe's 0.890, and no
better out of domain (models/EXPERIMENTS.md).

Calibration: a temperature is fitted (Guo et al., 2017) on out-of-fold logits over every
training item, in five folds grouped by answer (release claims) and by the question a team
example answers, so that each fold holds out whole settings, and folded into the output
layer. The dev set is never used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stancebank.dataset.errors import InputError
from stancebank.models.embed import Embedder
from stancebank.models.folder import write_model
from stancebank.models.folds import out_of_fold
from stancebank.models.options import STANDARD, TrainOptions


def fit_logistic(x: np.ndarray, targets: Sequence[int], n_classes: int, options: TrainOptions):
    """``(weights, bias)`` of a class-balanced logistic regression, one row per class index
    (a class absent from ``targets`` gets zero weights and a bias that never wins)."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=options.head_c, class_weight="balanced", max_iter=5000,
                                random_state=options.seed).fit(x, list(targets))  # fmt: skip
    weights = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
    bias = np.full(n_classes, -1e4, dtype=np.float32)
    if len(fitted.classes_) == 2:  # binary: sklearn keeps one row for the second class
        coef = np.vstack([-fitted.coef_[0] / 2, fitted.coef_[0] / 2])
        intercept = np.array([-fitted.intercept_[0] / 2, fitted.intercept_[0] / 2])
    else:
        coef, intercept = fitted.coef_, fitted.intercept_
    for row, cls in enumerate(fitted.classes_):
        weights[int(cls)], bias[int(cls)] = coef[row], intercept[row]
    return weights, bias


def logits(x: np.ndarray, head: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    weights, bias = head
    return x @ weights.T + bias


def calibration_groups(groups: Sequence[str], questions: Sequence[str], n: int) -> list[str]:
    """Fold groups for every training item: the release's answer for its first ``n``, the
    question an extra answers (so a fold holds out a whole setting), else the item itself."""
    extras = [f"question:{q}" if q else f"item:{i}" for i, q in enumerate(questions[n:])]
    return [*groups[:n], *extras]


def out_of_fold_logits(x, targets, groups, n_classes, options: TrainOptions, *, seed: int,
                       extra=None) -> np.ndarray:  # fmt: skip
    """Logits of each of ``x``'s items from a head fitted without its group; ``extra`` =
    ``(x, targets)`` added to every training fold, never scored."""
    extra_x, extra_targets = extra if extra is not None else (x[:0], [])
    targets = np.asarray(targets)

    def fit(train):
        return fit_logistic(np.vstack([x[train], extra_x]),
                            [*targets[train], *extra_targets], n_classes, options)  # fmt: skip

    return out_of_fold(targets, groups, fit=fit, score=lambda head, test: logits(x[test], head),
                       seed=seed)  # fmt: skip


def train_sentence_head(
    texts: Sequence[str],
    labels: Sequence[str],
    names: Sequence[str],
    out_dir: Path,
    options: TrainOptions,
    *,
    groups: Sequence[str] = (),
    questions: Sequence[str] = (),
    embedder: Embedder | None = None,
    progress: bool = True,
) -> dict:
    """Fit the head on ``texts`` (the first ``len(groups)`` from the release, grouped by
    answer; the rest extras), calibrate it, and save the model to ``out_dir``. An
    ``embedder`` of the base model that already read the texts saves a forward pass."""
    from stancebank.models.head import fit_temperature
    from stancebank.models.pooling_layer import classifier

    if options.question_pair:
        raise ValueError("--question-pair needs --recipe fine-tune (a sentence encoder reads "
                         "one text)")  # fmt: skip
    embedder = embedder or sentence_embedder(options)
    index = {name: i for i, name in enumerate(names)}
    targets = [index[label] for label in labels]
    x = embedder.pooled(texts, progress=progress)
    weights, bias = fit_logistic(x, targets, len(names), options)
    temperature, calibration_items, calibrated = 1.0, 0, None
    folds = calibration_groups(list(groups), list(questions) or [""] * len(texts), len(groups))
    if options.calibrate and len(set(folds)) >= 2:
        held_out = out_of_fold_logits(x, targets, folds, len(names), options, seed=options.seed)
        temperature = fit_temperature(held_out, targets)
        calibration_items = len(targets)
        calibrated = held_out_calibration(held_out / temperature, list(labels), list(names))
    model = classifier(embedder.encoder, weights / temperature, bias / temperature, list(names))
    write_model(out_dir, model, embedder.tokenizer, options)
    return {
        **({"calibration": calibrated} if calibrated else {}),
        "recipe": options.recipe, "base_model": embedder.base, "head_c": options.head_c,
        "train_loss": None, "epochs_run": 0, "early_stopping": False,
        "best_validation_macro_f1": None, "linear_probe_epochs": 0,
        "temperature": round(temperature, 4), "calibration_items": calibration_items,
    }  # fmt: skip


def held_out_calibration(logits: np.ndarray, labels: list[str], names: list[str]) -> dict:
    """The expected calibration error, with its 95% bootstrap interval, of the calibrated
    out-of-fold probabilities over the training items: over all classes (``all``), and over
    the polar ones as ``evaluate --labels`` maps them (``polar``), so that ``evaluate`` can
    say when a file's error lies above what training saw."""
    from stancebank.dataset.schema import load_schema
    from stancebank.models.metrics import calibration

    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    scores = [dict(zip(names, map(float, row), strict=True)) for row in probs]
    predicted = [names[i] for i in probs.argmax(1)]
    figures = {"all": calibration(labels, predicted, scores)}
    polar = [p for p in load_schema().polar_values if p in names]
    keep = [i for i, g in enumerate(labels) if g in polar]
    if len(polar) == 2 and keep:
        kept = [scores[i] for i in keep]
        mapped = [max(polar, key=row.get) for row in kept]
        figures["polar"] = calibration([labels[i] for i in keep], mapped, kept, labels=polar)
        figures["polar"]["labels"] = polar
    return {name: {k: v for k, v in f.items() if k != "bins"} for name, f in figures.items()}


def sentence_embedder(options: TrainOptions) -> Embedder:
    """The base encoder read once for the baselines, with the pooling layer for the
    ``standard`` recipe; one line naming the base model when the standard folder cannot
    carry its type."""
    from stancebank.models.base import resolve_base_model

    base = resolve_base_model(options.base_model)
    embedder = Embedder(base, max_length=options.max_length)
    if options.recipe != STANDARD:
        return embedder
    from stancebank.models.pooling_layer import SUPPORTED, supports

    if not supports(embedder.encoder.config):
        kind = getattr(embedder.encoder.config, "model_type", "unknown")
        raise InputError(options.base_model, f"a {kind} encoder: --recipe standard takes "
                         f"{', '.join(SUPPORTED)} encoders (try --recipe fine-tune)")  # fmt: skip
    embedder.add_pooling_layer()
    return embedder


def sentence_head_cv(options: TrainOptions, x, labels, groups, extra, names, *,
                     seed: int = 0) -> np.ndarray:  # fmt: skip
    """Out-of-fold probabilities of the recipe over the embeddings ``x`` of ``labels``'
    claims, in five folds grouped by ``groups``; ``extra`` = (embeddings, labels) added to
    every training fold, never scored."""
    index = {name: i for i, name in enumerate(names)}
    scores = out_of_fold_logits(
        x, [index[y] for y in labels], groups, len(names), options, seed=seed,
        extra=(extra[0], [index[y] for y in extra[1]]),
    )  # fmt: skip
    scores = np.exp(scores - scores.max(1, keepdims=True))
    return scores / scores.sum(1, keepdims=True)
