"""What the command line shows people: messages on stderr (stdout carries only what scripts
may pipe on), the -q/-v levels, and library noise kept off the console unless -v."""

from __future__ import annotations

import os
import sys

_quiet = False
_verbose = False


def configure(*, quiet: bool = False, verbose: bool = False) -> None:
    """Set the console level for this process; call before the libraries are imported.

    Without ``verbose``, transformers shows errors only (no load reports of missing
    classifier weights) and Hugging Face libraries draw no download or weight-loading bars;
    our own bars and one line per result remain. ``quiet`` drops those too.
    """
    global _quiet, _verbose
    _quiet, _verbose = quiet, verbose
    if not verbose:
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")  # "Map: 100%" in train
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def progress() -> bool:
    """Whether to draw progress bars (they also stay off when stderr is not a terminal)."""
    return not _quiet


def verbose() -> bool:
    """Whether -v was given (libraries' logs, and our own debug lines)."""
    return _verbose


def say(message: str) -> None:
    """One line for people, on stderr; nothing with -q."""
    if not _quiet:
        print(message, file=sys.stderr)
