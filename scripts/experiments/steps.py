"""Experiment: what each generalisation step buys, by grouped cross-validation on the seed.

Usage:
    .venv/bin/python scripts/experiments/steps.py work/dataset [--folds 5] [--epochs 8]

Every labelled claim of the dataset is held out once (folds grouped by answer, seed 0);
each configuration trains on the other folds only. Reports 4-class macro-F1 and the
benefit-vs-harm macro-F1 (gold benefit/harm claims only, the model's other classes mapped
to the better of the two, as ``evaluate --labels benefit,harm`` does). Configurations:
zero-shot similarity to the label definitions; frozen embeddings + LR (seed only; + label
definitions + team-written examples); fine-tuned MiniLM (seed only; + definitions;
+ definitions + team-written examples).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold

from stancebank.dataset.jsonl import read_jsonl
from stancebank.dataset.schema import label_names, load_schema
from stancebank.models.base import default_base_model
from stancebank.models.data import load_all_splits
from stancebank.models.embed import Embedder
from stancebank.models.train import TEAM_EXAMPLES, TrainOptions, train_model

BH = list(load_schema().polar_values)


def scores_to_metrics(gold, probs, names):
    gold = np.asarray(gold)
    predicted = np.asarray([names[i] for i in probs.argmax(1)])
    four = f1_score(gold, predicted, labels=names, average="macro", zero_division=0)
    mask = np.isin(gold, BH)
    bh_index = [names.index(b) for b in BH]
    binary = np.asarray([BH[int(np.argmax(p[bh_index]))] for p in probs[mask]])
    two = f1_score(gold[mask], binary, labels=BH, average="macro", zero_division=0)
    return round(float(four), 4), round(float(two), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset_dir")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--only-probe", action="store_true", help="run the last configuration only")
    args = parser.parse_args()
    data = load_all_splits(args.dataset_dir)
    names = data.label_names
    labels_meta = label_names()
    team = [r for _, r in read_jsonl(TEAM_EXAMPLES)]
    extras = {
        "definitions": (list(labels_meta.definitions), list(labels_meta.stances)),
        "team": ([r["text"] for r in team], [r["label"] for r in team]),
    }
    base = default_base_model()
    every = sorted(set(data.texts) | set(extras["definitions"][0]) | set(extras["team"][0]))
    vectors = dict(zip(every, Embedder(base)(every), strict=True))
    texts, gold = np.asarray(data.texts, dtype=object), np.asarray(data.labels, dtype=object)
    splitter = StratifiedGroupKFold(n_splits=args.folds, shuffle=True, random_state=0)
    folds = list(splitter.split(texts, gold, data.groups))

    def extra_for(keys):
        t, y = [], []
        for key in keys:
            t += extras[key][0]
            y += extras[key][1]
        return t, y

    results = {}
    # Zero-shot: cosine similarity to each label's definition.
    definitions = np.stack([vectors[d] for d in labels_meta.definitions])
    probs = np.stack([definitions @ vectors[t] for t in data.texts])
    results["zero-shot similarity to definitions"] = scores_to_metrics(gold, probs, names)

    frozen = [("frozen emb + LR, seed only", ()),
              ("frozen emb + LR, + definitions + team", ("definitions", "team"))]  # fmt: skip
    for name, keys in frozen:
        probs = np.zeros((len(texts), len(names)))
        for train, test in folds:
            et, ey = extra_for(keys)
            x = np.stack([vectors[t] for t in [*texts[train], *et]])
            model = LogisticRegression(max_iter=2000, class_weight="balanced", C=2.0)
            model.fit(x, [*gold[train], *ey])
            p = model.predict_proba(np.stack([vectors[t] for t in texts[test]]))
            for column, label in enumerate(model.classes_):
                probs[test, names.index(label)] = p[:, column]
        results[name] = scores_to_metrics(gold, probs, names)

    both = ("definitions", "team")
    tuned = [("fine-tuned, seed only", (), 0),
             ("fine-tuned, + definitions", ("definitions",), 0),
             ("fine-tuned, + definitions + team", both, 0),
             ("probe-then-fine-tune, + definitions + team", both, 10)]  # fmt: skip
    if args.only_probe:
        tuned = tuned[-1:]
    for name, keys, probe in tuned:
        probs = np.zeros((len(texts), len(names)))
        for train, test in folds:
            et, ey = extra_for(keys)
            with tempfile.TemporaryDirectory() as tmp:
                options = TrainOptions(recipe="fine-tune", base_model="all-MiniLM-L6-v2",
                                       epochs=args.epochs, seed=13,
                                       team_examples="",
                                       label_descriptions=False, probe_epochs=probe)  # fmt: skip
                train_model(
                    [*texts[train], *et], [*gold[train], *ey], None, names, Path(tmp), options
                )
                from stancebank.models.predict import load_classifier, predict_proba

                probs[test] = predict_proba(load_classifier(tmp), list(texts[test]))
        results[name] = scores_to_metrics(gold, probs, names)
        print(name, results[name], flush=True)

    print(json.dumps({k: {"macro_f1_4class": v[0], "macro_f1_benefit_harm": v[1]}
                      for k, v in results.items()}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
