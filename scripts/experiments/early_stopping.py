"""Experiment: does early stopping on a tiny validation split help `train`?

Usage:
    .venv/bin/python scripts/experiments/early_stopping.py work/dataset [--seeds 13 1 2]

Trains the default recipe (+ label definitions + team-written examples) on the train split
for each seed, twice: with early stopping on the validation split whatever its size (the
old default: up to 12 epochs, patience 3, best epoch kept) and with the current default
(early stopping only from ``TrainOptions.min_validation`` claims, else all 8 epochs).
Prints the test-split macro-F1 of each model. Results: models/EXPERIMENTS.md.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sklearn.metrics import f1_score

from stancebank.models.data import load_dataset_split
from stancebank.models.evaluate import predict_examples
from stancebank.models.options import FINE_TUNE_DEFAULTS
from stancebank.models.train import TrainOptions, train_model, training_examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    args = parser.parse_args()
    train, validation, test = (
        load_dataset_split(args.dataset, split) for split in ("train", "validation", "test")
    )
    names = train.label_names
    recipes = {
        "early stopping on any validation split (old default)": {"epochs": 12, "min": 0},
        "current default": {
            "epochs": FINE_TUNE_DEFAULTS["epochs"],
            "min": TrainOptions.min_validation,
        },
    }
    for seed in args.seeds:
        for name, recipe in recipes.items():
            options = TrainOptions(
                recipe="fine-tune",
                base_model="all-MiniLM-L6-v2",
                seed=seed,
                epochs=recipe["epochs"],
            )
            options.min_validation = recipe["min"]
            texts, labels, _questions, _added = training_examples(train, options)
            with tempfile.TemporaryDirectory() as out:
                info = train_model(texts, labels, validation, names, Path(out), options)
                predicted = predict_examples(out, test).labels
            score = f1_score(test.labels, predicted, labels=names, average="macro", zero_division=0)
            print(f"seed {seed} | {name} | epochs run {info['epochs_run']:g} | "
                  f"test macro-F1 {score:.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
