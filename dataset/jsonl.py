"""JSONL reading with line numbers, and atomic file writes (temp file + rename)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from stancebank.dataset.errors import InputError, disk_full, no_space


def read_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, object)`` for every non-blank line of a UTF-8 JSONL file.

    Raises:
        InputError: the file is missing, not UTF-8, or a line is not a JSON object.
    """
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a JSONL file") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    raise InputError(path, f"not valid JSON ({error.msg})", line=number) from None
                if not isinstance(record, dict):
                    raise InputError(path, "expected a JSON object per line", line=number)
                yield number, record
        except UnicodeDecodeError:
            raise InputError(path, "not UTF-8 text") from None


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise InputError(path, f"cannot write it ({error.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if disk_full(error):
            raise no_space(path) from None
        raise


def dumps_jsonl(records: Iterable[dict[str, Any]]) -> str:
    """One compact JSON object per line, non-ASCII kept readable."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> None:
    """Atomically write ``records`` as JSONL."""
    atomic_write_text(path, dumps_jsonl(records))
