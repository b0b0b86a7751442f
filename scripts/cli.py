"""The ``stancebank`` command line: the top-level parser, and the error handling every
command shares.

Each stage's command module (:mod:`stancebank.commands`, :mod:`stancebank.model_commands`,
:mod:`stancebank.label_commands`, :mod:`stancebank.serve_commands`) declares its
subcommands' arguments, with defaults read from the options modules, and handlers that call
one function of the Python API and print its result. Only this module imports them; they
never import each other. Every subcommand exits 0 on success and 2 on bad input, with one line
naming the file (and line) at fault; outputs are written atomically, so a failed run
leaves none.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from stancebank import __version__, commands, label_commands, model_commands, serve_commands
from stancebank.arguments import HelpFormatter, console_options
from stancebank.dataset.errors import InputError, ServiceError, disk_full


def build_parser() -> argparse.ArgumentParser:
    """The parser, with the active project's settings as defaults."""
    parser = argparse.ArgumentParser(
        allow_abbrev=False,  # "--project" must never be read as "--project-dir"
        prog="stancebank",
        description="Interview answers in, a stance dataset and stance classifiers out.",
        epilog="Run 'stancebank COMMAND --help' for a command's options and examples.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stancebank {__version__}")
    console_options(parser, top=True)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for stage in (commands, model_commands, label_commands, serve_commands):
        stage.add_parsers(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from stancebank import console
    from stancebank.arguments import project_from
    from stancebank.dataset.project import activate

    # the project first: its file gives the parser its defaults (the command line wins)
    early = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    early.add_argument("--project-dir")
    known, _ = early.parse_known_args(argv)
    try:
        activate(project_from(known.project_dir))
    except InputError as error:
        print(f"stancebank: error: {error}", file=sys.stderr)
        return 2
    try:
        return _run(build_parser().parse_args(argv), console)
    finally:
        activate(None)


def _run(args: argparse.Namespace, console) -> int:
    import warnings

    console.configure(quiet=args.quiet, verbose=args.verbose)
    # scikit-learn's warnings about tiny classes and undefined scores are said once, in our
    # own words, by the commands themselves ("too few to judge")
    warnings.filterwarnings("ignore", module=r"sklearn(\..*)?")
    try:
        return args.handler(args) or 0
    except InputError as error:
        print(f"stancebank: error: {error}", file=sys.stderr)
        return 2
    except ServiceError as error:  # Label Studio, the Hub: exit 1 (2 if the user can fix it)
        print(f"stancebank: error: {error}", file=sys.stderr)
        return error.exit_status
    except OSError as error:  # a file system refusal no check foresaw: still one line
        where = f"{error.filename}: " if error.filename else ""
        print(f"stancebank: error: {where}{error.strerror or error}", file=sys.stderr)
        return 2 if error.filename or disk_full(error) else 1
    except KeyboardInterrupt:
        print("stancebank: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as error:  # a writer that ran out of space, whoever raised it
        if not disk_full(error):
            raise
        print("stancebank: error: no space left on the device (free some space, or write "
              "elsewhere)", file=sys.stderr)  # fmt: skip
        return 2


if __name__ == "__main__":
    sys.exit(main())
