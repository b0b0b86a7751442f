"""The model stage's commands (``train``, ``predict``, ``evaluate``, ``report``): their
arguments, and handlers that call :mod:`stancebank.models.api` (imported on use, so that
the command line starts without torch) and print the result."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stancebank import console
from stancebank.arguments import recipe_options, subcommand, train_options
from stancebank.console import say
from stancebank.models.options import (
    DEFAULT_SPLIT,
    PRECISIONS,
    ZERO_SHOT_ENCODER,
    PredictOptions,
)

_TRAIN_EXAMPLES = """examples:
  stancebank train work/dataset --out work/model
  stancebank train work/dataset --out work/model \
      --ood-data ../shared/eval/surveillance-dev.csv   # also scored on claims nobody trained on
  stancebank train work/dataset --out work/model-ft --recipe fine-tune --epochs 4

The default recipe (models/EXPERIMENTS.md): the frozen all-mpnet-base-v2 sentence encoder,
logistic regression on its mean-pooled embeddings, a temperature fitted on out-of-fold
logits grouped by answer and by setting. The earlier default, fine-tuning:
  stancebank train work/dataset --out work/model-ft --recipe fine-tune \\
      --epochs 4 --probe-epochs 10 --learning-rate 3e-5"""

_PREDICT_EXAMPLES = """examples:
  stancebank predict work/model work/claims.jsonl --out work/preds.jsonl
  stancebank label push work/claims.jsonl --project seed --predictions work/preds.jsonl"""

_EVALUATE_EXAMPLES = """examples:
  stancebank evaluate work/model --data work/dataset --split test --out work/eval
  stancebank evaluate work/model --data claims.csv --labels benefit,harm
  stancebank evaluate my-preds.jsonl --data work/dataset

MODEL is a model folder, an HF id/path, or a predictions JSONL ({claim_id|id|text, label,
[scores]}). A labelled CSV/JSONL needs 'text' and 'label'. --labels keeps only examples of
those classes and maps the model's other classes away by taking the best listed one."""

_COMPARE_EXAMPLES = """examples:
  stancebank compare work/model majority zero-shot --data work/dataset
  stancebank compare work/model their-preds.jsonl zero-shot \\
      --data ../shared/eval/surveillance-dev.csv --labels benefit,harm --out work/compare

Each MODEL is a model folder, an HF id, a predictions JSONL, or a built-in reference:
'majority' (the most frequent gold label) or 'zero-shot' (similarity to each stance's
prototype sentence in the label schema). Every model is tested against the first one."""

_EXPORT_EXAMPLES = """examples:
  stancebank export work/model --format onnx --out work/model-onnx
  stancebank predict work/model-onnx work/claims.jsonl --out work/preds.jsonl

Needs the onnx extra (pip install 'stancebank[onnx]'). The exported model is checked
against the original on a few texts before the folder is written; predict and serve-model
run the ONNX folder on ONNX Runtime, in float32."""

_REPORT_EXAMPLES = """examples:
  stancebank report work/dataset --predictions work/preds.jsonl --out work/report.html
  chromium --headless --screenshot=report.png work/report.html"""


def add_parsers(subparsers) -> None:
    """``train``, ``predict``, ``evaluate``, ``compare``, ``report``, ``export``."""
    train_args = subcommand(
        subparsers,
        "train",
        "Train the baseline stance classifier.",
        train,
        examples=_TRAIN_EXAMPLES,
    )
    train_args.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    train_args.add_argument(
        "--out", required=True, metavar="MODEL_DIR", help="model folder to write"
    )
    recipe_options(train_args)
    train_args.add_argument(
        "--no-cv", action="store_true", help="skip grouped cross-validation on the release"
    )
    train_args.add_argument(
        "--ood-data",
        metavar="FILE",
        help="labelled CSV / JSONL to score the model on, never trained on (default: none)",
    )
    predict_args = subcommand(
        subparsers, "predict", "Predict the stance of claims.", predict, examples=_PREDICT_EXAMPLES
    )
    predict_args.add_argument("model", metavar="MODEL_DIR", help="model folder written by 'train'")
    predict_args.add_argument("claims", metavar="CLAIMS_JSONL", help="claims file to predict")
    predict_args.add_argument(
        "--out", required=True, metavar="PREDICTIONS_JSONL", help="predictions file to write"
    )
    predict_args.add_argument(
        "--batch-size", type=int, default=PredictOptions.batch_size, help="claims per forward pass"
    )
    predict_args.add_argument(
        "--precision",
        default=PredictOptions.precision,
        choices=PRECISIONS,
        help="auto: bfloat16 where the CPU computes it natively, else float32",
    )
    predict_args.add_argument("--quantize", action="store_true", help="int8 dynamic quantisation")

    evaluate_args = subcommand(
        subparsers,
        "evaluate",
        "Score a stance model on labelled data.",
        evaluate,
        examples=_EVALUATE_EXAMPLES,
    )
    evaluate_args.add_argument(
        "model", metavar="MODEL", help="model folder, HF id, or predictions JSONL"
    )
    evaluate_args.add_argument(
        "--data",
        required=True,
        metavar="DATASET_DIR|FILE",
        help="dataset folder, or a labelled .csv / .jsonl (text, label)",
    )
    evaluate_args.add_argument("--split", default=DEFAULT_SPLIT, help="dataset split to score")
    evaluate_args.add_argument(
        "--labels", metavar="LABEL,LABEL", help="score only these classes, e.g. benefit,harm"
    )
    evaluate_args.add_argument(
        "--out",
        metavar="REPORT_DIR",
        help="folder for report.md, confusion_matrix.png and predictions",
    )

    compare_args = subcommand(
        subparsers,
        "compare",
        "Compare stance models on the same items, with paired tests.",
        compare,
        examples=_COMPARE_EXAMPLES,
    )
    compare_args.add_argument(
        "models", nargs="+", metavar="MODEL",
        help="model folders, HF ids, predictions JSONL files, 'majority' or 'zero-shot'",
    )  # fmt: skip
    compare_args.add_argument(
        "--data", required=True, metavar="DATASET_DIR|FILE",
        help="dataset folder, or a labelled .csv / .jsonl (text, label)",
    )  # fmt: skip
    compare_args.add_argument("--split", default=DEFAULT_SPLIT, help="dataset split to score")
    compare_args.add_argument("--labels", metavar="LABEL,LABEL",
                              help="score only these classes, e.g. benefit,harm")  # fmt: skip
    compare_args.add_argument(
        "--zero-shot-encoder", default=ZERO_SHOT_ENCODER, metavar="ID_OR_PATH",
        help="sentence encoder of the 'zero-shot' reference",
    )  # fmt: skip
    compare_args.add_argument("--out", metavar="REPORT_DIR",
                              help="folder for compare.md and compare.json")  # fmt: skip

    report_args = subcommand(
        subparsers,
        "report",
        "Write one HTML page: argument map, labels, agreement, model against annotators.",
        report,
        examples=_REPORT_EXAMPLES,
    )
    report_args.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    report_args.add_argument(
        "--predictions",
        required=True,
        metavar="PREDICTIONS_JSONL",
        help="predictions file written by 'stancebank predict'",
    )
    report_args.add_argument("--out", required=True, metavar="HTML_FILE", help="page to write")
    report_args.add_argument(
        "--split", default=DEFAULT_SPLIT, help="split for the confusion matrix"
    )

    export_args = subcommand(
        subparsers,
        "export",
        "Export a model folder for another runtime (ONNX).",
        export,
        examples=_EXPORT_EXAMPLES,
    )
    export_args.add_argument(
        "model", metavar="MODEL_DIR", help="model folder written by 'stancebank train'"
    )
    export_args.add_argument("--format", default="onnx", choices=("onnx",), help="what to write")
    export_args.add_argument("--out", required=True, metavar="EXPORT_DIR", help="folder to write")


def train(args: argparse.Namespace) -> int:
    from stancebank.models import api

    result = api.train(dataset_dir=args.dataset_dir, out=args.out, options=train_options(args),
                       cv=not args.no_cv, ood_data=args.ood_data,
                       progress=console.progress())  # fmt: skip
    from stancebank.models.metrics import judged

    metrics = result.metrics
    say(f"wrote {args.out}")
    if "test" in metrics:
        test = metrics["test"]
        say(f"  test: macro-F1 {test['macro_f1']:.3f} (95% CI {test['macro_f1_ci95']}), "
            f"accuracy {test['accuracy']:.3f}, n {test['n']}{judged(test['n'])}")  # fmt: skip
    if "cv" in metrics:
        cv = metrics["cv"]
        polar = "/".join(metrics.get("polar") or [])
        say(f"  grouped CV on the release: macro-F1 {cv['macro_f1']:.3f} (95% CI "
            f"{cv.get('macro_f1_ci95')}), {polar} {cv['macro_f1_benefit_harm']:.3f} "
            f"(n {cv['n']}){judged(cv['n'])}")  # fmt: skip
    if "ood" in metrics:
        ood_m = metrics["ood"]
        calibrated = ood_m.get("calibration", {})
        ece = (f", ECE {calibrated['ece']:.3f} (95% CI {calibrated.get('ece_ci95')})"
               if "ece" in calibrated else "")  # fmt: skip
        say(f"  out of domain ({ood_m['data']}, {'/'.join(ood_m['labels'])}): macro-F1 "
            f"{ood_m['macro_f1']:.3f} (95% CI {ood_m['macro_f1_ci95']}), n {ood_m['n']}"
            + ece + judged(ood_m["n"]))  # fmt: skip
    else:
        say("  out of domain: not measured (--ood-data FILE scores the model on labelled claims "
            "it was not trained on)")  # fmt: skip
    seen = (metrics["training"].get("calibration") or {}).get("all")
    if seen:
        say(f"  calibration on the training items, out of fold: ECE {seen['ece']:.3f} "
            f"(95% CI {seen.get('ece_ci95')}), n {seen['n']}")  # fmt: skip
    for name, row in metrics["baselines"].items():
        cv = row.get("cv")
        cv_text = f"  CV {cv['macro_f1_mean']:.3f} ± {cv['macro_f1_std']:.3f}" if cv else ""
        test_f1 = row.get("test_macro_f1")
        test_text = "" if test_f1 is None else f"test {test_f1:.3f}"
        say(f"  {name:34s} {test_text}{cv_text}")
    for note in metrics.get("notes", []):
        say(f"note: {note}")
    return 0


def predict(args: argparse.Namespace) -> int:
    from stancebank.models import api

    options = PredictOptions(
        batch_size=args.batch_size, precision=args.precision, quantize=args.quantize
    )
    result = api.predict(model=args.model, claims=args.claims, out=args.out, options=options,
                         progress=console.progress())  # fmt: skip
    say(f"wrote {result.predictions} predictions to {args.out}")
    for note in result.notes:
        say(f"note: {note}")
    return 0


def evaluate(args: argparse.Namespace) -> int:
    from stancebank.models import api

    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    result = api.evaluate(
        model=args.model, data=args.data, split=args.split, labels=labels, out=args.out
    )
    print(json.dumps(result.metrics, indent=1))
    for note in result.notes:
        say(f"note: {note}")
    if result.metrics.get("too_few_to_judge"):
        from stancebank.models.metrics import TOO_FEW

        say(f"note: {result.metrics['n']} items: too few to judge (fewer than {TOO_FEW}); "
            "read the interval, not the point")  # fmt: skip
    if result.out:
        say(f"wrote report.md, confusion_matrix.png and predictions.jsonl to {result.out}")
    return 0


def compare(args: argparse.Namespace) -> int:
    from stancebank.models import api
    from stancebank.models.compare import markdown_table

    labels = [label.strip() for label in args.labels.split(",")] if args.labels else None
    result = api.compare(models=args.models, data=args.data, split=args.split, labels=labels,
                         zero_shot_encoder=args.zero_shot_encoder, out=args.out)  # fmt: skip
    print(markdown_table(result.rows, data=args.data, labels=result.labels), end="")
    if result.out:
        say(f"wrote compare.md and compare.json to {result.out}")
    return 0


def export(args: argparse.Namespace) -> int:
    from stancebank.models import api

    result = api.export(model=args.model, out=args.out, format=args.format)
    say(f"wrote {result.out} ({result.format}; largest logit difference from the original "
        f"on the check texts: {result.max_logit_difference:.1e})")  # fmt: skip
    return 0


def report(args: argparse.Namespace) -> int:
    from stancebank.models import api

    result = api.report(dataset_dir=args.dataset_dir, predictions=args.predictions,
                        out=args.out, split=args.split)  # fmt: skip
    say(f"wrote {args.out}: {result.claims} claims, {result.disagreements} "
        f"disagreements between model and annotators")  # fmt: skip
    print(Path(args.out).resolve())
    return 0
