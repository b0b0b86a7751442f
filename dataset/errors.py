"""The one error type for bad input: the command line turns it into one line and exit 2."""

from __future__ import annotations

import errno
from pathlib import Path


class InputError(Exception):
    """Bad input from a user file, named by path and (where it applies) line number."""

    def __init__(self, path: str | Path, message: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ServiceError(Exception):
    """A server or network the command needs failed or could not be reached: the command
    line prints one line and exits with ``exit_status`` (1 unless a subclass says else)."""

    exit_status = 1


def disk_full(error: BaseException) -> bool:
    """The device (or the user's quota) ran out of space: an ``OSError`` that says so, or a
    library's own error with the system's message (safetensors, pyarrow)."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return "No space left on device" in str(error) or "Disk quota exceeded" in str(error)


def no_space(path: str | Path) -> InputError:
    return InputError(path, "no space left on the device; nothing was written (free some "
                      "space, or write elsewhere)")  # fmt: skip
