"""What ``label status`` remembers between runs, so that a run reads only the tasks changed
since the last one.

The first run reads every annotated task through an export snapshot (as ``pull`` does);
it keeps, per task, only what the status needs — the claim id, and per annotation its id,
annotator's user id, stance choice, cancelled flag and times (no rationale, no e-mail) —
in a private file under ``~/.cache/stancebank/status/``, with the server's time when that
run began (its ``Date`` header). A later run asks the server's data manager for the tasks
whose ``updated_at`` is later than that time less a margin (Label Studio bumps a task's
``updated_at`` when one of its annotations is created, updated or deleted), replaces those
tasks, and trusts the result only if its annotation counts equal the project's own
(``total_annotations_number`` and ``skipped_annotations_number``); otherwise it reads
everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

VERSION = 1
MARGIN = timedelta(seconds=5)
"""Tasks updated up to this long before the last run began are read again: the ``Date``
header is cut to the second, and a save that committed during that run is still seen."""
DM_DATETIME = "%Y-%m-%dT%H:%M:%S.%fZ"
"""The data manager's datetime filter format (Label Studio 1.23.2)."""


def cache_path(url: str, project_id: int, created_at: str) -> Path:
    """One file per server, project and project creation (a re-created project with the
    same id starts afresh)."""
    from stancebank.labeling.paths import cache_dir

    key = hashlib.sha256(f"{url}\0{project_id}\0{created_at}".encode()).hexdigest()[:24]
    return cache_dir() / "status" / f"{key}.json"


def trim(task: Mapping[str, Any], stance_name: str) -> dict[str, Any]:
    """The part of an exported (or data-manager) task the status reads."""
    annotations = []
    for a in task.get("annotations") or []:
        by = a.get("completed_by")
        annotations.append({
            "id": a.get("id"),
            "completed_by": by.get("id") if isinstance(by, Mapping) else by,
            "result": [r for r in a.get("result") or [] if r.get("from_name") == stance_name],
            "was_cancelled": bool(a.get("was_cancelled")),
            "created_at": a.get("created_at"),
            "updated_at": a.get("updated_at"),
            "lead_time": a.get("lead_time"),
        })  # fmt: skip
    return {
        "id": task.get("id"),
        "project": task.get("project"),
        "updated_at": task.get("updated_at"),
        "data": {"claim_id": (task.get("data") or {}).get("claim_id")},
        "annotations": annotations,
    }


@dataclass
class Remembered:
    tasks: dict[int, dict[str, Any]]
    read_at: str | None = None
    """The server's time when these tasks began to be read (``DM_DATETIME``)."""

    def since(self) -> str | None:
        """The data-manager filter value: when the last read began, less ``MARGIN``."""
        if not self.read_at:
            return None
        return (datetime.strptime(self.read_at, DM_DATETIME) - MARGIN).strftime(DM_DATETIME)

    def at(self, server_time: datetime | None) -> Remembered:
        """The same tasks, read at ``server_time`` (None: ask for everything next time)."""
        stamp = server_time.astimezone(timezone.utc).strftime(DM_DATETIME) if server_time else None
        return Remembered(self.tasks, stamp)

    def merge(self, changed: Iterable[Mapping[str, Any]], stance_name: str) -> Remembered:
        """A copy with ``changed`` tasks replacing the remembered ones (a task left without
        annotations is dropped)."""
        tasks = dict(self.tasks)
        for task in changed:
            trimmed = trim(task, stance_name)
            if trimmed["annotations"]:
                tasks[trimmed["id"]] = trimmed
            else:
                tasks.pop(trimmed["id"], None)
        return Remembered(tasks, self.read_at)

    def counts(self) -> tuple[int, int]:
        """(annotations not cancelled, cancelled), as the project counts them."""
        done = cancelled = 0
        for task in self.tasks.values():
            for a in task["annotations"]:
                cancelled += a["was_cancelled"]
                done += not a["was_cancelled"]
        return done, cancelled


def load(path: Path) -> Remembered | None:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("version") != VERSION:
        return None
    return Remembered({int(k): v for k, v in content.get("tasks", {}).items()},
                      content.get("read_at"))  # fmt: skip


def save(path: Path, remembered: Remembered) -> None:
    """Atomically, readable by the user only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"version": VERSION, "read_at": remembered.read_at,
                   "tasks": remembered.tasks}, handle)  # fmt: skip
    os.replace(staging, path)


def remember(server_url: str, project_id: int, counts, tasks, stance_name: str) -> None:
    """Remember ``tasks`` (an export of every annotated task, read when the server answered
    ``counts``) for the next ``label status``."""
    path = cache_path(server_url, project_id, counts.created_at)
    save(path, Remembered({}).merge(tasks, stance_name).at(counts.server_time))


def current_tasks(client, server_url: str, project_id: int, stance_name: str):
    """The project's annotated tasks: the remembered ones updated with those changed since
    the last read when the counts then agree with the server's, else all of them read again.
    Returns them by task id, and the project's task count."""
    from stancebank.labeling import client as ls

    counts = ls.project_counts(client, project_id)
    path = cache_path(server_url, project_id, counts.created_at)
    remembered = load(path)
    current = None
    if remembered is not None and (since := remembered.since()) is not None:
        changed = ls.tasks_updated_since(client, project_id, since)
        merged = remembered.merge(changed, stance_name)
        if merged.counts() == (counts.annotations, counts.cancelled):
            current = merged
    if current is None:
        exported = ls.export_annotated(client, project_id)
        current = Remembered({}).merge(exported, stance_name)
    save(path, current.at(counts.server_time))
    return current.tasks, counts.tasks
