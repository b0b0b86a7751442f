"""Messages for people go to stderr, so stdout carries only what scripts may pipe on."""

from __future__ import annotations

import sys


def say(message: str) -> None:
    print(message, file=sys.stderr)
