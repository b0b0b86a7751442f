"""``train``'s workflow: fine-tune, score on the test split, put reference baselines beside
it, write the model folder with its card and metrics."""

from __future__ import annotations

import json
from pathlib import Path

from stancebank.dataset.jsonl import staged_directory
from stancebank.models.base import default_base_model
from stancebank.models.baselines import embed, embedding_lr, grouped_cv, majority, tfidf_lr
from stancebank.models.card import model_card
from stancebank.models.data import concat, load_splits, require_split
from stancebank.models.metrics import classification_metrics, present_labels
from stancebank.models.train import TrainOptions, fine_tune, training_examples


def _baselines(splits, train, test, extra, names, base, cv: bool) -> dict:
    everything = concat(splits)
    texts = set(everything.texts) | set(extra[0])
    texts = sorted(texts)
    vectors = dict(zip(texts, embed(texts, base), strict=True))
    candidates = {
        "majority class": (majority, ((), ())),
        "TF-IDF + logistic regression": (tfidf_lr, ((), ())),
        "frozen embeddings + LR": (embedding_lr(vectors), ((), ())),
        "frozen embeddings + LR, + extras": (embedding_lr(vectors), extra),
    }
    results = {}
    for name, (fit, added) in candidates.items():
        row: dict = {}
        if test is not None:
            predict = fit([*train.texts, *added[0]], [*train.labels, *added[1]], 0)
            gold = test.labels
            predicted = predict(test.texts)
            row["test_macro_f1"] = classification_metrics(
                gold, predicted, present_labels(gold, predicted, names), bootstrap=0
            )["macro_f1"]
        if cv and len(set(everything.groups)) >= 2:
            row["cv"] = grouped_cv(fit, everything.texts, everything.labels, everything.groups,
                                   names, extra=added)  # fmt: skip
        results[name] = row
    return results


def train_and_report(
    dataset_dir: Path,
    out_dir: Path,
    options: TrainOptions,
    *,
    cv: bool = True,
    progress: bool = True,
) -> dict:
    """Fine-tune, score on validation and test, put baselines beside it; write the model
    folder (replaced only when complete) and return its metrics."""
    splits = load_splits(dataset_dir)
    train = require_split(splits, "train", dataset_dir)
    validation, test = splits.get("validation"), splits.get("test")
    names = train.label_names
    texts, labels, added = training_examples(train, options)
    extra = (texts[len(train.texts) :], labels[len(train.labels) :])
    with staged_directory(out_dir) as staging:
        training = fine_tune(texts, labels, validation, names, staging, options, progress=progress)
        training.update(
            train_examples=len(train.texts), extra_examples=added,
            seed=options.seed,
        )  # fmt: skip
        from stancebank.models.predict import load_classifier, predict_proba

        classifier = load_classifier(str(staging))
        metrics: dict = {"labels": list(names), "training": training}
        for name, split in (("validation", validation), ("test", test)):
            if split is not None:
                probs = predict_proba(classifier, split.texts)
                predicted = [names[i] for i in probs.argmax(axis=1)]
                labels = present_labels(split.labels, predicted, names)
                metrics[name] = classification_metrics(split.labels, predicted, labels)
        base = options.base_model or default_base_model()
        loaded = [s for s in (train, validation, test) if s is not None]
        metrics["baselines"] = _baselines(loaded, train, test, extra, names, base, cv)
        metrics["baselines"]["fine-tuned (this model)"] = {
            "test_macro_f1": metrics.get("test", {}).get("macro_f1")
        }
        (staging / "metrics.json").write_text(
            json.dumps(metrics, indent=1) + "\n", encoding="utf-8"
        )
        if "test" in metrics:
            card = model_card(metrics, dataset_name=Path(dataset_dir).name,
                              base_is_default=not options.base_model)  # fmt: skip
            (staging / "README.md").write_text(card, encoding="utf-8")
    return metrics
