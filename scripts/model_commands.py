"""Handlers of the model stage's commands (``train``, ``predict``, ``evaluate``, ``report``):
call :mod:`stancebank.models.api`, print the result."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stancebank import console
from stancebank.console import say
from stancebank.models.options import TEAM_EXAMPLES, PredictOptions, TrainOptions


def train(args: argparse.Namespace) -> int:
    from stancebank.models import api

    options = TrainOptions(
        base_model=args.base_model or "",
        epochs=args.epochs,
        seed=args.seed,
        team_examples="" if args.no_team_examples else str(TEAM_EXAMPLES),
        label_descriptions=not args.no_label_descriptions,
        probe_epochs=args.probe_epochs,
    )
    result = api.train(dataset_dir=args.dataset_dir, out=args.out, options=options,
                       cv=not args.no_cv, progress=console.progress())  # fmt: skip
    metrics = result.metrics
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
    from stancebank.models import api

    options = PredictOptions(
        batch_size=args.batch_size, precision=args.precision, quantize=args.quantize
    )
    result = api.predict(model=args.model, claims=args.claims, out=args.out, options=options,
                         progress=console.progress())  # fmt: skip
    say(f"wrote {result.predictions} predictions to {args.out}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from stancebank.models import api

    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    result = api.evaluate(
        model=args.model, data=args.data, split=args.split, labels=labels, out=args.out
    )
    print(json.dumps(result.metrics, indent=1))
    if result.out:
        say(f"wrote report.md, confusion_matrix.png and predictions.jsonl to {result.out}")
    return 0


def report(args: argparse.Namespace) -> int:
    from stancebank.models import api

    result = api.report(dataset_dir=args.dataset_dir, predictions=args.predictions,
                        out=args.out, split=args.split)  # fmt: skip
    say(f"wrote {args.out}: {result.claims} claims, {result.disagreements} "
        f"disagreements between model and annotators")  # fmt: skip
    print(Path(args.out).resolve())
    return 0
