"""Simulated annotators on the seed: how many labels each task order needs to reach a
given out-of-domain macro-F1, retraining every 10 labels.

The "annotators" answer with the shipped release's labels (all 68 claims). After every 10
labels a model is retrained — logistic regression on frozen all-mpnet-base-v2 sentence
embeddings, the fast stand-in for the full recipe — and scored on the out-of-domain dev set
(benefit/harm macro-F1, the better-scoring of the two). Orders: the claims file's order;
random (mean of several seeds); uncertainty (the first 10 in file order, then each round
the 10 claims whose top class probability is lowest, as `label push --order uncertainty`
and Label Studio's uncertainty sampling serve them).

    .venv/bin/python scripts/bench/active_learning.py --plot labeling/active-learning.png
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

import stancebank
from stancebank.models.base import resolve_base_model
from stancebank.models.data import load_all_splits, load_labelled_file
from stancebank.models.embed import Embedder

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "dataset" / "sources" / "interview-social-credit.txt"
DEV = ROOT.parent / "shared" / "eval" / "surveillance-dev.csv"
STEP = 10
POLAR = ("benefit", "harm")


def release_examples(tmp: Path):
    answers, claims = tmp / "answers.jsonl", tmp / "claims.jsonl"
    stancebank.ingest(files=[SEED], out=answers, document_ids=["interview-social-credit"],
                      progress=False)  # fmt: skip
    stancebank.segment(answers=answers, out=claims, progress=False)
    built = stancebank.build_release(claims=claims, annotations=ROOT / "dataset" / "annotations",
                                     out=tmp / "dataset", answers=answers)  # fmt: skip
    return load_all_splits(built.out)


def dev_score(x_train, y_train, x_dev, y_dev) -> float:
    classes = sorted(set(y_train))
    if len(classes) == 1:
        predicted = [classes[0]] * len(y_dev)
    else:
        model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(x_train, y_train)
        probs = model.predict_proba(x_dev)
        columns = [list(model.classes_).index(c) if c in model.classes_ else None for c in POLAR]
        predicted = [
            max(
                (p[c] if c is not None else -1.0, label)
                for c, label in zip(columns, POLAR, strict=True)
            )[1]
            for p in probs
        ]
    return float(f1_score(y_dev, predicted, labels=list(POLAR), average="macro", zero_division=0))


def uncertainty_order(x, y, first: list[int]) -> list[int]:
    order = list(first)
    while len(order) < len(y):
        rest = [i for i in range(len(y)) if i not in set(order)]
        labels = [y[i] for i in order]
        if len(set(labels)) < 2:
            order += rest[:STEP]
            continue
        model = LogisticRegression(max_iter=2000, class_weight="balanced")
        model.fit(x[order], labels)
        confidence = model.predict_proba(x[rest]).max(axis=1)
        order += [rest[i] for i in np.argsort(confidence, kind="stable")[:STEP]]
    return order


def curve(order, x, y, x_dev, y_dev) -> list[tuple[int, float]]:
    points = []
    for n in [*range(STEP, len(order), STEP), len(order)]:
        chosen = order[:n]
        points.append((n, dev_score(x[chosen], [y[i] for i in chosen], x_dev, y_dev)))
    return points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random-seeds", type=int, default=10)
    parser.add_argument("--plot", type=Path, help="write the curves as a PNG")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.70, 0.75, 0.80])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        pool = release_examples(Path(tmp))
    dev = load_labelled_file(DEV)
    keep = [i for i, label in enumerate(dev.labels) if label in POLAR]
    dev_texts, y_dev = [dev.texts[i] for i in keep], [dev.labels[i] for i in keep]
    encoder = resolve_base_model("all-mpnet-base-v2")
    embed = Embedder(encoder)
    x, x_dev = embed(pool.texts), embed(dev_texts)
    y = list(pool.labels)
    file_order = list(range(len(y)))
    curves = {
        "file order": curve(file_order, x, y, x_dev, y_dev),
        "uncertainty": curve(uncertainty_order(x, y, file_order[:STEP]), x, y, x_dev, y_dev),
    }
    runs = []
    for seed in range(args.random_seeds):
        order = file_order[:]
        random.Random(seed).shuffle(order)
        runs.append(curve(order, x, y, x_dev, y_dev))
    curves[f"random (mean of {args.random_seeds})"] = [
        (n, float(np.mean([run[k][1] for run in runs]))) for k, (n, _) in enumerate(runs[0])
    ]
    print(f"pool: {len(y)} release claims; dev: {len(y_dev)} benefit/harm claims")
    print("labels | " + " | ".join(curves))
    for k, (n, _) in enumerate(curves["file order"]):
        print(f"{n:6d} | " + " | ".join(f"{c[k][1]:.3f}" for c in curves.values()))
    needed = {
        name: {t: next((n for n, f in points if f >= t), None) for t in args.thresholds}
        for name, points in curves.items()
    }
    for name, by_threshold in needed.items():
        print(f"{name}: labels to reach " + ", ".join(
            f"{t:.2f} -> {n if n is not None else 'never'}" for t, n in by_threshold.items()
        ))  # fmt: skip
    print(json.dumps({"curves": curves, "needed": needed}))
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4))
        for name, points in curves.items():
            ax.plot([n for n, _ in points], [f for _, f in points], marker="o", label=name)
        ax.set_xlabel("labels (retrained every 10)")
        ax.set_ylabel("dev benefit/harm macro-F1")
        ax.set_title("Simulated annotators on the seed")
        ax.grid(alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
