"""Experiment: which training recipe generalises — release grouped CV beside the
out-of-domain dev set, several seeds.

Usage:
    .venv/bin/python scripts/experiments/recipes.py work/dataset \\
        --dev ../shared/eval/surveillance-dev.csv [--recipes NAME ...] [--seeds 13 1 2] \\
        [--cv-seeds 13] [--out work/recipes.jsonl]
    .venv/bin/python scripts/experiments/recipes.py --table work/recipes.jsonl

For each recipe and seed: train on the release's train split plus the recipe's extras
exactly as ``stancebank train`` does, and score benefit/harm macro-F1 on the dev set (the
model's other classes mapped to the better of the two, as ``evaluate --labels
benefit,harm``). For each recipe and CV seed: grouped 5-fold cross-validation over every
release claim (folds by answer, fold seed 0; extras added to every training fold, never to a
test fold), 4-class and benefit/harm macro-F1. The dev set is only scored, never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from stancebank.dataset.schema import load_schema
from stancebank.models.base import MPNET, default_base_model
from stancebank.models.data import Examples, load_all_splits, load_labelled_file, load_splits
from stancebank.models.options import TEAM_EXAMPLES, TrainOptions
from stancebank.models.predict import load_classifier, predict_proba
from stancebank.models.train import train_model, training_examples

BH = list(load_schema().polar_values)
ORIGINAL_EXAMPLES = 116  # the first lines of team_examples.jsonl: the seed-domain examples
FIRST_BROADENING = 283  # lines 117-283: 20 other settings (2026-11-29, before the next 100)


def recipes(original_examples: str, first_broadening: str) -> dict[str, TrainOptions]:
    """Rows measured before 2026-11-30 ran with the first broadening (283 examples) as the
    whole file; "broadened examples (383)" now means all of team_examples.jsonl."""
    minilm = TrainOptions(recipe="fine-tune", base_model="minilm", epochs=8, probe_epochs=10)
    mpnet = TrainOptions(recipe="fine-tune", base_model="mpnet", epochs=0, probe_epochs=40)
    # the retired "sentence-head" rows (mean-pooled, L2-normalised embeddings in a folder of
    # its own architecture) were measured with it before 2026-12-08; "standard" is the same
    # regression on the pooling layer's sentences, in a plain transformers folder
    head = TrainOptions(recipe="standard", base_model="mpnet")
    return {
        "mpnet standard (logistic regression on the pooling layer's sentences), broadened "
        "examples (383)": head,
        "mpnet standard, first broadening (283 examples)": replace(
            head, team_examples=first_broadening
        ),
        "mpnet standard, original examples": replace(head, team_examples=original_examples),
        "MiniLM standard, broadened examples (383)": replace(head, base_model="minilm"),
        "MiniLM probe+fine-tune, original examples (the old default)": replace(
            minilm, team_examples=original_examples
        ),
        "MiniLM probe+fine-tune, broadened examples (383)": minilm,
        "mpnet frozen encoder + head, original examples": replace(
            mpnet, team_examples=original_examples
        ),
        "mpnet frozen encoder + head, broadened examples (383)": mpnet,
        "mpnet probe+fine-tune 4 epochs, broadened examples (383)": replace(
            mpnet, epochs=4, probe_epochs=10, learning_rate=3e-5
        ),
        "MiniLM probe+fine-tune, broadened examples (383), (question, claim) pairs": replace(
            minilm, question_pair=True
        ),
        "mpnet frozen encoder + head, broadened examples (383), (question, claim) pairs": replace(
            mpnet, question_pair=True
        ),
    }


def resolve(options: TrainOptions, seed: int) -> TrainOptions:
    bases = {"minilm": default_base_model(), "mpnet": MPNET.ensure()}
    return replace(options, base_model=bases[options.base_model], seed=seed)


def probabilities(options: TrainOptions, train: Examples, scored: Examples):
    all_texts, all_labels, questions, _ = training_examples(train, options)
    with tempfile.TemporaryDirectory() as tmp:
        train_model(all_texts, all_labels, None, train.label_names, Path(tmp), options,
                    questions=questions, progress=False)  # fmt: skip
        classifier = load_classifier(tmp)
        probs = predict_proba(classifier, scored.texts, questions=scored.questions)
    order = [classifier.labels.index(n) for n in train.label_names]
    return probs[:, order]


def benefit_harm_f1(gold, probs, names) -> float:
    keep = [i for i, g in enumerate(gold) if g in BH]
    columns = [names.index(b) for b in BH]
    predicted = [BH[int(np.argmax(probs[i, columns]))] for i in keep]
    return float(f1_score([gold[i] for i in keep], predicted, labels=BH, average="macro"))


def part(data: Examples, idx) -> Examples:
    return Examples(
        [data.texts[i] for i in idx], [data.labels[i] for i in idx], [data.ids[i] for i in idx],
        label_names=data.label_names, questions=[data.question_of(i) for i in idx],
    )  # fmt: skip


def grouped_cv(options: TrainOptions, data: Examples) -> tuple[float, float]:
    names = data.label_names
    probs = np.zeros((len(data.texts), len(names)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members"
        folds = list(StratifiedGroupKFold(5, shuffle=True, random_state=0).split(
            data.texts, data.labels, data.groups))  # fmt: skip
    for train_idx, test_idx in folds:
        probs[test_idx] = probabilities(options, part(data, train_idx), part(data, test_idx))
    predicted = [names[i] for i in probs.argmax(1)]
    four = f1_score(data.labels, predicted, labels=names, average="macro", zero_division=0)
    return float(four), benefit_harm_f1(data.labels, probs, names)


def table(path: str) -> str:
    """The Markdown table of a results file: per recipe, dev mean ± std over its seeds and
    the grouped-CV figures (of the CV seeds run)."""
    rows: dict[str, list[dict]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["recipe"], []).append(row)
    out = ["| recipe | dev benefit/harm macro-F1 (mean ± std, seeds) | release grouped CV: "
           "4-class | release grouped CV: benefit/harm | train s (median) |",
           "|---|---|---|---|---|"]  # fmt: skip
    for name, runs in rows.items():
        dev = np.array([r["dev_benefit_harm"] for r in runs])
        seeds = ", ".join(str(r["seed"]) for r in runs)
        cv = [r for r in runs if "cv_4class" in r]
        four = " / ".join(f"{r['cv_4class']:.3f}" for r in cv) or "—"
        two = " / ".join(f"{r['cv_benefit_harm']:.3f}" for r in cv) or "—"
        seconds = int(np.median([r["train_seconds"] for r in runs]))
        out.append(f"| {name} | {dev.mean():.3f} ± {dev.std():.3f} ({seeds}) | {four} | {two} "
                   f"| {seconds} |")  # fmt: skip
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    if len(sys.argv) == 3 and sys.argv[1] == "--table":
        print(table(sys.argv[2]))
        return
    parser.add_argument("dataset_dir")
    parser.add_argument("--dev", required=True, help="labelled CSV scored, never trained on")
    parser.add_argument("--recipes", nargs="*", help="names (or unique prefixes) to run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[13, 1, 2])
    parser.add_argument("--cv-seeds", type=int, nargs="*", default=[13])
    parser.add_argument("--out", default="recipes.jsonl")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        original = Path(tmp) / "original.jsonl"
        lines = TEAM_EXAMPLES.read_text(encoding="utf-8").splitlines(keepends=True)
        original.write_text("".join(lines[:ORIGINAL_EXAMPLES]), encoding="utf-8")
        first = Path(tmp) / "first-broadening.jsonl"
        first.write_text("".join(lines[:FIRST_BROADENING]), encoding="utf-8")
        chosen = recipes(str(original), str(first))
        if args.recipes:
            chosen = {k: v for k, v in chosen.items() if any(k.startswith(r) for r in args.recipes)}
        release_train = load_splits(args.dataset_dir)["train"]
        release = load_all_splits(args.dataset_dir)
        dev = load_labelled_file(args.dev)
        for name, recipe in chosen.items():
            for seed in args.seeds:
                options = resolve(recipe, seed)
                start = time.monotonic()
                probs = probabilities(options, release_train, dev)
                row = {"recipe": name, "seed": seed, "dev_benefit_harm": round(
                    benefit_harm_f1(dev.labels, probs, release_train.label_names), 4),
                    "train_seconds": round(time.monotonic() - start)}  # fmt: skip
                if seed in args.cv_seeds:
                    four, two = grouped_cv(options, release)
                    row.update(cv_4class=round(four, 4), cv_benefit_harm=round(two, 4))
                print(json.dumps(row), flush=True)
                with open(args.out, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
