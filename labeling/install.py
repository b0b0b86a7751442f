"""The pinned Label Studio's own virtual environment, installed once and atomically.

Label Studio pins many packages, so it never shares the project's environment: it goes into
``~/.cache/stancebank/label-studio-<version>`` (or ``$STANCEBANK_LS_VENV``) on first use.
Two commands may start a server at the same moment (two terminals, two test workers), and a
kill may fall in the middle of a three-minute install, so:

* one process installs at a time (a file lock beside the environment); the others say they
  wait, then find it complete;
* it installs into a hidden staging folder and renames it into place, so the final path
  holds a whole environment or none (console scripts carry the folder's path in their first
  line, which is rewritten after the rename);
* the environment counts as complete only when its marker (written last), its
  ``pyvenv.cfg`` and an import of ``label_studio`` all check out; anything else is rebuilt,
  with one line saying so;
* pip's output stays in a log file unless the install fails (then its last lines).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from stancebank.labeling.net import ServerError
from stancebank.labeling.paths import cache_dir

LABEL_STUDIO_VERSION = "1.23.2"
REQUIREMENT = f"label-studio=={LABEL_STUDIO_VERSION}"
MARKER = ".stancebank-complete"
WAIT = 1800.0
"""Seconds to wait for another process's install (a slow mirror takes minutes)."""


def default_venv() -> Path:
    if env := os.environ.get("STANCEBANK_LS_VENV"):
        return Path(env)
    return cache_dir() / f"label-studio-{LABEL_STUDIO_VERSION}"


def executable(venv: Path) -> Path:
    return venv / "bin" / "label-studio"


def is_complete(venv: Path) -> bool:
    """The marker says this version, ``pyvenv.cfg`` is there, and ``label_studio`` imports."""
    marker = venv / MARKER
    try:
        if marker.read_text(encoding="utf-8").strip() != LABEL_STUDIO_VERSION:
            return False
    except OSError:
        return False
    if not (venv / "pyvenv.cfg").is_file() or not executable(venv).is_file():
        return False
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import label_studio"],
        capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    return probe.returncode == 0


def ensure_installed(
    venv: Path | None = None,
    *,
    requirement: str = REQUIREMENT,
    say=lambda line: print(line, file=sys.stderr),
) -> Path:
    """The ``label-studio`` executable, installing ``requirement`` (the pinned version; a
    wheel's path in tests) on first use or rebuilding a broken environment; ``say`` gets the
    few lines a person should see."""
    from filelock import FileLock, Timeout

    venv = (venv or default_venv()).absolute()
    if is_complete(venv):
        return executable(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(venv.parent / f".{venv.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        say(f"waiting for another stancebank to finish installing Label Studio into {venv}")
        try:
            lock.acquire(timeout=WAIT)
        except Timeout:
            raise ServerError(f"another process has been installing Label Studio into {venv} "
                              f"for {WAIT / 60:.0f} minutes; is it stuck?") from None  # fmt: skip
    try:
        if not is_complete(venv):  # the other process may have finished meanwhile
            _install(venv, requirement, say)
    finally:
        lock.release()
    return executable(venv)


def _install(venv: Path, requirement: str, say) -> None:
    if venv.exists():
        say(f"the Label Studio environment in {venv} is incomplete or broken; rebuilding it")
    else:
        say(f"installing {REQUIREMENT} into {venv} (first use, 1-3 minutes)")
    staging = venv.with_name(f".{venv.name}.staging-{os.getpid()}")
    for leftover in venv.parent.glob(f".{venv.name}.staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # a killed install's (we hold the lock)
    log = venv.parent / f"{venv.name}.install.log"
    with open(log, "wb") as output:
        steps = (
            [_base_python(), "-m", "venv", str(staging)],
            [str(staging / "bin" / "python"), "-m", "pip", "install",
             "--disable-pip-version-check", requirement],
        )  # fmt: skip
        for step in steps:
            if subprocess.run(step, stdout=output, stderr=subprocess.STDOUT,
                              check=False).returncode != 0:  # fmt: skip
                shutil.rmtree(staging, ignore_errors=True)
                tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
                detail = "; ".join(line.strip() for line in tail if line.strip())[-600:]
                raise ServerError(f"could not install {REQUIREMENT} (log: {log}): "
                                  f"{detail}")  # fmt: skip
    (staging / MARKER).write_text(LABEL_STUDIO_VERSION + "\n", encoding="utf-8")
    if venv.exists():
        shutil.rmtree(venv)
    os.rename(staging, venv)
    _relocate_scripts(venv / "bin", old=str(staging), new=str(venv))
    if not is_complete(venv):
        raise ServerError(f"the Label Studio environment in {venv} does not work after "
                          f"installing (log: {log})")  # fmt: skip


def _relocate_scripts(bin_dir: Path, *, old: str, new: str) -> None:
    """Point the console scripts' interpreter line (pip writes the folder's absolute path
    there, directly or in a ``/bin/sh`` trampoline for long paths) at the renamed folder."""
    for script in bin_dir.iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        with open(script, "rb") as handle:
            head = handle.read(2)
        if head != b"#!":
            continue
        text = script.read_bytes()
        lines = text.split(b"\n", 3)
        fixed = [line.replace(old.encode(), new.encode()) for line in lines[:3]]
        if fixed != lines[:3]:
            script.write_bytes(b"\n".join([*fixed, *lines[3:]]))


def _base_python() -> str:
    """A Python outside any venv, so the server's venv does not inherit the project's."""
    return getattr(sys, "_base_executable", None) or sys.executable
