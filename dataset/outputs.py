"""Where a command may write: outputs never touch inputs, a folder is replaced only when it
is our own earlier output, and a folder is swapped in so that its path always holds a
complete output (the old one or the new one), even if the process is killed.

Checks run before any work, so a refused command has written nothing.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from stancebank.dataset.errors import InputError, disk_full, no_space

MARKER = ".stancebank-output.json"
"""Written into every folder a command produces; names the command that wrote it."""
_STAGING = ".staging-"
_PREVIOUS = ".previous-"

PathLike = str | Path


def _resolved(path: PathLike) -> Path:
    return Path(path).expanduser().resolve()


def _clash(out: Path, inputs: Iterable[PathLike | None]) -> str | None:
    for given in inputs:
        if given is None or str(given) == "" or not Path(given).exists():
            continue  # a Hub id or a built-in name is no file to destroy
        source = _resolved(given)
        if out == source:
            return f"is also an input ({given}); choose another output path"
        if source.is_relative_to(out):
            return f"contains the input {given}; choose another output path"
        if out.is_relative_to(source):
            return f"lies inside the input {given}; choose another output path"
    return None


def _check_writable_parent(out: Path, given: PathLike) -> None:
    parent = out.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(given, f"cannot create it: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(given, f"cannot write here: {parent} is not writable")


def check_output_file(out: PathLike, *, inputs: Iterable[PathLike | None] = ()) -> Path:
    """Refuse (``InputError``) a file output that is, holds or lies in an input, is a
    folder, or cannot be written. Returns the resolved path."""
    path = _resolved(out)
    if reason := _clash(path, inputs):
        raise InputError(out, reason)
    if path.is_dir():
        raise InputError(out, "is a folder; give a file path to write")
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(out, "is read-only")
    _check_writable_parent(path, out)
    return path


def written_by(folder: PathLike) -> str | None:
    """The command whose marker ``folder`` carries, or None."""
    try:
        marker = json.loads((Path(folder) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker.get("command") if isinstance(marker, dict) else None


def check_output_dir(
    out: PathLike, *, command: str, inputs: Iterable[PathLike | None] = (), replaces: bool = True
) -> Path:
    """Refuse (``InputError``) a folder output that is, holds or lies in an input, is a
    file, or — for a command that ``replaces`` the folder — is a non-empty folder that
    ``stancebank COMMAND`` did not write."""
    path = _resolved(out)
    if reason := _clash(path, inputs):
        raise InputError(out, reason)
    if path.exists() and not path.is_dir():
        raise InputError(out, "exists and is not a folder; give a folder path to write")
    if replaces and path.is_dir() and any(path.iterdir()) and written_by(path) != command:
        raise InputError(
            out,
            f"is a non-empty folder not written by 'stancebank {command}'; "
            "choose a new path (nothing is replaced without our marker)",
        )
    _check_writable_parent(path, out)
    return path


def pid_alive(pid: int) -> bool:
    """The process exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(out_dir: PathLike) -> None:
    """Remove staging folders that dead runs left beside ``out_dir``, and put back an
    earlier output that a killed fallback swap left aside."""
    out_dir = _resolved(out_dir)
    if not out_dir.parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}({_STAGING}|{_PREVIOUS})(\d+)-[\w]+$")
    for sibling in sorted(out_dir.parent.iterdir()):
        match = pattern.match(sibling.name)
        if not match or pid_alive(int(match.group(2))) and int(match.group(2)) != os.getpid():
            continue
        if match.group(1) == _PREVIOUS and not out_dir.exists():
            sibling.rename(out_dir)  # the swap was killed between its two renames
        else:
            shutil.rmtree(sibling, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    status = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging)  # now holds the earlier output
        return
    # Fallback: two renames. A kill between them leaves the earlier output under the
    # "previous" name, which the next run's clean_stale() puts back.
    previous = out_dir.with_name(staging.name.replace(_STAGING, _PREVIOUS, 1))
    out_dir.rename(previous)
    staging.rename(out_dir)
    shutil.rmtree(previous)


@contextmanager
def staged_directory(out_dir: PathLike, *, command: str) -> Iterator[Path]:
    """A temporary sibling of ``out_dir`` to fill; when the block finishes it gets our
    marker and replaces ``out_dir`` in one step. A failure removes it and leaves the
    earlier ``out_dir`` as it was; a kill leaves it for the next run to remove."""
    from stancebank import __version__

    given, out_dir = out_dir, _resolved(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out_dir)
        prefix = f".{out_dir.name}{_STAGING}{os.getpid()}-"
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    except OSError as error:
        raise InputError(given, f"cannot write it ({error.strerror})") from None
    try:
        yield staging
        marker = {"command": command, "stancebank": __version__}
        (staging / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
        _swap_in(staging, out_dir)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if disk_full(error):
            raise no_space(given) from None
        raise
