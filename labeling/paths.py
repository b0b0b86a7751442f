"""Where the labelling stage keeps its files on this machine: the cache folder (the Label
Studio environment, push locks, what ``label status`` remembers), the server's data dir,
and private (0600) files written atomically."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/stancebank`` (default ``~/.cache/stancebank``): the Label Studio
    environment, push locks, what ``label status`` remembers."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stancebank"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "stancebank" / "label-studio"


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """``data_dir``, else ``$STANCEBANK_LS_DATA_DIR``, else the project file's
    ``[label_studio] data_dir`` (where ``server start`` in the project recorded it), else
    :func:`default_data_dir`."""
    from stancebank.dataset.project import active

    if data_dir:
        return Path(data_dir)
    env = os.environ.get("STANCEBANK_LS_DATA_DIR")
    if env:
        return Path(env)
    project = active()
    return project.path(project.label_studio.get("data_dir")) or default_data_dir()


def write_private(path: Path, text: str) -> None:
    """Write a 0600 file atomically (temp file + rename)."""
    from stancebank.dataset.errors import disk_full, no_space

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if disk_full(error):
            raise no_space(path) from None
        raise
