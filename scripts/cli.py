"""The ``stancebank`` command line: parse arguments, call the packages, report errors.

Every subcommand exits 0 on success and 2 on bad input, with one line naming the file
(and line) at fault; outputs are written atomically, so a failed run leaves none.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from dataset.errors import InputError
from scripts import commands

_EXAMPLES = {
    "ingest": """examples:
  stancebank ingest dataset/sources/interview-social-credit.txt --out work/answers.jsonl
  stancebank ingest a.md b.csv --format auto --out answers.jsonl""",
    "segment": """examples:
  stancebank segment work/answers.jsonl --out work/claims.jsonl""",
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
        subparsers, "ingest", "Read interview files into answers.jsonl.", commands.ingest
    )
    ingest.add_argument("files", nargs="+", metavar="FILE", help="interview files")
    ingest.add_argument("--out", required=True, help="answers JSONL to write")
    ingest.add_argument(
        "--format",
        default="auto",
        choices=commands.INGEST_FORMATS,
        help="layout of the files (default: auto-detect each file)",
    )

    segment = _subparser(
        subparsers, "segment", "Split answers into argumentative units.", commands.segment
    )
    segment.add_argument("answers", help="answers JSONL written by 'stancebank ingest'")
    segment.add_argument("--out", required=True, help="claims JSONL to write")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except InputError as error:
        print(f"stancebank: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stancebank: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
