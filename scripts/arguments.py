"""What every subcommand's parser shares: the help format (examples as written, each
option's default shown), -q/-v, and the Label Studio server options."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Handler = Callable[[argparse.Namespace], int]


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Examples kept as written; every option's default shown (where it has a real one)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if "%(default)" in text or default in (None, False, argparse.SUPPRESS, []):
            return text
        return f"{text} (default: %(default)s)"

    def _split_lines(self, text: str, width: int) -> list[str]:
        # never inside names and paths such as all-mpnet-base-v2 or ../shared/eval/…
        import textwrap

        text = self._whitespace_matcher.sub(" ", text).strip()
        return textwrap.wrap(text, width, break_on_hyphens=False)


def console_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """-q/-v on the main parser and on every subcommand. A subcommand's copy leaves the
    value alone unless given, so `stancebank -q build …` and `stancebank build -q …` agree."""
    levels = parser.add_mutually_exclusive_group()
    default = False if top else argparse.SUPPRESS
    levels.add_argument(
        "-q", "--quiet", action="store_true", default=default,
        help="print errors and results only: no progress bars or summaries",
    )  # fmt: skip
    levels.add_argument(
        "-v", "--verbose", action="store_true", default=default,
        help="also show the libraries' own logs, load reports and bars",
    )  # fmt: skip


def subcommand(
    subparsers, name: str, help_text: str, handler: Handler | None = None, *,
    examples: str | None = None, description: str | None = None,
) -> argparse.ArgumentParser:  # fmt: skip
    """A subcommand with our help format, -q/-v and (for a leaf) its handler."""
    parser = subparsers.add_parser(
        name,
        help=help_text,
        description=description or help_text,
        epilog=examples,
        formatter_class=HelpFormatter,
    )
    console_options(parser)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def server_options(parser: argparse.ArgumentParser, *, url: bool) -> None:
    """Where the Label Studio server is: ``--url`` (for ``label``) and ``--data-dir``."""
    if url:
        parser.add_argument(
            "--url",
            help="Label Studio URL (default: $LABEL_STUDIO_URL, else the running "
            "'stancebank server')",
        )
    parser.add_argument(
        "--data-dir",
        metavar="LS_DATA_DIR",
        help="the local server's data dir (default: $STANCEBANK_LS_DATA_DIR, else "
        "~/.local/share/stancebank/label-studio)",
    )
