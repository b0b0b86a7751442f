"""Subcommands for the model stage: ``train``, ``predict``, ``evaluate``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tqdm import tqdm

from dataset.errors import InputError
from dataset.jsonl import atomic_write_text, write_jsonl
from scripts.console import say


def train(args: argparse.Namespace) -> int:
    from models.train import TrainOptions
    from models.workflow import train_and_report

    if not Path(args.dataset_dir).is_dir():
        raise InputError(args.dataset_dir, "not a dataset directory")
    options = TrainOptions(
        base_model=args.model or "",
        epochs=args.epochs,
        seed=args.seed,
        team_examples="" if args.no_team_examples else TrainOptions.team_examples,
        label_descriptions=not args.no_label_descriptions,
        probe_epochs=args.probe_epochs,
    )
    metrics = train_and_report(Path(args.dataset_dir), Path(args.out), options, cv=not args.no_cv)
    say(f"wrote {args.out}")
    if "test" in metrics:
        test = metrics["test"]
        say(f"  test: macro-F1 {test['macro_f1']:.3f} (95% CI {test['macro_f1_ci95']}), "
             f"accuracy {test['accuracy']:.3f}, n {test['n']}")  # fmt: skip
    for name, row in metrics["baselines"].items():
        cv = row.get("cv")
        cv_text = f"  CV {cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f}" if cv else ""
        test_f1 = row.get("test_macro_f1")
        test_text = "" if test_f1 is None else f"test {test_f1:.3f}"
        say(f"  {name:34s} {test_text}{cv_text}")
    return 0


def predict(args: argparse.Namespace) -> int:
    from dataset.claims_io import read_claims
    from models.predict import load_classifier, predict_proba, prediction_records

    claims = read_claims(args.claims)
    try:
        classifier = load_classifier(args.model, quantize=args.quantize, precision=args.precision)
    except OSError as error:
        raise InputError(args.model, f"cannot load the model ({str(error)[:160]})") from None
    texts = [c["text"] for c in claims]
    with tqdm(total=len(texts), desc="predict", unit="claim", disable=None) as bar:
        probs = predict_proba(classifier, texts, batch_size=args.batch_size, progress=bar.update)
    records = prediction_records(
        [c["claim_id"] for c in claims], probs, classifier.labels, version=classifier.version
    )
    write_jsonl(args.out, records)
    say(f"wrote {len(records)} predictions to {args.out}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from models.data import load_eval_data
    from models.evaluate import evaluation_labels, predict_examples, restrict
    from models.metrics import classification_metrics
    from models.report import confusion_png, markdown_report

    examples = load_eval_data(args.data, args.split)
    only = [label.strip() for label in args.labels.split(",")] if args.labels else None
    if only:
        keep = [i for i, label in enumerate(examples.labels) if label in only]
        if not keep:
            raise InputError(args.data, f"no example is labelled {', '.join(only)}")
        examples.texts = [examples.texts[i] for i in keep]
        examples.labels = [examples.labels[i] for i in keep]
        examples.ids = [examples.ids[i] for i in keep]
    predictions = predict_examples(args.model, examples)
    predicted = restrict(predictions, only) if only else predictions.labels
    labels = evaluation_labels(examples, predictions, only)
    metrics = classification_metrics(examples.labels, predicted, labels)
    metrics.update(model=str(args.model), data=str(args.data))
    print(json.dumps(metrics, indent=1))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        confusion_png(metrics["confusion_matrix"], labels, out / "confusion_matrix.png",
                      title=f"macro-F1 {metrics['macro_f1']:.3f} (n={metrics['n']})")  # fmt: skip
        atomic_write_text(
            out / "report.md", markdown_report(metrics, model=args.model, data=args.data)
        )
        rows = [
            {"id": i, "text": t, "gold": g, "predicted": p,
             **({"scores": s} if predictions.scores else {})}
            for i, t, g, p, s in zip(examples.ids, examples.texts, examples.labels, predicted,
                                     predictions.scores or [None] * len(predicted), strict=True)
        ]  # fmt: skip
        write_jsonl(out / "predictions.jsonl", rows)
        say(f"wrote report.md, confusion_matrix.png and predictions.jsonl to {out}")
    return 0


def report(args: argparse.Namespace) -> int:
    import datasets

    from models.overview import write_report

    datasets.disable_progress_bars()
    data = write_report(Path(args.dataset_dir), Path(args.predictions), Path(args.out),
                        split=args.split)  # fmt: skip
    say(f"wrote {args.out}: {data['n_claims']} claims, {len(data['disagreements'])} "
         f"disagreements between model and annotators")  # fmt: skip
    print(Path(args.out).resolve())
    return 0
